//! The one HTTP client configuration for everything callrec calls out to: JWKS URLs, webhooks, and the
//! receivers `callrec webhook-listen` forwards to. One client crate (reqwest, async, rustls) means one TLS
//! stack, one set of trusted roots and one place to add an operator's certificate authority: the
//! system's roots, plus the CA of `--ca-file` (a company CA, or `callrec tls ca`'s development CA).

use std::sync::OnceLock;
use std::time::Duration;

use anyhow::Context;

/// What callrec says it is, on every request it sends.
pub const USER_AGENT: &str = concat!("callrec/", env!("CARGO_PKG_VERSION"));

/// The certificate authorities trusted beside the system's roots, set once at start.
static EXTRA_ROOTS: OnceLock<Vec<reqwest::Certificate>> = OnceLock::new();

/// Trusts the certificates of this PEM file (one or several) in every client built afterwards, beside
/// the system's roots. Called once, at start, before any client is built.
pub fn trust_ca_file(path: &std::path::Path) -> anyhow::Result<()> {
    let pem = std::fs::read(path)
        .with_context(|| format!("cannot read the CA file {}", path.display()))?;
    let certificates = reqwest::Certificate::from_pem_bundle(&pem)
        .with_context(|| format!("{} is not a PEM certificate file", path.display()))?;
    anyhow::ensure!(
        !certificates.is_empty(),
        "{} holds no certificate (-----BEGIN CERTIFICATE-----)",
        path.display()
    );
    if EXTRA_ROOTS.set(certificates).is_err() {
        tracing::warn!(
            "a CA file was already trusted; {} is ignored",
            path.display()
        );
    }
    Ok(())
}

/// A client builder with callrec's defaults: its user agent, a connect timeout, and the trusted roots.
/// Callers add what their calls need (redirect policy, overall timeouts) and build.
pub fn client_builder(connect_timeout: Duration) -> reqwest::ClientBuilder {
    let mut builder = reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(connect_timeout);
    for certificate in EXTRA_ROOTS.get().into_iter().flatten() {
        builder = builder.add_root_certificate(certificate.clone());
    }
    builder
}
