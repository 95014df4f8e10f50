//! One generated call record: first a plan (who took part, from which device and network, which sessions
//! and segments, what failed), then the record's JSON in Graph's property order.
//!
//! The plan and every value in the text are drawn from one random stream per record index, and the
//! drawing never depends on the version being written, so version 2 of a record is version 1 with the
//! late telemetry filled in.

use callrec_model::edm::{TICKS_PER_SECOND, Ticks};

use super::World;
use super::json::{Json, key, lit};
use super::media::{self, Impairment, MediaKind, Net, StreamSpec};
use super::population::{Country, Device, Kind, Population};
use super::rng::{Guid, Rng};

const SECOND: i64 = TICKS_PER_SECOND;
const MINUTE: i64 = 60 * SECOND;

/// Independent random streams under the seed.
pub(crate) const STREAM_RECORD: u64 = 0x4EC0;
const STREAM_ID: u64 = 0x1D;
const STREAM_SERIES: u64 = 0x5E41;
const STREAM_CONTACT: u64 = 0xC047;

/// A distinct participant of the call.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Party {
    Person(usize),
    Phone(String),
}

/// A service taking part in sessions or segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Service {
    AvMcu,
    Mediation,
    /// Microsoft's PSTN hub, for Calling Plan and Operator Connect numbers.
    PstnHub,
    /// The tenant's own session border controller (Direct Routing).
    Sbc,
    AutoAttendant,
    CallQueue,
}

impl Service {
    fn role(self) -> &'static str {
        match self {
            Service::AvMcu => "skypeForBusinessAudioVideoMcu",
            Service::Mediation => "mediationServer",
            Service::PstnHub | Service::Sbc => "gateway",
            Service::AutoAttendant => "skypeForBusinessAutoAttendant",
            Service::CallQueue => "skypeForBusinessCallQueues",
        }
    }

    fn agent(self) -> (&'static str, &'static str) {
        match self {
            Service::AvMcu => ("RTCC/2024.45.01.12 AVMCU/2024.45.01.12", "2024.45.01.12"),
            Service::Mediation => (
                "RTCC/2024.44.01.7 MediationServer/2024.44.01.7",
                "2024.44.01.7",
            ),
            Service::PstnHub => (
                "Microsoft.PSTNHub.SIPProxy v.2024.11.20.4 i.USWE.4",
                "2024.11.20.4",
            ),
            Service::Sbc => ("Mediant SW/v.7.40A.500.786", "7.40A.500.786"),
            Service::AutoAttendant => ("RTCC/2024.44.01.7 OAA/2024.44.01.7", "2024.44.01.7"),
            Service::CallQueue => ("RTCC/2024.44.01.7 OCQ/2024.44.01.7", "2024.44.01.7"),
        }
    }
}

/// An endpoint of sessions and segments; records keep them in one list and refer to them by index.
enum Ep<'a> {
    Client {
        who: usize,
        device: &'a Device,
        net: Net,
    },
    Service {
        service: Service,
        net: Net,
    },
}

