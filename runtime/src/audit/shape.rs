//! Request shapes: the logged form of a request whose structure was seen before, written from
//! a plan instead of canonicalised again. An agent's requests mostly share a few structures —
//! the same keys in the same order, the same tool, only the values differ — so the canonical
//! order of members, which arguments are masked and the masked paths are the same each time.
//!
//! A request's *skeleton* is its text with each string value and each number replaced by one
//! byte ([`STRING`], [`NUMBER`]); keys, punctuation, whitespace and `true`/`false`/`null` stay.
//! The first request of a skeleton is canonicalised in plan mode (`request_text.rs`), which
//! writes each value as a mark: the plan is the canonical text cut at the marks. A later
//! request with the same skeleton and the same `tool` values (masking reads them), under a
//! policy with the same sensitive arguments (all that masking reads of it), is written by
//! copying the plan's pieces and its own values in the plan's order.
//!
//! Why a match is safe: the tokeniser accepts a value only when it is its own canonical form (a
//! string without escape or control character, an integer as written), and no raw control
//! byte outside strings, so a placeholder byte in the skeleton always stands for a value. Two
//! texts with equal skeletons are then the same JSON structure with different scalar values:
//! the one that made the plan was valid and canonicalised in full, so the other is valid too
//! and canonicalises the same way. Anything else (a new skeleton, an escape, a fraction, `-0`)
//! goes through the full canonicaliser, whose output the plan path must equal
//! (`tests/audit.rs` and this module's property test check both).
//!
//! A shape also records where each text of the request's envelope comes from (a [`Recipe`]),
//! so the decision is made from the same match ([`Shapes::scanned`]) instead of a second scan of
//! the text. The envelope scanner reads only the structure, which the skeleton fixes, and the
//! values, which the match finds; so the envelope a recipe gives equals what the scanner
//! would give (the property test below checks it).

use smallvec::SmallVec;

use super::request_text::{plan_request, write_request, MARK};
use crate::eval::envelope::{scan, Envelope};
use crate::eval::Scanned;
use crate::json_text::{number_end, plain_string};
use crate::policy::Policy;

/// A string value's place in a skeleton.
const STRING: u8 = 1;
/// A number's place in a skeleton.
const NUMBER: u8 = 2;
/// Plans kept (most recently made replace the oldest).
const SHAPES: usize = 16;
/// Requests longer than this are canonicalised without a plan.
const MAX_PLANNED_BYTES: usize = 8 * 1024;

/// One planned skeleton.
#[derive(Debug)]
struct Shape {
    skeleton: Vec<u8>,
    /// The skeleton cut at its values: each literal run (a range of `skeleton`) and the kind
    /// of value after it ([`STRING`], [`NUMBER`], or 0 after the last run).
    runs: Vec<(u32, u32, u8)>,
    /// The `tool` values masking read: each value's index and its text.
    tools: SmallVec<[(u32, Box<str>); 2]>,
    /// The canonical text between values.
    literals: String,
    pieces: Vec<Piece>,
    masked: Vec<String>,
    /// Where the envelope's texts come from; `None` when the scanner declined the request or
    /// one of its texts overlaps a value without being it or its contents (an argument that
    /// is an array or object holding values).
    envelope: Option<Recipe>,
}

/// An envelope with its texts left empty, and where each comes from, in the order
/// `Envelope::map` visits them.
#[derive(Debug)]
struct Recipe {
    template: Envelope<'static>,
    sources: Vec<Source>,
}

/// Where a text of the envelope comes from.
#[derive(Debug)]
enum Source {
    /// A string value's contents (without its quotes).
    Inner(u32),
    /// A value's text as written (an argument's number, or string with its quotes).
    Raw(u32),
    /// Text of the skeleton itself: a key, or an argument without values in it (`true`,
    /// `false`, `null`, or an array or object of those, such as `[]` or `{"k":null}`).
    Literal(Box<str>),
}

