//! The single writer of a SQLite store: one thread owns the write connection and commits in groups.
//!
//! SQLite allows one writer at a time, and a durable commit costs a WAL append (and, with
//! `synchronous=FULL`, an fsync) whatever its size. So callers do not write themselves: they compress their
//! records on their own threads, queue a [`Command`], and wait for its acknowledgement. The writer drains
//! every command queued meanwhile into one transaction, gives each its own savepoint (a batch stays all or
//! nothing even when its neighbours in the group succeed), commits once, and only then acknowledges each.

use std::collections::HashMap;

use callrec_model::prepare::PreparedRecord;
use rusqlite::{Connection, OptionalExtension, params};
use tokio::sync::{mpsc, oneshot};

use crate::compress::Encoder;
use crate::{PutOutcome, StoreError, WriteCondition};

use super::backend;
use super::filter::modality_columns;
use super::schema::{CHILD_BITS, MAX_CHILDREN};

/// A group holds at most this many commands...
const MAX_GROUP_COMMANDS: usize = 512;
/// ...and at most about this many records, so one commit never grows without bound under load.
const MAX_GROUP_RECORDS: usize = 20_000;

/// A record with its pieces compressed, ready for the writer.
#[derive(Debug)]
pub(super) struct EncodedRecord {
    pub(super) id: String,
    version: i64,
    call_type: String,
    modality_mask: i64,
    other_modalities: Option<String>,
    start: i64,
    last_modified: i64,
    pub(super) participant_ids: Vec<String>,
    pub(super) end: i64,
    head: Vec<u8>,
    organizer: Option<Vec<u8>>,
    sessions: Vec<EncodedSession>,
    participants: Vec<(String, Vec<u8>)>,
    /// The record's streams, classified, for [`super::quality::record_written`].
    pub(super) quality: callrec_model::quality::RecordQuality,
    scrubbed: bool,
}

#[derive(Debug)]
struct EncodedSession {
    id: String,
    head: Vec<u8>,
    segments: Vec<u8>,
}

impl EncodedRecord {
    pub(super) fn new(record: PreparedRecord, encoder: &Encoder) -> Self {
        let (modality_mask, other_modalities) = modality_columns(&record.modalities);
        EncodedRecord {
            modality_mask,
            other_modalities,
            version: record.version,
            call_type: record.call_type,
            start: record.start.0,
            end: record.end.0,
            last_modified: record.last_modified.0,
            participant_ids: record.participant_ids,
            head: encoder.encode(&record.head),
            organizer: record.organizer.as_deref().map(|o| encoder.encode(o)),
            sessions: record
                .sessions
                .into_iter()
                .map(|s| EncodedSession {
                    head: encoder.encode(&s.head),
                    segments: encoder.encode(&s.segments),
                    id: s.id,
                })
                .collect(),
            participants: record
                .participants
                .into_iter()
                .map(|p| (p.id, encoder.encode(&p.body)))
                .collect(),
            id: record.id,
            quality: record.quality,
            scrubbed: record.scrubbed,
        }
    }
}

/// What a caller asks of the writer.
pub(super) enum Command {
    Put {
        tenant: String,
        records: Vec<EncodedRecord>,
        condition: WriteCondition,
        reply: oneshot::Sender<Result<Vec<PutOutcome>, StoreError>>,
    },
    Delete {
        tenant: String,
        id: String,
        /// Only if the record's call ended before this instant (retention must not delete a record
        /// re-ingested meanwhile with a later end).
        ended_before: Option<i64>,
        reply: oneshot::Sender<Result<bool, StoreError>>,
    },
    AddDictionary {
        id: u8,
        bytes: Vec<u8>,
        reply: oneshot::Sender<Result<(), StoreError>>,
    },
    /// A write of other data (log rows...), committed in the group like a record, so that it neither
    /// waits for nor contends with the writer's lock. `weight` counts as that many records.
    Work {
        weight: usize,
        work: Work,
        reply: oneshot::Sender<Result<WorkOutput, StoreError>>,
    },
}

/// What a [`Command::Work`] returns; its sender knows the concrete type.
pub(super) type WorkOutput = Box<dyn std::any::Any + Send>;
/// A write run by the writer thread inside its transaction (and a savepoint of its own).
pub(super) type Work = Box<dyn Fn(&Connection) -> Result<WorkOutput, StoreError> + Send>;

