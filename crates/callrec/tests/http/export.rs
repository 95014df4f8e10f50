//! `GET /callrec/export/{table}` over real HTTP: every format read back with as many rows as the Graph
//! routes serve, the NDJSON archive imported into a second server gives back the same records, personal
//! columns left out on request, each malformed query refused by name, and a tenant's token exporting its
//! own tenant only, with the permission of what the table holds.

use std::collections::BTreeMap;
use std::io::Read;

use bytes::Bytes;
use callrec::auth::{CALL_RECORDS_READ, PSTN_CALLS_READ};
use callrec::generate::{Generator, GeneratorConfig};
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use serde_json::Value;

use crate::auth::{claims, rs256, secured};
use crate::support::{TestServer, without_annotations};

const RANGE: &str = "from=2025-01-01&to=2025-02-01";

/// Records (and their log rows) of a generated organization over January 2025.
fn fill(server: &TestServer, records: u64, seed: u64) -> Vec<Value> {
    let generator = Generator::new(GeneratorConfig {
        records,
        seed,
        days: 30,
        ..GeneratorConfig::default()
    });
    let made: Vec<Value> = (0..records)
        .map(|i| Value::Object(generator.record(i)))
        .collect();
    server.ingest_bulk(&made);
    let mut logs: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for i in 0..records {
        for row in generator.log_rows(i) {
            let kind = row["@odata.type"].as_str().unwrap().to_owned();
            logs.entry(kind).or_default().push(row);
        }
    }
    for rows in logs.values() {
        server.ingest_bulk(rows);
    }
    made
}

/// The body of a GET, as bytes (Parquet is not text), with its status and content type.
fn fetch(server: &TestServer, path: &str, token: Option<&str>) -> (u16, String, Vec<u8>) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut request = agent.get(&server.url(path));
    if let Some(token) = token {
        request = request.header("authorization", &format!("Bearer {token}"));
    }
    let mut response = request.call().expect("GET");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let mut body = Vec::new();
    response
        .body_mut()
        .with_config()
        .limit(u64::MAX)
        .reader()
        .read_to_end(&mut body)
        .expect("read the body");
    (status, content_type, body)
}

/// Every record the Graph routes serve in January, each read with its sessions and segments.
fn served(server: &TestServer) -> Vec<Value> {
    let mut ids = Vec::new();
    let mut next = Some(
        "/v1.0/communications/callRecords?$filter=startDateTime%20ge%202025-01-01T00:00:00Z%20and%20\
         startDateTime%20lt%202025-02-01T00:00:00Z&$select=id"
            .to_owned(),
    );
    while let Some(url) = next {
        let page = server.get(&url).json();
        assert!(page["value"].is_array(), "{url}: {page}");
        ids.extend(
            page["value"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["id"].as_str().unwrap().to_owned()),
        );
        next = page["@odata.nextLink"].as_str().map(str::to_owned);
    }
    ids.iter()
        .map(|id| {
            server
                .get(&format!(
                    "/v1.0/communications/callRecords/{id}?$expand=sessions($expand=segments)"
                ))
                .json()
        })
        .collect()
}

fn streams_of(record: &Value) -> usize {
    record["sessions"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| s["segments"].as_array().into_iter().flatten())
        .flat_map(|g| g["media"].as_array().into_iter().flatten())
        .map(|m| m["streams"].as_array().map_or(0, Vec::len))
        .sum()
}

fn parquet_rows(body: Vec<u8>) -> (usize, Vec<String>) {
    let reader = ParquetRecordBatchReaderBuilder::try_new(Bytes::from(body))
        .expect("a Parquet file")
        .build()
        .expect("a reader");
    let mut rows = 0;
    let mut columns = Vec::new();
    for batch in reader {
        let batch = batch.expect("a batch");
        rows += batch.num_rows();
        columns = batch
            .schema()
            .fields()
            .iter()
            .map(|f| f.name().clone())
            .collect();
    }
    (rows, columns)
}

