//! The throttling layer of the edge: each request counted against Graph's limits ([`Throttle`]) and
//! answered 429 with `Retry-After` when over one.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use super::error::ApiError;
use super::resources::resource_of;
use crate::auth::Caller;
use crate::throttle::Throttle;

/// The middleware: counts Graph reads of call records and log rows, answering 429 over a limit.
pub async fn limit(
    State(throttle): State<Option<Arc<Throttle>>>,
    request: Request,
    next: Next,
) -> Response {
    let Some(throttle) = &throttle else {
        return next.run(request).await;
    };
    let (Some(caller), resource) = (
        request.extensions().get::<Caller>(),
        resource_of(request.method(), request.uri().path()),
    ) else {
        return next.run(request).await;
    };
    if let Err(wait) = throttle.admit(caller, &resource, Instant::now()) {
        let secs = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        tracing::debug!(tenant = %caller.tenant, ?resource, secs, "throttled");
        return ApiError::too_many_requests(secs);
    }
    next.run(request).await
}