impl Command {
    fn weight(&self) -> usize {
        match self {
            Command::Put { records, .. } => records.len().max(1),
            Command::Work { weight, .. } => (*weight).max(1),
            _ => 1,
        }
    }
}

/// What a command did, before its transaction is committed.
enum Applied {
    Put(Vec<PutOutcome>),
    Delete(bool),
    Dictionary,
    Work(WorkOutput),
}

/// Runs the writer until every sender is gone.
pub(super) fn run(mut conn: Connection, mut commands: mpsc::Receiver<Command>) {
    while let Some(first) = commands.blocking_recv() {
        let mut weight = first.weight();
        let mut group = vec![first];
        while group.len() < MAX_GROUP_COMMANDS && weight < MAX_GROUP_RECORDS {
            match commands.try_recv() {
                Ok(next) => {
                    weight += next.weight();
                    group.push(next);
                }
                Err(_) => break,
            }
        }
        commit_group(&mut conn, group);
    }
    // Refreshes the query planner's statistics for the next open, and folds the WAL into the main file so
    // a closed store is one file; failure only costs speed or disk space.
    if let Err(e) = conn.execute_batch("PRAGMA optimize; PRAGMA wal_checkpoint(TRUNCATE);") {
        tracing::debug!(error = %e, "closing maintenance failed");
    }
}

fn commit_group(conn: &mut Connection, group: Vec<Command>) {
    let results = match conn.execute_batch("BEGIN IMMEDIATE") {
        Ok(()) => {
            let mut results: Vec<Result<Applied, StoreError>> = group
                .iter()
                .map(|command| apply_in_savepoint(conn, command))
                .collect();
            if let Err(e) = conn.execute_batch("COMMIT") {
                let message = e.to_string();
                if let Err(e) = conn.execute_batch("ROLLBACK") {
                    tracing::debug!(error = %e, "rollback after a failed commit");
                }
                tracing::error!(error = %message, "store commit failed");
                results = group
                    .iter()
                    .map(|_| Err(StoreError::Backend(message.clone())))
                    .collect();
            }
            results
        }
        Err(e) => {
            tracing::error!(error = %e, "cannot start a store transaction");
            group
                .iter()
                .map(|_| Err(StoreError::Backend(e.to_string())))
                .collect()
        }
    };
    for (command, result) in group.into_iter().zip(results) {
        reply(command, result);
    }
}

fn reply(command: Command, result: Result<Applied, StoreError>) {
    let unexpected = || StoreError::Backend("writer produced a mismatched result".into());
    // A caller that stopped waiting is no error: its write is committed all the same.
    match command {
        Command::Put { reply, .. } => {
            let _ = reply.send(result.and_then(|a| {
                if let Applied::Put(o) = a {
                    Ok(o)
                } else {
                    Err(unexpected())
                }
            }));
        }
        Command::Delete { reply, .. } => {
            let _ = reply.send(result.and_then(|a| {
                if let Applied::Delete(d) = a {
                    Ok(d)
                } else {
                    Err(unexpected())
                }
            }));
        }
        Command::AddDictionary { reply, .. } => {
            let _ = reply.send(result.and_then(|a| {
                if let Applied::Dictionary = a {
                    Ok(())
                } else {
                    Err(unexpected())
                }
            }));
        }
        Command::Work { reply, .. } => {
            let _ = reply.send(result.and_then(|a| {
                if let Applied::Work(output) = a {
                    Ok(output)
                } else {
                    Err(unexpected())
                }
            }));
        }
    }
}

fn apply_in_savepoint(conn: &Connection, command: &Command) -> Result<Applied, StoreError> {
    conn.execute_batch("SAVEPOINT batch").map_err(backend)?;
    let result = apply(conn, command);
    let end = if result.is_ok() {
        "RELEASE batch"
    } else {
        "ROLLBACK TO batch; RELEASE batch"
    };
    conn.execute_batch(end).map_err(backend)?;
    result
}

