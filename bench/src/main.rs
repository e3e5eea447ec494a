//! `aisecops-bench`: one workload in .agp, Cedar and Rego, timed side by side in one run.
//!
//!     cargo run --release -p aisecops-bench -- [--rules 10,100,1000,10000]
//!         [--engines aisecops-jit,aisecops-interp,cedar,regorus] [--only decoded|json|explained] [--json] [--emit DIR]
//!
//! Before timing, every engine decides every request and the harness checks they agree
//! (allow / block / approval; Cedar approvals are a second policy set of `permit`s asked when
//! access is allowed, Rego's the `approval` rule); it exits with status 1 if they do not. It then reports the median
//! and p99 time per decision from pre-decoded requests and from JSON (and, for aisecops, the full
//! decision with its explanation: `explained`), and compile+load times.
//! `--emit DIR` writes the generated policies (`DIR/<rules>/policy.agp`, `policy.cedar`,
//! `approvals.cedar`, `policy.rego`).

mod engines;
mod generate;

use std::time::Instant;

struct Row {
    engine: &'static str,
    rules: usize,
    input: &'static str,
    median_ns: f64,
    p99_ns: f64,
    requests: usize,
}

/// Times each item: a sample is the mean of `reps` back-to-back runs on one item; returns
/// (median, p99) in ns.
fn time_each<T>(items: &[T], reps: usize, mut run: impl FnMut(&T)) -> (f64, f64) {
    let mut samples = Vec::with_capacity(items.len());
    for item in items {
        let start = Instant::now();
        for _ in 0..reps {
            run(item);
        }
        samples.push(start.elapsed().as_nanos() as f64 / reps as f64);
    }
    samples.sort_by(|a, b| a.total_cmp(b));
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q).round() as usize];
    (at(0.5), at(0.99))
}

fn fail(message: String) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let flag = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let sizes: Vec<usize> =
        flag("--rules").unwrap_or_else(|| "10,100,1000,10000".to_owned()).split(',').filter_map(|s| s.trim().parse().ok()).collect();
    let wanted = flag("--engines").unwrap_or_else(|| "aisecops-jit,aisecops-interp,cedar,regorus".to_owned());
    let only = flag("--only");
    let json_out = args.iter().any(|a| a == "--json");
    if let Some(dir) = flag("--emit") {
        for &rules in &sizes {
            let w = generate::workload(rules, 7);
            let path = std::path::Path::new(&dir).join(rules.to_string());
            let written = std::fs::create_dir_all(&path)
                .and_then(|_| std::fs::write(path.join("policy.agp"), w.agp()))
                .and_then(|_| std::fs::write(path.join("policy.cedar"), w.cedar().0))
                .and_then(|_| std::fs::write(path.join("approvals.cedar"), w.cedar().1))
                .and_then(|_| std::fs::write(path.join("policy.rego"), w.rego()));
            if let Err(e) = written {
                fail(format!("cannot write {}: {e}", path.display()));
            }
            println!("wrote {}/policy.{{agp,cedar,rego}}", path.display());
        }
        return;
    }
    let mut rows = Vec::new();
    let mut compile = Vec::new();
    for &rules in &sizes {
        let workload = generate::workload(rules, 7);
        let calls = generate::calls(&workload, 2_000, 11);
        let mut engines: Vec<Box<dyn engines::Engine>> = Vec::new();
        for name in wanted.split(',') {
            let engine = engines::build(name.trim(), &workload, &calls).unwrap_or_else(|e| fail(format!("{name} at {rules} rules: {e}")));
            compile.push((engine.name(), rules, engine.compile_ms()));
            engines.push(engine);
        }
        // Agreement first: every engine must reach the same outcome on every request.
        let reference: Vec<engines::Class> = (0..calls.len()).map(|i| engines[0].decide_decoded(i)).collect();
        for engine in &engines {
            for (i, want) in reference.iter().enumerate() {
                let got = engine.decide_decoded(i);
                // The same engine from JSON, and with the explanation, must agree too.
                let json = engine.decide_json(i);
                let explained = engine.decide_explained(i).unwrap_or(got);
                if got != *want || json != got || explained != got {
                    fail(format!(
                        "{} and {} disagree at {rules} rules on request {i}: {want:?} vs {got:?} (json {json:?}, explained {explained:?})\n{}",
                        engines[0].name(),
                        engine.name(),
                        calls[i].flat_json()
                    ));
                }
            }
        }
        let mut counts = std::collections::BTreeMap::new();
        for c in &reference {
            *counts.entry(format!("{c:?}")).or_insert(0) += 1;
        }
        if !json_out {
            eprintln!("{rules} rules: {} engines agree on {} requests {counts:?}", engines.len(), calls.len());
        }
        let indices: Vec<usize> = (0..calls.len()).collect();
        for engine in &engines {
            let reps = engine.reps(rules);
            if only.as_deref().is_none_or(|o| o == "decoded") {
                let (median, p99) = time_each(&indices, reps, |i| {
                    std::hint::black_box(engine.decide_decoded(*i));
                });
                rows.push(Row { engine: engine.name(), rules, input: "decoded", median_ns: median, p99_ns: p99, requests: calls.len() });
            }
            if only.as_deref().is_none_or(|o| o == "json") {
                let (median, p99) = time_each(&indices, reps.div_ceil(4), |i| {
                    std::hint::black_box(engine.decide_json(*i));
                });
                rows.push(Row { engine: engine.name(), rules, input: "json", median_ns: median, p99_ns: p99, requests: calls.len() });
            }
            if only.as_deref().is_none_or(|o| o == "explained") && engine.decide_explained(0).is_some() {
                let (median, p99) = time_each(&indices, reps.div_ceil(4), |i| {
                    std::hint::black_box(engine.decide_explained(*i));
                });
                rows.push(Row { engine: engine.name(), rules, input: "explained", median_ns: median, p99_ns: p99, requests: calls.len() });
            }
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
    println!("\n| engine | rules | compile + load ms (policy text to a ready engine) |\n|---|---|---|");
    for (engine, rules, ms) in compile {
        println!("| {engine} | {rules} | {ms:.1} |");
    }
}
