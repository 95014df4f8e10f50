//! Call records in a SQLite store: the writes the writer thread applies (put and delete, with children,
//! participant index and totals), the reads, and the records retention and scrubbing look for.
//!
//! Writes run on the writer thread's connection inside its group commits ([`super::writer`]); reads run on a
//! read-only connection inside one read transaction: in WAL mode a read transaction sees one committed
//! state of the file and never waits for the writer, so a listing and its count, or a record and its
//! sessions, always agree with each other even while an import commits batch after batch.
//!
//! Expired records are found on a read connection, tenant by tenant along the `(tenant, end_time, id)`
//! index, and deleted one by one with the writer's ordinary delete (told to spare a record whose call now
//! ends later), so a purge takes part in group commits like any other write and everything a delete
//! removes with a record is removed here too. Records to scrub are found along the partial index of the
//! unscrubbed ones; the caller writes them back scrubbed.

use std::collections::HashMap;

use callrec_model::edm::Ticks;
use callrec_model::query::{Cursor, ListQuery};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use tokio::sync::oneshot;

use crate::compress::Codec;
use crate::encoded::EncodedRecord;
use crate::{
    ParticipantRow, PutOutcome, RecordKey, RecordPage, RecordRow, SessionRow, Slice, StoreError,
    WriteCondition,
};

use super::SqliteStore;
use super::backend;
use super::filter::{modality_columns, push_condition, time_column};
use super::schema::{CHILD_BITS, MAX_CHILDREN};
use super::writer::Command;

// Writes, on the writer thread.

