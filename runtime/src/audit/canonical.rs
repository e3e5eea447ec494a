//! RFC 8785 (JCS) canonical JSON, the form audit events are hashed and written in: object keys
//! sorted by UTF-16 code units, no whitespace, strings with the minimal escapes (serde_json's
//! string escaping is JCS's), numbers in ECMAScript's shortest form (`ryu-js`). One deliberate
//! departure: an integer beyond ±2^53, which RFC 8785 would round to the nearest double, is
//! kept exact, so a logged request replays with the value it had. (That departure is why this
//! serialiser is ours rather than `serde_json_canonicalizer`, which rounds.)

use serde_json::{Number, Value as Json};

use crate::json_text::first_special;

/// The largest integer a double holds exactly.
const EXACT: u64 = 1 << 53;

/// `value` in canonical form, as text.
pub fn canonical(value: &Json) -> String {
    let mut value = value.clone();
    normalise(&mut value);
    canonical_normalised(&value)
}

/// `value` (already normalised, see [`normalise`]) in canonical form.
pub fn canonical_normalised(value: &Json) -> String {
    let mut out = String::new();
    write_canonical(&mut out, value);
    out
}

/// Appends `value` (already normalised) in canonical form to `out`.
pub fn write_canonical(out: &mut String, value: &Json) {
    match value {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => out.push_str(&n.to_string()),
        Json::String(s) => string(out, s),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(out, item);
            }
            out.push(']');
        }
        Json::Object(map) => {
            let mut members: Vec<(&String, &Json)> = map.iter().collect();
            members.sort_by(|a, b| key_order(a.0, b.0));
            out.push('{');
            for (i, (k, v)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(out, k);
                out.push(':');
                write_canonical(out, v);
            }
            out.push('}');
        }
    }
}

/// A JSON string with JCS's escapes: `"` and `\\`, and control characters (`\b \t \n \f \r`
/// short, the others as lower-case `\u00xx`); everything else as it is.
pub fn string(out: &mut String, s: &str) {
    if first_special(s.as_bytes()).is_none() {
        out.reserve(s.len() + 2);
        out.push('"');
        out.push_str(s);
        out.push('"');
        return;
    }
    out.push('"');
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        if escape.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            out.push_str("\\u00");
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 15)]));
        } else {
            out.push_str(escape);
        }
        start = i + 1;
    }
    out.push_str(&s[start..]);
    out.push('"');
}

/// RFC 8785's member order: by UTF-16 code units. For text without characters from U+E000
/// up (all ASCII keys), that is byte order.
pub fn key_order(a: &str, b: &str) -> std::cmp::Ordering {
    // Up to the first difference the texts agree in every encoding; where it is between two
    // ASCII bytes (or one text ends), byte order is UTF-16 order.
    let common = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    match (a.as_bytes().get(common), b.as_bytes().get(common)) {
        (Some(x), Some(y)) if !x.is_ascii() || !y.is_ascii() => a.encode_utf16().cmp(b.encode_utf16()),
        _ => a.cmp(b),
    }
}

/// Rewrites every number of `value` in ECMAScript's shortest form (see the module note on
/// large integers).
pub fn normalise(value: &mut Json) {
    match value {
        Json::Number(n) => {
            if let Some(canonical) = number(n) {
                *n = canonical;
            }
        }
        Json::Array(items) => items.iter_mut().for_each(normalise),
        Json::Object(map) => map.values_mut().for_each(normalise),
        Json::Null | Json::Bool(_) | Json::String(_) => {}
    }
}

/// The canonical form of `n`, when it differs from its text.
fn number(n: &Number) -> Option<Number> {
    let text = n.to_string();
    if let Some(i) = n.as_i64() {
        // Beyond 2^53 the integer is kept exact (see the module note); `-0` becomes `0`.
        return (i.unsigned_abs() <= EXACT && i.to_string() != text).then(|| Number::from(i));
    }
    if n.as_u64().is_some() {
        return None;
    }
    let f = n.as_f64().filter(|f| f.is_finite())?;
    let mut buffer = ryu_js::Buffer::new();
    let shortest = buffer.format_finite(f);
    if shortest == text {
        return None;
    }
    shortest.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canon(text: &str) -> String {
        canonical(&serde_json::from_str(text).unwrap())
    }

    #[test]
    fn sorts_keys_and_drops_whitespace() {
        assert_eq!(canon(r#"{ "b": 1, "a": [true, null, {"d": "x", "c": "y"}] }"#), r#"{"a":[true,null,{"c":"y","d":"x"}],"b":1}"#);
    }

    #[test]
    fn writes_numbers_as_ecmascript_does() {
        assert_eq!(canon("[120.50, 1.2e2, -0, 0.0, 1e21, 5e-7, 100, 9007199254740993]"), "[120.5,120,0,0,1e+21,5e-7,100,9007199254740993]");
    }

    #[test]
    fn escapes_strings_minimally() {
        assert_eq!(canon("\"a\\u0001\\u00e9\\/\\t\\u2028\""), "\"a\\u0001é/\\t\u{2028}\"");
    }

    #[test]
    fn escapes_like_serde_json() {
        for text in ["plain", "quote \" and \\ back", "\u{0}\u{1f}\u{7f}\u{8}\u{c}", "é ü \u{2028} 😀", ""] {
            let mut out = String::new();
            string(&mut out, text);
            assert_eq!(out, serde_json::to_string(text).unwrap());
        }
    }

    #[test]
    fn orders_keys_by_utf16_code_units() {
        // U+1F600 is a surrogate pair (D83D …), which sorts before U+FB01 in UTF-16.
        assert_eq!(canon("{\"\u{fb01}\":1,\"\u{1f600}\":2}"), "{\"\u{1f600}\":2,\"\u{fb01}\":1}");
    }
}
