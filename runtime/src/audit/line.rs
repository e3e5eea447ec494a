//! The sealed line of a decision's audit event, written in one pass into reused buffers: the
//! members go out in their canonical (RFC 8785) order, which is fixed because the set of keys
//! is, so nothing is sorted, no member list or JSON tree is built, and the `hash` member is
//! spliced in at its place once the rest is hashed. The text equals what `audit_event`
//! followed by `ChainHead::seal` gives, byte for byte (`tests/audit.rs` checks both on every
//! example request of every policy set; the fuzz target `audit` on arbitrary text).

use std::borrow::Borrow;

use sha2::{Digest, Sha256};

use super::canonical::{key_order, normalise, string, write_canonical};
use super::chain::{ChainHead, HEX};
use super::event::{action, event_name, field_is_sensitive, mask, reads_arg, sensitive_names, MASK, SCHEMA_VERSION};
use super::quoted::Quoted;
use super::shape::Shapes;
use crate::decision::{Decision, ExplainEntry, Outcome, Text};
use crate::eval::Scanned;
use crate::policy::Policy;
use crate::request::{write_timestamp, MAX_REQUEST_BYTES};
use crate::schema::{PROVENANCES, SEVERITIES};
use crate::value::Value;

/// Every key an event can have, in canonical order (the order `line` writes them in).
#[cfg(test)]
const KEYS: [&str; 26] = [
    "action",
    "approvers",
    "capabilities",
    "capability",
    "correlation_id",
    "decision",
    "decision_id",
    "error",
    "event",
    "explain",
    "field",
    "hash",
    "masked",
    "phase",
    "policy",
    "prev_hash",
    "reason",
    "request",
    "rule",
    "sanitized",
    "schema_version",
    "seq",
    "severity",
    "tenant",
    "timestamp",
    "tool",
];

/// Buffers reused from one event to the next.
#[derive(Debug, Default)]
pub struct EventLines {
    line: String,
    request: String,
    timestamp: String,
    /// The time `timestamp` was written for (events in one millisecond share it).
    timestamp_ms: Option<i64>,
    /// The policy hash and name of the last event, and its `,"policy":{…}` member.
    policy: Option<(Text, Text)>,
    policy_member: String,
    /// The hash this writer gave the last event it sealed (hex digits: nothing to escape).
    last_hash: String,
    masked: Vec<String>,
    /// For one explanation entry: each distinct text's first and last index, and whether it
    /// reads a sensitive argument.
    values: Vec<(usize, usize, bool)>,
    /// Plans of the request structures seen (see `shape.rs`).
    shapes: Shapes,
    /// The JSON forms of the policy's texts (see `quoted.rs`).
    quoted: Quoted,
}

impl EventLines {
    pub fn new() -> EventLines {
        EventLines::default()
    }

    /// Seals the event of `decision`, made on `request_text` at `timestamp_ms` under
    /// `policy`, into `head`'s chain, and returns its line (without the newline).
    pub fn seal(&mut self, head: &mut ChainHead, policy: &Policy, request_text: &str, decision: &Decision, timestamp_ms: i64) -> &str {
        let found = self.shapes.find(policy, request_text);
        self.seal_found(head, policy, request_text, found, decision, timestamp_ms)
    }

