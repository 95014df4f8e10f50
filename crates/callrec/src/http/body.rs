//! Reading a JSON request body, the same way on every endpoint that takes one: its media type, then its
//! text. Each caller names what the body holds (`"callRecord"`, `"log row"`), so the messages tell a client
//! what was expected.

use axum::http::{HeaderMap, StatusCode, header};
use serde_json::Value;

use super::error::{ApiError, codes};

/// Refuses a body sent with a media type other than `application/json` or a `+json` type (415). A request
/// without `Content-Type` passes: many clients send none, and the body itself is checked next.
pub(crate) fn check_json_content_type(headers: &HeaderMap, what: &str) -> Result<(), ApiError> {
    let Some(ct) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return Ok(());
    };
    let media = ct
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if media == "application/json" || media.ends_with("+json") {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            codes::UNSUPPORTED_MEDIA_TYPE,
            format!("A {what} is sent as application/json, not '{ct}'."),
        ))
    }
}

/// Parses a body that must hold one JSON value, refusing an empty one by name (`invalidRequest`, with the
/// JSON path `$` where the text is not JSON, as the validators' messages start with a path).
pub(crate) fn parse_json(body: &[u8], what: &str) -> Result<Value, ApiError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::invalid_body(format!(
            "The request body is empty; send one {what} as a JSON object."
        )));
    }
    serde_json::from_slice(body)
        .map_err(|e| ApiError::invalid_body(format!("$: the request body is not valid JSON: {e}")))
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn with_type(ct: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(ct).unwrap());
        headers
    }

    #[test]
    fn json_media_types_pass_and_others_are_named() {
        for ct in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/merge-patch+json",
        ] {
            assert!(
                check_json_content_type(&with_type(ct), "row").is_ok(),
                "{ct}"
            );
        }
        assert!(check_json_content_type(&HeaderMap::new(), "row").is_ok());
        let refused = check_json_content_type(&with_type("text/plain"), "log row").unwrap_err();
        assert_eq!(refused.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
        assert_eq!(
            refused.message,
            "A log row is sent as application/json, not 'text/plain'."
        );
    }

    #[test]
    fn bodies_are_parsed_or_refused_by_name() {
        assert_eq!(parse_json(b" {\"a\":1} ", "row").unwrap()["a"], 1);
        let empty = parse_json(b" \n", "callRecord").unwrap_err();
        assert_eq!(empty.code, codes::INVALID_REQUEST);
        assert_eq!(
            empty.message,
            "The request body is empty; send one callRecord as a JSON object."
        );
        let broken = parse_json(b"{", "callRecord").unwrap_err();
        assert!(
            broken
                .message
                .starts_with("$: the request body is not valid JSON: "),
            "{}",
            broken.message
        );
    }
}
