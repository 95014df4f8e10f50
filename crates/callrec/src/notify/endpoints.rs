//! What the notifier knows about each destination URL: how many deliveries are in flight to it, and
//! Graph's rules for endpoints that are often slow (spec/API.md section 10).
//!
//! Graph counts, per endpoint and per 10-minute window, the notifications it published and those whose
//! publish took longer than 2,900 ms. Once 100 were published in a window, an endpoint with at least 10%
//! slow ones is flagged: its notifications are delayed 10 minutes and its failed deliveries retried after
//! 10 minutes; at 15% and more its notifications are dropped. The counters start again every window.
//! The state is per node and in memory: it is a throttle, not a record, and starts clean after a restart.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use callrec_store::subscriptions::Millis;
use tokio::sync::Semaphore;

/// Graph's thresholds for slow endpoints.
#[derive(Debug, Clone)]
pub struct SlowRules {
    /// A publish taking longer than this is slow (Graph: 2,900 ms).
    pub slow_after: Duration,
    /// Ratios are judged once this many notifications were published in the window (Graph: 100).
    pub min_notifications: u64,
    /// From this share of slow notifications the endpoint is delayed (Graph: 10%)...
    pub delay_ratio: f64,
    /// ...and from this one its notifications are dropped (Graph: 15%).
    pub drop_ratio: f64,
    /// The counters start again after this (Graph: 10 minutes).
    pub window: Duration,
    /// How long a flagged endpoint's notifications wait (Graph: 10 minutes).
    pub delay: Duration,
}

impl Default for SlowRules {
    fn default() -> Self {
        SlowRules {
            slow_after: Duration::from_millis(2900),
            min_notifications: 100,
            delay_ratio: 0.10,
            drop_ratio: 0.15,
            window: Duration::from_secs(600),
            delay: Duration::from_secs(600),
        }
    }
}

/// What to do with notifications for an endpoint now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Deliver,
    /// Flagged as slow: hold its notifications until this time.
    Delay(Millis),
    /// Too slow: drop its notifications.
    Drop,
}

#[derive(Debug)]
struct Endpoint {
    window_start: Millis,
    published: u64,
    slow: u64,
    permits: Arc<Semaphore>,
}

/// Endpoints seen by this node.
#[derive(Debug)]
pub struct Endpoints {
    rules: SlowRules,
    known: Mutex<HashMap<String, Endpoint>>,
}

/// Entries kept before idle ones are forgotten, so a stream of one-off URLs cannot grow the map forever.
const MAX_REMEMBERED: usize = 10_000;

impl Endpoints {
    pub fn new(rules: SlowRules) -> Self {
        Endpoints {
            rules,
            known: Mutex::new(HashMap::new()),
        }
    }

    pub fn rules(&self) -> &SlowRules {
        &self.rules
    }

    fn with<T>(
        &self,
        url: &str,
        now: Millis,
        per_endpoint: usize,
        f: impl FnOnce(&mut Endpoint) -> T,
    ) -> T {
        let mut known = self.known.lock().unwrap_or_else(PoisonError::into_inner);
        if known.len() >= MAX_REMEMBERED && !known.contains_key(url) {
            let window = self.rules.window.as_millis() as i64;
            known.retain(|_, e| Arc::strong_count(&e.permits) > 1 || now - e.window_start < window);
        }
        let endpoint = known.entry(url.to_owned()).or_insert_with(|| Endpoint {
            window_start: now,
            published: 0,
            slow: 0,
            permits: Arc::new(Semaphore::new(per_endpoint.max(1))),
        });
        if now - endpoint.window_start >= self.rules.window.as_millis() as i64 {
            endpoint.window_start = now;
            endpoint.published = 0;
            endpoint.slow = 0;
        }
        f(endpoint)
    }

