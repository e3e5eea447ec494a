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

/// Is `path` the directory `dir` or inside it, however a tool reads it? Every reading of the
/// path ([`readings`]: as written, with `\\` as a separator too, loosely ([`loose`]:
/// compatibility and "best fit" forms folded, `;` path parameters and `:` streams dropped,
/// trailing spaces trimmed, cut at a NUL), and under up to [`MAX_DECODES`] layers of
/// percent-encoding, overlong UTF-8 and `%u` escapes included) must normalise to `dir` as
/// written or below it: `dir` is the directory on disk, and a lenient tool opens what its
/// reading of the path names. So `/srv/app/..%2fsecrets`, `/srv/app/..\\secrets`,
/// `/srv/app/..;/secrets` and `/srv/app/%c0%ae%c0%ae/secrets` are not within `/srv/app`, as
/// [`has_traversal`] finds them too; and a directory whose own name changes under a reading
/// (`/srv/a;b`, which Tomcat reads as `/srv/a`) holds nothing a lenient tool could be
/// pointed at. A relative `dir` (`.`) holds the relative paths that do not climb, and no
/// path with a drive (`C:`) or a root. A path longer than [`LONGEST_PATH`] is within nothing.
pub fn within(path: &str, dir: &str) -> bool {
    if path.len() > LONGEST_PATH {
        return false;
    }
    let d = normalize(dir);
    readings(path).iter().all(|reading| inside(&normalize(reading), &d))
}

/// Is the normalised path `p` the normalised directory `d` or below it?
fn inside(p: &str, d: &str) -> bool {
    let climbs = p == ".." || p.starts_with("../");
    if d == "." {
        // A drive (`C:\\x`, `c:x`) names another place on Windows.
        let drive = matches!(p.as_bytes(), [letter, b':', ..] if letter.is_ascii_alphabetic());
        return !climbs && !drive && !p.starts_with('/');
    }
    !climbs && (p == d || d == "/" && p.starts_with('/') || p.starts_with(&format!("{}/", d.trim_end_matches('/'))))
}

/// The ways a tool may read `path`: as written; with a backslash as a separator (Windows);
/// loosely ([`loose`]); and all of these again after each layer of percent-decoding, up to
/// [`MAX_DECODES`] layers. Each layer is read as a strict decoder reads it (invalid UTF-8
/// replaced) and, when it differs, with its overlong forms read ([`overlong_read`]); the next
/// layer decodes, as bytes, the layer itself, its overlong reading (`%c0%a52e` is `%2e` once
/// read) and the loose readings (a fullwidth `％２ｅ` is an escape once folded); bytes, so
/// that an overlong form split across two layers (`%c0%25ae`) is read when it is whole. Only
/// readings that differ are made: a plain path has one.
fn readings(path: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut layer: Vec<Vec<u8>> = vec![path.as_bytes().to_vec()];
    // Layers already met (two ways of decoding often agree), so the readings stay few.
    let mut seen: std::collections::HashSet<Vec<u8>> = std::collections::HashSet::new();
    for depth in 0..=MAX_DECODES {
        let mut next: Vec<Vec<u8>> = Vec::new();
        for bytes in &layer {
            // The bytes as a strict decoder reads them (invalid UTF-8 replaced, so `%c1%2f`
            // keeps its `/`) and as an old lenient one does (overlong forms read).
            let read = overlong_read(bytes);
            let mut texts = vec![String::from_utf8_lossy(bytes).into_owned()];
            let mut sources: Vec<Vec<u8>> = vec![bytes.clone()];
            if read != *bytes {
                texts.push(String::from_utf8_lossy(&read).into_owned());
                sources.push(read);
            }
            for text in texts {
                let loose = loose(&text);
                if text.contains('\\') {
                    out.push(text.replace('\\', "/"));
                }
                if loose != text {
                    sources.push(loose.clone().into_bytes());
                    out.push(loose);
                }
                out.push(text);
            }
            if depth < MAX_DECODES {
                for source in sources {
                    if let Some(decoded) = percent_decoded(&source) {
                        if seen.insert(decoded.clone()) {
                            next.push(decoded);
                        }
                    }
                }
            }
        }
        if next.is_empty() {
            break;
        }
        layer = next;
    }
    out
}

