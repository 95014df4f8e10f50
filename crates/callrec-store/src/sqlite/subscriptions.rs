//! SQLite storage of change-notification subscriptions and the outbox of notifications to deliver.
//!
//! The notifications a record owes are queued by [`record_written`], which the writer thread calls inside
//! the record's transaction: the record and its outbox rows commit together or not at all.
//! Every other write here (subscription changes, claims, acknowledgements) also runs on the writer thread,
//! in its group commits: only that thread writes, so a claim is atomic (no two workers lease the same
//! row) and delivery never contends with ingestion for SQLite's lock.

use std::time::{SystemTime, UNIX_EPOCH};

use async_trait::async_trait;
use rusqlite::{Connection, OptionalExtension, Row, params};
use tokio::sync::oneshot;

use super::writer::{Command, WorkOutput};
use super::{SqliteStore, backend};
use crate::subscriptions::{
    ClaimRequest, CreateOutcome, Millis, NotificationEvent, OutboxStats, PendingNotification,
    Subscription, SubscriptionUpdate, has_change_type,
};
use crate::{StoreError, SubscriptionStore, TenantId};

/// Claims look at no more than this many due rows per row they may return, so a huge backlog for one
/// endpoint costs a bounded scan.
const CLAIM_SCAN_FACTOR: usize = 20;

const SUBSCRIPTION_COLUMNS: &str = "s.skey, s.id, s.resource, s.change_type, s.notification_url, s.lifecycle_url, \
     s.client_state, s.expiration, s.application_id, s.creator_id, s.tls_version, s.created_at";

fn system_now() -> Millis {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Queues, in the writer's transaction, the notifications a record just written (created or replaced)
/// owes to the tenant's subscriptions: `updated` to every matching subscription that wants it, and
/// `created` to those that want it and have not announced this record before.
pub(super) fn record_written(
    conn: &Connection,
    tenant: i64,
    rid: i64,
    record: &crate::encoded::EncodedRecord,
    _created: bool,
) -> Result<(), StoreError> {
    let now = system_now();
    let candidates: Vec<(i64, bool, String)> = conn
        .prepare_cached(
            "SELECT skey, filtered, change_type FROM subscriptions WHERE tenant = ?1 AND expiration > ?2",
        )
        .and_then(|mut s| {
            s.query_map(params![tenant, now], |r| {
                Ok((r.get(0)?, r.get::<_, i64>(1)? != 0, r.get(2)?))
            })?
            .collect::<Result<_, _>>()
        })
        .map_err(backend)?;
    for (skey, filtered, change_type) in candidates {
        if filtered && !watches_any(conn, skey, &record.participant_ids)? {
            continue;
        }
        if has_change_type(&change_type, "created") {
            let first_sight = conn
                .prepare_cached(
                    "INSERT OR IGNORE INTO subscription_created (skey, rid) VALUES (?1, ?2)",
                )
                .and_then(|mut s| s.execute(params![skey, rid]))
                .map_err(backend)?
                == 1;
            if first_sight {
                queue(conn, skey, NotificationEvent::Created, &record.id, now)?;
            }
        }
        if has_change_type(&change_type, "updated") {
            queue(conn, skey, NotificationEvent::Updated, &record.id, now)?;
        }
    }
    Ok(())
}

fn watches_any(conn: &Connection, skey: i64, participants: &[String]) -> Result<bool, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT 1 FROM subscription_participants WHERE skey = ?1 AND value = ?2")
        .map_err(backend)?;
    for p in participants {
        if stmt.exists(params![skey, p]).map_err(backend)? {
            return Ok(true);
        }
    }
    Ok(false)
}

fn queue(
    conn: &Connection,
    skey: i64,
    event: NotificationEvent,
    record_id: &str,
    now: Millis,
) -> Result<(), StoreError> {
    conn.prepare_cached(
        "INSERT INTO outbox (skey, event, record_id, queued_at, due_at) VALUES (?1, ?2, ?3, ?4, ?4)",
    )
    .and_then(|mut s| s.execute(params![skey, event.as_str(), record_id, now]))
    .map_err(backend)?;
    Ok(())
}

