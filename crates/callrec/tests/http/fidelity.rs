//! One test per official example: ingest the records the example shows, send the example's request, and
//! compare the response with the example's JSON. Every property the example shows must match exactly;
//! only the host in URLs and the documented quirks of the examples (placeholder nextLinks, a missing
//! version segment) are set aside.

use serde_json::{Value, json};

use crate::support::{TestServer, assert_contains, example, without_annotations};

const GRAPH: &str = "https://graph.microsoft.com";
const RECORD_ID: &str = "e523d2ed-2966-4b6b-925b-754a88034cc5";

/// Our response with our host replaced by Graph's, so URLs compare.
fn as_graph(server: &TestServer, text: &str) -> Value {
    serde_json::from_str(&text.replace(&server.base, GRAPH)).expect("JSON")
}

/// The example minus its placeholder nextLinks (INDEX.md, defect 4).
fn without_placeholder_links(mut v: Value) -> Value {
    if let Value::Object(m) = &mut v {
        m.retain(|k, _| !k.ends_with("@odata.nextLink"));
    }
    v
}

/// A record built from an example body: the example's properties without its annotations.
fn record_of(example_body: &Value) -> Value {
    without_annotations(example_body)
}

fn check_get(example_file: &str, query: &str) {
    let server = TestServer::start();
    let expected = example(example_file);
    server.ingest(&record_of(&expected));
    let reply = server.get(&format!(
        "/v1.0/communications/callRecords/{RECORD_ID}{query}"
    ));
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_contains(
        &as_graph(&server, &reply.text),
        &without_placeholder_links(expected),
        "$",
    );
}

#[test]
fn get_callrecord() {
    check_get("callrecord-get.response.json", "");
}

#[test]
fn get_callrecord_expand_sessions_segments() {
    check_get(
        "callrecord-get-expand-sessions-segments.response.json",
        "?$expand=sessions($expand=segments)",
    );
}

#[test]
fn get_callrecord_expand_participants_v2() {
    check_get(
        "callrecord-get-expand-participants_v2.response.json",
        "?$expand=participants_v2",
    );
}

fn check_list(example_file: &str, query: &str) {
    let server = TestServer::start();
    // Every record of the list examples is stored, so a filter must leave out the others.
    for item in example("callrecords-list.response.json")["value"]
        .as_array()
        .expect("value")
    {
        server.ingest(&record_of(item));
    }
    let expected = example(example_file);
    let reply = server.get(&format!("/v1.0/communications/callRecords{query}"));
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_contains(&as_graph(&server, &reply.text), &expected, "$");
}

#[test]
fn list_callrecords() {
    check_list("callrecords-list.response.json", "");
}

#[test]
fn list_callrecords_filter_startdatetime() {
    check_list(
        "callrecords-list-filter-startdatetime.response.json",
        "?$filter=startDateTime%20ge%202023-09-25T09:25:00Z%20and%20startDateTime%20lt%202023-09-25T09:30:00Z",
    );
}

#[test]
fn list_callrecords_filter_participant() {
    check_list(
        "callrecords-list-filter-participant.response.json",
        "?$filter=participants_v2/any(p:p/id%20eq%20'821809f5-0000-0000-0000-3b5136c0e777')",
    );
}

/// The head of the Get example with the sessions of a sessions example.
fn record_with_sessions(sessions_example: &str) -> Value {
    let mut record = record_of(&example("callrecord-get.response.json"));
    record["sessions"] = without_annotations(&example(sessions_example)["value"]);
    record
}

#[test]
fn list_sessions() {
    let server = TestServer::start();
    server.ingest(&record_with_sessions(
        "callrecord-list-sessions.response.json",
    ));
    let reply = server.get(&format!(
        "/v1.0/communications/callRecords/{RECORD_ID}/sessions"
    ));
    assert_eq!(reply.status, 200, "{}", reply.text);
    let expected = without_placeholder_links(example("callrecord-list-sessions.response.json"));
    assert_contains(&as_graph(&server, &reply.text), &expected, "$");
}

#[test]
fn list_sessions_expand_segments() {
    let server = TestServer::start();
    server.ingest(&record_with_sessions(
        "callrecord-list-sessions-expand-segments.response.json",
    ));
    let reply = server.get(&format!(
        "/v1.0/communications/callRecords/{RECORD_ID}/sessions?$expand=segments"
    ));
    assert_eq!(reply.status, 200, "{}", reply.text);
    let expected = without_placeholder_links(example(
        "callrecord-list-sessions-expand-segments.response.json",
    ));
    assert_contains(&as_graph(&server, &reply.text), &expected, "$");
}

#[test]
fn list_participants_v2() {
    let server = TestServer::start();
    let id = "614e3ff0-4728-4394-8c03-52fb3b967fde";
    let mut expected = example("callrecord-list-participants_v2.response.json");
    let record = json!({
        "id": id,
        "version": 1,
        "type": "groupCall",
        "modalities": ["audio"],
        "startDateTime": "2023-09-25T09:00:00Z",
        "endDateTime": "2023-09-25T10:00:00Z",
        "lastModifiedDateTime": "2023-09-25T10:30:00Z",
        "participants_v2": without_annotations(&expected["value"]),
    });
    server.ingest(&record);
    let reply = server.get(&format!(
        "/v1.0/communications/callRecords/{id}/participants_v2"
    ));
    assert_eq!(reply.status, 200, "{}", reply.text);
    // The example's context lacks the version segment (a docs quirk, INDEX.md).
    let context = expected["@odata.context"]
        .as_str()
        .expect("context")
        .replace("/$metadata", "/v1.0/$metadata");
    expected["@odata.context"] = Value::String(context);
    assert_contains(
        &as_graph(&server, &reply.text),
        &without_placeholder_links(expected),
        "$",
    );
}
