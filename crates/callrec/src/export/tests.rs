//! Exports of real SQLite stores: the NDJSON archive imported into an empty store gives back the same
//! records, the Parquet and CSV files read back with as many rows as the store holds, and the columns of
//! `media_streams` are the CSDL's `mediaStream` properties, typed as the schema types them.

use std::path::Path;

use callrec_model::prepare::prepare;
use callrec_store::Store;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use super::columns::{Kind, column_name};
use super::encode::arrow_type;
use super::tables::{Table, media_stream_type};
use super::*;
use crate::generate::{Generator, GeneratorConfig};

const TENANT: &str = "t1";

async fn store_with(dir: &Path, name: &str, records: u64) -> std::sync::Arc<dyn Store> {
    let store = crate::storage::open(&format!("sqlite:{}", dir.join(name).display()))
        .await
        .unwrap();
    let generator = Generator::new(GeneratorConfig {
        records,
        days: 5,
        ..GeneratorConfig::default()
    });
    let prepared = (0..records).map(|i| prepare(generator.record(i))).collect();
    store
        .put_records(
            TENANT,
            prepared,
            callrec_store::WriteCondition::NewerVersion,
        )
        .await
        .unwrap();
    store
}

async fn whole(store: &dyn Store, id: &str) -> serde_json::Map<String, serde_json::Value> {
    let row = store.get_record(TENANT, id).await.unwrap().unwrap();
    crate::whole::whole_json(store, TENANT, &row)
        .await
        .unwrap()
        .unwrap()
}

fn request(format: Format, tables: Vec<Table>) -> ExportRequest {
    ExportRequest {
        tenant: TENANT.into(),
        from: callrec_model::edm::parse_date("2024-12-01").unwrap(),
        to: callrec_model::edm::parse_date("2025-03-01").unwrap(),
        tables,
        format,
        personal_data: true,
        since_last: false,
    }
}

fn parquet_rows(dir: &Path) -> (u64, Vec<arrow_schema::SchemaRef>) {
    let mut rows = 0;
    let mut schemas = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            let (n, s) = parquet_rows(&path);
            rows += n;
            schemas.extend(s);
        } else if path.extension().is_some_and(|e| e == "parquet") {
            let builder =
                ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&path).unwrap())
                    .unwrap();
            schemas.push(builder.schema().clone());
            for batch in builder.build().unwrap() {
                rows += batch.unwrap().num_rows() as u64;
            }
        }
    }
    (rows, schemas)
}

#[tokio::test(flavor = "multi_thread")]
async fn ndjson_archive_imports_back_into_the_same_records() {
    let dir = tempfile::tempdir().unwrap();
    let source = store_with(dir.path(), "a.db", 60).await;
    let out = dir.path().join("archive");
    let summary = export_to_dir(
        source.as_ref(),
        &request(Format::Ndjson, vec![Table::CallRecords]),
        &out,
        &|_| {},
    )
    .await
    .unwrap();
    assert_eq!(summary.records, 60);

    let target = crate::storage::open(&format!("sqlite:{}", dir.path().join("b.db").display()))
        .await
        .unwrap();
    let file = std::fs::File::open(out.join("call_records.ndjson")).unwrap();
    let imported = crate::ingest::ingest_any(
        target.clone(),
        TENANT,
        Box::new(std::io::BufReader::new(file)),
        None,
        crate::ingest::IngestOptions::default(),
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!((imported.imported, imported.rejected), (60, 0));

    let generator = Generator::new(GeneratorConfig {
        records: 60,
        days: 5,
        ..GeneratorConfig::default()
    });
    for i in 0..60 {
        let id = generator.record(i)["id"].as_str().unwrap().to_owned();
        let a = whole(source.as_ref(), &id).await;
        let b = whole(target.as_ref(), &id).await;
        assert_eq!(a, b, "record {id}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn parquet_and_csv_hold_every_row_the_store_serves() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(dir.path(), "a.db", 80).await;
    let tables = vec![Table::CallRecords, Table::MediaStreams];
    let parquet = dir.path().join("parquet");
    let p = export_to_dir(
        store.as_ref(),
        &request(Format::Parquet, tables.clone()),
        &parquet,
        &|_| {},
    )
    .await
    .unwrap();
    let csv = dir.path().join("csv");
    let c = export_to_dir(store.as_ref(), &request(Format::Csv, tables), &csv, &|_| {})
        .await
        .unwrap();

    // What the API serves: the records of the range, and the streams inside them.
    let served = count_records(store.as_ref(), &request(Format::Csv, vec![]))
        .await
        .unwrap();
    assert_eq!(served, 80);
    let mut streams = 0u64;
    let generator = Generator::new(GeneratorConfig {
        records: 80,
        days: 5,
        ..GeneratorConfig::default()
    });
    for i in 0..80 {
        let id = generator.record(i)["id"].as_str().unwrap().to_owned();
        let whole = whole(store.as_ref(), &id).await;
        streams += quality::streams::record_quality(&whole, quality::thresholds())
            .streams
            .len() as u64;
    }
    assert!(streams > 80, "{streams}");
    for s in [&p, &c] {
        assert_eq!(s.rows["call_records"], served);
        assert_eq!(s.rows["media_streams"], streams);
    }

    let (rows, _) = parquet_rows(&parquet.join("call_records"));
    assert_eq!(rows, served);
    let (rows, schemas) = parquet_rows(&parquet.join("media_streams"));
    assert_eq!(rows, streams);
    assert!(
        std::fs::read_dir(parquet.join("media_streams"))
            .unwrap()
            .flatten()
            .all(|e| e
                .file_name()
                .to_string_lossy()
                .starts_with("call_date=2025-01-"))
    );

    // Every stream property of the CSDL is a column, typed as the schema types it.
    for schema in &schemas {
        for property in media_stream_type().all_properties() {
            let kind = Kind::of_property(property).expect("mediaStream has only scalar properties");
            let field = schema
                .field_with_name(&column_name(&property.name, kind))
                .unwrap_or_else(|_| panic!("no column for {}", property.name));
            assert_eq!(field.data_type(), &arrow_type(kind), "{}", property.name);
        }
    }

    let text = std::fs::read_to_string(csv.join("media_streams.csv")).unwrap();
    assert_eq!(text.lines().count() as u64, streams + 1);
    let header = text.lines().next().unwrap();
    assert!(header.contains("average_jitter_ms") && header.contains("callee_subnet"));
}

#[tokio::test(flavor = "multi_thread")]
async fn without_personal_data_the_personal_columns_are_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let store = store_with(dir.path(), "a.db", 10).await;
    let out = dir.path().join("csv");
    let mut r = request(Format::Csv, vec![Table::Segments]);
    r.personal_data = false;
    export_to_dir(store.as_ref(), &r, &out, &|_| {})
        .await
        .unwrap();
    let text = std::fs::read_to_string(out.join("segments.csv")).unwrap();
    let header = text.lines().next().unwrap();
    assert!(header.contains("caller_user_id"), "{header}");
    assert!(!header.contains("display_name"), "{header}");
    assert!(!header.contains("ip_address"), "{header}");
}

#[test]
fn ndjson_refuses_a_part_of_a_record() {
    let e = check(&request(Format::Ndjson, vec![Table::Sessions])).unwrap_err();
    assert!(
        e.to_string().contains("sessions is a part of call_records"),
        "{e}"
    );
}
