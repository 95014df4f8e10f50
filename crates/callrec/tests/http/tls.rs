//! https: real TLS handshakes over loopback with `serve --tls dev` (its CA printed by `callrec tls ca`)
//! and with `--tls-cert`/`--tls-key` files, the sign-in's endpoints and Graph's links on https, and a
//! webhook receiver over https trusted through `--ca-file`.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::support::{TestSchema, spawn_serve};

fn callrec(args: &[&str]) -> std::process::Output {
    crate::support::run_callrec(args)
}

/// A store for one test: a SQLite file in `dir`, or a fresh PostgreSQL schema when the suite has one.
fn store_in(dir: &tempfile::TempDir, schema: &Option<TestSchema>) -> String {
    match schema {
        Some(schema) => schema.url.clone(),
        None => dir.path().join("tls.db").to_str().unwrap().to_owned(),
    }
}

/// A client trusting only `ca` (PEM), not the system's roots.
fn client_trusting(ca: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(reqwest::Certificate::from_pem(ca.as_bytes()).expect("CA"))
        .build()
        .expect("client")
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

async fn json_of(response: reqwest::Response) -> Value {
    let text = response.text().await.expect("body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

async fn get_json(client: &reqwest::Client, url: &str) -> (u16, Value) {
    let response = client.get(url).send().await.expect("request");
    let status = response.status().as_u16();
    (status, json_of(response).await)
}

#[test]
fn tls_dev_serves_https_with_the_ca_tls_ca_prints() {
    let dir = tempfile::tempdir().unwrap();
    let schema = TestSchema::new();
    let store = store_in(&dir, &schema);
    let printed = callrec(&["tls", "ca", "--store", &store]);
    assert!(printed.status.success(), "{printed:?}");
    let ca = String::from_utf8(printed.stdout).unwrap();
    assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"), "{ca}");
    let again = callrec(&["tls", "ca", "--store", &store]);
    assert_eq!(
        String::from_utf8(again.stdout).unwrap(),
        ca,
        "the CA is made once and kept"
    );

    let (mut child, base) = spawn_serve(&store, &["--tls", "dev", "--identity"]);
    assert!(base.starts_with("https://127.0.0.1:"), "{base}");
    let port = base.rsplit(':').next().unwrap().to_owned();
    let runtime = runtime();
    runtime.block_on(async {
        let trusting = client_trusting(&ca);
        for host in ["127.0.0.1", "localhost"] {
            let reply = trusting
                .get(format!("https://{host}:{port}/healthz"))
                .send()
                .await
                .unwrap_or_else(|e| panic!("{host}: {e:?}"));
            assert_eq!(reply.status(), 200);
        }
        // A client that does not trust the development CA fails the handshake.
        let (_, other_ca) = signed_by_test_ca();
        let refused = client_trusting(&other_ca)
            .get(format!("{base}/healthz"))
            .send()
            .await;
        assert!(refused.is_err(), "an untrusted certificate was accepted");

        let tenant = "cccccccc-0000-4000-8000-00000000000c";
        let (status, config) = get_json(
            &trusting,
            &format!("{base}/{tenant}/v2.0/.well-known/openid-configuration"),
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(
            config["token_endpoint"],
            format!("{base}/{tenant}/oauth2/v2.0/token")
        );
        assert!(config["jwks_uri"].as_str().unwrap().starts_with("https://"));
        // Graph's links are https too.
        let (status, body) = get_json(
            &trusting,
            &format!("{base}/v1.0/communications/callRecords"),
        )
        .await;
        assert_eq!(status, 401, "tokens are on with --identity: {body}");
        let (status, metadata) = get_json(&trusting, &format!("{base}/openapi.json")).await;
        assert_eq!(status, 200, "{metadata}");
    });

    // A token from the https endpoint reads Graph's routes, whose links are https.
    let added = callrec(&[
        "app",
        "add",
        "--store",
        &store,
        "--tenant",
        "cccccccc-0000-4000-8000-00000000000c",
        "--name",
        "reader",
        "--json",
    ]);
    let app: Value = serde_json::from_slice(&added.stdout).expect("app JSON");
    runtime.block_on(async {
        let trusting = client_trusting(&ca);
        let tenant = app["tenantId"].as_str().unwrap();
        let token = trusting
            .post(format!("{base}/{tenant}/oauth2/v2.0/token"))
            .header("content-type", "application/x-www-form-urlencoded")
            .body(
                serde_urlencoded::to_string([
                    ("grant_type", "client_credentials"),
                    ("client_id", app["clientId"].as_str().unwrap()),
                    ("client_secret", app["clientSecret"].as_str().unwrap()),
                    ("scope", "https://graph.microsoft.com/.default"),
                ])
                .unwrap(),
            )
            .send()
            .await
            .expect("token request");
        let token = json_of(token).await;
        let page = trusting
            .get(format!("{base}/v1.0/communications/callRecords"))
            .bearer_auth(token["access_token"].as_str().expect("access_token"))
            .send()
            .await
            .unwrap();
        let page = json_of(page).await;
        assert!(
            page["@odata.context"]
                .as_str()
                .is_some_and(|c| c.starts_with(&format!("{base}/v1.0/"))),
            "{page}"
        );
    });
    let _ = child.kill();
    let _ = child.wait();
}

/// A CA made here (not callrec's), a certificate it signs for 127.0.0.1, and the CA's PEM:
/// ((certificate PEM, key PEM), CA PEM).
fn signed_by_test_ca() -> ((String, String), String) {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "test CA");
    params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    params.key_usages = vec![
        rcgen::KeyUsagePurpose::KeyCertSign,
        rcgen::KeyUsagePurpose::DigitalSignature,
    ];
    let ca = params.self_signed(&ca_key).unwrap();
    let issuer = rcgen::Issuer::new(params, ca_key);
    let key = rcgen::KeyPair::generate().unwrap();
    let leaf = rcgen::CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&key, &issuer)
        .unwrap();
    ((leaf.pem(), key.serialize_pem()), ca.pem())
}

#[test]
fn tls_cert_and_key_files_are_served() {
    let dir = tempfile::tempdir().unwrap();
    let ((cert, key), ca) = signed_by_test_ca();
    let cert_path = dir.path().join("cert.pem");
    let key_path = dir.path().join("key.pem");
    std::fs::write(&cert_path, &cert).unwrap();
    std::fs::write(&key_path, &key).unwrap();
    let store = dir.path().join("files.db");
    let (mut child, base) = spawn_serve(
        &store,
        &[
            "--tls-cert",
            cert_path.to_str().unwrap(),
            "--tls-key",
            key_path.to_str().unwrap(),
        ],
    );
    assert!(base.starts_with("https://"), "{base}");
    runtime().block_on(async {
        let page = client_trusting(&ca)
            .get(format!("{base}/v1.0/communications/callRecords"))
            .send()
            .await
            .expect("https request");
        let page = json_of(page).await;
        assert!(
            page["@odata.context"]
                .as_str()
                .unwrap()
                .starts_with("https://127.0.0.1:"),
            "{page}"
        );
    });
    let _ = child.kill();
    let _ = child.wait();

    // A key that is not the certificate's is refused at start, in a sentence.
    let (_, other_key) = signed_by_test_ca().0;
    std::fs::write(&key_path, other_key).unwrap();
    let refused = callrec(&[
        "serve",
        "--listen",
        "127.0.0.1:0",
        "--store",
        store.to_str().unwrap(),
        "--tls-cert",
        cert_path.to_str().unwrap(),
        "--tls-key",
        key_path.to_str().unwrap(),
    ]);
    assert!(!refused.status.success());
    let said = String::from_utf8_lossy(&refused.stderr);
    assert!(said.contains("cannot set up https"), "{said}");
}

/// What an https webhook receiver was sent: "METHOD path?query" lines.
type Seen = Arc<Mutex<Vec<String>>>;

/// An https receiver with a certificate of a test CA: it answers a validation with its token, and
/// anything else with 202.
async fn https_receiver(cert: &str, key: &str) -> (String, Seen) {
    use http_body_util::BodyExt;
    use rustls::pki_types::pem::PemObject;

    let certs = rustls::pki_types::CertificateDer::pem_slice_iter(cert.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = rustls::pki_types::PrivateKeyDer::from_pem_slice(key.as_bytes()).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("https://{}", listener.local_addr().unwrap());
    let seen: Seen = Arc::default();
    let kept = seen.clone();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let (acceptor, seen) = (acceptor.clone(), kept.clone());
            tokio::spawn(async move {
                let Ok(stream) = acceptor.accept(stream).await else {
                    return;
                };
                let service = hyper::service::service_fn(
                    move |request: hyper::Request<hyper::body::Incoming>| {
                        let seen = seen.clone();
                        async move {
                            let line = format!("{} {}", request.method(), request.uri());
                            let token = request.uri().query().and_then(|q| {
                                q.split('&')
                                    .find_map(|p| p.strip_prefix("validationToken="))
                                    .map(|t| {
                                        percent_encoding::percent_decode_str(t)
                                            .decode_utf8_lossy()
                                            .into_owned()
                                    })
                            });
                            let _ = request.into_body().collect().await;
                            seen.lock().unwrap().push(line);
                            let (status, body) = match token {
                                Some(token) => (200, token),
                                None => (202, String::new()),
                            };
                            Ok::<_, hyper::Error>(
                                hyper::Response::builder()
                                    .status(status)
                                    .header("content-type", "text/plain")
                                    .body(http_body_util::Full::new(bytes::Bytes::from(body)))
                                    .unwrap(),
                            )
                        }
                    },
                );
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    (base, seen)
}

#[test]
fn webhooks_over_https_are_trusted_through_ca_file() {
    let dir = tempfile::tempdir().unwrap();
    let ((cert, key), ca) = signed_by_test_ca();
    let ca_path = dir.path().join("receiver-ca.pem");
    std::fs::write(&ca_path, &ca).unwrap();
    let receiving = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let (receiver, seen) = receiving.block_on(https_receiver(&cert, &key));
    let subscription = |base: &str| {
        let expiry = time::OffsetDateTime::now_utc() + time::Duration::minutes(60);
        let body = json!({
            "changeType": "created",
            "notificationUrl": format!("{receiver}/hook"),
            "resource": "/communications/callRecords",
            "expirationDateTime": expiry
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap(),
            "clientState": "secret state",
        });
        ureq::post(format!("{base}/v1.0/subscriptions"))
            .config()
            .http_status_as_error(false)
            .build()
            .content_type("application/json")
            .send(body.to_string())
            .expect("subscribe")
    };

    // Without --ca-file the receiver's certificate is not trusted: the validation fails.
    let untrusting_store = dir.path().join("untrusting.db");
    let (mut child, base) = spawn_serve(&untrusting_store, &[]);
    let reply = subscription(&base);
    assert!(
        reply.status().is_client_error(),
        "a receiver of an untrusted CA was validated"
    );
    let _ = child.kill();
    let _ = child.wait();

    let store = dir.path().join("trusting.db");
    let (mut child, base) = spawn_serve(&store, &["--ca-file", ca_path.to_str().unwrap()]);
    let mut reply = subscription(&base);
    let text = reply.body_mut().read_to_string().unwrap();
    assert_eq!(reply.status(), 201, "{text}");
    let record = crate::support::record("over-https", "2026-12-01T10:00:00Z", 1, 1);
    let reply = ureq::post(format!("{base}/v1.0/communications/callRecords"))
        .content_type("application/json")
        .send(record.to_string())
        .expect("ingest");
    assert_eq!(reply.status(), 201);
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let posts = seen
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.starts_with("POST /hook") && !l.contains("validationToken"))
            .count();
        if posts > 0 {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "no notification arrived over https: {:?}",
            seen.lock().unwrap()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
}
