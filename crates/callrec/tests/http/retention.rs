//! Retention over real HTTP: a record whose call ended longer ago than the retention period is neither
//! listed, counted nor returned, as in Graph, and the purge deletes it from the store.

use std::time::Duration;

use callrec::http::ApiConfig;
use time::format_description::well_known::Rfc3339;

use crate::support::{TestServer, record};

const RECORDS: &str = "/v1.0/communications/callRecords";

fn days_ago(days: i64) -> String {
    (time::OffsetDateTime::now_utc() - time::Duration::days(days))
        .replace_nanosecond(0)
        .unwrap()
        .format(&Rfc3339)
        .unwrap()
}

fn keeping(retention: Option<Duration>) -> TestServer {
    TestServer::start_with(ApiConfig {
        retention,
        ..ApiConfig::default()
    })
}

#[test]
fn records_past_retention_are_gone_for_readers() {
    let server = keeping(Some(callrec::retention::GRAPH_RETENTION));
    server.ingest(&record("old", &days_ago(31), 2, 2));
    server.ingest(&record("recent", &days_ago(29), 2, 2));
    for path in [
        "old",
        "old/sessions",
        "old/sessions/s0",
        "old/sessions/s0/segments",
        "old/participants_v2",
        "old/participants_v2/p0",
        "old/organizer_v2",
    ] {
        server
            .get(&format!("{RECORDS}/{path}"))
            .assert_error(404, "itemNotFound");
    }
    for path in ["recent", "recent/sessions", "recent/participants_v2/p0"] {
        assert_eq!(
            server.get(&format!("{RECORDS}/{path}")).status,
            200,
            "{path}"
        );
    }
    let list = server.get(&format!("{RECORDS}?$count=true")).json();
    assert_eq!(list["@odata.count"], 1);
    assert_eq!(list["value"].as_array().map(Vec::len), Some(1));
    assert_eq!(list["value"][0]["id"], "recent");
    // A filter cannot reach past the window either.
    let filtered = server
        .get(&format!("{RECORDS}?$filter=id%20eq%20'old'"))
        .json();
    assert_eq!(filtered["value"].as_array().map(Vec::len), Some(0));
}

#[test]
fn a_shorter_or_no_retention_is_honoured() {
    let short = keeping(Some(Duration::from_secs(7 * 86400)));
    short.ingest(&record("ten-days", &days_ago(10), 1, 1));
    short
        .get(&format!("{RECORDS}/ten-days"))
        .assert_error(404, "itemNotFound");
    let forever = keeping(None);
    forever.ingest(&record("ancient", "2019-01-01T00:00:00Z", 1, 1));
    assert_eq!(forever.get(&format!("{RECORDS}/ancient")).status, 200);
}

#[test]
fn the_purge_deletes_what_retention_hides_and_nothing_else() {
    let retention = Duration::from_secs(7 * 86400);
    let server = keeping(Some(retention));
    let records: Vec<_> = (0..1200)
        .map(|i| record(&format!("old-{i}"), &days_ago(8 + i % 5), 1, 1))
        .chain((0..3).map(|i| record(&format!("new-{i}"), &days_ago(i), 1, 1)))
        .collect();
    let summary = server.ingest_bulk(&records);
    assert_eq!(summary["rejected"], 0, "{summary}");
    let store = server.store.clone();
    let purged = server
        .runtime
        .block_on(callrec::retention::purge_once(store.as_ref(), retention))
        .unwrap();
    assert_eq!(purged, 1200);
    let stats = server.runtime.block_on(store.stats()).unwrap();
    assert_eq!(stats.records, 3);
    for i in 0..3 {
        assert_eq!(server.get(&format!("{RECORDS}/new-{i}")).status, 200);
    }
    let again = server
        .runtime
        .block_on(callrec::retention::purge_once(store.as_ref(), retention))
        .unwrap();
    assert_eq!(again, 0);
}

