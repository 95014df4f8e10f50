//! What readers may see of the stored records, by age: Graph forgets a record 30 days after its call
//! ended, and makes it available only some time after the call ended (spec/API.md section 9).
//!
//! [`VisibleRecords`] is how the read API reads records, so every read path (listing, counting, a record,
//! its sessions and participants) applies the same window on `endDateTime`: not before the availability
//! delay has passed (fault injection, [`crate::faults`]), not after the retention period. Ingestion uses the
//! bare store, because a writer must see what it overwrites. Log rows have periods of their own, per
//! kind ([`LogRetention`]: Graph keeps PSTN rows a year and direct-routing rows 150 days), which the log
//! functions apply to the ranges they read. [`spawn_purge`] deletes what the retention periods hide, in
//! the background and a batch at a time, so that the purge never holds the writer long.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use callrec_model::edm::{Ticks, parse_date_time_offset};
use callrec_model::logs::LogKind;
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

/// Graph's retention of PSTN call log rows (and, by the same report's rules, SMS and blocked-user rows):
/// a year, for users in most countries.
pub const GRAPH_PSTN_LOG_RETENTION: Duration = Duration::from_secs(365 * 86400);
/// Graph's retention of direct-routing log rows: 150 days, for users in most countries.
pub const GRAPH_DIRECT_ROUTING_LOG_RETENTION: Duration = Duration::from_secs(150 * 86400);

/// How long log rows stay, per kind; `None` keeps a kind forever. Rows are hidden from the functions
/// and purged once their instant (the call start, the send or block time) is older than their period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LogRetention {
    pstn: Option<Duration>,
    direct_routing: Option<Duration>,
    sms: Option<Duration>,
    blocked_users: Option<Duration>,
}

impl LogRetention {
    /// Every kind kept forever.
    pub fn forever() -> Self {
        LogRetention::default()
    }

    /// Graph's periods (the PSTN usage report's rules, which it says the Graph call logs follow): PSTN,
    /// SMS and blocked-user rows a year, direct-routing rows 150 days.
    pub fn graph() -> Self {
        LogRetention {
            pstn: Some(GRAPH_PSTN_LOG_RETENTION),
            direct_routing: Some(GRAPH_DIRECT_ROUTING_LOG_RETENTION),
            sms: Some(GRAPH_PSTN_LOG_RETENTION),
            blocked_users: Some(GRAPH_PSTN_LOG_RETENTION),
        }
    }

    fn slot(&mut self, kind: LogKind) -> Option<&mut Option<Duration>> {
        match kind {
            LogKind::PstnCall => Some(&mut self.pstn),
            LogKind::DirectRouting => Some(&mut self.direct_routing),
            LogKind::Sms => Some(&mut self.sms),
            LogKind::PstnBlockedUser => Some(&mut self.blocked_users),
            LogKind::PstnOnlineMeetingDialout => None,
        }
    }

    /// The period of a kind; the dial-out report, summed from PSTN rows, follows theirs.
    pub fn period(&self, kind: LogKind) -> Option<Duration> {
        match kind {
            LogKind::PstnCall | LogKind::PstnOnlineMeetingDialout => self.pstn,
            LogKind::DirectRouting => self.direct_routing,
            LogKind::Sms => self.sms,
            LogKind::PstnBlockedUser => self.blocked_users,
        }
    }

    /// The oldest instant a row of this kind may have to be seen now.
    pub fn oldest(&self, kind: LogKind) -> Option<Ticks> {
        self.period(kind).map(ago)
    }

    /// Where a range read of this kind may start now: `from`, or later when older rows are past
    /// retention.
    pub fn clamp_from(&self, kind: LogKind, from: Ticks) -> Ticks {
        self.oldest(kind).map_or(from, |oldest| from.max(oldest))
    }

    /// Whether a stored row (its JSON body) is still within its kind's period. A row whose instant cannot
    /// be read is shown: nothing says it is old.
    pub fn keeps(&self, kind: LogKind, body: &[u8]) -> bool {
        let Some(oldest) = self.oldest(kind) else {
            return true;
        };
        let time = serde_json::from_slice::<serde_json::Map<String, serde_json::Value>>(body)
            .ok()
            .and_then(|row| {
                row.get(kind.time_property())
                    .and_then(serde_json::Value::as_str)
                    .and_then(|s| parse_date_time_offset(s).ok())
            });
        time.is_none_or(|t| t >= oldest)
    }

    /// Whether any kind is purged.
    pub fn purges(&self) -> bool {
        LogKind::ALL.into_iter().any(|k| self.period(k).is_some())
    }

    /// Applies one `--log-retention` setting.
    pub fn apply(&mut self, setting: LogRetentionSetting) {
        match setting.kind {
            None => {
                *self = LogRetention {
                    pstn: setting.period,
                    direct_routing: setting.period,
                    sms: setting.period,
                    blocked_users: setting.period,
                }
            }
            Some(kind) => {
                if let Some(slot) = self.slot(kind) {
                    *slot = setting.period;
                }
            }
        }
    }
}

/// One `--log-retention` setting: `400d` or `forever` for every kind, or `KIND=400d` (kinds as `callrec
/// import --kind` names them: pstnCall, directRoutingCall, sms, pstnBlockedUser).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogRetentionSetting {
    /// `None`: every kind.
    pub kind: Option<LogKind>,
    /// `None`: forever.
    pub period: Option<Duration>,
}

impl FromStr for LogRetentionSetting {
    type Err = String;

