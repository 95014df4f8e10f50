//! The stable world the generated calls happen in: the tenant's users, meeting rooms and partner users,
//! their sites, teams, devices and networks.
//!
//! Everything here is derived from the seed once, so the same person shows up in many calls with the same
//! laptop, headset, desk subnet and home Wi-Fi, as in a real tenant's call records.

use super::rng::{Guid, Rng};

/// Where a site's PSTN numbers come from; used for the external parties of PSTN calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Country {
    Us(u16),
    Uk,
    De,
    In,
}

/// An office (or, for partner tenants, their whole organisation seen from outside).
#[derive(Debug)]
pub(crate) struct Site {
    /// Offset of local time from UTC, minutes; drives the working-hours peak of calls.
    pub(crate) tz_minutes: i32,
    /// Relative head count.
    pub(crate) weight: u32,
    pub(crate) country: Country,
    /// Second octet of the site's `10.x.0.0/16` address block.
    pub(crate) octet: u8,
    /// Public egress address (first three octets); the relay sees the site's endpoints behind it.
    pub(crate) egress: [u8; 3],
    pub(crate) dns_suffix: &'static str,
    pub(crate) access_points: Vec<AccessPoint>,
    /// Whether the site belongs to the tenant (partner sites only host external participants).
    pub(crate) internal: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct AccessPoint {
    pub(crate) bssid: [u8; 6],
    pub(crate) band: WifiBand,
    pub(crate) radio: &'static str,
    pub(crate) channel: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum WifiBand {
    G24,
    G5,
}

impl WifiBand {
    pub(crate) fn name(self) -> &'static str {
        match self {
            WifiBand::G24 => "frequency24GHz",
            WifiBand::G5 => "frequency50GHz",
        }
    }
}

/// How a user reaches the corporate network from home.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Vpn {
    None,
    /// Teams media is split off the tunnel; only the DNS suffix shows it.
    Split,
    /// All traffic, media included, goes through the tunnel.
    Full,
}

#[derive(Debug, Clone)]
pub(crate) struct Home {
    pub(crate) prefix: [u8; 3],
    pub(crate) host: u8,
    pub(crate) public: [u8; 4],
    pub(crate) ap: AccessPoint,
    /// Typical Wi-Fi signal strength at the user's desk at home, percent.
    pub(crate) signal: i64,
    /// 0 for a good line, up to 1 for a poor one; raises the chance of impaired streams.
    pub(crate) badness: f64,
    pub(crate) vpn: Vpn,
}

