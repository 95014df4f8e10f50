//! The embedded backend: every call record of every tenant in one SQLite file.
//!
//! This is callrec's default store, sized for millions of records on one machine. Its shape:
//!
//! - **One writer thread** owns the only write connection and commits queued batches in groups
//!   ([`writer`]); callers compress their records on their own threads first, so compression and SQLite
//!   run on two cores at once.
//! - **A pool of read-only connections** serves reads on the blocking thread pool; in WAL mode they read
//!   a committed snapshot and never wait for the writer ([`reader`]).
//! - **Every JSON piece is zstd-compressed**, after the first few thousand pieces against a dictionary
//!   trained on them and kept in the file ([`crate::compress`]).
//! - **The schema is versioned** and migrated at open ([`schema`]).
//!
//! Durability: a write is acknowledged after its transaction commits. With the default
//! `synchronous=NORMAL` the WAL is not fsynced at each commit, so an acknowledged write survives the
//! process being killed (`kill -9`) but maybe not a power loss; [`Synchronous::Full`] survives both.

mod apps;
mod filter;
mod logs;
mod quality;
mod records;
mod schema;
mod subscriptions;
mod writer;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use async_trait::async_trait;
use callrec_model::prepare::PreparedRecord;
use callrec_model::query::ListQuery;
use rusqlite::{Connection, OpenFlags};
use tokio::sync::{Semaphore, mpsc, oneshot};

use crate::compress::{self, Codec, Dictionary, DictionaryTraining};
use crate::{
    ParticipantRow, PutOutcome, RecordPage, RecordRow, RecordStore, RecordWithChildren, SessionRow,
    Slice, StoreError, StoreStats, TenantId, WriteCondition,
};

use crate::encoded::EncodedRecord;
use writer::Command;

/// How commits reach the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Synchronous {
    /// Acknowledged writes survive a killed process; the last ones may be lost on power failure.
    #[default]
    Normal,
    /// Every commit is fsynced: acknowledged writes also survive power failure, at the cost of an fsync per
    /// group of writes.
    Full,
}

/// How to open a SQLite store.
#[derive(Debug, Clone)]
pub struct SqliteOptions {
    pub synchronous: Synchronous,
    /// How long a connection waits for a lock held by another process before failing.
    pub busy_timeout: Duration,
    /// Read-only connections, hence reads that can run at once.
    pub readers: usize,
    /// zstd level for the stored pieces.
    pub compression_level: i32,
    /// When to train the compression dictionary; `None` never trains one.
    pub dictionary: Option<DictionaryTraining>,
    /// Page cache of each connection, in KiB.
    pub cache_kib: u32,
}

impl Default for SqliteOptions {
    fn default() -> Self {
        SqliteOptions {
            synchronous: Synchronous::Normal,
            busy_timeout: Duration::from_secs(5),
            readers: std::thread::available_parallelism().map_or(4, |n| n.get().clamp(2, 8)),
            compression_level: 3,
            dictionary: Some(DictionaryTraining::default()),
            cache_kib: 32 * 1024,
        }
    }
}

/// Queued writes beyond which callers wait, so a burst cannot queue unbounded memory.
const WRITE_QUEUE: usize = 1024;

/// Maps a driver error to the store's error, keeping its text for the logs.
fn backend(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// What the reads share with the tasks that run them.
struct Shared {
    path: PathBuf,
    options: SqliteOptions,
    codec: Arc<Codec>,
    idle_readers: Mutex<Vec<Connection>>,
    reader_permits: Arc<Semaphore>,
}

impl Shared {
    fn take_reader(&self) -> Result<Connection, StoreError> {
        let idle = self
            .idle_readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .pop();
        match idle {
            Some(conn) => Ok(conn),
            // A read that panicked took its connection with it; replace it.
            None => open_reader(&self.path, &self.options),
        }
    }

    fn return_reader(&self, conn: Connection) {
        self.idle_readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(conn);
    }
}

/// The writer thread and the way to reach it.
struct WriterHandle {
    commands: mpsc::Sender<Command>,
    thread: JoinHandle<()>,
}

/// The SQLite store. Cheap to share behind an `Arc`; dropping it finishes the queued writes and closes
/// the file.
pub struct SqliteStore {
    shared: Arc<Shared>,
    writer: Option<WriterHandle>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore")
            .field("path", &self.shared.path)
            .finish_non_exhaustive()
    }
}

fn configure(conn: &Connection, options: &SqliteOptions) -> Result<(), StoreError> {
    conn.busy_timeout(options.busy_timeout).map_err(backend)?;
    conn.pragma_update(None, "cache_size", -i64::from(options.cache_kib))
        .map_err(backend)?;
    conn.pragma_update(None, "temp_store", "MEMORY")
        .map_err(backend)?;
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

fn open_reader(path: &Path, options: &SqliteOptions) -> Result<Connection, StoreError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| StoreError::Open(format!("{}: {e}", path.display())))?;
    configure(&conn, options)?;
    Ok(conn)
}

