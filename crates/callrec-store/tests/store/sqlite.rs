//! The SQLite runner of the conformance suite, and the checks that only mean something for SQLite:
//! compression of a realistic volume of records and the size of the file it makes.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use callrec_model::prepare::PreparedRecord;
use callrec_store::sqlite::{SqliteOptions, SqliteStore};
use callrec_store::{RecordStore, Slice, Store, WriteCondition};
use serde_json::{Value, json};

use crate::backend::Backend;

/// One database file in its own directory under the target's scratch space, removed afterwards.
pub struct SqliteBackend {
    dir: PathBuf,
    options: SqliteOptions,
}

impl SqliteBackend {
    pub fn new(name: &str) -> Self {
        Self::with_options(name, SqliteOptions::default())
    }

    pub fn with_options(name: &str, options: SqliteOptions) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
            .join("callrec-store")
            .join(format!(
                "{name}-{}-{}",
                std::process::id(),
                NEXT.fetch_add(1, Ordering::Relaxed)
            ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch directory");
        SqliteBackend { dir, options }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.join("callrec.db")
    }

    pub fn open_sqlite(&self) -> SqliteStore {
        SqliteStore::open(&self.path(), self.options.clone()).expect("the store opens")
    }

    /// Bytes of the main file and its WAL.
    pub fn disk_bytes(&self) -> u64 {
        ["callrec.db", "callrec.db-wal"]
            .iter()
            .map(|f| std::fs::metadata(self.dir.join(f)).map_or(0, |m| m.len()))
            .sum()
    }
}

impl Drop for SqliteBackend {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[async_trait]
impl Backend for SqliteBackend {
    async fn open(&self) -> Arc<dyn Store> {
        Arc::new(self.open_sqlite())
    }

    async fn reject_record_id(&self, id: &str) -> bool {
        let conn = rusqlite::Connection::open(self.path()).expect("a side connection");
        conn.busy_timeout(Duration::from_secs(5)).unwrap();
        let literal = id.replace('\'', "''");
        conn.execute_batch(&format!(
            "CREATE TRIGGER reject_{n} BEFORE INSERT ON records WHEN NEW.id = '{literal}' \
             BEGIN SELECT RAISE(ABORT, 'rejected for the test'); END;",
            n = literal.len()
        ))
        .expect("the trigger installs");
        true
    }
}

macro_rules! sqlite_cases {
    ($($case:ident),* $(,)?) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn $case() {
                let backend = SqliteBackend::new(stringify!($case));
                crate::cases::$case(&backend).await;
            }
        )*
    };
}

crate::for_each_case!(sqlite_cases);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn full_synchronous_mode_works_too() {
    let options = SqliteOptions {
        synchronous: callrec_store::sqlite::Synchronous::Full,
        ..SqliteOptions::default()
    };
    let backend = SqliteBackend::with_options("full-sync", options);
    crate::cases::persists_after_reopen(&backend).await;
}

