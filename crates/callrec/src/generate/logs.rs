//! The telephony log rows of the generated PSTN calls: a `pstnCallLogRow` for each connected Calling Plan
//! call and a `directRoutingLogRow` for each call through the tenant's SBC (failed attempts included),
//! whose `correlationId` is the id of the call's record, as in Graph.
//!
//! Rows are drawn from their own random stream per record, from the facts the record's plan recorded
//! ([`record::PstnCall`]), so generating them changes nothing in the records and the same seed
//! gives the same rows. Charges follow a simple tariff (domestic minutes included, international per
//! minute), SIP codes follow the failure the record shows, numbers are in ranges reserved for fiction.
//! Some Calling Plan callers also send a text message after their call (an `smsLogRow`), and a heavy
//! international caller now and then gets blocked from calling out, then unblocked by the tenant a day
//! later (two `pstnBlockedUsersLogRow`s), so that every log function of the tenant has rows.

use std::io::Write;
use std::sync::Arc;

use callrec_model::edm::{TICKS_PER_SECOND, Ticks};
use callrec_model::logs::{LogKind, check_log_row};
use callrec_store::Store;
use callrec_store::logs::LogPutOutcome;
use serde_json::{Value, json};

use super::Generator;
use super::population::Country;
use super::record::{self, PstnCall};
use super::rng::Rng;
use crate::ingest::{IngestSummary, Rejection};

/// The random stream of the log rows, apart from the records' streams.
const STREAM_LOGS: u64 = 0x1065;
/// The random stream of the text messages and blocks, apart from the call rows'.
const STREAM_MESSAGES: u64 = 0x5A5;
/// Graph's placeholder for "no such instant" in direct-routing rows.
const NO_INSTANT: &str = "0001-01-01T00:00:00Z";
/// Rows written to the store per transaction.
const STORE_BATCH: usize = 5_000;

/// What [`Generator::write_log_ndjson`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LogSummary {
    pub pstn_rows: u64,
    pub direct_routing_rows: u64,
    pub sms_rows: u64,
    pub blocked_user_rows: u64,
    pub bytes: u64,
}

fn country_code(c: Country) -> &'static str {
    match c {
        Country::Us(_) => "US",
        Country::Uk => "GB",
        Country::De => "DE",
        Country::In => "IN",
    }
}

fn country_name(c: Country) -> &'static str {
    match c {
        Country::Us(_) => "United States",
        Country::Uk => "United Kingdom",
        Country::De => "Germany",
        Country::In => "India",
    }
}

/// Per-minute price of an international call to the country, in USD.
fn international_rate(c: Country) -> f64 {
    match c {
        Country::Us(_) => 0.021,
        Country::Uk => 0.024,
        Country::De => 0.029,
        Country::In => 0.079,
    }
}

/// Microsoft's datacenter region for media and signalling near a country.
fn region(c: Country, r: &mut Rng) -> &'static str {
    match c {
        Country::Us(_) => r.choose(&["USWE", "USWE", "USEA"]),
        Country::Uk | Country::De => r.choose(&["EUWE", "EUNO"]),
        Country::In => "APSE",
    }
}

/// The user's own number (DID), in a range reserved for fiction like the record's numbers.
fn user_number(user: usize, c: Country) -> String {
    match c {
        Country::Us(area) => format!("+1{area}55501{:02}", user % 100),
        Country::Uk => format!("+442079461{:03}", user % 1000),
        Country::De => format!("+493023126{:03}", user % 1000),
        Country::In => format!("+9180{:08}", 40_000_000 + user),
    }
}

/// External numbers of some countries are partly masked in the logs (Graph's privacy rule).
fn shown(number: &str, c: Country) -> String {
    match c {
        Country::De | Country::In if number.len() > 4 => {
            format!("{}***", &number[..number.len() - 3])
        }
        _ => number.to_owned(),
    }
}

/// Graph's final SIP code, Microsoft sub-code and phrase for a call's outcome.
fn sip_outcome(failure: Option<(&str, &str)>) -> (i64, i64, &'static str) {
    match failure {
        None => (0, 540000, "BYE"),
        Some(("midcall", _)) => (0, 540500, "BYE"),
        Some((_, reason)) if reason.contains("503") => (503, 560503, "Service Unavailable"),
        Some((_, reason)) if reason.contains("404") => (404, 560404, "Not Found"),
        Some((_, reason)) if reason.contains("408") => (408, 560408, "Request Timeout"),
        Some(_) => (480, 560480, "Temporarily Unavailable"),
    }
}

