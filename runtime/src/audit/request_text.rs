//! A request's logged form straight from its text: RFC 8785 canonical JSON with the sensitive
//! arguments masked, without building a `serde_json::Value` or any tree (the audit trail's hot
//! path). One pass: each object's members are written as they come and then, when they are not
//! in canonical order, their (already canonical) text is moved into it. A call object is
//! scanned once more ahead, for its `tool`, which masking its `args` needs.
//! Declines (`None`) anything unusual — a string with an escape, a duplicate key, nesting
//! deeper than [`MAX_DEPTH`], text that is not JSON — and the caller takes the `Value` path,
//! which gives the same text (`tests/audit.rs` checks both on every request it logs).

use smallvec::SmallVec;

use super::canonical::{key_order, string};
use super::event::MASK;
use crate::json_text::{number_end, plain_string};

const MAX_DEPTH: usize = 64;

/// The canonical text of the request `text` with the arguments `sensitive(tool, name)` says
/// are sensitive masked (in `call.args` and each plan step's, `plan.steps[i].args`), and the
/// masked paths (the call's, then the plan steps', each in the text's order).
pub fn canonical_request(text: &str, sensitive: impl Fn(&str, &str) -> bool) -> Option<(String, Vec<String>)> {
    let mut out = String::with_capacity(text.len() + 16);
    let mut masked = Vec::new();
    write_request(text, sensitive, &mut out, &mut masked).then_some((out, masked))
}

/// [`canonical_request`] appending to `out` and `masked`; false (and nothing appended) when it
/// declines.
pub(super) fn write_request(text: &str, sensitive: impl Fn(&str, &str) -> bool, out: &mut String, masked: &mut Vec<String>) -> bool {
    canonicalise(text, &sensitive, out, masked, None)
}

/// [`write_request`] in plan mode, for `shape.rs`: each string or number value is written as
/// [`MARK`] and the eight hex digits of its offset in `text`, instead of its text; the offsets
/// of the call `tool` values masking read go to `tools`. Numbers must be their own canonical
/// form (false otherwise).
pub(super) fn plan_request(
    text: &str,
    sensitive: impl Fn(&str, &str) -> bool,
    out: &mut String,
    masked: &mut Vec<String>,
    tools: &mut Vec<usize>,
) -> bool {
    canonicalise(text, &sensitive, out, masked, Some(tools))
}

/// Starts a value's mark in a plan (see [`plan_request`]); canonical text never holds it raw.
pub(super) const MARK: char = '\u{1}';

fn canonicalise<F: Fn(&str, &str) -> bool>(
    text: &str,
    sensitive: &F,
    out: &mut String,
    masked: &mut Vec<String>,
    plan: Option<&mut Vec<usize>>,
) -> bool {
    let mut c = Canon { text, bytes: text.as_bytes(), at: 0, sensitive, masked, scratch: String::new(), plan };
    let (out_len, masked_len) = (out.len(), c.masked.len());
    let done = c.value(0, Place::Root, out).is_some() && {
        c.ws();
        c.at == c.bytes.len()
    };
    if !done {
        out.truncate(out_len);
        c.masked.truncate(masked_len);
    }
    done
}

/// Where a value is, for masking.
#[derive(Clone, Copy)]
enum Place<'a> {
    Root,
    /// A call (`call`, `plan.steps[i]`); the step's index.
    Call(Option<usize>),
    Plan,
    Steps,
    /// A call's `args`: its tool, the step's index.
    Args(&'a str, Option<usize>),
    Other,
}

struct Canon<'a, 'm, F> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    sensitive: &'m F,
    masked: &'m mut Vec<String>,
    /// An object's members while they are put in order.
    scratch: String,
    /// In plan mode, where the `tool` values read for masking are.
    plan: Option<&'m mut Vec<usize>>,
}

