//! Quality reports against a straightforward recount, on records whose every stream is known to be good,
//! poor or unclassified; through replacement, deletion and a building map uploaded after the records.

use std::collections::BTreeMap;

use callrec_model::edm::Ticks;
use callrec_model::prepare::{PreparedRecord, prepare};
use callrec_model::quality::{MediaType, Metric, parse_buildings};
use callrec_model::query::{ListQuery, RecordFilter, RecordOrder};
use callrec_store::quality::{Dimension, Grouping, Only, ReportQuery, ReportRow};
use callrec_store::{Store, WriteCondition};
use serde_json::{Value, json};

use crate::backend::Backend;

const T: &str = "tenant-q";
const DAY: i64 = 86_400;
/// 2024-03-01T00:00:00Z
const EPOCH: i64 = 1_709_251_200;

const USERS: [&str; 5] = ["u0", "u1", "u2", "u3", "u4"];
const SUBNETS: [&str; 4] = ["10.1.1.0", "10.1.2.0", "10.2.0.0", "192.168.0.0"];
const CONNECTIONS: [&str; 3] = ["wired", "wifi", "mobile"];
const PLATFORMS: [&str; 3] = ["windows", "macOS", "android"];
const DEVICES: [&str; 3] = ["Headset A", "Speakers B", "Earbuds C"];

/// One stream the test made, with what it is known to be.
#[derive(Debug, Clone)]
struct Made {
    start: i64,
    media: MediaType,
    /// `Some(true)`: made poor; `Some(false)`: made good; `None`: no metrics.
    poor: Option<bool>,
    user: usize,
    subnet: usize,
    connection: usize,
    platform: usize,
    device: usize,
    jitter_ms: Option<f64>,
}

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

