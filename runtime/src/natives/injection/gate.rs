//! The literal gate of the rules: from each rule's pattern, the literals any match must
//! contain (found by the engine's word pass), so a pattern that cannot match is
//! not run. A pattern's need is read from its syntax tree: a concatenation needs all its
//! parts, an alternation one of its branches, a repetition at least once its body, a literal
//! (of three bytes or more) itself; anything else (a class, a look-around, an optional part, a
//! short literal) needs nothing. The gate only skips patterns that cannot match, so findings
//! are the same with or without it (a test checks it on every corpus text).

use regex_syntax::hir::{Hir, HirKind};
use rustc_hash::FxHashMap;

/// Shorter literals occur in almost any text: not worth looking for.
const MIN_LITERAL: usize = 3;

/// Literals this short (spaces aside) are left out of a concatenation that needs something
/// else too.
const WEAK_LITERAL: usize = 4;

/// What a text must contain for a pattern to match it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Need {
    Nothing,
    Literal(u32),
    /// One of a group of literals (an alternation of literals, checked at once).
    Group(u32),
    Any(Vec<Need>),
    All(Vec<Need>),
}

impl Need {
    fn all(parts: Vec<Need>) -> Need {
        let mut parts: Vec<Need> = parts.into_iter().filter(|p| *p != Need::Nothing).collect();
        match parts.len() {
            0 => Need::Nothing,
            1 => parts.remove(0),
            _ => Need::All(parts),
        }
    }

    fn any(branches: Vec<Need>) -> Need {
        if branches.is_empty() || branches.contains(&Need::Nothing) {
            return Need::Nothing;
        }
        Need::Any(branches)
    }

    fn met(&self, found: &Bits, groups: &Bits) -> bool {
        match self {
            Need::Nothing => true,
            Need::Literal(id) => found.get(*id),
            Need::Group(id) => groups.get(*id),
            Need::Any(branches) => branches.iter().any(|b| b.met(found, groups)),
            Need::All(parts) => parts.iter().all(|p| p.met(found, groups)),
        }
    }
}

pub(super) struct Gate {
    /// The literals, for the engine's word pass.
    pub literals: Vec<Vec<u8>>,
    /// Whether a need refers to each literal.
    wanted: Vec<bool>,
    /// Each rule's need.
    needs: Vec<Need>,
    /// For each literal, the groups it is in.
    groups_of: Vec<Vec<u32>>,
    groups: usize,
}

/// The literals found in a text, and the groups they complete.
pub(super) struct Found<'g> {
    gate: &'g Gate,
    literals: Bits,
    groups: Bits,
}

impl Found<'_> {
    /// Whether rule `rule`'s pattern can match a text in which these literals occur.
    pub(super) fn allows(&self, rule: usize) -> bool {
        self.gate.allows(rule, self)
    }

    /// Literal `id` occurs.
    pub(super) fn add(&mut self, id: u32) {
        if self.literals.set(id) {
            for &g in &self.gate.groups_of[id as usize] {
                self.groups.set(g);
            }
        }
    }
}

/// The literals and groups of the needs being built, each literal once.
/// A set of small numbers, one bit each.
pub(super) struct Bits {
    /// Sets of up to `64 * INLINE` numbers (every set the engine makes per text) live here,
    /// so making one costs no allocation.
    inline: [u64; INLINE],
    heap: Vec<u64>,
}

const INLINE: usize = 32;

impl Bits {
    pub(super) fn new(len: usize) -> Bits {
        let words = len.div_ceil(64);
        Bits { inline: [0; INLINE], heap: if words > INLINE { vec![0; words] } else { Vec::new() } }
    }

    fn words(&self) -> &[u64] {
        if self.heap.is_empty() {
            &self.inline
        } else {
            &self.heap
        }
    }

    /// Adds `i`; whether it was new.
    pub(super) fn set(&mut self, i: u32) -> bool {
        let words = if self.heap.is_empty() { &mut self.inline[..] } else { &mut self.heap[..] };
        let (word, bit) = ((i / 64) as usize, 1u64 << (i % 64));
        let Some(w) = words.get_mut(word) else { return false };
        let new = *w & bit == 0;
        *w |= bit;
        new
    }

    pub(super) fn get(&self, i: u32) -> bool {
        self.words().get((i / 64) as usize).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
}

#[derive(Default)]
struct Literals {
    index: FxHashMap<Vec<u8>, u32>,
    texts: Vec<Vec<u8>>,
    groups_of: Vec<Vec<u32>>,
    groups: u32,
}

impl Literals {
    fn id(&mut self, literal: &[u8]) -> u32 {
        if let Some(&at) = self.index.get(literal) {
            return at;
        }
        let id = self.texts.len() as u32;
        self.index.insert(literal.to_vec(), id);
        self.texts.push(literal.to_vec());
        self.groups_of.push(Vec::new());
        id
    }

