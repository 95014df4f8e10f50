//! Faults on demand, so that clients can test how they handle Graph's bad days: a share of requests
//! answered 429/500/502/503/504 in Graph's error format with `Retry-After`, added latency, and records
//! that are not available yet.
//!
//! Graph makes a record available 30 to 150 minutes after its call ended (spec/API.md section 9); the
//! availability delay hides each record until its call ended that long ago, so a client's "poll until it
//! appears" logic meets a 404 first. Faults are off by default and set with `serve` flags; at run time
//! `/callrec/faults` (`http::faults`) reads, replaces and clears
//! them as JSON [`FaultSettings`], so a test suite can switch faults on and off around its cases without
//! restarting the server. Only the Graph API (`/v1.0`, `/beta`) is affected, never callrec's own endpoints,
//! so the administration endpoint itself always answers.

use std::sync::{Mutex, RwLock};
use std::time::Duration;

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// The statuses an injected error may have.
pub const FAULT_STATUSES: [u16; 5] = [429, 500, 502, 503, 504];

/// What to inject. Every field has a default, so a client sends only what it wants on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct FaultSettings {
    /// Probability (0 to 1) that a request is answered with an error instead.
    pub error_rate: f64,
    /// The statuses errors are drawn from, evenly.
    pub error_statuses: Vec<u16>,
    /// `Retry-After` of an injected error, in seconds.
    pub retry_after_seconds: u64,
    /// Added to every response, in milliseconds.
    pub latency_ms: u64,
    /// A further random delay of up to this many milliseconds.
    pub latency_jitter_ms: u64,
    /// A record stays hidden (listing skips it, reading it is 404) until its call ended this long ago.
    pub availability_delay_seconds: u64,
    /// Seed of the random draws, for reproducible runs.
    pub seed: Option<u64>,
}

impl Default for FaultSettings {
    fn default() -> Self {
        FaultSettings {
            error_rate: 0.0,
            error_statuses: FAULT_STATUSES.to_vec(),
            retry_after_seconds: 2,
            latency_ms: 0,
            latency_jitter_ms: 0,
            availability_delay_seconds: 0,
            seed: None,
        }
    }
}

impl std::fmt::Display for FaultSettings {
    /// The faults that are on, in a sentence: "5% of requests answered 429 or 503 (Retry-After 2s); ...".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut parts = Vec::new();
        if self.error_rate > 0.0 {
            let statuses: Vec<String> = self.error_statuses.iter().map(u16::to_string).collect();
            parts.push(format!(
                "{}% of requests answered {} (Retry-After {}s)",
                self.error_rate * 100.0,
                statuses.join(" or "),
                self.retry_after_seconds
            ));
        }
        match (self.latency_ms, self.latency_jitter_ms) {
            (0, 0) => {}
            (latency, 0) => parts.push(format!("every answer {latency}ms late")),
            (latency, jitter) => parts.push(format!(
                "every answer {latency}ms late, plus up to {jitter}ms"
            )),
        }
        if self.availability_delay_seconds > 0 {
            parts.push(format!(
                "records hidden until {}s after their call ended",
                self.availability_delay_seconds
            ));
        }
        if let Some(seed) = self.seed {
            parts.push(format!("seed {seed}"));
        }
        if parts.is_empty() {
            f.write_str("no faults")
        } else {
            f.write_str(&parts.join("; "))
        }
    }
}

impl FaultSettings {
    /// Reads settings from a JSON object. A message names the field at fault, which serde's own messages
    /// leave out for a value of the wrong type.
    pub fn from_json(body: &[u8]) -> Result<FaultSettings, String> {
        if body.iter().all(u8::is_ascii_whitespace) {
            return Err("the body is empty; send a JSON object (`{}` for the defaults)".to_owned());
        }
        let value: serde_json::Value =
            serde_json::from_slice(body).map_err(|e| format!("the body is not valid JSON: {e}"))?;
        let serde_json::Value::Object(fields) = &value else {
            return Err("the settings are a JSON object".to_owned());
        };
        for (name, field) in fields {
            let alone =
                serde_json::Value::Object([(name.clone(), field.clone())].into_iter().collect());
            serde_json::from_value::<FaultSettings>(alone).map_err(|e| format!("{name}: {e}"))?;
        }
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    /// Checks the ranges; the message names the field.
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.error_rate) {
            return Err(format!(
                "errorRate must be between 0 and 1, not {}",
                self.error_rate
            ));
        }
        if self.error_statuses.is_empty() {
            return Err("errorStatuses must name at least one status".to_owned());
        }
        if let Some(s) = self
            .error_statuses
            .iter()
            .find(|s| !FAULT_STATUSES.contains(s))
        {
            return Err(format!(
                "errorStatuses: {s} is not one of {FAULT_STATUSES:?}"
            ));
        }
        Ok(())
    }
}

