//! `aisecops eval --policy PATH --request FILE|-`: decide requests and print decision JSON
//! (`--jsonl`: one request per line in, one decision per line out).

use std::io::{BufRead, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

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
}

pub fn run(args: &EvalArgs, options: aisecops::Options) -> ExitCode {
    let engine = match super::policy::load(&args.policy, options) {
        Ok(e) => e,
        Err(code) => return ExitCode::from(code),
    };
    let mut input: Box<dyn Read> = if args.request == "-" {
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
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    if args.jsonl {
        let reader = std::io::BufReader::new(input);
        for line in reader.lines() {
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
            let decision = engine.decide_json(&line);
            let _ = writeln!(out, "{}", serde_json::to_string(&decision).unwrap_or_default());
        }
        let _ = out.flush();
        return ExitCode::SUCCESS;
    }
    let mut text = String::new();
    if let Err(e) = input.read_to_string(&mut text) {
        eprintln!("error: cannot read the request: {e}");
        return ExitCode::from(2);
    }
    let decision = engine.decide_json(&text);
    let _ = writeln!(out, "{}", serde_json::to_string_pretty(&decision).unwrap_or_default());
    let _ = out.flush();
    ExitCode::SUCCESS
}
