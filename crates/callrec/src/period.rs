//! Lengths of time as people write them on a command line and in limits: `500ms`, `20s`, `5m`, `2h`,
//! `30d`. Throttling windows, retention and scrub periods and injected latencies all read them here.

use std::time::Duration;

/// `500ms`, `20s`, `5m` (or `5min`), `2h`, `30d`, with an optional fraction (`1.5h`); `None` for anything
/// else.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let split = s.find(|c: char| !c.is_ascii_digit() && c != '.')?;
    let (number, unit) = s.split_at(split);
    let number: f64 = number.parse().ok()?;
    let secs = match unit {
        "ms" => number / 1000.0,
        "s" => number,
        "m" | "min" => number * 60.0,
        "h" => number * 3600.0,
        "d" => number * 86400.0,
        _ => return None,
    };
    (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs))
}

/// [`parse_duration`] with the error a command line shows.
pub fn duration_arg(s: &str) -> Result<Duration, String> {
    parse_duration(s).ok_or_else(|| format!("'{s}' is not a duration like 200ms, 30s, 30m or 2h"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse() {
        assert_eq!(parse_duration("30d"), Some(Duration::from_secs(30 * 86400)));
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("1.5h"), Some(Duration::from_secs(5400)));
        assert_eq!(parse_duration("5min"), Some(Duration::from_secs(300)));
        assert_eq!(parse_duration("30"), None);
        assert_eq!(parse_duration("30y"), None);
        assert_eq!(parse_duration("-1s"), None);
        assert!(duration_arg("soon").unwrap_err().contains("200ms"));
    }
}
