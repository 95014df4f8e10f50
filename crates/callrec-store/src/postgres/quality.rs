//! Call quality on PostgreSQL: the stream classifications written in each record's transaction, the
//! per-record verdicts that `$filter` tests, and the reports over them.
//!
//! Tables (migration 4 in [`super::schema`]):
//!
//! - `quality_streams`: one row per stream, keyed by `(tenant, record_id, n)` so a record's streams are
//!   one range of the primary key, indexed by `(tenant, start)` for reports over any time range. The
//!   dimensions are kept as their text (no name table to share between nodes), the metrics as integers of
//!   1/10000 of their unit, exactly as the embedded store keeps them, so averages come out the same.
//! - `quality_records`: the record's verdicts, for the `quality` `$filter`.
//! - `quality_buildings`: the uploaded subnet-to-building map, applied when a report asks for it.
//! - `quality_totals`: stream counts by verdict in a few slots per tenant, for metrics.
//!
//! A report is one aggregate query over the streams of its range (PostgreSQL aggregates an index range
//! scan well); there are no rollup tables to keep right under concurrent writers on several nodes.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};

use async_trait::async_trait;
use callrec_model::edm::Ticks;
use callrec_model::quality::{Building, BuildingMap, MediaType, Verdict};
use deadpool_postgres::Transaction;
use tokio_postgres::types::ToSql;

use super::filter::Param;
use super::records::TxError;
use super::{PostgresStore, backend};
use crate::aggregate::{Agg, DAY_HOURS, DAY_OF_START, HOUR, HOUR_OF_START, scaled};
use crate::encoded::EncodedRecord;
use crate::quality::{Dimension, Grouping, Only, QualityTotals, ReportQuery, ReportRow};
use crate::{QualityStore, StoreError, TenantId};

const TOTAL_SLOTS: usize = 8;

/// The column of `quality_records` that holds the verdict for a media type (`None`: the whole record).
pub(super) fn verdict_column(media: Option<MediaType>) -> &'static str {
    match media {
        None => "verdict",
        Some(MediaType::Audio) => "audio",
        Some(MediaType::Video) => "video",
        Some(MediaType::VideoBasedScreenSharing) => "vbss",
        Some(MediaType::Other) => "other",
    }
}

/// The column of `quality_streams` that holds a dimension's value.
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

/// The streams of these records as arrays, in the order of the `unnest` in [`record_written`].
#[derive(Default)]
struct StreamArrays<'a> {
    record_id: Vec<&'a str>,
    n: Vec<i32>,
    start: Vec<i64>,
    media: Vec<i16>,
    direction: Vec<i16>,
    verdict: Vec<i16>,
    reason: Vec<i16>,
    dims: [Vec<Option<&'a str>>; 6],
    user_label: Vec<Option<&'a str>>,
    values: [Vec<Option<i64>>; 8],
    maxima: [Vec<Option<i64>>; 4],
}

impl<'a> StreamArrays<'a> {
    fn push(&mut self, record: &'a EncodedRecord) {
        for (n, s) in record.quality.streams.iter().enumerate() {
            let e = &s.receiver;
            self.record_id.push(record.id.as_str());
            self.n.push(n as i32);
            self.start.push(s.start.0);
            self.media.push(s.media.code() as i16);
            self.direction.push(s.direction.code() as i16);
            self.verdict.push(s.verdict.verdict.code() as i16);
            self.reason
                .push(s.verdict.reason.map_or(0, |r| r.metric.code()) as i16);
            let dims = [
                e.subnet.as_deref(),
                e.connection.as_deref(),
                e.platform.as_deref(),
                e.client_version.as_deref(),
                e.user_id.as_deref(),
                e.device.as_deref(),
            ];
            for (column, value) in self.dims.iter_mut().zip(dims) {
                column.push(value);
            }
            // A name labels a user id; without one it is no dimension value (see `Endpoint::user_name`).
            self.user_label
                .push(e.user_id.as_ref().and(e.user_name.as_deref()));
            for (column, value) in self.values.iter_mut().zip(s.metrics.values()) {
                column.push(scaled(value));
            }
            for (column, value) in self.maxima.iter_mut().zip(s.metrics.maxima()) {
                column.push(scaled(value));
            }
        }
    }
}

