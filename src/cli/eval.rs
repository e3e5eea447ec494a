//! `aisecops eval --policy PATH --request FILE|-`: decide requests and print decision JSON
//! (`--jsonl`: one request per line in, one decision per line out). `--audit LOG` appends an
//! audit event per decision to a chained log and prints a decision only once its event is
//! acknowledged; `--metrics FILE` writes the Prometheus metrics at the end.

use std::io::{BufRead, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use aisecops::audit::{AuditWriter, Auditor, Clock, FixedClock, Flush, SystemClock, WriterOptions};
use aisecops::Metrics;
use clap::Args;

#[derive(Args)]
pub struct EvalArgs {
    /// The policy: a directory of `.agp` files or a compiled `.agpc` bundle.
    #[arg(long)]
    pub policy: PathBuf,
    /// A file with the request JSON, or `-` for standard input.
    #[arg(long, default_value = "-")]
    pub request: String,
    /// Read one request per line and write one decision per line.
    #[arg(long)]
    pub jsonl: bool,
    /// Append an audit event for every decision to this log (JSONL, hash-chained).
    #[arg(long, value_name = "LOG")]
    pub audit: Option<PathBuf>,
    /// When the audit log is flushed: `event` (every event), a number of events, or a time
    /// such as `100ms`.
    #[arg(long, default_value = "event", requires = "audit")]
    pub flush: Flush,
    /// fsync the audit log after every flush.
    #[arg(long, requires = "audit")]
    pub fsync: bool,
    /// Start a new audit file when the current one would pass this many bytes.
    #[arg(long, value_name = "BYTES", requires = "audit")]
    pub rotate_bytes: Option<u64>,
    /// Stamp audit events with this time (RFC 3339) instead of the system clock.
    #[arg(long, value_name = "TIME", requires = "audit")]
    pub fixed_time: Option<String>,
    /// Write the Prometheus metrics (text exposition) to this file at the end.
    #[arg(long, value_name = "FILE")]
    pub metrics: Option<PathBuf>,
    /// How many distinct tenants get metric series of their own; decisions for later tenants
    /// are counted under the tenant `(other tenants)`.
    #[arg(long, value_name = "N", requires = "metrics", default_value_t = aisecops::metrics::DEFAULT_TENANT_LIMIT)]
    pub metrics_tenants: usize,
}

pub fn run(args: &EvalArgs, options: aisecops::Options) -> ExitCode {
    let engine = match super::policy::load(&args.policy, options) {
        Ok(e) => e,
        Err(code) => return ExitCode::from(code),
    };
    let clock: Box<dyn Clock> = match &args.fixed_time {
        Some(t) => match aisecops::runtime::request::parse_timestamp(t) {
            Ok(ms) => Box::new(FixedClock(ms)),
            Err(m) => {
                eprintln!("error: --fixed-time: {m}");
                return ExitCode::from(2);
            }
        },
        None => Box::new(SystemClock),
    };
    let writer = match &args.audit {
        Some(path) => {
            let options = WriterOptions { flush: args.flush, fsync: args.fsync, rotate_bytes: args.rotate_bytes };
            match AuditWriter::open(path, options) {
                Ok((writer, recovery)) => {
                    if recovery.torn_bytes > 0 {
                        eprintln!(
                            "note: `{}` ended with an unfinished event ({} bytes, never acknowledged); it was dropped",
                            path.display(),
                            recovery.torn_bytes
                        );
                    }
                    Some(writer)
                }
                Err(e) => {
                    eprintln!("error: cannot open the audit log `{}`: {e}", path.display());
                    return ExitCode::from(2);
                }
            }
        }
        None => None,
    };
    let metrics = Metrics::with_tenant_limit(args.metrics_tenants);
    let mut auditor = Auditor::new(&engine, writer, Some(&metrics), clock);
    let input: Box<dyn Read> = if args.request == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        match std::fs::File::open(&args.request) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", args.request);
                return ExitCode::from(2);
            }
        }
    };
    let code = if args.jsonl { decide_lines(&mut auditor, input) } else { decide_one(&mut auditor, input) };
    if let Err(e) = auditor.close() {
        eprintln!("error: cannot write the audit log: {e}");
        return ExitCode::from(2);
    }
    if let Some(path) = &args.metrics {
        if let Err(e) = std::fs::write(path, metrics.encode()) {
            eprintln!("error: cannot write `{}`: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    code
}

/// One request per line; each decision is printed once its event is acknowledged.
fn decide_lines(auditor: &mut Auditor<'_>, input: Box<dyn Read>) -> ExitCode {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    // Decisions waiting for their events to be acknowledged, by seq.
    let mut waiting: std::collections::VecDeque<(u64, String)> = std::collections::VecDeque::new();
    for line in std::io::BufReader::new(input).lines() {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                eprintln!("error: cannot read the requests: {e}");
                return ExitCode::from(2);
            }
        };
        if line.trim().is_empty() {
            continue;
        }
        let (decision, seq) = match auditor.decide_text(&line) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: cannot write the audit log: {e}");
                return ExitCode::from(2);
            }
        };
        waiting.push_back((seq.unwrap_or(0), serde_json::to_string(&decision.to_json()).unwrap_or_default()));
        let acknowledged = auditor.acknowledged();
        while waiting.front().is_some_and(|(s, _)| *s < acknowledged) {
            if let Some((_, text)) = waiting.pop_front() {
                let _ = writeln!(out, "{text}");
            }
        }
        if acknowledged != u64::MAX {
            // With a log, a printed decision is a promise that its event is safe.
            let _ = out.flush();
        }
    }
    if let Err(e) = auditor.flush() {
        eprintln!("error: cannot write the audit log: {e}");
        return ExitCode::from(2);
    }
    for (_, text) in waiting {
        let _ = writeln!(out, "{text}");
    }
    let _ = out.flush();
    ExitCode::SUCCESS
}

fn decide_one(auditor: &mut Auditor<'_>, mut input: Box<dyn Read>) -> ExitCode {
    let mut text = String::new();
    if let Err(e) = input.read_to_string(&mut text) {
        eprintln!("error: cannot read the request: {e}");
        return ExitCode::from(2);
    }
    let decision = match auditor.decide_text(&text) {
        Ok((d, _)) => d,
        Err(e) => {
            eprintln!("error: cannot write the audit log: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = auditor.flush() {
        eprintln!("error: cannot write the audit log: {e}");
        return ExitCode::from(2);
    }
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", serde_json::to_string_pretty(&decision.to_json()).unwrap_or_default());
    let _ = out.flush();
    ExitCode::SUCCESS
}
