//! Schema-directed decoding of tool arguments from JSON: every value is checked against its
//! declared type, defaults are applied, undeclared and missing arguments are rejected, and any
//! failure names the offending field path (`args.cc[2]`).

use std::sync::Arc;

use serde_json::{Map, Value as Json};

use crate::policy::Policy;
use crate::request::parse_timestamp;
use crate::schema::{Field, Type, PROVENANCES, SEVERITIES};
use crate::value::Value;

/// Why arguments were rejected: the path of the bad value and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidArgument {
    pub field: String,
    pub message: String,
}

fn invalid(field: &str, message: impl Into<String>) -> InvalidArgument {
    InvalidArgument { field: field.to_owned(), message: message.into() }
}

/// Decodes the arguments of a call to `tool`; `prefix` is the path of the arguments object.
pub fn decode_args(policy: &Policy, tool: u32, args: &Map<String, Json>, prefix: &str) -> Result<Value, InvalidArgument> {
    let params = &policy.tools[tool as usize].params;
    let values = decode_fields(policy, params, args, prefix)?;
    Ok(Value::Args(tool, values.into()))
}

fn decode_fields(policy: &Policy, fields: &[Field], object: &Map<String, Json>, prefix: &str) -> Result<Vec<Value>, InvalidArgument> {
    let mut values = Vec::with_capacity(fields.len());
    let mut seen = 0;
    for field in fields {
        let entry = object.get(&field.name);
        seen += usize::from(entry.is_some());
        // Paths are only built when there is something to report.
        let value = match entry {
            Some(json) if !json.is_null() => match decode_value(policy, &field.ty, json, "") {
                Ok(v) => v,
                Err(_) => decode_value(policy, &field.ty, json, &format!("{prefix}.{}", field.name))?,
            },
            _ => {
                let path = || format!("{prefix}.{}", field.name);
                match (&field.default, &field.ty) {
                    (Some(d), _) => d.clone(),
                    (None, Type::Optional(_)) => Value::Absent,
                    (None, _) if entry.is_some() => return Err(invalid(&path(), "`null` is only accepted for optional arguments")),
                    (None, _) => return Err(invalid(&path(), "required argument is missing")),
                }
            }
        };
        values.push(value);
    }
    if seen != object.len() {
        if let Some(k) = object.keys().find(|k| !fields.iter().any(|f| f.name == **k)) {
            return Err(invalid(&format!("{prefix}.{k}"), format!("`{k}` is not an argument of this tool")));
        }
    }
    Ok(values)
}

/// Whether `s` is an email address (`None` if not), and whether it is already as compared:
/// lower case, its domain without a trailing dot.
fn email_case(s: &str) -> Option<bool> {
    let (_, domain) = email_parts(s)?;
    Some(!s.bytes().any(|b| b.is_ascii_uppercase() || !b.is_ascii()) && !domain.ends_with('.'))
}

/// The local part and domain of the email address `s`, or `None` when `s` is not one address:
/// exactly one `@`; a local part of dot-separated runs of letters, digits and the marks RFC
/// 5322 allows unquoted (`!#$%&'*+-/=?^_{|}~` and the backtick); a domain of dot-separated labels of letters, digits and inner hyphens (one trailing dot
/// allowed). So a list (`eve@evil.io,bob@acme.com`), a display name, a quoted or commented
/// address, or a second `@` is not an address: a mail system would read it otherwise than one
/// domain.
pub fn email_parts(s: &str) -> Option<(&str, &str)> {
    let (local, domain) = s.split_once('@')?;
    let atom = |c: char| c.is_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c);
    let local_ok = local.len() <= 64 && local.split('.').all(|run| !run.is_empty() && run.chars().all(atom));
    let name = domain.strip_suffix('.').unwrap_or(domain);
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && !label.starts_with('-')
            && !label.ends_with('-')
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    let domain_ok = name.len() <= 253 && name.split('.').all(label_ok);
    (local_ok && domain_ok).then_some((local, domain))
}

/// An email address as compared: lower case, and its domain without the trailing dot of a
/// fully qualified name (`Bob@Evil.io.` is `bob@evil.io`, where mail to it goes) and with
/// compatibility forms folded (`eve@ｅｖｉｌ.com` is `eve@evil.com`).
fn email_normal(s: &str) -> String {
    let (local, domain) = s.rsplit_once('@').unwrap_or(("", s));
    // The domain as it is resolved (`ｅｖｉｌ.com` is `evil.com`), like a URL's host.
    let domain = crate::natives::net::host_name(domain).unwrap_or_else(|| domain.trim_end_matches('.').to_lowercase());
    format!("{}@{domain}", local.to_lowercase())
}

/// Whether `decode_text` of `s` as `ty` is a text value with exactly the text `s` (so a caller
/// that only needs the text can use `s` itself).
pub fn text_as_is(ty: &Type, s: &str) -> bool {
    match ty {
        Type::String => true,
        Type::Email => email_case(s) == Some(true),
        _ => false,
    }
}

