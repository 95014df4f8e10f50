//! Turns one validated callRecord JSON object into the parts callrec stores.
//!
//! A record is stored in pieces so that a reader can take only what it asks for: the record's own
//! properties (the "head"), the organizer, each session without its segments, each session's segments, and
//! each participant. Those pieces are JSON text, exactly as received (keys, order and unknown properties
//! kept); reassembling them gives back the record that was sent.
//! The index keys (times, type, modalities, participant ids) are pulled out here so that the store never
//! parses JSON.

use serde_json::{Map, Value};

use crate::edm::Ticks;
use crate::quality::{self, RecordQuality, Thresholds};

/// A callRecord ready to be written: its index keys and its JSON pieces.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedRecord {
    pub id: String,
    pub version: i64,
    pub call_type: String,
    pub modalities: Vec<String>,
    pub start: Ticks,
    pub end: Ticks,
    pub last_modified: Ticks,
    /// Ids of `participants_v2` and `organizer_v2`, deduplicated, for `participants_v2/any(...)` filters.
    pub participant_ids: Vec<String>,
    /// The record's own properties as a JSON object, without `sessions`, `participants_v2`, `organizer_v2`
    /// and their annotations.
    pub head: Vec<u8>,
    /// `organizer_v2` as a JSON object, if the record has one.
    pub organizer: Option<Vec<u8>>,
    pub sessions: Vec<PreparedSession>,
    pub participants: Vec<PreparedParticipant>,
    /// Every stream classified by the quality rules, for the quality reports ([`crate::quality`]).
    pub quality: RecordQuality,
    /// Whether the record's personal data has been removed ([`crate::scrub`]); a store keeps the mark so
    /// that scrubbing visits each record once.
    pub scrubbed: bool,
}

/// One session: its own properties and, separately, its segments.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedSession {
    pub id: String,
    /// The session as a JSON object, without `segments`.
    pub head: Vec<u8>,
    /// The session's `segments` as a JSON array (`[]` when it has none).
    pub segments: Vec<u8>,
}

/// One entry of `participants_v2`.
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedParticipant {
    pub id: String,
    pub body: Vec<u8>,
}

impl PreparedRecord {
    /// Every JSON piece: the head, the organizer, each session's head and segments, each participant.
    pub fn pieces(&self) -> impl Iterator<Item = &[u8]> {
        std::iter::once(self.head.as_slice())
            .chain(self.organizer.as_deref())
            .chain(
                self.sessions
                    .iter()
                    .flat_map(|s| [s.head.as_slice(), s.segments.as_slice()]),
            )
            .chain(self.participants.iter().map(|p| p.body.as_slice()))
    }

    /// The record as one JSON object again, its pieces put back where [`prepare`] took them from.
    /// `None` if a piece is not JSON (pieces made by [`prepare`] always are).
    pub fn reassemble(&self) -> Option<Map<String, Value>> {
        let mut record: Map<String, Value> = serde_json::from_slice(&self.head).ok()?;
        if let Some(organizer) = &self.organizer {
            record.insert(
                "organizer_v2".into(),
                serde_json::from_slice(organizer).ok()?,
            );
        }
        let participants = self
            .participants
            .iter()
            .map(|p| serde_json::from_slice(&p.body).ok())
            .collect::<Option<Vec<Value>>>()?;
        record.insert("participants_v2".into(), Value::Array(participants));
        let sessions = self
            .sessions
            .iter()
            .map(|s| {
                let mut session: Map<String, Value> = serde_json::from_slice(&s.head).ok()?;
                session.insert("segments".into(), serde_json::from_slice(&s.segments).ok()?);
                Some(Value::Object(session))
            })
            .collect::<Option<Vec<Value>>>()?;
        record.insert("sessions".into(), Value::Array(sessions));
        Some(record)
    }
}

/// Keys that belong to the record's navigation properties rather than to its head.
const NAVIGATION_KEYS: [&str; 3] = ["sessions", "participants_v2", "organizer_v2"];

