//! `audit stats`: what a log says about the agents it governed — decisions by tenant, tool,
//! rule and reason in time buckets, the most-blocked tools, and approval rates.

use std::collections::BTreeMap;

use aisecops_runtime::audit::LogLine;
use aisecops_runtime::request::{format_timestamp, parse_timestamp};
use serde::Serialize;
use serde_json::Value as Json;

/// Decisions by outcome.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Counts {
    pub total: u64,
    pub allow: u64,
    pub sanitize: u64,
    pub require_approval: u64,
    pub block: u64,
}

impl Counts {
    fn add(&mut self, decision: &str) {
        self.total += 1;
        match decision {
            "ALLOW" => self.allow += 1,
            "SANITIZE" => self.sanitize += 1,
            "REQUIRE_APPROVAL" => self.require_approval += 1,
            _ => self.block += 1,
        }
    }

    /// The share of decisions that asked for approval.
    pub fn approval_rate(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.require_approval as f64 / self.total as f64
        }
    }
}

/// One time bucket (or the whole log).
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Breakdown {
    pub decisions: Counts,
    pub by_tenant: BTreeMap<String, Counts>,
    pub by_tool: BTreeMap<String, Counts>,
    pub by_rule: BTreeMap<String, Counts>,
    pub by_reason: BTreeMap<String, Counts>,
}

impl Breakdown {
    fn add(&mut self, event: &Json) {
        let text = |k: &str| event.get(k).and_then(Json::as_str);
        let decision = text("decision").unwrap_or("BLOCK");
        self.decisions.add(decision);
        self.by_tenant.entry(text("tenant").unwrap_or("(none)").to_owned()).or_default().add(decision);
        if let Some(tool) = text("tool") {
            self.by_tool.entry(tool.to_owned()).or_default().add(decision);
        }
        if let Some(rule) = text("rule") {
            self.by_rule.entry(rule.to_owned()).or_default().add(decision);
        }
        if let Some(reason) = text("reason") {
            self.by_reason.entry(reason.to_owned()).or_default().add(decision);
        }
    }
}

/// A summary of a log.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Stats {
    pub events: u64,
    pub bucket_ms: i64,
    pub total: Breakdown,
    /// By the start of each time bucket (RFC 3339).
    pub buckets: BTreeMap<String, Breakdown>,
    /// Tools by blocked calls, most first (ties by name).
    pub most_blocked_tools: Vec<(String, u64)>,
    /// For each tool, the share of its calls that asked for approval.
    pub approval_rates: BTreeMap<String, f64>,
    /// Lines that are not events.
    pub unreadable: u64,
}

/// Summarises the events of `lines` in buckets of `bucket_ms`.
pub fn stats(lines: &[LogLine], bucket_ms: i64) -> Stats {
    let bucket_ms = bucket_ms.max(1);
    let mut s = Stats { bucket_ms, ..Stats::default() };
    for line in lines {
        let Ok(event) = serde_json::from_str::<Json>(&line.text) else {
            s.unreadable += u64::from(line.complete);
            continue;
        };
        s.events += 1;
        s.total.add(&event);
        let at = event.get("timestamp").and_then(Json::as_str).and_then(|t| parse_timestamp(t).ok()).unwrap_or(0);
        let start = at.div_euclid(bucket_ms) * bucket_ms;
        s.buckets.entry(format_timestamp(start)).or_default().add(&event);
    }
    let mut blocked: Vec<(String, u64)> = s.total.by_tool.iter().filter(|(_, c)| c.block > 0).map(|(t, c)| (t.clone(), c.block)).collect();
    blocked.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    s.most_blocked_tools = blocked;
    s.approval_rates = s.total.by_tool.iter().map(|(t, c)| (t.clone(), c.approval_rate())).collect();
    s
}
