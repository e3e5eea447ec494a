//! Evaluating expression nodes: the reference semantics of every operator and built-in. A
//! fault (an absent optional used as a value, overflow, a native rejecting its input) is an
//! `Err` with a message; the caller turns it into a fail-closed decision.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;

use super::{Compiled, Facts};
use crate::ir::{BinOp, Binding, Builtin, Node, NodeId};
use crate::natives;
use crate::value::{equal, member, Value};

/// A fault during evaluation.
pub type Fault = String;

/// Values a rule can read, for one request (and one call, in `evaluate` and plan steps).
pub struct Env<'a> {
    pub compiled: &'a Compiled,
    pub bindings: [Option<Value>; 9],
    /// The request whose `agent`, `tenant`, `session` and `request` bindings are built on
    /// first use (most decisions read none or one of them).
    pub facts: Facts<'a>,
    pub provenance: Option<&'a BTreeMap<String, u8>>,
    pub locals: Vec<Value>,
    /// When set, the values of explainable nodes are recorded in evaluation order.
    pub trace: Option<Trace>,
    /// Values of shared nodes already evaluated for this request (few: a linear scan).
    pub memo: Vec<(NodeId, Result<Value, Fault>)>,
}

/// The values recorded while explaining a condition (a condition reads few).
pub type Trace = smallvec::SmallVec<[(NodeId, Value); 4]>;

fn binding_index(b: Binding) -> usize {
    b as usize
}

