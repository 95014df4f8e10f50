//! Store backends side by side: ingest, get and list speed of the embedded SQLite store and of
//! PostgreSQL, in one run on one machine, through the storage traits the HTTP layer uses.
//!
//! ```text
//! cargo run --release --example store_bench -- \
//!     --postgres postgres://callrec:callrec@127.0.0.1:5432/callrec_test --records 20000
//! ```
//!
//! Both stores get the same generated records (the `callrec generate` generator, fixed seed), in batches
//! as `callrec import` writes them; then both answer the same random gets (records with their sessions
//! and participants) and the same listings (first page, and pages deep in the keyset order), each with a
//! fixed number of concurrent clients. The PostgreSQL store lives in a schema of its own, dropped at the
//! end. Prints a Markdown table for BENCHMARKS.md.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use callrec::generate::{Generator, GeneratorConfig};
use callrec::ingest::admit_record;
use callrec_model::prepare::PreparedRecord;
use callrec_model::query::{ListQuery, RecordOrder};
use callrec_store::{Slice, Store, WriteCondition};
use clap::Parser;
use serde_json::Value;

#[derive(Debug, Parser)]
struct Args {
    /// A PostgreSQL database the benchmark may create a schema in.
    #[arg(long, env = "CALLREC_TEST_POSTGRES")]
    postgres: String,
    /// Records to ingest into each store.
    #[arg(long, default_value_t = 20_000)]
    records: u64,
    /// Records per write batch.
    #[arg(long, default_value_t = 500)]
    batch: usize,
    /// Concurrent readers.
    #[arg(long, default_value_t = 8)]
    clients: usize,
    /// Reads of each kind per store.
    #[arg(long, default_value_t = 4_000)]
    reads: usize,
}

const TENANT: &str = "dc368399-474c-4d40-900c-6265431fd81f";

/// One store's figures.
#[derive(Debug, Default)]
struct Figures {
    ingest_per_sec: f64,
    get_per_sec: f64,
    get_p50: Duration,
    get_p99: Duration,
    first_page_per_sec: f64,
    deep_page_per_sec: f64,
    deep_page_p50: Duration,
    bytes: u64,
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Runs `reads` calls of `op` over `clients` tasks; returns calls per second and sorted latencies.
async fn timed<F, Fut>(clients: usize, reads: usize, op: F) -> anyhow::Result<(f64, Vec<Duration>)>
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = anyhow::Result<()>> + Send,
{
    let op = Arc::new(op);
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|c| {
            let op = op.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut i = c;
                while i < reads {
                    let t = Instant::now();
                    op(i).await?;
                    latencies.push(t.elapsed());
                    i += clients;
                }
                anyhow::Ok(latencies)
            })
        })
        .collect();
    let mut all = Vec::with_capacity(reads);
    for t in tasks {
        all.extend(t.await??);
    }
    let rate = all.len() as f64 / started.elapsed().as_secs_f64();
    all.sort();
    Ok((rate, all))
}

async fn measure(
    store: Arc<dyn Store>,
    records: &[PreparedRecord],
    args: &Args,
) -> anyhow::Result<Figures> {
    let mut figures = Figures::default();
    let started = Instant::now();
    for chunk in records.chunks(args.batch) {
        store
            .put_records(TENANT, chunk.to_vec(), WriteCondition::NewerVersion)
            .await?;
    }
    figures.ingest_per_sec = records.len() as f64 / started.elapsed().as_secs_f64();

    let ids: Arc<Vec<String>> = Arc::new(records.iter().map(|r| r.id.clone()).collect());
    let all = Slice {
        offset: 0,
        limit: 60,
    };
    let (rate, latencies) = {
        let (store, ids) = (store.clone(), ids.clone());
        timed(args.clients, args.reads, move |i| {
            let (store, ids) = (store.clone(), ids.clone());
            async move {
                let id = &ids[(i * 7919) % ids.len()];
                store.get_record(TENANT, id).await?.context("stored")?;
                store.sessions(TENANT, id, all, true).await?;
                store.participants(TENANT, id, all).await?;
                Ok(())
            }
        })
        .await?
    };
    figures.get_per_sec = rate;
    figures.get_p50 = percentile(&latencies, 0.5);
    figures.get_p99 = percentile(&latencies, 0.99);

    let page = |after| ListQuery {
        filter: None,
        order: RecordOrder {
            field: callrec_model::query::TimeField::StartDateTime,
            descending: true,
        },
        after,
        limit: 60,
        count: false,
    };
    let (rate, _) = {
        let store = store.clone();
        timed(args.clients, args.reads / 4, move |_| {
            let store = store.clone();
            async move {
                store.list_records(TENANT, &page(None)).await?;
                Ok(())
            }
        })
        .await?
    };
    figures.first_page_per_sec = rate;
    // Cursors deep into the listing: every 60th record of the descending order, beyond the middle.
    let mut deep = Vec::new();
    let mut q = page(None);
    q.limit = 1000;
    loop {
        let p = store.list_records(TENANT, &q).await?;
        match p.next {
            Some(next) => {
                deep.push(next.clone());
                q.after = Some(next);
            }
            None => break,
        }
    }
    let deep = Arc::new(deep.split_off(deep.len() / 2));
    let (rate, latencies) = {
        let (store, deep) = (store.clone(), deep.clone());
        timed(args.clients, args.reads / 4, move |i| {
            let (store, deep) = (store.clone(), deep.clone());
            async move {
                if let Some(cursor) = deep.get(i % deep.len().max(1)) {
                    store
                        .list_records(TENANT, &page(Some(cursor.clone())))
                        .await?;
                }
                Ok(())
            }
        })
        .await?
    };
    figures.deep_page_per_sec = rate;
    figures.deep_page_p50 = percentile(&latencies, 0.5);
    figures.bytes = store.stats().await?.disk_bytes;
    Ok(figures)
}

