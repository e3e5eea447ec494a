//! What a text must hold for a rule's pattern to match it, read from the pattern's syntax
//! tree: whole words (a word of the pattern with a boundary on both sides must be a whole
//! token of the text), word beginnings (a boundary before it only: `instructions?` needs a
//! token that begins with `instruction`) and, for literals with no such word (`<!--`, `gpt` in
//! `[a-z]*gpt`, other scripts), the literal itself anywhere. A concatenation needs all its
//! parts, an alternation one of its branches, a repetition at least once its body; anything
//! else needs nothing.
//!
//! Tokens are runs of ASCII letters and digits (`tokens.rs`); every other byte separates them,
//! so a word of the pattern preceded by a non-letter, a `\b` or the start of the text begins a
//! token wherever the pattern matches. The needs only skip patterns that cannot match: the
//! findings are the same with or without them (a test checks it on every corpus text).

use regex_syntax::hir::{Class, Hir, HirKind, Look};
use rustc_hash::FxHashMap;

use super::tokens::ByteSet;

/// Beginnings shorter than this are not looked for.
const MIN_BEGINNING: usize = 3;

/// Literals of letters and digits shorter than this with no word of their own are not looked
/// for (a literal with another byte is: the byte triggers its rule).
const MIN_TEXT: usize = 3;

/// What a text must hold.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Need {
    Nothing,
    /// A token, or a token's beginning (see [`Needs::words`]).
    Word(u32),
    /// A literal anywhere in the text (see [`Needs::texts`]).
    Text(u32),
    /// One of a group of words (an alternation of words, read as one bit).
    Group(u32),
    Any(Vec<Need>),
    All(Vec<Need>),
}

impl Need {
    fn all(parts: Vec<Need>) -> Need {
        let mut flat = Vec::with_capacity(parts.len());
        for part in parts {
            match part {
                Need::Nothing => {}
                Need::All(inner) => flat.extend(inner),
                other => flat.push(other),
            }
        }
        flat.dedup();
        match flat.len() {
            0 => Need::Nothing,
            1 => flat.remove(0),
            _ => Need::All(flat),
        }
    }

    fn any(branches: Vec<Need>) -> Need {
        if branches.is_empty() || branches.contains(&Need::Nothing) {
            return Need::Nothing;
        }
        let mut branches = branches;
        branches.dedup();
        if branches.len() == 1 {
            return branches.remove(0);
        }
        Need::Any(branches)
    }
}

/// One test of a need's flowchart, and where to go when it holds and when not ([`MET`],
/// [`UNMET`] or another step). The test is a bit of [`Held`]'s words (the words, then the
/// groups), or with [`TEXT`], a literal to search for.
#[derive(Debug, Clone, Copy)]
struct Step {
    test: u32,
    then: u32,
    otherwise: u32,
}

/// The bit of a step's test that makes it a literal's.
const TEXT: u32 = 1 << 31;

/// The bit of an entry of [`Needs::found_sets`] that makes it a rule's rank.
const TRIGGER: u32 = 1 << 31;

/// The ends of a flowchart.
const MET: u32 = u32::MAX;
const UNMET: u32 = u32::MAX - 1;

/// A word of the needs: its bytes and whether a token need only begin with it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct Word {
    pub bytes: Vec<u8>,
    pub prefix: bool,
}

/// Every rule's need.
pub(super) struct Needs {
    /// The words the token pass looks for.
    pub words: Vec<Word>,
    /// The literals looked for anywhere (when a rule gets that far).
    texts: Vec<memchr::memmem::Finder<'static>>,
    /// For each literal, its bytes other than letters and digits: a text without one of them
    /// is not searched.
    text_bytes: Vec<ByteSet>,
    /// Each rule's need as a flowchart: where in [`Needs::steps`] it starts.
    rules: Vec<u32>,
    steps: Vec<Step>,
    /// The rules in the order they are tried (`order[rank]` is a rule), and each rule's rank.
    order: Vec<usize>,
    rank: Vec<u32>,
    /// For each word, what finding it sets, from `found_starts[word]` to
    /// `found_starts[word + 1]` of `found_sets` (in one array, so a word costs one look-up):
    /// the ranks of the rules it triggers (with [`TRIGGER`]), then the groups it is in (as
    /// bits of [`Held`]'s words). A rule's need is read only once one of its triggers is
    /// found, a set of words (or bytes, for literals) one of which every text meeting the
    /// need holds.
    found_starts: Vec<u32>,
    found_sets: Vec<u32>,
    /// For each byte that triggers rules, their ranks.
    byte_triggers: Vec<(u8, Vec<u32>)>,
    groups: usize,
    /// The ranks of the rules with no such set (their need is read on every text), as bits.
    untriggered: Vec<u64>,
}