impl<'a> Env<'a> {
    /// An environment with no binding set yet (request bindings are built on first use).
    pub fn new(compiled: &'a Compiled, facts: Facts<'a>, provenance: Option<&'a BTreeMap<String, u8>>) -> Env<'a> {
        Env { compiled, bindings: Default::default(), facts, provenance, locals: Vec::new(), trace: None, memo: Vec::new() }
    }

    pub fn set(&mut self, b: Binding, v: Value) {
        self.bindings[binding_index(b)] = Some(v);
    }

    /// The value of binding `b`, building a request binding on first use.
    pub fn binding(&mut self, b: Binding) -> Option<Value> {
        let slot = binding_index(b);
        if self.bindings[slot].is_none() {
            self.bindings[slot] = self.facts.binding(b);
        }
        self.bindings[slot].clone()
    }

    /// Evaluates a node; a shared node is evaluated once per request (unless tracing, which
    /// must see every value).
    pub fn eval(&mut self, id: NodeId) -> Result<Value, Fault> {
        let memoised = self.trace.is_none() && self.compiled.shared.get(id as usize).copied().unwrap_or(false);
        if memoised {
            if let Some((_, v)) = self.memo.iter().find(|(n, _)| *n == id) {
                return v.clone();
            }
            let v = self.eval_node(id);
            self.memo.push((id, v.clone()));
            return v;
        }
        self.eval_node(id)
    }

    fn eval_node(&mut self, id: NodeId) -> Result<Value, Fault> {
        let policy = &self.compiled.policy;
        let node = policy.nodes.get(id as usize).ok_or_else(|| format!("node {id} does not exist"))?;
        let value = match node {
            Node::Lit(v) => v.clone(),
            Node::Binding(b) => self.binding(*b).ok_or_else(|| format!("`{b:?}` is not available"))?,
            Node::Local(depth) => {
                let i = self.locals.len().checked_sub(1 + *depth as usize).ok_or("unbound lambda parameter")?;
                self.locals[i].clone()
            }
            Node::Field(base, index) => match self.eval(*base)? {
                Value::Record(fields) => fields.get(*index as usize).cloned().ok_or("record field out of range")?,
                Value::Absent => return Err(self.absent(*base)),
                other => return Err(format!("field access on {other:?}")),
            },
            Node::ArgField(base, name) => match self.eval(*base)? {
                Value::Args(tool, values) => {
                    let slot =
                        self.compiled.arg_slots.get(tool as usize).and_then(|slots| slots.get(*name as usize)).copied().unwrap_or(u32::MAX);
                    match values.get(slot as usize) {
                        Some(v) => v.clone(),
                        None => {
                            let name = &policy.names[*name as usize];
                            return Err(format!("tool `{}` has no argument `{name}`", policy.tools[tool as usize].name));
                        }
                    }
                }
                Value::Absent => return Err(self.absent(*base)),
                other => return Err(format!("argument access on {other:?}")),
            },
            Node::ArgProvenance(name) => {
                let name = &policy.names[*name as usize];
                Value::Provenance(self.provenance.and_then(|p| p.get(name)).copied().unwrap_or(6))
            }
            Node::Not(x) => Value::Bool(!self.bool(*x)?),
            Node::Neg(x) => match self.present(*x)? {
                Value::Int(i) => Value::Int(i.checked_neg().ok_or("integer overflow")?),
                Value::Decimal(d) => Value::Decimal(d.checked_neg().ok_or("decimal overflow")?),
                Value::Duration(d) => Value::Duration(d.checked_neg().ok_or("duration overflow")?),
                other => return Err(format!("cannot negate {other:?}")),
            },
            Node::Binary(op, a, b) => self.binary(*op, *a, *b)?,
            Node::If(c, a, b) => {
                if self.bool(*c)? {
                    self.eval(*a)?
                } else {
                    self.eval(*b)?
                }
            }
            Node::List(items) => Value::List(self.all(items)?.into()),
            Node::Set(items) => Value::set(self.all(items)?),
            Node::Record(items) => Value::Record(self.all(items)?.into()),
            Node::Lambda(_) => return Err("a lambda is not a value".to_owned()),
            Node::Call(builtin, args) => self.call(*builtin, args)?,
        };
        if self.trace.is_some() && policy.node_text.get(id as usize).is_some_and(Option::is_some) {
            if let Some(trace) = self.trace.as_mut() {
                trace.push((id, value.clone()));
            }
        }
        Ok(value)
    }

    fn absent(&self, id: NodeId) -> Fault {
        match self.compiled.policy.node_text.get(id as usize).and_then(Option::as_ref) {
            Some(text) => format!("`{text}` is absent"),
            None => "an optional value is absent".to_owned(),
        }
    }

    /// Evaluates a node that must have a value (absent optionals fault).
    fn present(&mut self, id: NodeId) -> Result<Value, Fault> {
        match self.eval(id)? {
            Value::Absent => Err(self.absent(id)),
            v => Ok(v),
        }
    }

    /// Evaluates a node that must be a boolean: a condition, or an operand of `and`, `or`,
    /// `not`, `if`. An absent optional faults (it is unwrapped where a `Bool` is expected), so a
    /// rule whose condition is an absent `Bool?` fails closed instead of not firing.
    pub(super) fn bool(&mut self, id: NodeId) -> Result<bool, Fault> {
        match self.present(id)? {
            Value::Bool(b) => Ok(b),
            other => Err(format!("expected a boolean, found {other:?}")),
        }
    }

    fn all(&mut self, items: &[NodeId]) -> Result<Vec<Value>, Fault> {
        items.iter().map(|i| self.present(*i)).collect()
    }

    fn text(&mut self, id: NodeId) -> Result<Arc<str>, Fault> {
        match self.present(id)? {
            Value::Str(s) | Value::Email(s) | Value::Url(s) | Value::Path(s) | Value::Ip(s) => Ok(s),
            other => Err(format!("expected text, found {other:?}")),
        }
    }

    fn binary(&mut self, op: BinOp, a: NodeId, b: NodeId) -> Result<Value, Fault> {
        Ok(match op {
            BinOp::And => Value::Bool(self.bool(a)? && self.bool(b)?),
            BinOp::Or => Value::Bool(self.bool(a)? || self.bool(b)?),
            BinOp::Eq => Value::Bool(equal(&self.present(a)?, &self.present(b)?)),
            BinOp::Ne => Value::Bool(!equal(&self.present(a)?, &self.present(b)?)),
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let (x, y) = (self.present(a)?, self.present(b)?);
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
            BinOp::In => Value::Bool(member(&self.present(a)?, &self.present(b)?)),
            BinOp::NotIn => Value::Bool(!member(&self.present(a)?, &self.present(b)?)),
            BinOp::Contains => {
                let (coll, x) = (self.present(a)?, self.present(b)?);
                Value::Bool(member(&x, &coll))
            }
            BinOp::Add | BinOp::Sub | BinOp::Mul => arithmetic(op, self.present(a)?, self.present(b)?)?,
        })
    }

    fn call(&mut self, builtin: Builtin, args: &[NodeId]) -> Result<Value, Fault> {
        let arg = |i: usize| args.get(i).copied().ok_or_else(|| format!("{builtin:?} is missing argument {}", i + 1));
        Ok(match builtin {
            Builtin::Present => Value::Bool(!matches!(self.eval(arg(0)?)?, Value::Absent)),
            Builtin::Or => match self.eval(arg(0)?)? {
                Value::Absent => self.present(arg(1)?)?,
                v => v,
            },
            Builtin::Any | Builtin::All => {
                let xs = self.present(arg(0)?)?;
                let items = xs.items().ok_or("expected a list or set")?.to_vec();
                let body = match self.compiled.policy.nodes.get(arg(1)? as usize) {
                    Some(Node::Lambda(body)) => *body,
                    _ => return Err("expected a lambda".to_owned()),
                };
                let want = builtin == Builtin::Any;
                let mut result = !want;
                for item in items {
                    self.locals.push(item);
                    let r = self.bool(body);
                    self.locals.pop();
                    if r? == want {
                        result = want;
                        break;
                    }
                }
                Value::Bool(result)
            }
            Builtin::Len => match self.present(arg(0)?)? {
                Value::List(v) | Value::Set(v) => Value::Int(v.len() as i64),
                other => Value::Int(other.as_text().ok_or("`len` of a non-collection")?.chars().count() as i64),
            },
            Builtin::Matches => {
                let s = self.text(arg(0)?)?;
                match self.present(arg(1)?)? {
                    Value::Regex(i) => Value::Bool(self.compiled.regexes.get(i as usize).ok_or("unknown regex")?.is_match(&s)),
                    other => return Err(format!("expected a regex, found {other:?}")),
                }
            }
            Builtin::TimestampHour | Builtin::TimestampWeekday => match self.present(arg(0)?)? {
                Value::Timestamp(ms) => {
                    let (hour, weekday) = hour_and_weekday(ms);
                    Value::Int(if builtin == Builtin::TimestampHour { hour } else { weekday })
                }
                other => return Err(format!("expected a timestamp, found {other:?}")),
            },
            Builtin::Native(native) => {
                let values = self.all(args)?;
                natives::call(native, &values)?
            }
            text_op => {
                let s = self.text(arg(0)?)?;
                let other = if args.len() > 1 { Some(self.text(arg(1)?)?) } else { None };
                let other = || other.clone().ok_or_else(|| format!("{text_op:?} needs an argument"));
                string_builtin(text_op, &s, other)?
            }
        })
    }
}

pub(crate) fn string_builtin(op: Builtin, s: &str, other: impl Fn() -> Result<Arc<str>, Fault>) -> Result<Value, Fault> {
    if let Some(derived) = derive_text(op, s) {
        let text: Arc<str> = Arc::from(derived.as_ref());
        return Ok(if op == Builtin::PathParent { Value::Path(text) } else { Value::Str(text) });
    }
    match op {
        Builtin::StartsWith | Builtin::EndsWith | Builtin::StrContains | Builtin::PathStartsWith => {
            Ok(Value::Bool(test_text(op, s, &other()?).unwrap_or(false)))
        }
        Builtin::TimestampHour | Builtin::TimestampWeekday => Err("internal: timestamp field on text".to_owned()),
        other => Err(format!("internal: {other:?} is not a text operation")),
    }
}

/// The text a text built-in derives from `s` (a slice of it where possible); `None` if `op`
/// does not derive text. Shared by the interpreter and the JIT's helpers.
pub(crate) fn derive_text(op: Builtin, s: &str) -> Option<Cow<'_, str>> {
    Some(match op {
        Builtin::Lower => Cow::Owned(s.to_lowercase()),
        Builtin::Upper => Cow::Owned(s.to_uppercase()),
        Builtin::Trim => Cow::Borrowed(s.trim()),
        Builtin::EmailLocal => Cow::Borrowed(s.rsplit_once('@').map_or("", |(l, _)| l)),
        Builtin::EmailDomain => Cow::Borrowed(s.rsplit_once('@').map_or("", |(_, d)| d)),
        Builtin::UrlScheme => Cow::Borrowed(s.split_once("://").map_or("", |(scheme, _)| scheme)),
        Builtin::UrlHost => Cow::Owned(natives_domain(s)),
        Builtin::UrlPath => {
            let rest = s.split_once("://").map_or(s, |(_, r)| r);
            // A backslash ends the host as a slash does (as browsers read `http` URLs).
            let path = rest.find(['/', '\\']).map_or("/", |i| &rest[i..]);
            Cow::Borrowed(path.split(['?', '#']).next().unwrap_or("/"))
        }
        Builtin::PathName => Cow::Borrowed(path_name(s)),
        Builtin::PathExt => {
            let name = path_name(s);
            Cow::Borrowed(match name.rfind('.') {
                Some(0) | None => "",
                Some(i) => &name[i + 1..],
            })
        }
        Builtin::PathParent => {
            let trimmed = s.trim_end_matches('/');
            Cow::Borrowed(match trimmed.rfind('/') {
                Some(0) => "/",
                Some(i) => &trimmed[..i],
                None => ".",
            })
        }
        _ => return None,
    })
}

