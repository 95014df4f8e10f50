//! The PSTN, direct-routing and SMS log rows (and the other beta log reports): their kinds, the beta schema
//! that describes them, and the pure steps of ingesting one row (validation, identity, index keys).
//!
//! Graph serves these rows only through functions bound to the callRecords collection
//! (`getPstnCalls(fromDateTime=...,toDateTime=...)` and friends). v1.0 knows two row types; beta adds a
//! base type, beta-only properties and three more reports. Rows are stored once, in their beta shape, and
//! each API version shows the properties its schema declares: the v1.0 schema is Graph's CSDL
//! ([`crate::schema::schema`]), the beta one is [`beta_schema`], built from `spec/beta-logs-csdl.xml`.
//!
//! Log rows are complex types without a key, but an archive must make re-ingestion idempotent, so each row
//! gets an identity ([`row_key`]): its `id`, or a digest of its content when it has none (the beta SMS and
//! blocked-users examples carry no `id`).

pub mod filter;
pub mod function;
pub mod query;

use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::edm::{self, Ticks};
use crate::schema::{Schema, TypeTarget, csdl_documents};
use crate::validate::{self, ValidationError, Warning};

pub use filter::{LogColumn, LogFilter, LogValue, log_filter};
pub use function::{FunctionCall, FunctionCallError, FunctionErrorKind, parse_function_call};
pub use query::{DialoutQuery, LogCursor, LogQuery, LogStart};

/// The namespace of the log-row types and of the functions that return them.
pub const NAMESPACE: &str = "microsoft.graph.callRecords";

/// The beta shape of the log-row types, written from the beta documentation (see the file's comment).
const BETA_LOGS_CSDL: &str = include_str!("../../../spec/beta-logs-csdl.xml");

/// The API version whose schema a response follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SchemaVersion {
    V1,
    Beta,
}

/// The kinds of log rows Graph serves, one per function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum LogKind {
    /// `pstnCallLogRow`, from `getPstnCalls`.
    PstnCall,
    /// `directRoutingLogRow`, from `getDirectRoutingCalls`.
    DirectRouting,
    /// `smsLogRow`, from `getSmsLog` (beta).
    Sms,
    /// `pstnBlockedUsersLogRow`, from `getPstnBlockedUsersLog` (beta).
    PstnBlockedUser,
    /// `pstnOnlineMeetingDialoutReport`, from `getPstnOnlineMeetingDialoutReport` (beta). callrec computes
    /// it from the stored PSTN rows of meeting dial-outs; it is never stored itself.
    PstnOnlineMeetingDialout,
}

impl LogKind {
    pub const ALL: [LogKind; 5] = [
        LogKind::PstnCall,
        LogKind::DirectRouting,
        LogKind::Sms,
        LogKind::PstnBlockedUser,
        LogKind::PstnOnlineMeetingDialout,
    ];

