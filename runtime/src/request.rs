//! Requests: the envelope decoded strictly from JSON (unknown keys, wrong types and missing
//! subjects are malformed requests), with tool arguments kept as JSON until the policy's schema
//! decodes them (see `args.rs`).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value as Json};

use crate::decision::Text;
use crate::policy::Phase;
use crate::schema::PROVENANCES;
use crate::value::Value;

/// A request that could not be read; answered with `malformed_request`, never a crash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    pub message: String,
    /// Path of the offending key, e.g. `session.tainted`.
    pub path: String,
}

fn malformed(path: &str, message: impl Into<String>) -> Malformed {
    Malformed { message: message.into(), path: path.to_owned() }
}

/// A tool call in a request (`call`, or a step of a plan).
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub tool: String,
    /// Index into [`PROVENANCES`].
    pub source: u8,
    /// Arguments as sent; decoded against the tool's schema during the decision.
    pub args: Map<String, Json>,
    /// Provenance of each argument; absent ones are `unknown`.
    pub provenance: BTreeMap<String, u8>,
    /// Arguments already decoded against one policy's schema (see `Compiled::prepare`); used
    /// only by that policy, recognised by its hash.
    pub prepared: Option<Prepared>,
}

/// Arguments decoded ahead of the decision, for the policy with `hash` and the tool `tool`.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub hash: std::sync::Arc<str>,
    pub tool: u32,
    pub args: Result<Value, crate::args::InvalidArgument>,
}

/// What the request is about, by phase.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    Input { text: Arc<str> },
    Item { text: Arc<str>, source: Arc<str>, provenance: u8, uri: Option<Arc<str>> },
    Call(Call),
    Plan(Vec<Call>),
}

/// A decoded request.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub phase: Phase,
    pub tenant: Option<Text>,
    pub correlation_id: Option<Text>,
    /// `request.time` in milliseconds since the epoch, if given.
    pub time: Option<i64>,
    pub agent_id: Arc<str>,
    /// A set value of strings.
    pub roles: Value,
    pub tainted: bool,
    pub labels: Value,
    pub subject: Subject,
    /// The request in the JIT's form, built by `Compiled::prepare` for one policy.
    pub frame: Option<Arc<crate::frame::Frame>>,
}

/// Largest request accepted, in bytes.
pub const MAX_REQUEST_BYTES: usize = 16 * 1024 * 1024;

impl Request {
    /// Decodes a request from JSON text.
    pub fn from_json(text: &str) -> Result<Request, Malformed> {
        if text.len() > MAX_REQUEST_BYTES {
            return Err(malformed("", format!("request is larger than {MAX_REQUEST_BYTES} bytes")));
        }
        let json: Json = crate::json_strict::parse(text).map_err(|m| malformed("", m))?;
        Request::from_value(&json)
    }

