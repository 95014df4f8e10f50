//! A callrec server started on `127.0.0.1:0` over a fresh store, and a small blocking client for it.
//!
//! The store is a SQLite file in a temporary directory; when `CALLREC_TEST_POSTGRES` names a PostgreSQL
//! database (and the `postgres` feature is built), it is a fresh schema of that database instead, dropped
//! with the server, so the whole suite runs on either backend.

use std::sync::Arc;

use callrec::http::{self, ApiConfig, AppState};
use callrec_store::Store;
use serde_json::Value;

pub struct TestServer {
    pub base: String,
    pub store: Arc<dyn Store>,
    /// The server's shared state (fault settings can be changed through it while it runs).
    pub state: AppState,
    pub runtime: tokio::runtime::Runtime,
    agent: ureq::Agent,
    _dir: tempfile::TempDir,
    /// What `--store` would say for this server's store (a file path or a `postgres://` URL), for a
    /// second server or process on the same data.
    pub store_spec: String,
    _schema: Option<TestSchema>,
}

/// The variable naming the PostgreSQL database the tests may use.
pub const POSTGRES_VARIABLE: &str = "CALLREC_TEST_POSTGRES";

/// A fresh PostgreSQL schema for one test, dropped when this is.
pub struct TestSchema {
    pub url: String,
}

impl TestSchema {
    /// A new schema's store URL, when `CALLREC_TEST_POSTGRES` is set and this build has PostgreSQL.
    pub fn new() -> Option<TestSchema> {
        let base = std::env::var(POSTGRES_VARIABLE).ok()?;
        if !cfg!(feature = "postgres") {
            return None;
        }
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let joiner = if base.contains('?') { '&' } else { '?' };
        let url = format!(
            "{base}{joiner}schema=http_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        Some(TestSchema { url })
    }
}

impl Drop for TestSchema {
    fn drop(&mut self) {
        #[cfg(feature = "postgres")]
        {
            let url = self.url.clone();
            // Drop may run inside a runtime, which cannot be blocked on: use a runtime of its own.
            let dropped = std::thread::spawn(move || {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime")
                    .block_on(callrec_store::postgres::PostgresStore::drop_schema(&url))
            })
            .join();
            if !matches!(dropped, Ok(Ok(()))) {
                eprintln!("could not drop the test schema of {}", self.url);
            }
        }
    }
}

/// One response, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub text: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Asserts a Graph error body with this status and code, and returns its message.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str) -> String {
        assert_eq!(self.status, status, "status of {}", self.text);
        let body = self.json();
        let error = &body["error"];
        assert_eq!(error["code"], code, "code in {}", self.text);
        let inner = &error["innerError"];
        assert!(
            inner["request-id"].as_str().is_some_and(|s| !s.is_empty()),
            "request-id in {}",
            self.text
        );
        assert!(
            inner["date"].as_str().is_some_and(|s| s.ends_with('Z')),
            "date in {}",
            self.text
        );
        assert!(
            inner["client-request-id"].is_string(),
            "client-request-id in {}",
            self.text
        );
        assert_eq!(
            self.header("request-id"),
            inner["request-id"].as_str(),
            "request-id header"
        );
        error["message"].as_str().unwrap_or_default().to_owned()
    }
}

impl TestServer {
    pub fn start() -> Self {
        Self::start_with(ApiConfig::default())
    }

    /// A server with these settings (tokens, throttling, faults, retention).
    pub fn start_with(config: ApiConfig) -> Self {
        Self::start_over_store(|_, _| config)
    }

