//! The token pass: the text split into tokens (runs of ASCII letters and digits; every other
//! byte, a non-ASCII one too, separates them), each token looked up whole in one hash table.
//! A key is a word the rules need (`needs.rs`) or the first word of a lexicon entry
//! (`lexicon.rs`), to be found as a whole token or as a token's beginning (a stem); a key
//! found reports its events. Beginnings are filed under their first [`STEM_KEY`] bytes (or
//! all of a shorter one) and compared in full where a token begins with those, so a token
//! costs at most `STEM_KEY` probes for them. A token is hashed eight bytes at a time (most are
//! shorter: one multiplication), and an 8 KB bit filter turns most probes away before the
//! table is touched.

/// 64-bit words of the filter (8 KB).
const FILTER_WORDS: usize = 1024;

/// Where a token's hash starts (with its length mixed in).
const SEED: u64 = 0xcbf2_9ce4_8422_2325;

/// Mixed into a beginning's hash, so a key that is a beginning and the same word whole are
/// two keys.
const BEGINNING: u64 = 0x5851_f42d_4c95_7f2d;

/// The multiplicative hash's constant (2^64 / φ, odd), for the table and the filter.
const MUL: u64 = 0x9E37_79B9_7F4A_7C15;

/// Beginnings are filed under this many of their first bytes.
const STEM_KEY: usize = 3;

/// Is the byte part of a token?
static TOKEN_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// A set of bytes: those other than ASCII letters and digits that a text holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct ByteSet([u64; 4]);

impl ByteSet {
    /// Every byte (what is assumed of a text not yet read).
    pub(super) const ALL: ByteSet = ByteSet([u64::MAX; 4]);

    #[inline(always)]
    fn insert(&mut self, b: u8) {
        self.0[usize::from(b >> 6)] |= 1 << (b & 63);
    }

    #[inline(always)]
    pub(super) fn contains(&self, b: u8) -> bool {
        self.0[usize::from(b >> 6)] >> (b & 63) & 1 != 0
    }

    /// The set of `bytes`.
    pub(super) fn of(bytes: impl Iterator<Item = u8>) -> ByteSet {
        let mut set = ByteSet::default();
        bytes.for_each(|b| set.insert(b));
        set
    }

    /// Does the set hold every byte of `other`?
    #[inline(always)]
    pub(super) fn holds_all(&self, other: &ByteSet) -> bool {
        self.0.iter().zip(&other.0).all(|(&mine, &theirs)| theirs & !mine == 0)
    }

    /// Does the set hold a byte past ASCII?
    pub(super) fn beyond_ascii(&self) -> bool {
        self.0[2] | self.0[3] != 0
    }
}

/// Where the token that goes on at `i` ends: eight bytes are classified at a time, as
/// numbers (each byte's high bit says whether it is a letter or digit).
#[inline(always)]
fn token_end(text: &[u8], i: usize) -> usize {
    super::eight::run_end(text, i, super::eight::alphanumeric_bytes, |b| TOKEN_BYTE[usize::from(b)])
}

/// The bytes of `text` from `at` to `end` (at most eight) as a little-endian number, zeros
/// after them.
#[inline(always)]
pub(super) fn word(text: &[u8], at: usize, end: usize) -> u64 {
    let len = end.saturating_sub(at).min(8);
    if let Some(eight) = text.get(at..at + 8) {
        let word = u64::from_le_bytes(eight.try_into().unwrap_or([0; 8]));
        return if len == 8 { word } else { word & ((1 << (8 * len)) - 1) };
    }
    let mut eight = [0u8; 8];
    if let Some(bytes) = text.get(at..at + len) {
        eight[..len].copy_from_slice(bytes);
    }
    u64::from_le_bytes(eight)
}

/// One more eight bytes into a hash.
#[inline(always)]
fn mix(hash: u64, word: u64) -> u64 {
    let h = (hash ^ word).wrapping_mul(MUL);
    h ^ (h >> 29)
}

