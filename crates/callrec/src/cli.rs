//! The command line: `callrec serve`, `callrec import`, `callrec generate`, `callrec token`.

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};

use crate::generate::GeneratorConfig;
use crate::http::{self, ApiConfig, AppState};
use crate::ingest::{self, IngestSummary};
use crate::{auth, demo, faults, retention, storage, throttle};
use callrec_model::edm::parse_date;

#[derive(Debug, Parser)]
#[command(
    name = "callrec",
    version,
    about = "A Microsoft Graph call records service: the Graph v1.0 read API, ingestion and storage."
)]
pub struct Cli {
    /// Log more (repeat for even more). RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the Graph call records API over HTTP.
    Serve(Box<ServeArgs>),
    /// Import call records from NDJSON, a JSON array or a Graph collection page (gzip detected).
    Import(ImportArgs),
    /// Generate realistic call records, to a file or straight into a store.
    Generate(GenerateArgs),
    /// Print a development token (HS256) for a server started with the same --jwt-secret.
    Token(TokenArgs),
    /// Receive change notifications locally: answer validation, check clientState, print each one.
    WebhookListen(crate::http::webhook_listen::WebhookListenArgs),
    /// Bring a store's schema up to date (serving does it too, at start).
    Migrate(crate::migrate_store::MigrateArgs),
    /// Copy tenants' data from one store to another (e.g. from SQLite to PostgreSQL).
    MigrateStore(crate::migrate_store::MigrateStoreArgs),
    /// Print a call quality report (poor stream rates by day, user, subnet...) from a store.
    Report(crate::report::ReportArgs),
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "CALLREC_LISTEN", default_value = "127.0.0.1:8080")]
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
    #[arg(long, env = "CALLREC_AUTH", value_parser = ["none", "token"])]
    pub auth: Option<String>,
    /// Shared secret for HS256 tokens (local development); see `callrec token`.
    #[arg(long, env = "CALLREC_JWT_SECRET", hide_env_values = true)]
    pub jwt_secret: Option<String>,
    /// JWKS file or URL with the RS256 signing keys (e.g. https://login.microsoftonline.com/common/discovery/v2.0/keys).
    #[arg(long, env = "CALLREC_JWKS")]
    pub jwks: Option<String>,
    /// Accepted token audience (repeatable). Default: Graph's (https://graph.microsoft.com and its app id).
    #[arg(long)]
    pub audience: Vec<String>,
    /// Accepted token issuer (repeatable); `{tenantid}` stands for the token's tid. Default: any.
    #[arg(long)]
    pub issuer: Vec<String>,
    /// The tenant served with --auth none.
    #[arg(long, default_value = crate::auth::DEFAULT_TENANT)]
    pub default_tenant: String,
    /// Graph's throttling limits: on or off. Default: on with tokens, off with --auth none.
    #[arg(long, value_parser = ["on", "off"])]
    pub throttle: Option<String>,
    /// Change one limit, e.g. record=40/20s (repeatable). Names: app, tenant, app-tenant, record, list,
    /// pstn-tenant, pstn-app-tenant.
    #[arg(long = "throttle-limit", value_name = "NAME=N/WINDOW")]
    pub throttle_limits: Vec<String>,
    /// Hide and purge records whose call ended longer ago than this (30d as Graph, 12h, ...), or `forever`.
    /// Default: 30d with tokens, forever with --auth none or --demo.
    #[arg(long)]
    pub retention: Option<String>,
    /// Hide and purge log rows older than this: `400d` or `forever` for every kind, or `KIND=PERIOD`
    /// (pstnCall, directRoutingCall, sms, pstnBlockedUser; repeatable). Default: Graph's (PSTN, SMS and
    /// blocked users 365d, direct routing 150d) with tokens, forever with --auth none or --demo.
    #[arg(long = "log-retention", value_name = "[KIND=]PERIOD")]
    pub log_retention: Vec<String>,
    /// Scrub personal data (names, phone numbers, IP and MAC addresses) from records and log rows this
    /// long after the call (e.g. 28d, as Teams' Call Quality Dashboard), keeping the quality data; or
    /// `never`. Default: never.
    #[arg(long, value_name = "PERIOD")]
    pub scrub_after: Option<String>,
    /// Fault injection: probability (0-1) of answering a Graph request with an error.
    #[arg(long, default_value_t = 0.0)]
    pub fault_rate: f64,
    /// Fault injection: the statuses drawn from.
    #[arg(long, value_delimiter = ',', default_value = "429,500,502,503,504")]
    pub fault_statuses: Vec<u16>,
    /// Fault injection: Retry-After of an injected error, in seconds.
    #[arg(long, default_value_t = 2)]
    pub fault_retry_after: u64,
    /// Fault injection: latency added to every Graph request (e.g. 200ms).
    #[arg(long)]
    pub fault_latency: Option<String>,
    /// Fault injection: a further random latency of up to this much.
    #[arg(long)]
    pub fault_jitter: Option<String>,
    /// Fault injection: hide each record until its call ended this long ago (Graph: 30m, at most 150m).
    #[arg(long)]
    pub availability_delay: Option<String>,
}

