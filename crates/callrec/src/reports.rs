//! Call quality reports, as Teams' Call Quality Dashboard gives them: a report request read and checked
//! (range, grouping, order, top N, minimum stream count), its rows arranged, the `$filter` of the
//! records behind each row, and the rows as CSV. The HTTP edge (`/callrec/reports/quality`) and
//! `callrec report` both serve reports through this module; the store counts the streams.

use std::fmt::Write as _;

use anyhow::Context;
use callrec_model::edm::{self, Ticks};
use callrec_model::quality::{MAXIMA, MediaType, Metric};
use callrec_store::quality::{Dimension, Grouping, Only, ReportQuery, ReportRow};

/// Why a report request was refused: the message names the parameter and what it accepts.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct ReportError(pub String);

impl ReportError {
    fn new(message: impl Into<String>) -> Self {
        ReportError(message.into())
    }
}

/// The longest range a report may cover.
pub const MAX_DAYS: i64 = 366;
/// The range of a report that gives neither `from` nor `days`.
pub const DEFAULT_DAYS: i64 = 30;

const DAY: i64 = 86_400 * edm::TICKS_PER_SECOND;

/// How the rows are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// By key: time rows by time, other rows by value.
    Key,
    /// The highest poor stream rate first (then the most poor streams): the worst users, subnets, devices.
    Worst,
    /// The most poor streams first.
    MostPoor,
}

/// A report request, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRequest {
    pub query: ReportQuery,
    pub order: Order,
    pub top: Option<usize>,
    /// Rows with fewer classified streams than this are left out (so that one bad call does not make a
    /// "worst" user).
    pub min_streams: u64,
    pub csv: bool,
}

fn grouping(name: &str) -> Option<Grouping> {
    match name.to_ascii_lowercase().as_str() {
        "day" => Some(Grouping::Day),
        "hour" => Some(Grouping::Hour),
        "mediatype" | "media" => Some(Grouping::MediaType),
        "building" => Some(Grouping::Building),
        other => Dimension::parse(other).map(Grouping::Dimension),
    }
}

pub(crate) fn grouping_name(g: Grouping) -> &'static str {
    match g {
        Grouping::Day => "day",
        Grouping::Hour => "hour",
        Grouping::MediaType => "mediaType",
        Grouping::Building => "building",
        Grouping::Dimension(d) => d.name(),
    }
}

/// An instant (`2025-01-01T00:00:00Z`) or a date (`2025-01-01`, midnight UTC).
fn instant(name: &str, value: &str) -> Result<Ticks, ReportError> {
    edm::parse_date_time_offset(value)
        .or_else(|_| edm::parse_date(value))
        .map_err(|_| {
            ReportError::new(format!(
                "{name} '{value}' is not a date (2025-01-31) or an instant (2025-01-31T08:00:00Z)"
            ))
        })
}

