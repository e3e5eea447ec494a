//! A request's facts as rules read them — the `agent`, `tenant`, `session` and `request`
//! bindings and the agent a grant is checked against — from a decoded [`Request`] or straight
//! from the borrowed fields of a request's JSON text (the fast decision path, which builds no
//! `Request`). Both give the same values: sets sorted without duplicates, absent texts empty.

#[cfg(feature = "jit")]
use super::envelope::Envelope;
use crate::ir::Binding;
use crate::request::Request;
use crate::value::Value;

/// Where the facts come from.
#[derive(Debug, Clone, Copy)]
pub enum Facts<'a> {
    Request(&'a Request),
    Text(&'a TextFacts<'a>),
}

/// The facts of a request envelope read from JSON text, borrowed from it.
#[derive(Debug, Default)]
pub struct TextFacts<'a> {
    pub tenant: Option<&'a str>,
    pub correlation_id: Option<&'a str>,
    /// `request.time` in milliseconds since the epoch.
    pub time: Option<i64>,
    pub agent_id: &'a str,
    pub roles: &'a [&'a str],
    pub tainted: bool,
    pub labels: &'a [&'a str],
}

#[cfg(feature = "jit")]
impl<'a> TextFacts<'a> {
    /// The facts of an envelope read from text, with its `time` already parsed.
    pub(super) fn of<'e: 'a>(e: &'a Envelope<'e>, time: Option<i64>) -> TextFacts<'a> {
        TextFacts {
            tenant: e.tenant,
            correlation_id: e.correlation_id,
            time,
            agent_id: e.agent.as_ref().and_then(|a| a.id).unwrap_or(""),
            roles: e.agent.as_ref().and_then(|a| a.roles.as_deref()).unwrap_or(&[]),
            tainted: e.session.as_ref().and_then(|s| s.tainted).unwrap_or(false),
            labels: e.session.as_ref().and_then(|s| s.labels.as_deref()).unwrap_or(&[]),
        }
    }
}

impl Facts<'_> {
    /// The value of a binding that comes from the request itself; `None` for the others.
    pub fn binding(self, b: Binding) -> Option<Value> {
        Some(match (self, b) {
            (Facts::Request(req), Binding::Agent) => Value::Record(vec![Value::Str(req.agent_id.clone()), req.roles.clone()].into()),
            (Facts::Text(t), Binding::Agent) => Value::Record(vec![Value::str(t.agent_id), Value::text_set(t.roles)].into()),
            (_, Binding::Tenant) => Value::str(self.tenant().unwrap_or("")),
            (Facts::Request(req), Binding::Session) => Value::Record(vec![Value::Bool(req.tainted), req.labels.clone()].into()),
            (Facts::Text(t), Binding::Session) => Value::Record(vec![Value::Bool(t.tainted), Value::text_set(t.labels)].into()),
            (_, Binding::Request) => {
                let (time, id) = match self {
                    Facts::Request(req) => (req.time, req.correlation_id.as_deref()),
                    Facts::Text(t) => (t.time, t.correlation_id),
                };
                Value::Record(vec![time.map_or(Value::Absent, Value::Timestamp), Value::str(id.unwrap_or(""))].into())
            }
            _ => return None,
        })
    }

    pub fn tenant(&self) -> Option<&str> {
        match self {
            Facts::Request(req) => req.tenant.as_deref(),
            Facts::Text(t) => t.tenant,
        }
    }

    pub fn agent_id(&self) -> &str {
        match self {
            Facts::Request(req) => &req.agent_id,
            Facts::Text(t) => t.agent_id,
        }
    }

    /// Whether the agent holds `role`.
    pub fn has_role(&self, role: &str) -> bool {
        match self {
            Facts::Request(req) => req.roles.items().is_some_and(|held| held.iter().any(|h| h.as_text() == Some(role))),
            Facts::Text(t) => t.roles.contains(&role),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    /// The same request as decoded and as borrowed text give the same bindings and grant facts.
    #[test]
    fn text_facts_equal_request_facts() {
        let cases: [(&str, TextFacts<'_>); 3] = [
            (
                r#"{"phase":"input","tenant":"acme","correlation_id":"c1","time":"2025-03-12T10:15:00Z",
                    "agent":{"id":"bot","roles":["b","a","b"]},"session":{"tainted":true,"labels":["x"]},"input":{"text":"t"}}"#,
                TextFacts {
                    tenant: Some("acme"),
                    correlation_id: Some("c1"),
                    time: Some(1_741_774_500_000),
                    agent_id: "bot",
                    roles: &["b", "a", "b"],
                    tainted: true,
                    labels: &["x"],
                },
            ),
            (r#"{"phase":"input","input":{"text":"t"}}"#, TextFacts::default()),
            (
                r#"{"phase":"input","tenant":"","agent":{"id":"","roles":[]},"session":{"labels":[]},"input":{"text":"t"}}"#,
                TextFacts { tenant: Some(""), ..TextFacts::default() },
            ),
        ];
        for (json, text) in &cases {
            let request = Request::from_json(json).unwrap();
            let (a, b) = (Facts::Request(&request), Facts::Text(text));
            for binding in [Binding::Agent, Binding::Tenant, Binding::Session, Binding::Request, Binding::Args, Binding::Call] {
                assert_eq!(a.binding(binding), b.binding(binding), "{binding:?} of {json}");
            }
            assert_eq!((a.tenant(), a.agent_id()), (b.tenant(), b.agent_id()), "{json}");
            for role in ["a", "b", "c", ""] {
                assert_eq!(a.has_role(role), b.has_role(role), "{role} of {json}");
            }
        }
    }
}
