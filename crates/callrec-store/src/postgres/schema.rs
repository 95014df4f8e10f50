//! The PostgreSQL schema of the store and the versioned migrations that build it.
//!
//! The applied version is the highest row of `callrec_migrations`. A released migration is never edited;
//! a change is a new entry at the end of [`MIGRATIONS`]. Every node migrates at open (and `callrec
//! migrate` does so on purpose), under an advisory lock, so nodes starting together apply each migration
//! once.
//!
//! Layout, and why:
//! - **Every tenant-owned table carries `tenant` and its primary key starts with it.** On Citus the tables
//!   are distributed by `tenant` and co-located, so a tenant's rows of every table live on one shard and
//!   every per-tenant statement (all of them but the outbox claim) is routed to one node
//!   (see `docs/scaling.md`). `dictionaries` and `callrec_migrations` are shared by all tenants: on Citus
//!   they are reference tables.
//! - Keys and ids use the `"C"` collation: byte order, as the embedded store sorts them, and cheaper
//!   comparisons than a linguistic collation.
//! - `records` holds each record's head and its index keys (times as 100-ns ticks); the
//!   `(tenant, <time>, id)` indexes serve ordered keyset paging without a sort on any page.
//! - `sessions` and `participants` are keyed by `(tenant, record_id, position)`: a slice is a range scan of
//!   the primary key, a replacement a range delete.
//! - `record_participants` answers `participants_v2/any(p: p/id eq ...)` through its primary key.
//! - `modalities` is `|audio|video|`: a filter tests it with `strpos`, whatever the enum grows to.
//! - The blobs are zstd frames already, so their columns are stored `EXTERNAL`: PostgreSQL does not try
//!   (and fail) to compress them again.
//! - `record_totals` keeps counts in a few slots per tenant, so concurrent writers rarely wait on the same
//!   counter row and `stats` costs no table scan.
//! - `scrubbed` marks records and log rows whose personal data is gone; partial indexes on the unscrubbed
//!   ones (`records_to_scrub`, `log_rows_to_scrub`) let scrubbing find its work across tenants without
//!   reading what it already did.

use deadpool_postgres::Client;

use crate::StoreError;

use super::backend;

/// The schema migrations, in order. Append only.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: call records.
    r#"
CREATE TABLE dictionaries (
    id smallint PRIMARY KEY,
    bytes bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE records (
    tenant text COLLATE "C" NOT NULL,
    id text COLLATE "C" NOT NULL,
    version bigint NOT NULL,
    start_time bigint NOT NULL,
    end_time bigint NOT NULL,
    last_modified bigint NOT NULL,
    call_type text NOT NULL,
    modalities text NOT NULL,
    session_count integer NOT NULL,
    participant_count integer NOT NULL,
    head bytea NOT NULL,
    organizer bytea,
    PRIMARY KEY (tenant, id)
);
ALTER TABLE records ALTER COLUMN head SET STORAGE EXTERNAL, ALTER COLUMN organizer SET STORAGE EXTERNAL;
CREATE INDEX records_by_start ON records (tenant, start_time, id);
CREATE INDEX records_by_end ON records (tenant, end_time, id);
CREATE INDEX records_by_last_modified ON records (tenant, last_modified, id);
CREATE TABLE sessions (
    tenant text COLLATE "C" NOT NULL,
    record_id text COLLATE "C" NOT NULL,
    position integer NOT NULL,
    session_id text COLLATE "C" NOT NULL,
    head bytea NOT NULL,
    segments bytea NOT NULL,
    PRIMARY KEY (tenant, record_id, position)
);
ALTER TABLE sessions ALTER COLUMN head SET STORAGE EXTERNAL, ALTER COLUMN segments SET STORAGE EXTERNAL;
CREATE TABLE participants (
    tenant text COLLATE "C" NOT NULL,
    record_id text COLLATE "C" NOT NULL,
    position integer NOT NULL,
    participant_id text COLLATE "C" NOT NULL,
    body bytea NOT NULL,
    PRIMARY KEY (tenant, record_id, position)
);
ALTER TABLE participants ALTER COLUMN body SET STORAGE EXTERNAL;
CREATE TABLE record_participants (
    tenant text COLLATE "C" NOT NULL,
    participant_id text COLLATE "C" NOT NULL,
    record_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (tenant, participant_id, record_id)
);
CREATE INDEX record_participants_by_record ON record_participants (tenant, record_id);
CREATE TABLE record_totals (
    tenant text COLLATE "C" NOT NULL,
    slot smallint NOT NULL,
    records bigint NOT NULL,
    sessions bigint NOT NULL,
    PRIMARY KEY (tenant, slot)
);
"#,
    // 2: change notifications: subscriptions, the participant ids a filtered one watches, the records each
    // has announced as created, and the outbox of notifications owed, written in the record's transaction.
    r#"
CREATE TABLE subscriptions (
    tenant text COLLATE "C" NOT NULL,
    skey bigserial NOT NULL,
    id text COLLATE "C" NOT NULL,
    resource text NOT NULL,
    filtered boolean NOT NULL,
    change_type text NOT NULL,
    notification_url text NOT NULL,
    lifecycle_url text,
    client_state text,
    expiration bigint NOT NULL,
    application_id text,
    creator_id text,
    tls_version text NOT NULL,
    created_at bigint NOT NULL,
    reauthorization_for bigint,
    PRIMARY KEY (tenant, skey),
    UNIQUE (tenant, id)
);
CREATE INDEX subscriptions_by_expiration ON subscriptions (expiration);
CREATE TABLE subscription_participants (
    tenant text COLLATE "C" NOT NULL,
    skey bigint NOT NULL,
    value text COLLATE "C" NOT NULL,
    PRIMARY KEY (tenant, skey, value)
);
CREATE TABLE subscription_created (
    tenant text COLLATE "C" NOT NULL,
    skey bigint NOT NULL,
    record_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (tenant, skey, record_id)
);
CREATE INDEX subscription_created_by_record ON subscription_created (tenant, record_id);
CREATE TABLE outbox (
    tenant text COLLATE "C" NOT NULL,
    seq bigserial NOT NULL,
    skey bigint NOT NULL,
    event text NOT NULL,
    record_id text,
    queued_at bigint NOT NULL,
    due_at bigint NOT NULL,
    attempts integer NOT NULL DEFAULT 0,
    leased_until bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant, seq)
);
CREATE INDEX outbox_by_due ON outbox (due_at, seq);
CREATE INDEX outbox_by_seq ON outbox (seq);
CREATE INDEX outbox_by_subscription ON outbox (tenant, skey);
CREATE TABLE outbox_totals (
    tenant text COLLATE "C" NOT NULL PRIMARY KEY,
    dropped bigint NOT NULL
);
"#,
    // 3: log rows (PSTN, direct routing, SMS, blocked users, meeting dial-outs) and the dial-out facts the
    // dial-out report sums. Text columns that filters compare use the "C" collation, as the embedded store
    // compares bytes.
    r#"
