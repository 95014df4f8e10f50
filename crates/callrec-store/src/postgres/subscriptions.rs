//! Change-notification subscriptions and the outbox on PostgreSQL, shared by every node.
//!
//! The notifications a record owes are queued by [`record_written`] inside the record's own transaction,
//! so the record and its outbox rows commit together or not at all. Delivery workers on any node claim
//! due rows in one statement: it picks the oldest due rows (at most so many per destination), locks the
//! picked rows with `FOR UPDATE SKIP LOCKED` (checking again that they are still due and unleased) and
//! leases them. A row locked by one node's claim is skipped by the others, and once that claim commits
//! the lease keeps it from being due, so each notification goes out from exactly one node while its
//! lease holds (and comes back if that node dies before acknowledging it). Only the picked rows are
//! locked, never the whole scanned window, so concurrent claims do not starve each other.

use std::collections::{HashMap, HashSet};
use std::time::{SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use deadpool_postgres::Transaction;
use tokio_postgres::Row;

use super::records::TxError;
use super::{PostgresStore, backend};
use crate::encoded::EncodedRecord;
use crate::subscriptions::{
    ClaimRequest, CreateOutcome, Millis, NotificationEvent, OutboxStats, PendingNotification,
    Subscription, SubscriptionUpdate, has_change_type,
};
use crate::{StoreError, SubscriptionStore, TenantId};

/// Claims look at no more than this many due rows per row they may return, so a huge backlog for one
/// endpoint costs a bounded scan.
const CLAIM_SCAN_FACTOR: usize = 20;

const SUBSCRIPTION_COLUMNS: &str = "skey, id, resource, change_type, notification_url, lifecycle_url, \
     client_state, expiration, application_id, creator_id, tls_version, created_at";

fn system_now() -> Millis {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Queues, in the writing transaction, the notifications the records just written owe to the tenant's
/// subscriptions: `updated` to every matching subscription that wants it, and `created` to those that want
/// it and have not announced the record before. `writes` are in batch order, each with whether it created
/// its record.
pub(super) async fn record_written(
    tx: &Transaction<'_>,
    tenant: &str,
    writes: &[(&EncodedRecord, bool)],
) -> Result<(), TxError> {
    if writes.is_empty() {
        return Ok(());
    }
    let now = system_now();
    let stmt = tx
        .prepare_cached(
            "SELECT skey, filtered, change_type FROM subscriptions WHERE tenant = $1 AND expiration > $2 \
             ORDER BY skey",
        )
        .await?;
    let candidates: Vec<(i64, bool, String)> = tx
        .query(&stmt, &[&tenant, &now])
        .await?
        .into_iter()
        .map(|r| (r.get(0), r.get(1), r.get(2)))
        .collect();
    if candidates.is_empty() {
        return Ok(());
    }
    let filtered: Vec<i64> = candidates.iter().filter(|c| c.1).map(|c| c.0).collect();
    let mut watched: HashMap<i64, HashSet<String>> = HashMap::new();
    if !filtered.is_empty() {
        let stmt = tx
            .prepare_cached(
                "SELECT skey, value FROM subscription_participants WHERE tenant = $1 AND skey = ANY($2)",
            )
            .await?;
        for row in tx.query(&stmt, &[&tenant, &filtered]).await? {
            watched.entry(row.get(0)).or_default().insert(row.get(1));
        }
    }
    let matches = |skey: i64, filtered: bool, record: &EncodedRecord| {
        !filtered
            || watched
                .get(&skey)
                .is_some_and(|w| record.participant_ids.iter().any(|p| w.contains(p)))
    };

    // First sight of each (subscription, record) that wants `created`, recorded in one statement.
    let (mut c_skey, mut c_record) = (Vec::new(), Vec::new());
    let mut seen = HashSet::new();
    for (record, _) in writes {
        for (skey, filtered, change_type) in &candidates {
            if has_change_type(change_type, "created")
                && matches(*skey, *filtered, record)
                && seen.insert((*skey, record.id.as_str()))
            {
                c_skey.push(*skey);
                c_record.push(record.id.as_str());
            }
        }
    }
    let mut first_sight: HashSet<(i64, String)> = HashSet::new();
    if !c_skey.is_empty() {
        let stmt = tx
            .prepare_cached(
                "INSERT INTO subscription_created (tenant, skey, record_id) \
                 SELECT $1, * FROM unnest($2::int8[], $3::text[]) ON CONFLICT DO NOTHING \
                 RETURNING skey, record_id",
            )
            .await?;
        for row in tx.query(&stmt, &[&tenant, &c_skey, &c_record]).await? {
            first_sight.insert((row.get(0), row.get(1)));
        }
    }

    let (mut o_skey, mut o_event, mut o_record) = (Vec::new(), Vec::new(), Vec::new());
    for (record, _) in writes {
        for (skey, filtered, change_type) in &candidates {
            if !matches(*skey, *filtered, record) {
                continue;
            }
            if has_change_type(change_type, "created")
                && first_sight.remove(&(*skey, record.id.clone()))
            {
                o_skey.push(*skey);
                o_event.push(NotificationEvent::Created.as_str());
                o_record.push(record.id.as_str());
            }
            if has_change_type(change_type, "updated") {
                o_skey.push(*skey);
                o_event.push(NotificationEvent::Updated.as_str());
                o_record.push(record.id.as_str());
            }
        }
    }
    if !o_skey.is_empty() {
        // Sequence numbers follow the order given, so a claim ("oldest first") sends them in write order.
        let stmt = tx
            .prepare_cached(
                "INSERT INTO outbox (tenant, skey, event, record_id, queued_at, due_at) \
                 SELECT $1, u.skey, u.event, u.record_id, $5, $5 \
                 FROM unnest($2::int8[], $3::text[], $4::text[]) WITH ORDINALITY AS u(skey, event, record_id, n) \
                 ORDER BY u.n",
            )
            .await?;
        tx.execute(&stmt, &[&tenant, &o_skey, &o_event, &o_record, &now])
            .await?;
    }
    Ok(())
}

fn subscription_of(row: &Row) -> (i64, Subscription) {
    (
        row.get(0),
        Subscription {
            id: row.get(1),
            resource: row.get(2),
            participants: Vec::new(),
            change_type: row.get(3),
            notification_url: row.get(4),
            lifecycle_notification_url: row.get(5),
            client_state: row.get(6),
            expiration: row.get(7),
            application_id: row.get(8),
            creator_id: row.get(9),
            latest_supported_tls_version: row.get(10),
            created_at: row.get(11),
        },
    )
}

/// Fills in the participants the subscriptions watch.
async fn with_participants(
    client: &tokio_postgres::Client,
    tenant: &str,
    found: Vec<(i64, Subscription)>,
) -> Result<Vec<Subscription>, StoreError> {
    if found.is_empty() {
        return Ok(Vec::new());
    }
    let skeys: Vec<i64> = found.iter().map(|f| f.0).collect();
    let rows = client
        .query(
            "SELECT skey, value FROM subscription_participants WHERE tenant = $1 AND skey = ANY($2) \
             ORDER BY skey, value",
            &[&tenant, &skeys],
        )
        .await
        .map_err(backend)?;
    let mut by_key: HashMap<i64, Vec<String>> = HashMap::new();
    for row in rows {
        by_key.entry(row.get(0)).or_default().push(row.get(1));
    }
    Ok(found
        .into_iter()
        .map(|(skey, mut s)| {
            s.participants = by_key.remove(&skey).unwrap_or_default();
            s
        })
        .collect())
}

async fn create_in(
    tx: &Transaction<'_>,
    tenant: &str,
    s: &Subscription,
    limit: usize,
    now: Millis,
) -> Result<CreateOutcome, TxError> {
    // Serializes creations per tenant on every node, so the count and the insert are one step.
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended('callrec-subscriptions:' || $1, 0))",
        &[&tenant],
    )
    .await?;
    let live: i64 = tx
        .query_one(
            "SELECT count(*) FROM subscriptions WHERE tenant = $1 AND expiration > $2",
            &[&tenant, &now],
        )
        .await?
        .get(0);
    if live.max(0) as usize >= limit {
        return Ok(CreateOutcome::LimitReached { limit });
    }
    let skey: i64 = tx
        .query_one(
            "INSERT INTO subscriptions (tenant, id, resource, filtered, change_type, notification_url, \
             lifecycle_url, client_state, expiration, application_id, creator_id, tls_version, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING skey",
            &[
                &tenant,
                &s.id,
                &s.resource,
                &!s.participants.is_empty(),
                &s.change_type,
                &s.notification_url,
                &s.lifecycle_notification_url,
                &s.client_state,
                &s.expiration,
                &s.application_id,
                &s.creator_id,
                &s.latest_supported_tls_version,
                &s.created_at,
            ],
        )
        .await?
        .get(0);
    if !s.participants.is_empty() {
        tx.execute(
            "INSERT INTO subscription_participants (tenant, skey, value) \
             SELECT $1, $2, v FROM unnest($3::text[]) v ON CONFLICT DO NOTHING",
            &[&tenant, &skey, &s.participants],
        )
        .await?;
    }
    Ok(CreateOutcome::Created)
}

