//! Fault injection over real HTTP: injected errors in Graph's format with `Retry-After`, added latency, and
//! records that are not available yet.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use callrec::api::ApiConfig;
use callrec::faults::FaultSettings;
use time::format_description::well_known::Rfc3339;

use crate::support::{TestServer, record};

const RECORDS: &str = "/v1.0/communications/callRecords";

fn with_faults(settings: FaultSettings) -> TestServer {
    TestServer::start_with(ApiConfig {
        faults: settings,
        ..ApiConfig::default()
    })
}

fn ago(d: time::Duration) -> String {
    (time::OffsetDateTime::now_utc() - d)
        .replace_nanosecond(0)
        .unwrap()
        .format(&Rfc3339)
        .unwrap()
}

#[test]
fn every_request_fails_at_rate_one_in_graphs_format() {
    let server = with_faults(FaultSettings {
        error_rate: 1.0,
        error_statuses: vec![503],
        retry_after_seconds: 3,
        ..FaultSettings::default()
    });
    for path in [RECORDS, "/beta/communications/callRecords/x"] {
        let reply = server.get(path);
        reply.assert_error(503, "serviceNotAvailable");
        assert_eq!(reply.header("retry-after"), Some("3"));
        assert_eq!(reply.header("callrec-fault"), Some("injected"));
    }
    // callrec's own endpoints are not Graph's and never fail on purpose.
    assert_eq!(server.get("/healthz").status, 200);
    assert_eq!(server.get("/openapi.json").status, 200);
    server.ingest_bulk(&[record("r1", "2024-01-01T10:00:00Z", 1, 1)]);
}

#[test]
fn each_status_has_its_graph_code() {
    let server = with_faults(FaultSettings {
        error_rate: 1.0,
        seed: Some(42),
        ..FaultSettings::default()
    });
    let mut seen = BTreeMap::new();
    for _ in 0..200 {
        let reply = server.get(RECORDS);
        let code = reply.json()["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned();
        assert!(reply.header("retry-after").is_some(), "{}", reply.text);
        seen.insert(reply.status, code);
    }
    let expected: BTreeMap<u16, String> = [
        (429, "TooManyRequests"),
        (500, "generalException"),
        (502, "BadGateway"),
        (503, "serviceNotAvailable"),
        (504, "GatewayTimeout"),
    ]
    .into_iter()
    .map(|(s, c)| (s, c.to_owned()))
    .collect();
    assert_eq!(seen, expected);
    let throttled = (0..50)
        .map(|_| server.get(RECORDS))
        .find(|r| r.status == 429)
        .expect("a 429 in 50 draws");
    let inner = &throttled.json()["error"]["innerError"];
    assert_eq!(inner["status"], "429");
    assert_eq!(inner["code"], "429");
}

#[test]
fn a_rate_fails_about_that_share_and_can_be_switched_off_while_running() {
    let server = with_faults(FaultSettings {
        error_rate: 0.3,
        error_statuses: vec![500],
        seed: Some(9),
        ..FaultSettings::default()
    });
    let failures = (0..200)
        .filter(|_| {
            let reply = server.get(RECORDS);
            assert!(reply.status == 200 || reply.status == 500, "{}", reply.text);
            reply.status == 500
        })
        .count();
    assert!((30..=90).contains(&failures), "{failures} of 200 failed");
    server.state.faults.set(FaultSettings::default());
    assert!((0..50).all(|_| server.get(RECORDS).status == 200));
}

#[test]
fn latency_is_added() {
    let server = with_faults(FaultSettings {
        latency_ms: 300,
        ..FaultSettings::default()
    });
    let started = Instant::now();
    assert_eq!(server.get(RECORDS).status, 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    server.state.faults.set(FaultSettings::default());
    let started = Instant::now();
    assert_eq!(server.get(RECORDS).status, 200);
    assert!(started.elapsed() < Duration::from_millis(300));
}

#[test]
fn a_new_record_is_not_available_until_the_delay_has_passed() {
    let server = with_faults(FaultSettings {
        availability_delay_seconds: 30 * 60,
        ..FaultSettings::default()
    });
    let fresh = record("fresh", &ago(time::Duration::minutes(5)), 1, 1);
    let settled = record("settled", &ago(time::Duration::hours(3)), 1, 1);
    server.ingest(&fresh);
    server.ingest(&settled);
    for path in ["fresh", "fresh/sessions", "fresh/participants_v2"] {
        server
            .get(&format!("{RECORDS}/{path}"))
            .assert_error(404, "itemNotFound");
    }
    let list = server.get(&format!("{RECORDS}?$count=true")).json();
    assert_eq!(list["@odata.count"], 1);
    assert_eq!(list["value"][0]["id"], "settled");
    assert_eq!(server.get(&format!("{RECORDS}/settled")).status, 200);

    // A record whose call ended 2 s ago with a 3 s delay appears by itself.
    server.state.faults.set(FaultSettings {
        availability_delay_seconds: 3,
        ..FaultSettings::default()
    });
    assert_eq!(server.get(&format!("{RECORDS}/fresh")).status, 200);
    let just_now = record("just-now", &ago(time::Duration::seconds(1)), 1, 1);
    server.ingest(&just_now);
    server
        .get(&format!("{RECORDS}/just-now"))
        .assert_error(404, "itemNotFound");
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(server.get(&format!("{RECORDS}/just-now")).status, 200);
}
