//! The identity platform's client-credentials sign-in (`serve --identity`): real token requests over
//! HTTP, real RS256 tokens, each refusal in the identity platform's shape, certificate credentials,
//! expiry, tenants kept apart, and the tokens used on Graph's routes and inside a `$batch`.

use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use callrec::auth::{Authenticator, TokenSettings};
use callrec::http::ApiConfig;
use callrec::identity::{GRAPH_DEFAULT_SCOPE, Identity, JWT_BEARER, NewApp, SigningKey};
use serde_json::{Value, json};

use crate::support::{Reply, TestServer, record, spawn_serve};

const TENANT_A: &str = "aaaaaaaa-0000-4000-8000-00000000000a";
const TENANT_B: &str = "bbbbbbbb-0000-4000-8000-00000000000b";
const FORM: (&str, &str) = ("content-type", "application/x-www-form-urlencoded");

/// A server with the sign-in on, issuing tokens valid for `lifetime`, checked without clock skew.
fn signin_server(lifetime: Duration) -> TestServer {
    TestServer::start_over_store(|store, runtime| {
        runtime.block_on(async {
            let key = SigningKey::of_store(store.as_ref()).await.expect("key");
            let identity = Identity::new(store.clone(), key).with_lifetime(lifetime);
            let authenticator = Authenticator::new(&TokenSettings {
                issued_jwks: Some(identity.jwks().to_owned()),
                leeway: Some(Duration::ZERO),
                ..TokenSettings::default()
            })
            .await
            .expect("authenticator");
            ApiConfig {
                auth: Some(Arc::new(authenticator)),
                identity: Some(Arc::new(identity)),
                ..ApiConfig::default()
            }
        })
    })
}

/// An app with a secret; returns (client id, secret).
fn add_app(server: &TestServer, tenant: &str, roles: &[&str]) -> (String, String) {
    let registered = server
        .runtime
        .block_on(callrec::identity::register(
            server.store.as_ref(),
            NewApp {
                tenant: tenant.to_owned(),
                name: "test app".to_owned(),
                roles: roles.iter().map(|r| r.to_string()).collect(),
                certificate: None,
            },
        ))
        .expect("register");
    (registered.app.client_id, registered.secret.expect("secret"))
}

fn form(pairs: &[(&str, &str)]) -> String {
    serde_urlencoded::to_string(pairs).expect("form")
}

fn token_request(server: &TestServer, tenant: &str, pairs: &[(&str, &str)]) -> Reply {
    server.send(
        "POST",
        &format!("/{tenant}/oauth2/v2.0/token"),
        &form(pairs),
        &[FORM],
    )
}

/// What azure-identity's ClientSecretCredential posts.
fn secret_grant<'a>(client_id: &'a str, secret: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("client_id", client_id),
        ("grant_type", "client_credentials"),
        ("client_info", "1"),
        ("client_secret", secret),
        (
            "claims",
            r#"{"access_token": {"xms_cc": {"values": ["CP1"]}}}"#,
        ),
        ("scope", GRAPH_DEFAULT_SCOPE),
    ]
}

#[track_caller]
fn token_of(reply: &Reply) -> String {
    assert_eq!(reply.status, 200, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], body["ext_expires_in"]);
    assert!(body.get("id_token").is_none() && body.get("client_info").is_none());
    body["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}

fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("payload");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).expect("base64url")).expect("JSON")
}

/// Asserts a refusal in the identity platform's shape and returns its description.
#[track_caller]
fn assert_refused(reply: &Reply, status: u16, error: &str, code: u64) -> String {
    assert_eq!(reply.status, status, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body["error"], error, "{body}");
    assert_eq!(body["error_codes"], json!([code]), "{body}");
    let description = body["error_description"].as_str().expect("description");
    assert!(
        description.starts_with(&format!("AADSTS{code}: ")),
        "{description}"
    );
    for field in ["timestamp", "trace_id", "correlation_id"] {
        assert!(
            body[field].as_str().is_some_and(|v| !v.is_empty()),
            "{field} in {body}"
        );
    }
    assert!(description.contains(body["trace_id"].as_str().unwrap()));
    description.to_owned()
}

