//! The figures behind `GET /metrics` (served by `http::metrics`): what callrec has stored and how its API
//! is doing, in Prometheus' text format, so an operator's existing Prometheus and Grafana can watch it
//! without an exporter.
//!
//! Request counts and latencies are taken by the edge's tracking middleware, which that labels each request with its
//! route template (`/v1.0/communications/callRecords/{id}`, never the id itself, so the series stay few)
//! and its status. Store figures (records, streams by verdict, bytes on disk) are read when scraped.
//! Other parts of callrec add their own counters with [`Metrics::count`] (the notifier's deliveries, for
//! instance); they are rendered with the rest.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::{Mutex, PoisonError};

/// Upper bounds of the latency histogram buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

/// Requests of one method, route and status.
#[derive(Debug, Default, Clone)]
struct RequestSeries {
    count: u64,
    seconds: f64,
    /// Requests at or under each bound of [`BUCKETS`] (not cumulative until rendered).
    buckets: [u64; BUCKETS.len()],
}

/// A counter family added by another module.
#[derive(Debug, Default)]
struct Family {
    help: &'static str,
    /// Rendered label set → value.
    series: BTreeMap<String, u64>,
}

/// The figures callrec keeps in memory between scrapes.
#[derive(Debug, Default)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), RequestSeries>>,
    families: Mutex<BTreeMap<&'static str, Family>>,
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

pub(crate) fn labels(pairs: &[(&str, &str)]) -> String {
    let inner: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("{k}=\"{}\"", escape(v)))
        .collect();
    if inner.is_empty() {
        String::new()
    } else {
        format!("{{{}}}", inner.join(","))
    }
}

impl Metrics {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records one answered request.
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let mut requests = self.requests.lock().unwrap_or_else(PoisonError::into_inner);
        let series = requests
            .entry((method.to_owned(), route.to_owned(), status))
            .or_default();
        series.count += 1;
        series.seconds += seconds;
        if let Some(i) = BUCKETS.iter().position(|b| seconds <= *b) {
            series.buckets[i] += 1;
        }
    }

    /// Adds `by` to the counter `name` with these labels; `help` describes the family the first time.
    /// This is the place for counters of other parts of callrec (notifications sent, failed, dropped...).
    pub fn count(
        &self,
        name: &'static str,
        help: &'static str,
        label_pairs: &[(&str, &str)],
        by: u64,
    ) {
        let mut families = self.families.lock().unwrap_or_else(PoisonError::into_inner);
        let family = families.entry(name).or_default();
        family.help = help;
        *family.series.entry(labels(label_pairs)).or_default() += by;
    }

    /// Writes the in-memory figures in the text format.
    pub fn render(&self, out: &mut String) {
        let requests = self
            .requests
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone();
        out.push_str("# HELP callrec_http_requests_total HTTP requests answered, by method, route and status.\n");
        out.push_str("# TYPE callrec_http_requests_total counter\n");
        for ((method, route, status), s) in &requests {
            let status = status.to_string();
            let l = labels(&[("method", method), ("route", route), ("status", &status)]);
            let _ = writeln!(out, "callrec_http_requests_total{l} {}", s.count);
        }
        // Latency by method and route, all statuses together.
        let mut by_route: BTreeMap<(&str, &str), RequestSeries> = BTreeMap::new();
        for ((method, route, _), s) in &requests {
            let total = by_route.entry((method, route)).or_default();
            total.count += s.count;
            total.seconds += s.seconds;
            for (t, b) in total.buckets.iter_mut().zip(s.buckets) {
                *t += b;
            }
        }
        out.push_str("# HELP callrec_http_request_duration_seconds Time to answer HTTP requests, by method and route.\n");
        out.push_str("# TYPE callrec_http_request_duration_seconds histogram\n");
        for ((method, route), s) in &by_route {
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(s.buckets) {
                cumulative += n;
                let le = bound.to_string();
                let l = labels(&[("method", method), ("route", route), ("le", &le)]);
                let _ = writeln!(
                    out,
                    "callrec_http_request_duration_seconds_bucket{l} {cumulative}"
                );
            }
            let l = labels(&[("method", method), ("route", route), ("le", "+Inf")]);
            let _ = writeln!(
                out,
                "callrec_http_request_duration_seconds_bucket{l} {}",
                s.count
            );
            let l = labels(&[("method", method), ("route", route)]);
            let _ = writeln!(
                out,
                "callrec_http_request_duration_seconds_sum{l} {}",
                s.seconds
            );
            let _ = writeln!(
                out,
                "callrec_http_request_duration_seconds_count{l} {}",
                s.count
            );
        }
        let families = self.families.lock().unwrap_or_else(PoisonError::into_inner);
        for (name, family) in families.iter() {
            let _ = writeln!(out, "# HELP {name} {}", family.help);
            let _ = writeln!(out, "# TYPE {name} counter");
            for (l, v) in &family.series {
                let _ = writeln!(out, "{name}{l} {v}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_cumulative_histograms() {
        let m = Metrics::new();
        m.observe("GET", "/v1.0/communications/callRecords/{id}", 200, 0.003);
        m.observe("GET", "/v1.0/communications/callRecords/{id}", 404, 0.2);
        m.count(
            "callrec_notifications_total",
            "Notifications sent.",
            &[("outcome", "delivered")],
            2,
        );
        let mut out = String::new();
        m.render(&mut out);
        assert!(out.contains("callrec_http_requests_total{method=\"GET\",route=\"/v1.0/communications/callRecords/{id}\",status=\"404\"} 1\n"), "{out}");
        assert!(out.contains("callrec_http_request_duration_seconds_bucket{method=\"GET\",route=\"/v1.0/communications/callRecords/{id}\",le=\"0.0025\"} 0\n"), "{out}");
        assert!(out.contains("callrec_http_request_duration_seconds_bucket{method=\"GET\",route=\"/v1.0/communications/callRecords/{id}\",le=\"0.005\"} 1\n"), "{out}");
        assert!(out.contains("le=\"0.25\"} 2\n"), "{out}");
        assert!(out.contains("callrec_http_request_duration_seconds_count{method=\"GET\",route=\"/v1.0/communications/callRecords/{id}\"} 2\n"), "{out}");
        assert!(
            out.contains("callrec_notifications_total{outcome=\"delivered\"} 2\n"),
            "{out}"
        );
        assert_eq!(labels(&[("a", "x\"y\\")]), "{a=\"x\\\"y\\\\\"}");
    }
}
