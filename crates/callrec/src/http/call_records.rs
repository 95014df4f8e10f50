//! Graph's read API for call records: the collection, one record with its expansions, and the contained
//! sessions, segments, participants and organizer.
//!
//! Responses are assembled from the stored JSON pieces (see [`super::wire`]); expanded collections page
//! inside the body (`sessions@odata.nextLink` after 60 sessions, `participants_v2@odata.nextLink` after 130)
//! and every nextLink is a URL this module answers.

use axum::extract::{Path, State};
use axum::http::{StatusCode, Uri};
use axum::response::Response;
use callrec_model::edm::Ticks;
use callrec_model::query::{Cursor, ListQuery};
use callrec_store::{RecordRow, SessionRow, Slice};
use serde_json::Value;

use super::error::ApiError;
use super::extract::ReadContext;
use super::options::{
    self, CALL_RECORD, ListOptions, ORGANIZER, PARTICIPANT, RecordOptions, SEGMENT, SESSION,
    SessionExpansion,
};
use super::paging::{self, ListToken, SliceToken};
use super::state::AppState;
use super::wire::{self, ObjectWriter, encode_segment, key_literal};

/// Sessions in one page, in a record or in the sessions collection (Graph's maximum).
pub const SESSION_PAGE: u32 = 60;
/// Participants in one page (Graph's maximum).
pub const PARTICIPANT_PAGE: u32 = 130;
/// Records in one page of the list by default (Graph's).
pub const LIST_PAGE: u32 = 60;
/// The largest page of records a client may ask for with `Prefer: odata.maxpagesize`.
pub const LIST_PAGE_MAX: u32 = 1000;

/// The URLs and contexts of call records, for the read handlers.
impl ReadContext {
    fn record_path(&self, id: &str) -> String {
        format!(
            "{}/communications/callRecords/{}",
            self.base.root(),
            encode_segment(id)
        )
    }

    /// The nextLink of a record's sessions or participants_v2: the collection's URL with the token that
    /// resumes it. The record comes from the token, so the link and the token cannot name different records.
    fn slice_link(&self, collection: &str, token: &SliceToken) -> String {
        format!(
            "{}/{collection}?$skiptoken={}",
            self.record_path(&token.record_id),
            paging::encode(token)
        )
    }

    fn record_context(&self, id: &str, tail: &str) -> String {
        self.base.context(&format!(
            "communications/callRecords({}){tail}",
            key_literal(id)
        ))
    }
}

/// Refuses an id in the URL that no stored entity can have, as Graph refuses malformed keys.
fn check_id(what: &str, id: &str) -> Result<(), ApiError> {
    match callrec_model::validate::id_problem(id) {
        Some(problem) => Err(ApiError::bad_request(format!(
            "The {what} id '{id}' is malformed: {problem}."
        ))),
        None => Ok(()),
    }
}

fn not_found(what: &str, id: &str) -> ApiError {
    ApiError::not_found(format!("The {what} '{id}' was not found."))
}

