//! What readers may see of the stored records, by age: Graph forgets a record 30 days after its call
//! ended, and makes it available only some time after the call ended (spec/API.md section 9).
//!
//! [`VisibleRecords`] is how the read API reads records, so every read path (listing, counting, a record,
//! its sessions and participants) applies the same window on `endDateTime`: not before the availability
//! delay has passed (fault injection, [`crate::faults`]), not after the retention period. Ingestion uses the
//! bare store, because a writer must see what it overwrites. [`spawn_purge`] deletes what the retention
//! period hides, in the background and a batch at a time, so that the purge never holds the writer long.

use std::sync::Arc;
use std::time::Duration;

use callrec_model::edm::{Ticks, parse_date_time_offset};
use callrec_model::query::{CmpOp, ListQuery, RecordFilter, TimeField};
use callrec_store::{
    ParticipantRow, RecordPage, RecordRow, RecordWithChildren, SessionRow, Slice, Store,
    StoreError, TenantId,
};
use serde::Deserialize;

/// Graph's retention: 30 days after the call ended.
pub const GRAPH_RETENTION: Duration = Duration::from_secs(30 * 86400);

/// Records deleted per store call while purging.
pub const PURGE_BATCH: u32 = 500;

/// How often the background purge runs.
pub const PURGE_INTERVAL: Duration = Duration::from_secs(600);

/// Deletes every record whose call ended longer ago than `retention`, a batch at a time; returns how many.
pub async fn purge_once(store: &dyn Store, retention: Duration) -> Result<u64, StoreError> {
    let cutoff = ticks_ago(Ticks::now(), retention);
    let mut total = 0;
    loop {
        let deleted = store.purge_ended_before(cutoff, PURGE_BATCH).await?;
        total += deleted;
        if deleted < u64::from(PURGE_BATCH) {
            return Ok(total);
        }
        // Let readers and writers in between batches.
        tokio::task::yield_now().await;
    }
}

/// Purges now and then every `interval`, until the process ends. A store that cannot purge is logged
/// once and left alone: its records stay hidden from readers all the same.
pub fn spawn_purge(
    store: Arc<dyn Store>,
    retention: Duration,
    interval: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            match purge_once(store.as_ref(), retention).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(records = n, "purged records past the retention period"),
                Err(e) => {
                    tracing::warn!(error = %e, "cannot purge records past the retention period; they stay hidden");
                    return;
                }
            }
        }
    })
}

/// `30d`, `12h`, `90m`..., or `forever` (`None`).
pub fn parse_retention(s: &str) -> Result<Option<Duration>, String> {
    if s.eq_ignore_ascii_case("forever") || s.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    crate::throttle::parse_duration(s)
        .filter(|d| !d.is_zero())
        .map(Some)
        .ok_or_else(|| format!("'{s}' is not a retention period like 30d, 12h or forever"))
}

fn ticks_ago(now: Ticks, d: Duration) -> Ticks {
    let ticks = i64::try_from(d.as_nanos() / 100).unwrap_or(i64::MAX);
    Ticks(now.0.saturating_sub(ticks))
}

/// The oldest and newest `endDateTime` a reader may see now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub ended_after: Option<Ticks>,
    pub ended_before: Option<Ticks>,
}

impl Window {
    fn contains(&self, end: Ticks) -> bool {
        self.ended_after.is_none_or(|min| end >= min)
            && self.ended_before.is_none_or(|max| end <= max)
    }

    fn filter(&self) -> Vec<RecordFilter> {
        let time = |op, value| RecordFilter::Time {
            field: TimeField::EndDateTime,
            op,
            value,
        };
        self.ended_after
            .map(|t| time(CmpOp::Ge, t))
            .into_iter()
            .chain(self.ended_before.map(|t| time(CmpOp::Le, t)))
            .collect()
    }
}

/// The call records as readers see them now: the record reads of the store, bounded by a [`Window`].
pub struct VisibleRecords<'a> {
    store: &'a dyn Store,
    window: Option<Window>,
}

#[derive(Deserialize)]
struct EndOnly {
    #[serde(rename = "endDateTime")]
    end: Option<String>,
}

impl<'a> VisibleRecords<'a> {
    /// `retention`: how long after its call a record stays; `delay`: how long after its call it appears.
    pub fn new(store: &'a dyn Store, retention: Option<Duration>, delay: Duration) -> Self {
        let window = (retention.is_some() || !delay.is_zero()).then(|| {
            let now = Ticks::now();
            Window {
                ended_after: retention.map(|r| ticks_ago(now, r)),
                ended_before: (!delay.is_zero()).then(|| ticks_ago(now, delay)),
            }
        });
        VisibleRecords { store, window }
    }

