//! The callRecords schema as typed Rust values, with JSON exactly as Graph writes it.
//!
//! Every entity type, complex type and enum of `microsoft.graph.callRecords` (in [`call_records`]) and of the
//! `microsoft.graph` types it uses (in [`graph`]) is a Rust type here.
//! Both modules are generated from the CSDL in `spec/` by the `schema` integration test of this crate, which
//! also fails when they are stale; run `CALLREC_UPDATE_GENERATED=1 cargo test -p callrec-model --test schema`
//! after changing the schema or the generator.
//!
//! The JSON rules the generated code follows, so that a value read and written again is unchanged:
//! - Every property is an `Option`; `None` is written as `null`, as Graph writes it.
//!   Navigation properties (`sessions`, `segments`, `participants_v2`, `organizer_v2`) are the exception:
//!   Graph leaves them out unless they are expanded, so `None` leaves them out too.
//! - Keys the schema does not declare (instance annotations such as `@odata.context`, open-type properties,
//!   properties of a newer schema) are kept in each struct's `additional_data` and written back.
//! - A property whose type has derived types (an endpoint, a user agent, an identity, an identity set) is an
//!   `Any*` enum that reads `@odata.type` to choose the type, and writes it for a derived type, as OData
//!   asks when a value's type is not the declared one.
//!   A value without `@odata.type`, or with one naming no type derived from the slot's, is read as the slot's
//!   declared type (keeping the unknown `@odata.type`), as the official SDKs do.
//! - An enum member this schema does not declare is kept in the enum's `Other` variant and written back.
//! - `Edm.Single`, `Edm.Double` and `Edm.Decimal` are `f64`, so that whatever number was read is written back.

use std::fmt;

use serde::de::{DeserializeOwned, Error as _};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

use crate::edm::{Ticks, format_duration, parse_date_time_offset, parse_duration};

#[rustfmt::skip]
pub mod call_records;
#[rustfmt::skip]
pub mod graph;

/// An `Edm.DateTimeOffset`, written in UTC with up to seven fractional digits (`2020-02-25T18:52:21.2169889Z`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTimeOffset(pub Ticks);

impl Default for DateTimeOffset {
    fn default() -> Self {
        DateTimeOffset(Ticks(0))
    }
}

impl fmt::Display for DateTimeOffset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl Serialize for DateTimeOffset {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for DateTimeOffset {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        parse_date_time_offset(&text)
            .map(DateTimeOffset)
            .map_err(D::Error::custom)
    }
}

/// An `Edm.Duration` as 100-nanosecond ticks, written as ISO 8601 (`PT0.016S`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Duration(pub i64);

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&format_duration(self.0))
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&format_duration(self.0))
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        parse_duration(&text)
            .map(Duration)
            .map_err(D::Error::custom)
    }
}

/// A value with every declared property set, recursively: what the schema coverage test writes and checks,
/// and a starting point for tests and data generators that build values.
pub trait Sample {
    fn sample() -> Self;
}

impl Sample for String {
    fn sample() -> Self {
        "sample".to_owned()
    }
}

impl Sample for bool {
    fn sample() -> Self {
        true
    }
}

impl Sample for i32 {
    fn sample() -> Self {
        42
    }
}

impl Sample for i64 {
    /// Beyond the range of an `i32`, so that a 32-bit model of an `Edm.Int64` would show.
    fn sample() -> Self {
        5_000_000_000
    }
}

impl Sample for f64 {
    fn sample() -> Self {
        0.25
    }
}

impl Sample for DateTimeOffset {
    fn sample() -> Self {
        DateTimeOffset(Ticks(15_826_567_412_169_889))
    }
}

impl Sample for Duration {
    fn sample() -> Self {
        Duration(160_000)
    }
}

impl<T: Sample> Sample for Vec<T> {
    fn sample() -> Self {
        vec![T::sample()]
    }
}

/// An entity or complex type of the schema.
pub trait SchemaObject: Serialize + DeserializeOwned + Sample {
    /// `microsoft.graph.callRecords.callRecord` and the like.
    const QUALIFIED_NAME: &'static str;
    /// The JSON names of the declared properties (inherited ones first), in schema order.
    const PROPERTY_NAMES: &'static [&'static str];

    /// Reads the value from a JSON object; keys the type does not declare go to `additional_data`.
    fn from_json_object(object: Map<String, Value>) -> Result<Self, serde_json::Error>;

    /// The keys read that the type does not declare, kept to be written back.
    fn additional_data(&self) -> &Map<String, Value>;

    /// The qualified name of the value's type: for an `Any*` slot, that of the type it holds.
    fn type_name(&self) -> &'static str {
        Self::QUALIFIED_NAME
    }
}

/// An enum type of the schema.
pub trait SchemaEnum: Serialize + DeserializeOwned + Sample {
    const QUALIFIED_NAME: &'static str;
    /// The declared member names, in schema order.
    const MEMBERS: &'static [&'static str];

    /// The member name as written in JSON.
    fn as_str(&self) -> &str;

    /// False for a member this schema does not declare.
    fn is_declared(&self) -> bool;
}

/// Reads one property out of a JSON object; an absent key and `null` both give `None`.
fn take<T: DeserializeOwned>(
    object: &mut Map<String, Value>,
    key: &str,
) -> Result<Option<T>, serde_json::Error> {
    match object.remove(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => serde_json::from_value(value)
            .map(Some)
            .map_err(|e| serde_json::Error::custom(format!("{key}: {e}"))),
    }
}

