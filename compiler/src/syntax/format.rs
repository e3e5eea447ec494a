//! The formatter (`aisecops fmt`): one canonical layout for a file, keeping every comment.
//!
//! The file is parsed (a file with syntax errors is not formatted), each item is printed by
//! `print.rs`, and the comments are put back around what they were next to:
//! - comments before an item stay before it, and a comment on the same line after an item
//!   stays after it;
//! - inside a tool, record, rule or test block, comments go before the field, effect or
//!   statement that follows them (or after it, on its line, when they were on its line), and
//!   comments before the closing brace stay there;
//! - a comment inside a one-line item (`grant`, `const`, …) or inside an expression moves to
//!   the line before its item or member.
//!
//! Comments keep their order and text (line comments lose trailing spaces). One blank line is
//! kept where the source had one or more between items, members or comments; none after an
//! opening brace. Formatting never changes meaning — the formatted file parses to the same
//! tree — and formatting a formatted file changes nothing (both are property-tested in
//! `compiler/tests/format.rs`).

use crate::ast::{BinOp, Effect, EffectOption, Expr, ExprKind, Item, TestStmt};
use crate::diagnostic::Diagnostic;
use crate::span::Span;

use super::lexer::lex;
use super::parser::{parse, split_items};
use super::print::{print_expr, print_field, print_item, print_test_stmt, print_type, quote};
use super::token::Tok;

/// A comment in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    pub start: usize,
    pub end: usize,
    /// The comment as written (`// …` without trailing spaces, or `/* … */`).
    pub text: String,
}

/// Every comment of `source`, in order (strings and regex literals are skipped, so `//` inside
/// them is not a comment).
pub fn comments(source: &str) -> Vec<Comment> {
    let bytes = source.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                // A string or regex literal: to the closing quote, skipping escapes; a newline
                // ends an unterminated one.
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' && bytes[i] != b'\n' {
                    i += if bytes[i] == b'\\' && i + 1 < bytes.len() && bytes[i + 1] != b'\n' { 2 } else { 1 };
                }
                i += 1;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let end = source[i..].find('\n').map_or(source.len(), |n| i + n);
                found.push(Comment { start: i, end, text: source[i..end].trim_end().to_owned() });
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                let end = source[i + 2..].find("*/").map_or(source.len(), |n| i + 2 + n + 2);
                found.push(Comment { start: i, end, text: source[i..end].to_owned() });
                i = end;
            }
            _ => i += 1,
        }
    }
    found
}

/// `source` in the canonical layout, or the syntax errors that stop it from being formatted.
pub fn format(source: &str) -> Result<String, Vec<Diagnostic>> {
    let parsed = parse(source);
    let errors: Vec<Diagnostic> = parsed.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
    if !errors.is_empty() || parsed.file.items.iter().any(|i| matches!(i, Item::Error(_))) {
        return Err(errors);
    }
    let tokens = lex(source).tokens;
    let layout: Vec<Layout> = split_items(&tokens)
        .into_iter()
        .map(|r| {
            let chunk = &tokens[r];
            let span = chunk[0].span.to(chunk[chunk.len() - 1].span);
            let open = chunk.iter().find(|t| t.tok == Tok::LBrace).map(|t| t.span.end);
            let close = chunk.iter().rev().find(|t| t.tok == Tok::RBrace).map(|t| t.span.start);
            Layout { span, open, close }
        })
        .collect();
    let mut f = Formatter { source, comments: comments(source), next: 0, out: String::with_capacity(source.len() + 64) };
    let mut prev = None;
    for (item, layout) in parsed.file.items.iter().zip(&layout) {
        f.comments_before(&mut prev, layout.span.start, "");
        f.gap(prev, layout.span.start);
        f.item(item, layout);
        let end = f.trailing(layout.span.end);
        f.out.push('\n');
        prev = Some(end);
    }
    f.comments_before(&mut prev, source.len(), "");
    Ok(f.out)
}

/// Where an item is: its whole span, and the inside of its braces (if it has any).
struct Layout {
    span: Span,
    /// Just after its first `{`.
    open: Option<usize>,
    /// At its last `}`.
    close: Option<usize>,
}

struct Formatter<'s> {
    source: &'s str,
    comments: Vec<Comment>,
    /// The first comment not written yet.
    next: usize,
    out: String,
}

