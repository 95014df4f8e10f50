//! The export tables, a star schema a BI user recognizes: `call_records`, `participants`, `sessions`,
//! `segments` and the fact table `media_streams` (one row per stream, with the caller's and callee's
//! endpoints beside its metrics, as CQD and Call Record Insights lay it out), and one table per kind of
//! log row. This file says which columns each table has and flattens a record's JSON into their rows.
//!
//! The columns of `media_streams` and of the log tables come from the CSDL (every property of
//! `mediaStream`, of each log row type), so a property the schema gains is exported without a change
//! here; the endpoint columns are chosen by hand from `participantEndpoint`, `userAgent`, `networkInfo`
//! and `deviceInfo`.

use std::sync::OnceLock;

use callrec_model::edm::Ticks;
use callrec_model::logs::{LogKind, beta_schema};
use callrec_model::quality::{self, RecordQuality, Verdict};
use callrec_model::schema::{StructuredType, schema};
use callrec_model::scrub::LOG_ROW_PERSONAL;
use serde_json::{Map, Value};

use super::columns::{Cell, Column, Kind, column_name};

/// One table of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Table {
    CallRecords,
    Participants,
    Sessions,
    Segments,
    MediaStreams,
    PstnCalls,
    DirectRoutingCalls,
    SmsLog,
    PstnBlockedUsers,
}

/// The tables cut from call records (the rest hold log rows).
pub const RECORD_TABLES: [Table; 5] = [
    Table::CallRecords,
    Table::Participants,
    Table::Sessions,
    Table::Segments,
    Table::MediaStreams,
];

