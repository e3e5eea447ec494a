//! The JIT against the interpreter on every request the repository has: the example sets'
//! requests and `test` blocks and the shared conformance cases. For each, the engine with the
//! JIT and the interpreter-only engine give byte-identical decisions (explanations included),
//! prepared or not, and verdicts agree with full decisions on both.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::path::{Path, PathBuf};

use std::sync::LazyLock;

use aisecops::compiler::lower::test_request;
use aisecops::{check_set, Engine, Options, Request, SourceFile};
use proptest::prelude::*;
use proptest::sample::{select, Index};

fn sources(dir: &Path) -> Vec<SourceFile> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "agp"))
        .collect();
    files.sort();
    files.iter().map(|p| SourceFile { name: p.display().to_string(), text: std::fs::read_to_string(p).unwrap() }).collect()
}

/// Policy sets with the requests to decide under each.
fn corpus() -> Vec<(PathBuf, Vec<Request>, Vec<String>)> {
    let mut sets = Vec::new();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(support::root().join("examples")).unwrap().map(|e| e.unwrap().path()).collect();
    let conformance = support::root().join("../shared/conformance");
    if conformance.is_dir() {
        dirs.extend(std::fs::read_dir(&conformance).unwrap().map(|e| e.unwrap().path()));
    }
    dirs.sort();
    for dir in dirs.into_iter().filter(|d| d.is_dir() && !sources(d).is_empty()) {
        let checked = check_set(&sources(&dir));
        let mut requests: Vec<Request> = checked.program.tests.iter().map(|t| test_request(&checked.program, t)).collect();
        let mut texts = Vec::new();
        for file in ["requests.jsonl", "cases.jsonl"] {
            let Ok(text) = std::fs::read_to_string(dir.join(file)) else { continue };
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let json: serde_json::Value = serde_json::from_str(line).unwrap();
                let json = if file == "cases.jsonl" { json["request"].clone() } else { json };
                texts.push(json.to_string());
                // Whitespace anywhere the grammar allows it: the fast path must read it too.
                texts.push(serde_json::to_string_pretty(&json).unwrap());
                if let Ok(r) = Request::from_value(&json) {
                    requests.push(r);
                }
            }
        }
        sets.push((dir, requests, texts));
    }
    sets
}

fn summary(engine: &Engine, request: &Request) -> (String, Option<String>, Option<String>, Option<String>) {
    let v = engine.verdict(request);
    let capability = v.capability.map(|c| engine.policy().capabilities[c as usize].name.clone());
    (
        v.outcome.as_str().to_owned(),
        engine.verdict_reason(&v).map(str::to_owned),
        v.rule.and_then(|r| engine.rule_id(r)).map(str::to_owned),
        capability,
    )
}

fn full_summary(d: &aisecops::Decision) -> (String, Option<String>, Option<String>, Option<String>) {
    (
        d.outcome.as_str().to_owned(),
        d.reason.as_deref().map(str::to_owned),
        d.rule.as_deref().map(str::to_owned),
        d.capability.as_deref().map(str::to_owned),
    )
}

#[test]
fn jit_and_interpreter_decide_every_repository_request_identically() {
    let (mut requests_checked, mut compiled, mut effects) = (0, 0, 0);
    for (dir, requests, texts) in corpus() {
        let files = sources(&dir);
        let jit = Engine::compile_with(&files, Options { jit: true }).unwrap();
        let interp = Engine::compile_with(&files, Options { jit: false }).unwrap();
        assert!(jit.uses_jit() && !interp.uses_jit());
        // The JSON fast path answers as the general path does.
        for text in &texts {
            for engine in [&jit, &interp] {
                let general = Request::from_json(text).map(|mut r| {
                    engine.prepare(&mut r);
                    engine.verdict(&r)
                });
                assert_eq!(engine.verdict_json(text), general, "{}: verdict_json on {text}", dir.display());
                assert_eq!(engine.decide_json(text), general_decision(engine, text), "{}: decide_json on {text}", dir.display());
            }
        }
        let (_, e, c) = jit.compiled().jit_stats().unwrap();
        compiled += c;
        effects += e;
        for raw in requests {
            let mut prepared_jit = raw.clone();
            jit.prepare(&mut prepared_jit);
            let mut prepared_interp = raw.clone();
            interp.prepare(&mut prepared_interp);
            let expected = interp.decide(&raw);
            let json = expected.to_json();
            for (name, got) in [
                ("jit", jit.decide(&raw)),
                ("jit prepared", jit.decide(&prepared_jit)),
                ("interpreter prepared", interp.decide(&prepared_interp)),
            ] {
                assert_eq!(got.to_json(), json, "{}: {name} differs on {raw:?}", dir.display());
            }
            for (name, engine, request) in [
                ("jit", &jit, &prepared_jit),
                ("jit raw", &jit, &raw),
                ("interpreter", &interp, &prepared_interp),
                ("interpreter raw", &interp, &raw),
            ] {
                assert_eq!(summary(engine, request), full_summary(&expected), "{}: {name} verdict on {raw:?}", dir.display());
            }
            requests_checked += 1;
        }
    }
    assert!(requests_checked >= 200, "only {requests_checked} requests");
    // The JIT must actually compile most conditions of the examples, not leave them all to
    // the interpreter.
    assert!(compiled * 2 > effects, "only {compiled} of {effects} conditions compiled");
}

