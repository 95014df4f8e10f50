//! SQLite storage of change-notification subscriptions and the outbox of notifications to deliver.

use async_trait::async_trait;

use super::SqliteStore;
use crate::SubscriptionStore;

#[async_trait]
impl SubscriptionStore for SqliteStore {}

/// Queues, in the writer's transaction, the notifications a record just written (created or replaced)
/// owes to the tenant's subscriptions.
pub(super) fn record_written(
    _conn: &rusqlite::Connection,
    _tenant: i64,
    _rid: i64,
    _record: &super::writer::EncodedRecord,
    _created: bool,
) -> Result<(), crate::StoreError> {
    Ok(())
}
