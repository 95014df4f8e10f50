//! `$filter` on log rows, a callrec extension: Graph ignores query options on its log functions, but
//! users filter these reports by user, call type, number, outcome and SIP code all the time.
//!
//! The generic syntax tree of [`crate::odata::parse_filter`] is validated against the row type of the
//! function into a [`LogFilter`] over the handful of values the store keeps beside each row. Anything else
//! (another property, another function, a value of the wrong type) is an error that names the construct
//! and its position, never a filter that silently matches nothing.

use crate::logs::LogKind;
use crate::odata::QueryError;
use crate::odata::filter::{Expr, ExprKind, Literal, parse_store_filter};
use crate::query::CmpOp;

const OPTION: &str = "$filter";

/// The values of a row a filter can test. Several kinds share a column under their own property names
/// (see [`column_for`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LogColumn {
    UserPrincipalName,
    UserId,
    /// `callType`, `smsType` or `userBlockMode`.
    CallType,
    /// `callerNumber`, `sourceNumber` or `userTelephoneNumber`.
    CallerNumber,
    /// `calleeNumber` or `destinationNumber`.
    CalleeNumber,
    SuccessfulCall,
    FinalSipCode,
    CorrelationId,
}

impl LogColumn {
    fn value_type(self) -> ValueType {
        match self {
            LogColumn::SuccessfulCall => ValueType::Bool,
            LogColumn::FinalSipCode => ValueType::Int,
            _ => ValueType::Text,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ValueType {
    Text,
    Int,
    Bool,
}

/// A literal a column is compared with.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum LogValue {
    Null,
    Text(String),
    Int(i64),
    Bool(bool),
}

/// A validated `$filter` over log rows. Comparisons follow OData: `null eq null` is true, and a row whose
/// value is null does not match an ordering comparison (`lt`, `ge`...) or `startswith`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LogFilter {
    And(Vec<LogFilter>),
    Or(Vec<LogFilter>),
    Not(Box<LogFilter>),
    Compare {
        column: LogColumn,
        op: CmpOp,
        value: LogValue,
    },
    In {
        column: LogColumn,
        values: Vec<LogValue>,
    },
    StartsWith {
        column: LogColumn,
        prefix: String,
    },
    Const(bool),
}

/// The filterable properties of a kind, with the column each one reads.
pub fn filterable(kind: LogKind) -> &'static [(&'static str, LogColumn)] {
    use LogColumn::*;
    match kind {
        LogKind::PstnCall => &[
            ("userPrincipalName", UserPrincipalName),
            ("userId", UserId),
            ("callType", CallType),
            ("callerNumber", CallerNumber),
            ("calleeNumber", CalleeNumber),
        ],
        LogKind::DirectRouting => &[
            ("userPrincipalName", UserPrincipalName),
            ("userId", UserId),
            ("callType", CallType),
            ("callerNumber", CallerNumber),
            ("calleeNumber", CalleeNumber),
            ("successfulCall", SuccessfulCall),
            ("finalSipCode", FinalSipCode),
            ("correlationId", CorrelationId),
        ],
        LogKind::Sms => &[
            ("userPrincipalName", UserPrincipalName),
            ("userId", UserId),
            ("smsType", CallType),
            ("sourceNumber", CallerNumber),
            ("destinationNumber", CalleeNumber),
        ],
        LogKind::PstnBlockedUser => &[
            ("userPrincipalName", UserPrincipalName),
            ("userId", UserId),
            ("userBlockMode", CallType),
            ("userTelephoneNumber", CallerNumber),
        ],
        LogKind::PstnOnlineMeetingDialout => {
            &[("userPrincipalName", UserPrincipalName), ("userId", UserId)]
        }
    }
}

/// The column a property of a kind reads, matching the name in any case.
pub fn column_for(kind: LogKind, property: &str) -> Option<(&'static str, LogColumn)> {
    filterable(kind)
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(property))
        .copied()
}

/// Parses and validates a `$filter` on the rows of `kind`.
pub fn log_filter(text: &str, kind: LogKind) -> Result<LogFilter, QueryError> {
    Converter { kind }.convert(&parse_store_filter(text)?)
}

