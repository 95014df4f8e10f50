//! The URL segment of a log function call, `getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01)`,
//! read as Graph reads it.
//!
//! Clients send it in several spellings, and all of Graph's are accepted: with or without the namespace
//! (`microsoft.graph.callRecords.getPstnCalls(...)`, as the SDKs write it), with date-only or full
//! DateTimeOffset literals, percent-encoded (`2019-11-01T00:00:00%2B00:00`). What Graph refuses is refused
//! with a message that says which parameter is wrong and how to write it, including two shapes that SDK
//! bugs produce: empty values (`fromDateTime=,toDateTime=`) and the two parameters without the comma between
//! them (`(fromDateTime=...toDateTime=...)`). The latter is accepted only in lenient mode, because a
//! stand-in that accepts what Graph refuses hides the bug until production.

use std::fmt;

use crate::edm::{self, TICKS_PER_SECOND, Ticks};
use crate::logs::{LogKind, NAMESPACE};

/// A log function call read from its URL segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FunctionCall {
    pub kind: LogKind,
    /// The function name as written, with its namespace if the client wrote one.
    pub name: String,
    pub from: Ticks,
    pub to: Ticks,
    /// The parameter values as written (percent-decoded), for the nextLink.
    pub from_text: String,
    pub to_text: String,
}

/// How a function call was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FunctionErrorKind {
    /// A malformed call: a missing, empty, unknown or malformed parameter.
    BadRequest,
    /// A range longer than the function allows. Graph answers this with 406 Not Acceptable.
    RangeTooLong,
}

/// Why a function call was refused, in words a client can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FunctionCallError {
    pub kind: FunctionErrorKind,
    pub message: String,
}

impl FunctionCallError {
    fn bad(message: impl Into<String>) -> Self {
        FunctionCallError {
            kind: FunctionErrorKind::BadRequest,
            message: message.into(),
        }
    }
}

/// Whether a (percent-decoded) path segment calls one of the log functions; a record may be named
/// `getPstnCalls`, but only `getPstnCalls(` is the function.
pub fn is_function_segment(segment: &str) -> bool {
    split_name(segment).is_some_and(|(_, simple, _)| LogKind::from_function_name(simple).is_some())
}

/// `(name as written, simple name, text after the name)`, when the segment has the shape `name(...`.
fn split_name(segment: &str) -> Option<(&str, &str, &str)> {
    let paren = segment.find('(')?;
    let name = segment[..paren].trim();
    let simple = name.rsplit('.').next().unwrap_or(name);
    Some((name, simple, &segment[paren..]))
}

const PARAMETERS: [&str; 2] = ["fromDateTime", "toDateTime"];