    /// The row type's name without its namespace (`pstnCallLogRow`).
    pub fn simple_type_name(self) -> &'static str {
        match self {
            LogKind::PstnCall => "pstnCallLogRow",
            LogKind::DirectRouting => "directRoutingLogRow",
            LogKind::Sms => "smsLogRow",
            LogKind::PstnBlockedUser => "pstnBlockedUsersLogRow",
            LogKind::PstnOnlineMeetingDialout => "pstnOnlineMeetingDialoutReport",
        }
    }

    /// The row type's qualified name (`microsoft.graph.callRecords.pstnCallLogRow`).
    pub fn type_name(self) -> &'static str {
        match self {
            LogKind::PstnCall => "microsoft.graph.callRecords.pstnCallLogRow",
            LogKind::DirectRouting => "microsoft.graph.callRecords.directRoutingLogRow",
            LogKind::Sms => "microsoft.graph.callRecords.smsLogRow",
            LogKind::PstnBlockedUser => "microsoft.graph.callRecords.pstnBlockedUsersLogRow",
            LogKind::PstnOnlineMeetingDialout => {
                "microsoft.graph.callRecords.pstnOnlineMeetingDialoutReport"
            }
        }
    }

    /// The function that returns rows of this kind (`getPstnCalls`).
    pub fn function_name(self) -> &'static str {
        match self {
            LogKind::PstnCall => "getPstnCalls",
            LogKind::DirectRouting => "getDirectRoutingCalls",
            LogKind::Sms => "getSmsLog",
            LogKind::PstnBlockedUser => "getPstnBlockedUsersLog",
            LogKind::PstnOnlineMeetingDialout => "getPstnOnlineMeetingDialoutReport",
        }
    }

    /// The short name of the kind in callrec's own interfaces (`callrec import --kind pstnCall`).
    pub fn flag(self) -> &'static str {
        match self {
            LogKind::PstnCall => "pstnCall",
            LogKind::DirectRouting => "directRoutingCall",
            LogKind::Sms => "sms",
            LogKind::PstnBlockedUser => "pstnBlockedUser",
            LogKind::PstnOnlineMeetingDialout => "pstnOnlineMeetingDialout",
        }
    }

    /// Reads a kind from its flag, its type name (simple or qualified, with or without `#`) or its function
    /// name, in any case.
    pub fn parse(text: &str) -> Option<LogKind> {
        let text = text.trim();
        LogKind::ALL.into_iter().find(|k| {
            text.eq_ignore_ascii_case(k.flag())
                || text.eq_ignore_ascii_case(k.function_name())
                || LogKind::from_type_name(text) == Some(*k)
        })
    }

    /// The kind whose row type an `@odata.type` names: `#microsoft.graph.callRecords.smsLogRow`, the
    /// namespace-less or `microsoft.graph.`-qualified forms Graph also accepts, or the bare name.
    pub fn from_type_name(name: &str) -> Option<LogKind> {
        let name = name.strip_prefix('#').unwrap_or(name);
        let simple = match name.rsplit_once('.') {
            Some((ns, simple))
                if ns.eq_ignore_ascii_case(NAMESPACE)
                    || ns.eq_ignore_ascii_case("microsoft.graph") =>
            {
                simple
            }
            Some(_) => return None,
            None => name,
        };
        LogKind::ALL
            .into_iter()
            .find(|k| simple.eq_ignore_ascii_case(k.simple_type_name()))
    }

    /// The kind a function name (without namespace) returns; the name must be spelled exactly.
    pub fn from_function_name(name: &str) -> Option<LogKind> {
        LogKind::ALL.into_iter().find(|k| k.function_name() == name)
    }

    /// True for the kinds Graph serves only under `/beta`.
    pub fn beta_only(self) -> bool {
        !matches!(self, LogKind::PstnCall | LogKind::DirectRouting)
    }

    /// Whether rows of this kind are stored as ingested (the dial-out report is computed instead).
    pub fn is_stored(self) -> bool {
        self != LogKind::PstnOnlineMeetingDialout
    }

    /// The instant the function's range is compared with: the call start, the SMS send time, the block
    /// time. The dial-out report is ranged over the start of the PSTN calls it sums up.
    pub fn time_property(self) -> &'static str {
        match self {
            LogKind::PstnCall | LogKind::DirectRouting | LogKind::PstnOnlineMeetingDialout => {
                "startDateTime"
            }
            LogKind::Sms => "sentDateTime",
            LogKind::PstnBlockedUser => "blockDateTime",
        }
    }

    /// Whether `toDateTime` is inclusive. Graph documents it inclusive for getPstnCalls and exclusive for
    /// getDirectRoutingCalls; the beta pages say nothing, so the beta functions follow getPstnCalls.
    pub fn to_inclusive(self) -> bool {
        self != LogKind::DirectRouting
    }

    /// The longest range the function accepts, in days. Graph documents 90 days for getPstnCalls and the
    /// beta functions; the getDirectRoutingCalls page states no limit, so none is applied to it.
    pub fn max_range_days(self) -> Option<i64> {
        match self {
            LogKind::DirectRouting => None,
            _ => Some(90),
        }
    }

    /// A stable small number for storage.
    pub fn code(self) -> i64 {
        match self {
            LogKind::PstnCall => 1,
            LogKind::DirectRouting => 2,
            LogKind::Sms => 3,
            LogKind::PstnBlockedUser => 4,
            LogKind::PstnOnlineMeetingDialout => 5,
        }
    }

    pub fn from_code(code: i64) -> Option<LogKind> {
        LogKind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Whether a version of the API serves this kind.
    pub fn served_in(self, version: SchemaVersion) -> bool {
        version == SchemaVersion::Beta || !self.beta_only()
    }
}

