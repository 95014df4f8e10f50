//! The PostgreSQL backend: how callrec scales past one machine, several stateless nodes on one database.
//!
//! Its shape:
//!
//! - **A pool of connections** ([`deadpool_postgres`]) with a **prepared-statement cache per
//!   connection**: a statement is parsed and planned once per connection, then only bound and run.
//! - **One transaction per batch.** A batch of records is locked, decided and written with a handful of
//!   statements whatever its size: records go in as arrays (`INSERT ... SELECT FROM unnest(...)`),
//!   sessions and participants with `COPY ... FROM STDIN BINARY`, never one statement per row
//!   ([`records`]).
//! - **Correct under concurrent writers on many nodes.** Stored rows are locked (`SELECT ... FOR UPDATE`,
//!   in id order) before their version is compared, and new rows are inserted with `ON CONFLICT DO
//!   NOTHING`, which waits for a concurrent insert of the same id and then reports it lost, so the batch
//!   locks that row and decides again. No record is lost or doubled, and the highest version wins.
//! - **The outbox is claimed with `FOR UPDATE SKIP LOCKED`**, so every notification is delivered by one
//!   node ([`subscriptions`]).
//! - **Retention and scrubbing run on any node, several at once**: purges go tenant by tenant along the
//!   time indexes; scrubbing finds its work through partial indexes of the unscrubbed records and log
//!   rows, and takes log rows with `FOR UPDATE SKIP LOCKED`, so no row is scrubbed twice
//!   (`postgres/logs.rs`).
//! - **Every JSON piece is compressed** with the same codec as the embedded store ([`crate::compress`]);
//!   dictionaries live in a table shared by all nodes, and a node that meets a blob made with a dictionary
//!   it does not know yet (trained by another node) loads it.
//! - **Versioned migrations** at open ([`schema`]).
//!
//! The URL is a libpq-style `postgres://` URL; callrec adds two parameters of its own: `schema=NAME` keeps
//! the store in that schema (created if missing), so one database can hold several stores, and
//! `pool_size=N` sets the connections of this node's pool.

/// Runs `$work` (an async expression using the transaction `$tx`) in a transaction of `$client` and
/// commits it, running it again from the start when it lost a deadlock or a serialization check to a
/// concurrent transaction. Evaluates to the work's value; returns the error from the enclosing function.
macro_rules! in_transaction {
    ($client:expr, $tx:ident => $work:expr) => {{
        let mut attempt = 0;
        loop {
            attempt += 1;
            let $tx = $client
                .transaction()
                .await
                .map_err($crate::postgres::backend)?;
            let result = $work.await;
            match $crate::postgres::finish($tx, result, attempt).await? {
                $crate::postgres::Next::Done(value) => break value,
                $crate::postgres::Next::Again => continue,
            }
        }
    }};
}

mod apps;
mod filter;
mod logs;
mod quality;
mod records;
mod schema;
mod subscriptions;

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use callrec_model::edm::Ticks;
use callrec_model::prepare::PreparedRecord;
use callrec_model::query::ListQuery;
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::NoTls;
use tokio_postgres::error::SqlState;

use crate::compress::{self, Codec, CompressError, Dictionary, DictionaryTraining};
use crate::{
    ParticipantRow, PutOutcome, RecordKey, RecordPage, RecordRow, RecordStore, RecordWithChildren,
    SessionRow, Slice, StoreError, StoreStats, TenantId, WriteCondition,
};

/// How to open a PostgreSQL store.
#[derive(Debug, Clone)]
pub struct PostgresOptions {
    /// Connections in the pool, hence statements that can run at once.
    pub pool_size: usize,
    /// zstd level for the stored pieces.
    pub compression_level: i32,
    /// When to train the compression dictionary; `None` never trains one.
    pub dictionary: Option<DictionaryTraining>,
    /// How long to wait for a connection to the server.
    pub connect_timeout: Duration,
}

impl Default for PostgresOptions {
    fn default() -> Self {
        PostgresOptions {
            pool_size: 16,
            compression_level: 3,
            dictionary: Some(DictionaryTraining::default()),
            connect_timeout: Duration::from_secs(10),
        }
    }
}

