//! Embedding aisecops in a service: compile a policy set once, then decide requests from
//! several threads. Run with `cargo run --release --example embed`.

use std::sync::Arc;

use aisecops::{Engine, Outcome, Request, SourceFile};

const POLICY: &str = r#"
policy shop.agent

tool send_email { to: Email, subject: String, body: String }
tool refund { order: String, amount: Decimal }

capability cap_mail { send_email }
capability cap_refund { refund }

grant cap_mail to role "support"
grant cap_refund to role "billing"

const our_domains: Set<String> = {"shop.example"}

rule internal_mail_only on evaluate send_email {
  block "recipient_not_allowlisted" severity high when args.to.domain not in our_domains
}

rule big_refunds on evaluate refund {
  require_approval "large_refund" approvers ["finance"] when args.amount > 200.00
}
"#;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let engine = match Engine::compile(&[SourceFile { name: "shop.agp".into(), text: POLICY.into() }]) {
        Ok(engine) => Arc::new(engine),
        Err(e) => return Err(format!("policy does not compile: {:?}", e.diagnostics()).into()),
    };
    println!("policy {}", engine.hash());

    let requests = [
        r#"{"phase":"evaluate","agent":{"id":"bot","roles":["support"]},"call":{"tool":"send_email","args":{"to":"ann@shop.example","subject":"hi","body":"…"}}}"#,
        r#"{"phase":"evaluate","agent":{"id":"bot","roles":["support"]},"call":{"tool":"send_email","args":{"to":"eve@evil.io","subject":"hi","body":"…"}}}"#,
        r#"{"phase":"evaluate","agent":{"id":"bot","roles":["billing"]},"call":{"tool":"refund","args":{"order":"A-17","amount":450.00}}}"#,
        r#"{"phase":"evaluate","agent":{"id":"bot","roles":["support"]},"call":{"tool":"refund","args":{"order":"A-17","amount":5}}}"#,
    ];
    // Decide from several threads: the engine is Send + Sync.
    let handles: Vec<_> = requests
        .iter()
        .map(|text| {
            let engine = Arc::clone(&engine);
            let text = text.to_string();
            std::thread::spawn(move || -> Result<(String, Outcome, Option<String>), String> {
                let request = Request::from_json(&text).map_err(|m| m.message)?;
                let decision = engine.decide(&request);
                let tool = decision.tool.as_deref().unwrap_or_default().to_owned();
                Ok((tool, decision.outcome, decision.reason.as_deref().map(str::to_owned)))
            })
        })
        .collect();
    for handle in handles {
        let (tool, outcome, reason) = handle.join().map_err(|_| "a thread panicked")??;
        println!("{tool:<12} {:<16} {}", outcome.as_str(), reason.unwrap_or_default());
    }
    // The hot path: a verdict (outcome, reason, deciding rule) without the explanation, from a
    // prepared request or straight from JSON text.
    let mut request = Request::from_json(requests[2]).map_err(|m| m.message)?;
    engine.prepare(&mut request);
    let verdict = engine.verdict(&request);
    let rule = verdict.rule.and_then(|r| engine.rule_id(r)).unwrap_or_default();
    println!("verdict: {} {} ({rule})", verdict.outcome.as_str(), engine.verdict_reason(&verdict).unwrap_or_default());
    let verdict = engine.verdict_json(requests[1]).map_err(|m| m.message)?;
    println!("verdict from JSON: {} {}", verdict.outcome.as_str(), engine.verdict_reason(&verdict).unwrap_or_default());
    // The full decision, as JSON, with its explanation.
    println!("{}", serde_json::to_string_pretty(&engine.decide_json(requests[1]))?);
    println!("rule conditions run as native code: {}", engine.uses_jit());
    Ok(())
}
