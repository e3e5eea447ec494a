//! Verdicts straight from JSON text: the envelope is scanned into borrowed fields
//! (`envelope.rs`) and each argument is decoded against the tool's schema from its own slice of
//! the text, without building a JSON tree of the whole request. Any request this path is not
//! sure about (malformed, a plan, an unknown tool or argument, a value that fails its type,
//! duplicate keys, a string with an escape sequence) takes the general path instead
//! (`Request::from_json`, `prepare`, `verdict`), so both always agree, errors included.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde_json::{Map, Value as Json};
use smallvec::SmallVec;

use super::envelope::{lookup, scan, Envelope, Pairs};
#[cfg(feature = "jit")]
use super::TextFacts;
use super::{Compiled, Verdict};
use crate::args::{decode_text, decode_value, parse_decimal, text_as_is};
use crate::decision::Text;
#[cfg(feature = "jit")]
use crate::frame::{call, string_ids, CallFrame, Frame, HeaderFields};
use crate::policy::Phase;
use crate::request::{parse_timestamp, Call, Malformed, Prepared, Request, Subject};
use crate::schema::{Type, PROVENANCES};
use crate::value::Value;

/// A call's `provenance` object as the interpreter reads it; `None` on an unknown provenance.
pub(super) fn provenance_map(pairs: Option<&Pairs<'_>>) -> Option<BTreeMap<String, u8>> {
    let mut map = BTreeMap::new();
    for (k, v) in pairs.into_iter().flatten() {
        map.insert((*k).to_owned(), provenance(Some(v))?);
    }
    Some(map)
}

pub(super) fn provenance(name: Option<&str>) -> Option<u8> {
    match name {
        None => Some(6),
        Some(p) => PROVENANCES.iter().position(|x| *x == p).map(|i| i as u8),
    }
}

fn strings(items: Option<&SmallVec<[&str; 4]>>) -> Value {
    Value::text_set(items.map_or(&[], |i| i.as_slice()))
}

impl Compiled {
    /// One argument from its JSON text (not `null`), as `decode_value` decodes it: plain
    /// strings, integers, decimals and booleans directly from the text, anything else through
    /// a parsed JSON value.
    fn decode_raw(&self, ty: &Type, raw: &str) -> Option<Value> {
        let inner = match ty {
            Type::Optional(inner) => inner,
            other => other,
        };
        let plain_string = raw.len() >= 2 && raw.starts_with('"') && !raw.contains('\\');
        match inner {
            Type::Int if !raw.contains(['.', 'e', 'E']) => raw.parse::<i64>().ok().map(Value::Int),
            Type::Decimal if raw.starts_with(|c: char| c == '-' || c.is_ascii_digit()) => parse_decimal(raw).ok().map(Value::Decimal),
            Type::Bool if raw == "true" || raw == "false" => Some(Value::Bool(raw == "true")),
            text_type if text_type.is_text() && plain_string => decode_text(&self.policy, inner, &raw[1..raw.len() - 1], "").ok(),
            _ => {
                let json: Json = crate::json_strict::parse(raw).ok()?;
                decode_value(&self.policy, ty, &json, "").ok()
            }
        }
    }

    /// The verdict on a request given as JSON text (see [`Compiled::verdict`]); a malformed
    /// request is an error, as from [`Request::from_json`].
    pub fn verdict_json(&self, text: &str) -> Result<Verdict, Malformed> {
        if text.len() <= crate::request::MAX_REQUEST_BYTES {
            if let Some(envelope) = scan(text) {
                let direct = if envelope.phase == "evaluate" { self.call_verdict(&envelope) } else { None };
                if let Some(verdict) = direct.or_else(|| self.fast_request(&envelope).and_then(|r| self.fast_verdict(&r))) {
                    return Ok(verdict);
                }
            }
        }
        let mut request = Request::from_json(text)?;
        self.prepare(&mut request);
        Ok(self.verdict(&request))
    }

