//! The storage of PSTN, direct-routing and SMS log rows (and the other beta log reports).
//!
//! Rows arrive validated and prepared ([`PreparedLogRow`]): a JSON body, an identity, the instant the
//! functions select by, and the few values filters test. A backend keeps them per tenant and kind, serves
//! a time range in order one page at a time (keyset paging, whatever the depth), and sums the PSTN rows of
//! meeting dial-outs into the dial-out report.

use std::sync::Arc;

use async_trait::async_trait;
use callrec_model::edm::Ticks;
use callrec_model::logs::{DialoutQuery, LogCursor, LogFacts, LogKind, LogQuery, PreparedLogRow};

use crate::{StoreError, TenantId};

/// Scrubs a stored row: from its kind and JSON body, the body to keep and the facts indexed from it (see
/// `callrec_model::scrub::scrub_log_row_body`). The store calls it inside its write, so a row cannot
/// change between being read and being scrubbed.
pub type LogScrubber =
    Arc<dyn Fn(LogKind, &[u8]) -> Result<(Vec<u8>, LogFacts), String> + Send + Sync>;

/// What happened to one row of a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogPutOutcome {
    Created,
    /// A row with the same identity (tenant, kind, key) was stored; it was replaced.
    Replaced,
}

/// A stored row: its position in the listing order and its JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct LogRow {
    pub cursor: LogCursor,
    pub body: Vec<u8>,
}

/// One page of rows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LogPage {
    pub rows: Vec<LogRow>,
    /// Whether rows follow the last one of this page.
    pub more: bool,
}

/// One row of the meeting dial-out report: the dial-outs of one user, usage location, destination
/// context and currency.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DialoutRow {
    pub user_id: Option<String>,
    pub user_principal_name: Option<String>,
    pub user_display_name: Option<String>,
    pub usage_location: Option<String>,
    pub destination_context: Option<String>,
    pub currency: Option<String>,
    pub total_calls: i64,
    /// Charges and connection fees, in units of 10^-9 of the currency.
    pub total_charge_nanos: i64,
    pub total_seconds: i64,
}

/// One page of the dial-out report.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DialoutPage {
    pub rows: Vec<DialoutRow>,
    pub more: bool,
}

/// The storage of PSTN, direct-routing and SMS log rows (and the other beta log reports).
#[async_trait]
pub trait LogStore: Send + Sync + 'static {
    /// Writes a batch of rows in one atomic, durable transaction; a row replaces the stored row of the same
    /// tenant, kind and key. Outcomes come back in order.
    async fn put_log_rows(
        &self,
        tenant: &TenantId,
        rows: Vec<PreparedLogRow>,
    ) -> Result<Vec<LogPutOutcome>, StoreError>;

    /// Reads one row by its key.
    async fn get_log_row(
        &self,
        tenant: &TenantId,
        kind: LogKind,
        key: &str,
    ) -> Result<Option<Vec<u8>>, StoreError>;

    /// Deletes one row by its key; whether it existed.
    async fn delete_log_row(
        &self,
        tenant: &TenantId,
        kind: LogKind,
        key: &str,
    ) -> Result<bool, StoreError>;

    /// Lists the rows of a kind in a time range, by time then by the order they were first stored.
    async fn list_log_rows(
        &self,
        tenant: &TenantId,
        query: &LogQuery,
    ) -> Result<LogPage, StoreError>;

    /// Sums the PSTN rows of meeting dial-outs of a range into the dial-out report.
    async fn dialout_report(
        &self,
        tenant: &TenantId,
        query: &DialoutQuery,
    ) -> Result<DialoutPage, StoreError>;

    /// Retention: deletes at most `limit` rows of a kind, across tenants, whose instant (the one the
    /// functions select by) is before `cutoff`, and returns how many it deleted. Callers repeat until it
    /// returns less than `limit`.
    async fn purge_log_rows_before(
        &self,
        kind: LogKind,
        cutoff: Ticks,
        limit: u32,
    ) -> Result<u64, StoreError>;

    /// Scrubbing: replaces the body and facts of at most `limit` rows, across tenants and kinds, whose
    /// instant is before `cutoff` and which are not scrubbed yet, by what `scrub` makes of them, and marks
    /// them scrubbed; returns how many. A row `scrub` refuses is marked scrubbed as it is and logged.
    async fn scrub_log_rows_before(
        &self,
        cutoff: Ticks,
        limit: u32,
        scrub: LogScrubber,
    ) -> Result<u64, StoreError>;

    /// The direct-routing rows whose `correlationId` is this (the id of the callRecord of the same call),
    /// in time order, at most `limit`.
    async fn correlated_log_rows(
        &self,
        tenant: &TenantId,
        correlation_id: &str,
        limit: usize,
    ) -> Result<Vec<Vec<u8>>, StoreError>;
}
