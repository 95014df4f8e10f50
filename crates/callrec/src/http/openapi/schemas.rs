//! The `components/schemas` of the OpenAPI document, generated from the CSDL model at runtime.
//!
//! The CSDL is the authority on what a callRecord may hold (see `callrec_model::schema`), so the JSON
//! schemas are derived from it rather than written by hand: a property added to the CSDL appears in the
//! document without anyone touching this file. Schemas are named by the qualified CSDL name
//! (`microsoft.graph.callRecords.callRecord`), as Graph's own OpenAPI description names them.

use std::collections::{BTreeSet, VecDeque};

use callrec_model::schema::{
    EdmPrimitive, EnumType, Property, Schema, StructuredType, TypeKind, TypeTarget,
};
use serde_json::{Map, Value, json};

/// The namespace whose every type the document describes.
pub const CALL_RECORDS_NAMESPACE: &str = "microsoft.graph.callRecords";

/// Graph's pattern for `Edm.Duration` (ISO 8601, days at most: `PT0.016S`, `P1DT2H`).
pub const DURATION_PATTERN: &str = r"^-?P([0-9]+D)?(T([0-9]+H)?([0-9]+M)?([0-9]+([.][0-9]+)?S)?)?$";

/// The ids callrec stores and accepts in paths (`callrec_model::validate::id_problem`): 1 to 256 characters,
/// none of them whitespace, a control character or a URL delimiter, because ids appear in URL paths.
/// The whitespace and control characters are spelled out so that every regex dialect reads them alike.
pub const USABLE_ID_PATTERN: &str = r#"^[^\u0000-\u0020\u007F-\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000/\\?#%"']{1,256}$"#;

/// Graph's pattern for `Edm.Guid`.
const GUID_PATTERN: &str =
    "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

/// A reference to a schema of `components/schemas`.
pub fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// The types a callRecord can hold: every type of the callRecords namespace, the `microsoft.graph` types they
/// reach through properties and base types, and the types derived from reached complex types (an
/// `identity` value may be a `communicationsUserIdentity`). Derived entity types are not followed, so
/// `microsoft.graph.entity` does not pull in unrelated Graph entities.
pub struct DescribedTypes<'s> {
    model: Model<'s>,
    pub structured: Vec<&'s StructuredType>,
    pub enums: Vec<&'s EnumType>,
}

/// A schema and the prefix its types' component names carry: `/beta` serves some types in another shape
/// than `/v1.0` under the same CSDL name, so those get components of their own (`beta.<name>`).
#[derive(Clone, Copy)]
struct Model<'s> {
    schema: &'s Schema,
    prefix: &'static str,
}

impl Model<'_> {
    fn reference(&self, name: &str) -> Value {
        schema_ref(&format!("{}{name}", self.prefix))
    }
}

impl<'s> DescribedTypes<'s> {
    /// The callRecords types of the v1.0 schema, the types they reach, and the types of `extra_roots` with
    /// theirs, named by their qualified names.
    pub fn of(schema: &'s Schema, extra_roots: &[&str]) -> Self {
        let roots = schema
            .structured_types()
            .filter(|t| t.namespace() == CALL_RECORDS_NAMESPACE)
            .chain(extra_roots.iter().filter_map(|r| schema.structured_type(r)))
            .collect();
        let enums = schema
            .enum_types()
            .filter(|e| namespace_of(&e.name) == CALL_RECORDS_NAMESPACE)
            .map(|e| e.name.clone())
            .collect();
        Self::reached_from(schema, "", roots, enums)
    }

    /// The types `roots` (qualified names) reach in `schema`, named `{prefix}{qualified name}`.
    pub fn with_prefix(schema: &'s Schema, prefix: &'static str, roots: &[&str]) -> Self {
        let roots = roots
            .iter()
            .filter_map(|r| schema.structured_type(r))
            .collect();
        Self::reached_from(schema, prefix, roots, BTreeSet::new())
    }

