//! Every CQD rule at and around its threshold, the order rules are applied in, and the reading of a
//! record's JSON.

use serde_json::json;

use super::*;

/// One stream with one metric set, classified with the default thresholds.
fn check(media: MediaType, metric: Metric, value: f64, expected: Verdict) {
    let metrics = StreamMetrics::default().with(metric, value);
    let got = classify(media, &metrics, &Thresholds::default());
    assert_eq!(
        got.verdict, expected,
        "{media:?} {metric:?} = {value}: {got:?}"
    );
    match expected {
        Verdict::Poor => {
            let reason = got.reason.expect("a poor stream has a reason");
            assert_eq!(reason.metric, metric);
            assert_eq!(reason.value, value);
        }
        _ => assert_eq!(got.reason, None),
    }
}

#[test]
fn audio_rules_at_and_around_each_threshold() {
    use MediaType::Audio;
    use Metric::*;
    use Verdict::*;
    check(Audio, AudioDegradation, 0.99, Good);
    check(Audio, AudioDegradation, 1.0, Good);
    check(Audio, AudioDegradation, 1.01, Poor);
    check(Audio, RoundTripTime, 499.9, Good);
    check(Audio, RoundTripTime, 500.0, Good);
    check(Audio, RoundTripTime, 500.1, Poor);
    check(Audio, PacketLossRate, 0.099, Good);
    check(Audio, PacketLossRate, 0.1, Good);
    check(Audio, PacketLossRate, 0.1001, Poor);
    check(Audio, Jitter, 29.9, Good);
    check(Audio, Jitter, 30.0, Good);
    check(Audio, Jitter, 30.1, Poor);
    check(Audio, RatioOfConcealedSamples, 0.069, Good);
    check(Audio, RatioOfConcealedSamples, 0.07, Good);
    check(Audio, RatioOfConcealedSamples, 0.0701, Poor);
    check(Audio, Jitter, 0.0, Good);
}

#[test]
fn video_rules_at_and_around_each_threshold() {
    use MediaType::{Video, VideoBasedScreenSharing as Vbss};
    use Metric::*;
    use Verdict::*;
    check(Video, VideoFrameLossPercentage, 49.9, Good);
    check(Video, VideoFrameLossPercentage, 50.0, Good);
    check(Video, VideoFrameLossPercentage, 50.1, Poor);
    check(Video, ReceivedFrameRate, 7.1, Good);
    check(Video, ReceivedFrameRate, 7.0, Good);
    check(Video, ReceivedFrameRate, 6.9, Poor);
    check(Video, PostFecPacketLossRate, 0.149, Good);
    check(Video, PostFecPacketLossRate, 0.15, Good);
    check(Video, PostFecPacketLossRate, 0.151, Poor);
    check(Vbss, VideoFrameLossPercentage, 50.0, Good);
    check(Vbss, VideoFrameLossPercentage, 50.1, Poor);
    check(Vbss, ReceivedFrameRate, 2.1, Good);
    check(Vbss, ReceivedFrameRate, 2.0, Good);
    check(Vbss, ReceivedFrameRate, 1.9, Poor);
    check(Vbss, ReceivedFrameRate, 6.9, Good);
    check(Vbss, PostFecPacketLossRate, 0.15, Good);
    check(Vbss, PostFecPacketLossRate, 0.151, Poor);
}

#[test]
fn metrics_of_another_media_type_do_not_classify() {
    use Metric::*;
    use Verdict::*;
    // Audio ignores video metrics, video ignores audio metrics: the stream stays unclassified.
    check(MediaType::Audio, ReceivedFrameRate, 1.0, Unclassified);
    check(MediaType::Audio, PostFecPacketLossRate, 0.9, Unclassified);
    check(MediaType::Video, Jitter, 100.0, Unclassified);
    check(MediaType::Video, AudioDegradation, 4.0, Unclassified);
    check(MediaType::Other, Jitter, 100.0, Unclassified);
    check(MediaType::Other, ReceivedFrameRate, 1.0, Unclassified);
    let none = classify(
        MediaType::Audio,
        &StreamMetrics::default(),
        &Thresholds::default(),
    );
    assert_eq!(none.verdict, Unclassified);
}

#[test]
fn audio_reason_is_the_first_broken_rule_in_cqd_order() {
    let m = StreamMetrics::default()
        .with(Metric::Jitter, 45.0)
        .with(Metric::RoundTripTime, 700.0)
        .with(Metric::AudioDegradation, 0.5);
    let v = classify(MediaType::Audio, &m, &Thresholds::default());
    assert_eq!(
        v.reason,
        Some(Reason {
            metric: Metric::RoundTripTime,
            threshold: 500.0,
            value: 700.0
        })
    );
    assert_eq!(
        v.reason.unwrap().to_string(),
        "averageRoundTripTime 700ms > 500ms"
    );
}

