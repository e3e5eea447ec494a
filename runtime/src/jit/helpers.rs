//! The run-time built-ins compiled code calls: text operations, regexes, set look-ups and
//! arithmetic. Each is an `extern "C"` function of 64-bit integers that reuses the
//! interpreter's own implementation, so the two cannot drift apart.
#![allow(unsafe_code)]

use std::borrow::Cow;
use std::sync::Arc;

use regex::Regex;

use smallvec::SmallVec;

use crate::eval::{arithmetic, derive_text, hour_and_weekday, test_text};
use crate::intern::{Interned, Interner, LocalStrings};
use crate::ir::{BinOp, Builtin, Native};
use crate::value::Value;

/// What helpers can see during one run of a rule list.
pub struct HelperCtx<'a> {
    pub interner: &'a Interner,
    pub local: &'a LocalStrings,
    /// Strings made during this run (`lower()`, `domain`, concatenation), after the local ones;
    /// slices of the policy's or the request's strings are borrowed, not copied.
    pub derived: SmallVec<[Cow<'a, str>; 4]>,
    pub roles: &'a [i64],
    pub labels: &'a [i64],
    pub regexes: &'a [Regex],
    /// Set when a native function faulted (its result is then meaningless).
    pub fault: bool,
    /// Text operations already done in this run: `(op, a, b) → result` (conditions of one
    /// list often share them, e.g. `args.to.domain`).
    pub memo: SmallVec<[(i64, i64, i64, i64); 8]>,
}

impl<'a> HelperCtx<'a> {
    pub fn new(interner: &'a Interner, local: &'a LocalStrings, roles: &'a [i64], labels: &'a [i64], regexes: &'a [Regex]) -> Self {
        HelperCtx { interner, local, derived: SmallVec::new(), roles, labels, regexes, fault: false, memo: SmallVec::new() }
    }

    /// The text with `id`: borrowed for as long as the run when it is the policy's or the
    /// request's (or a slice of one), copied otherwise.
    fn text(&self, id: i64) -> Cow<'a, str> {
        match crate::intern::text_of(self.interner, self.local, id) {
            Some(Interned::Policy(t)) => Cow::Borrowed(&**t),
            Some(Interned::Local(s)) => Cow::Borrowed(s),
            // Past the policy's and the request's strings: one made during this run.
            None => {
                let past = id - self.interner.len() as i64 - self.local.len() as i64;
                usize::try_from(past).ok().and_then(|i| self.derived.get(i)).cloned().unwrap_or(Cow::Borrowed(""))
            }
        }
    }

    fn intern(&mut self, text: Cow<'a, str>) -> i64 {
        if let Some(id) = self.interner.get(&text) {
            return id;
        }
        let p = self.interner.len() as i64;
        if let Some(i) = self.local.position(&text) {
            return p + i as i64;
        }
        let l = self.local.len() as i64;
        if let Some(i) = self.derived.iter().position(|t| *t == text) {
            return p + l + i as i64;
        }
        self.derived.push(text);
        p + l + self.derived.len() as i64 - 1
    }
}

/// The text operations `h_text` performs, by code.
pub const TEXT_OPS: [Builtin; 15] = [
    Builtin::Lower,
    Builtin::Upper,
    Builtin::Trim,
    Builtin::EmailLocal,
    Builtin::EmailDomain,
    Builtin::UrlScheme,
    Builtin::UrlHost,
    Builtin::UrlPath,
    Builtin::PathName,
    Builtin::PathExt,
    Builtin::PathParent,
    Builtin::StartsWith,
    Builtin::EndsWith,
    Builtin::StrContains,
    Builtin::PathStartsWith,
];
pub const TEXT_LEN: i64 = 100;
/// `a in b` for texts: is `a` a substring of `b`?
pub const TEXT_SUBSTR: i64 = 101;
/// Ordering of two texts: -1, 0 or 1.
pub const TEXT_CMP: i64 = 102;
/// Does text `a` match regex number `b`?
pub const TEXT_MATCHES: i64 = 103;
/// `a + b` for strings.
pub const TEXT_CONCAT: i64 = 104;
/// Native function number `i` of [`NATIVES`] on texts `a` (and `b`): code `NATIVE + i`.
pub const NATIVE: i64 = 200;

/// The natives compiled code can call, by code.
pub const NATIVES: [Native; 19] = [
    Native::InjectionDetect,
    Native::InjectionScore,
    Native::PiiContains,
    Native::PiiEmail,
    Native::PiiPhone,
    Native::PiiCard,
    Native::PiiIban,
    Native::PiiSsn,
    Native::SecretContains,
    Native::SecretPrivateKey,
    Native::SecretJwt,
    Native::NetDomain,
    Native::NetSuffixMatch,
    Native::NetInCidr,
    Native::NetIsPrivate,
    Native::NetIsPrivateHost,
    Native::PathNormalize,
    Native::PathWithin,
    Native::PathHasTraversal,
];

/// The operation code of a native.
pub fn native_code(n: Native) -> Option<i64> {
    NATIVES.iter().position(|x| *x == n).map(|i| NATIVE + i as i64)
}

/// A native function: `*out` gets its result (a boolean, an integer or an interned text);
/// returns 0 when it faults.
///
/// # Safety
/// As for [`h_text`]; `out` points to a writable `i64`.
pub unsafe extern "C" fn h_native(ctx: *mut HelperCtx<'_>, op: i64, a: i64, b: i64, out: *mut i64) -> i64 {
    // SAFETY: see `h_text`.
    let ctx = unsafe { &mut *ctx };
    ctx.fault = false;
    let result = text_op(ctx, op, a, b);
    // SAFETY: compiled code passes the address of a stack slot of 8 bytes.
    unsafe { *out = result };
    i64::from(!ctx.fault)
}

