//! Input that once got through to a 500, a hang or a silent misreading, each answered now with a 4xx in
//! Graph's error shape that says what is wrong: filters longer than the databases take, bodies too
//! large or encoded in ways callrec does not decode, methods a function does not take.
//! On PostgreSQL too when `CALLREC_TEST_POSTGRES` is set (see `support.rs`).

use std::io::Write;
use std::time::Duration;

use serde_json::Value;

use crate::support::{TestServer, record};

const RECORDS: &str = "/v1.0/communications/callRecords";

fn filtered(server: &TestServer, filter: &str) -> crate::support::Reply {
    let encoded: String =
        percent_encoding::utf8_percent_encode(filter, percent_encoding::NON_ALPHANUMERIC)
            .to_string();
    server.get(&format!("{RECORDS}?$filter={encoded}"))
}

#[test]
fn a_filter_of_too_many_conditions_is_a_400_naming_the_limit() {
    let server = TestServer::start();
    server.ingest(&record(
        "5b4e7a0c-0000-4000-8000-000000000001",
        "2024-03-01T10:00:00Z",
        1,
        2,
    ));
    let terms = |n: usize| {
        (0..n)
            .map(|i| format!("version eq {i}"))
            .collect::<Vec<_>>()
            .join(" or ")
    };
    let reply = filtered(&server, &terms(500));
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json()["value"].as_array().map(Vec::len), Some(1));
    for n in [501, 998] {
        let message = filtered(&server, &terms(n)).assert_error(400, "BadRequest");
        assert!(
            message.contains(&format!("the filter has {n} conditions; at most 500")),
            "{message}"
        );
    }
    let and_chain = vec!["version ge 1"; 1200].join(" and ");
    let message = filtered(&server, &and_chain).assert_error(400, "BadRequest");
    assert!(message.contains("at most 500"), "{message}");
}

#[test]
fn an_unquoted_enum_value_is_answered_with_the_quoted_form() {
    let server = TestServer::start();
    let message = filtered(&server, "type eq peerToPeer").assert_error(400, "BadRequest");
    assert!(
        message.contains("write a value in single quotes: type eq 'peerToPeer'"),
        "{message}"
    );
}

#[test]
fn a_function_url_allows_get_only() {
    let server = TestServer::start();
    let url = format!("{RECORDS}/getPstnCalls(fromDateTime=2024-01-01,toDateTime=2024-01-31)");
    for method in ["OPTIONS", "PUT", "DELETE", "POST"] {
        let reply = server.send(method, &url, "", &[]);
        reply.assert_error(405, "MethodNotAllowed");
        assert_eq!(reply.header("allow"), Some("GET,HEAD"), "{method}");
    }
    let reply = server.send("OPTIONS", &format!("{RECORDS}/some-id"), "", &[]);
    assert_eq!(reply.status, 405);
    assert!(
        reply.header("allow").is_some_and(|a| a.contains("PUT")),
        "a record still takes PUT"
    );
}

#[test]
fn a_declared_length_over_the_limit_is_refused_before_the_body_arrives() {
    let server = TestServer::start();
    for path in [RECORDS, "/callrec/import"] {
        let head = format!(
            "POST {path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 300000000\r\n\r\n{{"
        );
        let reply = server
            .raw(head.as_bytes(), Duration::from_secs(10))
            .unwrap_or_else(|| panic!("{path}: no answer before the body came"));
        let message = reply.assert_error(413, "RequestEntityTooLarge");
        assert!(message.contains("300000000"), "{message}");
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).expect("gzip");
    encoder.finish().expect("gzip")
}

#[test]
fn content_encodings_are_decoded_or_refused() {
    let server = TestServer::start();
    let one = record(
        "5b4e7a0c-0000-4000-8000-000000000002",
        "2024-03-01T10:00:00Z",
        2,
        2,
    );
    let text = one.to_string();
    let reply = server.send_bytes(
        "POST",
        RECORDS,
        &gzip(text.as_bytes()),
        &[("content-encoding", "gzip")],
    );
    assert_eq!(reply.status, 201, "a gzip record: {}", reply.text);
    assert_eq!(reply.json()["id"], one["id"]);

    for coding in ["deflate", "br", "x-foo", "gzip, gzip", "compress"] {
        for path in [RECORDS, "/callrec/import", "/callrec/logs"] {
            let reply = server.send_bytes(
                "POST",
                path,
                text.as_bytes(),
                &[("content-encoding", coding)],
            );
            let message = reply.assert_error(415, "UnsupportedMediaType");
            assert!(message.contains("gzip"), "{path} {coding}: {message}");
        }
    }
    let reply = server.send_bytes(
        "POST",
        RECORDS,
        text.as_bytes(),
        &[("content-encoding", "gzip")],
    );
    let message = reply.assert_error(400, "invalidRequest");
    assert!(message.contains("not gzip"), "{message}");
    let reply = server.send_bytes(
        "POST",
        RECORDS,
        text.as_bytes(),
        &[("content-encoding", "identity")],
    );
    assert_eq!(reply.status, 200, "identity is no coding: {}", reply.text);
}

