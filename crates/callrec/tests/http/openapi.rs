//! `/openapi.json` held against the running server and the CSDL: the document is self-contained (every
//! reference resolves, every path parameter is declared), it lists exactly what the router serves, the
//! callRecords schemas carry every CSDL property, and what the server answers fits the documented schemas.

use std::collections::BTreeSet;

use callrec_model::schema::{TypeTarget, schema};
use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

use crate::support::{Reply, TestServer, example, record, without_annotations};

const CALL_RECORD: &str = "microsoft.graph.callRecords.callRecord";
/// Methods probed on every documented path; HEAD and OPTIONS are left to the HTTP stack.
const METHODS: [&str; 5] = ["get", "post", "put", "delete", "patch"];

fn fetch(server: &TestServer) -> Value {
    let reply = server.get("/openapi.json");
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert!(
        reply
            .header("content-type")
            .is_some_and(|c| c.starts_with("application/json")),
        "{:?}",
        reply.headers
    );
    reply.json()
}

/// True when the router's fallback answered: the path names no route.
fn is_fallback(reply: &Reply) -> bool {
    reply.status == 400
        && serde_json::from_str::<Value>(&reply.text)
            .ok()
            .is_some_and(|b| {
                b["error"]["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("Resource not found for the segment"))
            })
}

/// The `{name}` placeholders of a path, also those inside a segment (`f(from={from})`).
fn placeholders(path: &str) -> BTreeSet<String> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name.to_owned()))
        .collect()
}

/// A documented path with every `{placeholder}` replaced by the documented example of its parameter.
fn concrete(doc: &Value, path: &str) -> String {
    let mut url = path.to_owned();
    for op in doc["paths"][path].as_object().expect("path item").values() {
        for p in op["parameters"].as_array().into_iter().flatten() {
            let p = deref(doc, p);
            if p["in"] == "path" {
                let example = p["example"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{path}: no example for {p}"));
                url = url.replace(
                    &format!("{{{}}}", p["name"].as_str().expect("name")),
                    example,
                );
            }
        }
    }
    assert!(
        !url.contains('{'),
        "{path}: a placeholder without a parameter"
    );
    url
}

fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for (method, op) in item.as_object().expect("path item") {
            out.push((path.clone(), method.clone(), op.clone()));
        }
    }
    out
}

/// Follows a local `$ref` (`#/components/...`).
fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

fn deref<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => deref(
            doc,
            resolve(doc, r).unwrap_or_else(|| panic!("unresolved {r}")),
        ),
        None => v,
    }
}

fn collect_refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => collect_refs(v, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

#[test]
fn document_is_openapi_3_and_self_contained() {
    let server = TestServer::start();
    let doc = fetch(&server);
    assert!(
        doc["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.0.")),
        "openapi: {}",
        doc["openapi"]
    );
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());

    let mut refs = Vec::new();
    collect_refs(&doc, &mut refs);
    assert!(refs.len() > 50, "only {} references", refs.len());
    for r in &refs {
        assert!(
            r.starts_with("#/components/"),
            "{r} is not a local component"
        );
        assert!(resolve(&doc, r).is_some(), "{r} does not resolve");
    }
    for name in doc["components"]["schemas"]
        .as_object()
        .expect("schemas")
        .keys()
    {
        assert!(
            name.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-_".contains(c)),
            "component name {name}"
        );
    }

    let mut ids = BTreeSet::new();
    let mut path_parameters = std::collections::BTreeMap::new();
    for (path, method, op) in operations(&doc) {
        let id = op["operationId"]
            .as_str()
            .unwrap_or_else(|| panic!("{method} {path}: no operationId"));
        assert!(ids.insert(id.to_owned()), "operationId {id} twice");
        let declared: BTreeSet<String> = op["parameters"]
            .as_array()
            .expect("parameters")
            .iter()
            .map(|p| deref(&doc, p))
            .filter(|p| p["in"] == "path")
            .inspect(|p| assert_eq!(p["required"], true, "{method} {path}: {p}"))
            .map(|p| p["name"].as_str().expect("name").to_owned())
            .collect();
        let placeholders = placeholders(&path);
        assert_eq!(declared, placeholders, "{method} {path}: path parameters");
        assert!(
            op["responses"].as_object().is_some_and(|r| !r.is_empty()),
            "{method} {path}: no responses"
        );
        path_parameters.insert(id.to_owned(), placeholders);
    }

    // Links name existing operations and give exactly the path parameters those need.
    let mut links = 0;
    for (path, method, op) in operations(&doc) {
        for response in op["responses"].as_object().expect("responses").values() {
            for (name, link) in response["links"].as_object().into_iter().flatten() {
                let target = link["operationId"].as_str().expect("operationId");
                let needed = path_parameters
                    .get(target)
                    .unwrap_or_else(|| panic!("{method} {path}: link {name} to unknown {target}"));
                let given: BTreeSet<String> = link["parameters"]
                    .as_object()
                    .expect("parameters")
                    .keys()
                    .cloned()
                    .collect();
                assert_eq!(&given, needed, "{method} {path}: link {name}");
                links += 1;
            }
        }
    }
    assert!(links > 0, "no links");
}

