//! What every response carries, whatever produced it: `request-id`, `client-request-id` (echoed),
//! `Date`, and, for errors, Graph's error body.
//!
//! Graph clients log `request-id` and the SDKs read the error body to build their exceptions, so these
//! are part of the wire contract, not decoration.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

use super::error::{ErrorInfo, describe_status};

pub async fn envelope(request: Request, next: Next) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    let client_request_id = request
        .headers()
        .get("client-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut response = next.run(request).await;
    let date = httpdate::fmt_http_date(std::time::SystemTime::now());
    let status = response.status();
    if status.is_client_error() || status.is_server_error() {
        let info = response
            .extensions_mut()
            .remove::<ErrorInfo>()
            .unwrap_or_else(|| describe_status(status));
        if status.is_server_error() {
            tracing::warn!(%status, code = info.code, "request failed");
        }
        let body = error_body(&info, &request_id, client_request_id.as_deref(), &date);
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        headers.remove(header::CONTENT_LENGTH);
        *response.body_mut() = Body::from(body);
    }
    let headers = response.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        headers.insert("request-id", v);
    }
    if let Some(v) = client_request_id.and_then(|c| HeaderValue::from_str(&c).ok()) {
        headers.insert("client-request-id", v);
    }
    if let Ok(v) = HeaderValue::from_str(&date) {
        headers.insert(header::DATE, v);
    }
    response
}

fn error_body(
    info: &ErrorInfo,
    request_id: &str,
    client_request_id: Option<&str>,
    date: &str,
) -> Vec<u8> {
    let body = error_json(info, request_id, client_request_id, date);
    serde_json::to_vec(&body).expect("a JSON value always serializes")
}

/// Graph's error body as a JSON value (a batch carries its items' errors inline).
pub(super) fn error_json(
    info: &ErrorInfo,
    request_id: &str,
    client_request_id: Option<&str>,
    date: &str,
) -> serde_json::Value {
    let iso_date = time::OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| date.to_owned());
    let mut body = serde_json::json!({
        "error": {
            "code": info.code,
            "message": info.message,
            "innerError": {
                "date": iso_date,
                "request-id": request_id,
                "client-request-id": client_request_id.unwrap_or(request_id),
            }
        }
    });
    if let Some(inner) = body["error"]["innerError"].as_object_mut() {
        for (name, value) in &info.inner {
            inner.insert((*name).to_owned(), serde_json::Value::from(value.as_str()));
        }
    }
    body
}
