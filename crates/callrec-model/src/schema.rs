//! The callRecords CSDL as an in-memory model: entity, complex and enum types with their properties.
//!
//! The two CSDL files under `spec/` are the authority on what a callRecord may contain, so the validator,
//! the enum masking and the `$metadata` document all read them rather than a hand-kept copy.
//! They are embedded in the binary and parsed once, on first use; everything the validator needs on its
//! hot path (inherited properties by name, derived types, resolved property types) is computed then.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// A map keyed by property or type name. The validator looks up every key of every object it reads, and
/// SipHash dominated that; the keys of these maps come from the schema, not from senders, so a fast
/// non-keyed hash is safe here.
pub(crate) type NameMap<V> = HashMap<String, V, BuildHasherDefault<NameHasher>>;

/// The multiply-rotate hash of the Firefox and rustc hash tables, eight bytes at a time.
#[derive(Default, Clone, Copy)]
pub(crate) struct NameHasher(u64);

impl NameHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for NameHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.add(u64::from_le_bytes(
                chunk.try_into().expect("chunks_exact yields 8 bytes"),
            ));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The XML namespace of CSDL `Schema` elements and their children.
const EDM_NS: &str = "http://docs.oasis-open.org/odata/ns/edm";

/// The `microsoft.graph.callRecords` schema, verbatim from Graph's v1.0 metadata.
const CALL_RECORDS_CSDL: &str = include_str!("../../../spec/callrecords-csdl-v1.0.xml");
/// The `microsoft.graph` types the callRecords schema refers to (`graph.entity`, `graph.identitySet`, ...).
const GRAPH_TYPES_CSDL: &str = include_str!("../../../spec/graph-types-used-csdl-v1.0.xml");

/// The raw CSDL documents the schema is built from: the callRecords schema, then the `microsoft.graph`
/// types it uses.
pub fn csdl_documents() -> [&'static str; 2] {
    [CALL_RECORDS_CSDL, GRAPH_TYPES_CSDL]
}

/// The schema of the embedded CSDL documents, parsed on first use.
pub fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        // The documents are compiled in and a unit test parses them, so a failure here is a build defect.
        Schema::parse(&csdl_documents())
            .expect("the embedded CSDL documents describe a consistent schema")
    })
}

/// Why a set of CSDL documents could not be turned into a [`Schema`].
#[derive(Debug, thiserror::Error)]
pub enum SchemaError {
    #[error("CSDL document {document} is not well-formed XML: {source}")]
    Xml {
        document: usize,
        #[source]
        source: roxmltree::Error,
    },
    #[error("a CSDL <{element}> element has no {attribute} attribute")]
    MissingAttribute {
        element: String,
        attribute: &'static str,
    },
    #[error("'{0}' is not a known Edm primitive type")]
    UnknownPrimitive(String),
    #[error("enum member {member} has a Value that is not an integer: '{value}'")]
    BadEnumValue { member: String, value: String },
    #[error("type {ty} derives from {base}, which no document defines")]
    UnknownBaseType { ty: String, base: String },
    #[error("type {0} derives from itself")]
    InheritanceCycle(String),
    #[error("type {0} is defined twice")]
    Duplicate(String),
}

/// The primitive types of OData (`Edm.*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EdmPrimitive {
    Binary,
    Boolean,
    Byte,
    Date,
    DateTimeOffset,
    Decimal,
    Double,
    Duration,
    Guid,
    Int16,
    Int32,
    Int64,
    SByte,
    Single,
    Stream,
    String,
    TimeOfDay,
    Untyped,
}

impl EdmPrimitive {
    const ALL: [EdmPrimitive; 18] = [
        EdmPrimitive::Binary,
        EdmPrimitive::Boolean,
        EdmPrimitive::Byte,
        EdmPrimitive::Date,
        EdmPrimitive::DateTimeOffset,
        EdmPrimitive::Decimal,
        EdmPrimitive::Double,
        EdmPrimitive::Duration,
        EdmPrimitive::Guid,
        EdmPrimitive::Int16,
        EdmPrimitive::Int32,
        EdmPrimitive::Int64,
        EdmPrimitive::SByte,
        EdmPrimitive::Single,
        EdmPrimitive::Stream,
        EdmPrimitive::String,
        EdmPrimitive::TimeOfDay,
        EdmPrimitive::Untyped,
    ];

