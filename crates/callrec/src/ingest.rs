//! Ingestion: NDJSON, JSON arrays and Graph collection pages → admitted (validated, scrubbed, prepared)
//! call records or log rows → the store.
//!
//! One pipeline serves `callrec import`, `POST /callrec/import`, the single-item writes of the HTTP API and
//! the demo loader, for both kinds of input: a [`Kind`] says how one item is admitted and how a batch is
//! written, and everything else (reading, batching, preparing on blocking threads, writing in input order,
//! counting) is shared. Input is read in batches; batches are admitted on blocking threads, several at once
//! so that both cores work, and written in input order, one atomic transaction each. A bad item rejects only
//! itself; it is reported with its line number, the JSON path and the reason.
//!
//! The single-item writes call the same admission ([`admit_record`], [`admit_log_row`]) as the bulk path,
//! so an item is accepted or refused for the same reasons wherever it arrives.

mod input;
mod logs;
mod records;

use std::io::BufRead;
use std::sync::Arc;
use std::time::Duration;

use callrec_model::edm::Ticks;
use callrec_model::validate::ValidationError;
use callrec_store::{Store, StoreError};
use serde::Serialize;
use serde_json::Value;

pub use input::{
    DecodedTooLarge, InputKind, InputLimits, UnknownKind, detect, maybe_gunzip, parse_kind,
};
pub use logs::{LogRows, admit_log_row};
pub use records::{AdmittedRecord, Records, admit_record};

/// How ingestion treats what it stores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IngestOptions {
    /// Records whose call ended before this instant, and log rows older than it, are scrubbed before
    /// they are stored ([`crate::scrubbing`]).
    pub scrub_before: Option<Ticks>,
    /// How much of an input is held at once ([`InputLimits`]).
    pub limits: InputLimits,
}

impl IngestOptions {
    /// Options for an ingestion starting now under this scrub period.
    pub fn scrubbing_after(after: Option<Duration>) -> Self {
        IngestOptions {
            scrub_before: after.map(crate::retention::ago),
            limits: InputLimits::default(),
        }
    }
}

/// Bytes of input per batch, whatever the kind's item limit.
const BATCH_BYTES: usize = 4 * 1024 * 1024;
/// Rejections reported in full (the count keeps going past this).
const MAX_REPORTED_REJECTIONS: usize = 1000;
/// Admitted batches waiting to be written; bounds the memory an ingestion holds.
const BATCHES_IN_FLIGHT: usize = 3;

/// Why an ingestion stopped. What it wrote before stays written.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    /// The input could not be read or decompressed: the sender's to fix.
    #[error("the input cannot be read: {0}")]
    Read(#[from] std::io::Error),
    /// The caller named a kind of input that does not exist.
    #[error(transparent)]
    UnknownKind(#[from] UnknownKind),
    /// The store failed: the server's to fix.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// An admission task failed (it panicked): a defect, not bad input.
    #[error("ingestion stopped: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// Why one input item was not stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rejection {
    /// 1-based line of NDJSON input, or 1-based position in an array or a `value` collection.
    pub line: u64,
    /// JSON path of the offending value, `$` for the whole item.
    pub path: String,
    pub message: String,
}

impl Rejection {
    fn new(line: u64, e: ValidationError) -> Self {
        Rejection {
            line,
            path: e.path,
            message: e.message,
        }
    }
}

/// What an ingestion did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct IngestSummary {
    /// Items stored for the first time.
    pub imported: u64,
    /// Items that replaced an older version.
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
}

/// What one batch's write did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub created: u64,
    pub replaced: u64,
    pub stale: u64,
}

