//! What a request body may be before any handler reads it, the same on every endpoint: its size within
//! the endpoint's limit, its `Content-Encoding` one callrec decodes, and, for the writes that parse a body
//! whole, a share of a memory budget.
//!
//! A declared `Content-Length` over the limit is answered 413 at once, before a byte of the body is read;
//! a body without one is cut off at the limit as it streams (413 too).
//! `gzip` (or `x-gzip`) is decoded here, with the same limit on the decoded size, so that a handler reads
//! JSON whether it was compressed or not; a body labelled gzip that is not gzip is a 400 that says so, and
//! any other coding (`deflate`, `br`, `gzip, gzip`...) a 415 that names what is accepted.
//! `/callrec/import` streams its body into the ingestion pipeline instead and decodes gzip there
//! ([`crate::ingest`]), so its body is only checked here, never held.
//! A small body (at most [`READ_AHEAD`] bytes declared) is read whole before any layer may refuse its
//! request ([`read_ahead`]): a refusal that left the body unread would make the server close the
//! connection, and a client's next request on it would find it gone.
//! A parsed record takes several times its text in memory: writes wait for room in a budget of
//! [`BUDGET_RECORDS`] of the largest records before their body is read, so that many large writes at once queue
//! instead of exhausting memory.

use std::io::Read;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::sync::Semaphore;

use super::error::{ApiError, codes};

/// The largest record accepted by `POST` and `PUT` of one record, and by any other body except the bulk
/// ones. A meeting of 300 sessions with their media streams is about 3 MB of JSON; 8 MiB leaves room for
/// larger ones.
pub const RECORD_LIMIT: usize = 8 * 1024 * 1024;

/// The paths whose bodies are bulk input, with the larger limit.
const BULK_PATHS: [&str; 2] = ["/callrec/import", "/callrec/buildings"];
/// The path whose body streams into ingestion undecoded.
const STREAMED_PATH: &str = "/callrec/import";

/// The limits of the request bodies one server accepts.
#[derive(Debug)]
pub struct BodyLimits {
    /// Largest body of one record, log row, subscription or setting.
    pub record: usize,
    /// Largest body of a bulk import or a building file (before and after decoding).
    pub bulk: usize,
    /// Room for the record-sized bodies parsed at once, in KiB.
    budget: Semaphore,
}

/// How many of the largest records may be parsed at once: a few hundred MB at worst, whatever arrives.
const BUDGET_RECORDS: usize = 4;

/// The budget is counted in KiB, so that a semaphore's permits hold it.
const UNIT: usize = 1024;

impl BodyLimits {
    pub fn new(record: usize, bulk: usize) -> Arc<Self> {
        Arc::new(BodyLimits {
            record,
            bulk,
            budget: Semaphore::new(record.saturating_mul(BUDGET_RECORDS).div_ceil(UNIT)),
        })
    }
}

/// Bodies of at most this many declared bytes are read before authorization and routing.
pub const READ_AHEAD: u64 = 64 * 1024;

/// The outer middleware: reads a small declared body whole, so that whatever answers the request, the
/// body has been taken off the connection and the connection stays open for the client's next request.
pub async fn read_ahead(request: Request, next: Next) -> Response {
    let small = matches!(declared_length(&request), Ok(Some(n)) if n > 0 && n <= READ_AHEAD);
    if !small || request.uri().path() == STREAMED_PATH {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, READ_AHEAD as usize).await {
        Ok(bytes) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        Err(error) => ApiError::invalid_body(format!("The request body cannot be read: {error}"))
            .into_response(),
    }
}

/// The middleware: see the module documentation.
pub async fn admit(
    State(limits): State<Arc<BodyLimits>>,
    request: Request,
    next: Next,
) -> Response {
    match checked(&limits, request).await {
        Ok((request, permit)) => {
            let response = next.run(request).await;
            drop(permit);
            response
        }
        Err(refusal) => refusal.into_response(),
    }
}