fn tenant_key(conn: &Connection, tenant: &str) -> Result<Option<i64>, StoreError> {
    conn.prepare_cached("SELECT tid FROM tenants WHERE name = ?1")
        .and_then(|mut s| s.query_row([tenant], |r| r.get(0)).optional())
        .map_err(backend)
}

fn subscription_of(row: &Row<'_>) -> rusqlite::Result<(i64, Subscription)> {
    Ok((
        row.get(0)?,
        Subscription {
            id: row.get(1)?,
            resource: row.get(2)?,
            participants: Vec::new(),
            change_type: row.get(3)?,
            notification_url: row.get(4)?,
            lifecycle_notification_url: row.get(5)?,
            client_state: row.get(6)?,
            expiration: row.get(7)?,
            application_id: row.get(8)?,
            creator_id: row.get(9)?,
            latest_supported_tls_version: row.get(10)?,
            created_at: row.get(11)?,
        },
    ))
}

fn with_participants(
    conn: &Connection,
    (skey, mut subscription): (i64, Subscription),
) -> Result<Subscription, StoreError> {
    subscription.participants = conn
        .prepare_cached(
            "SELECT value FROM subscription_participants WHERE skey = ?1 ORDER BY value",
        )
        .and_then(|mut s| s.query_map([skey], |r| r.get(0))?.collect())
        .map_err(backend)?;
    Ok(subscription)
}

fn find(
    conn: &Connection,
    tenant: &str,
    id: &str,
) -> Result<Option<(i64, Subscription)>, StoreError> {
    let Some(tid) = tenant_key(conn, tenant)? else {
        return Ok(None);
    };
    conn.prepare_cached(&format!(
        "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions s WHERE s.tenant = ?1 AND s.id = ?2"
    ))
    .and_then(|mut s| s.query_row(params![tid, id], subscription_of).optional())
    .map_err(backend)
}

fn delete_rows(conn: &Connection, skey: i64) -> Result<(), StoreError> {
    for sql in [
        "DELETE FROM outbox WHERE skey = ?1",
        "DELETE FROM subscription_created WHERE skey = ?1",
        "DELETE FROM subscription_participants WHERE skey = ?1",
        "DELETE FROM subscriptions WHERE skey = ?1",
    ] {
        conn.prepare_cached(sql)
            .and_then(|mut s| s.execute([skey]))
            .map_err(backend)?;
    }
    Ok(())
}

