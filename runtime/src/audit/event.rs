//! The audit event of one decision: the decision's JSON (outcome, reason, rule, severity, tool,
//! phase, capability, tenant, correlation id, policy, explanation, …) with what happened
//! (`event`, `action`), when (`timestamp`, from the caller's clock), the request as received
//! with the policy's sensitive arguments masked, and `schema_version`. The chain fields are
//! added when the event is sealed (see `chain.rs`).

use serde_json::{Map, Value as Json};

use crate::decision::{Decision, Outcome};
use crate::policy::{Phase, Policy};
use crate::request::format_timestamp;

/// The version of the event layout; bumped when a field changes meaning.
pub const SCHEMA_VERSION: u64 = 1;

/// What replaces a masked argument's value.
pub const MASK: &str = "[masked]";

/// The event of `decision`, made on `request_text` at `timestamp_ms` (milliseconds since the
/// epoch, UTC), under `policy`. `parsed` is the text's JSON when the caller has it already. A
/// request that is not JSON is kept as a string.
pub fn audit_event(policy: &Policy, request_text: &str, parsed: Option<Json>, decision: &Decision, timestamp_ms: i64) -> Map<String, Json> {
    let Json::Object(mut event) = decision.to_json() else {
        return Map::new();
    };
    let parsed = match parsed {
        Some(json) => Ok(json),
        None => crate::json_strict::parse(request_text),
    };
    let (request, masked) = match parsed {
        Ok(mut request) => {
            let masked = mask(policy, &mut request);
            (request, masked)
        }
        Err(_) => (Json::String(request_text.to_owned()), Vec::new()),
    };
    event.insert("schema_version".to_owned(), Json::from(SCHEMA_VERSION));
    event.insert("timestamp".to_owned(), Json::from(format_timestamp(timestamp_ms)));
    event.insert("event".to_owned(), Json::from(event_name(decision)));
    event.insert("action".to_owned(), Json::from(action(decision)));
    event.insert("request".to_owned(), request);
    let mut masked = masked;
    masked.extend(mask_decision(policy, &mut event));
    if !masked.is_empty() {
        event.insert("masked".to_owned(), Json::from(masked));
    }
    event
}

/// What kind of event: the subject and what became of it (`tool_call_blocked`,
/// `input_sanitized`, `request_rejected`, …).
pub fn event_name(decision: &Decision) -> &'static str {
    let Some(phase) = decision.phase.filter(|_| decision.reason.as_deref() != Some("malformed_request")) else {
        return "request_rejected";
    };
    // `<subject>_<outcome>`, by phase (input, context item, memory write, plan, tool call),
    // then outcome (allowed, sanitized, held for approval, blocked).
    const NAMES: [[&str; 4]; 5] = [
        ["input_allowed", "input_sanitized", "input_held_for_approval", "input_blocked"],
        ["context_item_allowed", "context_item_sanitized", "context_item_held_for_approval", "context_item_blocked"],
        ["memory_write_allowed", "memory_write_sanitized", "memory_write_held_for_approval", "memory_write_blocked"],
        ["plan_allowed", "plan_sanitized", "plan_held_for_approval", "plan_blocked"],
        ["tool_call_allowed", "tool_call_sanitized", "tool_call_held_for_approval", "tool_call_blocked"],
    ];
    let subject = match phase {
        Phase::Input => 0,
        Phase::Context => 1,
        Phase::MemoryWrite => 2,
        Phase::Plan => 3,
        Phase::Evaluate => 4,
    };
    NAMES[subject][decision.outcome as usize]
}

/// What the caller does with the subject: `blocked_before_llm`, `held_for_approval`, ….
pub fn action(decision: &Decision) -> &'static str {
    let Some(phase) = decision.phase.filter(|_| decision.reason.as_deref() != Some("malformed_request")) else {
        return "rejected";
    };
    match (phase, decision.outcome) {
        (_, Outcome::RequireApproval) => "held_for_approval",
        (Phase::Input, Outcome::Allow) => "passed_to_llm",
        (Phase::Input, Outcome::Sanitize) => "sanitized_before_llm",
        (Phase::Input, Outcome::Block) => "blocked_before_llm",
        (Phase::Context, Outcome::Allow) => "added_to_context",
        (Phase::Context, Outcome::Sanitize) => "sanitized_before_context",
        (Phase::Context, Outcome::Block) => "dropped_from_context",
        (Phase::MemoryWrite, Outcome::Allow) => "written_to_memory",
        (Phase::MemoryWrite, Outcome::Sanitize) => "sanitized_before_memory",
        (Phase::MemoryWrite, Outcome::Block) => "kept_out_of_memory",
        (Phase::Plan | Phase::Evaluate, Outcome::Allow) => "allowed_to_execute",
        (Phase::Plan | Phase::Evaluate, Outcome::Sanitize) => "sanitized_before_execution",
        (Phase::Plan | Phase::Evaluate, Outcome::Block) => "blocked_before_execution",
    }
}

/// Replaces the values of the arguments the policy declares `sensitive` (in `call.args` and
/// in each plan step's `args`, `plan.steps[i].args`) by [`MASK`]; returns their paths.
pub fn mask(policy: &Policy, request: &mut Json) -> Vec<String> {
    let mut masked = Vec::new();
    if let Some(call) = request.get_mut("call") {
        mask_call(policy, call, "call", &mut masked);
    }
    if let Some(Json::Array(steps)) = request.get_mut("plan").and_then(|p| p.get_mut("steps")) {
        for (i, step) in steps.iter_mut().enumerate() {
            mask_call(policy, step, &format!("plan.steps[{i}]"), &mut masked);
        }
    }
    masked
}