#[derive(Debug, clap::Args)]
pub struct TokenArgs {
    /// The server's --jwt-secret.
    #[arg(long, env = "CALLREC_JWT_SECRET", hide_env_values = true)]
    pub secret: String,
    /// The tenant (tid) the token speaks for.
    #[arg(long, default_value = crate::auth::DEFAULT_TENANT)]
    pub tenant: String,
    /// Application permissions (roles), comma-separated.
    #[arg(long, value_delimiter = ',', default_value = auth::CALL_RECORDS_READ)]
    pub roles: Vec<String>,
    /// The application id (appid).
    #[arg(long, default_value = "11111111-1111-1111-1111-111111111111")]
    pub app: String,
    /// The audience (aud).
    #[arg(long, default_value = auth::GRAPH_AUDIENCES[0])]
    pub audience: String,
    /// Lifetime in seconds.
    #[arg(long, default_value_t = 3600)]
    pub expires_in: u64,
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The store to import into.
    #[arg(long, env = "CALLREC_STORE", default_value = storage::DEFAULT_STORE)]
    pub store: String,
    /// The tenant that will own the records.
    #[arg(long, default_value = crate::auth::DEFAULT_TENANT)]
    pub tenant: String,
    /// What the files hold: callRecord, pstnCall, directRoutingCall, sms or pstnBlockedUser. Default: read
    /// from each file (log rows are told by their @odata.type or a Graph page's @odata.context).
    #[arg(long)]
    pub kind: Option<String>,
    /// Scrub the personal data of records whose call ended, and of log rows, longer ago than this (e.g.
    /// 28d) before storing them, as `serve --scrub-after` does.
    #[arg(long, value_name = "PERIOD")]
    pub scrub_after: Option<String>,
    /// Files to import; `-` reads standard input.
    #[arg(required = true)]
    pub files: Vec<String>,
}

#[derive(Debug, clap::Args)]
pub struct GenerateArgs {
    /// How many call records to make.
    #[arg(long)]
    pub records: u64,
    /// Seed: the same seed always makes the same records.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// First day of the calls (YYYY-MM-DD, UTC); default: `--days` days before today.
    #[arg(long)]
    pub start: Option<String>,
    /// Days the calls spread over.
    #[arg(long, default_value_t = 30)]
    pub days: u32,
    /// Tenant id written into the records.
    #[arg(long, default_value = crate::auth::DEFAULT_TENANT)]
    pub tenant: String,
    /// Users in the simulated organization.
    #[arg(long, default_value_t = 500)]
    pub users: u32,
    /// Write NDJSON to this file (`-` for standard output).
    #[arg(long, conflicts_with = "store", required_unless_present = "store")]
    pub out: Option<String>,
    /// Import straight into this store instead (with the log rows of the PSTN calls).
    #[arg(long)]
    pub store: Option<String>,
    /// Also write the PSTN and direct-routing log rows of the generated PSTN calls, as NDJSON, to this file.
    #[arg(long)]
    pub pstn_out: Option<String>,
}

pub fn init_logging(verbose: u8) {
    let default = match verbose {
        0 => "info",
        1 => "debug",
        _ => "trace",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .init();
}

pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Serve(args) => serve(*args).await,
        Command::Import(args) => import(args).await,
        Command::Generate(args) => generate(args).await,
        Command::Token(args) => token(&args),
        Command::WebhookListen(args) => crate::http::webhook_listen::run(args).await,
        Command::Migrate(args) => crate::migrate_store::migrate(args).await,
        Command::MigrateStore(args) => crate::migrate_store::migrate_store(args).await,
        Command::Report(args) => crate::report::run(args).await,
    }
}

async fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    crate::reports::configure_thresholds(args.quality_thresholds.as_deref())?;
    let store = storage::open(&args.store).await?;
    if args.demo {
        demo::fill_if_empty(&store, &args.guard.default_tenant, args.demo_records).await?;
    }
    crate::reports::spawn_report_preparation(store.clone());
    let config = api_config(&args).await?;
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
    tracing::info!(%addr, store = %args.store, "callrec is serving http://{addr}/v1.0/communications/callRecords");
    let notifier = crate::notify::Notifier::new(args.webhooks.config(args.demo));
    notifier.set_listen_addr(addr);
    let _deliveries = notifier.start(store.clone());
    let state = AppState::new(store, config, notifier, metrics);
    axum::serve(listener, http::app(state))
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    tracing::info!("callrec stopped");
    Ok(ExitCode::SUCCESS)
}

