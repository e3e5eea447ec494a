//! Personal data (`std.pii`): email addresses, phone numbers, card numbers (checked with Luhn),
//! IBANs (checked with ISO 7064 mod 97 and the country's length), US social security numbers
//! (the SSA's area, group and serial rules). Each detector finds spans; `contains_*` asks for
//! the first. Candidates come from linear-time regular expressions; checksums weed out the
//! numbers that only look right.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// Which kind of personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Email,
    Phone,
    Card,
    Iban,
    Ssn,
}

pub const KINDS: [Kind; 5] = [Kind::Email, Kind::Phone, Kind::Card, Kind::Iban, Kind::Ssn];

/// An address with a dotted domain, over bytes: letters of any script are the bytes of
/// non-ASCII characters (`josé@acme.com`, `bob@bücher.de`), which keeps the automaton small.
/// No boundary is asked for before it (the match starts as far left as the local part goes)
/// or after it (checked in [`email_ends`], so `_bob@acme.com_` in Markdown is found).
static EMAIL: LazyLock<Option<regex::bytes::Regex>> = LazyLock::new(|| {
    regex::bytes::Regex::new(
        r"(?-u)[A-Za-z0-9._%+\x80-\xFF-]{1,64}@[A-Za-z0-9\x80-\xFF-]{1,63}(?:\.[A-Za-z0-9\x80-\xFF-]{1,63})*\.[A-Za-z\x80-\xFF]{2,24}",
    )
    .ok()
});
/// International (`+44 20 7946 0958`, `+33 1 14 38 67 65`), North American (`(415) 555-0132`,
/// `415-555-0132`) and grouped national numbers (groups of two to four digits, or a trunk
/// prefix and six, `07700 900123`); the digit count is checked after.
static PHONE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    super::regex(
        r"\+[0-9]{1,3}[ .-]?(?:\([0-9]{1,4}\)[ .-]?)?[0-9]{1,5}(?:[ .-][0-9]{1,8}){0,5}\b|(?:\([0-9]{1,4}\)[ .-]?)?[0-9]{2,4}(?:[ .-][0-9]{2,4}){1,4}\b|\b0[0-9]{3,4} [0-9]{6}\b|\([0-9]{3}\) ?[0-9]{3}[ .-]?[0-9]{4}\b",
    )
});
/// Ten or eleven digits in a row after words that say a phone number follows (`phone
/// 4155550132`, `call me at 4155550132`); without them such a run is as likely an order
/// number, a timestamp or a count.
static CUED_PHONE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    super::regex(
        r"(?i)(?:\b(?:phone|telephone|tel|mobile|cell|fax|whatsapp|sms|rufnummer|handy|telefon|telefono|teléfono|téléphone|cellulare)\b|\b(?:call|text|ring) me\b)[^0-9\n]{0,16}([0-9]{10,11})\b",
    )
});
static CARD: LazyLock<Option<Regex>> = LazyLock::new(|| super::regex(r"\b[0-9](?:[ -]?[0-9]){12,}\b"));
static IBAN: LazyLock<Option<Regex>> = LazyLock::new(|| super::regex(r"\b[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}\b"));
/// `123-45-6789`. Digits are ASCII digits in every pattern here (`\d` would take other
/// scripts' digits, which no check reads).
static SSN: LazyLock<Option<Regex>> = LazyLock::new(|| super::regex(r"\b[0-9]{3}-[0-9]{2}-[0-9]{4}\b"));
/// `123 45 6789` after words that name one (with spaces, three numbers are as likely a log
/// line's status, size and count).
static CUED_SSN: LazyLock<Option<Regex>> = LazyLock::new(|| {
    super::regex(r"(?i)\b(?:ssn|ss#|social security(?: number| no\.?| #)?)[^0-9\n]{0,16}\b([0-9]{3} [0-9]{2} [0-9]{4})\b")
});

fn matches<'t>(re: &'static LazyLock<Option<Regex>>, text: &'t str) -> impl Iterator<Item = regex::Match<'t>> + 't {
    re.as_ref().into_iter().flat_map(move |r| r.find_iter(text))
}

