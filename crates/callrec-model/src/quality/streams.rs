//! Reads a callRecord's JSON into the quality facts reports need: each media stream with its verdict and
//! metrics, seen from the endpoint that received it, and each session's verdict, setup failure and device
//! problems.
//!
//! A stream's metrics are measured where it is received, so its report dimensions (user, platform, client
//! version, network, device) are the receiving endpoint's: the callee's for `callerToCallee`, the
//! caller's for `calleeToCaller` (and for a stream without a direction). A segment without its own
//! `caller`/`callee` borrows its session's.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{
    DeviceProblem, MediaType, StreamMetrics, StreamVerdict, Thresholds, Verdict, classify,
    device_flagged,
};
use crate::edm::{Ticks, parse_date_time_offset, parse_duration};

/// Who received a stream, and over what: the dimensions of the quality reports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Endpoint {
    /// The identity's id (for a Teams user, the user's Entra id, which is also the participant id); never a
    /// phone number.
    pub user_id: Option<String>,
    /// The identity's display name: a label of `user_id`, never a value of the user dimension itself.
    pub user_name: Option<String>,
    /// `userAgent.platform` (`windows`, `macOS`, `android`...).
    pub platform: Option<String>,
    /// `userAgent.productFamily` and `applicationVersion`, as `teams 24335.208.3315.1951`.
    pub client_version: Option<String>,
    /// `networkInfo.subnet`.
    pub subnet: Option<String>,
    /// `networkInfo.connectionType`: `wired`, `wifi`, `mobile`, `tunnel` (VPN), `unknown`.
    pub connection: Option<String>,
    /// `deviceInfo.renderDeviceName`, else `captureDeviceName`.
    pub device: Option<String>,
}

/// Which way a stream flowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Direction {
    CallerToCallee,
    CalleeToCaller,
    Unknown,
}

impl Direction {
    pub fn code(self) -> i64 {
        match self {
            Direction::Unknown => 0,
            Direction::CallerToCallee => 1,
            Direction::CalleeToCaller => 2,
        }
    }
}

/// One media stream of a record, classified.
#[derive(Debug, Clone, PartialEq)]
pub struct StreamQuality {
    /// Position of the session in the record.
    pub session: u32,
    /// When the stream started: its own `startDateTime`, else its segment's, session's or record's.
    pub start: Ticks,
    pub media: MediaType,
    pub direction: Direction,
    pub verdict: StreamVerdict,
    pub metrics: StreamMetrics,
    pub receiver: Endpoint,
}

/// One session's verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SessionQuality {
    pub id: String,
    pub verdict: Verdict,
    /// A segment of the session failed at `callSetup`.
    pub setup_failed: bool,
    /// Device problems flagged on the session's endpoints, once per kind.
    pub device_problems: Vec<DeviceProblem>,
}

/// A record's quality: its verdict, and the sessions and streams it comes from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RecordQuality {
    pub sessions: Vec<SessionQuality>,
    pub streams: Vec<StreamQuality>,
}

impl RecordQuality {
    /// Poor if any stream is poor, else good if any is good, else unclassified.
    pub fn verdict(&self) -> Verdict {
        Verdict::combine(self.streams.iter().map(|s| s.verdict.verdict))
    }

    /// The verdict of the record's streams of one media type.
    pub fn verdict_of(&self, media: MediaType) -> Verdict {
        Verdict::combine(
            self.streams
                .iter()
                .filter(|s| s.media == media)
                .map(|s| s.verdict.verdict),
        )
    }

    /// Some session failed to set up.
    pub fn setup_failed(&self) -> bool {
        self.sessions.iter().any(|s| s.setup_failed)
    }

    /// Sessions with a device problem.
    pub fn sessions_with_device_problems(&self) -> usize {
        self.sessions
            .iter()
            .filter(|s| !s.device_problems.is_empty())
            .count()
    }
}

