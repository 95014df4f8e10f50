//! `callrec serve`: its options, read by clap into typed values, and the settings of the API, the
//! background jobs and the notifier they make.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;

use crate::http::{self, ApiConfig, AppState};
use crate::scrubbing::ScrubAfter;
use crate::{auth, demo, faults, identity, period, retention, storage, throttle, tls};

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on: a port (8080, on 127.0.0.1), ADDRESS:PORT (0.0.0.0:8080, [::1]:8080) or
    /// HOST:PORT (localhost:8080).
    #[arg(long, env = "CALLREC_LISTEN", default_value = "127.0.0.1:8080", value_parser = listen_addr)]
    pub listen: SocketAddr,
    /// The store: a SQLite file path (or sqlite:PATH), or a postgres:// URL.
    #[arg(long, env = "CALLREC_STORE", default_value = storage::DEFAULT_STORE)]
    pub store: String,
    /// Fill an empty store with the documentation's example records and a few thousand generated ones.
    #[arg(long)]
    pub demo: bool,
    /// Records the demo generates.
    #[arg(long, default_value_t = 3000, requires = "demo")]
    pub demo_records: u64,
    /// Accept log function calls without the comma between their two parameters
    /// (`getPstnCalls(fromDateTime=...toDateTime=...)`, as one SDK sends them), which Graph refuses.
    #[arg(long)]
    pub lenient_functions: bool,
    /// A JSON file of call quality thresholds overriding CQD's defaults (see docs/quality.md).
    #[arg(long, env = "CALLREC_QUALITY_THRESHOLDS")]
    pub quality_thresholds: Option<std::path::PathBuf>,
    /// Serve the identity platform's sign-in (client credentials, /{tenant}/oauth2/v2.0/token) for the
    /// apps of `callrec app add`, and accept the tokens it issues (beside --jwks's).
    #[arg(long, env = "CALLREC_IDENTITY")]
    pub identity: bool,
    /// Serve https with this certificate chain (PEM); needs --tls-key.
    #[arg(long, value_name = "PEM", requires = "tls_key", conflicts_with = "tls")]
    pub tls_cert: Option<std::path::PathBuf>,
    /// The private key (PEM) of --tls-cert.
    #[arg(long, value_name = "PEM", requires = "tls_cert")]
    pub tls_key: Option<std::path::PathBuf>,
    /// `dev`: serve https with a certificate for localhost and 127.0.0.1 signed by a development CA made
    /// once and kept in the store (`callrec tls ca` prints it for clients to trust).
    #[arg(long, value_enum)]
    pub tls: Option<TlsMode>,
    /// Trust this CA certificate file (PEM) too, beside the system's roots, in every outgoing call
    /// (webhooks, JWKS URLs).
    #[arg(long, env = "CALLREC_CA_FILE", value_name = "PEM")]
    pub ca_file: Option<std::path::PathBuf>,
    #[command(flatten)]
    pub guard: GuardArgs,
    #[command(flatten)]
    pub webhooks: crate::notify::WebhookArgs,
}

