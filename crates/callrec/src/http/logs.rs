//! Graph's log functions on the callRecords collection (`getPstnCalls`, `getDirectRoutingCalls`, and
//! under `/beta` `getSmsLog`, `getPstnBlockedUsersLog`, `getPstnOnlineMeetingDialoutReport`), and callrec's
//! own endpoints that write log rows and link them to call records.
//!
//! A function call arrives on the record route (`/communications/callRecords/{id}`, whose `{id}` is then
//! `getPstnCalls(fromDateTime=...,toDateTime=...)`), so [`super::call_records::get_record`] hands such
//! requests here. Pages hold 1,000 rows, as Graph's do; the nextLink ends in `$skip=N` as Graph's does and
//! also carries a `$skiptoken` with the keyset position, so that deep pages cost what the first does. A
//! request with only `$skip` (a client building its own URLs) is served by offset, with the same result.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use callrec_model::edm::Ticks;
use callrec_model::logs::function::FunctionErrorKind;
use callrec_model::logs::{
    self, DialoutQuery, FunctionCall, LogCursor, LogFilter, LogKind, LogQuery, LogStart,
    SchemaVersion, log_filter, parse_function_call,
};
use callrec_model::odata::{self, RawOptions};
use callrec_store::logs::{DialoutRow, LogPutOutcome};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::body::{check_json_content_type, parse_json};
use super::error::{ApiError, codes};
use super::extract::ReadContext;
use super::paging;
use super::wire::{self, BaseUrl, ObjectWriter, Preferences};
use super::{ApiVersion, AppState};
use crate::auth::Caller;
use crate::ingest::{self, IngestError, IngestSummary};

/// Rows in one page of a log function (Graph's).
pub const LOG_PAGE: usize = 1000;
/// Rows the record → rows link returns at most.
const LINKED_ROWS_MAX: usize = 1000;

/// Whether a (percent-decoded) `{id}` of the record route is a call of a log function.
pub fn is_function_call(id: &str) -> bool {
    logs::function::is_function_segment(id)
}

fn schema_version(version: ApiVersion) -> SchemaVersion {
    match version {
        ApiVersion::V1 => SchemaVersion::V1,
        ApiVersion::Beta => SchemaVersion::Beta,
    }
}

/// The log functions are read-only, as all of Graph's call records API is.
pub fn method_not_allowed(id: &str) -> ApiError {
    let name = id.split('(').next().unwrap_or(id);
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        codes::METHOD_NOT_ALLOWED,
        format!("{name} is a function; it is called with GET only."),
    )
}

/// The last path segment of a request, as sent (percent-encoded).
fn last_segment(uri: &Uri) -> &str {
    uri.path()
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
}

/// The continuation inside a log function's nextLink: the keyset position after `skip` rows of exactly this
/// call, so a `$skip` that matches it is served by seeking instead of counting.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct LogToken {
    tenant: String,
    kind: String,
    from: i64,
    to: i64,
    filter: Option<String>,
    skip: u64,
    time: i64,
    seq: i64,
}

/// The options a log function accepts (all callrec extensions, except `$skip` of Graph's nextLinks).
struct LogOptions {
    filter_text: Option<String>,
    filter: Option<LogFilter>,
    select_text: Option<String>,
    select: Option<Vec<String>>,
    skip: Option<u64>,
    skiptoken: Option<String>,
}