/// Adds to the tenant's stream counters, by verdict, in one of a few slots.
async fn add_totals(tx: &Transaction<'_>, tenant: &str, delta: [i64; 3]) -> Result<(), TxError> {
    if delta == [0; 3] {
        return Ok(());
    }
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let slot = (NEXT.fetch_add(1, Ordering::Relaxed) % TOTAL_SLOTS) as i16;
    let stmt = tx
        .prepare_cached(
            "INSERT INTO quality_totals (tenant, slot, good, poor, unclassified) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (tenant, slot) DO UPDATE SET good = quality_totals.good + EXCLUDED.good, \
             poor = quality_totals.poor + EXCLUDED.poor, \
             unclassified = quality_totals.unclassified + EXCLUDED.unclassified",
        )
        .await?;
    tx.execute(&stmt, &[&tenant, &slot, &delta[0], &delta[1], &delta[2]])
        .await?;
    Ok(())
}

/// Slot of a verdict code in the totals: good, poor, unclassified.
fn verdict_slot(code: i16) -> usize {
    match Verdict::from_code(i64::from(code)) {
        Verdict::Good => 0,
        Verdict::Poor => 1,
        Verdict::Unclassified => 2,
    }
}

/// Removes the streams of these records, returning the change to the totals.
async fn delete_streams(
    tx: &Transaction<'_>,
    tenant: &str,
    ids: &[&str],
) -> Result<[i64; 3], TxError> {
    let mut delta = [0i64; 3];
    if ids.is_empty() {
        return Ok(delta);
    }
    let stmt = tx
        .prepare_cached(
            "WITH gone AS (DELETE FROM quality_streams WHERE tenant = $1 AND record_id = ANY($2) \
             RETURNING verdict) SELECT verdict, count(*) FROM gone GROUP BY verdict",
        )
        .await?;
    for row in tx.query(&stmt, &[&tenant, &ids]).await? {
        delta[verdict_slot(row.get(0))] -= row.get::<_, i64>(1);
    }
    Ok(delta)
}

/// Stores what the quality reports and filters need of the records just written (created or replaced),
/// in the writing transaction. `records` holds each written id once, with what it holds now.
pub(super) async fn record_written(
    tx: &Transaction<'_>,
    tenant: &str,
    records: &[(&EncodedRecord, bool)],
) -> Result<(), TxError> {
    if records.is_empty() {
        return Ok(());
    }
    let replaced: Vec<&str> = records
        .iter()
        .filter(|(_, created)| !created)
        .map(|(r, _)| r.id.as_str())
        .collect();
    let mut delta = delete_streams(tx, tenant, &replaced).await?;
    let mut streams = StreamArrays::default();
    for (record, _) in records {
        streams.push(record);
    }
    for v in &streams.verdict {
        delta[verdict_slot(*v)] += 1;
    }
    if !streams.record_id.is_empty() {
        let stmt = tx
            .prepare_cached(
                "INSERT INTO quality_streams (tenant, record_id, n, start, media, direction, verdict, reason, \
                 d_subnet, d_connection, d_platform, d_client, d_user, d_device, user_label, \
                 m0, m1, m2, m3, m4, m5, m6, m7, x0, x1, x2, x3) \
                 SELECT $1, * FROM unnest($2::text[], $3::int4[], $4::int8[], $5::int2[], $6::int2[], \
                 $7::int2[], $8::int2[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[], \
                 $14::text[], $15::text[], $16::int8[], $17::int8[], $18::int8[], $19::int8[], $20::int8[], \
                 $21::int8[], $22::int8[], $23::int8[], $24::int8[], $25::int8[], $26::int8[], $27::int8[])",
            )
            .await?;
        let s = &streams;
        let mut params: Vec<&(dyn ToSql + Sync)> = vec![
            &tenant,
            &s.record_id,
            &s.n,
            &s.start,
            &s.media,
            &s.direction,
            &s.verdict,
            &s.reason,
        ];
        params.extend(s.dims.iter().map(|d| d as &(dyn ToSql + Sync)));
        params.push(&s.user_label);
        params.extend(s.values.iter().map(|v| v as &(dyn ToSql + Sync)));
        params.extend(s.maxima.iter().map(|v| v as &(dyn ToSql + Sync)));
        tx.execute(&stmt, &params).await?;
    }
    add_totals(tx, tenant, delta).await?;

    let ids: Vec<&str> = records.iter().map(|(r, _)| r.id.as_str()).collect();
    let code = |f: &dyn Fn(&EncodedRecord) -> Verdict| -> Vec<i16> {
        records.iter().map(|(r, _)| f(r).code() as i16).collect()
    };
    let verdict = code(&|r| r.quality.verdict());
    let audio = code(&|r| r.quality.verdict_of(MediaType::Audio));
    let video = code(&|r| r.quality.verdict_of(MediaType::Video));
    let vbss = code(&|r| r.quality.verdict_of(MediaType::VideoBasedScreenSharing));
    let other = code(&|r| r.quality.verdict_of(MediaType::Other));
    let setup_failed: Vec<bool> = records
        .iter()
        .map(|(r, _)| r.quality.setup_failed())
        .collect();
    let device_problems: Vec<i32> = records
        .iter()
        .map(|(r, _)| r.quality.sessions_with_device_problems() as i32)
        .collect();
    let stmt = tx
        .prepare_cached(
            "INSERT INTO quality_records (tenant, record_id, verdict, audio, video, vbss, other, setup_failed, \
             device_problems) \
             SELECT $1, * FROM unnest($2::text[], $3::int2[], $4::int2[], $5::int2[], $6::int2[], $7::int2[], \
             $8::bool[], $9::int4[]) \
             ON CONFLICT (tenant, record_id) DO UPDATE SET verdict = EXCLUDED.verdict, audio = EXCLUDED.audio, \
             video = EXCLUDED.video, vbss = EXCLUDED.vbss, other = EXCLUDED.other, \
             setup_failed = EXCLUDED.setup_failed, device_problems = EXCLUDED.device_problems",
        )
        .await?;
    tx.execute(
        &stmt,
        &[
            &tenant,
            &ids,
            &verdict,
            &audio,
            &video,
            &vbss,
            &other,
            &setup_failed,
            &device_problems,
        ],
    )
    .await?;
    Ok(())
}

