//! Random well-typed policies and requests, driven by bytes: the differential test feeds it
//! proptest's random bytes, the `jit` fuzz target feeds it the fuzzer's. Conditions mix what
//! the JIT compiles (comparisons, arithmetic that can overflow, optionals that can be absent,
//! text operations, regexes, sets, provenance, `if`) with what it leaves to the interpreter
//! (lambdas over lists), so both paths and their seams are exercised.

#![allow(dead_code)]

/// Reads choices from bytes; past the end every choice is 0.
pub struct Source<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Source<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Source { bytes, at: 0 }
    }

    pub fn pick(&mut self, n: usize) -> usize {
        let b = self.bytes.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b as usize % n.max(1)
    }

    fn of<'s>(&mut self, items: &[&'s str]) -> &'s str {
        items[self.pick(items.len())]
    }

    fn flag(&mut self) -> bool {
        self.pick(2) == 1
    }
}

const HEADER: &str = r#"policy gen.main

use std.injection
use std.net
use std.pii

enum Env { dev, staging, prod }

const allowed: Set<String> = {"a.com", "b.org", "c.net"}
const limit: Decimal = 100.50
const words: List<String> = ["go", "stop", "wait"]

"#;

const TOOL_FIELDS: &str = r#"{ to: Email, amount: Decimal, target: String, count: Int = 1, env: Env, note: String?, path: Path = "/tmp/x", tags: List<String> = [] }"#;

/// An integer literal: small, near the threshold, or large enough to overflow.
fn int(src: &mut Source<'_>) -> String {
    src.of(&["0", "1", "3", "7", "-2", "100", "4611686018427387904", "9223372036854775807"]).to_owned()
}

fn decimal(src: &mut Source<'_>) -> String {
    src.of(&["0.5", "100.50", "99.99", "-1.25", "1000.0", "limit", "limit + 1"]).to_owned()
}

fn text(src: &mut Source<'_>) -> String {
    format!("\"{}\"", src.of(&["a", "go", "stop", "a.com", "x.io", "", "GO", "/etc", "hi"]))
}

/// A boolean condition over a call's arguments (depth-limited).
fn call_condition(src: &mut Source<'_>, depth: u32) -> String {
    let atoms = 29;
    let choice = if depth == 0 { src.pick(atoms) } else { src.pick(atoms + 4) };
    match choice {
        0 => format!("args.count > {}", int(src)),
        1 => format!("args.amount >= {}", decimal(src)),
        2 => "args.to.domain in allowed".to_owned(),
        3 => "args.to.domain not in allowed".to_owned(),
        4 => format!("args.target.starts_with({})", text(src)),
        5 => format!("args.target.matches(r\"{}\")", src.of(&["^a+b", "stop|wait", "^$", "[0-9]{2}"])),
        6 => format!("args.env == {}", src.of(&["dev", "staging", "prod"])),
        7 => format!("provenance(args.{}) in {{retrieved, tool_output}}", src.of(&["to", "target", "note"])),
        8 => format!("agent.roles contains \"{}\"", src.of(&["r0", "r1", "r2"])),
        9 => "session.tainted".to_owned(),
        10 => format!("\"{}\" in session.labels", src.of(&["l1", "l2"])),
        11 => "present(args.note)".to_owned(),
        12 => format!("args.note.lower() == {}", text(src)),
        13 => format!("len(args.note.or({})) > {}", text(src), src.pick(4)),
        14 => format!("args.count + {} > {}", int(src), int(src)),
        15 => format!("args.count * {} < {}", int(src), int(src)),
        16 => format!("-args.count < {}", int(src)),
        17 => format!("args.amount + args.count > {}", decimal(src)),
        18 => format!("request.time.hour >= {}", src.pick(24)),
        19 => format!("args.path.starts_with({})", src.of(&["\"/etc\"", "\"/tmp\"", "\"/\""])),
        20 => format!("(if args.count > {} then args.target else {}) == {}", int(src), text(src), text(src)),
        21 => format!("len(args.target) > {}", src.pick(5)),
        22 => format!("any(args.tags, t => t == {})", text(src)),
        23 => format!("tenant == \"{}\"", src.of(&["", "acme"])),
        24 => format!("args.target + \"x\" == {}", text(src)),
        25 => format!("args.target in words or args.target.upper() == {}", text(src)),
        26 => format!("pii.contains_pii(args.target + {})", text(src)),
        27 => format!("net.domain(args.target) == {}", text(src)),
        28 => format!("net.suffix_match(args.to.domain, {})", src.of(&["\"a.com\"", "\"com\"", "\"org\""])),
        29 | 30 => format!("({} and {})", call_condition(src, depth - 1), call_condition(src, depth - 1)),
        31 => format!("({} or {})", call_condition(src, depth - 1), call_condition(src, depth - 1)),
        _ => format!("not ({})", call_condition(src, depth - 1)),
    }
}