/// Binds `?1..?n` to a list of row numbers: the lists are small (one claim's worth).
fn placeholders(from: usize, count: usize) -> String {
    (from..from + count)
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl SqliteStore {
    /// Runs `write` on the writer thread, in its next group commit: subscription changes and outbox
    /// claims then never contend with record writes for SQLite's lock, and a claim is atomic because
    /// only that thread writes.
    pub(super) async fn side_write<T, F>(&self, write: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: Fn(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (reply, outcome) = oneshot::channel();
        let work = Box::new(move |conn: &Connection| -> Result<WorkOutput, StoreError> {
            write(conn).map(|t| Box::new(t) as WorkOutput)
        });
        let output = self
            .send(
                Command::Work {
                    weight: 1,
                    work,
                    reply,
                },
                outcome,
            )
            .await?;
        output
            .downcast::<T>()
            .map(|t| *t)
            .map_err(|_| StoreError::Backend("the writer returned an unexpected result".into()))
    }
}

#[async_trait]
impl SubscriptionStore for SqliteStore {
    async fn create_subscription(
        &self,
        tenant: &TenantId,
        subscription: &Subscription,
        limit: usize,
        now: Millis,
    ) -> Result<CreateOutcome, StoreError> {
        let (tenant, s) = (tenant.to_owned(), subscription.clone());
        self.side_write(move |conn| {
            let tid = match tenant_key(conn, &tenant)? {
                Some(tid) => tid,
                None => {
                    conn.prepare_cached("INSERT INTO tenants (name) VALUES (?1)")
                        .and_then(|mut st| st.execute([&tenant]))
                        .map_err(backend)?;
                    conn.last_insert_rowid()
                }
            };
            let live: i64 = conn
                .prepare_cached(
                    "SELECT count(*) FROM subscriptions WHERE tenant = ?1 AND expiration > ?2",
                )
                .and_then(|mut st| st.query_row(params![tid, now], |r| r.get(0)))
                .map_err(backend)?;
            if live as usize >= limit {
                return Ok(CreateOutcome::LimitReached { limit });
            }
            conn.prepare_cached(
                "INSERT INTO subscriptions (tenant, id, resource, filtered, change_type, notification_url, \
                 lifecycle_url, client_state, expiration, application_id, creator_id, tls_version, created_at) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )
            .and_then(|mut st| {
                st.execute(params![
                    tid,
                    s.id,
                    s.resource,
                    !s.participants.is_empty(),
                    s.change_type,
                    s.notification_url,
                    s.lifecycle_notification_url,
                    s.client_state,
                    s.expiration,
                    s.application_id,
                    s.creator_id,
                    s.latest_supported_tls_version,
                    s.created_at,
                ])
            })
            .map_err(backend)?;
            let skey = conn.last_insert_rowid();
            let mut st = conn
                .prepare_cached(
                    "INSERT OR IGNORE INTO subscription_participants (skey, value) VALUES (?1, ?2)",
                )
                .map_err(backend)?;
            for p in &s.participants {
                st.execute(params![skey, p]).map_err(backend)?;
            }
            Ok(CreateOutcome::Created)
        })
        .await
    }

    async fn subscription(
        &self,
        tenant: &TenantId,
        id: &str,
    ) -> Result<Option<Subscription>, StoreError> {
        let (tenant, id) = (tenant.to_owned(), id.to_owned());
        self.read(move |conn, _| {
            find(conn, &tenant, &id)?
                .map(|found| with_participants(conn, found))
                .transpose()
        })
        .await
    }

    async fn subscriptions(
        &self,
        tenant: &TenantId,
        now: Millis,
    ) -> Result<Vec<Subscription>, StoreError> {
        let tenant = tenant.to_owned();
        self.read(move |conn, _| {
            let Some(tid) = tenant_key(conn, &tenant)? else {
                return Ok(Vec::new());
            };
            let found: Vec<(i64, Subscription)> = conn
                .prepare_cached(&format!(
                    "SELECT {SUBSCRIPTION_COLUMNS} FROM subscriptions s WHERE s.tenant = ?1 AND s.expiration > ?2 \
                     ORDER BY s.created_at, s.skey"
                ))
                .and_then(|mut s| s.query_map(params![tid, now], subscription_of)?.collect())
                .map_err(backend)?;
            found
                .into_iter()
                .map(|f| with_participants(conn, f))
                .collect()
        })
        .await
    }

    async fn update_subscription(
        &self,
        tenant: &TenantId,
        id: &str,
        update: &SubscriptionUpdate,
    ) -> Result<Option<Subscription>, StoreError> {
        let (tenant, id, update) = (tenant.to_owned(), id.to_owned(), update.clone());
        self.side_write(move |conn| {
            let Some((skey, _)) = find(conn, &tenant, &id)? else {
                return Ok(None);
            };
            if let Some(expiration) = update.expiration {
                conn.prepare_cached("UPDATE subscriptions SET expiration = ?2 WHERE skey = ?1")
                    .and_then(|mut s| s.execute(params![skey, expiration]))
                    .map_err(backend)?;
            }
            if let Some(url) = &update.notification_url {
                conn.prepare_cached(
                    "UPDATE subscriptions SET notification_url = ?2 WHERE skey = ?1",
                )
                .and_then(|mut s| s.execute(params![skey, url]))
                .map_err(backend)?;
            }
            find(conn, &tenant, &id)?
                .map(|found| with_participants(conn, found))
                .transpose()
        })
        .await
    }

    async fn delete_subscription(&self, tenant: &TenantId, id: &str) -> Result<bool, StoreError> {
        let (tenant, id) = (tenant.to_owned(), id.to_owned());
        self.side_write(move |conn| {
            let Some((skey, _)) = find(conn, &tenant, &id)? else {
                return Ok(false);
            };
            delete_rows(conn, skey)?;
            Ok(true)
        })
        .await
    }

    async fn remove_expired_subscriptions(&self, now: Millis) -> Result<u64, StoreError> {
        self.side_write(move |conn| {
            let expired: Vec<i64> = conn
                .prepare_cached("SELECT skey FROM subscriptions WHERE expiration <= ?1")
                .and_then(|mut s| s.query_map([now], |r| r.get(0))?.collect())
                .map_err(backend)?;
            for skey in &expired {
                delete_rows(conn, *skey)?;
            }
            Ok(expired.len() as u64)
        })
        .await
    }

    async fn queue_reauthorization(&self, now: Millis, window: Millis) -> Result<u64, StoreError> {
        self.side_write(move |conn| {
            let due: Vec<i64> = conn
                .prepare_cached(
                    "SELECT skey FROM subscriptions WHERE lifecycle_url IS NOT NULL AND expiration > ?1 \
                     AND expiration <= ?1 + ?2 \
                     AND (reauthorization_for IS NULL OR reauthorization_for != expiration)",
                )
                .and_then(|mut s| s.query_map(params![now, window], |r| r.get(0))?.collect())
                .map_err(backend)?;
            for skey in &due {
                conn.prepare_cached(
                    "INSERT INTO outbox (skey, event, record_id, queued_at, due_at) VALUES (?1, ?2, NULL, ?3, ?3)",
                )
                .and_then(|mut s| {
                    s.execute(params![
                        skey,
                        NotificationEvent::ReauthorizationRequired.as_str(),
                        now
                    ])
                })
                .map_err(backend)?;
                conn.prepare_cached(
                    "UPDATE subscriptions SET reauthorization_for = expiration WHERE skey = ?1",
                )
                .and_then(|mut s| s.execute([skey]))
                .map_err(backend)?;
            }
            Ok(due.len() as u64)
        })
        .await
    }

    async fn claim_notifications(
        &self,
        request: &ClaimRequest,
    ) -> Result<Vec<PendingNotification>, StoreError> {
        let request = request.clone();
        if request.limit == 0 || request.per_url == 0 {
            return Ok(Vec::new());
        }
        // Most polls find nothing due: a read answers that without taking a turn of the writer.
        let now = request.now;
        let due = self
            .read(move |conn, _| {
                conn.prepare_cached(
                    "SELECT 1 FROM outbox WHERE due_at <= ?1 AND leased_until <= ?1 LIMIT 1",
                )
                .and_then(|mut s| s.exists([now]))
                .map_err(backend)
            })
            .await?;
        if !due {
            return Ok(Vec::new());
        }
        self.side_write(move |conn| {
            let skip = if request.skip_urls.is_empty() {
                String::new()
            } else {
                format!(
                    "AND url NOT IN ({})",
                    placeholders(6, request.skip_urls.len())
                )
            };
            let sql = format!(
                "SELECT seq, tenant, sid, event, record_id, url, client_state, expiration, queued_at, attempts FROM ( \
                   SELECT o.seq, t.name AS tenant, s.id AS sid, o.event, o.record_id, \
                     CASE WHEN o.event = ?5 THEN s.lifecycle_url ELSE s.notification_url END AS url, \
                     s.client_state, s.expiration, o.queued_at, o.attempts, \
                     row_number() OVER (PARTITION BY CASE WHEN o.event = ?5 THEN s.lifecycle_url ELSE s.notification_url END \
                                        ORDER BY o.seq) AS n \
                   FROM (SELECT * FROM outbox WHERE due_at <= ?1 AND leased_until <= ?1 ORDER BY due_at LIMIT ?4) o \
                   JOIN subscriptions s ON s.skey = o.skey \
                   JOIN tenants t ON t.tid = s.tenant \
                   WHERE s.expiration > ?1 \
                 ) WHERE n <= ?2 {skip} ORDER BY seq LIMIT ?3"
            );
            let scan = request.limit.saturating_mul(CLAIM_SCAN_FACTOR) as i64;
            let mut values: Vec<rusqlite::types::Value> = vec![
                request.now.into(),
                (request.per_url as i64).into(),
                (request.limit as i64).into(),
                scan.into(),
                NotificationEvent::ReauthorizationRequired.as_str().to_owned().into(),
            ];
            values.extend(request.skip_urls.iter().cloned().map(Into::into));
            let rows: Vec<PendingNotification> = conn
                .prepare(&sql)
                .and_then(|mut s| {
                    s.query_map(rusqlite::params_from_iter(values), |r| {
                        let event: String = r.get(3)?;
                        Ok(PendingNotification {
                            seq: r.get(0)?,
                            tenant: r.get(1)?,
                            subscription_id: r.get(2)?,
                            event: NotificationEvent::parse(&event)
                                .unwrap_or(NotificationEvent::Updated),
                            record_id: r.get(4)?,
                            url: r.get(5)?,
                            client_state: r.get(6)?,
                            subscription_expiration: r.get(7)?,
                            queued_at: r.get(8)?,
                            attempts: r.get::<_, i64>(9)?.max(0) as u32,
                        })
                    })?
                    .collect()
                })
                .map_err(backend)?;
            let until = request.now.saturating_add(request.lease);
            let mut lease = conn
                .prepare_cached("UPDATE outbox SET leased_until = ?2 WHERE seq = ?1")
                .map_err(backend)?;
            for row in &rows {
                lease.execute(params![row.seq, until]).map_err(backend)?;
            }
            Ok(rows)
        })
        .await
    }

    async fn ack_notifications(&self, seqs: &[i64]) -> Result<(), StoreError> {
        if seqs.is_empty() {
            return Ok(());
        }
        let seqs = seqs.to_vec();
        self.side_write(move |conn| {
            let mut st = conn
                .prepare_cached("DELETE FROM outbox WHERE seq = ?1")
                .map_err(backend)?;
            for seq in &seqs {
                st.execute([seq]).map_err(backend)?;
            }
            Ok(())
        })
        .await
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
        let seqs = seqs.to_vec();
        self.side_write(move |conn| {
            let mut st = conn
                .prepare_cached(
                    "UPDATE outbox SET due_at = ?2, leased_until = 0, attempts = attempts + ?3 WHERE seq = ?1",
                )
                .map_err(backend)?;
            for seq in &seqs {
                st.execute(params![seq, due, i64::from(failed)])
                    .map_err(backend)?;
            }
            Ok(())
        })
        .await
    }

    async fn drop_notifications(&self, seqs: &[i64]) -> Result<(), StoreError> {
        if seqs.is_empty() {
            return Ok(());
        }
        let seqs = seqs.to_vec();
        self.side_write(move |conn| {
            let mut dropped = 0i64;
            let mut st = conn
                .prepare_cached("DELETE FROM outbox WHERE seq = ?1")
                .map_err(backend)?;
            for seq in &seqs {
                dropped += st.execute([seq]).map_err(backend)? as i64;
            }
            conn.prepare_cached("UPDATE outbox_totals SET dropped = dropped + ?1 WHERE id = 1")
                .and_then(|mut s| s.execute([dropped]))
                .map_err(backend)?;
            Ok(())
        })
        .await
    }

    async fn outbox_stats(&self) -> Result<OutboxStats, StoreError> {
        self.read(|conn, _| {
            let pending: i64 = conn
                .query_row("SELECT count(*) FROM outbox", [], |r| r.get(0))
                .map_err(backend)?;
            let dropped: i64 = conn
                .query_row("SELECT dropped FROM outbox_totals WHERE id = 1", [], |r| {
                    r.get(0)
                })
                .map_err(backend)?;
            Ok(OutboxStats {
                pending: pending.max(0) as u64,
                dropped: dropped.max(0) as u64,
            })
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::placeholders;

    #[test]
    fn placeholders_number_from_the_given_index() {
        assert_eq!(placeholders(6, 3), "?6, ?7, ?8");
        assert_eq!(placeholders(1, 1), "?1");
    }
}
