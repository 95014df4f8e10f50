//! Call records on PostgreSQL: the batch write that stays right under concurrent writers on many nodes,
//! the delete, and the reads.
//!
//! A batch is one transaction in READ COMMITTED:
//!
//! 1. lock the stored rows of its ids (`SELECT ... ORDER BY id FOR UPDATE`: in id order, so two batches
//!    with the same ids queue instead of deadlocking), and read their versions;
//! 2. decide every record of the batch against them, in order (a batch may hold an id twice);
//! 3. insert the ids that are new with `ON CONFLICT DO NOTHING`: an insert that meets a concurrent,
//!    uncommitted insert of the same id waits for it, and when that one commits, reports the id as lost.
//!    The batch then locks the lost ids (now visible) and decides them again, as in 1 and 2;
//! 4. update the replaced rows and rewrite their children (records as arrays through `unnest`, sessions
//!    and participants with binary `COPY`), a few statements whatever the batch's size; queue the
//!    notifications and quality rows in the same transaction.
//!
//! A scrubbing write ([`WriteCondition::Scrubbing`]) takes the same path: it replaces a stored record of
//! the same version that is not scrubbed yet (children, participant index and quality rows with it), marks
//! it scrubbed, and queues no notification. [`records_to_scrub`] finds the records still to scrub.
//!
//! Deadlocks are still possible between batches that mix new and stored ids in crossing orders;
//! PostgreSQL breaks them by failing one transaction, which is then run again from the start.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};

use callrec_model::edm::Ticks;
use callrec_model::query::{Cursor, ListQuery};
use deadpool_postgres::{Client, Transaction};
use tokio_postgres::IsolationLevel;
use tokio_postgres::binary_copy::BinaryCopyInWriter;
use tokio_postgres::types::{ToSql, Type};

use crate::compress::{Codec, CompressError};
use crate::encoded::EncodedRecord;
use crate::{
    ParticipantRow, PutOutcome, RecordKey, RecordRow, SessionRow, Slice, StoreError, WriteCondition,
};

use super::backend;
use super::filter::{Param, modalities_column, push_condition, time_column};

/// A batch that keeps losing races for new ids gives up after this many rounds.
const MAX_ROUNDS: usize = 16;
/// Counter slots per tenant in `record_totals`.
const TOTAL_SLOTS: usize = 8;

/// Why a write transaction stopped: a driver error (maybe worth running again) or a store error.
pub(super) enum TxError {
    Db(tokio_postgres::Error),
    Store(StoreError),
}

impl From<tokio_postgres::Error> for TxError {
    fn from(e: tokio_postgres::Error) -> Self {
        TxError::Db(e)
    }
}

impl From<StoreError> for TxError {
    fn from(e: StoreError) -> Self {
        TxError::Store(e)
    }
}

impl From<TxError> for StoreError {
    fn from(e: TxError) -> Self {
        match e {
            TxError::Db(e) => backend(e),
            TxError::Store(e) => e,
        }
    }
}

/// The state of a stored record that a write decides against.
#[derive(Debug, Clone, Copy)]
struct Stored {
    version: i64,
    session_count: i64,
    scrubbed: bool,
}

/// Locks the stored rows of these ids, in id order, and reads their state.
async fn lock(
    tx: &Transaction<'_>,
    tenant: &str,
    ids: &[&str],
) -> Result<HashMap<String, Stored>, TxError> {
    let stmt = tx
        .prepare_cached(
            "SELECT id, version, session_count, scrubbed FROM records WHERE tenant = $1 AND id = ANY($2) \
             ORDER BY id FOR UPDATE",
        )
        .await?;
    let rows = tx.query(&stmt, &[&tenant, &ids]).await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.get::<_, String>(0),
                Stored {
                    version: r.get(1),
                    session_count: i64::from(r.get::<_, i32>(2)),
                    scrubbed: r.get(3),
                },
            )
        })
        .collect())
}

/// What a batch does, decided against the stored state.
struct Plan {
    outcomes: Vec<PutOutcome>,
    /// The records that write, in batch order, each with whether it creates its id.
    writes: Vec<(usize, bool)>,
    /// The last record written for each id: what the id holds after the batch.
    finals: HashMap<String, usize>,
}

