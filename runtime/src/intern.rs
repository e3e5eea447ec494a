//! String interning: every string a policy can compare against (literals, set elements, grant
//! roles and agents) gets a small integer id when the policy is loaded; a request's strings
//! get ids when the request is prepared (the policy's id when the policy knows the text, a
//! request-local id otherwise; header strings no compiled code reads get none, see
//! `frame.rs`). Equal texts get equal ids, so string equality is an integer compare.

use std::sync::Arc;

use rustc_hash::FxHashMap;
use smallvec::SmallVec;

use crate::ir::Node;
use crate::policy::Policy;
use crate::value::Value;

/// The policy's strings: ids `0..len()`. Request-local ids start at `len()`.
#[derive(Debug, Default)]
pub struct Interner {
    texts: Vec<Arc<str>>,
    /// Fx hashing: the keys are the policy's own strings, and look-ups are on the hot path.
    ids: FxHashMap<Arc<str>, i64>,
}

impl Interner {
    /// The strings of `policy`, in order of first appearance (deterministic).
    pub fn new(policy: &Policy) -> Interner {
        let mut interner = Interner::default();
        for node in &policy.nodes {
            if let Node::Lit(v) = node {
                interner.add_value(v);
            }
        }
        for grant in &policy.grants {
            for text in grant.roles.iter().chain(&grant.agents) {
                interner.add(text);
            }
        }
        interner
    }

    fn add_value(&mut self, v: &Value) {
        match v {
            Value::List(items) | Value::Set(items) | Value::Record(items) | Value::Args(_, items) => {
                items.iter().for_each(|i| self.add_value(i));
            }
            other => {
                if let Some(text) = other.as_text() {
                    self.add(text);
                }
            }
        }
    }

    fn add(&mut self, text: &str) -> i64 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.texts.len() as i64;
        let text: Arc<str> = Arc::from(text);
        self.texts.push(text.clone());
        self.ids.insert(text, id);
        id
    }

    /// The id of a text the policy knows.
    pub fn get(&self, text: &str) -> Option<i64> {
        self.ids.get(text).copied()
    }

    /// The policy's text with `id`.
    pub fn text(&self, id: i64) -> Option<&Arc<str>> {
        usize::try_from(id).ok().and_then(|i| self.texts.get(i))
    }

    /// How many strings the policy has (the first request-local id).
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }
}

/// Strings of one request beyond the policy's, deduplicated, in one buffer (a request's
/// strings cost one allocation, not one each).
#[derive(Debug, Clone, Default)]
pub struct LocalStrings {
    buf: String,
    /// Where each string ends in `buf`.
    ends: SmallVec<[usize; 8]>,
    /// Past [`INDEXED`] strings, their numbers by hash, so interning stays linear in the
    /// request's size (a request with thousands of roles).
    index: FxHashMap<u64, SmallVec<[u32; 2]>>,
}

impl PartialEq for LocalStrings {
    fn eq(&self, other: &Self) -> bool {
        self.buf == other.buf && self.ends == other.ends
    }
}

impl Eq for LocalStrings {}

/// How many strings are searched one by one before the hash index is used.
const INDEXED: usize = 16;

fn hash(text: &str) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault};
    BuildHasherDefault::<rustc_hash::FxHasher>::default().hash_one(text)
}

/// The text of an id: the policy's shared copy, or a slice of the request's strings.
#[derive(Debug, Clone, Copy)]
pub enum Interned<'a> {
    Policy(&'a Arc<str>),
    Local(&'a str),
}

/// The text of `id` among the policy's strings and `local`'s; `None` for any other id (past
/// both, or negative).
pub fn text_of<'a>(interner: &'a Interner, local: &'a LocalStrings, id: i64) -> Option<Interned<'a>> {
    let base = interner.len() as i64;
    if id < base {
        interner.text(id).map(Interned::Policy)
    } else {
        local.get(usize::try_from(id - base).ok()?).map(Interned::Local)
    }
}

impl LocalStrings {
    /// The id of `text`: the policy's if it knows it, else a request-local one (`base` + index).
    pub fn intern(&mut self, interner: &Interner, text: &str) -> i64 {
        if let Some(id) = interner.get(text) {
            return id;
        }
        let base = interner.len() as i64;
        if let Some(i) = self.position(text) {
            return base + i as i64;
        }
        self.push(text);
        base + self.len() as i64 - 1
    }

    /// Local string number `i`.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.buf.get(start..end)
    }

    /// The number of `text`, if it is here.
    pub fn position(&self, text: &str) -> Option<usize> {
        let linear = self.len().min(INDEXED);
        if let Some(i) = (0..linear).find(|&i| self.get(i) == Some(text)) {
            return Some(i);
        }
        if self.len() <= INDEXED {
            return None;
        }
        let candidates = self.index.get(&hash(text))?;
        candidates.iter().map(|&i| i as usize).find(|&i| self.get(i) == Some(text))
    }

    /// Appends `text` (even if it is already here; see [`LocalStrings::intern`]).
    pub fn push(&mut self, text: &str) {
        if self.len() >= INDEXED {
            let n = self.len() as u32;
            self.index.entry(hash(text)).or_default().push(n);
        }
        if self.buf.capacity() == 0 {
            // One allocation for a typical request's strings.
            self.buf.reserve(text.len().max(256));
        }
        self.buf.push_str(text);
        self.ends.push(self.buf.len());
    }

    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
}