/// The hash of `text[start..end]`, whose first eight bytes are `head`, as a whole token or as
/// a beginning.
#[inline(always)]
fn hash_at(text: &[u8], start: usize, end: usize, head: u64, beginning: bool) -> u64 {
    let len = end - start;
    let mut hash = mix(SEED ^ len as u64 ^ if beginning { BEGINNING } else { 0 }, head);
    let mut at = start + 8;
    while at < end {
        hash = mix(hash, word(text, at, end));
        at += 8;
    }
    hash
}

/// The hash of `bytes` as a whole token or as a beginning.
fn hash(bytes: &[u8], beginning: bool) -> u64 {
    hash_at(bytes, 0, bytes.len(), word(bytes, 0, bytes.len()), beginning)
}

/// Where the tokens of `bytes` are (for reading patterns' literals and lexicon entries, and
/// for tests: the pass itself finds them inline).
pub(super) fn token_ranges(bytes: &[u8]) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut i = 0;
    std::iter::from_fn(move || {
        while bytes.get(i).is_some_and(|b| !TOKEN_BYTE[usize::from(*b)]) {
            i += 1;
        }
        let start = i;
        if start < bytes.len() {
            i = token_end(bytes, start + 1);
        }
        (i > start).then_some(start..i)
    })
}

/// A key of the table (16 bytes, so the table stays small enough for the caches): its first
/// eight bytes, its length (with [`BEGINS`] for a beginning) and its events. A key is told
/// from others by these (and, past eight bytes, by the rest, where [`TokenIndex::rests`]
/// says).
#[derive(Debug, Clone, Copy, Default)]
struct Slot {
    /// The key's first eight bytes (zeros after a shorter one).
    head: u64,
    events: u32,
    len: u16,
    count: u16,
}

/// The bit of a slot's length that makes it a beginning's.
const BEGINS: u16 = 1 << 15;

/// An event of a key, with (for a beginning longer than its slot's key) where the whole
/// beginning is, to be compared with the token.
#[derive(Debug, Clone, Copy)]
struct Event {
    event: u32,
    key: u32,
    len: u32,
}

/// A key to find: its bytes, whether a token need only begin with it, and its events.
pub(super) struct Key {
    pub bytes: Vec<u8>,
    pub beginning: bool,
    pub event: u32,
}

/// The keys, ready to be found.
pub(super) struct TokenIndex {
    slots: Vec<Slot>,
    /// For each slot of a key longer than eight bytes, where its bytes are in `keys`.
    rests: Vec<u32>,
    /// `64 - log2(slots.len())`.
    shift: u32,
    keys: Vec<u8>,
    events: Vec<Event>,
    /// The events' numbers alone, in the same order (a whole key's are reported at once).
    ids: Vec<u32>,
    /// Bit `n` set: some beginning is filed under its first `n` bytes.
    lengths: u64,
    filter: Vec<u64>,
}

impl TokenIndex {
    pub(super) fn build(keys: &[Key]) -> TokenIndex {
        // Group the keys by what they are filed under, in order of first appearance
        // (deterministic).
        let mut grouped: Vec<(&[u8], bool, Vec<&Key>)> = Vec::new();
        let mut at: rustc_hash::FxHashMap<(&[u8], bool), usize> = rustc_hash::FxHashMap::default();
        for key in keys.iter().filter(|k| !k.bytes.is_empty() && k.bytes.iter().all(u8::is_ascii_alphanumeric)) {
            let bytes = if key.beginning { &key.bytes[..key.bytes.len().min(STEM_KEY)] } else { &key.bytes[..] };
            match at.get(&(bytes, key.beginning)) {
                Some(&i) => grouped[i].2.push(key),
                None => {
                    at.insert((bytes, key.beginning), grouped.len());
                    grouped.push((bytes, key.beginning, vec![key]));
                }
            }
        }
        let size = (grouped.len() * 3 / 2).next_power_of_two().max(16);
        let mut index = TokenIndex {
            slots: vec![Slot::default(); size],
            rests: vec![0; size],
            shift: 64 - size.trailing_zeros(),
            keys: Vec::new(),
            events: Vec::new(),
            ids: Vec::new(),
            lengths: 0,
            filter: vec![0; FILTER_WORDS],
        };
        for (bytes, beginning, events) in grouped {
            let hash = hash(bytes, beginning);
            let slot = Slot {
                head: word(bytes, 0, bytes.len()),
                events: index.events.len() as u32,
                len: bytes.len() as u16 | if beginning { BEGINS } else { 0 },
                count: events.len() as u16,
            };
            let rest = index.keys.len() as u32;
            index.keys.extend_from_slice(bytes);
            for key in events {
                let whole = Event { event: key.event, key: 0, len: 0 };
                index.events.push(match key.bytes.len() > bytes.len() {
                    true => {
                        index.keys.extend_from_slice(&key.bytes);
                        Event { key: (index.keys.len() - key.bytes.len()) as u32, len: key.bytes.len() as u32, ..whole }
                    }
                    false => whole,
                });
                index.ids.push(key.event);
            }
            if beginning {
                index.lengths |= 1 << bytes.len();
            }
            let (word, bit) = filter_bit(hash);
            index.filter[word] |= bit;
            let mut i = index.home(hash);
            while index.slots[i].count != 0 {
                i = (i + 1) & (size - 1);
            }
            index.slots[i] = slot;
            index.rests[i] = rest;
        }
        index
    }

