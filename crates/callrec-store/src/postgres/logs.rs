//! PSTN, direct-routing and SMS log rows (and the other beta log reports) on PostgreSQL.
//!
//! Layout (migration 3 in [`super::schema`]), as in the embedded store: `log_rows` keyed by
//! `(tenant, kind, row_key)` so a re-ingested row replaces itself; `seq` numbers rows in the order they
//! were first stored and is kept on replacement, so `(time, seq)` is a stable keyset position served by
//! the `(tenant, kind, time, seq)` index; `log_dialouts` repeats what the dial-out report sums for the PSTN
//! rows of meeting dial-outs only.
//!
//! A batch is one `INSERT ... ON CONFLICT DO UPDATE` of arrays: atomic against concurrent writers of the
//! same keys on other nodes, and a few statements whatever the batch's size.
//!
//! Retention deletes old rows tenant by tenant along the time index ([`purge`]). Scrubbing (migration 5)
//! takes the oldest unscrubbed rows of every tenant from the partial index `log_rows_to_scrub`, locked
//! with `FOR UPDATE SKIP LOCKED` so that several nodes scrub at once without meeting, and rewrites them
//! in the same transaction ([`scrub_in`]).

use std::collections::HashMap;
use std::sync::Arc;

use async_trait::async_trait;
use callrec_model::edm::Ticks;
use callrec_model::logs::{
    DialoutQuery, LogColumn, LogCursor, LogFacts, LogFilter, LogKind, LogQuery, LogStart, LogValue,
    PreparedLogRow,
};
use callrec_model::query::CmpOp;
use deadpool_postgres::{Client, Transaction};
use tokio_postgres::types::ToSql;

use super::filter::Param;
use super::records::TxError;
use super::{PostgresStore, backend};
use crate::compress::{Codec, CompressError};
use crate::logs::{DialoutPage, DialoutRow, LogPage, LogPutOutcome, LogRow, LogScrubber};
use crate::{LogStore, StoreError, TenantId};

/// A row with its body compressed.
struct EncodedLogRow {
    row: PreparedLogRow,
    body: Vec<u8>,
}

fn kind_code(kind: LogKind) -> i16 {
    kind.code() as i16
}

/// The dial-out facts of PSTN rows of meeting dial-outs, gathered as columns for one `unnest` insert.
#[derive(Default)]
struct Dialouts<'a> {
    tenant: Vec<&'a str>,
    seq: Vec<i64>,
    time: Vec<i64>,
    /// user id, user principal name, user display name, usage location, destination context, currency.
    text: [Vec<Option<&'a str>>; 6],
    charge: Vec<i64>,
    seconds: Vec<i64>,
}

impl<'a> Dialouts<'a> {
    /// Adds the row's facts if it is a dial-out.
    fn push(&mut self, tenant: &'a str, seq: i64, time: i64, facts: &'a LogFacts) {
        let Some(d) = &facts.dialout else { return };
        self.tenant.push(tenant);
        self.seq.push(seq);
        self.time.push(time);
        for (column, value) in self.text.iter_mut().zip([
            &facts.user_id,
            &facts.user_principal_name,
            &d.user_display_name,
            &d.usage_location,
            &d.destination_context,
            &d.currency,
        ]) {
            column.push(value.as_deref());
        }
        self.charge.push(d.charge_nanos);
        self.seconds.push(d.seconds);
    }

    async fn insert(self, tx: &Transaction<'_>) -> Result<(), TxError> {
        if self.seq.is_empty() {
            return Ok(());
        }
        let stmt = tx
            .prepare_cached(
                "INSERT INTO log_dialouts (tenant, seq, time, user_id, user_principal_name, \
                 user_display_name, usage_location, destination_context, currency, charge_nanos, seconds) \
                 SELECT * FROM unnest($1::text[], $2::int8[], $3::int8[], $4::text[], $5::text[], \
                 $6::text[], $7::text[], $8::text[], $9::text[], $10::int8[], $11::int8[])",
            )
            .await?;
        let t = &self.text;
        tx.execute(
            &stmt,
            &[
                &self.tenant,
                &self.seq,
                &self.time,
                &t[0],
                &t[1],
                &t[2],
                &t[3],
                &t[4],
                &t[5],
                &self.charge,
                &self.seconds,
            ],
        )
        .await?;
        Ok(())
    }
}

