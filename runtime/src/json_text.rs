//! Two pieces of the JSON grammar (RFC 8259) shared by the strict single-pass readers of
//! request text (the verdict envelope, `eval/envelope.rs`, and the audit trail's request
//! canonicaliser, `audit/request_text.rs`): a string without escapes, and a number.

/// The string whose opening quote is just before `start`: its text, when it has no escape and
/// no control character, and the offset after its closing quote.
pub(crate) fn plain_string(text: &str, start: usize) -> Option<(&str, usize)> {
    let rest = text.as_bytes().get(start..)?;
    let len = rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
    if rest[len] != b'"' {
        return None;
    }
    // Both ends are next to an ASCII quote, so they are character boundaries.
    Some((text.get(start..start + len)?, start + len + 1))
}

/// The end of the number that starts at `start` —
/// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?` — and whether it is an integer
/// (no fraction, no exponent).
pub(crate) fn number_end(bytes: &[u8], start: usize) -> Option<(usize, bool)> {
    let digits = |mut at: usize| {
        while bytes.get(at).is_some_and(u8::is_ascii_digit) {
            at += 1;
        }
        at
    };
    let mut at = start;
    if bytes.get(at) == Some(&b'-') {
        at += 1;
    }
    at = match *bytes.get(at)? {
        b'0' => at + 1,
        b'1'..=b'9' => digits(at),
        _ => return None,
    };
    let mut integer = true;
    if bytes.get(at) == Some(&b'.') {
        integer = false;
        bytes.get(at + 1).filter(|b| b.is_ascii_digit())?;
        at = digits(at + 1);
    }
    if let Some(b'e' | b'E') = bytes.get(at) {
        integer = false;
        at += 1;
        if let Some(b'+' | b'-') = bytes.get(at) {
            at += 1;
        }
        bytes.get(at).filter(|b| b.is_ascii_digit())?;
        at = digits(at);
    }
    Some((at, integer))
}
