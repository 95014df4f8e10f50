//! Scrubbing of personal data after a period (`serve --scrub-after 28d`), as Teams' Call Quality Dashboard
//! clears end-user identifiable information while keeping the quality data.
//!
//! What goes and what stays is [`callrec_model::scrub`]'s. Here it is applied twice:
//!
//! - on the way in: a record whose call ended before the cutoff, or a log row older than it, is scrubbed
//!   before it is stored (ingestion's `scrub_before`), so re-importing an archive brings no personal data back;
//! - in the background: [`scrub_once`] rewrites, a batch at a time, the records and log rows that have
//!   grown older than the period since they were stored, then lets the store forget the user names only
//!   scrubbed records carried. A record is read whole, scrubbed, prepared again and written back with
//!   [`WriteCondition::Scrubbing`], which lands only on the version read and sends no change
//!   notification. Its version and `lastModifiedDateTime` stay: the call did not change.

use std::sync::Arc;
use std::time::Duration;

use callrec_model::edm::Ticks;
use callrec_model::logs::PreparedLogRow;
use callrec_model::prepare::{PreparedRecord, prepare};
use callrec_model::scrub::{Pseudonyms, scrub_log_row_body, scrub_record};
use callrec_store::logs::LogScrubber;
use callrec_store::{PutOutcome, RecordKey, RecordWithChildren, Store, StoreError, WriteCondition};
use serde_json::{Map, Value};

use crate::whole::{WHOLE, assemble_found};

/// Records read and written back per store call.
pub const SCRUB_BATCH: u32 = 100;
/// Log rows scrubbed per store call.
pub const LOG_SCRUB_BATCH: u32 = 500;
/// How often the background scrub runs.
pub const SCRUB_INTERVAL: Duration = Duration::from_secs(600);

/// `28d`, `12h`, `90m`..., or `never` (`None`: personal data is kept).
pub fn parse_scrub_after(s: &str) -> Result<Option<Duration>, String> {
    if s.eq_ignore_ascii_case("never") || s.eq_ignore_ascii_case("off") {
        return Ok(None);
    }
    crate::period::parse_duration(s)
        .map(Some)
        .ok_or_else(|| format!("'{s}' is not a scrub period like 28d, 12h or never"))
}

/// A `--scrub-after` period: `28d`, `12h`... or `never` (`None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScrubAfter(pub Option<Duration>);

impl std::str::FromStr for ScrubAfter {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        parse_scrub_after(s).map(ScrubAfter)
    }
}

/// A fresh random pseudonym, shaped like the ids it replaces.
fn pseudonym() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// Scrubs a whole record's JSON with random pseudonyms.
pub fn scrub_record_json(record: &mut Map<String, Value>) {
    let mut make = pseudonym;
    scrub_record(record, &mut Pseudonyms::new(&mut make));
}

/// Ingestion's part for a validated record: scrubs it when its call ended before the cutoff. Returns
/// whether it did.
pub fn scrub_incoming_record(record: &mut Map<String, Value>, scrub_before: Option<Ticks>) -> bool {
    let Some(cutoff) = scrub_before else {
        return false;
    };
    let ended = record
        .get("endDateTime")
        .and_then(Value::as_str)
        .and_then(|s| callrec_model::edm::parse_date_time_offset(s).ok());
    if ended.is_none_or(|end| end >= cutoff) {
        return false;
    }
    scrub_record_json(record);
    true
}

/// Ingestion's part for a checked log row: scrubs it when it is older than the cutoff. Its key stays
/// the one its content gave, so ingesting it again replaces it.
pub fn scrub_incoming_log_row(row: &mut PreparedLogRow, scrub_before: Option<Ticks>) {
    let Some(cutoff) = scrub_before else {
        return;
    };
    if row.time >= cutoff {
        return;
    }
    // The body came out of the row's own check, so it is JSON.
    if let Ok((body, facts)) = scrub_log_row_body(row.kind, &row.body) {
        row.body = body;
        row.facts = facts;
        row.scrubbed = true;
    }
}

/// What one scrub pass did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ScrubSummary {
    pub records: u64,
    /// Records that changed or vanished between being read and written back; the next pass sees them.
    pub skipped: u64,
    pub log_rows: u64,
    /// User names (report labels) forgotten.
    pub names: u64,
}

/// Reads the listed records with all their children, in two halves at once (each read decompresses on a
/// blocking thread of the store); `None` for a record that is gone.
async fn read_all(
    store: &dyn Store,
    keys: &[RecordKey],
) -> Result<Vec<Option<RecordWithChildren>>, StoreError> {
    let (sessions, participants) = WHOLE;
    let read = |keys: &[RecordKey]| {
        let keys = keys.to_vec();
        async move {
            let mut out = Vec::with_capacity(keys.len());
            for key in &keys {
                out.push(
                    store
                        .record_with_children(&key.tenant, &key.id, sessions, participants)
                        .await?,
                );
            }
            Ok::<_, StoreError>(out)
        }
    };
    let (first, second) = keys.split_at(keys.len() / 2);
    let (a, b) = tokio::join!(read(first), read(second));
    let mut all = a?;
    all.extend(b?);
    Ok(all)
}

