//! The checked program (typed HIR): every declaration of a policy set with names resolved to
//! ids and every expression typed. Lowering to the decision DAG starts from here.

use super::types::{EnumId, RecordId, Ty};
use super::value::Value;
use crate::ast::{BinOp, EffectKind, Outcome, Phase, PrincipalKind, UnOp};
use crate::span::{FileId, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ModuleId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ToolId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CapabilityId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ConstId(pub u32);
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FunctionId(pub u32);

/// One file of the policy set (or one standard-library module).
#[derive(Debug, Clone)]
pub struct Module {
    pub name: String,
    pub file: FileId,
    pub tenant: Option<String>,
    pub is_stdlib: bool,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub ty: Ty,
    pub default: Option<Value>,
    pub span: Span,
    /// Masked in audit events (tool arguments only).
    pub sensitive: bool,
}

impl Field {
    /// Must a request give this field?
    pub fn required(&self) -> bool {
        self.default.is_none() && !matches!(self.ty, Ty::Optional(_))
    }
}

/// Where a record type comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordOrigin {
    Declared(ModuleId),
    /// A built-in binding such as `agent` or `item`.
    Builtin,
    /// The `args` of a rule, a tool or a plan step.
    Args,
}

#[derive(Debug, Clone)]
pub struct Record {
    pub name: String,
    pub fields: Vec<Field>,
    pub origin: RecordOrigin,
    pub span: Span,
}

impl Record {
    pub fn field(&self, name: &str) -> Option<(usize, &Field)> {
        self.fields.iter().enumerate().find(|(_, f)| f.name == name)
    }
}