/// A record with one session and one segment between two users, with audio both ways and sometimes
/// video one way; each stream drawn good, poor or without metrics. Returns the record and its streams.
fn make_record(rng: &mut Rng, id: &str, version: i64) -> (Value, Vec<Made>) {
    let start = EPOCH + rng.below(5 * DAY as u64) as i64;
    let caller = rng.below(USERS.len() as u64) as usize;
    let callee = (caller + 1 + rng.below(USERS.len() as u64 - 1) as usize) % USERS.len();
    let seg_start = start + rng.below(120) as i64;
    let endpoint = |u: usize, platform: usize| {
        json!({
            "@odata.type": "#microsoft.graph.callRecords.participantEndpoint",
            "identity": {"user": {"id": USERS[u], "displayName": format!("User {u}")}},
            "userAgent": {"@odata.type": "#microsoft.graph.callRecords.clientUserAgent",
                          "platform": PLATFORMS[platform], "productFamily": "teams", "applicationVersion": format!("1.{platform}")}
        })
    };
    let (caller_platform, callee_platform) = (rng.below(3) as usize, rng.below(3) as usize);
    let (caller_net, callee_net) = (
        (rng.below(4) as usize, rng.below(3) as usize),
        (rng.below(4) as usize, rng.below(3) as usize),
    );
    let (caller_dev, callee_dev) = (rng.below(3) as usize, rng.below(3) as usize);
    let mut made = Vec::new();
    let mut draw = |rng: &mut Rng, media: MediaType, to_callee: bool| -> Value {
        let poor = match rng.below(10) {
            0..=2 => Some(true),
            3..=8 => Some(false),
            _ => None,
        };
        let (user, platform, (subnet, connection), device) = if to_callee {
            (callee, callee_platform, callee_net, callee_dev)
        } else {
            (caller, caller_platform, caller_net, caller_dev)
        };
        let direction = if to_callee {
            "callerToCallee"
        } else {
            "calleeToCaller"
        };
        let jitter = poor.map(|p| {
            if p {
                31 + rng.below(60) as i64
            } else {
                rng.below(31) as i64
            }
        });
        let stream = match (media, poor) {
            (MediaType::Audio, Some(_)) => json!({
                "streamDirection": direction,
                "averageJitter": format!("PT0.{:03}S", jitter.unwrap()),
                "maxJitter": "PT0.2S",
                "averageRoundTripTime": "PT0.1S",
            }),
            (MediaType::Video, Some(p)) => json!({
                "streamDirection": direction,
                "averageReceivedFrameRate": if p { 3.5 } else { 24.0 },
            }),
            _ => json!({"streamDirection": direction}),
        };
        made.push(Made {
            start: seg_start,
            media,
            poor,
            user,
            subnet,
            connection,
            platform,
            device,
            jitter_ms: if media == MediaType::Audio {
                jitter.map(|j| j as f64)
            } else {
                None
            },
        });
        stream
    };
    let audio = vec![
        draw(rng, MediaType::Audio, true),
        draw(rng, MediaType::Audio, false),
    ];
    let mut media = vec![json!({
        "label": "main-audio",
        "callerNetwork": {"subnet": SUBNETS[caller_net.0], "connectionType": CONNECTIONS[caller_net.1]},
        "calleeNetwork": {"subnet": SUBNETS[callee_net.0], "connectionType": CONNECTIONS[callee_net.1]},
        "callerDevice": {"renderDeviceName": DEVICES[caller_dev]},
        "calleeDevice": {"renderDeviceName": DEVICES[callee_dev]},
        "streams": audio,
    })];
    if rng.below(2) == 0 {
        let video = vec![draw(rng, MediaType::Video, true)];
        media.push(json!({
            "label": "main-video",
            "callerNetwork": {"subnet": SUBNETS[caller_net.0], "connectionType": CONNECTIONS[caller_net.1]},
            "calleeNetwork": {"subnet": SUBNETS[callee_net.0], "connectionType": CONNECTIONS[callee_net.1]},
            "callerDevice": {"renderDeviceName": DEVICES[caller_dev]},
            "calleeDevice": {"renderDeviceName": DEVICES[callee_dev]},
            "streams": video,
        }));
    }
    let time = |s: i64| Ticks::from_unix_seconds(s).to_string();
    let record = json!({
        "id": id,
        "version": version,
        "type": "peerToPeer",
        "modalities": ["audio"],
        "startDateTime": time(start),
        "endDateTime": time(start + 600),
        "lastModifiedDateTime": time(start + 900),
        "participants_v2": [{"id": USERS[caller]}, {"id": USERS[callee]}],
        "sessions": [{
            "id": format!("{id}-s"),
            "startDateTime": time(start),
            "endDateTime": time(start + 600),
            "caller": endpoint(caller, caller_platform),
            "callee": endpoint(callee, callee_platform),
            "segments": [{
                "id": format!("{id}-g"),
                "startDateTime": time(seg_start),
                "endDateTime": time(start + 600),
                "media": media,
            }],
        }],
    });
    (record, made)
}

fn prepared(record: Value) -> PreparedRecord {
    let Value::Object(map) = record else {
        unreachable!("records are objects")
    };
    prepare(map)
}

/// What a report row must say, recounted from the made streams.
#[derive(Debug, Default, PartialEq)]
struct Recount {
    good: u64,
    poor: u64,
    unclassified: u64,
    jitter_sum: f64,
    jitter_n: u64,
    jitter_max: Option<f64>,
}

fn recount<'a>(
    streams: impl Iterator<Item = &'a Made>,
    key: impl Fn(&Made) -> Option<String>,
) -> BTreeMap<Option<String>, Recount> {
    let mut out: BTreeMap<Option<String>, Recount> = BTreeMap::new();
    for s in streams {
        let r = out.entry(key(s)).or_default();
        match s.poor {
            Some(true) => r.poor += 1,
            Some(false) => r.good += 1,
            None => r.unclassified += 1,
        }
        if let Some(j) = s.jitter_ms {
            r.jitter_sum += j;
            r.jitter_n += 1;
            r.jitter_max = Some(r.jitter_max.map_or(j, |m: f64| m.max(j)));
        }
    }
    out
}