    /// The decision on a request given as JSON text when a fast path takes it: an ordinary
    /// call straight from its envelope (`text_decision.rs`), else an ordinary call, input or
    /// item read into a prepared request (as `fast_request_text` does); `None` when the general path
    /// (`Request::from_json`) must read it. The decision is `decide`'s on that request.
    pub fn fast_decision_text(&self, text: &str) -> Option<crate::decision::Decision> {
        self.fast_decision_scanned(&super::Scanned::new(text))
    }

    /// [`Compiled::fast_decision_text`] on a request whose envelope may have been read
    /// already (see [`super::Scanned`]).
    pub fn fast_decision_scanned(&self, request: &super::Scanned<'_>) -> Option<crate::decision::Decision> {
        let text = request.text;
        if text.len() > crate::request::MAX_REQUEST_BYTES {
            return None;
        }
        let scanned;
        let envelope = match &request.envelope {
            Some(e) => e,
            None => {
                scanned = scan(text)?;
                &scanned
            }
        };
        #[cfg(feature = "jit")]
        if envelope.phase == "evaluate" {
            if let Some(decision) = self.text_decision(envelope) {
                return Some(decision);
            }
        }
        Some(self.decide(&self.fast_request(envelope)?))
    }

    /// The request of `text`, read with the envelope scanner and prepared, when it is an
    /// ordinary call, input or item; `None` when the general path (`Request::from_json`) must
    /// read it. Its calls carry no JSON arguments, only the decoded ones, so it is for this
    /// policy only (`decide` and `verdict` use the decoded ones).
    pub fn fast_request_text(&self, text: &str) -> Option<Request> {
        if text.len() > crate::request::MAX_REQUEST_BYTES {
            return None;
        }
        self.fast_request(&scan(text)?)
    }

    /// The request of an envelope, prepared for this policy, when it is an ordinary call,
    /// input or item (see [`Compiled::fast_request_text`]).
    fn fast_request(&self, e: &Envelope<'_>) -> Option<Request> {
        let phase = Phase::parse(e.phase)?;
        if !e.one_subject() {
            return None;
        }
        let tenant = e.tenant.map(Text::from);
        let time = match e.time {
            Some(t) => Some(parse_timestamp(t).ok()?),
            None => None,
        };
        let (agent_id, roles) = match &e.agent {
            Some(a) => (Arc::from(a.id.unwrap_or("")), strings(a.roles.as_ref())),
            None => (Arc::from(""), Value::empty_set()),
        };
        let (tainted, labels) = match &e.session {
            Some(s) => (s.tainted.unwrap_or(false), strings(s.labels.as_ref())),
            None => (false, Value::empty_set()),
        };
        let subject = match phase {
            Phase::Input => Subject::Input { text: Arc::from(e.input?) },
            Phase::Plan => return None,
            Phase::Context | Phase::MemoryWrite => {
                let item = e.item.as_ref()?;
                Subject::Item {
                    text: Arc::from(item.text),
                    source: Arc::from(item.source.unwrap_or("")),
                    provenance: provenance(item.provenance)?,
                    uri: item.uri.map(|u| Arc::from(u.to_lowercase().as_str())),
                }
            }
            Phase::Evaluate => {
                let call = e.call.as_ref()?;
                let scope = self.policy.scope(tenant.as_deref())?;
                let tool = *scope.tools.get(call.tool)?;
                let args = Value::Args(tool, self.decode_raw_args(tool, call.args.as_ref())?);
                let prov = provenance_map(call.provenance.as_ref())?;
                Subject::Call(Call {
                    tool: call.tool.to_owned(),
                    source: provenance(call.source)?,
                    args: Map::new(),
                    provenance: prov,
                    prepared: Some(Prepared { hash: self.names.hash.clone(), tool, args: Ok(args) }),
                })
            }
        };
        let mut request = Request {
            phase,
            tenant,
            correlation_id: e.correlation_id.map(Text::from),
            time,
            agent_id,
            roles,
            tainted,
            labels,
            subject,
            frame: None,
        };
        self.build_frame(&mut request);
        Some(request)
    }

