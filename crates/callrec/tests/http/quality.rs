//! Call quality over HTTP: reports in JSON and CSV checked against a recount of records made with known
//! metrics, the links of their rows, the `quality` `$filter`, the building map, and `/metrics`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use crate::support::TestServer;

/// One made stream: the user receiving it, its subnet, media, and whether it was made poor.
#[derive(Debug, Clone)]
struct Made {
    record: String,
    day: u32,
    user: String,
    subnet: &'static str,
    video: bool,
    poor: bool,
}

const SUBNETS: [&str; 3] = ["10.10.1.0", "10.10.2.0", "172.16.5.0"];

fn endpoint(user: &str) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.callRecords.participantEndpoint",
        "identity": {"user": {"id": user, "displayName": format!("Name of {user}"), "tenantId": null}},
        "userAgent": {"@odata.type": "#microsoft.graph.callRecords.clientUserAgent", "platform": "windows",
                      "productFamily": "teams", "applicationVersion": "1.0", "headerValue": null},
        "feedback": null
    })
}

/// A record of day `day` of January 2025 between two users: audio to the callee (poor when `poor_audio`)
/// and, when `video` is given, video to the caller (poor when it is `Some(true)`).
fn make(
    i: usize,
    day: u32,
    caller: &str,
    callee: &str,
    poor_audio: bool,
    video: Option<bool>,
) -> (Value, Vec<Made>) {
    let id = format!("rec-{i:03}");
    let start = format!("2025-01-{day:02}T10:{:02}:00Z", i % 60);
    let end = format!("2025-01-{day:02}T11:{:02}:00Z", i % 60);
    let subnet = SUBNETS[i % SUBNETS.len()];
    let network = json!({"subnet": subnet, "connectionType": "wired"});
    let mut media = vec![json!({
        "label": "main-audio",
        "callerNetwork": network, "calleeNetwork": network,
        "streams": [{"streamId": "1", "streamDirection": "callerToCallee",
                     "averageJitter": if poor_audio { "PT0.045S" } else { "PT0.012S" },
                     "averagePacketLossRate": 0.01}]
    })];
    let mut made = vec![Made {
        record: id.clone(),
        day,
        user: callee.into(),
        subnet,
        video: false,
        poor: poor_audio,
    }];
    if let Some(poor) = video {
        media.push(json!({
            "label": "main-video",
            "callerNetwork": network, "calleeNetwork": network,
            "streams": [{"streamId": "2", "streamDirection": "calleeToCaller",
                         "averageReceivedFrameRate": if poor { 4.0 } else { 25.0 }}]
        }));
        made.push(Made {
            record: id.clone(),
            day,
            user: caller.into(),
            subnet,
            video: true,
            poor,
        });
    }
    let record = json!({
        "id": id,
        "version": 1,
        "type": "peerToPeer",
        "modalities": ["audio"],
        "lastModifiedDateTime": end,
        "startDateTime": start,
        "endDateTime": end,
        "joinWebUrl": null,
        "organizer": null,
        "participants": [],
        "organizer_v2": null,
        "participants_v2": [
            {"id": caller, "identity": {"user": {"id": caller, "displayName": caller, "tenantId": null}}, "administrativeUnitInfos": []},
            {"id": callee, "identity": {"user": {"id": callee, "displayName": callee, "tenantId": null}}, "administrativeUnitInfos": []}
        ],
        "sessions": [{
            "id": format!("{id}-s"),
            "modalities": ["audio"],
            "startDateTime": start,
            "endDateTime": end,
            "isTest": false,
            "caller": endpoint(caller),
            "callee": endpoint(callee),
            "failureInfo": null,
            "segments": [{
                "id": format!("{id}-g"),
                "startDateTime": start,
                "endDateTime": end,
                "caller": endpoint(caller),
                "callee": endpoint(callee),
                "failureInfo": null,
                "media": media
            }]
        }]
    });
    (record, made)
}