async fn delete_in(tx: &Transaction<'_>, tenant: &str, id: &str) -> Result<bool, TxError> {
    let Some(row) = tx
        .query_opt(
            "DELETE FROM subscriptions WHERE tenant = $1 AND id = $2 RETURNING skey",
            &[&tenant, &id],
        )
        .await?
    else {
        return Ok(false);
    };
    let skey: i64 = row.get(0);
    for sql in [
        "DELETE FROM outbox WHERE tenant = $1 AND skey = $2",
        "DELETE FROM subscription_created WHERE tenant = $1 AND skey = $2",
        "DELETE FROM subscription_participants WHERE tenant = $1 AND skey = $2",
    ] {
        tx.execute(sql, &[&tenant, &skey]).await?;
    }
    Ok(true)
}

async fn remove_expired_in(tx: &Transaction<'_>, now: Millis) -> Result<u64, TxError> {
    let gone: i64 = tx
        .query_one(
            "WITH gone AS (DELETE FROM subscriptions WHERE expiration <= $1 RETURNING tenant, skey), \
             o AS (DELETE FROM outbox x USING gone g WHERE x.tenant = g.tenant AND x.skey = g.skey), \
             c AS (DELETE FROM subscription_created x USING gone g WHERE x.tenant = g.tenant AND x.skey = g.skey), \
             p AS (DELETE FROM subscription_participants x USING gone g WHERE x.tenant = g.tenant AND x.skey = g.skey) \
             SELECT count(*) FROM gone",
            &[&now],
        )
        .await?
        .get(0);
    Ok(gone.max(0) as u64)
}