/// A parsed store URL: the driver's configuration and callrec's own parameters, `schema` and
/// `pool_size`.
#[derive(Debug, Clone)]
pub struct PostgresUrl {
    pub config: tokio_postgres::Config,
    pub schema: Option<String>,
    /// Overrides [`PostgresOptions::pool_size`].
    pub pool_size: Option<usize>,
}

impl PostgresUrl {
    /// Parses `postgres://...` or `postgresql://...`, taking out `schema=NAME` and `pool_size=N`.
    pub fn parse(url: &str) -> Result<PostgresUrl, StoreError> {
        let invalid = |why: String| StoreError::Open(format!("invalid PostgreSQL URL: {why}"));
        if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
            return Err(invalid(
                "it must start with postgres:// or postgresql://".into(),
            ));
        }
        let (base, query) = match url.split_once('?') {
            Some((base, query)) => (base, Some(query)),
            None => (url, None),
        };
        let mut schema = None;
        let mut pool_size = None;
        let mut kept = Vec::new();
        for pair in query.into_iter().flat_map(|q| q.split('&')) {
            match pair.split_once('=') {
                Some(("schema", value)) => schema = Some(value.to_owned()),
                Some(("pool_size", value)) => {
                    let n = value
                        .parse::<usize>()
                        .ok()
                        .filter(|n| *n > 0)
                        .ok_or_else(|| invalid(format!("pool_size={value}: a positive number")))?;
                    pool_size = Some(n);
                }
                _ if pair.is_empty() => {}
                _ => kept.push(pair),
            }
        }
        if let Some(name) = &schema {
            check_schema_name(name).map_err(invalid)?;
        }
        let rebuilt = if kept.is_empty() {
            base.to_owned()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
        let config =
            tokio_postgres::Config::from_str(&rebuilt).map_err(|e| invalid(e.to_string()))?;
        Ok(PostgresUrl {
            config,
            schema,
            pool_size,
        })
    }
}

/// Schema names go into `search_path` and DDL unquoted, so they are kept to what needs no quoting.
pub fn check_schema_name(name: &str) -> Result<(), String> {
    let valid = !name.is_empty()
        && name.len() <= 63
        && name.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if valid {
        Ok(())
    } else {
        Err(format!(
            "schema name '{name}': use lower-case letters, digits and '_' (at most 63), not starting with a digit"
        ))
    }
}

/// The text of a driver error, with the server's message, detail and SQLSTATE when it sent them.
pub(crate) fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => {
            let mut text = format!("{}: {} ({})", db.severity(), db.message(), db.code().code());
            if let Some(detail) = db.detail() {
                text.push_str(": ");
                text.push_str(detail);
            }
            text
        }
        None => e.to_string(),
    }
}

/// Maps a driver error to the store's error, keeping its text for the logs.
pub(crate) fn backend(e: tokio_postgres::Error) -> StoreError {
    StoreError::Backend(describe(&e))
}

fn pool_error(e: deadpool_postgres::PoolError) -> StoreError {
    match e {
        deadpool_postgres::PoolError::Backend(e) => backend(e),
        other => StoreError::Backend(format!("no PostgreSQL connection: {other}")),
    }
}

fn decode_error(e: CompressError) -> StoreError {
    StoreError::Backend(e.to_string())
}

/// Whether a failed transaction may simply be run again: it lost a deadlock or a serialization check to a
/// concurrent writer, and nothing of it was kept.
fn retryable(e: &tokio_postgres::Error) -> bool {
    matches!(
        e.code(),
        Some(c) if *c == SqlState::T_R_DEADLOCK_DETECTED || *c == SqlState::T_R_SERIALIZATION_FAILURE
    )
}

/// A transaction that loses a deadlock is run again at most this many times.
const MAX_ATTEMPTS: usize = 8;

/// What to do after a transaction's work: it is done, or it must run again.
enum Next<T> {
    Done(T),
    Again,
}

