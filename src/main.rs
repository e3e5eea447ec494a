//! The `aisecops` command line: `check` and `test` policies in CI, `eval` requests, `compile`
//! bundles, `fmt` sources, `audit verify`/`audit stats` logs and `replay` them under another
//! policy.

mod cli;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "aisecops", version, about = "Policy-as-code engine that governs AI agents at run time")]
struct Args {
    #[command(subcommand)]
    command: Command,
    /// Evaluate with the interpreter alone, not the JIT (decisions are the same).
    #[arg(long, global = true)]
    no_jit: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Parse, resolve and type-check `.agp` policies and report diagnostics.
    Check(cli::check::CheckArgs),
    /// Decide requests (JSON) under a policy and print the decisions.
    Eval(cli::eval::EvalArgs),
    /// Run the `test` blocks of policy sets.
    Test(cli::test::TestArgs),
    /// Compile a policy set into a bundle (`.agpc`).
    Compile(cli::compile::CompileArgs),
    /// Rewrite `.agp` files in the canonical layout (`--check`: report, change nothing).
    Fmt(cli::fmt::FmtArgs),
    /// Serve the language server (LSP) on standard input and output.
    Lsp,
    /// Verify and summarise audit logs.
    Audit(cli::audit::AuditArgs),
    /// Decide the requests of audit logs again under a policy and report the drift.
    Replay(cli::replay::ReplayArgs),
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
    let options = aisecops::Options { jit: aisecops::Options::default().jit && !args.no_jit };
    match args.command {
        Command::Check(check) => cli::check::run(&check),
        Command::Eval(eval) => cli::eval::run(&eval, options),
        Command::Test(test) => cli::test::run(&test, options),
        Command::Compile(compile) => cli::compile::run(&compile, options),
        Command::Fmt(fmt) => cli::fmt::run(&fmt),
        Command::Lsp => match aisecops_lsp::serve_stdio() {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: the language server stopped: {e}");
                ExitCode::from(2)
            }
        },
        Command::Audit(audit) => cli::audit::run(&audit),
        Command::Replay(replay) => cli::replay::run(&replay, options),
    }
}