/// Reads a value of a derived type out of a slot of its base type; its `@odata.type` is dropped because the
/// slot writes it back.
fn read_derived<T: SchemaObject>(
    mut object: Map<String, Value>,
    odata_type: &str,
) -> Result<T, serde_json::Error> {
    if object.get("@odata.type").and_then(Value::as_str) == Some(odata_type) {
        object.shift_remove("@odata.type");
    }
    T::from_json_object(object)
}

/// Writes a schema object: its annotations, its declared properties, then its other undeclared keys.
///
/// Annotations (`@odata.type`, `@odata.context`, ...) go first, as Graph and OData clients expect them.
/// A key of `additional_data` that a declared property also has is not written, so the output never has a
/// key twice.
struct ObjectWriter<'a, M> {
    map: M,
    additional: &'a Map<String, Value>,
    declared: &'static [&'static str],
}

impl<'a, M: SerializeMap> ObjectWriter<'a, M> {
    fn begin<S>(
        serializer: S,
        additional: &'a Map<String, Value>,
        declared: &'static [&'static str],
        odata_type: Option<&'static str>,
    ) -> Result<Self, M::Error>
    where
        S: Serializer<SerializeMap = M, Ok = M::Ok, Error = M::Error>,
    {
        let mut map = serializer.serialize_map(None)?;
        if let Some(odata_type) = odata_type
            && !additional.contains_key("@odata.type")
        {
            map.serialize_entry("@odata.type", odata_type)?;
        }
        for (key, value) in additional {
            if key.starts_with('@') {
                map.serialize_entry(key, value)?;
            }
        }
        Ok(ObjectWriter {
            map,
            additional,
            declared,
        })
    }

    /// A structural property: `None` is written as `null`.
    fn property<T: Serialize>(&mut self, key: &str, value: &Option<T>) -> Result<(), M::Error> {
        self.map.serialize_entry(key, value)
    }

    /// A navigation property: written only when present (expanded).
    fn navigation<T: Serialize>(&mut self, key: &str, value: &Option<T>) -> Result<(), M::Error> {
        match value {
            Some(value) => self.map.serialize_entry(key, value),
            None => Ok(()),
        }
    }

    fn end(mut self) -> Result<M::Ok, M::Error> {
        for (key, value) in self.additional {
            if !key.starts_with('@') && !self.declared.contains(&key.as_str()) {
                self.map.serialize_entry(key, value)?;
            }
        }
        self.map.end()
    }
}

/// A value of the schema read as one of its types and written back.
#[derive(Debug, Clone, PartialEq)]
pub struct Reread {
    pub json: Value,
    /// The type the value was read as (a derived type, for a value read from a slot of its base type).
    pub type_name: &'static str,
    /// The keys read that that type does not declare.
    pub undeclared: Vec<String>,
}

fn reread_as<T: SchemaObject>(json: Value) -> Result<Reread, serde_json::Error> {
    let value: T = serde_json::from_value(json)?;
    Ok(Reread {
        json: serde_json::to_value(&value)?,
        type_name: value.type_name(),
        undeclared: value.additional_data().keys().cloned().collect(),
    })
}

fn sample_json_of<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("a schema value always serializes")
}

/// Reads `member` as a member of enum `E` and writes it back; also says whether `E` declares it.
fn enum_round_trip_as<E: SchemaEnum>(member: &str) -> Result<(bool, Value), serde_json::Error> {
    let value: E = serde_json::from_value(Value::String(member.to_owned()))?;
    Ok((value.is_declared(), serde_json::to_value(&value)?))
}

/// A fully populated value ([`Sample`]) of the named entity or complex type, as JSON.
///
/// A type derived from the type of some property is written as in that property, with its `@odata.type`.
///
/// `qualified_name` is namespace-qualified: `microsoft.graph.callRecords.session`, `microsoft.graph.identity`.
pub fn sample_json(qualified_name: &str) -> Option<Value> {
    if in_call_records(qualified_name) {
        call_records::sample_json(qualified_name)
    } else {
        graph::sample_json(qualified_name)
    }
}

/// Reads `json` as the named entity or complex type and writes it back.
///
/// A type derived from the type of some property is read as in that property: `@odata.type` chooses it.
///
/// `None` when the schema has no such type.
pub fn reread(qualified_name: &str, json: Value) -> Option<Result<Reread, serde_json::Error>> {
    if in_call_records(qualified_name) {
        call_records::reread(qualified_name, json)
    } else {
        graph::reread(qualified_name, json)
    }
}

/// Reads `member` as a member of the named enum type and writes it back; the flag says whether the enum
/// declares that member (an undeclared one must still round-trip, as `Other`).
///
/// `None` when the schema has no such enum.
pub fn enum_round_trip(
    qualified_name: &str,
    member: &str,
) -> Option<Result<(bool, Value), serde_json::Error>> {
    if in_call_records(qualified_name) {
        call_records::enum_round_trip(qualified_name, member)
    } else {
        graph::enum_round_trip(qualified_name, member)
    }
}

fn in_call_records(qualified_name: &str) -> bool {
    qualified_name.starts_with("microsoft.graph.callRecords.")
}
