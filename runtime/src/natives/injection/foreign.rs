//! The lexicon's entries that begin in another script (Cyrillic, Greek, Arabic, CJK, …),
//! found with one automaton. It is run only over the stretches of a text where such an entry
//! can begin: from each place whose first two bytes begin some entry, as far as the longest
//! entry reaches. A text in Latin letters with a few other characters (quotes, dashes, an
//! accent left after normalisation) is read in none or a few short stretches.

use aho_corasick::AhoCorasick;

/// The entries and where they can begin.
pub(super) struct Foreign {
    automaton: AhoCorasick,
    /// The lexicon's number of each of the automaton's entries.
    entries: Vec<usize>,
    /// Bit `first << 8 | second`: some entry begins with these two bytes.
    starts: Vec<u64>,
    /// The longest entry's length in bytes.
    longest: usize,
}

impl Foreign {
    /// The automaton for `entries` (the lexicon's number and text of each; every text begins
    /// with a byte past ASCII).
    pub(super) fn build(entries: &[(usize, &str)]) -> Option<Foreign> {
        let automaton = AhoCorasick::new(entries.iter().map(|(_, text)| text)).ok()?;
        let mut starts = vec![0u64; 1024];
        for (_, text) in entries {
            let key = match text.as_bytes() {
                [first, second, ..] => usize::from(*first) << 8 | usize::from(*second),
                _ => continue,
            };
            starts[key / 64] |= 1 << (key % 64);
        }
        let longest = entries.iter().map(|(_, text)| text.len()).max().unwrap_or(0);
        Some(Foreign { automaton, entries: entries.iter().map(|(entry, _)| *entry).collect(), starts, longest })
    }

    /// Calls `found(entry, start, end)` for every place an entry occurs in `text` (overlapping
    /// ones too), in the order the automaton over the whole text would report them.
    pub(super) fn each(&self, text: &str, mut found: impl FnMut(usize, usize, usize)) {
        let bytes = text.as_bytes();
        let mut from = 0;
        while let Some(start) = self.next_start(bytes, from) {
            // The stretch goes on while another entry may begin before it ends.
            let (mut end, mut last) = (start + self.longest, start);
            while let Some(next) = self.next_start(bytes, last + 1).filter(|&next| next < end) {
                (end, last) = (next + self.longest, next);
            }
            let mut end = end.min(bytes.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            for m in self.automaton.find_overlapping_iter(&text[start..end]) {
                found(self.entries[m.pattern().as_usize()], start + m.start(), start + m.end());
            }
            from = end;
        }
    }

    /// The first place from `from` on where some entry's first two bytes are.
    fn next_start(&self, bytes: &[u8], from: usize) -> Option<usize> {
        let mut i = from;
        loop {
            i += bytes.get(i..)?.iter().position(|&b| b >= 0xc0)?;
            let key = usize::from(bytes[i]) << 8 | usize::from(*bytes.get(i + 1)?);
            if self.starts[key / 64] >> (key % 64) & 1 != 0 {
                return Some(i);
            }
            i += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;
    use proptest::prelude::*;

    const ENTRIES: [(usize, &str); 5] = [(0, "забудь"), (1, "забудь все"), (2, "все"), (3, "忽略"), (4, "é x")];

    fn found(foreign: &Foreign, text: &str) -> Vec<(usize, usize, usize)> {
        let mut out = Vec::new();
        foreign.each(text, |entry, start, end| out.push((entry, start, end)));
        out
    }

    /// What the automaton finds over the whole text.
    fn whole(text: &str) -> Vec<(usize, usize, usize)> {
        let automaton = AhoCorasick::new(ENTRIES.iter().map(|(_, t)| t)).unwrap();
        automaton.find_overlapping_iter(text).map(|m| (ENTRIES[m.pattern().as_usize()].0, m.start(), m.end())).collect()
    }

    #[test]
    fn entries_are_found_in_stretches() {
        let foreign = Foreign::build(&ENTRIES).unwrap();
        let text = "please забудь все and 忽略 it, café x";
        assert_eq!(found(&foreign, text), whole(text));
        assert_eq!(found(&foreign, text).len(), 5);
        assert_eq!(found(&foreign, "plain ascii — with a dash"), vec![]);
    }

    proptest! {
        #[test]
        fn finds_what_the_whole_text_holds(text in "(забудь|все|忽略|é|x| |a|—){0,16}") {
            let foreign = Foreign::build(&ENTRIES).unwrap();
            prop_assert_eq!(found(&foreign, &text), whole(&text));
        }
    }
}