impl Recipe {
    /// Where each text of `text`'s envelope comes from, `values` being its values' ranges;
    /// `None` when the scanner declines `text` or a text overlaps a value without being it or
    /// its contents (an argument that is an array or object with values in it).
    fn of(text: &str, values: &[(u32, u32)]) -> Option<Recipe> {
        let envelope = scan(text)?;
        let base = text.as_ptr() as usize;
        let mut sources = Vec::new();
        let mut whole = true;
        let template = envelope.map(&mut |t: &str| {
            // Every text the scanner gives is a slice of `text`.
            let start = (t.as_ptr() as usize).wrapping_sub(base);
            let end = start + t.len();
            let value = |s: usize, e: usize| values.binary_search_by_key(&(s, e), |&(s, e)| (s as usize, e as usize)).ok();
            let overlaps = values.iter().any(|&(s, e)| (s as usize) < end && start < e as usize);
            let source = match (value(start, end), start.checked_sub(1).and_then(|s| value(s, end + 1))) {
                (Some(i), _) => Some(Source::Raw(i as u32)),
                (None, Some(i)) => Some(Source::Inner(i as u32)),
                (None, None) if !overlaps && end <= text.len() => Some(Source::Literal(Box::from(t))),
                (None, None) => None,
            };
            match source {
                Some(source) => sources.push(source),
                None => whole = false,
            }
            ""
        });
        whole.then_some(Recipe { template, sources })
    }

    /// The envelope of `text`, whose values' ranges are `values` (a match of this shape).
    fn envelope<'s>(&'s self, text: &'s str, values: &[(u32, u32)]) -> Option<Envelope<'s>> {
        let mut sources = self.sources.iter();
        let mut whole = true;
        let envelope = self.template.map(&mut |_| {
            let text = match sources.next() {
                Some(Source::Inner(i)) => {
                    values.get(*i as usize).and_then(|&(s, e)| text.get(s as usize + 1..(e as usize).saturating_sub(1)))
                }
                Some(Source::Raw(i)) => value_text(text, values, *i),
                Some(Source::Literal(t)) => Some(&**t),
                None => None,
            };
            whole &= text.is_some();
            text.unwrap_or("")
        });
        (whole && sources.next().is_none()).then_some(envelope)
    }
}

/// A piece of a planned request: literal text (a range of `literals`) or a value (its index).
#[derive(Debug, Clone, Copy)]
enum Piece {
    Literal(u32, u32),
    Value(u32),
}

/// The plans made under one masking, and buffers reused from one request to the next.
#[derive(Debug, Default)]
pub(super) struct Shapes {
    /// The sensitive arguments (tool, name) the plans were made with: all that masking reads
    /// of the policy, so another policy with the same ones can use the same plans.
    sensitive: Vec<(Box<str>, Box<str>)>,
    shapes: Vec<Shape>,
    next: usize,
    skeleton: Vec<u8>,
    /// Each value's byte range in the request.
    values: Vec<(u32, u32)>,
    plan: String,
    tools: Vec<usize>,
}

impl Shapes {
    /// Writes the logged form of `text` (as [`write_request`] does) under `policy`'s masking;
    /// false (nothing written) when the full canonicaliser declines too.
    #[cfg(test)]
    fn write(&mut self, policy: &Policy, text: &str, out: &mut String, masked: &mut Vec<String>) -> bool {
        let found = self.find(policy, text);
        let planned = self.write_found(policy, found, text, out, masked);
        if let Some(planned) = planned {
            masked.splice(0..0, planned.iter().cloned());
        }
        planned.is_some()
    }

