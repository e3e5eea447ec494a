//! Loading the policy named on the command line: a directory (one policy set), an `.agp` file
//! (its directory's set) or a compiled bundle (`.agpc`).

use std::fs;
use std::path::Path;

use aisecops::{CompileError, Engine, SourceFile};

use super::files::policy_sets;
use super::render::{self, Report};

/// Reads every file of a policy set.
pub fn read_sources(files: &[std::path::PathBuf]) -> Result<Vec<SourceFile>, String> {
    files
        .iter()
        .map(|path| {
            fs::read_to_string(path)
                .map(|text| SourceFile { name: path.display().to_string(), text })
                .map_err(|e| format!("cannot read `{}`: {e}", path.display()))
        })
        .collect()
}

/// Loads an engine; on failure prints why to stderr and returns the exit code (1 for a policy
/// with errors, 2 for usage or I/O errors).
pub fn load(path: &Path, options: aisecops::Options) -> Result<Engine, u8> {
    let is_bundle = path.is_file() && fs::read(path).map(|b| b.starts_with(b"AGPC")).unwrap_or(false);
    if is_bundle || path.extension().is_some_and(|e| e == "agpc") {
        let bytes = fs::read(path).map_err(|e| {
            eprintln!("error: cannot read `{}`: {e}", path.display());
            2u8
        })?;
        return Engine::load_with(&bytes, options).map_err(|e| {
            eprintln!("error: `{}`: {e}", path.display());
            2u8
        });
    }
    let sets = policy_sets(&[path.to_path_buf()]).map_err(|m| {
        eprintln!("error: {m}");
        2u8
    })?;
    let set = match sets.as_slice() {
        [one] => one,
        [] => {
            eprintln!("error: no `.agp` files in `{}`", path.display());
            return Err(2);
        }
        _ => {
            eprintln!("error: `{}` holds several policy sets (directories with `.agp` files); name one", path.display());
            return Err(2);
        }
    };
    let sources = read_sources(&set.files).map_err(|m| {
        eprintln!("error: {m}");
        2u8
    })?;
    Engine::compile_with(&sources, options).map_err(|e| match e {
        CompileError::Diagnostics(checked) => {
            let mut report = Report { files_checked: sources.len(), ..Report::default() };
            let errors = checked.diagnostics.iter().filter(|d| d.is_error()).cloned().collect();
            report.add(checked.files, errors);
            eprint!("{}", render::human(&report, false));
            1
        }
        CompileError::Internal(m) => {
            eprintln!("error: {m}");
            2
        }
    })
}