impl std::fmt::Display for LogKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.flag())
    }
}

/// The beta schema of the log rows: `spec/beta-logs-csdl.xml` plus the v1.0 documents, whose own
/// definitions of the two v1.0 row types and functions give way to the fragment's.
pub fn beta_schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(|| {
        // The documents are compiled in and a unit test parses them, so a failure here is a build defect.
        Schema::parse(
            &beta_documents()
                .iter()
                .map(String::as_str)
                .collect::<Vec<_>>(),
        )
        .expect("the embedded beta log-row CSDL is consistent with the v1.0 documents")
    })
}

/// The documents [`beta_schema`] is built from.
pub fn beta_documents() -> Vec<String> {
    let replaced = [
        "pstnCallLogRow",
        "directRoutingLogRow",
        "getPstnCalls",
        "getDirectRoutingCalls",
    ];
    let mut docs = vec![BETA_LOGS_CSDL.to_owned()];
    docs.extend(
        csdl_documents()
            .iter()
            .map(|doc| without_named_elements(doc, &replaced)),
    );
    docs
}

/// The beta CSDL fragment as written in `spec/`.
pub fn beta_fragment() -> &'static str {
    BETA_LOGS_CSDL
}

/// The document with every element whose `Name` is one of `names` (and that sits directly in a `Schema`)
/// cut out. Malformed documents are returned as they are; parsing them later reports the problem.
fn without_named_elements(doc: &str, names: &[&str]) -> String {
    let Ok(parsed) = roxmltree::Document::parse(doc) else {
        return doc.to_owned();
    };
    let mut cuts: Vec<std::ops::Range<usize>> = parsed
        .descendants()
        .filter(|n| {
            n.is_element()
                && n.parent_element()
                    .is_some_and(|p| p.tag_name().name() == "Schema")
                && n.attribute("Name")
                    .is_some_and(|name| names.contains(&name))
        })
        .map(|n| n.range())
        .collect();
    cuts.sort_by_key(|r| std::cmp::Reverse(r.start));
    let mut out = doc.to_owned();
    for cut in cuts {
        out.replace_range(cut, "");
    }
    out
}

/// The schema of a version.
pub fn schema_of(version: SchemaVersion) -> &'static Schema {
    match version {
        SchemaVersion::V1 => crate::schema::schema(),
        SchemaVersion::Beta => beta_schema(),
    }
}

/// The properties of a kind's row type in a version, inherited ones first; empty when the version does
/// not have the type.
pub fn properties(kind: LogKind, version: SchemaVersion) -> Vec<&'static str> {
    schema_of(version)
        .structured_type(kind.type_name())
        .map(|t| t.all_properties().iter().map(|p| p.name.as_str()).collect())
        .unwrap_or_default()
}

/// The properties of a kind that only `/beta` shows.
pub fn beta_only_properties(kind: LogKind) -> Vec<&'static str> {
    let v1 = properties(kind, SchemaVersion::V1);
    properties(kind, SchemaVersion::Beta)
        .into_iter()
        .filter(|p| !v1.contains(p))
        .collect()
}

/// What the dial-out report needs of a PSTN row of a meeting dial-out.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DialoutFacts {
    pub user_display_name: Option<String>,
    pub usage_location: Option<String>,
    pub destination_context: Option<String>,
    pub currency: Option<String>,
    /// `charge + connectionCharge`, in units of 10^-9 of the currency, so sums are exact.
    pub charge_nanos: i64,
    pub seconds: i64,
}

/// The values of a row that filters and links use, pulled out so that the store never parses JSON.
///
/// The columns are shared between kinds: `call_type` is the PSTN/direct-routing `callType`, the SMS
/// `smsType` and the blocked-users `userBlockMode`; `caller_number` is `callerNumber`, `sourceNumber` or
/// `userTelephoneNumber`; `callee_number` is `calleeNumber` or `destinationNumber` (see [`LogColumn`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LogFacts {
    pub user_principal_name: Option<String>,
    pub user_id: Option<String>,
    pub call_type: Option<String>,
    pub caller_number: Option<String>,
    pub callee_number: Option<String>,
    pub successful_call: Option<bool>,
    pub final_sip_code: Option<i64>,
    pub correlation_id: Option<String>,
    /// Set for PSTN rows of meeting dial-outs (`callType` `conf_out`), which the dial-out report sums.
    pub dialout: Option<DialoutFacts>,
}