impl Ep<'_> {
    fn net(&self) -> &Net {
        match self {
            Ep::Client { net, .. } | Ep::Service { net, .. } => net,
        }
    }

    fn device(&self) -> Option<&Device> {
        match self {
            Ep::Client { device, .. } => Some(device),
            Ep::Service { .. } => None,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Failure {
    stage: &'static str,
    reason: &'static str,
}

const SETUP_FAILURES: [&str; 5] = [
    "Call failed to establish due to a media connectivity failure when one endpoint is internal and the other is remote",
    "Call failed to establish due to a media connectivity failure where both endpoints are internal",
    "Call setup timed out: no response from the callee's endpoint",
    "Call failed to establish because the media ports were blocked by a firewall",
    "Call was rejected: the called endpoint could not be reached",
];

const MIDCALL_FAILURES: [&str; 4] = [
    "Call dropped: media timeout, no packets received for 30 seconds",
    "Call dropped due to a loss of network connectivity on the client",
    "Call ended unexpectedly because the client stopped responding",
    "Call dropped after the network connection changed and media could not be re-established",
];

const PSTN_FAILURES: [&str; 3] = [
    "Call failed: the PSTN gateway returned 503 Service Unavailable",
    "Call failed: the called number is not in service (SIP 404)",
    "Call failed: the SBC did not respond to the INVITE (SIP 408)",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Telemetry {
    Full,
    /// Arrives with version 2; version 1 carries nulls.
    Late,
    /// Never arrives.
    Lost,
}

#[derive(Debug, Clone, Copy)]
struct Feedback {
    rating: &'static str,
    /// Bit `k` set: token `FEEDBACK_TOKENS[k]` is true.
    tokens: Option<u8>,
    text: Option<&'static str>,
}

const FEEDBACK_TOKENS: [&str; 8] = [
    "NoSound",
    "OtherNoSound",
    "Echo",
    "Noisy",
    "LowVolume",
    "Stopped",
    "DistortedSound",
    "Interruptions",
];

#[derive(Debug, Clone, Copy)]
struct MediaPlan {
    kind: MediaKind,
    caller_sends: bool,
    callee_sends: bool,
}

struct SegmentPlan {
    id: Guid,
    caller: usize,
    callee: usize,
    start: Ticks,
    end: Ticks,
    failure: Option<Failure>,
    media: Vec<MediaPlan>,
    audio_codec: &'static str,
    /// A SIP leg (towards the PSTN), whose streams carry their own times.
    sip: bool,
    bypassed: bool,
}

struct SessionPlan {
    id: Guid,
    caller: usize,
    callee: usize,
    start: Ticks,
    end: Ticks,
    failure: Option<Failure>,
    segments: Vec<SegmentPlan>,
    telemetry: Telemetry,
    impaired: bool,
    /// Feedback of the caller and the callee, when they are clients and gave some.
    feedback: [Option<Feedback>; 2],
    meeting: bool,
}

impl SessionPlan {
    fn modalities(&self) -> [bool; 3] {
        let mut m = [true, false, false];
        for seg in &self.segments {
            for media in &seg.media {
                match media.kind {
                    MediaKind::Audio => {}
                    MediaKind::Video => m[1] = true,
                    MediaKind::Screen => m[2] = true,
                }
            }
        }
        m
    }
}

/// Everything a record is written from.
struct Plan<'a> {
    id: Guid,
    call_type: &'static str,
    organizer: Party,
    participants: Vec<Party>,
    join_url: Option<String>,
    eps: Vec<Ep<'a>>,
    sessions: Vec<SessionPlan>,
    has_later: bool,
    /// Time after the end at which version 1, and version 2, were issued.
    issued_after: (i64, i64),
    pstn: Option<PstnCall>,
}

/// Writes version `version` (1 or 2) of record `i`; returns whether the record has a version 2.
/// Nothing is written for version 2 of a record that has none.
pub(crate) fn write(world: &World, i: u64, version: i64, out: &mut Vec<u8>) -> bool {
    let mut r = Rng::derive(world.seed, STREAM_RECORD, i);
    let plan = make_plan(world, i, &mut r);
    if version > 1 && !plan.has_later {
        return false;
    }
    write_plan(world, &plan, version, &mut r, out);
    plan.has_later
}

fn make_plan<'a>(world: &'a World, i: u64, r: &mut Rng) -> Plan<'a> {
    let has_later = r.chance(0.10);
    let q = (i as f64 + r.unit()) / world.records.max(1) as f64;
    let (t0, site) = world.calendar.place(q, r);
    let id = Rng::derive(world.id_seed, STREAM_ID, i).guid();
    let mut b = Builder {
        world,
        r,
        eps: Vec::new(),
        sessions: Vec::new(),
        pstn: None,
    };
    let kind = b.r.below(1000);
    let (call_type, organizer, participants, join_url) = match kind {
        0..=599 => b.peer_to_peer(id, t0, site),
        600..=899 => b.group_call(t0, site, kind < 603),
        _ => b.pstn(t0, site),
    };
    let Builder {
        r,
        eps,
        mut sessions,
        pstn,
        ..
    } = b;

    // Late telemetry: some sessions of records that get a version 2; rarely, telemetry never comes.
    // Only sessions that carry media have telemetry to wait for.
    let with_media = |s: &SessionPlan| s.segments.iter().any(|seg| !seg.media.is_empty());
    let has_later = has_later && sessions.iter().any(with_media);
    if has_later {
        let mut any = false;
        for s in sessions.iter_mut() {
            if r.chance(0.5) && with_media(s) {
                s.telemetry = Telemetry::Late;
                any = true;
            }
        }
        if !any && let Some(s) = sessions.iter_mut().find(|s| with_media(s)) {
            s.telemetry = Telemetry::Late;
        }
    } else if r.chance(0.02) && !sessions.is_empty() {
        let k = r.below(sessions.len() as u64) as usize;
        sessions[k].telemetry = Telemetry::Lost;
    }
    let first_issue = r.range(5 * MINUTE, 40 * MINUTE) + r.below(SECOND as u64) as i64;
    let second_issue =
        first_issue + r.range(40 * MINUTE, 8 * 60 * MINUTE) + r.below(SECOND as u64) as i64;
    Plan {
        id,
        call_type,
        organizer,
        participants,
        join_url,
        eps,
        sessions,
        has_later,
        issued_after: (first_issue, second_issue),
        pstn,
    }
}

/// The id of record `i` and, when it is a PSTN call, what its telephony log rows need.
pub(crate) fn pstn_call(world: &World, i: u64) -> (Guid, Option<PstnCall>) {
    let mut r = Rng::derive(world.seed, STREAM_RECORD, i);
    let plan = make_plan(world, i, &mut r);
    (plan.id, plan.pstn)
}

struct Builder<'a, 'r> {
    world: &'a World,
    r: &'r mut Rng,
    eps: Vec<Ep<'a>>,
    sessions: Vec<SessionPlan>,
    pstn: Option<PstnCall>,
}

/// What the telephony logs need of a PSTN call (see `super::logs`), taken from its plan as drawn, so that
/// recording it changes nothing in the record.
#[derive(Debug, Clone)]
pub(crate) struct PstnCall {
    /// The employee on the call.
    pub(crate) user: usize,
    /// The other party's number, and the country it is in.
    pub(crate) number: String,
    pub(crate) country: Country,
    pub(crate) outbound: bool,
    /// Through the tenant's own SBC (Direct Routing) rather than Microsoft's PSTN hub (Calling Plan).
    pub(crate) direct_routing: bool,
    pub(crate) bypass: bool,
    /// When the user's leg started and ended.
    pub(crate) start: Ticks,
    pub(crate) end: Ticks,
    /// `(stage, reason)` of a failed call.
    pub(crate) failure: Option<(&'static str, &'static str)>,
    /// A phone participant of a meeting (`user` is the organizer, under whom Graph counts the call);
    /// `outbound` is then left to the logs to decide.
    pub(crate) meeting: bool,
}

