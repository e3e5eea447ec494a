//! What the JIT knows about a node before compiling it: its shape (a scalar of some kind,
//! possibly absent; a literal table; a set the request carries), inferred from literals,
//! bindings and the tool's schema. A node without a shape is not compiled: the effect that
//! reads it is left to the interpreter.

use std::cell::Cell;
use std::collections::HashMap;

use crate::frame::{call, header};
use crate::intern::Interner;
use crate::ir::{BinOp, Binding, Builtin, Node, NodeId};
use crate::policy::Policy;
use crate::schema::Type;
use crate::value::Value;

/// The kind of a scalar; its payload is one `i64` (strings: interned ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Bool,
    Int,
    Dec,
    Time,
    Dur,
    /// A string-like value: 0 String, 1 Email, 2 Url, 3 Path, 4 Ip.
    Text(u8),
    Enum(u32),
    Prov,
    Sev,
    Tool,
    Regex,
}

impl Kind {
    pub fn code(self) -> i64 {
        match self {
            Kind::Bool => 0,
            Kind::Int => 1,
            Kind::Dec => 2,
            Kind::Time => 3,
            Kind::Dur => 4,
            Kind::Text(t) => 10 + i64::from(t),
            Kind::Enum(_) => 5,
            Kind::Prov => 6,
            Kind::Sev => 7,
            Kind::Tool => 8,
            Kind::Regex => 9,
        }
    }

    fn numeric(self) -> bool {
        matches!(self, Kind::Int | Kind::Dec)
    }

    fn text(self) -> bool {
        matches!(self, Kind::Text(_))
    }
}

/// Where a scalar the request provides lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    Header(usize),
    Call(usize),
}

/// A node's shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    Scalar {
        kind: Kind,
        opt: bool,
    },
    /// A literal set or list of scalars: payloads sorted (`kind` is `None` when empty).
    Table {
        kind: Option<Kind>,
        items: Vec<i64>,
    },
    /// `agent.roles` (0) or `session.labels` (1): interned strings of the request.
    RequestSet(u8),
}

impl Shape {
    fn scalar(kind: Kind) -> Option<Shape> {
        Some(Shape::Scalar { kind, opt: false })
    }

    pub fn kind(&self) -> Option<Kind> {
        match self {
            Shape::Scalar { kind, .. } => Some(*kind),
            _ => None,
        }
    }
}

/// An operand of a precomputed text operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operand {
    Const(i64),
    /// A request slot (optional: its present flag is the slot before).
    Slot(Slot, bool),
    /// An earlier precomputed operation.
    Pre(usize),
}

/// A text operation on request values and literals only (`args.to.domain`,
/// `args.cmd.matches(r"…")`): computed once when the request is prepared, stored in the frame
/// as (ok, payload) after the list's other slots; reading it faults when `ok` is 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pre {
    /// The `h_text` operation code.
    pub op: i64,
    pub a: Operand,
    pub b: Operand,
}

/// What a rule list can read: which bindings the interpreter sets, and the called tool.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    pub bindings: [bool; 9],
    pub tool: Option<u32>,
}

/// Infers shapes, remembering them per node.
pub struct Shapes<'a> {
    pub policy: &'a Policy,
    pub interner: &'a Interner,
    pub arg_slots: &'a [Vec<u32>],
    pub context: Context,
    memo: HashMap<NodeId, Option<Shape>>,
    /// Operations precomputed for this list, and the node each one is.
    pub pres: Vec<Pre>,
    pre_of: HashMap<NodeId, Option<usize>>,
    /// The header slots this list's code loads or precomputes from (bits of `header::bit`;
    /// recorded when a slot is handed out or loaded, so possibly more than are read): the
    /// frame interns the strings of these only.
    pub header_reads: Cell<u16>,
}

