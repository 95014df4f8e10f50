//! Tokens of OData's URL expression syntax, the alphabet `$filter` is written in.
//!
//! The lexer works on characters, not bytes, so every position it reports is a character offset into the
//! option value: the unit a client counts in when it looks at its own query.
//! Literals whose form decides their type (DateTimeOffset, Date, GUID, numbers) are recognised here, so the
//! parser never has to glue `2023-09-25T09:25:00Z` back together from pieces.

use crate::edm::{self, Ticks};
use crate::odata::QueryError;

/// What a token is, with its value already decoded.
#[derive(Debug, Clone, PartialEq)]
pub enum TokenKind {
    /// A name: a property, an operator keyword, a function, a range variable, or a qualified name (`a.b.c`).
    Ident(String),
    /// A single-quoted string, with `''` already turned into `'`.
    Str(String),
    Int(i64),
    /// A number with a fraction or an exponent, kept as written.
    Decimal(String),
    /// An unquoted `Edm.DateTimeOffset`, as written and as ticks.
    DateTimeOffset(String, Ticks),
    /// An unquoted `Edm.Date` (`2019-11-01`), as written and as ticks at midnight UTC.
    Date(String, Ticks),
    Guid(String),
    LParen,
    RParen,
    Comma,
    Slash,
    Colon,
}

/// A token and the characters `[start, end)` it covers.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: usize,
    pub end: usize,
}

impl Token {
    /// How an error message names this token.
    pub fn describe(&self) -> String {
        match &self.kind {
            TokenKind::Ident(s) => format!("'{s}'"),
            TokenKind::Str(s) => format!("the string '{}'", s.replace('\'', "''")),
            TokenKind::Int(n) => format!("the number {n}"),
            TokenKind::Decimal(s) => format!("the number {s}"),
            TokenKind::DateTimeOffset(s, _) => format!("the DateTimeOffset {s}"),
            TokenKind::Date(s, _) => format!("the date {s}"),
            TokenKind::Guid(s) => format!("the GUID {s}"),
            TokenKind::LParen => "'('".to_string(),
            TokenKind::RParen => "')'".to_string(),
            TokenKind::Comma => "','".to_string(),
            TokenKind::Slash => "'/'".to_string(),
            TokenKind::Colon => "':'".to_string(),
        }
    }
}

/// Splits an expression into tokens. `option` names the query option in errors (`$filter`).
pub fn tokenize(option: &str, text: &str) -> Result<Vec<Token>, QueryError> {
    let chars: Vec<char> = text.chars().collect();
    let err = |position: usize, message: String| QueryError::new(option, position, message);
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let single = match c {
            '(' => Some(TokenKind::LParen),
            ')' => Some(TokenKind::RParen),
            ',' => Some(TokenKind::Comma),
            '/' => Some(TokenKind::Slash),
            ':' => Some(TokenKind::Colon),
            _ => None,
        };
        if let Some(kind) = single {
            i += 1;
            tokens.push(Token {
                kind,
                start,
                end: i,
            });
            continue;
        }
        let kind = if c == '\'' {
            let mut value = String::new();
            i += 1;
            loop {
                match chars.get(i) {
                    None => {
                        return Err(err(
                            start,
                            format!("the string starting at position {start} is never closed"),
                        ));
                    }
                    Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                        value.push('\'');
                        i += 2;
                    }
                    Some('\'') => {
                        i += 1;
                        break;
                    }
                    Some(&ch) => {
                        value.push(ch);
                        i += 1;
                    }
                }
            }
            TokenKind::Str(value)
        } else if guid_at(&chars, i) {
            i += 36;
            TokenKind::Guid(chars[start..i].iter().collect())
        } else if date_at(&chars, i) {
            let (kind, end) = temporal(&chars, i).map_err(|m| err(start, m))?;
            i = end;
            kind
        } else if c.is_ascii_digit()
            || (c == '-' && chars.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
        {
            let (kind, end) = number(&chars, i).map_err(|m| err(start, m))?;
            i = end;
            kind
        } else if is_ident_start(c) {
            while i < chars.len() && is_ident_continue(chars[i]) {
                i += 1;
            }
            TokenKind::Ident(chars[start..i].iter().collect())
        } else {
            let hint = match c {
                '=' | '<' | '>' | '!' => "; OData compares with eq, ne, lt, le, gt, ge",
                '&' | '|' => "; OData joins conditions with and, or",
                '"' => "; OData strings are in single quotes",
                _ => "",
            };
            return Err(err(
                start,
                format!("unexpected character '{c}' at position {start}{hint}"),
            ));
        };
        tokens.push(Token {
            kind,
            start,
            end: i,
        });
    }
    Ok(tokens)
}