/// A text test (`starts_with`, `ends_with`, `contains`, path prefix); `None` if `op` is not one.
pub(crate) fn test_text(op: Builtin, s: &str, other: &str) -> Option<bool> {
    Some(match op {
        Builtin::StartsWith => s.starts_with(other),
        Builtin::EndsWith => s.ends_with(other),
        Builtin::StrContains => crate::value::contains_text(s, other),
        Builtin::PathStartsWith => path_starts_with(s, other),
        _ => return None,
    })
}

fn natives_domain(url: &str) -> String {
    crate::natives::call(crate::ir::Native::NetDomain, &[Value::str(url)])
        .ok()
        .and_then(|v| v.as_text().map(str::to_owned))
        .unwrap_or_default()
}

fn path_name(s: &str) -> &str {
    s.trim_end_matches('/').rsplit('/').next().unwrap_or("")
}

/// Component-wise prefix, as written (no `..` resolution): `/etc/passwd` starts with `/etc/`,
/// `/etcetera` does not.
fn path_starts_with(path: &str, prefix: &str) -> bool {
    if path.starts_with('/') != prefix.starts_with('/') {
        return false;
    }
    let parts = |p: &str| p.split('/').filter(|s| !s.is_empty() && *s != ".").map(str::to_owned).collect::<Vec<_>>();
    let (p, q) = (parts(path), parts(prefix));
    q.len() <= p.len() && p.iter().zip(&q).all(|(a, b)| a == b)
}

