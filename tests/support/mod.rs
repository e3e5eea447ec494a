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

/// Applies `edits` to a JSON text, each at one of its punctuation marks or digits (or the end),
/// chosen by the index: op 0 inserts the edit there, 1 deletes the character, else replaces it.
pub fn edit_json_text(text: &mut String, edits: &[(proptest::sample::Index, u8, &str)]) {
    for (at, op, edit) in edits {
        let places: Vec<usize> =
            text.char_indices().filter(|(_, c)| "{}[],:\"0123456789.-".contains(*c)).map(|(i, _)| i).chain([text.len()]).collect();
        let i = *at.get(&places);
        let next = text[i..].chars().next().map_or(0, char::len_utf8);
        match op {
            0 => text.insert_str(i, edit),
            1 => text.replace_range(i..i + next, ""),
            _ => text.replace_range(i..i + next, edit),
        }
    }
}
