//! Eight bytes at a time, as one number: which bytes are letters and digits, or of the base64
//! alphabets (each byte's high bit says), where a run of them ends, and where the long runs
//! are. Used by the token pass, the search for encoded runs and the normaliser's ASCII path.

/// One in every byte, and the high bit of every byte.
pub(super) const ONES: u64 = 0x0101_0101_0101_0101;
pub(super) const HIGH: u64 = 0x8080_8080_8080_8080;

/// The high bit of each byte of `w` in the base64 alphabets (letters, digits, `+ / _ -`);
/// any byte, one past ASCII too.
#[inline(always)]
pub(super) fn base64_bytes(w: u64) -> u64 {
    let low = w & !HIGH;
    alphanumeric_bytes(w) | ((equal(low, b'+') | equal(low, b'/') | equal(low, b'_') | equal(low, b'-')) & !w)
}

/// Where the run of bytes that `class` marks (eight at a time, as high bits) and `one` says
/// (byte by byte, for the last few) that goes on at `i` of `bytes` ends.
#[inline(always)]
pub(super) fn run_end(bytes: &[u8], mut i: usize, class: impl Fn(u64) -> u64, one: impl Fn(u8) -> bool) -> usize {
    while let Some(eight) = bytes.get(i..i + 8) {
        let outside = !class(u64::from_le_bytes(eight.try_into().unwrap_or([0; 8]))) & HIGH;
        if outside != 0 {
            return i + (outside.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while bytes.get(i).is_some_and(|&b| one(b)) {
        i += 1;
    }
    i
}

/// The runs at least `min` (8 or more) bytes long of the bytes that `class` marks (eight at a
/// time, as high bits) and `one` says (byte by byte, for the last few), in order. Shorter runs
/// cost nothing of their own: a run that touches neither end of an eight is under eight bytes
/// long, so an eight only adds to the run that reaches its start or begins one at its end.
pub(super) fn long_runs<'b>(
    bytes: &'b [u8],
    min: usize,
    class: impl Fn(u64) -> u64 + 'b,
    one: impl Fn(u8) -> bool + 'b,
) -> impl Iterator<Item = std::ops::Range<usize>> + 'b {
    debug_assert!(min >= 8, "a run inside one eight would be missed");
    // `run`: how many marked bytes end at `i`.
    let (mut i, mut run) = (0, 0);
    std::iter::from_fn(move || {
        while let Some(eight) = bytes.get(i..i + 8) {
            let marked = class(u64::from_le_bytes(eight.try_into().unwrap_or([0; 8]))) & HIGH;
            if marked == HIGH {
                run += 8;
                i += 8;
                continue;
            }
            let outside = !marked & HIGH;
            // The run reaching this eight's start ends at its first byte outside.
            let end = i + (outside.trailing_zeros() / 8) as usize;
            let ended = run + (end - i);
            run = (outside.leading_zeros() / 8) as usize;
            i += 8;
            if ended >= min {
                return Some(end - ended..end);
            }
        }
        while let Some(&b) = bytes.get(i) {
            i += 1;
            if one(b) {
                run += 1;
                continue;
            }
            let ended = std::mem::take(&mut run);
            if ended >= min {
                return Some(i - 1 - ended..i - 1);
            }
        }
        // The last run ends with the bytes.
        let ended = std::mem::take(&mut run);
        (ended >= min && ended > 0).then(|| bytes.len() - ended..bytes.len())
    })
}

/// The high bit of each byte of `w` that is an ASCII letter or digit; any byte, one past
/// ASCII too (the arithmetic is on the low seven bits, so it carries into no other byte).
#[inline(always)]
pub(super) fn alphanumeric_bytes(w: u64) -> u64 {
    let low = w & !HIGH;
    (within(low | (ONES * 0x20), b'a', b'z') | within(low, b'0', b'9')) & !w & HIGH
}

/// The high bit of each byte of `w` (all below 0x80) that is at least `c` (at most 0x80).
#[inline(always)]
fn at_least(w: u64, c: u8) -> u64 {
    w.wrapping_add(ONES * u64::from(0x80 - c)) & HIGH
}

/// The high bit of each byte of `w` in `lo..=hi`.
#[inline(always)]
fn within(w: u64, lo: u8, hi: u8) -> u64 {
    at_least(w, lo) & !at_least(w, hi + 1)
}

/// The high bit of each byte of `w` equal to `c`.
#[inline(always)]
fn equal(w: u64, c: u8) -> u64 {
    let x = w ^ (ONES * u64::from(c));
    !(((x & !HIGH) + !HIGH) | x) & HIGH
}
