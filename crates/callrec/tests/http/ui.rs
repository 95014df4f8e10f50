//! The web UI: its page and files over HTTP, then the views in a real headless Chromium (see `browser.rs`):
//! the calls search and its URL, the drill from a quality bar to its calls to one call, the timeline of a
//! 300-session meeting, and a tenant's token that shows that tenant's calls only.

use std::sync::Arc;

use callrec::auth;
use serde_json::{Value, json};

use crate::auth::{claims, hs256, secured};
use crate::browser::{self, Browser};
use crate::support::TestServer;
use crate::ui_data::{day, endpoint, meeting, participant, segment};

const RECORDS: &str = "/v1.0/communications/callRecords";
const ALICE: (&str, &str) = ("a11ce000-0000-4000-8000-000000000001", "Alice Archer");
const BOB: (&str, &str) = ("b0b00000-0000-4000-8000-000000000002", "Bob Baker");
const CAROL: (&str, &str) = ("ca201000-0000-4000-8000-000000000003", "Carol Cook");

/// A peer-to-peer call on `date` at `hour`:00 UTC lasting ten minutes; poor when `jitter_ms` > 30.
fn two_party(
    id: &str,
    date: &str,
    hour: u32,
    caller: (&str, &str),
    callee: (&str, &str),
    jitter_ms: u32,
) -> Value {
    let start = format!("{date}T{hour:02}:00:00Z");
    let end = format!("{date}T{hour:02}:10:00Z");
    json!({
        "id": id, "version": 1, "type": "peerToPeer", "modalities": ["audio"],
        "lastModifiedDateTime": end, "startDateTime": start, "endDateTime": end,
        "joinWebUrl": null, "organizer": null, "participants": [],
        "organizer_v2": participant(caller),
        "participants_v2": [participant(caller), participant(callee)],
        "sessions": [{
            "id": format!("{id}-s"), "modalities": ["audio"], "startDateTime": start, "endDateTime": end,
            "isTest": false, "caller": endpoint(caller), "callee": endpoint(callee), "failureInfo": null,
            "segments": [segment(&format!("{id}-g"), &start, &end, endpoint(caller), endpoint(callee), jitter_ms)]
        }]
    })
}

/// Three calls: Alice to Bob, poor, and Alice to Carol, good, yesterday; Bob to Carol, poor, two days ago.
fn three_calls(server: &TestServer) {
    server.ingest(&two_party("c1-poor", &day(1), 10, ALICE, BOB, 45));
    server.ingest(&two_party("c2-good", &day(1), 11, ALICE, CAROL, 9));
    server.ingest(&two_party("c3-poor", &day(2), 10, BOB, CAROL, 60));
}

/// The ids of the calls the calls table shows, in order.
async fn listed(b: &Browser) -> Vec<String> {
    let ids = b
        .until("[...document.querySelectorAll('#calls tbody tr')].map((r) => r.dataset.id).join(' ') || 'none'")
        .await;
    match ids.as_str() {
        Some("none") | None => Vec::new(),
        Some(ids) => ids.split(' ').map(str::to_owned).collect(),
    }
}

/// Marks the drawn view as stale, so that [`Browser::ready`] waits for the next one.
async fn stale(b: &Browser) {
    b.client
        .execute(
            "document.querySelector('main').dataset.state = 'stale';",
            vec![],
        )
        .await
        .expect("mark stale");
}

#[test]
fn the_page_and_its_files_are_served_with_validators() {
    let server = TestServer::start();
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page.text.contains("/ui/app.js"), "{}", page.text);
    assert_eq!(page.header("cache-control"), Some("no-cache"));
    let tag = page.header("etag").expect("an ETag").to_owned();
    let again = server.get_with("/", &[("if-none-match", &tag)]);
    assert_eq!(again.status, 304);
    assert!(again.text.is_empty());
    for (file, media) in [("app.js", "text/javascript"), ("app.css", "text/css")] {
        let reply = server.get(&format!("/ui/{file}"));
        assert_eq!(reply.status, 200, "{file}");
        assert!(
            reply.header("content-type").unwrap().starts_with(media),
            "{file}"
        );
        assert!(reply.header("content-security-policy").is_some(), "{file}");
    }
    server
        .get("/ui/nothing.js")
        .assert_error(404, "itemNotFound");
    // The API under it is unchanged.
    assert_eq!(server.get(RECORDS).status, 200);
}

#[test]
fn with_tokens_on_the_page_needs_none_and_the_api_still_does() {
    let server = secured(|_| {});
    assert_eq!(server.get("/").status, 200);
    assert_eq!(server.get("/ui/app.js").status, 200);
    assert_eq!(server.get(RECORDS).status, 401);
}

