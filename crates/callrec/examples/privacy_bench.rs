//! Retention and scrubbing, measured against ingestion of the same data in the same run: how fast the
//! background pass scrubs stored records and log rows, what scrubbing on the way in costs, what the
//! scrub index costs every write, and how fast old log rows are purged.
//!
//! ```text
//! cargo run --release --example privacy_bench -- --records 5000 --log-rows 200000
//! cargo run --release --example privacy_bench -- --postgres postgres://callrec:callrec@127.0.0.1:5432/callrec_test
//! ```
//!
//! Generated records (fixed seed) whose calls ended 10 to 40 days ago go into a fresh store in batches as
//! `callrec import` writes them; the scrub pass then scrubs those that ended more than 25 days ago. The
//! same records prepared with scrubbing on the way in, and written into a store without the scrub index,
//! give the other two ratios (each store written four times, alternating, the best run kept, as the machine is
//! shared). Prints Markdown for BENCHMARKS.md.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use callrec::generate::{Generator, GeneratorConfig};
use callrec::ingest::{IngestOptions, admit_record};
use callrec_model::edm::Ticks;
use callrec_model::logs::{LogKind, PreparedLogRow, check_log_row};
use callrec_model::prepare::PreparedRecord;
use callrec_store::{Store, WriteCondition};
use clap::Parser;
use serde_json::{Value, json};

#[derive(Debug, Parser)]
struct Args {
    /// Records to ingest and scrub.
    #[arg(long, default_value_t = 5_000)]
    records: u64,
    /// PSTN log rows to ingest, scrub and purge.
    #[arg(long, default_value_t = 200_000)]
    log_rows: usize,
    /// Records per write batch.
    #[arg(long, default_value_t = 500)]
    batch: usize,
    /// Measure on this PostgreSQL database (a schema of its own, dropped at the end) instead of SQLite.
    #[arg(long)]
    postgres: Option<String>,
}

const TENANT: &str = "dc368399-474c-4d40-900c-6265431fd81f";
const DAY: i64 = 86_400;
const SCRUB_AFTER: Duration = Duration::from_secs(25 * DAY as u64);

/// A fresh store, and the PostgreSQL schema to drop afterwards.
async fn open(
    args: &Args,
    dir: &std::path::Path,
    name: &str,
) -> anyhow::Result<(Arc<dyn Store>, Option<String>)> {
    match &args.postgres {
        Some(url) => {
            let joiner = if url.contains('?') { '&' } else { '?' };
            let url = format!(
                "{url}{joiner}schema=privacy_bench_{name}_{}",
                std::process::id()
            );
            Ok((callrec::storage::open(&url).await?, Some(url)))
        }
        None => {
            let path = dir.join(format!("{name}.db"));
            let store = callrec::storage::open(path.to_str().context("utf-8 path")?).await?;
            Ok((store, None))
        }
    }
}

async fn drop_schema(url: Option<String>) -> anyhow::Result<()> {
    if let Some(url) = url {
        callrec_store::postgres::PostgresStore::drop_schema(&url).await?;
    }
    Ok(())
}

/// Writes the records in batches; returns records per second.
async fn ingest(
    store: &dyn Store,
    records: &[PreparedRecord],
    batch: usize,
) -> anyhow::Result<f64> {
    let started = Instant::now();
    for chunk in records.chunks(batch) {
        store
            .put_records(TENANT, chunk.to_vec(), WriteCondition::NewerVersion)
            .await?;
    }
    Ok(records.len() as f64 / started.elapsed().as_secs_f64())
}

