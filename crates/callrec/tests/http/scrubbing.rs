//! Scrubbing over real HTTP: records and log rows older than the scrub period are served without
//! personal data (names, phone numbers, IP and MAC addresses), whether they were scrubbed on their way in
//! or later by the background pass, while their versions, quality verdicts and reports stay as they were.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use callrec::generate::{Generator, GeneratorConfig};
use callrec::http::ApiConfig;
use callrec_model::edm::Ticks;
use serde_json::{Value, json};

use crate::support::TestServer;

const RECORDS: &str = "/v1.0/communications/callRecords";
const DAY: i64 = 86_400;

fn scrubbing(after: Option<Duration>) -> TestServer {
    TestServer::start_with(ApiConfig {
        scrub_after: after,
        ..ApiConfig::default()
    })
}

/// Generated records of a 500-person organization, their calls spread over the 30 days that ended
/// `ended_days_ago` days ago.
fn generated(records: u64, ended_days_ago: i64) -> Vec<Value> {
    let now = Ticks::now().to_unix_seconds();
    let generator = Generator::new(GeneratorConfig {
        records,
        seed: 11,
        start: Ticks::from_unix_seconds(now - (30 + ended_days_ago) * DAY),
        days: 30,
        ..GeneratorConfig::default()
    });
    (0..records)
        .map(|i| Value::Object(generator.record(i)))
        .collect()
}

/// Runs one scrub pass over the server's store with a period of `days`.
fn scrub_pass(server: &TestServer, days: u64) -> callrec::scrubbing::ScrubSummary {
    server
        .runtime
        .block_on(callrec::scrubbing::scrub_once(
            server.store.as_ref(),
            Duration::from_secs(days * DAY as u64),
        ))
        .unwrap()
}

fn end_of(record: &Value) -> i64 {
    let text = record["endDateTime"].as_str().unwrap();
    callrec_model::edm::parse_date_time_offset(text)
        .unwrap()
        .to_unix_seconds()
}

/// A record as served whole: with its sessions and segments, and its participants.
fn served(server: &TestServer, id: &str) -> Value {
    let mut record = server
        .get(&format!(
            "{RECORDS}/{id}?$expand=sessions($expand=segments)"
        ))
        .json();
    let participants = server
        .get(&format!("{RECORDS}/{id}/participants_v2"))
        .json();
    record["participants_v2"] = participants["value"].clone();
    record
}

/// What in a JSON tree looks like personal data, by its shape alone: an IPv4 address (other than a
/// subnet, or a driver version that looks like one), a MAC address, a phone number, an e-mail address;
/// and every display name and endpoint name.
fn personal(v: &Value, key: Option<&str>, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => map.iter().for_each(|(k, v)| personal(v, Some(k), out)),
        Value::Array(items) => items.iter().for_each(|v| personal(v, key, out)),
        Value::String(s) => {
            let octets: Vec<&str> = s.split('.').collect();
            let ipv4 = octets.len() == 4
                && octets.iter().all(|o| {
                    !o.is_empty() && o.len() <= 3 && o.bytes().all(|b| b.is_ascii_digit())
                });
            let mac = s.len() == 17
                && s.split(['-', ':']).count() == 6
                && s.split(['-', ':'])
                    .all(|g| g.len() == 2 && g.bytes().all(|b| b.is_ascii_hexdigit()));
            let phone =
                s.starts_with('+') && s.len() > 6 && s[1..].bytes().all(|b| b.is_ascii_digit());
            let email = s.contains('@') && !s.contains('/') && !s.contains(' ');
            let named = matches!(key, Some("displayName" | "name"));
            let not_an_address =
                key.is_some_and(|k| k == "subnet" || k.contains("Version") || k.contains("Driver"));
            if (ipv4 && !not_an_address) || mac || phone || email || named {
                out.insert(s.clone());
            }
        }
        _ => {}
    }
}

fn personal_of(v: &Value) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    personal(v, None, &mut out);
    out
}

/// Stream counts of a report, by row key.
fn counts(server: &TestServer, by: &str) -> BTreeMap<String, (u64, u64, u64)> {
    let report = server
        .get(&format!("/callrec/reports/quality?by={by}&days=90"))
        .json();
    report["rows"]
        .as_array()
        .unwrap_or_else(|| panic!("a report: {report}"))
        .iter()
        .map(|r| {
            (
                r["key"].as_str().unwrap_or("-").to_owned(),
                (
                    r["good"].as_u64().unwrap(),
                    r["poor"].as_u64().unwrap(),
                    r["unclassified"].as_u64().unwrap(),
                ),
            )
        })
        .collect()
}

