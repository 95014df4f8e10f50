//! The `$filter` expression language, parsed into a syntax tree that knows nothing of call records.
//!
//! The tree is generic on purpose: [`crate::odata::record_filter`] decides which of its shapes the call
//! records endpoints accept, and the same parser serves the subscription `resource` filters.
//! Precedence, loosest first: `or`, `and`, `not`, comparisons (`eq ne lt le gt ge in`), then values, paths,
//! function calls, lambdas and parentheses.
//! `not` takes the comparison that follows it, as OData's grammar reads it (`not type eq 'x'` is
//! `not (type eq 'x')`).
//! Keywords are matched in any case, as Graph does, although OData writes them in lower case.

use std::fmt;

use crate::edm::Ticks;
use crate::odata::lexer::{Token, TokenKind, tokenize};
use crate::odata::{MAX_DEPTH, MAX_FILTER_TERMS, QueryError};
use crate::query::CmpOp;

const OPTION: &str = "$filter";

/// A node of the syntax tree and the characters `[start, end)` of the option value it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Literal(Literal),
    /// A property path, `a/b/c`; its first segment may be a lambda's range variable.
    Path(Vec<String>),
    Compare {
        op: CmpOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `value in (a, b, ...)`.
    In {
        value: Box<Expr>,
        list: Vec<Expr>,
    },
    /// Operands of a chain of `and`, flattened so that long chains do not make deep trees.
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// `collection/any(v:body)`, `collection/all(v:body)`, or `collection/any()`.
    Lambda {
        collection: Vec<String>,
        kind: LambdaKind,
        variable: Option<String>,
        body: Option<Box<Expr>>,
    },
    /// `name(args)`, e.g. `startswith(displayName,'A')`.
    Call {
        name: String,
        args: Vec<Expr>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LambdaKind {
    Any,
    All,
}

/// A literal value of the expression language.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Null,
    Bool(bool),
    Int(i64),
    /// A number with a fraction or exponent, as written.
    Decimal(String),
    Str(String),
    DateTimeOffset(Ticks),
    /// A date literal, as midnight UTC of that day.
    Date(Ticks),
    Guid(String),
    /// `Namespace.EnumType'member'`.
    Enum {
        type_name: String,
        member: String,
    },
}

impl Literal {
    /// How an error message names this value.
    pub fn describe(&self) -> String {
        match self {
            Literal::Null => "null".to_string(),
            Literal::Bool(b) => format!("the boolean {b}"),
            Literal::Int(n) => format!("the number {n}"),
            Literal::Decimal(s) => format!("the number {s}"),
            Literal::Str(s) => format!("the string '{}'", s.replace('\'', "''")),
            Literal::DateTimeOffset(t) => format!("the DateTimeOffset {t}"),
            Literal::Date(_) => format!("the date {self}"),
            Literal::Guid(g) => format!("the GUID {g}"),
            Literal::Enum { type_name, member } => {
                format!("the enumeration value {type_name}'{member}'")
            }
        }
    }
}

impl fmt::Display for Literal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Literal::Null => f.write_str("null"),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Int(n) => write!(f, "{n}"),
            Literal::Decimal(s) => f.write_str(s),
            Literal::Str(s) => write!(f, "'{}'", s.replace('\'', "''")),
            Literal::DateTimeOffset(t) => write!(f, "{t}"),
            Literal::Date(t) => {
                let d = t.to_offset_date_time();
                write!(
                    f,
                    "{:04}-{:02}-{:02}",
                    d.year(),
                    u8::from(d.month()),
                    d.day()
                )
            }
            Literal::Guid(g) => f.write_str(g),
            Literal::Enum { type_name, member } => {
                write!(f, "{type_name}'{}'", member.replace('\'', "''"))
            }
        }
    }
}

