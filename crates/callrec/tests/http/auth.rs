//! Bearer tokens over real HTTP: RS256 tokens signed with the committed test-only key and checked against
//! its JWKS file, HS256 development tokens, every way a token can be wrong, permissions, and tenants kept
//! apart whatever a client tries.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use callrec::auth::{self, Authenticator, JwksSource, TokenSettings};
use callrec::http::ApiConfig;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};

use crate::support::{Reply, TestServer, record};

const RECORDS: &str = "/v1.0/communications/callRecords";
const SECRET: &str = "test-only-hs256-secret";
const KID: &str = "callrec-test-key-1";
const TENANT_A: &str = "aaaaaaaa-0000-0000-0000-00000000000a";
const TENANT_B: &str = "bbbbbbbb-0000-0000-0000-00000000000b";
const READ: &str = auth::CALL_RECORDS_READ;
const WRITE: &str = auth::CALL_RECORDS_WRITE;
const PSTN: &str = auth::PSTN_CALLS_READ;

fn data(name: &str) -> String {
    format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}

/// Sets up token checking outside the servers' runtimes, as a test's own code has none.
fn authenticator(settings: &TokenSettings) -> Result<Authenticator, callrec::auth::AuthSetupError> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(Authenticator::new(settings))
}

/// A server that accepts RS256 tokens from the test JWKS and HS256 tokens with [`SECRET`], issued by the
/// v1 endpoint of the token's own tenant.
pub fn secured(adjust: impl FnOnce(&mut ApiConfig)) -> TestServer {
    let settings = TokenSettings {
        hs256_secret: Some(SECRET.to_owned()),
        jwks: Some(JwksSource::File(data("test-only-jwks.json"))),
        issuers: vec!["https://sts.windows.net/{tenantid}/".to_owned()],
        ..TokenSettings::default()
    };
    let mut config = ApiConfig {
        auth: Some(Arc::new(authenticator(&settings).expect("auth setup"))),
        ..ApiConfig::default()
    };
    adjust(&mut config);
    TestServer::start_with(config)
}

/// The claims of a valid app-only token for `tenant` with `roles`.
pub fn claims(tenant: &str, roles: &[&str]) -> Value {
    json!({
        "aud": "https://graph.microsoft.com",
        "iss": format!("https://sts.windows.net/{tenant}/"),
        "iat": now(),
        "nbf": now() - 10,
        "exp": now() + 3600,
        "tid": tenant,
        "appid": "22222222-2222-2222-2222-222222222222",
        "idtyp": "app",
        "roles": roles,
    })
}

/// Signs claims with the committed test-only RSA key, as the identity platform signs.
pub fn rs256(claims: &Value) -> String {
    sign_rsa(claims, "test-only-rsa-private.pem", KID)
}

fn sign_rsa(claims: &Value, key_file: &str, kid: &str) -> String {
    let pem = std::fs::read(data(key_file)).expect("test key");
    let key = EncodingKey::from_rsa_pem(&pem).expect("RSA key");
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some(kid.to_owned());
    jsonwebtoken::encode(&header, claims, &key).expect("sign")
}

/// Signs claims with the shared development secret.
pub fn hs256(claims: &Value) -> String {
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        claims,
        &EncodingKey::from_secret(SECRET.as_bytes()),
    )
    .expect("sign")
}

fn with(tenant: &str, roles: &[&str], change: impl FnOnce(&mut Value)) -> Value {
    let mut c = claims(tenant, roles);
    change(&mut c);
    c
}

/// Asserts a 401 with Graph's code and a challenge; returns the message.
#[track_caller]
fn assert_unauthorized(reply: &Reply, token_given: bool) -> String {
    let message = reply.assert_error(401, "InvalidAuthenticationToken");
    let challenge = reply.header("www-authenticate").expect("WWW-Authenticate");
    assert!(challenge.starts_with("Bearer "), "{challenge}");
    assert!(
        challenge.contains("authorization_uri="),
        "Graph's challenge names the authorization endpoint: {challenge}"
    );
    assert_eq!(
        challenge.contains("error=\"invalid_token\""),
        token_given,
        "{challenge}"
    );
    message
}

