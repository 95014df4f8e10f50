//! JSON batching over real HTTP, rule by rule as Graph documents it: up to 20 requests, each run through
//! the application as a request of its own (authorized by the outer token, throttled, enveloped), with
//! `dependsOn` order and 424 for the dependents of a failure; the whole batch a 400 when malformed.
//! On PostgreSQL too when `CALLREC_TEST_POSTGRES` is set (see `support.rs`).

use serde_json::{Value, json};

use crate::auth::{claims, hs256, secured};
use crate::support::{Reply, TestServer, record};
use callrec::throttle::Limit;

const BATCH: &str = "/v1.0/$batch";
const TENANT_A: &str = "aaaaaaaa-0000-0000-0000-00000000000a";
const TENANT_B: &str = "bbbbbbbb-0000-0000-0000-00000000000b";

fn send(server: &TestServer, token: Option<&str>, body: &Value) -> Reply {
    let bearer = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![];
    if let Some(b) = &bearer {
        headers.push(("authorization", b.as_str()));
    }
    server.send("POST", BATCH, &body.to_string(), &headers)
}

fn get(id: &str, url: &str) -> Value {
    json!({ "id": id, "method": "GET", "url": url })
}

/// The responses of a well-formed batch, by id.
#[track_caller]
fn responses(reply: &Reply) -> std::collections::HashMap<String, Value> {
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert!(
        reply
            .header("content-type")
            .is_some_and(|c| c.starts_with("application/json")),
        "{:?}",
        reply.header("content-type")
    );
    reply.json()["responses"]
        .as_array()
        .expect("responses")
        .iter()
        .map(|r| (r["id"].as_str().expect("id").to_owned(), r.clone()))
        .collect()
}

#[test]
fn twenty_gets_answer_with_their_bodies_as_json() {
    let server = TestServer::start();
    let mut requests = Vec::new();
    for i in 0..20 {
        server.ingest(&record(&format!("r{i}"), "2024-01-01T10:00:00Z", 1, 1));
        requests.push(get(
            &i.to_string(),
            &format!("/communications/callRecords/r{i}"),
        ));
    }
    let answered = responses(&send(&server, None, &json!({ "requests": requests })));
    assert_eq!(answered.len(), 20);
    for i in 0..20 {
        let answer = &answered[&i.to_string()];
        assert_eq!(answer["status"], 200, "{answer}");
        assert_eq!(
            answer["body"]["id"],
            format!("r{i}"),
            "a JSON body, not a string"
        );
        assert_eq!(
            answer["headers"]["Content-Type"]
                .as_str()
                .map(|c| c.starts_with("application/json")),
            Some(true),
            "{answer}"
        );
    }
    // The same reads one by one answer the same bodies.
    let alone = server.get("/v1.0/communications/callRecords/r7").json();
    assert_eq!(
        crate::support::without_annotations(&answered["7"]["body"]),
        crate::support::without_annotations(&alone)
    );
}

#[test]
fn a_malformed_batch_is_refused_whole_naming_the_fault() {
    let server = TestServer::start();
    let many: Vec<Value> = (0..21)
        .map(|i| get(&i.to_string(), "/communications/callRecords"))
        .collect();
    let cases = [
        (json!({ "requests": many }), "20"),
        (
            json!({ "requests": [get("a", "/communications/callRecords"), get("A", "/communications/callRecords")] }),
            "more than one request",
        ),
        (
            json!({ "requests": [{"id": "1", "method": "GET", "url": "/communications/callRecords", "dependsOn": ["9"]}] }),
            "'9'",
        ),
        (
            json!({ "requests": [
                {"id": "1", "method": "GET", "url": "/communications/callRecords", "dependsOn": ["2"]},
                {"id": "2", "method": "GET", "url": "/communications/callRecords", "dependsOn": ["1"]}
            ] }),
            "cycle",
        ),
        (json!({ "value": [] }), "requests"),
        (
            json!({ "requests": [{"id": "1", "url": "/communications/callRecords"}] }),
            "method",
        ),
        (
            json!({ "requests": [{"id": "1", "method": "POST", "url": "/communications/callRecords", "body": {}}] }),
            "Content-Type",
        ),
    ];
    for (body, named) in cases {
        let message = send(&server, None, &body).assert_error(400, "BadRequest");
        assert!(message.contains(named), "{body}: {message}");
    }
    let message = server
        .send("POST", BATCH, "{not json", &[])
        .assert_error(400, "invalidRequest");
    assert!(!message.is_empty());
}

