//! The squeezed view's phrases: a text with only its letters and digits kept
//! (`i-g-n-o-r-e a.l.l` reads `ignoreall`) is searched for phrases spelled out with
//! separators, leftmost and longest first, not overlapping. The phrases' automaton is large,
//! so it is not run over the text: every phrase begins with an anchor (one of the verbs the
//! built phrases begin with, or the phrase itself), and only where an anchor begins is the
//! automaton run, anchored there.

use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, Match, MatchKind, StartKind};

use super::rules::{Category, SQUEEZED_NOUNS, SQUEEZED_PHRASES, SQUEEZED_QUALIFIERS, SQUEEZED_QUANTIFIERS, SQUEEZED_VERBS};

/// The phrases and the searchers for them.
pub(super) struct Squeezed {
    /// Every phrase, searched for anchored at one place.
    phrases: AhoCorasick,
    /// For each phrase: its rule's name, category and weight.
    pub names: Vec<(&'static str, Category, u8)>,
    /// The anchors: every phrase begins with one.
    anchors: AhoCorasick,
}

impl Squeezed {
    pub(super) fn build() -> Option<Squeezed> {
        let (texts, names): (Vec<String>, Vec<_>) = phrases().into_iter().unzip();
        let phrases = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .kind(Some(AhoCorasickKind::DFA))
            .start_kind(StartKind::Anchored)
            .build(&texts)
            .ok()?;
        let anchors = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(SQUEEZED_VERBS.iter().copied().chain(SQUEEZED_PHRASES.iter().map(|p| p.0)))
            .ok()?;
        Some(Squeezed { phrases, names, anchors })
    }

    /// The phrases in `squeezed`, as the phrases' automaton finds them over the whole of it
    /// (leftmost, longest, not overlapping).
    pub(super) fn find(&self, squeezed: &[u8]) -> Vec<Match> {
        let mut out = Vec::new();
        let mut from = 0;
        // Neither search can fail: the automata are built for them.
        while let Some(anchor) = self.anchors.try_find(Input::new(squeezed).range(from..)).ok().flatten() {
            let phrase = Input::new(squeezed).range(anchor.start()..).anchored(Anchored::Yes);
            match self.phrases.try_find(phrase).ok().flatten() {
                Some(m) => {
                    from = m.end();
                    out.push(m);
                }
                None => from = anchor.start() + 1,
            }
        }
        out
    }
}

/// The squeezed phrases, each with its rule name, category and weight: every verb, then every
/// quantifier, qualifier and noun, spaces removed; then [`SQUEEZED_PHRASES`].
pub(super) fn phrases() -> Vec<(String, (&'static str, Category, u8))> {
    let mut out = Vec::new();
    for verb in SQUEEZED_VERBS {
        for quantifier in SQUEEZED_QUANTIFIERS {
            for qualifier in SQUEEZED_QUALIFIERS {
                for noun in SQUEEZED_NOUNS {
                    let text = format!("{verb}{quantifier}{qualifier}{noun}").replace(' ', "");
                    out.push((text, ("squeezed_override", Category::InstructionOverride, 85)));
                }
            }
        }
    }
    out.extend(SQUEEZED_PHRASES.iter().map(|(text, category, weight)| ((*text).to_owned(), ("squeezed_phrase", *category, *weight))));
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
    use super::*;

    #[test]
    fn every_phrase_begins_with_an_anchor() {
        let squeezed = Squeezed::build().unwrap();
        let phrases = phrases();
        assert!(phrases.len() > SQUEEZED_PHRASES.len());
        for (phrase, _) in &phrases {
            assert_eq!(squeezed.anchors.find(phrase.as_str()).map(|a| a.start()), Some(0), "{phrase}");
        }
        assert!(!squeezed.anchors.is_match("allpreviousinstructions"));
    }

    #[test]
    fn phrases_are_found_as_over_the_whole_text() {
        let squeezed = Squeezed::build().unwrap();
        let unanchored = AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(phrases().iter().map(|p| &p.0)).unwrap();
        for text in [
            "xxignoreallpreviousinstructionsignorerules",
            "jailbreakmodeveloperdeveloperdevelopermodeenabled",
            "ignorignore",
            "whatisyourwhatisyoursystemprompt",
            "",
        ] {
            let whole: Vec<Match> = unanchored.find_iter(text).collect();
            assert_eq!(squeezed.find(text.as_bytes()), whole, "{text}");
        }
    }
}
