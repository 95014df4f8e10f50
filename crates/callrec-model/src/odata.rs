//! The OData query language as Graph speaks it for call records: `$filter`, `$select`, `$expand`,
//! `$orderby`, `$top` and the query string that carries them.
//!
//! Reading goes in two steps, as for any untrusted input: the raw query string is split into named option
//! texts ([`options`]), then each text is parsed and validated into the typed values the rest of callrec
//! uses ([`crate::query::RecordFilter`], [`crate::query::RecordOrder`], selected property names, expand
//! trees).
//! Every error names the option and the character position in its value, so the server can answer a bad
//! request with a message a client can act on.
//! No parser here panics or recurses without bound on any input: nesting deeper than [`MAX_DEPTH`] is an
//! error, not a stack overflow.

pub mod expand;
pub mod filter;
pub mod lexer;
pub mod options;
pub mod orderby;
pub mod record_filter;
pub mod select;

#[cfg(test)]
mod fuzz;

pub use expand::{ExpandItem, ExpandRule, NestedOptions, parse_expand, validate_expand};
pub use filter::{Expr, ExprKind, LambdaKind, Literal, parse_filter};
pub use options::{RawOptions, parse_query_string};
pub use orderby::record_order;
pub use record_filter::{record_filter, subscription_participant_filter};
pub use select::parse_select;

/// How deeply parentheses, `not`, lambdas and nested `$expand` options may nest.
///
/// Real queries nest a handful of levels; the bound keeps a hostile query from exhausting the stack.
pub const MAX_DEPTH: usize = 100;

/// How many conditions one `$filter` of a store query may hold (each comparison, lambda, function call
/// and each value of an `in` list counts one).
///
/// A long chain of `or` parses flat, but the database reads it as a nested expression: SQLite stops at
/// a depth of 1,000. The bound is far above what a real query writes and keeps every filter well inside
/// both backends' limits, so a longer one is a 400 that names the bound, never a database error.
pub const MAX_FILTER_TERMS: usize = 500;

/// Why a query option was rejected.
///
/// `position` is a character offset into the option's (percent-decoded) value, or into the raw query
/// string for errors of the query string itself; `message` repeats it in words for the client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{option}: {message}")]
pub struct QueryError {
    /// The option as the client knows it: `$filter`, `$select`, ..., or `query` for the query string.
    pub option: String,
    pub position: usize,
    pub message: String,
}

impl QueryError {
    pub fn new(option: impl Into<String>, position: usize, message: impl Into<String>) -> Self {
        QueryError {
            option: option.into(),
            position,
            message: message.into(),
        }
    }
}

/// Parses `$top` (and `$skip`, which has the same form): a non-negative integer.
pub fn parse_top(text: &str) -> Result<u32, QueryError> {
    parse_non_negative("$top", text)
}

/// Parses `$skip`: a non-negative integer.
pub fn parse_skip(text: &str) -> Result<u32, QueryError> {
    parse_non_negative("$skip", text)
}

/// Parses `$count`: `true` or `false` (any case, as Graph accepts).
pub fn parse_count(text: &str) -> Result<bool, QueryError> {
    let trimmed = text.trim();
    if trimmed.eq_ignore_ascii_case("true") {
        Ok(true)
    } else if trimmed.eq_ignore_ascii_case("false") {
        Ok(false)
    } else {
        Err(QueryError::new(
            "$count",
            leading_ws(text),
            format!("expected true or false, found '{trimmed}'"),
        ))
    }
}

pub(crate) fn parse_non_negative(option: &str, text: &str) -> Result<u32, QueryError> {
    let trimmed = text.trim();
    let at = leading_ws(text);
    if trimmed.is_empty() {
        return Err(QueryError::new(
            option,
            at,
            "expected a non-negative integer, found nothing",
        ));
    }
    if let Some(bad) = trimmed.chars().position(|c| !c.is_ascii_digit()) {
        return Err(QueryError::new(
            option,
            at + bad,
            format!(
                "expected a non-negative integer, found '{trimmed}' (unexpected character at position {})",
                at + bad
            ),
        ));
    }
    trimmed.parse::<u32>().map_err(|_| {
        QueryError::new(
            option,
            at,
            format!(
                "'{trimmed}' is too large; the largest accepted value is {}",
                u32::MAX
            ),
        )
    })
}

