//! `GET /openapi.json`: an OpenAPI 3.0.3 description of everything callrec serves, so that API tools
//! (schemathesis, Prism, Postman, client generators) can read the API as OData tools read `$metadata`.
//!
//! The operations come from one table, [`ENDPOINTS`], one row per path and method; the HTTP tests compare
//! the document with the router, so a route cannot be added without its row. The schemas of the callRecords
//! types are generated from the CSDL at runtime (see [`schemas`]), so they cannot drift from what the
//! validator accepts. The document is built once, on first request.

pub mod schemas;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use callrec_model::schema::schema;
use serde_json::{Map, Value, json};

use crate::auth::Resource;
use crate::faults::{FAULT_STATUSES, FaultSettings};
use crate::http::ApiVersion;
use crate::http::call_records::{LIST_PAGE, LIST_PAGE_MAX, PARTICIPANT_PAGE, SESSION_PAGE};
use crate::http::options::{CALL_RECORD, PARTICIPANT, SEGMENT, SESSION, selectable};
use callrec_model::logs::{self, LogKind, SchemaVersion};
use schemas::{DescribedTypes, USABLE_ID_PATTERN, schema_ref};

/// The namespace prefix of the types whose reads honour `Prefer`.
const CALL_RECORDS_PREFIX: &str = "microsoft.graph.callRecords.";

/// The OpenAPI version the document follows.
pub const OPENAPI_VERSION: &str = "3.0.3";

/// The qualified name of the subscription entity type.
pub const SUBSCRIPTION: &str = "microsoft.graph.subscription";

/// The log-row schemas: v1.0's from the CSDL, beta's (a superset, plus the beta-only kinds) as `beta.`
/// components.
const PSTN_ROW: &str = "microsoft.graph.callRecords.pstnCallLogRow";
const DIRECT_ROUTING_ROW: &str = "microsoft.graph.callRecords.directRoutingLogRow";
const BETA_PSTN_ROW: &str = "beta.microsoft.graph.callRecords.pstnCallLogRow";
const BETA_DIRECT_ROUTING_ROW: &str = "beta.microsoft.graph.callRecords.directRoutingLogRow";
const BETA_SMS_ROW: &str = "beta.microsoft.graph.callRecords.smsLogRow";
const BETA_BLOCKED_USER_ROW: &str = "beta.microsoft.graph.callRecords.pstnBlockedUsersLogRow";
const BETA_DIALOUT_ROW: &str = "beta.microsoft.graph.callRecords.pstnOnlineMeetingDialoutReport";
/// The prefix of the components of beta shapes.
const BETA: &str = "beta.";

/// The qualified name of the organizer entity type.
pub const ORGANIZER: &str = "microsoft.graph.callRecords.organizer";

/// The schema of Graph's error body.
const ODATA_ERROR: &str = "microsoft.graph.ODataErrors.ODataError";
const MAIN_ERROR: &str = "microsoft.graph.ODataErrors.MainError";
const INNER_ERROR: &str = "microsoft.graph.ODataErrors.InnerError";
const IMPORT_SUMMARY: &str = "callrec.importSummary";
const IMPORT_REJECTION: &str = "callrec.importRejection";
const FAULT_SETTINGS: &str = "callrec.faultSettings";

/// Where a route lives: under each API version (`/v1.0`, `/beta`) or once at the root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Under `/v1.0` and `/beta` alike.
    Versioned,
    /// Under `/v1.0` only (`/beta` has a row of its own, in its own shape).
    V1,
    /// Under `/beta` only.
    Beta,
    Root,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    /// The key of the operation in an OpenAPI path item.
    fn http(self) -> axum::http::Method {
        match self {
            Method::Get => axum::http::Method::GET,
            Method::Post => axum::http::Method::POST,
            Method::Put => axum::http::Method::PUT,
            Method::Patch => axum::http::Method::PATCH,
            Method::Delete => axum::http::Method::DELETE,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Post => "post",
            Method::Put => "put",
            Method::Patch => "patch",
            Method::Delete => "delete",
        }
    }
}

/// A query option an operation accepts (the handlers refuse every other with 400).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryOption {
    Filter,
    /// `$select` over the properties of this entity type.
    Select(&'static str),
    /// `$expand` on a callRecord: sessions (with segments), participants_v2, organizer_v2.
    ExpandRecord,
    /// `$expand=segments` on sessions.
    ExpandSession,
    OrderBy,
    Top,
    Count,
    SkipToken,
    /// `$filter` on the rows of a log function (a callrec extension).
    LogFilter(LogKind),
    /// `$select` over the properties a version gives a kind of log row.
    LogSelect(LogKind, SchemaVersion),
    /// `$skip`, which Graph's nextLinks of log functions carry.
    Skip,
    /// `kind` of the bulk import: what the body holds.
    ImportKind,
}

/// What an operation reads from the request body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestBody {
    None,
    /// One callRecord in Graph's shape; with the id in the path, the body may leave it out.
    CallRecord {
        id_in_path: bool,
    },
    /// NDJSON, a JSON array or a collection page of callRecords, optionally gzip-compressed.
    Import,
    /// One log row (`pstnCallLogRow`, `directRoutingLogRow`, `smsLogRow`, `pstnBlockedUsersLogRow`).
    LogRow,
    /// Subscription properties: all that a new one needs, or those an update may change.
    Subscription {
        create: bool,
    },
    /// The fault injection settings, every field optional.
    FaultSettings,
    /// A JSON batch: `{"requests": [...]}`.
    Batch,
    /// A text document of this media type.
    Text {
        description: &'static str,
        media: &'static str,
    },
}

