//! Ingestion of log rows (PSTN, direct routing, SMS, blocked users): NDJSON, JSON arrays and Graph
//! collection pages → validated, prepared rows → the store, and the choice between this pipeline and the
//! call records one for an input of unknown content.
//!
//! It mirrors [`crate::ingest`]: input is read in batches on a blocking thread, each batch is validated and
//! prepared there, and batches are written in input order, one atomic transaction each. A bad row rejects
//! only itself, reported with its line, JSON path and reason. Which kind a row is comes from its
//! `@odata.type`, else from the kind named by the caller (`--kind`, `?kind=`), else from the
//! `@odata.context` of a saved Graph page (`$metadata#Collection(microsoft.graph.callRecords.smsLogRow)`).

use std::io::{BufRead, Read};
use std::sync::Arc;

use callrec_model::logs::{LogKind, PreparedLogRow, check_log_row};
use callrec_store::Store;
use callrec_store::logs::LogPutOutcome;
use serde_json::Value;

use crate::ingest::{self, IngestOptions, IngestSummary, Rejection};
use crate::scrubbing::scrub_incoming_log_row;

/// Rows per write transaction.
const BATCH_ROWS: usize = 2_000;
/// Rejections reported in full (the count keeps going past this).
const MAX_REPORTED_REJECTIONS: usize = 1_000;
/// How much of an input is looked at to tell what it holds.
const SNIFF_BYTES: usize = 64 * 1024;

/// What an input holds, as far as ingestion cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    CallRecords,
    /// Log rows; `Some` when the whole input is known to be of one kind.
    Logs(Option<LogKind>),
}

/// Why a kind name was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown kind '{0}'; expected callRecord, pstnCall, directRoutingCall, sms, pstnBlockedUser (or a row type name)"
)]
pub struct UnknownKind(pub String);

/// Reads a kind name: `callRecord`, or a log kind by flag, type or function name.
pub fn parse_kind(text: &str) -> Result<InputKind, UnknownKind> {
    if text.trim().eq_ignore_ascii_case("callRecord")
        || text.trim().eq_ignore_ascii_case("callRecords")
    {
        return Ok(InputKind::CallRecords);
    }
    LogKind::parse(text)
        .map(|k| InputKind::Logs(Some(k)))
        .ok_or_else(|| UnknownKind(text.to_owned()))
}

/// Tells from the start of an input whether it holds log rows: a Graph page whose `@odata.context` names a
/// log-row collection, or rows whose `@odata.type` names a log-row type. Anything else is taken for call
/// records.
pub fn detect(head: &[u8]) -> InputKind {
    let head = &head[..head.len().min(SNIFF_BYTES)];
    for kind in LogKind::ALL {
        let context = format!("#Collection({})", kind.type_name());
        if memchr::memmem::find(head, context.as_bytes()).is_some() {
            return InputKind::Logs(Some(kind));
        }
    }
    let typed = LogKind::ALL.iter().any(|k| {
        let name = format!("callRecords.{}\"", k.simple_type_name());
        memchr::memmem::find(head, name.as_bytes()).is_some()
    });
    if typed {
        InputKind::Logs(None)
    } else {
        InputKind::CallRecords
    }
}

/// Ingests an input of call records or log rows: `kind` as named by the caller, else as [`detect`] reads
/// it from the input's first bytes.
pub async fn ingest_any(
    store: Arc<dyn Store>,
    tenant: &str,
    mut input: Box<dyn BufRead + Send>,
    kind: Option<&str>,
    options: IngestOptions,
    progress: impl FnMut(&IngestSummary) + Send,
) -> anyhow::Result<IngestSummary> {
    let kind = match kind {
        Some(text) => parse_kind(text)?,
        None => detect(input.fill_buf()?),
    };
    match kind {
        InputKind::CallRecords => {
            ingest::ingest_reader(store, tenant, input, options, progress).await
        }
        InputKind::Logs(hint) => {
            ingest_log_reader(store, tenant, input, hint, options, progress).await
        }
    }
}

/// Rows of one batch, validated, with what was refused.
struct CheckedBatch {
    rows: Vec<PreparedLogRow>,
    rejections: Vec<Rejection>,
    warnings: u64,
    bytes: u64,
}

/// Validates one item (a line of text or a value) as a log row, scrubbed when `options` say so.
fn check(
    hint: Option<LogKind>,
    options: &IngestOptions,
    line: u64,
    item: Item,
) -> Result<(PreparedLogRow, u64), Rejection> {
    let value = match item {
        Item::Text(bytes) => serde_json::from_slice::<Value>(&bytes).map_err(|e| Rejection {
            line,
            path: "$".to_owned(),
            message: format!("not valid JSON: {e}"),
        })?,
        Item::Value(v) => v,
    };
    check_log_row(hint, value)
        .map(|c| {
            let mut row = c.row;
            scrub_incoming_log_row(&mut row, options);
            (row, c.warnings.len() as u64)
        })
        .map_err(|e| Rejection {
            line,
            path: e.path,
            message: e.message,
        })
}

enum Item {
    Text(Vec<u8>),
    Value(Value),
}