/// The number of whitespace characters before the first non-whitespace one.
pub(crate) fn leading_ws(text: &str) -> usize {
    text.chars().take_while(|c| c.is_whitespace()).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check<T: std::fmt::Debug>(result: Result<T, QueryError>, expected: &str) {
        let got = match result {
            Ok(v) => format!("{v:?}"),
            Err(e) => format!("error@{}: {e}", e.position),
        };
        assert_eq!(got, expected);
    }

    /// Query strings as Graph's documentation and SDKs send them, read from end to end.
    #[test]
    fn documented_query_strings() {
        let raw = parse_query_string("%24expand=sessions%28%24expand%3Dsegments%29").unwrap();
        let items = parse_expand(raw.expand.as_deref().unwrap()).unwrap();
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].path, "sessions");
        assert_eq!(
            items[0]
                .options
                .expand
                .iter()
                .map(|i| i.path.as_str())
                .collect::<Vec<_>>(),
            ["segments"]
        );

        let start = crate::edm::parse_date_time_offset("2023-09-25T09:25:00Z").unwrap();
        for query in [
            "$filter=startDateTime%20ge%202023-09-25T09:25:00Z",
            "$filter=startDateTime+ge+2023-09-25T09%3A25%3A00Z",
            "%24filter=startDateTime%20ge%202023-09-25T09%3A25%3A00.000Z",
        ] {
            let raw = parse_query_string(query).unwrap();
            check(
                record_filter(raw.filter.as_deref().unwrap()),
                &format!("Time {{ field: StartDateTime, op: Ge, value: {start:?} }}"),
            );
        }

        let raw = parse_query_string(
            "$filter=participants_v2/any(p:p/id%20eq%20%27821809f5-0000-0000-0000-3b5136c0e777%27)",
        )
        .unwrap();
        check(
            record_filter(raw.filter.as_deref().unwrap()),
            "ParticipantIn([\"821809f5-0000-0000-0000-3b5136c0e777\"])",
        );

        // A '+' of a time-zone offset that was not escaped arrives as a space.
        let raw = parse_query_string("$filter=startDateTime ge 2023-09-25T09:25:00+02:00").unwrap();
        let e = record_filter(raw.filter.as_deref().unwrap()).unwrap_err();
        assert!(
            e.message.ends_with("a '+' in a URL must be sent as %2B"),
            "{e}"
        );
        let raw =
            parse_query_string("$filter=startDateTime ge 2023-09-25T11:25:00%2B02:00").unwrap();
        check(
            record_filter(raw.filter.as_deref().unwrap()),
            &format!("Time {{ field: StartDateTime, op: Ge, value: {start:?} }}"),
        );
    }

    #[test]
    fn top_skip_count() {
        check(parse_top("5"), "5");
        check(parse_top("0"), "0");
        check(parse_top(" 60 "), "60");
        check(
            parse_top(""),
            "error@0: $top: expected a non-negative integer, found nothing",
        );
        check(
            parse_top("-1"),
            "error@0: $top: expected a non-negative integer, found '-1' (unexpected character at position 0)",
        );
        check(
            parse_top("1x"),
            "error@1: $top: expected a non-negative integer, found '1x' (unexpected character at position 1)",
        );
        check(
            parse_top("4294967296"),
            "error@0: $top: '4294967296' is too large; the largest accepted value is 4294967295",
        );
        check(parse_skip("1000"), "1000");
        check(
            parse_skip("abc"),
            "error@0: $skip: expected a non-negative integer, found 'abc' (unexpected character at position 0)",
        );
        check(parse_count("true"), "true");
        check(parse_count("False"), "false");
        check(
            parse_count("yes"),
            "error@0: $count: expected true or false, found 'yes'",
        );
    }
}
