//! The behaviour every [`callrec_store::LogStore`] must have, written against `&dyn Backend` and run on
//! SQLite below (and on any other backend through [`for_each_log_case`]).
//!
//! Expected results are computed from the rows a case writes (the model's own filter evaluation, sums
//! taken here), never copied from a run.

use std::collections::BTreeMap;
use std::time::Instant;

use callrec_model::edm::Ticks;
use callrec_model::logs::filter::matches;
use callrec_model::logs::{
    DialoutQuery, LogColumn, LogCursor, LogFilter, LogKind, LogQuery, LogStart, LogValue,
    PreparedLogRow, check_log_row, log_filter,
};
use callrec_store::Store;
use callrec_store::logs::{DialoutRow, LogPutOutcome};
use serde_json::{Value, json};

use crate::backend::Backend;

const A: &str = "tenant-a";
const B: &str = "tenant-b";
/// 2019-11-01T00:00:00Z.
const NOV_1: i64 = 1_572_566_400;

fn at(secs: i64) -> String {
    Ticks::from_unix_seconds(NOV_1 + secs).to_string()
}

fn prepared(kind: LogKind, row: Value) -> PreparedLogRow {
    check_log_row(Some(kind), row)
        .unwrap_or_else(|e| panic!("a valid row: {e}"))
        .row
}

/// A PSTN row whose values vary with `i`, starting `secs` after 2019-11-01.
fn pstn(i: usize, secs: i64) -> Value {
    let call_type = ["user_in", "user_out", "conf_out", "conf_in"][i % 4];
    json!({
        "id": format!("pstn-{i:06}"),
        "callId": format!("{i}@10.0.0.1"),
        "userId": format!("user-{}", i % 7),
        "userPrincipalName": format!("user{}@contoso.com", i % 7),
        "userDisplayName": format!("User {}", i % 7),
        "startDateTime": at(secs),
        "endDateTime": at(secs + 60),
        "duration": 60 + (i % 50) as i64,
        "charge": (i % 13) as f64 * 0.07,
        "connectionCharge": if i.is_multiple_of(3) { 0.25 } else { 0.0 },
        "callType": call_type,
        "currency": if i.is_multiple_of(5) { "EUR" } else { "USD" },
        "calleeNumber": format!("+1425{:07}", i),
        "callerNumber": format!("+{}{:07}", if i.is_multiple_of(2) { "1206" } else { "4420" }, i),
        "usageCountryCode": if i.is_multiple_of(6) { "GB" } else { "US" },
        "destinationContext": if i % 4 == 2 { "International" } else { "Domestic" },
        "callDurationSource": "microsoft"
    })
}

fn direct_routing(i: usize, secs: i64, correlation: &str) -> Value {
    let sip_code = [0, 404, 487, 503][i % 4];
    json!({
        "id": format!("dr-{i:06}"),
        "correlationId": correlation,
        "userPrincipalName": format!("user{}@contoso.com", i % 3),
        "startDateTime": at(secs),
        "inviteDateTime": at(secs - 3),
        "failureDateTime": "0001-01-01T00:00:00Z",
        "endDateTime": at(secs + 5),
        "duration": 5,
        "callType": if i.is_multiple_of(2) { "ByotIn" } else { "ByotOut" },
        "successfulCall": !i.is_multiple_of(3),
        "callerNumber": format!("+1234567{i:04}"),
        "calleeNumber": format!("+0123456{i:04}"),
        "finalSipCode": sip_code,
        "callEndSubReason": 540000,
        "finalSipCodePhrase": "BYE",
        "trunkFullyQualifiedDomainName": "sbc.contoso.com",
        "mediaBypassEnabled": false
    })
}

async fn put(store: &dyn Store, tenant: &str, kind: LogKind, rows: &[Value]) -> Vec<LogPutOutcome> {
    store
        .put_log_rows(
            tenant,
            rows.iter().map(|r| prepared(kind, r.clone())).collect(),
        )
        .await
        .expect("write succeeds")
}

fn query(kind: LogKind, from: i64, to: i64, to_inclusive: bool) -> LogQuery {
    LogQuery {
        kind,
        from: Ticks::from_unix_seconds(NOV_1 + from),
        to: Ticks::from_unix_seconds(NOV_1 + to),
        to_inclusive,
        filter: None,
        start: LogStart::Offset(0),
        limit: 1000,
    }
}

