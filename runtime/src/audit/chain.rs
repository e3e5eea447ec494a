//! The hash chain over audit events. Each event carries `seq` (0, 1, 2, … across every file of
//! one log), `prev_hash` (the previous event's `hash`, or [`GENESIS`] for the first) and `hash`:
//! SHA-256 over the RFC 8785 canonical JSON of the event without `hash`. An event's line is its
//! canonical JSON, so a changed byte anywhere changes either the text's canonical form or the
//! hash, and a deleted, inserted or moved event breaks `seq` or `prev_hash`.

use std::borrow::Cow;

use serde_json::{Map, Value as Json};
use sha2::{Digest, Sha256};

use super::canonical::{canonical_normalised, key_order, normalise, string};

/// The `prev_hash` of the first event of a log.
pub const GENESIS: &str = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

/// An event's members: key and canonical JSON text of the value.
type Members = Vec<(Cow<'static, str>, String)>;

/// The members of an event object, each value in canonical form.
fn members(event: Map<String, Json>) -> Members {
    event
        .into_iter()
        .map(|(k, mut v)| {
            normalise(&mut v);
            let text = canonical_normalised(&v);
            (Cow::Owned(k), text)
        })
        .collect()
}

/// `sha256:<hex>` of `bytes`.
pub fn sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for b in digest {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 15)]));
    }
    out
}

pub(super) const HEX: &[u8; 16] = b"0123456789abcdef";

/// Where a log's chain stands: the `seq` of the next event and the `hash` of the last one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    pub next_seq: u64,
    pub last_hash: String,
}

impl Default for ChainHead {
    fn default() -> Self {
        ChainHead::genesis()
    }
}

impl ChainHead {
    /// The head of an empty log.
    pub fn genesis() -> ChainHead {
        ChainHead { next_seq: 0, last_hash: GENESIS.to_owned() }
    }

    /// Adds `seq`, `prev_hash`, `hash` and (unless given) `decision_id` to `event` and returns
    /// its line (canonical JSON, without the newline); the head moves past it. Keys `seq`,
    /// `prev_hash` and `hash` already in `event` are replaced. (The audited engine's events
    /// take `EventLines`, which writes the same line in one pass.)
    pub fn seal(&mut self, event: Map<String, Json>) -> String {
        let mut members = members(event);
        members.retain(|(k, _)| k != "hash" && k != "seq" && k != "prev_hash");
        if !members.iter().any(|(k, _)| k == "decision_id") {
            // Unique within the chain (its place) and across logs (when it was made).
            let timestamp = members.iter().find(|(k, _)| k == "timestamp").map_or("", |(_, v)| v.trim_matches('"'));
            let id = sha256(format!("{}:{}:{timestamp}", self.last_hash, self.next_seq).as_bytes());
            let value = format!("\"{}\"", &id["sha256:".len().."sha256:".len() + 32]);
            members.push((Cow::Borrowed("decision_id"), value));
        }
        members.push((Cow::Borrowed("seq"), self.next_seq.to_string()));
        let mut prev = String::with_capacity(80);
        string(&mut prev, &self.last_hash);
        members.push((Cow::Borrowed("prev_hash"), prev));
        members.sort_by(|a, b| key_order(&a.0, &b.0));
        // The members written once; the hashed text and the line differ only by the `hash`
        // member, spliced in at its sorted place.
        let mut body = String::with_capacity(members.iter().map(|(k, v)| k.len() + v.len() + 4).sum::<usize>() + 2);
        let mut hash_at = None;
        body.push('{');
        for (i, (key, value)) in members.iter().enumerate() {
            if hash_at.is_none() && key_order("hash", key).is_lt() {
                hash_at = Some((body.len(), i == 0));
            }
            if i > 0 {
                body.push(',');
            }
            string(&mut body, key);
            body.push(':');
            body.push_str(value);
        }
        // Where the `hash` member goes: right after the member before it (or after `{` when it
        // comes first), and whether it comes first.
        let (at, first) = hash_at.unwrap_or((body.len(), members.is_empty()));
        body.push('}');
        let hash = sha256(body.as_bytes());
        let mut line = String::with_capacity(body.len() + 90);
        line.push_str(&body[..at]);
        if !first {
            line.push(',');
        }
        string(&mut line, "hash");
        line.push(':');
        string(&mut line, &hash);
        if first && !members.is_empty() {
            line.push(',');
        }
        line.push_str(&body[at..]);
        self.next_seq += 1;
        self.last_hash = hash;
        line
    }
}

