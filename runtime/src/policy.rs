//! A compiled policy set: schema, grants, rules, the expression graph and the dispatch index
//! (tenant → phase → tool → rules), so evaluation only looks at rules that can apply.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::ir::{Node, NodeId};
use crate::schema::{Enum, Record, Tool};

/// The five decision points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Phase {
    Input,
    Context,
    Plan,
    Evaluate,
    MemoryWrite,
}

impl Phase {
    pub const ALL: [Phase; 5] = [Phase::Input, Phase::Context, Phase::Plan, Phase::Evaluate, Phase::MemoryWrite];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Input => "input",
            Phase::Context => "context",
            Phase::Plan => "plan",
            Phase::Evaluate => "evaluate",
            Phase::MemoryWrite => "memory_write",
        }
    }

    pub fn parse(s: &str) -> Option<Phase> {
        Phase::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum EffectKind {
    Sanitize,
    RequireApproval,
    Block,
}

impl EffectKind {
    /// The effect as written in a policy.
    pub fn as_str(self) -> &'static str {
        match self {
            EffectKind::Block => "block",
            EffectKind::RequireApproval => "require_approval",
            EffectKind::Sanitize => "sanitize",
        }
    }
}

/// A condition: its root node and its text (whitespace normalised) for explanations.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Condition {
    pub node: NodeId,
    pub text: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Effect {
    pub kind: EffectKind,
    pub reason: String,
    /// Index into [`crate::schema::SEVERITIES`].
    pub severity: u8,
    pub approvers: Vec<String>,
    pub condition: Option<Condition>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Rule {
    /// `module.rule`.
    pub id: String,
    pub module: u32,
    pub phase: Phase,
    pub effects: Vec<Effect>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Capability {
    pub name: String,
    pub tools: Vec<u32>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Grant {
    pub capabilities: Vec<u32>,
    pub roles: Vec<String>,
    pub agents: Vec<String>,
    pub condition: Option<Condition>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Module {
    pub name: String,
    pub tenant: Option<u32>,
}

/// What applies to the requests of one tenant (or to every request, in a set without tenants).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Scope {
    /// Tools a request may name, by name.
    pub tools: BTreeMap<String, u32>,
    /// Grants that hold here, in declaration order.
    pub grants: Vec<u32>,
    /// For each tool id, the `(grant, capability)` pairs through which it can be held, in
    /// declaration order (so the capability gate looks only at grants for the called tool).
    pub tool_grants: Vec<Vec<(u32, u32)>>,
    /// Rules of each phase, in declaration order; for `evaluate`, see `tool_rules`.
    pub phase_rules: [Vec<u32>; 5],
    /// `evaluate` rules by tool id (dense; empty for tools not visible here).
    pub tool_rules: Vec<Vec<u32>>,
    /// Module whose name a decision reports when no rule is reported.
    pub module: u32,
}

/// A compiled policy set.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Policy {
    pub modules: Vec<Module>,
    pub tenants: Vec<String>,
    pub records: Vec<Record>,
    pub enums: Vec<Enum>,
    pub tools: Vec<Tool>,
    pub capabilities: Vec<Capability>,
    pub grants: Vec<Grant>,
    pub rules: Vec<Rule>,
    pub nodes: Vec<Node>,
    /// For nodes worth showing in an explanation (bindings, fields, calls), their text.
    pub node_text: Vec<Option<String>>,
    /// Argument names used by `ArgField`/`ArgProvenance`.
    pub names: Vec<String>,
    pub regexes: Vec<String>,
    /// Scope for requests without tenant (sets without tenant files), then one per tenant.
    pub global: Option<Scope>,
    pub tenant_scopes: Vec<Scope>,
}

impl Policy {
    /// Every scope, numbered as [`Policy::scope_index`] numbers them.
    pub fn scopes(&self) -> Vec<&Scope> {
        if self.tenants.is_empty() {
            self.global.iter().collect()
        } else {
            self.tenant_scopes.iter().collect()
        }
    }

    /// Scope number `index` (see [`Policy::scope_index`]).
    pub fn scope_at(&self, index: usize) -> Option<&Scope> {
        if self.tenants.is_empty() {
            return self.global.as_ref().filter(|_| index == 0);
        }
        self.tenant_scopes.get(index)
    }

    /// The number of the scope a request with `tenant` is decided in.
    pub fn scope_index(&self, tenant: Option<&str>) -> Option<usize> {
        if self.tenants.is_empty() {
            return self.global.as_ref().map(|_| 0);
        }
        self.tenants.iter().position(|t| Some(t.as_str()) == tenant).filter(|i| *i < self.tenant_scopes.len())
    }

    /// The scope a request with `tenant` is decided in, or `None` (tenant mismatch).
    pub fn scope(&self, tenant: Option<&str>) -> Option<&Scope> {
        if self.tenants.is_empty() {
            return self.global.as_ref();
        }
        let index = self.tenants.iter().position(|t| Some(t.as_str()) == tenant)?;
        self.tenant_scopes.get(index)
    }
}