#[test]
fn video_uses_only_the_first_available_metric() {
    let t = Thresholds::default();
    // Frame loss is known and fine: a terrible frame rate is not looked at.
    let m = StreamMetrics::default()
        .with(Metric::VideoFrameLossPercentage, 10.0)
        .with(Metric::ReceivedFrameRate, 1.0);
    assert_eq!(classify(MediaType::Video, &m, &t).verdict, Verdict::Good);
    // Without frame loss, the frame rate decides even when post-FEC loss is bad.
    let m = StreamMetrics::default()
        .with(Metric::ReceivedFrameRate, 15.0)
        .with(Metric::PostFecPacketLossRate, 0.5);
    assert_eq!(classify(MediaType::Video, &m, &t).verdict, Verdict::Good);
    let m = StreamMetrics::default()
        .with(Metric::ReceivedFrameRate, 3.0)
        .with(Metric::PostFecPacketLossRate, 0.0);
    let v = classify(MediaType::Video, &m, &t);
    assert_eq!(v.verdict, Verdict::Poor);
    assert_eq!(
        v.reason.unwrap().to_string(),
        "averageReceivedFrameRate 3fps < 7fps"
    );
}

#[test]
fn thresholds_are_configurable_from_partial_json() {
    let t = Thresholds::from_json(
        r#"{"audio":{"jitterMs":40},"videoBasedScreenSharing":{"receivedFrameRate":1}}"#,
    )
    .unwrap();
    assert_eq!(t.audio.jitter_ms, 40.0);
    assert_eq!(t.audio.round_trip_ms, 500.0);
    assert_eq!(t.video, VideoThresholds::VIDEO);
    assert_eq!(t.video_based_screen_sharing.received_frame_rate, 1.0);
    assert_eq!(t.video_based_screen_sharing.frame_loss_percentage, 50.0);
    let m = StreamMetrics::default().with(Metric::Jitter, 35.0);
    assert_eq!(classify(MediaType::Audio, &m, &t).verdict, Verdict::Good);
    assert_eq!(
        classify(MediaType::Audio, &m, &Thresholds::default()).verdict,
        Verdict::Poor
    );
    assert!(Thresholds::from_json(r#"{"audio":{"jiter":1}}"#).is_err());
    assert!(matches!(
        Thresholds::from_json(r#"{"audio":{"jitterMs":-1}}"#),
        Err(ThresholdsError::OutOfRange("audio.jitterMs"))
    ));
    assert_eq!(Thresholds::from_json("{}").unwrap(), Thresholds::default());
}

#[test]
fn device_ratio_flags_at_the_limit() {
    let t = Thresholds::default();
    assert!(!device_flagged(0.0049, &t));
    assert!(device_flagged(0.005, &t));
    assert!(device_flagged(0.2, &t));
}

#[test]
fn media_type_from_label_and_codecs() {
    let check = |label: Option<&str>, audio: bool, video: bool, expected: MediaType| {
        assert_eq!(
            MediaType::from_label(label, audio, video),
            expected,
            "{label:?}"
        );
    };
    check(Some("main-audio"), false, false, MediaType::Audio);
    check(Some("main-video"), false, false, MediaType::Video);
    check(
        Some("applicationsharing-video"),
        false,
        false,
        MediaType::VideoBasedScreenSharing,
    );
    check(
        Some("videoBasedScreenSharing"),
        false,
        true,
        MediaType::VideoBasedScreenSharing,
    );
    check(Some("data"), false, false, MediaType::Other);
    check(Some("applicationsharing"), false, false, MediaType::Other);
    check(None, true, false, MediaType::Audio);
    check(Some("x-custom"), false, true, MediaType::Video);
    check(None, false, false, MediaType::Other);
}

#[test]
fn verdicts_combine_worst_first() {
    use Verdict::*;
    assert_eq!(Verdict::combine([]), Unclassified);
    assert_eq!(Verdict::combine([Unclassified, Good]), Good);
    assert_eq!(Verdict::combine([Good, Poor, Unclassified]), Poor);
    for v in Verdict::ALL {
        assert_eq!(Verdict::from_code(v.code()), v);
        assert_eq!(Verdict::parse(v.as_str()), Some(v));
    }
    for m in Metric::ALL {
        assert_eq!(Metric::from_code(m.code()), Some(m));
    }
    for m in MediaType::ALL {
        assert_eq!(MediaType::from_code(m.code()), Some(m));
        assert_eq!(MediaType::parse(m.as_str()), Some(m));
    }
}

#[test]
fn reads_streams_from_the_receiving_side() {
    let record = json!({
        "id": "r1",
        "startDateTime": "2024-05-01T10:00:00Z",
        "sessions": [{
            "id": "s1",
            "startDateTime": "2024-05-01T10:00:05Z",
            "caller": {"identity": {"user": {"id": "u-caller", "displayName": "Ann"}},
                       "userAgent": {"platform": "windows", "productFamily": "teams", "applicationVersion": "1.2"}},
            "callee": {"identity": {"user": {"id": "u-callee", "displayName": "Bob"}},
                       "userAgent": {"platform": "macOS", "applicationVersion": "9"}},
            "segments": [{
                "startDateTime": "2024-05-01T10:00:06Z",
                "failureInfo": {"stage": "callSetup", "reason": "x"},
                "media": [{
                    "label": "main-audio",
                    "callerNetwork": {"subnet": "10.0.1.0", "connectionType": "wired"},
                    "calleeNetwork": {"subnet": "10.0.2.0", "connectionType": "wifi"},
                    "callerDevice": {"renderDeviceName": "Speakers A", "captureNotFunctioningEventRatio": 0.005},
                    "calleeDevice": {"captureDeviceName": "Mic B", "renderNotFunctioningEventRatio": 0.004},
                    "streams": [
                        {"streamDirection": "callerToCallee", "averageJitter": "PT0.045S", "maxJitter": "PT0.1S"},
                        {"streamDirection": "calleeToCaller", "averageJitter": "PT0.01S",
                         "startDateTime": "2024-05-01T10:01:00Z"},
                        {"streamDirection": "calleeToCaller"}
                    ]
                }, {
                    "label": "main-video",
                    "streams": [{"streamDirection": "callerToCallee", "averageReceivedFrameRate": 20.0}]
                }]
            }]
        }, {
            "id": "s2",
            "segments": [{"media": [{"label": "data", "streams": [{}]}]}]
        }]
    });
    let q = record_quality(record.as_object().unwrap(), &Thresholds::default());
    assert_eq!(q.streams.len(), 5);
    let s0 = &q.streams[0];
    assert_eq!(s0.media, MediaType::Audio);
    assert_eq!(s0.verdict.verdict, Verdict::Poor);
    assert_eq!(s0.verdict.reason.unwrap().metric, Metric::Jitter);
    assert_eq!(s0.metrics.jitter_ms, Some(45.0));
    assert_eq!(s0.metrics.max_jitter_ms, Some(100.0));
    assert_eq!(s0.receiver.user_id.as_deref(), Some("u-callee"));
    assert_eq!(s0.receiver.user_name.as_deref(), Some("Bob"));
    assert_eq!(s0.receiver.platform.as_deref(), Some("macOS"));
    assert_eq!(s0.receiver.client_version.as_deref(), Some("9"));
    assert_eq!(s0.receiver.subnet.as_deref(), Some("10.0.2.0"));
    assert_eq!(s0.receiver.connection.as_deref(), Some("wifi"));
    assert_eq!(s0.receiver.device.as_deref(), Some("Mic B"));
    assert_eq!(
        s0.start,
        crate::edm::parse_date_time_offset("2024-05-01T10:00:06Z").unwrap()
    );
    let s1 = &q.streams[1];
    assert_eq!(s1.verdict.verdict, Verdict::Good);
    assert_eq!(s1.receiver.user_id.as_deref(), Some("u-caller"));
    assert_eq!(s1.receiver.client_version.as_deref(), Some("teams 1.2"));
    assert_eq!(s1.receiver.connection.as_deref(), Some("wired"));
    assert_eq!(s1.receiver.device.as_deref(), Some("Speakers A"));
    assert_eq!(
        s1.start,
        crate::edm::parse_date_time_offset("2024-05-01T10:01:00Z").unwrap()
    );
    assert_eq!(q.streams[2].verdict.verdict, Verdict::Unclassified);
    assert_eq!(q.streams[3].media, MediaType::Video);
    assert_eq!(q.streams[3].verdict.verdict, Verdict::Good);
    assert_eq!(q.streams[4].media, MediaType::Other);
    assert_eq!(q.streams[4].session, 1);
    assert_eq!(q.verdict(), Verdict::Poor);
    assert_eq!(q.verdict_of(MediaType::Video), Verdict::Good);
    assert_eq!(
        q.verdict_of(MediaType::VideoBasedScreenSharing),
        Verdict::Unclassified
    );
    assert_eq!(q.sessions.len(), 2);
    assert_eq!(q.sessions[0].verdict, Verdict::Poor);
    assert!(q.sessions[0].setup_failed);
    assert_eq!(
        q.sessions[0].device_problems,
        vec![DeviceProblem::CaptureNotFunctioning]
    );
    assert_eq!(q.sessions[1].verdict, Verdict::Unclassified);
    assert!(!q.sessions[1].setup_failed);
    assert!(q.setup_failed());
    assert_eq!(q.sessions_with_device_problems(), 1);
}
