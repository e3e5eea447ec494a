//! Lowering a checked program to the runtime's policy: the dispatch index (tenant → phase →
//! tool → rules, so cost does not grow with rules that cannot apply), hash-consed expression
//! nodes (a condition shared by several rules is one node), constants folded into literals,
//! and effects carrying their rule ids.

mod expr;
mod request;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use aisecops_runtime::ir::{Node, NodeId};
use aisecops_runtime::policy::{self as rt, Policy, Scope};
use aisecops_runtime::schema;

use crate::ast::{Phase, PrincipalKind};
use crate::check::program::{Condition, Program};
use crate::check::types::Ty;
use crate::check::Checked;
pub use request::test_request;

/// Lowers a checked policy set. Fails only if the program still has errors.
pub fn lower(checked: &Checked) -> Result<Policy, String> {
    if checked.has_errors() {
        return Err("the policy set has errors; run `aisecops check`".to_owned());
    }
    let mut lowerer = Lowerer {
        checked,
        program: &checked.program,
        nodes: Vec::new(),
        node_text: Vec::new(),
        interned: HashMap::new(),
        names: Vec::new(),
        name_ids: HashMap::new(),
        regexes: Vec::new(),
        regex_ids: HashMap::new(),
    };
    lowerer.run()
}

struct Lowerer<'a> {
    checked: &'a Checked,
    program: &'a Program,
    nodes: Vec<Node>,
    node_text: Vec<Option<String>>,
    interned: HashMap<Node, NodeId>,
    names: Vec<String>,
    name_ids: HashMap<String, u32>,
    regexes: Vec<String>,
    regex_ids: HashMap<String, u32>,
}

/// The run-time type of a checked type.
pub(crate) fn rt_type(ty: &Ty) -> schema::Type {
    match ty {
        Ty::Bool | Ty::Error => schema::Type::Bool,
        Ty::Int => schema::Type::Int,
        Ty::Decimal => schema::Type::Decimal,
        Ty::String => schema::Type::String,
        Ty::Email => schema::Type::Email,
        Ty::Url => schema::Type::Url,
        Ty::Path => schema::Type::Path,
        Ty::Ip => schema::Type::Ip,
        Ty::Timestamp => schema::Type::Timestamp,
        Ty::Duration => schema::Type::Duration,
        Ty::Regex => schema::Type::Regex,
        Ty::Provenance => schema::Type::Provenance,
        Ty::Severity => schema::Type::Severity,
        Ty::Tool => schema::Type::Tool,
        Ty::List(t) => schema::Type::List(Box::new(rt_type(t))),
        Ty::Set(t) => schema::Type::Set(Box::new(rt_type(t))),
        Ty::Optional(t) => schema::Type::Optional(Box::new(rt_type(t))),
        Ty::Record(r) => schema::Type::Record(r.0),
        Ty::Enum(e) => schema::Type::Enum(e.0),
    }
}

