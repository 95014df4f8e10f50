//! Translation of a validated [`RecordFilter`] into a parameterized SQL condition over `records`.
//!
//! Values never enter the SQL text: every literal becomes a `?` parameter, so a filter cannot inject SQL
//! and listings of the same shape share one cached prepared statement.

use callrec_model::query::{CmpOp, RecordFilter, TimeField};
use rusqlite::types::Value;

/// Modalities of the CSDL `modality` enum, by bit of `records.modality_mask`.
const MODALITY_BITS: [&str; 6] = [
    "audio",
    "video",
    "videoBasedScreenSharing",
    "data",
    "screenSharing",
    "unknownFutureValue",
];

/// The bit of a known modality.
pub(super) fn modality_bit(name: &str) -> Option<i64> {
    MODALITY_BITS
        .iter()
        .position(|m| *m == name)
        .map(|i| 1 << i)
}

/// The stored form of a record's modalities: the mask of known ones, and the others as `|a|b|`.
pub(super) fn modality_columns(modalities: &[String]) -> (i64, Option<String>) {
    let mut mask = 0;
    let mut others = String::new();
    for m in modalities {
        match modality_bit(m) {
            Some(bit) => mask |= bit,
            None => {
                if others.is_empty() {
                    others.push('|');
                }
                others.push_str(m);
                others.push('|');
            }
        }
    }
    (mask, (!others.is_empty()).then_some(others))
}

/// The column of `records` that holds a time field.
pub(super) fn time_column(field: TimeField) -> &'static str {
    match field {
        TimeField::StartDateTime => "start_time",
        TimeField::EndDateTime => "end_time",
        TimeField::LastModifiedDateTime => "last_modified",
    }
}

fn operator(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "=",
        CmpOp::Ne => "<>",
        CmpOp::Lt => "<",
        CmpOp::Le => "<=",
        CmpOp::Gt => ">",
        CmpOp::Ge => ">=",
    }
}

/// Appends `filter` as a condition on `records` of tenant `tid` to `sql`, and its values to `params`.
pub(super) fn push_condition(
    filter: &RecordFilter,
    tid: i64,
    sql: &mut String,
    params: &mut Vec<Value>,
) {
    match filter {
        RecordFilter::And(parts) | RecordFilter::Or(parts) if parts.is_empty() => {
            sql.push_str(if matches!(filter, RecordFilter::And(_)) {
                "1"
            } else {
                "0"
            });
        }
        RecordFilter::And(parts) | RecordFilter::Or(parts) => {
            let joiner = if matches!(filter, RecordFilter::And(_)) {
                " AND "
            } else {
                " OR "
            };
            sql.push('(');
            for (i, part) in parts.iter().enumerate() {
                if i > 0 {
                    sql.push_str(joiner);
                }
                push_condition(part, tid, sql, params);
            }
            sql.push(')');
        }
        RecordFilter::Not(inner) => {
            sql.push_str("NOT (");
            push_condition(inner, tid, sql, params);
            sql.push(')');
        }
        RecordFilter::Time { field, op, value } => {
            sql.push_str(time_column(*field));
            sql.push(' ');
            sql.push_str(operator(*op));
            sql.push_str(" ?");
            params.push(Value::Integer(value.0));
        }
        RecordFilter::Version { op, value } => {
            sql.push_str("version ");
            sql.push_str(operator(*op));
            sql.push_str(" ?");
            params.push(Value::Integer(*value));
        }
        RecordFilter::TypeIn(types) => push_in("call_type", types, sql, params),
        RecordFilter::IdIn(ids) => push_in("id", ids, sql, params),
        RecordFilter::ParticipantIn(ids) if ids.is_empty() => sql.push('0'),
        RecordFilter::ParticipantIn(ids) => {
            sql.push_str(
                "rid IN (SELECT rp.rid FROM participant_ids i JOIN record_participants rp ON rp.pid = i.pid \
                 WHERE i.tenant = ? AND ",
            );
            params.push(Value::Integer(tid));
            push_in("i.value", ids, sql, params);
            sql.push(')');
        }
        RecordFilter::ModalityIn(names) => {
            let mask = names
                .iter()
                .filter_map(|n| modality_bit(n))
                .fold(0, |m, b| m | b);
            let others: Vec<&String> = names.iter().filter(|n| modality_bit(n).is_none()).collect();
            sql.push('(');
            sql.push_str("(modality_mask & ?) <> 0");
            params.push(Value::Integer(mask));
            for name in others {
                sql.push_str(" OR instr(other_modalities, ?) > 0");
                params.push(Value::Text(format!("|{name}|")));
            }
            sql.push(')');
        }
        RecordFilter::Quality { media, verdicts } => {
            let column = super::quality::verdict_column(*media);
            if verdicts.is_empty() {
                sql.push('0');
                return;
            }
            // A record stored before quality was kept has no row here, so it matches no quality filter.
            sql.push_str(
                "EXISTS (SELECT 1 FROM quality_records q WHERE q.rid = records.rid AND q.",
            );
            sql.push_str(column);
            sql.push_str(" IN (");
            for (i, v) in verdicts.iter().enumerate() {
                sql.push_str(if i == 0 { "?" } else { ", ?" });
                params.push(Value::Integer(v.code()));
            }
            sql.push_str("))");
        }
        RecordFilter::Const(value) => sql.push(if *value { '1' } else { '0' }),
    }
}

