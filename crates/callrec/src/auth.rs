//! Who is calling: bearer tokens checked the way Graph checks Microsoft identity platform app-only
//! tokens, the tenant and application they speak for, and what their roles let them do.
//!
//! Graph never answers without a token, and a client tested against callrec should meet the same
//! refusals: 401 with `WWW-Authenticate` for a missing or bad token, 403 for a good token without the
//! permission. The edge's authentication middleware (`http::auth`) checks the token once per request
//! with an [`Authenticator`] and hands handlers the [`Caller`], who act for its tenant only, which is
//! what keeps tenants apart. With authentication off (`--auth none`) every request acts for the
//! one configured default tenant with every permission.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Validation};
use serde::{Deserialize, Serialize};

pub mod keys;
pub mod permissions;

pub use keys::JwksSource;
pub use permissions::{CALL_RECORDS_READ, CALL_RECORDS_WRITE, PSTN_CALLS_READ, Resource};

/// The tenant that owns everything written and read while authentication is off, unless
/// `--default-tenant` names another.
pub const DEFAULT_TENANT: &str = "dc368399-474c-4d40-900c-6265431fd81f";

/// The audiences a Graph token carries, accepted when no `--audience` is configured.
pub const GRAPH_AUDIENCES: [&str; 3] = [
    "https://graph.microsoft.com",
    "https://graph.microsoft.com/",
    "00000003-0000-0000-c000-000000000000",
];

/// Clock skew allowed on `exp` and `nbf`, as the identity platform's own validators allow.
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(300);

/// The caller of a request: the tenant whose data it may touch, its application, and its roles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub tenant: String,
    /// `appid` (v1 tokens) or `azp` (v2 tokens); `None` with authentication off.
    pub app: Option<String>,
    pub roles: Vec<String>,
}

impl Caller {
    /// The caller of every request while authentication is off: the default tenant, every permission.
    pub fn operator(tenant: &str) -> Self {
        Caller {
            tenant: tenant.to_owned(),
            app: None,
            roles: [CALL_RECORDS_READ, PSTN_CALLS_READ, CALL_RECORDS_WRITE]
                .map(str::to_owned)
                .to_vec(),
        }
    }

    /// Whether the caller holds one of the roles the resource accepts.
    pub fn may(&self, resource: &Resource) -> bool {
        let accepted = resource.accepted_roles();
        accepted.is_empty() || self.roles.iter().any(|r| accepted.contains(&r.as_str()))
    }
}

/// How tokens are checked when authentication is on.
#[derive(Debug, Clone, Default)]
pub struct TokenSettings {
    /// Shared secret for HS256 tokens (local development).
    pub hs256_secret: Option<String>,
    /// Public keys for RS256 tokens.
    pub jwks: Option<JwksSource>,
    /// The JWKS of the tokens callrec issues itself (`serve --identity`), checked beside `jwks`.
    pub issued_jwks: Option<String>,
    /// Accepted `aud` values; empty means [`GRAPH_AUDIENCES`].
    pub audiences: Vec<String>,
    /// Accepted `iss` values, where `{tenantid}` stands for the token's `tid`; empty accepts any issuer.
    pub issuers: Vec<String>,
    /// Allowed clock skew; `None` means [`DEFAULT_LEEWAY`].
    pub leeway: Option<Duration>,
    /// Shortest time between two fetches of a JWKS URL; `None` means [`keys::REFRESH_INTERVAL`].
    pub jwks_refresh: Option<Duration>,
}

impl TokenSettings {
    /// Whether any way of checking a token is configured.
    pub fn is_configured(&self) -> bool {
        self.hs256_secret.is_some() || self.jwks.is_some() || self.issued_jwks.is_some()
    }
}

/// Why authentication could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum AuthSetupError {
    #[error("no way to check tokens: give a JWKS (--jwks) or an HS256 secret (--jwt-secret)")]
    NoKeys,
    #[error("the HS256 secret is empty")]
    EmptySecret,
    #[error("JWKS: {0}")]
    Jwks(String),
}

/// Why a token was refused. Each becomes a 401 (or, for [`TokenError::NoPermissions`], a 401 as Graph
/// answers a token that carries neither `roles` nor `scp`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("Access token is empty.")]
    Missing,
    #[error("Access token validation failure. The Authorization header is not 'Bearer <token>'.")]
    NotBearer,
    #[error("Access token validation failure. The token is not a well-formed JWT: {0}.")]
    Malformed(String),
    #[error("Access token validation failure. The signing algorithm '{0}' is not accepted.")]
    AlgorithmNotAccepted(String),
    #[error("Access token validation failure. No signing key matches the token's 'kid'.")]
    UnknownKey,
    #[error("Access token validation failure. Invalid signature.")]
    BadSignature,
    #[error("Lifetime validation failed, the token is expired.")]
    Expired,
    #[error("Lifetime validation failed, the token is not yet valid.")]
    NotYetValid,
    #[error("Access token validation failure. Invalid audience.")]
    WrongAudience,
    #[error("Access token validation failure. Invalid issuer.")]
    WrongIssuer,
    #[error("Access token validation failure. The token has no valid '{0}' claim.")]
    MissingClaim(&'static str),
    #[error("Either scp or roles claim need to be present in the token.")]
    NoPermissions,
}