#[test]
fn graph_reads_need_a_token() {
    let server = secured(|_| {});
    let message = assert_unauthorized(&server.get(RECORDS), false);
    assert_eq!(message, "Access token is empty.");
    assert_unauthorized(&server.get(&format!("{RECORDS}/x/sessions")), false);
    assert_unauthorized(&server.get("/beta/communications/callRecords"), false);
    let write = server.post(RECORDS, &record("r1", "2024-01-01T10:00:00Z", 1, 1));
    assert_unauthorized(&write, false);
    // The service documents and the health check stay open, as Graph's $metadata does.
    assert_eq!(server.get("/healthz").status, 200);
    assert_eq!(server.get("/v1.0/$metadata").status, 200);
}

#[test]
fn valid_rs256_and_hs256_tokens_are_accepted() {
    let server = secured(|_| {});
    let reply = server.get_as(&rs256(&claims(TENANT_A, &[READ])), RECORDS);
    assert_eq!(reply.status, 200, "{}", reply.text);
    let reply = server.get_as(&hs256(&claims(TENANT_A, &[READ])), RECORDS);
    assert_eq!(reply.status, 200, "{}", reply.text);
    // `callrec token` makes the same kind of token.
    let dev = auth::dev_token(
        SECRET,
        &auth::DevToken {
            tenant: TENANT_A.to_owned(),
            app: "app".to_owned(),
            roles: vec![READ.to_owned()],
            audience: auth::GRAPH_AUDIENCES[0].to_owned(),
            lifetime: Duration::from_secs(60),
        },
    )
    .unwrap();
    assert_eq!(server.get_as(&dev, RECORDS).status, 200);
    // Small clock skew is forgiven.
    let just_expired = with(TENANT_A, &[READ], |c| c["exp"] = json!(now() - 60));
    assert_eq!(server.get_as(&rs256(&just_expired), RECORDS).status, 200);
}

#[test]
fn every_kind_of_bad_token_is_refused_with_401() {
    let server = secured(|_| {});
    let check = |token: &str, expected: &str| {
        let reply = server.get_as(token, RECORDS);
        let message = assert_unauthorized(&reply, true);
        assert!(
            message.to_lowercase().contains(expected),
            "expected '{expected}' in '{message}'"
        );
    };
    let expired = with(TENANT_A, &[READ], |c| c["exp"] = json!(now() - 3600));
    check(&rs256(&expired), "expired");
    let early = with(TENANT_A, &[READ], |c| c["nbf"] = json!(now() + 3600));
    check(&rs256(&early), "not yet valid");
    let audience = with(TENANT_A, &[READ], |c| {
        c["aud"] = json!("https://management.azure.com")
    });
    check(&rs256(&audience), "audience");
    let no_audience = with(TENANT_A, &[READ], |c| {
        c.as_object_mut().unwrap().remove("aud");
    });
    check(&rs256(&no_audience), "audience");
    let issuer = with(TENANT_A, &[READ], |c| {
        c["iss"] = json!(format!("https://sts.windows.net/{TENANT_B}/"))
    });
    check(&rs256(&issuer), "issuer");
    let no_tenant = with(TENANT_A, &[READ], |c| {
        c.as_object_mut().unwrap().remove("tid");
    });
    check(&rs256(&no_tenant), "tid");
    let no_roles = with(TENANT_A, &[], |c| {
        c.as_object_mut().unwrap().remove("roles");
    });
    check(&rs256(&no_roles), "roles claim");

    // Signed by another key under the test key's kid.
    let forged = sign_rsa(
        &claims(TENANT_A, &[READ]),
        "test-only-rsa-other-private.pem",
        KID,
    );
    check(&forged, "signature");
    // A valid token whose payload was changed to another tenant.
    let good = rs256(&claims(TENANT_A, &[READ]));
    let parts: Vec<&str> = good.split('.').collect();
    let tampered_payload = URL_SAFE_NO_PAD.encode(claims(TENANT_B, &[READ, WRITE]).to_string());
    check(
        &format!("{}.{tampered_payload}.{}", parts[0], parts[2]),
        "signature",
    );
    // HS256 signed with a guessed secret.
    let guessed = jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims(TENANT_A, &[READ]),
        &EncodingKey::from_secret(b"secret"),
    )
    .unwrap();
    check(&guessed, "signature");
    // A kid the JWKS does not have.
    check(
        &sign_rsa(
            &claims(TENANT_A, &[READ]),
            "test-only-rsa-private.pem",
            "other-kid",
        ),
        "kid",
    );
    // `alg: none`, unsigned.
    let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let payload = URL_SAFE_NO_PAD.encode(claims(TENANT_A, &[READ]).to_string());
    check(&format!("{none_header}.{payload}."), "'none'");
    check(&format!("{none_header}.{payload}"), "not a well-formed jwt");
    // Malformed tokens.
    check("abc", "not a well-formed jwt");
    check("a.b.c", "not a well-formed jwt");
    let reply = server.get_with(RECORDS, &[("authorization", "Basic dXNlcjpwYXNz")]);
    let message = assert_unauthorized(&reply, true);
    assert!(message.contains("Bearer"), "{message}");
}

