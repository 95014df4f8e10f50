//! SQLite storage of call quality: the stream classifications computed at ingestion and the reports over them.
//!
//! Three tables, written in the record's transaction by [`record_written`]:
//!
//! - `quality_streams`: one compact row per stream (integer-coded dimensions from `quality_names`, the
//!   verdict and reason, the metrics), keyed by `(rid, n)` so a record's streams are one range, and
//!   indexed by `(tenant, start)` for reports over any time range and filter.
//! - `quality_rollup`: per-bucket sums of the same rows (counts by verdict and reason, sums, counts and
//!   maxima of each metric), by `(tenant, dimension, bucket, value, media)`. Dimension 0 ("all") has hourly
//!   buckets; the report dimensions have daily ones, which keeps a month of a large tenant's users in tens
//!   of thousands of rows. A 30-day report reads rollups for the whole buckets of its range and streams only
//!   for the partial buckets at its edges.
//! - `quality_records`: the record's verdicts, for the `quality` `$filter`.
//!
//! Replacing or deleting a record subtracts its old streams from the rollups. Sums and counts subtract
//! exactly; a maximum cannot, so a bucket whose maximum came from a removed stream is recomputed from
//! `quality_streams`.

use std::collections::{BTreeMap, HashMap, HashSet};

use async_trait::async_trait;
use callrec_model::edm::Ticks;
use callrec_model::quality::{Building, BuildingMap, MediaType, Metric, RecordQuality, Verdict};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};

use super::{SqliteStore, backend};
use crate::aggregate::{Agg, DAY_HOURS, DAY_OF_START, HOUR, HOUR_OF_START, max_of, scaled};
use crate::quality::{Dimension, Grouping, Only, QualityTotals, ReportQuery, ReportRow};
use crate::{QualityStore, StoreError, TenantId};

/// `dim` of the rollup rows that count every stream, by hour.
const ALL: i64 = 0;

fn dim_code(d: Dimension) -> i64 {
    match d {
        Dimension::Subnet => 1,
        Dimension::Connection => 2,
        Dimension::Platform => 3,
        Dimension::ClientVersion => 4,
        Dimension::User => 5,
        Dimension::Device => 6,
    }
}

/// The column of `quality_streams` that holds a dimension's code.
fn dim_column(d: Dimension) -> &'static str {
    match d {
        Dimension::Subnet => "d_subnet",
        Dimension::Connection => "d_connection",
        Dimension::Platform => "d_platform",
        Dimension::ClientVersion => "d_client",
        Dimension::User => "d_user",
        Dimension::Device => "d_device",
    }
}

/// The hours a rollup bucket of this dimension spans.
fn bucket_hours(dim: i64) -> i64 {
    if dim == ALL { 1 } else { DAY_HOURS }
}

fn hour_of(t: i64) -> i64 {
    t.div_euclid(HOUR)
}

fn bucket_of(dim: i64, hour: i64) -> i64 {
    hour - hour.rem_euclid(bucket_hours(dim))
}

/// The column of `quality_records` that holds a record's verdict, or its verdict for one media type.
pub(super) fn verdict_column(media: Option<MediaType>) -> &'static str {
    match media {
        None => "verdict",
        Some(MediaType::Audio) => "audio",
        Some(MediaType::Video) => "video",
        Some(MediaType::VideoBasedScreenSharing) => "vbss",
        Some(MediaType::Other) => "other",
    }
}

/// One stream as stored.
#[derive(Debug, Clone)]
struct StreamRow {
    tenant: i64,
    start: i64,
    media: i64,
    direction: i64,
    verdict: i64,
    reason: i64,
    /// Codes of the dimensions, in the order of [`Dimension::ALL`]; 0 when the record does not say.
    dims: [i64; 6],
    /// Metric values in units of [`SCALE`].
    values: [Option<i64>; 8],
    maxima: [Option<i64>; 4],
}

const STREAM_COLUMNS: &str = "tenant, start, media, direction, verdict, reason, \
    d_subnet, d_connection, d_platform, d_client, d_user, d_device, \
    m0, m1, m2, m3, m4, m5, m6, m7, x0, x1, x2, x3";

/// What only the embedded store does with sums: keep them up to date stream by stream, and bind them.
trait SqliteAgg: Sized {
    fn add(&mut self, s: &StreamRow, sign: i64);
    fn read(row: &rusqlite::Row, at: usize) -> rusqlite::Result<Self>;
    fn values(&self) -> Vec<Value>;
}

impl SqliteAgg for Agg {
    fn add(&mut self, s: &StreamRow, sign: i64) {
        let slot = match Verdict::from_code(s.verdict) {
            Verdict::Good => 0,
            Verdict::Poor => 1,
            Verdict::Unclassified => 2,
        };
        self.verdicts[slot] += sign;
        if s.verdict == Verdict::Poor.code()
            && let Some(m) = Metric::from_code(s.reason)
        {
            self.reasons[m.index()] += sign;
        }
        for (i, v) in s.values.iter().enumerate() {
            if let Some(v) = v {
                self.sums[i] += sign * v;
                self.counts[i] += sign;
                if sign > 0 {
                    self.maxima[i] = max_of(self.maxima[i], Some(*v));
                }
            }
        }
        for (i, v) in s.maxima.iter().enumerate() {
            if let Some(v) = v {
                self.max_sums[i] += sign * v;
                self.max_counts[i] += sign;
            }
        }
    }

