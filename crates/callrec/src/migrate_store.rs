//! `callrec migrate` (bring a store's schema up to date) and `callrec migrate-store` (copy tenants' data
//! from one store to another, e.g. from the embedded SQLite file to PostgreSQL when one machine is no
//! longer enough).
//!
//! The copy goes through the [`Store`] traits only, so it works between any two backends: each record is
//! read back whole (head, organizer, every participant, every session with its segments), reassembled
//! into the Graph JSON it was ingested as and prepared again, which yields the same stored pieces, the
//! same version and the same quality classification. Records are read in keyset order and written in
//! batches with [`WriteCondition::NewerVersion`], so a copy can be interrupted and run again: what was
//! copied is skipped as stale, and a record the source changed meanwhile replaces the older copy. Log rows
//! of every stored kind, the subnet-to-building map and the tenant's live subscriptions follow. Notifications still queued in the
//! source's outbox are not moved: let the source's delivery drain before switching.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use callrec_model::edm::Ticks;
use callrec_model::logs::{LogKind, LogQuery, LogStart, check_log_row};
use callrec_model::prepare::{PreparedRecord, prepare};
use callrec_model::query::{ListQuery, RecordOrder};
use callrec_store::{PutOutcome, RecordRow, Store, WriteCondition};
use indicatif::{ProgressBar, ProgressStyle};
use serde_json::Value;

use crate::storage;

#[derive(Debug, clap::Args)]
pub struct MigrateArgs {
    /// The store whose schema to bring up to date: a SQLite file path (or sqlite:PATH) or a
    /// postgres:// URL.
    #[arg(long, env = "CALLREC_STORE", default_value = storage::DEFAULT_STORE)]
    pub store: String,
}

#[derive(Debug, clap::Args)]
pub struct MigrateStoreArgs {
    /// The store to copy from (sqlite:PATH, a file path, or a postgres:// URL).
    #[arg(long)]
    pub from: String,
    /// The store to copy into; created (or migrated) as needed.
    #[arg(long)]
    pub to: String,
    /// A tenant whose data to copy; repeat for several.
    #[arg(long = "tenant", required = true)]
    pub tenants: Vec<String>,
    /// Records (or log rows) per read page and write batch.
    #[arg(long, default_value_t = 500)]
    pub batch: usize,
}

/// `callrec migrate`: opening a store applies its pending migrations.
pub async fn migrate(args: MigrateArgs) -> anyhow::Result<ExitCode> {
    let store = storage::open_existing(&args.store).await?;
    let stats = store
        .stats()
        .await
        .context("the migrated store cannot be read")?;
    println!(
        "{}: schema up to date ({} records)",
        storage::describe(&args.store),
        stats.records
    );
    Ok(ExitCode::SUCCESS)
}

/// What a copy did, per kind of data.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct CopySummary {
    /// Records read from the source.
    pub records: u64,
    /// Of those, records the target did not have (or had at an older version).
    pub written: u64,
    pub log_rows: u64,
    pub subscriptions: u64,
    /// Entries of the subnet-to-building map.
    pub buildings: u64,
}