#[test]
fn hs256_tokens_are_refused_when_no_secret_is_configured() {
    let settings = TokenSettings {
        jwks: Some(JwksSource::File(data("test-only-jwks.json"))),
        ..TokenSettings::default()
    };
    let server = TestServer::start_with(ApiConfig {
        auth: Some(Arc::new(authenticator(&settings).unwrap())),
        ..ApiConfig::default()
    });
    let message = assert_unauthorized(
        &server.get_as(&hs256(&claims(TENANT_A, &[READ])), RECORDS),
        true,
    );
    assert!(message.contains("HS256"), "{message}");
    assert_eq!(
        server
            .get_as(&rs256(&claims(TENANT_A, &[READ])), RECORDS)
            .status,
        200
    );
}

#[test]
fn permissions_follow_graph_and_writes_need_read_write() {
    let server = secured(|_| {});
    let pstn_only = rs256(&claims(TENANT_A, &[PSTN]));
    let reply = server.get_as(&pstn_only, RECORDS);
    let message = reply.assert_error(403, "accessDenied");
    assert!(message.contains(READ), "{message}");
    assert!(reply.header("www-authenticate").is_none());
    server
        .get_as(&pstn_only, &format!("{RECORDS}/r1"))
        .assert_error(403, "accessDenied");
    // The log functions, and callrec's own reads of log rows, accept the PSTN permission.
    for function in [
        "getPstnCalls(fromDateTime=2024-01-01,toDateTime=2024-01-02)",
        "microsoft.graph.callRecords.getDirectRoutingCalls(fromDateTime=2024-01-01,toDateTime=2024-01-02)",
    ] {
        let reply = server.get_as(&pstn_only, &format!("{RECORDS}/{function}"));
        assert_eq!(reply.status, 200, "{function}: {}", reply.text);
    }
    server
        .get_as(&pstn_only, "/callrec/logs/pstnCall/nope")
        .assert_error(404, "itemNotFound");
    // Without any read permission, the log functions are refused too.
    let writer_only = rs256(&claims(TENANT_A, &["Some.Other.Role"]));
    server
        .get_as(
            &writer_only,
            &format!("{RECORDS}/getPstnCalls(fromDateTime=2024-01-01,toDateTime=2024-01-02)"),
        )
        .assert_error(403, "accessDenied");

    let reader = rs256(&claims(TENANT_A, &[READ]));
    let writer = rs256(&claims(TENANT_A, &[WRITE]));
    let rec = record("r1", "2024-01-01T10:00:00Z", 1, 1);
    let post = |token: &str| {
        server.send(
            "POST",
            RECORDS,
            &rec.to_string(),
            &[("authorization", &format!("Bearer {token}"))],
        )
    };
    post(&reader).assert_error(403, "accessDenied");
    let bulk = server.send(
        "POST",
        "/callrec/import",
        &format!("{rec}\n"),
        &[
            ("authorization", &format!("Bearer {reader}")),
            ("content-type", "application/x-ndjson"),
        ],
    );
    bulk.assert_error(403, "accessDenied");
    assert_eq!(post(&writer).status, 201);
    // The read-write permission reads too.
    assert_eq!(server.get_as(&writer, &format!("{RECORDS}/r1")).status, 200);
    assert_eq!(server.get_as(&reader, &format!("{RECORDS}/r1")).status, 200);
    let delete = |token: &str| {
        server.send(
            "DELETE",
            &format!("{RECORDS}/r1"),
            "",
            &[("authorization", &format!("Bearer {token}"))],
        )
    };
    delete(&reader).assert_error(403, "accessDenied");
    assert_eq!(delete(&writer).status, 204);
}

