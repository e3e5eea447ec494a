//! Fuzzes the audit trail's readers of untrusted text. Arbitrary bytes are (1) a request: its
//! event line written in one pass (through request plans kept across inputs, twice) equals the
//! one built through `serde_json::Value`, sealed, and the sealed line checks, and the writer's
//! path (the decision made from the plan's reading of the request) gives the same decision and
//! line; (2) a log line: `check_line` and `verify` never panic, and a line
//! that checks is canonical JSON. Policy: `tests/data/audit/v1` (a sensitive argument).
#![no_main]

use std::sync::LazyLock;

use aisecops::runtime::audit::{audit_event, canonical, EventLines, check_line, verify, ChainHead, LogLine, Place};
use aisecops::{Engine, SourceFile};
use libfuzzer_sys::fuzz_target;

static ENGINE: LazyLock<Engine> = LazyLock::new(|| {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/data/audit/v1/payments.agp");
    let sources = vec![SourceFile { name: path.to_owned(), text: std::fs::read_to_string(path).unwrap() }];
    Engine::compile(&sources).unwrap()
});

thread_local! {
    /// Kept from one input to the next, with the request plans it has made.
    static LINES: std::cell::RefCell<EventLines> = std::cell::RefCell::new(EventLines::new());
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let engine = &*ENGINE;
    let decision = engine.decide_text(&text);
    let built = ChainHead::genesis().seal(audit_event(engine.policy(), &text, None, &decision, 1_764_000_000_000));
    // Through the plans of earlier inputs (a request like one seen before is written from its
    // plan), then once more (from the plan this one made, if any).
    LINES.with_borrow_mut(|lines| {
        for _ in 0..2 {
            let rendered = lines.seal(&mut ChainHead::genesis(), engine.policy(), &text, &decision, 1_764_000_000_000);
            assert_eq!(rendered, built, "on {text}");
        }
        // The writer's path: decided from the same reading of the text as its line.
        let (decided, rendered) =
            lines.decide_and_seal(&mut ChainHead::genesis(), engine.policy(), &text, |r| (engine.decide_scanned(r), 1_764_000_000_000));
        assert_eq!(decided, decision, "on {text}");
        assert_eq!(rendered, built, "on {text}");
    });
    assert!(check_line(&built).is_ok(), "a sealed line does not check: {built}");

    if let Ok((_, event)) = check_line(&text) {
        assert_eq!(canonical(&serde_json::Value::Object(event.clone())), text);
    }
    let lines: Vec<LogLine> = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| LogLine { place: Place { file: "fuzz".to_owned(), line: i + 1 }, text: l.to_owned(), complete: i > 0 || text.ends_with('\n') })
        .collect();
    let _ = verify(&lines);
});