    /// Reads the 43 aggregate columns starting at `at`.
    fn read(row: &rusqlite::Row, at: usize) -> rusqlite::Result<Agg> {
        let int = |i: usize| -> rusqlite::Result<i64> {
            Ok(row.get::<_, Option<i64>>(at + i)?.unwrap_or(0))
        };
        let mut a = Agg::default();
        for i in 0..3 {
            a.verdicts[i] = int(i)?;
        }
        for i in 0..8 {
            a.reasons[i] = int(3 + i)?;
            a.sums[i] = int(11 + i)?;
            a.counts[i] = int(19 + i)?;
            a.maxima[i] = row.get(at + 27 + i)?;
        }
        for i in 0..4 {
            a.max_sums[i] = int(35 + i)?;
            a.max_counts[i] = int(39 + i)?;
        }
        Ok(a)
    }

    fn values(&self) -> Vec<Value> {
        let mut v: Vec<Value> = Vec::with_capacity(43);
        v.extend(self.verdicts.iter().map(|x| Value::Integer(*x)));
        v.extend(self.reasons.iter().map(|x| Value::Integer(*x)));
        v.extend(self.sums.iter().map(|x| Value::Integer(*x)));
        v.extend(self.counts.iter().map(|x| Value::Integer(*x)));
        v.extend(
            self.maxima
                .iter()
                .map(|x| x.map_or(Value::Null, Value::Integer)),
        );
        v.extend(self.max_sums.iter().map(|x| Value::Integer(*x)));
        v.extend(self.max_counts.iter().map(|x| Value::Integer(*x)));
        v
    }
}

const ROLLUP_AGG_COLUMNS: &str = "good, poor, unclassified, r0, r1, r2, r3, r4, r5, r6, r7, \
    s0, s1, s2, s3, s4, s5, s6, s7, c0, c1, c2, c3, c4, c5, c6, c7, \
    mx0, mx1, mx2, mx3, mx4, mx5, mx6, mx7, xs0, xs1, xs2, xs3, xc0, xc1, xc2, xc3";