fn error(position: usize, message: String) -> QueryError {
    QueryError::new(OPTION, position, message)
}

struct Converter {
    kind: LogKind,
}

impl Converter {
    fn supported(&self) -> String {
        let names: Vec<&str> = filterable(self.kind).iter().map(|(n, _)| *n).collect();
        format!(
            "{} (with eq, ne, in, and, or, not; startswith on text; lt, le, gt, ge on numbers)",
            names.join(", ")
        )
    }

    fn convert(&self, expr: &Expr) -> Result<LogFilter, QueryError> {
        match &expr.kind {
            ExprKind::And(items) => Ok(LogFilter::And(
                items
                    .iter()
                    .map(|e| self.convert(e))
                    .collect::<Result<_, _>>()?,
            )),
            ExprKind::Or(items) => Ok(LogFilter::Or(
                items
                    .iter()
                    .map(|e| self.convert(e))
                    .collect::<Result<_, _>>()?,
            )),
            ExprKind::Not(inner) => Ok(LogFilter::Not(Box::new(self.convert(inner)?))),
            ExprKind::Literal(Literal::Bool(b)) => Ok(LogFilter::Const(*b)),
            ExprKind::Literal(l) => Err(error(
                expr.start,
                format!(
                    "{} at position {} is not a condition; expected e.g. userPrincipalName eq 'a@contoso.com'",
                    l.describe(),
                    expr.start
                ),
            )),
            ExprKind::Path(_) => {
                let (name, column) = self.column_at(expr)?;
                if column.value_type() == ValueType::Bool {
                    return Ok(LogFilter::Compare {
                        column,
                        op: CmpOp::Eq,
                        value: LogValue::Bool(true),
                    });
                }
                Err(error(
                    expr.start,
                    format!(
                        "'{name}' at position {} is not a condition; compare it with eq, ne or in",
                        expr.start
                    ),
                ))
            }
            ExprKind::Compare { op, left, right } => self.compare(*op, left, right),
            ExprKind::In { value, list } => {
                let (name, column) = self.column_at(value)?;
                let values = list
                    .iter()
                    .map(|item| self.value_for(name, column, item, CmpOp::Eq))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(LogFilter::In { column, values })
            }
            ExprKind::Call { name, args } if name.eq_ignore_ascii_case("startswith") => {
                let [subject, prefix] = args.as_slice() else {
                    return Err(error(
                        expr.start,
                        format!(
                            "startswith at position {} takes two arguments: a property and a string",
                            expr.start
                        ),
                    ));
                };
                let (name, column) = self.column_at(subject)?;
                if column.value_type() != ValueType::Text {
                    return Err(error(
                        subject.start,
                        format!("startswith needs a text property; '{name}' is not one"),
                    ));
                }
                match &prefix.kind {
                    ExprKind::Literal(Literal::Str(s)) => Ok(LogFilter::StartsWith {
                        column,
                        prefix: s.clone(),
                    }),
                    _ => Err(error(
                        prefix.start,
                        format!(
                            "the second argument of startswith at position {} must be a string, e.g. '+1425'",
                            prefix.start
                        ),
                    )),
                }
            }
            ExprKind::Call { name, .. } => Err(error(
                expr.start,
                format!(
                    "the function '{name}' at position {} is not supported on {} rows; supported: startswith",
                    expr.start,
                    self.kind.simple_type_name()
                ),
            )),
            ExprKind::Lambda { .. } => Err(error(
                expr.start,
                format!(
                    "a lambda at position {} is not supported on {} rows; supported: {}",
                    expr.start,
                    self.kind.simple_type_name(),
                    self.supported()
                ),
            )),
        }
    }

    fn column_at(&self, expr: &Expr) -> Result<(&'static str, LogColumn), QueryError> {
        let ExprKind::Path(segments) = &expr.kind else {
            return Err(error(
                expr.start,
                format!("expected a property at position {}", expr.start),
            ));
        };
        if segments.len() == 1
            && let Some(found) = column_for(self.kind, &segments[0])
        {
            return Ok(found);
        }
        Err(error(
            expr.start,
            format!(
                "property '{}' at position {} cannot be filtered on in {} rows; supported: {}",
                segments.join("/"),
                expr.start,
                self.kind.simple_type_name(),
                self.supported()
            ),
        ))
    }