    /// Decodes a request from parsed JSON.
    pub fn from_value(json: &Json) -> Result<Request, Malformed> {
        let obj = json.as_object().ok_or_else(|| malformed("", "a request is a JSON object"))?;
        const KEYS: [&str; 10] = ["phase", "tenant", "correlation_id", "time", "agent", "session", "call", "input", "item", "plan"];
        if let Some(k) = obj.keys().find(|k| !KEYS.contains(&k.as_str())) {
            return Err(malformed(k, format!("unknown key `{k}`")));
        }
        let phase_text = string(obj, "phase", "phase")?.ok_or_else(|| malformed("phase", "`phase` is required"))?;
        let phase = Phase::parse(&phase_text).ok_or_else(|| {
            malformed("phase", format!("unknown phase `{phase_text}`; expected input, context, plan, evaluate or memory_write"))
        })?;
        let tenant = string(obj, "tenant", "tenant")?.map(Text::from);
        let correlation_id = string(obj, "correlation_id", "correlation_id")?.map(Text::from);
        let time = match string(obj, "time", "time")? {
            Some(t) => Some(parse_timestamp(&t).map_err(|m| malformed("time", m))?),
            None => None,
        };
        let (agent_id, roles) = match obj.get("agent") {
            None | Some(Json::Null) => (Arc::from(""), Value::set(vec![])),
            Some(Json::Object(a)) => {
                if let Some(k) = a.keys().find(|k| *k != "id" && *k != "roles") {
                    return Err(malformed(&format!("agent.{k}"), format!("unknown key `agent.{k}`")));
                }
                let id = string(a, "id", "agent.id")?.unwrap_or_default();
                (Arc::from(id.as_str()), string_set(a, "roles", "agent.roles")?)
            }
            Some(_) => return Err(malformed("agent", "`agent` must be an object")),
        };
        let (tainted, labels) = match obj.get("session") {
            None | Some(Json::Null) => (false, Value::set(vec![])),
            Some(Json::Object(s)) => {
                if let Some(k) = s.keys().find(|k| *k != "tainted" && *k != "labels") {
                    return Err(malformed(&format!("session.{k}"), format!("unknown key `session.{k}`")));
                }
                let tainted = match s.get("tainted") {
                    None | Some(Json::Null) => false,
                    Some(Json::Bool(b)) => *b,
                    Some(_) => return Err(malformed("session.tainted", "`session.tainted` must be a boolean")),
                };
                (tainted, string_set(s, "labels", "session.labels")?)
            }
            Some(_) => return Err(malformed("session", "`session` must be an object")),
        };
        let subject_key = match phase {
            Phase::Input => "input",
            Phase::Context | Phase::MemoryWrite => "item",
            Phase::Plan => "plan",
            Phase::Evaluate => "call",
        };
        for other in ["call", "input", "item", "plan"] {
            if other != subject_key && obj.contains_key(other) {
                return Err(malformed(other, format!("a `{}` request carries `{subject_key}`, not `{other}`", phase.as_str())));
            }
        }
        let subject_json =
            obj.get(subject_key).ok_or_else(|| malformed(subject_key, format!("a `{}` request needs `{subject_key}`", phase.as_str())))?;
        let subject = match phase {
            Phase::Input => {
                let o = object(subject_json, "input")?;
                only_keys(o, &["text"], "input")?;
                let text = string(o, "text", "input.text")?.ok_or_else(|| malformed("input.text", "`input.text` is required"))?;
                Subject::Input { text: Arc::from(text.as_str()) }
            }
            Phase::Context | Phase::MemoryWrite => {
                let o = object(subject_json, "item")?;
                only_keys(o, &["text", "source", "provenance", "uri"], "item")?;
                let text = string(o, "text", "item.text")?.ok_or_else(|| malformed("item.text", "`item.text` is required"))?;
                let source = string(o, "source", "item.source")?.unwrap_or_default();
                let provenance = provenance(o.get("provenance"), "item.provenance")?;
                let uri = string(o, "uri", "item.uri")?.map(|u| Arc::from(u.to_lowercase().as_str()));
                Subject::Item { text: Arc::from(text.as_str()), source: Arc::from(source.as_str()), provenance, uri }
            }
            Phase::Evaluate => Subject::Call(call(subject_json, "call", true)?),
            Phase::Plan => {
                let o = object(subject_json, "plan")?;
                only_keys(o, &["steps"], "plan")?;
                let steps = match o.get("steps") {
                    Some(Json::Array(steps)) => steps,
                    None => return Err(malformed("plan.steps", "`plan.steps` is required")),
                    Some(_) => return Err(malformed("plan.steps", "`plan.steps` must be an array")),
                };
                let mut calls = Vec::with_capacity(steps.len());
                for (i, step) in steps.iter().enumerate() {
                    calls.push(call(step, &format!("plan.steps[{i}]"), false)?);
                }
                Subject::Plan(calls)
            }
        };
        Ok(Request { phase, tenant, correlation_id, time, agent_id, roles, tainted, labels, subject, frame: None })
    }
}

fn object<'a>(json: &'a Json, path: &str) -> Result<&'a Map<String, Json>, Malformed> {
    json.as_object().ok_or_else(|| malformed(path, format!("`{path}` must be an object")))
}

fn only_keys(o: &Map<String, Json>, allowed: &[&str], path: &str) -> Result<(), Malformed> {
    match o.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(k) => Err(malformed(&format!("{path}.{k}"), format!("unknown key `{path}.{k}`"))),
        None => Ok(()),
    }
}

fn string(o: &Map<String, Json>, key: &str, path: &str) -> Result<Option<String>, Malformed> {
    match o.get(key) {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(malformed(path, format!("`{path}` must be a string"))),
    }
}

fn string_set(o: &Map<String, Json>, key: &str, path: &str) -> Result<Value, Malformed> {
    match o.get(key) {
        None | Some(Json::Null) => Ok(Value::set(vec![])),
        Some(Json::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                match item {
                    Json::String(s) => out.push(Value::str(s)),
                    _ => return Err(malformed(&format!("{path}[{i}]"), format!("`{path}` must hold strings"))),
                }
            }
            Ok(Value::set(out))
        }
        Some(_) => Err(malformed(path, format!("`{path}` must be an array of strings"))),
    }
}

fn provenance(json: Option<&Json>, path: &str) -> Result<u8, Malformed> {
    match json {
        None | Some(Json::Null) => Ok(6),
        Some(Json::String(s)) => PROVENANCES
            .iter()
            .position(|p| p == s)
            .map(|p| p as u8)
            .ok_or_else(|| malformed(path, format!("unknown provenance `{s}`; expected one of {}", PROVENANCES.join(", ")))),
        Some(_) => Err(malformed(path, format!("`{path}` must be a string"))),
    }
}

