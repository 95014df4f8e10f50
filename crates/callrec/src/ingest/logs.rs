//! Log rows (PSTN, direct routing, SMS, blocked users) as an ingestible [`Kind`]. Which kind a row is
//! comes from its `@odata.type`, else from the kind named by the caller (`--kind`, `?kind=`), else from the
//! `@odata.context` of a saved Graph page (`$metadata#Collection(microsoft.graph.callRecords.smsLogRow)`).

use std::sync::Arc;

use callrec_model::logs::{LogKind, PreparedLogRow, check_log_row};
use callrec_model::validate::ValidationError;
use callrec_store::logs::LogPutOutcome;
use callrec_store::{Store, StoreError};
use serde_json::Value;

use super::{IngestOptions, Kind, Tally};
use crate::scrubbing::scrub_incoming_log_row;

/// Validates a log row (of kind `hint` unless its `@odata.type` says otherwise) and scrubs it when
/// `options` say it is old enough; `Ok` carries its warning count.
pub fn admit_log_row(
    hint: Option<LogKind>,
    value: Value,
    options: &IngestOptions,
) -> Result<(PreparedLogRow, u64), ValidationError> {
    let checked = check_log_row(hint, value)?;
    let mut row = checked.row;
    scrub_incoming_log_row(&mut row, options.scrub_before);
    Ok((row, checked.warnings.len() as u64))
}

/// Log rows; `hint` is the kind of rows without an `@odata.type`.
#[derive(Debug, Clone, Copy, Default)]
pub struct LogRows {
    pub hint: Option<LogKind>,
}

impl Kind for LogRows {
    type Item = PreparedLogRow;
    const BATCH_ITEMS: usize = 2_000;

    fn admit(
        &self,
        value: Value,
        options: &IngestOptions,
    ) -> Result<(PreparedLogRow, u64), ValidationError> {
        admit_log_row(self.hint, value, options)
    }

    async fn write(
        store: &Arc<dyn Store>,
        tenant: &str,
        items: Vec<PreparedLogRow>,
    ) -> Result<Tally, StoreError> {
        let mut tally = Tally::default();
        for outcome in store.put_log_rows(tenant, items).await? {
            match outcome {
                LogPutOutcome::Created => tally.created += 1,
                LogPutOutcome::Replaced => tally.replaced += 1,
            }
        }
        Ok(tally)
    }
}
