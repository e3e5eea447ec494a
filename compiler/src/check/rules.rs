//! Constants, tool defaults, capabilities, grants and rules: the declarations whose bodies are
//! expressions or name other declarations.

use std::collections::BTreeSet;

use super::expr::Ctx;
use super::program::{Condition, Effect, Field, Grant, ModuleId, RecordOrigin, Rule, TExpr, ToolId};
use super::scope::Symbol;
use super::types::{RecordId, Ty, SEVERITIES};
use super::value::{fold, Value};
use super::{Checker, ConstState};
use crate::ast::{self, EffectKind, EffectOption, Item, Phase};
use crate::diagnostic::{did_you_mean, Code, Diagnostic};
use crate::span::Span;

impl<'a> Checker<'a> {
    fn items_of(&self, module: ModuleId) -> &'a [Item] {
        let asts: &'a [ast::File] = self.asts;
        &asts[self.module_items[module.0 as usize].file].items
    }

    /// The declaration of `module` whose name sits at `span` (declarations are found by the
    /// position of their name, which is unique in a file).
    fn decl_at<T>(&self, module: ModuleId, span: Span, pick: impl Fn(&'a Item) -> Option<&'a T>) -> Option<&'a T> {
        let index = self.decl_index.get(&(module, span.start))?;
        pick(&self.items_of(module)[*index])
    }

    pub(super) fn check_consts(&mut self) {
        for id in 0..self.program.consts.len() {
            self.ensure_const(super::program::ConstId(id as u32));
        }
    }

    /// Checks a constant (and, first, the constants it uses), folding its value.
    pub(super) fn ensure_const(&mut self, id: super::program::ConstId) {
        let index = id.0 as usize;
        match self.const_state[index] {
            ConstState::Done => return,
            ConstState::InProgress => {
                let (module, span, name) = {
                    let c = &self.program.consts[index];
                    (c.module, c.span, c.name.clone())
                };
                self.report(
                    module,
                    Diagnostic::error(Code::NotConstant, span, format!("constant `{name}` is defined in terms of itself"))
                        .with_help("a constant's value cannot depend on the constant itself, directly or through others"),
                );
                self.const_state[index] = ConstState::Cyclic;
                return;
            }
            ConstState::Cyclic => return,
            ConstState::Pending => {}
        }
        self.const_state[index] = ConstState::InProgress;
        let module = self.program.consts[index].module;
        let span = self.program.consts[index].span;
        let decl = self.decl_at(module, span, |item| match item {
            Item::Const(c) => Some(c),
            _ => None,
        });
        let Some(decl) = decl else {
            self.const_state[index] = ConstState::Done;
            return;
        };
        let ty = self.resolve_type(module, &decl.ty);
        self.program.consts[index].ty = ty.clone();
        let mut ctx = Ctx::constant(module);
        let typed = self.expect_type(&mut ctx, &decl.value, &ty);
        self.program.consts[index].value = self.fold_constant(module, &typed);
        self.const_state[index] = ConstState::Done;
    }

    /// Folds a value that must be known at compile time, reporting it when it is not.
    pub(super) fn fold_constant(&mut self, module: ModuleId, typed: &TExpr) -> Option<Value> {
        // A value with an error inside has been reported already.
        if typed.ty.is_error() || typed.has_error(&self.program.consts) {
            return None;
        }
        let value = fold(typed, &self.program.consts);
        if value.is_none() {
            self.report(
                module,
                Diagnostic::error(Code::NotConstant, typed.span, "this value must be known when the policy compiles")
                    .with_help("use literals, constants and operators on them; overflowing arithmetic is not constant either"),
            );
        }
        value
    }

    pub(super) fn check_tool_defaults(&mut self) {
        for t in 0..self.program.tools.len() {
            let module = self.program.tools[t].module;
            let span = self.program.tools[t].span;
            let decl = self.decl_at(module, span, |item| match item {
                Item::Tool(d) => Some(d),
                _ => None,
            });
            let Some(decl) = decl else { continue };
            for param in &decl.params {
                let Some(default) = &param.default else {
                    continue;
                };
                let Some(pos) = self.program.tools[t].params.iter().position(|p| p.span.same_range(param.name.span)) else {
                    continue;
                };
                let ty = self.program.tools[t].params[pos].ty.clone();
                let value = self.default_value(module, default, &ty);
                self.program.tools[t].params[pos].default = value.clone();
                let args = self.program.tools[t].args;
                self.program.records[args.0 as usize].fields[pos].default = value;
            }
        }
    }

    /// Checks the defaults of declared records' fields (`record Item { price: Decimal = 10 }`)
    /// and stores their values, which decoding gives a field a request leaves out.
    pub(super) fn check_record_defaults(&mut self) {
        for r in 0..self.program.records.len() {
            let RecordOrigin::Declared(module) = self.program.records[r].origin else { continue };
            let span = self.program.records[r].span;
            let decl = self.decl_at(module, span, |item| match item {
                Item::Record(d) => Some(d),
                _ => None,
            });
            let Some(decl) = decl else { continue };
            for field in &decl.fields {
                let Some(default) = &field.default else { continue };
                let Some(pos) = self.program.records[r].fields.iter().position(|f| f.span.same_range(field.name.span)) else {
                    continue;
                };
                let ty = self.program.records[r].fields[pos].ty.clone();
                self.program.records[r].fields[pos].default = self.default_value(module, default, &ty);
            }
        }
    }

    /// A field's default, checked against the field's type `ty` and folded; `None` (after a
    /// diagnostic) when it is not a constant of that type.
    fn default_value(&mut self, module: ModuleId, default: &ast::Expr, ty: &Ty) -> Option<Value> {
        let mut ctx = Ctx::constant(module);
        let typed = self.expect_type(&mut ctx, default, ty);
        match (self.fold_constant(module, &typed), ty.unwrap_optional()) {
            // An `Int` where a `Decimal` is wanted (`= 2 * 50`, an `Int` constant) is stored as
            // the decimal it stands for, as decoded arguments are.
            (Some(Value::Int(i)), Ty::Decimal) => match crate::decimal::Decimal::from_int(i) {
                Some(d) => Some(Value::Decimal(d)),
                None => {
                    self.report(
                        module,
                        Diagnostic::error(Code::NumberOutOfRange, typed.span, format!("`{i}` is too large for a `Decimal`")),
                    );
                    None
                }
            },
            (value, _) => value,
        }
    }

    pub(super) fn check_capabilities(&mut self) {
        for c in 0..self.program.capabilities.len() {
            let module = self.program.capabilities[c].module;
            let span = self.program.capabilities[c].span;
            let decl = self.decl_at(module, span, |item| match item {
                Item::Capability(d) => Some(d),
                _ => None,
            });
            let Some(decl) = decl else { continue };
            let mut tools = Vec::new();
            for name in &decl.tools {
                if let Some(t) = self.resolve_tool(module, name, false) {
                    if !tools.contains(&t) {
                        tools.push(t);
                    }
                }
            }
            if decl.tools.is_empty() {
                self.report(
                    module,
                    Diagnostic::error(Code::EmptyCapability, decl.name.span, format!("capability `{}` contains no tools", decl.name.name))
                        .with_help("list the tools it grants: `capability name { tool_a, tool_b }`"),
                );
            }
            self.program.capabilities[c].tools = tools;
        }
    }

    /// Resolves a tool name (or, with `allow_capability`, a capability) for a capability list.
    fn resolve_tool(&mut self, module: ModuleId, name: &ast::Ident, allow_capability: bool) -> Option<ToolId> {
        match self.lookup(module, &name.name, name.span) {
            Some(Symbol::Tool(t)) => return Some(t),
            Some(other) if !(allow_capability && matches!(other, Symbol::Capability(_))) => {
                self.report(
                    module,
                    Diagnostic::error(Code::UnknownTool, name.span, format!("`{}` is a {}, not a tool", name.name, other.kind())),
                );
                return None;
            }
            Some(_) => return None,
            None => {}
        }
        let tools = self.scopes[module.0 as usize].names_where(|s| matches!(s, Symbol::Tool(_)));
        let suggestion = did_you_mean(&name.name, tools).map(str::to_owned);
        let mut diag = Diagnostic::error(Code::UnknownTool, name.span, format!("unknown tool `{}`", name.name));
        diag = match suggestion {
            Some(s) => diag.with_help(format!("did you mean `{s}`?")),
            None => diag.with_help("declare it with `tool name { … }` or `use` the module that declares it"),
        };
        self.report(module, diag);
        None
    }

    fn resolve_capability(&mut self, module: ModuleId, name: &ast::Ident) -> Option<super::program::CapabilityId> {
        match self.lookup(module, &name.name, name.span) {
            Some(Symbol::Capability(c)) => return Some(c),
            Some(other) => {
                self.report(
                    module,
                    Diagnostic::error(
                        Code::UnknownCapability,
                        name.span,
                        format!("`{}` is a {}, not a capability", name.name, other.kind()),
                    ),
                );
                return None;
            }
            None => {}
        }
        let caps = self.scopes[module.0 as usize].names_where(|s| matches!(s, Symbol::Capability(_)));
        let suggestion = did_you_mean(&name.name, caps).map(str::to_owned);
        let mut diag = Diagnostic::error(Code::UnknownCapability, name.span, format!("unknown capability `{}`", name.name));
        diag = match suggestion {
            Some(s) => diag.with_help(format!("did you mean `{s}`?")),
            None => diag.with_help("declare it with `capability name { tool, … }`"),
        };
        self.report(module, diag);
        None
    }

    pub(super) fn check_grants(&mut self) {
        for m in 0..self.program.modules.len() {
            let module = ModuleId(m as u32);
            let grants = self.items_of(module).iter().filter_map(|i| match i {
                Item::Grant(g) => Some(g),
                _ => None,
            });
            for g in grants {
                let capabilities: Vec<_> = g.capabilities.iter().filter_map(|c| self.resolve_capability(module, c)).collect();
                let condition = g.condition.as_ref().map(|e| {
                    let mut ctx = Ctx { module, phase: None, constant: false, args: None, plan: None, locals: Vec::new() };
                    let expr = self.expect_bool(&mut ctx, e);
                    Condition { expr, source: self.source_text(module, e.span) }
                });
                let index = self.program.grants.len();
                for c in &capabilities {
                    for t in self.program.capabilities[c.0 as usize].tools.clone() {
                        self.tool_grants.entry(t).or_insert(index);
                    }
                }
                let principals = g.principals.iter().map(|p| (p.kind, p.name.value.clone())).collect();
                self.program.grants.push(Grant { module, capabilities, principals, condition, span: g.span });
            }
        }
    }

    pub(super) fn check_rules(&mut self) {
        for m in 0..self.program.modules.len() {
            let module = ModuleId(m as u32);
            let rules = self.items_of(module).iter().filter_map(|i| match i {
                Item::Rule(r) => Some(r),
                _ => None,
            });
            for r in rules {
                let rule = self.check_rule(module, r);
                self.program.rules.push(rule);
            }
        }
    }

    fn check_rule(&mut self, module: ModuleId, r: &ast::RuleDecl) -> Rule {
        let mut ctx = Ctx { module, phase: Some(r.phase), constant: false, args: None, plan: None, locals: Vec::new() };
        let mut tools: Option<Vec<ToolId>> = None;
        if r.phase == Phase::Evaluate {
            let mut unresolved = false;
            if !r.targets.is_empty() {
                let mut set = BTreeSet::new();
                for target in &r.targets {
                    match self.lookup(module, &target.name, target.span) {
                        Some(Symbol::Capability(c)) => set.extend(self.program.capabilities[c.0 as usize].tools.iter().copied()),
                        _ => match self.resolve_tool_or_capability(module, target) {
                            Some(t) => {
                                set.insert(t);
                            }
                            None => unresolved = true,
                        },
                    }
                }
                tools = Some(set.into_iter().collect());
            }
            // With a target that did not resolve, `args` has an unknown type rather than a
            // misleading one, so the target's error is the only one.
            if !unresolved {
                let covered = tools.clone().unwrap_or_else(|| self.tools_in_reach(module));
                let record = self.args_record(&covered);
                ctx.args = Some((record, covered));
            }
        } else if let Some(first) = r.targets.first() {
            let span = first.span.to(r.targets.last().map_or(first.span, |l| l.span));
            self.report(
                module,
                Diagnostic::error(Code::TargetInPhase, span, format!("`{}` rules do not name tools", r.phase.as_str()))
                    .with_help("only `evaluate` rules target tools or capabilities; remove the names"),
            );
        }
        if r.phase == Phase::Plan {
            ctx.plan = Some(self.plan_record(module));
        }
        let tools = match (&ctx.args, tools) {
            (Some((_, covered)), _) => covered.clone(),
            (None, resolved) => resolved.unwrap_or_default(),
        };
        let effects = r.effects.iter().map(|e| self.check_effect(&mut ctx, r.phase, e)).collect();
        let id = format!("{}.{}", self.program.module(module).name, r.name.name);
        Rule { id, module, phase: r.phase, tools, effects, span: r.name.span }
    }

    /// A rule target: a tool; capabilities were handled by the caller.
    fn resolve_tool_or_capability(&mut self, module: ModuleId, name: &ast::Ident) -> Option<ToolId> {
        if self.scopes[module.0 as usize].lookup(&name.name).is_found() {
            return self.resolve_tool(module, name, true);
        }
        let names = self.scopes[module.0 as usize].names_where(|s| matches!(s, Symbol::Tool(_) | Symbol::Capability(_)));
        let suggestion = did_you_mean(&name.name, names).map(str::to_owned);
        let mut diag = Diagnostic::error(Code::UnknownTool, name.span, format!("unknown tool or capability `{}`", name.name));
        if let Some(s) = suggestion {
            diag = diag.with_help(format!("did you mean `{s}`?"));
        }
        self.report(module, diag);
        None
    }

    fn check_effect(&mut self, ctx: &mut Ctx, phase: Phase, e: &ast::Effect) -> Effect {
        let module = ctx.module;
        if e.kind == EffectKind::Sanitize && matches!(phase, Phase::Evaluate | Phase::Plan) {
            self.report(
                module,
                Diagnostic::error(Code::EffectInPhase, e.kind_span, format!("`sanitize` is not available in `{}` rules", phase.as_str()))
                    .with_help(
                        "sanitize rewrites text: use it in `input`, `context` or `memory_write` rules; block or require approval for calls",
                    ),
            );
        }
        let mut severity: Option<String> = None;
        let mut approvers: Option<Vec<String>> = None;
        for option in &e.options {
            match option {
                EffectOption::Severity(level) => {
                    if severity.is_some() {
                        self.report(module, Diagnostic::error(Code::DuplicateOption, level.span, "`severity` is given twice"));
                    }
                    if SEVERITIES.contains(&level.name.as_str()) {
                        severity = Some(level.name.clone());
                    } else {
                        let mut diag = Diagnostic::error(Code::UnknownSeverity, level.span, format!("unknown severity `{}`", level.name));
                        diag = match did_you_mean(&level.name, SEVERITIES) {
                            Some(s) => diag.with_help(format!("did you mean `{s}`?")),
                            None => diag.with_help("the severities are `low`, `medium`, `high` and `critical`"),
                        };
                        self.report(module, diag);
                    }
                }
                EffectOption::Approvers(names, span) => {
                    if e.kind != EffectKind::RequireApproval {
                        self.report(
                            module,
                            Diagnostic::error(
                                Code::ApproversMisplaced,
                                *span,
                                format!("`approvers` only applies to `require_approval`, not `{}`", e.kind.as_str()),
                            ),
                        );
                    }
                    if approvers.is_some() {
                        self.report(module, Diagnostic::error(Code::DuplicateOption, *span, "`approvers` is given twice"));
                    }
                    approvers = Some(names.iter().map(|n| n.value.clone()).collect());
                }
            }
        }
        let condition = e.condition.as_ref().map(|c| {
            let expr = self.expect_bool(ctx, c);
            Condition { expr, source: self.source_text(module, c.span) }
        });
        Effect {
            kind: e.kind,
            reason: e.reason.value.clone(),
            severity: severity.unwrap_or_else(|| "medium".to_owned()),
            approvers: approvers.unwrap_or_default(),
            condition,
            span: e.span,
        }
    }

    /// The `args` record of a set of tools: one tool's own arguments, or the fields all of
    /// them share with one type.
    pub(super) fn args_record(&mut self, tools: &[ToolId]) -> RecordId {
        if let [one] = tools {
            return self.program.tool(*one).args;
        }
        if let Some(r) = self.args_records.get(tools) {
            return *r;
        }
        let mut shared: Vec<Field> = match tools.first() {
            Some(t) => self.program.tool(*t).params.iter().map(|p| Field { default: None, ..p.clone() }).collect(),
            None => Vec::new(),
        };
        for t in tools.iter().skip(1) {
            let params = &self.program.tool(*t).params;
            shared.retain(|f| params.iter().any(|p| p.name == f.name && p.ty == f.ty));
        }
        let record = self.add_record("shared arguments", shared, RecordOrigin::Args);
        self.args_records.insert(tools.to_vec(), record);
        record
    }

    /// The `plan` record of a module: `steps: List<Step>`, where a step's `args` are the
    /// fields shared by every tool the module sees.
    fn plan_record(&mut self, module: ModuleId) -> RecordId {
        if let Some((_, plan)) = self.step_records.get(&module) {
            return *plan;
        }
        let tools = self.tools_visible_to(module);
        let args = self.args_record(&tools);
        let f = |name: &str, ty: Ty| Field { name: name.to_owned(), ty, default: None, span: Span::default(), sensitive: false };
        let step =
            self.add_record("Step", vec![f("tool", Ty::Tool), f("tainted", Ty::Bool), f("args", Ty::Record(args))], RecordOrigin::Builtin);
        let plan = self.add_record("Plan", vec![f("steps", Ty::List(Box::new(Ty::Record(step))))], RecordOrigin::Builtin);
        self.step_records.insert(module, (step, plan));
        plan
    }
}

trait Found {
    fn is_found(&self) -> bool;
}

impl Found for super::scope::Lookup {
    fn is_found(&self) -> bool {
        !matches!(self, super::scope::Lookup::Missing)
    }
}