/// Tokens, throttling, retention and faults of `serve`.
#[derive(Debug, clap::Args)]
pub struct GuardArgs {
    /// `none` serves one default tenant without tokens; `token` requires a bearer token. Default: `token`
    /// when --jwt-secret or --jwks is given, else `none` on a loopback address (other addresses refuse to start).
    #[arg(long, env = "CALLREC_AUTH", value_enum)]
    pub auth: Option<AuthMode>,
    /// Shared secret for HS256 tokens (local development); see `callrec token`.
    #[arg(long, env = "CALLREC_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// JWKS file or URL with the RS256 signing keys (e.g. https://login.microsoftonline.com/common/discovery/v2.0/keys).
    #[arg(long, env = "CALLREC_JWKS")]
    pub jwks: Option<auth::JwksSource>,
    /// Accepted token audience (repeatable). Default: Graph's (https://graph.microsoft.com and its app id).
    #[arg(long)]
    pub audience: Vec<String>,
    /// Accepted token issuer (repeatable); `{tenantid}` stands for the token's tid. Default: any.
    #[arg(long)]
    pub issuer: Vec<String>,
    /// Bearer token a Prometheus scraper sends for /metrics while tokens are on (its figures cover every
    /// tenant, so without this token /metrics is closed when tokens are on).
    #[arg(long, env = "CALLREC_METRICS_TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
    /// The tenant served with --auth none.
    #[arg(long, default_value = crate::auth::DEFAULT_TENANT)]
    pub default_tenant: String,
    /// Graph's throttling limits: on or off. Default: on with tokens, off with --auth none.
    #[arg(long, value_enum)]
    pub throttle: Option<Switch>,
    /// Change one limit, e.g. record=40/20s (repeatable). Names: app, tenant, app-tenant, record, list,
    /// pstn-tenant, pstn-app-tenant.
    #[arg(long = "throttle-limit", value_name = "NAME=N/WINDOW")]
    pub throttle_limits: Vec<throttle::LimitSetting>,
    /// Hide and purge records whose call ended longer ago than this (30d as Graph, 12h, ...), or `forever`.
    /// Default: 30d with tokens, forever with --auth none or --demo.
    #[arg(long, value_name = "PERIOD")]
    pub retention: Option<retention::RetentionPeriod>,
    /// Hide and purge log rows older than this: `400d` or `forever` for every kind, or `KIND=PERIOD`
    /// (pstnCall, directRoutingCall, sms, pstnBlockedUser; repeatable). Default: Graph's (PSTN, SMS and
    /// blocked users 365d, direct routing 150d) with tokens, forever with --auth none or --demo.
    #[arg(long = "log-retention", value_name = "[KIND=]PERIOD")]
    pub log_retention: Vec<retention::LogRetentionSetting>,
    /// Scrub personal data (names, phone numbers, IP and MAC addresses) from records and log rows this
    /// long after the call (e.g. 28d, as Teams' Call Quality Dashboard), keeping the quality data; or
    /// `never`. Default: never.
    #[arg(long, value_name = "PERIOD")]
    pub scrub_after: Option<ScrubAfter>,
    /// Fault injection: probability (0-1) of answering a Graph request with an error.
    #[arg(long, default_value_t = 0.0, value_parser = probability)]
    pub fault_rate: f64,
    /// Fault injection: the statuses drawn from.
    #[arg(long, value_delimiter = ',', default_value = "429,500,502,503,504")]
    pub fault_statuses: Vec<u16>,
    /// Fault injection: Retry-After of an injected error, in seconds.
    #[arg(long, default_value_t = 2)]
    pub fault_retry_after: u64,
    /// Fault injection: latency added to every Graph request (e.g. 200ms).
    #[arg(long, value_name = "DURATION", value_parser = period::duration_arg)]
    pub fault_latency: Option<Duration>,
    /// Fault injection: a further random latency of up to this much.
    #[arg(long, value_name = "DURATION", value_parser = period::duration_arg)]
    pub fault_jitter: Option<Duration>,
    /// Fault injection: hide each record until its call ended this long ago (Graph: 30m, at most 150m).
    #[arg(long, value_name = "DURATION", value_parser = period::duration_arg)]
    pub availability_delay: Option<Duration>,
}

/// `--auth`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum AuthMode {
    /// Serve the default tenant without tokens.
    None,
    /// Require a bearer token.
    Token,
}

/// `--tls`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TlsMode {
    /// The store's development CA and its certificate for localhost and 127.0.0.1.
    Dev,
}

/// `--throttle`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Switch {
    On,
    Off,
}

fn millis(d: Option<Duration>) -> u64 {
    d.map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// `--listen`: a bare port is on 127.0.0.1 (the loopback address, as the default); a host name is
/// resolved, its first IPv4 address preferred (as `localhost` means 127.0.0.1 to most people).
pub fn listen_addr(s: &str) -> Result<SocketAddr, String> {
    const FORMS: &str = "give a port (8080, on 127.0.0.1), ADDRESS:PORT (127.0.0.1:8080, \
                         0.0.0.0:8080 for every interface, [::1]:8080) or HOST:PORT (localhost:8080)";
    let s = s.trim();
    let port = |p: &str| p.parse::<u16>().ok();
    if let Some(p) = port(s.strip_prefix(':').unwrap_or(s)) {
        return Ok(SocketAddr::from(([127, 0, 0, 1], p)));
    }
    if let Ok(addr) = s.parse::<SocketAddr>() {
        return Ok(addr);
    }
    let Some((host, p)) = s
        .rsplit_once(':')
        .filter(|(h, _)| !h.is_empty() && !s.ends_with(']'))
    else {
        return Err(format!("'{s}' names no port; {FORMS}"));
    };
    let Some(p) = port(p) else {
        return Err(format!(
            "'{p}' in '{s}' is not a port (0 to 65535); {FORMS}"
        ));
    };
    if host.contains(':') && !host.starts_with('[') {
        return Err(format!(
            "'{s}' is an IPv6 address without brackets; write it as [{host}]:{p}, or {FORMS}"
        ));
    }
    let addrs: Vec<SocketAddr> = std::net::ToSocketAddrs::to_socket_addrs(&(host, p))
        .map_err(|e| format!("cannot resolve the host '{host}' of '{s}' ({e}); {FORMS}"))?
        .collect();
    addrs
        .iter()
        .find(|a| a.is_ipv4())
        .or(addrs.first())
        .copied()
        .ok_or_else(|| format!("the host '{host}' of '{s}' has no address; {FORMS}"))
}

/// A probability from 0 to 1.
fn probability(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
        _ => Err(format!(
            "'{s}' is not a probability from 0 to 1 (0.05 for 5%)"
        )),
    }
}