    /// The window in force, or `None` when every record is visible.
    pub fn window(&self) -> Option<Window> {
        self.window
    }

    fn visible(row: &RecordRow, window: &Window) -> bool {
        let end = serde_json::from_slice::<EndOnly>(&row.head)
            .ok()
            .and_then(|e| e.end)
            .and_then(|s| parse_date_time_offset(&s).ok());
        // A record without a readable end is shown: nothing says it is old or new.
        end.is_none_or(|end| window.contains(end))
    }

    /// Whether the record exists and is visible; reads inside a record check this first.
    async fn record_visible(&self, tenant: &TenantId, id: &str) -> Result<bool, StoreError> {
        match &self.window {
            None => Ok(true),
            Some(w) => Ok(self
                .store
                .get_record(tenant, id)
                .await?
                .is_some_and(|row| Self::visible(&row, w))),
        }
    }

    pub async fn get_record(
        &self,
        tenant: &TenantId,
        id: &str,
    ) -> Result<Option<RecordRow>, StoreError> {
        let row = self.store.get_record(tenant, id).await?;
        Ok(match &self.window {
            None => row,
            Some(w) => row.filter(|r| Self::visible(r, w)),
        })
    }

    pub async fn record_with_children(
        &self,
        tenant: &TenantId,
        id: &str,
        sessions: Option<(Slice, bool)>,
        participants: Option<Slice>,
    ) -> Result<Option<RecordWithChildren>, StoreError> {
        let found = self
            .store
            .record_with_children(tenant, id, sessions, participants)
            .await?;
        Ok(match &self.window {
            None => found,
            Some(w) => found.filter(|r| Self::visible(&r.record, w)),
        })
    }

    pub async fn sessions(
        &self,
        tenant: &TenantId,
        record_id: &str,
        slice: Slice,
        with_segments: bool,
    ) -> Result<Option<Vec<SessionRow>>, StoreError> {
        if !self.record_visible(tenant, record_id).await? {
            return Ok(None);
        }
        self.store
            .sessions(tenant, record_id, slice, with_segments)
            .await
    }

    pub async fn session(
        &self,
        tenant: &TenantId,
        record_id: &str,
        session_id: &str,
    ) -> Result<Option<SessionRow>, StoreError> {
        if !self.record_visible(tenant, record_id).await? {
            return Ok(None);
        }
        self.store.session(tenant, record_id, session_id).await
    }

    pub async fn participants(
        &self,
        tenant: &TenantId,
        record_id: &str,
        slice: Slice,
    ) -> Result<Option<Vec<ParticipantRow>>, StoreError> {
        if !self.record_visible(tenant, record_id).await? {
            return Ok(None);
        }
        self.store.participants(tenant, record_id, slice).await
    }

    pub async fn participant(
        &self,
        tenant: &TenantId,
        record_id: &str,
        participant_id: &str,
    ) -> Result<Option<ParticipantRow>, StoreError> {
        if !self.record_visible(tenant, record_id).await? {
            return Ok(None);
        }
        self.store
            .participant(tenant, record_id, participant_id)
            .await
    }

    pub async fn list_records(
        &self,
        tenant: &TenantId,
        query: &ListQuery,
    ) -> Result<RecordPage, StoreError> {
        let Some(window) = &self.window else {
            return self.store.list_records(tenant, query).await;
        };
        let mut bounded = query.clone();
        let mut all = window.filter();
        all.extend(query.filter.clone());
        bounded.filter = Some(RecordFilter::And(all));
        self.store.list_records(tenant, &bounded).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retention_periods_parse() {
        assert_eq!(parse_retention("forever"), Ok(None));
        assert_eq!(parse_retention("30d"), Ok(Some(GRAPH_RETENTION)));
        assert_eq!(
            parse_retention("12h"),
            Ok(Some(Duration::from_secs(12 * 3600)))
        );
        assert!(parse_retention("0d").is_err());
        assert!(parse_retention("soon").is_err());
    }

    #[test]
    fn the_window_bounds_the_end_on_both_sides() {
        let w = Window {
            ended_after: Some(Ticks(100)),
            ended_before: Some(Ticks(200)),
        };
        assert!(!w.contains(Ticks(99)));
        assert!(w.contains(Ticks(100)));
        assert!(w.contains(Ticks(200)));
        assert!(!w.contains(Ticks(201)));
        assert_eq!(w.filter().len(), 2);
        let open = Window {
            ended_after: None,
            ended_before: None,
        };
        assert!(open.contains(Ticks(i64::MIN)));
        assert!(open.filter().is_empty());
    }
}