fn mask_call(policy: &Policy, call: &mut Json, path: &str, masked: &mut Vec<String>) {
    let Some(name) = call.get("tool").and_then(Json::as_str).map(str::to_owned) else {
        return;
    };
    let Some(Json::Object(args)) = call.get_mut("args") else {
        return;
    };
    // Every tool of that name, whichever tenant declares it: a request with a wrong tenant
    // is still masked.
    for (key, value) in args.iter_mut().filter(|(_, v)| !v.is_null()) {
        let sensitive = policy.tools.iter().filter(|t| t.name == name).any(|t| t.params.iter().any(|p| p.sensitive && p.name == *key));
        if sensitive {
            *value = Json::from(MASK);
            masked.push(format!("{path}.args.{key}"));
        }
    }
}

/// Masks what a decision shows of sensitive arguments: explanation values of expressions that
/// read one (`args.body`, `args.body.lower()`) and the error of a request whose invalid field
/// is one. Returns the masked paths (`explain[0].values.args.body`, `error`). Every tool's
/// sensitive names count, whichever tool the decision is about (a plan has several).
pub fn mask_decision(policy: &Policy, decision: &mut Map<String, Json>) -> Vec<String> {
    let names = sensitive_names(policy);
    let mut masked = Vec::new();
    if names.is_empty() {
        return masked;
    }
    let reads = |text: &str| names.iter().any(|n| reads_arg(text, n));
    if let Some(Json::Array(entries)) = decision.get_mut("explain") {
        for (i, entry) in entries.iter_mut().enumerate() {
            if let Some(Json::Object(values)) = entry.get_mut("values") {
                for (key, value) in values.iter_mut().filter(|(k, _)| reads(k)) {
                    *value = Json::from(MASK);
                    masked.push(format!("explain[{i}].values.{key}"));
                }
            }
        }
    }
    let field = decision.get("field").and_then(Json::as_str).unwrap_or("");
    if field_is_sensitive(&names, field) && decision.contains_key("error") {
        decision.insert("error".to_owned(), Json::from(MASK));
        masked.push("error".to_owned());
    }
    masked
}

/// The invalid `field` of a malformed request is a sensitive argument (`call.args.body`,
/// `plan.steps[0].args.body.x`), so its error may quote the value.
pub(super) fn field_is_sensitive(names: &[&str], field: &str) -> bool {
    names.iter().any(|n| field.strip_suffix(n).is_some_and(|f| f.ends_with("args.")) || field.contains(&format!("args.{n}.")))
}

/// The names of every tool's sensitive parameters.
pub(super) fn sensitive_names(policy: &Policy) -> smallvec::SmallVec<[&str; 8]> {
    policy.tools.iter().flat_map(|t| t.params.iter()).filter(|p| p.sensitive).map(|p| p.name.as_str()).collect()
}

/// `text` (an expression) reads `args.<name>`: the name is not the start of a longer one.
pub(super) fn reads_arg(text: &str, name: &str) -> bool {
    const ARGS: &[u8] = b"args.";
    let word = |c: char| c.is_alphanumeric() || c == '_';
    // Each `args.` (it cannot overlap itself), found byte by byte: expression texts are short,
    // and a substring searcher's set-up costs more than the search.
    text.as_bytes().windows(ARGS.len()).enumerate().filter(|(_, w)| *w == ARGS).any(|(at, _)| {
        // `at` is next to an ASCII byte, so a character boundary.
        let before = text[..at].chars().next_back();
        let after = text[at + ARGS.len()..].strip_prefix(name).map(|rest| rest.chars().next());
        matches!(after, Some(next) if !next.is_some_and(word)) && !before.is_some_and(|c| word(c) || c == '.')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expression_reads_an_argument_only_by_its_whole_name() {
        for (text, reads) in [
            ("args.memo", true),
            ("args.memo contains \"x\"", true),
            ("(args.memo).len()", true),
            ("args.to == \"a\" && args.memo", true),
            ("args.memo_2", false),
            ("args.memoé", false),
            ("xargs.memo", false),
            ("éargs.memo", false),
            ("call.args.memo", false),
            ("args.me", false),
            ("args.", false),
            ("", false),
        ] {
            assert_eq!(reads_arg(text, "memo"), reads, "{text}");
        }
    }

    #[test]
    fn event_names_are_subject_then_outcome() {
        let phases = [
            (Phase::Input, "input"),
            (Phase::Context, "context_item"),
            (Phase::MemoryWrite, "memory_write"),
            (Phase::Plan, "plan"),
            (Phase::Evaluate, "tool_call"),
        ];
        let outcomes = [
            (Outcome::Allow, "allowed"),
            (Outcome::Sanitize, "sanitized"),
            (Outcome::RequireApproval, "held_for_approval"),
            (Outcome::Block, "blocked"),
        ];
        for (phase, subject) in phases {
            for (outcome, word) in outcomes {
                assert_eq!(event_name(&Decision::new(outcome, Some(phase))), format!("{subject}_{word}"));
            }
        }
        assert_eq!(event_name(&Decision::gate("malformed_request", Some(Phase::Input))), "request_rejected");
        assert_eq!(event_name(&Decision::new(Outcome::Allow, None)), "request_rejected");
    }
}