/// Every documented operation reaches a handler (not the fallback, not 405), answers a documented status
/// with a documented media type, and every documented query example is accepted.
#[test]
fn every_documented_operation_is_served() {
    let server = TestServer::start();
    let doc = fetch(&server);
    let mut probed = 0;
    for (path, method, op) in operations(&doc) {
        let url = concrete(&doc, &path);
        let reply = server.send(&method.to_ascii_uppercase(), &url, "", &[]);
        assert!(
            !is_fallback(&reply),
            "{method} {path}: the router has no such route: {}",
            reply.text
        );
        assert_ne!(
            reply.status, 405,
            "{method} {path}: the route does not answer this method"
        );
        let response = op["responses"]
            .get(reply.status.to_string())
            .unwrap_or_else(|| {
                panic!(
                    "{method} {path}: status {} is not documented: {}",
                    reply.status, reply.text
                )
            });
        let response = deref(&doc, response);
        if let Some(content) = response["content"].as_object() {
            let media = reply
                .header("content-type")
                .unwrap_or_default()
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_owned();
            assert!(
                content.contains_key(&media),
                "{method} {path}: {media} is not among {:?}",
                content.keys()
            );
        }
        probed += 1;

        for parameter in op["parameters"].as_array().expect("parameters") {
            let p = deref(&doc, parameter);
            if p["in"] != "query" {
                continue;
            }
            let examples: Vec<&Value> = match (&p["example"], p["examples"].as_object()) {
                (Value::Null, Some(named)) => named.values().map(|e| &e["value"]).collect(),
                (Value::Null, None) => Vec::new(),
                (one, _) => vec![one],
            };
            for value in examples {
                let text = match value {
                    Value::String(s) => s.clone(),
                    Value::Array(items) => items
                        .iter()
                        .map(|i| i.as_str().expect("string items"))
                        .collect::<Vec<_>>()
                        .join(","),
                    other => other.to_string(),
                };
                let name = p["name"].as_str().expect("name");
                let query = format!(
                    "{url}?{}={}",
                    utf8_percent_encode(name, NON_ALPHANUMERIC),
                    utf8_percent_encode(&text, NON_ALPHANUMERIC)
                );
                let reply = server.send(&method.to_ascii_uppercase(), &query, "", &[]);
                assert_ne!(
                    reply.status, 400,
                    "{method} {query}: the documented example is refused: {}",
                    reply.text
                );
            }
        }
    }
    assert!(probed >= 20, "only {probed} operations documented");
}

/// The string literals passed to `name(` in the router's source.
fn literals_after(source: &str, call: &str) -> Vec<String> {
    source
        .match_indices(call)
        .filter_map(|(i, _)| {
            let rest = source[i + call.len()..].trim_start().strip_prefix('"')?;
            Some(rest[..rest.find('"')?].to_owned())
        })
        .collect()
}

