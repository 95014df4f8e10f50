//! Query options of each resource: raw query string → validated options, or a 400 that names what is wrong.
//!
//! Parsing of the OData syntax lives in `callrec_model::odata`; this module decides which options each
//! resource accepts (Graph's, plus the documented extensions), merges them with a `$skiptoken`, and turns
//! everything else into a precise error: an option is never silently ignored.

use callrec_model::odata::{self, ExpandItem, RawOptions};
use callrec_model::query::{RecordFilter, RecordOrder};
use callrec_model::schema::schema;

use super::error::ApiError;

pub const CALL_RECORD: &str = "microsoft.graph.callRecords.callRecord";
pub const SESSION: &str = "microsoft.graph.callRecords.session";
pub const SEGMENT: &str = "microsoft.graph.callRecords.segment";
pub const PARTICIPANT: &str = "microsoft.graph.callRecords.participant";
pub const ORGANIZER: &str = "microsoft.graph.callRecords.organizer";

/// The property names of an entity type that `$select` may name.
pub fn selectable(type_name: &str) -> Vec<&'static str> {
    schema()
        .structured_type(type_name)
        .map(|t| t.all_properties().iter().map(|p| p.name.as_str()).collect())
        .unwrap_or_default()
}

/// Reads the raw query string of a request.
pub fn raw(query: Option<&str>) -> Result<RawOptions, ApiError> {
    Ok(odata::parse_query_string(query.unwrap_or(""))?)
}