/// Commits or rolls back a transaction after its work, and tells [`in_transaction`] whether to run it again.
async fn finish<T>(
    tx: deadpool_postgres::Transaction<'_>,
    result: Result<T, records::TxError>,
    attempt: usize,
) -> Result<Next<T>, StoreError> {
    match result {
        Ok(value) => match tx.commit().await {
            Ok(()) => Ok(Next::Done(value)),
            Err(e) if retryable(&e) && attempt < MAX_ATTEMPTS => {
                tracing::debug!(error = %e, attempt, "commit lost to a concurrent writer; again");
                Ok(Next::Again)
            }
            Err(e) => Err(backend(e)),
        },
        Err(records::TxError::Db(e)) if retryable(&e) && attempt < MAX_ATTEMPTS => {
            tracing::debug!(error = %e, attempt, "transaction lost to a concurrent writer; again");
            let _ = tx.rollback().await;
            Ok(Next::Again)
        }
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e.into())
        }
    }
}

/// Prepared statements a connection keeps before its cache is emptied: filters make one statement per
/// shape, and shapes come from clients.
const STATEMENT_CACHE_LIMIT: usize = 512;

struct Inner {
    pool: Pool,
    codec: Arc<Codec>,
    schema_version: usize,
    /// Serializes reloads of the dictionaries table.
    refresh: tokio::sync::Mutex<()>,
}

/// The PostgreSQL store. Cheap to clone; every clone shares the pool.
#[derive(Clone)]
pub struct PostgresStore {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("schema_version", &self.inner.schema_version)
            .finish_non_exhaustive()
    }
}

async fn load_dictionaries(
    client: &deadpool_postgres::Client,
    level: i32,
    from: u8,
) -> Result<Vec<Dictionary>, StoreError> {
    let rows = client
        .query(
            "SELECT id, bytes FROM dictionaries WHERE id >= $1 ORDER BY id",
            &[&i16::from(from)],
        )
        .await
        .map_err(backend)?;
    rows.into_iter()
        .map(|row| {
            let id: i16 = row.get(0);
            let id = u8::try_from(id)
                .map_err(|_| StoreError::Open(format!("dictionary id {id} out of range")))?;
            Dictionary::new(id, row.get(1), level).map_err(|e| StoreError::Open(e.to_string()))
        })
        .collect()
}

impl PostgresStore {
    /// Connects to the database named by `url`, creates the URL's schema if it names one, and brings the
    /// store's schema up to date.
    pub async fn open(url: &str, options: PostgresOptions) -> Result<PostgresStore, StoreError> {
        let PostgresUrl {
            mut config,
            schema,
            pool_size,
        } = PostgresUrl::parse(url)?;
        config.application_name("callrec");
        config.connect_timeout(options.connect_timeout);
        if let Some(schema) = &schema {
            let search_path = format!("-csearch_path={schema}");
            let joined = match config.get_options() {
                Some(existing) if !existing.is_empty() => format!("{existing} {search_path}"),
                _ => search_path,
            };
            config.options(joined);
        }
        let manager = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(pool_size.unwrap_or(options.pool_size).max(1))
            .build()
            .map_err(|e| StoreError::Open(e.to_string()))?;
        let mut client = pool
            .get()
            .await
            .map_err(|e| StoreError::Open(format!("cannot connect: {e}")))?;
        if let Some(schema) = &schema {
            create_schema(&client, schema).await?;
        }
        let schema_version = schema::migrate(&mut client).await?;
        let dictionaries = load_dictionaries(&client, options.compression_level, 1).await?;
        drop(client);
        let codec = Arc::new(Codec::new(
            options.compression_level,
            options.dictionary,
            dictionaries,
        ));
        Ok(PostgresStore {
            inner: Arc::new(Inner {
                pool,
                codec,
                schema_version,
                refresh: tokio::sync::Mutex::new(()),
            }),
        })
    }

    /// Drops the schema a store URL names (`schema=NAME`), with every table and row of the store in it.
    /// For tests and tooling that make a store per run; refuses a URL without a schema.
    pub async fn drop_schema(url: &str) -> Result<(), StoreError> {
        let PostgresUrl { config, schema, .. } = PostgresUrl::parse(url)?;
        let Some(schema) = schema else {
            return Err(StoreError::Open(
                "the URL names no schema (schema=NAME) to drop".into(),
            ));
        };
        let (client, connection) = config
            .connect(NoTls)
            .await
            .map_err(|e| StoreError::Open(format!("cannot connect: {}", describe(&e))))?;
        let connection = tokio::spawn(connection);
        let dropped = client
            .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
            .await
            .map_err(backend);
        drop(client);
        let _ = connection.await;
        dropped
    }

