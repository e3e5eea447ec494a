//! `aisecops test [PATH...]`: run every `test` block of every policy set under the paths, print
//! each failure with the expected and actual decision and the explanation, and end with
//! `N passed, N failed`. Exit 1 on any failure.

use std::path::PathBuf;
use std::process::ExitCode;

use aisecops::compiler::ast::Outcome as Expected;
use aisecops::compiler::lower::test_request;
use aisecops::{check_set, Engine, Outcome};
use clap::Args;

use super::files::policy_sets;
use super::policy::read_sources;
use super::render::{self, Report};

#[derive(Args)]
pub struct TestArgs {
    /// Files or directories (searched recursively for `*.agp`); each directory is a policy set.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
}

fn matches(expected: Expected, actual: Outcome) -> bool {
    matches!(
        (expected, actual),
        (Expected::Allow, Outcome::Allow)
            | (Expected::Block, Outcome::Block)
            | (Expected::RequireApproval, Outcome::RequireApproval)
            | (Expected::Sanitize, Outcome::Sanitize)
    )
}

pub fn run(args: &TestArgs, options: aisecops::Options) -> ExitCode {
    let sets = match policy_sets(&args.paths) {
        Ok(s) => s,
        Err(m) => {
            eprintln!("error: {m}");
            return ExitCode::from(2);
        }
    };
    let (mut passed, mut failed) = (0usize, 0usize);
    for set in sets {
        let sources = match read_sources(&set.files) {
            Ok(s) => s,
            Err(m) => {
                eprintln!("error: {m}");
                return ExitCode::from(2);
            }
        };
        let checked = check_set(&sources);
        if checked.has_errors() {
            let mut report = Report { files_checked: sources.len(), ..Report::default() };
            let errors: Vec<_> = checked.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
            let count = checked.program.tests.len().max(1);
            report.add(checked.files.clone(), errors);
            print!("{}", render::human(&report, false));
            println!(
                "FAIL {}: the policy set does not compile ({count} tests not run)",
                set.files.first().and_then(|f| f.parent()).map(|p| p.display().to_string()).unwrap_or_default()
            );
            failed += count;
            continue;
        }
        let tests = checked.program.tests.clone();
        let program = checked.program.clone();
        let files = checked.files.clone();
        let engine = match Engine::from_checked_with(checked, options) {
            Ok(e) => e,
            Err(e) => {
                eprintln!("error: {e:?}");
                return ExitCode::from(2);
            }
        };
        for test in &tests {
            let request = test_request(&program, test);
            let decision = engine.decide(&request);
            let reason_ok = test.reason.as_deref().is_none_or(|r| decision.reason.as_deref() == Some(r));
            if matches(test.expect, decision.outcome) && reason_ok {
                passed += 1;
                continue;
            }
            failed += 1;
            let file = &files[program.module(test.module).file.0 as usize].name;
            let expected = match &test.reason {
                Some(r) => format!("{} \"{r}\"", test.expect.as_str()),
                None => test.expect.as_str().to_owned(),
            };
            let actual = match &decision.reason {
                Some(r) => format!("{} \"{r}\"", decision.outcome.as_str().to_lowercase()),
                None => decision.outcome.as_str().to_lowercase(),
            };
            println!("FAIL {file}: test \"{}\"", test.name);
            println!("  expected: {expected}");
            println!("  actual:   {actual}");
            println!("  decision: {}", serde_json::to_string(&decision.to_json()).unwrap_or_default());
        }
    }
    println!("{passed} passed, {failed} failed");
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
