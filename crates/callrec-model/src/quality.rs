//! Call quality: which media streams were poor, and why, by the rules of Teams' Call Quality Dashboard.
//!
//! Operators judge calls with CQD's published stream classification (Microsoft Learn, "Stream
//! Classification in Call Quality Dashboard (CQD)",
//! <https://learn.microsoft.com/microsoftteams/stream-classification-in-call-quality-dashboard>), so callrec
//! applies the same rules to the streams of a callRecord:
//!
//! - **Audio** is poor when *any* of these holds: average audio degradation > 1.0 (network MOS
//!   degradation), average round trip > 500 ms, average packet loss rate > 0.1 (10 %), average jitter >
//!   30 ms, average ratio of concealed samples > 0.07 (7 %). It is good when at least one of them is known
//!   and none holds, unclassified when none is known.
//! - **Video** is judged by the *first available* of: average video frame loss > 50 %, average received
//!   frame rate < 7 fps, packet loss after forward error correction > 0.15. Only that metric decides.
//! - **Video-based screen sharing** (VBSS) likewise, with a frame rate limit of 2 fps.
//! - Any other stream (application sharing over RDP, data) is unclassified, as in CQD.
//!
//! Every verdict carries its reason: the metric, the limit and the measured value. The limits form a
//! [`Thresholds`] table with CQD's values by default, which an operator may change
//! (`serve --quality-thresholds FILE`).
//!
//! Beyond streams: a session or record is poor when any of its streams is poor (good when any is good and
//! none poor); a segment whose `failureInfo.stage` is `callSetup` failed to set up; and an endpoint's
//! device is flagged as not functioning when Call Analytics would flag it, at an event ratio of 0.005 or
//! more (`captureNotFunctioningEventRatio`, `renderNotFunctioningEventRatio`).
//!
//! Everything here is a pure function of a record; [`streams`] reads the record's JSON into
//! [`RecordQuality`], which ingestion computes once and the store keeps for reports.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

pub mod buildings;
pub mod streams;

pub use buildings::{Building, BuildingMap, parse_buildings};
pub use streams::{
    Direction, Endpoint, RecordQuality, SessionQuality, StreamQuality, record_quality,
};

/// The kind of media a stream carries, as CQD classifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum MediaType {
    Audio,
    Video,
    /// Video-based screen sharing (`applicationsharing-video`).
    VideoBasedScreenSharing,
    /// Anything CQD does not classify: data, RDP-based application sharing, unknown labels.
    Other,
}

impl MediaType {
    pub const ALL: [MediaType; 4] = [
        MediaType::Audio,
        MediaType::Video,
        MediaType::VideoBasedScreenSharing,
        MediaType::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MediaType::Audio => "audio",
            MediaType::Video => "video",
            MediaType::VideoBasedScreenSharing => "videoBasedScreenSharing",
            MediaType::Other => "other",
        }
    }

    /// Reads a media type name, in any case; `vbss` is accepted for video-based screen sharing.
    pub fn parse(name: &str) -> Option<MediaType> {
        if name.eq_ignore_ascii_case("vbss") {
            return Some(MediaType::VideoBasedScreenSharing);
        }
        MediaType::ALL
            .into_iter()
            .find(|m| m.as_str().eq_ignore_ascii_case(name))
    }

    /// A small number for storage; stable across releases.
    pub fn code(self) -> i64 {
        match self {
            MediaType::Audio => 1,
            MediaType::Video => 2,
            MediaType::VideoBasedScreenSharing => 3,
            MediaType::Other => 4,
        }
    }

    pub fn from_code(code: i64) -> Option<MediaType> {
        MediaType::ALL.into_iter().find(|m| m.code() == code)
    }

    /// The media type of a `mediaStream` from its media `label` and, when the label says nothing, its codecs.
    ///
    /// Teams labels its media `main-audio`, `main-video`, `applicationsharing-video` (VBSS) and
    /// `data`; other clients may write other labels, so the codecs decide what the label does not.
    pub fn from_label(label: Option<&str>, audio_codec: bool, video_codec: bool) -> MediaType {
        let label = label.unwrap_or_default().to_ascii_lowercase();
        if label.contains("applicationsharing-video")
            || label.contains("videobasedscreensharing")
            || label.contains("vbss")
        {
            MediaType::VideoBasedScreenSharing
        } else if label.contains("audio") {
            MediaType::Audio
        } else if label.contains("applicationsharing") || label.contains("data") {
            MediaType::Other
        } else if label.contains("video") {
            MediaType::Video
        } else if audio_codec {
            MediaType::Audio
        } else if video_codec {
            MediaType::Video
        } else {
            MediaType::Other
        }
    }
}