fn log_options(
    raw: &RawOptions,
    call: &FunctionCall,
    version: SchemaVersion,
) -> Result<LogOptions, ApiError> {
    let function = call.kind.function_name();
    const ALLOWED: [&str; 4] = ["$filter", "$select", "$skip", "$skiptoken"];
    if let Some(other) = raw.present().into_iter().find(|o| !ALLOWED.contains(o)) {
        return Err(ApiError::bad_request(format!(
            "The query option '{other}' is not supported on {function}; supported: {}.",
            ALLOWED.join(", ")
        )));
    }
    let filter = raw
        .filter
        .as_deref()
        .map(|text| log_filter(text, call.kind))
        .transpose()?;
    let properties = logs::properties(call.kind, version);
    let select = raw
        .select
        .as_deref()
        .map(|text| odata::parse_select(text, &properties))
        .transpose()?
        .filter(|names| !names.iter().any(|n| n == "*"));
    let skip = raw
        .skip
        .as_deref()
        .map(odata::parse_skip)
        .transpose()?
        .map(u64::from);
    Ok(LogOptions {
        filter_text: raw.filter.clone(),
        filter,
        select_text: raw.select.clone(),
        select,
        skip,
        skiptoken: raw.skiptoken.clone(),
    })
}

fn function_error(e: logs::FunctionCallError) -> ApiError {
    match e.kind {
        FunctionErrorKind::BadRequest => ApiError::bad_request(e.message),
        FunctionErrorKind::RangeTooLong => {
            ApiError::new(StatusCode::NOT_ACCEPTABLE, codes::NOT_ACCEPTABLE, e.message)
        }
    }
}

/// Percent-encodes a value for a URL callrec writes: everything but unreserved characters and `:`, so an
/// offset's `+` is sent as `%2B`, as the SDKs send it.
fn encode(text: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~')
        .remove(b':');
    percent_encoding::utf8_percent_encode(text, SET).to_string()
}

/// `GET /communications/callRecords/{function}(fromDateTime=...,toDateTime=...)`.
pub async fn call_function(
    state: AppState,
    cx: ReadContext,
    uri: Uri,
) -> Result<Response, ApiError> {
    let ReadContext {
        base,
        prefs,
        tenant,
        ..
    } = cx;
    let version = base.version;
    let segment = percent_encoding::percent_decode_str(last_segment(&uri))
        .decode_utf8_lossy()
        .into_owned();
    let call = parse_function_call(&segment, state.config.lenient_functions)
        .map_err(function_error)?
        .ok_or_else(|| {
            ApiError::bad_request(format!("Resource not found for the segment '{segment}'."))
        })?;
    let schema_version = schema_version(version);
    if !call.kind.served_in(schema_version) {
        return Err(ApiError::bad_request(format!(
            "Resource not found for the segment '{}'. {} exists only under /beta.",
            call.name,
            call.kind.function_name()
        )));
    }
    call.check_range().map_err(function_error)?;
    let opts = log_options(&super::options::raw(uri.query())?, &call, schema_version)?;
    let skip = opts.skip.unwrap_or(0);
    let context = base.context(&format!("Collection({})", call.kind.type_name()));
    let mut body = Vec::with_capacity(64 * 1024);
    let mut top = ObjectWriter::new(&mut body);
    top.string("@odata.context", &context);
    let shape = Shape::new(call.kind, schema_version, &opts, &prefs);
    // Rows past their retention period are gone, as in Graph: the range starts no earlier than that.
    let from = state.config.log_retention.clamp_from(call.kind, call.from);

    let (count, next) = if call.kind == LogKind::PstnOnlineMeetingDialout {
        let page = state
            .store
            .dialout_report(
                &tenant,
                &DialoutQuery {
                    from,
                    to: call.to,
                    to_inclusive: call.kind.to_inclusive(),
                    filter: opts.filter.clone(),
                    offset: skip,
                    limit: LOG_PAGE,
                },
            )
            .await?;
        let count = page.rows.len();
        top.number("@odata.count", count as u64);
        top.begin_field("value");
        let out = top.buffer();
        out.push(b'[');
        for (i, row) in page.rows.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let value = Value::Object(dialout_object(row));
            write_row(
                out,
                &serde_json::to_vec(&value).expect("a JSON value serializes"),
                &shape,
            );
        }
        out.push(b']');
        (count, page.more.then_some(None))
    } else {
        let start = continuation(&opts, &call, &tenant, skip)?;
        let page = state
            .store
            .list_log_rows(
                &tenant,
                &LogQuery {
                    kind: call.kind,
                    from,
                    to: call.to,
                    to_inclusive: call.kind.to_inclusive(),
                    filter: opts.filter.clone(),
                    start,
                    limit: LOG_PAGE,
                },
            )
            .await?;
        let count = page.rows.len();
        top.number("@odata.count", count as u64);
        top.begin_field("value");
        let out = top.buffer();
        out.push(b'[');
        for (i, row) in page.rows.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_row(out, &row.body, &shape);
        }
        out.push(b']');
        let last = page.rows.last().map(|r| r.cursor);
        (count, page.more.then_some(last))
    };
    if let Some(cursor) = next {
        let skip_next = skip + count as u64;
        top.string(
            "@odata.nextLink",
            &next_link(&base, &call, &opts, &tenant, skip_next, cursor),
        );
    }
    top.finish();
    Ok(wire::json_response(
        StatusCode::OK,
        body,
        prefs.applied(None),
    ))
}

