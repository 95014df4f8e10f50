//! One table of an export as the chunks of one HTTP body (`GET /callrec/export/{table}`), for a BI
//! tool or a script that pulls over HTTP rather than reading files on callrec's machine.
//!
//! The encoders write into a buffer that is sent on after each page the store is read by, so the body
//! starts at once and memory stays bounded (a page of records, and for Parquet the row group being
//! built) however long the range. Parquet comes as one file (no day partitions: a body is one file);
//! CSV with its header row; NDJSON as the archive lines `callrec import` takes back.

use std::io::Write;
use std::sync::{Arc, Mutex, PoisonError};

use callrec_store::Store;
use serde_json::Value;
use tokio::sync::mpsc;

use super::encode::Encoder;
use super::tables::{Row, Table};
use super::{ExportError, ExportRequest, Format, Layout, Sink, Watermark};

/// Chunks in flight between the export and the connection: the export waits when the client reads
/// slower than the store is read.
const CHUNKS_IN_FLIGHT: usize = 4;

/// The chunks of the body, and an error if the export failed after the first one (the body is then
/// cut short, so a client never takes a partial export for a whole one).
pub type Chunks = mpsc::Receiver<Result<Vec<u8>, std::io::Error>>;

/// The media type of a table in a format.
pub fn content_type(format: Format) -> &'static str {
    match format {
        Format::Parquet => "application/vnd.apache.parquet",
        Format::Csv => "text/csv; charset=utf-8",
        Format::Ndjson => "application/x-ndjson",
    }
}

/// The file name a browser saves the body as: `media_streams-2025-01-01-2025-02-01.parquet`.
pub fn file_name(request: &ExportRequest) -> String {
    let day = |t: callrec_model::edm::Ticks| t.to_string()[..10].to_owned();
    let table = request.tables.first().map_or("export", |t| t.name());
    let extension = match request.format {
        Format::Parquet => "parquet",
        Format::Csv => "csv",
        Format::Ndjson => "ndjson",
    };
    format!(
        "{table}-{}-{}.{extension}",
        day(request.from),
        day(request.to)
    )
}

/// Starts exporting the one table of `request`; refuses a request it cannot serve before anything
/// is sent.
pub fn stream_table(store: Arc<dyn Store>, request: ExportRequest) -> Result<Chunks, ExportError> {
    super::check(&request)?;
    let &[table] = request.tables.as_slice() else {
        return Err(ExportError::Invalid(
            "an export over HTTP holds one table".into(),
        ));
    };
    let buffer = Buffer::default();
    let layout = Layout::of(table, request.personal_data);
    let encoder = match request.format {
        Format::Csv => Some(Encoder::csv(buffer.clone(), &layout.columns)?),
        Format::Parquet => Some(Encoder::parquet(buffer.clone(), &layout.columns)?),
        Format::Ndjson => None,
    };
    let (tx, rx) = mpsc::channel(CHUNKS_IN_FLIGHT);
    let mut body = Body {
        encoder,
        layout,
        buffer,
        tx,
    };
    tokio::spawn(async move {
        let mut mark = Watermark::default();
        let result = match super::read(store.as_ref(), &request, &mut mark, &mut body).await {
            Ok(_) => body.finish().await,
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            if !matches!(e, ExportError::Gone) {
                tracing::warn!(table = table.name(), error = %e, "an export over HTTP failed");
            }
            let _ = body
                .tx
                .send(Err(std::io::Error::other(e.to_string())))
                .await;
        }
    });
    Ok(rx)
}

/// What the encoders write into, drained after each page.
#[derive(Clone, Default)]
struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Buffer {
    fn take(&self) -> Vec<u8> {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The sink of one body.
struct Body {
    /// None for NDJSON, whose lines go straight into the buffer.
    encoder: Option<Encoder<Buffer>>,
    layout: Layout,
    buffer: Buffer,
    tx: mpsc::Sender<Result<Vec<u8>, std::io::Error>>,
}

impl Body {
    async fn send(&mut self) -> Result<(), ExportError> {
        let chunk = self.buffer.take();
        if chunk.is_empty() {
            return Ok(());
        }
        self.tx.send(Ok(chunk)).await.map_err(|_| ExportError::Gone)
    }

    async fn finish(&mut self) -> Result<(), ExportError> {
        if let Some(encoder) = self.encoder.take() {
            encoder.finish(&self.layout.keep, &self.layout.columns)?;
        }
        self.send().await
    }
}

impl Sink for Body {
    fn rows(&mut self, _table: Table, rows: Vec<Row>) -> Result<(), ExportError> {
        if let Some(encoder) = &mut self.encoder {
            encoder.write(rows, &self.layout.keep, &self.layout.columns)?;
        }
        Ok(())
    }

    fn line(&mut self, _table: Table, value: &Value) -> Result<(), ExportError> {
        let mut line = serde_json::to_vec(value).map_err(std::io::Error::from)?;
        line.push(b'\n');
        self.buffer.write_all(&line)?;
        Ok(())
    }

    async fn page_read(&mut self, _seen: u64) -> Result<(), ExportError> {
        self.send().await
    }
}