pub(super) async fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    crate::reports::configure_thresholds(args.quality_thresholds.as_deref())?;
    if let Some(path) = &args.ca_file {
        crate::outbound::trust_ca_file(path)?;
    }
    let store = storage::open(&args.store).await?;
    let tls_source = match (&args.tls_cert, &args.tls_key, args.tls) {
        (Some(cert), Some(key), _) => Some(tls::TlsSource::Files {
            cert: cert.clone(),
            key: key.clone(),
        }),
        (_, _, Some(TlsMode::Dev)) => Some(tls::TlsSource::Dev),
        _ => None,
    };
    let tls_config = match &tls_source {
        Some(source) => Some(
            tls::server_config(source, store.as_ref())
                .await
                .context("cannot set up https")?,
        ),
        None => None,
    };
    let scheme = if tls_config.is_some() {
        "https"
    } else {
        "http"
    };
    if args.demo {
        demo::fill_if_empty(&store, &args.guard.default_tenant, args.demo_records).await?;
    }
    crate::reports::spawn_report_preparation(store.clone());
    let identity = if args.identity {
        let key = identity::SigningKey::of_store(store.as_ref()).await?;
        Some(Arc::new(identity::Identity::new(store.clone(), key)))
    } else {
        None
    };
    let mut config = api_config(&args, identity.as_deref()).await?;
    config.identity = identity;
    let metrics = Arc::new(crate::metrics::Metrics::new());
    if config.retention.is_some() || config.log_retention.purges() {
        retention::spawn_purge(
            store.clone(),
            config.retention,
            config.log_retention,
            retention::PURGE_INTERVAL,
            metrics.clone(),
        );
    }
    if let Some(after) = config.scrub_after {
        crate::scrubbing::spawn_scrub(
            store.clone(),
            after,
            crate::scrubbing::SCRUB_INTERVAL,
            metrics.clone(),
        );
    }
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let addr = listener.local_addr()?;
    tracing::info!(%addr, store = %storage::describe(&args.store), "callrec is serving {scheme}://{addr}/v1.0/communications/callRecords");
    if tls_source == Some(tls::TlsSource::Dev) {
        tracing::info!(
            "https with the development certificate for localhost and 127.0.0.1; clients trust its CA, printed by: callrec tls ca --store {}",
            storage::describe(&args.store)
        );
    }
    if args.identity {
        tracing::info!(
            "sign-in is on (--identity): the apps of `callrec app add` get tokens at {scheme}://{addr}/{{tenant}}/oauth2/v2.0/token (authority {scheme}://{addr})"
        );
    }
    let notifier = crate::notify::Notifier::new(args.webhooks.config(args.demo));
    notifier.set_listen_addr(addr);
    let _deliveries = notifier.start(store.clone());
    let state = AppState::new(store, config, notifier, metrics);
    match tls_config {
        Some(tls) => http::serve_tls(listener, state, tls, shutdown_signal()).await?,
        None => http::serve(listener, state, shutdown_signal()).await?,
    }
    tracing::info!("callrec stopped");
    Ok(ExitCode::SUCCESS)
}

