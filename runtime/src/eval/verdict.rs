//! Verdicts: a decision without its explanation and echoed fields, as indices into the policy.
//! For a prepared call, input or item this takes the fast path: gates on interned ids, the
//! rule list run as native code (or by the interpreter when the JIT is off or does not compile
//! a condition), and the outcome combined without allocating. Anything else (plans, grant
//! conditions, unprepared requests) is decided in full and summarised, so a verdict always
//! agrees with [`Compiled::decide`].

use super::{Compiled, Env, Results};
use crate::decision::{Decision, Outcome};
use crate::frame::{header, CallFrame, Frame};
use crate::ir::Binding;
use crate::policy::{EffectKind, Scope};
use crate::request::{Request, Subject};
use crate::value::Value;

/// What a decision concluded, without why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Verdict {
    pub outcome: Outcome,
    /// The rule whose effect decided (index into `policy.rules`).
    pub rule: Option<u32>,
    /// That effect (index into the rule's effects); `None` when it faulted.
    pub effect: Option<u32>,
    /// The deciding effect faulted: reason `evaluation_error`.
    pub fault: bool,
    /// The gate that decided, when no rule did (`unknown_tool`, `capability_missing`, …).
    pub gate: Option<&'static str>,
    /// The capability through which the call is held (index into `policy.capabilities`).
    pub capability: Option<u32>,
}

/// Reasons of gate decisions.
const GATES: [&str; 6] =
    ["tenant_mismatch", "unknown_tool", "capability_missing", "invalid_arguments", "evaluation_error", "malformed_request"];

impl Verdict {
    pub(super) fn allow() -> Verdict {
        Verdict { outcome: Outcome::Allow, rule: None, effect: None, fault: false, gate: None, capability: None }
    }

    pub(super) fn gate(gate: &'static str, capability: Option<u32>) -> Verdict {
        Verdict { outcome: Outcome::Block, gate: Some(gate), capability, ..Verdict::allow() }
    }

    /// The verdict of a compiled list's combined outcome (0 allow … 3 block), deciding effect
    /// and fault.
    pub(super) fn combined(outcome: u8, effect: Option<(u32, u32)>, fault: bool) -> Verdict {
        let outcome = [Outcome::Allow, Outcome::Sanitize, Outcome::RequireApproval, Outcome::Block][usize::from(outcome.min(3))];
        Verdict { outcome, rule: effect.map(|e| e.0), effect: effect.map(|e| e.1).filter(|_| !fault), fault, ..Verdict::allow() }
    }
}

fn outcome_of(kind: EffectKind) -> Outcome {
    match kind {
        EffectKind::Block => Outcome::Block,
        EffectKind::RequireApproval => Outcome::RequireApproval,
        EffectKind::Sanitize => Outcome::Sanitize,
    }
}

impl Compiled {
    /// The verdict on `req`: the outcome of [`Compiled::decide`], its reason and deciding rule.
    pub fn verdict(&self, req: &Request) -> Verdict {
        self.fast_verdict(req).unwrap_or_else(|| self.verdict_of(&self.decide(req)))
    }

    /// The reason a decision with this verdict gives.
    pub fn verdict_reason(&self, v: &Verdict) -> Option<&str> {
        if let Some(gate) = v.gate {
            return Some(gate);
        }
        if v.fault {
            return Some("evaluation_error");
        }
        let rule = self.policy.rules.get(v.rule? as usize)?;
        Some(&rule.effects.get(v.effect? as usize)?.reason)
    }

    /// Summarises a full decision.
    fn verdict_of(&self, d: &Decision) -> Verdict {
        let rule = d.rule.as_ref().and_then(|name| self.names.rules.iter().position(|r| r == name)).map(|i| i as u32);
        let fault = rule.is_some() && d.reason.as_deref() == Some("evaluation_error");
        let effect = rule.filter(|_| !fault).and_then(|r| {
            self.policy.rules[r as usize]
                .effects
                .iter()
                .position(|e| Some(e.reason.as_str()) == d.reason.as_deref() && outcome_of(e.kind) == d.outcome)
                .map(|i| i as u32)
        });
        let gate = if rule.is_none() { d.reason.as_deref().and_then(|r| GATES.iter().find(|g| **g == r).copied()) } else { None };
        let capability = d.capability.as_ref().and_then(|c| self.names.capabilities.iter().position(|x| x == c)).map(|i| i as u32);
        Verdict { outcome: d.outcome, rule, effect, fault, gate, capability }
    }

    pub(super) fn fast_verdict(&self, req: &Request) -> Option<Verdict> {
        let frame = self.prepared_frame(req)?;
        let Some(index) = self.policy.scope_index(req.tenant.as_deref()) else {
            return Some(Verdict::gate("tenant_mismatch", None));
        };
        let scope = self.policy.scope_at(index)?;
        if frame.scope != Some(index) {
            return None;
        }
        match &req.subject {
            Subject::Call(call) => {
                let cf = frame.calls.first()?;
                let tool = cf.tool?;
                if *self.names.tools[tool as usize] != *call.tool {
                    return None;
                }
                let Some(capability) = self.holds_fast(scope, frame, tool)? else {
                    return Some(Verdict::gate("capability_missing", None));
                };
                let args = match &call.prepared {
                    Some(p) if p.tool == tool => match &p.args {
                        Ok(args) => args,
                        Err(_) => return Some(Verdict::gate("invalid_arguments", Some(capability))),
                    },
                    _ => return None,
                };
                if cf.bad_provenance {
                    return Some(Verdict::gate("invalid_arguments", Some(capability)));
                }
                let rules = scope.tool_rules.get(tool as usize).map(Vec::as_slice).unwrap_or(&[]);
                let mut v = self.verdict_rules(req, index, frame, Some((cf, call, tool, args)), rules)?;
                v.capability = Some(capability);
                Some(v)
            }
            Subject::Input { .. } | Subject::Item { .. } => {
                self.verdict_rules(req, index, frame, None, &scope.phase_rules[req.phase.index()])
            }
            Subject::Plan(_) => None,
        }
    }

