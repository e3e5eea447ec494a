//! Replay: every request recorded in a log is decided again under another policy, and the
//! drift is counted — decisions changed by (old → new) outcome and by rule, with example
//! correlation ids, and those unchanged. Under the policy that wrote the log, every decision
//! must come out exactly as logged, explanation included (forensic reconstruction); the
//! report says whether it did.

use std::collections::{BTreeMap, BTreeSet};

use aisecops_runtime::audit::{mask_decision, normalise, LogLine, Place};
use serde::Serialize;
use serde_json::{Map, Value as Json};

use crate::Engine;

/// How many example ids are kept per kind of change.
const EXAMPLES: usize = 5;

/// Fields of an event that are not part of the decision.
const AUDIT_ONLY: [&str; 10] =
    ["schema_version", "timestamp", "event", "action", "request", "masked", "seq", "prev_hash", "hash", "decision_id"];

/// One kind of change: how often, and a few events it happened to.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Change {
    pub count: u64,
    pub examples: Vec<String>,
}

impl Change {
    fn add(&mut self, id: &str) {
        self.count += 1;
        if self.examples.len() < EXAMPLES {
            self.examples.push(id.to_owned());
        }
    }
}

/// How a rule's part in the decisions changed.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct RuleDrift {
    /// Decisions this rule makes now and did not before.
    pub gained: Change,
    /// Decisions this rule made before and does not now.
    pub lost: Change,
}

/// One changed decision.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Changed {
    pub seq: u64,
    pub correlation_id: Option<String>,
    pub before: Outcome,
    pub after: Outcome,
}

/// The deciding part of a decision.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Outcome {
    pub decision: String,
    pub rule: Option<String>,
    pub reason: Option<String>,
}

/// The drift of a log under a policy.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Drift {
    /// The policy hashes that wrote the log's events.
    pub logged_policies: BTreeSet<String>,
    pub policy: String,
    pub events: u64,
    /// Same decision, rule and reason.
    pub unchanged: u64,
    /// Identical decision JSON, explanation included (the policy's name and hash aside).
    pub identical: u64,
    /// Changed decisions by `"OLD → NEW"`.
    pub by_decision: BTreeMap<String, Change>,
    /// Changed decisions by rule (`(default)` for decisions no rule made).
    pub by_rule: BTreeMap<String, RuleDrift>,
    /// Every changed decision, in log order.
    pub changed: Vec<Changed>,
    /// Events with masked arguments whose decision or explanation came out differently: the
    /// policy saw values the log does not keep, so they cannot be compared.
    pub masked: Change,
    /// Lines that are not events.
    pub unreadable: Vec<String>,
}

impl Drift {
    /// Replayed under the policy that wrote every event: whether every decision came out
    /// exactly as logged, explanation included (events whose masked arguments mattered
    /// cannot be, and are counted apart).
    pub fn forensic(&self) -> Option<bool> {
        (self.logged_policies.len() == 1 && self.logged_policies.contains(&self.policy))
            .then_some(self.identical + self.masked.count == self.events)
    }
}

fn outcome_of(decision: &Map<String, Json>) -> Outcome {
    let text = |k: &str| decision.get(k).and_then(Json::as_str).map(str::to_owned);
    Outcome { decision: text("decision").unwrap_or_default(), rule: text("rule"), reason: text("reason") }
}

/// Decides every event of `lines` again under `engine`, on every core; the report is the same
/// as one thread's (chunks are merged in log order).
pub fn replay(engine: &Engine, lines: &[LogLine]) -> Drift {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(lines.len() / 1024 + 1);
    let chunk = lines.len().div_ceil(threads.max(1)).max(1);
    let parts: Vec<Drift> = std::thread::scope(|scope| {
        let handles: Vec<_> = lines.chunks(chunk).map(|part| (part, scope.spawn(move || replay_lines(engine, part)))).collect();
        // A chunk that failed is reported as unreadable, line for line.
        let failed = |part: &[LogLine]| Drift { unreadable: part.iter().map(|l| place(&l.place)).collect(), ..Drift::default() };
        handles.into_iter().map(|(part, h)| h.join().unwrap_or_else(|_| failed(part))).collect()
    });
    let mut drift = Drift { policy: engine.hash().to_owned(), ..Drift::default() };
    for part in parts {
        drift.merge(part);
    }
    drift
}

