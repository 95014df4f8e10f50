//! Retention over real HTTP: a record whose call ended longer ago than the retention period is neither
//! listed, counted nor returned, as in Graph, and the purge deletes it from the store.

use std::time::Duration;

use callrec::api::ApiConfig;
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