impl<'a, F: Fn(&str, &str) -> bool> Canon<'a, '_, F> {
    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.ws();
        self.bytes.get(self.at).copied()
    }

    /// Writes the value at `self.at` in canonical form and moves past it.
    fn value(&mut self, depth: usize, place: Place<'a>, out: &mut String) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            // A string without escapes or control characters is its own canonical form.
            b'"' => {
                let start = self.at;
                self.string()?;
                match self.plan {
                    Some(_) => mark(out, start),
                    None => out.push_str(&self.text[start..self.at]),
                }
            }
            b'{' => self.object(depth, place, out)?,
            b'[' => {
                self.at += 1;
                out.push('[');
                if self.peek()? == b']' {
                    self.at += 1;
                    out.push(']');
                    return Some(());
                }
                for i in 0.. {
                    if i > 0 {
                        out.push(',');
                    }
                    let item = if let Place::Steps = place { Place::Call(Some(i)) } else { Place::Other };
                    self.value(depth + 1, item, out)?;
                    match self.peek()? {
                        b',' => self.at += 1,
                        b']' => break,
                        _ => return None,
                    }
                }
                self.at += 1;
                out.push(']');
            }
            b't' => self.word("true").map(|()| out.push_str("true"))?,
            b'f' => self.word("false").map(|()| out.push_str("false"))?,
            b'n' => self.word("null").map(|()| out.push_str("null"))?,
            _ => {
                let start = self.at;
                match self.number()? {
                    Number::Text(text) if self.plan.is_some() => (text.len() == self.at - start).then(|| mark(out, start))?,
                    Number::Text(text) => out.push_str(text),
                    Number::Double(_) if self.plan.is_some() => return None,
                    Number::Double(f) => out.push_str(ryu_js::Buffer::new().format_finite(f)),
                }
            }
        }
        Some(())
    }

    /// An object: its members written as they come, then put in canonical order (moving
    /// their text, which is already canonical) when they are not in it.
    fn object(&mut self, depth: usize, place: Place<'a>, out: &mut String) -> Option<()> {
        let tool = match place {
            Place::Call(step) => self.tool_ahead(depth)?.map(|t| (t, step)),
            _ => None,
        };
        self.at += 1;
        out.push('{');
        let start = out.len();
        // Each member's key and where its `"key":value` text is in `out`.
        let mut members: SmallVec<[(&'a str, usize, usize); 8]> = SmallVec::new();
        if self.peek()? == b'}' {
            self.at += 1;
            out.push('}');
            return Some(());
        }
        loop {
            if self.peek()? != b'"' {
                return None;
            }
            let key = self.string()?;
            if members.iter().any(|(k, _, _)| *k == key) || self.peek()? != b':' {
                return None;
            }
            self.at += 1;
            if !members.is_empty() {
                out.push(',');
            }
            let member = out.len();
            out.push('"');
            out.push_str(key);
            out.push_str("\":");
            let inner = match (place, key) {
                (Place::Root, "call") => Place::Call(None),
                (Place::Root, "plan") => Place::Plan,
                (Place::Plan, "steps") => Place::Steps,
                (Place::Call(_), "args") => tool.map_or(Place::Other, |(t, step)| Place::Args(t, step)),
                _ => Place::Other,
            };
            match place {
                Place::Args(tool, step) if self.peek()? != b'n' && (self.sensitive)(tool, key) => {
                    self.skip(depth + 1)?;
                    string(out, MASK);
                    self.masked.push(match step {
                        Some(i) => format!("plan.steps[{i}].args.{key}"),
                        None => format!("call.args.{key}"),
                    });
                }
                _ => self.value(depth + 1, inner, out)?,
            }
            members.push((key, member, out.len()));
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => break,
                _ => return None,
            }
        }
        self.at += 1;
        if !members.is_sorted_by(|a, b| key_order(a.0, b.0).is_lt()) {
            members.sort_by(|a, b| key_order(a.0, b.0));
            self.scratch.clear();
            self.scratch.push_str(&out[start..]);
            out.truncate(start);
            for (i, &(_, from, to)) in members.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&self.scratch[from - start..to - start]);
            }
        }
        out.push('}');
        Some(())
    }

    /// The `tool` of the call object at `self.at` (a string, or none), found without moving;
    /// `None` when the object is malformed.
    fn tool_ahead(&mut self, depth: usize) -> Option<Option<&'a str>> {
        let at = self.at;
        self.at += 1;
        let mut tool = None;
        if self.peek()? != b'}' {
            loop {
                if self.peek()? != b'"' {
                    return None;
                }
                let key = self.string()?;
                if self.peek()? != b':' {
                    return None;
                }
                self.at += 1;
                self.ws();
                if key == "tool" && tool.is_none() {
                    tool = self.string_at(self.at);
                    if let (Some(_), Some(tools)) = (tool, self.plan.as_deref_mut()) {
                        tools.push(self.at);
                    }
                }
                self.skip(depth + 1)?;
                match self.peek()? {
                    b',' => self.at += 1,
                    b'}' => break,
                    _ => return None,
                }
            }
        }
        self.at = at;
        Some(tool)
    }

    /// Moves past the value at `self.at`, checking it as [`Canon::value`] would.
    fn skip(&mut self, depth: usize) -> Option<()> {
        if depth > MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'"' => {
                self.string()?;
            }
            b'{' => {
                self.at += 1;
                if self.peek()? == b'}' {
                    self.at += 1;
                    return Some(());
                }
                let mut keys: SmallVec<[&str; 8]> = SmallVec::new();
                loop {
                    if self.peek()? != b'"' {
                        return None;
                    }
                    let key = self.string()?;
                    if keys.contains(&key) || self.peek()? != b':' {
                        return None;
                    }
                    keys.push(key);
                    self.at += 1;
                    self.skip(depth + 1)?;
                    match self.peek()? {
                        b',' => self.at += 1,
                        b'}' => break,
                        _ => return None,
                    }
                }
                self.at += 1;
            }
            b'[' => {
                self.at += 1;
                if self.peek()? == b']' {
                    self.at += 1;
                    return Some(());
                }
                loop {
                    self.skip(depth + 1)?;
                    match self.peek()? {
                        b',' => self.at += 1,
                        b']' => break,
                        _ => return None,
                    }
                }
                self.at += 1;
            }
            b't' => self.word("true")?,
            b'f' => self.word("false")?,
            b'n' => self.word("null")?,
            _ => {
                self.number()?;
            }
        }
        Some(())
    }

    /// The string value at `at`, if the value there is one.
    fn string_at(&self, at: usize) -> Option<&'a str> {
        (self.bytes.get(at) == Some(&b'"')).then(|| plain_string(self.text, at + 1).map(|(s, _)| s)).flatten()
    }

    /// A string without escapes or control characters, borrowed (after the opening quote).
    fn string(&mut self) -> Option<&'a str> {
        let (s, end) = plain_string(self.text, self.at + 1)?;
        self.at = end;
        Some(s)
    }

    fn word(&mut self, word: &'static str) -> Option<()> {
        let end = self.at + word.len();
        (self.bytes.get(self.at..end)? == word.as_bytes()).then(|| self.at = end)
    }

    /// A JSON number, in ECMAScript's shortest form (integers up to 2^53 as written; beyond,
    /// kept exact, as `canonical.rs` does).
    fn number(&mut self) -> Option<Number<'a>> {
        let start = self.at;
        let (end, integer) = number_end(self.bytes, start)?;
        self.at = end;
        let text = self.text.get(start..self.at)?;
        if integer {
            // As written (grammar-valid: no leading zeros), `-0` as `0`; beyond u64, as a double
            // (what `canonical.rs` does with serde_json's numbers).
            match text.parse::<i64>() {
                Ok(0) => return Some(Number::Text("0")),
                Ok(_) => return Some(Number::Text(text)),
                Err(_) if text.parse::<u64>().is_ok() => return Some(Number::Text(text)),
                Err(_) => {}
            }
        }
        text.parse().ok().filter(|f: &f64| f.is_finite()).map(Number::Double)
    }
}

/// A value's mark in a plan: [`MARK`] and its offset in eight hex digits.
fn mark(out: &mut String, offset: usize) {
    out.push(MARK);
    for shift in (0..8).rev() {
        out.push(char::from(super::chain::HEX[(offset >> (4 * shift)) & 15]));
    }
}

/// A number's canonical form: its text (or `0`), or the double it is.
enum Number<'a> {
    Text(&'a str),
    Double(f64),
}
