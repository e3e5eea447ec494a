//! Type checking of expressions, bidirectionally: an expected type flows into literals (so
//! `"a@b.com"` is an `Email` where one is wanted, and `high` a severity), and every node comes
//! out typed in the HIR.

use super::program::{Binding, Builtin, ModuleId, RecordOrigin, TExpr, TExprKind, ToolId};
use super::scope::Symbol;
use super::types::{RecordId, Ty, PROVENANCES, SEVERITIES};
use super::value::Value;
use super::Checker;
use crate::ast::{BinOp, Expr, ExprKind, Ident, Phase, UnOp};
use crate::diagnostic::{did_you_mean, Code, Diagnostic};
use crate::span::Span;

/// Where an expression is checked: which bindings it may read.
#[derive(Debug, Clone)]
pub(super) struct Ctx {
    pub module: ModuleId,
    /// The rule's phase; `None` in grants (which see only the common bindings).
    pub phase: Option<Phase>,
    /// Constant contexts (constants, defaults, test values) read no bindings at all.
    pub constant: bool,
    /// The `args` record of an `evaluate` rule, and the tools it covers.
    pub args: Option<(RecordId, Vec<ToolId>)>,
    /// The `plan` record of a plan rule.
    pub plan: Option<RecordId>,
    /// Lambda parameters, innermost last.
    pub locals: Vec<(String, Ty)>,
}

impl Ctx {
    pub fn constant(module: ModuleId) -> Ctx {
        Ctx { module, phase: None, constant: true, args: None, plan: None, locals: Vec::new() }
    }
}

const COMMON_BINDINGS: [&str; 4] = ["agent", "tenant", "session", "request"];
const BUILTIN_FUNCTIONS: [&str; 5] = ["len", "any", "all", "present", "provenance"];