/// Checks tokens against the configured keys, audiences and issuers.
pub struct Authenticator {
    hs256: Option<DecodingKey>,
    /// The RS256 key sets: `--jwks`'s, callrec's own, or both.
    rsa: Vec<keys::KeyRing>,
    audiences: Vec<String>,
    issuers: Vec<String>,
    leeway: u64,
}

impl std::fmt::Debug for Authenticator {
    /// Never prints the secret.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authenticator")
            .field("hs256", &self.hs256.is_some())
            .field("rsa", &self.rsa)
            .field("audiences", &self.audiences)
            .field("issuers", &self.issuers)
            .field("leeway", &self.leeway)
            .finish()
    }
}

/// What a start-up log line says: the keys, audiences and issuers tokens are checked against, never
/// the secret.
impl std::fmt::Display for Authenticator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rings = self
            .rsa
            .iter()
            .map(|ring| ring.source().to_string())
            .collect::<Vec<_>>()
            .join(" and ");
        match (&self.hs256, rings.is_empty()) {
            (Some(_), false) => write!(
                f,
                "HS256 with the development secret and RS256 with the keys of {rings}"
            )?,
            (Some(_), true) => f.write_str("HS256 with the development secret")?,
            (None, false) => write!(f, "RS256 with the keys of {rings}")?,
            (None, true) => f.write_str("no keys")?,
        }
        let graph = self.audiences.iter().eq(GRAPH_AUDIENCES.iter());
        if graph {
            f.write_str("; audience Graph's")?;
        } else {
            write!(f, "; audience {}", self.audiences.join(" or "))?;
        }
        if self.issuers.is_empty() {
            f.write_str("; any issuer")?;
        } else {
            write!(f, "; issuer {}", self.issuers.join(" or "))?;
        }
        write!(f, "; clock skew up to {}s", self.leeway)
    }
}

/// The claims callrec reads; `exp`, `nbf` and `aud` are checked by the JWT library.
#[derive(Debug, Deserialize)]
struct Claims {
    iss: Option<String>,
    tid: Option<String>,
    appid: Option<String>,
    azp: Option<String>,
    roles: Option<Vec<String>>,
    scp: Option<String>,
}

/// The part of a JOSE header needed to pick a key, read before the library so that `alg: none` and
/// unknown algorithms get a message naming the algorithm.
#[derive(Debug, Deserialize)]
struct RawHeader {
    alg: String,
    kid: Option<String>,
}

impl Authenticator {
    /// Loads the keys (reading or fetching the JWKS).
    pub async fn new(settings: &TokenSettings) -> Result<Self, AuthSetupError> {
        if !settings.is_configured() {
            return Err(AuthSetupError::NoKeys);
        }
        let hs256 = match &settings.hs256_secret {
            Some(s) if s.is_empty() => return Err(AuthSetupError::EmptySecret),
            Some(s) => Some(DecodingKey::from_secret(s.as_bytes())),
            None => None,
        };
        let refresh = settings.jwks_refresh.unwrap_or(keys::REFRESH_INTERVAL);
        let mut rsa = Vec::new();
        if let Some(source) = settings.jwks.clone() {
            rsa.push(keys::KeyRing::load(source, refresh).await?);
        }
        if let Some(document) = settings.issued_jwks.clone() {
            rsa.push(keys::KeyRing::load(JwksSource::Issued(document), refresh).await?);
        }
        let audiences = if settings.audiences.is_empty() {
            GRAPH_AUDIENCES.map(str::to_owned).to_vec()
        } else {
            settings.audiences.clone()
        };
        Ok(Authenticator {
            hs256,
            rsa,
            audiences,
            issuers: settings.issuers.clone(),
            leeway: settings.leeway.unwrap_or(DEFAULT_LEEWAY).as_secs(),
        })
    }