/// The spans of `kind` in `text`, in order.
pub fn find(kind: Kind, text: &str) -> Vec<Range<usize>> {
    match kind {
        Kind::Email => {
            let Some(re) = EMAIL.as_ref().filter(|_| text.contains('@')) else { return Vec::new() };
            re.find_iter(text.as_bytes())
                .filter_map(|m| {
                    // A match may start inside a character (the local part's bytes are counted):
                    // from the next whole one.
                    let start = (m.start()..m.end()).find(|&i| text.is_char_boundary(i)).filter(|&i| text.as_bytes()[i] != b'@')?;
                    (text.is_char_boundary(m.end()) && email_ends(text, m.end())).then_some(start..m.end())
                })
                .collect()
        }
        Kind::Phone => {
            let mut out: Vec<Range<usize>> = matches(&PHONE, text).filter(|m| phone_like(text, m)).map(|m| m.range()).collect();
            if let Some(re) = CUED_PHONE.as_ref() {
                out.extend(re.captures_iter(text).filter_map(|c| c.get(1)).filter(|m| phone_like(text, m)).map(|m| m.range()));
                out.sort_by_key(|r| (r.start, r.end));
                out.dedup();
            }
            out
        }
        Kind::Card => matches(&CARD, text).filter_map(|m| card_in(m.as_str()).map(|r| m.start() + r.start..m.start() + r.end)).collect(),
        Kind::Iban => matches(&IBAN, text).filter_map(|m| iban_in(m.as_str()).map(|len| m.start()..m.start() + len)).collect(),
        Kind::Ssn => {
            let mut out: Vec<Range<usize>> = matches(&SSN, text).filter(|m| ssn_valid(m.as_str())).map(|m| m.range()).collect();
            if let Some(re) = CUED_SSN.as_ref() {
                out.extend(re.captures_iter(text).filter_map(|c| c.get(1)).filter(|m| ssn_valid(m.as_str())).map(|m| m.range()));
                out.sort_by_key(|r| (r.start, r.end));
            }
            out
        }
    }
}

/// Whether an address ending at `end` ends there: no letter or digit follows (an underscore
/// or a mark may).
fn email_ends(text: &str, end: usize) -> bool {
    !text[end..].chars().next().is_some_and(char::is_alphanumeric)
}

/// The card number among a run of digit groups: the longest stretch of whole groups (13 to 19
/// digits) that is a valid card, so a quantity before it or an expiry date after it
/// (`Qty 2 4111 1111 1111 1111`, `4111111111111111 12/25`) does not hide it.
fn card_in(run: &str) -> Option<Range<usize>> {
    let mut groups: Vec<Range<usize>> = Vec::new();
    let bytes = run.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        groups.push(start..i);
        i += 1;
    }
    // Each stretch tried has at most 19 digits: linear in the run.
    let mut best: Option<Range<usize>> = None;
    for first in 0..groups.len() {
        for last in first..groups.len() {
            let span = groups[first].start..groups[last].end;
            let digits = run[span.clone()].bytes().filter(u8::is_ascii_digit).count();
            if digits > 19 {
                break;
            }
            if digits >= 13
                && best.as_ref().is_none_or(|b| b.len() < span.len())
                && card_grouped(&groups[first..=last])
                && card_valid(&run[span.clone()])
            {
                best = Some(span);
            }
        }
    }
    best
}

/// Whether digit groups are written as card numbers are: one run, fours (the last of one to
/// four), or Amex's and Diners' 4-6-5 and 4-6-4; a list of small numbers is not a card.
fn card_grouped(groups: &[Range<usize>]) -> bool {
    let lengths: Vec<usize> = groups.iter().map(Range::len).collect();
    match lengths.split_last() {
        None => false,
        Some((_, [])) => true,
        Some((last, init)) => (init.iter().all(|&l| l == 4) && (1..=4).contains(last)) || lengths == [4, 6, 5] || lengths == [4, 6, 4],
    }
}