fn ids(bodies: impl IntoIterator<Item = Vec<u8>>) -> Vec<String> {
    bodies
        .into_iter()
        .map(|b| {
            let v: Value = serde_json::from_slice(&b).expect("a stored body is JSON");
            v["id"].as_str().unwrap_or_default().to_owned()
        })
        .collect()
}

/// Pages through a whole range, by keyset (`keyset`) or by offset, returning the ids served and the pages.
async fn list_all(
    store: &dyn Store,
    tenant: &str,
    mut q: LogQuery,
    keyset: bool,
) -> (Vec<String>, usize) {
    let mut out = Vec::new();
    let mut pages = 0;
    loop {
        let page = store
            .list_log_rows(tenant, &q)
            .await
            .expect("listing succeeds");
        pages += 1;
        assert!(page.rows.len() <= q.limit);
        let last = page.rows.last().map(|r| r.cursor);
        let served = page.rows.len() as u64;
        out.extend(ids(page.rows.into_iter().map(|r| r.body)));
        if !page.more {
            return (out, pages);
        }
        q.start = match (&q.start, keyset) {
            (_, true) => LogStart::After(last.expect("a page with more after it has rows")),
            (LogStart::Offset(n), false) => LogStart::Offset(n + served),
            (LogStart::After(_), false) => unreachable!("offset paging starts at an offset"),
        };
        assert!(pages < 10_000, "paging does not end");
    }
}

