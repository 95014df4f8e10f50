//! Which `$filter` expressions the callRecords endpoints accept, and their meaning as a [`RecordFilter`].
//!
//! Graph documents a narrow filter for List callRecords (start time ranges and a participant lambda) and
//! another for change-notification subscriptions (`participants/any(...)`).
//! callrec accepts those and the other indexed properties (end and last-modified times, version, id, type,
//! modalities), combined freely with `and`, `or`, `not` and parentheses; everything else is rejected with
//! an error that names the construct and where it is, rather than silently matching nothing.
//! One extension is callrec's own: `quality eq 'poor'` and `quality/{mediaType} eq 'poor'` (also `ne` and
//! `in`) select records by their quality verdict ([`crate::quality`]).
//! Property names match in any case, as Graph's query parser does; range variables match exactly.

use crate::edm;
use crate::odata::QueryError;
use crate::odata::filter::{Expr, ExprKind, LambdaKind, Literal, parse_store_filter};
use crate::quality::{MediaType, Verdict};
use crate::query::{CmpOp, RecordFilter, TimeField};

const OPTION: &str = "$filter";

const SUPPORTED: &str = "startDateTime, endDateTime, lastModifiedDateTime, version, id, type, participants_v2/any(...), modalities/any(...), quality, quality/{mediaType}";

/// Members of `microsoft.graph.callRecords.callType`.
const CALL_TYPES: &[&str] = &["unknown", "groupCall", "peerToPeer", "unknownFutureValue"];

/// Members of `microsoft.graph.callRecords.modality`.
const MODALITIES: &[&str] = &[
    "audio",
    "video",
    "videoBasedScreenSharing",
    "data",
    "screenSharing",
    "unknownFutureValue",
];

/// Parses and validates a `$filter` of List callRecords.
pub fn record_filter(text: &str) -> Result<RecordFilter, QueryError> {
    convert(&parse_store_filter(text)?)
}

/// Reads the participant ids of a change-notification `resource` filter on callRecords:
/// `participants/any(p:p/id eq 'x')`, several of them joined by `or`, or one whose condition joins several
/// `eq` by `or` or uses `in ('a','b')`. The ids come back once each, in the order written.
pub fn subscription_participant_filter(text: &str) -> Result<Vec<String>, QueryError> {
    let expr = parse_store_filter(text)?;
    let mut ids = Vec::new();
    subscription_ids(&expr, &mut ids)?;
    let mut unique: Vec<String> = Vec::with_capacity(ids.len());
    for id in ids {
        if !unique.contains(&id) {
            unique.push(id);
        }
    }
    Ok(unique)
}

fn subscription_ids(expr: &Expr, ids: &mut Vec<String>) -> Result<(), QueryError> {
    match &expr.kind {
        ExprKind::Or(items) => items
            .iter()
            .try_for_each(|item| subscription_ids(item, ids)),
        ExprKind::Lambda {
            collection,
            kind,
            variable,
            body,
        } if collection.len() == 1
            && (collection[0].eq_ignore_ascii_case("participants")
                || collection[0].eq_ignore_ascii_case("participants_v2")) =>
        {
            let name = &collection[0];
            let (variable, body) = lambda_parts(expr, name, *kind, variable, body)?;
            ids.extend(lambda_values(body, variable, Some("id"), name)?);
            Ok(())
        }
        _ => Err(error(
            expr.start,
            format!(
                "unsupported condition at position {}; a callRecords subscription filters only on participants/any(p:p/id eq '...'), joined by or",
                expr.start
            ),
        )),
    }
}

fn error(position: usize, message: String) -> QueryError {
    QueryError::new(OPTION, position, message)
}

/// A property a callRecords filter may compare.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Property {
    Time(TimeField),
    Version,
    Id,
    Type,
    /// callrec's extension: the record's quality verdict, or that of its streams of one media type.
    Quality(Option<MediaType>),
}

impl Property {
    fn resolve(name: &str) -> Option<Property> {
        let all = [
            ("startDateTime", Property::Time(TimeField::StartDateTime)),
            ("endDateTime", Property::Time(TimeField::EndDateTime)),
            (
                "lastModifiedDateTime",
                Property::Time(TimeField::LastModifiedDateTime),
            ),
            ("version", Property::Version),
            ("id", Property::Id),
            ("type", Property::Type),
        ];
        all.into_iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, p)| p)
    }

    fn name(self) -> &'static str {
        match self {
            Property::Time(f) => f.property_name(),
            Property::Version => "version",
            Property::Id => "id",
            Property::Type => "type",
            Property::Quality(_) => "quality",
        }
    }
}