    /// The qualified name, `Edm.Int32`.
    pub fn name(self) -> &'static str {
        match self {
            EdmPrimitive::Binary => "Edm.Binary",
            EdmPrimitive::Boolean => "Edm.Boolean",
            EdmPrimitive::Byte => "Edm.Byte",
            EdmPrimitive::Date => "Edm.Date",
            EdmPrimitive::DateTimeOffset => "Edm.DateTimeOffset",
            EdmPrimitive::Decimal => "Edm.Decimal",
            EdmPrimitive::Double => "Edm.Double",
            EdmPrimitive::Duration => "Edm.Duration",
            EdmPrimitive::Guid => "Edm.Guid",
            EdmPrimitive::Int16 => "Edm.Int16",
            EdmPrimitive::Int32 => "Edm.Int32",
            EdmPrimitive::Int64 => "Edm.Int64",
            EdmPrimitive::SByte => "Edm.SByte",
            EdmPrimitive::Single => "Edm.Single",
            EdmPrimitive::Stream => "Edm.Stream",
            EdmPrimitive::String => "Edm.String",
            EdmPrimitive::TimeOfDay => "Edm.TimeOfDay",
            EdmPrimitive::Untyped => "Edm.Untyped",
        }
    }

    /// Reads a qualified primitive name (`Edm.Int32`).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.name() == name)
    }
}

impl fmt::Display for EdmPrimitive {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What a property's type names, with aliases resolved (`graph.identity` is `microsoft.graph.identity`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeTarget {
    Primitive(EdmPrimitive),
    /// The qualified name of an enum type.
    Enum(String),
    /// The qualified name of an entity or complex type. Some navigation properties of
    /// `microsoft.graph.cloudCommunications` name types the embedded documents do not define
    /// (`graph.adhocCall`); for those, [`Schema::structured_type`] returns `None`.
    Structured(String),
}

/// A property's declared type: its target and whether it is a `Collection(...)` of it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TypeRef {
    pub collection: bool,
    pub target: TypeTarget,
}

impl TypeRef {
    /// The qualified name of the target type, without `Collection(...)`.
    pub fn target_name(&self) -> &str {
        match &self.target {
            TypeTarget::Primitive(p) => p.name(),
            TypeTarget::Enum(n) | TypeTarget::Structured(n) => n,
        }
    }
}

impl fmt::Display for TypeRef {
    /// Writes the type as CSDL does, with qualified names: `Collection(microsoft.graph.identitySet)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.collection {
            write!(f, "Collection({})", self.target_name())
        } else {
            f.write_str(self.target_name())
        }
    }
}

/// The target of a property's type as an index into the schema, so that the validator never looks a
/// type up by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Resolved {
    Primitive(EdmPrimitive),
    Enum(usize),
    Structured(usize),
    /// A structured type no document defines: its values are taken as they are.
    Unknown,
}

/// A structural or navigation property.
#[derive(Debug, Clone, PartialEq)]
pub struct Property {
    pub name: String,
    pub type_ref: TypeRef,
    pub nullable: bool,
    /// True for a `NavigationProperty` (`sessions`, `participants_v2`, `organizer_v2`, `segments`).
    pub navigation: bool,
    /// `ContainsTarget="true"` on a navigation property: the related entities live inside this one.
    pub contains_target: bool,
    /// The qualified name of the type that declares this property (differs from the owner for inherited ones).
    pub declared_by: String,
    pub(crate) resolved: Resolved,
}

/// Whether a structured type is an `EntityType` (has a key, is addressable) or a `ComplexType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TypeKind {
    Entity,
    Complex,
}

/// An entity or complex type.
#[derive(Debug, Clone, PartialEq)]
pub struct StructuredType {
    /// The qualified name, `microsoft.graph.callRecords.callRecord`.
    pub name: String,
    pub kind: TypeKind,
    /// The qualified name of the base type, if any.
    pub base_type: Option<String>,
    pub is_abstract: bool,
    pub is_open: bool,
    /// Structural properties declared by this type itself.
    pub properties: Vec<Property>,
    /// Navigation properties declared by this type itself.
    pub navigation_properties: Vec<Property>,
    pub(crate) index: usize,
    /// Ancestors, nearest first.
    pub(crate) ancestors: Vec<usize>,
    pub(crate) ancestor_names: Vec<String>,
    /// Transitively derived types, in document order.
    pub(crate) derived: Vec<usize>,
    /// Every property including inherited ones: ancestors' first (root first), then this type's own.
    pub(crate) all: Vec<Property>,
    pub(crate) by_name: NameMap<usize>,
    pub(crate) key: Vec<String>,
    /// Whether a value of this type (or of a type derived from it) can hold an evolvable enum member
    /// anywhere inside, so that masking can skip whole subtrees.
    pub(crate) may_hold_evolvable: bool,
    /// Indices into `all` of `startDateTime` and `endDateTime`, when both are `Edm.DateTimeOffset`.
    pub(crate) span: Option<(usize, usize)>,
}

impl StructuredType {
    pub fn qualified_name(&self) -> &str {
        &self.name
    }

    /// The name without its namespace (`callRecord`).
    pub fn simple_name(&self) -> &str {
        self.name.rsplit_once('.').map_or(&self.name, |(_, n)| n)
    }

    /// The namespace (`microsoft.graph.callRecords`).
    pub fn namespace(&self) -> &str {
        self.name.rsplit_once('.').map_or("", |(ns, _)| ns)
    }