/// The settings in force and the random source, shared by every request.
#[derive(Debug)]
pub struct Faults {
    settings: RwLock<FaultSettings>,
    rng: Mutex<SmallRng>,
}

impl Faults {
    pub fn new(settings: FaultSettings) -> Self {
        let rng = Mutex::new(seeded(settings.seed));
        Faults {
            settings: RwLock::new(settings),
            rng,
        }
    }

    pub fn settings(&self) -> FaultSettings {
        self.settings
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Replaces the settings (already validated).
    pub fn set(&self, settings: FaultSettings) {
        if settings.seed.is_some() {
            *self.rng.lock().unwrap_or_else(|e| e.into_inner()) = seeded(settings.seed);
        }
        *self.settings.write().unwrap_or_else(|e| e.into_inner()) = settings;
    }

    /// How long after its call ended a record becomes visible.
    pub fn availability_delay(&self) -> Duration {
        Duration::from_secs(
            self.settings
                .read()
                .unwrap_or_else(|e| e.into_inner())
                .availability_delay_seconds,
        )
    }

    /// Draws what happens to one request: the delay to add and the error status to answer, if any.
    pub(crate) fn draw(&self) -> (Duration, Option<u16>, u64) {
        let s = self.settings.read().unwrap_or_else(|e| e.into_inner());
        if s.error_rate <= 0.0 && s.latency_ms == 0 && s.latency_jitter_ms == 0 {
            return (Duration::ZERO, None, 0);
        }
        let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
        let jitter = if s.latency_jitter_ms > 0 {
            rng.random_range(0..=s.latency_jitter_ms)
        } else {
            0
        };
        let delay = Duration::from_millis(s.latency_ms + jitter);
        let error = (s.error_rate > 0.0 && rng.random_bool(s.error_rate))
            .then(|| s.error_statuses[rng.random_range(0..s.error_statuses.len())]);
        (delay, error, s.retry_after_seconds)
    }
}

fn seeded(seed: Option<u64>) -> SmallRng {
    SmallRng::seed_from_u64(seed.unwrap_or_else(|| uuid::Uuid::new_v4().as_u64_pair().0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked() {
        assert_eq!(FaultSettings::default().validate(), Ok(()));
        let bad_rate = FaultSettings {
            error_rate: 1.5,
            ..FaultSettings::default()
        };
        assert!(bad_rate.validate().unwrap_err().contains("errorRate"));
        let bad_status = FaultSettings {
            error_statuses: vec![404],
            ..FaultSettings::default()
        };
        assert!(bad_status.validate().unwrap_err().contains("404"));
        let parsed: FaultSettings = serde_json::from_str(r#"{"errorRate":0.5}"#).unwrap();
        assert_eq!(parsed.error_rate, 0.5);
        assert_eq!(parsed.error_statuses, FAULT_STATUSES.to_vec());
        assert!(serde_json::from_str::<FaultSettings>(r#"{"errorRat":0.5}"#).is_err());
    }

    #[test]
    fn json_errors_name_the_field() {
        let read = |text: &str| FaultSettings::from_json(text.as_bytes());
        assert_eq!(
            read(r#"{"latencyMs":250}"#).map(|s| (s.latency_ms, s.error_rate)),
            Ok((250, 0.0))
        );
        let wrong_type = read(r#"{"errorRate":0.5,"latencyMs":"slow"}"#).unwrap_err();
        assert!(wrong_type.starts_with("latencyMs: "), "{wrong_type}");
        let negative = read(r#"{"retryAfterSeconds":-1}"#).unwrap_err();
        assert!(negative.starts_with("retryAfterSeconds: "), "{negative}");
        let unknown = read(r#"{"errorRat":0.5}"#).unwrap_err();
        assert!(unknown.starts_with("errorRat: unknown field"), "{unknown}");
        assert!(read("").unwrap_err().contains("empty"));
        assert!(read("[1]").unwrap_err().contains("object"));
        assert!(read("{").unwrap_err().contains("not valid JSON"));
    }

    #[test]
    fn draws_follow_the_rate() {
        let faults = Faults::new(FaultSettings {
            error_rate: 0.25,
            error_statuses: vec![503],
            seed: Some(7),
            ..FaultSettings::default()
        });
        let errors = (0..4000).filter(|_| faults.draw().1.is_some()).count();
        assert!((800..1200).contains(&errors), "{errors} errors of 4000");
        assert!((0..100).all(|_| faults.draw().1.is_none_or(|s| s == 503)));
        faults.set(FaultSettings::default());
        assert!((0..100).all(|_| faults.draw() == (Duration::ZERO, None, 0)));
    }
}