fn convert(expr: &Expr) -> Result<RecordFilter, QueryError> {
    match &expr.kind {
        ExprKind::And(items) => Ok(RecordFilter::And(
            items.iter().map(convert).collect::<Result<_, _>>()?,
        )),
        ExprKind::Or(items) => Ok(RecordFilter::Or(
            items.iter().map(convert).collect::<Result<_, _>>()?,
        )),
        ExprKind::Not(inner) => Ok(RecordFilter::Not(Box::new(convert(inner)?))),
        ExprKind::Literal(Literal::Bool(b)) => Ok(RecordFilter::Const(*b)),
        ExprKind::Literal(l) => Err(error(
            expr.start,
            format!(
                "{} at position {} is not a condition; expected e.g. startDateTime ge 2023-09-25T09:25:00Z",
                l.describe(),
                expr.start
            ),
        )),
        ExprKind::Compare { op, left, right } => compare(*op, left, right),
        ExprKind::In { value, list } => membership(value, list),
        ExprKind::Lambda {
            collection,
            kind,
            variable,
            body,
        } => lambda(expr, collection, *kind, variable, body),
        ExprKind::Path(_) => {
            let property = property_at(expr)?;
            Err(error(
                expr.start,
                format!(
                    "'{}' at position {} is not a condition; compare it with eq, ne, lt, le, gt, ge or in",
                    property.name(),
                    expr.start
                ),
            ))
        }
        ExprKind::Call { name, .. } => Err(error(
            expr.start,
            format!(
                "the function '{name}' at position {} is not supported when filtering callRecords; supported: {SUPPORTED}",
                expr.start
            ),
        )),
    }
}

/// The property a path names, or an error saying why it cannot be filtered on.
fn property_at(expr: &Expr) -> Result<Property, QueryError> {
    let ExprKind::Path(segments) = &expr.kind else {
        return Err(error(
            expr.start,
            format!("expected a property at position {}", expr.start),
        ));
    };
    let joined = segments.join("/");
    if segments.len() == 1
        && let Some(p) = Property::resolve(&segments[0])
    {
        return Ok(p);
    }
    let first = segments[0].as_str();
    if first.eq_ignore_ascii_case("quality") {
        let media = match segments.get(1) {
            None => None,
            Some(m) if segments.len() == 2 => Some(MediaType::parse(m).ok_or_else(|| {
                error(
                    expr.start,
                    format!(
                        "'{m}' in '{joined}' at position {} is not a media type; expected one of: audio, video, videoBasedScreenSharing, other",
                        expr.start
                    ),
                )
            })?),
            Some(_) => {
                return Err(error(
                    expr.start,
                    format!(
                        "property '{joined}' at position {} cannot be filtered on; use quality or quality/{{mediaType}}",
                        expr.start
                    ),
                ));
            }
        };
        return Ok(Property::Quality(media));
    }
    let hint = if first.eq_ignore_ascii_case("participants_v2")
        || first.eq_ignore_ascii_case("participants")
    {
        "; filter participants with participants_v2/any(p:p/id eq '...')".to_string()
    } else if first.eq_ignore_ascii_case("modalities") {
        "; filter modalities with modalities/any(m:m eq 'video')".to_string()
    } else {
        format!("; supported: {SUPPORTED}")
    };
    Err(error(
        expr.start,
        format!(
            "property '{joined}' at position {} cannot be filtered on{hint}",
            expr.start
        ),
    ))
}

fn flipped(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        other => other,
    }
}

fn compare(op: CmpOp, left: &Expr, right: &Expr) -> Result<RecordFilter, QueryError> {
    // `2023-01-01T00:00:00Z lt startDateTime` means `startDateTime gt 2023-01-01T00:00:00Z`.
    let (path, value, op) = match (&left.kind, &right.kind) {
        (ExprKind::Path(_), ExprKind::Path(_)) => {
            if let Some(hint) = unquoted_value(op, left, right) {
                return Err(hint);
            }
            return Err(error(
                left.start,
                format!(
                    "comparing two properties (at positions {} and {}) is not supported; compare a property with a value",
                    left.start, right.start
                ),
            ));
        }
        (ExprKind::Path(_), _) => (left, right, op),
        (_, ExprKind::Path(_)) => (right, left, flipped(op)),
        _ => {
            return Err(error(
                left.start,
                format!(
                    "the comparison at position {} does not name a property; supported: {SUPPORTED}",
                    left.start
                ),
            ));
        }
    };
    let property = property_at(path)?;
    condition(property, op, path, value)
}