fn keeping_logs(setting: &str) -> TestServer {
    let mut log_retention = callrec::retention::LogRetention::forever();
    log_retention.apply(setting.parse().unwrap());
    TestServer::start_with(ApiConfig {
        log_retention,
        ..ApiConfig::default()
    })
}

fn pstn_row(id: &str, days: i64) -> serde_json::Value {
    serde_json::json!({
        "@odata.type": "#microsoft.graph.callRecords.pstnCallLogRow",
        "id": id, "userId": "u1", "startDateTime": days_ago(days), "endDateTime": days_ago(days),
        "callType": "conf_out", "duration": 60, "charge": 0.1, "connectionCharge": 0.0, "currency": "USD",
        "callerNumber": "+15551112222", "calleeNumber": "+15553334444"
    })
}

fn direct_routing_row(id: &str, days: i64, correlation: &str) -> serde_json::Value {
    serde_json::json!({
        "@odata.type": "#microsoft.graph.callRecords.directRoutingLogRow",
        "id": id, "correlationId": correlation, "startDateTime": days_ago(days),
        "endDateTime": days_ago(days), "successfulCall": true, "callType": "ByotIn", "duration": 5
    })
}

fn row_ids(body: &serde_json::Value) -> Vec<String> {
    let mut ids: Vec<String> = body["value"]
        .as_array()
        .unwrap_or_else(|| panic!("a collection: {body}"))
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect();
    ids.sort();
    ids
}

#[test]
fn log_rows_past_their_kind_s_period_are_gone_for_readers_and_purged() {
    let server = keeping_logs("pstnCall=30d");
    let rows = [
        pstn_row("pstn-old", 40),
        pstn_row("pstn-new", 10),
        direct_routing_row("dr-old", 40, "rec-1"),
        direct_routing_row("dr-new", 10, "rec-1"),
    ];
    let reply = server.post_ndjson("/callrec/import", &rows);
    assert_eq!(reply.status, 200, "{}", reply.text);
    let (from, to) = (&days_ago(60)[..10], &days_ago(-1)[..10]);
    let calls = |function: &str, version: &str| {
        server
            .get(&format!(
                "/{version}/communications/callRecords/{function}(fromDateTime={from},toDateTime={to})"
            ))
            .json()
    };
    assert_eq!(row_ids(&calls("getPstnCalls", "v1.0")), ["pstn-new"]);
    assert_eq!(
        row_ids(&calls("getDirectRoutingCalls", "v1.0")),
        ["dr-new", "dr-old"],
        "direct routing keeps its own period (forever here)"
    );
    let dialouts = calls("getPstnOnlineMeetingDialoutReport", "beta");
    assert_eq!(dialouts["value"][0]["totalCalls"], 1, "{dialouts}");
    server
        .get("/callrec/logs/pstnCall/pstn-old")
        .assert_error(404, "itemNotFound");
    assert_eq!(server.get("/callrec/logs/pstnCall/pstn-new").status, 200);

    let store = server.store.clone();
    let retention = server.state.config.log_retention;
    let purged = server
        .runtime
        .block_on(callrec::retention::purge_logs_once(
            store.as_ref(),
            &retention,
        ))
        .unwrap();
    assert_eq!(purged, 1);
    assert!(
        server
            .runtime
            .block_on(store.get_log_row(
                callrec::auth::DEFAULT_TENANT,
                callrec_model::logs::LogKind::PstnCall,
                "pstn-old"
            ))
            .unwrap()
            .is_none(),
        "the purge deleted the row from the store"
    );

    // A period for direct routing hides its rows from the record link too.
    let short = keeping_logs("directRoutingCall=20d");
    short.ingest_bulk(&rows[2..]);
    let linked = short
        .get("/callrec/callRecords/rec-1/directRoutingCalls")
        .json();
    assert_eq!(row_ids(&linked), ["dr-new"]);
    assert_eq!(linked["@odata.count"], 1);
}