    /// The plan of `text`'s structure under `policy`'s masking (made now if it is new), with
    /// the values' ranges in `self.values`; `None` when `text` has no plan (too long, a value
    /// not its own canonical form, or declined by the canonicaliser).
    pub(super) fn find(&mut self, policy: &Policy, text: &str) -> Option<usize> {
        if text.len() > MAX_PLANNED_BYTES {
            return None;
        }
        let pairs = || policy.tools.iter().flat_map(|t| t.params.iter().filter(|p| p.sensitive).map(move |p| (&*t.name, &*p.name)));
        if !pairs().eq(self.sensitive.iter().map(|(t, p)| (&**t, &**p))) {
            self.shapes.clear();
            self.next = 0;
            self.sensitive = pairs().map(|(t, p)| (Box::from(t), Box::from(p))).collect();
        }
        let values = &mut self.values;
        let found = self.shapes.iter().position(|shape| {
            shape.matches(text, values) && shape.tools.iter().all(|(i, tool)| value_text(text, values, *i) == Some(&**tool))
        });
        if found.is_some() {
            return found;
        }
        if !tokenise(text, &mut self.skeleton, &mut self.values) {
            return None;
        }
        self.make(text, &|tool: &str, name: &str| sensitive(policy, tool, name))
    }

    /// `text` read through the plan `found` (from [`Shapes::find`] on the same text): its
    /// envelope from the plan's recipe when it has one.
    pub(super) fn scanned<'s>(&'s self, found: Option<usize>, text: &'s str) -> Scanned<'s> {
        let recipe = found.and_then(|i| self.shapes.get(i)).and_then(|shape| shape.envelope.as_ref());
        Scanned { text, envelope: recipe.and_then(|r| r.envelope(text, &self.values)) }
    }

    /// Writes the logged form of `text` through the plan `found` (from [`Shapes::find`] on
    /// the same text and policy), or with the full canonicaliser when there is none; `None`
    /// (nothing written) when that declines. The masked paths are the plan's (returned,
    /// borrowed) or, without a plan, appended to `masked`.
    pub(super) fn write_found(
        &self,
        policy: &Policy,
        found: Option<usize>,
        text: &str,
        out: &mut String,
        masked: &mut Vec<String>,
    ) -> Option<&[String]> {
        let Some(shape) = found.and_then(|i| self.shapes.get(i)) else {
            return write_request(text, |tool: &str, name: &str| sensitive(policy, tool, name), out, masked).then_some(&[]);
        };
        out.reserve(shape.literals.len() + text.len());
        for piece in &shape.pieces {
            match *piece {
                Piece::Literal(s, e) => out.push_str(&shape.literals[s as usize..e as usize]),
                Piece::Value(i) => out.push_str(value_text(text, &self.values, i).unwrap_or_default()),
            }
        }
        Some(&shape.masked)
    }

    /// Plans the skeleton of `text` (already tokenised); its index among the plans, or `None`
    /// when the canonicaliser declines the request.
    fn make(&mut self, text: &str, sensitive: &impl Fn(&str, &str) -> bool) -> Option<usize> {
        self.plan.clear();
        self.tools.clear();
        let mut masked = Vec::new();
        if !plan_request(text, sensitive, &mut self.plan, &mut masked, &mut self.tools) {
            return None;
        }
        // The value starting at each offset (values are in text order).
        let index_at = |offset: usize| self.values.binary_search_by_key(&offset, |&(s, _)| s as usize).ok().map(|i| i as u32);
        let mut tools = SmallVec::new();
        for &at in &self.tools {
            let i = index_at(at)?;
            let &(s, e) = self.values.get(i as usize)?;
            tools.push((i, Box::from(text.get(s as usize..e as usize)?)));
        }
        let (mut literals, mut pieces) = (String::new(), Vec::new());
        let mut rest = self.plan.as_str();
        while let Some(at) = rest.find(MARK) {
            let start = literals.len() as u32;
            literals.push_str(&rest[..at]);
            pieces.push(Piece::Literal(start, literals.len() as u32));
            let digits = rest.get(at + 1..at + 9)?;
            pieces.push(Piece::Value(index_at(usize::from_str_radix(digits, 16).ok()?)?));
            rest = &rest[at + 9..];
        }
        let start = literals.len() as u32;
        literals.push_str(rest);
        pieces.push(Piece::Literal(start, literals.len() as u32));
        pieces.retain(|p| !matches!(p, Piece::Literal(s, e) if s == e));
        let mut runs = Vec::new();
        let mut start = 0;
        for (i, &b) in self.skeleton.iter().enumerate() {
            if b == STRING || b == NUMBER {
                runs.push((start as u32, i as u32, b));
                start = i + 1;
            }
        }
        runs.push((start as u32, self.skeleton.len() as u32, 0));
        let envelope = Recipe::of(text, &self.values);
        let shape = Shape { skeleton: self.skeleton.clone(), runs, tools, literals, pieces, masked, envelope };
        if self.shapes.len() < SHAPES {
            self.shapes.push(shape);
            return Some(self.shapes.len() - 1);
        }
        let i = self.next;
        self.next = (self.next + 1) % SHAPES;
        self.shapes[i] = shape;
        Some(i)
    }
}

