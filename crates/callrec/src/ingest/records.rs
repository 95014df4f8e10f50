//! Call records as an ingestible [`Kind`]: the one admission every record passes, whether it arrives in a
//! bulk import, a `POST` or a `PUT`.

use std::sync::Arc;

use callrec_model::prepare::{PreparedRecord, prepare};
use callrec_model::validate::{ValidationError, validate_call_record};
use callrec_store::{PutOutcome, Store, StoreError, WriteCondition};
use serde_json::{Map, Value};

use super::{IngestOptions, Kind, Tally};
use crate::scrubbing::scrub_incoming_record;

/// A call record that passed validation and, when due, scrubbing; [`AdmittedRecord::prepare`] cuts it
/// into the pieces the store keeps.
#[derive(Debug, Clone)]
pub struct AdmittedRecord {
    /// The record's JSON object, as it will be stored. A writer may still set `version` and
    /// `lastModifiedDateTime` (a `PUT` that replaces an older version does).
    pub json: Map<String, Value>,
    scrubbed: bool,
    /// Oddities accepted as they are.
    pub warnings: u64,
}

impl AdmittedRecord {
    /// The record cut into the pieces the store keeps.
    pub fn prepare(self) -> PreparedRecord {
        let mut record = prepare(self.json);
        record.scrubbed = self.scrubbed;
        record
    }
}

/// Validates a call record and scrubs it when `options` say its call ended long enough ago.
pub fn admit_record(
    value: Value,
    options: &IngestOptions,
) -> Result<AdmittedRecord, ValidationError> {
    let report = validate_call_record(&value)?;
    let Value::Object(mut json) = value else {
        return Err(ValidationError {
            path: "$".to_owned(),
            message: "a callRecord must be a JSON object".to_owned(),
        });
    };
    let scrubbed = scrub_incoming_record(&mut json, options.scrub_before);
    Ok(AdmittedRecord {
        json,
        scrubbed,
        warnings: report.warnings.len() as u64,
    })
}

/// Call records, written only over an older version of themselves.
#[derive(Debug, Clone, Copy, Default)]
pub struct Records;

impl Kind for Records {
    type Item = PreparedRecord;
    const BATCH_ITEMS: usize = 1000;

    fn admit(
        &self,
        value: Value,
        options: &IngestOptions,
    ) -> Result<(PreparedRecord, u64), ValidationError> {
        let admitted = admit_record(value, options)?;
        let warnings = admitted.warnings;
        Ok((admitted.prepare(), warnings))
    }

    async fn write(
        store: &Arc<dyn Store>,
        tenant: &str,
        items: Vec<PreparedRecord>,
    ) -> Result<Tally, StoreError> {
        let mut tally = Tally::default();
        for outcome in store
            .put_records(tenant, items, WriteCondition::NewerVersion)
            .await?
        {
            match outcome {
                PutOutcome::Created => tally.created += 1,
                PutOutcome::Replaced { .. } => tally.replaced += 1,
                PutOutcome::Stale { .. } | PutOutcome::Conflict { .. } => tally.stale += 1,
            }
        }
        Ok(tally)
    }
}
