//! `$orderby` on callRecords: one instant of the record, ascending or descending.
//!
//! Listings page by keyset on the sort key and the record id, so only indexed instants can order them, and
//! only one at a time; anything else is refused with a message saying what is possible.

use crate::odata::QueryError;
use crate::query::{RecordOrder, TimeField};

const OPTION: &str = "$orderby";

const FIELDS: [TimeField; 3] = [
    TimeField::StartDateTime,
    TimeField::LastModifiedDateTime,
    TimeField::EndDateTime,
];

/// Parses `$orderby` for a listing of callRecords: `startDateTime`, `lastModifiedDateTime` or
/// `endDateTime`, optionally followed by `asc` or `desc`.
pub fn record_order(text: &str) -> Result<RecordOrder, QueryError> {
    let chars: Vec<char> = text.chars().collect();
    let error = |position: usize, message: String| QueryError::new(OPTION, position, message);
    // Words with their character positions; a ',' is a word of its own.
    let mut words: Vec<(String, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
        } else if chars[i] == ',' {
            words.push((",".to_string(), i));
            i += 1;
        } else {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && chars[i] != ',' {
                i += 1;
            }
            words.push((chars[start..i].iter().collect(), start));
        }
    }
    let supported = FIELDS.map(TimeField::property_name).join(", ");
    let Some((name, at)) = words.first() else {
        return Err(error(
            0,
            format!("no sort key; expected one of: {supported}"),
        ));
    };
    if name == "," {
        return Err(error(
            *at,
            format!("unexpected ',' at position {at}; expected a sort key"),
        ));
    }
    if let Some((_, comma)) = words.iter().find(|(w, _)| w == ",") {
        return Err(error(
            *comma,
            format!(
                "only one sort key is supported; found a second one after the ',' at position {comma}"
            ),
        ));
    }
    let Some(field) = FIELDS
        .into_iter()
        .find(|f| f.property_name().eq_ignore_ascii_case(name))
    else {
        return Err(error(
            *at,
            format!("cannot sort by '{name}' (position {at}); supported: {supported}"),
        ));
    };
    let descending = match words.get(1) {
        None => false,
        Some((dir, _)) if dir.eq_ignore_ascii_case("asc") => false,
        Some((dir, _)) if dir.eq_ignore_ascii_case("desc") => true,
        Some((dir, pos)) => {
            return Err(error(
                *pos,
                format!("unexpected '{dir}' at position {pos}; expected asc or desc"),
            ));
        }
    };
    if let Some((extra, pos)) = words.get(2) {
        return Err(error(
            *pos,
            format!("unexpected '{extra}' at position {pos}; expected the end of $orderby"),
        ));
    }
    Ok(RecordOrder { field, descending })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        let got = match record_order(input) {
            Ok(o) => format!(
                "{} {}",
                o.field.property_name(),
                if o.descending { "desc" } else { "asc" }
            ),
            Err(e) => format!("error@{}: {e}", e.position),
        };
        assert_eq!(got, expected, "input: {input}");
    }

    #[test]
    fn orders() {
        check("startDateTime", "startDateTime asc");
        check("startDateTime desc", "startDateTime desc");
        check("  lastModifiedDateTime   ASC ", "lastModifiedDateTime asc");
        check("endDateTime Desc", "endDateTime desc");
        check("STARTDATETIME", "startDateTime asc");
    }

    #[test]
    fn errors() {
        check(
            "",
            "error@0: $orderby: no sort key; expected one of: startDateTime, lastModifiedDateTime, endDateTime",
        );
        check(
            "version",
            "error@0: $orderby: cannot sort by 'version' (position 0); supported: startDateTime, lastModifiedDateTime, endDateTime",
        );
        check(
            "startDateTime desc,id",
            "error@18: $orderby: only one sort key is supported; found a second one after the ',' at position 18",
        );
        check(
            "startDateTime up",
            "error@14: $orderby: unexpected 'up' at position 14; expected asc or desc",
        );
        check(
            "startDateTime asc asc",
            "error@18: $orderby: unexpected 'asc' at position 18; expected the end of $orderby",
        );
        check(
            ",startDateTime",
            "error@0: $orderby: unexpected ',' at position 0; expected a sort key",
        );
    }
}
