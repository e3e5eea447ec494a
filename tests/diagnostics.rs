//! Data-driven diagnostics tests: every fixture under `tests/data/diagnostics/` and every set
//! under `tests/data/sets/` is checked by the `aisecops` binary. The `// expect:` header of each
//! file lists the codes it must produce (in order); the rendered report is an insta snapshot.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn aisecops(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_aisecops")).args(args).env("NO_COLOR", "1").output().expect("run aisecops");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The codes listed on a file's `// expect:` line.
fn expected_codes(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).expect("read fixture");
    let header = text
        .lines()
        .find_map(|l| l.trim().strip_prefix("// expect:"))
        .unwrap_or_else(|| panic!("{} has no `// expect:` header", path.display()));
    header.split(',').map(str::trim).filter(|c| !c.is_empty()).map(str::to_owned).collect()
}

/// `(file, code)` of each diagnostic, in report order.
fn reported(target: &Path) -> Vec<(String, String)> {
    let (code, out) = aisecops(&["check", "--format", "json", target.to_str().expect("utf-8 path")]);
    assert!(code == 0 || code == 1, "exit {code} for {}", target.display());
    let doc: Value = serde_json::from_str(&out).expect("json output");
    doc["diagnostics"]
        .as_array()
        .expect("diagnostics array")
        .iter()
        .map(|d| (d["location"]["file"].as_str().unwrap_or("").to_owned(), d["code"].as_str().unwrap_or("").to_owned()))
        .collect()
}

#[test]
fn diagnostic_fixtures() {
    insta::glob!("data/diagnostics/*.agp", |path| {
        let got: Vec<String> = reported(path).into_iter().map(|(_, c)| c).collect();
        assert_eq!(got, expected_codes(path), "codes for {}", path.display());
        let (_, human) = aisecops(&["check", path.to_str().expect("utf-8 path")]);
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        insta::assert_snapshot!(human.replace(path.to_str().unwrap_or(""), name));
    });
}

#[test]
fn policy_set_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sets");
    let mut sets: Vec<PathBuf> =
        std::fs::read_dir(&root).expect("sets dir").filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.is_dir()).collect();
    sets.sort();
    assert!(!sets.is_empty());
    for set in sets {
        let got = reported(&set);
        let mut files: Vec<PathBuf> = std::fs::read_dir(&set)
            .expect("set")
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "agp"))
            .collect();
        files.sort();
        for file in files {
            let mine: Vec<String> = got.iter().filter(|(f, _)| Path::new(f) == file).map(|(_, c)| c.clone()).collect();
            assert_eq!(mine, expected_codes(&file), "codes for {}", file.display());
        }
    }
}

#[test]
fn every_code_has_a_fixture() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/diagnostics");
    let mut covered = std::collections::BTreeSet::new();
    for entry in std::fs::read_dir(dir).expect("fixtures") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "agp") {
            covered.extend(expected_codes(&path));
        }
    }
    assert!(covered.len() >= 30, "only {} codes covered: {covered:?}", covered.len());
}

#[test]
fn examples_are_clean() {
    let (code, out) = aisecops(&["check", "--deny-warnings", concat!(env!("CARGO_MANIFEST_DIR"), "/examples")]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("0 errors, 0 warnings"), "{out}");
}

#[test]
fn exit_codes_and_formats() {
    let (code, _) = aisecops(&["check", "/definitely/not/here"]);
    assert_eq!(code, 2);
    let (code, _) = aisecops(&["check", "--format", "yaml"]);
    assert_eq!(code, 2);
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/diagnostics/bar-misspelt-capability-in-grant.agp");
    let (code, sarif) = aisecops(&["check", "--format", "sarif", fixture]);
    assert_eq!(code, 1);
    let doc: Value = serde_json::from_str(&sarif).expect("sarif json");
    assert_eq!(doc["version"], "2.1.0");
    let result = &doc["runs"][0]["results"][0];
    assert_eq!(result["ruleId"], "AGP0202");
    assert!(result["partialFingerprints"]["aisecopsFingerprint/v1"].as_str().is_some_and(|f| f.len() == 16));
    assert!(result["message"]["text"].as_str().is_some_and(|m| m.contains("did you mean")));
    let (_, github) = aisecops(&["check", "--format", "github", fixture]);
    assert!(github.starts_with("::error file="), "{github}");
    assert!(github.contains("title=AGP0202::"), "{github}");
}
