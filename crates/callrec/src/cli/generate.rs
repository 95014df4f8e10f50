//! `callrec generate`: realistic call records to a file or straight into a store.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use callrec_model::edm::Ticks;

use super::import::print_summary;
use super::progress::count_bar;
use crate::generate::{GenerateSummary, GeneratorConfig};
use crate::{demo, storage};

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// How many call records to make.
    #[arg(long)]
    pub records: u64,
    /// Seed: the same seed always makes the same records.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// First day of the calls (YYYY-MM-DD, UTC); default: `--days` days before today.
    #[arg(long, value_parser = date)]
    pub start: Option<Ticks>,
    /// Days the calls spread over.
    #[arg(long, default_value_t = 30)]
    pub days: u32,
    /// Tenant id written into the records.
    #[arg(long, default_value = crate::auth::DEFAULT_TENANT)]
    pub tenant: String,
    /// Users in the simulated organization.
    #[arg(long, default_value_t = 500)]
    pub users: u32,
    /// Write NDJSON to this file (`-` for standard output).
    #[arg(long, conflicts_with = "store", required_unless_present = "store")]
    pub out: Option<String>,
    /// Import straight into this store instead (with the log rows of the PSTN calls).
    #[arg(long)]
    pub store: Option<String>,
    /// Also write the log rows of the generated PSTN calls (PSTN, direct routing, their text messages and
    /// blocks), as NDJSON, to this file.
    #[arg(long)]
    pub pstn_out: Option<String>,
}

pub(super) async fn generate(args: GenerateArgs) -> anyhow::Result<ExitCode> {
    let config = generator_config(&args);
    let span = describe_span(&config);
    let generator = Arc::new(crate::generate::Generator::new(config));
    let started = Instant::now();
    // The data may go to standard output, so what people read goes to standard error.
    match (&args.out, &args.store) {
        (Some(out), _) => {
            let bar = count_bar(args.records, "records");
            let out = out.clone();
            let generator = generator.clone();
            let (summary, out) = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
                let writer: Box<dyn std::io::Write> = if out == "-" {
                    Box::new(std::io::stdout().lock())
                } else {
                    Box::new(
                        std::fs::File::create(&out)
                            .with_context(|| format!("cannot create {out}"))?,
                    )
                };
                let writer = std::io::BufWriter::with_capacity(1 << 20, writer);
                let counted = bar.clone();
                let summary = generator.write_ndjson(writer, move |n| counted.set_position(n))?;
                bar.finish_and_clear();
                Ok((summary, out))
            })
            .await??;
            eprintln!(
                "{} {span} to {} in {:.2}s.",
                describe_records(&summary),
                destination(&out),
                started.elapsed().as_secs_f64()
            );
        }
        (None, Some(store)) => {
            let spec = store;
            let store = storage::open(spec).await?;
            let records = demo::generate_into(&store, generator.clone(), &args.tenant).await?;
            print_summary("call records", &records);
            let logs =
                crate::generate::logs::generate_logs_into(&store, generator.clone(), &args.tenant)
                    .await?;
            print_summary("log rows", &logs);
            eprintln!(
                "Generated {} call records and {} log rows {span} into {} in {:.2}s.",
                args.records,
                logs.records_seen(),
                storage::describe(spec),
                started.elapsed().as_secs_f64()
            );
        }
        (None, None) => unreachable!("clap requires --out or --store"),
    }
    if let Some(path) = &args.pstn_out {
        let path = path.clone();
        let (summary, path) = tokio::task::spawn_blocking(move || {
            crate::generate::logs::write_log_file(&generator, &path).map(|s| (s, path))
        })
        .await??;
        eprintln!(
            "Wrote {} PSTN and {} direct routing log rows ({}) to {}.",
            summary.pstn_rows,
            summary.direct_routing_rows,
            indicatif::HumanBytes(summary.bytes),
            destination(&path)
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// "Generated 50 call records and 12 later versions of them (62 lines, 61.3 KiB)".
fn describe_records(summary: &GenerateSummary) -> String {
    let records = match summary.records {
        1 => "1 call record".to_owned(),
        n => format!("{n} call records"),
    };
    let later = match summary.later_versions {
        0 => String::new(),
        1 => " and 1 later version of one".to_owned(),
        n => format!(" and {n} later versions of them"),
    };
    format!(
        "Generated {records}{later} ({} lines, {})",
        summary.records + summary.later_versions,
        indicatif::HumanBytes(summary.bytes)
    )
}

/// "over 30 days from 2026-11-04".
fn describe_span(config: &GeneratorConfig) -> String {
    let day = config.start.to_string();
    let day = day.get(..10).unwrap_or(&day);
    match config.days {
        0 | 1 => format!("on {day}"),
        n => format!("over {n} days from {day}"),
    }
}

fn destination(path: &str) -> &str {
    if path == "-" { "standard output" } else { path }
}

/// The generator settings a `callrec generate` command line asks for.
fn generator_config(args: &GenerateArgs) -> GeneratorConfig {
    let start = args
        .start
        .unwrap_or_else(|| demo::days_before_today(args.days));
    GeneratorConfig {
        records: args.records,
        seed: args.seed,
        start,
        days: args.days,
        tenant_id: args.tenant.clone(),
        users: args.users,
    }
}

/// A day, `YYYY-MM-DD`.
fn date(s: &str) -> Result<Ticks, String> {
    callrec_model::edm::parse_date(s)
        .map_err(|e| format!("'{s}' is not a day like 2025-01-31: {e}"))
}