/// Where a page starts: the token's keyset position when it belongs to exactly this call and `$skip`,
/// else the offset `$skip`.
fn continuation(
    opts: &LogOptions,
    call: &FunctionCall,
    tenant: &str,
    skip: u64,
) -> Result<LogStart, ApiError> {
    let Some(text) = &opts.skiptoken else {
        return Ok(LogStart::Offset(skip));
    };
    let token: LogToken = paging::decode(text)?;
    let same_call = token.tenant == tenant
        && token.kind == call.kind.flag()
        && token.from == call.from.0
        && token.to == call.to.0
        && token.filter.as_deref().map(str::trim) == opts.filter_text.as_deref().map(str::trim);
    if same_call && (opts.skip.is_none() || opts.skip == Some(token.skip)) {
        Ok(LogStart::After(LogCursor {
            time: Ticks(token.time),
            seq: token.seq,
        }))
    } else {
        Ok(LogStart::Offset(skip))
    }
}

fn next_link(
    base: &BaseUrl,
    call: &FunctionCall,
    opts: &LogOptions,
    tenant: &str,
    skip: u64,
    cursor: Option<LogCursor>,
) -> String {
    let mut link = format!(
        "{}/communications/callRecords/{}(fromDateTime={},toDateTime={})?",
        base.root(),
        encode(&call.name),
        encode(&call.from_text),
        encode(&call.to_text)
    );
    if let Some(filter) = &opts.filter_text {
        link.push_str(&format!("$filter={}&", encode(filter)));
    }
    if let Some(select) = &opts.select_text {
        link.push_str(&format!("$select={}&", encode(select)));
    }
    if let Some(cursor) = cursor {
        let token = LogToken {
            tenant: tenant.to_owned(),
            kind: call.kind.flag().to_owned(),
            from: call.from.0,
            to: call.to.0,
            filter: opts.filter_text.clone(),
            skip,
            time: cursor.time.0,
            seq: cursor.seq,
        };
        link.push_str(&format!("$skiptoken={}&", paging::encode(&token)));
    }
    link.push_str(&format!("$skip={skip}"));
    link
}

/// How a stored row is written for one request.
struct Shape<'a> {
    /// Properties a v1.0 response must not show (the row is stored in its beta shape).
    hidden: Vec<&'static str>,
    /// `"name":` of each hidden property, to find rows that need no reshaping without parsing them.
    hidden_keys: Vec<Vec<u8>>,
    select: Option<&'a [String]>,
    omit_nulls: bool,
}

impl<'a> Shape<'a> {
    fn new(
        kind: LogKind,
        version: SchemaVersion,
        opts: &'a LogOptions,
        prefs: &Preferences,
    ) -> Self {
        let hidden = match version {
            SchemaVersion::V1 => logs::beta_only_properties(kind),
            SchemaVersion::Beta => Vec::new(),
        };
        Shape {
            hidden_keys: hidden
                .iter()
                .map(|p| format!("\"{p}\":").into_bytes())
                .collect(),
            hidden,
            select: opts.select.as_deref(),
            omit_nulls: prefs.omit_nulls,
        }
    }

