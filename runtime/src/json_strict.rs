//! JSON text read strictly: no object may repeat a key. RFC 8259 leaves a repeated name to the
//! reader ("the names within an object SHOULD be unique"), and readers disagree: `serde_json`
//! keeps the last value, others the first. A request that repeats a key could then be decided
//! on one value (`"to":"bob"`) and carried out with the other (`"to":"attacker"`), so it is
//! malformed instead, on every path that reads requests.

use std::borrow::Cow;

use rustc_hash::FxHashSet;
use serde_json::Value as Json;

/// `text` parsed as JSON; an error when it is not JSON or an object in it repeats a key.
pub fn parse(text: &str) -> Result<Json, String> {
    let json: Json = serde_json::from_str(text).map_err(|e| format!("invalid JSON: {e}"))?;
    match repeated_key(text) {
        Some(key) => Err(format!("invalid JSON: an object repeats the key `{key}`")),
        None => Ok(json),
    }
}

/// The first key that an object of `text` repeats (decoded: `"a"` and `"\u0061"` are the same
/// key), when `text` is valid JSON.
pub fn repeated_key(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    // The keys of each open object (`None` for an array), innermost last.
    let mut open: Vec<Option<FxHashSet<Cow<'_, str>>>> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'{' => open.push(Some(FxHashSet::default())),
            b'[' => open.push(None),
            b'}' | b']' => _ = open.pop(),
            b'"' => {
                let start = i;
                let mut escaped = false;
                i += 1;
                while i < bytes.len() && bytes[i] != b'"' {
                    if bytes[i] == b'\\' {
                        escaped = true;
                        i += 1;
                    }
                    i += 1;
                }
                let end = (i + 1).min(bytes.len());
                let next = bytes[end..].iter().position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r')).map(|k| end + k);
                if next.is_some_and(|k| bytes[k] == b':') {
                    if let Some(Some(keys)) = open.last_mut() {
                        // Both ends are ASCII quotes, so they are character boundaries.
                        let quoted = text.get(start..end).unwrap_or_default();
                        let key = match escaped {
                            true => Cow::Owned(serde_json::from_str::<String>(quoted).unwrap_or_else(|_| quoted.to_owned())),
                            false => Cow::Borrowed(quoted.get(1..quoted.len().saturating_sub(1)).unwrap_or_default()),
                        };
                        if keys.contains(&key) {
                            return Some(key.into_owned());
                        }
                        keys.insert(key);
                    }
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn repeated_keys_are_found_at_any_depth_and_in_any_spelling() {
        assert_eq!(repeated_key(r#"{"to":"a","amount":1,"to":"b"}"#).as_deref(), Some("to"));
        assert_eq!(repeated_key(r#"{"call":{"args":{"x":[{"k":1,"k":2}]}}}"#).as_deref(), Some("k"));
        assert_eq!(repeated_key(r#"{"a":1,"\u0061":2}"#).as_deref(), Some("a"));
        assert_eq!(
            repeated_key(
                r#"{ "a" : 1 , "a"
            : 2 }"#
            )
            .as_deref(),
            Some("a")
        );
        assert!(parse(r#"{"a":{"a":1},"b":[{"a":1},{"a":2}],"s":"\"a\":1,\"a\":2"}"#).is_ok());
        assert!(parse(r#"{"x":"a\\","x":1}"#).is_err());
        assert!(parse("[1,2,").unwrap_err().starts_with("invalid JSON"));
    }

    /// Text serialised from a map has no repeated key; the same text with one member written
    /// twice has.
    fn object() -> impl Strategy<Value = serde_json::Map<String, Json>> {
        let leaf = prop_oneof![Just(Json::Null), any::<i32>().prop_map(Json::from), "[a-z\"\\\\:,{}]{0,6}".prop_map(Json::from)];
        let value = leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Json::Array),
                prop::collection::btree_map("[a-c\"\\\\]{0,3}", inner, 0..4).prop_map(|m| Json::Object(m.into_iter().collect())),
            ]
        });
        prop::collection::btree_map("[a-d\"\\\\é]{0,3}", value, 1..5).prop_map(|m| m.into_iter().collect())
    }

    proptest! {
        #[test]
        fn only_texts_that_repeat_a_key_are_refused(map in object(), which in any::<prop::sample::Index>()) {
            let text = serde_json::to_string(&map).unwrap();
            prop_assert_eq!(repeated_key(&text), None, "{}", text);
            let (key, value) = map.iter().nth(which.index(map.len())).unwrap();
            let member = format!("{}:{}", serde_json::to_string(key).unwrap(), serde_json::to_string(value).unwrap());
            let twice = format!("{},{member}}}", &text[..text.len() - 1]);
            let found = repeated_key(&twice);
            prop_assert_eq!(found.as_deref(), Some(key.as_str()), "{}", twice);
        }
    }
}