    /// The number of migrations applied to the database.
    pub fn schema_version(&self) -> usize {
        self.inner.schema_version
    }

    /// The number of migrations this program knows.
    pub fn latest_schema_version() -> usize {
        schema::MIGRATIONS.len()
    }

    /// The id of the compression dictionary new writes use, if one has been trained.
    pub fn dictionary_id(&self) -> Option<u8> {
        match self.inner.codec.encoder().dictionary_id() {
            compress::NO_DICTIONARY => None,
            id => Some(id),
        }
    }

    /// PostgreSQL's plan for one page of a listing, for diagnostics and for tests of deep-page cost.
    pub async fn explain_listing(
        &self,
        tenant: &TenantId,
        query: &ListQuery,
    ) -> Result<String, StoreError> {
        let client = self.client().await?;
        records::explain_list(&client, tenant, query).await
    }

    /// A pooled connection, its statement cache kept bounded.
    async fn client(&self) -> Result<deadpool_postgres::Client, StoreError> {
        let client = self.inner.pool.get().await.map_err(pool_error)?;
        if client.statement_cache.size() > STATEMENT_CACHE_LIMIT {
            client.statement_cache.clear();
        }
        Ok(client)
    }

    /// Loads the dictionaries other nodes have stored since this one last looked.
    async fn refresh_dictionaries(&self) -> Result<(), StoreError> {
        let _guard = self.inner.refresh.lock().await;
        let Some(from) = self.inner.codec.next_dictionary_id() else {
            return Ok(());
        };
        let client = self.client().await?;
        for dictionary in load_dictionaries(&client, self.inner.codec.level(), from).await? {
            tracing::info!(id = dictionary.id(), "loaded a compression dictionary");
            self.inner.codec.install(dictionary);
        }
        Ok(())
    }

    /// Decodes what a read fetched; when a blob names a dictionary this node does not know yet (another
    /// node trained it), loads the new dictionaries and decodes again.
    async fn decoded<T>(
        &self,
        decode: impl Fn(&Codec) -> Result<T, CompressError>,
    ) -> Result<T, StoreError> {
        match decode(&self.inner.codec) {
            Err(CompressError::UnknownDictionary(_)) => {
                self.refresh_dictionaries().await?;
                decode(&self.inner.codec).map_err(decode_error)
            }
            other => other.map_err(decode_error),
        }
    }

    /// Trains a dictionary on these samples off the write path and stores it; only then do new writes
    /// use it. When another node stored a dictionary under the same id first, that one is adopted.
    fn train_dictionary(&self, samples: Vec<Vec<u8>>) {
        let store = self.clone();
        tokio::spawn(async move {
            let codec = store.inner.codec.clone();
            match store.train_and_store(samples).await {
                Ok(id) => {
                    tracing::info!(id, "trained a compression dictionary");
                    codec.training_done();
                }
                Err(e) => {
                    tracing::warn!(error = %e, "dictionary training failed");
                    codec.training_failed();
                }
            }
        });
    }

    async fn train_and_store(&self, samples: Vec<Vec<u8>>) -> Result<u8, StoreError> {
        let codec = self.inner.codec.clone();
        let id = codec
            .next_dictionary_id()
            .ok_or_else(|| StoreError::Backend("no dictionary id left".into()))?;
        let trained = {
            let codec = codec.clone();
            tokio::task::spawn_blocking(move || {
                compress::train(&samples, codec.dictionary_max_size())
                    .and_then(|bytes| Dictionary::new(id, bytes, codec.level()))
            })
            .await
            .map_err(|e| StoreError::Backend(format!("training task failed: {e}")))?
            .map_err(decode_error)?
        };
        let client = self.client().await?;
        let stored = client
            .execute(
                "INSERT INTO dictionaries (id, bytes) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING",
                &[&i16::from(id), &trained.bytes()],
            )
            .await
            .map_err(backend)?;
        drop(client);
        if stored == 1 {
            codec.install(trained);
            Ok(id)
        } else {
            self.refresh_dictionaries().await?;
            Ok(codec.encoder().dictionary_id())
        }
    }
}