fn seconds(from: Ticks, to: Ticks) -> i64 {
    ((to.0 - from.0) + TICKS_PER_SECOND / 2) / TICKS_PER_SECOND
}

/// Rounds an amount to cents, as Graph's charges are written.
fn cents(amount: f64) -> f64 {
    (amount * 100.0).round() / 100.0
}

impl Generator {
    /// The log rows of record `i` (each with its `@odata.type`): none unless the record is a PSTN call.
    pub fn log_rows(&self, i: u64) -> Vec<Value> {
        let (record_id, call) = record::pstn_call(&self.world, i);
        let Some(call) = call else {
            return Vec::new();
        };
        let mut r = Rng::derive(self.world.seed, STREAM_LOGS, i);
        let pop = &self.world.population;
        let user = &pop.people[call.user];
        let user_country = pop.sites[user.site].country;
        let tenant_country = pop.sites[0].country;
        let mine = user_number(call.user, user_country);
        let theirs = shown(&call.number, call.country);
        let (caller, callee) = if call.outbound {
            (mine.clone(), theirs)
        } else {
            (theirs, mine.clone())
        };
        let setup_failed = call.failure.is_some_and(|(stage, _)| stage == "callSetup");
        let duration = if setup_failed {
            0
        } else {
            seconds(call.start, call.end)
        };
        let mut rows = Vec::with_capacity(1);
        if call.meeting {
            if !setup_failed {
                rows.push(self.meeting_row(&call, &mut r, duration));
            }
        } else if call.direct_routing {
            let invite = Ticks(call.start.0 - r.range(TICKS_PER_SECOND, 4 * TICKS_PER_SECOND));
            let (code, sub_reason, phrase) = sip_outcome(call.failure);
            let media_region = region(user_country, &mut r);
            let signalling_region = region(user_country, &mut r);
            let trunk = match user_country {
                Country::Us(_) => "sbc1.contoso.com",
                Country::Uk | Country::De => "sbc-eu.contoso.com",
                Country::In => "sbc-in.contoso.com",
            };
            rows.push(json!({
                "@odata.type": format!("#{}", LogKind::DirectRouting.type_name()),
                "id": r.guid().to_string(),
                "correlationId": record_id.to_string(),
                "userId": user.id.to_string(),
                "userPrincipalName": user.upn,
                "userDisplayName": user.display_name,
                "startDateTime": call.start.to_string(),
                "inviteDateTime": invite.to_string(),
                "failureDateTime": if setup_failed { call.end.to_string() } else { NO_INSTANT.to_owned() },
                "endDateTime": if setup_failed { Value::Null } else { Value::from(call.end.to_string()) },
                "duration": duration,
                "callType": if call.outbound { "ByotOut" } else { "ByotIn" },
                "successfulCall": !setup_failed,
                "callerNumber": caller,
                "calleeNumber": callee,
                "mediaPathLocation": if call.bypass { Value::Null } else { Value::from(media_region) },
                "signalingLocation": signalling_region,
                "finalSipCode": code,
                "callEndSubReason": sub_reason,
                "finalSipCodePhrase": phrase,
                "trunkFullyQualifiedDomainName": trunk,
                "mediaBypassEnabled": call.bypass,
            }));
        } else if !setup_failed {
            let international = call.outbound && call.country != user_country;
            let minutes = (duration as f64 / 60.0).ceil();
            let charge = match (call.outbound, international) {
                (false, _) => 0.0,
                (true, true) => cents(minutes * international_rate(call.country)),
                // Domestic minutes are in the calling plan, until a heavy user runs out of them.
                (true, false) if r.chance(0.1) => cents(minutes * 0.012),
                (true, false) => 0.0,
            };
            let connection_charge = if international && r.chance(0.2) {
                0.03
            } else {
                0.0
            };
            let operator_connect = r.chance(0.2);
            let call_id = format!(
                "{}_{}@52.114.{}.{}",
                r.range(1_000_000_000, 2_147_483_647),
                r.range(100_000_000, 999_999_999),
                r.below(256),
                r.below(256)
            );
            rows.push(json!({
                "@odata.type": format!("#{}", LogKind::PstnCall.type_name()),
                "id": r.guid().to_string(),
                "callId": call_id,
                "userId": user.id.to_string(),
                "userPrincipalName": user.upn,
                "userDisplayName": user.display_name,
                "startDateTime": call.start.to_string(),
                "endDateTime": call.end.to_string(),
                "duration": duration,
                "charge": charge,
                "callType": if call.outbound { "user_out" } else { "user_in" },
                "currency": "USD",
                "calleeNumber": callee,
                "usageCountryCode": country_code(user_country),
                "tenantCountryCode": country_code(tenant_country),
                "connectionCharge": connection_charge,
                "callerNumber": caller,
                "destinationContext": if call.outbound {
                    Value::from(if international { "International" } else { "Domestic" })
                } else {
                    Value::Null
                },
                "destinationName": country_name(if call.outbound { call.country } else { user_country }),
                "conferenceId": null,
                "licenseCapability": if international { "MCOPSTN2" } else { "MCOPSTN1" },
                "inventoryType": "Subscriber",
                "operator": if operator_connect { "Fabrikam Telecom" } else { "Microsoft" },
                "callDurationSource": if operator_connect { "operator" } else { "microsoft" },
            }));
            let mut m = Rng::derive(self.world.seed, STREAM_MESSAGES, i);
            if m.chance(0.3) {
                let sent = Ticks(call.end.0 + m.range(30, 900) * TICKS_PER_SECOND);
                let (source, destination) = if call.outbound {
                    (mine.clone(), shown(&call.number, call.country))
                } else {
                    (shown(&call.number, call.country), mine.clone())
                };
                let charge = if call.outbound && international {
                    0.05
                } else {
                    0.0
                };
                rows.push(json!({
                    "@odata.type": format!("#{}", LogKind::Sms.type_name()),
                    "id": m.guid().to_string(),
                    "smsId": m.guid().to_string(),
                    "userId": user.id.to_string(),
                    "userPrincipalName": user.upn,
                    "userDisplayName": user.display_name,
                    "userCountryCode": country_code(user_country),
                    "tenantCountryCode": country_code(tenant_country),
                    "sourceNumber": source,
                    "destinationNumber": destination,
                    "sentDateTime": sent.to_string(),
                    "callCharge": charge,
                    "currency": "USD",
                    "smsType": if call.outbound { "sms_out" } else { "sms_in" },
                    "destinationContext": if international { "International" } else { "Domestic" },
                    "destinationName": country_name(call.country),
                    "otherPartyCountryCode": country_code(call.country),
                    "licenseCapability": "MCOSMS1",
                    "smsUnits": 1,
                }));
            }
            if international && m.chance(0.6) {
                let blocked = Ticks(call.end.0 + m.range(60, 3600) * TICKS_PER_SECOND);
                let unblocked = Ticks(blocked.0 + 86_400 * TICKS_PER_SECOND);
                let remediation = m.guid().to_string();
                for (at, mode, reason) in [
                    (blocked, "blocked", "High Overall Usage"),
                    (unblocked, "unblocked", "Tenant Requested"),
                ] {
                    rows.push(json!({
                        "@odata.type": format!("#{}", LogKind::PstnBlockedUser.type_name()),
                        "userId": user.id.to_string(),
                        "userPrincipalName": user.upn,
                        "userDisplayName": user.display_name,
                        "blockDateTime": at.to_string(),
                        "userTelephoneNumber": mine,
                        "userBlockMode": mode,
                        "blockReason": reason,
                        "remediationId": remediation,
                    }));
                }
            }
        }
        rows
    }

