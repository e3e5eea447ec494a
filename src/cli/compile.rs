//! `aisecops compile POLICY_DIR -o policy.agpc`: check, compile and write a bundle.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

#[derive(Args)]
pub struct CompileArgs {
    /// The policy set: a directory of `.agp` files.
    pub policy: PathBuf,
    /// Where to write the bundle.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Also write the decision DAG's dispatch (tenant → phase → tool → rules) as Graphviz.
    #[arg(long)]
    pub dot: Option<PathBuf>,
}

pub fn run(args: &CompileArgs, options: aisecops::Options) -> ExitCode {
    let engine = match super::policy::load(&args.policy, options) {
        Ok(e) => e,
        Err(code) => return ExitCode::from(code),
    };
    let bytes = engine.bundle();
    if let Err(e) = std::fs::write(&args.output, &bytes) {
        eprintln!("error: cannot write `{}`: {e}", args.output.display());
        return ExitCode::from(2);
    }
    println!("wrote {} ({} bytes, {}, {} rules)", args.output.display(), bytes.len(), engine.hash(), engine.policy().rules.len());
    if let Some((functions, effects, compiled)) = engine.compiled().jit_stats() {
        println!("jit: {functions} functions; {compiled} of {effects} effect conditions compiled, the rest interpreted");
    }
    if let Some(dot) = &args.dot {
        if let Err(e) = std::fs::write(dot, aisecops::runtime::dag::to_dot(engine.policy())) {
            eprintln!("error: cannot write `{}`: {e}", dot.display());
            return ExitCode::from(2);
        }
        println!("wrote {}", dot.display());
    }
    ExitCode::SUCCESS
}
