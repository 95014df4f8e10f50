//! What one endpoint's network, device and media streams look like in a generated call, with the
//! quality distributions a Teams admin sees in the Call Quality Dashboard.
//!
//! Most streams are good; a few percent are poor by CQD's thresholds (audio: degradation > 1.0, round
//! trip > 500 ms, packet loss > 0.1, jitter > 30 ms, concealed ratio > 0.07; video: frame loss > 50 %,
//! received frame rate < 7 fps (screen sharing < 2), post-FEC loss > 0.15), and Wi-Fi, mobile and tunnelled
//! networks are poor more often than wired ones. Every value is drawn whether or not it is written, so a
//! record's later version (with telemetry filled in) draws the same numbers as its first.

use callrec_model::edm::Ticks;

use super::json::{Json, key, write_int};
use super::population::{AccessPoint, Device, User, Vpn, WifiBand};
use super::rng::Rng;

/// Where an endpoint was during the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Place {
    OfficeWired,
    OfficeWifi,
    Home,
    Mobile,
}

/// A client endpoint's network for one call, and how good it tends to be.
#[derive(Debug, Clone)]
pub(crate) struct ClientNet {
    pub(crate) conn: &'static str,
    pub(crate) ip: [u8; 4],
    pub(crate) subnet: [u8; 4],
    pub(crate) reflexive: [u8; 4],
    pub(crate) relay: Option<([u8; 4], i64)>,
    pub(crate) link_speed: Option<i64>,
    pub(crate) port: i64,
    pub(crate) mac: Option<[u8; 6]>,
    pub(crate) dns_suffix: Option<&'static str>,
    pub(crate) tcp: bool,
    pub(crate) wifi: Option<Wifi>,
    pub(crate) quality: Quality,
}

#[derive(Debug, Clone)]
pub(crate) struct Wifi {
    pub(crate) ap: AccessPoint,
    /// Whether the client may report the BSSID (precise location sharing).
    pub(crate) share_bssid: bool,
    pub(crate) signal: i64,
    pub(crate) battery: Option<i64>,
    pub(crate) driver: Option<(&'static str, &'static str)>,
}

/// Typical path properties an endpoint's access network adds to its streams.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Quality {
    pub(crate) rtt_ms: (f64, f64),
    pub(crate) jitter_ms: (f64, f64),
    pub(crate) loss_max: f64,
    /// Chance that a call over this network has a stretch of poor media.
    pub(crate) p_impair: f64,
    pub(crate) bandwidth: (f64, f64),
}

/// A network as written into `callerNetwork`/`calleeNetwork`: a client's, or a service's (few fields).
#[derive(Debug, Clone)]
pub(crate) enum Net {
    Client(Box<ClientNet>),
    Service { ip: [u8; 4], port: i64, wired: bool },
}

impl Net {
    pub(crate) fn quality(&self) -> Quality {
        match self {
            Net::Client(c) => c.quality,
            // Microsoft's and the tenant's servers sit on fast, clean networks.
            Net::Service { .. } => Quality {
                rtt_ms: (1.0, 8.0),
                jitter_ms: (0.5, 2.0),
                loss_max: 0.001,
                p_impair: 0.0,
                bandwidth: (50e6, 1e9),
            },
        }
    }
}