/// 60 records over five days among four users; every fourth audio stream and every third video stream
/// is poor.
fn data_set() -> (Vec<Value>, Vec<Made>) {
    let users = ["alice", "bob", "carol", "dave"];
    let mut records = Vec::new();
    let mut made = Vec::new();
    for i in 0..60 {
        let caller = users[i % 4];
        let callee = users[(i / 4 + i + 1) % 4];
        let video = (i % 2 == 0).then_some(i % 3 == 0);
        let (r, m) = make(i, 1 + (i % 5) as u32, caller, callee, i % 4 == 0, video);
        records.push(r);
        made.extend(m);
    }
    (records, made)
}

fn server_with_data() -> (TestServer, Vec<Made>) {
    let server = TestServer::start();
    let (records, made) = data_set();
    let summary = server.ingest_bulk(&records);
    assert_eq!(summary["imported"], 60, "{summary}");
    (server, made)
}

/// (good, poor) of the made streams, by key.
fn recount(
    made: &[Made],
    key: impl Fn(&Made) -> Option<String>,
) -> BTreeMap<Option<String>, (u64, u64)> {
    let mut out: BTreeMap<Option<String>, (u64, u64)> = BTreeMap::new();
    for m in made {
        let e = out.entry(key(m)).or_default();
        if m.poor {
            e.1 += 1;
        } else {
            e.0 += 1;
        }
    }
    out
}

fn rows_of(body: &Value) -> BTreeMap<Option<String>, (u64, u64)> {
    body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            assert_eq!(r["unclassified"], 0, "{r}");
            (
                r["key"].as_str().map(str::to_owned),
                (r["good"].as_u64().unwrap(), r["poor"].as_u64().unwrap()),
            )
        })
        .collect()
}

const RANGE: &str = "from=2025-01-01&to=2025-01-06";