async fn checked(
    limits: &BodyLimits,
    request: Request,
) -> Result<(Request, Option<tokio::sync::SemaphorePermit<'_>>), ApiError> {
    let path = request.uri().path();
    let bulk = BULK_PATHS.contains(&path);
    let streamed = path == STREAMED_PATH;
    let limit = if bulk { limits.bulk } else { limits.record };
    let declared = declared_length(&request)?;
    if let Some(length) = declared
        && length > limit as u64
    {
        return Err(too_large(format!(
            "The request body declares {length} bytes (Content-Length); at most {limit} are accepted here."
        )));
    }
    let gzip = content_coding(&request)?;
    if declared == Some(0) || request.method() == axum::http::Method::GET {
        return Ok((request, None));
    }
    let permit = if bulk {
        None
    } else {
        let bytes = declared.map_or(limit, |n| n as usize).min(limit);
        let units = bytes.div_ceil(UNIT).max(1) as u32;
        Some(
            limits
                .budget
                .acquire_many(units)
                .await
                .map_err(ApiError::internal)?,
        )
    };
    let (mut parts, body) = request.into_parts();
    let limited = Body::new(http_body_util::Limited::new(body, limit));
    let body = if gzip && !streamed {
        let compressed = axum::body::to_bytes(limited, usize::MAX)
            .await
            .map_err(|e| unreadable(&e, limit))?;
        let decoded = tokio::task::spawn_blocking(move || gunzip(&compressed, limit))
            .await
            .map_err(ApiError::internal)??;
        parts.headers.remove(header::CONTENT_ENCODING);
        parts
            .headers
            .insert(header::CONTENT_LENGTH, HeaderValue::from(decoded.len()));
        Body::from(decoded)
    } else {
        limited
    };
    Ok((Request::from_parts(parts, body), permit))
}

/// The declared length, refusing a `Content-Length` that is not one number.
fn declared_length(request: &Request) -> Result<Option<u64>, ApiError> {
    let mut values = request.headers().get_all(header::CONTENT_LENGTH).iter();
    let Some(first) = values.next() else {
        return Ok(None);
    };
    let parsed = first
        .to_str()
        .ok()
        .and_then(|s| s.trim().parse::<u64>().ok());
    match parsed {
        Some(n) if values.all(|v| v == first) => Ok(Some(n)),
        _ => Err(ApiError::bad_request(
            "The Content-Length header must be one whole number of bytes.",
        )),
    }
}

/// Whether the body is gzip (`true`) or not encoded (`false`); any other coding is refused.
fn content_coding(request: &Request) -> Result<bool, ApiError> {
    let mut codings = Vec::new();
    for value in request.headers().get_all(header::CONTENT_ENCODING) {
        let text = value.to_str().map_err(|_| unsupported("(not text)"))?;
        codings.extend(
            text.split(',')
                .map(|c| c.trim().to_ascii_lowercase())
                .filter(|c| !c.is_empty() && c != "identity"),
        );
    }
    match codings.as_slice() {
        [] => Ok(false),
        [one] if one == "gzip" || one == "x-gzip" => Ok(true),
        _ => Err(unsupported(&codings.join(", "))),
    }
}

fn unsupported(coding: &str) -> ApiError {
    ApiError::new(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        codes::UNSUPPORTED_MEDIA_TYPE,
        format!(
            "Content-Encoding '{coding}' is not supported; send the body uncompressed or compressed once with gzip (Content-Encoding: gzip)."
        ),
    )
}

fn too_large(message: String) -> ApiError {
    ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        codes::PAYLOAD_TOO_LARGE,
        message,
    )
}

fn unreadable(error: &axum::Error, limit: usize) -> ApiError {
    let mut source: Option<&dyn std::error::Error> = Some(error);
    while let Some(e) = source {
        if e.is::<http_body_util::LengthLimitError>() {
            return too_large(format!(
                "The request body is larger than the {limit} bytes accepted here."
            ));
        }
        source = e.source();
    }
    ApiError::invalid_body(format!("The request body cannot be read: {error}"))
}

/// Decodes a gzip body, refusing one that is not gzip or decodes to more than `limit` bytes.
fn gunzip(compressed: &[u8], limit: usize) -> Result<Vec<u8>, ApiError> {
    if !compressed.starts_with(&[0x1f, 0x8b]) {
        return Err(ApiError::invalid_body(
            "The request body is labelled Content-Encoding: gzip but is not gzip data; send it compressed or drop the header.",
        ));
    }
    let mut decoded = Vec::new();
    flate2::read::MultiGzDecoder::new(compressed)
        .take(limit as u64 + 1)
        .read_to_end(&mut decoded)
        .map_err(|e| {
            ApiError::invalid_body(format!("The gzip request body cannot be decoded: {e}"))
        })?;
    if decoded.len() > limit {
        return Err(too_large(format!(
            "The request body decodes to more than the {limit} bytes accepted here."
        )));
    }
    Ok(decoded)
}
