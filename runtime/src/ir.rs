//! The expression graph of a compiled policy: hash-consed nodes (a condition shared by several
//! rules is one node), referenced by index. Children always have smaller indices than their
//! parents, so the arena is in topological order.

use serde::{Deserialize, Serialize};

use crate::value::Value;

pub type NodeId = u32;

/// A value the request provides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Binding {
    Agent,
    Tenant,
    Session,
    Request,
    Input,
    Item,
    Plan,
    Call,
    Args,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Contains,
    Add,
    Sub,
    Mul,
}

impl BinOp {
    /// The operator as written in a policy.
    pub fn as_str(self) -> &'static str {
        match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Eq => "==",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "in",
            BinOp::NotIn => "not in",
            BinOp::Contains => "contains",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
        }
    }
}

/// Built-in operations and native standard-library functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Builtin {
    EmailLocal,
    EmailDomain,
    UrlScheme,
    UrlHost,
    UrlPath,
    PathName,
    PathExt,
    PathParent,
    PathStartsWith,
    TimestampHour,
    TimestampWeekday,
    Lower,
    Upper,
    Trim,
    StartsWith,
    EndsWith,
    StrContains,
    Matches,
    Len,
    Any,
    All,
    Present,
    Or,
    Native(Native),
}

/// The native functions of the standard library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Native {
    InjectionDetect,
    InjectionScore,
    PiiContains,
    PiiEmail,
    PiiPhone,
    PiiCard,
    PiiIban,
    PiiSsn,
    SecretContains,
    SecretPrivateKey,
    SecretJwt,
    NetDomain,
    NetSuffixMatch,
    NetInCidr,
    NetIsPrivate,
    NetIsPrivateHost,
    PathNormalize,
    PathWithin,
    PathHasTraversal,
}

impl Native {
    /// The native implementing the standard-library function `name` (e.g. `std.net.domain`).
    pub fn from_name(name: &str) -> Option<Native> {
        Some(match name {
            "std.injection.detect" => Native::InjectionDetect,
            "std.injection.score" => Native::InjectionScore,
            "std.pii.contains_pii" => Native::PiiContains,
            "std.pii.contains_email" => Native::PiiEmail,
            "std.pii.contains_phone" => Native::PiiPhone,
            "std.pii.contains_card_number" => Native::PiiCard,
            "std.pii.contains_iban" => Native::PiiIban,
            "std.pii.contains_ssn" => Native::PiiSsn,
            "std.secrets.contains_secret" => Native::SecretContains,
            "std.secrets.contains_private_key" => Native::SecretPrivateKey,
            "std.secrets.contains_jwt" => Native::SecretJwt,
            "std.net.domain" => Native::NetDomain,
            "std.net.suffix_match" => Native::NetSuffixMatch,
            "std.net.in_cidr" => Native::NetInCidr,
            "std.net.is_private" => Native::NetIsPrivate,
            "std.net.is_private_host" => Native::NetIsPrivateHost,
            "std.path.normalize" => Native::PathNormalize,
            "std.path.within" => Native::PathWithin,
            "std.path.has_traversal" => Native::PathHasTraversal,
            _ => return None,
        })
    }
}

/// One node of the expression graph.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Node {
    Lit(Value),
    Binding(Binding),
    /// A lambda parameter by nesting depth (0 = innermost).
    Local(u32),
    /// Field `index` of a record.
    Field(NodeId, u32),
    /// The argument called `names[name]` of an `Args` value (resolved per tool).
    ArgField(NodeId, u32),
    /// The provenance of the call's argument `names[name]`.
    ArgProvenance(u32),
    Call(Builtin, Vec<NodeId>),
    Lambda(NodeId),
    Not(NodeId),
    Neg(NodeId),
    Binary(BinOp, NodeId, NodeId),
    If(NodeId, NodeId, NodeId),
    List(Vec<NodeId>),
    Set(Vec<NodeId>),
    Record(Vec<NodeId>),
}

impl Node {
    /// The nodes this node reads.
    pub fn children(&self) -> Vec<NodeId> {
        match self {
            Node::Lit(_) | Node::Binding(_) | Node::Local(_) | Node::ArgProvenance(_) => vec![],
            Node::Field(x, _) | Node::ArgField(x, _) | Node::Lambda(x) | Node::Not(x) | Node::Neg(x) => vec![*x],
            Node::Call(_, xs) | Node::List(xs) | Node::Set(xs) | Node::Record(xs) => xs.clone(),
            Node::Binary(_, a, b) => vec![*a, *b],
            Node::If(c, a, b) => vec![*c, *a, *b],
        }
    }
}