    /// `branches` as one group when they are all literals.
    fn group(&mut self, branches: Vec<Need>) -> Need {
        let ids: Vec<u32> = branches.iter().filter_map(|b| if let Need::Literal(id) = b { Some(*id) } else { None }).collect();
        if ids.len() < 2 || ids.len() < branches.len() {
            return Need::any(branches);
        }
        let group = self.groups;
        self.groups += 1;
        for id in ids {
            self.groups_of[id as usize].push(group);
        }
        Need::Group(group)
    }

    fn need(&mut self, hir: &Hir) -> Need {
        match hir.kind() {
            HirKind::Literal(literal) if literal.0.len() >= MIN_LITERAL => Need::Literal(self.id(&literal.0)),
            HirKind::Capture(capture) => self.need(&capture.sub),
            HirKind::Repetition(repetition) if repetition.min >= 1 => self.need(&repetition.sub),
            HirKind::Concat(parts) => {
                let parts: Vec<Need> = parts.iter().map(|p| self.need(p)).collect();
                // A short literal ("the ", " and") is in almost every text: when the
                // concatenation needs something rarer too, looking for it gains nothing.
                let weak = |p: &Need| matches!(p, Need::Literal(id) if self.texts[*id as usize].trim_ascii().len() <= WEAK_LITERAL);
                let strong = parts.iter().any(|p| *p != Need::Nothing && !weak(p));
                Need::all(if strong { parts.into_iter().filter(|p| !weak(p)).collect() } else { parts })
            }
            HirKind::Alternation(branches) => {
                let branches = branches.iter().map(|b| self.need(b)).collect();
                self.group(branches)
            }
            _ => Need::Nothing,
        }
    }
}

impl Gate {
    /// The gate of `patterns` (as compiled, in rule order); a pattern that does not parse
    /// needs nothing.
    pub(super) fn build(patterns: &[String]) -> Gate {
        let mut literals = Literals::default();
        let needs: Vec<Need> =
            patterns.iter().map(|pattern| regex_syntax::parse(pattern).map_or(Need::Nothing, |hir| literals.need(&hir))).collect();
        let (mut direct, mut groups) = (Bits::new(literals.texts.len()), Bits::new(literals.groups as usize));
        let mut stack: Vec<&Need> = needs.iter().collect();
        while let Some(need) = stack.pop() {
            match need {
                Need::Nothing => {}
                Need::Literal(id) => _ = direct.set(*id),
                Need::Group(id) => _ = groups.set(*id),
                Need::Any(parts) | Need::All(parts) => stack.extend(parts),
            }
        }
        let wanted = (0..literals.texts.len() as u32)
            .map(|id| direct.get(id) || literals.groups_of[id as usize].iter().any(|&g| groups.get(g)))
            .collect();
        Gate { literals: literals.texts, wanted, needs, groups_of: literals.groups_of, groups: literals.groups as usize }
    }

    /// Whether some need still refers to literal `id` (one left out of every concatenation
    /// need not be looked for).
    pub(super) fn wanted(&self, id: usize) -> bool {
        self.wanted.get(id).copied().unwrap_or(false)
    }

    /// An empty record of the literals found in a text.
    pub(super) fn found(&self) -> Found<'_> {
        Found { gate: self, literals: Bits::new(self.literals.len()), groups: Bits::new(self.groups) }
    }

    /// Whether rule `rule`'s pattern can match a text in which the literals in `found` occur.
    pub(super) fn allows(&self, rule: usize, found: &Found<'_>) -> bool {
        self.needs.get(rule).is_none_or(|need| need.met(&found.literals, &found.groups))
    }

    #[cfg(test)]
    pub(super) fn open(&self, text: &str) -> Vec<bool> {
        let automaton = aho_corasick::AhoCorasick::new(&self.literals).expect("the literals' automaton builds");
        let mut found = self.found();
        for m in automaton.find_overlapping_iter(text) {
            found.add(m.pattern().as_u32());
        }
        (0..self.needs.len()).map(|rule| self.allows(rule, &found)).collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    fn gate(pattern: &str) -> Gate {
        Gate::build(&[pattern.to_owned()])
    }

    #[test]
    fn every_part_of_an_alternative_is_needed() {
        let g = gate(r"\b(ignore|forget)\b[^.]{0,20}\b(previous|prior) (rules|instructions)\b|\bnew rules:");
        assert!(g.open("please ignore all prior rules")[0]);
        assert!(g.open("here are the new rules: none")[0]);
        assert!(!g.open("ignore the noise")[0]);
        assert!(!g.open("previous rules apply")[0]);
    }

    #[test]
    fn patterns_without_literals_always_run() {
        assert!(gate(r"[a-z]{3}\d+").open("anything")[0]);
        assert!(gate(r"(?:x)?|ab").open("zzz")[0]);
    }
}
