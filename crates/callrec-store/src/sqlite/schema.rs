//! The SQLite schema of the call record store and the migrations that build it.
//!
//! The schema version is SQLite's `PRAGMA user_version`: the number of [`MIGRATIONS`] applied. A released
//! migration is never edited; a change to the schema is a new entry at the end of the list, so every file
//! ever written can be brought up to date at open.
//!
//! Layout, and why:
//! - `tenants` maps tenant names to small integers, so the four record indexes do not repeat a long name.
//! - `records` holds each record's head and its index keys (times as 100-ns ticks) and the counts a
//!   reader needs without touching the children; `(tenant, <time>, id)` indexes serve ordered keyset paging.
//! - `sessions` and `participants` are keyed by one integer, `rid * 2^20 + position`, so the children of a
//!   record are one contiguous rowid range: a slice is a range scan, a replacement a range delete, and no
//!   second index is needed.
//! - `participant_ids` gives each participant id of a tenant a small integer: the same people take part in
//!   many calls, and their ids (GUIDs) would otherwise be repeated in every participant row and index entry.
//! - `record_participants` answers `participants_v2/any(p: p/id eq ...)` through its primary key.
//! - `modality_mask` holds the modalities of the CSDL enum as bits; names outside it go to `other_modalities`
//!   as `|name|name|`.
//! - `dictionaries` holds the zstd dictionaries the blobs name in their first byte.
//! - `totals` keeps the record and session counts for metrics, so they cost no table scan.
//! - `scrubbed` marks records and log rows whose personal data is gone; partial indexes on the unscrubbed
//!   ones let scrubbing find its work without reading what it already did.

use rusqlite::Connection;

use crate::StoreError;

use super::backend;

/// Positions a record's children can take: `key = rid << CHILD_BITS | position`.
pub(super) const CHILD_BITS: u32 = 20;
pub(super) const MAX_CHILDREN: usize = 1 << CHILD_BITS;