/// Refuses options that the resource does not support, naming them.
fn refuse(raw: &RawOptions, resource: &str, allowed: &[&str]) -> Result<(), ApiError> {
    for name in raw.present() {
        let name = name.trim_start_matches('$');
        if !allowed.contains(&name) {
            return Err(ApiError::bad_request(format!(
                "The query option '${name}' is not supported on {resource}; supported: {}.",
                if allowed.is_empty() {
                    "none".to_owned()
                } else {
                    allowed
                        .iter()
                        .map(|a| format!("${a}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
            )));
        }
    }
    Ok(())
}

/// Options of `GET /communications/callRecords`.
#[derive(Debug, Clone, Default)]
pub struct ListOptions {
    pub filter_text: Option<String>,
    pub filter: Option<RecordFilter>,
    pub select_text: Option<String>,
    pub select: Option<Vec<String>>,
    pub orderby_text: Option<String>,
    pub order: RecordOrder,
    pub top: Option<u64>,
    pub count: bool,
    pub skiptoken: Option<String>,
}

impl ListOptions {
    pub fn parse(raw: &RawOptions) -> Result<Self, ApiError> {
        refuse(
            raw,
            "callRecords",
            &["filter", "select", "orderby", "top", "count", "skiptoken"],
        )?;
        let mut o = ListOptions {
            skiptoken: raw.skiptoken.clone(),
            ..Default::default()
        };
        o.set_filter(raw.filter.clone())?;
        o.set_select(raw.select.clone())?;
        o.set_orderby(raw.orderby.clone())?;
        if let Some(top) = &raw.top {
            o.top = Some(u64::from(odata::parse_top(top)?));
        }
        if let Some(count) = &raw.count {
            o.count = odata::parse_count(count)?;
        }
        Ok(o)
    }

    pub fn set_filter(&mut self, text: Option<String>) -> Result<(), ApiError> {
        self.filter = match &text {
            Some(t) if !t.trim().is_empty() => Some(odata::record_filter(t)?),
            _ => None,
        };
        self.filter_text = text;
        Ok(())
    }

    pub fn set_select(&mut self, text: Option<String>) -> Result<(), ApiError> {
        self.select = match &text {
            Some(t) => select_list(t, CALL_RECORD)?,
            None => None,
        };
        self.select_text = text;
        Ok(())
    }

    pub fn set_orderby(&mut self, text: Option<String>) -> Result<(), ApiError> {
        self.order = match &text {
            Some(t) => odata::record_order(t)?,
            None => RecordOrder::default(),
        };
        self.orderby_text = text;
        Ok(())
    }
}

/// A `$select` list validated against a type; `None` for `*` (everything).
pub fn select_list(text: &str, type_name: &str) -> Result<Option<Vec<String>>, ApiError> {
    let allowed = selectable(type_name);
    let names = odata::parse_select(text, &allowed)?;
    if names.iter().any(|n| n == "*") {
        return Ok(None);
    }
    Ok(Some(names))
}

/// What `$expand` asks of a record's sessions.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SessionExpansion {
    pub segments: bool,
    pub select: Option<Vec<String>>,
    pub segment_select: Option<Vec<String>>,
}

/// Options of `GET /communications/callRecords/{id}`.
#[derive(Debug, Clone, Default)]
pub struct RecordOptions {
    pub select: Option<Vec<String>>,
    pub sessions: Option<SessionExpansion>,
    pub participants: Option<Option<Vec<String>>>,
}

impl RecordOptions {
    pub fn parse(raw: &RawOptions) -> Result<Self, ApiError> {
        refuse(raw, "a callRecord", &["select", "expand"])?;
        let mut o = RecordOptions::default();
        if let Some(select) = &raw.select {
            o.select = select_list(select, CALL_RECORD)?;
        }
        if let Some(expand) = &raw.expand {
            for item in odata::parse_expand(expand)? {
                match item.path.as_str() {
                    "sessions" => o.sessions = Some(session_expansion(&item)?),
                    "participants_v2" => {
                        check_nested(&item, &["select"])?;
                        let select = match &item.options.select {
                            Some(names) => select_list(&names.join(","), PARTICIPANT)?,
                            None => None,
                        };
                        o.participants = Some(select);
                    }
                    "organizer_v2" => check_nested(&item, &[])?,
                    other => {
                        return Err(ApiError::bad_request(format!(
                            "$expand: '{other}' cannot be expanded on a callRecord; expandable: sessions, sessions($expand=segments), participants_v2, organizer_v2."
                        )));
                    }
                }
            }
        }
        Ok(o)
    }

    /// The `(...)` part of the `@odata.context` for this request: `(sessions(segments()))`, `(id,version)`...
    pub fn context_shape(&self) -> String {
        let mut parts: Vec<String> = self.select.clone().unwrap_or_default();
        if let Some(s) = &self.sessions {
            parts.retain(|p| p != "sessions");
            parts.push(if s.segments {
                "sessions(segments())".to_owned()
            } else {
                "sessions()".to_owned()
            });
        }
        if self.participants.is_some() {
            parts.retain(|p| p != "participants_v2");
            parts.push("participants_v2()".to_owned());
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("({})", parts.join(","))
        }
    }
}

fn check_nested(item: &ExpandItem, allowed: &[&str]) -> Result<(), ApiError> {
    for option in &item.options.raw {
        let name = option.name.trim_start_matches('$');
        if !allowed.contains(&name) {
            return Err(ApiError::bad_request(format!(
                "$expand: the option '${name}' is not supported inside {}(...).",
                item.path
            )));
        }
    }
    Ok(())
}

fn session_expansion(item: &ExpandItem) -> Result<SessionExpansion, ApiError> {
    check_nested(item, &["select", "expand"])?;
    let mut e = SessionExpansion::default();
    if let Some(names) = &item.options.select {
        e.select = select_list(&names.join(","), SESSION)?;
    }
    for nested in &item.options.expand {
        if nested.path != "segments" {
            return Err(ApiError::bad_request(format!(
                "$expand: '{}' cannot be expanded on a session; expandable: segments.",
                nested.path
            )));
        }
        check_nested(nested, &["select"])?;
        e.segments = true;
        if let Some(names) = &nested.options.select {
            e.segment_select = select_list(&names.join(","), SEGMENT)?;
        }
    }
    Ok(e)
}

/// Options of `GET .../sessions` (and of one session): `$select`, `$expand=segments`.
pub fn sessions_options(raw: &RawOptions, resource: &str) -> Result<SessionExpansion, ApiError> {
    refuse(raw, resource, &["select", "expand", "skiptoken"])?;
    let mut e = SessionExpansion::default();
    if let Some(select) = &raw.select {
        e.select = select_list(select, SESSION)?;
    }
    if let Some(expand) = &raw.expand {
        for item in odata::parse_expand(expand)? {
            if item.path != "segments" {
                return Err(ApiError::bad_request(format!(
                    "$expand: '{}' cannot be expanded on a session; expandable: segments.",
                    item.path
                )));
            }
            check_nested(&item, &["select"])?;
            e.segments = true;
            if let Some(names) = &item.options.select {
                e.segment_select = select_list(&names.join(","), SEGMENT)?;
            }
        }
    }
    Ok(e)
}

/// Options of resources that take `$select` only (segments, participants, organizer).
pub fn select_only(
    raw: &RawOptions,
    resource: &str,
    type_name: &str,
    pageable: bool,
) -> Result<Option<Vec<String>>, ApiError> {
    refuse(
        raw,
        resource,
        if pageable {
            &["select", "skiptoken"]
        } else {
            &["select"]
        },
    )?;
    match &raw.select {
        Some(select) => select_list(select, type_name),
        None => Ok(None),
    }
}
