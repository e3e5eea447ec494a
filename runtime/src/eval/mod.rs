//! The interpreter, the reference semantics of decisions: tenant, tool, capability and argument
//! gates for calls, then every applicable rule; precedence BLOCK > REQUIRE_APPROVAL > SANITIZE >
//! ALLOW; faults fail closed; every fired effect explained.

mod defaults;
pub(crate) mod envelope;
mod expr;
mod facts;
#[cfg(feature = "jit")]
mod frame_args;
mod json;
mod reads;
#[cfg(feature = "jit")]
mod text_decision;
mod verdict;

use std::sync::Arc;

use regex::Regex;

use crate::args::decode_args;
use crate::decision::{Decision, ExplainEntry, Outcome, Text};
use crate::frame::{header, CallFrame, Frame};
use crate::intern::Interner;
use crate::ir::Binding;
use crate::policy::{EffectKind, Phase, Policy, Scope};
use crate::request::{Call, Request, Subject};
use crate::value::Value;
pub use envelope::Scanned;
#[cfg(feature = "jit")]
pub(crate) use expr::{arithmetic, derive_text, test_text};
pub use expr::{hour_and_weekday, Env, Fault};
pub use facts::{Facts, TextFacts};
pub use verdict::Verdict;

/// The JIT's result for each effect of a rule list (see [`Compiled::run`]).
pub type Results = smallvec::SmallVec<[u8; 32]>;

/// A policy ready to evaluate: regexes compiled, hash computed.
#[derive(Debug)]
pub struct Compiled {
    pub policy: Policy,
    pub regexes: Vec<Regex>,
    /// `sha256:<hex>` of the bundle payload.
    pub hash: String,
    /// Nodes read by more than one parent (hash-consed sharing) whose value is the same for
    /// the whole request: evaluated once per request and remembered.
    pub shared: Vec<bool>,
    /// The policy's names as shared text, so decisions share them instead of copying.
    pub names: Names,
    /// For each tool, the parameter index of each argument name (`u32::MAX` if the tool has no
    /// such argument): `args.x` is a table look-up, not a search.
    pub arg_slots: Vec<Vec<u32>>,
    /// For each rule and effect, the arguments its condition reads (see `reads.rs`).
    pub effect_reads: Vec<Vec<reads::ArgsRead>>,
    /// The policy's strings, for interning requests (see `intern.rs`).
    pub interner: Interner,
    /// For each grant, the interned ids of its roles and agents.
    pub grant_ids: Vec<(Vec<i64>, Vec<i64>)>,
    /// The header slots whose strings a frame interns (bits of `frame::header::bit`): those
    /// compiled code reads, and the agent's id when a grant names agents (`holds_fast`).
    pub header_strings: u16,
    /// Native code for the rule lists, when the JIT is on.
    #[cfg(feature = "jit")]
    pub jit: Option<crate::jit::Code>,
}

/// Shared copies of the names and texts decisions carry.
#[derive(Debug, Default)]
pub struct Names {
    pub rules: Vec<Text>,
    pub reasons: Vec<Vec<Text>>,
    pub conditions: Vec<Vec<Option<Text>>>,
    pub tools: Vec<Text>,
    pub capabilities: Vec<Text>,
    pub modules: Vec<Text>,
    pub node_text: Vec<Option<Text>>,
    pub variants: Vec<Vec<Text>>,
    pub regexes: Vec<Text>,
    pub hash: Text,
}

impl Names {
    fn new(policy: &Policy, hash: &str) -> Names {
        let text = |s: &str| -> Text { Arc::from(s) };
        Names {
            rules: policy.rules.iter().map(|r| text(&r.id)).collect(),
            reasons: policy.rules.iter().map(|r| r.effects.iter().map(|e| text(&e.reason)).collect()).collect(),
            conditions: policy
                .rules
                .iter()
                .map(|r| r.effects.iter().map(|e| e.condition.as_ref().map(|c| text(&c.text))).collect())
                .collect(),
            tools: policy.tools.iter().map(|t| text(&t.name)).collect(),
            capabilities: policy.capabilities.iter().map(|c| text(&c.name)).collect(),
            modules: policy.modules.iter().map(|m| text(&m.name)).collect(),
            node_text: policy.node_text.iter().map(|t| t.as_deref().map(text)).collect(),
            variants: policy.enums.iter().map(|e| e.variants.iter().map(|v| text(v)).collect()).collect(),
            regexes: policy.regexes.iter().map(|r| text(r)).collect(),
            hash: text(hash),
        }
    }
}