fn apply(conn: &Connection, command: &Command) -> Result<Applied, StoreError> {
    match command {
        Command::Put {
            tenant,
            records,
            condition,
            ..
        } => put(conn, tenant, records, *condition).map(Applied::Put),
        Command::Delete {
            tenant,
            id,
            ended_before,
            ..
        } => delete(conn, tenant, id, *ended_before).map(Applied::Delete),
        Command::AddDictionary { id, bytes, .. } => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs() as i64);
            conn.prepare_cached(
                "INSERT INTO dictionaries (id, bytes, created_at) VALUES (?1, ?2, ?3)",
            )
            .and_then(|mut s| s.execute(params![id, bytes, now]))
            .map_err(backend)?;
            Ok(Applied::Dictionary)
        }
        Command::Work { work, .. } => work(conn).map(Applied::Work),
    }
}

fn tenant_id(conn: &Connection, tenant: &str) -> Result<i64, StoreError> {
    let found: Option<i64> = conn
        .prepare_cached("SELECT tid FROM tenants WHERE name = ?1")
        .and_then(|mut s| s.query_row([tenant], |r| r.get(0)).optional())
        .map_err(backend)?;
    match found {
        Some(tid) => Ok(tid),
        None => {
            conn.prepare_cached("INSERT INTO tenants (name) VALUES (?1)")
                .and_then(|mut s| s.execute([tenant]))
                .map_err(backend)?;
            Ok(conn.last_insert_rowid())
        }
    }
}

/// A stored record as a write sees it.
struct Stored {
    rid: i64,
    version: i64,
    session_count: i64,
    end: i64,
    scrubbed: bool,
}

fn lookup(conn: &Connection, tid: i64, id: &str) -> Result<Option<Stored>, StoreError> {
    conn.prepare_cached(
        "SELECT rid, version, session_count, end_time, scrubbed FROM records WHERE tenant = ?1 AND id = ?2",
    )
    .and_then(|mut s| {
        s.query_row(params![tid, id], |r| {
            Ok(Stored {
                rid: r.get(0)?,
                version: r.get(1)?,
                session_count: r.get(2)?,
                end: r.get(3)?,
                scrubbed: r.get(4)?,
            })
        })
        .optional()
    })
    .map_err(backend)
}

fn put(
    conn: &Connection,
    tenant: &str,
    records: &[EncodedRecord],
    condition: WriteCondition,
) -> Result<Vec<PutOutcome>, StoreError> {
    let tid = tenant_id(conn, tenant)?;
    let mut outcomes = Vec::with_capacity(records.len());
    let (mut record_delta, mut session_delta) = (0i64, 0i64);
    for record in records {
        if record.sessions.len() >= MAX_CHILDREN || record.participants.len() >= MAX_CHILDREN {
            return Err(StoreError::Backend(format!(
                "record {} has more than {MAX_CHILDREN} sessions or participants",
                record.id
            )));
        }
        let stored = lookup(conn, tid, &record.id)?;
        let write = match condition {
            WriteCondition::NewerVersion => match &stored {
                Some(s) if s.version >= record.version => Err(PutOutcome::Stale {
                    stored_version: s.version,
                }),
                _ => Ok(()),
            },
            WriteCondition::StoredVersionIs(expected) => {
                let actual = stored.as_ref().map(|s| s.version);
                if actual == expected {
                    Ok(())
                } else {
                    Err(PutOutcome::Conflict {
                        stored_version: actual,
                    })
                }
            }
            WriteCondition::Scrubbing => match &stored {
                Some(s) if s.version == record.version && !s.scrubbed => Ok(()),
                other => Err(PutOutcome::Conflict {
                    stored_version: other.as_ref().map(|s| s.version),
                }),
            },
        };
        let notify = condition != WriteCondition::Scrubbing;
        if let Err(skipped) = write {
            outcomes.push(skipped);
            continue;
        }
        let sessions = record.sessions.len() as i64;
        match stored {
            None => {
                let rid = insert_record(conn, tid, record)?;
                insert_children(conn, tid, rid, record)?;
                record_delta += 1;
                session_delta += sessions;
                outcomes.push(PutOutcome::Created);
                record_written(conn, tid, rid, record, true, notify)?;
            }
            Some(s) => {
                update_record(conn, s.rid, record)?;
                let previous = delete_children(conn, s.rid)?;
                insert_children(conn, tid, s.rid, record)?;
                forget_unused_participants(conn, &previous)?;
                session_delta += sessions - s.session_count;
                outcomes.push(PutOutcome::Replaced {
                    previous_version: s.version,
                });
                record_written(conn, tid, s.rid, record, false, notify)?;
            }
        }
    }
    update_totals(conn, record_delta, session_delta)?;
    Ok(outcomes)
}

