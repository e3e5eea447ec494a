//! The request envelope read straight from JSON text for the verdict fast path: one strict,
//! single-pass scan (RFC 8259 grammar) into borrowed fields, each argument kept as its own
//! slice of the text. It declines (`None`) anything it is not sure of: a string with an escape,
//! `null` where an object or string is expected, an unknown or duplicate key, a plan, nesting
//! deeper than [`MAX_DEPTH`], malformed JSON. The caller then takes the general path
//! (`Request::from_json`), which reports the error or decodes the unusual form, so the two
//! always agree. serde_json's generic deserializer spent about half of a verdict from JSON on
//! this envelope; the scan costs a few instructions a byte.

use smallvec::SmallVec;

use crate::json_text::{number_end, plain_string};

/// How deep an argument's value may nest before the scan declines.
const MAX_DEPTH: usize = 32;

/// How many arguments (or provenance entries) the scan takes; more go the general path.
const MAX_ENTRIES: usize = 64;

/// Name/value pairs in text order, keys distinct.
pub(crate) type Pairs<'a> = SmallVec<[(&'a str, &'a str); 8]>;

/// The value of `key` in `pairs`.
pub(crate) fn lookup<'a>(pairs: &Pairs<'a>, key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
}

#[derive(Debug, Default, PartialEq)]
pub(crate) struct Envelope<'a> {
    pub phase: &'a str,
    pub tenant: Option<&'a str>,
    pub correlation_id: Option<&'a str>,
    pub time: Option<&'a str>,
    pub agent: Option<Agent<'a>>,
    pub session: Option<Session<'a>>,
    pub call: Option<CallJson<'a>>,
    pub input: Option<&'a str>,
    pub item: Option<ItemJson<'a>>,
}

impl<'a> Envelope<'a> {
    /// Exactly one of call, input and item is given.
    pub fn one_subject(&self) -> bool {
        usize::from(self.call.is_some()) + usize::from(self.input.is_some()) + usize::from(self.item.is_some()) == 1
    }

    /// The same envelope with each of its texts replaced by what `f` gives for it, `f` called
    /// on every text in one fixed order (the order the audit trail's request shapes record
    /// where each text comes from, see `audit/shape.rs`).
    pub(crate) fn map<'b>(&self, f: &mut impl FnMut(&'a str) -> &'b str) -> Envelope<'b> {
        let pairs = |pairs: &Pairs<'a>, f: &mut dyn FnMut(&'a str) -> &'b str| pairs.iter().map(|&(k, v)| (f(k), f(v))).collect();
        let texts = |items: &SmallVec<[&'a str; 4]>, f: &mut dyn FnMut(&'a str) -> &'b str| items.iter().map(|&s| f(s)).collect();
        Envelope {
            phase: f(self.phase),
            tenant: self.tenant.map(&mut *f),
            correlation_id: self.correlation_id.map(&mut *f),
            time: self.time.map(&mut *f),
            agent: self.agent.as_ref().map(|a| Agent { id: a.id.map(&mut *f), roles: a.roles.as_ref().map(|r| texts(r, f)) }),
            session: self.session.as_ref().map(|s| Session { tainted: s.tainted, labels: s.labels.as_ref().map(|l| texts(l, f)) }),
            call: self.call.as_ref().map(|c| CallJson {
                tool: f(c.tool),
                source: c.source.map(&mut *f),
                args: c.args.as_ref().map(|a| pairs(a, f)),
                provenance: c.provenance.as_ref().map(|p| pairs(p, f)),
            }),
            input: self.input.map(&mut *f),
            item: self.item.as_ref().map(|i| ItemJson {
                text: f(i.text),
                source: i.source.map(&mut *f),
                provenance: i.provenance.map(&mut *f),
                uri: i.uri.map(&mut *f),
            }),
        }
    }
}

