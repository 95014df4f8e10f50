//! Call quality reports over HTTP (`/callrec/reports/quality`) and the subnet-to-building map they use
//! (`/callrec/buildings`).
//!
//! A report counts the good, poor and unclassified streams of a time range (CQD's stream classification,
//! computed at ingestion) by day, hour, media type, building or a property of the receiving endpoint, with
//! the poor stream rate (poor / (poor + good)), the reasons streams were poor, and the averages and maximums
//! of the metrics. Each row links to a listing of the records behind it, through the `quality` `$filter`.
//! JSON by default; `Accept: text/csv` (or `format=csv`) gives the same rows as CSV for a spreadsheet.

use std::fmt::Write as _;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use callrec_model::edm::{self, Ticks};
use callrec_model::quality::{self, MAXIMA, MediaType, Metric, buildings};
use callrec_store::quality::{Dimension, Grouping, Only, ReportQuery, ReportRow};
use serde_json::{Map, Value, json};

use super::error::ApiError;
use super::wire::BaseUrl;
use super::{ApiVersion, AppState};
use crate::auth::Caller;

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

fn grouping_name(g: Grouping) -> &'static str {
    match g {
        Grouping::Day => "day",
        Grouping::Hour => "hour",
        Grouping::MediaType => "mediaType",
        Grouping::Building => "building",
        Grouping::Dimension(d) => d.name(),
    }
}

