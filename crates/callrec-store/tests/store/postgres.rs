//! The PostgreSQL runner of the conformance suite, active when `CALLREC_TEST_POSTGRES` names a database
//! (a `postgres://` URL of a role that may create schemas there), and the checks that only mean
//! something for PostgreSQL: several nodes (stores with pools of their own) on one database, query plans
//! of deep pages, dictionaries shared between nodes.
//!
//! Every case runs in a fresh schema of its own, dropped afterwards, so cases run in parallel on one
//! database without seeing each other. Without the variable, or without the `postgres` feature, each case
//! prints that it was skipped and passes.

const URL_VARIABLE: &str = "CALLREC_TEST_POSTGRES";

#[cfg(not(feature = "postgres"))]
#[test]
fn postgres() {
    println!("postgres: skipped (callrec-store built without the `postgres` feature)");
}

#[cfg(feature = "postgres")]
mod enabled {
    use std::collections::{BTreeMap, HashSet};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::{Duration, Instant};

    use async_trait::async_trait;
    use callrec_model::query::{Cursor, ListQuery, RecordOrder, TimeField};
    use callrec_store::compress::DictionaryTraining;
    use callrec_store::postgres::{PostgresOptions, PostgresStore, PostgresUrl};
    use callrec_store::subscriptions::{ClaimRequest, Subscription};
    use callrec_store::{PutOutcome, RecordStore, Slice, Store, SubscriptionStore, WriteCondition};
    use tokio_postgres::NoTls;

    use super::URL_VARIABLE;
    use crate::backend::Backend;
    use crate::records::{Spec, head_property};

    /// One fresh schema of the test database, dropped when the backend is.
    pub struct PostgresBackend {
        base: String,
        schema: String,
        options: PostgresOptions,
    }

    impl PostgresBackend {
        /// `None` (after printing so) when no test database is configured.
        pub fn new(name: &str) -> Option<Self> {
            Self::with_options(name, PostgresOptions::default())
        }

        pub fn with_options(name: &str, options: PostgresOptions) -> Option<Self> {
            let Ok(base) = std::env::var(URL_VARIABLE) else {
                println!("postgres {name}: skipped ({URL_VARIABLE} not set)");
                say_skipped_once();
                return None;
            };
            static NEXT: AtomicUsize = AtomicUsize::new(0);
            let mut schema = format!(
                "t{}_{}_{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed),
                name.to_ascii_lowercase()
            );
            schema.truncate(63);
            Some(PostgresBackend {
                base,
                schema,
                options,
            })
        }

        /// The store URL of this test's schema.
        pub fn url(&self) -> String {
            let joiner = if self.base.contains('?') { '&' } else { '?' };
            format!("{}{joiner}schema={}", self.base, self.schema)
        }

        pub async fn open_postgres(&self) -> PostgresStore {
            PostgresStore::open(&self.url(), self.options.clone())
                .await
                .expect("the store opens")
        }

        /// A plain connection to the test database with the schema on its search path.
        pub async fn connect(&self) -> tokio_postgres::Client {
            let mut config = PostgresUrl::parse(&self.url()).unwrap().config;
            config.options(format!("-csearch_path={}", self.schema));
            let (client, connection) = config.connect(NoTls).await.expect("connects");
            tokio::spawn(connection);
            client
        }
    }

