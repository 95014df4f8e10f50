//! SQLite storage of PSTN, direct-routing and SMS log rows (and the other beta log reports).
//!
//! Layout (migration 3 onwards in [`super::schema`]), and why:
//! - `log_rows` holds every row of every kind: its identity `(tenant, kind, row_key)` (unique, so a
//!   re-ingested row replaces itself), the instant its function selects by, the values `$filter` tests,
//!   and the zstd-compressed JSON body. `seq` (the rowid) numbers rows in the order they were first stored
//!   and is kept when a row is replaced, so `(time, seq)` is a stable keyset position.
//! - `(tenant, kind, time)` orders a range for keyset paging (the rowid ends every index entry, so the
//!   order is `(time, seq)` without a sort); the correlation index serves the record ↔ row link.
//! - `log_dialouts` repeats what the dial-out report sums for the PSTN rows of meeting dial-outs only, so
//!   the report scans a few rows per dial-out instead of decompressing every PSTN row of the range.
//!
//! Writes go through the writer thread ([`super::writer::Command::Work`]), in its group commits.

use async_trait::async_trait;
use callrec_model::edm::Ticks;
use callrec_model::logs::{
    DialoutQuery, LogColumn, LogCursor, LogFilter, LogKind, LogQuery, LogStart, LogValue,
    PreparedLogRow,
};
use callrec_model::query::CmpOp;
use rusqlite::types::Value as Sql;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use tokio::sync::oneshot;

use super::writer::{Command, WorkOutput};
use super::{SqliteStore, backend};
use crate::compress::Codec;
use crate::logs::{DialoutPage, DialoutRow, LogPage, LogPutOutcome, LogRow};
use crate::{LogStore, StoreError, TenantId};

/// A row with its body compressed, ready for the writer.
struct EncodedLogRow {
    row: PreparedLogRow,
    body: Vec<u8>,
}

fn tenant_of(conn: &Connection, tenant: &str) -> Result<Option<i64>, StoreError> {
    conn.prepare_cached("SELECT tid FROM tenants WHERE name = ?1")
        .and_then(|mut s| s.query_row([tenant], |r| r.get(0)).optional())
        .map_err(backend)
}

fn tenant_for_write(conn: &Connection, tenant: &str) -> Result<i64, StoreError> {
    if let Some(tid) = tenant_of(conn, tenant)? {
        return Ok(tid);
    }
    conn.prepare_cached("INSERT INTO tenants (name) VALUES (?1)")
        .and_then(|mut s| s.execute([tenant]))
        .map_err(backend)?;
    Ok(conn.last_insert_rowid())
}

