//! PSTN, direct-routing and SMS log rows on PostgreSQL.
//!
//! Not stored on PostgreSQL yet: every operation fails with a backend error.

use async_trait::async_trait;
use callrec_model::logs::{DialoutQuery, LogKind, LogQuery, PreparedLogRow};

use super::PostgresStore;
use crate::logs::{DialoutPage, LogPage, LogPutOutcome};
use crate::{LogStore, StoreError, TenantId};

fn unsupported() -> StoreError {
    StoreError::Backend("log rows are not stored on PostgreSQL yet".into())
}

#[async_trait]
impl LogStore for PostgresStore {
    async fn put_log_rows(
        &self,
        _tenant: &TenantId,
        _rows: Vec<PreparedLogRow>,
    ) -> Result<Vec<LogPutOutcome>, StoreError> {
        Err(unsupported())
    }

    async fn get_log_row(
        &self,
        _tenant: &TenantId,
        _kind: LogKind,
        _key: &str,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        Err(unsupported())
    }

    async fn delete_log_row(
        &self,
        _tenant: &TenantId,
        _kind: LogKind,
        _key: &str,
    ) -> Result<bool, StoreError> {
        Err(unsupported())
    }

    async fn list_log_rows(
        &self,
        _tenant: &TenantId,
        _query: &LogQuery,
    ) -> Result<LogPage, StoreError> {
        Err(unsupported())
    }

    async fn dialout_report(
        &self,
        _tenant: &TenantId,
        _query: &DialoutQuery,
    ) -> Result<DialoutPage, StoreError> {
        Err(unsupported())
    }

    async fn correlated_log_rows(
        &self,
        _tenant: &TenantId,
        _correlation_id: &str,
        _limit: usize,
    ) -> Result<Vec<Vec<u8>>, StoreError> {
        Err(unsupported())
    }
}