/// A record of about `bytes` bytes: one session whose segment carries a long unknown property.
fn record_of(id: &str, bytes: usize) -> Value {
    let mut one = record(id, "2024-03-01T10:00:00Z", 1, 1);
    one["sessions"][0]["segments"][0]["padding"] = Value::from("x".repeat(bytes));
    one
}

#[test]
fn a_record_over_the_limit_is_refused_with_413() {
    let server = TestServer::start();
    let fits = record_of("5b4e7a0c-0000-4000-8000-000000000003", 7 * 1024 * 1024);
    let reply = server.post(RECORDS, &fits);
    assert_eq!(reply.status, 201, "a 7 MiB record fits");
    let over = record_of("5b4e7a0c-0000-4000-8000-000000000004", 9 * 1024 * 1024);
    let text = over.to_string();
    for (method, path) in [
        ("POST", RECORDS.to_owned()),
        (
            "PUT",
            format!("{RECORDS}/5b4e7a0c-0000-4000-8000-000000000004"),
        ),
    ] {
        let mut request = format!(
            "{method} {path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            text.len()
        )
        .into_bytes();
        request.extend_from_slice(text.as_bytes());
        let reply = server
            .raw(&request, Duration::from_secs(30))
            .expect("an answer");
        let message = reply.assert_error(413, "RequestEntityTooLarge");
        assert!(message.contains("8388608"), "{method}: {message}");
    }
    // Without a Content-Length, the body is cut off at the limit as it streams.
    let chunked = format!(
        "POST {RECORDS} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n"
    );
    let mut request = chunked.into_bytes();
    for piece in text.as_bytes().chunks(1024 * 1024) {
        request.extend_from_slice(format!("{:x}\r\n", piece.len()).as_bytes());
        request.extend_from_slice(piece);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"0\r\n\r\n");
    let reply = server
        .raw(&request, Duration::from_secs(30))
        .expect("an answer");
    reply.assert_error(413, "RequestEntityTooLarge");
    // Decoded, a gzip body counts what it decodes to.
    let reply = server.send_bytes(
        "POST",
        RECORDS,
        &gzip(text.as_bytes()),
        &[("content-encoding", "gzip")],
    );
    let message = reply.assert_error(413, "RequestEntityTooLarge");
    assert!(message.contains("decodes to more"), "{message}");
}

/// Reads one response with a `content-length` from this connection; `None` when the server closed it.
fn next_response(stream: &mut std::net::TcpStream) -> Option<(u16, String)> {
    use std::io::Read;
    let mut received = Vec::new();
    let mut byte = [0u8; 1];
    while !received.ends_with(b"\r\n\r\n") {
        match stream.read(&mut byte) {
            Ok(1) => received.push(byte[0]),
            _ => return None,
        }
    }
    let head = String::from_utf8_lossy(&received).to_ascii_lowercase();
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let length: usize = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .map_or(0, |v| v.trim().parse().unwrap_or(0));
    let mut body = vec![0u8; length];
    stream.read_exact(&mut body).ok()?;
    Some((status, String::from_utf8_lossy(&body).into_owned()))
}

