//! Change notifications as Graph delivers them: the checks a notification URL must pass, the validation
//! handshake, and the delivery workers that empty the store's outbox into subscribers' webhooks.
//!
//! The pieces:
//! - [`Notifier`] is shared by the API (which checks and validates URLs when a subscription is created or
//!   changed) and the delivery workers (started once per server with [`Notifier::start`]).
//! - [`validation`] is the handshake client: `POST {url}?validationToken=...`, answered within 10 s.
//! - [`delivery`] claims due notifications from the store's outbox, batches them per URL, posts them with
//!   bounded concurrency per endpoint and acknowledges, retries with backoff or drops them.
//! - [`endpoints`] keeps Graph's slow-endpoint rules: an endpoint whose replies are often slow is delayed,
//!   then has its notifications dropped.
//! - [`payload`] writes the JSON bodies exactly in Graph's shape.
//!
//! Every time the notifier reads comes from its [`Clock`], so tests of backoff, expiry and lifecycle
//! notifications move a [`ManualClock`] forward instead of sleeping for hours.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use callrec_store::Store;
use callrec_store::subscriptions::Millis;

pub mod delivery;
pub mod endpoints;
pub mod payload;
pub mod validation;

pub use endpoints::SlowRules;
pub use validation::ValidationFailure;

/// Where "now" comes from.
pub trait Clock: Send + Sync + fmt::Debug {
    /// Milliseconds since the Unix epoch.
    fn now(&self) -> Millis;
}

fn system_millis() -> Millis {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// The system's clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Millis {
        system_millis()
    }
}

/// The system's clock plus an offset a test moves forward: time still passes, and can also jump.
#[derive(Debug, Default)]
pub struct ManualClock {
    offset: AtomicI64,
}

impl ManualClock {
    pub fn new() -> Self {
        Self::default()
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        self.offset
            .fetch_add(by.as_millis() as i64, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Millis {
        system_millis() + self.offset.load(Ordering::SeqCst)
    }
}

/// The most subscriptions a tenant may hold on callRecords (spec/API.md section 10).
pub const MAX_SUBSCRIPTIONS: usize = 100;

/// How notifications are checked and delivered. The defaults are Graph's documented numbers.
#[derive(Debug, Clone)]
pub struct NotifyConfig {
    /// Accept `http://` notification URLs (`serve --allow-http-webhooks`, on with `--demo`).
    pub allow_http: bool,
    /// The validation handshake must be answered within this (Graph: 10 s).
    pub validation_timeout: Duration,
    /// A delivery not answered 2xx within this failed (Graph: 3 s).
    pub delivery_timeout: Duration,
    /// Graph's rules for endpoints that are often slow.
    pub slow: SlowRules,
    /// The first retry of a failed delivery waits this long; each later one twice as long...
    pub first_retry: Duration,
    /// ...up to this.
    pub max_retry: Duration,
    /// A notification still undelivered this long after it was queued is dropped (Graph: 4 hours).
    pub give_up_after: Duration,
    /// `reauthorizationRequired` goes out this long before a subscription expires.
    pub reauthorize_before: Duration,
    /// How often an idle worker looks for due notifications.
    pub poll_interval: Duration,
    /// How often expired subscriptions are removed and lifecycle notifications queued.
    pub maintenance_interval: Duration,
    /// How long claimed notifications stay reserved for this node; a node that dies releases them when
    /// this runs out.
    pub lease: Duration,
    /// Deliveries in flight to one URL at most.
    pub per_endpoint: usize,
    /// Notifications in one POST at most.
    pub batch_size: usize,
    /// Deliveries in flight in all at most.
    pub max_in_flight: usize,
    /// Subscriptions a tenant may hold.
    pub max_subscriptions: usize,
    pub clock: Arc<dyn Clock>,
}

impl Default for NotifyConfig {
    fn default() -> Self {
        NotifyConfig {
            allow_http: false,
            validation_timeout: Duration::from_secs(10),
            delivery_timeout: Duration::from_secs(3),
            slow: SlowRules::default(),
            first_retry: Duration::from_secs(30),
            max_retry: Duration::from_secs(600),
            give_up_after: Duration::from_secs(4 * 3600),
            reauthorize_before: Duration::from_secs(10 * 60),
            poll_interval: Duration::from_millis(200),
            maintenance_interval: Duration::from_secs(5),
            lease: Duration::from_secs(60),
            per_endpoint: 4,
            batch_size: 50,
            max_in_flight: 64,
            max_subscriptions: MAX_SUBSCRIPTIONS,
            clock: Arc::new(SystemClock),
        }
    }
}

/// The `serve` flags about webhooks.
#[derive(Debug, Clone, clap::Args)]
pub struct WebhookArgs {
    /// Accept http:// notification URLs (Graph requires https). On by default with --demo.
    #[arg(long)]
    pub allow_http_webhooks: bool,
    /// How long, in seconds, notifications claimed by this node stay reserved for it.
    #[arg(long, default_value_t = 60, hide = true)]
    pub webhook_lease_secs: u64,
}

impl WebhookArgs {
    /// The notifier's settings for a server started with these flags.
    pub fn config(&self, demo: bool) -> NotifyConfig {
        NotifyConfig {
            allow_http: self.allow_http_webhooks || demo,
            lease: Duration::from_secs(self.webhook_lease_secs.max(1)),
            ..NotifyConfig::default()
        }
    }
}

/// Counters of deliveries, for the metrics endpoint.
#[derive(Debug, Default)]
pub struct DeliveryMetrics {
    /// Notifications delivered (2xx in time).
    pub sent: AtomicU64,
    /// Notifications whose delivery failed and was scheduled again.
    pub retried: AtomicU64,
    /// Notifications given up on (deadline passed, or the endpoint is too slow).
    pub dropped: AtomicU64,
    /// POSTs made, successful or not.
    pub posts: AtomicU64,
    /// Sum of the time POSTs took, in milliseconds (with `posts`, the mean latency).
    pub latency_ms_total: AtomicU64,
    /// Longest POST seen, in milliseconds.
    pub latency_ms_max: AtomicU64,
}

/// A copy of [`DeliveryMetrics`] at one moment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DeliverySnapshot {
    pub sent: u64,
    pub retried: u64,
    pub dropped: u64,
    pub posts: u64,
    pub latency_ms_total: u64,
    pub latency_ms_max: u64,
}

impl DeliveryMetrics {
    pub fn snapshot(&self) -> DeliverySnapshot {
        DeliverySnapshot {
            sent: self.sent.load(Ordering::Relaxed),
            retried: self.retried.load(Ordering::Relaxed),
            dropped: self.dropped.load(Ordering::Relaxed),
            posts: self.posts.load(Ordering::Relaxed),
            latency_ms_total: self.latency_ms_total.load(Ordering::Relaxed),
            latency_ms_max: self.latency_ms_max.load(Ordering::Relaxed),
        }
    }

