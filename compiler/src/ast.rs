//! The abstract syntax tree of one `.agp` file. Every node carries a span; spans are ignored by
//! equality and hashing, so two trees are equal when they say the same thing.

pub use aisecops_runtime::ir::BinOp;
pub use aisecops_runtime::policy::{EffectKind, Phase};

use crate::decimal::Decimal;
use crate::span::Span;

/// A name as written, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A dotted name such as `acme.support` or `std.injection`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DottedName {
    pub parts: Vec<Ident>,
    pub span: Span,
}

impl DottedName {
    pub fn text(&self) -> String {
        self.parts.iter().map(|p| p.name.as_str()).collect::<Vec<_>>().join(".")
    }
}

/// A parsed file: its items in source order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct File {
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Item {
    Policy(DottedName),
    Tenant(StrLit),
    Use(DottedName),
    Enum(EnumDecl),
    Record(RecordDecl),
    Tool(ToolDecl),
    Capability(CapabilityDecl),
    Grant(GrantDecl),
    Const(ConstDecl),
    Rule(RuleDecl),
    Test(TestDecl),
    Function(FunctionDecl),
    /// An item that did not parse; its diagnostic has been reported.
    Error(Span),
}

/// A string literal with its span.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StrLit {
    pub value: String,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct EnumDecl {
    pub name: Ident,
    pub variants: Vec<Ident>,
    pub span: Span,
}

/// A record field or tool parameter, with an optional default.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldDecl {
    /// `sensitive` before the name (masked in audit events), with its span.
    pub modifier: Option<Ident>,
    pub name: Ident,
    pub ty: TypeExpr,
    pub default: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RecordDecl {
    pub name: Ident,
    pub fields: Vec<FieldDecl>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ToolDecl {
    pub name: Ident,
    pub params: Vec<FieldDecl>,
    pub result: Option<TypeExpr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CapabilityDecl {
    pub name: Ident,
    pub tools: Vec<Ident>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PrincipalKind {
    Role,
    Agent,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Principal {
    pub kind: PrincipalKind,
    pub name: StrLit,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GrantDecl {
    pub capabilities: Vec<Ident>,
    pub principals: Vec<Principal>,
    pub condition: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ConstDecl {
    pub name: Ident,
    pub ty: TypeExpr,
    pub value: Expr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RuleDecl {
    pub name: Ident,
    pub phase: Phase,
    pub phase_span: Span,
    /// Tools or capabilities after `on evaluate`; empty means every tool (or a non-tool phase).
    pub targets: Vec<Ident>,
    pub effects: Vec<Effect>,
    pub span: Span,
}

/// One `block`/`require_approval`/`sanitize` clause of a rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Effect {
    pub kind: EffectKind,
    pub kind_span: Span,
    pub reason: StrLit,
    pub options: Vec<EffectOption>,
    pub condition: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum EffectOption {
    Severity(Ident),
    Approvers(Vec<StrLit>, Span),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FunctionDecl {
    pub name: Ident,
    pub params: Vec<FieldDecl>,
    pub result: TypeExpr,
    pub span: Span,
}

/// A type as written: `String`, `List<Email>`, `Decimal?`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeExpr {
    Named { name: Ident, args: Vec<TypeExpr>, span: Span },
    Optional(Box<TypeExpr>, Span),
}

impl TypeExpr {
    pub fn span(&self) -> Span {
        match self {
            TypeExpr::Named { span, .. } | TypeExpr::Optional(_, span) => *span,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TestDecl {
    pub name: StrLit,
    pub statements: Vec<TestStmt>,
    pub span: Span,
}

/// A field initialiser `name: value` in a record literal.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FieldInit {
    pub name: Ident,
    pub value: Expr,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PlanStep {
    pub tool: Ident,
    pub args: Vec<FieldInit>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TestStmt {
    Tenant(StrLit, Span),
    Agent { id: StrLit, roles: Vec<StrLit>, span: Span },
    Session { tainted: bool, labels: Vec<StrLit>, span: Span },
    Provenance(Vec<(Ident, Ident)>, Span),
    Evaluate { tool: Ident, args: Vec<FieldInit>, source: Option<Ident>, span: Span },
    Input(StrLit, Span),
    Context(Vec<FieldInit>, Span),
    MemoryWrite(Vec<FieldInit>, Span),
    Plan(Vec<PlanStep>, Span),
    Expect(Expectation, Span),
}

impl TestStmt {
    pub fn span(&self) -> Span {
        match self {
            TestStmt::Tenant(_, s)
            | TestStmt::Agent { span: s, .. }
            | TestStmt::Session { span: s, .. }
            | TestStmt::Provenance(_, s)
            | TestStmt::Evaluate { span: s, .. }
            | TestStmt::Input(_, s)
            | TestStmt::Context(_, s)
            | TestStmt::MemoryWrite(_, s)
            | TestStmt::Plan(_, s)
            | TestStmt::Expect(_, s) => *s,
        }
    }
}

/// The decision a test expects, with an optional reason.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Expectation {
    pub outcome: Outcome,
    pub reason: Option<StrLit>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    Allow,
    Block,
    RequireApproval,
    Sanitize,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allow => "allow",
            Outcome::Block => "block",
            Outcome::RequireApproval => "require_approval",
            Outcome::Sanitize => "sanitize",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UnOp {
    Not,
    Neg,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ExprKind {
    Bool(bool),
    Int(i64),
    Decimal(Decimal),
    Str(String),
    Regex(String),
    /// Milliseconds.
    Duration(i64),
    List(Vec<Expr>),
    Set(Vec<Expr>),
    Record(Vec<FieldInit>),
    Name(Ident),
    Field(Box<Expr>, Ident),
    Call(Box<Expr>, Vec<Expr>),
    Lambda(Ident, Box<Expr>),
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Expr {
        Expr { kind, span }
    }
}