/// The length of the IBAN that `candidate` starts with: its country's length of letters and
/// digits (spaces aside), when they pass the check and no letter or digit is glued to the end;
/// so a word after it (`… 0130 00 BIC COBADEFFXXX`) does not hide it.
fn iban_in(candidate: &str) -> Option<usize> {
    let length = iban_length(candidate.get(..2)?)?;
    let mut seen = 0;
    for (i, c) in candidate.char_indices() {
        if c.is_ascii_alphanumeric() {
            seen += 1;
            if seen == length {
                let end = i + 1;
                let glued = candidate[end..].starts_with(|c: char| c.is_ascii_alphanumeric());
                return (!glued && iban_valid(&candidate[..end])).then_some(end);
            }
        } else if c != ' ' {
            return None;
        }
    }
    None
}

/// The spans of every kind, merged.
pub fn spans(text: &str) -> Vec<Range<usize>> {
    super::merge(KINDS.iter().flat_map(|k| find(*k, text)).collect())
}

fn first(kind: Kind, text: &str) -> bool {
    !find(kind, text).is_empty()
}

pub fn contains_email(text: &str) -> bool {
    first(Kind::Email, text)
}

pub fn contains_phone(text: &str) -> bool {
    first(Kind::Phone, text)
}

pub fn contains_card(text: &str) -> bool {
    first(Kind::Card, text)
}

pub fn contains_iban(text: &str) -> bool {
    first(Kind::Iban, text)
}

pub fn contains_ssn(text: &str) -> bool {
    first(Kind::Ssn, text)
}

pub fn contains_any(text: &str) -> bool {
    KINDS.iter().any(|k| first(*k, text))
}

/// A phone number: 8 to 15 digits (E.164), not a date, a version, an amount, a card number or
/// an SSN, and not inside a longer run of digits.
fn phone_like(text: &str, m: &regex::Match<'_>) -> bool {
    let s = m.as_str();
    let digits = s.chars().filter(char::is_ascii_digit).count();
    let international = s.starts_with('+');
    // Glued to a word, a path, a range or a longer number; a sentence's full stop or comma
    // is not glue.
    let mut before = text[..m.start()].chars().rev();
    let glued_before = match before.next() {
        Some(c) if c.is_ascii_alphanumeric() || c == '/' || c == '-' || c == '_' => true,
        Some('.' | ',') => before.next().is_some_and(|c| c.is_ascii_digit()),
        _ => false,
    };
    let mut after = text[m.end()..].chars();
    let glued_after = match after.next() {
        Some(c) if c.is_ascii_alphanumeric() || c == '/' || c == '-' || c == '_' => true,
        // A time of day (`2024-05-17 10:30`).
        Some(':') => after.next().is_some_and(|c| c.is_ascii_digit()),
        Some('.' | ',') => after.next().is_some_and(|c| c.is_ascii_alphanumeric()),
        _ => false,
    };
    let separators: Vec<char> = s.chars().filter(|c| !c.is_ascii_digit() && !matches!(c, '+' | '(' | ')')).collect();
    // Dots only: the North American `415.555.0132`, not a version number.
    let dotted = !separators.is_empty() && separators.iter().all(|c| *c == '.');
    let dotted_phone = s.len() == 12 && s.as_bytes()[3] == b'.' && s.as_bytes()[7] == b'.';
    let length = if international { (8..=15).contains(&digits) } else { (10..=11).contains(&digits) };
    // Pairs of digits are how France and its neighbours write a national number, which begins
    // with the trunk prefix 0; other pairs (`48 87 27 54 12`) are a list of numbers.
    let groups: Vec<&str> = s.split(|c: char| !c.is_ascii_digit()).filter(|g| !g.is_empty()).collect();
    let listed_pairs = !international && groups.len() >= 4 && groups.iter().all(|g| g.len() == 2) && !s.starts_with('0');
    length
        && !listed_pairs
        && !glued_before
        && !glued_after
        && (!dotted || dotted_phone || international)
        && !ssn_shape(s)
        && !(digits >= 13 && card_valid(s))
        && !looks_like_date(s)
}