/// Reads a log function call from its path segment, percent-decoded. `Ok(None)` when the segment does not
/// call a log function at all.
///
/// `lenient` accepts the two parameters without a comma between them.
pub fn parse_function_call(
    segment: &str,
    lenient: bool,
) -> Result<Option<FunctionCall>, FunctionCallError> {
    let Some((name, simple, rest)) = split_name(segment) else {
        return Ok(None);
    };
    let Some(kind) = LogKind::from_function_name(simple) else {
        return Ok(None);
    };
    if name.len() > simple.len() {
        let namespace = &name[..name.len() - simple.len() - 1];
        if !namespace.eq_ignore_ascii_case(NAMESPACE) {
            return Err(FunctionCallError::bad(format!(
                "Resource not found for the segment '{name}': {simple} is in the namespace {NAMESPACE}."
            )));
        }
    }
    let Some(inner) = rest.strip_prefix('(').and_then(|r| r.strip_suffix(')')) else {
        return Err(FunctionCallError::bad(format!(
            "The call of {simple} is not closed: '{segment}' must end with ')'; send {simple}(fromDateTime=2019-11-01,toDateTime=2019-12-01)."
        )));
    };
    let example = format!("{simple}(fromDateTime=2019-11-01,toDateTime=2019-12-01)");
    let mut values: [Option<(String, usize)>; 2] = [None, None];
    let mut offset = 0;
    for piece in inner.split(',') {
        let at = offset;
        offset += piece.len() + 1;
        if piece.trim().is_empty() {
            if inner.trim().is_empty() {
                break;
            }
            return Err(FunctionCallError::bad(format!(
                "Expression expected at position {at} in '{inner}': there is an empty parameter; send {example}."
            )));
        }
        let Some((param, value)) = piece.split_once('=') else {
            return Err(FunctionCallError::bad(format!(
                "'{}' in '{inner}' is not a parameter assignment; {simple} takes fromDateTime=...,toDateTime=..., e.g. {example}.",
                piece.trim()
            )));
        };
        let param = param.trim();
        let Some(slot) = PARAMETERS
            .iter()
            .position(|p| p.eq_ignore_ascii_case(param))
        else {
            return Err(FunctionCallError::bad(format!(
                "{simple} has no parameter '{param}'; its parameters are fromDateTime and toDateTime, e.g. {example}."
            )));
        };
        let value_at = at + piece.find('=').map_or(0, |i| i + 1);
        // The comma-less form: `fromDateTime=2019-11-01toDateTime=2019-12-01`.
        if slot == 0
            && let Some(glued) = find_ignore_case(value, "toDateTime=")
        {
            if !lenient {
                return Err(FunctionCallError::bad(format!(
                    "The parameters of {simple} are not separated by a comma: '({inner})' runs fromDateTime into toDateTime. \
                     Separate them with ',' as in {simple}(fromDateTime={},toDateTime={}). \
                     (Some SDK versions build this URL without the comma; build the URL yourself until the SDK is fixed. \
                     callrec accepts it only when started with --lenient-functions.)",
                    value[..glued].trim(),
                    value[glued + "toDateTime=".len()..].trim()
                )));
            }
            store(&mut values, 0, &value[..glued], value_at, simple)?;
            store(
                &mut values,
                1,
                &value[glued + "toDateTime=".len()..],
                value_at + glued + "toDateTime=".len(),
                simple,
            )?;
            continue;
        }
        store(&mut values, slot, value, value_at, simple)?;
    }
    let mut read = |slot: usize| -> Result<(String, Ticks), FunctionCallError> {
        let name = PARAMETERS[slot];
        let Some((text, at)) = values[slot].take() else {
            return Err(FunctionCallError::bad(format!(
                "The parameter '{name}' of {simple} is missing; send {example}."
            )));
        };
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(FunctionCallError::bad(format!(
                "Expression expected at position {at} in '{inner}': the parameter '{name}' has no value. \
                 Send a date (2019-11-01) or a DateTimeOffset (2019-11-01T00:00:00Z), e.g. {example}."
            )));
        }
        let ticks = parse_instant(trimmed).map_err(|why| {
            FunctionCallError::bad(format!(
                "The parameter '{name}' of {simple} is not a valid date or DateTimeOffset: {why}. \
                 Send e.g. 2019-11-01 or 2019-11-01T00:00:00Z (an offset's '+' as %2B)."
            ))
        })?;
        Ok((trimmed.to_owned(), ticks))
    };
    let (from_text, from) = read(0)?;
    let (to_text, to) = read(1)?;
    Ok(Some(FunctionCall {
        kind,
        name: name.to_owned(),
        from,
        to,
        from_text,
        to_text,
    }))
}

fn store(
    values: &mut [Option<(String, usize)>; 2],
    slot: usize,
    value: &str,
    at: usize,
    simple: &str,
) -> Result<(), FunctionCallError> {
    if values[slot].is_some() {
        return Err(FunctionCallError::bad(format!(
            "The parameter '{}' of {simple} is given twice.",
            PARAMETERS[slot]
        )));
    }
    values[slot] = Some((value.to_owned(), at));
    Ok(())
}

fn find_ignore_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .to_ascii_lowercase()
        .find(&needle.to_ascii_lowercase())
}

/// A date-only literal (midnight UTC) or a DateTimeOffset.
fn parse_instant(text: &str) -> Result<Ticks, String> {
    if text.starts_with('\'') || text.starts_with('"') {
        return Err(format!("'{text}' is quoted; send the value without quotes"));
    }
    if text.len() == 10 {
        return edm::parse_date(text).map_err(|e| e.0);
    }
    edm::parse_date_time_offset(text).map_err(|e| {
        if text.contains(' ') {
            format!(
                "{} (a space in it is probably a '+' that was not sent as %2B)",
                e.0
            )
        } else {
            e.0
        }
    })
}

/// A range in days and fractions, for messages.
struct Days(i64);

impl fmt::Display for Days {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let day = 86_400 * TICKS_PER_SECOND;
        if self.0 % day == 0 {
            write!(f, "{} days", self.0 / day)
        } else {
            write!(f, "{:.2} days", self.0 as f64 / day as f64)
        }
    }
}