/// `type eq peerToPeer`: a bare word beside a property is a value written without its quotes, not a
/// second property, when it names no property and the other side does.
fn unquoted_value(op: CmpOp, left: &Expr, right: &Expr) -> Option<QueryError> {
    let single = |e: &Expr| match &e.kind {
        ExprKind::Path(segments) if segments.len() == 1 => Some(segments[0].clone()),
        _ => None,
    };
    let (property, word, at, op) = match (property_at(left).is_ok(), property_at(right).is_ok()) {
        (true, false) => (left, single(right)?, right.start, op),
        (false, true) => (right, single(left)?, left.start, flipped(op)),
        _ => return None,
    };
    let ExprKind::Path(segments) = &property.kind else {
        return None;
    };
    let name = segments.join("/");
    Some(error(
        at,
        format!(
            "'{word}' at position {at} is not a property; write a value in single quotes: {name} {} '{word}'",
            op.keyword()
        ),
    ))
}

/// The filter for `property op value`, once the value is checked against the property.
fn condition(
    property: Property,
    op: CmpOp,
    path: &Expr,
    value: &Expr,
) -> Result<RecordFilter, QueryError> {
    match property {
        Property::Time(field) => Ok(RecordFilter::Time {
            field,
            op,
            value: ticks_of(field, value)?,
        }),
        Property::Version => Ok(RecordFilter::Version {
            op,
            value: integer_of(value)?,
        }),
        Property::Quality(media) => {
            let positive = RecordFilter::Quality {
                media,
                verdicts: vec![verdict_of(value)?],
            };
            match op {
                CmpOp::Eq => Ok(positive),
                CmpOp::Ne => Ok(RecordFilter::Not(Box::new(positive))),
                _ => Err(error(
                    path.start,
                    format!(
                        "'quality' at position {} supports only eq, ne and in, not {}",
                        path.start,
                        op.keyword()
                    ),
                )),
            }
        }
        Property::Id | Property::Type => {
            let positive = text_set(property, vec![text_of(property, value)?]);
            match op {
                CmpOp::Eq => Ok(positive),
                CmpOp::Ne => Ok(RecordFilter::Not(Box::new(positive))),
                _ => Err(error(
                    path.start,
                    format!(
                        "'{}' at position {} supports only eq, ne and in, not {}",
                        property.name(),
                        path.start,
                        op.keyword()
                    ),
                )),
            }
        }
    }
}

fn text_set(property: Property, texts: Vec<String>) -> RecordFilter {
    if property == Property::Id {
        RecordFilter::IdIn(texts)
    } else {
        RecordFilter::TypeIn(texts)
    }
}

fn membership(value: &Expr, list: &[Expr]) -> Result<RecordFilter, QueryError> {
    if !matches!(value.kind, ExprKind::Path(_)) {
        return Err(error(
            value.start,
            format!(
                "the left side of 'in' at position {} must be a property",
                value.start
            ),
        ));
    }
    let property = property_at(value)?;
    match property {
        Property::Id | Property::Type => Ok(text_set(
            property,
            list.iter()
                .map(|item| text_of(property, item))
                .collect::<Result<_, _>>()?,
        )),
        Property::Quality(media) => Ok(RecordFilter::Quality {
            media,
            verdicts: list.iter().map(verdict_of).collect::<Result<_, _>>()?,
        }),
        Property::Time(_) | Property::Version => Ok(RecordFilter::Or(
            list.iter()
                .map(|item| condition(property, CmpOp::Eq, value, item))
                .collect::<Result<_, _>>()?,
        )),
    }
}

/// The literal an expression is, refusing other expressions and `null`, which no indexed property holds.
fn literal_of<'a>(name: &str, expr: &'a Expr) -> Result<&'a Literal, QueryError> {
    let at = expr.start;
    match &expr.kind {
        ExprKind::Literal(Literal::Null) => Err(error(
            at,
            format!("'{name}' is never null; null at position {at} matches nothing"),
        )),
        ExprKind::Literal(literal) => Ok(literal),
        _ => Err(error(
            at,
            format!(
                "'{name}' must be compared with a literal value; found an expression at position {at}"
            ),
        )),
    }
}

fn ticks_of(field: TimeField, expr: &Expr) -> Result<edm::Ticks, QueryError> {
    let name = field.property_name();
    let at = expr.start;
    match literal_of(name, expr)? {
        Literal::DateTimeOffset(t) => Ok(*t),
        Literal::Str(s) if edm::parse_date_time_offset(s).is_ok() => Err(error(
            at,
            format!(
                "DateTimeOffset values are written without quotes: use {name} ge {s}, not '{s}' (position {at})"
            ),
        )),
        literal @ Literal::Date(_) => Err(error(
            at,
            format!(
                "'{name}' is a DateTimeOffset; write a full instant such as {literal}T00:00:00Z instead of {} at position {at}",
                literal.describe()
            ),
        )),
        literal => Err(error(
            at,
            format!(
                "'{name}' must be compared with a DateTimeOffset such as 2023-09-25T09:25:00Z; found {} at position {at}",
                literal.describe()
            ),
        )),
    }
}