/// The aggregate of rollup rows, in [`SqliteAgg::read`]'s order.
fn rollup_select() -> String {
    ROLLUP_AGG_COLUMNS
        .split(", ")
        .map(|c| {
            if c.starts_with("mx") {
                format!("MAX({c})")
            } else {
                format!("SUM({c})")
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The aggregate of stream rows, in [`SqliteAgg::read`]'s order.
fn stream_select() -> String {
    stream_aggregates().join(", ")
}

fn stream_aggregates() -> Vec<String> {
    let mut cols = vec![
        "SUM(verdict = 1)".to_owned(),
        "SUM(verdict = 2)".to_owned(),
        "SUM(verdict = 0)".to_owned(),
    ];
    cols.extend((0..8).map(|i| format!("SUM(verdict = 2 AND reason = {})", i + 1)));
    cols.extend((0..8).map(|i| format!("coalesce(SUM(m{i}), 0)")));
    cols.extend((0..8).map(|i| format!("COUNT(m{i})")));
    cols.extend((0..8).map(|i| format!("MAX(m{i})")));
    cols.extend((0..4).map(|i| format!("coalesce(SUM(x{i}), 0)")));
    cols.extend((0..4).map(|i| format!("COUNT(x{i})")));
    cols
}

/// `(tenant, dim, bucket, value, media)`.
type CellKey = (i64, i64, i64, i64, i64);

fn cells(rows: &[StreamRow]) -> HashMap<CellKey, Agg> {
    let mut out: HashMap<CellKey, Agg> = HashMap::new();
    for s in rows {
        let hour = hour_of(s.start);
        out.entry((s.tenant, ALL, hour, 0, s.media))
            .or_default()
            .add(s, 1);
        for (i, d) in Dimension::ALL.iter().enumerate() {
            let dim = dim_code(*d);
            out.entry((s.tenant, dim, bucket_of(dim, hour), s.dims[i], s.media))
                .or_default()
                .add(s, 1);
        }
    }
    out
}

/// Kinds of `quality_names`.
fn name_kind(d: Dimension) -> i64 {
    dim_code(d)
}

/// Codes names, once per record.
struct Namer<'c> {
    conn: &'c Connection,
    seen: HashMap<(i64, String), i64>,
    /// When the record's call ended: a label it gives is remembered as seen then (`label_seen`), so that
    /// [`forget_names`] knows which labels only scrubbed records carry.
    end: i64,
}

impl Namer<'_> {
    fn code(
        &mut self,
        d: Dimension,
        value: Option<&str>,
        label: Option<&str>,
    ) -> Result<i64, StoreError> {
        let Some(value) = value else { return Ok(0) };
        let kind = name_kind(d);
        if let Some(id) = self.seen.get(&(kind, value.to_owned())) {
            return Ok(*id);
        }
        let found: Option<(i64, Option<String>, Option<i64>)> = self
            .conn
            .prepare_cached(
                "SELECT id, label, label_seen FROM quality_names WHERE kind = ?1 AND value = ?2",
            )
            .and_then(|mut s| {
                s.query_row(params![kind, value], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()
            })
            .map_err(backend)?;
        let seen = label.map(|_| self.end);
        let id = match found {
            Some((id, stored, stored_seen)) => {
                // The newest call's label wins; an older one ingested later leaves it be.
                let newer = stored_seen.is_none_or(|t| self.end >= t);
                if label.is_some() && (stored.is_none() || (newer && stored.as_deref() != label)) {
                    self.conn
                        .prepare_cached(
                            "UPDATE quality_names SET label = ?2, label_seen = max(coalesce(label_seen, ?3), ?3) \
                             WHERE id = ?1",
                        )
                        .and_then(|mut s| s.execute(params![id, label, self.end]))
                        .map_err(backend)?;
                } else if label.is_some() && stored_seen.is_none_or(|t| self.end > t) {
                    self.conn
                        .prepare_cached("UPDATE quality_names SET label_seen = ?2 WHERE id = ?1")
                        .and_then(|mut s| s.execute(params![id, self.end]))
                        .map_err(backend)?;
                }
                id
            }
            None => {
                self.conn
                    .prepare_cached(
                        "INSERT INTO quality_names (kind, value, label, label_seen) VALUES (?1, ?2, ?3, ?4)",
                    )
                    .and_then(|mut s| s.execute(params![kind, value, label, seen]))
                    .map_err(backend)?;
                self.conn.last_insert_rowid()
            }
        };
        self.seen.insert((kind, value.to_owned()), id);
        Ok(id)
    }
}

fn encode_streams(
    conn: &Connection,
    tid: i64,
    q: &RecordQuality,
    end: i64,
) -> Result<Vec<StreamRow>, StoreError> {
    let mut namer = Namer {
        conn,
        seen: HashMap::new(),
        end,
    };
    q.streams
        .iter()
        .map(|s| {
            let e = &s.receiver;
            let dims = [
                namer.code(Dimension::Subnet, e.subnet.as_deref(), None)?,
                namer.code(Dimension::Connection, e.connection.as_deref(), None)?,
                namer.code(Dimension::Platform, e.platform.as_deref(), None)?,
                namer.code(Dimension::ClientVersion, e.client_version.as_deref(), None)?,
                namer.code(
                    Dimension::User,
                    e.user_id.as_deref(),
                    e.user_name.as_deref(),
                )?,
                namer.code(Dimension::Device, e.device.as_deref(), None)?,
            ];
            Ok(StreamRow {
                tenant: tid,
                start: s.start.0,
                media: s.media.code(),
                direction: s.direction.code(),
                verdict: s.verdict.verdict.code(),
                reason: s.verdict.reason.map_or(0, |r| r.metric.code()),
                dims,
                values: s.metrics.values().map(scaled),
                maxima: s.metrics.maxima().map(scaled),
            })
        })
        .collect()
}

/// Reads a [`STREAM_COLUMNS`] row.
fn stream_row(r: &rusqlite::Row) -> rusqlite::Result<StreamRow> {
    let mut dims = [0i64; 6];
    for (i, d) in dims.iter_mut().enumerate() {
        *d = r.get(6 + i)?;
    }
    let mut values = [None; 8];
    for (i, v) in values.iter_mut().enumerate() {
        *v = r.get(12 + i)?;
    }
    let mut maxima = [None; 4];
    for (i, v) in maxima.iter_mut().enumerate() {
        *v = r.get(20 + i)?;
    }
    Ok(StreamRow {
        tenant: r.get(0)?,
        start: r.get(1)?,
        media: r.get(2)?,
        direction: r.get(3)?,
        verdict: r.get(4)?,
        reason: r.get(5)?,
        dims,
        values,
        maxima,
    })
}

fn insert_streams(conn: &Connection, rid: i64, rows: &[StreamRow]) -> Result<(), StoreError> {
    let placeholders = vec!["?"; 26].join(", ");
    let mut stmt = conn
        .prepare_cached(&format!(
            "INSERT INTO quality_streams (rid, n, {STREAM_COLUMNS}) VALUES ({placeholders})"
        ))
        .map_err(backend)?;
    for (n, s) in rows.iter().enumerate() {
        let mut values: Vec<Value> = vec![
            Value::Integer(rid),
            Value::Integer(n as i64),
            Value::Integer(s.tenant),
            Value::Integer(s.start),
            Value::Integer(s.media),
            Value::Integer(s.direction),
            Value::Integer(s.verdict),
            Value::Integer(s.reason),
        ];
        values.extend(s.dims.iter().map(|d| Value::Integer(*d)));
        values.extend(
            s.values
                .iter()
                .map(|v| v.map_or(Value::Null, Value::Integer)),
        );
        values.extend(
            s.maxima
                .iter()
                .map(|v| v.map_or(Value::Null, Value::Integer)),
        );
        stmt.execute(params_from_iter(values)).map_err(backend)?;
    }
    Ok(())
}

fn day_of(start: i64) -> i64 {
    start.div_euclid(DAY_HOURS * HOUR)
}

/// Forgets the rollup of a day whose streams change; the next report that needs it rebuilds it.
fn invalidate_day(conn: &Connection, tenant: i64, day: i64) -> Result<(), StoreError> {
    let built = conn
        .prepare_cached("DELETE FROM quality_days WHERE tenant = ?1 AND day = ?2")
        .and_then(|mut s| s.execute(params![tenant, day]))
        .map_err(backend)?;
    if built == 0 {
        return Ok(());
    }
    let mut stmt = conn
        .prepare_cached(
            "DELETE FROM quality_rollup WHERE tenant = ?1 AND dim = ?2 AND bucket >= ?3 AND bucket < ?4",
        )
        .map_err(backend)?;
    for dim in std::iter::once(ALL).chain(Dimension::ALL.iter().map(|d| dim_code(*d))) {
        stmt.execute(params![tenant, dim, day * DAY_HOURS, (day + 1) * DAY_HOURS])
            .map_err(backend)?;
    }
    Ok(())
}

/// Replaces a record's streams by `new`, keeping the totals and the days' rollups true.
fn replace_streams(conn: &Connection, rid: i64, new: &[StreamRow]) -> Result<(), StoreError> {
    let old: Vec<(i64, i64, i64)> = conn
        .prepare_cached("SELECT tenant, start, verdict FROM quality_streams WHERE rid = ?1")
        .and_then(|mut s| {
            s.query_map([rid], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
                .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        })
        .map_err(backend)?;
    if !old.is_empty() {
        conn.prepare_cached("DELETE FROM quality_streams WHERE rid = ?1")
            .and_then(|mut s| s.execute([rid]))
            .map_err(backend)?;
    }
    insert_streams(conn, rid, new)?;
    let mut days: HashSet<(i64, i64)> = HashSet::new();
    let mut delta = [0i64; 3];
    for (tenant, start, verdict) in &old {
        days.insert((*tenant, day_of(*start)));
        delta[*verdict as usize % 3] -= 1;
    }
    for s in new {
        days.insert((s.tenant, day_of(s.start)));
        delta[s.verdict as usize % 3] += 1;
    }
    for (tenant, day) in days {
        invalidate_day(conn, tenant, day)?;
    }
    let mut stmt = conn
        .prepare_cached("UPDATE quality_totals SET streams = streams + ?2 WHERE verdict = ?1")
        .map_err(backend)?;
    for (verdict, d) in delta.iter().enumerate() {
        if *d != 0 {
            stmt.execute(params![verdict as i64, d]).map_err(backend)?;
        }
    }
    Ok(())
}

/// Stores what the quality reports need of a record just written (created or replaced), in the writer's
/// transaction.
pub(super) fn record_written(
    conn: &Connection,
    tenant: i64,
    rid: i64,
    record: &crate::encoded::EncodedRecord,
    _created: bool,
) -> Result<(), crate::StoreError> {
    let quality = &record.quality;
    let new = encode_streams(conn, tenant, quality, record.end)?;
    replace_streams(conn, rid, &new)?;
    let v = |m: MediaType| quality.verdict_of(m).code();
    conn.prepare_cached(
        "INSERT OR REPLACE INTO quality_records (rid, verdict, audio, video, vbss, other, setup_failed, device_problems) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )
    .and_then(|mut s| {
        s.execute(params![
            rid,
            quality.verdict().code(),
            v(MediaType::Audio),
            v(MediaType::Video),
            v(MediaType::VideoBasedScreenSharing),
            v(MediaType::Other),
            quality.setup_failed(),
            quality.sessions_with_device_problems() as i64,
        ])
    })
    .map_err(backend)?;
    Ok(())
}

/// Scrubbing, once every record that ended before `cutoff` is scrubbed: forgets the user names that only
/// such records gave. A label (a display name) seen last in a call that ended before the cutoff goes; a
/// name whose value itself is personal (a phone number, or a display name standing for a missing id, as
/// stores written before such values were left out of the user dimension hold) goes whole, since no
/// scrubbed record still refers to it.
pub(super) fn forget_names(conn: &Connection, cutoff: i64) -> Result<u64, StoreError> {
    let user = name_kind(Dimension::User);
    let deleted = conn
        .prepare_cached(
            "DELETE FROM quality_names WHERE kind = ?1 AND label_seen < ?2 \
             AND (value = label OR value GLOB '+[0-9]*' OR value GLOB 'tel:*')",
        )
        .and_then(|mut s| s.execute(params![user, cutoff]))
        .map_err(backend)?;
    let cleared = conn
        .prepare_cached(
            "UPDATE quality_names SET label = NULL WHERE kind = ?1 AND label IS NOT NULL AND label_seen < ?2",
        )
        .and_then(|mut s| s.execute(params![user, cutoff]))
        .map_err(backend)?;
    Ok((deleted + cleared) as u64)
}

/// Removes what [`record_written`] stored for a record being deleted.
pub(super) fn record_deleted(conn: &Connection, rid: i64) -> Result<(), crate::StoreError> {
    replace_streams(conn, rid, &[])?;
    conn.prepare_cached("DELETE FROM quality_records WHERE rid = ?1")
        .and_then(|mut s| s.execute([rid]))
        .map_err(backend)?;
    Ok(())
}

/// The days of `[from, to)` whose rollups are not built.
fn missing_days(conn: &Connection, tid: i64, from: i64, to: i64) -> Result<Vec<i64>, StoreError> {
    if from >= to {
        return Ok(Vec::new());
    }
    let (first, last) = (day_of(from), day_of(to - 1));
    let built: HashSet<i64> = conn
        .prepare_cached(
            "SELECT day FROM quality_days WHERE tenant = ?1 AND day >= ?2 AND day <= ?3",
        )
        .and_then(|mut s| {
            s.query_map(params![tid, first, last], |r| r.get(0))
                .and_then(|rows| rows.collect::<Result<HashSet<i64>, _>>())
        })
        .map_err(backend)?;
    Ok((first..=last).filter(|d| !built.contains(d)).collect())
}

/// Builds the rollup of one day from its streams, in one write transaction so that no record written
/// meanwhile can slip between the streams read and the rollup stored.
fn build_day(conn: &mut Connection, tid: i64, day: i64) -> Result<(), StoreError> {
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(backend)?;
    let built: Option<i64> = tx
        .query_row(
            "SELECT day FROM quality_days WHERE tenant = ?1 AND day = ?2",
            params![tid, day],
            |r| r.get(0),
        )
        .optional()
        .map_err(backend)?;
    if built.is_some() {
        return Ok(());
    }
    let rows: Vec<StreamRow> = tx
        .prepare(&format!(
            "SELECT {STREAM_COLUMNS} FROM quality_streams WHERE tenant = ?1 AND start >= ?2 AND start < ?3"
        ))
        .and_then(|mut s| {
            s.query_map(
                params![tid, day * DAY_HOURS * HOUR, (day + 1) * DAY_HOURS * HOUR],
                stream_row,
            )
            .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        })
        .map_err(backend)?;
    {
        let sql = format!(
            "INSERT OR REPLACE INTO quality_rollup (tenant, dim, bucket, value, media, {ROLLUP_AGG_COLUMNS}) \
             VALUES ({})",
            vec!["?"; 48].join(", ")
        );
        let mut stmt = tx.prepare(&sql).map_err(backend)?;
        for ((tenant, dim, bucket, value, media), agg) in cells(&rows) {
            let mut values = vec![
                Value::Integer(tenant),
                Value::Integer(dim),
                Value::Integer(bucket),
                Value::Integer(value),
                Value::Integer(media),
            ];
            values.extend(agg.values());
            stmt.execute(params_from_iter(values)).map_err(backend)?;
        }
    }
    tx.execute(
        "INSERT INTO quality_days (tenant, day) VALUES (?1, ?2)",
        params![tid, day],
    )
    .map_err(backend)?;
    tx.commit().map_err(backend)
}

/// What the rows of a query are keyed by, as SQL over rollups and over streams.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Key {
    Hour,
    Day,
    Media,
    Value(Dimension),
}

impl Key {
    fn rollup_expr(self) -> &'static str {
        match self {
            Key::Hour => "bucket",
            Key::Day => "(bucket - ((bucket % 24) + 24) % 24)",
            Key::Media => "media",
            Key::Value(_) => "value",
        }
    }

    fn stream_expr(self) -> &'static str {
        match self {
            Key::Hour => HOUR_OF_START,
            Key::Day => DAY_OF_START,
            Key::Media => "media",
            Key::Value(d) => dim_column(d),
        }
    }
}

fn tenant_id(conn: &Connection, tenant: &str) -> Result<Option<i64>, StoreError> {
    conn.prepare_cached("SELECT tid FROM tenants WHERE name = ?1")
        .and_then(|mut s| s.query_row([tenant], |r| r.get(0)).optional())
        .map_err(backend)
}

fn name_code(conn: &Connection, d: Dimension, value: &str) -> Result<Option<i64>, StoreError> {
    conn.prepare_cached("SELECT id FROM quality_names WHERE kind = ?1 AND value = ?2")
        .and_then(|mut s| {
            s.query_row(params![name_kind(d), value], |r| r.get(0))
                .optional()
        })
        .map_err(backend)
}

/// The value and label of coded names.
fn names(
    conn: &Connection,
    codes: impl Iterator<Item = i64>,
) -> Result<HashMap<i64, (String, Option<String>)>, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT value, label FROM quality_names WHERE id = ?1")
        .map_err(backend)?;
    let mut out = HashMap::new();
    for code in codes.filter(|c| *c != 0) {
        if let Some(found) = stmt
            .query_row([code], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
            })
            .optional()
            .map_err(backend)?
        {
            out.insert(code, found);
        }
    }
    Ok(out)
}

