//! Fault injection over real HTTP: injected errors in Graph's format with `Retry-After`, added latency, and
//! records that are not available yet, set by `serve`'s settings or at run time through `/callrec/faults`.

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant};

use callrec::auth;
use callrec::faults::{FAULT_STATUSES, FaultSettings};
use callrec::http::ApiConfig;
use serde_json::{Value, json};
use time::format_description::well_known::Rfc3339;

use crate::auth::{claims, rs256, secured};
use crate::support::{Reply, TestServer, record};

const RECORDS: &str = "/v1.0/communications/callRecords";
const FAULTS: &str = "/callrec/faults";

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

fn put_faults(server: &TestServer, settings: &Value) -> Reply {
    server.send("PUT", FAULTS, &settings.to_string(), &[])
}

#[test]
fn faults_are_set_read_and_cleared_through_the_endpoint() {
    let server = TestServer::start();
    let defaults = server.get(FAULTS);
    assert_eq!(defaults.status, 200, "{}", defaults.text);
    assert_eq!(defaults.json()["errorRate"], 0.0);
    assert_eq!(defaults.json()["errorStatuses"], json!(FAULT_STATUSES));
    assert_eq!(server.get(RECORDS).status, 200);

    let set = put_faults(
        &server,
        &json!({ "errorRate": 1, "errorStatuses": [503], "retryAfterSeconds": 4 }),
    );
    assert_eq!(set.status, 200, "{}", set.text);
    // The answer is the whole of the settings in force: what was left out has its default.
    assert_eq!(set.json()["errorStatuses"], json!([503]));
    assert_eq!(set.json()["latencyMs"], 0);
    assert_eq!(set.json()["seed"], Value::Null);
    for path in [RECORDS, "/beta/communications/callRecords/x"] {
        let reply = server.get(path);
        reply.assert_error(503, "serviceNotAvailable");
        assert_eq!(reply.header("retry-after"), Some("4"));
        assert_eq!(reply.header("callrec-fault"), Some("injected"));
    }
    // The endpoint itself is not Graph's, so it answers while every Graph request fails.
    assert_eq!(server.get(FAULTS).json(), set.json());
    assert_eq!(server.state.faults.settings().error_statuses, vec![503]);

    let cleared = server.send("DELETE", FAULTS, "", &[]);
    assert_eq!(cleared.status, 204, "{}", cleared.text);
    assert_eq!(cleared.text, "");
    assert_eq!(server.get(RECORDS).status, 200);
    assert_eq!(server.get(FAULTS).json(), defaults.json());

    // `{}` is the defaults too.
    assert_eq!(put_faults(&server, &json!({ "errorRate": 1 })).status, 200);
    let failed = server.get(RECORDS);
    assert!(
        FAULT_STATUSES.contains(&failed.status),
        "{} {}",
        failed.status,
        failed.text
    );
    assert_eq!(failed.header("callrec-fault"), Some("injected"));
    assert_eq!(put_faults(&server, &json!({})).json(), defaults.json());
    assert_eq!(server.get(RECORDS).status, 200);
}

#[test]
fn the_availability_delay_is_set_through_the_endpoint() {
    let server = TestServer::start();
    server.ingest(&record("fresh", &ago(time::Duration::minutes(5)), 1, 1));
    assert_eq!(server.get(&format!("{RECORDS}/fresh")).status, 200);
    let set = put_faults(&server, &json!({ "availabilityDelaySeconds": 1800 }));
    assert_eq!(set.status, 200, "{}", set.text);
    server
        .get(&format!("{RECORDS}/fresh"))
        .assert_error(404, "itemNotFound");
    assert_eq!(server.get(RECORDS).json()["value"], json!([]));
    assert_eq!(server.send("DELETE", FAULTS, "", &[]).status, 204);
    assert_eq!(server.get(&format!("{RECORDS}/fresh")).status, 200);
}