fn ms(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let generator = Generator::new(GeneratorConfig {
        records: args.records,
        seed: 7,
        ..GeneratorConfig::default()
    });
    let records: Vec<PreparedRecord> = (0..args.records)
        .map(|i| {
            admit_record(Value::Object(generator.record(i)), &Default::default())
                .map(|a| a.prepare())
                .map_err(anyhow::Error::from)
        })
        .collect::<Result<_, _>>()?;
    let json_bytes: usize = (0..args.records.min(1000))
        .map(|i| serde_json::to_vec(&generator.record(i)).map_or(0, |v| v.len()))
        .sum();

    let dir = tempfile::tempdir()?;
    let sqlite_path = dir.path().join("bench.db");
    let sqlite = callrec::storage::open(sqlite_path.to_str().context("utf-8 path")?).await?;
    let joiner = if args.postgres.contains('?') {
        '&'
    } else {
        '?'
    };
    let pg_url = format!(
        "{}{joiner}schema=store_bench_{}",
        args.postgres,
        std::process::id()
    );
    let postgres = callrec::storage::open(&pg_url).await?;

    eprintln!("ingesting {} records into SQLite...", records.len());
    let s = measure(sqlite, &records, &args).await?;
    eprintln!("ingesting {} records into PostgreSQL...", records.len());
    let p = measure(postgres, &records, &args).await;
    callrec_store::postgres::PostgresStore::drop_schema(&pg_url).await?;
    let p = p?;

    println!(
        "{} generated records (about {} bytes of JSON each), batches of {}, {} concurrent readers; \
         a get reads a record with its first 60 sessions (with segments) and participants; pages hold 60 \
         records, newest first.\n",
        args.records,
        json_bytes / args.records.clamp(1, 1000) as usize,
        args.batch,
        args.clients
    );
    println!("| Figure | SQLite (embedded) | PostgreSQL | PostgreSQL / SQLite |");
    println!("| --- | --- | --- | --- |");
    let row = |name: &str, a: f64, b: f64, unit: &str| {
        println!(
            "| {name} | {a:.0} {unit} | {b:.0} {unit} | {:.2}x |",
            b / a.max(f64::MIN_POSITIVE)
        );
    };
    row("Ingest", s.ingest_per_sec, p.ingest_per_sec, "records/s");
    row(
        "Get record + children",
        s.get_per_sec,
        p.get_per_sec,
        "gets/s",
    );
    println!(
        "| Get latency p50 / p99 | {} / {} | {} / {} | |",
        ms(s.get_p50),
        ms(s.get_p99),
        ms(p.get_p50),
        ms(p.get_p99)
    );
    row(
        "First page",
        s.first_page_per_sec,
        p.first_page_per_sec,
        "pages/s",
    );
    row(
        "Deep page (past the middle)",
        s.deep_page_per_sec,
        p.deep_page_per_sec,
        "pages/s",
    );
    println!(
        "| Deep page latency p50 | {} | {} | |",
        ms(s.deep_page_p50),
        ms(p.deep_page_p50)
    );
    println!(
        "| Size of the store | {:.1} MiB | {:.1} MiB | {:.2}x |",
        s.bytes as f64 / 1048576.0,
        p.bytes as f64 / 1048576.0,
        p.bytes as f64 / s.bytes.max(1) as f64
    );
    Ok(())
}
