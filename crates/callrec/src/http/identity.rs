//! The identity platform's endpoints of the client-credentials flow (`serve --identity`): the OpenID
//! configuration an SDK reads first, the JWKS it names, and the token endpoint.
//!
//! They answer as `login.microsoftonline.com` does, not as Graph: no token is needed, and a refusal has
//! the identity platform's shape (`error`, `error_description` with its AADSTS code, `error_codes`,
//! `timestamp`, `trace_id`, `correlation_id`), since that is what MSAL and azure-identity read. So these
//! routes sit beside Graph's, outside its authentication and error envelope. The rules are
//! [`crate::identity`]'s; this file reads the request and writes the answer.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

use super::state::ApiVersion;
use super::wire::BaseUrl;
use crate::identity::{Identity, Refusal, TokenRequest};

/// The largest token request read: a form with a client assertion is a few kilobytes.
const MAX_FORM_BYTES: usize = 64 * 1024;

/// The sign-in routes, answered by `identity`.
pub fn routes(identity: Arc<Identity>) -> Router {
    Router::new()
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            get(openid_configuration),
        )
        .route("/{tenant}/discovery/v2.0/keys", get(keys))
        .route("/{tenant}/oauth2/v2.0/token", post(token))
        .with_state(identity)
}

/// `https://HOST:PORT` as the client reached callrec (https when it serves TLS or a proxy says so).
fn origin(headers: &HeaderMap) -> String {
    BaseUrl::from_headers(headers, ApiVersion::V1).origin
}

fn json(status: StatusCode, body: &serde_json::Value) -> Response {
    let mut response = (status, body.to_string()).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// The tenant's OpenID configuration: its token endpoint (where the SDK posts, exactly as given), the
/// JWKS, and the fields MSAL reads.
async fn openid_configuration(Path(tenant): Path<String>, headers: HeaderMap) -> Response {
    let origin = origin(&headers);
    let base = format!("{origin}/{tenant}");
    json(
        StatusCode::OK,
        &serde_json::json!({
            "token_endpoint": format!("{base}/oauth2/v2.0/token"),
            "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
            "jwks_uri": format!("{base}/discovery/v2.0/keys"),
            "response_modes_supported": ["query", "fragment", "form_post"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
            "scopes_supported": ["openid", "profile", "email", "offline_access"],
            "issuer": format!("{base}/v2.0"),
            "request_uri_parameter_supported": false,
            "authorization_endpoint": format!("{base}/oauth2/v2.0/authorize"),
            "device_authorization_endpoint": format!("{base}/oauth2/v2.0/devicecode"),
            "end_session_endpoint": format!("{base}/oauth2/v2.0/logout"),
            "grant_types_supported": ["client_credentials"],
            "tenant_region_scope": null,
            "cloud_instance_name": "microsoftonline.com",
            "cloud_graph_host_name": "graph.windows.net",
            "msgraph_host": "graph.microsoft.com",
        }),
    )
}

/// The public key issued tokens are signed with.
async fn keys(State(identity): State<Arc<Identity>>) -> Response {
    let mut response = Body::from(identity.jwks().to_owned()).into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json; charset=utf-8"),
    );
    response
}

/// `POST /{tenant}/oauth2/v2.0/token`: a form, with the client's secret in it or in HTTP Basic.
async fn token(
    State(identity): State<Arc<Identity>>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Response {
    let correlation_id = headers
        .get("client-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 100)
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned);
    let endpoint = format!("{}/{tenant}/oauth2/v2.0/token", origin(&headers));
    let answer = match read_request(&headers, body).await {
        Ok(request) => identity.issue(&tenant, &endpoint, &request).await,
        Err(refusal) => Err(refusal),
    };
    let mut response = match answer {
        Ok(token) => json(
            StatusCode::OK,
            &serde_json::to_value(token).expect("a token response serializes"),
        ),
        Err(refusal) => refused(&refusal, &correlation_id),
    };
    if let Ok(v) = HeaderValue::from_str(&correlation_id) {
        response.headers_mut().insert("client-request-id", v);
    }
    response
}

/// Reads the form (and an `Authorization: Basic` header) into a token request.
async fn read_request(headers: &HeaderMap, body: Body) -> Result<TokenRequest, Refusal> {
    let form_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';').next().is_some_and(|t| {
                t.trim()
                    .eq_ignore_ascii_case("application/x-www-form-urlencoded")
            })
        });
    if !form_type {
        return Err(Refusal::malformed(
            "send the parameters as a form (Content-Type: application/x-www-form-urlencoded)",
        ));
    }
    let bytes: Bytes = axum::body::to_bytes(body, MAX_FORM_BYTES)
        .await
        .map_err(|_| {
            Refusal::malformed(format!(
                "it is longer than {MAX_FORM_BYTES} bytes or was cut short"
            ))
        })?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes)
        .map_err(|_| Refusal::malformed("it is not a URL-encoded form"))?;
    let mut request = TokenRequest::default();
    for (name, value) in pairs {
        let slot = match name.as_str() {
            "grant_type" => &mut request.grant_type,
            "client_id" => &mut request.client_id,
            "client_secret" => &mut request.client_secret,
            "client_assertion_type" => &mut request.client_assertion_type,
            "client_assertion" => &mut request.client_assertion,
            "scope" => &mut request.scope,
            // client_info, claims and the like: accepted and ignored.
            _ => continue,
        };
        *slot = Some(value);
    }
    if let Some((id, secret)) = basic_credentials(headers)? {
        if request
            .client_id
            .as_ref()
            .is_some_and(|body_id| *body_id != id)
        {
            return Err(Refusal::malformed(
                "the client_id of the form and that of the Authorization header differ",
            ));
        }
        request.client_id = Some(id);
        request.client_secret.get_or_insert(secret);
    }
    Ok(request)
}

