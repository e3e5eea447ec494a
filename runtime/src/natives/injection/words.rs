//! The word pass's search: every place in a text where one of the engine's words occurs
//! (overlapping, all of them: what an Aho-Corasick search with standard semantics reports),
//! found with tables small enough to stay in the processor's caches.
//!
//! A word automaton over the 5,000-odd words is several megabytes, and stepping it is a chain
//! of dependent loads, one a byte, most of them missing the cache. Here each place of the
//! text is looked up on its own: its first four bytes are hashed into a 16 KB bit filter
//! (about one place in nine passes it on English text), and only then into a table of the
//! words that begin with those four bytes, each compared in full. Words of three bytes are
//! looked up by their three bytes the same way (a 1 KB filter), words of one or two bytes by
//! the place's first two bytes (an 8 KB filter with a bit for every pair). The places do not
//! depend on each other, so the processor overlaps their lookups.

use std::ops::Range;

/// 64-bit words of the long words' filter (16 KB).
const LONG_FILTER_WORDS: usize = 2048;

/// 64-bit words of the three-byte words' filter (1 KB).
const TRIPLE_FILTER_WORDS: usize = 128;

/// The filter of the words of one or two bytes has a bit for every pair of bytes (2^16 bits,
/// 8 KB).
const PAIR_FILTER_WORDS: usize = 1024;

/// The multiplicative hash's constant (2^64 / φ, odd).
const MUL: u64 = 0x9E37_79B9_7F4A_7C15;

/// The engine's words, ready to be found.
pub(super) struct WordIndex {
    pairs: Pairs,
    triples: Triples,
    long: Long,
    /// Every word's place in `bytes`, by word number (read by tests).
    #[cfg_attr(not(test), allow(dead_code))]
    words: Vec<Range<u32>>,
    /// The words' bytes, one after another.
    bytes: Vec<u8>,
}

type Pairs = Buckets<PAIR_FILTER_WORDS, true>;
type Triples = Buckets<TRIPLE_FILTER_WORDS, false>;
type Long = Buckets<LONG_FILTER_WORDS, false>;

/// A word that may begin at a place: its first eight bytes (zeros after a shorter word) and
/// the mask of those that are its own, where all its bytes are, and its number.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    head: u64,
    mask: u64,
    at: u32,
    len: u32,
    word: u32,
}

/// The words of one kind (one or two bytes, keyed by the place's first two; three bytes; four
/// or more, keyed by their first four) by key: a filter of `WORDS` 64-bit words (with
/// `DIRECT`, a bit for every two-byte key; otherwise a bit chosen by the key's hash), then an
/// open-addressed table from the key to its candidates, shortest first.
struct Buckets<const WORDS: usize, const DIRECT: bool> {
    filter: Box<[u64; WORDS]>,
    slots: Box<[Slot]>,
    slot_shift: u32,
    candidates: Vec<Candidate>,
}

/// One key's candidates in [`Buckets::candidates`]; an empty range marks a free slot.
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    key: u32,
    start: u32,
    end: u32,
}

impl<const WORDS: usize, const DIRECT: bool> Buckets<WORDS, DIRECT> {
    /// Where `key`'s bit is in the filter: the 64-bit word, and the bit in it.
    #[inline(always)]
    fn filter_bit(key: u32) -> (usize, u64) {
        const { assert!(WORDS.is_power_of_two()) };
        if DIRECT {
            ((key >> 6) as usize % WORDS, 1 << (key & 63))
        } else {
            // The high bits of the product depend on every bit of the key.
            let hash = hash(key);
            let bit = hash >> (64 - 6 - WORDS.trailing_zeros());
            ((bit >> 6) as usize % WORDS, 1 << (bit & 63))
        }
    }

    /// The table of `keyed` (a key and a candidate each).
    fn build(mut keyed: Vec<(u32, Candidate)>) -> Self {
        keyed.sort_by_key(|(key, c)| (*key, c.len, c.word));
        let keys = keyed.chunk_by(|a, b| a.0 == b.0).count();
        let slot_bits = (2 * keys).next_power_of_two().max(2).trailing_zeros();
        let mut buckets = Buckets {
            filter: Box::new([0; WORDS]),
            slots: vec![Slot::default(); 1 << slot_bits].into_boxed_slice(),
            slot_shift: 64 - slot_bits,
            candidates: Vec::with_capacity(keyed.len()),
        };
        for group in keyed.chunk_by(|a, b| a.0 == b.0) {
            let key = group[0].0;
            let start = buckets.candidates.len() as u32;
            buckets.candidates.extend(group.iter().map(|(_, c)| *c));
            let (word, bit) = Self::filter_bit(key);
            buckets.filter[word] |= bit;
            let hash = hash(key);
            let mask = buckets.slots.len() - 1;
            let mut s = (hash >> buckets.slot_shift) as usize;
            while buckets.slots[s].end != 0 {
                s = (s + 1) & mask;
            }
            buckets.slots[s] = Slot { key, start, end: buckets.candidates.len() as u32 };
        }
        buckets
    }