/// Picks where `user` is for this call and builds the network they are on.
pub(crate) fn client_net(
    r: &mut Rng,
    user: &User,
    device: &Device,
    site: &super::population::Site,
) -> ClientNet {
    let place = if device.mobile {
        match r.below(10) {
            0..=5 => Place::Mobile,
            6..=8 => Place::Home,
            _ => Place::OfficeWifi,
        }
    } else if r.chance(user.remote_share) {
        Place::Home
    } else if user.office_wired {
        Place::OfficeWired
    } else {
        Place::OfficeWifi
    };
    let relay = r.chance(if place == Place::Home || place == Place::Mobile {
        0.55
    } else {
        0.3
    });
    let relay = relay.then(|| {
        (
            [
                52,
                112 + r.below(4) as u8,
                r.below(256) as u8,
                r.range(1, 254) as u8,
            ],
            r.range(3478, 3481),
        )
    });
    let laptop_battery =
        |r: &mut Rng| (device.platform != "web" || r.chance(0.5)).then(|| r.range(12, 100));
    let mut net = match place {
        Place::OfficeWired | Place::OfficeWifi => {
            let wired = place == Place::OfficeWired;
            let third = if wired { user.floor } else { 128 + user.floor };
            let host = if wired {
                user.desk_host
            } else {
                r.range(10, 250) as u8
            };
            let ap = r.pick(&site.access_points).clone();
            let signal = r.range(60, 99);
            ClientNet {
                conn: if wired { "wired" } else { "wifi" },
                ip: [10, site.octet, third, host],
                subnet: [10, site.octet, third, 0],
                reflexive: [
                    site.egress[0],
                    site.egress[1],
                    site.egress[2],
                    r.range(1, 30) as u8,
                ],
                relay,
                link_speed: Some(if wired {
                    *r.pick(&[1_000_000_000, 1_000_000_000, 2_500_000_000, 100_000_000])
                } else {
                    wifi_link_speed(r, ap.band, signal)
                }),
                port: r.range(50_000, 50_019),
                mac: device.mac,
                dns_suffix: Some(site.dns_suffix),
                tcp: r.chance(0.01),
                wifi: (!wired).then(|| Wifi {
                    share_bssid: r.chance(0.8),
                    battery: laptop_battery(r),
                    driver: device.wifi_driver,
                    ap,
                    signal,
                }),
                quality: if wired {
                    Quality {
                        rtt_ms: (12.0, 45.0),
                        jitter_ms: (1.0, 6.0),
                        loss_max: 0.01,
                        p_impair: 0.04,
                        bandwidth: (20e6, 400e6),
                    }
                } else {
                    Quality {
                        rtt_ms: (18.0, 60.0),
                        jitter_ms: (3.0, 12.0),
                        loss_max: 0.02,
                        p_impair: 0.1,
                        bandwidth: (8e6, 150e6),
                    }
                },
            }
        }
        Place::Home => {
            let home = &user.home;
            let signal = (home.signal + r.range(-12, 6)).clamp(15, 100);
            let vpn_full = home.vpn == Vpn::Full;
            let (ip, subnet) = if vpn_full {
                let host = r.range(2, 250) as u8;
                let third = r.range(0, 63) as u8;
                ([172, 16, third, host], [172, 16, third, 0])
            } else {
                let p = home.prefix;
                ([p[0], p[1], p[2], home.host], [p[0], p[1], p[2], 0])
            };
            let tunnel = vpn_full && r.chance(0.35);
            ClientNet {
                conn: if tunnel { "tunnel" } else { "wifi" },
                ip,
                subnet,
                reflexive: if vpn_full {
                    [
                        site.egress[0],
                        site.egress[1],
                        site.egress[2],
                        r.range(200, 250) as u8,
                    ]
                } else {
                    home.public
                },
                relay,
                link_speed: Some(if tunnel {
                    100_000_000
                } else {
                    wifi_link_speed(r, home.ap.band, signal)
                }),
                port: if vpn_full {
                    r.range(50_000, 50_019)
                } else {
                    r.range(49_152, 65_535)
                },
                mac: device.mac,
                dns_suffix: match home.vpn {
                    Vpn::None => *r.pick(&[None, Some("home"), Some("lan"), Some("fritz.box")]),
                    Vpn::Split | Vpn::Full => Some("vpn.contoso.com"),
                },
                tcp: vpn_full && r.chance(0.3),
                wifi: (!tunnel).then(|| Wifi {
                    ap: home.ap.clone(),
                    share_bssid: r.chance(0.8),
                    signal,
                    battery: laptop_battery(r),
                    driver: device.wifi_driver,
                }),
                quality: Quality {
                    rtt_ms: if vpn_full {
                        (60.0, 140.0)
                    } else {
                        (22.0, 80.0)
                    },
                    jitter_ms: (4.0, 16.0 + 8.0 * home.badness),
                    loss_max: 0.02 + 0.03 * home.badness,
                    p_impair: 0.08
                        + 0.08 * home.badness
                        + if vpn_full { 0.06 } else { 0.0 }
                        + if signal < 40 { 0.05 } else { 0.0 },
                    bandwidth: (3e6, 90e6),
                },
            }
        }
        Place::Mobile => {
            let third = r.range(0, 255) as u8;
            ClientNet {
                conn: "mobile",
                ip: [100, 64 + r.below(64) as u8, third, r.range(1, 254) as u8],
                subnet: [100, 64, third, 0],
                reflexive: [
                    *r.pick(&[172, 174, 166]),
                    r.range(32, 63) as u8,
                    r.below(256) as u8,
                    r.range(1, 254) as u8,
                ],
                relay,
                link_speed: None,
                port: r.range(49_152, 65_535),
                mac: device.mac,
                dns_suffix: None,
                tcp: r.chance(0.02),
                wifi: None,
                quality: Quality {
                    rtt_ms: (45.0, 140.0),
                    jitter_ms: (6.0, 22.0),
                    loss_max: 0.04,
                    p_impair: 0.2,
                    bandwidth: (0.8e6, 25e6),
                },
            }
        }
    };
    if net.tcp {
        net.quality.p_impair += 0.04;
        net.quality.rtt_ms.0 += 10.0;
        net.quality.rtt_ms.1 += 40.0;
    }
    net
}

