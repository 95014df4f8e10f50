//! `callrec generate`: realistic call records to a file or straight into a store.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use callrec_model::edm::Ticks;

use super::import::print_summary;
use super::progress::progress_bar;
use crate::generate::GeneratorConfig;
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
    let generator = Arc::new(crate::generate::Generator::new(config));
    let started = Instant::now();
    match (&args.out, &args.store) {
        (Some(out), _) => {
            let bar = progress_bar(None);
            let records = args.records;
            let out = out.clone();
            let generator = generator.clone();
            let summary = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
                let writer: Box<dyn std::io::Write> = if out == "-" {
                    Box::new(std::io::stdout().lock())
                } else {
                    Box::new(
                        std::fs::File::create(&out)
                            .with_context(|| format!("cannot create {out}"))?,
                    )
                };
                let writer = std::io::BufWriter::with_capacity(1 << 20, writer);
                let bar2 = bar.clone();
                let summary = generator.write_ndjson(writer, move |n| {
                    bar2.set_message(format!("{n}/{records} records"))
                })?;
                bar.finish_and_clear();
                Ok(summary)
            })
            .await??;
            eprintln!(
                "generated {summary:?} in {:.2}s",
                started.elapsed().as_secs_f64()
            );
        }
        (None, Some(store)) => {
            let store = storage::open(store).await?;
            let summary = demo::generate_into(&store, generator.clone(), &args.tenant).await?;
            print_summary("generated", &summary);
            let logs =
                crate::generate::logs::generate_logs_into(&store, generator.clone(), &args.tenant)
                    .await?;
            print_summary("log rows", &logs);
            eprintln!("in {:.2}s", started.elapsed().as_secs_f64());
        }
        (None, None) => unreachable!("clap requires --out or --store"),
    }
    if let Some(path) = &args.pstn_out {
        let path = path.clone();
        let summary = tokio::task::spawn_blocking(move || {
            crate::generate::logs::write_log_file(&generator, &path)
        })
        .await??;
        eprintln!("log rows: {summary:?}");
    }
    Ok(ExitCode::SUCCESS)
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