/// A stream's (or a session's, or a record's) class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Verdict {
    Good,
    Poor,
    Unclassified,
}

impl Verdict {
    pub const ALL: [Verdict; 3] = [Verdict::Good, Verdict::Poor, Verdict::Unclassified];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Good => "good",
            Verdict::Poor => "poor",
            Verdict::Unclassified => "unclassified",
        }
    }

    pub fn parse(name: &str) -> Option<Verdict> {
        Verdict::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(name))
    }

    /// A small number for storage; stable across releases.
    pub fn code(self) -> i64 {
        match self {
            Verdict::Good => 1,
            Verdict::Poor => 2,
            Verdict::Unclassified => 0,
        }
    }

    pub fn from_code(code: i64) -> Verdict {
        match code {
            1 => Verdict::Good,
            2 => Verdict::Poor,
            _ => Verdict::Unclassified,
        }
    }

    /// The verdict of a group of streams: poor if any is poor, else good if any is good, else unclassified.
    pub fn combine(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
        let mut out = Verdict::Unclassified;
        for v in verdicts {
            match v {
                Verdict::Poor => return Verdict::Poor,
                Verdict::Good => out = Verdict::Good,
                Verdict::Unclassified => {}
            }
        }
        out
    }
}

/// A metric the classification reads, with the name Graph gives it on `mediaStream`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Metric {
    AudioDegradation,
    RoundTripTime,
    PacketLossRate,
    Jitter,
    RatioOfConcealedSamples,
    VideoFrameLossPercentage,
    ReceivedFrameRate,
    PostFecPacketLossRate,
}

impl Metric {
    /// Every metric, in the order of [`StreamMetrics::values`] (and of the stored columns).
    pub const ALL: [Metric; 8] = [
        Metric::AudioDegradation,
        Metric::RoundTripTime,
        Metric::PacketLossRate,
        Metric::Jitter,
        Metric::RatioOfConcealedSamples,
        Metric::VideoFrameLossPercentage,
        Metric::ReceivedFrameRate,
        Metric::PostFecPacketLossRate,
    ];

    /// The `mediaStream` property the value comes from.
    pub fn property(self) -> &'static str {
        match self {
            Metric::AudioDegradation => "averageAudioDegradation",
            Metric::RoundTripTime => "averageRoundTripTime",
            Metric::PacketLossRate => "averagePacketLossRate",
            Metric::Jitter => "averageJitter",
            Metric::RatioOfConcealedSamples => "averageRatioOfConcealedSamples",
            Metric::VideoFrameLossPercentage => "averageVideoFrameLossPercentage",
            Metric::ReceivedFrameRate => "averageReceivedFrameRate",
            Metric::PostFecPacketLossRate => "postForwardErrorCorrectionPacketLossRate",
        }
    }

    /// The unit values of this metric are given in.
    pub fn unit(self) -> &'static str {
        match self {
            Metric::RoundTripTime | Metric::Jitter => "ms",
            Metric::VideoFrameLossPercentage => "%",
            Metric::ReceivedFrameRate => "fps",
            _ => "",
        }
    }

    /// Whether a value *below* the threshold is poor (frame rate) rather than above it.
    pub fn poor_when_below(self) -> bool {
        self == Metric::ReceivedFrameRate
    }

    pub fn index(self) -> usize {
        Metric::ALL
            .iter()
            .position(|m| *m == self)
            .expect("every metric is in ALL")
    }

    /// A small number for storage (0 means "no reason"); stable across releases.
    pub fn code(self) -> i64 {
        self.index() as i64 + 1
    }

    pub fn from_code(code: i64) -> Option<Metric> {
        usize::try_from(code - 1)
            .ok()
            .and_then(|i| Metric::ALL.get(i).copied())
    }
}

/// The measurements of one stream the rules and reports use; `None` where the record does not say.
/// Durations are in milliseconds, ratios as given (0..1), the frame loss in percent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StreamMetrics {
    pub audio_degradation: Option<f64>,
    pub round_trip_ms: Option<f64>,
    pub packet_loss_rate: Option<f64>,
    pub jitter_ms: Option<f64>,
    pub concealed_ratio: Option<f64>,
    pub video_frame_loss_percentage: Option<f64>,
    pub received_frame_rate: Option<f64>,
    pub post_fec_packet_loss_rate: Option<f64>,
    /// The stream's own maxima (`maxRoundTripTime`, `maxPacketLossRate`, `maxJitter`,
    /// `maxRatioOfConcealedSamples`), which CQD reports as "Avg ... Max".
    pub max_round_trip_ms: Option<f64>,
    pub max_packet_loss_rate: Option<f64>,
    pub max_jitter_ms: Option<f64>,
    pub max_concealed_ratio: Option<f64>,
}

