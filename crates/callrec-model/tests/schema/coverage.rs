//! Holds the Rust model to the CSDL: every type has a Rust type, every property is written under its CSDL
//! name with the JSON kind of its Edm type, and every enum member reads and writes back as itself.
//!
//! The check works on JSON only: it takes the model's fully populated sample of each type
//! ([`callrec_model::types::sample_json`]), so a property missing from a struct, misspelt, or of the wrong Rust
//! type shows up as a missing key or a value of the wrong kind.

use callrec_model::edm::{parse_date_time_offset, parse_duration};
use callrec_model::types;
use serde_json::Value;

use crate::csdl::{Schema, TypeRef};

#[derive(Debug, Default)]
pub struct Coverage {
    pub types: (usize, usize),
    pub properties: (usize, usize),
    pub members: (usize, usize),
    pub failures: Vec<String>,
}

impl Coverage {
    pub fn summary(&self) -> String {
        let done = self.types.0 + self.properties.0 + self.members.0;
        let all = self.types.1 + self.properties.1 + self.members.1;
        let percent = if all == 0 {
            0.0
        } else {
            100.0 * done as f64 / all as f64
        };
        format!(
            "schema coverage: types {}/{}, properties {}/{}, enum members {}/{} ({})",
            self.types.0,
            self.types.1,
            self.properties.0,
            self.properties.1,
            self.members.0,
            self.members.1,
            if done == all {
                "100%".to_owned()
            } else {
                format!("{percent:.1}%")
            }
        )
    }
}

pub fn check(schema: &Schema) -> Coverage {
    let mut c = Coverage::default();

    let own: usize = schema.structs.values().map(|t| t.own.len()).sum();
    if own != schema.raw_property_count {
        c.failures.push(format!(
            "the CSDL reader kept {own} properties but the files declare {} for the included types",
            schema.raw_property_count
        ));
    }

    for q in schema.structs.keys() {
        let props = schema.all_properties(q);
        c.types.1 += 1;
        c.properties.1 += props.len();
        let Some(sample) = types::sample_json(q) else {
            c.failures.push(format!("{q}: no Rust type"));
            continue;
        };
        let mut type_ok = true;
        let mut header = Vec::new();
        // A type derived from some property's type is sampled as in that property, with its @odata.type.
        let wants_type = schema.polymorphic_ancestor(q).is_some();
        check_object_shape(schema, q, &sample, q, wants_type, &mut header);
        type_ok &= header.is_empty();
        c.failures.extend(header);
        for p in &props {
            let path = format!("{q}/{}", p.name);
            let mut errors = Vec::new();
            match sample.get(&p.name) {
                None => errors.push(format!("{path}: missing from the Rust model")),
                Some(v) => check_value(schema, &p.ty, v, &path, &mut errors),
            }
            if errors.is_empty() {
                c.properties.0 += 1;
            } else {
                type_ok = false;
                c.failures.extend(errors);
            }
        }
        match types::reread(q, sample.clone()) {
            None => {
                type_ok = false;
                c.failures.push(format!("{q}: cannot be read"));
            }
            Some(Err(e)) => {
                type_ok = false;
                c.failures
                    .push(format!("{q}: its sample does not read back: {e}"));
            }
            Some(Ok(r)) => {
                if r.json != sample {
                    type_ok = false;
                    c.failures.push(format!(
                        "{q}: its sample is written back differently: {} vs {}",
                        r.json, sample
                    ));
                }
                if r.type_name != q {
                    type_ok = false;
                    c.failures
                        .push(format!("{q}: its sample reads back as {}", r.type_name));
                }
                if !r.undeclared.is_empty() {
                    type_ok = false;
                    c.failures.push(format!(
                        "{q}: reading its sample left {:?} undeclared",
                        r.undeclared
                    ));
                }
            }
        }
        if type_ok {
            c.types.0 += 1;
        }
    }

    for (q, e) in &schema.enums {
        c.types.1 += 1;
        c.members.1 += e.members.len();
        let mut type_ok = true;
        for m in &e.members {
            match types::enum_round_trip(q, m) {
                Some(Ok((true, Value::String(back)))) if back == *m => c.members.0 += 1,
                other => {
                    type_ok = false;
                    c.failures.push(format!(
                        "{q}/{m}: does not round-trip as a declared member: {other:?}"
                    ));
                }
            }
        }
        // The unknownFutureValue rule: a member added later reads without error and is written back.
        let future = "someMemberAddedLater";
        match types::enum_round_trip(q, future) {
            Some(Ok((false, Value::String(back)))) if back == future => {}
            other => {
                type_ok = false;
                c.failures.push(format!(
                    "{q}: an undeclared member does not round-trip: {other:?}"
                ));
            }
        }
        if type_ok {
            c.types.0 += 1;
        }
    }
    c
}