    /// A server whose settings are made from its store (the sign-in's key is kept there), on the
    /// server's runtime.
    pub fn start_over_store(
        config: impl FnOnce(&Arc<dyn Store>, &tokio::runtime::Runtime) -> ApiConfig,
    ) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        let schema = TestSchema::new();
        let store_spec = match &schema {
            Some(schema) => schema.url.clone(),
            None => dir
                .path()
                .join("test.db")
                .to_str()
                .expect("utf-8 path")
                .to_owned(),
        };
        let store = runtime
            .block_on(callrec::storage::open(&store_spec))
            .expect("open store");
        // The notifier is not started: these servers check subscriptions but deliver nothing.
        let config = config(&store, &runtime);
        let notifier = callrec::notify::Notifier::new(callrec::notify::NotifyConfig::default());
        let metrics = std::sync::Arc::new(callrec::metrics::Metrics::new());
        let state = AppState::new(store.clone(), config, notifier, metrics);
        let served = state.clone();
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let addr = listener.local_addr().expect("local addr");
        runtime.spawn(async move {
            // The same serving loop as `callrec serve`, until the test's runtime ends.
            http::serve(listener, served, std::future::pending())
                .await
                .expect("serve");
        });
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .build()
            .into();
        TestServer {
            base: format!("http://{addr}"),
            store,
            state,
            runtime,
            agent,
            _dir: dir,
            store_spec,
            _schema: schema,
        }
    }

    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_owned()
        } else {
            format!("{}{}", self.base, path)
        }
    }

    pub fn get(&self, path: &str) -> Reply {
        self.get_with(path, &[])
    }

    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        let mut req = self.agent.get(&self.url(path));
        for (n, v) in headers {
            req = req.header(*n, *v);
        }
        read(req.call())
    }

    pub fn send(&self, method: &str, path: &str, body: &str, headers: &[(&str, &str)]) -> Reply {
        self.send_bytes(method, path, body.as_bytes(), headers)
    }

    /// A request with a body of any bytes (gzip, say); `content-type` is JSON unless given.
    pub fn send_bytes(
        &self,
        method: &str,
        path: &str,
        body: &[u8],
        headers: &[(&str, &str)],
    ) -> Reply {
        let url = self.url(path);
        let mut builder = ureq::http::Request::builder().method(method).uri(&url);
        let mut has_ct = false;
        for (n, v) in headers {
            has_ct |= n.eq_ignore_ascii_case("content-type");
            builder = builder.header(*n, *v);
        }
        if !has_ct && !body.is_empty() {
            builder = builder.header("content-type", "application/json");
        }
        let request = builder.body(body.to_vec()).expect("request");
        read(self.agent.run(request))
    }

    /// GET with `Authorization: Bearer <token>`.
    pub fn get_as(&self, token: &str, path: &str) -> Reply {
        self.get_with(path, &[("authorization", &format!("Bearer {token}"))])
    }

    pub fn post(&self, path: &str, body: &Value) -> Reply {
        self.send("POST", path, &body.to_string(), &[])
    }

    /// Ingests a record and asserts it was accepted.
    #[track_caller]
    pub fn ingest(&self, record: &Value) {
        let reply = self.post("/v1.0/communications/callRecords", record);
        assert!(
            reply.status == 201 || reply.status == 200,
            "ingest failed: {} {}",
            reply.status,
            reply.text
        );
    }

    /// Ingests many records (or log rows) through the bulk endpoint and returns its summary.
    #[track_caller]
    pub fn ingest_bulk(&self, records: &[Value]) -> Value {
        let reply = self.post_ndjson("/callrec/import", records);
        assert_eq!(reply.status, 200, "bulk import: {}", reply.text);
        reply.json()
    }

    /// POSTs these values as NDJSON, one a line.
    pub fn post_ndjson(&self, path: &str, lines: &[Value]) -> Reply {
        let body: String = lines.iter().map(|r| format!("{r}\n")).collect();
        self.send(
            "POST",
            path,
            &body,
            &[("content-type", "application/x-ndjson")],
        )
    }
}

impl TestServer {
    /// Writes these bytes to a new connection as they are (an HTTP client would refuse to send most of
    /// what this sends) and reads the one response, or `None` when none came within `wait`.
    pub fn raw(&self, request: &[u8], wait: std::time::Duration) -> Option<Reply> {
        use std::io::{Read, Write};
        let addr = self.base.trim_start_matches("http://");
        let mut stream = std::net::TcpStream::connect(addr).expect("connect");
        stream.set_read_timeout(Some(wait)).expect("timeout");
        // A server may answer and close before all is written (a 413 at once): read what it said.
        let _ = stream.write_all(request);
        let mut received = Vec::new();
        let mut chunk = [0u8; 65536];
        loop {
            match stream.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => {
                    received.extend_from_slice(&chunk[..n]);
                    if let Some(reply) = parse_response(&received) {
                        return Some(reply);
                    }
                }
                Err(_) => break,
            }
        }
        parse_response(&received)
    }
}

/// One whole HTTP/1.1 response with a `content-length` (or none, read to the end), if these bytes hold it.
fn parse_response(bytes: &[u8]) -> Option<Reply> {
    let text = String::from_utf8_lossy(bytes);
    let (head, body) = text.split_once("\r\n\r\n")?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse::<usize>().ok());
    if length.is_some_and(|n| body.len() < n) {
        return None;
    }
    Some(Reply {
        status,
        headers,
        text: body.to_owned(),
    })
}

