//! What the names of a policy set are: each declaration (tool, capability, constant, record,
//! enum, rule, test, native function) with where its name is and how to describe it, and the
//! name under a cursor. Serves document symbols, hover, go to definition and references.
//! Names are matched by text within the set (declarations are unique per set, `AGP0209`);
//! a name after `.` is a field, not a reference.

use aisecops_compiler::ast::{File, Item};
use aisecops_compiler::syntax::lexer::lex;
use aisecops_compiler::syntax::parser::split_items;
use aisecops_compiler::syntax::print::print_item;
use aisecops_compiler::syntax::token::Tok;
use aisecops_compiler::Span;

/// What a declaration declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Tool,
    Capability,
    Const,
    Record,
    Enum,
    Rule,
    Test,
    Function,
}

/// One declaration of a policy set.
#[derive(Debug, Clone)]
pub struct Declaration {
    pub kind: Kind,
    pub name: String,
    /// The file (index in the checked set) and the span of the name.
    pub file: usize,
    pub name_span: Span,
    /// The span of the whole item.
    pub span: Span,
    /// The declaration as source text (rules: the header and a summary of their effects).
    pub detail: String,
}

/// The declarations of the files of a set (`asts[i]` is file `i`; `sources[i]` its text).
pub fn declarations(asts: &[File], sources: &[&str]) -> Vec<Declaration> {
    let mut out = Vec::new();
    for (file, (ast, source)) in asts.iter().zip(sources).enumerate() {
        let spans = item_spans(source);
        for (item, span) in ast.items.iter().zip(spans) {
            let (kind, name, name_span) = match item {
                Item::Tool(t) => (Kind::Tool, t.name.name.clone(), t.name.span),
                Item::Capability(c) => (Kind::Capability, c.name.name.clone(), c.name.span),
                Item::Const(c) => (Kind::Const, c.name.name.clone(), c.name.span),
                Item::Record(r) => (Kind::Record, r.name.name.clone(), r.name.span),
                Item::Enum(e) => (Kind::Enum, e.name.name.clone(), e.name.span),
                Item::Rule(r) => (Kind::Rule, r.name.name.clone(), r.name.span),
                Item::Test(t) => (Kind::Test, t.name.value.clone(), t.name.span),
                Item::Function(f) => (Kind::Function, f.name.name.clone(), f.name.span),
                _ => continue,
            };
            let detail = match item {
                Item::Rule(r) => {
                    let effects: Vec<String> = r.effects.iter().map(|e| format!("{} \"{}\"", e.kind.as_str(), e.reason.value)).collect();
                    let targets: Vec<&str> = r.targets.iter().map(|t| t.name.as_str()).collect();
                    format!("rule {} on {} {}\n{}", r.name.name, r.phase.as_str(), targets.join(", "), effects.join("\n"))
                }
                other => {
                    let mut text = String::new();
                    print_item(&mut text, other);
                    text
                }
            };
            out.push(Declaration { kind, name, file, name_span, span, detail });
        }
    }
    out
}

/// The byte span of each top-level item of `source`, in order (as the parser cuts them).
fn item_spans(source: &str) -> Vec<Span> {
    let tokens = lex(source).tokens;
    split_items(&tokens).into_iter().map(|r| tokens[r.start].span.to(tokens[r.end - 1].span)).collect()
}

/// The name at byte `offset` of `source` and its span, unless it is a field after `.`.
pub fn name_at(source: &str, offset: usize) -> Option<(String, Span)> {
    let tokens = lex(source).tokens;
    let i = tokens.iter().position(|t| t.span.start <= offset && offset <= t.span.end && matches!(t.tok, Tok::Ident(_)))?;
    if i > 0 && tokens[i - 1].tok == Tok::Dot {
        return None;
    }
    match &tokens[i].tok {
        Tok::Ident(name) => Some((name.clone(), tokens[i].span)),
        _ => None,
    }
}

/// Every use of `name` in `source` as a name (not a field after `.`).
pub fn uses(source: &str, name: &str) -> Vec<Span> {
    let tokens = lex(source).tokens;
    tokens
        .iter()
        .enumerate()
        .filter(|(i, t)| matches!(&t.tok, Tok::Ident(n) if n == name) && !(*i > 0 && tokens[i - 1].tok == Tok::Dot))
        .map(|(_, t)| t.span)
        .collect()
}

/// One completion: the text to insert, what it is, and a one-line description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: Kind,
    pub detail: String,
}

/// The names before the `.` that ends the text before byte `offset` (after any partly typed
/// name): `args.to.do|` gives `["args", "to"]`. `None` when the text there is not `name.…name.`
/// (a call's result, `x.lower().`, is not followed).
pub fn chain_before(source: &str, offset: usize) -> Option<Vec<&str>> {
    let before = source.get(..offset.min(source.len()))?;
    let partial_start = before.rfind(|c: char| !(c.is_alphanumeric() || c == '_')).map_or(0, |i| i + 1);
    let head = before[..partial_start].strip_suffix('.')?;
    let start = head.rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.')).map_or(0, |i| i + 1);
    let chain: Vec<&str> = head[start..].split('.').collect();
    let starts_with_name = chain.first().and_then(|n| n.chars().next()).is_some_and(|c| c.is_alphabetic() || c == '_');
    (starts_with_name && chain.iter().all(|n| !n.is_empty())).then_some(chain)
}