/// What one text holds, as far as it has been asked: bits in one buffer, made once a text.
pub(super) struct Held<'t> {
    /// The words the token pass found (and after them, the groups one of whose words it
    /// found), from word 0; from `triggered`, the ranks of the rules they triggered; from
    /// `searched`, the literals searched for; from `found`, those found.
    bits: Vec<u64>,
    triggered: usize,
    searched: usize,
    found: usize,
    text: &'t [u8],
    /// The bytes other than ASCII letters and digits the text holds (all, until the token
    /// pass has said).
    seen: ByteSet,
}

/// Bit `i` of the set that starts at word `at` of `bits`.
#[inline(always)]
fn get(bits: &[u64], at: usize, i: u32) -> bool {
    bits.get(at + (i / 64) as usize).is_some_and(|w| w >> (i % 64) & 1 != 0)
}

/// Sets bit `i` of the set that starts at word `at` of `bits`; whether it was not set.
#[inline(always)]
fn set(bits: &mut [u64], at: usize, i: u32) -> bool {
    let Some(w) = bits.get_mut(at + (i / 64) as usize) else { return false };
    let new = *w >> (i % 64) & 1 == 0;
    *w |= 1 << (i % 64);
    new
}

impl Needs {
    /// The needs of `patterns` (as compiled, in rule order), to be tried in `order` (every
    /// rule once); a pattern that does not parse needs nothing.
    pub(super) fn build(patterns: &[String], order: &[usize]) -> Needs {
        let mut rank = vec![0u32; patterns.len()];
        for (r, &rule) in order.iter().enumerate() {
            rank[rule] = r as u32;
        }
        let mut reader = Reader::default();
        let needs: Vec<Need> = patterns
            .iter()
            .map(|p| {
                let need = regex_syntax::parse(p).map_or(Need::Nothing, |hir| reader.need(&hir, false, false));
                reader.grouped(need)
            })
            .collect();
        let texts = reader.texts.iter().map(|t| memchr::memmem::Finder::new(t).into_owned()).collect();
        let text_bytes = reader.texts.iter().map(|t| ByteSet::of(t.iter().copied().filter(|b| !b.is_ascii_alphanumeric()))).collect();
        // A trigger past the words is a byte, for the literals (see [`Needs::bytes`]).
        let mut triggers = vec![Vec::new(); reader.words.len() + 256];
        let mut untriggered = vec![0u64; needs.len().div_ceil(64)];
        for (rule, need) in needs.iter().enumerate() {
            match reader.trigger_set(need) {
                Some(words) => words.into_iter().for_each(|w| triggers[w as usize].push(rank[rule])),
                None => _ = set(&mut untriggered, 0, rank[rule]),
            }
        }
        let byte_triggers = triggers
            .split_off(reader.words.len())
            .into_iter()
            .enumerate()
            .filter(|(_, r)| !r.is_empty())
            .map(|(b, r)| (b as u8, r))
            .collect();
        let mut steps = Vec::new();
        let rules = needs.iter().map(|need| reader.chart(need, MET, UNMET, &mut steps)).collect();
        let mut groups_of = vec![Vec::new(); reader.words.len()];
        for (group, words) in reader.groups.iter().enumerate() {
            words.iter().for_each(|&w| groups_of[w as usize].push((reader.words.len() + group) as u32));
        }
        let order = order.to_vec();
        let (mut found_starts, mut found_sets) = (vec![0], Vec::new());
        for (ranks, groups) in triggers.iter().zip(&groups_of) {
            found_sets.extend(ranks.iter().map(|&rank| TRIGGER | rank).chain(groups.iter().copied()));
            found_starts.push(found_sets.len() as u32);
        }
        Needs {
            words: reader.words,
            texts,
            text_bytes,
            rules,
            steps,
            order,
            rank,
            found_starts,
            found_sets,
            byte_triggers,
            untriggered,
            groups: reader.groups.len(),
        }
    }

