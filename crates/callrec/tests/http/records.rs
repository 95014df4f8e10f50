//! Ingestion and reading of whole records: create, round trip, versions, replace, delete, bulk import.

use serde_json::{Value, json};

use crate::support::{TestServer, example, record, without_annotations};

const RECORDS: &str = "/v1.0/communications/callRecords";

#[test]
fn post_creates_and_returns_the_stored_record() {
    let server = TestServer::start();
    let rec = record("r1", "2024-01-01T10:00:00Z", 2, 3);
    let reply = server.post(RECORDS, &rec);
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(
        reply.header("location"),
        Some(format!("{}/v1.0/communications/callRecords/r1", server.base).as_str())
    );
    assert_eq!(reply.header("callrec-ingest-outcome"), Some("created"));
    let body = reply.json();
    assert_eq!(body["id"], "r1");
    assert_eq!(body["sessions"].as_array().map(Vec::len), Some(2));
    assert_eq!(body["participants_v2"].as_array().map(Vec::len), Some(3));
}

#[test]
fn a_record_reads_back_with_the_same_keys_and_values() {
    let server = TestServer::start();
    // The richest example record: sessions with segments, media, streams, endpoints, feedback.
    let mut rec = without_annotations(&example("callrecord-get.response.json"));
    rec["sessions"] = without_annotations(
        &example("callrecord-list-sessions-expand-segments.response.json")["value"],
    );
    rec["participants_v2"] = without_annotations(
        &example("callrecord-get-expand-participants_v2.response.json")["participants_v2"],
    );
    rec["someFutureProperty"] = json!({"kept": [1, 2.5, null, "x"]});
    server.ingest(&rec);
    let reply = server.get("/v1.0/communications/callRecords/e523d2ed-2966-4b6b-925b-754a88034cc5?$expand=sessions($expand=segments),participants_v2");
    assert_eq!(reply.status, 200, "{}", reply.text);
    let got = without_annotations(&reply.json());
    assert_eq!(
        got, rec,
        "the record read back differs from the one written"
    );
}

#[test]
fn an_unknown_id_is_item_not_found() {
    let server = TestServer::start();
    let message = server
        .get("/v1.0/communications/callRecords/nope")
        .assert_error(404, "itemNotFound");
    assert!(message.contains("nope"), "{message}");
    server
        .get("/v1.0/communications/callRecords/nope/sessions")
        .assert_error(404, "itemNotFound");
    server
        .get("/v1.0/communications/callRecords/nope/participants_v2")
        .assert_error(404, "itemNotFound");
    server
        .get("/v1.0/communications/callRecords/nope/organizer_v2")
        .assert_error(404, "itemNotFound");
}

#[test]
fn versions_newer_replaces_older_is_ignored() {
    let server = TestServer::start();
    let mut v2 = record("r1", "2024-01-01T10:00:00Z", 3, 1);
    v2["version"] = json!(2);
    server.ingest(&v2);
    let v1 = record("r1", "2024-01-01T10:00:00Z", 1, 1);
    let reply = server.post(RECORDS, &v1);
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("callrec-ingest-outcome"), Some("stale"));
    assert_eq!(
        reply.json()["version"],
        2,
        "the stored newer version is returned"
    );
    let mut v3 = record("r1", "2024-01-01T10:00:00Z", 1, 1);
    v3["version"] = json!(3);
    let reply = server.post(RECORDS, &v3);
    assert_eq!(reply.header("callrec-ingest-outcome"), Some("replaced"));
    let got = server
        .get("/v1.0/communications/callRecords/r1?$expand=sessions")
        .json();
    assert_eq!(got["version"], 3);
    assert_eq!(
        got["sessions"].as_array().map(Vec::len),
        Some(1),
        "a newer version replaces the sessions whole"
    );
}