/// Reads the token, throttling, retention and fault flags into the API's settings.
async fn api_config(args: &ServeArgs) -> anyhow::Result<ApiConfig> {
    let g = &args.guard;
    let settings = auth::TokenSettings {
        hs256_secret: g.jwt_secret.clone(),
        jwks: g.jwks.as_deref().map(auth::JwksSource::parse),
        audiences: g.audience.clone(),
        issuers: g.issuer.clone(),
        leeway: None,
        jwks_refresh: None,
    };
    let auth = match (g.auth.as_deref(), settings.is_configured()) {
        (Some("none"), _) => {
            tracing::warn!(tenant = %g.default_tenant, "AUTHENTICATION IS OFF (--auth none): every client acts for the default tenant with every permission");
            None
        }
        (_, true) => {
            let authenticator =
                tokio::task::spawn_blocking(move || auth::Authenticator::new(&settings))
                    .await?
                    .context("cannot set up token checking")?;
            tracing::info!(?authenticator, "bearer tokens required");
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
    let throttle_on = match g.throttle.as_deref() {
        Some(v) => v == "on",
        None => auth.is_some(),
    };
    let throttle = if throttle_on {
        let mut limits = throttle::Limits::default();
        for setting in &g.throttle_limits {
            limits.set(setting).map_err(anyhow::Error::msg)?;
        }
        tracing::info!(?limits, "throttling with Graph's limits");
        Some(limits)
    } else {
        None
    };
    // Graph's 30 days come with Graph's tokens; a server without tokens is a local store, where data
    // imported from an archive or the demo's documentation examples must not vanish on start.
    let retention = match &g.retention {
        Some(text) => retention::parse_retention(text).map_err(anyhow::Error::msg)?,
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
        log_retention
            .set(setting)
            .map_err(|e| anyhow::anyhow!("--log-retention {setting}: {e}"))?;
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
    let scrub_after = match &g.scrub_after {
        Some(text) => crate::scrubbing::parse_scrub_after(text).map_err(anyhow::Error::msg)?,
        None => None,
    };
    if let Some(after) = scrub_after {
        tracing::info!(
            days = after.as_secs_f64() / 86400.0,
            "personal data is scrubbed from records and log rows this long after the call (--scrub-after)"
        );
    }
    let duration = |name: &str, value: &Option<String>| -> anyhow::Result<std::time::Duration> {
        value.as_deref().map_or(Ok(std::time::Duration::ZERO), |v| {
            throttle::parse_duration(v)
                .with_context(|| format!("--{name} {v}: not a duration like 200ms, 30s or 30m"))
        })
    };
    let fault_settings = faults::FaultSettings {
        error_rate: g.fault_rate,
        error_statuses: g.fault_statuses.clone(),
        retry_after_seconds: g.fault_retry_after,
        latency_ms: duration("fault-latency", &g.fault_latency)?.as_millis() as u64,
        latency_jitter_ms: duration("fault-jitter", &g.fault_jitter)?.as_millis() as u64,
        availability_delay_seconds: duration("availability-delay", &g.availability_delay)?
            .as_secs(),
        seed: None,
    };
    fault_settings.validate().map_err(anyhow::Error::msg)?;
    if fault_settings != faults::FaultSettings::default() {
        tracing::warn!(?fault_settings, "fault injection is on");
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
        ..ApiConfig::default()
    })
}

fn token(args: &TokenArgs) -> anyhow::Result<ExitCode> {
    let token = auth::dev_token(
        &args.secret,
        &auth::DevToken {
            tenant: args.tenant.clone(),
            app: args.app.clone(),
            roles: args.roles.clone(),
            audience: args.audience.clone(),
            lifetime: Duration::from_secs(args.expires_in),
        },
    )?;
    println!("{token}");
    Ok(ExitCode::SUCCESS)
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

fn progress_bar(total_bytes: Option<u64>) -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = match total_bytes {
        Some(n) => ProgressBar::new(n),
        None => ProgressBar::new_spinner(),
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

async fn import(args: ImportArgs) -> anyhow::Result<ExitCode> {
    let scrub_after = match &args.scrub_after {
        Some(text) => crate::scrubbing::parse_scrub_after(text).map_err(anyhow::Error::msg)?,
        None => None,
    };
    let options = ingest::IngestOptions::scrubbing_after(scrub_after);
    let store = storage::open(&args.store).await?;
    let started = Instant::now();
    let mut total = IngestSummary::default();
    for file in &args.files {
        let (reader, size): (Box<dyn std::io::Read + Send>, Option<u64>) = if file == "-" {
            (Box::new(std::io::stdin()), None)
        } else {
            let f = std::fs::File::open(file).with_context(|| format!("cannot open {file}"))?;
            let size = f.metadata().ok().map(|m| m.len());
            (Box::new(f), size)
        };
        let bar = progress_bar(size);
        let counted = CountingReader {
            inner: reader,
            bar: bar.clone(),
        };
        let input = ingest::maybe_gunzip(counted).with_context(|| format!("cannot read {file}"))?;
        let summary = ingest::ingest_any(
            store.clone(),
            &args.tenant,
            input,
            args.kind.as_deref(),
            options,
            |s| {
                bar.set_message(format!("{} records", s.records_seen()));
                // Each call follows a durable commit: the log says how far an interrupted import got.
                tracing::debug!(records = s.records_seen(), "import: committed");
            },
        )
        .await
        .with_context(|| format!("import of {file} failed"))?;
        bar.finish_and_clear();
        print_summary(file, &summary);
        merge(&mut total, summary);
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "total: {} imported, {} replaced, {} ignored as stale, {} rejected, {} warnings in {:.2}s ({:.0} records/s, {:.1} MB/s)",
        total.imported,
        total.replaced,
        total.ignored_stale,
        total.rejected,
        total.warnings,
        secs,
        total.records_seen() as f64 / secs.max(1e-9),
        total.bytes as f64 / 1e6 / secs.max(1e-9),
    );
    Ok(if total.rejected > 0 {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

fn print_summary(file: &str, s: &IngestSummary) {
    println!(
        "{file}: {} imported, {} replaced, {} ignored as stale, {} rejected, {} warnings",
        s.imported, s.replaced, s.ignored_stale, s.rejected, s.warnings
    );
    for r in s.rejections.iter().take(20) {
        println!("  line {}: {}: {}", r.line, r.path, r.message);
    }
    if s.rejected > 20 {
        println!("  ... and {} more rejected", s.rejected - 20);
    }
}

fn merge(total: &mut IngestSummary, s: IngestSummary) {
    total.imported += s.imported;
    total.replaced += s.replaced;
    total.ignored_stale += s.ignored_stale;
    total.rejected += s.rejected;
    total.warnings += s.warnings;
    total.bytes += s.bytes;
}

/// Advances a progress bar by the bytes read through it.
struct CountingReader {
    inner: Box<dyn std::io::Read + Send>,
    bar: ProgressBar,
}

impl std::io::Read for CountingReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}

async fn generate(args: GenerateArgs) -> anyhow::Result<ExitCode> {
    let config = generator_config(&args)?;
    let generator = Arc::new(crate::generate::Generator::new(config));
    let started = Instant::now();
    match (&args.out, &args.store) {
        (Some(out), _) => {
            let bar = progress_bar(None);
            let records = args.records;
            let out = out.clone();
            let generator = generator.clone();
            let summary = tokio::task::spawn_blocking(move || -> anyhow::Result<_> {
                let writer: Box<dyn std::io::Write> = if out == "-" {
                    Box::new(std::io::stdout().lock())
                } else {
                    Box::new(
                        std::fs::File::create(&out)
                            .with_context(|| format!("cannot create {out}"))?,
                    )
                };
                let writer = std::io::BufWriter::with_capacity(1 << 20, writer);
                let bar2 = bar.clone();
                let summary = generator.write_ndjson(writer, move |n| {
                    bar2.set_message(format!("{n}/{records} records"))
                })?;
                bar.finish_and_clear();
                Ok(summary)
            })
            .await??;
            eprintln!(
                "generated {summary:?} in {:.2}s",
                started.elapsed().as_secs_f64()
            );
        }
        (None, Some(store)) => {
            let store = storage::open(store).await?;
            let summary = demo::generate_into(&store, generator.clone(), &args.tenant).await?;
            print_summary("generated", &summary);
            let logs =
                crate::generate::logs::generate_logs_into(&store, generator.clone(), &args.tenant)
                    .await?;
            print_summary("log rows", &logs);
            eprintln!("in {:.2}s", started.elapsed().as_secs_f64());
        }
        (None, None) => unreachable!("clap requires --out or --store"),
    }
    if let Some(path) = &args.pstn_out {
        let path = path.clone();
        let summary = tokio::task::spawn_blocking(move || {
            crate::generate::logs::write_log_file(&generator, &path)
        })
        .await??;
        eprintln!("log rows: {summary:?}");
    }
    Ok(ExitCode::SUCCESS)
}

/// The generator settings a `callrec generate` command line asks for.
fn generator_config(args: &GenerateArgs) -> anyhow::Result<GeneratorConfig> {
    let start = match &args.start {
        Some(s) => parse_date(s).map_err(|e| anyhow::anyhow!("--start: {e}"))?,
        None => demo::days_before_today(args.days),
    };
    Ok(GeneratorConfig {
        records: args.records,
        seed: args.seed,
        start,
        days: args.days,
        tenant_id: args.tenant.clone(),
        users: args.users,
    })
}
