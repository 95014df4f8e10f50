//! Which application permission each kind of resource needs (the edge classifies requests into these:
//! `http::resources`).
//!
//! Graph's call records API accepts application permissions only (spec/API.md section 7). Keeping the
//! whole mapping here, rather than in each handler, means a route added later is covered by the rule
//! for its URL shape the day it is added, and the throttling layer classifies requests the same way.

/// Reads callRecords, their sessions and participants, and subscriptions to them.
pub const CALL_RECORDS_READ: &str = "CallRecords.Read.All";
/// Reads the PSTN and direct routing call logs (and nothing else).
pub const PSTN_CALLS_READ: &str = "CallRecord-PstnCalls.Read.All";
/// callrec's own permission for writing: ingestion, replacement, deletion, bulk import, fault settings.
/// It also grants everything [`CALL_RECORDS_READ`] grants.
pub const CALL_RECORDS_WRITE: &str = "CallRecords.ReadWrite.All";

/// What a request is about, as far as permissions and throttling care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resource {
    /// Needs no token: health checks and the service documents (`$metadata`, `openapi.json`).
    Public,
    /// `GET /communications/callRecords`.
    RecordList,
    /// A call record or anything inside it (sessions, segments, participants, organizer).
    Record { id: String },
    /// One of the PSTN / direct routing / SMS log functions.
    LogFunction,
    /// callrec's own reads of stored log rows (`GET /callrec/logs/...`, a record's direct routing rows).
    LogRow,
    /// Subscriptions (any method), and reads of URLs no other rule knows.
    OtherRead,
    /// A write: ingestion, replacement, deletion, bulk import.
    Write,
    /// callrec's administration endpoints (fault injection).
    Admin,
    /// A JSON batch (`$batch`): any valid token, since each request inside is authorized on its own.
    Batch,
}

impl Resource {
    /// The roles of which a caller needs at least one; empty for a public resource.
    pub fn accepted_roles(&self) -> &'static [&'static str] {
        match self {
            Resource::Public | Resource::Batch => &[],
            Resource::RecordList | Resource::Record { .. } | Resource::OtherRead => {
                &[CALL_RECORDS_READ, CALL_RECORDS_WRITE]
            }
            Resource::LogFunction | Resource::LogRow => {
                &[CALL_RECORDS_READ, PSTN_CALLS_READ, CALL_RECORDS_WRITE]
            }
            Resource::Write | Resource::Admin => &[CALL_RECORDS_WRITE],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_resource_names_graphs_permissions() {
        assert!(Resource::Public.accepted_roles().is_empty());
        assert_eq!(
            Resource::RecordList.accepted_roles(),
            &[CALL_RECORDS_READ, CALL_RECORDS_WRITE]
        );
        assert!(
            Resource::LogFunction
                .accepted_roles()
                .contains(&PSTN_CALLS_READ)
        );
        assert!(
            !Resource::RecordList
                .accepted_roles()
                .contains(&PSTN_CALLS_READ)
        );
        assert_eq!(Resource::Write.accepted_roles(), &[CALL_RECORDS_WRITE]);
    }
}
