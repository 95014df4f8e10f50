//! Serving the application on a listener until a shutdown signal, so that the command line starts the
//! server without knowing axum.

use std::future::Future;

use tokio::net::TcpListener;

use super::router::app;
use super::state::AppState;

/// Serves every connection `listener` accepts with the whole application, until `shutdown` completes;
/// requests under way are answered first.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}