/// Removes what [`record_written`] stored for a record being deleted.
pub(super) async fn record_deleted(
    tx: &Transaction<'_>,
    tenant: &str,
    id: &str,
) -> Result<(), TxError> {
    let delta = delete_streams(tx, tenant, &[id]).await?;
    add_totals(tx, tenant, delta).await?;
    let stmt = tx
        .prepare_cached("DELETE FROM quality_records WHERE tenant = $1 AND record_id = $2")
        .await?;
    tx.execute(&stmt, &[&tenant, &id]).await?;
    Ok(())
}

/// The aggregate columns of a report row, read by [`read_agg`] from column 2 on.
fn aggregate_columns() -> Vec<String> {
    let mut cols = vec![
        "count(*) FILTER (WHERE verdict = 1)".to_owned(),
        "count(*) FILTER (WHERE verdict = 2)".to_owned(),
        "count(*) FILTER (WHERE verdict = 0)".to_owned(),
    ];
    cols.extend(
        (0..8).map(|i| format!("count(*) FILTER (WHERE verdict = 2 AND reason = {})", i + 1)),
    );
    cols.extend((0..8).map(|i| format!("coalesce(sum(m{i}), 0)::int8")));
    cols.extend((0..8).map(|i| format!("count(m{i})")));
    cols.extend((0..8).map(|i| format!("max(m{i})")));
    cols.extend((0..4).map(|i| format!("coalesce(sum(x{i}), 0)::int8")));
    cols.extend((0..4).map(|i| format!("count(x{i})")));
    cols
}

/// Sums read from a PostgreSQL row.
fn read_agg(row: &tokio_postgres::Row, at: usize) -> Agg {
    let mut a = Agg::default();
    for i in 0..3 {
        a.verdicts[i] = row.get(at + i);
    }
    for i in 0..8 {
        a.reasons[i] = row.get(at + 3 + i);
        a.sums[i] = row.get(at + 11 + i);
        a.counts[i] = row.get(at + 19 + i);
        a.maxima[i] = row.get(at + 27 + i);
    }
    for i in 0..4 {
        a.max_sums[i] = row.get(at + 35 + i);
        a.max_counts[i] = row.get(at + 39 + i);
    }
    a
}

fn placeholder(params: &mut Vec<Param>, value: Param) -> String {
    params.push(value);
    format!("${}", params.len())
}

fn refs(params: &[Param]) -> Vec<&(dyn ToSql + Sync)> {
    params
        .iter()
        .map(|p| p.as_ref() as &(dyn ToSql + Sync))
        .collect()
}

