//! Skiptokens: where the next page of a collection starts, and every option of the first request.
//!
//! The SDKs' page iterators fetch `@odata.nextLink` as it is, without the first request's `Prefer` header,
//! so a token carries the page size and all query options, not just a position. Tokens are opaque to
//! clients (base64url of a small JSON document) and bound to the tenant that asked: a token made for one
//! tenant is refused for another.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::error::ApiError;

/// The continuation of a listing of callRecords.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListToken {
    pub tenant: String,
    pub filter: Option<String>,
    pub select: Option<String>,
    pub orderby: Option<String>,
    pub count: bool,
    pub page_size: u32,
    /// Records still to return under `$top`, if it was given.
    pub remaining: Option<u64>,
    pub after_key: i64,
    pub after_id: String,
}

/// The continuation of a record's sessions or participants.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SliceToken {
    pub tenant: String,
    pub record_id: String,
    /// `$expand` of the first request (`segments`), if any.
    pub expand: Option<String>,
    pub select: Option<String>,
    pub page_size: u32,
    pub offset: u32,
}

pub fn encode<T: Serialize>(token: &T) -> String {
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(token).expect("a token always serializes"))
}

pub fn decode<T: DeserializeOwned>(text: &str) -> Result<T, ApiError> {
    let invalid = || {
        ApiError::bad_request(
            "The $skiptoken is not valid; use the @odata.nextLink of a previous response as it is.",
        )
    };
    let bytes = URL_SAFE_NO_PAD
        .decode(text.trim_end_matches('='))
        .map_err(|_| invalid())?;
    serde_json::from_slice(&bytes).map_err(|_| invalid())
}

/// Checks that a token belongs to the tenant of the request.
pub fn check_tenant(token_tenant: &str, tenant: &str) -> Result<(), ApiError> {
    if token_tenant == tenant {
        Ok(())
    } else {
        Err(ApiError::bad_request(
            "The $skiptoken is not valid; use the @odata.nextLink of a previous response as it is.",
        ))
    }
}
