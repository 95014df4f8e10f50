//! Call records for the cases, built as Graph JSON and split by the model's own `prepare`.

use callrec_model::edm::Ticks;
use callrec_model::prepare::{PreparedRecord, prepare};
use serde_json::{Value, json};

/// The parts of a call record the cases vary.
#[derive(Debug, Clone)]
pub struct Spec {
    pub id: String,
    pub version: i64,
    pub call_type: &'static str,
    pub modalities: Vec<&'static str>,
    /// Unix seconds.
    pub start: i64,
    pub end: i64,
    pub modified: i64,
    pub organizer: Option<String>,
    pub participants: Vec<String>,
    /// Session ids, each with its number of segments.
    pub sessions: Vec<(String, usize)>,
    /// Lands in the record's head, to tell apart what was written.
    pub note: String,
}

impl Spec {
    pub fn new(id: impl Into<String>) -> Self {
        let id = id.into();
        Spec {
            note: format!("note of {id}"),
            id,
            version: 1,
            call_type: "groupCall",
            modalities: vec!["audio"],
            start: 1_700_000_000,
            end: 1_700_000_600,
            modified: 1_700_000_900,
            organizer: Some("organizer-1".into()),
            participants: vec!["participant-1".into(), "participant-2".into()],
            sessions: vec![("session-1".into(), 2)],
        }
    }

    pub fn version(mut self, version: i64) -> Self {
        self.version = version;
        self
    }

    pub fn json(&self) -> Value {
        let time = |secs: i64| Ticks::from_unix_seconds(secs).to_string();
        let identity = |pid: &str| json!({"user": {"id": pid, "displayName": format!("User {pid}"), "tenantId": "tenant"}});
        let mut record = json!({
            "@odata.type": "#microsoft.graph.callRecords.callRecord",
            "id": self.id,
            "version": self.version,
            "type": self.call_type,
            "modalities": self.modalities,
            "lastModifiedDateTime": time(self.modified),
            "startDateTime": time(self.start),
            "endDateTime": time(self.end),
            "joinWebUrl": self.note,
            "participants_v2": self.participants.iter().map(|p| json!({"id": p, "identity": identity(p)})).collect::<Vec<_>>(),
            "sessions": self.sessions.iter().enumerate().map(|(i, (sid, segments))| json!({
                "id": sid,
                "modalities": self.modalities,
                "startDateTime": time(self.start + i as i64),
                "endDateTime": time(self.end),
                "caller": {"@odata.type": "#microsoft.graph.callRecords.participantEndpoint", "identity": identity("caller")},
                "callee": {"@odata.type": "#microsoft.graph.callRecords.participantEndpoint", "identity": identity("callee")},
                "segments": (0..*segments).map(|k| json!({
                    "id": format!("{sid}-segment-{k}-of-session-{i}"),
                    "startDateTime": time(self.start + k as i64),
                    "endDateTime": time(self.end),
                    "media": [{"label": "main-audio", "streams": [{"streamId": k.to_string(), "averageJitter": "PT0.01S"}]}]
                })).collect::<Vec<_>>()
            })).collect::<Vec<_>>(),
        });
        if let Some(organizer) = &self.organizer {
            record["organizer_v2"] = json!({"id": organizer, "identity": identity(organizer)});
        }
        record
    }

    pub fn prepared(&self) -> PreparedRecord {
        let Value::Object(map) = self.json() else {
            unreachable!("a record is a JSON object")
        };
        prepare(map)
    }
}

/// What scrubbing writes for a record: its JSON with the personal data removed (phone ids replaced by
/// numbered GUIDs), prepared again and marked scrubbed.
pub fn scrubbed(mut json: Value) -> PreparedRecord {
    use callrec_model::scrub::{Pseudonyms, scrub_record};
    let mut n = 0;
    let mut make = || {
        n += 1;
        format!("00000000-0000-4000-8000-{n:012}")
    };
    scrub_record(
        json.as_object_mut().expect("a record is an object"),
        &mut Pseudonyms::new(&mut make),
    );
    let Value::Object(map) = json else {
        unreachable!("a record is an object")
    };
    let mut prepared = prepare(map);
    prepared.scrubbed = true;
    prepared
}

/// The value of a property of a stored head.
pub fn head_property(head: &[u8], key: &str) -> Value {
    let head: Value = serde_json::from_slice(head).expect("a stored head is JSON");
    head.get(key).cloned().unwrap_or(Value::Null)
}
