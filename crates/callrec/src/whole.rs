//! A stored record read back whole: its head, organizer, every participant and every session with its
//! segments, reassembled into the Graph JSON it was ingested as. Copying a store and scrubbing a record
//! both start from it, and preparing it again yields the same pieces, version and quality.

use callrec_store::{
    ParticipantRow, RecordRow, RecordWithChildren, SessionRow, Slice, Store, StoreError,
};
use serde_json::{Map, Value};

const ALL: Slice = Slice {
    offset: 0,
    limit: u32::MAX,
};

fn corrupt(what: &str, e: serde_json::Error) -> StoreError {
    StoreError::Backend(format!("a stored {what} is not JSON: {e}"))
}

/// The whole record of a stored row, or `None` if it was deleted meanwhile.
pub async fn whole_json(
    store: &dyn Store,
    tenant: &str,
    row: &RecordRow,
) -> Result<Option<Map<String, Value>>, StoreError> {
    let Some((sessions, participants)) = children(store, tenant, row).await? else {
        return Ok(None);
    };
    assemble(row, &sessions, &participants).map(Some)
}

/// A record's sessions (with their segments) and participants, as stored.
pub type Children = (Vec<SessionRow>, Vec<ParticipantRow>);

/// The sessions (with their segments) and participants of a stored row, or `None` if it was deleted
/// meanwhile: what [`assemble`] puts back together, read apart so that the JSON work can run elsewhere.
pub async fn children(
    store: &dyn Store,
    tenant: &str,
    row: &RecordRow,
) -> Result<Option<Children>, StoreError> {
    Ok(
        match (
            store.sessions(tenant, &row.id, ALL, true).await?,
            store.participants(tenant, &row.id, ALL).await?,
        ) {
            (Some(sessions), Some(participants)) => Some((sessions, participants)),
            _ => None,
        },
    )
}

/// A record read with all its children ([`Store::record_with_children`]), reassembled.
pub fn assemble_found(found: &RecordWithChildren) -> Result<Map<String, Value>, StoreError> {
    assemble(&found.record, &found.sessions, &found.participants)
}

/// Every child of a record, for [`Store::record_with_children`].
pub const WHOLE: (Option<(Slice, bool)>, Option<Slice>) = (Some((ALL, true)), Some(ALL));

/// Puts the organizer, the sessions (with their segments) and the participants back into a record's head.
pub fn assemble(
    row: &RecordRow,
    sessions: &[SessionRow],
    participants: &[ParticipantRow],
) -> Result<Map<String, Value>, StoreError> {
    let mut record: Map<String, Value> =
        serde_json::from_slice(&row.head).map_err(|e| corrupt("head", e))?;
    if let Some(organizer) = &row.organizer {
        record.insert(
            "organizer_v2".into(),
            serde_json::from_slice(organizer).map_err(|e| corrupt("organizer", e))?,
        );
    }
    let participants = participants
        .iter()
        .map(|p| serde_json::from_slice(&p.body))
        .collect::<Result<Vec<Value>, _>>()
        .map_err(|e| corrupt("participant", e))?;
    record.insert("participants_v2".into(), Value::Array(participants));
    let mut whole_sessions = Vec::with_capacity(sessions.len());
    for s in sessions {
        let mut session: Map<String, Value> =
            serde_json::from_slice(&s.head).map_err(|e| corrupt("session", e))?;
        let segments: Value = match &s.segments {
            Some(bytes) => serde_json::from_slice(bytes).map_err(|e| corrupt("segment list", e))?,
            None => Value::Array(Vec::new()),
        };
        session.insert("segments".into(), segments);
        whole_sessions.push(Value::Object(session));
    }
    record.insert("sessions".into(), Value::Array(whole_sessions));
    Ok(record)
}
