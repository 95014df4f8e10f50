//! What the edge shares between requests: the store, the settings, and the pieces each middleware
//! is given on its own.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::FromRef;
use callrec_store::Store;

use super::auth::AuthGate;
use crate::auth::Authenticator;
use crate::faults::{FaultSettings, Faults};
use crate::identity::Identity;
use crate::ingest::{IngestOptions, InputLimits};
use crate::metrics::Metrics;
use crate::notify::Notifier;
use crate::retention::{LogRetention, VisibleRecords};
use crate::throttle::{Limits, Throttle};

/// The API versions callrec serves; both serve the same resources, each with its own URLs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiVersion {
    V1,
    Beta,
}

impl ApiVersion {
    pub fn segment(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1.0",
            ApiVersion::Beta => "beta",
        }
    }
}

/// Settings of the API that are not per request. The default serves the default tenant without
/// tokens, without throttling, faults or retention: what tests and a laptop want.
#[derive(Debug, Clone)]
pub struct ApiConfig {
    /// The tenant that owns everything written and read while authentication is off.
    pub default_tenant: String,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Largest body of one record (and of any other body but a bulk import's), in bytes.
    pub max_record_bytes: usize,
    /// Accept log function calls whose two parameters lack the comma between them
    /// (`getPstnCalls(fromDateTime=...toDateTime=...)`, as one SDK sends them), which Graph refuses
    /// (`serve --lenient-functions`).
    pub lenient_functions: bool,
    /// How tokens are checked; `None` serves [`Self::default_tenant`] to everyone (`--auth none`).
    pub auth: Option<Arc<Authenticator>>,
    /// Throttling limits; `None` switches throttling off.
    pub throttle: Option<Limits>,
    /// Faults injected from the start (changeable at run time through [`AppState::faults`]).
    pub faults: FaultSettings,
    /// Records whose call ended longer ago than this are hidden and purged; `None` keeps them forever.
    pub retention: Option<Duration>,
    /// How long log rows stay, per kind.
    pub log_retention: LogRetention,
    /// Personal data is scrubbed from records and log rows this long after the call; `None` keeps it.
    pub scrub_after: Option<Duration>,
    /// The bearer token a scraper sends for `/metrics` while tokens are on (`--metrics-token`); without
    /// one, `/metrics` is closed whenever tokens are on, since its figures cover every tenant.
    pub metrics_token: Option<String>,
    /// The identity platform's sign-in endpoints (`--identity`); `None` serves none.
    pub identity: Option<Arc<Identity>>,
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            default_tenant: crate::auth::DEFAULT_TENANT.to_owned(),
            max_body_bytes: 256 * 1024 * 1024,
            max_record_bytes: super::request_body::RECORD_LIMIT,
            lenient_functions: false,
            metrics_token: None,
            identity: None,
            auth: None,
            throttle: None,
            faults: FaultSettings::default(),
            retention: None,
            log_retention: LogRetention::forever(),
            scrub_after: None,
        }
    }
}

/// What every handler shares.
///
/// The tenant a request acts for is its [`Caller`](crate::auth::Caller)'s: take `caller: Caller` as an
/// extractor and use `caller.tenant`. Each middleware takes only its own piece of the state
/// ([`FromRef`]): the authentication gate, the throttle, the faults, the metrics.
#[derive(Clone)]
pub struct AppState {
    /// Everything stored. Readers of call records go through [`AppState::records`] instead.
    pub store: Arc<dyn Store>,
    pub config: Arc<ApiConfig>,
    pub throttle: Option<Arc<Throttle>>,
    pub faults: Arc<Faults>,
    /// Checks and validates notification URLs; the same notifier delivers when the server started it.
    pub notifier: Arc<Notifier>,
    /// Request counts and latencies for `/metrics`, and the counters other parts add.
    pub metrics: Arc<Metrics>,
}

impl AppState {
    /// The state of a server over `store`, whose notifier checks subscriptions' URLs (and delivers,
    /// when started) and whose metrics the background jobs count into too.
    pub fn new(
        store: Arc<dyn Store>,
        config: ApiConfig,
        notifier: Arc<Notifier>,
        metrics: Arc<Metrics>,
    ) -> Self {
        AppState {
            store,
            faults: Arc::new(Faults::new(config.faults.clone())),
            throttle: config.throttle.clone().map(|l| Arc::new(Throttle::new(l))),
            config: Arc::new(config),
            notifier,
            metrics,
        }
    }

    /// How an ingestion starting now treats what it stores.
    pub fn ingest_options(&self) -> IngestOptions {
        let record = self.config.max_record_bytes;
        IngestOptions {
            // A line is one record; a document (an array, a page) up to eight of the largest.
            limits: InputLimits {
                line: record,
                document: record.saturating_mul(8),
            },
            ..IngestOptions::scrubbing_after(self.config.scrub_after)
        }
    }

    /// The call records a reader may see now: retention and the availability delay applied.
    /// Ingestion uses [`AppState::store`], because a writer must see what it overwrites.
    pub fn records(&self) -> VisibleRecords<'_> {
        VisibleRecords::new(
            self.store.as_ref(),
            self.config.retention,
            self.faults.availability_delay(),
        )
    }
}

impl FromRef<AppState> for AuthGate {
    fn from_ref(state: &AppState) -> Self {
        AuthGate {
            authenticator: state.config.auth.clone(),
            default_tenant: Arc::from(state.config.default_tenant.as_str()),
        }
    }
}

impl FromRef<AppState> for Option<Arc<Throttle>> {
    fn from_ref(state: &AppState) -> Self {
        state.throttle.clone()
    }
}

impl FromRef<AppState> for Arc<Faults> {
    fn from_ref(state: &AppState) -> Self {
        state.faults.clone()
    }
}

impl FromRef<AppState> for Arc<Metrics> {
    fn from_ref(state: &AppState) -> Self {
        state.metrics.clone()
    }
}