fn check(rows: &[ReportRow], expected: &BTreeMap<Option<String>, Recount>, what: &str) {
    let got: BTreeMap<Option<String>, &ReportRow> =
        rows.iter().map(|r| (r.key.clone(), r)).collect();
    assert_eq!(
        got.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "{what}: the rows"
    );
    for (key, e) in expected {
        let row = got[key];
        assert_eq!(
            (row.good, row.poor, row.unclassified),
            (e.good, e.poor, e.unclassified),
            "{what}: counts of {key:?}"
        );
        let average = row.average_of(Metric::Jitter);
        match (average, e.jitter_n) {
            (None, 0) => {}
            (Some(a), n) if n > 0 => {
                assert!(
                    (a - e.jitter_sum / n as f64).abs() < 1e-6,
                    "{what}: average jitter of {key:?}: {a}"
                )
            }
            other => panic!("{what}: average jitter of {key:?}: {other:?}"),
        }
        assert_eq!(
            row.maximum[Metric::Jitter.index()],
            e.jitter_max,
            "{what}: max jitter of {key:?}"
        );
        let classified = e.poor + e.good;
        assert_eq!(
            row.poor_rate(),
            (classified > 0).then(|| e.poor as f64 / classified as f64),
            "{what}: poor rate of {key:?}"
        );
        assert_eq!(
            row.poor_by_metric.iter().sum::<u64>(),
            e.poor,
            "{what}: every poor stream has its reason"
        );
    }
}

/// How a test groups a made stream.
type KeyOf = fn(&Made) -> Option<String>;

fn day_key(start: i64) -> Option<String> {
    Some(Ticks::from_unix_seconds(start - start.rem_euclid(DAY)).to_string())
}

fn hour_key(start: i64) -> Option<String> {
    Some(Ticks::from_unix_seconds(start - start.rem_euclid(3600)).to_string())
}

async fn report(
    store: &dyn Store,
    by: Grouping,
    from: i64,
    to: i64,
    media: Option<MediaType>,
    only: Option<Only>,
) -> Vec<ReportRow> {
    store
        .quality_report(
            T,
            &ReportQuery {
                by,
                from: Ticks::from_unix_seconds(from),
                to: Ticks::from_unix_seconds(to),
                media,
                only,
            },
        )
        .await
        .unwrap()
}