impl Checker<'_> {
    pub(super) fn check_expr(&mut self, ctx: &mut Ctx, expr: &Expr, expected: Option<&Ty>) -> TExpr {
        let span = expr.span;
        let typed = |kind, ty| TExpr { kind, ty, span };
        match &expr.kind {
            ExprKind::Bool(b) => typed(TExprKind::Lit(Value::Bool(*b)), Ty::Bool),
            ExprKind::Int(i) => match expected.map(Ty::unwrap_optional) {
                Some(Ty::Decimal) => match crate::decimal::Decimal::from_int(*i) {
                    Some(d) => typed(TExprKind::Lit(Value::Decimal(d)), Ty::Decimal),
                    None => {
                        self.report(
                            ctx.module,
                            Diagnostic::error(Code::NumberOutOfRange, span, format!("`{i}` is too large for a `Decimal`")),
                        );
                        TExpr::error(span)
                    }
                },
                _ => typed(TExprKind::Lit(Value::Int(*i)), Ty::Int),
            },
            ExprKind::Decimal(d) => typed(TExprKind::Lit(Value::Decimal(*d)), Ty::Decimal),
            ExprKind::Duration(ms) => typed(TExprKind::Lit(Value::Duration(*ms)), Ty::Duration),
            ExprKind::Str(s) => self.check_string_literal(ctx.module, s, span, expected),
            ExprKind::Regex(pattern) => {
                self.validate_regex(ctx.module, pattern, span);
                typed(TExprKind::Lit(Value::Regex(pattern.clone())), Ty::Regex)
            }
            ExprKind::List(items) | ExprKind::Set(items) => self.check_collection(ctx, expr, items, expected),
            ExprKind::Record(fields) => self.check_record_literal(ctx, fields, span, expected),
            ExprKind::Name(name) => self.check_name(ctx, name, expected),
            ExprKind::Field(base, field) => self.check_field(ctx, base, field, span),
            ExprKind::Call(callee, args) => self.check_call(ctx, callee, args, span),
            ExprKind::Lambda(..) => {
                self.report(
                    ctx.module,
                    Diagnostic::error(Code::MisplacedLambda, span, "a lambda can only be the second argument of `any` or `all`")
                        .with_help("write `any(xs, x => condition)`"),
                );
                TExpr::error(span)
            }
            ExprKind::Unary(UnOp::Not, inner) => {
                let inner = self.expect_bool(ctx, inner);
                typed(TExprKind::Unary(UnOp::Not, Box::new(inner)), Ty::Bool)
            }
            ExprKind::Unary(UnOp::Neg, inner) => {
                let inner = self.check_expr(ctx, inner, expected);
                if !inner.ty.is_numeric() && inner.ty != Ty::Duration {
                    let found = self.ty_name(&inner.ty);
                    self.report(
                        ctx.module,
                        Diagnostic::error(Code::InvalidOperand, span, format!("cannot negate a value of type `{found}`")),
                    );
                    return TExpr::error(span);
                }
                let ty = inner.ty.unwrap_optional().clone();
                typed(TExprKind::Unary(UnOp::Neg, Box::new(inner)), ty)
            }
            ExprKind::Binary(op, a, b) => self.check_binary(ctx, *op, a, b, span),
            ExprKind::If(c, a, b) => {
                let c = self.expect_bool(ctx, c);
                let a = self.check_expr(ctx, a, expected);
                let b = self.check_expr(ctx, b, Some(&a.ty.clone()));
                let ty = if a.ty.is_error() { b.ty.clone() } else { a.ty.clone() };
                if !b.ty.fits(&ty) && !ty.fits(&b.ty) {
                    let (ta, tb) = (self.ty_name(&a.ty), self.ty_name(&b.ty));
                    self.report(
                        ctx.module,
                        Diagnostic::error(
                            Code::TypeMismatch,
                            b.span,
                            format!("the branches of `if` have different types, `{ta}` and `{tb}`"),
                        )
                        .with_label(format!("this is `{tb}`")),
                    );
                }
                let ty = if ty == Ty::Int && b.ty == Ty::Decimal { Ty::Decimal } else { ty };
                typed(TExprKind::If(Box::new(c), Box::new(a), Box::new(b)), ty)
            }
        }
    }

    /// Checks a condition: it must be a `Bool`.
    pub(super) fn expect_bool(&mut self, ctx: &mut Ctx, expr: &Expr) -> TExpr {
        let typed = self.check_expr(ctx, expr, Some(&Ty::Bool));
        if !typed.ty.fits(&Ty::Bool) {
            let found = self.ty_name(&typed.ty);
            self.report(
                ctx.module,
                Diagnostic::error(Code::ConditionNotBool, typed.span, format!("expected a `Bool` condition, found `{found}`"))
                    .with_label(format!("this is `{found}`")),
            );
        }
        typed
    }

    /// Checks an expression against an expected type and reports a mismatch.
    pub(super) fn expect_type(&mut self, ctx: &mut Ctx, expr: &Expr, expected: &Ty) -> TExpr {
        let typed = self.check_expr(ctx, expr, Some(expected));
        if !typed.ty.fits(expected) {
            let (want, found) = (self.ty_name(expected), self.ty_name(&typed.ty));
            self.report(
                ctx.module,
                Diagnostic::error(Code::TypeMismatch, typed.span, format!("expected `{want}`, found `{found}`"))
                    .with_label(format!("this is `{found}`")),
            );
        }
        typed
    }

    fn check_collection(&mut self, ctx: &mut Ctx, expr: &Expr, items: &[Expr], expected: Option<&Ty>) -> TExpr {
        let is_set = matches!(expr.kind, ExprKind::Set(_));
        let expected_elem = expected.and_then(|t| t.element()).cloned();
        // `{}` where a record is expected is an empty record.
        if is_set && items.is_empty() {
            if let Some(Ty::Record(r)) = expected.map(Ty::unwrap_optional) {
                return TExpr { kind: TExprKind::Record(*r, Vec::new()), ty: Ty::Record(*r), span: expr.span };
            }
        }
        let mut elem = expected_elem.clone();
        let mut typed_items = Vec::with_capacity(items.len());
        for item in items {
            let t = match &elem {
                Some(e) => self.expect_type(ctx, item, &e.clone()),
                None => self.check_expr(ctx, item, None),
            };
            if elem.is_none() && !t.ty.is_error() {
                elem = Some(t.ty.clone());
            }
            typed_items.push(t);
        }
        let Some(elem) = elem else {
            if items.is_empty() {
                self.report(
                    ctx.module,
                    Diagnostic::error(Code::CannotInfer, expr.span, "cannot infer the element type of an empty collection")
                        .with_help("use it where its type is known, e.g. in a `const` with a declared type"),
                );
            }
            return TExpr::error(expr.span);
        };
        let ty = if is_set { Ty::Set(Box::new(elem)) } else { Ty::List(Box::new(elem)) };
        let kind = if is_set { TExprKind::Set(typed_items) } else { TExprKind::List(typed_items) };
        TExpr { kind, ty, span: expr.span }
    }

    fn check_record_literal(&mut self, ctx: &mut Ctx, fields: &[crate::ast::FieldInit], span: Span, expected: Option<&Ty>) -> TExpr {
        let Some(Ty::Record(record)) = expected.map(Ty::unwrap_optional) else {
            self.report(
                ctx.module,
                Diagnostic::error(Code::TypeMismatch, span, "a record literal needs a known record type")
                    .with_help("record literals are written where a record is expected, such as a tool argument"),
            );
            return TExpr::error(span);
        };
        let record = *record;
        let values = self.check_field_inits(ctx, record, fields, span, Code::UnknownField);
        TExpr { kind: TExprKind::Record(record, values), ty: Ty::Record(record), span }
    }

    /// Checks `name: value` initialisers against a record; reports unknown and missing fields.
    pub(super) fn check_field_inits(
        &mut self,
        ctx: &mut Ctx,
        record: RecordId,
        fields: &[crate::ast::FieldInit],
        span: Span,
        unknown_code: Code,
    ) -> Vec<(usize, TExpr)> {
        let mut values: Vec<(usize, TExpr)> = Vec::new();
        for init in fields {
            let found = self.program.record(record).field(&init.name.name).map(|(i, f)| (i, f.ty.clone()));
            let Some((index, ty)) = found else {
                let rec = self.program.record(record);
                let suggestion = did_you_mean(&init.name.name, rec.fields.iter().map(|f| f.name.as_str())).map(str::to_owned);
                let what = if rec.origin == RecordOrigin::Args { "tool".to_owned() } else { "record".to_owned() };
                let mut diag = Diagnostic::error(
                    unknown_code,
                    init.name.span,
                    format!("{what} `{}` has no field `{}`", rec.name.trim_end_matches(" arguments"), init.name.name),
                );
                if let Some(s) = suggestion {
                    diag = diag.with_help(format!("did you mean `{s}`?"));
                }
                self.report(ctx.module, diag);
                self.check_expr(ctx, &init.value, None);
                continue;
            };
            if values.iter().any(|(i, _)| *i == index) {
                self.report(
                    ctx.module,
                    Diagnostic::error(Code::DuplicateField, init.name.span, format!("field `{}` is given twice", init.name.name)),
                );
                continue;
            }
            let value = self.expect_type(ctx, &init.value, &ty);
            values.push((index, value));
        }
        let missing: Vec<String> = self
            .program
            .record(record)
            .fields
            .iter()
            .enumerate()
            .filter(|(i, f)| f.required() && !values.iter().any(|(j, _)| j == i))
            .map(|(_, f)| format!("`{}`", f.name))
            .collect();
        if !missing.is_empty() {
            let plural = if missing.len() == 1 { "" } else { "s" };
            self.report(
                ctx.module,
                Diagnostic::error(Code::MissingArgument, span, format!("missing required field{plural} {}", missing.join(", ")))
                    .with_label("in this request"),
            );
        }
        values.sort_by_key(|(i, _)| *i);
        values
    }

    fn binding(&self, ctx: &Ctx, name: &str) -> Option<(Binding, Ty)> {
        let rec = |r: Option<RecordId>| r.map(Ty::Record).unwrap_or(Ty::Error);
        let b = self.builtin;
        Some(match name {
            "agent" => (Binding::Agent, rec(b.agent)),
            "tenant" => (Binding::Tenant, Ty::String),
            "session" => (Binding::Session, rec(b.session)),
            "request" => (Binding::Request, rec(b.request)),
            "input" if ctx.phase == Some(Phase::Input) => (Binding::Input, rec(b.input)),
            "item" if matches!(ctx.phase, Some(Phase::Context | Phase::MemoryWrite)) => (Binding::Item, rec(b.item)),
            "plan" if ctx.phase == Some(Phase::Plan) => (Binding::Plan, rec(ctx.plan)),
            "call" if ctx.phase == Some(Phase::Evaluate) => (Binding::Call, rec(b.call)),
            "args" if ctx.phase == Some(Phase::Evaluate) => (Binding::Args, rec(ctx.args.as_ref().map(|a| a.0))),
            _ => return None,
        })
    }

    fn check_name(&mut self, ctx: &mut Ctx, name: &Ident, expected: Option<&Ty>) -> TExpr {
        let span = name.span;
        if let Some(depth) = ctx.locals.iter().rev().position(|(n, _)| *n == name.name) {
            let ty = ctx.locals[ctx.locals.len() - 1 - depth].1.clone();
            return TExpr { kind: TExprKind::Local(depth as u32), ty, span };
        }
        let is_binding_name =
            COMMON_BINDINGS.contains(&name.name.as_str()) || ["input", "item", "plan", "call", "args"].contains(&name.name.as_str());
        if is_binding_name && self.scopes[ctx.module.0 as usize].lookup(&name.name).is_missing() {
            if !ctx.constant {
                if let Some((binding, ty)) = self.binding(ctx, &name.name) {
                    return TExpr { kind: TExprKind::Binding(binding), ty, span };
                }
            }
            let (message, help) = if ctx.constant {
                (
                    format!("`{}` is not known at compile time", name.name),
                    "constants, defaults and test values are literals and other constants".to_owned(),
                )
            } else {
                let phase = ctx.phase.map_or("a grant condition".to_owned(), |p| format!("`{}` rules", p.as_str()));
                (format!("`{}` is not available in {phase}", name.name), self.bindings_help(ctx))
            };
            self.report(ctx.module, Diagnostic::error(Code::PhaseBinding, span, message).with_help(help));
            return TExpr::error(span);
        }
        match self.lookup(ctx.module, &name.name, span) {
            Some(Symbol::Const(id)) => {
                self.ensure_const(id);
                self.used_consts.insert(id.0);
                let ty = self.program.consts[id.0 as usize].ty.clone();
                return TExpr { kind: TExprKind::Const(id), ty, span };
            }
            Some(Symbol::Tool(id)) => return TExpr { kind: TExprKind::Lit(Value::Tool(id)), ty: Ty::Tool, span },
            Some(other) => {
                if let Some(v) = self.bare_variant(&name.name, expected) {
                    return TExpr { kind: TExprKind::Lit(v.0), ty: v.1, span };
                }
                self.report(
                    ctx.module,
                    Diagnostic::error(Code::TypeMismatch, span, format!("`{}` is a {}, not a value", name.name, other.kind())),
                );
                return TExpr::error(span);
            }
            None => {}
        }
        if let Some((value, ty)) = self.bare_variant(&name.name, expected) {
            return TExpr { kind: TExprKind::Lit(value), ty, span };
        }
        self.report_unknown_name(ctx, name, expected);
        TExpr::error(span)
    }

    fn bindings_help(&self, ctx: &Ctx) -> String {
        let mut names: Vec<&str> = COMMON_BINDINGS.to_vec();
        names.extend(match ctx.phase {
            Some(Phase::Input) => vec!["input"],
            Some(Phase::Context | Phase::MemoryWrite) => vec!["item"],
            Some(Phase::Plan) => vec!["plan"],
            Some(Phase::Evaluate) => vec!["call", "args", "provenance(..)"],
            None => vec![],
        });
        let list: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
        format!("here you can read {}", list.join(", "))
    }

    fn report_unknown_name(&mut self, ctx: &Ctx, name: &Ident, expected: Option<&Ty>) {
        let mut candidates: Vec<String> = ctx.locals.iter().map(|(n, _)| n.clone()).collect();
        if !ctx.constant {
            candidates.extend(COMMON_BINDINGS.iter().map(|s| (*s).to_owned()));
            candidates.extend(
                ["input", "item", "plan", "call", "args"].iter().filter(|n| self.binding(ctx, n).is_some()).map(|s| (*s).to_owned()),
            );
        }
        candidates.extend(
            self.scopes[ctx.module.0 as usize]
                .names_where(|s| matches!(s, Symbol::Const(_) | Symbol::Tool(_)))
                .into_iter()
                .map(str::to_owned),
        );
        let variants = expected.map(|t| self.variants_of(t)).unwrap_or_default();
        let (code, message) = if variants.is_empty() {
            (Code::UnknownName, format!("unknown name `{}`", name.name))
        } else {
            let ty = expected.map(|t| self.ty_name(t)).unwrap_or_default();
            let code = match expected.map(Ty::unwrap_optional) {
                Some(Ty::Provenance) => Code::UnknownProvenance,
                Some(Ty::Severity) => Code::UnknownSeverity,
                _ => Code::UnknownVariant,
            };
            (code, format!("`{}` is not a variant of `{ty}`", name.name))
        };
        candidates.extend(variants.iter().cloned());
        let mut diag = Diagnostic::error(code, name.span, message);
        if let Some(s) = did_you_mean(&name.name, candidates.iter().map(String::as_str)) {
            diag = diag.with_help(format!("did you mean `{s}`?"));
        } else if name.name == "std" {
            diag = diag.with_help("after `use std.net`, call its functions through the last part of the name: `net.domain(x)`");
        } else if !variants.is_empty() {
            diag = diag.with_help(format!("the variants are {}", variants.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")));
        }
        self.report(ctx.module, diag);
    }

    /// The variant names of an enum-like type (enums, `Provenance`, `Severity`).
    pub(super) fn variants_of(&self, ty: &Ty) -> Vec<String> {
        match ty.unwrap_optional() {
            Ty::Enum(e) => self.program.enum_(*e).variants.clone(),
            Ty::Provenance => PROVENANCES.iter().map(|s| (*s).to_owned()).collect(),
            Ty::Severity => SEVERITIES.iter().map(|s| (*s).to_owned()).collect(),
            Ty::List(t) | Ty::Set(t) => self.variants_of(t),
            _ => Vec::new(),
        }
    }

    /// A bare variant name where the expected type is enum-like.
    fn bare_variant(&self, name: &str, expected: Option<&Ty>) -> Option<(Value, Ty)> {
        let ty = expected?.unwrap_optional();
        match ty {
            Ty::Enum(e) => {
                let idx = self.program.enum_(*e).variants.iter().position(|v| v == name)?;
                Some((Value::Enum(*e, idx as u32), ty.clone()))
            }
            Ty::Provenance => Some((Value::Provenance(PROVENANCES.iter().position(|v| *v == name)? as u8), Ty::Provenance)),
            Ty::Severity => Some((Value::Severity(SEVERITIES.iter().position(|v| *v == name)? as u8), Ty::Severity)),
            _ => None,
        }
    }

    fn check_field(&mut self, ctx: &mut Ctx, base: &Expr, field: &Ident, span: Span) -> TExpr {
        // `Enum.variant` and `module.name`.
        if let ExprKind::Name(name) = &base.kind {
            let shadowed = ctx.locals.iter().any(|(n, _)| *n == name.name);
            if !shadowed {
                match self.scopes[ctx.module.0 as usize].lookup(&name.name).found() {
                    Some(Symbol::Enum(e)) => {
                        self.lookup(ctx.module, &name.name, name.span);
                        return self.qualified_variant(ctx, e, field, span);
                    }
                    Some(Symbol::Module(m)) => {
                        self.used_imports.insert((ctx.module, m));
                        return self.qualified_member(ctx, m, field, span);
                    }
                    _ => {}
                }
            }
        }
        let base = self.check_expr(ctx, base, None);
        if base.ty.is_error() {
            return TExpr::error(span);
        }
        let receiver = base.ty.unwrap_optional().clone();
        if let Ty::Record(r) = receiver {
            if let Some((index, f)) = self.program.record(r).field(&field.name) {
                let ty = f.ty.clone();
                return TExpr { kind: TExprKind::Field(Box::new(base), index), ty, span };
            }
            self.report_unknown_field(ctx, r, field);
            return TExpr::error(span);
        }
        if let Some((builtin, ty)) = super::builtins::property(&receiver, &field.name) {
            return TExpr { kind: TExprKind::Call(builtin, vec![base]), ty, span };
        }
        let tyname = self.ty_name(&receiver);
        let props = super::builtins::property_names(&receiver);
        let mut diag = Diagnostic::error(Code::UnknownField, field.span, format!("`{tyname}` has no field `{}`", field.name));
        if let Some(s) = did_you_mean(&field.name, props.iter().copied()) {
            diag = diag.with_help(format!("did you mean `{s}`?"));
        } else if super::builtins::method(&receiver, &field.name).is_some() {
            diag = diag.with_help(format!("`{}` is a method: write `.{}(…)`", field.name, field.name));
        }
        self.report(ctx.module, diag);
        TExpr::error(span)
    }

    fn report_unknown_field(&mut self, ctx: &Ctx, record: RecordId, field: &Ident) {
        let rec = self.program.record(record);
        if rec.origin == RecordOrigin::Args {
            if let Some((_, tools)) = &ctx.args {
                let lacking: Vec<String> = tools
                    .iter()
                    .filter(|t| self.program.tool(**t).params.iter().all(|p| p.name != field.name))
                    .map(|t| format!("`{}`", self.program.tool(*t).name))
                    .collect();
                if tools.len() > 1 && lacking.len() < tools.len() {
                    let diag = Diagnostic::error(
                        Code::NotShared,
                        field.span,
                        format!("field `{}` is not shared by every tool this rule targets", field.name),
                    )
                    .with_help(if lacking.is_empty() {
                        format!("the targeted tools declare `{}` with different types; target the tools that agree", field.name)
                    } else {
                        format!(
                            "{} {} no `{}` of the same type; target the tools that have it",
                            lacking.join(", "),
                            if lacking.len() == 1 { "has" } else { "have" },
                            field.name
                        )
                    });
                    self.report(ctx.module, diag);
                    return;
                }
            }
        }
        let message = match rec.origin {
            RecordOrigin::Args => match &ctx.args {
                Some((_, tools)) if tools.len() == 1 => {
                    format!("tool `{}` has no argument `{}`", self.program.tool(tools[0]).name, field.name)
                }
                _ => format!("the tools this rule targets share no argument `{}`", field.name),
            },
            RecordOrigin::Builtin => format!("`{}` has no field `{}`", rec.name.to_lowercase(), field.name),
            RecordOrigin::Declared(_) => {
                format!("record `{}` has no field `{}`", rec.name, field.name)
            }
        };
        let suggestion = did_you_mean(&field.name, rec.fields.iter().map(|f| f.name.as_str())).map(str::to_owned);
        let diag = Diagnostic::error(Code::UnknownField, field.span, message);
        let diag = match suggestion {
            Some(s) => diag.with_help(format!("did you mean `{s}`?")),
            None => {
                let fields: Vec<String> = rec.fields.iter().map(|f| format!("`{}`", f.name)).collect();
                if fields.is_empty() {
                    diag.with_help("there are no fields here")
                } else {
                    diag.with_help(format!("the fields are {}", fields.join(", ")))
                }
            }
        };
        self.report(ctx.module, diag);
    }

    fn qualified_variant(&mut self, ctx: &Ctx, e: super::types::EnumId, variant: &Ident, span: Span) -> TExpr {
        let en = self.program.enum_(e);
        if let Some(idx) = en.variants.iter().position(|v| *v == variant.name) {
            return TExpr { kind: TExprKind::Lit(Value::Enum(e, idx as u32)), ty: Ty::Enum(e), span };
        }
        let mut diag =
            Diagnostic::error(Code::UnknownVariant, variant.span, format!("enum `{}` has no variant `{}`", en.name, variant.name));
        diag = match did_you_mean(&variant.name, en.variants.iter().map(String::as_str)) {
            Some(s) => diag.with_help(format!("did you mean `{s}`?")),
            None => {
                diag.with_help(format!("the variants are {}", en.variants.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")))
            }
        };
        self.report(ctx.module, diag);
        TExpr::error(span)
    }

    /// `module.name` for a constant or tool of a used module.
    fn qualified_member(&mut self, ctx: &mut Ctx, module: ModuleId, name: &Ident, span: Span) -> TExpr {
        match self.scopes[module.0 as usize].own.get(&name.name).map(|d| d.symbol) {
            Some(Symbol::Const(id)) => {
                self.ensure_const(id);
                self.used_consts.insert(id.0);
                let ty = self.program.consts[id.0 as usize].ty.clone();
                TExpr { kind: TExprKind::Const(id), ty, span }
            }
            Some(Symbol::Tool(id)) => TExpr { kind: TExprKind::Lit(Value::Tool(id)), ty: Ty::Tool, span },
            Some(Symbol::Function(_)) => {
                self.report(
                    ctx.module,
                    Diagnostic::error(Code::TypeMismatch, span, format!("`{}` is a function: call it with `(…)`", name.name)),
                );
                TExpr::error(span)
            }
            _ => {
                let modname = self.program.module(module).name.clone();
                let names: Vec<String> = self.scopes[module.0 as usize].own.keys().cloned().collect();
                let is_std = self.program.module(module).is_stdlib;
                let code = if is_std { Code::UnknownFunction } else { Code::UnknownName };
                let mut diag = Diagnostic::error(code, name.span, format!("module `{modname}` has no `{}`", name.name));
                if let Some(s) = did_you_mean(&name.name, names.iter().map(String::as_str)) {
                    diag = diag.with_help(format!("did you mean `{s}`?"));
                }
                self.report(ctx.module, diag);
                TExpr::error(span)
            }
        }
    }

    fn check_call(&mut self, ctx: &mut Ctx, callee: &Expr, args: &[Expr], span: Span) -> TExpr {
        match &callee.kind {
            ExprKind::Name(name) if BUILTIN_FUNCTIONS.contains(&name.name.as_str()) => self.check_builtin_call(ctx, &name.name, args, span),
            ExprKind::Name(name) => {
                let mut diag = Diagnostic::error(Code::UnknownFunction, name.span, format!("unknown function `{}`", name.name));
                diag = match did_you_mean(&name.name, BUILTIN_FUNCTIONS.iter().copied()) {
                    Some(s) => diag.with_help(format!("did you mean `{s}`?")),
                    None => diag.with_help(
                        "standard-library functions are called through their module, e.g. `injection.detect(x)` after `use std.injection`",
                    ),
                };
                self.report(ctx.module, diag);
                for a in args {
                    self.check_expr(ctx, a, None);
                }
                TExpr::error(span)
            }
            ExprKind::Field(receiver, method) => {
                if let ExprKind::Name(m) = &receiver.kind {
                    if let Some(Symbol::Module(module)) = self.scopes[ctx.module.0 as usize].lookup(&m.name).found() {
                        if !ctx.locals.iter().any(|(n, _)| *n == m.name) {
                            self.used_imports.insert((ctx.module, module));
                            return self.check_native_call(ctx, module, method, args, span);
                        }
                    }
                }
                let recv = self.check_expr(ctx, receiver, None);
                self.check_method_call(ctx, recv, method, args, span)
            }
            _ => {
                self.report(ctx.module, Diagnostic::error(Code::UnknownFunction, callee.span, "this expression cannot be called"));
                TExpr::error(span)
            }
        }
    }

    fn check_native_call(&mut self, ctx: &mut Ctx, module: ModuleId, name: &Ident, args: &[Expr], span: Span) -> TExpr {
        let Some(Symbol::Function(f)) = self.scopes[module.0 as usize].own.get(&name.name).map(|d| d.symbol) else {
            self.qualified_member(ctx, module, name, span);
            for a in args {
                self.check_expr(ctx, a, None);
            }
            return TExpr::error(span);
        };
        let function = self.program.functions[f.0 as usize].clone();
        if function.params.len() != args.len() {
            self.report(
                ctx.module,
                Diagnostic::error(
                    Code::ArgumentCount,
                    span,
                    format!(
                        "`{}` takes {} argument{}, found {}",
                        function.name,
                        function.params.len(),
                        if function.params.len() == 1 { "" } else { "s" },
                        args.len()
                    ),
                ),
            );
        }
        let typed: Vec<TExpr> = args
            .iter()
            .enumerate()
            .map(|(i, a)| match function.params.get(i) {
                Some(p) => self.expect_type(ctx, a, p),
                None => self.check_expr(ctx, a, None),
            })
            .collect();
        let Some(native) = aisecops_runtime::ir::Native::from_name(&function.name) else {
            self.report(
                ctx.module,
                Diagnostic::error(Code::UnknownFunction, name.span, format!("the runtime has no native function `{}`", function.name)),
            );
            return TExpr::error(span);
        };
        if native == aisecops_runtime::ir::Native::NetInCidr {
            if let Some(TExpr { kind: TExprKind::Lit(Value::Str(cidr)), span: at, .. }) = typed.get(1) {
                if let Err(why) = aisecops_runtime::natives::net::parse_cidr(cidr) {
                    let message = format!("`{cidr}` is not a valid CIDR range");
                    let why = why.split_once(": ").map_or(why.as_str(), |(_, reason)| reason).to_owned();
                    self.report(ctx.module, Diagnostic::error(Code::InvalidLiteral, *at, message).with_label(why));
                }
            }
        }
        TExpr { kind: TExprKind::Call(Builtin::Native(native), typed), ty: function.result, span }
    }

    fn check_binary(&mut self, ctx: &mut Ctx, op: BinOp, a: &Expr, b: &Expr, span: Span) -> TExpr {
        let typed = |kind, ty| TExpr { kind, ty, span };
        match op {
            BinOp::And | BinOp::Or => {
                let x = self.expect_bool(ctx, a);
                let y = self.expect_bool(ctx, b);
                typed(TExprKind::Binary(op, Box::new(x), Box::new(y)), Ty::Bool)
            }
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let (x, y) = self.check_pair(ctx, a, b, |t| Some(t.clone()));
                if !x.ty.is_error() && !y.ty.is_error() {
                    let ordered = !matches!(op, BinOp::Eq | BinOp::Ne);
                    if !Ty::comparable(&x.ty, &y.ty) {
                        let (tx, ty) = (self.ty_name(&x.ty), self.ty_name(&y.ty));
                        let file = self.file_id(ctx.module);
                        let mut diag = Diagnostic::error(Code::Incomparable, span, format!("cannot compare `{tx}` with `{ty}`"))
                            .with_label(format!("`{}` needs operands of one type", op.as_str()))
                            .with_secondary(file, x.span, format!("this is `{tx}`"))
                            .with_secondary(file, y.span, format!("this is `{ty}`"));
                        if let Some(help) = super::builtins::comparison_help(&x.ty, &y.ty) {
                            diag = diag.with_help(help);
                        }
                        self.report(ctx.module, diag);
                    } else if ordered && !x.ty.ordered() {
                        let tx = self.ty_name(&x.ty);
                        self.report(
                            ctx.module,
                            Diagnostic::error(
                                Code::InvalidOperand,
                                span,
                                format!("values of type `{tx}` have no order; `{}` is not defined", op.as_str()),
                            ),
                        );
                    }
                }
                typed(TExprKind::Binary(op, Box::new(x), Box::new(y)), Ty::Bool)
            }
            BinOp::In | BinOp::NotIn => {
                let (x, y) = self.check_pair(ctx, a, b, |t| Some(Ty::Set(Box::new(t.clone()))));
                self.check_membership(ctx, &x, &y, span);
                typed(TExprKind::Binary(op, Box::new(x), Box::new(y)), Ty::Bool)
            }
            BinOp::Contains => {
                let (x, y) = self
                    .check_pair(ctx, a, b, |t| t.element().cloned().or_else(|| (*t.unwrap_optional() == Ty::String).then_some(Ty::String)));
                self.check_membership(ctx, &y, &x, span);
                typed(TExprKind::Binary(op, Box::new(x), Box::new(y)), Ty::Bool)
            }
            BinOp::Add | BinOp::Sub | BinOp::Mul => {
                let (x, y) = self.check_pair(ctx, a, b, |t| Some(t.clone()));
                let ty = super::builtins::arithmetic_result(op, &x.ty, &y.ty);
                let Some(ty) = ty else {
                    let (tx, tyy) = (self.ty_name(&x.ty), self.ty_name(&y.ty));
                    self.report(
                        ctx.module,
                        Diagnostic::error(Code::InvalidOperand, span, format!("`{}` is not defined for `{tx}` and `{tyy}`", op.as_str())),
                    );
                    return TExpr::error(span);
                };
                typed(TExprKind::Binary(op, Box::new(x), Box::new(y)), ty)
            }
        }
    }

    /// Checks both operands, letting the type of the one that is not a bare (possibly variant)
    /// name guide the other.
    fn check_pair(&mut self, ctx: &mut Ctx, a: &Expr, b: &Expr, guide: impl Fn(&Ty) -> Option<Ty>) -> (TExpr, TExpr) {
        if self.is_unresolved_bare_name(ctx, a) && !self.is_unresolved_bare_name(ctx, b) {
            let y = self.check_expr(ctx, b, None);
            let hint = reverse_guide(&y.ty);
            let x = self.check_expr(ctx, a, hint.as_ref());
            return (x, y);
        }
        let x = self.check_expr(ctx, a, None);
        let hint = if x.ty.is_error() { None } else { guide(&x.ty) };
        let y = self.check_expr(ctx, b, hint.as_ref());
        (x, y)
    }

    fn is_unresolved_bare_name(&self, ctx: &Ctx, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Name(n) => {
                !ctx.locals.iter().any(|(l, _)| *l == n.name)
                    && self.binding(ctx, &n.name).is_none()
                    && self.scopes[ctx.module.0 as usize].lookup(&n.name).is_missing()
            }
            _ => false,
        }
    }

    /// `elem in collection`: the collection must be a list or set of the element's type (or a
    /// string, for substrings).
    fn check_membership(&mut self, ctx: &Ctx, elem: &TExpr, collection: &TExpr, span: Span) {
        if elem.ty.is_error() || collection.ty.is_error() {
            return;
        }
        let coll = collection.ty.unwrap_optional();
        if *coll == Ty::String && elem.ty.fits(&Ty::String) {
            return;
        }
        let Some(inner) = coll.element() else {
            let t = self.ty_name(coll);
            self.report(
                ctx.module,
                Diagnostic::error(Code::NotCollection, collection.span, format!("expected a list or set, found `{t}`"))
                    .with_label(format!("this is `{t}`")),
            );
            return;
        };
        if !Ty::comparable(&elem.ty, inner) {
            let (te, tc) = (self.ty_name(&elem.ty), self.ty_name(coll));
            let file = self.file_id(ctx.module);
            let mut diag = Diagnostic::error(Code::Incomparable, span, format!("cannot look for a `{te}` in a `{tc}`"))
                .with_secondary(file, elem.span, format!("this is `{te}`"))
                .with_secondary(file, collection.span, format!("this is `{tc}`"));
            if let Some(help) = super::builtins::comparison_help(&elem.ty, inner) {
                diag = diag.with_help(help);
            }
            self.report(ctx.module, diag);
        }
    }
}

/// When the left operand is a bare variant name, the right operand's type tells what it is.
fn reverse_guide(ty: &Ty) -> Option<Ty> {
    match ty.unwrap_optional() {
        Ty::Error => None,
        Ty::List(t) | Ty::Set(t) => Some((**t).clone()),
        t => Some(t.clone()),
    }
}

trait LookupExt {
    fn is_missing(&self) -> bool;
    fn found(&self) -> Option<Symbol>;
}

impl LookupExt for super::scope::Lookup {
    fn is_missing(&self) -> bool {
        matches!(self, super::scope::Lookup::Missing)
    }

    fn found(&self) -> Option<Symbol> {
        match self {
            super::scope::Lookup::Found(d) => Some(d.symbol),
            _ => None,
        }
    }
}