fn as_tenant(server: &TestServer, token: &str, method: &str, path: &str, body: &str) -> Reply {
    server.send(
        method,
        path,
        body,
        &[("authorization", &format!("Bearer {token}"))],
    )
}

#[test]
fn tenants_never_see_each_others_records() {
    let server = secured(|_| {});
    let writer_a = hs256(&claims(TENANT_A, &[WRITE]));
    let writer_b = hs256(&claims(TENANT_B, &[WRITE]));
    let reader_a = rs256(&claims(TENANT_A, &[READ]));
    let reader_b = rs256(&claims(TENANT_B, &[READ]));
    for i in 0..5 {
        let rec = record(&format!("a{i}"), "2024-01-01T10:00:00Z", 1, 1);
        let reply = as_tenant(&server, &writer_a, "POST", RECORDS, &rec.to_string());
        assert_eq!(reply.status, 201, "{}", reply.text);
    }
    for i in 0..3 {
        let rec = record(&format!("b{i}"), "2024-01-02T10:00:00Z", 2, 2);
        let reply = as_tenant(&server, &writer_b, "POST", RECORDS, &rec.to_string());
        assert_eq!(reply.status, 201, "{}", reply.text);
    }

    // Listing and counting.
    let ids = |reply: &Reply| -> Vec<String> {
        reply.json()["value"]
            .as_array()
            .expect("value")
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let list_a = server.get_as(&reader_a, &format!("{RECORDS}?$count=true"));
    assert_eq!(list_a.status, 200, "{}", list_a.text);
    assert_eq!(ids(&list_a), ["a0", "a1", "a2", "a3", "a4"]);
    assert_eq!(list_a.json()["@odata.count"], 5);
    let list_b = server.get_as(&reader_b, &format!("{RECORDS}?$count=true"));
    assert_eq!(ids(&list_b), ["b0", "b1", "b2"]);
    assert_eq!(list_b.json()["@odata.count"], 3);
    let filtered = server.get_as(&reader_a, &format!("{RECORDS}?$filter=id%20eq%20'b1'"));
    assert_eq!(filtered.status, 200, "{}", filtered.text);
    assert!(ids(&filtered).is_empty());

    // Guessed ids, inside and out.
    for path in [
        "b1",
        "b1/sessions",
        "b1/sessions/s0",
        "b1/sessions/s0/segments",
        "b1/participants_v2",
        "b1/participants_v2/p0",
        "b1/organizer_v2",
    ] {
        server
            .get_as(&reader_a, &format!("{RECORDS}/{path}"))
            .assert_error(404, "itemNotFound");
        assert_eq!(
            server
                .get_as(&reader_b, &format!("{RECORDS}/{path}"))
                .status,
            200,
            "{path}"
        );
    }
    let expanded = server.get_as(
        &reader_a,
        &format!("{RECORDS}/b1?$expand=sessions($expand=segments),participants_v2"),
    );
    expanded.assert_error(404, "itemNotFound");

    // Another tenant's nextLink, and a hand-made skiptoken naming the other tenant.
    let page = server.get_with(
        RECORDS,
        &[
            ("authorization", &format!("Bearer {reader_b}")),
            ("prefer", "odata.maxpagesize=1"),
        ],
    );
    let next = page.json()["@odata.nextLink"]
        .as_str()
        .expect("nextLink")
        .to_owned();
    server
        .get_as(&reader_a, &next)
        .assert_error(400, "BadRequest");
    assert_eq!(server.get_as(&reader_b, &next).status, 200);
    let forged = URL_SAFE_NO_PAD.encode(
        json!({"tenant": TENANT_B, "filter": null, "select": null, "orderby": null, "count": true,
               "page_size": 100, "remaining": null, "after_key": 0, "after_id": ""})
        .to_string(),
    );
    server
        .get_as(&reader_a, &format!("{RECORDS}?$skiptoken={forged}"))
        .assert_error(400, "BadRequest");
    let sessions_page = server.get_with(
        &format!("{RECORDS}/b1/sessions"),
        &[
            ("authorization", &format!("Bearer {reader_b}")),
            ("prefer", "odata.maxpagesize=1"),
        ],
    );
    let link = sessions_page.json()["@odata.nextLink"]
        .as_str()
        .expect("sessions nextLink")
        .to_owned();
    server
        .get_as(&reader_a, &link)
        .assert_error(400, "BadRequest");
    assert_eq!(server.get_as(&reader_b, &link).status, 200);

    // Writes: deleting another tenant's record finds nothing; writing its id makes one's own record.
    as_tenant(&server, &writer_a, "DELETE", &format!("{RECORDS}/b1"), "")
        .assert_error(404, "itemNotFound");
    assert_eq!(
        server.get_as(&reader_b, &format!("{RECORDS}/b1")).status,
        200
    );
    let mine = record("b1", "2024-03-03T10:00:00Z", 1, 1);
    let reply = as_tenant(
        &server,
        &writer_a,
        "PUT",
        &format!("{RECORDS}/b1"),
        &mine.to_string(),
    );
    assert_eq!(reply.status, 201, "{}", reply.text);
    let theirs = server.get_as(&reader_b, &format!("{RECORDS}/b1")).json();
    assert_eq!(theirs["startDateTime"], "2024-01-02T10:00:00Z");
    let ours = server.get_as(&reader_a, &format!("{RECORDS}/b1")).json();
    assert_eq!(ours["startDateTime"], "2024-03-03T10:00:00Z");
    assert_eq!(
        ids(&server.get_as(&reader_b, RECORDS)),
        ["b0", "b1", "b2"],
        "tenant B's listing is unchanged"
    );
}

#[test]
fn without_authentication_everyone_is_the_default_tenant() {
    let server = TestServer::start();
    server.ingest(&record("r1", "2024-01-01T10:00:00Z", 1, 1));
    // A token is neither needed nor able to pick another tenant.
    let other = hs256(&claims(TENANT_B, &[READ]));
    assert_eq!(server.get_as(&other, &format!("{RECORDS}/r1")).status, 200);
    assert_eq!(server.get(&format!("{RECORDS}/r1")).status, 200);
}

fn pstn_row(id: &str) -> Value {
    json!({
        "id": id, "callId": format!("{id}@10.0.0.1"),
        "userId": "db03c14b-06eb-4189-939b-7cbf3a20ba27", "userPrincipalName": "user@contoso.com",
        "userDisplayName": "Richard Malk", "startDateTime": "2024-01-01T10:00:00Z",
        "endDateTime": "2024-01-01T10:03:39Z", "duration": 219, "charge": 0.05, "callType": "user_in",
        "currency": "USD", "calleeNumber": "+14250000001", "usageCountryCode": "US",
        "tenantCountryCode": "US", "connectionCharge": 0.0, "callerNumber": "+12060000001",
        "destinationContext": null, "destinationName": "United States", "conferenceId": null,
        "licenseCapability": "MCOPSTNU", "inventoryType": "Subscriber", "operator": "Microsoft",
        "callDurationSource": "microsoft"
    })
}

#[test]
fn tenants_never_see_each_others_log_rows() {
    let server = secured(|_| {});
    let writer_a = hs256(&claims(TENANT_A, &[WRITE]));
    let reply = as_tenant(
        &server,
        &writer_a,
        "POST",
        "/callrec/logs/pstnCall",
        &pstn_row("row-a").to_string(),
    );
    assert!(reply.status == 201 || reply.status == 200, "{}", reply.text);
    let calls = format!("{RECORDS}/getPstnCalls(fromDateTime=2024-01-01,toDateTime=2024-01-02)");
    let rows = |token: &str| {
        let reply = server.get_as(token, &calls);
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.json()["value"].as_array().expect("value").len()
    };
    assert_eq!(rows(&rs256(&claims(TENANT_A, &[PSTN]))), 1);
    assert_eq!(rows(&rs256(&claims(TENANT_B, &[PSTN]))), 0);
    assert_eq!(
        server
            .get_as(
                &rs256(&claims(TENANT_A, &[PSTN])),
                "/callrec/logs/pstnCall/row-a"
            )
            .status,
        200
    );
    server
        .get_as(
            &rs256(&claims(TENANT_B, &[PSTN])),
            "/callrec/logs/pstnCall/row-a",
        )
        .assert_error(404, "itemNotFound");
    let writer_b = hs256(&claims(TENANT_B, &[WRITE]));
    as_tenant(
        &server,
        &writer_b,
        "DELETE",
        "/callrec/logs/pstnCall/row-a",
        "",
    )
    .assert_error(404, "itemNotFound");
    assert_eq!(rows(&rs256(&claims(TENANT_A, &[PSTN]))), 1);
}

/// A JWKS endpoint on loopback, as the identity platform publishes one: its document can be replaced
/// (a key rotation) and it counts how often it is fetched.
struct JwksEndpoint {
    url: String,
    document: Arc<Mutex<String>>,
    fetches: Arc<AtomicUsize>,
    _runtime: tokio::runtime::Runtime,
}

impl JwksEndpoint {
    fn start(file: &str) -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let document = Arc::new(Mutex::new(std::fs::read_to_string(data(file)).unwrap()));
        let fetches = Arc::new(AtomicUsize::new(0));
        let (doc, count) = (document.clone(), fetches.clone());
        let app = axum::Router::new().route(
            "/discovery/keys",
            axum::routing::get(move || {
                count.fetch_add(1, Ordering::SeqCst);
                let body = doc.lock().unwrap().clone();
                async move { body }
            }),
        );
        let listener = runtime
            .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
            .unwrap();
        let url = format!("http://{}/discovery/keys", listener.local_addr().unwrap());
        runtime.spawn(async move { axum::serve(listener, app).await.unwrap() });
        JwksEndpoint {
            url,
            document,
            fetches,
            _runtime: runtime,
        }
    }

    fn rotate_to(&self, file: &str) {
        *self.document.lock().unwrap() = std::fs::read_to_string(data(file)).unwrap();
    }

    fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }
}

