//! Ingestion: NDJSON, JSON arrays and Graph collection pages → validated, prepared records → the store.
//!
//! One pipeline serves `callrec import`, the bulk HTTP endpoint and the demo loader. It reads the input in
//! batches, validates and prepares batches on blocking threads (several at once, so both cores work), and
//! writes them to the store in input order, one atomic transaction per batch. A bad record rejects only its
//! own line; it is reported with its line number, the JSON path and the reason.

use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;
use std::time::Duration;

use callrec_model::edm::Ticks;
use callrec_model::prepare::{PreparedRecord, prepare};
use callrec_model::validate::validate_call_record;
use callrec_store::{PutOutcome, Store, WriteCondition};
use serde::Serialize;
use serde_json::Value;

use crate::scrubbing::scrub_incoming_record;

/// How ingestion treats what it stores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IngestOptions {
    /// Records whose call ended before this instant, and log rows older than it, are scrubbed before
    /// they are stored ([`crate::scrubbing`]).
    pub scrub_before: Option<Ticks>,
}

impl IngestOptions {
    /// Options for an ingestion starting now under this scrub period.
    pub fn scrubbing_after(after: Option<Duration>) -> Self {
        IngestOptions {
            scrub_before: after.map(crate::retention::ago),
        }
    }
}

/// Records per write transaction and per preparation task.
const BATCH_RECORDS: usize = 1000;
/// Bytes of input per batch, whichever limit comes first.
const BATCH_BYTES: usize = 4 * 1024 * 1024;
/// Rejections reported in full (the count keeps going past this).
const MAX_REPORTED_REJECTIONS: usize = 1000;

/// Why one input record was not stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rejection {
    /// 1-based line of NDJSON input, or 1-based position in an array or a `value` collection.
    pub line: u64,
    /// JSON path of the offending value, `$` for the whole record.
    pub path: String,
    pub message: String,
}

/// What an ingestion did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IngestSummary {
    /// Records stored for the first time.
    pub imported: u64,
    /// Records that replaced an older version.
    pub replaced: u64,
    /// Records ignored because an equal or newer version was already stored.
    pub ignored_stale: u64,
    pub rejected: u64,
    /// Oddities accepted as they are (an end before its start, an empty stream list, unknown properties...).
    pub warnings: u64,
    pub rejections: Vec<Rejection>,
    /// Input bytes read (after decompression).
    pub bytes: u64,
}

impl IngestSummary {
    pub fn records_seen(&self) -> u64 {
        self.imported + self.replaced + self.ignored_stale + self.rejected
    }

    fn reject(&mut self, rejection: Rejection) {
        self.rejected += 1;
        if self.rejections.len() < MAX_REPORTED_REJECTIONS {
            self.rejections.push(rejection);
        }
    }

    fn tally(&mut self, outcome: PutOutcome) {
        match outcome {
            PutOutcome::Created => self.imported += 1,
            PutOutcome::Replaced { .. } => self.replaced += 1,
            PutOutcome::Stale { .. } | PutOutcome::Conflict { .. } => self.ignored_stale += 1,
        }
    }
}

/// A record read, validated and prepared, or why not.
pub struct CheckedRecord {
    pub record: PreparedRecord,
    pub warnings: u64,
}

/// Validates and prepares one record given as JSON text.
pub fn check_record_bytes(
    bytes: &[u8],
    options: &IngestOptions,
) -> Result<CheckedRecord, (String, String)> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|e| ("$".to_owned(), format!("not valid JSON: {e}")))?;
    check_record(value, options)
}

/// Validates and prepares one record given as a JSON value (scrubbed first when `options` say so).
pub fn check_record(
    value: Value,
    options: &IngestOptions,
) -> Result<CheckedRecord, (String, String)> {
    let report = validate_call_record(&value).map_err(|e| (e.path.clone(), e.message.clone()))?;
    let Value::Object(mut map) = value else {
        return Err((
            "$".to_owned(),
            "a callRecord must be a JSON object".to_owned(),
        ));
    };
    let scrubbed = scrub_incoming_record(&mut map, options);
    let mut record = prepare(map);
    record.scrubbed = scrubbed;
    Ok(CheckedRecord {
        record,
        warnings: report.warnings.len() as u64,
    })
}