type Head = (&'static str, Party, Vec<Party>, Option<String>);

impl<'a> Builder<'a, '_> {
    fn pop(&self) -> &'a Population {
        &self.world.population
    }

    /// Adds a client endpoint for `who`, on their usual device or their phone, wherever they are today.
    fn client(&mut self, who: usize, phone_ok: bool) -> usize {
        let pop = self.pop();
        let user = &pop.people[who];
        let device = if phone_ok && self.r.chance(user.mobile_share) {
            &user.phone
        } else {
            &user.primary
        };
        let net = media::client_net(self.r, user, device, &pop.sites[user.site]);
        self.eps.push(Ep::Client {
            who,
            device,
            net: Net::Client(Box::new(net)),
        });
        self.eps.len() - 1
    }

    fn service(&mut self, service: Service) -> usize {
        let r = &mut *self.r;
        let net = match service {
            Service::Sbc => Net::Service {
                ip: [203, 0, 113, r.range(10, 20) as u8],
                port: r.range(40_000, 49_999),
                wired: true,
            },
            _ => Net::Service {
                ip: [
                    52,
                    112 + r.below(4) as u8,
                    r.below(256) as u8,
                    r.range(1, 254) as u8,
                ],
                port: r.range(49_152, 53_247),
                wired: false,
            },
        };
        self.eps.push(Ep::Service { service, net });
        self.eps.len() - 1
    }

    fn audio_codec(&mut self) -> &'static str {
        match self.r.below(100) {
            0..=44 => "satin",
            45..=79 => "opus",
            80..=94 => "silk",
            _ => "g722",
        }
    }

    fn is_client_person(&self, ep: usize) -> bool {
        match &self.eps[ep] {
            Ep::Client { who, .. } => self.pop().people[*who].kind != Kind::Room,
            Ep::Service { .. } => false,
        }
    }

    /// Whether this leg has a stretch of poor media: more likely on Wi-Fi, mobile and tunnelled networks.
    fn leg_impaired(&mut self, a: usize, b: usize) -> bool {
        let p = self.eps[a].net().quality().p_impair + self.eps[b].net().quality().p_impair;
        self.r.chance(p.min(0.9))
    }

    fn feedback(&mut self, ep: usize, impaired: bool) -> Option<Feedback> {
        if !self.is_client_person(ep) || !self.r.chance(0.04) {
            return None;
        }
        let r = &mut *self.r;
        let rating = if impaired {
            *r.pick(&["bad", "poor", "poor", "fair", "good"])
        } else {
            *r.pick(&[
                "excellent",
                "excellent",
                "good",
                "good",
                "good",
                "fair",
                "notRated",
            ])
        };
        let unhappy = matches!(rating, "bad" | "poor" | "fair");
        let tokens = (unhappy || r.chance(0.3)).then(|| {
            if unhappy {
                (1u8 << r.below(8)) | if r.chance(0.3) { 1 << r.below(8) } else { 0 }
            } else {
                0
            }
        });
        let text = (unhappy && r.chance(0.15)).then(|| {
            *r.pick(&[
                "Could not hear the others for a while",
                "Robotic voice",
                "Echo from the room",
                "Kept freezing",
            ])
        });
        Some(Feedback {
            rating,
            tokens,
            text,
        })
    }

    /// Adds a session with one segment between two endpoints.
    fn simple_session(
        &mut self,
        (id, segment_id): (Guid, Guid),
        (caller, callee): (usize, usize),
        (start, end): (Ticks, Ticks),
        media: Vec<MediaPlan>,
        failure: Option<Failure>,
        meeting: bool,
    ) {
        let impaired =
            self.leg_impaired(caller, callee) || failure.is_some_and(|f| f.stage == "midcall");
        let audio_codec = self.audio_codec();
        let feedback = [
            self.feedback(caller, impaired),
            self.feedback(callee, impaired),
        ];
        let media = if failure.is_some_and(|f| f.stage == "callSetup") {
            Vec::new()
        } else {
            media
        };
        self.sessions.push(SessionPlan {
            id,
            caller,
            callee,
            start,
            end,
            failure,
            segments: vec![SegmentPlan {
                id: segment_id,
                caller,
                callee,
                start,
                end,
                failure,
                media,
                audio_codec,
                sip: false,
                bypassed: false,
            }],
            telemetry: Telemetry::Full,
            impaired,
            feedback,
            meeting,
        });
    }

    fn failure(&mut self, p: f64) -> Option<Failure> {
        if !self.r.chance(p) {
            return None;
        }
        Some(if self.r.chance(0.6) {
            Failure {
                stage: "callSetup",
                reason: self.r.choose(&SETUP_FAILURES),
            }
        } else {
            Failure {
                stage: "midcall",
                reason: self.r.choose(&MIDCALL_FAILURES),
            }
        })
    }

    fn jitter_ticks(&mut self) -> i64 {
        self.r.below(SECOND as u64) as i64
    }

    fn peer_to_peer(&mut self, id: Guid, t0: Ticks, site: usize) -> Head {
        let pop = self.pop();
        let a = pop.employee_at(self.r, site);
        let b = if self.r.chance(0.05) && !pop.partners.is_empty() {
            pop.partners.start + self.r.below(pop.partners.len() as u64) as usize
        } else {
            pop.colleague(self.r, a)
        };
        let (caller, callee) = if pop.people[b].kind == Kind::Partner && self.r.chance(0.5) {
            (b, a)
        } else {
            (a, b)
        };
        let secs = match self.r.below(100) {
            0..=14 => self.r.range(10, 60),
            15..=84 => 60 + self.r.skewed(0.0, 1140.0, 2) as i64,
            _ => self.r.range(1200, 4500),
        };
        let failure = self.failure(0.025);
        let secs = match failure {
            Some(f) if f.stage == "callSetup" => self.r.range(2, 25),
            Some(_) => (secs / 2).max(15),
            None => secs,
        };
        let start = Ticks(t0.0 + self.jitter_ticks());
        let end = Ticks(start.0 + secs * SECOND + self.jitter_ticks());
        let ep_a = self.client(caller, true);
        let ep_b = self.client(callee, true);
        let mut media = vec![MediaPlan {
            kind: MediaKind::Audio,
            caller_sends: true,
            callee_sends: true,
        }];
        if self.r.chance(0.2) {
            let both = self.r.chance(0.7);
            let caller_cam = both || self.r.chance(0.5);
            media.push(MediaPlan {
                kind: MediaKind::Video,
                caller_sends: caller_cam,
                callee_sends: both || !caller_cam,
            });
        }
        if self.r.chance(0.15) {
            let from_caller = self.r.chance(0.5);
            media.push(MediaPlan {
                kind: MediaKind::Screen,
                caller_sends: from_caller,
                callee_sends: !from_caller,
            });
        }
        self.simple_session((id, id), (ep_a, ep_b), (start, end), media, failure, false);
        let participants = vec![Party::Person(caller), Party::Person(callee)];
        ("peerToPeer", Party::Person(caller), participants, None)
    }

    fn group_call(&mut self, t0: Ticks, site: usize, large: bool) -> Head {
        let pop = self.pop();
        let organizer = pop.employee_at(self.r, site);
        let mut attendees: Vec<usize> = vec![organizer];
        let mut thread = self.r.guid();
        let mut scheduled = true;
        let (start_at, minutes) = if large {
            let n = (150 + self.r.skewed(0.0, 251.0, 3) as usize)
                .min(pop.employees + pop.partners.len());
            let mut everyone: Vec<usize> = (0..pop.employees).chain(pop.partners.clone()).collect();
            for k in 0..n.min(everyone.len()) {
                let pick = k + self.r.below((everyone.len() - k) as u64) as usize;
                everyone.swap(k, pick);
                if everyone[k] != organizer {
                    attendees.push(everyone[k]);
                }
            }
            (snap(t0, 30), *self.r.pick(&[45, 60, 60, 90]))
        } else {
            let size = match self.r.below(100) {
                0..=5 => 9 + self.r.skewed(0.0, 52.0, 3) as usize,
                _ => [3, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 7, 7, 8, 8][self.r.below(15) as usize],
            };
            let recurring = size <= 12 && self.r.chance(0.5);
            if recurring {
                let k = self.r.below(4);
                let mut series =
                    Rng::derive(self.world.seed, STREAM_SERIES, organizer as u64 * 4 + k);
                thread = series.guid();
                let pool_size = series.range(2, 11) as usize;
                let mut pool = Vec::new();
                for _ in 0..pool_size {
                    let c = pop.colleague(&mut series, organizer);
                    if !pool.contains(&c) {
                        pool.push(c);
                    }
                }
                for c in pool {
                    if self.r.chance(0.85) {
                        attendees.push(c);
                    }
                }
                if attendees.len() < 2 {
                    attendees.push(pop.colleague(self.r, organizer));
                }
            } else {
                let mut tries = 0;
                while attendees.len() < size.min(pop.employees) && tries < size * 4 {
                    tries += 1;
                    let c = if self.r.chance(0.04) && !pop.partners.is_empty() {
                        pop.partners.start + self.r.below(pop.partners.len() as u64) as usize
                    } else {
                        pop.colleague(self.r, organizer)
                    };
                    if !attendees.contains(&c) {
                        attendees.push(c);
                    }
                }
                scheduled = self.r.chance(0.8);
            }
            let rooms = &pop.rooms_by_site[pop.people[organizer].site];
            if scheduled && !rooms.is_empty() && self.r.chance(0.15) {
                attendees.push(*self.r.pick(rooms) as usize);
            }
            let minutes = *self.r.pick(&[30, 30, 30, 30, 60, 60, 60, 15, 45, 90]);
            (
                if scheduled && self.r.chance(0.75) {
                    snap(t0, 30)
                } else {
                    t0
                },
                minutes,
            )
        };
        let mut parties: Vec<Party> = attendees.iter().map(|&p| Party::Person(p)).collect();
        let dial_in = self.r.chance(0.05);
        if dial_in {
            let country = self.pop().sites[site].country;
            parties.push(Party::Phone(phone_number(self.r, country)));
        }

        let planned_end =
            start_at.0 + i64::from(minutes) * MINUTE + self.r.range(-10 * MINUTE, 8 * MINUTE);
        let planned_end = planned_end.max(start_at.0 + 4 * MINUTE);
        let mcu = self.service(Service::AvMcu);
        let any_video = self.r.chance(if large { 0.15 } else { 0.5 });
        let sharing = self.r.chance(if large { 0.9 } else { 0.4 });
        let presenter = if sharing {
            self.r.below(parties.len().min(3) as u64) as usize
        } else {
            usize::MAX
        };
        for (k, party) in parties.clone().iter().enumerate() {
            let lateness = if self.r.chance(0.12) {
                self.r.range(5 * MINUTE, 20 * MINUTE)
            } else {
                0
            };
            let join =
                start_at.0 + self.r.range(-3 * MINUTE, 5 * MINUTE) + lateness + self.jitter_ticks();
            let leave = if self.r.chance(0.15) {
                join + (planned_end - join) * self.r.range(2, 9) / 10
            } else {
                planned_end - self.r.range(0, 3 * MINUTE) + self.jitter_ticks()
            };
            let leave = leave.max(join + 30 * SECOND);
            let mut legs: Vec<(i64, i64, Option<Failure>)> = Vec::new();
            let first_failure = if self.r.chance(0.004) {
                self.failure(1.0)
            } else {
                None
            };
            let rejoin = first_failure.is_some() || self.r.chance(0.05);
            if rejoin {
                let cut = join + (leave - join) * self.r.range(1, 8) / 10;
                let cut = match first_failure {
                    Some(f) if f.stage == "callSetup" => join + self.r.range(3, 20) * SECOND,
                    _ => cut,
                };
                legs.push((join, cut, first_failure));
                legs.push((
                    cut + self.r.range(5, 90) * SECOND,
                    leave.max(cut + 120 * SECOND),
                    None,
                ));
            } else {
                legs.push((join, leave, None));
            }
            for (leg_no, (s, e, failure)) in legs.into_iter().enumerate() {
                let (client, is_phone) = match party {
                    Party::Person(p) => {
                        let phone_ok = leg_no == 0 || self.r.chance(0.5);
                        (self.client(*p, phone_ok), false)
                    }
                    Party::Phone(number) => {
                        if leg_no == 0 {
                            self.pstn = Some(PstnCall {
                                user: organizer,
                                number: number.clone(),
                                country: self.pop().sites[site].country,
                                outbound: false,
                                direct_routing: false,
                                bypass: false,
                                start: Ticks(s),
                                end: Ticks(e),
                                failure: failure.map(|f| (f.stage, f.reason)),
                                meeting: true,
                            });
                        }
                        (self.service(Service::Mediation), true)
                    }
                };
                let mut media = vec![MediaPlan {
                    kind: MediaKind::Audio,
                    caller_sends: true,
                    callee_sends: true,
                }];
                if !is_phone && any_video {
                    let room = matches!(party, Party::Person(p) if self.pop().people[*p].kind == Kind::Room);
                    let camera = self.r.chance(if room {
                        0.9
                    } else if large {
                        0.05
                    } else {
                        0.35
                    });
                    if camera || self.r.chance(0.5) {
                        media.push(MediaPlan {
                            kind: MediaKind::Video,
                            caller_sends: camera,
                            callee_sends: true,
                        });
                    }
                }
                if !is_phone && sharing && (k == presenter || self.r.chance(0.85)) {
                    let presenting = k == presenter;
                    media.push(MediaPlan {
                        kind: MediaKind::Screen,
                        caller_sends: presenting,
                        callee_sends: !presenting,
                    });
                }
                let (session_id, segment_id) = (self.r.guid(), self.r.guid());
                self.simple_session(
                    (session_id, segment_id),
                    (client, mcu),
                    (Ticks(s), Ticks(e)),
                    media,
                    failure,
                    true,
                );
            }
        }
        let join_url = scheduled.then(|| join_web_url(thread, self.pop(), organizer));
        ("groupCall", Party::Person(organizer), parties, join_url)
    }

    fn pstn(&mut self, t0: Ticks, site: usize) -> Head {
        let pop = self.pop();
        let user = pop.employee_at(self.r, site);
        let contact = self.r.below(24);
        let mut cr = Rng::derive(self.world.seed, STREAM_CONTACT, user as u64 * 32 + contact);
        let country = if cr.chance(0.85) {
            pop.sites[site].country
        } else {
            *cr.pick(&[Country::Uk, Country::De])
        };
        let number = phone_number(&mut cr, country);
        let outbound = self.r.chance(0.55);
        let route = match self.r.below(100) {
            0..=64 => Service::PstnHub,
            _ => Service::Sbc,
        };
        let bypass = route == Service::Sbc && self.r.chance(0.45);
        let secs = match self.r.below(100) {
            0..=19 => self.r.range(15, 60),
            _ => 60 + self.r.skewed(0.0, 1500.0, 2) as i64,
        };
        let failure = if self.r.chance(0.04) {
            Some(if self.r.chance(0.7) {
                Failure {
                    stage: "callSetup",
                    reason: self.r.choose(&PSTN_FAILURES),
                }
            } else {
                Failure {
                    stage: "midcall",
                    reason: self.r.choose(&MIDCALL_FAILURES),
                }
            })
        } else {
            None
        };
        let secs = match failure {
            Some(f) if f.stage == "callSetup" => self.r.range(1, 20),
            _ => secs,
        };
        let session_id = self.r.guid();
        let mut start = t0.0 + self.jitter_ticks();
        let via_attendant = !outbound && failure.is_none() && self.r.chance(0.3);
        let mut call_type = "peerToPeer";
        if via_attendant {
            call_type = "unknown";
            let queue = self.r.chance(0.5);
            let aa_secs = self.r.range(12, 60);
            self.service_session(
                session_id,
                Service::AutoAttendant,
                start,
                start + aa_secs * SECOND,
            );
            start += aa_secs * SECOND + self.jitter_ticks();
            if queue {
                let q_secs = self.r.range(10, 180);
                self.service_session(
                    session_id,
                    Service::CallQueue,
                    start,
                    start + q_secs * SECOND,
                );
                start += q_secs * SECOND + self.jitter_ticks();
            }
        }
        let end = start + secs * SECOND + self.jitter_ticks();
        let client = self.client(user, true);
        let far = self.service(if bypass { route } else { Service::Mediation });
        let (caller, callee) = if outbound {
            (client, far)
        } else {
            (far, client)
        };
        let impaired =
            self.leg_impaired(client, far) || failure.is_some_and(|f| f.stage == "midcall");
        let feedback_client = self.feedback(client, impaired);
        let feedback = if outbound {
            [feedback_client, None]
        } else {
            [None, feedback_client]
        };
        let client_codec = if bypass {
            *self.r.pick(&["silk", "g722", "opus"])
        } else {
            self.audio_codec()
        };
        let trunk_codec = *self.r.pick(match country {
            Country::Us(_) => &["pcmu", "pcmu", "g722"][..],
            _ => &["pcma", "pcma", "g722"][..],
        });
        let media = if failure.is_some_and(|f| f.stage == "callSetup") {
            Vec::new()
        } else {
            vec![MediaPlan {
                kind: MediaKind::Audio,
                caller_sends: true,
                callee_sends: true,
            }]
        };
        let mut segments = vec![SegmentPlan {
            id: self.r.guid(),
            caller,
            callee,
            start: Ticks(start),
            end: Ticks(end),
            failure,
            media: media.clone(),
            audio_codec: client_codec,
            sip: bypass,
            bypassed: bypass,
        }];
        if !bypass {
            let hub = self.service(route);
            let lead = self.r.range(SECOND / 10, SECOND);
            let trunk = SegmentPlan {
                id: self.r.guid(),
                caller: if outbound { far } else { hub },
                callee: if outbound { hub } else { far },
                start: Ticks(start - lead),
                end: Ticks(end + self.r.range(0, SECOND / 2)),
                failure,
                media,
                audio_codec: trunk_codec,
                sip: true,
                bypassed: false,
            };
            if outbound {
                segments.push(trunk);
            } else {
                segments.insert(0, trunk);
            }
        }
        let session_start = segments
            .iter()
            .map(|s| s.start)
            .min()
            .unwrap_or(Ticks(start));
        let session_end = segments.iter().map(|s| s.end).max().unwrap_or(Ticks(end));
        self.sessions.push(SessionPlan {
            id: session_id,
            caller,
            callee,
            start: session_start,
            end: session_end,
            failure,
            segments,
            telemetry: Telemetry::Full,
            impaired,
            feedback,
            meeting: false,
        });
        self.pstn = Some(PstnCall {
            user,
            number: number.clone(),
            country,
            outbound,
            direct_routing: route == Service::Sbc,
            bypass,
            start: Ticks(start),
            end: Ticks(end),
            failure: failure.map(|f| (f.stage, f.reason)),
            meeting: false,
        });
        let phone = Party::Phone(number);
        let organizer = if outbound {
            Party::Person(user)
        } else {
            phone.clone()
        };
        let participants = if outbound {
            vec![Party::Person(user), phone]
        } else {
            vec![phone, Party::Person(user)]
        };
        (call_type, organizer, participants, None)
    }

    /// A session between the PSTN caller (behind the Mediation Server) and a voice application.
    fn service_session(&mut self, id: Guid, app: Service, start: i64, end: i64) {
        let caller = self.service(Service::Mediation);
        let callee = self.service(app);
        let segment_id = self.r.guid();
        let media = vec![MediaPlan {
            kind: MediaKind::Audio,
            caller_sends: true,
            callee_sends: true,
        }];
        self.simple_session(
            (id, segment_id),
            (caller, callee),
            (Ticks(start), Ticks(end)),
            media,
            None,
            false,
        );
    }
}

