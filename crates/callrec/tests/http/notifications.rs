//! Change notifications end to end: a callrec server and a real webhook receiver, both on loopback.
//!
//! The receiver is a small axum server whose answers each test sets (validation replies, delivery status
//! and delay) and which records everything it is sent. The server runs with a [`ManualClock`], so backoff,
//! expiry and lifecycle timing are tested by moving the clock rather than by waiting.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use callrec::auth::DEFAULT_TENANT;
use callrec::http::{self, ApiConfig, AppState};
use callrec::notify::{DeliveryHandle, ManualClock, Notifier, NotifyConfig, SlowRules};
use callrec_store::Store;
use serde_json::{Value, json};

use crate::support::{record, spawn_serve};

/// How the receiver answers a validation request.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Validation {
    Echo,
    WrongBody,
    Status(u16),
    WrongContentType,
    Slow(Duration),
}

#[derive(Debug, Clone)]
struct Received {
    path: String,
    query: Option<String>,
    content_type: String,
    body: String,
    status: u16,
}

impl Received {
    fn items(&self) -> Vec<Value> {
        serde_json::from_str::<Value>(&self.body)
            .ok()
            .and_then(|v| v["value"].as_array().cloned())
            .unwrap_or_default()
    }
}

#[derive(Debug)]
struct Behaviour {
    validation: Validation,
    status: u16,
    delay: Duration,
    /// Requests whose handler ran to the end (a request cut off by a killed client is not here).
    requests: Vec<Received>,
}

/// A webhook receiver on `127.0.0.1:0`.
#[derive(Clone)]
struct Receiver {
    base: String,
    state: Arc<Mutex<Behaviour>>,
}

async fn receive(
    State(state): State<Arc<Mutex<Behaviour>>>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let query = uri.query().map(str::to_owned);
    let token = query.as_deref().and_then(|q| {
        q.split('&')
            .find_map(|p| p.strip_prefix("validationToken="))
            .map(|t| {
                percent_encoding::percent_decode_str(t)
                    .decode_utf8_lossy()
                    .into_owned()
            })
    });
    let (validation, status, delay) = {
        let s = state.lock().unwrap();
        (s.validation, s.status, s.delay)
    };
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let (answered, response) = match token {
        Some(token) => {
            let text = |status: u16, ct: &'static str, body: String| {
                (
                    status,
                    (
                        StatusCode::from_u16(status).unwrap(),
                        [("content-type", ct)],
                        body,
                    )
                        .into_response(),
                )
            };
            match validation {
                Validation::Echo => text(200, "text/plain; charset=utf-8", token),
                Validation::WrongBody => text(200, "text/plain", format!("{token}x")),
                Validation::Status(s) => text(s, "text/plain", token),
                Validation::WrongContentType => text(200, "application/json", token),
                Validation::Slow(d) => {
                    tokio::time::sleep(d).await;
                    text(200, "text/plain", token)
                }
            }
        }
        None => {
            tokio::time::sleep(delay).await;
            (
                status,
                StatusCode::from_u16(status).unwrap().into_response(),
            )
        }
    };
    state.lock().unwrap().requests.push(Received {
        path: uri.path().to_owned(),
        query,
        content_type,
        body: String::from_utf8_lossy(&body).into_owned(),
        status: answered,
    });
    response
}