fn wifi_link_speed(r: &mut Rng, band: WifiBand, signal: i64) -> i64 {
    let full: i64 = match band {
        WifiBand::G24 => *r.pick(&[72_200_000, 144_400_000, 286_800_000]),
        WifiBand::G5 => *r.pick(&[
            433_300_000,
            866_700_000,
            1_200_900_000,
            1_201_000_000,
            2_401_900_000,
        ]),
    };
    full * signal.clamp(20, 100) / 100 / 100_000 * 100_000
}

/// Why a stream was poor, if it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Impairment {
    Loss,
    Jitter,
    RoundTrip,
    Concealment,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MediaKind {
    Audio,
    Video,
    Screen,
}

impl MediaKind {
    pub(crate) fn label(self) -> &'static str {
        match self {
            MediaKind::Audio => "main-audio",
            MediaKind::Video => "main-video",
            MediaKind::Screen => "applicationsharing-video",
        }
    }
}

/// One direction of a media line, everything needed to draw its metrics.
pub(crate) struct StreamSpec<'a> {
    pub(crate) kind: MediaKind,
    pub(crate) direction: &'static str,
    pub(crate) secs: f64,
    pub(crate) sender: &'a Net,
    pub(crate) receiver: &'a Net,
    pub(crate) impairment: Option<Impairment>,
    pub(crate) audio_codec: &'static str,
    pub(crate) video_codec: &'static str,
    /// For SIP legs (gateway side of PSTN calls), which carry their own stream times.
    pub(crate) sip_times: Option<(Ticks, Ticks)>,
    pub(crate) bypassed: bool,
    /// Whether a meeting's video (lower frame rates than 1:1 calls).
    pub(crate) meeting: bool,
}

