//! `aisecops-detector-bench [--corpus DIR] [--errors dev|test|all] [--mb N] [--rule-costs [--warm]] [--thresholds] [--dump] [--only NAME] [--by-category] [--export DIR]`: the accuracy and
//! speed of the context guards on the labelled corpus (`corpus/`): precision, recall and F1 of
//! `injection.detect` per split (dev, test, all) and per category, of `pii.contains_pii` and
//! `secrets.contains_secret` likewise, then throughput in MB/s on mixed text, one core.
//! `--errors SPLIT` lists the misclassified texts of that split (for working on the rules with
//! the dev split while the test split stays unseen). `--thresholds` gives injection precision
//! and recall per split at each score threshold (for choosing `DETECT_THRESHOLD` on dev).
//! `--dump` prints, for every text of the three corpus files, what each detector says (score,
//! verdict, findings and spans), one line each: diff two builds' dumps to see what a change did.
//! `--only NAME` times only the throughput rows whose name contains NAME (for profiling).
//! `--by-category` gives `detect`'s share of the time and MB/s per corpus file, label and category.
//! The last table times `detect` on the corpus's benign texts alone, as they are and joined into
//! documents of about 4 KB. `--export DIR` writes the rules' patterns and the mixed-text row's
//! documents, normalised, for running the same patterns in another engine (`bench/probes/`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

use aisecops::runtime::natives::{injection, pii, secrets};
use serde_json::Value;

/// A detector as the throughput rows time it.
type Detector = fn(&str) -> bool;

struct Example {
    text: String,
    positive: bool,
    category: String,
    split: String,
}

fn load(path: &Path, positive_label: &str) -> Vec<Example> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| fail(format!("{}: {e}", path.display())));
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .enumerate()
        .map(|(i, line)| {
            let v: Value = serde_json::from_str(line).unwrap_or_else(|e| fail(format!("{}:{}: {e}", path.display(), i + 1)));
            let field = |k: &str| v.get(k).and_then(Value::as_str).unwrap_or_default().to_owned();
            Example { text: field("text"), positive: field("label") == positive_label, category: field("category"), split: field("split") }
        })
        .collect()
}

fn fail(message: String) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1)
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: u32,
    fp: u32,
    tn: u32,
    fn_: u32,
}