/// Every grouping, on whole days and on ranges cut inside hours, checked against the recount.
async fn check_all(store: &dyn Store, streams: &[Made], label: &str) {
    let ranges = [
        (EPOCH - DAY, EPOCH + 7 * DAY),
        (EPOCH + DAY / 3 + 17, EPOCH + 4 * DAY - 3601),
        (EPOCH + 2 * DAY + 5, EPOCH + 2 * DAY + 7000),
    ];
    for (from, to) in ranges {
        let inside = || streams.iter().filter(|s| s.start >= from && s.start < to);
        let what = |g: &str| format!("{label} {g} [{from}, {to})");
        // Twice: the first report builds the days' rollups, the second reads them.
        for pass in 0..2 {
            let what = |g: &str| format!("{} pass {pass}", what(g));
            check(
                &report(store, Grouping::Day, from, to, None, None).await,
                &recount(inside(), |s| day_key(s.start)),
                &what("day"),
            );
            check(
                &report(store, Grouping::Hour, from, to, None, None).await,
                &recount(inside(), |s| hour_key(s.start)),
                &what("hour"),
            );
            check(
                &report(store, Grouping::MediaType, from, to, None, None).await,
                &recount(inside(), |s| Some(s.media.as_str().to_owned())),
                &what("media"),
            );
            let dims: [(Dimension, KeyOf); 6] = [
                (Dimension::User, |s| Some(USERS[s.user].to_owned())),
                (Dimension::Subnet, |s| Some(SUBNETS[s.subnet].to_owned())),
                (Dimension::Connection, |s| {
                    Some(CONNECTIONS[s.connection].to_owned())
                }),
                (Dimension::Platform, |s| {
                    Some(PLATFORMS[s.platform].to_owned())
                }),
                (Dimension::ClientVersion, |s| {
                    Some(format!("teams 1.{}", s.platform))
                }),
                (Dimension::Device, |s| Some(DEVICES[s.device].to_owned())),
            ];
            for (dim, key) in dims {
                check(
                    &report(store, Grouping::Dimension(dim), from, to, None, None).await,
                    &recount(inside(), key),
                    &what(dim.name()),
                );
                check(
                    &report(
                        store,
                        Grouping::Dimension(dim),
                        from,
                        to,
                        Some(MediaType::Audio),
                        None,
                    )
                    .await,
                    &recount(inside().filter(|s| s.media == MediaType::Audio), key),
                    &what(&format!("{} audio", dim.name())),
                );
            }
            check(
                &report(
                    store,
                    Grouping::Day,
                    from,
                    to,
                    None,
                    Some(Only::Dimension(Dimension::User, Some("u2".into()))),
                )
                .await,
                &recount(inside().filter(|s| s.user == 2), |s| day_key(s.start)),
                &what("day of u2"),
            );
            check(
                &report(
                    store,
                    Grouping::Hour,
                    from,
                    to,
                    Some(MediaType::Video),
                    Some(Only::Dimension(Dimension::Platform, Some("android".into()))),
                )
                .await,
                &recount(
                    inside().filter(|s| s.platform == 2 && s.media == MediaType::Video),
                    |s| hour_key(s.start),
                ),
                &what("hour of android video"),
            );
            check(
                &report(
                    store,
                    Grouping::Dimension(Dimension::User),
                    from,
                    to,
                    None,
                    Some(Only::Dimension(Dimension::Connection, Some("wifi".into()))),
                )
                .await,
                &recount(inside().filter(|s| s.connection == 1), |s| {
                    Some(USERS[s.user].to_owned())
                }),
                &what("users on wifi"),
            );
        }
    }
}