/// One batch of input items, each with its line (or position) number.
struct Batch {
    items: Vec<(u64, Item)>,
    bytes: u64,
}

enum Item {
    Text(Vec<u8>),
    Value(Value),
}

struct PreparedBatch {
    records: Vec<PreparedRecord>,
    rejections: Vec<Rejection>,
    warnings: u64,
    bytes: u64,
}

fn prepare_batch(batch: Batch, options: &IngestOptions) -> PreparedBatch {
    let mut out = PreparedBatch {
        records: Vec::with_capacity(batch.items.len()),
        rejections: Vec::new(),
        warnings: 0,
        bytes: batch.bytes,
    };
    for (line, item) in batch.items {
        let checked = match item {
            Item::Text(bytes) => check_record_bytes(&bytes, options),
            Item::Value(v) => check_record(v, options),
        };
        match checked {
            Ok(c) => {
                out.warnings += c.warnings;
                out.records.push(c.record);
            }
            Err((path, message)) => out.rejections.push(Rejection {
                line,
                path,
                message,
            }),
        }
    }
    out
}

/// Wraps a reader so that gzip input (by its magic bytes) is decompressed.
pub fn maybe_gunzip<R: Read + Send + 'static>(
    reader: R,
) -> std::io::Result<Box<dyn BufRead + Send>> {
    let mut buffered = BufReader::with_capacity(1 << 20, reader);
    let head = buffered.fill_buf()?;
    if head.starts_with(&[0x1f, 0x8b]) {
        Ok(Box::new(BufReader::with_capacity(
            1 << 20,
            flate2::bufread::MultiGzDecoder::new(buffered),
        )))
    } else {
        Ok(Box::new(buffered))
    }
}

/// Reads batches from NDJSON, a JSON array, or a `{"value":[...]}` page, and sends them on.
fn read_batches(
    mut input: Box<dyn BufRead + Send>,
    mut send: impl FnMut(Batch) -> bool,
) -> std::io::Result<Option<Rejection>> {
    let first = loop {
        let buf = input.fill_buf()?;
        if buf.is_empty() {
            return Ok(None);
        }
        match buf.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) => {
                let c = buf[i];
                input.consume(i);
                break c;
            }
            None => {
                let n = buf.len();
                input.consume(n);
            }
        }
    };
    let mut line_no = 0u64;
    let mut pending: Option<Vec<u8>> = None;
    if first == b'[' || first == b'{' {
        // NDJSON starts with a complete object on its first line; anything else starting with `[` or `{` is
        // one JSON document: an array, a collection page, or a pretty-printed record.
        let mut first_line = Vec::new();
        input.read_until(b'\n', &mut first_line)?;
        let as_line = if first == b'{' {
            serde_json::from_slice::<Value>(&first_line).ok()
        } else {
            None
        };
        match as_line {
            Some(Value::Object(mut map)) if is_collection_page(&map) => {
                let Some(Value::Array(items)) = map.remove("value") else {
                    unreachable!("checked above")
                };
                if !send_values(items, first_line.len() as u64, 1, &mut send) {
                    return Ok(None);
                }
                line_no = 1;
            }
            Some(_) => pending = Some(first_line),
            None => {
                let mut all = first_line;
                input.read_to_end(&mut all)?;
                match serde_json::from_slice::<Value>(&all) {
                    Ok(Value::Array(items)) => {
                        send_values(items, all.len() as u64, 1, &mut send);
                    }
                    Ok(Value::Object(mut map)) if is_collection_page(&map) => {
                        let Some(Value::Array(items)) = map.remove("value") else {
                            unreachable!("checked above")
                        };
                        send_values(items, all.len() as u64, 1, &mut send);
                    }
                    Ok(v) => {
                        send(Batch {
                            items: vec![(1, Item::Value(v))],
                            bytes: all.len() as u64,
                        });
                    }
                    Err(e) => {
                        return Ok(Some(Rejection {
                            line: e.line() as u64,
                            path: "$".to_owned(),
                            message: format!(
                                "the input is neither NDJSON nor one JSON document: {e}"
                            ),
                        }));
                    }
                }
                return Ok(None);
            }
        }
    }
    let mut batch = Batch {
        items: Vec::new(),
        bytes: 0,
    };
    let mut batch_bytes = 0usize;
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = match pending.take() {
            Some(first_line) => {
                line = first_line;
                line.len()
            }
            None => input.read_until(b'\n', &mut line)?,
        };
        if n == 0 {
            break;
        }
        line_no += 1;
        batch.bytes += n as u64;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        batch_bytes += n;
        batch
            .items
            .push((line_no, Item::Text(std::mem::take(&mut line))));
        if batch.items.len() >= BATCH_RECORDS || batch_bytes >= BATCH_BYTES {
            if !send(std::mem::replace(
                &mut batch,
                Batch {
                    items: Vec::new(),
                    bytes: 0,
                },
            )) {
                return Ok(None);
            }
            batch_bytes = 0;
        }
    }
    if !batch.items.is_empty() || batch.bytes > 0 {
        send(batch);
    }
    Ok(None)
}

