//! String interning: every string a policy can compare against (literals, set elements, grant
//! roles and agents) gets a small integer id when the policy is loaded; a request's strings
//! get ids when the request is prepared (the policy's id when the policy knows the text, a
//! request-local id otherwise). Equal texts get equal ids, so string equality is an integer
//! compare.

use std::sync::Arc;

use rustc_hash::FxHashMap;

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

/// Strings of one request beyond the policy's, deduplicated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LocalStrings {
    pub texts: Vec<Arc<str>>,
}

impl LocalStrings {
    /// The id of `text`: the policy's if it knows it, else a request-local one (`base` + index).
    pub fn intern(&mut self, interner: &Interner, text: &str) -> i64 {
        if let Some(id) = interner.get(text) {
            return id;
        }
        let base = interner.len() as i64;
        if let Some(i) = self.texts.iter().position(|t| t.len() == text.len() && **t == *text) {
            return base + i as i64;
        }
        self.texts.push(Arc::from(text));
        base + self.texts.len() as i64 - 1
    }
}
