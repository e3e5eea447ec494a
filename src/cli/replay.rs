//! `aisecops replay --log LOG... --policy NEW`: decides every logged request again under NEW
//! and reports the drift — changed decisions by (old → new) and by rule with example
//! correlation ids, and the unchanged count — as a table, JSON, or one self-contained HTML
//! page with a chart of changes per rule. Under the policy that wrote the log it says whether
//! every decision was reproduced exactly.

use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use aisecops::audit::{replay, Drift};
use clap::{Args, ValueEnum};

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Json,
    Html,
}

#[derive(Args)]
pub struct ReplayArgs {
    /// Audit logs (files or directories); a log's rotated files are found next to it.
    #[arg(long = "log", required = true, num_args = 1..)]
    pub logs: Vec<PathBuf>,
    /// The policy to replay under: a directory of `.agp` files or a `.agpc` bundle.
    #[arg(long)]
    pub policy: PathBuf,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

pub fn run(args: &ReplayArgs, options: aisecops::Options) -> ExitCode {
    let engine = match super::policy::load(&args.policy, options) {
        Ok(e) => e,
        Err(code) => return ExitCode::from(code),
    };
    let lines = match super::audit::load(&args.logs) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let drift = replay(&engine, &lines);
    match args.format {
        Format::Table => print!("{}", table(&drift)),
        Format::Json => println!("{}", json(&drift)),
        Format::Html => print!("{}", html(&drift)),
    }
    if drift.forensic() == Some(false) {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

fn verdict(d: &Drift) -> String {
    let changed: u64 = d.by_decision.values().map(|c| c.count).sum();
    match d.forensic() {
        Some(true) if d.masked.count == 0 => {
            format!("forensic replay: the policy that wrote the log reproduced all {} decisions exactly", d.events)
        }
        Some(true) => format!(
            "forensic replay: the policy that wrote the log reproduced all {} comparable decisions exactly; {} depend on masked arguments and cannot be compared",
            d.identical, d.masked.count
        ),
        Some(false) => format!(
            "forensic replay FAILED: under the policy that wrote the log, {} of {} decisions differ from the log",
            d.events - d.identical,
            d.events
        ),
        None => format!("{} events: {} unchanged, {changed} changed, {} masked and not comparable", d.events, d.unchanged, d.masked.count),
    }
}

fn table(d: &Drift) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", verdict(d));
    let _ =
        writeln!(out, "replayed under {} (logged under {})", d.policy, d.logged_policies.iter().cloned().collect::<Vec<_>>().join(", "));
    let _ = writeln!(out, "\n| change | count | examples |");
    let _ = writeln!(out, "|---|---|---|");
    let _ = writeln!(out, "| unchanged | {} | |", d.unchanged);
    for (change, c) in &d.by_decision {
        let _ = writeln!(out, "| {change} | {} | {} |", c.count, c.examples.join(", "));
    }
    if d.masked.count > 0 {
        let _ = writeln!(out, "| masked, not comparable | {} | {} |", d.masked.count, d.masked.examples.join(", "));
    }
    if !d.by_rule.is_empty() {
        let _ = writeln!(out, "\n| rule | decides now | no longer decides | examples |");
        let _ = writeln!(out, "|---|---|---|---|");
        for (rule, r) in &d.by_rule {
            let examples: Vec<&str> = r.gained.examples.iter().chain(&r.lost.examples).map(String::as_str).take(5).collect();
            let _ = writeln!(out, "| {rule} | {} | {} | {} |", r.gained.count, r.lost.count, examples.join(", "));
        }
    }
    if !d.unreadable.is_empty() {
        let _ = writeln!(out, "\n{} lines are not events (first at {})", d.unreadable.len(), d.unreadable[0]);
    }
    out
}

fn json(d: &Drift) -> String {
    let mut value = serde_json::to_value(d).unwrap_or_default();
    if let Some(o) = value.as_object_mut() {
        o.insert("forensic".to_owned(), serde_json::json!(d.forensic()));
        o.insert("summary".to_owned(), serde_json::json!(verdict(d)));
    }
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// One page, no scripts or external files: the summary, a bar chart (SVG) of changed
/// decisions per rule, and the tables.
fn html(d: &Drift) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>aisecops replay</title>\n");
    out.push_str("<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:60em}table{border-collapse:collapse;margin:1em 0}");
    out.push_str(
        "td,th{border:1px solid #ccc;padding:.3em .6em;text-align:left}.gained{fill:#c0392b}.lost{fill:#2e86c1}</style></head><body>\n",
    );
    let _ = writeln!(out, "<h1>Policy drift</h1>\n<p>{}</p>", escape(&verdict(d)));
    let _ = writeln!(out, "<p>Replayed under <code>{}</code>.</p>", escape(&d.policy));
    let rules: Vec<(&String, u64, u64)> = d.by_rule.iter().map(|(r, x)| (r, x.gained.count, x.lost.count)).collect();
    let max = rules.iter().map(|(_, g, l)| g.max(l)).copied().max().unwrap_or(0).max(1);
    let (row, width) = (28, 400);
    let _ = writeln!(
        out,
        "<h2>Changed decisions per rule</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\" role=\"img\" aria-label=\"changes per rule\">",
        width + 360,
        row * rules.len().max(1) + 30
    );
    for (i, (rule, gained, lost)) in rules.iter().enumerate() {
        let y = i * row + 24;
        let (g, l) = (gained * width as u64 / max, lost * width as u64 / max);
        let _ = writeln!(out, "<text x=\"0\" y=\"{}\" font-size=\"12\">{}</text>", y + 12, escape(rule));
        let _ = writeln!(
            out,
            "<rect class=\"gained\" x=\"250\" y=\"{y}\" width=\"{g}\" height=\"10\"><title>decides now: {gained}</title></rect>"
        );
        let _ = writeln!(
            out,
            "<rect class=\"lost\" x=\"250\" y=\"{}\" width=\"{l}\" height=\"10\"><title>no longer decides: {lost}</title></rect>",
            y + 11
        );
        let _ = writeln!(out, "<text x=\"{}\" y=\"{}\" font-size=\"11\">+{gained} / −{lost}</text>", 255 + g.max(l), y + 14);
    }
    let _ = writeln!(out, "<text x=\"250\" y=\"12\" font-size=\"11\">red: decides now · blue: no longer decides</text></svg>");
    out.push_str("<h2>By decision</h2>\n<table><tr><th>change</th><th>count</th><th>examples</th></tr>\n");
    let _ = writeln!(out, "<tr><td>unchanged</td><td>{}</td><td></td></tr>", d.unchanged);
    for (change, c) in &d.by_decision {
        let _ = writeln!(out, "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", escape(change), c.count, escape(&c.examples.join(", ")));
    }
    if d.masked.count > 0 {
        let _ = writeln!(
            out,
            "<tr><td>masked, not comparable</td><td>{}</td><td>{}</td></tr>",
            d.masked.count,
            escape(&d.masked.examples.join(", "))
        );
    }
    out.push_str("</table>\n</body></html>\n");
    out
}
