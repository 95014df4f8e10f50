//! Call quality on PostgreSQL: the per-record verdicts that `$filter` tests, written in the record's
//! transaction, and the quality reports.
//!
//! Not stored on PostgreSQL yet: the write hooks keep nothing and the reports fail with a backend error,
//! so a quality `$filter` matches no record.

use async_trait::async_trait;
use callrec_model::quality::{Building, MediaType};
use deadpool_postgres::Transaction;

use super::PostgresStore;
use super::records::{EncodedRecord, TxError};
use crate::quality::{QualityTotals, ReportQuery, ReportRow};
use crate::{QualityStore, StoreError, TenantId};

/// The column of `quality_records` that holds the verdict for a media type (`None`: the whole record).
pub(super) fn verdict_column(media: Option<MediaType>) -> &'static str {
    match media {
        None => "verdict",
        Some(MediaType::Audio) => "audio",
        Some(MediaType::Video) => "video",
        Some(MediaType::VideoBasedScreenSharing) => "vbss",
        Some(MediaType::Other) => "other",
    }
}

pub(super) async fn record_written(
    _tx: &Transaction<'_>,
    _tenant: &str,
    _records: &[(&EncodedRecord, bool)],
) -> Result<(), TxError> {
    Ok(())
}

pub(super) async fn record_deleted(
    _tx: &Transaction<'_>,
    _tenant: &str,
    _id: &str,
) -> Result<(), TxError> {
    Ok(())
}

fn unsupported() -> StoreError {
    StoreError::Backend("quality reports are not stored on PostgreSQL yet".into())
}

#[async_trait]
impl QualityStore for PostgresStore {
    async fn quality_report(
        &self,
        _tenant: &TenantId,
        _query: &ReportQuery,
    ) -> Result<Vec<ReportRow>, StoreError> {
        Err(unsupported())
    }

    async fn put_buildings(
        &self,
        _tenant: &TenantId,
        _buildings: Vec<Building>,
    ) -> Result<(), StoreError> {
        Err(unsupported())
    }

    async fn buildings(&self, _tenant: &TenantId) -> Result<Vec<Building>, StoreError> {
        Err(unsupported())
    }

    async fn quality_totals(&self) -> Result<QualityTotals, StoreError> {
        Err(unsupported())
    }
}