fn push_in(column: &str, values: &[String], sql: &mut String, params: &mut Vec<Value>) {
    if values.is_empty() {
        sql.push('0');
        return;
    }
    sql.push_str(column);
    sql.push_str(" IN (");
    for (i, v) in values.iter().enumerate() {
        sql.push_str(if i == 0 { "?" } else { ", ?" });
        params.push(Value::Text(v.clone()));
    }
    sql.push(')');
}

#[cfg(test)]
mod tests {
    use callrec_model::edm::Ticks;

    use super::*;

    fn check(filter: RecordFilter, expected_sql: &str, expected_params: usize) {
        let mut sql = String::new();
        let mut params = Vec::new();
        push_condition(&filter, 7, &mut sql, &mut params);
        assert_eq!(sql, expected_sql);
        assert_eq!(params.len(), expected_params);
    }

    #[test]
    fn translates_each_variant() {
        use RecordFilter::*;
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        check(
            Time {
                field: TimeField::EndDateTime,
                op: CmpOp::Ge,
                value: Ticks(5),
            },
            "end_time >= ?",
            1,
        );
        check(
            Version {
                op: CmpOp::Ne,
                value: 2,
            },
            "version <> ?",
            1,
        );
        check(
            TypeIn(s(&["groupCall", "peerToPeer"])),
            "call_type IN (?, ?)",
            2,
        );
        check(IdIn(s(&["a"])), "id IN (?)", 1);
        check(IdIn(vec![]), "0", 0);
        check(
            ParticipantIn(s(&["p1", "p2"])),
            "rid IN (SELECT rp.rid FROM participant_ids i JOIN record_participants rp ON rp.pid = i.pid \
             WHERE i.tenant = ? AND i.value IN (?, ?))",
            3,
        );
        check(
            ModalityIn(s(&["audio", "hologram"])),
            "((modality_mask & ?) <> 0 OR instr(other_modalities, ?) > 0)",
            2,
        );
        check(
            And(vec![Const(true), Not(Box::new(Const(false)))]),
            "(1 AND NOT (0))",
            0,
        );
        check(Or(vec![]), "0", 0);
        check(
            Quality {
                media: Some(callrec_model::quality::MediaType::Audio),
                verdicts: vec![callrec_model::quality::Verdict::Poor],
            },
            "EXISTS (SELECT 1 FROM quality_records q WHERE q.rid = records.rid AND q.audio IN (?))",
            1,
        );
        check(And(vec![]), "1", 0);
    }

    #[test]
    fn modality_columns_split_known_and_unknown() {
        let names = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            modality_columns(&names(&["audio", "screenSharing"])),
            (1 | 16, None)
        );
        assert_eq!(
            modality_columns(&names(&["video", "hologram", "smell"])),
            (2, Some("|hologram|smell|".into()))
        );
        assert_eq!(modality_columns(&[]), (0, None));
    }
}
