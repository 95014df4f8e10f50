//! Reads the two CSDL files in `spec/` into the plain lists of types that the generator writes Rust for and
//! the coverage check holds the Rust model to.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The CSDL files, relative to this crate.
pub const CSDL_FILES: [&str; 2] = [
    "callrecords-csdl-v1.0.xml",
    "graph-types-used-csdl-v1.0.xml",
];

pub const CALL_RECORDS: &str = "microsoft.graph.callRecords";
pub const GRAPH: &str = "microsoft.graph";

/// Types of the excerpt that the model leaves out, and why.
pub const EXCLUDED: [(&str, &str); 1] = [(
    "microsoft.graph.cloudCommunications",
    "only navigation properties, to calls, meetings and presences that callrec does not serve",
)];

pub fn spec_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../spec")
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// `Edm.String` and the like.
    Primitive(String),
    /// A namespace-qualified enum, complex or entity type.
    Named(String),
    Collection(Box<TypeRef>),
}

#[derive(Debug, Clone)]
pub struct Property {
    pub name: String,
    pub ty: TypeRef,
    pub navigation: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Entity,
    Complex,
}

#[derive(Debug, Clone)]
pub struct StructType {
    pub namespace: String,
    pub name: String,
    pub kind: Kind,
    pub base: Option<String>,
    pub is_abstract: bool,
    pub open: bool,
    /// Declared on this type, not inherited.
    pub own: Vec<Property>,
}

impl StructType {
    pub fn qualified(&self) -> String {
        format!("{}.{}", self.namespace, self.name)
    }
}

#[derive(Debug, Clone)]
pub struct EnumType {
    pub namespace: String,
    pub name: String,
    pub members: Vec<String>,
}

impl EnumType {
    pub fn qualified(&self) -> String {
        format!("{}.{}", self.namespace, self.name)
    }
}

#[derive(Debug, Default)]
pub struct Schema {
    pub structs: BTreeMap<String, StructType>,
    pub enums: BTreeMap<String, EnumType>,
    /// `<Property>` and `<NavigationProperty>` elements counted straight from the XML, per included type, to
    /// cross-check the reader.
    pub raw_property_count: usize,
}

impl Schema {
    pub fn load() -> Result<Schema, String> {
        let mut schema = Schema::default();
        for file in CSDL_FILES {
            let path = spec_dir().join(file);
            let text =
                std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            let doc = roxmltree::Document::parse(&text)
                .map_err(|e| format!("{}: {e}", path.display()))?;
            for node in doc.descendants().filter(|n| n.has_tag_name("Schema")) {
                schema.read_schema(node);
            }
        }
        Ok(schema)
    }

    fn read_schema(&mut self, node: roxmltree::Node<'_, '_>) {
        let Some(namespace) = node.attribute("Namespace") else {
            return;
        };
        if namespace != CALL_RECORDS && namespace != GRAPH {
            return;
        }
        for child in node.children().filter(roxmltree::Node::is_element) {
            let Some(name) = child.attribute("Name") else {
                continue;
            };
            let qualified = format!("{namespace}.{name}");
            if EXCLUDED.iter().any(|(q, _)| *q == qualified) {
                continue;
            }
            match child.tag_name().name() {
                "EnumType" => {
                    let members = child
                        .children()
                        .filter(|m| m.has_tag_name("Member"))
                        .filter_map(|m| m.attribute("Name").map(str::to_owned))
                        .collect();
                    self.enums.insert(
                        qualified,
                        EnumType {
                            namespace: namespace.to_owned(),
                            name: name.to_owned(),
                            members,
                        },
                    );
                }
                tag @ ("EntityType" | "ComplexType") => {
                    let own: Vec<Property> = child
                        .children()
                        .filter(|p| {
                            p.has_tag_name("Property") || p.has_tag_name("NavigationProperty")
                        })
                        .map(|p| Property {
                            name: p.attribute("Name").unwrap_or_default().to_owned(),
                            ty: type_ref(p.attribute("Type").unwrap_or_default()),
                            navigation: p.has_tag_name("NavigationProperty"),
                        })
                        .collect();
                    self.raw_property_count += child
                        .children()
                        .filter(|p| p.is_element() && p.tag_name().name().ends_with("Property"))
                        .count();
                    let kind = if tag == "EntityType" {
                        Kind::Entity
                    } else {
                        Kind::Complex
                    };
                    self.structs.insert(
                        qualified,
                        StructType {
                            namespace: namespace.to_owned(),
                            name: name.to_owned(),
                            kind,
                            base: child.attribute("BaseType").map(resolve_alias),
                            is_abstract: child.attribute("Abstract") == Some("true"),
                            open: child.attribute("OpenType") == Some("true"),
                            own,
                        },
                    );
                }
                _ => {}
            }
        }
    }

    /// Every property of a type, inherited ones first.
    pub fn all_properties(&self, qualified: &str) -> Vec<Property> {
        let t = &self.structs[qualified];
        let mut props = match &t.base {
            Some(base) => self.all_properties(base),
            None => Vec::new(),
        };
        props.extend(t.own.iter().cloned());
        props
    }

    /// The types derived from `qualified`, directly or not, in name order.
    pub fn descendants(&self, qualified: &str) -> Vec<String> {
        self.structs
            .keys()
            .filter(|q| *q != qualified && self.is_a(q, qualified))
            .cloned()
            .collect()
    }

    /// True when `qualified` is `ancestor` or derives from it.
    pub fn is_a(&self, qualified: &str, ancestor: &str) -> bool {
        let mut current = Some(qualified.to_owned());
        while let Some(q) = current {
            if q == ancestor {
                return true;
            }
            current = self.structs.get(&q).and_then(|t| t.base.clone());
        }
        false
    }

    /// Struct types used as the type of a property that have derived types: a value in such a slot may be
    /// of a derived type, told apart by `@odata.type`.
    pub fn polymorphic(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for t in self.structs.values() {
            for p in &t.own {
                let mut ty = &p.ty;
                while let TypeRef::Collection(inner) = ty {
                    ty = inner;
                }
                if let TypeRef::Named(q) = ty
                    && self.structs.contains_key(q)
                    && !self.descendants(q).is_empty()
                {
                    out.insert(q.clone());
                }
            }
        }
        out
    }

    /// The nearest proper ancestor of `qualified` that is [`Schema::polymorphic`]: a value of `qualified`
    /// appears in slots of that type, written with its `@odata.type`.
    pub fn polymorphic_ancestor(&self, qualified: &str) -> Option<String> {
        let polymorphic = self.polymorphic();
        let mut current = self.structs.get(qualified).and_then(|t| t.base.clone());
        while let Some(q) = current {
            if polymorphic.contains(&q) {
                return Some(q);
            }
            current = self.structs.get(&q).and_then(|t| t.base.clone());
        }
        None
    }
}

fn resolve_alias(name: &str) -> String {
    match name.strip_prefix("graph.") {
        Some(rest) => format!("{GRAPH}.{rest}"),
        None => name.to_owned(),
    }
}

fn type_ref(text: &str) -> TypeRef {
    if let Some(inner) = text
        .strip_prefix("Collection(")
        .and_then(|t| t.strip_suffix(')'))
    {
        return TypeRef::Collection(Box::new(type_ref(inner)));
    }
    if text.starts_with("Edm.") {
        TypeRef::Primitive(text.to_owned())
    } else {
        TypeRef::Named(resolve_alias(text))
    }
}
