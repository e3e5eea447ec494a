//! Decisions and their explanations, and their JSON form (keys in a fixed order, absent keys
//! omitted), as `docs/language.md` §13.4 specifies.

use std::sync::Arc;

use serde_json::{json, Map, Value as Json};

use crate::policy::Phase;
use crate::schema::{PROVENANCES, SEVERITIES};
use crate::value::Value;

/// Shared text: names and reasons are shared with the policy, not copied per decision.
pub type Text = Arc<str>;

/// The empty text, shared (a new decision's policy name and hash until they are set).
fn empty_text() -> Text {
    static EMPTY: std::sync::LazyLock<Text> = std::sync::LazyLock::new(|| Arc::from(""));
    EMPTY.clone()
}

/// The outcome of a decision, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    Allow,
    Sanitize,
    RequireApproval,
    Block,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Allow => "ALLOW",
            Outcome::Sanitize => "SANITIZE",
            Outcome::RequireApproval => "REQUIRE_APPROVAL",
            Outcome::Block => "BLOCK",
        }
    }
}

/// Why one effect fired: its rule, condition text and the values that made it true (or the
/// fault that made it fail closed).
#[derive(Debug, Clone, PartialEq)]
pub struct ExplainEntry {
    pub rule: Text,
    pub condition: Option<Text>,
    /// Each evaluated subexpression's text and value, in evaluation order. Values are plain:
    /// enum variants, tools, provenances and severities appear as their names.
    pub values: Vec<(Text, Value)>,
    /// `Err(message)` for an effect that faulted.
    pub result: Result<bool, String>,
    /// For plans: the step the entry comes from.
    pub step: Option<usize>,
}

/// A decision about one request.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub outcome: Outcome,
    pub reason: Option<Text>,
    pub rule: Option<Text>,
    pub severity: Option<u8>,
    pub tool: Option<Text>,
    pub phase: Option<Phase>,
    pub capability: Option<Text>,
    pub tenant: Option<Text>,
    pub correlation_id: Option<Text>,
    pub policy_name: Text,
    pub policy_hash: Text,
    pub approvers: Vec<String>,
    pub sanitized: Option<String>,
    pub capabilities: Vec<Text>,
    pub field: Option<String>,
    pub error: Option<String>,
    pub explain: Vec<ExplainEntry>,
}

impl Decision {
    /// A decision with no reason yet.
    pub fn new(outcome: Outcome, phase: Option<Phase>) -> Decision {
        Decision {
            outcome,
            reason: None,
            rule: None,
            severity: None,
            tool: None,
            phase,
            capability: None,
            tenant: None,
            correlation_id: None,
            policy_name: empty_text(),
            policy_hash: empty_text(),
            approvers: Vec::new(),
            sanitized: None,
            capabilities: Vec::new(),
            field: None,
            error: None,
            explain: Vec::new(),
        }
    }

    /// A `BLOCK` for a failed gate (`tenant_mismatch`, `unknown_tool`, …), severity high.
    pub fn gate(reason: &str, phase: Option<Phase>) -> Decision {
        let mut d = Decision::new(Outcome::Block, phase);
        d.reason = Some(Arc::from(reason));
        d.severity = Some(2);
        d
    }

    /// The JSON form of the decision.
    pub fn to_json(&self) -> Json {
        let mut m = Map::new();
        m.insert("decision".into(), json!(self.outcome.as_str()));
        let mut put = |k: &str, v: Option<Json>| {
            if let Some(v) = v {
                m.insert(k.into(), v);
            }
        };
        put("reason", self.reason.as_ref().map(|r| json!(&**r)));
        put("rule", self.rule.as_ref().map(|r| json!(&**r)));
        put("severity", self.severity.map(|s| json!(SEVERITIES.get(s as usize).copied().unwrap_or("high"))));
        put("tool", self.tool.as_ref().map(|t| json!(&**t)));
        put("phase", self.phase.map(|p| json!(p.as_str())));
        put("capability", self.capability.as_ref().map(|c| json!(&**c)));
        put("tenant", self.tenant.as_ref().map(|t| json!(&**t)));
        put("correlation_id", self.correlation_id.as_ref().map(|c| json!(&**c)));
        put("policy", Some(json!({"name": &*self.policy_name, "hash": &*self.policy_hash})));
        put("approvers", (self.outcome == Outcome::RequireApproval).then(|| json!(self.approvers)));
        put("sanitized", self.sanitized.as_ref().map(|s| json!(s)));
        put(
            "capabilities",
            (self.reason.as_deref() == Some("capability_missing"))
                .then(|| Json::Array(self.capabilities.iter().map(|c| json!(&**c)).collect())),
        );
        put("field", self.field.as_ref().map(|f| json!(f)));
        put("error", self.error.as_ref().map(|e| json!(e)));
        let explain: Vec<Json> = self
            .explain
            .iter()
            .map(|e| {
                let mut o = Map::new();
                o.insert("rule".into(), json!(&*e.rule));
                if let Some(step) = e.step {
                    o.insert("step".into(), json!(step));
                }
                if let Some(c) = &e.condition {
                    o.insert("condition".into(), json!(&**c));
                }
                let mut values = Map::new();
                for (k, v) in &e.values {
                    values.insert(k.to_string(), plain_json(v));
                }
                o.insert("values".into(), Json::Object(values));
                match &e.result {
                    Ok(b) => o.insert("result".into(), json!(b)),
                    Err(msg) => o.insert("error".into(), json!(msg)),
                };
                Json::Object(o)
            })
            .collect();
        m.insert("explain".into(), Json::Array(explain));
        Json::Object(m)
    }
}

/// Renders a plain value (see [`ExplainEntry::values`]) as JSON.
pub fn plain_json(v: &Value) -> Json {
    match v {
        Value::Absent => Json::Null,
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Decimal(d) => decimal_json(*d),
        Value::Str(s) | Value::Email(s) | Value::Url(s) | Value::Path(s) | Value::Ip(s) => json!(&**s),
        Value::Timestamp(t) => json!(crate::request::format_timestamp(*t)),
        Value::Duration(d) => json!(format!("{d}ms")),
        Value::Provenance(p) => json!(PROVENANCES.get(*p as usize)),
        Value::Severity(s) => json!(SEVERITIES.get(*s as usize)),
        Value::Regex(i) | Value::Tool(i) => json!(i),
        Value::Enum(_, i) => json!(i),
        Value::List(items) | Value::Set(items) | Value::Record(items) | Value::Args(_, items) => {
            Json::Array(items.iter().map(plain_json).collect())
        }
    }
}

/// A decimal as an exact JSON number (`120.5`).
fn decimal_json(d: i64) -> Json {
    let sign = if d < 0 { "-" } else { "" };
    let abs = d.unsigned_abs();
    let mut text = format!("{sign}{}.{:04}", abs / 10_000, abs % 10_000);
    while text.ends_with('0') {
        text.pop();
    }
    if text.ends_with('.') {
        text.push('0');
    }
    text.parse::<serde_json::Number>().map(Json::Number).unwrap_or(Json::Null)
}
