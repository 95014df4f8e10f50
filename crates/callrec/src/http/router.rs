//! The router: every URL callrec answers, and the layers every request passes through.

use std::sync::Arc;

use axum::Router;
use axum::extract::{FromRef, Request};
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::routing::{get, post};

use super::auth::AuthGate;
use super::batch::{self, Batcher};
use super::error::{ApiError, codes};
use super::request_body::BodyLimits;
use super::state::{ApiVersion, AppState};
use super::{call_records, envelope, export, logs, metadata, records, reports, subscriptions, ui};
use crate::faults::Faults;
use crate::metrics::Metrics;
use crate::throttle::Throttle;

/// Builds the whole HTTP application: `$batch` in front of [`graph`], which answers everything else.
///
/// A batch's requests are sent to a clone of [`graph`] as requests of their own, so each passes every
/// layer there (authentication, faults, throttling, envelope, metrics) and none can reach `$batch` again.
/// The batch itself passes authentication, the body limit, compression, the envelope and metrics; it is
/// neither faulted nor throttled, since its requests are.
pub fn app(state: AppState) -> Router {
    let max_body = state.config.max_body_bytes;
    let gate = AuthGate::from_ref(&state);
    let metrics = Arc::<Metrics>::from_ref(&state);
    // A batch body is held whole, so it has the limit of one record (and a budget of its own).
    let batch_limits = BodyLimits::new(state.config.max_record_bytes, max_body);
    let identity = state.config.identity.clone();
    let graph = graph(state);
    let batches = |version: ApiVersion| {
        Router::new()
            .route("/$batch", post(batch::run))
            .layer(axum::Extension(version))
    };
    let app = Router::new()
        .nest("/v1.0", batches(ApiVersion::V1))
        .nest("/beta", batches(ApiVersion::Beta))
        .with_state(Batcher::new(graph.clone()))
        .layer(from_fn_with_state(batch_limits, super::request_body::admit))
        .layer(from_fn_with_state(gate, super::auth::authenticate))
        .layer(axum::extract::DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn(super::request_body::read_ahead))
        .layer(tower_http::compression::CompressionLayer::new().gzip(true))
        .layer(axum::middleware::from_fn(envelope::envelope))
        .layer(from_fn_with_state(metrics, super::metrics::track));
    // The sign-in endpoints answer as the identity platform does, outside Graph's layers.
    let app = match identity {
        Some(identity) => app.merge(super::identity::routes(identity)),
        None => app,
    };
    // Added after the layers, so a request for anything but `$batch` meets only `graph`'s own.
    app.fallback_service(graph)
}

/// Every resource but `$batch`, with the layers every request passes through.
fn graph(state: AppState) -> Router {
    let versioned = |version: ApiVersion| {
        Router::new()
            .route(
                "/communications/callRecords",
                get(call_records::list).post(records::post_record),
            )
            .route(
                "/communications/callRecords/{id}",
                get(call_records::get_record)
                    .put(records::put_record)
                    .delete(records::delete_record),
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
            .layer(axum::middleware::from_fn(
                super::function_methods::allow_get_only,
            ))
    };
    let max_body = state.config.max_body_bytes;
    let gate = AuthGate::from_ref(&state);
    let throttle = Option::<Arc<Throttle>>::from_ref(&state);
    let faults = Arc::<Faults>::from_ref(&state);
    let metrics = Arc::<Metrics>::from_ref(&state);
    let body_limits = BodyLimits::new(state.config.max_record_bytes, max_body);
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
        .route("/callrec/export/{table}", get(export::export_table))
        .route("/callrec/reports/quality", get(reports::quality_report))
        .route(
            "/callrec/reports/quality/thresholds",
            get(reports::thresholds),
        )
        .route(
            "/callrec/buildings",
            get(reports::get_buildings).put(reports::put_buildings),
        )
        .route("/metrics", get(super::metrics::metrics))
        .route(
            "/callrec/faults",
            get(super::faults::get_settings)
                .put(super::faults::put_settings)
                .delete(super::faults::clear_settings),
        )
        .route("/openapi.json", get(metadata::openapi))
        .route("/healthz", get(|| async { "ok" }))
        .route("/", get(ui::page))
        .route("/ui/{file}", get(ui::file))
        .fallback(unknown_resource)
        .with_state(state)
        .layer(from_fn_with_state(body_limits, super::request_body::admit))
        // Outermost first: who is calling, then injected faults, then throttling (which counts callers).
        .layer(from_fn_with_state(throttle, super::throttle::limit))
        .layer(from_fn_with_state(faults, super::faults::inject))
        .layer(from_fn_with_state(gate, super::auth::authenticate))
        .layer(axum::extract::DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn(super::request_body::read_ahead))
        .layer(tower_http::compression::CompressionLayer::new().gzip(true))
        .layer(axum::middleware::from_fn(envelope::envelope))
        // Outermost, so that requests refused by any layer above are counted too.
        .layer(from_fn_with_state(metrics, super::metrics::track))
}

/// Graph answers a URL it cannot map with 400 and names the segment it could not resolve.
async fn unknown_resource(request: Request) -> ApiError {
    let path = request.uri().path();
    let segment = path.rsplit('/').find(|s| !s.is_empty()).unwrap_or(path);
    let decoded = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
    ApiError::new(
        StatusCode::BAD_REQUEST,
        codes::BAD_REQUEST,
        format!("Resource not found for the segment '{decoded}'."),
    )
}
