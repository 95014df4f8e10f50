//! The ingest floor: what storing NDJSON records costs with no cleverness at all.
//!
//! Each line is parsed with serde_json (so a broken record would be noticed), compressed alone with zstd
//! level 3, and inserted as one blob into a fresh SQLite table, all in one transaction committed at the end.
//! `callrec import` does strictly more work per record (validation, splitting into pieces, indexes), so the
//! floor is the bar it must not fall below on the same data in the same run. The time of each stage is kept
//! apart, which gives the parse-only figure and shows where the floor itself spends its time.

use std::io::BufRead;
use std::path::Path;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// What one floor run measured.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FloorFigures {
    pub records: u64,
    /// NDJSON bytes read, newlines included.
    pub bytes: u64,
    /// Wall time from opening the input to the commit returning.
    pub total_secs: f64,
    /// Time inside `serde_json::from_slice` alone.
    pub parse_secs: f64,
    pub compress_secs: f64,
    pub insert_secs: f64,
    pub commit_secs: f64,
    /// Bytes of the compressed blobs.
    pub compressed_bytes: u64,
    /// Size of the SQLite file after the commit.
    pub db_bytes: u64,
}

impl FloorFigures {
    pub fn records_per_sec(&self) -> f64 {
        rate(self.records as f64, self.total_secs)
    }

    pub fn mb_per_sec(&self) -> f64 {
        rate(self.bytes as f64 / 1e6, self.total_secs)
    }

    /// serde_json alone, on records already in memory.
    pub fn parse_records_per_sec(&self) -> f64 {
        rate(self.records as f64, self.parse_secs)
    }

    pub fn parse_mb_per_sec(&self) -> f64 {
        rate(self.bytes as f64 / 1e6, self.parse_secs)
    }
}

pub(crate) fn rate(amount: f64, secs: f64) -> f64 {
    if secs > 0.0 { amount / secs } else { 0.0 }
}

/// Why the floor could not run.
#[derive(Debug, thiserror::Error)]
pub enum FloorError {
    #[error("reading the input: {0}")]
    Io(#[from] std::io::Error),
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// A line that is not JSON: the floor refuses to measure data callrec would reject.
    #[error("line {line} is not JSON: {error}")]
    Json { line: u64, error: serde_json::Error },
}

/// Runs the floor over the NDJSON file `input`, writing a fresh SQLite file at `db` (an existing one is
/// replaced). Blank lines are skipped, as `callrec import` skips them.
pub fn run(input: &Path, db: &Path, level: i32) -> Result<FloorFigures, FloorError> {
    for suffix in ["", "-journal", "-wal", "-shm"] {
        let mut p = db.as_os_str().to_owned();
        p.push(suffix);
        match std::fs::remove_file(&p) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e.into()),
            _ => {}
        }
    }
    let started = Instant::now();
    let mut reader = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(input)?);
    let mut conn = rusqlite::Connection::open(db)?;
    conn.execute_batch("CREATE TABLE records (rid INTEGER PRIMARY KEY, body BLOB NOT NULL)")?;
    let tx = conn.transaction()?;
    let mut figures = FloorFigures::default();
    let (mut parse, mut compress, mut insert) = (Duration::ZERO, Duration::ZERO, Duration::ZERO);
    {
        let mut statement = tx.prepare("INSERT INTO records (body) VALUES (?1)")?;
        let mut compressor = zstd::bulk::Compressor::new(level)?;
        let mut line = Vec::with_capacity(1 << 16);
        let mut blob = Vec::with_capacity(1 << 16);
        let mut line_no = 0u64;
        loop {
            line.clear();
            let n = reader.read_until(b'\n', &mut line)?;
            if n == 0 {
                break;
            }
            line_no += 1;
            figures.bytes += n as u64;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let t0 = Instant::now();
            let value: serde_json::Value =
                serde_json::from_slice(&line).map_err(|error| FloorError::Json {
                    line: line_no,
                    error,
                })?;
            let t1 = Instant::now();
            blob.clear();
            blob.reserve(zstd::zstd_safe::compress_bound(line.len()));
            compressor.compress_to_buffer(&line, &mut blob)?;
            let t2 = Instant::now();
            statement.execute([&blob])?;
            let t3 = Instant::now();
            // Dropped outside the timed parse, as a real importer would drop it after using it.
            drop(value);
            parse += t1 - t0;
            compress += t2 - t1;
            insert += t3 - t2;
            figures.records += 1;
            figures.compressed_bytes += blob.len() as u64;
        }
    }
    let t = Instant::now();
    tx.commit()?;
    figures.commit_secs = t.elapsed().as_secs_f64();
    figures.total_secs = started.elapsed().as_secs_f64();
    figures.parse_secs = parse.as_secs_f64();
    figures.compress_secs = compress.as_secs_f64();
    figures.insert_secs = insert.as_secs_f64();
    drop(conn);
    figures.db_bytes = std::fs::metadata(db)?.len();
    Ok(figures)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stores_every_record_and_counts_bytes() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let input = dir.join("in.ndjson");
        let text = "{\"id\":\"a\",\"n\":1}\n\n{\"id\":\"b\",\"n\":[1,2,3]}\n";
        std::fs::write(&input, text).unwrap();
        let db = dir.join("floor.db");
        let figures = run(&input, &db, 3).unwrap();
        assert_eq!(figures.records, 2);
        assert_eq!(figures.bytes, text.len() as u64);
        let conn = rusqlite::Connection::open(&db).unwrap();
        let bodies: Vec<Vec<u8>> = conn
            .prepare("SELECT body FROM records ORDER BY rid")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let second = zstd::bulk::decompress(&bodies[1], 1 << 16).unwrap();
        assert_eq!(second, b"{\"id\":\"b\",\"n\":[1,2,3]}\n");

        std::fs::write(&input, "{\"id\":1}\nnot json\n").unwrap();
        match run(&input, &db, 3) {
            Err(FloorError::Json { line, .. }) => assert_eq!(line, 2),
            other => panic!("expected a JSON error, got {other:?}"),
        }
    }
}
