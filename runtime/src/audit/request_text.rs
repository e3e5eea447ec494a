//! A request's logged form straight from its text: RFC 8785 canonical JSON with the sensitive
//! arguments masked, without building a `serde_json::Value` (the audit trail's hot path).
//! Declines (`None`) anything unusual — a string with an escape, a duplicate key, nesting
//! deeper than [`MAX_DEPTH`], text that is not JSON — and the caller takes the `Value` path,
//! which gives the same text (`tests/audit.rs` checks both on every request it logs).

use std::borrow::Cow;

use super::canonical::{key_order, string};
use super::event::MASK;
use crate::json_text::{number_end, plain_string};

const MAX_DEPTH: usize = 64;

enum Node<'a> {
    /// `null`, `true`, `false` or a number, in canonical form.
    Lit(Cow<'a, str>),
    Str(&'a str),
    Arr(Vec<Node<'a>>),
    Obj(Vec<(&'a str, Node<'a>)>),
}

/// The canonical text of the request `text` with the arguments `sensitive(tool, name)` says
/// are sensitive masked (in `call.args` and each plan step's, `plan.steps[i].args`), and the masked paths.
pub fn canonical_request(text: &str, sensitive: impl Fn(&str, &str) -> bool) -> Option<(String, Vec<String>)> {
    let mut out = String::with_capacity(text.len() + 16);
    let mut masked = Vec::new();
    write_request(text, sensitive, &mut out, &mut masked).then_some((out, masked))
}

/// [`canonical_request`] appending to `out` and `masked`; false (and nothing appended) when it
/// declines.
pub(super) fn write_request(text: &str, sensitive: impl Fn(&str, &str) -> bool, out: &mut String, masked: &mut Vec<String>) -> bool {
    let mut p = Parser { text, bytes: text.as_bytes(), at: 0 };
    let Some(mut root) = p.value(0) else { return false };
    p.ws();
    if p.at != p.bytes.len() {
        return false;
    }
    if let Node::Obj(members) = &mut root {
        for (key, value) in members.iter_mut() {
            match (*key, value) {
                ("call", call) => mask_call(call, "call", &sensitive, masked),
                ("plan", Node::Obj(plan)) => {
                    for (key, steps) in plan.iter_mut() {
                        let (&mut "steps", Node::Arr(steps)) = (key, steps) else { continue };
                        for (i, step) in steps.iter_mut().enumerate() {
                            mask_call(step, &format!("plan.steps[{i}]"), &sensitive, masked);
                        }
                    }
                }
                _ => {}
            }
        }
    }
    write(out, &mut root);
    true
}

fn mask_call(call: &mut Node<'_>, path: &str, sensitive: &impl Fn(&str, &str) -> bool, masked: &mut Vec<String>) {
    let Node::Obj(members) = call else { return };
    let Some(tool) = members.iter().find_map(|(k, v)| match (*k, v) {
        ("tool", Node::Str(t)) => Some(*t),
        _ => None,
    }) else {
        return;
    };
    for (key, value) in members.iter_mut() {
        if *key != "args" {
            continue;
        }
        let Node::Obj(args) = value else { continue };
        for (name, v) in args.iter_mut() {
            if !matches!(v, Node::Lit(l) if l == "null") && sensitive(tool, name) {
                *v = Node::Str(MASK);
                masked.push(format!("{path}.args.{name}"));
            }
        }
    }
}

/// Writes `node` in canonical form (sorting object members in place).
fn write(out: &mut String, node: &mut Node<'_>) {
    match node {
        Node::Lit(l) => out.push_str(l),
        Node::Str(s) => string(out, s),
        Node::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter_mut().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(out, item);
            }
            out.push(']');
        }
        Node::Obj(members) => {
            members.sort_by(|a, b| key_order(a.0, b.0));
            out.push('{');
            for (i, (k, v)) in members.iter_mut().enumerate() {
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

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Parser<'a> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.bytes.get(self.at).copied()
    }

    fn value(&mut self, depth: usize) -> Option<Node<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        Some(match self.peek()? {
            b'"' => Node::Str(self.string()?),
            b'{' => {
                self.at += 1;
                let mut members: Vec<(&'a str, Node<'a>)> = Vec::new();
                if self.peek()? == b'}' {
                    self.at += 1;
                    return Some(Node::Obj(members));
                }
                loop {
                    if self.peek()? != b'"' {
                        return None;
                    }
                    let key = self.string()?;
                    if members.iter().any(|(k, _)| *k == key) || self.peek()? != b':' {
                        return None;
                    }
                    self.at += 1;
                    members.push((key, self.value(depth + 1)?));
                    match self.peek()? {
                        b',' => self.at += 1,
                        b'}' => {
                            self.at += 1;
                            return Some(Node::Obj(members));
                        }
                        _ => return None,
                    }
                }
            }
            b'[' => {
                self.at += 1;
                let mut items = Vec::new();
                if self.peek()? == b']' {
                    self.at += 1;
                    return Some(Node::Arr(items));
                }
                loop {
                    items.push(self.value(depth + 1)?);
                    match self.peek()? {
                        b',' => self.at += 1,
                        b']' => {
                            self.at += 1;
                            return Some(Node::Arr(items));
                        }
                        _ => return None,
                    }
                }
            }
            b't' => self.word("true")?,
            b'f' => self.word("false")?,
            b'n' => self.word("null")?,
            _ => self.number()?,
        })
    }

    /// A string without escapes or control characters, borrowed (after the opening quote).
    fn string(&mut self) -> Option<&'a str> {
        let (s, end) = plain_string(self.text, self.at + 1)?;
        self.at = end;
        Some(s)
    }

    fn word(&mut self, word: &'static str) -> Option<Node<'a>> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word.as_bytes()).then(|| {
            self.at = end;
            Node::Lit(Cow::Borrowed(word))
        })
    }

    /// A JSON number, in ECMAScript's shortest form (integers up to 2^53 as written; beyond,
    /// kept exact, as `canonical.rs` does).
    fn number(&mut self) -> Option<Node<'a>> {
        let start = self.at;
        let (end, integer) = number_end(self.bytes, start)?;
        self.at = end;
        let text = self.text.get(start..self.at)?;
        if integer {
            // As written (grammar-valid: no leading zeros), `-0` as `0`; beyond u64, as a double
            // (what `canonical.rs` does with serde_json's numbers).
            match text.parse::<i64>() {
                Ok(0) => return Some(Node::Lit(Cow::Borrowed("0"))),
                Ok(_) => return Some(Node::Lit(Cow::Borrowed(text))),
                Err(_) if text.parse::<u64>().is_ok() => return Some(Node::Lit(Cow::Borrowed(text))),
                Err(_) => {}
            }
        }
        let f: f64 = text.parse().ok().filter(|f: &f64| f.is_finite())?;
        let mut buffer = ryu_js::Buffer::new();
        Some(Node::Lit(Cow::Owned(buffer.format_finite(f).to_owned())))
    }
}
