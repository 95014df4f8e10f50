//! The HTTP edge: Graph's call records resources under `/v1.0` and `/beta`, callrec's own endpoints
//! under `/callrec`, the documents that describe them, and the layers every request passes through.
//!
//! Nothing outside this module knows axum or the router's types: the domain (ingestion, retention,
//! scrubbing, notifications, the generator) is called from here, from the command line and from
//! background jobs alike. [`app`] builds the whole router from an [`AppState`]; tests drive it over
//! loopback exactly as a client would. Every response goes through [`envelope::envelope`], which adds
//! the ids and headers Graph clients expect and writes Graph's error body.

pub(crate) mod auth;
pub(crate) mod batch;
pub(crate) mod body;
pub(crate) mod call_records;
pub(crate) mod envelope;
pub mod error;
mod export;
pub(crate) mod extract;
pub(crate) mod faults;
mod function_methods;
pub(crate) mod identity;
pub(crate) mod logs;
pub(crate) mod metadata;
pub(crate) mod metrics;
pub mod openapi;
pub(crate) mod options;
pub(crate) mod paging;
pub(crate) mod records;
pub(crate) mod reports;
mod request_body;
pub(crate) mod resources;
mod router;
mod serve;
mod state;
pub(crate) mod subscriptions;
pub(crate) mod throttle;
mod ui;
pub mod webhook_listen;
pub(crate) mod wire;

pub use error::ApiError;
pub use router::app;
pub use serve::{serve, serve_tls};
pub use state::{ApiConfig, ApiVersion, AppState};