CREATE TABLE log_rows (
    tenant text COLLATE "C" NOT NULL,
    kind smallint NOT NULL,
    row_key text COLLATE "C" NOT NULL,
    seq bigserial NOT NULL,
    time bigint NOT NULL,
    user_principal_name text COLLATE "C",
    user_id text COLLATE "C",
    call_type text COLLATE "C",
    caller_number text COLLATE "C",
    callee_number text COLLATE "C",
    successful_call boolean,
    final_sip_code bigint,
    correlation_id text COLLATE "C",
    body bytea NOT NULL,
    PRIMARY KEY (tenant, kind, row_key)
);
ALTER TABLE log_rows ALTER COLUMN body SET STORAGE EXTERNAL;
CREATE INDEX log_rows_by_time ON log_rows (tenant, kind, time, seq);
CREATE INDEX log_rows_by_correlation ON log_rows (tenant, correlation_id) WHERE correlation_id IS NOT NULL;
CREATE TABLE log_dialouts (
    tenant text COLLATE "C" NOT NULL,
    seq bigint NOT NULL,
    time bigint NOT NULL,
    user_id text COLLATE "C",
    user_principal_name text COLLATE "C",
    user_display_name text COLLATE "C",
    usage_location text COLLATE "C",
    destination_context text COLLATE "C",
    currency text COLLATE "C",
    charge_nanos bigint NOT NULL,
    seconds bigint NOT NULL,
    PRIMARY KEY (tenant, seq)
);
CREATE INDEX log_dialouts_by_time ON log_dialouts (tenant, time);
"#,
    // 4: call quality: one row per classified stream, each record's verdicts for `$filter`, the uploaded
    // building map, and stream counts by verdict.
    r#"
CREATE TABLE quality_streams (
    tenant text COLLATE "C" NOT NULL,
    record_id text COLLATE "C" NOT NULL,
    n integer NOT NULL,
    start bigint NOT NULL,
    media smallint NOT NULL,
    direction smallint NOT NULL,
    verdict smallint NOT NULL,
    reason smallint NOT NULL,
    d_subnet text COLLATE "C",
    d_connection text COLLATE "C",
    d_platform text COLLATE "C",
    d_client text COLLATE "C",
    d_user text COLLATE "C",
    d_device text COLLATE "C",
    user_label text,
    m0 bigint, m1 bigint, m2 bigint, m3 bigint, m4 bigint, m5 bigint, m6 bigint, m7 bigint,
    x0 bigint, x1 bigint, x2 bigint, x3 bigint,
    PRIMARY KEY (tenant, record_id, n)
);
CREATE INDEX quality_streams_by_start ON quality_streams (tenant, start);
CREATE TABLE quality_records (
    tenant text COLLATE "C" NOT NULL,
    record_id text COLLATE "C" NOT NULL,
    verdict smallint NOT NULL,
    audio smallint NOT NULL,
    video smallint NOT NULL,
    vbss smallint NOT NULL,
    other smallint NOT NULL,
    setup_failed boolean NOT NULL,
    device_problems integer NOT NULL,
    PRIMARY KEY (tenant, record_id)
);
CREATE TABLE quality_buildings (
    tenant text COLLATE "C" NOT NULL,
    position integer NOT NULL,
    network_ip text NOT NULL,
    network_range smallint NOT NULL,
    building_name text NOT NULL,
    attributes text NOT NULL,
    PRIMARY KEY (tenant, position)
);
CREATE TABLE quality_totals (
    tenant text COLLATE "C" NOT NULL,
    slot smallint NOT NULL,
    good bigint NOT NULL,
    poor bigint NOT NULL,
    unclassified bigint NOT NULL,
    PRIMARY KEY (tenant, slot)
);
"#,
    // 5: scrubbing (see `callrec_model::scrub`): which records and log rows have lost their personal data,
    // with partial indexes that hold only the ones still to scrub, by the instant scrubbing goes by, across
    // tenants. Rows stored before are unscrubbed. (A constant default adds the columns without rewriting
    // the tables.)
    r#"