    /// Whether to deliver to `url` now, by its slow-publish record in the current window.
    pub fn verdict(&self, url: &str, now: Millis, per_endpoint: usize) -> Verdict {
        let rules = &self.rules;
        self.with(url, now, per_endpoint, |e| {
            if e.published < rules.min_notifications {
                return Verdict::Deliver;
            }
            let ratio = e.slow as f64 / e.published as f64;
            if ratio >= rules.drop_ratio {
                Verdict::Drop
            } else if ratio >= rules.delay_ratio {
                Verdict::Delay(now + rules.delay.as_millis() as i64)
            } else {
                Verdict::Deliver
            }
        })
    }

    /// Counts a publish of `notifications` notifications that took `elapsed`.
    pub fn record(
        &self,
        url: &str,
        now: Millis,
        per_endpoint: usize,
        notifications: u64,
        elapsed: Duration,
    ) {
        let slow = elapsed > self.rules.slow_after;
        self.with(url, now, per_endpoint, |e| {
            e.published += notifications;
            if slow {
                e.slow += notifications;
            }
        });
    }

    /// The semaphore bounding the deliveries in flight to `url`.
    pub fn permits(&self, url: &str, now: Millis, per_endpoint: usize) -> Arc<Semaphore> {
        self.with(url, now, per_endpoint, |e| e.permits.clone())
    }

    /// URLs whose every delivery slot is taken.
    pub fn busy(&self) -> Vec<String> {
        self.known
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .filter(|(_, e)| e.permits.available_permits() == 0)
            .map(|(url, _)| url.clone())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "https://slow.test/hook";
    const FAST: Duration = Duration::from_millis(10);
    const SLOW: Duration = Duration::from_millis(2901);

    fn publish(endpoints: &Endpoints, now: Millis, fast: u64, slow: u64) {
        for _ in 0..fast {
            endpoints.record(URL, now, 4, 1, FAST);
        }
        for _ in 0..slow {
            endpoints.record(URL, now, 4, 1, SLOW);
        }
    }

    #[test]
    fn graph_slow_endpoint_rules() {
        let rules = SlowRules::default();
        let endpoints = Endpoints::new(rules.clone());
        let t = 1_000_000;
        publish(&endpoints, t, 80, 10);
        assert_eq!(
            endpoints.verdict(URL, t, 4),
            Verdict::Deliver,
            "not judged before 100 notifications"
        );
        publish(&endpoints, t, 10, 0);
        assert_eq!(
            endpoints.verdict(URL, t, 4),
            Verdict::Delay(t + 600_000),
            "10 slow of 100"
        );
        let window = rules.window.as_millis() as i64;

        let endpoints = Endpoints::new(rules.clone());
        publish(&endpoints, t, 91, 9);
        assert_eq!(
            endpoints.verdict(URL, t, 4),
            Verdict::Deliver,
            "9% slow is fine"
        );

        let endpoints = Endpoints::new(rules.clone());
        publish(&endpoints, t, 90, 10);
        assert_eq!(
            endpoints.verdict(URL, t, 4),
            Verdict::Delay(t + 600_000),
            "10% slow is delayed"
        );

        let endpoints = Endpoints::new(rules.clone());
        publish(&endpoints, t, 85, 15);
        assert_eq!(
            endpoints.verdict(URL, t, 4),
            Verdict::Drop,
            "15% slow is dropped"
        );
        assert_eq!(
            endpoints.verdict(URL, t + window, 4),
            Verdict::Deliver,
            "the counters start again every window"
        );
    }

    #[test]
    fn a_publish_is_slow_only_beyond_the_threshold() {
        let endpoints = Endpoints::new(SlowRules::default());
        for _ in 0..100 {
            endpoints.record(URL, 0, 4, 1, Duration::from_millis(2900));
        }
        assert_eq!(endpoints.verdict(URL, 0, 4), Verdict::Deliver);
    }

    #[test]
    fn busy_endpoints_are_those_without_a_free_slot() {
        let endpoints = Endpoints::new(SlowRules::default());
        let permits = endpoints.permits(URL, 0, 1);
        assert!(endpoints.busy().is_empty());
        let held = permits.try_acquire().unwrap();
        assert_eq!(endpoints.busy(), vec![URL.to_owned()]);
        drop(held);
        assert!(endpoints.busy().is_empty());
    }
}
