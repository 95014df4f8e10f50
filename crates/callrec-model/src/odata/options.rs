//! The query string of a request, split into the OData system query options it carries.
//!
//! This is the raw step of reading a query: names and values are percent-decoded and sorted into named
//! slots, nothing more.
//! Each value is then parsed by the module of its option ([`crate::odata::filter`], ...), and the server
//! decides which options an endpoint accepts.
//! Graph accepts system option names with or without `$` and in any case, ignores parameters it does not
//! know unless they start with `$`, and refuses an option given twice; so does this reader.

use crate::odata::QueryError;

/// The system query options of a request, as decoded text, and its other parameters.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawOptions {
    pub filter: Option<String>,
    pub select: Option<String>,
    pub expand: Option<String>,
    pub orderby: Option<String>,
    pub top: Option<String>,
    pub skip: Option<String>,
    pub count: Option<String>,
    pub search: Option<String>,
    pub format: Option<String>,
    pub skiptoken: Option<String>,
    pub deltatoken: Option<String>,
    pub apply: Option<String>,
    pub compute: Option<String>,
    /// Parameters that are not system query options (custom query options), as `(name, value)` in the
    /// order given. Graph ignores them.
    pub custom: Vec<(String, String)>,
}

/// The system query options known by name, without `$`.
const SYSTEM: &[&str] = &[
    "filter",
    "select",
    "expand",
    "orderby",
    "top",
    "skip",
    "count",
    "search",
    "format",
    "skiptoken",
    "deltatoken",
    "apply",
    "compute",
];

impl RawOptions {
    fn slot(&mut self, bare: &str) -> Option<&mut Option<String>> {
        Some(match bare {
            "filter" => &mut self.filter,
            "select" => &mut self.select,
            "expand" => &mut self.expand,
            "orderby" => &mut self.orderby,
            "top" => &mut self.top,
            "skip" => &mut self.skip,
            "count" => &mut self.count,
            "search" => &mut self.search,
            "format" => &mut self.format,
            "skiptoken" => &mut self.skiptoken,
            "deltatoken" => &mut self.deltatoken,
            "apply" => &mut self.apply,
            "compute" => &mut self.compute,
            _ => return None,
        })
    }

    /// The system options present, named as `$filter`, in a fixed order.
    pub fn present(&self) -> Vec<&'static str> {
        let values = [
            ("$filter", &self.filter),
            ("$select", &self.select),
            ("$expand", &self.expand),
            ("$orderby", &self.orderby),
            ("$top", &self.top),
            ("$skip", &self.skip),
            ("$count", &self.count),
            ("$search", &self.search),
            ("$format", &self.format),
            ("$skiptoken", &self.skiptoken),
            ("$deltatoken", &self.deltatoken),
            ("$apply", &self.apply),
            ("$compute", &self.compute),
        ];
        values
            .into_iter()
            .filter(|(_, v)| v.is_some())
            .map(|(n, _)| n)
            .collect()
    }
}