fn decide(
    records: &[EncodedRecord],
    stored: &HashMap<String, Stored>,
    condition: WriteCondition,
) -> Plan {
    // What each id holds so far in the batch: its version and whether it is scrubbed.
    let mut state: HashMap<&str, Option<(i64, bool)>> = HashMap::new();
    let mut plan = Plan {
        outcomes: Vec::with_capacity(records.len()),
        writes: Vec::new(),
        finals: HashMap::new(),
    };
    for (i, record) in records.iter().enumerate() {
        let held = *state
            .entry(record.id.as_str())
            .or_insert_with(|| stored.get(&record.id).map(|s| (s.version, s.scrubbed)));
        let current = held.map(|(version, _)| version);
        let skipped = match condition {
            WriteCondition::NewerVersion => match current {
                Some(v) if v >= record.version => Some(PutOutcome::Stale { stored_version: v }),
                _ => None,
            },
            WriteCondition::StoredVersionIs(expected) if current != expected => {
                Some(PutOutcome::Conflict {
                    stored_version: current,
                })
            }
            WriteCondition::StoredVersionIs(_) => None,
            // The scrubbed record replaces exactly what was read to scrub: the same version, not scrubbed.
            WriteCondition::Scrubbing => match held {
                Some((version, false)) if version == record.version => None,
                _ => Some(PutOutcome::Conflict {
                    stored_version: current,
                }),
            },
        };
        if let Some(skipped) = skipped {
            plan.outcomes.push(skipped);
            continue;
        }
        plan.outcomes.push(match current {
            None => PutOutcome::Created,
            Some(previous_version) => PutOutcome::Replaced { previous_version },
        });
        plan.writes.push((i, current.is_none()));
        plan.finals.insert(record.id.clone(), i);
        state.insert(record.id.as_str(), Some((record.version, record.scrubbed)));
    }
    plan
}

/// The columns of `records` a write sets, as arrays, in the order of the `unnest` of the statements below.
struct RecordArrays<'a> {
    id: Vec<&'a str>,
    version: Vec<i64>,
    start: Vec<i64>,
    end: Vec<i64>,
    last_modified: Vec<i64>,
    call_type: Vec<&'a str>,
    modalities: Vec<String>,
    session_count: Vec<i32>,
    participant_count: Vec<i32>,
    head: Vec<&'a [u8]>,
    organizer: Vec<Option<&'a [u8]>>,
    scrubbed: Vec<bool>,
}

impl<'a> RecordArrays<'a> {
    fn of(records: &[&'a EncodedRecord]) -> Self {
        RecordArrays {
            id: records.iter().map(|r| r.id.as_str()).collect(),
            version: records.iter().map(|r| r.version).collect(),
            start: records.iter().map(|r| r.start).collect(),
            end: records.iter().map(|r| r.end).collect(),
            last_modified: records.iter().map(|r| r.last_modified).collect(),
            call_type: records.iter().map(|r| r.call_type.as_str()).collect(),
            modalities: records
                .iter()
                .map(|r| modalities_column(&r.modalities))
                .collect(),
            session_count: records.iter().map(|r| r.sessions.len() as i32).collect(),
            participant_count: records
                .iter()
                .map(|r| r.participants.len() as i32)
                .collect(),
            head: records.iter().map(|r| r.head.as_slice()).collect(),
            organizer: records.iter().map(|r| r.organizer.as_deref()).collect(),
            scrubbed: records.iter().map(|r| r.scrubbed).collect(),
        }
    }

    fn params<'s>(&'s self, tenant: &'s &'s str) -> [&'s (dyn ToSql + Sync); 13] {
        [
            tenant,
            &self.id,
            &self.version,
            &self.start,
            &self.end,
            &self.last_modified,
            &self.call_type,
            &self.modalities,
            &self.session_count,
            &self.participant_count,
            &self.head,
            &self.organizer,
            &self.scrubbed,
        ]
    }
}

const UNNEST_RECORDS: &str = "unnest($2::text[], $3::int8[], $4::int8[], $5::int8[], $6::int8[], $7::text[], \
     $8::text[], $9::int4[], $10::int4[], $11::bytea[], $12::bytea[], $13::bool[]) \
     AS u(id, version, start_time, end_time, last_modified, call_type, modalities, session_count, \
     participant_count, head, organizer, scrubbed)";

/// Inserts new records; returns the ids inserted (the others were inserted meanwhile by someone else).
async fn insert_records(
    tx: &Transaction<'_>,
    tenant: &str,
    records: &[&EncodedRecord],
) -> Result<HashSet<String>, TxError> {
    let arrays = RecordArrays::of(records);
    let stmt = tx
        .prepare_cached(&format!(
            "INSERT INTO records (tenant, id, version, start_time, end_time, last_modified, call_type, \
             modalities, session_count, participant_count, head, organizer, scrubbed) \
             SELECT $1, u.* FROM {UNNEST_RECORDS} ORDER BY u.id \
             ON CONFLICT (tenant, id) DO NOTHING RETURNING id"
        ))
        .await?;
    let rows = tx.query(&stmt, &arrays.params(&tenant)).await?;
    Ok(rows.into_iter().map(|r| r.get(0)).collect())
}