fn ssn_shape(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 3 && parts[0].len() == 3 && parts[1].len() == 2 && parts[2].len() == 4
}

fn looks_like_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split(['-', '.', ' ', '/']).collect();
    parts.len() == 3
        && ((parts[0].len() == 4 && parts[1].len() == 2 && parts[2].len() == 2)
            || (parts[0].len() == 2 && parts[1].len() == 2 && parts[2].len() == 4))
}

fn luhn(digits: &[u32]) -> bool {
    let sum: u32 = digits.iter().rev().enumerate().map(|(i, d)| if i % 2 == 1 { (d * 2) % 10 + (d * 2) / 10 } else { *d }).sum();
    sum % 10 == 0
}

/// 13 to 19 digits, Luhn-valid, with a known issuer prefix (Visa, Mastercard, Amex, Discover,
/// JCB, Diners, UnionPay, Maestro, Mir), and not all one digit.
fn card_valid(candidate: &str) -> bool {
    let digits: Vec<u32> = candidate.chars().filter_map(|c| c.to_digit(10)).collect();
    let prefix = |n: usize| digits.iter().take(n).fold(0u32, |acc, d| acc * 10 + d);
    let issuer = matches!(digits.first(), Some(4))
        // Mir.
        || (2200..=2204).contains(&prefix(4))
        || (51..=55).contains(&prefix(2))
        || (2221..=2720).contains(&prefix(4))
        || matches!(prefix(2), 34 | 37 | 36 | 38 | 62 | 35 | 50 | 56..=58 | 60 | 63 | 64 | 65 | 67 | 30);
    (13..=19).contains(&digits.len()) && issuer && luhn(&digits) && digits.iter().any(|d| Some(d) != digits.first())
}

/// The length of a country's IBANs (the SWIFT registry), for the common countries.
fn iban_length(country: &str) -> Option<usize> {
    Some(match country {
        "NO" => 15,
        "BE" => 16,
        "DK" | "FI" | "FO" | "GL" | "NL" => 18,
        "MK" | "SI" => 19,
        "AT" | "BA" | "EE" | "KZ" | "LT" | "LU" | "XK" => 20,
        "CH" | "CR" | "HR" | "LI" | "LV" => 21,
        "BG" | "BH" | "DE" | "GB" | "GE" | "IE" | "ME" | "RS" => 22,
        "AE" | "GI" | "IL" | "TL" => 23,
        "AD" | "CZ" | "ES" | "MD" | "PK" | "RO" | "SA" | "SE" | "SK" | "TN" | "VG" => 24,
        "PT" => 25,
        "IS" | "TR" => 26,
        "FR" | "GR" | "IT" | "MC" | "MR" | "SM" => 27,
        "AL" | "AZ" | "CY" | "DO" | "GT" | "HU" | "LB" | "PL" => 28,
        "BR" | "PS" | "QA" | "UA" => 29,
        "JO" | "KW" | "MU" => 30,
        "MT" => 31,
        _ => return None,
    })
}

fn iban_valid(candidate: &str) -> bool {
    let compact: String = candidate.chars().filter(|c| !c.is_whitespace()).collect();
    if iban_length(&compact[..2.min(compact.len())]) != Some(compact.len()) {
        return false;
    }
    let (head, tail) = compact.split_at(4);
    let mut remainder: u64 = 0;
    for c in tail.chars().chain(head.chars()) {
        let Some(v) = c.to_digit(36) else { return false };
        let v = u64::from(v);
        remainder = if v < 10 { (remainder * 10 + v) % 97 } else { (remainder * 100 + v) % 97 };
    }
    remainder == 1
}