ALTER TABLE records ADD COLUMN scrubbed boolean NOT NULL DEFAULT false;
CREATE INDEX records_to_scrub ON records (end_time) WHERE NOT scrubbed;
ALTER TABLE log_rows ADD COLUMN scrubbed boolean NOT NULL DEFAULT false;
CREATE INDEX log_rows_to_scrub ON log_rows (time) WHERE NOT scrubbed;
"#,
    // 6: app registrations (see `crate::apps`), per tenant, and the keys the server keeps with its data.
    r#"
CREATE TABLE apps (
    tenant text COLLATE "C" NOT NULL,
    client_id text COLLATE "C" NOT NULL,
    name text NOT NULL,
    roles text NOT NULL,
    secret_hash text,
    certificates text NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (tenant, client_id)
);
CREATE TABLE server_keys (
    name text COLLATE "C" PRIMARY KEY,
    value bytea NOT NULL
);
"#,
];

/// A fixed number that, hashed with the schema's name, names the advisory lock migrations run under.
const MIGRATION_LOCK: &str = "callrec-migrate:";

/// Brings the schema up to date, one migration per transaction, and returns the version reached. Two
/// nodes migrating at once wait for each other on an advisory lock, so each migration is applied once.
pub(super) async fn migrate(client: &mut Client) -> Result<usize, StoreError> {
    let open = |e: tokio_postgres::Error| StoreError::Open(super::describe(&e));
    client
        .execute(
            "SELECT pg_advisory_lock(hashtextextended($1 || current_schema(), 0))",
            &[&MIGRATION_LOCK],
        )
        .await
        .map_err(open)?;
    let result = apply_pending(client).await;
    let unlock = client
        .execute(
            "SELECT pg_advisory_unlock(hashtextextended($1 || current_schema(), 0))",
            &[&MIGRATION_LOCK],
        )
        .await
        .map_err(backend);
    let version = result?;
    unlock?;
    Ok(version)
}

async fn apply_pending(client: &mut Client) -> Result<usize, StoreError> {
    let open = |e: tokio_postgres::Error| StoreError::Open(super::describe(&e));
    // Looked up first: `CREATE TABLE IF NOT EXISTS` on an existing table makes the server send a notice
    // at every start.
    let exists: bool = client
        .query_one("SELECT to_regclass('callrec_migrations') IS NOT NULL", &[])
        .await
        .map_err(open)?
        .get(0);
    if !exists {
        client
            .batch_execute(
                "CREATE TABLE callrec_migrations (\
                     version integer PRIMARY KEY, \
                     applied_at timestamptz NOT NULL DEFAULT now())",
            )
            .await
            .map_err(open)?;
    }
    loop {
        let tx = client.transaction().await.map_err(open)?;
        let applied: i32 = tx
            .query_one(
                "SELECT coalesce(max(version), 0) FROM callrec_migrations",
                &[],
            )
            .await
            .map_err(open)?
            .get(0);
        let applied = usize::try_from(applied)
            .map_err(|_| StoreError::Open(format!("bad schema version {applied}")))?;
        if applied > MIGRATIONS.len() {
            return Err(StoreError::Open(format!(
                "the database has schema version {applied}, newer than this program's {}",
                MIGRATIONS.len()
            )));
        }
        let Some(sql) = MIGRATIONS.get(applied) else {
            return Ok(applied);
        };
        tx.batch_execute(sql).await.map_err(|e| {
            StoreError::Open(format!(
                "migration {}: {}",
                applied + 1,
                super::describe(&e)
            ))
        })?;
        tx.execute(
            "INSERT INTO callrec_migrations (version) VALUES ($1)",
            &[&((applied + 1) as i32)],
        )
        .await
        .map_err(open)?;
        tx.commit().await.map_err(open)?;
        tracing::info!(version = applied + 1, "applied PostgreSQL store migration");
    }
}