/// Checks a JSON value against a CSDL type reference.
fn check_value(schema: &Schema, ty: &TypeRef, v: &Value, path: &str, errors: &mut Vec<String>) {
    let mut expect = |ok: bool, what: &str| {
        if !ok {
            errors.push(format!("{path}: expected {what}, the model writes {v}"));
        }
    };
    match ty {
        TypeRef::Collection(inner) => match v.as_array() {
            Some(items) if !items.is_empty() => {
                for (i, item) in items.iter().enumerate() {
                    check_value(schema, inner, item, &format!("{path}[{i}]"), errors);
                }
            }
            _ => expect(false, "a non-empty array"),
        },
        TypeRef::Primitive(p) => match p.as_str() {
            "Edm.String" => expect(v.is_string(), "a string"),
            "Edm.Guid" => expect(v.as_str().is_some_and(is_guid), "a Guid string"),
            "Edm.DateTimeOffset" => expect(
                v.as_str()
                    .is_some_and(|s| parse_date_time_offset(s).is_ok()),
                "a DateTimeOffset string",
            ),
            "Edm.Duration" => expect(
                v.as_str().is_some_and(|s| parse_duration(s).is_ok()),
                "a Duration string",
            ),
            "Edm.Boolean" => expect(v.is_boolean(), "a boolean"),
            "Edm.Int32" => expect(
                v.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
                "a 32-bit integer",
            ),
            // The sample of an Int64 lies outside the 32-bit range, so a 32-bit field would not produce it.
            "Edm.Int64" => expect(
                v.as_i64().is_some_and(|n| i32::try_from(n).is_err()),
                "a 64-bit integer",
            ),
            "Edm.Single" | "Edm.Double" | "Edm.Decimal" => expect(v.is_number(), "a number"),
            other => expect(
                false,
                &format!("a value of {other}, which the check does not know"),
            ),
        },
        TypeRef::Named(q) => {
            if let Some(e) = schema.enums.get(q) {
                expect(
                    v.as_str().is_some_and(|s| e.members.iter().any(|m| m == s)),
                    &format!("a member of {q}"),
                );
            } else if schema.structs.contains_key(q) {
                // Samples fill a slot with a value of its declared type, which needs no @odata.type.
                check_object_shape(schema, q, v, path, false, errors);
                if let Some(object) = v.as_object() {
                    for p in schema.all_properties(q) {
                        match object.get(&p.name) {
                            None => errors
                                .push(format!("{path}/{}: missing from the Rust model", p.name)),
                            Some(pv) => check_value(
                                schema,
                                &p.ty,
                                pv,
                                &format!("{path}/{}", p.name),
                                errors,
                            ),
                        }
                    }
                }
            } else {
                expect(
                    false,
                    &format!("a value of {q}, which the schema does not declare"),
                );
            }
        }
    }
}

/// Checks that `v` is an object of type `actual` with no key beyond its declared properties, and with
/// `@odata.type` naming it exactly when `wants_type`.
fn check_object_shape(
    schema: &Schema,
    actual: &str,
    v: &Value,
    path: &str,
    wants_type: bool,
    errors: &mut Vec<String>,
) {
    let Some(object) = v.as_object() else {
        errors.push(format!(
            "{path}: expected an object of {actual}, the model writes {v}"
        ));
        return;
    };
    let names: Vec<String> = schema
        .all_properties(actual)
        .into_iter()
        .map(|p| p.name)
        .collect();
    for key in object.keys() {
        if key != "@odata.type" && !names.contains(key) {
            errors.push(format!(
                "{path}: the model writes `{key}`, which {actual} does not declare"
            ));
        }
    }
    match object.get("@odata.type") {
        Some(Value::String(t)) if wants_type && *t == format!("#{actual}") => {}
        None if !wants_type => {}
        other => errors.push(format!(
            "{path}: @odata.type is {other:?}, expected {}",
            if wants_type {
                format!("#{actual}")
            } else {
                "none".to_owned()
            }
        )),
    }
}

fn is_guid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.chars().all(|c| c.is_ascii_hexdigit()))
}
