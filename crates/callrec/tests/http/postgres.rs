//! callrec on PostgreSQL, across processes: two `callrec serve` nodes on one database (reads through one
//! of what was written through the other, concurrent ingestion of the same ids through both, a
//! subscription made on one delivered once whichever node sends), and `callrec migrate-store` moving a
//! tenant from the embedded store to PostgreSQL without loss.
//!
//! Active when `CALLREC_TEST_POSTGRES` names a database and the `postgres` feature is built; otherwise each
//! test prints that it was skipped. (The rest of the HTTP suite also runs on PostgreSQL then: see
//! `support.rs`.)

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{POSTGRES_VARIABLE, TestSchema, TestServer, record};

/// A fresh schema, or `None` after saying why the test is skipped.
fn schema_or_skip(test: &str) -> Option<TestSchema> {
    let schema = TestSchema::new();
    if schema.is_none() {
        let why = if cfg!(feature = "postgres") {
            format!("{POSTGRES_VARIABLE} not set")
        } else {
            "built without the `postgres` feature".to_owned()
        };
        println!("{test}: skipped ({why})");
        // The harness captures `println!` of passing tests; say it once where it is seen.
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "note: the PostgreSQL runs of the HTTP suite were skipped ({why})"
            );
        });
    }
    schema
}

/// A `callrec serve` process, killed when dropped.
struct Node {
    child: Child,
    base: String,
}

impl Node {
    fn start(store: &str) -> Node {
        let mut child = Command::new(env!("CARGO_BIN_EXE_callrec"))
            .args([
                "serve",
                "--listen",
                "127.0.0.1:0",
                "--allow-http-webhooks",
                "--store",
                store,
            ])
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
            if let Some(at) = line.find("http://127.0.0.1:") {
                let rest = &line[at..];
                let end = rest.find("/v1.0").unwrap_or(rest.len());
                break rest[..end].to_owned();
            }
        };
        // Keep draining the log so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Node { child, base }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn http_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

fn send(agent: &ureq::Agent, method: &str, url: &str, body: &str, ct: &str) -> (u16, String) {
    let request = ureq::http::Request::builder()
        .method(method)
        .uri(url)
        .header("content-type", ct)
        .body(body.as_bytes().to_vec())
        .expect("request");
    let mut response = agent.run(request).expect("HTTP request");
    let status = response.status().as_u16();
    (
        status,
        response.body_mut().read_to_string().unwrap_or_default(),
    )
}

fn get(agent: &ureq::Agent, url: &str) -> (u16, Value) {
    let (status, text) = send(agent, "GET", url, "", "application/json");
    (
        status,
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}")),
    )
}

fn bulk(records: &[Value]) -> String {
    records.iter().map(|r| format!("{r}\n")).collect()
}

fn versioned(id: &str, version: i64) -> Value {
    let mut r = record(id, "2024-03-01T10:00:00Z", 1 + version as usize % 3, 2);
    r["version"] = json!(version);
    r["joinWebUrl"] = json!(format!("https://join.test/{id}/v{version}"));
    r
}

/// A webhook receiver on loopback that answers validations and records every notification.
struct Receiver {
    base: String,
    items: Arc<Mutex<Vec<Value>>>,
    _runtime: tokio::runtime::Runtime,
}

impl Receiver {
    fn start() -> Receiver {
        use axum::body::Bytes;
        use axum::extract::State;
        use axum::http::Uri;
        use axum::response::IntoResponse;

        async fn receive(
            State(items): State<Arc<Mutex<Vec<Value>>>>,
            uri: Uri,
            body: Bytes,
        ) -> axum::response::Response {
            if let Some(token) = uri.query().and_then(|q| {
                q.split('&')
                    .find_map(|p| p.strip_prefix("validationToken="))
            }) {
                let token = percent_encoding::percent_decode_str(token)
                    .decode_utf8_lossy()
                    .into_owned();
                return ([("content-type", "text/plain")], token).into_response();
            }
            let value: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            if let Some(list) = value["value"].as_array() {
                items.lock().unwrap().extend(list.iter().cloned());
            }
            axum::http::StatusCode::ACCEPTED.into_response()
        }

        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("runtime");
        let items = Arc::new(Mutex::new(Vec::new()));
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind");
        let addr = listener.local_addr().unwrap();
        let router = axum::Router::new()
            .fallback(receive)
            .with_state(items.clone());
        runtime.spawn(async move { axum::serve(listener, router).await.unwrap() });
        Receiver {
            base: format!("http://{addr}"),
            items,
            _runtime: runtime,
        }
    }