async fn update_records(
    tx: &Transaction<'_>,
    tenant: &str,
    records: &[&EncodedRecord],
) -> Result<(), TxError> {
    let arrays = RecordArrays::of(records);
    let stmt = tx
        .prepare_cached(&format!(
            "UPDATE records r SET version = u.version, start_time = u.start_time, end_time = u.end_time, \
             last_modified = u.last_modified, call_type = u.call_type, modalities = u.modalities, \
             session_count = u.session_count, participant_count = u.participant_count, head = u.head, \
             organizer = u.organizer, scrubbed = u.scrubbed FROM {UNNEST_RECORDS} \
             WHERE r.tenant = $1 AND r.id = u.id"
        ))
        .await?;
    tx.execute(&stmt, &arrays.params(&tenant)).await?;
    Ok(())
}

/// Deletes the sessions, participants and participant index entries of these records.
async fn delete_children(tx: &Transaction<'_>, tenant: &str, ids: &[&str]) -> Result<(), TxError> {
    for sql in [
        "DELETE FROM sessions WHERE tenant = $1 AND record_id = ANY($2)",
        "DELETE FROM participants WHERE tenant = $1 AND record_id = ANY($2)",
        "DELETE FROM record_participants WHERE tenant = $1 AND record_id = ANY($2)",
    ] {
        let stmt = tx.prepare_cached(sql).await?;
        tx.execute(&stmt, &[&tenant, &ids]).await?;
    }
    Ok(())
}

/// Writes rows with `COPY ... FROM STDIN BINARY`: the rows stream to the server as they are encoded,
/// without the arrays an `unnest` insert builds on both sides, which matters for the large blobs of
/// sessions and participants.
async fn copy_rows(
    tx: &Transaction<'_>,
    sql: &str,
    types: &[Type],
    rows: Vec<Vec<&(dyn ToSql + Sync)>>,
) -> Result<(), TxError> {
    let stmt = tx.prepare_cached(sql).await?;
    let sink = tx.copy_in(&stmt).await?;
    let writer = BinaryCopyInWriter::new(sink, types);
    let mut writer = std::pin::pin!(writer);
    for row in &rows {
        writer.as_mut().write(row).await?;
    }
    writer.finish().await?;
    Ok(())
}

async fn insert_children(
    tx: &Transaction<'_>,
    tenant: &str,
    records: &[&EncodedRecord],
) -> Result<(), TxError> {
    // Borrowed by every row the closures below make.
    let tenant_param: &&str = &tenant;
    let positions: Vec<Vec<i32>> = records
        .iter()
        .map(|r| (0..r.sessions.len().max(r.participants.len()) as i32).collect())
        .collect();
    if records.iter().any(|r| !r.sessions.is_empty()) {
        let rows = records.iter().zip(&positions).flat_map(|(r, pos)| {
            r.sessions.iter().zip(pos).map(move |(s, p)| {
                let row: Vec<&(dyn ToSql + Sync)> =
                    vec![tenant_param, &r.id, p, &s.id, &s.head, &s.segments];
                row
            })
        });
        let rows: Vec<_> = rows.collect();
        copy_rows(
            tx,
            "COPY sessions (tenant, record_id, position, session_id, head, segments) FROM STDIN BINARY",
            &[Type::TEXT, Type::TEXT, Type::INT4, Type::TEXT, Type::BYTEA, Type::BYTEA],
            rows,
        )
        .await?;
    }
    if records.iter().any(|r| !r.participants.is_empty()) {
        let rows = records.iter().zip(&positions).flat_map(|(r, pos)| {
            r.participants.iter().zip(pos).map(move |((id, body), p)| {
                let row: Vec<&(dyn ToSql + Sync)> = vec![tenant_param, &r.id, p, id, body];
                row
            })
        });
        let rows: Vec<_> = rows.collect();
        copy_rows(
            tx,
            "COPY participants (tenant, record_id, position, participant_id, body) FROM STDIN BINARY",
            &[Type::TEXT, Type::TEXT, Type::INT4, Type::TEXT, Type::BYTEA],
            rows,
        )
        .await?;
    }
    let (mut rid, mut pid) = (Vec::new(), Vec::new());
    for r in records {
        for id in &r.participant_ids {
            rid.push(r.id.as_str());
            pid.push(id.as_str());
        }
    }
    if !rid.is_empty() {
        let stmt = tx
            .prepare_cached(
                "INSERT INTO record_participants (tenant, participant_id, record_id) \
                 SELECT $1, * FROM unnest($2::text[], $3::text[]) ON CONFLICT DO NOTHING",
            )
            .await?;
        tx.execute(&stmt, &[&tenant, &pid, &rid]).await?;
    }
    Ok(())
}