/// `GET /communications/callRecords`.
pub async fn list(
    State(state): State<AppState>,
    cx: ReadContext,
    uri: Uri,
) -> Result<Response, ApiError> {
    let raw = options::raw(uri.query())?;
    let mut opts = ListOptions::parse(&raw)?;
    let mut page_size = LIST_PAGE;
    let mut page_size_applied = None;
    let mut after = None;
    let mut remaining = opts.top;
    if let Some(text) = opts.skiptoken.clone() {
        let token: ListToken = paging::decode(&text)?;
        paging::check_tenant(&token.tenant, &cx.tenant)?;
        merge_option("filter", &mut opts.filter_text, token.filter.clone())?;
        merge_option("select", &mut opts.select_text, token.select.clone())?;
        merge_option("orderby", &mut opts.orderby_text, token.orderby.clone())?;
        opts.set_filter(opts.filter_text.clone())?;
        opts.set_select(opts.select_text.clone())?;
        opts.set_orderby(opts.orderby_text.clone())?;
        opts.count |= token.count;
        page_size = token.page_size;
        remaining = token.remaining;
        after = Some(Cursor {
            key: Ticks(token.after_key),
            id: token.after_id,
        });
    } else if let Some(n) = cx.prefs.max_page_size {
        page_size = n.min(LIST_PAGE_MAX);
        page_size_applied = Some(page_size);
    }
    let limit = match remaining {
        Some(r) => (r.min(u64::from(page_size))) as usize,
        None => page_size as usize,
    };
    let query = ListQuery {
        filter: opts.filter.clone(),
        order: opts.order,
        after,
        limit,
        count: opts.count,
    };
    let page = if limit == 0 && !opts.count {
        callrec_store::RecordPage {
            items: Vec::new(),
            next: None,
            count: None,
        }
    } else {
        state.records().list_records(&cx.tenant, &query).await?
    };

    let mut body = Vec::with_capacity(1024 + page.items.len() * 1024);
    let mut top = ObjectWriter::new(&mut body);
    let shape = opts
        .select
        .as_ref()
        .map(|s| format!("({})", s.join(",")))
        .unwrap_or_default();
    top.string(
        "@odata.context",
        &cx.base
            .context(&format!("communications/callRecords{shape}")),
    );
    if let Some(count) = page.count {
        top.number("@odata.count", count);
    }
    top.begin_field("value");
    {
        let out = top.buffer();
        out.push(b'[');
        for (i, row) in page.items.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            write_list_item(out, &cx, row, opts.select.as_deref());
        }
        out.push(b']');
    }
    let returned = page.items.len() as u64;
    let remaining_after = remaining.map(|r| r.saturating_sub(returned));
    if let Some(next) = page.next.filter(|_| remaining_after != Some(0)) {
        let token = ListToken {
            tenant: cx.tenant.clone(),
            filter: opts.filter_text.clone(),
            select: opts.select_text.clone(),
            orderby: opts.orderby_text.clone(),
            count: opts.count,
            page_size,
            remaining: remaining_after,
            after_key: next.key.0,
            after_id: next.id,
        };
        top.string(
            "@odata.nextLink",
            &format!(
                "{}/communications/callRecords?$skiptoken={}",
                cx.base.root(),
                paging::encode(&token)
            ),
        );
    }
    top.finish();
    Ok(wire::json_response(
        StatusCode::OK,
        body,
        cx.prefs.applied(page_size_applied),
    ))
}

/// An option repeated beside a `$skiptoken` must say the same as the token (an SDK may re-add options to
/// a nextLink); a different value would silently change the listing, so it is refused.
fn merge_option(
    name: &str,
    explicit: &mut Option<String>,
    from_token: Option<String>,
) -> Result<(), ApiError> {
    match (explicit.as_deref(), from_token.as_deref()) {
        (Some(e), t) if Some(e.trim()) != t.map(str::trim) => Err(ApiError::bad_request(format!(
            "The query option '${name}' differs from the one this $skiptoken was made with; follow @odata.nextLink as it is."
        ))),
        _ => {
            *explicit = from_token;
            Ok(())
        }
    }
}

fn write_list_item(
    out: &mut Vec<u8>,
    cx: &ReadContext,
    row: &RecordRow,
    select: Option<&[String]>,
) {
    let mut item = ObjectWriter::new(out);
    if select.is_some() || cx.shaping.omit_nulls {
        let mut head = Vec::with_capacity(row.head.len());
        wire::write_piece(&mut head, &row.head, CALL_RECORD, &cx.shaping, select);
        item.members_of(&head);
    } else {
        item.members_of(&row.head);
    }
    write_organizer(&mut item, cx, row);
    item.finish();
}

fn write_organizer(item: &mut ObjectWriter<'_>, cx: &ReadContext, row: &RecordRow) {
    item.string(
        "organizer_v2@odata.context",
        &cx.record_context(&row.id, "/organizer_v2/$entity"),
    );
    item.begin_field("organizer_v2");
    match &row.organizer {
        Some(o) => wire::write_piece(item.buffer(), o, ORGANIZER, &cx.shaping, None),
        None => item.buffer().extend_from_slice(b"null"),
    }
}