#[test]
fn a_jwks_url_is_fetched_at_start_and_again_for_a_new_key_at_most_once_an_interval() {
    let endpoint = JwksEndpoint::start("test-only-jwks.json");
    let settings = TokenSettings {
        jwks: Some(JwksSource::parse(&endpoint.url)),
        jwks_refresh: Some(Duration::from_secs(2)),
        ..TokenSettings::default()
    };
    let server = TestServer::start_with(ApiConfig {
        auth: Some(Arc::new(authenticator(&settings).unwrap())),
        ..ApiConfig::default()
    });
    assert_eq!(endpoint.fetches(), 1, "fetched once at start");
    let token = rs256(&claims(TENANT_A, &[READ]));
    assert_eq!(server.get_as(&token, RECORDS).status, 200);

    // The platform rotates in a second key; tokens signed with it arrive before callrec has seen it.
    endpoint.rotate_to("test-only-jwks-rotated.json");
    let rotated = sign_rsa(
        &claims(TENANT_A, &[READ]),
        "test-only-rsa-other-private.pem",
        "callrec-test-key-2",
    );
    // Within the interval since the last fetch, unknown kids are refused without fetching.
    for _ in 0..5 {
        assert_unauthorized(&server.get_as(&rotated, RECORDS), true);
    }
    assert_eq!(endpoint.fetches(), 1);
    std::thread::sleep(Duration::from_millis(2100));
    let reply = server.get_as(&rotated, RECORDS);
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(endpoint.fetches(), 2, "fetched again for the new kid");
    // Made-up kids right after a fetch cost nothing.
    for kid in ["x", "y", "z"] {
        let forged = sign_rsa(&claims(TENANT_A, &[READ]), "test-only-rsa-private.pem", kid);
        assert_unauthorized(&server.get_as(&forged, RECORDS), true);
    }
    assert_eq!(endpoint.fetches(), 2);
    // Both keys now verify.
    assert_eq!(server.get_as(&token, RECORDS).status, 200);
    assert_eq!(server.get_as(&rotated, RECORDS).status, 200);
}