/// The verdict a `quality` is compared with: `'good'`, `'poor'` or `'unclassified'`.
fn verdict_of(expr: &Expr) -> Result<Verdict, QueryError> {
    let at = expr.start;
    match literal_of("quality", expr)? {
        Literal::Str(s) => Verdict::parse(s).ok_or_else(|| {
            error(
                at,
                format!("'{s}' at position {at} is not a quality verdict; expected one of: good, poor, unclassified"),
            )
        }),
        literal => Err(error(
            at,
            format!(
                "'quality' must be compared with a verdict such as 'poor'; found {} at position {at}",
                literal.describe()
            ),
        )),
    }
}

fn integer_of(expr: &Expr) -> Result<i64, QueryError> {
    let at = expr.start;
    match literal_of("version", expr)? {
        Literal::Int(n) => Ok(*n),
        Literal::Str(s) if s.parse::<i64>().is_ok() => Err(error(
            at,
            format!("'version' is a number: write version eq {s} without quotes (position {at})"),
        )),
        literal => Err(error(
            at,
            format!(
                "'version' must be compared with an integer; found {} at position {at}",
                literal.describe()
            ),
        )),
    }
}

/// The string an `id` is compared with, or the callType member a `type` is compared with.
fn text_of(property: Property, expr: &Expr) -> Result<String, QueryError> {
    let at = expr.start;
    let literal = literal_of(property.name(), expr)?;
    if property == Property::Type {
        return enum_member(literal, at, "callType", CALL_TYPES);
    }
    match literal {
        Literal::Str(s) => Ok(s.clone()),
        Literal::Guid(g) => Err(error(
            at,
            format!("'id' is a string: quote it, as in id eq '{g}' (position {at})"),
        )),
        literal => Err(error(
            at,
            format!(
                "'id' must be compared with a string; found {} at position {at}",
                literal.describe()
            ),
        )),
    }
}

/// Reads an enumeration member written as a string or as `Namespace.Type'member'`, in its canonical case.
fn enum_member(
    literal: &Literal,
    at: usize,
    type_name: &str,
    members: &[&str],
) -> Result<String, QueryError> {
    let member = match literal {
        Literal::Str(s) => s,
        Literal::Enum {
            type_name: written,
            member,
        } if written
            .rsplit('.')
            .next()
            .is_some_and(|t| t.eq_ignore_ascii_case(type_name)) =>
        {
            member
        }
        _ => {
            return Err(error(
                at,
                format!(
                    "expected a {type_name} value such as '{}'; found {} at position {at}",
                    members[1],
                    literal.describe()
                ),
            ));
        }
    };
    members
        .iter()
        .find(|m| m.eq_ignore_ascii_case(member))
        .map(|m| m.to_string())
        .ok_or_else(|| {
            error(
                at,
                format!(
                    "'{member}' at position {at} is not a {type_name}; expected one of: {}",
                    members.join(", ")
                ),
            )
        })
}

fn lambda(
    expr: &Expr,
    collection: &[String],
    kind: LambdaKind,
    variable: &Option<String>,
    body: &Option<Box<Expr>>,
) -> Result<RecordFilter, QueryError> {
    let name = collection.join("/");
    if name.eq_ignore_ascii_case("participants_v2") {
        let (variable, body) = lambda_parts(expr, &name, kind, variable, body)?;
        return Ok(RecordFilter::ParticipantIn(lambda_values(
            body,
            variable,
            Some("id"),
            &name,
        )?));
    }
    if name.eq_ignore_ascii_case("modalities") {
        let (variable, body) = lambda_parts(expr, &name, kind, variable, body)?;
        return Ok(RecordFilter::ModalityIn(lambda_values(
            body, variable, None, &name,
        )?));
    }
    let hint = if name.eq_ignore_ascii_case("participants") {
        "; on callRecords write participants_v2/any(p:p/id eq '...') (participants/any(...) is the form of subscriptions)".to_string()
    } else {
        format!("; supported: {SUPPORTED}")
    };
    Err(error(
        expr.start,
        format!(
            "'{name}' at position {} cannot be filtered on{hint}",
            expr.start
        ),
    ))
}