/// No route of `http::app` is missing from the document, and no documented path is unknown to it: routes
/// are read from the router's source (nested routes appear under every nest prefix), and methods are
/// probed (a method the document leaves out must get 405).
#[test]
fn no_served_route_or_method_is_missing() {
    let source = include_str!("../../src/http/router.rs");
    let routes = literals_after(source, ".route(");
    let nests = literals_after(source, ".nest(");
    assert!(
        routes.len() >= 10 && nests.len() >= 2,
        "router source not understood: {routes:?} {nests:?}"
    );
    let server = TestServer::start();
    let doc = fetch(&server);
    let paths: BTreeSet<String> = doc["paths"]
        .as_object()
        .expect("paths")
        .keys()
        .cloned()
        .collect();

    let mut served = BTreeSet::new();
    for route in &routes {
        let nested: Vec<String> = nests.iter().map(|n| format!("{n}{route}")).collect();
        if paths.contains(route) {
            served.insert(route.clone());
        } else {
            for path in nested {
                assert!(
                    paths.contains(&path),
                    "the route {route} is not documented as {path}"
                );
                served.insert(path);
            }
        }
    }
    // A function call (`getPstnCalls(...)`) is a path of its own in the document but reaches its handler
    // through the `{id}` route of its collection, as in Graph.
    let invented: Vec<&String> = paths
        .difference(&served)
        .filter(|p| {
            let (parent, last) = p.rsplit_once('/').expect("absolute path");
            !(last.contains('(') && served.contains(&format!("{parent}/{{id}}")))
        })
        .collect();
    assert!(
        invented.is_empty(),
        "documented paths the router does not declare: {invented:?}"
    );

    let mut undocumented = Vec::new();
    for path in &paths {
        let item = doc["paths"][path].as_object().expect("path item");
        for method in METHODS.iter().filter(|m| !item.contains_key(**m)) {
            let reply = server.send(&method.to_ascii_uppercase(), &concrete(&doc, path), "", &[]);
            if reply.status == 405 {
                reply.assert_error(405, "MethodNotAllowed");
            } else {
                undocumented.push(format!("{method} {path}: {} {}", reply.status, reply.text));
            }
        }
    }
    assert!(
        undocumented.is_empty(),
        "served but not documented: {undocumented:#?}"
    );
}

/// The properties a schema declares, following `allOf` into its bases.
fn declared_properties(doc: &Value, schema: &Value, out: &mut BTreeSet<String>) {
    let schema = deref(doc, schema);
    if let Some(props) = schema["properties"].as_object() {
        out.extend(props.keys().cloned());
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        declared_properties(doc, part, out);
    }
}

fn property_schema<'a>(doc: &'a Value, schema: &'a Value, name: &str) -> Option<&'a Value> {
    let schema = deref(doc, schema);
    schema["properties"].get(name).or_else(|| {
        schema["allOf"]
            .as_array()
            .into_iter()
            .flatten()
            .find_map(|part| property_schema(doc, part, name))
    })
}

