//! Holds incoming JSON to the callRecords schema before it is stored, and masks evolvable enum members
//! before it is served.
//!
//! An archive must keep what Graph produced, so the validator refuses only what cannot be stored or
//! served faithfully: a value of the wrong JSON type, a malformed instant or duration, an `@odata.type`
//! that does not fit, a missing or unusable id, a callRecord without the times the store indexes.
//! Everything merely surprising (unknown properties, `null` where the schema says non-nullable, times out
//! of order) is kept and reported as a [`Warning`].
//!
//! Ingestion runs this on every record, so the walk follows precomputed indices of the [`Schema`] and
//! builds path strings only when it has something to report.

use std::fmt;

use serde_json::{Map, Value};

use crate::edm::{self, Ticks};
use crate::schema::{EdmPrimitive, Property, Resolved, Schema, StructuredType, TypeKind, schema};

/// The qualified name of the callRecord entity type.
pub const CALL_RECORD: &str = "microsoft.graph.callRecords.callRecord";
/// The complex type whose empty `streams` array is worth a warning.
const MEDIA: &str = "microsoft.graph.callRecords.media";
/// Ids appear in URL paths and keys, so these characters are refused in them.
const ID_FORBIDDEN: &[char] = &['/', '\\', '?', '#', '%', '"', '\''];
const ID_MAX_CHARS: usize = 256;

/// Why a value was refused: where (a JSON path such as `$.sessions[0].id`) and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct ValidationError {
    pub path: String,
    pub message: String,
}

/// Something accepted and kept, but worth telling the sender about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub path: String,
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// The outcome of a successful validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub warnings: Vec<Warning>,
    /// True when some enum value is an evolvable member (declared after `unknownFutureValue`), which the
    /// server must mask for clients that did not send `Prefer: include-unknown-enum-members`.
    pub has_evolvable_enum_members: bool,
}

/// Validates a callRecord (with whatever sessions, segments and participants it carries).
pub fn validate_call_record(v: &Value) -> Result<Report, ValidationError> {
    validate_as(v, CALL_RECORD)
}

/// Validates a value as the entity or complex type `qualified_type` of the embedded schema
/// (`microsoft.graph.callRecords.pstnCallLogRow`, `microsoft.graph.callRecords.session`, ...).
pub fn validate_as(v: &Value, qualified_type: &str) -> Result<Report, ValidationError> {
    validate_in(schema(), v, qualified_type)
}

/// Validates a value as a type of any schema, for types the embedded documents do not hold.
pub fn validate_in(
    schema: &Schema,
    v: &Value,
    qualified_type: &str,
) -> Result<Report, ValidationError> {
    let Some(declared) = schema.structured_index(qualified_type) else {
        return Err(ValidationError {
            path: "$".to_owned(),
            message: format!("'{qualified_type}' is not an entity or complex type of the schema"),
        });
    };
    let mut walker = Walker {
        schema,
        call_record: schema.structured_index(CALL_RECORD),
        path: Vec::with_capacity(16),
        report: Report::default(),
    };
    walker.structured(v, declared, None)?;
    Ok(walker.report)
}

/// Replaces every evolvable enum member in `v` (read as `qualified_type`, or an array of it) with
/// `unknownFutureValue`, following derived types named by `@odata.type` and navigation properties.
/// Values of an unknown type are left alone.
pub fn mask_evolvable_enum_members(v: &mut Value, qualified_type: &str) {
    mask_in(schema(), v, qualified_type);
}

/// [`mask_evolvable_enum_members`] for any schema.
pub fn mask_in(schema: &Schema, v: &mut Value, qualified_type: &str) {
    if let Some(declared) = schema.structured_index(qualified_type) {
        mask_structured(schema, v, declared);
    }
}

fn mask_structured(schema: &Schema, v: &mut Value, declared: usize) {
    match v {
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| mask_structured(schema, item, declared)),
        Value::Object(map) => {
            let t = effective_type(schema, map, declared)
                .unwrap_or_else(|| schema.structured_at(declared));
            if !t.may_hold_evolvable {
                return;
            }
            for (key, value) in map.iter_mut() {
                let Some(p) = t.property(key) else { continue };
                match p.resolved {
                    Resolved::Enum(e) if !schema.enum_at(e).evolvable_members().is_empty() => {
                        mask_enum(schema, value, e);
                    }
                    Resolved::Structured(s) if schema.structured_at(s).may_hold_evolvable => {
                        mask_structured(schema, value, s);
                    }
                    _ => {}
                }
            }
        }
        _ => {}
    }
}

fn mask_enum(schema: &Schema, v: &mut Value, e: usize) {
    match v {
        Value::Array(items) => items.iter_mut().for_each(|item| mask_enum(schema, item, e)),
        Value::String(s) if schema.enum_at(e).is_evolvable(s) => {
            *s = "unknownFutureValue".to_owned()
        }
        _ => {}
    }
}

/// The type `@odata.type` names when it is the declared type or derived from it; `None` otherwise
/// (absent, unknown or unrelated).
fn effective_type<'s>(
    schema: &'s Schema,
    map: &Map<String, Value>,
    declared: usize,
) -> Option<&'s StructuredType> {
    let name = map.get("@odata.type")?.as_str()?;
    let i = schema.odata_type_index(name)?;
    let t = schema.structured_at(i);
    (i == declared || t.ancestors.contains(&declared)).then_some(t)
}

/// One step of a JSON path.
#[derive(Clone, Copy)]
enum Seg<'v> {
    Key(&'v str),
    Index(usize),
}

/// The time span of the entity that contains the one being validated, for containment warnings.
#[derive(Clone, Copy)]
struct Parent<'s> {
    type_name: &'s str,
    start: Ticks,
    end: Ticks,
}

struct Walker<'s, 'v> {
    schema: &'s Schema,
    /// The callRecord type, whose values need the times the store indexes.
    call_record: Option<usize>,
    path: Vec<Seg<'v>>,
    report: Report,
}

