//! A prepared request in the JIT's form: the values rules can read, as flat 64-bit slots (an
//! optional value takes two: present, payload), with strings interned (see `intern.rs`; of
//! the header's strings only those compiled code reads, see [`HeaderFields::slots`]).
//! Built by `Compiled::prepare`, used by compiled rule lists, recognised by the policy hash.

use std::sync::Arc;

use smallvec::SmallVec;

use crate::intern::{Interner, LocalStrings};
use crate::policy::Policy;
use crate::request::{Call, Request, Subject};
use crate::value::Value;

/// Slots of the request header, shared by every rule list.
pub mod header {
    pub const AGENT_ID: usize = 0;
    pub const TENANT: usize = 1;
    pub const TAINTED: usize = 2;
    pub const TIME_PRESENT: usize = 3;
    pub const TIME: usize = 4;
    pub const CORRELATION_ID: usize = 5;
    pub const INPUT_TEXT: usize = 6;
    pub const ITEM_TEXT: usize = 7;
    pub const ITEM_SOURCE: usize = 8;
    pub const ITEM_PROVENANCE: usize = 9;
    pub const ITEM_URI_PRESENT: usize = 10;
    pub const ITEM_URI: usize = 11;
    pub const LEN: usize = 12;

    /// The bit of header slot `slot` in a set of slots (see `Code::header_reads`).
    pub const fn bit(slot: usize) -> u16 {
        if slot < LEN {
            1 << slot
        } else {
            0
        }
    }
}

/// Slots of one call: its tool and source, the provenance of every argument name the policy
/// uses (`policy.names`), then two slots (present, payload) per parameter of the tool.
pub mod call {
    pub const TOOL: usize = 0;
    pub const SOURCE: usize = 1;
    pub const PROVENANCE: usize = 2;
}

/// The request header and calls as slots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frame {
    /// The policy the frame was built for.
    pub hash: Arc<str>,
    /// The number of the tenant scope it was built in (`None`: tenant mismatch).
    pub scope: Option<usize>,
    pub header: SmallVec<[i64; 24]>,
    /// One per call of the request (the call, or each plan step).
    pub calls: SmallVec<[CallFrame; 1]>,
    pub strings: LocalStrings,
    /// Interned `agent.roles` and `session.labels`, sorted.
    pub roles: SmallVec<[i64; 4]>,
    pub labels: SmallVec<[i64; 4]>,
}

/// One call as slots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallFrame {
    /// The tool, when the call was prepared for a tool of the policy.
    pub tool: Option<u32>,
    /// The call gives the provenance of an argument its tool does not have.
    pub bad_provenance: bool,
    pub slots: SmallVec<[i64; 48]>,
    /// Where the argument slots start.
    pub args_at: usize,
    /// The arguments decoded and every value in its slot (false: decode failed, or a value
    /// the slots cannot hold; rules then read the decoded value through the interpreter).
    pub args_ok: bool,
}

impl Frame {
    /// Builds the frame of `req`; calls must already carry their prepared arguments. Of the
    /// header's strings, only those of the slots in `reads` are interned (see
    /// [`HeaderFields::slots`]).
    pub fn build(interner: &Interner, hash: &Arc<str>, policy: &Policy, req: &Request, reads: u16) -> Frame {
        let mut strings = LocalStrings::default();
        let envelope = HeaderFields {
            agent_id: &req.agent_id,
            tenant: req.tenant.as_deref().unwrap_or(""),
            tainted: req.tainted,
            time: req.time,
            correlation_id: req.correlation_id.as_deref().unwrap_or(""),
        };
        let mut h = envelope.slots(interner, &mut strings, reads);
        let roles = string_ids(interner, &mut strings, texts(&req.roles));
        let labels = string_ids(interner, &mut strings, texts(&req.labels));
        let mut intern = |s: &str| strings.intern(interner, s);
        let mut calls = SmallVec::new();
        match &req.subject {
            Subject::Input { text } => h[header::INPUT_TEXT] = intern(text),
            Subject::Item { text, source, provenance, uri } => {
                h[header::ITEM_TEXT] = intern(text);
                h[header::ITEM_SOURCE] = intern(source);
                h[header::ITEM_PROVENANCE] = i64::from(*provenance);
                if let Some(uri) = uri {
                    h[header::ITEM_URI_PRESENT] = 1;
                    h[header::ITEM_URI] = intern(uri);
                }
            }
            Subject::Call(c) => calls.push(call_frame(c, policy, &mut intern)),
            Subject::Plan(steps) => calls.extend(steps.iter().map(|c| call_frame(c, policy, &mut intern))),
        }
        Frame { hash: hash.clone(), scope: policy.scope_index(req.tenant.as_deref()), header: h, calls, strings, roles, labels }
    }
}

/// The slot of a header string nothing reads (see [`HeaderFields::slots`]): no string's id, so
/// a reader that was missed compares unequal to every string and reads an empty text, instead
/// of meeting the policy's first string (id 0). That is not a fault and need not fail closed
/// (`agent.id == "x"` is then false), so correctness rests on the reads being complete: the
/// code generator records every header slot it loads (`Shapes::read_header`), and a policy
/// whose grants name agents always interns the agent id (`Compiled.header_strings`).
pub const NOT_INTERNED: i64 = -1;