fn put(
    conn: &Connection,
    tenant: &str,
    rows: &[EncodedLogRow],
) -> Result<Vec<LogPutOutcome>, StoreError> {
    let tid = tenant_for_write(conn, tenant)?;
    let mut outcomes = Vec::with_capacity(rows.len());
    for EncodedLogRow { row, body } in rows {
        let f = &row.facts;
        let columns = params![
            row.time.0,
            f.user_principal_name,
            f.user_id,
            f.call_type,
            f.caller_number,
            f.callee_number,
            f.successful_call,
            f.final_sip_code,
            f.correlation_id,
            body,
            row.scrubbed,
        ];
        let stored: Option<i64> = conn
            .prepare_cached(
                "SELECT seq FROM log_rows WHERE tenant = ?1 AND kind = ?2 AND row_key = ?3",
            )
            .and_then(|mut s| {
                s.query_row(params![tid, row.kind.code(), row.key], |r| r.get(0))
                    .optional()
            })
            .map_err(backend)?;
        let seq = match stored {
            Some(seq) => {
                let mut values: Vec<&dyn rusqlite::ToSql> = columns.to_vec();
                values.push(&seq);
                conn.prepare_cached(
                    "UPDATE log_rows SET time = ?1, user_principal_name = ?2, user_id = ?3, call_type = ?4, \
                     caller_number = ?5, callee_number = ?6, successful_call = ?7, final_sip_code = ?8, \
                     correlation_id = ?9, body = ?10, scrubbed = ?11 WHERE seq = ?12",
                )
                .and_then(|mut s| s.execute(values.as_slice()))
                .map_err(backend)?;
                conn.prepare_cached("DELETE FROM log_dialouts WHERE seq = ?1")
                    .and_then(|mut s| s.execute([seq]))
                    .map_err(backend)?;
                outcomes.push(LogPutOutcome::Replaced);
                seq
            }
            None => {
                let kind = row.kind.code();
                let mut values: Vec<&dyn rusqlite::ToSql> = vec![&tid, &kind, &row.key];
                values.extend(columns.iter());
                conn.prepare_cached(
                    "INSERT INTO log_rows (tenant, kind, row_key, time, user_principal_name, user_id, call_type, \
                     caller_number, callee_number, successful_call, final_sip_code, correlation_id, body, \
                     scrubbed) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                )
                .and_then(|mut s| s.execute(values.as_slice()))
                .map_err(backend)?;
                outcomes.push(LogPutOutcome::Created);
                conn.last_insert_rowid()
            }
        };
        insert_dialout(conn, tid, seq, row)?;
    }
    Ok(outcomes)
}

/// The dial-out facts of a PSTN row of a meeting dial-out, if it is one.
fn insert_dialout(
    conn: &Connection,
    tid: i64,
    seq: i64,
    row: &PreparedLogRow,
) -> Result<(), StoreError> {
    let f = &row.facts;
    let Some(d) = &f.dialout else { return Ok(()) };
    conn.prepare_cached(
        "INSERT INTO log_dialouts (seq, tenant, time, user_id, user_principal_name, user_display_name, \
         usage_location, destination_context, currency, charge_nanos, seconds) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
    )
    .and_then(|mut s| {
        s.execute(params![
            seq,
            tid,
            row.time.0,
            f.user_id,
            f.user_principal_name,
            d.user_display_name,
            d.usage_location,
            d.destination_context,
            d.currency,
            d.charge_nanos,
            d.seconds,
        ])
    })
    .map_err(backend)?;
    Ok(())
}

/// Retention: deletes up to `limit` rows of a kind whose instant is before `cutoff`, tenant by tenant
/// along the time index, with their dial-out facts.
fn purge(conn: &Connection, kind: LogKind, cutoff: Ticks, limit: u32) -> Result<u64, StoreError> {
    let tenants: Vec<i64> = conn
        .prepare_cached("SELECT tid FROM tenants ORDER BY tid")
        .and_then(|mut s| {
            s.query_map([], |r| r.get(0))?
                .collect::<Result<Vec<i64>, _>>()
        })
        .map_err(backend)?;
    let mut deleted = 0u64;
    for tid in tenants {
        let room = i64::from(limit) - deleted as i64;
        if room <= 0 {
            break;
        }
        let seqs: Vec<i64> = conn
            .prepare_cached(
                "SELECT seq FROM log_rows WHERE tenant = ?1 AND kind = ?2 AND time < ?3 ORDER BY time LIMIT ?4",
            )
            .and_then(|mut s| {
                s.query_map(params![tid, kind.code(), cutoff.0, room], |r| r.get(0))?
                    .collect::<Result<Vec<i64>, _>>()
            })
            .map_err(backend)?;
        for seq in &seqs {
            delete_seq(conn, *seq)?;
        }
        deleted += seqs.len() as u64;
    }
    Ok(deleted)
}

/// Scrubbing: rewrites up to `limit` unscrubbed rows whose instant is before `cutoff` with what `scrub`
/// makes of their bodies, their filter columns and dial-out facts with them.
fn scrub(
    conn: &Connection,
    codec: &Codec,
    cutoff: Ticks,
    limit: u32,
    scrub: &crate::logs::LogScrubber,
) -> Result<u64, StoreError> {
    let rows: Vec<(i64, i64, i64, i64, Vec<u8>)> = conn
        .prepare_cached(
            "SELECT seq, tenant, kind, time, body FROM log_rows WHERE scrubbed = 0 AND time < ?1 \
             ORDER BY time LIMIT ?2",
        )
        .and_then(|mut s| {
            s.query_map(params![cutoff.0, limit], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })?
            .collect::<Result<Vec<_>, _>>()
        })
        .map_err(backend)?;
    let encoder = codec.encoder();
    for (seq, tid, kind, time, blob) in &rows {
        let scrubbed = match LogKind::from_code(*kind) {
            Some(kind) => {
                let body = codec
                    .decode(blob)
                    .map_err(|e| StoreError::Backend(e.to_string()))?;
                scrub(kind, &body).map(|done| (kind, done))
            }
            None => Err(format!("unknown kind {kind}")),
        };
        let (kind, (body, facts)) = match scrubbed {
            Ok(done) => done,
            Err(e) => {
                // Marked all the same, so that no pass meets it again.
                tracing::warn!(seq, error = %e, "a stored log row cannot be scrubbed; marked as it is");
                conn.prepare_cached("UPDATE log_rows SET scrubbed = 1 WHERE seq = ?1")
                    .and_then(|mut s| s.execute([seq]))
                    .map_err(backend)?;
                continue;
            }
        };
        conn.prepare_cached(
            "UPDATE log_rows SET user_principal_name = ?2, user_id = ?3, call_type = ?4, caller_number = ?5, \
             callee_number = ?6, successful_call = ?7, final_sip_code = ?8, correlation_id = ?9, body = ?10, \
             scrubbed = 1 WHERE seq = ?1",
        )
        .and_then(|mut s| {
            s.execute(params![
                seq,
                facts.user_principal_name,
                facts.user_id,
                facts.call_type,
                facts.caller_number,
                facts.callee_number,
                facts.successful_call,
                facts.final_sip_code,
                facts.correlation_id,
                encoder.encode(&body),
            ])
        })
        .map_err(backend)?;
        conn.prepare_cached("DELETE FROM log_dialouts WHERE seq = ?1")
            .and_then(|mut s| s.execute([seq]))
            .map_err(backend)?;
        let row = PreparedLogRow {
            kind,
            key: String::new(),
            time: Ticks(*time),
            facts,
            body: Vec::new(),
            scrubbed: true,
        };
        insert_dialout(conn, *tid, *seq, &row)?;
    }
    Ok(rows.len() as u64)
}