/// Writes the tree as an s-expression, `(and (ge startDateTime 2023-09-25T09:25:00Z) ...)`: one line
/// that shows the grouping the parser chose.
impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |f: &mut fmt::Formatter<'_>, head: &str, items: &[Expr]| {
            write!(f, "({head}")?;
            for item in items {
                write!(f, " {item}")?;
            }
            f.write_str(")")
        };
        match &self.kind {
            ExprKind::Literal(l) => write!(f, "{l}"),
            ExprKind::Path(p) => f.write_str(&p.join("/")),
            ExprKind::Compare { op, left, right } => write!(f, "({} {left} {right})", op.keyword()),
            ExprKind::In { value, list: items } => {
                write!(f, "(in {value}")?;
                for item in items {
                    write!(f, " {item}")?;
                }
                f.write_str(")")
            }
            ExprKind::And(items) => list(f, "and", items),
            ExprKind::Or(items) => list(f, "or", items),
            ExprKind::Not(inner) => write!(f, "(not {inner})"),
            ExprKind::Lambda {
                collection,
                kind,
                variable,
                body,
            } => {
                let name = match kind {
                    LambdaKind::Any => "any",
                    LambdaKind::All => "all",
                };
                write!(f, "({name} {}", collection.join("/"))?;
                if let (Some(v), Some(b)) = (variable, body) {
                    write!(f, " {v} {b}")?;
                }
                f.write_str(")")
            }
            ExprKind::Call { name, args } => list(f, name, args),
        }
    }
}

/// Parses a `$filter` value into its syntax tree.
pub fn parse_filter(text: &str) -> Result<Expr, QueryError> {
    let tokens = tokenize(OPTION, text)?;
    let mut parser = Parser {
        tokens,
        next: 0,
        len: text.chars().count(),
        depth: 0,
    };
    let expr = parser.or()?;
    if let Some(token) = parser.peek() {
        let what = if is_comparison(token) {
            "'and', 'or' or the end of the filter (comparisons do not chain)"
        } else {
            "'and', 'or' or the end of the filter"
        };
        return Err(parser.unexpected(what));
    }
    Ok(expr)
}

/// Parses a `$filter` that a store will run, refusing one of more than [`MAX_FILTER_TERMS`] conditions.
pub fn parse_store_filter(text: &str) -> Result<Expr, QueryError> {
    let expr = parse_filter(text)?;
    let terms = expr.terms();
    if terms > MAX_FILTER_TERMS {
        return Err(QueryError::new(
            OPTION,
            0,
            format!(
                "the filter has {terms} conditions; at most {MAX_FILTER_TERMS} are supported (join values of one property with 'in' or split the query)"
            ),
        ));
    }
    Ok(expr)
}

impl Expr {
    /// The conditions this expression holds: each comparison, lambda, call and bare value counts one, each
    /// value of an `in` list one, and `and`, `or` and `not` count what they join.
    pub fn terms(&self) -> usize {
        match &self.kind {
            ExprKind::And(items) | ExprKind::Or(items) => items.iter().map(Expr::terms).sum(),
            ExprKind::Not(inner) => inner.terms(),
            ExprKind::In { list, .. } => list.len().max(1),
            ExprKind::Lambda { body, .. } => 1 + body.as_ref().map_or(0, |b| b.terms()),
            ExprKind::Literal(_)
            | ExprKind::Path(_)
            | ExprKind::Compare { .. }
            | ExprKind::Call { .. } => 1,
        }
    }
}

fn keyword(token: Option<&Token>, word: &str) -> bool {
    matches!(token, Some(Token { kind: TokenKind::Ident(s), .. }) if s.eq_ignore_ascii_case(word))
}

fn comparison_op(token: &Token) -> Option<CmpOp> {
    let TokenKind::Ident(s) = &token.kind else {
        return None;
    };
    [
        CmpOp::Eq,
        CmpOp::Ne,
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Gt,
        CmpOp::Ge,
    ]
    .into_iter()
    .find(|op| s.eq_ignore_ascii_case(op.keyword()))
}

fn is_comparison(token: &Token) -> bool {
    comparison_op(token).is_some() || keyword(Some(token), "in")
}

/// Words that cannot start a value: seeing one where a value belongs means a value is missing.
fn is_operator_word(token: &Token) -> bool {
    let TokenKind::Ident(s) = &token.kind else {
        return false;
    };
    is_comparison(token)
        || [
            "and", "or", "has", "add", "sub", "mul", "div", "divby", "mod",
        ]
        .iter()
        .any(|w| s.eq_ignore_ascii_case(w))
}