    /// Decides the request `text` with `decide` and seals the event of its decision (as
    /// [`EventLines::seal`] does) at the time `decide` gives. `decide` is handed the request
    /// with its envelope already read when its structure was seen before: the same match of
    /// the text serves the decision and the logged request.
    pub fn decide_and_seal<D: Borrow<Decision>>(
        &mut self,
        head: &mut ChainHead,
        policy: &Policy,
        text: &str,
        decide: impl FnOnce(&Scanned<'_>) -> (D, i64),
    ) -> (D, &str) {
        let found = self.shapes.find(policy, text);
        let (decision, timestamp_ms) = decide(&self.shapes.scanned(found, text));
        let line = self.seal_found(head, policy, text, found, decision.borrow(), timestamp_ms);
        (decision, line)
    }

    /// [`EventLines::seal`] with the request's plan already looked up (`Shapes::find`).
    fn seal_found(
        &mut self,
        head: &mut ChainHead,
        policy: &Policy,
        request_text: &str,
        found: Option<usize>,
        decision: &Decision,
        timestamp_ms: i64,
    ) -> &str {
        self.masked.clear();
        self.request.clear();
        // The request's masked paths: its plan's, or in `masked` (which the explanation's and
        // the error's follow).
        let planned = request(policy, request_text, &self.shapes, found, &mut self.request, &mut self.masked);
        if self.timestamp_ms != Some(timestamp_ms) {
            self.timestamp.clear();
            write_timestamp(&mut self.timestamp, timestamp_ms);
            self.timestamp_ms = Some(timestamp_ms);
        }
        let names = sensitive_names(policy);
        let reads = |text: &str| names.iter().any(|n| reads_arg(text, n));
        let field = decision.field.as_deref().unwrap_or("");
        let error_masked = decision.error.is_some() && field_is_sensitive(&names, field);

        let out = &mut self.line;
        out.clear();
        out.push_str("{\"action\":");
        plain(out, action(decision));
        if decision.outcome == Outcome::RequireApproval {
            out.push_str(",\"approvers\":");
            strings(out, decision.approvers.iter().map(String::as_str));
        }
        if decision.reason.as_deref() == Some("capability_missing") {
            out.push_str(",\"capabilities\":");
            strings(out, decision.capabilities.iter().map(|c| &**c));
        }
        let quoted = &mut self.quoted;
        quoted.member(out, "capability", decision.capability.as_ref());
        member(out, "correlation_id", decision.correlation_id.as_deref());
        out.push_str(",\"decision\":");
        plain(out, decision.outcome.as_str());
        out.push_str(",\"decision_id\":\"");
        decision_id(out, head, &self.timestamp);
        out.push('"');
        if let Some(error) = &decision.error {
            member(out, "error", Some(if error_masked { MASK } else { error }));
        }
        out.push_str(",\"event\":");
        plain(out, event_name(decision));
        out.push_str(",\"explain\":[");
        for (i, entry) in decision.explain.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            explain_entry(out, entry, i, &reads, &mut self.values, &mut self.masked, quoted);
        }
        out.push(']');
        member(out, "field", decision.field.as_deref());
        // The `hash` member goes here, once the rest is hashed.
        let hash_at = out.len();
        if error_masked {
            self.masked.push("error".to_owned());
        }
        if !planned.is_empty() || !self.masked.is_empty() {
            out.push_str(",\"masked\":");
            strings(out, planned.iter().chain(&self.masked).map(String::as_str));
        }
        if let Some(phase) = decision.phase {
            out.push_str(",\"phase\":");
            plain(out, phase.as_str());
        }
        let same = |(hash, name): &(Text, Text)| *hash == decision.policy_hash && *name == decision.policy_name;
        if !self.policy.as_ref().is_some_and(same) {
            let member = &mut self.policy_member;
            member.clear();
            member.push_str(",\"policy\":{\"hash\":");
            string(member, &decision.policy_hash);
            member.push_str(",\"name\":");
            string(member, &decision.policy_name);
            member.push('}');
            self.policy = Some((decision.policy_hash.clone(), decision.policy_name.clone()));
        }
        out.push_str(&self.policy_member);
        out.push_str(",\"prev_hash\":");
        // The head's hash is usually the one this writer gave the last event.
        if head.last_hash == self.last_hash {
            plain(out, &head.last_hash);
        } else {
            string(out, &head.last_hash);
        }
        quoted.member(out, "reason", decision.reason.as_ref());
        out.push_str(",\"request\":");
        out.push_str(&self.request);
        quoted.member(out, "rule", decision.rule.as_ref());
        member(out, "sanitized", decision.sanitized.as_deref());
        out.push_str(",\"schema_version\":");
        out.push_str(itoa::Buffer::new().format(SCHEMA_VERSION));
        out.push_str(",\"seq\":");
        out.push_str(itoa::Buffer::new().format(head.next_seq));
        if let Some(s) = decision.severity {
            out.push_str(",\"severity\":");
            plain(out, SEVERITIES.get(s as usize).copied().unwrap_or("high"));
        }
        member(out, "tenant", decision.tenant.as_deref());
        out.push_str(",\"timestamp\":");
        plain(out, &self.timestamp);
        quoted.member(out, "tool", decision.tool.as_ref());
        out.push('}');

        let digest = Sha256::digest(out.as_bytes());
        const PREFIX: &[u8] = b",\"hash\":\"sha256:";
        let mut hash = [0u8; PREFIX.len() + 64 + 1];
        hash[..PREFIX.len()].copy_from_slice(PREFIX);
        hex(&digest, &mut hash[PREFIX.len()..PREFIX.len() + 64]);
        hash[PREFIX.len() + 64] = b'"';
        // ASCII throughout.
        let hash = std::str::from_utf8(&hash).unwrap_or_default();
        out.insert_str(hash_at, hash);
        head.next_seq += 1;
        head.last_hash.clear();
        head.last_hash.push_str(&hash[9..hash.len() - 1]);
        self.last_hash.clone_from(&head.last_hash);
        out
    }
}