#[test]
fn the_openid_configuration_names_the_token_endpoint_and_the_keys() {
    let server = signin_server(Duration::from_secs(3600));
    let reply = server.get(&format!(
        "/{TENANT_A}/v2.0/.well-known/openid-configuration"
    ));
    assert_eq!(reply.status, 200, "{}", reply.text);
    let config = reply.json();
    assert_eq!(
        config["token_endpoint"],
        format!("{}/{TENANT_A}/oauth2/v2.0/token", server.base)
    );
    for field in ["authorization_endpoint", "issuer", "jwks_uri"] {
        assert!(config[field].is_string(), "{field} in {config}");
    }
    let jwks = server.get(config["jwks_uri"].as_str().unwrap()).json();
    let (id, secret) = add_app(&server, TENANT_A, &["CallRecords.Read.All"]);
    let token = token_of(&token_request(
        &server,
        TENANT_A,
        &secret_grant(&id, &secret),
    ));
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(token.split('.').next().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(header["alg"], "RS256");
    assert_eq!(jwks["keys"][0]["kid"], header["kid"], "{jwks}");
}

#[test]
fn a_secret_in_the_form_or_in_basic_gets_a_token_graph_accepts() {
    let server = signin_server(Duration::from_secs(3600));
    let (writer, writer_secret) = add_app(&server, TENANT_A, &["CallRecords.ReadWrite.All"]);
    let (reader, reader_secret) = add_app(&server, TENANT_A, &["CallRecords.Read.All"]);

    let token = token_of(&token_request(
        &server,
        TENANT_A,
        &secret_grant(&writer, &writer_secret),
    ));
    let claims = claims_of(&token);
    assert_eq!(claims["aud"], "https://graph.microsoft.com");
    assert_eq!(
        claims["iss"],
        format!("https://sts.windows.net/{TENANT_A}/")
    );
    assert_eq!(claims["tid"], TENANT_A);
    assert_eq!(claims["appid"], writer.as_str());
    assert_eq!(claims["roles"], json!(["CallRecords.ReadWrite.All"]));
    let lifetime = claims["exp"].as_u64().unwrap() - claims["iat"].as_u64().unwrap();
    assert_eq!(lifetime, 3600);
    let auth = format!("Bearer {token}");
    let reply = server.send(
        "POST",
        "/v1.0/communications/callRecords",
        &record("a1", "2026-12-01T10:00:00Z", 1, 1).to_string(),
        &[("authorization", &auth)],
    );
    assert_eq!(reply.status, 201, "{}", reply.text);

    // HTTP Basic, as the identity platform also takes: client_id and secret form-encoded.
    let basic = STANDARD.encode(format!("{reader}:{reader_secret}"));
    let reply = server.send(
        "POST",
        &format!("/{TENANT_A}/oauth2/v2.0/token"),
        &form(&[
            ("grant_type", "client_credentials"),
            ("scope", GRAPH_DEFAULT_SCOPE),
        ]),
        &[FORM, ("authorization", &format!("Basic {basic}"))],
    );
    let token = token_of(&reply);
    let reply = server.get_as(&token, "/v1.0/communications/callRecords/a1");
    assert_eq!(reply.status, 200, "{}", reply.text);
    // A reader may not write.
    let reply = server.send(
        "DELETE",
        "/v1.0/communications/callRecords/a1",
        "",
        &[("authorization", &format!("Bearer {token}"))],
    );
    reply.assert_error(403, "accessDenied");

    // Inside a batch, the outer token authorizes each request.
    let batch = json!({"requests": [
        {"id": "1", "method": "GET", "url": "/communications/callRecords/a1"},
        {"id": "2", "method": "GET", "url": "/communications/callRecords?$select=id"},
    ]});
    let reply = server.send(
        "POST",
        "/v1.0/$batch",
        &batch.to_string(),
        &[("authorization", &format!("Bearer {token}"))],
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    let responses = reply.json()["responses"].as_array().unwrap().clone();
    assert_eq!(responses.len(), 2);
    for response in &responses {
        assert_eq!(response["status"], 200, "{response}");
    }
}

#[test]
fn each_refusal_is_in_the_identity_platforms_shape() {
    let server = signin_server(Duration::from_secs(3600));
    let (id, secret) = add_app(&server, TENANT_A, &["CallRecords.Read.All"]);

    let reply = token_request(&server, TENANT_A, &secret_grant(&id, "not-the-secret"));
    let description = assert_refused(&reply, 401, "invalid_client", 7000215);
    assert!(description.contains(&id), "{description}");

    // The correlation id is the client's client-request-id when it sends one.
    let reply = server.send(
        "POST",
        &format!("/{TENANT_A}/oauth2/v2.0/token"),
        &form(&secret_grant(&id, "not-the-secret")),
        &[
            FORM,
            ("client-request-id", "c0ffee00-1111-2222-3333-444455556666"),
        ],
    );
    assert_eq!(
        reply.json()["correlation_id"],
        "c0ffee00-1111-2222-3333-444455556666"
    );

    let unknown = "99999999-9999-4999-8999-999999999999";
    let reply = token_request(&server, TENANT_A, &secret_grant(unknown, &secret));
    assert_refused(&reply, 400, "unauthorized_client", 700016);
    // The app exists, but in another tenant than the one asked.
    let reply = token_request(&server, TENANT_B, &secret_grant(&id, &secret));
    let description = assert_refused(&reply, 400, "unauthorized_client", 700016);
    assert!(description.contains(TENANT_B), "{description}");

    // What the SDK asks for when the caller passes no scope: the host's own .default.
    let mut pairs = secret_grant(&id, &secret);
    let host_scope = format!("{}/.default", server.base);
    pairs.retain(|(n, _)| *n != "scope");
    pairs.push(("scope", &host_scope));
    let reply = token_request(&server, TENANT_A, &pairs);
    let description = assert_refused(&reply, 400, "invalid_scope", 500011);
    assert!(
        description.contains(&format!("ask for the scope {GRAPH_DEFAULT_SCOPE}")),
        "{description}"
    );
    pairs.retain(|(n, _)| *n != "scope");
    pairs.push(("scope", "CallRecords.Read.All"));
    let reply = token_request(&server, TENANT_A, &pairs);
    let description = assert_refused(&reply, 400, "invalid_scope", 1002012);
    assert!(description.contains(GRAPH_DEFAULT_SCOPE), "{description}");

    let mut pairs = secret_grant(&id, &secret);
    pairs.retain(|(n, _)| *n != "grant_type");
    pairs.push(("grant_type", "password"));
    let reply = token_request(&server, TENANT_A, &pairs);
    assert_refused(&reply, 400, "unsupported_grant_type", 70003);

    let reply = token_request(
        &server,
        TENANT_A,
        &[
            ("grant_type", "client_credentials"),
            ("client_id", &id),
            ("scope", GRAPH_DEFAULT_SCOPE),
        ],
    );
    assert_refused(&reply, 401, "invalid_client", 7000218);

    let reply = server.send(
        "POST",
        &format!("/{TENANT_A}/oauth2/v2.0/token"),
        &json!({"grant_type": "client_credentials"}).to_string(),
        &[("content-type", "application/json")],
    );
    assert_refused(&reply, 400, "invalid_request", 900144);
}

#[test]
fn a_token_of_one_tenant_never_reads_another() {
    let server = signin_server(Duration::from_secs(3600));
    let (a_writer, a_secret) = add_app(&server, TENANT_A, &["CallRecords.ReadWrite.All"]);
    let (b_writer, b_secret) = add_app(&server, TENANT_B, &["CallRecords.ReadWrite.All"]);
    let a = token_of(&token_request(
        &server,
        TENANT_A,
        &secret_grant(&a_writer, &a_secret),
    ));
    let b = token_of(&token_request(
        &server,
        TENANT_B,
        &secret_grant(&b_writer, &b_secret),
    ));
    for (token, id) in [(&a, "only-a"), (&b, "only-b")] {
        let reply = server.send(
            "POST",
            "/v1.0/communications/callRecords",
            &record(id, "2026-12-01T10:00:00Z", 1, 1).to_string(),
            &[("authorization", &format!("Bearer {token}"))],
        );
        assert_eq!(reply.status, 201, "{}", reply.text);
    }
    server
        .get_as(&a, "/v1.0/communications/callRecords/only-b")
        .assert_error(404, "itemNotFound");
    let listed = server
        .get_as(&a, "/v1.0/communications/callRecords?$select=id")
        .json();
    let ids: Vec<&str> = listed["value"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(ids, ["only-a"]);
    // Nor inside a batch.
    let batch = json!({"requests": [
        {"id": "b", "method": "GET", "url": "/communications/callRecords/only-b"},
        {"id": "a", "method": "GET", "url": "/communications/callRecords/only-a"},
    ]});
    let reply = server.send(
        "POST",
        "/v1.0/$batch",
        &batch.to_string(),
        &[("authorization", &format!("Bearer {a}"))],
    );
    let responses = reply.json()["responses"].as_array().unwrap().clone();
    let status = |id: &str| {
        responses
            .iter()
            .find(|r| r["id"] == id)
            .map(|r| r["status"].clone())
    };
    assert_eq!(status("b"), Some(json!(404)));
    assert_eq!(status("a"), Some(json!(200)));
}

#[test]
fn an_expired_token_is_refused() {
    let server = signin_server(Duration::from_secs(2));
    let (id, secret) = add_app(&server, TENANT_A, &["CallRecords.Read.All"]);
    let reply = token_request(&server, TENANT_A, &secret_grant(&id, &secret));
    assert_eq!(reply.json()["expires_in"], 1);
    let token = token_of(&reply);
    let reply = server.get_as(&token, "/v1.0/communications/callRecords");
    assert_eq!(reply.status, 200, "{}", reply.text);
    std::thread::sleep(Duration::from_millis(3100));
    let message = server
        .get_as(&token, "/v1.0/communications/callRecords")
        .assert_error(401, "InvalidAuthenticationToken");
    assert!(message.contains("expired"), "{message}");
}

/// An RSA key and a self-signed certificate of it, as PEM: (private key PKCS#8, certificate).
fn rsa_certificate() -> (String, String) {
    use rsa::pkcs8::EncodePrivateKey;
    let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048).expect("RSA key");
    let pem = key
        .to_pkcs8_pem(rsa::pkcs8::LineEnding::LF)
        .expect("PKCS#8")
        .to_string();
    let pair = rcgen::KeyPair::from_pkcs8_pem_and_sign_algo(&pem, &rcgen::PKCS_RSA_SHA256)
        .expect("rcgen key");
    let certificate = rcgen::CertificateParams::new(vec!["daemon.example".to_owned()])
        .expect("params")
        .self_signed(&pair)
        .expect("certificate");
    (pem, certificate.pem())
}

/// A client assertion as MSAL makes one, signed with `key_pem`.
fn assertion(key_pem: &str, client_id: &str, audience: &str, lifetime: i64) -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let claims = json!({
        "aud": audience,
        "iss": client_id,
        "sub": client_id,
        "jti": uuid::Uuid::new_v4().to_string(),
        "nbf": now - 10,
        "iat": now - 10,
        "exp": now + lifetime,
    });
    let header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    let key = jsonwebtoken::EncodingKey::from_rsa_pem(key_pem.as_bytes()).expect("key");
    jsonwebtoken::encode(&header, &claims, &key).expect("sign")
}

#[test]
fn a_certificate_credential_signs_in_with_a_client_assertion() {
    let server = signin_server(Duration::from_secs(3600));
    let (key, certificate) = rsa_certificate();
    let registered = server
        .runtime
        .block_on(callrec::identity::register(
            server.store.as_ref(),
            NewApp {
                tenant: TENANT_A.to_owned(),
                name: "daemon".to_owned(),
                roles: vec!["CallRecords.Read.All".to_owned()],
                certificate: Some(certificate),
            },
        ))
        .expect("register");
    assert!(registered.secret.is_none());
    let id = registered.app.client_id;
    let endpoint = format!("{}/{TENANT_A}/oauth2/v2.0/token", server.base);
    let ask = |assertion: &str| {
        token_request(
            &server,
            TENANT_A,
            &[
                ("client_id", &id),
                ("grant_type", "client_credentials"),
                ("client_assertion_type", JWT_BEARER),
                ("client_assertion", assertion),
                ("scope", GRAPH_DEFAULT_SCOPE),
                ("client_info", "1"),
            ],
        )
    };
    let token = token_of(&ask(&assertion(&key, &id, &endpoint, 600)));
    assert_eq!(claims_of(&token)["appidacr"], "2");
    let reply = server.get_as(&token, "/v1.0/communications/callRecords");
    assert_eq!(reply.status, 200, "{}", reply.text);

    let (other_key, _) = rsa_certificate();
    assert_refused(
        &ask(&assertion(&other_key, &id, &endpoint, 600)),
        401,
        "invalid_client",
        700027,
    );
    assert_refused(
        &ask(&assertion(&key, &id, &endpoint, -400)),
        401,
        "invalid_client",
        700024,
    );
    assert_refused(
        &ask(&assertion(
            &key,
            &id,
            "https://elsewhere.example/token",
            600,
        )),
        401,
        "invalid_client",
        700038,
    );
    assert_refused(
        &ask(&assertion(&key, "someone-else", &endpoint, 600)),
        401,
        "invalid_client",
        700021,
    );
    assert_refused(&ask("not.a.jwt"), 401, "invalid_client", 50027);
}

fn callrec(args: &[&str]) -> std::process::Output {
    crate::support::run_callrec(args)
}

#[test]
fn apps_added_on_the_command_line_sign_in_to_serve_identity() {
    let dir = tempfile::tempdir().unwrap();
    let schema = crate::support::TestSchema::new();
    let store = match &schema {
        Some(schema) => schema.url.clone(),
        None => dir.path().join("apps.db").to_str().unwrap().to_owned(),
    };
    let added = callrec(&[
        "app",
        "add",
        "--store",
        &store,
        "--tenant",
        TENANT_A,
        "--name",
        "collector",
        "--roles",
        "CallRecords.Read.All,CallRecord-PstnCalls.Read.All",
        "--json",
    ]);
    assert!(added.status.success(), "{added:?}");
    let app: Value = serde_json::from_slice(&added.stdout).expect("JSON");
    assert_eq!(app["tenantId"], TENANT_A);
    let id = app["clientId"].as_str().unwrap().to_owned();
    let secret = app["clientSecret"].as_str().unwrap().to_owned();

    let refused = callrec(&[
        "app",
        "add",
        "--store",
        &store,
        "--tenant",
        TENANT_A,
        "--name",
        "x",
        "--roles",
        "CallRecords.Read",
    ]);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("CallRecords.Read.All"), "{said}");

    let listed = callrec(&["app", "list", "--store", &store]);
    let table = String::from_utf8_lossy(&listed.stdout);
    assert!(
        table.contains(&id) && table.contains("collector"),
        "{table}"
    );
    assert!(!table.contains(&secret), "the secret is never shown again");

    let (mut child, base) = spawn_serve(&store, &["--identity"]);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let token_at = |base: &str| {
        agent
            .post(format!("{base}/{TENANT_A}/oauth2/v2.0/token"))
            .content_type("application/x-www-form-urlencoded")
            .send(form(&secret_grant(&id, &secret)))
            .expect("token request")
    };
    let mut reply = token_at(&base);
    assert_eq!(reply.status(), 200);
    let body: Value = serde_json::from_str(&reply.body_mut().read_to_string().unwrap()).unwrap();
    let token = body["access_token"].as_str().unwrap();
    let reply = agent
        .get(format!("{base}/v1.0/communications/callRecords"))
        .header("authorization", format!("Bearer {token}"))
        .call()
        .unwrap();
    assert_eq!(reply.status(), 200);
    // Without a token Graph's routes stay closed.
    let reply = agent
        .get(format!("{base}/v1.0/communications/callRecords"))
        .call()
        .unwrap();
    assert_eq!(reply.status(), 401);

    let removed = callrec(&[
        "app",
        "remove",
        "--store",
        &store,
        "--tenant",
        TENANT_A,
        "--client-id",
        &id,
    ]);
    assert!(removed.status.success(), "{removed:?}");
    let reply = token_at(&base);
    assert_eq!(reply.status(), 400, "a removed app cannot sign in");
    let _ = child.kill();
    let _ = child.wait();
}
