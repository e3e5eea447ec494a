//! `test` blocks: one request and one expectation each, with request values type-checked
//! against the tool's schema and folded to constants.

use super::expr::Ctx;
use super::program::{ModuleId, Test, TestRequest, ToolId};
use super::scope::Symbol;
use super::types::{Ty, PROVENANCES};
use super::value::Value;
use super::Checker;
use crate::ast::{self, FieldInit, Item, TestStmt};
use crate::diagnostic::{did_you_mean, Code, Diagnostic};
use crate::span::Span;

impl Checker<'_> {
    pub(super) fn check_tests(&mut self) {
        for m in 0..self.program.modules.len() {
            let module = ModuleId(m as u32);
            let file = self.module_items[m].file;
            let tests: Vec<ast::TestDecl> =
                self.asts[file].items.iter().filter_map(|i| if let Item::Test(t) = i { Some(t.clone()) } else { None }).collect();
            for t in tests {
                if let Some(test) = self.check_test(module, &t) {
                    self.program.tests.push(test);
                }
            }
        }
    }

    fn check_test(&mut self, module: ModuleId, t: &ast::TestDecl) -> Option<Test> {
        let mut seen: Vec<(&'static str, Span)> = Vec::new();
        let mut test = Test {
            name: t.name.value.clone(),
            module,
            tenant: self.program.module(module).tenant.clone(),
            agent: String::new(),
            roles: Vec::new(),
            tainted: false,
            labels: Vec::new(),
            request: TestRequest::Input { text: String::new() },
            expect: ast::Outcome::Allow,
            reason: None,
            span: t.name.span,
        };
        let mut request: Option<TestRequest> = None;
        let mut expect = false;
        let mut provenance: Vec<(String, String)> = Vec::new();
        let mut ok = true;
        for stmt in &t.statements {
            let kind = match stmt {
                TestStmt::Evaluate { .. }
                | TestStmt::Input(..)
                | TestStmt::Context(..)
                | TestStmt::MemoryWrite(..)
                | TestStmt::Plan(..) => "request",
                TestStmt::Tenant(..) => "tenant",
                TestStmt::Agent { .. } => "agent",
                TestStmt::Session { .. } => "session",
                TestStmt::Provenance(..) => "provenance",
                TestStmt::Expect(..) => "expect",
            };
            if let Some((_, first)) = seen.iter().find(|(k, _)| *k == kind) {
                let (code, message) = if kind == "request" {
                    (Code::TestRequest, "a test describes exactly one request".to_owned())
                } else {
                    (Code::DuplicateStatement, format!("`{kind}` is given twice in this test"))
                };
                let file = self.file_id(module);
                self.report(module, Diagnostic::error(code, stmt.span(), message).with_secondary(file, *first, "first given here"));
                ok = false;
                continue;
            }
            seen.push((kind, stmt.span()));
            match stmt {
                TestStmt::Tenant(name, span) => {
                    if let Some(mine) = &test.tenant {
                        if *mine != name.value {
                            self.report(
                                module,
                                Diagnostic::error(
                                    Code::TestRequest,
                                    *span,
                                    format!("this file belongs to tenant `{mine}`, not `{}`", name.value),
                                ),
                            );
                            ok = false;
                        }
                    }
                    test.tenant = Some(name.value.clone());
                }
                TestStmt::Agent { id, roles, .. } => {
                    test.agent = id.value.clone();
                    test.roles = roles.iter().map(|r| r.value.clone()).collect();
                }
                TestStmt::Session { tainted, labels, .. } => {
                    test.tainted = *tainted;
                    test.labels = labels.iter().map(|l| l.value.clone()).collect();
                }
                TestStmt::Provenance(entries, _) => {
                    for (field, source) in entries {
                        if let Some(p) = self.provenance_name(module, source) {
                            provenance.push((field.name.clone(), p));
                        }
                    }
                }
                TestStmt::Evaluate { tool, args, source, span } => {
                    let source = source.as_ref().and_then(|s| self.provenance_name(module, s)).unwrap_or_else(|| "unknown".to_owned());
                    request = self.test_call(module, tool, args, *span).map(|(tool, args)| TestRequest::Evaluate {
                        tool,
                        args,
                        provenance: Vec::new(),
                        source,
                    });
                    ok &= request.is_some();
                }
                TestStmt::Input(text, _) => request = Some(TestRequest::Input { text: text.value.clone() }),
                TestStmt::Context(fields, span) => {
                    let fields = self.test_item(module, fields, *span);
                    request = Some(TestRequest::Context { fields });
                }
                TestStmt::MemoryWrite(fields, span) => {
                    let fields = self.test_item(module, fields, *span);
                    request = Some(TestRequest::MemoryWrite { fields });
                }
                TestStmt::Plan(steps, _) => {
                    let mut out = Vec::new();
                    for step in steps {
                        match self.test_call(module, &step.tool, &step.args, step.span) {
                            Some(s) => out.push(s),
                            None => ok = false,
                        }
                    }
                    request = Some(TestRequest::Plan { steps: out });
                }
                TestStmt::Expect(e, _) => {
                    expect = true;
                    test.expect = e.outcome;
                    test.reason = e.reason.as_ref().map(|r| r.value.clone());
                }
            }
        }
        if !expect {
            self.report(
                module,
                Diagnostic::error(Code::TestWithoutExpect, t.name.span, format!("test `{}` has no `expect`", t.name.value))
                    .with_help("end the test with `expect allow`, `expect block \"reason\"`, …"),
            );
            ok = false;
        }
        let Some(mut request) = request else {
            if seen.iter().all(|(k, _)| *k != "request") {
                self.report(
                    module,
                    Diagnostic::error(Code::TestRequest, t.name.span, format!("test `{}` describes no request", t.name.value)).with_help(
                        "add one of `evaluate tool { … }`, `input \"…\"`, `context { … }`, `memory_write { … }` or `plan [ … ]`",
                    ),
                );
            }
            return None;
        };
        if let TestRequest::Evaluate { provenance: p, .. } = &mut request {
            *p = provenance;
        }
        test.request = request;
        ok.then_some(test)
    }

    fn provenance_name(&mut self, module: ModuleId, name: &ast::Ident) -> Option<String> {
        if PROVENANCES.contains(&name.name.as_str()) {
            return Some(name.name.clone());
        }
        let mut diag = Diagnostic::error(Code::UnknownProvenance, name.span, format!("unknown provenance `{}`", name.name));
        diag = match did_you_mean(&name.name, PROVENANCES) {
            Some(s) => diag.with_help(format!("did you mean `{s}`?")),
            None => diag.with_help(format!("the provenances are {}", PROVENANCES.map(|p| format!("`{p}`")).join(", "))),
        };
        self.report(module, diag);
        None
    }

    /// A tool call in a test: the tool and its folded arguments.
    fn test_call(&mut self, module: ModuleId, tool: &ast::Ident, args: &[FieldInit], span: Span) -> Option<(ToolId, Vec<(String, Value)>)> {
        let id = match self.lookup(module, &tool.name, tool.span) {
            Some(Symbol::Tool(t)) => t,
            _ => {
                let tools = self.scopes[module.0 as usize].names_where(|s| matches!(s, Symbol::Tool(_)));
                let mut diag = Diagnostic::error(Code::UnknownTool, tool.span, format!("unknown tool `{}`", tool.name));
                if let Some(s) = did_you_mean(&tool.name, tools) {
                    diag = diag.with_help(format!("did you mean `{s}`?"));
                }
                self.report(module, diag);
                return None;
            }
        };
        let record = self.program.tool(id).args;
        let values = self.folded_inits(module, record, args, span, Code::UnknownArgument)?;
        Some((id, values))
    }

    fn test_item(&mut self, module: ModuleId, fields: &[FieldInit], span: Span) -> Vec<(String, Value)> {
        let record = self.builtin.item.unwrap_or(super::types::RecordId(0));
        self.folded_inits(module, record, fields, span, Code::UnknownField).unwrap_or_default()
    }

    fn folded_inits(
        &mut self,
        module: ModuleId,
        record: super::types::RecordId,
        fields: &[FieldInit],
        span: Span,
        unknown: Code,
    ) -> Option<Vec<(String, Value)>> {
        let mut ctx = Ctx::constant(module);
        let typed = self.check_field_inits(&mut ctx, record, fields, span, unknown);
        let mut out = Vec::new();
        let mut ok = true;
        for (index, expr) in typed {
            let name = self.program.record(record).fields[index].name.clone();
            if expr.ty == Ty::Error {
                ok = false;
                continue;
            }
            match self.fold_constant(module, &expr) {
                Some(v) => out.push((name, v)),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }
}