fn read(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Reply {
    let mut response = result.expect("HTTP request failed");
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_owned(),
                v.to_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    let text = response
        .body_mut()
        .with_config()
        .limit(512 * 1024 * 1024)
        .read_to_string()
        .expect("body");
    Reply {
        status,
        headers,
        text,
    }
}

/// Reads one of the documentation's example files.
pub fn example(name: &str) -> Value {
    let path = format!("{}/../../spec/examples/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A minimal valid peer-to-peer record with `sessions` sessions and `participants` participants.
pub fn record(id: &str, start: &str, sessions: usize, participants: usize) -> Value {
    let sessions: Vec<Value> = (0..sessions)
        .map(|i| {
            serde_json::json!({
                "id": format!("s{i}"),
                "modalities": ["audio"],
                "startDateTime": start,
                "endDateTime": start,
                "isTest": false,
                "caller": {"@odata.type": "#microsoft.graph.callRecords.serviceEndpoint", "userAgent": {"@odata.type": "#microsoft.graph.callRecords.serviceUserAgent", "role": "skypeForBusinessAudioVideoMcu", "headerValue": null, "applicationVersion": null}},
                "callee": null,
                "failureInfo": null,
                "segments": [{"id": format!("g{i}"), "startDateTime": start, "endDateTime": start, "caller": null, "callee": null, "failureInfo": null, "media": []}]
            })
        })
        .collect();
    let participants: Vec<Value> = (0..participants)
        .map(|i| serde_json::json!({"id": format!("p{i}"), "identity": {"user": {"id": format!("p{i}"), "displayName": format!("User {i}"), "tenantId": null}}, "administrativeUnitInfos": []}))
        .collect();
    serde_json::json!({
        "id": id,
        "version": 1,
        "type": "groupCall",
        "modalities": ["audio"],
        "lastModifiedDateTime": start,
        "startDateTime": start,
        "endDateTime": start,
        "joinWebUrl": null,
        "organizer": null,
        "participants": [],
        "organizer_v2": {"id": "p0", "identity": {"user": {"id": "p0", "displayName": "User 0", "tenantId": null}}},
        "participants_v2": participants,
        "sessions": sessions
    })
}

/// Drops OData annotations (`@odata.context`, `x@odata.nextLink`...) except `@odata.type`, recursively.
pub fn without_annotations(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !k.contains('@') || k.as_str() == "@odata.type")
                .map(|(k, v)| (k.clone(), without_annotations(v)))
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(without_annotations).collect()),
        other => other.clone(),
    }
}

/// Asserts that every property `expected` shows is in `actual` with the same value (recursively; arrays
/// must have the same length). Properties only in `actual` are allowed: the docs shorten their examples.
#[track_caller]
pub fn assert_contains(actual: &Value, expected: &Value, path: &str) {
    match (actual, expected) {
        (Value::Object(a), Value::Object(e)) => {
            for (k, ev) in e {
                let av = a.get(k).unwrap_or_else(|| {
                    panic!(
                        "{path}.{k} is missing; have keys {:?}",
                        a.keys().collect::<Vec<_>>()
                    )
                });
                assert_contains(av, ev, &format!("{path}.{k}"));
            }
        }
        (Value::Array(a), Value::Array(e)) => {
            assert_eq!(a.len(), e.len(), "{path}: array length");
            for (i, (av, ev)) in a.iter().zip(e).enumerate() {
                assert_contains(av, ev, &format!("{path}[{i}]"));
            }
        }
        (Value::Number(a), Value::Number(e)) => {
            assert_eq!(a.as_f64(), e.as_f64(), "{path}");
        }
        (a, e) => assert_eq!(a, e, "{path}"),
    }
}

/// Starts a `callrec serve` process on a free loopback port over `store` (a file path or a `postgres://`
/// URL), with `flags` added, and returns the child and the base URL its log announced (http or https,
/// as it serves). The log is drained
/// in the background, so the server never blocks on a full pipe. The caller ends the child.
pub fn spawn_serve(
    store: impl AsRef<std::ffi::OsStr>,
    flags: &[&str],
) -> (std::process::Child, String) {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let mut child = Command::new(env!("CARGO_BIN_EXE_callrec"))
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(flags)
        .arg("--store")
        .arg(store)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start callrec serve");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = BufReader::new(stderr).lines();
    let deadline = Instant::now() + Duration::from_secs(60);
    let base = loop {
        assert!(Instant::now() < deadline, "the server did not start");
        let line = lines.next().expect("server exited").expect("read stderr");
        if let Some(at) = line
            .find("https://127.0.0.1:")
            .or_else(|| line.find("http://127.0.0.1:"))
        {
            let rest = &line[at..];
            let end = rest.find("/v1.0").unwrap_or(rest.len());
            break rest[..end].to_owned();
        }
    };
    std::thread::spawn(move || for _ in lines {});
    (child, base)
}

/// Runs the callrec binary the suite was built with, without colour and without a store from the
/// environment.
pub fn run_callrec(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_callrec"))
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("CALLREC_STORE")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("run callrec")
}
