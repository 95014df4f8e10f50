//! The validation handshake Graph runs before a subscription exists (spec/API.md section 10):
//! `POST {url}?validationToken={token}` with `Content-Type: text/plain; charset=utf-8` and an empty body;
//! the endpoint must answer `200 OK`, `Content-Type: text/plain`, and the URL-decoded token as the body,
//! within 10 seconds. Each way to fail has Graph's own error code and message, so a client sees here
//! what it would see from Graph.

use std::time::Duration;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// What a query-string value must have escaped: everything but the unreserved characters.
const QUERY_VALUE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Why an endpoint failed validation. The `Display` text is Graph's message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValidationFailure {
    /// No answer within the time allowed.
    #[error("Subscription validation request timed out.")]
    TimedOut,
    /// An answer other than 200.
    #[error(
        "Subscription validation request failed. HTTP status code is '{status}'. Notification endpoint must respond with 200 OK to validation request."
    )]
    Status { status: String },
    /// The endpoint could not be reached at all.
    #[error(
        "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request."
    )]
    Unreachable,
    /// 200, but not `text/plain`.
    #[error(
        "Subscription validation request failed. Response must have Content-Type text/plain; found '{found}'."
    )]
    ContentType { found: String },
    /// 200 and `text/plain`, but not the token.
    #[error(
        "Subscription validation request failed. Response must exactly match validationToken query parameter."
    )]
    Body,
}

impl ValidationFailure {
    /// Graph's `error.code` for this failure: a timeout is an `InvalidRequest`, the rest `ValidationError`.
    pub fn code(&self) -> &'static str {
        match self {
            ValidationFailure::TimedOut => "InvalidRequest",
            _ => "ValidationError",
        }
    }
}

/// A fresh token, worded as Graph's are.
pub fn new_token() -> String {
    format!(
        "Validation: Testing client application reachability for subscription Request-Id: {}",
        uuid::Uuid::new_v4()
    )
}

/// `url` with `validationToken={token}` added to its query, the token URL-encoded.
pub fn validation_url(url: &str, token: &str) -> String {
    let encoded = utf8_percent_encode(token, QUERY_VALUE);
    // A fragment is never sent to a server; the token goes into the query before it.
    let base = url.split('#').next().unwrap_or(url);
    let separator = if base.contains('?') {
        if base.ends_with('?') || base.ends_with('&') {
            ""
        } else {
            "&"
        }
    } else {
        "?"
    };
    format!("{base}{separator}validationToken={encoded}")
}

/// The name .NET gives an HTTP status, as Graph prints it (`NotFound`, `InternalServerError`).
pub fn status_name(status: u16) -> String {
    let name = match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "NoContent",
        301 => "MovedPermanently",
        302 => "Found",
        307 => "TemporaryRedirect",
        308 => "PermanentRedirect",
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        408 => "RequestTimeout",
        409 => "Conflict",
        415 => "UnsupportedMediaType",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        501 => "NotImplemented",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "GatewayTimeout",
        other => return other.to_string(),
    };
    name.to_owned()
}

/// Runs the handshake against `url`.
pub async fn handshake(
    client: &reqwest::Client,
    url: &str,
    timeout: Duration,
) -> Result<(), ValidationFailure> {
    let token = new_token();
    let exchange = async {
        let response = client
            .post(validation_url(url, &token))
            .header(reqwest::header::CONTENT_TYPE, "text/plain; charset=utf-8")
            .body(Vec::<u8>::new())
            .send()
            .await
            .map_err(|e| {
                tracing::debug!(url, error = %e, "validation request failed");
                if e.is_timeout() {
                    ValidationFailure::TimedOut
                } else {
                    ValidationFailure::Unreachable
                }
            })?;
        let status = response.status().as_u16();
        if status != 200 {
            return Err(ValidationFailure::Status {
                status: status_name(status),
            });
        }
        let content_type = response
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        let media = content_type.split(';').next().unwrap_or("").trim();
        if !media.eq_ignore_ascii_case("text/plain") {
            return Err(ValidationFailure::ContentType {
                found: content_type,
            });
        }
        let body = response
            .bytes()
            .await
            .map_err(|_| ValidationFailure::Unreachable)?;
        if body.as_ref() == token.as_bytes() {
            Ok(())
        } else {
            Err(ValidationFailure::Body)
        }
    };
    tokio::time::timeout(timeout, exchange)
        .await
        .unwrap_or(Err(ValidationFailure::TimedOut))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_added_url_encoded() {
        assert_eq!(
            validation_url("https://h.test/hook", "a b:c/d"),
            "https://h.test/hook?validationToken=a%20b%3Ac%2Fd"
        );
        assert_eq!(
            validation_url("https://h.test/hook?x=1", "t"),
            "https://h.test/hook?x=1&validationToken=t"
        );
        assert_eq!(
            validation_url("https://h.test/hook?", "t"),
            "https://h.test/hook?validationToken=t"
        );
    }

    #[test]
    fn statuses_are_named_as_graph_prints_them() {
        assert_eq!(status_name(404), "NotFound");
        assert_eq!(status_name(500), "InternalServerError");
        assert_eq!(status_name(299), "299");
    }

    #[test]
    fn a_timeout_is_an_invalid_request_and_the_rest_validation_errors() {
        assert_eq!(ValidationFailure::TimedOut.code(), "InvalidRequest");
        assert_eq!(ValidationFailure::Body.code(), "ValidationError");
        assert_eq!(
            ValidationFailure::Status {
                status: "NotFound".into()
            }
            .to_string(),
            "Subscription validation request failed. HTTP status code is 'NotFound'. Notification endpoint must respond with 200 OK to validation request."
        );
    }
}
