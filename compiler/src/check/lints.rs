//! Lints: warnings about policies that check but are probably not what was meant.

use std::collections::{BTreeSet, HashMap};
use std::hash::{Hash, Hasher};

use super::program::{ModuleId, ToolId};
use super::value::{fold, never_true, Value};
use super::Checker;
use crate::ast::Item;
use crate::diagnostic::{Code, Diagnostic};

impl Checker<'_> {
    pub(super) fn run_lints(&mut self) {
        self.lint_reachability();
        self.lint_rules();
        self.lint_unused();
    }

    /// Is this declaration the one its name stands for (not a reported duplicate)?
    fn declared(&self, module: ModuleId, name: &str, span: crate::span::Span) -> bool {
        self.scopes[module.0 as usize].own.get(name).is_some_and(|d| d.span.same_range(span))
    }

    fn user_module(&self, module: ModuleId) -> bool {
        !self.program.module(module).is_stdlib
    }

    fn lint_reachability(&mut self) {
        let mut granted = BTreeSet::new();
        for g in &self.program.grants {
            granted.extend(g.capabilities.iter().copied());
        }
        for (i, c) in self.program.capabilities.clone().iter().enumerate() {
            if !granted.contains(&super::program::CapabilityId(i as u32))
                && self.user_module(c.module)
                && self.declared(c.module, &c.name, c.span)
            {
                self.report(
                    c.module,
                    Diagnostic::new(Code::UngrantedCapability, c.span, format!("capability `{}` is never granted", c.name))
                        .with_help(format!("grant it with `grant {} to role \"…\"`, or remove it", c.name)),
                );
            }
        }
        for (i, t) in self.program.tools.clone().iter().enumerate() {
            if !self.tool_grants.contains_key(&ToolId(i as u32)) && self.user_module(t.module) && self.declared(t.module, &t.name, t.span) {
                self.report(
                    t.module,
                    Diagnostic::new(
                        Code::UnreachableTool,
                        t.span,
                        format!("no grant reaches tool `{}`, so every call to it is denied", t.name),
                    )
                    .with_help("add it to a granted capability, or remove it"),
                );
            }
        }
    }

    fn lint_rules(&mut self) {
        let asts: &[crate::ast::File] = self.asts;
        let mut by_name: HashMap<&str, usize> = HashMap::new();
        let mut by_shape: HashMap<u64, Vec<usize>> = HashMap::new();
        let mut rule_asts = Vec::new();
        for m in 0..self.program.modules.len() {
            for item in &asts[self.module_items[m].file].items {
                if let Item::Rule(r) = item {
                    rule_asts.push(r);
                }
            }
        }
        let mut found: Vec<(ModuleId, Diagnostic)> = Vec::new();
        let rules = &self.program.rules;
        let file_of = |m: ModuleId| self.program.module(m).file;
        for (i, rule) in rules.iter().enumerate() {
            let module = rule.module;
            if let Some(&first) = by_name.get(rule.id.as_str()) {
                let f = &rules[first];
                found.push((
                    module,
                    Diagnostic::new(Code::DuplicateRuleName, rule.span, format!("rule `{}` is declared twice", rule.id))
                        .with_secondary(file_of(f.module), f.span, "first declared here")
                        .with_help("decisions name their rules, so give each rule its own name"),
                ));
            } else {
                by_name.insert(&rule.id, i);
            }
            if let Some(ast) = rule_asts.get(i) {
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                (&ast.phase, &ast.targets, &ast.effects).hash(&mut hasher);
                let key = hasher.finish();
                let twin = by_shape.get(&key).and_then(|v| {
                    v.iter().copied().find(|j| {
                        let other = rule_asts[*j];
                        rules[*j].module == module
                            && other.phase == ast.phase
                            && other.targets == ast.targets
                            && other.effects == ast.effects
                    })
                });
                if let Some(j) = twin {
                    let f = &rules[j];
                    found.push((
                        module,
                        Diagnostic::new(Code::IdenticalRule, rule.span, format!("rule `{}` is identical to rule `{}`", rule.id, f.id))
                            .with_secondary(file_of(f.module), f.span, "the same rule")
                            .with_help("remove one of them"),
                    ));
                }
                by_shape.entry(key).or_default().push(i);
            }
            for effect in &rule.effects {
                let Some(c) = &effect.condition else { continue };
                if never_true(&c.expr, &self.program.consts) {
                    found.push((
                        module,
                        Diagnostic::new(
                            Code::RuleNeverFires,
                            c.expr.span,
                            format!("the condition of rule `{}` is always false, so it never fires", rule.id),
                        )
                        .with_label("always false"),
                    ));
                } else if fold(&c.expr, &self.program.consts) == Some(Value::Bool(true)) {
                    found.push((
                        module,
                        Diagnostic::new(Code::RuleAlwaysFires, c.expr.span, format!("the condition of rule `{}` is always true", rule.id))
                            .with_help("drop the `when` clause if the effect should always apply"),
                    ));
                }
            }
        }
        for (module, d) in found {
            self.report(module, d);
        }
    }

    fn lint_unused(&mut self) {
        for (i, c) in self.program.consts.clone().iter().enumerate() {
            if !self.used_consts.contains(&(i as u32)) && self.user_module(c.module) && self.declared(c.module, &c.name, c.span) {
                self.report(
                    c.module,
                    Diagnostic::new(Code::UnusedConst, c.span, format!("constant `{}` is never used", c.name)).with_help("remove it"),
                );
            }
        }
        for m in 0..self.program.modules.len() {
            let module = ModuleId(m as u32);
            if !self.user_module(module) {
                continue;
            }
            for (target, span) in self.scopes[m].aliases.clone().into_values() {
                if !self.used_imports.contains(&(module, target)) {
                    let name = self.program.module(target).name.clone();
                    self.report(
                        module,
                        Diagnostic::new(Code::UnusedUse, span, format!("module `{name}` is imported but never used"))
                            .with_help("remove the `use`"),
                    );
                }
            }
        }
    }
}