fn call(json: &Json, path: &str, with_source: bool) -> Result<Call, Malformed> {
    let o = object(json, path)?;
    let allowed: &[&str] = if with_source { &["tool", "source", "args", "provenance"] } else { &["tool", "args", "provenance"] };
    only_keys(o, allowed, path)?;
    let tool = string(o, "tool", &format!("{path}.tool"))?
        .ok_or_else(|| malformed(&format!("{path}.tool"), format!("`{path}.tool` is required")))?;
    let source = provenance(o.get("source"), &format!("{path}.source"))?;
    let args = match o.get("args") {
        None | Some(Json::Null) => Map::new(),
        Some(Json::Object(a)) => a.clone(),
        Some(_) => return Err(malformed(&format!("{path}.args"), format!("`{path}.args` must be an object"))),
    };
    let mut prov = BTreeMap::new();
    match o.get("provenance") {
        None | Some(Json::Null) => {}
        Some(Json::Object(p)) => {
            for (k, v) in p {
                prov.insert(k.clone(), provenance(Some(v), &format!("{path}.provenance.{k}"))?);
            }
        }
        Some(_) => return Err(malformed(&format!("{path}.provenance"), format!("`{path}.provenance` must be an object"))),
    }
    Ok(Call { tool, source, args, provenance: prov, prepared: None })
}

/// Milliseconds since the epoch of an RFC 3339 timestamp.
pub fn parse_timestamp(s: &str) -> Result<i64, String> {
    let bad = || format!("`{s}` is not an RFC 3339 timestamp such as `2026-01-31T09:30:00Z`");
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') || b[13] != b':' || b[16] != b':' || !s.is_ascii() {
        return Err(bad());
    }
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|t| t.parse::<i64>().ok()).ok_or_else(bad);
    let (year, month, day) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (hour, minute, second) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &s[19..];
    let mut millis = 0;
    if let Some(frac) = rest.strip_prefix('.') {
        let digits: String = frac.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() {
            return Err(bad());
        }
        let padded: String = digits.chars().chain("000".chars()).take(3).collect();
        millis = padded.parse::<i64>().map_err(|_| bad())?;
        rest = &frac[digits.len()..];
    }
    let offset = match rest {
        "Z" | "z" => 0,
        tz if tz.len() == 6 && (tz.starts_with('+') || tz.starts_with('-')) && &tz[3..4] == ":" => {
            let sign = if tz.starts_with('-') { -1 } else { 1 };
            let h: i64 = tz[1..3].parse().map_err(|_| bad())?;
            let m: i64 = tz[4..6].parse().map_err(|_| bad())?;
            sign * (h * 60 + m)
        }
        _ => return Err(bad()),
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days_in = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&month) || day < 1 || day > days_in[(month - 1) as usize] || hour > 23 || minute > 59 || second > 60 {
        return Err(bad());
    }
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    Ok((days * 86_400 + hour * 3_600 + minute * 60 + second - offset * 60) * 1_000 + millis)
}

/// RFC 3339 text (UTC, milliseconds) of milliseconds since the epoch.
pub fn format_timestamp(ms: i64) -> String {
    let mut out = String::with_capacity(24);
    write_timestamp(&mut out, ms);
    out
}

/// Appends [`format_timestamp`]'s text to `out`.
pub fn write_timestamp(out: &mut String, ms: i64) {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    // Howard Hinnant's civil-from-days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let (h, m, s, milli) = (rem / 3_600_000, rem / 60_000 % 60, rem / 1_000 % 60, rem % 1_000);
    if (0..=9999).contains(&year) {
        // The common case without the formatting machinery: fixed-width digits.
        let mut text = *b"0000-00-00T00:00:00.000Z";
        for (n, at, width) in [(year, 0, 4), (month, 5, 2), (day, 8, 2), (h, 11, 2), (m, 14, 2), (s, 17, 2), (milli, 20, 3)] {
            let mut n = n;
            for k in (at..at + width).rev() {
                text[k] = b'0' + (n % 10) as u8;
                n /= 10;
            }
        }
        out.push_str(std::str::from_utf8(&text).unwrap_or_default());
    } else {
        use std::fmt::Write;
        let _ = write!(out, "{year:04}-{month:02}-{day:02}T{h:02}:{m:02}:{s:02}.{milli:03}Z");
    }
}

impl std::fmt::Display for Malformed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.path.is_empty() {
            write!(f, "malformed request: {}", self.message)
        } else {
            write!(f, "malformed request at `{}`: {}", self.path, self.message)
        }
    }
}

impl std::error::Error for Malformed {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip() {
        assert_eq!(format_timestamp(1_735_732_800_000), "2025-01-01T12:00:00.000Z");
        assert_eq!(format_timestamp(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(parse_timestamp(&format_timestamp(1_769_851_800_500)), Ok(1_769_851_800_500));
        assert_eq!(parse_timestamp("2026-01-31T10:30:00+01:00"), Ok(1_769_851_800_000));
        assert!(parse_timestamp("2026-02-30T00:00:00Z").is_err());
    }
}