impl ReportRequest {
    /// Reads the query string; `now` fixes the default range (the `days` before the end of today, UTC).
    pub fn parse(
        pairs: &[(String, String)],
        accept_csv: bool,
        now: Ticks,
    ) -> Result<Self, ReportError> {
        let mut by = Grouping::Day;
        let (mut from, mut to, mut days) = (None, None, None);
        let mut media = None;
        let mut only: Option<Only> = None;
        let mut order = Order::Key;
        let mut top = None;
        let mut min_streams = 0;
        let mut csv = accept_csv;
        let mut set_only = |o: Only| -> Result<(), ReportError> {
            if only.replace(o).is_some() {
                return Err(ReportError::new(
                    "a report takes one of user, subnet, building, platform, clientVersion, connection and device",
                ));
            }
            Ok(())
        };
        for (name, value) in pairs {
            match name.as_str() {
                "by" => {
                    by = grouping(value).ok_or_else(|| {
                        ReportError::new(format!(
                            "by '{value}' is not one of: day, hour, mediaType, building, subnet, connection, platform, clientVersion, user, device"
                        ))
                    })?
                }
                "from" => from = Some(instant("from", value)?),
                "to" => to = Some(instant("to", value)?),
                "days" => {
                    days = Some(
                        value
                            .parse::<i64>()
                            .ok()
                            .filter(|d| (1..=MAX_DAYS).contains(d))
                            .ok_or_else(|| {
                                ReportError::new(format!(
                                    "days '{value}' is not a number of days from 1 to {MAX_DAYS}"
                                ))
                            })?,
                    )
                }
                "mediaType" => {
                    media = Some(MediaType::parse(value).ok_or_else(|| {
                        ReportError::new(format!(
                            "mediaType '{value}' is not one of: audio, video, videoBasedScreenSharing, other"
                        ))
                    })?)
                }
                "building" => set_only(Only::Building(value.clone()))?,
                "order" => {
                    order = match value.as_str() {
                        "worst" => Order::Worst,
                        "poor" => Order::MostPoor,
                        "key" => Order::Key,
                        _ => {
                            return Err(ReportError::new(format!(
                                "order '{value}' is not one of: key, worst, poor"
                            )));
                        }
                    }
                }
                "top" => {
                    top = Some(value.parse::<usize>().ok().filter(|n| *n > 0).ok_or_else(|| {
                        ReportError::new(format!("top '{value}' is not a positive number"))
                    })?)
                }
                "minStreams" => {
                    min_streams = value.parse::<u64>().map_err(|_| {
                        ReportError::new(format!("minStreams '{value}' is not a number"))
                    })?
                }
                "format" => {
                    csv = match value.as_str() {
                        "csv" => true,
                        "json" => false,
                        _ => {
                            return Err(ReportError::new(format!(
                                "format '{value}' is not one of: json, csv"
                            )));
                        }
                    }
                }
                other => match Dimension::parse(other) {
                    Some(d) if d.name() == other => set_only(Only::Dimension(d, Some(value.clone())))?,
                    _ => {
                        return Err(ReportError::new(format!(
                            "'{other}' is not a parameter of quality reports; see docs/quality.md"
                        )));
                    }
                },
            }
        }
        let end_of_today = Ticks(now.0 - now.0.rem_euclid(DAY) + DAY);
        let (from, to) = match (from, to, days) {
            (Some(_), _, Some(_)) => {
                return Err(ReportError::new("give from or days, not both"));
            }
            (Some(f), t, None) => (f, t.unwrap_or(end_of_today)),
            (None, t, d) => {
                let to = t.unwrap_or(end_of_today);
                (Ticks(to.0 - d.unwrap_or(DEFAULT_DAYS) * DAY), to)
            }
        };
        if from >= to {
            return Err(ReportError::new(format!(
                "from ({from}) must be before to ({to})"
            )));
        }
        if to.0 - from.0 > MAX_DAYS * DAY {
            return Err(ReportError::new(format!(
                "a report covers at most {MAX_DAYS} days"
            )));
        }
        Ok(ReportRequest {
            query: ReportQuery {
                by,
                from,
                to,
                media,
                only,
            },
            order,
            top,
            min_streams,
            csv,
        })
    }
}

/// Orders and trims the rows as asked.
pub fn arrange(mut rows: Vec<ReportRow>, request: &ReportRequest) -> Vec<ReportRow> {
    rows.retain(|r| r.good + r.poor >= request.min_streams);
    let rate = |r: &ReportRow| r.poor_rate().unwrap_or(-1.0);
    match request.order {
        Order::Key => {}
        Order::Worst => rows.sort_by(|a, b| {
            rate(b)
                .total_cmp(&rate(a))
                .then(b.poor.cmp(&a.poor))
                .then(a.key.cmp(&b.key))
        }),
        Order::MostPoor => {
            rows.sort_by(|a, b| b.poor.cmp(&a.poor).then(rate(b).total_cmp(&rate(a))))
        }
    }
    if let Some(top) = request.top {
        rows.truncate(top);
    }
    rows
}

/// The `$filter` of the records behind a row: poor (of the media type asked), in the row's time, with the
/// row's user as a participant when the row is a user's.
pub fn records_filter(request: &ReportRequest, row: &ReportRow) -> String {
    let q = &request.query;
    let mut parts = vec![match q.media {
        Some(m) => format!("quality/{} eq 'poor'", m.as_str()),
        None => "quality eq 'poor'".to_owned(),
    }];
    let (start, end) = match (row.start, row.end) {
        (Some(s), Some(e)) => (s.max(q.from), e.min(q.to)),
        _ => (q.from, q.to),
    };
    // A record holds the streams that started in [start, end) when its call overlaps that time.
    parts.push(format!("startDateTime lt {end}"));
    parts.push(format!("endDateTime ge {start}"));
    let user = match (&q.by, &q.only) {
        (Grouping::Dimension(Dimension::User), _) => row.key.clone(),
        (_, Some(Only::Dimension(Dimension::User, user))) => user.clone(),
        _ => None,
    };
    if let Some(user) = user {
        parts.push(format!(
            "participants_v2/any(p:p/id eq '{}')",
            user.replace('\'', "''")
        ));
    }
    parts.join(" and ")
}