    /// The bytes past the first eight of the key in slot `slot`, `len` bytes long.
    fn rest(&self, slot: usize, len: usize) -> Option<&[u8]> {
        let at = *self.rests.get(slot)? as usize;
        self.keys.get(at + 8..at + len)
    }

    fn home(&self, hash: u64) -> usize {
        (hash >> self.shift) as usize
    }

    /// Calls `found(events, start)` with the events of each key found in `text`, in order of
    /// place (a token's beginnings before the token whole); returns how many tokens it has and
    /// the set of the other bytes it holds (256 bits). `squeezed` is made the tokens one after
    /// another (the squeezed view of an ASCII text, `squeezed.rs`).
    pub(super) fn each(&self, text: &[u8], squeezed: &mut Vec<u8>, mut found: impl FnMut(&[u32], usize)) -> (usize, ByteSet) {
        let mut tokens = 0;
        let mut seen = ByteSet::default();
        // Written eight bytes at a time (a token's first eight are in hand as a number), so the
        // buffer has eight bytes to spare; cut to length at the end.
        squeezed.clear();
        squeezed.resize(text.len() + 8, 0);
        let mut written = 0;
        let mut i = 0;
        while let Some(&b) = text.get(i) {
            if !TOKEN_BYTE[usize::from(b)] {
                seen.insert(b);
                i += 1;
                continue;
            }
            let start = i;
            i = token_end(text, i + 1);
            tokens += 1;
            let token = &text[start..i];
            let head = word(text, start, i);
            match squeezed.get_mut(written..written + 8) {
                Some(to) if token.len() <= 8 => to.copy_from_slice(&head.to_le_bytes()),
                _ => squeezed.get_mut(written..written + token.len()).into_iter().for_each(|to| to.copy_from_slice(token)),
            }
            written += token.len();
            // The beginnings' lengths this token is long enough for, shortest first.
            let mut lengths = self.lengths & ((2 << token.len().min(STEM_KEY)) - 1);
            while lengths != 0 {
                let len = lengths.trailing_zeros() as usize;
                lengths &= lengths - 1;
                let stem = head & ((1 << (8 * len)) - 1);
                self.probe(hash_at(text, start, start + len, stem, true), stem, len, true, token, start, &mut found);
            }
            self.probe(hash_at(text, start, i, head, false), head, token.len(), false, token, start, &mut found);
        }
        squeezed.truncate(written);
        (tokens, seen)
    }

