//! Throttling over real HTTP: clients driven into Graph's limits (made small here) get Graph's 429 with
//! `Retry-After`, and get through again when they wait as told.

use std::time::{Duration, Instant};

use callrec::http::ApiConfig;
use callrec::throttle::{Limit, Limits};

use crate::auth::{claims, hs256, secured};
use crate::support::{Reply, TestServer, record};

const RECORDS: &str = "/v1.0/communications/callRecords";
const TENANT_A: &str = "aaaaaaaa-0000-0000-0000-00000000000a";
const TENANT_B: &str = "bbbbbbbb-0000-0000-0000-00000000000b";
const READ: &str = callrec::auth::CALL_RECORDS_READ;

fn limited(change: impl FnOnce(&mut Limits)) -> TestServer {
    let mut limits = Limits::default();
    change(&mut limits);
    let server = secured(|c| c.throttle = Some(limits));
    // Records are written straight into the store: writes are not what is being throttled here.
    let rt = &server.runtime;
    for id in ["r1", "r2"] {
        let rec = record(id, "2024-01-01T10:00:00Z", 1, 1);
        let prepared = callrec_model::prepare::prepare(rec.as_object().unwrap().clone());
        rt.block_on(server.store.put_records(
            TENANT_A,
            vec![prepared],
            callrec_store::WriteCondition::NewerVersion,
        ))
        .unwrap();
    }
    server
}

fn token(tenant: &str, app: &str) -> String {
    let mut c = claims(tenant, &[READ]);
    c["appid"] = serde_json::json!(app);
    hs256(&c)
}

/// Asserts Graph's 429 and returns `Retry-After`.
#[track_caller]
fn assert_throttled(reply: &Reply) -> u64 {
    let message = reply.assert_error(429, "TooManyRequests");
    assert_eq!(message, "Please retry again later.");
    let inner = &reply.json()["error"]["innerError"];
    assert_eq!(inner["code"], "429");
    assert_eq!(inner["status"], "429");
    assert_eq!(inner["message"], "Please retry after");
    let retry: u64 = reply
        .header("retry-after")
        .expect("Retry-After")
        .parse()
        .expect("Retry-After in seconds");
    assert!(retry >= 1, "Retry-After {retry}");
    retry
}

#[test]
fn a_call_record_is_throttled_alone_and_waiting_recovers() {
    let server = limited(|l| l.record = Limit::new(3, 2));
    let t = token(TENANT_A, "app-1");
    let r1 = format!("{RECORDS}/r1");
    for _ in 0..3 {
        assert_eq!(server.get_as(&t, &r1).status, 200);
    }
    // Sessions and participants of the record count against it too.
    let retry = assert_throttled(&server.get_as(&t, &format!("{r1}/sessions")));
    assert!(retry <= 2, "Retry-After {retry} beyond the 2 s window");
    assert_eq!(server.get_as(&t, &format!("{RECORDS}/r2")).status, 200);
    std::thread::sleep(Duration::from_secs(retry));
    let reply = server.get_as(&t, &r1);
    assert_eq!(reply.status, 200, "{}", reply.text);
}

#[test]
fn listing_has_its_own_limit() {
    let server = limited(|l| l.list = Limit::new(2, 1));
    let t = token(TENANT_A, "app-1");
    assert_eq!(server.get_as(&t, RECORDS).status, 200);
    assert_eq!(server.get_as(&t, RECORDS).status, 200);
    let retry = assert_throttled(&server.get_as(&t, RECORDS));
    // Reading one record is not listing.
    assert_eq!(server.get_as(&t, &format!("{RECORDS}/r1")).status, 200);
    std::thread::sleep(Duration::from_secs(retry));
    assert_eq!(server.get_as(&t, RECORDS).status, 200);
}

#[test]
fn the_tenant_limit_spans_apps_and_spares_other_tenants() {
    let server = limited(|l| l.tenant = Limit::new(4, 20));
    for app in ["a", "b", "c", "d"] {
        assert_eq!(server.get_as(&token(TENANT_A, app), RECORDS).status, 200);
    }
    assert_throttled(&server.get_as(&token(TENANT_A, "e"), RECORDS));
    assert_eq!(server.get_as(&token(TENANT_B, "a"), RECORDS).status, 200);
}

#[test]
fn a_client_honouring_retry_after_gets_every_answer() {
    let server = limited(|l| l.app_tenant = Limit::new(5, 1));
    let t = token(TENANT_A, "app-1");
    let started = Instant::now();
    let (mut answered, mut throttled) = (0, 0);
    while answered < 12 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "stuck after {answered} answers"
        );
        let reply = server.get_as(&t, &format!("{RECORDS}/r1"));
        match reply.status {
            200 => answered += 1,
            429 => {
                throttled += 1;
                std::thread::sleep(Duration::from_secs(assert_throttled(&reply)));
            }
            other => panic!("unexpected {other}: {}", reply.text),
        }
    }
    assert!(
        throttled >= 2,
        "only {throttled} 429s for 12 requests at 5/s"
    );
}

#[test]
fn throttling_can_be_switched_off_and_spares_writes() {
    let off = secured(|c| c.throttle = None);
    let t = token(TENANT_A, "app-1");
    for _ in 0..60 {
        assert_eq!(off.get_as(&t, RECORDS).status, 200);
    }
    let server = limited(|l| {
        l.app = Limit::new(1, 20);
    });
    let writer = {
        let mut c = claims(TENANT_A, &[callrec::auth::CALL_RECORDS_WRITE]);
        c["appid"] = serde_json::json!("app-1");
        hs256(&c)
    };
    for i in 0..5 {
        let rec = record(&format!("w{i}"), "2024-01-01T10:00:00Z", 1, 1);
        let reply = server.send(
            "POST",
            RECORDS,
            &rec.to_string(),
            &[("authorization", &format!("Bearer {writer}"))],
        );
        assert_eq!(reply.status, 201, "{}", reply.text);
    }
    assert_eq!(server.get_as(&t, RECORDS).status, 200);
    assert_throttled(&server.get_as(&t, RECORDS));
    // The default configuration (authentication off) does not throttle.
    let open = TestServer::start_with(ApiConfig::default());
    for _ in 0..60 {
        assert_eq!(open.get(RECORDS).status, 200);
    }
}

#[test]
fn the_pstn_log_functions_have_their_own_limits() {
    let server = limited(|l| l.pstn_tenant = Limit::new(2, 2));
    let calls = format!("{RECORDS}/getPstnCalls(fromDateTime=2024-01-01,toDateTime=2024-01-02)");
    let direct = format!(
        "{RECORDS}/microsoft.graph.callRecords.getDirectRoutingCalls(fromDateTime=2024-01-01,toDateTime=2024-01-02)"
    );
    let t = token(TENANT_A, "app-1");
    assert_eq!(server.get_as(&t, &calls).status, 200);
    assert_eq!(server.get_as(&t, &direct).status, 200);
    let retry = assert_throttled(&server.get_as(&token(TENANT_A, "app-2"), &calls));
    // Call records are counted apart, and so is another tenant.
    assert_eq!(server.get_as(&t, RECORDS).status, 200);
    assert_eq!(server.get_as(&token(TENANT_B, "app-1"), &calls).status, 200);
    std::thread::sleep(Duration::from_secs(retry));
    assert_eq!(server.get_as(&t, &calls).status, 200);
}
