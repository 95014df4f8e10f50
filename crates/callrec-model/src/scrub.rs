//! Scrubbing: removing the personal data of a call record or log row while keeping its quality data, as
//! Teams' Call Quality Dashboard clears end-user identifiable information after a period.
//!
//! What goes, in a callRecord (everywhere the schema puts these types):
//!
//! - in every identity (`identitySet` and `communicationsIdentitySet` members, `associatedIdentity`): the
//!   `displayName`, `userPrincipalName`, `email` and `ipAddress`; a phone identity's `id` (it is the phone
//!   number) is replaced by a pseudonym, and so is any participant or organizer `id` equal to it;
//! - in every endpoint (`caller`, `callee`): its `name` (often a computer name) and the free text of its
//!   `feedback`;
//! - in every `networkInfo`: `ipAddress`, `reflexiveIPAddress`, `relayIPAddress`, `macAddress`,
//!   `basicServiceSetIdentifier` (the Wi-Fi access point's MAC), and each trace-route hop's `ipAddress`.
//!
//! What stays: every id other than a phone number (Entra object ids, guest and ACS ids are pseudonymous),
//! the subnet (the building map works on it), connection types, devices, platforms and client versions,
//! times, failures, and every media stream metric, so the quality verdicts and reports are unchanged.
//!
//! In a log row: the user's display name and principal name, every phone number (`callerNumber`,
//! `calleeNumber`, `sourceNumber`, `destinationNumber`, `userTelephoneNumber`) and every client IP address.
//! The `userId` stays.
//!
//! A removed value becomes `null` (every one of these properties is nullable); a replaced id keeps the
//! entity addressable. The functions are pure: the caller supplies the pseudonyms.

use std::collections::HashMap;

use serde_json::{Map, Value};

use crate::logs::{LogFacts, LogKind};
use crate::prepare::{PreparedRecord, prepare_with};
use crate::quality::Thresholds;

/// Properties of an identity that name or locate a person.
const IDENTITY_PERSONAL: [&str; 4] = ["displayName", "userPrincipalName", "email", "ipAddress"];

/// Properties of a `networkInfo` that locate a machine or a person.
const NETWORK_PERSONAL: [&str; 5] = [
    "ipAddress",
    "reflexiveIPAddress",
    "relayIPAddress",
    "macAddress",
    "basicServiceSetIdentifier",
];

/// Properties of a log row that name a person or locate a device, whatever the row's kind.
pub const LOG_ROW_PERSONAL: [&str; 11] = [
    "userDisplayName",
    "userPrincipalName",
    "callerNumber",
    "calleeNumber",
    "sourceNumber",
    "destinationNumber",
    "userTelephoneNumber",
    "clientLocalIpV4Address",
    "clientLocalIpV6Address",
    "clientPublicIpV4Address",
    "clientPublicIpV6Address",
];

/// What a scrub removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Scrubbed {
    /// Values set to `null`.
    pub cleared: usize,
    /// Ids replaced by a pseudonym.
    pub replaced: usize,
}

impl Scrubbed {
    pub fn total(&self) -> usize {
        self.cleared + self.replaced
    }
}

/// The pseudonyms of one record: each personal id gets one, the same wherever it occurs in the record.
pub struct Pseudonyms<'a> {
    make: &'a mut dyn FnMut() -> String,
    given: HashMap<String, String>,
}

impl<'a> Pseudonyms<'a> {
    /// `make` returns a fresh pseudonym each time it is called (callrec uses random GUIDs).
    pub fn new(make: &'a mut dyn FnMut() -> String) -> Self {
        Pseudonyms {
            make,
            given: HashMap::new(),
        }
    }

    fn of(&mut self, id: &str) -> String {
        if let Some(p) = self.given.get(id) {
            return p.clone();
        }
        let p = (self.make)();
        self.given.insert(id.to_owned(), p.clone());
        p
    }
}

