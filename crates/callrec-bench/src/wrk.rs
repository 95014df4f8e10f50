//! Load from `wrk`: running it against one URL and reading its report.
//!
//! wrk is the load generator the targets were set with (`wrk -t2 -c64 -d10s --latency`); the suite reads
//! the throughput, the latency percentiles and the error counts from its text report, and treats any
//! error or non-2xx answer as a failed measurement rather than a fast one.

use std::process::Command;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How hard and how long to load a server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Load {
    pub threads: u32,
    pub connections: u32,
    pub duration: Duration,
}

impl Load {
    /// The arguments that describe this load, as they appear in the report.
    pub fn args(&self) -> Vec<String> {
        vec![
            format!("-t{}", self.threads),
            format!("-c{}", self.connections),
            format!("-d{}s", self.duration.as_secs()),
            "--latency".to_owned(),
        ]
    }
}

/// What one wrk run measured.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WrkResult {
    pub requests_per_sec: f64,
    pub requests: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Bytes per second read, as wrk reports it.
    pub transfer_per_sec: f64,
    /// Connect, read, write and timeout errors together.
    pub socket_errors: u64,
    pub non_2xx: u64,
}

/// Why a wrk run gave no usable figure.
#[derive(Debug, thiserror::Error)]
pub enum WrkError {
    #[error("cannot run wrk (install it with `apt-get install -y wrk`): {0}")]
    Spawn(std::io::Error),
    #[error("wrk failed: {0}")]
    Failed(String),
    #[error("cannot read wrk's report ({what}):\n{report}")]
    Unreadable { what: &'static str, report: String },
}

/// Runs wrk against `url` and reads its report.
pub fn run(load: &Load, url: &str) -> Result<WrkResult, WrkError> {
    let output = Command::new("wrk")
        .args(load.args())
        .arg(url)
        .output()
        .map_err(WrkError::Spawn)?;
    let report = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.status.success() {
        return Err(WrkError::Failed(format!(
            "{report}{}",
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    parse(&report)
}

/// Reads wrk's text report.
pub fn parse(report: &str) -> Result<WrkResult, WrkError> {
    let unreadable = |what| WrkError::Unreadable {
        what,
        report: report.to_owned(),
    };
    let mut result = WrkResult::default();
    let (mut rps, mut p50, mut p99, mut requests) = (None, None, None, None);
    for line in report.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        match words.as_slice() {
            ["Requests/sec:", value] => rps = value.parse().ok(),
            ["Transfer/sec:", value] => result.transfer_per_sec = parse_size(value).unwrap_or(0.0),
            ["50%", value] => p50 = parse_time_ms(value),
            ["99%", value] => p99 = parse_time_ms(value),
            [n, "requests", "in", ..] => requests = n.parse().ok(),
            ["Socket", "errors:", rest @ ..] => {
                result.socket_errors = rest
                    .iter()
                    .filter_map(|w| w.trim_end_matches(',').parse::<u64>().ok())
                    .sum();
            }
            ["Non-2xx", "or", "3xx", "responses:", n] => {
                result.non_2xx = n.parse().unwrap_or(u64::MAX)
            }
            _ => {}
        }
    }
    result.requests_per_sec = rps.ok_or_else(|| unreadable("Requests/sec"))?;
    result.p50_ms = p50.ok_or_else(|| unreadable("50% latency; was --latency given?"))?;
    result.p99_ms = p99.ok_or_else(|| unreadable("99% latency; was --latency given?"))?;
    result.requests = requests.ok_or_else(|| unreadable("request count"))?;
    Ok(result)
}

/// wrk prints times as `812.00us`, `1.23ms`, `2.00s` or `1.00m`.
fn parse_time_ms(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let n: f64 = number.parse().ok()?;
    let factor = match unit {
        "us" => 1e-3,
        "ms" => 1.0,
        "s" => 1e3,
        "m" => 60e3,
        "h" => 3600e3,
        _ => return None,
    };
    Some(n * factor)
}

/// wrk prints sizes as `385.21MB`, `12.00KB`, `900.00B`.
fn parse_size(text: &str) -> Option<f64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (number, unit) = text.split_at(split);
    let n: f64 = number.parse().ok()?;
    let factor = match unit {
        "B" => 1.0,
        "KB" => 1024.0,
        "MB" => 1024.0 * 1024.0,
        "GB" => 1024.0 * 1024.0 * 1024.0,
        _ => return None,
    };
    Some(n * factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "Running 10s test @ http://127.0.0.1:8080/x
  2 threads and 64 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   615.42us  300.12us   8.51ms   80.00%
    Req/Sec    52.01k     3.20k   60.00k    70.00%
  Latency Distribution
     50%  560.00us
     75%  700.00us
     90%    0.90ms
     99%    1.80ms
  1034567 requests in 10.00s, 3.85GB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 12
Requests/sec: 103456.70
Transfer/sec:    385.00MB
";

    #[test]
    fn reads_a_report() {
        let r = parse(REPORT).unwrap();
        assert_eq!(r.requests_per_sec, 103456.70);
        assert_eq!(r.requests, 1034567);
        assert!((r.p50_ms - 0.56).abs() < 1e-9);
        assert!((r.p99_ms - 1.8).abs() < 1e-9);
        assert_eq!(r.socket_errors, 3);
        assert_eq!(r.non_2xx, 12);
        assert_eq!(r.transfer_per_sec, 385.0 * 1024.0 * 1024.0);
    }

    #[test]
    fn refuses_a_report_without_latency() {
        let without: String = REPORT
            .lines()
            .filter(|l| !l.contains('%') || l.contains("Req/Sec"))
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(matches!(parse(&without), Err(WrkError::Unreadable { .. })));
    }

    #[test]
    fn reads_times() {
        assert_eq!(parse_time_ms("2.00s"), Some(2000.0));
        assert_eq!(parse_time_ms("1.50m"), Some(90_000.0));
        assert_eq!(parse_time_ms("abc"), None);
    }
}
