//! `aisecops lsp` end to end: the binary is spawned and spoken to in JSON-RPC over stdio.
//! Every read has a timeout, so a hung server fails the test instead of hanging it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::Duration;

use serde_json::{json, Value};

const TIMEOUT: Duration = Duration::from_secs(20);

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: u64,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_aisecops"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdin = child.stdin.take().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, messages) = channel();
        std::thread::spawn(move || loop {
            let mut length = None;
            loop {
                let mut line = String::new();
                if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let line = line.trim_end();
                if line.is_empty() {
                    break;
                }
                if let Some(n) = line.strip_prefix("Content-Length: ") {
                    length = n.parse::<usize>().ok();
                }
            }
            let mut body = vec![0; length.unwrap_or(0)];
            if stdout.read_exact(&mut body).is_err() || tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
                return;
            }
        });
        let mut server = Server { child, stdin, messages, next_id: 0 };
        let init = server.request("initialize", json!({"capabilities": {}}));
        assert_eq!(init["capabilities"]["documentFormattingProvider"], true);
        server.notify("initialized", json!({}));
        server
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response (skipping notifications).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.messages.recv_timeout(TIMEOUT).unwrap_or_else(|_| panic!("no answer to {method} in {TIMEOUT:?}"));
            if message["id"] == id {
                assert!(message.get("error").is_none(), "{method} failed: {message}");
                return message["result"].clone();
            }
        }
    }

    /// Waits for the diagnostics of `uri` at `version`.
    fn diagnostics(&mut self, uri: &str, version: i64) -> Vec<Value> {
        loop {
            let message = self.messages.recv_timeout(TIMEOUT).unwrap_or_else(|_| panic!("no diagnostics for version {version}"));
            let params = &message["params"];
            if message["method"] == "textDocument/publishDiagnostics" && params["uri"] == uri && params["version"] == version {
                return params["diagnostics"].as_array().cloned().unwrap_or_default();
            }
        }
    }

    fn stop(mut self) {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        for _ in 0..100 {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "the server exited with {status}");
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("the server did not exit after `exit`");
    }
}

fn uri_in_temp(name: &str) -> (std::path::PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("aisecops-lsp-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("policy.agp");
    (path.clone(), format!("file://{}", path.display()))
}

#[test]
fn diagnostics_follow_edits_and_formatting_works() {
    let (_, uri) = uri_in_temp("edits");
    let mut server = Server::start();
    let broken = "policy a.b\ntool t { x: String }\ngrant cap_x to role \"r\"\n";
    server.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": "agp", "version": 1, "text": broken}}));
    let diags = server.diagnostics(&uri, 1);
    let codes: Vec<&str> = diags.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert!(codes.contains(&"AGP0202"), "{diags:?}");
    let unknown = diags.iter().find(|d| d["code"] == "AGP0202").unwrap();
    assert_eq!(unknown["range"], json!({"start": {"line": 2, "character": 6}, "end": {"line": 2, "character": 11}}));
    assert_eq!(unknown["severity"], 1);

    let fixed = "policy   a.b\ntool t {x: String}\ncapability cap_x { t }\ngrant cap_x to role \"r\"\n";
    server.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": fixed}]}));
    assert_eq!(server.diagnostics(&uri, 2), Vec::<Value>::new());

    let edits =
        server.request("textDocument/formatting", json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}));
    assert_eq!(edits[0]["newText"], "policy a.b\ntool t { x: String }\ncapability cap_x { t }\ngrant cap_x to role \"r\"\n");
    assert_eq!(edits[0]["range"]["start"], json!({"line": 0, "character": 0}));
    server.stop();
}