/// What a successful operation answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// 200 with one entity of this type.
    Entity(&'static str),
    /// 200 with a page of a collection of this type.
    Collection(&'static str),
    /// 201 (created) or 200 (replaced, or an equal or newer version kept) with the whole stored record.
    Written,
    /// 201 with the new entity of this type and its `Location`.
    Created(&'static str),
    /// 204, meaning this.
    NoContent(&'static str),
    /// 200 with the CSDL document.
    Metadata,
    /// 200 with this document.
    OpenApi,
    /// 200 with `ok`.
    Health,
    /// 200 with the import summary.
    ImportSummary,
    /// 200 with one stored log row.
    LogRow,
    /// 201 (new) or 200 (replaced) with the stored log row.
    LogWritten,
    /// 200 with the fault injection settings in force.
    FaultSettings,
    /// 200 with the answers of a JSON batch, `{"responses": [...]}`.
    Batch,
    /// 200 with a document of callrec's own, in one of these media types (JSON first).
    Document {
        description: &'static str,
        media: &'static [&'static str],
    },
}

/// One operation: a path (relative to the version prefix when versioned) and a method.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    pub scope: Scope,
    /// The path as the router spells it (`{id}` placeholders are the same in OpenAPI).
    pub path: &'static str,
    pub method: Method,
    /// The `operationId`, prefixed with the version for versioned routes.
    pub name: &'static str,
    pub tag: &'static str,
    pub summary: &'static str,
    pub description: &'static str,
    pub options: &'static [QueryOption],
    pub body: RequestBody,
    pub reply: Reply,
    /// Error statuses the handler itself answers (every operation may also answer 500).
    pub errors: &'static [u16],
}

const READ_ERRORS: &[u16] = &[400, 404, 406];

/// Every operation of [`crate::http::app`], one row each.
pub const ENDPOINTS: &[Endpoint] = &[
    Endpoint {
        scope: Scope::Versioned,
        path: "/communications/callRecords",
        method: Method::Get,
        name: "listCallRecords",
        tag: "callRecords",
        summary: "List callRecords",
        description: "A page of callRecords (60 by default, up to 1000 with `Prefer: odata.maxpagesize`), by \
            `startDateTime` ascending (oldest first, records that started at the same instant by `id`) unless \
            `$orderby` says otherwise. Items carry the auto-expanded `organizer_v2` but no sessions or \
            participants_v2; get one record to expand those. Follow `@odata.nextLink` until it is absent.",
        options: &[
            QueryOption::Filter,
            QueryOption::Select(CALL_RECORD),
            QueryOption::OrderBy,
            QueryOption::Top,
            QueryOption::Count,
            QueryOption::SkipToken,
        ],
        body: RequestBody::None,
        reply: Reply::Collection(CALL_RECORD),
        errors: &[400, 406],
    },
    Endpoint {
        scope: Scope::Versioned,
        path: "/communications/callRecords",
        method: Method::Post,
        name: "createCallRecord",
        tag: "ingestion",
        summary: "Store one callRecord",
        description: "Validates and stores one callRecord in Graph's shape, with its sessions, segments and \
            participants_v2 inline. 201 when the record is new; 200 when it replaced an older `version`, or when an \
            equal or newer version was already stored (then the stored record is returned and \
            `callrec-ingest-outcome` says `stale`). A callRecord needs `id`, `startDateTime` and `endDateTime`.",
        options: &[],
        body: RequestBody::CallRecord { id_in_path: false },
        reply: Reply::Written,
        errors: &[400, 413, 415],
    },
    Endpoint {
        scope: Scope::Versioned,
        path: "/communications/callRecords/{id}",
        method: Method::Get,
        name: "getCallRecord",
        tag: "callRecords",
        summary: "Get a callRecord",
        description: "One callRecord with the auto-expanded `organizer_v2`. `$expand` adds `sessions` (60 a page, \
            then `sessions@odata.nextLink`), `sessions($expand=segments)` or `participants_v2` (130 a page, then \
            `participants_v2@odata.nextLink`).",
        options: &[QueryOption::Select(CALL_RECORD), QueryOption::ExpandRecord],
        body: RequestBody::None,
        reply: Reply::Entity(CALL_RECORD),
        errors: READ_ERRORS,
    },
    Endpoint {
        scope: Scope::Versioned,
        path: "/communications/callRecords/{id}",
        method: Method::Put,
        name: "replaceCallRecord",
        tag: "ingestion",
        summary: "Create or replace a callRecord",
        description: "Stores the body as the record with this id. A replacement that does not carry a higher \
            `version` than the stored one gets the stored version + 1 and a new `lastModifiedDateTime`. The body \
            may leave `id` out; if present it must equal the id in the path.",
        options: &[],
        body: RequestBody::CallRecord { id_in_path: true },
        reply: Reply::Written,
        errors: &[400, 409, 413, 415],
    },
    Endpoint {
        scope: Scope::Versioned,
        path: "/communications/callRecords/{id}",
        method: Method::Delete,
        name: "deleteCallRecord",
        tag: "ingestion",
        summary: "Delete a callRecord",
        description: "Deletes the record with its sessions, segments and participants.",
        options: &[],
        body: RequestBody::None,
        reply: Reply::NoContent("Deleted."),
        errors: &[404],
    },
    Endpoint {
        scope: Scope::Versioned,
        path: "/communications/callRecords/{id}/sessions",
        method: Method::Get,
        name: "listSessions",
        tag: "callRecords",
        summary: "List the sessions of a callRecord",
        description: "A page of at most 60 sessions (fewer with `Prefer: odata.maxpagesize`); follow \
            `@odata.nextLink` for the rest.",
        options: &[
            QueryOption::Select(SESSION),
            QueryOption::ExpandSession,
            QueryOption::SkipToken,
        ],
        body: RequestBody::None,
        reply: Reply::Collection(SESSION),
        errors: READ_ERRORS,
    },
    Endpoint {
        scope: Scope::Versioned,
        path: "/communications/callRecords/{id}/sessions/{sid}",
        method: Method::Get,
        name: "getSession",
        tag: "callRecords",
        summary: "Get one session of a callRecord",
        description: "One session; `$expand=segments` adds its segments.",
        options: &[QueryOption::Select(SESSION), QueryOption::ExpandSession],
        body: RequestBody::None,
        reply: Reply::Entity(SESSION),
        errors: READ_ERRORS,
    },
    Endpoint {
        scope: Scope::Versioned,
        path: "/communications/callRecords/{id}/sessions/{sid}/segments",
        method: Method::Get,
        name: "listSegments",
        tag: "callRecords",
        summary: "List the segments of a session",
        description: "Every segment of the session, in one page.",
        options: &[QueryOption::Select(SEGMENT)],
        body: RequestBody::None,
        reply: Reply::Collection(SEGMENT),
        errors: READ_ERRORS,
    },
    Endpoint {
        scope: Scope::Versioned,
        path: "/communications/callRecords/{id}/sessions/{sid}/segments/{segid}",
        method: Method::Get,
        name: "getSegment",
        tag: "callRecords",
        summary: "Get one segment of a session",
        description: "One segment, with its media.",
        options: &[QueryOption::Select(SEGMENT)],
        body: RequestBody::None,
        reply: Reply::Entity(SEGMENT),
        errors: READ_ERRORS,
    },
    Endpoint {
        scope: Scope::Versioned,
        path: "/communications/callRecords/{id}/participants_v2",
        method: Method::Get,
        name: "listParticipants",
        tag: "callRecords",
        summary: "List the participants of a callRecord",
        description: "A page of at most 130 participants (fewer with `Prefer: odata.maxpagesize`); follow \
            `@odata.nextLink` for the rest.",
        options: &[QueryOption::Select(PARTICIPANT), QueryOption::SkipToken],
        body: RequestBody::None,
        reply: Reply::Collection(PARTICIPANT),
        errors: READ_ERRORS,
    },
    Endpoint {
        scope: Scope::Versioned,
        path: "/communications/callRecords/{id}/participants_v2/{pid}",
        method: Method::Get,
        name: "getParticipant",
        tag: "callRecords",
        summary: "Get one participant of a callRecord",
        description: "One participant.",
        options: &[QueryOption::Select(PARTICIPANT)],
        body: RequestBody::None,
        reply: Reply::Entity(PARTICIPANT),
        errors: READ_ERRORS,
    },
    Endpoint {
        scope: Scope::Versioned,
        path: "/communications/callRecords/{id}/organizer_v2",
        method: Method::Get,
        name: "getOrganizer",
        tag: "callRecords",
        summary: "Get the organizer of a callRecord",
        description: "The organizer; 404 when the record has none.",
        options: &[QueryOption::Select(PARTICIPANT)],
        body: RequestBody::None,
        reply: Reply::Entity(ORGANIZER),
        errors: READ_ERRORS,
    },
    Endpoint {
        scope: Scope::V1,
        path: "/communications/callRecords/getPstnCalls(fromDateTime={fromDateTime},toDateTime={toDateTime})",
        method: Method::Get,
        name: "getPstnCalls",
        tag: "logs",
        summary: "PSTN call log",
        description: "The PSTN calls (Calling Plans, Operator Connect) that started in the range, both ends inclusive. Pages hold 1000 rows with `@odata.count` (the rows in the page) and, when more follow, `@odata.nextLink`.",
        options: &[
            QueryOption::LogFilter(LogKind::PstnCall),
            QueryOption::LogSelect(LogKind::PstnCall, SchemaVersion::V1),
            QueryOption::Skip,
            QueryOption::SkipToken,
        ],
        body: RequestBody::None,
        reply: Reply::Collection(PSTN_ROW),
        errors: &[400, 406],
    },
    Endpoint {
        scope: Scope::Beta,
        path: "/communications/callRecords/getPstnCalls(fromDateTime={fromDateTime},toDateTime={toDateTime})",
        method: Method::Get,
        name: "getPstnCalls",
        tag: "logs",
        summary: "PSTN call log (beta shape)",
        description: "The PSTN calls that started in the range, with the beta-only properties. Pages hold 1000 rows with `@odata.count` (the rows in the page) and, when more follow, `@odata.nextLink`.",
        options: &[
            QueryOption::LogFilter(LogKind::PstnCall),
            QueryOption::LogSelect(LogKind::PstnCall, SchemaVersion::Beta),
            QueryOption::Skip,
            QueryOption::SkipToken,
        ],
        body: RequestBody::None,
        reply: Reply::Collection(BETA_PSTN_ROW),
        errors: &[400, 406],
    },
    Endpoint {
        scope: Scope::V1,
        path: "/communications/callRecords/getDirectRoutingCalls(fromDateTime={fromDateTime},toDateTime={toDateTime})",
        method: Method::Get,
        name: "getDirectRoutingCalls",
        tag: "logs",
        summary: "Direct routing call log",
        description: "The direct routing calls that started in the range (`toDateTime` exclusive). Pages hold 1000 rows with `@odata.count` (the rows in the page) and, when more follow, `@odata.nextLink`.",
        options: &[
            QueryOption::LogFilter(LogKind::DirectRouting),
            QueryOption::LogSelect(LogKind::DirectRouting, SchemaVersion::V1),
            QueryOption::Skip,
            QueryOption::SkipToken,
        ],
        body: RequestBody::None,
        reply: Reply::Collection(DIRECT_ROUTING_ROW),
        errors: &[400, 406],
    },
    Endpoint {
        scope: Scope::Beta,
        path: "/communications/callRecords/getDirectRoutingCalls(fromDateTime={fromDateTime},toDateTime={toDateTime})",
        method: Method::Get,
        name: "getDirectRoutingCalls",
        tag: "logs",
        summary: "Direct routing call log (beta shape)",
        description: "The direct routing calls that started in the range (`toDateTime` exclusive), with the beta-only properties. Pages hold 1000 rows with `@odata.count` (the rows in the page) and, when more follow, `@odata.nextLink`.",
        options: &[
            QueryOption::LogFilter(LogKind::DirectRouting),
            QueryOption::LogSelect(LogKind::DirectRouting, SchemaVersion::Beta),
            QueryOption::Skip,
            QueryOption::SkipToken,
        ],
        body: RequestBody::None,
        reply: Reply::Collection(BETA_DIRECT_ROUTING_ROW),
        errors: &[400, 406],
    },
    Endpoint {
        scope: Scope::Beta,
        path: "/communications/callRecords/getSmsLog(fromDateTime={fromDateTime},toDateTime={toDateTime})",
        method: Method::Get,
        name: "getSmsLog",
        tag: "logs",
        summary: "SMS log",
        description: "The SMS sent in the range. Pages hold 1000 rows with `@odata.count` (the rows in the page) and, when more follow, `@odata.nextLink`.",
        options: &[
            QueryOption::LogFilter(LogKind::Sms),
            QueryOption::LogSelect(LogKind::Sms, SchemaVersion::Beta),
            QueryOption::Skip,
            QueryOption::SkipToken,
        ],
        body: RequestBody::None,
        reply: Reply::Collection(BETA_SMS_ROW),
        errors: &[400, 406],
    },
    Endpoint {
        scope: Scope::Beta,
        path: "/communications/callRecords/getPstnBlockedUsersLog(fromDateTime={fromDateTime},toDateTime={toDateTime})",
        method: Method::Get,
        name: "getPstnBlockedUsersLog",
        tag: "logs",
        summary: "Blocked PSTN users log",
        description: "The users blocked from PSTN calling in the range. Pages hold 1000 rows with `@odata.count` (the rows in the page) and, when more follow, `@odata.nextLink`.",
        options: &[
            QueryOption::LogFilter(LogKind::PstnBlockedUser),
            QueryOption::LogSelect(LogKind::PstnBlockedUser, SchemaVersion::Beta),
            QueryOption::Skip,
            QueryOption::SkipToken,
        ],
        body: RequestBody::None,
        reply: Reply::Collection(BETA_BLOCKED_USER_ROW),
        errors: &[400, 406],
    },
    Endpoint {
        scope: Scope::Beta,
        path: "/communications/callRecords/getPstnOnlineMeetingDialoutReport(fromDateTime={fromDateTime},toDateTime={toDateTime})",
        method: Method::Get,
        name: "getPstnOnlineMeetingDialoutReport",
        tag: "logs",
        summary: "Meeting dial-out report",
        description: "Dial-out minutes and cost of online meetings per user, destination and currency, computed from the PSTN calls that started in the range. Pages hold 1000 rows with `@odata.count` (the rows in the page) and, when more follow, `@odata.nextLink`.",
        options: &[
            QueryOption::LogFilter(LogKind::PstnOnlineMeetingDialout),
            QueryOption::LogSelect(LogKind::PstnOnlineMeetingDialout, SchemaVersion::Beta),
            QueryOption::Skip,
            QueryOption::SkipToken,
        ],
        body: RequestBody::None,
        reply: Reply::Collection(BETA_DIALOUT_ROW),
        errors: &[400, 406],
    },
    Endpoint {
        scope: Scope::Versioned,
        path: "/subscriptions",
        method: Method::Get,
        name: "listSubscriptions",
        tag: "subscriptions",
        summary: "List subscriptions",
        description: "The tenant's change-notification subscriptions that have not expired, in one page.",
        options: &[],
        body: RequestBody::None,
        reply: Reply::Collection(SUBSCRIPTION),
        errors: &[406],
    },
    Endpoint {
        scope: Scope::Versioned,
        path: "/subscriptions",
        method: Method::Post,
        name: "createSubscription",
        tag: "subscriptions",
        summary: "Subscribe to callRecords",
        description: "Subscribes a notification URL to new (and, with `updated`, changed) callRecords: \
            `resource` is `/communications/callRecords`, or `/communications/callRecords?$filter=participants/any(p:p/id eq '...')` \
            for the records of given participants. Graph's rules apply (a lifetime of at most 4230 minutes, raised \
            to at least 45); the notification URL (and the lifecycle URL) must answer the validation handshake \
            before the subscription is stored.",
        options: &[],
        body: RequestBody::Subscription { create: true },
        reply: Reply::Created(SUBSCRIPTION),
        errors: &[400, 403, 413, 415],
    },
    Endpoint {
        scope: Scope::Versioned,
        path: "/subscriptions/{id}",
        method: Method::Get,
        name: "getSubscription",
        tag: "subscriptions",
        summary: "Get a subscription",
        description: "One subscription that has not expired.",
        options: &[],
        body: RequestBody::None,
        reply: Reply::Entity(SUBSCRIPTION),
        errors: &[404, 406],
    },
    Endpoint {
        scope: Scope::Versioned,
        path: "/subscriptions/{id}",
        method: Method::Patch,
        name: "updateSubscription",
        tag: "subscriptions",
        summary: "Renew or move a subscription",
        description: "Changes `expirationDateTime` (renewal, under the same lifetime rules) and/or `notificationUrl` \
            (validated again); no other property can change.",
        options: &[],
        body: RequestBody::Subscription { create: false },
        reply: Reply::Entity(SUBSCRIPTION),
        errors: &[400, 404, 413, 415],
    },
    Endpoint {
        scope: Scope::Versioned,
        path: "/subscriptions/{id}",
        method: Method::Delete,
        name: "deleteSubscription",
        tag: "subscriptions",
        summary: "Delete a subscription",
        description: "Stops the notifications of a subscription.",
        options: &[],
        body: RequestBody::None,
        reply: Reply::NoContent("Deleted."),
        errors: &[404],
    },
    Endpoint {
        scope: Scope::Versioned,
        path: "/subscriptions/{id}/reauthorize",
        method: Method::Post,
        name: "reauthorizeSubscription",
        tag: "subscriptions",
        summary: "Reauthorize a subscription",
        description: "The answer to a `reauthorizationRequired` lifecycle notification. Tokens are checked on every \
            request, so there is nothing to refresh: the subscription must exist and not have expired.",
        options: &[],
        body: RequestBody::None,
        reply: Reply::NoContent("The subscription is live."),
        errors: &[404],
    },
    Endpoint {
        scope: Scope::Versioned,
        path: "/$batch",
        method: Method::Post,
        name: "batch",
        tag: "batch",
        summary: "Send up to 20 requests in one (JSON batching)",
        description: "Graph's JSON batching. Each request is answered as if sent on its own with the batch's \
            `Authorization` (authorized, throttled and faulted on its own); `url` is relative to the version \
            (`/communications/callRecords/{id}` or without the leading slash), and an absolute or `/v1.0/...` url \
            is refused in that request's answer. A request with a `body` needs a `Content-Type` header. A request \
            runs after those its `dependsOn` names and answers 424 when one of them failed; the others may run \
            concurrently. Answers come in any order; JSON bodies are inlined as JSON. The whole batch is 400 when \
            it is malformed, holds more than 20 requests, repeats an id (compared case-insensitively), or its \
            `dependsOn` names an unknown id or makes a cycle.",
        options: &[],
        body: RequestBody::Batch,
        reply: Reply::Batch,
        errors: &[400, 413, 415],
    },
    Endpoint {
        scope: Scope::Versioned,
        path: "/$metadata",
        method: Method::Get,
        name: "getMetadata",
        tag: "service",
        summary: "The OData metadata document",
        description: "The CSDL (EDMX) document of the `microsoft.graph` types callrec uses and the \
            `microsoft.graph.callRecords` schema.",
        options: &[],
        body: RequestBody::None,
        reply: Reply::Metadata,
        errors: &[],
    },
    Endpoint {
        scope: Scope::Root,
        path: "/callrec/import",
        method: Method::Post,
        name: "importCallRecords",
        tag: "ingestion",
        summary: "Import many callRecords",
        description: "Runs the pipeline of `callrec import` over the body: NDJSON (one callRecord a line), a JSON \
            array of callRecords, or a Graph collection page (`{\"value\": [...]}`), optionally gzip-compressed \
            (recognized by its magic bytes). Each bad record is rejected alone and reported with its line (or \
            position), JSON path and reason; the answer is the import summary. With `kind`, the body holds log \
            rows of that kind instead.",
        options: &[QueryOption::ImportKind],
        body: RequestBody::Import,
        reply: Reply::ImportSummary,
        errors: &[400, 413],
    },
    Endpoint {
        scope: Scope::Root,
        path: "/callrec/logs",
        method: Method::Post,
        name: "createLogRow",
        tag: "ingestion",
        summary: "Store one log row",
        description: "Validates and stores one PSTN, direct routing, SMS or blocked-user log row, in the beta shape \
            (a superset of v1.0's); its `@odata.type` names the kind. 201 when new, 200 when it replaced the row with \
            the same key; `callrec-warnings` counts the oddities accepted.",
        options: &[],
        body: RequestBody::LogRow,
        reply: Reply::LogWritten,
        errors: &[400, 413, 415],
    },
    Endpoint {
        scope: Scope::Root,
        path: "/callrec/logs/{kind}",
        method: Method::Post,
        name: "createLogRowOfKind",
        tag: "ingestion",
        summary: "Store one log row of a kind",
        description: "As `POST /callrec/logs`, with the kind in the path (the body's `@odata.type` may be left out).",
        options: &[],
        body: RequestBody::LogRow,
        reply: Reply::LogWritten,
        errors: &[400, 404, 413, 415],
    },
    Endpoint {
        scope: Scope::Root,
        path: "/callrec/logs/{kind}/{key}",
        method: Method::Get,
        name: "getLogRow",
        tag: "ingestion",
        summary: "Get one stored log row",
        description: "The row as stored, in its beta shape.",
        options: &[],
        body: RequestBody::None,
        reply: Reply::LogRow,
        errors: &[404],
    },
    Endpoint {
        scope: Scope::Root,
        path: "/callrec/logs/{kind}/{key}",
        method: Method::Delete,
        name: "deleteLogRow",
        tag: "ingestion",
        summary: "Delete one stored log row",
        description: "Deletes the row.",
        options: &[],
        body: RequestBody::None,
        reply: Reply::NoContent("Deleted."),
        errors: &[404],
    },
    Endpoint {
        scope: Scope::Root,
        path: "/callrec/callRecords/{id}/directRoutingCalls",
        method: Method::Get,
        name: "listLinkedDirectRoutingCalls",
        tag: "logs",
        summary: "The direct routing rows of a callRecord",
        description: "The direct routing log rows whose `correlationId` is the callRecord's id, whatever their time \
            (at most 1000), in the beta shape. The other way, a row's `correlationId` is a callRecord id.",
        options: &[],
        body: RequestBody::None,
        reply: Reply::Collection(BETA_DIRECT_ROUTING_ROW),
        errors: &[406],
    },
    Endpoint {
        scope: Scope::Root,
        path: "/callrec/faults",
        method: Method::Get,
        name: "getFaultSettings",
        tag: "faults",
        summary: "The fault injection settings",
        description: "The faults injected into Graph API requests (`/v1.0`, `/beta`) now: the `serve` flags' \
            settings until a `PUT` or `DELETE` changes them.",
        options: &[],
        body: RequestBody::None,
        reply: Reply::FaultSettings,
        errors: &[],
    },
    Endpoint {
        scope: Scope::Root,
        path: "/callrec/faults",
        method: Method::Put,
        name: "replaceFaultSettings",
        tag: "faults",
        summary: "Replace the fault injection settings",
        description: "Replaces every setting at once: a field left out takes its default (so `{}` switches faults \
            off), and the answer is the settings now in force. The settings hold for the whole server, every \
            tenant alike, until changed again or the server restarts. Injected errors carry \
            `callrec-fault: injected`.",
        options: &[],
        body: RequestBody::FaultSettings,
        reply: Reply::FaultSettings,
        errors: &[400],
    },
    Endpoint {
        scope: Scope::Root,
        path: "/callrec/faults",
        method: Method::Delete,
        name: "clearFaultSettings",
        tag: "faults",
        summary: "Switch every fault off",
        description: "Restores the default settings: no errors, no added latency, no availability delay.",
        options: &[],
        body: RequestBody::None,
        reply: Reply::NoContent("Every fault is off."),
        errors: &[],
    },
    Endpoint {
        scope: Scope::Root,
        path: "/callrec/export/{table}",
        method: Method::Get,
        name: "exportTable",
        tag: "export",
        summary: "Export one table of the caller's tenant",
        description: "One table of the star schema `callrec export` writes (call_records, participants, sessions, \
            segments, media_streams, pstn_calls, direct_routing_calls, sms_log, pstn_blocked_users) for records that \
            started (and log rows) in `from` (inclusive) to `to` (exclusive), each a date or an instant, streamed as \
            `format` `csv` (the default), `parquet` (one file, zstd) or `ndjson` (the archive `POST /callrec/import` \
            takes back; call_records and the log tables only). `personalData=false` scrubs personal data and leaves \
            the personal columns out. Needs the permission to read what the table holds. See docs/export.md.",
        options: &[],
        body: RequestBody::None,
        reply: Reply::Document {
            description: "The table's rows, streamed.",
            media: &[
                "text/csv",
                "application/vnd.apache.parquet",
                "application/x-ndjson",
            ],
        },
        errors: &[400],
    },
    Endpoint {
        scope: Scope::Root,
        path: "/callrec/reports/quality",
        method: Method::Get,
        name: "getQualityReport",
        tag: "quality",
        summary: "Call quality report",
        description: "Good, poor and unclassified streams (CQD's stream classification) of a time range, with the \
            poor stream rate, the reasons and the metrics' averages and maximums, grouped `by` day, hour, mediaType, \
            building, subnet, connection, platform, clientVersion, user or device. Parameters: `by`, `from`, `to`, \
            `days`, `mediaType`, one of `user`, `subnet`, `building`, `platform`, `clientVersion`, `connection`, \
            `device`, and `order` (`worst`, `poor`), `top`, `minStreams`, `format` (`csv`). `Accept: text/csv` \
            answers CSV. See docs/quality.md.",
        options: &[],
        body: RequestBody::None,
        reply: Reply::Document {
            description: "The report's rows, each with a link to the poor records behind it.",
            media: &["application/json", "text/csv"],
        },
        errors: &[400],
    },
    Endpoint {
        scope: Scope::Root,
        path: "/callrec/reports/quality/thresholds",
        method: Method::Get,
        name: "getQualityThresholds",
        tag: "quality",
        summary: "The quality thresholds in force",
        description: "The limits streams are classified with: CQD's, or those of `serve --quality-thresholds`.",
        options: &[],
        body: RequestBody::None,
        reply: Reply::Document {
            description: "The thresholds.",
            media: &["application/json"],
        },
        errors: &[],
    },
    Endpoint {
        scope: Scope::Root,
        path: "/callrec/buildings",
        method: Method::Get,
        name: "getBuildings",
        tag: "quality",
        summary: "The subnet-to-building map",
        description: "The map as uploaded: JSON, or CSV with a header row of CQD's columns with `Accept: text/csv`.",
        options: &[],
        body: RequestBody::None,
        reply: Reply::Document {
            description: "The buildings.",
            media: &["application/json", "text/csv"],
        },
        errors: &[],
    },
    Endpoint {
        scope: Scope::Root,
        path: "/callrec/buildings",
        method: Method::Put,
        name: "replaceBuildings",
        tag: "quality",
        summary: "Upload the subnet-to-building map",
        description: "Replaces the map with a CQD building data file (CSV or TSV; without a header row in CQD's \
            column order, or with a header naming at least NetworkIP, NetworkRange and BuildingName). Reports by \
            building apply it to every stream stored, also those stored before.",
        options: &[],
        body: RequestBody::Text {
            description: "The building file.",
            media: "text/csv",
        },
        reply: Reply::Document {
            description: "How many rows the map now has.",
            media: &["application/json"],
        },
        errors: &[400],
    },
    Endpoint {
        scope: Scope::Root,
        path: "/metrics",
        method: Method::Get,
        name: "getMetrics",
        tag: "service",
        summary: "Prometheus metrics",
        description: "Records and streams stored (by quality verdict), store size, and HTTP requests by route \
            template and status with their latencies, in Prometheus' text format.",
        options: &[],
        body: RequestBody::None,
        reply: Reply::Document {
            description: "The metrics.",
            media: &["text/plain"],
        },
        errors: &[],
    },
    Endpoint {
        scope: Scope::Root,
        path: "/openapi.json",
        method: Method::Get,
        name: "getOpenApi",
        tag: "service",
        summary: "This OpenAPI description",
        description: "An OpenAPI 3.0.3 description of every route; the callRecords schemas are generated from the CSDL.",
        options: &[],
        body: RequestBody::None,
        reply: Reply::OpenApi,
        errors: &[],
    },
    Endpoint {
        scope: Scope::Root,
        path: "/healthz",
        method: Method::Get,
        name: "getHealth",
        tag: "service",
        summary: "Liveness",
        description: "Answers `ok` while the server runs.",
        options: &[],
        body: RequestBody::None,
        reply: Reply::Health,
        errors: &[],
    },
    Endpoint {
        scope: Scope::Root,
        path: "/",
        method: Method::Get,
        name: "getUi",
        tag: "ui",
        summary: "The web UI",
        description: "The page of the web UI (calls, one call, quality, logs, operations). It reads this API \
            with the token pasted into it; the page and its assets need none.",
        options: &[],
        body: RequestBody::None,
        reply: Reply::Document {
            description: "The page.",
            media: &["text/html"],
        },
        errors: &[],
    },
    Endpoint {
        scope: Scope::Root,
        path: "/ui/{file}",
        method: Method::Get,
        name: "getUiFile",
        tag: "ui",
        summary: "A script or style sheet of the web UI",
        description: "`app.js` or `app.css`, compiled into the binary.",
        options: &[],
        body: RequestBody::None,
        reply: Reply::Document {
            description: "The file.",
            media: &["text/javascript", "text/css"],
        },
        errors: &[404],
    },
];

/// The versions versioned routes are served under, with the `operationId` prefix of each.
const VERSIONS: [(ApiVersion, &str); 2] = [(ApiVersion::V1, "v1"), (ApiVersion::Beta, "beta")];

/// The document as JSON text, built once.
pub fn document_json() -> String {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| serde_json::to_string(document()).expect("a JSON value always serializes"))
        .clone()
}