/// Moves an instant back to the start of its `minutes` slot, as meetings are scheduled.
fn snap(t: Ticks, minutes: i64) -> Ticks {
    Ticks(t.0 - t.0.rem_euclid(minutes * MINUTE))
}

/// A number in a range reserved for fiction (NANP 555-01xx, Ofcom's drama numbers, ...).
fn phone_number(r: &mut Rng, country: Country) -> String {
    match country {
        Country::Us(area) => format!("+1{area}55501{:02}", r.range(0, 99)),
        Country::Uk => format!("+442079460{:03}", r.range(0, 999)),
        Country::De => format!("+493023125{:03}", r.range(0, 999)),
        Country::In => format!("+9180{:08}", r.range(0, 99_999_999)),
    }
}

fn join_web_url(thread: Guid, pop: &Population, organizer: usize) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let text = thread.to_string().into_bytes();
    let mut id = String::with_capacity(48);
    for chunk in text.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (k, &c)| n | u32::from(c) << (16 - 8 * k));
        for k in 0..=chunk.len() {
            id.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char);
        }
    }
    format!(
        "https://teams.microsoft.com/l/meetup-join/19%3ameeting_{id}%40thread.v2/0?context=%7b%22Tid%22%3a%22{}%22%2c%22Oid%22%3a%22{}%22%7d",
        pop.tenant_text, pop.people[organizer].id
    )
}

