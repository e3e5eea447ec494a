//! `aisecops fmt [PATH...] [--check]`: rewrites `.agp` files in the canonical layout, keeping
//! comments. `--check` changes nothing and lists the files that are not formatted (exit 1), for
//! CI. A file with syntax errors is left alone and reported (exit 1).

use std::path::PathBuf;
use std::process::ExitCode;

use aisecops::compiler::syntax::format;
use clap::Args;

use super::files::policy_sets;

#[derive(Args)]
pub struct FmtArgs {
    /// Files or directories (searched recursively for `*.agp`).
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Report files that are not formatted instead of rewriting them.
    #[arg(long)]
    pub check: bool,
}

pub fn run(args: &FmtArgs) -> ExitCode {
    let sets = match policy_sets(&args.paths) {
        Ok(s) => s,
        Err(m) => {
            eprintln!("error: {m}");
            return ExitCode::from(2);
        }
    };
    let (mut changed, mut broken, mut total) = (0usize, 0usize, 0usize);
    for file in sets.iter().flat_map(|s| &s.files) {
        total += 1;
        let source = match std::fs::read_to_string(file) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", file.display());
                return ExitCode::from(2);
            }
        };
        match format(&source) {
            Err(_) => {
                broken += 1;
                println!("{}: not formatted: it has syntax errors (see `aisecops check`)", file.display());
            }
            Ok(formatted) if formatted == source => {}
            Ok(formatted) => {
                changed += 1;
                if args.check {
                    println!("{}: not formatted", file.display());
                } else if let Err(e) = std::fs::write(file, formatted) {
                    eprintln!("error: cannot write `{}`: {e}", file.display());
                    return ExitCode::from(2);
                } else {
                    println!("{}: formatted", file.display());
                }
            }
        }
    }
    let verb = if args.check { "would be reformatted" } else { "reformatted" };
    println!("{total} files: {changed} {verb}, {broken} with syntax errors");
    if broken > 0 || (args.check && changed > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