    /// Checks a token and says who it speaks for.
    pub fn verify(&self, token: &str) -> Result<Caller, TokenError> {
        let raw = raw_header(token)?;
        let (key, alg) = match raw.alg.as_str() {
            "HS256" if self.hs256.is_some() => (self.hs256.clone(), Algorithm::HS256),
            "RS256" if !self.rsa.is_empty() => {
                let key = self.find_rsa_key(raw.kid.as_deref())?;
                (Some(key), Algorithm::RS256)
            }
            other => return Err(TokenError::AlgorithmNotAccepted(other.to_owned())),
        };
        let key = key.expect("each accepted algorithm has its key");
        let mut validation = Validation::new(alg);
        validation.leeway = self.leeway;
        validation.validate_nbf = true;
        validation.set_audience(&self.audiences);
        validation.set_required_spec_claims(&["exp", "aud"]);
        let data = jsonwebtoken::decode::<Claims>(token, &key, &validation).map_err(|e| {
            use jsonwebtoken::errors::ErrorKind as K;
            match e.kind() {
                K::InvalidSignature => TokenError::BadSignature,
                K::ExpiredSignature => TokenError::Expired,
                K::ImmatureSignature => TokenError::NotYetValid,
                K::InvalidAudience => TokenError::WrongAudience,
                K::MissingRequiredClaim(c) if c == "aud" => TokenError::WrongAudience,
                K::MissingRequiredClaim(_) => TokenError::MissingClaim("exp"),
                K::InvalidClaimFormat(c) if c == "nbf" => TokenError::MissingClaim("nbf"),
                K::InvalidClaimFormat(_) => TokenError::MissingClaim("exp"),
                K::InvalidAlgorithm => TokenError::AlgorithmNotAccepted(raw.alg.clone()),
                _ => TokenError::Malformed("its parts cannot be read".to_owned()),
            }
        })?;
        let claims = data.claims;
        let tenant = claims
            .tid
            .filter(|t| !t.is_empty())
            .ok_or(TokenError::MissingClaim("tid"))?;
        if !self.issuers.is_empty() {
            let iss = claims.iss.as_deref().ok_or(TokenError::WrongIssuer)?;
            let accepted = self
                .issuers
                .iter()
                .any(|i| i.replace("{tenantid}", &tenant) == iss);
            if !accepted {
                return Err(TokenError::WrongIssuer);
            }
        }
        let roles = claims.roles.unwrap_or_default();
        if roles.is_empty() && claims.scp.is_none() {
            return Err(TokenError::NoPermissions);
        }
        Ok(Caller {
            tenant,
            app: claims.appid.or(claims.azp),
            roles,
        })
    }

    /// The RS256 key with this `kid`, from whichever key set holds it.
    fn find_rsa_key(&self, kid: Option<&str>) -> Result<DecodingKey, TokenError> {
        let mut refusal = TokenError::UnknownKey;
        for ring in &self.rsa {
            match ring.find(kid) {
                Ok(key) => return Ok(key),
                Err(keys::KeyLookup::Unusable) => refusal = TokenError::BadSignature,
                Err(keys::KeyLookup::Unknown) => {}
            }
        }
        Err(refusal)
    }

    /// Fetches a JWKS URL again if the refresh interval allows.
    pub async fn refresh_keys(&self) -> bool {
        let mut replaced = false;
        for ring in &self.rsa {
            replaced |= ring.refresh().await;
        }
        replaced
    }

    /// Checks the value of a request's `Authorization` header, fetching the keys again once on an
    /// unknown `kid`.
    pub async fn authenticate(
        self: &Arc<Self>,
        authorization: Option<&[u8]>,
    ) -> Result<Caller, TokenError> {
        let token = bearer_token(authorization)?.to_owned();
        match self.verify(&token) {
            Err(TokenError::UnknownKey) => {
                if self.refresh_keys().await {
                    self.verify(&token)
                } else {
                    Err(TokenError::UnknownKey)
                }
            }
            other => other,
        }
    }
}

/// The token of an `Authorization: Bearer <token>` header value.
fn bearer_token(authorization: Option<&[u8]>) -> Result<&str, TokenError> {
    let Some(value) = authorization else {
        return Err(TokenError::Missing);
    };
    let value = std::str::from_utf8(value)
        .map_err(|_| TokenError::NotBearer)?
        .trim();
    let (scheme, token) = value.split_once(' ').ok_or(TokenError::NotBearer)?;
    if !scheme.eq_ignore_ascii_case("bearer") {
        return Err(TokenError::NotBearer);
    }
    let token = token.trim();
    if token.is_empty() {
        return Err(TokenError::Missing);
    }
    Ok(token)
}