impl Counts {
    fn add(&mut self, positive: bool, flagged: bool) {
        match (positive, flagged) {
            (true, true) => self.tp += 1,
            (true, false) => self.fn_ += 1,
            (false, true) => self.fp += 1,
            (false, false) => self.tn += 1,
        }
    }
    fn precision(&self) -> f64 {
        f64::from(self.tp) / f64::from((self.tp + self.fp).max(1))
    }
    fn recall(&self) -> f64 {
        f64::from(self.tp) / f64::from((self.tp + self.fn_).max(1))
    }
    fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// Accuracy of `detect` on `examples`: overall by split, then by category.
fn report(name: &str, examples: &[Example], detect: fn(&str) -> bool, errors: Option<&str>) {
    let flagged: Vec<bool> = examples.iter().map(|e| detect(&e.text)).collect();
    println!("### {name}\n");
    println!("| split | examples | precision | recall | F1 | false positives | false negatives |");
    println!("|---|---|---|---|---|---|---|");
    for split in ["dev", "test", "all"] {
        let mut c = Counts::default();
        for (e, f) in examples.iter().zip(&flagged).filter(|(e, _)| split == "all" || e.split == split) {
            c.add(e.positive, *f);
        }
        println!(
            "| {split} | {} | {:.3} | {:.3} | {:.3} | {} | {} |",
            c.tp + c.fp + c.tn + c.fn_,
            c.precision(),
            c.recall(),
            c.f1(),
            c.fp,
            c.fn_
        );
    }
    let mut by_category: BTreeMap<(bool, &str), Counts> = BTreeMap::new();
    for (e, f) in examples.iter().zip(&flagged) {
        by_category.entry((!e.positive, &e.category)).or_default().add(e.positive, *f);
    }
    println!("\n| category | label | examples | flagged | recall (positives) / false-positive rate (negatives) |");
    println!("|---|---|---|---|---|");
    for ((negative, category), c) in &by_category {
        let total = c.tp + c.fp + c.tn + c.fn_;
        let flagged = c.tp + c.fp;
        let rate = f64::from(flagged) / f64::from(total.max(1));
        println!("| {category} | {} | {total} | {flagged} | {rate:.3} |", if *negative { "negative" } else { "positive" });
    }
    println!();
    if let Some(split) = errors {
        for (e, f) in examples.iter().zip(&flagged).filter(|(e, f)| e.positive != **f && (split == "all" || e.split == split)) {
            let kind = if *f { "FALSE POSITIVE" } else { "FALSE NEGATIVE" };
            let shown: String = e.text.chars().take(300).collect::<String>().replace('\n', "⏎");
            eprintln!("{kind} [{}] {shown}", e.category);
        }
    }
}

/// Injection precision and recall per split at each score threshold from 20 to 90.
fn thresholds(examples: &[Example]) {
    let scores: Vec<u8> = examples.iter().map(|e| injection::score(&e.text)).collect();
    println!("| threshold | dev precision | dev recall | test precision | test recall |");
    println!("|---|---|---|---|---|");
    for threshold in (20..=90).step_by(5) {
        let mut by_split = [Counts::default(), Counts::default()];
        for (e, &s) in examples.iter().zip(&scores) {
            by_split[usize::from(e.split == "test")].add(e.positive, s >= threshold);
        }
        let [dev, test] = by_split;
        let mark = if threshold == injection::DETECT_THRESHOLD { " (current)" } else { "" };
        println!("| {threshold}{mark} | {:.3} | {:.3} | {:.3} | {:.3} |", dev.precision(), dev.recall(), test.precision(), test.recall());
    }
}

/// `--by-category`: where `detect`'s time goes on the mixed text, by corpus file, label and
/// category: each group's share of the bytes and of the time, and its MB/s (every text timed
/// over 50 calls after one untimed).
fn by_category(sets: &[(&str, &[Example])]) {
    const CALLS: u32 = 50;
    let mut groups: BTreeMap<(String, bool, String), (usize, usize, f64)> = BTreeMap::new();
    for (file, set) in sets {
        for e in set.iter() {
            std::hint::black_box(injection::detect(&e.text));
            let start = Instant::now();
            for _ in 0..CALLS {
                std::hint::black_box(injection::detect(&e.text));
            }
            let seconds = start.elapsed().as_secs_f64() / f64::from(CALLS);
            let group = groups.entry(((*file).to_owned(), e.positive, e.category.clone())).or_default();
            group.0 += 1;
            group.1 += e.text.len();
            group.2 += seconds;
        }
    }
    let bytes: usize = groups.values().map(|g| g.1).sum();
    let seconds: f64 = groups.values().map(|g| g.2).sum();
    println!("| file | label | category | texts | share of bytes | share of time | MB/s | µs a text |");
    println!("|---|---|---|---|---|---|---|---|");
    for ((file, positive, category), (texts, b, s)) in &groups {
        println!(
            "| {file} | {} | {category} | {texts} | {:.3} | {:.3} | {:.0} | {:.2} |",
            if *positive { "positive" } else { "negative" },
            *b as f64 / bytes as f64,
            s / seconds,
            *b as f64 / 1e6 / s,
            s * 1e6 / *texts as f64
        );
    }
    println!("\nall: {:.0} MB/s over {bytes} bytes", bytes as f64 / 1e6 / seconds);
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    let corpus = value("--corpus").map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../corpus"), PathBuf::from);
    let errors = value("--errors");
    let megabytes: usize = value("--mb").and_then(|n| n.parse().ok()).unwrap_or(64);
    let injection_set = load(&corpus.join("injection.jsonl"), "injection");
    let pii_set = load(&corpus.join("pii.jsonl"), "pii");
    let secrets_set = load(&corpus.join("secrets.jsonl"), "secret");

    if args.iter().any(|a| a == "--thresholds") {
        thresholds(&injection_set);
        return;
    }
    if args.iter().any(|a| a == "--dump") {
        for e in injection_set.iter().chain(&pii_set).chain(&secrets_set) {
            let t = e.text.as_str();
            let found: Vec<String> = injection::findings(t).iter().map(|f| format!("{}@{:?}", f.rule, f.span)).collect();
            println!(
                "{} {} {:?} {:?} {} {}",
                injection::score(t),
                injection::detect(t),
                found,
                injection::spans(t),
                pii::contains_any(t),
                secrets::contains_any(t)
            );
        }
        return;
    }
    if let Some(dir) = value("--export") {
        let documents = injection_set.iter().chain(&pii_set).chain(&secrets_set).map(|e| e.text.as_str());
        if let Err(e) = export(Path::new(&dir), documents) {
            eprintln!("detector-bench: --export {dir}: {e}");
            std::process::exit(1);
        }
        return;
    }
    if args.iter().any(|a| a == "--by-category") {
        by_category(&[("injection", &injection_set), ("pii", &pii_set), ("secrets", &secrets_set)]);
        return;
    }
    if args.iter().any(|a| a == "--rule-costs") {
        let texts: Vec<&str> = injection_set.iter().map(|e| e.text.as_str()).collect();
        // `--warm`: a first pass untimed, so the patterns' lazy DFAs are built (the steady state).
        if args.iter().any(|a| a == "--warm") {
            injection::rule_costs(&texts);
        }
        let mut costs = injection::rule_costs(&texts);
        costs.sort_by(|a, b| b.2.total_cmp(&a.2));
        println!("| rule | texts enabling it | ms |\n|---|---|---|");
        for (rule, runs, seconds) in costs {
            println!("| {rule} | {runs} | {:.2} |", seconds * 1e3);
        }
        return;
    }
    println!("## Accuracy on the corpus\n");
    report("std.injection.detect", &injection_set, injection::detect, errors.as_deref());
    report("std.pii.contains_pii", &pii_set, pii::contains_any, errors.as_deref());
    report("std.secrets.contains_secret", &secrets_set, secrets::contains_any, errors.as_deref());

    // Mixed text: every corpus text, in corpus order, repeated to the size asked for; timed
    // per document (as rules call the functions) after a warm-up pass.
    let documents: Vec<&str> = injection_set.iter().chain(&pii_set).chain(&secrets_set).map(|e| e.text.as_str()).collect();
    let corpus_bytes: usize = documents.iter().map(|d| d.len()).sum();
    let rounds = (megabytes * 1_000_000).div_ceil(corpus_bytes.max(1));
    let timed: [(&str, Detector); 4] = [
        ("std.injection.detect", injection::detect),
        ("std.pii.contains_pii", pii::contains_any),
        ("std.secrets.contains_secret", secrets::contains_any),
        ("all three", |t| injection::detect(t) | pii::contains_any(t) | secrets::contains_any(t)),
    ];
    println!("## Throughput on mixed text (one core)\n");
    println!(
        "{} documents ({} bytes, mean {} bytes), {rounds} rounds ({:.0} MB) per row.\n",
        documents.len(),
        corpus_bytes,
        corpus_bytes / documents.len().max(1),
        (rounds * corpus_bytes) as f64 / 1e6
    );
    println!("| function | MB/s | documents/s |");
    println!("|---|---|---|");
    // `--only NAME`: one row (for profiling).
    let only = value("--only");
    for (name, detect) in timed.into_iter().filter(|(name, _)| only.as_deref().is_none_or(|o| name.contains(o))) {
        for d in &documents {
            std::hint::black_box(detect(d));
        }
        let start = Instant::now();
        for _ in 0..rounds {
            for d in &documents {
                std::hint::black_box(detect(d));
            }
        }
        let seconds = start.elapsed().as_secs_f64();
        let mb = (rounds * corpus_bytes) as f64 / 1e6;
        println!("| {name} | {:.0} | {:.0} |", mb / seconds, (rounds * documents.len()) as f64 / seconds);
    }
    if only.as_deref().is_none_or(|o| "benign".contains(o) || o.contains("benign")) {
        let negatives = injection_set.iter().chain(&pii_set).chain(&secrets_set).filter(|e| !e.positive);
        benign_documents(&negatives.map(|e| e.text.as_str()).collect::<Vec<_>>(), megabytes);
    }
}

/// Writes what another engine needs to run the injection rules on the mixed-text row's input
/// (`bench/probes/`): `patterns.tsv` (each rule's name, whether its pattern is ASCII, the
/// pattern) and `texts.bin` (every document normalised as the rules read it, in the row's
/// order, each as a 32-bit little-endian length and its bytes).
fn export<'a>(dir: &Path, documents: impl Iterator<Item = &'a str>) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut patterns = String::new();
    for (name, pattern) in injection::rule_patterns() {
        patterns.push_str(&format!("{name}\t{}\t{}\n", pattern.is_ascii(), pattern.replace('\n', "\\n")));
    }
    std::fs::write(dir.join("patterns.tsv"), patterns)?;
    let mut texts = Vec::new();
    for d in documents {
        let n = injection::normalised(d);
        let len = u32::try_from(n.len()).map_err(|_| std::io::Error::other("a document of 4 GiB or more"))?;
        texts.extend_from_slice(&len.to_le_bytes());
        texts.extend_from_slice(n.as_bytes());
    }
    std::fs::write(dir.join("texts.bin"), texts)
}

