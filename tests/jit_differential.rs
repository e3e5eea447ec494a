//! Differential testing of the JIT: random well-typed policies (`support/policygen.rs`) and
//! random requests, decided by an engine with the JIT and by the interpreter alone; decisions
//! (explanations included) must be byte-identical and verdicts must agree with them.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use aisecops::{Engine, Options, Request, SourceFile};
use proptest::prelude::*;
use support::policygen::{policy, request, Source};

/// Decides `requests` under `text` both ways; panics on any difference. Returns how many
/// effects the JIT compiled and how many there were.
fn differential(text: &str, requests: &[String]) -> (usize, usize) {
    let files = [SourceFile { name: "gen.agp".into(), text: text.to_owned() }];
    let jit = match Engine::compile_with(&files, Options { jit: true }) {
        Ok(e) => e,
        Err(e) => panic!("generated policy does not compile: {:?}\n{text}", e.diagnostics()),
    };
    let interp = Engine::compile_with(&files, Options { jit: false }).unwrap();
    for json in requests {
        let expected = interp.decide_json(json);
        assert_eq!(jit.decide_json(json), expected, "policy:\n{text}\nrequest: {json}");
        // The JSON fast path answers as the general path does, malformed requests included.
        for engine in [&jit, &interp] {
            let general = Request::from_json(json).map(|mut r| {
                engine.prepare(&mut r);
                engine.verdict(&r)
            });
            assert_eq!(engine.verdict_json(json), general, "verdict_json; policy:\n{text}\nrequest: {json}");
        }
        if let Ok(raw) = Request::from_json(json) {
            let mut prepared = raw.clone();
            jit.prepare(&mut prepared);
            let full = interp.decide(&raw);
            assert_eq!(jit.decide(&prepared).to_json(), full.to_json(), "prepared; policy:\n{text}\nrequest: {json}");
            for (engine, r) in [(&jit, &prepared), (&interp, &raw)] {
                let v = engine.verdict(r);
                let summary =
                    (v.outcome, engine.verdict_reason(&v).map(str::to_owned), v.rule.and_then(|i| engine.rule_id(i)).map(str::to_owned));
                assert_eq!(
                    summary,
                    (full.outcome, full.reason.as_deref().map(str::to_owned), full.rule.as_deref().map(str::to_owned)),
                    "verdict; policy:\n{text}\nrequest: {json}"
                );
            }
        }
    }
    let (_, effects, compiled) = jit.compiled().jit_stats().unwrap();
    (compiled, effects)
}

fn case(bytes: &[u8]) -> (String, Vec<String>) {
    let (policy_bytes, request_bytes) = bytes.split_at(bytes.len() / 3);
    let text = policy(&mut Source::new(policy_bytes));
    let mut src = Source::new(request_bytes);
    let requests = (0..24).map(|_| request(&mut src)).collect();
    (text, requests)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn jit_agrees_with_the_interpreter_on_random_policies(bytes in proptest::collection::vec(any::<u8>(), 64..768)) {
        let (text, requests) = case(&bytes);
        differential(&text, &requests);
    }
}

/// The generator reaches both compiled and interpreted conditions, and its requests reach
/// every outcome (so the property above compares more than ALLOWs).
#[test]
fn generated_cases_cover_compiled_and_interpreted_conditions_and_every_outcome() {
    let (mut compiled, mut effects) = (0, 0);
    let mut outcomes = std::collections::BTreeSet::new();
    for seed in 0..300u64 {
        let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
        let bytes: Vec<u8> = (0..600)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        let (text, requests) = case(&bytes);
        let (c, e) = differential(&text, &requests);
        compiled += c;
        effects += e;
        let engine = Engine::compile(&[SourceFile { name: "gen.agp".into(), text }]).unwrap();
        for r in &requests {
            outcomes.insert(engine.decide_json(r)["decision"].as_str().unwrap_or("").to_owned());
        }
    }
    assert!(compiled * 10 > effects * 5, "{compiled} of {effects} compiled");
    assert!(compiled < effects, "no condition left to the interpreter");
    assert_eq!(outcomes.len(), 4, "{outcomes:?}");
}