impl Table {
    pub const ALL: [Table; 9] = [
        Table::CallRecords,
        Table::Participants,
        Table::Sessions,
        Table::Segments,
        Table::MediaStreams,
        Table::PstnCalls,
        Table::DirectRoutingCalls,
        Table::SmsLog,
        Table::PstnBlockedUsers,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Table::CallRecords => "call_records",
            Table::Participants => "participants",
            Table::Sessions => "sessions",
            Table::Segments => "segments",
            Table::MediaStreams => "media_streams",
            Table::PstnCalls => "pstn_calls",
            Table::DirectRoutingCalls => "direct_routing_calls",
            Table::SmsLog => "sms_log",
            Table::PstnBlockedUsers => "pstn_blocked_users",
        }
    }

    pub fn parse(name: &str) -> Option<Table> {
        Table::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The kind of log row the table holds, for a log table.
    pub fn log_kind(self) -> Option<LogKind> {
        match self {
            Table::PstnCalls => Some(LogKind::PstnCall),
            Table::DirectRoutingCalls => Some(LogKind::DirectRouting),
            Table::SmsLog => Some(LogKind::Sms),
            Table::PstnBlockedUsers => Some(LogKind::PstnBlockedUser),
            _ => None,
        }
    }

    fn index(self) -> usize {
        Table::ALL
            .iter()
            .position(|t| *t == self)
            .expect("every table is in ALL")
    }

    /// The table's columns, in the order of its rows' cells.
    pub fn columns(self) -> &'static [Column] {
        static COLUMNS: OnceLock<Vec<Vec<Column>>> = OnceLock::new();
        &COLUMNS.get_or_init(|| Table::ALL.iter().map(|t| t.build_columns()).collect())
            [self.index()]
    }

    fn build_columns(self) -> Vec<Column> {
        use Kind::*;
        let c = Column::new;
        let p = Column::personal;
        let mut cols = match self {
            Table::CallRecords => vec![
                c("record_id", Text),
                c("version", Int),
                c("type", Text),
                c("modalities", Text),
                c("start_date_time", Time),
                c("end_date_time", Time),
                c("last_modified_date_time", Time),
                c("duration_ms", Millis),
                c("organizer_id", Text),
                p("organizer_display_name", Text),
                p("organizer_user_principal_name", Text),
                c("join_web_url", Text),
                c("participant_count", Int),
                c("session_count", Int),
                c("stream_count", Int),
                c("verdict", Text),
                c("audio_verdict", Text),
                c("video_verdict", Text),
                c("setup_failed", Bool),
            ],
            Table::Participants => vec![
                c("record_id", Text),
                c("role", Text),
                c("participant_index", Int),
                c("participant_id", Text),
                c("identity_type", Text),
                c("user_id", Text),
                p("display_name", Text),
                p("user_principal_name", Text),
                c("tenant_id", Text),
                c("administrative_units", Text),
            ],
            Table::Sessions => {
                let mut v = vec![
                    c("record_id", Text),
                    c("session_index", Int),
                    c("session_id", Text),
                    c("start_date_time", Time),
                    c("end_date_time", Time),
                    c("duration_ms", Millis),
                    c("modalities", Text),
                    c("is_test", Bool),
                    c("failure_stage", Text),
                    c("failure_reason", Text),
                    c("verdict", Text),
                    c("setup_failed", Bool),
                    c("device_problems", Text),
                    c("segment_count", Int),
                ];
                v.extend(endpoint_columns());
                v
            }
            Table::Segments => {
                let mut v = vec![
                    c("record_id", Text),
                    c("session_index", Int),
                    c("session_id", Text),
                    c("segment_index", Int),
                    c("segment_id", Text),
                    c("start_date_time", Time),
                    c("end_date_time", Time),
                    c("duration_ms", Millis),
                    c("failure_stage", Text),
                    c("failure_reason", Text),
                    c("media_labels", Text),
                    c("stream_count", Int),
                ];
                v.extend(endpoint_columns());
                v
            }
            Table::MediaStreams => {
                let mut v = vec![
                    c("record_id", Text),
                    c("session_index", Int),
                    c("session_id", Text),
                    c("segment_index", Int),
                    c("segment_id", Text),
                    c("media_index", Int),
                    c("stream_index", Int),
                    c("label", Text),
                    c("media_type", Text),
                    c("verdict", Text),
                    c("poor_reason", Text),
                    c("poor_reason_value", Float),
                    c("poor_reason_threshold", Float),
                ];
                v.extend(stream_properties().iter().map(|(_, col)| col.clone()));
                v.extend(endpoint_columns());
                v
            }
            log => {
                let kind = log.log_kind().expect("the other tables hold log rows");
                log_properties(kind)
                    .iter()
                    .map(|(_, col)| col.clone())
                    .collect()
            }
        };
        if self.log_kind().is_none() {
            cols.shrink_to_fit();
        }
        cols
    }
}

/// The schema's `mediaStream`, whose every property is a column of `media_streams`.
pub fn media_stream_type() -> &'static StructuredType {
    schema()
        .structured_type("microsoft.graph.callRecords.mediaStream")
        .expect("the CSDL defines mediaStream")
}

/// Each scalar property of `mediaStream` with its column.
fn stream_properties() -> &'static [(String, Column)] {
    static PROPS: OnceLock<Vec<(String, Column)>> = OnceLock::new();
    PROPS.get_or_init(|| {
        media_stream_type()
            .all_properties()
            .iter()
            .filter_map(|p| {
                let kind = Kind::of_property(p)?;
                Some((
                    p.name.clone(),
                    Column::new(column_name(&p.name, kind), kind),
                ))
            })
            .collect()
    })
}

/// Each scalar property of a log row type (the beta type, which holds the v1.0 one) with its column.
fn log_properties(kind: LogKind) -> &'static [(String, Column)] {
    static PROPS: OnceLock<Vec<Vec<(String, Column)>>> = OnceLock::new();
    let all = PROPS.get_or_init(|| {
        LogKind::ALL
            .iter()
            .map(|k| {
                let Some(t) = beta_schema().structured_type(k.type_name()) else {
                    return Vec::new();
                };
                t.all_properties()
                    .iter()
                    .filter_map(|p| {
                        let col_kind = Kind::of_property(p)?;
                        let name = column_name(&p.name, col_kind);
                        let column = if LOG_ROW_PERSONAL.contains(&p.name.as_str()) {
                            Column::personal(name, col_kind)
                        } else {
                            Column::new(name, col_kind)
                        };
                        Some((p.name.clone(), column))
                    })
                    .collect()
            })
            .collect()
    });
    let i = LogKind::ALL
        .iter()
        .position(|k| *k == kind)
        .expect("every kind is in ALL");
    &all[i]
}

