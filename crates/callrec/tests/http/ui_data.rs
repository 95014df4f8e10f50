//! Call records for the web UI's browser tests and for `examples/ui_screenshots.rs` (which includes this
//! file): endpoints, segments with audio streams of a chosen jitter, and a meeting of many sessions.

use serde_json::{Value, json};

/// The UTC date `days` days before today, as `YYYY-MM-DD`.
pub fn day(days: i64) -> String {
    let date = time::OffsetDateTime::now_utc().date() - time::Duration::days(days);
    date.to_string()
}

pub fn endpoint((id, name): (&str, &str)) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.callRecords.participantEndpoint",
        "identity": {"user": {"id": id, "displayName": name, "tenantId": null}},
        "userAgent": {"@odata.type": "#microsoft.graph.callRecords.clientUserAgent", "platform": "windows",
                      "productFamily": "teams", "applicationVersion": "1.0", "headerValue": null},
        "feedback": null
    })
}

pub fn participant((id, name): (&str, &str)) -> Value {
    json!({"id": id, "identity": {"user": {"id": id, "displayName": name, "tenantId": null}}, "administrativeUnitInfos": []})
}

/// A segment of `caller` and `callee` with audio both ways: `jitter_ms` to the callee, 12 ms back.
pub fn segment(
    id: &str,
    start: &str,
    end: &str,
    caller: Value,
    callee: Value,
    jitter_ms: u32,
) -> Value {
    let network = json!({"subnet": "10.1.2.0", "connectionType": "wired"});
    json!({
        "id": id, "startDateTime": start, "endDateTime": end,
        "caller": caller, "callee": callee, "failureInfo": null,
        "media": [{
            "label": "main-audio", "callerNetwork": network, "calleeNetwork": network,
            "streams": [
                {"streamId": "1", "streamDirection": "callerToCallee",
                 "averageJitter": format!("PT0.{jitter_ms:03}S"), "averagePacketLossRate": 0.01},
                {"streamId": "2", "streamDirection": "calleeToCaller",
                 "averageJitter": "PT0.012S", "averagePacketLossRate": 0.01}
            ]
        }]
    })
}

/// A meeting of `people` attendees yesterday, one session each to the conferencing server, joining a
/// second apart; every tenth attendee's audio is poor and every 25th session failed to set up.
pub fn meeting(id: &str, people: usize) -> Value {
    let date = day(1);
    let at = |second: usize| format!("{date}T09:{:02}:{:02}Z", (second / 60) % 60, second % 60);
    let server = json!({
        "@odata.type": "#microsoft.graph.callRecords.serviceEndpoint",
        "userAgent": {"@odata.type": "#microsoft.graph.callRecords.serviceUserAgent",
                      "role": "skypeForBusinessAudioVideoMcu", "headerValue": null, "applicationVersion": null}
    });
    let people: Vec<(String, String)> = (0..people)
        .map(|i| {
            (
                format!("00000000-0000-4000-8000-{i:012}"),
                format!("Attendee {i:03}"),
            )
        })
        .collect();
    let sessions: Vec<Value> = people
        .iter()
        .enumerate()
        .map(|(i, (pid, name))| {
            let (start, end) = (at(i), at(i + 1200));
            let jitter = if i % 10 == 0 { 45 } else { 8 };
            let mut segment = segment(
                &format!("g{i}"),
                &start,
                &end,
                endpoint((pid, name)),
                server.clone(),
                jitter,
            );
            if i % 25 == 0 {
                segment["failureInfo"] = json!({"stage": "callSetup", "reason": "mediaConnectivityFailure"});
            }
            json!({
                "id": format!("s{i:03}"), "modalities": ["audio"], "startDateTime": start, "endDateTime": end,
                "isTest": false, "caller": endpoint((pid, name)), "callee": server, "failureInfo": null,
                "segments": [segment]
            })
        })
        .collect();
    json!({
        "id": id, "version": 1, "type": "groupCall", "modalities": ["audio"],
        "lastModifiedDateTime": at(1500), "startDateTime": at(0), "endDateTime": at(1500),
        "joinWebUrl": null, "organizer": null, "participants": [],
        "organizer_v2": participant((&people[0].0, &people[0].1)),
        "participants_v2": people.iter().map(|(pid, name)| participant((pid, name))).collect::<Vec<_>>(),
        "sessions": sessions
    })
}
