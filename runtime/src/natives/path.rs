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

/// Is `path` the directory `dir` or inside it, however a tool reads it? Each reading of the
/// path ([`readings`]: as written, with `\` as a separator too, and under up to
/// [`MAX_DECODES`] layers of percent-encoding) must normalise to `dir` or below it; so
/// `/srv/app/..%2fsecrets` and `/srv/app/..\secrets` are not within `/srv/app`, as
/// [`has_traversal`] finds them too.
pub fn within(path: &str, dir: &str) -> bool {
    let d = normalize(dir);
    readings(path).iter().all(|reading| {
        let p = normalize(reading);
        !p.starts_with("..") && (p == d || d == "/" && p.starts_with('/') || p.starts_with(&format!("{}/", d.trim_end_matches('/'))))
    })
}

/// The ways a tool may read `path`: as written; with a backslash as a separator (Windows);
/// and both again after each layer of percent-decoding, up to [`MAX_DECODES`].
fn readings(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut text = path.to_owned();
    for layer in 0..=MAX_DECODES {
        if text.contains('\\') {
            out.push(text.replace('\\', "/"));
        }
        let decoded = if layer < MAX_DECODES { percent_decoded(&text) } else { None };
        out.push(text);
        match decoded {
            Some(decoded) => text = decoded,
            None => break,
        }
    }
    out
}

/// How many layers of percent-encoding `has_traversal` takes off (`%252e` is `%2e` is `.`).
const MAX_DECODES: usize = 3;

/// Does the path contain a `..` segment (between `/` or `\\`), as written or under up to
/// [`MAX_DECODES`] layers of percent-encoding (`%2e%2e%2f`, `..%5c`, `%252e%252e`)? A tool that
/// decodes its path, or a web server in front of one, reads those as `..` too.
pub fn has_traversal(path: &str) -> bool {
    let mut text = std::borrow::Cow::Borrowed(path);
    for _ in 0..=MAX_DECODES {
        if text.split(['/', '\\']).any(|s| s == "..") {
            return true;
        }
        match percent_decoded(&text) {
            Some(decoded) => text = std::borrow::Cow::Owned(decoded),
            None => return false,
        }
    }
    false
}

/// `text` with each `%XX` escape decoded (invalid UTF-8 replaced); `None` when it has none.
fn percent_decoded(text: &str) -> Option<String> {
    match percent_encoding::percent_decode_str(text).decode_utf8_lossy() {
        std::borrow::Cow::Borrowed(_) => None,
        std::borrow::Cow::Owned(decoded) => Some(decoded),
    }
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

    /// A path that climbs out under any reading a tool may make of it is not within: the
    /// same readings `has_traversal` makes.
    #[test]
    fn within_holds_under_every_reading() {
        for outside in [
            "/srv/app/..%2fsecrets",
            "/srv/app/%2e%2e/secrets",
            "/srv/app/%252e%252e%252fsecrets",
            "/srv/app/..\\secrets",
            "/srv/app/x/..\\..\\secrets",
            "/srv/app/x%5c..%5c..%5csecrets",
            "/srv/app%2f..%2f..%2fetc/passwd",
        ] {
            assert!(!within(outside, "/srv/app"), "{outside}");
            assert!(has_traversal(outside), "{outside}");
        }
        for inside in ["/srv/app/a%20b/c", "/srv/app/x/..\\y", "/srv/app/%2e/x", "/srv/app/50%25", "/srv/app/a\\b", "/srv/app"] {
            assert!(within(inside, "/srv/app"), "{inside}");
        }
    }

    /// Encoded `..` segments count: a tool or server that decodes the path reads them as `..`.
    #[test]
    fn percent_encoded_traversal_is_found() {
        for traversal in [
            "%2e%2e/%2e%2e/etc/passwd",
            "..%2f..%2fetc%2fpasswd",
            "%2E%2E/etc",
            ".%2e/etc",
            "..%5c..%5cetc",
            "%252e%252e%252fetc",
            "a/%2e%2e",
            "..\\..\\etc",
        ] {
            assert!(has_traversal(traversal), "{traversal}");
        }
        for safe in ["/srv/app/%2e/x", "/srv/..app/x", "/srv/a..b", "%zz%2", "50%25/..x", "/srv/app"] {
            assert!(!has_traversal(safe), "{safe}");
        }
    }
}