fn text(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn number(v: Option<&Value>) -> Option<f64> {
    v.and_then(Value::as_f64).filter(|f| f.is_finite())
}

fn millis(v: Option<&Value>) -> Option<f64> {
    v.and_then(Value::as_str)
        .and_then(|s| parse_duration(s).ok())
        .map(|ticks| ticks as f64 / 10_000.0)
}

fn instant(v: Option<&Value>) -> Option<Ticks> {
    v.and_then(Value::as_str)
        .and_then(|s| parse_date_time_offset(s).ok())
}

/// The metrics of a `mediaStream` object.
pub fn stream_metrics(s: &Map<String, Value>) -> StreamMetrics {
    StreamMetrics {
        audio_degradation: number(s.get("averageAudioDegradation")),
        round_trip_ms: millis(s.get("averageRoundTripTime")),
        packet_loss_rate: number(s.get("averagePacketLossRate")),
        jitter_ms: millis(s.get("averageJitter")),
        concealed_ratio: number(s.get("averageRatioOfConcealedSamples")),
        video_frame_loss_percentage: number(s.get("averageVideoFrameLossPercentage")),
        received_frame_rate: number(s.get("averageReceivedFrameRate")),
        post_fec_packet_loss_rate: number(s.get("postForwardErrorCorrectionPacketLossRate")),
        max_round_trip_ms: millis(s.get("maxRoundTripTime")),
        max_packet_loss_rate: number(s.get("maxPacketLossRate")),
        max_jitter_ms: millis(s.get("maxJitter")),
        max_concealed_ratio: number(s.get("maxRatioOfConcealedSamples")),
    }
}

/// The first identity of an identity set that names someone: `user` first, then any other member. A phone
/// is not a user: its id is a phone number, personal data that the user dimension must not keep (see
/// [`crate::scrub`]), so phone identities are passed over.
fn identity(set: Option<&Value>) -> (Option<String>, Option<String>) {
    let Some(Value::Object(set)) = set else {
        return (None, None);
    };
    let members = set.get("user").into_iter().chain(
        set.iter()
            .filter(|(k, _)| *k != "user" && *k != "phone")
            .map(|(_, v)| v),
    );
    for member in members {
        if let Value::Object(m) = member {
            let id = text(m.get("id")).filter(|id| !crate::scrub::is_phone_number(id));
            let name = text(m.get("displayName"));
            if id.is_some() || name.is_some() {
                return (id, name);
            }
        }
    }
    (None, None)
}

/// The facts of a `participantEndpoint` (or `serviceEndpoint`) that do not depend on the media.
fn endpoint_facts(endpoint: Option<&Value>) -> Endpoint {
    let Some(Value::Object(e)) = endpoint else {
        return Endpoint::default();
    };
    let (mut user_id, mut user_name) = identity(e.get("identity"));
    if user_id.is_none()
        && let Some(Value::Object(a)) = e.get("associatedIdentity")
    {
        user_id = text(a.get("id")).filter(|id| !crate::scrub::is_phone_number(id));
        user_name = user_name.or_else(|| text(a.get("displayName")));
    }
    let agent = e.get("userAgent").and_then(Value::as_object);
    let field = |name: &str| agent.and_then(|a| text(a.get(name)));
    let client_version = match (field("productFamily"), field("applicationVersion")) {
        (Some(family), Some(version)) => Some(format!("{family} {version}")),
        (family, version) => version.or(family),
    };
    Endpoint {
        user_id,
        user_name,
        platform: field("platform"),
        client_version,
        ..Endpoint::default()
    }
}

fn device_name(device: Option<&Value>) -> Option<String> {
    let d = device?.as_object()?;
    text(d.get("renderDeviceName")).or_else(|| text(d.get("captureDeviceName")))
}

/// Reads a record's quality, classifying every stream with `t`.
pub fn record_quality(record: &Map<String, Value>, t: &Thresholds) -> RecordQuality {
    let record_start = instant(record.get("startDateTime")).unwrap_or(Ticks(0));
    let mut out = RecordQuality::default();
    let sessions = record.get("sessions").and_then(Value::as_array);
    for (index, session) in sessions.into_iter().flatten().enumerate() {
        let Value::Object(session) = session else {
            continue;
        };
        let index = u32::try_from(index).unwrap_or(u32::MAX);
        let session_start = instant(session.get("startDateTime")).unwrap_or(record_start);
        let first_stream = out.streams.len();
        let mut setup_failed = false;
        let mut device_problems: Vec<DeviceProblem> = Vec::new();
        let segments = session.get("segments").and_then(Value::as_array);
        for segment in segments.into_iter().flatten() {
            let Value::Object(segment) = segment else {
                continue;
            };
            let segment_start = instant(segment.get("startDateTime")).unwrap_or(session_start);
            if let Some(Value::Object(failure)) = segment.get("failureInfo")
                && failure.get("stage").and_then(Value::as_str) == Some("callSetup")
            {
                setup_failed = true;
            }
            let caller = endpoint_facts(segment.get("caller").or_else(|| session.get("caller")));
            let callee = endpoint_facts(segment.get("callee").or_else(|| session.get("callee")));
            let media = segment.get("media").and_then(Value::as_array);
            for medium in media.into_iter().flatten() {
                let Value::Object(medium) = medium else {
                    continue;
                };
                for side in ["callerDevice", "calleeDevice"] {
                    if let Some(Value::Object(device)) = medium.get(side) {
                        for problem in DeviceProblem::ALL {
                            let flagged = number(device.get(problem.property()))
                                .is_some_and(|r| device_flagged(r, t));
                            if flagged && !device_problems.contains(&problem) {
                                device_problems.push(problem);
                            }
                        }
                    }
                }
                let label = medium.get("label").and_then(Value::as_str);
                let side = |endpoint: &Endpoint, network: &str, device: &str| Endpoint {
                    subnet: medium.get(network).and_then(|n| text(n.get("subnet"))),
                    connection: medium
                        .get(network)
                        .and_then(|n| text(n.get("connectionType"))),
                    device: device_name(medium.get(device)),
                    ..endpoint.clone()
                };
                let streams = medium.get("streams").and_then(Value::as_array);
                for stream in streams.into_iter().flatten() {
                    let Value::Object(stream) = stream else {
                        continue;
                    };
                    let media = MediaType::from_label(
                        label,
                        stream.get("audioCodec").is_some_and(|c| !c.is_null()),
                        stream.get("videoCodec").is_some_and(|c| !c.is_null()),
                    );
                    let direction = match stream.get("streamDirection").and_then(Value::as_str) {
                        Some("callerToCallee") => Direction::CallerToCallee,
                        Some("calleeToCaller") => Direction::CalleeToCaller,
                        _ => Direction::Unknown,
                    };
                    let receiver = if direction == Direction::CallerToCallee {
                        side(&callee, "calleeNetwork", "calleeDevice")
                    } else {
                        side(&caller, "callerNetwork", "callerDevice")
                    };
                    let metrics = stream_metrics(stream);
                    out.streams.push(StreamQuality {
                        session: index,
                        start: instant(stream.get("startDateTime")).unwrap_or(segment_start),
                        media,
                        direction,
                        verdict: classify(media, &metrics, t),
                        metrics,
                        receiver,
                    });
                }
            }
        }
        out.sessions.push(SessionQuality {
            id: text(session.get("id")).unwrap_or_default(),
            verdict: Verdict::combine(
                out.streams[first_stream..]
                    .iter()
                    .map(|s| s.verdict.verdict),
            ),
            setup_failed,
            device_problems,
        });
    }
    out
}