impl Formatter<'_> {
    /// One blank line before what starts at `start` when the source had an empty line between
    /// it and the end of the previous thing (`prev`; `None` at the start of a file or block).
    fn gap(&mut self, prev: Option<usize>, start: usize) {
        let Some(prev) = prev else { return };
        let gap = self.source.get(prev.min(start)..start).unwrap_or("");
        let lines: Vec<&str> = gap.split('\n').collect();
        if lines.len() > 2 && lines[1..lines.len() - 1].iter().any(|l| l.trim().is_empty()) {
            self.out.push('\n');
        }
    }

    /// The comments that start before `until`, each on its own line with `indent`.
    fn comments_before(&mut self, prev: &mut Option<usize>, until: usize, indent: &str) {
        while let Some(c) = self.comments.get(self.next).filter(|c| c.start < until).cloned() {
            self.gap(*prev, c.start);
            self.out.push_str(indent);
            self.out.push_str(&c.text);
            self.out.push('\n');
            *prev = Some(c.end);
            self.next += 1;
        }
    }

    /// A comment that starts on the same line right after `end` goes at the end of the
    /// current line; returns where what was written ends in the source.
    fn trailing(&mut self, end: usize) -> usize {
        let Some(c) = self.comments.get(self.next) else { return end };
        let between = self.source.get(end..c.start).unwrap_or("\n");
        if c.start < end || between.contains('\n') || c.text.contains('\n') {
            return end;
        }
        let c = c.clone();
        self.out.push(' ');
        self.out.push_str(&c.text);
        self.next += 1;
        c.end
    }

    fn item(&mut self, item: &Item, layout: &Layout) {
        let field = |p: &crate::ast::FieldDecl| {
            let mut text = String::new();
            print_field(&mut text, p);
            text.push(',');
            (p.span, text)
        };
        match item {
            Item::Tool(t) if !self.comments_inside(layout) && one_line(item).len() <= WIDTH => self.out.push_str(&one_line(item)),
            Item::Record(_) if !self.comments_inside(layout) && one_line(item).len() <= WIDTH => self.out.push_str(&one_line(item)),
            Item::Tool(t) => {
                self.out.push_str(&format!("tool {} {{", t.name.name));
                let members: Vec<(Span, String)> = t.params.iter().map(field).collect();
                self.block(&members, layout);
                if let Some(result) = &t.result {
                    self.out.push_str(" -> ");
                    print_type(&mut self.out, result);
                }
            }
            Item::Record(r) => {
                self.out.push_str(&format!("record {} {{", r.name.name));
                let members: Vec<(Span, String)> = r.fields.iter().map(field).collect();
                self.block(&members, layout);
            }
            Item::Rule(r) => {
                self.out.push_str(&format!("rule {} on {}", r.name.name, r.phase.as_str()));
                if !r.targets.is_empty() {
                    self.out.push(' ');
                    self.out.push_str(&r.targets.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join(", "));
                }
                self.out.push_str(" {");
                let members: Vec<(Span, String)> = r.effects.iter().map(|e| (e.span, effect_text(e))).collect();
                self.block(&members, layout);
            }
            Item::Test(t) => {
                self.out.push_str(&format!("test {} {{", quote(&t.name.value)));
                let members: Vec<(Span, String)> = t.statements.iter().map(|s| (TestStmt::span(s), statement_text(s))).collect();
                self.block(&members, layout);
            }
            other => {
                // A one-line item: comments inside it go on the lines before it.
                while let Some(c) = self.comments.get(self.next).filter(|c| c.start < layout.span.end).cloned() {
                    self.out.push_str(&c.text);
                    self.out.push('\n');
                    self.next += 1;
                }
                print_item(&mut self.out, other);
            }
        }
    }

    /// Are there comments between the braces of the item?
    fn comments_inside(&self, layout: &Layout) -> bool {
        let (open, close) = (layout.open.unwrap_or(layout.span.start), layout.close.unwrap_or(layout.span.end));
        self.comments[self.next..].iter().any(|c| c.start >= open && c.start < close)
    }

    /// After `{`: each member on its own line, indented, with the comments before it (and any
    /// inside it) on the lines above and one on its line after it; the comments before `}`;
    /// then `}`.
    fn block(&mut self, members: &[(Span, String)], layout: &Layout) {
        let close = layout.close.unwrap_or(layout.span.end);
        if members.is_empty() && self.comments.get(self.next).is_none_or(|c| c.start >= close) {
            self.out.push('}');
            return;
        }
        self.out.push('\n');
        let mut prev = None;
        for (span, text) in members {
            self.comments_before(&mut prev, span.start, "  ");
            self.gap(prev, span.start);
            while let Some(c) = self.comments.get(self.next).filter(|c| c.start < span.end).cloned() {
                self.out.push_str("  ");
                self.out.push_str(&c.text);
                self.out.push('\n');
                self.next += 1;
            }
            self.out.push_str("  ");
            self.out.push_str(&text.replace('\n', "\n  "));
            // A field's comma comes right after its span.
            let rest = self.source.get(span.end..close.max(span.end)).unwrap_or("");
            let end = match rest.trim_start().strip_prefix(',') {
                Some(_) => span.end + rest.len() - rest.trim_start().len() + 1,
                None => span.end,
            };
            let end = self.trailing(end);
            self.out.push('\n');
            prev = Some(end);
        }
        self.comments_before(&mut prev, close, "  ");
        self.out.push('}');
    }
}