    /// All structural and navigation properties, inherited ones first.
    pub fn all_properties(&self) -> &[Property] {
        &self.all
    }

    /// A property by name, inherited ones included.
    pub fn property(&self, name: &str) -> Option<&Property> {
        self.by_name.get(name).map(|&i| &self.all[i])
    }

    /// The key property names (inherited from the base entity type when not declared here); empty for
    /// complex types.
    pub fn key(&self) -> &[String] {
        &self.key
    }

    /// The qualified names of the ancestors, nearest first.
    pub fn ancestors(&self) -> &[String] {
        &self.ancestor_names
    }

    /// True when `base` (a qualified name) is a strict ancestor of this type.
    pub fn is_derived_from(&self, base: &str) -> bool {
        self.ancestor_names.iter().any(|a| a == base)
    }
}

/// One member of an enum type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumMember {
    pub name: String,
    pub value: i64,
}

/// An enum type with its members in declaration order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumType {
    /// The qualified name, `microsoft.graph.callRecords.productFamily`.
    pub name: String,
    pub is_flags: bool,
    pub members: Vec<EnumMember>,
    /// Index of the first member after `unknownFutureValue` (`members.len()` when there is none).
    evolvable_from: usize,
}

impl EnumType {
    /// Members declared after `unknownFutureValue`: Graph sends them only to clients that ask with
    /// `Prefer: include-unknown-enum-members`, and `unknownFutureValue` in their place otherwise.
    pub fn evolvable_members(&self) -> &[EnumMember] {
        &self.members[self.evolvable_from..]
    }

    pub fn member(&self, name: &str) -> Option<&EnumMember> {
        self.members.iter().find(|m| m.name == name)
    }

    pub fn is_evolvable(&self, name: &str) -> bool {
        self.evolvable_members().iter().any(|m| m.name == name)
    }
}

/// A parameter of a function.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parameter {
    pub name: String,
    pub type_ref: TypeRef,
}

/// A function (`getPstnCalls`, `getDirectRoutingCalls`); a bound function's first parameter is the
/// binding parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    /// The qualified name, `microsoft.graph.callRecords.getPstnCalls`.
    pub name: String,
    pub is_bound: bool,
    pub parameters: Vec<Parameter>,
    pub return_type: Option<TypeRef>,
}

/// The types of a set of CSDL documents, with aliases resolved and inheritance worked out.
#[derive(Debug)]
pub struct Schema {
    structured: Vec<StructuredType>,
    enums: Vec<EnumType>,
    functions: Vec<Function>,
    structured_by_name: NameMap<usize>,
    /// Keyed by the lower-cased namespace, a dot and the exact simple name; alias forms included.
    structured_by_folded: HashMap<String, usize>,
    enums_by_name: HashMap<String, usize>,
    aliases: HashMap<String, String>,
}

impl Schema {
    /// An entity or complex type by qualified name (an alias-qualified name such as `graph.identity` works too).
    pub fn structured_type(&self, qualified_name: &str) -> Option<&StructuredType> {
        self.structured_index(qualified_name)
            .map(|i| &self.structured[i])
    }

    /// An enum type by qualified name (alias-qualified works too).
    pub fn enum_type(&self, qualified_name: &str) -> Option<&EnumType> {
        let i = match self.enums_by_name.get(qualified_name) {
            Some(&i) => i,
            None => *self.enums_by_name.get(&self.unalias(qualified_name)?)?,
        };
        Some(&self.enums[i])
    }

    /// Every type that derives (directly or not) from `base`, in document order; empty for an unknown name.
    pub fn derived_types(&self, base: &str) -> Vec<&StructuredType> {
        self.structured_type(base)
            .map(|t| t.derived.iter().map(|&i| &self.structured[i]).collect())
            .unwrap_or_default()
    }

    pub fn structured_types(&self) -> impl Iterator<Item = &StructuredType> {
        self.structured.iter()
    }

    pub fn enum_types(&self) -> impl Iterator<Item = &EnumType> {
        self.enums.iter()
    }

    pub fn functions(&self) -> &[Function] {
        &self.functions
    }

    /// Finds the type an `@odata.type` annotation names, leniently: with or without the leading `#`,
    /// with the namespace in any letter case, with a namespace alias, and, since Graph's own change
    /// notifications write `#Microsoft.Graph.callRecord`, with a callRecords type named as if it lived
    /// in `microsoft.graph`.
    pub fn find_odata_type(&self, odata_type: &str) -> Option<&StructuredType> {
        self.odata_type_index(odata_type)
            .map(|i| &self.structured[i])
    }