fn write_plan(world: &World, plan: &Plan, version: i64, r: &mut Rng, out: &mut Vec<u8>) {
    let pop = &world.population;
    let start = plan
        .sessions
        .iter()
        .map(|s| s.start)
        .min()
        .unwrap_or(Ticks(0));
    let end = plan.sessions.iter().map(|s| s.end).max().unwrap_or(start);
    let issued = if version > 1 {
        plan.issued_after.1
    } else {
        plan.issued_after.0
    };
    let mut modalities = [false; 3];
    for s in &plan.sessions {
        for (m, has) in modalities.iter_mut().zip(s.modalities()) {
            *m |= has;
        }
    }

    let j = &mut Json::new(out);
    j.begin_obj();
    key!(j, "id");
    j.guid(plan.id);
    key!(j, "version");
    j.i64(version);
    key!(j, "type");
    j.str(plan.call_type);
    key!(j, "modalities");
    write_modalities(j, modalities);
    key!(j, "lastModifiedDateTime");
    j.time(Ticks(end.0 + issued));
    key!(j, "startDateTime");
    j.time(start);
    key!(j, "endDateTime");
    j.time(end);
    key!(j, "joinWebUrl");
    j.opt_str(plan.join_url.as_deref());
    key!(j, "organizer");
    write_identity_set(j, pop, &plan.organizer);
    key!(j, "participants");
    j.begin_arr();
    for p in plan.participants.iter().take(130) {
        write_identity_set(j, pop, p);
    }
    j.end_arr();
    key!(j, "organizer_v2");
    write_participant(j, pop, &plan.organizer);
    key!(j, "participants_v2");
    j.begin_arr();
    for p in &plan.participants {
        write_participant(j, pop, p);
    }
    j.end_arr();
    key!(j, "sessions");
    j.begin_arr();
    for s in &plan.sessions {
        let missing = match s.telemetry {
            Telemetry::Full => false,
            Telemetry::Late => version < 2,
            Telemetry::Lost => true,
        };
        write_session(j, r, world, plan, s, missing);
    }
    j.end_arr();
    j.end_obj();
}