pub async fn put_get_replace_delete(backend: &dyn Backend) {
    let store = backend.open().await;
    let row = pstn(1, 10);
    assert_eq!(
        put(&*store, A, LogKind::PstnCall, std::slice::from_ref(&row)).await,
        [LogPutOutcome::Created]
    );
    let mut changed = row.clone();
    changed["duration"] = json!(999);
    assert_eq!(
        put(&*store, A, LogKind::PstnCall, &[changed.clone()]).await,
        [LogPutOutcome::Replaced]
    );
    let stored = store
        .get_log_row(A, LogKind::PstnCall, "pstn-000001")
        .await
        .unwrap()
        .expect("stored");
    assert_eq!(serde_json::from_slice::<Value>(&stored).unwrap(), changed);
    // The identity is per kind and per tenant.
    assert!(
        store
            .get_log_row(A, LogKind::DirectRouting, "pstn-000001")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .get_log_row(B, LogKind::PstnCall, "pstn-000001")
            .await
            .unwrap()
            .is_none()
    );
    let (listed, _) = list_all(&*store, A, query(LogKind::PstnCall, 0, 86_400, true), true).await;
    assert_eq!(listed, ["pstn-000001"], "a replaced row is listed once");
    assert!(
        store
            .delete_log_row(A, LogKind::PstnCall, "pstn-000001")
            .await
            .unwrap()
    );
    assert!(
        !store
            .delete_log_row(A, LogKind::PstnCall, "pstn-000001")
            .await
            .unwrap()
    );
    assert!(
        store
            .get_log_row(A, LogKind::PstnCall, "pstn-000001")
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn ranges_and_their_ends(backend: &dyn Backend) {
    let store = backend.open().await;
    let times = [0i64, 1, 3_600, 86_399, 86_400, 86_401];
    let rows: Vec<Value> = times.iter().enumerate().map(|(i, t)| pstn(i, *t)).collect();
    put(&*store, A, LogKind::PstnCall, &rows).await;
    let dr: Vec<Value> = times
        .iter()
        .enumerate()
        .map(|(i, t)| direct_routing(i, *t, "c"))
        .collect();
    put(&*store, A, LogKind::DirectRouting, &dr).await;
    for (from, to) in [(0, 86_400), (1, 86_399), (3_600, 3_600), (86_401, 90_000)] {
        for inclusive in [true, false] {
            let expected: Vec<String> = times
                .iter()
                .enumerate()
                .filter(|(_, t)| **t >= from && if inclusive { **t <= to } else { **t < to })
                .map(|(i, _)| format!("pstn-{i:06}"))
                .collect();
            let (got, _) = list_all(
                &*store,
                A,
                query(LogKind::PstnCall, from, to, inclusive),
                true,
            )
            .await;
            assert_eq!(got, expected, "{from}..{to} inclusive={inclusive}");
            let (dr_got, _) = list_all(
                &*store,
                A,
                query(LogKind::DirectRouting, from, to, inclusive),
                true,
            )
            .await;
            assert_eq!(dr_got.len(), expected.len(), "kinds are listed apart");
        }
    }
}

pub async fn paging_by_keyset_and_by_offset_agree(backend: &dyn Backend) {
    let store = backend.open().await;
    // 2,500 rows over 10 days, many sharing an instant, written out of order in several batches.
    let rows: Vec<Value> = (0..2_500)
        .map(|i| pstn(i, ((i * 7_919) % 2_500) as i64 / 3 * 345))
        .collect();
    for chunk in rows.chunks(700) {
        put(&*store, A, LogKind::PstnCall, chunk).await;
    }
    let mut expected: Vec<(i64, usize)> = (0..2_500)
        .map(|i| (((i * 7_919) % 2_500) as i64 / 3 * 345, i))
        .collect();
    // Ties are served in the order rows were first stored, which is their index here.
    expected.sort();
    let expected: Vec<String> = expected
        .iter()
        .map(|(_, i)| format!("pstn-{i:06}"))
        .collect();
    let (keyset, pages) = list_all(
        &*store,
        A,
        query(LogKind::PstnCall, 0, 10 * 86_400, true),
        true,
    )
    .await;
    assert_eq!(pages, 3);
    assert_eq!(keyset, expected);
    let (offset, pages) = list_all(
        &*store,
        A,
        query(LogKind::PstnCall, 0, 10 * 86_400, true),
        false,
    )
    .await;
    assert_eq!(pages, 3);
    assert_eq!(offset, expected);
    // A cursor resumes just after its row even when rows share its instant.
    let mut q = query(LogKind::PstnCall, 0, 10 * 86_400, true);
    q.limit = 1;
    let first = store.list_log_rows(A, &q).await.unwrap();
    q.start = LogStart::After(first.rows[0].cursor);
    q.limit = 2;
    let next = store.list_log_rows(A, &q).await.unwrap();
    assert_eq!(ids(next.rows.into_iter().map(|r| r.body)), expected[1..3]);
}

fn value_of(row: &Value, kind: LogKind) -> impl Fn(LogColumn) -> LogValue + '_ {
    move |column| {
        let name = callrec_model::logs::filter::filterable(kind)
            .iter()
            .find(|(_, c)| *c == column)
            .map(|(n, _)| *n)
            .expect("a column of the kind");
        match &row[name] {
            Value::String(s) => LogValue::Text(s.clone()),
            Value::Bool(b) => LogValue::Bool(*b),
            Value::Number(n) => LogValue::Int(n.as_i64().expect("an integer")),
            _ => LogValue::Null,
        }
    }
}

pub async fn filters_match_the_model(backend: &dyn Backend) {
    let store = backend.open().await;
    let mut rows: Vec<Value> = (0..200)
        .map(|i| direct_routing(i, i as i64 * 60, &format!("corr-{}", i % 5)))
        .collect();
    rows[7]["callType"] = Value::Null;
    rows[8].as_object_mut().unwrap().remove("finalSipCode");
    put(&*store, A, LogKind::DirectRouting, &rows).await;
    let filters = [
        "successfulCall",
        "not successfulCall",
        "successfulCall eq false and finalSipCode ge 400",
        "finalSipCode in (404, 503) or callType eq 'ByotOut'",
        "not (finalSipCode lt 400)",
        "callType ne 'ByotIn'",
        "callType eq null",
        "startswith(callerNumber,'+12345670') and userPrincipalName eq 'user1@contoso.com'",
        "correlationId eq 'corr-3'",
        "startswith(calleeNumber,'+9')",
    ];
    for text in filters {
        let filter: LogFilter = log_filter(text, LogKind::DirectRouting).unwrap();
        let expected: Vec<String> = rows
            .iter()
            .filter(|r| matches(&filter, &value_of(r, LogKind::DirectRouting)))
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect();
        let mut q = query(LogKind::DirectRouting, 0, 86_400, true);
        q.filter = Some(filter);
        q.limit = 17;
        let (got, _) = list_all(&*store, A, q.clone(), true).await;
        assert_eq!(got, expected, "{text}");
        let (by_offset, _) = list_all(&*store, A, q, false).await;
        assert_eq!(by_offset, expected, "{text} by offset");
    }
}

pub async fn dialout_report_sums_meeting_dialouts(backend: &dyn Backend) {
    let store = backend.open().await;
    let rows: Vec<Value> = (0..300).map(|i| pstn(i, i as i64 * 600)).collect();
    put(&*store, A, LogKind::PstnCall, &rows).await;
    // Rows whose call type changes away from conf_out leave the report.
    let mut changed = rows[2].clone();
    changed["callType"] = json!("user_out");
    put(&*store, A, LogKind::PstnCall, &[changed.clone()]).await;
    let (from, to) = (3_000, 150_000);
    let mut expected: BTreeMap<(String, String, String, String, String), DialoutRow> =
        BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        let row = if i == 2 { &changed } else { row };
        let secs = i as i64 * 600;
        if row["callType"] != "conf_out" || secs < from || secs > to {
            continue;
        }
        let text = |name: &str| row[name].as_str().unwrap().to_owned();
        let key = (
            text("userPrincipalName"),
            text("userId"),
            text("usageCountryCode"),
            text("destinationContext"),
            text("currency"),
        );
        let entry = expected.entry(key).or_insert_with(|| DialoutRow {
            user_id: Some(text("userId")),
            user_principal_name: Some(text("userPrincipalName")),
            user_display_name: Some(text("userDisplayName")),
            usage_location: Some(text("usageCountryCode")),
            destination_context: Some(text("destinationContext")),
            currency: Some(text("currency")),
            ..DialoutRow::default()
        });
        entry.total_calls += 1;
        entry.total_seconds += row["duration"].as_i64().unwrap();
        entry.total_charge_nanos +=
            ((row["charge"].as_f64().unwrap() + row["connectionCharge"].as_f64().unwrap()) * 1e9)
                .round() as i64;
    }
    let expected: Vec<DialoutRow> = expected.into_values().collect();
    assert!(expected.len() > 5, "the case sums several groups");
    let mut got = Vec::new();
    let mut offset = 0;
    loop {
        let page = store
            .dialout_report(
                A,
                &DialoutQuery {
                    from: Ticks::from_unix_seconds(NOV_1 + from),
                    to: Ticks::from_unix_seconds(NOV_1 + to),
                    to_inclusive: true,
                    filter: None,
                    offset,
                    limit: 4,
                },
            )
            .await
            .unwrap();
        offset += page.rows.len() as u64;
        got.extend(page.rows);
        if !page.more {
            break;
        }
    }
    assert_eq!(got.len(), expected.len());
    for (g, e) in got.iter().zip(&expected) {
        assert_eq!(g.total_calls, e.total_calls, "{e:?}");
        assert_eq!(g.total_seconds, e.total_seconds, "{e:?}");
        // Each row's charge is rounded to nanos once; the sums agree to the nano per row.
        assert!(
            (g.total_charge_nanos - e.total_charge_nanos).abs() <= e.total_calls,
            "{g:?} vs {e:?}"
        );
        assert_eq!(
            (
                &g.user_principal_name,
                &g.usage_location,
                &g.destination_context,
                &g.currency
            ),
            (
                &e.user_principal_name,
                &e.usage_location,
                &e.destination_context,
                &e.currency
            )
        );
    }
    let filtered = store
        .dialout_report(
            A,
            &DialoutQuery {
                from: Ticks::from_unix_seconds(NOV_1 + from),
                to: Ticks::from_unix_seconds(NOV_1 + to),
                to_inclusive: true,
                filter: Some(
                    log_filter(
                        "userPrincipalName eq 'user2@contoso.com'",
                        LogKind::PstnOnlineMeetingDialout,
                    )
                    .unwrap(),
                ),
                offset: 0,
                limit: 100,
            },
        )
        .await
        .unwrap();
    assert_eq!(
        filtered.rows.len(),
        expected
            .iter()
            .filter(|e| e.user_principal_name.as_deref() == Some("user2@contoso.com"))
            .count()
    );
    assert!(!filtered.rows.is_empty());
}

