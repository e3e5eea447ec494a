//! Fixed-point decimals with four places, the `Decimal` type of the language.

use std::fmt;

/// A decimal number stored as an integer count of ten-thousandths.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Decimal(pub i64);

/// Ten-thousandths in one unit.
pub const SCALE: i64 = 10_000;

impl Decimal {
    pub const ZERO: Decimal = Decimal(0);

    /// Parses `123.45` (underscores allowed, at most four places).
    pub fn parse(text: &str) -> Result<Decimal, &'static str> {
        let text: String = text.chars().filter(|c| *c != '_').collect();
        let (neg, body) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.as_str()),
        };
        let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err("expected digits");
        }
        if frac.len() > 4 {
            return Err("decimals have at most four places");
        }
        let whole: i64 = whole.parse().map_err(|_| "too large")?;
        let mut frac_value: i64 = if frac.is_empty() { 0 } else { frac.parse().map_err(|_| "too large")? };
        for _ in frac.len()..4 {
            frac_value *= 10;
        }
        let value = whole.checked_mul(SCALE).and_then(|w| w.checked_add(frac_value)).ok_or("too large")?;
        Ok(Decimal(if neg { -value } else { value }))
    }

    /// The decimal equal to an integer, if it fits.
    pub fn from_int(v: i64) -> Option<Decimal> {
        v.checked_mul(SCALE).map(Decimal)
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = abs / SCALE as u64;
        let frac = abs % SCALE as u64;
        let mut frac_text = format!("{frac:04}");
        while frac_text.len() > 2 && frac_text.ends_with('0') {
            frac_text.pop();
        }
        write!(f, "{sign}{whole}.{frac_text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        assert_eq!(Decimal::parse("1000.00"), Ok(Decimal(10_000_000)));
        assert_eq!(Decimal::parse("0.5"), Ok(Decimal(5_000)));
        assert_eq!(Decimal::parse("1.23456"), Err("decimals have at most four places"));
        assert_eq!(Decimal(10_000_000).to_string(), "1000.00");
        assert_eq!(Decimal(12_345).to_string(), "1.2345");
        assert_eq!(Decimal(-5_000).to_string(), "-0.50");
    }
}
