//! The methods a log function's URL answers: `GET` (and `HEAD`) only.
//!
//! A function call arrives on the record route (`/communications/callRecords/{id}`), whose method router
//! also takes `PUT` and `DELETE`; a 405 for a function (an `OPTIONS`, a `PUT`, a `POST`) says in `Allow`
//! what the function takes, not what a record takes.

use axum::extract::Request;
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// The middleware: see the module documentation.
pub async fn allow_get_only(request: Request, next: Next) -> Response {
    let segment = request.uri().path().rsplit('/').next().unwrap_or_default();
    let decoded = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
    let function = super::logs::is_function_call(&decoded);
    let mut response = next.run(request).await;
    if function && response.status() == StatusCode::METHOD_NOT_ALLOWED {
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET,HEAD"));
    }
    response
}