struct Parser {
    tokens: Vec<Token>,
    next: usize,
    /// Length of the option value in characters: the position of "end of input".
    len: usize,
    depth: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.next)
    }

    fn peek_at(&self, ahead: usize) -> Option<&Token> {
        self.tokens.get(self.next + ahead)
    }

    fn bump(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.next).cloned();
        if token.is_some() {
            self.next += 1;
        }
        token
    }

    fn position(&self) -> usize {
        self.peek().map_or(self.len, |t| t.start)
    }

    fn error(&self, position: usize, message: String) -> QueryError {
        QueryError::new(OPTION, position, message)
    }

    /// "unexpected X at position N; expected Y" for the next token.
    fn unexpected(&self, expected: &str) -> QueryError {
        match self.peek() {
            Some(token) => self.error(
                token.start,
                format!(
                    "unexpected {} at position {}; expected {expected}",
                    token.describe(),
                    token.start
                ),
            ),
            None => self.error(
                self.len,
                format!(
                    "unexpected end of input at position {}; expected {expected}",
                    self.len
                ),
            ),
        }
    }

    fn expect(&mut self, kind: &TokenKind, expected: &str) -> Result<Token, QueryError> {
        match self.peek() {
            Some(token) if &token.kind == kind => Ok(self.bump().expect("peeked")),
            _ => Err(self.unexpected(expected)),
        }
    }

    fn enter(&mut self, position: usize) -> Result<(), QueryError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error(
                position,
                format!(
                    "the expression nests deeper than {MAX_DEPTH} levels at position {position}"
                ),
            ));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    fn or(&mut self) -> Result<Expr, QueryError> {
        self.chain("or", Self::and, ExprKind::Or)
    }

    fn and(&mut self) -> Result<Expr, QueryError> {
        self.chain("and", Self::not, ExprKind::And)
    }

    fn chain(
        &mut self,
        word: &str,
        operand: fn(&mut Self) -> Result<Expr, QueryError>,
        build: fn(Vec<Expr>) -> ExprKind,
    ) -> Result<Expr, QueryError> {
        let first = operand(self)?;
        if !keyword(self.peek(), word) {
            return Ok(first);
        }
        let start = first.start;
        let mut items = vec![first];
        while keyword(self.peek(), word) {
            self.bump();
            items.push(operand(self)?);
        }
        let end = items.last().map_or(start, |e| e.end);
        Ok(Expr {
            kind: build(items),
            start,
            end,
        })
    }

    fn not(&mut self) -> Result<Expr, QueryError> {
        if !keyword(self.peek(), "not") {
            return self.comparison();
        }
        let start = self.bump().expect("peeked").start;
        self.enter(start)?;
        let inner = self.not()?;
        self.leave();
        let end = inner.end;
        Ok(Expr {
            kind: ExprKind::Not(Box::new(inner)),
            start,
            end,
        })
    }

    fn comparison(&mut self) -> Result<Expr, QueryError> {
        let left = self.value()?;
        let Some(token) = self.peek() else {
            return Ok(left);
        };
        if let Some(op) = comparison_op(token) {
            self.bump();
            let right = self.value()?;
            let (start, end) = (left.start, right.end);
            return Ok(Expr {
                kind: ExprKind::Compare {
                    op,
                    left: Box::new(left),
                    right: Box::new(right),
                },
                start,
                end,
            });
        }
        if keyword(Some(token), "in") {
            self.bump();
            let open = self.expect(
                &TokenKind::LParen,
                "'(' to start the list of values after 'in'",
            )?;
            let mut list = Vec::new();
            loop {
                list.push(self.value()?);
                match self.peek().map(|t| &t.kind) {
                    Some(TokenKind::Comma) => {
                        self.bump();
                    }
                    Some(TokenKind::RParen) => break,
                    _ => {
                        return Err(self.unexpected(&format!(
                            "',' or ')' to close the list opened at position {}",
                            open.start
                        )));
                    }
                }
            }
            let end = self.bump().expect("peeked").end;
            let start = left.start;
            return Ok(Expr {
                kind: ExprKind::In {
                    value: Box::new(left),
                    list,
                },
                start,
                end,
            });
        }
        if let TokenKind::Ident(word) = &token.kind {
            let lower = word.to_ascii_lowercase();
            if lower == "has" {
                return Err(self.error(
                    token.start,
                    format!(
                        "the operator 'has' at position {} is not supported",
                        token.start
                    ),
                ));
            }
            if ["add", "sub", "mul", "div", "divby", "mod"].contains(&lower.as_str()) {
                return Err(self.error(
                    token.start,
                    format!(
                        "the arithmetic operator '{word}' at position {} is not supported",
                        token.start
                    ),
                ));
            }
        }
        Ok(left)
    }

    /// A literal, a path, a lambda, a function call or a parenthesised expression.
    fn value(&mut self) -> Result<Expr, QueryError> {
        let Some(token) = self.peek().cloned() else {
            return Err(self.unexpected("a value"));
        };
        let literal = |l: Literal| Expr {
            kind: ExprKind::Literal(l),
            start: token.start,
            end: token.end,
        };
        let expr = match &token.kind {
            TokenKind::LParen => {
                self.bump();
                self.enter(token.start)?;
                let inner = self.or()?;
                self.leave();
                let close = self.expect(
                    &TokenKind::RParen,
                    &format!("')' to close the '(' at position {}", token.start),
                )?;
                return Ok(Expr {
                    kind: inner.kind,
                    start: token.start,
                    end: close.end,
                });
            }
            TokenKind::Str(s) => literal(Literal::Str(s.clone())),
            TokenKind::Int(n) => literal(Literal::Int(*n)),
            TokenKind::Decimal(s) => literal(Literal::Decimal(s.clone())),
            TokenKind::DateTimeOffset(_, t) => literal(Literal::DateTimeOffset(*t)),
            TokenKind::Date(_, t) => literal(Literal::Date(*t)),
            TokenKind::Guid(g) => literal(Literal::Guid(g.clone())),
            TokenKind::Ident(name) => {
                if is_operator_word(&token) {
                    return Err(self.unexpected("a value"));
                }
                return self.name(&token, name);
            }
            TokenKind::RParen | TokenKind::Comma | TokenKind::Slash | TokenKind::Colon => {
                return Err(self.unexpected("a value"));
            }
        };
        self.bump();
        Ok(expr)
    }

    /// What follows a name: a typed literal, a keyword literal, a function call, or a path that may end
    /// in a lambda.
    fn name(&mut self, token: &Token, name: &str) -> Result<Expr, QueryError> {
        let start = token.start;
        self.bump();
        if let Some(Token {
            kind: TokenKind::Str(member),
            start: s,
            end,
        }) = self.peek().cloned()
            && s == token.end
        {
            if name.contains('.') {
                self.bump();
                return Ok(Expr {
                    kind: ExprKind::Literal(Literal::Enum {
                        type_name: name.to_string(),
                        member,
                    }),
                    start,
                    end,
                });
            }
            return Err(self.error(
                start,
                format!(
                    "the typed literal {name}'...' at position {start} is not supported; write DateTimeOffset values unquoted (2023-09-25T09:25:00Z) and strings in single quotes"
                ),
            ));
        }
        for (word, value) in [
            ("true", Literal::Bool(true)),
            ("false", Literal::Bool(false)),
            ("null", Literal::Null),
        ] {
            if name.eq_ignore_ascii_case(word) {
                return Ok(Expr {
                    kind: ExprKind::Literal(value),
                    start,
                    end: token.end,
                });
            }
        }
        if matches!(self.peek().map(|t| &t.kind), Some(TokenKind::LParen)) {
            return self.call(name, start);
        }
        let mut segments = vec![name.to_string()];
        let mut end = token.end;
        while matches!(self.peek().map(|t| &t.kind), Some(TokenKind::Slash)) {
            self.bump();
            let Some(Token {
                kind: TokenKind::Ident(segment),
                end: seg_end,
                ..
            }) = self.peek().filter(|t| !is_operator_word(t)).cloned()
            else {
                return Err(
                    self.unexpected(&format!("a property name after '{}/'", segments.join("/")))
                );
            };
            self.bump();
            let lambda = if segment.eq_ignore_ascii_case("any") {
                Some(LambdaKind::Any)
            } else if segment.eq_ignore_ascii_case("all") {
                Some(LambdaKind::All)
            } else {
                None
            };
            if let Some(kind) = lambda
                && matches!(self.peek().map(|t| &t.kind), Some(TokenKind::LParen))
            {
                return self.lambda(segments, kind, start);
            }
            segments.push(segment);
            end = seg_end;
        }
        Ok(Expr {
            kind: ExprKind::Path(segments),
            start,
            end,
        })
    }

    fn call(&mut self, name: &str, start: usize) -> Result<Expr, QueryError> {
        let open = self.bump().expect("peeked");
        self.enter(open.start)?;
        let mut args = Vec::new();
        if !matches!(self.peek().map(|t| &t.kind), Some(TokenKind::RParen)) {
            loop {
                args.push(self.or()?);
                match self.peek().map(|t| &t.kind) {
                    Some(TokenKind::Comma) => {
                        self.bump();
                    }
                    Some(TokenKind::RParen) => break,
                    _ => {
                        return Err(self.unexpected(&format!(
                            "',' or ')' to close the arguments of {name} opened at position {}",
                            open.start
                        )));
                    }
                }
            }
        }
        self.leave();
        let end = self.bump().expect("peeked").end;
        Ok(Expr {
            kind: ExprKind::Call {
                name: name.to_string(),
                args,
            },
            start,
            end,
        })
    }

    fn lambda(
        &mut self,
        collection: Vec<String>,
        kind: LambdaKind,
        start: usize,
    ) -> Result<Expr, QueryError> {
        let open = self.bump().expect("peeked");
        if let Some(close) = self.peek().filter(|t| t.kind == TokenKind::RParen) {
            let end = close.end;
            self.bump();
            return Ok(Expr {
                kind: ExprKind::Lambda {
                    collection,
                    kind,
                    variable: None,
                    body: None,
                },
                start,
                end,
            });
        }
        let variable = match self.peek() {
            Some(Token {
                kind: TokenKind::Ident(v),
                ..
            }) if !is_operator_word(self.peek().expect("peeked")) => v.clone(),
            _ => return Err(self.unexpected("a range variable, as in any(p:p/id eq '...')")),
        };
        self.bump();
        self.expect(
            &TokenKind::Colon,
            &format!("':' after the range variable '{variable}'"),
        )?;
        self.enter(open.start)?;
        let body = self.or()?;
        self.leave();
        let close = self.expect(
            &TokenKind::RParen,
            &format!("')' to close the lambda opened at position {}", open.start),
        )?;
        if self.peek_at(0).is_some_and(|t| t.kind == TokenKind::Slash) {
            let at = self.position();
            return Err(self.error(
                at,
                format!("unexpected '/' at position {at}; a lambda cannot be followed by a path"),
            ));
        }
        Ok(Expr {
            kind: ExprKind::Lambda {
                collection,
                kind,
                variable: Some(variable),
                body: Some(Box::new(body)),
            },
            start,
            end: close.end,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, expected: &str) {
        let got = match parse_filter(input) {
            Ok(e) => e.to_string(),
            Err(e) => format!("error@{}: {e}", e.position),
        };
        assert_eq!(got, expected, "input: {input}");
    }

    #[test]
    fn documented_filters() {
        check(
            "startDateTime ge 2023-09-25T09:25:00Z and startDateTime lt 2023-09-25T09:30:00Z",
            "(and (ge startDateTime 2023-09-25T09:25:00Z) (lt startDateTime 2023-09-25T09:30:00Z))",
        );
        check(
            "participants_v2/any(p:p/id eq '821809f5-0000-0000-0000-3b5136c0e777')",
            "(any participants_v2 p (eq p/id '821809f5-0000-0000-0000-3b5136c0e777'))",
        );
        check(
            "participants/any(p:p/id eq 'a') or participants/any(p:p/id eq 'b')",
            "(or (any participants p (eq p/id 'a')) (any participants p (eq p/id 'b')))",
        );
    }

    #[test]
    fn literals() {
        check("a eq 'it''s'", "(eq a 'it''s')");
        check("a eq ''", "(eq a '')");
        check("a eq 42", "(eq a 42)");
        check("a eq -42", "(eq a -42)");
        check("a eq 4.25", "(eq a 4.25)");
        check("a eq true", "(eq a true)");
        check("a eq FALSE", "(eq a false)");
        check("a eq null", "(eq a null)");
        check(
            "a eq 2023-09-25T09:25:00.5+02:00",
            "(eq a 2023-09-25T07:25:00.5Z)",
        );
        check("a eq 2019-11-01", "(eq a 2019-11-01)");
        check(
            "a eq 821809f5-0000-0000-0000-3b5136c0e777",
            "(eq a 821809f5-0000-0000-0000-3b5136c0e777)",
        );
        check(
            "type eq microsoft.graph.callRecords.callType'groupCall'",
            "(eq type microsoft.graph.callRecords.callType'groupCall')",
        );
        check("true", "true");
    }

    #[test]
    fn precedence() {
        check(
            "a eq 1 or b eq 2 and c eq 3",
            "(or (eq a 1) (and (eq b 2) (eq c 3)))",
        );
        check(
            "a eq 1 and b eq 2 or c eq 3",
            "(or (and (eq a 1) (eq b 2)) (eq c 3))",
        );
        check(
            "(a eq 1 or b eq 2) and c eq 3",
            "(and (or (eq a 1) (eq b 2)) (eq c 3))",
        );
        check("not a eq 1 and b eq 2", "(and (not (eq a 1)) (eq b 2))");
        check("not (a eq 1 and b eq 2)", "(not (and (eq a 1) (eq b 2)))");
        check("not not a", "(not (not a))");
        check(
            "a eq 1 and b eq 2 and c eq 3",
            "(and (eq a 1) (eq b 2) (eq c 3))",
        );
        check(
            "a EQ 1 AND b Ne 2 OR NOT c",
            "(or (and (eq a 1) (ne b 2)) (not c))",
        );
        check("((a))", "a");
    }

    #[test]
    fn paths_lists_lambdas_calls() {
        check("a/b/c ne 1", "(ne a/b/c 1)");
        check("id in ('x', 'y')", "(in id 'x' 'y')");
        check("type in ('groupCall')", "(in type 'groupCall')");
        check(
            "modalities/any(m:m eq 'video' or m eq 'audio')",
            "(any modalities m (or (eq m 'video') (eq m 'audio')))",
        );
        check(
            "participants_v2/any(p:p/id in ('a','b'))",
            "(any participants_v2 p (in p/id 'a' 'b'))",
        );
        check(
            "sessions/all(s:s/modalities/any(m:m eq 'audio'))",
            "(all sessions s (any s/modalities m (eq m 'audio')))",
        );
        check("a/any()", "(any a)");
        check(
            "startswith(displayName,'Al')",
            "(startswith displayName 'Al')",
        );
        check(
            "contains(a, 'x') and endswith(b,'y')",
            "(and (contains a 'x') (endswith b 'y'))",
        );
        check("now()", "(now)");
        check(
            "2023-01-01T00:00:00Z lt startDateTime",
            "(lt 2023-01-01T00:00:00Z startDateTime)",
        );
    }

    #[test]
    fn positions_of_nodes() {
        let e = parse_filter("  (a eq 'x') and b/any(p:p eq 1)").unwrap();
        assert_eq!((e.start, e.end), (2, 32));
        let ExprKind::And(items) = &e.kind else {
            panic!("{e}")
        };
        assert_eq!((items[0].start, items[0].end), (2, 12));
        assert_eq!((items[1].start, items[1].end), (17, 32));
    }

    #[test]
    fn errors() {
        check(
            "startDateTime ge 2023-09-25T09:25:00Z and (startDateTime lt )",
            "error@60: $filter: unexpected ')' at position 60; expected a value",
        );
        check(
            "",
            "error@0: $filter: unexpected end of input at position 0; expected a value",
        );
        check(
            "a eq",
            "error@4: $filter: unexpected end of input at position 4; expected a value",
        );
        check(
            "a eq 1 and",
            "error@10: $filter: unexpected end of input at position 10; expected a value",
        );
        check(
            "and a eq 1",
            "error@0: $filter: unexpected 'and' at position 0; expected a value",
        );
        check(
            "a eq eq",
            "error@5: $filter: unexpected 'eq' at position 5; expected a value",
        );
        check(
            "(a eq 1",
            "error@7: $filter: unexpected end of input at position 7; expected ')' to close the '(' at position 0",
        );
        check(
            "a eq 1)",
            "error@6: $filter: unexpected ')' at position 6; expected 'and', 'or' or the end of the filter",
        );
        check(
            "a eq 1 eq 2",
            "error@7: $filter: unexpected 'eq' at position 7; expected 'and', 'or' or the end of the filter (comparisons do not chain)",
        );
        check(
            "a eq 1 b",
            "error@7: $filter: unexpected 'b' at position 7; expected 'and', 'or' or the end of the filter",
        );
        check(
            "a in 'x'",
            "error@5: $filter: unexpected the string 'x' at position 5; expected '(' to start the list of values after 'in'",
        );
        check(
            "a in ()",
            "error@6: $filter: unexpected ')' at position 6; expected a value",
        );
        check(
            "a in ('x' 'y')",
            "error@10: $filter: unexpected the string 'y' at position 10; expected ',' or ')' to close the list opened at position 5",
        );
        check(
            "a in ('x',",
            "error@10: $filter: unexpected end of input at position 10; expected a value",
        );
        check(
            "a/ eq 1",
            "error@3: $filter: unexpected 'eq' at position 3; expected a property name after 'a/'",
        );
        check(
            "p/any(p p/id eq 'x')",
            "error@8: $filter: unexpected 'p' at position 8; expected ':' after the range variable 'p'",
        );
        check(
            "p/any(:x)",
            "error@6: $filter: unexpected ':' at position 6; expected a range variable, as in any(p:p/id eq '...')",
        );
        check(
            "p/any(x:x eq 1",
            "error@14: $filter: unexpected end of input at position 14; expected ')' to close the lambda opened at position 5",
        );
        check(
            "p/any(x:x eq 1)/y",
            "error@15: $filter: unexpected '/' at position 15; a lambda cannot be followed by a path",
        );
        check(
            "f(a,",
            "error@4: $filter: unexpected end of input at position 4; expected a value",
        );
        check(
            "f(a b)",
            "error@4: $filter: unexpected 'b' at position 4; expected ',' or ')' to close the arguments of f opened at position 1",
        );
        check(
            "a has 1",
            "error@2: $filter: the operator 'has' at position 2 is not supported",
        );
        check(
            "a add 1 eq 2",
            "error@2: $filter: the arithmetic operator 'add' at position 2 is not supported",
        );
        check(
            "a eq datetime'2023-01-01T00:00:00'",
            "error@5: $filter: the typed literal datetime'...' at position 5 is not supported; write DateTimeOffset values unquoted (2023-09-25T09:25:00Z) and strings in single quotes",
        );
        check(
            "a eq 'x",
            "error@5: $filter: the string starting at position 5 is never closed",
        );
    }

    #[test]
    fn nesting_is_bounded() {
        let ok = format!("{}a eq 1{}", "(".repeat(MAX_DEPTH), ")".repeat(MAX_DEPTH));
        check(&ok, "(eq a 1)");
        let deep = format!(
            "{}a eq 1{}",
            "(".repeat(MAX_DEPTH + 1),
            ")".repeat(MAX_DEPTH + 1)
        );
        check(
            &deep,
            "error@100: $filter: the expression nests deeper than 100 levels at position 100",
        );
        let nots = "not ".repeat(100_000);
        assert!(parse_filter(&nots).is_err());
        let opens = "(".repeat(1_000_000);
        assert!(parse_filter(&opens).is_err());
        let lambdas = "a/any(x:".repeat(10_000);
        assert!(parse_filter(&lambdas).is_err());
        let calls = "f(".repeat(10_000);
        assert!(parse_filter(&calls).is_err());
        let long_chain = vec!["a eq 1"; 50_000].join(" and ");
        let ExprKind::And(items) = parse_filter(&long_chain).unwrap().kind else {
            panic!("not an and")
        };
        assert_eq!(items.len(), 50_000);
    }

    #[test]
    fn store_filters_hold_a_bounded_number_of_conditions() {
        let at_limit = vec!["a eq 1"; MAX_FILTER_TERMS].join(" or ");
        assert!(parse_store_filter(&at_limit).is_ok());
        let over = vec!["a eq 1"; MAX_FILTER_TERMS + 1].join(" or ");
        assert_eq!(
            parse_store_filter(&over).unwrap_err().to_string(),
            "$filter: the filter has 501 conditions; at most 500 are supported (join values of one property with 'in' or split the query)"
        );
        let values = (0..=MAX_FILTER_TERMS)
            .map(|i| i.to_string())
            .collect::<Vec<_>>();
        let long_in = format!("a in ({})", values.join(","));
        assert!(parse_store_filter(&long_in).is_err());
        let lambdas = vec!["p/any(x:x/id eq 'a' or x/id eq 'b')"; 200].join(" and ");
        assert!(
            parse_store_filter(&lambdas).is_err(),
            "each lambda and its body count"
        );
    }
}
