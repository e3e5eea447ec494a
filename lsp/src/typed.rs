//! What the type checker knows, for the editor: the type of the expression under the cursor
//! (hover, from the typed conditions of rules and grants), and what may follow a `.` —
//! the fields, properties and methods of the value before it, or the functions of a
//! standard-library module (completion). The value before `.` is typed from its text (a
//! binding, `args`, a constant, then fields), so completion works while the rule being typed
//! does not parse.

use aisecops_compiler::check::program::{Program, TExpr, TExprKind};
use aisecops_compiler::check::types::Ty;
use aisecops_compiler::check::{member_type, members};
use aisecops_compiler::{Checked, Span};

use crate::symbols::{Completion, Kind};

/// The innermost typed expression of file `file` that covers byte `offset`: its span and
/// `text: Type`.
pub fn expression_at(checked: &Checked, file: usize, offset: usize) -> Option<(Span, String)> {
    let program = &checked.program;
    let in_file = |module: &aisecops_compiler::check::program::ModuleId| {
        program.modules.get(module.0 as usize).is_some_and(|m| m.file.0 as usize == file)
    };
    let conditions = program
        .rules
        .iter()
        .filter(|r| in_file(&r.module))
        .flat_map(|r| r.effects.iter().filter_map(|e| e.condition.as_ref()))
        .chain(program.grants.iter().filter(|g| in_file(&g.module)).filter_map(|g| g.condition.as_ref()));
    let mut best: Option<&TExpr> = None;
    for condition in conditions {
        if let Some(found) = innermost(&condition.expr, offset) {
            if best.is_none_or(|b| found.span.end - found.span.start < b.span.end - b.span.start) {
                best = Some(found);
            }
        }
    }
    let expr = best.filter(|e| !e.ty.is_error())?;
    let text = checked.files.get(file)?.text.get(expr.span.start..expr.span.end)?;
    Some((expr.span, format!("{text}: {}", program.type_name(&expr.ty))))
}

fn covers(span: Span, offset: usize) -> bool {
    span.start <= offset && offset < span.end.max(span.start + 1)
}

/// The smallest node of `expr` covering `offset`.
fn innermost(expr: &TExpr, offset: usize) -> Option<&TExpr> {
    if !covers(expr.span, offset) {
        return None;
    }
    let children: Vec<&TExpr> = match &expr.kind {
        TExprKind::List(xs) | TExprKind::Set(xs) | TExprKind::Call(_, xs) => xs.iter().collect(),
        TExprKind::Record(_, fields) => fields.iter().map(|(_, x)| x).collect(),
        TExprKind::Field(x, _) | TExprKind::Provenance(x) | TExprKind::Lambda(x) | TExprKind::Unary(_, x) => vec![x],
        TExprKind::Binary(_, a, b) => vec![a, b],
        TExprKind::If(c, a, b) => vec![c, a, b],
        TExprKind::Lit(_) | TExprKind::Binding(_) | TExprKind::Local(_) | TExprKind::Const(_) | TExprKind::Error => vec![],
    };
    children.into_iter().find_map(|c| innermost(c, offset)).or(Some(expr))
}

/// The bindings that are records, and the built-in record each is.
const RECORD_BINDINGS: [(&str, &str); 6] =
    [("agent", "Agent"), ("session", "Session"), ("request", "Request"), ("call", "Call"), ("input", "Input"), ("item", "Item")];

