//! Helpers shared by the end-to-end tests: loading example policy sets and comparing decisions.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use aisecops::{Engine, SourceFile};
use serde_json::Value;

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Compiles the `.agp` files of a directory.
pub fn engine(dir: &Path) -> Engine {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("policy dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "agp"))
        .collect();
    files.sort();
    let sources: Vec<SourceFile> = files
        .iter()
        .map(|p| SourceFile { name: p.display().to_string(), text: std::fs::read_to_string(p).expect("read policy") })
        .collect();
    match Engine::compile(&sources) {
        Ok(e) => e,
        Err(e) => panic!("{} does not compile: {:?}", dir.display(), e.diagnostics()),
    }
}

/// Fields of `expect` that `got` does not match, as `key: expected != got` lines.
pub fn mismatches(expect: &Value, got: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for (k, v) in expect.as_object().expect("expect object") {
        if k == "explain_contains" {
            let needle = v.as_str().unwrap_or("");
            if !got["explain"].to_string().contains(needle) {
                out.push(format!("explain does not mention {needle:?}"));
            }
            continue;
        }
        if got.get(k) != Some(v) {
            out.push(format!("{k}: expected {v}, got {}", got.get(k).unwrap_or(&Value::Null)));
        }
    }
    out
}
pub mod policygen;
