//! A fixture full of personal data, for the backends' checks that scrubbing leaves none of it in the
//! columns they keep as plain text: two calls between a user and a phone and a PSTN row, all ended before
//! [`CUTOFF`], scrubbed and then purged through the store traits as the scrub and purge passes do.

use std::sync::Arc;

use callrec_model::edm::Ticks;
use callrec_model::logs::{LogKind, check_log_row};
use callrec_model::prepare::{PreparedRecord, prepare};
use callrec_model::scrub::scrub_log_row_body;
use callrec_store::{PutOutcome, Store, WriteCondition};
use serde_json::{Value, json};

pub const TENANT: &str = "t";
/// 2024-03-01T13:33:20Z, after every call of the fixture.
pub const CUTOFF: Ticks = Ticks(1_709_300_000 * 10_000_000);
/// The personal values the fixture writes (or the start of them).
const PERSONAL: [&str; 4] = ["+1555", "Ada Lovelace", "ada@contoso.com", "Front desk"];

/// The texts that hold a personal value of the fixture.
pub fn personal(texts: &[String]) -> Vec<String> {
    texts
        .iter()
        .filter(|t| PERSONAL.iter().any(|p| t.contains(p)))
        .cloned()
        .collect()
}

fn call(id: &str, end: &str) -> Value {
    let phone = "+15557654321";
    let ada = json!({"user": {"id": "user-a", "displayName": "Ada Lovelace"}});
    json!({
        "id": id, "version": 1, "type": "peerToPeer", "modalities": ["audio"],
        "startDateTime": "2024-03-01T10:00:00Z", "endDateTime": end, "lastModifiedDateTime": end,
        "organizer_v2": {"id": "user-a", "identity": ada},
        "participants_v2": [
            {"id": "user-a", "identity": ada},
            {"id": phone, "identity": {"phone": {"id": phone, "displayName": "Front desk"}}}
        ],
        "sessions": [{
            "id": "s", "startDateTime": "2024-03-01T10:00:00Z", "endDateTime": end,
            "caller": {"@odata.type": "#microsoft.graph.callRecords.participantEndpoint", "identity": ada},
            "callee": {"@odata.type": "#microsoft.graph.callRecords.participantEndpoint",
                       "identity": {"phone": {"id": phone}}},
            "segments": [{"id": "g", "startDateTime": "2024-03-01T10:00:00Z", "endDateTime": end,
                "media": [{"label": "main-audio", "streams": [
                    {"streamDirection": "callerToCallee", "averageJitter": "PT0.010S"},
                    {"streamDirection": "calleeToCaller", "averageJitter": "PT0.010S"}]}]}]
        }]
    })
}

fn prepared(v: Value) -> PreparedRecord {
    let Value::Object(map) = v else {
        unreachable!("a record is an object")
    };
    prepare(map)
}

/// Writes the fixture: the two calls and the PSTN row. Returns the calls' JSON.
pub async fn write(store: &dyn Store) -> Vec<Value> {
    let records = vec![
        call("a", "2024-03-01T10:10:00Z"),
        call("b", "2024-03-01T11:10:00Z"),
    ];
    store
        .put_records(
            TENANT,
            records.iter().cloned().map(prepared).collect(),
            WriteCondition::NewerVersion,
        )
        .await
        .unwrap();
    let row = json!({
        "@odata.type": "#microsoft.graph.callRecords.pstnCallLogRow",
        "id": "row-1", "userId": "user-a", "userPrincipalName": "ada@contoso.com",
        "userDisplayName": "Ada Lovelace", "startDateTime": "2024-03-01T10:00:00Z",
        "callType": "conf_out", "callerNumber": "+15557654321", "calleeNumber": "+15550000000",
        "duration": 60, "charge": 0.5, "connectionCharge": 0.0, "currency": "USD"
    });
    store
        .put_log_rows(TENANT, vec![check_log_row(None, row).unwrap().row])
        .await
        .unwrap();
    records
}

/// Scrubs every record and row of the fixture, and forgets the names, as a scrub pass does.
pub async fn scrub(store: &dyn Store, records: &[Value]) {
    let keys = store.records_to_scrub(CUTOFF, 10).await.unwrap();
    assert_eq!(keys.len(), records.len());
    for key in keys {
        let json = records.iter().find(|r| r["id"] == key.id).unwrap().clone();
        let record = crate::records::scrubbed(json);
        let outcome = store
            .put_records(&key.tenant, vec![record], WriteCondition::Scrubbing)
            .await
            .unwrap();
        assert_eq!(
            outcome,
            [PutOutcome::Replaced {
                previous_version: 1
            }]
        );
    }
    let scrubber: callrec_store::logs::LogScrubber = Arc::new(scrub_log_row_body);
    assert_eq!(
        store
            .scrub_log_rows_before(CUTOFF, 10, scrubber)
            .await
            .unwrap(),
        1
    );
    store.forget_names_before(CUTOFF).await.unwrap();
}

/// Purges every record and row of the fixture.
pub async fn purge(store: &dyn Store) {
    assert_eq!(store.purge_ended_before(CUTOFF, 10).await.unwrap(), 2);
    assert_eq!(
        store
            .purge_log_rows_before(LogKind::PstnCall, CUTOFF, 10)
            .await
            .unwrap(),
        1
    );
}
