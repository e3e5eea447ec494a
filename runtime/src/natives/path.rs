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
/// path ([`readings`]: as written, with `\` as a separator too, loosely (fullwidth forms
/// folded, `;` path parameters dropped), and under up to [`MAX_DECODES`] layers of
/// percent-encoding, overlong UTF-8 included) must normalise to `dir` or below it; so
/// `/srv/app/..%2fsecrets`, `/srv/app/..\secrets`, `/srv/app/..;/secrets` and
/// `/srv/app/%c0%ae%c0%ae/secrets` are not within `/srv/app`, as [`has_traversal`] finds
/// them too.
pub fn within(path: &str, dir: &str) -> bool {
    let d = normalize(dir);
    readings(path).iter().all(|reading| {
        let p = normalize(reading);
        !p.starts_with("..") && (p == d || d == "/" && p.starts_with('/') || p.starts_with(&format!("{}/", d.trim_end_matches('/'))))
    })
}

/// The ways a tool may read `path`: as written; with a backslash as a separator (Windows);
/// loosely ([`loose`]: compatibility forms folded and path parameters dropped); and all of
/// these again after each layer of percent-decoding ([`percent_decoded`], which also reads
/// overlong UTF-8), up to [`MAX_DECODES`].
fn readings(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut text = path.to_owned();
    for layer in 0..=MAX_DECODES {
        if text.contains('\\') {
            out.push(text.replace('\\', "/"));
        }
        let loose = loose(&text);
        if loose != text {
            out.push(loose);
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

/// `text` as the most lenient servers read it: compatibility forms folded (NFKC: fullwidth
/// `．．／` and `＼` are `../` and `\`, as servers with "best fit" character mapping read them),
/// `\` as a separator, and each segment's path parameters dropped (`..;x/` is `../` to Tomcat
/// and Jetty).
fn loose(text: &str) -> String {
    let folded: String = unicode_normalization::UnicodeNormalization::nfkc(text).collect();
    let slashed = folded.replace('\\', "/");
    slashed.split('/').map(|segment| segment.split(';').next().unwrap_or(segment)).collect::<Vec<_>>().join("/")
}

/// How many layers of percent-encoding `has_traversal` takes off (`%252e` is `%2e` is `.`).
const MAX_DECODES: usize = 3;

/// Does the path contain a `..` segment (between `/` or `\\`), under any reading [`within`]
/// makes: as written, loosely (`..;/`, fullwidth `．．／`) or under up to [`MAX_DECODES`]
/// layers of percent-encoding (`%2e%2e%2f`, `..%5c`, `%252e%252e`, overlong `%c0%ae`)? A tool
/// that decodes its path, or a web server in front of one, reads those as `..` too.
pub fn has_traversal(path: &str) -> bool {
    readings(path).iter().any(|reading| reading.split(['/', '\\']).any(|s| s == ".."))
}

/// `text` with each `%XX` escape decoded, `None` when it has none. The bytes are read as
/// UTF-8, with overlong forms of ASCII characters (`%c0%ae` for `.`, `%c0%af` for `/`,
/// `%e0%80%ae`) read as the character, as old decoders did; other invalid UTF-8 is replaced.
fn percent_decoded(text: &str) -> Option<String> {
    if !text.contains('%') {
        return None;
    }
    let bytes: Vec<u8> = percent_encoding::percent_decode_str(text).collect();
    if bytes == text.as_bytes() {
        return None;
    }
    Some(String::from_utf8_lossy(&overlong_read(&bytes)).into_owned())
}

/// `bytes` with each overlong UTF-8 form of an ASCII character (two, three or four bytes)
/// replaced by the character.
fn overlong_read(bytes: &[u8]) -> Vec<u8> {
    let continuation = |b: Option<&u8>| b.is_some_and(|b| b & 0xc0 == 0x80);
    let low = |b: u8| u32::from(b & 0x3f);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let (len, lead_ok) = match b {
            0xc0 | 0xc1 => (2, true),
            0xe0 => (3, bytes.get(i + 1).is_some_and(|&n| n < 0xa0)),
            0xf0 => (4, bytes.get(i + 1).is_some_and(|&n| n < 0x90)),
            _ => (0, false),
        };
        if lead_ok && (1..len).all(|k| continuation(bytes.get(i + k))) {
            let rest = (1..len).fold(0, |code, k| code << 6 | bytes.get(i + k).map_or(0, |&c| low(c)));
            let lead = u32::from(b) & (0x7f >> len);
            let code = lead << (6 * (len - 1)) | rest;
            if let Ok(ascii) = u8::try_from(code) {
                if ascii.is_ascii() {
                    out.push(ascii);
                    i += len;
                    continue;
                }
            }
        }
        out.push(b);
        i += 1;
    }
    out
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
            "/srv/app/..;/secrets",
            "/srv/app/..;jsessionid=1/secrets",
            "/srv/app/\u{ff0e}\u{ff0e}\u{ff0f}secrets",
            "/srv/app/\u{ff0e}\u{ff0e}\u{ff3c}secrets",
            "/srv/app/%ef%bc%8e%ef%bc%8e/secrets",
            "/srv/app/%c0%ae%c0%ae/secrets",
            "/srv/app/..%c0%afsecrets",
            "/srv/app/..%c1%9csecrets",
            "/srv/app/%e0%80%ae%e0%80%ae/secrets",
            "/srv/app/%f0%80%80%ae./secrets",
            "/srv/app/%25c0%25ae%25c0%25ae/secrets",
        ] {
            assert!(!within(outside, "/srv/app"), "{outside}");
            assert!(has_traversal(outside), "{outside}");
        }
        for inside in [
            "/srv/app/a%20b/c",
            "/srv/app/x/..\\y",
            "/srv/app/%2e/x",
            "/srv/app/50%25",
            "/srv/app/a\\b",
            "/srv/app",
            "/srv/app/a;b/c",
            "/srv/app/x/..;/y",
            "/srv/app/\u{ff46}\u{ff49}\u{ff4c}\u{ff45}",
            "/srv/app/caf%c3%a9",
            "/srv/app/%c0%80x",
        ] {
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