fn open_writer(path: &Path, options: &SqliteOptions) -> Result<Connection, StoreError> {
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| StoreError::Open(format!("{}: {e}", path.display())))?;
    configure(&conn, options)?;
    // Only takes effect on a new file. Rows of compressed sessions run to a few KB; larger pages waste
    // less of themselves on the remainder that no further row fits in.
    conn.pragma_update(None, "page_size", 8192)
        .map_err(backend)?;
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
        .map_err(|e| StoreError::Open(format!("cannot switch to WAL: {e}")))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(StoreError::Open(format!(
            "the file stays in journal mode {mode}, WAL is required"
        )));
    }
    let synchronous = match options.synchronous {
        Synchronous::Normal => "NORMAL",
        Synchronous::Full => "FULL",
    };
    conn.pragma_update(None, "synchronous", synchronous)
        .map_err(backend)?;
    // Keeps the WAL from staying at its high-water size after a long import.
    conn.pragma_update(None, "journal_size_limit", 64 * 1024 * 1024)
        .map_err(backend)?;
    schema::migrate(&mut conn)?;
    Ok(conn)
}

fn load_dictionaries(conn: &Connection, level: i32) -> Result<Vec<Dictionary>, StoreError> {
    let mut stmt = conn
        .prepare("SELECT id, bytes FROM dictionaries ORDER BY id")
        .map_err(backend)?;
    let rows = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?)))
        .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        .map_err(backend)?;
    rows.into_iter()
        .map(|(id, bytes)| {
            let id = u8::try_from(id)
                .map_err(|_| StoreError::Open(format!("dictionary id {id} out of range")))?;
            Dictionary::new(id, bytes, level).map_err(|e| StoreError::Open(e.to_string()))
        })
        .collect()
}

impl SqliteStore {
    /// Opens (or creates) the store at `path`, bringing its schema up to date.
    pub fn open(path: &Path, options: SqliteOptions) -> Result<SqliteStore, StoreError> {
        let conn = open_writer(path, &options)?;
        let dictionaries = load_dictionaries(&conn, options.compression_level)?;
        let codec = Arc::new(Codec::new(
            options.compression_level,
            options.dictionary,
            dictionaries,
        ));
        let readers = options.readers.max(1);
        let idle = (0..readers)
            .map(|_| open_reader(path, &options))
            .collect::<Result<Vec<_>, _>>()?;
        let (commands, receiver) = mpsc::channel(WRITE_QUEUE);
        let thread = std::thread::Builder::new()
            .name("callrec-sqlite-writer".into())
            .spawn(move || writer::run(conn, receiver))
            .map_err(|e| StoreError::Open(format!("cannot start the writer thread: {e}")))?;
        Ok(SqliteStore {
            shared: Arc::new(Shared {
                path: path.to_owned(),
                options,
                codec,
                idle_readers: Mutex::new(idle),
                reader_permits: Arc::new(Semaphore::new(readers)),
            }),
            writer: Some(WriterHandle { commands, thread }),
        })
    }

    /// The id of the compression dictionary new writes use, if one has been trained.
    pub fn dictionary_id(&self) -> Option<u8> {
        match self.shared.codec.encoder().dictionary_id() {
            compress::NO_DICTIONARY => None,
            id => Some(id),
        }
    }

    fn commands(&self) -> Result<&mpsc::Sender<Command>, StoreError> {
        self.writer
            .as_ref()
            .map(|w| &w.commands)
            .ok_or_else(writer_gone)
    }

    async fn send<T>(
        &self,
        command: Command,
        reply: oneshot::Receiver<Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        self.commands()?
            .send(command)
            .await
            .map_err(|_| writer_gone())?;
        reply.await.map_err(|_| writer_gone())?
    }

    /// Runs a read on a pooled read-only connection, on the blocking thread pool.
    async fn read<T, F>(&self, read: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&Connection, &Codec) -> Result<T, StoreError> + Send + 'static,
    {
        let permit = self
            .shared
            .reader_permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| writer_gone())?;
        let shared = self.shared.clone();
        tokio::task::spawn_blocking(move || {
            let conn = shared.take_reader()?;
            let result = read(&conn, &shared.codec);
            shared.return_reader(conn);
            drop(permit);
            result
        })
        .await
        .map_err(|e| StoreError::Backend(format!("read task failed: {e}")))?
    }

    /// Starts training a dictionary on these samples, off the write path: the writer stores it, and only
    /// then do new writes use it, so no blob ever names a dictionary the file lacks.
    fn train_dictionary(&self, samples: Vec<Vec<u8>>) {
        let codec = self.shared.codec.clone();
        let Ok(commands) = self.commands().cloned() else {
            codec.training_failed();
            return;
        };
        let job = {
            let codec = codec.clone();
            move || {
                let result = train_and_store(&codec, &commands, &samples);
                match result {
                    Ok(id) => {
                        tracing::info!(
                            id,
                            samples = samples.len(),
                            "trained a compression dictionary"
                        );
                        codec.training_done();
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, samples = samples.len(), "dictionary training failed");
                        codec.training_failed();
                    }
                }
            }
        };
        if let Err(e) = std::thread::Builder::new()
            .name("callrec-dictionary".into())
            .spawn(job)
        {
            tracing::warn!(error = %e, "cannot start dictionary training");
            codec.training_failed();
        }
    }
}

