//! `callrec webhook-listen`: a small change-notification receiver for trying subscriptions locally.
//!
//! It does what a subscriber's webhook must do (spec/API.md section 10): answers the validation
//! handshake with the decoded token as `text/plain`, acknowledges notifications with `202 Accepted`,
//! and compares each notification's `clientState` with the expected one, ignoring those that do not
//! match. Each notification is printed as one line; with `--fetch` the record it names is read back from
//! a callrec (or Graph-compatible) base URL and summarised.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

/// What `callrec webhook-listen` was asked to do.
#[derive(Debug, Clone, clap::Args)]
pub struct WebhookListenArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8081")]
    pub listen: SocketAddr,
    /// The clientState given when subscribing; notifications carrying another are ignored.
    #[arg(long)]
    pub client_state: Option<String>,
    /// Base URL of the API to read each notified record from, e.g. http://127.0.0.1:8080.
    #[arg(long)]
    pub fetch: Option<String>,
    /// Bearer token for --fetch, when the API checks tokens.
    #[arg(long, env = "CALLREC_TOKEN", hide_env_values = true)]
    pub token: Option<String>,
}

#[derive(Debug)]
struct Listener {
    args: WebhookListenArgs,
    client: reqwest::Client,
}

#[derive(Debug, serde::Deserialize)]
struct Handshake {
    #[serde(rename = "validationToken")]
    validation_token: Option<String>,
}

/// Runs the receiver until Ctrl-C.
pub async fn run(args: WebhookListenArgs) -> anyhow::Result<std::process::ExitCode> {
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let addr = listener.local_addr()?;
    println!("listening for change notifications on http://{addr}/ (any path)");
    if args.client_state.is_none() {
        println!("no --client-state given: notifications are not checked");
    }
    let client = crate::outbound::client_builder(std::time::Duration::from_secs(10))
        .build()
        .context("cannot set up an HTTP client")?;
    let router = app(Arc::new(Listener { args, client }));
    axum::serve(listener, router)
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await?;
    Ok(std::process::ExitCode::SUCCESS)
}

fn app(listener: Arc<Listener>) -> Router {
    Router::new().fallback(receive).with_state(listener)
}

async fn receive(
    State(listener): State<Arc<Listener>>,
    Query(handshake): Query<Handshake>,
    body: Bytes,
) -> Response {
    // Query extraction decodes the token, which is what must be echoed.
    if let Some(token) = handshake.validation_token {
        println!("validation request answered");
        let mut response = (StatusCode::OK, token).into_response();
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        return response;
    }
    let Ok(collection) = serde_json::from_slice::<Value>(&body) else {
        println!(
            "ignored a request whose body is not JSON ({} bytes)",
            body.len()
        );
        return StatusCode::BAD_REQUEST.into_response();
    };
    let items = collection["value"].as_array().cloned().unwrap_or_default();
    for item in items {
        report(&listener, &item).await;
    }
    StatusCode::ACCEPTED.into_response()
}

/// One line describing a notification, or why it was ignored.
pub fn describe(item: &Value, expected_state: Option<&str>) -> Result<String, String> {
    let text = |key: &str| item[key].as_str().unwrap_or("-").to_owned();
    if let Some(expected) = expected_state
        && item["clientState"].as_str() != Some(expected)
    {
        return Err(format!(
            "ignored a notification for subscription {} with a clientState that does not match",
            text("subscriptionId")
        ));
    }
    if let Some(event) = item["lifecycleEvent"].as_str() {
        return Ok(format!(
            "{event} for subscription {} (expires {}): renew it with PATCH /subscriptions/{} or POST .../reauthorize",
            text("subscriptionId"),
            text("subscriptionExpirationDateTime"),
            text("subscriptionId")
        ));
    }
    Ok(format!(
        "{} {} (subscription {}, tenant {}, notification {})",
        text("changeType"),
        text("resource"),
        text("subscriptionId"),
        text("tenantId"),
        text("id")
    ))
}

async fn report(listener: &Listener, item: &Value) {
    match describe(item, listener.args.client_state.as_deref()) {
        Err(ignored) => println!("{ignored}"),
        Ok(line) => {
            println!("{line}");
            if let (Some(base), Some(resource)) = (&listener.args.fetch, item["resource"].as_str())
            {
                println!("  {}", fetch(listener, base, resource).await);
            }
        }
    }
}

/// Reads the notified record back and summarises it.
async fn fetch(listener: &Listener, base: &str, resource: &str) -> String {
    let url = format!("{}/v1.0/{resource}", base.trim_end_matches('/'));
    let mut request = listener.client.get(&url);
    if let Some(token) = &listener.args.token {
        request = request.bearer_auth(token);
    }
    let response = match request.send().await {
        Ok(r) => r,
        Err(e) => return format!("GET {url} failed: {e}"),
    };
    let status = response.status();
    let record: Value = match response.bytes().await.map(|b| serde_json::from_slice(&b)) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => return format!("GET {url}: {status}, the body is not JSON: {e}"),
        Err(e) => return format!("GET {url}: {status}, unreadable body: {e}"),
    };
    if !status.is_success() {
        return format!(
            "GET {url}: {status} {}",
            record["error"]["message"].as_str().unwrap_or_default()
        );
    }
    format!(
        "version {}, {} call from {} to {}, modalities {}",
        record["version"],
        record["type"].as_str().unwrap_or("?"),
        record["startDateTime"].as_str().unwrap_or("?"),
        record["endDateTime"].as_str().unwrap_or("?"),
        record["modalities"]
    )
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn notifications_are_described_and_checked() {
        let item = json!({"id": "n1", "subscriptionId": "s1", "clientState": "secret", "changeType": "created",
            "resource": "communications/callRecords/r1", "tenantId": "t1"});
        assert_eq!(
            describe(&item, Some("secret")),
            Ok("created communications/callRecords/r1 (subscription s1, tenant t1, notification n1)".into())
        );
        assert!(
            describe(&item, Some("other"))
                .unwrap_err()
                .contains("does not match")
        );
        assert!(describe(&item, None).is_ok());
        let lifecycle = json!({"subscriptionId": "s1", "clientState": "secret", "lifecycleEvent": "reauthorizationRequired",
            "subscriptionExpirationDateTime": "2024-01-01T00:00:00Z"});
        assert!(
            describe(&lifecycle, Some("secret"))
                .unwrap()
                .starts_with("reauthorizationRequired for subscription s1")
        );
    }

    #[tokio::test]
    async fn the_receiver_answers_validation_and_notifications() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let router = app(Arc::new(Listener {
            args: WebhookListenArgs {
                listen: addr,
                client_state: Some("s".into()),
                fetch: None,
                token: None,
            },
            client: reqwest::Client::new(),
        }));
        tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
        let client = reqwest::Client::new();
        let reply = client
            .post(format!("http://{addr}/hook?validationToken=a%20b%3Ac"))
            .header("content-type", "text/plain; charset=utf-8")
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 200);
        assert!(
            reply.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/plain")
        );
        assert_eq!(reply.text().await.unwrap(), "a b:c");
        let reply = client
            .post(format!("http://{addr}/hook"))
            .body(r#"{"value":[{"clientState":"s","changeType":"updated"}]}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 202);
    }
}
