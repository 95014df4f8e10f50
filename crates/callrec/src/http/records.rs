//! callrec's write endpoints (Graph itself is read-only): create, replace and delete one record in Graph's
//! shape, admitted by the same check as every record of a bulk import ([`crate::ingest::admit_record`]).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use callrec_model::edm::Ticks;
use callrec_model::validate::ValidationError;
use callrec_store::{PutOutcome, Slice, WriteCondition};
use serde_json::Value;

use super::body::{check_json_content_type, parse_json};
use super::error::{ApiError, codes};
use super::wire::{self, BaseUrl, ObjectWriter, encode_segment};
use super::{ApiVersion, AppState};
use crate::auth::Caller;
use crate::ingest::{IngestError, admit_record};

/// How many times a replace retries when another writer changed the record in between.
const REPLACE_ATTEMPTS: usize = 8;

impl From<ValidationError> for ApiError {
    fn from(e: ValidationError) -> Self {
        ApiError::invalid_body(e.to_string())
    }
}

impl From<IngestError> for ApiError {
    /// An input that cannot be read is the client's to fix; everything else is the server's.
    fn from(e: IngestError) -> Self {
        match e {
            IngestError::Read(io) => match io
                .get_ref()
                .and_then(|e| e.downcast_ref::<crate::ingest::DecodedTooLarge>())
            {
                Some(too_large) => ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    codes::PAYLOAD_TOO_LARGE,
                    format!(
                        "The request body is larger than the {} bytes accepted once decompressed; the items before that point were stored. Send the rest in smaller requests.",
                        too_large.limit
                    ),
                ),
                None => ApiError::invalid_body(format!("The request body cannot be read: {io}")),
            },
            IngestError::UnknownKind(kind) => ApiError::bad_request(kind.to_string()),
            IngestError::Store(store) => store.into(),
            IngestError::Task(task) => ApiError::internal(task),
        }
    }
}

/// `POST /communications/callRecords`: ingests one record. 201 when new; 200 when it replaced an older
/// version or when an equal or newer version was already stored (the stored record is returned and the
/// `callrec-ingest-outcome` header says `stale`).
pub async fn post_record(
    State(state): State<AppState>,
    version: ApiVersion,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    check_json_content_type(&headers, "callRecord")?;
    let value = parse_json(&body, "callRecord")?;
    let record = admit_record(value, &state.ingest_options())?.prepare();
    let id = record.id.clone();
    let tenant = caller.tenant;
    let outcome = single_outcome(
        state
            .store
            .put_records(&tenant, vec![record], WriteCondition::NewerVersion)
            .await?,
    )?;
    let base = BaseUrl::from_headers(&headers, version);
    written_response(&state, &tenant, &base, &id, outcome).await
}

fn single_outcome(outcomes: Vec<PutOutcome>) -> Result<PutOutcome, ApiError> {
    outcomes
        .into_iter()
        .next()
        .ok_or_else(|| ApiError::internal("the store reported no outcome for a write"))
}

async fn written_response(
    state: &AppState,
    tenant: &str,
    base: &BaseUrl,
    id: &str,
    outcome: PutOutcome,
) -> Result<Response, ApiError> {
    let (status, label) = match outcome {
        PutOutcome::Created => (StatusCode::CREATED, "created"),
        PutOutcome::Replaced { .. } => (StatusCode::OK, "replaced"),
        PutOutcome::Stale { .. } | PutOutcome::Conflict { .. } => (StatusCode::OK, "stale"),
    };
    let body = full_record(state, tenant, base, id).await?;
    let mut response = wire::json_response(status, body, None);
    let headers = response.headers_mut();
    headers.insert("callrec-ingest-outcome", HeaderValue::from_static(label));
    if let Ok(location) = HeaderValue::from_str(&format!(
        "{}/communications/callRecords/{}",
        base.root(),
        encode_segment(id)
    )) {
        headers.insert(header::LOCATION, location);
    }
    Ok(response)
}