    fn record_post(&self, elapsed: Duration) {
        let ms = elapsed.as_millis() as u64;
        self.posts.fetch_add(1, Ordering::Relaxed);
        self.latency_ms_total.fetch_add(ms, Ordering::Relaxed);
        self.latency_ms_max.fetch_max(ms, Ordering::Relaxed);
    }
}

/// Which URL property of a subscription a check is about; Graph names it in its messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UrlProperty {
    Notification,
    Lifecycle,
}

impl UrlProperty {
    pub fn name(self) -> &'static str {
        match self {
            UrlProperty::Notification => "NotificationUrl",
            UrlProperty::Lifecycle => "LifecycleNotificationUrl",
        }
    }
}

/// Why a notification URL is refused before any handshake.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    /// Not an absolute http(s) URL.
    #[error("Invalid {} url='{url}'.", property_lower(*.property))]
    Invalid { property: UrlProperty, url: String },
    /// `http://` while the operator has not allowed it (or another scheme).
    #[error("{} scheme='{scheme}' is not supported.", .property.name())]
    Scheme {
        property: UrlProperty,
        scheme: String,
    },
    /// The URL resolves to callrec's own listening address: delivering there would loop.
    #[error("Invalid {} url='{url}': it resolves to this service's own address {addr}.", property_lower(*.property))]
    OwnAddress {
        property: UrlProperty,
        url: String,
        addr: SocketAddr,
    },
}

fn property_lower(property: UrlProperty) -> &'static str {
    match property {
        UrlProperty::Notification => "notification",
        UrlProperty::Lifecycle => "lifecycle notification",
    }
}

/// Checks notification URLs, runs validation handshakes and, once started, delivers notifications.
#[derive(Debug)]
pub struct Notifier {
    config: NotifyConfig,
    client: reqwest::Client,
    own_addrs: RwLock<Vec<SocketAddr>>,
    metrics: DeliveryMetrics,
    endpoints: endpoints::Endpoints,
}