    /// The PSTN row of a meeting's phone participant, under the organizer: a dial-out from the meeting
    /// (`conf_out`, charged per minute, which the dial-out report sums) or a dial-in (`conf_in`, free).
    fn meeting_row(&self, call: &PstnCall, r: &mut Rng, duration: i64) -> Value {
        let pop = &self.world.population;
        let user = &pop.people[call.user];
        let user_country = pop.sites[user.site].country;
        let dial_out = r.chance(0.6);
        let international = call.country != user_country;
        let minutes = (duration as f64 / 60.0).ceil();
        let charge = match (dial_out, international) {
            (false, _) => 0.0,
            (true, true) => cents(minutes * international_rate(call.country)),
            (true, false) => cents(minutes * 0.012),
        };
        // The tenant's audio-conferencing bridge, in the same fictional range as its users' numbers.
        let bridge = user_number(99, pop.sites[0].country);
        let theirs = shown(&call.number, call.country);
        let (caller, callee) = if dial_out {
            (bridge, theirs)
        } else {
            (theirs, bridge)
        };
        let conference_id = r.range(100_000_000, 999_999_999).to_string();
        let call_id = format!(
            "{}_{}@52.114.{}.{}",
            r.range(1_000_000_000, 2_147_483_647),
            r.range(100_000_000, 999_999_999),
            r.below(256),
            r.below(256)
        );
        json!({
            "@odata.type": format!("#{}", LogKind::PstnCall.type_name()),
            "id": r.guid().to_string(),
            "callId": call_id,
            "userId": user.id.to_string(),
            "userPrincipalName": user.upn,
            "userDisplayName": user.display_name,
            "startDateTime": call.start.to_string(),
            "endDateTime": call.end.to_string(),
            "duration": duration,
            "charge": charge,
            "callType": if dial_out { "conf_out" } else { "conf_in" },
            "currency": "USD",
            "calleeNumber": callee,
            "usageCountryCode": country_code(user_country),
            "tenantCountryCode": country_code(pop.sites[0].country),
            "connectionCharge": 0.0,
            "callerNumber": caller,
            "destinationContext": if dial_out {
                Value::from(if international { "International" } else { "Domestic" })
            } else {
                Value::Null
            },
            "destinationName": country_name(if dial_out { call.country } else { user_country }),
            "conferenceId": conference_id,
            "licenseCapability": "MCOMEETADV",
            "inventoryType": "Service",
            "operator": "Microsoft",
            "callDurationSource": "microsoft",
        })
    }

