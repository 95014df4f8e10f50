//! Exports: a tenant's call records and log rows of a time range, out of the store as files a BI tool
//! reads (Parquet, CSV) or as the NDJSON archive that `callrec import` takes back.
//!
//! The store is read one page at a time (records in start order, each reassembled whole; log rows by
//! keyset), each page is cut into table rows ([`tables`]) and written at once, so memory stays bounded
//! however long the range. Parquet goes to one folder per table, partitioned by the call's UTC day
//! (`media_streams/call_date=2025-01-16/part-0.parquet`); CSV to one file per table; NDJSON to
//! `call_records.ndjson` and one file per log table, each line exactly the JSON that was ingested.
//! With personal data left out, each record and row is scrubbed as [`crate::scrubbing`] does and the
//! personal columns are left out. `since_last` keeps a watermark in the output folder, so that the next
//! run writes only records modified (and log rows stored after) since.

pub mod columns;
pub mod encode;
pub mod stream;
pub mod tables;

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use callrec_model::edm::Ticks;
use callrec_model::logs::{LogCursor, LogKind, LogQuery, LogStart};
use callrec_model::quality;
use callrec_model::query::{CmpOp, ListQuery, RecordFilter, RecordOrder, TimeField};
use callrec_store::{RecordRow, Store, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use columns::Column;
use encode::{EncodeError, Encoder};
use tables::{RECORD_TABLES, Row, Rows, Table};

/// Records (or log rows) read per page.
const PAGE: usize = 200;

/// The file format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Parquet,
    Csv,
    Ndjson,
}

impl Format {
    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "parquet" => Some(Format::Parquet),
            "csv" => Some(Format::Csv),
            "ndjson" => Some(Format::Ndjson),
            _ => None,
        }
    }
}

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportRequest {
    pub tenant: String,
    /// Records that started (and log rows whose instant is) at or after this...
    pub from: Ticks,
    /// ...and before this.
    pub to: Ticks,
    pub tables: Vec<Table>,
    pub format: Format,
    /// False: scrub personal data and leave the personal columns out.
    pub personal_data: bool,
    /// Export only what changed since the last run into the same folder.
    pub since_last: bool,
}

/// What an export wrote.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct ExportSummary {
    pub records: u64,
    pub log_rows: u64,
    /// Rows written per table.
    pub rows: BTreeMap<&'static str, u64>,
    pub files: u64,
    pub bytes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Encode(#[from] EncodeError),
    #[error("{0}")]
    Invalid(String),
    /// The client of an export over HTTP stopped reading.
    #[error("the client closed the connection")]
    Gone,
}

impl From<std::io::Error> for ExportError {
    fn from(e: std::io::Error) -> Self {
        ExportError::Encode(EncodeError::Io(e))
    }
}

/// The watermark `since_last` keeps in the output folder.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
struct Watermark {
    tenant: String,
    /// How many runs wrote into the folder.
    run: u32,
    /// The latest `lastModifiedDateTime` of an exported record.
    last_modified: Option<i64>,
    /// Per log kind, the position of the last exported row.
    logs: BTreeMap<String, (i64, i64)>,
}

const WATERMARK: &str = ".callrec-export.json";

/// The columns a file of a table holds, and where their cells are in the table's rows.
struct Layout {
    columns: Vec<&'static Column>,
    keep: Vec<usize>,
}

impl Layout {
    fn of(table: Table, personal_data: bool) -> Layout {
        let (keep, columns) = table
            .columns()
            .iter()
            .enumerate()
            .filter(|(_, c)| personal_data || !c.personal)
            .unzip();
        Layout { columns, keep }
    }
}

/// Where the files of each table go, and the files open now.
struct Output<'a> {
    dir: &'a Path,
    format: Format,
    personal_data: bool,
    /// `run-N-` when runs accumulate in the folder.
    run: Option<u32>,
    open: HashMap<Table, (Ticks, Encoder<BufWriter<File>>, Layout)>,
    parts: HashMap<(Table, Ticks), u32>,
    ndjson: HashMap<Table, BufWriter<File>>,
    summary: ExportSummary,
    progress: &'a (dyn Fn(u64) + Sync),
}

