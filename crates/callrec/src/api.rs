//! The HTTP API: Graph's call records resources under `/v1.0` and `/beta`, callrec's own ingestion
//! endpoints, and the documents that describe them.
//!
//! [`app`] builds the whole router from an [`AppState`]; tests drive it over loopback exactly as a client
//! would. Every response goes through [`envelope::envelope`], which adds the ids and headers Graph clients
//! expect and writes Graph's error body.

use std::sync::Arc;

use axum::Router;
use axum::extract::Request;
use std::time::Duration;

use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};
use callrec_store::Store;

use crate::auth::{self, Authenticator};
use crate::faults::{self, FaultSettings, Faults};
use crate::ingest::IngestOptions;
use crate::notify::{Notifier, NotifyConfig};
use crate::retention::{LogRetention, VisibleRecords};
use crate::throttle::{self, Limits, Throttle};

pub mod body;
pub mod call_records;
pub mod envelope;
pub mod error;
pub mod ingest;
pub mod logs;
pub mod metadata;
pub mod options;
pub mod paging;
pub mod reports;
pub mod subscriptions;
pub mod wire;

pub use error::ApiError;

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
}

impl Default for ApiConfig {
    fn default() -> Self {
        ApiConfig {
            default_tenant: DEFAULT_TENANT.to_owned(),
            max_body_bytes: 256 * 1024 * 1024,
            lenient_functions: false,
            auth: None,
            throttle: None,
            faults: FaultSettings::default(),
            retention: None,
            log_retention: LogRetention::forever(),
            scrub_after: None,
        }
    }
}

/// The tenant id used when no token names one.
pub const DEFAULT_TENANT: &str = "dc368399-474c-4d40-900c-6265431fd81f";

/// What every handler shares.
///
/// The tenant a request acts for is its [`Caller`](crate::auth::Caller)'s: take `caller: Caller` as an
/// extractor and use `caller.tenant`.
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
    pub metrics: Arc<crate::metrics::Metrics>,
}

impl AppState {
    pub fn new(store: Arc<dyn Store>, config: ApiConfig) -> Self {
        AppState {
            store,
            faults: Arc::new(Faults::new(config.faults.clone())),
            throttle: config.throttle.clone().map(|l| Arc::new(Throttle::new(l))),
            config: Arc::new(config),
            notifier: Notifier::new(NotifyConfig::default()),
            metrics: Arc::new(crate::metrics::Metrics::new()),
        }
    }

    /// The state with this notifier (its URL rules, clock and delivery settings).
    pub fn with_notifier(mut self, notifier: Arc<Notifier>) -> Self {
        self.notifier = notifier;
        self
    }

    /// How an ingestion starting now treats what it stores.
    pub fn ingest_options(&self) -> IngestOptions {
        IngestOptions::scrubbing_after(self.config.scrub_after)
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

/// Builds the whole HTTP application.
pub fn app(state: AppState) -> Router {
    let versioned = |version: ApiVersion| {
        Router::new()
            .route(
                "/communications/callRecords",
                get(call_records::list).post(ingest::post_record),
            )
            .route(
                "/communications/callRecords/{id}",
                get(call_records::get_record)
                    .put(ingest::put_record)
                    .delete(ingest::delete_record),
            )
            .route(
                "/communications/callRecords/{id}/sessions",
                get(call_records::list_sessions),
            )
            .route(
                "/communications/callRecords/{id}/sessions/{sid}",
                get(call_records::get_session),
            )
            .route(
                "/communications/callRecords/{id}/sessions/{sid}/segments",
                get(call_records::list_segments),
            )
            .route(
                "/communications/callRecords/{id}/sessions/{sid}/segments/{segid}",
                get(call_records::get_segment),
            )
            .route(
                "/communications/callRecords/{id}/participants_v2",
                get(call_records::list_participants),
            )
            .route(
                "/communications/callRecords/{id}/participants_v2/{pid}",
                get(call_records::get_participant),
            )
            .route(
                "/communications/callRecords/{id}/organizer_v2",
                get(call_records::get_organizer),
            )
            .route("/$metadata", get(metadata::csdl))
            .route(
                "/subscriptions",
                get(subscriptions::list).post(subscriptions::create),
            )
            .route(
                "/subscriptions/{id}",
                get(subscriptions::get)
                    .patch(subscriptions::update)
                    .delete(subscriptions::delete),
            )
            .route(
                "/subscriptions/{id}/reauthorize",
                post(subscriptions::reauthorize),
            )
            .layer(axum::Extension(version))
    };
    let max_body = state.config.max_body_bytes;
    let state_for_metrics = state.clone();
    Router::new()
        .nest("/v1.0", versioned(ApiVersion::V1))
        .nest("/beta", versioned(ApiVersion::Beta))
        .route("/callrec/import", post(logs::bulk_import))
        .route("/callrec/logs", post(logs::post_row))
        .route("/callrec/logs/{kind}", post(logs::post_row_of_kind))
        .route(
            "/callrec/logs/{kind}/{key}",
            get(logs::get_row).delete(logs::delete_row),
        )
        .route(
            "/callrec/callRecords/{id}/directRoutingCalls",
            get(logs::linked_rows),
        )
        .route("/callrec/reports/quality", get(reports::quality_report))
        .route(
            "/callrec/reports/quality/thresholds",
            get(reports::thresholds),
        )
        .route(
            "/callrec/buildings",
            get(reports::get_buildings).put(reports::put_buildings),
        )
        .route("/metrics", get(crate::metrics::metrics))
        .route(
            "/callrec/faults",
            get(faults::get_settings)
                .put(faults::put_settings)
                .delete(faults::clear_settings),
        )
        .route("/openapi.json", get(metadata::openapi))
        .route("/healthz", get(|| async { "ok" }))
        .fallback(unknown_resource)
        .with_state(state.clone())
        // Outermost first: who is calling, then injected faults, then throttling (which counts callers).
        .layer(from_fn_with_state(state.clone(), throttle::limit))
        .layer(from_fn_with_state(state.clone(), faults::inject))
        .layer(from_fn_with_state(state, auth::authenticate))
        .layer(axum::extract::DefaultBodyLimit::max(max_body))
        .layer(tower_http::compression::CompressionLayer::new().gzip(true))
        .layer(axum::middleware::from_fn(envelope::envelope))
        // Outermost, so that requests refused by any layer above are counted too.
        .layer(from_fn_with_state(state_for_metrics, crate::metrics::track))
}

/// Graph answers a URL it cannot map with 400 and names the segment it could not resolve.
async fn unknown_resource(request: Request) -> ApiError {
    let path = request.uri().path();
    let segment = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or(path);
    let decoded = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
    ApiError::new(
        StatusCode::BAD_REQUEST,
        error::codes::BAD_REQUEST,
        format!("Resource not found for the segment '{decoded}'."),
    )
}
