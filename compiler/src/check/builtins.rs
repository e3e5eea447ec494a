//! Built-in fields, methods and functions with their signatures: `.domain` of an `Email`,
//! `.matches(r"…")` on strings, `len`, `any`, `all`, `present`, `provenance`, `.or(default)`.

use super::expr::Ctx;
use super::program::{Binding, Builtin, TExpr, TExprKind};
use super::types::Ty;
use super::Checker;
use crate::ast::{BinOp, Expr, ExprKind, Ident, Phase};
use crate::diagnostic::{did_you_mean, Code, Diagnostic};
use crate::span::Span;

/// A field of a built-in type: `email.domain`, `url.host`, `path.name`, `time.hour`.
pub(super) fn property(ty: &Ty, name: &str) -> Option<(Builtin, Ty)> {
    Some(match (ty, name) {
        (Ty::Email, "local") => (Builtin::EmailLocal, Ty::String),
        (Ty::Email, "domain") => (Builtin::EmailDomain, Ty::String),
        (Ty::Url, "scheme") => (Builtin::UrlScheme, Ty::String),
        (Ty::Url, "host") => (Builtin::UrlHost, Ty::String),
        (Ty::Url, "path") => (Builtin::UrlPath, Ty::String),
        (Ty::Path, "name") => (Builtin::PathName, Ty::String),
        (Ty::Path, "ext") => (Builtin::PathExt, Ty::String),
        (Ty::Path, "parent") => (Builtin::PathParent, Ty::Path),
        (Ty::Timestamp, "hour") => (Builtin::TimestampHour, Ty::Int),
        (Ty::Timestamp, "weekday") => (Builtin::TimestampWeekday, Ty::Int),
        _ => return None,
    })
}

pub(super) fn property_names(ty: &Ty) -> Vec<&'static str> {
    match ty {
        Ty::Email => vec!["local", "domain"],
        Ty::Url => vec!["scheme", "host", "path"],
        Ty::Path => vec!["name", "ext", "parent"],
        Ty::Timestamp => vec!["hour", "weekday"],
        _ => vec![],
    }
}

/// Is this type text-like (has the string methods)?
fn is_text(ty: &Ty) -> bool {
    matches!(ty, Ty::String | Ty::Email | Ty::Url | Ty::Path | Ty::Ip)
}

/// A method of a receiver type: its operation, parameter types and result type.
pub(super) fn method(receiver: &Ty, name: &str) -> Option<(Builtin, Vec<Ty>, Ty)> {
    let text = is_text(receiver);
    Some(match name {
        "lower" if text => (Builtin::Lower, vec![], Ty::String),
        "upper" if text => (Builtin::Upper, vec![], Ty::String),
        "trim" if text => (Builtin::Trim, vec![], Ty::String),
        "starts_with" if *receiver == Ty::Path => (Builtin::PathStartsWith, vec![Ty::Path], Ty::Bool),
        "starts_with" if text => (Builtin::StartsWith, vec![Ty::String], Ty::Bool),
        "ends_with" if text => (Builtin::EndsWith, vec![Ty::String], Ty::Bool),
        "contains" if text => (Builtin::StrContains, vec![Ty::String], Ty::Bool),
        "matches" if text => (Builtin::Matches, vec![Ty::Regex], Ty::Bool),
        _ => return None,
    })
}

const METHOD_NAMES: [&str; 9] = ["lower", "upper", "trim", "starts_with", "ends_with", "contains", "matches", "or", "len"];

/// The result type of `a op b` for arithmetic, if defined.
pub(super) fn arithmetic_result(op: BinOp, a: &Ty, b: &Ty) -> Option<Ty> {
    let (a, b) = (a.unwrap_optional(), b.unwrap_optional());
    Some(match (a, b) {
        (Ty::Error, _) | (_, Ty::Error) => Ty::Error,
        (Ty::Int, Ty::Int) => Ty::Int,
        (Ty::Int | Ty::Decimal, Ty::Int | Ty::Decimal) => Ty::Decimal,
        (Ty::String, Ty::String) if op == BinOp::Add => Ty::String,
        (Ty::Timestamp, Ty::Duration) if op != BinOp::Mul => Ty::Timestamp,
        (Ty::Duration, Ty::Duration) if op != BinOp::Mul => Ty::Duration,
        (Ty::Duration, Ty::Int) if op == BinOp::Mul => Ty::Duration,
        _ => return None,
    })
}

/// A hint for a comparison between types that do not compare.
pub(super) fn comparison_help(a: &Ty, b: &Ty) -> Option<String> {
    let (a, b) = (a.unwrap_optional(), b.unwrap_optional());
    match (a, b) {
        (Ty::Email, Ty::String) | (Ty::String, Ty::Email) => {
            Some("compare the address's `.domain` or `.local` part, or write the address as a literal".to_owned())
        }
        (Ty::String, Ty::Int | Ty::Decimal) | (Ty::Int | Ty::Decimal, Ty::String) => {
            Some("a string is never equal to a number; remove the quotes or compare with a string".to_owned())
        }
        (Ty::Tool, Ty::String) | (Ty::String, Ty::Tool) => Some("name the tool without quotes: `call.tool == send_email`".to_owned()),
        _ => None,
    }
}

