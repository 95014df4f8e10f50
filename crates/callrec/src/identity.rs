//! Sign-in as the Microsoft identity platform does it for daemons: the client-credentials flow.
//!
//! An official SDK (azure-identity's `ClientSecretCredential`, MSAL's confidential client) asks a token
//! endpoint for a token with a client id and a secret or a certificate-signed assertion, then sends the
//! token to Graph. callrec can be that endpoint (`serve --identity`) for the apps registered in its store
//! (`callrec app add`), so an application reads callrec by changing its authority host and nothing
//! else. The tokens are shaped like the identity platform's v1 app-only tokens and signed with an RSA
//! key made once and kept in the store; the server checks them with the same code that checks the
//! identity platform's own tokens ([`crate::auth::Authenticator`]), through the JWKS of that key.
//!
//! This module holds the rules (credentials, scopes, refusals) and knows nothing of HTTP: the endpoints
//! live in `http::identity`.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::Context;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use callrec_store::Store;
use callrec_store::apps::AppRegistration;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rsa::rand_core::{OsRng, RngCore};
use rsa::traits::PublicKeyParts;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::auth::{CALL_RECORDS_READ, CALL_RECORDS_WRITE, PSTN_CALLS_READ};

/// The one scope callrec issues tokens for: Graph's application permissions.
pub const GRAPH_DEFAULT_SCOPE: &str = "https://graph.microsoft.com/.default";
/// The audience of the tokens issued, as Graph's v1 tokens carry it.
pub const GRAPH_AUDIENCE: &str = "https://graph.microsoft.com";
/// How long an issued token is valid, as the identity platform's app tokens are.
pub const TOKEN_LIFETIME: Duration = Duration::from_secs(3600);
/// The `client_assertion_type` of certificate credentials (RFC 7523).
pub const JWT_BEARER: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
/// The roles an app may be given: the permissions callrec's resources accept.
pub const KNOWN_ROLES: [&str; 3] = [CALL_RECORDS_READ, PSTN_CALLS_READ, CALL_RECORDS_WRITE];
/// The name the token signing key is kept under in the store.
const SIGNING_KEY: &str = "identity-signing-rsa";
/// Clock skew allowed on a client assertion's `exp` and `nbf`.
const ASSERTION_LEEWAY: u64 = 300;

/// A token endpoint's refusal, as the identity platform words it: an OAuth `error`, an AADSTS code and
/// its description. The HTTP edge adds the trace and correlation ids and the timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// `invalid_request`, `invalid_client`, `unauthorized_client`, `invalid_scope`, `unsupported_grant_type`.
    pub error: &'static str,
    /// The AADSTS number.
    pub code: u32,
    pub description: String,
    /// 401 for a client that failed to authenticate, 503 when the store cannot be read, else 400.
    pub status: u16,
}

impl Refusal {
    fn new(error: &'static str, code: u32, description: impl Into<String>) -> Self {
        let status = if error == "invalid_client" { 401 } else { 400 };
        Refusal {
            error,
            code,
            description: description.into(),
            status,
        }
    }

    /// A required parameter is missing (AADSTS900144).
    pub fn missing(parameter: &str) -> Self {
        Refusal::new(
            "invalid_request",
            900144,
            format!("The request body must contain the following parameter: '{parameter}'."),
        )
    }

    /// The request cannot be read at all (AADSTS900144's sibling for a malformed body).
    pub fn malformed(what: impl std::fmt::Display) -> Self {
        Refusal::new(
            "invalid_request",
            900144,
            format!("The request body cannot be read: {what}."),
        )
    }
}

/// What a client sent to the token endpoint, read from the form and the `Authorization` header.
/// Other parameters (`client_info`, `claims`, ...) are accepted and ignored, as the identity platform
/// ignores what it does not need for the grant.
#[derive(Debug, Clone, Default)]
pub struct TokenRequest {
    pub grant_type: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    pub client_assertion_type: Option<String>,
    pub client_assertion: Option<String>,
    pub scope: Option<String>,
}

/// The token endpoint's answer, serialized as the identity platform writes it (no `id_token` or
/// `client_info`: MSAL would decode them).
#[derive(Debug, Clone, Serialize)]
pub struct TokenResponse {
    pub token_type: &'static str,
    pub expires_in: u64,
    pub ext_expires_in: u64,
    pub access_token: String,
}