#[test]
fn an_unreachable_or_empty_jwks_stops_the_start() {
    let unreachable = TokenSettings {
        jwks: Some(JwksSource::parse("http://127.0.0.1:9/keys")),
        ..TokenSettings::default()
    };
    let e = authenticator(&unreachable).unwrap_err().to_string();
    assert!(e.contains("cannot fetch"), "{e}");
    let missing = TokenSettings {
        jwks: Some(JwksSource::File(data("no-such-jwks.json"))),
        ..TokenSettings::default()
    };
    let e = authenticator(&missing).unwrap_err().to_string();
    assert!(e.contains("cannot read"), "{e}");
    let empty = JwksEndpoint::start("test-only-jwks.json");
    *empty.document.lock().unwrap() = r#"{"keys":[]}"#.to_owned();
    let e = authenticator(&TokenSettings {
        jwks: Some(JwksSource::parse(&empty.url)),
        ..TokenSettings::default()
    })
    .unwrap_err()
    .to_string();
    assert!(e.contains("no keys"), "{e}");
}

/// `callrec` with no token settings inherited from the environment.
fn callrec(args: &[&str]) -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_callrec"));
    command
        .args(args)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1");
    for name in [
        "CALLREC_JWT_SECRET",
        "CALLREC_JWKS",
        "CALLREC_AUTH",
        "CALLREC_LISTEN",
        "CALLREC_STORE",
    ] {
        command.env_remove(name);
    }
    command
}

