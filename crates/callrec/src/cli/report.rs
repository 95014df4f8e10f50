//! `callrec report`: the quality report of `/callrec/reports/quality`, read straight from a store, as an
//! aligned table on a terminal, or as CSV or JSON for other tools.
//!
//! The options are the report's query parameters (`--by user --days 7 --order worst`), checked by the same
//! code as the HTTP endpoint, so the two always agree.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use callrec_model::edm::Ticks;
use callrec_model::quality::Metric;
use callrec_store::quality::ReportRow;

use crate::reports::{self, ReportRequest};
use crate::storage;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Csv,
    Json,
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The store to read.
    #[arg(long, env = "CALLREC_STORE", default_value = storage::DEFAULT_STORE)]
    pub store: String,
    /// The tenant whose calls to report on.
    #[arg(long, default_value = crate::auth::DEFAULT_TENANT)]
    pub tenant: String,
    /// What the rows are: day, hour, mediaType, building, subnet, connection, platform, clientVersion,
    /// user, device.
    #[arg(long, default_value = "day")]
    pub by: String,
    /// First instant or date (UTC) of the range.
    #[arg(long)]
    pub from: Option<String>,
    /// End of the range (exclusive); default: the end of today (UTC).
    #[arg(long)]
    pub to: Option<String>,
    /// Days before `--to`, when `--from` is not given (default 30).
    #[arg(long)]
    pub days: Option<u32>,
    /// Only streams of this media type: audio, video, videoBasedScreenSharing, other.
    #[arg(long)]
    pub media_type: Option<String>,
    /// `worst` (highest poor rate first), `poor` (most poor streams first) or `key`.
    #[arg(long)]
    pub order: Option<String>,
    /// At most this many rows.
    #[arg(long)]
    pub top: Option<usize>,
    /// Leave out rows with fewer classified streams.
    #[arg(long)]
    pub min_streams: Option<u64>,
    /// Only streams with this value, as `user=ID`, `subnet=10.0.1.0`, `building=HQ`, `platform=windows`...
    #[arg(long = "where", value_name = "NAME=VALUE")]
    pub only: Option<String>,
    /// Output: an aligned table (the default on a terminal), CSV or JSON.
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

impl ReportArgs {
    /// The arguments as the endpoint's query parameters.
    fn pairs(&self) -> anyhow::Result<Vec<(String, String)>> {
        let mut pairs = vec![("by".to_owned(), self.by.clone())];
        let mut push = |name: &str, value: Option<String>| {
            if let Some(v) = value {
                pairs.push((name.to_owned(), v));
            }
        };
        push("from", self.from.clone());
        push("to", self.to.clone());
        push("days", self.days.map(|d| d.to_string()));
        push("mediaType", self.media_type.clone());
        push("order", self.order.clone());
        push("top", self.top.map(|n| n.to_string()));
        push("minStreams", self.min_streams.map(|n| n.to_string()));
        if let Some(only) = &self.only {
            let (name, value) = only
                .split_once('=')
                .context("--where takes NAME=VALUE, e.g. --where platform=windows")?;
            pairs.push((name.to_owned(), value.to_owned()));
        }
        Ok(pairs)
    }
}

fn figure(v: Option<f64>, digits: usize) -> String {
    v.map(|v| format!("{v:.digits$}"))
        .unwrap_or_else(|| "-".to_owned())
}

/// The rows as an aligned text table.
pub fn table(rows: &[ReportRow]) -> String {
    let head = [
        "key",
        "name",
        "streams",
        "good",
        "poor",
        "unclass.",
        "poor %",
        "jitter ms",
        "max jitter",
        "rtt ms",
        "loss %",
        "main reason",
    ];
    let mut lines: Vec<Vec<String>> = vec![head.iter().map(|h| (*h).to_owned()).collect()];
    for r in rows {
        let reason = Metric::ALL
            .iter()
            .filter(|m| r.poor_by_metric[m.index()] > 0)
            .max_by_key(|m| r.poor_by_metric[m.index()])
            .map_or_else(String::new, |m| {
                format!("{} ({})", m.property(), r.poor_by_metric[m.index()])
            });
        lines.push(vec![
            r.key.clone().unwrap_or_else(|| "(unknown)".to_owned()),
            r.label.clone().unwrap_or_default(),
            r.streams().to_string(),
            r.good.to_string(),
            r.poor.to_string(),
            r.unclassified.to_string(),
            figure(r.poor_rate().map(|p| p * 100.0), 1),
            figure(r.average_of(Metric::Jitter), 1),
            figure(r.maximum[Metric::Jitter.index()], 1),
            figure(r.average_of(Metric::RoundTripTime), 0),
            figure(r.average_of(Metric::PacketLossRate).map(|p| p * 100.0), 2),
            reason,
        ]);
    }
    let widths: Vec<usize> = (0..head.len())
        .map(|c| {
            lines
                .iter()
                .map(|l| l[c].chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for line in &lines {
        let cells: Vec<String> = line
            .iter()
            .enumerate()
            .map(|(c, cell)| {
                // Names left, figures right.
                if c < 2 || c == head.len() - 1 {
                    format!("{cell:<w$}", w = widths[c])
                } else {
                    format!("{cell:>w$}", w = widths[c])
                }
            })
            .collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

pub async fn run(args: ReportArgs) -> anyhow::Result<ExitCode> {
    let pairs = args.pairs()?;
    let request = ReportRequest::parse(&pairs, args.format == Format::Csv, Ticks::now())
        .map_err(|e| anyhow::anyhow!(e.0))?;
    let store = storage::open_existing(&args.store).await?;
    let rows = store
        .quality_report(&args.tenant, &request.query)
        .await
        .context("the report failed")?;
    let rows = reports::arrange(rows, &request);
    let links: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "/v1.0/communications/callRecords?$filter={}",
                reports::records_filter(&request, r)
            )
        })
        .collect();
    let text = match args.format {
        Format::Table => table(&rows),
        Format::Csv => reports::rows_csv(&rows, &links),
        Format::Json => {
            let value: Vec<serde_json::Value> = rows
                .iter()
                .zip(&links)
                .map(|(r, l)| {
                    serde_json::json!({
                        "key": r.key, "label": r.label, "start": r.start.map(|t| t.to_string()),
                        "streams": r.streams(), "good": r.good, "poor": r.poor, "unclassified": r.unclassified,
                        "poorRate": r.poor_rate(), "records": l,
                    })
                })
                .collect();
            format!("{}\n", serde_json::to_string_pretty(&value)?)
        }
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_aligns_columns() {
        let rows = vec![
            ReportRow {
                key: Some("u1".into()),
                label: Some("Ann".into()),
                good: 90,
                poor: 10,
                ..ReportRow::default()
            },
            ReportRow {
                key: None,
                good: 1,
                ..ReportRow::default()
            },
        ];
        let text = table(&rows);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[1].starts_with("u1         Ann"), "{text}");
        assert!(lines[2].starts_with("(unknown)"), "{text}");
        // The poor % column ends at the same place on every line.
        let end = |l: &str, needle: &str| l.find(needle).map(|i| i + needle.len());
        assert_eq!(end(lines[0], "poor %"), end(lines[1], "10.0"), "{text}");
        assert_eq!(end(lines[0], "poor %"), end(lines[2], "0.0"), "{text}");
    }
}