    /// Writes the log rows of every record as NDJSON (each row with its `@odata.type`, so `callrec import`
    /// tells their kind), in record order.
    pub fn write_log_ndjson<W: Write>(&self, mut out: W) -> std::io::Result<LogSummary> {
        let mut summary = LogSummary::default();
        let mut line = Vec::with_capacity(1024);
        for i in 0..self.config.records {
            for row in self.log_rows(i) {
                line.clear();
                serde_json::to_writer(&mut line, &row).map_err(std::io::Error::other)?;
                line.push(b'\n');
                out.write_all(&line)?;
                summary.bytes += line.len() as u64;
                let kind = row["@odata.type"].as_str().unwrap_or_default();
                let count = match kind.trim_start_matches('#') {
                    k if k == LogKind::DirectRouting.type_name() => {
                        &mut summary.direct_routing_rows
                    }
                    k if k == LogKind::Sms.type_name() => &mut summary.sms_rows,
                    k if k == LogKind::PstnBlockedUser.type_name() => {
                        &mut summary.blocked_user_rows
                    }
                    _ => &mut summary.pstn_rows,
                };
                *count += 1;
            }
        }
        out.flush()?;
        Ok(summary)
    }
}

/// Generates the log rows of every record straight into a store, validated as any ingested row is.
pub async fn generate_logs_into(
    store: &Arc<dyn Store>,
    generator: Arc<Generator>,
    tenant: &str,
) -> anyhow::Result<IngestSummary> {
    let (tx, mut rx) = tokio::sync::mpsc::channel(2);
    let maker = tokio::task::spawn_blocking(move || {
        let mut batch = Vec::with_capacity(STORE_BATCH);
        let mut rejections = Vec::new();
        for i in 0..generator.config.records {
            for row in generator.log_rows(i) {
                match check_log_row(None, row) {
                    Ok(checked) => batch.push(checked.row),
                    Err(e) => rejections.push(Rejection {
                        line: i + 1,
                        path: e.path,
                        message: e.message,
                    }),
                }
            }
            if batch.len() >= STORE_BATCH
                && tx
                    .blocking_send((std::mem::take(&mut batch), std::mem::take(&mut rejections)))
                    .is_err()
            {
                return;
            }
        }
        let _ = tx.blocking_send((batch, rejections));
    });
    let mut summary = IngestSummary::default();
    while let Some((rows, rejections)) = rx.recv().await {
        summary.rejected += rejections.len() as u64;
        summary.rejections.extend(rejections);
        for outcome in store.put_log_rows(tenant, rows).await? {
            match outcome {
                LogPutOutcome::Created => summary.imported += 1,
                LogPutOutcome::Replaced => summary.replaced += 1,
            }
        }
    }
    maker.await?;
    Ok(summary)
}