impl StreamMetrics {
    /// The value of one metric.
    pub fn get(&self, metric: Metric) -> Option<f64> {
        match metric {
            Metric::AudioDegradation => self.audio_degradation,
            Metric::RoundTripTime => self.round_trip_ms,
            Metric::PacketLossRate => self.packet_loss_rate,
            Metric::Jitter => self.jitter_ms,
            Metric::RatioOfConcealedSamples => self.concealed_ratio,
            Metric::VideoFrameLossPercentage => self.video_frame_loss_percentage,
            Metric::ReceivedFrameRate => self.received_frame_rate,
            Metric::PostFecPacketLossRate => self.post_fec_packet_loss_rate,
        }
    }

    /// Sets one metric (tests and generators build streams this way).
    pub fn with(mut self, metric: Metric, value: f64) -> Self {
        let slot = match metric {
            Metric::AudioDegradation => &mut self.audio_degradation,
            Metric::RoundTripTime => &mut self.round_trip_ms,
            Metric::PacketLossRate => &mut self.packet_loss_rate,
            Metric::Jitter => &mut self.jitter_ms,
            Metric::RatioOfConcealedSamples => &mut self.concealed_ratio,
            Metric::VideoFrameLossPercentage => &mut self.video_frame_loss_percentage,
            Metric::ReceivedFrameRate => &mut self.received_frame_rate,
            Metric::PostFecPacketLossRate => &mut self.post_fec_packet_loss_rate,
        };
        *slot = Some(value);
        self
    }

    /// Every metric's value, in the order of [`Metric::ALL`].
    pub fn values(&self) -> [Option<f64>; 8] {
        Metric::ALL.map(|m| self.get(m))
    }

    /// The stream's maxima, in the order of [`MAXIMA`].
    pub fn maxima(&self) -> [Option<f64>; 4] {
        [
            self.max_round_trip_ms,
            self.max_packet_loss_rate,
            self.max_jitter_ms,
            self.max_concealed_ratio,
        ]
    }
}

/// The names of the per-stream maxima of [`StreamMetrics::maxima`], as reports show them.
pub const MAXIMA: [&str; 4] = [
    "maxRoundTripTime",
    "maxPacketLossRate",
    "maxJitter",
    "maxRatioOfConcealedSamples",
];

/// Why a stream is poor: the metric that decided, its limit and the measured value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Reason {
    pub metric: Metric,
    pub threshold: f64,
    pub value: f64,
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let cmp = if self.metric.poor_when_below() {
            "<"
        } else {
            ">"
        };
        let unit = self.metric.unit();
        write!(
            f,
            "{} {}{unit} {cmp} {}{unit}",
            self.metric.property(),
            self.value,
            self.threshold
        )
    }
}

/// A stream's verdict with its reason (for a poor stream: the first rule it broke, in CQD's order).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StreamVerdict {
    pub verdict: Verdict,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
}

impl StreamVerdict {
    const UNCLASSIFIED: StreamVerdict = StreamVerdict {
        verdict: Verdict::Unclassified,
        reason: None,
    };
    const GOOD: StreamVerdict = StreamVerdict {
        verdict: Verdict::Good,
        reason: None,
    };
}

/// CQD's audio limits: a stream is poor when any average exceeds its limit.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct AudioThresholds {
    /// `averageAudioDegradation` (network MOS degradation): poor above 1.0.
    pub audio_degradation: f64,
    /// `averageRoundTripTime`, in milliseconds: poor above 500.
    pub round_trip_ms: f64,
    /// `averagePacketLossRate`: poor above 0.1.
    pub packet_loss_rate: f64,
    /// `averageJitter`, in milliseconds: poor above 30.
    pub jitter_ms: f64,
    /// `averageRatioOfConcealedSamples`: poor above 0.07.
    pub concealed_ratio: f64,
}

impl Default for AudioThresholds {
    fn default() -> Self {
        AudioThresholds {
            audio_degradation: 1.0,
            round_trip_ms: 500.0,
            packet_loss_rate: 0.1,
            jitter_ms: 30.0,
            concealed_ratio: 0.07,
        }
    }
}

/// CQD's video limits; the first metric the stream reports decides.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VideoThresholds {
    /// `averageVideoFrameLossPercentage`, in percent: poor above 50.
    pub frame_loss_percentage: f64,
    /// `averageReceivedFrameRate`, in frames per second: poor below 7 (video) or 2 (VBSS).
    pub received_frame_rate: f64,
    /// `postForwardErrorCorrectionPacketLossRate`: poor above 0.15.
    pub post_fec_packet_loss_rate: f64,
}