/// The tools `args` can be at byte `offset`: the targets of the enclosing rule (capabilities
/// stand for their tools), read from its tokens, since while it is being typed the rule does
/// not parse. Empty for a rule on every tool; `None` outside a rule.
pub fn targeted_tools(asts: &[File], source: &str, offset: usize) -> Option<Vec<String>> {
    let tokens = lex(source).tokens;
    let chunk = split_items(&tokens)
        .into_iter()
        .map(|r| &tokens[r])
        .find(|c| c.first().is_some_and(|t| t.span.start <= offset) && c.last().is_some_and(|t| t.span.end >= offset.saturating_sub(1)))?;
    if chunk.first().map(|t| &t.tok) != Some(&Tok::Rule) {
        return None;
    }
    let header: Vec<&Tok> = chunk.iter().map(|t| &t.tok).take_while(|t| **t != Tok::LBrace).collect();
    // `rule NAME on PHASE a, b {`: the names after the phase.
    let rule_targets = header.iter().skip(4).filter_map(|t| match t {
        Tok::Ident(n) => Some(n.clone()),
        _ => None,
    });
    let capability_tools = |name: &str| -> Vec<String> {
        asts.iter()
            .flat_map(|f| &f.items)
            .filter_map(|i| match i {
                Item::Capability(c) if c.name.name == name => Some(c.tools.iter().map(|t| t.name.clone()).collect::<Vec<_>>()),
                _ => None,
            })
            .flatten()
            .collect()
    };
    let mut targets: Vec<String> = Vec::new();
    for t in rule_targets {
        let inside = capability_tools(&t);
        if inside.is_empty() {
            targets.push(t);
        } else {
            targets.extend(inside);
        }
    }
    Some(targets)
}

/// The built-in functions, with their signatures.
const BUILTIN_FUNCTIONS: [(&str, &str); 5] = [
    ("len", "len(x) -> Int: the length of a list, set or text"),
    ("any", "any(xs, x => condition) -> Bool"),
    ("all", "all(xs, x => condition) -> Bool"),
    ("present", "present(x) -> Bool: an optional value is there"),
    ("provenance", "provenance(args.x) -> Provenance: where an argument came from"),
];

/// Completions at byte `offset` of file `file`: after `args.`, the arguments of the tools the
/// enclosing rule targets; elsewhere, the set's declarations (tools, capabilities, constants,
/// records, enums), enum variants, the built-in functions and the standard-library modules
/// the file uses. (After any other `name.`, see `typed::member_completions`.)
pub fn completions(asts: &[File], sources: &[&str], file: usize, offset: usize) -> Vec<Completion> {
    let Some(source) = sources.get(file) else { return Vec::new() };
    let offset = offset.min(source.len());
    let mut out = Vec::new();
    if chain_before(source, offset).is_some_and(|c| c == ["args"]) {
        let Some(targets) = targeted_tools(asts, source, offset) else { return out };
        let tools = asts.iter().flat_map(|f| &f.items).filter_map(|i| match i {
            Item::Tool(t) if targets.is_empty() || targets.contains(&t.name.name) => Some(t),
            _ => None,
        });
        for tool in tools {
            for p in &tool.params {
                if out.iter().any(|c: &Completion| c.label == p.name.name) {
                    continue;
                }
                let mut ty = String::new();
                aisecops_compiler::syntax::print::print_type(&mut ty, &p.ty);
                out.push(Completion {
                    label: p.name.name.clone(),
                    kind: Kind::Record,
                    detail: format!("{}: {ty} ({})", p.name.name, tool.name.name),
                });
            }
        }
        return out;
    }
    let texts: Vec<&str> = sources.to_vec();
    for d in declarations(asts, &texts) {
        if matches!(d.kind, Kind::Tool | Kind::Capability | Kind::Const | Kind::Record | Kind::Enum) {
            out.push(Completion { label: d.name.clone(), kind: d.kind, detail: d.detail.lines().next().unwrap_or("").to_owned() });
        }
    }
    for e in asts.iter().flat_map(|f| &f.items).filter_map(|i| match i {
        Item::Enum(e) => Some(e),
        _ => None,
    }) {
        for v in &e.variants {
            out.push(Completion { label: v.name.clone(), kind: Kind::Enum, detail: format!("variant of {}", e.name.name) });
        }
    }
    for (name, detail) in BUILTIN_FUNCTIONS {
        out.push(Completion { label: name.to_owned(), kind: Kind::Function, detail: detail.to_owned() });
    }
    if let Some(ast) = asts.get(file) {
        for item in &ast.items {
            if let Item::Use(name) = item {
                if let (Some(first), Some(last)) = (name.parts.first(), name.parts.last()) {
                    if first.name == "std" && name.parts.len() == 2 {
                        out.push(Completion { label: last.name.clone(), kind: Kind::Function, detail: format!("module {}", name.text()) });
                    }
                }
            }
        }
    }
    out.sort_by(|a, b| a.label.cmp(&b.label));
    out.dedup_by(|a, b| a.label == b.label);
    out
}