#[test]
fn each_format_holds_the_rows_the_api_serves() {
    let server = TestServer::start();
    fill(&server, 40, 3);
    let records = served(&server);
    assert!(!records.is_empty());
    let streams: usize = records.iter().map(streams_of).sum();
    let sessions: usize = records
        .iter()
        .map(|r| r["sessions"].as_array().map_or(0, Vec::len))
        .sum();
    assert!(streams > 0, "the generated records carry streams");

    let (status, content_type, body) = fetch(
        &server,
        &format!("/callrec/export/media_streams?{RANGE}&format=parquet"),
        None,
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&body));
    assert_eq!(content_type, "application/vnd.apache.parquet");
    let (rows, columns) = parquet_rows(body);
    assert_eq!(rows, streams, "media_streams rows");
    assert!(
        columns.iter().any(|c| c == "average_jitter_ms"),
        "{columns:?}"
    );

    let (status, content_type, body) = fetch(
        &server,
        &format!("/callrec/export/sessions?{RANGE}&format=csv"),
        None,
    );
    assert_eq!(status, 200);
    assert_eq!(content_type, "text/csv; charset=utf-8");
    let text = String::from_utf8(body).unwrap();
    assert_eq!(
        text.lines().count(),
        sessions + 1,
        "a header row and a row a session"
    );

    // CSV is the default format.
    let (_, content_type, _) = fetch(&server, &format!("/callrec/export/segments?{RANGE}"), None);
    assert_eq!(content_type, "text/csv; charset=utf-8");

    // The log tables hold the rows the log functions serve.
    let pstn = server
        .get(
            "/v1.0/communications/callRecords/getPstnCalls(fromDateTime=2025-01-01T00:00:00Z,\
             toDateTime=2025-02-01T00:00:00Z)",
        )
        .json();
    let served_rows = pstn["value"].as_array().unwrap().len();
    let (status, _, body) = fetch(
        &server,
        &format!("/callrec/export/pstn_calls?{RANGE}&format=parquet"),
        None,
    );
    assert_eq!(status, 200);
    assert_eq!(parquet_rows(body).0, served_rows, "pstn_calls rows");
}

#[test]
fn the_ndjson_archive_imports_back_into_the_same_records() {
    let first = TestServer::start();
    fill(&first, 25, 5);
    let (status, content_type, body) = fetch(
        &first,
        &format!("/callrec/export/call_records?{RANGE}&format=ndjson"),
        None,
    );
    assert_eq!(status, 200);
    assert_eq!(content_type, "application/x-ndjson");
    let lines: Vec<Value> = String::from_utf8(body)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let before = served(&first);
    assert_eq!(lines.len(), before.len());

    let second = TestServer::start();
    second.ingest_bulk(&lines);
    let after = served(&second);
    let by_id = |records: &[Value]| -> BTreeMap<String, Value> {
        records
            .iter()
            .map(|r| (r["id"].as_str().unwrap().to_owned(), without_annotations(r)))
            .collect()
    };
    assert_eq!(by_id(&before), by_id(&after));
}

#[test]
fn personal_columns_are_left_out_on_request() {
    let server = TestServer::start();
    fill(&server, 10, 7);
    let header = |query: &str| {
        let (status, _, body) = fetch(
            &server,
            &format!("/callrec/export/segments?{RANGE}&format=csv{query}"),
            None,
        );
        assert_eq!(status, 200);
        let text = String::from_utf8(body).unwrap();
        text.lines().next().unwrap().to_owned()
    };
    let all = header("");
    let kept = header("&personalData=false");
    assert!(all.contains("caller_display_name"), "{all}");
    assert!(!kept.contains("caller_display_name"), "{kept}");
    assert!(!kept.contains("caller_ip_address"), "{kept}");
    assert!(kept.contains("caller_platform"), "{kept}");
}

#[test]
fn malformed_queries_are_refused_by_name() {
    let server = TestServer::start();
    let check = |path: &str, names: &str| {
        let reply = server.get(path);
        let message = reply.assert_error(400, "BadRequest");
        assert!(message.contains(names), "{path}: {message}");
    };
    check(
        &format!("/callrec/export/calls?{RANGE}"),
        "'calls' is not an export table",
    );
    check("/callrec/export/sessions?to=2025-02-01", "from=");
    check("/callrec/export/sessions?from=2025-01-01", "to=");
    check(
        "/callrec/export/sessions?from=yesterday&to=2025-02-01",
        "'yesterday' is not a date",
    );
    check(
        &format!("/callrec/export/sessions?{RANGE}&format=xlsx"),
        "'xlsx'",
    );
    check(
        &format!("/callrec/export/sessions?{RANGE}&limit=5"),
        "'limit'",
    );
    check(
        &format!("/callrec/export/sessions?{RANGE}&personalData=no"),
        "personalData",
    );
    check(
        "/callrec/export/sessions?from=2025-02-01&to=2025-01-01",
        "must be before",
    );
    check(
        &format!("/callrec/export/sessions?{RANGE}&format=ndjson"),
        "NDJSON is the archive form",
    );
}