/// The document, built once.
pub fn document() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(build)
}

fn build() -> Value {
    let mut paths = Map::new();
    for endpoint in ENDPOINTS {
        match endpoint.scope {
            Scope::Versioned | Scope::V1 | Scope::Beta => {
                let versions = VERSIONS.into_iter().filter(|(v, _)| match endpoint.scope {
                    Scope::V1 => *v == ApiVersion::V1,
                    Scope::Beta => *v == ApiVersion::Beta,
                    _ => true,
                });
                for (version, prefix) in versions {
                    let path = format!("/{}{}", version.segment(), endpoint.path);
                    add_operation(
                        &mut paths,
                        path,
                        operation(endpoint, Some((version, prefix))),
                        endpoint.method,
                    );
                }
            }
            Scope::Root => add_operation(
                &mut paths,
                endpoint.path.to_owned(),
                operation(endpoint, None),
                endpoint.method,
            ),
        }
    }
    json!({
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "callrec",
            "version": env!("CARGO_PKG_VERSION"),
            "description": INFO_DESCRIPTION,
            "license": { "name": "MIT OR Apache-2.0" },
        },
        "tags": [
            { "name": "callRecords", "description": "Graph's read API for call records (`microsoft.graph.callRecords`)." },
            { "name": "subscriptions", "description": "Change notifications for new and updated callRecords." },
            { "name": "logs", "description": "Graph's PSTN, direct routing and SMS log functions." },
            { "name": "ingestion", "description": "callrec's write endpoints: Graph itself is read-only." },
            { "name": "batch", "description": "Graph's JSON batching: up to 20 requests in one, each answered on its own." },
            { "name": "quality", "description": "Call quality reports as CQD makes them, and the building map they use." },
            { "name": "export", "description": "The tenant's data as tables for BI tools, or the NDJSON archive." },
            { "name": "faults", "description": "Errors, latency and late records injected on purpose, to test clients against Graph's bad days." },
            { "name": "service", "description": "Documents that describe the API, and liveness." },
            { "name": "ui", "description": "The web UI's page and files." },
        ],
        "paths": paths,
        "components": components(),
    })
}