    fn compare(&self, op: CmpOp, left: &Expr, right: &Expr) -> Result<LogFilter, QueryError> {
        // `'x' eq callType` reads as `callType eq 'x'`, with an ordering operator mirrored.
        let (subject, literal, op) = match (&left.kind, &right.kind) {
            (ExprKind::Path(_), _) => (left, right, op),
            (_, ExprKind::Path(_)) => (right, left, mirror(op)),
            _ => {
                return Err(error(
                    left.start,
                    format!(
                        "the comparison at position {} compares no property; supported: {}",
                        left.start,
                        self.supported()
                    ),
                ));
            }
        };
        let (name, column) = self.column_at(subject)?;
        let value = self.value_for(name, column, literal, op)?;
        Ok(LogFilter::Compare { column, op, value })
    }

    fn value_for(
        &self,
        name: &str,
        column: LogColumn,
        expr: &Expr,
        op: CmpOp,
    ) -> Result<LogValue, QueryError> {
        let ExprKind::Literal(literal) = &expr.kind else {
            return Err(error(
                expr.start,
                format!(
                    "expected a value to compare '{name}' with at position {}",
                    expr.start
                ),
            ));
        };
        let ordering = !matches!(op, CmpOp::Eq | CmpOp::Ne);
        let expected = column.value_type();
        let value = match (expected, literal) {
            (_, Literal::Null) if !ordering => LogValue::Null,
            (ValueType::Text, Literal::Str(s)) if !ordering => LogValue::Text(s.clone()),
            (ValueType::Text, Literal::Guid(g)) if !ordering => LogValue::Text(g.clone()),
            (ValueType::Int, Literal::Int(n)) => LogValue::Int(*n),
            (ValueType::Bool, Literal::Bool(b)) if !ordering => LogValue::Bool(*b),
            (ValueType::Text | ValueType::Bool, _) if ordering => {
                return Err(error(
                    expr.start,
                    format!(
                        "'{name}' cannot be ordered with {}; use eq, ne, in{}",
                        op.keyword(),
                        if expected == ValueType::Text {
                            " or startswith"
                        } else {
                            ""
                        }
                    ),
                ));
            }
            _ => {
                let wanted = match expected {
                    ValueType::Text => "a string in single quotes",
                    ValueType::Int => "an integer",
                    ValueType::Bool => "true or false",
                };
                return Err(error(
                    expr.start,
                    format!(
                        "'{name}' is compared with {} at position {}; expected {wanted}",
                        literal.describe(),
                        expr.start
                    ),
                ));
            }
        };
        Ok(value)
    }
}

fn mirror(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        other => other,
    }
}

