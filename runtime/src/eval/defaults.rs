//! Argument defaults in their declared type. The checker lets an `Int` stand where a `Decimal`
//! is wanted and folds a default such as `= 2 * 50` or `= hundred` (an `Int` constant) to an
//! `Int`; decoded arguments of a `Decimal` parameter are always decimals. The interpreter
//! compares the two alike, but the JIT keeps a decimal's ten-thousandths in its slot, so an
//! `Int` default there read as 100 ten-thousandths (0.01) instead of 100: the two engines
//! decided differently. Defaults are made decimals when the policy is loaded, for bundles of
//! any compiler version.

use crate::policy::Policy;
use crate::schema::{Field, Type};
use crate::value::Value;

/// Makes every `Int` default of a `Decimal` (or `Decimal?`) field or parameter a decimal;
/// fails, naming it, when one is too large for a decimal.
pub(super) fn decimal_defaults(policy: &mut Policy) -> Result<(), String> {
    let Policy { tools, records, .. } = policy;
    let tool_fields = tools.iter_mut().flat_map(|t| t.params.iter_mut().map(|f| (t.name.as_str(), f)));
    let record_fields = records.iter_mut().flat_map(|r| r.fields.iter_mut().map(|f| (r.name.as_str(), f)));
    for (owner, field) in tool_fields.chain(record_fields) {
        decimal_default(field).map_err(|()| format!("`{owner}.{}`: the default is too large for a Decimal", field.name))?;
    }
    Ok(())
}

fn decimal_default(field: &mut Field) -> Result<(), ()> {
    let decimal = match &field.ty {
        Type::Optional(inner) => **inner == Type::Decimal,
        ty => *ty == Type::Decimal,
    };
    if let (true, Some(Value::Int(i))) = (decimal, &field.default) {
        field.default = Some(Value::Decimal(i.checked_mul(10_000).ok_or(())?));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;
    use crate::schema::Tool;

    fn field(ty: Type, default: Option<Value>) -> Field {
        Field { name: "x".to_owned(), ty, default, sensitive: false }
    }

    #[test]
    fn integer_defaults_of_decimals_become_decimals_and_nothing_else_changes() {
        let optional = Type::Optional(Box::new(Type::Decimal));
        let cases = [
            (field(Type::Decimal, Some(Value::Int(100))), Some(Value::Decimal(1_000_000))),
            (field(optional.clone(), Some(Value::Int(-3))), Some(Value::Decimal(-30_000))),
            (field(Type::Decimal, Some(Value::Decimal(5))), Some(Value::Decimal(5))),
            (field(Type::Int, Some(Value::Int(7))), Some(Value::Int(7))),
            (field(optional, None), None),
        ];
        for (f, want) in cases {
            let mut policy = Policy { tools: vec![Tool { name: "t".to_owned(), tenant: None, params: vec![f] }], ..Policy::default() };
            decimal_defaults(&mut policy).unwrap();
            assert_eq!(policy.tools[0].params[0].default, want);
        }
        let mut policy = Policy::default();
        policy.records.push(crate::schema::Record { name: "r".to_owned(), fields: vec![field(Type::Decimal, Some(Value::Int(i64::MAX)))] });
        assert_eq!(decimal_defaults(&mut policy), Err("`r.x`: the default is too large for a Decimal".to_owned()));
    }
}