const INFO_DESCRIPTION: &str = "A stand-in for the Microsoft Graph call records API (`microsoft.graph.callRecords`), \
with ingestion. Every Graph resource is served under `/v1.0` and `/beta` alike. Every response carries `request-id` \
and echoes `client-request-id`; every error, whatever its status (including 405 for a method a path does not \
support), has Graph's error body `{\"error\":{\"code\",\"message\",\"innerError\":{\"date\",\"request-id\",\
\"client-request-id\"}}}`. A URL that names no resource answers 400 `BadRequest` (\"Resource not found for the \
segment ...\"), as Graph does. Query options an operation does not list are refused with 400, never ignored.";

fn add_operation(paths: &mut Map<String, Value>, path: String, operation: Value, method: Method) {
    let item = paths.entry(path).or_insert_with(|| json!({}));
    if let Value::Object(item) = item {
        item.insert(method.key().to_owned(), operation);
    }
}

fn operation(e: &Endpoint, version: Option<(ApiVersion, &str)>) -> Value {
    let full_path = match version {
        Some((v, _)) => format!("/{}{}", v.segment(), e.path),
        None => e.path.to_owned(),
    };
    // The permission table of `auth` decides who may call what; the document only reports it.
    let resource = crate::http::resources::resource_of(&e.method.http(), &full_path);
    let roles = resource.accepted_roles();
    let mut op = Map::new();
    op.insert("tags".to_owned(), json!([e.tag]));
    op.insert("summary".to_owned(), json!(e.summary));
    let mut description = e.description.to_owned();
    if resource == Resource::Public {
        op.insert("security".to_owned(), json!([]));
        description.push_str(" Needs no token.");
    } else if roles.is_empty() {
        op.insert("security".to_owned(), json!([{ "bearer": [] }, {}]));
        description
            .push_str(" With authentication on, needs a valid token, whatever its permissions.");
    } else {
        // Authentication is a server setting (`--auth`), so a token is optional as far as the document knows.
        op.insert("security".to_owned(), json!([{ "bearer": [] }, {}]));
        description.push_str(&format!(
            " With authentication on, needs a token with the application permission {}.",
            roles
                .iter()
                .map(|r| format!("`{r}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        ));
    }
    op.insert("description".to_owned(), json!(description));
    let id = match version {
        Some((_, prefix)) => format!("{prefix}_{}", e.name),
        None => e.name.to_owned(),
    };
    op.insert("operationId".to_owned(), json!(id));
    let mut parameters: Vec<Value> = path_parameters(e.path);
    parameters.extend(
        e.options
            .iter()
            .map(|o| parameter_ref(&option_component(*o))),
    );
    if let Reply::Entity(t) | Reply::Collection(t) = e.reply
        && version.is_some()
        && t.contains(CALL_RECORDS_PREFIX)
    {
        parameters.push(parameter_ref("prefer"));
    }
    parameters.push(parameter_ref("clientRequestId"));
    op.insert("parameters".to_owned(), Value::Array(parameters));
    if let Some(body) = request_body(e.body) {
        op.insert("requestBody".to_owned(), body);
    }
    let mut responses = success_responses(e.reply);
    add_links(&mut responses, e.name, version.map(|(_, prefix)| prefix));
    let mut errors: Vec<u16> = e.errors.to_vec();
    // A batch is neither throttled nor faulted itself: its requests are, each in its own answer.
    if resource == Resource::Batch {
        errors.push(401);
    } else if resource != Resource::Public {
        errors.extend([401, 403, 429]);
    }
    if version.is_some() && resource != Resource::Batch {
        errors.push(503);
    }
    errors.sort_unstable();
    errors.dedup();
    for status in &errors {
        responses.insert(
            status.to_string(),
            json!({ "$ref": format!("#/components/responses/{}", error_response_name(*status)) }),
        );
    }
    responses.insert(
        "default".to_owned(),
        json!({ "$ref": "#/components/responses/error" }),
    );
    op.insert("responses".to_owned(), Value::Object(responses));
    Value::Object(op)
}

/// The `{name}` placeholders of a path, in order.
fn placeholders(path: &str) -> impl Iterator<Item = &str> {
    path.split('{')
        .skip(1)
        .filter_map(|s| s.split_once('}').map(|(name, _)| name))
}

fn path_parameters(path: &str) -> Vec<Value> {
    placeholders(path)
        .map(|name| {
            let instant = || {
                json!({ "type": "string", "description": "An instant or a date, UTC: `2019-11-01T00:00:00Z`, `2019-11-01`." })
            };
            let (description, example, schema) = match name {
                "id" if path.starts_with("/callrec/") => (
                    "The id of a callRecord (any string: rows name it in their `correlationId`).",
                    "e523d2ed-2966-4b6b-925b-754a88034cc5",
                    Some(json!({ "type": "string", "minLength": 1 })),
                ),
                "id" if path.starts_with("/subscriptions") => {
                    ("The id of the subscription.", "7f105c7d-2dc5-4530-97cd-4e7ae6534c07", None)
                }
                "fromDateTime" => ("The start of the range, inclusive (compared with the row's time).", "2019-11-01", Some(instant())),
                "toDateTime" => (
                    "The end of the range: inclusive, except for getDirectRoutingCalls. At most 90 days after \
                     `fromDateTime`, except for getDirectRoutingCalls; a longer range is refused with 406.",
                    "2019-12-01",
                    Some(instant()),
                ),
                "kind" => (
                    "The kind of log row: `pstnCall`, `directRoutingCall`, `sms`, `pstnBlockedUser` (or its type or \
                     function name, in any case).",
                    "pstnCall",
                    Some(json!({ "type": "string", "minLength": 1 })),
                ),
                "key" => (
                    "The row's `id`, or for a row without one the `~`-prefixed digest its `Location` named.",
                    "9c4984c7-6c3c-427d-a30c-bd0b2eacee90",
                    Some(json!({ "type": "string", "minLength": 1 })),
                ),
                "id" => (
                    "The id of the callRecord.",
                    "e523d2ed-2966-4b6b-925b-754a88034cc5",
                    None,
                ),
                "sid" => (
                    "The id of the session.",
                    "e523d2ed-2966-4b6b-925b-754a88034cc5",
                    None,
                ),
                "segid" => (
                    "The id of the segment.",
                    "e523d2ed-2966-4b6b-925b-754a88034cc5",
                    None,
                ),
                "pid" => (
                    "The id of the participant.",
                    "821809f5-0000-0000-0000-3b5136c0e777",
                    None,
                ),
                "file" => (
                    "The name of a file of the web UI.",
                    "app.js",
                    Some(json!({ "type": "string", "minLength": 1 })),
                ),
                _ => ("A key.", "x", None),
            };
            json!({
                "name": name,
                "in": "path",
                "required": true,
                "description": description,
                "schema": schema.unwrap_or_else(|| json!({ "type": "string", "pattern": USABLE_ID_PATTERN })),
                "example": example,
            })
        })
        .collect()
}

fn parameter_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/parameters/{name}") })
}

fn option_component(option: QueryOption) -> String {
    match option {
        QueryOption::Filter => "filter".to_owned(),
        QueryOption::Select(type_name) => format!("select.{}", simple_name(type_name)),
        QueryOption::ExpandRecord => "expand.callRecord".to_owned(),
        QueryOption::ExpandSession => "expand.session".to_owned(),
        QueryOption::OrderBy => "orderby".to_owned(),
        QueryOption::Top => "top".to_owned(),
        QueryOption::Count => "count".to_owned(),
        QueryOption::SkipToken => "skiptoken".to_owned(),
        QueryOption::LogFilter(kind) => format!("filter.{}", kind.simple_type_name()),
        QueryOption::LogSelect(kind, SchemaVersion::V1) => {
            format!("select.{}", kind.simple_type_name())
        }
        QueryOption::LogSelect(kind, SchemaVersion::Beta) => {
            format!("select.beta.{}", kind.simple_type_name())
        }
        QueryOption::Skip => "skip".to_owned(),
        QueryOption::ImportKind => "importKind".to_owned(),
    }
}

fn simple_name(qualified: &str) -> &str {
    qualified.rsplit_once('.').map_or(qualified, |(_, n)| n)
}

fn option_parameter(option: QueryOption) -> Value {
    let query = |name: &str, description: String, schema: Value| json!({ "name": name, "in": "query", "required": false, "description": description, "schema": schema });
    match option {
        QueryOption::Filter => {
            let mut p = query(
                "$filter",
                "Which callRecords to list. Graph documents `startDateTime` compared with `lt`, `le`, `gt`, `ge` \
                 (joined by `and`) and `participants_v2/any(p:p/id eq '...')`; callrec also accepts `endDateTime`, \
                 `lastModifiedDateTime`, `version`, `id` (`eq`, `ne`, `in`), `type`, `modalities/any(...)`, combined \
                 with `and`, `or`, `not` and parentheses. Anything else is refused with 400 naming the construct."
                    .to_owned(),
                json!({ "type": "string" }),
            );
            p["examples"] = json!({
                "startRange": {
                    "summary": "Records that started in a five-minute window",
                    "value": "startDateTime ge 2023-09-25T09:25:00Z and startDateTime lt 2023-09-25T09:30:00Z",
                },
                "participant": {
                    "summary": "Records a participant took part in",
                    "value": "participants_v2/any(p:p/id eq '821809f5-0000-0000-0000-3b5136c0e777')",
                },
                "type": { "summary": "Group calls", "value": "type eq 'groupCall'" },
                "modality": { "summary": "Calls with video", "value": "modalities/any(m:m eq 'video')" },
                "version": { "summary": "Records changed since their first version", "value": "version gt 1" },
            });
            p
        }
        QueryOption::Select(type_name) => {
            let mut names: Vec<&str> = selectable(type_name);
            names.push("*");
            let mut p = query(
                "$select",
                format!(
                    "The properties of `{type_name}` to return, comma-separated (names match in any case); `*` for all."
                ),
                json!({ "type": "array", "minItems": 1, "items": { "type": "string", "enum": names } }),
            );
            p["style"] = json!("form");
            p["explode"] = json!(false);
            let structural: Vec<&str> = schema()
                .structured_type(type_name)
                .map(|t| t.all_properties().iter().filter(|p| !p.navigation).map(|p| p.name.as_str()).take(3).collect())
                .unwrap_or_default();
            p["example"] = json!(structural);
            p
        }
        QueryOption::ExpandRecord => {
            let mut p = query(
                "$expand",
                "Related entities to include: `sessions` (optionally `sessions($expand=segments)`, with `$select` \
                 inside the parentheses, options separated by `;`), `participants_v2` (optionally with `$select`), \
                 `organizer_v2` (always included anyway). Several are separated by `,`."
                    .to_owned(),
                json!({ "type": "string" }),
            );
            p["examples"] = json!({
                "sessions": { "value": "sessions" },
                "sessionsWithSegments": { "value": "sessions($expand=segments)" },
                "participants": { "value": "participants_v2" },
                "narrowed": {
                    "summary": "Some properties of sessions and their segments",
                    "value": "sessions($select=id,startDateTime;$expand=segments($select=id))",
                },
                "both": { "value": "sessions($expand=segments),participants_v2" },
            });
            p
        }
        QueryOption::ExpandSession => {
            let mut p = query(
                "$expand",
                "`segments` to include each session's segments, optionally with `$select` inside the parentheses."
                    .to_owned(),
                json!({ "type": "string" }),
            );
            p["examples"] = json!({
                "segments": { "value": "segments" },
                "narrowed": { "value": "segments($select=id,startDateTime,endDateTime)" },
            });
            p
        }
        QueryOption::OrderBy => {
            let mut p = query(
                "$orderby",
                "One of `startDateTime`, `lastModifiedDateTime`, `endDateTime`, optionally followed by `asc` (the \
                 default) or `desc`; records with the same time are ordered by `id` in the same direction. Without \
                 `$orderby` the order is `startDateTime asc`."
                    .to_owned(),
                json!({ "type": "string" }),
            );
            p["examples"] = json!({
                "newestFirst": { "value": "startDateTime desc" },
                "recentlyChanged": { "value": "lastModifiedDateTime desc" },
            });
            p
        }
        QueryOption::Top => {
            let mut p = query(
                "$top",
                format!(
                    "The most records to return in all pages together. Pages still hold at most {LIST_PAGE} records \
                     (or the `odata.maxpagesize` asked for, up to {LIST_PAGE_MAX})."
                ),
                json!({ "type": "integer", "format": "int64", "minimum": 0, "maximum": u32::MAX }),
            );
            p["example"] = json!(10);
            p
        }
        QueryOption::Count => {
            let mut p = query(
                "$count",
                "`true` to add `@odata.count`, the number of records that match, to the first page.".to_owned(),
                json!({ "type": "boolean" }),
            );
            p["example"] = json!(true);
            p
        }
        QueryOption::SkipToken => query(
            "$skiptoken",
            "The continuation of a paged collection. Opaque: take it from `@odata.nextLink` and do not change it \
             or the other options beside it (a differing option is refused with 400)."
                .to_owned(),
            json!({ "type": "string" }),
        ),
        QueryOption::LogFilter(kind) => {
            let names: Vec<String> = logs::filter::filterable(kind).iter().map(|(n, _)| format!("`{n}`")).collect();
            let mut p = query(
                "$filter",
                format!(
                    "A callrec extension (Graph ignores options on its log functions): conditions on {} with \
                     `eq`, `ne`, `in`, `startswith` on text and `lt`, `le`, `gt`, `ge` on numbers, combined with \
                     `and`, `or`, `not`.",
                    names.join(", ")
                ),
                json!({ "type": "string" }),
            );
            p["example"] = json!("userPrincipalName eq 'user@contoso.com'");
            p
        }
        QueryOption::LogSelect(kind, version) => {
            let mut names = logs::properties(kind, version);
            let example: Vec<&str> = names.iter().take(3).copied().collect();
            names.push("*");
            let mut p = query(
                "$select",
                format!("The properties of `{}` to return (a callrec extension).", kind.type_name()),
                json!({ "type": "array", "minItems": 1, "items": { "type": "string", "enum": names } }),
            );
            p["style"] = json!("form");
            p["explode"] = json!(false);
            p["example"] = json!(example);
            p
        }
        QueryOption::Skip => {
            let mut p = query(
                "$skip",
                "Rows to skip, as Graph's nextLinks say (`$skip=1000`); follow `@odata.nextLink` rather than \
                 building it."
                    .to_owned(),
                json!({ "type": "integer", "minimum": 0, "maximum": u32::MAX }),
            );
            p["example"] = json!(1000);
            p
        }
        QueryOption::ImportKind => {
            let mut p = query(
                "kind",
                "What the body holds: `callRecord` (the default when the body does not tell), or log rows: \
                 `pstnCall`, `directRoutingCall`, `sms`, `pstnBlockedUser`."
                    .to_owned(),
                json!({ "type": "string" }),
            );
            p["example"] = json!("pstnCall");
            p
        }
    }
}

fn request_body(body: RequestBody) -> Option<Value> {
    let record = |id_required: bool, description: &str| {
        // What the validator requires beyond the CSDL: every contained entity has an id, and a callRecord
        // has the times the store indexes it by (its id may come from the path).
        let mut overlay = schemas::request_overlay(schema(), CALL_RECORD);
        overlay["type"] = json!("object");
        overlay["required"] = if id_required {
            json!(["id", "startDateTime", "endDateTime"])
        } else {
            json!(["startDateTime", "endDateTime"])
        };
        json!({
            "required": true,
            "description": description,
            "content": {
                "application/json": {
                    "schema": { "allOf": [schema_ref(CALL_RECORD), overlay] },
                },
            },
        })
    };
    match body {
        RequestBody::None => None,
        RequestBody::CallRecord { id_in_path: false } => Some(record(
            true,
            "One callRecord in Graph's shape (as `GET /communications/callRecords/{id}?$expand=sessions($expand=segments),participants_v2` \
             returns it), sent as `application/json` or another `+json` type. Unknown properties and surprising \
             values are kept and logged as warnings; only what cannot be stored faithfully is refused.",
        )),
        RequestBody::CallRecord { id_in_path: true } => Some(record(
            false,
            "One callRecord in Graph's shape; its `id`, when present, must equal the id in the path.",
        )),
        RequestBody::LogRow => Some(json!({
            "required": true,
            "description": "One log row in Graph's shape (v1.0 or beta), sent as `application/json` or another `+json` type.",
            "content": { "application/json": { "schema": stored_log_row() } },
        })),
        RequestBody::Subscription { create: true } => Some(json!({
            "required": true,
            "description": "The subscription. Only properties of `microsoft.graph.subscription` are accepted; \
                `includeResourceData` must not be true (callRecords notifications carry no resource data).",
            "content": {
                "application/json": {
                    "schema": {
                        "allOf": [
                            schema_ref(SUBSCRIPTION),
                            {
                                "type": "object",
                                "required": ["changeType", "notificationUrl", "resource", "expirationDateTime"],
                                "properties": {
                                    "changeType": {
                                        "type": "string",
                                        "pattern": r"^\s*(created|updated)\s*(,\s*(created|updated)\s*)*$",
                                        "description": "`created`, `updated`, or both, comma-separated.",
                                    },
                                },
                            },
                        ],
                    },
                    "example": {
                        "changeType": "created",
                        "notificationUrl": "https://webhook.example.com/notify",
                        "resource": "/communications/callRecords",
                        "expirationDateTime": "2023-09-27T09:25:00Z",
                        "clientState": "secretClientState",
                    },
                },
            },
        })),
        RequestBody::Subscription { create: false } => Some(json!({
            "required": true,
            "description": "The properties to change.",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "expirationDateTime": { "type": "string", "format": "date-time" },
                            "notificationUrl": { "type": "string" },
                        },
                    },
                    "example": { "expirationDateTime": "2023-09-27T09:25:00Z" },
                },
            },
        })),
        RequestBody::Batch => Some(json!({
            "required": true,
            "description": "Up to 20 requests, each with an id unique in the batch (compared case-insensitively).",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["requests"],
                        "properties": {
                            "requests": {
                                "type": "array",
                                "minItems": 1,
                                "maxItems": 20,
                                "items": {
                                    "type": "object",
                                    "required": ["id", "method", "url"],
                                    "properties": {
                                        "id": { "type": "string" },
                                        "method": { "type": "string", "enum": ["GET", "POST", "PUT", "PATCH", "DELETE"] },
                                        "url": { "type": "string", "description": "Relative to the version." },
                                        "headers": { "type": "object", "additionalProperties": { "type": "string" } },
                                        "body": { "description": "JSON, sent with the request's Content-Type." },
                                        "dependsOn": { "type": "array", "items": { "type": "string" } },
                                    },
                                },
                            },
                        },
                    },
                    "example": { "requests": [
                        { "id": "1", "method": "GET", "url": "/communications/callRecords/{id}" },
                        { "id": "2", "method": "GET", "url": "/communications/callRecords?$top=5", "dependsOn": ["1"] },
                    ] },
                },
            },
        })),
        RequestBody::FaultSettings => Some(json!({
            "required": true,
            "description": "The settings, as a JSON object; fields left out take their defaults. A field of the \
                wrong type, out of range or unknown is refused with 400 naming it.",
            "content": {
                "application/json": {
                    "schema": schema_ref(FAULT_SETTINGS),
                    "example": { "errorRate": 0.1, "errorStatuses": [503], "retryAfterSeconds": 5 },
                },
            },
        })),
        RequestBody::Text { description, media } => Some(json!({
            "required": true,
            "description": description,
            "content": { media: { "schema": { "type": "string" } } },
        })),
        RequestBody::Import => Some(json!({
            "required": false,
            "description": "callRecords to import (an empty body imports nothing). The Content-Type is not consulted: the \
                format is recognized from the body.",
            "content": {
                "application/x-ndjson": {
                    "schema": { "type": "string", "description": "One callRecord as a JSON object on each line." },
                },
                "application/json": {
                    "schema": {
                        "anyOf": [
                            { "type": "array", "items": schema_ref(CALL_RECORD) },
                            {
                                "type": "object",
                                "description": "A Graph collection page, as `GET /communications/callRecords` returns it.",
                                "required": ["value"],
                                "properties": { "value": { "type": "array", "items": schema_ref(CALL_RECORD) } },
                            },
                            schema_ref(CALL_RECORD),
                        ],
                    },
                },
                "application/gzip": {
                    "schema": { "type": "string", "format": "binary", "description": "Any of the above, gzip-compressed." },
                },
            },
        })),
    }
}