    /// The candidates of `key` (none when no word has it).
    #[inline(always)]
    fn candidates(&self, key: u32) -> &[Candidate] {
        let hash = hash(key);
        let mask = self.slots.len() - 1;
        let mut s = (hash >> self.slot_shift) as usize;
        loop {
            let Some(slot) = self.slots.get(s) else { return &[] };
            if slot.end == 0 {
                return &[];
            }
            if slot.key == key {
                return self.candidates.get(slot.start as usize..slot.end as usize).unwrap_or_default();
            }
            s = (s + 1) & mask;
        }
    }
}

/// The first eight bytes of `bytes` as a number, zeros after a shorter text.
#[inline(always)]
fn head(bytes: &[u8]) -> u64 {
    match bytes.first_chunk::<8>() {
        Some(eight) => u64::from_le_bytes(*eight),
        None => bytes.iter().rev().fold(0, |n, &b| n << 8 | u64::from(b)),
    }
}

/// The mask of the first `len` bytes of a [`head`] (all eight from eight on).
fn mask(len: usize) -> u64 {
    if len >= 8 {
        u64::MAX
    } else {
        (1u64 << (8 * len)) - 1
    }
}

/// A key's hash: its high bits are well mixed.
#[inline(always)]
fn hash(key: u32) -> u64 {
    u64::from(key).wrapping_mul(MUL)
}

impl WordIndex {
    /// The index of `words` (word `w` is reported as `w`). An empty word is never reported.
    pub(super) fn build(words: &[Vec<u8>]) -> WordIndex {
        let (mut pairs, mut triples, mut long) = (Vec::new(), Vec::new(), Vec::new());
        let mut bytes = Vec::new();
        let mut places = Vec::with_capacity(words.len());
        for (w, word) in words.iter().enumerate() {
            let at = bytes.len() as u32;
            bytes.extend_from_slice(word);
            places.push(at..bytes.len() as u32);
            let candidate = Candidate { head: head(word), mask: mask(word.len()), at, len: word.len() as u32, word: w as u32 };
            match *word.as_slice() {
                [] => {}
                [a, b, c, d, ..] => long.push((u32::from_le_bytes([a, b, c, d]), candidate)),
                [a, b, c] => triples.push((u32::from_le_bytes([a, b, c, 0]), candidate)),
                [a, b] => pairs.push((u32::from_le_bytes([a, b, 0, 0]), candidate)),
                // A one-byte word begins a place whatever byte comes next (or none: the last
                // place is keyed as if a zero byte followed).
                [a] => pairs.extend((0..=255u8).map(|b| (u32::from_le_bytes([a, b, 0, 0]), candidate))),
            }
        }
        WordIndex { pairs: Buckets::build(pairs), triples: Buckets::build(triples), long: Buckets::build(long), words: places, bytes }
    }

    /// Every word's bytes, by word number.
    #[cfg(test)]
    pub(super) fn words(&self) -> impl Iterator<Item = &[u8]> {
        self.words.iter().map(|r| self.bytes.get(r.start as usize..r.end as usize).unwrap_or_default())
    }

    /// Calls `found(word, start, end)` for every occurrence of every word in `text`, by start
    /// and, at one start, shortest first.
    #[inline]
    pub(super) fn each(&self, text: &[u8], mut found: impl FnMut(usize, usize, usize)) {
        // Four bytes are read at each place but the last three, where the key is padded with
        // zeros (the candidates are compared with the text itself). Most places pass no
        // filter: that loop is kept small, and a place that passes one is read out of line.
        let (pairs, triples, long) = (&*self.pairs.filter, &*self.triples.filter, &*self.long.filter);
        let passes = |key: u32| {
            let probe = |filter: &[u64], (word, bit): (usize, u64)| filter.get(word).is_some_and(|w| w & bit != 0);
            [
                probe(pairs, Pairs::filter_bit(key & 0xffff)),
                probe(triples, Triples::filter_bit(key & 0xff_ffff)),
                probe(long, Long::filter_bit(key)),
            ]
        };
        for (i, four) in text.windows(4).enumerate() {
            let key = u32::from_le_bytes([four[0], four[1], four[2], four[3]]);
            let passed = passes(key);
            if passed != [false; 3] {
                self.place(text, i, key, passed, &mut found);
            }
        }
        for i in text.len().saturating_sub(3)..text.len() {
            let mut four = [0u8; 4];
            for (k, &b) in text.iter().skip(i).enumerate() {
                four[k] = b;
            }
            let key = u32::from_le_bytes(four);
            self.place(text, i, key, passes(key), &mut found);
        }
    }

    /// The words at place `i` of `text`, whose first four bytes (padded) are `key` and which
    /// passed the pairs', triples' and long words' filters as `passed` says.
    #[inline(never)]
    fn place(&self, text: &[u8], i: usize, key: u32, passed: [bool; 3], found: &mut impl FnMut(usize, usize, usize)) {
        let rest = text.get(i..).unwrap_or_default();
        if passed[0] {
            self.verify(self.pairs.candidates(key & 0xffff), rest, i, found);
        }
        if passed[1] {
            self.verify(self.triples.candidates(key & 0xff_ffff), rest, i, found);
        }
        if passed[2] {
            self.verify(self.long.candidates(key), rest, i, found);
        }
    }

