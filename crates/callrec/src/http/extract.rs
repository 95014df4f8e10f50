//! The extractors every handler shares: which API version a request is under, the base URL its
//! response refers to, and, for Graph's reads, the whole read context (caller's tenant, base URL,
//! `Prefer` preferences and the shaping they ask for), read once per request.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;

use super::error::ApiError;
use super::state::ApiVersion;
use super::wire::{self, BaseUrl, Preferences, Shaping};
use crate::auth::Caller;

impl<S: Send + Sync> FromRequestParts<S> for ApiVersion {
    type Rejection = ApiError;

    /// The version the router nested the route under; a route outside `/v1.0` and `/beta` has none.
    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<ApiVersion>()
            .copied()
            .ok_or_else(|| {
                ApiError::internal("a versioned handler is routed outside /v1.0 and /beta")
            })
    }
}

impl<S: Send + Sync> FromRequestParts<S> for BaseUrl {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let version = ApiVersion::from_request_parts(parts, state).await?;
        Ok(BaseUrl::from_headers(&parts.headers, version))
    }
}

/// Everything a Graph read handler needs to know about the request, read once.
pub struct ReadContext {
    pub base: BaseUrl,
    pub prefs: Preferences,
    pub shaping: Shaping,
    /// The caller's tenant: the only one this request may read.
    pub tenant: String,
}

impl<S: Send + Sync> FromRequestParts<S> for ReadContext {
    type Rejection = ApiError;

    /// Refuses an `Accept` that excludes JSON and a malformed `Prefer` before anything is read.
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await?;
        let base = BaseUrl::from_request_parts(parts, state).await?;
        wire::check_accepts_json(&parts.headers)?;
        let prefs = Preferences::from_headers(&parts.headers)?;
        Ok(ReadContext {
            base,
            shaping: Shaping::from_preferences(&prefs),
            prefs,
            tenant: caller.tenant,
        })
    }
}
