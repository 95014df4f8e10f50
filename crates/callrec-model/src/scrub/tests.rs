//! Tests of scrubbing: what each kind of record and log row keeps, and what it loses.

use serde_json::{Value, json};

use super::*;
use crate::logs::check_log_row;
use crate::quality::{self, RecordQuality};
use crate::validate::validate_call_record;

/// A PSTN call between a Teams user and a phone, with every kind of personal data the schema carries.
fn pstn_record() -> Value {
    let user = json!({
        "id": "821809f5-0000-0000-0000-3b5136c0e777",
        "displayName": "Abbie Wilkins",
        "tenantId": "dc368399-474c-4d40-900c-6265431fd81f",
        "userPrincipalName": "abbie.wilkins@contoso.com"
    });
    let phone = json!({"id": "+15551234567", "displayName": "Reception"});
    let network = |ip: &str| {
        json!({
            "ipAddress": ip,
            "reflexiveIPAddress": "203.0.113.7",
            "relayIPAddress": "52.114.0.9",
            "macAddress": "00-15-5D-01-02-03",
            "basicServiceSetIdentifier": "aa:bb:cc:dd:ee:ff",
            "subnet": "10.150.0.0",
            "connectionType": "wifi",
            "port": 50012,
            "traceRouteHops": [{"hopCount": 1, "ipAddress": "10.150.0.1", "roundTripTime": "PT0.002S"}]
        })
    };
    json!({
        "id": "c3ad8c4b-4a87-4ab1-bef0-284d2f40ed9f",
        "version": 1,
        "type": "peerToPeer",
        "modalities": ["audio"],
        "lastModifiedDateTime": "2023-09-25T14:18:13Z",
        "startDateTime": "2023-09-25T14:03:36Z",
        "endDateTime": "2023-09-25T14:05:40Z",
        "organizer": {"user": user.clone()},
        "participants": [{"user": user.clone()}, {"phone": phone.clone()}],
        "organizer_v2": {"id": "+15551234567", "identity": {"user": null, "phone": phone.clone()}},
        "participants_v2": [
            {"id": "821809f5-0000-0000-0000-3b5136c0e777", "identity": {"user": user.clone()}},
            {"id": "+15551234567", "identity": {"phone": phone.clone()}}
        ],
        "sessions": [{
            "id": "c3ad8c4b-4a87-4ab1-bef0-284d2f40ed9f",
            "modalities": ["audio"],
            "startDateTime": "2023-09-25T14:03:36Z",
            "endDateTime": "2023-09-25T14:05:40Z",
            "caller": {
                "@odata.type": "#microsoft.graph.callRecords.participantEndpoint",
                "name": "ABBIE-LAPTOP",
                "identity": {"user": user.clone()},
                "userAgent": {
                    "@odata.type": "#microsoft.graph.callRecords.clientUserAgent",
                    "platform": "windows",
                    "productFamily": "teams",
                    "applicationVersion": "24335.208.3315.1951"
                },
                "feedback": {"rating": "poor", "text": "Abbie could not hear Reception"}
            },
            "callee": {
                "@odata.type": "#microsoft.graph.callRecords.participantEndpoint",
                "identity": {"phone": phone.clone()},
                "associatedIdentity": {"id": "+15551234567", "displayName": "Reception desk"},
                "userAgent": {
                    "@odata.type": "#microsoft.graph.callRecords.clientUserAgent",
                    "platform": "unknown",
                    "productFamily": "unknown"
                }
            },
            "segments": [{
                "id": "c3ad8c4b-4a87-4ab1-bef0-284d2f40ed9f",
                "startDateTime": "2023-09-25T14:03:36Z",
                "endDateTime": "2023-09-25T14:05:40Z",
                "caller": {
                    "@odata.type": "#microsoft.graph.callRecords.participantEndpoint",
                    "identity": {"user": user}
                },
                "callee": {
                    "@odata.type": "#microsoft.graph.callRecords.participantEndpoint",
                    "identity": {"phone": phone}
                },
                "media": [{
                    "label": "main-audio",
                    "callerNetwork": network("10.150.0.2"),
                    "calleeNetwork": network("10.150.0.3"),
                    "callerDevice": {"captureDeviceName": "Microphone (Jabra Evolve2 65)"},
                    "streams": [
                        {"streamDirection": "callerToCallee", "averageJitter": "PT0.045S",
                         "averagePacketLossRate": 0.02, "averageRoundTripTime": "PT0.120S"},
                        {"streamDirection": "calleeToCaller", "averageJitter": "PT0.005S",
                         "averagePacketLossRate": 0.001, "averageRoundTripTime": "PT0.090S"}
                    ]
                }]
            }]
        }]
    })
}

/// Every personal value of [`pstn_record`].
const PERSONAL: [&str; 14] = [
    "Abbie Wilkins",
    "abbie.wilkins@contoso.com",
    "+15551234567",
    "Reception",
    "Reception desk",
    "ABBIE-LAPTOP",
    "Abbie could not hear Reception",
    "10.150.0.2",
    "10.150.0.3",
    "10.150.0.1",
    "203.0.113.7",
    "52.114.0.9",
    "00-15-5D-01-02-03",
    "aa:bb:cc:dd:ee:ff",
];