/// A device defect that shows in the device ratios of every call made with it.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Flaws {
    pub(crate) render_failure: bool,
    pub(crate) capture_failure: bool,
    pub(crate) echo: bool,
    pub(crate) low_speech: bool,
    pub(crate) clipping: bool,
    pub(crate) weak_cpu: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Device {
    pub(crate) platform: &'static str,
    pub(crate) product_family: &'static str,
    pub(crate) header_value: String,
    pub(crate) app_version: String,
    pub(crate) name: Option<String>,
    pub(crate) cpu: Option<(&'static str, i64, i64)>,
    pub(crate) capture: Option<&'static str>,
    pub(crate) capture_driver: Option<&'static str>,
    pub(crate) render: Option<&'static str>,
    pub(crate) render_driver: Option<&'static str>,
    pub(crate) camera: Option<&'static str>,
    pub(crate) mac: Option<[u8; 6]>,
    pub(crate) wifi_driver: Option<(&'static str, &'static str)>,
    pub(crate) mobile: bool,
    pub(crate) flaws: Flaws,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Employee,
    Room,
    Partner,
}

#[derive(Debug)]
pub(crate) struct User {
    pub(crate) id: Guid,
    pub(crate) display_name: String,
    pub(crate) upn: String,
    pub(crate) tenant: Guid,
    pub(crate) kind: Kind,
    pub(crate) site: usize,
    pub(crate) team: usize,
    /// Share of the user's calls made from home.
    pub(crate) remote_share: f64,
    /// Share of the user's calls made from the phone.
    pub(crate) mobile_share: f64,
    /// At the office: docked on the desk's wired port, or on the office Wi-Fi.
    pub(crate) office_wired: bool,
    pub(crate) floor: u8,
    pub(crate) desk_host: u8,
    pub(crate) home: Home,
    pub(crate) primary: Device,
    pub(crate) phone: Device,
    pub(crate) admin_unit: Option<Guid>,
}

/// Everyone and everything the generator draws calls from.
#[derive(Debug)]
pub(crate) struct Population {
    pub(crate) tenant_text: String,
    pub(crate) sites: Vec<Site>,
    /// Employees first (`0..employees`), then rooms, then partner users.
    pub(crate) people: Vec<User>,
    pub(crate) employees: usize,
    pub(crate) partners: std::ops::Range<usize>,
    /// Employees of each team.
    pub(crate) teams: Vec<Vec<u32>>,
    /// Employees of each site.
    pub(crate) by_site: Vec<Vec<u32>>,
    /// Rooms of each site.
    pub(crate) rooms_by_site: Vec<Vec<u32>>,
}

const DOMAIN: &str = "contoso.com";

/// The tenant's offices: (city, tz offset in minutes, head-count weight, numbering country).
const SITES: [(&str, i32, u32, Country); 7] = [
    ("redmond-b25", -480, 30, Country::Us(425)),
    ("redmond-b92", -480, 18, Country::Us(425)),
    ("seattle", -480, 10, Country::Us(206)),
    ("newyork", -300, 12, Country::Us(212)),
    ("london", 0, 12, Country::Uk),
    ("munich", 60, 10, Country::De),
    ("bangalore", 330, 8, Country::In),
];

/// Federated partners whose users join the tenant's meetings: (domain, tz, country).
const PARTNERS: [(&str, i32, Country); 3] = [
    ("fabrikam.com", -300, Country::Us(212)),
    ("northwindtraders.com", 0, Country::Uk),
    ("adatum.com", 60, Country::De),
];

const FIRST_NAMES: [&str; 96] = [
    "Abbie",
    "Adele",
    "Aiden",
    "Alex",
    "Alice",
    "Amara",
    "Anette",
    "Ana",
    "Anil",
    "Arjun",
    "Ben",
    "Bianca",
    "Carlos",
    "Chen",
    "Chloe",
    "Christie",
    "Daichi",
    "Daniel",
    "David",
    "Diego",
    "Elena",
    "Emily",
    "Emma",
    "Erik",
    "Fatima",
    "Felix",
    "Fiona",
    "Gabriel",
    "Grace",
    "Hannah",
    "Hiroshi",
    "Ines",
    "Isaiah",
    "Ivan",
    "Jack",
    "Jana",
    "Jessica",
    "Joni",
    "Jonas",
    "Julia",
    "Kai",
    "Karin",
    "Kenji",
    "Laura",
    "Lee",
    "Leon",
    "Lidia",
    "Lukas",
    "Lynne",
    "Maria",
    "Marco",
    "Megan",
    "Mei",
    "Miriam",
    "Mohamed",
    "Nadia",
    "Nestor",
    "Noah",
    "Nora",
    "Olga",
    "Omar",
    "Owen",
    "Patti",
    "Pedro",
    "Pradeep",
    "Priya",
    "Rahul",
    "Raul",
    "Rosa",
    "Ryan",
    "Sakura",
    "Samir",
    "Sara",
    "Sean",
    "Sofia",
    "Sven",
    "Tanvi",
    "Theo",
    "Tomas",
    "Valentina",
    "Victor",
    "Wei",
    "William",
    "Xavier",
    "Yara",
    "Yuki",
    "Zara",
    "Zoe",
    "Hugo",
    "Ingrid",
    "Kofi",
    "Liam",
    "Maya",
    "Nikhil",
    "Oscar",
    "Paula",
];

const LAST_NAMES: [&str; 96] = [
    "Adams",
    "Alvarez",
    "Andersen",
    "Bauer",
    "Becker",
    "Bell",
    "Brooks",
    "Campbell",
    "Castillo",
    "Chen",
    "Clarke",
    "Costa",
    "Das",
    "Diaz",
    "Dubois",
    "Edwards",
    "Eriksson",
    "Fernandes",
    "Fischer",
    "Fleming",
    "Franklin",
    "Garcia",
    "Gomez",
    "Gupta",
    "Hall",
    "Hansen",
    "Harris",
    "Hoffmann",
    "Huang",
    "Iyer",
    "Jensen",
    "Johnson",
    "Kapoor",
    "Kaur",
    "Keller",
    "Khan",
    "Kim",
    "Klein",
    "Kowalski",
    "Kumar",
    "Larsen",
    "Lee",
    "Lopez",
    "Maruyama",
    "Martin",
    "Meyer",
    "Miller",
    "Moreau",
    "Morris",
    "Nakamura",
    "Nguyen",
    "Novak",
    "Okafor",
    "Olsen",
    "Patel",
    "Perez",
    "Petrov",
    "Quinn",
    "Reddy",
    "Reyes",
    "Richter",
    "Rossi",
    "Russo",
    "Sato",
    "Schmidt",
    "Schneider",
    "Shah",
    "Silva",
    "Singh",
    "Smith",
    "Sousa",
    "Suzuki",
    "Tanaka",
    "Taylor",
    "Thomsen",
    "Torres",
    "Vance",
    "Varga",
    "Wagner",
    "Walker",
    "Wang",
    "Weber",
    "Wilkins",
    "Wilson",
    "Wong",
    "Wright",
    "Yamada",
    "Young",
    "Zhang",
    "Ziegler",
    "Zimmermann",
    "Nowak",
    "Baker",
    "Murphy",
    "Cohen",
    "Ahmed",
];

/// (capture device, render device, share): headsets and built-in audio seen on Windows.
const WINDOWS_AUDIO: [(&str, &str, u32); 10] = [
    (
        "Microphone (Jabra Evolve2 65)",
        "Headset (Jabra Evolve2 65)",
        14,
    ),
    (
        "Headset Microphone (Poly BT700)",
        "Headphones (Poly BT700)",
        9,
    ),
    (
        "Microphone Array (Realtek(R) Audio)",
        "Speakers (Realtek(R) Audio)",
        16,
    ),
    (
        "Microphone (Logitech Zone Wireless)",
        "Headphones (Logitech Zone Wireless)",
        8,
    ),
    (
        "Echo Cancelling Speakerphone (Jabra Speak 750)",
        "Echo Cancelling Speakerphone (Jabra Speak 750)",
        5,
    ),
    ("Microphone (Yealink UH36)", "Speakers (Yealink UH36)", 6),
    (
        "Headset Microphone (Surface Headphones 2+)",
        "Headphones (Surface Headphones 2+)",
        6,
    ),
    (
        "Microphone (Jabra Evolve2 85)",
        "Headset (Jabra Evolve2 85)",
        7,
    ),
    (
        "Microphone Array (Intel® Smart Sound Technology for Digital Microphones)",
        "Speakers (Realtek(R) Audio)",
        12,
    ),
    (
        "Microphone (EPOS IMPACT 1060)",
        "Speakers (EPOS IMPACT 1060)",
        4,
    ),
];

const WINDOWS_DRIVERS: [&str; 4] = [
    "Microsoft: 10.0.22621.1",
    "Realtek Semiconductor Corp.: 6.0.9549.1",
    "Microsoft: 10.0.19041.4355",
    "Intel(R) Corporation: 10.29.0.9677",
];

const MAC_AUDIO: [(&str, &str); 4] = [
    ("MacBook Pro Microphone", "MacBook Pro Speakers"),
    ("AirPods Pro", "AirPods Pro"),
    ("Jabra Evolve2 65", "Jabra Evolve2 65"),
    ("MacBook Air Microphone", "MacBook Air Speakers"),
];

const CAMERAS_WINDOWS: [&str; 5] = [
    "Integrated Camera",
    "Surface Camera Front",
    "Logitech BRIO",
    "HD Pro Webcam C920",
    "Microsoft® Modern Webcam",
];

/// (CPU name, cores, MHz).
const WINDOWS_CPUS: [(&str, i64, i64); 6] = [
    ("11th Gen Intel(R) Core(TM) i5-1145G7 @ 2.60GHz", 8, 2611),
    ("12th Gen Intel(R) Core(TM) i7-1265U", 12, 2688),
    ("13th Gen Intel(R) Core(TM) i7-1365U", 12, 1804),
    ("Intel(R) Core(TM) Ultra 7 165U", 14, 2112),
    ("AMD Ryzen 7 PRO 6850U with Radeon Graphics", 16, 2701),
    ("Intel(R) Core(TM) i5-8365U CPU @ 1.60GHz", 8, 1896),
];

const MAC_CPUS: [(&str, i64, i64); 4] = [
    ("Apple M1", 8, 2400),
    ("Apple M2 Pro", 10, 3504),
    ("Apple M3", 8, 4050),
    ("Apple M1 Pro", 10, 3228),
];

const WIFI_ADAPTERS: [(&str, &str); 4] = [
    ("Intel(R) Wi-Fi 6E AX211 160MHz", "23.60.0.10"),
    ("Intel(R) Wi-Fi 6 AX201 160MHz", "22.250.1.2"),
    (
        "Qualcomm FastConnect 6900 Wi-Fi 6E Dual Band Simultaneous (DBS) WiFiCx Network Adapter",
        "3.1.0.1339",
    ),
    (
        "Realtek RTL8852BE WiFi 6 802.11ax PCIe Adapter",
        "6001.15.150.300",
    ),
];

const IPHONES: [(&str, &str); 4] = [
    ("iPhone15,2", "17.6.1"),
    ("iPhone16,1", "18.1"),
    ("iPhone14,5", "17.5"),
    ("iPhone15,4", "18.2"),
];

const ANDROIDS: [(&str, &str); 4] = [
    ("SM-S918B", "14"),
    ("Pixel 8", "15"),
    ("SM-A546B", "14"),
    ("moto g84 5G", "13"),
];

/// Builds the population for a seed. `users` is the number of employees (at least 2 are made).
pub(crate) fn build(seed: u64, tenant_text: &str, users: u32) -> Population {
    // A tenant id that is not a GUID still names one tenant: the same text gives the same GUID.
    let tenant = parse_guid(tenant_text).unwrap_or_else(|| {
        let hash = tenant_text
            .bytes()
            .fold(0u64, |h, b| super::rng::mix(h ^ u64::from(b)));
        Rng::derive(hash, 0x7E4A, 0).guid()
    });
    let mut rng = Rng::derive(seed, 0x909, 0);
    let mut sites = Vec::new();
    for (i, &(_, tz, weight, country)) in SITES.iter().enumerate() {
        let name = SITES[i].0;
        sites.push(make_site(
            &mut rng,
            i,
            tz,
            weight,
            country,
            true,
            if name.starts_with("redmond") {
                "redmond.corp.contoso.com"
            } else {
                "corp.contoso.com"
            },
        ));
    }
    for (j, &(_, tz, country)) in PARTNERS.iter().enumerate() {
        sites.push(make_site(
            &mut rng,
            SITES.len() + j,
            tz,
            0,
            country,
            false,
            "corp.partner.example",
        ));
    }

    let employees = users.max(2) as usize;
    let site_weights: Vec<u32> = SITES.iter().map(|s| s.2).collect();
    let mut people = Vec::with_capacity(employees + 64);
    let mut taken = std::collections::HashSet::new();
    let mut by_site: Vec<Vec<u32>> = vec![Vec::new(); sites.len()];
    let admin_unit_emea = Rng::derive(seed, 0xAD, 0).guid();
    for n in 0..employees {
        let mut r = Rng::derive(seed, 0x05E4, n as u64);
        let site = r.weighted(&site_weights);
        let (display_name, upn) = unique_name(&mut r, &mut taken, DOMAIN);
        let emea = matches!(sites[site].country, Country::Uk | Country::De);
        let mut user = make_user(
            &mut r,
            display_name,
            upn,
            tenant,
            Kind::Employee,
            site,
            &sites[site],
        );
        user.admin_unit = emea.then_some(admin_unit_emea);
        by_site[site].push(n as u32);
        people.push(user);
    }

    // Teams of 5 to 15 colleagues from one site: most calls stay inside a team.
    let mut teams: Vec<Vec<u32>> = Vec::new();
    for members in &by_site {
        let mut r = Rng::derive(seed, 0x7EA3, teams.len() as u64);
        let mut k = 0;
        while k < members.len() {
            let size = (r.range(5, 15) as usize).min(members.len() - k);
            let team = teams.len();
            for &m in &members[k..k + size] {
                people[m as usize].team = team;
            }
            teams.push(members[k..k + size].to_vec());
            k += size;
        }
    }

    let mut rooms_by_site: Vec<Vec<u32>> = vec![Vec::new(); sites.len()];
    for (s, site) in sites.iter().enumerate().filter(|(_, s)| s.internal) {
        let count = (SITES[s].2 as usize * employees / 800).clamp(1, 12);
        for k in 0..count {
            let mut r = Rng::derive(seed, 0x200A, (s * 100 + k) as u64);
            let floor = r.range(1, 6);
            let seats = *r.pick(&[4, 6, 8, 10, 12, 16]);
            let room_no = floor * 1000 + r.range(10, 99) * 10;
            let city = SITES[s].0.split('-').next().unwrap_or("hq");
            let display_name = format!("Conf Room {}/{} ({seats})", title_case(city), room_no);
            let upn = format!("room-{city}-{room_no}@{DOMAIN}");
            let mut room = make_user(&mut r, display_name, upn, tenant, Kind::Room, s, site);
            room.remote_share = 0.0;
            room.mobile_share = 0.0;
            room.office_wired = true;
            room.admin_unit = None;
            room.primary = room_device(&mut r, room_no);
            rooms_by_site[s].push(people.len() as u32);
            people.push(room);
        }
    }

    let partners_start = people.len();
    for (j, &(domain, _, _)) in PARTNERS.iter().enumerate() {
        let partner_tenant = Rng::derive(seed, 0x9A27, j as u64).guid();
        for k in 0..20 {
            let mut r = Rng::derive(seed, 0x9A28, (j * 1000 + k) as u64);
            let (display_name, upn) = unique_name(&mut r, &mut taken, domain);
            let site = SITES.len() + j;
            let user = make_user(
                &mut r,
                display_name,
                upn,
                partner_tenant,
                Kind::Partner,
                site,
                &sites[site],
            );
            people.push(user);
        }
    }
    let end = people.len();

    Population {
        tenant_text: tenant_text.to_owned(),
        sites,
        people,
        employees,
        partners: partners_start..end,
        teams,
        by_site,
        rooms_by_site,
    }
}

fn title_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn parse_guid(s: &str) -> Option<Guid> {
    let hex: String = s.chars().filter(|&c| c != '-').collect();
    if s.len() != 36 || hex.len() != 32 {
        return None;
    }
    u128::from_str_radix(&hex, 16).ok().map(Guid)
}

fn make_site(
    rng: &mut Rng,
    index: usize,
    tz_minutes: i32,
    weight: u32,
    country: Country,
    internal: bool,
    dns_suffix: &'static str,
) -> Site {
    let access_points = (0..8)
        .map(|_| {
            let band = if rng.chance(0.85) {
                WifiBand::G5
            } else {
                WifiBand::G24
            };
            AccessPoint {
                bssid: mac_from(rng, [0x00, 0x3A, 0x7D]),
                band,
                radio: if rng.chance(0.7) {
                    "wifi80211ax"
                } else {
                    "wifi80211ac"
                },
                channel: channel_for(rng, band),
            }
        })
        .collect();
    Site {
        tz_minutes,
        weight,
        country,
        octet: 20 + index as u8 * 4,
        egress: [198, 51, 100 + (index as u8 % 3)],
        dns_suffix,
        access_points,
        internal,
    }
}

fn channel_for(rng: &mut Rng, band: WifiBand) -> i64 {
    match band {
        WifiBand::G24 => *rng.pick(&[1, 6, 11]),
        WifiBand::G5 => *rng.pick(&[36, 40, 44, 48, 52, 100, 108, 116, 149, 153, 157, 161]),
    }
}

fn mac_from(rng: &mut Rng, oui: [u8; 3]) -> [u8; 6] {
    let x = rng.next_u64();
    [
        oui[0],
        oui[1],
        oui[2],
        x as u8,
        (x >> 8) as u8,
        (x >> 16) as u8,
    ]
}

fn unique_name(
    rng: &mut Rng,
    taken: &mut std::collections::HashSet<String>,
    domain: &str,
) -> (String, String) {
    let first = *rng.pick(&FIRST_NAMES);
    let last = *rng.pick(&LAST_NAMES);
    let base = format!(
        "{}.{}",
        first.to_ascii_lowercase(),
        last.to_ascii_lowercase()
    );
    let mut upn = format!("{base}@{domain}");
    let mut n = 2;
    while !taken.insert(upn.clone()) {
        upn = format!("{base}{n}@{domain}");
        n += 1;
    }
    (format!("{first} {last}"), upn)
}

fn make_user(
    r: &mut Rng,
    display_name: String,
    upn: String,
    tenant: Guid,
    kind: Kind,
    site: usize,
    at: &Site,
) -> User {
    let id = r.guid();
    let home_prefix = *r.pick(&[
        [192, 168, 1],
        [192, 168, 0],
        [192, 168, 178],
        [10, 0, 0],
        [192, 168, 86],
    ]);
    let home_band = if r.chance(0.65) {
        WifiBand::G5
    } else {
        WifiBand::G24
    };
    let public = match at.country {
        Country::Us(_) => [
            73,
            r.range(0, 255) as u8,
            r.range(0, 255) as u8,
            r.range(1, 254) as u8,
        ],
        Country::Uk => [
            86,
            r.range(128, 191) as u8,
            r.range(0, 255) as u8,
            r.range(1, 254) as u8,
        ],
        Country::De => [
            93,
            r.range(192, 255) as u8,
            r.range(0, 255) as u8,
            r.range(1, 254) as u8,
        ],
        Country::In => [
            49,
            r.range(32, 63) as u8,
            r.range(0, 255) as u8,
            r.range(1, 254) as u8,
        ],
    };
    let vpn = match r.below(100) {
        0..=79 => Vpn::None,
        80..=93 => Vpn::Split,
        _ => Vpn::Full,
    };
    let home = Home {
        prefix: home_prefix,
        host: r.range(2, 250) as u8,
        public,
        ap: AccessPoint {
            bssid: mac_from(r, [0xA4, 0x2B, 0xB0]),
            band: home_band,
            radio: r.choose(&["wifi80211n", "wifi80211ac", "wifi80211ax", "wifi80211ax"]),
            channel: channel_for(r, home_band),
        },
        signal: if home_band == WifiBand::G5 {
            r.range(55, 99)
        } else {
            r.range(35, 90)
        },
        badness: r.skewed(0.0, 1.0, 3),
        vpn,
    };
    let primary = primary_device(r, &display_name);
    let phone = phone_device(r);
    User {
        id,
        display_name,
        upn,
        tenant,
        kind,
        site,
        team: 0,
        remote_share: *r.pick(&[0.05, 0.2, 0.4, 0.5, 0.6, 0.8, 0.95]),
        mobile_share: *r.pick(&[0.02, 0.05, 0.08, 0.12, 0.2]),
        office_wired: r.chance(0.45),
        floor: r.range(1, 6) as u8,
        desk_host: r.range(10, 250) as u8,
        home,
        primary,
        phone,
        admin_unit: None,
    }
}

fn flaws(r: &mut Rng) -> Flaws {
    Flaws {
        render_failure: r.chance(0.005),
        capture_failure: r.chance(0.004),
        echo: r.chance(0.01),
        low_speech: r.chance(0.03),
        clipping: r.chance(0.02),
        weak_cpu: r.chance(0.03),
    }
}

/// Teams build numbers seen in the field around the generated period.
const TEAMS_DESKTOP_VERSIONS: [&str; 4] = [
    "24295.605.3225.8804",
    "24277.3502.3161.3007",
    "25007.206.3345.1428",
    "24335.208.3315.1951",
];

fn primary_device(r: &mut Rng, display_name: &str) -> Device {
    let platform = match r.below(100) {
        0..=67 => "windows",
        68..=87 => "macOS",
        _ => "web",
    };
    let first = display_name.split(' ').next().unwrap_or("user");
    let flaws = flaws(r);
    match platform {
        "windows" => {
            let (capture, render) = {
                let weights: Vec<u32> = WINDOWS_AUDIO.iter().map(|a| a.2).collect();
                let a = WINDOWS_AUDIO[r.weighted(&weights)];
                (a.0, a.1)
            };
            let legacy = r.chance(0.02);
            let (family, version, header) = if legacy {
                let v = "16.0.17928.20114";
                (
                    "skypeForBusiness",
                    v.to_owned(),
                    format!("UCCAPI/{v} OC/{v} (Skype for Business)"),
                )
            } else {
                let v = *r.pick(&TEAMS_DESKTOP_VERSIONS);
                let os = *r.pick(&["10.0.22631", "10.0.26100", "10.0.19045"]);
                (
                    "teams",
                    v.to_owned(),
                    format!(
                        "RTCC/{}.{} (Windows {os}; x64) Teams/{v}",
                        &v[..5],
                        r.range(100, 999)
                    ),
                )
            };
            Device {
                platform,
                product_family: family,
                header_value: header,
                app_version: version,
                name: Some(format!("CONTOSO-LT{:05}", r.range(1000, 99_999))),
                cpu: Some(*r.pick(&WINDOWS_CPUS)),
                capture: Some(capture),
                capture_driver: Some(*r.pick(&WINDOWS_DRIVERS)),
                render: Some(render),
                render_driver: Some(*r.pick(&WINDOWS_DRIVERS)),
                camera: Some(*r.pick(&CAMERAS_WINDOWS)),
                mac: {
                    let oui =
                        *r.pick(&[[0x3C, 0x21, 0x9C], [0x70, 0xA8, 0xD3], [0xC8, 0x5E, 0xA9]]);
                    Some(mac_from(r, oui))
                },
                wifi_driver: Some(*r.pick(&WIFI_ADAPTERS)),
                mobile: false,
                flaws,
            }
        }
        "macOS" => {
            let (capture, render) = *r.pick(&MAC_AUDIO);
            let v = *r.pick(&TEAMS_DESKTOP_VERSIONS);
            let os = *r.pick(&["14.6.1", "15.1", "15.2", "13.6.9"]);
            Device {
                platform,
                product_family: "teams",
                header_value: format!(
                    "RTCC/{}.{} (Mac OS X {os}; arm64) Teams/{v}",
                    &v[..5],
                    r.range(100, 999)
                ),
                app_version: v.to_owned(),
                name: Some(format!("{first}s-MacBook-Pro")),
                cpu: Some(*r.pick(&MAC_CPUS)),
                capture: Some(capture),
                capture_driver: None,
                render: Some(render),
                render_driver: None,
                camera: Some("FaceTime HD Camera"),
                mac: Some([0x02, 0, 0, 0, 0, 0]),
                wifi_driver: None,
                mobile: false,
                flaws,
            }
        }
        _ => {
            let chrome = r.range(128, 131);
            let v = format!(
                "{}/{}.{}",
                r.pick(&["25010", "24335", "24304"]),
                r.range(1, 30),
                r.range(100, 999)
            );
            Device {
                platform,
                product_family: "teams",
                header_value: format!(
                    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) \
                     Chrome/{chrome}.0.0.0 Safari/537.36 Edg/{chrome}.0.0.0 TeamsWeb/{v}"
                ),
                app_version: v,
                name: None,
                cpu: None,
                capture: Some("Default - Microphone Array (Realtek(R) Audio)"),
                capture_driver: None,
                render: Some("Default - Speakers (Realtek(R) Audio)"),
                render_driver: None,
                camera: Some("Integrated Camera"),
                mac: None,
                wifi_driver: None,
                mobile: false,
                flaws,
            }
        }
    }
}

