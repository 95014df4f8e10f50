//! Reads every v1.0 example body of `spec/examples/` into the typed model and writes it back: the JSON must
//! keep every key and value it was read with.
//!
//! Two differences are allowed, both from the model's JSON rules: a declared property the example left out
//! is written as `null` (Graph writes every property; the docs shorten their examples), and a DateTimeOffset
//! is written in its canonical form (`2019-03-20T11:00:00.0000000Z` as `2019-03-20T11:00:00Z`, the same
//! instant).
//! A few typed checks then show that `@odata.type` chose the derived types and unknown members were kept.

use callrec_model::edm::parse_date_time_offset;
use callrec_model::types::call_records::{
    AnyEndpoint, AnyUserAgent, CallRecord, ClientPlatform, DirectRoutingLogRow, Participant,
    PstnCallLogRow, Session, UserFeedbackRating,
};
use callrec_model::types::graph::{
    AnyIdentity, ChangeNotificationCollection, LifecycleEventType, Subscription,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::csdl::spec_dir;

#[derive(Clone, Copy)]
enum Shape {
    /// The body is one value of the type.
    Whole,
    /// The body is a collection response: each item of `value` is one value of the type.
    Items,
}

type Check = fn(&str) -> Result<Tally, String>;

/// Example file name prefixes, the shape of their bodies and the type of their values.
const RULES: [(&str, Shape, Check); 9] = [
    ("callrecord-get", Shape::Whole, round_trip::<CallRecord>),
    ("callrecords-list", Shape::Items, round_trip::<CallRecord>),
    (
        "callrecord-list-sessions",
        Shape::Items,
        round_trip::<Session>,
    ),
    (
        "callrecord-list-participants_v2",
        Shape::Items,
        round_trip::<Participant>,
    ),
    (
        "callrecords-getpstncalls",
        Shape::Items,
        round_trip::<PstnCallLogRow>,
    ),
    (
        "callrecords-getdirectroutingcalls",
        Shape::Items,
        round_trip::<DirectRoutingLogRow>,
    ),
    (
        "changenotifications-subscription",
        Shape::Whole,
        round_trip::<Subscription>,
    ),
    (
        "changenotifications-notification",
        Shape::Whole,
        round_trip::<ChangeNotificationCollection>,
    ),
    (
        "changenotifications-lifecycle-notification",
        Shape::Whole,
        round_trip::<ChangeNotificationCollection>,
    ),
];

/// Example files that hold no value of the v1.0 schema.
const NOT_SCHEMA: [&str; 2] = [
    "beta-",  // beta-only functions, absent from the v1.0 CSDL
    "graph-", // generic Graph error bodies
];

#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    values: usize,
    nulls_added: usize,
    dates_canonical: usize,
}

impl std::ops::AddAssign for Tally {
    fn add_assign(&mut self, other: Tally) {
        self.values += other.values;
        self.nulls_added += other.nulls_added;
        self.dates_canonical += other.dates_canonical;
    }
}

pub fn check() -> Result<String, Vec<String>> {
    let mut failures = Vec::new();
    let mut tally = Tally::default();
    let mut files = 0;
    let dir = spec_dir().join("examples");
    let mut names: Vec<String> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok()?.file_name().into_string().ok())
            .collect(),
        Err(e) => return Err(vec![format!("{}: {e}", dir.display())]),
    };
    names.sort();
    for name in names.iter().filter(|n| n.ends_with(".json")) {
        if NOT_SCHEMA.iter().any(|p| name.starts_with(p)) {
            continue;
        }
        // The longest matching prefix names the rule (`callrecord-list-sessions` before `callrecord-get`).
        let Some((_, shape, read)) = RULES
            .iter()
            .filter(|(prefix, _, _)| name.starts_with(prefix))
            .max_by_key(|(prefix, _, _)| prefix.len())
        else {
            failures.push(format!("{name}: no rule says which type its body holds"));
            continue;
        };
        let text = match std::fs::read_to_string(dir.join(name)) {
            Ok(text) => text,
            Err(e) => {
                failures.push(format!("{name}: {e}"));
                continue;
            }
        };
        files += 1;
        let bodies = match shape {
            Shape::Whole => vec![text],
            Shape::Items => {
                match serde_json::from_str::<Value>(&text).map(|mut v| v["value"].take()) {
                    Ok(Value::Array(items)) if !items.is_empty() => {
                        items.iter().map(Value::to_string).collect()
                    }
                    _ => {
                        failures.push(format!("{name}: not a collection response with items"));
                        continue;
                    }
                }
            }
        };
        for (i, body) in bodies.iter().enumerate() {
            match read(body) {
                Ok(t) => tally += t,
                Err(e) => failures.push(format!("{name} (value {i}): {e}")),
            }
        }
    }
    failures.extend(typed_checks());
    if failures.is_empty() {
        Ok(format!(
            "examples: {files} files, {} values read and written back unchanged \
             ({} absent properties written as null, {} DateTimeOffsets written in canonical form)",
            tally.values, tally.nulls_added, tally.dates_canonical
        ))
    } else {
        Err(failures)
    }
}