/// The RSA key tokens are signed with, and the JWKS that publishes its public half.
pub struct SigningKey {
    kid: String,
    encoding: EncodingKey,
    jwks: String,
}

impl std::fmt::Debug for SigningKey {
    /// Never prints the key.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigningKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

impl SigningKey {
    /// The store's signing key, made (2048-bit RSA) and kept first if the store has none. Every node
    /// serving one store signs with the same key, since the first writer's is the one kept.
    pub async fn of_store(store: &dyn Store) -> anyhow::Result<Self> {
        let candidate = tokio::task::spawn_blocking(|| {
            let key = rsa::RsaPrivateKey::new(&mut OsRng, 2048)?;
            let pem = rsa::pkcs1::EncodeRsaPrivateKey::to_pkcs1_pem(&key, Default::default())?;
            anyhow::Ok(pem.as_bytes().to_vec())
        })
        .await??;
        let kept = store
            .server_key(SIGNING_KEY, candidate)
            .await
            .context("cannot keep the token signing key in the store")?;
        Self::from_pem(&kept)
    }

    fn from_pem(pem: &[u8]) -> anyhow::Result<Self> {
        let text = std::str::from_utf8(pem).context("the stored signing key is not PEM")?;
        let key: rsa::RsaPrivateKey = rsa::pkcs1::DecodeRsaPrivateKey::from_pkcs1_pem(text)
            .context("the stored signing key is not an RSA key")?;
        let n = key.n().to_bytes_be();
        let e = key.e().to_bytes_be();
        let kid = URL_SAFE_NO_PAD.encode(&Sha256::digest(&n)[..16]);
        let jwks = serde_json::json!({"keys": [{
            "kty": "RSA",
            "use": "sig",
            "alg": "RS256",
            "kid": kid,
            "n": URL_SAFE_NO_PAD.encode(&n),
            "e": URL_SAFE_NO_PAD.encode(&e),
        }]})
        .to_string();
        Ok(SigningKey {
            encoding: EncodingKey::from_rsa_pem(pem).context("the signing key cannot sign")?,
            kid,
            jwks,
        })
    }

    /// The JWKS document of the public key.
    pub fn jwks(&self) -> &str {
        &self.jwks
    }

    /// Signs claims with this key, naming it by `kid`.
    fn sign(&self, claims: &impl Serialize) -> String {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &self.encoding).expect("RS256 signing cannot fail")
    }
}

/// The claims of an issued token: those of the identity platform's v1 app-only tokens that Graph reads.
#[derive(Debug, Serialize, Deserialize)]
struct IssuedClaims {
    aud: String,
    iss: String,
    iat: u64,
    nbf: u64,
    exp: u64,
    tid: String,
    appid: String,
    /// `1`: signed in with a secret; `2`: with a certificate.
    appidacr: String,
    idp: String,
    idtyp: String,
    oid: String,
    sub: String,
    roles: Vec<String>,
    ver: String,
    uti: String,
}

/// The token endpoint: checks a client's credentials against its registration and issues tokens.
pub struct Identity {
    store: Arc<dyn Store>,
    key: SigningKey,
    lifetime: Duration,
}

impl std::fmt::Debug for Identity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Identity")
            .field("key", &self.key)
            .field("lifetime", &self.lifetime)
            .finish_non_exhaustive()
    }
}