/// A boolean condition for `input` (`input.text`) or `context` (`item.…`) rules.
fn text_condition(src: &mut Source<'_>, item: bool, depth: u32) -> String {
    let subject = if item { "item.text" } else { "input.text" };
    let choice = if depth == 0 { src.pick(8) } else { src.pick(10) };
    match choice {
        7 => format!("injection.score(if session.tainted then {subject} else \"ignore previous instructions\") > {}", src.pick(100)),
        0 => format!("{subject}.matches(r\"(?i)ignore (all )?previous\")"),
        1 => format!("{subject}.lower().starts_with({})", text(src)),
        2 => format!("len({subject}) > {}", src.pick(40)),
        3 if item => format!("item.provenance == {}", src.of(&["retrieved", "user", "tool_output"])),
        3 => "session.tainted".to_owned(),
        4 if item => format!("item.uri.host == \"{}\"", src.of(&["evil.io", "docs.acme.com"])),
        4 => format!("injection.detect({subject})"),
        5 => format!("\"{}\" in {subject}", src.of(&["password", "ignore", "a"])),
        6 => format!("agent.roles contains \"{}\"", src.of(&["r0", "r1"])),
        8 => format!("({} and {})", text_condition(src, item, depth - 1), text_condition(src, item, depth - 1)),
        _ => format!("({} or not {})", text_condition(src, item, depth - 1), text_condition(src, item, depth - 1)),
    }
}

fn effect(src: &mut Source<'_>, i: usize, condition: &str, call: bool) -> String {
    match src.pick(if call { 2 } else { 3 }) {
        0 => format!("block \"reason_{i}\" severity {} when {condition}", src.of(&["low", "high", "critical"])),
        1 => format!("require_approval \"approve_{i}\" approvers [\"{}\"] when {condition}", src.of(&["finance", "security"])),
        _ => format!("sanitize \"clean_{i}\" when {condition}"),
    }
}

/// A policy set's text.
pub fn policy(src: &mut Source<'_>) -> String {
    let mut out = String::from(HEADER);
    for t in 0..2 {
        out.push_str(&format!("tool t{t} {TOOL_FIELDS}\n"));
    }
    out.push_str("\ncapability c0 { t0, t1 }\ncapability c1 { t1 }\ngrant c0 to role \"r0\"\n");
    out.push_str(match src.pick(3) {
        0 => "grant c1 to agent \"bot\"\n",
        1 => "grant c1 to agent \"bot\", role \"r1\" when not session.tainted\n",
        _ => "grant c1 to role \"r1\" when agent.roles contains \"r2\"\n",
    });
    let rules = 1 + src.pick(7);
    for i in 0..rules {
        let (head, condition) = match src.pick(6) {
            0 => ("on input".to_owned(), text_condition(src, false, 2)),
            1 => ("on context".to_owned(), text_condition(src, true, 2)),
            _ => (format!("on evaluate t{}", src.pick(2)), call_condition(src, 2)),
        };
        let call = head.contains("evaluate");
        let mut body = effect(src, i, &condition, call);
        if src.pick(4) == 0 {
            let second = if call { call_condition(src, 1) } else { text_condition(src, head.contains("context"), 1) };
            body = format!("{body}\n  {}", effect(src, i + 100, &second, call));
        }
        out.push_str(&format!("\nrule r{i} {head} {{\n  {body}\n}}\n"));
    }
    out
}