/// The kind of a literal scalar and its payload.
pub fn literal(interner: &Interner, v: &Value) -> Option<(Kind, i64)> {
    let text = |t: u8, s: &str| Some((Kind::Text(t), interner.get(s)?));
    match v {
        Value::Bool(b) => Some((Kind::Bool, i64::from(*b))),
        Value::Int(x) => Some((Kind::Int, *x)),
        Value::Decimal(x) => Some((Kind::Dec, *x)),
        Value::Timestamp(x) => Some((Kind::Time, *x)),
        Value::Duration(x) => Some((Kind::Dur, *x)),
        Value::Str(s) => text(0, s),
        Value::Email(s) => text(1, s),
        Value::Url(s) => text(2, s),
        Value::Path(s) => text(3, s),
        Value::Ip(s) => text(4, s),
        Value::Enum(e, x) => Some((Kind::Enum(*e), i64::from(*x))),
        Value::Provenance(x) => Some((Kind::Prov, i64::from(*x))),
        Value::Severity(x) => Some((Kind::Sev, i64::from(*x))),
        Value::Tool(x) => Some((Kind::Tool, i64::from(*x))),
        Value::Regex(x) => Some((Kind::Regex, i64::from(*x))),
        Value::Absent | Value::List(_) | Value::Set(_) | Value::Record(_) | Value::Args(..) => None,
    }
}

fn type_kind(ty: &Type) -> Option<(Kind, bool)> {
    Some(match ty {
        Type::Optional(inner) => (type_kind(inner)?.0, true),
        Type::Bool => (Kind::Bool, false),
        Type::Int => (Kind::Int, false),
        Type::Decimal => (Kind::Dec, false),
        Type::String => (Kind::Text(0), false),
        Type::Email => (Kind::Text(1), false),
        Type::Url => (Kind::Text(2), false),
        Type::Path => (Kind::Text(3), false),
        Type::Ip => (Kind::Text(4), false),
        Type::Timestamp => (Kind::Time, false),
        Type::Duration => (Kind::Dur, false),
        Type::Regex => (Kind::Regex, false),
        Type::Provenance => (Kind::Prov, false),
        Type::Severity => (Kind::Sev, false),
        Type::Tool => (Kind::Tool, false),
        Type::Enum(e) => (Kind::Enum(*e), false),
        Type::List(_) | Type::Set(_) | Type::Record(_) => return None,
    })
}

/// The slot and shape of `binding.field` (records of the bindings, as the interpreter builds
/// them).
pub fn binding_field(b: Binding, field: u32) -> Option<(Slot, Shape)> {
    use Slot::{Call as C, Header as H};
    let s = |kind, opt| Shape::Scalar { kind, opt };
    Some(match (b, field) {
        (Binding::Agent, 0) => (H(header::AGENT_ID), s(Kind::Text(0), false)),
        (Binding::Agent, 1) => (H(0), Shape::RequestSet(0)),
        (Binding::Session, 0) => (H(header::TAINTED), s(Kind::Bool, false)),
        (Binding::Session, 1) => (H(0), Shape::RequestSet(1)),
        (Binding::Request, 0) => (H(header::TIME), s(Kind::Time, true)),
        (Binding::Request, 1) => (H(header::CORRELATION_ID), s(Kind::Text(0), false)),
        (Binding::Input, 0) => (H(header::INPUT_TEXT), s(Kind::Text(0), false)),
        (Binding::Item, 0) => (H(header::ITEM_TEXT), s(Kind::Text(0), false)),
        (Binding::Item, 1) => (H(header::ITEM_SOURCE), s(Kind::Text(0), false)),
        (Binding::Item, 2) => (H(header::ITEM_PROVENANCE), s(Kind::Prov, false)),
        (Binding::Item, 3) => (H(header::ITEM_URI), s(Kind::Text(2), true)),
        (Binding::Call, 0) => (C(call::TOOL), s(Kind::Tool, false)),
        (Binding::Call, 1) => (C(call::SOURCE), s(Kind::Prov, false)),
        _ => return None,
    })
}