/// Every coded subnet and the building it lies in.
fn subnet_buildings(
    conn: &Connection,
    map: &BuildingMap,
) -> Result<HashMap<i64, String>, StoreError> {
    let mut stmt = conn
        .prepare_cached("SELECT id, value FROM quality_names WHERE kind = ?1")
        .map_err(backend)?;
    let rows = stmt
        .query_map([name_kind(Dimension::Subnet)], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })
        .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        .map_err(backend)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, subnet)| map.lookup(&subnet).map(|b| (id, b.building_name.clone())))
        .collect())
}

/// Adds the aggregate of `source` rows matching the conditions, by key, to `out`.
#[allow(clippy::too_many_arguments)]
fn aggregate(
    conn: &Connection,
    out: &mut HashMap<i64, Agg>,
    from_rollup: bool,
    tid: i64,
    dim: i64,
    key: Key,
    range: (i64, i64),
    media: Option<MediaType>,
    only: Option<(Dimension, &[i64])>,
) -> Result<(), StoreError> {
    if range.0 >= range.1 {
        return Ok(());
    }
    let (select, expr, table, time) = if from_rollup {
        (
            rollup_select(),
            key.rollup_expr(),
            "quality_rollup",
            "bucket",
        )
    } else {
        (
            stream_select(),
            key.stream_expr(),
            "quality_streams",
            "start",
        )
    };
    let mut sql = format!(
        "SELECT {expr}, {select} FROM {table} WHERE tenant = ? AND {time} >= ? AND {time} < ?"
    );
    let mut params = vec![
        Value::Integer(tid),
        Value::Integer(range.0),
        Value::Integer(range.1),
    ];
    if from_rollup {
        sql.push_str(" AND dim = ?");
        params.push(Value::Integer(dim));
    }
    if let Some(m) = media {
        sql.push_str(" AND media = ?");
        params.push(Value::Integer(m.code()));
    }
    if let Some((d, codes)) = only {
        let column = if from_rollup { "value" } else { dim_column(d) };
        if codes.is_empty() {
            return Ok(());
        }
        sql.push_str(&format!(
            " AND {column} IN ({})",
            vec!["?"; codes.len()].join(", ")
        ));
        params.extend(codes.iter().map(|c| Value::Integer(*c)));
    }
    sql.push_str(&format!(" GROUP BY {expr}"));
    let mut stmt = conn.prepare_cached(&sql).map_err(backend)?;
    let mut rows = stmt.query(params_from_iter(params)).map_err(backend)?;
    while let Some(row) = rows.next().map_err(backend)? {
        let k: i64 = row.get(0).map_err(backend)?;
        let agg = Agg::read(row, 1).map_err(backend)?;
        out.entry(k).or_default().merge(&agg);
    }
    Ok(())
}

