//! Nothing panics: random bytes, random token streams and mutated policies go through the
//! lexer, parser and checker, which must return diagnostics instead of failing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use aisecops_compiler::syntax::token::KEYWORDS;
use aisecops_compiler::{check_set, SourceFile};
use proptest::prelude::*;

fn check(text: &str) -> usize {
    let checked = check_set(&[SourceFile { name: "fuzz.agp".into(), text: text.to_owned() }]);
    // Every diagnostic points inside the file it names.
    for d in &checked.diagnostics {
        let file = &checked.files[d.primary.file.0 as usize];
        assert!(d.primary.span.end <= file.text.len(), "span {:?} past the end of {}", d.primary.span, file.name);
        assert!(d.primary.span.start <= d.primary.span.end);
    }
    checked.diagnostics.len()
}

const PUNCT: &[&str] =
    &["{", "}", "(", ")", "[", "]", "<", "<=", ">", ">=", "==", "!=", "=", ",", ":", ".", "?", "->", "=>", "+", "-", "*"];
const WORDS: &[&str] = &["x", "args", "send_email", "String", "Email", "\"a@b.c\"", "r\"[a-\"", "12", "1.5", "30m", "high", "List", "Set"];

fn token() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(KEYWORDS.to_vec()).prop_map(str::to_owned),
        prop::sample::select(PUNCT.to_vec()).prop_map(str::to_owned),
        prop::sample::select(WORDS.to_vec()).prop_map(str::to_owned),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, .. ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        check(&String::from_utf8_lossy(&bytes));
    }

    #[test]
    fn random_token_streams_never_panic(tokens in prop::collection::vec(token(), 0..80)) {
        check(&tokens.join(" "));
        check(&format!("policy p\n{}", tokens.join(" ")));
    }

    #[test]
    fn mutated_policies_never_panic(cut in 0usize..2000, insert in prop::sample::select(vec!["", "{", "}", "\"", "rule", "(", "not", "r\"", "/*"])) {
        let source = include_str!("../../examples/support-desk/acme.agp");
        let at = cut.min(source.len());
        let at = (0..=at).rev().find(|i| source.is_char_boundary(*i)).unwrap_or(0);
        let mutated = format!("{}{}{}", &source[..at], insert, &source[at..]);
        check(&mutated);
    }
}

#[test]
fn deep_nesting_does_not_overflow() {
    let depth = 2_000;
    let text = format!("policy p\nconst c: Bool = {}true{}", "(".repeat(depth), ")".repeat(depth));
    check(&text);
    let text = format!("policy p\nconst c: Bool = {}true", "not ".repeat(depth));
    check(&text);
}

#[test]
fn stdlib_is_clean() {
    let checked = check_set(&[]);
    assert!(checked.diagnostics.is_empty(), "{:?}", checked.diagnostics);
}