fn is_collection_page(map: &serde_json::Map<String, Value>) -> bool {
    map.get("value").is_some_and(Value::is_array) && !map.contains_key("id")
}

/// Sends the items of an array in batches, numbered from `first`; false when the receiver is gone.
fn send_values(
    items: Vec<Value>,
    bytes: u64,
    first: u64,
    send: &mut impl FnMut(Batch) -> bool,
) -> bool {
    let total = items.len().max(1) as u64;
    let mut batch = Batch {
        items: Vec::new(),
        bytes: 0,
    };
    for (i, v) in items.into_iter().enumerate() {
        batch.items.push((first + i as u64, Item::Value(v)));
        if batch.items.len() >= BATCH_RECORDS {
            batch.bytes = bytes * batch.items.len() as u64 / total;
            if !send(std::mem::replace(
                &mut batch,
                Batch {
                    items: Vec::new(),
                    bytes: 0,
                },
            )) {
                return false;
            }
        }
    }
    batch.bytes = bytes * batch.items.len() as u64 / total;
    send(batch)
}

/// Ingests everything a reader holds into the store for one tenant, calling `progress` after each batch
/// is durably stored. Records of one input are applied in input order.
pub async fn ingest_reader(
    store: Arc<dyn Store>,
    tenant: &str,
    reader: Box<dyn BufRead + Send>,
    options: IngestOptions,
    mut progress: impl FnMut(&IngestSummary) + Send,
) -> anyhow::Result<IngestSummary> {
    let runtime = tokio::runtime::Handle::current();
    let (tx, mut rx) = tokio::sync::mpsc::channel::<tokio::task::JoinHandle<PreparedBatch>>(3);
    let reader_task = tokio::task::spawn_blocking(move || {
        read_batches(reader, |batch| {
            let handle = runtime.spawn_blocking(move || prepare_batch(batch, &options));
            tx.blocking_send(handle).is_ok()
        })
    });
    let mut summary = IngestSummary::default();
    while let Some(handle) = rx.recv().await {
        let batch = handle.await?;
        summary.bytes += batch.bytes;
        summary.warnings += batch.warnings;
        for r in batch.rejections {
            summary.reject(r);
        }
        if !batch.records.is_empty() {
            let outcomes = store
                .put_records(tenant, batch.records, WriteCondition::NewerVersion)
                .await?;
            for o in outcomes {
                summary.tally(o);
            }
        }
        progress(&summary);
    }
    if let Some(r) = reader_task.await?? {
        summary.reject(r);
    }
    Ok(summary)
}