/// A deterministic stream of pseudo-random numbers, so the synthetic data is the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    fn guid(&mut self) -> String {
        let (a, b, c) = (self.next(), self.next(), self.next());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a as u32,
            b as u16,
            (b >> 16) & 0xfff,
            c as u16 | 0x8000,
            (a << 16 | c >> 16) & 0xffff_ffff_ffff
        )
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// A call record shaped like the ones Graph serves: a few participants, one or two sessions, segments
/// with media streams full of quality figures.
fn synthetic_record(rng: &mut Lcg, users: &[(String, String)]) -> Value {
    let time = |secs: u64| {
        callrec_model::edm::Ticks::from_unix_seconds(1_690_000_000 + secs as i64).to_string()
    };
    let start = rng.below(30 * 86_400);
    let length = 30 + rng.below(3_600);
    let user = |rng: &mut Lcg| {
        let (id, name) = &users[rng.below(users.len() as u64) as usize];
        json!({"user": {"id": id, "displayName": name, "tenantId": "dc368399-474c-4d40-900c-6265431fd81f", "userPrincipalName": format!("{}@contoso.com", name.to_lowercase().replace(' ', "."))}})
    };
    let endpoint = |rng: &mut Lcg| {
        json!({
            "@odata.type": "#microsoft.graph.callRecords.participantEndpoint",
            "identity": user(rng),
            "userAgent": {
                "@odata.type": "#microsoft.graph.callRecords.clientUserAgent",
                "headerValue": rng.pick(&["RTCC/7.0.0.0 UCWA/7.0.0.0 AndroidLync/6.25.0.27 (SM-G930U Android 8.0.0)", "SkypeBot Call Recorder/1.0", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Teams/1.6.00.4472"]),
                "platform": rng.pick(&["windows", "android", "iOS", "macOS", "web"]),
                "productFamily": rng.pick(&["teams", "skypeForBusiness", "lync"]),
            },
            "feedback": null,
        })
    };
    let stream = |rng: &mut Lcg, direction: &str| {
        json!({
            "streamId": rng.below(10_000).to_string(),
            "startDateTime": time(start),
            "endDateTime": time(start + length),
            "streamDirection": direction,
            "averageAudioDegradation": null,
            "averageJitter": format!("PT0.0{}S", rng.below(90) + 10),
            "maxJitter": format!("PT0.0{}S", rng.below(90) + 10),
            "averagePacketLossRate": rng.below(100) as f64 / 1000.0,
            "maxPacketLossRate": rng.below(100) as f64 / 500.0,
            "averageRatioOfConcealedSamples": null,
            "averageRoundTripTime": format!("PT0.{:03}S", rng.below(300)),
            "maxRoundTripTime": format!("PT0.{:03}S", rng.below(600)),
            "packetUtilization": rng.below(20_000),
            "wasMediaBypassed": false,
            "audioCodec": rng.pick(&["silk", "opus", "satin", "g722"]),
            "videoCodec": null,
            "lowFrameRateRatio": null,
            "lowVideoProcessingCapabilityRatio": null,
            "averageBandwidthEstimate": 9_000_000 + rng.below(1_000_000),
        })
    };
    let network = |rng: &mut Lcg| {
        json!({
            "connectionType": rng.pick(&["wired", "wifi", "mobile"]),
            "ipAddress": format!("10.{}.{}.{}", rng.below(256), rng.below(256), rng.below(256)),
            "subnet": format!("10.{}.0.0", rng.below(256)),
            "port": 50_000 + rng.below(10_000),
            "reflexiveIPAddress": format!("203.0.113.{}", rng.below(256)),
            "relayIPAddress": "52.114.188.32",
            "relayPort": 3478,
            "macAddress": format!("00-00-5E-00-53-{:02X}", rng.below(256)),
            "linkSpeed": 1_000_000_000,
            "bandwidthLowEventRatio": null,
            "wifiBand": "unknown",
            "wifiChannel": null,
            "wifiSignalStrength": null,
        })
    };
    let device = |rng: &mut Lcg| {
        json!({
            "captureDeviceName": rng.pick(&["Microphone (Realtek Audio)", "Headset Microphone (Jabra Evolve 75)", "Default input"]),
            "captureDeviceDriver": "Microsoft: 10.0.19041.1",
            "renderDeviceName": rng.pick(&["Speakers (Realtek Audio)", "Headset Earphone (Jabra Evolve 75)"]),
            "renderDeviceDriver": "Microsoft: 10.0.19041.1",
            "cpuInsufficentEventRatio": 0.0,
            "micGlitchRate": rng.below(10) as f64,
            "speakerGlitchRate": rng.below(10) as f64,
            "receivedNoiseLevel": -(rng.below(90) as i64),
            "sentSignalLevel": -(rng.below(30) as i64),
        })
    };
    let sessions: Vec<Value> = (0..1 + rng.below(2))
        .map(|_| {
            let segments: Vec<Value> = (0..1 + rng.below(2))
                .map(|_| {
                    json!({
                        "startDateTime": time(start),
                        "endDateTime": time(start + length),
                        "id": rng.guid(),
                        "caller": endpoint(rng),
                        "callee": endpoint(rng),
                        "failureInfo": null,
                        "media": [{
                            "label": "main-audio",
                            "callerNetwork": network(rng),
                            "callerDevice": device(rng),
                            "calleeNetwork": network(rng),
                            "calleeDevice": device(rng),
                            "streams": [stream(rng, "callerToCallee"), stream(rng, "calleeToCaller")],
                        }],
                    })
                })
                .collect();
            json!({
                "modalities": ["audio"],
                "startDateTime": time(start),
                "endDateTime": time(start + length),
                "isTest": false,
                "id": rng.guid(),
                "caller": endpoint(rng),
                "callee": endpoint(rng),
                "failureInfo": null,
                "segments": segments,
            })
        })
        .collect();
    let participants: Vec<Value> = (0..2 + rng.below(3))
        .map(|_| {
            let identity = user(rng);
            json!({"id": identity["user"]["id"], "identity": identity, "administrativeUnitInfos": []})
        })
        .collect();
    let organizer = participants[0].clone();
    json!({
        "@odata.type": "#microsoft.graph.callRecords.callRecord",
        "version": 1 + rng.below(3),
        "type": rng.pick(&["groupCall", "peerToPeer"]),
        "modalities": ["audio"],
        "lastModifiedDateTime": time(start + length + rng.below(600)),
        "startDateTime": time(start),
        "endDateTime": time(start + length),
        "id": rng.guid(),
        "joinWebUrl": format!("https://teams.microsoft.com/l/meetup-join/19%3ameeting_{}%40thread.v2/0", rng.guid()),
        "organizer_v2": organizer,
        "participants_v2": participants,
        "sessions": sessions,
    })
}

/// Writes a few thousand realistic records, prints the size of the file against the NDJSON they came
/// as, and checks that every piece reads back exactly, also after a reopen with the trained dictionary.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn compression_ratio_and_round_trip() {
    const RECORDS: usize = 4_000;
    let backend = SqliteBackend::new("compression");
    let mut rng = Lcg(0x5eed);
    let users: Vec<(String, String)> = (0..300)
        .map(|i| (rng.guid(), format!("User Number{i}")))
        .collect();
    let mut raw_bytes = 0u64;
    let mut prepared: Vec<PreparedRecord> = Vec::with_capacity(RECORDS);
    for _ in 0..RECORDS {
        let record = synthetic_record(&mut rng, &users);
        raw_bytes += serde_json::to_vec(&record).unwrap().len() as u64 + 1;
        let Value::Object(map) = record else {
            unreachable!()
        };
        prepared.push(callrec_model::prepare::prepare(map));
    }
    let store = backend.open_sqlite();
    let started = Instant::now();
    for (n, chunk) in prepared.chunks(250).enumerate() {
        let outcomes = store
            .put_records("tenant", chunk.to_vec(), WriteCondition::NewerVersion)
            .await
            .unwrap();
        assert_eq!(outcomes.len(), chunk.len());
        if n == 2 {
            // By now enough pieces were offered to train on (at least six a record). The dictionary is
            // trained off the write path; give it the time it needs here so that most
            // of the data below is written with it, as in a long-running service.
            let deadline = Instant::now() + Duration::from_secs(120);
            while store.dictionary_id().is_none() && Instant::now() < deadline {
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
    let elapsed = started.elapsed();
    assert_eq!(
        store.dictionary_id(),
        Some(1),
        "a dictionary was trained and is used"
    );
    let stats = store.stats().await.unwrap();
    assert_eq!(stats.records, RECORDS as u64);
    assert_eq!(stats.disk_bytes, backend.disk_bytes());
    drop(store);

    let disk = backend.disk_bytes();
    let ratio = disk as f64 / raw_bytes as f64;
    println!(
        "sqlite compression: {RECORDS} records, {raw_bytes} bytes of NDJSON ({} per record), {disk} bytes on disk: \
         ratio {ratio:.3}; ingest {:.0} records/s (this build's profile)",
        raw_bytes / RECORDS as u64,
        RECORDS as f64 / elapsed.as_secs_f64()
    );
    // The dictionary is trained on scrubbed copies of the pieces, so it learns the shape of the records
    // but none of the 300 names (which would shrink the file further: 0.24 instead of 0.28 here).
    assert!(
        ratio < 0.3,
        "the file should be a small fraction of the raw JSON, got {ratio:.3}"
    );
    let side = rusqlite::Connection::open(backend.path()).unwrap();
    let dictionary: Vec<u8> = side
        .query_row("SELECT bytes FROM dictionaries WHERE id = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    let text = String::from_utf8_lossy(&dictionary);
    assert!(
        dictionary.len() > 10_000,
        "a real dictionary: {} bytes",
        dictionary.len()
    );
    assert!(
        text.contains("averageJitter"),
        "it learned the records' shape"
    );
    for (_, name) in &users {
        let email = format!("{}@contoso.com", name.to_lowercase().replace(' ', "."));
        assert!(!text.contains(name.as_str()), "the dictionary holds {name}");
        assert!(!text.contains(&email), "the dictionary holds {email}");
    }
    for address in [
        "\"ipAddress\":\"1",
        "00-00-5E-00-53-",
        "203.0.113.",
        "52.114.188.32",
    ] {
        assert!(!text.contains(address), "the dictionary holds {address}");
    }
    drop(side);

    let store = backend.open_sqlite();
    assert_eq!(
        store.dictionary_id(),
        Some(1),
        "the dictionary is kept in the file"
    );
    for record in prepared.iter().step_by(7) {
        let row = store
            .get_record("tenant", &record.id)
            .await
            .unwrap()
            .expect("stored");
        assert_eq!(row.head, record.head);
        assert_eq!(row.organizer, record.organizer);
        let all = Slice {
            offset: 0,
            limit: u32::MAX,
        };
        let sessions = store
            .sessions("tenant", &record.id, all, true)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(sessions.len(), record.sessions.len());
        for (got, want) in sessions.iter().zip(&record.sessions) {
            assert_eq!(
                (&got.head, got.segments.as_ref()),
                (&want.head, Some(&want.segments))
            );
        }
        let participants = store
            .participants("tenant", &record.id, all)
            .await
            .unwrap()
            .unwrap();
        let bodies: Vec<&Vec<u8>> = participants.iter().map(|p| &p.body).collect();
        assert_eq!(
            bodies,
            record
                .participants
                .iter()
                .map(|p| &p.body)
                .collect::<Vec<_>>()
        );
    }
}

/// After every record and row is scrubbed (and the names forgotten), no column SQLite keeps as plain
/// text (participant ids, report names and labels, log-row filter columns, dial-out facts) holds a phone
/// number, a display name or a principal name; and a purge leaves no participant id behind.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scrubbing_leaves_no_personal_text_in_plain_columns() {
    use crate::personal;

    let backend = SqliteBackend::new("scrub-plain-columns");
    let store = backend.open_sqlite();
    let records = personal::write(&store).await;
    let side = rusqlite::Connection::open(backend.path()).unwrap();
    side.busy_timeout(Duration::from_secs(5)).unwrap();
    let plain_text = || -> Vec<String> {
        let mut out = Vec::new();
        for sql in [
            "SELECT value FROM participant_ids",
            "SELECT value FROM quality_names",
            "SELECT label FROM quality_names WHERE label IS NOT NULL",
            "SELECT coalesce(user_principal_name, '') || coalesce(caller_number, '') || coalesce(callee_number, '') FROM log_rows",
            "SELECT coalesce(user_principal_name, '') || coalesce(user_display_name, '') FROM log_dialouts",
        ] {
            let mut stmt = side.prepare(sql).unwrap();
            let values = stmt.query_map([], |r| r.get::<_, String>(0)).unwrap();
            out.extend(values.map(Result::unwrap));
        }
        out
    };
    let before = plain_text();
    assert!(
        personal::personal(&before).len() >= 4,
        "the fixture writes personal text: {before:?}"
    );
    personal::scrub(&store, &records).await;
    assert_eq!(personal::personal(&plain_text()), Vec::<String>::new());
    personal::purge(&store).await;
    let ids: i64 = side
        .query_row("SELECT count(*) FROM participant_ids", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ids, 0, "no participant id outlives the records naming it");
}