impl Lowerer<'_> {
    fn run(&mut self) -> Result<Policy, String> {
        let program = self.program;
        let tenants: Vec<String> = program.modules.iter().filter_map(|m| m.tenant.clone()).collect::<BTreeSet<_>>().into_iter().collect();
        let tenant_index = |t: &Option<String>| t.as_ref().and_then(|t| tenants.iter().position(|x| x == t)).map(|i| i as u32);
        let modules = program.modules.iter().map(|m| rt::Module { name: m.name.clone(), tenant: tenant_index(&m.tenant) }).collect();
        let mut field = |f: &crate::check::program::Field| -> Result<schema::Field, String> {
            Ok(schema::Field {
                name: f.name.clone(),
                ty: rt_type(&f.ty),
                default: f.default.as_ref().map(|v| self.value(v)).transpose()?,
                sensitive: f.sensitive,
            })
        };
        let mut records = Vec::with_capacity(program.records.len());
        for r in &program.records {
            records.push(schema::Record { name: r.name.clone(), fields: r.fields.iter().map(&mut field).collect::<Result<_, _>>()? });
        }
        let enums = program.enums.iter().map(|e| schema::Enum { name: e.name.clone(), variants: e.variants.clone() }).collect();
        let mut tools = Vec::with_capacity(program.tools.len());
        for t in &program.tools {
            let tenant = tenant_index(&program.module(t.module).tenant);
            tools.push(schema::Tool { name: t.name.clone(), tenant, params: t.params.iter().map(&mut field).collect::<Result<_, _>>()? });
        }
        let capabilities = program
            .capabilities
            .iter()
            .map(|c| rt::Capability { name: c.name.clone(), tools: c.tools.iter().map(|t| t.0).collect() })
            .collect();
        let mut grants = Vec::with_capacity(program.grants.len());
        for g in &program.grants {
            let pick = |kind| g.principals.iter().filter(|(k, _)| *k == kind).map(|(_, n)| n.clone()).collect();
            grants.push(rt::Grant {
                capabilities: g.capabilities.iter().map(|c| c.0).collect(),
                roles: pick(PrincipalKind::Role),
                agents: pick(PrincipalKind::Agent),
                condition: g.condition.as_ref().map(|c| self.condition(g.module, c)).transpose()?,
            });
        }
        let mut rules = Vec::with_capacity(program.rules.len());
        for r in &program.rules {
            let mut effects = Vec::with_capacity(r.effects.len());
            for e in &r.effects {
                effects.push(rt::Effect {
                    kind: e.kind,
                    reason: e.reason.clone(),
                    severity: schema::SEVERITIES.iter().position(|s| *s == e.severity).unwrap_or(1) as u8,
                    approvers: e.approvers.clone(),
                    condition: e.condition.as_ref().map(|c| self.condition(r.module, c)).transpose()?,
                });
            }
            rules.push(rt::Rule { id: r.id.clone(), module: r.module.0, phase: r.phase, effects });
        }
        let scope_for = |tenant: Option<&String>| self.scope(tenant);
        let (global, tenant_scopes) = if tenants.is_empty() {
            (Some(scope_for(None)), Vec::new())
        } else {
            (None, tenants.iter().map(|t| scope_for(Some(t))).collect())
        };
        Ok(Policy {
            modules,
            tenants,
            records,
            enums,
            tools,
            capabilities,
            grants,
            rules,
            nodes: std::mem::take(&mut self.nodes),
            node_text: std::mem::take(&mut self.node_text),
            names: std::mem::take(&mut self.names),
            regexes: std::mem::take(&mut self.regexes),
            global,
            tenant_scopes,
        })
    }

    /// What applies to one tenant's requests (or to all requests, without tenants).
    fn scope(&self, tenant: Option<&String>) -> Scope {
        let program = self.program;
        let in_scope = |m: crate::check::program::ModuleId| {
            let module = program.module(m);
            !module.is_stdlib && (module.tenant.is_none() || module.tenant.as_ref() == tenant)
        };
        let mut scope = Scope { tool_rules: vec![Vec::new(); program.tools.len()], ..Scope::default() };
        let tools: BTreeMap<String, u32> =
            program.tools.iter().enumerate().filter(|(_, t)| in_scope(t.module)).map(|(i, t)| (t.name.clone(), i as u32)).collect();
        scope.grants = program.grants.iter().enumerate().filter(|(_, g)| in_scope(g.module)).map(|(i, _)| i as u32).collect();
        scope.tool_grants = vec![Vec::new(); program.tools.len()];
        for &g in &scope.grants {
            for cap in &program.grants[g as usize].capabilities {
                for tool in &program.capabilities[cap.0 as usize].tools {
                    let entry = &mut scope.tool_grants[tool.0 as usize];
                    if !entry.iter().any(|(eg, _)| *eg == g) {
                        entry.push((g, cap.0));
                    }
                }
            }
        }
        for (i, rule) in program.rules.iter().enumerate() {
            if !in_scope(rule.module) {
                continue;
            }
            if rule.phase == Phase::Evaluate {
                for t in &rule.tools {
                    if in_scope(program.tool(*t).module) {
                        scope.tool_rules[t.0 as usize].push(i as u32);
                    }
                }
            } else {
                scope.phase_rules[rule.phase.index()].push(i as u32);
            }
        }
        let own = program.modules.iter().position(|m| !m.is_stdlib && m.tenant.as_ref() == tenant);
        let any = program.modules.iter().position(|m| !m.is_stdlib);
        scope.module = own.or(any).unwrap_or(0) as u32;
        scope.tools = tools;
        scope
    }

    fn condition(&mut self, module: crate::check::program::ModuleId, c: &Condition) -> Result<rt::Condition, String> {
        let node = self.expr(module, &c.expr)?;
        Ok(rt::Condition { node, text: normalise_space(&c.source) })
    }

    /// Adds a node (or finds the identical one), with its explanation text.
    fn intern(&mut self, node: Node, text: Option<String>) -> NodeId {
        if let Some(&id) = self.interned.get(&node) {
            return id;
        }
        let id = self.nodes.len() as NodeId;
        self.nodes.push(node.clone());
        self.node_text.push(text);
        self.interned.insert(node, id);
        id
    }

    fn name(&mut self, name: &str) -> u32 {
        if let Some(&id) = self.name_ids.get(name) {
            return id;
        }
        let id = self.names.len() as u32;
        self.names.push(name.to_owned());
        self.name_ids.insert(name.to_owned(), id);
        id
    }

    fn regex(&mut self, pattern: &str) -> u32 {
        if let Some(&id) = self.regex_ids.get(pattern) {
            return id;
        }
        let id = self.regexes.len() as u32;
        self.regexes.push(pattern.to_owned());
        self.regex_ids.insert(pattern.to_owned(), id);
        id
    }
}

/// Collapses runs of whitespace to one space (the canonical text of a condition).
pub(crate) fn normalise_space(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