/// Validates and prepares the records as ingestion does, with these options; returns them and the
/// records prepared per second.
fn prepare_all(
    raw: &[Value],
    options: &IngestOptions,
) -> anyhow::Result<(Vec<PreparedRecord>, f64)> {
    let started = Instant::now();
    let prepared = raw
        .iter()
        .map(|r| {
            admit_record(r.clone(), options)
                .map(|a| a.prepare())
                .map_err(anyhow::Error::from)
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((prepared, raw.len() as f64 / started.elapsed().as_secs_f64()))
}

fn pstn_rows(n: usize) -> anyhow::Result<Vec<PreparedLogRow>> {
    let now = Ticks::now().to_unix_seconds();
    (0..n)
        .map(|i| {
            // Spread over 60 days: about half is older than 30 days.
            let start = Ticks::from_unix_seconds(now - 60 * DAY + (i as i64 * 60 * DAY) / n as i64);
            let row = json!({
                "@odata.type": "#microsoft.graph.callRecords.pstnCallLogRow",
                "id": format!("row-{i:08}"), "userId": format!("user-{}", i % 500),
                "userPrincipalName": format!("user{}@contoso.com", i % 500),
                "userDisplayName": format!("User {}", i % 500),
                "startDateTime": start.to_string(), "endDateTime": start.to_string(),
                "callType": if i % 4 == 0 { "conf_out" } else { "user_out" },
                "callerNumber": format!("+1425555{:04}", i % 10_000),
                "calleeNumber": format!("+1206555{:04}", (i * 7) % 10_000),
                "duration": 60 + i % 600, "charge": 0.02, "connectionCharge": 0.0, "currency": "USD",
                "usageCountryCode": "US", "destinationContext": "Domestic"
            });
            check_log_row(Some(LogKind::PstnCall), row)
                .map(|c| c.row)
                .map_err(|e| anyhow::anyhow!("{}: {}", e.path, e.message))
        })
        .collect()
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let now = Ticks::now().to_unix_seconds();
    let generator = Generator::new(GeneratorConfig {
        records: args.records,
        seed: 7,
        start: Ticks::from_unix_seconds(now - 40 * DAY),
        days: 30,
        ..GeneratorConfig::default()
    });
    let raw: Vec<Value> = (0..args.records)
        .map(|i| Value::Object(generator.record(i)))
        .collect();
    let cutoff = callrec::retention::ago(SCRUB_AFTER);
    let old = raw
        .iter()
        .filter(|r| {
            r["endDateTime"]
                .as_str()
                .and_then(|s| callrec_model::edm::parse_date_time_offset(s).ok())
                .is_some_and(|t| t < cutoff)
        })
        .count();
    let (plain, prepare_rate) = prepare_all(&raw, &IngestOptions::default())?;
    let (_, prepare_scrubbing_rate) =
        prepare_all(&raw, &IngestOptions::scrubbing_after(Some(SCRUB_AFTER)))?;
    let dir = tempfile::tempdir()?;
    let backend = if args.postgres.is_some() {
        "PostgreSQL"
    } else {
        "SQLite"
    };

    // Scrubbing stored records, against writing them.
    let (store, schema) = open(&args, dir.path(), "scrub").await?;
    eprintln!("ingesting {} records ({backend})...", plain.len());
    let ingest_rate = ingest(store.as_ref(), &plain, args.batch).await?;
    eprintln!("scrubbing the {old} that ended more than 25 days ago...");
    let started = Instant::now();
    let summary = callrec::scrubbing::scrub_once(store.as_ref(), SCRUB_AFTER).await?;
    let scrub_secs = started.elapsed().as_secs_f64();
    anyhow::ensure!(
        summary.records == old as u64,
        "scrubbed {} of {old}",
        summary.records
    );
    let scrub_rate = summary.records as f64 / scrub_secs;
    drop(store);
    drop_schema(schema).await?;

    // What the scrub index costs a write: the same records into stores with and without it, alternately.
    let (mut with_index, mut without_index) = (0f64, 0f64);
    if args.postgres.is_none() {
        for round in 0..4 {
            let (store, _) = open(&args, dir.path(), &format!("indexed-{round}")).await?;
            with_index = with_index.max(ingest(store.as_ref(), &plain, args.batch).await?);
            drop(store);
            let path = dir.path().join(format!("bare-{round}.db"));
            drop(callrec::storage::open(path.to_str().context("utf-8 path")?).await?);
            rusqlite_drop_index(&path)?;
            let store = callrec::storage::open(path.to_str().context("utf-8 path")?).await?;
            without_index = without_index.max(ingest(store.as_ref(), &plain, args.batch).await?);
        }
    }

    // Log rows: ingest, scrub the older half, purge it.
    let rows = pstn_rows(args.log_rows)?;
    let (store, schema) = open(&args, dir.path(), "logs").await?;
    eprintln!("ingesting {} log rows...", rows.len());
    let started = Instant::now();
    for chunk in rows.chunks(2_000) {
        store.put_log_rows(TENANT, chunk.to_vec()).await?;
    }
    let log_ingest_rate = rows.len() as f64 / started.elapsed().as_secs_f64();
    let log_cutoff = callrec::retention::ago(Duration::from_secs(30 * DAY as u64));
    let old_rows = rows.iter().filter(|r| r.time < log_cutoff).count();
    let started = Instant::now();
    let scrubbed_rows =
        callrec::scrubbing::scrub_once(store.as_ref(), Duration::from_secs(30 * DAY as u64))
            .await?
            .log_rows;
    let log_scrub_rate = scrubbed_rows as f64 / started.elapsed().as_secs_f64();
    anyhow::ensure!(
        scrubbed_rows == old_rows as u64,
        "scrubbed {scrubbed_rows} of {old_rows} rows"
    );
    let mut retention = callrec::retention::LogRetention::forever();
    retention.apply("pstnCall=30d".parse().map_err(anyhow::Error::msg)?);
    let started = Instant::now();
    let purged = callrec::retention::purge_logs_once(store.as_ref(), &retention).await?;
    let purge_rate = purged as f64 / started.elapsed().as_secs_f64();
    anyhow::ensure!(
        purged == old_rows as u64,
        "purged {purged} of {old_rows} rows"
    );
    drop(store);
    drop_schema(schema).await?;

    let json_bytes: usize = raw.iter().take(1000).map(|r| r.to_string().len()).sum();
    println!(
        "{backend}: {} generated records (about {} bytes of JSON each) ending 10 to 40 days ago, {old} of them \
         more than 25 days ago; {} PSTN rows over 60 days, {old_rows} older than 30 days; batches of {}.\n",
        raw.len(),
        json_bytes / raw.len().clamp(1, 1000),
        rows.len(),
        args.batch
    );
    println!("| Figure | Result | Baseline (same run) | Ratio |");
    println!("| --- | --- | --- | --- |");
    println!(
        "| Scrub pass over stored records | {scrub_rate:.0} records/s ({old} in {scrub_secs:.1} s) | ingest {ingest_rate:.0} records/s | {:.2}x |",
        scrub_rate / ingest_rate
    );
    println!(
        "| Validate + prepare, scrubbing on the way in | {prepare_scrubbing_rate:.0} records/s | without {prepare_rate:.0} records/s | {:.2}x |",
        prepare_scrubbing_rate / prepare_rate
    );
    if with_index > 0.0 {
        println!(
            "| Ingest with the scrub index | {with_index:.0} records/s | without it {without_index:.0} records/s | {:.2}x |",
            with_index / without_index
        );
    }
    println!(
        "| Scrub pass over log rows | {log_scrub_rate:.0} rows/s | ingest {log_ingest_rate:.0} rows/s | {:.2}x |",
        log_scrub_rate / log_ingest_rate
    );
    println!(
        "| Purge of log rows past retention | {purge_rate:.0} rows/s | ingest {log_ingest_rate:.0} rows/s | {:.2}x |",
        purge_rate / log_ingest_rate
    );
    Ok(())
}

/// Opens the SQLite file directly and drops the partial index of unscrubbed records.
fn rusqlite_drop_index(path: &std::path::Path) -> anyhow::Result<()> {
    rusqlite::Connection::open(path)?.execute_batch("DROP INDEX records_to_scrub;")?;
    Ok(())
}