    /// A record for `text` with no word found yet.
    pub(super) fn held<'t>(&self, text: &'t [u8]) -> Held<'t> {
        let triggered = (self.words.len() + self.groups).div_ceil(64);
        let searched = triggered + self.rules.len().div_ceil(64);
        let found = searched + self.texts.len().div_ceil(64);
        let bits = vec![0; found + self.texts.len().div_ceil(64)];
        Held { bits, triggered, searched, found, text, seen: ByteSet::ALL }
    }

    /// The rules whose need is worth reading in the text of `held` (one of their triggers
    /// occurs, or they have none), in the order they are tried.
    pub(super) fn candidates(&self, held: &Held<'_>) -> Vec<usize> {
        let triggered = held.bits.get(held.triggered..held.searched).unwrap_or_default();
        let mut out = Vec::with_capacity(16);
        for (w, (&t, &u)) in triggered.iter().zip(&self.untriggered).enumerate() {
            let mut bits = t | u;
            while bits != 0 {
                out.extend(self.order.get(w * 64 + bits.trailing_zeros() as usize));
                bits &= bits - 1;
            }
        }
        out
    }

    /// Whether rule `rule` is among the candidates.
    fn tried(&self, rule: usize, held: &Held<'_>) -> bool {
        let rank = self.rank.get(rule).copied().unwrap_or(0);
        get(&held.bits, held.triggered, rank) || get(&self.untriggered, 0, rank)
    }

    /// Records the bytes other than letters and digits that the text of `held` holds, for the
    /// rules a literal triggers.
    pub(super) fn bytes(&self, seen: ByteSet, held: &mut Held<'_>) {
        held.seen = seen;
        for (_, ranks) in self.byte_triggers.iter().filter(|(b, _)| seen.contains(*b)) {
            ranks.iter().for_each(|&rank| _ = set(&mut held.bits, held.triggered, rank));
        }
    }

    /// Records that word `word` occurs in the text of `held`.
    #[inline]
    pub(super) fn found(&self, word: u32, held: &mut Held<'_>) {
        if set(&mut held.bits, 0, word) {
            let at = |w: usize| self.found_starts.get(w).map_or(0, |&s| s as usize);
            for &set_too in self.found_sets.get(at(word as usize)..at(word as usize + 1)).unwrap_or_default() {
                match set_too & TRIGGER {
                    0 => set(&mut held.bits, 0, set_too),
                    _ => set(&mut held.bits, held.triggered, set_too & !TRIGGER),
                };
            }
        }
    }

    /// Whether rule `rule`'s pattern can match the text of `held`.
    pub(super) fn met(&self, rule: usize, held: &mut Held<'_>) -> bool {
        self.tried(rule, held) && self.holds_for(rule, held)
    }

    /// Whether the need of rule `rule`, one of the [`Needs::candidates`], holds in the text of
    /// `held`.
    pub(super) fn holds_for(&self, rule: usize, held: &mut Held<'_>) -> bool {
        let Some(&(mut at)) = self.rules.get(rule) else { return true };
        while let Some(step) = self.steps.get(at as usize) {
            at = if self.holds(step.test, held) { step.then } else { step.otherwise };
        }
        at == MET
    }

    #[inline]
    fn holds(&self, test: u32, held: &mut Held<'_>) -> bool {
        if test & TEXT == 0 {
            return get(&held.bits, 0, test);
        }
        let id = test & !TEXT;
        if set(&mut held.bits, held.searched, id) {
            let (Some(finder), Some(needed)) = (self.texts.get(id as usize), self.text_bytes.get(id as usize)) else { return false };
            // A literal with a byte the text does not hold is not searched for.
            if held.seen.holds_all(needed) && finder.find(held.text).is_some() {
                set(&mut held.bits, held.found, id);
            }
        }
        get(&held.bits, held.found, id)
    }
}

/// The byte of `literal` (not a letter or digit) that text holds least often, as a guess: a
/// byte of another script, then a sign, then a space, dot, comma, hyphen or quote.
fn rarest_byte(literal: &[u8]) -> Option<u8> {
    literal.iter().copied().filter(|b| !b.is_ascii_alphanumeric()).min_by_key(|&b| rank(b))
}