async fn put_in(
    tx: &Transaction<'_>,
    tenant: &str,
    rows: &[EncodedLogRow],
) -> Result<Vec<LogPutOutcome>, TxError> {
    // A key may come twice in a batch: the last one is what is stored, the earlier ones are replaced by it.
    let mut last: HashMap<(i16, &str), usize> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        last.insert((kind_code(r.row.kind), r.row.key.as_str()), i);
    }
    let mut kept: Vec<usize> = last.values().copied().collect();
    kept.sort_unstable_by_key(|&i| (kind_code(rows[i].row.kind), rows[i].row.key.as_str()));
    let pick = |f: &dyn Fn(&EncodedLogRow) -> Option<String>| -> Vec<Option<String>> {
        kept.iter().map(|&i| f(&rows[i])).collect()
    };
    let kind: Vec<i16> = kept.iter().map(|&i| kind_code(rows[i].row.kind)).collect();
    let key: Vec<&str> = kept.iter().map(|&i| rows[i].row.key.as_str()).collect();
    let time: Vec<i64> = kept.iter().map(|&i| rows[i].row.time.0).collect();
    let upn = pick(&|r| r.row.facts.user_principal_name.clone());
    let user_id = pick(&|r| r.row.facts.user_id.clone());
    let call_type = pick(&|r| r.row.facts.call_type.clone());
    let caller = pick(&|r| r.row.facts.caller_number.clone());
    let callee = pick(&|r| r.row.facts.callee_number.clone());
    let correlation = pick(&|r| r.row.facts.correlation_id.clone());
    let success: Vec<Option<bool>> = kept
        .iter()
        .map(|&i| rows[i].row.facts.successful_call)
        .collect();
    let sip: Vec<Option<i64>> = kept
        .iter()
        .map(|&i| rows[i].row.facts.final_sip_code)
        .collect();
    let body: Vec<&[u8]> = kept.iter().map(|&i| rows[i].body.as_slice()).collect();
    let scrubbed: Vec<bool> = kept.iter().map(|&i| rows[i].row.scrubbed).collect();
    let stmt = tx
        .prepare_cached(
            "INSERT INTO log_rows (tenant, kind, row_key, time, user_principal_name, user_id, call_type, \
             caller_number, callee_number, successful_call, final_sip_code, correlation_id, body, scrubbed) \
             SELECT $1, * FROM unnest($2::int2[], $3::text[], $4::int8[], $5::text[], $6::text[], $7::text[], \
             $8::text[], $9::text[], $10::bool[], $11::int8[], $12::text[], $13::bytea[], $14::bool[]) \
             ON CONFLICT (tenant, kind, row_key) DO UPDATE SET time = EXCLUDED.time, \
             user_principal_name = EXCLUDED.user_principal_name, user_id = EXCLUDED.user_id, \
             call_type = EXCLUDED.call_type, caller_number = EXCLUDED.caller_number, \
             callee_number = EXCLUDED.callee_number, successful_call = EXCLUDED.successful_call, \
             final_sip_code = EXCLUDED.final_sip_code, correlation_id = EXCLUDED.correlation_id, \
             body = EXCLUDED.body, scrubbed = EXCLUDED.scrubbed \
             RETURNING kind, row_key, seq, (xmax = 0) AS inserted",
        )
        .await?;
    let params: [&(dyn ToSql + Sync); 14] = [
        &tenant,
        &kind,
        &key,
        &time,
        &upn,
        &user_id,
        &call_type,
        &caller,
        &callee,
        &success,
        &sip,
        &correlation,
        &body,
        &scrubbed,
    ];
    let mut stored: HashMap<(i16, String), (i64, bool)> = HashMap::new();
    for r in tx.query(&stmt, &params).await? {
        stored.insert((r.get(0), r.get(1)), (r.get(2), r.get(3)));
    }
    let seqs: Vec<i64> = stored.values().map(|v| v.0).collect();
    let stmt = tx
        .prepare_cached("DELETE FROM log_dialouts WHERE tenant = $1 AND seq = ANY($2)")
        .await?;
    tx.execute(&stmt, &[&tenant, &seqs]).await?;

    let mut dialouts = Dialouts::default();
    for &i in &kept {
        let r = &rows[i].row;
        if let Some(&(seq, _)) = stored.get(&(kind_code(r.kind), r.key.clone())) {
            dialouts.push(tenant, seq, r.time.0, &r.facts);
        }
    }
    dialouts.insert(tx).await?;

    // Outcomes in batch order: a key's first occurrence is created if the statement inserted it, every
    // later occurrence replaces the one before.
    let mut seen: HashMap<(i16, &str), ()> = HashMap::new();
    Ok(rows
        .iter()
        .map(|r| {
            let k = (kind_code(r.row.kind), r.row.key.as_str());
            let first = seen.insert(k, ()).is_none();
            let inserted = stored
                .get(&(k.0, k.1.to_owned()))
                .is_some_and(|&(_, inserted)| inserted);
            if first && inserted {
                LogPutOutcome::Created
            } else {
                LogPutOutcome::Replaced
            }
        })
        .collect())
}