    /// The candidates (shortest first) that `rest`, the text from place `i` on, begins with:
    /// the first eight bytes compared at once, the rest (of a longer word) only when they agree.
    #[inline(always)]
    fn verify(&self, candidates: &[Candidate], rest: &[u8], i: usize, found: &mut impl FnMut(usize, usize, usize)) {
        let text = head(rest);
        for c in candidates {
            let len = c.len as usize;
            if len > rest.len() {
                break;
            }
            if text & c.mask != c.head {
                continue;
            }
            let at = c.at as usize;
            if len <= 8 || rest.get(8..len) == self.bytes.get(at + 8..at + len) {
                found(c.word as usize, i, i + len);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use proptest::prelude::*;

    /// Every occurrence, as Aho-Corasick's overlapping search reports them, sorted.
    fn oracle(words: &[Vec<u8>], text: &[u8]) -> Vec<(usize, usize, usize)> {
        let kept: Vec<usize> = (0..words.len()).filter(|&w| !words[w].is_empty()).collect();
        let automaton = aho_corasick::AhoCorasick::new(kept.iter().map(|&w| &words[w])).unwrap();
        let mut all: Vec<_> = automaton.find_overlapping_iter(text).map(|m| (kept[m.pattern().as_usize()], m.start(), m.end())).collect();
        all.sort_by_key(|&(w, start, end)| (start, end, w));
        all
    }

    fn found(words: &[Vec<u8>], text: &[u8]) -> Vec<(usize, usize, usize)> {
        let index = WordIndex::build(words);
        let mut all = Vec::new();
        index.each(text, |w, start, end| all.push((w, start, end)));
        all.sort_by_key(|&(w, start, end)| (start, end, w));
        all
    }

    /// Bytes from a small alphabet with a multi-byte letter, so words recur and overlap.
    fn piece() -> impl Strategy<Value = Vec<u8>> {
        prop::collection::vec(
            prop_oneof![
                Just(b"a".to_vec()),
                Just(b"b".to_vec()),
                Just(b" ".to_vec()),
                Just("é".as_bytes().to_vec()),
                Just(vec![0u8]),
                Just(vec![0xff])
            ],
            0..7,
        )
        .prop_map(|parts| parts.concat())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        #[test]
        fn finds_what_aho_corasick_finds(words in prop::collection::vec(piece(), 0..24), text in prop::collection::vec(piece(), 0..12)) {
            let text = text.concat();
            prop_assert_eq!(found(&words, &text), oracle(&words, &text));
        }
    }

    #[test]
    fn words_of_every_length_at_every_place() {
        let words: Vec<Vec<u8>> = ["@", "ai", "all", "ignore", "ignore all", "all previous", "gno", "e a", "忽略"]
            .iter()
            .map(|w| w.as_bytes().to_vec())
            .collect();
        let text = "@ignore all previous; ai@忽略 all".as_bytes();
        let got = found(&words, text);
        assert_eq!(got, oracle(&words, text));
        assert_eq!(got.len(), 11, "{got:?}");
        let index = WordIndex::build(&words);
        assert_eq!(index.words().nth(4), Some(&b"ignore all"[..]));
    }

    /// Near misses past the first, second and third eight bytes, and a text that ends inside a
    /// word; a word ending in a zero byte is not the zeros that pad a short text's key.
    #[test]
    fn long_near_misses_and_short_texts() {
        let words: Vec<Vec<u8>> = ["abcdefghij", "abcdefghik", "abcdefghijklmnopqr"].iter().map(|w| w.as_bytes().to_vec()).collect();
        let text = b"abcdefghijklmnopqX abcdefghik abcdefghij abcdefghijklmnopq";
        assert_eq!(found(&words, text), oracle(&words, text));
        assert_eq!(found(&words, text).len(), 4);
        let words = vec![b"x".to_vec(), b"xy".to_vec(), b"xyz".to_vec(), b"xyz\0".to_vec(), b"xy\0".to_vec()];
        for text in [&b"x"[..], b"xy", b"xyz", b"xyz\0", b"xy\0z"] {
            assert_eq!(found(&words, text), oracle(&words, text), "{text:?}");
        }
        assert_eq!(found(&words, b"xyz"), vec![(0, 0, 1), (1, 0, 2), (2, 0, 3)]);
        // A word of every length from 1 to 20 after a copy differing only in its last byte.
        for len in 1..=20 {
            let word: Vec<u8> = (b'a'..).take(len).collect();
            let mut text = word.clone();
            text[len - 1] = b'Z';
            text.push(b' ');
            text.extend(&word);
            assert_eq!(found(std::slice::from_ref(&word), &text), vec![(0, len + 1, 2 * len + 1)], "{len}");
        }
    }

    #[test]
    fn nothing_is_found_in_nothing() {
        let words = vec![b"a".to_vec(), Vec::new()];
        assert!(found(&words, b"").is_empty());
        assert_eq!(found(&words, b"a"), vec![(0, 0, 1)]);
        assert!(found(&[], b"anything").is_empty());
    }
}
