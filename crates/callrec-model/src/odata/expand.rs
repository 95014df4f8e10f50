//! `$expand`: which related entities a response embeds, each with its own nested query options.
//!
//! Graph's call records expand `sessions`, `sessions($expand=segments)` and `participants_v2`; a nested
//! option list is `;`-separated inside parentheses and may itself hold an `$expand`.
//! Parsing ([`parse_expand`]) only reads the tree; which paths and nested options an endpoint accepts is a
//! separate step ([`validate_expand`]) against a description the endpoint owns.

use crate::odata::select::{resolve_names, split_names};
use crate::odata::{MAX_DEPTH, QueryError};

const OPTION: &str = "$expand";

/// One expanded navigation property.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ExpandItem {
    /// The navigation path as written (`sessions`, `a/b`), or in its canonical spelling after
    /// [`validate_expand`].
    pub path: String,
    /// Character position of the path in the `$expand` value.
    pub position: usize,
    pub options: NestedOptions,
}

/// The options inside `path(...)`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NestedOptions {
    /// Names from `$select`, not yet checked against the entity.
    pub select: Option<Vec<String>>,
    pub expand: Vec<ExpandItem>,
    pub filter: Option<String>,
    pub orderby: Option<String>,
    pub top: Option<u32>,
    pub skip: Option<u32>,
    pub count: Option<bool>,
    pub search: Option<String>,
    pub levels: Option<String>,
    /// Every nested option in the order written.
    pub raw: Vec<NestedOption>,
}

/// A nested option as written.
#[derive(Debug, Clone, PartialEq)]
pub struct NestedOption {
    /// The option's name in canonical form: `$select`, `$top`, ...
    pub name: String,
    /// Its value, trimmed of surrounding whitespace.
    pub value: String,
    /// Character position of the value in the `$expand` value.
    pub position: usize,
}

const NESTED: &[&str] = &[
    "select", "expand", "filter", "orderby", "top", "skip", "count", "search", "levels",
];

/// What an endpoint allows to be expanded: a navigation property, what may be selected and which other
/// nested options may be given inside it, and what may be expanded below it.
#[derive(Debug, Clone, Copy)]
pub struct ExpandRule {
    pub path: &'static str,
    /// Properties a nested `$select` may name; empty when `$select` is not allowed inside.
    pub select: &'static [&'static str],
    /// Nested options other than `$select` and `$expand` that are allowed, without `$`: `"top"`, ...
    pub options: &'static [&'static str],
    pub children: &'static [ExpandRule],
}

/// Parses an `$expand` value into its tree.
pub fn parse_expand(text: &str) -> Result<Vec<ExpandItem>, QueryError> {
    let chars: Vec<char> = text.chars().collect();
    parse_items(&chars, 0, chars.len(), 1)
}

/// Checks a parsed tree against the rules of an endpoint and returns it with paths and selected names in
/// their canonical spelling.
pub fn validate_expand(
    items: &[ExpandItem],
    rules: &[ExpandRule],
) -> Result<Vec<ExpandItem>, QueryError> {
    validate_level(items, rules, None)
}