fn phone_device(r: &mut Rng) -> Device {
    let flaws = flaws(r);
    if r.chance(0.6) {
        let (model, os) = *r.pick(&IPHONES);
        let v = *r.pick(&["6.22.1", "6.23.3", "6.25.1"]);
        Device {
            platform: "iOS",
            product_family: "teams",
            header_value: format!(
                "RTCC/2024.{}.01.5 (iOS {os}; {model}) Teams/{v}",
                r.range(30, 48)
            ),
            app_version: v.to_owned(),
            name: Some("iPhone".to_owned()),
            cpu: Some(("Apple A16 Bionic", 6, 3460)),
            capture: Some(*r.pick(&["iPhone Microphone", "AirPods Pro", "AirPods"])),
            capture_driver: None,
            render: Some(*r.pick(&["Receiver", "Speaker", "AirPods Pro"])),
            render_driver: None,
            camera: Some("Front Camera"),
            mac: Some([0x02, 0, 0, 0, 0, 0]),
            wifi_driver: None,
            mobile: true,
            flaws,
        }
    } else {
        let (model, os) = *r.pick(&ANDROIDS);
        let v = *r.pick(&[
            "1416/1.0.0.2024121902",
            "1416/1.0.0.2025010801",
            "1416/1.0.0.2024112703",
        ]);
        Device {
            platform: "android",
            product_family: "teams",
            header_value: format!(
                "RTCC/2024.{}.01.7 (Android {os}; {model}) Teams/{v}",
                r.range(30, 48)
            ),
            app_version: v.to_owned(),
            name: Some(model.to_owned()),
            cpu: Some(*r.pick(&[
                ("Qualcomm Technologies, Inc SM8550", 8, 3360),
                ("Exynos 1380", 8, 2400),
            ])),
            capture: Some("Built-in microphone"),
            capture_driver: None,
            render: Some(*r.pick(&["Earpiece", "Speaker", "Bluetooth headset"])),
            render_driver: None,
            camera: Some("Front camera"),
            mac: Some([0x02, 0, 0, 0, 0, 0]),
            wifi_driver: None,
            mobile: true,
            flaws,
        }
    }
}