#[test]
fn invalid_settings_are_refused_naming_the_field_and_change_nothing() {
    let server = TestServer::start();
    let kept = put_faults(&server, &json!({ "latencyJitterMs": 5, "seed": 3 }));
    assert_eq!(kept.status, 200, "{}", kept.text);
    for (body, field) in [
        (r#"{"errorRate":1.5}"#, "errorRate"),
        (r#"{"errorRate":-0.1}"#, "errorRate"),
        (r#"{"errorRate":"often"}"#, "errorRate"),
        (r#"{"errorStatuses":[404]}"#, "errorStatuses"),
        (r#"{"errorStatuses":[]}"#, "errorStatuses"),
        (r#"{"errorRate":0.5,"latencyMs":"slow"}"#, "latencyMs"),
        (r#"{"retryAfterSeconds":-1}"#, "retryAfterSeconds"),
        (r#"{"seed":"abc"}"#, "seed"),
        (r#"{"errorRat":0.5}"#, "errorRat"),
    ] {
        let reply = server.send("PUT", FAULTS, body, &[]);
        let message = reply.assert_error(400, "invalidRequest");
        assert!(message.contains(field), "{body}: {message}");
    }
    for body in ["", "[]", "{", "0.5"] {
        server
            .send("PUT", FAULTS, body, &[])
            .assert_error(400, "invalidRequest");
    }
    assert_eq!(server.get(FAULTS).json(), kept.json());
    assert_eq!(server.get(RECORDS).status, 200);
    for method in ["POST", "PATCH"] {
        server
            .send(method, FAULTS, "{}", &[])
            .assert_error(405, "MethodNotAllowed");
    }
}

#[test]
fn faults_need_the_read_write_permission_and_hold_for_every_tenant() {
    let server = secured(|_| {});
    let tenant_a = "aaaaaaaa-0000-0000-0000-00000000000a";
    let tenant_b = "bbbbbbbb-0000-0000-0000-00000000000b";
    let reader = rs256(&claims(tenant_a, &[auth::CALL_RECORDS_READ]));
    let writer = rs256(&claims(tenant_a, &[auth::CALL_RECORDS_WRITE]));
    let other_reader = rs256(&claims(tenant_b, &[auth::CALL_RECORDS_READ]));
    let as_caller = |token: Option<&str>, method: &str, body: &str| {
        let bearer = token.map(|t| format!("Bearer {t}"));
        let headers: Vec<(&str, &str)> = bearer
            .as_deref()
            .map(|b| ("authorization", b))
            .into_iter()
            .collect();
        server.send(method, FAULTS, body, &headers)
    };
    let faulty = r#"{"errorRate":1,"errorStatuses":[502]}"#;

    as_caller(None, "PUT", faulty).assert_error(401, "InvalidAuthenticationToken");
    for method in ["GET", "PUT", "DELETE"] {
        let body = if method == "PUT" { faulty } else { "" };
        let message = as_caller(Some(&reader), method, body).assert_error(403, "accessDenied");
        assert!(message.contains(auth::CALL_RECORDS_WRITE), "{message}");
    }
    assert_eq!(server.get_as(&other_reader, RECORDS).status, 200);

    let set = as_caller(Some(&writer), "PUT", faulty);
    assert_eq!(set.status, 200, "{}", set.text);
    // The settings are the server's, not a tenant's.
    server
        .get_as(&other_reader, RECORDS)
        .assert_error(502, "BadGateway");
    assert_eq!(as_caller(Some(&writer), "GET", "").json(), set.json());
    assert_eq!(as_caller(Some(&writer), "DELETE", "").status, 204);
    assert_eq!(server.get_as(&other_reader, RECORDS).status, 200);
}

/// The schema `/openapi.json` gives the settings has exactly the fields the endpoint answers with, and their
/// defaults.
#[test]
fn the_documented_schema_matches_the_settings() {
    let server = TestServer::start();
    let doc = server.get("/openapi.json").json();
    let schema = &doc["components"]["schemas"]["callrec.faultSettings"];
    let served = server.get(FAULTS).json();
    let served = served.as_object().expect("an object");
    let properties = schema["properties"].as_object().expect("properties");
    assert_eq!(
        properties.keys().collect::<BTreeSet<_>>(),
        served.keys().collect::<BTreeSet<_>>()
    );
    for (name, value) in served {
        assert_eq!(&properties[name]["default"], value, "{name}");
    }
    assert_eq!(
        doc["paths"][FAULTS]["put"]["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/callrec.faultSettings"
    );
}