/// The kind of an arithmetic result, for the combinations the interpreter defines.
pub fn arithmetic_kind(op: BinOp, a: Kind, b: Kind) -> Option<Kind> {
    Some(match (op, a, b) {
        (_, Kind::Int, Kind::Int) => Kind::Int,
        (BinOp::Add, Kind::Text(0), Kind::Text(0)) => Kind::Text(0),
        (BinOp::Add | BinOp::Sub, Kind::Time, Kind::Dur) => Kind::Time,
        (BinOp::Add | BinOp::Sub, Kind::Dur, Kind::Dur) => Kind::Dur,
        (BinOp::Mul, Kind::Dur, Kind::Int) => Kind::Dur,
        (_, x, y) if x.numeric() && y.numeric() => Kind::Dec,
        _ => return None,
    })
}

/// The kind a native function returns (all take one or two texts).
pub fn native_kind(n: crate::ir::Native) -> (Kind, usize) {
    use crate::ir::Native as N;
    match n {
        N::InjectionScore => (Kind::Int, 1),
        N::NetDomain => (Kind::Text(0), 1),
        N::PathNormalize => (Kind::Text(3), 1),
        N::NetSuffixMatch | N::NetInCidr | N::PathWithin => (Kind::Bool, 2),
        _ => (Kind::Bool, 1),
    }
}

/// The kind a text built-in returns (`None`: not a text built-in).
pub fn text_builtin(b: Builtin) -> Option<(Kind, usize)> {
    Some(match b {
        Builtin::Lower
        | Builtin::Upper
        | Builtin::Trim
        | Builtin::EmailLocal
        | Builtin::EmailDomain
        | Builtin::UrlScheme
        | Builtin::UrlHost
        | Builtin::UrlPath
        | Builtin::PathName
        | Builtin::PathExt => (Kind::Text(0), 1),
        Builtin::PathParent => (Kind::Text(3), 1),
        Builtin::StartsWith | Builtin::EndsWith | Builtin::StrContains | Builtin::PathStartsWith => (Kind::Bool, 2),
        _ => return None,
    })
}

