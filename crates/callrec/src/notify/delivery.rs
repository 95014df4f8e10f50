//! The delivery workers: they empty the store's outbox into subscribers' webhooks.
//!
//! One loop claims due notifications (leased, so another node does not send them too), groups them by
//! destination URL into POSTs of up to [`NotifyConfig::batch_size`], and hands each POST to a task of its
//! own. A POST holds one of the endpoint's few delivery slots and one of the node's; an endpoint whose
//! slots are all taken is left out of the next claim, so a slow or dead endpoint ties up only its own
//! slots and never holds back the others. Ingestion never waits for any of this: the outbox rows were
//! written with the records, and delivery only reads and removes them.
//!
//! A POST that is answered 2xx within [`NotifyConfig::delivery_timeout`] is acknowledged. Anything else
//! is retried with exponential backoff until [`NotifyConfig::give_up_after`] has passed since the
//! notification was queued; then it is dropped and counted. Graph's slow-endpoint rules
//! ([`super::endpoints`]) come on top.
//!
//! [`NotifyConfig::batch_size`]: super::NotifyConfig::batch_size
//! [`NotifyConfig::delivery_timeout`]: super::NotifyConfig::delivery_timeout
//! [`NotifyConfig::give_up_after`]: super::NotifyConfig::give_up_after

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use callrec_store::Store;
use callrec_store::subscriptions::{ClaimRequest, Millis, PendingNotification};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::endpoints::Verdict;
use super::{Notifier, payload};

fn millis(d: Duration) -> Millis {
    d.as_millis().min(i64::MAX as u128) as i64
}

/// Runs the delivery loop until the task is aborted.
pub async fn run(notifier: Arc<Notifier>, store: Arc<dyn Store>) {
    let config = notifier.config().clone();
    let slots = Arc::new(Semaphore::new(config.max_in_flight.max(1)));
    let mut last_maintenance: Option<Instant> = None;
    loop {
        if last_maintenance.is_none_or(|t| t.elapsed() >= config.maintenance_interval) {
            maintain(&notifier, store.as_ref()).await;
            last_maintenance = Some(Instant::now());
        }
        let free = slots.available_permits();
        let mut claimed = false;
        if free > 0 {
            let request = ClaimRequest {
                now: notifier.now(),
                lease: millis(config.lease),
                limit: free.saturating_mul(config.batch_size.max(1)),
                per_url: config
                    .batch_size
                    .max(1)
                    .saturating_mul(config.per_endpoint.max(1)),
                skip_urls: notifier.endpoints.busy(),
            };
            match store.claim_notifications(&request).await {
                Ok(rows) => {
                    claimed = !rows.is_empty();
                    dispatch(&notifier, &store, &slots, rows).await;
                }
                Err(e) => tracing::warn!(error = %e, "cannot claim notifications"),
            }
        }
        if !claimed {
            tokio::time::sleep(config.poll_interval).await;
        }
    }
}

/// Removes expired subscriptions and queues the lifecycle notifications that are due.
async fn maintain(notifier: &Notifier, store: &dyn Store) {
    let now = notifier.now();
    match store.remove_expired_subscriptions(now).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(removed = n, "removed expired subscriptions"),
        Err(e) => tracing::warn!(error = %e, "cannot remove expired subscriptions"),
    }
    let window = millis(notifier.config().reauthorize_before);
    match store.queue_reauthorization(now, window).await {
        Ok(0) => {}
        Ok(n) => tracing::info!(queued = n, "queued reauthorizationRequired notifications"),
        Err(e) => tracing::warn!(error = %e, "cannot queue lifecycle notifications"),
    }
}