/// The whole stored record: every session with its segments and every participant, unpaged.
pub async fn full_record(
    state: &AppState,
    tenant: &str,
    base: &BaseUrl,
    id: &str,
) -> Result<Vec<u8>, ApiError> {
    let row = state.store.get_record(tenant, id).await?.ok_or_else(|| {
        ApiError::internal(format!("record {id} vanished right after it was written"))
    })?;
    let sessions = state
        .store
        .sessions(
            tenant,
            id,
            Slice {
                offset: 0,
                limit: row.session_count.max(1),
            },
            true,
        )
        .await?
        .unwrap_or_default();
    let participants = state
        .store
        .participants(
            tenant,
            id,
            Slice {
                offset: 0,
                limit: row.participant_count.max(1),
            },
        )
        .await?
        .unwrap_or_default();
    let mut body = Vec::with_capacity(row.head.len() + 4096);
    let mut obj = ObjectWriter::new(&mut body);
    obj.string(
        "@odata.context",
        &base.context("communications/callRecords(sessions(segments()),participants_v2())/$entity"),
    );
    obj.members_of(&row.head);
    if let Some(o) = &row.organizer {
        obj.raw("organizer_v2", o);
    }
    obj.begin_field("participants_v2");
    let out = obj.buffer();
    out.push(b'[');
    for (i, p) in participants.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(&p.body);
    }
    out.push(b']');
    obj.begin_field("sessions");
    let out = obj.buffer();
    out.push(b'[');
    for (i, s) in sessions.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        let mut session = ObjectWriter::new(out);
        session.members_of(&s.head);
        session.raw("segments", s.segments.as_deref().unwrap_or(b"[]"));
        session.finish();
    }
    out.push(b']');
    obj.finish();
    Ok(body)
}

/// `PUT /communications/callRecords/{id}`: creates or replaces the record. A replacement whose body does not
/// carry a higher `version` gets the stored version + 1 and a new `lastModifiedDateTime`.
pub async fn put_record(
    State(state): State<AppState>,
    version: ApiVersion,
    Path(id): Path<String>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    if super::logs::is_function_call(&id) {
        return Err(super::logs::method_not_allowed(&id));
    }
    check_json_content_type(&headers, "callRecord")?;
    let mut value = parse_json(&body, "callRecord")?;
    if let Value::Object(map) = &mut value {
        match map.get("id") {
            None => {
                map.shift_insert(0, "id".to_owned(), Value::String(id.clone()));
            }
            Some(Value::String(body_id)) if *body_id == id => {}
            Some(other) => {
                return Err(ApiError::invalid_body(format!(
                    "$.id: the body's id {other} differs from the id in the URL ('{id}')."
                )));
            }
        }
    }
    let admitted = admit_record(value, &state.ingest_options())?;
    let body_version = admitted.json.get("version").and_then(Value::as_i64);
    let tenant = caller.tenant;
    let base = BaseUrl::from_headers(&headers, version);
    for _ in 0..REPLACE_ATTEMPTS {
        let stored = state
            .store
            .get_record(&tenant, &id)
            .await?
            .map(|r| r.version);
        let mut record = admitted.clone();
        if let Some(v) = stored
            && body_version.is_none_or(|b| b <= v)
        {
            record.json.insert("version".to_owned(), Value::from(v + 1));
            record.json.insert(
                "lastModifiedDateTime".to_owned(),
                Value::String(Ticks::now().to_string()),
            );
        }
        let prepared = record.prepare();
        let outcome = single_outcome(
            state
                .store
                .put_records(
                    &tenant,
                    vec![prepared],
                    WriteCondition::StoredVersionIs(stored),
                )
                .await?,
        )?;
        if !matches!(outcome, PutOutcome::Conflict { .. }) {
            return written_response(&state, &tenant, &base, &id, outcome).await;
        }
    }
    Err(ApiError::new(
        StatusCode::CONFLICT,
        codes::CONFLICT,
        format!("The callRecord '{id}' kept changing while it was being replaced; try again."),
    ))
}

/// `DELETE /communications/callRecords/{id}`.
pub async fn delete_record(
    State(state): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
) -> Result<Response, ApiError> {
    if super::logs::is_function_call(&id) {
        return Err(super::logs::method_not_allowed(&id));
    }
    let tenant = caller.tenant;
    if state.store.delete_record(&tenant, &id).await? {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(ApiError::not_found(format!(
            "The callRecord '{id}' was not found."
        )))
    }
}