/// Splits a query string (`a=b&c=d`, with or without a leading `?`) into its options.
///
/// Errors carry the option `query` (or the option's name) and a character position in `raw`.
pub fn parse_query_string(raw: &str) -> Result<RawOptions, QueryError> {
    let mut options = RawOptions::default();
    let (body, mut offset) = match raw.strip_prefix('?') {
        Some(rest) => (rest, 1),
        None => (raw, 0),
    };
    for piece in body.split('&') {
        let piece_len = piece.chars().count();
        if !piece.is_empty() {
            let (raw_name, raw_value, value_offset) = match piece.split_once('=') {
                Some((n, v)) => (n, v, offset + n.chars().count() + 1),
                None => (piece, "", offset + piece_len),
            };
            let name = decode(raw_name, offset)?;
            let value = decode(raw_value, value_offset)?;
            let (dollar, bare) = match name.strip_prefix('$') {
                Some(rest) => (true, rest.to_ascii_lowercase()),
                None => (false, name.to_ascii_lowercase()),
            };
            match options.slot(&bare) {
                Some(slot) => {
                    if slot.is_some() {
                        return Err(QueryError::new(
                            format!("${bare}"),
                            offset,
                            format!("${bare} is given more than once (again at position {offset})"),
                        ));
                    }
                    *slot = Some(value);
                }
                None if dollar => {
                    return Err(QueryError::new(
                        name.clone(),
                        offset,
                        format!(
                            "unknown system query option '{name}' at position {offset}; supported: {}",
                            SYSTEM
                                .iter()
                                .map(|s| format!("${s}"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    ));
                }
                None => {
                    if !name.is_empty() {
                        options.custom.push((name, value));
                    }
                }
            }
        }
        offset += piece_len + 1;
    }
    Ok(options)
}

/// Percent-decodes a query string component, reading `+` as a space as HTML forms write it.
/// `offset` is the character position of `text` in the query string, for errors.
fn decode(text: &str, offset: usize) -> Result<String, QueryError> {
    if !text.contains(['%', '+']) {
        return Ok(text.to_string());
    }
    let chars: Vec<char> = text.chars().collect();
    let mut bytes = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '%' => {
                let hex = |k: usize| chars.get(k).and_then(|c| c.to_digit(16));
                let (Some(hi), Some(lo)) = (hex(i + 1), hex(i + 2)) else {
                    let at = offset + i;
                    let seen: String = chars[i..chars.len().min(i + 3)].iter().collect();
                    return Err(QueryError::new(
                        "query",
                        at,
                        format!(
                            "malformed percent-encoding '{seen}' at position {at}; a literal '%' must be sent as %25"
                        ),
                    ));
                };
                bytes.push((hi * 16 + lo) as u8);
                i += 3;
            }
            '+' => {
                bytes.push(b' ');
                i += 1;
            }
            c => {
                let mut buf = [0u8; 4];
                bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                i += 1;
            }
        }
    }
    String::from_utf8(bytes).map_err(|_| {
        QueryError::new(
            "query",
            offset,
            format!("the text at position {offset} is not valid UTF-8 once percent-decoded"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Shows the options present as `name=value` pairs, custom ones last.
    fn check(input: &str, expected: &str) {
        let got = match parse_query_string(input) {
            Ok(o) => {
                let mut parts = Vec::new();
                let mut copy = o.clone();
                for name in o.present() {
                    let value = copy
                        .slot(&name[1..])
                        .and_then(|s| s.take())
                        .unwrap_or_default();
                    parts.push(format!("{name}={value}"));
                }
                for (n, v) in &o.custom {
                    parts.push(format!("custom {n}={v}"));
                }
                parts.join(" | ")
            }
            Err(e) => format!("error@{}: {e}", e.position),
        };
        assert_eq!(got, expected, "input: {input}");
    }

    #[test]
    fn documented_query_strings() {
        check(
            "%24expand=sessions%28%24expand%3Dsegments%29",
            "$expand=sessions($expand=segments)",
        );
        check(
            "$filter=startDateTime%20ge%202023-09-25T09:25:00Z",
            "$filter=startDateTime ge 2023-09-25T09:25:00Z",
        );
        check(
            "?$filter=participants_v2/any(p:p/id%20eq%20'821809f5-0000-0000-0000-3b5136c0e777')",
            "$filter=participants_v2/any(p:p/id eq '821809f5-0000-0000-0000-3b5136c0e777')",
        );
    }

    #[test]
    fn names_and_values() {
        check(
            "filter=a+eq+1&$SELECT=id&$Top=5",
            "$filter=a eq 1 | $select=id | $top=5",
        );
        check(
            "$orderby=startDateTime desc&$count=true&$skiptoken=abc",
            "$orderby=startDateTime desc | $count=true | $skiptoken=abc",
        );
        check("$filter=a%2Bb", "$filter=a+b");
        check("$filter=caf%C3%A9", "$filter=café");
        check("$filter=", "$filter=");
        check("$filter", "$filter=");
        check("", "");
        check("&&$top=1&", "$top=1");
        check(
            "api-version=2&$top=1&x",
            "$top=1 | custom api-version=2 | custom x=",
        );
        check("=x", "");
        check(
            "$format=json&$search=%22a%22",
            "$search=\"a\" | $format=json",
        );
    }

    #[test]
    fn errors() {
        check(
            "$filter=a&filter=b",
            "error@10: $filter: $filter is given more than once (again at position 10)",
        );
        check(
            "$top=1&$TOP=2",
            "error@7: $top: $top is given more than once (again at position 7)",
        );
        check(
            "$top=1&$foo=2",
            "error@7: $foo: unknown system query option '$foo' at position 7; supported: $filter, $select, $expand, $orderby, $top, $skip, $count, $search, $format, $skiptoken, $deltatoken, $apply, $compute",
        );
        check(
            "$filter=a%zzb",
            "error@9: query: malformed percent-encoding '%zz' at position 9; a literal '%' must be sent as %25",
        );
        check(
            "$filter=100%",
            "error@11: query: malformed percent-encoding '%' at position 11; a literal '%' must be sent as %25",
        );
        check(
            "$filter=%C3",
            "error@8: query: the text at position 8 is not valid UTF-8 once percent-decoded",
        );
        check(
            "é=1&%zz",
            "error@4: query: malformed percent-encoding '%zz' at position 4; a literal '%' must be sent as %25",
        );
    }
}
