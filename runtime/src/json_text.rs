//! Two pieces of the JSON grammar (RFC 8259) shared by the strict single-pass readers of
//! request text (the verdict envelope, `eval/envelope.rs`, and the audit trail's request
//! canonicaliser, `audit/request_text.rs`): a string without escapes, and a number.

/// The string whose opening quote is just before `start`: its text, when it has no escape and
/// no control character, and the offset after its closing quote.
#[inline]
pub(crate) fn plain_string(text: &str, start: usize) -> Option<(&str, usize)> {
    let rest = text.as_bytes().get(start..)?;
    let len = first_special(rest)?;
    if rest[len] != b'"' {
        return None;
    }
    // Both ends are next to an ASCII quote, so they are character boundaries.
    Some((text.get(start..start + len)?, start + len + 1))
}

/// Where the first `"`, `\\` or control character of `bytes` is, eight bytes at a time. In a
/// word, a byte is flagged when it is below 0x20, or zero after XOR with `"` or `\\`. Each test
/// subtracts a constant from every byte; a borrow starts only at a byte below the constant
/// (a byte that is one) and runs upwards, so no byte before the first such is flagged and the
/// lowest flag (the first byte, reading the word little-endian) is exact. The last bytes one
/// at a time.
#[inline]
pub(crate) fn first_special(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = u64::from_le_bytes([0x01; 8]);
    const HIGH: u64 = u64::from_le_bytes([0x80; 8]);
    let below = |word: u64, n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGH;
    let mut chunks = bytes.chunks_exact(8);
    let mut at = 0;
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let flags = below(word, 0x20) | below(word ^ (ONES * u64::from(b'"')), 1) | below(word ^ (ONES * u64::from(b'\\')), 1);
        if flags != 0 {
            return Some(at + (flags.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    chunks.remainder().iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).map(|i| at + i)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_byte_that_needs_an_escape_is_found_at_every_place() {
        for special in (0u8..0x20).chain([b'"', b'\\']) {
            for len in 1..20 {
                for at in 0..len {
                    // Plain bytes before, and other special bytes after, the first.
                    let mut bytes: Vec<u8> = (0..len).map(|i| if i < at { b'a' + (i % 26) as u8 } else { b'\\' }).collect();
                    bytes[at] = special;
                    bytes.iter_mut().skip(at + 1).step_by(2).for_each(|b| *b = 0xe9);
                    assert_eq!(first_special(&bytes), Some(at), "{special:#x} at {at} of {len}");
                }
            }
        }
        for plain in (0x20u8..=0xff).filter(|b| *b != b'"' && *b != b'\\') {
            assert_eq!(first_special(&[plain; 11]), None, "{plain:#x}");
        }
        assert_eq!(first_special(b""), None);
    }
}
