//! Tests of the generator as a whole: reproducibility, the mix of calls, time consistency, later
//! versions, identifiers, schema validity and the shape of media quality.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use callrec_model::edm::{Ticks, parse_date_time_offset, parse_duration};
use serde_json::Value;

use super::*;

const SET: u64 = 2000;

fn generator(records: u64, seed: u64) -> Generator {
    Generator::new(GeneratorConfig {
        records,
        seed,
        ..GeneratorConfig::default()
    })
}

fn ndjson(g: &Generator) -> (Vec<u8>, GenerateSummary) {
    let mut out = Vec::new();
    let summary = g.write_ndjson(&mut out, |_| {}).unwrap();
    (out, summary)
}

/// One 2,000-record run shared by the tests: the NDJSON lines, parsed.
fn lines() -> &'static Vec<Value> {
    static LINES: OnceLock<Vec<Value>> = OnceLock::new();
    LINES.get_or_init(|| {
        let (out, summary) = ndjson(&generator(SET, 7));
        assert_eq!(summary.bytes, out.len() as u64);
        let lines: Vec<Value> = out
            .split(|&b| b == b'\n')
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_slice(l).expect("each line is JSON"))
            .collect();
        assert_eq!(lines.len() as u64, summary.records + summary.later_versions);
        lines
    })
}

fn first_versions() -> impl Iterator<Item = &'static Value> {
    lines().iter().filter(|r| r["version"] == 1)
}

fn time(v: &Value) -> Ticks {
    parse_date_time_offset(v.as_str().unwrap_or_default()).unwrap_or_else(|e| panic!("{v}: {e}"))
}