#[test]
fn the_background_pass_scrubs_old_records_and_keeps_their_quality() {
    let server = scrubbing(None);
    // Calls that ended between 5 and 35 days ago; the scrub period is 20 days.
    let records = generated(160, 5);
    server.ingest_bulk(&records);
    let by_day = counts(&server, "day");
    let by_subnet = counts(&server, "subnet");
    let by_user = counts(&server, "user");
    let before: Vec<Value> = records
        .iter()
        .map(|r| served(&server, r["id"].as_str().unwrap()))
        .collect();

    let summary = scrub_pass(&server, 20);
    let cutoff = Ticks::now().to_unix_seconds() - 20 * DAY;
    let old = records.iter().filter(|r| end_of(r) < cutoff).count() as u64;
    assert!(old > 40 && old < 140, "both sides of the cutoff: {old}");
    assert_eq!(summary.records, old);
    assert_eq!(summary.skipped, 0);

    let mut checked_personal = 0;
    for (original, was) in records.iter().zip(&before) {
        let id = original["id"].as_str().unwrap();
        let now = served(&server, id);
        assert_eq!(now["version"], was["version"], "{id}: the version stays");
        assert_eq!(
            now["lastModifiedDateTime"], was["lastModifiedDateTime"],
            "{id}"
        );
        if end_of(original) < cutoff {
            let left = personal_of(&now);
            assert!(left.is_empty(), "{id} still holds {left:?}");
            checked_personal += personal_of(was).len();
            // What quality needs is still there.
            assert_eq!(
                now["sessions"].as_array().map(Vec::len),
                was["sessions"].as_array().map(Vec::len)
            );
        } else {
            assert_eq!(now, *was, "{id} ended after the cutoff and is untouched");
        }
    }
    assert!(
        checked_personal > 1000,
        "the old records held personal data: {checked_personal}"
    );

    assert_eq!(
        counts(&server, "day"),
        by_day,
        "verdicts by day are unchanged"
    );
    assert_eq!(counts(&server, "subnet"), by_subnet, "subnets are kept");
    assert_eq!(
        counts(&server, "user"),
        by_user,
        "users keep their ids and streams"
    );
    // A second pass has nothing left to do.
    let again = scrub_pass(&server, 20);
    assert_eq!((again.records, again.log_rows), (0, 0));
}

fn days_ago(days: i64) -> String {
    Ticks::from_unix_seconds(Ticks::now().to_unix_seconds() - days * DAY).to_string()
}

/// A peer-to-peer call between a user and a phone that ended `days` ago.
fn pstn_call(id: &str, days: i64) -> Value {
    let end = days_ago(days);
    let start =
        Ticks::from_unix_seconds(Ticks::now().to_unix_seconds() - days * DAY - 300).to_string();
    let user = json!({"id": "7d3b5c2e-0000-4000-8000-000000000001", "displayName": "Grace Hopper",
                      "userPrincipalName": "grace@contoso.com"});
    let phone = json!({"id": "+15553334444"});
    json!({
        "id": id, "version": 1, "type": "peerToPeer", "modalities": ["audio"],
        "startDateTime": start, "endDateTime": end, "lastModifiedDateTime": end,
        "organizer_v2": {"id": "7d3b5c2e-0000-4000-8000-000000000001", "identity": {"user": user}},
        "participants_v2": [
            {"id": "7d3b5c2e-0000-4000-8000-000000000001", "identity": {"user": user}},
            {"id": "+15553334444", "identity": {"phone": phone}}
        ],
        "sessions": [{
            "id": id, "startDateTime": start, "endDateTime": end, "modalities": ["audio"],
            "caller": {"@odata.type": "#microsoft.graph.callRecords.participantEndpoint",
                       "identity": {"user": user}, "name": "GRACE-PC"},
            "callee": {"@odata.type": "#microsoft.graph.callRecords.participantEndpoint",
                       "identity": {"phone": phone}},
            "segments": [{"id": id, "startDateTime": start, "endDateTime": end, "media": [{
                "label": "main-audio",
                "callerNetwork": {"ipAddress": "10.1.2.3", "subnet": "10.1.2.0", "macAddress": "00-11-22-33-44-55"},
                "streams": [{"streamDirection": "callerToCallee", "averageJitter": "PT0.050S"},
                            {"streamDirection": "calleeToCaller", "averageJitter": "PT0.005S"}]
            }]}]
        }]
    })
}