/// Writes the log rows of every record to a file (`-`: standard output).
pub fn write_log_file(generator: &Generator, path: &str) -> anyhow::Result<LogSummary> {
    use anyhow::Context;
    let writer: Box<dyn Write> = if path == "-" {
        Box::new(std::io::stdout().lock())
    } else {
        Box::new(std::fs::File::create(path).with_context(|| format!("cannot create {path}"))?)
    };
    Ok(generator.write_log_ndjson(std::io::BufWriter::with_capacity(1 << 20, writer))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::GeneratorConfig;

    fn generator(records: u64) -> Generator {
        Generator::new(GeneratorConfig {
            records,
            ..GeneratorConfig::default()
        })
    }

    #[test]
    fn pstn_calls_get_valid_rows_that_match_their_records() {
        let g = generator(3_000);
        let (mut pstn, mut dr, mut failed_dr, mut charged, mut dial_outs) = (0, 0, 0, 0, 0);
        let (mut sms, mut blocked) = (0, 0);
        for i in 0..3_000 {
            let rows = g.log_rows(i);
            let record = g.record(i);
            let phones = record["participants_v2"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| p["identity"].get("phone").is_some_and(|v| !v.is_null()))
                .count();
            if rows.is_empty() {
                continue;
            }
            assert!(
                phones > 0,
                "record {i} has log rows but no phone participant"
            );
            for row in rows {
                let checked = check_log_row(None, row.clone())
                    .unwrap_or_else(|e| panic!("record {i}: {e}: {row}"));
                assert!(checked.warnings.is_empty(), "{:?}", checked.warnings);
                match checked.row.kind {
                    LogKind::Sms => {
                        sms += 1;
                        continue;
                    }
                    LogKind::PstnBlockedUser => {
                        blocked += 1;
                        continue;
                    }
                    _ => {}
                }
                let start = callrec_model::edm::parse_date_time_offset(
                    row["startDateTime"].as_str().unwrap(),
                )
                .unwrap();
                let record_start = callrec_model::edm::parse_date_time_offset(
                    record["startDateTime"].as_str().unwrap(),
                )
                .unwrap();
                let record_end = callrec_model::edm::parse_date_time_offset(
                    record["endDateTime"].as_str().unwrap(),
                )
                .unwrap();
                assert!(
                    record_start <= start && start <= record_end,
                    "record {i}: the row starts within its call"
                );
                match checked.row.kind {
                    LogKind::DirectRouting => {
                        dr += 1;
                        assert_eq!(row["correlationId"], record["id"], "record {i}");
                        if row["successfulCall"] == false {
                            failed_dr += 1;
                            assert!(row["finalSipCode"].as_i64().unwrap() >= 400);
                            assert!(row["endDateTime"].is_null());
                            assert_ne!(row["failureDateTime"], NO_INSTANT);
                        }
                    }
                    LogKind::PstnCall => {
                        pstn += 1;
                        let duration = row["duration"].as_i64().unwrap();
                        assert!(duration > 0);
                        let charge = row["charge"].as_f64().unwrap();
                        assert!(charge >= 0.0);
                        if charge > 0.0 {
                            charged += 1;
                            assert!(
                                row["callType"] == "user_out" || row["callType"] == "conf_out",
                                "{row}"
                            );
                        }
                        if row["callType"] == "conf_out" {
                            dial_outs += 1;
                            assert_eq!(record["type"], "groupCall", "record {i}");
                            assert!(checked.row.facts.dialout.is_some());
                        }
                    }
                    other => panic!("unexpected kind {other}"),
                }
            }
        }
        // About 10% of records are PSTN calls, about a third of them through the SBC.
        assert!(pstn > 100, "{pstn} PSTN rows");
        assert!(dr > 50, "{dr} direct-routing rows");
        assert!(failed_dr > 0, "some direct-routing attempts fail");
        assert!(charged > 0, "some calls cost money");
        assert!(dial_outs > 0, "some meetings dial out");
        assert!(sms > 10, "{sms} text messages");
        assert!(
            blocked >= 2 && blocked % 2 == 0,
            "{blocked} blocks and unblocks"
        );
    }

    #[test]
    fn the_same_seed_gives_the_same_rows() {
        let a = generator(400);
        let b = generator(400);
        let mut out_a = Vec::new();
        let mut out_b = Vec::new();
        let sa = a.write_log_ndjson(&mut out_a).unwrap();
        b.write_log_ndjson(&mut out_b).unwrap();
        assert_eq!(out_a, out_b);
        assert_eq!(sa.bytes, out_a.len() as u64);
        assert!(sa.pstn_rows + sa.direct_routing_rows > 0);
    }
}