/// Splits claimed rows into POSTs per destination and starts a task for each one a slot is free for;
/// the rest go back to the outbox at once rather than waiting out their lease.
async fn dispatch(
    notifier: &Arc<Notifier>,
    store: &Arc<dyn Store>,
    slots: &Arc<Semaphore>,
    rows: Vec<PendingNotification>,
) {
    let batch_size = notifier.config().batch_size.max(1);
    let mut batches: Vec<(String, bool, Vec<PendingNotification>)> = Vec::new();
    for row in rows {
        let lifecycle = row.event.is_lifecycle();
        match batches
            .iter_mut()
            .find(|(url, l, b)| *url == row.url && *l == lifecycle && b.len() < batch_size)
        {
            Some((_, _, batch)) => batch.push(row),
            None => batches.push((row.url.clone(), lifecycle, vec![row])),
        }
    }
    let mut returned = Vec::new();
    for (url, _, batch) in batches {
        match slots.clone().try_acquire_owned() {
            Ok(slot) => {
                let (notifier, store) = (notifier.clone(), store.clone());
                tokio::spawn(async move { deliver(notifier, store, url, batch, slot).await });
            }
            Err(_) => returned.extend(batch.iter().map(|n| n.seq)),
        }
    }
    if !returned.is_empty()
        && let Err(e) = store
            .reschedule_notifications(&returned, notifier.now(), false)
            .await
    {
        tracing::warn!(error = %e, "cannot release claimed notifications");
    }
}

/// Delivers one POST and settles its notifications.
async fn deliver(
    notifier: Arc<Notifier>,
    store: Arc<dyn Store>,
    url: String,
    batch: Vec<PendingNotification>,
    _slot: OwnedSemaphorePermit,
) {
    let config = notifier.config();
    let seqs: Vec<i64> = batch.iter().map(|n| n.seq).collect();
    let per_endpoint = config.per_endpoint;
    match notifier
        .endpoints
        .verdict(&url, notifier.now(), per_endpoint)
    {
        Verdict::Deliver => {}
        Verdict::Delay(until) => {
            tracing::debug!(%url, until, "endpoint flagged as slow: delaying its notifications");
            settle(
                store.reschedule_notifications(&seqs, until, false).await,
                "delay",
            );
            return;
        }
        Verdict::Drop => {
            tracing::warn!(%url, count = seqs.len(), "endpoint too slow: dropping its notifications");
            notifier
                .metrics
                .dropped
                .fetch_add(seqs.len() as u64, Ordering::Relaxed);
            settle(store.drop_notifications(&seqs).await, "drop");
            return;
        }
    }
    let permits = notifier
        .endpoints
        .permits(&url, notifier.now(), per_endpoint);
    let Ok(_endpoint_slot) = permits.acquire_owned().await else {
        return;
    };
    let body = payload::body(&batch);
    let started = Instant::now();
    let sent = tokio::time::timeout(
        config.delivery_timeout,
        notifier
            .client
            .post(&url)
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/json; charset=utf-8",
            )
            .body(body)
            .send(),
    )
    .await;
    let elapsed = started.elapsed();
    notifier.metrics.record_post(elapsed);
    notifier.endpoints.record(
        &url,
        notifier.now(),
        per_endpoint,
        batch.len() as u64,
        elapsed,
    );
    let outcome = match sent {
        Ok(Ok(response)) if response.status().is_success() => Ok(()),
        Ok(Ok(response)) => Err(format!("answered {}", response.status())),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!(
            "no answer within {} ms",
            config.delivery_timeout.as_millis()
        )),
    };
    match outcome {
        Ok(()) => {
            notifier
                .metrics
                .sent
                .fetch_add(batch.len() as u64, Ordering::Relaxed);
            settle(store.ack_notifications(&seqs).await, "acknowledge");
        }
        Err(why) => {
            tracing::debug!(%url, count = batch.len(), reason = %why, "delivery failed");
            retry_or_drop(&notifier, store.as_ref(), &url, &batch).await;
        }
    }
}