#[test]
fn the_server_survives_random_edits() {
    let (_, uri) = uri_in_temp("random");
    let text = std::fs::read_to_string(support::root().join("examples/payments/payments.agp")).unwrap();
    let mut chars: Vec<char> = text.chars().collect();
    let mut server = Server::start();
    server.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": "agp", "version": 1, "text": text}}));
    assert_eq!(server.diagnostics(&uri, 1), Vec::<Value>::new(), "the example is clean");
    // A fixed xorshift sequence: insertions of characters that matter to the grammar and
    // deletions, 150 edits, each answered with diagnostics for its version.
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let alphabet: Vec<char> = "{}()[]\"'/*,.:=<>! \nabzé0123456789_".chars().collect();
    for version in 2..152 {
        let at = (next() % (chars.len() as u64 + 1)) as usize;
        if next() % 3 == 0 && at < chars.len() {
            chars.remove(at);
        } else {
            chars.insert(at, alphabet[(next() % alphabet.len() as u64) as usize]);
        }
        let text: String = chars.iter().collect();
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
        let diags = server.diagnostics(&uri, version);
        for d in &diags {
            assert!(d["code"].as_str().is_some_and(|c| c.starts_with("AGP")), "{d}");
        }
    }
    // Still answering requests.
    let _ =
        server.request("textDocument/formatting", json!({"textDocument": {"uri": uri}, "options": {"tabSize": 2, "insertSpaces": true}}));
    server.stop();
}

#[test]
fn symbols_hover_definition_and_references_across_files() {
    let (path, _) = uri_in_temp("symbols");
    let dir = path.parent().unwrap().to_path_buf();
    let tools = "policy set.tools\ntool send_email { to: Email, sensitive body: String }\ncapability cap_mail { send_email }\n";
    let rules = "policy set.rules\nuse set.tools\ngrant cap_mail to role \"support\"\nrule allowlist on evaluate send_email {\n  block \"outside\" when args.to.domain != \"acme.com\"\n}\n";
    std::fs::write(dir.join("tools.agp"), tools).unwrap();
    std::fs::write(dir.join("rules.agp"), rules).unwrap();
    let (tools_uri, rules_uri) =
        (format!("file://{}", dir.join("tools.agp").display()), format!("file://{}", dir.join("rules.agp").display()));
    let mut server = Server::start();
    server.notify("textDocument/didOpen", json!({"textDocument": {"uri": rules_uri, "languageId": "agp", "version": 1, "text": rules}}));
    assert_eq!(server.diagnostics(&rules_uri, 1), Vec::<Value>::new(), "the set checks clean");

    let symbols = server.request("textDocument/documentSymbol", json!({"textDocument": {"uri": rules_uri}}));
    let names: Vec<&str> = symbols.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["allowlist"]);

    // `send_email` in the rule header (line 3, character 27).
    let at = json!({"textDocument": {"uri": rules_uri}, "position": {"line": 3, "character": 29}});
    let hover = server.request("textDocument/hover", at.clone());
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("tool send_email {") && text.contains("sensitive body: String,"), "{text}");
    let definition = server.request("textDocument/definition", at.clone());
    assert_eq!(definition["uri"], tools_uri.as_str());
    assert_eq!(definition["range"]["start"], json!({"line": 1, "character": 5}));

    let mut with_declaration = at.clone();
    with_declaration["context"] = json!({"includeDeclaration": true});
    let references = server.request("textDocument/references", with_declaration);
    let mut places: Vec<(String, u64)> = references
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["uri"].as_str().unwrap().to_owned(), r["range"]["start"]["line"].as_u64().unwrap()))
        .collect();
    places.sort();
    let mut want = vec![(rules_uri.clone(), 3), (tools_uri.clone(), 1), (tools_uri.clone(), 2)];
    want.sort();
    assert_eq!(places, want);
    // `domain` after `.` is a field, not a name with a declaration: it shows its expression's type.
    let field = server.request("textDocument/hover", json!({"textDocument": {"uri": rules_uri}, "position": {"line": 4, "character": 31}}));
    assert_eq!(field["contents"]["value"], "```agp\nargs.to.domain: String\n```");
    assert_eq!(field["range"], json!({"start": {"line": 4, "character": 23}, "end": {"line": 4, "character": 37}}));
    // A capability shows its tools; outside any expression or name, nothing.
    let capability =
        server.request("textDocument/hover", json!({"textDocument": {"uri": rules_uri}, "position": {"line": 2, "character": 8}}));
    assert!(capability["contents"]["value"].as_str().unwrap().contains("capability cap_mail { send_email }"), "{capability}");
    let nothing =
        server.request("textDocument/hover", json!({"textDocument": {"uri": rules_uri}, "position": {"line": 0, "character": 1}}));
    assert_eq!(nothing, Value::Null);
    server.stop();
}