#[async_trait]
impl SubscriptionStore for PostgresStore {
    async fn create_subscription(
        &self,
        tenant: &TenantId,
        subscription: &Subscription,
        limit: usize,
        now: Millis,
    ) -> Result<CreateOutcome, StoreError> {
        let mut client = self.client().await?;
        Ok(in_transaction!(client, tx => create_in(&tx, tenant, subscription, limit, now)))
    }

    async fn subscription(
        &self,
        tenant: &TenantId,
        id: &str,
    ) -> Result<Option<Subscription>, StoreError> {
        let client = self.client().await?;
        let found = client
            .query_opt(
                &format!(
                    "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE tenant = $1 AND id = $2"
                ),
                &[&tenant, &id],
            )
            .await
            .map_err(backend)?;
        let found: Vec<_> = found.iter().map(subscription_of).collect();
        Ok(with_participants(&client, tenant, found).await?.pop())
    }

    async fn subscriptions(
        &self,
        tenant: &TenantId,
        now: Millis,
    ) -> Result<Vec<Subscription>, StoreError> {
        let client = self.client().await?;
        let found: Vec<_> = client
            .query(
                &format!(
                    "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions WHERE tenant = $1 AND expiration > $2 \
                     ORDER BY created_at, skey"
                ),
                &[&tenant, &now],
            )
            .await
            .map_err(backend)?
            .iter()
            .map(subscription_of)
            .collect();
        with_participants(&client, tenant, found).await
    }

