//! `callrec import`: files (or standard input) of call records or log rows into a store, with a progress
//! bar and a summary a person reads.

use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;

use super::progress::{CountingReader, progress_bar};
use crate::ingest::{self, IngestSummary, InputKind};
use crate::scrubbing::ScrubAfter;
use crate::storage;

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The store to import into.
    #[arg(long, env = "CALLREC_STORE", default_value = storage::DEFAULT_STORE)]
    pub store: String,
    /// The tenant that will own the records.
    #[arg(long, default_value = crate::auth::DEFAULT_TENANT)]
    pub tenant: String,
    /// What the files hold: callRecord, pstnCall, directRoutingCall, sms or pstnBlockedUser. Default: read
    /// from each file (log rows are told by their @odata.type or a Graph page's @odata.context).
    #[arg(long, value_parser = ingest::parse_kind)]
    pub kind: Option<InputKind>,
    /// Scrub the personal data of records whose call ended, and of log rows, longer ago than this (e.g.
    /// 28d) before storing them, as `serve --scrub-after` does.
    #[arg(long, value_name = "PERIOD")]
    pub scrub_after: Option<ScrubAfter>,
    /// Files to import; `-` reads standard input.
    #[arg(required = true)]
    pub files: Vec<String>,
}

pub(super) async fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let options =
        ingest::IngestOptions::scrubbing_after(args.scrub_after.and_then(|ScrubAfter(p)| p));
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
        let counted = CountingReader {
            inner: reader,
            bar: bar.clone(),
        };
        let input = ingest::maybe_gunzip(counted, u64::MAX)
            .with_context(|| format!("cannot read {file}"))?;
        let summary = ingest::ingest_any(
            store.clone(),
            &args.tenant,
            input,
            args.kind,
            options,
            |s| {
                bar.set_message(format!("{} records", s.records_seen()));
                // Each call follows a durable commit: the log says how far an interrupted import got.
                tracing::debug!(records = s.records_seen(), "import: committed");
            },
        )
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
    Ok(if total.rejected > 0 {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

pub(super) fn print_summary(file: &str, s: &IngestSummary) {
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
