//! OData primitive values as Graph writes them: `Edm.DateTimeOffset` and `Edm.Duration`.
//!
//! Instants are kept as [`Ticks`]: 100-nanosecond units since the Unix epoch, the resolution of the
//! seven fractional digits Graph writes (`2020-02-25T18:52:21.2169889Z`). An `i64` of ticks covers
//! years 0001 to 9999, which Graph's `0001-01-01T00:00:00Z` placeholders need.

use std::fmt;

/// 100-nanosecond units since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ticks(pub i64);

pub const TICKS_PER_SECOND: i64 = 10_000_000;

impl Ticks {
    pub fn from_unix_seconds(secs: i64) -> Self {
        Ticks(secs * TICKS_PER_SECOND)
    }

    /// Whole seconds since the epoch, rounded down.
    pub fn to_unix_seconds(self) -> i64 {
        self.0.div_euclid(TICKS_PER_SECOND)
    }

    pub fn now() -> Self {
        Self::from_offset_date_time(time::OffsetDateTime::now_utc())
    }

    pub fn from_offset_date_time(t: time::OffsetDateTime) -> Self {
        Ticks((t.unix_timestamp_nanos() / 100) as i64)
    }

    pub fn to_offset_date_time(self) -> time::OffsetDateTime {
        time::OffsetDateTime::from_unix_timestamp_nanos(self.0 as i128 * 100)
            .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
    }
}