    /// Looks a key up (the token, or its beginning: `len` bytes, the first eight `head`); a
    /// beginning longer than it is compared with `token`.
    #[inline(always)]
    #[allow(clippy::too_many_arguments)]
    fn probe(&self, hash: u64, head: u64, len: usize, beginning: bool, token: &[u8], start: usize, found: &mut impl FnMut(&[u32], usize)) {
        let (word, bit) = filter_bit(hash);
        if self.filter[word] & bit == 0 {
            return;
        }
        // No key is that long.
        let Some(len_bits) = u16::try_from(len).ok().filter(|&l| l < BEGINS) else { return };
        let len_bits = len_bits | if beginning { BEGINS } else { 0 };
        let mask = self.slots.len() - 1;
        let mut i = self.home(hash);
        loop {
            let slot = self.slots[i];
            if slot.count == 0 {
                return;
            }
            if slot.head == head && slot.len == len_bits && (len <= 8 || self.rest(i, len) == token.get(8..len)) {
                let (from, to) = (slot.events as usize, slot.events as usize + usize::from(slot.count));
                let events = &self.events[from..to];
                if !beginning {
                    found(&self.ids[from..to], start);
                    return;
                }
                for event in events {
                    if event.len == 0
                        || token.get(..event.len as usize) == self.keys.get(event.key as usize..(event.key + event.len) as usize)
                    {
                        found(std::slice::from_ref(&event.event), start);
                    }
                }
                return;
            }
            i = (i + 1) & mask;
        }
    }
}

fn filter_bit(hash: u64) -> (usize, u64) {
    let h = hash >> 16;
    ((h as usize >> 6) & (FILTER_WORDS - 1), 1 << (h & 63))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use proptest::prelude::*;

    fn found(keys: &[(&str, bool)], text: &str) -> Vec<(u32, usize)> {
        let keys: Vec<Key> =
            keys.iter().enumerate().map(|(i, (k, b))| Key { bytes: k.as_bytes().to_vec(), beginning: *b, event: i as u32 }).collect();
        let mut out = Vec::new();
        let mut squeezed = vec![b'x'; 3];
        let (_, seen) =
            TokenIndex::build(&keys).each(text.as_bytes(), &mut squeezed, |events, s| out.extend(events.iter().map(|&e| (e, s))));
        for b in text.bytes() {
            assert_eq!(seen.contains(b), !b.is_ascii_alphanumeric());
        }
        let tokens: Vec<u8> = token_ranges(text.as_bytes()).flat_map(|r| text.as_bytes()[r].to_vec()).collect();
        assert_eq!(squeezed, tokens, "the tokens one after another");
        out.sort_unstable();
        out
    }

    /// What the pass must find: every token equal to a whole key, every token beginning with
    /// a beginning key.
    fn oracle(keys: &[(&str, bool)], text: &str) -> Vec<(u32, usize)> {
        let mut out = Vec::new();
        for range in token_ranges(text.as_bytes()) {
            let token = &text[range.clone()];
            for (e, (k, beginning)) in keys.iter().enumerate() {
                if (*beginning && token.starts_with(k)) || (!beginning && token == *k) {
                    out.push((e as u32, range.start));
                }
            }
        }
        out.sort_unstable();
        out
    }

    #[test]
    fn whole_tokens_and_beginnings() {
        let keys = [("ignore", false), ("instruction", true), ("the", false), ("x", true)];
        let text = "Ignore: ignore the instructions, theme instructor; x-ray ignored";
        assert_eq!(found(&keys, text), vec![(0, 8), (1, 19), (2, 15), (3, 51)]);
        assert_eq!(found(&keys, text), oracle(&keys, text));
        assert_eq!(found(&keys, ""), vec![]);
    }

    #[test]
    fn every_byte_is_classified_as_the_table_says() {
        for b in 0..=255u8 {
            for at in 1..12 {
                let mut text = vec![b'k'; 16];
                text[at] = b;
                let end = if TOKEN_BYTE[usize::from(b)] { 16 } else { at };
                assert_eq!(token_end(&text, 1), end, "byte {b:#x} at {at}");
            }
        }
    }

    #[test]
    fn non_ascii_bytes_separate_tokens() {
        let keys = [("ignore", false), ("all", false)];
        assert_eq!(found(&keys, "ignoreé allё"), vec![(0, 0), (1, 9)]);
    }

    proptest! {
        #[test]
        fn finds_what_splitting_finds(
            keys in prop::collection::vec(("[a-c0]{1,4}", any::<bool>()), 0..12),
            text in "[a-cA-Z0@\\[`{/:9z _.é]{0,40}",
        ) {
            let keys: Vec<(&str, bool)> = keys.iter().map(|(k, b)| (k.as_str(), *b)).collect();
            prop_assert_eq!(found(&keys, &text), oracle(&keys, &text));
        }
    }
}