/// A `callrec serve` process, killed when dropped.
struct Served {
    child: std::process::Child,
    base: String,
    /// The log lines up to the one that names the address.
    log: Vec<String>,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(store: &std::path::Path, extra: &[&str]) -> Served {
    use std::io::BufRead;
    let mut child = callrec(&["serve", "--store", store.to_str().unwrap()])
        .args(extra)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start callrec serve");
    let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
    let mut log = Vec::new();
    let base = loop {
        let line = lines.next().expect("the server exited").expect("stderr");
        if let Some(at) = line.find("http://") {
            let rest = &line[at..];
            let end = rest.find("/v1.0").unwrap_or(rest.len());
            break rest[..end].replace("0.0.0.0", "127.0.0.1");
        }
        log.push(line);
    };
    std::thread::spawn(move || for _ in lines {});
    Served { child, base, log }
}

fn http(method: &str, url: &str, token: Option<&str>, body: Option<&Value>) -> (u16, String) {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut request = ureq::http::Request::builder().method(method).uri(url);
    if let Some(t) = token {
        request = request.header("authorization", format!("Bearer {t}"));
    }
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    if !body.is_empty() {
        request = request.header("content-type", "application/json");
    }
    let mut response = agent.run(request.body(body.into_bytes()).unwrap()).unwrap();
    let text = response.body_mut().read_to_string().unwrap();
    (response.status().as_u16(), text)
}

fn dev_token_from_cli(secret: &str, tenant: &str, roles: &str) -> String {
    let out = callrec(&[
        "token", "--secret", secret, "--tenant", tenant, "--roles", roles,
    ])
    .output()
    .expect("callrec token");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

#[test]
fn callrec_token_and_serve_with_a_secret_work_together() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(
        &dir.path().join("s.db"),
        &["--listen", "127.0.0.1:0", "--jwt-secret", "cli-secret"],
    );
    let both = format!("{READ},{WRITE}");
    let token_a = dev_token_from_cli("cli-secret", TENANT_A, &both);
    let token_b = dev_token_from_cli("cli-secret", TENANT_B, READ);
    let records = format!("{}{RECORDS}", server.base);
    let (status, text) = http("GET", &records, None, None);
    assert_eq!(status, 401, "{text}");
    // With tokens, Graph's 30-day retention applies: a record of yesterday is visible, one of 2024 not.
    let yesterday = (time::OffsetDateTime::now_utc() - time::Duration::days(1))
        .replace_nanosecond(0)
        .unwrap()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap();
    let old = record("cli-old", "2024-01-01T10:00:00Z", 1, 1);
    let (status, text) = http("POST", &records, Some(&token_a), Some(&old));
    assert_eq!(status, 201, "{text}");
    let rec = record("cli-1", &yesterday, 1, 1);
    let (status, text) = http("POST", &records, Some(&token_a), Some(&rec));
    assert_eq!(status, 201, "{text}");
    let (status, text) = http("GET", &records, Some(&token_a), None);
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("cli-1"), "{text}");
    assert!(!text.contains("cli-old"), "{text}");
    let (status, text) = http("GET", &records, Some(&token_b), None);
    assert_eq!(status, 200, "{text}");
    assert!(
        !text.contains("cli-1"),
        "tenant B sees tenant A's record: {text}"
    );
    // A token made with another secret is refused.
    let wrong = dev_token_from_cli("other-secret", TENANT_A, READ);
    assert_eq!(http("GET", &records, Some(&wrong), None).0, 401);
    assert!(
        !server
            .log
            .iter()
            .any(|l| l.contains("AUTHENTICATION IS OFF")),
        "{:?}",
        server.log
    );
}