/// A text operation on interned strings; string results are interned.
///
/// # Safety
/// `ctx` points to a live `HelperCtx` that nothing else uses during the call.
pub unsafe extern "C" fn h_text(ctx: *mut HelperCtx<'_>, op: i64, a: i64, b: i64) -> i64 {
    // SAFETY: compiled code passes the context it was given by `Code::run`, which owns it
    // exclusively for the duration of the call.
    let ctx = unsafe { &mut *ctx };
    if let Some(&(.., result)) = ctx.memo.iter().find(|m| m.0 == op && m.1 == a && m.2 == b) {
        return result;
    }
    let result = text_op(ctx, op, a, b);
    ctx.memo.push((op, a, b, result));
    result
}

/// One text operation (see the `TEXT_*` codes and [`TEXT_OPS`]).
pub(crate) fn text_op<'a>(ctx: &mut HelperCtx<'a>, op: i64, a: i64, b: i64) -> i64 {
    let s = ctx.text(a);
    match op {
        TEXT_LEN => s.chars().count() as i64,
        TEXT_SUBSTR => i64::from(crate::value::contains_text(&ctx.text(b), &s)),
        TEXT_CMP => (*s).cmp(&*ctx.text(b)) as i64,
        TEXT_MATCHES => i64::from(usize::try_from(b).ok().and_then(|r| ctx.regexes.get(r)).is_some_and(|re| re.is_match(&s))),
        TEXT_CONCAT => {
            let joined = format!("{}{}", &*s, &*ctx.text(b));
            ctx.intern(Cow::Owned(joined))
        }
        _ if op >= NATIVE => {
            let Some(&native) = usize::try_from(op - NATIVE).ok().and_then(|i| NATIVES.get(i)) else { return 0 };
            // Natives read their arguments as text, whatever the string kind.
            let args = [Value::Str(Arc::from(&*s)), Value::Str(Arc::from(&*ctx.text(b)))];
            match crate::natives::call(native, &args) {
                Ok(Value::Bool(x)) => i64::from(x),
                Ok(Value::Int(x)) => x,
                Ok(v) => match v.as_text() {
                    Some(t) => ctx.intern(Cow::Owned(t.to_owned())),
                    None => 0,
                },
                Err(_) => {
                    ctx.fault = true;
                    0
                }
            }
        }
        _ => {
            let Some(&builtin) = usize::try_from(op).ok().and_then(|i| TEXT_OPS.get(i)) else { return 0 };
            let derived = match &s {
                Cow::Borrowed(s) => derive_text(builtin, s),
                Cow::Owned(s) => derive_text(builtin, s).map(|d| Cow::Owned(d.into_owned())),
            };
            if let Some(derived) = derived {
                return ctx.intern(derived);
            }
            i64::from(test_text(builtin, &s, &ctx.text(b)).unwrap_or(false))
        }
    }
}

/// Is interned string `id` in `agent.roles` (`which` 0) or `session.labels` (1)? With `id`
/// -1: the size of the set.
///
/// # Safety
/// As for [`h_text`].
pub unsafe extern "C" fn h_set(ctx: *mut HelperCtx<'_>, which: i64, id: i64) -> i64 {
    // SAFETY: see `h_text`.
    let ctx = unsafe { &*ctx };
    let set = if which == 0 { ctx.roles } else { ctx.labels };
    if id == -1 {
        return set.len() as i64;
    }
    i64::from(set.binary_search(&id).is_ok())
}

/// Is `x` in the sorted table at `ptr` of `len` entries?
///
/// # Safety
/// `ptr` and `len` describe a table owned by the `Code` running the call.
pub unsafe extern "C" fn h_table(ptr: *const i64, len: i64, x: i64) -> i64 {
    // SAFETY: the table is a boxed slice the `Code` keeps alive as long as its functions.
    let table = unsafe { std::slice::from_raw_parts(ptr, len as usize) };
    i64::from(table.binary_search(&x).is_ok())
}

fn numeric(kind: i64, x: i64) -> Value {
    match kind {
        1 => Value::Int(x),
        3 => Value::Timestamp(x),
        4 => Value::Duration(x),
        _ => Value::Decimal(x),
    }
}

/// Arithmetic (`op` 0 add, 1 sub, 2 mul) or comparison (`op` 3: -1, 0 or 1 in `*out`) of two
/// numbers of kinds `ka` and `kb` (see `Kind::code`); returns 0 on a fault (overflow).
///
/// # Safety
/// `out` points to a writable `i64`.
pub unsafe extern "C" fn h_numeric(op: i64, ka: i64, a: i64, kb: i64, b: i64, out: *mut i64) -> i64 {
    let (x, y) = (numeric(ka, a), numeric(kb, b));
    let result = match op {
        3 => match (x.as_decimal(), y.as_decimal()) {
            (Some(p), Some(q)) => p.cmp(&q) as i64,
            _ => x.cmp(&y) as i64,
        },
        _ => {
            let op = [BinOp::Add, BinOp::Sub, BinOp::Mul][op.clamp(0, 2) as usize];
            match arithmetic(op, x, y) {
                Ok(Value::Int(v) | Value::Decimal(v) | Value::Timestamp(v) | Value::Duration(v)) => v,
                _ => return 0,
            }
        }
    };
    // SAFETY: compiled code passes the address of a stack slot of 8 bytes.
    unsafe { *out = result };
    1
}

/// The hour (`which` 0) or ISO weekday (1) of a timestamp.
pub extern "C" fn h_time(which: i64, ms: i64) -> i64 {
    let (hour, weekday) = hour_and_weekday(ms);
    if which == 0 {
        hour
    } else {
        weekday
    }
}