/// `text` as the most lenient servers read it: compatibility forms folded (NFKC: fullwidth
/// `．．／` and `＼` are `../` and `\\`), the characters Windows' "best fit" code pages turn
/// into separators or escapes (`¥`, `₩`, `∕`, `∖`, `⁄` into `/`, `٪` into `%`), `\\` as a
/// separator, cut at the first NUL (as a C string ends); and in each segment, path parameters
/// dropped (`..;x/` is `../` to Tomcat and Jetty), an alternate data stream dropped
/// (`..::$DATA`) and trailing spaces trimmed (`.. /`), as Windows reads a name.
fn loose(text: &str) -> String {
    let folded: String = unicode_normalization::UnicodeNormalization::nfkc(text)
        .map(|c| match c {
            '\u{a5}' | '\u{20a9}' | '\\' | '\u{2215}' | '\u{2216}' | '\u{2044}' => '/',
            '\u{66a}' => '%',
            c => c,
        })
        .take_while(|&c| c != '\0')
        .collect();
    folded
        .split('/')
        .map(|segment| {
            let segment = segment.split(';').next().unwrap_or(segment);
            let segment = if segment.len() > 2 { segment.split(':').next().unwrap_or(segment) } else { segment };
            segment.trim_end_matches([' ', '\t'])
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// The longest path any system opens (Windows' extended paths: 32,767 characters). A longer
/// one names no file: it is within no directory and counts as a traversal (its readings
/// would cost time for nothing; NFKC alone can make a text 18 times longer).
const LONGEST_PATH: usize = 32_767;

/// How many layers of percent-encoding are taken off (`%252e` is `%2e` is `.`).
const MAX_DECODES: usize = 3;

/// Does the path contain a `..` segment (between `/` or `\\`), under any reading [`within`]
/// makes: as written, loosely (`..;/`, fullwidth `．．／`, `..%00`) or under up to
/// [`MAX_DECODES`] layers of percent-encoding (`%2e%2e%2f`, `..%5c`, `%252e%252e`, overlong
/// `%c0%ae`)? A tool that decodes its path, or a web server in front of one, reads those as
/// `..` too.
pub fn has_traversal(path: &str) -> bool {
    if path.len() > LONGEST_PATH {
        return true;
    }
    readings(path).iter().any(|reading| reading.split(['/', '\\']).any(|s| s == ".."))
}

/// `bytes` with each `%XX` escape decoded, as bytes, and each `%uXXXX` escape (IIS) as the
/// UTF-8 of its character; `None` when it has none.
fn percent_decoded(bytes: &[u8]) -> Option<Vec<u8>> {
    if !bytes.contains(&b'%') {
        return None;
    }
    let hex = |b: u8| char::from(b).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let wide = bytes.get(i + 1).is_some_and(|&u| u == b'u' || u == b'U');
            let digits = if wide { bytes.get(i + 2..i + 6) } else { bytes.get(i + 1..i + 3) };
            let code = digits.and_then(|d| d.iter().try_fold(0u32, |code, &h| Some(code << 4 | hex(h)?)));
            if let Some(code) = code {
                if wide {
                    let c = char::from_u32(code).unwrap_or('\u{fffd}');
                    out.extend_from_slice(c.encode_utf8(&mut [0; 4]).as_bytes());
                    i += 6;
                } else {
                    out.push(code as u8);
                    i += 3;
                }
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    (out != bytes).then_some(out)
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
            // The second review's: an escape that only an overlong read makes; more best-fit
            // characters; IIS's `%u`; Windows' trailing spaces and streams.
            "/srv/app/%c0%a52e%c0%a52e/secrets",
            "/srv/app/..%c0%a52fsecrets",
            "/srv/app/%e0%80%a52e%e0%80%a52e/secrets",
            "/srv/app/%25%c0%b2e%25%c0%b2e/secrets",
            "/srv/app/..\u{2044}secrets",
            "/srv/app/\u{66a}2e\u{66a}2e/secrets",
            "/srv/app/%u002e%u002e/secrets",
            "/srv/app/..%20/secrets",
            "/srv/app/.. /secrets",
            "/srv/app/..::$DATA/secrets",
            "/srv/app/..\t/secrets",
            // A third review's: a strict decoder keeps the separator an overlong read swallows.
            "/srv/app/%c1%2f..%2f..%2fetc/passwd",
            "/srv/app/%e0%81%2f..%2f..%2fetc/passwd",
            "/srv/app/%f0%80%81%2f..%2f..%2fetc",
            "/srv/app/%c1%252f..%252f..%252fetc",
            "/srv/app/%c0%5c..%5c..%5cetc",
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

    /// `dir` is the directory on disk: under every reading the path must name something
    /// inside it. A directory whose own name changes under a reading holds nothing a lenient
    /// tool could be pointed at (a second review found the opposite rule let `/srv/a;b/x`
    /// through to Tomcat's `/srv/a/x`). A relative `.` holds relative paths, not drives.
    #[test]
    fn the_directory_is_the_one_on_disk() {
        for (path, dir) in [
            ("x/y", "."),
            ("./x", "."),
            ("/srv/app/a;b/x", "/srv/app"),
            ("/srv/app/\u{a5}100.pdf", "/srv/app"),
            ("/srv/app/report:2024.txt", "/srv/app"),
            ("/srv/app/caf\u{e9} cr\u{e8}me.txt", "/srv/app"),
            ("10:30.txt", "."),
            ("report:2024.txt", "."),
        ] {
            assert!(within(path, dir), "{path} in {dir}");
        }
        for (path, dir) in [
            ("/srv/a;b/x", "/srv/a;b"),
            ("/srv/50%25off/x", "/srv/50%25off"),
            ("../x", "."),
            ("/etc", "."),
            ("C:\\Windows\\win.ini", "."),
            ("C:/Windows/win.ini", "."),
            ("c:secret", "."),
            ("C:..\\..\\x", "."),
            ("%c1%2f..%2f..%2fetc", "."),
        ] {
            assert!(!within(path, dir), "{path} in {dir}");
        }
        let long = format!("/srv/app/{}", "a/".repeat(20_000));
        assert!(!within(&long, "/srv/app") && has_traversal(&long), "a path no system opens");
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