/// What may follow `chain.` (`chain` is the names before the dot, `["args", "to"]`), where
/// `tools` are the tools `args` can be: the members of its type, or the functions of a
/// standard-library module (`injection.` → `detect`, …). `None` when the chain's type is
/// not known.
pub fn member_completions(program: &Program, chain: &[&str], tools: &[String]) -> Option<Vec<Completion>> {
    let (first, rest) = chain.split_first()?;
    match (*first, rest) {
        ("std", []) => {
            let modules = aisecops_compiler::stdlib::MODULES.iter();
            return Some(
                modules
                    .map(|(m, _)| Completion { label: (*m).to_owned(), kind: Kind::Function, detail: format!("module std.{m}") })
                    .collect(),
            );
        }
        ("std", [module]) => return Some(functions(program, &format!("std.{module}."))),
        (module, []) => {
            let found = functions(program, &format!("std.{module}."));
            if !found.is_empty() {
                return Some(found);
            }
        }
        _ => {}
    }
    let (mut ty, rest) = match *first {
        "args" => {
            let (field, rest) = rest.split_first()?;
            let ty = program
                .tools
                .iter()
                .filter(|t| tools.is_empty() || tools.contains(&t.name))
                .find_map(|t| t.params.iter().find(|p| p.name == *field).map(|p| p.ty.clone()))?;
            (ty, rest)
        }
        name => {
            let ty = match RECORD_BINDINGS.iter().find(|(b, _)| *b == name) {
                Some((_, record)) => {
                    let id = program.records.iter().position(|r| r.name == *record)?;
                    Ty::Record(aisecops_compiler::check::types::RecordId(id as u32))
                }
                None => program.consts.iter().find(|c| c.name == name || c.name.ends_with(&format!(".{name}")))?.ty.clone(),
            };
            (ty, rest)
        }
    };
    for name in rest {
        ty = member_type(program, &ty, name)?;
    }
    let out = members(program, &ty).into_iter().map(|(label, detail)| Completion { label, kind: Kind::Record, detail }).collect();
    Some(out)
}

/// The functions whose qualified names start with `prefix` (`std.injection.`).
fn functions(program: &Program, prefix: &str) -> Vec<Completion> {
    program
        .functions
        .iter()
        .filter_map(|f| {
            let name = f.name.strip_prefix(prefix)?;
            let params: Vec<String> = f.params.iter().map(|p| program.type_name(p)).collect();
            Some(Completion {
                label: name.to_owned(),
                kind: Kind::Function,
                detail: format!("{}({}) -> {}", f.name, params.join(", "), program.type_name(&f.result)),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use aisecops_compiler::{check_set, SourceFile};

    use super::*;

    const POLICY: &str = "policy t.p
use std.injection
const limit: Int = 10
tool send { to: Email, note: String?, size: Int }
capability cap { send }
grant cap to role \"r\"
rule r on evaluate send {
  block \"x\" when args.to.domain == \"evil.io\" and args.size > limit
}
";

    fn checked() -> Checked {
        check_set(&[SourceFile { name: "p.agp".to_owned(), text: POLICY.to_owned() }])
    }

    #[test]
    fn hover_gives_the_innermost_expression_and_its_type() {
        let checked = checked();
        assert!(!checked.has_errors(), "{:?}", checked.diagnostics);
        let at = |needle: &str, delta: usize| POLICY.find(needle).map(|i| i + delta).unwrap_or(0);
        let cases = [
            (at("args.to.domain", 9), "args.to.domain: String"),
            (at("args.to.domain", 6), "args.to: Email"),
            (at("args.size", 2), "args: send arguments"),
            (at("> limit", 3), "limit: Int"),
            (at("== \"evil", 0), "args.to.domain == \"evil.io\": Bool"),
        ];
        for (offset, want) in cases {
            let (_, text) = expression_at(&checked, 0, offset).unwrap_or_default();
            assert_eq!(text, want, "at {offset}");
        }
        assert_eq!(expression_at(&checked, 0, at("tool send", 0)), None);
    }

    #[test]
    fn members_follow_the_type_before_the_dot() {
        let checked = checked();
        let program = &checked.program;
        let tools = vec!["send".to_owned()];
        let labels = |chain: &[&str]| -> Vec<String> {
            member_completions(program, chain, &tools).unwrap_or_default().into_iter().map(|c| c.label).collect()
        };
        assert_eq!(labels(&["args", "to"])[..2], ["local", "domain"]);
        assert!(labels(&["args", "to"]).contains(&"starts_with".to_owned()));
        assert!(labels(&["args", "note"]).contains(&"or".to_owned()));
        assert_eq!(labels(&["agent"]), ["id", "roles"]);
        assert!(labels(&["item", "uri"]).contains(&"host".to_owned()));
        assert!(labels(&["injection"]).contains(&"detect".to_owned()));
        assert!(labels(&["std"]).contains(&"pii".to_owned()));
        assert!(labels(&["std", "net"]).contains(&"in_cidr".to_owned()));
        assert!(labels(&["args", "size"]).is_empty(), "an Int has no members");
        assert_eq!(member_completions(program, &["nothing"], &tools), None);
    }
}