impl Compiled {
    /// Prepares a policy, with the JIT when the `jit` feature is on; fails if a regex does not
    /// compile (the compiler validated them) or the JIT fails.
    pub fn new(policy: Policy, hash: String) -> Result<Compiled, String> {
        Compiled::with_jit(policy, hash, cfg!(feature = "jit"))
    }

    /// Prepares a policy for the interpreter alone (`jit` false) or with the JIT.
    pub fn with_jit(mut policy: Policy, hash: String, jit: bool) -> Result<Compiled, String> {
        defaults::decimal_defaults(&mut policy)?;
        let regexes =
            policy.regexes.iter().map(|r| Regex::new(r).map_err(|e| format!("regex `{r}`: {e}"))).collect::<Result<Vec<_>, _>>()?;
        let shared = shared_nodes(&policy);
        let names = Names::new(&policy, &hash);
        let arg_slots: Vec<Vec<u32>> =
            policy.tools.iter().map(|t| policy.names.iter().map(|n| t.param(n).map_or(u32::MAX, |i| i as u32)).collect()).collect();
        let effect_reads = reads::effect_reads(&policy);
        let interner = Interner::new(&policy);
        let ids = |texts: &[String]| texts.iter().filter_map(|t| interner.get(t)).collect::<Vec<_>>();
        let grant_ids: Vec<(Vec<i64>, Vec<i64>)> = policy.grants.iter().map(|g| (ids(&g.roles), ids(&g.agents))).collect();
        #[cfg(feature = "jit")]
        let jit = if jit { Some(crate::jit::Code::new(&policy, &interner, &arg_slots)?) } else { None };
        #[cfg(not(feature = "jit"))]
        if jit {
            return Err("this build has no JIT (feature `jit`)".to_owned());
        }
        #[cfg(feature = "jit")]
        let compiled_reads = jit.as_ref().map_or(u16::MAX, |code| code.header_reads);
        #[cfg(not(feature = "jit"))]
        let compiled_reads = u16::MAX;
        let by_agent = if policy.grants.iter().any(|g| !g.agents.is_empty()) { header::bit(header::AGENT_ID) } else { 0 };
        let header_strings = compiled_reads | by_agent;
        Ok(Compiled {
            policy,
            regexes,
            hash,
            shared,
            names,
            arg_slots,
            effect_reads,
            interner,
            grant_ids,
            header_strings,
            #[cfg(feature = "jit")]
            jit,
        })
    }

    /// Whether rule lists run as native code.
    pub fn jit_enabled(&self) -> bool {
        #[cfg(feature = "jit")]
        let enabled = self.jit.is_some();
        #[cfg(not(feature = "jit"))]
        let enabled = false;
        enabled
    }

    /// With the JIT on: the compiled functions, the effects of their rule lists, and how many
    /// of those have compiled conditions (the others are evaluated by the interpreter).
    pub fn jit_stats(&self) -> Option<(usize, usize, usize)> {
        #[cfg(feature = "jit")]
        let stats = self.jit.as_ref().map(|c| (c.stats.functions, c.stats.effects, c.stats.compiled_effects));
        #[cfg(not(feature = "jit"))]
        let stats = None;
        stats
    }

