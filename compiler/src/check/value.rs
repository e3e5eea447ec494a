//! Compile-time values and constant folding: constants, defaults and test requests are folded
//! to values; rule conditions are folded to find rules that can never fire.

use std::fmt;

use super::program::{Builtin, Const, TExpr, TExprKind, ToolId};
use super::types::EnumId;
use crate::ast::{BinOp, UnOp};
use crate::decimal::Decimal;

/// A value known at compile time.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Decimal(Decimal),
    Str(String),
    Email(String),
    Url(String),
    Path(String),
    Ip(String),
    /// Milliseconds since the Unix epoch.
    Timestamp(i64),
    /// Milliseconds.
    Duration(i64),
    Regex(String),
    Enum(EnumId, u32),
    /// Index into [`super::types::PROVENANCES`].
    Provenance(u8),
    /// Index into [`super::types::SEVERITIES`].
    Severity(u8),
    Tool(ToolId),
    List(Vec<Value>),
    /// Sorted, without duplicates.
    Set(Vec<Value>),
    /// Record fields by index.
    Record(Vec<(usize, Value)>),
}

impl Value {
    /// Builds a set value, sorting and removing duplicates.
    pub fn set(mut items: Vec<Value>) -> Value {
        items.sort();
        items.dedup();
        Value::Set(items)
    }

    /// Numeric value in ten-thousandths, for comparing Int with Decimal.
    fn as_decimal(&self) -> Option<Decimal> {
        match self {
            Value::Int(i) => Decimal::from_int(*i),
            Value::Decimal(d) => Some(*d),
            _ => None,
        }
    }

    fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) | Value::Email(s) | Value::Url(s) | Value::Path(s) | Value::Ip(s) => Some(s),
            _ => None,
        }
    }

    fn items(&self) -> Option<&[Value]> {
        match self {
            Value::List(v) | Value::Set(v) => Some(v),
            _ => None,
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(i) => write!(f, "{i}"),
            Value::Decimal(d) => write!(f, "{d}"),
            Value::Str(s) | Value::Email(s) | Value::Url(s) | Value::Path(s) | Value::Ip(s) => {
                write!(f, "{s:?}")
            }
            Value::Timestamp(t) => write!(f, "timestamp {t}"),
            Value::Duration(d) => write!(f, "{d}ms"),
            Value::Regex(r) => write!(f, "r\"{r}\""),
            Value::Enum(_, v) => write!(f, "variant {v}"),
            Value::Provenance(p) => f.write_str(super::types::PROVENANCES.get(*p as usize).copied().unwrap_or("?")),
            Value::Severity(s) => f.write_str(super::types::SEVERITIES.get(*s as usize).copied().unwrap_or("?")),
            Value::Tool(t) => write!(f, "tool {}", t.0),
            Value::List(items) | Value::Set(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Value::Record(_) => f.write_str("{…}"),
        }
    }
}

/// Folds an expression to a value if it depends on no run-time input.
pub fn fold(expr: &TExpr, consts: &[Const]) -> Option<Value> {
    match &expr.kind {
        TExprKind::Lit(v) => Some(v.clone()),
        TExprKind::Const(id) => consts.get(id.0 as usize).and_then(|c| c.value.clone()),
        TExprKind::List(items) => items.iter().map(|e| fold(e, consts)).collect::<Option<Vec<_>>>().map(Value::List),
        TExprKind::Set(items) => items.iter().map(|e| fold(e, consts)).collect::<Option<Vec<_>>>().map(Value::set),
        TExprKind::Record(_, fields) => {
            fields.iter().map(|(i, e)| fold(e, consts).map(|v| (*i, v))).collect::<Option<Vec<_>>>().map(Value::Record)
        }
        TExprKind::Unary(UnOp::Not, e) => match fold(e, consts)? {
            Value::Bool(b) => Some(Value::Bool(!b)),
            _ => None,
        },
        TExprKind::Unary(UnOp::Neg, e) => match fold(e, consts)? {
            Value::Int(i) => i.checked_neg().map(Value::Int),
            Value::Decimal(d) => d.0.checked_neg().map(|v| Value::Decimal(Decimal(v))),
            _ => None,
        },
        TExprKind::Binary(op, a, b) => fold_binary(*op, a, b, consts),
        TExprKind::If(c, a, b) => match fold(c, consts)? {
            Value::Bool(true) => fold(a, consts),
            Value::Bool(false) => fold(b, consts),
            _ => None,
        },
        TExprKind::Call(builtin, args) => fold_call(*builtin, args, consts),
        _ => None,
    }
}

