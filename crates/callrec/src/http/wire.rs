//! Writing responses as Graph does: URLs on the host the client used, the `Prefer` preferences,
//! and JSON assembled from stored pieces.
//!
//! Stored records are JSON text already (see `callrec_model::prepare`), so a response is built by splicing
//! those pieces into an envelope rather than parsing and re-serializing them. A piece is parsed only when a
//! request needs it reshaped: `$select`, `Prefer: omit-values=nulls`, or an evolvable enum member to hide.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::Value;

use super::ApiVersion;
use super::error::ApiError;

/// The `Content-Type` Graph writes on JSON responses.
pub const JSON_CONTENT_TYPE: &str = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/// The root of the URLs a response refers to: scheme, host (as the client reached us, also behind a
/// proxy) and version segment, e.g. `http://localhost:8080/v1.0`.
#[derive(Debug, Clone)]
pub struct BaseUrl {
    pub origin: String,
    pub version: ApiVersion,
}

impl BaseUrl {
    pub fn from_headers(headers: &HeaderMap, version: ApiVersion) -> Self {
        let first = |name: &str| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        let host = first("x-forwarded-host")
            .or_else(|| first("host"))
            .unwrap_or_else(|| "localhost".to_owned());
        let proto = first("x-forwarded-proto").unwrap_or_else(|| "http".to_owned());
        BaseUrl {
            origin: format!("{proto}://{host}"),
            version,
        }
    }

    /// `{origin}/{version}`.
    pub fn root(&self) -> String {
        format!("{}/{}", self.origin, self.version.segment())
    }

    /// `{origin}/{version}/$metadata#{fragment}`.
    pub fn context(&self, fragment: &str) -> String {
        format!(
            "{}/{}/$metadata#{}",
            self.origin,
            self.version.segment(),
            fragment
        )
    }
}

/// The preferences of a `Prefer` header that callrec honours.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Preferences {
    pub max_page_size: Option<u32>,
    pub omit_nulls: bool,
    pub include_unknown_enum_members: bool,
}

impl Preferences {
    pub fn from_headers(headers: &HeaderMap) -> Result<Self, ApiError> {
        let mut prefs = Preferences::default();
        for value in headers.get_all("prefer") {
            let Ok(value) = value.to_str() else { continue };
            for pref in value.split(',') {
                let pref = pref.trim();
                let (name, arg) = match pref.split_once('=') {
                    Some((n, a)) => (n.trim(), Some(a.trim().trim_matches('"'))),
                    None => (pref, None),
                };
                match (name.to_ascii_lowercase().as_str(), arg) {
                    ("odata.maxpagesize", Some(n)) => {
                        let n: u32 = n.parse().ok().filter(|n| *n > 0).ok_or_else(|| {
                            ApiError::bad_request(format!(
                                "Prefer: odata.maxpagesize={n} is not valid; it must be a positive integer."
                            ))
                        })?;
                        prefs.max_page_size = Some(n);
                    }
                    ("omit-values", Some(v)) if v.eq_ignore_ascii_case("nulls") => {
                        prefs.omit_nulls = true
                    }
                    ("include-unknown-enum-members", _) => {
                        prefs.include_unknown_enum_members = true
                    }
                    _ => {}
                }
            }
        }
        Ok(prefs)
    }

    /// The `Preference-Applied` value for what was honoured, if anything.
    pub fn applied(&self, page_size_applied: Option<u32>) -> Option<String> {
        let mut applied = Vec::new();
        if let Some(n) = page_size_applied {
            applied.push(format!("odata.maxpagesize={n}"));
        }
        if self.omit_nulls {
            applied.push("omit-values=nulls".to_owned());
        }
        if self.include_unknown_enum_members {
            applied.push("include-unknown-enum-members".to_owned());
        }
        (!applied.is_empty()).then(|| applied.join(","))
    }
}

/// Refuses a request whose `Accept` header admits no JSON.
pub fn check_accepts_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Ok(());
    };
    let ok = accept.split(',').any(|range| {
        let media = range
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        matches!(
            media.as_str(),
            "" | "*/*" | "application/*" | "application/json"
        )
    });
    if ok {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::NOT_ACCEPTABLE,
            super::error::codes::NOT_ACCEPTABLE,
            format!(
                "This resource is served as application/json; the Accept header '{accept}' does not allow it."
            ),
        ))
    }
}

/// How stored pieces must be reshaped for one request.
#[derive(Debug, Clone, Default)]
pub struct Shaping {
    pub omit_nulls: bool,
    pub include_unknown_enum_members: bool,
}

impl Shaping {
    pub fn from_preferences(prefs: &Preferences) -> Self {
        Shaping {
            omit_nulls: prefs.omit_nulls,
            include_unknown_enum_members: prefs.include_unknown_enum_members,
        }
    }
}

/// The evolvable enum members of the schema (declared after `unknownFutureValue`) as quoted JSON strings.
/// Graph hides them from clients that did not opt in; a piece is searched for them as bytes first, so that
/// most pieces are never parsed.
fn evolvable_members() -> &'static [Vec<u8>] {
    static MEMBERS: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    MEMBERS.get_or_init(|| {
        let mut members: Vec<Vec<u8>> = callrec_model::schema::schema()
            .enum_types()
            .flat_map(|e| {
                e.evolvable_members()
                    .iter()
                    .map(|m| format!("\"{}\"", m.name).into_bytes())
            })
            .collect();
        members.sort();
        members.dedup();
        members
    })
}