pub(super) fn report(
    conn: &Connection,
    tenant: &str,
    q: &ReportQuery,
) -> Result<Vec<ReportRow>, StoreError> {
    let tx = conn.unchecked_transaction().map_err(backend)?;
    let Some(tid) = tenant_id(&tx, tenant)? else {
        return Ok(Vec::new());
    };
    let building_map = match (&q.by, &q.only) {
        (Grouping::Building, _) | (_, Some(Only::Building(_))) => {
            Some(BuildingMap::new(read_buildings(&tx, tid)?))
        }
        _ => None,
    };
    let subnet_building = match &building_map {
        Some(map) => subnet_buildings(&tx, map)?,
        None => HashMap::new(),
    };
    // Which streams: the codes of the one dimension value asked for.
    let only: Option<(Dimension, Vec<i64>)> = match &q.only {
        None => None,
        Some(Only::Dimension(d, None)) => Some((*d, vec![0])),
        Some(Only::Dimension(d, Some(v))) => {
            Some((*d, name_code(&tx, *d, v)?.into_iter().collect()))
        }
        Some(Only::Building(b)) => Some((
            Dimension::Subnet,
            subnet_building
                .iter()
                .filter(|(_, name)| *name == b)
                .map(|(code, _)| *code)
                .collect(),
        )),
    };
    let key = match q.by {
        Grouping::Hour => Key::Hour,
        Grouping::Day => Key::Day,
        Grouping::MediaType => Key::Media,
        Grouping::Dimension(d) => Key::Value(d),
        Grouping::Building => Key::Value(Dimension::Subnet),
    };
    // The rollup answering this query, if one does: its dimension.
    let rollup_dim = match (key, &only) {
        (Key::Hour | Key::Day | Key::Media, None) => Some(ALL),
        (Key::Day | Key::Media, Some((d, _))) => Some(dim_code(*d)),
        (Key::Value(d), None) => Some(dim_code(d)),
        (Key::Value(d), Some((d2, _))) if d == *d2 => Some(dim_code(d)),
        _ => None,
    };
    let only_ref = only.as_ref().map(|(d, codes)| (*d, codes.as_slice()));
    let mut groups: HashMap<i64, Agg> = HashMap::new();
    let (from, to) = (q.from.0, q.to.0);
    // Rollups serve only when every day the range touches is built (a write may have invalidated one since
    // the caller built them); otherwise the streams answer alone, slower but as exact.
    let built = missing_days(&tx, tid, from, to)?.is_empty();
    match rollup_dim.filter(|_| built) {
        Some(dim) => {
            // Whole buckets from the rollup, the partial ones at the edges from the streams.
            let span = bucket_hours(dim) * HOUR;
            let first = from.div_euclid(span) + i64::from(from.rem_euclid(span) != 0);
            let last = to.div_euclid(span);
            if first < last {
                let hours = bucket_hours(dim);
                aggregate(
                    &tx,
                    &mut groups,
                    true,
                    tid,
                    dim,
                    key,
                    (first * hours, last * hours),
                    q.media,
                    only_ref,
                )?;
                aggregate(
                    &tx,
                    &mut groups,
                    false,
                    tid,
                    dim,
                    key,
                    (from, first * span),
                    q.media,
                    only_ref,
                )?;
                aggregate(
                    &tx,
                    &mut groups,
                    false,
                    tid,
                    dim,
                    key,
                    (last * span, to),
                    q.media,
                    only_ref,
                )?;
            } else {
                aggregate(
                    &tx,
                    &mut groups,
                    false,
                    tid,
                    dim,
                    key,
                    (from, to),
                    q.media,
                    only_ref,
                )?;
            }
        }
        None => aggregate(
            &tx,
            &mut groups,
            false,
            tid,
            ALL,
            key,
            (from, to),
            q.media,
            only_ref,
        )?,
    }
    groups.retain(|_, agg| agg.total() > 0);
    let mut rows: Vec<(Option<String>, i64, ReportRow)> = Vec::with_capacity(groups.len());
    match q.by {
        Grouping::Hour | Grouping::Day => {
            let hours = if q.by == Grouping::Hour { 1 } else { DAY_HOURS };
            for (k, agg) in groups {
                let start = Ticks(k * HOUR);
                let mut row = agg.row();
                row.key = Some(start.to_string());
                row.start = Some(start);
                row.end = Some(Ticks((k + hours) * HOUR));
                rows.push((None, k, row));
            }
        }
        Grouping::MediaType => {
            for (k, agg) in groups {
                let mut row = agg.row();
                row.key = MediaType::from_code(k).map(|m| m.as_str().to_owned());
                rows.push((row.key.clone(), k, row));
            }
        }
        Grouping::Dimension(_) => {
            let named = names(&tx, groups.keys().copied())?;
            for (k, agg) in groups {
                let mut row = agg.row();
                if let Some((value, label)) = named.get(&k) {
                    row.key = Some(value.clone());
                    row.label = label.clone();
                }
                rows.push((row.key.clone(), k, row));
            }
        }
        Grouping::Building => {
            let mut by_building: BTreeMap<Option<String>, Agg> = BTreeMap::new();
            for (k, agg) in groups {
                by_building
                    .entry(subnet_building.get(&k).cloned())
                    .or_default()
                    .merge(&agg);
            }
            for (name, agg) in by_building {
                let mut row = agg.row();
                row.key = name.clone();
                rows.push((name, 0, row));
            }
        }
    }
    // Time rows by time; the others by key, the rows without a key last.
    rows.sort_by(|a, b| match (&a.0, &b.0) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.1.cmp(&b.1),
    });
    Ok(rows.into_iter().map(|(_, _, row)| row).collect())
}