/// The header fields every request has.
pub struct HeaderFields<'a> {
    pub agent_id: &'a str,
    pub tenant: &'a str,
    pub tainted: bool,
    pub time: Option<i64>,
    pub correlation_id: &'a str,
}

impl HeaderFields<'_> {
    /// The header slots (the subject's left at 0), its strings interned into `strings`: those
    /// of the slots in `reads` (bits of `header::bit`); the others, which nothing reads, are
    /// [`NOT_INTERNED`] (interning a string costs a hash look-up and a copy).
    pub fn slots(&self, interner: &Interner, strings: &mut LocalStrings, reads: u16) -> SmallVec<[i64; 24]> {
        let mut h: SmallVec<[i64; 24]> = SmallVec::from_elem(0, header::LEN);
        let mut intern = |slot: usize, text: &str| {
            h[slot] = if reads & header::bit(slot) != 0 { strings.intern(interner, text) } else { NOT_INTERNED };
        };
        intern(header::AGENT_ID, self.agent_id);
        intern(header::TENANT, self.tenant);
        intern(header::CORRELATION_ID, self.correlation_id);
        h[header::TAINTED] = i64::from(self.tainted);
        if let Some(t) = self.time {
            h[header::TIME_PRESENT] = 1;
            h[header::TIME] = t;
        }
        h
    }
}

/// The sorted, distinct ids of a set of strings (`agent.roles`, `session.labels`).
pub fn string_ids<'t>(interner: &Interner, strings: &mut LocalStrings, texts: impl IntoIterator<Item = &'t str>) -> SmallVec<[i64; 4]> {
    let mut ids: SmallVec<[i64; 4]> = SmallVec::new();
    for text in texts {
        ids.push(strings.intern(interner, text));
    }
    // Most requests have one role and no label: nothing to sort.
    if ids.len() > 1 {
        ids.sort_unstable();
        ids.dedup();
    }
    ids
}

/// The texts of a set value.
fn texts(v: &Value) -> impl Iterator<Item = &str> {
    v.items().unwrap_or(&[]).iter().filter_map(|x| text_of(x).map(|s| &**s))
}

fn text_of(v: &Value) -> Option<&Arc<str>> {
    match v {
        Value::Str(s) | Value::Email(s) | Value::Url(s) | Value::Path(s) | Value::Ip(s) => Some(s),
        _ => None,
    }
}

/// An argument's (present, payload) slots.
pub fn value_slots(v: &Value, intern: &mut dyn FnMut(&str) -> i64) -> (i64, i64) {
    match v {
        Value::Absent => (0, 0),
        Value::Bool(b) => (1, i64::from(*b)),
        Value::Int(x) | Value::Decimal(x) | Value::Timestamp(x) | Value::Duration(x) => (1, *x),
        Value::Enum(_, x) | Value::Tool(x) | Value::Regex(x) => (1, i64::from(*x)),
        Value::Provenance(x) | Value::Severity(x) => (1, i64::from(*x)),
        Value::Str(s) | Value::Email(s) | Value::Url(s) | Value::Path(s) | Value::Ip(s) => (1, intern(s)),
        // Collections and records stay with the interpreter: rules reading them are not
        // compiled (see `jit/shape.rs`).
        Value::List(_) | Value::Set(_) | Value::Record(_) | Value::Args(..) => (1, 0),
    }
}

fn call_frame(c: &Call, policy: &Policy, intern: &mut dyn FnMut(&str) -> i64) -> CallFrame {
    let names = &policy.names;
    let args_at = call::PROVENANCE + names.len();
    let params = c.prepared.as_ref().and_then(|p| policy.tools.get(p.tool as usize)).map_or(0, |t| t.params.len());
    // Room for the arguments and for the text operations precomputed after them.
    let mut slots: SmallVec<[i64; 48]> = SmallVec::with_capacity(args_at + 2 * params + 16);
    slots.resize(args_at, 0i64);
    slots[call::SOURCE] = i64::from(c.source);
    for (i, name) in names.iter().enumerate() {
        slots[call::PROVENANCE + i] = i64::from(c.provenance.get(name).copied().unwrap_or(6));
    }
    let mut args_ok = false;
    let tool = c.prepared.as_ref().map(|p| p.tool);
    let bad_provenance = tool.and_then(|t| policy.tools.get(t as usize)).is_some_and(|t| c.provenance.keys().any(|k| t.param(k).is_none()));
    if let Some(p) = &c.prepared {
        slots[call::TOOL] = i64::from(p.tool);
        if let Ok(Value::Args(_, values)) = &p.args {
            args_ok = true;
            for v in values.iter() {
                let (present, payload) = value_slots(v, intern);
                slots.push(present);
                slots.push(payload);
            }
        }
    }
    CallFrame { tool, bad_provenance, slots, args_at, args_ok }
}