/// Every string value of a JSON tree.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
        Value::Object(map) => map.values().for_each(|i| strings(i, out)),
        _ => {}
    }
}

fn counter() -> impl FnMut() -> String {
    let mut n = 0;
    move || {
        n += 1;
        format!("00000000-0000-4000-8000-{n:012}")
    }
}

fn scrubbed(mut record: Value) -> (Value, Scrubbed) {
    let mut make = counter();
    let mut pseudonyms = Pseudonyms::new(&mut make);
    let done = scrub_record(record.as_object_mut().unwrap(), &mut pseudonyms);
    (record, done)
}

fn quality_of(record: &Value) -> RecordQuality {
    quality::record_quality(record.as_object().unwrap(), &quality::Thresholds::default())
}

#[test]
fn no_personal_value_is_left() {
    let original = pstn_record();
    let mut before = Vec::new();
    strings(&original, &mut before);
    for p in PERSONAL {
        assert!(before.iter().any(|s| s == p), "the fixture holds {p}");
    }
    let (after, done) = scrubbed(original);
    let text = serde_json::to_string(&after).unwrap();
    for p in PERSONAL {
        assert!(!text.contains(p), "{p} is still in {text}");
    }
    assert!(done.cleared > 20, "{done:?}");
    assert_eq!(done.replaced, 8, "every phone id: {done:?}");
}

#[test]
fn what_quality_needs_stays() {
    let original = pstn_record();
    let (after, _) = scrubbed(original.clone());
    let net = &after["sessions"][0]["segments"][0]["media"][0]["callerNetwork"];
    assert_eq!(net["subnet"], "10.150.0.0");
    assert_eq!(net["connectionType"], "wifi");
    assert_eq!(net["port"], 50012);
    assert_eq!(net["traceRouteHops"][0]["roundTripTime"], "PT0.002S");
    assert_eq!(net["ipAddress"], Value::Null);
    assert_eq!(
        after["participants_v2"][0]["id"], "821809f5-0000-0000-0000-3b5136c0e777",
        "an Entra object id is pseudonymous and stays"
    );
    assert_eq!(
        after["sessions"][0]["caller"]["feedback"]["rating"], "poor",
        "the rating stays, its text goes"
    );

    let (q0, q1) = (quality_of(&original), quality_of(&after));
    assert_eq!(q0.streams.len(), 2);
    assert_eq!(q0.verdict(), q1.verdict());
    for (a, b) in q0.streams.iter().zip(&q1.streams) {
        assert_eq!(a.verdict, b.verdict);
        assert_eq!(a.metrics, b.metrics);
        assert_eq!(
            (&a.receiver.subnet, &a.receiver.platform, &a.receiver.device),
            (&b.receiver.subnet, &b.receiver.platform, &b.receiver.device)
        );
        assert_eq!(b.receiver.user_name, None, "the display name is gone");
    }
    assert_eq!(
        q1.streams[1].receiver.user_id.as_deref(),
        Some("821809f5-0000-0000-0000-3b5136c0e777"),
        "the user dimension keeps the object id"
    );
}

#[test]
fn a_phone_number_gets_one_pseudonym_throughout_the_record() {
    let (after, _) = scrubbed(pstn_record());
    let pseudonym = after["organizer_v2"]["id"].as_str().unwrap().to_owned();
    assert!(is_guid(&pseudonym), "{pseudonym}");
    for path in [
        "/organizer_v2/identity/phone/id",
        "/participants_v2/1/id",
        "/participants_v2/1/identity/phone/id",
        "/participants/1/phone/id",
        "/sessions/0/callee/identity/phone/id",
        "/sessions/0/callee/associatedIdentity/id",
        "/sessions/0/segments/0/callee/identity/phone/id",
    ] {
        assert_eq!(after.pointer(path).unwrap(), &pseudonym, "{path}");
    }
}

#[test]
fn a_scrubbed_record_is_still_valid_and_scrubbing_again_changes_nothing() {
    let (once, _) = scrubbed(pstn_record());
    validate_call_record(&once).unwrap_or_else(|e| panic!("{e}"));
    let (twice, done) = scrubbed(once.clone());
    assert_eq!(done.total(), 0, "{done:?}");
    assert_eq!(once, twice);
}

