//! The one HTTP client configuration for everything callrec calls out to: JWKS URLs, webhooks, and the
//! receivers `callrec webhook-listen` forwards to. One client crate (reqwest, async, rustls) means one TLS
//! stack, one set of trusted roots and one place to add an operator's certificate authority.

use std::time::Duration;

/// What callrec says it is, on every request it sends.
pub const USER_AGENT: &str = concat!("callrec/", env!("CARGO_PKG_VERSION"));

/// A client builder with callrec's defaults: its user agent and a connect timeout. Callers add what
/// their calls need (redirect policy, overall timeouts) and build.
pub fn client_builder(connect_timeout: Duration) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .user_agent(USER_AGENT)
        .connect_timeout(connect_timeout)
}
