//! `callrec export`: a tenant's call records and log rows of a date range into files for BI tools
//! (Parquet, CSV) or the NDJSON archive `callrec import` takes back, with a progress bar and a summary.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use callrec_model::edm::Ticks;
use indicatif::{ProgressBar, ProgressStyle};

use crate::export::tables::Table;
use crate::export::{self, ExportRequest, Format};
use crate::storage;

#[derive(Debug, clap::Args)]
pub struct ExportArgs {
    /// The store to read.
    #[arg(long, env = "CALLREC_STORE", default_value = storage::DEFAULT_STORE)]
    pub store: String,
    /// The tenant whose data to export.
    #[arg(long, default_value = crate::auth::DEFAULT_TENANT)]
    pub tenant: String,
    /// First day (or instant, UTC) of the range: records that started, and log rows, at or after it.
    #[arg(long, value_parser = instant)]
    pub from: Ticks,
    /// End of the range (exclusive): `--from 2025-01-01 --to 2025-02-01` is January.
    #[arg(long, value_parser = instant)]
    pub to: Ticks,
    /// parquet (one folder per table, by day), csv (one file per table) or ndjson (the archive).
    #[arg(long, value_parser = format)]
    pub format: Format,
    /// The folder to write into (created if need be).
    #[arg(long)]
    pub out: PathBuf,
    /// Tables to write (default: all that the format holds): call_records, participants, sessions,
    /// segments, media_streams, pstn_calls, direct_routing_calls, sms_log, pstn_blocked_users.
    #[arg(long, value_delimiter = ',', value_parser = table)]
    pub tables: Vec<Table>,
    /// Write only records modified (and log rows stored) since the last run into the same folder.
    #[arg(long)]
    pub since_last: bool,
    /// Scrub personal data and leave out the personal columns (names, phone numbers, IP addresses).
    #[arg(long)]
    pub no_personal_data: bool,
}

fn instant(s: &str) -> Result<Ticks, String> {
    export::parse_instant(s)
}

fn format(s: &str) -> Result<Format, String> {
    Format::parse(s).ok_or_else(|| format!("'{s}' is not a format; known: parquet, csv, ndjson"))
}

fn table(s: &str) -> Result<Table, String> {
    Table::parse(s).ok_or_else(|| {
        let names: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
        format!("'{s}' is not a table; known: {}", names.join(", "))
    })
}

pub(super) async fn run(args: ExportArgs) -> anyhow::Result<ExitCode> {
    let tables = if !args.tables.is_empty() {
        args.tables
    } else if args.format == Format::Ndjson {
        Table::ALL
            .into_iter()
            .filter(|t| *t == Table::CallRecords || t.log_kind().is_some())
            .collect()
    } else {
        Table::ALL.to_vec()
    };
    let request = ExportRequest {
        tenant: args.tenant,
        from: args.from,
        to: args.to,
        tables,
        format: args.format,
        personal_data: !args.no_personal_data,
        since_last: args.since_last,
    };
    export::check(&request)?;
    let store = storage::open(&args.store).await?;
    let total = export::count_records(store.as_ref(), &request).await?;
    let bar = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} records and log rows ({per_sec})",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.enable_steady_tick(Duration::from_millis(200));
        bar
    } else {
        ProgressBar::hidden()
    };
    let started = Instant::now();
    let summary = export::export_to_dir(store.as_ref(), &request, &args.out, &|n| {
        bar.set_length(bar.length().unwrap_or(0).max(n));
        bar.set_position(n);
    })
    .await
    .context("the export failed")?;
    bar.finish_and_clear();
    let secs = started.elapsed().as_secs_f64().max(1e-9);
    let rows: u64 = summary.rows.values().sum();
    println!(
        "{}: {} records and {} log rows as {} rows in {} files ({:.1} MB) in {secs:.2}s ({:.0} rows/s)",
        args.out.display(),
        summary.records,
        summary.log_rows,
        rows,
        summary.files,
        summary.bytes as f64 / 1e6,
        rows as f64 / secs,
    );
    for (table, n) in &summary.rows {
        println!("  {table}: {n} rows");
    }
    Ok(ExitCode::SUCCESS)
}