/// When a failed notification is tried again: backoff doubling from the first retry delay, or the slow
/// endpoints' fixed delay, but never past its deadline. `None` once the deadline has passed.
pub fn next_attempt(
    notifier: &Notifier,
    n: &PendingNotification,
    now: Millis,
    flagged: bool,
) -> Option<Millis> {
    let config = notifier.config();
    let deadline = n.queued_at.saturating_add(millis(config.give_up_after));
    if now >= deadline {
        return None;
    }
    let wait = if flagged {
        millis(notifier.endpoints.rules().delay)
    } else {
        let doubled = millis(config.first_retry).saturating_mul(1i64 << n.attempts.min(30));
        doubled.min(millis(config.max_retry))
    };
    Some(now.saturating_add(wait).min(deadline))
}

async fn retry_or_drop(
    notifier: &Notifier,
    store: &dyn Store,
    url: &str,
    batch: &[PendingNotification],
) {
    let now = notifier.now();
    let flagged = matches!(
        notifier
            .endpoints
            .verdict(url, now, notifier.config().per_endpoint),
        Verdict::Delay(_)
    );
    let mut dropped = Vec::new();
    // Notifications of one batch may have been queued at different times, so they retry apart.
    let mut retries: Vec<(Millis, Vec<i64>)> = Vec::new();
    for n in batch {
        match next_attempt(notifier, n, now, flagged) {
            None => dropped.push(n.seq),
            Some(due) => match retries.iter_mut().find(|(d, _)| *d == due) {
                Some((_, seqs)) => seqs.push(n.seq),
                None => retries.push((due, vec![n.seq])),
            },
        }
    }
    for (due, seqs) in retries {
        notifier
            .metrics
            .retried
            .fetch_add(seqs.len() as u64, Ordering::Relaxed);
        settle(
            store.reschedule_notifications(&seqs, due, true).await,
            "reschedule",
        );
    }
    if !dropped.is_empty() {
        tracing::warn!(%url, count = dropped.len(), "notifications undelivered past their deadline: dropped");
        notifier
            .metrics
            .dropped
            .fetch_add(dropped.len() as u64, Ordering::Relaxed);
        settle(store.drop_notifications(&dropped).await, "drop");
    }
}

/// Logs a failed outbox update; the lease running out puts the rows back, so nothing is lost.
fn settle(result: Result<(), callrec_store::StoreError>, what: &str) {
    if let Err(e) = result {
        tracing::warn!(error = %e, "cannot {what} notifications; they return when their lease ends");
    }
}

#[cfg(test)]
mod tests {
    use callrec_store::subscriptions::NotificationEvent;

    use super::*;
    use crate::notify::NotifyConfig;

    fn pending(queued_at: Millis, attempts: u32) -> PendingNotification {
        PendingNotification {
            seq: 1,
            tenant: "t".into(),
            subscription_id: "s".into(),
            event: NotificationEvent::Updated,
            record_id: Some("r".into()),
            url: "https://h.test/".into(),
            client_state: None,
            subscription_expiration: 0,
            queued_at,
            attempts,
        }
    }

    #[test]
    fn retries_back_off_until_the_deadline() {
        let notifier = Notifier::new(NotifyConfig::default());
        let t = 1_000_000_000;
        let after = |attempts, now| next_attempt(&notifier, &pending(t, attempts), now, false);
        assert_eq!(after(0, t), Some(t + 30_000));
        assert_eq!(after(1, t), Some(t + 60_000));
        assert_eq!(after(3, t), Some(t + 240_000));
        assert_eq!(after(10, t), Some(t + 600_000), "capped at ten minutes");
        let four_hours = 4 * 3_600_000;
        assert_eq!(
            after(10, t + four_hours - 1_000),
            Some(t + four_hours),
            "the last retry is at the deadline"
        );
        assert_eq!(after(10, t + four_hours), None, "then it is dropped");
        assert_eq!(
            next_attempt(&notifier, &pending(t, 0), t, true),
            Some(t + 600_000),
            "a slow endpoint's failures wait ten minutes"
        );
    }
}