    /// The frame of `req` if it was prepared for this policy and the JIT is on.
    fn frame<'r>(&self, req: &'r Request) -> Option<&'r Frame> {
        self.prepared_frame(req).filter(|_| self.jit_enabled())
    }

    /// The frame of `req` if it was prepared for this policy.
    fn prepared_frame<'r>(&self, req: &'r Request) -> Option<&'r Frame> {
        let frame = req.frame.as_deref()?;
        (Arc::ptr_eq(&frame.hash, &self.names.hash) || frame.hash == self.names.hash).then_some(frame)
    }

    /// The JIT's results for a rule list, if it has one for this request.
    #[allow(unused_variables)]
    fn compiled_results(&self, req: &Request, frame: Option<&Frame>, tool: Option<u32>, call: Option<&CallFrame>) -> Option<Results> {
        #[cfg(feature = "jit")]
        {
            let (code, frame) = (self.jit.as_ref()?, frame?);
            let scope = self.policy.scope_index(req.tenant.as_deref())?;
            let list = code.list(scope, req.phase, tool)?;
            Some(code.run(list, frame, call, &self.interner, &self.regexes).0)
        }
        #[cfg(not(feature = "jit"))]
        None
    }

    fn env<'a>(&'a self, req: &'a Request) -> Env<'a> {
        Env::new(self, Facts::Request(req), None)
    }

    /// Decodes the arguments of a request's calls against this policy ahead of the decision and
    /// interns its strings into a frame (see `frame.rs`), so deciding it later starts from typed
    /// values. Prepare after the last change to the request: the preparation is not updated. Deciding a prepared request gives exactly
    /// the decision of the unprepared one; another policy ignores the preparation.
    pub fn prepare(&self, req: &mut Request) {
        let Some(scope) = self.policy.scope(req.tenant.as_deref()) else {
            req.frame = None;
            return;
        };
        let calls: Vec<(&mut Call, String)> = match &mut req.subject {
            Subject::Call(call) => vec![(call, "args".to_owned())],
            Subject::Plan(steps) => steps.iter_mut().enumerate().map(|(i, c)| (c, format!("plan.steps[{i}].args"))).collect(),
            _ => Vec::new(),
        };
        for (call, path) in calls {
            if let Some(&tool) = scope.tools.get(&call.tool) {
                let args = decode_args(&self.policy, tool, &call.args, &path);
                call.prepared = Some(crate::request::Prepared { hash: self.names.hash.clone(), tool, args });
            }
        }
        self.build_frame(req);
    }

    /// Interns `req` (its calls already prepared) into a frame, with the precomputed text
    /// operations of the compiled lists it will run.
    fn build_frame(&self, req: &mut Request) {
        #[allow(unused_mut)]
        let mut frame = Frame::build(&self.interner, &self.names.hash, &self.policy, req, self.header_strings);
        #[cfg(feature = "jit")]
        if let (Some(code), Some(scope)) = (&self.jit, frame.scope) {
            code.extend_frame(&mut frame, scope, req.phase, &self.interner, &self.regexes);
        }
        req.frame = Some(Arc::new(frame));
    }

    /// Decides a request. With the JIT on, a request not prepared for this policy is prepared
    /// first (a copy of it).
    pub fn decide(&self, req: &Request) -> Decision {
        if self.jit_enabled() && self.frame(req).is_none() {
            let mut prepared = req.clone();
            self.prepare(&mut prepared);
            return self.decide_request(&prepared);
        }
        self.decide_request(req)
    }

    fn decide_request(&self, req: &Request) -> Decision {
        let scope = self.policy.scope(req.tenant.as_deref());
        let mut decision = match scope {
            None => {
                let mut d = Decision::gate("tenant_mismatch", Some(req.phase));
                if let Subject::Call(call) = &req.subject {
                    d.tool = Some(Arc::from(call.tool.as_str()));
                }
                d
            }
            Some(scope) => self.decide_in(scope, req),
        };
        self.stamp(&mut decision, req.phase, req.tenant.clone(), req.correlation_id.clone(), scope.map_or(0, |s| s.module));
        decision
    }

    /// Sets what every decision echoes from its request and policy: the phase, tenant and
    /// correlation id, the policy's hash, and its name (the module of `scope_module` when no
    /// rule gave one).
    fn stamp(&self, d: &mut Decision, phase: Phase, tenant: Option<Text>, correlation_id: Option<Text>, scope_module: u32) {
        d.phase = Some(phase);
        d.tenant = tenant;
        d.correlation_id = correlation_id;
        d.policy_hash = self.names.hash.clone();
        if d.policy_name.is_empty() {
            if let Some(name) = self.names.modules.get(scope_module as usize) {
                d.policy_name = name.clone();
            }
        }
    }

    fn decide_in(&self, scope: &Scope, req: &Request) -> Decision {
        let mut env = self.env(req);
        let frame = self.frame(req);
        match &req.subject {
            Subject::Input { text } => {
                self.bind_subject(&mut env, req);
                let results = self.compiled_results(req, frame, None, None);
                let fired = self.run(&mut env, &scope.phase_rules[req.phase.index()], None, results.as_deref());
                self.combine(fired, Some(text))
            }
            Subject::Item { text, .. } => {
                self.bind_subject(&mut env, req);
                let results = self.compiled_results(req, frame, None, None);
                let fired = self.run(&mut env, &scope.phase_rules[req.phase.index()], None, results.as_deref());
                self.combine(fired, Some(text))
            }
            Subject::Call(call) => {
                let jit = frame.and_then(|f| Some((req, f, f.calls.first()?)));
                self.decide_call(scope, &mut env, call, "args", None, jit).0
            }
            Subject::Plan(steps) => self.decide_plan(scope, &mut env, steps, req, frame),
        }
    }

    /// Sets `input` or `item` for a request about one.
    fn bind_subject(&self, env: &mut Env<'_>, req: &Request) {
        match &req.subject {
            Subject::Input { text } => env.set(Binding::Input, Value::Record(vec![Value::Str(text.clone())].into())),
            Subject::Item { text, source, provenance, uri } => {
                let uri = uri.clone().map_or(Value::Absent, Value::Url);
                env.set(
                    Binding::Item,
                    Value::Record(vec![Value::Str(text.clone()), Value::Str(source.clone()), Value::Provenance(*provenance), uri].into()),
                );
            }
            Subject::Call(_) | Subject::Plan(_) => {}
        }
    }

    /// Gates and rules for one call; also returns the call's `Step` value for plan rules.
    fn decide_call(
        &self,
        scope: &Scope,
        env: &mut Env<'_>,
        call: &Call,
        args_path: &str,
        step: Option<usize>,
        jit: Option<(&Request, &Frame, &CallFrame)>,
    ) -> (Decision, Value) {
        let policy = &self.policy;
        let Some(&tool) = scope.tools.get(&call.tool) else {
            let mut d = Decision::gate("unknown_tool", None);
            d.tool = Some(Arc::from(call.tool.as_str()));
            return (d, Value::Absent);
        };
        let tool_name = self.names.tools[tool as usize].clone();
        let tainted = call.provenance.values().any(|p| matches!(p, 3..=5));
        // (Only a plan step's is used.)
        let step_value = |args: Value| match step {
            Some(_) => Value::Record(Arc::new([Value::Tool(tool), Value::Bool(tainted), args])),
            None => Value::Absent,
        };
        // Plan rules see a step's arguments even when the step fails its capability gate.
        // Arguments decoded ahead of time when the request was prepared for this policy.
        let decode = || match &call.prepared {
            Some(p) if p.tool == tool && (Arc::ptr_eq(&p.hash, &self.names.hash) || p.hash == self.names.hash) => p.args.clone(),
            _ => decode_args(policy, tool, &call.args, args_path),
        };
        let decoded_or_absent = || decode().unwrap_or(Value::Absent);
        // Capability gate.
        let capability = match self.holds(scope, env, tool) {
            Ok(Some(c)) => c,
            Ok(None) => {
                let mut d = Decision::gate("capability_missing", None);
                d.tool = Some(tool_name);
                d.capabilities = policy
                    .capabilities
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.tools.contains(&tool))
                    .map(|(i, _)| self.names.capabilities[i].clone())
                    .collect();
                return (d, step_value(decoded_or_absent()));
            }
            Err((rule, fault)) => {
                let mut d = Decision::gate("evaluation_error", None);
                d.tool = Some(tool_name);
                d.error = Some(fault.clone());
                d.explain.push(ExplainEntry { rule, condition: None, values: vec![], result: Err(fault), step });
                return (d, step_value(decoded_or_absent()));
            }
        };
        // Argument gate.
        let args = match decode() {
            Ok(a) => a,
            Err(invalid) => {
                let mut d = Decision::gate("invalid_arguments", None);
                d.tool = Some(tool_name);
                d.capability = Some(capability);
                d.field = Some(invalid.field);
                d.error = Some(invalid.message);
                return (d, step_value(Value::Absent));
            }
        };
        if let Some(bad) = call.provenance.keys().find(|k| policy.tools[tool as usize].param(k).is_none()) {
            let mut d = Decision::gate("invalid_arguments", None);
            d.tool = Some(tool_name);
            d.capability = Some(capability);
            d.field = Some(format!("{}.provenance.{bad}", args_path.trim_end_matches(".args")));
            d.error = Some(format!("`{bad}` is not an argument of this tool"));
            return (d, step_value(Value::Absent));
        }
        env.set(Binding::Call, Value::call(tool, call.source));
        env.set(Binding::Args, args.clone());
        // Rules of the call see its arguments' provenance.
        let fired = {
            let mut call_env = Env::new(self, env.facts, Some(&call.provenance));
            call_env.bindings = env.bindings.clone();
            let rules = scope.tool_rules.get(tool as usize).map(Vec::as_slice).unwrap_or(&[]);
            let results = jit.and_then(|(req, frame, c)| self.compiled_results(req, Some(frame), Some(tool), Some(c)));
            self.run(&mut call_env, rules, step, results.as_deref())
        };
        let mut d = self.combine(fired, None);
        d.tool = Some(tool_name);
        d.capability = Some(capability);
        (d, step_value(args))
    }

    /// The first capability, through the first grant in declaration order, by which the agent
    /// holds `tool`; `Err` when a grant condition faults.
    fn holds(&self, scope: &Scope, env: &mut Env<'_>, tool: u32) -> Result<Option<Text>, (Text, Fault)> {
        // The agent's id and roles, read from the request (the `agent` binding is built from
        // them only when a condition reads it).
        let facts = env.facts;
        let id = facts.agent_id();
        let candidates = scope.tool_grants.get(tool as usize).map(Vec::as_slice).unwrap_or(&[]);
        for &(g, cap) in candidates {
            let grant = &self.policy.grants[g as usize];
            let by_agent = grant.agents.iter().any(|a| id == a);
            let by_role = grant.roles.iter().any(|r| facts.has_role(r));
            if !(by_agent || by_role) {
                continue;
            }
            if let Some(c) = &grant.condition {
                match env.eval(c.node) {
                    Ok(Value::Bool(true)) => {}
                    Ok(_) => continue,
                    Err(f) => return Err((Arc::from(format!("grant of {}", self.policy.capabilities[cap as usize].name)), f)),
                }
            }
            return Ok(Some(self.names.capabilities[cap as usize].clone()));
        }
        Ok(None)
    }

    fn decide_plan(&self, scope: &Scope, env: &mut Env<'_>, steps: &[Call], req: &Request, frame: Option<&Frame>) -> Decision {
        let mut step_decisions = Vec::with_capacity(steps.len());
        let mut step_values = Vec::with_capacity(steps.len());
        for (i, step) in steps.iter().enumerate() {
            let jit = frame.and_then(|f| Some((req, f, f.calls.get(i)?)));
            let (d, v) = self.decide_call(scope, env, step, &format!("plan.steps[{i}].args"), Some(i), jit);
            // A step the policy has no tool for fails the plan at the gate, as such a call
            // does: plan rules cannot read it (they would fault on it instead).
            if d.reason.as_deref() == Some("unknown_tool") {
                let mut d = d;
                d.tool = None;
                d.field = Some(format!("plan.steps[{i}].tool"));
                for e in &mut d.explain {
                    e.step = Some(i);
                }
                return d;
            }
            step_decisions.push(d);
            step_values.push(v);
        }
        env.set(Binding::Plan, Value::Record(vec![Value::List(step_values.into())].into()));
        let fired = self.run(env, &scope.phase_rules[Phase::Plan.index()], None, None);
        let mut plan = self.combine(fired, None);
        // The strongest of the plan's own outcome and every step's; plan rules report first.
        let mut explain = std::mem::take(&mut plan.explain);
        let mut best = plan;
        for (i, d) in step_decisions.into_iter().enumerate() {
            explain.extend(d.explain.iter().cloned().map(|mut e| {
                e.step = Some(i);
                e
            }));
            if d.outcome > best.outcome {
                best = d;
            } else if d.outcome == Outcome::RequireApproval && best.outcome == Outcome::RequireApproval {
                for a in d.approvers {
                    if !best.approvers.contains(&a) {
                        best.approvers.push(a);
                    }
                }
            }
        }
        best.tool = None;
        best.capability = None;
        best.explain = explain;
        best
    }

    /// Evaluates the effects of `rules` in order; returns what fired. `compiled` holds the JIT's
    /// result for each effect (0 false, 1 true, 2 fault, 3 not compiled), used in place of
    /// evaluating the condition; a fault's message comes from the interpreter.
    fn run(&self, env: &mut Env<'_>, rules: &[u32], step: Option<usize>, compiled: Option<&[u8]>) -> FiredList {
        let mut fired = FiredList::new();
        let mut k = 0;
        for &r in rules {
            let rule = &self.policy.rules[r as usize];
            for (i, effect) in rule.effects.iter().enumerate() {
                let known = compiled.and_then(|c| c.get(k).copied()).unwrap_or(3);
                k += 1;
                let result = match (&effect.condition, known) {
                    (None, _) => Ok(true),
                    (Some(_), 0) => Ok(false),
                    (Some(_), 1) => Ok(true),
                    (Some(c), 2) => match env.bool(c.node) {
                        Err(fault) => Err(fault),
                        Ok(_) => Err("internal: compiled code faulted where the interpreter did not".to_owned()),
                    },
                    (Some(c), _) => env.bool(c.node),
                };
                match result {
                    Ok(false) => {}
                    Ok(true) | Err(_) => {
                        let explain = self.explain(env, r, i, result.clone(), step);
                        fired.push(Fired { rule: r, effect: i, fault: result.err(), explain });
                    }
                }
            }
        }
        fired
    }

    /// Re-evaluates a fired condition with tracing to collect the values that decided it.
    fn explain(&self, env: &mut Env<'_>, rule: u32, effect: usize, result: Result<bool, Fault>, step: Option<usize>) -> ExplainEntry {
        let r = &self.policy.rules[rule as usize];
        let mut values: Vec<(Text, Value)> = Vec::new();
        if let Some(c) = &r.effects[effect].condition {
            env.trace = Some(expr::Trace::new());
            let _ = env.eval(c.node);
            for (node, value) in env.trace.take().unwrap_or_default() {
                if let Some(Some(text)) = self.names.node_text.get(node as usize) {
                    if !values.iter().any(|(t, _)| t == text) {
                        values.push((text.clone(), self.plain(value)));
                    }
                }
            }
        }
        let condition = self.names.conditions[rule as usize][effect].clone();
        ExplainEntry { rule: self.names.rules[rule as usize].clone(), condition, values, result, step }
    }

    /// A value with policy-specific parts (enum variants, tools, regexes) replaced by their
    /// names, so it renders without the policy.
    fn plain(&self, value: Value) -> Value {
        let all = |items: &[Value]| -> Arc<[Value]> { items.iter().map(|v| self.plain(v.clone())).collect() };
        match value {
            Value::Enum(e, i) => {
                self.names.variants.get(e as usize).and_then(|v| v.get(i as usize)).map_or(Value::Absent, |t| Value::Str(t.clone()))
            }
            Value::Tool(t) => self.names.tools.get(t as usize).map_or(Value::Absent, |n| Value::Str(n.clone())),
            Value::Regex(r) => self.names.regexes.get(r as usize).map_or(Value::Absent, |p| Value::Str(p.clone())),
            Value::List(items) => Value::List(all(&items)),
            Value::Set(items) => Value::Set(all(&items)),
            Value::Record(items) | Value::Args(_, items) => Value::Record(all(&items)),
            other => other,
        }
    }

    /// The subject's text with the passages the firing `sanitize` effects' detectors find
    /// replaced by `[REDACTED:<reason>]`: every detector function their conditions call is run
    /// on the text and the passages are merged. When one of those effects locates nothing (its
    /// detectors find no passage, or it has none, or it also tests the text some other way), the
    /// whole text is replaced.
    fn sanitized(&self, fired: &[Fired], text: &str, reason: &str) -> String {
        use crate::ir::{BinOp, Builtin, Node};
        let mut spans: Vec<std::ops::Range<usize>> = Vec::new();
        for f in fired.iter().filter(|f| f.fault.is_none()) {
            let effect = &self.policy.rules[f.rule as usize].effects[f.effect];
            if effect.kind != EffectKind::Sanitize {
                continue;
            }
            // The passages this effect's detectors find. Its condition may also have fired on
            // a text test whose passage nothing locates (`matches`, `contains`, `starts_with`,
            // `ends_with`, a substring `in`; what a regex or a literal matched may be only a
            // marker of the offending text): then, as when the detectors find nothing, the
            // whole text goes. A passage the effect did not locate must not survive.
            let (mut natives, mut found, mut located) = (Vec::new(), Vec::new(), true);
            let is_text = |id: &crate::ir::NodeId| matches!(self.policy.nodes.get(*id as usize), Some(Node::Lit(Value::Str(_))));
            let mut stack: Vec<crate::ir::NodeId> = effect.condition.iter().map(|c| c.node).collect();
            while let Some(id) = stack.pop() {
                let Some(n) = self.policy.nodes.get(id as usize) else { continue };
                match n {
                    Node::Call(Builtin::Native(native), _) if !natives.contains(native) => natives.push(*native),
                    Node::Call(Builtin::Matches | Builtin::StartsWith | Builtin::EndsWith | Builtin::StrContains, _) => located = false,
                    Node::Binary(BinOp::In | BinOp::NotIn | BinOp::Contains, a, b) if is_text(a) || is_text(b) => located = false,
                    _ => {}
                }
                stack.extend(n.children());
            }
            found.extend(natives.iter().filter_map(|n| crate::natives::passages(*n, text)).flatten().filter(|s| !s.is_empty()));
            if !located || found.is_empty() {
                return crate::natives::redact(text, &[], reason);
            }
            spans.extend(found);
        }
        crate::natives::redact(text, &crate::natives::merge(spans), reason)
    }

    /// The decision from what fired: the strongest outcome, reported by the first effect of that
    /// outcome in declaration order.
    fn combine(&self, fired: FiredList, text: Option<&Arc<str>>) -> Decision {
        let outcome_of = |f: &Fired| match (&f.fault, self.policy.rules[f.rule as usize].effects[f.effect].kind) {
            (Some(_), _) | (None, EffectKind::Block) => Outcome::Block,
            (None, EffectKind::RequireApproval) => Outcome::RequireApproval,
            (None, EffectKind::Sanitize) => Outcome::Sanitize,
        };
        let outcome = fired.iter().map(outcome_of).max().unwrap_or(Outcome::Allow);
        let mut d = Decision::new(outcome, None);
        if let Some(f) = fired.iter().find(|f| outcome_of(f) == outcome) {
            let rule = &self.policy.rules[f.rule as usize];
            let effect = &rule.effects[f.effect];
            d.rule = Some(self.names.rules[f.rule as usize].clone());
            if let Some(name) = self.names.modules.get(rule.module as usize) {
                d.policy_name = name.clone();
            }
            match &f.fault {
                Some(fault) => {
                    d.reason = Some(Arc::from("evaluation_error"));
                    d.severity = Some(2);
                    d.error = Some(fault.clone());
                }
                None => {
                    d.reason = Some(self.names.reasons[f.rule as usize][f.effect].clone());
                    d.severity = Some(effect.severity);
                }
            }
        }
        if outcome == Outcome::RequireApproval {
            for f in fired.iter().filter(|f| outcome_of(f) == Outcome::RequireApproval) {
                for a in &self.policy.rules[f.rule as usize].effects[f.effect].approvers {
                    if !d.approvers.contains(a) {
                        d.approvers.push(a.clone());
                    }
                }
            }
        }
        if outcome == Outcome::Sanitize {
            if let (Some(text), Some(reason)) = (text, d.reason.as_ref()) {
                d.sanitized = Some(self.sanitized(&fired, text, reason));
            }
        }
        d.explain = fired.into_iter().map(|f| f.explain).collect();
        d
    }
}

