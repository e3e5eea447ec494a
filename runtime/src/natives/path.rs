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

/// Is `path` the directory `dir` or inside it, however a tool reads it? Under each reading of
/// the path ([`readings`]: as written, with `\\` as a separator too, loosely ([`loose`]:
/// compatibility and "best fit" forms folded, `;` path parameters dropped, cut at a NUL), and
/// under up to [`MAX_DECODES`] layers of percent-encoding, overlong UTF-8 included), the path
/// must normalise to the directory, read the same way, or below it; so
/// `/srv/app/..%2fsecrets`, `/srv/app/..\\secrets`, `/srv/app/..;/secrets` and
/// `/srv/app/%c0%ae%c0%ae/secrets` are not within `/srv/app`, as [`has_traversal`] finds
/// them too. (The directory is read the same way so that a directory whose own name changes
/// under a reading, `/srv/50%25off` or `/srv/a;b`, still holds its files.)
pub fn within(path: &str, dir: &str) -> bool {
    readings(path, dir).iter().all(|(p, d)| inside(&normalize(p), &normalize(d)))
}

/// Is the normalised path `p` the normalised directory `d` or below it?
fn inside(p: &str, d: &str) -> bool {
    let climbs = p == ".." || p.starts_with("../");
    if d == "." {
        return !climbs && !p.starts_with('/');
    }
    !climbs && (p == d || d == "/" && p.starts_with('/') || p.starts_with(&format!("{}/", d.trim_end_matches('/'))))
}

/// The ways a tool may read `path`, each paired with `dir` read the same way: as written;
/// with a backslash as a separator (Windows); loosely ([`loose`]); and all of these again
/// after each layer of percent-decoding, of the text as written and of its loose reading (a
/// fullwidth `％２ｅ` is an escape once folded), up to [`MAX_DECODES`] layers. The layers are
/// decoded as bytes, so an overlong form split across two layers (`%c0%25ae`) is read when
/// it is whole. Only readings that differ are made: a plain path has one.
fn readings(path: &str, dir: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    read_on(path.as_bytes().to_vec(), dir.as_bytes().to_vec(), 0, &mut out);
    out
}

fn read_on(path: Vec<u8>, dir: Vec<u8>, depth: usize, out: &mut Vec<(String, String)>) {
    let (p, d) = (as_text(&path), as_text(&dir));
    if p.contains('\\') {
        out.push((p.replace('\\', "/"), d.replace('\\', "/")));
    }
    let (loose_p, loose_d) = (loose(&p), loose(&d));
    let is_loose = loose_p != p;
    out.push((p, d));
    if depth == MAX_DECODES {
        if is_loose {
            out.push((loose_p, loose_d));
        }
        return;
    }
    if let Some(decoded) = percent_decoded(&path) {
        let dir_decoded = percent_decoded(&dir).unwrap_or_else(|| dir.clone());
        read_on(decoded, dir_decoded, depth + 1, out);
    }
    if is_loose {
        let decoded = percent_decoded(loose_p.as_bytes());
        let dir_decoded = percent_decoded(loose_d.as_bytes());
        out.push((loose_p, loose_d.clone()));
        if let Some(decoded) = decoded {
            read_on(decoded, dir_decoded.unwrap_or_else(|| loose_d.into_bytes()), depth + 1, out);
        }
    }
}

/// `bytes` as text: overlong forms of ASCII characters read as them ([`overlong_read`]),
/// other invalid UTF-8 replaced.
fn as_text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(&overlong_read(bytes)).into_owned()
}

/// `text` as the most lenient servers read it: compatibility forms folded (NFKC: fullwidth
/// `．．／` and `＼` are `../` and `\\`), the characters Windows' "best fit" code pages turn
/// into separators (`¥` and `₩` into `\\`, `∕` into `/`), `\\` as a separator, cut at the first
/// NUL (as a C string ends), and each segment's path parameters dropped (`..;x/` is `../` to
/// Tomcat and Jetty).
fn loose(text: &str) -> String {
    let folded: String = unicode_normalization::UnicodeNormalization::nfkc(text)
        .map(|c| match c {
            '\u{a5}' | '\u{20a9}' | '\\' | '\u{2215}' => '/',
            c => c,
        })
        .take_while(|&c| c != '\0')
        .collect();
    folded.split('/').map(|segment| segment.split(';').next().unwrap_or(segment)).collect::<Vec<_>>().join("/")
}

/// How many layers of percent-encoding are taken off (`%252e` is `%2e` is `.`).
const MAX_DECODES: usize = 3;