/// Evaluates a filter on a row's values, as the store must: for tests and for backends without a query
/// language of their own.
pub fn matches(filter: &LogFilter, value_of: &impl Fn(LogColumn) -> LogValue) -> bool {
    match filter {
        LogFilter::And(items) => items.iter().all(|f| matches(f, value_of)),
        LogFilter::Or(items) => items.iter().any(|f| matches(f, value_of)),
        LogFilter::Not(inner) => !matches(inner, value_of),
        LogFilter::Const(b) => *b,
        LogFilter::Compare { column, op, value } => {
            let actual = value_of(*column);
            match (op, &actual, value) {
                (CmpOp::Eq, a, v) => a == v,
                (CmpOp::Ne, a, v) => a != v,
                (op, LogValue::Int(a), LogValue::Int(v)) => op.test(a, v),
                _ => false,
            }
        }
        LogFilter::In { column, values } => values.contains(&value_of(*column)),
        LogFilter::StartsWith { column, prefix } => {
            matches!(value_of(*column), LogValue::Text(t) if t.starts_with(prefix.as_str()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(kind: LogKind, text: &str, expected: &str) {
        let got = match log_filter(text, kind) {
            Ok(f) => format!("{f:?}"),
            Err(e) => format!("error@{}: {}", e.position, e.message),
        };
        assert_eq!(got, expected, "{text}");
    }

    #[test]
    fn accepted_filters() {
        use LogKind::*;
        check(
            PstnCall,
            "userPrincipalName eq 'a@contoso.com'",
            r#"Compare { column: UserPrincipalName, op: Eq, value: Text("a@contoso.com") }"#,
        );
        check(
            PstnCall,
            "startswith(callerNumber,'+1425') and callType in ('user_in','user_out')",
            r#"And([StartsWith { column: CallerNumber, prefix: "+1425" }, In { column: CallType, values: [Text("user_in"), Text("user_out")] }])"#,
        );
        check(
            DirectRouting,
            "successfulCall eq false or finalSipCode ge 400",
            r#"Or([Compare { column: SuccessfulCall, op: Eq, value: Bool(false) }, Compare { column: FinalSipCode, op: Ge, value: Int(400) }])"#,
        );
        check(
            DirectRouting,
            "not successfulCall",
            r#"Not(Compare { column: SuccessfulCall, op: Eq, value: Bool(true) })"#,
        );
        check(
            DirectRouting,
            "500 lt finalSipCode",
            r#"Compare { column: FinalSipCode, op: Gt, value: Int(500) }"#,
        );
        check(
            DirectRouting,
            "correlationId eq 'c98e1515-a937-4b81-b8a8-3992afde64e0'",
            r#"Compare { column: CorrelationId, op: Eq, value: Text("c98e1515-a937-4b81-b8a8-3992afde64e0") }"#,
        );
        check(
            Sms,
            "SMSTYPE eq 'sms_in' and destinationNumber ne null",
            r#"And([Compare { column: CallType, op: Eq, value: Text("sms_in") }, Compare { column: CalleeNumber, op: Ne, value: Null }])"#,
        );
    }

    #[test]
    fn refused_filters() {
        use LogKind::*;
        check(
            PstnCall,
            "successfulCall eq true",
            "error@0: property 'successfulCall' at position 0 cannot be filtered on in pstnCallLogRow rows; supported: userPrincipalName, userId, callType, callerNumber, calleeNumber (with eq, ne, in, and, or, not; startswith on text; lt, le, gt, ge on numbers)",
        );
        check(
            DirectRouting,
            "finalSipCode eq '404'",
            "error@16: 'finalSipCode' is compared with the string '404' at position 16; expected an integer",
        );
        check(
            DirectRouting,
            "callType gt 'a'",
            "error@12: 'callType' cannot be ordered with gt; use eq, ne, in or startswith",
        );
        check(
            PstnCall,
            "contains(callerNumber,'1')",
            "error@0: the function 'contains' at position 0 is not supported on pstnCallLogRow rows; supported: startswith",
        );
        check(
            PstnCall,
            "startswith(duration,'1')",
            "error@11: property 'duration' at position 11 cannot be filtered on in pstnCallLogRow rows; supported: userPrincipalName, userId, callType, callerNumber, calleeNumber (with eq, ne, in, and, or, not; startswith on text; lt, le, gt, ge on numbers)",
        );
        check(
            DirectRouting,
            "startswith(finalSipCode,'4')",
            "error@11: startswith needs a text property; 'finalSipCode' is not one",
        );
        check(
            PstnCall,
            "callType",
            "error@0: 'callType' at position 0 is not a condition; compare it with eq, ne or in",
        );
    }

    #[test]
    fn evaluation_follows_odata_nulls() {
        let f = log_filter("callType ne 'user_in'", LogKind::PstnCall).unwrap();
        assert!(matches(&f, &|_| LogValue::Null));
        let f = log_filter("not (finalSipCode lt 400)", LogKind::DirectRouting).unwrap();
        assert!(matches(&f, &|_| LogValue::Null));
        let f = log_filter("startswith(callerNumber,'+1')", LogKind::PstnCall).unwrap();
        assert!(matches(&f, &|_| LogValue::Text("+1425".into())));
        assert!(!matches(&f, &|_| LogValue::Text("+4420".into())));
        assert!(!matches(&f, &|_| LogValue::Null));
    }
}
