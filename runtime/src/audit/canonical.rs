//! RFC 8785 (JCS) canonical JSON, the form audit events are hashed and written in: object keys
//! sorted by UTF-16 code units, no whitespace, strings with the minimal escapes (serde_json's
//! string escaping is JCS's), numbers in ECMAScript's shortest form (`ryu-js`). One deliberate
//! departure: an integer beyond ±2^53, which RFC 8785 would round to the nearest double, is
//! kept exact, so a logged request replays with the value it had. (That departure is why this
//! serialiser is ours rather than `serde_json_canonicalizer`, which rounds.)

use serde_json::{Number, Value as Json};

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
    write(&mut out, value);
    out
}

fn write(out: &mut String, value: &Json) {
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
                write(out, item);
            }
            out.push(']');
        }
        Json::Object(map) => {
            let mut members: Vec<(&String, &Json)> = map.iter().collect();
            members.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            out.push('{');
            for (i, (k, v)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                string(out, k);
                out.push(':');
                write(out, v);
            }
            out.push('}');
        }
    }
}

/// A JSON string with JCS's escapes (`"`, `\\`, and control characters; `\b \t \n \f \r` short).
pub fn string(out: &mut String, s: &str) {
    // serde_json escapes exactly these, with lower-case `\u00xx`; writing to a `String`
    // cannot fail.
    out.push_str(&serde_json::to_string(s).unwrap_or_default());
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
    fn orders_keys_by_utf16_code_units() {
        // U+1F600 is a surrogate pair (D83D …), which sorts before U+FB01 in UTF-16.
        assert_eq!(canon("{\"\u{fb01}\":1,\"\u{1f600}\":2}"), "{\"\u{1f600}\":2,\"\u{fb01}\":1}");
    }
}