/// What else a written record changes, in the same transaction: its stream classifications and (unless
/// `notify` is false) the notifications it owes to subscriptions, so a crash between them cannot lose
/// either.
fn record_written(
    conn: &Connection,
    tid: i64,
    rid: i64,
    record: &EncodedRecord,
    created: bool,
    notify: bool,
) -> Result<(), StoreError> {
    super::quality::record_written(conn, tid, rid, record, created)?;
    if notify {
        super::subscriptions::record_written(conn, tid, rid, record, created)?;
    }
    Ok(())
}

fn insert_record(conn: &Connection, tid: i64, r: &EncodedRecord) -> Result<i64, StoreError> {
    conn.prepare_cached(
        "INSERT INTO records (tenant, id, version, start_time, end_time, last_modified, call_type, modality_mask, \
         other_modalities, session_count, participant_count, head, organizer, scrubbed) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
    )
    .and_then(|mut s| {
        s.execute(params![
            tid,
            r.id,
            r.version,
            r.start,
            r.end,
            r.last_modified,
            r.call_type,
            r.modality_mask,
            r.other_modalities,
            r.sessions.len() as i64,
            r.participants.len() as i64,
            r.head,
            r.organizer,
            r.scrubbed,
        ])
    })
    .map_err(backend)?;
    Ok(conn.last_insert_rowid())
}

fn update_record(conn: &Connection, rid: i64, r: &EncodedRecord) -> Result<(), StoreError> {
    conn.prepare_cached(
        "UPDATE records SET version = ?2, start_time = ?3, end_time = ?4, last_modified = ?5, call_type = ?6, \
         modality_mask = ?7, other_modalities = ?8, session_count = ?9, participant_count = ?10, head = ?11, \
         organizer = ?12, scrubbed = ?13 WHERE rid = ?1",
    )
    .and_then(|mut s| {
        s.execute(params![
            rid,
            r.version,
            r.start,
            r.end,
            r.last_modified,
            r.call_type,
            r.modality_mask,
            r.other_modalities,
            r.sessions.len() as i64,
            r.participants.len() as i64,
            r.head,
            r.organizer,
            r.scrubbed,
        ])
    })
    .map_err(backend)?;
    Ok(())
}

/// The first key of a record's children; its children end before the next record's first key.
pub(super) fn first_child_key(rid: i64) -> i64 {
    rid << CHILD_BITS
}

/// The number standing for a participant id of a tenant, made on first use.
fn participant_number(conn: &Connection, tid: i64, value: &str) -> Result<i64, StoreError> {
    let found: Option<i64> = conn
        .prepare_cached("SELECT pid FROM participant_ids WHERE tenant = ?1 AND value = ?2")
        .and_then(|mut s| s.query_row(params![tid, value], |r| r.get(0)).optional())
        .map_err(backend)?;
    match found {
        Some(pid) => Ok(pid),
        None => {
            conn.prepare_cached("INSERT INTO participant_ids (tenant, value) VALUES (?1, ?2)")
                .and_then(|mut s| s.execute(params![tid, value]))
                .map_err(backend)?;
            Ok(conn.last_insert_rowid())
        }
    }
}