pub async fn quality_reports_match_a_recount(backend: &dyn Backend) {
    let store = backend.open().await;
    let mut rng = Rng(7);
    let mut all: BTreeMap<String, Vec<Made>> = BTreeMap::new();
    let mut batch = Vec::new();
    for i in 0..300 {
        let id = format!("q{i:03}");
        let (record, made) = make_record(&mut rng, &id, 1);
        batch.push(prepared(record));
        all.insert(id, made);
    }
    store
        .put_records(T, batch, WriteCondition::NewerVersion)
        .await
        .unwrap();
    let flat =
        |all: &BTreeMap<String, Vec<Made>>| all.values().flatten().cloned().collect::<Vec<_>>();
    let streams = flat(&all);
    assert!(
        streams.iter().filter(|s| s.poor == Some(true)).count() > 100,
        "the data has poor streams"
    );
    // A backend that keeps rollups builds those of the five days ahead of time, once; one that reports
    // straight from the stream rows has nothing to prepare. Either way the reports then agree.
    let units = store.prepare_reports().await.unwrap();
    assert!(
        units == 5 || units == 0,
        "prepared {units} units for five days"
    );
    assert_eq!(store.prepare_reports().await.unwrap(), 0);
    check_all(&*store, &streams, "stored").await;

    // Later versions move and change some records, others go: the built rollups must follow.
    let mut batch = Vec::new();
    for i in (0..300).step_by(7) {
        let id = format!("q{i:03}");
        let (record, made) = make_record(&mut rng, &id, 2);
        batch.push(prepared(record));
        all.insert(id, made);
    }
    store
        .put_records(T, batch, WriteCondition::NewerVersion)
        .await
        .unwrap();
    for i in (3..300).step_by(11) {
        let id = format!("q{i:03}");
        assert!(store.delete_record(T, &id).await.unwrap());
        all.remove(&id);
    }
    // Writes dropped the rollups of their days; the reports rebuild those they need.
    check_all(&*store, &flat(&all), "after replacing and deleting").await;
    assert_eq!(store.prepare_reports().await.unwrap(), 0);

    // A building map uploaded now applies to the streams already stored.
    let map = "10.1.0.0,Tower,16,Tower\n10.1.2.0,Lab,24,Lab\n";
    store
        .put_buildings(T, parse_buildings(map).unwrap())
        .await
        .unwrap();
    assert_eq!(
        store.buildings(T).await.unwrap(),
        parse_buildings(map).unwrap()
    );
    let streams = flat(&all);
    let building = |s: &Made| match s.subnet {
        0 => Some("Tower".to_owned()),
        1 => Some("Lab".to_owned()),
        _ => None,
    };
    let (from, to) = (EPOCH, EPOCH + 5 * DAY);
    check(
        &report(&*store, Grouping::Building, from, to, None, None).await,
        &recount(streams.iter(), building),
        "buildings",
    );
    check(
        &report(
            &*store,
            Grouping::Day,
            from,
            to,
            None,
            Some(Only::Building("Lab".into())),
        )
        .await,
        &recount(streams.iter().filter(|s| s.subnet == 1), |s| {
            day_key(s.start)
        }),
        "days of the lab",
    );
    // Another tenant sees none of it.
    assert!(
        store
            .quality_report(
                "other",
                &ReportQuery {
                    by: Grouping::Day,
                    from: Ticks::from_unix_seconds(from),
                    to: Ticks::from_unix_seconds(to),
                    media: None,
                    only: None
                }
            )
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.buildings("other").await.unwrap().is_empty());

    let totals = store.quality_totals().await.unwrap();
    let e = recount(streams.iter(), |_| None);
    let e = &e[&None];
    assert_eq!(
        (totals.good, totals.poor, totals.unclassified),
        (e.good, e.poor, e.unclassified)
    );
}

pub async fn quality_filter_finds_the_records(backend: &dyn Backend) {
    let store = backend.open().await;
    let mut rng = Rng(11);
    let mut made = BTreeMap::new();
    let mut batch = Vec::new();
    for i in 0..80 {
        let id = format!("f{i:02}");
        let (record, streams) = make_record(&mut rng, &id, 1);
        batch.push(prepared(record));
        made.insert(id, streams);
    }
    store
        .put_records(T, batch, WriteCondition::NewerVersion)
        .await
        .unwrap();
    let verdict = |streams: &[Made], media: Option<MediaType>| {
        let chosen: Vec<&Made> = streams
            .iter()
            .filter(|s| media.is_none_or(|m| s.media == m))
            .collect();
        if chosen.iter().any(|s| s.poor == Some(true)) {
            "poor"
        } else if chosen.iter().any(|s| s.poor == Some(false)) {
            "good"
        } else {
            "unclassified"
        }
    };
    for media in [
        None,
        Some(MediaType::Audio),
        Some(MediaType::Video),
        Some(MediaType::VideoBasedScreenSharing),
    ] {
        for wanted in ["poor", "good", "unclassified"] {
            let filter = RecordFilter::Quality {
                media,
                verdicts: vec![callrec_model::quality::Verdict::parse(wanted).unwrap()],
            };
            let page = store
                .list_records(
                    T,
                    &ListQuery {
                        filter: Some(filter),
                        order: RecordOrder::default(),
                        after: None,
                        limit: 1000,
                        count: true,
                    },
                )
                .await
                .unwrap();
            let mut got: Vec<String> = page.items.iter().map(|r| r.id.clone()).collect();
            got.sort();
            let expected: Vec<String> = made
                .iter()
                .filter(|(_, s)| verdict(s, media) == wanted)
                .map(|(id, _)| id.clone())
                .collect();
            assert_eq!(got, expected, "quality {media:?} eq {wanted}");
            assert_eq!(page.count, Some(expected.len() as u64));
        }
    }
}