    /// The JIT frame of an ordinary call straight from its envelope (no `Request`), with what
    /// the gates read; `None` when anything needs the general path (an argument the fast
    /// decoding does not take, an unknown tool or tenant, no JIT).
    #[cfg(feature = "jit")]
    pub(super) fn text_call(&self, e: &Envelope<'_>) -> Option<TextCall> {
        let code = self.jit.as_ref()?;
        let call = e.call.as_ref().filter(|_| e.one_subject())?;
        let index = self.policy.scope_index(e.tenant)?;
        let scope = self.policy.scope_at(index)?;
        let tool = *scope.tools.get(call.tool)?;
        let params = &self.policy.tools.get(tool as usize)?.params;
        let interner = &self.interner;
        let time = match e.time {
            Some(t) => Some(parse_timestamp(t).ok()?),
            None => None,
        };
        let facts = TextFacts::of(e, time);
        let envelope = HeaderFields {
            agent_id: facts.agent_id,
            tenant: facts.tenant.unwrap_or(""),
            tainted: facts.tainted,
            time,
            correlation_id: facts.correlation_id.unwrap_or(""),
        };
        // The call: tool, source, provenance of each name, then each argument. The frame is
        // filled in place (it is about a kilobyte; moving its parts in cost more than filling).
        let names = &self.policy.names;
        let args_at = call::PROVENANCE + names.len();
        let call_frame = CallFrame { tool: Some(tool), bad_provenance: false, slots: smallvec::SmallVec::new(), args_at, args_ok: true };
        let mut frame = Frame {
            hash: self.names.hash.clone(),
            scope: Some(index),
            header: smallvec::SmallVec::new(),
            calls: smallvec::smallvec![call_frame],
            strings: crate::intern::LocalStrings::default(),
            roles: smallvec::SmallVec::new(),
            labels: smallvec::SmallVec::new(),
        };
        let Frame { header, calls, strings, roles, labels, .. } = &mut frame;
        *header = envelope.slots(interner, strings, self.header_strings);
        *roles = string_ids(interner, strings, facts.roles.iter().copied());
        *labels = string_ids(interner, strings, facts.labels.iter().copied());
        let call_frame = calls.first_mut()?;
        let slots = &mut call_frame.slots;
        slots.resize(args_at, 0);
        slots[call::TOOL] = i64::from(tool);
        slots[call::SOURCE] = i64::from(provenance(call.source)?);
        let given_provenance = call.provenance.as_ref();
        for (i, name) in names.iter().enumerate() {
            let p = given_provenance.and_then(|m| lookup(m, name));
            slots[call::PROVENANCE + i] = i64::from(provenance(p)?);
        }
        let mut bad_provenance = false;
        for (k, v) in given_provenance.into_iter().flatten() {
            provenance(Some(v))?;
            bad_provenance |= params.iter().all(|p| p.name != *k);
        }
        call_frame.bad_provenance = bad_provenance;
        self.each_raw_arg(tool, call.args.as_ref(), |arg| {
            let (present, payload) = match arg {
                RawArg::Text(_, text) => (1, strings.intern(interner, text)),
                RawArg::Value(value) => crate::frame::value_slots(&value, &mut |s| strings.intern(interner, s)),
            };
            call_frame.slots.extend([present, payload]);
            Some(())
        })?;
        code.extend_frame(&mut frame, index, Phase::Evaluate, interner, &self.regexes);
        Some(TextCall { frame, tool, scope: index, bad_provenance, time })
    }

    /// The verdict on an ordinary call straight from its envelope: the frame is built from the
    /// text (`text_call`), then the gates and the compiled list run as in `fast_verdict`.
    /// `None` when anything needs the general path (see `text_call`; also a grant condition,
    /// a list with interpreted conditions).
    #[cfg_attr(not(feature = "jit"), allow(unused_variables))]
    fn call_verdict(&self, e: &Envelope<'_>) -> Option<Verdict> {
        #[cfg(feature = "jit")]
        {
            let code = self.jit.as_ref()?;
            let TextCall { frame, tool, scope: index, bad_provenance, .. } = self.text_call(e)?;
            let scope = self.policy.scope_at(index)?;
            let interner = &self.interner;
            // The gates, in the order of `decide`: capability, then arguments.
            let Some(capability) = self.holds_fast(scope, &frame, tool)? else {
                return Some(Verdict::gate("capability_missing", None));
            };
            let mut v = if bad_provenance {
                Verdict::gate("invalid_arguments", None)
            } else {
                match code.list(index, Phase::Evaluate, Some(tool)) {
                    None => Verdict::allow(),
                    Some(list) => {
                        let c = code.run(list, &frame, frame.calls.first(), interner, &self.regexes).1?;
                        Verdict::combined(c.outcome, c.effect, c.fault)
                    }
                }
            };
            v.capability = Some(capability);
            Some(v)
        }
        #[cfg(not(feature = "jit"))]
        None
    }