#[test]
fn the_calls_search_filters_and_lives_in_the_url() {
    let server = TestServer::start();
    three_calls(&server);
    let base = server.base.clone();
    browser::run(&server.runtime, "the calls search", |b| async move {
        b.open(&format!("{base}/#/calls"), "calls").await;
        assert_eq!(listed(&b).await, ["c2-good", "c1-poor", "c3-poor"]);
        let badge = b.text("#calls tr[data-id='c1-poor'] .badge").await;
        assert_eq!(badge, "poor");
        assert_eq!(b.text("#calls tr[data-id='c2-good'] .badge").await, "good");
        // Participant counts are filled in after the table.
        b.until("document.querySelector(\"#calls tr[data-id='c1-poor'] td.participants\").textContent === '2'")
            .await;

        // A participant by part of the name, poor only, from the form.
        let who = b
            .client
            .find(fantoccini::Locator::Css("input[name=who]"))
            .await
            .unwrap();
        who.send_keys("alice").await.unwrap();
        b.click("input[name=poor]").await;
        stale(&b).await;
        b.click("form.search button[type=submit]").await;
        b.ready("calls").await;
        assert_eq!(listed(&b).await, ["c1-poor"]);
        let url = b.client.current_url().await.unwrap().to_string();
        assert!(url.contains("who=alice") && url.contains("poor=1"), "{url}");
        assert!(b.text("#filter").await.contains("quality eq 'poor'"));

        // The URL alone gives the same search, with the form filled in.
        b.open(&format!("{base}/#/operations"), "operations").await;
        b.open(&url, "calls").await;
        assert_eq!(listed(&b).await, ["c1-poor"]);
        let checked = b
            .until("document.querySelector('input[name=poor]').checked")
            .await;
        assert_eq!(checked, true);

        // A time range: the day before yesterday holds one call.
        let d2 = day(2);
        b.open(&format!("{base}/#/calls?from={d2}&to={d2}"), "calls")
            .await;
        assert_eq!(listed(&b).await, ["c3-poor"]);
        // A participant by id, and a type nothing matches.
        b.open(&format!("{base}/#/calls?who={}", CAROL.0), "calls")
            .await;
        assert_eq!(listed(&b).await, ["c2-good", "c3-poor"]);
        b.open(&format!("{base}/#/calls?type=groupCall"), "calls")
            .await;
        assert!(listed(&b).await.is_empty());
        assert!(b.text("main").await.contains("No call matches."));
    });
}

#[test]
fn a_quality_bar_opens_its_calls_and_a_call_shows_why_it_was_poor() {
    let server = TestServer::start();
    three_calls(&server);
    let base = server.base.clone();
    let yesterday = day(1);
    browser::run(&server.runtime, "the quality drill", |b| async move {
        b.open(&format!("{base}/#/quality?days=7"), "quality").await;
        // Yesterday: four streams, one poor (Bob's).
        let bar = format!("#trend .bar[data-key='{yesterday}T00:00:00Z']");
        let label = b
            .until(&format!(
                "document.querySelector(\"{bar}\").getAttribute('aria-label')"
            ))
            .await;
        assert!(
            label.as_str().unwrap().contains("3 good, 1 poor"),
            "{label}"
        );
        stale(&b).await;
        b.click(&bar).await;
        b.ready("calls").await;
        assert_eq!(listed(&b).await, ["c1-poor"]);

        stale(&b).await;
        b.click("#calls a[href='#/call/c1-poor']").await;
        b.ready("call").await;
        assert!(b.text("h1").await.contains("c1-poor"));
        assert_eq!(b.text("dl.facts .badge").await, "poor");
        // The stream to Bob broke the jitter limit; the limit is shown beside the value.
        b.until("document.querySelector('#streams')").await;
        let poor = b.texts("#streams td.v-poor").await;
        assert!(poor.iter().any(|t| t.contains("45 ms")), "{poor:?}");
        let jitter_row = b.text("#streams tr[data-metric='averageJitter']").await;
        assert!(jitter_row.contains("≤ 30 ms"), "{jitter_row}");
        let verdicts = b.text("#streams tr.verdict").await;
        assert!(
            verdicts.contains("averageJitter 45 ms > 30 ms"),
            "{verdicts}"
        );
        assert!(b.text("#detail").await.contains("Bob Baker"));
        // Optional parts that are absent (a pager for a few sessions) leave nothing, not "null".
        let page = b.text("main").await;
        assert!(!page.lines().any(|l| l.trim() == "null"), "{page}");

        // A breakdown row opens the calls behind it too.
        b.open(&format!("{base}/#/quality?days=7&by=user&min=1"), "quality")
            .await;
        let first = b.texts("#breakdown tbody tr td:first-child").await;
        assert!(first.len() >= 2, "{first:?}");
        assert!(first[..2].contains(&"Bob Baker".to_owned()), "{first:?}");
        stale(&b).await;
        b.click("#breakdown tbody tr:first-child a").await;
        b.ready("calls").await;
        assert!(!listed(&b).await.is_empty());
    });
}