fn raw_header(token: &str) -> Result<RawHeader, TokenError> {
    let parts: Vec<&str> = token.split('.').collect();
    if parts.len() != 3 {
        return Err(TokenError::Malformed(format!(
            "it has {} dot-separated parts instead of 3",
            parts.len()
        )));
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(parts[0])
        .map_err(|_| TokenError::Malformed("its header is not base64url".to_owned()))?;
    serde_json::from_slice(&bytes)
        .map_err(|_| TokenError::Malformed("its header is not a JOSE header".to_owned()))
}

/// What `callrec token` puts in a development token.
#[derive(Debug, Clone)]
pub struct DevToken {
    pub tenant: String,
    pub app: String,
    pub roles: Vec<String>,
    pub audience: String,
    pub lifetime: Duration,
}

#[derive(Serialize)]
struct DevClaims<'a> {
    aud: &'a str,
    iss: String,
    iat: u64,
    nbf: u64,
    exp: u64,
    tid: &'a str,
    appid: &'a str,
    azp: &'a str,
    sub: &'a str,
    idtyp: &'static str,
    roles: &'a [String],
}

/// Signs an HS256 app-only token shaped like the identity platform's (v1 issuer, `appid`, `roles`).
pub fn dev_token(secret: &str, token: &DevToken) -> Result<String, AuthSetupError> {
    if secret.is_empty() {
        return Err(AuthSetupError::EmptySecret);
    }
    let now = jsonwebtoken::get_current_timestamp();
    let claims = DevClaims {
        aud: &token.audience,
        iss: format!("https://sts.windows.net/{}/", token.tenant),
        iat: now,
        nbf: now,
        exp: now + token.lifetime.as_secs(),
        tid: &token.tenant,
        appid: &token.app,
        azp: &token.app,
        sub: &token.app,
        idtyp: "app",
        roles: &token.roles,
    };
    let header = jsonwebtoken::Header::new(Algorithm::HS256);
    Ok(jsonwebtoken::encode(
        &header,
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .expect("HS256 signing with a secret cannot fail"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sets up an authenticator outside any runtime, as the tests here have none.
    fn setup(settings: &TokenSettings) -> Result<Authenticator, AuthSetupError> {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(Authenticator::new(settings))
    }

    fn hs(secret: &str) -> Authenticator {
        setup(&TokenSettings {
            hs256_secret: Some(secret.to_owned()),
            ..TokenSettings::default()
        })
        .unwrap()
    }

    fn dev(tenant: &str, roles: &[&str]) -> DevToken {
        DevToken {
            tenant: tenant.to_owned(),
            app: "app-1".to_owned(),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            audience: GRAPH_AUDIENCES[0].to_owned(),
            lifetime: Duration::from_secs(600),
        }
    }

    #[test]
    fn a_dev_token_verifies_with_its_secret_only() {
        let token = dev_token("s3cret", &dev("t1", &[CALL_RECORDS_READ])).unwrap();
        let caller = hs("s3cret").verify(&token).unwrap();
        assert_eq!(caller.tenant, "t1");
        assert_eq!(caller.app.as_deref(), Some("app-1"));
        assert_eq!(caller.roles, vec![CALL_RECORDS_READ.to_owned()]);
        assert_eq!(hs("other").verify(&token), Err(TokenError::BadSignature));
    }

    #[test]
    fn a_token_without_roles_or_scopes_is_refused() {
        let token = dev_token("s", &dev("t1", &[])).unwrap();
        assert_eq!(hs("s").verify(&token), Err(TokenError::NoPermissions));
    }

    #[test]
    fn issuers_may_name_the_tenant() {
        let token = dev_token("s", &dev("t1", &[CALL_RECORDS_READ])).unwrap();
        let with_issuer = |iss: &str| {
            setup(&TokenSettings {
                hs256_secret: Some("s".to_owned()),
                issuers: vec![iss.to_owned()],
                ..TokenSettings::default()
            })
            .unwrap()
        };
        assert!(
            with_issuer("https://sts.windows.net/{tenantid}/")
                .verify(&token)
                .is_ok()
        );
        assert_eq!(
            with_issuer("https://sts.windows.net/t2/").verify(&token),
            Err(TokenError::WrongIssuer)
        );
    }

    #[test]
    fn authorization_headers_are_read_strictly() {
        let check = |value: Option<&str>| bearer_token(value.map(str::as_bytes)).map(str::to_owned);
        assert_eq!(check(None), Err(TokenError::Missing));
        assert_eq!(check(Some("Bearer ")), Err(TokenError::NotBearer));
        assert_eq!(check(Some("Basic abc")), Err(TokenError::NotBearer));
        assert_eq!(check(Some("bearer a.b.c")), Ok("a.b.c".to_owned()));
        assert_eq!(
            raw_header("a.b").unwrap_err(),
            TokenError::Malformed("it has 2 dot-separated parts instead of 3".to_owned())
        );
    }

    #[test]
    fn no_settings_is_a_setup_error() {
        assert!(matches!(
            setup(&TokenSettings::default()),
            Err(AuthSetupError::NoKeys)
        ));
    }
}