#[derive(Debug, Clone)]
pub struct Enum {
    pub name: String,
    pub module: ModuleId,
    pub variants: Vec<String>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Tool {
    pub name: String,
    pub module: ModuleId,
    pub params: Vec<Field>,
    /// The record type of this tool's `args`.
    pub args: RecordId,
    pub result: Option<Ty>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Capability {
    pub name: String,
    pub module: ModuleId,
    pub tools: Vec<ToolId>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Grant {
    pub module: ModuleId,
    pub capabilities: Vec<CapabilityId>,
    pub principals: Vec<(PrincipalKind, String)>,
    pub condition: Option<Condition>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Const {
    pub name: String,
    pub module: ModuleId,
    pub ty: Ty,
    /// `None` when the value did not fold (its error has been reported).
    pub value: Option<Value>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Function {
    /// Qualified name such as `std.injection.detect`.
    pub name: String,
    pub module: ModuleId,
    pub params: Vec<Ty>,
    pub result: Ty,
}

/// A condition with the source text it was written as (for explanations).
#[derive(Debug, Clone)]
pub struct Condition {
    pub expr: TExpr,
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct Effect {
    pub kind: EffectKind,
    pub reason: String,
    pub severity: String,
    pub approvers: Vec<String>,
    pub condition: Option<Condition>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Rule {
    /// Fully qualified: `module.rule`.
    pub id: String,
    pub module: ModuleId,
    pub phase: Phase,
    /// Tools an `evaluate` rule applies to: its targets, or every tool its module sees.
    pub tools: Vec<ToolId>,
    pub effects: Vec<Effect>,
    pub span: Span,
}

/// A test block's request, with every value folded to a constant.
#[derive(Debug, Clone)]
pub enum TestRequest {
    Evaluate { tool: ToolId, args: Vec<(String, Value)>, provenance: Vec<(String, String)>, source: String },
    Input { text: String },
    Context { fields: Vec<(String, Value)> },
    MemoryWrite { fields: Vec<(String, Value)> },
    Plan { steps: Vec<(ToolId, Vec<(String, Value)>)> },
}

#[derive(Debug, Clone)]
pub struct Test {
    pub name: String,
    pub module: ModuleId,
    pub tenant: Option<String>,
    pub agent: String,
    pub roles: Vec<String>,
    pub tainted: bool,
    pub labels: Vec<String>,
    pub request: TestRequest,
    pub expect: Outcome,
    pub reason: Option<String>,
    pub span: Span,
}

/// The bindings a rule reads and the built-in operations are the runtime's own.
pub use aisecops_runtime::ir::{Binding, Builtin};

/// A typed expression.
#[derive(Debug, Clone)]
pub struct TExpr {
    pub kind: TExprKind,
    pub ty: Ty,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum TExprKind {
    Lit(Value),
    List(Vec<TExpr>),
    Set(Vec<TExpr>),
    Record(RecordId, Vec<(usize, TExpr)>),
    Binding(Binding),
    /// A lambda parameter, by depth of nesting (0 = innermost).
    Local(u32),
    Const(ConstId),
    /// Field `index` of a record value.
    Field(Box<TExpr>, usize),
    Call(Builtin, Vec<TExpr>),
    /// `provenance(args.x)`: where an argument of the call came from.
    Provenance(Box<TExpr>),
    Lambda(Box<TExpr>),
    Unary(UnOp, Box<TExpr>),
    Binary(BinOp, Box<TExpr>, Box<TExpr>),
    If(Box<TExpr>, Box<TExpr>, Box<TExpr>),
    /// An expression that failed to check; never reaches lowering.
    Error,
}

impl TExpr {
    pub fn error(span: Span) -> TExpr {
        TExpr { kind: TExprKind::Error, ty: Ty::Error, span }
    }

    /// Does the expression contain a node that failed to check, or a constant that did not fold?
    pub fn has_error(&self, consts: &[Const]) -> bool {
        let any = |xs: &[TExpr]| xs.iter().any(|x| x.has_error(consts));
        match &self.kind {
            TExprKind::Error => true,
            TExprKind::Const(id) => consts.get(id.0 as usize).is_none_or(|c| c.value.is_none()),
            TExprKind::List(xs) | TExprKind::Set(xs) | TExprKind::Call(_, xs) => any(xs),
            TExprKind::Record(_, fields) => fields.iter().any(|(_, x)| x.has_error(consts)),
            TExprKind::Field(x, _) | TExprKind::Provenance(x) | TExprKind::Lambda(x) | TExprKind::Unary(_, x) => x.has_error(consts),
            TExprKind::Binary(_, a, b) => a.has_error(consts) || b.has_error(consts),
            TExprKind::If(c, a, b) => c.has_error(consts) || a.has_error(consts) || b.has_error(consts),
            TExprKind::Lit(_) | TExprKind::Binding(_) | TExprKind::Local(_) => false,
        }
    }
}

/// A checked policy set.
#[derive(Debug, Clone, Default)]
pub struct Program {
    pub modules: Vec<Module>,
    pub records: Vec<Record>,
    pub enums: Vec<Enum>,
    pub tools: Vec<Tool>,
    pub capabilities: Vec<Capability>,
    pub grants: Vec<Grant>,
    pub consts: Vec<Const>,
    pub functions: Vec<Function>,
    pub rules: Vec<Rule>,
    pub tests: Vec<Test>,
}

impl Program {
    pub fn record(&self, id: RecordId) -> &Record {
        &self.records[id.0 as usize]
    }

    pub fn enum_(&self, id: EnumId) -> &Enum {
        &self.enums[id.0 as usize]
    }

    pub fn tool(&self, id: ToolId) -> &Tool {
        &self.tools[id.0 as usize]
    }

    pub fn module(&self, id: ModuleId) -> &Module {
        &self.modules[id.0 as usize]
    }

    /// A type as users write it.
    pub fn type_name(&self, ty: &Ty) -> String {
        let record_name = |id: RecordId| self.records.get(id.0 as usize).map(|r| r.name.clone()).unwrap_or_default();
        let enum_name = |id: EnumId| self.enums.get(id.0 as usize).map(|e| e.name.clone()).unwrap_or_default();
        super::types::TyDisplay { ty, record_name: &record_name, enum_name: &enum_name }.to_string()
    }
}