fn train_and_store(
    codec: &Codec,
    commands: &mpsc::Sender<Command>,
    samples: &[Vec<u8>],
) -> Result<u8, StoreError> {
    let id = codec
        .next_dictionary_id()
        .ok_or_else(|| StoreError::Backend("no dictionary id left".into()))?;
    let bytes = compress::train(samples, codec.dictionary_max_size())
        .map_err(|e| StoreError::Backend(e.to_string()))?;
    let dictionary = Dictionary::new(id, bytes.clone(), codec.level())
        .map_err(|e| StoreError::Backend(e.to_string()))?;
    let (reply, stored) = oneshot::channel();
    commands
        .blocking_send(Command::AddDictionary { id, bytes, reply })
        .map_err(|_| writer_gone())?;
    stored.blocking_recv().map_err(|_| writer_gone())??;
    codec.install(dictionary);
    Ok(id)
}

fn writer_gone() -> StoreError {
    StoreError::Backend("the store's writer has stopped".into())
}

impl Drop for SqliteStore {
    fn drop(&mut self) {
        // Readers close first, so that the writer's connection is the file's last and can checkpoint the
        // WAL into the main file as it closes.
        self.shared
            .idle_readers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        if let Some(WriterHandle { commands, thread }) = self.writer.take() {
            drop(commands);
            // The writer finishes what is queued, then closes the connection (checkpointing the WAL).
            if thread.join().is_err() {
                tracing::error!("the store's writer thread panicked");
            }
        }
    }
}

#[async_trait]
impl RecordStore for SqliteStore {
    async fn put_records(
        &self,
        tenant: &TenantId,
        records: Vec<PreparedRecord>,
        condition: WriteCondition,
    ) -> Result<Vec<PutOutcome>, StoreError> {
        if records.is_empty() {
            return Ok(Vec::new());
        }
        let codec = self.shared.codec.clone();
        let (encoded, samples) = tokio::task::spawn_blocking(move || {
            let samples = codec.offer_records(&records);
            let encoder = codec.encoder();
            let encoded: Vec<EncodedRecord> = records
                .into_iter()
                .map(|r| EncodedRecord::new(r, &encoder))
                .collect();
            (encoded, samples)
        })
        .await
        .map_err(|e| StoreError::Backend(format!("compression task failed: {e}")))?;
        if let Some(samples) = samples {
            self.train_dictionary(samples);
        }
        let (reply, outcome) = oneshot::channel();
        self.send(
            Command::Put {
                tenant: tenant.to_owned(),
                records: encoded,
                condition,
                reply,
            },
            outcome,
        )
        .await
    }

    async fn delete_record(&self, tenant: &TenantId, id: &str) -> Result<bool, StoreError> {
        let (reply, outcome) = oneshot::channel();
        self.send(
            Command::Delete {
                tenant: tenant.to_owned(),
                id: id.to_owned(),
                ended_before: None,
                reply,
            },
            outcome,
        )
        .await
    }

    async fn get_record(
        &self,
        tenant: &TenantId,
        id: &str,
    ) -> Result<Option<RecordRow>, StoreError> {
        let (tenant, id) = (tenant.to_owned(), id.to_owned());
        self.read(move |conn, codec| records::get_record(conn, codec, &tenant, &id))
            .await
    }

    async fn record_with_children(
        &self,
        tenant: &TenantId,
        id: &str,
        sessions: Option<(Slice, bool)>,
        participants: Option<Slice>,
    ) -> Result<Option<RecordWithChildren>, StoreError> {
        // One blocking hop and one pooled connection for the whole response.
        let (tenant, id) = (tenant.to_owned(), id.to_owned());
        self.read(move |conn, codec| {
            let Some(record) = records::get_record(conn, codec, &tenant, &id)? else {
                return Ok(None);
            };
            let sessions = match sessions {
                Some((slice, with_segments)) => {
                    records::sessions(conn, codec, &tenant, &id, slice, with_segments)?
                        .unwrap_or_default()
                }
                None => Vec::new(),
            };
            let participants = match participants {
                Some(slice) => {
                    records::participants(conn, codec, &tenant, &id, slice)?.unwrap_or_default()
                }
                None => Vec::new(),
            };
            Ok(Some(RecordWithChildren {
                record,
                sessions,
                participants,
            }))
        })
        .await
    }