    /// How many times each record id was announced with this change type.
    fn announced(&self, change_type: &str) -> BTreeMap<String, usize> {
        let mut counts = BTreeMap::new();
        for item in self.items.lock().unwrap().iter() {
            if item["changeType"] == change_type {
                let id = item["resourceData"]["id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                *counts.entry(id).or_insert(0) += 1;
            }
        }
        counts
    }
}

#[test]
fn two_nodes_serve_one_database() {
    if schema_or_skip("two_nodes_serve_one_database").is_none() {
        return;
    }
    // An in-process server on a fresh schema, and two `callrec serve` processes on the same store: three
    // nodes on one database.
    let local = TestServer::start();
    let receiver = Receiver::start();
    let a = Node::start(&local.store_spec);
    let b = Node::start(&local.store_spec);
    let agent = http_agent();
    let records = |node: &Node| format!("{}/v1.0/communications/callRecords", node.base);

    // A subscription made through node a; both nodes run delivery workers on the shared outbox.
    let expiration = callrec::notify::payload::date_time(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64
            + 3_600_000,
    );
    let subscription = json!({
        "changeType": "created",
        "notificationUrl": format!("{}/hook", receiver.base),
        "resource": "/communications/callRecords",
        "expirationDateTime": expiration,
        "clientState": "two-nodes",
    });
    let (status, text) = send(
        &agent,
        "POST",
        &format!("{}/v1.0/subscriptions", a.base),
        &subscription.to_string(),
        "application/json",
    );
    assert_eq!(status, 201, "{text}");
    let (status, listed) = get(&agent, &format!("{}/v1.0/subscriptions", b.base));
    assert_eq!(status, 200);
    assert_eq!(
        listed["value"].as_array().map(Vec::len),
        Some(1),
        "node b sees the subscription made on node a: {listed}"
    );

    // Written through a, read through b, the same bytes.
    let first: Vec<Value> = (0..20).map(|i| versioned(&format!("a{i:02}"), 1)).collect();
    let (status, text) = send(
        &agent,
        "POST",
        &format!("{}/callrec/import", a.base),
        &bulk(&first),
        "application/x-ndjson",
    );
    assert_eq!(status, 200, "{text}");
    for r in &first {
        let id = r["id"].as_str().unwrap();
        let url =
            |node: &Node| format!("{}/{id}?$expand=sessions($expand=segments)", records(node));
        let (sa, via_a) = send(&agent, "GET", &url(&a), "", "application/json");
        let (sb, via_b) = send(&agent, "GET", &url(&b), "", "application/json");
        assert_eq!((sa, sb), (200, 200), "{via_b}");
        assert_eq!(
            via_a.replace(&a.base, "BASE"),
            via_b.replace(&b.base, "BASE"),
            "{id} reads the same through both nodes"
        );
        let in_process = local.get(&format!(
            "/v1.0/communications/callRecords/{id}?$expand=sessions($expand=segments)"
        ));
        assert_eq!(
            in_process.text.replace(&local.base, "BASE"),
            via_a.replace(&a.base, "BASE"),
            "{id} reads the same through the third node"
        );
    }

    // The same ids through both nodes at once, versions in different orders: one row per id, the highest.
    const IDS: usize = 40;
    const VERSIONS: i64 = 4;
    let writers: Vec<_> = [&a, &b]
        .iter()
        .enumerate()
        .flat_map(|(n, node)| {
            (0..2).map(move |w| {
                let base = node.base.clone();
                std::thread::spawn(move || {
                    let agent = http_agent();
                    let mut order: Vec<(usize, i64)> = (0..IDS)
                        .flat_map(|i| (1..=VERSIONS).map(move |v| (i, v)))
                        .collect();
                    let turn = (n * 2 + w) * 37 % order.len();
                    order.rotate_left(turn);
                    if (n + w) % 2 == 1 {
                        order.reverse();
                    }
                    for chunk in order.chunks(7 + 3 * w) {
                        let batch: Vec<Value> = chunk
                            .iter()
                            .map(|&(i, v)| versioned(&format!("c{i:02}"), v))
                            .collect();
                        let (status, text) = send(
                            &agent,
                            "POST",
                            &format!("{base}/callrec/import"),
                            &bulk(&batch),
                            "application/x-ndjson",
                        );
                        assert_eq!(status, 200, "{text}");
                    }
                })
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer");
    }
    let (status, page) = get(&agent, &format!("{}?$count=true&$top=1000", records(&b)));
    assert_eq!(status, 200, "{page}");
    let items = page["value"].as_array().expect("a list");
    let concurrent: Vec<&Value> = items
        .iter()
        .filter(|r| r["id"].as_str().is_some_and(|id| id.starts_with('c')))
        .collect();
    assert_eq!(concurrent.len(), IDS, "exactly one record per id");
    for r in &concurrent {
        assert_eq!(r["version"], VERSIONS, "{}", r["id"]);
        let id = r["id"].as_str().unwrap();
        assert_eq!(
            r["joinWebUrl"],
            format!("https://join.test/{id}/v{VERSIONS}"),
            "the body of the highest version"
        );
    }
    assert_eq!(
        page["@odata.count"].as_u64(),
        Some(items.len() as u64),
        "the count agrees with the listing"
    );
    assert_eq!(items.len(), 20 + IDS, "no record lost or doubled");

    // Every record was announced as created once, though two nodes deliver from one outbox.
    let expected = 20 + IDS;
    let deadline = Instant::now() + Duration::from_secs(60);
    while receiver.announced("created").len() < expected {
        assert!(
            Instant::now() < deadline,
            "notifications missing: {:?}",
            receiver.announced("created").len()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Time for a duplicate, were one coming, to arrive.
    std::thread::sleep(Duration::from_secs(2));
    let announced = receiver.announced("created");
    assert_eq!(announced.len(), expected, "{announced:?}");
    let doubled: Vec<_> = announced.iter().filter(|(_, n)| **n != 1).collect();
    assert!(doubled.is_empty(), "announced more than once: {doubled:?}");
}

#[test]
fn migrate_store_moves_a_tenant_without_loss() {
    let Some(schema) = schema_or_skip("migrate_store_moves_a_tenant_without_loss") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let source = dir.path().join("source.db");
    let source = source.to_str().expect("utf-8 path");
    let tenant = callrec::auth::DEFAULT_TENANT;
    let run = |args: &[&str]| {
        let output = Command::new(env!("CARGO_BIN_EXE_callrec"))
            .args(args)
            .env("NO_COLOR", "1")
            .output()
            .expect("run callrec");
        assert!(
            output.status.success(),
            "callrec {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    // `callrec migrate` builds the schema of an empty store, and again finds nothing to do.
    for _ in 0..2 {
        let said = run(&["migrate", "--store", &schema.url]);
        assert!(said.contains("schema up to date (0 records)"), "{said}");
        assert!(
            !said.contains(":callrec@"),
            "the password stays hidden: {said}"
        );
    }
    run(&["generate", "--records", "150", "--store", source]);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let buildings = vec![callrec_model::quality::Building {
        network_ip: "10.1.0.0".into(),
        network_range: 16,
        building_name: "Harbour".into(),
        attributes: vec![("City".into(), "Oslo".into())],
    }];
    runtime.block_on(async {
        let from = callrec::storage::open(source).await.unwrap();
        from.put_buildings(tenant, buildings.clone()).await.unwrap();
    });
    let said = run(&[
        "migrate-store",
        "--from",
        source,
        "--to",
        &schema.url,
        "--tenant",
        tenant,
        "--batch",
        "40",
    ]);
    assert!(said.contains("150 records read"), "{said}");
    // Again: nothing new to write, nothing doubled.
    let again = run(&[
        "migrate-store",
        "--from",
        source,
        "--to",
        &schema.url,
        "--tenant",
        tenant,
    ]);
    assert!(again.contains("0 written"), "{again}");

    runtime.block_on(async {
        use callrec_model::logs::{LogKind, LogQuery, LogStart};
        use callrec_model::query::{ListQuery, RecordOrder};
        use callrec_store::Slice;
        let from = callrec::storage::open(source).await.unwrap();
        let to = callrec::storage::open(&schema.url).await.unwrap();
        #[cfg(feature = "postgres")]
        {
            use callrec_store::postgres::{PostgresOptions, PostgresStore};
            let opened = PostgresStore::open(&schema.url, PostgresOptions::default())
                .await
                .unwrap();
            assert_eq!(
                opened.schema_version(),
                PostgresStore::latest_schema_version()
            );
        }
        let all = ListQuery {
            filter: None,
            order: RecordOrder::default(),
            after: None,
            limit: 10_000,
            count: true,
        };
        let (a, b) = (
            from.list_records(tenant, &all).await.unwrap(),
            to.list_records(tenant, &all).await.unwrap(),
        );
        assert_eq!(a.count, Some(150));
        assert_eq!(b.count, a.count);
        let slice = Slice {
            offset: 0,
            limit: u32::MAX,
        };
        for (x, y) in a.items.iter().zip(&b.items) {
            assert_eq!(x, y, "the record's own properties");
            assert_eq!(
                from.sessions(tenant, &x.id, slice, true).await.unwrap(),
                to.sessions(tenant, &x.id, slice, true).await.unwrap(),
                "sessions and segments of {}",
                x.id
            );
            assert_eq!(
                from.participants(tenant, &x.id, slice).await.unwrap(),
                to.participants(tenant, &x.id, slice).await.unwrap(),
                "participants of {}",
                x.id
            );
        }
        let mut log_rows = 0;
        for kind in LogKind::ALL.into_iter().filter(|k| k.is_stored()) {
            let query = LogQuery {
                kind,
                from: callrec_model::edm::Ticks(i64::MIN),
                to: callrec_model::edm::Ticks(i64::MAX),
                to_inclusive: true,
                filter: None,
                start: LogStart::Offset(0),
                limit: 100_000,
            };
            let x = from.list_log_rows(tenant, &query).await.unwrap();
            let y = to.list_log_rows(tenant, &query).await.unwrap();
            let bodies = |p: &callrec_store::logs::LogPage| {
                p.rows.iter().map(|r| r.body.clone()).collect::<Vec<_>>()
            };
            assert_eq!(bodies(&x), bodies(&y), "{kind:?} rows");
            log_rows += x.rows.len();
        }
        assert!(log_rows > 0, "the generated PSTN calls brought log rows");
        assert_eq!(
            to.buildings(tenant).await.unwrap(),
            buildings,
            "the building map"
        );
    });
}