    pub(crate) fn odata_type_index(&self, odata_type: &str) -> Option<usize> {
        let name = odata_type.strip_prefix('#').unwrap_or(odata_type);
        if let Some(&i) = self.structured_by_name.get(name) {
            return Some(i);
        }
        let (ns, simple) = name.rsplit_once('.')?;
        let folded = format!("{}.{simple}", ns.to_ascii_lowercase());
        if let Some(&i) = self.structured_by_folded.get(&folded) {
            return Some(i);
        }
        if ns.eq_ignore_ascii_case("microsoft.graph") {
            return self
                .structured_by_folded
                .get(&format!("microsoft.graph.callrecords.{simple}"))
                .copied();
        }
        None
    }

    pub(crate) fn structured_index(&self, qualified_name: &str) -> Option<usize> {
        match self.structured_by_name.get(qualified_name) {
            Some(&i) => Some(i),
            None => self
                .structured_by_name
                .get(&self.unalias(qualified_name)?)
                .copied(),
        }
    }

    pub(crate) fn structured_at(&self, index: usize) -> &StructuredType {
        &self.structured[index]
    }

    pub(crate) fn enum_at(&self, index: usize) -> &EnumType {
        &self.enums[index]
    }

    /// Rewrites `alias.Name` to `namespace.Name`; `None` when the name uses no known alias.
    fn unalias(&self, name: &str) -> Option<String> {
        let (ns, simple) = name.rsplit_once('.')?;
        self.aliases.get(ns).map(|full| format!("{full}.{simple}"))
    }