fn is_ident_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == '$'
}

fn is_ident_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '.' || c == '$'
}

/// A GUID: `8-4-4-4-12` hex digits, not followed by more of a name.
fn guid_at(chars: &[char], i: usize) -> bool {
    let Some(window) = chars.get(i..i + 36) else {
        return false;
    };
    let shape_ok = window.iter().enumerate().all(|(k, c)| match k {
        8 | 13 | 18 | 23 => *c == '-',
        _ => c.is_ascii_hexdigit(),
    });
    shape_ok && !chars.get(i + 36).is_some_and(|c| is_ident_continue(*c))
}

/// The start of a date: four digits, `-`, a digit.
fn date_at(chars: &[char], i: usize) -> bool {
    chars.len() >= i + 6
        && chars[i..i + 4].iter().all(char::is_ascii_digit)
        && chars[i + 4] == '-'
        && chars[i + 5].is_ascii_digit()
}

/// Reads a date or a DateTimeOffset starting at `i`; returns the token and the index just after it.
fn temporal(chars: &[char], i: usize) -> Result<(TokenKind, usize), String> {
    let mut end = i;
    while end < chars.len()
        && (chars[end].is_ascii_alphanumeric() || matches!(chars[end], ':' | '.' | '+' | '-'))
    {
        end += 1;
    }
    let text: String = chars[i..end].iter().collect();
    if text.len() == 10 {
        return edm::parse_date(&text)
            .map(|t| (TokenKind::Date(text, t), end))
            .map_err(|e| e.0);
    }
    match edm::parse_date_time_offset(&text) {
        Ok(t) => Ok((TokenKind::DateTimeOffset(text, t), end)),
        Err(e) => {
            // Form encoding turns an unescaped '+' of a time-zone offset into a space.
            let lost_plus = chars.get(end..end + 4).is_some_and(|rest| {
                rest[0] == ' '
                    && rest[1].is_ascii_digit()
                    && rest[2].is_ascii_digit()
                    && rest[3] == ':'
            });
            if lost_plus {
                Err(format!("{}; a '+' in a URL must be sent as %2B", e.0))
            } else {
                Err(e.0)
            }
        }
    }
}

