//! The `aisecops` command line: `check` policies in CI (more subcommands follow the runtime).

mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "aisecops",
    version,
    about = "Policy-as-code engine that governs AI agents at run time"
)]
struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse, resolve and type-check `.agp` policies and report diagnostics.
    Check(cli::check::CheckArgs),
}

fn main() -> ExitCode {
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(err) => {
            let code = if err.use_stderr() { 2 } else { 0 };
            let _ = err.print();
            return ExitCode::from(code);
        }
    };
    match args.command {
        Command::Check(check) => cli::check::run(&check),
    }
}