/// Reassembles, scrubs and prepares records read whole, on the blocking pool, half on each of two
/// threads (parsing, scrubbing and splitting JSON is the work, so it takes both cores). A record no
/// longer at the version listed is dropped.
async fn scrub_and_prepare(
    mut found: Vec<(usize, i64, RecordWithChildren)>,
) -> Result<Vec<(usize, PreparedRecord)>, StoreError> {
    let run = |part: Vec<(usize, i64, RecordWithChildren)>| {
        tokio::task::spawn_blocking(move || {
            let mut out = Vec::with_capacity(part.len());
            for (i, version, found) in part {
                if found.record.version != version {
                    continue;
                }
                let mut record = assemble_found(&found)?;
                scrub_record_json(&mut record);
                let mut prepared = prepare(record);
                prepared.scrubbed = true;
                out.push((i, prepared));
            }
            Ok::<_, StoreError>(out)
        })
    };
    let second = found.split_off(found.len() / 2);
    let (a, b) = (run(found), run(second));
    let failed = |e: tokio::task::JoinError| StoreError::Backend(format!("scrub task failed: {e}"));
    let mut out = a.await.map_err(failed)??;
    out.extend(b.await.map_err(failed)??);
    Ok(out)
}

/// Scrubs everything that ended (or happened) longer ago than `after`: records, then log rows, then the
/// user names only scrubbed records carried.
pub async fn scrub_once(store: &dyn Store, after: Duration) -> Result<ScrubSummary, StoreError> {
    let cutoff = crate::retention::ago(after);
    let mut summary = ScrubSummary::default();
    let mut records_done = false;
    loop {
        let keys = store.records_to_scrub(cutoff, SCRUB_BATCH).await?;
        if keys.is_empty() {
            records_done = true;
            break;
        }
        let mut progress = 0u64;
        // Each record whole, as one snapshot; one that is gone or changed is left to the next pass.
        let found: Vec<(usize, i64, RecordWithChildren)> = read_all(store, &keys)
            .await?
            .into_iter()
            .enumerate()
            .filter_map(|(i, found)| found.map(|f| (i, keys[i].version, f)))
            .collect();
        let prepared = scrub_and_prepare(found).await?;
        summary.skipped += keys.len() as u64 - prepared.len() as u64;
        let mut by_tenant: Vec<(&str, Vec<PreparedRecord>)> = Vec::new();
        for (i, record) in prepared {
            let tenant = keys[i].tenant.as_str();
            match by_tenant.iter_mut().find(|(t, _)| *t == tenant) {
                Some((_, records)) => records.push(record),
                None => by_tenant.push((tenant, vec![record])),
            }
        }
        for (tenant, records) in by_tenant {
            for outcome in store
                .put_records(tenant, records, WriteCondition::Scrubbing)
                .await?
            {
                match outcome {
                    PutOutcome::Replaced { .. } => {
                        summary.records += 1;
                        progress += 1;
                    }
                    _ => summary.skipped += 1,
                }
            }
        }
        if progress == 0 {
            // Every record listed changed under us: leave them to the next pass rather than spin.
            break;
        }
        tokio::task::yield_now().await;
    }
    let scrubber: LogScrubber = Arc::new(scrub_log_row_body);
    summary.log_rows = crate::retention::in_batches(LOG_SCRUB_BATCH, || {
        store.scrub_log_rows_before(cutoff, LOG_SCRUB_BATCH, scrubber.clone())
    })
    .await?;
    if records_done {
        summary.names = store.forget_names_before(cutoff).await?;
    }
    Ok(summary)
}

/// Scrubs now and then every `interval`, until the process ends, counting what it scrubs in `metrics`
/// (`callrec_scrubbed_total`). A failed pass is logged and tried again at the next interval.
pub fn spawn_scrub(
    store: Arc<dyn Store>,
    after: Duration,
    interval: Duration,
    metrics: Arc<crate::metrics::Metrics>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(interval);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            match scrub_once(store.as_ref(), after).await {
                Ok(s) if s == ScrubSummary::default() => {}
                Ok(s) => {
                    const HELP: &str = "Records and log rows whose personal data was scrubbed.";
                    metrics.count(
                        "callrec_scrubbed_total",
                        HELP,
                        &[("kind", "callRecord")],
                        s.records,
                    );
                    metrics.count(
                        "callrec_scrubbed_total",
                        HELP,
                        &[("kind", "logRow")],
                        s.log_rows,
                    );
                    tracing::info!(
                        records = s.records,
                        log_rows = s.log_rows,
                        names = s.names,
                        skipped = s.skipped,
                        "scrubbed personal data past the scrub period"
                    )
                }
                Err(e) => {
                    tracing::warn!(error = %e, "cannot scrub personal data past the scrub period; trying again later")
                }
            }
        }
    })
}
