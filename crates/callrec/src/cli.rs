//! The command line: `callrec serve`, `callrec import`, `callrec generate`.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use crate::api::{self, ApiConfig, AppState};
use crate::ingest::{self, IngestSummary};
use crate::{demo, storage};

#[derive(Debug, Parser)]
#[command(name = "callrec", version, about = "A Microsoft Graph call records service: the Graph v1.0 read API, ingestion and storage.")]
pub struct Cli {
    /// Log more (repeat for even more). RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the Graph call records API over HTTP.
    Serve(ServeArgs),
    /// Import call records from NDJSON, a JSON array or a Graph collection page (gzip detected).
    Import(ImportArgs),
    /// Generate realistic call records, to a file or straight into a store.
    Generate(GenerateArgs),
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "CALLREC_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// The store: a SQLite file path (or sqlite:PATH).
    #[arg(long, env = "CALLREC_STORE", default_value = storage::DEFAULT_STORE)]
    pub store: String,
    /// Fill an empty store with the documentation's example records and a few thousand generated ones.
    #[arg(long)]
    pub demo: bool,
    /// Records the demo generates.
    #[arg(long, default_value_t = 3000, requires = "demo")]
    pub demo_records: u64,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The store to import into.
    #[arg(long, env = "CALLREC_STORE", default_value = storage::DEFAULT_STORE)]
    pub store: String,
    /// The tenant that will own the records.
    #[arg(long, default_value = api::DEFAULT_TENANT)]
    pub tenant: String,
    /// Files to import; `-` reads standard input.
    #[arg(required = true)]
    pub files: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// How many call records to make.
    #[arg(long)]
    pub records: u64,
    /// Seed: the same seed always makes the same records.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// First day of the calls (YYYY-MM-DD, UTC); default: `--days` days before today.
    #[arg(long)]
    pub start: Option<String>,
    /// Days the calls spread over.
    #[arg(long, default_value_t = 30)]
    pub days: u32,
    /// Tenant id written into the records.
    #[arg(long, default_value = api::DEFAULT_TENANT)]
    pub tenant: String,
    /// Users in the simulated organization.
    #[arg(long, default_value_t = 500)]
    pub users: u32,
    /// Write NDJSON to this file (`-` for standard output).
    #[arg(long, conflicts_with = "store", required_unless_present = "store")]
    pub out: Option<String>,
    /// Import straight into this store instead.
    #[arg(long)]
    pub store: Option<String>,
}

pub fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "info",
        1 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).init();
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => serve(args).await,
        Command::Import(args) => import(args).await,
        Command::Generate(args) => generate(args).await,
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let store = storage::open(&args.store).await?;
    if args.demo {
        demo::fill_if_empty(&store, args.demo_records).await?;
    }
    let state = AppState::new(store, ApiConfig::default());
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, store = %args.store, "callrec is serving http://{addr}/v1.0/communications/callRecords");
    axum::serve(listener, api::app(state)).with_graceful_shutdown(shutdown_signal()).await?;
    tracing::info!("callrec stopped");
    Ok(ExitCode::SUCCESS)
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

fn progress_bar(total_bytes: Option<u64>) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match total_bytes {
        Some(n) => ProgressBar::new(n),
        None => ProgressBar::new_spinner(),
    };
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

async fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let store = storage::open(&args.store).await?;
    let started = Instant::now();
    let mut total = IngestSummary::default();
    for file in &args.files {
        let (reader, size): (Box<dyn std::io::Read + Send>, Option<u64>) = if file == "-" {
            (Box::new(std::io::stdin()), None)
        } else {
            let f = std::fs::File::open(file).with_context(|| format!("cannot open {file}"))?;
            let size = f.metadata().ok().map(|m| m.len());
            (Box::new(f), size)
        };
        let bar = progress_bar(size);
        let counted = CountingReader { inner: reader, bar: bar.clone() };
        let input = ingest::maybe_gunzip(counted).with_context(|| format!("cannot read {file}"))?;
        let summary = ingest::ingest_reader(store.clone(), &args.tenant, input, |s| {
            bar.set_message(format!("{} records", s.records_seen()));
        })
        .await
        .with_context(|| format!("import of {file} failed"))?;
        bar.finish_and_clear();
        print_summary(file, &summary);
        merge(&mut total, summary);
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "total: {} imported, {} replaced, {} ignored as stale, {} rejected, {} warnings in {:.2}s ({:.0} records/s, {:.1} MB/s)",
        total.imported,
        total.replaced,
        total.ignored_stale,
        total.rejected,
        total.warnings,
        secs,
        total.records_seen() as f64 / secs.max(1e-9),
        total.bytes as f64 / 1e6 / secs.max(1e-9),
    );
    Ok(if total.rejected > 0 { ExitCode::from(3) } else { ExitCode::SUCCESS })
}

fn print_summary(file: &str, s: &IngestSummary) {
    println!(
        "{file}: {} imported, {} replaced, {} ignored as stale, {} rejected, {} warnings",
        s.imported, s.replaced, s.ignored_stale, s.rejected, s.warnings
    );
    for r in s.rejections.iter().take(20) {
        println!("  line {}: {}: {}", r.line, r.path, r.message);
    }
    if s.rejected > 20 {
        println!("  ... and {} more rejected", s.rejected - 20);
    }
}

fn merge(total: &mut IngestSummary, s: IngestSummary) {
    total.imported += s.imported;
    total.replaced += s.replaced;
    total.ignored_stale += s.ignored_stale;
    total.rejected += s.rejected;
    total.warnings += s.warnings;
    total.bytes += s.bytes;
}

/// Advances a progress bar by the bytes read through it.
struct CountingReader {
    inner: Box<dyn std::io::Read + Send>,
    bar: ProgressBar,
}

impl std::io::Read for CountingReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}

async fn generate(args: GenerateArgs) -> anyhow::Result<ExitCode> {
    let config = demo::generator_config(&args)?;
    let generator = Arc::new(crate::generate::Generator::new(config));
    let started = Instant::now();
    match (&args.out, &args.store) {
        (Some(out), _) => {
            let bar = progress_bar(None);
            let records = args.records;
            let out = out.clone();
            let summary = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
                let writer: Box<dyn std::io::Write> = if out == "-" {
                    Box::new(std::io::stdout().lock())
                } else {
                    Box::new(std::fs::File::create(&out).with_context(|| format!("cannot create {out}"))?)
                };
                let writer = std::io::BufWriter::with_capacity(1 << 20, writer);
                let bar2 = bar.clone();
                let summary = generator.write_ndjson(writer, move |n| bar2.set_message(format!("{n}/{records} records")))?;
                bar.finish_and_clear();
                Ok(summary)
            })
            .await??;
            eprintln!("generated {summary:?} in {:.2}s", started.elapsed().as_secs_f64());
        }
        (None, Some(store)) => {
            let store = storage::open(store).await?;
            let summary = demo::generate_into(&store, generator, &args.tenant).await?;
            print_summary("generated", &summary);
            eprintln!("in {:.2}s", started.elapsed().as_secs_f64());
        }
        (None, None) => unreachable!("clap requires --out or --store"),
    }
    Ok(ExitCode::SUCCESS)
}