#[test]
fn completion_of_arguments_and_names_and_did_you_mean_fixes() {
    let (path, uri) = uri_in_temp("complete");
    let text = "policy c.d\nuse std.injection\nenum Env { dev, prod }\ntool deploy { service: String, env: Env, sensitive token: String }\ncapability cap_ops { deploy }\ngrant cap_ops to role \"sre\"\nrule prod_only on evaluate deploy {\n  block \"x\" when args.\n}\n";
    std::fs::write(&path, text).unwrap();
    let mut server = Server::start();
    server.notify("textDocument/didOpen", json!({"textDocument": {"uri": uri, "languageId": "agp", "version": 1, "text": text}}));
    let _ = server.diagnostics(&uri, 1);
    // After `args.` on line 7.
    let items = server.request("textDocument/completion", json!({"textDocument": {"uri": uri}, "position": {"line": 7, "character": 22}}));
    let labels: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["service", "env", "token"]);
    // Elsewhere: the set's names and enum variants.
    let items = server.request("textDocument/completion", json!({"textDocument": {"uri": uri}, "position": {"line": 5, "character": 0}}));
    let labels: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    for want in ["Env", "cap_ops", "deploy", "dev", "prod", "len", "any", "injection"] {
        assert!(labels.contains(&want), "{want} not in {labels:?}");
    }
    // After a typed value's `.`: its fields, properties and methods; after a module's, its functions.
    let members = |server: &mut Server, text: &str, version: i64, line: u64, character: u64| -> Vec<String> {
        server.notify(
            "textDocument/didChange",
            json!({"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]}),
        );
        let _ = server.diagnostics(&uri, version);
        let items = server
            .request("textDocument/completion", json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}}));
        items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap().to_owned()).collect()
    };
    let labels = members(&mut server, &text.replace("when args.\n", "when args.service.\n"), 2, 7, 30);
    assert!(labels.contains(&"starts_with".to_owned()) && labels.contains(&"lower".to_owned()), "{labels:?}");
    let labels = members(&mut server, &text.replace("when args.\n", "when injection.\n"), 3, 7, 27);
    assert!(labels.contains(&"detect".to_owned()) && labels.contains(&"score".to_owned()), "{labels:?}");
    let labels = members(&mut server, &text.replace("when args.\n", "when agent.\n"), 4, 7, 23);
    assert_eq!(labels, ["id", "roles"]);
    // A misspelt capability gets a quick fix.
    let typo = text.replace("grant cap_ops", "grant cap_opz").replace("when args.\n", "when args.env == prod\n");
    server.notify("textDocument/didChange", json!({"textDocument": {"uri": uri, "version": 5}, "contentChanges": [{"text": typo}]}));
    let diags = server.diagnostics(&uri, 5);
    let unknown = diags.iter().find(|d| d["code"] == "AGP0202").cloned().unwrap_or_else(|| panic!("{diags:?}"));
    let actions = server.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": uri}, "range": unknown["range"], "context": {"diagnostics": [unknown]}}),
    );
    let action = &actions[0];
    assert_eq!(action["title"], "replace with `cap_ops`");
    assert_eq!(action["edit"]["changes"][uri.as_str()][0]["newText"], "cap_ops");
    server.stop();
}