#[test]
fn reports_by_day_user_and_media_match_a_recount() {
    let (server, made) = server_with_data();
    let reply = server.get(&format!("/callrec/reports/quality?by=day&{RANGE}"));
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert!(
        reply
            .header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    let body = reply.json();
    assert_eq!(
        rows_of(&body),
        recount(&made, |m| Some(format!("2025-01-{:02}T00:00:00Z", m.day)))
    );
    let poor = made.iter().filter(|m| m.poor).count() as u64;
    assert_eq!(body["totals"]["poor"], poor);
    assert_eq!(body["totals"]["streams"], made.len() as u64);
    let rate = body["totals"]["poorRate"].as_f64().unwrap();
    assert!(
        (rate - poor as f64 / made.len() as f64).abs() < 1e-6,
        "{rate}"
    );
    // The reason of the poor audio streams, and the average jitter beside its maximum.
    let day1 = &body["rows"][0];
    assert_eq!(day1["start"], "2025-01-01T00:00:00Z");
    assert_eq!(day1["end"], "2025-01-02T00:00:00Z");
    let audio1: Vec<&Made> = made.iter().filter(|m| m.day == 1 && !m.video).collect();
    let poor_audio1 = audio1.iter().filter(|m| m.poor).count() as u64;
    assert_eq!(
        day1["poorReasons"]["averageJitter"].as_u64().unwrap_or(0),
        poor_audio1
    );
    let expected_jitter = audio1
        .iter()
        .map(|m| if m.poor { 45.0 } else { 12.0 })
        .sum::<f64>()
        / audio1.len() as f64;
    assert!(
        (day1["averages"]["averageJitter"].as_f64().unwrap() - expected_jitter).abs() < 1e-6,
        "{day1}"
    );
    let max = if poor_audio1 > 0 { 45.0 } else { 12.0 };
    assert_eq!(day1["maximums"]["averageJitter"].as_f64().unwrap(), max);

    let body = server
        .get(&format!(
            "/callrec/reports/quality?by=user&{RANGE}&mediaType=video"
        ))
        .json();
    let video: Vec<Made> = made.iter().filter(|m| m.video).cloned().collect();
    assert_eq!(rows_of(&body), recount(&video, |m| Some(m.user.clone())));
    assert_eq!(
        body["rows"][0]["label"],
        format!("Name of {}", body["rows"][0]["key"].as_str().unwrap())
    );

    let body = server
        .get(&format!("/callrec/reports/quality?by=mediaType&{RANGE}"))
        .json();
    assert_eq!(
        rows_of(&body),
        recount(&made, |m| Some(
            if m.video { "video" } else { "audio" }.to_owned()
        ))
    );

    // Worst users first, by poor rate.
    let body = server
        .get(&format!(
            "/callrec/reports/quality?by=user&{RANGE}&order=worst&top=2"
        ))
        .json();
    let counts = recount(&made, |m| Some(m.user.clone()));
    let mut rates: Vec<(f64, String)> = counts
        .iter()
        .map(|(k, (g, p))| (*p as f64 / (g + p) as f64, k.clone().unwrap()))
        .collect();
    rates.sort_by(|a, b| b.0.total_cmp(&a.0));
    let keys: Vec<&str> = body["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys.len(), 2);
    assert_eq!(keys[0], rates[0].1);
    // The totals are the range's, not the two rows'.
    assert_eq!(
        body["totals"]["streams"],
        made.len() as u64,
        "{}",
        body["totals"]
    );
    assert_eq!(
        body["totals"]["poor"],
        made.iter().filter(|m| m.poor).count() as u64
    );

    // A user's trend by day.
    let body = server
        .get(&format!("/callrec/reports/quality?by=day&{RANGE}&user=bob"))
        .json();
    let bob: Vec<Made> = made.iter().filter(|m| m.user == "bob").cloned().collect();
    assert_eq!(
        rows_of(&body),
        recount(&bob, |m| Some(format!("2025-01-{:02}T00:00:00Z", m.day)))
    );
}

#[test]
fn reports_as_csv() {
    let (server, made) = server_with_data();
    for (path, headers) in [
        (
            format!("/callrec/reports/quality?by=subnet&{RANGE}"),
            vec![("accept", "text/csv")],
        ),
        (
            format!("/callrec/reports/quality?by=subnet&{RANGE}&format=csv"),
            vec![],
        ),
    ] {
        let reply = server.get_with(&path, &headers);
        assert_eq!(reply.status, 200, "{}", reply.text);
        assert_eq!(
            reply.header("content-type"),
            Some("text/csv; charset=utf-8")
        );
        let mut lines = reply.text.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let col = |name: &str| {
            header
                .iter()
                .position(|h| *h == name)
                .unwrap_or_else(|| panic!("{name} in {header:?}"))
        };
        let got: BTreeMap<Option<String>, (u64, u64)> = lines
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (
                    Some(f[col("key")].to_owned()),
                    (
                        f[col("good")].parse().unwrap(),
                        f[col("poor")].parse().unwrap(),
                    ),
                )
            })
            .collect();
        assert_eq!(got, recount(&made, |m| Some(m.subnet.to_owned())));
        assert!(
            header.contains(&"avg_averageJitter") && header.contains(&"max_averageJitter"),
            "{header:?}"
        );
    }
}

#[test]
fn each_row_links_to_its_poor_records() {
    let (server, made) = server_with_data();
    let body = server
        .get(&format!(
            "/callrec/reports/quality?by=user&{RANGE}&mediaType=audio"
        ))
        .json();
    for row in body["rows"].as_array().unwrap() {
        let user = row["key"].as_str().unwrap();
        let link = row["records"].as_str().unwrap();
        let reply = server.get(link);
        assert_eq!(reply.status, 200, "{link}: {}", reply.text);
        let got: BTreeSet<String> = reply.json()["value"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_owned())
            .collect();
        // The records where this user received poor audio are all there; every record listed is a call of
        // the user with poor audio.
        let expected: BTreeSet<String> = made
            .iter()
            .filter(|m| m.user == user && !m.video && m.poor)
            .map(|m| m.record.clone())
            .collect();
        assert!(expected.is_subset(&got), "{user}: {expected:?} in {got:?}");
        let poor_audio: BTreeSet<&String> = made
            .iter()
            .filter(|m| !m.video && m.poor)
            .map(|m| &m.record)
            .collect();
        assert!(
            got.iter().all(|id| poor_audio.contains(id)),
            "{user}: {got:?}"
        );
        assert_eq!(row["poor"].as_u64().unwrap(), expected.len() as u64);
    }
}