fn is_pstn(r: &Value) -> bool {
    r["participants_v2"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"].as_str().unwrap().starts_with('+'))
        && r["type"] != "groupCall"
}

/// Every stream of a record with the media label and the caller's and callee's networks of its media.
fn streams(r: &Value) -> Vec<(&str, &Value, &Value, &Value)> {
    let mut out = Vec::new();
    for s in r["sessions"].as_array().unwrap() {
        for seg in s["segments"].as_array().unwrap() {
            for m in seg["media"].as_array().unwrap() {
                for st in m["streams"].as_array().unwrap() {
                    out.push((
                        m["label"].as_str().unwrap(),
                        st,
                        &m["callerNetwork"],
                        &m["calleeNetwork"],
                    ));
                }
            }
        }
    }
    out
}

#[test]
fn same_seed_gives_identical_output() {
    let (a, _) = ndjson(&generator(300, 42));
    let (b, _) = ndjson(&generator(300, 42));
    assert!(a.len() > 300 * 1000);
    assert!(a == b, "two runs with seed 42 differ");
    let (c, _) = ndjson(&generator(300, 43));
    assert!(a != c, "seeds 42 and 43 give the same output");
}

#[test]
fn records_are_a_pure_function_of_the_index() {
    let g = generator(SET, 7);
    let firsts: Vec<&Value> = first_versions().collect();
    assert_eq!(firsts.len() as u64, SET);
    for i in [0, 1, 255, 256, 1000, SET - 1] {
        assert_eq!(
            &Value::Object(g.record(i)),
            firsts[i as usize],
            "record {i}"
        );
    }
    // The order of first versions follows the index, and each later version comes after its first.
    let mut seen = HashSet::new();
    for r in lines() {
        let id = r["id"].as_str().unwrap();
        if r["version"] == 1 {
            assert!(seen.insert(id), "{id} appears twice as version 1");
        } else {
            assert!(
                seen.contains(id),
                "version 2 of {id} comes before version 1"
            );
        }
    }
}

#[test]
fn the_mix_of_calls_is_realistic() {
    let (mut p2p, mut group, mut pstn, mut failed, mut video, mut sharing, mut large) =
        (0, 0, 0, 0, 0, 0, 0);
    let mut meetings_with_url = 0;
    for r in first_versions() {
        let modalities: Vec<&str> = r["modalities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m.as_str().unwrap())
            .collect();
        if is_pstn(r) {
            pstn += 1;
        } else if r["type"] == "peerToPeer" {
            p2p += 1;
            assert_eq!(r["sessions"].as_array().unwrap().len(), 1);
        } else {
            assert_eq!(r["type"], "groupCall");
            group += 1;
            if let Some(url) = r["joinWebUrl"].as_str() {
                assert!(
                    url.starts_with("https://teams.microsoft.com/l/meetup-join/19%3ameeting_"),
                    "{url}"
                );
                meetings_with_url += 1;
            }
        }
        let sessions = r["sessions"].as_array().unwrap();
        if sessions.iter().any(|s| !s["failureInfo"].is_null()) {
            failed += 1;
        }
        video += usize::from(modalities.contains(&"video"));
        sharing += usize::from(modalities.contains(&"videoBasedScreenSharing"));
        let participants = r["participants_v2"].as_array().unwrap().len();
        if sessions.len() > 60 && participants > 130 {
            large += 1;
            assert_eq!(
                r["participants"].as_array().unwrap().len(),
                130,
                "the deprecated list is capped"
            );
        }
    }
    let share = |n: usize| n as f64 / SET as f64;
    assert!(
        (0.55..0.65).contains(&share(p2p)),
        "peer-to-peer share {}",
        share(p2p)
    );
    assert!(
        (0.25..0.35).contains(&share(group)),
        "group share {}",
        share(group)
    );
    assert!(
        (0.07..0.13).contains(&share(pstn)),
        "PSTN share {}",
        share(pstn)
    );
    assert!(
        (0.015..0.06).contains(&share(failed)),
        "failed share {}",
        share(failed)
    );
    assert!(
        meetings_with_url > group / 2,
        "{meetings_with_url} of {group} group calls have a join URL"
    );
    assert!(
        video > 50 && sharing > 50,
        "video {video}, screen sharing {sharing}"
    );
    assert!(
        large >= 1,
        "no record with more than 60 sessions and 130 participants"
    );
}

#[test]
fn times_are_consistent() {
    let config = GeneratorConfig::default();
    let period_end = Ticks(
        config.start.0 + i64::from(config.days) * 86_400 * 10_000_000 + 3 * 3600 * 10_000_000,
    );
    let mut last_start = Ticks(0);
    for r in lines() {
        let (start, end, modified) = (
            time(&r["startDateTime"]),
            time(&r["endDateTime"]),
            time(&r["lastModifiedDateTime"]),
        );
        assert!(start < end && end < modified, "{}", r["id"]);
        assert!(
            start >= config.start && end < period_end,
            "{} outside the period",
            r["id"]
        );
        for s in r["sessions"].as_array().unwrap() {
            let (ss, se) = (time(&s["startDateTime"]), time(&s["endDateTime"]));
            assert!(
                start <= ss && ss < se && se <= end,
                "session of {}",
                r["id"]
            );
            for seg in s["segments"].as_array().unwrap() {
                let (gs, ge) = (time(&seg["startDateTime"]), time(&seg["endDateTime"]));
                assert!(ss <= gs && gs < ge && ge <= se, "segment of {}", r["id"]);
            }
        }
        for (_, st, _, _) in streams(r) {
            if !st["startDateTime"].is_null() {
                assert!(start <= time(&st["startDateTime"]) && time(&st["endDateTime"]) <= end);
            }
        }
        if r["version"] == 1 {
            // Records come out roughly in time order, like a feed (meetings snap to their slot).
            assert!(
                start.0 > last_start.0 - 45 * 60 * 10_000_000,
                "{} far out of order",
                r["id"]
            );
            last_start = last_start.max(start);
        }
    }
}

#[test]
fn later_versions_add_telemetry() {
    let firsts: HashMap<&str, &Value> = first_versions()
        .map(|r| (r["id"].as_str().unwrap(), r))
        .collect();
    let nulls = |r: &Value| {
        streams(r)
            .iter()
            .filter(|(_, st, _, _)| st["averageRoundTripTime"].is_null())
            .count()
    };
    let mut count = 0;
    for v2 in lines().iter().filter(|r| r["version"] != 1) {
        count += 1;
        let v1 = firsts[v2["id"].as_str().unwrap()];
        assert!(v2["version"].as_i64() > v1["version"].as_i64());
        assert!(time(&v2["lastModifiedDateTime"]) > time(&v1["lastModifiedDateTime"]));
        assert_eq!(v1["startDateTime"], v2["startDateTime"]);
        assert_eq!(v1["participants_v2"], v2["participants_v2"]);
        assert_eq!(streams(v1).len(), streams(v2).len());
        assert!(
            nulls(v2) < nulls(v1),
            "version 2 of {} fills no stream metrics",
            v1["id"]
        );
    }
    assert!(
        (120..300).contains(&count),
        "{count} later versions in {SET} records"
    );
    // `later_version` gives the same text as the stream.
    let g = generator(SET, 7);
    let i = (0..SET).find(|&i| g.later_version(i).is_some()).unwrap();
    let id = g.record(i)["id"].clone();
    let streamed = lines().iter().find(|r| r["version"] == 2 && r["id"] == id);
    assert_eq!(g.later_version(i).map(Value::Object).as_ref(), streamed);
}

#[test]
fn identifiers_are_unique_and_people_are_stable() {
    let mut ids = HashSet::new();
    for r in first_versions() {
        assert!(
            ids.insert(r["id"].as_str().unwrap()),
            "duplicate id {}",
            r["id"]
        );
    }
    // The same person calls from the same few devices throughout.
    let mut devices: HashMap<&str, HashSet<&str>> = HashMap::new();
    let mut calls: HashMap<&str, usize> = HashMap::new();
    for r in first_versions() {
        for s in r["sessions"].as_array().unwrap() {
            for ep in [&s["caller"], &s["callee"]] {
                if let (Some(id), Some(name)) =
                    (ep["associatedIdentity"]["id"].as_str(), ep["name"].as_str())
                {
                    devices.entry(id).or_default().insert(name);
                    *calls.entry(id).or_default() += 1;
                }
            }
        }
    }
    let busiest = calls
        .iter()
        .max_by_key(|(_, n)| **n)
        .map(|(id, n)| (*id, *n))
        .unwrap();
    assert!(
        busiest.1 >= 10,
        "the busiest person has only {} sessions",
        busiest.1
    );
    assert!(
        devices.values().all(|names| names.len() <= 2),
        "someone used more than a laptop and a phone"
    );
}

#[test]
fn every_record_validates_against_the_schema() {
    for r in lines() {
        let report = callrec_model::validate::validate_call_record(r)
            .unwrap_or_else(|e| panic!("{} version {}: {e}", r["id"], r["version"]));
        // Graph puts `tenantId` and `userPrincipalName` on identities whose declared type lacks them (see
        // the documentation's examples), and feedback tokens are dynamic properties of an open type; the
        // validator keeps both and says so. Nothing else may be reported.
        for w in &report.warnings {
            let open_type = w
                .message
                .contains("not declared by microsoft.graph.identity;")
                || w.message
                    .contains("not declared by microsoft.graph.callRecords.feedbackTokenSet;");
            assert!(
                w.message.starts_with("unknown property") && open_type,
                "{} version {}: {w}",
                r["id"],
                r["version"]
            );
        }
    }
}

/// Whether an audio stream is poor by the Call Quality Dashboard's thresholds.
fn poor_audio(st: &Value) -> bool {
    let ms = |v: &Value| {
        v.as_str()
            .map_or(0, |s| parse_duration(s).unwrap() / 10_000)
    };
    let f = |v: &Value| v.as_f64().unwrap_or(0.0);
    f(&st["averageAudioDegradation"]) > 1.0
        || ms(&st["averageRoundTripTime"]) > 500
        || f(&st["averagePacketLossRate"]) > 0.1
        || ms(&st["averageJitter"]) > 30
        || f(&st["averageRatioOfConcealedSamples"]) > 0.07
}

#[test]
fn media_quality_is_mostly_good_and_worse_off_wired_networks() {
    let mut by_conn: HashMap<&str, (usize, usize)> = HashMap::new();
    let (mut video, mut poor_video) = (0, 0);
    for r in first_versions() {
        for (label, st, caller, callee) in streams(r) {
            if st["averageRoundTripTime"].is_null() {
                continue;
            }
            // The client side of the stream decides the class (service networks have no subnet).
            let client = if caller["subnet"].is_null() {
                callee
            } else {
                caller
            };
            let conn = client["connectionType"].as_str().unwrap();
            if label == "main-audio" {
                let e = by_conn.entry(conn).or_default();
                e.0 += 1;
                e.1 += usize::from(poor_audio(st));
            } else if label == "main-video" {
                video += 1;
                let f = |k: &str| st[k].as_f64().unwrap();
                poor_video += usize::from(
                    f("averageVideoFrameLossPercentage") > 50.0
                        || f("averageReceivedFrameRate") < 7.0
                        || f("postForwardErrorCorrectionPacketLossRate") > 0.15,
                );
            }
        }
    }
    let rate = |c: &str| {
        by_conn
            .get(c)
            .map_or(0.0, |(n, p)| *p as f64 / (*n).max(1) as f64)
    };
    let (total, poor) = by_conn.values().fold((0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
    let overall = poor as f64 / total as f64;
    assert!(
        (0.01..0.12).contains(&overall),
        "poor audio overall {overall}"
    );
    assert!(
        rate("wired") < rate("wifi") && rate("wifi") < rate("mobile"),
        "{by_conn:?}"
    );
    assert!(
        (0.01..0.06).contains(&rate("wired")),
        "wired {}",
        rate("wired")
    );
    let video_rate = poor_video as f64 / video.max(1) as f64;
    assert!(
        video > 200 && (0.005..0.12).contains(&video_rate),
        "poor video {poor_video} of {video}"
    );
}

#[test]
fn wifi_details_only_on_wifi_and_device_problems_are_rare() {
    let (mut devices, mut render_failures) = (0, 0);
    for r in first_versions().take(500) {
        for s in r["sessions"].as_array().unwrap() {
            for seg in s["segments"].as_array().unwrap() {
                for m in seg["media"].as_array().unwrap() {
                    for net in [&m["callerNetwork"], &m["calleeNetwork"]] {
                        let wifi = net["connectionType"] == "wifi";
                        assert_eq!(net["wifiBand"] != "unknown", wifi, "{net}");
                        assert_eq!(net["wifiSignalStrength"].is_null(), !wifi);
                    }
                    for dev in [&m["callerDevice"], &m["calleeDevice"]] {
                        if let Some(ratio) = dev["renderNotFunctioningEventRatio"].as_f64() {
                            devices += 1;
                            render_failures += usize::from(ratio >= 0.005);
                        }
                    }
                }
            }
        }
    }
    assert!(devices > 1000);
    assert!(
        (render_failures as f64) < devices as f64 * 0.03,
        "{render_failures} of {devices}"
    );
}

#[test]
fn tiny_and_empty_runs_work() {
    let (out, summary) = ndjson(&generator(0, 1));
    assert!(out.is_empty() && summary == GenerateSummary::default());
    for users in [0, 1, 2, 3] {
        let g = Generator::new(GeneratorConfig {
            records: 40,
            users,
            days: 0,
            ..GeneratorConfig::default()
        });
        let (out, summary) = ndjson(&g);
        assert_eq!(summary.records, 40);
        for line in out.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
            let r: Value = serde_json::from_slice(line).unwrap();
            callrec_model::validate::validate_call_record(&r)
                .unwrap_or_else(|e| panic!("{users} users: {e}"));
        }
    }
}

#[test]
fn progress_is_reported_up_to_the_total() {
    let mut seen = Vec::new();
    generator(600, 3)
        .write_ndjson(std::io::sink(), |n| seen.push(n))
        .unwrap();
    assert_eq!(seen.last(), Some(&600));
    assert!(seen.windows(2).all(|w| w[0] < w[1]), "{seen:?}");
}

#[test]
fn records_generated_differently_never_share_ids() {
    let ids = |config: GeneratorConfig| -> HashSet<String> {
        let g = Generator::new(config);
        (0..50)
            .map(|i| g.record(i)["id"].as_str().expect("id").to_owned())
            .collect()
    };
    let base = GeneratorConfig {
        records: 50,
        ..GeneratorConfig::default()
    };
    let same = ids(base.clone());
    assert_eq!(
        same,
        ids(base.clone()),
        "the same configuration gives the same ids"
    );
    for other in [
        GeneratorConfig {
            start: Ticks(base.start.0 + 86_400 * 10_000_000),
            ..base.clone()
        },
        GeneratorConfig {
            days: base.days + 1,
            ..base.clone()
        },
        GeneratorConfig {
            records: 51,
            ..base.clone()
        },
        GeneratorConfig {
            seed: 2,
            ..base.clone()
        },
    ] {
        let differ = ids(other);
        assert!(
            same.is_disjoint(&differ),
            "a different start, span, count or seed shares ids"
        );
    }
}