/// How common a byte other than a letter or digit is, as a guess: 0 for a byte of another
/// script, 1 for a sign, 2 for a space, dot, comma, hyphen or quote.
fn rank(b: u8) -> u8 {
    match b {
        0x80.. => 0,
        b' ' | b'.' | b',' | b'-' | b'\'' | b'"' => 2,
        _ => 1,
    }
}

/// Reads needs from syntax trees, numbering the words and literals.
#[derive(Default)]
struct Reader {
    words: Vec<Word>,
    word_ids: FxHashMap<Word, u32>,
    texts: Vec<Vec<u8>>,
    text_ids: FxHashMap<Vec<u8>, u32>,
    /// The groups' words.
    groups: Vec<Vec<u32>>,
}

impl Reader {
    /// Words one of which every text meeting `need` holds (none when a branch needs no word;
    /// a literal's rarest byte is `words.len()` past the byte): for a concatenation, the part
    /// whose words are longest (the rarest, as a rule).
    fn trigger_set(&self, need: &Need) -> Option<Vec<u32>> {
        let words = self.words.len();
        match need {
            Need::Nothing => None,
            Need::Text(id) => rarest_byte(&self.texts[*id as usize]).map(|b| vec![(words + usize::from(b)) as u32]),
            Need::Word(id) => Some(vec![*id]),
            Need::Group(id) => Some(self.groups.get(*id as usize)?.clone()),
            Need::Any(branches) => {
                let mut all = Vec::new();
                for branch in branches {
                    all.extend(self.trigger_set(branch)?);
                }
                all.sort_unstable();
                all.dedup();
                Some(all)
            }
            Need::All(parts) => {
                // A byte of a literal counts as a word of five letters (another script's), three
                // (a sign) or none.
                let length = |w: u32| match self.words.get(w as usize) {
                    Some(word) => word.bytes.len(),
                    None => [5, 3, 0][usize::from(rank((w as usize - words) as u8))],
                };
                let shortest = |set: &Vec<u32>| set.iter().map(|&w| length(w)).min().unwrap_or(0);
                parts.iter().filter_map(|p| self.trigger_set(p)).max_by_key(|set| (shortest(set), std::cmp::Reverse(set.len())))
            }
        }
    }

    /// Appends `need`'s flowchart to `steps`, going to `met` when it holds and to `unmet`
    /// when not; returns where it starts. A concatenation tests its rarest parts first (so
    /// most fail at once), an alternation its branches in order.
    fn chart(&self, need: &Need, met: u32, unmet: u32, steps: &mut Vec<Step>) -> u32 {
        let mut step = |test: u32| {
            steps.push(Step { test, then: met, otherwise: unmet });
            steps.len() as u32 - 1
        };
        match need {
            Need::Nothing => met,
            Need::Word(id) => step(*id),
            Need::Group(id) => step((self.words.len() as u32) + *id),
            Need::Text(id) => step(TEXT | *id),
            Need::All(parts) => {
                let mut parts: Vec<&Need> = parts.iter().collect();
                parts.sort_by_key(|p| std::cmp::Reverse(self.strength(p)));
                parts.iter().rev().fold(met, |next, part| self.chart(part, next, unmet, steps))
            }
            Need::Any(branches) => branches.iter().rev().fold(unmet, |next, branch| self.chart(branch, met, next, steps)),
        }
    }

    /// How rare a text meeting `need` is, as a guess: the length of the shortest word it
    /// may be met with (a literal, none).
    fn strength(&self, need: &Need) -> usize {
        let length = |w: &u32| self.words.get(*w as usize).map_or(0, |w| w.bytes.len());
        match need {
            Need::Nothing | Need::Text(_) => 0,
            Need::Word(w) => length(w),
            Need::Group(g) => self.groups.get(*g as usize).and_then(|g| g.iter().map(length).min()).unwrap_or(0),
            Need::All(parts) => parts.iter().map(|p| self.strength(p)).max().unwrap_or(0),
            Need::Any(branches) => branches.iter().map(|b| self.strength(b)).min().unwrap_or(0),
        }
    }