fn insert_children<'a>(
    conn: &Connection,
    tid: i64,
    rid: i64,
    r: &'a EncodedRecord,
) -> Result<(), StoreError> {
    let base = first_child_key(rid);
    // The organizer is usually a participant too: look each id up once.
    let mut numbers: HashMap<&str, i64> = HashMap::with_capacity(r.participants.len() + 1);
    let mut number = |value: &'a str| -> Result<i64, StoreError> {
        if let Some(pid) = numbers.get(value) {
            return Ok(*pid);
        }
        let pid = participant_number(conn, tid, value)?;
        numbers.insert(value, pid);
        Ok(pid)
    };
    {
        let mut stmt = conn
            .prepare_cached(
                "INSERT INTO sessions (key, session_id, head, segments) VALUES (?1, ?2, ?3, ?4)",
            )
            .map_err(backend)?;
        for (i, s) in r.sessions.iter().enumerate() {
            stmt.execute(params![base + i as i64, s.id, s.head, s.segments])
                .map_err(backend)?;
        }
    }
    {
        let mut stmt = conn
            .prepare_cached("INSERT INTO participants (key, pid, body) VALUES (?1, ?2, ?3)")
            .map_err(backend)?;
        for (i, (id, body)) in r.participants.iter().enumerate() {
            stmt.execute(params![base + i as i64, number(id)?, body])
                .map_err(backend)?;
        }
    }
    let mut stmt = conn
        .prepare_cached("INSERT OR IGNORE INTO record_participants (pid, rid) VALUES (?1, ?2)")
        .map_err(backend)?;
    for id in &r.participant_ids {
        stmt.execute(params![number(id)?, rid]).map_err(backend)?;
    }
    Ok(())
}

/// Deletes a record's sessions, participants and participant links; returns the participant numbers it
/// linked, for [`forget_unused_participants`].
fn delete_children(conn: &Connection, rid: i64) -> Result<Vec<i64>, StoreError> {
    let linked: Vec<i64> = conn
        .prepare_cached("SELECT pid FROM record_participants WHERE rid = ?1")
        .and_then(|mut s| {
            s.query_map([rid], |r| r.get(0))?
                .collect::<Result<Vec<i64>, _>>()
        })
        .map_err(backend)?;
    let range = params![first_child_key(rid), first_child_key(rid + 1)];
    conn.prepare_cached("DELETE FROM sessions WHERE key >= ?1 AND key < ?2")
        .and_then(|mut s| s.execute(range))
        .map_err(backend)?;
    conn.prepare_cached("DELETE FROM participants WHERE key >= ?1 AND key < ?2")
        .and_then(|mut s| s.execute(range))
        .map_err(backend)?;
    conn.prepare_cached("DELETE FROM record_participants WHERE rid = ?1")
        .and_then(|mut s| s.execute([rid]))
        .map_err(backend)?;
    Ok(linked)
}

/// Deletes the participant ids that no record links any more, so that an id (which may be a phone
/// number) does not outlive the last record naming it: after a purge, a deletion, or a scrub that
/// replaced it. Every participant row's id is also linked, so the link index alone decides.
fn forget_unused_participants(conn: &Connection, pids: &[i64]) -> Result<(), StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "DELETE FROM participant_ids WHERE pid = ?1 \
             AND NOT EXISTS (SELECT 1 FROM record_participants WHERE pid = ?1)",
        )
        .map_err(backend)?;
    for pid in pids {
        stmt.execute([pid]).map_err(backend)?;
    }
    Ok(())
}

fn delete(
    conn: &Connection,
    tenant: &str,
    id: &str,
    ended_before: Option<i64>,
) -> Result<bool, StoreError> {
    let tid: Option<i64> = conn
        .prepare_cached("SELECT tid FROM tenants WHERE name = ?1")
        .and_then(|mut s| s.query_row([tenant], |r| r.get(0)).optional())
        .map_err(backend)?;
    let Some(tid) = tid else { return Ok(false) };
    let Some(stored) = lookup(conn, tid, id)? else {
        return Ok(false);
    };
    if ended_before.is_some_and(|cutoff| stored.end >= cutoff) {
        return Ok(false);
    }
    let previous = delete_children(conn, stored.rid)?;
    forget_unused_participants(conn, &previous)?;
    super::quality::record_deleted(conn, stored.rid)?;
    conn.prepare_cached("DELETE FROM records WHERE rid = ?1")
        .and_then(|mut s| s.execute([stored.rid]))
        .map_err(backend)?;
    update_totals(conn, -1, -stored.session_count)?;
    Ok(true)
}

fn update_totals(conn: &Connection, records: i64, sessions: i64) -> Result<(), StoreError> {
    if records == 0 && sessions == 0 {
        return Ok(());
    }
    conn.prepare_cached(
        "UPDATE totals SET records = records + ?1, sessions = sessions + ?2 WHERE id = 1",
    )
    .and_then(|mut s| s.execute(params![records, sessions]))
    .map_err(backend)?;
    Ok(())
}
