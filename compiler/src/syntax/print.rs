//! Prints an AST back to source text that parses to the same AST. Parentheses are added only
//! where precedence needs them. The formatter (`format.rs`) builds on it and keeps comments.

use std::fmt::Write as _;

use crate::ast::*;

/// Prints a whole file.
pub fn print_file(file: &File) -> String {
    let mut out = String::new();
    for (i, item) in file.items.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        print_item(&mut out, item);
        out.push('\n');
    }
    out
}

fn comma<T>(out: &mut String, items: &[T], mut each: impl FnMut(&mut String, &T)) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        each(out, item);
    }
}

/// Prints one item (no trailing newline).
pub fn print_item(out: &mut String, item: &Item) {
    match item {
        Item::Policy(name) => {
            let _ = write!(out, "policy {}", name.text());
        }
        Item::Tenant(t) => {
            let _ = write!(out, "tenant {}", quote(&t.value));
        }
        Item::Use(name) => {
            let _ = write!(out, "use {}", name.text());
        }
        Item::Enum(e) => {
            let _ = write!(out, "enum {} {{ ", e.name.name);
            comma(out, &e.variants, |o, v| o.push_str(&v.name));
            out.push_str(" }");
        }
        Item::Record(r) => {
            let _ = write!(out, "record {} {{", r.name.name);
            print_fields(out, &r.fields);
            out.push('}');
        }
        Item::Tool(t) => {
            let _ = write!(out, "tool {} {{", t.name.name);
            print_fields(out, &t.params);
            out.push('}');
            if let Some(result) = &t.result {
                out.push_str(" -> ");
                print_type(out, result);
            }
        }
        Item::Capability(c) => {
            let _ = write!(out, "capability {} {{ ", c.name.name);
            comma(out, &c.tools, |o, t| o.push_str(&t.name));
            out.push_str(" }");
        }
        Item::Grant(g) => {
            out.push_str("grant ");
            comma(out, &g.capabilities, |o, c| o.push_str(&c.name));
            out.push_str(" to ");
            comma(out, &g.principals, |o, p| {
                let kind = if p.kind == PrincipalKind::Role { "role" } else { "agent" };
                let _ = write!(o, "{kind} {}", quote(&p.name.value));
            });
            if let Some(c) = &g.condition {
                out.push_str(" when ");
                print_expr(out, c, 0);
            }
        }
        Item::Const(c) => {
            let _ = write!(out, "const {}: ", c.name.name);
            print_type(out, &c.ty);
            out.push_str(" = ");
            print_expr(out, &c.value, 0);
        }
        Item::Rule(r) => {
            let _ = write!(out, "rule {} on {}", r.name.name, r.phase.as_str());
            if !r.targets.is_empty() {
                out.push(' ');
                comma(out, &r.targets, |o, t| o.push_str(&t.name));
            }
            out.push_str(" {\n");
            for e in &r.effects {
                print_effect(out, e);
            }
            out.push('}');
        }
        Item::Test(t) => {
            let _ = writeln!(out, "test {} {{", quote(&t.name.value));
            for s in &t.statements {
                out.push_str("  ");
                print_test_stmt(out, s);
                out.push('\n');
            }
            out.push('}');
        }
        Item::Function(f) => {
            let _ = write!(out, "native fn {}(", f.name.name);
            comma(out, &f.params, |o, p| {
                let _ = write!(o, "{}: ", p.name.name);
                print_type(o, &p.ty);
            });
            out.push_str(") -> ");
            print_type(out, &f.result);
        }
        Item::Error(_) => out.push_str("// (item with syntax errors)"),
    }
}

fn print_fields(out: &mut String, fields: &[FieldDecl]) {
    if fields.is_empty() {
        return;
    }
    out.push('\n');
    for f in fields {
        out.push_str("  ");
        print_field(out, f);
        out.push_str(",\n");
    }
}

/// One field or parameter, `sensitive name: T = default` (no indentation, no comma).
pub fn print_field(out: &mut String, f: &FieldDecl) {
    if let Some(m) = &f.modifier {
        let _ = write!(out, "{} ", m.name);
    }
    let _ = write!(out, "{}: ", f.name.name);
    print_type(out, &f.ty);
    if let Some(d) = &f.default {
        out.push_str(" = ");
        print_expr(out, d, 0);
    }
}

/// One effect of a rule, indented, with its `when` line, ending in a newline.
pub fn print_effect(out: &mut String, e: &Effect) {
    let _ = write!(out, "  {} {}", e.kind.as_str(), quote(&e.reason.value));
    for option in &e.options {
        match option {
            EffectOption::Severity(level) => {
                let _ = write!(out, " severity {}", level.name);
            }
            EffectOption::Approvers(names, _) => {
                out.push_str(" approvers [");
                comma(out, names, |o, n| o.push_str(&quote(&n.value)));
                out.push(']');
            }
        }
    }
    if let Some(c) = &e.condition {
        out.push_str("\n    when ");
        print_expr(out, c, 0);
    }
    out.push('\n');
}

/// Prints a type expression.
pub fn print_type(out: &mut String, ty: &TypeExpr) {
    match ty {
        TypeExpr::Named { name, args, .. } => {
            out.push_str(&name.name);
            if !args.is_empty() {
                out.push('<');
                comma(out, args, print_type);
                out.push('>');
            }
        }
        TypeExpr::Optional(inner, _) => {
            print_type(out, inner);
            out.push('?');
        }
    }
}

fn print_inits(out: &mut String, fields: &[FieldInit]) {
    out.push_str("{ ");
    comma(out, fields, |o, f| {
        let _ = write!(o, "{}: ", f.name.name);
        print_expr(o, &f.value, 0);
    });
    out.push_str(" }");
}