fn delete(conn: &Connection, tenant: &str, kind: LogKind, key: &str) -> Result<bool, StoreError> {
    let Some(tid) = tenant_of(conn, tenant)? else {
        return Ok(false);
    };
    let seq: Option<i64> = conn
        .prepare_cached("SELECT seq FROM log_rows WHERE tenant = ?1 AND kind = ?2 AND row_key = ?3")
        .and_then(|mut s| {
            s.query_row(params![tid, kind.code(), key], |r| r.get(0))
                .optional()
        })
        .map_err(backend)?;
    let Some(seq) = seq else { return Ok(false) };
    delete_seq(conn, seq)?;
    Ok(true)
}

/// Deletes a stored row with its dial-out facts.
fn delete_seq(conn: &Connection, seq: i64) -> Result<(), StoreError> {
    for sql in [
        "DELETE FROM log_dialouts WHERE seq = ?1",
        "DELETE FROM log_rows WHERE seq = ?1",
    ] {
        conn.prepare_cached(sql)
            .and_then(|mut s| s.execute([seq]))
            .map_err(backend)?;
    }
    Ok(())
}

/// The column of `log_rows` (or `log_dialouts`) a filter column reads.
fn column_sql(column: LogColumn) -> &'static str {
    match column {
        LogColumn::UserPrincipalName => "user_principal_name",
        LogColumn::UserId => "user_id",
        LogColumn::CallType => "call_type",
        LogColumn::CallerNumber => "caller_number",
        LogColumn::CalleeNumber => "callee_number",
        LogColumn::SuccessfulCall => "successful_call",
        LogColumn::FinalSipCode => "final_sip_code",
        LogColumn::CorrelationId => "correlation_id",
    }
}

fn bind(value: &LogValue) -> Sql {
    match value {
        LogValue::Null => Sql::Null,
        LogValue::Text(s) => Sql::Text(s.clone()),
        LogValue::Int(n) => Sql::Integer(*n),
        LogValue::Bool(b) => Sql::Integer(i64::from(*b)),
    }
}