/// Decodes a value of a string-like type (string, email, URL, path, IP, timestamp, duration,
/// provenance, severity, tool, enum) from its text.
pub fn decode_text(policy: &Policy, ty: &Type, s: &str, path: &str) -> Result<Value, InvalidArgument> {
    Ok(match ty {
        Type::String => Value::str(s),
        Type::Email => match email_case(s) {
            // Lower-cased (most addresses already are: no copy then).
            Some(true) => Value::Email(Arc::from(s)),
            Some(false) => Value::Email(Arc::from(email_normal(s).as_str())),
            None => return Err(invalid(path, format!("`{s}` is not an email address"))),
        },
        Type::Url => match s.split_once("://") {
            // A host is needed (`url.host` reads it as `net.domain` does).
            Some((scheme, rest))
                if !scheme.is_empty()
                    && !rest.is_empty()
                    && !s.chars().any(char::is_whitespace)
                    && crate::natives::net::domain(s).is_ok() =>
            {
                let host_end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
                Value::Url(Arc::from(
                    format!("{}://{}{}", scheme.to_lowercase(), rest[..host_end].to_lowercase(), &rest[host_end..]).as_str(),
                ))
            }
            _ => return Err(invalid(path, format!("`{s}` is not a URL"))),
        },
        Type::Path => {
            if s.is_empty() || s.contains('\0') {
                return Err(invalid(path, "a path is not empty and has no NUL byte"));
            }
            Value::Path(Arc::from(s))
        }
        Type::Ip => {
            let ip: std::net::IpAddr = s.parse().map_err(|_| invalid(path, format!("`{s}` is not an IP address")))?;
            Value::Ip(Arc::from(ip.to_string().as_str()))
        }
        Type::Timestamp => Value::Timestamp(parse_timestamp(s).map_err(|m| invalid(path, m))?),
        Type::Duration => Value::Duration(parse_duration(s).ok_or_else(|| invalid(path, "expected a duration such as `30m`"))?),
        Type::Provenance => variant(&PROVENANCES, s, path).map(|i| Value::Provenance(i as u8))?,
        Type::Severity => variant(&SEVERITIES, s, path).map(|i| Value::Severity(i as u8))?,
        Type::Tool => {
            let t = policy.tools.iter().position(|t| t.name == s).ok_or_else(|| invalid(path, format!("`{s}` is not a tool")))?;
            Value::Tool(t as u32)
        }
        Type::Enum(e) => {
            let en = &policy.enums[*e as usize];
            let i = en
                .variants
                .iter()
                .position(|v| v == s)
                .ok_or_else(|| invalid(path, format!("`{s}` is not a variant of `{}` ({})", en.name, en.variants.join(", "))))?;
            Value::Enum(*e, i as u32)
        }
        _ => return Err(invalid(path, "expected a non-text type")),
    })
}

/// Decodes one value of type `ty`.
pub fn decode_value(policy: &Policy, ty: &Type, json: &Json, path: &str) -> Result<Value, InvalidArgument> {
    let text = || json.as_str().ok_or_else(|| invalid(path, format!("expected a string, found {}", kind(json))));
    Ok(match ty {
        Type::Optional(inner) => match json {
            Json::Null => Value::Absent,
            other => decode_value(policy, inner, other, path)?,
        },
        Type::Bool => Value::Bool(json.as_bool().ok_or_else(|| invalid(path, format!("expected a boolean, found {}", kind(json))))?),
        Type::Int => match json {
            Json::Number(n) => Value::Int(n.as_i64().ok_or_else(|| invalid(path, format!("expected an integer, found `{n}`")))?),
            _ => return Err(invalid(path, format!("expected an integer, found {}", kind(json)))),
        },
        Type::Decimal => match json {
            Json::Number(n) => Value::Decimal(parse_decimal(&n.to_string()).map_err(|m| invalid(path, m))?),
            _ => return Err(invalid(path, format!("expected a number, found {}", kind(json)))),
        },
        Type::Regex => return Err(invalid(path, "regexes cannot be arguments")),
        Type::List(inner) | Type::Set(inner) => {
            let items = json.as_array().ok_or_else(|| invalid(path, format!("expected an array, found {}", kind(json))))?;
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                out.push(decode_value(policy, inner, item, &format!("{path}[{i}]"))?);
            }
            if matches!(ty, Type::Set(_)) {
                Value::set(out)
            } else {
                Value::List(out.into())
            }
        }
        Type::Record(r) => {
            let object = json.as_object().ok_or_else(|| invalid(path, format!("expected an object, found {}", kind(json))))?;
            let record = &policy.records[*r as usize];
            Value::Record(decode_fields(policy, &record.fields, object, path)?.into())
        }
        // Every other type is written as a string (`Type::is_text`).
        text_type => decode_text(policy, text_type, text()?, path)?,
    })
}

fn variant(names: &[&str], s: &str, path: &str) -> Result<usize, InvalidArgument> {
    names.iter().position(|n| *n == s).ok_or_else(|| invalid(path, format!("`{s}` is not one of {}", names.join(", "))))
}

fn kind(json: &Json) -> &'static str {
    match json {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

/// Parses a decimal from its text, exactly (no binary floating point), at most 4 places.
pub fn parse_decimal(text: &str) -> Result<i64, String> {
    let bad = || format!("`{text}` is not a decimal with at most 4 places");
    let (neg, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > 4 {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let mut f: i64 = if frac.is_empty() { 0 } else { frac.parse().map_err(|_| bad())? };
    for _ in frac.len()..4 {
        f *= 10;
    }
    let v = whole.checked_mul(10_000).and_then(|w| w.checked_add(f)).ok_or_else(bad)?;
    Ok(if neg { -v } else { v })
}

/// Milliseconds of a duration such as `30m` or `500ms`.
pub fn parse_duration(text: &str) -> Option<i64> {
    let split = text.find(|c: char| c.is_ascii_alphabetic())?;
    let (digits, unit) = text.split_at(split);
    let n: i64 = digits.parse().ok()?;
    let scale = match unit {
        "ms" => 1,
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return None,
    };
    n.checked_mul(scale)
}