/// The effects that fired, in order (rarely more than two).
type FiredList = smallvec::SmallVec<[Fired; 2]>;

/// An effect that fired (or faulted).
struct Fired {
    rule: u32,
    effect: usize,
    fault: Option<Fault>,
    explain: ExplainEntry,
}

/// Which nodes to remember per request: those with several parents that do not read a lambda
/// parameter (whose value changes inside `any`/`all`) and are not trivial.
fn shared_nodes(policy: &Policy) -> Vec<bool> {
    use crate::ir::Node;
    let n = policy.nodes.len();
    let mut parents = vec![0u32; n];
    let mut reads_local = vec![false; n];
    for (i, node) in policy.nodes.iter().enumerate() {
        let children = node.children();
        reads_local[i] = matches!(node, Node::Local(_)) || children.iter().any(|c| reads_local.get(*c as usize).copied().unwrap_or(false));
        for c in children {
            if let Some(p) = parents.get_mut(c as usize) {
                *p += 1;
            }
        }
    }
    for root in policy
        .rules
        .iter()
        .flat_map(|r| r.effects.iter().filter_map(|e| e.condition.as_ref()))
        .chain(policy.grants.iter().filter_map(|g| g.condition.as_ref()))
    {
        if let Some(p) = parents.get_mut(root.node as usize) {
            *p += 1;
        }
    }
    policy
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| parents[i] > 1 && !reads_local[i] && !matches!(node, Node::Lit(_) | Node::Binding(_) | Node::Local(_)))
        .collect()
}
