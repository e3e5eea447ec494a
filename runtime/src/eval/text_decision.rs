//! Decisions on ordinary calls straight from their JSON text, without a `Request`: the
//! envelope is scanned (`envelope.rs`), the JIT frame built from it (`Compiled::text_call`),
//! the gates checked on interned ids and the rule list run as native code. When no effect
//! fires the decision is complete (an allowed call has no explanation). When one does, the
//! interpreter explains it as `decide` does, reading the request's facts from the text
//! (`facts.rs`) and the arguments its conditions read back from the frame (`frame_args.rs`;
//! the others are left absent, `reads.rs`). Anything else — a gate that
//! blocks (its decision carries more fields), a grant condition, no JIT — returns `None` and
//! takes the prepared-request path, so the decision is always `decide`'s (`tests/jit.rs`
//! compares both on every repository request and on 10,000 edited ones).

use super::envelope::Envelope;
use super::{Compiled, Env, Facts, TextFacts};
use crate::decision::{Decision, Text};
use crate::ir::Binding;
use crate::policy::Phase;
use crate::value::Value;

impl Compiled {
    /// The decision on the ordinary call of `e` (phase `evaluate`), when this path takes it.
    pub(super) fn text_decision(&self, e: &Envelope<'_>) -> Option<Decision> {
        let code = self.jit.as_ref()?;
        let call = e.call.as_ref()?;
        let c = self.text_call(e)?;
        if c.bad_provenance {
            return None;
        }
        let scope = self.policy.scope_at(c.scope)?;
        // Held (`None`: a grant condition; `Some(None)`: not held, a gate decision).
        let capability = self.holds_fast(scope, &c.frame, c.tool)??;
        let results = code
            .list(c.scope, Phase::Evaluate, Some(c.tool))
            .map(|list| code.run(list, &c.frame, c.frame.calls.first(), &self.interner, &self.regexes).0);
        let rules = scope.tool_rules.get(c.tool as usize).map(Vec::as_slice).unwrap_or(&[]);
        let mut decision = if self.quiet(rules, results.as_deref()) {
            self.combine(super::FiredList::new(), None)
        } else {
            let facts = TextFacts::of(e, c.time);
            let provenance = super::json::provenance_map(call.provenance.as_ref())?;
            // Only the arguments the conditions to evaluate or explain read, rebuilt from the
            // frame (decoded from the text again when the frame does not hold one).
            let needed = self.arguments_read(c.tool, rules, results.as_deref());
            let args = match self.args_from_frame(c.tool, &c.frame, needed) {
                Some(args) => args,
                None => self.decode_raw_args_needed(c.tool, call.args.as_ref(), needed)?,
            };
            let args = Value::Args(c.tool, args);
            let source = super::json::provenance(call.source)?;
            let mut env = Env::new(self, Facts::Text(&facts), Some(&provenance));
            env.set(Binding::Call, Value::call(c.tool, source));
            env.set(Binding::Args, args);
            let fired = self.run(&mut env, rules, None, results.as_deref());
            self.combine(fired, None)
        };
        decision.tool = Some(self.names.tools[c.tool as usize].clone());
        decision.capability = Some(self.names.capabilities[capability as usize].clone());
        self.stamp(&mut decision, Phase::Evaluate, e.tenant.map(Text::from), e.correlation_id.map(Text::from), scope.module);
        Some(decision)
    }

    /// The parameters of `tool` (bit `i` for parameter `i`) that `run` may read from `args`
    /// with the JIT's `results`: those of every condition it evaluates or explains (all
    /// but the compiled false ones). Every bit when a condition reads `args` as a whole, or
    /// names a parameter past the 64th.
    fn arguments_read(&self, tool: u32, rules: &[u32], results: Option<&[u8]>) -> u64 {
        let slots = self.arg_slots.get(tool as usize).map(Vec::as_slice).unwrap_or(&[]);
        let mut needed = 0u64;
        for (r, i) in self.evaluated(rules, results) {
            match self.effect_reads.get(r as usize).and_then(|reads| reads.get(i)) {
                Some(super::reads::ArgsRead::Names(names)) => {
                    for &name in names.iter() {
                        match slots.get(name as usize).copied() {
                            // The tool has no such argument: reading it faults whatever is decoded.
                            None | Some(u32::MAX) => {}
                            Some(slot) if slot < 64 => needed |= 1 << slot,
                            Some(_) => return u64::MAX,
                        }
                    }
                }
                _ => return u64::MAX,
            }
        }
        needed
    }

    /// Whether no effect of `rules` fires, as `run` would find from the JIT's `results`
    /// (every effect conditional and compiled false).
    fn quiet(&self, rules: &[u32], results: Option<&[u8]>) -> bool {
        match results {
            Some(_) => self.evaluated(rules, results).next().is_none(),
            None => rules.is_empty(),
        }
    }

    /// The effects of `rules` that `run` evaluates or explains with the JIT's `results`, as
    /// (rule, effect index): all but the conditional ones compiled false.
    fn evaluated<'s>(&'s self, rules: &'s [u32], results: Option<&'s [u8]>) -> impl Iterator<Item = (u32, usize)> + 's {
        let effects =
            rules.iter().flat_map(move |&r| self.policy.rules[r as usize].effects.iter().enumerate().map(move |(i, e)| (r, i, e)));
        effects.zip(0..).filter_map(move |((r, i, effect), k): ((u32, usize, _), usize)| {
            let skipped = effect.condition.is_some() && results.and_then(|res| res.get(k)) == Some(&0);
            (!skipped).then_some((r, i))
        })
    }
}
