//! JSON batching against its baseline, in one run on one machine: 20 record reads sent as one
//! `POST /v1.0/$batch`, against the same 20 reads sent one after another over one keep-alive connection
//! (what a client without batching does at best).
//!
//! `cargo build --release -p callrec -p callrec-bench && target/release/batch [--rounds 300]`
//! generates and imports a small store with the release `callrec`, serves it, and prints a Markdown
//! section; `--out BENCHMARKS.md` puts that section in the file in place of the previous one.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use callrec_bench::{client, system};
use clap::Parser;
use serde_json::{Value, json};

#[derive(Parser)]
#[command(about = "20 record reads as one $batch against 20 reads over one keep-alive connection")]
struct Args {
    /// The callrec binary to measure.
    #[arg(long, default_value = "target/release/callrec")]
    callrec: PathBuf,
    /// Rounds of each way (alternating, so that both meet the same noise).
    #[arg(long, default_value_t = 300)]
    rounds: usize,
    /// Write the section into this Markdown file, replacing its previous version.
    #[arg(long)]
    out: Option<PathBuf>,
}

const SECTION: &str = "## JSON batching (20 record reads)";
const READS: usize = 20;

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let work = std::env::temp_dir().join(format!("callrec-batch-bench-{}", std::process::id()));
    std::fs::create_dir_all(&work)?;
    let data = work.join("records.ndjson");
    let store = work.join("store.db");
    let path = |p: &PathBuf| p.display().to_string();
    run(
        &args.callrec,
        &[
            "generate",
            "--records",
            "200",
            "--seed",
            "3",
            "--out",
            &path(&data),
        ],
    )?;
    run(
        &args.callrec,
        &["import", "--store", &path(&store), &path(&data)],
    )?;
    let addr: SocketAddr = ([127, 0, 0, 1], system::free_port()?).into();
    let mut child = Command::new(&args.callrec)
        .args(["serve", "--auth", "none", "--retention", "forever"])
        .arg("--listen")
        .arg(addr.to_string())
        .arg("--store")
        .arg(&store)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting callrec serve")?;
    let measured = measure(addr, args.rounds);
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&work);
    let section = section(&measured?, args.rounds);
    println!("{section}");
    if let Some(out) = args.out {
        let text = std::fs::read_to_string(&out).unwrap_or_default();
        std::fs::write(&out, replace_section(&text, &section))?;
        eprintln!("Wrote the section into {}.", out.display());
    }
    Ok(())
}

/// `callrec ARGS`, failing with its output.
fn run(callrec: &PathBuf, args: &[&str]) -> anyhow::Result<()> {
    let output = Command::new(callrec)
        .args(args)
        .output()
        .with_context(|| format!("running {}", callrec.display()))?;
    if !output.status.success() {
        bail!(
            "callrec {} failed: {}",
            args[0],
            String::from_utf8_lossy(&output.stderr)
        );
    }
    Ok(())
}

struct Measured {
    /// Seconds per round of 20 reads, sorted.
    separate: Vec<f64>,
    batched: Vec<f64>,
    bytes_separate: usize,
    bytes_batched: usize,
}