async fn create_schema(client: &deadpool_postgres::Client, schema: &str) -> Result<(), StoreError> {
    let exists: bool = client
        .query_one(
            "SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)",
            &[&schema],
        )
        .await
        .map_err(|e| StoreError::Open(describe(&e)))?
        .get(0);
    if exists {
        return Ok(());
    }
    // Two nodes creating the schema at once: one of them sees a duplicate, which is as good.
    match client
        .batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))
        .await
    {
        Ok(()) => Ok(()),
        Err(e) if matches!(e.code(), Some(c) if *c == SqlState::UNIQUE_VIOLATION || *c == SqlState::DUPLICATE_SCHEMA) => {
            Ok(())
        }
        Err(e) => Err(StoreError::Open(format!(
            "cannot create schema {schema}: {}",
            describe(&e)
        ))),
    }
}

#[async_trait]
impl RecordStore for PostgresStore {
    async fn put_records(
        &self,
        tenant: &TenantId,
        mut records: Vec<PreparedRecord>,
        condition: WriteCondition,
    ) -> Result<Vec<PutOutcome>, StoreError> {
        if records.is_empty() {
            return Ok(Vec::new());
        }
        if condition == WriteCondition::Scrubbing {
            // What a scrubbing write stores is scrubbed, whatever the caller forgot to say.
            for record in &mut records {
                record.scrubbed = true;
            }
        }
        let codec = self.inner.codec.clone();
        let (encoded, samples) = tokio::task::spawn_blocking(move || {
            let samples = codec.offer_records(&records);
            let encoder = codec.encoder();
            let encoded: Vec<crate::encoded::EncodedRecord> = records
                .into_iter()
                .map(|r| crate::encoded::EncodedRecord::new(r, &encoder))
                .collect();
            (encoded, samples)
        })
        .await
        .map_err(|e| StoreError::Backend(format!("compression task failed: {e}")))?;
        if let Some(samples) = samples {
            self.train_dictionary(samples);
        }
        let mut client = self.client().await?;
        records::put(&mut client, tenant, &encoded, condition).await
    }