/// Area not 000, 666 or 900–999; group not 00; serial not 0000.
fn ssn_valid(candidate: &str) -> bool {
    let mut parts = candidate.split(['-', ' ']);
    let (Some(area), Some(group), Some(serial)) = (parts.next(), parts.next(), parts.next()) else { return false };
    area != "000" && area != "666" && !area.starts_with('9') && group != "00" && serial != "0000"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detectors() {
        assert!(contains_card("card 4111 1111 1111 1111 ok"));
        assert!(!contains_card("order 4111 1111 1111 1112"));
        assert!(contains_iban("pay DE89370400440532013000 now"));
        assert!(contains_iban("pay GB82 WEST 1234 5698 7654 32 now"));
        assert!(!contains_iban("pay DE89370400440532013001 now"));
        assert!(contains_ssn("ssn 123-45-6789"));
        assert!(!contains_ssn("ssn 000-45-6789"));
        assert!(contains_email("write to bob@acme.com"));
        assert!(contains_phone("call +44 20 7946 0958 today"));
        assert!(contains_phone("call (415) 555-0132"));
        for not_a_phone in ["version 1.2.3", "on 2024-05-17", "total 1,234,567", "id 12345", "ssn 123-45-6789"] {
            assert!(!contains_phone(not_a_phone), "{not_a_phone}");
        }
    }

    /// Formats a review found missed: numbers without separators after a cue, groups of other
    /// countries, items with a word or number glued on by the search, addresses in other
    /// scripts or Markdown, SSNs with spaces, Mir cards, Ukrainian IBANs.
    #[test]
    fn formats_found() {
        for phone in [
            "call me at 4155550132",
            "phone: 4155550132",
            "mobile 07700 900123",
            "+44 7911 123456",
            "ruf +49 30 12345678",
            "+33 1 14 38 67 65",
            "appelez le 01 42 68 53 00",
        ] {
            assert!(contains_phone(phone), "{phone}");
        }
        for not_a_phone in [
            "order 4155550132 shipped",
            "invoice 2024 05 17 total",
            "build 20240517.1234",
            "release 1.24.3 of 2024-05-17",
            "2024-05-17 10:30:00 INFO server started",
            "Deployed at 17.05.2024 14:05",
            "Lines 12000-12345 changed",
            "The call started at 1715950800",
            "reach 1000000000 users",
            "ring buffer size 4294967296",
            "lottery numbers 48 87 27 54 12",
            "scores: 12 34 56 78 90",
        ] {
            assert!(!contains_phone(not_a_phone), "{not_a_phone}");
        }
        assert!(contains_iban("IBAN DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX"));
        assert!(contains_iban("GB82 WEST 1234 5698 7654 32 GBP"));
        assert!(contains_iban("UA213223130000026007233566001"));
        assert!(!contains_iban("DE89370400440532013000X"));
        assert!(contains_card("4111111111111111 12/25 123"));
        assert!(contains_card("Qty 2 4111 1111 1111 1111"));
        assert!(contains_card("Mir 2200 0000 0000 0004"));
        assert!(!contains_card("41111111111111112"));
        // Digits of other scripts are not card digits (and once split a character).
        assert!(!contains_card("2222220222\u{6f5}22222"));
        assert!(contains_card("\u{6f5}\u{6f5} 4111 1111 1111 1111"));
        for email in ["mail _bob@acme.com_", "bob@acme.com_", "josé@acme.com", "bob@bücher.de"] {
            assert!(contains_email(email), "{email}");
        }
        assert!(!contains_email("bob@acme.comx9@"));
        assert!(contains_ssn("ssn 123 45 6789"));
        assert!(!contains_ssn("GET /index.html 123 45 6789"));
        assert!(!contains_card("values: 48 87 27 54 12 36 41 99 50 13"));
        assert!(contains_card("amex 3782 822463 10005"));
        assert!(!contains_ssn("ssn 123 45-6789"));
    }

    #[test]
    fn spans_are_the_items() {
        let text = "mail bob@acme.com, card 4111-1111-1111-1111.";
        let found: Vec<&str> = spans(text).into_iter().map(|s| &text[s]).collect();
        assert_eq!(found, ["bob@acme.com", "4111-1111-1111-1111"]);
    }
}
