//! `lsp-bench [--lines N]`: how long after an edit the diagnostics of a large policy arrive
//! from `aisecops lsp`. Generates a policy of about N lines (default 2,000: tools, capabilities,
//! grants and rules), opens it in a spawned `target/release/aisecops lsp`, then applies 50
//! edits — each breaks or fixes a reference — and times each `didChange` to its
//! `publishDiagnostics`. Prints the median and the worst.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde_json::{json, Value};

fn policy(lines: usize) -> String {
    let mut out = String::from("policy bench.large\n\n");
    let mut i = 0;
    while out.lines().count() < lines {
        out.push_str(&format!(
            "tool t{i} {{ to: Email, amount: Decimal, note: String? }}\ncapability cap{i} {{ t{i} }}\ngrant cap{i} to role \"role{i}\"\n\
             rule r{i} on evaluate t{i} {{\n  block \"domain_{i}\" when args.to.domain != \"acme.com\" and args.amount > {i}.0\n  \
             require_approval \"big_{i}\" approvers [\"finance\"] when args.amount > 1000.0\n}}\n\n"
        ));
        i += 1;
    }
    out
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let lines: usize = args.iter().position(|a| a == "--lines").and_then(|i| args.get(i + 1)).and_then(|n| n.parse().ok()).unwrap_or(2000);
    let binary = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/release/aisecops");
    let mut child =
        Command::new(&binary).arg("lsp").stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap_or_else(|e| {
            eprintln!("error: cannot start {} (build it with `cargo build --release`): {e}", binary.display());
            std::process::exit(1)
        });
    let mut stdin = child.stdin.take().unwrap_or_else(|| std::process::exit(1));
    let mut stdout = BufReader::new(child.stdout.take().unwrap_or_else(|| std::process::exit(1)));
    let mut send = |message: Value| {
        let body = message.to_string();
        let _ = write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len());
        let _ = stdin.flush();
    };
    let mut read = move || -> Value {
        let mut length = 0;
        loop {
            let mut line = String::new();
            if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                eprintln!("error: the server closed its output");
                std::process::exit(1);
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        let _ = stdout.read_exact(&mut body);
        serde_json::from_slice(&body).unwrap_or(Value::Null)
    };
    let dir = std::env::temp_dir().join(format!("aisecops-lsp-bench-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let uri = format!("file://{}/large.agp", dir.display());
    let text = policy(lines);
    send(json!({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}));
    read();
    send(json!({"jsonrpc": "2.0", "method": "initialized", "params": {}}));
    let wait = |read: &mut dyn FnMut() -> Value, version: i64| -> usize {
        loop {
            let m = read();
            if m["method"] == "textDocument/publishDiagnostics" && m["params"]["version"] == version {
                return m["params"]["diagnostics"].as_array().map_or(0, Vec::len);
            }
        }
    };
    let start = Instant::now();
    send(
        json!({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {"uri": uri, "languageId": "agp", "version": 1, "text": text}}}),
    );
    let first = wait(&mut read, 1);
    let open_ms = start.elapsed().as_secs_f64() * 1e3;
    let mut samples = Vec::new();
    let mut errors = 0;
    for version in 2..52 {
        // Odd versions break a grant's capability name, even ones restore the text.
        let edited = if version % 2 == 0 { text.replacen("grant cap3 ", "grant cap_missing ", 1) } else { text.clone() };
        let start = Instant::now();
        send(
            json!({"jsonrpc": "2.0", "method": "textDocument/didChange", "params": {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": edited}]}}),
        );
        errors += wait(&mut read, version);
        samples.push(start.elapsed().as_secs_f64() * 1e3);
    }
    samples.sort_by(f64::total_cmp);
    println!("| policy lines | diagnostics on open | after an edit: median | worst | edits |");
    println!("|---|---|---|---|---|");
    println!(
        "| {} | {open_ms:.1} ms ({first} diagnostics) | {:.1} ms | {:.1} ms | {} ({errors} diagnostics in all) |",
        text.lines().count(),
        samples[samples.len() / 2],
        samples[samples.len() - 1],
        samples.len()
    );
    send(json!({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}));
    send(json!({"jsonrpc": "2.0", "method": "exit"}));
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);
}