    /// The capability gate on interned ids: `Some(None)` when no grant holds the tool, `None`
    /// when a grant condition must be evaluated (the full decision does that).
    pub(super) fn holds_fast(&self, scope: &Scope, frame: &Frame, tool: u32) -> Option<Option<u32>> {
        let agent = frame.header[header::AGENT_ID];
        for &(g, cap) in scope.tool_grants.get(tool as usize)? {
            let (roles, agents) = &self.grant_ids[g as usize];
            let by_agent = agents.contains(&agent);
            let by_role = roles.iter().any(|r| frame.roles.binary_search(r).is_ok());
            if !(by_agent || by_role) {
                continue;
            }
            if self.policy.grants[g as usize].condition.is_some() {
                return None;
            }
            return Some(Some(cap));
        }
        Some(None)
    }

    /// Runs a rule list and combines what fired: the strongest outcome, reported by its first
    /// effect in declaration order.
    fn verdict_rules(
        &self,
        req: &Request,
        scope: usize,
        frame: &Frame,
        call: Option<(&CallFrame, &crate::request::Call, u32, &Value)>,
        rules: &[u32],
    ) -> Option<Verdict> {
        let compiled = self.compiled_list(req, scope, frame, call.map(|c| (c.0, c.2)));
        if let Some((_, Some((outcome, effect, fault)))) = compiled {
            return Some(Verdict::combined(outcome, effect, fault));
        }
        // Some conditions are not compiled (or the frame did not fit): the interpreter decides
        // those, keeping the compiled results of the others.
        let results = self.interpret(req, rules, call.map(|c| (c.1, c.2, c.3)), compiled.map(|c| c.0));
        let mut best: Option<(Outcome, u32, u32, bool)> = None;
        let mut k = 0;
        for &r in rules {
            for (i, effect) in self.policy.rules[r as usize].effects.iter().enumerate() {
                let result = *results.get(k)?;
                k += 1;
                let (outcome, fault) = match result {
                    0 => continue,
                    1 => (outcome_of(effect.kind), false),
                    2 => (Outcome::Block, true),
                    _ => return None,
                };
                if best.is_none_or(|b| outcome > b.0) {
                    best = Some((outcome, r, i as u32, fault));
                }
            }
        }
        Some(match best {
            None => Verdict::allow(),
            Some((outcome, rule, effect, fault)) => {
                Verdict { outcome, rule: Some(rule), effect: (!fault).then_some(effect), fault, ..Verdict::allow() }
            }
        })
    }

    /// The JIT's results for a list and, when it compiled all of it, the combined outcome
    /// (0 allow … 3 block), the deciding effect and whether it faulted.
    #[allow(unused_variables, clippy::type_complexity)]
    fn compiled_list(
        &self,
        req: &Request,
        scope: usize,
        frame: &Frame,
        call: Option<(&CallFrame, u32)>,
    ) -> Option<(Results, Option<(u8, Option<(u32, u32)>, bool)>)> {
        #[cfg(feature = "jit")]
        {
            let code = self.jit.as_ref()?;
            let list = code.list(scope, req.phase, call.map(|c| c.1))?;
            let (results, combined) = code.run(list, frame, call.map(|c| c.0), &self.interner, &self.regexes);
            Some((results, combined.map(|c| (c.outcome, c.effect, c.fault))))
        }
        #[cfg(not(feature = "jit"))]
        None
    }

    /// The interpreter's result for each effect of `rules` (0 false, 1 true, 2 fault), for the
    /// effects `known` (the JIT's results) leaves undecided (3), or all of them.
    fn interpret(
        &self,
        req: &Request,
        rules: &[u32],
        call: Option<(&crate::request::Call, u32, &Value)>,
        known: Option<Results>,
    ) -> Results {
        let mut env: Env<'_> = self.env(req);
        self.bind_subject(&mut env, req);
        if let Some((call, tool, args)) = call {
            env.set(Binding::Call, Value::call(tool, call.source));
            env.set(Binding::Args, args.clone());
            env.provenance = Some(&call.provenance);
        }
        let mut out = known.unwrap_or_default();
        let effects = rules.iter().flat_map(|&r| &self.policy.rules[r as usize].effects);
        for (k, effect) in effects.enumerate() {
            if out.get(k).is_some_and(|known| *known != 3) {
                continue;
            }
            let result = match &effect.condition {
                None => 1,
                Some(c) => match env.bool(c.node) {
                    Ok(fired) => u8::from(fired),
                    Err(_) => 2,
                },
            };
            match out.get_mut(k) {
                Some(slot) => *slot = result,
                None => out.push(result),
            }
        }
        out
    }
}