/// The schema migrations, in order. Append only.
pub(super) const MIGRATIONS: &[&str] = &[
    r#"
CREATE TABLE tenants (
    tid INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);
CREATE TABLE records (
    rid INTEGER PRIMARY KEY,
    tenant INTEGER NOT NULL,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    start_time INTEGER NOT NULL,
    end_time INTEGER NOT NULL,
    last_modified INTEGER NOT NULL,
    call_type TEXT NOT NULL,
    modality_mask INTEGER NOT NULL,
    other_modalities TEXT,
    session_count INTEGER NOT NULL,
    participant_count INTEGER NOT NULL,
    head BLOB NOT NULL,
    organizer BLOB
);
CREATE UNIQUE INDEX records_by_id ON records (tenant, id);
CREATE INDEX records_by_start ON records (tenant, start_time, id);
CREATE INDEX records_by_end ON records (tenant, end_time, id);
CREATE INDEX records_by_last_modified ON records (tenant, last_modified, id);
CREATE TABLE participant_ids (
    pid INTEGER PRIMARY KEY,
    tenant INTEGER NOT NULL,
    value TEXT NOT NULL,
    UNIQUE (tenant, value)
);
CREATE TABLE record_participants (
    pid INTEGER NOT NULL,
    rid INTEGER NOT NULL,
    PRIMARY KEY (pid, rid)
) WITHOUT ROWID;
CREATE INDEX record_participants_by_record ON record_participants (rid);
CREATE TABLE sessions (
    key INTEGER PRIMARY KEY,
    session_id TEXT NOT NULL,
    head BLOB NOT NULL,
    segments BLOB NOT NULL
);
CREATE TABLE participants (
    key INTEGER PRIMARY KEY,
    pid INTEGER NOT NULL,
    body BLOB NOT NULL
);
CREATE TABLE dictionaries (
    id INTEGER PRIMARY KEY,
    bytes BLOB NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE totals (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    records INTEGER NOT NULL,
    sessions INTEGER NOT NULL
);
INSERT INTO totals (id, records, sessions) VALUES (1, 0, 0);
"#,
    // Change notifications (see `subscriptions.rs`): subscriptions, the participant ids a filtered one
    // watches, the records each has already announced as created, and the outbox of notifications owed,
    // written in the transaction of the record that owes them.
    r#"
CREATE TABLE subscriptions (
    skey INTEGER PRIMARY KEY,
    tenant INTEGER NOT NULL,
    id TEXT NOT NULL UNIQUE,
    resource TEXT NOT NULL,
    filtered INTEGER NOT NULL,
    change_type TEXT NOT NULL,
    notification_url TEXT NOT NULL,
    lifecycle_url TEXT,
    client_state TEXT,
    expiration INTEGER NOT NULL,
    application_id TEXT,
    creator_id TEXT,
    tls_version TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    reauthorization_for INTEGER
);
CREATE INDEX subscriptions_by_tenant ON subscriptions (tenant, expiration);
CREATE TABLE subscription_participants (
    skey INTEGER NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (skey, value)
) WITHOUT ROWID;
CREATE TABLE subscription_created (
    skey INTEGER NOT NULL,
    rid INTEGER NOT NULL,
    PRIMARY KEY (skey, rid)
) WITHOUT ROWID;
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    skey INTEGER NOT NULL,
    event TEXT NOT NULL,
    record_id TEXT,
    queued_at INTEGER NOT NULL,
    due_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    leased_until INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX outbox_by_due ON outbox (due_at);
CREATE INDEX outbox_by_subscription ON outbox (skey);
CREATE TABLE outbox_totals (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    dropped INTEGER NOT NULL
);
INSERT INTO outbox_totals (id, dropped) VALUES (1, 0);
"#,
    // Log rows (see `logs.rs`): PSTN, direct-routing, SMS and blocked-user rows of every tenant, and the
    // dial-out facts of the PSTN rows the meeting dial-out report sums.
    r#"
CREATE TABLE log_rows (
    seq INTEGER PRIMARY KEY,
    tenant INTEGER NOT NULL,
    kind INTEGER NOT NULL,
    row_key TEXT NOT NULL,
    time INTEGER NOT NULL,
    user_principal_name TEXT,
    user_id TEXT,
    call_type TEXT,
    caller_number TEXT,
    callee_number TEXT,
    successful_call INTEGER,
    final_sip_code INTEGER,
    correlation_id TEXT,
    body BLOB NOT NULL
);
CREATE UNIQUE INDEX log_rows_by_key ON log_rows (tenant, kind, row_key);
CREATE INDEX log_rows_by_time ON log_rows (tenant, kind, time);
CREATE INDEX log_rows_by_correlation ON log_rows (tenant, correlation_id) WHERE correlation_id IS NOT NULL;
CREATE TABLE log_dialouts (
    seq INTEGER PRIMARY KEY,
    tenant INTEGER NOT NULL,
    time INTEGER NOT NULL,
    user_id TEXT,
    user_principal_name TEXT,
    user_display_name TEXT,
    usage_location TEXT,
    destination_context TEXT,
    currency TEXT,
    charge_nanos INTEGER NOT NULL,
    seconds INTEGER NOT NULL
);
CREATE INDEX log_dialouts_by_time ON log_dialouts (tenant, time);
"#,
    // Call quality (see `quality.rs`): coded dimension values, per-record verdicts for `$filter`, one row per
    // stream in time order, stream totals, the per-bucket rollups of the days built so far, and the
    // uploaded subnet-to-building map.
    r#"
CREATE TABLE quality_names (
    id INTEGER PRIMARY KEY,
    kind INTEGER NOT NULL,
    value TEXT NOT NULL,
    label TEXT,
    UNIQUE (kind, value)
);
CREATE TABLE quality_records (
    rid INTEGER PRIMARY KEY,
    verdict INTEGER NOT NULL,
    audio INTEGER NOT NULL,
    video INTEGER NOT NULL,
    vbss INTEGER NOT NULL,
    other INTEGER NOT NULL,
    setup_failed INTEGER NOT NULL,
    device_problems INTEGER NOT NULL
);
CREATE TABLE quality_streams (
    tenant INTEGER NOT NULL,
    start INTEGER NOT NULL,
    rid INTEGER NOT NULL,
    n INTEGER NOT NULL,
    media INTEGER NOT NULL,
    direction INTEGER NOT NULL,
    verdict INTEGER NOT NULL,
    reason INTEGER NOT NULL,
    d_subnet INTEGER NOT NULL,
    d_connection INTEGER NOT NULL,
    d_platform INTEGER NOT NULL,
    d_client INTEGER NOT NULL,
    d_user INTEGER NOT NULL,
    d_device INTEGER NOT NULL,
    m0 INTEGER, m1 INTEGER, m2 INTEGER, m3 INTEGER, m4 INTEGER, m5 INTEGER, m6 INTEGER, m7 INTEGER,
    x0 INTEGER, x1 INTEGER, x2 INTEGER, x3 INTEGER,
    PRIMARY KEY (tenant, start, rid, n)
) WITHOUT ROWID;
CREATE INDEX quality_streams_by_record ON quality_streams (rid);
CREATE TABLE quality_totals (
    verdict INTEGER PRIMARY KEY,
    streams INTEGER NOT NULL
);
INSERT INTO quality_totals (verdict, streams) VALUES (0, 0), (1, 0), (2, 0);
CREATE TABLE quality_days (
    tenant INTEGER NOT NULL,
    day INTEGER NOT NULL,
    PRIMARY KEY (tenant, day)
) WITHOUT ROWID;
CREATE TABLE quality_rollup (
    tenant INTEGER NOT NULL,
    dim INTEGER NOT NULL,
    bucket INTEGER NOT NULL,
    value INTEGER NOT NULL,
    media INTEGER NOT NULL,
    good INTEGER NOT NULL, poor INTEGER NOT NULL, unclassified INTEGER NOT NULL,
    r0 INTEGER NOT NULL, r1 INTEGER NOT NULL, r2 INTEGER NOT NULL, r3 INTEGER NOT NULL,
    r4 INTEGER NOT NULL, r5 INTEGER NOT NULL, r6 INTEGER NOT NULL, r7 INTEGER NOT NULL,
    s0 INTEGER NOT NULL, s1 INTEGER NOT NULL, s2 INTEGER NOT NULL, s3 INTEGER NOT NULL,
    s4 INTEGER NOT NULL, s5 INTEGER NOT NULL, s6 INTEGER NOT NULL, s7 INTEGER NOT NULL,
    c0 INTEGER NOT NULL, c1 INTEGER NOT NULL, c2 INTEGER NOT NULL, c3 INTEGER NOT NULL,
    c4 INTEGER NOT NULL, c5 INTEGER NOT NULL, c6 INTEGER NOT NULL, c7 INTEGER NOT NULL,
    mx0 INTEGER, mx1 INTEGER, mx2 INTEGER, mx3 INTEGER, mx4 INTEGER, mx5 INTEGER, mx6 INTEGER, mx7 INTEGER,
    xs0 INTEGER NOT NULL, xs1 INTEGER NOT NULL, xs2 INTEGER NOT NULL, xs3 INTEGER NOT NULL,
    xc0 INTEGER NOT NULL, xc1 INTEGER NOT NULL, xc2 INTEGER NOT NULL, xc3 INTEGER NOT NULL,
    PRIMARY KEY (tenant, dim, bucket, value, media)
) WITHOUT ROWID;
CREATE TABLE quality_buildings (
    tenant INTEGER NOT NULL,
    position INTEGER NOT NULL,
    network_ip TEXT NOT NULL,
    network_range INTEGER NOT NULL,
    building_name TEXT NOT NULL,
    attributes TEXT NOT NULL,
    PRIMARY KEY (tenant, position)
) WITHOUT ROWID;
"#,
    // Scrubbing (see `callrec_model::scrub`): which records and log rows have lost their personal data,
    // with partial indexes that hold only the ones still to scrub, by the instant scrubbing goes by; and
    // when each user name's label was last given, so that labels only scrubbed records carried can be
    // forgotten. Labels already stored count as given when the name's last stream started.
    r#"
ALTER TABLE records ADD COLUMN scrubbed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX records_to_scrub ON records (end_time) WHERE scrubbed = 0;
ALTER TABLE log_rows ADD COLUMN scrubbed INTEGER NOT NULL DEFAULT 0;
CREATE INDEX log_rows_to_scrub ON log_rows (time) WHERE scrubbed = 0;
ALTER TABLE quality_names ADD COLUMN label_seen INTEGER;
UPDATE quality_names SET label_seen = last.start
FROM (SELECT d_user, max(start) AS start FROM quality_streams GROUP BY d_user) AS last
WHERE quality_names.id = last.d_user AND quality_names.kind = 5;
"#,
    // App registrations (see `crate::apps`), per tenant, and the keys the server keeps with its data.
    r#"
CREATE TABLE apps (
    tenant TEXT NOT NULL,
    client_id TEXT NOT NULL,
    name TEXT NOT NULL,
    roles TEXT NOT NULL,
    secret_hash TEXT,
    certificates TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (tenant, client_id)
) WITHOUT ROWID;
CREATE TABLE server_keys (
    name TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;
"#,
];

/// Brings the file's schema up to date, one migration per transaction. The version is read inside the
/// write transaction, so two processes opening a new file at once do not apply a migration twice.
pub(super) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    loop {
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(backend)?;
        let applied: i64 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(backend)?;
        let applied = usize::try_from(applied)
            .map_err(|_| StoreError::Open(format!("bad schema version {applied}")))?;
        if applied > MIGRATIONS.len() {
            return Err(StoreError::Open(format!(
                "the database has schema version {applied}, newer than this program's {}",
                MIGRATIONS.len()
            )));
        }
        let Some(sql) = MIGRATIONS.get(applied) else {
            return Ok(());
        };
        tx.execute_batch(sql)
            .map_err(|e| StoreError::Open(format!("migration {}: {e}", applied + 1)))?;
        tx.pragma_update(None, "user_version", (applied + 1) as i64)
            .map_err(backend)?;
        tx.commit().map_err(backend)?;
        tracing::info!(version = applied + 1, "applied store migration");
    }
}
