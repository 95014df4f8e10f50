//! Call quality reports over HTTP (`/callrec/reports/quality`) and the subnet-to-building map they use
//! (`/callrec/buildings`).
//!
//! A report counts the good, poor and unclassified streams of a time range (CQD's stream classification,
//! computed at ingestion) by day, hour, media type, building or a property of the receiving endpoint, with
//! the poor stream rate (poor / (poor + good)), the reasons streams were poor, and the averages and maximums
//! of the metrics. Each row links to a listing of the records behind it, through the `quality` `$filter`.
//! JSON by default; `Accept: text/csv` (or `format=csv`) gives the same rows as CSV for a spreadsheet.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use callrec_model::edm::Ticks;
use callrec_model::quality::{self, MAXIMA, MediaType, Metric, buildings};
use callrec_store::quality::{Only, ReportRow};
use serde_json::{Map, Value, json};

use super::error::ApiError;
use super::wire::BaseUrl;
use super::{ApiVersion, AppState};
use crate::auth::Caller;
use crate::reports::{
    ReportError, ReportRequest, arrange, grouping_name, records_filter, round, rows_csv,
};

impl From<ReportError> for ApiError {
    fn from(e: ReportError) -> Self {
        ApiError::bad_request(e.0)
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

fn records_link(base: &str, request: &ReportRequest, row: &ReportRow) -> String {
    let filter = records_filter(request, row);
    let encoded =
        percent_encoding::utf8_percent_encode(&filter, percent_encoding::NON_ALPHANUMERIC);
    format!("{base}/communications/callRecords?$filter={encoded}")
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
    // The totals are the range's, whatever rows `top` and `minStreams` leave out.
    let (good, poor, unclassified) = rows.iter().fold((0, 0, 0), |(g, p, u), r| {
        (g + r.good, p + r.poor, u + r.unclassified)
    });
    let rows = arrange(rows, &request);
    let base = BaseUrl::from_headers(&headers, ApiVersion::V1).root();
    let links: Vec<String> = rows
        .iter()
        .map(|r| records_link(&base, &request, r))
        .collect();
    if request.csv {
        return Ok(csv_response(rows_csv(&rows, &links)));
    }
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
