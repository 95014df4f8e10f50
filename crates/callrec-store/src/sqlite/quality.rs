//! SQLite storage of call quality: the stream classifications computed at ingestion and the reports over them.

use async_trait::async_trait;

use super::SqliteStore;
use crate::QualityStore;

#[async_trait]
impl QualityStore for SqliteStore {}

/// Stores what the quality reports need of a record just written (created or replaced), in the writer's
/// transaction.
pub(super) fn record_written(
    _conn: &rusqlite::Connection,
    _tenant: i64,
    _rid: i64,
    _record: &super::writer::EncodedRecord,
    _created: bool,
) -> Result<(), crate::StoreError> {
    Ok(())
}

/// Removes what [`record_written`] stored for a record being deleted.
pub(super) fn record_deleted(
    _conn: &rusqlite::Connection,
    _rid: i64,
) -> Result<(), crate::StoreError> {
    Ok(())
}

/// The column of `quality_records` that holds a record's verdict, or its verdict for one media type.
pub(super) fn verdict_column(media: Option<callrec_model::quality::MediaType>) -> &'static str {
    use callrec_model::quality::MediaType;
    match media {
        None => "verdict",
        Some(MediaType::Audio) => "audio",
        Some(MediaType::Video) => "video",
        Some(MediaType::VideoBasedScreenSharing) => "vbss",
        Some(MediaType::Other) => "other",
    }
}