    fn reached_from(
        schema: &'s Schema,
        prefix: &'static str,
        roots: Vec<&'s StructuredType>,
        mut enum_names: BTreeSet<String>,
    ) -> Self {
        let mut structured_names = BTreeSet::new();
        let mut queue: VecDeque<&StructuredType> = roots.into();
        while let Some(t) = queue.pop_front() {
            if !structured_names.insert(t.name.clone()) {
                continue;
            }
            let mut reached: Vec<&StructuredType> = Vec::new();
            if let Some(base) = t
                .base_type
                .as_deref()
                .and_then(|b| schema.structured_type(b))
            {
                reached.push(base);
            }
            if t.kind == TypeKind::Complex {
                reached.extend(schema.derived_types(&t.name));
            }
            for p in t.all_properties() {
                match &p.type_ref.target {
                    TypeTarget::Enum(name) => {
                        if let Some(e) = schema.enum_type(name) {
                            enum_names.insert(e.name.clone());
                        }
                    }
                    TypeTarget::Structured(name) => reached.extend(schema.structured_type(name)),
                    TypeTarget::Primitive(_) => {}
                }
            }
            queue.extend(
                reached
                    .into_iter()
                    .filter(|r| !structured_names.contains(&r.name)),
            );
        }
        DescribedTypes {
            model: Model { schema, prefix },
            structured: schema
                .structured_types()
                .filter(|t| structured_names.contains(&t.name))
                .collect(),
            enums: schema
                .enum_types()
                .filter(|e| enum_names.contains(&e.name))
                .collect(),
        }
    }

    /// Adds one schema per described type to `components/schemas`.
    pub fn write(&self, out: &mut Map<String, Value>) {
        let prefix = self.model.prefix;
        for t in &self.structured {
            out.insert(
                format!("{prefix}{}", t.name),
                structured_schema(self.model, t),
            );
        }
        for e in &self.enums {
            out.insert(format!("{prefix}{}", e.name), enum_schema(e));
        }
    }
}

fn namespace_of(qualified: &str) -> &str {
    qualified.rsplit_once('.').map_or("", |(ns, _)| ns)
}

fn simple_name(qualified: &str) -> &str {
    qualified.rsplit_once('.').map_or(qualified, |(_, n)| n)
}

fn structured_schema(model: Model<'_>, t: &StructuredType) -> Value {
    let schema = model.schema;
    let mut properties = Map::new();
    let odata_type = match &t.base_type {
        None => json!({
            "type": "string",
            "description": "The type of the value (`#namespace.name`) when it is a derived type; Graph writes it on polymorphic values.",
        }),
        Some(_) => json!({
            "type": "string",
            "description": format!("`#{}` names this type on the wire.", t.name),
            "example": format!("#{}", t.name),
        }),
    };
    properties.insert("@odata.type".to_owned(), odata_type);
    for p in t.properties.iter().chain(&t.navigation_properties) {
        let mut s = property_schema(model, p);
        if t.kind == TypeKind::Entity && t.key() == [p.name.as_str()] && s["type"] == "string" {
            s["pattern"] = json!(USABLE_ID_PATTERN);
            s["description"] =
                json!("The key; callrec stores only ids that can appear in a URL path.");
        }
        properties.insert(p.name.clone(), s);
        if p.navigation {
            properties.insert(
                format!("{}@odata.context", p.name),
                json!({
                    "type": "string",
                    "readOnly": true,
                    "description": format!("The context URL of `{}`, written beside it.", p.name),
                }),
            );
            if p.type_ref.collection {
                properties.insert(
                    format!("{}@odata.nextLink", p.name),
                    json!({
                        "type": "string",
                        "readOnly": true,
                        "description": format!(
                            "The URL of the next page of `{}` when the expanded collection was cut at its page size.",
                            p.name
                        ),
                    }),
                );
            }
        }
    }
    let mut own = Map::new();
    own.insert("type".to_owned(), json!("object"));
    own.insert("properties".to_owned(), Value::Object(properties));
    if t.is_open {
        own.insert("additionalProperties".to_owned(), json!(true));
    }
    let description = type_description(schema, t);
    match &t.base_type {
        None => {
            let mut s = Map::new();
            s.insert("title".to_owned(), json!(t.simple_name()));
            s.insert("description".to_owned(), json!(description));
            s.extend(own);
            Value::Object(s)
        }
        Some(base) => {
            let base = schema
                .structured_type(base)
                .map_or(base.as_str(), |b| b.name.as_str());
            json!({
                "title": t.simple_name(),
                "description": description,
                "allOf": [model.reference(base), Value::Object(own)],
            })
        }
    }
}