fn measure(addr: SocketAddr, rounds: usize) -> anyhow::Result<Measured> {
    let started = Instant::now();
    let ids: Vec<String> = loop {
        if let Ok(r) = client::get(
            addr,
            &format!("/v1.0/communications/callRecords?$top={READS}&$select=id"),
            Duration::from_secs(5),
        ) && r.status == 200
        {
            let page: Value = serde_json::from_slice(&r.body)?;
            break page["value"]
                .as_array()
                .context("a page of records")?
                .iter()
                .filter_map(|v| v["id"].as_str().map(str::to_owned))
                .collect();
        }
        if started.elapsed() > Duration::from_secs(60) {
            bail!("callrec did not answer within 60 s");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    if ids.len() < READS {
        bail!("the store holds {} records, not {READS}", ids.len());
    }
    let batch = json!({
        "requests": ids.iter().enumerate().map(|(i, id)| json!({
            "id": i.to_string(), "method": "GET", "url": format!("/communications/callRecords/{id}")
        })).collect::<Vec<_>>()
    })
    .to_string();
    let mut connection = Connection::open(addr)?;
    let mut measured = Measured {
        separate: Vec::new(),
        batched: Vec::new(),
        bytes_separate: 0,
        bytes_batched: 0,
    };
    for round in 0..rounds + 10 {
        let at = Instant::now();
        let mut bytes = 0;
        for id in &ids {
            let (status, body) = connection.send(
                "GET",
                &format!("/v1.0/communications/callRecords/{id}"),
                None,
            )?;
            if status != 200 {
                bail!("GET of {id} answered {status}");
            }
            bytes += body.len();
        }
        let separate = at.elapsed().as_secs_f64();
        let at = Instant::now();
        let (status, body) = connection.send("POST", "/v1.0/$batch", Some(&batch))?;
        let batched = at.elapsed().as_secs_f64();
        if status != 200 {
            bail!("the batch answered {status}");
        }
        // The first rounds warm both paths up.
        if round >= 10 {
            measured.separate.push(separate);
            measured.batched.push(batched);
            measured.bytes_separate = bytes;
            measured.bytes_batched = body.len();
        }
    }
    measured.separate.sort_by(f64::total_cmp);
    measured.batched.sort_by(f64::total_cmp);
    Ok(measured)
}

/// One keep-alive HTTP/1.1 connection.
struct Connection {
    stream: TcpStream,
    addr: SocketAddr,
}

impl Connection {
    fn open(addr: SocketAddr) -> anyhow::Result<Connection> {
        let stream = TcpStream::connect(addr)?;
        stream.set_read_timeout(Some(Duration::from_secs(30)))?;
        stream.set_nodelay(true)?;
        Ok(Connection { stream, addr })
    }

    fn send(
        &mut self,
        method: &str,
        path: &str,
        body: Option<&str>,
    ) -> anyhow::Result<(u16, Vec<u8>)> {
        let addr = self.addr;
        let mut request =
            format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: application/json\r\n");
        if let Some(body) = body {
            request.push_str(&format!(
                "Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                body.len()
            ));
        } else {
            request.push_str("\r\n");
        }
        self.stream.write_all(request.as_bytes())?;
        let mut raw = Vec::new();
        let mut chunk = [0u8; 64 * 1024];
        loop {
            let n = self.stream.read(&mut chunk)?;
            if n == 0 {
                bail!("the server closed the connection");
            }
            raw.extend_from_slice(&chunk[..n]);
            if complete(&raw) {
                let response = client::parse_response(&raw).map_err(anyhow::Error::msg)?;
                return Ok((response.status, response.body));
            }
        }
    }
}

/// Whether these bytes hold a whole response (by its length, or the last chunk).
fn complete(raw: &[u8]) -> bool {
    let Some(end) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&raw[..end]).to_ascii_lowercase();
    if let Some(length) = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
    {
        return raw.len() >= end + 4 + length;
    }
    raw.ends_with(b"0\r\n\r\n")
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

fn section(m: &Measured, rounds: usize) -> String {
    let ms = |s: f64| format!("{:.2} ms", s * 1000.0);
    let row = |name: &str, p: f64| {
        let batched = percentile(&m.batched, p);
        let separate = percentile(&m.separate, p);
        format!(
            "| {name} | {} | {} | {:.2}x |\n",
            ms(batched),
            ms(separate),
            batched / separate
        )
    };
    let date = time::OffsetDateTime::now_utc();
    let mut out = format!(
        "{SECTION}\n\nMeasured with `cargo build --release -p callrec -p callrec-bench && target/release/batch --rounds {rounds} --out BENCHMARKS.md` \
         on {}-{:02}-{:02} ({} CPUs): 20 `GET /v1.0/communications/callRecords/{{id}}` of generated records, sent as one \
         `POST /v1.0/$batch` and, as the baseline, one after another over one keep-alive connection, {rounds} rounds \
         of each, alternating, on the same server.\n\n\
         | Figure | One $batch of 20 | 20 GETs on one connection (baseline) | Ratio |\n|---|---:|---:|---:|\n",
        date.year(),
        u8::from(date.month()),
        date.day(),
        std::thread::available_parallelism().map_or(0, usize::from),
    );
    out.push_str(&row("Median time for the 20 reads", 0.5));
    out.push_str(&row("90th percentile", 0.9));
    out.push_str(&format!(
        "| Bytes of the answers | {} | {} | {:.2}x |\n",
        m.bytes_batched,
        m.bytes_separate,
        m.bytes_batched as f64 / m.bytes_separate as f64
    ));
    out
}

/// The file with its previous version of the section replaced by this one (or this one appended).
fn replace_section(text: &str, section: &str) -> String {
    let Some(start) = text.find(SECTION) else {
        return format!("{}\n\n{}", text.trim_end(), section);
    };
    let after = &text[start + SECTION.len()..];
    let end = after
        .find("\n## ")
        .map_or(text.len(), |at| start + SECTION.len() + at + 1);
    format!("{}{}\n{}", &text[..start], section.trim_end(), &text[end..])
}