#[test]
fn dependents_of_a_failed_request_answer_424_without_running() {
    let server = TestServer::start();
    let record_of = |id: &str| record(id, "2024-01-01T10:00:00Z", 1, 1);
    let post = |id: &str, rec: Value, depends: &[&str]| {
        json!({
            "id": id, "method": "POST", "url": "/communications/callRecords",
            "headers": {"Content-Type": "application/json"}, "body": rec, "dependsOn": depends
        })
    };
    let body = json!({ "requests": [
        get("missing", "/communications/callRecords/nothing-here"),
        post("after-missing", record_of("never"), &["missing"]),
        { "id": "chained", "method": "GET", "url": "/communications/callRecords/never", "dependsOn": ["after-missing"] },
        post("write", record_of("written"), &[]),
        { "id": "read", "method": "GET", "url": "/communications/callRecords/written", "dependsOn": ["write"] },
        // The key one SDK writes beside dependsOn is unknown to Graph, and ignored.
        { "id": "sdk", "method": "GET", "url": "/communications/callRecords/written", "dependsOn": ["write"], "depends_on": ["nothing"] },
    ] });
    let answered = responses(&send(&server, None, &body));
    assert_eq!(answered["missing"]["status"], 404);
    for id in ["after-missing", "chained"] {
        assert_eq!(answered[id]["status"], 424, "{}", answered[id]);
        assert_eq!(answered[id]["body"]["error"]["code"], "FailedDependency");
    }
    assert_eq!(answered["write"]["status"], 201, "{}", answered["write"]);
    assert_eq!(answered["read"]["status"], 200, "{}", answered["read"]);
    assert_eq!(answered["read"]["body"]["id"], "written");
    assert_eq!(answered["sdk"]["status"], 200, "{}", answered["sdk"]);
    // The dependent write never ran; the independent one is kept.
    assert_eq!(
        server.get("/v1.0/communications/callRecords/never").status,
        404
    );
    assert_eq!(
        server
            .get("/v1.0/communications/callRecords/written")
            .status,
        200
    );
}

#[test]
fn item_urls_are_relative_to_the_version_and_decoded_as_top_level_urls() {
    let server = TestServer::start();
    server.ingest(&record("r1", "2024-01-01T10:00:00Z", 2, 1));
    let body = json!({ "requests": [
        get("encoded", "/communications/callRecords/r1?%24expand=sessions"),
        get("bare", "communications/callRecords/r1?$select=id"),
        get("absolute", "https://graph.microsoft.com/v1.0/communications/callRecords/r1"),
        get("versioned", "/v1.0/communications/callRecords/r1"),
        get("nested", "/$batch"),
    ] });
    let answered = responses(&send(&server, None, &body));
    assert_eq!(
        answered["encoded"]["status"], 200,
        "{}",
        answered["encoded"]
    );
    assert_eq!(
        answered["encoded"]["body"]["sessions"]
            .as_array()
            .map(Vec::len),
        Some(2)
    );
    assert_eq!(answered["bare"]["status"], 200, "{}", answered["bare"]);
    for id in ["absolute", "versioned"] {
        assert_eq!(answered[id]["status"], 400, "{}", answered[id]);
        let message = answered[id]["body"]["error"]["message"]
            .as_str()
            .unwrap_or("");
        assert!(message.contains("relative to the version"), "{message}");
    }
    assert_eq!(answered["nested"]["status"], 400, "{}", answered["nested"]);
}