fn type_description(schema: &Schema, t: &StructuredType) -> String {
    let kind = match t.kind {
        TypeKind::Entity => "Entity type",
        TypeKind::Complex => "Complex type",
    };
    let mut text = format!("{kind} `{}`", t.name);
    if t.is_abstract {
        text.push_str(" (abstract: values are always of a derived type)");
    }
    text.push('.');
    if !t.key().is_empty() {
        text.push_str(&format!(" Key: `{}`.", t.key().join("`, `")));
    }
    if t.is_open {
        text.push_str(" Open type: properties not declared here may appear.");
    }
    let derived = schema.derived_types(&t.name);
    if !derived.is_empty() && t.kind == TypeKind::Complex {
        let names: Vec<String> = derived.iter().map(|d| format!("`#{}`", d.name)).collect();
        text.push_str(&format!(
            " A value may be of a derived type, named by `@odata.type`: {}.",
            names.join(", ")
        ));
    }
    text
}

/// The constraints the validator adds to a request body of type `type_name` beyond its schema: every
/// contained entity (through navigation properties, recursively) needs its key. The caller adds what the
/// top-level entity needs.
pub fn request_overlay(schema: &Schema, type_name: &str) -> Value {
    let mut properties = Map::new();
    if let Some(t) = schema.structured_type(type_name) {
        for p in t
            .all_properties()
            .iter()
            .filter(|p| p.navigation && p.contains_target)
        {
            let Some(target) = schema.structured_type(p.type_ref.target_name()) else {
                continue;
            };
            let mut inner = request_overlay(schema, &target.name);
            inner["required"] = json!(target.key());
            let inner = if p.type_ref.collection {
                json!({ "items": inner })
            } else {
                inner
            };
            properties.insert(p.name.clone(), inner);
        }
    }
    // No `type`: a contained single entity may be null, and `required` applies to objects only.
    json!({ "properties": properties })
}

fn enum_schema(e: &EnumType) -> Value {
    let members: Vec<&str> = e.members.iter().map(|m| m.name.as_str()).collect();
    let mut description = format!("Members of `{}`.", e.name);
    let evolvable: Vec<String> = e
        .evolvable_members()
        .iter()
        .map(|m| format!("`{}`", m.name))
        .collect();
    if !evolvable.is_empty() {
        description.push_str(&format!(
            " The members after `unknownFutureValue` ({}) are sent only to clients that ask with \
             `Prefer: include-unknown-enum-members`; others get `unknownFutureValue` in their place.",
            evolvable.join(", ")
        ));
    }
    description.push_str(
        " Records are stored as they were received, so a member Graph adds later can appear although it is not listed here.",
    );
    if e.is_flags {
        description.push_str(" A flags enum: a value is a comma-separated list of members.");
        return json!({ "title": simple_name(&e.name), "type": "string", "description": description });
    }
    json!({ "title": simple_name(&e.name), "type": "string", "description": description, "enum": members })
}

/// The schema of one property: its type, `nullable` from the CSDL, and an array for a collection (whose
/// `Nullable` speaks of the items; the array itself is always written). Navigation properties follow the
/// same rule as the validator: without the attribute their items are nullable, and a null item sent is
/// kept and served.
fn property_schema(model: Model<'_>, p: &Property) -> Value {
    let mut single = target_schema(model, &p.type_ref.target);
    if p.nullable {
        single = nullable(single);
    }
    let mut s = if p.type_ref.collection {
        json!({ "type": "array", "items": single })
    } else {
        single
    };
    if p.navigation
        && let Value::Object(map) = &mut s
        && !map.contains_key("$ref")
    {
        map.insert(
            "description".to_owned(),
            json!(format!(
                "Contained navigation property (`{}`): its entities also have URLs of their own, and a response carries it when it is expanded (see each operation).",
                p.type_ref
            )),
        );
    }
    s
}

