//! The shared conformance cases (`../shared/conformance/`), decided in process: every listed
//! field of every case must match. (`.ci/run` also runs the shared Python runner against the
//! binary.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::PathBuf;

#[test]
fn conformance_cases_are_decided_as_listed() {
    let dir = support::root().join("../shared/conformance");
    assert!(dir.is_dir(), "{} is missing: the conformance cases live in the shared folder beside the repository", dir.display());
    let mut sets: Vec<PathBuf> =
        std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.join("cases.jsonl").is_file()).collect();
    sets.sort();
    assert!(!sets.is_empty());
    let (mut total, mut failures) = (0, Vec::new());
    for set in sets {
        let engine = support::engine(&set);
        for (n, line) in std::fs::read_to_string(set.join("cases.jsonl")).unwrap().lines().enumerate() {
            let case: serde_json::Value = serde_json::from_str(line).unwrap();
            let got = engine.decide_json(&case["request"].to_string());
            total += 1;
            let wrong = support::mismatches(&case["expect"], &got);
            if !wrong.is_empty() {
                failures.push(format!("{}#{}: {}", set.display(), n + 1, wrong.join("; ")));
            }
        }
    }
    assert!(failures.is_empty(), "{} of {total} cases wrong:\n{}", failures.len(), failures.join("\n"));
    assert!(total >= 20);
}