impl VideoThresholds {
    /// CQD's limits for camera video.
    pub const VIDEO: VideoThresholds = VideoThresholds {
        frame_loss_percentage: 50.0,
        received_frame_rate: 7.0,
        post_fec_packet_loss_rate: 0.15,
    };
    /// CQD's limits for video-based screen sharing: a slide deck at 2 fps is fine.
    pub const VBSS: VideoThresholds = VideoThresholds {
        frame_loss_percentage: 50.0,
        received_frame_rate: 2.0,
        post_fec_packet_loss_rate: 0.15,
    };
}

/// Every limit the classification uses. Defaults are CQD's and Call Analytics'; a JSON file may override
/// any subset (`{"audio":{"jitterMs":40}}`), the rest keep their defaults.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Thresholds {
    pub audio: AudioThresholds,
    #[serde(deserialize_with = "video_or_default::video")]
    pub video: VideoThresholds,
    #[serde(deserialize_with = "video_or_default::vbss")]
    pub video_based_screen_sharing: VideoThresholds,
    /// A device event ratio at or above which Call Analytics flags the device as not functioning: 0.005.
    pub device_not_functioning_ratio: f64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            audio: AudioThresholds::default(),
            video: VideoThresholds::VIDEO,
            video_based_screen_sharing: VideoThresholds::VBSS,
            device_not_functioning_ratio: 0.005,
        }
    }
}

/// Partial video limits in a file: the missing members keep the defaults of their media type.
mod video_or_default {
    use serde::{Deserialize, Deserializer};

    use super::VideoThresholds;

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    struct Partial {
        frame_loss_percentage: Option<f64>,
        received_frame_rate: Option<f64>,
        post_fec_packet_loss_rate: Option<f64>,
    }

    fn merge<'de, D: Deserializer<'de>>(
        d: D,
        base: VideoThresholds,
    ) -> Result<VideoThresholds, D::Error> {
        let p = Partial::deserialize(d)?;
        Ok(VideoThresholds {
            frame_loss_percentage: p
                .frame_loss_percentage
                .unwrap_or(base.frame_loss_percentage),
            received_frame_rate: p.received_frame_rate.unwrap_or(base.received_frame_rate),
            post_fec_packet_loss_rate: p
                .post_fec_packet_loss_rate
                .unwrap_or(base.post_fec_packet_loss_rate),
        })
    }

    pub fn video<'de, D: Deserializer<'de>>(d: D) -> Result<VideoThresholds, D::Error> {
        merge(d, VideoThresholds::VIDEO)
    }

    pub fn vbss<'de, D: Deserializer<'de>>(d: D) -> Result<VideoThresholds, D::Error> {
        merge(d, VideoThresholds::VBSS)
    }
}