/// Makes a schema admit `null` the OpenAPI 3.0 way: `nullable` beside a `type`, and for a reference (whose
/// siblings 3.0 ignores) an `anyOf` with a nullable object, as Graph's own description does.
fn nullable(schema: Value) -> Value {
    match schema {
        Value::Object(mut map) if map.contains_key("type") => {
            map.insert("nullable".to_owned(), json!(true));
            Value::Object(map)
        }
        Value::Object(mut map) if map.contains_key("anyOf") => {
            if let Some(Value::Array(alternatives)) = map.get_mut("anyOf")
                && let Some(Value::Object(first)) = alternatives.first_mut()
            {
                first.insert("nullable".to_owned(), json!(true));
            }
            Value::Object(map)
        }
        other => json!({ "anyOf": [other, { "type": "object", "nullable": true }] }),
    }
}

fn target_schema(model: Model<'_>, target: &TypeTarget) -> Value {
    let schema = model.schema;
    match target {
        TypeTarget::Primitive(p) => primitive_schema(*p),
        TypeTarget::Enum(name) => model.reference(
            schema
                .enum_type(name)
                .map_or(name.as_str(), |e| e.name.as_str()),
        ),
        TypeTarget::Structured(name) => match schema.structured_type(name) {
            Some(t) => model.reference(&t.name),
            None => {
                json!({ "type": "object", "additionalProperties": true, "description": format!("`{name}`") })
            }
        },
    }
}

/// The JSON form of an `Edm` primitive, as OData JSON writes it.
pub fn primitive_schema(p: EdmPrimitive) -> Value {
    let integer = |format: &str, min: i64, max: i64| json!({ "type": "integer", "format": format, "minimum": min, "maximum": max });
    // JSON has no literal for these, so OData writes them as strings; the validator keeps them.
    let special_floats = json!({ "type": "string", "enum": ["NaN", "INF", "-INF"] });
    match p {
        EdmPrimitive::String => json!({ "type": "string" }),
        EdmPrimitive::Boolean => json!({ "type": "boolean" }),
        EdmPrimitive::Byte => integer("uint8", 0, u8::MAX.into()),
        EdmPrimitive::SByte => integer("int8", i8::MIN.into(), i8::MAX.into()),
        EdmPrimitive::Int16 => integer("int16", i16::MIN.into(), i16::MAX.into()),
        EdmPrimitive::Int32 => integer("int32", i32::MIN.into(), i32::MAX.into()),
        EdmPrimitive::Int64 => json!({ "type": "integer", "format": "int64" }),
        EdmPrimitive::Single => {
            json!({ "anyOf": [{ "type": "number", "format": "float" }, special_floats] })
        }
        EdmPrimitive::Double => {
            json!({ "anyOf": [{ "type": "number", "format": "double" }, special_floats] })
        }
        EdmPrimitive::Decimal => json!({ "type": "number", "format": "decimal" }),
        EdmPrimitive::DateTimeOffset => json!({
            "type": "string",
            "format": "date-time",
            "description": "UTC instant with 0 to 7 fractional digits.",
            "example": "2023-09-25T09:25:00Z",
        }),
        EdmPrimitive::Duration => json!({
            "type": "string",
            "format": "duration",
            "pattern": DURATION_PATTERN,
            "example": "PT0.016S",
        }),
        EdmPrimitive::Guid => {
            json!({ "type": "string", "format": "uuid", "pattern": GUID_PATTERN })
        }
        EdmPrimitive::Date => json!({ "type": "string", "format": "date" }),
        EdmPrimitive::TimeOfDay => json!({ "type": "string", "format": "time" }),
        EdmPrimitive::Binary | EdmPrimitive::Stream => {
            json!({ "type": "string", "format": "base64url" })
        }
        EdmPrimitive::Untyped => json!({}),
    }
}