/// How a client proved who it is.
enum Credential<'a> {
    Secret(&'a str),
    Assertion(&'a str),
}

impl Identity {
    /// The token endpoint of the apps in `store`, signing with `key` tokens valid for an hour.
    pub fn new(store: Arc<dyn Store>, key: SigningKey) -> Self {
        Identity {
            store,
            key,
            lifetime: TOKEN_LIFETIME,
        }
    }

    /// The same endpoint issuing tokens valid for `lifetime` (tests of expiry).
    pub fn with_lifetime(mut self, lifetime: Duration) -> Self {
        self.lifetime = lifetime;
        self
    }

    /// The JWKS document tokens are checked against.
    pub fn jwks(&self) -> &str {
        self.key.jwks()
    }

    /// Answers a token request for `tenant`, whose token endpoint is `endpoint` (client assertions must
    /// be addressed to it).
    pub async fn issue(
        &self,
        tenant: &str,
        endpoint: &str,
        request: &TokenRequest,
    ) -> Result<TokenResponse, Refusal> {
        let grant = request
            .grant_type
            .as_deref()
            .ok_or_else(|| Refusal::missing("grant_type"))?;
        if grant != "client_credentials" {
            return Err(Refusal::new(
                "unsupported_grant_type",
                70003,
                format!(
                    "The app requested an unsupported grant type '{grant}'. callrec issues tokens for the client_credentials grant only."
                ),
            ));
        }
        let client_id = request
            .client_id
            .as_deref()
            .filter(|c| !c.is_empty())
            .ok_or_else(|| Refusal::missing("client_id"))?;
        let scope = request
            .scope
            .as_deref()
            .ok_or_else(|| Refusal::missing("scope"))?;
        check_scope(scope)?;
        let credential = match (&request.client_secret, &request.client_assertion) {
            (Some(secret), _) => Credential::Secret(secret),
            (None, Some(assertion)) => {
                if request.client_assertion_type.as_deref() != Some(JWT_BEARER) {
                    return Err(Refusal::new(
                        "invalid_request",
                        50027,
                        format!("The client_assertion_type must be '{JWT_BEARER}'."),
                    ));
                }
                Credential::Assertion(assertion)
            }
            (None, None) => {
                return Err(Refusal::new(
                    "invalid_client",
                    7000218,
                    "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
                ));
            }
        };
        let app = match self.store.app(tenant, client_id).await {
            Ok(Some(app)) => app,
            Ok(None) => {
                return Err(Refusal::new(
                    "unauthorized_client",
                    700016,
                    format!(
                        "Application with identifier '{client_id}' was not found in the directory '{tenant}'. This can happen if the application has not been registered in the tenant (callrec app add --tenant {tenant}) or if the request was sent to the wrong tenant."
                    ),
                ));
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot read an app registration");
                return Err(Refusal {
                    error: "temporarily_unavailable",
                    code: 90033,
                    description: "A transient error has occurred. Please try again.".into(),
                    status: 503,
                });
            }
        };
        let method = match credential {
            Credential::Secret(secret) => {
                if !app
                    .secret_hash
                    .as_deref()
                    .is_some_and(|h| secret_matches(h, secret))
                {
                    return Err(Refusal::new(
                        "invalid_client",
                        7000215,
                        format!(
                            "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '{client_id}'."
                        ),
                    ));
                }
                "1"
            }
            Credential::Assertion(assertion) => {
                check_assertion(&app, tenant, endpoint, assertion)?;
                "2"
            }
        };
        Ok(self.token(&app, method))
    }

    fn token(&self, app: &AppRegistration, method: &str) -> TokenResponse {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let iss = format!("https://sts.windows.net/{}/", app.tenant);
        let claims = IssuedClaims {
            aud: GRAPH_AUDIENCE.to_owned(),
            idp: iss.clone(),
            iss,
            iat: now,
            nbf: now,
            exp: now + self.lifetime.as_secs(),
            tid: app.tenant.clone(),
            appid: app.client_id.clone(),
            appidacr: method.to_owned(),
            idtyp: "app".into(),
            oid: app.client_id.clone(),
            sub: app.client_id.clone(),
            roles: app.roles.clone(),
            ver: "1.0".into(),
            uti: URL_SAFE_NO_PAD.encode(random_bytes::<16>()),
        };
        // The identity platform answers 3599 for its hour: the second the answer took.
        let lifetime = self.lifetime.as_secs().saturating_sub(1);
        TokenResponse {
            token_type: "Bearer",
            expires_in: lifetime,
            ext_expires_in: lifetime,
            access_token: self.key.sign(&claims),
        }
    }
}

/// Graph's `.default` is the one scope of the client-credentials flow here; anything else is refused
/// with the scope to ask for.
fn check_scope(scope: &str) -> Result<(), Refusal> {
    let is_graph = |s: &&str| {
        *s == GRAPH_DEFAULT_SCOPE
            || s.eq_ignore_ascii_case("https://graph.microsoft.com//.default")
            || s.eq_ignore_ascii_case("00000003-0000-0000-c000-000000000000/.default")
    };
    let scopes: Vec<&str> = scope.split_whitespace().collect();
    let other = match scopes.iter().find(|s| !is_graph(s)) {
        None if !scopes.is_empty() => return Ok(()),
        None => "",
        Some(other) => other,
    };
    if let Some(resource) = other.strip_suffix("/.default") {
        Err(Refusal::new(
            "invalid_scope",
            500011,
            format!(
                "The resource principal named {resource} was not found in the tenant. callrec issues tokens for Microsoft Graph only: ask for the scope {GRAPH_DEFAULT_SCOPE}."
            ),
        ))
    } else {
        Err(Refusal::new(
            "invalid_scope",
            1002012,
            format!(
                "The provided value for scope '{other}' is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI): ask for the scope {GRAPH_DEFAULT_SCOPE}."
            ),
        ))
    }
}

/// The claims of a client assertion callrec checks.
#[derive(Debug, Deserialize)]
struct AssertionClaims {
    aud: Option<serde_json::Value>,
    iss: Option<String>,
    sub: Option<String>,
}

/// A client assertion must be an RS256 (or PS256) JWT signed by the key of one of the app's
/// certificates, issued by and for the app (`iss` = `sub` = client id), addressed to this tenant's
/// token endpoint, and within its lifetime.
fn check_assertion(
    app: &AppRegistration,
    tenant: &str,
    endpoint: &str,
    assertion: &str,
) -> Result<(), Refusal> {
    let invalid = |what: &str| {
        Refusal::new(
            "invalid_client",
            50027,
            format!("JWT token is invalid or malformed: {what}."),
        )
    };
    let header = jsonwebtoken::decode_header(assertion)
        .map_err(|_| invalid("the client assertion is not a JWT"))?;
    if header.alg != Algorithm::RS256 && header.alg != Algorithm::PS256 {
        return Err(invalid(
            "the client assertion must be signed with RS256 or PS256",
        ));
    }
    if app.certificates.is_empty() {
        return Err(Refusal::new(
            "invalid_client",
            700027,
            format!(
                "Client assertion failed signature validation. The app '{}' has no certificate registered (callrec app add --certificate).",
                app.client_id
            ),
        ));
    }
    let mut validation = Validation::new(header.alg);
    validation.leeway = ASSERTION_LEEWAY;
    validation.validate_nbf = true;
    validation.validate_aud = false;
    validation.set_required_spec_claims(&["exp"]);
    let mut verified = None;
    for pem in &app.certificates {
        let Ok(key) = DecodingKey::from_rsa_pem(pem.as_bytes()) else {
            continue;
        };
        match jsonwebtoken::decode::<AssertionClaims>(assertion, &key, &validation) {
            Ok(data) => {
                verified = Some(data.claims);
                break;
            }
            Err(e) => {
                use jsonwebtoken::errors::ErrorKind as K;
                match e.kind() {
                    K::ExpiredSignature | K::ImmatureSignature => {
                        return Err(Refusal::new(
                            "invalid_client",
                            700024,
                            "Client assertion is not within its valid time range.",
                        ));
                    }
                    K::InvalidSignature => {}
                    _ => return Err(invalid("its claims cannot be read")),
                }
            }
        }
    }
    let claims = verified.ok_or_else(|| {
        Refusal::new(
            "invalid_client",
            700027,
            format!(
                "Client assertion failed signature validation: no certificate registered for app '{}' signed it.",
                app.client_id
            ),
        )
    })?;
    if claims.iss.as_deref() != Some(app.client_id.as_str())
        || claims.sub.as_deref() != Some(app.client_id.as_str())
    {
        return Err(Refusal::new(
            "invalid_client",
            700021,
            format!(
                "Client assertion application identifier doesn't match 'client_id' parameter: its iss and sub must be '{}'.",
                app.client_id
            ),
        ));
    }
    // Behind a proxy the endpoint's origin may differ from what the client saw: its path decides.
    let path = format!("/{tenant}/oauth2/v2.0/token");
    let addressed_here = |aud: &str| aud == endpoint || aud.ends_with(&path);
    let addressed = match &claims.aud {
        Some(serde_json::Value::String(aud)) => addressed_here(aud),
        Some(serde_json::Value::Array(auds)) => {
            auds.iter().filter_map(|a| a.as_str()).any(addressed_here)
        }
        _ => false,
    };
    if !addressed {
        return Err(Refusal::new(
            "invalid_client",
            700038,
            format!("The client assertion's audience must be the token endpoint, {endpoint}."),
        ));
    }
    Ok(())
}

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0; N];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// A new client secret: 30 random bytes, 40 characters, as long as the identity platform's.
fn new_secret() -> String {
    URL_SAFE_NO_PAD.encode(random_bytes::<30>())
}