fn write_modalities(j: &mut Json, m: [bool; 3]) {
    j.begin_arr();
    for (on, name) in m.iter().zip(["audio", "video", "videoBasedScreenSharing"]) {
        if *on {
            j.str(name);
        }
    }
    j.end_arr();
}

/// A deprecated `identitySet` (`organizer`, `participants`, `participantEndpoint.identity`).
fn write_identity_set(j: &mut Json, pop: &Population, party: &Party) {
    j.begin_obj();
    match party {
        Party::Person(p) => {
            let u = &pop.people[*p];
            key!(j, "user");
            j.begin_obj();
            key!(j, "id");
            j.guid(u.id);
            key!(j, "displayName");
            j.str(&u.display_name);
            key!(j, "tenantId");
            j.guid(u.tenant);
            j.end_obj();
        }
        Party::Phone(n) => {
            // `phone` is declared by the derived communicationsIdentitySet, not by identitySet.
            key!(j, "@odata.type");
            lit!(j, "#microsoft.graph.communicationsIdentitySet");
            key!(j, "phone");
            j.begin_obj();
            key!(j, "id");
            j.str(n);
            key!(j, "displayName");
            j.null();
            j.end_obj();
        }
    }
    j.end_obj();
}

/// A `participant`/`organizer` entity.
fn write_participant(j: &mut Json, pop: &Population, party: &Party) {
    j.begin_obj();
    key!(j, "id");
    match party {
        Party::Person(p) => j.guid(pop.people[*p].id),
        Party::Phone(n) => j.str(n),
    }
    key!(j, "identity");
    j.begin_obj();
    match party {
        Party::Person(p) => {
            let u = &pop.people[*p];
            key!(j, "user");
            j.begin_obj();
            key!(j, "id");
            j.guid(u.id);
            key!(j, "displayName");
            j.str(&u.display_name);
            key!(j, "tenantId");
            j.guid(u.tenant);
            key!(j, "userPrincipalName");
            j.str(&u.upn);
            j.end_obj();
        }
        Party::Phone(n) => {
            key!(j, "phone");
            j.begin_obj();
            key!(j, "id");
            j.str(n);
            key!(j, "displayName");
            j.null();
            j.end_obj();
        }
    }
    j.end_obj();
    key!(j, "administrativeUnitInfos");
    j.begin_arr();
    if let Party::Person(p) = party
        && let Some(unit) = pop.people[*p].admin_unit
    {
        j.begin_obj();
        key!(j, "id");
        j.guid(unit);
        j.end_obj();
    }
    j.end_arr();
    j.end_obj();
}

