//! `GET /metrics` and the middleware that counts and times every request by its route template.

use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::ApiError;
use super::state::AppState;
use crate::metrics::{Metrics, labels};

/// Counts every request by its route template and status, and times it.
pub async fn track(State(metrics): State<Arc<Metrics>>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().as_str().to_owned();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    metrics.observe(
        &method,
        &route,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

fn gauge(out: &mut String, name: &str, help: &str, series: &[(&[(&str, &str)], u64)]) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} gauge");
    for (l, v) in series {
        let _ = writeln!(out, "{name}{} {v}", labels(l));
    }
}

/// `GET /metrics`. Open while tokens are off; while they are on, only with the scrape token
/// (`--metrics-token`), since the figures cover every tenant.
pub async fn metrics(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    if state.config.auth.is_some() {
        check_scrape_token(state.config.metrics_token.as_deref(), &headers)?;
    }
    let stats = state.store.stats().await?;
    // A backend without quality storage still serves the other figures.
    let streams = match state.store.quality_totals().await {
        Ok(totals) => Some(totals),
        Err(e) => {
            tracing::debug!(error = %e, "no stream totals for /metrics");
            None
        }
    };
    let mut out = String::with_capacity(8 * 1024);
    gauge(
        &mut out,
        "callrec_records",
        "Call records stored, over every tenant.",
        &[(&[], stats.records)],
    );
    gauge(
        &mut out,
        "callrec_sessions",
        "Sessions of the stored call records.",
        &[(&[], stats.sessions)],
    );
    if let Some(streams) = streams {
        gauge(
            &mut out,
            "callrec_streams",
            "Media streams of the stored call records, by quality verdict (CQD's stream classification).",
            &[
                (&[("class", "good")], streams.good),
                (&[("class", "poor")], streams.poor),
                (&[("class", "unclassified")], streams.unclassified),
            ],
        );
    }
    gauge(
        &mut out,
        "callrec_store_bytes",
        "Bytes the store occupies on disk.",
        &[(&[], stats.disk_bytes)],
    );
    state.metrics.render(&mut out);
    let mut response = out.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    Ok(response)
}

/// Refuses a scrape without the configured token, saying what to send or to configure.
fn check_scrape_token(
    expected: Option<&str>,
    headers: &axum::http::HeaderMap,
) -> Result<(), ApiError> {
    let refuse = |message: &str| {
        Err(ApiError::new(
            axum::http::StatusCode::UNAUTHORIZED,
            super::error::codes::INVALID_AUTHENTICATION_TOKEN,
            message,
        ))
    };
    let Some(expected) = expected else {
        return refuse(
            "/metrics covers every tenant, so it is closed while tokens are on: start the server with --metrics-token (or CALLREC_METRICS_TOKEN) and scrape with that bearer token.",
        );
    };
    let given = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or("");
    // Compared in constant time, so that the answer's timing says nothing of the token.
    let same = given.len() == expected.len()
        && given
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    if same {
        Ok(())
    } else {
        refuse("/metrics needs the scrape token given to --metrics-token, as a bearer token.")
    }
}
