//! The RSA signing keys tokens are checked against: a JWKS document read from a file or fetched from a URL
//! (with the client of [`crate::outbound`]).
//!
//! Microsoft rotates its signing keys and announces new ones in the JWKS before using them, so a token
//! whose `kid` is unknown may be signed by a key published since start-up. A URL source is therefore
//! fetched again on an unknown `kid`, but at most once a minute, so that tokens with made-up `kid`s cannot
//! turn the server into a client hammering the identity platform.

use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use jsonwebtoken::DecodingKey;
use jsonwebtoken::jwk::JwkSet;

use super::AuthSetupError;

/// The shortest time between two fetches of a JWKS URL, by default.
pub const REFRESH_INTERVAL: Duration = Duration::from_secs(60);

/// Where the JWKS comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JwksSource {
    File(String),
    Url(String),
    /// The JWKS of the key callrec signs its own tokens with (`serve --identity`), as a document.
    Issued(String),
}

impl std::str::FromStr for JwksSource {
    type Err = std::convert::Infallible;

    /// An `http(s)://` URL, else a file path.
    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        Ok(JwksSource::parse(spec))
    }
}

impl std::fmt::Display for JwksSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            JwksSource::File(path) => write!(f, "the JWKS file {path}"),
            JwksSource::Url(url) => write!(f, "the JWKS at {url}"),
            JwksSource::Issued(_) => f.write_str("callrec's own signing key (--identity)"),
        }
    }
}

impl JwksSource {
    /// `http://` and `https://` are URLs; anything else is a file path.
    pub fn parse(spec: &str) -> Self {
        if spec.starts_with("https://") || spec.starts_with("http://") {
            JwksSource::Url(spec.to_owned())
        } else {
            JwksSource::File(spec.to_owned())
        }
    }

    async fn load(&self, client: &reqwest::Client) -> Result<JwkSet, AuthSetupError> {
        let text = match self {
            JwksSource::File(path) => tokio::fs::read_to_string(path)
                .await
                .map_err(|e| AuthSetupError::Jwks(format!("cannot read {path}: {e}")))?,
            JwksSource::Url(url) => fetch(client, url).await?,
            JwksSource::Issued(document) => document.clone(),
        };
        let set: JwkSet = serde_json::from_str(&text)
            .map_err(|e| AuthSetupError::Jwks(format!("{self} is not a JWKS document: {e}")))?;
        if set.keys.is_empty() {
            return Err(AuthSetupError::Jwks(format!("{self} holds no keys")));
        }
        Ok(set)
    }
}

/// Fetches a JWKS document of at most [`MAX_JWKS_BYTES`].
async fn fetch(client: &reqwest::Client, url: &str) -> Result<String, AuthSetupError> {
    let fetch_error = |e: reqwest::Error| AuthSetupError::Jwks(format!("cannot fetch {url}: {e}"));
    let mut response = client
        .get(url)
        .send()
        .await
        .and_then(reqwest::Response::error_for_status)
        .map_err(fetch_error)?;
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(fetch_error)? {
        body.extend_from_slice(&chunk);
        if body.len() > MAX_JWKS_BYTES {
            return Err(AuthSetupError::Jwks(format!(
                "{url} answered more than {MAX_JWKS_BYTES} bytes; a JWKS is a few kilobytes"
            )));
        }
    }
    String::from_utf8(body)
        .map_err(|_| AuthSetupError::Jwks(format!("cannot read {url}: it is not UTF-8 text")))
}

/// The largest JWKS document read.
const MAX_JWKS_BYTES: usize = 1024 * 1024;
/// How long a JWKS fetch may take, in all.
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// The current key set and when it was last fetched.
pub struct KeyRing {
    source: JwksSource,
    client: reqwest::Client,
    keys: RwLock<JwkSet>,
    fetched: Mutex<Instant>,
    refresh_interval: Duration,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyRing")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

/// Why no key could be found for a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyLookup {
    /// No key has this `kid` (or the token names none and the set holds several).
    Unknown,
    /// The key exists but cannot verify RS256 signatures.
    Unusable,
}

impl KeyRing {
    /// Where the keys come from.
    pub fn source(&self) -> &JwksSource {
        &self.source
    }

    /// Loads the key set once; fails when it cannot be read or holds no keys. A URL source is fetched
    /// again at most once per `refresh_interval`.
    pub async fn load(
        source: JwksSource,
        refresh_interval: Duration,
    ) -> Result<Self, AuthSetupError> {
        let client = crate::outbound::client_builder(FETCH_TIMEOUT)
            .timeout(FETCH_TIMEOUT)
            .build()
            .map_err(|e| AuthSetupError::Jwks(format!("cannot set up an HTTP client: {e}")))?;
        let keys = source.load(&client).await?;
        Ok(KeyRing {
            source,
            client,
            keys: RwLock::new(keys),
            fetched: Mutex::new(Instant::now()),
            refresh_interval,
        })
    }

    /// The key a token with this `kid` is signed with.
    pub fn find(&self, kid: Option<&str>) -> Result<DecodingKey, KeyLookup> {
        let keys = self.keys.read().unwrap_or_else(|e| e.into_inner());
        let jwk = match kid {
            Some(kid) => keys.find(kid),
            None if keys.keys.len() == 1 => keys.keys.first(),
            None => None,
        }
        .ok_or(KeyLookup::Unknown)?;
        DecodingKey::from_jwk(jwk).map_err(|_| KeyLookup::Unusable)
    }

    /// Fetches a URL source again if the last fetch is older than the refresh interval. Returns whether
    /// the key set was replaced.
    pub async fn refresh(&self) -> bool {
        if !matches!(self.source, JwksSource::Url(_)) {
            return false;
        }
        {
            let mut fetched = self.fetched.lock().unwrap_or_else(|e| e.into_inner());
            if fetched.elapsed() < self.refresh_interval {
                return false;
            }
            *fetched = Instant::now();
        }
        match self.source.load(&self.client).await {
            Ok(keys) => {
                *self.keys.write().unwrap_or_else(|e| e.into_inner()) = keys;
                tracing::info!(source = %self.source, "signing keys fetched again");
                true
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot fetch the signing keys again");
                false
            }
        }
    }
}