fn replay_lines(engine: &Engine, lines: &[LogLine]) -> Drift {
    let mut drift = Drift { policy: engine.hash().to_owned(), ..Drift::default() };
    for line in lines {
        match serde_json::from_str::<Json>(&line.text) {
            Ok(Json::Object(event)) if event.contains_key("request") => replay_event(engine, event, &mut drift),
            _ if !line.complete => {} // a torn final write
            _ => drift.unreadable.push(place(&line.place)),
        }
    }
    drift
}

impl Change {
    fn merge(&mut self, other: Change) {
        self.count += other.count;
        let room = EXAMPLES.saturating_sub(self.examples.len());
        self.examples.extend(other.examples.into_iter().take(room));
    }
}

impl Drift {
    /// Adds the drift of the events that follow this one's.
    fn merge(&mut self, later: Drift) {
        self.logged_policies.extend(later.logged_policies);
        self.events += later.events;
        self.unchanged += later.unchanged;
        self.identical += later.identical;
        for (k, c) in later.by_decision {
            self.by_decision.entry(k).or_default().merge(c);
        }
        for (k, r) in later.by_rule {
            let entry = self.by_rule.entry(k).or_default();
            entry.gained.merge(r.gained);
            entry.lost.merge(r.lost);
        }
        self.changed.extend(later.changed);
        self.masked.merge(later.masked);
        self.unreadable.extend(later.unreadable);
    }
}

fn place(p: &Place) -> String {
    p.to_string()
}

fn replay_event(engine: &Engine, mut event: Map<String, Json>, drift: &mut Drift) {
    drift.events += 1;
    let seq = event.get("seq").and_then(Json::as_u64).unwrap_or(0);
    let id = event
        .get("correlation_id")
        .and_then(Json::as_str)
        .map(str::to_owned)
        .or_else(|| event.get("decision_id").and_then(Json::as_str).map(str::to_owned))
        .unwrap_or_else(|| seq.to_string());
    if let Some(hash) = event.get("policy").and_then(|p| p.get("hash")).and_then(Json::as_str) {
        drift.logged_policies.insert(hash.to_owned());
    }
    // The logged decision depended on a masked value when its explanation or error was masked.
    let logged_masked = event
        .get("masked")
        .and_then(Json::as_array)
        .is_some_and(|paths| paths.iter().filter_map(Json::as_str).any(|p| p.starts_with("explain") || p == "error"));
    let request = match event.get("request") {
        Some(Json::String(raw)) => raw.clone(),
        Some(other) => other.to_string(),
        None => String::new(),
    };
    let mut now = engine.decide_json(&request);
    normalise(&mut now);
    for key in AUDIT_ONLY {
        event.remove(key);
    }
    let Json::Object(mut now) = now else { return };
    // The replayed decision depends on a masked value when it shows one.
    let masked = !mask_decision(engine.policy(), &mut now).is_empty() || logged_masked;
    // The policy's name and hash differ between versions by design; the rest must not.
    event.remove("policy");
    now.remove("policy");
    if now == event {
        drift.identical += 1;
        drift.unchanged += 1;
        return;
    }
    if masked {
        // The decision or its explanation involves a value the log does not keep.
        drift.masked.add(&id);
        return;
    }
    let (before, after) = (outcome_of(&event), outcome_of(&now));
    if before == after {
        drift.unchanged += 1;
        return;
    }
    drift.by_decision.entry(format!("{} → {}", before.decision, after.decision)).or_default().add(&id);
    let rule_name = |o: &Outcome| o.rule.clone().unwrap_or_else(|| "(default)".to_owned());
    if before.rule != after.rule {
        drift.by_rule.entry(rule_name(&after)).or_default().gained.add(&id);
        drift.by_rule.entry(rule_name(&before)).or_default().lost.add(&id);
    } else {
        // Same rule, another outcome or reason (its effect or threshold changed).
        let entry = drift.by_rule.entry(rule_name(&after)).or_default();
        entry.gained.add(&id);
    }
    drift.changed.push(Changed {
        seq,
        correlation_id: event.get("correlation_id").and_then(Json::as_str).map(str::to_owned),
        before,
        after,
    });
}