fn progress(total: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(total);
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} records ({per_sec}) {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// Reads a record back whole and prepares it as ingestion would.
async fn read_whole(
    store: &dyn Store,
    tenant: &str,
    row: RecordRow,
) -> anyhow::Result<Option<PreparedRecord>> {
    Ok(crate::whole::whole_json(store, tenant, &row)
        .await?
        .map(prepare))
}

/// Copies one tenant's records, log rows, building map and live subscriptions from `from` to `to`.
pub async fn copy_tenant(
    from: &dyn Store,
    to: &dyn Store,
    tenant: &str,
    batch: usize,
    bar: &ProgressBar,
) -> anyhow::Result<CopySummary> {
    let batch = batch.max(1);
    let mut summary = CopySummary::default();
    let mut query = ListQuery {
        filter: None,
        order: RecordOrder::default(),
        after: None,
        limit: batch,
        count: false,
    };
    loop {
        let page = from.list_records(tenant, &query).await?;
        let mut prepared = Vec::with_capacity(page.items.len());
        for row in page.items {
            if let Some(record) = read_whole(from, tenant, row).await? {
                prepared.push(record);
            }
        }
        summary.records += prepared.len() as u64;
        let n = prepared.len() as u64;
        if !prepared.is_empty() {
            let outcomes = to
                .put_records(tenant, prepared, WriteCondition::NewerVersion)
                .await?;
            summary.written += outcomes
                .iter()
                .filter(|o| matches!(o, PutOutcome::Created | PutOutcome::Replaced { .. }))
                .count() as u64;
        }
        bar.inc(n);
        match page.next {
            Some(next) => query.after = Some(next),
            None => break,
        }
    }

    for kind in LogKind::ALL.into_iter().filter(|k| k.is_stored()) {
        let mut query = LogQuery {
            kind,
            from: Ticks(i64::MIN),
            to: Ticks(i64::MAX),
            to_inclusive: true,
            filter: None,
            start: LogStart::Offset(0),
            limit: batch,
        };
        loop {
            let page = from.list_log_rows(tenant, &query).await?;
            let Some(last) = page.rows.last().map(|r| r.cursor) else {
                break;
            };
            let mut rows = Vec::with_capacity(page.rows.len());
            for row in &page.rows {
                let value: Value =
                    serde_json::from_slice(&row.body).context("a stored log row is not JSON")?;
                let checked = check_log_row(Some(kind), value).map_err(|e| {
                    anyhow::anyhow!("a stored {kind:?} row no longer validates: {e}")
                })?;
                rows.push(checked.row);
            }
            summary.log_rows += rows.len() as u64;
            to.put_log_rows(tenant, rows).await?;
            if !page.more {
                break;
            }
            query.start = LogStart::After(last);
        }
    }

    let buildings = from.buildings(tenant).await?;
    if !buildings.is_empty() {
        summary.buildings = buildings.len() as u64;
        to.put_buildings(tenant, buildings).await?;
    }

    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64);
    for subscription in from.subscriptions(tenant, now).await? {
        if to.subscription(tenant, &subscription.id).await?.is_none() {
            to.create_subscription(tenant, &subscription, usize::MAX, now)
                .await?;
            summary.subscriptions += 1;
        }
    }
    Ok(summary)
}

/// `callrec migrate-store`.
pub async fn migrate_store(args: MigrateStoreArgs) -> anyhow::Result<ExitCode> {
    if args.from == args.to {
        bail!("--from and --to name the same store");
    }
    // Copying from a store that does not exist would create it and copy nothing.
    let from: Arc<dyn Store> = storage::open_existing(&args.from).await.context("--from")?;
    let to: Arc<dyn Store> = storage::open(&args.to).await.context("--to")?;
    let started = Instant::now();
    let mut failed = false;
    for tenant in &args.tenants {
        let total = crate::storage::count_records(&*from, tenant, None).await?;
        let bar = progress(total);
        bar.set_message(tenant.clone());
        let summary = copy_tenant(&*from, &*to, tenant, args.batch, &bar).await?;
        bar.finish_and_clear();
        let copied = crate::storage::count_records(&*to, tenant, None).await?;
        println!(
            "tenant {tenant}: {} records read, {} written ({} already there), {} log rows, {} buildings, \
             {} subscriptions; the target holds {copied} records, the source {total}",
            summary.records,
            summary.written,
            summary.records - summary.written,
            summary.log_rows,
            summary.buildings,
            summary.subscriptions,
        );
        if copied < summary.records {
            eprintln!("tenant {tenant}: the target holds fewer records than were copied");
            failed = true;
        }
    }
    println!("done in {:.1} s", started.elapsed().as_secs_f64());
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
