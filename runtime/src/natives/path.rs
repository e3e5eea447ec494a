//! Lexical path handling: normalisation, containment and traversal.

/// The path with empty and `.` segments removed and `..` resolved lexically (never above the
/// root for absolute paths).
pub fn normalize(path: &str) -> String {
    let absolute = path.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..");
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts.join("/");
    if absolute {
        format!("/{joined}")
    } else if joined.is_empty() {
        ".".to_owned()
    } else {
        joined
    }
}

/// Is the normalised `path` the directory `dir` or inside it?
pub fn within(path: &str, dir: &str) -> bool {
    let p = normalize(path);
    let d = normalize(dir);
    if p.starts_with("..") {
        return false;
    }
    p == d || d == "/" && p.starts_with('/') || p.starts_with(&format!("{}/", d.trim_end_matches('/')))
}

/// Does the path contain a `..` segment?
pub fn has_traversal(path: &str) -> bool {
    path.split(['/', '\\']).any(|s| s == "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        assert_eq!(normalize("/srv/app/../etc/./passwd"), "/srv/etc/passwd");
        assert_eq!(normalize("a/../../b"), "../b");
        assert!(within("/srv/app/src/main.rs", "/srv/app"));
        assert!(!within("/srv/app/../secrets", "/srv/app"));
        assert!(!within("/srv/application", "/srv/app"));
        assert!(has_traversal("../../etc/passwd"));
    }
}