/// Whether a piece must be parsed and reshaped for this request.
pub fn needs_reshape(shaping: &Shaping, piece: &[u8]) -> bool {
    shaping.omit_nulls || may_hold_evolvable(shaping, piece)
}

fn may_hold_evolvable(shaping: &Shaping, piece: &[u8]) -> bool {
    !shaping.include_unknown_enum_members
        && evolvable_members()
            .iter()
            .any(|m| memchr::memmem::find(piece, m).is_some())
}

/// A JSON object being written field by field, with pieces spliced in whole.
pub struct ObjectWriter<'a> {
    out: &'a mut Vec<u8>,
    first: bool,
}

impl<'a> ObjectWriter<'a> {
    pub fn new(out: &'a mut Vec<u8>) -> Self {
        out.push(b'{');
        ObjectWriter { out, first: true }
    }

    fn comma(&mut self) {
        if !self.first {
            self.out.push(b',');
        }
        self.first = false;
    }

    fn key(&mut self, name: &str) {
        self.comma();
        write_json_string(self.out, name);
        self.out.push(b':');
    }

    pub fn string(&mut self, name: &str, value: &str) {
        self.key(name);
        write_json_string(self.out, value);
    }

    pub fn number(&mut self, name: &str, value: u64) {
        self.key(name);
        self.out.extend_from_slice(value.to_string().as_bytes());
    }

    /// Writes a field whose value is raw JSON text.
    pub fn raw(&mut self, name: &str, json: &[u8]) {
        self.key(name);
        self.out.extend_from_slice(json);
    }

    /// Starts a field whose value the caller writes next into [`Self::buffer`].
    pub fn begin_field(&mut self, name: &str) {
        self.key(name);
    }

    pub fn buffer(&mut self) -> &mut Vec<u8> {
        self.out
    }

    /// Splices the members of a JSON object (given as text) into this object.
    pub fn members_of(&mut self, object: &[u8]) {
        let inner = inner_of_object(object);
        if !inner.is_empty() {
            self.comma();
            self.out.extend_from_slice(inner);
        }
    }

    pub fn finish(self) {
        self.out.push(b'}');
    }
}

/// The text between the outer braces of a JSON object, trimmed.
fn inner_of_object(object: &[u8]) -> &[u8] {
    let trimmed = object.trim_ascii();
    let inner = trimmed
        .strip_prefix(b"{")
        .and_then(|s| s.strip_suffix(b"}"))
        .unwrap_or(b"");
    inner.trim_ascii()
}

pub fn write_json_string(out: &mut Vec<u8>, s: &str) {
    serde_json::to_writer(&mut *out, s).expect("writing to a Vec cannot fail");
}

/// Writes one stored piece (a JSON object, or an array of them) of the schema type `type_name`, reshaped for
/// the request. `select` keeps only the named properties of each object (plus annotations such as
/// `@odata.type`).
pub fn write_piece(
    out: &mut Vec<u8>,
    piece: &[u8],
    type_name: &str,
    shaping: &Shaping,
    select: Option<&[String]>,
) {
    let masks = may_hold_evolvable(shaping, piece);
    if !masks && !shaping.omit_nulls && select.is_none() {
        out.extend_from_slice(piece);
        return;
    }
    let Ok(mut value) = serde_json::from_slice::<Value>(piece) else {
        out.extend_from_slice(piece);
        return;
    };
    if masks {
        callrec_model::validate::mask_evolvable_enum_members(&mut value, type_name);
    }
    if let Some(select) = select {
        let keep = |map: &mut serde_json::Map<String, Value>| {
            map.retain(|k, _| k.contains('@') || select.iter().any(|s| s == k));
        };
        match &mut value {
            Value::Object(map) => keep(map),
            Value::Array(items) => items
                .iter_mut()
                .filter_map(Value::as_object_mut)
                .for_each(keep),
            _ => {}
        }
    }
    if shaping.omit_nulls {
        omit_nulls(&mut value);
    }
    serde_json::to_writer(&mut *out, &value).expect("writing to a Vec cannot fail");
}

/// Drops null-valued properties, recursively (`Prefer: omit-values=nulls`).
fn omit_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(omit_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(omit_nulls),
        _ => {}
    }
}

/// A `200 OK` JSON response with Graph's content type and, when something was honoured, `Preference-Applied`.
pub fn json_response(
    status: StatusCode,
    body: Vec<u8>,
    preference_applied: Option<String>,
) -> Response {
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(JSON_CONTENT_TYPE),
    );
    if let Some(applied) = preference_applied.and_then(|a| HeaderValue::from_str(&a).ok()) {
        headers.insert("preference-applied", applied);
    }
    response
}

/// Percent-encodes a path segment (an id) for a URL callrec writes.
pub fn encode_segment(s: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~')
        .remove(b'+')
        .remove(b':')
        .remove(b'@');
    percent_encoding::utf8_percent_encode(s, SEGMENT).to_string()
}

/// An OData key literal: `'id'` with single quotes doubled.
pub fn key_literal(id: &str) -> String {
    format!("'{}'", id.replace('\'', "''"))
}
