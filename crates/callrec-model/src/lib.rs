//! The `microsoft.graph.callRecords` schema as Rust types, the validator that holds incoming JSON to it,
//! the OData query language that reads and filters it, and the pure pieces of ingestion.
//!
//! This crate does no IO and knows nothing of HTTP or SQL: every function here is a pure transformation,
//! so it can be tested with plain values and reused by the server, the CLI, the generator and the store.

pub mod edm;
pub mod logs;
pub mod odata;
pub mod prepare;
pub mod quality;
pub mod query;
pub mod schema;
pub mod scrub;
pub mod types;
pub mod validate;