/// A link from the answer of one operation to another, so that tools can chain requests (schemathesis'
/// stateful tests, Postman flows) with ids that exist.
struct Link {
    from: &'static str,
    to: &'static str,
    /// The target's path parameters, as OpenAPI runtime expressions.
    parameters: &'static [(&'static str, &'static str)],
}

/// The id of the entity a response holds.
const NEW_ENTITY: &[(&str, &str)] = &[("id", "$response.body#/id")];
const FIRST_SESSION: &[(&str, &str)] = &[
    ("id", "$request.path.id"),
    ("sid", "$response.body#/value/0/id"),
];

const LINKS: &[Link] = &[
    Link {
        from: "createCallRecord",
        to: "getCallRecord",
        parameters: NEW_ENTITY,
    },
    Link {
        from: "createCallRecord",
        to: "listSessions",
        parameters: NEW_ENTITY,
    },
    Link {
        from: "createCallRecord",
        to: "listParticipants",
        parameters: NEW_ENTITY,
    },
    Link {
        from: "createCallRecord",
        to: "getOrganizer",
        parameters: NEW_ENTITY,
    },
    Link {
        from: "createCallRecord",
        to: "deleteCallRecord",
        parameters: NEW_ENTITY,
    },
    Link {
        from: "replaceCallRecord",
        to: "getCallRecord",
        parameters: &[("id", "$request.path.id")],
    },
    Link {
        from: "listCallRecords",
        to: "getCallRecord",
        parameters: &[("id", "$response.body#/value/0/id")],
    },
    Link {
        from: "listSessions",
        to: "getSession",
        parameters: FIRST_SESSION,
    },
    Link {
        from: "listSessions",
        to: "listSegments",
        parameters: FIRST_SESSION,
    },
    Link {
        from: "getSession",
        to: "listSegments",
        parameters: &[("id", "$request.path.id"), ("sid", "$request.path.sid")],
    },
    Link {
        from: "listSegments",
        to: "getSegment",
        parameters: &[
            ("id", "$request.path.id"),
            ("sid", "$request.path.sid"),
            ("segid", "$response.body#/value/0/id"),
        ],
    },
    Link {
        from: "createSubscription",
        to: "getSubscription",
        parameters: NEW_ENTITY,
    },
    Link {
        from: "createSubscription",
        to: "updateSubscription",
        parameters: NEW_ENTITY,
    },
    Link {
        from: "createSubscription",
        to: "reauthorizeSubscription",
        parameters: NEW_ENTITY,
    },
    Link {
        from: "createSubscription",
        to: "deleteSubscription",
        parameters: NEW_ENTITY,
    },
    Link {
        from: "listParticipants",
        to: "getParticipant",
        parameters: &[
            ("id", "$request.path.id"),
            ("pid", "$response.body#/value/0/id"),
        ],
    },
];