/// Writes one `mediaStream`; with `missing`, only what signalling knows (id, direction) has values.
pub(crate) fn write_stream(j: &mut Json, r: &mut Rng, s: &StreamSpec, missing: bool) {
    let (qs, qr) = (s.sender.quality(), s.receiver.quality());
    let rtt_lo = 8.0 + qs.rtt_ms.0 + qr.rtt_ms.0;
    let rtt_hi = 20.0 + qs.rtt_ms.1 + qr.rtt_ms.1;
    let mut rtt = r.uniform(rtt_lo, rtt_hi).min(420.0);
    let mut max_rtt = rtt * r.uniform(1.15, 2.6);
    let mut jitter = (r.uniform(qs.jitter_ms.0, qs.jitter_ms.1)
        + 0.5 * r.uniform(qr.jitter_ms.0, qr.jitter_ms.1))
    .clamp(1.0, 27.0);
    let mut max_jitter = jitter * r.uniform(1.4, 4.0) + 1.0;
    let mut loss = r.skewed(0.0, (qs.loss_max + qr.loss_max).max(0.002), 3);
    let mut max_loss = (loss * r.uniform(2.0, 8.0) + r.skewed(0.0, 0.02, 3)).min(1.0);
    let mut concealed = (loss * 1.1 + jitter * 0.0004 + r.skewed(0.0, 0.02, 4)).min(0.06);
    let mut max_concealed = (concealed * r.uniform(2.0, 6.0) + 0.004).min(1.0);
    let mut degradation = (0.04 + loss * 6.0 + jitter * 0.008 + r.skewed(0.0, 0.3, 3)).min(0.95);
    match s.impairment {
        Some(Impairment::Loss) => {
            loss = r.uniform(0.101, 0.35);
            max_loss = (loss * r.uniform(1.4, 3.0)).min(1.0);
            concealed = r.uniform(0.08, 0.3);
            max_concealed = (concealed * r.uniform(1.2, 3.0)).min(1.0);
            degradation = r.uniform(1.05, 2.6);
        }
        Some(Impairment::Jitter) => {
            jitter = r.uniform(31.0, 120.0);
            max_jitter = jitter * r.uniform(1.5, 3.0);
            concealed = r.uniform(0.03, 0.15);
            max_concealed = (concealed * r.uniform(1.2, 3.0)).min(1.0);
            degradation = r.uniform(0.8, 2.2);
        }
        Some(Impairment::RoundTrip) => {
            rtt = r.uniform(505.0, 1400.0);
            max_rtt = rtt * r.uniform(1.2, 2.0);
            degradation = r.uniform(0.5, 1.6);
        }
        Some(Impairment::Concealment) => {
            concealed = r.uniform(0.072, 0.2);
            max_concealed = (concealed * r.uniform(1.2, 3.0)).min(1.0);
            degradation = r.uniform(1.01, 1.9);
        }
        None => {}
    }
    let net_jitter = jitter * r.uniform(1.5, 3.5);
    let max_net_jitter = net_jitter * r.uniform(1.1, 2.0);
    let fec = loss > 0.01 || r.chance(0.25);
    let bw = r.uniform(
        qs.bandwidth.0.max(qr.bandwidth.0),
        (qs.bandwidth.1.min(qr.bandwidth.1)).max(2e6),
    );
    let bw = if bw <= 0.0 {
        r.uniform(20e6, 200e6)
    } else {
        bw
    };
    let stream_id = r.range(100_000_000, 4_294_967_295);

    let video = s.kind != MediaKind::Audio;
    let screen = s.kind == MediaKind::Screen;
    let mut fps = if screen {
        r.uniform(3.0, 15.0)
    } else if s.meeting {
        r.uniform(14.0, 30.0)
    } else {
        r.uniform(24.0, 30.0)
    };
    let mut recv_fps = (fps * r.uniform(0.85, 1.0)).max(if screen { 2.2 } else { 12.0 });
    let mut frame_loss = r.skewed(0.0, 12.0, 3);
    let mut video_loss = (loss * r.uniform(0.5, 1.5)).min(0.1);
    let mut post_fec = (video_loss * r.uniform(0.1, 0.6)).min(0.1);
    let low_fps_ratio = if screen {
        r.skewed(0.0, 0.9, 2)
    } else {
        r.skewed(0.0, 0.12, 3)
    };
    let low_processing = r.skewed(0.0, 0.08, 4);
    let freeze = r.uniform(120.0, 600.0);
    let rms_freeze = freeze * r.uniform(1.1, 1.6);
    let video_mode = r.below(3);
    if s.impairment.is_some() && video {
        match (screen, video_mode) {
            (true, _) | (false, 0) => {
                recv_fps = r.uniform(
                    if screen { 0.4 } else { 2.0 },
                    if screen { 1.9 } else { 6.9 },
                );
                fps = fps.max(recv_fps);
            }
            (false, 1) => frame_loss = r.uniform(50.5, 92.0),
            _ => {
                post_fec = r.uniform(0.151, 0.4);
                video_loss = (post_fec * r.uniform(1.0, 1.6)).min(1.0);
            }
        }
    }
    let packets = (s.secs
        * match s.kind {
            MediaKind::Audio => r.uniform(45.0, 50.0),
            MediaKind::Video => r.uniform(90.0, 260.0),
            MediaKind::Screen => r.uniform(8.0, 60.0),
        }) as i64;

    let audio = !video;
    let has = |b: bool| b && !missing;
    j.begin_obj();
    key!(j, "streamId");
    j.str_with(|b| write_int(b, stream_id));
    key!(j, "streamDirection");
    j.str(s.direction);
    key!(j, "averageAudioDegradation");
    j.opt_fixed(has(audio).then_some(degradation), 6);
    key!(j, "averageJitter");
    j.opt_duration_ms((!missing).then_some(jitter.round()));
    key!(j, "maxJitter");
    j.opt_duration_ms((!missing).then_some(max_jitter.round()));
    key!(j, "averagePacketLossRate");
    j.opt_fixed((!missing).then_some(loss), 8);
    key!(j, "maxPacketLossRate");
    j.opt_fixed((!missing).then_some(max_loss), 8);
    key!(j, "averageRatioOfConcealedSamples");
    j.opt_fixed(has(audio).then_some(concealed), 8);
    key!(j, "maxRatioOfConcealedSamples");
    j.opt_fixed(has(audio).then_some(max_concealed), 8);
    key!(j, "averageRoundTripTime");
    j.opt_duration_ms((!missing).then_some(rtt.round()));
    key!(j, "maxRoundTripTime");
    j.opt_duration_ms((!missing).then_some(max_rtt.round()));
    key!(j, "packetUtilization");
    j.opt_i64((!missing).then_some(packets));
    key!(j, "averageBandwidthEstimate");
    j.opt_i64((!missing).then_some(bw as i64));
    key!(j, "wasMediaBypassed");
    j.bool(s.bypassed);
    key!(j, "averageAudioNetworkJitter");
    j.opt_duration_ms(has(audio).then_some(net_jitter.round()));
    key!(j, "maxAudioNetworkJitter");
    j.opt_duration_ms(has(audio).then_some(max_net_jitter.round()));
    key!(j, "rmsFreezeDuration");
    j.opt_duration_ms(has(video).then_some(rms_freeze.round()));
    key!(j, "averageFreezeDuration");
    j.opt_duration_ms(has(video).then_some(freeze.round()));
    key!(j, "isAudioForwardErrorCorrectionUsed");
    match has(audio) {
        true => j.bool(fec),
        false => j.null(),
    }
    key!(j, "audioCodec");
    j.opt_str(has(audio).then_some(s.audio_codec));
    key!(j, "videoCodec");
    j.opt_str(has(video).then_some(s.video_codec));
    key!(j, "averageReceivedFrameRate");
    j.opt_fixed(has(video).then_some(recv_fps), 4);
    key!(j, "averageVideoFrameLossPercentage");
    j.opt_fixed(has(video).then_some(frame_loss), 4);
    key!(j, "averageVideoFrameRate");
    j.opt_fixed(has(video).then_some(fps), 4);
    key!(j, "averageVideoPacketLossRate");
    j.opt_fixed(has(video).then_some(video_loss), 8);
    key!(j, "lowFrameRateRatio");
    j.opt_fixed(has(video).then_some(low_fps_ratio), 6);
    key!(j, "lowVideoProcessingCapabilityRatio");
    j.opt_fixed(has(video && !screen).then_some(low_processing), 6);
    key!(j, "postForwardErrorCorrectionPacketLossRate");
    j.opt_fixed(has(video).then_some(post_fec), 8);
    key!(j, "startDateTime");
    match s.sip_times {
        Some((start, _)) => j.time(start),
        None => j.null(),
    }
    key!(j, "endDateTime");
    match s.sip_times {
        Some((_, end)) => j.time(end),
        None => j.null(),
    }
    j.end_obj();
}