fn validate_level(
    items: &[ExpandItem],
    rules: &[ExpandRule],
    parent: Option<&str>,
) -> Result<Vec<ExpandItem>, QueryError> {
    let mut out: Vec<ExpandItem> = Vec::with_capacity(items.len());
    for item in items {
        let at = item.position;
        let Some(rule) = rules
            .iter()
            .find(|r| r.path.eq_ignore_ascii_case(&item.path))
        else {
            let place = parent.map_or(String::new(), |p| format!(" inside {p}"));
            let expandable = if rules.is_empty() {
                "nothing can be expanded here".to_string()
            } else {
                format!(
                    "expandable: {}",
                    rules.iter().map(|r| r.path).collect::<Vec<_>>().join(", ")
                )
            };
            return Err(error(
                at,
                format!(
                    "'{}' at position {at} cannot be expanded{place}; {expandable}",
                    item.path
                ),
            ));
        };
        if out.iter().any(|o| o.path == rule.path) {
            return Err(error(
                at,
                format!(
                    "'{}' at position {at} is expanded more than once",
                    rule.path
                ),
            ));
        }
        let mut options = item.options.clone();
        for nested in &item.options.raw {
            let bare = nested.name.trim_start_matches('$');
            let allowed = match bare {
                "select" => !rule.select.is_empty(),
                "expand" => true,
                other => rule.options.contains(&other),
            };
            if !allowed {
                return Err(error(
                    nested.position,
                    format!(
                        "{} is not supported inside $expand={}(...) (position {})",
                        nested.name, rule.path, nested.position
                    ),
                ));
            }
            if bare == "select" {
                let names = split_names(OPTION, &nested.value, nested.position)?;
                options.select = Some(resolve_names(OPTION, &names, rule.select)?);
            }
        }
        options.expand = validate_level(&item.options.expand, rule.children, Some(rule.path))?;
        out.push(ExpandItem {
            path: rule.path.to_string(),
            position: at,
            options,
        });
    }
    Ok(out)
}

fn error(position: usize, message: String) -> QueryError {
    QueryError::new(OPTION, position, message)
}

fn is_path_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '/' | '.' | '*' | '$')
}

/// Trims whitespace off the range `[start, end)`.
fn trim(chars: &[char], mut start: usize, mut end: usize) -> (usize, usize) {
    while start < end && chars[start].is_whitespace() {
        start += 1;
    }
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    (start, end)
}

fn text(chars: &[char], start: usize, end: usize) -> String {
    chars[start..end].iter().collect()
}

/// Splits `[start, end)` at `sep` where it is outside parentheses and quotes; checks both are balanced.
fn split_top(
    chars: &[char],
    start: usize,
    end: usize,
    sep: char,
) -> Result<Vec<(usize, usize)>, QueryError> {
    let mut pieces = Vec::new();
    let mut open: Vec<usize> = Vec::new();
    let mut quote: Option<usize> = None;
    let mut piece_start = start;
    for (i, &c) in chars.iter().enumerate().take(end).skip(start) {
        if quote.is_some() {
            if c == '\'' {
                quote = None;
            }
            continue;
        }
        match c {
            '\'' => quote = Some(i),
            '(' => open.push(i),
            ')' if open.pop().is_none() => {
                return Err(error(
                    i,
                    format!("unexpected ')' at position {i}; there is no '(' to close"),
                ));
            }
            c if c == sep && open.is_empty() => {
                pieces.push((piece_start, i));
                piece_start = i + 1;
            }
            _ => {}
        }
    }
    if let Some(q) = quote {
        return Err(error(
            q,
            format!("the string starting at position {q} is never closed"),
        ));
    }
    if let Some(&p) = open.last() {
        return Err(error(p, format!("the '(' at position {p} is never closed")));
    }
    pieces.push((piece_start, end));
    Ok(pieces)
}

fn parse_items(
    chars: &[char],
    start: usize,
    end: usize,
    depth: usize,
) -> Result<Vec<ExpandItem>, QueryError> {
    if depth > MAX_DEPTH {
        return Err(error(
            start,
            format!("$expand nests deeper than {MAX_DEPTH} levels at position {start}"),
        ));
    }
    let mut items = Vec::new();
    for (a, b) in split_top(chars, start, end, ',')? {
        let (a, b) = trim(chars, a, b);
        if a == b {
            let what = if trim(chars, start, end) == (end, end) {
                "no navigation property"
            } else {
                "an empty item"
            };
            return Err(error(
                a,
                format!("{what} at position {a}; expected a navigation property"),
            ));
        }
        let paren = (a..b).find(|&i| chars[i] == '(');
        let (path_start, path_end) = trim(chars, a, paren.unwrap_or(b));
        if path_start == path_end {
            return Err(error(
                a,
                format!("expected a navigation property at position {a}"),
            ));
        }
        if let Some(bad) = (path_start..path_end).find(|&i| !is_path_char(chars[i])) {
            return Err(error(
                bad,
                format!(
                    "unexpected '{}' at position {bad} in the navigation property '{}'",
                    chars[bad],
                    text(chars, path_start, path_end)
                ),
            ));
        }
        let path = text(chars, path_start, path_end);
        let options = match paren {
            None => NestedOptions::default(),
            Some(p) => {
                // split_top has checked the balance, so the '(' closes at the last ')' of the item only if
                // nothing follows it.
                let close = matching_paren(chars, p, b);
                if close + 1 != b {
                    let at = (close + 1..b)
                        .find(|&i| !chars[i].is_whitespace())
                        .unwrap_or(close + 1);
                    return Err(error(
                        at,
                        format!(
                            "unexpected '{}' at position {at} after the options of '{path}'; expected ',' or the end",
                            chars[at]
                        ),
                    ));
                }
                parse_options(chars, p + 1, close, depth, &path)?
            }
        };
        items.push(ExpandItem {
            path,
            position: path_start,
            options,
        });
    }
    Ok(items)
}