/// Does the path contain a `..` segment (between `/` or `\\`), under any reading [`within`]
/// makes: as written, loosely (`..;/`, fullwidth `．．／`, `..%00`) or under up to
/// [`MAX_DECODES`] layers of percent-encoding (`%2e%2e%2f`, `..%5c`, `%252e%252e`, overlong
/// `%c0%ae`)? A tool that decodes its path, or a web server in front of one, reads those as
/// `..` too.
pub fn has_traversal(path: &str) -> bool {
    readings(path, "").iter().any(|(reading, _)| reading.split(['/', '\\']).any(|s| s == ".."))
}

/// `bytes` with each `%XX` escape decoded, as bytes; `None` when it has none.
fn percent_decoded(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.contains(&b'%') {
        return None;
    }
    let decoded: Vec<u8> = percent_encoding::percent_decode(bytes).collect();
    (decoded != bytes).then_some(decoded)
}

/// `bytes` with each overlong UTF-8 form of an ASCII character replaced by the character, read
/// as leniently as old decoders did (IIS): two bytes after `c0`/`c1`, three after `e0` with a
/// second byte below `a0`, four after `f0` below `90`, five after `f8` below `88`, six after
/// `fc` below `84`, the following bytes' top bits ignored (`%c1%1c` is `\\`, `%c0%2e` is `.`).
/// Valid UTF-8 has none of these, so nothing else changes.
fn overlong_read(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let next = bytes.get(i + 1).copied().unwrap_or(0xff);
        let len = match b {
            0xc0 | 0xc1 => 2,
            0xe0 if next < 0xa0 => 3,
            0xf0 if next < 0x90 => 4,
            0xf8 if next < 0x88 => 5,
            0xfc if next < 0x84 => 6,
            _ => 0,
        };
        if let Some(rest) = bytes.get(i + 1..i + len) {
            let lead = u32::from(b) & (0x7f >> len);
            let code = rest.iter().fold(lead, |code, &c| code << 6 | u32::from(c & 0x3f));
            if let Some(ascii) = u8::try_from(code).ok().filter(u8::is_ascii) {
                out.push(ascii);
                i += len;
                continue;
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
            // A review's: folding makes an escape; an overlong form split across layers; IIS's
            // lenient forms; best-fit separators; a NUL that ends a C string.
            "/srv/app/\u{ff05}\u{ff12}\u{ff45}\u{ff05}\u{ff12}\u{ff45}/secrets",
            "/srv/app/%ef%bc%852e%ef%bc%852e/secrets",
            "/srv/app/..\u{fe6a}2fsecrets",
            "/srv/app/%c0%25ae%c0%25ae/secrets",
            "/srv/app/%25c0%ae%25c0%ae/secrets",
            "/srv/app/..%c1%1csecrets",
            "/srv/app/%c0%2e%c0%2e/secrets",
            "/srv/app/%f8%80%80%80%ae%f8%80%80%80%ae/secrets",
            "/srv/app/..\u{a5}secrets",
            "/srv/app/..\u{20a9}secrets",
            "/srv/app/..\u{2215}secrets",
            "/srv/app/..%00",
            "/srv/app/x/../..%00/etc",
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
            "/srv/app/..foo",
        ] {
            assert!(within(inside, "/srv/app"), "{inside}");
        }
    }

    /// The directory is read as the path is, so a directory whose own name changes under a
    /// reading still holds its files (a review found these blocked).
    #[test]
    fn directories_are_read_as_their_paths() {
        for (path, dir) in [
            ("/srv/Acme\u{2122}/x", "/srv/Acme\u{2122}"),
            ("/Users/me/cafe\u{301}/x", "/Users/me/cafe\u{301}"),
            ("/srv/\u{ff76}\u{ff80}/x", "/srv/\u{ff76}\u{ff80}"),
            ("/srv/a;b/x", "/srv/a;b"),
            ("/srv/50%25off/x", "/srv/50%25off"),
            ("/srv/x\\y/z", "/srv/x\\y"),
            ("x/y", "."),
            ("./x", "."),
        ] {
            assert!(within(path, dir), "{path} in {dir}");
        }
        for (path, dir) in [
            ("/srv/a;b/../x", "/srv/a;b"),
            ("/srv/a;c/x", "/srv/a;b"),
            ("/srv/50%25off/..%2fx", "/srv/50%25off"),
            ("../x", "."),
            ("/etc", "."),
        ] {
            assert!(!within(path, dir), "{path} in {dir}");
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