#[test]
fn a_token_exports_its_own_tenant_with_the_tables_permission() {
    let server = secured(|_| {});
    let a = rs256(&claims("tenant-a", &[CALL_RECORDS_READ]));
    let b = rs256(&claims("tenant-b", &[CALL_RECORDS_READ]));
    let logs_only = rs256(&claims("tenant-a", &[PSTN_CALLS_READ]));
    let write = rs256(&claims("tenant-a", &["CallRecords.ReadWrite.All"]));
    let record = crate::support::record("export-a-1", "2025-01-10T10:00:00Z", 2, 2);
    let reply = server.send(
        "POST",
        "/v1.0/communications/callRecords",
        &record.to_string(),
        &[("authorization", &format!("Bearer {write}"))],
    );
    assert!(reply.status < 300, "{}", reply.text);

    let sessions = |token: &str| {
        let (status, _, body) = fetch(
            &server,
            &format!("/callrec/export/sessions?{RANGE}"),
            Some(token),
        );
        (status, String::from_utf8_lossy(&body).lines().count())
    };
    assert_eq!(sessions(&a), (200, 3), "tenant A sees its two sessions");
    assert_eq!(sessions(&b), (200, 1), "tenant B sees only the header row");
    // The log permission opens the log tables, not the records.
    assert_eq!(sessions(&logs_only).0, 403);
    let (status, _, _) = fetch(
        &server,
        &format!("/callrec/export/pstn_calls?{RANGE}"),
        Some(&logs_only),
    );
    assert_eq!(status, 200);
    // No token, no export.
    assert_eq!(
        fetch(&server, &format!("/callrec/export/sessions?{RANGE}"), None).0,
        401
    );
}

/// Runs the real binary; panics with its standard error when it fails.
fn callrec(args: &[&str]) -> String {
    let out = crate::support::run_callrec(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "callrec {args:?}: {stderr}");
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn since_last_exports_only_what_is_new_into_new_files() {
    let dir = tempfile::tempdir().unwrap();
    let store = format!("sqlite:{}", dir.path().join("s.db").display());
    let out = dir.path().join("nightly");
    let out = out.to_str().unwrap();
    let tenant = "dc368399-474c-4d40-900c-6265431fd81f";
    let generate = |records: &str, seed: &str, start: &str| {
        callrec(&[
            "generate",
            "--records",
            records,
            "--seed",
            seed,
            "--start",
            start,
            "--days",
            "5",
            "--store",
            &store,
        ]);
    };
    let export = || {
        callrec(&[
            "export",
            "--store",
            &store,
            "--tenant",
            tenant,
            "--from",
            "2025-01-01",
            "--to",
            "2025-02-01",
            "--format",
            "csv",
            "--tables",
            "call_records,sessions",
            "--out",
            out,
            "--since-last",
        ])
    };
    let records_in = |summary: &str| -> u64 {
        let (_, rest) = summary.split_once(": ").expect(summary);
        rest.split(' ').next().unwrap().parse().expect(summary)
    };
    let lines = |name: &str| {
        std::fs::read_to_string(dir.path().join("nightly").join(name))
            .unwrap()
            .lines()
            .count()
    };

    generate("30", "1", "2025-01-01");
    let first = export();
    assert_eq!(records_in(&first), 30, "{first}");
    assert_eq!(lines("call_records.run-1.csv"), 31);

    // Nothing new: a run that writes headers only.
    let second = export();
    assert_eq!(records_in(&second), 0, "{second}");
    assert_eq!(lines("call_records.run-2.csv"), 1);

    // Calls of later days arrive: the next run holds them and nothing else.
    generate("12", "2", "2025-01-20");
    let third = export();
    assert_eq!(records_in(&third), 12, "{third}");
    assert_eq!(lines("call_records.run-3.csv"), 13);
    let ids = |name: &str| -> std::collections::BTreeSet<String> {
        std::fs::read_to_string(dir.path().join("nightly").join(name))
            .unwrap()
            .lines()
            .skip(1)
            .map(|l| l.split(',').next().unwrap().to_owned())
            .collect()
    };
    assert!(ids("call_records.run-1.csv").is_disjoint(&ids("call_records.run-3.csv")));

    // The watermark belongs to its tenant: another tenant's export into the folder is refused.
    let refused = crate::support::run_callrec(&[
        "export",
        "--store",
        &store,
        "--tenant",
        "another",
        "--from",
        "2025-01-01",
        "--to",
        "2025-02-01",
        "--format",
        "csv",
        "--out",
        out,
        "--since-last",
    ]);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("holds an export of tenant"), "{stderr}");
}
