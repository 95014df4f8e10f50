//! `bench`: runs the whole-system suite and writes BENCHMARKS.md (see `callrec_bench::suite`).

use std::process::ExitCode;

use clap::Parser;

fn main() -> anyhow::Result<ExitCode> {
    let opts = callrec_bench::suite::Options::parse();
    let report = callrec_bench::suite::run(&opts)?;
    print!("{}", report.to_markdown());
    eprintln!("bench: report written to {}", opts.out.display());
    Ok(ExitCode::SUCCESS)
}