/// Writes a filter as SQL whose every leaf is 0 or 1 (never NULL), so that `NOT` keeps OData's meaning
/// for rows whose value is null.
pub(super) fn filter_sql(filter: &LogFilter, sql: &mut String, params: &mut Vec<Sql>) {
    let list = |items: &[LogFilter],
                joiner: &str,
                empty: &str,
                sql: &mut String,
                params: &mut Vec<Sql>| {
        if items.is_empty() {
            sql.push_str(empty);
            return;
        }
        sql.push('(');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                sql.push_str(joiner);
            }
            filter_sql(item, sql, params);
        }
        sql.push(')');
    };
    match filter {
        LogFilter::And(items) => list(items, " AND ", "1", sql, params),
        LogFilter::Or(items) => list(items, " OR ", "0", sql, params),
        LogFilter::Not(inner) => {
            sql.push_str("(NOT ");
            filter_sql(inner, sql, params);
            sql.push(')');
        }
        LogFilter::Const(b) => sql.push_str(if *b { "1" } else { "0" }),
        LogFilter::Compare { column, op, value } => {
            let c = column_sql(*column);
            match op {
                CmpOp::Eq => sql.push_str(&format!("({c} IS ?)")),
                CmpOp::Ne => sql.push_str(&format!("({c} IS NOT ?)")),
                other => {
                    let symbol = match other {
                        CmpOp::Lt => "<",
                        CmpOp::Le => "<=",
                        CmpOp::Gt => ">",
                        _ => ">=",
                    };
                    sql.push_str(&format!("IFNULL({c} {symbol} ?, 0)"));
                }
            }
            params.push(bind(value));
        }
        LogFilter::In { column, values } => {
            let c = column_sql(*column);
            if values.is_empty() {
                sql.push('0');
                return;
            }
            sql.push('(');
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    sql.push_str(" OR ");
                }
                sql.push_str(&format!("{c} IS ?"));
                params.push(bind(v));
            }
            sql.push(')');
        }
        LogFilter::StartsWith { column, prefix } => {
            let c = column_sql(*column);
            sql.push_str(&format!("IFNULL(substr({c}, 1, length(?)) = ?, 0)"));
            params.push(Sql::Text(prefix.clone()));
            params.push(Sql::Text(prefix.clone()));
        }
    }
}

/// The listing of a query: SQL and parameters, reading `limit + 1` rows to learn whether more follow.
pub(super) fn list_sql(tid: i64, query: &LogQuery) -> (String, Vec<Sql>) {
    let mut sql =
        String::from("SELECT seq, time, body FROM log_rows WHERE tenant = ? AND kind = ?");
    let mut params = vec![Sql::Integer(tid), Sql::Integer(query.kind.code())];
    match &query.start {
        LogStart::After(cursor) => {
            sql.push_str(" AND (time, seq) > (?, ?)");
            params.push(Sql::Integer(cursor.time.0));
            params.push(Sql::Integer(cursor.seq));
        }
        LogStart::Offset(_) => {
            sql.push_str(" AND time >= ?");
            params.push(Sql::Integer(query.from.0));
        }
    }
    // A cursor always lies inside the range it came from, but a lower bound keeps the seek tight whatever
    // the cursor says.
    if matches!(query.start, LogStart::After(_)) {
        sql.push_str(" AND time >= ?");
        params.push(Sql::Integer(query.from.0));
    }
    sql.push_str(if query.to_inclusive {
        " AND time <= ?"
    } else {
        " AND time < ?"
    });
    params.push(Sql::Integer(query.to.0));
    if let Some(filter) = &query.filter {
        sql.push_str(" AND ");
        filter_sql(filter, &mut sql, &mut params);
    }
    sql.push_str(" ORDER BY time, seq LIMIT ?");
    params.push(Sql::Integer(query.limit as i64 + 1));
    if let LogStart::Offset(n) = query.start {
        sql.push_str(" OFFSET ?");
        params.push(Sql::Integer(i64::try_from(n).unwrap_or(i64::MAX)));
    }
    (sql, params)
}

fn list(
    conn: &Connection,
    codec: &Codec,
    tenant: &str,
    query: &LogQuery,
) -> Result<LogPage, StoreError> {
    let Some(tid) = tenant_of(conn, tenant)? else {
        return Ok(LogPage::default());
    };
    let (sql, params) = list_sql(tid, query);
    let mut stmt = conn.prepare_cached(&sql).map_err(backend)?;
    let mut rows = stmt.query(params_from_iter(params)).map_err(backend)?;
    let mut page = LogPage::default();
    while let Some(r) = rows.next().map_err(backend)? {
        if page.rows.len() == query.limit {
            page.more = true;
            break;
        }
        let blob: Vec<u8> = r.get(2).map_err(backend)?;
        page.rows.push(LogRow {
            cursor: LogCursor {
                seq: r.get(0).map_err(backend)?,
                time: Ticks(r.get(1).map_err(backend)?),
            },
            body: codec
                .decode(&blob)
                .map_err(|e| StoreError::Backend(e.to_string()))?,
        });
    }
    Ok(page)
}