/// Adds to the tenant's counters, in one of a few slots so that concurrent batches rarely wait on one row.
async fn add_totals(
    tx: &Transaction<'_>,
    tenant: &str,
    records: i64,
    sessions: i64,
) -> Result<(), TxError> {
    if records == 0 && sessions == 0 {
        return Ok(());
    }
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let slot = (NEXT.fetch_add(1, Ordering::Relaxed) % TOTAL_SLOTS) as i16;
    let stmt = tx
        .prepare_cached(
            "INSERT INTO record_totals (tenant, slot, records, sessions) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (tenant, slot) DO UPDATE SET records = record_totals.records + EXCLUDED.records, \
             sessions = record_totals.sessions + EXCLUDED.sessions",
        )
        .await?;
    tx.execute(&stmt, &[&tenant, &slot, &records, &sessions])
        .await?;
    Ok(())
}

async fn put_in(
    tx: &Transaction<'_>,
    tenant: &str,
    records: &[EncodedRecord],
    condition: WriteCondition,
) -> Result<Vec<PutOutcome>, TxError> {
    let mut ids: Vec<&str> = records.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut stored = lock(tx, tenant, &ids).await?;
    let mut inserted: HashSet<String> = HashSet::new();
    let mut rounds = 0;
    let plan = loop {
        let plan = decide(records, &stored, condition);
        let mut new: Vec<&EncodedRecord> = plan
            .finals
            .iter()
            .filter(|(id, _)| !stored.contains_key(*id) && !inserted.contains(*id))
            .map(|(_, &i)| &records[i])
            .collect();
        if new.is_empty() {
            break plan;
        }
        new.sort_unstable_by(|a, b| a.id.cmp(&b.id));
        let now = insert_records(tx, tenant, &new).await?;
        let lost: Vec<&str> = new
            .iter()
            .map(|r| r.id.as_str())
            .filter(|id| !now.contains(*id))
            .collect();
        inserted.extend(now);
        if lost.is_empty() {
            break plan;
        }
        rounds += 1;
        if rounds >= MAX_ROUNDS {
            return Err(StoreError::Backend(format!(
                "records {lost:?} keep being written concurrently; giving up"
            ))
            .into());
        }
        // Another transaction created these ids and committed; they are stored records now.
        stored.extend(lock(tx, tenant, &lost).await?);
    };

    let mut replaced: Vec<&EncodedRecord> = Vec::new();
    let mut written: Vec<&EncodedRecord> = Vec::new();
    let mut session_delta = 0i64;
    for (id, &i) in &plan.finals {
        let record = &records[i];
        written.push(record);
        session_delta += record.sessions.len() as i64;
        if let Some(s) = stored.get(id) {
            replaced.push(record);
            session_delta -= s.session_count;
        }
    }
    replaced.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    written.sort_unstable_by(|a, b| a.id.cmp(&b.id));
    if !replaced.is_empty() {
        update_records(tx, tenant, &replaced).await?;
        let replaced_ids: Vec<&str> = replaced.iter().map(|r| r.id.as_str()).collect();
        delete_children(tx, tenant, &replaced_ids).await?;
    }
    insert_children(tx, tenant, &written).await?;
    add_totals(tx, tenant, inserted.len() as i64, session_delta).await?;

    let finals: Vec<(&EncodedRecord, bool)> = written
        .iter()
        .map(|r| (*r, !stored.contains_key(&r.id)))
        .collect();
    super::quality::record_written(tx, tenant, &finals).await?;
    // A scrubbed record is the same call with less kept of it: nothing to tell subscribers.
    if condition != WriteCondition::Scrubbing {
        let writes: Vec<(&EncodedRecord, bool)> = plan
            .writes
            .iter()
            .map(|&(i, created)| (&records[i], created))
            .collect();
        super::subscriptions::record_written(tx, tenant, &writes).await?;
    }
    Ok(plan.outcomes)
}

pub(super) async fn put(
    client: &mut Client,
    tenant: &str,
    records: &[EncodedRecord],
    condition: WriteCondition,
) -> Result<Vec<PutOutcome>, StoreError> {
    Ok(in_transaction!(client, tx => put_in(&tx, tenant, records, condition)))
}

