//! A minimal JSON text writer for the generator's hot path.
//!
//! Generated records are written straight into a byte buffer, in Graph's property order, because building
//! `serde_json::Value` trees for millions of records costs several times more than the text itself.
//! Numbers are written with fixed decimals from integer arithmetic so output never depends on float
//! formatting details.

use std::io::Write as _;

use callrec_model::edm::{TICKS_PER_SECOND, Ticks, format_duration};

use super::rng::Guid;

/// Writes the member name `$name` (a literal) with one copy: the hot path of the generator.
macro_rules! key {
    ($j:expr, $name:literal) => {
        $j.raw_key(concat!(",\"", $name, "\":"))
    };
}
pub(crate) use key;

/// Writes the string literal `$value`, which must need no escaping, with one copy.
macro_rules! lit {
    ($j:expr, $value:literal) => {
        $j.raw_value(concat!(",\"", $value, "\""))
    };
}
pub(crate) use lit;

/// Appends JSON text to a buffer, inserting commas between members and elements itself.
pub(crate) struct Json<'a> {
    pub(crate) buf: &'a mut Vec<u8>,
    comma: bool,
}

impl<'a> Json<'a> {
    pub(crate) fn new(buf: &'a mut Vec<u8>) -> Self {
        Json { buf, comma: false }
    }

    fn sep(&mut self) {
        if self.comma {
            self.buf.push(b',');
        }
    }

    fn done(&mut self) {
        self.comma = true;
    }

    pub(crate) fn begin_obj(&mut self) {
        self.sep();
        self.buf.push(b'{');
        self.comma = false;
    }

    pub(crate) fn end_obj(&mut self) {
        self.buf.push(b'}');
        self.done();
    }

    pub(crate) fn begin_arr(&mut self) {
        self.sep();
        self.buf.push(b'[');
        self.comma = false;
    }

    pub(crate) fn end_arr(&mut self) {
        self.buf.push(b']');
        self.done();
    }

    /// Writes a member name given as `,"name":`, dropping the comma when none is due (see [`key!`]).
    pub(crate) fn raw_key(&mut self, comma_quoted: &'static str) {
        let b = comma_quoted.as_bytes();
        self.buf
            .extend_from_slice(if self.comma { b } else { &b[1..] });
        self.comma = false;
    }

    /// Writes a value given as `,<json>`, dropping the comma when none is due (see [`lit!`]).
    pub(crate) fn raw_value(&mut self, comma_json: &'static str) {
        let b = comma_json.as_bytes();
        self.buf
            .extend_from_slice(if self.comma { b } else { &b[1..] });
        self.done();
    }

    /// Writes a member name; `key` must need no escaping (all names here are CSDL property names).
    pub(crate) fn key(&mut self, key: &str) {
        self.sep();
        self.buf.push(b'"');
        self.buf.extend_from_slice(key.as_bytes());
        self.buf.extend_from_slice(b"\":");
        self.comma = false;
    }

    pub(crate) fn null(&mut self) {
        self.sep();
        self.buf.extend_from_slice(b"null");
        self.done();
    }

    pub(crate) fn bool(&mut self, v: bool) {
        self.sep();
        self.buf
            .extend_from_slice(if v { b"true" } else { b"false" });
        self.done();
    }

    pub(crate) fn str(&mut self, s: &str) {
        self.sep();
        self.buf.push(b'"');
        // No early exit, so the check vectorizes: most strings need no escaping.
        let needs_escape = s.bytes().fold(false, |acc, b| {
            acc | (b < 0x20) | (b == b'"') | (b == b'\\')
        });
        if !needs_escape {
            self.buf.extend_from_slice(s.as_bytes());
        } else {
            for &b in s.as_bytes() {
                match b {
                    b'"' => self.buf.extend_from_slice(b"\\\""),
                    b'\\' => self.buf.extend_from_slice(b"\\\\"),
                    0..=0x1F => {
                        let _ = write!(self.buf, "\\u{b:04x}");
                    }
                    _ => self.buf.push(b),
                }
            }
        }
        self.buf.push(b'"');
        self.done();
    }

    pub(crate) fn i64(&mut self, v: i64) {
        self.sep();
        write_int(self.buf, v);
        self.done();
    }

