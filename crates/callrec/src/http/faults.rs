//! Fault injection at the edge: the middleware that delays and fails Graph API requests as the
//! [`Faults`] settings say, and `/callrec/faults`, which reads, replaces and clears them at run time.

use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::auth::refuse_unread;
use super::error::{ApiError, codes};
use crate::faults::{FaultSettings, Faults};

/// The middleware: delays and fails Graph API requests as the settings say.
pub async fn inject(State(faults): State<Arc<Faults>>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if !(path.starts_with("/v1.0/") || path.starts_with("/beta/")) {
        return next.run(request).await;
    }
    let (delay, error, retry_after) = faults.draw();
    if !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let Some(status) = error else {
        return next.run(request).await;
    };
    let mut response = match status {
        429 => ApiError::too_many_requests(retry_after),
        other => {
            let (status, code, message) = match other {
                502 => (
                    StatusCode::BAD_GATEWAY,
                    codes::BAD_GATEWAY,
                    "The service could not reach a backend; try again later.",
                ),
                503 => (
                    StatusCode::SERVICE_UNAVAILABLE,
                    codes::SERVICE_NOT_AVAILABLE,
                    "The service is not available; try again later.",
                ),
                504 => (
                    StatusCode::GATEWAY_TIMEOUT,
                    codes::GATEWAY_TIMEOUT,
                    "The request timed out; try again later.",
                ),
                _ => (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    codes::GENERAL_EXCEPTION,
                    "An internal error occurred; the request was not completed.",
                ),
            };
            let mut response = ApiError::new(status, code, message).into_response();
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after.max(1)));
            response
        }
    };
    response
        .headers_mut()
        .insert("callrec-fault", HeaderValue::from_static("injected"));
    refuse_unread(request.headers(), response)
}

/// `GET /callrec/faults`: the settings in force.
pub async fn get_settings(State(faults): State<Arc<Faults>>) -> Json<FaultSettings> {
    Json(faults.settings())
}

/// `PUT /callrec/faults`: replaces the settings; fields left out take their defaults, so `{}` clears them.
pub async fn put_settings(
    State(faults): State<Arc<Faults>>,
    body: Bytes,
) -> Result<Json<FaultSettings>, ApiError> {
    let settings = FaultSettings::from_json(&body)
        .map_err(|e| ApiError::invalid_body(format!("The fault settings cannot be read: {e}")))?;
    settings.validate().map_err(ApiError::invalid_body)?;
    tracing::warn!("fault injection settings changed: {settings}");
    faults.set(settings.clone());
    Ok(Json(settings))
}

/// `DELETE /callrec/faults`: every fault off.
pub async fn clear_settings(State(faults): State<Arc<Faults>>) -> StatusCode {
    faults.set(FaultSettings::default());
    StatusCode::NO_CONTENT
}