fn is_navigation_key(key: &str) -> bool {
    NAVIGATION_KEYS.iter().any(|nav| {
        key == *nav
            || key
                .strip_prefix(nav)
                .is_some_and(|rest| rest.starts_with('@'))
    })
}

/// Splits a record that [`crate::validate`] accepted into its stored pieces, classifying its streams with
/// the process's [`quality::thresholds`].
///
/// # Panics
/// Never on a record the validator accepted; on anything else it may return nonsense keys, so call it only
/// after validation.
pub fn prepare(record: Map<String, Value>) -> PreparedRecord {
    prepare_with(record, quality::thresholds())
}

/// [`prepare`] with the quality thresholds given.
pub fn prepare_with(record: Map<String, Value>, thresholds: &Thresholds) -> PreparedRecord {
    let quality = quality::record_quality(&record, thresholds);
    let str_of = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_owned();
    let time_of = |v: Option<&Value>| {
        v.and_then(Value::as_str)
            .and_then(|s| crate::edm::parse_date_time_offset(s).ok())
            .unwrap_or(Ticks(0))
    };
    let id = str_of(record.get("id"));
    let version = record.get("version").and_then(Value::as_i64).unwrap_or(0);
    let call_type = str_of(record.get("type"));
    let modalities = record
        .get("modalities")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|m| m.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let start = time_of(record.get("startDateTime"));
    let end = time_of(record.get("endDateTime"));
    let last_modified = time_of(record.get("lastModifiedDateTime"));

    let mut head = Map::new();
    let mut sessions_value = None;
    let mut participants_value = None;
    let mut organizer_value = None;
    for (key, value) in record {
        match key.as_str() {
            "sessions" => sessions_value = Some(value),
            "participants_v2" => participants_value = Some(value),
            "organizer_v2" => organizer_value = Some(value),
            k if is_navigation_key(k) => {}
            "@odata.context" => {}
            _ => {
                head.insert(key, value);
            }
        }
    }

    let mut participant_ids: Vec<String> = Vec::new();
    let organizer = match organizer_value {
        Some(Value::Object(o)) => {
            if let Some(pid) = o.get("id").and_then(Value::as_str) {
                participant_ids.push(pid.to_owned());
            }
            Some(serde_json::to_vec(&o).expect("a JSON value always serializes"))
        }
        _ => None,
    };
    let participants: Vec<PreparedParticipant> = match participants_value {
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|p| {
                let id = str_of(p.get("id"));
                if !id.is_empty() && !participant_ids.contains(&id) {
                    participant_ids.push(id.clone());
                }
                PreparedParticipant {
                    id,
                    body: serde_json::to_vec(&p).expect("a JSON value always serializes"),
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    let sessions = match sessions_value {
        Some(Value::Array(items)) => items
            .into_iter()
            .map(|s| {
                let Value::Object(mut s) = s else {
                    return PreparedSession {
                        id: String::new(),
                        head: b"{}".to_vec(),
                        segments: b"[]".to_vec(),
                    };
                };
                let segments = match s.shift_remove("segments") {
                    Some(v @ Value::Array(_)) => {
                        serde_json::to_vec(&v).expect("a JSON value always serializes")
                    }
                    _ => b"[]".to_vec(),
                };
                s.retain(|k, _| !k.starts_with("segments@"));
                PreparedSession {
                    id: str_of(s.get("id")),
                    head: serde_json::to_vec(&s).expect("a JSON value always serializes"),
                    segments,
                }
            })
            .collect(),
        _ => Vec::new(),
    };
    PreparedRecord {
        id,
        version,
        call_type,
        modalities,
        start,
        end,
        last_modified,
        participant_ids,
        head: serde_json::to_vec(&head).expect("a JSON value always serializes"),
        organizer,
        sessions,
        participants,
        quality,
        scrubbed: false,
    }
}