#[test]
fn put_creates_then_replaces_bumping_the_version() {
    let server = TestServer::start();
    let mut rec = record("r9", "2024-01-01T10:00:00Z", 1, 1);
    rec.as_object_mut().expect("object").remove("id");
    let reply = server.send(
        "PUT",
        "/v1.0/communications/callRecords/r9",
        &rec.to_string(),
        &[],
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    assert_eq!(reply.json()["id"], "r9");
    let reply = server.send(
        "PUT",
        "/v1.0/communications/callRecords/r9",
        &rec.to_string(),
        &[],
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    assert_eq!(
        body["version"], 2,
        "a replace without a higher version bumps it"
    );
    assert_ne!(
        body["lastModifiedDateTime"], "2024-01-01T10:00:00Z",
        "and sets lastModifiedDateTime"
    );
    let mut mismatched = rec.clone();
    mismatched["id"] = json!("other");
    let message = server
        .send(
            "PUT",
            "/v1.0/communications/callRecords/r9",
            &mismatched.to_string(),
            &[],
        )
        .assert_error(400, "invalidRequest");
    assert!(message.contains("$.id"), "{message}");
}

#[test]
fn delete_removes_the_record() {
    let server = TestServer::start();
    server.ingest(&record("gone", "2024-01-01T10:00:00Z", 1, 1));
    let reply = server.send("DELETE", "/v1.0/communications/callRecords/gone", "", &[]);
    assert_eq!(reply.status, 204, "{}", reply.text);
    server
        .get("/v1.0/communications/callRecords/gone")
        .assert_error(404, "itemNotFound");
    server
        .send("DELETE", "/v1.0/communications/callRecords/gone", "", &[])
        .assert_error(404, "itemNotFound");
}

#[test]
fn bulk_import_rejects_only_the_bad_lines() {
    let server = TestServer::start();
    let good1 = record("b1", "2024-01-01T10:00:00Z", 1, 1).to_string();
    let good2 = record("b2", "2024-01-01T11:00:00Z", 1, 1).to_string();
    let mut bad = record("b3", "2024-01-01T12:00:00Z", 1, 1);
    bad["sessions"][0]["segments"][0]["startDateTime"] = json!("not a date");
    let body = format!("{good1}\n{{not json\n{bad}\n\n{good2}\n");
    let reply = server.send(
        "POST",
        "/callrec/import",
        &body,
        &[("content-type", "application/x-ndjson")],
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    let summary = reply.json();
    assert_eq!(summary["imported"], 2, "{summary}");
    assert_eq!(summary["rejected"], 2, "{summary}");
    let rejections = summary["rejections"].as_array().expect("rejections");
    assert_eq!(rejections[0]["line"], 2);
    assert_eq!(rejections[1]["line"], 3);
    assert_eq!(
        rejections[1]["path"],
        "$.sessions[0].segments[0].startDateTime"
    );
    server
        .get("/v1.0/communications/callRecords/b3")
        .assert_error(404, "itemNotFound");
    assert_eq!(
        server.get("/v1.0/communications/callRecords/b2").status,
        200
    );
}

#[test]
fn bulk_import_takes_arrays_and_collection_pages() {
    let server = TestServer::start();
    let page = example("callrecords-list.response.json");
    let reply = server.send("POST", "/callrec/import", &page.to_string(), &[]);
    assert_eq!(reply.json()["imported"], 2, "{}", reply.text);
    let array = Value::Array(vec![
        record("a1", "2024-01-01T10:00:00Z", 1, 1),
        record("a2", "2024-01-01T10:00:00Z", 1, 1),
    ]);
    let reply = server.send("POST", "/callrec/import", &array.to_string(), &[]);
    assert_eq!(reply.json()["imported"], 2, "{}", reply.text);
}

#[test]
fn oddities_graph_produces_are_accepted_and_counted() {
    let server = TestServer::start();
    let mut odd = record("odd", "2024-01-01T10:00:00Z", 1, 1);
    odd["endDateTime"] = json!("2024-01-01T09:00:00Z");
    odd["sessions"][0]["segments"][0]["media"] = json!([{"label": "main-audio", "streams": []}]);
    let summary = server.ingest_bulk(&[odd.clone()]);
    assert_eq!(summary["imported"], 1, "{summary}");
    assert!(summary["warnings"].as_u64().unwrap_or(0) >= 2, "{summary}");
    let got = server.get("/v1.0/communications/callRecords/odd").json();
    assert_eq!(
        got["endDateTime"], "2024-01-01T09:00:00Z",
        "accepted as it is, not altered"
    );
}

#[test]
fn contained_resources_are_addressable() {
    let server = TestServer::start();
    server.ingest(&record("c1", "2024-01-01T10:00:00Z", 2, 2));
    let s = server.get("/v1.0/communications/callRecords/c1/sessions/s1");
    assert_eq!(s.status, 200, "{}", s.text);
    assert_eq!(s.json()["id"], "s1");
    assert!(
        s.json()["@odata.context"]
            .as_str()
            .unwrap_or_default()
            .ends_with("callRecords('c1')/sessions/$entity")
    );
    let segs = server
        .get("/v1.0/communications/callRecords/c1/sessions/s1/segments")
        .json();
    assert_eq!(segs["value"][0]["id"], "g1");
    let seg = server
        .get("/v1.0/communications/callRecords/c1/sessions/s1/segments/g1")
        .json();
    assert_eq!(seg["id"], "g1");
    let p = server
        .get("/v1.0/communications/callRecords/c1/participants_v2/p1")
        .json();
    assert_eq!(p["id"], "p1");
    let o = server
        .get("/v1.0/communications/callRecords/c1/organizer_v2")
        .json();
    assert_eq!(o["id"], "p0");
    server
        .get("/v1.0/communications/callRecords/c1/sessions/nope")
        .assert_error(404, "itemNotFound");
    server
        .get("/v1.0/communications/callRecords/c1/sessions/s1/segments/nope")
        .assert_error(404, "itemNotFound");
    server
        .get("/v1.0/communications/callRecords/c1/participants_v2/nope")
        .assert_error(404, "itemNotFound");
    // Beta serves the same resources with its own URLs.
    let beta = server.get("/beta/communications/callRecords/c1").json();
    assert!(
        beta["@odata.context"]
            .as_str()
            .unwrap_or_default()
            .contains("/beta/$metadata#")
    );
}

#[test]
fn select_keeps_only_the_named_properties() {
    let server = TestServer::start();
    server.ingest(&record("sel", "2024-01-01T10:00:00Z", 1, 1));
    let got = server
        .get("/v1.0/communications/callRecords/sel?$select=id,version")
        .json();
    assert_eq!(got["id"], "sel");
    assert_eq!(got["version"], 1);
    assert!(got.get("type").is_none(), "{got}");
    // organizer_v2 is auto-expanded (Core.AutoExpand in the CSDL): returned as an expanded navigation
    // property is, beside the selected properties, as OData has it.
    assert_eq!(
        got["organizer_v2"]["id"],
        record("sel", "2024-01-01T10:00:00Z", 1, 1)["organizer_v2"]["id"]
    );
    assert!(got.get("organizer_v2@odata.context").is_some(), "{got}");
    assert!(
        got.get("organizer").is_none(),
        "the deprecated structural property is not selected: {got}"
    );
    assert!(
        got["@odata.context"]
            .as_str()
            .unwrap_or_default()
            .ends_with("callRecords(id,version)/$entity")
    );
    let list = server
        .get("/v1.0/communications/callRecords?$select=id,startDateTime")
        .json();
    assert!(list["value"][0].get("type").is_none());
    assert_eq!(list["value"][0]["startDateTime"], "2024-01-01T10:00:00Z");
}

#[test]
fn prefer_omit_nulls_and_unknown_enum_members() {
    let server = TestServer::start();
    let mut rec = record("enum", "2024-01-01T10:00:00Z", 1, 1);
    rec["sessions"][0]["caller"] = json!({
        "@odata.type": "#microsoft.graph.callRecords.participantEndpoint",
        "userAgent": {"@odata.type": "#microsoft.graph.callRecords.clientUserAgent", "platform": "web", "productFamily": "azureCommunicationServices", "headerValue": null}
    });
    server.ingest(&rec);
    let url = "/v1.0/communications/callRecords/enum?$expand=sessions";
    let plain = server.get(url).json();
    assert_eq!(
        plain["sessions"][0]["caller"]["userAgent"]["productFamily"],
        "unknownFutureValue"
    );
    assert!(
        plain["joinWebUrl"].is_null() && plain.get("joinWebUrl").is_some(),
        "nulls are kept by default"
    );
    let reply = server.get_with(
        url,
        &[("Prefer", "include-unknown-enum-members, omit-values=nulls")],
    );
    let opted = reply.json();
    assert_eq!(
        opted["sessions"][0]["caller"]["userAgent"]["productFamily"],
        "azureCommunicationServices"
    );
    assert!(
        opted.get("joinWebUrl").is_none(),
        "omit-values=nulls drops nulls: {opted}"
    );
    assert!(
        opted["sessions"][0]["caller"]["userAgent"]
            .get("headerValue")
            .is_none()
    );
    assert!(
        reply
            .header("preference-applied")
            .unwrap_or_default()
            .contains("omit-values=nulls")
    );
}

#[test]
fn responses_carry_graph_headers() {
    let server = TestServer::start();
    server.ingest(&record("h", "2024-01-01T10:00:00Z", 1, 1));
    let reply = server.get_with(
        "/v1.0/communications/callRecords/h",
        &[("client-request-id", "abc-123")],
    );
    assert_eq!(reply.header("client-request-id"), Some("abc-123"));
    assert!(reply.header("request-id").is_some_and(|v| v.len() == 36));
    assert!(reply.header("date").is_some());
    assert!(
        reply
            .header("content-type")
            .unwrap_or_default()
            .starts_with("application/json")
    );
    let gz = server.get_with(
        "/v1.0/communications/callRecords/h",
        &[("Accept-Encoding", "gzip")],
    );
    assert_eq!(gz.status, 200);
    assert_eq!(
        gz.json()["id"],
        "h",
        "gzip responses decode to the same body"
    );
    let metadata = server.get("/v1.0/$metadata");
    assert_eq!(metadata.status, 200);
    assert!(
        metadata
            .text
            .contains("<Schema Namespace=\"microsoft.graph.callRecords\"")
    );
    assert!(metadata.text.starts_with("<?xml"));
}

#[test]
fn encoded_query_options_as_the_sdks_send_them() {
    let server = TestServer::start();
    server.ingest(&record("enc", "2024-01-01T10:00:00Z", 2, 1));
    for url in [
        "/v1.0/communications/callRecords/enc?%24expand=sessions%28%24expand%3Dsegments%29",
        "/v1.0/communications/callRecords/enc?expand=sessions($expand=segments)",
        "/v1.0/communications/callRecords/enc?$EXPAND=sessions(expand=segments)",
    ] {
        let got = server.get(url);
        assert_eq!(got.status, 200, "{url}: {}", got.text);
        assert_eq!(
            got.json()["sessions"][0]["segments"][0]["id"],
            "g0",
            "{url}"
        );
    }
    let list = server.get(
        "/v1.0/communications/callRecords?%24filter=startDateTime%20ge%202024-01-01T00:00:00Z",
    );
    assert_eq!(
        list.json()["value"].as_array().map(Vec::len),
        Some(1),
        "{}",
        list.text
    );
}

#[test]
fn links_use_the_host_the_client_used_also_behind_a_proxy() {
    let server = TestServer::start();
    let records: Vec<Value> = (0..3)
        .map(|i| record(&format!("x{i}"), "2024-01-01T10:00:00Z", 1, 1))
        .collect();
    server.ingest_bulk(&records);
    let page = server
        .get_with(
            "/v1.0/communications/callRecords",
            &[
                ("Prefer", "odata.maxpagesize=1"),
                ("X-Forwarded-Host", "graph.example.com"),
                ("X-Forwarded-Proto", "https"),
            ],
        )
        .json();
    assert!(
        page["@odata.context"]
            .as_str()
            .unwrap_or_default()
            .starts_with("https://graph.example.com/v1.0/$metadata#")
    );
    let next = page["@odata.nextLink"].as_str().expect("nextLink");
    assert!(
        next.starts_with("https://graph.example.com/v1.0/communications/callRecords?$skiptoken="),
        "{next}"
    );
}
