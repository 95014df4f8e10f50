//! What a reader may ask of the stored log rows, in terms the store can answer.
//!
//! The HTTP layer turns a function call (`getPstnCalls(fromDateTime=...,toDateTime=...)`) and its query
//! options into these types; the store translates them into its own queries. Nothing here knows of URLs or
//! SQL.

use crate::edm::Ticks;
use crate::logs::{LogFilter, LogKind};

/// Where a page of rows starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogStart {
    /// After skipping this many rows of the range (`$skip=N` without a continuation).
    Offset(u64),
    /// Just after this row: keyset paging, whose cost does not grow with the depth of the page.
    After(LogCursor),
}

/// The position of a row in the order rows are served: by their instant, then by the sequence number
/// the store gave them when they were first written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LogCursor {
    pub time: Ticks,
    pub seq: i64,
}

/// One page of the rows of a kind in a time range.
#[derive(Debug, Clone, PartialEq)]
pub struct LogQuery {
    pub kind: LogKind,
    /// Rows whose instant is at or after this.
    pub from: Ticks,
    /// Rows whose instant is before this (or at it, when `to_inclusive`).
    pub to: Ticks,
    pub to_inclusive: bool,
    pub filter: Option<LogFilter>,
    pub start: LogStart,
    pub limit: usize,
}

/// One page of the meeting dial-out report: PSTN rows of dial-outs (`callType` `conf_out`) in a range,
/// summed per user, usage location, destination context and currency, in that order.
#[derive(Debug, Clone, PartialEq)]
pub struct DialoutQuery {
    pub from: Ticks,
    pub to: Ticks,
    pub to_inclusive: bool,
    /// A filter on the PSTN rows before they are summed (only user columns make sense there).
    pub filter: Option<LogFilter>,
    pub offset: u64,
    pub limit: usize,
}
