//! Property tests: every parser of the query language returns `Ok` or `Err` on any input, never panics,
//! and reports error positions inside the text it was given.
//!
//! Arbitrary strings rarely get past the first token, so most cases are soups of the grammar's own tokens,
//! which reach the deeper states of the parsers.

use proptest::prelude::*;

use crate::odata::*;

const TOKENS: &[&str] = &[
    "(",
    ")",
    ",",
    "/",
    ":",
    ";",
    "=",
    "$",
    "'",
    "''",
    "'x'",
    "'a''b'",
    " ",
    "  ",
    "&",
    "%",
    "%24",
    "%28",
    "%29",
    "%3D",
    "+",
    "*",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "in",
    "and",
    "or",
    "not",
    "AND",
    "has",
    "add",
    "any",
    "all",
    "true",
    "false",
    "null",
    "0",
    "1",
    "-1",
    "1.5",
    "1e3",
    "99999999999999999999",
    "2023-09-25T09:25:00Z",
    "2023-09-25T09:25:00.1234567+02:00",
    "2019-11-01",
    "2019-13-45",
    "2023-09-25T",
    "821809f5-0000-0000-0000-3b5136c0e777",
    "startDateTime",
    "endDateTime",
    "lastModifiedDateTime",
    "version",
    "id",
    "type",
    "'groupCall'",
    "modalities",
    "'video'",
    "participants_v2",
    "participants",
    "p",
    "m",
    "p/id",
    "startswith",
    "sessions",
    "segments",
    "$expand",
    "$select",
    "$filter",
    "$top",
    "expand",
    "asc",
    "desc",
    "microsoft.graph.callRecords.callType",
    "é",
    "\u{1F600}",
    "\t",
    "?",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..40).prop_map(|parts| parts.concat())
}

fn spaced_soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..40).prop_map(|parts| parts.join(" "))
}

fn input() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), "[ -~]{0,60}", soup(), spaced_soup()]
}

const ALLOWED: &[&str] = &["id", "version", "type", "startDateTime"];

const RULES: &[ExpandRule] = &[
    ExpandRule {
        path: "sessions",
        select: &["id"],
        options: &["top"],
        children: &[ExpandRule {
            path: "segments",
            select: &["id"],
            options: &[],
            children: &[],
        }],
    },
    ExpandRule {
        path: "participants_v2",
        select: &[],
        options: &[],
        children: &[],
    },
];

/// Checks an error's position lies within the text (one past the end means "at the end").
fn position_in<T>(result: Result<T, QueryError>, text: &str) -> Result<(), TestCaseError> {
    if let Err(e) = result {
        let len = text.chars().count();
        prop_assert!(
            e.position <= len,
            "position {} beyond {len} for {text:?}: {e}",
            e.position
        );
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1500, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn filters_never_panic(text in input()) {
        position_in(parse_filter(&text), &text)?;
        position_in(record_filter(&text), &text)?;
        position_in(subscription_participant_filter(&text), &text)?;
    }

    #[test]
    fn other_options_never_panic(text in input()) {
        position_in(parse_select(&text, ALLOWED), &text)?;
        position_in(parse_expand(&text), &text)?;
        if let Ok(items) = parse_expand(&text) {
            position_in(validate_expand(&items, RULES), &text)?;
        }
        position_in(record_order(&text), &text)?;
        position_in(parse_top(&text), &text)?;
        position_in(parse_skip(&text), &text)?;
        position_in(parse_count(&text), &text)?;
        position_in(parse_query_string(&text), &text)?;
    }

    /// A filter that parses covers a span of the text it came from.
    #[test]
    fn accepted_filters_have_spans_in_the_text(text in spaced_soup()) {
        if let Ok(expr) = parse_filter(&text) {
            prop_assert!(expr.start <= expr.end && expr.end <= text.chars().count(), "{expr} spans {}..{}", expr.start, expr.end);
        }
    }
}