/// Writes a `deviceInfo` for a client's device in one media line (`None`: a service, or a device that
/// sends nothing on this line: all null).
pub(crate) fn write_device(
    j: &mut Json,
    r: &mut Rng,
    device: Option<&Device>,
    kind: MediaKind,
    missing: bool,
) {
    let f = device.map(|d| d.flaws).unwrap_or_default();
    let ratio = |r: &mut Rng, flawed: bool, incidental: f64| -> f64 {
        if flawed && r.chance(0.8) {
            r.uniform(0.005, 1.0)
        } else if r.chance(incidental) {
            r.skewed(0.0005, 0.05, 2)
        } else {
            0.0
        }
    };
    let capture_nf = ratio(r, f.capture_failure, 0.002);
    let cpu = ratio(r, f.weak_cpu, 0.02);
    let clipping = ratio(r, f.clipping, 0.02);
    let glitch = ratio(r, f.weak_cpu, 0.03);
    let howling = if f.echo && r.chance(0.7) {
        r.range(1, 6)
    } else {
        i64::from(r.chance(0.002))
    };
    let rms = r.uniform(5.0, 250.0);
    let low_speech = ratio(r, f.low_speech, 0.04);
    let low_snr = ratio(r, f.low_speech, 0.03);
    let mic_glitch = r.skewed(0.0, 60.0, 3).round();
    let recv_noise = r.range(-92, -55);
    let recv_signal = r.range(-36, -10);
    let mute = if r.chance(0.03) {
        r.uniform(0.02, 1.0)
    } else {
        0.0
    };
    let render_nf = ratio(r, f.render_failure, 0.001);
    let zero_volume = if r.chance(0.01) {
        r.uniform(0.02, 1.0)
    } else {
        0.0
    };
    let sent_noise = r.range(-92, -55);
    let sent_signal = r.range(-36, -10);
    let speaker_glitch = if f.weak_cpu {
        r.uniform(100.0, 4000.0).round()
    } else {
        r.skewed(0.0, 60.0, 3).round()
    };

    let audio = kind == MediaKind::Audio && device.is_some() && !missing;
    let name_of = |n: Option<&'static str>| if missing { None } else { n };
    let (capture, capture_driver, render, render_driver) = match (device, kind) {
        (Some(d), MediaKind::Audio) => (d.capture, d.capture_driver, d.render, d.render_driver),
        (Some(d), MediaKind::Video) => (d.camera, None, None, None),
        _ => (None, None, None, None),
    };
    let val = |v: f64| audio.then_some(v);
    j.begin_obj();
    key!(j, "captureDeviceName");
    j.opt_str(name_of(capture));
    key!(j, "captureDeviceDriver");
    j.opt_str(name_of(capture_driver));
    key!(j, "renderDeviceName");
    j.opt_str(name_of(render));
    key!(j, "renderDeviceDriver");
    j.opt_str(name_of(render_driver));
    key!(j, "captureNotFunctioningEventRatio");
    j.opt_fixed(val(capture_nf), 6);
    key!(j, "cpuInsufficentEventRatio");
    j.opt_fixed(val(cpu), 6);
    key!(j, "deviceClippingEventRatio");
    j.opt_fixed(val(clipping), 6);
    key!(j, "deviceGlitchEventRatio");
    j.opt_fixed(val(glitch), 6);
    key!(j, "howlingEventCount");
    j.opt_i64(audio.then_some(howling));
    key!(j, "initialSignalLevelRootMeanSquare");
    j.opt_fixed(val(rms), 5);
    key!(j, "lowSpeechLevelEventRatio");
    j.opt_fixed(val(low_speech), 6);
    key!(j, "lowSpeechToNoiseEventRatio");
    j.opt_fixed(val(low_snr), 6);
    key!(j, "micGlitchRate");
    j.opt_fixed(val(mic_glitch), 0);
    key!(j, "receivedNoiseLevel");
    j.opt_i64(audio.then_some(recv_noise));
    key!(j, "receivedSignalLevel");
    j.opt_i64(audio.then_some(recv_signal));
    key!(j, "renderMuteEventRatio");
    j.opt_fixed(val(mute), 6);
    key!(j, "renderNotFunctioningEventRatio");
    j.opt_fixed(val(render_nf), 6);
    key!(j, "renderZeroVolumeEventRatio");
    j.opt_fixed(val(zero_volume), 6);
    key!(j, "sentNoiseLevel");
    j.opt_i64(audio.then_some(sent_noise));
    key!(j, "sentSignalLevel");
    j.opt_i64(audio.then_some(sent_signal));
    key!(j, "speakerGlitchRate");
    j.opt_fixed(val(speaker_glitch), 0);
    j.end_obj();
}