/// The index of the ')' that closes the '(' at `open`, or `end` if none does before it.
fn matching_paren(chars: &[char], open: usize, end: usize) -> usize {
    let mut depth = 0usize;
    let mut in_quote = false;
    for (i, &c) in chars.iter().enumerate().take(end).skip(open) {
        match c {
            '\'' => in_quote = !in_quote,
            '(' if !in_quote => depth += 1,
            ')' if !in_quote => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    end
}

fn parse_options(
    chars: &[char],
    start: usize,
    end: usize,
    depth: usize,
    path: &str,
) -> Result<NestedOptions, QueryError> {
    let mut options = NestedOptions::default();
    for (a, b) in split_top(chars, start, end, ';')? {
        let (a, b) = trim(chars, a, b);
        if a == b {
            continue;
        }
        let Some(eq) = (a..b).find(|&i| chars[i] == '=') else {
            return Err(error(
                a,
                format!(
                    "the option '{}' at position {a} inside {path}(...) has no value; expected name=value",
                    text(chars, a, b)
                ),
            ));
        };
        let (name_start, name_end) = trim(chars, a, eq);
        let written = text(chars, name_start, name_end);
        let bare = written
            .strip_prefix('$')
            .unwrap_or(&written)
            .to_ascii_lowercase();
        if !NESTED.contains(&bare.as_str()) {
            return Err(error(
                name_start,
                format!(
                    "unknown option '{written}' at position {name_start} inside {path}(...); expected one of: {}",
                    NESTED
                        .iter()
                        .map(|n| format!("${n}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
        let name = format!("${bare}");
        if options.raw.iter().any(|o| o.name == name) {
            return Err(error(
                name_start,
                format!("{name} is given twice inside {path}(...) (position {name_start})"),
            ));
        }
        let (vs, ve) = trim(chars, eq + 1, b);
        let value = text(chars, vs, ve);
        match bare.as_str() {
            "select" => {
                options.select = Some(
                    split_names(OPTION, &value, vs)?
                        .into_iter()
                        .map(|(n, _)| n)
                        .collect(),
                )
            }
            "expand" => options.expand = parse_items(chars, vs, ve, depth + 1)?,
            "filter" => options.filter = Some(value.clone()),
            "orderby" => options.orderby = Some(value.clone()),
            "search" => options.search = Some(value.clone()),
            "levels" => options.levels = Some(value.clone()),
            "top" => options.top = Some(nested_number(&name, &value, vs, path)?),
            "skip" => options.skip = Some(nested_number(&name, &value, vs, path)?),
            _ => {
                options.count = Some(if value.eq_ignore_ascii_case("true") {
                    true
                } else if value.eq_ignore_ascii_case("false") {
                    false
                } else {
                    return Err(error(
                        vs,
                        format!(
                            "$count inside {path}(...) must be true or false; found '{value}' at position {vs}"
                        ),
                    ));
                })
            }
        }
        options.raw.push(NestedOption {
            name,
            value,
            position: vs,
        });
    }
    Ok(options)
}

fn nested_number(name: &str, value: &str, at: usize, path: &str) -> Result<u32, QueryError> {
    if value.is_empty() || !value.chars().all(|c| c.is_ascii_digit()) {
        return Err(error(
            at,
            format!(
                "{name} inside {path}(...) must be a non-negative integer; found '{value}' at position {at}"
            ),
        ));
    }
    value.parse().map_err(|_| {
        error(
            at,
            format!("{name} inside {path}(...) is too large: '{value}' at position {at}"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a tree compactly: `path[options](children)`.
    fn show(items: &[ExpandItem]) -> String {
        items
            .iter()
            .map(|item| {
                let o = &item.options;
                let mut parts = Vec::new();
                if let Some(s) = &o.select {
                    parts.push(format!("select={}", s.join("+")));
                }
                for (name, value) in [
                    ("filter", &o.filter),
                    ("orderby", &o.orderby),
                    ("search", &o.search),
                    ("levels", &o.levels),
                ] {
                    if let Some(v) = value {
                        parts.push(format!("{name}={v}"));
                    }
                }
                if let Some(t) = o.top {
                    parts.push(format!("top={t}"));
                }
                if let Some(s) = o.skip {
                    parts.push(format!("skip={s}"));
                }
                if let Some(c) = o.count {
                    parts.push(format!("count={c}"));
                }
                if !o.expand.is_empty() {
                    parts.push(format!("expand=[{}]", show(&o.expand)));
                }
                format!("{}@{}{{{}}}", item.path, item.position, parts.join(";"))
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    fn check(input: &str, expected: &str) {
        let got = match parse_expand(input) {
            Ok(items) => show(&items),
            Err(e) => format!("error@{}: {e}", e.position),
        };
        assert_eq!(got, expected, "input: {input}");
    }

    #[test]
    fn expands() {
        check("participants_v2", "participants_v2@0{}");
        check("sessions", "sessions@0{}");
        check(
            "sessions($expand=segments)",
            "sessions@0{expand=[segments@17{}]}",
        );
        check(
            "sessions($expand=segments;$select=id)",
            "sessions@0{select=id;expand=[segments@17{}]}",
        );
        check(
            "sessions($select=id,startDateTime;$expand=segments($select=id))",
            "sessions@0{select=id+startDateTime;expand=[segments@42{select=id}]}",
        );
        check(
            "sessions($expand=segments),participants_v2",
            "sessions@0{expand=[segments@17{}]},participants_v2@27{}",
        );
        check(
            " sessions ( expand = segments ; SELECT = id ) , participants_v2 ",
            "sessions@1{select=id;expand=[segments@21{}]},participants_v2@48{}",
        );
        check(
            "sessions($EXPAND=segments)",
            "sessions@0{expand=[segments@17{}]}",
        );
        check("sessions()", "sessions@0{}");
        check(
            "sessions($top=5;$skip=1;$count=true;$orderby=id desc)",
            "sessions@0{orderby=id desc;top=5;skip=1;count=true}",
        );
        check(
            "sessions($filter=id eq 'a;b)')",
            "sessions@0{filter=id eq 'a;b)'}",
        );
        check("*", "*@0{}");
    }

    #[test]
    fn errors() {
        check(
            "",
            "error@0: $expand: no navigation property at position 0; expected a navigation property",
        );
        check(
            "sessions,",
            "error@9: $expand: an empty item at position 9; expected a navigation property",
        );
        check(
            "sessions(",
            "error@8: $expand: the '(' at position 8 is never closed",
        );
        check(
            "sessions)",
            "error@8: $expand: unexpected ')' at position 8; there is no '(' to close",
        );
        check(
            "sessions($filter=id eq 'a)",
            "error@23: $expand: the string starting at position 23 is never closed",
        );
        check(
            "sessions($expand=segments) x",
            "error@27: $expand: unexpected 'x' at position 27 after the options of 'sessions'; expected ',' or the end",
        );
        check(
            "(x)",
            "error@0: $expand: expected a navigation property at position 0",
        );
        check(
            "ses sions",
            "error@3: $expand: unexpected ' ' at position 3 in the navigation property 'ses sions'",
        );
        check(
            "sessions($expand)",
            "error@9: $expand: the option '$expand' at position 9 inside sessions(...) has no value; expected name=value",
        );
        check(
            "sessions($levels=max;$foo=1)",
            "error@21: $expand: unknown option '$foo' at position 21 inside sessions(...); expected one of: $select, $expand, $filter, $orderby, $top, $skip, $count, $search, $levels",
        );
        check(
            "sessions($select=id;select=id)",
            "error@20: $expand: $select is given twice inside sessions(...) (position 20)",
        );
        check(
            "sessions($top=x)",
            "error@14: $expand: $top inside sessions(...) must be a non-negative integer; found 'x' at position 14",
        );
        check(
            "sessions($count=maybe)",
            "error@16: $expand: $count inside sessions(...) must be true or false; found 'maybe' at position 16",
        );
        check(
            "sessions($select=id,,x)",
            "error@20: $expand: an empty item at position 20; expected a property name",
        );
        check(
            "sessions($expand=segments,)",
            "error@26: $expand: an empty item at position 26; expected a navigation property",
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let ok = format!(
            "{}x{}",
            "a($expand=".repeat(MAX_DEPTH - 1),
            ")".repeat(MAX_DEPTH - 1)
        );
        assert!(parse_expand(&ok).is_ok());
        let deep = format!(
            "{}x{}",
            "a($expand=".repeat(MAX_DEPTH),
            ")".repeat(MAX_DEPTH)
        );
        let e = parse_expand(&deep).unwrap_err();
        assert!(
            e.message
                .starts_with("$expand nests deeper than 100 levels"),
            "{e}"
        );
        assert!(parse_expand(&"a($expand=".repeat(100_000)).is_err());
        assert!(parse_expand(&"(".repeat(100_000)).is_err());
    }

    const SEGMENT: ExpandRule = ExpandRule {
        path: "segments",
        select: &["id", "startDateTime"],
        options: &[],
        children: &[],
    };
    const RULES: &[ExpandRule] = &[
        ExpandRule {
            path: "sessions",
            select: &["id", "startDateTime", "modalities"],
            options: &["top"],
            children: &[SEGMENT],
        },
        ExpandRule {
            path: "participants_v2",
            select: &[],
            options: &[],
            children: &[],
        },
    ];

    fn check_valid(input: &str, expected: &str) {
        let got = match parse_expand(input).and_then(|items| validate_expand(&items, RULES)) {
            Ok(items) => show(&items),
            Err(e) => format!("error@{}: {e}", e.position),
        };
        assert_eq!(got, expected, "input: {input}");
    }

    #[test]
    fn validation() {
        check_valid(
            "Sessions($expand=Segments($select=ID);$select=StartDateTime)",
            "sessions@0{select=startDateTime;expand=[segments@17{select=id}]}",
        );
        check_valid(
            "participants_v2,sessions($top=3)",
            "participants_v2@0{},sessions@16{top=3}",
        );
        check_valid(
            "organizer_v2",
            "error@0: $expand: 'organizer_v2' at position 0 cannot be expanded; expandable: sessions, participants_v2",
        );
        check_valid(
            "sessions($expand=participants_v2)",
            "error@17: $expand: 'participants_v2' at position 17 cannot be expanded inside sessions; expandable: segments",
        );
        check_valid(
            "sessions($expand=segments($expand=x))",
            "error@34: $expand: 'x' at position 34 cannot be expanded inside segments; nothing can be expanded here",
        );
        check_valid(
            "participants_v2($select=id)",
            "error@24: $expand: $select is not supported inside $expand=participants_v2(...) (position 24)",
        );
        check_valid(
            "sessions($filter=id eq 'x')",
            "error@17: $expand: $filter is not supported inside $expand=sessions(...) (position 17)",
        );
        check_valid(
            "sessions($select=foo)",
            "error@17: $expand: 'foo' at position 17 cannot be selected; allowed: id, startDateTime, modalities",
        );
        check_valid(
            "sessions,SESSIONS",
            "error@9: $expand: 'sessions' at position 9 is expanded more than once",
        );
    }
}