/// The columns of one side of a call, `caller_` or `callee_` before each.
const ENDPOINT: [(&str, Kind, bool); 22] = [
    ("user_id", Kind::Text, false),
    ("display_name", Kind::Text, true),
    ("user_principal_name", Kind::Text, true),
    ("platform", Kind::Text, false),
    ("product_family", Kind::Text, false),
    ("client_version", Kind::Text, false),
    ("service_role", Kind::Text, false),
    ("capture_device_name", Kind::Text, false),
    ("render_device_name", Kind::Text, false),
    ("connection_type", Kind::Text, false),
    ("vpn", Kind::Bool, false),
    ("subnet", Kind::Text, false),
    ("ip_address", Kind::Text, true),
    ("reflexive_ip_address", Kind::Text, true),
    ("relay_ip_address", Kind::Text, true),
    ("relay_port", Kind::Int, false),
    ("network_transport_protocol", Kind::Text, false),
    ("wifi_band", Kind::Text, false),
    ("wifi_radio_type", Kind::Text, false),
    ("wifi_signal_strength", Kind::Int, false),
    ("wifi_channel", Kind::Int, false),
    ("link_speed", Kind::Int, false),
];

fn endpoint_columns() -> Vec<Column> {
    ["caller", "callee"]
        .iter()
        .flat_map(|side| {
            ENDPOINT.iter().map(move |(name, kind, personal)| Column {
                name: format!("{side}_{name}"),
                kind: *kind,
                personal: *personal,
            })
        })
        .collect()
}

/// A row of a table, with the UTC day it belongs to (its call's start, for Parquet's `call_date=`).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub day: Ticks,
    pub cells: Vec<Cell>,
}

/// Rows cut from records or log rows, by table.
#[derive(Debug, Default)]
pub struct Rows {
    by_table: [Vec<Row>; Table::ALL.len()],
}

impl Rows {
    pub fn of(&self, table: Table) -> &[Row] {
        &self.by_table[table.index()]
    }

    pub fn take(&mut self, table: Table) -> Vec<Row> {
        std::mem::take(&mut self.by_table[table.index()])
    }

    fn push(&mut self, table: Table, day: Ticks, cells: Vec<Cell>) {
        debug_assert_eq!(cells.len(), table.columns().len(), "{}", table.name());
        self.by_table[table.index()].push(Row { day, cells });
    }
}

/// Midnight UTC of the day of an instant.
pub fn day_of(t: Ticks) -> Ticks {
    const DAY: i64 = 86_400 * callrec_model::edm::TICKS_PER_SECOND;
    Ticks(t.0.div_euclid(DAY) * DAY)
}

fn obj(v: Option<&Value>) -> Option<&Map<String, Value>> {
    v.and_then(Value::as_object)
}

fn objects(v: Option<&Value>) -> impl Iterator<Item = &Map<String, Value>> {
    v.and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
}

fn str_of<'a>(m: Option<&'a Map<String, Value>>, key: &str) -> Option<&'a str> {
    m.and_then(|m| m.get(key)).and_then(Value::as_str)
}

fn time(m: &Map<String, Value>, key: &str) -> Cell {
    Kind::Time.read(m.get(key))
}

fn span_ms(m: &Map<String, Value>) -> Cell {
    match (time(m, "startDateTime"), time(m, "endDateTime")) {
        (Cell::Time(s), Cell::Time(e)) => Cell::Float((e.0 - s.0) as f64 / 10_000.0),
        _ => Cell::Null,
    }
}