impl FunctionCall {
    /// Checks the range: `fromDateTime` not after `toDateTime`, and no longer than the function allows.
    pub fn check_range(&self) -> Result<(), FunctionCallError> {
        let simple = self.kind.function_name();
        if self.from > self.to {
            return Err(FunctionCallError::bad(format!(
                "fromDateTime ({}) is after toDateTime ({}) in {simple}.",
                self.from, self.to
            )));
        }
        if let Some(days) = self.kind.max_range_days() {
            let span = self.to.0 - self.from.0;
            if span > days * 86_400 * TICKS_PER_SECOND {
                return Err(FunctionCallError {
                    kind: FunctionErrorKind::RangeTooLong,
                    message: format!(
                        "The range from {} to {} spans {}; {simple} accepts at most {days} days. Split the range into several calls.",
                        self.from,
                        self.to,
                        Days(span)
                    ),
                });
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(segment: &str, lenient: bool, expected: &str) {
        let got = match parse_function_call(segment, lenient) {
            Ok(Some(call)) => format!(
                "{:?} {} {} {} [{}|{}]",
                call.kind, call.name, call.from, call.to, call.from_text, call.to_text
            ),
            Ok(None) => "none".to_owned(),
            Err(e) => format!("{:?}: {}", e.kind, e.message),
        };
        assert_eq!(got, expected, "{segment}");
    }

    #[test]
    fn the_forms_clients_send() {
        check(
            "getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01)",
            false,
            "PstnCall getPstnCalls 2019-11-01T00:00:00Z 2019-12-01T00:00:00Z [2019-11-01|2019-12-01]",
        );
        check(
            "microsoft.graph.callRecords.getDirectRoutingCalls(fromDateTime=2019-11-01T00:00:00+00:00,toDateTime=2019-12-01T02:00:00+02:00)",
            false,
            "DirectRouting microsoft.graph.callRecords.getDirectRoutingCalls 2019-11-01T00:00:00Z 2019-12-01T00:00:00Z [2019-11-01T00:00:00+00:00|2019-12-01T02:00:00+02:00]",
        );
        check(
            "microsoft.graph.callRecords.getSmsLog(fromDateTime=2022-11-01T00:00:00.0000000Z,toDateTime=2022-12-01T00:00:00Z)",
            false,
            "Sms microsoft.graph.callRecords.getSmsLog 2022-11-01T00:00:00Z 2022-12-01T00:00:00Z [2022-11-01T00:00:00.0000000Z|2022-12-01T00:00:00Z]",
        );
        check(
            "getPstnCalls(toDateTime=2019-12-01, fromDateTime=2019-11-01)",
            false,
            "PstnCall getPstnCalls 2019-11-01T00:00:00Z 2019-12-01T00:00:00Z [2019-11-01|2019-12-01]",
        );
        check("e523d2ed-2966-4b6b-925b-754a88034cc5", false, "none");
        check("getPstnCalls", false, "none");
        check(
            "getCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01)",
            false,
            "none",
        );
    }

    #[test]
    fn what_graph_refuses() {
        check(
            "getPstnCalls(fromDateTime=,toDateTime=)",
            false,
            "BadRequest: Expression expected at position 13 in 'fromDateTime=,toDateTime=': the parameter 'fromDateTime' has no value. Send a date (2019-11-01) or a DateTimeOffset (2019-11-01T00:00:00Z), e.g. getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01).",
        );
        check(
            "getPstnCalls(fromDateTime=2019-11-01)",
            false,
            "BadRequest: The parameter 'toDateTime' of getPstnCalls is missing; send getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01).",
        );
        check(
            "getPstnCalls()",
            false,
            "BadRequest: The parameter 'fromDateTime' of getPstnCalls is missing; send getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01).",
        );
        check(
            "getPstnCalls(from=2019-11-01,to=2019-12-01)",
            false,
            "BadRequest: getPstnCalls has no parameter 'from'; its parameters are fromDateTime and toDateTime, e.g. getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01).",
        );
        check(
            "getPstnCalls(fromDateTime=2019-13-01,toDateTime=2019-12-01)",
            false,
            "BadRequest: The parameter 'fromDateTime' of getPstnCalls is not a valid date or DateTimeOffset: '2019-13-01' is not a valid Date (expected e.g. 2019-11-01). Send e.g. 2019-11-01 or 2019-11-01T00:00:00Z (an offset's '+' as %2B).",
        );
        check(
            "getPstnCalls(fromDateTime=2019-11-01T00:00:00 00:00,toDateTime=2019-12-01)",
            false,
            "BadRequest: The parameter 'fromDateTime' of getPstnCalls is not a valid date or DateTimeOffset: '2019-11-01T00:00:00 00:00' is not a valid DateTimeOffset (expected e.g. 2023-09-25T09:25:00Z) (a space in it is probably a '+' that was not sent as %2B). Send e.g. 2019-11-01 or 2019-11-01T00:00:00Z (an offset's '+' as %2B).",
        );
        check(
            "getPstnCalls(fromDateTime='2019-11-01',toDateTime=2019-12-01)",
            false,
            "BadRequest: The parameter 'fromDateTime' of getPstnCalls is not a valid date or DateTimeOffset: ''2019-11-01'' is quoted; send the value without quotes. Send e.g. 2019-11-01 or 2019-11-01T00:00:00Z (an offset's '+' as %2B).",
        );
        check(
            "getPstnCalls(fromDateTime=2019-11-01,fromDateTime=2019-11-02,toDateTime=2019-12-01)",
            false,
            "BadRequest: The parameter 'fromDateTime' of getPstnCalls is given twice.",
        );
        check(
            "microsoft.graph.getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01)",
            false,
            "BadRequest: Resource not found for the segment 'microsoft.graph.getPstnCalls': getPstnCalls is in the namespace microsoft.graph.callRecords.",
        );
        check(
            "getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01",
            false,
            "BadRequest: The call of getPstnCalls is not closed: 'getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01' must end with ')'; send getPstnCalls(fromDateTime=2019-11-01,toDateTime=2019-12-01).",
        );
    }

    #[test]
    fn the_comma_less_form_only_when_lenient() {
        let segment = "microsoft.graph.callRecords.getPstnCalls(fromDateTime=2019-11-01T00:00:00Z toDateTime=2019-12-01T00:00:00Z)";
        check(
            segment,
            false,
            "BadRequest: The parameters of getPstnCalls are not separated by a comma: '(fromDateTime=2019-11-01T00:00:00Z toDateTime=2019-12-01T00:00:00Z)' runs fromDateTime into toDateTime. Separate them with ',' as in getPstnCalls(fromDateTime=2019-11-01T00:00:00Z,toDateTime=2019-12-01T00:00:00Z). (Some SDK versions build this URL without the comma; build the URL yourself until the SDK is fixed. callrec accepts it only when started with --lenient-functions.)",
        );
        check(
            segment,
            true,
            "PstnCall microsoft.graph.callRecords.getPstnCalls 2019-11-01T00:00:00Z 2019-12-01T00:00:00Z [2019-11-01T00:00:00Z|2019-12-01T00:00:00Z]",
        );
        check(
            "getPstnCalls(fromDateTime=2019-11-01toDateTime=2019-12-01)",
            true,
            "PstnCall getPstnCalls 2019-11-01T00:00:00Z 2019-12-01T00:00:00Z [2019-11-01|2019-12-01]",
        );
    }

    #[test]
    fn ranges() {
        let call = |segment: &str| {
            parse_function_call(segment, false)
                .unwrap()
                .unwrap()
                .check_range()
                .map_err(|e| format!("{:?}: {}", e.kind, e.message))
        };
        assert_eq!(
            call("getPstnCalls(fromDateTime=2019-11-01,toDateTime=2020-01-30)"),
            Ok(())
        );
        assert_eq!(
            call("getPstnCalls(fromDateTime=2019-11-01,toDateTime=2020-01-31)"),
            Err("RangeTooLong: The range from 2019-11-01T00:00:00Z to 2020-01-31T00:00:00Z spans 91 days; getPstnCalls accepts at most 90 days. Split the range into several calls.".to_owned())
        );
        assert_eq!(
            call("getSmsLog(fromDateTime=2019-11-01,toDateTime=2020-01-30T00:00:01Z)")
                .map_err(|e| e[..12].to_owned()),
            Err("RangeTooLong".to_owned())
        );
        // The getDirectRoutingCalls page states no limit.
        assert_eq!(
            call("getDirectRoutingCalls(fromDateTime=2019-01-01,toDateTime=2020-01-01)"),
            Ok(())
        );
        assert_eq!(
            call("getPstnCalls(fromDateTime=2019-12-01,toDateTime=2019-11-01)"),
            Err("BadRequest: fromDateTime (2019-12-01T00:00:00Z) is after toDateTime (2019-11-01T00:00:00Z) in getPstnCalls.".to_owned())
        );
    }
}