/// The decision JSON on `text` by the general path: `Request::from_json`, `prepare`, `decide`
/// (a malformed request as `decide_json` reports it).
fn general_decision(engine: &Engine, text: &str) -> serde_json::Value {
    match Request::from_json(text) {
        Ok(mut r) => {
            engine.prepare(&mut r);
            engine.decide(&r).to_json()
        }
        Err(m) => {
            let mut d = aisecops::Decision::gate("malformed_request", None);
            d.error = Some(m.message);
            d.field = (!m.path.is_empty()).then_some(m.path);
            d.policy_hash = engine.compiled().names.hash.clone();
            if let Some(name) = engine.compiled().names.modules.first() {
                d.policy_name = name.clone();
            }
            d.to_json()
        }
    }
}

/// Every policy set with its JIT engine and its request texts, built once for the edit test.
static ENGINES: LazyLock<Vec<(Engine, Vec<String>)>> = LazyLock::new(|| {
    corpus()
        .into_iter()
        .filter(|(_, _, texts)| !texts.is_empty())
        .map(|(dir, _, texts)| (Engine::compile_with(&sources(&dir), Options { jit: true }).unwrap(), texts))
        .collect()
});

/// Texts that matter to a JSON scanner, inserted or substituted at structural places.
const EDITS: &[&str] = &[
    "\"",
    "\\",
    "\\n",
    "\\u0041",
    "{",
    "}",
    "[",
    "]",
    ",",
    ":",
    " ",
    "\n",
    "\t",
    "0",
    "00",
    "1",
    "-",
    "-0",
    "+",
    ".",
    "1e5",
    "E",
    "null",
    "true",
    "fals",
    "\"x\":1,",
    "\u{1}",
    "é",
    "\"plan\":[],",
    "\"tenant\":null,",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 10_000, ..ProptestConfig::default() })]

    /// `verdict_json` on a request text with a few random edits next to its punctuation and
    /// digits (most of them malformed, some still valid with changed values) gives what the
    /// general path gives: the same verdict, or the same error.
    #[test]
    fn verdict_json_agrees_with_the_general_path_on_edited_requests(
        set in any::<Index>(),
        which in any::<Index>(),
        edits in proptest::collection::vec((any::<Index>(), 0u8..3, select(EDITS)), 1..3),
    ) {
        let (engine, texts) = set.get(&ENGINES);
        let mut text = which.get(texts).clone();
        support::edit_json_text(&mut text, &edits);
        let general = Request::from_json(&text).map(|mut r| {
            engine.prepare(&mut r);
            engine.verdict(&r)
        });
        prop_assert_eq!(engine.verdict_json(&text), general, "on {}", text);
        prop_assert_eq!(engine.decide_json(&text), general_decision(engine, &text), "decision on {}", text);
    }
}

/// The policy `source` compiled with the JIT and without it.
fn both_engines(source: &str) -> (Engine, Engine) {
    let files = [SourceFile { name: "policy.agp".to_owned(), text: source.to_owned() }];
    (Engine::compile_with(&files, Options { jit: true }).unwrap(), Engine::compile_with(&files, Options { jit: false }).unwrap())
}

/// The interpreter's decision on `text` by the general path, after checking that the JSON
/// paths of both engines and the JIT's general path give the same.
fn decided_alike(jit: &Engine, interp: &Engine, text: &str) -> serde_json::Value {
    let expected = general_decision(interp, text);
    assert_eq!(jit.decide_json(text), expected, "decide_json with the JIT on {text}");
    assert_eq!(interp.decide_json(text), expected, "decide_json without it on {text}");
    assert_eq!(general_decision(jit, text), expected, "decide with the JIT on {text}");
    expected
}