fn joined(v: Option<&Value>) -> Cell {
    let items: Vec<&str> = v
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if items.is_empty() {
        Cell::Null
    } else {
        Cell::Text(items.join(","))
    }
}

fn count(n: usize) -> Cell {
    Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// Who an identity set names: the `user` member first, then any other. Its member name, id, display
/// name, principal name and tenant.
struct Identity<'a> {
    member: Option<&'a str>,
    id: Option<&'a str>,
    name: Option<&'a str>,
    upn: Option<&'a str>,
    tenant: Option<&'a str>,
}

fn identity(set: Option<&Value>) -> Identity<'_> {
    let set = obj(set);
    let first = set.and_then(|set| {
        set.get_key_value("user")
            .filter(|(_, v)| v.is_object())
            .or_else(|| set.iter().find(|(k, v)| !k.contains('@') && v.is_object()))
    });
    let member = first.map(|(k, _)| k.as_str());
    let m = first.and_then(|(_, v)| v.as_object());
    Identity {
        member,
        id: str_of(m, "id"),
        name: str_of(m, "displayName"),
        upn: str_of(m, "userPrincipalName"),
        tenant: str_of(m, "tenantId"),
    }
}

/// The cells of one side of a call: its endpoint, with the network and device of a media entry.
fn push_endpoint(
    cells: &mut Vec<Cell>,
    endpoint: Option<&Map<String, Value>>,
    medium: Option<&Map<String, Value>>,
    side: &str,
) {
    let mut who = identity(endpoint.and_then(|e| e.get("identity")));
    if who.id.is_none() {
        let associated = endpoint.and_then(|e| obj(e.get("associatedIdentity")));
        who.id = str_of(associated, "id");
        who.name = who.name.or(str_of(associated, "displayName"));
        who.upn = who.upn.or(str_of(associated, "userPrincipalName"));
    }
    let agent = endpoint.and_then(|e| obj(e.get("userAgent")));
    let network = medium.and_then(|m| obj(m.get(&format!("{side}Network"))));
    let device = medium.and_then(|m| obj(m.get(&format!("{side}Device"))));
    let net = |key: &str, kind: Kind| kind.read(network.and_then(|n| n.get(key)));
    let connection = str_of(network, "connectionType");
    cells.extend([
        Cell::text(who.id),
        Cell::text(who.name),
        Cell::text(who.upn),
        Cell::text(str_of(agent, "platform")),
        Cell::text(str_of(agent, "productFamily")),
        Cell::text(str_of(agent, "applicationVersion")),
        Cell::text(str_of(agent, "role")),
        Cell::text(str_of(device, "captureDeviceName")),
        Cell::text(str_of(device, "renderDeviceName")),
        Cell::text(connection),
        connection.map_or(Cell::Null, |c| Cell::Bool(c == "tunnel")),
        net("subnet", Kind::Text),
        net("ipAddress", Kind::Text),
        net("reflexiveIPAddress", Kind::Text),
        net("relayIPAddress", Kind::Text),
        net("relayPort", Kind::Int),
        net("networkTransportProtocol", Kind::Text),
        net("wifiBand", Kind::Text),
        net("wifiRadioType", Kind::Text),
        net("wifiSignalStrength", Kind::Int),
        net("wifiChannel", Kind::Int),
        net("linkSpeed", Kind::Int),
    ]);
}

fn push_both_sides(
    cells: &mut Vec<Cell>,
    holder: &Map<String, Value>,
    fallback: Option<&Map<String, Value>>,
    medium: Option<&Map<String, Value>>,
) {
    for side in ["caller", "callee"] {
        let endpoint = obj(holder.get(side)).or_else(|| fallback.and_then(|f| obj(f.get(side))));
        push_endpoint(cells, endpoint, medium, side);
    }
}