async fn delete_in(
    tx: &Transaction<'_>,
    tenant: &str,
    kind: LogKind,
    key: &str,
) -> Result<bool, TxError> {
    let Some(row) = tx
        .query_opt(
            "DELETE FROM log_rows WHERE tenant = $1 AND kind = $2 AND row_key = $3 RETURNING seq",
            &[&tenant, &kind_code(kind), &key],
        )
        .await?
    else {
        return Ok(false);
    };
    let seq: i64 = row.get(0);
    tx.execute(
        "DELETE FROM log_dialouts WHERE tenant = $1 AND seq = $2",
        &[&tenant, &seq],
    )
    .await?;
    Ok(true)
}

/// The first tenant after `after` (from the first of all when `None`) that has log rows, found along the
/// primary key: a loose index scan, one probe per tenant, however many rows each has.
async fn next_tenant(client: &Client, after: Option<&str>) -> Result<Option<String>, StoreError> {
    let row = match after {
        None => {
            let stmt = client
                .prepare_cached("SELECT tenant FROM log_rows ORDER BY tenant LIMIT 1")
                .await
                .map_err(backend)?;
            client.query_opt(&stmt, &[]).await
        }
        Some(after) => {
            let stmt = client
                .prepare_cached(
                    "SELECT tenant FROM log_rows WHERE tenant > $1 ORDER BY tenant LIMIT 1",
                )
                .await
                .map_err(backend)?;
            client.query_opt(&stmt, &[&after]).await
        }
    }
    .map_err(backend)?;
    Ok(row.map(|r| r.get(0)))
}

/// Deletes up to `limit` rows of one tenant and kind whose instant is before `cutoff`, the oldest first
/// along the `(tenant, kind, time, seq)` index, with their dial-out facts, in one statement. Rows another
/// transaction holds (a purge on another node, a write of the same key) are skipped, not waited for.
async fn purge_tenant_in(
    tx: &Transaction<'_>,
    tenant: &str,
    kind: LogKind,
    cutoff: i64,
    limit: i64,
) -> Result<u64, TxError> {
    let stmt = tx
        .prepare_cached(
            "WITH doomed AS (\
                 SELECT row_key FROM log_rows WHERE tenant = $1 AND kind = $2 AND time < $3 \
                 ORDER BY time, seq LIMIT $4 FOR UPDATE SKIP LOCKED), \
             gone AS (\
                 DELETE FROM log_rows r USING doomed d \
                 WHERE r.tenant = $1 AND r.kind = $2 AND r.row_key = d.row_key RETURNING r.seq), \
             dialouts AS (\
                 DELETE FROM log_dialouts l USING gone g WHERE l.tenant = $1 AND l.seq = g.seq) \
             SELECT count(*) FROM gone",
        )
        .await?;
    let row = tx
        .query_one(&stmt, &[&tenant, &kind_code(kind), &cutoff, &limit])
        .await?;
    Ok(row.get::<_, i64>(0).max(0) as u64)
}