    fn needs_reshape(&self, body: &[u8]) -> bool {
        self.select.is_some()
            || self.omit_nulls
            || self
                .hidden_keys
                .iter()
                .any(|k| memchr::memmem::find(body, k).is_some())
    }
}

fn write_row(out: &mut Vec<u8>, body: &[u8], shape: &Shape<'_>) {
    if !shape.needs_reshape(body) {
        out.extend_from_slice(body);
        return;
    }
    let Ok(Value::Object(mut map)) = serde_json::from_slice::<Value>(body) else {
        out.extend_from_slice(body);
        return;
    };
    map.retain(|k, v| {
        !shape.hidden.contains(&k.as_str())
            && shape.select.is_none_or(|s| s.iter().any(|n| n == k))
            && !(shape.omit_nulls && v.is_null())
    });
    serde_json::to_writer(&mut *out, &Value::Object(map)).expect("writing to a Vec cannot fail");
}

/// A dial-out report row in the order Graph's example writes its properties.
fn dialout_object(row: &DialoutRow) -> Map<String, Value> {
    let text = |v: &Option<String>| v.clone().map_or(Value::Null, Value::String);
    let mut map = Map::new();
    map.insert("userId".into(), text(&row.user_id));
    map.insert("userPrincipalName".into(), text(&row.user_principal_name));
    map.insert("userDisplayName".into(), text(&row.user_display_name));
    map.insert("usageLocation".into(), text(&row.usage_location));
    map.insert("destinationContext".into(), text(&row.destination_context));
    map.insert("currency".into(), text(&row.currency));
    map.insert("totalCalls".into(), Value::from(row.total_calls));
    // The division of two exact integers rounds once, to the double nearest the decimal sum.
    let charge = row.total_charge_nanos as f64 / 1e9;
    map.insert(
        "totalCallCharge".into(),
        serde_json::Number::from_f64(charge).map_or(Value::Null, Value::Number),
    );
    map.insert("totalCallSeconds".into(), Value::from(row.total_seconds));
    map
}

