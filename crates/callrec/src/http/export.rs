//! `GET /callrec/export/{table}?from=&to=&format=`: one table of the caller's tenant over a date range,
//! streamed as Parquet, CSV or NDJSON, the same rows `callrec export` writes to files. Its permission is
//! that of reading what the table holds (the records, or the log rows).

use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use std::pin::Pin;
use std::task::{Context, Poll};

use axum::body::Bytes;

use super::AppState;
use super::error::ApiError;
use crate::auth::Caller;
use crate::export::stream::{Chunks, content_type, file_name, stream_table};
use crate::export::tables::Table;
use crate::export::{self, ExportError, ExportRequest, Format};

impl From<ExportError> for ApiError {
    fn from(e: ExportError) -> Self {
        match e {
            ExportError::Store(e) => e.into(),
            ExportError::Invalid(m) => ApiError::bad_request(m),
            e => ApiError::internal(e),
        }
    }
}

/// The query of an export, checked name by name.
fn request(
    tenant: String,
    table: &str,
    pairs: &[(String, String)],
) -> Result<ExportRequest, ApiError> {
    let table = Table::parse(table).ok_or_else(|| {
        let names: Vec<&str> = Table::ALL.iter().map(|t| t.name()).collect();
        ApiError::bad_request(format!(
            "'{table}' is not an export table; known: {}",
            names.join(", ")
        ))
    })?;
    let (mut from, mut to, mut format, mut personal_data) = (None, None, Format::Csv, true);
    for (name, value) in pairs {
        match name.as_str() {
            "from" => from = Some(export::parse_instant(value).map_err(ApiError::bad_request)?),
            "to" => to = Some(export::parse_instant(value).map_err(ApiError::bad_request)?),
            "format" => {
                format = Format::parse(value).ok_or_else(|| {
                    ApiError::bad_request(format!(
                        "format '{value}' is not known; use parquet, csv or ndjson"
                    ))
                })?
            }
            "personalData" => {
                personal_data = match value.as_str() {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(ApiError::bad_request(format!(
                            "personalData is true or false, not '{value}'"
                        )));
                    }
                }
            }
            _ => {
                return Err(ApiError::bad_request(format!(
                    "'{name}' is not a parameter of an export; known: from, to, format, personalData"
                )));
            }
        }
    }
    let missing = |name: &str| {
        ApiError::bad_request(format!(
            "an export needs {name}= (a date such as 2025-01-31, or an instant such as \
             2025-01-31T08:00:00Z)"
        ))
    };
    Ok(ExportRequest {
        tenant,
        from: from.ok_or_else(|| missing("from"))?,
        to: to.ok_or_else(|| missing("to"))?,
        tables: vec![table],
        format,
        personal_data,
        since_last: false,
    })
}

/// `GET /callrec/export/{table}`.
pub async fn export_table(
    State(state): State<AppState>,
    caller: Caller,
    Path(table): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, ApiError> {
    let request = request(caller.tenant, &table, &pairs)?;
    let name = file_name(&request);
    let format = request.format;
    let chunks = stream_table(state.store.clone(), request)?;
    let body = Body::from_stream(ChunkStream(chunks));
    let mut response = body.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(content_type(format)),
    );
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

/// The export's chunks as the stream a response body is made of.
struct ChunkStream(Chunks);

impl futures_core::Stream for ChunkStream {
    type Item = Result<Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0.poll_recv(cx).map(|c| c.map(|c| c.map(Bytes::from)))
    }
}