/// Reads `text` as a `T`, writes it, and compares; then checks that reading the output gives the same value.
fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
    text: &str,
) -> Result<Tally, String> {
    let input: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    let typed: T = serde_json::from_str(text).map_err(|e| format!("does not read: {e}"))?;
    let output = serde_json::to_value(&typed).map_err(|e| format!("does not write: {e}"))?;
    let mut tally = Tally {
        values: 1,
        ..Tally::default()
    };
    let mut differences = Vec::new();
    compare(&input, &output, "", &mut tally, &mut differences);
    if !differences.is_empty() {
        return Err(differences.join("; "));
    }
    let again: T = serde_json::from_value(output.clone())
        .map_err(|e| format!("its output does not read: {e}"))?;
    if again != typed {
        return Err(format!("its output reads as a different value: {again:?}"));
    }
    if serde_json::to_value(&again).ok() != Some(output) {
        return Err("its output is written differently the second time".to_owned());
    }
    Ok(tally)
}

fn compare(
    input: &Value,
    output: &Value,
    path: &str,
    tally: &mut Tally,
    differences: &mut Vec<String>,
) {
    match (input, output) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, va) in a {
                match b.get(key) {
                    Some(vb) => compare(va, vb, &format!("{path}/{key}"), tally, differences),
                    None => differences.push(format!("{path}/{key} was dropped")),
                }
            }
            for (key, vb) in b {
                if !a.contains_key(key) {
                    if vb.is_null() {
                        tally.nulls_added += 1;
                    } else {
                        differences.push(format!("{path}/{key} was added as {vb}"));
                    }
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (va, vb)) in a.iter().zip(b).enumerate() {
                compare(va, vb, &format!("{path}[{i}]"), tally, differences);
            }
        }
        // `0.00` is read as 0.0 and written as `0.0`: the same number. Integers must be equal as integers.
        (Value::Number(a), Value::Number(b))
            if match (a.as_i64(), b.as_i64()) {
                (Some(x), Some(y)) => x == y,
                _ => a.as_f64() == b.as_f64(),
            } => {}
        (Value::String(a), Value::String(b)) if a != b => {
            match (parse_date_time_offset(a), parse_date_time_offset(b)) {
                (Ok(ta), Ok(tb)) if ta == tb && tb.to_string() == *b => tally.dates_canonical += 1,
                _ => differences.push(format!("{path} was {a:?}, is written {b:?}")),
            }
        }
        (a, b) if a == b => {}
        (a, b) => differences.push(format!("{path} was {a}, is written {b}")),
    }
}

/// Checks on typed values that the JSON comparison cannot see: which Rust types were chosen.
fn typed_checks() -> Vec<String> {
    let mut failures = Vec::new();
    let read = |name: &str| {
        std::fs::read_to_string(spec_dir().join("examples").join(name)).unwrap_or_default()
    };
    let mut expect = |ok: bool, what: &str| {
        if !ok {
            failures.push(format!("typed check failed: {what}"));
        }
    };

    let record: Option<CallRecord> = serde_json::from_str(&read(
        "callrecord-get-expand-sessions-segments.response.json",
    ))
    .ok();
    let session = record
        .as_ref()
        .and_then(|r| r.sessions.as_ref()?.first().cloned());
    let caller = session.as_ref().and_then(|s| match s.caller.as_ref()? {
        AnyEndpoint::ParticipantEndpoint(p) => Some(p.clone()),
        _ => None,
    });
    expect(
        caller.is_some(),
        "a session caller with @odata.type participantEndpoint is a ParticipantEndpoint",
    );
    let platform = caller.as_ref().and_then(|c| match c.user_agent.as_ref()? {
        AnyUserAgent::ClientUserAgent(ua) => ua.platform.clone(),
        _ => None,
    });
    expect(
        platform == Some(ClientPlatform::Android),
        "the caller's user agent is a clientUserAgent on android",
    );
    let associated = caller.as_ref().and_then(|c| c.associated_identity.clone());
    expect(
        matches!(&associated, Some(AnyIdentity::Identity(i)) if i.additional_data.contains_key("tenantId")),
        "an identity without @odata.type is read as the base identity, keeping its undeclared tenantId",
    );
    let rating = session.as_ref().and_then(|s| match s.callee.as_ref()? {
        AnyEndpoint::ParticipantEndpoint(p) => p.feedback.as_ref()?.rating.clone(),
        _ => None,
    });
    expect(
        rating == Some(UserFeedbackRating::Poor),
        "the callee's feedback rating is poor",
    );
    expect(
        record
            .as_ref()
            .is_some_and(|r| r.additional_data.contains_key("sessions@odata.nextLink")),
        "the sessions@odata.nextLink annotation is kept",
    );

    let participants: Value =
        serde_json::from_str(&read("callrecord-list-participants_v2.response.json"))
            .unwrap_or_default();
    let participant: Option<Participant> =
        serde_json::from_value(participants["value"][0].clone()).ok();
    let user = participant
        .as_ref()
        .and_then(|p| p.identity.as_ref()?.user.clone());
    expect(
        matches!(&user, Some(AnyIdentity::UserIdentity(u)) if u.user_principal_name.as_deref() == Some("anette.thomsen@contoso.com")),
        "an identity with @odata.type #microsoft.graph.userIdentity is a graph UserIdentity",
    );

    let lifecycle: Option<ChangeNotificationCollection> =
        serde_json::from_str(&read("changenotifications-lifecycle-notification.json")).ok();
    let event = lifecycle
        .as_ref()
        .and_then(|c| c.value.as_ref()?.first()?.lifecycle_event.clone());
    expect(
        matches!(&event, Some(LifecycleEventType::Other(text)) if text.starts_with("subscriptionRemoved or")),
        "an undeclared enum member is kept as Other",
    );
    failures
}