/// How a secret is kept: `sha256$SALT$HASH`, the hash of the salt and the secret. A secret is random
/// and long, so one round of a fast hash suffices; the salt keeps equal secrets apart.
fn hash_secret(secret: &str) -> String {
    let salt = random_bytes::<16>();
    format!(
        "sha256${}${}",
        STANDARD.encode(salt),
        STANDARD.encode(salted(&salt, secret))
    )
}

fn salted(salt: &[u8], secret: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(salt);
    hasher.update(secret.as_bytes());
    hasher.finalize().into()
}

/// Whether `secret` is the one kept as `hash` (compared in constant time).
fn secret_matches(hash: &str, secret: &str) -> bool {
    let mut parts = hash.split('$');
    let (Some("sha256"), Some(salt), Some(expected), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let (Ok(salt), Ok(expected)) = (STANDARD.decode(salt), STANDARD.decode(expected)) else {
        return false;
    };
    let actual = salted(&salt, secret);
    expected.len() == actual.len()
        && expected
            .iter()
            .zip(actual.iter())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// What `callrec app add` registers.
#[derive(Debug, Clone)]
pub struct NewApp {
    pub tenant: String,
    pub name: String,
    pub roles: Vec<String>,
    /// A certificate (PEM) whose key signs the app's client assertions; without one the app gets a
    /// secret.
    pub certificate: Option<String>,
}

/// A registered app, and its secret (shown once, never kept) when it got one.
#[derive(Debug, Clone)]
pub struct Registered {
    pub app: AppRegistration,
    pub secret: Option<String>,
}

/// Why an app cannot be registered.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("'{0}' is not a permission callrec knows; give some of {known}", known = KNOWN_ROLES.join(", "))]
    UnknownRole(String),
    #[error("give at least one role ({known})", known = KNOWN_ROLES.join(", "))]
    NoRoles,
    #[error(
        "the certificate is not a PEM certificate with an RSA key (-----BEGIN CERTIFICATE-----)"
    )]
    BadCertificate,
    #[error(transparent)]
    Store(#[from] callrec_store::StoreError),
}