    /// `need` with each alternation of words as a group.
    fn grouped(&mut self, need: Need) -> Need {
        match need {
            Need::Any(branches) if branches.iter().all(|b| matches!(b, Need::Word(_))) => {
                let words = branches.iter().filter_map(|b| if let Need::Word(w) = b { Some(*w) } else { None }).collect();
                self.groups.push(words);
                Need::Group(self.groups.len() as u32 - 1)
            }
            Need::Any(branches) => Need::Any(branches.into_iter().map(|b| self.grouped(b)).collect()),
            Need::All(parts) => Need::All(parts.into_iter().map(|p| self.grouped(p)).collect()),
            other => other,
        }
    }

    fn word(&mut self, bytes: &[u8], prefix: bool) -> Need {
        let word = Word { bytes: bytes.to_vec(), prefix };
        let next = self.words.len() as u32;
        let id = *self.word_ids.entry(word.clone()).or_insert(next);
        if id == next {
            self.words.push(word);
        }
        Need::Word(id)
    }

    fn text(&mut self, bytes: &[u8]) -> Need {
        let next = self.texts.len() as u32;
        let id = *self.text_ids.entry(bytes.to_vec()).or_insert(next);
        if id == next {
            self.texts.push(bytes.to_vec());
        }
        Need::Text(id)
    }

    /// The need of `hir`, where `left` says a match of it is preceded by a boundary (no
    /// letter or digit right before), and `right` that one follows it.
    fn need(&mut self, hir: &Hir, left: bool, right: bool) -> Need {
        match hir.kind() {
            HirKind::Literal(literal) => self.literal(&literal.0, left, right),
            HirKind::Capture(capture) => self.need(&capture.sub, left, right),
            HirKind::Repetition(rep) if rep.min >= 1 => {
                // The first copy: what follows it is another copy or what follows them all.
                let right = right && (rep.max == Some(1) || apart(&rep.sub, true));
                self.need(&rep.sub, left, right)
            }
            HirKind::Concat(parts) => {
                let mut needs = Vec::with_capacity(parts.len());
                for (i, part) in parts.iter().enumerate() {
                    let left = bounded(parts[..i].iter().rev(), left, false);
                    let right = bounded(parts[i + 1..].iter(), right, true);
                    needs.push(self.need(part, left, right));
                }
                Need::all(needs)
            }
            HirKind::Alternation(branches) => {
                let branches = branches.iter().map(|b| self.need(b, left, right)).collect();
                Need::any(branches)
            }
            _ => Need::Nothing,
        }
    }

    /// A literal's need: each run of letters and digits in it that is bounded on both sides is
    /// a whole token; one bounded before only, a token's beginning. A literal with neither (of
    /// at least [`MIN_TEXT`] bytes) is needed as it is.
    fn literal(&mut self, bytes: &[u8], left: bool, right: bool) -> Need {
        let mut parts = Vec::new();
        for token in super::tokens::token_ranges(bytes) {
            let bounded_before = token.start > 0 || left;
            let bounded_after = token.end < bytes.len() || right;
            // A beginning of one or two letters is in almost every text: not worth a probe.
            if bounded_before && (bounded_after || token.len() >= MIN_BEGINNING) {
                parts.push(self.word(&bytes[token], !bounded_after));
            }
        }
        let signs = bytes.iter().any(|&b| rank(b) < 2);
        if parts.is_empty() && (signs || (bytes.len() >= MIN_TEXT && bytes.iter().any(u8::is_ascii_alphanumeric))) {
            parts.push(self.text(bytes));
        }
        Need::all(parts)
    }
}

/// Is a boundary (no letter or digit on the far side of a letter or digit) where `parts`
/// begin, read outwards (`first`: the parts after a place, in order; else the parts before it,
/// last first)? It is where an ASCII word boundary, or the text's start or end, is asserted,
/// or where the first part that matches something begins (ends) with another byte; `outer`
/// when every part may match nothing.
fn bounded<'h>(parts: impl Iterator<Item = &'h Hir>, outer: bool, first: bool) -> bool {
    for part in parts {
        match part.kind() {
            HirKind::Look(Look::WordAscii | Look::Start | Look::End) => return true,
            HirKind::Look(_) => continue,
            _ if !apart(part, first) => return false,
            _ if !may_be_empty(part) => return true,
            _ => {}
        }
    }
    outer
}