    fn from_str(setting: &str) -> Result<Self, String> {
        match setting.split_once('=') {
            None => Ok(LogRetentionSetting {
                kind: None,
                period: parse_retention(setting)?,
            }),
            Some((kind, period)) => {
                let kind = LogKind::parse(kind.trim())
                    .filter(|k| k.is_stored())
                    .ok_or_else(|| {
                        format!(
                            "'{kind}' is not a log row kind (pstnCall, directRoutingCall, sms, pstnBlockedUser)"
                        )
                    })?;
                Ok(LogRetentionSetting {
                    kind: Some(kind),
                    period: parse_retention(period.trim())?,
                })
            }
        }
    }
}

/// A `--retention` period: `30d`, `12h`... or `forever` (`None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionPeriod(pub Option<Duration>);

impl FromStr for RetentionPeriod {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        parse_retention(s).map(RetentionPeriod)
    }
}

/// Calls `batch` until it handles less than `limit`, letting readers and writers in between calls;
/// returns the total handled. Purges and scrubs go a batch at a time so that none holds the writer long.
pub async fn in_batches<F, Fut>(limit: u32, mut batch: F) -> Result<u64, StoreError>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<u64, StoreError>>,
{
    let mut total = 0;
    loop {
        let handled = batch().await?;
        total += handled;
        if handled < u64::from(limit) {
            return Ok(total);
        }
        tokio::task::yield_now().await;
    }
}

/// Deletes every record whose call ended longer ago than `retention`, a batch at a time; returns how many.
pub async fn purge_once(store: &dyn Store, retention: Duration) -> Result<u64, StoreError> {
    let cutoff = ago(retention);
    in_batches(PURGE_BATCH, || {
        store.purge_ended_before(cutoff, PURGE_BATCH)
    })
    .await
}

/// Deletes every log row older than its kind's period, a batch at a time; returns how many.
pub async fn purge_logs_once(
    store: &dyn Store,
    retention: &LogRetention,
) -> Result<u64, StoreError> {
    let mut total = 0;
    for kind in LogKind::ALL.into_iter().filter(|k| k.is_stored()) {
        if let Some(cutoff) = retention.oldest(kind) {
            total += in_batches(PURGE_BATCH, || {
                store.purge_log_rows_before(kind, cutoff, PURGE_BATCH)
            })
            .await?;
        }
    }
    Ok(total)
}

/// Purges records (when `retention` is set) and log rows (of the kinds `logs` purges) now and then every
/// `interval`, until the process ends, counting what it deletes in `metrics` (`callrec_purged_total`). A
/// failed purge is logged and tried again at the next interval; what it could not delete stays hidden from
/// readers all the same.
pub fn spawn_purge(
    store: Arc<dyn Store>,
    retention: Option<Duration>,
    logs: LogRetention,
    interval: Duration,
    metrics: Arc<crate::metrics::Metrics>,
) -> tokio::task::JoinHandle<()> {
    const HELP: &str = "Records and log rows deleted past their retention period.";
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            if let Some(retention) = retention {
                match purge_once(store.as_ref(), retention).await {
                    Ok(0) => {}
                    Ok(n) => {
                        metrics.count("callrec_purged_total", HELP, &[("kind", "callRecord")], n);
                        tracing::info!(records = n, "purged records past the retention period")
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot purge records past the retention period; they stay hidden")
                    }
                }
            }
            if logs.purges() {
                match purge_logs_once(store.as_ref(), &logs).await {
                    Ok(0) => {}
                    Ok(n) => {
                        metrics.count("callrec_purged_total", HELP, &[("kind", "logRow")], n);
                        tracing::info!(rows = n, "purged log rows past their retention period")
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot purge log rows past their retention period; they stay hidden")
                    }
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
    crate::period::parse_duration(s)
        .filter(|d| !d.is_zero())
        .map(Some)
        .ok_or_else(|| format!("'{s}' is not a retention period like 30d, 12h or forever"))
}

/// The instant `d` before now.
pub fn ago(d: Duration) -> Ticks {
    ticks_ago(Ticks::now(), d)
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
    fn log_retention_settings_parse() {
        let mut r = LogRetention::graph();
        assert_eq!(
            r.period(LogKind::DirectRouting),
            Some(GRAPH_DIRECT_ROUTING_LOG_RETENTION)
        );
        assert_eq!(
            r.period(LogKind::PstnOnlineMeetingDialout),
            Some(GRAPH_PSTN_LOG_RETENTION)
        );
        r.apply("directRoutingCall=30d".parse().unwrap());
        assert_eq!(
            r.period(LogKind::DirectRouting),
            Some(Duration::from_secs(30 * 86400))
        );
        assert_eq!(r.period(LogKind::PstnCall), Some(GRAPH_PSTN_LOG_RETENTION));
        r.apply("pstnCall=forever".parse().unwrap());
        assert_eq!(r.period(LogKind::PstnCall), None);
        assert!(r.purges());
        r.apply("forever".parse().unwrap());
        assert_eq!(r, LogRetention::forever());
        assert!(!r.purges());
        r.apply("12h".parse().unwrap());
        assert!(
            LogKind::ALL
                .iter()
                .all(|k| r.period(*k) == Some(Duration::from_secs(12 * 3600)))
        );
        let parse = |s: &str| s.parse::<LogRetentionSetting>();
        assert!(
            parse("calls=30d")
                .unwrap_err()
                .contains("not a log row kind")
        );
        assert!(parse("pstnCall=soon").is_err());
        assert!(
            parse("pstnOnlineMeetingDialoutReport=30d").is_err(),
            "not stored, so no period of its own"
        );
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
