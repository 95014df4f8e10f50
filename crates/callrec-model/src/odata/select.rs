//! `$select`: which properties of an entity a response carries.
//!
//! The caller passes the properties its entity offers; names match in any case, as Graph's query parser
//! does, and come back spelled as the entity spells them, so later code can compare them exactly.

use crate::odata::QueryError;

const OPTION: &str = "$select";

/// Parses a `$select` value against the properties `allowed`.
///
/// Returns the names in their canonical spelling, each once, in the order written; `*` stands for all
/// properties and is returned as is.
pub fn parse_select(text: &str, allowed: &[&str]) -> Result<Vec<String>, QueryError> {
    let names = split_names(OPTION, text, 0)?;
    resolve_names(OPTION, &names, allowed)
}

/// Splits a comma-separated list of names, with each name's character position (plus `base`).
/// Names are not checked beyond being non-empty and free of spaces.
pub(crate) fn split_names(
    option: &str,
    text: &str,
    base: usize,
) -> Result<Vec<(String, usize)>, QueryError> {
    let mut names = Vec::new();
    let mut offset = 0;
    for piece in text.split(',') {
        let len = piece.chars().count();
        let lead = piece.chars().take_while(|c| c.is_whitespace()).count();
        let name = piece.trim();
        let at = base + offset + lead;
        if name.is_empty() {
            let what = if text.trim().is_empty() {
                "no property name"
            } else {
                "an empty item"
            };
            return Err(QueryError::new(
                option,
                at,
                format!("{what} at position {at}; expected a property name"),
            ));
        }
        if let Some(space) = name.chars().position(char::is_whitespace) {
            let pos = at + space;
            return Err(QueryError::new(
                option,
                pos,
                format!(
                    "unexpected space at position {pos} in '{name}'; separate property names with ','"
                ),
            ));
        }
        names.push((name.to_string(), at));
        offset += len + 1;
    }
    Ok(names)
}

/// Matches names against `allowed`, returning canonical spellings without duplicates.
pub(crate) fn resolve_names(
    option: &str,
    names: &[(String, usize)],
    allowed: &[&str],
) -> Result<Vec<String>, QueryError> {
    let mut out: Vec<String> = Vec::with_capacity(names.len());
    for (name, at) in names {
        let canonical = if name == "*" {
            "*".to_string()
        } else {
            match allowed.iter().find(|a| a.eq_ignore_ascii_case(name)) {
                Some(a) => a.to_string(),
                None => {
                    return Err(QueryError::new(
                        option,
                        *at,
                        format!(
                            "'{name}' at position {at} cannot be selected; allowed: {}",
                            allowed.join(", ")
                        ),
                    ));
                }
            }
        };
        if !out.contains(&canonical) {
            out.push(canonical);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    const RECORD: &[&str] = &[
        "id",
        "version",
        "type",
        "modalities",
        "startDateTime",
        "endDateTime",
        "joinWebUrl",
    ];

    fn check(input: &str, expected: &str) {
        let got = match parse_select(input, RECORD) {
            Ok(names) => names.join(","),
            Err(e) => format!("error@{}: {e}", e.position),
        };
        assert_eq!(got, expected, "input: {input}");
    }

    #[test]
    fn selects() {
        check("id", "id");
        check("id,startDateTime", "id,startDateTime");
        check(
            " id , StartDateTime ,joinweburl ",
            "id,startDateTime,joinWebUrl",
        );
        check("id,ID,id", "id");
        check("*", "*");
        check("*,id", "*,id");
    }

    #[test]
    fn errors() {
        check(
            "",
            "error@0: $select: no property name at position 0; expected a property name",
        );
        check(
            "  ",
            "error@2: $select: no property name at position 2; expected a property name",
        );
        check(
            "id,,type",
            "error@3: $select: an empty item at position 3; expected a property name",
        );
        check(
            "id,",
            "error@3: $select: an empty item at position 3; expected a property name",
        );
        check(
            "id, organizer",
            "error@4: $select: 'organizer' at position 4 cannot be selected; allowed: id, version, type, modalities, startDateTime, endDateTime, joinWebUrl",
        );
        check(
            "id type",
            "error@2: $select: unexpected space at position 2 in 'id type'; separate property names with ','",
        );
        check(
            "sessions($select=id)",
            "error@0: $select: 'sessions($select=id)' at position 0 cannot be selected; allowed: id, version, type, modalities, startDateTime, endDateTime, joinWebUrl",
        );
        // Positions count characters, not bytes.
        assert_eq!(parse_select("é,x", &["é"]).unwrap_err().position, 2);
    }
}