/// Registers an app in its tenant: a new client id, and a secret unless it signs in by certificate.
pub async fn register(store: &dyn Store, new: NewApp) -> Result<Registered, RegisterError> {
    if new.roles.is_empty() {
        return Err(RegisterError::NoRoles);
    }
    if let Some(role) = new
        .roles
        .iter()
        .find(|r| !KNOWN_ROLES.contains(&r.as_str()))
    {
        return Err(RegisterError::UnknownRole(role.clone()));
    }
    if let Some(pem) = &new.certificate
        && (!pem.contains("-----BEGIN CERTIFICATE-----")
            || DecodingKey::from_rsa_pem(pem.as_bytes()).is_err())
    {
        return Err(RegisterError::BadCertificate);
    }
    let secret = new.certificate.is_none().then(new_secret);
    let created_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
    loop {
        let app = AppRegistration {
            tenant: new.tenant.clone(),
            client_id: uuid::Uuid::new_v4().to_string(),
            name: new.name.clone(),
            roles: new.roles.clone(),
            secret_hash: secret.as_deref().map(hash_secret),
            certificates: new.certificate.iter().cloned().collect(),
            created_at,
        };
        // A random GUID repeats only in theory; a repeat draws again.
        if store.add_app(&app).await? {
            return Ok(Registered { app, secret });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_kept_salted_and_checked() {
        let secret = new_secret();
        assert_eq!(secret.len(), 40);
        let (one, two) = (hash_secret(&secret), hash_secret(&secret));
        assert_ne!(one, two, "each hash has its own salt");
        assert!(secret_matches(&one, &secret) && secret_matches(&two, &secret));
        assert!(!secret_matches(&one, "wrong"));
        assert!(!secret_matches("plain", &secret));
        assert!(!one.contains(&secret));
    }

    #[test]
    fn only_graphs_default_scope_is_issued() {
        assert!(check_scope(GRAPH_DEFAULT_SCOPE).is_ok());
        let refusal = check_scope("https://127.0.0.1:8443/.default").unwrap_err();
        assert_eq!((refusal.error, refusal.code), ("invalid_scope", 500011));
        assert!(refusal.description.contains(GRAPH_DEFAULT_SCOPE));
        let refusal = check_scope("CallRecords.Read.All").unwrap_err();
        assert_eq!(refusal.code, 1002012);
        assert!(refusal.description.contains(GRAPH_DEFAULT_SCOPE));
        assert!(check_scope("").is_err());
        assert!(check_scope(&format!("{GRAPH_DEFAULT_SCOPE} openid")).is_err());
    }
}