/// Reads the token, throttling, retention and fault flags into the API's settings.
async fn api_config(
    args: &ServeArgs,
    identity: Option<&identity::Identity>,
) -> anyhow::Result<ApiConfig> {
    let g = &args.guard;
    let settings = auth::TokenSettings {
        hs256_secret: g.jwt_secret.clone(),
        jwks: g.jwks.clone(),
        issued_jwks: identity.map(|i| i.jwks().to_owned()),
        audiences: g.audience.clone(),
        issuers: g.issuer.clone(),
        leeway: None,
        jwks_refresh: None,
    };
    let auth = match (g.auth, settings.is_configured()) {
        (Some(AuthMode::None), _) => {
            tracing::warn!(tenant = %g.default_tenant, "AUTHENTICATION IS OFF (--auth none): every client acts for the default tenant with every permission");
            None
        }
        (_, true) => {
            let authenticator = auth::Authenticator::new(&settings)
                .await
                .context("cannot set up token checking")?;
            tracing::info!("bearer tokens required: {authenticator}");
            Some(Arc::new(authenticator))
        }
        (Some(_), false) => {
            anyhow::bail!("--auth token needs --jwt-secret (or CALLREC_JWT_SECRET) or --jwks")
        }
        (None, false) if args.listen.ip().is_loopback() => {
            tracing::warn!(tenant = %g.default_tenant, "AUTHENTICATION IS OFF: no --jwt-secret or --jwks given, so this loopback server serves the default tenant to every client without tokens");
            None
        }
        (None, false) => anyhow::bail!(
            "refusing to serve {} without tokens: give --jwt-secret or --jwks, or --auth none to serve everyone as the default tenant",
            args.listen
        ),
    };
    let throttle_on = match g.throttle {
        Some(switch) => switch == Switch::On,
        None => auth.is_some(),
    };
    let throttle = if throttle_on {
        let mut limits = throttle::Limits::default();
        for setting in &g.throttle_limits {
            limits.apply(setting);
        }
        tracing::info!("throttling: {limits}");
        Some(limits)
    } else {
        None
    };
    // Graph's 30 days come with Graph's tokens; a server without tokens is a local store, where data
    // imported from an archive or the demo's documentation examples must not vanish on start.
    let retention = match g.retention {
        Some(retention::RetentionPeriod(period)) => period,
        None if auth.is_some() && !args.demo => Some(retention::GRAPH_RETENTION),
        None => None,
    };
    match retention {
        Some(period) => tracing::info!(
            days = period.as_secs_f64() / 86400.0,
            "records are hidden, and purged in the background, once their call ended longer ago than the retention period (--retention forever keeps them)"
        ),
        None => tracing::info!("records are kept forever"),
    }
    let mut log_retention = if auth.is_some() && !args.demo {
        retention::LogRetention::graph()
    } else {
        retention::LogRetention::forever()
    };
    for setting in &g.log_retention {
        log_retention.apply(*setting);
    }
    let days = |kind| {
        log_retention.period(kind).map_or_else(
            || "forever".to_owned(),
            |p| format!("{}d", p.as_secs_f64() / 86400.0),
        )
    };
    tracing::info!(
        pstn = %days(callrec_model::logs::LogKind::PstnCall),
        direct_routing = %days(callrec_model::logs::LogKind::DirectRouting),
        sms = %days(callrec_model::logs::LogKind::Sms),
        blocked_users = %days(callrec_model::logs::LogKind::PstnBlockedUser),
        "log rows are kept for these periods (--log-retention)"
    );
    let scrub_after = g.scrub_after.and_then(|ScrubAfter(period)| period);
    if let Some(after) = scrub_after {
        tracing::info!(
            days = after.as_secs_f64() / 86400.0,
            "personal data is scrubbed from records and log rows this long after the call (--scrub-after)"
        );
    }
    let fault_settings = faults::FaultSettings {
        error_rate: g.fault_rate,
        error_statuses: g.fault_statuses.clone(),
        retry_after_seconds: g.fault_retry_after,
        latency_ms: millis(g.fault_latency),
        latency_jitter_ms: millis(g.fault_jitter),
        availability_delay_seconds: g.availability_delay.unwrap_or_default().as_secs(),
        seed: None,
    };
    fault_settings.validate().map_err(anyhow::Error::msg)?;
    if fault_settings != faults::FaultSettings::default() {
        tracing::warn!("fault injection is on: {fault_settings}");
    }
    Ok(ApiConfig {
        default_tenant: g.default_tenant.clone(),
        auth,
        throttle,
        faults: fault_settings,
        retention,
        log_retention,
        scrub_after,
        lenient_functions: args.lenient_functions,
        metrics_token: g.metrics_token.clone(),
        ..ApiConfig::default()
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