/// Deletes a record with everything that hangs on it; with `ended_before`, only if its call ended before
/// that instant (a purge must not delete a record re-ingested meanwhile with a later end).
async fn delete_in(
    tx: &Transaction<'_>,
    tenant: &str,
    id: &str,
    ended_before: Option<i64>,
) -> Result<bool, TxError> {
    let stmt = tx
        .prepare_cached(
            "DELETE FROM records WHERE tenant = $1 AND id = $2 AND ($3::int8 IS NULL OR end_time < $3) \
             RETURNING session_count",
        )
        .await?;
    let Some(row) = tx.query_opt(&stmt, &[&tenant, &id, &ended_before]).await? else {
        return Ok(false);
    };
    let sessions = i64::from(row.get::<_, i32>(0));
    delete_children(tx, tenant, &[id]).await?;
    let stmt = tx
        .prepare_cached("DELETE FROM subscription_created WHERE tenant = $1 AND record_id = $2")
        .await?;
    tx.execute(&stmt, &[&tenant, &id]).await?;
    super::quality::record_deleted(tx, tenant, id).await?;
    add_totals(tx, tenant, -1, -sessions).await?;
    Ok(true)
}

pub(super) async fn delete(
    client: &mut Client,
    tenant: &str,
    id: &str,
) -> Result<bool, StoreError> {
    Ok(in_transaction!(client, tx => delete_in(&tx, tenant, id, None)))
}

async fn purge_in(
    tx: &Transaction<'_>,
    tenant: &str,
    ids: &[String],
    cutoff: i64,
) -> Result<u64, TxError> {
    let mut deleted = 0;
    for id in ids {
        if delete_in(tx, tenant, id, Some(cutoff)).await? {
            deleted += 1;
        }
    }
    Ok(deleted)
}

/// Retention: deletes at most `limit` records, across tenants, whose call ended before `cutoff`; each
/// tenant's share in one transaction, found along its end-time index.
pub(super) async fn purge_ended_before(
    client: &mut Client,
    cutoff: i64,
    limit: u32,
) -> Result<u64, StoreError> {
    let tenants: Vec<String> = client
        .query(
            "SELECT DISTINCT tenant FROM record_totals ORDER BY tenant",
            &[],
        )
        .await
        .map_err(backend)?
        .iter()
        .map(|r| r.get(0))
        .collect();
    let mut deleted = 0u64;
    for tenant in tenants {
        let room = i64::from(limit) - deleted as i64;
        if room <= 0 {
            break;
        }
        let stmt = client
            .prepare_cached(
                "SELECT id FROM records WHERE tenant = $1 AND end_time < $2 ORDER BY end_time, id LIMIT $3",
            )
            .await
            .map_err(backend)?;
        let ids: Vec<String> = client
            .query(&stmt, &[&tenant, &cutoff, &room])
            .await
            .map_err(backend)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        if ids.is_empty() {
            continue;
        }
        deleted += in_transaction!(client, tx => purge_in(&tx, &tenant, &ids, cutoff));
    }
    Ok(deleted)
}

/// Scrubbing: at most `limit` unscrubbed records, across tenants, whose call ended before `cutoff`, the
/// earliest end first, along the partial index of the unscrubbed records (`records_to_scrub`).
pub(super) async fn records_to_scrub(
    client: &Client,
    cutoff: i64,
    limit: u32,
) -> Result<Vec<RecordKey>, StoreError> {
    let stmt = client
        .prepare_cached(
            "SELECT tenant, id, version FROM records WHERE NOT scrubbed AND end_time < $1 \
             ORDER BY end_time LIMIT $2",
        )
        .await
        .map_err(backend)?;
    let rows = client
        .query(&stmt, &[&cutoff, &i64::from(limit)])
        .await
        .map_err(backend)?;
    Ok(rows
        .iter()
        .map(|r| RecordKey {
            tenant: r.get(0),
            id: r.get(1),
            version: r.get(2),
        })
        .collect())
}

/// A record's columns as fetched, decoded later (outside the connection) by [`RawRecord::decode`].
#[derive(Debug)]
pub(super) struct RawRecord {
    id: String,
    version: i64,
    head: Vec<u8>,
    organizer: Option<Vec<u8>>,
    session_count: i32,
    participant_count: i32,
}

impl RawRecord {
    fn of(row: &tokio_postgres::Row) -> Self {
        Self::of_at(row, 0)
    }

    /// Reads the [`RECORD_COLUMNS`] starting at column `at`.
    fn of_at(row: &tokio_postgres::Row, at: usize) -> Self {
        RawRecord {
            id: row.get(at),
            version: row.get(at + 1),
            head: row.get(at + 2),
            organizer: row.get(at + 3),
            session_count: row.get(at + 4),
            participant_count: row.get(at + 5),
        }
    }

