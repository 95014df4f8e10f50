//! `floor`: the ingest floor on an NDJSON file (see `callrec_bench::floor`).

use std::path::PathBuf;

use clap::Parser;

/// Parse + per-record zstd + one blob insert per record into a fresh SQLite file, in one transaction.
#[derive(Debug, Parser)]
struct Args {
    /// The NDJSON file to store.
    #[arg(long)]
    input: PathBuf,
    /// The SQLite file to create (replaced if it exists).
    #[arg(long)]
    db: PathBuf,
    /// zstd level.
    #[arg(long, default_value_t = 3)]
    level: i32,
    /// Print the figures as one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let f = callrec_bench::floor::run(&args.input, &args.db, args.level)?;
    if args.json {
        println!("{}", serde_json::to_string(&f)?);
        return Ok(());
    }
    println!(
        "floor: {} records, {:.1} MB in {:.2}s: {:.0} records/s, {:.1} MB/s",
        f.records,
        f.bytes as f64 / 1e6,
        f.total_secs,
        f.records_per_sec(),
        f.mb_per_sec()
    );
    println!(
        "parse only (serde_json, in memory): {:.0} records/s, {:.1} MB/s",
        f.parse_records_per_sec(),
        f.parse_mb_per_sec()
    );
    println!(
        "time: parse {:.2}s, zstd {:.2}s, insert {:.2}s, commit {:.2}s, reading and the rest {:.2}s",
        f.parse_secs,
        f.compress_secs,
        f.insert_secs,
        f.commit_secs,
        f.total_secs - f.parse_secs - f.compress_secs - f.insert_secs - f.commit_secs
    );
    println!(
        "size: blobs {:.1} MB ({:.3}x), SQLite file {:.1} MB ({:.3}x)",
        f.compressed_bytes as f64 / 1e6,
        f.compressed_bytes as f64 / f.bytes.max(1) as f64,
        f.db_bytes as f64 / 1e6,
        f.db_bytes as f64 / f.bytes.max(1) as f64
    );
    Ok(())
}