fn add_links(responses: &mut Map<String, Value>, from: &str, prefix: Option<&str>) {
    let links: Map<String, Value> = LINKS
        .iter()
        .filter(|link| link.from == from)
        .map(|link| {
            let operation_id = match prefix {
                Some(p) => format!("{p}_{}", link.to),
                None => link.to.to_owned(),
            };
            let parameters: Map<String, Value> = link
                .parameters
                .iter()
                .map(|(name, expr)| ((*name).to_owned(), json!(expr)))
                .collect();
            (
                link.to.to_owned(),
                json!({ "operationId": operation_id, "parameters": parameters }),
            )
        })
        .collect();
    if links.is_empty() {
        return;
    }
    for status in ["200", "201"] {
        if let Some(Value::Object(response)) = responses.get_mut(status) {
            response.insert("links".to_owned(), Value::Object(links.clone()));
        }
    }
}

fn header_refs(names: &[&str]) -> Value {
    Value::Object(
        names
            .iter()
            .map(|n| {
                (
                    (*n).to_owned(),
                    json!({ "$ref": format!("#/components/headers/{n}") }),
                )
            })
            .collect(),
    )
}

const ID_HEADERS: &[&str] = &["request-id", "client-request-id"];
const READ_HEADERS: &[&str] = &["request-id", "client-request-id", "Preference-Applied"];
const WRITE_HEADERS: &[&str] = &[
    "request-id",
    "client-request-id",
    "Location",
    "callrec-ingest-outcome",
];

