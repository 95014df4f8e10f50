//! What a reader may ask of the stored call records, in terms the store can answer.
//!
//! The OData layer ([`crate::odata`]) parses `$filter`/`$orderby` text and validates it against the
//! callRecord entity into these types; the store translates them into its own queries. Nothing here
//! knows of URLs or SQL.

use crate::edm::Ticks;
use crate::quality::{MediaType, Verdict};

/// A validated `$filter` over callRecords.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordFilter {
    And(Vec<RecordFilter>),
    Or(Vec<RecordFilter>),
    Not(Box<RecordFilter>),
    /// `startDateTime ge 2023-09-25T09:25:00Z` and the like.
    Time {
        field: TimeField,
        op: CmpOp,
        value: Ticks,
    },
    /// `type eq 'groupCall'`, `type in ('groupCall','peerToPeer')`: true when the type is one of these.
    TypeIn(Vec<String>),
    /// `version gt 1`, and the like.
    Version {
        op: CmpOp,
        value: i64,
    },
    /// `id eq '...'` / `id in (...)`.
    IdIn(Vec<String>),
    /// `participants_v2/any(p:p/id eq '...')` (or `in (...)`, or several joined by `or`):
    /// true when any participant (or the organizer) has one of these ids.
    ParticipantIn(Vec<String>),
    /// `modalities/any(m:m eq 'video')`: true when the record used any of these modalities.
    ModalityIn(Vec<String>),
    /// `quality eq 'poor'`, `quality/audio in ('poor','unclassified')` (callrec's extension): true when the
    /// record's quality verdict, or the verdict of its streams of this media type, is one of these
    /// (see [`crate::quality`]).
    Quality {
        media: Option<MediaType>,
        verdicts: Vec<Verdict>,
    },
    /// A boolean constant, which normalisation may leave behind (`not (...)` of nothing).
    Const(bool),
}

/// The instants of a callRecord a filter or an ordering may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TimeField {
    StartDateTime,
    EndDateTime,
    LastModifiedDateTime,
}

impl TimeField {
    pub fn property_name(self) -> &'static str {
        match self {
            TimeField::StartDateTime => "startDateTime",
            TimeField::EndDateTime => "endDateTime",
            TimeField::LastModifiedDateTime => "lastModifiedDateTime",
        }
    }
}

/// A comparison operator of OData: `eq ne lt le gt ge`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub fn keyword(self) -> &'static str {
        match self {
            CmpOp::Eq => "eq",
            CmpOp::Ne => "ne",
            CmpOp::Lt => "lt",
            CmpOp::Le => "le",
            CmpOp::Gt => "gt",
            CmpOp::Ge => "ge",
        }
    }

    /// Applies the operator to two ordered values.
    pub fn test<T: Ord>(self, left: T, right: T) -> bool {
        match self {
            CmpOp::Eq => left == right,
            CmpOp::Ne => left != right,
            CmpOp::Lt => left < right,
            CmpOp::Le => left <= right,
            CmpOp::Gt => left > right,
            CmpOp::Ge => left >= right,
        }
    }
}

/// The order of a listing: `$orderby=startDateTime desc`. Ties are broken by record id, in the same direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RecordOrder {
    pub field: TimeField,
    pub descending: bool,
}

impl Default for RecordOrder {
    fn default() -> Self {
        RecordOrder {
            field: TimeField::StartDateTime,
            descending: false,
        }
    }
}

/// Where a page of a listing resumes: just after the record with this sort key and id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Cursor {
    pub key: Ticks,
    pub id: String,
}

/// One page of a listing of callRecords.
#[derive(Debug, Clone, PartialEq)]
pub struct ListQuery {
    pub filter: Option<RecordFilter>,
    pub order: RecordOrder,
    pub after: Option<Cursor>,
    pub limit: usize,
    /// Count every record the filter matches (`$count=true`).
    pub count: bool,
}