async fn read_buildings(
    client: &tokio_postgres::Client,
    tenant: &str,
) -> Result<Vec<Building>, StoreError> {
    let rows = client
        .query(
            "SELECT network_ip, network_range, building_name, attributes FROM quality_buildings \
             WHERE tenant = $1 ORDER BY position",
            &[&tenant],
        )
        .await
        .map_err(backend)?;
    rows.iter()
        .map(|r| {
            let attributes: String = r.get(3);
            Ok(Building {
                network_ip: r.get(0),
                network_range: u8::try_from(r.get::<_, i16>(1)).unwrap_or(0),
                building_name: r.get(2),
                attributes: serde_json::from_str(&attributes)
                    .map_err(|e| StoreError::Backend(format!("stored building attributes: {e}")))?,
            })
        })
        .collect()
}

/// The tenant's subnets seen in `[from, to)` and the building each lies in.
async fn subnet_buildings(
    client: &tokio_postgres::Client,
    tenant: &str,
    from: i64,
    to: i64,
    map: &BuildingMap,
) -> Result<HashMap<String, String>, StoreError> {
    let rows = client
        .query(
            "SELECT DISTINCT d_subnet FROM quality_streams \
             WHERE tenant = $1 AND start >= $2 AND start < $3 AND d_subnet IS NOT NULL",
            &[&tenant, &from, &to],
        )
        .await
        .map_err(backend)?;
    Ok(rows
        .iter()
        .filter_map(|r| {
            let subnet: String = r.get(0);
            map.lookup(&subnet)
                .map(|b| (subnet.clone(), b.building_name.clone()))
        })
        .collect())
}

async fn report(
    client: &tokio_postgres::Client,
    tenant: &str,
    q: &ReportQuery,
) -> Result<Vec<ReportRow>, StoreError> {
    let (from, to) = (q.from.0, q.to.0);
    if from >= to {
        return Ok(Vec::new());
    }
    let subnet_building = match (&q.by, &q.only) {
        (Grouping::Building, _) | (_, Some(Only::Building(_))) => {
            let map = BuildingMap::new(read_buildings(client, tenant).await?);
            subnet_buildings(client, tenant, from, to, &map).await?
        }
        _ => HashMap::new(),
    };
    let key = match q.by {
        Grouping::Hour => HOUR_OF_START,
        Grouping::Day => DAY_OF_START,
        Grouping::MediaType => "media",
        Grouping::Dimension(d) => dim_column(d),
        Grouping::Building => "d_subnet",
    };
    let mut params: Vec<Param> = vec![Box::new(tenant.to_owned()), Box::new(from), Box::new(to)];
    let mut sql = format!(
        "SELECT ({key})::text, max(user_label), {} FROM quality_streams \
         WHERE tenant = $1 AND start >= $2 AND start < $3",
        aggregate_columns().join(", ")
    );
    if let Some(m) = q.media {
        let p = placeholder(&mut params, Box::new(m.code() as i16));
        sql.push_str(&format!(" AND media = {p}"));
    }
    match &q.only {
        None => {}
        Some(Only::Dimension(d, None)) => {
            sql.push_str(&format!(" AND {} IS NULL", dim_column(*d)));
        }
        Some(Only::Dimension(d, Some(v))) => {
            let p = placeholder(&mut params, Box::new(v.clone()));
            sql.push_str(&format!(" AND {} = {p}", dim_column(*d)));
        }
        Some(Only::Building(b)) => {
            let subnets: Vec<String> = subnet_building
                .iter()
                .filter(|(_, name)| *name == b)
                .map(|(subnet, _)| subnet.clone())
                .collect();
            let p = placeholder(&mut params, Box::new(subnets));
            sql.push_str(&format!(" AND d_subnet = ANY({p})"));
        }
    }
    sql.push_str(" GROUP BY 1");
    let rows = client.query(&sql, &refs(&params)).await.map_err(backend)?;

    let mut out: Vec<(Option<String>, i64, ReportRow)> = Vec::with_capacity(rows.len());
    match q.by {
        Grouping::Hour | Grouping::Day => {
            let hours = if q.by == Grouping::Hour { 1 } else { DAY_HOURS };
            for r in &rows {
                let k: i64 = r
                    .get::<_, Option<String>>(0)
                    .and_then(|k| k.parse().ok())
                    .unwrap_or(0);
                let start = Ticks(k * HOUR);
                let mut row = read_agg(r, 2).row();
                row.key = Some(start.to_string());
                row.start = Some(start);
                row.end = Some(Ticks((k + hours) * HOUR));
                out.push((None, k, row));
            }
        }
        Grouping::MediaType => {
            for r in &rows {
                let code: i64 = r
                    .get::<_, Option<String>>(0)
                    .and_then(|k| k.parse().ok())
                    .unwrap_or(-1);
                let mut row = read_agg(r, 2).row();
                row.key = MediaType::from_code(code).map(|m| m.as_str().to_owned());
                out.push((row.key.clone(), code, row));
            }
        }
        Grouping::Dimension(d) => {
            for r in &rows {
                let mut row = read_agg(r, 2).row();
                row.key = r.get(0);
                if d == Dimension::User && row.key.is_some() {
                    row.label = r.get(1);
                }
                out.push((row.key.clone(), 0, row));
            }
        }
        Grouping::Building => {
            let mut by_building: BTreeMap<Option<String>, Agg> = BTreeMap::new();
            for r in &rows {
                let subnet: Option<String> = r.get(0);
                let building = subnet.and_then(|s| subnet_building.get(&s).cloned());
                by_building
                    .entry(building)
                    .or_default()
                    .merge(&read_agg(r, 2));
            }
            for (name, agg) in by_building {
                let mut row = agg.row();
                row.key = name.clone();
                out.push((name, 0, row));
            }
        }
    }
    // Time rows by time; the others by key, the rows without a key last.
    out.sort_by(|a, b| match (&a.0, &b.0) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => a.1.cmp(&b.1),
    });
    Ok(out.into_iter().map(|(_, _, row)| row).collect())
}

