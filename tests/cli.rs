//! End-to-end tests of `aisecops eval`, `compile` and `test`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::process::{Command, Output};

fn aisecops(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aisecops")).args(args).env("NO_COLOR", "1").output().unwrap()
}

const REQUEST: &str = r#"{"phase":"evaluate","tenant":"acme-corp","correlation_id":"cid-8821","agent":{"id":"support-bot","roles":["support"]},"call":{"tool":"send_email","source":"user","args":{"to":"eve@evil.io","subject":"hi","body":"x"}}}"#;

#[test]
fn a_compiled_bundle_decides_like_the_source() {
    let dir = tempdir();
    let bundle = dir.join("desk.agpc");
    let request = dir.join("request.json");
    std::fs::write(&request, REQUEST).unwrap();
    let source = support::root().join("examples/support-desk");
    let dot = dir.join("desk.dot");
    let out = aisecops(&["compile", source.to_str().unwrap(), "-o", bundle.to_str().unwrap(), "--dot", dot.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let graph = std::fs::read_to_string(&dot).unwrap();
    assert!(
        graph.starts_with("digraph policy") && graph.contains("tenant: acme-corp") && graph.contains("acme.desk.recipient_allowlist"),
        "{graph}"
    );
    let from_source = aisecops(&["eval", "--policy", source.to_str().unwrap(), "--request", request.to_str().unwrap()]);
    let from_bundle = aisecops(&["eval", "--policy", bundle.to_str().unwrap(), "--request", request.to_str().unwrap()]);
    assert!(from_bundle.status.success());
    assert_eq!(from_source.stdout, from_bundle.stdout);
    let decision: serde_json::Value = serde_json::from_slice(&from_bundle.stdout).unwrap();
    assert_eq!(decision["reason"], "recipient_not_allowlisted");

    let mut bytes = std::fs::read(&bundle).unwrap();
    let last = bytes.len() - 2;
    bytes[last] ^= 0x20;
    std::fs::write(&bundle, &bytes).unwrap();
    let corrupt = aisecops(&["eval", "--policy", bundle.to_str().unwrap(), "--request", request.to_str().unwrap()]);
    assert_eq!(corrupt.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&corrupt.stderr).contains("corrupt bundle"), "{}", String::from_utf8_lossy(&corrupt.stderr));
    std::fs::write(&bundle, b"PK\x03\x04 a zip file").unwrap();
    let foreign = aisecops(&["eval", "--policy", bundle.to_str().unwrap(), "--request", request.to_str().unwrap()]);
    assert_eq!(foreign.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&foreign.stderr).contains("not an aisecops bundle"));
}

#[test]
fn no_jit_selects_the_interpreter_and_decides_the_same() {
    let examples = support::root().join("examples");
    for set in ["support-desk", "payments", "coding-agent"] {
        let dir = examples.join(set);
        let requests = dir.join("requests.jsonl");
        let (policy, requests) = (dir.to_str().unwrap(), requests.to_str().unwrap());
        let jit = aisecops(&["eval", "--policy", policy, "--request", requests, "--jsonl"]);
        let interp = aisecops(&["--no-jit", "eval", "--policy", policy, "--request", requests, "--jsonl"]);
        assert!(jit.status.success() && interp.status.success());
        assert!(!jit.stdout.is_empty());
        assert_eq!(String::from_utf8_lossy(&jit.stdout), String::from_utf8_lossy(&interp.stdout), "{set}");
    }
    let dir = tempdir();
    let bundle = dir.join("desk.agpc");
    let source = examples.join("support-desk");
    let with_jit = aisecops(&["compile", source.to_str().unwrap(), "-o", bundle.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&with_jit.stdout).contains("jit: "), "{}", String::from_utf8_lossy(&with_jit.stdout));
    let without = aisecops(&["compile", "--no-jit", source.to_str().unwrap(), "-o", bundle.to_str().unwrap()]);
    assert!(without.status.success() && !String::from_utf8_lossy(&without.stdout).contains("jit: "));
}

#[test]
fn eval_reports_policy_errors_and_reads_jsonl() {
    let broken = support::root().join("tests/data/diagnostics/bar-unknown-enum-variant.agp");
    let out = aisecops(&["eval", "--policy", broken.to_str().unwrap(), "--request", "/dev/null"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("AGP0205"));

    let dir = tempdir();
    let requests = dir.join("requests.jsonl");
    std::fs::write(&requests, format!("{REQUEST}\n\n{}\nnot json\n", REQUEST.replace("eve@evil.io", "bob@acme.com"))).unwrap();
    let source = support::root().join("examples/support-desk");
    let out = aisecops(&["eval", "--jsonl", "--policy", source.to_str().unwrap(), "--request", requests.to_str().unwrap()]);
    assert!(out.status.success());
    let decisions: Vec<serde_json::Value> =
        String::from_utf8_lossy(&out.stdout).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let reasons: Vec<&str> = decisions.iter().map(|d| d["reason"].as_str().unwrap_or("-")).collect();
    assert_eq!(reasons, ["recipient_not_allowlisted", "-", "malformed_request"]);
}

#[test]
fn test_reports_failures_with_expected_actual_and_explanation() {
    let set = support::root().join("tests/data/failing-test");
    let out = aisecops(&["test", set.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("FAIL") && stdout.contains("this expectation is wrong"), "{stdout}");
    assert!(stdout.contains("expected: allow"), "{stdout}");
    assert!(stdout.contains("actual:   block \"external_recipient\""), "{stdout}");
    assert!(stdout.contains("args.to.domain"), "{stdout}");
    assert_eq!(stdout.lines().last(), Some("2 passed, 1 failed"));
}

fn tempdir() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "aisecops-cli-{}-{}",
        std::process::id(),
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn fmt_rewrites_and_check_reports() {
    let dir = tempdir();
    let file = dir.join("p.agp");
    let messy = "policy   a.b // name\ntool t {x:String}\nrule r on evaluate t { block \"no\" when args.x == \"\" }\n";
    std::fs::write(&file, messy).unwrap();
    let path = file.to_str().unwrap();
    let check = aisecops(&["fmt", "--check", path]);
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stdout).contains("p.agp: not formatted"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), messy, "--check must not write");
    assert_eq!(aisecops(&["fmt", path]).status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "policy a.b // name\ntool t { x: String }\nrule r on evaluate t {\n  block \"no\" when args.x == \"\"\n}\n"
    );
    assert_eq!(aisecops(&["fmt", "--check", path]).status.code(), Some(0));
    let broken = dir.join("broken.agp");
    std::fs::write(&broken, "policy a.c\ntool {").unwrap();
    let out = aisecops(&["fmt", broken.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(std::fs::read_to_string(&broken).unwrap(), "policy a.c\ntool {");
}