fn kind_from_path(text: &str) -> Result<LogKind, ApiError> {
    LogKind::parse(text).ok_or_else(|| {
        ApiError::not_found(format!(
            "There is no kind of log row called '{text}'; use one of {}.",
            LogKind::ALL
                .iter()
                .filter(|k| k.is_stored())
                .map(|k| k.flag())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

/// `POST /callrec/logs`: ingests one log row whose kind its `@odata.type` names.
pub async fn post_row(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    ingest_one(&state, &caller.tenant, None, &headers, &body).await
}

/// `POST /callrec/logs/{kind}`: ingests one log row of this kind (`pstnCall`, `directRoutingCall`, `sms`,
/// `pstnBlockedUser`, or a type name).
pub async fn post_row_of_kind(
    State(state): State<AppState>,
    Path(kind): Path<String>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    let kind = kind_from_path(&kind)?;
    ingest_one(&state, &caller.tenant, Some(kind), &headers, &body).await
}

async fn ingest_one(
    state: &AppState,
    tenant: &str,
    kind: Option<LogKind>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, ApiError> {
    check_json_content_type(headers, "log row")?;
    let value = parse_json(body, "log row")?;
    let (row, warnings) = crate::ingest::admit_log_row(kind, value, &state.ingest_options())?;
    let (kind, key, stored_body) = (row.kind, row.key.clone(), row.body.clone());
    let outcome = state
        .store
        .put_log_rows(tenant, vec![row])
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::internal("the store reported no outcome for a write"))?;
    let (status, label) = match outcome {
        LogPutOutcome::Created => (StatusCode::CREATED, "created"),
        LogPutOutcome::Replaced => (StatusCode::OK, "replaced"),
    };
    let mut response = wire::json_response(status, stored_body, None);
    let h = response.headers_mut();
    h.insert("callrec-ingest-outcome", HeaderValue::from_static(label));
    h.insert("callrec-warnings", HeaderValue::from(warnings));
    if let Ok(location) = HeaderValue::from_str(&format!(
        "/callrec/logs/{}/{}",
        kind.flag(),
        wire::encode_segment(&key)
    )) {
        h.insert(header::LOCATION, location);
    }
    Ok(response)
}

/// `GET /callrec/logs/{kind}/{key}`: one stored row, in its beta shape.
pub async fn get_row(
    State(state): State<AppState>,
    Path((kind, key)): Path<(String, String)>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let kind = kind_from_path(&kind)?;
    let row = state.store.get_log_row(&caller.tenant, kind, &key).await?;
    match row.filter(|body| state.config.log_retention.keeps(kind, body)) {
        Some(body) => Ok(wire::json_response(StatusCode::OK, body, None)),
        None => Err(ApiError::not_found(format!(
            "The {} row '{key}' was not found.",
            kind.simple_type_name()
        ))),
    }
}

/// `DELETE /callrec/logs/{kind}/{key}`.
pub async fn delete_row(
    State(state): State<AppState>,
    Path((kind, key)): Path<(String, String)>,
    caller: Caller,
) -> Result<Response, ApiError> {
    let kind = kind_from_path(&kind)?;
    if state
        .store
        .delete_log_row(&caller.tenant, kind, &key)
        .await?
    {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(ApiError::not_found(format!(
            "The {} row '{key}' was not found.",
            kind.simple_type_name()
        )))
    }
}

/// `POST /callrec/import`: call records or log rows (NDJSON, a JSON array or a Graph page, optionally
/// gzip-compressed). `?kind=` names what the body holds (`callRecord`, `pstnCall`, ...); without it the
/// body's first bytes tell.
pub async fn bulk_import(
    State(state): State<AppState>,
    caller: Caller,
    uri: Uri,
    body: Bytes,
) -> Result<Response, ApiError> {
    let raw = super::options::raw(uri.query())?;
    let kind = raw
        .custom
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("kind"))
        .map(|(_, value)| ingest::parse_kind(value))
        .transpose()
        .map_err(IngestError::from)?;
    // The body limit holds the compressed bytes; this one the bytes they decompress to.
    let decoded_limit = state.config.max_body_bytes as u64;
    let reader = ingest::maybe_gunzip(std::io::Cursor::new(body), decoded_limit)
        .map_err(IngestError::from)?;
    let summary: IngestSummary = ingest::ingest_any(
        state.store.clone(),
        &caller.tenant,
        reader,
        kind,
        state.ingest_options(),
        |_| {},
    )
    .await?;
    let body = serde_json::to_vec(&summary).map_err(ApiError::internal)?;
    Ok(wire::json_response(StatusCode::OK, body, None))
}

/// `GET /callrec/callRecords/{id}/directRoutingCalls`: the direct-routing rows of a call record (those
/// whose `correlationId` is the record's id), whatever their time, in the shape of a Graph collection.
/// The other way, a row's `correlationId` is the id to `GET /communications/callRecords/{id}` with.
pub async fn linked_rows(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    wire::check_accepts_json(&headers)?;
    let base = BaseUrl::from_headers(&headers, ApiVersion::Beta);
    let mut rows = state
        .store
        .correlated_log_rows(&caller.tenant, &id, LINKED_ROWS_MAX)
        .await?;
    rows.retain(|body| {
        state
            .config
            .log_retention
            .keeps(LogKind::DirectRouting, body)
    });
    let mut body = Vec::with_capacity(4096);
    let mut top = ObjectWriter::new(&mut body);
    top.string(
        "@odata.context",
        &base.context(&format!(
            "Collection({})",
            LogKind::DirectRouting.type_name()
        )),
    );
    top.number("@odata.count", rows.len() as u64);
    top.begin_field("value");
    let out = top.buffer();
    out.push(b'[');
    for (i, row) in rows.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(row);
    }
    out.push(b']');
    top.finish();
    Ok(wire::json_response(StatusCode::OK, body, None))
}