/// The tenant's key, made when the tenant writes for the first time.
fn tenant_id_or_new(conn: &Connection, tenant: &str) -> Result<i64, StoreError> {
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

pub(super) fn put(
    conn: &Connection,
    tenant: &str,
    records: &[EncodedRecord],
    condition: WriteCondition,
) -> Result<Vec<PutOutcome>, StoreError> {
    let tid = tenant_id_or_new(conn, tenant)?;
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
    let (modality_mask, other_modalities) = modality_columns(&r.modalities);
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
            modality_mask,
            other_modalities,
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
    let (modality_mask, other_modalities) = modality_columns(&r.modalities);
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
            modality_mask,
            other_modalities,
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

pub(super) fn delete(
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

// Reads.

fn decode(codec: &Codec, blob: &[u8]) -> Result<Vec<u8>, StoreError> {
    codec
        .decode(blob)
        .map_err(|e| StoreError::Backend(e.to_string()))
}

fn tenant_id(conn: &Connection, tenant: &str) -> Result<Option<i64>, StoreError> {
    conn.prepare_cached("SELECT tid FROM tenants WHERE name = ?1")
        .and_then(|mut s| s.query_row([tenant], |r| r.get(0)).optional())
        .map_err(backend)
}

fn record_rid(conn: &Connection, tenant: &str, id: &str) -> Result<Option<i64>, StoreError> {
    let Some(tid) = tenant_id(conn, tenant)? else {
        return Ok(None);
    };
    conn.prepare_cached("SELECT rid FROM records WHERE tenant = ?1 AND id = ?2")
        .and_then(|mut s| s.query_row(params![tid, id], |r| r.get(0)).optional())
        .map_err(backend)
}

/// The columns of `records` a [`RecordRow`] is made of, in the order [`record_row`] reads them.
const RECORD_COLUMNS: &str = "id, version, head, organizer, session_count, participant_count";

/// Raw columns of one record, decoded outside the row callback so that decoding errors stay typed.
struct RawRecord {
    id: String,
    version: i64,
    head: Vec<u8>,
    organizer: Option<Vec<u8>>,
    session_count: i64,
    participant_count: i64,
}

fn raw_record(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawRecord> {
    Ok(RawRecord {
        id: r.get(0)?,
        version: r.get(1)?,
        head: r.get(2)?,
        organizer: r.get(3)?,
        session_count: r.get(4)?,
        participant_count: r.get(5)?,
    })
}

fn record_row(codec: &Codec, raw: RawRecord) -> Result<RecordRow, StoreError> {
    Ok(RecordRow {
        id: raw.id,
        version: raw.version,
        head: decode(codec, &raw.head)?,
        organizer: raw.organizer.map(|o| decode(codec, &o)).transpose()?,
        session_count: u32::try_from(raw.session_count).unwrap_or(u32::MAX),
        participant_count: u32::try_from(raw.participant_count).unwrap_or(u32::MAX),
    })
}

pub(super) fn get_record(
    conn: &Connection,
    codec: &Codec,
    tenant: &str,
    id: &str,
) -> Result<Option<RecordRow>, StoreError> {
    let tx = conn.unchecked_transaction().map_err(backend)?;
    let Some(tid) = tenant_id(&tx, tenant)? else {
        return Ok(None);
    };
    let raw = tx
        .prepare_cached(&format!(
            "SELECT {RECORD_COLUMNS} FROM records WHERE tenant = ?1 AND id = ?2"
        ))
        .and_then(|mut s| s.query_row(params![tid, id], raw_record).optional())
        .map_err(backend)?;
    raw.map(|raw| record_row(codec, raw)).transpose()
}

/// The child keys of a record that a slice covers, as a half-open range.
fn slice_keys(rid: i64, slice: Slice) -> (i64, i64) {
    let base = first_child_key(rid);
    let max = MAX_CHILDREN as u64;
    let start = u64::from(slice.offset).min(max);
    let end = (u64::from(slice.offset) + u64::from(slice.limit)).min(max);
    (base + start as i64, base + end as i64)
}

fn position(rid: i64, key: i64) -> u32 {
    (key - first_child_key(rid)) as u32
}

pub(super) fn sessions(
    conn: &Connection,
    codec: &Codec,
    tenant: &str,
    record_id: &str,
    slice: Slice,
    with_segments: bool,
) -> Result<Option<Vec<SessionRow>>, StoreError> {
    let tx = conn.unchecked_transaction().map_err(backend)?;
    let Some(rid) = record_rid(&tx, tenant, record_id)? else {
        return Ok(None);
    };
    let (from, to) = slice_keys(rid, slice);
    // Leaving `segments` out of the selection keeps SQLite from reading its overflow pages.
    let sql = if with_segments {
        "SELECT key, session_id, head, segments FROM sessions WHERE key >= ?1 AND key < ?2 ORDER BY key"
    } else {
        "SELECT key, session_id, head, NULL FROM sessions WHERE key >= ?1 AND key < ?2 ORDER BY key"
    };
    let mut stmt = tx.prepare_cached(sql).map_err(backend)?;
    let raws = stmt
        .query_map(params![from, to], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Vec<u8>>(2)?,
                r.get::<_, Option<Vec<u8>>>(3)?,
            ))
        })
        .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        .map_err(backend)?;
    let rows = raws
        .into_iter()
        .map(|(key, id, head, segments)| {
            Ok(SessionRow {
                index: position(rid, key),
                id,
                head: decode(codec, &head)?,
                segments: segments.map(|s| decode(codec, &s)).transpose()?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Some(rows))
}

pub(super) fn session(
    conn: &Connection,
    codec: &Codec,
    tenant: &str,
    record_id: &str,
    session_id: &str,
) -> Result<Option<SessionRow>, StoreError> {
    let tx = conn.unchecked_transaction().map_err(backend)?;
    let Some(rid) = record_rid(&tx, tenant, record_id)? else {
        return Ok(None);
    };
    let raw = tx
        .prepare_cached(
            "SELECT key, head, segments FROM sessions WHERE key >= ?1 AND key < ?2 AND session_id = ?3 \
             ORDER BY key LIMIT 1",
        )
        .and_then(|mut s| {
            s.query_row(params![first_child_key(rid), first_child_key(rid + 1), session_id], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?, r.get::<_, Vec<u8>>(2)?))
            })
            .optional()
        })
        .map_err(backend)?;
    raw.map(|(key, head, segments)| {
        Ok(SessionRow {
            index: position(rid, key),
            id: session_id.to_owned(),
            head: decode(codec, &head)?,
            segments: Some(decode(codec, &segments)?),
        })
    })
    .transpose()
}

pub(super) fn participants(
    conn: &Connection,
    codec: &Codec,
    tenant: &str,
    record_id: &str,
    slice: Slice,
) -> Result<Option<Vec<ParticipantRow>>, StoreError> {
    let tx = conn.unchecked_transaction().map_err(backend)?;
    let Some(rid) = record_rid(&tx, tenant, record_id)? else {
        return Ok(None);
    };
    let (from, to) = slice_keys(rid, slice);
    let mut stmt = tx
        .prepare_cached(
            "SELECT p.key, i.value, p.body FROM participants p JOIN participant_ids i ON i.pid = p.pid \
             WHERE p.key >= ?1 AND p.key < ?2 ORDER BY p.key",
        )
        .map_err(backend)?;
    let raws = stmt
        .query_map(params![from, to], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Vec<u8>>(2)?,
            ))
        })
        .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        .map_err(backend)?;
    let rows = raws
        .into_iter()
        .map(|(key, id, body)| {
            Ok(ParticipantRow {
                index: position(rid, key),
                id,
                body: decode(codec, &body)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    Ok(Some(rows))
}

pub(super) fn participant(
    conn: &Connection,
    codec: &Codec,
    tenant: &str,
    record_id: &str,
    participant_id: &str,
) -> Result<Option<ParticipantRow>, StoreError> {
    let tx = conn.unchecked_transaction().map_err(backend)?;
    let Some(tid) = tenant_id(&tx, tenant)? else {
        return Ok(None);
    };
    let Some(rid) = record_rid(&tx, tenant, record_id)? else {
        return Ok(None);
    };
    let pid: Option<i64> = tx
        .prepare_cached("SELECT pid FROM participant_ids WHERE tenant = ?1 AND value = ?2")
        .and_then(|mut s| {
            s.query_row(params![tid, participant_id], |r| r.get(0))
                .optional()
        })
        .map_err(backend)?;
    let Some(pid) = pid else { return Ok(None) };
    let raw = tx
        .prepare_cached("SELECT key, body FROM participants WHERE key >= ?1 AND key < ?2 AND pid = ?3 ORDER BY key LIMIT 1")
        .and_then(|mut s| {
            s.query_row(params![first_child_key(rid), first_child_key(rid + 1), pid], |r| {
                Ok((r.get::<_, i64>(0)?, r.get::<_, Vec<u8>>(1)?))
            })
            .optional()
        })
        .map_err(backend)?;
    raw.map(|(key, body)| {
        Ok(ParticipantRow {
            index: position(rid, key),
            id: participant_id.to_owned(),
            body: decode(codec, &body)?,
        })
    })
    .transpose()
}

/// The SQL of one page of a listing and its parameters. Public to the backend so a test can check
/// the query plan.
pub(super) fn list_sql(tid: i64, query: &ListQuery) -> (String, Vec<Value>) {
    let column = time_column(query.order.field);
    let (direction, after) = if query.order.descending {
        ("DESC", "<")
    } else {
        ("ASC", ">")
    };
    let mut sql = format!("SELECT {RECORD_COLUMNS}, {column} FROM records WHERE tenant = ?");
    let mut params = vec![Value::Integer(tid)];
    if let Some(cursor) = &query.after {
        // The plain bound on the sort column comes first, so that the index range starts at the cursor
        // rather than at the filter's own lower bound: otherwise a deep page scans every entry of the
        // pages before it.
        let bound = if query.order.descending { "<=" } else { ">=" };
        sql.push_str(&format!(
            " AND {column} {bound} ? AND ({column}, id) {after} (?, ?)"
        ));
        params.push(Value::Integer(cursor.key.0));
        params.push(Value::Integer(cursor.key.0));
        params.push(Value::Text(cursor.id.clone()));
    }
    if let Some(filter) = &query.filter {
        sql.push_str(" AND ");
        push_condition(filter, tid, &mut sql, &mut params);
    }
    sql.push_str(&format!(
        " ORDER BY {column} {direction}, id {direction} LIMIT ?"
    ));
    params.push(Value::Integer(
        query.limit.saturating_add(1).min(i64::MAX as usize) as i64,
    ));
    (sql, params)
}

pub(super) fn list(
    conn: &Connection,
    codec: &Codec,
    tenant: &str,
    query: &ListQuery,
) -> Result<RecordPage, StoreError> {
    let tx = conn.unchecked_transaction().map_err(backend)?;
    let Some(tid) = tenant_id(&tx, tenant)? else {
        return Ok(RecordPage {
            items: Vec::new(),
            next: None,
            count: query.count.then_some(0),
        });
    };
    let count = if query.count {
        let mut sql = String::from("SELECT COUNT(*) FROM records WHERE tenant = ?");
        let mut params = vec![Value::Integer(tid)];
        if let Some(filter) = &query.filter {
            sql.push_str(" AND ");
            push_condition(filter, tid, &mut sql, &mut params);
        }
        let n: i64 = tx
            .prepare_cached(&sql)
            .and_then(|mut s| s.query_row(params_from_iter(params), |r| r.get(0)))
            .map_err(backend)?;
        Some(n as u64)
    } else {
        None
    };
    if query.limit == 0 {
        return Ok(RecordPage {
            items: Vec::new(),
            next: None,
            count,
        });
    }
    let (sql, params) = list_sql(tid, query);
    let mut stmt = tx.prepare_cached(&sql).map_err(backend)?;
    let mut raws = stmt
        .query_map(params_from_iter(params), |r| {
            Ok((raw_record(r)?, r.get::<_, i64>(6)?))
        })
        .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        .map_err(backend)?;
    let more = raws.len() > query.limit;
    raws.truncate(query.limit);
    let next = if more {
        raws.last().map(|(raw, key)| Cursor {
            key: Ticks(*key),
            id: raw.id.clone(),
        })
    } else {
        None
    };
    let items = raws
        .into_iter()
        .map(|(raw, _)| record_row(codec, raw))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(RecordPage { items, next, count })
}

pub(super) fn totals(conn: &Connection) -> Result<(u64, u64), StoreError> {
    conn.prepare_cached("SELECT records, sessions FROM totals WHERE id = 1")
        .and_then(|mut s| {
            s.query_row([], |r| {
                Ok((r.get::<_, i64>(0)? as u64, r.get::<_, i64>(1)? as u64))
            })
        })
        .map_err(backend)
}

// Retention and scrubbing.

pub(super) async fn purge_ended_before(
    store: &SqliteStore,
    cutoff: Ticks,
    limit: u32,
) -> Result<u64, StoreError> {
    let expired: Vec<(String, String)> = store
        .read(move |conn, _| {
            let mut tenants = conn
                .prepare_cached("SELECT tid, name FROM tenants ORDER BY tid")
                .map_err(backend)?;
            let tenants: Vec<(i64, String)> = tenants
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .map_err(backend)?
                .collect::<Result<_, _>>()
                .map_err(backend)?;
            let mut found = Vec::new();
            let mut by_end = conn
                .prepare_cached(
                    "SELECT id FROM records WHERE tenant = ?1 AND end_time < ?2 ORDER BY end_time, id LIMIT ?3",
                )
                .map_err(backend)?;
            for (tid, name) in tenants {
                let room = i64::from(limit) - found.len() as i64;
                if room <= 0 {
                    break;
                }
                let ids = by_end
                    .query_map(params![tid, cutoff.0, room], |r| r.get::<_, String>(0))
                    .map_err(backend)?;
                for id in ids {
                    found.push((name.clone(), id.map_err(backend)?));
                }
            }
            Ok(found)
        })
        .await?;
    let mut deleted = 0;
    for (tenant, id) in expired {
        let (reply, outcome) = oneshot::channel();
        let command = Command::Delete {
            tenant,
            id,
            ended_before: Some(cutoff.0),
            reply,
        };
        if store.send(command, outcome).await? {
            deleted += 1;
        }
    }
    Ok(deleted)
}

pub(super) async fn records_to_scrub(
    store: &SqliteStore,
    cutoff: Ticks,
    limit: u32,
) -> Result<Vec<RecordKey>, StoreError> {
    store
        .read(move |conn, _| {
            conn.prepare_cached(
                "SELECT t.name, r.id, r.version FROM records r INDEXED BY records_to_scrub \
                 JOIN tenants t ON t.tid = r.tenant \
                 WHERE r.scrubbed = 0 AND r.end_time < ?1 ORDER BY r.end_time LIMIT ?2",
            )
            .and_then(|mut s| {
                s.query_map(params![cutoff.0, limit], |r| {
                    Ok(RecordKey {
                        tenant: r.get(0)?,
                        id: r.get(1)?,
                        version: r.get(2)?,
                    })
                })?
                .collect::<Result<Vec<_>, _>>()
            })
            .map_err(backend)
        })
        .await
}

#[cfg(test)]
mod tests {
    use callrec_model::prepare::prepare;

    use super::*;
    use crate::sqlite::SqliteOptions;
    use crate::{RecordStore, WriteCondition};

    fn record(id: &str, end: &str) -> callrec_model::prepare::PreparedRecord {
        let value = serde_json::json!({
            "id": id, "version": 1, "type": "peerToPeer", "modalities": ["audio"],
            "lastModifiedDateTime": end, "startDateTime": end, "endDateTime": end,
            "joinWebUrl": null, "organizer": null, "participants": [],
            "organizer_v2": null, "participants_v2": [], "sessions": []
        });
        let serde_json::Value::Object(map) = value else {
            unreachable!()
        };
        prepare(map)
    }

    #[test]
    fn records_ended_before_the_cutoff_are_purged_in_every_tenant() {
        let dir = std::env::temp_dir().join(format!("callrec-retention-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let store = SqliteStore::open(&dir.join("r.db"), SqliteOptions::default()).unwrap();
            for tenant in ["t1", "t2"] {
                let records = vec![
                    record("old-1", "2020-01-01T00:00:00Z"),
                    record("old-2", "2020-06-01T00:00:00Z"),
                    record("new", "2024-01-01T00:00:00Z"),
                ];
                store
                    .put_records(tenant, records, WriteCondition::NewerVersion)
                    .await
                    .unwrap();
            }
            let cutoff =
                callrec_model::edm::parse_date_time_offset("2023-01-01T00:00:00Z").unwrap();
            // A small limit leaves the rest for the next call.
            assert_eq!(store.purge_ended_before(cutoff, 3).await.unwrap(), 3);
            assert_eq!(store.purge_ended_before(cutoff, 3).await.unwrap(), 1);
            assert_eq!(store.purge_ended_before(cutoff, 3).await.unwrap(), 0);
            for tenant in ["t1", "t2"] {
                assert!(store.get_record(tenant, "old-1").await.unwrap().is_none());
                assert!(store.get_record(tenant, "old-2").await.unwrap().is_none());
                assert!(store.get_record(tenant, "new").await.unwrap().is_some());
            }
            assert_eq!(store.stats().await.unwrap().records, 2);
        });
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
