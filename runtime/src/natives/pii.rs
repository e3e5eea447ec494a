//! Personal data: email addresses, phone numbers, card numbers (Luhn), IBANs (mod 97), US SSNs.

use std::sync::LazyLock;

use regex::Regex;

static EMAIL: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}").ok());
static PHONE: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(^|[^\d])(\+\d{1,3}[ .-]?)?(\(\d{2,4}\)|\d{2,4})([ .-]?\d{3,4}){2}($|[^\d])").ok());
static CARD: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\b\d(?:[ -]?\d){12,18}\b").ok());
static IBAN: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b").ok());
static SSN: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\b(\d{3})-(\d{2})-(\d{4})\b").ok());

fn found(re: &LazyLock<Option<Regex>>, text: &str) -> bool {
    re.as_ref().is_some_and(|r| r.is_match(text))
}

pub fn contains_email(text: &str) -> bool {
    found(&EMAIL, text)
}

pub fn contains_phone(text: &str) -> bool {
    found(&PHONE, text)
}

fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                *d
            }
        })
        .sum();
    sum % 10 == 0
}

pub fn contains_card(text: &str) -> bool {
    let Some(re) = CARD.as_ref() else {
        return false;
    };
    re.find_iter(text).any(|m| {
        let digits: Vec<u32> = m.as_str().chars().filter_map(|c| c.to_digit(10)).collect();
        (13..=19).contains(&digits.len()) && luhn(&digits)
    })
}

fn iban_valid(candidate: &str) -> bool {
    let compact: String = candidate.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() < 15 || compact.len() > 34 {
        return false;
    }
    let (head, tail) = compact.split_at(4);
    let mut remainder: u64 = 0;
    for c in tail.chars().chain(head.chars()) {
        let v = match c.to_digit(36) {
            Some(v) => v as u64,
            None => return false,
        };
        remainder = if v < 10 { (remainder * 10 + v) % 97 } else { (remainder * 100 + v) % 97 };
    }
    remainder == 1
}

pub fn contains_iban(text: &str) -> bool {
    IBAN.as_ref().is_some_and(|re| re.find_iter(text).any(|m| iban_valid(m.as_str())))
}

pub fn contains_ssn(text: &str) -> bool {
    let Some(re) = SSN.as_ref() else { return false };
    re.captures_iter(text).any(|c| {
        let (area, group, serial) = (&c[1], &c[2], &c[3]);
        area != "000" && area != "666" && !area.starts_with('9') && group != "00" && serial != "0000"
    })
}

pub fn contains_any(text: &str) -> bool {
    contains_email(text) || contains_card(text) || contains_iban(text) || contains_ssn(text) || contains_phone(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detectors() {
        assert!(contains_card("card 4111 1111 1111 1111 ok"));
        assert!(!contains_card("order 4111 1111 1111 1112"));
        assert!(contains_iban("pay DE89370400440532013000 now"));
        assert!(!contains_iban("pay DE89370400440532013001 now"));
        assert!(contains_ssn("ssn 123-45-6789"));
        assert!(!contains_ssn("ssn 000-45-6789"));
        assert!(contains_email("write to bob@acme.com"));
    }
}