fn read_buildings(conn: &Connection, tid: i64) -> Result<Vec<Building>, StoreError> {
    let mut stmt = conn
        .prepare_cached(
            "SELECT network_ip, network_range, building_name, attributes FROM quality_buildings \
             WHERE tenant = ?1 ORDER BY position",
        )
        .map_err(backend)?;
    let rows = stmt
        .query_map([tid], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })
        .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
        .map_err(backend)?;
    rows.into_iter()
        .map(|(network_ip, range, building_name, attributes)| {
            Ok(Building {
                network_ip,
                network_range: u8::try_from(range).unwrap_or(0),
                building_name,
                attributes: serde_json::from_str(&attributes)
                    .map_err(|e| StoreError::Backend(format!("stored building attributes: {e}")))?,
            })
        })
        .collect()
}

fn write_buildings(
    conn: &mut Connection,
    tenant: &str,
    buildings: &[Building],
) -> Result<(), StoreError> {
    let tx = conn
        .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
        .map_err(backend)?;
    let tid = match tenant_id(&tx, tenant)? {
        Some(tid) => tid,
        None => {
            tx.execute("INSERT INTO tenants (name) VALUES (?1)", [tenant])
                .map_err(backend)?;
            tx.last_insert_rowid()
        }
    };
    tx.execute("DELETE FROM quality_buildings WHERE tenant = ?1", [tid])
        .map_err(backend)?;
    {
        let mut stmt = tx
            .prepare(
                "INSERT INTO quality_buildings (tenant, position, network_ip, network_range, building_name, attributes) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .map_err(backend)?;
        for (i, b) in buildings.iter().enumerate() {
            let attributes =
                serde_json::to_string(&b.attributes).expect("strings always serialize");
            stmt.execute(params![
                tid,
                i as i64,
                b.network_ip,
                b.network_range,
                b.building_name,
                attributes
            ])
            .map_err(backend)?;
        }
    }
    tx.commit().map_err(backend)
}

impl SqliteStore {
    /// Opens a short-lived write connection beside the writer thread's, for the rare writes of reports
    /// and building uploads; it waits for the writer's lock like another process would.
    async fn quality_write<T, F>(&self, write: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let (path, timeout) = (self.shared.path.clone(), self.shared.options.busy_timeout);
        tokio::task::spawn_blocking(move || {
            let mut conn = Connection::open(&path).map_err(backend)?;
            conn.busy_timeout(timeout).map_err(backend)?;
            write(&mut conn)
        })
        .await
        .map_err(|e| StoreError::Backend(format!("quality write task failed: {e}")))?
    }

    /// Builds the rollups of these days, one transaction per day so the writer is never held for long.
    async fn build_days(&self, days: Vec<(i64, i64)>) -> Result<(), StoreError> {
        self.quality_write(move |conn| {
            for (tid, day) in days {
                build_day(conn, tid, day)?;
            }
            Ok(())
        })
        .await
    }
}

/// The days with streams and without a built rollup, over every tenant: the days of each tenant's
/// streams, at most [`PREPARED_DAYS`] back from its latest.
fn unbuilt_days(conn: &Connection) -> Result<Vec<(i64, i64)>, StoreError> {
    let tenants: Vec<i64> = conn
        .prepare_cached("SELECT tid FROM tenants")
        .and_then(|mut s| {
            s.query_map([], |r| r.get(0))
                .and_then(|rows| rows.collect::<Result<Vec<i64>, _>>())
        })
        .map_err(backend)?;
    let mut out = Vec::new();
    for tid in tenants {
        let (first, last): (Option<i64>, Option<i64>) = conn
            .prepare_cached(
                "SELECT (SELECT MIN(start) FROM quality_streams WHERE tenant = ?1), \
                 (SELECT MAX(start) FROM quality_streams WHERE tenant = ?1)",
            )
            .and_then(|mut s| s.query_row([tid], |r| Ok((r.get(0)?, r.get(1)?))))
            .map_err(backend)?;
        let (Some(first), Some(last)) = (first, last) else {
            continue;
        };
        let from = day_of(first).max(day_of(last) - PREPARED_DAYS);
        let to = (day_of(last) + 1) * DAY_HOURS * HOUR;
        let mut has_streams = conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM quality_streams WHERE tenant = ?1 AND start >= ?2 AND start < ?3)",
            )
            .map_err(backend)?;
        for day in missing_days(conn, tid, from * DAY_HOURS * HOUR, to)? {
            let any: bool = has_streams
                .query_row(
                    params![tid, day * DAY_HOURS * HOUR, (day + 1) * DAY_HOURS * HOUR],
                    |r| r.get(0),
                )
                .map_err(backend)?;
            if any {
                out.push((tid, day));
            }
        }
    }
    Ok(out)
}

