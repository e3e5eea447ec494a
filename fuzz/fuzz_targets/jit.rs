//! Differential fuzzing of the JIT: the bytes choose a well-typed policy and requests (the
//! generator of `tests/support/policygen.rs`); the engine with the JIT and the interpreter-only
//! engine must give byte-identical decisions, explanations included, and the JSON fast path
//! to a verdict must answer as the general path does.
#![no_main]

#[path = "../../tests/support/policygen.rs"]
mod policygen;

use aisecops::{Engine, Options, SourceFile};
use libfuzzer_sys::fuzz_target;
use policygen::{policy, request, Source};

fuzz_target!(|data: &[u8]| {
    let (policy_bytes, request_bytes) = data.split_at(data.len() / 3);
    let text = policy(&mut Source::new(policy_bytes));
    let files = [SourceFile { name: "gen.agp".into(), text: text.clone() }];
    let (Ok(jit), Ok(interp)) = (Engine::compile_with(&files, Options { jit: true }), Engine::compile_with(&files, Options { jit: false })) else {
        panic!("generated policy does not compile:\n{text}");
    };
    let mut src = Source::new(request_bytes);
    for _ in 0..16 {
        let json = request(&mut src);
        assert_eq!(jit.decide_json(&json), interp.decide_json(&json), "policy:\n{text}\nrequest: {json}");
        // The JSON fast path to a verdict answers as the general path does.
        let general = aisecops::Request::from_json(&json).map(|mut r| {
            jit.prepare(&mut r);
            jit.verdict(&r)
        });
        assert_eq!(jit.verdict_json(&json), general, "verdict_json; policy:\n{text}\nrequest: {json}");
    }
});
