//! Preparing a frame for the compiled lists: text operations on request values and literals
//! (`args.to.domain`, `args.command.matches(r"…")`) are computed once here, when the request
//! is prepared, and stored after the list's slots, so deciding only loads them.

use regex::Regex;
use smallvec::SmallVec;

use super::helpers::{text_op, HelperCtx};
use super::shape::{Operand, Pre, Slot};
use super::Code;
use crate::frame::Frame;
use crate::intern::Interner;
use crate::policy::Phase;

impl Code {
    /// Appends the precomputed operations of the lists `frame`'s request will run (in scope
    /// number `scope`, for `phase`) to its header or call slots.
    pub fn extend_frame(&self, frame: &mut Frame, scope: usize, phase: Phase, interner: &Interner, regexes: &[Regex]) {
        if frame.calls.is_empty() {
            if let Some(list) = self.list(scope, phase, None).filter(|l| !l.pres.is_empty()) {
                let (values, strings) = compute(&list.pres, frame, None, interner, regexes);
                frame.header.extend(values);
                strings.iter().for_each(|s| frame.strings.push(s));
            }
        }
        for i in 0..frame.calls.len() {
            let (Some(tool), true) = (frame.calls[i].tool, frame.calls[i].args_ok) else { continue };
            let Some(list) = self.list(scope, phase, Some(tool)).filter(|l| !l.pres.is_empty()) else { continue };
            let (values, strings) = compute(&list.pres, frame, Some(i), interner, regexes);
            frame.calls[i].slots.extend(values);
            strings.iter().for_each(|s| frame.strings.push(s));
        }
    }
}

/// The (ok, payload) pairs of `pres` and the strings they made beyond the frame's.
fn compute(pres: &[Pre], frame: &Frame, call: Option<usize>, interner: &Interner, regexes: &[Regex]) -> (SmallVec<[i64; 16]>, Vec<String>) {
    let call_slots: &[i64] = call.and_then(|i| frame.calls.get(i)).map_or(&[], |c| &c.slots);
    let mut ctx = HelperCtx::new(interner, &frame.strings, &frame.roles[..], &frame.labels[..], regexes);
    let mut values: SmallVec<[i64; 16]> = SmallVec::with_capacity(2 * pres.len());
    for pre in pres {
        let operand = |o: Operand, values: &[i64]| -> Option<i64> {
            let read = |slots: &[i64], i: usize, opt: bool| -> Option<i64> {
                if opt && slots.get(i.wrapping_sub(1)).copied() != Some(1) {
                    return None;
                }
                slots.get(i).copied()
            };
            match o {
                Operand::Const(c) => Some(c),
                Operand::Slot(Slot::Header(i), opt) => read(&frame.header, i, opt),
                Operand::Slot(Slot::Call(i), opt) => read(call_slots, i, opt),
                Operand::Pre(j) => (values.get(2 * j).copied() == Some(1)).then(|| values.get(2 * j + 1).copied()).flatten(),
            }
        };
        match (operand(pre.a, &values), operand(pre.b, &values)) {
            (Some(a), Some(b)) => {
                ctx.fault = false;
                let result = text_op(&mut ctx, pre.op, a, b);
                // A native that faulted: reading the result faults.
                values.extend(if ctx.fault { [0, 0] } else { [1, result] });
            }
            // An absent operand: reading the result faults, as evaluating it would.
            _ => values.extend([0, 0]),
        }
    }
    let strings = ctx.derived.iter().map(|s| s.to_string()).collect();
    (values, strings)
}