/// `GET /communications/callRecords/{id}`.
pub async fn get_record(
    State(state): State<AppState>,
    Path(id): Path<String>,
    cx: ReadContext,
    uri: Uri,
) -> Result<Response, ApiError> {
    // `{id}` is also how a log function call arrives: `getPstnCalls(fromDateTime=...,toDateTime=...)`.
    if super::logs::is_function_call(&id) {
        return super::logs::call_function(state, cx, uri).await;
    }
    check_id("callRecord", &id)?;
    let opts = RecordOptions::parse(&options::raw(uri.query())?)?;
    let sessions_slice = opts.sessions.as_ref().map(|e| {
        let slice = Slice {
            offset: 0,
            limit: SESSION_PAGE,
        };
        (slice, e.segments)
    });
    let participants_slice = opts.participants.as_ref().map(|_| Slice {
        offset: 0,
        limit: PARTICIPANT_PAGE,
    });
    let found = state
        .records()
        .record_with_children(&cx.tenant, &id, sessions_slice, participants_slice)
        .await?
        .ok_or_else(|| not_found("callRecord", &id))?;
    let (row, sessions, participants) = (found.record, found.sessions, found.participants);

    let mut body = Vec::with_capacity(row.head.len() + 4096);
    let mut obj = ObjectWriter::new(&mut body);
    obj.string(
        "@odata.context",
        &cx.base.context(&format!(
            "communications/callRecords{}/$entity",
            opts.context_shape()
        )),
    );
    let head_select = opts.select.as_ref().map(|s| s.to_vec());
    if head_select.is_some() || cx.shaping.omit_nulls {
        let mut head = Vec::with_capacity(row.head.len());
        wire::write_piece(
            &mut head,
            &row.head,
            CALL_RECORD,
            &cx.shaping,
            head_select.as_deref(),
        );
        obj.members_of(&head);
    } else {
        obj.members_of(&row.head);
    }
    write_organizer(&mut obj, &cx, &row);
    obj.string(
        "participants_v2@odata.context",
        &cx.record_context(&row.id, "/participants_v2/$entity"),
    );
    if let Some(select) = &opts.participants {
        obj.begin_field("participants_v2");
        write_participants(obj.buffer(), &cx, &participants, select.as_deref());
        if row.participant_count > PARTICIPANT_PAGE {
            let token = SliceToken {
                tenant: cx.tenant.clone(),
                record_id: row.id.clone(),
                expand: None,
                select: select.as_ref().map(|s| s.join(",")),
                page_size: PARTICIPANT_PAGE,
                offset: PARTICIPANT_PAGE,
            };
            obj.string(
                "participants_v2@odata.nextLink",
                &cx.slice_link("participants_v2", &token),
            );
        }
    }
    if let Some(expansion) = &opts.sessions {
        obj.begin_field("sessions");
        write_sessions(obj.buffer(), &cx, &sessions, expansion);
        if row.session_count > SESSION_PAGE {
            let token = session_token(&cx, &row.id, expansion, SESSION_PAGE, SESSION_PAGE);
            obj.string(
                "sessions@odata.nextLink",
                &cx.slice_link("sessions", &token),
            );
        }
    }
    obj.finish();
    Ok(wire::json_response(
        StatusCode::OK,
        body,
        cx.prefs.applied(None),
    ))
}

fn session_token(
    cx: &ReadContext,
    record_id: &str,
    e: &SessionExpansion,
    page_size: u32,
    offset: u32,
) -> SliceToken {
    let expand = e.segments.then(|| match &e.segment_select {
        Some(s) => format!("segments($select={})", s.join(",")),
        None => "segments".to_owned(),
    });
    SliceToken {
        tenant: cx.tenant.clone(),
        record_id: record_id.to_owned(),
        expand,
        select: e.select.as_ref().map(|s| s.join(",")),
        page_size,
        offset,
    }
}

fn write_sessions(
    out: &mut Vec<u8>,
    cx: &ReadContext,
    sessions: &[SessionRow],
    e: &SessionExpansion,
) {
    out.push(b'[');
    for (i, s) in sessions.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_session(out, cx, s, e);
    }
    out.push(b']');
}

fn write_session(out: &mut Vec<u8>, cx: &ReadContext, s: &SessionRow, e: &SessionExpansion) {
    let mut obj = ObjectWriter::new(out);
    if e.select.is_some() || wire::needs_reshape(&cx.shaping, &s.head) {
        let mut head = Vec::with_capacity(s.head.len());
        wire::write_piece(
            &mut head,
            &s.head,
            SESSION,
            &cx.shaping,
            e.select.as_deref(),
        );
        obj.members_of(&head);
    } else {
        obj.members_of(&s.head);
    }
    if e.segments {
        obj.begin_field("segments");
        match &s.segments {
            Some(seg) => wire::write_piece(
                obj.buffer(),
                seg,
                SEGMENT,
                &cx.shaping,
                e.segment_select.as_deref(),
            ),
            None => obj.buffer().extend_from_slice(b"[]"),
        }
    }
    obj.finish();
}