impl<'a> Shapes<'a> {
    pub fn new(policy: &'a Policy, interner: &'a Interner, arg_slots: &'a [Vec<u32>], context: Context) -> Shapes<'a> {
        Shapes {
            policy,
            interner,
            arg_slots,
            context,
            memo: HashMap::new(),
            pres: Vec::new(),
            pre_of: HashMap::new(),
            header_reads: Cell::new(0),
        }
    }

    /// The shape of `id`, or `None` if the JIT does not compile it here.
    pub fn of(&mut self, id: NodeId) -> Option<Shape> {
        if let Some(s) = self.memo.get(&id) {
            return s.clone();
        }
        let s = self.infer(id);
        self.memo.insert(id, s.clone());
        s
    }

    fn scalar(&mut self, id: NodeId) -> Option<(Kind, bool)> {
        match self.of(id)? {
            Shape::Scalar { kind, opt } => Some((kind, opt)),
            _ => None,
        }
    }

    /// The number of the precomputed operation `id` is, if it can be one (registering it).
    pub fn pre(&mut self, id: NodeId) -> Option<usize> {
        if let Some(p) = self.pre_of.get(&id) {
            return *p;
        }
        let p = self.make_pre(id);
        self.pre_of.insert(id, p);
        p
    }

    fn make_pre(&mut self, id: NodeId) -> Option<usize> {
        use super::helpers::{TEXT_LEN, TEXT_MATCHES, TEXT_OPS};
        let Some(Node::Call(builtin, args)) = self.policy.nodes.get(id as usize).cloned() else { return None };
        self.of(id)?;
        let op = match builtin {
            Builtin::Native(n) => super::helpers::native_code(n)?,
            Builtin::Matches => TEXT_MATCHES,
            Builtin::Len if self.scalar(*args.first()?).is_some() => TEXT_LEN,
            other => TEXT_OPS.iter().position(|b| *b == other)? as i64,
        };
        let a = self.operand(*args.first()?)?;
        let b = match args.get(1) {
            Some(&x) => self.operand(x)?,
            None => Operand::Const(0),
        };
        self.pres.push(Pre { op, a, b });
        Some(self.pres.len() - 1)
    }

    fn operand(&mut self, id: NodeId) -> Option<Operand> {
        if let Some(Node::Lit(v)) = self.policy.nodes.get(id as usize) {
            return Some(Operand::Const(literal(self.interner, v)?.1));
        }
        if let Some(slot) = self.slot(id) {
            let (_, opt) = self.scalar(id)?;
            return Some(Operand::Slot(slot, opt));
        }
        Some(Operand::Pre(self.pre(id)?))
    }

    /// Where this list's precomputed operations start: after the call's arguments, or after
    /// the header for a list without a call.
    pub fn pre_base(&self) -> Slot {
        match self.context.tool {
            Some(tool) => Slot::Call(
                call::PROVENANCE + self.policy.names.len() + 2 * self.policy.tools.get(tool as usize).map_or(0, |t| t.params.len()),
            ),
            None => Slot::Header(header::LEN),
        }
    }

    /// The slot of a request value read by `id` (`binding.field`, `args.x`, `tenant`); a
    /// header slot is remembered in `header_reads`.
    pub fn slot(&self, id: NodeId) -> Option<Slot> {
        let slot = self.slot_of(id);
        if let Some(Slot::Header(i)) = slot {
            self.read_header(i);
        }
        slot
    }

    /// Remembers that code of this list reads header slot `i`.
    pub fn read_header(&self, i: usize) {
        self.header_reads.set(self.header_reads.get() | header::bit(i));
    }

    fn slot_of(&self, id: NodeId) -> Option<Slot> {
        match self.policy.nodes.get(id as usize)? {
            Node::Binding(Binding::Tenant) => Some(Slot::Header(header::TENANT)),
            Node::Field(base, field) => match self.policy.nodes.get(*base as usize)? {
                Node::Binding(b) if self.context.bindings[*b as usize] => binding_field(*b, *field).map(|(s, _)| s),
                _ => None,
            },
            Node::ArgField(base, name) => {
                let tool = self.context.tool?;
                if !matches!(self.policy.nodes.get(*base as usize)?, Node::Binding(Binding::Args)) || !self.context.bindings[8] {
                    return None;
                }
                let param = *self.arg_slots.get(tool as usize)?.get(*name as usize)?;
                if param == u32::MAX {
                    return None;
                }
                Some(Slot::Call(call::PROVENANCE + self.policy.names.len() + 2 * param as usize + 1))
            }
            Node::ArgProvenance(name) => {
                self.context.tool?;
                Some(Slot::Call(call::PROVENANCE + *name as usize))
            }
            _ => None,
        }
    }

    fn infer(&mut self, id: NodeId) -> Option<Shape> {
        let node = self.policy.nodes.get(id as usize)?.clone();
        match node {
            Node::Lit(v) => match &v {
                Value::Set(items) | Value::List(items) => {
                    let mut kind = None;
                    let mut payloads = Vec::with_capacity(items.len());
                    for item in items.iter() {
                        let (k, p) = literal(self.interner, item)?;
                        if kind.is_some_and(|x| x != k) {
                            return None;
                        }
                        kind = Some(k);
                        payloads.push(p);
                    }
                    payloads.sort_unstable();
                    payloads.dedup();
                    Some(Shape::Table { kind, items: payloads })
                }
                other => Shape::scalar(literal(self.interner, other)?.0),
            },
            Node::Binding(Binding::Tenant) => {
                self.context.bindings[Binding::Tenant as usize].then_some(Shape::Scalar { kind: Kind::Text(0), opt: false })
            }
            Node::Field(base, field) => match self.policy.nodes.get(base as usize)? {
                Node::Binding(b) if self.context.bindings[*b as usize] => binding_field(*b, field).map(|(_, s)| s),
                _ => None,
            },
            Node::ArgField(_, name) => {
                self.slot(id)?;
                let tool = self.context.tool?;
                let param = self.arg_slots[tool as usize][name as usize];
                let (kind, opt) = type_kind(&self.policy.tools.get(tool as usize)?.params.get(param as usize)?.ty)?;
                Some(Shape::Scalar { kind, opt })
            }
            Node::ArgProvenance(_) => {
                self.slot(id)?;
                Shape::scalar(Kind::Prov)
            }
            Node::Not(x) => (self.scalar(x)?.0 == Kind::Bool).then_some(Shape::Scalar { kind: Kind::Bool, opt: false }),
            Node::Neg(x) => {
                let (k, _) = self.scalar(x)?;
                matches!(k, Kind::Int | Kind::Dec | Kind::Dur).then_some(Shape::Scalar { kind: k, opt: false })
            }
            Node::If(c, a, b) => {
                let (ck, _) = self.scalar(c)?;
                let ((ak, ao), (bk, bo)) = (self.scalar(a)?, self.scalar(b)?);
                (ck == Kind::Bool && ak == bk).then_some(Shape::Scalar { kind: ak, opt: ao || bo })
            }
            Node::Binary(op, a, b) => self.binary(op, a, b),
            Node::Call(builtin, args) => self.call(builtin, &args),
            Node::Binding(_) | Node::Local(_) | Node::Lambda(_) | Node::List(_) | Node::Set(_) | Node::Record(_) => None,
        }
    }

    /// Is `x in coll` compilable (both given as nodes)?
    pub fn membership(&mut self, x: NodeId, coll: NodeId) -> bool {
        let Some((xk, _)) = self.scalar(x) else { return false };
        match self.of(coll) {
            Some(Shape::Table { kind, .. }) => kind.is_none_or(|k| k == xk),
            Some(Shape::RequestSet(_)) => xk == Kind::Text(0),
            Some(Shape::Scalar { kind, .. }) => kind.text() && xk.text(),
            None => false,
        }
    }

    fn binary(&mut self, op: BinOp, a: NodeId, b: NodeId) -> Option<Shape> {
        let bool_ = Shape::Scalar { kind: Kind::Bool, opt: false };
        match op {
            BinOp::And | BinOp::Or => (self.scalar(a)?.0 == Kind::Bool && self.scalar(b)?.0 == Kind::Bool).then_some(bool_),
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let ((x, _), (y, _)) = (self.scalar(a)?, self.scalar(b)?);
                (x == y || (x.numeric() && y.numeric())).then_some(bool_)
            }
            BinOp::In | BinOp::NotIn => self.membership(a, b).then_some(bool_),
            BinOp::Contains => self.membership(b, a).then_some(bool_),
            BinOp::Add | BinOp::Sub | BinOp::Mul => {
                let ((x, _), (y, _)) = (self.scalar(a)?, self.scalar(b)?);
                Shape::scalar(arithmetic_kind(op, x, y)?)
            }
        }
    }