impl Notifier {
    pub fn new(config: NotifyConfig) -> Arc<Self> {
        // Graph does not follow redirects on deliveries; a webhook must answer itself.
        let client = crate::outbound::client_builder(config.validation_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap_or_else(|e| {
                tracing::warn!(error = %e, "cannot configure the webhook client; using its defaults");
                reqwest::Client::new()
            });
        Arc::new(Notifier {
            endpoints: endpoints::Endpoints::new(config.slow.clone()),
            config,
            client,
            own_addrs: RwLock::new(Vec::new()),
            metrics: DeliveryMetrics::default(),
        })
    }

    pub fn config(&self) -> &NotifyConfig {
        &self.config
    }

    /// Now, by the notifier's clock.
    pub fn now(&self) -> Millis {
        self.config.clock.now()
    }

    pub fn metrics(&self) -> DeliverySnapshot {
        self.metrics.snapshot()
    }

    /// Tells the notifier where callrec listens, so that URLs pointing back at it are refused.
    pub fn set_listen_addr(&self, addr: SocketAddr) {
        self.own_addrs
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .push(addr);
    }

    /// Checks a notification or lifecycle URL: absolute, https (or http when allowed), and not
    /// resolving to callrec's own listening address.
    pub async fn check_url(&self, url: &str, property: UrlProperty) -> Result<(), UrlError> {
        let invalid = || UrlError::Invalid {
            property,
            url: url.to_owned(),
        };
        let parsed = reqwest::Url::parse(url).map_err(|_| invalid())?;
        match parsed.scheme() {
            "https" => {}
            "http" if self.config.allow_http => {}
            other => {
                return Err(UrlError::Scheme {
                    property,
                    scheme: other.to_owned(),
                });
            }
        }
        let host = parsed
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(invalid)?;
        let port = parsed.port_or_known_default().ok_or_else(invalid)?;
        let own = self
            .own_addrs
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        if own.is_empty() {
            return Ok(());
        }
        let host = host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        // A name that does not resolve is not ours; the handshake will fail on it anyway.
        let Ok(resolved) = tokio::net::lookup_host((host.as_str(), port)).await else {
            return Ok(());
        };
        for addr in resolved {
            if let Some(mine) = own.iter().find(|mine| is_same_listener(**mine, addr)) {
                return Err(UrlError::OwnAddress {
                    property,
                    url: url.to_owned(),
                    addr: *mine,
                });
            }
        }
        Ok(())
    }

    /// Runs Graph's validation handshake against `url`.
    pub async fn validate(&self, url: &str) -> Result<(), ValidationFailure> {
        validation::handshake(&self.client, url, self.config.validation_timeout).await
    }

    /// Starts the delivery workers on the current runtime. They run until the returned handle is dropped
    /// or aborted.
    pub fn start(self: &Arc<Self>, store: Arc<dyn Store>) -> DeliveryHandle {
        let task = tokio::spawn(delivery::run(self.clone(), store));
        DeliveryHandle { task }
    }
}

/// Whether a resolved address reaches a socket callrec listens on.
fn is_same_listener(mine: SocketAddr, target: SocketAddr) -> bool {
    if mine.port() != target.port() {
        return false;
    }
    let ip = target.ip();
    if mine.ip() == ip {
        return true;
    }
    // Listening on 0.0.0.0 or [::] also answers on loopback.
    mine.ip().is_unspecified()
        && (ip.is_loopback() || ip.is_unspecified() || is_mapped_loopback(ip))
}

fn is_mapped_loopback(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback()),
        IpAddr::V4(_) => false,
    }
}

/// The running delivery workers; dropping the handle stops them (pending notifications stay queued).
#[derive(Debug)]
pub struct DeliveryHandle {
    task: tokio::task::JoinHandle<()>,
}

impl DeliveryHandle {
    pub fn abort(&self) {
        self.task.abort();
    }
}

impl Drop for DeliveryHandle {
    fn drop(&mut self) {
        self.task.abort();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listener_on_every_address_answers_on_loopback() {
        let any: SocketAddr = "0.0.0.0:8080".parse().unwrap();
        let lo: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let lo6: SocketAddr = "[::ffff:127.0.0.1]:8080".parse().unwrap();
        assert!(is_same_listener(any, lo));
        assert!(is_same_listener(any, lo6));
        assert!(is_same_listener(lo, lo));
        assert!(!is_same_listener(lo, "127.0.0.1:8081".parse().unwrap()));
        assert!(!is_same_listener(lo, "10.1.2.3:8080".parse().unwrap()));
    }

    #[tokio::test]
    async fn urls_are_checked_as_graph_does() {
        let notifier = Notifier::new(NotifyConfig::default());
        notifier.set_listen_addr("127.0.0.1:18080".parse().unwrap());
        let check = |url: &'static str| {
            let n = notifier.clone();
            async move {
                n.check_url(url, UrlProperty::Notification)
                    .await
                    .map_err(|e| e.to_string())
            }
        };
        assert_eq!(check("https://hooks.test/x").await, Ok(()));
        assert_eq!(
            check("http://hooks.test/x").await,
            Err("NotificationUrl scheme='http' is not supported.".into())
        );
        assert_eq!(
            check("not a url").await,
            Err("Invalid notification url='not a url'.".into())
        );
        assert_eq!(
            check("https://127.0.0.1:18080/hook").await,
            Err("Invalid notification url='https://127.0.0.1:18080/hook': it resolves to this service's own address 127.0.0.1:18080.".into())
        );
        assert_eq!(check("https://127.0.0.1:18081/hook").await, Ok(()));
    }

    #[test]
    fn the_manual_clock_jumps() {
        let clock = ManualClock::new();
        let before = clock.now();
        clock.advance(Duration::from_secs(3600));
        assert!(clock.now() - before >= 3_600_000);
    }
}
