//! Turning a `test` block into a real request. Arguments go through the same JSON decoding as
//! any request, so a test exercises exactly what a caller would.

use std::collections::BTreeMap;
use std::sync::Arc;

use aisecops_runtime::request::{Call, Request, Subject};
use aisecops_runtime::schema::{PROVENANCES, SEVERITIES};
use aisecops_runtime::value::Value as RtValue;
use aisecops_runtime::Phase as RtPhase;
use serde_json::{json, Map, Value as Json};

use crate::check::program::{Program, Test, TestRequest, ToolId};
use crate::check::types::Ty;
use crate::check::value::Value;

/// `request.time` of every test: 2025-01-01T12:00:00Z, a Wednesday noon.
pub const TEST_TIME_MS: i64 = 1_735_732_800_000;

/// The request a test block describes.
pub fn test_request(program: &Program, test: &Test) -> Request {
    let strings = |xs: &[String]| RtValue::set(xs.iter().map(|x| RtValue::str(x)).collect());
    let (phase, subject) = match &test.request {
        TestRequest::Evaluate { tool, args, provenance, source } => {
            let provenance =
                provenance.iter().filter_map(|(k, p)| Some((k.clone(), PROVENANCES.iter().position(|x| x == p)? as u8))).collect();
            let source = PROVENANCES.iter().position(|x| x == source).unwrap_or(6) as u8;
            (RtPhase::Evaluate, Subject::Call(call(program, *tool, args, provenance, source)))
        }
        TestRequest::Input { text } => (RtPhase::Input, Subject::Input { text: Arc::from(text.as_str()) }),
        TestRequest::Context { fields } | TestRequest::MemoryWrite { fields } => {
            let get = |name: &str| fields.iter().find(|(n, _)| n == name).map(|(_, v)| v);
            let text = |name: &str| match get(name) {
                Some(Value::Str(s) | Value::Url(s)) => Some(s.clone()),
                _ => None,
            };
            let provenance = match get("provenance") {
                Some(Value::Provenance(p)) => *p,
                _ => 6,
            };
            let phase = if matches!(test.request, TestRequest::Context { .. }) { RtPhase::Context } else { RtPhase::MemoryWrite };
            let subject = Subject::Item {
                text: Arc::from(text("text").unwrap_or_default().as_str()),
                source: Arc::from(text("source").unwrap_or_default().as_str()),
                provenance,
                uri: text("uri").map(|u| Arc::from(u.as_str())),
            };
            (phase, subject)
        }
        TestRequest::Plan { steps } => {
            (RtPhase::Plan, Subject::Plan(steps.iter().map(|(tool, args)| call(program, *tool, args, BTreeMap::new(), 6)).collect()))
        }
    };
    Request {
        phase,
        tenant: test.tenant.as_deref().map(Arc::from),
        correlation_id: Some(Arc::from("test")),
        time: Some(TEST_TIME_MS),
        agent_id: Arc::from(test.agent.as_str()),
        roles: strings(&test.roles),
        tainted: test.tainted,
        labels: strings(&test.labels),
        subject,
        frame: None,
    }
}

fn call(program: &Program, tool: ToolId, args: &[(String, Value)], provenance: BTreeMap<String, u8>, source: u8) -> Call {
    let t = program.tool(tool);
    let mut json_args = Map::new();
    for (name, value) in args {
        let ty = t.params.iter().find(|p| p.name == *name).map(|p| p.ty.clone()).unwrap_or(Ty::Error);
        json_args.insert(name.clone(), to_json(program, value, &ty));
    }
    Call { tool: t.name.clone(), source, args: json_args, provenance, prepared: None }
}

/// A value on the wire, as a caller would send it.
fn to_json(program: &Program, v: &Value, ty: &Ty) -> Json {
    match v {
        Value::Bool(b) => json!(b),
        Value::Int(i) => json!(i),
        Value::Decimal(d) => d.to_string().parse::<serde_json::Number>().map(Json::Number).unwrap_or(Json::Null),
        Value::Str(s) | Value::Email(s) | Value::Url(s) | Value::Path(s) | Value::Ip(s) | Value::Regex(s) => json!(s),
        Value::Timestamp(t) => json!(aisecops_runtime::request::format_timestamp(*t)),
        Value::Duration(d) => json!(format!("{d}ms")),
        Value::Enum(e, i) => json!(program.enum_(*e).variants.get(*i as usize)),
        Value::Provenance(p) => json!(PROVENANCES.get(*p as usize)),
        Value::Severity(s) => json!(SEVERITIES.get(*s as usize)),
        Value::Tool(t) => json!(program.tool(*t).name),
        Value::List(xs) | Value::Set(xs) => {
            let inner = ty.element().cloned().unwrap_or(Ty::Error);
            Json::Array(xs.iter().map(|x| to_json(program, x, &inner)).collect())
        }
        Value::Record(fields) => {
            let mut m = Map::new();
            if let Ty::Record(r) = ty.unwrap_optional() {
                let record = program.record(*r);
                for (i, x) in fields {
                    if let Some(f) = record.fields.get(*i) {
                        m.insert(f.name.clone(), to_json(program, x, &f.ty));
                    }
                }
            }
            Json::Object(m)
        }
    }
}