    fn call(&mut self, builtin: Builtin, args: &[NodeId]) -> Option<Shape> {
        let arg = |i: usize| args.get(i).copied();
        match builtin {
            Builtin::Present => {
                self.scalar(arg(0)?)?;
                Shape::scalar(Kind::Bool)
            }
            Builtin::Or => {
                let ((x, _), (y, _)) = (self.scalar(arg(0)?)?, self.scalar(arg(1)?)?);
                (x == y).then_some(Shape::Scalar { kind: x, opt: false })
            }
            Builtin::Len => match self.of(arg(0)?)? {
                Shape::Scalar { kind: Kind::Text(_), .. } | Shape::Table { .. } | Shape::RequestSet(_) => Shape::scalar(Kind::Int),
                _ => None,
            },
            Builtin::Matches => (self.scalar(arg(0)?)?.0.text() && self.scalar(arg(1)?)?.0 == Kind::Regex)
                .then_some(Shape::Scalar { kind: Kind::Bool, opt: false }),
            Builtin::TimestampHour | Builtin::TimestampWeekday => {
                (self.scalar(arg(0)?)?.0 == Kind::Time).then_some(Shape::Scalar { kind: Kind::Int, opt: false })
            }
            other => {
                let (kind, arity) = match other {
                    Builtin::Native(n) => native_kind(n),
                    _ => text_builtin(other)?,
                };
                if args.len() != arity {
                    return None;
                }
                for &a in args {
                    if !self.scalar(a)?.0.text() {
                        return None;
                    }
                }
                Shape::scalar(kind)
            }
        }
    }
}