/// A log row ready to be written.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedLogRow {
    pub kind: LogKind,
    /// The row's identity within its tenant and kind (see [`row_key`]).
    pub key: String,
    /// The instant of [`LogKind::time_property`].
    pub time: Ticks,
    pub facts: LogFacts,
    /// The row as a JSON object, as sent but without instance annotations (`@odata.type` and the like).
    pub body: Vec<u8>,
    /// Whether the row's personal data has been removed ([`crate::scrub`]).
    pub scrubbed: bool,
}

/// A row that passed validation, with what was worth telling the sender.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckedLogRow {
    pub row: PreparedLogRow,
    pub warnings: Vec<Warning>,
}

fn refuse(path: &str, message: impl Into<String>) -> ValidationError {
    ValidationError {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// Decides which kind a row is: its `@odata.type` when it has one (which must agree with `hint`), else
/// `hint`.
pub fn resolve_kind(hint: Option<LogKind>, value: &Value) -> Result<LogKind, ValidationError> {
    let named = value.get("@odata.type");
    let from_type = match named {
        None => None,
        Some(Value::String(name)) => Some(LogKind::from_type_name(name).ok_or_else(|| {
            refuse(
                "$['@odata.type']",
                format!(
                    "'{name}' is not a log row type (expected one of {})",
                    LogKind::ALL
                        .map(|k| format!("#{}", k.type_name()))
                        .join(", ")
                ),
            )
        })?),
        Some(other) => {
            return Err(refuse(
                "$['@odata.type']",
                format!("expected the name of a type as a JSON string, found {other}"),
            ));
        }
    };
    match (from_type, hint) {
        (Some(t), Some(h)) if t != h => Err(refuse(
            "$['@odata.type']",
            format!(
                "this row is a {} but it was sent as a {}; send it with kind {} or drop its @odata.type",
                t.simple_type_name(),
                h.simple_type_name(),
                t.flag()
            ),
        )),
        (Some(t), _) => Ok(t),
        (None, Some(h)) => Ok(h),
        (None, None) => Err(refuse(
            "$",
            format!(
                "cannot tell which kind of log row this is: give it an @odata.type (e.g. #{}) or name the kind ({})",
                LogKind::PstnCall.type_name(),
                LogKind::ALL.map(|k| k.flag()).join(", ")
            ),
        )),
    }
}

/// Validates one log row against the beta schema and prepares it for the store.
///
/// `hint` is the kind the sender named (a URL segment, a `--kind` flag); the row's `@odata.type`, when
/// present, decides otherwise. Refused: a value that is not an object or does not fit the schema, a row
/// without the instant the store indexes it by, an `id` that is not a usable string, and dial-out report
/// rows (callrec computes that report from PSTN rows).
pub fn check_log_row(
    hint: Option<LogKind>,
    value: Value,
) -> Result<CheckedLogRow, ValidationError> {
    if !value.is_object() {
        return Err(refuse(
            "$",
            format!("a log row must be a JSON object, found {}", kind_of(&value)),
        ));
    }
    let kind = resolve_kind(hint, &value)?;
    if !kind.is_stored() {
        return Err(refuse(
            "$",
            format!(
                "{} rows are not ingested: callrec computes {} from the stored PSTN rows of meeting dial-outs \
                 (pstnCallLogRow with callType 'conf_out'); ingest those instead",
                kind.simple_type_name(),
                kind.function_name()
            ),
        ));
    }
    let report = validate::validate_in(beta_schema(), &value, kind.type_name())?;
    let mut warnings = report.warnings;
    let Value::Object(map) = value else {
        unreachable!("checked above")
    };
    warnings.extend(enum_warnings(kind, &map));

    let time_name = kind.time_property();
    let time = match map.get(time_name) {
        Some(Value::String(s)) => {
            edm::parse_date_time_offset(s).map_err(|e| refuse(&format!("$.{time_name}"), e.0))?
        }
        _ => {
            return Err(refuse(
                &format!("$.{time_name}"),
                format!(
                    "the required property '{time_name}' is missing or null (the store indexes {} by it, and \
                     {} selects rows by it)",
                    kind.simple_type_name(),
                    kind.function_name()
                ),
            ));
        }
    };
    if let Some(id) = map.get("id") {
        match id {
            Value::String(s) => {
                if let Some(problem) = validate::id_problem(s) {
                    return Err(refuse(
                        "$.id",
                        format!("'{s}' is not a usable id: {problem}"),
                    ));
                }
            }
            Value::Null => {}
            other => {
                return Err(refuse(
                    "$.id",
                    format!(
                        "expected the row id as a JSON string, found {}",
                        kind_of(other)
                    ),
                ));
            }
        }
    }
    let body_map: Map<String, Value> = map.into_iter().filter(|(k, _)| !k.contains('@')).collect();
    let facts = facts_of(kind, &body_map);
    let key = row_key(&body_map);
    let body =
        serde_json::to_vec(&Value::Object(body_map)).expect("a JSON value always serializes");
    Ok(CheckedLogRow {
        row: PreparedLogRow {
            kind,
            key,
            time,
            facts,
            body,
            scrubbed: false,
        },
        warnings,
    })
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Warnings for enum values that are not members of their enum. They are kept (Graph adds members over
/// time, and its own blocked-users example writes `Blocked`), but a value that differs from a member only
/// in case is pointed out.
fn enum_warnings(kind: LogKind, map: &Map<String, Value>) -> Vec<Warning> {
    let schema = beta_schema();
    let Some(t) = schema.structured_type(kind.type_name()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for p in t.all_properties() {
        let TypeTarget::Enum(enum_name) = &p.type_ref.target else {
            continue;
        };
        let (Some(Value::String(value)), Some(e)) = (map.get(&p.name), schema.enum_type(enum_name))
        else {
            continue;
        };
        if e.member(value).is_some() {
            continue;
        }
        let hint = e
            .members
            .iter()
            .find(|m| m.name.eq_ignore_ascii_case(value))
            .map(|m| format!(" (the member is spelled '{}')", m.name))
            .unwrap_or_default();
        out.push(Warning {
            path: format!("$.{}", p.name),
            message: format!("'{value}' is not a member of {enum_name}{hint}; kept as sent"),
        });
    }
    out
}

/// The identity of a row within its tenant and kind: its `id` when it has a non-empty one, else `~` and a
/// digest of its content (keys sorted), so that ingesting the same row twice stores it once.
pub fn row_key(map: &Map<String, Value>) -> String {
    if let Some(Value::String(id)) = map.get("id")
        && !id.is_empty()
    {
        return id.clone();
    }
    let mut canonical = Vec::with_capacity(512);
    write_canonical(&mut canonical, &Value::Object(map.clone()));
    format!("~{:032x}", fnv1a_128(&canonical))
}

fn write_canonical(out: &mut Vec<u8>, v: &Value) {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push(b'{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                serde_json::to_writer(&mut *out, k).expect("writing to a Vec cannot fail");
                out.push(b':');
                write_canonical(out, &map[k]);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_canonical(out, item);
            }
            out.push(b']');
        }
        other => serde_json::to_writer(&mut *out, other).expect("writing to a Vec cannot fail"),
    }
}

/// 128-bit FNV-1a: a digest whose value is fixed by its definition, so keys stay stable across builds.
fn fnv1a_128(bytes: &[u8]) -> u128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
    bytes
        .iter()
        .fold(OFFSET, |h, b| (h ^ u128::from(*b)).wrapping_mul(PRIME))
}

fn text(map: &Map<String, Value>, name: &str) -> Option<String> {
    map.get(name).and_then(Value::as_str).map(str::to_owned)
}

pub(crate) fn facts_of(kind: LogKind, map: &Map<String, Value>) -> LogFacts {
    let mut facts = LogFacts {
        user_principal_name: text(map, "userPrincipalName"),
        user_id: text(map, "userId"),
        ..LogFacts::default()
    };
    match kind {
        LogKind::PstnCall | LogKind::DirectRouting => {
            facts.call_type = text(map, "callType");
            facts.caller_number = text(map, "callerNumber");
            facts.callee_number = text(map, "calleeNumber");
        }
        LogKind::Sms => {
            facts.call_type = text(map, "smsType");
            facts.caller_number = text(map, "sourceNumber");
            facts.callee_number = text(map, "destinationNumber");
        }
        LogKind::PstnBlockedUser => {
            facts.call_type = text(map, "userBlockMode");
            facts.caller_number = text(map, "userTelephoneNumber");
        }
        LogKind::PstnOnlineMeetingDialout => {}
    }
    if kind == LogKind::DirectRouting {
        facts.successful_call = map.get("successfulCall").and_then(Value::as_bool);
        facts.final_sip_code = map.get("finalSipCode").and_then(Value::as_i64);
        facts.correlation_id = text(map, "correlationId");
    }
    if kind == LogKind::PstnCall && facts.call_type.as_deref().is_some_and(is_meeting_dialout) {
        let nanos = |name: &str| {
            map.get(name)
                .and_then(Value::as_f64)
                .map_or(0, |v| (v * 1e9).round() as i64)
        };
        facts.dialout = Some(DialoutFacts {
            user_display_name: text(map, "userDisplayName"),
            usage_location: text(map, "usageCountryCode"),
            destination_context: text(map, "destinationContext"),
            currency: text(map, "currency"),
            charge_nanos: nanos("charge").saturating_add(nanos("connectionCharge")),
            seconds: map.get("duration").and_then(Value::as_i64).unwrap_or(0),
        });
    }
    facts
}

/// Whether a PSTN `callType` is a dial-out from an online meeting (Teams writes `conf_out`).
pub fn is_meeting_dialout(call_type: &str) -> bool {
    call_type.eq_ignore_ascii_case("conf_out")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn beta_schema_has_the_beta_shape() {
        let beta = beta_schema();
        let pstn = beta.structured_type(LogKind::PstnCall.type_name()).unwrap();
        assert_eq!(
            pstn.ancestors(),
            ["microsoft.graph.callRecords.callLogRow".to_owned()]
        );
        assert!(pstn.property("otherPartyCountryCode").is_some());
        assert!(pstn.property("clientPublicIpV4Address").is_some());
        assert!(pstn.property("callDurationSource").is_some());
        for kind in LogKind::ALL {
            assert!(beta.structured_type(kind.type_name()).is_some(), "{kind}");
            assert!(
                beta.functions()
                    .iter()
                    .any(|f| f.name.ends_with(kind.function_name())),
                "{kind}"
            );
        }
        // The v1.0 functions give way to the fragment's; none appears twice.
        let names: Vec<&str> = beta.functions().iter().map(|f| f.name.as_str()).collect();
        let mut unique = names.clone();
        unique.dedup();
        assert_eq!(names.len(), unique.len());
    }

    #[test]
    fn v1_properties_are_graphs_and_beta_adds_to_them() {
        let v1 = properties(LogKind::PstnCall, SchemaVersion::V1);
        assert_eq!(v1.len(), 23);
        assert!(!v1.contains(&"otherPartyCountryCode"));
        let beta = properties(LogKind::PstnCall, SchemaVersion::Beta);
        assert!(v1.iter().all(|p| beta.contains(p)));
        assert_eq!(
            beta_only_properties(LogKind::DirectRouting),
            [
                "administrativeUnitInfos",
                "otherPartyCountryCode",
                "transferorCorrelationId",
                "userCountryCode"
            ]
        );
        assert!(properties(LogKind::Sms, SchemaVersion::V1).is_empty());
        assert!(properties(LogKind::Sms, SchemaVersion::Beta).contains(&"smsUnits"));
    }

    #[test]
    fn kinds_read_from_names() {
        for kind in LogKind::ALL {
            assert_eq!(LogKind::parse(kind.flag()), Some(kind));
            assert_eq!(LogKind::parse(kind.function_name()), Some(kind));
            assert_eq!(
                LogKind::from_type_name(&format!("#{}", kind.type_name())),
                Some(kind)
            );
            assert_eq!(LogKind::from_code(kind.code()), Some(kind));
        }
        assert_eq!(
            LogKind::from_type_name("#microsoft.graph.smsLogRow"),
            Some(LogKind::Sms)
        );
        assert_eq!(LogKind::from_type_name("#other.smsLogRow"), None);
        assert_eq!(LogKind::parse("callRecord"), None);
    }

    fn pstn_row() -> Value {
        json!({
            "id": "9c4984c7-6c3c-427d-a30c-bd0b2eacee90",
            "userPrincipalName": "richard.malk@contoso.com",
            "startDateTime": "2019-11-01T00:00:08.2589935Z",
            "duration": 219,
            "charge": 1.25,
            "connectionCharge": 0.1,
            "callType": "conf_out",
            "currency": "USD",
            "callDurationSource": "microsoft"
        })
    }

    #[test]
    fn a_row_is_prepared_with_its_facts() {
        let checked = check_log_row(Some(LogKind::PstnCall), pstn_row()).unwrap();
        let row = checked.row;
        assert_eq!(row.key, "9c4984c7-6c3c-427d-a30c-bd0b2eacee90");
        assert_eq!(
            row.time,
            edm::parse_date_time_offset("2019-11-01T00:00:08.2589935Z").unwrap()
        );
        let dialout = row.facts.dialout.unwrap();
        assert_eq!(dialout.charge_nanos, 1_350_000_000);
        assert_eq!(dialout.seconds, 219);
        assert!(checked.warnings.is_empty(), "{:?}", checked.warnings);
    }

    #[test]
    fn rows_are_refused_with_a_path() {
        let check = |hint: Option<LogKind>, v: Value| {
            check_log_row(hint, v)
                .map(|_| "ok".to_owned())
                .unwrap_or_else(|e| e.to_string())
        };
        let mut no_start = pstn_row();
        no_start.as_object_mut().unwrap().remove("startDateTime");
        assert!(
            check(Some(LogKind::PstnCall), no_start)
                .starts_with("$.startDateTime: the required property")
        );
        let mut bad_duration = pstn_row();
        bad_duration["duration"] = json!("long");
        assert!(
            check(Some(LogKind::PstnCall), bad_duration)
                .starts_with("$.duration: expected Edm.Int32")
        );
        assert!(check(None, pstn_row()).starts_with("$: cannot tell which kind"));
        let mut typed = pstn_row();
        typed["@odata.type"] = json!("#microsoft.graph.callRecords.directRoutingLogRow");
        assert!(check(Some(LogKind::PstnCall), typed).contains("it was sent as a pstnCallLogRow"));
        assert!(check(None, json!([1])).starts_with("$: a log row must be a JSON object"));
        let report = json!({"@odata.type": "#microsoft.graph.callRecords.pstnOnlineMeetingDialoutReport", "totalCalls": 1});
        assert!(check(None, report).contains("ingest those instead"));
        let mut bad_id = pstn_row();
        bad_id["id"] = json!("a/b");
        assert!(check(Some(LogKind::PstnCall), bad_id).starts_with("$.id:"));
    }

    #[test]
    fn rows_without_id_get_a_content_key() {
        let row = json!({"userPrincipalName": "a@contoso.com", "blockDateTime": "2022-11-23T13:51:09.796Z", "userBlockMode": "Blocked"});
        let reordered = json!({"userBlockMode": "Blocked", "blockDateTime": "2022-11-23T13:51:09.796Z", "userPrincipalName": "a@contoso.com"});
        let a = check_log_row(Some(LogKind::PstnBlockedUser), row).unwrap();
        let b = check_log_row(Some(LogKind::PstnBlockedUser), reordered).unwrap();
        assert_eq!(a.row.key, b.row.key);
        assert!(a.row.key.starts_with('~'));
        let other = json!({"userPrincipalName": "b@contoso.com", "blockDateTime": "2022-11-23T13:51:09.796Z", "userBlockMode": "Blocked"});
        let c = check_log_row(Some(LogKind::PstnBlockedUser), other).unwrap();
        assert_ne!(a.row.key, c.row.key);
        // The capitalised member of Graph's own example is kept, with a warning that names the member.
        assert_eq!(a.warnings.len(), 1);
        assert!(
            a.warnings[0]
                .message
                .contains("the member is spelled 'blocked'"),
            "{:?}",
            a.warnings
        );
        assert_eq!(a.row.facts.call_type.as_deref(), Some("Blocked"));
    }

    #[test]
    fn annotations_are_not_stored() {
        let mut row = pstn_row();
        row["@odata.type"] = json!("#microsoft.graph.callRecords.pstnCallLogRow");
        let checked = check_log_row(None, row).unwrap();
        let body: Value = serde_json::from_slice(&checked.row.body).unwrap();
        assert!(body.get("@odata.type").is_none());
        assert_eq!(body["id"], "9c4984c7-6c3c-427d-a30c-bd0b2eacee90");
    }
}