#[test]
fn call_records_schemas_follow_the_csdl() {
    let server = TestServer::start();
    let doc = fetch(&server);
    let schemas = &doc["components"]["schemas"];
    let model = schema();
    let mut checked = 0;
    for t in model
        .structured_types()
        .filter(|t| t.namespace() == "microsoft.graph.callRecords")
    {
        let component = schemas
            .get(&t.name)
            .unwrap_or_else(|| panic!("no schema for {}", t.name));
        let mut declared = BTreeSet::new();
        declared_properties(&doc, component, &mut declared);
        declared.retain(|p| !p.contains('@'));
        let csdl: BTreeSet<String> = t.all_properties().iter().map(|p| p.name.clone()).collect();
        assert_eq!(declared, csdl, "properties of {}", t.name);
        for p in t.all_properties() {
            let s = property_schema(&doc, component, &p.name).expect("declared");
            let single = if p.type_ref.collection {
                assert_eq!(
                    s["type"], "array",
                    "{}.{} is a collection: {s}",
                    t.name, p.name
                );
                &s["items"]
            } else {
                s
            };
            // A nullable reference is `anyOf: [ref, {nullable}]`; a nullable inline schema says `nullable`.
            let nullable_alternative = single["anyOf"].as_array().is_some_and(|alts| {
                alts.iter()
                    .any(|a| a["nullable"] == true && a.get("$ref").is_none())
            });
            assert_eq!(
                nullable_alternative || single["nullable"] == true,
                p.nullable,
                "nullability of {}.{}: {single}",
                t.name,
                p.name
            );
            if let TypeTarget::Enum(name) = &p.type_ref.target {
                let members: Vec<&str> = model
                    .enum_type(name)
                    .expect("enum")
                    .members
                    .iter()
                    .map(|m| m.name.as_str())
                    .collect();
                let target = single
                    .get("$ref")
                    .or_else(|| single["anyOf"][0].get("$ref"))
                    .expect("enum by reference");
                let enum_schema =
                    resolve(&doc, target.as_str().expect("ref")).expect("enum schema");
                assert_eq!(
                    enum_schema["enum"],
                    serde_json::json!(members),
                    "{}.{}",
                    t.name,
                    p.name
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} properties checked");

    let record = &schemas[CALL_RECORD];
    let kind = |name: &str| {
        property_schema(&doc, record, name)
            .cloned()
            .unwrap_or(Value::Null)
    };
    assert_eq!(kind("version")["format"], "int64");
    assert_eq!(kind("startDateTime")["format"], "date-time");
    assert_eq!(
        kind("sessions")["items"]["anyOf"][0]["$ref"],
        "#/components/schemas/microsoft.graph.callRecords.session"
    );
    assert_eq!(
        kind("id")["type"],
        "string",
        "the key, inherited from microsoft.graph.entity"
    );
    let identity = &schemas["microsoft.graph.identity"];
    assert_eq!(
        identity["additionalProperties"], true,
        "an open type admits unknown properties"
    );
    let stream = &schemas["microsoft.graph.callRecords.mediaStream"];
    let jitter = property_schema(&doc, stream, "averageJitter").expect("averageJitter");
    assert_eq!(jitter["format"], "duration", "{jitter}");
}

/// Checks `value` against the subset of JSON Schema the document uses; returns what does not fit.
fn check(doc: &Value, schema: &Value, value: &Value, path: &str, problems: &mut Vec<String>) {
    let schema = deref(doc, schema);
    if value.is_null() && schema["nullable"] == true {
        return;
    }
    if let Some(parts) = schema["allOf"].as_array() {
        for part in parts {
            check(doc, part, value, path, problems);
        }
    }
    if let Some(alternatives) = schema["anyOf"].as_array() {
        let fits = alternatives.iter().any(|a| {
            let mut inner = Vec::new();
            check(doc, a, value, path, &mut inner);
            inner.is_empty()
        });
        if !fits {
            problems.push(format!(
                "{path}: {value} fits none of {}",
                Value::Array(alternatives.clone())
            ));
        }
    }
    if let Some(ty) = schema["type"].as_str() {
        let fits = match ty {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            _ => true,
        };
        if !fits {
            problems.push(format!("{path}: {value} is not of type {ty}"));
            return;
        }
    }
    if let Some(members) = schema["enum"].as_array()
        && !members.contains(value)
    {
        problems.push(format!("{path}: {value} is not one of {members:?}"));
    }
    for name in schema["required"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if value.get(name).is_none() {
            problems.push(format!("{path}: required {name} is missing"));
        }
    }
    if let (Some(props), Some(object)) = (schema["properties"].as_object(), value.as_object()) {
        for (name, v) in object {
            if let Some(s) = props.get(name) {
                check(doc, s, v, &format!("{path}.{name}"), problems);
            }
        }
    }
    if let (Some(items), Some(array)) = (schema.get("items"), value.as_array()) {
        for (i, v) in array.iter().enumerate() {
            check(doc, items, v, &format!("{path}[{i}]"), problems);
        }
    }
}

/// The documented schema of a response.
fn response_schema<'a>(doc: &'a Value, path: &str, method: &str, status: u16) -> &'a Value {
    let response = doc["paths"][path][method]["responses"]
        .get(status.to_string())
        .unwrap_or_else(|| panic!("{method} {path}: {status} not documented"));
    let response = deref(doc, response);
    &response["content"]["application/json"]["schema"]
}

#[track_caller]
fn assert_fits(doc: &Value, path: &str, method: &str, reply: &Reply) {
    let schema = response_schema(doc, path, method, reply.status);
    assert!(
        !schema.is_null(),
        "{method} {path}: no JSON schema for {}",
        reply.status
    );
    let mut problems = Vec::new();
    check(doc, schema, &reply.json(), "$", &mut problems);
    assert!(
        problems.is_empty(),
        "{method} {path} ({}): {problems:#?}",
        reply.status
    );
}

/// Real answers, for official example records and a generated one, fit the schemas the document gives them.
#[test]
fn served_bodies_fit_the_documented_schemas() {
    let server = TestServer::start();
    let doc = fetch(&server);
    let mut full = without_annotations(&example(
        "callrecord-get-expand-sessions-segments.response.json",
    ));
    full["participants_v2"] = without_annotations(&example(
        "callrecord-get-expand-participants_v2.response.json",
    ))["participants_v2"]
        .clone();
    let id = full["id"].as_str().expect("id").to_owned();
    let created = server.post("/v1.0/communications/callRecords", &full);
    assert_eq!(created.status, 201, "{}", created.text);
    assert_fits(&doc, "/v1.0/communications/callRecords", "post", &created);

    // The documented request body admits the record, and refuses it, as the server does, once a contained
    // entity has lost its id.
    let request = &doc["paths"]["/v1.0/communications/callRecords"]["post"]["requestBody"]["content"]
        ["application/json"]["schema"];
    let mut problems = Vec::new();
    check(&doc, request, &full, "$", &mut problems);
    assert!(problems.is_empty(), "{problems:#?}");
    for pointer in [
        "/sessions/0/segments/0",
        "/participants_v2/0",
        "/organizer_v2",
        "",
    ] {
        let mut broken = full.clone();
        broken
            .pointer_mut(pointer)
            .and_then(Value::as_object_mut)
            .expect(pointer)
            .remove("id");
        let mut problems = Vec::new();
        check(&doc, request, &broken, "$", &mut problems);
        assert!(
            !problems.is_empty(),
            "the request schema admits a body without {pointer}/id"
        );
        let refused = server.post("/v1.0/communications/callRecords", &broken);
        refused.assert_error(400, "invalidRequest");
    }
    let summary = server.send(
        "POST",
        "/callrec/import",
        &format!(
            "{}\n{{\"id\":\"broken\"}}\n",
            record("r2", "2023-09-25T09:25:00Z", 2, 3)
        ),
        &[("content-type", "application/x-ndjson")],
    );
    assert_eq!(summary.status, 200, "{}", summary.text);
    assert_eq!(summary.json()["rejected"], 1, "{}", summary.text);
    assert_fits(&doc, "/callrec/import", "post", &summary);

    let body = &created.json();
    let sid = body["sessions"][0]["id"].as_str().expect("session id");
    let segid = body["sessions"][0]["segments"][0]["id"]
        .as_str()
        .expect("segment id");
    let pid = body["participants_v2"][0]["id"]
        .as_str()
        .expect("participant id");
    let record_path = "/v1.0/communications/callRecords/{id}";
    let reads = [
        (
            "/v1.0/communications/callRecords",
            "?$count=true".to_owned(),
        ),
        (
            record_path,
            "?$expand=sessions($expand=segments),participants_v2".to_owned(),
        ),
        (
            "/beta/communications/callRecords/{id}/sessions",
            "?$expand=segments".to_owned(),
        ),
        (
            "/v1.0/communications/callRecords/{id}/sessions/{sid}",
            String::new(),
        ),
        (
            "/v1.0/communications/callRecords/{id}/sessions/{sid}/segments",
            String::new(),
        ),
        (
            "/v1.0/communications/callRecords/{id}/sessions/{sid}/segments/{segid}",
            String::new(),
        ),
        (
            "/v1.0/communications/callRecords/{id}/participants_v2",
            String::new(),
        ),
        (
            "/v1.0/communications/callRecords/{id}/participants_v2/{pid}",
            String::new(),
        ),
        (
            "/v1.0/communications/callRecords/{id}/organizer_v2",
            String::new(),
        ),
    ];
    for (template, query) in reads {
        let url = template
            .replace("{id}", &id)
            .replace("{sid}", sid)
            .replace("{segid}", segid)
            .replace("{pid}", pid);
        for headers in [
            &[][..],
            &[("prefer", "include-unknown-enum-members, omit-values=nulls")][..],
        ] {
            let reply = server.get_with(&format!("{url}{query}"), headers);
            assert_eq!(reply.status, 200, "{url}{query}: {}", reply.text);
            assert_fits(&doc, template, "get", &reply);
        }
    }

    let subscriptions = server.get("/v1.0/subscriptions");
    assert_eq!(subscriptions.status, 200, "{}", subscriptions.text);
    assert_fits(&doc, "/v1.0/subscriptions", "get", &subscriptions);

    let missing = server.get("/v1.0/communications/callRecords/nope");
    missing.assert_error(404, "itemNotFound");
    assert_fits(&doc, record_path, "get", &missing);
    let bad = server.get("/v1.0/communications/callRecords?$skip=1");
    bad.assert_error(400, "BadRequest");
    assert_fits(&doc, "/v1.0/communications/callRecords", "get", &bad);
    let replaced = server.send(
        "PUT",
        &format!("/v1.0/communications/callRecords/{id}"),
        &full.to_string(),
        &[],
    );
    assert_eq!(replaced.status, 200, "{}", replaced.text);
    assert_fits(&doc, record_path, "put", &replaced);
    assert!(
        replaced
            .header("location")
            .is_some_and(|l| l.ends_with(&id)),
        "{:?}",
        replaced.headers
    );
}

/// Log rows from the official examples, stored and read back through every documented route, fit the
/// schemas of their version.
#[test]
fn log_rows_fit_the_documented_schemas() {
    let server = TestServer::start();
    let doc = fetch(&server);
    let cases = [
        (
            "callrecords-getpstncalls.response.json",
            "pstnCall",
            "getPstnCalls",
            &["v1.0", "beta"][..],
        ),
        (
            "callrecords-getdirectroutingcalls.response.json",
            "directRoutingCall",
            "getDirectRoutingCalls",
            &["v1.0", "beta"][..],
        ),
        (
            "beta-callrecords-getsmslog.response.json",
            "sms",
            "getSmsLog",
            &["beta"][..],
        ),
    ];
    for (file, kind, function, versions) in cases {
        let row = without_annotations(&example(file)["value"][0]);
        let template = "/callrec/logs/{kind}";
        let stored = server.send(
            "POST",
            &format!("/callrec/logs/{kind}"),
            &row.to_string(),
            &[],
        );
        assert_eq!(stored.status, 201, "{file}: {}", stored.text);
        assert_fits(&doc, template, "post", &stored);
        let location = stored.header("location").expect("Location").to_owned();
        let read = server.get(&location);
        assert_eq!(read.status, 200, "{location}: {}", read.text);
        assert_fits(&doc, "/callrec/logs/{kind}/{key}", "get", &read);
        for version in versions {
            let template = format!(
                "/{version}/communications/callRecords/{function}(fromDateTime={{fromDateTime}},toDateTime={{toDateTime}})"
            );
            let url = format!(
                "/{version}/communications/callRecords/{function}(fromDateTime=2019-01-01,toDateTime=2023-12-31)"
            );
            let reply = server.get(&url);
            // The range is longer than 90 days on purpose: only getDirectRoutingCalls accepts it.
            if reply.status == 406 {
                reply.assert_error(406, "NotAcceptable");
                let url = url
                    .replace("2019-01-01", &row_day(&row))
                    .replace("2023-12-31", &row_day_after(&row));
                let reply = server.get(&url);
                assert_eq!(reply.status, 200, "{url}: {}", reply.text);
                assert_eq!(
                    reply.json()["value"].as_array().map(Vec::len),
                    Some(1),
                    "{url}: {}",
                    reply.text
                );
                assert_fits(&doc, &template, "get", &reply);
            } else {
                assert_eq!(reply.status, 200, "{url}: {}", reply.text);
                assert_eq!(
                    reply.json()["value"].as_array().map(Vec::len),
                    Some(1),
                    "{url}: {}",
                    reply.text
                );
                assert_fits(&doc, &template, "get", &reply);
            }
        }
    }
    let linked = server.get("/callrec/callRecords/x/directRoutingCalls");
    assert_eq!(linked.status, 200, "{}", linked.text);
    assert_fits(
        &doc,
        "/callrec/callRecords/{id}/directRoutingCalls",
        "get",
        &linked,
    );
}

/// The day a row's time falls on (`2019-11-01`).
fn row_day(row: &Value) -> String {
    let time = row
        .get("startDateTime")
        .or_else(|| row.get("sentDateTime"))
        .and_then(Value::as_str)
        .expect("time");
    time[..10].to_owned()
}

/// The day after [`row_day`], for an exclusive end of range (days are at most 28 here, so no month rolls).
fn row_day_after(row: &Value) -> String {
    let day = row_day(row);
    let next: u32 = day[8..10].parse::<u32>().expect("day") + 1;
    assert!(
        next <= 28,
        "{day}: pick an example row earlier in its month"
    );
    format!("{}{next:02}", &day[..8])
}

/// The order the document promises for a listing without `$orderby` is the order served: `startDateTime`
/// ascending, ties by `id` in the same direction (also when `$orderby` reverses it).
#[test]
fn the_documented_default_order_is_served() {
    let server = TestServer::start();
    let doc = fetch(&server);
    let list = &doc["paths"]["/v1.0/communications/callRecords"]["get"]["description"];
    assert!(
        list.as_str()
            .is_some_and(|d| d.contains("`startDateTime` ascending")),
        "{list}"
    );
    let orderby = &doc["components"]["parameters"]["orderby"]["description"];
    assert!(
        orderby
            .as_str()
            .is_some_and(|d| d.contains("Without `$orderby` the order is `startDateTime asc`")),
        "{orderby}"
    );

    server.ingest_bulk(&[
        record("tie-b", "2024-01-01T10:00:00Z", 1, 1),
        record("late", "2024-01-01T11:00:00Z", 1, 1),
        record("tie-a", "2024-01-01T10:00:00Z", 1, 1),
        record("early", "2024-01-01T09:00:00Z", 1, 1),
    ]);
    let ids = |query: &str| -> Vec<String> {
        let reply = server.get(&format!("/v1.0/communications/callRecords{query}"));
        assert_eq!(reply.status, 200, "{}", reply.text);
        reply.json()["value"]
            .as_array()
            .expect("value")
            .iter()
            .map(|r| r["id"].as_str().expect("id").to_owned())
            .collect()
    };
    assert_eq!(ids(""), ["early", "tie-a", "tie-b", "late"]);
    assert_eq!(ids("?$orderby=startDateTime%20asc"), ids(""));
    assert_eq!(
        ids("?$orderby=startDateTime%20desc"),
        ["late", "tie-b", "tie-a", "early"]
    );
}