/// A log row of any stored kind, in the beta shape.
fn stored_log_row() -> Value {
    let kinds: Vec<Value> = LogKind::ALL
        .into_iter()
        .filter(|k| k.is_stored())
        .map(|k| schema_ref(&format!("{BETA}{}", k.type_name())))
        .collect();
    json!({ "anyOf": kinds })
}

/// An entity as a single-entity response carries it: with its `@odata.context`.
fn entity_response_schema(type_name: &str) -> Value {
    json!({
        "allOf": [
            schema_ref(type_name),
            {
                "type": "object",
                "properties": {
                    "@odata.context": { "type": "string", "description": "The context URL (`.../$metadata#...`)." },
                },
            },
        ],
    })
}

fn collection_response_name(type_name: &str) -> String {
    format!("{type_name}CollectionResponse")
}

fn json_content(schema: Value) -> Value {
    json!({ "application/json": { "schema": schema } })
}

fn success_responses(reply: Reply) -> Map<String, Value> {
    let mut out = Map::new();
    match reply {
        Reply::Entity(t) => {
            out.insert(
                "200".to_owned(),
                json!({
                    "description": format!("The {}.", simple_name(t)),
                    "headers": header_refs(READ_HEADERS),
                    "content": json_content(entity_response_schema(t)),
                }),
            );
        }
        Reply::Collection(t) => {
            out.insert(
                "200".to_owned(),
                json!({
                    "description": format!("A page of {} items.", simple_name(t)),
                    "headers": header_refs(READ_HEADERS),
                    "content": json_content(schema_ref(&collection_response_name(t))),
                }),
            );
        }
        Reply::Written => {
            for (status, description) in [
                (
                    "201",
                    "The record was new; the body is the whole stored record.",
                ),
                (
                    "200",
                    "The record replaced an older version (`callrec-ingest-outcome: replaced`), or an equal or newer \
                     version was already stored and is returned (`callrec-ingest-outcome: stale`).",
                ),
            ] {
                out.insert(
                    status.to_owned(),
                    json!({
                        "description": description,
                        "headers": header_refs(WRITE_HEADERS),
                        "content": json_content(entity_response_schema(CALL_RECORD)),
                    }),
                );
            }
        }
        Reply::Created(t) => {
            out.insert(
                "201".to_owned(),
                json!({
                    "description": format!("The new {}.", simple_name(t)),
                    "headers": header_refs(&["request-id", "client-request-id", "Location"]),
                    "content": json_content(entity_response_schema(t)),
                }),
            );
        }
        Reply::NoContent(description) => {
            out.insert(
                "204".to_owned(),
                json!({ "description": description, "headers": header_refs(ID_HEADERS) }),
            );
        }
        Reply::Metadata => {
            out.insert(
                "200".to_owned(),
                json!({
                    "description": "The EDMX document.",
                    "headers": header_refs(ID_HEADERS),
                    "content": { "application/xml": { "schema": { "type": "string" } } },
                }),
            );
        }
        Reply::OpenApi => {
            out.insert(
                "200".to_owned(),
                json!({
                    "description": "This document.",
                    "headers": header_refs(ID_HEADERS),
                    "content": json_content(json!({ "type": "object" })),
                }),
            );
        }
        Reply::Health => {
            out.insert(
                "200".to_owned(),
                json!({
                    "description": "The server runs.",
                    "headers": header_refs(ID_HEADERS),
                    "content": { "text/plain": { "schema": { "type": "string", "enum": ["ok"] } } },
                }),
            );
        }
        Reply::LogRow => {
            out.insert(
                "200".to_owned(),
                json!({
                    "description": "The stored row.",
                    "headers": header_refs(ID_HEADERS),
                    "content": json_content(stored_log_row()),
                }),
            );
        }
        Reply::LogWritten => {
            for (status, description) in [
                ("201", "The row was new; the body is the stored row."),
                ("200", "The row replaced the stored row with the same key."),
            ] {
                out.insert(
                    status.to_owned(),
                    json!({
                        "description": description,
                        "headers": header_refs(&[
                            "request-id",
                            "client-request-id",
                            "Location",
                            "callrec-ingest-outcome",
                            "callrec-warnings",
                        ]),
                        "content": json_content(stored_log_row()),
                    }),
                );
            }
        }
        Reply::Batch => {
            out.insert(
                "200".to_owned(),
                json!({
                    "description": "The answer of each request, in any order, with its own status.",
                    "headers": header_refs(ID_HEADERS),
                    "content": json_content(json!({
                        "type": "object",
                        "required": ["responses"],
                        "properties": {
                            "responses": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "required": ["id", "status", "headers"],
                                    "properties": {
                                        "id": { "type": "string" },
                                        "status": { "type": "integer" },
                                        "headers": { "type": "object", "additionalProperties": { "type": "string" } },
                                        "body": { "description": "JSON inlined as JSON; text as a string; other content in base64." },
                                    },
                                },
                            },
                        },
                    })),
                }),
            );
        }
        Reply::FaultSettings => {
            out.insert(
                "200".to_owned(),
                json!({
                    "description": "The settings in force.",
                    "headers": header_refs(ID_HEADERS),
                    "content": json_content(schema_ref(FAULT_SETTINGS)),
                }),
            );
        }
        Reply::Document { description, media } => {
            let content: Map<String, Value> = media
                .iter()
                .map(|m| {
                    let schema = if m.ends_with("json") {
                        json!({ "type": "object" })
                    } else {
                        json!({ "type": "string" })
                    };
                    ((*m).to_owned(), json!({ "schema": schema }))
                })
                .collect();
            out.insert(
                "200".to_owned(),
                json!({
                    "description": description,
                    "headers": header_refs(ID_HEADERS),
                    "content": content,
                }),
            );
        }
        Reply::ImportSummary => {
            out.insert(
                "200".to_owned(),
                json!({
                    "description": "What the import did; rejected records are listed, the others stored.",
                    "headers": header_refs(ID_HEADERS),
                    "content": json_content(schema_ref(IMPORT_SUMMARY)),
                }),
            );
        }
    }
    out
}

/// One error status callrec answers, as a reusable response.
struct ErrorResponse {
    status: u16,
    /// The key under `components/responses`.
    name: &'static str,
    /// The usual `error.code`.
    code: &'static str,
    description: &'static str,
    /// Headers beyond the ids.
    headers: &'static [&'static str],
}

const ERROR_RESPONSES: &[ErrorResponse] = &[
    ErrorResponse {
        status: 400,
        name: "badRequest",
        code: "BadRequest",
        description: "A malformed or unsupported query option, header or path (`BadRequest`), or a body that is not \
            valid (`invalidRequest` for a callRecord, `InvalidRequest` or `ValidationError` for a subscription).",
        headers: &[],
    },
    ErrorResponse {
        status: 401,
        name: "unauthorized",
        code: "InvalidAuthenticationToken",
        description: "With authentication on: the bearer token is missing, malformed, expired or not for this API.",
        headers: &["WWW-Authenticate"],
    },
    ErrorResponse {
        status: 403,
        name: "forbidden",
        code: "accessDenied",
        description: "The token lacks the application permission this request needs, or (creating a subscription) \
            the tenant has as many subscriptions as allowed (`ExtensionError`).",
        headers: &[],
    },
    ErrorResponse {
        status: 404,
        name: "notFound",
        code: "itemNotFound",
        description: "No such record, session, segment, participant or subscription (records not yet available, or \
            past retention, are not found either).",
        headers: &[],
    },
    ErrorResponse {
        status: 405,
        name: "methodNotAllowed",
        code: "MethodNotAllowed",
        description: "The path does not support this method.",
        headers: &[],
    },
    ErrorResponse {
        status: 406,
        name: "notAcceptable",
        code: "NotAcceptable",
        description: "The `Accept` header admits no JSON.",
        headers: &[],
    },
    ErrorResponse {
        status: 409,
        name: "conflict",
        code: "Conflict",
        description: "The record kept changing while it was being replaced; try again.",
        headers: &[],
    },
    ErrorResponse {
        status: 413,
        name: "payloadTooLarge",
        code: "RequestEntityTooLarge",
        description: "The request body is larger than the server accepts.",
        headers: &[],
    },
    ErrorResponse {
        status: 415,
        name: "unsupportedMediaType",
        code: "UnsupportedMediaType",
        description: "The body is not sent as `application/json` (or `+json`).",
        headers: &[],
    },
    ErrorResponse {
        status: 429,
        name: "tooManyRequests",
        code: "TooManyRequests",
        description: "Throttled (Graph's call records limits, when throttling is on) or an injected fault; wait \
            `Retry-After` seconds and retry.",
        headers: &["Retry-After"],
    },
    ErrorResponse {
        status: 503,
        name: "serviceUnavailable",
        code: "serviceNotAvailable",
        description: "An injected fault (fault injection is off unless configured); retry after `Retry-After` seconds.",
        headers: &["Retry-After"],
    },
];

