//! The formatter: fixtures under `tests/data/format/` are formatted and snapshotted; every
//! `.agp` file of the repository formats idempotently, to the same syntax tree, with the same
//! comments in the same order; and a property test adds comments and whitespace anywhere
//! between tokens of real policies and checks the same three properties.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use aisecops_compiler::syntax::{comments, format, parse};
use proptest::prelude::*;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every `.agp` file under `dir`, sorted.
fn agp_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            agp_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "agp") {
            out.push(p);
        }
    }
}

fn comment_texts(source: &str) -> Vec<String> {
    comments(source).into_iter().map(|c| c.text).collect()
}

/// Formats `source` (which must parse) and checks the three properties; returns the result.
fn check_formats(source: &str, what: &str) -> String {
    let once = format(source).unwrap_or_else(|d| panic!("{what} does not format: {d:?}"));
    let twice = format(&once).unwrap_or_else(|d| panic!("{what}: the formatted text does not parse: {d:?}\n{once}"));
    assert_eq!(twice, once, "{what}: formatting is not idempotent");
    assert_eq!(parse(&once).file, parse(source).file, "{what}: formatting changed the syntax tree\n{once}");
    assert_eq!(comment_texts(&once), comment_texts(source), "{what}: comments were lost or reordered\n{once}");
    once
}

#[test]
fn fixtures_format_as_snapshotted() {
    let mut files = Vec::new();
    agp_files(&root().join("compiler/tests/data/format"), &mut files);
    assert!(!files.is_empty());
    for file in files {
        let source = std::fs::read_to_string(&file).unwrap();
        let formatted = check_formats(&source, &file.display().to_string());
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        insta::assert_snapshot!(name, formatted);
    }
}

#[test]
fn every_policy_in_the_repository_formats() {
    let mut files = Vec::new();
    for dir in ["examples", "stdlib", "tests/data", "compiler/tests/data"] {
        agp_files(&root().join(dir), &mut files);
    }
    let mut formatted = 0;
    for file in &files {
        let source = std::fs::read_to_string(file).unwrap();
        if parse(&source).diagnostics.iter().any(|d| d.is_error()) {
            assert!(format(&source).is_err(), "{} has syntax errors but was formatted", file.display());
            continue;
        }
        check_formats(&source, &file.display().to_string());
        formatted += 1;
    }
    assert!(formatted >= 40, "only {formatted} files formatted");
}

/// The repository's policies that parse, for the property test.
fn sources() -> Vec<String> {
    let mut files = Vec::new();
    for dir in ["examples", "tests/data/audit", "compiler/tests/data/format"] {
        agp_files(&root().join(dir), &mut files);
    }
    files.iter().map(|f| std::fs::read_to_string(f).unwrap()).filter(|s| !parse(s).diagnostics.iter().any(|d| d.is_error())).collect()
}

const INSERTS: &[&str] = &["// a comment\n", " /* block */ ", "\n\n", "   ", "\n// two\n// lines\n", "/* multi\n line */", "\n"];

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// Comments and whitespace added between any two tokens of a real policy: the file still
    /// formats idempotently, to the same tree, keeping every comment in order.
    #[test]
    fn comments_anywhere_survive_formatting(
        which in any::<prop::sample::Index>(),
        inserts in proptest::collection::vec((any::<prop::sample::Index>(), prop::sample::select(INSERTS)), 1..6),
    ) {
        static SOURCES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(sources);
        let mut source = which.get(&SOURCES).clone();
        for (at, text) in inserts {
            let tokens = aisecops_compiler::syntax::lexer::lex(&source).tokens;
            let places: Vec<usize> = tokens.iter().map(|t| t.span.start).chain([source.len()]).collect();
            let i = *at.get(&places);
            // A line comment needs a line of its own to end on.
            source.insert_str(i, text);
        }
        prop_assume!(!parse(&source).diagnostics.iter().any(|d| d.is_error()));
        check_formats(&source, "edited source");
    }
}

#[test]
fn the_repository_policies_are_formatted() {
    let mut files = Vec::new();
    for dir in ["examples", "stdlib", "tests/data/audit"] {
        agp_files(&root().join(dir), &mut files);
    }
    assert!(files.len() >= 15);
    let unformatted: Vec<String> = files
        .iter()
        .filter(|f| {
            let source = std::fs::read_to_string(f).unwrap();
            format(&source).ok().as_deref() != Some(source.as_str())
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(unformatted.is_empty(), "run `aisecops fmt` on: {unformatted:?}");
}