pub(crate) fn arithmetic(op: BinOp, x: Value, y: Value) -> Result<Value, Fault> {
    let overflow = || "arithmetic overflow".to_owned();
    Ok(match (op, &x, &y) {
        (_, Value::Int(p), Value::Int(q)) => Value::Int(
            match op {
                BinOp::Add => p.checked_add(*q),
                BinOp::Sub => p.checked_sub(*q),
                _ => p.checked_mul(*q),
            }
            .ok_or_else(overflow)?,
        ),
        (BinOp::Add, Value::Str(p), Value::Str(q)) => Value::str(&format!("{p}{q}")),
        (BinOp::Add | BinOp::Sub, Value::Timestamp(t), Value::Duration(d)) => {
            Value::Timestamp(if op == BinOp::Add { t.checked_add(*d) } else { t.checked_sub(*d) }.ok_or_else(overflow)?)
        }
        (BinOp::Add | BinOp::Sub, Value::Duration(p), Value::Duration(q)) => {
            Value::Duration(if op == BinOp::Add { p.checked_add(*q) } else { p.checked_sub(*q) }.ok_or_else(overflow)?)
        }
        (BinOp::Mul, Value::Duration(d), Value::Int(n)) => Value::Duration(d.checked_mul(*n).ok_or_else(overflow)?),
        _ => {
            let (p, q) = (x.as_decimal().ok_or("arithmetic on non-numbers")?, y.as_decimal().ok_or("arithmetic on non-numbers")?);
            let r = match op {
                BinOp::Add => p + q,
                BinOp::Sub => p - q,
                _ => p * q / 10_000,
            };
            Value::Decimal(i64::try_from(r).map_err(|_| overflow())?)
        }
    })
}

/// The hour (0–23) and ISO weekday (1 = Monday) of a timestamp, UTC.
pub fn hour_and_weekday(ms: i64) -> (i64, i64) {
    let days = ms.div_euclid(86_400_000);
    let hour = ms.rem_euclid(86_400_000) / 3_600_000;
    (hour, (days + 3).rem_euclid(7) + 1)
}