/// An instant (`2025-01-01T00:00:00Z`) or a date (`2025-01-01`, midnight UTC).
fn instant(name: &str, value: &str) -> Result<Ticks, ApiError> {
    edm::parse_date_time_offset(value)
        .or_else(|_| edm::parse_date(value))
        .map_err(|_| {
            ApiError::bad_request(format!(
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
    ) -> Result<Self, ApiError> {
        let mut by = Grouping::Day;
        let (mut from, mut to, mut days) = (None, None, None);
        let mut media = None;
        let mut only: Option<Only> = None;
        let mut order = Order::Key;
        let mut top = None;
        let mut min_streams = 0;
        let mut csv = accept_csv;
        let mut set_only = |o: Only| -> Result<(), ApiError> {
            if only.replace(o).is_some() {
                return Err(ApiError::bad_request(
                    "a report takes one of user, subnet, building, platform, clientVersion, connection and device",
                ));
            }
            Ok(())
        };
        for (name, value) in pairs {
            match name.as_str() {
                "by" => {
                    by = grouping(value).ok_or_else(|| {
                        ApiError::bad_request(format!(
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
                                ApiError::bad_request(format!(
                                    "days '{value}' is not a number of days from 1 to {MAX_DAYS}"
                                ))
                            })?,
                    )
                }
                "mediaType" => {
                    media = Some(MediaType::parse(value).ok_or_else(|| {
                        ApiError::bad_request(format!(
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
                            return Err(ApiError::bad_request(format!(
                                "order '{value}' is not one of: key, worst, poor"
                            )));
                        }
                    }
                }
                "top" => {
                    top = Some(value.parse::<usize>().ok().filter(|n| *n > 0).ok_or_else(|| {
                        ApiError::bad_request(format!("top '{value}' is not a positive number"))
                    })?)
                }
                "minStreams" => {
                    min_streams = value.parse::<u64>().map_err(|_| {
                        ApiError::bad_request(format!("minStreams '{value}' is not a number"))
                    })?
                }
                "format" => {
                    csv = match value.as_str() {
                        "csv" => true,
                        "json" => false,
                        _ => {
                            return Err(ApiError::bad_request(format!(
                                "format '{value}' is not one of: json, csv"
                            )));
                        }
                    }
                }
                other => match Dimension::parse(other) {
                    Some(d) if d.name() == other => set_only(Only::Dimension(d, Some(value.clone())))?,
                    _ => {
                        return Err(ApiError::bad_request(format!(
                            "'{other}' is not a parameter of quality reports; see docs/quality.md"
                        )));
                    }
                },
            }
        }
        let end_of_today = Ticks(now.0 - now.0.rem_euclid(DAY) + DAY);
        let (from, to) = match (from, to, days) {
            (Some(_), _, Some(_)) => {
                return Err(ApiError::bad_request("give from or days, not both"));
            }
            (Some(f), t, None) => (f, t.unwrap_or(end_of_today)),
            (None, t, d) => {
                let to = t.unwrap_or(end_of_today);
                (Ticks(to.0 - d.unwrap_or(DEFAULT_DAYS) * DAY), to)
            }
        };
        if from >= to {
            return Err(ApiError::bad_request(format!(
                "from ({from}) must be before to ({to})"
            )));
        }
        if to.0 - from.0 > MAX_DAYS * DAY {
            return Err(ApiError::bad_request(format!(
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

fn wants_csv(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| {
            a.split(',').any(|m| {
                m.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .eq_ignore_ascii_case("text/csv")
            })
        })
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

fn records_link(base: &str, request: &ReportRequest, row: &ReportRow) -> String {
    let filter = records_filter(request, row);
    let encoded =
        percent_encoding::utf8_percent_encode(&filter, percent_encoding::NON_ALPHANUMERIC);
    format!("{base}/communications/callRecords?$filter={encoded}")
}

fn round(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

fn metric_map(values: impl Iterator<Item = (&'static str, Option<f64>)>) -> Value {
    let mut m = Map::new();
    for (name, v) in values {
        if let Some(v) = v {
            m.insert(name.to_owned(), json!(round(v)));
        }
    }
    Value::Object(m)
}

fn row_json(row: &ReportRow, link: String) -> Value {
    let metrics = |values: &[Option<f64>; 8]| {
        metric_map(
            Metric::ALL
                .iter()
                .map(|m| (m.property(), values[m.index()])),
        )
    };
    let mut reasons = Map::new();
    for m in Metric::ALL {
        let n = row.poor_by_metric[m.index()];
        if n > 0 {
            reasons.insert(m.property().to_owned(), json!(n));
        }
    }
    json!({
        "key": row.key,
        "label": row.label,
        "start": row.start.map(|t| t.to_string()),
        "end": row.end.map(|t| t.to_string()),
        "streams": row.streams(),
        "good": row.good,
        "poor": row.poor,
        "unclassified": row.unclassified,
        "poorRate": row.poor_rate().map(round),
        "poorReasons": reasons,
        "averages": metrics(&row.average),
        "maximums": metrics(&row.maximum),
        "averageOfStreamMaximums": metric_map(MAXIMA.iter().copied().zip(row.average_of_maxima)),
        "records": link,
    })
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

fn csv_response(body: String) -> Response {
    let mut response = body.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/csv; charset=utf-8"),
    );
    response
}

fn json_response(body: Value) -> Response {
    let mut response = serde_json::to_vec(&body)
        .expect("a JSON value always serializes")
        .into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

/// `GET /callrec/reports/quality`.
pub async fn quality_report(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let request = ReportRequest::parse(&pairs, wants_csv(&headers), Ticks::now())?;
    let rows = state
        .store
        .quality_report(&caller.tenant, &request.query)
        .await?;
    let rows = arrange(rows, &request);
    let base = BaseUrl::from_headers(&headers, ApiVersion::V1).root();
    let links: Vec<String> = rows
        .iter()
        .map(|r| records_link(&base, &request, r))
        .collect();
    if request.csv {
        return Ok(csv_response(rows_csv(&rows, &links)));
    }
    let (good, poor, unclassified) = rows.iter().fold((0, 0, 0), |(g, p, u), r| {
        (g + r.good, p + r.poor, u + r.unclassified)
    });
    let q = &request.query;
    let only = match &q.only {
        None => Value::Null,
        Some(Only::Building(b)) => json!({"building": b}),
        Some(Only::Dimension(d, v)) => json!({d.name(): v}),
    };
    Ok(json_response(json!({
        "by": grouping_name(q.by),
        "from": q.from.to_string(),
        "to": q.to.to_string(),
        "mediaType": q.media.map(MediaType::as_str),
        "only": only,
        "totals": {
            "streams": good + poor + unclassified,
            "good": good,
            "poor": poor,
            "unclassified": unclassified,
            "poorRate": (good + poor > 0).then(|| round(poor as f64 / (good + poor) as f64)),
        },
        "rows": rows.iter().zip(links).map(|(r, l)| row_json(r, l)).collect::<Vec<_>>(),
    })))
}

/// `GET /callrec/reports/quality/thresholds`: the limits streams are classified with.
pub async fn thresholds() -> Response {
    json_response(serde_json::to_value(quality::thresholds()).expect("thresholds serialize"))
}

/// `PUT /callrec/buildings`: replaces the tenant's subnet-to-building map with a CQD building file.
pub async fn put_buildings(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Response, ApiError> {
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::invalid_body("the building file is not UTF-8 text"))?;
    let parsed =
        buildings::parse_buildings(text).map_err(|e| ApiError::invalid_body(e.to_string()))?;
    let count = parsed.len();
    state.store.put_buildings(&caller.tenant, parsed).await?;
    Ok((StatusCode::OK, json_response(json!({"buildings": count}))).into_response())
}

/// `GET /callrec/buildings`: the map as uploaded, as CSV (with a header row) or JSON.
pub async fn get_buildings(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let stored = state.store.buildings(&caller.tenant).await?;
    if wants_csv(&headers) {
        return Ok(csv_response(buildings::buildings_csv(&stored)));
    }
    let value: Vec<Value> = stored
        .iter()
        .map(|b| {
            let mut m = Map::new();
            for column in buildings::CQD_COLUMNS
                .iter()
                .map(|c| (*c).to_owned())
                .chain(b.attributes.iter().map(|(k, _)| k.clone()))
            {
                if let Some(v) = b.column(&column) {
                    m.entry(column).or_insert(Value::String(v));
                }
            }
            Value::Object(m)
        })
        .collect();
    Ok(json_response(json!({ "value": value })))
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
        ReportRequest::parse(&pairs, false, now).map_err(|e| e.message)
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