/// A two-user call ending at `end`, with audio both ways.
fn named_call(id: &str, end: i64, caller: &str, callee: &str) -> Value {
    let time = |s: i64| Ticks::from_unix_seconds(s).to_string();
    let endpoint = |user: &str| {
        json!({
            "@odata.type": "#microsoft.graph.callRecords.participantEndpoint",
            "identity": {"user": {"id": user, "displayName": format!("Name of {user}")}},
        })
    };
    json!({
        "id": id, "version": 1, "type": "peerToPeer", "modalities": ["audio"],
        "startDateTime": time(end - 600), "endDateTime": time(end), "lastModifiedDateTime": time(end + 60),
        "participants_v2": [{"id": caller}, {"id": callee}],
        "sessions": [{
            "id": format!("{id}-s"), "startDateTime": time(end - 600), "endDateTime": time(end),
            "caller": endpoint(caller), "callee": endpoint(callee),
            "segments": [{
                "id": format!("{id}-g"), "startDateTime": time(end - 600), "endDateTime": time(end),
                "media": [{"label": "main-audio", "streams": [
                    {"streamDirection": "callerToCallee", "averageJitter": "PT0.050S"},
                    {"streamDirection": "calleeToCaller", "averageJitter": "PT0.005S"}
                ]}]
            }]
        }]
    })
}

/// Once the records that ended before a cutoff are scrubbed, a user seen only in them loses the name
/// the reports showed, and keeps its streams; a user also seen later keeps it.
pub async fn scrubbing_forgets_user_names(backend: &dyn Backend) {
    let store = backend.open().await;
    let cutoff = EPOCH + DAY;
    let old = named_call("old", cutoff - 3600, "only-old", "both");
    let new = named_call("new", cutoff + 3600, "both", "only-new");
    store
        .put_records(
            T,
            vec![prepared(old.clone()), prepared(new)],
            WriteCondition::NewerVersion,
        )
        .await
        .unwrap();
    let labels = |rows: Vec<ReportRow>| -> BTreeMap<String, (Option<String>, u64)> {
        rows.into_iter()
            .filter_map(|r| Some((r.key?, (r.label, r.good + r.poor + r.unclassified))))
            .collect()
    };
    let by_user = || {
        report(
            &*store,
            Grouping::Dimension(Dimension::User),
            EPOCH,
            EPOCH + 3 * DAY,
            None,
            None,
        )
    };
    let before = labels(by_user().await);
    assert_eq!(before["only-old"].0.as_deref(), Some("Name of only-old"));
    assert_eq!(before.len(), 3);

    let scrubbed = crate::records::scrubbed(old);
    store
        .put_records(T, vec![scrubbed], WriteCondition::Scrubbing)
        .await
        .unwrap();
    store
        .forget_names_before(Ticks::from_unix_seconds(cutoff))
        .await
        .unwrap();
    let after = labels(by_user().await);
    assert_eq!(
        after["only-old"],
        (None, before["only-old"].1),
        "the name goes, the streams stay"
    );
    assert_eq!(after["both"], before["both"], "seen after the cutoff too");
    assert_eq!(after["only-new"], before["only-new"]);
}

/// The quality cases on SQLite (a PostgreSQL runner will call the same cases).
mod on_sqlite {
    macro_rules! sqlite_quality_cases {
        ($($case:ident),* $(,)?) => {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $case() {
                    let backend = crate::sqlite::SqliteBackend::new(stringify!($case));
                    super::$case(&backend).await;
                }
            )*
        };
    }

    sqlite_quality_cases!(
        quality_reports_match_a_recount,
        quality_filter_finds_the_records,
        scrubbing_forgets_user_names,
    );
}