/// A string of this module's own tables or making (names, digits), which has nothing to
/// escape, quoted.
fn plain(out: &mut String, s: &str) {
    debug_assert!(crate::json_text::first_special(s.as_bytes()).is_none(), "{s}");
    out.push('"');
    out.push_str(s);
    out.push('"');
}

/// `,"key":"value"` when there is a value.
fn member(out: &mut String, key: &str, value: Option<&str>) {
    if let Some(value) = value {
        out.push_str(",\"");
        out.push_str(key);
        out.push_str("\":");
        string(out, value);
    }
}

fn strings<'a>(out: &mut String, items: impl Iterator<Item = &'a str>) {
    out.push('[');
    for (i, s) in items.enumerate() {
        if i > 0 {
            out.push(',');
        }
        string(out, s);
    }
    out.push(']');
}

fn hex(bytes: &[u8], out: &mut [u8]) {
    for (b, pair) in bytes.iter().zip(out.chunks_exact_mut(2)) {
        pair[0] = HEX[usize::from(b >> 4)];
        pair[1] = HEX[usize::from(b & 15)];
    }
}

/// The event's id: unique within the chain (its place) and across logs (when it was made) —
/// the first 32 hex digits of SHA-256 over `<prev hash>:<seq>:<timestamp>`.
fn decision_id(out: &mut String, head: &ChainHead, timestamp: &str) {
    let mut hasher = Sha256::new();
    hasher.update(head.last_hash.as_bytes());
    hasher.update(b":");
    hasher.update(itoa::Buffer::new().format(head.next_seq).as_bytes());
    hasher.update(b":");
    hasher.update(timestamp.as_bytes());
    let mut digits = [0u8; 32];
    hex(&hasher.finalize()[..16], &mut digits);
    out.push_str(std::str::from_utf8(&digits).unwrap_or_default());
}

/// The logged request: canonical, with the policy's sensitive arguments masked (their paths
/// are returned when they are its plan's, else go to `masked`); a request that is not JSON as
/// a string. `found` is its plan among `shapes` (the plans of the request structures seen),
/// if it has one.
fn request<'s>(
    policy: &Policy,
    text: &str,
    shapes: &'s Shapes,
    found: Option<usize>,
    out: &mut String,
    masked: &mut Vec<String>,
) -> &'s [String] {
    if text.len() <= MAX_REQUEST_BYTES {
        if let Some(planned) = shapes.write_found(policy, found, text, out, masked) {
            return planned;
        }
    }
    match crate::json_strict::parse(text) {
        Ok(mut json) => {
            masked.extend(mask(policy, &mut json));
            normalise(&mut json);
            write_canonical(out, &json);
        }
        Err(_) => string(out, text),
    }
    &[]
}