/// The text of value `i` of `text`, whose values' ranges are `values`.
fn value_text<'t>(text: &'t str, values: &[(u32, u32)], i: u32) -> Option<&'t str> {
    values.get(i as usize).and_then(|&(s, e)| text.get(s as usize..e as usize))
}

/// Whether `policy` declares argument `name` of `tool` sensitive.
fn sensitive(policy: &Policy, tool: &str, name: &str) -> bool {
    policy.tools.iter().filter(|t| t.name == tool).any(|t| t.params.iter().any(|p| p.sensitive && p.name == name))
}

impl Shape {
    /// Whether `text` has this skeleton, walked in step with it: each literal run compared
    /// whole, each value read as [`tokenise`] reads it (so a match is exactly "`tokenise`
    /// gives this skeleton"); the values' ranges go to `values`.
    fn matches(&self, text: &str, values: &mut Vec<(u32, u32)>) -> bool {
        values.clear();
        let bytes = text.as_bytes();
        let mut at = 0;
        for &(start, end, kind) in &self.runs {
            let run = &self.skeleton[start as usize..end as usize];
            if bytes.get(at..at + run.len()) != Some(run) {
                return false;
            }
            at += run.len();
            let end = match kind {
                STRING if bytes.get(at) == Some(&b'"') => match plain_string(text, at + 1) {
                    Some((_, end)) => end,
                    None => return false,
                },
                NUMBER => match as_is_number(bytes, at) {
                    Some(end) => end,
                    None => return false,
                },
                0 => return at == bytes.len(),
                _ => return false,
            };
            values.push((at as u32, end as u32));
            at = end;
        }
        false
    }
}

/// The end of the number at `at` when it is its own canonical form: an integer as written, not
/// `-0`, at most 18 characters (so within `i64`).
fn as_is_number(bytes: &[u8], at: usize) -> Option<usize> {
    let (end, integer) = number_end(bytes, at)?;
    (integer && end - at <= 18 && &bytes[at..end] != b"-0").then_some(end)
}