/// `detect` on benign text only (every negative of the corpus), as it comes and joined into
/// documents of about 4 KB: what a guard mostly reads, and how the cost grows with a
/// document's length (a longer text holds more of the rules' words, so more patterns run over
/// more bytes).
fn benign_documents(texts: &[&str], megabytes: usize) {
    let mut joined = vec![String::new()];
    for t in texts {
        if joined.last().is_some_and(|d| d.len() >= 4096) {
            joined.push(String::new());
        }
        if let Some(d) = joined.last_mut() {
            d.push_str(t);
            d.push_str("\n\n");
        }
    }
    println!("\n| benign text (`detect`) | documents | mean bytes | MB/s |\n|---|---|---|---|");
    let as_is: Vec<String> = texts.iter().map(|t| (*t).to_owned()).collect();
    for (name, docs) in [("as in the corpus", as_is), ("joined into documents of about 4 KB", joined)] {
        let bytes: usize = docs.iter().map(String::len).sum();
        let rounds = (megabytes * 1_000_000).div_ceil(bytes.max(1));
        for d in &docs {
            std::hint::black_box(injection::detect(d));
        }
        let start = Instant::now();
        for _ in 0..rounds {
            for d in &docs {
                std::hint::black_box(injection::detect(d));
            }
        }
        let seconds = start.elapsed().as_secs_f64();
        println!("| {name} | {} | {} | {:.0} |", docs.len(), bytes / docs.len().max(1), (rounds * bytes) as f64 / 1e6 / seconds);
    }
}