/// A request's text with its envelope already read by a caller that has seen the request's
/// structure before (the audit trail's request shapes), so deciding it does not scan the
/// text again. Made only inside the runtime, so the envelope is always the text's.
#[derive(Debug)]
pub struct Scanned<'a> {
    pub(crate) text: &'a str,
    /// What [`scan`] gives for `text`, when the caller had it; `None`: scan when needed.
    pub(crate) envelope: Option<Envelope<'a>>,
}

impl<'a> Scanned<'a> {
    /// A text whose envelope is read when needed.
    pub fn new(text: &'a str) -> Scanned<'a> {
        Scanned { text, envelope: None }
    }

    /// The request's text.
    pub fn as_str(&self) -> &'a str {
        self.text
    }
}

#[derive(Debug, Default, PartialEq)]
pub(crate) struct Agent<'a> {
    pub id: Option<&'a str>,
    pub roles: Option<SmallVec<[&'a str; 4]>>,
}

#[derive(Debug, Default, PartialEq)]
pub(crate) struct Session<'a> {
    pub tainted: Option<bool>,
    pub labels: Option<SmallVec<[&'a str; 4]>>,
}

#[derive(Debug, Default, PartialEq)]
pub(crate) struct CallJson<'a> {
    pub tool: &'a str,
    pub source: Option<&'a str>,
    /// Each argument's JSON text (`null` included, as written).
    pub args: Option<Pairs<'a>>,
    pub provenance: Option<Pairs<'a>>,
}

#[derive(Debug, Default, PartialEq)]
pub(crate) struct ItemJson<'a> {
    pub text: &'a str,
    pub source: Option<&'a str>,
    pub provenance: Option<&'a str>,
    pub uri: Option<&'a str>,
}

/// The envelope of `text`, or `None` when the general path must read it.
pub(crate) fn scan(text: &str) -> Option<Envelope<'_>> {
    let mut s = Scanner { text, bytes: text.as_bytes(), at: 0 };
    let mut e = Envelope::default();
    let mut seen = Seen::default();
    let mut phase = None;
    // Fields are filled in place: the envelope is a few hundred bytes, and moving it through
    // every `Option` on the way up cost more than the scan.
    s.object(|s, key| {
        match key {
            "phase" => phase = Some(seen.first(0, s.string())?),
            "tenant" => e.tenant = Some(seen.first(1, s.string())?),
            "correlation_id" => e.correlation_id = Some(seen.first(2, s.string())?),
            "time" => e.time = Some(seen.first(3, s.string())?),
            "agent" => s.agent(e.agent.insert(seen.first(4, Some(Agent::default()))?))?,
            "session" => s.session(e.session.insert(seen.first(5, Some(Session::default()))?))?,
            "call" => s.call(e.call.insert(seen.first(6, Some(CallJson::default()))?))?,
            "input" => e.input = Some(seen.first(7, s.input())?),
            "item" => s.item(e.item.insert(seen.first(8, Some(ItemJson::default()))?))?,
            _ => return None,
        }
        Some(())
    })?;
    s.end()?;
    e.phase = phase?;
    Some(e)
}

/// Which keys of one object were given (a duplicate declines).
#[derive(Default)]
struct Seen(u32);

impl Seen {
    /// `value` when key number `bit` is new.
    fn first<T>(&mut self, bit: u32, value: Option<T>) -> Option<T> {
        if self.0 & (1 << bit) != 0 {
            return None;
        }
        self.0 |= 1 << bit;
        value
    }
}

