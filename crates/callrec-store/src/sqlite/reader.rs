//! The reads of a SQLite store, each run on a read-only connection inside one read transaction.
//!
//! In WAL mode a read transaction sees one committed state of the file and never waits for the writer, so
//! a listing and its count, or a record and its sessions, always agree with each other even while an
//! import commits batch after batch.

use callrec_model::edm::Ticks;
use callrec_model::query::{Cursor, ListQuery};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

use crate::compress::Codec;
use crate::{ParticipantRow, RecordPage, RecordRow, SessionRow, Slice, StoreError};

use super::backend;
use super::filter::{push_condition, time_column};
use super::schema::MAX_CHILDREN;
use super::writer::first_child_key;

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