fn write_ip(b: &mut Vec<u8>, ip: [u8; 4]) {
    for (k, octet) in ip.iter().enumerate() {
        if k > 0 {
            b.push(b'.');
        }
        write_int(b, i64::from(*octet));
    }
}

fn write_mac(b: &mut Vec<u8>, mac: [u8; 6]) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    if mac == [0x02, 0, 0, 0, 0, 0] {
        b.extend_from_slice(b"02:00:00:00:00:00");
        return;
    }
    for (k, x) in mac.iter().enumerate() {
        if k > 0 {
            b.push(b'-');
        }
        b.push(HEX[(x >> 4) as usize]);
        b.push(HEX[(x & 0xF) as usize]);
    }
}

/// Writes a `networkInfo`; with `missing`, only the non-nullable enums and the trace-route list.
pub(crate) fn write_network(j: &mut Json, r: &mut Rng, net: &Net, impaired: bool, missing: bool) {
    let event = |r: &mut Rng, p_bad: f64| -> f64 {
        if impaired && r.chance(p_bad) {
            r.uniform(0.05, 0.6)
        } else if r.chance(0.03) {
            r.skewed(0.001, 0.05, 2)
        } else {
            0.0
        }
    };
    let sent_q = event(r, 0.6);
    let recv_q = event(r, 0.6);
    let delay = event(r, 0.3);
    let bw_low = event(r, 0.3);
    let hops = if r.chance(0.15) { r.range(2, 6) } else { 0 };
    let hop_rtts: Vec<f64> = (0..hops)
        .map(|h| 1.0 + h as f64 * r.uniform(2.0, 9.0))
        .collect();
    let hop_octets: Vec<u64> = (0..hops).map(|_| r.next_u64()).collect();
    let client = match net {
        Net::Client(c) if !missing => Some(c.as_ref()),
        _ => None,
    };
    let service_fields = match net {
        Net::Service { ip, port, .. } if !missing => Some((*ip, *port)),
        _ => None,
    };
    let ratios = client.is_some();
    j.begin_obj();
    key!(j, "ipAddress");
    match (client, service_fields) {
        (Some(c), _) => j.str_with(|b| write_ip(b, c.ip)),
        (None, Some((ip, _))) => j.str_with(|b| write_ip(b, ip)),
        _ => j.null(),
    }
    key!(j, "subnet");
    match client {
        Some(c) => j.str_with(|b| write_ip(b, c.subnet)),
        None => j.null(),
    }
    key!(j, "linkSpeed");
    j.opt_i64(client.and_then(|c| c.link_speed));
    key!(j, "connectionType");
    j.str(match net {
        _ if missing => "unknown",
        Net::Client(c) => c.conn,
        Net::Service { wired: true, .. } => "wired",
        Net::Service { .. } => "unknown",
    });
    key!(j, "port");
    j.opt_i64(client.map(|c| c.port).or(service_fields.map(|s| s.1)));
    key!(j, "reflexiveIPAddress");
    match client {
        Some(c) => j.str_with(|b| write_ip(b, c.reflexive)),
        None => j.null(),
    }
    let relay = client.and_then(|c| c.relay);
    key!(j, "relayIPAddress");
    match relay {
        Some((ip, _)) => j.str_with(|b| write_ip(b, ip)),
        None => j.null(),
    }
    key!(j, "relayPort");
    j.opt_i64(relay.map(|(_, p)| p));
    key!(j, "macAddress");
    match client.and_then(|c| c.mac) {
        Some(mac) => j.str_with(|b| write_mac(b, mac)),
        None => j.null(),
    }
    key!(j, "dnsSuffix");
    j.opt_str(client.and_then(|c| c.dns_suffix));
    key!(j, "sentQualityEventRatio");
    j.opt_fixed(ratios.then_some(sent_q), 4);
    key!(j, "receivedQualityEventRatio");
    j.opt_fixed(ratios.then_some(recv_q), 4);
    key!(j, "delayEventRatio");
    j.opt_fixed(ratios.then_some(delay), 4);
    key!(j, "bandwidthLowEventRatio");
    j.opt_fixed(ratios.then_some(bw_low), 4);
    key!(j, "networkTransportProtocol");
    j.str(match client {
        Some(c) if c.tcp => "tcp",
        None if missing => "unknown",
        _ => "udp",
    });
    let wifi = client.and_then(|c| c.wifi.as_ref());
    key!(j, "basicServiceSetIdentifier");
    match wifi.filter(|w| w.share_bssid) {
        Some(w) => j.str_with(|b| write_mac(b, w.ap.bssid)),
        None => j.null(),
    }
    key!(j, "wifiBand");
    j.str(wifi.map_or("unknown", |w| w.ap.band.name()));
    key!(j, "wifiRadioType");
    j.str(wifi.map_or("unknown", |w| w.ap.radio));
    key!(j, "wifiChannel");
    j.opt_i64(wifi.map(|w| w.ap.channel));
    key!(j, "wifiSignalStrength");
    j.opt_i64(wifi.map(|w| w.signal));
    key!(j, "wifiBatteryCharge");
    j.opt_i64(wifi.and_then(|w| w.battery));
    let driver = wifi.and_then(|w| w.driver);
    key!(j, "wifiMicrosoftDriver");
    j.opt_str(driver.map(|_| "Microsoft"));
    key!(j, "wifiMicrosoftDriverVersion");
    j.opt_str(driver.map(|_| "10.0.22621.4391"));
    key!(j, "wifiVendorDriver");
    j.opt_str(driver.map(|d| d.0));
    key!(j, "wifiVendorDriverVersion");
    j.opt_str(driver.map(|d| d.1));
    key!(j, "traceRouteHops");
    j.begin_arr();
    if let Some(c) = client {
        for (h, (&rtt, &x)) in hop_rtts.iter().zip(&hop_octets).enumerate() {
            j.begin_obj();
            key!(j, "hopCount");
            j.i64(h as i64 + 1);
            key!(j, "ipAddress");
            let ip = if h == 0 {
                [c.subnet[0], c.subnet[1], c.subnet[2], 1]
            } else {
                [
                    c.reflexive[0],
                    (x >> 8) as u8,
                    (x >> 16) as u8,
                    (x >> 24) as u8 | 1,
                ]
            };
            j.str_with(|b| write_ip(b, ip));
            key!(j, "roundTripTime");
            j.duration_ms(rtt.round());
            j.end_obj();
        }
    }
    j.end_arr();
    j.end_obj();
}