    /// Writes `v` rounded to `decimals` places, without trailing zeros (`0.25`, `1`, `0`), as Graph writes
    /// `Edm.Single` values.
    pub(crate) fn fixed(&mut self, v: f64, decimals: u32) {
        self.sep();
        let scale = 10i64.pow(decimals);
        let scaled = (v * scale as f64).round() as i64;
        if scaled < 0 {
            self.buf.push(b'-');
        }
        let scaled = scaled.unsigned_abs();
        write_int(self.buf, (scaled / scale as u64) as i64);
        let mut frac = scaled % scale as u64;
        if frac != 0 {
            let mut digits = decimals;
            while frac.is_multiple_of(10) {
                frac /= 10;
                digits -= 1;
            }
            self.buf.push(b'.');
            let mut tmp = [b'0'; 20];
            let mut pos = digits as usize;
            while pos > 0 {
                pos -= 1;
                tmp[pos] = b'0' + (frac % 10) as u8;
                frac /= 10;
            }
            self.buf.extend_from_slice(&tmp[..digits as usize]);
        }
        self.done();
    }

    pub(crate) fn guid(&mut self, g: Guid) {
        self.sep();
        self.buf.push(b'"');
        g.write_to(self.buf);
        self.buf.push(b'"');
        self.done();
    }

    /// An `Edm.DateTimeOffset`, as [`Ticks`]' `Display` writes it (without going through `fmt`).
    pub(crate) fn time(&mut self, t: Ticks) {
        self.sep();
        self.buf.push(b'"');
        write_time(self.buf, t);
        self.buf.push(b'"');
        self.done();
    }

    /// An `Edm.Duration` of `ms` milliseconds, to 0.1 ms, as [`format_duration`] writes it.
    pub(crate) fn duration_ms(&mut self, ms: f64) {
        self.sep();
        let ticks = (ms * 10_000.0).round() as i64;
        self.buf.push(b'"');
        if (0..60 * TICKS_PER_SECOND).contains(&ticks) {
            // The common case, seconds only: `PT0.016S`.
            self.buf.extend_from_slice(b"PT");
            write_int(self.buf, ticks / TICKS_PER_SECOND);
            write_fraction(self.buf, ticks % TICKS_PER_SECOND);
            self.buf.push(b'S');
        } else {
            self.buf
                .extend_from_slice(format_duration(ticks).as_bytes());
        }
        self.buf.push(b'"');
        self.done();
    }

    /// Writes a string value made by `f` without an intermediate `String` (`f` must write no quotes or
    /// backslashes).
    pub(crate) fn str_with(&mut self, f: impl FnOnce(&mut Vec<u8>)) {
        self.sep();
        self.buf.push(b'"');
        f(self.buf);
        self.buf.push(b'"');
        self.done();
    }

    pub(crate) fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => self.str(s),
            None => self.null(),
        }
    }

    pub(crate) fn opt_i64(&mut self, v: Option<i64>) {
        match v {
            Some(v) => self.i64(v),
            None => self.null(),
        }
    }

    pub(crate) fn opt_fixed(&mut self, v: Option<f64>, decimals: u32) {
        match v {
            Some(v) => self.fixed(v, decimals),
            None => self.null(),
        }
    }

    pub(crate) fn opt_duration_ms(&mut self, ms: Option<f64>) {
        match ms {
            Some(ms) => self.duration_ms(ms),
            None => self.null(),
        }
    }
}

