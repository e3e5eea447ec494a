//! Native functions of the standard library (`std.injection`, `std.pii`, `std.secrets`,
//! `std.net`, `std.path`), called by evaluation with already-evaluated arguments.

pub mod injection;
pub mod net;
pub mod path;
pub mod pii;
pub mod secrets;

use std::ops::Range;
use std::sync::Arc;

use crate::ir::Native;
use crate::value::Value;

/// A detector's pattern, compiled with ASCII word boundaries: the lazy DFA handles them on
/// any text, where a Unicode `\b` sends it back to the slower NFA simulation on non-ASCII
/// input. `None` only for a pattern that does not compile (the detectors' tests compile each).
pub(crate) fn regex(pattern: &str) -> Option<regex::Regex> {
    regex::Regex::new(&ascii_boundaries(pattern)).ok()
}

/// Characters that render as nothing, which text processing and host-name mapping (UTS #46)
/// drop: soft hyphen, combining grapheme joiner, zero-width and directional marks, word
/// joiners, Hangul and Mongolian fillers and selectors, variation selectors, the byte-order
/// mark, tag characters. Used by the injection normaliser and by `net.domain`.
pub(crate) fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00ad}' | '\u{034f}' | '\u{061c}' | '\u{115f}' | '\u{1160}' | '\u{17b4}' | '\u{17b5}' | '\u{180b}'..='\u{180f}'
        | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{206f}' | '\u{3164}' | '\u{fe00}'..='\u{fe0f}'
        | '\u{feff}' | '\u{ffa0}' | '\u{1bca0}'..='\u{1bca3}' | '\u{1d173}'..='\u{1d17a}' | '\u{e0000}'..='\u{e0fff}')
}

/// `pattern` with each `\b` an ASCII word boundary.
pub(crate) fn ascii_boundaries(pattern: &str) -> String {
    pattern.replace(r"\b", r"(?-u:\b)")
}

/// Sorted, overlapping or touching ranges joined.
pub fn merge(mut spans: Vec<Range<usize>>) -> Vec<Range<usize>> {
    spans.sort_by_key(|s| (s.start, s.end));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(spans.len());
    for s in spans {
        match out.last_mut() {
            Some(last) if s.start <= last.end => last.end = last.end.max(s.end),
            _ => out.push(s),
        }
    }
    out
}

/// Calls a native function. `Err` is a fault with its message.
pub fn call(native: Native, args: &[Value]) -> Result<Value, String> {
    let text = |i: usize| args.get(i).and_then(Value::as_text).ok_or_else(|| format!("argument {} of {native:?} is not text", i + 1));
    Ok(match native {
        Native::InjectionDetect => Value::Bool(injection::detect(text(0)?)),
        Native::InjectionScore => Value::Int(i64::from(injection::score(text(0)?))),
        Native::PiiContains => Value::Bool(pii::contains_any(text(0)?)),
        Native::PiiEmail => Value::Bool(pii::contains_email(text(0)?)),
        Native::PiiPhone => Value::Bool(pii::contains_phone(text(0)?)),
        Native::PiiCard => Value::Bool(pii::contains_card(text(0)?)),
        Native::PiiIban => Value::Bool(pii::contains_iban(text(0)?)),
        Native::PiiSsn => Value::Bool(pii::contains_ssn(text(0)?)),
        Native::SecretContains => Value::Bool(secrets::contains_any(text(0)?)),
        Native::SecretPrivateKey => Value::Bool(secrets::contains_private_key(text(0)?)),
        Native::SecretJwt => Value::Bool(secrets::contains_jwt(text(0)?)),
        Native::NetDomain => Value::Str(Arc::from(net::domain(text(0)?)?.as_str())),
        Native::NetSuffixMatch => Value::Bool(net::suffix_match(text(0)?, text(1)?)),
        Native::NetInCidr => Value::Bool(net::in_cidr(text(0)?, text(1)?)?),
        Native::NetIsPrivate => Value::Bool(net::is_private(text(0)?)?),
        Native::NetIsPrivateHost => Value::Bool(net::is_private_host(text(0)?)?),
        Native::PathNormalize => Value::Path(Arc::from(path::normalize(text(0)?).as_str())),
        Native::PathWithin => Value::Bool(path::within(text(0)?, text(1)?)),
        Native::PathHasTraversal => Value::Bool(path::has_traversal(text(0)?)),
    })
}

/// The passages of `text` a detector finds, for the `sanitize` effect: injection spans for
/// `std.injection`, personal data for `std.pii`, credentials for `std.secrets`; `None` for a
/// function that is not a text detector.
pub fn passages(native: Native, text: &str) -> Option<Vec<Range<usize>>> {
    Some(match native {
        Native::InjectionDetect | Native::InjectionScore => injection::spans(text),
        Native::PiiContains => pii::spans(text),
        Native::PiiEmail => pii::find(pii::Kind::Email, text),
        Native::PiiPhone => pii::find(pii::Kind::Phone, text),
        Native::PiiCard => pii::find(pii::Kind::Card, text),
        Native::PiiIban => pii::find(pii::Kind::Iban, text),
        Native::PiiSsn => pii::find(pii::Kind::Ssn, text),
        Native::SecretContains => secrets::spans(text),
        Native::SecretPrivateKey => secrets::find(secrets::Kind::PrivateKey, text),
        Native::SecretJwt => secrets::find(secrets::Kind::Jwt, text),
        _ => return None,
    })
}

/// `text` with each of `spans` (sorted, disjoint) replaced by `[REDACTED:<reason>]`; with no
/// spans, the whole text is replaced.
pub fn redact(text: &str, spans: &[Range<usize>], reason: &str) -> String {
    let marker = format!("[REDACTED:{reason}]");
    if spans.is_empty() {
        return marker;
    }
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for span in spans {
        out.push_str(text.get(at..span.start).unwrap_or(""));
        out.push_str(&marker);
        at = span.end;
    }
    out.push_str(text.get(at..).unwrap_or(""));
    out
}
