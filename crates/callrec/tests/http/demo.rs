//! `callrec serve --demo`: the demo fills the tenant the server serves without tokens, whatever
//! `--default-tenant` names.

use crate::support::spawn_serve;

#[test]
fn the_demo_fills_the_tenant_that_is_served() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("demo.db");
    let tenant = "6d2a0e47-5c0f-4b6e-9a3e-2f1f3f6c8d10";
    let (mut child, base) = spawn_serve(
        &store,
        &["--demo", "--demo-records", "20", "--default-tenant", tenant],
    );
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut reply = agent
        .get(&format!("{base}/v1.0/communications/callRecords?$top=100"))
        .call()
        .expect("GET");
    assert_eq!(reply.status().as_u16(), 200);
    let page: serde_json::Value =
        serde_json::from_str(&reply.body_mut().read_to_string().expect("body")).expect("JSON");
    child.kill().expect("kill");
    child.wait().expect("wait");
    let records = page["value"].as_array().expect("value").len();
    // The documentation's examples and the 20 generated records, all under the served tenant.
    assert!(
        records > 20,
        "the served tenant holds {records} records: {page}"
    );
    let stored = tokio::runtime::Runtime::new()
        .expect("runtime")
        .block_on(async {
            let store = callrec::storage::open(store.to_str().expect("utf-8 path"))
                .await
                .expect("open");
            store.stats().await.expect("stats").records
        });
    assert_eq!(
        stored, records as u64,
        "the demo wrote records to a tenant the server does not serve"
    );
}

#[test]
fn the_demo_answers_every_log_function_with_rows() {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = dir.path().join("demo.db");
    let (mut child, base) = spawn_serve(&store, &["--demo", "--demo-records", "3000"]);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let now = time::OffsetDateTime::now_utc();
    let day =
        |d: time::OffsetDateTime| format!("{}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day());
    let (from, to) = (
        day(now - time::Duration::days(31)),
        day(now + time::Duration::days(1)),
    );
    let mut empty = Vec::new();
    for (version, function) in [
        ("v1.0", "getPstnCalls"),
        ("v1.0", "getDirectRoutingCalls"),
        ("beta", "getSmsLog"),
        ("beta", "getPstnBlockedUsersLog"),
        ("beta", "getPstnOnlineMeetingDialoutReport"),
    ] {
        let url = format!(
            "{base}/{version}/communications/callRecords/{function}(fromDateTime={from},toDateTime={to})"
        );
        let mut reply = agent.get(&url).call().expect("GET");
        let status = reply.status().as_u16();
        let text = reply.body_mut().read_to_string().expect("body");
        assert_eq!(status, 200, "{function}: {text}");
        let page: serde_json::Value = serde_json::from_str(&text).expect("JSON");
        let rows = page["value"].as_array().map_or(0, Vec::len);
        println!("{function}: {rows} rows");
        if rows == 0 {
            empty.push(function);
        }
    }
    child.kill().expect("kill");
    child.wait().expect("wait");
    assert!(empty.is_empty(), "the demo has no rows for {empty:?}");
}