/// The client id and secret of `Authorization: Basic`, each form-encoded as RFC 6749 (2.3.1) says.
fn basic_credentials(headers: &HeaderMap) -> Result<Option<(String, String)>, Refusal> {
    let Some(value) = headers.get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let bad = || {
        Refusal::malformed("the Authorization header is not 'Basic' with client_id:client_secret")
    };
    let value = value.to_str().map_err(|_| bad())?.trim();
    let Some((scheme, encoded)) = value.split_once(' ') else {
        return Err(bad());
    };
    if !scheme.eq_ignore_ascii_case("basic") {
        return Err(bad());
    }
    let decoded = STANDARD.decode(encoded.trim()).map_err(|_| bad())?;
    let text = String::from_utf8(decoded).map_err(|_| bad())?;
    let (id, secret) = text.split_once(':').ok_or_else(bad)?;
    let unescape = |s: &str| {
        let s = s.replace('+', " ");
        percent_encoding::percent_decode_str(&s)
            .decode_utf8()
            .map(|c| c.into_owned())
            .map_err(|_| bad())
    };
    Ok(Some((unescape(id)?, unescape(secret)?)))
}

/// A refusal in the identity platform's shape.
fn refused(refusal: &Refusal, correlation_id: &str) -> Response {
    let trace_id = uuid::Uuid::new_v4().to_string();
    let now = time::OffsetDateTime::now_utc();
    let timestamp = now
        .format(time::macros::format_description!(
            "[year]-[month]-[day] [hour]:[minute]:[second]Z"
        ))
        .unwrap_or_default();
    let body = serde_json::json!({
        "error": refusal.error,
        "error_description": format!(
            "AADSTS{}: {} Trace ID: {trace_id} Correlation ID: {correlation_id} Timestamp: {timestamp}",
            refusal.code, refusal.description
        ),
        "error_codes": [refusal.code],
        "timestamp": timestamp,
        "trace_id": trace_id,
        "correlation_id": correlation_id,
        "error_uri": format!("https://login.microsoftonline.com/error?code={}", refusal.code),
    });
    let status = StatusCode::from_u16(refusal.status).unwrap_or(StatusCode::BAD_REQUEST);
    let mut response = json(status, &body);
    if let Ok(v) = HeaderValue::from_str(&trace_id) {
        response.headers_mut().insert("x-ms-request-id", v);
    }
    response
}