    pub(super) fn decode(&self, codec: &Codec) -> Result<RecordRow, CompressError> {
        Ok(RecordRow {
            id: self.id.clone(),
            version: self.version,
            head: codec.decode(&self.head)?,
            organizer: self
                .organizer
                .as_deref()
                .map(|o| codec.decode(o))
                .transpose()?,
            session_count: u32::try_from(self.session_count).unwrap_or(0),
            participant_count: u32::try_from(self.participant_count).unwrap_or(0),
        })
    }
}

/// The columns of `records` a [`RawRecord`] is made of, in its order.
const RECORD_COLUMNS: &str = "id, version, head, organizer, session_count, participant_count";

pub(super) async fn get_record(
    client: &Client,
    tenant: &str,
    id: &str,
) -> Result<Option<RawRecord>, StoreError> {
    let stmt = client
        .prepare_cached(&format!(
            "SELECT {RECORD_COLUMNS} FROM records WHERE tenant = $1 AND id = $2"
        ))
        .await
        .map_err(backend)?;
    let row = client
        .query_opt(&stmt, &[&tenant, &id])
        .await
        .map_err(backend)?;
    Ok(row.as_ref().map(RawRecord::of))
}

/// A session as fetched.
#[derive(Debug)]
pub(super) struct RawSession {
    index: i32,
    id: String,
    head: Vec<u8>,
    segments: Option<Vec<u8>>,
}

impl RawSession {
    pub(super) fn decode(&self, codec: &Codec) -> Result<SessionRow, CompressError> {
        Ok(SessionRow {
            index: self.index.max(0) as u32,
            id: self.id.clone(),
            head: codec.decode(&self.head)?,
            segments: self
                .segments
                .as_deref()
                .map(|s| codec.decode(s))
                .transpose()?,
        })
    }
}

/// A participant as fetched.
#[derive(Debug)]
pub(super) struct RawParticipant {
    index: i32,
    id: String,
    body: Vec<u8>,
}

impl RawParticipant {
    pub(super) fn decode(&self, codec: &Codec) -> Result<ParticipantRow, CompressError> {
        Ok(ParticipantRow {
            index: self.index.max(0) as u32,
            id: self.id.clone(),
            body: codec.decode(&self.body)?,
        })
    }
}

/// The positions a slice covers, as a half-open range of `position`.
fn slice_range(slice: Slice) -> (i32, i32) {
    let clamp = |v: u64| v.min(i32::MAX as u64) as i32;
    let start = u64::from(slice.offset);
    (clamp(start), clamp(start + u64::from(slice.limit)))
}

pub(super) async fn sessions(
    client: &Client,
    tenant: &str,
    record_id: &str,
    slice: Slice,
    with_segments: bool,
) -> Result<Option<Vec<RawSession>>, StoreError> {
    // One statement, so the record's existence and its sessions come from one snapshot; leaving
    // `segments` out of the selection keeps PostgreSQL from reading its out-of-line values.
    let segments = if with_segments {
        "s.segments"
    } else {
        "NULL::bytea"
    };
    let stmt = client
        .prepare_cached(&format!(
            "SELECT s.position, s.session_id, s.head, {segments} FROM records r \
             LEFT JOIN sessions s ON s.tenant = r.tenant AND s.record_id = r.id \
             AND s.position >= $3 AND s.position < $4 \
             WHERE r.tenant = $1 AND r.id = $2 ORDER BY s.position"
        ))
        .await
        .map_err(backend)?;
    let (from, to) = slice_range(slice);
    let rows = client
        .query(&stmt, &[&tenant, &record_id, &from, &to])
        .await
        .map_err(backend)?;
    if rows.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        rows.iter()
            .filter_map(|r| {
                let index: Option<i32> = r.get(0);
                Some(RawSession {
                    index: index?,
                    id: r.get(1),
                    head: r.get(2),
                    segments: r.get(3),
                })
            })
            .collect(),
    ))
}

pub(super) async fn session(
    client: &Client,
    tenant: &str,
    record_id: &str,
    session_id: &str,
) -> Result<Option<RawSession>, StoreError> {
    let stmt = client
        .prepare_cached(
            "SELECT position, head, segments FROM sessions \
             WHERE tenant = $1 AND record_id = $2 AND session_id = $3 ORDER BY position LIMIT 1",
        )
        .await
        .map_err(backend)?;
    let row = client
        .query_opt(&stmt, &[&tenant, &record_id, &session_id])
        .await
        .map_err(backend)?;
    Ok(row.map(|r| RawSession {
        index: r.get(0),
        id: session_id.to_owned(),
        head: r.get(1),
        segments: Some(r.get(2)),
    }))
}

