//! callrec: a Microsoft Graph call records service.
//!
//! The binary (`main.rs`) only reads the command line; everything lives here so that the integration tests
//! drive the same router, ingestion pipeline and generator the binary runs.

pub mod api;
pub mod cli;
pub mod demo;
pub mod generate;
pub mod ingest;
pub mod openapi;
pub mod storage;