/// Reads `-?digits(.digits)?([eE][+-]?digits)?` starting at `i`.
fn number(chars: &[char], i: usize) -> Result<(TokenKind, usize), String> {
    let mut end = i;
    if chars[end] == '-' {
        end += 1;
    }
    let digits = |mut k: usize| {
        while k < chars.len() && chars[k].is_ascii_digit() {
            k += 1;
        }
        k
    };
    end = digits(end);
    let mut decimal = false;
    if chars.get(end) == Some(&'.') && chars.get(end + 1).is_some_and(|c| c.is_ascii_digit()) {
        decimal = true;
        end = digits(end + 1);
    }
    if matches!(chars.get(end), Some('e' | 'E')) {
        let mut k = end + 1;
        if matches!(chars.get(k), Some('+' | '-')) {
            k += 1;
        }
        if chars.get(k).is_some_and(|c| c.is_ascii_digit()) {
            decimal = true;
            end = digits(k);
        }
    }
    let text: String = chars[i..end].iter().collect();
    if chars
        .get(end)
        .is_some_and(|c| is_ident_continue(*c) || *c == '-' || *c == ':')
    {
        let mut bad_end = end;
        while bad_end < chars.len()
            && (is_ident_continue(chars[bad_end]) || matches!(chars[bad_end], '-' | ':'))
        {
            bad_end += 1;
        }
        let whole: String = chars[i..bad_end].iter().collect();
        return Err(format!("'{whole}' at position {i} is not a valid literal"));
    }
    if decimal {
        return Ok((TokenKind::Decimal(text), end));
    }
    match text.parse::<i64>() {
        Ok(n) => Ok((TokenKind::Int(n), end)),
        Err(_) => Err(format!(
            "the integer {text} at position {i} is out of range"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        let got = match tokenize("$filter", input) {
            Ok(tokens) => tokens
                .iter()
                .map(|t| format!("{}@{}", t.describe(), t.start))
                .collect::<Vec<_>>()
                .join(" "),
            Err(e) => format!("error@{}: {e}", e.position),
        };
        assert_eq!(got, expected, "input: {input}");
    }

    #[test]
    fn tokens() {
        check(
            "startDateTime ge 2023-09-25T09:25:00Z",
            "'startDateTime'@0 'ge'@14 the DateTimeOffset 2023-09-25T09:25:00Z@17",
        );
        check("a/b", "'a'@0 '/'@1 'b'@2");
        check("'it''s'", "the string 'it''s'@0");
        check("''", "the string ''@0");
        check(
            "x in (1,-2, 3.5)",
            "'x'@0 'in'@2 '('@5 the number 1@6 ','@7 the number -2@8 ','@10 the number 3.5@12 ')'@15",
        );
        check("1e5 2E-3", "the number 1e5@0 the number 2E-3@4");
        check("2019-11-01)", "the date 2019-11-01@0 ')'@10");
        check(
            "2023-09-25T09:25:00.1234567+02:00",
            "the DateTimeOffset 2023-09-25T09:25:00.1234567+02:00@0",
        );
        check(
            "p:p/id eq 821809f5-0000-0000-0000-3b5136c0e777",
            "'p'@0 ':'@1 'p'@2 '/'@3 'id'@4 'eq'@7 the GUID 821809f5-0000-0000-0000-3b5136c0e777@10",
        );
        check(
            "abcdef12-0000-0000-0000-3b5136c0e777",
            "the GUID abcdef12-0000-0000-0000-3b5136c0e777@0",
        );
        check(
            "microsoft.graph.callRecords.callType'groupCall'",
            "'microsoft.graph.callRecords.callType'@0 the string 'groupCall'@36",
        );
        check("  é_1", "'é_1'@2");
    }

    #[test]
    fn errors() {
        check(
            "'abc",
            "error@0: $filter: the string starting at position 0 is never closed",
        );
        check(
            "a eq 'x''",
            "error@5: $filter: the string starting at position 5 is never closed",
        );
        check(
            "a = 1",
            "error@2: $filter: unexpected character '=' at position 2; OData compares with eq, ne, lt, le, gt, ge",
        );
        check(
            "a && b",
            "error@2: $filter: unexpected character '&' at position 2; OData joins conditions with and, or",
        );
        check(
            "a eq \"x\"",
            "error@5: $filter: unexpected character '\"' at position 5; OData strings are in single quotes",
        );
        check(
            "a eq 9223372036854775808",
            "error@5: $filter: the integer 9223372036854775808 at position 5 is out of range",
        );
        check(
            "a eq 12abc",
            "error@5: $filter: '12abc' at position 5 is not a valid literal",
        );
        check(
            "2023-13-25T09:25:00Z",
            "error@0: $filter: '2023-13-25T09:25:00Z' is not a valid DateTimeOffset (expected e.g. 2023-09-25T09:25:00Z)",
        );
        check(
            "2023-09-25T09:25:00 02:00",
            "error@0: $filter: '2023-09-25T09:25:00' is not a valid DateTimeOffset (expected e.g. 2023-09-25T09:25:00Z); a '+' in a URL must be sent as %2B",
        );
        check(
            "2019-02-30",
            "error@0: $filter: '2019-02-30' is not a valid Date (expected e.g. 2019-11-01)",
        );
        check(
            "a - b",
            "error@2: $filter: unexpected character '-' at position 2",
        );
    }
}
