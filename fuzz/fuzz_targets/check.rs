//! Fuzzes the whole front end: lexer, parser, resolver, type checker and lints on arbitrary
//! bytes. Run with `cargo +nightly fuzz run check` from `fuzz/`.
#![no_main]

use aisecops_compiler::{check_set, SourceFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let checked = check_set(&[SourceFile { name: "fuzz.agp".into(), text }]);
    for d in &checked.diagnostics {
        let file = &checked.files[d.primary.file.0 as usize];
        assert!(d.primary.span.end <= file.text.len());
    }
});