fn failure(m: &Map<String, Value>) -> [Cell; 2] {
    let f = obj(m.get("failureInfo"));
    [
        Cell::text(str_of(f, "stage")),
        Cell::text(str_of(f, "reason")),
    ]
}

fn verdict(v: Verdict) -> Cell {
    Cell::Text(v.as_str().to_owned())
}

/// The first media entry of a segment, whose networks and devices stand for the segment's endpoints.
fn first_medium(segment: Option<&Map<String, Value>>) -> Option<&Map<String, Value>> {
    objects(segment.and_then(|s| s.get("media"))).next()
}

/// Cuts a whole record into the rows of the wanted tables. `q` is the record's quality, as
/// [`quality::record_quality`] reads it (its sessions and streams come in the order walked here).
pub fn flatten_record(
    record: &Map<String, Value>,
    q: &RecordQuality,
    wanted: &[Table],
    out: &mut Rows,
) {
    let want = |t: Table| wanted.contains(&t);
    let record_id = Cell::text(str_of(Some(record), "id"));
    let start = Kind::Time.read(record.get("startDateTime"));
    let day = match start {
        Cell::Time(t) => day_of(t),
        _ => Ticks(0),
    };
    let organizer = obj(record.get("organizer_v2"));
    let participants: Vec<&Map<String, Value>> = objects(record.get("participants_v2")).collect();

    if want(Table::CallRecords) {
        let who = identity(organizer.and_then(|o| o.get("identity")));
        let fallback = identity(record.get("organizer"));
        let sessions = objects(record.get("sessions")).count();
        out.push(
            Table::CallRecords,
            day,
            vec![
                record_id.clone(),
                Kind::Int.read(record.get("version")),
                Cell::text(str_of(Some(record), "type")),
                joined(record.get("modalities")),
                start.clone(),
                time(record, "endDateTime"),
                time(record, "lastModifiedDateTime"),
                span_ms(record),
                Cell::text(str_of(organizer, "id").or(who.id).or(fallback.id)),
                Cell::text(who.name.or(fallback.name)),
                Cell::text(who.upn.or(fallback.upn)),
                Cell::text(str_of(Some(record), "joinWebUrl")),
                count(participants.len()),
                count(sessions),
                count(q.streams.len()),
                verdict(q.verdict()),
                verdict(q.verdict_of(quality::MediaType::Audio)),
                verdict(q.verdict_of(quality::MediaType::Video)),
                Cell::Bool(q.setup_failed()),
            ],
        );
    }

    if want(Table::Participants) {
        let entries = organizer.map(|o| ("organizer", 0, o)).into_iter().chain(
            participants
                .iter()
                .enumerate()
                .map(|(i, p)| ("participant", i, *p)),
        );
        for (role, index, p) in entries {
            let who = identity(p.get("identity"));
            let units: Vec<&str> = objects(p.get("administrativeUnitInfos"))
                .filter_map(|u| u.get("id").and_then(Value::as_str))
                .collect();
            out.push(
                Table::Participants,
                day,
                vec![
                    record_id.clone(),
                    Cell::Text(role.to_owned()),
                    count(index),
                    Cell::text(str_of(Some(p), "id")),
                    Cell::text(who.member),
                    Cell::text(who.id),
                    Cell::text(who.name),
                    Cell::text(who.upn),
                    Cell::text(who.tenant),
                    if units.is_empty() {
                        Cell::Null
                    } else {
                        Cell::Text(units.join(","))
                    },
                ],
            );
        }
    }

    if !(want(Table::Sessions) || want(Table::Segments) || want(Table::MediaStreams)) {
        return;
    }
    let mut streams = q.streams.iter();
    for (si, session) in objects(record.get("sessions")).enumerate() {
        let session_id = Cell::text(str_of(Some(session), "id"));
        let segments: Vec<&Map<String, Value>> = objects(session.get("segments")).collect();
        if want(Table::Sessions) {
            let sq = q.sessions.get(si);
            let problems: Vec<&str> = sq
                .map(|s| s.device_problems.iter().map(|p| p.property()).collect())
                .unwrap_or_default();
            let mut cells = vec![
                record_id.clone(),
                count(si),
                session_id.clone(),
                time(session, "startDateTime"),
                time(session, "endDateTime"),
                span_ms(session),
                joined(session.get("modalities")),
                Kind::Bool.read(session.get("isTest")),
            ];
            cells.extend(failure(session));
            cells.extend([
                sq.map_or(Cell::Null, |s| verdict(s.verdict)),
                sq.map_or(Cell::Null, |s| Cell::Bool(s.setup_failed)),
                if problems.is_empty() {
                    Cell::Null
                } else {
                    Cell::Text(problems.join(","))
                },
                count(segments.len()),
            ]);
            let first = segments.first().copied();
            push_both_sides(
                &mut cells,
                first.unwrap_or(session),
                Some(session),
                first_medium(first),
            );
            out.push(Table::Sessions, day, cells);
        }
        for (gi, segment) in segments.iter().enumerate() {
            let segment_id = Cell::text(str_of(Some(segment), "id"));
            let media: Vec<&Map<String, Value>> = objects(segment.get("media")).collect();
            if want(Table::Segments) {
                let labels: Vec<&str> = media
                    .iter()
                    .filter_map(|m| m.get("label").and_then(Value::as_str))
                    .collect();
                let stream_count: usize = media
                    .iter()
                    .map(|m| objects(m.get("streams")).count())
                    .sum();
                let mut cells = vec![
                    record_id.clone(),
                    count(si),
                    session_id.clone(),
                    count(gi),
                    segment_id.clone(),
                    time(segment, "startDateTime"),
                    time(segment, "endDateTime"),
                    span_ms(segment),
                ];
                cells.extend(failure(segment));
                cells.extend([
                    if labels.is_empty() {
                        Cell::Null
                    } else {
                        Cell::Text(labels.join(","))
                    },
                    count(stream_count),
                ]);
                push_both_sides(&mut cells, segment, Some(session), media.first().copied());
                out.push(Table::Segments, day, cells);
            }
            for (mi, medium) in media.iter().enumerate() {
                for (ki, stream) in objects(medium.get("streams")).enumerate() {
                    let sq = streams.next();
                    if !want(Table::MediaStreams) {
                        continue;
                    }
                    let reason = sq.and_then(|s| s.verdict.reason);
                    let mut cells = vec![
                        record_id.clone(),
                        count(si),
                        session_id.clone(),
                        count(gi),
                        segment_id.clone(),
                        count(mi),
                        count(ki),
                        Cell::text(str_of(Some(medium), "label")),
                        sq.map_or(Cell::Null, |s| Cell::Text(s.media.as_str().to_owned())),
                        sq.map_or(Cell::Null, |s| verdict(s.verdict.verdict)),
                        reason.map_or(Cell::Null, |r| Cell::Text(r.metric.property().to_owned())),
                        reason.map_or(Cell::Null, |r| Cell::Float(r.value)),
                        reason.map_or(Cell::Null, |r| Cell::Float(r.threshold)),
                    ];
                    cells.extend(
                        stream_properties()
                            .iter()
                            .map(|(property, col)| col.kind.read(stream.get(property))),
                    );
                    push_both_sides(&mut cells, segment, Some(session), Some(medium));
                    out.push(Table::MediaStreams, day, cells);
                }
            }
        }
    }
}

/// Cuts a stored log row (its JSON body) into a row of its table.
pub fn flatten_log_row(table: Table, kind: LogKind, body: &Map<String, Value>, out: &mut Rows) {
    let day = match Kind::Time.read(body.get(kind.time_property())) {
        Cell::Time(t) => day_of(t),
        _ => Ticks(0),
    };
    let cells = log_properties(kind)
        .iter()
        .map(|(property, col)| col.kind.read(body.get(property)))
        .collect();
    out.push(table, day, cells);
}