/// Retention: deletes up to `limit` rows of a kind whose instant is before `cutoff`, tenant by tenant
/// (each tenant's share in one transaction), with their dial-out facts.
async fn purge(
    client: &mut Client,
    kind: LogKind,
    cutoff: i64,
    limit: u32,
) -> Result<u64, StoreError> {
    let limit = u64::from(limit);
    let mut deleted = 0u64;
    let mut after: Option<String> = None;
    while deleted < limit {
        let Some(tenant) = next_tenant(client, after.as_deref()).await? else {
            break;
        };
        let room = (limit - deleted) as i64;
        deleted += in_transaction!(client, tx => purge_tenant_in(&tx, &tenant, kind, cutoff, room));
        after = Some(tenant);
    }
    Ok(deleted)
}

/// A stored row taken for scrubbing, locked by the scrubbing transaction.
struct Taken {
    tenant: String,
    kind: i16,
    key: String,
    seq: i64,
    time: i64,
    blob: Vec<u8>,
}

/// What scrubbing makes of a taken row: its scrubbed body, compressed, and the facts indexed from it;
/// `None` when the scrubber refused it, to be marked scrubbed as it is.
type Scrubbed = Option<(Vec<u8>, LogFacts)>;

/// Decodes, scrubs and encodes the taken rows (CPU work, run on a blocking thread). Fails with the first
/// blob that cannot be decoded, [`CompressError::UnknownDictionary`] included.
fn scrub_bodies(
    codec: &Codec,
    scrub: &LogScrubber,
    taken: &[Taken],
) -> Result<Vec<Scrubbed>, CompressError> {
    let encoder = codec.encoder();
    taken
        .iter()
        .map(|t| {
            let Some(kind) = LogKind::from_code(i64::from(t.kind)) else {
                tracing::warn!(tenant = %t.tenant, kind = t.kind, seq = t.seq,
                    "a stored log row of an unknown kind cannot be scrubbed; marked as it is");
                return Ok(None);
            };
            let body = codec.decode(&t.blob)?;
            Ok(match scrub(kind, &body) {
                Ok((body, facts)) => Some((encoder.encode(&body), facts)),
                Err(e) => {
                    tracing::warn!(tenant = %t.tenant, seq = t.seq, error = %e,
                        "a stored log row cannot be scrubbed; marked as it is");
                    None
                }
            })
        })
        .collect()
}