impl Checker<'_> {
    pub(super) fn check_builtin_call(&mut self, ctx: &mut Ctx, name: &str, args: &[Expr], span: Span) -> TExpr {
        let want = if matches!(name, "any" | "all") { 2 } else { 1 };
        if args.len() != want {
            self.report(
                ctx.module,
                Diagnostic::error(
                    Code::ArgumentCount,
                    span,
                    format!("`{name}` takes {want} argument{}, found {}", if want == 1 { "" } else { "s" }, args.len()),
                ),
            );
            return TExpr::error(span);
        }
        let typed = |kind, ty| TExpr { kind, ty, span };
        match name {
            "len" => {
                let x = self.check_expr(ctx, &args[0], None);
                let t = x.ty.unwrap_optional();
                if !(t.is_error() || *t == Ty::String || t.element().is_some()) {
                    let tn = self.ty_name(t);
                    self.report(
                        ctx.module,
                        Diagnostic::error(Code::InvalidOperand, x.span, format!("`len` takes a string, list or set, found `{tn}`")),
                    );
                }
                typed(TExprKind::Call(Builtin::Len, vec![x]), Ty::Int)
            }
            "present" => {
                let x = self.check_expr(ctx, &args[0], None);
                if !matches!(x.ty, Ty::Optional(_) | Ty::Error) {
                    let tn = self.ty_name(&x.ty);
                    self.report(
                        ctx.module,
                        Diagnostic::error(Code::TypeMismatch, x.span, format!("`present` takes an optional value, found `{tn}`"))
                            .with_help("only fields declared with `?` can be absent"),
                    );
                }
                typed(TExprKind::Call(Builtin::Present, vec![x]), Ty::Bool)
            }
            "provenance" => self.check_provenance(ctx, &args[0], span),
            _ => {
                let xs = self.check_expr(ctx, &args[0], None);
                let elem = match xs.ty.unwrap_optional() {
                    Ty::Error => Ty::Error,
                    t => match t.element() {
                        Some(e) => e.clone(),
                        None => {
                            let tn = self.ty_name(t);
                            self.report(
                                ctx.module,
                                Diagnostic::error(Code::NotCollection, xs.span, format!("`{name}` takes a list or set, found `{tn}`")),
                            );
                            Ty::Error
                        }
                    },
                };
                let ExprKind::Lambda(param, body) = &args[1].kind else {
                    self.report(
                        ctx.module,
                        Diagnostic::error(Code::TypeMismatch, args[1].span, format!("the second argument of `{name}` is a lambda"))
                            .with_help(format!("write `{name}(xs, x => condition)`")),
                    );
                    return TExpr::error(span);
                };
                ctx.locals.push((param.name.clone(), elem));
                let body = self.expect_bool(ctx, body);
                ctx.locals.pop();
                let lambda = TExpr { kind: TExprKind::Lambda(Box::new(body)), ty: Ty::Bool, span: args[1].span };
                let builtin = if name == "any" { Builtin::Any } else { Builtin::All };
                typed(TExprKind::Call(builtin, vec![xs, lambda]), Ty::Bool)
            }
        }
    }

    /// `provenance(args.x)`: where an argument of the call came from.
    fn check_provenance(&mut self, ctx: &mut Ctx, arg: &Expr, span: Span) -> TExpr {
        if ctx.phase != Some(Phase::Evaluate) {
            self.report(
                ctx.module,
                Diagnostic::error(Code::PhaseBinding, span, "`provenance(..)` is only available in `evaluate` rules")
                    .with_help("other phases read `item.provenance`"),
            );
            return provenance_error(span);
        }
        let x = self.check_expr(ctx, arg, None);
        if !is_args_path(&x) && !x.ty.is_error() {
            self.report(
                ctx.module,
                Diagnostic::error(Code::ProvenanceTarget, arg.span, "`provenance` takes an argument of the call, such as `args.to`")
                    .with_help("provenance is recorded per argument of the tool call"),
            );
            return provenance_error(span);
        }
        TExpr { kind: TExprKind::Provenance(Box::new(x)), ty: Ty::Provenance, span }
    }

    pub(super) fn check_method_call(&mut self, ctx: &mut Ctx, recv: TExpr, method_name: &Ident, args: &[Expr], span: Span) -> TExpr {
        if recv.ty.is_error() {
            for a in args {
                self.check_expr(ctx, a, None);
            }
            return TExpr::error(span);
        }
        if method_name.name == "or" {
            return self.check_or(ctx, recv, args, span);
        }
        let receiver = recv.ty.unwrap_optional().clone();
        let Some((builtin, params, result)) = method(&receiver, &method_name.name) else {
            let tn = self.ty_name(&receiver);
            let mut diag = Diagnostic::error(Code::UnknownMethod, method_name.span, format!("`{tn}` has no method `{}`", method_name.name));
            if let Some(s) =
                did_you_mean(&method_name.name, METHOD_NAMES.iter().copied().filter(|m| method(&receiver, m).is_some() || *m == "or"))
            {
                diag = diag.with_help(format!("did you mean `{s}`?"));
            } else if method_name.name == "len" {
                diag = diag.with_help("write `len(x)`");
            } else if property(&receiver, &method_name.name).is_some() {
                diag = diag.with_help(format!("`{}` is a field: write `.{}` without parentheses", method_name.name, method_name.name));
            }
            self.report(ctx.module, diag);
            for a in args {
                self.check_expr(ctx, a, None);
            }
            return TExpr::error(span);
        };
        if params.len() != args.len() {
            self.report(
                ctx.module,
                Diagnostic::error(
                    Code::ArgumentCount,
                    span,
                    format!(
                        "`.{}` takes {} argument{}, found {}",
                        method_name.name,
                        params.len(),
                        if params.len() == 1 { "" } else { "s" },
                        args.len()
                    ),
                ),
            );
            return TExpr::error(span);
        }
        let mut typed = vec![recv];
        for (arg, param) in args.iter().zip(&params) {
            if builtin == Builtin::PathStartsWith {
                // A path prefix may be a `String` or a `Path`.
                let t = self.check_expr(ctx, arg, None);
                if !t.ty.fits(&Ty::String) && !t.ty.fits(&Ty::Path) {
                    let found = self.ty_name(&t.ty);
                    self.report(
                        ctx.module,
                        Diagnostic::error(Code::TypeMismatch, t.span, format!("expected `String` or `Path`, found `{found}`")),
                    );
                }
                typed.push(t);
                continue;
            }
            if *param == Ty::Regex && !matches!(arg.kind, ExprKind::Regex(_)) {
                let t = self.check_expr(ctx, arg, None);
                if !t.ty.fits(&Ty::Regex) {
                    self.report(
                        ctx.module,
                        Diagnostic::error(Code::TypeMismatch, arg.span, "`.matches` takes a regex literal")
                            .with_help("write the pattern as `r\"...\"` so it is checked when the policy compiles"),
                    );
                }
                typed.push(t);
                continue;
            }
            typed.push(self.expect_type(ctx, arg, param));
        }
        TExpr { kind: TExprKind::Call(builtin, typed), ty: result, span }
    }

    /// `x.or(default)`: the value of an optional, or the default.
    fn check_or(&mut self, ctx: &mut Ctx, recv: TExpr, args: &[Expr], span: Span) -> TExpr {
        let Ty::Optional(inner) = recv.ty.clone() else {
            let tn = self.ty_name(&recv.ty);
            self.report(
                ctx.module,
                Diagnostic::error(Code::TypeMismatch, recv.span, format!("`.or` applies to optional values, found `{tn}`")),
            );
            return TExpr::error(span);
        };
        if args.len() != 1 {
            self.report(ctx.module, Diagnostic::error(Code::ArgumentCount, span, format!("`.or` takes 1 argument, found {}", args.len())));
            return TExpr::error(span);
        }
        let default = self.expect_type(ctx, &args[0], &inner);
        TExpr { kind: TExprKind::Call(Builtin::Or, vec![recv, default]), ty: *inner, span }
    }
}