    /// Says once per run, on the real standard error (the test harness captures `println!` of passing
    /// tests), that the PostgreSQL cases did not run.
    fn say_skipped_once() {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "note: the PostgreSQL runs of the store suite were skipped ({URL_VARIABLE} not set)"
            );
        });
    }

    impl Drop for PostgresBackend {
        fn drop(&mut self) {
            let (base, schema) = (self.base.clone(), self.schema.clone());
            // Drop runs inside the test's runtime, which cannot be blocked on: use a runtime of its own.
            let dropped = std::thread::spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                runtime.block_on(async {
                    let config = PostgresUrl::parse(&base).unwrap().config;
                    let (client, connection) = config.connect(NoTls).await?;
                    tokio::spawn(connection);
                    client
                        .batch_execute(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
                        .await
                })
            })
            .join();
            if !matches!(dropped, Ok(Ok(()))) {
                eprintln!("could not drop test schema {}", self.schema);
            }
        }
    }

    #[async_trait]
    impl Backend for PostgresBackend {
        async fn open(&self) -> Arc<dyn Store> {
            Arc::new(self.open_postgres().await)
        }

        async fn reject_record_id(&self, id: &str) -> bool {
            let client = self.connect().await;
            let literal = id.replace('\'', "''");
            client
                .batch_execute(&format!(
                    "CREATE FUNCTION reject_for_test() RETURNS trigger LANGUAGE plpgsql AS $$ \
                     BEGIN IF NEW.id = '{literal}' THEN RAISE EXCEPTION 'rejected for the test'; END IF; \
                     RETURN NEW; END $$; \
                     CREATE TRIGGER reject_for_test BEFORE INSERT ON records \
                     FOR EACH ROW EXECUTE FUNCTION reject_for_test();"
                ))
                .await
                .expect("the trigger installs");
            true
        }
    }

    macro_rules! postgres_cases {
        ($($case:ident),* $(,)?) => {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let Some(backend) = PostgresBackend::new(stringify!($case)) else { return };
                    crate::cases::$case(&backend).await;
                }
            )*
        };
    }

    mod records {
        use super::PostgresBackend;
        crate::for_each_case!(postgres_cases);
    }

    macro_rules! postgres_subscription_cases {
        ($($case:ident),* $(,)?) => {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let Some(backend) = PostgresBackend::new(stringify!($case)) else { return };
                    crate::subscriptions::$case(&backend).await;
                }
            )*
        };
    }

    mod subscriptions {
        use super::PostgresBackend;
        crate::for_each_subscription_case!(postgres_subscription_cases);
    }

    macro_rules! postgres_app_cases {
        ($($case:ident),* $(,)?) => {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let Some(backend) = PostgresBackend::new(stringify!($case)) else { return };
                    crate::apps::$case(&backend).await;
                }
            )*
        };
    }

    mod apps {
        use super::PostgresBackend;
        crate::for_each_app_case!(postgres_app_cases);
    }

    macro_rules! postgres_log_cases {
        ($($case:ident),* $(,)?) => {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let Some(backend) = PostgresBackend::new(stringify!($case)) else { return };
                    crate::logs::$case(&backend).await;
                }
            )*
        };
    }

    mod logs {
        use super::PostgresBackend;
        crate::for_each_log_case!(postgres_log_cases);
    }

    macro_rules! postgres_quality_cases {
        ($($case:ident),* $(,)?) => {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let Some(backend) = PostgresBackend::new(stringify!($case)) else { return };
                    crate::quality::$case(&backend).await;
                }
            )*
        };
    }

    mod quality {
        use super::PostgresBackend;
        postgres_quality_cases!(
            quality_reports_match_a_recount,
            quality_filter_finds_the_records,
            scrubbing_forgets_user_names,
        );
    }

    const A: &str = "tenant-a";

    /// Two nodes (two stores, each with its own pool) write the same ids at once, each batch in
    /// a different order, with every version twice: exactly one row per id, at the highest version.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn two_nodes_ingest_the_same_ids() {
        let Some(backend) = PostgresBackend::new("two_nodes_ingest") else {
            return;
        };
        let nodes = [backend.open_postgres().await, backend.open_postgres().await];
        const IDS: usize = 60;
        const VERSIONS: i64 = 6;
        let spec = |id: usize, version: i64| {
            let mut s = Spec::new(format!("id-{id:03}")).version(version);
            s.note = format!("id {id} version {version}");
            s.sessions = (0..(version as usize % 3 + 1))
                .map(|k| (format!("s{k}"), 1))
                .collect();
            s
        };
        let mut tasks = Vec::new();
        for (n, node) in nodes.iter().enumerate() {
            for writer in 0..3 {
                let node = node.clone();
                tasks.push(tokio::spawn(async move {
                    let mut outcomes = Vec::new();
                    for version in 1..=VERSIONS {
                        // Each writer goes through the ids in its own order and batch size.
                        let mut ids: Vec<usize> = (0..IDS).collect();
                        ids.rotate_left((n * 3 + writer) * 7 % IDS);
                        if writer % 2 == 1 {
                            ids.reverse();
                        }
                        for chunk in ids.chunks(5 + writer * 4) {
                            let batch = chunk
                                .iter()
                                .map(|&id| spec(id, version).prepared())
                                .collect();
                            outcomes.extend(
                                node.put_records(A, batch, WriteCondition::NewerVersion)
                                    .await
                                    .expect("write succeeds"),
                            );
                        }
                    }
                    outcomes
                }));
            }
        }
        let mut created = 0;
        for task in tasks {
            created += task
                .await
                .unwrap()
                .iter()
                .filter(|o| **o == PutOutcome::Created)
                .count();
        }
        assert_eq!(created, IDS, "each id is created exactly once, by one node");
        for id in 0..IDS {
            let reader = &nodes[id % 2];
            let row = reader
                .get_record(A, &format!("id-{id:03}"))
                .await
                .unwrap()
                .expect("stored");
            assert_eq!(row.version, VERSIONS);
            assert_eq!(
                head_property(&row.head, "joinWebUrl"),
                format!("id {id} version {VERSIONS}").as_str()
            );
            let sessions = reader
                .sessions(
                    A,
                    &row.id,
                    Slice {
                        offset: 0,
                        limit: 100,
                    },
                    false,
                )
                .await
                .unwrap()
                .unwrap();
            assert_eq!(sessions.len(), VERSIONS as usize % 3 + 1);
        }
        let client = backend.connect().await;
        let rows: i64 = client
            .query_one("SELECT count(*) FROM records", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(rows, IDS as i64, "exactly one row per id");
        let stats = nodes[0].stats().await.unwrap();
        assert_eq!(stats.records, IDS as u64);
        assert_eq!(stats.sessions, IDS as u64 * (VERSIONS as u64 % 3 + 1));
    }

    /// Notifications claimed by several nodes at once: each is handed to exactly one of them.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn two_nodes_claim_each_notification_once() {
        let Some(backend) = PostgresBackend::new("two_nodes_claim") else {
            return;
        };
        let nodes = [backend.open_postgres().await, backend.open_postgres().await];
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64;
        let subscription = Subscription {
            id: "sub-1".into(),
            resource: "/communications/callRecords".into(),
            participants: Vec::new(),
            change_type: "created".into(),
            notification_url: "https://receiver.test/hook".into(),
            lifecycle_notification_url: None,
            client_state: None,
            expiration: now + 3_600_000,
            application_id: None,
            creator_id: None,
            latest_supported_tls_version: "v1_2".into(),
            created_at: now,
        };
        nodes[0]
            .create_subscription(A, &subscription, 10, now)
            .await
            .unwrap();
        const RECORDS: usize = 200;
        let specs: Vec<_> = (0..RECORDS)
            .map(|i| Spec::new(format!("r{i}")).prepared())
            .collect();
        for chunk in specs.chunks(50) {
            nodes[1]
                .put_records(A, chunk.to_vec(), WriteCondition::NewerVersion)
                .await
                .unwrap();
        }
        // The write hook queues at the system time; claim at a time after all of it.
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis() as i64;
        let mut tasks = Vec::new();
        for worker in 0..4 {
            let node = nodes[worker % 2].clone();
            tasks.push(tokio::spawn(async move {
                let mut got = Vec::new();
                loop {
                    let claimed = node
                        .claim_notifications(&ClaimRequest {
                            now: now + 1_000,
                            lease: 600_000,
                            limit: 7,
                            per_url: 7,
                            skip_urls: Vec::new(),
                        })
                        .await
                        .unwrap();
                    if claimed.is_empty() {
                        return got;
                    }
                    got.extend(claimed.into_iter().map(|n| (n.seq, n.record_id.unwrap())));
                }
            }));
        }
        let mut seqs = HashSet::new();
        let mut records = BTreeMap::new();
        for task in tasks {
            for (seq, record) in task.await.unwrap() {
                assert!(seqs.insert(seq), "notification {seq} claimed twice");
                *records.entry(record).or_insert(0) += 1;
            }
        }
        assert_eq!(
            records.len(),
            RECORDS,
            "every record's notification claimed"
        );
        assert!(records.values().all(|n| *n == 1));
    }

    /// A dictionary trained on one node is found by another node that reads what it wrote.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn dictionaries_are_shared_between_nodes() {
        let options = PostgresOptions {
            dictionary: Some(DictionaryTraining {
                after_pieces: 200,
                max_size: 8 * 1024,
            }),
            ..PostgresOptions::default()
        };
        let Some(backend) = PostgresBackend::with_options("dictionaries", options) else {
            return;
        };
        let writer = backend.open_postgres().await;
        let reader = backend.open_postgres().await;
        let specs: Vec<Spec> = (0..400)
            .map(|i| {
                let mut s = Spec::new(format!("d{i}"));
                s.participants = (0..4)
                    .map(|p| format!("participant-{}", (i + p) % 37))
                    .collect();
                s
            })
            .collect();
        writer
            .put_records(
                A,
                specs[..100].iter().map(Spec::prepared).collect(),
                WriteCondition::NewerVersion,
            )
            .await
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(60);
        while writer.dictionary_id().is_none() && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert_eq!(
            writer.dictionary_id(),
            Some(1),
            "the writer trained a dictionary"
        );
        assert_eq!(
            reader.dictionary_id(),
            None,
            "the reader has not met it yet"
        );
        writer
            .put_records(
                A,
                specs[100..].iter().map(Spec::prepared).collect(),
                WriteCondition::NewerVersion,
            )
            .await
            .unwrap();
        let client = backend.connect().await;
        let with_dictionary: i64 = client
            .query_one(
                "SELECT count(*) FROM records WHERE get_byte(head, 0) = 1",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        assert!(
            with_dictionary > 0,
            "later heads are made with the dictionary"
        );
        for spec in &specs[300..] {
            let row = reader.get_record(A, &spec.id).await.unwrap().unwrap();
            assert_eq!(row.head, spec.prepared().head);
        }
        assert_eq!(
            reader.dictionary_id(),
            Some(1),
            "the reader loaded the dictionary"
        );
    }

    /// A record with slices of its children, read in one statement, is what the single reads give.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn record_with_children_matches_the_single_reads() {
        let Some(backend) = PostgresBackend::new("with_children") else {
            return;
        };
        let store = backend.open_postgres().await;
        let mut specs = Vec::new();
        for i in 0..4usize {
            let mut s = Spec::new(format!("w{i}"));
            s.sessions = (0..i * 2).map(|k| (format!("s{k}"), k % 3 + 1)).collect();
            s.participants = (0..i + 1).map(|p| format!("p{p}")).collect();
            specs.push(s);
        }
        store
            .put_records(
                A,
                specs.iter().map(Spec::prepared).collect(),
                WriteCondition::NewerVersion,
            )
            .await
            .unwrap();
        let slices = [
            Slice {
                offset: 0,
                limit: 100,
            },
            Slice {
                offset: 1,
                limit: 2,
            },
            Slice {
                offset: 50,
                limit: 10,
            },
        ];
        for spec in &specs {
            for slice in slices {
                for with_segments in [false, true] {
                    let got = store
                        .record_with_children(
                            A,
                            &spec.id,
                            Some((slice, with_segments)),
                            Some(slice),
                        )
                        .await
                        .unwrap()
                        .expect("stored");
                    assert_eq!(
                        got.record,
                        store.get_record(A, &spec.id).await.unwrap().unwrap()
                    );
                    assert_eq!(
                        Some(got.sessions),
                        store
                            .sessions(A, &spec.id, slice, with_segments)
                            .await
                            .unwrap()
                    );
                    assert_eq!(
                        Some(got.participants),
                        store.participants(A, &spec.id, slice).await.unwrap()
                    );
                }
            }
            let bare = store
                .record_with_children(A, &spec.id, None, None)
                .await
                .unwrap()
                .unwrap();
            assert!(bare.sessions.is_empty() && bare.participants.is_empty());
        }
        assert!(
            store
                .record_with_children(A, "absent", Some((slices[0], true)), Some(slices[0]))
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            store
                .record_with_children("tenant-b", "w1", None, None)
                .await
                .unwrap()
                .is_none(),
            "another tenant's record is not there"
        );
    }

    /// Deep pages cost what the first does: every order walks its index from the cursor, no sort.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn listings_walk_an_index_without_sorting() {
        let Some(backend) = PostgresBackend::new("plans") else {
            return;
        };
        let store = backend.open_postgres().await;
        let specs: Vec<_> = (0..3000)
            .map(|i| {
                let mut s = Spec::new(format!("p{i:05}"));
                s.start = 1_700_000_000 + i as i64 * 17 % 5000;
                s.end = s.start + 60;
                s.modified = s.end + 1;
                s.prepared()
            })
            .collect();
        for chunk in specs.chunks(500) {
            store
                .put_records(A, chunk.to_vec(), WriteCondition::NewerVersion)
                .await
                .unwrap();
        }
        let client = backend.connect().await;
        client.batch_execute("ANALYZE").await.unwrap();
        for field in [
            TimeField::StartDateTime,
            TimeField::EndDateTime,
            TimeField::LastModifiedDateTime,
        ] {
            for descending in [false, true] {
                let query = ListQuery {
                    filter: None,
                    order: RecordOrder { field, descending },
                    after: Some(Cursor {
                        key: callrec_model::edm::Ticks::from_unix_seconds(1_700_002_000),
                        id: "p01000".into(),
                    }),
                    limit: 60,
                    count: false,
                };
                let plan = store.explain_listing(A, &query).await.unwrap();
                assert!(
                    plan.contains("Index"),
                    "{field:?} desc={descending}: {plan}"
                );
                assert!(
                    !plan.contains("Sort"),
                    "{field:?} desc={descending}: {plan}"
                );
            }
        }
    }

    /// A PSTN row of `tenant` starting `secs` after 2019-11-01, with a phone number, a name and a
    /// principal name; every fourth one a meeting dial-out.
    fn pstn_row(tenant: &str, i: usize, secs: i64) -> callrec_model::logs::PreparedLogRow {
        let at = callrec_model::edm::Ticks::from_unix_seconds(1_572_566_400 + secs).to_string();
        let row = serde_json::json!({
            "@odata.type": "#microsoft.graph.callRecords.pstnCallLogRow",
            "id": format!("{tenant}-pstn-{i:05}"),
            "userId": format!("user-{}", i % 5),
            "userPrincipalName": format!("user{}@contoso.com", i % 5),
            "userDisplayName": format!("Person Number{}", i % 5),
            "startDateTime": at,
            "endDateTime": at,
            "callType": if i % 4 == 2 { "conf_out" } else { "user_out" },
            "callerNumber": format!("+1555{i:07}"),
            "calleeNumber": format!("+1425{i:07}"),
            "duration": 60, "charge": 0.5, "connectionCharge": 0.0, "currency": "USD"
        });
        callrec_model::logs::check_log_row(Some(callrec_model::logs::LogKind::PstnCall), row)
            .expect("a valid row")
            .row
    }

    /// Rows of the stores before the scrubbing migration come out unscrubbed once it is applied: the
    /// schema of the previous version (this one's without its scrubbing migration, with rows in it) is
    /// migrated at open, and scrubbing finds every old record and log row.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn the_scrubbing_migration_applies_to_an_existing_store() {
        use callrec_model::edm::Ticks;
        use callrec_model::logs::LogKind;
        use callrec_store::LogStore;

        /// The migration that added `scrubbed` to `records` and `log_rows`.
        const SCRUBBING_MIGRATION: i32 = 5;
        let Some(backend) = PostgresBackend::new("scrub_migration") else {
            return;
        };
        let store = backend.open_postgres().await;
        let specs: Vec<Spec> = (0..3).map(|i| Spec::new(format!("m{i}"))).collect();
        store
            .put_records(
                A,
                specs.iter().map(Spec::prepared).collect(),
                WriteCondition::NewerVersion,
            )
            .await
            .unwrap();
        store
            .put_log_rows(A, (0..4).map(|i| pstn_row(A, i, i as i64 * 60)).collect())
            .await
            .unwrap();
        drop(store);

        // Back to the previous version's schema, rows kept (what later migrations made goes too).
        let client = backend.connect().await;
        client
            .batch_execute(&format!(
                "DROP TABLE apps; DROP TABLE server_keys; DROP INDEX records_to_scrub; ALTER TABLE records DROP COLUMN scrubbed; \
                 DROP INDEX log_rows_to_scrub; ALTER TABLE log_rows DROP COLUMN scrubbed; \
                 DELETE FROM callrec_migrations WHERE version >= {SCRUBBING_MIGRATION};"
            ))
            .await
            .unwrap();
        let version: i32 = client
            .query_one("SELECT max(version) FROM callrec_migrations", &[])
            .await
            .unwrap()
            .get(0);
        assert_eq!(version, SCRUBBING_MIGRATION - 1);

        let store = backend.open_postgres().await;
        assert_eq!(
            store.schema_version(),
            PostgresStore::latest_schema_version()
        );
        for table in ["records", "log_rows"] {
            let row = client
                .query_one(
                    "SELECT is_nullable, column_default FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND table_name = $1 AND column_name = 'scrubbed'",
                    &[&table],
                )
                .await
                .unwrap();
            let (nullable, default): (String, Option<String>) = (row.get(0), row.get(1));
            assert_eq!(
                (nullable.as_str(), default.as_deref()),
                ("NO", Some("false")),
                "{table}"
            );
            let marked: i64 = client
                .query_one(&format!("SELECT count(*) FROM {table} WHERE scrubbed"), &[])
                .await
                .unwrap()
                .get(0);
            assert_eq!(marked, 0, "{table}: rows stored before are unscrubbed");
        }
        let indexes: Vec<String> = client
            .query(
                "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() \
                 AND indexname IN ('records_to_scrub', 'log_rows_to_scrub') ORDER BY indexname",
                &[],
            )
            .await
            .unwrap()
            .iter()
            .map(|r| r.get(0))
            .collect();
        assert_eq!(indexes.len(), 2, "{indexes:?}");
        assert!(
            indexes.iter().all(|d| d.contains("WHERE (NOT scrubbed)")),
            "{indexes:?}"
        );

        let cutoff = Ticks::from_unix_seconds(2_000_000_000);
        let keys = store.records_to_scrub(cutoff, 10).await.unwrap();
        let mut ids: Vec<&str> = keys.iter().map(|k| k.id.as_str()).collect();
        ids.sort_unstable();
        assert_eq!(ids, ["m0", "m1", "m2"]);
        let scrubber: callrec_store::logs::LogScrubber =
            Arc::new(callrec_model::scrub::scrub_log_row_body);
        assert_eq!(
            store
                .scrub_log_rows_before(cutoff, 10, scrubber.clone())
                .await
                .unwrap(),
            4
        );
        assert_eq!(
            store
                .scrub_log_rows_before(cutoff, 10, scrubber)
                .await
                .unwrap(),
            0
        );
        assert_eq!(
            store
                .purge_log_rows_before(LogKind::PstnCall, cutoff, 10)
                .await
                .unwrap(),
            4
        );
    }

    /// Scrubbers on two nodes at once, each in several tasks: every row before the cutoff is handled by
    /// exactly one of them (the rows are taken with `FOR UPDATE SKIP LOCKED`), none after it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn two_nodes_scrub_each_log_row_once() {
        use std::sync::Mutex;

        use callrec_model::edm::Ticks;
        use callrec_model::logs::LogKind;
        use callrec_store::LogStore;

        let Some(backend) = PostgresBackend::new("two_nodes_scrub") else {
            return;
        };
        let nodes = [backend.open_postgres().await, backend.open_postgres().await];
        const TENANTS: [&str; 3] = ["tenant-a", "tenant-b", "tenant-c"];
        const ROWS: usize = 120;
        for tenant in TENANTS {
            // Minutes 0..ROWS; the cutoff is at minute 100.
            let rows = (0..ROWS)
                .map(|i| pstn_row(tenant, i, i as i64 * 60))
                .collect();
            nodes[0].put_log_rows(tenant, rows).await.unwrap();
        }
        let cutoff = Ticks::from_unix_seconds(1_572_566_400 + 100 * 60);

        let seen: Arc<Mutex<BTreeMap<String, usize>>> = Arc::default();
        let scrubber: callrec_store::logs::LogScrubber = {
            let seen = seen.clone();
            Arc::new(move |kind: LogKind, body: &[u8]| {
                let row: serde_json::Value = serde_json::from_slice(body).unwrap();
                let id = row["id"].as_str().unwrap().to_owned();
                *seen.lock().unwrap().entry(id).or_insert(0) += 1;
                // Long enough for the other scrubbers to come while this one holds its rows.
                std::thread::sleep(Duration::from_millis(1));
                callrec_model::scrub::scrub_log_row_body(kind, body)
            })
        };
        let mut tasks = Vec::new();
        for worker in 0..6 {
            let node = nodes[worker % 2].clone();
            let scrubber = scrubber.clone();
            tasks.push(tokio::spawn(async move {
                let mut handled = 0;
                let mut batches = 0;
                loop {
                    let n = node
                        .scrub_log_rows_before(cutoff, 9, scrubber.clone())
                        .await
                        .expect("the scrub succeeds");
                    assert!(n <= 9);
                    if n == 0 {
                        return (handled, batches);
                    }
                    handled += n;
                    batches += 1;
                }
            }));
        }
        let mut handled = 0;
        let mut busy = 0;
        for task in tasks {
            let (n, batches) = task.await.unwrap();
            handled += n;
            busy += usize::from(batches > 0);
        }
        let before_cutoff = TENANTS.len() * 100;
        assert_eq!(handled, before_cutoff as u64, "the handled rows add up");
        let seen = seen.lock().unwrap().clone();
        assert_eq!(seen.len(), before_cutoff, "every row before the cutoff");
        let twice: Vec<_> = seen.iter().filter(|(_, n)| **n != 1).collect();
        assert!(twice.is_empty(), "rows scrubbed more than once: {twice:?}");
        assert!(
            seen.keys()
                .all(|id| id.rsplit('-').next().unwrap().parse::<usize>().unwrap() < 100),
            "no row after the cutoff"
        );
        assert!(
            busy >= 2,
            "the scrubbers shared the work ({busy} took rows)"
        );

        let client = backend.connect().await;
        let left: i64 = client
            .query_one(
                "SELECT count(*) FROM log_rows WHERE NOT scrubbed AND time < $1",
                &[&cutoff.0],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(left, 0);
        let plain: i64 = client
            .query_one(
                "SELECT count(*) FROM log_rows WHERE scrubbed AND caller_number IS NOT NULL",
                &[],
            )
            .await
            .unwrap()
            .get(0);
        assert_eq!(plain, 0, "the filter columns follow the scrubbed bodies");
    }

    /// After every record and row is scrubbed, no column PostgreSQL keeps as plain text (participant ids,
    /// the streams' user values and labels, log-row filter columns, dial-out facts) holds a phone number,
    /// a display name or a principal name; and a purge leaves no participant id behind.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn scrubbing_leaves_no_personal_text_in_plain_columns() {
        use crate::personal;

        let Some(backend) = PostgresBackend::new("scrub_plain_columns") else {
            return;
        };
        let store = backend.open_postgres().await;
        let records = personal::write(&store).await;
        let client = backend.connect().await;
        let plain_text = || async {
            let mut out: Vec<String> = Vec::new();
            for sql in [
                "SELECT participant_id FROM record_participants",
                "SELECT participant_id FROM participants",
                "SELECT coalesce(d_user, '') || '|' || coalesce(user_label, '') FROM quality_streams",
                "SELECT coalesce(user_principal_name, '') || coalesce(caller_number, '') || \
                 coalesce(callee_number, '') FROM log_rows",
                "SELECT coalesce(user_principal_name, '') || coalesce(user_display_name, '') FROM log_dialouts",
            ] {
                for r in client.query(sql, &[]).await.unwrap() {
                    out.push(r.get(0));
                }
            }
            out
        };
        let before = plain_text().await;
        assert!(
            personal::personal(&before).len() >= 4,
            "the fixture writes personal text: {before:?}"
        );
        personal::scrub(&store, &records).await;
        let after = plain_text().await;
        assert_eq!(
            personal::personal(&after),
            Vec::<String>::new(),
            "{after:?}"
        );
        let streams: i64 = client
            .query_one("SELECT count(*) FROM quality_streams", &[])
            .await
            .unwrap()
            .get(0);
        assert!(streams > 0, "the streams stay");

        // A purge of everything leaves no participant id behind.
        personal::purge(&store).await;
        for table in [
            "record_participants",
            "participants",
            "quality_streams",
            "log_rows",
            "log_dialouts",
        ] {
            let left: i64 = client
                .query_one(&format!("SELECT count(*) FROM {table}"), &[])
                .await
                .unwrap()
                .get(0);
            assert_eq!(left, 0, "{table}");
        }
    }
}