/// A PSTN row of Grace Hopper's from `days` ago, with her names and both numbers.
fn grace_row(id: &str, days: i64, call_type: &str, duration: u32) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.callRecords.pstnCallLogRow",
        "id": id, "userId": "7d3b5c2e-0000-4000-8000-000000000001",
        "userPrincipalName": "grace@contoso.com", "userDisplayName": "Grace Hopper",
        "startDateTime": days_ago(days), "endDateTime": days_ago(days),
        "callType": call_type, "callerNumber": "+15551112222", "calleeNumber": "+15553334444",
        "duration": duration, "charge": 0.25, "connectionCharge": 0.0, "currency": "USD",
        "usageCountryCode": "US", "destinationContext": "Domestic"
    })
}

#[test]
fn records_and_rows_past_the_period_are_scrubbed_on_their_way_in() {
    let server = scrubbing(Some(Duration::from_secs(28 * DAY as u64)));
    server.ingest(&pstn_call("old", 40));
    server.ingest(&pstn_call("recent", 3));
    let old = served(&server, "old");
    assert_eq!(personal_of(&old), BTreeSet::new(), "{old}");
    assert_eq!(old["version"], 1);
    let recent = served(&server, "recent");
    assert!(personal_of(&recent).contains("+15553334444"));
    assert!(personal_of(&recent).contains("Grace Hopper"));

    // The phone number finds only the recent call; the old one answers to its pseudonym.
    let by_phone = server
        .get(&format!(
            "{RECORDS}?$filter=participants_v2/any(p:p/id%20eq%20'%2B15553334444')"
        ))
        .json();
    let ids: Vec<&str> = by_phone["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["recent"]);
    let pseudonym = old["participants_v2"][1]["id"].as_str().unwrap();
    assert_eq!(
        server
            .get(&format!("{RECORDS}/old/participants_v2/{pseudonym}"))
            .json()["identity"]["phone"]["id"],
        pseudonym
    );
    // Both calls keep their verdicts: one poor stream each (jitter 50 ms), received by the phone side.
    let report = server.get("/callrec/reports/quality?by=day&days=60").json();
    assert_eq!(report["totals"]["poor"], 2, "{report}");
    assert_eq!(report["totals"]["streams"], 4, "{report}");

    // Log rows: an old row loses its numbers and names as it is stored; a bulk import does the same.
    let row = |id: &str, days: i64| grace_row(id, days, "user_out", 120);
    let reply = server.post("/callrec/logs", &row("old-row", 40));
    assert_eq!(reply.status, 201, "{}", reply.text);
    let body = reply.json();
    assert_eq!(
        body["callerNumber"],
        Value::Null,
        "the answer shows what was stored"
    );
    let reply = server.post_ndjson("/callrec/import", &[row("old-bulk", 35), row("new-row", 2)]);
    assert_eq!(reply.status, 200, "{}", reply.text);
    let from = &days_ago(60)[..10];
    let to = &days_ago(-1)[..10];
    let rows = server
        .get(&format!(
            "/v1.0/communications/callRecords/getPstnCalls(fromDateTime={from},toDateTime={to})"
        ))
        .json();
    let by_id: BTreeMap<&str, &Value> = rows["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].as_str().unwrap(), r))
        .collect();
    assert_eq!(by_id.len(), 3, "{rows}");
    for id in ["old-row", "old-bulk"] {
        let r = by_id[id];
        assert_eq!(
            (
                &r["callerNumber"],
                &r["userDisplayName"],
                &r["userPrincipalName"]
            ),
            (&Value::Null, &Value::Null, &Value::Null),
            "{id}"
        );
        assert_eq!(r["duration"], 120);
        assert_eq!(r["userId"], "7d3b5c2e-0000-4000-8000-000000000001");
    }
    assert_eq!(by_id["new-row"]["callerNumber"], "+15551112222");
}

#[test]
fn the_background_pass_scrubs_log_rows_and_the_dial_out_report_loses_names() {
    let server = scrubbing(None);
    let row = |id: &str, days: i64| grace_row(id, days, "conf_out", 60);
    let reply = server.post_ndjson("/callrec/import", &[row("a", 40), row("b", 30)]);
    assert_eq!(reply.status, 200, "{}", reply.text);
    let summary = scrub_pass(&server, 28);
    assert_eq!(summary.log_rows, 2);
    let from = &days_ago(60)[..10];
    let to = &days_ago(-1)[..10];
    let report = server
        .get(&format!(
            "/beta/communications/callRecords/getPstnOnlineMeetingDialoutReport(fromDateTime={from},toDateTime={to})"
        ))
        .json();
    let rows = report["value"].as_array().unwrap();
    assert_eq!(rows.len(), 1, "{report}");
    assert_eq!(rows[0]["totalCalls"], 2);
    assert_eq!(rows[0]["totalCallSeconds"], 120);
    assert_eq!(rows[0]["userDisplayName"], Value::Null);
    assert_eq!(rows[0]["userPrincipalName"], Value::Null);
    assert_eq!(rows[0]["userId"], "7d3b5c2e-0000-4000-8000-000000000001");
    let filtered = server
        .get(&format!(
            "/v1.0/communications/callRecords/getPstnCalls(fromDateTime={from},toDateTime={to})?$filter=callerNumber%20eq%20'%2B15551112222'"
        ))
        .json();
    assert_eq!(
        filtered["value"].as_array().map(Vec::len),
        Some(0),
        "{filtered}"
    );
}

fn callrec(args: &[&str]) -> std::process::Output {
    crate::support::run_callrec(args)
}

#[test]
fn the_command_line_scrubs_on_import_and_refuses_bad_periods() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("scrub.db");
    let store = store.to_str().unwrap();
    let input = dir.path().join("calls.ndjson");
    std::fs::write(
        &input,
        format!("{}\n{}\n", pstn_call("old", 40), pstn_call("recent", 3)),
    )
    .unwrap();
    let output = callrec(&[
        "import",
        "--store",
        store,
        "--scrub-after",
        "28d",
        input.to_str().unwrap(),
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let opened = runtime.block_on(callrec::storage::open(store)).unwrap();
    let participant_ids = |id: &str| -> Vec<String> {
        runtime
            .block_on(opened.participants(
                callrec::auth::DEFAULT_TENANT,
                id,
                callrec_store::Slice {
                    offset: 0,
                    limit: 10,
                },
            ))
            .unwrap()
            .unwrap()
            .into_iter()
            .map(|p| p.id)
            .collect()
    };
    assert!(!participant_ids("old").contains(&"+15553334444".to_owned()));
    assert!(participant_ids("recent").contains(&"+15553334444".to_owned()));
    drop(opened);

    for (args, complaint) in [
        (
            vec!["serve", "--scrub-after", "soon"],
            "'soon' is not a scrub period",
        ),
        (
            vec!["serve", "--log-retention", "calls=30d"],
            "'calls' is not a log row kind",
        ),
        (
            vec!["serve", "--log-retention", "pstnCall=a while"],
            "is not a retention period",
        ),
        (
            vec!["import", "--scrub-after", "later", "x.ndjson"],
            "'later' is not a scrub period",
        ),
    ] {
        let mut full = args.clone();
        full.extend(["--store", store]);
        let output = callrec(&full);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{args:?} must fail");
        assert!(stderr.contains(complaint), "{args:?}: {stderr}");
    }
}

#[test]
fn a_served_store_is_scrubbed_and_purged_in_the_background_and_says_so_in_metrics() {
    let server = scrubbing(None);
    server.ingest(&pstn_call("old", 40));
    server.ingest(&pstn_call("older", 50));
    server.ingest(&pstn_call("recent", 3));
    let spec = server.store_spec.clone();
    let (mut child, base) = crate::support::spawn_serve(
        &spec,
        &[
            "--auth",
            "none",
            "--scrub-after",
            "28d",
            "--retention",
            "45d",
        ],
    );
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let get = |path: &str| -> (u16, String) {
        let mut response = agent.get(format!("{base}{path}")).call().expect("request");
        let status = response.status().as_u16();
        (
            status,
            response.body_mut().read_to_string().unwrap_or_default(),
        )
    };
    let counter = |text: &str, name: &str| -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{name}{{kind=\"callRecord\"}} ")))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0)
    };
    // The first passes run as the server starts. The scrub may reach the record the purge deletes.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    let metrics = loop {
        let (_, text) = get("/metrics");
        let scrubbed = counter(&text, "callrec_scrubbed_total");
        let purged = counter(&text, "callrec_purged_total");
        if scrubbed >= 1 && purged == 1 {
            assert!(scrubbed <= 2, "{text}");
            break text;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no pass in 30 s: {text}"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        metrics.contains("# TYPE callrec_scrubbed_total counter"),
        "{metrics}"
    );
    let (status, old) = get(&format!("{RECORDS}/old/participants_v2"));
    assert_eq!(status, 200);
    assert!(
        !old.contains("+15553334444") && !old.contains("Grace Hopper"),
        "{old}"
    );
    let (status, _) = get(&format!("{RECORDS}/older"));
    assert_eq!(status, 404, "past the 45 days of retention");
    let (_, recent) = get(&format!("{RECORDS}/recent/participants_v2"));
    assert!(recent.contains("+15553334444"), "{recent}");
    let _ = child.kill();
    let _ = child.wait();
}
