//! callrec's storage: one trait, [`Store`], and its backends.
//!
//! The trait speaks in the model's terms ([`PreparedRecord`], [`ListQuery`]) and in JSON bytes; no
//! database driver type appears in its signatures, so the HTTP layer can run on any backend. Each backend
//! owns its schema, its migrations and its row mapping.
//!
//! Every write is atomic and durable when it returns: a record is stored whole (head, sessions, segments,
//! participants) or not at all, and survives a crash of the process once acknowledged.

use async_trait::async_trait;
use callrec_model::edm::Ticks;
use callrec_model::prepare::PreparedRecord;
use callrec_model::query::{Cursor, ListQuery};

mod aggregate;
pub mod apps;
pub mod compress;
mod encoded;
pub mod logs;
#[cfg(feature = "postgres")]
pub mod postgres;
pub mod quality;
pub mod sqlite;
pub mod subscriptions;

pub use apps::AppStore;
pub use logs::LogStore;
pub use quality::QualityStore;
pub use subscriptions::SubscriptionStore;

/// The tenant that owns a record. Every read and write is scoped to one tenant.
pub type TenantId = str;

/// How a write treats a record that is already stored under the same id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteCondition {
    /// Ingestion: the incoming record replaces the stored one only if its `version` is higher;
    /// an older or equal version is ignored and reported as [`PutOutcome::Stale`].
    NewerVersion,
    /// Compare-and-swap: write only if the stored version is exactly this (`None`: nothing is stored).
    /// Otherwise report [`PutOutcome::Conflict`] and write nothing.
    StoredVersionIs(Option<i64>),
    /// Scrubbing: the incoming record is the stored one with its personal data removed. It replaces the
    /// stored record only if that has the same version and has not been scrubbed yet (else
    /// [`PutOutcome::Conflict`]), is marked scrubbed, and owes no change notification: the call did not
    /// change, only what is kept of it.
    Scrubbing,
}

/// What happened to one record of a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PutOutcome {
    Created,
    Replaced {
        previous_version: i64,
    },
    /// Ignored: the stored version is at least as new.
    Stale {
        stored_version: i64,
    },
    /// Ignored: the [`WriteCondition::StoredVersionIs`] check failed.
    Conflict {
        stored_version: Option<i64>,
    },
}

/// Which record of which tenant, at which version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordKey {
    pub tenant: String,
    pub id: String,
    pub version: i64,
}

/// A stored record's own properties, as JSON bytes, with what a reader needs to assemble a response.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordRow {
    pub id: String,
    pub version: i64,
    /// The record's own properties as a JSON object (see [`PreparedRecord::head`]).
    pub head: Vec<u8>,
    /// `organizer_v2` as a JSON object.
    pub organizer: Option<Vec<u8>>,
    pub session_count: u32,
    pub participant_count: u32,
}

/// A record with slices of its sessions and participants (see [`RecordStore::record_with_children`]).
#[derive(Debug, Clone, PartialEq)]
pub struct RecordWithChildren {
    pub record: RecordRow,
    pub sessions: Vec<SessionRow>,
    pub participants: Vec<ParticipantRow>,
}

/// One stored session.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionRow {
    /// Position of the session in the record, from 0.
    pub index: u32,
    pub id: String,
    /// The session as a JSON object, without `segments`.
    pub head: Vec<u8>,
    /// The session's segments as a JSON array, when asked for.
    pub segments: Option<Vec<u8>>,
}

/// One stored participant.
#[derive(Debug, Clone, PartialEq)]
pub struct ParticipantRow {
    pub index: u32,
    pub id: String,
    pub body: Vec<u8>,
}

/// A page of a listing.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordPage {
    pub items: Vec<RecordRow>,
    /// Where the next page starts, if there is one.
    pub next: Option<Cursor>,
    /// The number of records the filter matches, when the query asked for it.
    pub count: Option<u64>,
}

/// A slice of a record's sessions or participants, by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slice {
    pub offset: u32,
    pub limit: u32,
}

/// Figures about the store, for metrics and benchmarks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StoreStats {
    pub records: u64,
    pub sessions: u64,
    /// Bytes the store occupies on disk (0 when it cannot tell).
    pub disk_bytes: u64,
}

/// Why a store operation failed. Not-found is not an error: reads return `None`.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The backend failed (disk full, connection lost, corrupt file...). The message is for logs, not clients.
    #[error("storage backend error: {0}")]
    Backend(String),
    /// The store cannot be opened with this configuration.
    #[error("cannot open the store: {0}")]
    Open(String),
}