/// How far back from a tenant's latest stream [`QualityStore::prepare_reports`] builds rollups.
const PREPARED_DAYS: i64 = 400;

#[async_trait]
impl QualityStore for SqliteStore {
    async fn forget_names_before(&self, cutoff: Ticks) -> Result<u64, StoreError> {
        self.log_write(1, move |conn| forget_names(conn, cutoff.0))
            .await
    }

    async fn prepare_reports(&self) -> Result<u64, StoreError> {
        let days = self.read(|conn, _| unbuilt_days(conn)).await?;
        let built = days.len() as u64;
        if !days.is_empty() {
            self.build_days(days).await?;
        }
        Ok(built)
    }

    async fn quality_report(
        &self,
        tenant: &TenantId,
        query: &ReportQuery,
    ) -> Result<Vec<ReportRow>, StoreError> {
        let (name, from, to) = (tenant.to_owned(), query.from.0, query.to.0);
        let missing = self
            .read(move |conn, _| match tenant_id(conn, &name)? {
                Some(tid) => Ok(missing_days(conn, tid, from, to)?
                    .into_iter()
                    .map(|d| (tid, d))
                    .collect()),
                None => Ok(Vec::new()),
            })
            .await?;
        if !missing.is_empty() {
            self.build_days(missing).await?;
        }
        let (tenant, query) = (tenant.to_owned(), query.clone());
        self.read(move |conn, _| report(conn, &tenant, &query))
            .await
    }

