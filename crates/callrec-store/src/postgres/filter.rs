//! Translation of a validated [`RecordFilter`] into a parameterized PostgreSQL condition over `records`.
//!
//! Values never enter the SQL text: every literal becomes a `$n` parameter, and lists become one array
//! parameter (`= ANY($n)`), so the text depends only on the filter's shape and a connection's statement
//! cache holds one prepared statement per shape, not one per list length.

use callrec_model::query::{CmpOp, RecordFilter, TimeField};
use tokio_postgres::types::ToSql;

/// A statement parameter of any type the filters use.
pub(super) type Param = Box<dyn ToSql + Sync + Send>;

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

/// The stored form of a record's modalities: `|audio|video|`, empty for none.
pub(super) fn modalities_column(modalities: &[String]) -> String {
    if modalities.is_empty() {
        return String::new();
    }
    let mut out = String::from("|");
    for m in modalities {
        out.push_str(m);
        out.push('|');
    }
    out
}

/// Adds a parameter and returns its placeholder.
fn bind(params: &mut Vec<Param>, value: Param) -> String {
    params.push(value);
    format!("${}", params.len())
}

/// Appends `filter` as a condition on `records` to `sql`, and its values to `params`. The tenant is
/// parameter `$1` of every statement that uses this.
pub(super) fn push_condition(filter: &RecordFilter, sql: &mut String, params: &mut Vec<Param>) {
    match filter {
        RecordFilter::And(parts) | RecordFilter::Or(parts) if parts.is_empty() => {
            sql.push_str(if matches!(filter, RecordFilter::And(_)) {
                "TRUE"
            } else {
                "FALSE"
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
                push_condition(part, sql, params);
            }
            sql.push(')');
        }
        RecordFilter::Not(inner) => {
            sql.push_str("NOT (");
            push_condition(inner, sql, params);
            sql.push(')');
        }
        RecordFilter::Time { field, op, value } => {
            let p = bind(params, Box::new(value.0));
            sql.push_str(&format!("{} {} {p}", time_column(*field), operator(*op)));
        }
        RecordFilter::Version { op, value } => {
            let p = bind(params, Box::new(*value));
            sql.push_str(&format!("version {} {p}", operator(*op)));
        }
        RecordFilter::TypeIn(types) => push_any("call_type", types, sql, params),
        RecordFilter::IdIn(ids) => push_any("id", ids, sql, params),
        RecordFilter::ParticipantIn(ids) if ids.is_empty() => sql.push_str("FALSE"),
        RecordFilter::ParticipantIn(ids) => {
            let p = bind(params, Box::new(ids.clone()));
            sql.push_str(&format!(
                "id IN (SELECT rp.record_id FROM record_participants rp \
                 WHERE rp.tenant = $1 AND rp.participant_id = ANY({p}))"
            ));
        }
        RecordFilter::ModalityIn(names) if names.is_empty() => sql.push_str("FALSE"),
        RecordFilter::ModalityIn(names) => {
            let marked: Vec<String> = names.iter().map(|n| format!("|{n}|")).collect();
            let p = bind(params, Box::new(marked));
            sql.push_str(&format!(
                "EXISTS (SELECT 1 FROM unnest({p}::text[]) m WHERE strpos(records.modalities, m) > 0)"
            ));
        }
        RecordFilter::Quality { media, verdicts } => {
            if verdicts.is_empty() {
                sql.push_str("FALSE");
                return;
            }
            let column = super::quality::verdict_column(*media);
            let codes: Vec<i16> = verdicts.iter().map(|v| v.code() as i16).collect();
            let p = bind(params, Box::new(codes));
            // A record stored before quality was kept has no row here, so it matches no quality filter.
            sql.push_str(&format!(
                "EXISTS (SELECT 1 FROM quality_records q WHERE q.tenant = $1 AND q.record_id = records.id \
                 AND q.{column} = ANY({p}))"
            ));
        }
        RecordFilter::Const(value) => sql.push_str(if *value { "TRUE" } else { "FALSE" }),
    }
}

fn push_any(column: &str, values: &[String], sql: &mut String, params: &mut Vec<Param>) {
    if values.is_empty() {
        sql.push_str("FALSE");
        return;
    }
    let p = bind(params, Box::new(values.to_vec()));
    sql.push_str(&format!("{column} = ANY({p})"));
}

#[cfg(test)]
mod tests {
    use callrec_model::edm::Ticks;

    use super::*;

    fn check(filter: RecordFilter, expected_sql: &str, expected_params: usize) {
        let mut sql = String::new();
        let mut params: Vec<Param> = vec![Box::new("tenant".to_owned())];
        push_condition(&filter, &mut sql, &mut params);
        assert_eq!(sql, expected_sql);
        assert_eq!(params.len() - 1, expected_params);
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
            "end_time >= $2",
            1,
        );
        check(
            Version {
                op: CmpOp::Ne,
                value: 2,
            },
            "version <> $2",
            1,
        );
        check(
            TypeIn(s(&["groupCall", "peerToPeer"])),
            "call_type = ANY($2)",
            1,
        );
        check(IdIn(vec![]), "FALSE", 0);
        check(
            ParticipantIn(s(&["p1", "p2"])),
            "id IN (SELECT rp.record_id FROM record_participants rp \
             WHERE rp.tenant = $1 AND rp.participant_id = ANY($2))",
            1,
        );
        check(
            Or(vec![
                ModalityIn(s(&["audio", "hologram"])),
                IdIn(s(&["a", "b", "c"])),
            ]),
            "(EXISTS (SELECT 1 FROM unnest($2::text[]) m WHERE strpos(records.modalities, m) > 0) \
             OR id = ANY($3))",
            2,
        );
        check(
            And(vec![Const(true), Not(Box::new(Const(false)))]),
            "(TRUE AND NOT (FALSE))",
            0,
        );
        check(Or(vec![]), "FALSE", 0);
        check(And(vec![]), "TRUE", 0);
    }

    #[test]
    fn modalities_are_delimited() {
        let names = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(
            modalities_column(&names(&["audio", "video"])),
            "|audio|video|"
        );
        assert_eq!(modalities_column(&[]), "");
    }
}
