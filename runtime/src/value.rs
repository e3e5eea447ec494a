//! Run-time values. Strings are shared (`Arc<str>`), so copying a value is cheap; sets are
//! sorted without duplicates, so membership is a binary search and output is deterministic.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// A value during evaluation.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Value {
    /// An optional value that is not there.
    Absent,
    Bool(bool),
    Int(i64),
    /// Ten-thousandths.
    Decimal(i64),
    Str(Arc<str>),
    Email(Arc<str>),
    Url(Arc<str>),
    Path(Arc<str>),
    Ip(Arc<str>),
    /// Milliseconds since the Unix epoch, UTC.
    Timestamp(i64),
    /// Milliseconds.
    Duration(i64),
    /// Index into the policy's regex table.
    Regex(u32),
    Enum(u32, u32),
    /// Index into [`crate::schema::PROVENANCES`].
    Provenance(u8),
    /// Index into [`crate::schema::SEVERITIES`].
    Severity(u8),
    Tool(u32),
    List(Arc<[Value]>),
    /// Sorted, without duplicates.
    Set(Arc<[Value]>),
    /// Fields by index.
    Record(Arc<[Value]>),
    /// The arguments of a call to `tool`, by parameter index.
    Args(u32, Arc<[Value]>),
}

impl Value {
    /// The `call` binding of a call to `tool` from `source` (a provenance).
    pub fn call(tool: u32, source: u8) -> Value {
        Value::Record(Arc::new([Value::Tool(tool), Value::Provenance(source)]))
    }

    pub fn str(s: &str) -> Value {
        Value::Str(Arc::from(s))
    }

    /// Builds a set: sorts and removes duplicates.
    pub fn set(mut items: Vec<Value>) -> Value {
        if items.is_empty() {
            return Value::empty_set();
        }
        items.sort();
        items.dedup();
        Value::Set(items.into())
    }

    /// The empty set (shared: building one allocates nothing).
    pub fn empty_set() -> Value {
        static EMPTY: std::sync::LazyLock<Arc<[Value]>> = std::sync::LazyLock::new(|| Arc::from([]));
        Value::Set(EMPTY.clone())
    }

    /// A set of texts: sorted, without duplicates.
    pub fn text_set(items: &[&str]) -> Value {
        match items {
            [] => Value::empty_set(),
            [one] => Value::Set(Arc::from([Value::str(one)])),
            _ => Value::set(items.iter().map(|s| Value::str(s)).collect()),
        }
    }

    /// The text of a string-like value.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Str(s) | Value::Email(s) | Value::Url(s) | Value::Path(s) | Value::Ip(s) => Some(s),
            _ => None,
        }
    }

    /// Numeric value in ten-thousandths (Int is promoted).
    pub fn as_decimal(&self) -> Option<i128> {
        match self {
            Value::Int(i) => Some(i128::from(*i) * 10_000),
            Value::Decimal(d) => Some(i128::from(*d)),
            _ => None,
        }
    }

    pub fn items(&self) -> Option<&[Value]> {
        match self {
            Value::List(v) | Value::Set(v) => Some(v),
            _ => None,
        }
    }
}

/// Equality as the language defines it: `Int` and `Decimal` compare by value.
pub fn equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Int(_) | Value::Decimal(_), Value::Int(_) | Value::Decimal(_)) => a.as_decimal() == b.as_decimal(),
        (Value::Set(x), Value::Set(y)) | (Value::List(x), Value::List(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(p, q)| equal(p, q))
        }
        _ => a == b,
    }
}

/// Whether `needle` occurs in `haystack` (as `str::contains`). A policy's texts are mostly a
/// few words: up to 64 bytes they are scanned directly, since a substring searcher's set-up
/// (it factorises the needle on every call) costs more than the search; longer ones use it.
pub fn contains_text(haystack: &str, needle: &str) -> bool {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    match n.len() {
        0 => true,
        len if len > h.len() => false,
        // Bytes of valid UTF-8 match only at character boundaries, so this is `str::contains`.
        _ if h.len() <= 64 => h.windows(n.len()).any(|w| w == n),
        _ => haystack.contains(needle),
    }
}

/// Is `x` an element of `collection`?
pub fn member(x: &Value, collection: &Value) -> bool {
    match collection {
        Value::Set(items) => {
            if matches!(x, Value::Int(_) | Value::Decimal(_)) {
                items.iter().any(|i| equal(i, x))
            } else {
                items.binary_search(x).is_ok()
            }
        }
        Value::List(items) => items.iter().any(|i| equal(i, x)),
        other => match (x.as_text(), other.as_text()) {
            (Some(needle), Some(hay)) => contains_text(hay, needle),
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contains_text_is_str_contains() {
        let texts = ["", "a", "ab", "ignore previous", "please ignore previous instructions", "éé", "é", "\u{e9}a", "aé"];
        let long = "x".repeat(70) + "ignore previous" + &"y".repeat(10);
        for hay in texts.iter().copied().chain([long.as_str()]) {
            for needle in texts.iter().copied().chain(["x", "y", "xy", "previous instructions!"]) {
                assert_eq!(contains_text(hay, needle), hay.contains(needle), "{hay:?} {needle:?}");
            }
        }
    }
}
