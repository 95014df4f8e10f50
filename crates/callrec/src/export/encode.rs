//! The tabular formats: rows of a table written as CSV (a header row, RFC 4180 quoting) or as Parquet
//! through Apache Arrow (typed columns, zstd-compressed, a row group every [`ROW_GROUP`] rows so memory
//! stays bounded however many rows pass).

use std::io::Write;
use std::sync::Arc;

use arrow_array::builder::{
    BooleanBuilder, Float64Builder, Int64Builder, StringBuilder, TimestampMicrosecondBuilder,
};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::properties::WriterProperties;

use super::columns::{Cell, Column, Kind};
use super::tables::Row;

/// Rows per Parquet row group (and per Arrow batch).
pub const ROW_GROUP: usize = 16_384;

/// Why a file could not be written.
#[derive(Debug, thiserror::Error)]
pub enum EncodeError {
    #[error("cannot write: {0}")]
    Io(#[from] std::io::Error),
    #[error("cannot write Parquet: {0}")]
    Parquet(#[from] parquet::errors::ParquetError),
    #[error("cannot build an Arrow batch: {0}")]
    Arrow(#[from] arrow_schema::ArrowError),
}

/// The Arrow type of a column's cells.
pub fn arrow_type(kind: Kind) -> DataType {
    match kind {
        Kind::Text => DataType::Utf8,
        Kind::Int => DataType::Int64,
        Kind::Float | Kind::Millis => DataType::Float64,
        Kind::Bool => DataType::Boolean,
        Kind::Time => DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
    }
}

/// A table's columns as an Arrow schema (every column nullable).
pub fn arrow_schema(columns: &[&Column]) -> Arc<Schema> {
    Arc::new(Schema::new(
        columns
            .iter()
            .map(|c| Field::new(&c.name, arrow_type(c.kind), true))
            .collect::<Vec<_>>(),
    ))
}

/// The writer of one file of one table.
pub enum Encoder<W: Write + Send> {
    Csv(W),
    Parquet {
        writer: Box<ArrowWriter<W>>,
        pending: Vec<Row>,
    },
}

impl<W: Write + Send> Encoder<W> {
    /// A CSV file: its header row is written at once.
    pub fn csv(mut out: W, columns: &[&Column]) -> Result<Self, EncodeError> {
        let header: Vec<String> = columns.iter().map(|c| csv_field(&c.name)).collect();
        writeln!(out, "{}", header.join(","))?;
        Ok(Encoder::Csv(out))
    }

    pub fn parquet(out: W, columns: &[&Column]) -> Result<Self, EncodeError> {
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::try_new(3)?))
            .set_max_row_group_row_count(Some(ROW_GROUP))
            .build();
        let writer = ArrowWriter::try_new(out, arrow_schema(columns), Some(props))?;
        Ok(Encoder::Parquet {
            writer: Box::new(writer),
            pending: Vec::new(),
        })
    }

    /// Writes rows whose cells are those of the table's columns; `keep` picks the cells of the file's
    /// columns (all of them, or those that are not personal).
    pub fn write(
        &mut self,
        rows: Vec<Row>,
        keep: &[usize],
        columns: &[&Column],
    ) -> Result<(), EncodeError> {
        match self {
            Encoder::Csv(out) => {
                let mut line = String::new();
                for row in rows {
                    line.clear();
                    for (n, &i) in keep.iter().enumerate() {
                        if n > 0 {
                            line.push(',');
                        }
                        csv_cell(&mut line, &row.cells[i]);
                    }
                    line.push('\n');
                    out.write_all(line.as_bytes())?;
                }
                Ok(())
            }
            Encoder::Parquet { writer, pending } => {
                pending.extend(rows);
                while pending.len() >= ROW_GROUP {
                    let rest = pending.split_off(ROW_GROUP);
                    let batch = batch(std::mem::replace(pending, rest), keep, columns)?;
                    writer.write(&batch)?;
                }
                Ok(())
            }
        }
    }

    /// Writes what is pending and the file's footer; returns the writer.
    pub fn finish(self, keep: &[usize], columns: &[&Column]) -> Result<W, EncodeError> {
        match self {
            Encoder::Csv(mut out) => {
                out.flush()?;
                Ok(out)
            }
            Encoder::Parquet {
                mut writer,
                pending,
            } => {
                if !pending.is_empty() {
                    writer.write(&batch(pending, keep, columns)?)?;
                }
                Ok(writer.into_inner()?)
            }
        }
    }
}

/// Rows as an Arrow batch of the kept columns.
fn batch(rows: Vec<Row>, keep: &[usize], columns: &[&Column]) -> Result<RecordBatch, EncodeError> {
    let arrays: Vec<ArrayRef> = keep
        .iter()
        .zip(columns)
        .map(|(&i, column)| -> ArrayRef {
            let cells = rows.iter().map(|r| &r.cells[i]);
            match column.kind {
                Kind::Text => {
                    let mut b = StringBuilder::new();
                    for c in cells {
                        match c {
                            Cell::Text(s) => b.append_value(s),
                            _ => b.append_null(),
                        }
                    }
                    Arc::new(b.finish())
                }
                Kind::Int => {
                    let mut b = Int64Builder::with_capacity(rows.len());
                    for c in cells {
                        b.append_option(match c {
                            Cell::Int(v) => Some(*v),
                            _ => None,
                        });
                    }
                    Arc::new(b.finish())
                }
                Kind::Float | Kind::Millis => {
                    let mut b = Float64Builder::with_capacity(rows.len());
                    for c in cells {
                        b.append_option(match c {
                            Cell::Float(v) => Some(*v),
                            Cell::Int(v) => Some(*v as f64),
                            _ => None,
                        });
                    }
                    Arc::new(b.finish())
                }
                Kind::Bool => {
                    let mut b = BooleanBuilder::with_capacity(rows.len());
                    for c in cells {
                        b.append_option(match c {
                            Cell::Bool(v) => Some(*v),
                            _ => None,
                        });
                    }
                    Arc::new(b.finish())
                }
                Kind::Time => {
                    let mut b =
                        TimestampMicrosecondBuilder::with_capacity(rows.len()).with_timezone("UTC");
                    for c in cells {
                        b.append_option(match c {
                            Cell::Time(t) => Some(t.0.div_euclid(10)),
                            _ => None,
                        });
                    }
                    Arc::new(b.finish())
                }
            }
        })
        .collect();
    Ok(RecordBatch::try_new(arrow_schema(columns), arrays)?)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

fn csv_cell(line: &mut String, cell: &Cell) {
    use std::fmt::Write as _;
    match cell {
        Cell::Null => {}
        Cell::Text(s) => line.push_str(&csv_field(s)),
        Cell::Int(v) => {
            let _ = write!(line, "{v}");
        }
        Cell::Float(v) => {
            let _ = write!(line, "{v}");
        }
        Cell::Bool(v) => line.push_str(if *v { "true" } else { "false" }),
        Cell::Time(t) => {
            let _ = write!(line, "{t}");
        }
    }
}