fn error_response_name(status: u16) -> &'static str {
    ERROR_RESPONSES
        .iter()
        .find(|r| r.status == status)
        .map_or("error", |r| r.name)
}

fn error_response(description: &str, code: &str, headers: &[&str]) -> Value {
    let headers: Vec<&str> = ID_HEADERS.iter().chain(headers).copied().collect();
    json!({
        "description": description,
        "headers": header_refs(&headers),
        "content": {
            "application/json": {
                "schema": schema_ref(ODATA_ERROR),
                "example": {
                    "error": {
                        "code": code,
                        "message": description,
                        "innerError": {
                            "date": "2023-09-25T09:25:00Z",
                            "request-id": "0a5c1b3e-6d1f-4c54-8f4e-0f3b6c1d2e7a",
                            "client-request-id": "0a5c1b3e-6d1f-4c54-8f4e-0f3b6c1d2e7a",
                        },
                    },
                },
            },
        },
    })
}

/// The schema of [`FaultSettings`]: the defaults are read from `FaultSettings::default()`, and a test holds
/// the property names to the struct's serialized fields.
fn fault_settings_schema() -> Value {
    let defaults = FaultSettings::default();
    let whole = |description: &str, default: u64| json!({ "type": "integer", "format": "int64", "minimum": 0, "default": default, "description": description });
    json!({
        "title": "faultSettings",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "errorRate": {
                "type": "number",
                "minimum": 0,
                "maximum": 1,
                "default": defaults.error_rate,
                "description": "Probability that a Graph API request is answered with an injected error instead.",
            },
            "errorStatuses": {
                "type": "array",
                "minItems": 1,
                "items": { "type": "integer", "enum": FAULT_STATUSES },
                "default": defaults.error_statuses,
                "description": "The statuses injected errors are drawn from, evenly, each with Graph's error code.",
            },
            "retryAfterSeconds": whole("`Retry-After` of an injected error, in seconds (at least 1 is sent).", defaults.retry_after_seconds),
            "latencyMs": whole("Milliseconds added to every Graph API response.", defaults.latency_ms),
            "latencyJitterMs": whole("A further random delay of up to this many milliseconds.", defaults.latency_jitter_ms),
            "availabilityDelaySeconds": whole(
                "A record stays hidden (not listed, not counted, 404 when read) until its call ended this long ago; \
                 Graph makes records available 30 to 150 minutes after the call.",
                defaults.availability_delay_seconds,
            ),
            "seed": {
                "type": "integer",
                "format": "int64",
                "minimum": 0,
                "nullable": true,
                "default": defaults.seed,
                "description": "Seed of the random draws, for reproducible runs; null draws a new one.",
            },
        },
    })
}

fn components() -> Value {
    let model = schema();
    let mut schemas = Map::new();
    DescribedTypes::of(model, &[SUBSCRIPTION]).write(&mut schemas);
    let row_types: Vec<&str> = LogKind::ALL.iter().map(|k| k.type_name()).collect();
    DescribedTypes::with_prefix(logs::beta_schema(), BETA, &row_types).write(&mut schemas);
    let collections: BTreeSet<&str> = ENDPOINTS
        .iter()
        .filter_map(|e| match e.reply {
            Reply::Collection(t) => Some(t),
            _ => None,
        })
        .collect();
    for t in collections {
        schemas.insert(
            collection_response_name(t),
            json!({
                "title": format!("Collection of {}", simple_name(t)),
                "type": "object",
                "required": ["value"],
                "properties": {
                    "@odata.context": { "type": "string", "description": "The context URL (`.../$metadata#...`)." },
                    "@odata.count": {
                        "type": "integer",
                        "format": "int64",
                        "description": "With `$count=true`: how many items match, in all pages.",
                    },
                    "@odata.nextLink": {
                        "type": "string",
                        "description": "The URL of the next page; absent on the last page. Follow it as it is.",
                    },
                    "value": { "type": "array", "items": schema_ref(t) },
                },
            }),
        );
    }
    schemas.insert(
        ODATA_ERROR.to_owned(),
        json!({
            "title": "ODataError",
            "description": "Graph's error body; every error callrec answers has it.",
            "type": "object",
            "required": ["error"],
            "properties": { "error": schema_ref(MAIN_ERROR) },
        }),
    );
    schemas.insert(
        MAIN_ERROR.to_owned(),
        json!({
            "title": "MainError",
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": { "type": "string", "description": "A stable code to branch on (`BadRequest`, `itemNotFound`, ...)." },
                "message": { "type": "string", "description": "What was wrong, for a developer." },
                "innerError": schema_ref(INNER_ERROR),
            },
        }),
    );
    schemas.insert(
        INNER_ERROR.to_owned(),
        json!({
            "title": "InnerError",
            "type": "object",
            "properties": {
                "date": { "type": "string", "format": "date-time" },
                "request-id": { "type": "string", "description": "The `request-id` of the response." },
                "client-request-id": {
                    "type": "string",
                    "description": "The request's `client-request-id`, or the `request-id` when none was sent.",
                },
            },
        }),
    );
    let count = |description: &str| json!({ "type": "integer", "format": "int64", "minimum": 0, "description": description });
    schemas.insert(
        IMPORT_SUMMARY.to_owned(),
        json!({
            "title": "importSummary",
            "type": "object",
            "required": ["imported", "replaced", "ignoredStale", "rejected", "warnings", "rejections", "bytes"],
            "properties": {
                "imported": count("Records stored for the first time."),
                "replaced": count("Records that replaced an older version."),
                "ignoredStale": count("Records ignored because an equal or newer version was already stored."),
                "rejected": count("Records refused (all of them, also past the ones listed in `rejections`)."),
                "warnings": count("Oddities accepted as they are (unknown properties, an end before its start, ...)."),
                "rejections": {
                    "type": "array",
                    "description": "Why records were refused; the first 1000.",
                    "items": schema_ref(IMPORT_REJECTION),
                },
                "bytes": count("Input bytes read, after decompression."),
            },
        }),
    );
    schemas.insert(
        IMPORT_REJECTION.to_owned(),
        json!({
            "title": "importRejection",
            "type": "object",
            "required": ["line", "path", "message"],
            "properties": {
                "line": count("The 1-based line of NDJSON input, or the 1-based position in an array or a `value` collection."),
                "path": { "type": "string", "description": "The JSON path of the offending value; `$` for the whole record.", "example": "$.sessions[0].id" },
                "message": { "type": "string" },
            },
        }),
    );
    schemas.insert(FAULT_SETTINGS.to_owned(), fault_settings_schema());

    let mut parameters = Map::new();
    for option in ENDPOINTS.iter().flat_map(|e| e.options) {
        parameters
            .entry(option_component(*option))
            .or_insert_with(|| option_parameter(*option));
    }
    parameters.insert(
        "prefer".to_owned(),
        json!({
            "name": "Prefer",
            "in": "header",
            "required": false,
            "description": format!(
                "Comma-separated preferences: `odata.maxpagesize=n` (a smaller page; at most {LIST_PAGE_MAX} \
                 callRecords, {SESSION_PAGE} sessions, {PARTICIPANT_PAGE} participants), `omit-values=nulls` (leave out \
                 null properties), `include-unknown-enum-members` (send enum members added after \
                 `unknownFutureValue` instead of `unknownFutureValue`). The honoured ones are listed in \
                 `Preference-Applied`."
            ),
            "schema": { "type": "string" },
            "examples": {
                "pageSize": { "value": "odata.maxpagesize=10" },
                "omitNulls": { "value": "omit-values=nulls" },
                "unknownEnumMembers": { "value": "include-unknown-enum-members" },
                "all": { "value": "odata.maxpagesize=10, omit-values=nulls, include-unknown-enum-members" },
            },
        }),
    );
    parameters.insert(
        "clientRequestId".to_owned(),
        json!({
            "name": "client-request-id",
            "in": "header",
            "required": false,
            "description": "A client's id for the request (a GUID by Graph's convention); echoed in the response and in error bodies.",
            "schema": { "type": "string" },
            "example": "7f2d1a5e-4b1c-4f3a-9e0d-2c6b8a9f1e3d",
        }),
    );

    let mut responses = Map::new();
    for r in ERROR_RESPONSES {
        responses.insert(
            r.name.to_owned(),
            error_response(r.description, r.code, r.headers),
        );
    }
    responses.insert(
        "error".to_owned(),
        error_response(
            "An internal failure (`generalException`) or another error, such as an injected fault (500, 502, 504).",
            "generalException",
            &[],
        ),
    );

    json!({
        "schemas": schemas,
        "parameters": parameters,
        "responses": responses,
        "headers": {
            "request-id": {
                "description": "The id of this request, also in the error body; quote it when reporting a problem.",
                "schema": { "type": "string", "format": "uuid" },
            },
            "client-request-id": {
                "description": "The request's `client-request-id`, echoed when it was sent.",
                "schema": { "type": "string" },
            },
            "Preference-Applied": {
                "description": "The `Prefer` preferences honoured, e.g. `odata.maxpagesize=10,omit-values=nulls`.",
                "schema": { "type": "string" },
            },
            "Location": {
                "description": "The URL of what was written (absolute for records and subscriptions, a path for log rows).",
                "schema": { "type": "string", "format": "uri-reference" },
            },
            "callrec-ingest-outcome": {
                "description": "What the write did.",
                "schema": { "type": "string", "enum": ["created", "replaced", "stale"] },
            },
            "callrec-warnings": {
                "description": "How many oddities the stored row was accepted with.",
                "schema": { "type": "integer", "minimum": 0 },
            },
            "WWW-Authenticate": {
                "description": "Graph's bearer challenge, with `error=\"invalid_token\"` when a token was presented.",
                "schema": { "type": "string" },
            },
            "Retry-After": {
                "description": "Seconds to wait before retrying.",
                "schema": { "type": "integer", "minimum": 1 },
            },
        },
        "securitySchemes": {
            "bearer": {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "JWT",
                "description": "An app-only Microsoft identity platform token (or, for local use, an HS256 token signed \
                    with the server's secret). Its `tid` names the tenant, its `roles` the application permissions: \
                    `CallRecords.Read.All`, `CallRecord-PstnCalls.Read.All`, `CallRecords.ReadWrite.All` (writes). \
                    Checked only when the server runs with authentication on.",
            },
        },
    })
}