#[test]
fn a_300_session_meeting_draws_its_timeline_and_pages_its_sessions() {
    let server = TestServer::start();
    server.ingest(&meeting("big-meeting", 300));
    let base = server.base.clone();
    browser::run(
        &server.runtime,
        "the 300-session timeline",
        |b| async move {
            b.open(&format!("{base}/#/call/big-meeting"), "call").await;
            let ms = b
                .until("+document.querySelector('main').dataset.renderMs + 1")
                .await;
            println!(
                "a 300-session meeting drew in {} ms",
                ms.as_f64().unwrap() - 1.0
            );
            let count = b
                .until("document.querySelectorAll('#timeline rect.sess').length")
                .await;
            assert_eq!(count, 300);
            assert_eq!(
                b.until("document.querySelectorAll('#timeline rect.sess.poor').length")
                    .await,
                30
            );
            assert_eq!(
                b.until("document.querySelectorAll('#timeline .fail').length")
                    .await,
                12
            );
            // Graph pages sessions at 60: the page says so.
            assert!(b.text("#paging-note").await.contains("5 pages"));
            assert_eq!(b.texts("#sessions tbody tr").await.len(), 50);
            assert!(b.text("#sessions-pager").await.contains("1–50 of 300"));
            b.click("#sessions-pager button.next").await;
            b.until(
                "document.querySelector('#sessions-pager').textContent.includes('51–100 of 300')",
            )
            .await;
            // Picking the last attendee's session on the timeline shows its details.
            b.click("#timeline rect.sess[data-session='s299']").await;
            b.until("document.querySelector('#detail h2')?.textContent.includes('s299')")
                .await;
            assert!(b.text("#detail").await.contains("Attendee 299"));
            // The keyboard moves along the timeline.
            b.client
                .execute(
                    "document.querySelector(\"#timeline rect.sess[data-session='s010']\").focus();",
                    vec![],
                )
                .await
                .unwrap();
            b.client
                .active_element()
                .await
                .unwrap()
                .send_keys("\u{E015}\u{E007}")
                .await
                .unwrap();
            b.until("document.querySelector('#detail h2')?.textContent.includes('s011')")
                .await;
        },
    );
}

#[test]
fn a_tenant_token_shows_that_tenant_only() {
    const TENANT_A: &str = "aaaaaaaa-0000-0000-0000-00000000000a";
    const TENANT_B: &str = "bbbbbbbb-0000-0000-0000-00000000000b";
    let server = secured(|_| {});
    let roles = [auth::CALL_RECORDS_READ, auth::CALL_RECORDS_WRITE];
    let token_a = hs256(&claims(TENANT_A, &roles));
    let token_b = hs256(&claims(TENANT_B, &roles));
    for (token, id) in [(&token_a, "call-of-a"), (&token_b, "call-of-b")] {
        let record = two_party(id, &day(1), 10, ALICE, BOB, 45);
        let bearer = format!("Bearer {token}");
        let reply = server.send(
            "POST",
            RECORDS,
            &record.to_string(),
            &[
                ("content-type", "application/json"),
                ("authorization", &bearer),
            ],
        );
        assert_eq!(reply.status, 201, "{}", reply.text);
    }
    let base = server.base.clone();
    let token_a = Arc::new(token_a);
    browser::run(&server.runtime, "tenants kept apart", |b| async move {
        b.client.goto(&format!("{base}/#/calls")).await.unwrap();
        let refused = b.error("calls").await;
        assert!(refused.contains("needs a token"), "{refused}");

        let field = b
            .client
            .find(fantoccini::Locator::Css("#token"))
            .await
            .unwrap();
        field.send_keys(&token_a).await.unwrap();
        stale(&b).await;
        b.click("#token-form button[type=submit]").await;
        b.ready("calls").await;
        assert_eq!(listed(&b).await, ["call-of-a"]);
        let kept = b.until("sessionStorage.getItem('callrec.token')").await;
        assert_eq!(kept.as_str(), Some(token_a.as_str()));

        // Another tenant's call is not found, whatever the URL says.
        b.client
            .goto(&format!("{base}/#/call/call-of-b"))
            .await
            .unwrap();
        let hidden = b.error("call").await;
        assert!(
            hidden.contains("NotFound") || hidden.contains("404"),
            "{hidden}"
        );
        b.open(&format!("{base}/#/quality?days=7"), "quality").await;
        assert!(b.text("main").await.contains("2 streams"));

        // Forgetting the token forgets it.
        b.click("#token-clear").await;
        b.error("quality").await;
        assert_eq!(
            b.until("sessionStorage.getItem('callrec.token') === null")
                .await,
            true
        );
    });
}