/// Splits `text` into its skeleton and its values' ranges; false when a value is not its own
/// canonical form (a string with an escape or control character, a number that is not an
/// integer as written, `-0`, more than 18 characters) or a control byte is outside a string.
fn tokenise(text: &str, skeleton: &mut Vec<u8>, values: &mut Vec<(u32, u32)>) -> bool {
    skeleton.clear();
    values.clear();
    let bytes = text.as_bytes();
    let (mut at, mut copied) = (0, 0);
    while at < bytes.len() {
        let (kind, end) = match bytes[at] {
            b'"' => {
                let Some((_, end)) = plain_string(text, at + 1) else { return false };
                let mut next = end;
                while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(next) {
                    next += 1;
                }
                if bytes.get(next) == Some(&b':') {
                    // A key stays in the skeleton.
                    at = end;
                    continue;
                }
                (STRING, end)
            }
            b'-' | b'0'..=b'9' => {
                let Some(end) = as_is_number(bytes, at) else { return false };
                (NUMBER, end)
            }
            b' ' | b'\t' | b'\n' | b'\r' => {
                at += 1;
                continue;
            }
            0..=0x1f => return false,
            _ => {
                at += 1;
                continue;
            }
        };
        skeleton.extend_from_slice(&bytes[copied..at]);
        skeleton.push(kind);
        values.push((at as u32, end as u32));
        (at, copied) = (end, end);
    }
    skeleton.extend_from_slice(&bytes[copied..]);
    true
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use proptest::prelude::*;

    use super::*;

    fn sensitive(tool: &str, name: &str) -> bool {
        (tool == "send" && name == "body") || (tool == "pay" && name == "memo")
    }

    /// A policy whose only arguments are these sensitive ones.
    fn policy(sensitive: &[(&str, &str)]) -> Policy {
        use crate::schema::{Field, Tool, Type};
        let mut policy = Policy::default();
        for (tool, name) in sensitive {
            let param = Field { name: (*name).to_owned(), ty: Type::String, default: None, sensitive: true };
            policy.tools.push(Tool { name: (*tool).to_owned(), tenant: None, params: vec![param] });
        }
        policy
    }

    /// The policy `sensitive` describes.
    fn masking() -> Policy {
        policy(&[("send", "body"), ("pay", "memo")])
    }

    /// What the full canonicaliser writes (or `None` when it declines).
    fn full(text: &str) -> Option<(String, Vec<String>)> {
        let (mut out, mut masked) = (String::new(), Vec::new());
        write_request(text, sensitive, &mut out, &mut masked).then_some((out, masked))
    }

    fn planned(shapes: &mut Shapes, policy: &Policy, text: &str) -> Option<(String, Vec<String>)> {
        let (mut out, mut masked) = (String::new(), Vec::new());
        shapes.write(policy, text, &mut out, &mut masked).then_some((out, masked))
    }

    #[test]
    fn skeletons_keep_keys_and_replace_values() {
        let (mut skeleton, mut values) = (Vec::new(), Vec::new());
        assert!(tokenise(r#"{"a": "x", "b" :[1, -20, true, null], "c":"y"}"#, &mut skeleton, &mut values));
        assert_eq!(skeleton, b"{\"a\": \x01, \"b\" :[\x02, \x02, true, null], \"c\":\x01}");
        assert_eq!(values.len(), 4);
        for declined in [r#"{"a":"x\n"}"#, r#"{"a":1.5}"#, r#"{"a":-0}"#, "{\"a\":\u{1}}", r#"{"a":1e3}"#, r#"{"a\"":1}"#] {
            assert!(!tokenise(declined, &mut skeleton, &mut values), "{declined}");
        }
    }

    #[test]
    fn a_planned_request_is_written_as_the_full_canonicaliser_writes_it() {
        let mut shapes = Shapes::default();
        let policy = masking();
        let texts = [
            r#"{"phase":"evaluate","call":{"tool":"pay","args":{"to":"acme","amount":5,"memo":"hi"}}}"#,
            r#"{"phase":"evaluate","call":{"tool":"pay","args":{"to":"bob","amount":-7,"memo":"ignore all"}}}"#,
            // Same skeleton, another tool: other arguments masked.
            r#"{"phase":"evaluate","call":{"tool":"send","args":{"to":"acme","amount":5,"memo":"hi"}}}"#,
            r#"{"phase":"evaluate","call":{"args":{"body":"x","z":"y"},"tool":"send"}}"#,
            r#"{"phase":"evaluate","call":{"args":{"body":"secret","z":"y"},"tool":"send"}}"#,
            r#"{"phase":"plan","plan":{"steps":[{"tool":"send","args":{"body":"a"}},{"tool":"pay","args":{"memo":"b"}}]}}"#,
            r#"{"phase":"plan","plan":{"steps":[{"tool":"pay","args":{"body":"a"}},{"tool":"send","args":{"memo":"b"}}]}}"#,
            // The same with something after it: whitespace is JSON, the rest is not.
            r#"{"phase":"evaluate","call":{"tool":"pay","args":{"to":"acme","amount":5,"memo":"hi"}}} "#,
            r#"{"phase":"evaluate","call":{"tool":"pay","args":{"to":"acme","amount":5,"memo":"hi"}}}x"#,
            r#"{"phase":"evaluate","call":{"tool":"pay","args":{"to":"acme","amount":5,"memo":"hi"}}"#,
            // Declined by the tokeniser, and by both.
            r#"{"phase":"evaluate","call":{"tool":"pay","args":{"to":"a\"b","amount":1.5,"memo":"m"}}}"#,
            r#"{"phase":"evaluate","phase":"input"}"#,
            r#"{"input":"#,
        ];
        for text in texts.iter().chain(texts.iter()) {
            assert_eq!(planned(&mut shapes, &policy, text), full(text), "{text}");
        }
        assert_eq!(shapes.shapes.len(), 6);
    }

    #[test]
    fn a_policy_that_masks_otherwise_starts_afresh() {
        let mut shapes = Shapes::default();
        let text = r#"{"call":{"tool":"pay","args":{"memo":"m","to":"t"}}}"#;
        let masked = r#"{"call":{"args":{"memo":"[masked]","to":"t"},"tool":"pay"}}"#;
        let clear = r#"{"call":{"args":{"memo":"m","to":"t"},"tool":"pay"}}"#;
        let write = |shapes: &mut Shapes, policy: &Policy| planned(shapes, policy, text).map(|(out, _)| out);
        assert_eq!(write(&mut shapes, &policy(&[("pay", "memo")])).as_deref(), Some(masked));
        assert_eq!(write(&mut shapes, &policy(&[])).as_deref(), Some(clear));
        assert_eq!(
            write(&mut shapes, &policy(&[("pay", "to")])).as_deref(),
            Some(r#"{"call":{"args":{"memo":"m","to":"[masked]"},"tool":"pay"}}"#)
        );
        // Another policy with the same sensitive arguments keeps the plans.
        assert_eq!(write(&mut shapes, &policy(&[("pay", "memo")])).as_deref(), Some(masked));
        let mut other = policy(&[("pay", "memo")]);
        other.tools.push(crate::schema::Tool { name: "lookup".to_owned(), tenant: None, params: vec![] });
        assert_eq!(write(&mut shapes, &other).as_deref(), Some(masked));
        assert_eq!(shapes.shapes.len(), 1);
    }

    /// A request's structure: scalar slots, literals, arrays and objects.
    #[derive(Debug, Clone)]
    enum Tree {
        Slot,
        Literal(&'static str),
        Array(Vec<Tree>),
        Object(Vec<(&'static str, Tree)>),
    }

    fn tree() -> impl Strategy<Value = Tree> {
        let leaf = prop_oneof![3 => Just(Tree::Slot), 1 => prop::sample::select(vec!["true", "null", "[]", "{}"]).prop_map(Tree::Literal)];
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Tree::Array),
                prop::collection::vec((prop::sample::select(vec!["tool", "args", "memo", "body", "b", "a", "é"]), inner), 0..4)
                    .prop_map(Tree::Object),
            ]
        })
    }

    /// `tree` as JSON text, its slots filled from `values` in turn.
    fn render(tree: &Tree, values: &mut impl Iterator<Item = String>, out: &mut String) {
        match tree {
            Tree::Slot => out.push_str(&values.next().unwrap_or_else(|| "0".to_owned())),
            Tree::Literal(text) => out.push_str(text),
            Tree::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    out.push_str(if i > 0 { ", " } else { "" });
                    render(item, values, out);
                }
                out.push(']');
            }
            Tree::Object(members) => {
                out.push('{');
                for (i, (key, item)) in members.iter().enumerate() {
                    out.push_str(if i > 0 { "," } else { "" });
                    out.push_str(&format!("\"{key}\" : "));
                    render(item, values, out);
                }
                out.push('}');
            }
        }
    }

    /// A scalar, sometimes one the plans must decline (an escape, a fraction, `-0`, too long).
    fn scalar() -> impl Strategy<Value = String> {
        prop_oneof![
            4 => "[a-z é]{0,6}".prop_map(|s| format!("\"{s}\"")),
            1 => "[a-z\"\\\u{7}]{0,4}".prop_map(|s| serde_json::to_string(&s).unwrap()),
            4 => any::<i32>().prop_map(|n| n.to_string()),
            1 => prop::sample::select(vec!["-0", "1.50", "2e3", "12345678901234567890", "0"]).prop_map(str::to_owned),
        ]
    }

    /// An object of some of `members` (each present with its probability), in shuffled order.
    fn object(members: Vec<(&'static str, f64, BoxedStrategy<Tree>)>) -> BoxedStrategy<Tree> {
        let present: Vec<_> = members
            .into_iter()
            .filter(|(_, p, _)| *p > 0.0)
            .map(|(k, p, v)| {
                let member = v.prop_map(move |v| (k, v));
                if p >= 1.0 {
                    member.prop_map(Some).boxed()
                } else {
                    prop::option::weighted(p, member).boxed()
                }
            })
            .collect();
        present.prop_map(|m| m.into_iter().flatten().collect::<Vec<_>>()).prop_shuffle().prop_map(Tree::Object).boxed()
    }

    /// A request envelope: its members mostly present when the scanner needs them and of the
    /// right kind, sometimes not.
    fn envelope() -> BoxedStrategy<Tree> {
        fn scalar() -> BoxedStrategy<Tree> {
            prop_oneof![12 => Just(Tree::Slot), 1 => Just(Tree::Literal("null")), 1 => Just(Tree::Literal("false"))].boxed()
        }
        fn slots() -> BoxedStrategy<Tree> {
            prop::collection::vec(prop_oneof![12 => Just(Tree::Slot), 1 => Just(Tree::Literal("true"))], 0..3).prop_map(Tree::Array).boxed()
        }
        fn list() -> BoxedStrategy<Tree> {
            prop_oneof![8 => slots(), 1 => scalar()].boxed()
        }
        let arg = || prop_oneof![4 => scalar(), 1 => slots(), 1 => tree()].boxed();
        let args = object(vec![("a", 0.6, arg()), ("b", 0.6, arg()), ("memo", 0.6, arg()), ("to", 0.6, arg())]);
        let provenance = object(vec![("a", 0.4, scalar()), ("b", 0.4, scalar())]);
        let call = object(vec![("tool", 0.95, scalar()), ("source", 0.5, scalar()), ("args", 0.8, args), ("provenance", 0.3, provenance)]);
        let item = object(vec![("text", 0.95, scalar()), ("source", 0.5, scalar()), ("provenance", 0.5, scalar()), ("uri", 0.5, scalar())]);
        let tainted = prop_oneof![Just(Tree::Literal("true")), Just(Tree::Literal("false")), scalar()].boxed();
        let subject = prop_oneof![
            Just(("call", 1.0, 0.0, 0.0)),
            Just(("input", 0.0, 1.0, 0.0)),
            Just(("item", 0.0, 0.0, 1.0)),
            Just(("several", 0.5, 0.5, 0.5))
        ];
        subject
            .prop_flat_map(move |(_, c, i, t)| {
                object(vec![
                    ("phase", 0.95, scalar()),
                    ("tenant", 0.4, scalar()),
                    ("correlation_id", 0.5, scalar()),
                    ("time", 0.3, scalar()),
                    ("agent", 0.6, object(vec![("id", 0.8, scalar()), ("roles", 0.7, list())])),
                    ("session", 0.4, object(vec![("tainted", 0.7, tainted.clone()), ("labels", 0.7, list())])),
                    ("call", c, call.clone()),
                    ("input", i, object(vec![("text", 0.95, scalar())])),
                    ("item", t, item.clone()),
                ])
            })
            .boxed()
    }

    proptest! {
        // Cheap cases; an argument array or object with values in it needs many to come up.
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// A request whose structure was seen before gets from its shape's recipe exactly the
        /// envelope the scanner reads from it (the decision is made from that envelope).
        #[test]
        fn a_recipe_gives_the_envelope_the_scanner_reads(
            request in envelope(),
            fills in prop::collection::vec(prop::collection::vec(prop_oneof![12 => "[a-z é]{0,6}".prop_map(|s| format!("\"{s}\"")), 1 => scalar()], 24), 1..5),
        ) {
            let mut shapes = Shapes::default();
            let policy = masking();
            let composite = has_composite_args(&request);
            for fill in &fills {
                let mut text = String::new();
                render(&request, &mut fill.iter().cloned(), &mut text);
                let found = shapes.find(&policy, &text);
                let scanned = shapes.scanned(found, &text);
                let scan = scan(&text);
                match &scanned.envelope {
                    Some(envelope) => prop_assert_eq!(Some(envelope), scan.as_ref(), "{}", text),
                    // A planned text the scanner reads gets its envelope from the recipe,
                    // unless an argument holds an array or object.
                    None => prop_assert!(found.is_none() || scan.is_none() || composite, "{}", text),
                }
            }
        }
    }

    /// Whether a `call` member's arguments include an array or object holding a value (the
    /// recipe declines those).
    fn has_composite_args(request: &Tree) -> bool {
        fn has_slot(t: &Tree) -> bool {
            match t {
                Tree::Slot => true,
                Tree::Literal(_) => false,
                Tree::Array(items) => items.iter().any(has_slot),
                Tree::Object(members) => members.iter().any(|(_, v)| has_slot(v)),
            }
        }
        let Tree::Object(members) = request else { return false };
        members.iter().any(|(k, t)| {
            *k == "call"
                && matches!(t, Tree::Object(m) if m.iter().any(|(k, a)| *k == "args"
                    && matches!(a, Tree::Object(args) if args.iter().any(|(_, v)| matches!(v, Tree::Array(_) | Tree::Object(_)) && has_slot(v)))))
        })
    }

    #[test]
    fn a_recipe_reads_empty_and_changed_values() {
        let mut shapes = Shapes::default();
        let policy = masking();
        let texts = [
            r#"{"phase":"","call":{"tool":"pay","args":{"":"","to":"","n":0,"l":[],"o":{"k":null}},"provenance":{"to":""}}}"#,
            r#"{"phase":"evaluate","call":{"tool":"pay","args":{"":"x","to":"acme","n":-12,"l":[],"o":{"k":null}},"provenance":{"to":"web"}}}"#,
            r#"{"phase":"é","call":{"tool":"pay","args":{"":"\u00e9","to":"b","n":7,"l":[],"o":{"k":null}},"provenance":{"to":"user"}}}"#,
        ];
        let mut from_recipe = 0;
        for text in texts {
            let found = shapes.find(&policy, text);
            let scanned = shapes.scanned(found, text);
            if let Some(envelope) = &scanned.envelope {
                assert_eq!(Some(envelope), scan(text).as_ref(), "{text}");
                from_recipe += 1;
            }
        }
        // The escape in the last text is not its own canonical form: no plan, no recipe.
        assert_eq!(from_recipe, 2);
    }

    proptest! {
        /// Requests of one structure filled with other values, written through the plans, give
        /// the full canonicaliser's text and masked paths, or are declined by both.
        #[test]
        fn planned_requests_equal_the_full_canonical_form(
            args in tree(),
            body in tree(),
            fills in prop::collection::vec(
                (
                    prop::sample::select(vec!["pay", "send", "other"]),
                    prop::collection::vec(scalar(), 12),
                    prop::sample::select(vec!["", "", "", " ", "x", "}", ","]),
                ),
                1..5,
            ),
        ) {
            let mut shapes = Shapes::default();
            let policy = masking();
            for (tool, fill, after) in &fills {
                let (mut a, mut b) = (String::new(), String::new());
                render(&args, &mut fill.iter().cloned(), &mut a);
                render(&body, &mut fill.iter().rev().cloned(), &mut b);
                for text in [
                    format!(r#"{{"call":{{"args":{a},"tool":"{tool}"}},"x":{b}}}"#),
                    format!(r#"{{"plan":{{"steps":[{{"tool":"{tool}","args":{b}}},{{"args":{a},"tool":"pay"}}]}}}}"#),
                    format!(r#"{{"call":{{"tool":"{tool}","args":{b}}}}}"#),
                ] {
                    let text = format!("{text}{after}");
                    prop_assert_eq!(planned(&mut shapes, &policy, &text), full(&text), "{}", text);
                }
            }
        }
    }
}
