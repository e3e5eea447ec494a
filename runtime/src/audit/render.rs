//! The decision part of an audit event written straight in canonical form from the
//! [`Decision`], with the masking of `mask_decision`: the same members, values and masked
//! paths as `Decision::to_json` followed by `mask_decision`, `normalise` and canonical
//! writing, without building the JSON object (`tests/audit.rs` checks the two agree).

use std::borrow::Cow;

use serde_json::Value as Json;

use super::canonical::{key_order, normalise, string, write_canonical};
use super::chain::Members;
use super::event::{reads_arg, sensitive_names, MASK};
use crate::decision::{plain_json, Decision, Outcome};
use crate::policy::Policy;
use crate::schema::SEVERITIES;

fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    string(&mut out, s);
    out
}

fn strings<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let mut out = String::from("[");
    for (i, s) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        string(&mut out, s);
    }
    out.push(']');
    out
}

/// The members of `decision`'s JSON, each as canonical text, masked for `policy`'s
/// sensitive arguments; the masked paths are appended to `masked`.
pub fn decision_members(policy: &Policy, decision: &Decision, masked: &mut Vec<String>) -> Members {
    let names = sensitive_names(policy);
    let reads = |text: &str| names.iter().any(|n| reads_arg(text, n));
    let mut m: Members = Vec::with_capacity(24);
    let mut put = |k: &'static str, v: String| m.push((Cow::Borrowed(k), v));
    put("decision", quoted(decision.outcome.as_str()));
    let optional = [
        ("reason", decision.reason.as_deref()),
        ("rule", decision.rule.as_deref()),
        ("severity", decision.severity.map(|s| SEVERITIES.get(s as usize).copied().unwrap_or("high"))),
        ("tool", decision.tool.as_deref()),
        ("phase", decision.phase.map(|p| p.as_str())),
        ("capability", decision.capability.as_deref()),
        ("tenant", decision.tenant.as_deref()),
        ("correlation_id", decision.correlation_id.as_deref()),
    ];
    for (k, v) in optional {
        if let Some(v) = v {
            put(k, quoted(v));
        }
    }
    put("policy", format!("{{\"hash\":{},\"name\":{}}}", quoted(&decision.policy_hash), quoted(&decision.policy_name)));
    if decision.outcome == Outcome::RequireApproval {
        put("approvers", strings(decision.approvers.iter().map(String::as_str)));
    }
    if let Some(s) = &decision.sanitized {
        put("sanitized", quoted(s));
    }
    if decision.reason.as_deref() == Some("capability_missing") {
        put("capabilities", strings(decision.capabilities.iter().map(|c| &**c)));
    }
    if let Some(f) = &decision.field {
        put("field", quoted(f));
    }
    let mut explain = String::from("[");
    for (i, e) in decision.explain.iter().enumerate() {
        if i > 0 {
            explain.push(',');
        }
        // Members in canonical order: condition, error | result, rule, step, values.
        explain.push('{');
        if let Some(c) = &e.condition {
            explain.push_str("\"condition\":");
            string(&mut explain, c);
            explain.push(',');
        }
        match &e.result {
            Ok(b) => explain.push_str(if *b { "\"result\":true," } else { "\"result\":false," }),
            Err(msg) => {
                explain.push_str("\"error\":");
                string(&mut explain, msg);
                explain.push(',');
            }
        }
        explain.push_str("\"rule\":");
        string(&mut explain, &e.rule);
        if let Some(step) = e.step {
            explain.push_str(&format!(",\"step\":{step}"));
        }
        // Values as a JSON object keeps them: a repeated text keeps its first place and its
        // last value.
        let mut values: Vec<(&str, Json)> = Vec::with_capacity(e.values.len());
        for (text, value) in &e.values {
            let json = if reads(text) { Json::from(MASK) } else { plain_json(value) };
            match values.iter_mut().find(|(k, _)| *k == &**text) {
                Some(slot) => slot.1 = json,
                None => values.push((text, json)),
            }
        }
        for (text, _) in values.iter().filter(|(t, _)| reads(t)) {
            masked.push(format!("explain[{i}].values.{text}"));
        }
        values.sort_by(|a, b| key_order(a.0, b.0));
        explain.push_str(",\"values\":{");
        for (j, (text, mut value)) in values.into_iter().enumerate() {
            if j > 0 {
                explain.push(',');
            }
            string(&mut explain, text);
            explain.push(':');
            normalise(&mut value);
            write_canonical(&mut explain, &value);
        }
        explain.push_str("}}");
    }
    explain.push(']');
    let field = decision.field.as_deref().unwrap_or("");
    let error_masked = names.iter().any(|n| field.ends_with(&format!("args.{n}")) || field.contains(&format!("args.{n}.")));
    if let Some(error) = &decision.error {
        if error_masked {
            masked.push("error".to_owned());
        }
        put("error", quoted(if error_masked { MASK } else { error }));
    }
    put("explain", explain);
    m.sort_by(|a, b| key_order(&a.0, &b.0));
    m
}