#[test]
fn next_links_inside_a_batch_are_absolute_on_the_server() {
    let server = TestServer::start();
    for i in 0..3 {
        server.ingest(&record(&format!("r{i}"), "2024-01-01T10:00:00Z", 1, 1));
    }
    let body = json!({ "requests": [{
        "id": "1", "method": "GET", "url": "/communications/callRecords",
        "headers": {"Prefer": "odata.maxpagesize=1"}
    }] });
    let answered = responses(&send(&server, None, &body));
    let next = answered["1"]["body"]["@odata.nextLink"]
        .as_str()
        .unwrap_or_else(|| panic!("a nextLink: {}", answered["1"]));
    assert!(next.starts_with(&server.url("/v1.0/")), "{next}");
    assert_eq!(server.get(next).status, 200);
}

#[test]
fn the_outer_token_authorizes_each_request_within_its_own_tenant() {
    let server = secured(|_| {});
    let write = |tenant: &str| hs256(&claims(tenant, &[callrec::auth::CALL_RECORDS_WRITE]));
    let read_a = hs256(&claims(TENANT_A, &[callrec::auth::CALL_RECORDS_READ]));
    for (tenant, id) in [(TENANT_A, "mine"), (TENANT_B, "theirs")] {
        let reply = server.send(
            "POST",
            "/v1.0/communications/callRecords",
            &record(id, "2024-01-01T10:00:00Z", 1, 1).to_string(),
            &[("authorization", &format!("Bearer {}", write(tenant)))],
        );
        assert_eq!(reply.status, 201, "{}", reply.text);
    }
    let body = json!({ "requests": [
        get("mine", "/communications/callRecords/mine"),
        get("theirs", "/communications/callRecords/theirs"),
        { "id": "write", "method": "DELETE", "url": "/communications/callRecords/mine" },
    ] });
    send(&server, None, &body).assert_error(401, "InvalidAuthenticationToken");
    let answered = responses(&send(&server, Some(&read_a), &body));
    assert_eq!(answered["mine"]["status"], 200, "{}", answered["mine"]);
    assert_eq!(
        answered["theirs"]["status"], 404,
        "another tenant's record is not found"
    );
    assert_eq!(
        answered["write"]["status"], 403,
        "a reader cannot delete: {}",
        answered["write"]
    );
    let all = responses(&send(
        &server,
        Some(&read_a),
        &json!({ "requests": [get("list", "/communications/callRecords")] }),
    ));
    let ids: Vec<&str> = all["list"]["body"]["value"]
        .as_array()
        .expect("value")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(ids, ["mine"]);
}

#[test]
fn each_request_is_throttled_on_its_own_with_retry_after() {
    let limits = callrec::throttle::Limits {
        record: Limit::new(2, 30),
        ..Default::default()
    };
    let server = secured(|c| c.throttle = Some(limits));
    let write = hs256(&claims(TENANT_A, &[callrec::auth::CALL_RECORDS_WRITE]));
    let reply = server.send(
        "POST",
        "/v1.0/communications/callRecords",
        &record("r1", "2024-01-01T10:00:00Z", 1, 1).to_string(),
        &[("authorization", &format!("Bearer {write}"))],
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    let read = hs256(&claims(TENANT_A, &[callrec::auth::CALL_RECORDS_READ]));
    let body = json!({ "requests": [
        get("1", "/communications/callRecords/r1"),
        { "id": "2", "method": "GET", "url": "/communications/callRecords/r1", "dependsOn": ["1"] },
        { "id": "3", "method": "GET", "url": "/communications/callRecords/r1", "dependsOn": ["2"] },
    ] });
    let answered = responses(&send(&server, Some(&read), &body));
    assert_eq!(answered["1"]["status"], 200);
    assert_eq!(answered["2"]["status"], 200);
    assert_eq!(answered["3"]["status"], 429, "{}", answered["3"]);
    let retry: u64 = answered["3"]["headers"]["Retry-After"]
        .as_str()
        .and_then(|r| r.parse().ok())
        .unwrap_or_else(|| panic!("Retry-After: {}", answered["3"]));
    assert!((1..=30).contains(&retry), "Retry-After {retry}");
}