/// Does every match of `hir` that is not empty begin (`first`) or end with a byte that is not
/// an ASCII letter or digit?
fn apart(hir: &Hir, first: bool) -> bool {
    match hir.kind() {
        HirKind::Literal(literal) => {
            let byte = if first { literal.0.first() } else { literal.0.last() };
            byte.is_none_or(|b| !b.is_ascii_alphanumeric())
        }
        HirKind::Class(class) => class_apart(class),
        HirKind::Capture(capture) => apart(&capture.sub, first),
        HirKind::Repetition(rep) => apart(&rep.sub, first),
        HirKind::Alternation(branches) => branches.iter().all(|b| apart(b, first)),
        HirKind::Concat(parts) => match first {
            true => bounded(parts.iter(), true, true),
            false => bounded(parts.iter().rev(), true, false),
        },
        HirKind::Empty | HirKind::Look(_) => true,
    }
}

/// May `hir` match the empty string?
fn may_be_empty(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Literal(literal) => literal.0.is_empty(),
        HirKind::Class(_) => false,
        HirKind::Capture(capture) => may_be_empty(&capture.sub),
        HirKind::Repetition(rep) => rep.min == 0 || may_be_empty(&rep.sub),
        HirKind::Alternation(branches) => branches.iter().any(may_be_empty),
        HirKind::Concat(parts) => parts.iter().all(may_be_empty),
        HirKind::Empty | HirKind::Look(_) => true,
    }
}

/// Does `class` hold no ASCII letter or digit?
fn class_apart(class: &Class) -> bool {
    let alnum = |lo: u32, hi: u32| [(0x30, 0x39), (0x41, 0x5a), (0x61, 0x7a)].iter().any(|&(a, b)| lo <= b && a <= hi);
    match class {
        Class::Unicode(c) => !c.ranges().iter().any(|r| alnum(u32::from(r.start()), u32::from(r.end()))),
        Class::Bytes(c) => !c.ranges().iter().any(|r| alnum(u32::from(r.start()), u32::from(r.end()))),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    /// Whether `pattern`'s need is met by `text`, with tokens found naively.
    fn open(pattern: &str, text: &str) -> bool {
        let needs = Needs::build(&[super::super::super::ascii_boundaries(pattern)], &[0]);
        let mut held = needs.held(text.as_bytes());
        let tokens: Vec<&str> = text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|t| !t.is_empty()).collect();
        for (id, word) in needs.words.iter().enumerate() {
            let bytes = std::str::from_utf8(&word.bytes).unwrap();
            if tokens.iter().any(|t| if word.prefix { t.starts_with(bytes) } else { *t == bytes }) {
                needs.found(id as u32, &mut held);
            }
        }
        let (_, seen) = super::super::tokens::TokenIndex::build(&[]).each(text.as_bytes(), &mut Vec::new(), |_, _| {});
        needs.bytes(seen, &mut held);
        needs.met(0, &mut held)
    }

    #[test]
    fn bounded_words_are_whole_tokens() {
        let p = r"\b(ignore|forget)\b[^.]{0,20}\b(previous|prior) (rules|instructions?)\b|\bnew rules:";
        assert!(open(p, "please ignore all prior rules"));
        assert!(open(p, "forget previous instruction"));
        assert!(open(p, "here are the new rules: none"));
        assert!(!open(p, "ignore the noise"));
        assert!(!open(p, "ignored prior rules"), "ignored is not ignore");
        assert!(!open(p, "previous rules apply"));
    }

    #[test]
    fn a_word_without_a_boundary_after_is_a_beginning() {
        assert!(open(r"\bhesitat\w* to answer", "hesitating to answer"));
        assert!(open(r"\binstructions?\b", "instructions"));
        assert!(!open(r"\binstructions?\b", "the instructor"));
    }

    #[test]
    fn literals_without_words_are_needed_anywhere() {
        let p = r"[a-z]*(gpt|bot)\b|<!--";
        assert!(open(p, "chatgpt"));
        assert!(open(p, "<!-- x"));
        assert!(!open(p, "a chat"));
        assert!(open(r"забудь(те)? вс[её]", "забудьте всё"));
        assert!(!open(r"забудь(те)? вс[её]", "forget all"));
    }

    #[test]
    fn patterns_without_literals_always_run() {
        assert!(open(r"[a-z]{3}\d+", "anything"));
        assert!(open(r"(?:x)?|ab", "zzz"));
    }
}