fn dialouts(
    conn: &Connection,
    tenant: &str,
    query: &DialoutQuery,
) -> Result<DialoutPage, StoreError> {
    let Some(tid) = tenant_of(conn, tenant)? else {
        return Ok(DialoutPage::default());
    };
    let mut sql = String::from(
        "SELECT user_id, user_principal_name, MAX(user_display_name), usage_location, destination_context, \
         currency, COUNT(*), SUM(charge_nanos), SUM(seconds) FROM log_dialouts WHERE tenant = ? AND time >= ?",
    );
    let mut params = vec![Sql::Integer(tid), Sql::Integer(query.from.0)];
    sql.push_str(if query.to_inclusive {
        " AND time <= ?"
    } else {
        " AND time < ?"
    });
    params.push(Sql::Integer(query.to.0));
    if let Some(filter) = &query.filter {
        sql.push_str(" AND ");
        filter_sql(filter, &mut sql, &mut params);
    }
    sql.push_str(
        " GROUP BY user_id, user_principal_name, usage_location, destination_context, currency \
         ORDER BY user_principal_name, user_id, usage_location, destination_context, currency LIMIT ? OFFSET ?",
    );
    params.push(Sql::Integer(query.limit as i64 + 1));
    params.push(Sql::Integer(
        i64::try_from(query.offset).unwrap_or(i64::MAX),
    ));
    let mut stmt = conn.prepare_cached(&sql).map_err(backend)?;
    let mut rows = stmt.query(params_from_iter(params)).map_err(backend)?;
    let mut page = DialoutPage::default();
    while let Some(r) = rows.next().map_err(backend)? {
        if page.rows.len() == query.limit {
            page.more = true;
            break;
        }
        page.rows.push(DialoutRow {
            user_id: r.get(0).map_err(backend)?,
            user_principal_name: r.get(1).map_err(backend)?,
            user_display_name: r.get(2).map_err(backend)?,
            usage_location: r.get(3).map_err(backend)?,
            destination_context: r.get(4).map_err(backend)?,
            currency: r.get(5).map_err(backend)?,
            total_calls: r.get(6).map_err(backend)?,
            total_charge_nanos: r.get(7).map_err(backend)?,
            total_seconds: r.get(8).map_err(backend)?,
        });
    }
    Ok(page)
}

fn bodies(
    conn: &Connection,
    codec: &Codec,
    sql: &str,
    params: &[&dyn rusqlite::ToSql],
) -> Result<Vec<Vec<u8>>, StoreError> {
    let mut stmt = conn.prepare_cached(sql).map_err(backend)?;
    let blobs = stmt
        .query_map(params, |r| r.get::<_, Vec<u8>>(0))
        .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        .map_err(backend)?;
    blobs
        .iter()
        .map(|b| {
            codec
                .decode(b)
                .map_err(|e| StoreError::Backend(e.to_string()))
        })
        .collect()
}

impl SqliteStore {
    /// Runs a write on the writer thread, in its next group commit.
    pub(super) async fn log_write<T, F>(&self, weight: usize, write: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: Fn(&Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (reply, outcome) = oneshot::channel();
        let work = Box::new(move |conn: &Connection| -> Result<WorkOutput, StoreError> {
            write(conn).map(|t| Box::new(t) as WorkOutput)
        });
        let output = self
            .send(
                Command::Work {
                    weight,
                    work,
                    reply,
                },
                outcome,
            )
            .await?;
        output
            .downcast::<T>()
            .map(|t| *t)
            .map_err(|_| StoreError::Backend("the writer returned an unexpected result".into()))
    }
}

#[async_trait]
impl LogStore for SqliteStore {
    async fn put_log_rows(
        &self,
        tenant: &TenantId,
        rows: Vec<PreparedLogRow>,
    ) -> Result<Vec<LogPutOutcome>, StoreError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let codec = self.shared.codec.clone();
        let encoded = tokio::task::spawn_blocking(move || {
            let encoder = codec.encoder();
            rows.into_iter()
                .map(|row| EncodedLogRow {
                    body: encoder.encode(&row.body),
                    row,
                })
                .collect::<Vec<_>>()
        })
        .await
        .map_err(|e| StoreError::Backend(format!("compression task failed: {e}")))?;
        let tenant = tenant.to_owned();
        self.log_write(encoded.len(), move |conn| put(conn, &tenant, &encoded))
            .await
    }

