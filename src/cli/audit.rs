//! `aisecops audit verify LOG...` checks a log's hash chain and reports the first modified,
//! deleted, inserted or reordered event with its file and line (exit 1 on tampering);
//! `aisecops audit stats LOG...` summarises decisions by tenant, tool, rule and reason over
//! time buckets, with the most-blocked tools and approval rates.

use std::path::PathBuf;
use std::process::ExitCode;

use aisecops::audit::{log_files, read_lines, stats, verify, LogLine, Stats};
use clap::{Args, Subcommand, ValueEnum};

#[derive(Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub command: AuditCommand,
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Check the hash chain of audit logs (a log's rotated files are found next to it).
    Verify(VerifyArgs),
    /// Summarise the decisions in audit logs.
    Stats(StatsArgs),
}

#[derive(Args)]
pub struct VerifyArgs {
    /// Log files or directories of them.
    #[arg(required = true)]
    pub logs: Vec<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    Table,
    Json,
}

#[derive(Args)]
pub struct StatsArgs {
    /// Log files or directories of them.
    #[arg(required = true)]
    pub logs: Vec<PathBuf>,
    /// Bucket length: `<N>m`, `<N>h` or `<N>d`.
    #[arg(long, default_value = "1h")]
    pub bucket: String,
    #[arg(long, value_enum, default_value = "table")]
    pub format: Format,
}

pub fn run(args: &AuditArgs) -> ExitCode {
    match &args.command {
        AuditCommand::Verify(v) => run_verify(v),
        AuditCommand::Stats(s) => run_stats(s),
    }
}

/// The lines of the logs, or the exit code after reporting why they cannot be read.
pub fn load(logs: &[PathBuf]) -> Result<Vec<LogLine>, ExitCode> {
    log_files(logs).and_then(|files| read_lines(&files)).map_err(|e| {
        eprintln!("error: cannot read the audit log: {e}");
        ExitCode::from(2)
    })
}

fn run_verify(args: &VerifyArgs) -> ExitCode {
    let lines = match load(&args.logs) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let v = verify(&lines);
    if let Some(place) = &v.torn {
        println!("note: {place}: the last event was never finished (a write cut short); it is not part of the log");
    }
    match &v.tampering {
        Some(t) => {
            println!("TAMPERED {t}");
            println!("{} events verified before it", v.events);
            ExitCode::from(1)
        }
        None => {
            match &v.head {
                Some((seq, hash)) => println!("ok: {} events, chain intact (last seq {seq}, hash {hash})", v.events),
                None => println!("ok: the log is empty"),
            }
            ExitCode::SUCCESS
        }
    }
}

/// `30m`, `1h`, `1d` in milliseconds.
fn bucket_ms(text: &str) -> Option<i64> {
    let (n, unit) = text.split_at(text.find(|c: char| !c.is_ascii_digit())?);
    let n: i64 = n.parse().ok().filter(|n| *n > 0)?;
    let unit = match unit {
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return None,
    };
    n.checked_mul(unit)
}

fn run_stats(args: &StatsArgs) -> ExitCode {
    let Some(bucket) = bucket_ms(&args.bucket) else {
        eprintln!("error: --bucket: expected a length such as `30m`, `1h` or `1d`, not `{}`", args.bucket);
        return ExitCode::from(2);
    };
    let lines = match load(&args.logs) {
        Ok(l) => l,
        Err(code) => return code,
    };
    let s = stats(&lines, bucket);
    match args.format {
        Format::Json => println!("{}", serde_json::to_string_pretty(&s).unwrap_or_default()),
        Format::Table => print!("{}", table(&s)),
    }
    ExitCode::SUCCESS
}

fn table(s: &Stats) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let t = &s.total.decisions;
    let _ = writeln!(
        out,
        "{} events: {} ALLOW, {} SANITIZE, {} REQUIRE_APPROVAL, {} BLOCK (approval rate {:.1}%)",
        s.events,
        t.allow,
        t.sanitize,
        t.require_approval,
        t.block,
        100.0 * t.approval_rate()
    );
    let _ = writeln!(out, "\n| bucket start | decisions | allow | sanitize | approval | block | top tenant | top rule |");
    let _ = writeln!(out, "|---|---|---|---|---|---|---|---|");
    for (start, b) in &s.buckets {
        let top = |m: &std::collections::BTreeMap<String, aisecops::audit::Counts>| {
            m.iter()
                .max_by(|a, b| a.1.total.cmp(&b.1.total).then_with(|| b.0.cmp(a.0)))
                .map(|(k, c)| format!("{k} ({})", c.total))
                .unwrap_or_default()
        };
        let c = &b.decisions;
        let _ = writeln!(
            out,
            "| {start} | {} | {} | {} | {} | {} | {} | {} |",
            c.total,
            c.allow,
            c.sanitize,
            c.require_approval,
            c.block,
            top(&b.by_tenant),
            top(&b.by_rule)
        );
    }
    for (title, map) in
        [("tenant", &s.total.by_tenant), ("tool", &s.total.by_tool), ("rule", &s.total.by_rule), ("reason", &s.total.by_reason)]
    {
        let _ = writeln!(out, "\n| {title} | decisions | allow | sanitize | approval | block |");
        let _ = writeln!(out, "|---|---|---|---|---|---|");
        for (k, c) in map {
            let _ = writeln!(out, "| {k} | {} | {} | {} | {} | {} |", c.total, c.allow, c.sanitize, c.require_approval, c.block);
        }
    }
    let _ = writeln!(out, "\nmost-blocked tools:");
    for (tool, n) in s.most_blocked_tools.iter().take(10) {
        let rate = s.approval_rates.get(tool).copied().unwrap_or(0.0);
        let _ = writeln!(out, "  {tool}: {n} blocked (approval rate {:.1}%)", 100.0 * rate);
    }
    if s.unreadable > 0 {
        let _ = writeln!(out, "\n{} lines are not events", s.unreadable);
    }
    out
}