/// The range variable and condition of an `any(...)` lambda; `all(...)` and `any()` are refused.
fn lambda_parts<'a>(
    expr: &Expr,
    name: &str,
    kind: LambdaKind,
    variable: &'a Option<String>,
    body: &'a Option<Box<Expr>>,
) -> Result<(&'a str, &'a Expr), QueryError> {
    if kind == LambdaKind::All {
        return Err(error(
            expr.start,
            format!(
                "{name}/all(...) at position {} is not supported; use {name}/any(...)",
                expr.start
            ),
        ));
    }
    match (variable, body) {
        (Some(v), Some(b)) => Ok((v, b)),
        _ => Err(error(
            expr.start,
            format!(
                "{name}/any() at position {} needs a condition, as in {}",
                expr.start,
                example(name)
            ),
        )),
    }
}

fn example(collection: &str) -> String {
    if collection.eq_ignore_ascii_case("modalities") {
        format!("{collection}/any(m:m eq 'video')")
    } else {
        format!("{collection}/any(p:p/id eq '...')")
    }
}

/// The values a lambda's condition accepts: `v/member eq 'x'`, `v/member in ('x','y')`, joined by `or`.
/// Without a member the variable itself is compared (`m eq 'video'`), and the values are modalities.
fn lambda_values(
    body: &Expr,
    variable: &str,
    member: Option<&str>,
    collection: &str,
) -> Result<Vec<String>, QueryError> {
    let unsupported = |e: &Expr| {
        error(
            e.start,
            format!(
                "unsupported condition at position {} inside {collection}/any(...); supported: {} eq '...', {} in (...), joined by or",
                e.start,
                subject(variable, member),
                subject(variable, member)
            ),
        )
    };
    let value = |e: &Expr| -> Result<String, QueryError> {
        let ExprKind::Literal(literal) = &e.kind else {
            return Err(unsupported(e));
        };
        match member {
            None => enum_member(literal, e.start, "modality", MODALITIES),
            Some(m) => match literal {
                Literal::Str(s) => Ok(s.clone()),
                Literal::Guid(g) => Err(error(
                    e.start,
                    format!(
                        "{} is a string: quote it, as in {} eq '{g}' (position {})",
                        subject(variable, member),
                        subject(variable, Some(m)),
                        e.start
                    ),
                )),
                other => Err(error(
                    e.start,
                    format!(
                        "expected a string; found {} at position {}",
                        other.describe(),
                        e.start
                    ),
                )),
            },
        }
    };
    let is_subject = |e: &Expr| -> Result<bool, QueryError> {
        let ExprKind::Path(segments) = &e.kind else {
            return Ok(false);
        };
        if segments[0] != variable {
            return Err(error(
                e.start,
                format!(
                    "'{}' at position {} is not the range variable '{variable}'",
                    segments[0], e.start
                ),
            ));
        }
        let rest: Vec<&str> = segments[1..].iter().map(String::as_str).collect();
        let ok = match member {
            Some(m) => rest.len() == 1 && rest[0].eq_ignore_ascii_case(m),
            None => rest.is_empty(),
        };
        if ok {
            Ok(true)
        } else {
            Err(error(
                e.start,
                format!(
                    "'{}' at position {} cannot be filtered on; use {}",
                    segments.join("/"),
                    e.start,
                    subject(variable, member)
                ),
            ))
        }
    };
    match &body.kind {
        ExprKind::Or(items) => {
            let mut values = Vec::new();
            for item in items {
                values.extend(lambda_values(item, variable, member, collection)?);
            }
            Ok(values)
        }
        ExprKind::Compare {
            op: CmpOp::Eq,
            left,
            right,
        } => {
            if is_subject(left)? {
                Ok(vec![value(right)?])
            } else if is_subject(right)? {
                Ok(vec![value(left)?])
            } else {
                Err(unsupported(body))
            }
        }
        ExprKind::Compare { op, left, .. } => Err(error(
            left.start,
            format!(
                "only eq and in are supported inside {collection}/any(...); found {} at position {}",
                op.keyword(),
                left.start
            ),
        )),
        ExprKind::In {
            value: subject_expr,
            list,
        } if is_subject(subject_expr)? => list.iter().map(value).collect(),
        _ => Err(unsupported(body)),
    }
}

