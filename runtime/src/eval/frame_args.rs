//! A call's arguments read back from its JIT frame, for the interpreter that explains what
//! fired (`text_decision.rs`): each argument's slots hold its value (a number, a flag, or an
//! interned text), so the decoded arguments are rebuilt from them instead of decoding the
//! JSON text a second time. Texts the policy knows share its copy; others are copied from the
//! frame's strings. Collections and records have no slots that hold them: a call that needs
//! one is decoded from its text instead. A slot holds its value in the parameter's declared
//! type, defaults included (`defaults.rs` makes an `Int` default of a `Decimal` a decimal).

use std::sync::Arc;

use smallvec::SmallVec;

use super::Compiled;
use crate::frame::Frame;
use crate::intern::{text_of, Interned};
use crate::schema::Type;
use crate::value::Value;

impl Compiled {
    /// The arguments of the frame's call to `tool` in parameter order, as `decode_raw_args`
    /// decodes them, with the parameters whose bit is clear in `needed` (bit `i` for
    /// parameter `i`; past the 64th always built) left absent; `None` when a needed one is a
    /// list, set or record, or the frame does not hold the call's arguments.
    pub(super) fn args_from_frame(&self, tool: u32, frame: &Frame, needed: u64) -> Option<Arc<[Value]>> {
        let params = &self.policy.tools.get(tool as usize)?.params;
        let call = frame.calls.first().filter(|c| c.tool == Some(tool) && c.args_ok)?;
        let slots = call.slots.get(call.args_at..call.args_at + 2 * params.len())?;
        let text = |id: i64| -> Option<Arc<str>> {
            Some(match text_of(&self.interner, &frame.strings, id)? {
                Interned::Policy(t) => t.clone(),
                Interned::Local(s) => Arc::from(s),
            })
        };
        let mut values: SmallVec<[Value; 8]> = SmallVec::with_capacity(params.len());
        for (i, (param, pair)) in params.iter().zip(slots.chunks_exact(2)).enumerate() {
            let (present, payload) = (pair[0], pair[1]);
            if (i < 64 && needed & (1 << i) == 0) || present == 0 {
                values.push(Value::Absent);
                continue;
            }
            let ty = match &param.ty {
                Type::Optional(inner) => inner,
                other => other,
            };
            values.push(match ty {
                Type::Bool => Value::Bool(payload != 0),
                Type::Int => Value::Int(payload),
                Type::Decimal => Value::Decimal(payload),
                Type::Timestamp => Value::Timestamp(payload),
                Type::Duration => Value::Duration(payload),
                Type::String => Value::Str(text(payload)?),
                Type::Email => Value::Email(text(payload)?),
                Type::Url => Value::Url(text(payload)?),
                Type::Path => Value::Path(text(payload)?),
                Type::Ip => Value::Ip(text(payload)?),
                Type::Regex => Value::Regex(u32::try_from(payload).ok()?),
                Type::Provenance => Value::Provenance(u8::try_from(payload).ok()?),
                Type::Severity => Value::Severity(u8::try_from(payload).ok()?),
                Type::Tool => Value::Tool(u32::try_from(payload).ok()?),
                Type::Enum(e) => Value::Enum(*e, u32::try_from(payload).ok()?),
                Type::List(_) | Type::Set(_) | Type::Record(_) | Type::Optional(_) => return None,
            });
        }
        Some(Arc::from(values.as_slice()))
    }
}