fn fold_binary(op: BinOp, a: &TExpr, b: &TExpr, consts: &[Const]) -> Option<Value> {
    // `and`/`or` fold when one side decides them.
    if matches!(op, BinOp::And | BinOp::Or) {
        let short = op == BinOp::Or;
        let (x, y) = (fold(a, consts), fold(b, consts));
        if x == Some(Value::Bool(short)) || y == Some(Value::Bool(short)) {
            return Some(Value::Bool(short));
        }
        return match (x?, y?) {
            (Value::Bool(p), Value::Bool(q)) => Some(Value::Bool(if short { p || q } else { p && q })),
            _ => None,
        };
    }
    let (x, y) = (fold(a, consts)?, fold(b, consts)?);
    Some(match op {
        BinOp::Eq => Value::Bool(equal(&x, &y)),
        BinOp::Ne => Value::Bool(!equal(&x, &y)),
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
            let ord = match (x.as_decimal(), y.as_decimal()) {
                (Some(p), Some(q)) => p.cmp(&q),
                _ => x.cmp(&y),
            };
            Value::Bool(match op {
                BinOp::Lt => ord.is_lt(),
                BinOp::Le => ord.is_le(),
                BinOp::Gt => ord.is_gt(),
                _ => ord.is_ge(),
            })
        }
        BinOp::In => Value::Bool(member(&x, &y)?),
        BinOp::NotIn => Value::Bool(!member(&x, &y)?),
        BinOp::Contains => Value::Bool(member(&y, &x)?),
        BinOp::Add | BinOp::Sub | BinOp::Mul => arithmetic(op, &x, &y)?,
        BinOp::And | BinOp::Or => return None,
    })
}

fn equal(x: &Value, y: &Value) -> bool {
    match (x.as_decimal(), y.as_decimal()) {
        (Some(p), Some(q)) => p == q,
        _ => x == y,
    }
}

/// Is `x` in `collection` (or a substring of a string)?
fn member(x: &Value, collection: &Value) -> Option<bool> {
    if let (Some(needle), Some(hay)) = (x.as_str(), collection.as_str()) {
        return Some(hay.contains(needle));
    }
    Some(collection.items()?.iter().any(|item| equal(item, x)))
}

fn arithmetic(op: BinOp, x: &Value, y: &Value) -> Option<Value> {
    if let (Value::Int(p), Value::Int(q)) = (x, y) {
        return match op {
            BinOp::Add => p.checked_add(*q),
            BinOp::Sub => p.checked_sub(*q),
            _ => p.checked_mul(*q),
        }
        .map(Value::Int);
    }
    if let (Value::Timestamp(t), Value::Duration(d)) = (x, y) {
        return match op {
            BinOp::Add => t.checked_add(*d),
            BinOp::Sub => t.checked_sub(*d),
            _ => None,
        }
        .map(Value::Timestamp);
    }
    if let (Value::Duration(p), Value::Duration(q)) = (x, y) {
        return match op {
            BinOp::Add => p.checked_add(*q),
            BinOp::Sub => p.checked_sub(*q),
            _ => None,
        }
        .map(Value::Duration);
    }
    let (p, q) = (x.as_decimal()?.0 as i128, y.as_decimal()?.0 as i128);
    let r = match op {
        BinOp::Add => p + q,
        BinOp::Sub => p - q,
        _ => p * q / crate::decimal::SCALE as i128,
    };
    i64::try_from(r).ok().map(|v| Value::Decimal(Decimal(v)))
}

fn fold_call(builtin: Builtin, args: &[TExpr], consts: &[Const]) -> Option<Value> {
    let first = fold(args.first()?, consts)?;
    let text = first.as_str().map(str::to_owned);
    Some(match builtin {
        Builtin::Lower => Value::Str(text?.to_lowercase()),
        Builtin::Upper => Value::Str(text?.to_uppercase()),
        Builtin::Trim => Value::Str(text?.trim().to_owned()),
        Builtin::StartsWith => Value::Bool(text?.starts_with(fold(args.get(1)?, consts)?.as_str()?)),
        Builtin::EndsWith => Value::Bool(text?.ends_with(fold(args.get(1)?, consts)?.as_str()?)),
        Builtin::StrContains => Value::Bool(text?.contains(fold(args.get(1)?, consts)?.as_str()?)),
        Builtin::EmailDomain => Value::Str(text?.rsplit_once('@')?.1.to_owned()),
        Builtin::EmailLocal => Value::Str(text?.rsplit_once('@')?.0.to_owned()),
        Builtin::Len => match &first {
            Value::List(v) | Value::Set(v) => Value::Int(v.len() as i64),
            other => Value::Int(other.as_str()?.chars().count() as i64),
        },
        _ => return None,
    })
}

/// Can this condition never be true, whatever the request? (Used by the never-fires lint.)
pub fn never_true(expr: &TExpr, consts: &[Const]) -> bool {
    if fold(expr, consts) == Some(Value::Bool(false)) {
        return true;
    }
    match &expr.kind {
        TExprKind::Binary(BinOp::And, a, b) => never_true(a, consts) || never_true(b, consts),
        TExprKind::Binary(BinOp::Or, a, b) => never_true(a, consts) && never_true(b, consts),
        TExprKind::Binary(BinOp::In, _, s) => is_empty_collection(s, consts),
        TExprKind::Binary(BinOp::Contains, s, _) => s.ty.element().is_some() && is_empty_collection(s, consts),
        TExprKind::Call(Builtin::Any, args) => args.first().is_some_and(|xs| is_empty_collection(xs, consts)),
        _ => false,
    }
}

fn is_empty_collection(expr: &TExpr, consts: &[Const]) -> bool {
    matches!(fold(expr, consts), Some(Value::List(v) | Value::Set(v)) if v.is_empty())
}
