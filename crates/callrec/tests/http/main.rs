//! HTTP tests: a real callrec server on loopback with a real SQLite file, driven by a real HTTP client.

mod auth;
mod bad_input;
mod batch;
mod browser;
mod cli_output;
mod crash;
mod demo;
mod errors;
mod export;
mod faults;
mod fidelity;
mod logs;
mod notifications;
mod openapi;
mod paging;
mod postgres;
mod quality;
mod readme;
mod records;
mod retention;
mod scrubbing;
mod support;
mod throttle;
mod ui;
mod ui_data;