pub(super) async fn participants(
    client: &Client,
    tenant: &str,
    record_id: &str,
    slice: Slice,
) -> Result<Option<Vec<RawParticipant>>, StoreError> {
    let stmt = client
        .prepare_cached(
            "SELECT p.position, p.participant_id, p.body FROM records r \
             LEFT JOIN participants p ON p.tenant = r.tenant AND p.record_id = r.id \
             AND p.position >= $3 AND p.position < $4 \
             WHERE r.tenant = $1 AND r.id = $2 ORDER BY p.position",
        )
        .await
        .map_err(backend)?;
    let (from, to) = slice_range(slice);
    let rows = client
        .query(&stmt, &[&tenant, &record_id, &from, &to])
        .await
        .map_err(backend)?;
    if rows.is_empty() {
        return Ok(None);
    }
    Ok(Some(
        rows.iter()
            .filter_map(|r| {
                let index: Option<i32> = r.get(0);
                Some(RawParticipant {
                    index: index?,
                    id: r.get(1),
                    body: r.get(2),
                })
            })
            .collect(),
    ))
}

pub(super) async fn participant(
    client: &Client,
    tenant: &str,
    record_id: &str,
    participant_id: &str,
) -> Result<Option<RawParticipant>, StoreError> {
    let stmt = client
        .prepare_cached(
            "SELECT position, body FROM participants \
             WHERE tenant = $1 AND record_id = $2 AND participant_id = $3 ORDER BY position LIMIT 1",
        )
        .await
        .map_err(backend)?;
    let row = client
        .query_opt(&stmt, &[&tenant, &record_id, &participant_id])
        .await
        .map_err(backend)?;
    Ok(row.map(|r| RawParticipant {
        index: r.get(0),
        id: participant_id.to_owned(),
        body: r.get(1),
    }))
}

/// A record with slices of its sessions and participants, as fetched.
pub(super) struct RawWithChildren {
    pub(super) record: RawRecord,
    pub(super) sessions: Vec<RawSession>,
    pub(super) participants: Vec<RawParticipant>,
}

/// Reads a record with slices of its sessions and participants in one statement: one round trip and one
/// snapshot, so the children always belong to the version of the record read.
pub(super) async fn record_with_children(
    client: &Client,
    tenant: &str,
    id: &str,
    sessions: Option<(Slice, bool)>,
    participants: Option<Slice>,
) -> Result<Option<RawWithChildren>, StoreError> {
    let stmt = client
        .prepare_cached(
            "SELECT 0 AS part, 0 AS position, id, version, head, organizer, session_count, participant_count \
             FROM records WHERE tenant = $1 AND id = $2 \
             UNION ALL \
             SELECT 1, position, session_id, NULL, head, CASE WHEN $6 THEN segments END, NULL, NULL \
             FROM sessions WHERE $5 AND tenant = $1 AND record_id = $2 AND position >= $3 AND position < $4 \
             UNION ALL \
             SELECT 2, position, participant_id, NULL, body, NULL, NULL, NULL \
             FROM participants WHERE $9 AND tenant = $1 AND record_id = $2 AND position >= $7 AND position < $8 \
             ORDER BY part, position",
        )
        .await
        .map_err(backend)?;
    let none = Slice {
        offset: 0,
        limit: 0,
    };
    let (s_from, s_to) = slice_range(sessions.map_or(none, |s| s.0));
    let (p_from, p_to) = slice_range(participants.unwrap_or(none));
    let with_segments = sessions.is_some_and(|s| s.1);
    let rows = client
        .query(
            &stmt,
            &[
                &tenant,
                &id,
                &s_from,
                &s_to,
                &sessions.is_some(),
                &with_segments,
                &p_from,
                &p_to,
                &participants.is_some(),
            ],
        )
        .await
        .map_err(backend)?;
    let mut rows = rows.iter();
    let Some(first) = rows.next().filter(|r| r.get::<_, i32>(0) == 0) else {
        // No record: its children (none can exist without it) are not read either.
        return Ok(None);
    };
    let mut found = RawWithChildren {
        record: RawRecord::of_at(first, 2),
        sessions: Vec::new(),
        participants: Vec::new(),
    };
    for r in rows {
        match r.get::<_, i32>(0) {
            1 => found.sessions.push(RawSession {
                index: r.get(1),
                id: r.get(2),
                head: r.get(4),
                segments: r.get(5),
            }),
            _ => found.participants.push(RawParticipant {
                index: r.get(1),
                id: r.get(2),
                body: r.get(4),
            }),
        }
    }
    Ok(Some(found))
}

/// A page as fetched.
pub(super) struct RawPage {
    pub(super) items: Vec<RawRecord>,
    pub(super) next: Option<Cursor>,
    pub(super) count: Option<u64>,
}

