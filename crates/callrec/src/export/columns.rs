//! The cells and typed columns of the export tables, and the reading of a schema property's JSON value
//! into a cell of its column's type.
//!
//! Every writer (CSV, Parquet) works from these: a table is a list of [`Column`]s and a row is a list of
//! [`Cell`]s in the same order, so a new column is added in one place and every format carries it.

use callrec_model::edm::{Ticks, parse_date_time_offset, parse_duration};
use callrec_model::schema::{EdmPrimitive, Property, TypeTarget};
use serde_json::Value;

/// What a column holds, and how a JSON value of the schema becomes one of its cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text: `Edm.String`, `Edm.Guid`, and enum members by name.
    Text,
    /// A 64-bit integer: `Edm.Int16`, `Edm.Int32`, `Edm.Int64`, `Edm.Byte`.
    Int,
    /// A double: `Edm.Single`, `Edm.Double`, `Edm.Decimal`.
    Float,
    Bool,
    /// An instant in UTC (`Edm.DateTimeOffset`), to the microsecond in Parquet.
    Time,
    /// An `Edm.Duration` as a number of milliseconds (a double, so sub-millisecond values survive).
    Millis,
}

impl Kind {
    /// The kind a schema property's values take, or `None` for a structured or collection property,
    /// which is flattened by hand or left out.
    pub fn of_property(p: &Property) -> Option<Kind> {
        if p.type_ref.collection || p.navigation {
            return None;
        }
        match &p.type_ref.target {
            TypeTarget::Enum(_) => Some(Kind::Text),
            TypeTarget::Structured(_) => None,
            TypeTarget::Primitive(edm) => Some(match edm {
                EdmPrimitive::String | EdmPrimitive::Guid => Kind::Text,
                EdmPrimitive::Int16
                | EdmPrimitive::Int32
                | EdmPrimitive::Int64
                | EdmPrimitive::Byte
                | EdmPrimitive::SByte => Kind::Int,
                EdmPrimitive::Single | EdmPrimitive::Double | EdmPrimitive::Decimal => Kind::Float,
                EdmPrimitive::Boolean => Kind::Bool,
                EdmPrimitive::DateTimeOffset => Kind::Time,
                EdmPrimitive::Duration => Kind::Millis,
                _ => return None,
            }),
        }
    }

    /// Reads a JSON value into a cell of this kind; anything that does not fit is a null.
    pub fn read(self, v: Option<&Value>) -> Cell {
        let Some(v) = v.filter(|v| !v.is_null()) else {
            return Cell::Null;
        };
        match self {
            Kind::Text => match v {
                Value::String(s) => Cell::Text(s.clone()),
                Value::Number(n) => Cell::Text(n.to_string()),
                Value::Bool(b) => Cell::Text(b.to_string()),
                _ => Cell::Null,
            },
            Kind::Int => v.as_i64().map_or(Cell::Null, Cell::Int),
            // Decimals may come as strings (`"0.05"`), as OData allows.
            Kind::Float => match v {
                Value::String(s) => s.parse().map_or(Cell::Null, Cell::Float),
                _ => v.as_f64().map_or(Cell::Null, Cell::Float),
            },
            Kind::Bool => v.as_bool().map_or(Cell::Null, Cell::Bool),
            Kind::Time => v
                .as_str()
                .and_then(|s| parse_date_time_offset(s).ok())
                .map_or(Cell::Null, Cell::Time),
            Kind::Millis => v
                .as_str()
                .and_then(|s| parse_duration(s).ok())
                .map_or(Cell::Null, |ticks| Cell::Float(ticks as f64 / 10_000.0)),
        }
    }
}

/// One value of a row.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Text(String),
    Int(i64),
    Float(f64),
    Bool(bool),
    Time(Ticks),
}

impl Cell {
    pub fn text(v: Option<&str>) -> Cell {
        v.map_or(Cell::Null, |s| Cell::Text(s.to_owned()))
    }
}

/// One column of a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
    /// Names or locates a person (a display name, a principal name, a phone number, an IP or MAC
    /// address): left out by `--no-personal-data`.
    pub personal: bool,
}

impl Column {
    pub fn new(name: impl Into<String>, kind: Kind) -> Column {
        Column {
            name: name.into(),
            kind,
            personal: false,
        }
    }

    pub fn personal(name: impl Into<String>, kind: Kind) -> Column {
        Column {
            personal: true,
            ..Column::new(name, kind)
        }
    }
}

/// The column name of a schema property: snake case, acronyms kept together (`reflexiveIPAddress` is
/// `reflexive_ip_address`), and `_ms` after a duration.
pub fn column_name(property: &str, kind: Kind) -> String {
    let chars: Vec<char> = property.chars().collect();
    let mut out = String::with_capacity(property.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            if prev.is_ascii_lowercase()
                || prev.is_ascii_digit()
                || (prev.is_ascii_uppercase() && next_lower)
            {
                out.push('_');
            }
        }
        out.push(c.to_ascii_lowercase());
    }
    if kind == Kind::Millis {
        out.push_str("_ms");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_snake_case() {
        let check =
            |p: &str, kind: Kind, expected: &str| assert_eq!(column_name(p, kind), expected);
        check("averageJitter", Kind::Millis, "average_jitter_ms");
        check("reflexiveIPAddress", Kind::Text, "reflexive_ip_address");
        check(
            "clientLocalIpV4Address",
            Kind::Text,
            "client_local_ip_v4_address",
        );
        check("id", Kind::Text, "id");
        check("wasMediaBypassed", Kind::Bool, "was_media_bypassed");
    }

    #[test]
    fn values_are_read_as_their_kind() {
        use serde_json::json;
        assert_eq!(
            Kind::Millis.read(Some(&json!("PT0.016S"))),
            Cell::Float(16.0)
        );
        assert_eq!(Kind::Float.read(Some(&json!("0.05"))), Cell::Float(0.05));
        assert_eq!(Kind::Int.read(Some(&json!(3))), Cell::Int(3));
        assert_eq!(Kind::Int.read(Some(&json!("x"))), Cell::Null);
        assert_eq!(Kind::Text.read(None), Cell::Null);
        assert_eq!(
            Kind::Time.read(Some(&json!("1970-01-01T00:00:01Z"))),
            Cell::Time(Ticks(10_000_000))
        );
    }
}