    /// Builds a schema from CSDL documents: each may be a whole `edmx:Edmx` document or a bare `Schema`
    /// element; aliases declared in one apply to all.
    pub fn parse(documents: &[&str]) -> Result<Schema, SchemaError> {
        let docs = documents
            .iter()
            .enumerate()
            .map(|(document, text)| {
                roxmltree::Document::parse(text)
                    .map_err(|source| SchemaError::Xml { document, source })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let schemas: Vec<roxmltree::Node<'_, '_>> = docs
            .iter()
            .flat_map(|d| d.descendants())
            .filter(|n| n.has_tag_name((EDM_NS, "Schema")))
            .collect();

        let mut aliases = HashMap::new();
        for s in &schemas {
            if let (Some(alias), Some(ns)) = (s.attribute("Alias"), s.attribute("Namespace")) {
                aliases.insert(alias.to_owned(), ns.to_owned());
            }
        }
        let qualify = |name: &str| -> String {
            match name.rsplit_once('.') {
                Some((ns, simple)) => match aliases.get(ns) {
                    Some(full) => format!("{full}.{simple}"),
                    None => name.to_owned(),
                },
                None => name.to_owned(),
            }
        };
        // A type attribute before resolution: (collection, qualified name).
        let read_type = |text: &str| -> (bool, String) {
            match text
                .strip_prefix("Collection(")
                .and_then(|r| r.strip_suffix(')'))
            {
                Some(inner) => (true, qualify(inner.trim())),
                None => (false, qualify(text.trim())),
            }
        };

        let mut enums = Vec::new();
        let mut raw_types = Vec::new();
        let mut raw_functions = Vec::new();
        for s in &schemas {
            let ns = required(s, "Namespace")?;
            for el in s
                .children()
                .filter(|n| n.is_element() && n.tag_name().namespace() == Some(EDM_NS))
            {
                match el.tag_name().name() {
                    "EnumType" => enums.push(read_enum(ns, el)?),
                    "EntityType" | "ComplexType" => {
                        raw_types.push(read_structured(ns, el, &qualify, &read_type)?)
                    }
                    "Function" => raw_functions.push(read_function(ns, el, &read_type)?),
                    _ => {}
                }
            }
        }

        let mut enums_by_name = HashMap::new();
        for (i, e) in enums.iter().enumerate() {
            if enums_by_name.insert(e.name.clone(), i).is_some() {
                return Err(SchemaError::Duplicate(e.name.clone()));
            }
        }
        let mut structured_by_name = NameMap::default();
        for (i, t) in raw_types.iter().enumerate() {
            if structured_by_name.insert(t.name.clone(), i).is_some()
                || enums_by_name.contains_key(&t.name)
            {
                return Err(SchemaError::Duplicate(t.name.clone()));
            }
        }
        let classify =
            |collection: bool, name: String| -> Result<(TypeRef, Resolved), SchemaError> {
                if name.starts_with("Edm.") {
                    let p = EdmPrimitive::from_name(&name)
                        .ok_or_else(|| SchemaError::UnknownPrimitive(name.clone()))?;
                    return Ok((
                        TypeRef {
                            collection,
                            target: TypeTarget::Primitive(p),
                        },
                        Resolved::Primitive(p),
                    ));
                }
                if let Some(&i) = enums_by_name.get(&name) {
                    return Ok((
                        TypeRef {
                            collection,
                            target: TypeTarget::Enum(name),
                        },
                        Resolved::Enum(i),
                    ));
                }
                let resolved = structured_by_name
                    .get(&name)
                    .map_or(Resolved::Unknown, |&i| Resolved::Structured(i));
                Ok((
                    TypeRef {
                        collection,
                        target: TypeTarget::Structured(name),
                    },
                    resolved,
                ))
            };

        let mut structured = Vec::with_capacity(raw_types.len());
        for (index, raw) in raw_types.iter().enumerate() {
            let mut properties = Vec::new();
            let mut navigation_properties = Vec::new();
            for p in &raw.properties {
                let (type_ref, resolved) = classify(p.collection, p.type_name.clone())?;
                let prop = Property {
                    name: p.name.clone(),
                    type_ref,
                    nullable: p.nullable,
                    navigation: p.navigation,
                    contains_target: p.contains_target,
                    declared_by: raw.name.clone(),
                    resolved,
                };
                if p.navigation {
                    navigation_properties.push(prop);
                } else {
                    properties.push(prop);
                }
            }
            structured.push(StructuredType {
                name: raw.name.clone(),
                kind: raw.kind,
                base_type: raw.base.clone(),
                is_abstract: raw.is_abstract,
                is_open: raw.is_open,
                properties,
                navigation_properties,
                index,
                ancestors: Vec::new(),
                ancestor_names: Vec::new(),
                derived: Vec::new(),
                all: Vec::new(),
                by_name: NameMap::default(),
                key: raw.key.clone(),
                may_hold_evolvable: false,
                span: None,
            });
        }

        // Ancestor chains, then derived lists.
        for i in 0..structured.len() {
            let mut chain = Vec::new();
            let mut current = i;
            while let Some(base) = structured[current].base_type.clone() {
                let &b =
                    structured_by_name
                        .get(&base)
                        .ok_or_else(|| SchemaError::UnknownBaseType {
                            ty: structured[current].name.clone(),
                            base,
                        })?;
                if b == i || chain.contains(&b) {
                    return Err(SchemaError::InheritanceCycle(structured[i].name.clone()));
                }
                chain.push(b);
                current = b;
            }
            structured[i].ancestor_names =
                chain.iter().map(|&a| structured[a].name.clone()).collect();
            structured[i].ancestors = chain;
        }
        for i in 0..structured.len() {
            for a in structured[i].ancestors.clone() {
                structured[a].derived.push(i);
            }
        }

        // Inherited properties, root first; the key comes from the nearest type that declares one.
        for i in 0..structured.len() {
            let mut all = Vec::new();
            let mut key = Vec::new();
            let lineage: Vec<usize> = structured[i]
                .ancestors
                .iter()
                .rev()
                .copied()
                .chain([i])
                .collect();
            for t in lineage {
                all.extend(structured[t].properties.iter().cloned());
                all.extend(structured[t].navigation_properties.iter().cloned());
                if !structured[t].key.is_empty() {
                    key = structured[t].key.clone();
                }
            }
            let by_name: NameMap<usize> = all
                .iter()
                .enumerate()
                .map(|(n, p)| (p.name.clone(), n))
                .collect();
            let is_instant = |name: &str| {
                by_name.get(name).copied().filter(|&n| {
                    all[n].resolved == Resolved::Primitive(EdmPrimitive::DateTimeOffset)
                        && !all[n].type_ref.collection
                })
            };
            let span = is_instant("startDateTime").zip(is_instant("endDateTime"));
            let t = &mut structured[i];
            t.all = all;
            t.by_name = by_name;
            t.key = key;
            t.span = span;
        }

        // Which types can hold an evolvable enum member somewhere inside: a fixed point, since a type's
        // answer depends on its properties' types and on its derived types (which @odata.type may pick).
        let evolvable_enum: Vec<bool> = enums
            .iter()
            .map(|e| !e.evolvable_members().is_empty())
            .collect();
        loop {
            let mut changed = false;
            for i in 0..structured.len() {
                if structured[i].may_hold_evolvable {
                    continue;
                }
                let t = &structured[i];
                let holds = t.all.iter().any(|p| match p.resolved {
                    Resolved::Enum(e) => evolvable_enum[e],
                    Resolved::Structured(s) => structured[s].may_hold_evolvable,
                    _ => false,
                }) || t.derived.iter().any(|&d| structured[d].may_hold_evolvable);
                if holds {
                    structured[i].may_hold_evolvable = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }

        let functions = raw_functions
            .into_iter()
            .map(|f| {
                let parameters = f
                    .parameters
                    .into_iter()
                    .map(|(name, collection, ty)| {
                        Ok(Parameter {
                            name,
                            type_ref: classify(collection, ty)?.0,
                        })
                    })
                    .collect::<Result<Vec<_>, SchemaError>>()?;
                let return_type = f
                    .return_type
                    .map(|(c, ty)| classify(c, ty).map(|r| r.0))
                    .transpose()?;
                Ok(Function {
                    name: f.name,
                    is_bound: f.is_bound,
                    parameters,
                    return_type,
                })
            })
            .collect::<Result<Vec<_>, SchemaError>>()?;

        let mut structured_by_folded = HashMap::new();
        for (i, t) in structured.iter().enumerate() {
            let (ns, simple) = (t.namespace(), t.simple_name());
            structured_by_folded.insert(format!("{}.{simple}", ns.to_ascii_lowercase()), i);
            for (alias, full) in &aliases {
                if full == ns {
                    structured_by_folded
                        .insert(format!("{}.{simple}", alias.to_ascii_lowercase()), i);
                }
            }
        }

        Ok(Schema {
            structured,
            enums,
            functions,
            structured_by_name,
            structured_by_folded,
            enums_by_name,
            aliases,
        })
    }
}

struct RawProperty {
    name: String,
    collection: bool,
    type_name: String,
    nullable: bool,
    navigation: bool,
    contains_target: bool,
}

struct RawStructured {
    name: String,
    kind: TypeKind,
    base: Option<String>,
    is_abstract: bool,
    is_open: bool,
    key: Vec<String>,
    properties: Vec<RawProperty>,
}

struct RawFunction {
    name: String,
    is_bound: bool,
    parameters: Vec<(String, bool, String)>,
    return_type: Option<(bool, String)>,
}

fn required<'a>(
    node: &roxmltree::Node<'a, '_>,
    attribute: &'static str,
) -> Result<&'a str, SchemaError> {
    node.attribute(attribute)
        .ok_or_else(|| SchemaError::MissingAttribute {
            element: node.tag_name().name().to_owned(),
            attribute,
        })
}

fn edm_children<'a, 'i>(
    node: roxmltree::Node<'a, 'i>,
    name: &'static str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> {
    node.children()
        .filter(move |n| n.has_tag_name((EDM_NS, name)))
}

fn read_enum(ns: &str, el: roxmltree::Node<'_, '_>) -> Result<EnumType, SchemaError> {
    let name = format!("{ns}.{}", required(&el, "Name")?);
    let mut members = Vec::new();
    for (ordinal, m) in edm_children(el, "Member").enumerate() {
        let member = required(&m, "Name")?.to_owned();
        let value = match m.attribute("Value") {
            Some(v) => v
                .trim()
                .parse::<i64>()
                .map_err(|_| SchemaError::BadEnumValue {
                    member: format!("{name}/{member}"),
                    value: v.to_owned(),
                })?,
            None => ordinal as i64,
        };
        members.push(EnumMember {
            name: member,
            value,
        });
    }
    let evolvable_from = members
        .iter()
        .position(|m| m.name == "unknownFutureValue")
        .map_or(members.len(), |p| p + 1);
    Ok(EnumType {
        name,
        is_flags: el.attribute("IsFlags") == Some("true"),
        members,
        evolvable_from,
    })
}

fn read_structured(
    ns: &str,
    el: roxmltree::Node<'_, '_>,
    qualify: &dyn Fn(&str) -> String,
    read_type: &dyn Fn(&str) -> (bool, String),
) -> Result<RawStructured, SchemaError> {
    let kind = if el.tag_name().name() == "EntityType" {
        TypeKind::Entity
    } else {
        TypeKind::Complex
    };
    let key = edm_children(el, "Key")
        .flat_map(|k| edm_children(k, "PropertyRef"))
        .map(|r| required(&r, "Name").map(str::to_owned))
        .collect::<Result<Vec<_>, _>>()?;
    let mut properties = Vec::new();
    for p in el.children().filter(|n| {
        n.has_tag_name((EDM_NS, "Property")) || n.has_tag_name((EDM_NS, "NavigationProperty"))
    }) {
        let (collection, type_name) = read_type(required(&p, "Type")?);
        properties.push(RawProperty {
            name: required(&p, "Name")?.to_owned(),
            collection,
            type_name,
            nullable: p.attribute("Nullable") != Some("false"),
            navigation: p.tag_name().name() == "NavigationProperty",
            contains_target: p.attribute("ContainsTarget") == Some("true"),
        });
    }
    Ok(RawStructured {
        name: format!("{ns}.{}", required(&el, "Name")?),
        kind,
        base: el.attribute("BaseType").map(qualify),
        is_abstract: el.attribute("Abstract") == Some("true"),
        is_open: el.attribute("OpenType") == Some("true"),
        key,
        properties,
    })
}

fn read_function(
    ns: &str,
    el: roxmltree::Node<'_, '_>,
    read_type: &dyn Fn(&str) -> (bool, String),
) -> Result<RawFunction, SchemaError> {
    let parameters = edm_children(el, "Parameter")
        .map(|p| {
            let (collection, ty) = read_type(required(&p, "Type")?);
            Ok((required(&p, "Name")?.to_owned(), collection, ty))
        })
        .collect::<Result<Vec<_>, SchemaError>>()?;
    let return_type = edm_children(el, "ReturnType")
        .next()
        .map(|r| required(&r, "Type").map(read_type))
        .transpose()?;
    Ok(RawFunction {
        name: format!("{ns}.{}", required(&el, "Name")?),
        is_bound: el.attribute("IsBound") == Some("true"),
        parameters,
        return_type,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const CR: &str = "microsoft.graph.callRecords";

    fn ty(name: &str) -> &'static StructuredType {
        schema()
            .structured_type(name)
            .unwrap_or_else(|| panic!("{name} should be in the schema"))
    }

    #[test]
    fn embedded_documents_parse() {
        let s = Schema::parse(&csdl_documents()).unwrap();
        assert!(s.structured_types().count() > 30);
        assert_eq!(s.enum_types().count(), 18);
    }

    #[test]
    fn call_record_has_inherited_id_and_navigation_properties() {
        let cr = ty("microsoft.graph.callRecords.callRecord");
        assert_eq!(cr.kind, TypeKind::Entity);
        assert_eq!(cr.base_type.as_deref(), Some("microsoft.graph.entity"));
        assert!(!cr.is_abstract && !cr.is_open);
        assert_eq!(cr.key(), ["id"]);
        let id = cr.property("id").unwrap();
        assert_eq!(id.declared_by, "microsoft.graph.entity");
        assert!(!id.nullable);
        assert_eq!(
            cr.all_properties()[0].name,
            "id",
            "inherited properties come first"
        );
        assert!(
            cr.properties.iter().all(|p| p.name != "id"),
            "own properties exclude inherited ones"
        );
        let sessions = cr.property("sessions").unwrap();
        assert!(sessions.navigation && sessions.contains_target);
        assert_eq!(
            sessions.type_ref,
            TypeRef {
                collection: true,
                target: TypeTarget::Structured(format!("{CR}.session"))
            }
        );
        let organizer = cr.property("organizer").unwrap();
        assert_eq!(
            organizer.type_ref.to_string(),
            "microsoft.graph.identitySet",
            "the graph alias is resolved"
        );
        let modalities = cr.property("modalities").unwrap();
        assert_eq!(
            modalities.type_ref.to_string(),
            format!("Collection({CR}.modality)")
        );
        assert_eq!(
            modalities.type_ref.target,
            TypeTarget::Enum(format!("{CR}.modality"))
        );
        assert_eq!(
            cr.property("version").unwrap().type_ref.target,
            TypeTarget::Primitive(EdmPrimitive::Int64)
        );
        assert_eq!(cr.navigation_properties.len(), 3);
    }

    #[test]
    fn derivation() {
        let endpoint = format!("{CR}.endpoint");
        let derived: Vec<&str> = schema()
            .derived_types(&endpoint)
            .iter()
            .map(|t| t.qualified_name())
            .collect();
        assert_eq!(
            derived,
            [
                format!("{CR}.participantEndpoint"),
                format!("{CR}.serviceEndpoint")
            ]
        );
        assert!(ty(&format!("{CR}.participantEndpoint")).is_derived_from(&endpoint));
        assert!(!ty(&endpoint).is_derived_from(&endpoint));
        let organizer = ty(&format!("{CR}.organizer"));
        assert_eq!(
            organizer.ancestors(),
            [
                format!("{CR}.participantBase"),
                "microsoft.graph.entity".to_owned()
            ]
        );
        assert!(organizer.property("identity").is_some());
        assert!(ty(&format!("{CR}.userAgent")).is_abstract);
        assert!(ty("microsoft.graph.identity").is_open);
        let identity_kinds = schema().derived_types("microsoft.graph.identity");
        assert!(
            identity_kinds
                .iter()
                .any(|t| t.name == "microsoft.graph.userIdentity")
        );
        assert!(
            identity_kinds
                .iter()
                .any(|t| t.name == format!("{CR}.userIdentity"))
        );
        assert!(schema().derived_types("no.such.type").is_empty());
    }

    #[test]
    fn lookups_accept_aliases_and_reject_unknown_names() {
        assert_eq!(
            schema().structured_type("graph.identitySet").unwrap().name,
            "microsoft.graph.identitySet"
        );
        assert!(
            schema()
                .structured_type("microsoft.graph.callRecords.nothing")
                .is_none()
        );
        assert_eq!(
            schema()
                .enum_type("graph.endpointType")
                .unwrap()
                .members
                .len(),
            5
        );
        assert!(schema().enum_type(&format!("{CR}.callRecord")).is_none());
    }

    #[test]
    fn odata_type_lookup_is_lenient_about_namespace_case() {
        let find = |s: &str| schema().find_odata_type(s).map(|t| t.name.as_str());
        assert_eq!(
            find("#microsoft.graph.callRecords.callRecord"),
            Some("microsoft.graph.callRecords.callRecord")
        );
        assert_eq!(
            find("microsoft.graph.callRecords.callRecord"),
            Some("microsoft.graph.callRecords.callRecord")
        );
        assert_eq!(
            find("#Microsoft.Graph.CallRecords.segment"),
            Some("microsoft.graph.callRecords.segment")
        );
        assert_eq!(
            find("#Microsoft.Graph.callRecord"),
            Some("microsoft.graph.callRecords.callRecord")
        );
        assert_eq!(
            find("#microsoft.graph.userIdentity"),
            Some("microsoft.graph.userIdentity")
        );
        assert_eq!(find("#graph.identity"), Some("microsoft.graph.identity"));
        assert_eq!(find("#microsoft.graph.callRecords.CALLRECORD"), None);
        assert_eq!(find("#microsoft.graph.nothing"), None);
        assert_eq!(find("callRecord"), None);
    }

    #[test]
    fn enums_and_evolvable_members() {
        let pf = schema().enum_type(&format!("{CR}.productFamily")).unwrap();
        let names: Vec<&str> = pf.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "unknown",
                "teams",
                "skypeForBusiness",
                "lync",
                "unknownFutureValue",
                "azureCommunicationServices"
            ]
        );
        assert_eq!(pf.member("azureCommunicationServices").unwrap().value, 5);
        assert_eq!(
            pf.evolvable_members(),
            [EnumMember {
                name: "azureCommunicationServices".into(),
                value: 5
            }]
        );
        assert!(pf.is_evolvable("azureCommunicationServices") && !pf.is_evolvable("teams"));
        let with_evolvable: Vec<&str> = schema()
            .enum_types()
            .filter(|e| !e.evolvable_members().is_empty())
            .map(|e| e.name.as_str())
            .collect();
        assert_eq!(with_evolvable, [format!("{CR}.productFamily")]);
        assert!(
            schema()
                .enum_type(&format!("{CR}.mediaStreamDirection"))
                .unwrap()
                .evolvable_members()
                .is_empty()
        );
    }

    #[test]
    fn evolvable_reachability_follows_properties_and_derived_types() {
        for name in [
            "callRecord",
            "session",
            "segment",
            "endpoint",
            "userAgent",
            "clientUserAgent",
        ] {
            assert!(ty(&format!("{CR}.{name}")).may_hold_evolvable, "{name}");
        }
        for name in [
            "media",
            "mediaStream",
            "participant",
            "serviceUserAgent",
            "pstnCallLogRow",
        ] {
            assert!(!ty(&format!("{CR}.{name}")).may_hold_evolvable, "{name}");
        }
    }

    #[test]
    fn spans_and_unresolved_navigation_targets() {
        assert!(ty(&format!("{CR}.mediaStream")).span.is_some());
        assert!(ty(&format!("{CR}.session")).span.is_some());
        assert!(ty(&format!("{CR}.participant")).span.is_none());
        let cc = ty("microsoft.graph.cloudCommunications");
        let calls = cc.property("calls").unwrap();
        assert_eq!(calls.resolved, Resolved::Unknown);
        assert!(
            schema()
                .structured_type(calls.type_ref.target_name())
                .is_none()
        );
        assert!(matches!(
            cc.property("callRecords").unwrap().resolved,
            Resolved::Structured(_)
        ));
    }

    #[test]
    fn bound_functions() {
        let names: Vec<&str> = schema()
            .functions()
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                format!("{CR}.getDirectRoutingCalls"),
                format!("{CR}.getPstnCalls")
            ]
        );
        let pstn = &schema().functions()[1];
        assert!(pstn.is_bound);
        assert_eq!(pstn.parameters[1].name, "fromDateTime");
        assert_eq!(
            pstn.return_type.as_ref().unwrap().to_string(),
            format!("Collection({CR}.pstnCallLogRow)")
        );
    }

    #[test]
    fn malformed_documents_are_reported() {
        let wrap =
            |body: &str| format!("<Schema Namespace=\"t\" xmlns=\"{EDM_NS}\">{body}</Schema>");
        let err = |body: &str| Schema::parse(&[&wrap(body)]).unwrap_err().to_string();
        assert!(
            Schema::parse(&["<Schema"])
                .unwrap_err()
                .to_string()
                .contains("not well-formed")
        );
        assert!(err(r#"<ComplexType Name="a" BaseType="t.b"/>"#).contains("derives from t.b"));
        assert!(
            err(r#"<ComplexType Name="a" BaseType="t.b"/><ComplexType Name="b" BaseType="t.a"/>"#)
                .contains("itself")
        );
        assert!(
            err(r#"<ComplexType Name="a"><Property Name="x" Type="Edm.Nope"/></ComplexType>"#)
                .contains("Edm.Nope")
        );
        assert!(
            err(r#"<ComplexType><Property Name="x" Type="Edm.String"/></ComplexType>"#)
                .contains("Name")
        );
        assert!(
            err(r#"<EnumType Name="e"><Member Name="m" Value="x"/></EnumType>"#).contains("t.e/m")
        );
        assert!(err(r#"<ComplexType Name="a"/><ComplexType Name="a"/>"#).contains("twice"));
    }
}