/// What one line of a log says about its place in the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub seq: u64,
    pub prev_hash: String,
    pub hash: String,
}

/// Why a line is not a sealed event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineFault {
    /// Not a JSON object with `seq`, `prev_hash` and `hash`.
    Malformed(String),
    /// Valid JSON, but not in canonical form: the text was edited.
    NotCanonical,
    /// `hash` is not the hash of the rest of the event.
    HashMismatch,
}

/// Checks one line on its own: it is a sealed event, unchanged since it was sealed.
pub fn check_line(line: &str) -> Result<(Link, Map<String, Json>), LineFault> {
    let value: Json = serde_json::from_str(line).map_err(|e| LineFault::Malformed(e.to_string()))?;
    let Json::Object(event) = value else {
        return Err(LineFault::Malformed("not a JSON object".to_owned()));
    };
    let seq = event.get("seq").and_then(Json::as_u64).ok_or_else(|| LineFault::Malformed("no `seq`".to_owned()))?;
    let text = |key: &str| event.get(key).and_then(Json::as_str).map(str::to_owned);
    let prev_hash = text("prev_hash").ok_or_else(|| LineFault::Malformed("no `prev_hash`".to_owned()))?;
    let hash = text("hash").ok_or_else(|| LineFault::Malformed("no `hash`".to_owned()))?;
    let mut whole = Json::Object(event);
    normalise(&mut whole);
    if canonical_normalised(&whole) != line {
        return Err(LineFault::NotCanonical);
    }
    // The line is canonical, so the hashed text is the line without its top-level `hash`
    // member, which is `"hash":"<hash>"` after `{` or `,`. (A nested member equal to it would
    // have to contain the event's own hash before that hash existed.)
    let member = format!("\"hash\":\"{hash}\"");
    let at = line.find(&member).ok_or(LineFault::HashMismatch)?;
    let body = match (line.as_bytes().get(at.wrapping_sub(1)), line.as_bytes().get(at + member.len())) {
        (Some(b','), _) => format!("{}{}", &line[..at - 1], &line[at + member.len()..]),
        (Some(b'{'), Some(b',')) => format!("{}{}", &line[..at], &line[at + member.len() + 1..]),
        (Some(b'{'), _) => format!("{}{}", &line[..at], &line[at + member.len()..]),
        _ => return Err(LineFault::HashMismatch),
    };
    if sha256(body.as_bytes()) != hash {
        return Err(LineFault::HashMismatch);
    }
    let Json::Object(event) = whole else {
        return Err(LineFault::Malformed("not a JSON object".to_owned()));
    };
    Ok((Link { seq, prev_hash, hash }, event))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(n: i64) -> Map<String, Json> {
        let Json::Object(m) = serde_json::json!({"decision": "BLOCK", "n": n, "request": {"b": 1.50, "a": "x"}, "zz": true}) else {
            unreachable!()
        };
        m
    }

    #[test]
    fn sealed_lines_check_and_chain() {
        let mut head = ChainHead::genesis();
        let first = head.seal(event(1));
        let second = head.seal(event(2));
        let (a, _) = check_line(&first).unwrap();
        let (b, e) = check_line(&second).unwrap();
        assert_eq!((a.seq, a.prev_hash.as_str()), (0, GENESIS));
        assert_eq!((b.seq, &b.prev_hash), (1, &a.hash));
        assert_eq!(head, ChainHead { next_seq: 2, last_hash: b.hash.clone() });
        assert_eq!(e["request"]["b"], serde_json::json!(1.5));
        // The line is the canonical form with `hash` at its sorted place.
        assert!(first.starts_with(r#"{"decision":"BLOCK","decision_id":""#) && first.contains(r#"","hash":"sha256:"#), "{first}");
        assert_eq!(super::super::canonical(&serde_json::from_str(&first).unwrap()), first);
    }

    #[test]
    fn any_edit_is_caught() {
        let line = ChainHead::genesis().seal(event(7));
        assert_eq!(check_line(&line.replace("\"n\":7", "\"n\":8")), Err(LineFault::HashMismatch));
        assert_eq!(check_line(&line.replace("\"n\":7", "\"n\": 7")), Err(LineFault::NotCanonical));
        assert!(matches!(check_line(&line[..line.len() - 1]), Err(LineFault::Malformed(_))));
    }
}