/// Reads the input and hands over checked batches; a document that is not NDJSON is read whole.
fn read_and_check(
    mut input: Box<dyn BufRead + Send>,
    hint: Option<LogKind>,
    options: IngestOptions,
    mut send: impl FnMut(CheckedBatch) -> bool,
) -> std::io::Result<()> {
    let mut batch = CheckedBatch {
        rows: Vec::new(),
        rejections: Vec::new(),
        warnings: 0,
        bytes: 0,
    };
    let push =
        |batch: &mut CheckedBatch, line: u64, item: Item| match check(hint, &options, line, item) {
            Ok((row, warnings)) => {
                batch.rows.push(row);
                batch.warnings += warnings;
            }
            Err(r) => batch.rejections.push(r),
        };
    let flush = |batch: &mut CheckedBatch, send: &mut dyn FnMut(CheckedBatch) -> bool| {
        let full = std::mem::replace(
            batch,
            CheckedBatch {
                rows: Vec::new(),
                rejections: Vec::new(),
                warnings: 0,
                bytes: 0,
            },
        );
        send(full)
    };

    let mut first_line = Vec::new();
    loop {
        first_line.clear();
        if input.read_until(b'\n', &mut first_line)? == 0 {
            return Ok(());
        }
        batch.bytes += first_line.len() as u64;
        if !first_line.iter().all(u8::is_ascii_whitespace) {
            break;
        }
    }
    let parsed_first = serde_json::from_slice::<Value>(&first_line).ok();
    let whole = match parsed_first {
        Some(Value::Object(map)) if !is_page(&map) => {
            // NDJSON: one row a line.
            let mut line_no = 1u64;
            push(&mut batch, line_no, Item::Value(Value::Object(map)));
            let mut line = Vec::new();
            loop {
                line.clear();
                let n = input.read_until(b'\n', &mut line)?;
                if n == 0 {
                    break;
                }
                line_no += 1;
                batch.bytes += n as u64;
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                push(&mut batch, line_no, Item::Text(std::mem::take(&mut line)));
                if batch.rows.len() + batch.rejections.len() >= BATCH_ROWS
                    && !flush(&mut batch, &mut send)
                {
                    return Ok(());
                }
            }
            flush(&mut batch, &mut send);
            return Ok(());
        }
        Some(v) => v,
        None => {
            let mut all = first_line;
            let before = all.len();
            input.read_to_end(&mut all)?;
            batch.bytes += (all.len() - before) as u64;
            match serde_json::from_slice::<Value>(&all) {
                Ok(v) => v,
                Err(e) => {
                    batch.rejections.push(Rejection {
                        line: e.line() as u64,
                        path: "$".to_owned(),
                        message: format!("the input is neither NDJSON nor one JSON document: {e}"),
                    });
                    flush(&mut batch, &mut send);
                    return Ok(());
                }
            }
        }
    };
    let items = match whole {
        Value::Array(items) => items,
        Value::Object(mut map) if is_page(&map) => match map.remove("value") {
            Some(Value::Array(items)) => items,
            _ => unreachable!("is_page checks that value is an array"),
        },
        other => vec![other],
    };
    for (i, item) in items.into_iter().enumerate() {
        push(&mut batch, i as u64 + 1, Item::Value(item));
        if batch.rows.len() + batch.rejections.len() >= BATCH_ROWS && !flush(&mut batch, &mut send)
        {
            return Ok(());
        }
    }
    flush(&mut batch, &mut send);
    Ok(())
}

fn is_page(map: &serde_json::Map<String, Value>) -> bool {
    map.get("value").is_some_and(Value::is_array)
}

/// Ingests every log row a reader holds into the store for one tenant, calling `progress` after each batch
/// is durably stored. `hint` is the kind of rows without an `@odata.type`.
pub async fn ingest_log_reader(
    store: Arc<dyn Store>,
    tenant: &str,
    input: Box<dyn BufRead + Send>,
    hint: Option<LogKind>,
    options: IngestOptions,
    mut progress: impl FnMut(&IngestSummary) + Send,
) -> anyhow::Result<IngestSummary> {
    let (tx, mut rx) = tokio::sync::mpsc::channel::<CheckedBatch>(2);
    let reader = tokio::task::spawn_blocking(move || {
        read_and_check(input, hint, options, |batch| {
            tx.blocking_send(batch).is_ok()
        })
    });
    let mut summary = IngestSummary::default();
    while let Some(batch) = rx.recv().await {
        summary.bytes += batch.bytes;
        summary.warnings += batch.warnings;
        for r in batch.rejections {
            summary.rejected += 1;
            if summary.rejections.len() < MAX_REPORTED_REJECTIONS {
                summary.rejections.push(r);
            }
        }
        if !batch.rows.is_empty() {
            for outcome in store.put_log_rows(tenant, batch.rows).await? {
                match outcome {
                    LogPutOutcome::Created => summary.imported += 1,
                    LogPutOutcome::Replaced => summary.replaced += 1,
                }
            }
        }
        progress(&summary);
    }
    reader.await??;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_told_apart() {
        assert_eq!(
            detect(br#"{"@odata.context":"https://graph.microsoft.com/beta/$metadata#Collection(microsoft.graph.callRecords.smsLogRow)","value":[]}"#),
            InputKind::Logs(Some(LogKind::Sms))
        );
        assert_eq!(
            detect(b"{\"@odata.type\":\"#microsoft.graph.callRecords.directRoutingLogRow\",\"id\":\"x\"}\n"),
            InputKind::Logs(None)
        );
        assert_eq!(
            detect(br#"{"id":"e523d2ed","type":"peerToPeer","sessions":[]}"#),
            InputKind::CallRecords
        );
        assert_eq!(
            parse_kind("pstnCall"),
            Ok(InputKind::Logs(Some(LogKind::PstnCall)))
        );
        assert_eq!(parse_kind("callRecord"), Ok(InputKind::CallRecords));
        assert_eq!(
            parse_kind("smsLogRow"),
            Ok(InputKind::Logs(Some(LogKind::Sms)))
        );
        assert!(parse_kind("pstn").is_err());
    }
}