fn write_participants(
    out: &mut Vec<u8>,
    cx: &ReadContext,
    participants: &[callrec_store::ParticipantRow],
    select: Option<&[String]>,
) {
    out.push(b'[');
    for (i, p) in participants.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        wire::write_piece(out, &p.body, PARTICIPANT, &cx.shaping, select);
    }
    out.push(b']');
}

/// Reads the page size and offset of a record's sub-collection from the request or its skiptoken.
fn slice_of(
    cx: &ReadContext,
    record_id: &str,
    skiptoken: Option<&str>,
    max: u32,
) -> Result<(Option<SliceToken>, u32, u32, Option<u32>), ApiError> {
    match skiptoken {
        Some(text) => {
            let token: SliceToken = paging::decode(text)?;
            paging::check_tenant(&token.tenant, &cx.tenant)?;
            if token.record_id != record_id {
                return Err(ApiError::bad_request(
                    "The $skiptoken belongs to another record; follow @odata.nextLink as it is.",
                ));
            }
            let (size, offset) = (token.page_size.clamp(1, max), token.offset);
            Ok((Some(token), size, offset, None))
        }
        None => {
            let size = cx.prefs.max_page_size.map(|n| n.min(max)).unwrap_or(max);
            Ok((None, size, 0, cx.prefs.max_page_size.map(|_| size)))
        }
    }
}

/// `GET /communications/callRecords/{id}/sessions`.
pub async fn list_sessions(
    State(state): State<AppState>,
    Path(id): Path<String>,
    cx: ReadContext,
    uri: Uri,
) -> Result<Response, ApiError> {
    check_id("callRecord", &id)?;
    let raw = options::raw(uri.query())?;
    let mut expansion = options::sessions_options(&raw, "sessions")?;
    let (token, page_size, offset, applied) =
        slice_of(&cx, &id, raw.skiptoken.as_deref(), SESSION_PAGE)?;
    if let Some(token) = &token {
        let mut merged = raw.clone();
        let mut expand = raw.expand.clone();
        merge_option("expand", &mut expand, token.expand.clone())?;
        let mut select = raw.select.clone();
        merge_option("select", &mut select, token.select.clone())?;
        merged.expand = expand;
        merged.select = select;
        merged.skiptoken = None;
        expansion = options::sessions_options(&merged, "sessions")?;
    }
    let row = state
        .records()
        .get_record(&cx.tenant, &id)
        .await?
        .ok_or_else(|| not_found("callRecord", &id))?;
    let sessions = state
        .records()
        .sessions(
            &cx.tenant,
            &id,
            Slice {
                offset,
                limit: page_size,
            },
            expansion.segments,
        )
        .await?
        .ok_or_else(|| not_found("callRecord", &id))?;
    let mut body = Vec::with_capacity(4096);
    let mut obj = ObjectWriter::new(&mut body);
    obj.string("@odata.context", &cx.record_context(&id, "/sessions"));
    obj.begin_field("value");
    write_sessions(obj.buffer(), &cx, &sessions, &expansion);
    let next = offset.saturating_add(page_size);
    if next < row.session_count {
        let token = session_token(&cx, &id, &expansion, page_size, next);
        obj.string("@odata.nextLink", &cx.slice_link("sessions", &token));
    }
    obj.finish();
    Ok(wire::json_response(
        StatusCode::OK,
        body,
        cx.prefs.applied(applied),
    ))
}

/// `GET /communications/callRecords/{id}/sessions/{sid}`.
pub async fn get_session(
    State(state): State<AppState>,
    Path((id, sid)): Path<(String, String)>,
    cx: ReadContext,
    uri: Uri,
) -> Result<Response, ApiError> {
    check_id("callRecord", &id)?;
    check_id("session", &sid)?;
    let raw = options::raw(uri.query())?;
    let expansion = options::sessions_options(&raw, "a session")?;
    if raw.skiptoken.is_some() {
        return Err(ApiError::bad_request(
            "The query option '$skiptoken' is not supported on a session.",
        ));
    }
    let session = find_session(&state, &cx, &id, &sid).await?;
    let mut body = Vec::with_capacity(4096);
    let mut obj = ObjectWriter::new(&mut body);
    obj.string(
        "@odata.context",
        &cx.record_context(&id, "/sessions/$entity"),
    );
    let mut inner = Vec::new();
    write_session(&mut inner, &cx, &session, &expansion);
    obj.members_of(&inner);
    obj.finish();
    Ok(wire::json_response(
        StatusCode::OK,
        body,
        cx.prefs.applied(None),
    ))
}

