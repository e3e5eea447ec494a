//! Reading audit logs: the files a user names (a log's rotated files are found next to it; a
//! directory means its `.jsonl` files), put in chain order by their first event's `seq`, and
//! their lines with the place of each.

use std::io;
use std::path::{Path, PathBuf};

use aisecops_runtime::audit::{LogLine, Place};

use super::writer::segments;

/// The files of the logs at `paths`, in chain order, without repeats.
pub fn log_files(paths: &[PathBuf]) -> io::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = Vec::new();
    for path in paths {
        if path.is_dir() {
            let mut inside: Vec<PathBuf> = std::fs::read_dir(path)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
                .collect();
            inside.sort();
            files.extend(inside);
        } else {
            files.extend(segments(path)?);
            files.push(path.clone());
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    files.retain(|f| seen.insert(f.canonicalize().unwrap_or_else(|_| f.clone())));
    let mut keyed = Vec::with_capacity(files.len());
    for file in files {
        keyed.push((first_seq(&file)?, file));
    }
    // Files whose first line says nothing go last; `verify` reports them.
    keyed.sort_by_key(|(seq, _)| seq.unwrap_or(u64::MAX));
    Ok(keyed.into_iter().map(|(_, f)| f).collect())
}

/// The `seq` of a file's first event (`None` for an empty or unreadable first line).
fn first_seq(file: &Path) -> io::Result<Option<u64>> {
    use std::io::BufRead;
    let mut line = String::new();
    std::io::BufReader::new(std::fs::File::open(file)?).read_line(&mut line)?;
    Ok(serde_json::from_str::<serde_json::Value>(line.trim_end()).ok().and_then(|v| v.get("seq").and_then(serde_json::Value::as_u64)))
}

/// Every line of `files`, in order, with its place; an empty file has none.
pub fn read_lines(files: &[PathBuf]) -> io::Result<Vec<LogLine>> {
    let mut lines = Vec::new();
    for file in files {
        let bytes = std::fs::read(file)?;
        let name = file.display().to_string();
        let mut rest: &[u8] = &bytes;
        let mut number = 0;
        while !rest.is_empty() {
            number += 1;
            let (line, complete, next) = match rest.iter().position(|&b| b == b'\n') {
                Some(i) => (&rest[..i], true, &rest[i + 1..]),
                None => (rest, false, &rest[rest.len()..]),
            };
            lines.push(LogLine {
                place: Place { file: name.clone(), line: number },
                text: String::from_utf8_lossy(line).into_owned(),
                complete,
            });
            rest = next;
        }
    }
    Ok(lines)
}