    async fn update_subscription(
        &self,
        tenant: &TenantId,
        id: &str,
        update: &SubscriptionUpdate,
    ) -> Result<Option<Subscription>, StoreError> {
        let client = self.client().await?;
        let found = client
            .query_opt(
                &format!(
                    "UPDATE subscriptions SET expiration = coalesce($3, expiration), \
                     notification_url = coalesce($4, notification_url) \
                     WHERE tenant = $1 AND id = $2 RETURNING {SUBSCRIPTION_COLUMNS}"
                ),
                &[&tenant, &id, &update.expiration, &update.notification_url],
            )
            .await
            .map_err(backend)?;
        let found: Vec<_> = found.iter().map(subscription_of).collect();
        Ok(with_participants(&client, tenant, found).await?.pop())
    }

    async fn delete_subscription(&self, tenant: &TenantId, id: &str) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        Ok(in_transaction!(client, tx => delete_in(&tx, tenant, id)))
    }

    async fn remove_expired_subscriptions(&self, now: Millis) -> Result<u64, StoreError> {
        let mut client = self.client().await?;
        Ok(in_transaction!(client, tx => remove_expired_in(&tx, now)))
    }

    async fn queue_reauthorization(&self, now: Millis, window: Millis) -> Result<u64, StoreError> {
        // The UPDATE marks each subscription for its current expiration; a node running this at the same
        // time waits for the row, sees the mark and leaves it, so each is queued once.
        let client = self.client().await?;
        let queued: i64 = client
            .query_one(
                "WITH due AS ( \
                   UPDATE subscriptions SET reauthorization_for = expiration \
                   WHERE lifecycle_url IS NOT NULL AND expiration > $1 AND expiration <= $1 + $2 \
                   AND (reauthorization_for IS NULL OR reauthorization_for <> expiration) \
                   RETURNING tenant, skey), \
                 queued AS ( \
                   INSERT INTO outbox (tenant, skey, event, record_id, queued_at, due_at) \
                   SELECT tenant, skey, $3, NULL, $1, $1 FROM due ORDER BY tenant, skey RETURNING 1) \
                 SELECT count(*) FROM queued",
                &[
                    &now,
                    &window,
                    &NotificationEvent::ReauthorizationRequired.as_str(),
                ],
            )
            .await
            .map_err(backend)?
            .get(0);
        Ok(queued.max(0) as u64)
    }

    async fn claim_notifications(
        &self,
        request: &ClaimRequest,
    ) -> Result<Vec<PendingNotification>, StoreError> {
        if request.limit == 0 || request.per_url == 0 {
            return Ok(Vec::new());
        }
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "WITH due AS ( \
                   SELECT tenant, seq FROM outbox WHERE due_at <= $1 AND leased_until <= $1 \
                   ORDER BY due_at, seq LIMIT $4), \
                 ranked AS ( \
                   SELECT o.seq, o.tenant, s.id AS sid, o.event, o.record_id, \
                     CASE WHEN o.event = $5 THEN s.lifecycle_url ELSE s.notification_url END AS url, \
                     s.client_state, s.expiration, o.queued_at, o.attempts \
                   FROM due d JOIN outbox o ON o.tenant = d.tenant AND o.seq = d.seq \
                   JOIN subscriptions s ON s.tenant = o.tenant AND s.skey = o.skey \
                   WHERE s.expiration > $1), \
                 numbered AS ( \
                   SELECT *, row_number() OVER (PARTITION BY url ORDER BY seq) AS n FROM ranked), \
                 chosen AS ( \
                   SELECT * FROM numbered WHERE n <= $2 AND url IS NOT NULL AND NOT (url = ANY($6)) \
                   ORDER BY seq LIMIT $3), \
                 locked AS ( \
                   SELECT o.tenant, o.seq FROM outbox o JOIN chosen c ON o.tenant = c.tenant AND o.seq = c.seq \
                   WHERE o.due_at <= $1 AND o.leased_until <= $1 FOR UPDATE OF o SKIP LOCKED), \
                 leased AS ( \
                   UPDATE outbox o SET leased_until = $7 FROM locked l \
                   WHERE o.tenant = l.tenant AND o.seq = l.seq RETURNING o.tenant, o.seq) \
                 SELECT c.seq, c.tenant, c.sid, c.event, c.record_id, c.url, c.client_state, c.expiration, \
                   c.queued_at, c.attempts \
                 FROM chosen c JOIN leased l ON l.tenant = c.tenant AND l.seq = c.seq ORDER BY c.seq",
            )
            .await
            .map_err(backend)?;
        let scan = request
            .limit
            .saturating_mul(CLAIM_SCAN_FACTOR)
            .min(i64::MAX as usize) as i64;
        let until = request.now.saturating_add(request.lease);
        let rows = client
            .query(
                &stmt,
                &[
                    &request.now,
                    &(request.per_url.min(i64::MAX as usize) as i64),
                    &(request.limit.min(i64::MAX as usize) as i64),
                    &scan,
                    &NotificationEvent::ReauthorizationRequired.as_str(),
                    &request.skip_urls,
                    &until,
                ],
            )
            .await
            .map_err(backend)?;
        Ok(rows
            .iter()
            .map(|r| {
                let event: String = r.get(3);
                PendingNotification {
                    seq: r.get(0),
                    tenant: r.get(1),
                    subscription_id: r.get(2),
                    event: NotificationEvent::parse(&event).unwrap_or(NotificationEvent::Updated),
                    record_id: r.get(4),
                    url: r.get(5),
                    client_state: r.get(6),
                    subscription_expiration: r.get(7),
                    queued_at: r.get(8),
                    attempts: r.get::<_, i32>(9).max(0) as u32,
                }
            })
            .collect())
    }

    async fn ack_notifications(&self, seqs: &[i64]) -> Result<(), StoreError> {
        if seqs.is_empty() {
            return Ok(());
        }
        let client = self.client().await?;
        client
            .execute("DELETE FROM outbox WHERE seq = ANY($1)", &[&seqs])
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn reschedule_notifications(
        &self,
        seqs: &[i64],
        due: Millis,
        failed: bool,
    ) -> Result<(), StoreError> {
        if seqs.is_empty() {
            return Ok(());
        }
        let client = self.client().await?;
        client
            .execute(
                "UPDATE outbox SET due_at = $2, leased_until = 0, attempts = attempts + $3 \
                 WHERE seq = ANY($1)",
                &[&seqs, &due, &i32::from(failed)],
            )
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn drop_notifications(&self, seqs: &[i64]) -> Result<(), StoreError> {
        if seqs.is_empty() {
            return Ok(());
        }
        let client = self.client().await?;
        client
            .execute(
                "WITH gone AS (DELETE FROM outbox WHERE seq = ANY($1) RETURNING tenant) \
                 INSERT INTO outbox_totals (tenant, dropped) \
                 SELECT tenant, count(*) FROM gone GROUP BY tenant \
                 ON CONFLICT (tenant) DO UPDATE SET dropped = outbox_totals.dropped + EXCLUDED.dropped",
                &[&seqs],
            )
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn outbox_stats(&self) -> Result<OutboxStats, StoreError> {
        let client = self.client().await?;
        let row = client
            .query_one(
                "SELECT (SELECT count(*) FROM outbox), \
                 (SELECT coalesce(sum(dropped), 0)::int8 FROM outbox_totals)",
                &[],
            )
            .await
            .map_err(backend)?;
        Ok(OutboxStats {
            pending: row.get::<_, i64>(0).max(0) as u64,
            dropped: row.get::<_, i64>(1).max(0) as u64,
        })
    }
}