    async fn get_log_row(
        &self,
        tenant: &TenantId,
        kind: LogKind,
        key: &str,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let (tenant, key) = (tenant.to_owned(), key.to_owned());
        self.read(move |conn, codec| {
            let Some(tid) = tenant_of(conn, &tenant)? else {
                return Ok(None);
            };
            Ok(bodies(
                conn,
                codec,
                "SELECT body FROM log_rows WHERE tenant = ?1 AND kind = ?2 AND row_key = ?3",
                &[&tid, &kind.code(), &key],
            )?
            .pop())
        })
        .await
    }

    async fn delete_log_row(
        &self,
        tenant: &TenantId,
        kind: LogKind,
        key: &str,
    ) -> Result<bool, StoreError> {
        let (tenant, key) = (tenant.to_owned(), key.to_owned());
        self.log_write(1, move |conn| delete(conn, &tenant, kind, &key))
            .await
    }

    async fn list_log_rows(
        &self,
        tenant: &TenantId,
        query: &LogQuery,
    ) -> Result<LogPage, StoreError> {
        let (tenant, query) = (tenant.to_owned(), query.clone());
        self.read(move |conn, codec| list(conn, codec, &tenant, &query))
            .await
    }

    async fn dialout_report(
        &self,
        tenant: &TenantId,
        query: &DialoutQuery,
    ) -> Result<DialoutPage, StoreError> {
        let (tenant, query) = (tenant.to_owned(), query.clone());
        self.read(move |conn, _| dialouts(conn, &tenant, &query))
            .await
    }

    async fn purge_log_rows_before(
        &self,
        kind: LogKind,
        cutoff: Ticks,
        limit: u32,
    ) -> Result<u64, StoreError> {
        self.log_write(limit as usize, move |conn| purge(conn, kind, cutoff, limit))
            .await
    }

    async fn scrub_log_rows_before(
        &self,
        cutoff: Ticks,
        limit: u32,
        scrubber: crate::logs::LogScrubber,
    ) -> Result<u64, StoreError> {
        let codec = self.shared.codec.clone();
        self.log_write(limit as usize, move |conn| {
            scrub(conn, &codec, cutoff, limit, &scrubber)
        })
        .await
    }

    async fn correlated_log_rows(
        &self,
        tenant: &TenantId,
        correlation_id: &str,
        limit: usize,
    ) -> Result<Vec<Vec<u8>>, StoreError> {
        let (tenant, correlation_id) = (tenant.to_owned(), correlation_id.to_owned());
        self.read(move |conn, codec| {
            let Some(tid) = tenant_of(conn, &tenant)? else {
                return Ok(Vec::new());
            };
            let limit = i64::try_from(limit).unwrap_or(i64::MAX);
            bodies(
                conn,
                codec,
                "SELECT body FROM log_rows WHERE tenant = ?1 AND correlation_id = ?2 AND kind = ?3 \
                 ORDER BY time, seq LIMIT ?4",
                &[
                    &tid,
                    &correlation_id,
                    &LogKind::DirectRouting.code(),
                    &limit,
                ],
            )
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deep pages must cost what the first does: a page seeks the time index and reads it in order.
    #[test]
    fn pages_seek_the_time_index_without_sorting() {
        let dir = std::env::temp_dir().join(format!("callrec-logs-plan-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("plan.db");
        let conn =
            super::super::open_writer(&path, &super::super::SqliteOptions::default()).unwrap();
        let filter = callrec_model::logs::log_filter(
            "startswith(callerNumber,'+1') and callType ne 'user_in'",
            LogKind::PstnCall,
        )
        .unwrap();
        for start in [
            LogStart::After(LogCursor {
                time: Ticks(5),
                seq: 9,
            }),
            LogStart::Offset(0),
        ] {
            let query = LogQuery {
                kind: LogKind::PstnCall,
                from: Ticks(0),
                to: Ticks(100),
                to_inclusive: true,
                filter: Some(filter.clone()),
                start: start.clone(),
                limit: 1000,
            };
            let (sql, params) = list_sql(1, &query);
            let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
            let plan: Vec<String> = stmt
                .query_map(params_from_iter(params), |r| r.get::<_, String>(3))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap();
            let plan = plan.join("; ");
            assert!(plan.contains("log_rows_by_time"), "{start:?}: {plan}");
            assert!(!plan.contains("TEMP B-TREE"), "{start:?}: {plan}");
        }
        drop(conn);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