    async fn delete_record(&self, tenant: &TenantId, id: &str) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        records::delete(&mut client, tenant, id).await
    }

    async fn get_record(
        &self,
        tenant: &TenantId,
        id: &str,
    ) -> Result<Option<RecordRow>, StoreError> {
        let client = self.client().await?;
        let raw = records::get_record(&client, tenant, id).await?;
        drop(client);
        match raw {
            None => Ok(None),
            Some(raw) => self.decoded(|codec| raw.decode(codec)).await.map(Some),
        }
    }

    async fn record_with_children(
        &self,
        tenant: &TenantId,
        id: &str,
        sessions: Option<(Slice, bool)>,
        participants: Option<Slice>,
    ) -> Result<Option<RecordWithChildren>, StoreError> {
        let client = self.client().await?;
        let raw =
            records::record_with_children(&client, tenant, id, sessions, participants).await?;
        drop(client);
        let Some(raw) = raw else { return Ok(None) };
        self.decoded(|codec| {
            Ok(RecordWithChildren {
                record: raw.record.decode(codec)?,
                sessions: raw
                    .sessions
                    .iter()
                    .map(|s| s.decode(codec))
                    .collect::<Result<_, _>>()?,
                participants: raw
                    .participants
                    .iter()
                    .map(|p| p.decode(codec))
                    .collect::<Result<_, _>>()?,
            })
        })
        .await
        .map(Some)
    }

    async fn sessions(
        &self,
        tenant: &TenantId,
        record_id: &str,
        slice: Slice,
        with_segments: bool,
    ) -> Result<Option<Vec<SessionRow>>, StoreError> {
        let client = self.client().await?;
        let raw = records::sessions(&client, tenant, record_id, slice, with_segments).await?;
        drop(client);
        match raw {
            None => Ok(None),
            Some(raws) => self
                .decoded(|codec| raws.iter().map(|r| r.decode(codec)).collect())
                .await
                .map(Some),
        }
    }

    async fn session(
        &self,
        tenant: &TenantId,
        record_id: &str,
        session_id: &str,
    ) -> Result<Option<SessionRow>, StoreError> {
        let client = self.client().await?;
        let raw = records::session(&client, tenant, record_id, session_id).await?;
        drop(client);
        match raw {
            None => Ok(None),
            Some(raw) => self.decoded(|codec| raw.decode(codec)).await.map(Some),
        }
    }

    async fn participants(
        &self,
        tenant: &TenantId,
        record_id: &str,
        slice: Slice,
    ) -> Result<Option<Vec<ParticipantRow>>, StoreError> {
        let client = self.client().await?;
        let raw = records::participants(&client, tenant, record_id, slice).await?;
        drop(client);
        match raw {
            None => Ok(None),
            Some(raws) => self
                .decoded(|codec| raws.iter().map(|r| r.decode(codec)).collect())
                .await
                .map(Some),
        }
    }

    async fn participant(
        &self,
        tenant: &TenantId,
        record_id: &str,
        participant_id: &str,
    ) -> Result<Option<ParticipantRow>, StoreError> {
        let client = self.client().await?;
        let raw = records::participant(&client, tenant, record_id, participant_id).await?;
        drop(client);
        match raw {
            None => Ok(None),
            Some(raw) => self.decoded(|codec| raw.decode(codec)).await.map(Some),
        }
    }

    async fn list_records(
        &self,
        tenant: &TenantId,
        query: &ListQuery,
    ) -> Result<RecordPage, StoreError> {
        let mut client = self.client().await?;
        let raw = records::list(&mut client, tenant, query).await?;
        drop(client);
        let records::RawPage { items, next, count } = raw;
        let items = self
            .decoded(|codec| items.iter().map(|r| r.decode(codec)).collect())
            .await?;
        Ok(RecordPage { items, next, count })
    }

    async fn stats(&self) -> Result<StoreStats, StoreError> {
        let client = self.client().await?;
        records::stats(&client).await
    }

    async fn purge_ended_before(&self, cutoff: Ticks, limit: u32) -> Result<u64, StoreError> {
        let mut client = self.client().await?;
        records::purge_ended_before(&mut client, cutoff.0, limit).await
    }

    async fn records_to_scrub(
        &self,
        cutoff: Ticks,
        limit: u32,
    ) -> Result<Vec<RecordKey>, StoreError> {
        let client = self.client().await?;
        records::records_to_scrub(&client, cutoff.0, limit).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_keep_the_driver_settings_and_take_out_the_schema() {
        let url = PostgresUrl::parse(
            "postgres://callrec:secret@127.0.0.1:5432/callrec?schema=tenant_a&connect_timeout=3",
        )
        .unwrap();
        assert_eq!(url.schema.as_deref(), Some("tenant_a"));
        assert_eq!(url.config.get_dbname(), Some("callrec"));
        assert_eq!(url.config.get_user(), Some("callrec"));
        assert_eq!(
            url.config.get_connect_timeout(),
            Some(&Duration::from_secs(3))
        );
        assert_eq!(url.pool_size, None);
        let url = PostgresUrl::parse("postgres://u@h/db?pool_size=40&schema=s").unwrap();
        assert_eq!(
            (url.pool_size, url.schema.as_deref()),
            (Some(40), Some("s"))
        );

        let url = PostgresUrl::parse("postgresql://u@localhost/db").unwrap();
        assert_eq!(url.schema, None);
        assert_eq!(url.config.get_dbname(), Some("db"));

        for bad in [
            "postgres://u@h/db?schema=Upper",
            "postgres://u@h/db?schema=a;drop",
            "postgres://u@h/db?schema=1abc",
            "postgres://u@h/db?schema=",
            "postgres://u@h/db?pool_size=0",
            "postgres://u@h/db?pool_size=many",
            "mysql://u@h/db",
        ] {
            assert!(PostgresUrl::parse(bad).is_err(), "{bad}");
        }
    }
}
