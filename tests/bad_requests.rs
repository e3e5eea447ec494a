//! Bad requests get a clear error and fail closed: truncated or invalid JSON, wrong types,
//! unknown phases, tools and keys, huge strings, deep nesting. Nothing panics.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

fn decide(text: &str) -> serde_json::Value {
    let engine = support::engine(&support::root().join("examples/support-desk"));
    engine.decide_json(text)
}

fn assert_blocked(text: &str, reason: &str) -> serde_json::Value {
    let d = decide(text);
    assert_eq!(d["decision"], "BLOCK", "{d}");
    assert_eq!(d["reason"], reason, "{d}");
    d
}

const GOOD: &str = r#"{"phase":"evaluate","tenant":"acme-corp","agent":{"id":"a","roles":["support"]},"call":{"tool":"send_email","args":{"to":"bob@acme.com","subject":"s","body":"b"}}}"#;

#[test]
fn the_good_request_is_allowed() {
    assert_eq!(decide(GOOD)["decision"], "ALLOW");
}

#[test]
fn truncated_json_is_malformed() {
    for cut in [0, 1, 10, GOOD.len() / 2, GOOD.len() - 1] {
        let d = assert_blocked(&GOOD[..cut], "malformed_request");
        assert!(d["error"].as_str().unwrap().contains("JSON"), "{d}");
    }
}

#[test]
fn wrong_types_are_malformed_with_a_path() {
    let d = assert_blocked(&GOOD.replace(r#""roles":["support"]"#, r#""roles":"support""#), "malformed_request");
    assert_eq!(d["field"], "agent.roles");
    let d = assert_blocked(&GOOD.replace(r#""tenant":"acme-corp""#, r#""tenant":7"#), "malformed_request");
    assert_eq!(d["field"], "tenant");
    let d = assert_blocked(&GOOD.replace(r#""phase":"evaluate""#, r#""phase":"execute""#), "malformed_request");
    assert_eq!(d["field"], "phase");
    let d = assert_blocked(&GOOD.replace(r#""agent""#, r#""agnet""#), "malformed_request");
    assert_eq!(d["field"], "agnet");
    assert_blocked("[1,2,3]", "malformed_request");
    assert_blocked("null", "malformed_request");
}

#[test]
fn bad_arguments_are_invalid_arguments_with_the_field() {
    let d = assert_blocked(&GOOD.replace(r#""to":"bob@acme.com""#, r#""to":42"#), "invalid_arguments");
    assert_eq!(d["field"], "args.to");
    let d = assert_blocked(&GOOD.replace(r#""to":"bob@acme.com""#, r#""to":"not-an-email""#), "invalid_arguments");
    assert_eq!(d["field"], "args.to");
    let d = assert_blocked(&GOOD.replace(r#","body":"b""#, ""), "invalid_arguments");
    assert_eq!(d["field"], "args.body");
    let d = assert_blocked(&GOOD.replace(r#""body":"b""#, r#""body":"b","bcc":"x@y.z""#), "invalid_arguments");
    assert_eq!(d["field"], "args.bcc");
}

#[test]
fn unknown_tools_and_tenants_fail_closed() {
    assert_blocked(&GOOD.replace("send_email", "drop_database"), "unknown_tool");
    assert_blocked(&GOOD.replace("acme-corp", "hooli"), "tenant_mismatch");
    assert_blocked(&GOOD.replace(r#""tenant":"acme-corp","#, ""), "tenant_mismatch");
}

/// A plan step naming a tool the policy does not know fails at the gate, as such a call does:
/// before plan rules, which would fault on the step (and report `evaluation_error`).
#[test]
fn an_unknown_tool_in_a_plan_is_unknown_tool() {
    let step = r#"{"tool":"send_email","args":{"to":"bob@acme.com","subject":"s","body":"b"}}"#;
    for (session, steps) in [
        ("true", format!(r#"[{{"tool":"drop_database","args":{{}}}},{step}]"#)),
        ("false", format!(r#"[{step},{{"tool":"drop_database","args":{{}}}}]"#)),
    ] {
        let plan = format!(
            r#"{{"phase":"plan","tenant":"acme-corp","agent":{{"id":"a","roles":["support"]}},"session":{{"tainted":{session}}},"plan":{{"steps":{steps}}}}}"#
        );
        let d = assert_blocked(&plan, "unknown_tool");
        let at = if session == "true" { 0 } else { 1 };
        assert_eq!(d["field"], format!("plan.steps[{at}].tool"), "{d}");
    }
}

#[test]
fn a_ten_megabyte_string_is_decided() {
    let body = "x".repeat(10 * 1024 * 1024);
    let d = decide(&GOOD.replace(r#""body":"b""#, &format!(r#""body":"{body}""#)));
    assert_eq!(d["decision"], "ALLOW", "{}", d["reason"]);
    let input = format!(r#"{{"phase":"input","tenant":"acme-corp","input":{{"text":"{body}"}}}}"#);
    assert_eq!(decide(&input)["decision"], "ALLOW");
}

#[test]
fn deep_nesting_is_malformed_not_a_crash() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_blocked(&deep, "malformed_request");
    let deep_arg = GOOD.replace(r#""body":"b""#, &format!(r#""body":{}1{}"#, "[".repeat(5_000), "]".repeat(5_000)));
    let d = decide(&deep_arg);
    assert_eq!(d["decision"], "BLOCK", "{d}");
}

/// A request that repeats a key, at any depth, is malformed on every path: readers disagree
/// on which value a repeated key has, so the call could be decided on one value and carried
/// out with the other. (Both engines once kept the last value and allowed such a call.)
#[test]
fn repeated_keys_are_malformed_at_any_depth() {
    let engine = support::engine(&support::root().join("examples/support-desk"));
    let repeated = [
        ("to", GOOD.replace(r#""to":"bob@acme.com""#, r#""to":"evil@evil.io","to":"bob@acme.com""#)),
        ("to", GOOD.replace(r#""to":"bob@acme.com""#, r#""to":"bob@acme.com","\u0074o":"evil@evil.io""#)),
        (
            "call",
            GOOD.replace(r#""call":"#, r#""call":{"tool":"send_email","args":{"to":"evil@evil.io","subject":"s","body":"b"}},"call":"#),
        ),
        ("roles", GOOD.replace(r#""roles":["support"]"#, r#""roles":[],"roles":["support"]"#)),
        ("tenant", GOOD.replace(r#""tenant":"acme-corp""#, r#""tenant":"other","tenant":"acme-corp""#)),
    ];
    for (key, text) in repeated {
        let d = assert_blocked(&text, "malformed_request");
        assert_eq!(d["error"], format!("invalid JSON: an object repeats the key `{key}`"), "{text}");
        let general = aisecops::Request::from_json(&text).map(|_| ()).map_err(|m| m.message);
        assert_eq!(general, Err(format!("invalid JSON: an object repeats the key `{key}`")), "{text}");
        assert!(engine.verdict_json(&text).is_err(), "{text}");
    }
    // The same key in different objects, or inside a string, is not a repeat.
    let d = decide(&GOOD.replace(r#""body":"b""#, r#""body":"{\"to\":1,\"to\":2}""#));
    assert_eq!(d["decision"], "ALLOW", "{d}");
}
