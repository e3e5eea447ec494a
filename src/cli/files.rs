//! Finding policy files: paths are files or directories (searched recursively for `*.agp`);
//! each directory holding `.agp` files is one policy set.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// One policy set to check: every `.agp` file of a directory, and which of them to report on.
pub struct PolicySet {
    pub files: Vec<PathBuf>,
    /// Files whose diagnostics are reported (all, unless single files were named).
    pub reported: Vec<PathBuf>,
}

/// Groups the `.agp` files under `paths` into policy sets, sorted by directory.
pub fn policy_sets(paths: &[PathBuf]) -> Result<Vec<PolicySet>, String> {
    let mut sets: BTreeMap<PathBuf, PolicySet> = BTreeMap::new();
    for path in paths {
        let meta = fs::metadata(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found)?;
            for file in found {
                let dir = parent(&file);
                let set = sets.entry(dir.clone()).or_insert_with(|| PolicySet { files: Vec::new(), reported: Vec::new() });
                if !set.reported.contains(&file) {
                    set.reported.push(file.clone());
                }
            }
        } else {
            // `x.agp` and `./x.agp` must name the same file.
            let path = &parent(path).join(path.file_name().unwrap_or_default());
            let dir = parent(path);
            let set = sets.entry(dir).or_insert_with(|| PolicySet { files: Vec::new(), reported: Vec::new() });
            if !set.reported.contains(path) {
                set.reported.push(path.clone());
            }
        }
    }
    for (dir, set) in sets.iter_mut() {
        let mut siblings = agp_files_in(dir)?;
        for reported in &set.reported {
            if !siblings.contains(reported) {
                siblings.push(reported.clone());
            }
        }
        siblings.sort();
        set.files = siblings;
        set.reported.sort();
    }
    Ok(sets.into_values().collect())
}

fn parent(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn is_agp(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "agp")
}

fn agp_files_in(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read directory `{}`: {e}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| format!("cannot read directory `{}`: {e}", dir.display()))?;
        let path = entry.path();
        if path.is_file() && is_agp(&path) {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let mut entries: Vec<PathBuf> = fs::read_dir(dir)
        .map_err(|e| format!("cannot read directory `{}`: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            if !name.starts_with('.') && name != "target" && name != "node_modules" {
                walk(&path, out)?;
            }
        } else if is_agp(&path) {
            out.push(path);
        }
    }
    Ok(())
}
