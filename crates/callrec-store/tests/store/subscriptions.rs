//! The conformance cases of [`callrec_store::SubscriptionStore`]: subscriptions per tenant, the outbox a
//! record write fills in its own transaction, and the claim / acknowledge / reschedule / drop cycle of
//! delivery. Each case runs on every backend, like the record cases.
//!
//! The write hook judges expiry by the system clock, so subscriptions here expire relative to it.

use std::collections::BTreeMap;
use std::time::{SystemTime, UNIX_EPOCH};

use callrec_store::subscriptions::{
    ClaimRequest, CreateOutcome, Millis, NotificationEvent, PendingNotification, Subscription,
    SubscriptionUpdate,
};
use callrec_store::{Store, WriteCondition};

use crate::backend::Backend;
use crate::records::Spec;

const A: &str = "tenant-a";
const B: &str = "tenant-b";
const HOUR: Millis = 3_600_000;

fn now() -> Millis {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

fn subscription(id: &str, change_type: &str, participants: &[&str]) -> Subscription {
    Subscription {
        id: id.to_owned(),
        resource: if participants.is_empty() {
            "/communications/callRecords".to_owned()
        } else {
            format!(
                "/communications/callRecords?$filter=participants/any(p:p/id in ({}))",
                participants
                    .iter()
                    .map(|p| format!("'{p}'"))
                    .collect::<Vec<_>>()
                    .join(",")
            )
        },
        participants: participants.iter().map(|p| p.to_string()).collect(),
        change_type: change_type.to_owned(),
        notification_url: format!("https://receiver.test/{id}"),
        lifecycle_notification_url: None,
        client_state: Some(format!("state of {id}")),
        expiration: now() + HOUR,
        application_id: Some("app".into()),
        creator_id: None,
        latest_supported_tls_version: "v1_2".into(),
        created_at: now(),
    }
}

async fn create(store: &dyn Store, tenant: &str, s: &Subscription) {
    assert_eq!(
        store
            .create_subscription(tenant, s, 100, now())
            .await
            .unwrap(),
        CreateOutcome::Created
    );
}

async fn write(store: &dyn Store, tenant: &str, specs: &[Spec]) {
    store
        .put_records(
            tenant,
            specs.iter().map(Spec::prepared).collect(),
            WriteCondition::NewerVersion,
        )
        .await
        .expect("write succeeds");
}

fn claim_all(at: Millis) -> ClaimRequest {
    ClaimRequest {
        now: at,
        lease: 60_000,
        limit: 10_000,
        per_url: 10_000,
        skip_urls: Vec::new(),
    }
}

/// Claims and acknowledges everything due now, returning `(subscription, event, record)` per notification.
async fn drain(store: &dyn Store) -> Vec<(String, &'static str, String)> {
    let claimed = store.claim_notifications(&claim_all(now())).await.unwrap();
    store
        .ack_notifications(&claimed.iter().map(|n| n.seq).collect::<Vec<_>>())
        .await
        .unwrap();
    let mut got: Vec<_> = claimed
        .into_iter()
        .map(|n| {
            (
                n.subscription_id,
                n.event.as_str(),
                n.record_id.unwrap_or_default(),
            )
        })
        .collect();
    got.sort();
    got
}

fn expect(items: &[(&str, &'static str, &str)]) -> Vec<(String, &'static str, String)> {
    let mut v: Vec<_> = items
        .iter()
        .map(|(s, e, r)| (s.to_string(), *e, r.to_string()))
        .collect();
    v.sort();
    v
}

pub async fn subscriptions_crud(backend: &dyn Backend) {
    let store = backend.open().await;
    let first = subscription(
        "11111111-0000-0000-0000-000000000001",
        "updated",
        &["x", "y"],
    );
    let mut second = subscription("11111111-0000-0000-0000-000000000002", "created", &[]);
    second.created_at = first.created_at + 1;
    create(&*store, A, &first).await;
    create(&*store, A, &second).await;
    create(
        &*store,
        B,
        &subscription("22222222-0000-0000-0000-000000000001", "created", &[]),
    )
    .await;

    let got = store.subscription(A, &first.id).await.unwrap();
    assert_eq!(got.as_ref(), Some(&first), "read back as written");
    assert!(
        store.subscription(B, &first.id).await.unwrap().is_none(),
        "another tenant's subscription is invisible"
    );
    let listed: Vec<String> = store
        .subscriptions(A, now())
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    assert_eq!(listed, vec![first.id.clone(), second.id.clone()]);
    assert!(
        store
            .subscriptions(A, now() + 2 * HOUR)
            .await
            .unwrap()
            .is_empty(),
        "expired subscriptions are not listed"
    );

    let renewed = store
        .update_subscription(
            A,
            &first.id,
            &SubscriptionUpdate {
                expiration: Some(first.expiration + HOUR),
                notification_url: Some("https://elsewhere.test/hook".into()),
            },
        )
        .await
        .unwrap()
        .expect("updated");
    assert_eq!(renewed.expiration, first.expiration + HOUR);
    assert_eq!(renewed.notification_url, "https://elsewhere.test/hook");
    assert_eq!(renewed.client_state, first.client_state);
    assert!(
        store
            .update_subscription(B, &first.id, &SubscriptionUpdate::default())
            .await
            .unwrap()
            .is_none()
    );

    assert!(store.delete_subscription(A, &first.id).await.unwrap());
    assert!(!store.delete_subscription(A, &first.id).await.unwrap());
    assert!(store.subscription(A, &first.id).await.unwrap().is_none());
    assert_eq!(store.subscriptions(A, now()).await.unwrap().len(), 1);
}

pub async fn subscription_limit_counts_live_subscriptions(backend: &dyn Backend) {
    let store = backend.open().await;
    for i in 0..3 {
        let s = subscription(&format!("limit-{i}"), "updated", &[]);
        assert_eq!(
            store.create_subscription(A, &s, 3, now()).await.unwrap(),
            CreateOutcome::Created
        );
    }
    let extra = subscription("limit-extra", "updated", &[]);
    assert_eq!(
        store
            .create_subscription(A, &extra, 3, now())
            .await
            .unwrap(),
        CreateOutcome::LimitReached { limit: 3 }
    );
    assert!(
        store
            .subscription(A, "limit-extra")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(
        store
            .create_subscription(B, &extra, 3, now())
            .await
            .unwrap(),
        CreateOutcome::Created,
        "the limit is per tenant"
    );
    // Once the others have expired they no longer count.
    assert_eq!(
        store
            .create_subscription(
                A,
                &subscription("limit-later", "updated", &[]),
                3,
                now() + 2 * HOUR
            )
            .await
            .unwrap(),
        CreateOutcome::Created
    );
}

pub async fn created_and_updated_semantics(backend: &dyn Backend) {
    let store = backend.open().await;
    create(&*store, A, &subscription("c", "created", &[])).await;
    create(&*store, A, &subscription("u", "updated", &[])).await;
    create(&*store, A, &subscription("cu", "created,updated", &[])).await;
    create(
        &*store,
        B,
        &subscription("other-tenant", "created,updated", &[]),
    )
    .await;

    write(&*store, A, &[Spec::new("r1")]).await;
    assert_eq!(
        drain(&*store).await,
        expect(&[
            ("c", "created", "r1"),
            ("u", "updated", "r1"),
            ("cu", "created", "r1"),
            ("cu", "updated", "r1"),
        ]),
        "a new record: created once, and updated"
    );
    write(&*store, A, &[Spec::new("r1").version(2)]).await;
    assert_eq!(
        drain(&*store).await,
        expect(&[("u", "updated", "r1"), ("cu", "updated", "r1")]),
        "a later version: updated only"
    );
    write(&*store, A, &[Spec::new("r1").version(2)]).await;
    assert_eq!(
        drain(&*store).await,
        expect(&[]),
        "a stale write owes nothing"
    );
}

pub async fn filters_match_participants(backend: &dyn Backend) {
    let store = backend.open().await;
    create(
        &*store,
        A,
        &subscription("alice", "created", &["alice", "ann"]),
    )
    .await;
    create(
        &*store,
        A,
        &subscription("bob", "created,updated", &["bob"]),
    )
    .await;

    let mut with_alice = Spec::new("with-alice");
    with_alice.participants = vec!["alice".into(), "carol".into()];
    let mut with_ann_organizing = Spec::new("ann-organizes");
    with_ann_organizing.organizer = Some("ann".into());
    with_ann_organizing.participants = vec!["dave".into()];
    let mut nobody = Spec::new("nobody");
    nobody.participants = vec!["erin".into()];
    write(
        &*store,
        A,
        &[with_alice, with_ann_organizing, nobody.clone()],
    )
    .await;
    assert_eq!(
        drain(&*store).await,
        expect(&[
            ("alice", "created", "with-alice"),
            ("alice", "created", "ann-organizes")
        ])
    );

    // Bob joins a record already stored: the first time bob's subscription sees it, it is created.
    let mut joined = nobody.clone().version(2);
    joined.participants.push("bob".into());
    write(&*store, A, &[joined]).await;
    assert_eq!(
        drain(&*store).await,
        expect(&[("bob", "created", "nobody"), ("bob", "updated", "nobody")])
    );
    let mut again = nobody.version(3);
    again.participants.push("bob".into());
    write(&*store, A, &[again]).await;
    assert_eq!(
        drain(&*store).await,
        expect(&[("bob", "updated", "nobody")])
    );
}

pub async fn claims_lease_and_reschedule(backend: &dyn Backend) {
    let store = backend.open().await;
    create(&*store, A, &subscription("s", "updated", &[])).await;
    write(&*store, A, &[Spec::new("r1"), Spec::new("r2")]).await;
    let t = now();

    let first = store.claim_notifications(&claim_all(t)).await.unwrap();
    assert_eq!(first.len(), 2);
    let n = &first[0];
    assert_eq!(
        (
            n.tenant.as_str(),
            n.subscription_id.as_str(),
            n.event,
            n.url.as_str(),
            n.client_state.as_deref(),
            n.attempts
        ),
        (
            A,
            "s",
            NotificationEvent::Updated,
            "https://receiver.test/s",
            Some("state of s"),
            0
        )
    );
    assert!(first[0].seq < first[1].seq, "oldest first");
    assert!(
        store
            .claim_notifications(&claim_all(t + 1_000))
            .await
            .unwrap()
            .is_empty(),
        "leased rows are not claimed twice"
    );
    let reclaimed = store
        .claim_notifications(&claim_all(t + 60_000))
        .await
        .unwrap();
    assert_eq!(
        reclaimed.iter().map(|n| n.seq).collect::<Vec<_>>(),
        first.iter().map(|n| n.seq).collect::<Vec<_>>(),
        "an expired lease frees the rows, with the same identity"
    );

    store
        .reschedule_notifications(&[first[0].seq], t + 120_000, true)
        .await
        .unwrap();
    store.ack_notifications(&[first[1].seq]).await.unwrap();
    assert!(
        store
            .claim_notifications(&claim_all(t + 119_000))
            .await
            .unwrap()
            .is_empty(),
        "not before it is due"
    );
    let retried = store
        .claim_notifications(&claim_all(t + 120_000))
        .await
        .unwrap();
    assert_eq!(retried.len(), 1);
    assert_eq!((retried[0].seq, retried[0].attempts), (first[0].seq, 1));
    assert_eq!(retried[0].queued_at, first[0].queued_at);

    store
        .reschedule_notifications(&[first[0].seq], t + 130_000, false)
        .await
        .unwrap();
    let delayed = store
        .claim_notifications(&claim_all(t + 130_000))
        .await
        .unwrap();
    assert_eq!(delayed[0].attempts, 1, "a delay is not a failed attempt");

    let before = store.outbox_stats().await.unwrap();
    assert_eq!(before.pending, 1);
    store.drop_notifications(&[first[0].seq]).await.unwrap();
    let after = store.outbox_stats().await.unwrap();
    assert_eq!((after.pending, after.dropped), (0, before.dropped + 1));
}

pub async fn claims_share_between_endpoints(backend: &dyn Backend) {
    let store = backend.open().await;
    create(&*store, A, &subscription("busy", "updated", &[])).await;
    let records: Vec<Spec> = (0..30).map(|i| Spec::new(format!("r{i}"))).collect();
    write(&*store, A, &records).await;
    create(&*store, A, &subscription("quiet", "updated", &[])).await;
    write(&*store, A, &[Spec::new("late")]).await;

    let mut request = claim_all(now());
    request.per_url = 5;
    request.limit = 8;
    let claimed = store.claim_notifications(&request).await.unwrap();
    let mut per_url: BTreeMap<String, usize> = BTreeMap::new();
    for n in &claimed {
        *per_url.entry(n.subscription_id.clone()).or_default() += 1;
    }
    assert_eq!(
        per_url,
        BTreeMap::from([("busy".to_owned(), 5), ("quiet".to_owned(), 1)]),
        "a backlog for one endpoint leaves room for the others"
    );

    let mut skipping = claim_all(now());
    skipping.skip_urls = vec!["https://receiver.test/busy".into()];
    let rest = store.claim_notifications(&skipping).await.unwrap();
    assert!(
        rest.is_empty(),
        "quiet's rows are leased, busy is skipped: {rest:?}"
    );
}

pub async fn expired_subscriptions_disappear(backend: &dyn Backend) {
    let store = backend.open().await;
    let mut short = subscription("short", "updated", &[]);
    short.expiration = now() + 30_000;
    create(&*store, A, &short).await;
    create(&*store, A, &subscription("long", "updated", &[])).await;
    write(&*store, A, &[Spec::new("r1")]).await;

    let later = now() + 60_000;
    let claimed: Vec<String> = store
        .claim_notifications(&claim_all(later))
        .await
        .unwrap()
        .into_iter()
        .map(|n| n.subscription_id)
        .collect();
    assert_eq!(
        claimed,
        vec!["long".to_owned()],
        "an expired subscription stops delivering"
    );
    assert_eq!(store.remove_expired_subscriptions(later).await.unwrap(), 1);
    assert!(store.subscription(A, "short").await.unwrap().is_none());
    assert_eq!(
        store.outbox_stats().await.unwrap().pending,
        1,
        "its pending notifications went with it"
    );
}

pub async fn reauthorization_is_queued_once_per_expiration(backend: &dyn Backend) {
    let store = backend.open().await;
    let mut with_lifecycle = subscription("lc", "updated", &[]);
    with_lifecycle.lifecycle_notification_url = Some("https://receiver.test/lifecycle".into());
    create(&*store, A, &with_lifecycle).await;
    create(&*store, A, &subscription("plain", "updated", &[])).await;
    let window = 10 * 60_000;

    assert_eq!(
        store.queue_reauthorization(now(), window).await.unwrap(),
        0,
        "not near expiry yet"
    );
    let near = with_lifecycle.expiration - 5 * 60_000;
    assert_eq!(store.queue_reauthorization(near, window).await.unwrap(), 1);
    assert_eq!(
        store
            .queue_reauthorization(near + 1_000, window)
            .await
            .unwrap(),
        0,
        "once per expiration"
    );
    let claimed: Vec<PendingNotification> =
        store.claim_notifications(&claim_all(near)).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(
        (
            claimed[0].event,
            claimed[0].url.as_str(),
            claimed[0].record_id.as_deref()
        ),
        (
            NotificationEvent::ReauthorizationRequired,
            "https://receiver.test/lifecycle",
            None
        )
    );
    store.ack_notifications(&[claimed[0].seq]).await.unwrap();

    store
        .update_subscription(
            A,
            "lc",
            &SubscriptionUpdate {
                expiration: Some(with_lifecycle.expiration + HOUR),
                notification_url: None,
            },
        )
        .await
        .unwrap();
    assert_eq!(store.queue_reauthorization(near, window).await.unwrap(), 0);
    assert_eq!(
        store
            .queue_reauthorization(near + HOUR, window)
            .await
            .unwrap(),
        1,
        "a renewal re-arms it"
    );
}

pub async fn outbox_survives_reopen(backend: &dyn Backend) {
    {
        let store = backend.open().await;
        create(&*store, A, &subscription("s", "created", &[])).await;
        write(&*store, A, &[Spec::new("r1"), Spec::new("r2")]).await;
    }
    let store = backend.open().await;
    assert_eq!(
        drain(&*store).await,
        expect(&[("s", "created", "r1"), ("s", "created", "r2")])
    );
}

pub async fn a_failed_write_queues_nothing(backend: &dyn Backend) {
    let store = backend.open().await;
    if !backend.reject_record_id("poison").await {
        println!("a_failed_write_queues_nothing: skipped (the backend cannot inject a failure)");
        return;
    }
    create(&*store, A, &subscription("s", "created,updated", &[])).await;
    let failed = store
        .put_records(
            A,
            vec![Spec::new("fine").prepared(), Spec::new("poison").prepared()],
            WriteCondition::NewerVersion,
        )
        .await;
    assert!(failed.is_err());
    assert_eq!(store.outbox_stats().await.unwrap().pending, 0);
    write(&*store, A, &[Spec::new("fine")]).await;
    assert_eq!(
        drain(&*store).await,
        expect(&[("s", "created", "fine"), ("s", "updated", "fine")]),
        "the record that was rolled back is new when written again"
    );
}

pub async fn a_scrubbing_write_notifies_no_one(backend: &dyn Backend) {
    let store = backend.open().await;
    create(&*store, A, &subscription("all", "created,updated", &[])).await;
    create(
        &*store,
        A,
        &subscription("p", "updated", &["participant-1"]),
    )
    .await;
    write(&*store, A, &[Spec::new("r")]).await;
    assert_eq!(
        drain(&*store).await,
        expect(&[
            ("all", "created", "r"),
            ("all", "updated", "r"),
            ("p", "updated", "r")
        ])
    );
    let mut scrubbed = Spec::new("r").prepared();
    scrubbed.scrubbed = true;
    let outcome = store
        .put_records(A, vec![scrubbed], WriteCondition::Scrubbing)
        .await
        .unwrap();
    assert_eq!(
        outcome,
        [callrec_store::PutOutcome::Replaced {
            previous_version: 1
        }]
    );
    assert_eq!(
        store.outbox_stats().await.unwrap().pending,
        0,
        "the call did not change, only what is kept of it"
    );
    // A real change after it is announced as ever.
    write(&*store, A, &[Spec::new("r").version(2)]).await;
    assert_eq!(
        drain(&*store).await,
        expect(&[("all", "updated", "r"), ("p", "updated", "r")])
    );
}

/// Calls `$run!` with every subscription case, as [`crate::for_each_case`] does for records.
#[macro_export]
macro_rules! for_each_subscription_case {
    ($run:ident) => {
        $run!(
            subscriptions_crud,
            subscription_limit_counts_live_subscriptions,
            created_and_updated_semantics,
            filters_match_participants,
            claims_lease_and_reschedule,
            claims_share_between_endpoints,
            expired_subscriptions_disappear,
            reauthorization_is_queued_once_per_expiration,
            outbox_survives_reopen,
            a_failed_write_queues_nothing,
            a_scrubbing_write_notifies_no_one,
        );
    };
}

mod sqlite {
    use crate::sqlite::SqliteBackend;

    macro_rules! sqlite_subscription_cases {
        ($($case:ident),* $(,)?) => {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let backend = SqliteBackend::new(stringify!($case));
                    super::$case(&backend).await;
                }
            )*
        };
    }

    crate::for_each_subscription_case!(sqlite_subscription_cases);
}