/// Is this `args.x` or `args.x.y`?
fn is_args_path(e: &TExpr) -> bool {
    match &e.kind {
        TExprKind::Field(base, _) => matches!(base.kind, TExprKind::Binding(Binding::Args)) || is_args_path(base),
        _ => false,
    }
}

/// A failed `provenance(..)` still has type `Provenance`, so `== retrieved` beside it checks.
fn provenance_error(span: Span) -> TExpr {
    TExpr { kind: TExprKind::Error, ty: Ty::Provenance, span }
}

/// What a value of type `ty` offers after `.` (editor completion): record fields and built-in
/// properties with their types, then methods with their signatures, as (name, description).
pub fn members(program: &super::program::Program, ty: &Ty) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let inner = ty.unwrap_optional();
    if let Ty::Record(id) = inner {
        for f in &program.record(*id).fields {
            out.push((f.name.clone(), format!("{}: {}", f.name, program.type_name(&f.ty))));
        }
    }
    for name in property_names(inner) {
        if let Some((_, t)) = property(inner, name) {
            out.push((name.to_owned(), format!("{name}: {}", program.type_name(&t))));
        }
    }
    for name in METHOD_NAMES {
        if let Some((_, params, result)) = method(inner, name) {
            let params: Vec<String> = params.iter().map(|p| program.type_name(p)).collect();
            out.push((name.to_owned(), format!("{name}({}) -> {}", params.join(", "), program.type_name(&result))));
        }
    }
    if matches!(ty, Ty::Optional(_)) {
        out.push(("or".to_owned(), format!("or(default: {}) -> {}", program.type_name(inner), program.type_name(inner))));
    }
    out
}

/// The type of `.name` on a value of type `ty`: a record's field or a built-in property.
pub fn member_type(program: &super::program::Program, ty: &Ty, name: &str) -> Option<Ty> {
    let inner = ty.unwrap_optional();
    if let Ty::Record(id) = inner {
        if let Some((_, f)) = program.record(*id).field(name) {
            return Some(f.ty.clone());
        }
    }
    property(inner, name).map(|(_, t)| t)
}