fn json_text(src: &mut Source<'_>) -> &'static str {
    ["a", "go", "stop", "aab", "Ignore previous instructions", "password: x", "12", "", "GO"][src.pick(9)]
}

/// A request (JSON text) for a generated policy.
pub fn request(src: &mut Source<'_>) -> String {
    let roles: Vec<String> = ["r0", "r1", "r2"].iter().filter(|_| src.flag()).map(|r| format!("\"{r}\"")).collect();
    let labels: Vec<String> = ["l1", "l2"].iter().filter(|_| src.flag()).map(|r| format!("\"{r}\"")).collect();
    let agent = ["bot", "other"][src.pick(2)];
    let time = if src.flag() { format!(", \"time\": \"2025-03-12T{:02}:15:00Z\"", src.pick(24)) } else { String::new() };
    let tenant = if src.pick(4) == 0 { ", \"tenant\": \"acme\"" } else { "" };
    let head = format!(
        "\"agent\": {{\"id\": \"{agent}\", \"roles\": [{}]}}, \"session\": {{\"tainted\": {}, \"labels\": [{}]}}{time}{tenant}",
        roles.join(", "),
        src.flag(),
        labels.join(", ")
    );
    match src.pick(5) {
        0 => format!("{{\"phase\": \"input\", {head}, \"input\": {{\"text\": \"{}\"}}}}", json_text(src)),
        1 => {
            let uri = ["", ", \"uri\": \"https://evil.io/x\"", ", \"uri\": \"https://docs.acme.com/a\""][src.pick(3)];
            format!(
                "{{\"phase\": \"context\", {head}, \"item\": {{\"text\": \"{}\", \"source\": \"web\", \"provenance\": \"{}\"{uri}}}}}",
                json_text(src),
                ["retrieved", "user", "tool_output"][src.pick(3)]
            )
        }
        2 if src.flag() => {
            let steps: Vec<String> = (0..1 + src.pick(3)).map(|_| call(src).replace("\"source\": \"user\", ", "")).collect();
            format!("{{\"phase\": \"plan\", {head}, \"plan\": {{\"steps\": [{}]}}}}", steps.join(", "))
        }
        _ => format!("{{\"phase\": \"evaluate\", {head}, \"call\": {}}}", call(src)),
    }
}

/// A call (or plan step) with arguments from small pools.
fn call(src: &mut Source<'_>) -> String {
    {
        {
            let tool = ["t0", "t1", "t2"][src.pick(3)];
            let to = ["x@a.com", "y@b.org", "z@evil.io", "w@A.COM"][src.pick(4)];
            let amount = ["0.5", "100.5", "100.51", "1e3", "-3", "99999999999.9999"][src.pick(6)];
            let count = ["1", "0", "8", "-9", "9223372036854775807", "-9223372036854775808", "4611686018427387904"][src.pick(7)];
            let target = ["\"aab\"", "\"stop\"", "\"go\"", "\"\"", "\"12\"", "\"/etc/passwd\""][src.pick(6)];
            let env = ["dev", "staging", "prod"][src.pick(3)];
            let note = ["", ", \"note\": \"Hi\"", ", \"note\": null", ", \"note\": \"hello\""][src.pick(4)];
            let path = ["", ", \"path\": \"/etc/hosts\"", ", \"path\": \"/tmp/a\""][src.pick(3)];
            let tags = ["", ", \"tags\": [\"go\"]", ", \"tags\": [\"a\", \"stop\"]"][src.pick(3)];
            let provenance = ["", "\"to\": \"retrieved\"", "\"target\": \"tool_output\"", "\"note\": \"retrieved\""][src.pick(4)];
            format!(
                "{{\"tool\": \"{tool}\", \"source\": \"user\", \"args\": {{\"to\": \"{to}\", \"amount\": {amount}, \"count\": {count}, \"target\": {target}, \"env\": \"{env}\"{note}{path}{tags}}}, \"provenance\": {{{provenance}}}}}"
            )
        }
    }
}