/// One kind of ingestible item: how an item is admitted and how a batch of them is written.
pub trait Kind: Send + Sync + 'static {
    /// An item ready for the store.
    type Item: Send + 'static;
    /// Items per write transaction (and per admission task).
    const BATCH_ITEMS: usize;

    /// Validates, scrubs (when `options` say so) and prepares one item; `Ok` carries its warning count.
    fn admit(
        &self,
        value: Value,
        options: &IngestOptions,
    ) -> Result<(Self::Item, u64), ValidationError>;

    /// Writes one batch for a tenant, atomically.
    fn write(
        store: &Arc<dyn Store>,
        tenant: &str,
        items: Vec<Self::Item>,
    ) -> impl Future<Output = Result<Tally, StoreError>> + Send;
}

/// A batch of input items admitted as one kind, with what was refused.
struct Admitted<T> {
    items: Vec<T>,
    rejections: Vec<Rejection>,
    warnings: u64,
    bytes: u64,
}

fn admit_batch<K: Kind>(
    kind: &K,
    batch: input::Batch,
    options: &IngestOptions,
) -> Admitted<K::Item> {
    let mut out = Admitted {
        items: Vec::with_capacity(batch.items.len()),
        rejections: Vec::new(),
        warnings: 0,
        bytes: batch.bytes,
    };
    for (line, item) in batch.items {
        let value = match item.into_value() {
            Ok(v) => v,
            Err(e) => {
                out.rejections.push(Rejection::new(line, e));
                continue;
            }
        };
        match kind.admit(value, options) {
            Ok((item, warnings)) => {
                out.warnings += warnings;
                out.items.push(item);
            }
            Err(e) => out.rejections.push(Rejection::new(line, e)),
        }
    }
    out
}

/// Ingests everything a reader holds as items of one kind into the store for one tenant, calling
/// `progress` after each batch is durably stored. Items of one input are applied in input order.
pub async fn ingest<K: Kind>(
    store: Arc<dyn Store>,
    tenant: &str,
    reader: Box<dyn BufRead + Send>,
    kind: K,
    options: IngestOptions,
    mut progress: impl FnMut(&IngestSummary) + Send,
) -> Result<IngestSummary, IngestError> {
    let kind = Arc::new(kind);
    let runtime = tokio::runtime::Handle::current();
    let (tx, mut rx) =
        tokio::sync::mpsc::channel::<tokio::task::JoinHandle<Admitted<K::Item>>>(BATCHES_IN_FLIGHT);
    let reader_task = tokio::task::spawn_blocking(move || {
        input::read_batches(
            reader,
            K::BATCH_ITEMS,
            BATCH_BYTES,
            options.limits,
            |batch| {
                let kind = kind.clone();
                let handle = runtime.spawn_blocking(move || admit_batch(&*kind, batch, &options));
                tx.blocking_send(handle).is_ok()
            },
        )
    });
    let mut summary = IngestSummary::default();
    while let Some(handle) = rx.recv().await {
        let batch = handle.await?;
        summary.bytes += batch.bytes;
        summary.warnings += batch.warnings;
        for r in batch.rejections {
            summary.reject(r);
        }
        if !batch.items.is_empty() {
            let tally = K::write(&store, tenant, batch.items).await?;
            summary.imported += tally.created;
            summary.replaced += tally.replaced;
            summary.ignored_stale += tally.stale;
        }
        progress(&summary);
    }
    if let Some(r) = reader_task.await?? {
        summary.reject(r);
    }
    Ok(summary)
}

/// Ingests an input of call records or log rows: `kind` as named by the caller, else as [`detect`] reads
/// it from the input's first bytes.
pub async fn ingest_any(
    store: Arc<dyn Store>,
    tenant: &str,
    mut reader: Box<dyn BufRead + Send>,
    kind: Option<InputKind>,
    options: IngestOptions,
    progress: impl FnMut(&IngestSummary) + Send,
) -> Result<IngestSummary, IngestError> {
    let kind = match kind {
        Some(kind) => kind,
        None => detect(reader.fill_buf()?),
    };
    match kind {
        InputKind::CallRecords => ingest(store, tenant, reader, Records, options, progress).await,
        InputKind::Logs(hint) => {
            ingest(store, tenant, reader, LogRows { hint }, options, progress).await
        }
    }
}