/// One explanation entry, members in canonical order: condition, error | result, rule, step,
/// values. Values of expressions that read a sensitive argument are masked; a text given
/// twice keeps its first place and its last value (as a JSON object would).
fn explain_entry(
    out: &mut String,
    entry: &ExplainEntry,
    index: usize,
    reads: &impl Fn(&str) -> bool,
    values: &mut Vec<(usize, usize, bool)>,
    masked: &mut Vec<String>,
    quoted: &mut Quoted,
) {
    out.push('{');
    if let Some(c) = &entry.condition {
        out.push_str("\"condition\":");
        quoted.write(out, c);
        out.push(',');
    }
    match &entry.result {
        Ok(b) => out.push_str(if *b { "\"result\":true," } else { "\"result\":false," }),
        Err(message) => {
            out.push_str("\"error\":");
            string(out, message);
            out.push(',');
        }
    }
    out.push_str("\"rule\":");
    quoted.write(out, &entry.rule);
    if let Some(step) = entry.step {
        out.push_str(",\"step\":");
        out.push_str(itoa::Buffer::new().format(step));
    }
    values.clear();
    for (i, (text, _)) in entry.values.iter().enumerate() {
        match values.iter_mut().find(|(first, _, _)| entry.values[*first].0 == *text) {
            Some(slot) => slot.1 = i,
            None => values.push((i, i, false)),
        }
    }
    for (first, _, sensitive) in values.iter_mut() {
        let text = &entry.values[*first].0;
        *sensitive = reads(text);
        if *sensitive {
            masked.push(format!("explain[{index}].values.{text}"));
        }
    }
    values.sort_by(|a, b| key_order(&entry.values[a.0].0, &entry.values[b.0].0));
    out.push_str(",\"values\":{");
    for (j, &(first, last, sensitive)) in values.iter().enumerate() {
        if j > 0 {
            out.push(',');
        }
        quoted.write(out, &entry.values[first].0);
        out.push(':');
        if sensitive {
            string(out, MASK);
        } else {
            value(out, &entry.values[last].1);
        }
    }
    out.push_str("}}");
}

/// A plain value in canonical form (what `plain_json` then `normalise` give).
fn value(out: &mut String, v: &Value) {
    let name = |out: &mut String, names: &[&str], i: u8| match names.get(usize::from(i)) {
        Some(n) => string(out, n),
        None => out.push_str("null"),
    };
    match v {
        Value::Absent => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(i) => out.push_str(itoa::Buffer::new().format(*i)),
        Value::Decimal(d) => decimal(out, *d),
        Value::Str(s) | Value::Email(s) | Value::Url(s) | Value::Path(s) | Value::Ip(s) => string(out, s),
        Value::Timestamp(t) => {
            out.push('"');
            write_timestamp(out, *t);
            out.push('"');
        }
        Value::Duration(d) => {
            out.push('"');
            out.push_str(itoa::Buffer::new().format(*d));
            out.push_str("ms\"");
        }
        Value::Provenance(p) => name(out, &PROVENANCES, *p),
        Value::Severity(s) => name(out, &SEVERITIES, *s),
        Value::Regex(i) | Value::Tool(i) => out.push_str(itoa::Buffer::new().format(*i)),
        Value::Enum(_, i) => out.push_str(itoa::Buffer::new().format(*i)),
        Value::List(items) | Value::Set(items) | Value::Record(items) | Value::Args(_, items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                value(out, item);
            }
            out.push(']');
        }
    }
}

/// A decimal (ten-thousandths) as ECMAScript writes the nearest double: `120.5`, `120`.
fn decimal(out: &mut String, d: i64) {
    // Exact below 2^53, and IEEE division rounds once, as parsing the decimal text would.
    let f = if d.unsigned_abs() <= 1 << 53 {
        d as f64 / 10_000.0
    } else {
        let sign = if d < 0 { "-" } else { "" };
        format!("{sign}{}.{:04}", d.unsigned_abs() / 10_000, d.unsigned_abs() % 10_000).parse().unwrap_or(0.0)
    };
    out.push_str(ryu_js::Buffer::new().format_finite(f));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_in_canonical_order() {
        assert!(KEYS.is_sorted_by(|a, b| key_order(a, b).is_lt()));
    }

    #[test]
    fn decimals_are_written_as_ecmascript_numbers() {
        for (d, text) in [(1_205_000, "120.5"), (1_200_000, "120"), (-5, "-0.0005"), (0, "0"), (i64::MAX, "922337203685477.6")] {
            let mut out = String::new();
            decimal(&mut out, d);
            assert_eq!(out, text);
        }
    }

    #[test]
    fn values_are_written_as_the_json_path_writes_them() {
        use crate::decision::plain_json;
        let mut d: i64 = 1;
        let mut values = vec![Value::Absent, Value::Bool(true), Value::Timestamp(-1), Value::Duration(1_500), Value::Provenance(9)];
        for _ in 0..200 {
            d = d.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            values.extend([Value::Decimal(d), Value::Decimal(d >> 20), Value::Decimal(d % 1_000_000), Value::Int(d)]);
        }
        for v in values {
            let mut out = String::new();
            value(&mut out, &v);
            assert_eq!(out, super::super::canonical(&plain_json(&v)), "{v:?}");
        }
    }
}