async fn find_session(
    state: &AppState,
    cx: &ReadContext,
    id: &str,
    sid: &str,
) -> Result<SessionRow, ApiError> {
    match state.records().session(&cx.tenant, id, sid).await? {
        Some(s) => Ok(s),
        None if state.records().get_record(&cx.tenant, id).await?.is_none() => {
            Err(not_found("callRecord", id))
        }
        None => Err(not_found("session", sid)),
    }
}

/// The segments of a session, parsed (a session holds few of them).
async fn segments_of(
    state: &AppState,
    cx: &ReadContext,
    id: &str,
    sid: &str,
) -> Result<Vec<Value>, ApiError> {
    let session = find_session(state, cx, id, sid).await?;
    let bytes = session.segments.unwrap_or_else(|| b"[]".to_vec());
    match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Array(items)) => Ok(items),
        Ok(_) => Ok(Vec::new()),
        Err(e) => Err(ApiError::internal(format!(
            "stored segments of {id}/{sid} are not JSON: {e}"
        ))),
    }
}

/// `GET /communications/callRecords/{id}/sessions/{sid}/segments`.
pub async fn list_segments(
    State(state): State<AppState>,
    Path((id, sid)): Path<(String, String)>,
    cx: ReadContext,
    uri: Uri,
) -> Result<Response, ApiError> {
    check_id("callRecord", &id)?;
    check_id("session", &sid)?;
    let select = options::select_only(
        &options::raw(uri.query())?,
        "segments",
        options::SEGMENT,
        false,
    )?;
    let segments = segments_of(&state, &cx, &id, &sid).await?;
    let mut body = Vec::with_capacity(4096);
    let mut obj = ObjectWriter::new(&mut body);
    obj.string(
        "@odata.context",
        &cx.record_context(&id, &format!("/sessions({})/segments", key_literal(&sid))),
    );
    obj.begin_field("value");
    let array = serde_json::to_vec(&segments).expect("a JSON value always serializes");
    wire::write_piece(
        obj.buffer(),
        &array,
        SEGMENT,
        &cx.shaping,
        select.as_deref(),
    );
    obj.finish();
    Ok(wire::json_response(
        StatusCode::OK,
        body,
        cx.prefs.applied(None),
    ))
}

/// `GET /communications/callRecords/{id}/sessions/{sid}/segments/{segid}`.
pub async fn get_segment(
    State(state): State<AppState>,
    Path((id, sid, segid)): Path<(String, String, String)>,
    cx: ReadContext,
    uri: Uri,
) -> Result<Response, ApiError> {
    check_id("callRecord", &id)?;
    check_id("session", &sid)?;
    check_id("segment", &segid)?;
    let select = options::select_only(
        &options::raw(uri.query())?,
        "a segment",
        options::SEGMENT,
        false,
    )?;
    let segments = segments_of(&state, &cx, &id, &sid).await?;
    let segment = segments
        .into_iter()
        .find(|s| s.get("id").and_then(Value::as_str) == Some(segid.as_str()))
        .ok_or_else(|| not_found("segment", &segid))?;
    let mut body = Vec::with_capacity(4096);
    let mut obj = ObjectWriter::new(&mut body);
    obj.string(
        "@odata.context",
        &cx.record_context(
            &id,
            &format!("/sessions({})/segments/$entity", key_literal(&sid)),
        ),
    );
    let mut inner = Vec::new();
    let piece = serde_json::to_vec(&segment).expect("a JSON value always serializes");
    wire::write_piece(&mut inner, &piece, SEGMENT, &cx.shaping, select.as_deref());
    obj.members_of(&inner);
    obj.finish();
    Ok(wire::json_response(
        StatusCode::OK,
        body,
        cx.prefs.applied(None),
    ))
}