/// A thresholds file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ThresholdsError {
    #[error("the quality thresholds are not valid JSON: {0}")]
    Json(#[from] serde_json::Error),
    #[error("the quality threshold {0} must be a finite number of at least 0")]
    OutOfRange(&'static str),
    #[error("the quality thresholds are already set for this process")]
    AlreadySet,
}

impl Thresholds {
    /// Reads a thresholds table from JSON text, checking every limit.
    pub fn from_json(text: &str) -> Result<Thresholds, ThresholdsError> {
        let t: Thresholds = serde_json::from_str(text)?;
        let checks: [(&'static str, f64); 12] = [
            ("audio.audioDegradation", t.audio.audio_degradation),
            ("audio.roundTripMs", t.audio.round_trip_ms),
            ("audio.packetLossRate", t.audio.packet_loss_rate),
            ("audio.jitterMs", t.audio.jitter_ms),
            ("audio.concealedRatio", t.audio.concealed_ratio),
            ("video.frameLossPercentage", t.video.frame_loss_percentage),
            ("video.receivedFrameRate", t.video.received_frame_rate),
            (
                "video.postFecPacketLossRate",
                t.video.post_fec_packet_loss_rate,
            ),
            (
                "videoBasedScreenSharing.frameLossPercentage",
                t.video_based_screen_sharing.frame_loss_percentage,
            ),
            (
                "videoBasedScreenSharing.receivedFrameRate",
                t.video_based_screen_sharing.received_frame_rate,
            ),
            (
                "videoBasedScreenSharing.postFecPacketLossRate",
                t.video_based_screen_sharing.post_fec_packet_loss_rate,
            ),
            ("deviceNotFunctioningRatio", t.device_not_functioning_ratio),
        ];
        match checks.iter().find(|(_, v)| !v.is_finite() || *v < 0.0) {
            Some((name, _)) => Err(ThresholdsError::OutOfRange(name)),
            None => Ok(t),
        }
    }
}

static PROCESS_THRESHOLDS: OnceLock<Thresholds> = OnceLock::new();

/// Sets the thresholds [`crate::prepare::prepare`] classifies with, once per process, before the first
/// record is prepared (`serve --quality-thresholds` does it at start-up). Verdicts are computed at
/// ingestion, so records stored earlier keep the verdicts of the thresholds they were ingested with.
pub fn configure(thresholds: Thresholds) -> Result<(), ThresholdsError> {
    PROCESS_THRESHOLDS
        .set(thresholds)
        .map_err(|_| ThresholdsError::AlreadySet)
}

/// The thresholds in force in this process: [`configure`]d ones, or CQD's defaults.
pub fn thresholds() -> &'static Thresholds {
    PROCESS_THRESHOLDS.get_or_init(Thresholds::default)
}

/// Classifies one stream by CQD's rules (see the module documentation).
pub fn classify(media: MediaType, metrics: &StreamMetrics, t: &Thresholds) -> StreamVerdict {
    match media {
        MediaType::Audio => classify_audio(metrics, &t.audio),
        MediaType::Video => classify_video(metrics, &t.video),
        MediaType::VideoBasedScreenSharing => {
            classify_video(metrics, &t.video_based_screen_sharing)
        }
        MediaType::Other => StreamVerdict::UNCLASSIFIED,
    }
}

/// Audio: poor when any limit is exceeded (the reason names the first, in CQD's order).
pub fn classify_audio(m: &StreamMetrics, t: &AudioThresholds) -> StreamVerdict {
    let rules = [
        (Metric::AudioDegradation, t.audio_degradation),
        (Metric::RoundTripTime, t.round_trip_ms),
        (Metric::PacketLossRate, t.packet_loss_rate),
        (Metric::Jitter, t.jitter_ms),
        (Metric::RatioOfConcealedSamples, t.concealed_ratio),
    ];
    let mut known = false;
    for (metric, threshold) in rules {
        if let Some(value) = m.get(metric) {
            known = true;
            if value > threshold {
                return StreamVerdict {
                    verdict: Verdict::Poor,
                    reason: Some(Reason {
                        metric,
                        threshold,
                        value,
                    }),
                };
            }
        }
    }
    if known {
        StreamVerdict::GOOD
    } else {
        StreamVerdict::UNCLASSIFIED
    }
}

/// Video and VBSS: the first metric the stream reports decides, alone.
pub fn classify_video(m: &StreamMetrics, t: &VideoThresholds) -> StreamVerdict {
    let rules = [
        (Metric::VideoFrameLossPercentage, t.frame_loss_percentage),
        (Metric::ReceivedFrameRate, t.received_frame_rate),
        (Metric::PostFecPacketLossRate, t.post_fec_packet_loss_rate),
    ];
    for (metric, threshold) in rules {
        if let Some(value) = m.get(metric) {
            let poor = if metric.poor_when_below() {
                value < threshold
            } else {
                value > threshold
            };
            return if poor {
                StreamVerdict {
                    verdict: Verdict::Poor,
                    reason: Some(Reason {
                        metric,
                        threshold,
                        value,
                    }),
                }
            } else {
                StreamVerdict::GOOD
            };
        }
    }
    StreamVerdict::UNCLASSIFIED
}

/// A device event ratio Call Analytics watches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum DeviceProblem {
    /// `captureNotFunctioningEventRatio`: the microphone (or camera) did not work.
    CaptureNotFunctioning,
    /// `renderNotFunctioningEventRatio`: the speaker did not work.
    RenderNotFunctioning,
}

impl DeviceProblem {
    pub const ALL: [DeviceProblem; 2] = [
        DeviceProblem::CaptureNotFunctioning,
        DeviceProblem::RenderNotFunctioning,
    ];

    /// The `deviceInfo` property the ratio comes from.
    pub fn property(self) -> &'static str {
        match self {
            DeviceProblem::CaptureNotFunctioning => "captureNotFunctioningEventRatio",
            DeviceProblem::RenderNotFunctioning => "renderNotFunctioningEventRatio",
        }
    }
}

/// Whether a device event ratio flags its device: at or above the limit, as Call Analytics does.
pub fn device_flagged(ratio: f64, t: &Thresholds) -> bool {
    ratio >= t.device_not_functioning_ratio
}

#[cfg(test)]
mod tests;
