//! Every documented error path: a 4xx in Graph's error format that names what is wrong.

use serde_json::json;

use crate::support::{TestServer, record};

const RECORDS: &str = "/v1.0/communications/callRecords";

fn rejected_body(server: &TestServer, body: &str) -> String {
    server
        .send("POST", RECORDS, body, &[])
        .assert_error(400, "invalidRequest")
}

#[test]
fn malformed_records_name_the_json_path() {
    let server = TestServer::start();
    let check = |mutate: &dyn Fn(&mut serde_json::Value), needle: &str| {
        let mut rec = record("bad", "2024-01-01T10:00:00Z", 1, 1);
        mutate(&mut rec);
        let message = rejected_body(&server, &rec.to_string());
        assert!(
            message.contains(needle),
            "expected '{needle}' in: {message}"
        );
    };
    check(&|r| r["version"] = json!("two"), "$.version");
    check(
        &|r| r["startDateTime"] = json!("2024-13-01T00:00:00Z"),
        "$.startDateTime",
    );
    check(
        &|r| {
            r["sessions"][0]["segments"][0]["media"] = json!([{"streams": [{"streamDirection": "callerToCallee", "averageJitter": "16ms"}]}])
        },
        "$.sessions[0].segments[0].media[0].streams[0].averageJitter",
    );
    check(
        &|r| {
            r.as_object_mut().map(|m| m.remove("id"));
        },
        "id",
    );
    check(&|r| r["id"] = json!("a/b"), "$.id");
    check(&|r| r["id"] = json!(42), "$.id");
    check(
        &|r| {
            r["sessions"][0]["caller"]["@odata.type"] =
                json!("#microsoft.graph.callRecords.noSuchEndpoint")
        },
        "$.sessions[0].caller",
    );
    check(&|r| r["modalities"] = json!("audio"), "$.modalities");
    // Nothing of a rejected record is stored.
    server
        .get("/v1.0/communications/callRecords/bad")
        .assert_error(404, "itemNotFound");
}

#[test]
fn malformed_bodies() {
    let server = TestServer::start();
    let m = rejected_body(&server, "{\"id\": ");
    assert!(m.contains("not valid JSON"), "{m}");
    let m = rejected_body(&server, "");
    assert!(m.contains("empty"), "{m}");
    let m = rejected_body(&server, "[1,2]");
    assert!(m.contains('$'), "{m}");
    let m = server
        .send("POST", RECORDS, "{}", &[("content-type", "text/plain")])
        .assert_error(415, "UnsupportedMediaType");
    assert!(m.contains("text/plain"), "{m}");
}

#[test]
fn unknown_routes_and_methods() {
    let server = TestServer::start();
    let m = server
        .get("/v1.0/communications/callRecordz")
        .assert_error(400, "BadRequest");
    assert!(m.contains("callRecordz"), "{m}");
    server
        .send("PATCH", "/v1.0/communications/callRecords/x", "{}", &[])
        .assert_error(405, "MethodNotAllowed");
    server
        .send("DELETE", RECORDS, "", &[])
        .assert_error(405, "MethodNotAllowed");
}

#[test]
fn bad_query_options_are_refused_precisely() {
    let server = TestServer::start();
    server.ingest(&record("q", "2024-01-01T10:00:00Z", 1, 1));
    let cases: &[(&str, &str)] = &[
        (
            "/v1.0/communications/callRecords?$filter=startDateTime%20ge",
            "$filter",
        ),
        (
            "/v1.0/communications/callRecords?$filter=startDateTime%20ge%202024-01-01T00:00:00Z%20and%20(",
            "position",
        ),
        (
            "/v1.0/communications/callRecords?$filter=joinWebUrl%20eq%20'x'",
            "joinWebUrl",
        ),
        ("/v1.0/communications/callRecords?$search=abc", "$search"),
        (
            "/v1.0/communications/callRecords?$expand=sessions",
            "$expand",
        ),
        ("/v1.0/communications/callRecords?$top=-1", "$top"),
        (
            "/v1.0/communications/callRecords?$orderby=joinWebUrl",
            "joinWebUrl",
        ),
        (
            "/v1.0/communications/callRecords?$skiptoken=garbage",
            "$skiptoken",
        ),
        ("/v1.0/communications/callRecords?$select=nope", "nope"),
        (
            "/v1.0/communications/callRecords/q?$expand=segments",
            "segments",
        ),
        (
            "/v1.0/communications/callRecords/q?$expand=sessions($expand=media)",
            "media",
        ),
        (
            "/v1.0/communications/callRecords/q?$filter=id%20eq%20'q'",
            "$filter",
        ),
        (
            "/v1.0/communications/callRecords/q/sessions?$expand=participants_v2",
            "participants_v2",
        ),
        (
            "/v1.0/communications/callRecords/q/participants_v2?$expand=x",
            "$expand",
        ),
    ];
    for (url, needle) in cases {
        let reply = server.get(url);
        let m = reply.assert_error(400, "BadRequest");
        assert!(m.contains(needle), "{url}: expected '{needle}' in: {m}");
    }
}

#[test]
fn bad_headers_are_refused() {
    let server = TestServer::start();
    server
        .get_with(
            "/v1.0/communications/callRecords",
            &[("Prefer", "odata.maxpagesize=zero")],
        )
        .assert_error(400, "BadRequest");
    server
        .get_with(
            "/v1.0/communications/callRecords",
            &[("Accept", "text/html")],
        )
        .assert_error(406, "NotAcceptable");
    let ok = server.get_with(
        "/v1.0/communications/callRecords",
        &[("Accept", "application/json;odata.metadata=minimal")],
    );
    assert_eq!(ok.status, 200);
}

#[test]
fn malformed_ids_in_the_url() {
    let server = TestServer::start();
    for url in [
        "/v1.0/communications/callRecords/a%20b",
        "/v1.0/communications/callRecords/a%2Fb/sessions",
        "/v1.0/communications/callRecords/x/sessions/%22s%22",
        "/v1.0/communications/callRecords/x/participants_v2/p%09",
    ] {
        let m = server.get(url).assert_error(400, "BadRequest");
        assert!(m.contains("malformed"), "{url}: {m}");
    }
}
