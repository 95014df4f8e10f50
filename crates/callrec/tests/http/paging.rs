//! Paging: expanded collections inside a record, the sessions and participants collections, and the
//! listing, followed through nextLinks exactly as the SDKs' page iterators do (no `Prefer` on later pages).

use std::collections::HashSet;

use serde_json::Value;

use crate::support::{TestServer, record};

/// Follows nextLinks from a first page, collecting ids: the first page holds its items under `items_key`
/// and its link under `link_key` (an expanded collection inside a record); later pages are collections.
fn follow(
    server: &TestServer,
    first: Value,
    items_key: &str,
    link_key: &str,
) -> (Vec<String>, usize) {
    let mut ids = Vec::new();
    let mut page = first;
    let (mut items_key, mut link_key) = (items_key, link_key);
    let mut pages = 1;
    loop {
        for item in page[items_key].as_array().expect("items") {
            ids.push(item["id"].as_str().expect("id").to_owned());
        }
        let Some(next) = page[link_key].as_str().map(str::to_owned) else {
            break;
        };
        assert!(
            next.starts_with(&server.base),
            "nextLinks are absolute URLs on our host: {next}"
        );
        let reply = server.get(&next);
        assert_eq!(reply.status, 200, "{next}: {}", reply.text);
        page = reply.json();
        pages += 1;
        (items_key, link_key) = ("value", "@odata.nextLink");
    }
    (ids, pages)
}

#[test]
fn a_large_record_pages_its_sessions_and_participants() {
    let server = TestServer::start();
    server.ingest(&record("big", "2024-01-01T10:00:00Z", 250, 300));
    let first = server
        .get("/v1.0/communications/callRecords/big?$expand=sessions($expand=segments)")
        .json();
    assert_eq!(first["sessions"].as_array().map(Vec::len), Some(60));
    assert!(
        first["sessions"][0]["segments"].is_array(),
        "segments expanded on the first page"
    );
    let (ids, pages) = follow(&server, first, "sessions", "sessions@odata.nextLink");
    let expected: Vec<String> = (0..250).map(|i| format!("s{i}")).collect();
    assert_eq!(ids, expected);
    assert_eq!(pages, 5);

    let first = server
        .get("/v1.0/communications/callRecords/big?$expand=participants_v2")
        .json();
    assert_eq!(first["participants_v2"].as_array().map(Vec::len), Some(130));
    let (ids, pages) = follow(
        &server,
        first,
        "participants_v2",
        "participants_v2@odata.nextLink",
    );
    assert_eq!(ids, (0..300).map(|i| format!("p{i}")).collect::<Vec<_>>());
    assert_eq!(pages, 3);
}

#[test]
fn session_nextlinks_keep_the_expansion_and_accept_it_again() {
    let server = TestServer::start();
    server.ingest(&record("big", "2024-01-01T10:00:00Z", 130, 1));
    let first = server
        .get("/v1.0/communications/callRecords/big/sessions?$expand=segments")
        .json();
    let next = first["@odata.nextLink"]
        .as_str()
        .expect("nextLink")
        .to_owned();
    let second = server.get(&next).json();
    assert!(
        second["value"][0]["segments"].is_array(),
        "the nextLink keeps $expand=segments"
    );
    // An SDK that adds $expand again to the nextLink (msgraph-sdk-java 1746) still gets its page.
    let again = server.get(&format!("{next}&$expand=segments"));
    assert_eq!(again.status, 200, "{}", again.text);
    assert_eq!(again.json()["value"][0]["id"], "s60");
    // A different option next to the token is refused rather than silently applied.
    server
        .get(&format!("{next}&$select=id"))
        .assert_error(400, "BadRequest");
}

#[test]
fn prefer_maxpagesize_is_kept_in_the_nextlink() {
    let server = TestServer::start();
    let records: Vec<Value> = (0..25)
        .map(|i| {
            record(
                &format!("r{i:02}"),
                &format!("2024-01-01T10:{i:02}:00Z"),
                1,
                1,
            )
        })
        .collect();
    server.ingest_bulk(&records);
    let reply = server.get_with(
        "/v1.0/communications/callRecords",
        &[("Prefer", "odata.maxpagesize=10")],
    );
    assert_eq!(
        reply.header("preference-applied"),
        Some("odata.maxpagesize=10")
    );
    let first = reply.json();
    assert_eq!(first["value"].as_array().map(Vec::len), Some(10));
    let (ids, pages) = follow(&server, first, "value", "@odata.nextLink");
    assert_eq!(pages, 3);
    assert_eq!(ids.len(), 25);
}

#[test]
fn top_count_and_orderby() {
    let server = TestServer::start();
    let records: Vec<Value> = (0..30)
        .map(|i| {
            record(
                &format!("r{i:02}"),
                &format!("2024-01-01T10:{i:02}:00Z"),
                1,
                1,
            )
        })
        .collect();
    server.ingest_bulk(&records);
    let page = server
        .get_with(
            "/v1.0/communications/callRecords?$top=15&$count=true&$orderby=startDateTime%20desc",
            &[("Prefer", "odata.maxpagesize=10")],
        )
        .json();
    assert_eq!(page["@odata.count"], 30);
    assert_eq!(page["value"][0]["id"], "r29");
    let (ids, _) = follow(&server, page, "value", "@odata.nextLink");
    assert_eq!(ids.len(), 15, "$top limits the whole listing");
    assert_eq!(ids.last().map(String::as_str), Some("r15"));
}

#[test]
fn a_listing_pages_completely_while_records_are_ingested() {
    let server = TestServer::start();
    let records: Vec<Value> = (0..1000)
        .map(|i| {
            record(
                &format!("r{i:04}"),
                &format!(
                    "2024-01-{:02}T{:02}:{:02}:00Z",
                    1 + i / 100,
                    (i / 10) % 10 + 8,
                    (i % 10) * 5
                ),
                1,
                1,
            )
        })
        .collect();
    server.ingest_bulk(&records);
    let writer = {
        let base = server.base.clone();
        std::thread::spawn(move || {
            let agent: ureq::Agent = ureq::Agent::config_builder()
                .http_status_as_error(false)
                .build()
                .into();
            for i in 0..300 {
                let rec = record(
                    &format!("n{i:04}"),
                    &format!(
                        "2024-01-{:02}T{:02}:{:02}:30Z",
                        1 + i % 10,
                        8 + i % 10,
                        (i * 7) % 60
                    ),
                    1,
                    1,
                );
                let r = agent
                    .post(&format!("{base}/v1.0/communications/callRecords"))
                    .header("content-type", "application/json")
                    .send(rec.to_string());
                assert!(r.is_ok());
            }
        })
    };
    let first = server.get("/v1.0/communications/callRecords").json();
    let (ids, _) = follow(&server, first, "value", "@odata.nextLink");
    writer.join().expect("writer");
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(
        unique.len(),
        ids.len(),
        "no record is repeated across pages"
    );
    for r in &records {
        assert!(
            unique.contains(&r["id"].as_str().expect("id").to_owned()),
            "{} was skipped",
            r["id"]
        );
    }
}