/// Writes a decimal integer without going through `fmt`.
pub(crate) fn write_int(buf: &mut Vec<u8>, v: i64) {
    if v < 0 {
        buf.push(b'-');
    }
    let mut n = v.unsigned_abs();
    let mut tmp = [0u8; 20];
    let mut pos = tmp.len();
    loop {
        pos -= 1;
        tmp[pos] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend_from_slice(&tmp[pos..]);
}

/// Writes `.ddddddd` for a fraction of a second in ticks, trailing zeros trimmed; nothing for 0.
fn write_fraction(buf: &mut Vec<u8>, frac: i64) {
    if frac == 0 {
        return;
    }
    let mut digits = [b'0'; 7];
    let mut f = frac;
    for d in digits.iter_mut().rev() {
        *d = b'0' + (f % 10) as u8;
        f /= 10;
    }
    let len = 7 - digits.iter().rev().take_while(|&&d| d == b'0').count();
    buf.push(b'.');
    buf.extend_from_slice(&digits[..len]);
}

fn two_digits(buf: &mut Vec<u8>, v: i64) {
    buf.push(b'0' + (v / 10) as u8);
    buf.push(b'0' + (v % 10) as u8);
}

/// Writes an instant in Graph's UTC form (`2020-02-25T18:52:21.2169889Z`) for years 1970 to 9999.
pub(crate) fn write_time(buf: &mut Vec<u8>, t: Ticks) {
    let secs = t.0.div_euclid(TICKS_PER_SECOND);
    let frac = t.0.rem_euclid(TICKS_PER_SECOND);
    let days = secs.div_euclid(86_400);
    let sod = secs.rem_euclid(86_400);
    // Civil date from days since 1970-01-01 (H. Hinnant's `civil_from_days`).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    two_digits(buf, year / 100);
    two_digits(buf, year % 100);
    buf.push(b'-');
    two_digits(buf, month);
    buf.push(b'-');
    two_digits(buf, day);
    buf.push(b'T');
    two_digits(buf, sod / 3600);
    buf.push(b':');
    two_digits(buf, sod / 60 % 60);
    buf.push(b':');
    two_digits(buf, sod % 60);
    write_fraction(buf, frac);
    buf.push(b'Z');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(f: impl FnOnce(&mut Json)) -> String {
        let mut buf = Vec::new();
        f(&mut Json::new(&mut buf));
        String::from_utf8(buf).unwrap()
    }

    #[test]
    fn members_and_elements_are_separated() {
        let s = text(|j| {
            j.begin_obj();
            j.key("a");
            j.i64(-12);
            j.key("b");
            j.begin_arr();
            j.str("x\"y\\z\n");
            j.null();
            j.bool(true);
            j.end_arr();
            key!(j, "c");
            j.begin_obj();
            key!(j, "d");
            lit!(j, "e");
            key!(j, "f");
            j.null();
            j.end_obj();
            j.end_obj();
        });
        assert_eq!(
            s,
            r#"{"a":-12,"b":["x\"y\\z\u000a",null,true],"c":{"d":"e","f":null}}"#
        );
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["b"][0], "x\"y\\z\n");
    }

    #[test]
    fn fixed_decimals_trim_zeros() {
        let cases: [(f64, u32, &str); 7] = [
            (0.0, 4, "0"),
            (1.0, 3, "1"),
            (0.25, 4, "0.25"),
            (0.013816934, 8, "0.01381693"),
            (-1.5, 2, "-1.5"),
            (60.258164, 5, "60.25816"),
            (0.00004, 4, "0"),
        ];
        for (v, d, want) in cases {
            assert_eq!(text(|j| j.fixed(v, d)), want, "{v} with {d} decimals");
        }
    }

    #[test]
    fn times_match_the_edm_display() {
        let mut t = -86_400 * TICKS_PER_SECOND;
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        // Instants from 1970 to 2100, with random fractions, against `Ticks`' own formatting.
        while t < 4_102_444_800 * TICKS_PER_SECOND {
            t += 1 + (x % (40 * 86_400 * TICKS_PER_SECOND as u64)) as i64;
            x = x
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            if t < 0 {
                continue;
            }
            let mut buf = Vec::new();
            write_time(&mut buf, Ticks(t));
            assert_eq!(String::from_utf8(buf).unwrap(), Ticks(t).to_string());
        }
    }

    #[test]
    fn durations_match_format_duration() {
        for ms in [
            0.0,
            0.1,
            1.0,
            16.0,
            999.9,
            1000.0,
            1500.0,
            59_999.9,
            60_000.0,
            61_500.0,
            3_600_000.0,
        ] {
            let ticks = (ms * 10_000.0f64).round() as i64;
            assert_eq!(
                text(|j| j.duration_ms(ms)),
                format!("\"{}\"", format_duration(ticks)),
                "{ms} ms"
            );
        }
    }

    #[test]
    fn durations_and_times_use_the_edm_forms() {
        assert_eq!(text(|j| j.duration_ms(16.0)), "\"PT0.016S\"");
        assert_eq!(text(|j| j.duration_ms(1500.0)), "\"PT1.5S\"");
        assert_eq!(
            text(|j| j.time(Ticks(15_826_567_412_169_889))),
            "\"2020-02-25T18:52:21.2169889Z\""
        );
    }
}