struct Scanner<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Scanner<'a> {
    /// The next byte after whitespace (not consumed).
    fn peek(&mut self) -> Option<u8> {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        (self.peek()? == byte).then(|| self.at += 1)
    }

    /// Only whitespace is left.
    fn end(&mut self) -> Option<()> {
        self.peek().is_none().then_some(())
    }

    /// A string without escapes, borrowed.
    fn string(&mut self) -> Option<&'a str> {
        self.eat(b'"')?;
        let (s, end) = plain_string(self.text, self.at)?;
        self.at = end;
        Some(s)
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        self.peek()?;
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word).then(|| self.at = end)
    }

    fn bool(&mut self) -> Option<bool> {
        match self.peek()? {
            b't' => self.literal(b"true").map(|()| true),
            b'f' => self.literal(b"false").map(|()| false),
            _ => None,
        }
    }

    /// `{ "key": value, … }`, each value read by `field`.
    fn object(&mut self, mut field: impl FnMut(&mut Self, &'a str) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(());
        }
        loop {
            let key = self.string()?;
            self.eat(b':')?;
            field(self, key)?;
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// `[ item, … ]`, each item read by `item`.
    fn array(&mut self, mut item: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        if self.peek()? == b']' {
            self.at += 1;
            return Some(());
        }
        loop {
            item(self)?;
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn strings(&mut self) -> Option<SmallVec<[&'a str; 4]>> {
        let mut items = SmallVec::new();
        self.array(|s| {
            items.push(s.string()?);
            Some(())
        })?;
        Some(items)
    }

    /// An object of distinct keys into `pairs`, each value read by `value`.
    fn pairs(&mut self, pairs: &mut Pairs<'a>, mut value: impl FnMut(&mut Self) -> Option<&'a str>) -> Option<()> {
        self.object(|s, key| {
            if pairs.len() >= MAX_ENTRIES || pairs.iter().any(|(k, _)| *k == key) {
                return None;
            }
            pairs.push((key, value(s)?));
            Some(())
        })
    }

    fn agent(&mut self, a: &mut Agent<'a>) -> Option<()> {
        let mut seen = Seen::default();
        self.object(|s, key| {
            match key {
                "id" => a.id = Some(seen.first(0, s.string())?),
                "roles" => a.roles = Some(seen.first(1, s.strings())?),
                _ => return None,
            }
            Some(())
        })
    }

    fn session(&mut self, x: &mut Session<'a>) -> Option<()> {
        let mut seen = Seen::default();
        self.object(|s, key| {
            match key {
                "tainted" => x.tainted = Some(seen.first(0, s.bool())?),
                "labels" => x.labels = Some(seen.first(1, s.strings())?),
                _ => return None,
            }
            Some(())
        })
    }

    fn call(&mut self, c: &mut CallJson<'a>) -> Option<()> {
        let mut tool = None;
        let mut seen = Seen::default();
        self.object(|s, key| {
            match key {
                "tool" => tool = Some(seen.first(0, s.string())?),
                "source" => c.source = Some(seen.first(1, s.string())?),
                "args" => s.pairs(c.args.insert(seen.first(2, Some(Pairs::new()))?), Self::raw)?,
                "provenance" => s.pairs(c.provenance.insert(seen.first(3, Some(Pairs::new()))?), Self::string)?,
                _ => return None,
            }
            Some(())
        })?;
        c.tool = tool?;
        Some(())
    }

    fn input(&mut self) -> Option<&'a str> {
        let mut text = None;
        self.object(|s, key| {
            (key == "text" && text.is_none()).then_some(())?;
            text = Some(s.string()?);
            Some(())
        })?;
        text
    }

    fn item(&mut self, i: &mut ItemJson<'a>) -> Option<()> {
        let mut text = None;
        let mut seen = Seen::default();
        self.object(|s, key| {
            match key {
                "text" => text = Some(seen.first(0, s.string())?),
                "source" => i.source = Some(seen.first(1, s.string())?),
                "provenance" => i.provenance = Some(seen.first(2, s.string())?),
                "uri" => i.uri = Some(seen.first(3, s.string())?),
                _ => return None,
            }
            Some(())
        })?;
        i.text = text?;
        Some(())
    }

    /// Any JSON value, as its text.
    fn raw(&mut self) -> Option<&'a str> {
        self.peek()?;
        let start = self.at;
        self.skip(0)?;
        self.text.get(start..self.at)
    }

    fn skip(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'"' => self.string().map(|_| ()),
            b'{' => self.object(|s, _| s.skip(depth + 1)),
            b'[' => self.array(|s| s.skip(depth + 1)),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => self.number(),
        }
    }

    fn number(&mut self) -> Option<()> {
        self.at = number_end(self.bytes, self.at)?.0;
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_call_with_whitespace_and_nested_arguments() {
        let text = r#" { "phase" : "evaluate", "agent": {"id": "bot", "roles": ["a", "b"]},
            "call": {"tool": "send", "args": {"to": "x@y.z", "n": -1.5e+3, "o": {"k": [1, null, true]}, "z": null},
                     "provenance": {"to": "user"}} } "#;
        let e = scan(text).expect("scanned");
        assert_eq!(e.phase, "evaluate");
        assert!(e.one_subject());
        let agent = e.agent.expect("agent");
        assert_eq!(agent.id, Some("bot"));
        assert_eq!(agent.roles.expect("roles").as_slice(), ["a", "b"]);
        let call = e.call.expect("call");
        let args = call.args.expect("args");
        assert_eq!(lookup(&args, "to"), Some(r#""x@y.z""#));
        assert_eq!(lookup(&args, "n"), Some("-1.5e+3"));
        assert_eq!(lookup(&args, "o"), Some(r#"{"k": [1, null, true]}"#));
        assert_eq!(lookup(&args, "z"), Some("null"));
        assert_eq!(lookup(&call.provenance.expect("provenance"), "to"), Some("user"));
    }

    #[test]
    fn map_visits_every_text_once() {
        let text = r#"{"phase":"context","tenant":"t","correlation_id":"c","time":"2026-01-01T00:00:00Z",
            "agent":{"id":"a","roles":["r1","r2"]},"session":{"tainted":true,"labels":["l1","l2"]},
            "call":{"tool":"x","source":"user","args":{"k1":"v1","k2":2},"provenance":{"p1":"web"}},
            "input":{"text":"i"},"item":{"text":"it","source":"s","provenance":"tool","uri":"u"}}"#;
        let e = scan(text).expect("scanned");
        let mut visited = Vec::new();
        let same = e.map(&mut |t| {
            visited.push(t);
            t
        });
        assert_eq!(same, e);
        // The fields' texts are distinct, so each was visited once and none left out.
        let mut distinct = visited.clone();
        distinct.sort_unstable();
        distinct.dedup();
        assert_eq!((visited.len(), distinct.len()), (22, 22));
        let emptied = e.map(&mut |_| "");
        assert_ne!(emptied, e);
        assert_eq!(emptied.map(&mut |_| "x").call.expect("call").args.expect("args").as_slice(), [("x", "x"), ("x", "x")]);
    }

    #[test]
    fn declines_what_the_general_path_must_read() {
        let declined = [
            r#"{"phase":"evaluate","phase":"input"}"#,
            r#"{"phase":"input","input":{"text":"a\"b"}}"#,
            r#"{"phase":"input","input":null}"#,
            r#"{"phase":"plan","plan":[]}"#,
            r#"{"phase":"input","extra":1}"#,
            r#"{"phase":"evaluate","call":{"tool":"t","args":{"a":1,"a":2}}}"#,
            r#"{"phase":"evaluate","call":{"tool":"t","args":{"a":01}}}"#,
            r#"{"phase":"evaluate","call":{"tool":"t","args":{"a":1.}}}"#,
            r#"{"phase":"evaluate","call":{"tool":"t","args":{"a":-}}}"#,
            r#"{"phase":"evaluate","call":{"tool":"t","args":{"a":[1,]}}}"#,
            r#"{"phase":"evaluate","call":{"tool":"t","args":{"a":tru}}}"#,
            "{\"phase\":\"input\",\"input\":{\"text\":\"a\tb\"}}",
            r#"{"phase":"input"} x"#,
            r#"{"phase":"input""#,
            r#"{"tenant":"a"}"#,
            r#"[]"#,
            "",
        ];
        for text in declined {
            assert!(scan(text).is_none(), "{text}");
        }
        let deep = format!(r#"{{"phase":"evaluate","call":{{"tool":"t","args":{{"a":{}{}}}}}}}"#, "[".repeat(40), "]".repeat(40));
        assert!(scan(&deep).is_none());
    }
}
