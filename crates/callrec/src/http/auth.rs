//! The authentication layer of the edge: every request's bearer token checked once by the
//! [`Authenticator`], the permission its resource needs enforced, and the [`Caller`] handed to handlers
//! as an extractor.
//!
//! Graph never answers without a token, and a client tested against callrec should meet the same
//! refusals: 401 with `WWW-Authenticate` for a missing or bad token, 403 for a good token without the
//! permission.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::{ApiError, codes};
use super::resources::resource_of;
use crate::auth::{Authenticator, Caller, Resource, TokenError};

/// What the authentication layer needs: how tokens are checked (`None`: authentication is off) and
/// the tenant served when it is off.
#[derive(Clone)]
pub struct AuthGate {
    pub authenticator: Option<Arc<Authenticator>>,
    pub default_tenant: Arc<str>,
}

/// Graph's challenge, with the RFC 6750 error attributes added when a token was presented.
const CHALLENGE: &str = "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"";

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    /// Fails closed: a request that reached a handler without passing [`authenticate`] acts for nobody.
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Caller>().cloned().ok_or_else(|| {
            ApiError::new(
                StatusCode::UNAUTHORIZED,
                codes::INVALID_AUTHENTICATION_TOKEN,
                "Access token is empty.",
            )
        })
    }
}

/// The middleware in front of every route: checks the token (when authentication is on), refuses a
/// caller without the permission the resource needs, and leaves the [`Caller`] for the handlers.
pub async fn authenticate(
    State(gate): State<AuthGate>,
    mut request: Request,
    next: Next,
) -> Response {
    let resource = resource_of(request.method(), request.uri().path());
    let caller = match &gate.authenticator {
        None => Caller::operator(&gate.default_tenant),
        Some(_) if resource == Resource::Public => return next.run(request).await,
        Some(auth) => match auth
            .authenticate(
                request
                    .headers()
                    .get(header::AUTHORIZATION)
                    .map(HeaderValue::as_bytes),
            )
            .await
        {
            Ok(caller) => caller,
            Err(e) => return refuse_unread(request.headers(), unauthorized(&e)),
        },
    };
    if !caller.may(&resource) {
        return refuse_unread(request.headers(), forbidden(&resource));
    }
    request.extensions_mut().insert(caller);
    next.run(request).await
}

/// Closes the connection after answering a request whose body was not read: the unread bytes would
/// otherwise be taken for the next request on the connection, and clients reusing it would fail.
pub fn refuse_unread(request_headers: &HeaderMap, mut response: Response) -> Response {
    let has_body = request_headers.contains_key(header::TRANSFER_ENCODING)
        || request_headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() != b"0");
    if has_body {
        response
            .headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
    }
    response
}

fn unauthorized(e: &TokenError) -> Response {
    let mut challenge = CHALLENGE.to_owned();
    if !matches!(e, TokenError::Missing) {
        let description = e.to_string().replace(['"', '\\'], "'");
        challenge.push_str(&format!(
            ", error=\"invalid_token\", error_description=\"{description}\""
        ));
    }
    let mut response = ApiError::new(
        StatusCode::UNAUTHORIZED,
        codes::INVALID_AUTHENTICATION_TOKEN,
        e.to_string(),
    )
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
    }
    response
}

fn forbidden(resource: &Resource) -> Response {
    let roles = resource.accepted_roles().join(" or ");
    ApiError::new(
        StatusCode::FORBIDDEN,
        codes::ACCESS_DENIED,
        format!(
            "Insufficient privileges to complete the operation. This request needs the application permission {roles}."
        ),
    )
    .into_response()
}