pub(crate) fn round(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

fn csv_field(v: &str) -> String {
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v.to_owned()
    }
}

/// The rows as CSV, one column per figure; units are in the metric names of docs/quality.md.
pub fn rows_csv(rows: &[ReportRow], links: &[String]) -> String {
    let mut header: Vec<String> = [
        "key",
        "label",
        "start",
        "end",
        "streams",
        "good",
        "poor",
        "unclassified",
        "poorRate",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    header.extend(
        Metric::ALL
            .iter()
            .map(|m| format!("poorBy_{}", m.property())),
    );
    header.extend(Metric::ALL.iter().map(|m| format!("avg_{}", m.property())));
    header.extend(Metric::ALL.iter().map(|m| format!("max_{}", m.property())));
    header.extend(MAXIMA.iter().map(|m| format!("avg_{m}")));
    header.push("records".to_owned());
    let mut out = header.join(",");
    out.push_str("\r\n");
    let num = |v: Option<f64>| v.map(|v| round(v).to_string()).unwrap_or_default();
    for (row, link) in rows.iter().zip(links) {
        let mut fields: Vec<String> = vec![
            csv_field(row.key.as_deref().unwrap_or_default()),
            csv_field(row.label.as_deref().unwrap_or_default()),
            row.start.map(|t| t.to_string()).unwrap_or_default(),
            row.end.map(|t| t.to_string()).unwrap_or_default(),
            row.streams().to_string(),
            row.good.to_string(),
            row.poor.to_string(),
            row.unclassified.to_string(),
            num(row.poor_rate()),
        ];
        fields.extend(row.poor_by_metric.iter().map(|n| n.to_string()));
        fields.extend(row.average.iter().map(|v| num(*v)));
        fields.extend(row.maximum.iter().map(|v| num(*v)));
        fields.extend(row.average_of_maxima.iter().map(|v| num(*v)));
        fields.push(csv_field(link));
        let _ = write!(out, "{}\r\n", fields.join(","));
    }
    out
}

/// Classifies the streams of this process's ingestion with the thresholds of a JSON file
/// (`serve --quality-thresholds`); without a file, CQD's defaults apply.
pub fn configure_thresholds(path: Option<&std::path::Path>) -> anyhow::Result<()> {
    let Some(path) = path else { return Ok(()) };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the quality thresholds {}", path.display()))?;
    let thresholds = callrec_model::quality::Thresholds::from_json(&text)
        .with_context(|| format!("in {}", path.display()))?;
    callrec_model::quality::configure(thresholds)?;
    tracing::info!(file = %path.display(), "quality thresholds configured");
    Ok(())
}

/// How often `serve` prepares the rollups of the days written since (see
/// [`callrec_store::QualityStore::prepare_reports`]).
pub const PREPARE_INTERVAL: std::time::Duration = std::time::Duration::from_secs(60);

/// Prepares the store's reports now, logging what it did; a failure is logged, never fatal.
pub async fn prepare_reports(store: &dyn callrec_store::Store) {
    let started = std::time::Instant::now();
    match store.prepare_reports().await {
        Ok(0) => {}
        Ok(n) => tracing::info!(
            days = n,
            seconds = started.elapsed().as_secs_f64(),
            "prepared quality reports"
        ),
        Err(e) => tracing::warn!(error = %e, "preparing quality reports failed"),
    }
}

/// Keeps the store's reports prepared while the server runs, so a report after a large import answers
/// as fast as the next one.
pub fn spawn_report_preparation(store: std::sync::Arc<dyn callrec_store::Store>) {
    tokio::spawn(async move {
        loop {
            prepare_reports(store.as_ref()).await;
            tokio::time::sleep(PREPARE_INTERVAL).await;
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(query: &str) -> Result<ReportRequest, String> {
        let pairs: Vec<(String, String)> = query
            .split('&')
            .filter(|p| !p.is_empty())
            .map(|p| {
                let (k, v) = p.split_once('=').unwrap_or((p, ""));
                (k.to_owned(), v.to_owned())
            })
            .collect();
        let now = edm::parse_date_time_offset("2025-02-10T15:30:00Z").unwrap();
        ReportRequest::parse(&pairs, false, now).map_err(|e| e.0)
    }

    fn t(s: &str) -> Ticks {
        instant("t", s).unwrap()
    }

    #[test]
    fn default_range_is_the_thirty_days_to_the_end_of_today() {
        let r = parse("").unwrap();
        assert_eq!(r.query.by, Grouping::Day);
        assert_eq!(r.query.to, t("2025-02-11"));
        assert_eq!(r.query.from, t("2025-01-12"));
        let r = parse("days=7&by=user&order=worst&top=5&mediaType=audio").unwrap();
        assert_eq!(r.query.from, t("2025-02-04"));
        assert_eq!(r.query.by, Grouping::Dimension(Dimension::User));
        assert_eq!(
            (r.order, r.top, r.query.media),
            (Order::Worst, Some(5), Some(MediaType::Audio))
        );
        let r = parse("from=2025-01-01&to=2025-01-02T12:00:00Z&platform=windows").unwrap();
        assert_eq!(
            (r.query.from, r.query.to),
            (t("2025-01-01"), t("2025-01-02T12:00:00Z"))
        );
        assert_eq!(
            r.query.only,
            Some(Only::Dimension(Dimension::Platform, Some("windows".into())))
        );
    }

    #[test]
    fn refuses_what_it_cannot_answer() {
        let check = |q: &str, expected: &str| assert_eq!(parse(q).unwrap_err(), expected, "{q}");
        check(
            "by=week",
            "by 'week' is not one of: day, hour, mediaType, building, subnet, connection, platform, clientVersion, user, device",
        );
        check("days=0", "days '0' is not a number of days from 1 to 366");
        check("from=2025-01-01&days=3", "give from or days, not both");
        check(
            "from=2025-01-02&to=2025-01-01",
            "from (2025-01-02T00:00:00Z) must be before to (2025-01-01T00:00:00Z)",
        );
        check(
            "user=a&subnet=b",
            "a report takes one of user, subnet, building, platform, clientVersion, connection and device",
        );
        check(
            "colour=red",
            "'colour' is not a parameter of quality reports; see docs/quality.md",
        );
        check(
            "from=yesterday",
            "from 'yesterday' is not a date (2025-01-31) or an instant (2025-01-31T08:00:00Z)",
        );
        check(
            "mediaType=smell",
            "mediaType 'smell' is not one of: audio, video, videoBasedScreenSharing, other",
        );
    }

    #[test]
    fn links_filter_poor_records_of_the_row() {
        let request = parse("by=user&from=2025-01-01&to=2025-01-08&mediaType=audio").unwrap();
        let row = ReportRow {
            key: Some("u'1".into()),
            ..ReportRow::default()
        };
        assert_eq!(
            records_filter(&request, &row),
            "quality/audio eq 'poor' and startDateTime lt 2025-01-08T00:00:00Z and endDateTime ge 2025-01-01T00:00:00Z and participants_v2/any(p:p/id eq 'u''1')"
        );
        let request = parse("by=day&from=2025-01-01&to=2025-01-08").unwrap();
        let row = ReportRow {
            start: Some(t("2025-01-03")),
            end: Some(t("2025-01-04")),
            ..ReportRow::default()
        };
        assert_eq!(
            records_filter(&request, &row),
            "quality eq 'poor' and startDateTime lt 2025-01-04T00:00:00Z and endDateTime ge 2025-01-03T00:00:00Z"
        );
        // Every link is a filter the list endpoint accepts.
        callrec_model::odata::record_filter::record_filter(&records_filter(&request, &row))
            .unwrap();
    }

    #[test]
    fn worst_first_leaves_out_small_rows() {
        let row = |key: &str, good, poor| ReportRow {
            key: Some(key.into()),
            good,
            poor,
            ..ReportRow::default()
        };
        let rows = vec![
            row("a", 9, 1),
            row("b", 1, 1),
            row("c", 0, 1),
            row("d", 5, 5),
        ];
        let request = parse("order=worst&minStreams=2").unwrap();
        let keys: Vec<_> = arrange(rows, &request)
            .into_iter()
            .map(|r| r.key.unwrap())
            .collect();
        assert_eq!(keys, ["d", "b", "a"]);
    }
}