/// A `Decimal` parameter's default written as an `Int` expression (`= hundred`, `= 2 * 50`)
/// is a decimal to both engines: the JIT once read it from its slot as ten-thousandths (0.01
/// for 100) and allowed what the interpreter blocked.
#[test]
fn integer_defaults_of_decimal_parameters_decide_alike_in_both_engines() {
    let source = r#"policy t.defaults

const hundred: Int = 100

tool pay { to: String, amount: Decimal = hundred, fee: Decimal = 2 * 50, tip: Decimal? = hundred }

capability c { pay }
grant c to role "clerk"

rule big on evaluate pay {
  block "big" when args.amount > 5.5
}

rule fee on evaluate pay {
  require_approval "fee" approvers ["x"] when any([1], x => args.fee > 99.5)
}

rule tip on evaluate pay {
  require_approval "tip" approvers ["y"] when args.tip.or(0) == 100
}
"#;
    let (jit, interp) = both_engines(source);
    let mut blocked = 0;
    for args in ["", r#","amount":1"#, r#","amount":1,"fee":3"#, r#","tip":null"#, r#","amount":2.5,"tip":7"#] {
        let text =
            format!(r#"{{"phase":"evaluate","agent":{{"id":"a","roles":["clerk"]}},"call":{{"tool":"pay","args":{{"to":"x"{args}}}}}}}"#);
        let expected = decided_alike(&jit, &interp, &text);
        blocked += usize::from(expected["decision"] == "BLOCK");
    }
    assert_eq!(blocked, 2, "the two requests without an amount (its default 100) are over the limit");
}

/// A condition that is an absent `Bool?` (an optional argument left out, or `null`, or an `if`
/// that yields one) is unwrapped, so the rule faults and the call fails closed (BLOCK,
/// `evaluation_error`) in both engines, on every path; both once read it as false and allowed
/// the call.
#[test]
fn an_absent_boolean_condition_fails_closed_in_both_engines() {
    let source = r#"policy t.optional

tool deploy { env: String, force: Bool?, quick: Bool? }

capability c { deploy }
grant c to role "ops"

rule forced on evaluate deploy {
  block "forced" when args.force
}

rule quick on evaluate deploy {
  require_approval "quick" approvers ["lead"] when if args.env == "prod" then args.quick else false
}
"#;
    let (jit, interp) = both_engines(source);
    let cases = [
        (r#""env":"dev","force":false"#, "ALLOW", None),
        (r#""env":"dev","force":true"#, "BLOCK", Some("forced")),
        (r#""env":"dev""#, "BLOCK", Some("evaluation_error")),
        (r#""env":"dev","force":null"#, "BLOCK", Some("evaluation_error")),
        (r#""env":"prod","force":false,"quick":true"#, "REQUIRE_APPROVAL", Some("quick")),
        (r#""env":"prod","force":false"#, "BLOCK", Some("evaluation_error")),
        (r#""env":"dev","force":false,"quick":null"#, "ALLOW", None),
    ];
    for (args, decision, reason) in cases {
        let text = format!(r#"{{"phase":"evaluate","agent":{{"id":"a","roles":["ops"]}},"call":{{"tool":"deploy","args":{{{args}}}}}}}"#);
        let expected = decided_alike(&jit, &interp, &text);
        assert_eq!(expected["decision"], decision, "{text}: {expected}");
        assert_eq!(expected["reason"].as_str(), reason, "{text}: {expected}");
        for engine in [&jit, &interp] {
            let mut request = Request::from_json(&text).unwrap();
            engine.prepare(&mut request);
            assert_eq!(engine.verdict_reason(&engine.verdict(&request)), reason, "verdict on {text}");
            assert_eq!(
                engine.verdict_json(&text).map(|v| engine.verdict_reason(&v).map(str::to_owned)),
                Ok(reason.map(str::to_owned)),
                "verdict_json on {text}"
            );
        }
    }
}

/// An email address whose domain ends in the dot of a fully qualified name (`evil.io.`, where
/// mail goes to `evil.io`) is compared without it, in both engines; it once passed a blocklist
/// on the address and on its domain.
#[test]
fn an_email_domain_with_a_trailing_dot_is_the_domain() {
    let source = r#"policy t.email

tool send_email { to: Email, body: String }

capability c { send_email }
grant c to role "mailer"

rule attacker on evaluate send_email {
  block "attacker" when args.to == "attacker@evil.io"
}

rule blocked_domain on evaluate send_email {
  block "blocked_domain" when args.to.domain in {"evil.io"}
}
"#;
    let (jit, interp) = both_engines(source);
    let cases = [
        ("bob@acme.com", "ALLOW", None),
        ("bob@acme.com.", "ALLOW", None),
        ("attacker@evil.io.", "BLOCK", Some("attacker")),
        ("Attacker@EVIL.io..", "BLOCK", Some("invalid_arguments")),
        ("x@evil.io.", "BLOCK", Some("blocked_domain")),
        ("x@sub.evil.io.", "ALLOW", None),
        ("x@.", "BLOCK", Some("invalid_arguments")),
        // Not one address: a mail system would read another domain than `.domain` gives.
        ("eve@evil.io,bob@acme.com", "BLOCK", Some("invalid_arguments")),
        ("eve@evil.io;bob@acme.com", "BLOCK", Some("invalid_arguments")),
        ("eve@evil.io>@acme.com", "BLOCK", Some("invalid_arguments")),
        ("\\\"eve@evil.io\\\"@acme.com", "BLOCK", Some("invalid_arguments")),
        ("Eve <eve@evil.io>", "BLOCK", Some("invalid_arguments")),
        ("bob@acme..com", "BLOCK", Some("invalid_arguments")),
        ("o'brien+tag@acme.com", "ALLOW", None),
        // The domain as it resolves: fullwidth letters are the ASCII ones.
        ("x@\u{ff45}\u{ff56}\u{ff49}\u{ff4c}.io", "BLOCK", Some("blocked_domain")),
    ];
    for (to, decision, reason) in cases {
        let text = format!(
            r#"{{"phase":"evaluate","agent":{{"id":"a","roles":["mailer"]}},"call":{{"tool":"send_email","args":{{"to":"{to}","body":"hi"}}}}}}"#
        );
        let expected = decided_alike(&jit, &interp, &text);
        assert_eq!(expected["decision"], decision, "{text}: {expected}");
        assert_eq!(expected["reason"].as_str(), reason, "{text}: {expected}");
    }
}

/// A backslash ends a URL's host as a slash does (browsers read `https://evil.io\@good.com/`
/// as a URL on `evil.io`), in both engines; the host was once read as `good.com`.
#[test]
fn a_backslash_ends_a_url_host() {
    let source = r#"policy t.url

tool fetch { url: Url }

capability c { fetch }
grant c to role "agent"

rule blocked_host on evaluate fetch {
  block "blocked_host" when args.url.host == "evil.io"
}
"#;
    let (jit, interp) = both_engines(source);
    let cases = [
        (r#"https://good.com/x"#, "ALLOW"),
        (r#"https://evil.io/x"#, "BLOCK"),
        (r#"https://evil.io\\@good.com/x"#, "BLOCK"),
        (r#"HTTPS://EVIL.IO\\x"#, "BLOCK"),
        (r#"https://user@evil.io:8443/x"#, "BLOCK"),
    ];
    for (url, decision) in cases {
        let text =
            format!(r#"{{"phase":"evaluate","agent":{{"id":"a","roles":["agent"]}},"call":{{"tool":"fetch","args":{{"url":"{url}"}}}}}}"#);
        let expected = decided_alike(&jit, &interp, &text);
        assert_eq!(expected["decision"], decision, "{text}: {expected}");
    }
}

/// An SSRF rule on a URL's host (`net.is_private_host`) blocks the addresses and local names a
/// fetch would reach inside the network, however the address is written, in both engines.
#[test]
fn a_url_host_inside_the_network_is_private() {
    let source = r#"policy t.ssrf

use std.net

tool fetch { url: Url }

capability c { fetch }
grant c to role "agent"

rule no_internal on evaluate fetch {
  block "internal_host" when net.is_private_host(args.url.host)
}
"#;
    let (jit, interp) = both_engines(source);
    let cases = [
        ("https://example.com/x", "ALLOW"),
        ("http://169.254.169.254/latest/meta-data/", "BLOCK"),
        ("http://2852039166/latest/meta-data/", "BLOCK"),
        ("http://[::ffff:169.254.169.254]/", "BLOCK"),
        ("http://127.1:8080/admin", "BLOCK"),
        ("http://metadata/computeMetadata/v1/", "BLOCK"),
        ("http://metadata.google.internal/", "BLOCK"),
        ("http://LOCALHOST./", "BLOCK"),
        ("http://kubernetes.default.svc/api", "BLOCK"),
        ("https://8.8.8.8/", "ALLOW"),
        // A NUL ends the URL for a C client (on 127.0.0.1), not for others (on example.com):
        // the argument is invalid, so the call is blocked before any rule.
        ("http://127.0.0.1\\u0000@example.com/", "BLOCK"),
    ];
    for (url, decision) in cases {
        let text =
            format!(r#"{{"phase":"evaluate","agent":{{"id":"a","roles":["agent"]}},"call":{{"tool":"fetch","args":{{"url":"{url}"}}}}}}"#);
        let expected = decided_alike(&jit, &interp, &text);
        assert_eq!(expected["decision"], decision, "{text}: {expected}");
    }
}

/// A record field's default (`record Item { price: Decimal = 10 }`) is what a request that
/// leaves the field out gets, in both engines; it was once never stored, so such a request was
/// rejected as missing a required argument.
#[test]
fn record_field_defaults_are_applied() {
    let source = r#"policy t.records

const ten: Int = 10

record Item { name: String, price: Decimal = ten, quantity: Int = 1 }

tool buy { items: List<Item> }

capability c { buy }
grant c to role "buyer"

rule pricey on evaluate buy {
  block "pricey" when any(args.items, i => i.price * i.quantity > 50)
}
"#;
    let (jit, interp) = both_engines(source);
    let cases = [
        (r#"{"name":"a"}"#, "ALLOW", None),
        (r#"{"name":"a","quantity":6}"#, "BLOCK", Some("pricey")),
        (r#"{"name":"a","price":1,"quantity":6}"#, "ALLOW", None),
        (r#"{"name":"a","price":60}"#, "BLOCK", Some("pricey")),
        (r#"{"price":1}"#, "BLOCK", Some("invalid_arguments")),
    ];
    for (item, decision, reason) in cases {
        let text =
            format!(r#"{{"phase":"evaluate","agent":{{"id":"a","roles":["buyer"]}},"call":{{"tool":"buy","args":{{"items":[{item}]}}}}}}"#);
        let expected = decided_alike(&jit, &interp, &text);
        assert_eq!(expected["decision"], decision, "{text}: {expected}");
        assert_eq!(expected["reason"].as_str(), reason, "{text}: {expected}");
    }
}

/// A rule with no target covers every tool call its file applies to (§10.1): in a global file,
/// the tools of every file and tenant; in a tenant's file, the global tools too. It once
/// covered only the tools its own file could see, so a guard in a file of its own skipped them.
#[test]
fn a_rule_without_a_target_covers_every_tool_its_file_applies_to() {
    let file = |name: &str, text: &str| SourceFile { name: name.to_owned(), text: text.to_owned() };
    let files = [
        file(
            "tools.agp",
            r#"policy app.tools
tool send_email { to: Email, body: String }
capability cap_mail { send_email }
grant cap_mail to role "support"
"#,
        ),
        file(
            "guards.agp",
            r#"policy app.guards
rule no_retrieved_calls on evaluate {
  block "call_from_retrieved_content" when call.source == retrieved
}
"#,
        ),
        file(
            "acme.agp",
            r#"policy app.acme
tenant "acme"
tool wire_money { to: String, amount: Decimal }
capability cap_pay { wire_money }
grant cap_pay to role "support"
rule no_skill_calls on evaluate {
  block "skill_calls_forbidden_for_acme" when call.source == skill
}
"#,
        ),
    ];
    let jit = Engine::compile_with(&files, Options { jit: true }).unwrap();
    let interp = Engine::compile_with(&files, Options { jit: false }).unwrap();
    let call = |tenant: &str, tool: &str, source: &str, args: &str| {
        format!(
            r#"{{"phase":"evaluate","tenant":"{tenant}","agent":{{"id":"b","roles":["support"]}},"call":{{"tool":"{tool}","source":"{source}","args":{args}}}}}"#
        )
    };
    let mail = r#"{"to":"a@b.com","body":"b"}"#;
    let money = r#"{"to":"x","amount":5}"#;
    let cases = [
        (call("acme", "send_email", "user", mail), "ALLOW", None),
        (call("acme", "send_email", "retrieved", mail), "BLOCK", Some("call_from_retrieved_content")),
        (call("acme", "wire_money", "retrieved", money), "BLOCK", Some("call_from_retrieved_content")),
        (call("acme", "send_email", "skill", mail), "BLOCK", Some("skill_calls_forbidden_for_acme")),
        (call("acme", "wire_money", "skill", money), "BLOCK", Some("skill_calls_forbidden_for_acme")),
        (call("acme", "wire_money", "user", money), "ALLOW", None),
    ];
    for (text, decision, reason) in cases {
        let expected = decided_alike(&jit, &interp, &text);
        assert_eq!(expected["decision"], decision, "{text}: {expected}");
        assert_eq!(expected["reason"].as_str(), reason, "{text}: {expected}");
    }
}