    async fn put_buildings(
        &self,
        tenant: &TenantId,
        buildings: Vec<Building>,
    ) -> Result<(), StoreError> {
        let tenant = tenant.to_owned();
        self.quality_write(move |conn| write_buildings(conn, &tenant, &buildings))
            .await
    }

    async fn buildings(&self, tenant: &TenantId) -> Result<Vec<Building>, StoreError> {
        let tenant = tenant.to_owned();
        self.read(move |conn, _| match tenant_id(conn, &tenant)? {
            Some(tid) => read_buildings(conn, tid),
            None => Ok(Vec::new()),
        })
        .await
    }

    async fn quality_totals(&self) -> Result<QualityTotals, StoreError> {
        self.read(|conn, _| {
            let mut totals = QualityTotals::default();
            let mut stmt = conn
                .prepare_cached("SELECT verdict, streams FROM quality_totals")
                .map_err(backend)?;
            let rows = stmt
                .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))
                .and_then(|rows| rows.collect::<Result<Vec<_>, _>>())
                .map_err(backend)?;
            for (verdict, n) in rows {
                let n = n.max(0) as u64;
                match Verdict::from_code(verdict) {
                    Verdict::Good => totals.good = n,
                    Verdict::Poor => totals.poor = n,
                    Verdict::Unclassified => totals.unclassified = n,
                }
            }
            Ok(totals)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_whole_hours_and_days_also_before_1970() {
        assert_eq!(hour_of(HOUR - 1), 0);
        assert_eq!(hour_of(-1), -1);
        assert_eq!(bucket_of(ALL, 49), 49);
        assert_eq!(bucket_of(1, 49), 48);
        assert_eq!(bucket_of(1, -1), -24);
    }

    #[test]
    fn aggregates_read_back_in_the_order_they_are_written() {
        assert_eq!(rollup_select().split(", ").count(), 43);
        assert_eq!(stream_aggregates().len(), 43);
        assert_eq!(Agg::default().values().len(), 43);
    }
}