async fn put_buildings_in(
    tx: &Transaction<'_>,
    tenant: &str,
    buildings: &[Building],
) -> Result<(), TxError> {
    tx.execute(
        "DELETE FROM quality_buildings WHERE tenant = $1",
        &[&tenant],
    )
    .await?;
    if buildings.is_empty() {
        return Ok(());
    }
    let position: Vec<i32> = (0..buildings.len() as i32).collect();
    let ip: Vec<&str> = buildings.iter().map(|b| b.network_ip.as_str()).collect();
    let range: Vec<i16> = buildings
        .iter()
        .map(|b| i16::from(b.network_range))
        .collect();
    let name: Vec<&str> = buildings.iter().map(|b| b.building_name.as_str()).collect();
    let attributes: Vec<String> = buildings
        .iter()
        .map(|b| serde_json::to_string(&b.attributes).expect("strings always serialize"))
        .collect();
    tx.execute(
        "INSERT INTO quality_buildings (tenant, position, network_ip, network_range, building_name, attributes) \
         SELECT $1, * FROM unnest($2::int4[], $3::text[], $4::int2[], $5::text[], $6::text[])",
        &[&tenant, &position, &ip, &range, &name, &attributes],
    )
    .await?;
    Ok(())
}

#[async_trait]
impl QualityStore for PostgresStore {
    async fn quality_report(
        &self,
        tenant: &TenantId,
        query: &ReportQuery,
    ) -> Result<Vec<ReportRow>, StoreError> {
        let client = self.client().await?;
        report(&client, tenant, query).await
    }

    async fn put_buildings(
        &self,
        tenant: &TenantId,
        buildings: Vec<Building>,
    ) -> Result<(), StoreError> {
        let mut client = self.client().await?;
        in_transaction!(client, tx => put_buildings_in(&tx, tenant, &buildings));
        Ok(())
    }

    async fn buildings(&self, tenant: &TenantId) -> Result<Vec<Building>, StoreError> {
        let client = self.client().await?;
        read_buildings(&client, tenant).await
    }

    async fn quality_totals(&self) -> Result<QualityTotals, StoreError> {
        let client = self.client().await?;
        let row = client
            .query_one(
                "SELECT coalesce(sum(good), 0)::int8, coalesce(sum(poor), 0)::int8, \
                 coalesce(sum(unclassified), 0)::int8 FROM quality_totals",
                &[],
            )
            .await
            .map_err(backend)?;
        Ok(QualityTotals {
            good: row.get::<_, i64>(0).max(0) as u64,
            poor: row.get::<_, i64>(1).max(0) as u64,
            unclassified: row.get::<_, i64>(2).max(0) as u64,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_aggregate_has_the_columns_agg_reads() {
        assert_eq!(aggregate_columns().len(), 43);
    }
}