    async fn sessions(
        &self,
        tenant: &TenantId,
        record_id: &str,
        slice: Slice,
        with_segments: bool,
    ) -> Result<Option<Vec<SessionRow>>, StoreError> {
        let (tenant, id) = (tenant.to_owned(), record_id.to_owned());
        self.read(move |conn, codec| {
            records::sessions(conn, codec, &tenant, &id, slice, with_segments)
        })
        .await
    }

    async fn session(
        &self,
        tenant: &TenantId,
        record_id: &str,
        session_id: &str,
    ) -> Result<Option<SessionRow>, StoreError> {
        let (tenant, id, session_id) = (
            tenant.to_owned(),
            record_id.to_owned(),
            session_id.to_owned(),
        );
        self.read(move |conn, codec| records::session(conn, codec, &tenant, &id, &session_id))
            .await
    }

    async fn participants(
        &self,
        tenant: &TenantId,
        record_id: &str,
        slice: Slice,
    ) -> Result<Option<Vec<ParticipantRow>>, StoreError> {
        let (tenant, id) = (tenant.to_owned(), record_id.to_owned());
        self.read(move |conn, codec| records::participants(conn, codec, &tenant, &id, slice))
            .await
    }

    async fn participant(
        &self,
        tenant: &TenantId,
        record_id: &str,
        participant_id: &str,
    ) -> Result<Option<ParticipantRow>, StoreError> {
        let (tenant, id, participant_id) = (
            tenant.to_owned(),
            record_id.to_owned(),
            participant_id.to_owned(),
        );
        self.read(move |conn, codec| {
            records::participant(conn, codec, &tenant, &id, &participant_id)
        })
        .await
    }

    async fn list_records(
        &self,
        tenant: &TenantId,
        query: &ListQuery,
    ) -> Result<RecordPage, StoreError> {
        let (tenant, query) = (tenant.to_owned(), query.clone());
        self.read(move |conn, codec| records::list(conn, codec, &tenant, &query))
            .await
    }

    async fn purge_ended_before(
        &self,
        cutoff: callrec_model::edm::Ticks,
        limit: u32,
    ) -> Result<u64, StoreError> {
        records::purge_ended_before(self, cutoff, limit).await
    }

    async fn records_to_scrub(
        &self,
        cutoff: callrec_model::edm::Ticks,
        limit: u32,
    ) -> Result<Vec<crate::RecordKey>, StoreError> {
        records::records_to_scrub(self, cutoff, limit).await
    }

    async fn stats(&self) -> Result<StoreStats, StoreError> {
        let (records, sessions) = self.read(|conn, _| records::totals(conn)).await?;
        let mut wal = self.shared.path.clone().into_os_string();
        wal.push("-wal");
        let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
        Ok(StoreStats {
            records,
            sessions,
            disk_bytes: size(&self.shared.path) + size(Path::new(&wal)),
        })
    }
}

#[cfg(test)]
mod tests {
    use callrec_model::query::{RecordOrder, TimeField};

    use super::*;

    /// Deep pages must cost what the first does: the listing walks an index in order, never sorts.
    #[test]
    fn listings_walk_an_index_without_sorting() {
        let dir = std::env::temp_dir().join(format!("callrec-plan-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("plan.db");
        let conn = open_writer(&path, &SqliteOptions::default()).unwrap();
        for field in [
            TimeField::StartDateTime,
            TimeField::EndDateTime,
            TimeField::LastModifiedDateTime,
        ] {
            for descending in [false, true] {
                let query = ListQuery {
                    filter: None,
                    order: RecordOrder { field, descending },
                    after: Some(callrec_model::query::Cursor {
                        key: callrec_model::edm::Ticks(5),
                        id: "x".into(),
                    }),
                    limit: 60,
                    count: false,
                };
                let (sql, params) = records::list_sql(1, &query);
                let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
                let plan: Vec<String> = stmt
                    .query_map(rusqlite::params_from_iter(params), |r| {
                        r.get::<_, String>(3)
                    })
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap();
                let plan = plan.join("; ");
                let index = format!(
                    "records_by_{}",
                    &filter::time_column(field).trim_end_matches("_time")
                );
                assert!(plan.contains(&index), "{field:?} desc={descending}: {plan}");
                assert!(
                    plan.contains('>') || plan.contains('<'),
                    "range seek expected: {plan}"
                );
                assert!(
                    !plan.contains("TEMP B-TREE"),
                    "{field:?} desc={descending}: {plan}"
                );
            }
        }
        drop(conn);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