struct Scrubber<'p, 'a> {
    pseudonyms: &'p mut Pseudonyms<'a>,
    done: Scrubbed,
}

/// Whether an id looks like a phone number: `+` or `tel:` then digits (spaces, dashes, dots and
/// parentheses allowed), or five or more digits alone. A GUID is never one, even when all its hex digits
/// happen to be decimal.
pub fn is_phone_number(id: &str) -> bool {
    if is_guid(id) {
        return false;
    }
    let (rest, prefixed) = match id.strip_prefix("tel:").or_else(|| id.strip_prefix('+')) {
        Some(rest) => (rest.strip_prefix('+').unwrap_or(rest), true),
        None => (id, false),
    };
    let digits = rest.bytes().filter(u8::is_ascii_digit).count();
    let only_phone_chars = rest
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b' ' | b'-' | b'.' | b'(' | b')'));
    only_phone_chars && digits >= if prefixed { 3 } else { 5 }
}

/// `8-4-4-4-12` hex digits.
fn is_guid(id: &str) -> bool {
    let groups: Vec<&str> = id.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

impl Scrubber<'_, '_> {
    fn clear(&mut self, object: &mut Map<String, Value>, keys: &[&str]) {
        for key in keys {
            if let Some(v) = object.get_mut(*key)
                && !v.is_null()
            {
                *v = Value::Null;
                self.done.cleared += 1;
            }
        }
    }

    fn replace_id(&mut self, object: &mut Map<String, Value>) {
        if let Some(Value::String(id)) = object.get_mut("id")
            && !id.is_empty()
        {
            *id = self.pseudonyms.of(id);
            self.done.replaced += 1;
        }
    }

    /// One identity; `member` is its key in the identity set (`phone`, `user`...).
    fn identity(&mut self, member: &str, identity: &mut Value) {
        let Value::Object(identity) = identity else {
            return;
        };
        self.clear(identity, &IDENTITY_PERSONAL);
        // A pseudonym is a GUID, so scrubbing twice changes nothing more.
        let phone = identity
            .get("id")
            .and_then(Value::as_str)
            .is_some_and(|id| is_phone_number(id) || (member == "phone" && !is_guid(id)));
        if phone {
            self.replace_id(identity);
        }
    }

    fn identity_set(&mut self, set: &mut Value) {
        let Value::Object(set) = set else { return };
        for (member, identity) in set.iter_mut() {
            if !member.contains('@') {
                self.identity(member, identity);
            }
        }
    }

    /// An `organizer_v2` or a `participants_v2` entry: its identity first, so that its `id` can follow a
    /// replaced phone id.
    fn participant(&mut self, participant: &mut Value) {
        let Value::Object(p) = participant else {
            return;
        };
        if let Some(identity) = p.get_mut("identity") {
            self.identity_set(identity);
        }
        let personal = p
            .get("id")
            .and_then(Value::as_str)
            .is_some_and(|id| self.pseudonyms.given.contains_key(id) || is_phone_number(id));
        if personal {
            self.replace_id(p);
        }
    }

    fn endpoint(&mut self, endpoint: &mut Value) {
        let Value::Object(e) = endpoint else { return };
        if let Some(identity) = e.get_mut("identity") {
            self.identity_set(identity);
        }
        if let Some(identity) = e.get_mut("associatedIdentity") {
            self.identity("associatedIdentity", identity);
        }
        self.clear(e, &["name"]);
        if let Some(Value::Object(feedback)) = e.get_mut("feedback") {
            self.clear(feedback, &["text"]);
        }
    }

    fn network(&mut self, network: &mut Value) {
        let Value::Object(n) = network else { return };
        self.clear(n, &NETWORK_PERSONAL);
        if let Some(Value::Array(hops)) = n.get_mut("traceRouteHops") {
            for hop in hops.iter_mut().filter_map(Value::as_object_mut) {
                self.clear(hop, &["ipAddress"]);
            }
        }
    }

    fn endpoints_of(&mut self, object: &mut Map<String, Value>) {
        for key in ["caller", "callee"] {
            if let Some(e) = object.get_mut(key) {
                self.endpoint(e);
            }
        }
    }

    fn segment(&mut self, segment: &mut Value) {
        let Value::Object(s) = segment else { return };
        self.endpoints_of(s);
        let Some(Value::Array(media)) = s.get_mut("media") else {
            return;
        };
        for m in media.iter_mut().filter_map(Value::as_object_mut) {
            for key in ["callerNetwork", "calleeNetwork"] {
                if let Some(n) = m.get_mut(key) {
                    self.network(n);
                }
            }
        }
    }

    fn session(&mut self, session: &mut Value) {
        let Value::Object(s) = session else { return };
        self.endpoints_of(s);
        if let Some(Value::Array(segments)) = s.get_mut("segments") {
            for segment in segments {
                self.segment(segment);
            }
        }
    }
}

/// Scrubs a whole callRecord (with its `sessions`, `participants_v2` and `organizer_v2` inline) in place.
pub fn scrub_record(record: &mut Map<String, Value>, pseudonyms: &mut Pseudonyms) -> Scrubbed {
    let mut s = Scrubber {
        pseudonyms,
        done: Scrubbed::default(),
    };
    // Identities first, so that the participant ids which repeat a phone number follow it.
    if let Some(organizer) = record.get_mut("organizer") {
        s.identity_set(organizer);
    }
    if let Some(Value::Array(sets)) = record.get_mut("participants") {
        for set in sets {
            s.identity_set(set);
        }
    }
    if let Some(organizer) = record.get_mut("organizer_v2") {
        s.participant(organizer);
    }
    if let Some(Value::Array(participants)) = record.get_mut("participants_v2") {
        for p in participants {
            s.participant(p);
        }
    }
    if let Some(Value::Array(sessions)) = record.get_mut("sessions") {
        for session in sessions {
            s.session(session);
        }
    }
    s.done
}

/// Copies of a prepared record's JSON pieces with its personal data removed (phone ids all replaced by
/// the nil GUID), for uses that must keep none: a compression dictionary keeps fragments of the samples
/// it was trained on for as long as any blob uses it. `None` if the pieces are not JSON.
pub fn scrubbed_pieces(record: &PreparedRecord) -> Option<Vec<Vec<u8>>> {
    let mut whole = record.reassemble()?;
    let mut nil = || "00000000-0000-0000-0000-000000000000".to_owned();
    scrub_record(&mut whole, &mut Pseudonyms::new(&mut nil));
    let scrubbed = prepare_with(whole, &Thresholds::default());
    Some(scrubbed.pieces().map(<[u8]>::to_vec).collect())
}

/// Scrubs one log row (its JSON object) in place; returns how many values it cleared.
pub fn scrub_log_row(row: &mut Map<String, Value>) -> usize {
    let mut cleared = 0;
    for key in LOG_ROW_PERSONAL {
        if let Some(v) = row.get_mut(key)
            && !v.is_null()
        {
            *v = Value::Null;
            cleared += 1;
        }
    }
    cleared
}

/// Scrubs a stored log row's body (as [`crate::logs::PreparedLogRow::body`] holds it) and returns the new
/// body with the facts the store indexes recomputed from it; the row keeps its kind, key and time.
pub fn scrub_log_row_body(kind: LogKind, body: &[u8]) -> Result<(Vec<u8>, LogFacts), String> {
    let mut map: Map<String, Value> =
        serde_json::from_slice(body).map_err(|e| format!("a stored log row is not JSON: {e}"))?;
    scrub_log_row(&mut map);
    let facts = crate::logs::facts_of(kind, &map);
    let body = serde_json::to_vec(&Value::Object(map)).expect("a JSON value always serializes");
    Ok((body, facts))
}

#[cfg(test)]
mod tests;