pub async fn correlation_links_rows_to_records(backend: &dyn Backend) {
    let store = backend.open().await;
    let rows: Vec<Value> = (0..30)
        .map(|i| direct_routing(i, 1_000 - i as i64, &format!("record-{}", i % 4)))
        .collect();
    put(&*store, A, LogKind::DirectRouting, &rows).await;
    put(
        &*store,
        B,
        LogKind::DirectRouting,
        &[direct_routing(99, 5, "record-1")],
    )
    .await;
    let linked = ids(store.correlated_log_rows(A, "record-1", 100).await.unwrap());
    let mut expected: Vec<(i64, String)> = (0..30)
        .filter(|i| i % 4 == 1)
        .map(|i| (1_000 - i as i64, format!("dr-{i:06}")))
        .collect();
    expected.sort();
    assert_eq!(
        linked,
        expected.into_iter().map(|(_, id)| id).collect::<Vec<_>>()
    );
    assert_eq!(
        store
            .correlated_log_rows(A, "record-1", 2)
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(
        store
            .correlated_log_rows(A, "nothing", 10)
            .await
            .unwrap()
            .is_empty()
    );
}

pub async fn tenants_are_apart_and_rows_persist(backend: &dyn Backend) {
    {
        let store = backend.open().await;
        put(&*store, A, LogKind::PstnCall, &[pstn(1, 5), pstn(2, 6)]).await;
        put(&*store, B, LogKind::PstnCall, &[pstn(3, 7)]).await;
        let sms = json!({"smsId": "s1", "userPrincipalName": "a@contoso.com", "sentDateTime": at(8), "smsType": "sms_out", "smsUnits": 1});
        put(&*store, A, LogKind::Sms, &[sms]).await;
    }
    let store = backend.open().await;
    let (a, _) = list_all(&*store, A, query(LogKind::PstnCall, 0, 100, true), true).await;
    assert_eq!(a, ["pstn-000001", "pstn-000002"]);
    let (b, _) = list_all(&*store, B, query(LogKind::PstnCall, 0, 100, true), true).await;
    assert_eq!(b, ["pstn-000003"]);
    let sms = store
        .list_log_rows(A, &query(LogKind::Sms, 0, 100, true))
        .await
        .unwrap();
    assert_eq!(sms.rows.len(), 1);
    let none = store
        .list_log_rows("tenant-c", &query(LogKind::PstnCall, 0, 100, true))
        .await
        .unwrap();
    assert!(none.rows.is_empty() && !none.more);
}

/// Keyset pages of 1,000 over a 30-day range, timed. `CALLREC_BENCH_LOG_ROWS` sets the row count (the
/// benchmark in BENCHMARKS.md uses 1,000,000); the default keeps the suite quick and still checks that
/// every row is served once and in order.
pub async fn paging_speed(backend: &dyn Backend) {
    let total: usize = std::env::var("CALLREC_BENCH_LOG_ROWS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let store = backend.open().await;
    let span = 30 * 86_400i64;
    let started = Instant::now();
    let mut batch = Vec::with_capacity(5_000);
    for i in 0..total {
        // Spread evenly over 30 days, written in time order as an importer would.
        let secs = (i as i64 * span) / total as i64;
        batch.push(prepared(LogKind::PstnCall, pstn(i, secs)));
        if batch.len() == 5_000 {
            store
                .put_log_rows(A, std::mem::take(&mut batch))
                .await
                .unwrap();
        }
    }
    store.put_log_rows(A, batch).await.unwrap();
    let written = started.elapsed();
    let started = Instant::now();
    let mut q = query(LogKind::PstnCall, 0, span, true);
    let (mut served, mut pages, mut last): (usize, usize, Option<LogCursor>) = (0, 0, None);
    loop {
        let page = store.list_log_rows(A, &q).await.unwrap();
        pages += 1;
        for row in &page.rows {
            assert!(
                last.is_none_or(|l| l < row.cursor),
                "rows come in keyset order"
            );
            last = Some(row.cursor);
        }
        served += page.rows.len();
        if !page.more {
            break;
        }
        q.start = LogStart::After(last.expect("a page with more after it has rows"));
    }
    let read = started.elapsed();
    assert_eq!(served, total);
    assert_eq!(pages, total.div_ceil(1000).max(1));
    println!(
        "log paging: {total} rows written in {:.1}s; {pages} pages of 1,000 read in {:.2}s = {:.0} pages/minute",
        written.as_secs_f64(),
        read.as_secs_f64(),
        pages as f64 * 60.0 / read.as_secs_f64().max(1e-9)
    );
}

fn dialouts_in(from: i64, to: i64) -> DialoutQuery {
    DialoutQuery {
        from: Ticks::from_unix_seconds(NOV_1 + from),
        to: Ticks::from_unix_seconds(NOV_1 + to),
        to_inclusive: true,
        filter: None,
        offset: 0,
        limit: 1000,
    }
}

pub async fn purge_deletes_rows_older_than_the_cutoff(backend: &dyn Backend) {
    let store = backend.open().await;
    // Rows every hour for two days, in two tenants; the cutoff is at the end of the first day.
    let rows: Vec<Value> = (0..48).map(|i| pstn(i, i as i64 * 3600)).collect();
    put(&*store, A, LogKind::PstnCall, &rows[..30]).await;
    put(&*store, B, LogKind::PstnCall, &rows[30..]).await;
    let dr: Vec<Value> = (0..10)
        .map(|i| direct_routing(i, i as i64 * 3600, "c"))
        .collect();
    put(&*store, A, LogKind::DirectRouting, &dr).await;
    let cutoff = Ticks::from_unix_seconds(NOV_1 + 24 * 3600);
    let mut purged = 0;
    loop {
        let n = store
            .purge_log_rows_before(LogKind::PstnCall, cutoff, 7)
            .await
            .unwrap();
        assert!(n <= 7, "a purge deletes at most its limit");
        purged += n;
        if n < 7 {
            break;
        }
    }
    assert_eq!(purged, 24, "the rows of the first day, in both tenants");
    let day = 48 * 3600;
    let (a, _) = list_all(&*store, A, query(LogKind::PstnCall, 0, day, true), true).await;
    let (b, _) = list_all(&*store, B, query(LogKind::PstnCall, 0, day, true), true).await;
    let expected = |range: std::ops::Range<usize>| -> Vec<String> {
        range.map(|i| format!("pstn-{i:06}")).collect()
    };
    assert_eq!(a, expected(24..30));
    assert_eq!(b, expected(30..48));
    // The dial-out report loses the purged dial-outs with them.
    let report = store.dialout_report(A, &dialouts_in(0, day)).await.unwrap();
    let calls: i64 = report.rows.iter().map(|r| r.total_calls).sum();
    let conf_out = (24..30).filter(|i| i % 4 == 2).count() as i64;
    assert_eq!(calls, conf_out);
    // Another kind keeps its own rows until purged by its own call.
    let (kept, _) = list_all(
        &*store,
        A,
        query(LogKind::DirectRouting, 0, day, true),
        true,
    )
    .await;
    assert_eq!(kept.len(), 10);
    assert_eq!(
        store
            .purge_log_rows_before(LogKind::DirectRouting, cutoff, 100)
            .await
            .unwrap(),
        10
    );
    assert!(
        store
            .get_log_row(A, LogKind::DirectRouting, "dr-000000")
            .await
            .unwrap()
            .is_none()
    );
}

pub async fn scrubbing_rewrites_old_rows_once(backend: &dyn Backend) {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    let store = backend.open().await;
    let rows: Vec<Value> = (0..40).map(|i| pstn(i, i as i64 * 3600)).collect();
    put(&*store, A, LogKind::PstnCall, &rows[..20]).await;
    put(&*store, B, LogKind::PstnCall, &rows[20..]).await;
    let dr: Vec<Value> = (0..6)
        .map(|i| direct_routing(i, i as i64 * 3600, "corr"))
        .collect();
    put(&*store, A, LogKind::DirectRouting, &dr).await;
    // A row already scrubbed when written is left alone.
    let mut clean = prepared(LogKind::PstnCall, pstn(99, 60));
    clean.scrubbed = true;
    store.put_log_rows(A, vec![clean]).await.unwrap();

    let calls = Arc::new(AtomicUsize::new(0));
    let scrubber: callrec_store::logs::LogScrubber = {
        let calls = calls.clone();
        Arc::new(move |kind, body: &[u8]| {
            calls.fetch_add(1, Ordering::Relaxed);
            callrec_model::scrub::scrub_log_row_body(kind, body)
        })
    };
    let cutoff = Ticks::from_unix_seconds(NOV_1 + 30 * 3600);
    let mut scrubbed = 0;
    loop {
        let n = store
            .scrub_log_rows_before(cutoff, 8, scrubber.clone())
            .await
            .unwrap();
        assert!(n <= 8);
        scrubbed += n;
        if n < 8 {
            break;
        }
    }
    assert_eq!(
        scrubbed,
        30 + 6,
        "every kind, every tenant, only before the cutoff"
    );
    assert_eq!(calls.load(Ordering::Relaxed), 36, "each row once");
    assert_eq!(
        store
            .scrub_log_rows_before(cutoff, 8, scrubber.clone())
            .await
            .unwrap(),
        0,
        "nothing is scrubbed twice"
    );

    let body = |tenant: &'static str, kind: LogKind, key: String| {
        let store = store.clone();
        async move {
            let bytes = store
                .get_log_row(tenant, kind, &key)
                .await
                .unwrap()
                .unwrap();
            serde_json::from_slice::<Value>(&bytes).unwrap()
        }
    };
    let old = body(A, LogKind::PstnCall, "pstn-000003".into()).await;
    assert_eq!(old["callerNumber"], Value::Null);
    assert_eq!(old["userDisplayName"], Value::Null);
    assert_eq!(old["userId"], rows[3]["userId"], "the user id stays");
    assert_eq!(old["duration"], rows[3]["duration"]);
    let recent = body(B, LogKind::PstnCall, "pstn-000035".into()).await;
    assert_eq!(recent, rows[35], "a row after the cutoff is untouched");
    let kept = body(A, LogKind::PstnCall, "pstn-000099".into()).await;
    assert_eq!(
        kept["callerNumber"],
        pstn(99, 60)["callerNumber"],
        "marked scrubbed, so not visited"
    );

    // The filter columns follow the body: a number no longer finds its row, a user id still does.
    let mut by_number = query(LogKind::PstnCall, 0, 48 * 3600, true);
    by_number.filter = Some(
        log_filter(
            &format!(
                "callerNumber eq '{}'",
                rows[3]["callerNumber"].as_str().unwrap()
            ),
            LogKind::PstnCall,
        )
        .unwrap(),
    );
    assert!(list_all(&*store, A, by_number, true).await.0.is_empty());
    let mut by_user = query(LogKind::PstnCall, 0, 48 * 3600, true);
    by_user.filter = Some(log_filter("userId eq 'user-3'", LogKind::PstnCall).unwrap());
    let found = list_all(&*store, A, by_user, true).await.0;
    assert!(found.contains(&"pstn-000003".to_owned()), "{found:?}");
    // The dial-out report keeps its sums and loses the names.
    let report = store
        .dialout_report(A, &dialouts_in(0, 20 * 3600))
        .await
        .unwrap();
    assert!(!report.rows.is_empty());
    for row in &report.rows {
        assert_eq!(
            (&row.user_principal_name, &row.user_display_name),
            (&None, &None)
        );
        assert!(row.user_id.is_some() && row.total_calls > 0 && row.total_seconds > 0);
    }
    let calls_before: i64 = (0..20).filter(|i| i % 4 == 2).count() as i64;
    assert_eq!(
        report.rows.iter().map(|r| r.total_calls).sum::<i64>(),
        calls_before
    );
    let dr_row = body(A, LogKind::DirectRouting, "dr-000002".into()).await;
    assert_eq!(dr_row["calleeNumber"], Value::Null);
    assert_eq!(
        store
            .correlated_log_rows(A, "corr", 100)
            .await
            .unwrap()
            .len(),
        6,
        "the correlation id stays"
    );

    // Ingested again with its numbers, a row is scrubbed again; a row the scrubber refuses is marked.
    put(&*store, A, LogKind::PstnCall, &rows[3..4]).await;
    let refusing: callrec_store::logs::LogScrubber = Arc::new(|_, _: &[u8]| Err("no".to_owned()));
    assert_eq!(
        store
            .scrub_log_rows_before(cutoff, 8, refusing)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .scrub_log_rows_before(cutoff, 8, scrubber)
            .await
            .unwrap(),
        0
    );
}

/// Calls `$run!` with the name of every log-store case.
#[macro_export]
macro_rules! for_each_log_case {
    ($run:ident) => {
        $run!(
            put_get_replace_delete,
            ranges_and_their_ends,
            paging_by_keyset_and_by_offset_agree,
            filters_match_the_model,
            dialout_report_sums_meeting_dialouts,
            correlation_links_rows_to_records,
            tenants_are_apart_and_rows_persist,
            paging_speed,
            purge_deletes_rows_older_than_the_cutoff,
            scrubbing_rewrites_old_rows_once,
        );
    };
}

mod sqlite_runner {
    use crate::sqlite::SqliteBackend;

    macro_rules! sqlite_log_cases {
        ($($case:ident),* $(,)?) => {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let backend = SqliteBackend::new(concat!("logs-", stringify!($case)));
                    super::$case(&backend).await;
                }
            )*
        };
    }

    crate::for_each_log_case!(sqlite_log_cases);
}