/// The SQL of one page of a listing and its parameters.
pub(super) fn list_sql(tenant: &str, query: &ListQuery) -> (String, Vec<Param>) {
    let column = time_column(query.order.field);
    let (direction, after) = if query.order.descending {
        ("DESC", "<")
    } else {
        ("ASC", ">")
    };
    let mut params: Vec<Param> = vec![Box::new(tenant.to_owned())];
    let mut sql = format!("SELECT {RECORD_COLUMNS}, {column} FROM records WHERE tenant = $1");
    if let Some(filter) = &query.filter {
        sql.push_str(" AND ");
        push_condition(filter, &mut sql, &mut params);
    }
    if let Some(cursor) = &query.after {
        params.push(Box::new(cursor.key.0));
        params.push(Box::new(cursor.id.clone()));
        sql.push_str(&format!(
            " AND ({column}, id) {after} (${}, ${})",
            params.len() - 1,
            params.len()
        ));
    }
    params.push(Box::new(
        query.limit.saturating_add(1).min(i64::MAX as usize) as i64,
    ));
    sql.push_str(&format!(
        " ORDER BY {column} {direction}, id {direction} LIMIT ${}",
        params.len()
    ));
    (sql, params)
}

pub(super) async fn explain_list(
    client: &Client,
    tenant: &str,
    query: &ListQuery,
) -> Result<String, StoreError> {
    let (sql, params) = list_sql(tenant, query);
    let rows = client
        .query(&format!("EXPLAIN {sql}"), &refs(&params))
        .await
        .map_err(backend)?;
    Ok(rows
        .iter()
        .map(|r| r.get::<_, String>(0))
        .collect::<Vec<_>>()
        .join("\n"))
}

fn refs(params: &[Param]) -> Vec<&(dyn ToSql + Sync)> {
    params
        .iter()
        .map(|p| p.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

async fn count_in(
    client: &tokio_postgres::Transaction<'_>,
    tenant: &str,
    query: &ListQuery,
) -> Result<u64, StoreError> {
    let mut params: Vec<Param> = vec![Box::new(tenant.to_owned())];
    let mut sql = String::from("SELECT count(*) FROM records WHERE tenant = $1");
    if let Some(filter) = &query.filter {
        sql.push_str(" AND ");
        push_condition(filter, &mut sql, &mut params);
    }
    let row = client
        .query_one(&sql, &refs(&params))
        .await
        .map_err(backend)?;
    Ok(row.get::<_, i64>(0).max(0) as u64)
}

pub(super) async fn list(
    client: &mut Client,
    tenant: &str,
    query: &ListQuery,
) -> Result<RawPage, StoreError> {
    let (sql, params) = list_sql(tenant, query);
    let (count, rows) = if query.count {
        // The count and the page come from one snapshot, so they agree while writes go on.
        let tx = client
            .build_transaction()
            .isolation_level(IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await
            .map_err(backend)?;
        let count = count_in(&tx, tenant, query).await?;
        let rows = if query.limit == 0 {
            Vec::new()
        } else {
            let stmt = tx.prepare_cached(&sql).await.map_err(backend)?;
            tx.query(&stmt, &refs(&params)).await.map_err(backend)?
        };
        tx.commit().await.map_err(backend)?;
        (Some(count), rows)
    } else if query.limit == 0 {
        (None, Vec::new())
    } else {
        let stmt = client.prepare_cached(&sql).await.map_err(backend)?;
        let rows = client.query(&stmt, &refs(&params)).await.map_err(backend)?;
        (None, rows)
    };
    let more = rows.len() > query.limit;
    let rows = &rows[..rows.len().min(query.limit)];
    let next = if more {
        rows.last().map(|r| Cursor {
            key: Ticks(r.get(6)),
            id: r.get(0),
        })
    } else {
        None
    };
    Ok(RawPage {
        items: rows.iter().map(RawRecord::of).collect(),
        next,
        count,
    })
}

pub(super) async fn stats(client: &Client) -> Result<crate::StoreStats, StoreError> {
    let totals = client
        .query_one(
            "SELECT coalesce(sum(records), 0)::int8, coalesce(sum(sessions), 0)::int8 FROM record_totals",
            &[],
        )
        .await
        .map_err(backend)?;
    let size = client
        .query_one(
            "SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::int8 FROM pg_class c \
             JOIN pg_namespace n ON n.oid = c.relnamespace \
             WHERE n.nspname = current_schema() AND c.relkind = 'r'",
            &[],
        )
        .await
        .map_err(backend)?;
    Ok(crate::StoreStats {
        records: totals.get::<_, i64>(0).max(0) as u64,
        sessions: totals.get::<_, i64>(1).max(0) as u64,
        disk_bytes: size.get::<_, i64>(0).max(0) as u64,
    })
}
