//! `aisecops-bench`: times decisions on generated policies, side by side in one run.
//!
//!     cargo run --release -p aisecops-bench -- [--rules 10,100,1000,10000] [--only decoded|json] [--json] [--emit DIR]
//!
//! For each size it reports the median and p99 time per decision of the interpreter from a
//! decoded request and from JSON, and the compile time. `--emit DIR` writes the generated
//! policies (`DIR/<rules>/policy.agp`) for other tools, such as `aisecops check`.

mod generate;

use std::time::Instant;

use aisecops::{Engine, Request, SourceFile};

struct Row {
    engine: &'static str,
    rules: usize,
    input: &'static str,
    median_ns: f64,
    p99_ns: f64,
    requests: usize,
}

/// Times `decide` per request: each sample is the mean of `reps` back-to-back decisions of one
/// request, so clock overhead is amortised; returns (median, p99) in ns.
fn time_each<T>(items: &[T], reps: usize, mut decide: impl FnMut(&T)) -> (f64, f64) {
    let mut samples = Vec::with_capacity(items.len());
    for item in items {
        let start = Instant::now();
        for _ in 0..reps {
            decide(item);
        }
        samples.push(start.elapsed().as_nanos() as f64 / reps as f64);
    }
    samples.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.99))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let sizes: Vec<usize> =
        flag("--rules").unwrap_or_else(|| "10,100,1000,10000".to_owned()).split(',').filter_map(|s| s.trim().parse().ok()).collect();
    let json_out = args.iter().any(|a| a == "--json");
    let only = flag("--only");
    if let Some(dir) = flag("--emit") {
        for &rules in &sizes {
            let path = std::path::Path::new(&dir).join(rules.to_string());
            if let Err(e) = std::fs::create_dir_all(&path).and_then(|_| std::fs::write(path.join("policy.agp"), generate::policy(rules, 7)))
            {
                eprintln!("error: cannot write {}: {e}", path.display());
                std::process::exit(2);
            }
            println!("wrote {}/policy.agp", path.display());
        }
        return;
    }
    let mut rows = Vec::new();
    let mut compile_ms = Vec::new();
    for &rules in &sizes {
        let source = generate::policy(rules, 7);
        let start = Instant::now();
        let engine = match Engine::compile(&[SourceFile { name: "policy.agp".into(), text: source }]) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("error: the generated policy does not compile: {:?}", e.diagnostics());
                std::process::exit(1);
            }
        };
        compile_ms.push((rules, start.elapsed().as_secs_f64() * 1e3));
        let texts = generate::requests(rules, 2_000, 11);
        let decoded: Vec<Request> = texts.iter().filter_map(|t| Request::from_json(t).ok()).collect();
        assert_eq!(decoded.len(), texts.len());
        // Warm up, and check the workload reaches every outcome.
        let mut outcomes = std::collections::BTreeMap::new();
        for r in &decoded {
            *outcomes.entry(engine.decide(r).outcome.as_str()).or_insert(0) += 1;
        }
        if only.as_deref() != Some("json") {
            let (median, p99) = time_each(&decoded, 50, |r| {
                std::hint::black_box(engine.decide(r));
            });
            rows.push(Row { engine: "aisecops-interp", rules, input: "decoded", median_ns: median, p99_ns: p99, requests: decoded.len() });
        }
        if only.as_deref() != Some("decoded") {
            let (median, p99) = time_each(&texts, 20, |t| {
                std::hint::black_box(engine.decide_json(t));
            });
            rows.push(Row { engine: "aisecops-interp", rules, input: "json", median_ns: median, p99_ns: p99, requests: texts.len() });
        }
        if !json_out {
            eprintln!("{rules} rules: outcomes {outcomes:?}");
        }
    }
    if json_out {
        let array: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| serde_json::json!({"engine": r.engine, "rules": r.rules, "input": r.input, "median_ns": r.median_ns.round(), "p99_ns": r.p99_ns.round(), "requests": r.requests}))
            .collect();
        println!("{}", serde_json::to_string_pretty(&array).unwrap_or_default());
        return;
    }
    println!("| engine | rules | input | median ns | p99 ns | requests |");
    println!("|---|---|---|---|---|---|");
    for r in &rows {
        println!("| {} | {} | {} | {:.0} | {:.0} | {} |", r.engine, r.rules, r.input, r.median_ns, r.p99_ns, r.requests);
    }
    println!();
    for (rules, ms) in compile_ms {
        println!("compile {rules} rules: {ms:.1} ms");
    }
}