impl<'s, 'v> Walker<'s, 'v> {
    fn path_string(&self) -> String {
        let mut out = String::from("$");
        for seg in &self.path {
            match seg {
                Seg::Key(k)
                    if !k.is_empty()
                        && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') =>
                {
                    out.push('.');
                    out.push_str(k);
                }
                Seg::Key(k) => {
                    out.push_str("['");
                    out.push_str(&k.replace('\\', "\\\\").replace('\'', "\\'"));
                    out.push_str("']");
                }
                Seg::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    fn error(&self, message: String) -> ValidationError {
        ValidationError {
            path: self.path_string(),
            message,
        }
    }

    /// An error about a property of the object at the current path.
    fn error_at(&mut self, key: &'v str, message: String) -> ValidationError {
        self.path.push(Seg::Key(key));
        let e = self.error(message);
        self.path.pop();
        e
    }

    fn warn(&mut self, message: String) {
        let path = self.path_string();
        self.report.warnings.push(Warning { path, message });
    }

    fn warn_at(&mut self, key: &'v str, message: String) {
        self.path.push(Seg::Key(key));
        self.warn(message);
        self.path.pop();
    }

    fn structured(
        &mut self,
        v: &'v Value,
        declared: usize,
        parent: Option<Parent<'s>>,
    ) -> Result<(), ValidationError> {
        let schema = self.schema;
        let declared_type = schema.structured_at(declared);
        let Some(obj) = v.as_object() else {
            return Err(self.error(format!(
                "expected a {} object, found {}",
                declared_type.name,
                describe(v)
            )));
        };
        // One pass finds the members that must be read before the others; a linear scan of a few short
        // keys is cheaper than hashing each name into the object's index.
        let (mut odata_type, mut id, mut start_value, mut end_value) = (None, None, None, None);
        for (key, value) in obj {
            match key.as_str() {
                "@odata.type" => odata_type = Some(value),
                "id" => id = Some(value),
                "startDateTime" => start_value = Some(value),
                "endDateTime" => end_value = Some(value),
                _ => {}
            }
        }
        let t = match odata_type {
            None => declared_type,
            Some(Value::String(name)) => self.odata_type(name, declared)?,
            Some(other) => {
                return Err(self.error_at(
                    "@odata.type",
                    format!(
                        "expected the name of a type as a JSON string, found {}",
                        describe(other)
                    ),
                ));
            }
        };

        if t.kind == TypeKind::Entity && t.key().first().is_some_and(|k| k == "id") {
            self.entity_id(id, t)?;
        }
        if let Some(cr) = self.call_record
            && (t.index == cr || t.ancestors.contains(&cr))
        {
            for (required, value) in [("startDateTime", start_value), ("endDateTime", end_value)] {
                if value.is_none_or(Value::is_null) {
                    return Err(self.error(format!(
                        "the required property '{required}' is missing or null (a callRecord needs startDateTime \
                         and endDateTime: the store indexes records by them)"
                    )));
                }
            }
        }

        // The span is read before the properties so that contained entities (sessions, segments) can be
        // checked against it whatever the key order; instants read here are not parsed again below.
        let (mut start, mut end) = (None, None);
        if t.span.is_some() {
            let instant = |v: Option<&Value>| {
                v.and_then(Value::as_str)
                    .and_then(|s| edm::parse_date_time_offset(s).ok())
            };
            start = instant(start_value);
            end = instant(end_value);
        }

        for (key, value) in obj {
            if key.contains('@') {
                continue;
            }
            let Some(&i) = t.by_name.get(key.as_str()) else {
                // An open type declares that it takes dynamic properties (identities carry `tenantId`,
                // feedback tokens are all dynamic): only a closed type's unknown property is an oddity.
                if t.is_open {
                    continue;
                }
                self.warn_at(
                    key,
                    format!(
                        "unknown property '{key}' (not declared by {}; kept)",
                        t.name
                    ),
                );
                continue;
            };
            if let Some((si, ei)) = t.span
                && ((i == si && start.is_some()) || (i == ei && end.is_some()))
            {
                continue;
            }
            let p = &t.all[i];
            let child_parent = match (p.contains_target, start, end) {
                (true, Some(start), Some(end)) => Some(Parent {
                    type_name: t.simple_name(),
                    start,
                    end,
                }),
                _ => None,
            };
            self.path.push(Seg::Key(key));
            let result = self.property(value, p, child_parent);
            self.path.pop();
            result?;
        }

        if let (Some(start), Some(end)) = (start, end) {
            if end < start {
                self.warn(format!(
                    "this {} ends before it starts: endDateTime {end} is before startDateTime {start}",
                    t.simple_name()
                ));
            }
            if let Some(p) = parent
                && (start < p.start || end > p.end)
            {
                self.warn(format!(
                    "this {} ({start} to {end}) lies outside its {}'s time span ({} to {})",
                    t.simple_name(),
                    p.type_name,
                    p.start,
                    p.end
                ));
            }
        }
        Ok(())
    }

    /// Resolves an `@odata.type` against the declared type: it must name that type or one derived from it.
    fn odata_type(
        &mut self,
        name: &'v str,
        declared: usize,
    ) -> Result<&'s StructuredType, ValidationError> {
        let schema = self.schema;
        let declared_type = schema.structured_at(declared);
        let found = schema.odata_type_index(name);
        if let Some(i) = found
            && (i == declared || schema.structured_at(i).ancestors.contains(&declared))
        {
            return Ok(schema.structured_at(i));
        }
        let allowed: Vec<&str> = std::iter::once(declared_type.name.as_str())
            .chain(
                declared_type
                    .derived
                    .iter()
                    .map(|&d| schema.structured_at(d).name.as_str()),
            )
            .collect();
        let what = if found.is_some() {
            format!(
                "'{name}' is not {} or a type derived from it",
                declared_type.name
            )
        } else {
            format!("'{name}' is not a known type")
        };
        Err(self.error_at(
            "@odata.type",
            format!("{what} (allowed: {})", allowed.join(", ")),
        ))
    }

    fn entity_id(&mut self, id: Option<&Value>, t: &StructuredType) -> Result<(), ValidationError> {
        let message = match id {
            None => {
                return Err(self.error(format!(
                    "the required property 'id' is missing (every {} needs a non-empty string id)",
                    t.simple_name()
                )));
            }
            Some(Value::String(id)) => match id_problem(id) {
                None => return Ok(()),
                Some(problem) => format!("{} is not a usable id: {problem}", quote(id)),
            },
            Some(other) => {
                format!(
                    "expected the {} id as a non-empty JSON string, found {}",
                    t.simple_name(),
                    describe(other)
                )
            }
        };
        Err(self.error_at("id", message))
    }

    fn property(
        &mut self,
        v: &'v Value,
        p: &'s Property,
        parent: Option<Parent<'s>>,
    ) -> Result<(), ValidationError> {
        if v.is_null() {
            if !p.nullable {
                self.null_for_non_nullable(p);
            }
            return Ok(());
        }
        if !p.type_ref.collection {
            return self.single(v, p, parent);
        }
        let Some(items) = v.as_array() else {
            return Err(self.error(format!(
                "expected a JSON array for {}, found {}",
                p.type_ref,
                describe(v)
            )));
        };
        if items.is_empty() && p.name == "streams" && p.declared_by == MEDIA {
            self.warn("this media has an empty streams array".to_owned());
        }
        for (i, item) in items.iter().enumerate() {
            self.path.push(Seg::Index(i));
            let result = if item.is_null() {
                if !p.nullable {
                    self.null_for_non_nullable(p);
                }
                Ok(())
            } else {
                self.single(item, p, parent)
            };
            self.path.pop();
            result?;
        }
        Ok(())
    }

    fn null_for_non_nullable(&mut self, p: &Property) {
        self.warn(format!(
            "null for '{}', which the schema declares non-nullable ({}); kept",
            p.name, p.type_ref
        ));
    }

    fn single(
        &mut self,
        v: &'v Value,
        p: &'s Property,
        parent: Option<Parent<'s>>,
    ) -> Result<(), ValidationError> {
        match p.resolved {
            Resolved::Primitive(prim) => self.primitive(v, prim),
            Resolved::Enum(e) => {
                let enum_type = self.schema.enum_at(e);
                match v.as_str() {
                    // Unknown members are kept: Graph adds members over time (the unknownFutureValue rule).
                    Some(s) => {
                        if enum_type.is_evolvable(s) {
                            self.report.has_evolvable_enum_members = true;
                        }
                        Ok(())
                    }
                    None => Err(self.error(format!(
                        "expected a member of {} as a JSON string (e.g. '{}'), found {}",
                        enum_type.name,
                        enum_type.members.first().map_or("", |m| m.name.as_str()),
                        describe(v)
                    ))),
                }
            }
            Resolved::Structured(s) => self.structured(v, s, parent),
            Resolved::Unknown => Ok(()),
        }
    }

    fn primitive(&mut self, v: &Value, prim: EdmPrimitive) -> Result<(), ValidationError> {
        let problem = match prim {
            EdmPrimitive::String => {
                (!v.is_string()).then(|| format!("expected a JSON string, found {}", describe(v)))
            }
            EdmPrimitive::Boolean => (!v.is_boolean()).then(|| {
                format!(
                    "expected a JSON boolean (true or false), found {}",
                    describe(v)
                )
            }),
            EdmPrimitive::Byte => integer_problem(v, prim, 0, u8::MAX.into()),
            EdmPrimitive::SByte => integer_problem(v, prim, i8::MIN.into(), i8::MAX.into()),
            EdmPrimitive::Int16 => integer_problem(v, prim, i16::MIN.into(), i16::MAX.into()),
            EdmPrimitive::Int32 => integer_problem(v, prim, i32::MIN.into(), i32::MAX.into()),
            // Strings (OData's IEEE754Compatible form) are refused for Int64 and Decimal: Graph writes
            // numbers, and the store reads `version` as a number.
            EdmPrimitive::Int64 => integer_problem(v, prim, i64::MIN, i64::MAX),
            EdmPrimitive::Single | EdmPrimitive::Double | EdmPrimitive::Decimal => match v {
                Value::Number(_) => None,
                // JSON has no literal for these, so OData's JSON format writes them as strings.
                Value::String(s)
                    if prim != EdmPrimitive::Decimal
                        && matches!(s.as_str(), "NaN" | "INF" | "-INF") =>
                {
                    None
                }
                _ => Some(format!(
                    "expected {prim} as a JSON number, found {}",
                    describe(v)
                )),
            },
            EdmPrimitive::DateTimeOffset => string_problem(v, prim, "2023-09-25T09:25:00Z", |s| {
                edm::parse_date_time_offset(s).err().map(|e| e.0)
            }),
            EdmPrimitive::Duration => string_problem(v, prim, "PT0.016S", |s| {
                edm::parse_duration(s).err().map(|e| e.0)
            }),
            EdmPrimitive::Date => string_problem(v, prim, "2019-11-01", |s| {
                edm::parse_date(s).err().map(|e| e.0)
            }),
            EdmPrimitive::Guid => {
                string_problem(v, prim, "dc368399-474c-4d40-900c-6265431fd81f", |s| {
                    (!is_guid(s)).then(|| {
                    format!("{} is not a valid Guid (expected 8-4-4-4-12 hexadecimal digits, e.g. dc368399-474c-4d40-900c-6265431fd81f)", quote(s))
                })
                })
            }
            EdmPrimitive::Binary | EdmPrimitive::TimeOfDay | EdmPrimitive::Stream => (!v
                .is_string())
            .then(|| format!("expected {prim} as a JSON string, found {}", describe(v))),
            EdmPrimitive::Untyped => None,
        };
        match problem {
            None => Ok(()),
            Some(message) => Err(self.error(message)),
        }
    }
}

fn integer_problem(v: &Value, prim: EdmPrimitive, min: i64, max: i64) -> Option<String> {
    match v.as_i64() {
        Some(n) if (min..=max).contains(&n) => None,
        _ => Some(format!(
            "expected {prim} (a JSON integer from {min} to {max}), found {}",
            describe(v)
        )),
    }
}

fn string_problem(
    v: &Value,
    prim: EdmPrimitive,
    example: &str,
    check: impl FnOnce(&str) -> Option<String>,
) -> Option<String> {
    match v.as_str() {
        Some(s) => check(s),
        None => Some(format!(
            "expected {prim} as a JSON string (e.g. {example}), found {}",
            describe(v)
        )),
    }
}

/// Why a string cannot serve as an entity id (it must fit in a URL path segment), if it cannot.
pub fn id_problem(id: &str) -> Option<String> {
    if id.is_empty() {
        return Some("it is empty".to_owned());
    }
    let count = id.chars().count();
    if count > ID_MAX_CHARS {
        return Some(format!(
            "it has {count} characters (at most {ID_MAX_CHARS} allowed)"
        ));
    }
    if let Some(c) = id.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Some(format!(
            "it contains whitespace or a control character ({:?})",
            c
        ));
    }
    id.chars().find(|c| ID_FORBIDDEN.contains(c)).map(|c| {
        format!(
            "it contains '{c}' (ids appear in URL paths, so none of {} is allowed)",
            ID_FORBIDDEN
                .iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        )
    })
}

fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// A short description of a JSON value for messages: its kind and, for scalars, the value itself.
fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => format!("the string {}", quote(s)),
        Value::Array(_) => "an array".to_owned(),
        Value::Object(_) => "an object".to_owned(),
    }
}

