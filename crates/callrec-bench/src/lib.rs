//! callrec's benchmark harness, shared by its three programs.
//!
//! `floor` measures the cheapest honest ingest of the same NDJSON callrec imports, `baseline-server` is the
//! fastest HTTP server that can answer with the same bytes, and `bench` runs callrec against both on the
//! same data in the same run, so every figure in BENCHMARKS.md is a ratio that survives a noisy machine.

pub mod client;
pub mod floor;
pub mod report;
pub mod suite;
pub mod system;
pub mod wrk;