#[test]
fn serve_is_open_only_on_loopback_unless_told() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("s.db");
    let local = serve(&store, &["--listen", "127.0.0.1:0"]);
    assert!(
        local
            .log
            .iter()
            .any(|l| l.contains("AUTHENTICATION IS OFF")),
        "{:?}",
        local.log
    );
    assert_eq!(
        http("GET", &format!("{}{RECORDS}", local.base), None, None).0,
        200
    );
    drop(local);

    let out = callrec(&[
        "serve",
        "--listen",
        "0.0.0.0:0",
        "--store",
        store.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("refusing to serve"), "{stderr}");

    let out = callrec(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--auth",
        "token",
        "--store",
        store.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("--jwt-secret"), "{stderr}");

    let open = serve(&store, &["--listen", "0.0.0.0:0", "--auth", "none"]);
    assert!(
        open.log.iter().any(|l| l.contains("AUTHENTICATION IS OFF")),
        "{:?}",
        open.log
    );
    assert_eq!(
        http("GET", &format!("{}{RECORDS}", open.base), None, None).0,
        200
    );
}

#[test]
fn metrics_need_the_scrape_token_while_tokens_are_on() {
    // Without a scrape token configured, /metrics (whose figures cover every tenant) is closed.
    let closed = secured(|_| {});
    let message = closed
        .get("/metrics")
        .assert_error(401, "InvalidAuthenticationToken");
    assert!(message.contains("--metrics-token"), "{message}");
    let reader = rs256(&claims(
        "aaaaaaaa-0000-0000-0000-00000000000a",
        &[callrec::auth::CALL_RECORDS_READ],
    ));
    closed
        .get_as(&reader, "/metrics")
        .assert_error(401, "InvalidAuthenticationToken");

    let open = secured(|c| c.metrics_token = Some("scrape-me".to_owned()));
    open.get_as(&reader, "/metrics")
        .assert_error(401, "InvalidAuthenticationToken");
    open.get_as("scrape-mf", "/metrics")
        .assert_error(401, "InvalidAuthenticationToken");
    let reply = open.get_as("scrape-me", "/metrics");
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert!(reply.text.contains("callrec_records"), "{}", reply.text);
}