    /// The arguments of a call to `tool` in parameter order, each decoded from its slice of the
    /// text exactly as `decode_args` decodes it; `None` on anything `decode_args` would reject.
    pub(super) fn decode_raw_args(&self, tool: u32, args: Option<&Pairs<'_>>) -> Option<Arc<[Value]>> {
        self.decode_raw_args_needed(tool, args, u64::MAX)
    }

    /// [`Compiled::decode_raw_args`], with the parameters whose bit is clear in `needed` (bit
    /// `i` for parameter `i`, past the 64th always decoded) left absent instead of decoded
    /// from text, for a caller that reads none of them. Every argument is still checked.
    pub(super) fn decode_raw_args_needed(&self, tool: u32, args: Option<&Pairs<'_>>, needed: u64) -> Option<Arc<[Value]>> {
        let mut values: SmallVec<[Value; 8]> = SmallVec::new();
        self.each_raw_arg(tool, args, |arg| {
            let i = values.len();
            values.push(match arg {
                RawArg::Text(..) if i < 64 && needed & (1 << i) == 0 => Value::Absent,
                RawArg::Text(ty, text) => decode_text(&self.policy, ty, text, "").ok()?,
                RawArg::Value(value) => value,
            });
            Some(())
        })?;
        // One allocation (a `Vec` would be a second); the clones share the decoded texts.
        Some(Arc::from(values.as_slice()))
    }

    /// Hands each argument of a call to `tool` to `each`, in parameter order, as
    /// [`Compiled::decode_raw_args`] decodes it; `None` on anything `decode_args` would reject.
    fn each_raw_arg<'t, 's>(
        &'s self,
        tool: u32,
        args: Option<&Pairs<'t>>,
        mut each: impl FnMut(RawArg<'s, 't>) -> Option<()>,
    ) -> Option<()> {
        let params = &self.policy.tools.get(tool as usize)?.params;
        let given = args.map_or(0, |a| a.len());
        let mut seen = 0;
        for field in params {
            let entry = args.and_then(|a| lookup(a, &field.name));
            seen += usize::from(entry.is_some());
            each(match entry.filter(|r| *r != "null") {
                Some(raw) => {
                    let inner = match &field.ty {
                        Type::Optional(inner) => inner,
                        other => other,
                    };
                    // The scan took only strings without escapes.
                    match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
                        Some(text) if text_as_is(inner, text) => RawArg::Text(inner, text),
                        _ => RawArg::Value(self.decode_raw(&field.ty, raw)?),
                    }
                }
                None => match (&field.default, &field.ty) {
                    (Some(d), _) => RawArg::Value(d.clone()),
                    (None, Type::Optional(_)) => RawArg::Value(Value::Absent),
                    _ => return None,
                },
            })?;
        }
        (seen == given).then_some(())
    }
}

/// An ordinary call's frame built from its envelope, with what the gates read.
#[cfg(feature = "jit")]
pub(super) struct TextCall {
    pub frame: Frame,
    pub tool: u32,
    /// The scope's index.
    pub scope: usize,
    /// A provenance entry names no argument of the tool (the argument gate blocks).
    pub bad_provenance: bool,
    /// `request.time`, parsed.
    pub time: Option<i64>,
}

/// An argument decoded from its JSON text: a value, or a text of a type it decodes to
/// unchanged (a string, a lower-case email address), borrowed.
enum RawArg<'s, 't> {
    Text(&'s Type, &'t str),
    Value(Value),
}
