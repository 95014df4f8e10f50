//! The shared layer of the two backends: a prepared record with its pieces compressed, as both write it.
//!
//! A record is compressed on the caller's side (its own thread or task), before it reaches a writer, so
//! that the one SQLite writer thread and the PostgreSQL transactions spend their time on the database.
//! How each backend stores the modalities is its own choice of columns ([`crate::sqlite`] keeps bits and
//! a text rest, [`crate::postgres`] one text column), made from [`EncodedRecord::modalities`] when it writes.

use callrec_model::prepare::PreparedRecord;
use callrec_model::quality::RecordQuality;

use crate::compress::Encoder;

/// A record with its pieces compressed, ready to write.
#[derive(Debug)]
pub(crate) struct EncodedRecord {
    pub(crate) id: String,
    pub(crate) version: i64,
    pub(crate) call_type: String,
    pub(crate) modalities: Vec<String>,
    pub(crate) start: i64,
    pub(crate) end: i64,
    pub(crate) last_modified: i64,
    pub(crate) participant_ids: Vec<String>,
    /// The record without its sessions, participants and organizer.
    pub(crate) head: Vec<u8>,
    pub(crate) organizer: Option<Vec<u8>>,
    pub(crate) sessions: Vec<EncodedSession>,
    /// Each participant's id and body.
    pub(crate) participants: Vec<(String, Vec<u8>)>,
    /// The record's streams, classified, for the quality tables.
    pub(crate) quality: RecordQuality,
    /// Whether its personal data has been removed ([`PreparedRecord::scrubbed`]).
    pub(crate) scrubbed: bool,
}

/// One session: its head and its segments, compressed apart so that a session reads without them.
#[derive(Debug)]
pub(crate) struct EncodedSession {
    pub(crate) id: String,
    pub(crate) head: Vec<u8>,
    pub(crate) segments: Vec<u8>,
}

impl EncodedRecord {
    pub(crate) fn new(record: PreparedRecord, encoder: &Encoder) -> Self {
        EncodedRecord {
            version: record.version,
            call_type: record.call_type,
            modalities: record.modalities,
            start: record.start.0,
            end: record.end.0,
            last_modified: record.last_modified.0,
            participant_ids: record.participant_ids,
            head: encoder.encode(&record.head),
            organizer: record.organizer.as_deref().map(|o| encoder.encode(o)),
            sessions: record
                .sessions
                .into_iter()
                .map(|s| EncodedSession {
                    head: encoder.encode(&s.head),
                    segments: encoder.encode(&s.segments),
                    id: s.id,
                })
                .collect(),
            participants: record
                .participants
                .into_iter()
                .map(|p| (p.id, encoder.encode(&p.body)))
                .collect(),
            id: record.id,
            quality: record.quality,
            scrubbed: record.scrubbed,
        }
    }
}