/// Quotes a string for a message, cut short so that a huge value cannot flood a log.
fn quote(s: &str) -> String {
    const MAX: usize = 80;
    match s.char_indices().nth(MAX) {
        Some((cut, _)) => format!("'{}...'", &s[..cut]),
        None => format!("'{s}'"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn example(name: &str) -> Value {
        let path = format!("{}/../../spec/examples/{name}", env!("CARGO_MANIFEST_DIR"));
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
    }

    fn accept(v: &Value, ty: &str, what: &str) -> Report {
        validate_as(v, ty).unwrap_or_else(|e| panic!("{what}: {e}"))
    }

    #[test]
    fn official_call_record_examples_validate() {
        for name in [
            "callrecord-get.response.json",
            "callrecord-get-expand-sessions-segments.response.json",
            "callrecord-get-expand-participants_v2.response.json",
        ] {
            accept(&example(name), CALL_RECORD, name);
        }
        for name in [
            "callrecords-list.response.json",
            "callrecords-list-filter-startdatetime.response.json",
            "callrecords-list-filter-participant.response.json",
        ] {
            let list = example(name);
            let items = list["value"].as_array().unwrap();
            assert!(!items.is_empty(), "{name}");
            for (i, item) in items.iter().enumerate() {
                accept(item, CALL_RECORD, &format!("{name} value[{i}]"));
            }
        }
    }

    #[test]
    fn official_session_and_participant_examples_validate() {
        let cases = [
            (
                "callrecord-list-sessions.response.json",
                "microsoft.graph.callRecords.session",
            ),
            (
                "callrecord-list-sessions-expand-segments.response.json",
                "microsoft.graph.callRecords.session",
            ),
            (
                "callrecord-list-participants_v2.response.json",
                "microsoft.graph.callRecords.participant",
            ),
        ];
        for (name, ty) in cases {
            let list = example(name);
            for (i, item) in list["value"].as_array().unwrap().iter().enumerate() {
                accept(item, ty, &format!("{name} value[{i}]"));
            }
        }
    }

    #[test]
    fn official_log_row_examples_validate() {
        let cases = [
            (
                "callrecords-getpstncalls.response.json",
                "microsoft.graph.callRecords.pstnCallLogRow",
            ),
            (
                "callrecords-getdirectroutingcalls.response.json",
                "microsoft.graph.callRecords.directRoutingLogRow",
            ),
        ];
        for (name, ty) in cases {
            let list = example(name);
            for (i, item) in list["value"].as_array().unwrap().iter().enumerate() {
                let report = accept(item, ty, &format!("{name} value[{i}]"));
                assert!(report.warnings.is_empty(), "{name}: {:?}", report.warnings);
            }
        }
    }

    #[test]
    fn dynamic_properties_of_open_types_are_not_warnings() {
        // `tenantId` is not declared by microsoft.graph.identity, but that type is open: it is kept quietly.
        let report = accept(&example("callrecord-get.response.json"), CALL_RECORD, "get");
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        assert!(!report.has_evolvable_enum_members);
    }

    /// A minimal valid callRecord with one session, one segment, one media and one stream.
    fn record() -> Value {
        json!({
            "id": "rec-1",
            "version": 1,
            "type": "groupCall",
            "modalities": ["audio"],
            "lastModifiedDateTime": "2023-09-25T10:00:00Z",
            "startDateTime": "2023-09-25T09:00:00Z",
            "endDateTime": "2023-09-25T09:30:00Z",
            "organizer_v2": {"id": "org-1", "identity": {"user": {"id": "u1", "displayName": "A"}}},
            "participants_v2": [{"id": "p-1"}],
            "sessions": [{
                "id": "s-1",
                "modalities": ["audio"],
                "startDateTime": "2023-09-25T09:00:00Z",
                "endDateTime": "2023-09-25T09:30:00Z",
                "caller": {
                    "@odata.type": "#microsoft.graph.callRecords.participantEndpoint",
                    "userAgent": {
                        "@odata.type": "#microsoft.graph.callRecords.clientUserAgent",
                        "platform": "windows",
                        "productFamily": "teams"
                    }
                },
                "segments": [{
                    "id": "g-1",
                    "startDateTime": "2023-09-25T09:00:00Z",
                    "endDateTime": "2023-09-25T09:10:00Z",
                    "media": [{
                        "label": "main-audio",
                        "streams": [{
                            "streamDirection": "callerToCallee",
                            "averageJitter": "PT0.016S",
                            "startDateTime": "2023-09-25T09:00:00Z",
                            "endDateTime": "2023-09-25T09:10:00Z"
                        }]
                    }]
                }]
            }]
        })
    }

    /// The base record with the value at a JSON pointer set (inserted when absent); a final `/-` removes
    /// the member instead: `/sessions/0/id/-` removes the session's id.
    fn with(pointer: &str, value: Value) -> Value {
        let mut r = record();
        let remove = pointer.ends_with("/-");
        let target = pointer.strip_suffix("/-").unwrap_or(pointer);
        let (parent, key) = target.rsplit_once('/').unwrap();
        match r.pointer_mut(parent).unwrap_or_else(|| panic!("{pointer}")) {
            Value::Object(m) if remove => {
                m.shift_remove(key).unwrap_or_else(|| panic!("{pointer}"));
            }
            Value::Object(m) => {
                m.insert(key.to_owned(), value);
            }
            Value::Array(a) => a[key.parse::<usize>().unwrap()] = value,
            _ => panic!("{pointer}"),
        }
        r
    }

    /// Expected outcome: `Ok(warnings as "path: message" fragments)` or `Err("path: message" fragment)`.
    enum Expect {
        Ok(&'static [&'static str]),
        Err(&'static str),
    }

    fn check(v: Value, expected: Expect) {
        let got = validate_call_record(&v);
        match (expected, got) {
            (Expect::Ok(fragments), Ok(report)) => {
                let warnings: Vec<String> =
                    report.warnings.iter().map(ToString::to_string).collect();
                assert_eq!(warnings.len(), fragments.len(), "warnings: {warnings:#?}");
                for (w, f) in warnings.iter().zip(fragments) {
                    assert!(w.contains(f), "warning {w:?} should contain {f:?}");
                }
            }
            (Expect::Err(fragment), Err(e)) => {
                let text = e.to_string();
                assert!(
                    text.contains(fragment),
                    "error {text:?} should contain {fragment:?}"
                );
            }
            (Expect::Ok(_), Err(e)) => panic!("expected acceptance, got {e}"),
            (Expect::Err(f), Ok(r)) => panic!("expected an error containing {f:?}, got {r:?}"),
        }
    }

    use Expect::{Err as E, Ok as W};

    const STREAM: &str = "/sessions/0/segments/0/media/0/streams/0";

    #[test]
    fn base_record_is_clean() {
        let report = validate_call_record(&record()).unwrap();
        assert_eq!(report, Report::default());
    }

    #[test]
    fn json_types() {
        check(
            json!([]),
            E("$: expected a microsoft.graph.callRecords.callRecord object, found an array"),
        );
        check(
            with("/version", json!("1")),
            E("$.version: expected Edm.Int64 (a JSON integer"),
        );
        check(
            with("/version", json!(1.5)),
            E(
                "$.version: expected Edm.Int64 (a JSON integer from -9223372036854775808 to 9223372036854775807), found the number 1.5",
            ),
        );
        check(
            with("/type", json!(2)),
            E(
                "$.type: expected a member of microsoft.graph.callRecords.callType as a JSON string (e.g. 'unknown'), found the number 2",
            ),
        );
        check(
            with("/modalities", json!("audio")),
            E(
                "$.modalities: expected a JSON array for Collection(microsoft.graph.callRecords.modality), found the string 'audio'",
            ),
        );
        check(
            with("/modalities/0", json!(true)),
            E("$.modalities[0]: expected a member of"),
        );
        check(
            with("/sessions/0/isTest", json!("no")),
            E("$.sessions[0].isTest: expected a JSON boolean"),
        );
        check(
            with("/sessions/0/caller", json!("x")),
            E(
                "$.sessions[0].caller: expected a microsoft.graph.callRecords.endpoint object, found the string 'x'",
            ),
        );
        check(
            with("/sessions", json!({})),
            E("$.sessions: expected a JSON array"),
        );
        check(
            with(&format!("{STREAM}/averageAudioDegradation"), json!("0.5")),
            E("averageAudioDegradation: expected Edm.Single as a JSON number"),
        );
        check(
            with(&format!("{STREAM}/averageAudioDegradation"), json!("NaN")),
            W(&[]),
        );
        check(
            with(&format!("{STREAM}/streamId"), json!(15)),
            E("streams[0].streamId: expected a JSON string, found the number 15"),
        );
        check(
            with("/organizer_v2/identity/user/displayName", json!({})),
            E("$.organizer_v2.identity.user.displayName: expected a JSON string, found an object"),
        );
    }

    #[test]
    fn integer_ranges() {
        let port = "/sessions/0/segments/0/media/0/callerNetwork";
        check(with(port, json!({"port": 2147483647})), W(&[]));
        check(
            with(port, json!({"port": 2147483648i64})),
            E(
                "callerNetwork.port: expected Edm.Int32 (a JSON integer from -2147483648 to 2147483647), found the number 2147483648",
            ),
        );
        check(
            with(port, json!({"port": -2147483649i64})),
            E("expected Edm.Int32"),
        );
        check(with(port, json!({"linkSpeed": 4294967295u32})), W(&[]));
        check(
            with("/version", json!(u64::MAX)),
            E("$.version: expected Edm.Int64"),
        );
        check(
            with("/version", json!("9007199254740993")),
            E(
                "$.version: expected Edm.Int64 (a JSON integer from -9223372036854775808 to 9223372036854775807), found the string '9007199254740993'",
            ),
        );
        check(with("/version", json!(9007199254740993i64)), W(&[]));
    }

    #[test]
    fn instants_durations_dates_guids() {
        check(
            with("/startDateTime", json!("yesterday")),
            E(
                "$.startDateTime: 'yesterday' is not a valid DateTimeOffset (expected e.g. 2023-09-25T09:25:00Z)",
            ),
        );
        check(
            with("/lastModifiedDateTime", json!(1695632400)),
            E(
                "$.lastModifiedDateTime: expected Edm.DateTimeOffset as a JSON string (e.g. 2023-09-25T09:25:00Z), found the number 1695632400",
            ),
        );
        check(
            with("/sessions/0/endDateTime", json!("2023-13-25T09:00:00Z")),
            E("$.sessions[0].endDateTime: '2023-13-25T09:00:00Z' is not a valid DateTimeOffset"),
        );
        check(
            with(&format!("{STREAM}/averageJitter"), json!("abc")),
            E(
                "$.sessions[0].segments[0].media[0].streams[0].averageJitter: 'abc' is not a valid ISO 8601 duration (expected e.g. PT0.016S)",
            ),
        );
        check(
            with(&format!("{STREAM}/averageJitter"), json!(0.016)),
            E("averageJitter: expected Edm.Duration as a JSON string (e.g. PT0.016S)"),
        );
        check(
            with(&format!("{STREAM}/maxJitter"), json!("PT1M2.5S")),
            W(&[]),
        );
        check(
            with("/startDateTime", json!("2023-09-25T11:00:00+02:00")),
            W(&[]),
        );
    }

    #[test]
    fn guid_and_date_primitives() {
        let wrap = |prim: &str, v: Value| {
            let doc = format!(
                r#"<Schema Namespace="t" xmlns="http://docs.oasis-open.org/odata/ns/edm"><ComplexType Name="c"><Property Name="x" Type="{prim}"/></ComplexType></Schema>"#
            );
            let s = Schema::parse(&[&doc]).unwrap();
            validate_in(&s, &json!({"x": v}), "t.c")
                .map(|_| ())
                .map_err(|e| e.to_string())
        };
        assert_eq!(
            wrap("Edm.Guid", json!("dc368399-474c-4d40-900c-6265431fd81f")),
            Ok(())
        );
        assert_eq!(
            wrap("Edm.Guid", json!("DC368399-474C-4D40-900C-6265431FD81F")),
            Ok(())
        );
        let bad = wrap("Edm.Guid", json!("dc368399474c4d40900c6265431fd81f")).unwrap_err();
        assert!(
            bad.starts_with(
                "$.x: 'dc368399474c4d40900c6265431fd81f' is not a valid Guid (expected 8-4-4-4-12"
            ),
            "{bad}"
        );
        assert!(wrap("Edm.Guid", json!("{Subscription id}")).is_err());
        assert_eq!(wrap("Edm.Date", json!("2019-11-01")), Ok(()));
        assert_eq!(
            wrap("Edm.Date", json!("2019-11-31")),
            Err("$.x: '2019-11-31' is not a valid Date (expected e.g. 2019-11-01)".into())
        );
        assert_eq!(
            wrap("Edm.Byte", json!(256)),
            Err(
                "$.x: expected Edm.Byte (a JSON integer from 0 to 255), found the number 256"
                    .into()
            )
        );
        assert_eq!(wrap("Edm.Decimal", json!(12.83)), Ok(()));
        assert_eq!(
            wrap("Edm.Decimal", json!("12.83")),
            Err("$.x: expected Edm.Decimal as a JSON number, found the string '12.83'".into())
        );
        assert_eq!(wrap("Edm.Double", json!("-INF")), Ok(()));
        assert!(wrap("Edm.Double", json!("1e3")).is_err());
        assert_eq!(wrap("Edm.Boolean", json!(null)), Ok(()));
    }

    #[test]
    fn ids() {
        check(
            with("/id/-", Value::Null),
            E("$: the required property 'id' is missing"),
        );
        check(
            with("/id", json!("")),
            E("$.id: '' is not a usable id: it is empty"),
        );
        check(
            with("/id", json!("a b")),
            E("$.id: 'a b' is not a usable id: it contains whitespace"),
        );
        check(with("/id", json!("a\u{7}b")), E("control character"));
        check(
            with("/id", json!("a/b")),
            E("$.id: 'a/b' is not a usable id: it contains '/'"),
        );
        for bad in ["a\\b", "a?b", "a#b", "a%b", "a\"b", "a'b"] {
            check(with("/id", json!(bad)), E("ids appear in URL paths"));
        }
        check(with("/id", json!("x".repeat(256))), W(&[]));
        check(
            with("/id", json!("x".repeat(257))),
            E("it has 257 characters (at most 256 allowed)"),
        );
        check(
            with("/id", json!(7)),
            E("$.id: expected the callRecord id as a non-empty JSON string, found the number 7"),
        );
        check(
            with("/id", json!(null)),
            E("$.id: expected the callRecord id as a non-empty JSON string, found null"),
        );
        check(
            with("/sessions/0/id/-", Value::Null),
            E("$.sessions[0]: the required property 'id' is missing (every session needs"),
        );
        check(
            with("/sessions/0/segments/0/id", json!("g 1")),
            E("$.sessions[0].segments[0].id: 'g 1' is not a usable id"),
        );
        check(
            with("/participants_v2/0/id/-", Value::Null),
            E("$.participants_v2[0]: the required property 'id' is missing (every participant"),
        );
        check(
            with("/organizer_v2/id", json!("o?1")),
            E("$.organizer_v2.id:"),
        );
        check(
            with("/id", json!("e523d2ed-2966-4b6b-925b-754a88034cc5")),
            W(&[]),
        );
        check(
            with("/participants_v2/0/id", json!("+5564981205182")),
            W(&[]),
        );
    }

    #[test]
    fn required_times() {
        check(
            with("/startDateTime/-", Value::Null),
            E(
                "$: the required property 'startDateTime' is missing or null (a callRecord needs startDateTime and endDateTime: the store indexes records by them)",
            ),
        );
        check(
            with("/endDateTime/-", Value::Null),
            E("the required property 'endDateTime'"),
        );
        check(
            with("/endDateTime", Value::Null),
            E("the required property 'endDateTime' is missing or null"),
        );
        // Sessions and segments need no times: only the record's are indexed.
        check(
            with("/sessions/0/segments/0/startDateTime/-", Value::Null),
            W(&[]),
        );
    }

    #[test]
    fn odata_type() {
        let caller = "/sessions/0/caller/@odata.type";
        check(
            with(
                caller,
                json!("microsoft.graph.callRecords.participantEndpoint"),
            ),
            W(&[]),
        );
        check(
            with(
                caller,
                json!("#microsoft.graph.callRecords.serviceEndpoint"),
            ),
            W(&[]),
        );
        check(
            with(caller, json!("#microsoft.graph.callRecords.endpoint")),
            W(&[]),
        );
        check(
            with(
                caller,
                json!("#Microsoft.Graph.CallRecords.participantEndpoint"),
            ),
            W(&[]),
        );
        check(
            with(caller, json!("#microsoft.graph.callRecords.nothing")),
            E(
                "$.sessions[0].caller['@odata.type']: '#microsoft.graph.callRecords.nothing' is not a known type (allowed: microsoft.graph.callRecords.endpoint, microsoft.graph.callRecords.participantEndpoint, microsoft.graph.callRecords.serviceEndpoint)",
            ),
        );
        check(
            with(caller, json!("#microsoft.graph.callRecords.session")),
            E(
                "'#microsoft.graph.callRecords.session' is not microsoft.graph.callRecords.endpoint or a type derived from it (allowed: microsoft.graph.callRecords.endpoint, microsoft.graph.callRecords.participantEndpoint, microsoft.graph.callRecords.serviceEndpoint)",
            ),
        );
        check(
            with(caller, json!(3)),
            E(
                "caller['@odata.type']: expected the name of a type as a JSON string, found the number 3",
            ),
        );
        check(
            with("/@odata.type", json!("#Microsoft.Graph.callRecord")),
            W(&[]),
        );
        check(
            with(
                "/@odata.type",
                json!("#microsoft.graph.callRecords.callRecord"),
            ),
            W(&[]),
        );
        check(
            with("/@odata.type", json!("#microsoft.graph.entity")),
            E(
                "is not microsoft.graph.callRecords.callRecord or a type derived from it (allowed: microsoft.graph.callRecords.callRecord)",
            ),
        );
        // userAgent is abstract: without @odata.type its value is read as userAgent, so platform is unknown.
        check(
            with(
                "/sessions/0/caller/userAgent",
                json!({"headerValue": "x", "platform": "windows"}),
            ),
            W(&[
                "$.sessions[0].caller.userAgent.platform: unknown property 'platform' (not declared by microsoft.graph.callRecords.userAgent; kept)",
            ]),
        );
        // The derived type's own properties are validated.
        check(
            with("/sessions/0/caller/userAgent/platform", json!(1)),
            E(
                "$.sessions[0].caller.userAgent.platform: expected a member of microsoft.graph.callRecords.clientPlatform",
            ),
        );
        check(
            with(
                "/sessions/0/caller",
                json!({"@odata.type": "#microsoft.graph.callRecords.participantEndpoint", "cpuCoresCount": "8"}),
            ),
            E("$.sessions[0].caller.cpuCoresCount: expected Edm.Int32"),
        );
        check(
            with(
                "/sessions/0/caller",
                json!({"@odata.type": "#microsoft.graph.callRecords.serviceEndpoint", "cpuCoresCount": "8"}),
            ),
            W(&[
                "caller.cpuCoresCount: unknown property 'cpuCoresCount' (not declared by microsoft.graph.callRecords.serviceEndpoint; kept)",
            ]),
        );
    }

    #[test]
    fn enums() {
        check(with("/type", json!("someNewCallType")), W(&[]));
        check(with("/modalities", json!(["audio", "hologram"])), W(&[]));
        let report = validate_call_record(&with(
            "/sessions/0/caller/userAgent/productFamily",
            json!("azureCommunicationServices"),
        ))
        .unwrap();
        assert!(report.has_evolvable_enum_members);
        assert!(report.warnings.is_empty());
        assert!(
            !validate_call_record(&record())
                .unwrap()
                .has_evolvable_enum_members
        );
    }

    #[test]
    fn annotations_and_unknown_properties() {
        let mut r = record();
        let obj = r.as_object_mut().unwrap();
        obj.insert("@odata.context".into(), json!(42));
        obj.insert("sessions@odata.nextLink".into(), json!("https://x"));
        obj.insert("organizer_v2@odata.context".into(), json!({}));
        check(r, W(&[]));
        check(
            with("/sessions/0/segments/0/media/0/newMetric", json!({"a": 1})),
            W(&[
                "$.sessions[0].segments[0].media[0].newMetric: unknown property 'newMetric' (not declared by microsoft.graph.callRecords.media; kept)",
            ]),
        );
        check(
            with("/sessions/0/feedback tokens", json!(1)),
            W(&["$.sessions[0]['feedback tokens']: unknown property"]),
        );
        // Unknown properties are kept and not looked into.
        let v = with("/extra", json!({"id": "a/b", "startDateTime": "nonsense"}));
        check(v.clone(), W(&["$.extra: unknown property 'extra'"]));
        assert_eq!(v["extra"]["id"], "a/b");
    }

    #[test]
    fn nulls() {
        check(with("/organizer_v2/identity", Value::Null), W(&[]));
        check(with("/sessions/0/isTest", Value::Null), W(&[]));
        check(
            with("/version", Value::Null),
            W(&[
                "$.version: null for 'version', which the schema declares non-nullable (Edm.Int64); kept",
            ]),
        );
        check(
            with("/modalities/0", Value::Null),
            W(&["$.modalities[0]: null for 'modalities', which the schema declares non-nullable"]),
        );
        check(
            with(&format!("{STREAM}/streamDirection"), Value::Null),
            W(&["streams[0].streamDirection: null for 'streamDirection'"]),
        );
        check(with("/sessions", Value::Null), W(&[]));
    }

    #[test]
    fn time_warnings() {
        check(
            with("/endDateTime", json!("2023-09-25T08:00:00Z")),
            W(&[
                "$.sessions[0]: this session (2023-09-25T09:00:00Z to 2023-09-25T09:30:00Z) lies outside its callRecord's time span (2023-09-25T09:00:00Z to 2023-09-25T08:00:00Z)",
                "$: this callRecord ends before it starts: endDateTime 2023-09-25T08:00:00Z is before startDateTime 2023-09-25T09:00:00Z",
            ]),
        );
        check(
            with(
                "/sessions/0/segments/0/endDateTime",
                json!("2023-09-25T08:59:00Z"),
            ),
            W(&[
                "$.sessions[0].segments[0]: this segment ends before it starts: endDateTime 2023-09-25T08:59:00Z is before startDateTime 2023-09-25T09:00:00Z",
            ]),
        );
        check(
            with(
                &format!("{STREAM}/endDateTime"),
                json!("2023-09-25T08:59:00Z"),
            ),
            W(&["streams[0]: this mediaStream ends before it starts"]),
        );
        check(
            with(
                "/sessions/0/segments/0/endDateTime",
                json!("2023-09-25T09:31:00Z"),
            ),
            W(&[
                "$.sessions[0].segments[0]: this segment (2023-09-25T09:00:00Z to 2023-09-25T09:31:00Z) lies outside its session's time span (2023-09-25T09:00:00Z to 2023-09-25T09:30:00Z)",
            ]),
        );
        check(
            with("/sessions/0/startDateTime", json!("2023-09-25T08:59:59.5Z")),
            W(&[
                "$.sessions[0]: this session (2023-09-25T08:59:59.5Z to 2023-09-25T09:30:00Z) lies outside its callRecord's time span",
            ]),
        );
        // The session's span is read before its segments even when its keys come last.
        let mut r = record();
        let session = r
            .pointer_mut("/sessions/0")
            .unwrap()
            .as_object_mut()
            .unwrap();
        let start = session.shift_remove("startDateTime").unwrap();
        session.insert("startDateTime".into(), start);
        *r.pointer_mut("/sessions/0/segments/0/startDateTime")
            .unwrap() = json!("2023-09-25T08:00:00Z");
        check(r, W(&["lies outside its session's time span"]));
    }

    #[test]
    fn empty_streams() {
        check(
            with("/sessions/0/segments/0/media/0/streams", json!([])),
            W(&[
                "$.sessions[0].segments[0].media[0].streams: this media has an empty streams array",
            ]),
        );
        check(
            with("/sessions/0/segments/0/media/0/streams/-", Value::Null),
            W(&[]),
        );
    }

    #[test]
    fn validate_as_other_types() {
        let session = record()["sessions"][0].clone();
        assert_eq!(
            validate_as(&session, "microsoft.graph.callRecords.session"),
            Ok(Report::default())
        );
        let e =
            validate_as(&json!({"id": "x"}), "microsoft.graph.callRecords.nothing").unwrap_err();
        assert_eq!(
            e.to_string(),
            "$: 'microsoft.graph.callRecords.nothing' is not an entity or complex type of the schema"
        );
        let row = json!({"id": "9c4984c7", "duration": "long", "startDateTime": "2019-11-01T00:00:08.2589935Z"});
        let e = validate_as(&row, "microsoft.graph.callRecords.pstnCallLogRow").unwrap_err();
        assert_eq!(e.path, "$.duration");
        // Complex types need no id.
        assert!(validate_as(&json!({}), "microsoft.graph.callRecords.pstnCallLogRow").is_ok());
    }

    #[test]
    fn masking() {
        let family = "/sessions/0/caller/userAgent/productFamily";
        let mut r = with(family, json!("azureCommunicationServices"));
        mask_evolvable_enum_members(&mut r, CALL_RECORD);
        assert_eq!(r.pointer(family).unwrap(), "unknownFutureValue");
        let mut expected = record();
        *expected.pointer_mut(family).unwrap() = json!("unknownFutureValue");
        assert_eq!(r, expected, "nothing else changes");

        // Non-evolvable and unknown members are left alone.
        let mut r = with(family, json!("teams"));
        mask_evolvable_enum_members(&mut r, CALL_RECORD);
        assert_eq!(r, record());

        // Pieces: a session, a segments array, a lone endpoint.
        let acs = json!({
            "@odata.type": "#microsoft.graph.callRecords.participantEndpoint",
            "userAgent": {"@odata.type": "#microsoft.graph.callRecords.clientUserAgent", "productFamily": "azureCommunicationServices"}
        });
        let mut session = json!({"id": "s", "callee": acs.clone(), "segments": [{"id": "g", "caller": acs.clone()}]});
        mask_evolvable_enum_members(&mut session, "microsoft.graph.callRecords.session");
        assert_eq!(
            session["callee"]["userAgent"]["productFamily"],
            "unknownFutureValue"
        );
        assert_eq!(
            session["segments"][0]["caller"]["userAgent"]["productFamily"],
            "unknownFutureValue"
        );
        let mut segments =
            json!([{"id": "g", "callee": acs.clone()}, {"id": "h", "caller": acs.clone()}]);
        mask_evolvable_enum_members(&mut segments, "microsoft.graph.callRecords.segment");
        assert_eq!(
            segments[0]["callee"]["userAgent"]["productFamily"],
            "unknownFutureValue"
        );
        assert_eq!(
            segments[1]["caller"]["userAgent"]["productFamily"],
            "unknownFutureValue"
        );

        // Without @odata.type the abstract userAgent declares no productFamily, so there is nothing to mask.
        let mut plain = json!({"userAgent": {"productFamily": "azureCommunicationServices"}});
        mask_evolvable_enum_members(&mut plain, "microsoft.graph.callRecords.endpoint");
        assert_eq!(
            plain["userAgent"]["productFamily"],
            "azureCommunicationServices"
        );

        // An unknown type name is a no-op.
        let mut other = acs.clone();
        mask_evolvable_enum_members(&mut other, "microsoft.graph.callRecords.nothing");
        assert_eq!(other, acs);
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    /// JSON made of the names and literals the schema cares about, so that random values often reach
    /// deep into the record's structure.
    fn json_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::from),
            (-1e6f64..1e6).prop_map(Value::from),
            prop::sample::select(vec![
                "azureCommunicationServices",
                "teams",
                "unknownFutureValue",
                "PT0.016S",
                "2023-09-25T09:00:00Z",
                "#microsoft.graph.callRecords.clientUserAgent",
                "#microsoft.graph.callRecords.participantEndpoint",
                "#microsoft.graph.callRecords.session",
                "a/b",
                "",
                "x",
            ])
            .prop_map(Value::from),
        ];
        let keys = prop::sample::select(vec![
            "id",
            "@odata.type",
            "caller",
            "userAgent",
            "productFamily",
            "platform",
            "segments",
            "media",
            "streams",
            "startDateTime",
            "endDateTime",
            "averageJitter",
            "modalities",
            "port",
            "other",
        ]);
        leaf.prop_recursive(5, 64, 6, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                prop::collection::vec((keys.clone(), inner), 0..6).prop_map(|kv| Value::Object(
                    kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()
                )),
            ]
        })
    }

    /// A session whose endpoints' product families vary, with a few members replaced by random JSON.
    fn session() -> impl Strategy<Value = Value> {
        let family = || {
            prop::sample::select(vec![
                "teams",
                "azureCommunicationServices",
                "lync",
                "brandNew",
            ])
        };
        let pointers = prop::sample::select(vec![
            "/id",
            "/caller/@odata.type",
            "/caller/userAgent",
            "/caller/userAgent/@odata.type",
            "/caller/userAgent/productFamily",
            "/callee",
            "/segments/0/id",
            "/segments/0/caller",
            "/segments/0/media/0/streams",
            "/segments/0/media/0/streams/0/averageJitter",
            "/segments/0/endDateTime",
            "/modalities/0",
            "/extra",
        ]);
        let mutations = prop::collection::vec((pointers, json_value()), 0..3);
        (family(), family(), mutations).prop_map(|(first, second, mutations)| {
            let endpoint = |family: &str| {
                serde_json::json!({
                    "@odata.type": "#microsoft.graph.callRecords.participantEndpoint",
                    "userAgent": {
                        "@odata.type": "#microsoft.graph.callRecords.clientUserAgent",
                        "platform": "web",
                        "productFamily": family
                    }
                })
            };
            let mut v = serde_json::json!({
                "id": "s",
                "modalities": ["audio"],
                "startDateTime": "2023-09-25T09:00:00Z",
                "endDateTime": "2023-09-25T09:30:00Z",
                "caller": endpoint(first),
                "callee": endpoint("teams"),
                "segments": [{
                    "id": "g",
                    "startDateTime": "2023-09-25T09:00:00Z",
                    "endDateTime": "2023-09-25T09:10:00Z",
                    "caller": endpoint(second),
                    "media": [{"streams": [{"averageJitter": "PT0.016S"}]}]
                }]
            });
            for (pointer, value) in mutations {
                let (parent, key) = pointer.rsplit_once('/').expect("pointers start with /");
                match v.pointer_mut(parent) {
                    Some(Value::Object(m)) => {
                        m.insert(key.to_owned(), value);
                    }
                    Some(Value::Array(a)) => {
                        if let Some(slot) = key.parse::<usize>().ok().and_then(|i| a.get_mut(i)) {
                            *slot = value;
                        }
                    }
                    _ => {}
                }
            }
            v
        })
    }

    proptest! {
        /// Whatever a session looks like, validation answers without panicking, and masking an accepted
        /// session leaves a session that is still accepted and holds no evolvable member.
        #[test]
        fn masking_an_accepted_value_keeps_it_valid(v in prop_oneof![json_value(), session()]) {
            let session = "microsoft.graph.callRecords.session";
            if let Ok(report) = validate_as(&v, session) {
                let mut masked = v.clone();
                mask_evolvable_enum_members(&mut masked, session);
                let after = validate_as(&masked, session);
                prop_assert!(after.is_ok(), "{after:?}");
                prop_assert!(!after.unwrap().has_evolvable_enum_members);
                prop_assert_eq!(masked == v, !report.has_evolvable_enum_members);
            }
        }
    }
}