fn write_endpoint(
    j: &mut Json,
    pop: &Population,
    ep: &Ep,
    feedback: Option<&Feedback>,
    missing: bool,
) {
    j.begin_obj();
    match ep {
        Ep::Client { who, device, .. } => {
            let u = &pop.people[*who];
            key!(j, "@odata.type");
            lit!(j, "#microsoft.graph.callRecords.participantEndpoint");
            key!(j, "name");
            j.opt_str(device.name.as_deref());
            let cpu = if missing { None } else { device.cpu };
            key!(j, "cpuName");
            j.opt_str(cpu.map(|c| c.0));
            key!(j, "cpuCoresCount");
            j.opt_i64(cpu.map(|c| c.1));
            key!(j, "cpuProcessorSpeedInMhz");
            j.opt_i64(cpu.map(|c| c.2));
            key!(j, "userAgent");
            j.begin_obj();
            key!(j, "@odata.type");
            lit!(j, "#microsoft.graph.callRecords.clientUserAgent");
            key!(j, "headerValue");
            j.str(&device.header_value);
            key!(j, "applicationVersion");
            j.str(&device.app_version);
            key!(j, "platform");
            j.str(device.platform);
            key!(j, "productFamily");
            j.str(device.product_family);
            key!(j, "azureADAppId");
            j.null();
            key!(j, "communicationServiceId");
            j.null();
            j.end_obj();
            key!(j, "associatedIdentity");
            j.begin_obj();
            key!(j, "id");
            j.guid(u.id);
            key!(j, "displayName");
            j.str(&u.display_name);
            key!(j, "tenantId");
            j.guid(u.tenant);
            key!(j, "userPrincipalName");
            j.str(&u.upn);
            j.end_obj();
            key!(j, "feedback");
            match feedback.filter(|_| !missing) {
                Some(f) => write_feedback(j, f),
                None => j.null(),
            }
        }
        Ep::Service { service, .. } => {
            let (header, version) = service.agent();
            key!(j, "@odata.type");
            lit!(j, "#microsoft.graph.callRecords.serviceEndpoint");
            key!(j, "userAgent");
            j.begin_obj();
            key!(j, "@odata.type");
            lit!(j, "#microsoft.graph.callRecords.serviceUserAgent");
            key!(j, "headerValue");
            j.str(header);
            key!(j, "applicationVersion");
            j.str(version);
            key!(j, "role");
            j.str(service.role());
            j.end_obj();
        }
    }
    j.end_obj();
}

