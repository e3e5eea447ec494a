//! Property tests over request decoding: random bytes, random JSON values and mutations of
//! valid requests always get a decision (never a panic), and anything that is not a valid
//! request is a `BLOCK`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use proptest::prelude::*;
use serde_json::{json, Value};

const VALID: &str = r#"{"phase":"evaluate","tenant":"acme-corp","agent":{"id":"a","roles":["support"]},"call":{"tool":"send_email","args":{"to":"bob@acme.com","subject":"s","body":"b"},"provenance":{"to":"user"}},"session":{"tainted":false,"labels":[]}}"#;

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|i| json!(i)),
        "[a-z@.]{0,12}".prop_map(Value::String),
        prop::sample::select(vec!["evaluate", "input", "plan", "context", "send_email", "acme-corp", "retrieved", "9.99999"])
            .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(4, 32, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "phase",
                    "tenant",
                    "agent",
                    "call",
                    "tool",
                    "args",
                    "to",
                    "roles",
                    "input",
                    "text",
                    "plan",
                    "steps",
                    "item",
                    "session",
                    "provenance"
                ])
                .prop_map(str::to_owned),
                inner,
                0..5
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

fn assert_decision(engine: &aisecops::Engine, text: &str) -> Value {
    let d = engine.decide_json(text);
    let decision = d["decision"].as_str().unwrap_or_else(|| panic!("no decision for {text}: {d}"));
    assert!(["ALLOW", "BLOCK", "REQUIRE_APPROVAL", "SANITIZE"].contains(&decision));
    d
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1000, .. ProptestConfig::default() })]

    #[test]
    fn random_bytes_fail_closed(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let engine = support::engine(&support::root().join("examples/support-desk"));
        let d = assert_decision(&engine, &String::from_utf8_lossy(&bytes));
        prop_assert_eq!(d["decision"].as_str(), Some("BLOCK"));
    }

    #[test]
    fn random_json_always_gets_a_decision(v in json_value()) {
        let engine = support::engine(&support::root().join("examples/support-desk"));
        assert_decision(&engine, &v.to_string());
    }

    #[test]
    fn mutated_requests_always_get_a_decision(at in 0usize..400, replacement in "[\\[\\]{}\",:0-9a-z]{0,3}") {
        let engine = support::engine(&support::root().join("examples/support-desk"));
        let at = at.min(VALID.len());
        let mutated = format!("{}{}{}", &VALID[..at], replacement, &VALID[(at + 1).min(VALID.len())..]);
        assert_decision(&engine, &mutated);
    }
}