/// One statement of a test block (no indentation, no newline).
pub fn print_test_stmt(out: &mut String, s: &TestStmt) {
    match s {
        TestStmt::Tenant(t, _) => {
            let _ = write!(out, "tenant {}", quote(&t.value));
        }
        TestStmt::Agent { id, roles, .. } => {
            let _ = write!(out, "agent {}", quote(&id.value));
            if !roles.is_empty() {
                out.push_str(" roles [");
                comma(out, roles, |o, r| o.push_str(&quote(&r.value)));
                out.push(']');
            }
        }
        TestStmt::Session { tainted, labels, .. } => {
            out.push_str("session");
            if *tainted {
                out.push_str(" tainted");
            }
            if !labels.is_empty() {
                out.push_str(" labels [");
                comma(out, labels, |o, l| o.push_str(&quote(&l.value)));
                out.push(']');
            }
        }
        TestStmt::Provenance(entries, _) => {
            out.push_str("provenance { ");
            comma(out, entries, |o, (f, p)| {
                let _ = write!(o, "{}: {}", f.name, p.name);
            });
            out.push_str(" }");
        }
        TestStmt::Evaluate { tool, args, source, .. } => {
            let _ = write!(out, "evaluate {} ", tool.name);
            print_inits(out, args);
            if let Some(s) = source {
                let _ = write!(out, " source {}", s.name);
            }
        }
        TestStmt::Input(text, _) => {
            let _ = write!(out, "input {}", quote(&text.value));
        }
        TestStmt::Context(fields, _) => {
            out.push_str("context ");
            print_inits(out, fields);
        }
        TestStmt::MemoryWrite(fields, _) => {
            out.push_str("memory_write ");
            print_inits(out, fields);
        }
        TestStmt::Plan(steps, _) => {
            out.push_str("plan [");
            comma(out, steps, |o, step| {
                let _ = write!(o, "{} ", step.tool.name);
                print_inits(o, &step.args);
            });
            out.push(']');
        }
        TestStmt::Expect(e, _) => {
            let _ = write!(out, "expect {}", e.outcome.as_str());
            if let Some(r) = &e.reason {
                let _ = write!(out, " {}", quote(&r.value));
            }
        }
    }
}

/// A string literal with the escapes the lexer understands.
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Binding strength: 0 `if`, 1 `or`, 2 `and`, 3 `not`, 4 comparisons, 5 `+ -`, 6 `*`,
/// 7 unary minus, 8 postfix and atoms.
fn level(e: &Expr) -> u8 {
    match &e.kind {
        ExprKind::If(..) | ExprKind::Lambda(..) => 0,
        ExprKind::Binary(BinOp::Or, ..) => 1,
        ExprKind::Binary(BinOp::And, ..) => 2,
        ExprKind::Unary(UnOp::Not, _) => 3,
        ExprKind::Binary(BinOp::Add | BinOp::Sub, ..) => 5,
        ExprKind::Binary(BinOp::Mul, ..) => 6,
        ExprKind::Binary(..) => 4,
        ExprKind::Unary(UnOp::Neg, _) => 7,
        _ => 8,
    }
}

/// Prints an expression that must bind at least as tightly as `min`.
pub fn print_expr(out: &mut String, e: &Expr, min: u8) {
    if level(e) < min {
        out.push('(');
        print_expr(out, e, 0);
        out.push(')');
        return;
    }
    match &e.kind {
        ExprKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        ExprKind::Int(i) => {
            let _ = write!(out, "{i}");
        }
        ExprKind::Decimal(d) => {
            let _ = write!(out, "{d}");
        }
        ExprKind::Str(s) => out.push_str(&quote(s)),
        ExprKind::Regex(r) => {
            let _ = write!(out, "r\"{r}\"");
        }
        ExprKind::Duration(ms) => {
            let _ = write!(out, "{ms}ms");
        }
        ExprKind::List(items) => {
            out.push('[');
            comma(out, items, |o, x| print_expr(o, x, 0));
            out.push(']');
        }
        ExprKind::Set(items) => {
            out.push('{');
            comma(out, items, |o, x| print_expr(o, x, 0));
            out.push('}');
        }
        ExprKind::Record(fields) => print_inits(out, fields),
        ExprKind::Name(n) => out.push_str(&n.name),
        ExprKind::Field(base, f) => {
            print_expr(out, base, 8);
            let _ = write!(out, ".{}", f.name);
        }
        ExprKind::Call(callee, args) => {
            print_expr(out, callee, 8);
            out.push('(');
            comma(out, args, |o, a| match &a.kind {
                ExprKind::Lambda(p, body) => {
                    let _ = write!(o, "{} => ", p.name);
                    print_expr(o, body, 0);
                }
                _ => print_expr(o, a, 0),
            });
            out.push(')');
        }
        ExprKind::Lambda(p, body) => {
            let _ = write!(out, "{} => ", p.name);
            print_expr(out, body, 0);
        }
        ExprKind::Unary(UnOp::Not, x) => {
            out.push_str("not ");
            print_expr(out, x, 3);
        }
        ExprKind::Unary(UnOp::Neg, x) => {
            out.push('-');
            print_expr(out, x, 7);
        }
        ExprKind::Binary(op, a, b) => {
            let l = level(e);
            let (left_min, right_min) = if l == 4 { (5, 5) } else { (l, l + 1) };
            print_expr(out, a, left_min);
            let _ = write!(out, " {} ", op.as_str());
            print_expr(out, b, right_min);
        }
        ExprKind::If(c, a, b) => {
            out.push_str("if ");
            print_expr(out, c, 0);
            out.push_str(" then ");
            print_expr(out, a, 0);
            out.push_str(" else ");
            print_expr(out, b, 0);
        }
    }
}