/// Everything callrec stores, one trait per kind of data; a backend implements them all.
pub trait Store: RecordStore + LogStore + QualityStore + SubscriptionStore + AppStore {}

impl<T: RecordStore + LogStore + QualityStore + SubscriptionStore + AppStore> Store for T {}

/// The storage of call records.
#[async_trait]
pub trait RecordStore: Send + Sync + 'static {
    /// Writes a batch of records in one atomic, durable transaction and reports what happened to each, in
    /// order. A batch may hold the same id twice; the records are applied in order.
    async fn put_records(
        &self,
        tenant: &TenantId,
        records: Vec<PreparedRecord>,
        condition: WriteCondition,
    ) -> Result<Vec<PutOutcome>, StoreError>;

    /// Deletes a record with its sessions and participants. Returns whether it existed.
    async fn delete_record(&self, tenant: &TenantId, id: &str) -> Result<bool, StoreError>;

    /// Reads a record's own properties.
    async fn get_record(
        &self,
        tenant: &TenantId,
        id: &str,
    ) -> Result<Option<RecordRow>, StoreError>;

    /// Reads a record with the first slices of its sessions and participants, for a response that expands
    /// them. The default composes the single reads; a backend may answer it in one round trip.
    async fn record_with_children(
        &self,
        tenant: &TenantId,
        id: &str,
        sessions: Option<(Slice, bool)>,
        participants: Option<Slice>,
    ) -> Result<Option<RecordWithChildren>, StoreError> {
        let Some(record) = self.get_record(tenant, id).await? else {
            return Ok(None);
        };
        let sessions = match sessions {
            Some((slice, with_segments)) => self
                .sessions(tenant, id, slice, with_segments)
                .await?
                .unwrap_or_default(),
            None => Vec::new(),
        };
        let participants = match participants {
            Some(slice) => self
                .participants(tenant, id, slice)
                .await?
                .unwrap_or_default(),
            None => Vec::new(),
        };
        Ok(Some(RecordWithChildren {
            record,
            sessions,
            participants,
        }))
    }

    /// Reads a slice of a record's sessions in their order, with or without their segments.
    /// `None` when the record does not exist.
    async fn sessions(
        &self,
        tenant: &TenantId,
        record_id: &str,
        slice: Slice,
        with_segments: bool,
    ) -> Result<Option<Vec<SessionRow>>, StoreError>;

    /// Reads the first session with this id (session ids can repeat inside a record) with its segments.
    async fn session(
        &self,
        tenant: &TenantId,
        record_id: &str,
        session_id: &str,
    ) -> Result<Option<SessionRow>, StoreError>;

    /// Reads a slice of a record's participants_v2 in their order. `None` when the record does not exist.
    async fn participants(
        &self,
        tenant: &TenantId,
        record_id: &str,
        slice: Slice,
    ) -> Result<Option<Vec<ParticipantRow>>, StoreError>;

    /// Reads one participant of a record by id.
    async fn participant(
        &self,
        tenant: &TenantId,
        record_id: &str,
        participant_id: &str,
    ) -> Result<Option<ParticipantRow>, StoreError>;

    /// Lists records by the query's filter and order, one page at a time (keyset paging: a page that
    /// resumes after a cursor neither skips nor repeats a record that existed throughout).
    async fn list_records(
        &self,
        tenant: &TenantId,
        query: &ListQuery,
    ) -> Result<RecordPage, StoreError>;

    /// Counts and sizes, for metrics.
    async fn stats(&self) -> Result<StoreStats, StoreError>;

    /// Retention: deletes, across all tenants, at most `limit` records whose call ended before `cutoff`,
    /// each with everything [`RecordStore::delete_record`] removes, and returns how many it deleted.
    /// Callers repeat until it returns less than `limit`, so that no single call holds the writer long.
    /// A backend that cannot do this says so with an error rather than keeping records silently.
    async fn purge_ended_before(&self, cutoff: Ticks, limit: u32) -> Result<u64, StoreError> {
        let _ = (cutoff, limit);
        Err(StoreError::Backend(
            "this store cannot purge records by age".to_owned(),
        ))
    }

    /// Scrubbing: at most `limit` records, across tenants, whose call ended before `cutoff` and which are
    /// not scrubbed yet (written with [`PreparedRecord::scrubbed`] false), the earliest end first. The
    /// caller scrubs each and writes it back with [`WriteCondition::Scrubbing`].
    async fn records_to_scrub(
        &self,
        cutoff: Ticks,
        limit: u32,
    ) -> Result<Vec<RecordKey>, StoreError> {
        let _ = (cutoff, limit);
        Err(StoreError::Backend(
            "this store cannot scrub records".to_owned(),
        ))
    }
}