fn list_ids(server: &TestServer, filter: &str) -> BTreeSet<String> {
    let reply = server.get(&format!(
        "/v1.0/communications/callRecords?$top=1000&$filter={}",
        percent_encoding::utf8_percent_encode(filter, percent_encoding::NON_ALPHANUMERIC)
    ));
    assert_eq!(reply.status, 200, "{filter}: {}", reply.text);
    reply.json()["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn quality_filter_on_the_list() {
    let (server, made) = server_with_data();
    let records: BTreeSet<String> = made.iter().map(|m| m.record.clone()).collect();
    let poor = |pred: &dyn Fn(&Made) -> bool| -> BTreeSet<String> {
        made.iter()
            .filter(|m| pred(m) && m.poor)
            .map(|m| m.record.clone())
            .collect()
    };
    let any_poor = poor(&|_| true);
    assert!(!any_poor.is_empty() && any_poor.len() < records.len());
    assert_eq!(list_ids(&server, "quality eq 'poor'"), any_poor);
    assert_eq!(
        list_ids(&server, "quality ne 'poor'"),
        records.difference(&any_poor).cloned().collect()
    );
    assert_eq!(
        list_ids(&server, "quality/video eq 'poor'"),
        poor(&|m| m.video)
    );
    let with_video: BTreeSet<String> = made
        .iter()
        .filter(|m| m.video)
        .map(|m| m.record.clone())
        .collect();
    assert_eq!(
        list_ids(&server, "quality/video eq 'unclassified'"),
        records.difference(&with_video).cloned().collect()
    );
    assert_eq!(
        list_ids(
            &server,
            "quality/audio eq 'poor' and startDateTime ge 2025-01-03T00:00:00Z"
        ),
        made.iter()
            .filter(|m| !m.video && m.poor && m.day >= 3)
            .map(|m| m.record.clone())
            .collect()
    );
    let message = server
        .get("/v1.0/communications/callRecords?$filter=quality%20eq%20'awful'")
        .assert_error(400, "BadRequest");
    assert!(message.contains("not a quality verdict"), "{message}");
}

#[test]
fn building_map_upload_and_report() {
    let (server, made) = server_with_data();
    // CQD's header-less file: NetworkIP, NetworkName, NetworkRange, BuildingName, ...
    let file = "10.10.0.0,HQ network,16,HQ,Contoso,Office,,Seattle\n10.10.2.0,Lab network,24,Lab\n";
    let reply = server.send(
        "PUT",
        "/callrec/buildings",
        file,
        &[("content-type", "text/csv")],
    );
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert_eq!(reply.json()["buildings"], 2);
    let csv = server.get_with("/callrec/buildings", &[("accept", "text/csv")]);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    let lines: Vec<&str> = csv.text.lines().collect();
    assert!(
        lines[0].starts_with("NetworkIP,NetworkName,NetworkRange,BuildingName"),
        "{}",
        csv.text
    );
    assert!(
        lines[1].starts_with("10.10.0.0,HQ network,16,HQ,Contoso,Office,,Seattle"),
        "{}",
        csv.text
    );
    let json = server.get("/callrec/buildings").json();
    assert_eq!(json["value"][1]["BuildingName"], "Lab");
    assert_eq!(json["value"][0]["City"], "Seattle");

    let body = server
        .get(&format!("/callrec/reports/quality?by=building&{RANGE}"))
        .json();
    let building = |m: &Made| match m.subnet {
        "10.10.1.0" => Some("HQ".to_owned()),
        "10.10.2.0" => Some("Lab".to_owned()),
        _ => None,
    };
    assert_eq!(rows_of(&body), recount(&made, building));
    let body = server
        .get(&format!(
            "/callrec/reports/quality?by=day&{RANGE}&building=Lab"
        ))
        .json();
    let lab: Vec<Made> = made
        .iter()
        .filter(|m| m.subnet == "10.10.2.0")
        .cloned()
        .collect();
    assert_eq!(
        rows_of(&body),
        recount(&lab, |m| Some(format!("2025-01-{:02}T00:00:00Z", m.day)))
    );

    let message = server
        .send(
            "PUT",
            "/callrec/buildings",
            "10.0.0.0,x,40,B\n",
            &[("content-type", "text/csv")],
        )
        .assert_error(400, "invalidRequest");
    assert!(message.contains("line 1"), "{message}");
    // The map in place stays.
    assert_eq!(
        server.get("/callrec/buildings").json()["value"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[test]
fn report_parameters_are_checked() {
    let server = TestServer::start();
    for (query, needle) in [
        ("by=week", "by 'week'"),
        ("days=500", "days '500'"),
        ("from=2025-02-01&to=2025-01-01", "must be before"),
        ("user=a&platform=b", "one of user"),
        ("nonsense=1", "'nonsense' is not a parameter"),
    ] {
        let message = server
            .get(&format!("/callrec/reports/quality?{query}"))
            .assert_error(400, "BadRequest");
        assert!(message.contains(needle), "{query}: {message}");
    }
    // Nothing stored: a report with no rows.
    let body = server.get("/callrec/reports/quality?by=day&days=7").json();
    assert_eq!(body["rows"], json!([]));
    assert_eq!(body["totals"]["streams"], 0);
    let t = server.get("/callrec/reports/quality/thresholds").json();
    assert_eq!(t["audio"]["jitterMs"], 30.0);
    assert_eq!(t["videoBasedScreenSharing"]["receivedFrameRate"], 2.0);
}

#[test]
fn metrics_in_prometheus_format() {
    let (server, made) = server_with_data();
    assert_eq!(
        server
            .get("/v1.0/communications/callRecords/rec-001")
            .status,
        200
    );
    assert_eq!(
        server.get("/v1.0/communications/callRecords/nope").status,
        404
    );
    let reply = server.get("/metrics");
    assert_eq!(reply.status, 200, "{}", reply.text);
    assert!(
        reply
            .header("content-type")
            .unwrap()
            .starts_with("text/plain; version=0.0.4")
    );
    let text = reply.text;
    let value = |series: &str| -> u64 {
        text.lines()
            .find_map(|l| {
                l.strip_prefix(series)
                    .and_then(|rest| rest.strip_prefix(' '))
            })
            .unwrap_or_else(|| panic!("{series} in\n{text}"))
            .parse()
            .unwrap()
    };
    assert_eq!(value("callrec_records"), 60);
    let poor = made.iter().filter(|m| m.poor).count() as u64;
    assert_eq!(value("callrec_streams{class=\"poor\"}"), poor);
    assert_eq!(
        value("callrec_streams{class=\"good\"}"),
        made.len() as u64 - poor
    );
    assert!(value("callrec_store_bytes") > 0);
    let route = "route=\"/v1.0/communications/callRecords/{id}\"";
    assert_eq!(
        value(&format!(
            "callrec_http_requests_total{{method=\"GET\",{route},status=\"200\"}}"
        )),
        1
    );
    assert_eq!(
        value(&format!(
            "callrec_http_requests_total{{method=\"GET\",{route},status=\"404\"}}"
        )),
        1
    );
    assert_eq!(
        value(&format!(
            "callrec_http_request_duration_seconds_count{{method=\"GET\",{route}}}"
        )),
        2
    );
    assert_eq!(
        value(
            "callrec_http_requests_total{method=\"POST\",route=\"/callrec/import\",status=\"200\"}"
        ),
        1
    );
    assert!(text.contains("# TYPE callrec_http_request_duration_seconds histogram"));
}