fn room_device(r: &mut Rng, room_no: i64) -> Device {
    let (capture, render, camera) = *r.pick(&[
        (
            "Echo Cancelling Speakerphone (Logitech Rally Mic Pod)",
            "Echo Cancelling Speakerphone (Logitech Rally)",
            "Logitech Rally Camera",
        ),
        (
            "Microphone (Poly Studio X50)",
            "Speakers (Poly Studio X50)",
            "Poly Studio X50",
        ),
        (
            "Microphone (Yealink MeetingBar A20)",
            "Speakers (Yealink MeetingBar A20)",
            "Yealink MeetingBar A20",
        ),
    ]);
    let v = "5.2.115.0";
    Device {
        platform: "roomSystem",
        product_family: "teams",
        header_value: format!(
            "RTCC/2024.40.01.2 (Windows 10.0.22621; x64) TeamsRooms/{v} Teams/24295.605.3225.8804"
        ),
        app_version: v.to_owned(),
        name: Some(format!("MTR-{room_no}")),
        cpu: Some(("Intel(R) Core(TM) i7-1185G7E @ 2.80GHz", 8, 2803)),
        capture: Some(capture),
        capture_driver: Some("Microsoft: 10.0.22621.1"),
        render: Some(render),
        render_driver: Some("Microsoft: 10.0.22621.1"),
        camera: Some(camera),
        mac: Some(mac_from(r, [0x00, 0x04, 0xF2])),
        wifi_driver: None,
        mobile: false,
        flaws: Flaws::default(),
    }
}

impl Population {
    /// A colleague for `who` to call: usually a teammate, often someone at the same site, sometimes anyone.
    pub(crate) fn colleague(&self, r: &mut Rng, who: usize) -> usize {
        let me = &self.people[who];
        for _ in 0..8 {
            let pick = match r.below(100) {
                0..=54 => *r.pick(&self.teams[me.team]) as usize,
                55..=79 => *r.pick(&self.by_site[me.site]) as usize,
                _ => r.below(self.employees as u64) as usize,
            };
            if pick != who {
                return pick;
            }
        }
        (who + 1) % self.employees
    }

    /// An employee of a site, or anyone if the site has none.
    pub(crate) fn employee_at(&self, r: &mut Rng, site: usize) -> usize {
        match self.by_site.get(site) {
            Some(list) if !list.is_empty() => *r.pick(list) as usize,
            _ => r.below(self.employees as u64) as usize,
        }
    }
}
