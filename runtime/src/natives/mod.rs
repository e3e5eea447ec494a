//! Native functions of the standard library (`std.injection`, `std.pii`, `std.secrets`,
//! `std.net`, `std.path`), called by evaluation with already-evaluated arguments.

pub mod injection;
pub mod net;
pub mod path;
pub mod pii;
pub mod secrets;

use std::sync::Arc;

use crate::ir::Native;
use crate::value::Value;

/// Calls a native function. `Err` is a fault with its message.
pub fn call(native: Native, args: &[Value]) -> Result<Value, String> {
    let text = |i: usize| args.get(i).and_then(Value::as_text).ok_or_else(|| format!("argument {} of {native:?} is not text", i + 1));
    Ok(match native {
        Native::InjectionDetect => Value::Bool(injection::score(text(0)?) >= injection::DETECT_THRESHOLD),
        Native::InjectionScore => Value::Int(i64::from(injection::score(text(0)?))),
        Native::PiiContains => Value::Bool(pii::contains_any(text(0)?)),
        Native::PiiEmail => Value::Bool(pii::contains_email(text(0)?)),
        Native::PiiPhone => Value::Bool(pii::contains_phone(text(0)?)),
        Native::PiiCard => Value::Bool(pii::contains_card(text(0)?)),
        Native::PiiIban => Value::Bool(pii::contains_iban(text(0)?)),
        Native::PiiSsn => Value::Bool(pii::contains_ssn(text(0)?)),
        Native::SecretContains => Value::Bool(secrets::contains_any(text(0)?)),
        Native::SecretPrivateKey => Value::Bool(secrets::contains_private_key(text(0)?)),
        Native::SecretJwt => Value::Bool(secrets::contains_jwt(text(0)?)),
        Native::NetDomain => Value::Str(Arc::from(net::domain(text(0)?).as_str())),
        Native::NetSuffixMatch => Value::Bool(net::suffix_match(text(0)?, text(1)?)),
        Native::NetInCidr => Value::Bool(net::in_cidr(text(0)?, text(1)?)?),
        Native::NetIsPrivate => Value::Bool(net::is_private(text(0)?)?),
        Native::PathNormalize => Value::Path(Arc::from(path::normalize(text(0)?).as_str())),
        Native::PathWithin => Value::Bool(path::within(text(0)?, text(1)?)),
        Native::PathHasTraversal => Value::Bool(path::has_traversal(text(0)?)),
    })
}