impl fmt::Display for Ticks {
    /// Writes the instant in UTC as Graph does: `Z`, and the fractional digits trimmed of trailing zeros.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let t = self.to_offset_date_time();
        let frac = self.0.rem_euclid(TICKS_PER_SECOND);
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        )?;
        if frac != 0 {
            let digits = format!("{frac:07}");
            write!(f, ".{}", digits.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

/// Why a primitive literal could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EdmError(pub String);

/// Parses an `Edm.DateTimeOffset`: `YYYY-MM-DDThh:mm[:ss[.f{1,7}]](Z|±hh:mm)`.
///
/// More than seven fractional digits are accepted and truncated to ticks, as .NET does.
pub fn parse_date_time_offset(s: &str) -> Result<Ticks, EdmError> {
    let bad = || {
        EdmError(format!(
            "'{s}' is not a valid DateTimeOffset (expected e.g. 2023-09-25T09:25:00Z)"
        ))
    };
    let b = s.as_bytes();
    if b.len() < 16
        || b[4] != b'-'
        || b[7] != b'-'
        || !(b[10] == b'T' || b[10] == b't')
        || b[13] != b':'
    {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| -> Result<i64, EdmError> {
        let part = s.get(r).ok_or_else(bad)?;
        if part.is_empty() || !part.bytes().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        part.parse::<i64>().map_err(|_| bad())
    };
    let year = num(0..4)?;
    let month = num(5..7)?;
    let day = num(8..10)?;
    let hour = num(11..13)?;
    let minute = num(14..16)?;
    let mut i = 16;
    let mut second = 0;
    let mut frac_ticks = 0i64;
    if b.get(i) == Some(&b':') {
        second = num(i + 1..i + 3)?;
        i += 3;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i == start {
                return Err(bad());
            }
            let digits = &s[start..i];
            let mut padded: String = digits.chars().take(7).collect();
            while padded.len() < 7 {
                padded.push('0');
            }
            frac_ticks = padded.parse().map_err(|_| bad())?;
        }
    }
    let offset_minutes = match &s[i..] {
        "Z" | "z" => 0,
        rest if rest.len() == 6
            && (rest.starts_with('+') || rest.starts_with('-'))
            && rest.as_bytes()[3] == b':' =>
        {
            let h = num(i + 1..i + 3)?;
            let m = num(i + 4..i + 6)?;
            if h > 23 || m > 59 {
                return Err(bad());
            }
            let sign = if rest.starts_with('-') { -1 } else { 1 };
            sign * (h * 60 + m)
        }
        _ => return Err(bad()),
    };
    if hour > 23 || minute > 59 || second > 59 {
        return Err(bad());
    }
    let month = time::Month::try_from(month as u8).map_err(|_| bad())?;
    let date = time::Date::from_calendar_date(year as i32, month, day as u8).map_err(|_| bad())?;
    let days = date.to_julian_day() as i64
        - time::Date::from_calendar_date(1970, time::Month::January, 1)
            .unwrap()
            .to_julian_day() as i64;
    let secs = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    Ok(Ticks(secs * TICKS_PER_SECOND + frac_ticks))
}

/// Parses a date-only literal (`2019-11-01`) as midnight UTC, as Graph's log functions accept it.
pub fn parse_date(s: &str) -> Result<Ticks, EdmError> {
    if s.len() != 10 {
        return Err(EdmError(format!(
            "'{s}' is not a valid Date (expected e.g. 2019-11-01)"
        )));
    }
    parse_date_time_offset(&format!("{s}T00:00:00Z")).map_err(|_| {
        EdmError(format!(
            "'{s}' is not a valid Date (expected e.g. 2019-11-01)"
        ))
    })
}

/// Parses an `Edm.Duration` (ISO 8601 `[-]PnDTnHnMn.nS`, as Graph writes `PT0.016S`) into ticks.
pub fn parse_duration(s: &str) -> Result<i64, EdmError> {
    let bad = || {
        EdmError(format!(
            "'{s}' is not a valid ISO 8601 duration (expected e.g. PT0.016S)"
        ))
    };
    let (neg, rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s),
    };
    let rest = rest.strip_prefix('P').ok_or_else(bad)?;
    if rest.is_empty() {
        return Err(bad());
    }
    let (date_part, time_part) = match rest.split_once('T') {
        Some((d, t)) => {
            if t.is_empty() {
                return Err(bad());
            }
            (d, Some(t))
        }
        None => (rest, None),
    };
    let mut total: i128 = 0;
    let mut parse_units = |part: &str, units: &[(char, i128)]| -> Result<(), EdmError> {
        let mut num = String::new();
        let mut allowed = units;
        for c in part.chars() {
            if c.is_ascii_digit() || c == '.' {
                num.push(c);
                continue;
            }
            let pos = allowed.iter().position(|(u, _)| *u == c).ok_or_else(bad)?;
            let scale = allowed[pos].1;
            allowed = &allowed[pos + 1..];
            if num.is_empty() {
                return Err(bad());
            }
            let value = if let Some((int, frac)) = num.split_once('.') {
                if c != 'S' || frac.is_empty() || int.is_empty() || frac.contains('.') {
                    return Err(bad());
                }
                let int: i128 = int.parse().map_err(|_| bad())?;
                let mut f: String = frac.chars().take(7).collect();
                while f.len() < 7 {
                    f.push('0');
                }
                int * scale + f.parse::<i128>().map_err(|_| bad())?
            } else {
                num.parse::<i128>().map_err(|_| bad())? * scale
            };
            total = total.checked_add(value).ok_or_else(bad)?;
            num.clear();
        }
        if num.is_empty() { Ok(()) } else { Err(bad()) }
    };
    let t = TICKS_PER_SECOND as i128;
    parse_units(date_part, &[('D', 86_400 * t)])?;
    if let Some(tp) = time_part {
        parse_units(tp, &[('H', 3600 * t), ('M', 60 * t), ('S', t)])?;
    }
    let total = i64::try_from(total).map_err(|_| bad())?;
    Ok(if neg { -total } else { total })
}

/// Writes ticks as an ISO 8601 duration the way Graph does (`PT0.016S`, `PT1M2S`).
pub fn format_duration(ticks: i64) -> String {
    let mut out = String::new();
    if ticks < 0 {
        out.push('-');
    }
    let mut rest = ticks.unsigned_abs();
    let tps = TICKS_PER_SECOND as u64;
    out.push('P');
    let days = rest / (86_400 * tps);
    rest %= 86_400 * tps;
    if days > 0 {
        out.push_str(&format!("{days}D"));
    }
    out.push('T');
    let hours = rest / (3600 * tps);
    rest %= 3600 * tps;
    let minutes = rest / (60 * tps);
    rest %= 60 * tps;
    if hours > 0 {
        out.push_str(&format!("{hours}H"));
    }
    if minutes > 0 {
        out.push_str(&format!("{minutes}M"));
    }
    let secs = rest / tps;
    let frac = rest % tps;
    if frac != 0 {
        let digits = format!("{frac:07}");
        out.push_str(&format!("{secs}.{}S", digits.trim_end_matches('0')));
    } else if secs > 0 || (hours == 0 && minutes == 0) {
        out.push_str(&format!("{secs}S"));
    }
    if out.ends_with('T') {
        out.pop();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dt(s: &str) -> String {
        parse_date_time_offset(s)
            .map(|t| t.to_string())
            .unwrap_or_else(|e| format!("error: {e}"))
    }

    #[test]
    fn date_time_offsets() {
        assert_eq!(
            dt("2020-02-25T18:52:21.2169889Z"),
            "2020-02-25T18:52:21.2169889Z"
        );
        assert_eq!(dt("2023-09-25T10:36:40Z"), "2023-09-25T10:36:40Z");
        assert_eq!(dt("2023-09-25T10:36:40.500Z"), "2023-09-25T10:36:40.5Z");
        assert_eq!(dt("2019-11-01T00:00:00+02:00"), "2019-10-31T22:00:00Z");
        assert_eq!(dt("2019-11-01T00:00-01:30"), "2019-11-01T01:30:00Z");
        assert_eq!(dt("0001-01-01T00:00:00Z"), "0001-01-01T00:00:00Z");
        assert!(dt("2019-13-01T00:00:00Z").starts_with("error"));
        assert!(dt("2019-02-30T00:00:00Z").starts_with("error"));
        assert!(dt("2019-11-01").starts_with("error"));
        assert!(dt("2019-11-01T00:00:00").starts_with("error"));
        assert!(dt("yesterday").starts_with("error"));
        assert!(dt("2019-11-01T00:00:00.Z").starts_with("error"));
        assert!(dt("2019-11-01T25:00:00Z").starts_with("error"));
        assert_eq!(
            parse_date("2019-11-01").unwrap().to_string(),
            "2019-11-01T00:00:00Z"
        );
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("PT0.016S"), Ok(160_000));
        assert_eq!(parse_duration("PT1S"), Ok(TICKS_PER_SECOND));
        assert_eq!(
            parse_duration("P1DT2H3M4.5S"),
            Ok(((86_400 + 7200 + 180 + 4) * TICKS_PER_SECOND) + 5_000_000)
        );
        assert_eq!(parse_duration("-PT1S"), Ok(-TICKS_PER_SECOND));
        for bad in [
            "", "P", "PT", "T1S", "PT1", "PT1.S", "PTS", "PT1S2M", "P1H", "PT0,5S", "1S",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad} should be rejected");
        }
        for s in ["PT0.016S", "PT1S", "PT1M2S", "P1DT2H", "PT0S", "-PT0.5S"] {
            assert_eq!(format_duration(parse_duration(s).unwrap()), s);
        }
    }
}