impl Output<'_> {
    fn file(&mut self, path: PathBuf) -> Result<BufWriter<File>, ExportError> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        self.summary.files += 1;
        Ok(BufWriter::new(File::create(path)?))
    }

    fn suffix(&self) -> String {
        self.run.map(|r| format!(".run-{r}")).unwrap_or_default()
    }

    /// Opens the CSV file of every table at once, so an empty table still has its header row.
    fn start(&mut self, tables: &[Table]) -> Result<(), ExportError> {
        for &table in tables {
            match self.format {
                Format::Csv => {
                    let layout = Layout::of(table, self.personal_data);
                    let path = self
                        .dir
                        .join(format!("{}{}.csv", table.name(), self.suffix()));
                    let out = self.file(path)?;
                    let encoder = Encoder::csv(out, &layout.columns)?;
                    self.open.insert(table, (Ticks(0), encoder, layout));
                }
                Format::Ndjson if table == Table::CallRecords || table.log_kind().is_some() => {
                    let path = self
                        .dir
                        .join(format!("{}{}.ndjson", table.name(), self.suffix()));
                    let out = self.file(path)?;
                    self.ndjson.insert(table, out);
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn write_rows(&mut self, table: Table, rows: Vec<Row>) -> Result<(), ExportError> {
        match self.format {
            Format::Ndjson => Ok(()),
            Format::Csv => {
                let (_, encoder, layout) = self
                    .open
                    .get_mut(&table)
                    .expect("CSV files are opened at the start");
                Ok(encoder.write(rows, &layout.keep, &layout.columns)?)
            }
            Format::Parquet => {
                // Rows come in start order, so a day's rows are together; a day seen again gets a new part.
                let mut rows = rows;
                while let Some(first) = rows.first() {
                    let day = first.day;
                    let end = rows.iter().position(|r| r.day != day).unwrap_or(rows.len());
                    let rest = rows.split_off(end);
                    let day_rows = std::mem::replace(&mut rows, rest);
                    if self.open.get(&table).is_none_or(|(d, _, _)| *d != day) {
                        self.close(table)?;
                        let layout = Layout::of(table, self.personal_data);
                        let part = self.parts.entry((table, day)).or_default();
                        let name = match self.run {
                            Some(r) => format!("part-run-{r}-{part}.parquet"),
                            None => format!("part-{part}.parquet"),
                        };
                        *part += 1;
                        let path = self
                            .dir
                            .join(table.name())
                            .join(format!("call_date={}", &day.to_string()[..10]))
                            .join(name);
                        let out = self.file(path)?;
                        let encoder = Encoder::parquet(out, &layout.columns)?;
                        self.open.insert(table, (day, encoder, layout));
                    }
                    let (_, encoder, layout) = self.open.get_mut(&table).expect("opened above");
                    encoder.write(day_rows, &layout.keep, &layout.columns)?;
                }
                Ok(())
            }
        }
    }

    fn write_line(&mut self, table: Table, value: &Value) -> Result<(), ExportError> {
        if let Some(out) = self.ndjson.get_mut(&table) {
            serde_json::to_writer(&mut *out, value).map_err(std::io::Error::from)?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn close(&mut self, table: Table) -> Result<(), ExportError> {
        if let Some((_, encoder, layout)) = self.open.remove(&table) {
            let out = encoder.finish(&layout.keep, &layout.columns)?;
            out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        }
        Ok(())
    }

    fn finish(mut self) -> Result<ExportSummary, ExportError> {
        let open: Vec<Table> = self.open.keys().copied().collect();
        for table in open {
            self.close(table)?;
        }
        for (_, mut out) in self.ndjson.drain() {
            out.flush()?;
        }
        self.summary.bytes = folder_bytes(self.dir);
        Ok(self.summary)
    }
}

impl Sink for Output<'_> {
    fn rows(&mut self, table: Table, rows: Vec<Row>) -> Result<(), ExportError> {
        self.write_rows(table, rows)
    }

    fn line(&mut self, table: Table, value: &Value) -> Result<(), ExportError> {
        self.write_line(table, value)
    }

    async fn page_read(&mut self, seen: u64) -> Result<(), ExportError> {
        (self.progress)(seen);
        Ok(())
    }
}

fn folder_bytes(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => folder_bytes(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

/// A day (`2025-01-31`, midnight UTC) or an instant (`2025-01-31T08:00:00Z`), as an export's range ends.
pub fn parse_instant(s: &str) -> Result<Ticks, String> {
    callrec_model::edm::parse_date_time_offset(s)
        .or_else(|_| callrec_model::edm::parse_date(s))
        .map_err(|_| {
            format!("'{s}' is not a date (2025-01-31) or an instant (2025-01-31T08:00:00Z)")
        })
}

/// The number of records an export of this request reads, for a progress bar.
pub async fn count_records(store: &dyn Store, request: &ExportRequest) -> Result<u64, StoreError> {
    crate::storage::count_records(store, &request.tenant, Some(range_filter(request, None))).await
}

fn range_filter(request: &ExportRequest, modified_after: Option<i64>) -> RecordFilter {
    let mut parts = vec![
        RecordFilter::Time {
            field: TimeField::StartDateTime,
            op: CmpOp::Ge,
            value: request.from,
        },
        RecordFilter::Time {
            field: TimeField::StartDateTime,
            op: CmpOp::Lt,
            value: request.to,
        },
    ];
    if let Some(after) = modified_after {
        parts.push(RecordFilter::Time {
            field: TimeField::LastModifiedDateTime,
            op: CmpOp::Gt,
            value: Ticks(after),
        });
    }
    RecordFilter::And(parts)
}

/// Checks a request before anything is read or written.
pub fn check(request: &ExportRequest) -> Result<(), ExportError> {
    if request.from >= request.to {
        return Err(ExportError::Invalid(format!(
            "from ({}) must be before to ({})",
            request.from, request.to
        )));
    }
    if request.tables.is_empty() {
        return Err(ExportError::Invalid("no table to export".into()));
    }
    if request.format == Format::Ndjson
        && let Some(t) = request
            .tables
            .iter()
            .find(|t| **t != Table::CallRecords && t.log_kind().is_none())
    {
        return Err(ExportError::Invalid(format!(
            "NDJSON is the archive form: whole call records (call_records) and log rows; {} is a part of \
             call_records, export it as parquet or csv",
            t.name()
        )));
    }
    Ok(())
}

/// Writes an export into `dir`; `progress` hears the number of records and log rows read so far.
pub async fn export_to_dir(
    store: &dyn Store,
    request: &ExportRequest,
    dir: &Path,
    progress: &(dyn Fn(u64) + Sync),
) -> Result<ExportSummary, ExportError> {
    check(request)?;
    std::fs::create_dir_all(dir)?;
    let mark_path = dir.join(WATERMARK);
    let mut mark = if request.since_last && mark_path.exists() {
        let text = std::fs::read(&mark_path)?;
        let mark: Watermark = serde_json::from_slice(&text).map_err(|e| {
            ExportError::Invalid(format!("{} is not a watermark: {e}", mark_path.display()))
        })?;
        if mark.tenant != request.tenant {
            return Err(ExportError::Invalid(format!(
                "{} holds an export of tenant {}, not {}",
                dir.display(),
                mark.tenant,
                request.tenant
            )));
        }
        mark
    } else {
        Watermark {
            tenant: request.tenant.clone(),
            ..Watermark::default()
        }
    };
    mark.run += 1;
    let mut out = Output {
        dir,
        format: request.format,
        personal_data: request.personal_data,
        run: request.since_last.then_some(mark.run),
        open: HashMap::new(),
        parts: HashMap::new(),
        ndjson: HashMap::new(),
        summary: ExportSummary::default(),
        progress,
    };
    out.start(&request.tables)?;
    let read = read(store, request, &mut mark, &mut out).await?;
    let mut summary = out.finish()?;
    summary.records = read.records;
    summary.log_rows = read.log_rows;
    summary.rows = read.rows;
    if request.since_last {
        let text = serde_json::to_vec_pretty(&mark).map_err(std::io::Error::from)?;
        std::fs::write(&mark_path, text)?;
    }
    Ok(summary)
}

/// Where an export's rows go: the files of a folder ([`Output`]) or one HTTP body ([`stream`]).
trait Sink {
    /// Rows of a tabular table (Parquet, CSV).
    fn rows(&mut self, table: Table, rows: Vec<Row>) -> Result<(), ExportError>;
    /// A whole record or log row, for the NDJSON archive.
    fn line(&mut self, table: Table, value: &Value) -> Result<(), ExportError>;
    /// After each page, with the number of records and log rows read so far.
    async fn page_read(&mut self, seen: u64) -> Result<(), ExportError>;
}

/// What [`read`] passed to its sink.
#[derive(Default)]
struct Read {
    records: u64,
    log_rows: u64,
    rows: BTreeMap<&'static str, u64>,
}

/// Reads what `request` asks for, one page at a time, into `sink`; moves the watermark past it.
async fn read(
    store: &dyn Store,
    request: &ExportRequest,
    mark: &mut Watermark,
    sink: &mut impl Sink,
) -> Result<Read, ExportError> {
    let mut read = Read::default();
    let mut seen = 0u64;
    let record_tables: Vec<Table> = RECORD_TABLES
        .into_iter()
        .filter(|t| request.tables.contains(t))
        .collect();
    if !record_tables.is_empty() {
        let mut query = ListQuery {
            filter: Some(range_filter(request, mark.last_modified)),
            order: RecordOrder::default(),
            after: None,
            limit: PAGE,
            count: false,
        };
        loop {
            let page = store.list_records(&request.tenant, &query).await?;
            let mut fetched = Vec::with_capacity(page.items.len());
            for row in page.items.iter() {
                if let Some(children) = crate::whole::children(store, &request.tenant, row).await? {
                    fetched.push((row.clone(), children));
                }
            }
            seen += page.items.len() as u64;
            // The JSON work (reassembly, scrubbing, quality, flattening) on both cores, in input order.
            let half = fetched.len().div_ceil(2).max(1);
            let mut halves = Vec::new();
            while !fetched.is_empty() {
                let rest = fetched.split_off(half.min(fetched.len()));
                let part = std::mem::replace(&mut fetched, rest);
                let (format, personal_data, tables) =
                    (request.format, request.personal_data, record_tables.clone());
                halves.push(tokio::task::spawn_blocking(move || {
                    cut_records(part, format, personal_data, &tables)
                }));
            }
            for half in halves {
                let cut = half
                    .await
                    .map_err(|e| ExportError::Invalid(format!("an export task failed: {e}")))??;
                if let Some(m) = cut.last_modified {
                    mark.last_modified = Some(mark.last_modified.map_or(m, |w| w.max(m)));
                }
                read.records += cut.records;
                for line in &cut.lines {
                    sink.line(Table::CallRecords, line)?;
                }
                if request.format == Format::Ndjson {
                    *read.rows.entry(Table::CallRecords.name()).or_default() +=
                        cut.lines.len() as u64;
                }
                let mut rows = cut.rows;
                for &table in &record_tables {
                    let rows = rows.take(table);
                    if request.format != Format::Ndjson {
                        *read.rows.entry(table.name()).or_default() += rows.len() as u64;
                    }
                    sink.rows(table, rows)?;
                }
            }
            sink.page_read(seen).await?;
            match page.next {
                Some(next) => query.after = Some(next),
                None => break,
            }
        }
    }

    for table in request.tables.iter().copied() {
        let Some(kind) = table.log_kind() else {
            continue;
        };
        let start = match mark.logs.get(kind.flag()) {
            Some(&(time, seq)) => LogStart::After(LogCursor {
                time: Ticks(time),
                seq,
            }),
            None => LogStart::Offset(0),
        };
        let mut query = LogQuery {
            kind,
            from: request.from,
            to: request.to,
            to_inclusive: false,
            filter: None,
            start,
            limit: PAGE,
        };
        loop {
            let page = store.list_log_rows(&request.tenant, &query).await?;
            let Some(last) = page.rows.last().map(|r| r.cursor) else {
                break;
            };
            let mut rows = Rows::default();
            for row in &page.rows {
                let mut body: Map<String, Value> =
                    serde_json::from_slice(&row.body).map_err(|e| {
                        StoreError::Backend(format!("a stored log row is not JSON: {e}"))
                    })?;
                if !request.personal_data {
                    callrec_model::scrub::scrub_log_row(&mut body);
                }
                if request.format == Format::Ndjson {
                    sink.line(table, &archive_row(kind, body))?;
                } else {
                    tables::flatten_log_row(table, kind, &body, &mut rows);
                }
            }
            let rows = rows.take(table);
            let written = if request.format == Format::Ndjson {
                page.rows.len()
            } else {
                rows.len()
            };
            *read.rows.entry(table.name()).or_default() += written as u64;
            sink.rows(table, rows)?;
            read.log_rows += page.rows.len() as u64;
            seen += page.rows.len() as u64;
            sink.page_read(seen).await?;
            mark.logs
                .insert(kind.flag().to_owned(), (last.time.0, last.seq));
            if !page.more {
                break;
            }
            query.start = LogStart::After(last);
        }
    }
    Ok(read)
}

/// What [`cut_records`] made of some records of a page.
struct Cut {
    records: u64,
    /// The whole records, for the NDJSON archive.
    lines: Vec<Value>,
    rows: Rows,
    last_modified: Option<i64>,
}

/// Reassembles stored records, scrubs them when asked, and cuts them into table rows (or archive lines).
fn cut_records(
    fetched: Vec<(RecordRow, crate::whole::Children)>,
    format: Format,
    personal_data: bool,
    tables: &[Table],
) -> Result<Cut, ExportError> {
    let mut cut = Cut {
        records: 0,
        lines: Vec::new(),
        rows: Rows::default(),
        last_modified: None,
    };
    for (row, (sessions, participants)) in fetched {
        let mut record = crate::whole::assemble(&row, &sessions, &participants)?;
        if !personal_data {
            crate::scrubbing::scrub_record_json(&mut record);
        }
        if let Some(Value::String(m)) = record.get("lastModifiedDateTime")
            && let Ok(m) = callrec_model::edm::parse_date_time_offset(m)
        {
            cut.last_modified = Some(cut.last_modified.map_or(m.0, |w| w.max(m.0)));
        }
        if format == Format::Ndjson {
            cut.lines.push(Value::Object(record));
        } else {
            let q = quality::streams::record_quality(&record, quality::thresholds());
            tables::flatten_record(&record, &q, tables, &mut cut.rows);
        }
        cut.records += 1;
    }
    Ok(cut)
}

/// A log row as ingestion takes it back: its body with the `@odata.type` that names its kind (which
/// ingestion drops again, so the stored body comes out the same).
fn archive_row(kind: LogKind, body: Map<String, Value>) -> Value {
    let mut typed = Map::with_capacity(body.len() + 1);
    typed.insert(
        "@odata.type".into(),
        Value::String(format!("#{}", kind.type_name())),
    );
    typed.extend(body);
    Value::Object(typed)
}

#[cfg(test)]
mod tests;
