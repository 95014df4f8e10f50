//! callrec: a Microsoft Graph call records service.
//!
//! The binary (`main.rs`) only reads the command line; everything lives here so that the integration tests
//! drive the same router, ingestion pipeline and generator the binary runs.

pub mod auth;
pub mod cli;
// Public for `examples/ui_screenshots.rs`, which fills its store as `serve --demo` does.
pub mod demo;
pub mod export;
pub mod faults;
pub mod generate;
pub mod http;
pub mod identity;
pub mod ingest;
pub mod metrics;
pub(crate) mod migrate_store;
pub mod notify;
pub(crate) mod outbound;
pub(crate) mod period;
pub(crate) mod reports;
pub mod retention;
pub mod scrubbing;
pub mod storage;
pub mod throttle;
pub mod tls;
pub(crate) mod whole;