fn subject(variable: &str, member: Option<&str>) -> String {
    match member {
        Some(m) => format!("{variable}/{m}"),
        None => variable.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        let got = match record_filter(input) {
            Ok(f) => format!("{f:?}"),
            Err(e) => format!("error@{}: {e}", e.position),
        };
        assert_eq!(got, expected, "input: {input}");
    }

    fn ticks(s: &str) -> i64 {
        edm::parse_date_time_offset(s).unwrap().0
    }

    #[test]
    fn documented_filters() {
        let (a, b) = (ticks("2023-09-25T09:25:00Z"), ticks("2023-09-25T09:30:00Z"));
        check(
            "startDateTime ge 2023-09-25T09:25:00Z and startDateTime lt 2023-09-25T09:30:00Z",
            &format!(
                "And([Time {{ field: StartDateTime, op: Ge, value: Ticks({a}) }}, Time {{ field: StartDateTime, op: Lt, value: Ticks({b}) }}])"
            ),
        );
        check(
            "participants_v2/any(p:p/id eq '821809f5-0000-0000-0000-3b5136c0e777')",
            "ParticipantIn([\"821809f5-0000-0000-0000-3b5136c0e777\"])",
        );
    }

    #[test]
    fn supported_shapes() {
        let a = ticks("2023-01-01T00:00:00Z");
        check(
            "endDateTime lt 2023-01-01T00:00:00Z",
            &format!("Time {{ field: EndDateTime, op: Lt, value: Ticks({a}) }}"),
        );
        check(
            "lastModifiedDateTime ge 2023-01-01T02:00:00+02:00",
            &format!("Time {{ field: LastModifiedDateTime, op: Ge, value: Ticks({a}) }}"),
        );
        check(
            "StartDateTime EQ 2023-01-01T00:00:00Z",
            &format!("Time {{ field: StartDateTime, op: Eq, value: Ticks({a}) }}"),
        );
        check(
            "2023-01-01T00:00:00Z lt startDateTime",
            &format!("Time {{ field: StartDateTime, op: Gt, value: Ticks({a}) }}"),
        );
        check(
            "2023-01-01T00:00:00Z ge startDateTime",
            &format!("Time {{ field: StartDateTime, op: Le, value: Ticks({a}) }}"),
        );
        check("version gt 1", "Version { op: Gt, value: 1 }");
        check("3 eq version", "Version { op: Eq, value: 3 }");
        check(
            "version in (1, 2)",
            "Or([Version { op: Eq, value: 1 }, Version { op: Eq, value: 2 }])",
        );
        check("id eq 'abc'", "IdIn([\"abc\"])");
        check("id ne 'abc'", "Not(IdIn([\"abc\"]))");
        check("id in ('a','b')", "IdIn([\"a\", \"b\"])");
        check("type eq 'groupCall'", "TypeIn([\"groupCall\"])");
        check("type eq 'GROUPCALL'", "TypeIn([\"groupCall\"])");
        check("type ne 'peerToPeer'", "Not(TypeIn([\"peerToPeer\"]))");
        check(
            "type in ('groupCall','peerToPeer')",
            "TypeIn([\"groupCall\", \"peerToPeer\"])",
        );
        check(
            "type eq microsoft.graph.callRecords.callType'groupCall'",
            "TypeIn([\"groupCall\"])",
        );
        check(
            "participants_v2/any(p:p/id in ('a','b'))",
            "ParticipantIn([\"a\", \"b\"])",
        );
        check(
            "participants_v2/any(p:p/id eq 'a' or p/id eq 'b')",
            "ParticipantIn([\"a\", \"b\"])",
        );
        check(
            "participants_v2/any(x:'a' eq x/id)",
            "ParticipantIn([\"a\"])",
        );
        check("modalities/any(m:m eq 'video')", "ModalityIn([\"video\"])");
        check(
            "modalities/any(m:m in ('audio','screenSharing'))",
            "ModalityIn([\"audio\", \"screenSharing\"])",
        );
        check(
            "modalities/any(m:m eq 'audio' or m eq 'data')",
            "ModalityIn([\"audio\", \"data\"])",
        );
        check(
            "not (type eq 'groupCall' or version ge 2) and id eq 'x'",
            "And([Not(Or([TypeIn([\"groupCall\"]), Version { op: Ge, value: 2 }])), IdIn([\"x\"])])",
        );
        check("true", "Const(true)");
        check(
            "quality eq 'poor'",
            "Quality { media: None, verdicts: [Poor] }",
        );
        check(
            "Quality eq 'GOOD'",
            "Quality { media: None, verdicts: [Good] }",
        );
        check(
            "quality/audio eq 'poor'",
            "Quality { media: Some(Audio), verdicts: [Poor] }",
        );
        check(
            "quality/vbss in ('poor','unclassified')",
            "Quality { media: Some(VideoBasedScreenSharing), verdicts: [Poor, Unclassified] }",
        );
        check(
            "quality ne 'good' and startDateTime ge 2023-01-01T00:00:00Z",
            &format!(
                "And([Not(Quality {{ media: None, verdicts: [Good] }}), Time {{ field: StartDateTime, op: Ge, value: Ticks({a}) }}])"
            ),
        );
        check(
            "'poor' eq quality/video",
            "Quality { media: Some(Video), verdicts: [Poor] }",
        );
    }

    #[test]
    fn rejected_quality_shapes() {
        check(
            "quality eq 'bad'",
            "error@11: $filter: 'bad' at position 11 is not a quality verdict; expected one of: good, poor, unclassified",
        );
        check(
            "quality gt 'good'",
            "error@0: $filter: 'quality' at position 0 supports only eq, ne and in, not gt",
        );
        check(
            "quality/smell eq 'poor'",
            "error@0: $filter: 'smell' in 'quality/smell' at position 0 is not a media type; expected one of: audio, video, videoBasedScreenSharing, other",
        );
        check(
            "quality/audio/x eq 'poor'",
            "error@0: $filter: property 'quality/audio/x' at position 0 cannot be filtered on; use quality or quality/{mediaType}",
        );
        check(
            "quality eq 2",
            "error@11: $filter: 'quality' must be compared with a verdict such as 'poor'; found the number 2 at position 11",
        );
        check(
            "quality eq null",
            "error@11: $filter: 'quality' is never null; null at position 11 matches nothing",
        );
    }

    #[test]
    fn rejected_shapes() {
        check(
            "joinWebUrl eq 'x'",
            "error@0: $filter: property 'joinWebUrl' at position 0 cannot be filtered on; supported: startDateTime, endDateTime, lastModifiedDateTime, version, id, type, participants_v2/any(...), modalities/any(...), quality, quality/{mediaType}",
        );
        check(
            "version eq 1 and organizer_v2/id eq 'x'",
            "error@17: $filter: property 'organizer_v2/id' at position 17 cannot be filtered on; supported: startDateTime, endDateTime, lastModifiedDateTime, version, id, type, participants_v2/any(...), modalities/any(...), quality, quality/{mediaType}",
        );
        check(
            "startDateTime ge '2023-09-25T09:25:00Z'",
            "error@17: $filter: DateTimeOffset values are written without quotes: use startDateTime ge 2023-09-25T09:25:00Z, not '2023-09-25T09:25:00Z' (position 17)",
        );
        check(
            "startDateTime ge 2023-09-25",
            "error@17: $filter: 'startDateTime' is a DateTimeOffset; write a full instant such as 2023-09-25T00:00:00Z instead of the date 2023-09-25 at position 17",
        );
        check(
            "startDateTime ge 5",
            "error@17: $filter: 'startDateTime' must be compared with a DateTimeOffset such as 2023-09-25T09:25:00Z; found the number 5 at position 17",
        );
        check(
            "endDateTime eq null",
            "error@15: $filter: 'endDateTime' is never null; null at position 15 matches nothing",
        );
        check(
            "version eq '2'",
            "error@11: $filter: 'version' is a number: write version eq 2 without quotes (position 11)",
        );
        check(
            "version eq 1.5",
            "error@11: $filter: 'version' must be compared with an integer; found the number 1.5 at position 11",
        );
        check(
            "id gt 'a'",
            "error@0: $filter: 'id' at position 0 supports only eq, ne and in, not gt",
        );
        check(
            "id eq 821809f5-0000-0000-0000-3b5136c0e777",
            "error@6: $filter: 'id' is a string: quote it, as in id eq '821809f5-0000-0000-0000-3b5136c0e777' (position 6)",
        );
        check(
            "type eq 'conference'",
            "error@8: $filter: 'conference' at position 8 is not a callType; expected one of: unknown, groupCall, peerToPeer, unknownFutureValue",
        );
        check(
            "type eq 1",
            "error@8: $filter: expected a callType value such as 'groupCall'; found the number 1 at position 8",
        );
        check(
            "id eq version",
            "error@0: $filter: comparing two properties (at positions 0 and 6) is not supported; compare a property with a value",
        );
        check(
            "type eq peerToPeer",
            "error@8: $filter: 'peerToPeer' at position 8 is not a property; write a value in single quotes: type eq 'peerToPeer'",
        );
        check(
            "groupCall ne type",
            "error@0: $filter: 'groupCall' at position 0 is not a property; write a value in single quotes: type ne 'groupCall'",
        );
        check(
            "1 eq 1",
            "error@0: $filter: the comparison at position 0 does not name a property; supported: startDateTime, endDateTime, lastModifiedDateTime, version, id, type, participants_v2/any(...), modalities/any(...), quality, quality/{mediaType}",
        );
        check(
            "startswith(id,'a')",
            "error@0: $filter: the function 'startswith' at position 0 is not supported when filtering callRecords; supported: startDateTime, endDateTime, lastModifiedDateTime, version, id, type, participants_v2/any(...), modalities/any(...), quality, quality/{mediaType}",
        );
        check(
            "version",
            "error@0: $filter: 'version' at position 0 is not a condition; compare it with eq, ne, lt, le, gt, ge or in",
        );
        check(
            "'x'",
            "error@0: $filter: the string 'x' at position 0 is not a condition; expected e.g. startDateTime ge 2023-09-25T09:25:00Z",
        );
        check(
            "participants/any(p:p/id eq 'a')",
            "error@0: $filter: 'participants' at position 0 cannot be filtered on; on callRecords write participants_v2/any(p:p/id eq '...') (participants/any(...) is the form of subscriptions)",
        );
        check(
            "participants_v2 eq 'a'",
            "error@0: $filter: property 'participants_v2' at position 0 cannot be filtered on; filter participants with participants_v2/any(p:p/id eq '...')",
        );
        check(
            "participants_v2/all(p:p/id eq 'a')",
            "error@0: $filter: participants_v2/all(...) at position 0 is not supported; use participants_v2/any(...)",
        );
        check(
            "participants_v2/any()",
            "error@0: $filter: participants_v2/any() at position 0 needs a condition, as in participants_v2/any(p:p/id eq '...')",
        );
        check(
            "participants_v2/any(p:p/displayName eq 'a')",
            "error@22: $filter: 'p/displayName' at position 22 cannot be filtered on; use p/id",
        );
        check(
            "participants_v2/any(p:q/id eq 'a')",
            "error@22: $filter: 'q' at position 22 is not the range variable 'p'",
        );
        check(
            "participants_v2/any(p:p/id ne 'a')",
            "error@22: $filter: only eq and in are supported inside participants_v2/any(...); found ne at position 22",
        );
        check(
            "participants_v2/any(p:p/id eq 'a' and p/id eq 'b')",
            "error@22: $filter: unsupported condition at position 22 inside participants_v2/any(...); supported: p/id eq '...', p/id in (...), joined by or",
        );
        check(
            "participants_v2/any(p:p/id eq 1)",
            "error@30: $filter: expected a string; found the number 1 at position 30",
        );
        check(
            "modalities/any(m:m eq 'hologram')",
            "error@22: $filter: 'hologram' at position 22 is not a modality; expected one of: audio, video, videoBasedScreenSharing, data, screenSharing, unknownFutureValue",
        );
        check(
            "sessions/any(s:s/id eq 'a')",
            "error@0: $filter: 'sessions' at position 0 cannot be filtered on; supported: startDateTime, endDateTime, lastModifiedDateTime, version, id, type, participants_v2/any(...), modalities/any(...), quality, quality/{mediaType}",
        );
        check(
            "startDateTime ge",
            "error@16: $filter: unexpected end of input at position 16; expected a value",
        );
    }

    fn check_subscription(input: &str, expected: &str) {
        let got = match subscription_participant_filter(input) {
            Ok(ids) => format!("{ids:?}"),
            Err(e) => format!("error@{}: {e}", e.position),
        };
        assert_eq!(got, expected, "input: {input}");
    }

    #[test]
    fn subscription_filters() {
        check_subscription("participants/any(p:p/id eq 'a')", "[\"a\"]");
        check_subscription(
            "participants/any(p:p/id eq 'a' or p/id eq 'b')",
            "[\"a\", \"b\"]",
        );
        check_subscription(
            "participants/any(p:p/id in ('a','b','a'))",
            "[\"a\", \"b\"]",
        );
        check_subscription(
            "participants/any(p:p/id eq 'a') or participants/any(x:x/id eq 'c')",
            "[\"a\", \"c\"]",
        );
        check_subscription("participants_v2/any(p:p/id eq 'a')", "[\"a\"]");
        check_subscription(
            "participants/any(p:p/id eq 'a') and participants/any(p:p/id eq 'b')",
            "error@0: $filter: unsupported condition at position 0; a callRecords subscription filters only on participants/any(p:p/id eq '...'), joined by or",
        );
        check_subscription(
            "startDateTime ge 2023-01-01T00:00:00Z",
            "error@0: $filter: unsupported condition at position 0; a callRecords subscription filters only on participants/any(p:p/id eq '...'), joined by or",
        );
        check_subscription(
            "participants/any(p:p/id eq 'a'",
            "error@30: $filter: unexpected end of input at position 30; expected ')' to close the lambda opened at position 16",
        );
    }
}