impl Receiver {
    fn start(runtime: &tokio::runtime::Runtime) -> Self {
        let state = Arc::new(Mutex::new(Behaviour {
            validation: Validation::Echo,
            status: 202,
            delay: Duration::ZERO,
            requests: Vec::new(),
        }));
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .expect("bind the receiver");
        let addr = listener.local_addr().unwrap();
        let router = axum::Router::new()
            .fallback(receive)
            .with_state(state.clone());
        runtime.spawn(async move { axum::serve(listener, router).await.unwrap() });
        Receiver {
            base: format!("http://{addr}"),
            state,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    fn set(&self, f: impl FnOnce(&mut Behaviour)) {
        f(&mut self.state.lock().unwrap());
    }

    fn requests(&self) -> Vec<Received> {
        self.state.lock().unwrap().requests.clone()
    }

    fn validations(&self) -> Vec<Received> {
        self.requests()
            .into_iter()
            .filter(|r| {
                r.query
                    .as_deref()
                    .is_some_and(|q| q.contains("validationToken="))
            })
            .collect()
    }

    /// Deliveries answered 2xx, with their path.
    fn deliveries(&self) -> Vec<Received> {
        self.requests()
            .into_iter()
            .filter(|r| r.query.is_none() && (200..300).contains(&r.status))
            .collect()
    }

    /// Every notification delivered to `path`.
    fn notifications(&self, path: &str) -> Vec<Value> {
        self.deliveries()
            .into_iter()
            .filter(|r| r.path == path)
            .flat_map(|r| r.items())
            .collect()
    }

    /// Waits until `done` holds of the requests so far.
    #[track_caller]
    fn wait_until(&self, what: &str, timeout: Duration, done: impl Fn(&Receiver) -> bool) {
        let deadline = Instant::now() + timeout;
        while !done(self) {
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; received: {:#?}",
                self.requests()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// `(changeType, record id)` of notifications, sorted.
fn changes(items: &[Value]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = items
        .iter()
        .map(|n| {
            (
                n["changeType"].as_str().unwrap_or_default().to_owned(),
                n["resourceData"]["id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect();
    v.sort();
    v
}

fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    v.sort();
    v
}

/// A server with a movable clock and delivery workers, and a receiver.
struct Env {
    runtime: tokio::runtime::Runtime,
    base: String,
    store: Arc<dyn Store>,
    clock: Arc<ManualClock>,
    notifier: Arc<Notifier>,
    receiver: Receiver,
    agent: ureq::Agent,
    _deliveries: DeliveryHandle,
    _dir: tempfile::TempDir,
}

#[derive(Debug)]
struct Reply {
    status: u16,
    body: Value,
    text: String,
}

impl Reply {
    #[track_caller]
    fn error(&self, status: u16, code: &str) -> String {
        assert_eq!(self.status, status, "{}", self.text);
        assert_eq!(self.body["error"]["code"], code, "{}", self.text);
        self.body["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

fn test_config(clock: Arc<ManualClock>) -> NotifyConfig {
    NotifyConfig {
        allow_http: true,
        validation_timeout: Duration::from_millis(700),
        delivery_timeout: Duration::from_millis(1000),
        slow: SlowRules {
            slow_after: Duration::from_millis(300),
            ..SlowRules::default()
        },
        poll_interval: Duration::from_millis(20),
        maintenance_interval: Duration::from_millis(50),
        clock,
        ..NotifyConfig::default()
    }
}

impl Env {
    fn start() -> Self {
        Self::with(|_| {})
    }

    fn with(adjust: impl FnOnce(&mut NotifyConfig)) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let store = runtime
            .block_on(callrec::storage::open(
                dir.path().join("n.db").to_str().unwrap(),
            ))
            .unwrap();
        let clock = Arc::new(ManualClock::new());
        let mut config = test_config(clock.clone());
        adjust(&mut config);
        let notifier = Notifier::new(config);
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        notifier.set_listen_addr(addr);
        let deliveries = {
            let _guard = runtime.enter();
            notifier.start(store.clone())
        };
        let metrics = std::sync::Arc::new(callrec::metrics::Metrics::new());
        let state = AppState::new(
            store.clone(),
            ApiConfig::default(),
            notifier.clone(),
            metrics,
        );
        runtime.spawn(async move { axum::serve(listener, http::app(state)).await.unwrap() });
        let receiver = Receiver::start(&runtime);
        Env {
            runtime,
            base: format!("http://{addr}"),
            store,
            clock,
            notifier,
            receiver,
            agent: ureq::Agent::config_builder()
                .http_status_as_error(false)
                .build()
                .into(),
            _deliveries: deliveries,
            _dir: dir,
        }
    }

    fn send(&self, method: &str, path: &str, body: Option<&Value>) -> Reply {
        let mut builder = ureq::http::Request::builder()
            .method(method)
            .uri(format!("{}{path}", self.base));
        let bytes = match body {
            Some(b) => {
                builder = builder.header("content-type", "application/json");
                b.to_string().into_bytes()
            }
            None => Vec::new(),
        };
        let mut response = self
            .agent
            .run(builder.body(bytes).unwrap())
            .expect("request");
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        Reply {
            status,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
            text,
        }
    }

    fn ingest(&self, record: &Value) {
        let reply = self.send("POST", "/v1.0/communications/callRecords", Some(record));
        assert!(reply.status == 200 || reply.status == 201, "{}", reply.text);
    }

    fn ingest_bulk(&self, records: &[Value]) {
        let body: String = records.iter().map(|r| format!("{r}\n")).collect();
        let request = ureq::http::Request::builder()
            .method("POST")
            .uri(format!("{}/callrec/import", self.base))
            .header("content-type", "application/x-ndjson")
            .body(body.into_bytes())
            .unwrap();
        let response = self.agent.run(request).expect("bulk import");
        assert_eq!(response.status().as_u16(), 200);
    }

    /// A subscription request like the documentation's example, to the receiver.
    fn request(&self, path: &str, change_type: &str, resource: &str) -> Value {
        json!({
            "changeType": change_type,
            "notificationUrl": self.receiver.url(path),
            "resource": resource,
            "expirationDateTime": expires_in(&self.clock, 4200),
            "clientState": format!("state of {path}"),
        })
    }

    #[track_caller]
    fn subscribe(&self, body: &Value) -> Value {
        let reply = self.send("POST", "/v1.0/subscriptions", Some(body));
        assert_eq!(reply.status, 201, "{}", reply.text);
        reply.body
    }
}

/// An `expirationDateTime` this many minutes after the server's clock.
fn expires_in(clock: &ManualClock, minutes: i64) -> String {
    use callrec::notify::Clock;
    callrec::notify::payload::date_time(clock.now() + minutes * 60_000)
}

fn minutes_between(a: &str, b: &str) -> f64 {
    let t = |s: &str| callrec_model::edm::parse_date_time_offset(s).unwrap().0 as f64;
    (t(b) - t(a)) / 600_000_000.0
}

#[test]
fn a_subscription_is_created_after_the_validation_handshake() {
    let env = Env::start();
    let mut body = crate::support::example("changenotifications-subscription.request.json");
    body["notificationUrl"] = env.receiver.url("/notify").into();
    body["lifecycleNotificationUrl"] = env.receiver.url("/lifecycle").into();
    body["expirationDateTime"] = expires_in(&env.clock, 600).into();
    let created = env.subscribe(&body);

    assert!(
        created["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("/v1.0/$metadata#subscriptions/$entity")
    );
    for key in [
        "changeType",
        "notificationUrl",
        "lifecycleNotificationUrl",
        "resource",
        "clientState",
    ] {
        assert_eq!(created[key], body[key], "{key}");
    }
    assert!(
        minutes_between(
            body["expirationDateTime"].as_str().unwrap(),
            created["expirationDateTime"].as_str().unwrap()
        )
        .abs()
            < 0.01
    );
    assert_eq!(created["latestSupportedTlsVersion"], "v1_2");
    let id = created["id"].as_str().unwrap();
    assert_eq!(id.len(), 36, "a GUID");

    let validations = env.receiver.validations();
    assert_eq!(
        validations
            .iter()
            .map(|v| v.path.as_str())
            .collect::<Vec<_>>(),
        vec!["/notify", "/lifecycle"],
        "both URLs are validated"
    );
    for v in &validations {
        assert_eq!(v.content_type, "text/plain; charset=utf-8");
        assert!(v.body.is_empty());
        let query = v.query.as_deref().unwrap();
        assert!(
            query.starts_with("validationToken=Validation%3A%20"),
            "URL-encoded: {query}"
        );
    }

    let listed = env.send("GET", "/v1.0/subscriptions", None);
    assert_eq!(listed.status, 200);
    assert!(
        listed.body["@odata.context"]
            .as_str()
            .unwrap()
            .ends_with("$metadata#subscriptions")
    );
    assert_eq!(listed.body["value"][0]["id"], id);
    let got = env.send("GET", &format!("/beta/subscriptions/{id}"), None);
    assert_eq!(got.status, 200);
    assert_eq!(got.body["resource"], body["resource"]);

    let renewed = env.send(
        "PATCH",
        &format!("/v1.0/subscriptions/{id}"),
        Some(&json!({"expirationDateTime": expires_in(&env.clock, 3000)})),
    );
    assert_eq!(renewed.status, 200, "{}", renewed.text);
    assert!(
        minutes_between(
            created["expirationDateTime"].as_str().unwrap(),
            renewed.body["expirationDateTime"].as_str().unwrap()
        ) > 2000.0
    );
    let message = env
        .send(
            "PATCH",
            &format!("/v1.0/subscriptions/{id}"),
            Some(&json!({"lifecycleNotificationUrl": env.receiver.url("/other")})),
        )
        .error(400, "InvalidRequest");
    assert!(
        message.contains("only be set when the subscription is created"),
        "{message}"
    );
    assert_eq!(
        env.send(
            "POST",
            &format!("/v1.0/subscriptions/{id}/reauthorize"),
            None
        )
        .status,
        204
    );
    assert_eq!(
        env.send("DELETE", &format!("/v1.0/subscriptions/{id}"), None)
            .status,
        204
    );
    env.send("GET", &format!("/v1.0/subscriptions/{id}"), None)
        .error(404, "itemNotFound");
}

#[test]
fn failed_validations_get_graphs_errors_and_create_nothing() {
    let env = Env::start();
    let body = env.request("/hook", "created", "/communications/callRecords");
    let cases = [
        (
            Validation::WrongBody,
            "ValidationError",
            "Subscription validation request failed. Response must exactly match validationToken query parameter.",
        ),
        (
            Validation::Status(404),
            "ValidationError",
            "Subscription validation request failed. HTTP status code is 'NotFound'. Notification endpoint must respond with 200 OK to validation request.",
        ),
        (
            Validation::Status(202),
            "ValidationError",
            "Subscription validation request failed. HTTP status code is 'Accepted'. Notification endpoint must respond with 200 OK to validation request.",
        ),
        (
            Validation::WrongContentType,
            "ValidationError",
            "Subscription validation request failed. Response must have Content-Type text/plain; found 'application/json'.",
        ),
        (
            Validation::Slow(Duration::from_millis(1500)),
            "InvalidRequest",
            "Subscription validation request timed out.",
        ),
    ];
    for (validation, code, expected) in cases {
        env.receiver.set(|b| b.validation = validation);
        let message = env
            .send("POST", "/v1.0/subscriptions", Some(&body))
            .error(400, code);
        assert_eq!(message, expected, "{validation:?}");
    }
    // Nobody listening at all.
    let mut unreachable = body.clone();
    unreachable["notificationUrl"] = "http://127.0.0.1:9/hook".into();
    let message = env
        .send("POST", "/v1.0/subscriptions", Some(&unreachable))
        .error(400, "ValidationError");
    assert_eq!(
        message,
        "Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request."
    );
    // A good notification URL does not excuse a failing lifecycle URL.
    env.receiver.set(|b| b.validation = Validation::Echo);
    let mut lifecycle = body.clone();
    lifecycle["lifecycleNotificationUrl"] = "http://127.0.0.1:9/lifecycle".into();
    env.send("POST", "/v1.0/subscriptions", Some(&lifecycle))
        .error(400, "ValidationError");
    assert_eq!(
        env.send("GET", "/v1.0/subscriptions", None).body["value"],
        json!([]),
        "no subscription was created"
    );
}

#[test]
fn graphs_rules_are_enforced_with_its_messages() {
    let env = Env::start();
    let good = env.request("/hook", "updated", "/communications/callRecords");
    let with = |key: &str, value: Value| {
        let mut b = good.clone();
        if value.is_null() {
            b.as_object_mut().unwrap().remove(key);
        } else {
            b[key] = value;
        }
        env.send("POST", "/v1.0/subscriptions", Some(&b))
    };
    assert_eq!(
        with("expirationDateTime", Value::Null).error(400, "InvalidRequest"),
        "expirationDateTime is a required property for subscription creation."
    );
    assert_eq!(
        with("notificationUrl", Value::Null).error(400, "InvalidRequest"),
        "notificationUrl is a required property for subscription creation."
    );
    assert_eq!(
        with("expirationDateTime", expires_in(&env.clock, 4232).into())
            .error(400, "ExtensionError"),
        "Subscription expiration can only be 4230 minutes in the future."
    );
    assert_eq!(
        with("changeType", "deleted".into()).error(400, "InvalidRequest"),
        "ChangeType 'deleted' is not supported for resource 'communications/callRecords'. The supported change types are created and updated."
    );
    assert!(
        with("resource", "/users".into())
            .error(400, "InvalidRequest")
            .starts_with("The resource '/users' is not supported.")
    );
    assert!(
        with(
            "resource",
            "/communications/callRecords?$filter=participants/any(p:p/id ne 'x')".into()
        )
        .error(400, "InvalidRequest")
        .contains("only eq and in are supported inside participants/any(...)")
    );
    assert_eq!(
        with("clientState", "x".repeat(129).into()).error(400, "InvalidRequest"),
        "clientState can be at most 128 characters long; it has 129."
    );
    assert!(with("clientState", "x".repeat(128).into()).status == 201);
    assert!(
        with("colour", "blue".into())
            .error(400, "BadRequest")
            .starts_with(
                "The property 'colour' does not exist on type 'microsoft.graph.subscription'."
            )
    );
    let own = format!("{}/v1.0/hook", env.base);
    assert!(
        with("notificationUrl", own.into())
            .error(400, "InvalidRequest")
            .contains("resolves to this service's own address")
    );
    // Shorter than 45 minutes is raised to 45 minutes.
    let short = with("expirationDateTime", expires_in(&env.clock, 5).into());
    assert_eq!(short.status, 201, "{}", short.text);
    let raised = minutes_between(
        &expires_in(&env.clock, 0),
        short.body["expirationDateTime"].as_str().unwrap(),
    );
    assert!((44.9..45.1).contains(&raised), "{raised}");

    let strict = Env::with(|c| c.allow_http = false);
    let reply = strict.send(
        "POST",
        "/v1.0/subscriptions",
        Some(&strict.request("/hook", "updated", "/communications/callRecords")),
    );
    assert_eq!(
        reply.error(400, "InvalidRequest"),
        "NotificationUrl scheme='http' is not supported."
    );
}

#[test]
fn a_tenant_holds_at_most_100_subscriptions() {
    let env = Env::start();
    let body = env.request("/hook", "updated", "/communications/callRecords");
    let mut ids = Vec::new();
    for _ in 0..100 {
        ids.push(env.subscribe(&body)["id"].as_str().unwrap().to_owned());
    }
    let message = env
        .send("POST", "/v1.0/subscriptions", Some(&body))
        .error(403, "ExtensionError");
    assert!(
        message.contains("Maximum number of subscriptions has been reached"),
        "{message}"
    );
    assert_eq!(
        env.send("DELETE", &format!("/v1.0/subscriptions/{}", ids[0]), None)
            .status,
        204
    );
    env.subscribe(&body);
}

#[test]
fn created_updated_filters_and_client_state() {
    let env = Env::start();
    let all_created =
        env.subscribe(&env.request("/created", "created", "/communications/callRecords"));
    env.subscribe(&env.request(
        "/p1",
        "updated",
        "/communications/callRecords?$filter=participants/any(p:p/id eq 'p1')",
    ));
    env.subscribe(&env.request("/both", "created,updated", "/communications/callRecords"));

    let r1 = record("r1", "2024-01-01T10:00:00Z", 1, 2); // participants p0, p1
    env.ingest(&r1);
    env.ingest(&record("r2", "2024-01-01T11:00:00Z", 1, 1)); // p0 only
    let r = &env.receiver;
    r.wait_until("first notifications", Duration::from_secs(10), |r| {
        r.notifications("/created").len() == 2
            && r.notifications("/p1").len() == 1
            && r.notifications("/both").len() == 4
    });
    assert_eq!(
        changes(&r.notifications("/created")),
        pairs(&[("created", "r1"), ("created", "r2")])
    );
    assert_eq!(
        changes(&r.notifications("/p1")),
        pairs(&[("updated", "r1")]),
        "r2 has no p1"
    );
    assert_eq!(
        changes(&r.notifications("/both")),
        pairs(&[
            ("created", "r1"),
            ("updated", "r1"),
            ("created", "r2"),
            ("updated", "r2")
        ])
    );

    let mut r1v2 = r1.clone();
    r1v2["version"] = 2.into();
    env.ingest(&r1v2);
    r.wait_until("updates", Duration::from_secs(10), |r| {
        r.notifications("/p1").len() == 2 && r.notifications("/both").len() == 5
    });
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        r.notifications("/created").len(),
        2,
        "created is sent once per record"
    );
    assert_eq!(
        changes(&r.notifications("/both")),
        pairs(&[
            ("created", "r1"),
            ("updated", "r1"),
            ("updated", "r1"),
            ("created", "r2"),
            ("updated", "r2")
        ])
    );

    // Every notification has Graph's shape and echoes its subscription's clientState.
    let created = &r.notifications("/created")[0];
    let id = created["resourceData"]["id"].as_str().unwrap();
    assert_eq!(created["subscriptionId"], all_created["id"]);
    assert_eq!(created["clientState"], "state of /created");
    assert_eq!(created["tenantId"], DEFAULT_TENANT);
    assert_eq!(
        created["resource"],
        format!("communications/callRecords/{id}")
    );
    assert_eq!(created["resourceData"]["@odata.id"], created["resource"]);
    assert_eq!(
        created["resourceData"]["@odata.type"],
        "#Microsoft.Graph.callRecord"
    );
    assert!(
        minutes_between(
            all_created["expirationDateTime"].as_str().unwrap(),
            created["subscriptionExpirationDateTime"].as_str().unwrap()
        )
        .abs()
            < 0.001
    );
    let mut ids = BTreeSet::new();
    for path in ["/created", "/p1", "/both"] {
        for n in r.notifications(path) {
            assert_eq!(n["clientState"], format!("state of {path}"));
            assert!(
                ids.insert(n["id"].as_str().unwrap().to_owned()),
                "ids are unique"
            );
        }
    }
    let content_types: BTreeSet<String> =
        r.deliveries().into_iter().map(|d| d.content_type).collect();
    assert_eq!(
        content_types,
        BTreeSet::from(["application/json; charset=utf-8".to_owned()])
    );
}

#[test]
fn notifications_to_one_url_are_batched() {
    let env = Env::start();
    // Two subscriptions, one URL: their notifications may share a POST.
    env.subscribe(&env.request("/hook", "updated", "/communications/callRecords"));
    env.subscribe(&env.request("/hook", "created", "/communications/callRecords"));
    let records: Vec<Value> = (0..20)
        .map(|i| record(&format!("b{i}"), "2024-01-01T10:00:00Z", 1, 1))
        .collect();
    env.ingest_bulk(&records);
    env.receiver
        .wait_until("40 notifications", Duration::from_secs(10), |r| {
            r.notifications("/hook").len() == 40
        });
    let posts = env.receiver.deliveries();
    assert!(
        posts.len() < 40,
        "{} POSTs for 40 notifications",
        posts.len()
    );
    assert!(
        posts.iter().any(|p| {
            let subs: BTreeSet<String> = p
                .items()
                .iter()
                .map(|n| n["subscriptionId"].to_string())
                .collect();
            subs.len() == 2
        }),
        "one POST carries notifications of both subscriptions"
    );
}

#[test]
fn failed_deliveries_are_retried_with_backoff_then_dropped() {
    let env = Env::start();
    env.subscribe(&env.request("/hook", "updated", "/communications/callRecords"));
    env.receiver.set(|b| b.status = 500);
    env.ingest(&record("r1", "2024-01-01T10:00:00Z", 1, 1));
    let attempts = |r: &Receiver| r.requests().iter().filter(|q| q.query.is_none()).count();
    env.receiver
        .wait_until("a first attempt", Duration::from_secs(10), |r| {
            attempts(r) == 1
        });
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(attempts(&env.receiver), 1, "no retry before the backoff");
    env.clock.advance(Duration::from_secs(31));
    env.receiver
        .wait_until("the first retry", Duration::from_secs(10), |r| {
            attempts(r) == 2
        });
    env.clock.advance(Duration::from_secs(31));
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        attempts(&env.receiver),
        2,
        "the second retry waits twice as long"
    );
    env.receiver.set(|b| b.status = 202);
    env.clock.advance(Duration::from_secs(30));
    env.receiver
        .wait_until("delivery", Duration::from_secs(10), |r| {
            r.notifications("/hook").len() == 1
        });
    let bodies: BTreeSet<String> = env
        .receiver
        .requests()
        .iter()
        .filter(|q| q.query.is_none())
        .flat_map(|q| q.items())
        .map(|n| n["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        bodies.len(),
        1,
        "every attempt carries the same notification id"
    );
    assert!(env.notifier.metrics().retried >= 2);

    // A reply slower than the delivery timeout is a failure too.
    env.receiver.set(|b| b.delay = Duration::from_millis(1500));
    env.ingest(&record("r2", "2024-01-01T10:00:00Z", 1, 1));
    let retried = env.notifier.metrics().retried;
    env.receiver
        .wait_until("a timed-out attempt", Duration::from_secs(10), |_| {
            env.notifier.metrics().retried > retried
        });

    // Past four hours it is dropped and counted.
    env.receiver.set(|b| {
        b.delay = Duration::ZERO;
        b.status = 503;
    });
    let dropped = env.notifier.metrics().dropped;
    env.clock.advance(Duration::from_secs(4 * 3600 + 60));
    env.receiver
        .wait_until("the drop", Duration::from_secs(10), |_| {
            env.notifier.metrics().dropped > dropped
        });
    let stats = env.runtime.block_on(env.store.outbox_stats()).unwrap();
    assert_eq!(stats.pending, 0);
    assert!(stats.dropped >= 1);
    assert_eq!(
        env.notifier.metrics().sent,
        1,
        "r2 was never delivered in time"
    );
}

#[test]
fn a_slow_endpoint_holds_back_no_other() {
    let env = Env::with(|c| {
        c.batch_size = 1;
        c.delivery_timeout = Duration::from_secs(3);
    });
    // The slow endpoint never answers in time; the fast one answers at once.
    let slow = Receiver::start(&env.runtime);
    slow.set(|b| b.delay = Duration::from_secs(10));
    let mut body = env.request("/slow", "updated", "/communications/callRecords");
    body["notificationUrl"] = slow.url("/slow").into();
    env.subscribe(&body);
    env.subscribe(&env.request("/fast", "updated", "/communications/callRecords"));
    let records: Vec<Value> = (0..12)
        .map(|i| record(&format!("s{i}"), "2024-01-01T10:00:00Z", 1, 1))
        .collect();
    env.ingest_bulk(&records);
    env.receiver
        .wait_until("every fast notification", Duration::from_secs(10), |r| {
            r.notifications("/fast").len() == 12
        });
    let metrics = env.notifier.metrics();
    assert_eq!(
        (metrics.sent, metrics.retried),
        (12, 0),
        "the fast endpoint got its 12 one-notification POSTs while the slow one's were still waiting"
    );
}

#[test]
fn an_endpoint_often_slow_is_dropped_as_graph_does() {
    let env = Env::start();
    env.subscribe(&env.request("/hook", "updated", "/communications/callRecords"));
    // Slow (over 300 ms here) but in time: delivered, and counted as slow.
    env.receiver.set(|b| b.delay = Duration::from_millis(450));
    let records: Vec<Value> = (0..100)
        .map(|i| record(&format!("d{i}"), "2024-01-01T10:00:00Z", 1, 1))
        .collect();
    env.ingest_bulk(&records);
    // Two POSTs of 50, each slower than the threshold (in time or not, both count as slow).
    env.receiver
        .wait_until("100 slow notifications", Duration::from_secs(20), |_| {
            env.notifier.metrics().posts >= 2
        });
    let dropped = env.notifier.metrics().dropped;
    env.ingest(&record("late", "2024-01-01T10:00:00Z", 1, 1));
    env.receiver
        .wait_until("the drop", Duration::from_secs(10), |_| {
            env.notifier.metrics().dropped > dropped
        });
    assert!(
        env.receiver
            .requests()
            .iter()
            .flat_map(|q| q.items())
            .all(|n| n["resourceData"]["id"] != "late"),
        "an endpoint with 15% slow notifications gets no more"
    );
}

#[test]
fn expired_subscriptions_stop_and_disappear() {
    let env = Env::start();
    let mut body = env.request("/hook", "updated", "/communications/callRecords");
    body["expirationDateTime"] = expires_in(&env.clock, 45).into();
    let id = env.subscribe(&body)["id"].as_str().unwrap().to_owned();
    env.clock.advance(Duration::from_secs(46 * 60));
    env.send("GET", &format!("/v1.0/subscriptions/{id}"), None)
        .error(404, "itemNotFound");
    assert_eq!(
        env.send("GET", "/v1.0/subscriptions", None).body["value"],
        json!([])
    );
    env.ingest(&record("r1", "2024-01-01T10:00:00Z", 1, 1));
    let deadline = Instant::now() + Duration::from_secs(10);
    while env
        .runtime
        .block_on(env.store.subscription(DEFAULT_TENANT, &id))
        .unwrap()
        .is_some()
    {
        assert!(
            Instant::now() < deadline,
            "the expired subscription was not removed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        env.receiver.deliveries().is_empty(),
        "nothing delivered after expiry"
    );
    assert_eq!(
        env.runtime
            .block_on(env.store.outbox_stats())
            .unwrap()
            .pending,
        0
    );
}

#[test]
fn reauthorization_is_required_before_expiry() {
    let env = Env::start();
    let mut body = env.request("/hook", "updated", "/communications/callRecords");
    body["lifecycleNotificationUrl"] = env.receiver.url("/lifecycle").into();
    body["expirationDateTime"] = expires_in(&env.clock, 60).into();
    let created = env.subscribe(&body);
    let id = created["id"].as_str().unwrap();
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        env.receiver.notifications("/lifecycle").is_empty(),
        "not yet"
    );
    env.clock.advance(Duration::from_secs(51 * 60));
    env.receiver
        .wait_until("reauthorizationRequired", Duration::from_secs(10), |r| {
            !r.notifications("/lifecycle").is_empty()
        });
    let lifecycle = env.receiver.notifications("/lifecycle");
    assert_eq!(lifecycle.len(), 1);
    let expected = crate::support::example("changenotifications-lifecycle-notification.json");
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&lifecycle[0]), keys(&expected["value"][0]));
    assert_eq!(lifecycle[0]["lifecycleEvent"], "reauthorizationRequired");
    assert_eq!(lifecycle[0]["subscriptionId"], id);
    assert_eq!(lifecycle[0]["clientState"], "state of /hook");
    assert_eq!(lifecycle[0]["tenantId"], DEFAULT_TENANT);
    assert_eq!(
        env.send(
            "POST",
            &format!("/v1.0/subscriptions/{id}/reauthorize"),
            None
        )
        .status,
        204
    );
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        env.receiver.notifications("/lifecycle").len(),
        1,
        "once per expiration"
    );
}

#[test]
fn every_notification_arrives_after_a_crash_mid_delivery() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let receiver = Receiver::start(&runtime);
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("crash.db");
    let (mut child, base) = spawn_serve(
        &store,
        &["--allow-http-webhooks", "--webhook-lease-secs", "2"],
    );
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let post = |base: &str, path: &str, body: String, ct: &str| {
        let mut r = agent
            .post(&format!("{base}{path}"))
            .header("content-type", ct)
            .send(body)
            .expect("request");
        (
            r.status().as_u16(),
            r.body_mut().read_to_string().unwrap_or_default(),
        )
    };
    let subscription = json!({
        "changeType": "updated",
        "notificationUrl": receiver.url("/hook"),
        "resource": "/communications/callRecords",
        "expirationDateTime": callrec::notify::payload::date_time(
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as i64 + 3_600_000),
        "clientState": "crash",
    });
    let (status, text) = post(
        &base,
        "/v1.0/subscriptions",
        subscription.to_string(),
        "application/json",
    );
    assert_eq!(status, 201, "{text}");
    let bulk = |from: usize, to: usize| -> String {
        (from..to)
            .map(|i| {
                format!(
                    "{}\n",
                    record(&format!("k{i}"), "2024-01-01T10:00:00Z", 1, 1)
                )
            })
            .collect()
    };
    // The first 50 are delivered before the crash; the next 100 are in flight (the receiver takes a
    // second to answer) and the last 30 are still in the outbox when the server is killed.
    let (status, _) = post(
        &base,
        "/callrec/import",
        bulk(0, 50),
        "application/x-ndjson",
    );
    assert_eq!(status, 200);
    receiver.wait_until("the first 50", Duration::from_secs(20), |r| {
        r.notifications("/hook").len() >= 50
    });
    receiver.set(|b| b.delay = Duration::from_millis(1000));
    let (status, _) = post(
        &base,
        "/callrec/import",
        bulk(50, 150),
        "application/x-ndjson",
    );
    assert_eq!(status, 200);
    std::thread::sleep(Duration::from_millis(400));
    let (status, _) = post(
        &base,
        "/callrec/import",
        bulk(150, 180),
        "application/x-ndjson",
    );
    assert_eq!(status, 200);
    child.kill().expect("SIGKILL");
    child.wait().expect("wait");
    let before = receiver.notifications("/hook").len();
    assert!(
        before < 150,
        "the server was killed mid-delivery ({before} delivered)"
    );

    let (mut child, _base) = spawn_serve(
        &store,
        &["--allow-http-webhooks", "--webhook-lease-secs", "2"],
    );
    receiver.wait_until("every notification", Duration::from_secs(30), |r| {
        let records: BTreeSet<String> = r
            .notifications("/hook")
            .iter()
            .map(|n| {
                n["resourceData"]["id"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect();
        records.len() == 180
    });
    child.kill().ok();
    child.wait().ok();

    // Each notification keeps its id across the crash: a record's repeats are one id.
    let all = receiver.notifications("/hook");
    let mut ids: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for n in &all {
        assert_eq!(n["clientState"], "crash");
        ids.entry(n["resourceData"]["id"].as_str().unwrap().to_owned())
            .or_default()
            .insert(n["id"].as_str().unwrap().to_owned());
    }
    assert!(
        ids.values().all(|set| set.len() == 1),
        "one id per notification"
    );
    let distinct: BTreeSet<&String> = ids.values().flatten().collect();
    assert_eq!(distinct.len(), 180);
    println!(
        "notification crash test: {before} delivered before SIGKILL, {} deliveries in all for 180 notifications",
        all.len()
    );
}
