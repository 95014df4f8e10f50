//! Graph's error body, written in one place for every error the API returns.
//!
//! Handlers return [`ApiError`]; its response carries only the status and an [`ErrorInfo`] extension.
//! The [`super::envelope`] middleware then writes the body
//! (`{"error":{"code","message","innerError":{"date","request-id","client-request-id"}}}`), because only
//! it knows the request's ids. Responses that reach the middleware as bare 4xx/5xx (axum's own 404 and 405)
//! get the same body, so no error leaves the server in any other shape.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// An error as a client sees it: a status, a stable code and a message that says what was wrong.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

/// The code and message of an error response, carried from the handler to the envelope middleware.
#[derive(Debug, Clone)]
pub struct ErrorInfo {
    pub code: &'static str,
    pub message: String,
    /// Members added to `innerError` beside the ids and date (Graph's 429 carries `code` and `status`).
    pub inner: Vec<(&'static str, String)>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
        }
    }

    /// A malformed or unsupported query option, path or header.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, codes::BAD_REQUEST, message)
    }

    /// A request body that is not a valid record.
    pub fn invalid_body(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, codes::INVALID_REQUEST, message)
    }

    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, codes::ITEM_NOT_FOUND, message)
    }

    /// An internal failure. The detail goes to the log, never to the client.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "internal error");
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            codes::GENERAL_EXCEPTION,
            "An internal error occurred; the request was not completed.",
        )
    }
}

impl From<callrec_store::StoreError> for ApiError {
    fn from(e: callrec_store::StoreError) -> Self {
        ApiError::internal(e)
    }
}

impl From<callrec_model::odata::QueryError> for ApiError {
    fn from(e: callrec_model::odata::QueryError) -> Self {
        ApiError::bad_request(e.to_string())
    }
}

impl ApiError {
    /// The response, with more members in `innerError`.
    pub fn into_response_with_inner(self, inner: Vec<(&'static str, String)>) -> Response {
        let mut response = self.status.into_response();
        response.extensions_mut().insert(ErrorInfo {
            code: self.code,
            message: self.message,
            inner,
        });
        response
    }

    /// Graph's answer to a throttled request: `TooManyRequests` with `Retry-After` in whole seconds.
    pub fn too_many_requests(retry_after_secs: u64) -> Response {
        let mut response = Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            codes::TOO_MANY_REQUESTS,
            "Please retry again later.",
        )
        .into_response_with_inner(vec![
            ("code", "429".to_owned()),
            ("message", "Please retry after".to_owned()),
            ("status", "429".to_owned()),
        ]);
        response.headers_mut().insert(
            axum::http::header::RETRY_AFTER,
            axum::http::HeaderValue::from(retry_after_secs.max(1)),
        );
        response
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        self.into_response_with_inner(Vec::new())
    }
}

/// The `error.code` values callrec writes, one per kind of error (docs/errors.md lists them).
pub mod codes {
    pub const BAD_REQUEST: &str = "BadRequest";
    pub const INVALID_REQUEST: &str = "invalidRequest";
    pub const ITEM_NOT_FOUND: &str = "itemNotFound";
    pub const METHOD_NOT_ALLOWED: &str = "MethodNotAllowed";
    pub const UNSUPPORTED_MEDIA_TYPE: &str = "UnsupportedMediaType";
    pub const PAYLOAD_TOO_LARGE: &str = "RequestEntityTooLarge";
    pub const NOT_ACCEPTABLE: &str = "NotAcceptable";
    pub const CONFLICT: &str = "Conflict";
    pub const GENERAL_EXCEPTION: &str = "generalException";
    pub const SERVICE_NOT_AVAILABLE: &str = "serviceNotAvailable";
    pub const INVALID_AUTHENTICATION_TOKEN: &str = "InvalidAuthenticationToken";
    pub const ACCESS_DENIED: &str = "accessDenied";
    pub const TOO_MANY_REQUESTS: &str = "TooManyRequests";
    pub const BAD_GATEWAY: &str = "BadGateway";
    pub const GATEWAY_TIMEOUT: &str = "GatewayTimeout";
    /// A request of a batch not run because a request it depends on failed (424).
    pub const FAILED_DEPENDENCY: &str = "FailedDependency";
    /// A subscription request Graph refuses (capitalised as Graph writes it for subscriptions).
    pub const SUBSCRIPTION_INVALID_REQUEST: &str = "InvalidRequest";
    /// A subscription outside Graph's limits (expiration too far ahead, too many subscriptions).
    pub const EXTENSION_ERROR: &str = "ExtensionError";
    /// A notification endpoint that failed the validation handshake.
    pub const VALIDATION_ERROR: &str = "ValidationError";
}

/// The code and a generic message for a bare error status that no handler described.
pub fn describe_status(status: StatusCode) -> ErrorInfo {
    let (code, message) = match status {
        StatusCode::NOT_FOUND => (
            codes::ITEM_NOT_FOUND,
            "The requested resource does not exist.",
        ),
        StatusCode::METHOD_NOT_ALLOWED => (
            codes::METHOD_NOT_ALLOWED,
            "The HTTP method is not allowed on this resource.",
        ),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => (
            codes::UNSUPPORTED_MEDIA_TYPE,
            "The request body's Content-Type is not supported here.",
        ),
        StatusCode::PAYLOAD_TOO_LARGE => {
            (codes::PAYLOAD_TOO_LARGE, "The request body is too large.")
        }
        StatusCode::SERVICE_UNAVAILABLE => (
            codes::SERVICE_NOT_AVAILABLE,
            "The service is not available; try again later.",
        ),
        s if s.is_client_error() => (codes::BAD_REQUEST, "The request is not valid."),
        _ => (
            codes::GENERAL_EXCEPTION,
            "An internal error occurred; the request was not completed.",
        ),
    };
    ErrorInfo {
        code,
        message: message.to_owned(),
        inner: Vec::new(),
    }
}
