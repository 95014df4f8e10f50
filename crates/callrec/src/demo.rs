//! Data for a new user: the documentation's example records and a generated, lived-in tenant.
//!
//! `callrec serve --demo` fills an empty store with both, so the first request already returns something
//! that looks like a real Teams tenant; `callrec generate --store` uses the same path.

use std::sync::Arc;

use anyhow::Context;
use callrec_model::edm::Ticks;
use callrec_store::{Store, WriteCondition};
use serde_json::{Map, Value};

use crate::generate::{Generator, GeneratorConfig};
use crate::ingest::{self, IngestSummary};

const SECONDS_PER_DAY: i64 = 86_400;

/// Midnight UTC, `days` days before today.
pub fn days_before_today(days: u32) -> Ticks {
    let now = Ticks::now().0 / callrec_model::edm::TICKS_PER_SECOND;
    let today = now - now.rem_euclid(SECONDS_PER_DAY);
    Ticks::from_unix_seconds(today - i64::from(days) * SECONDS_PER_DAY)
}

/// Generates records straight into a store, through the ingestion pipeline.
pub async fn generate_into(
    store: &Arc<dyn Store>,
    generator: Arc<Generator>,
    tenant: &str,
) -> anyhow::Result<IngestSummary> {
    let (reader, writer) = std::io::pipe().context("cannot create a pipe")?;
    let producer = tokio::task::spawn_blocking(move || {
        let writer = std::io::BufWriter::with_capacity(1 << 20, writer);
        generator.write_ndjson(writer, |_| {})
    });
    let input: Box<dyn std::io::BufRead + Send> =
        Box::new(std::io::BufReader::with_capacity(1 << 20, reader));
    let summary = ingest::ingest(
        store.clone(),
        tenant,
        input,
        ingest::Records,
        ingest::IngestOptions::default(),
        |_| {},
    )
    .await?;
    producer.await?.context("the generator failed")?;
    Ok(summary)
}

/// Fills an empty store with the documentation's examples and `records` generated records over the
/// last 30 days with the log rows of their PSTN calls (PSTN, direct routing, text messages, blocks), for
/// `tenant` (the tenant a server without tokens serves). A store that holds anything is
/// left as it is.
pub async fn fill_if_empty(
    store: &Arc<dyn Store>,
    tenant: &str,
    records: u64,
) -> anyhow::Result<()> {
    if store.stats().await?.records > 0 {
        tracing::info!("--demo: the store already holds records; leaving it as it is");
        return Ok(());
    }
    let examples = example_records();
    let mut prepared = Vec::new();
    for record in examples {
        let admitted =
            ingest::admit_record(Value::Object(record), &ingest::IngestOptions::default())
                .map_err(|e| anyhow::anyhow!("a documentation example does not validate: {e}"))?;
        prepared.push(admitted.prepare());
    }
    let count = prepared.len();
    store
        .put_records(tenant, prepared, WriteCondition::NewerVersion)
        .await?;
    let days = 30;
    let config = GeneratorConfig {
        records,
        seed: 1,
        start: days_before_today(days),
        days,
        tenant_id: tenant.to_owned(),
        users: 300,
    };
    let generator = Arc::new(Generator::new(config));
    let summary = generate_into(store, generator.clone(), tenant).await?;
    let rows = crate::generate::logs::generate_logs_into(store, generator, tenant).await?;
    tracing::info!(
        "--demo: filled the store with {count} example records from the documentation, {} generated records and {} log rows of their PSTN calls",
        summary.imported,
        rows.imported
    );
    Ok(())
}

/// The call records shown in the Graph documentation, merged where several examples show parts of the
/// same record.
pub fn example_records() -> Vec<Map<String, Value>> {
    let parse = |text: &str| -> Map<String, Value> {
        match serde_json::from_str(text) {
            Ok(Value::Object(m)) => m,
            _ => Map::new(),
        }
    };
    let mut full = parse(include_str!(
        "../../../spec/examples/callrecord-get-expand-sessions-segments.response.json"
    ));
    let sessions = parse(include_str!(
        "../../../spec/examples/callrecord-list-sessions-expand-segments.response.json"
    ));
    let participants = parse(include_str!(
        "../../../spec/examples/callrecord-get-expand-participants_v2.response.json"
    ));
    if let Some(v) = sessions.get("value") {
        full.insert("sessions".to_owned(), v.clone());
    }
    if let Some(v) = participants.get("participants_v2") {
        full.insert("participants_v2".to_owned(), v.clone());
    }
    let mut records = vec![full];
    for list in [
        include_str!("../../../spec/examples/callrecords-list.response.json"),
        include_str!("../../../spec/examples/callrecords-list-filter-startdatetime.response.json"),
        include_str!("../../../spec/examples/callrecords-list-filter-participant.response.json"),
    ] {
        if let Some(Value::Array(items)) = parse(list).remove("value") {
            for item in items {
                if let Value::Object(m) = item
                    && !records.iter().any(|r| r.get("id") == m.get("id"))
                {
                    records.push(m);
                }
            }
        }
    }
    records
}