fn write_feedback(j: &mut Json, f: &Feedback) {
    j.begin_obj();
    key!(j, "rating");
    j.str(f.rating);
    key!(j, "text");
    j.opt_str(f.text);
    key!(j, "tokens");
    match f.tokens {
        Some(bits) => {
            j.begin_obj();
            for (k, name) in FEEDBACK_TOKENS.iter().enumerate() {
                j.key(name);
                j.bool(bits & (1 << k) != 0);
            }
            j.end_obj();
        }
        None => j.null(),
    }
    j.end_obj();
}

fn write_failure(j: &mut Json, f: Option<Failure>) {
    match f {
        Some(f) => {
            j.begin_obj();
            key!(j, "stage");
            j.str(f.stage);
            key!(j, "reason");
            j.str(f.reason);
            j.end_obj();
        }
        None => j.null(),
    }
}

fn write_session(
    j: &mut Json,
    r: &mut Rng,
    world: &World,
    plan: &Plan,
    s: &SessionPlan,
    missing: bool,
) {
    let pop = &world.population;
    j.begin_obj();
    key!(j, "id");
    j.guid(s.id);
    key!(j, "modalities");
    write_modalities(j, s.modalities());
    key!(j, "startDateTime");
    j.time(s.start);
    key!(j, "endDateTime");
    j.time(s.end);
    key!(j, "isTest");
    j.bool(false);
    key!(j, "caller");
    write_endpoint(j, pop, &plan.eps[s.caller], s.feedback[0].as_ref(), missing);
    key!(j, "callee");
    write_endpoint(j, pop, &plan.eps[s.callee], s.feedback[1].as_ref(), missing);
    key!(j, "failureInfo");
    write_failure(j, s.failure);
    key!(j, "segments");
    j.begin_arr();
    for seg in &s.segments {
        write_segment(j, r, pop, plan, s, seg, missing);
    }
    j.end_arr();
    j.end_obj();
}

fn write_segment(
    j: &mut Json,
    r: &mut Rng,
    pop: &Population,
    plan: &Plan,
    s: &SessionPlan,
    seg: &SegmentPlan,
    missing: bool,
) {
    let (caller, callee) = (&plan.eps[seg.caller], &plan.eps[seg.callee]);
    j.begin_obj();
    key!(j, "id");
    j.guid(seg.id);
    key!(j, "startDateTime");
    j.time(seg.start);
    key!(j, "endDateTime");
    j.time(seg.end);
    key!(j, "caller");
    write_endpoint(j, pop, caller, None, missing);
    key!(j, "callee");
    write_endpoint(j, pop, callee, None, missing);
    key!(j, "failureInfo");
    write_failure(j, seg.failure);
    key!(j, "media");
    j.begin_arr();
    let secs = (seg.end.0 - seg.start.0) as f64 / SECOND as f64;
    for m in &seg.media {
        // Which way the trouble ran: one direction, or both on a bad network.
        let mode = *r.pick(&[
            Impairment::Loss,
            Impairment::Jitter,
            Impairment::RoundTrip,
            Impairment::Concealment,
        ]);
        let which = r.below(3);
        let impaired = |dir_caller: bool| s.impaired && (which == 2 || (which == 0) == dir_caller);
        let video_codec = *r.pick(&["h264", "h264", "h264", "av1"]);
        j.begin_obj();
        key!(j, "label");
        j.str(m.kind.label());
        key!(j, "callerNetwork");
        media::write_network(j, r, caller.net(), s.impaired, missing);
        key!(j, "calleeNetwork");
        media::write_network(j, r, callee.net(), s.impaired, missing);
        key!(j, "callerDevice");
        media::write_device(
            j,
            r,
            caller
                .device()
                .filter(|_| m.caller_sends || m.kind == MediaKind::Audio),
            m.kind,
            missing,
        );
        key!(j, "calleeDevice");
        media::write_device(
            j,
            r,
            callee
                .device()
                .filter(|_| m.callee_sends || m.kind == MediaKind::Audio),
            m.kind,
            missing,
        );
        key!(j, "streams");
        j.begin_arr();
        for (sends, direction, from_caller) in [
            (m.caller_sends, "callerToCallee", true),
            (m.callee_sends, "calleeToCaller", false),
        ] {
            let (sender, receiver) = if from_caller {
                (caller, callee)
            } else {
                (callee, caller)
            };
            let spec = StreamSpec {
                kind: m.kind,
                direction,
                secs,
                sender: sender.net(),
                receiver: receiver.net(),
                impairment: impaired(from_caller).then_some(mode),
                audio_codec: seg.audio_codec,
                video_codec,
                sip_times: seg.sip.then(|| (Ticks(seg.start.0 + SECOND / 5), seg.end)),
                bypassed: seg.bypassed,
                meeting: s.meeting,
            };
            if sends {
                media::write_stream(j, r, &spec, missing);
            }
        }
        j.end_arr();
        j.end_obj();
    }
    j.end_arr();
    j.end_obj();
}