#[test]
fn the_official_example_loses_names_and_addresses_only() {
    let path = format!(
        "{}/../../spec/examples/callrecord-get-expand-sessions-segments.response.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let example: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let (after, done) = scrubbed(example.clone());
    let text = serde_json::to_string(&after).unwrap();
    for gone in [
        "Abbie Wilkins",
        "Owen Franklin",
        "owen.franklin@contoso.com",
        "machineName_2",
        "10.150.0.2",
    ] {
        assert!(!text.contains(gone), "{gone}");
    }
    assert_eq!(done.replaced, 0, "the example has no phone");
    // Everything else is as it was: clearing these properties of the original gives the same JSON.
    let mut expected = example;
    for pointer in [
        "/organizer_v2/identity/user/displayName",
        "/sessions/0/caller/name",
        "/sessions/0/caller/associatedIdentity/displayName",
        "/sessions/0/caller/associatedIdentity/userPrincipalName",
        "/sessions/0/callee/name",
        "/sessions/0/callee/associatedIdentity/displayName",
        "/sessions/0/callee/associatedIdentity/userPrincipalName",
        "/sessions/0/segments/0/media/0/callerNetwork/ipAddress",
    ] {
        *expected.pointer_mut(pointer).expect(pointer) = Value::Null;
    }
    assert_eq!(after, expected);
}

#[test]
fn phone_numbers_are_told_from_other_ids() {
    for phone in [
        "+15551234567",
        "+44 20 7946 0958",
        "tel:+1-555-123-4567",
        "5551234",
    ] {
        assert!(is_phone_number(phone), "{phone}");
    }
    for other in [
        "821809f5-0000-0000-0000-3b5136c0e777",
        "11111111-1111-1111-1111-111111111111",
        "8:acs:1f7a2b3c",
        "1234",
        "+",
        "sip:alice@contoso.com",
        "",
    ] {
        assert!(!is_phone_number(other), "{other}");
    }
}

#[test]
fn a_log_row_loses_numbers_names_and_addresses_and_keeps_the_rest() {
    let row = json!({
        "@odata.type": "#microsoft.graph.callRecords.pstnCallLogRow",
        "id": "9c4984c7-6c3c-427d-a30c-bd0b2eacee90",
        "callId": "1835317186_112562680@61.221.3.176",
        "userId": "db03c14b-06eb-4189-939b-7cbf3a20ba27",
        "userPrincipalName": "richard.malk@contoso.com",
        "userDisplayName": "Richard Malk",
        "startDateTime": "2019-11-01T00:00:08.2589935Z",
        "endDateTime": "2019-11-01T00:03:47.2589935Z",
        "duration": 219,
        "charge": 0.0,
        "callType": "conf_out",
        "currency": "USD",
        "calleeNumber": "+1234567890",
        "usageCountryCode": "US",
        "tenantCountryCode": "US",
        "connectionCharge": 0.0,
        "callerNumber": "+0987654321",
        "destinationContext": null,
        "destinationName": "United States",
        "conferenceId": null,
        "licenseCapability": "MCOPSTNU",
        "inventoryType": "Subscriber",
        "clientPublicIpV4Address": "203.0.113.20"
    });
    let prepared = check_log_row(None, row).unwrap().row;
    assert_eq!(prepared.facts.caller_number.as_deref(), Some("+0987654321"));
    let (body, facts) = scrub_log_row_body(prepared.kind, &prepared.body).unwrap();
    let text = String::from_utf8(body.clone()).unwrap();
    for gone in [
        "richard.malk@contoso.com",
        "Richard Malk",
        "+1234567890",
        "+0987654321",
        "203.0.113.20",
    ] {
        assert!(!text.contains(gone), "{gone} in {text}");
    }
    let after: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(after["userId"], "db03c14b-06eb-4189-939b-7cbf3a20ba27");
    assert_eq!(after["destinationName"], "United States");
    assert_eq!(after["duration"], 219);
    assert_eq!(facts.caller_number, None);
    assert_eq!(facts.callee_number, None);
    assert_eq!(facts.user_principal_name, None);
    assert_eq!(
        facts.user_id.as_deref(),
        Some("db03c14b-06eb-4189-939b-7cbf3a20ba27")
    );
    let dialout = facts.dialout.expect("a conf_out row is a dial-out");
    assert_eq!(dialout.user_display_name, None);
    assert_eq!(dialout.seconds, 219);
    // The scrubbed row is still a valid row of its kind.
    let mut typed = after;
    typed["@odata.type"] = json!("#microsoft.graph.callRecords.pstnCallLogRow");
    check_log_row(None, typed).unwrap();
}

#[test]
fn training_pieces_carry_no_personal_data_and_keep_the_shape() {
    let Value::Object(map) = pstn_record() else {
        unreachable!()
    };
    let prepared = crate::prepare::prepare(map);
    let pieces = scrubbed_pieces(&prepared).unwrap();
    assert_eq!(pieces.len(), prepared.pieces().count());
    let all: String = pieces
        .iter()
        .map(|p| String::from_utf8(p.clone()).unwrap())
        .collect();
    for p in PERSONAL {
        assert!(!all.contains(p), "{p}");
    }
    assert!(
        all.contains("\"averageJitter\":\"PT0.045S\""),
        "the structure stays"
    );
    let original: String = prepared
        .pieces()
        .map(|p| String::from_utf8(p.to_vec()).unwrap())
        .collect();
    assert!(original.contains("Abbie Wilkins"));
}
