//! Fuzzes request decoding and evaluation: arbitrary bytes as a request to the support-desk
//! example policy must always get a decision, never a panic.
#![no_main]

use std::sync::LazyLock;

use aisecops::{Engine, SourceFile};
use libfuzzer_sys::fuzz_target;

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../examples/support-desk");
    let mut files: Vec<_> = std::fs::read_dir(dir).unwrap().filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "agp")).collect();
    files.sort();
    let sources: Vec<SourceFile> = files.iter().map(|p| SourceFile { name: p.display().to_string(), text: std::fs::read_to_string(p).unwrap() }).collect();
    Engine::compile(&sources).unwrap()
});

fuzz_target!(|data: &[u8]| {
    let decision = ENGINE.decide_json(&String::from_utf8_lossy(data));
    assert!(decision["decision"].is_string());
});
