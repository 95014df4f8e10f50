//! HTTP tests: a real callrec server on loopback with a real SQLite file, driven by a real HTTP client.

mod crash;
mod errors;
mod fidelity;
mod paging;
mod records;
mod support;