#[test]
fn a_refused_request_keeps_its_connection_for_the_next() {
    let server = TestServer::start();
    let addr = server.url("").trim_start_matches("http://").to_owned();
    // Refused without their bodies being needed: a method the URL does not take, a URL callrec does
    // not know. The body arrives after a pause, as it may from a client under load.
    for (method, path, status) in [
        ("POST", "/v1.0/communications/callRecords/x/sessions", 405),
        ("POST", "/v1.0/nothing/here", 400),
    ] {
        let mut stream = std::net::TcpStream::connect(&addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        let head = format!(
            "{method} {path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n"
        );
        stream.write_all(head.as_bytes()).expect("head");
        std::thread::sleep(Duration::from_millis(300));
        let _ = stream.write_all(b"{}");
        let first = next_response(&mut stream).expect("an answer to the first request");
        assert_eq!(first.0, status, "{method} {path}: {}", first.1);
        let _ = stream.write_all(b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n");
        let second = next_response(&mut stream).unwrap_or_else(|| {
            panic!("{method} {path}: the connection was closed after the refusal")
        });
        assert_eq!(second.0, 200, "{}", second.1);
    }
}

/// A server whose limits are small enough to reach in a test: 64 KiB a record, 1 MiB a body.
fn small_limits() -> TestServer {
    TestServer::start_with(callrec::http::ApiConfig {
        max_record_bytes: 64 * 1024,
        max_body_bytes: 1024 * 1024,
        ..callrec::http::ApiConfig::default()
    })
}

fn ndjson(lines: &[String]) -> Vec<u8> {
    lines
        .iter()
        .flat_map(|l| format!("{l}\n").into_bytes())
        .collect()
}

#[test]
fn a_bulk_import_decompressing_past_the_limit_is_refused_and_keeps_what_came_before() {
    let server = small_limits();
    let ids: Vec<String> = (0..3)
        .map(|i| format!("5b4e7a0c-0000-4000-8000-00000000010{i}"))
        .collect();
    let mut body = ndjson(
        &ids.iter()
            .map(|id| record_of(id, 10).to_string())
            .collect::<Vec<_>>(),
    );
    // 4 MiB of blank lines, a few KiB once compressed: the compressed body is well within 1 MiB.
    body.extend(std::iter::repeat_n(b'\n', 4 * 1024 * 1024));
    let compressed = gzip(&body);
    assert!(compressed.len() < 64 * 1024, "{}", compressed.len());
    let reply = server.send_bytes(
        "POST",
        "/callrec/import",
        &compressed,
        &[
            ("content-type", "application/x-ndjson"),
            ("content-encoding", "gzip"),
        ],
    );
    let message = reply.assert_error(413, "RequestEntityTooLarge");
    assert!(
        message.contains("1048576") && message.contains("decompressed"),
        "{message}"
    );
    for id in &ids {
        assert_eq!(
            server.get(&format!("{RECORDS}/{id}")).status,
            200,
            "{id} was stored"
        );
    }
}

#[test]
fn a_line_longer_than_a_record_is_rejected_without_being_held() {
    let server = small_limits();
    let lines = [
        record_of("5b4e7a0c-0000-4000-8000-000000000201", 10).to_string(),
        record_of("5b4e7a0c-0000-4000-8000-000000000202", 200 * 1024).to_string(),
        record_of("5b4e7a0c-0000-4000-8000-000000000203", 10).to_string(),
    ];
    for encoding in [None, Some("gzip")] {
        let plain = ndjson(&lines);
        let body = if encoding.is_some() {
            gzip(&plain)
        } else {
            plain
        };
        let mut headers = vec![("content-type", "application/x-ndjson")];
        if let Some(e) = encoding {
            headers.push(("content-encoding", e));
        }
        let reply = server.send_bytes("POST", "/callrec/import", &body, &headers);
        assert_eq!(reply.status, 200, "{}", reply.text);
        let summary = reply.json();
        assert_eq!(summary["rejected"], 1, "{summary}");
        assert_eq!(summary["rejections"][0]["line"], 2, "{summary}");
        let message = summary["rejections"][0]["message"].as_str().unwrap_or("");
        assert!(message.contains("longer than the 65536 bytes"), "{message}");
    }
    for (id, status) in [("201", 200), ("202", 404), ("203", 200)] {
        let path = format!("{RECORDS}/5b4e7a0c-0000-4000-8000-000000000{id}");
        assert_eq!(server.get(&path).status, status, "{path}");
    }
}

#[test]
fn a_json_document_larger_than_eight_records_is_refused_with_the_advice_to_send_ndjson() {
    let server = small_limits();
    let records: Vec<Value> = (0..12)
        .map(|i| {
            record_of(
                &format!("5b4e7a0c-0000-4000-8000-0000000003{i:02}"),
                50 * 1024,
            )
        })
        .collect();
    let body = Value::Array(records).to_string();
    assert!(body.len() > 8 * 64 * 1024 && body.len() < 1024 * 1024);
    let reply = server.send("POST", "/callrec/import", &body, &[]);
    assert_eq!(reply.status, 200, "{}", reply.text);
    let summary = reply.json();
    assert_eq!(summary["imported"], 0, "{summary}");
    let message = summary["rejections"][0]["message"].as_str().unwrap_or("");
    assert!(
        message.contains("send NDJSON, one item a line"),
        "{message}"
    );
}

#[test]
fn what_the_http_layer_refuses_itself_comes_in_graphs_error_shape() {
    let server = TestServer::start();
    let long_target = format!(
        "GET /v1.0/{} HTTP/1.1\r\nhost: x\r\n\r\n",
        "a".repeat(70_000)
    );
    let large_headers = format!(
        "GET /healthz HTTP/1.1\r\nhost: x\r\nx-padding: {}\r\n\r\n",
        "a".repeat(500_000)
    );
    for (request, status) in [
        (long_target, 414),
        (large_headers, 431),
        ("GET /v1.0/a b HTTP/1.1\r\nhost: x\r\n\r\n".to_owned(), 400),
        ("GET /v1.0/\"x\" HTTP/1.1\r\nhost: x\r\n\r\n".to_owned(), 400),
        (
            "POST /v1.0/communications/callRecords HTTP/1.1\r\nhost: x\r\ncontent-length: ab\r\n\r\n"
                .to_owned(),
            400,
        ),
    ] {
        let reply = server
            .raw(request.as_bytes(), Duration::from_secs(10))
            .unwrap_or_else(|| panic!("no answer to {}", &request[..40.min(request.len())]));
        assert_eq!(reply.status, status, "{}", reply.text);
        let body: Value = serde_json::from_str(&reply.text)
            .unwrap_or_else(|e| panic!("{status}: not Graph's error JSON ({e}): {:?}", reply.text));
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(!message.is_empty(), "{body}");
        assert!(body["error"]["innerError"]["request-id"].is_string(), "{body}");
        assert!(reply.header("request-id").is_some());
    }
    // The server goes on answering.
    assert_eq!(server.get("/healthz").status, 200);
}