/// Lines longer than this are broken where the layout allows.
const WIDTH: usize = 100;

/// A tool or record on one line: `tool get_balance { account: String }`.
fn one_line(item: &Item) -> String {
    let (keyword, name, fields, result) = match item {
        Item::Tool(t) => ("tool", &t.name.name, &t.params, t.result.as_ref()),
        Item::Record(r) => ("record", &r.name.name, &r.fields, None),
        _ => return String::new(),
    };
    let mut out = format!("{keyword} {name} {{");
    for (i, f) in fields.iter().enumerate() {
        out.push_str(if i == 0 { " " } else { ", " });
        print_field(&mut out, f);
    }
    out.push_str(if fields.is_empty() { "}" } else { " }" });
    if let Some(result) = result {
        out.push_str(" -> ");
        print_type(&mut out, result);
    }
    out
}

/// An effect (relative to its indentation): `when` on the same line when it fits, else on the
/// next; a long `and`/`or` chain one operand a line.
fn effect_text(e: &Effect) -> String {
    let mut head = format!("{} {}", e.kind.as_str(), quote(&e.reason.value));
    for option in &e.options {
        match option {
            EffectOption::Severity(level) => head.push_str(&format!(" severity {}", level.name)),
            EffectOption::Approvers(names, _) => {
                let names: Vec<String> = names.iter().map(|n| quote(&n.value)).collect();
                head.push_str(&format!(" approvers [{}]", names.join(", ")));
            }
        }
    }
    let Some(condition) = &e.condition else { return head };
    let mut text = String::new();
    print_expr(&mut text, condition, 0);
    // Indented by 2 in the rule; `when` lines by 4.
    if 2 + head.len() + 6 + text.len() <= WIDTH {
        return format!("{head} when {text}");
    }
    if 4 + 5 + text.len() <= WIDTH {
        return format!("{head}\n  when {text}");
    }
    format!("{head}\n  when {}", chain(condition, "\n    "))
}

/// A condition broken before each `and` or `or` of its top-level chain (nothing to break:
/// one line).
fn chain(e: &Expr, newline: &str) -> String {
    let op = match &e.kind {
        ExprKind::Binary(op @ (BinOp::And | BinOp::Or), ..) => *op,
        _ => {
            let mut text = String::new();
            print_expr(&mut text, e, 0);
            return text;
        }
    };
    // Left-associative: `((a or b) or c)` is the operands a, b, c.
    let mut operands = Vec::new();
    let mut left = e;
    while let ExprKind::Binary(o, a, b) = &left.kind {
        if *o != op {
            break;
        }
        operands.push(&**b);
        left = a;
    }
    operands.push(left);
    operands.reverse();
    let level = if op == BinOp::Or { 1 } else { 2 };
    let mut out = String::new();
    for (i, operand) in operands.into_iter().enumerate() {
        if i > 0 {
            out.push_str(newline);
            out.push_str(op.as_str());
            out.push(' ');
        }
        print_expr(&mut out, operand, if i == 0 { level } else { level + 1 });
    }
    out
}

/// A test statement (relative to its indentation); a long one with a record broken one field
/// a line.
fn statement_text(s: &TestStmt) -> String {
    let mut text = String::new();
    print_test_stmt(&mut text, s);
    if 2 + text.len() <= WIDTH {
        return text;
    }
    let (head, fields, tail) = match s {
        TestStmt::Evaluate { tool, args, source, .. } => {
            (format!("evaluate {}", tool.name), args, source.as_ref().map(|s| format!(" source {}", s.name)).unwrap_or_default())
        }
        TestStmt::Context(fields, _) => ("context".to_owned(), fields, String::new()),
        TestStmt::MemoryWrite(fields, _) => ("memory_write".to_owned(), fields, String::new()),
        _ => return text,
    };
    let mut out = format!("{head} {{");
    for f in fields {
        out.push_str(&format!("\n  {}: ", f.name.name));
        print_expr(&mut out, &f.value, 0);
        out.push(',');
    }
    out.push_str("\n}");
    out.push_str(&tail);
    out
}