/// Scrubbing, in one transaction: takes up to `limit` unscrubbed rows of any tenant and kind whose instant
/// is before `cutoff` (the oldest first, along the partial index of the unscrubbed rows), locked with
/// `FOR UPDATE SKIP LOCKED` so that scrubbers on several nodes share the work and never take a row twice,
/// and rewrites each with what `scrub` makes of its body: the body, the filter columns, the dial-out
/// facts, and the mark. `None` (nothing written) when a body names a dictionary this node does not know
/// yet, for the caller to load it and try again.
async fn scrub_in(
    tx: &Transaction<'_>,
    codec: &Arc<Codec>,
    scrub: &LogScrubber,
    cutoff: i64,
    limit: u32,
) -> Result<Option<u64>, TxError> {
    let stmt = tx
        .prepare_cached(
            "SELECT tenant, kind, row_key, seq, time, body FROM log_rows \
             WHERE NOT scrubbed AND time < $1 ORDER BY time LIMIT $2 FOR UPDATE SKIP LOCKED",
        )
        .await?;
    let taken: Vec<Taken> = tx
        .query(&stmt, &[&cutoff, &i64::from(limit)])
        .await?
        .iter()
        .map(|r| Taken {
            tenant: r.get(0),
            kind: r.get(1),
            key: r.get(2),
            seq: r.get(3),
            time: r.get(4),
            blob: r.get(5),
        })
        .collect();
    if taken.is_empty() {
        return Ok(Some(0));
    }
    let (taken, scrubbed) = {
        let (codec, scrub) = (codec.clone(), scrub.clone());
        tokio::task::spawn_blocking(move || {
            let scrubbed = scrub_bodies(&codec, &scrub, &taken);
            (taken, scrubbed)
        })
        .await
        .map_err(|e| StoreError::Backend(format!("scrubbing task failed: {e}")))?
    };
    let scrubbed = match scrubbed {
        Ok(scrubbed) => scrubbed,
        Err(CompressError::UnknownDictionary(_)) => return Ok(None),
        Err(e) => return Err(StoreError::Backend(e.to_string()).into()),
    };

    // Rows refused: marked only.
    let refused: Vec<&Taken> = taken
        .iter()
        .zip(&scrubbed)
        .filter(|(_, s)| s.is_none())
        .map(|(t, _)| t)
        .collect();
    if !refused.is_empty() {
        let tenant: Vec<&str> = refused.iter().map(|t| t.tenant.as_str()).collect();
        let kind: Vec<i16> = refused.iter().map(|t| t.kind).collect();
        let key: Vec<&str> = refused.iter().map(|t| t.key.as_str()).collect();
        let stmt = tx
            .prepare_cached(
                "UPDATE log_rows r SET scrubbed = true \
                 FROM unnest($1::text[], $2::int2[], $3::text[]) AS u(tenant, kind, row_key) \
                 WHERE r.tenant = u.tenant AND r.kind = u.kind AND r.row_key = u.row_key",
            )
            .await?;
        tx.execute(&stmt, &[&tenant, &kind, &key]).await?;
    }

    // Rows rewritten: body, filter columns and mark, then their dial-out facts.
    let rewritten: Vec<(&Taken, &[u8], &LogFacts)> = taken
        .iter()
        .zip(&scrubbed)
        .filter_map(|(t, s)| s.as_ref().map(|(blob, facts)| (t, blob.as_slice(), facts)))
        .collect();
    if !rewritten.is_empty() {
        let tenant: Vec<&str> = rewritten.iter().map(|r| r.0.tenant.as_str()).collect();
        let kind: Vec<i16> = rewritten.iter().map(|r| r.0.kind).collect();
        let key: Vec<&str> = rewritten.iter().map(|r| r.0.key.as_str()).collect();
        let text = |f: fn(&LogFacts) -> &Option<String>| -> Vec<Option<&str>> {
            rewritten.iter().map(|r| f(r.2).as_deref()).collect()
        };
        let upn = text(|f| &f.user_principal_name);
        let user_id = text(|f| &f.user_id);
        let call_type = text(|f| &f.call_type);
        let caller = text(|f| &f.caller_number);
        let callee = text(|f| &f.callee_number);
        let correlation = text(|f| &f.correlation_id);
        let success: Vec<Option<bool>> = rewritten.iter().map(|r| r.2.successful_call).collect();
        let sip: Vec<Option<i64>> = rewritten.iter().map(|r| r.2.final_sip_code).collect();
        let body: Vec<&[u8]> = rewritten.iter().map(|r| r.1).collect();
        let stmt = tx
            .prepare_cached(
                "UPDATE log_rows r SET user_principal_name = u.upn, user_id = u.user_id, \
                 call_type = u.call_type, caller_number = u.caller, callee_number = u.callee, \
                 successful_call = u.success, final_sip_code = u.sip, correlation_id = u.correlation, \
                 body = u.body, scrubbed = true \
                 FROM unnest($1::text[], $2::int2[], $3::text[], $4::text[], $5::text[], $6::text[], \
                 $7::text[], $8::text[], $9::bool[], $10::int8[], $11::text[], $12::bytea[]) \
                 AS u(tenant, kind, row_key, upn, user_id, call_type, caller, callee, success, sip, \
                 correlation, body) \
                 WHERE r.tenant = u.tenant AND r.kind = u.kind AND r.row_key = u.row_key",
            )
            .await?;
        tx.execute(
            &stmt,
            &[
                &tenant,
                &kind,
                &key,
                &upn,
                &user_id,
                &call_type,
                &caller,
                &callee,
                &success,
                &sip,
                &correlation,
                &body,
            ],
        )
        .await?;

        let seq: Vec<i64> = rewritten.iter().map(|r| r.0.seq).collect();
        let stmt = tx
            .prepare_cached(
                "DELETE FROM log_dialouts d USING unnest($1::text[], $2::int8[]) AS u(tenant, seq) \
                 WHERE d.tenant = u.tenant AND d.seq = u.seq",
            )
            .await?;
        tx.execute(&stmt, &[&tenant, &seq]).await?;

        let mut dialouts = Dialouts::default();
        for (t, _, facts) in &rewritten {
            dialouts.push(&t.tenant, t.seq, t.time, facts);
        }
        dialouts.insert(tx).await?;
    }
    Ok(Some(taken.len() as u64))
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

/// A literal as a parameter of the column's own type (PostgreSQL types every parameter).
fn bind(column: LogColumn, value: &LogValue) -> Param {
    match column {
        LogColumn::SuccessfulCall => Box::new(match value {
            LogValue::Bool(b) => Some(*b),
            LogValue::Int(n) => Some(*n != 0),
            _ => None,
        }),
        LogColumn::FinalSipCode => Box::new(match value {
            LogValue::Int(n) => Some(*n),
            LogValue::Text(s) => s.parse::<i64>().ok(),
            _ => None,
        }),
        _ => Box::new(match value {
            LogValue::Text(s) => Some(s.clone()),
            LogValue::Int(n) => Some(n.to_string()),
            LogValue::Bool(b) => Some(b.to_string()),
            LogValue::Null => None,
        }),
    }
}

fn placeholder(params: &mut Vec<Param>, value: Param) -> String {
    params.push(value);
    format!("${}", params.len())
}

/// Writes a filter as SQL whose every leaf is true or false (never NULL), so that `NOT` keeps OData's
/// meaning for rows whose value is null.
fn filter_sql(filter: &LogFilter, sql: &mut String, params: &mut Vec<Param>) {
    let list = |items: &[LogFilter],
                joiner: &str,
                empty: &str,
                sql: &mut String,
                params: &mut Vec<Param>| {
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
        LogFilter::And(items) => list(items, " AND ", "TRUE", sql, params),
        LogFilter::Or(items) => list(items, " OR ", "FALSE", sql, params),
        LogFilter::Not(inner) => {
            sql.push_str("(NOT ");
            filter_sql(inner, sql, params);
            sql.push(')');
        }
        LogFilter::Const(b) => sql.push_str(if *b { "TRUE" } else { "FALSE" }),
        LogFilter::Compare { column, op, value } => {
            let c = column_sql(*column);
            let p = placeholder(params, bind(*column, value));
            match op {
                CmpOp::Eq => sql.push_str(&format!("({c} IS NOT DISTINCT FROM {p})")),
                CmpOp::Ne => sql.push_str(&format!("({c} IS DISTINCT FROM {p})")),
                other => {
                    let symbol = match other {
                        CmpOp::Lt => "<",
                        CmpOp::Le => "<=",
                        CmpOp::Gt => ">",
                        _ => ">=",
                    };
                    sql.push_str(&format!("coalesce({c} {symbol} {p}, FALSE)"));
                }
            }
        }
        LogFilter::In { column, values } => {
            let c = column_sql(*column);
            if values.is_empty() {
                sql.push_str("FALSE");
                return;
            }
            sql.push('(');
            for (i, v) in values.iter().enumerate() {
                if i > 0 {
                    sql.push_str(" OR ");
                }
                let p = placeholder(params, bind(*column, v));
                sql.push_str(&format!("{c} IS NOT DISTINCT FROM {p}"));
            }
            sql.push(')');
        }
        LogFilter::StartsWith { column, prefix } => {
            let c = column_sql(*column);
            let p = placeholder(params, Box::new(prefix.clone()));
            sql.push_str(&format!("coalesce(starts_with({c}, {p}), FALSE)"));
        }
    }
}

/// The listing of a query: SQL and parameters, reading `limit + 1` rows to learn whether more follow.
fn list_sql(tenant: &str, query: &LogQuery) -> (String, Vec<Param>) {
    let mut params: Vec<Param> = vec![
        Box::new(tenant.to_owned()),
        Box::new(kind_code(query.kind)),
        Box::new(query.from.0),
        Box::new(query.to.0),
    ];
    let mut sql = format!(
        "SELECT seq, time, body FROM log_rows WHERE tenant = $1 AND kind = $2 AND time >= $3 AND time {} $4",
        if query.to_inclusive { "<=" } else { "<" }
    );
    if let LogStart::After(cursor) = &query.start {
        let t = placeholder(&mut params, Box::new(cursor.time.0));
        let s = placeholder(&mut params, Box::new(cursor.seq));
        sql.push_str(&format!(" AND (time, seq) > ({t}, {s})"));
    }
    if let Some(filter) = &query.filter {
        sql.push_str(" AND ");
        filter_sql(filter, &mut sql, &mut params);
    }
    let limit = placeholder(&mut params, Box::new(query.limit as i64 + 1));
    sql.push_str(&format!(" ORDER BY time, seq LIMIT {limit}"));
    if let LogStart::Offset(n) = query.start {
        let offset = placeholder(&mut params, Box::new(i64::try_from(n).unwrap_or(i64::MAX)));
        sql.push_str(&format!(" OFFSET {offset}"));
    }
    (sql, params)
}

fn refs(params: &[Param]) -> Vec<&(dyn ToSql + Sync)> {
    params
        .iter()
        .map(|p| p.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

#[async_trait]
impl LogStore for PostgresStore {
    async fn purge_log_rows_before(
        &self,
        kind: LogKind,
        cutoff: Ticks,
        limit: u32,
    ) -> Result<u64, StoreError> {
        let mut client = self.client().await?;
        purge(&mut client, kind, cutoff.0, limit).await
    }

    async fn scrub_log_rows_before(
        &self,
        cutoff: Ticks,
        limit: u32,
        scrub: LogScrubber,
    ) -> Result<u64, StoreError> {
        let mut refreshed = false;
        loop {
            let mut client = self.client().await?;
            let codec = self.inner.codec.clone();
            let done =
                in_transaction!(client, tx => scrub_in(&tx, &codec, &scrub, cutoff.0, limit));
            drop(client);
            match done {
                Some(handled) => return Ok(handled),
                // A body made with a dictionary another node trained: load it (on a connection of its
                // own, the transaction's being given back) and take the rows again.
                None if !refreshed => {
                    self.refresh_dictionaries().await?;
                    refreshed = true;
                }
                None => {
                    return Err(StoreError::Backend(
                        "a stored log row names a compression dictionary the store does not have"
                            .into(),
                    ));
                }
            }
        }
    }

    async fn put_log_rows(
        &self,
        tenant: &TenantId,
        rows: Vec<PreparedLogRow>,
    ) -> Result<Vec<LogPutOutcome>, StoreError> {
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let codec = self.inner.codec.clone();
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
        let mut client = self.client().await?;
        Ok(in_transaction!(client, tx => put_in(&tx, tenant, &encoded)))
    }

    async fn get_log_row(
        &self,
        tenant: &TenantId,
        kind: LogKind,
        key: &str,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT body FROM log_rows WHERE tenant = $1 AND kind = $2 AND row_key = $3",
            )
            .await
            .map_err(backend)?;
        let row = client
            .query_opt(&stmt, &[&tenant, &kind_code(kind), &key])
            .await
            .map_err(backend)?;
        drop(client);
        match row {
            None => Ok(None),
            Some(row) => {
                let blob: Vec<u8> = row.get(0);
                self.decoded(|codec| codec.decode(&blob)).await.map(Some)
            }
        }
    }

    async fn delete_log_row(
        &self,
        tenant: &TenantId,
        kind: LogKind,
        key: &str,
    ) -> Result<bool, StoreError> {
        let mut client = self.client().await?;
        Ok(in_transaction!(client, tx => delete_in(&tx, tenant, kind, key)))
    }

    async fn list_log_rows(
        &self,
        tenant: &TenantId,
        query: &LogQuery,
    ) -> Result<LogPage, StoreError> {
        let (sql, params) = list_sql(tenant, query);
        let client = self.client().await?;
        let stmt = client.prepare_cached(&sql).await.map_err(backend)?;
        let rows = client.query(&stmt, &refs(&params)).await.map_err(backend)?;
        drop(client);
        let more = rows.len() > query.limit;
        let raws: Vec<(i64, i64, Vec<u8>)> = rows
            .iter()
            .take(query.limit)
            .map(|r| (r.get(0), r.get(1), r.get(2)))
            .collect();
        let rows = self
            .decoded(|codec| {
                raws.iter()
                    .map(|(seq, time, blob)| {
                        Ok(LogRow {
                            cursor: LogCursor {
                                seq: *seq,
                                time: Ticks(*time),
                            },
                            body: codec.decode(blob)?,
                        })
                    })
                    .collect()
            })
            .await?;
        Ok(LogPage { rows, more })
    }

    async fn dialout_report(
        &self,
        tenant: &TenantId,
        query: &DialoutQuery,
    ) -> Result<DialoutPage, StoreError> {
        let mut params: Vec<Param> = vec![
            Box::new(tenant.to_owned()),
            Box::new(query.from.0),
            Box::new(query.to.0),
        ];
        let mut sql = format!(
            "SELECT user_id, user_principal_name, max(user_display_name), usage_location, destination_context, \
             currency, count(*), sum(charge_nanos)::int8, sum(seconds)::int8 FROM log_dialouts \
             WHERE tenant = $1 AND time >= $2 AND time {} $3",
            if query.to_inclusive { "<=" } else { "<" }
        );
        if let Some(filter) = &query.filter {
            sql.push_str(" AND ");
            filter_sql(filter, &mut sql, &mut params);
        }
        let limit = placeholder(&mut params, Box::new(query.limit as i64 + 1));
        let offset = placeholder(
            &mut params,
            Box::new(i64::try_from(query.offset).unwrap_or(i64::MAX)),
        );
        // NULLS FIRST: the embedded store's order, where a missing value sorts before any other.
        sql.push_str(&format!(
            " GROUP BY user_id, user_principal_name, usage_location, destination_context, currency \
             ORDER BY user_principal_name NULLS FIRST, user_id NULLS FIRST, usage_location NULLS FIRST, \
             destination_context NULLS FIRST, currency NULLS FIRST LIMIT {limit} OFFSET {offset}"
        ));
        let client = self.client().await?;
        let stmt = client.prepare_cached(&sql).await.map_err(backend)?;
        let rows = client.query(&stmt, &refs(&params)).await.map_err(backend)?;
        let more = rows.len() > query.limit;
        Ok(DialoutPage {
            rows: rows
                .iter()
                .take(query.limit)
                .map(|r| DialoutRow {
                    user_id: r.get(0),
                    user_principal_name: r.get(1),
                    user_display_name: r.get(2),
                    usage_location: r.get(3),
                    destination_context: r.get(4),
                    currency: r.get(5),
                    total_calls: r.get(6),
                    total_charge_nanos: r.get(7),
                    total_seconds: r.get(8),
                })
                .collect(),
            more,
        })
    }

    async fn correlated_log_rows(
        &self,
        tenant: &TenantId,
        correlation_id: &str,
        limit: usize,
    ) -> Result<Vec<Vec<u8>>, StoreError> {
        let client = self.client().await?;
        let stmt = client
            .prepare_cached(
                "SELECT body FROM log_rows WHERE tenant = $1 AND correlation_id = $2 AND kind = $3 \
                 ORDER BY time, seq LIMIT $4",
            )
            .await
            .map_err(backend)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let blobs: Vec<Vec<u8>> = client
            .query(
                &stmt,
                &[
                    &tenant,
                    &correlation_id,
                    &kind_code(LogKind::DirectRouting),
                    &limit,
                ],
            )
            .await
            .map_err(backend)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        drop(client);
        self.decoded(|codec| blobs.iter().map(|b| codec.decode(b)).collect())
            .await
    }
}
