//! `aisecops check [PATH...]`: check every policy set under the paths and report diagnostics.
//! Exit 0 when clean, 1 on errors (or warnings with `--deny-warnings`), 2 on usage or I/O errors.

use std::fs;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use aisecops::{check_set, Diagnostic, Level, SourceFile};
use clap::{Args, ValueEnum};

use super::files::policy_sets;
use super::render::{self, Report};

#[derive(Args)]
pub struct CheckArgs {
    /// Files or directories (searched recursively for `*.agp`); each directory is a policy set.
    #[arg(default_value = ".")]
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,
    /// Exit with status 1 when there are warnings, too.
    #[arg(long)]
    pub deny_warnings: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Annotated source for people.
    Human,
    /// One JSON document with every diagnostic.
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions workflow annotations.
    Github,
}

pub fn run(args: &CheckArgs) -> ExitCode {
    let sets = match policy_sets(&args.paths) {
        Ok(sets) => sets,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    let mut report = Report::default();
    for set in sets {
        let mut sources = Vec::with_capacity(set.files.len());
        for path in &set.files {
            match fs::read_to_string(path) {
                Ok(text) => sources.push(SourceFile { name: path.display().to_string(), text }),
                Err(e) => {
                    eprintln!("error: cannot read `{}`: {e}", path.display());
                    return ExitCode::from(2);
                }
            }
        }
        let checked = check_set(&sources);
        let reported: Vec<usize> = set.files.iter().enumerate().filter(|(_, p)| set.reported.contains(p)).map(|(i, _)| i).collect();
        report.files_checked += reported.len();
        let keep = |d: &Diagnostic| reported.contains(&(d.primary.file.0 as usize)) || d.primary.file.0 as usize >= set.files.len();
        let diagnostics: Vec<Diagnostic> = checked.diagnostics.into_iter().filter(keep).collect();
        report.add(checked.files, diagnostics);
    }
    let errors = report.count(Level::Error);
    let warnings = report.count(Level::Warning);
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = match args.format {
        Format::Human => render::human(&report, colour),
        Format::Json => render::json(&report),
        Format::Sarif => render::sarif(&report),
        Format::Github => render::github(&report),
    };
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    if errors > 0 || (args.deny_warnings && warnings > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