/// `GET /communications/callRecords/{id}/participants_v2`.
pub async fn list_participants(
    State(state): State<AppState>,
    Path(id): Path<String>,
    cx: ReadContext,
    uri: Uri,
) -> Result<Response, ApiError> {
    check_id("callRecord", &id)?;
    let raw = options::raw(uri.query())?;
    let mut select = options::select_only(&raw, "participants_v2", options::PARTICIPANT, true)?;
    let (token, page_size, offset, applied) =
        slice_of(&cx, &id, raw.skiptoken.as_deref(), PARTICIPANT_PAGE)?;
    let mut select_text = raw.select.clone();
    if let Some(token) = &token {
        merge_option("select", &mut select_text, token.select.clone())?;
        select = match &select_text {
            Some(s) => options::select_list(s, options::PARTICIPANT)?,
            None => None,
        };
    }
    let row = state
        .records()
        .get_record(&cx.tenant, &id)
        .await?
        .ok_or_else(|| not_found("callRecord", &id))?;
    let participants = state
        .records()
        .participants(
            &cx.tenant,
            &id,
            Slice {
                offset,
                limit: page_size,
            },
        )
        .await?
        .ok_or_else(|| not_found("callRecord", &id))?;
    let mut body = Vec::with_capacity(4096);
    let mut obj = ObjectWriter::new(&mut body);
    obj.string(
        "@odata.context",
        &cx.record_context(&id, "/participants_v2"),
    );
    obj.begin_field("value");
    write_participants(obj.buffer(), &cx, &participants, select.as_deref());
    let next = offset.saturating_add(page_size);
    if next < row.participant_count {
        let token = SliceToken {
            tenant: cx.tenant.clone(),
            record_id: id.clone(),
            expand: None,
            select: select.as_ref().map(|s| s.join(",")),
            page_size,
            offset: next,
        };
        obj.string("@odata.nextLink", &cx.slice_link("participants_v2", &token));
    }
    obj.finish();
    Ok(wire::json_response(
        StatusCode::OK,
        body,
        cx.prefs.applied(applied),
    ))
}

/// `GET /communications/callRecords/{id}/participants_v2/{pid}`.
pub async fn get_participant(
    State(state): State<AppState>,
    Path((id, pid)): Path<(String, String)>,
    cx: ReadContext,
    uri: Uri,
) -> Result<Response, ApiError> {
    check_id("callRecord", &id)?;
    check_id("participant", &pid)?;
    let select = options::select_only(
        &options::raw(uri.query())?,
        "a participant",
        options::PARTICIPANT,
        false,
    )?;
    let participant = match state.records().participant(&cx.tenant, &id, &pid).await? {
        Some(p) => p,
        None if state.records().get_record(&cx.tenant, &id).await?.is_none() => {
            return Err(not_found("callRecord", &id));
        }
        None => return Err(not_found("participant", &pid)),
    };
    let mut body = Vec::with_capacity(1024);
    let mut obj = ObjectWriter::new(&mut body);
    obj.string(
        "@odata.context",
        &cx.record_context(&id, "/participants_v2/$entity"),
    );
    let mut inner = Vec::new();
    wire::write_piece(
        &mut inner,
        &participant.body,
        PARTICIPANT,
        &cx.shaping,
        select.as_deref(),
    );
    obj.members_of(&inner);
    obj.finish();
    Ok(wire::json_response(
        StatusCode::OK,
        body,
        cx.prefs.applied(None),
    ))
}

/// `GET /communications/callRecords/{id}/organizer_v2`.
pub async fn get_organizer(
    State(state): State<AppState>,
    Path(id): Path<String>,
    cx: ReadContext,
    uri: Uri,
) -> Result<Response, ApiError> {
    check_id("callRecord", &id)?;
    let select = options::select_only(
        &options::raw(uri.query())?,
        "organizer_v2",
        options::PARTICIPANT,
        false,
    )?;
    let row = state
        .records()
        .get_record(&cx.tenant, &id)
        .await?
        .ok_or_else(|| not_found("callRecord", &id))?;
    let organizer = row.organizer.as_ref().ok_or_else(|| {
        ApiError::not_found(format!("The callRecord '{id}' has no organizer_v2."))
    })?;
    let mut body = Vec::with_capacity(1024);
    let mut obj = ObjectWriter::new(&mut body);
    obj.string(
        "@odata.context",
        &cx.record_context(&id, "/organizer_v2/$entity"),
    );
    let mut inner = Vec::new();
    wire::write_piece(
        &mut inner,
        organizer,
        ORGANIZER,
        &cx.shaping,
        select.as_deref(),
    );
    obj.members_of(&inner);
    obj.finish();
    Ok(wire::json_response(
        StatusCode::OK,
        body,
        cx.prefs.applied(None),
    ))
}
