//! Credentials (`std.secrets`): cloud keys and service tokens by their documented formats,
//! private-key blocks, JSON Web Tokens (whose header decodes to JSON with `alg`), and
//! high-entropy values assigned to secret-sounding names (`password = "…"`, `api_secret: …`).
//! Placeholders (`AKIAXXXXXXXXXXXXXXXX`, `sk_test_your_key_here`, `<token>`) are not secrets.

use std::ops::Range;
use std::sync::LazyLock;

use base64::Engine;
use regex::{Regex, RegexSet};

/// Which kind of secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Token,
    PrivateKey,
    Jwt,
    HighEntropy,
}

pub const KINDS: [Kind; 4] = [Kind::Token, Kind::PrivateKey, Kind::Jwt, Kind::HighEntropy];

/// Service tokens by format.
const TOKEN_PATTERNS: &[&str] = &[
    r"\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b",
    r"\bgh[pousr]_[A-Za-z0-9]{36,255}\b",
    r"\bgithub_pat_[A-Za-z0-9_]{60,255}\b",
    r"\bxox[baprse]-[A-Za-z0-9-]{10,250}\b",
    r"\bxapp-\d-[A-Za-z0-9-]{10,250}\b",
    r"\bhooks\.slack\.com/(?:services|workflows|triggers)/[A-Za-z0-9_/-]{20,}",
    r"\bwhsec_[A-Za-z0-9+/=]{24,}",
    r"\b[sr]k_(?:live|test)_[A-Za-z0-9]{16,247}\b",
    r"\bAIza[0-9A-Za-z_-]{35}\b",
    r"\bgl(?:pat|rt|dt|ptt|ft|soat|cbt)-[A-Za-z0-9_-]{20,}\b",
    r"\bsk-(?:proj-|ant-(?:api03-)?)?[A-Za-z0-9_-]{32,}\b",
    r"\bnpm_[A-Za-z0-9]{36}\b",
    r"\bSG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}\b",
    r"\bhf_[A-Za-z0-9]{34,}\b",
    r"\bdo[opr]_v1_[a-f0-9]{64}\b",
];

static TOKENS: LazyLock<Option<(RegexSet, Vec<Regex>)>> = LazyLock::new(|| {
    let set = RegexSet::new(TOKEN_PATTERNS.iter().map(|p| super::ascii_boundaries(p))).ok()?;
    let each = TOKEN_PATTERNS.iter().map(|p| super::regex(p)).collect::<Option<Vec<_>>>()?;
    Some((set, each))
});
/// The header of a private-key block; the block runs to its `-----END … PRIVATE KEY…-----`.
static PRIVATE_KEY: LazyLock<Option<Regex>> = LazyLock::new(|| super::regex(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"));
static JWT: LazyLock<Option<Regex>> =
    LazyLock::new(|| super::regex(r"\beyJ[A-Za-z0-9_-]{8,}={0,2}\.eyJ[A-Za-z0-9_-]{4,}={0,2}\.[A-Za-z0-9_-]{0,1024}"));
/// A secret-sounding name, an assignment, and a value (quoted or bare).
static ASSIGNED: LazyLock<Option<Regex>> = LazyLock::new(|| {
    super::regex(
        r#"(?i)\b[a-z0-9_.-]{0,40}(?:password|passwd|pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|client[_-]?secret|auth|credential|bearer|key)[a-z0-9_.-]{0,20}["']?\s{0,4}(?:[:=]|=>|:=)\s{0,4}(?:["'`]([^"'`\s/\\,@]{16,256})["'`]|["'`]?([A-Za-z0-9+/=_\-.~!@#$%^&*]{16,256}))"#,
    )
});

/// The password of a connection string or URL: `postgres://user:PASSWORD@host`.
static URL_PASSWORD: LazyLock<Option<Regex>> =
    LazyLock::new(|| super::regex(r"\b[A-Za-z][A-Za-z0-9+.-]{1,20}://[^\s:/@]{1,64}:([^\s:/@]{1,128})@[A-Za-z0-9.\[\]-]"));

/// A bearer token in an `Authorization` header or anywhere after `Bearer`.
static BEARER: LazyLock<Option<Regex>> = LazyLock::new(|| super::regex(r"(?i)\bbearer\s+([A-Za-z0-9._~+/=-]{16,512})"));

/// `<add key="ApiSecret" value="…"/>`: a secret-sounding key attribute and its value.
static ATTRIBUTE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    super::regex(
        r#"(?i)\b(?:key|name)\s*=\s*["'][^"']{0,40}(?:password|passwd|pwd|secret|token|apikey|api[_-]?key|credential)[^"']{0,20}["']\s+value\s*=\s*["']([^"']{16,256})["']"#,
    )
});

/// The spans of `kind` in `text`, in order.
pub fn find(kind: Kind, text: &str) -> Vec<Range<usize>> {
    match kind {
        Kind::Token => {
            let Some((set, each)) = TOKENS.as_ref() else { return Vec::new() };
            let mut out: Vec<Range<usize>> = set
                .matches(text)
                .iter()
                .flat_map(|i| each[i].find_iter(text))
                .filter(|m| !placeholder(m.as_str()))
                .map(|m| m.range())
                .collect();
            out.sort_by_key(|r| (r.start, r.end));
            out
        }
        Kind::PrivateKey => {
            if !text.contains("PRIVATE KEY") {
                return Vec::new();
            }
            let Some(re) = PRIVATE_KEY.as_ref() else { return Vec::new() };
            let headers: Vec<Range<usize>> = re.find_iter(text).map(|m| m.range()).collect();
            // End markers in order, consumed as the headers pass them: linear in the text.
            let mut ends = text.match_indices("-----END ").map(|(at, _)| at).peekable();
            let mut out: Vec<Range<usize>> = Vec::new();
            for (i, header) in headers.iter().enumerate() {
                if out.last().is_some_and(|last| header.start < last.end) {
                    continue;
                }
                // A block ends before the next header at the latest.
                let limit = headers.get(i + 1).map_or(text.len(), |next| next.start);
                while ends.next_if(|&at| at < header.end).is_some() {}
                let closed = ends.peek().filter(|&&at| at < limit).and_then(|&at| {
                    let after = at + "-----END ".len();
                    let label = text.as_bytes().get(after..(after + 80).min(text.len()))?;
                    label.windows(5).position(|w| w == b"-----").map(|close| (at, after + close + "-----".len()))
                });
                // To the end marker's closing dashes; without one (a truncated paste), over the
                // key material that follows the header.
                let (body, end) = match closed {
                    Some((at, end)) => (header.end..at, end),
                    None => {
                        let end = header.end + material_len(&text[header.end..limit]);
                        (header.end..end, end)
                    }
                };
                // A template (`<your private key here>`) is not a key.
                if !placeholder_block(&text[body]) {
                    out.push(header.start..end);
                }
            }
            out
        }
        Kind::Jwt => {
            if !text.contains("eyJ") {
                return Vec::new();
            }
            JWT.as_ref().map(|re| re.find_iter(text).filter(|m| jwt_header(m.as_str())).map(|m| m.range()).collect()).unwrap_or_default()
        }
        Kind::HighEntropy => {
            let values = |re: &LazyLock<Option<Regex>>| -> Vec<Range<usize>> {
                re.as_ref()
                    .map(|re| {
                        // The value: quoted (any character but a quote or a space), or bare.
                        re.captures_iter(text)
                            .filter_map(|c| c.get(1).or_else(|| c.get(2)))
                            // An email address (`"author": "jdoe2019@gmail.com"`) is not a secret.
                            .filter(|v| {
                                high_entropy(v.as_str()) && !placeholder(v.as_str()) && crate::args::email_parts(v.as_str()).is_none()
                            })
                            .map(|v| v.range())
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let mut out = values(&ASSIGNED);
            out.extend(values(&ATTRIBUTE));
            out.extend(values(&BEARER));
            // A password in a URL is a credential by its place, random-looking or not.
            if let Some(re) = URL_PASSWORD.as_ref().filter(|_| text.contains("://")) {
                out.extend(re.captures_iter(text).filter_map(|c| c.get(1)).filter(|v| password_like(v.as_str())).map(|v| v.range()));
            }
            out.sort_by_key(|r| (r.start, r.end));
            out.dedup();
            out
        }
    }
}

/// The spans of every kind, merged.
pub fn spans(text: &str) -> Vec<Range<usize>> {
    super::merge(KINDS.iter().flat_map(|k| find(*k, text)).collect())
}

pub fn contains_private_key(text: &str) -> bool {
    !find(Kind::PrivateKey, text).is_empty()
}

pub fn contains_jwt(text: &str) -> bool {
    !find(Kind::Jwt, text).is_empty()
}

pub fn contains_any(text: &str) -> bool {
    KINDS.iter().any(|k| !find(*k, text).is_empty())
}

/// The first part of a JWT decodes to a JSON object with `alg`.
fn jwt_header(token: &str) -> bool {
    let header = token.split('.').next().unwrap_or("").trim_end_matches('=');
    let Ok(bytes) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(header) else { return false };
    let text = String::from_utf8_lossy(&bytes);
    text.trim_start().starts_with('{') && text.contains("\"alg\"")
}

/// How far key material runs at the start of `rest` (after a header with no end marker):
/// whole lines of base64, up to and including the first short one (a key's last line).
fn material_len(rest: &str) -> usize {
    let mut len = 0;
    let mut at = 0;
    for line in rest.split_inclusive('\n') {
        let key_line = line.trim();
        let base64 = !key_line.is_empty() && key_line.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='));
        // Blank lines before the first key line are skipped; anything else ends the material.
        if !(base64 || key_line.is_empty() && len == 0) {
            break;
        }
        at += line.len();
        if base64 {
            len = at - (line.len() - line.trim_end().len());
            if key_line.len() < 40 {
                break;
            }
        }
    }
    len
}

/// The body of a key block that is a template rather than key material. A line's worth of
/// base64 (40 characters in a row with a digit and both cases; key lines have 64) is key
/// material, whatever else the body holds: random base64 spells `your` or `xxxx` now and then,
/// and a `<` line added to a real key must not hide it. A body with no run of 16 is not a key
/// (prose that names the markers).
fn placeholder_block(body: &str) -> bool {
    let base64 = |b: &u8| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=');
    let material = |run: &[u8]| {
        run.len() >= 40
            && run.iter().any(u8::is_ascii_digit)
            && run.iter().any(u8::is_ascii_uppercase)
            && run.iter().any(u8::is_ascii_lowercase)
    };
    let runs = || body.as_bytes().split(|b| !base64(b));
    if runs().any(material) {
        return false;
    }
    // Prose about the markers (`… start with -----BEGIN PRIVATE KEY----- and end with …`) has
    // no run of base64 at all.
    if !runs().any(|run| run.len() >= 16) {
        return true;
    }
    let lower = body.to_ascii_lowercase();
    body.contains(['<', '>', '{', '}']) || ["your", "example", "placeholder", "redacted", "...", "xxxx"].iter().any(|w| lower.contains(w))
}

/// Shannon entropy in bits per character, over the value's characters.
fn entropy(value: &str) -> f64 {
    let mut counts = [0u32; 256];
    for b in value.bytes() {
        counts[usize::from(b)] += 1;
    }
    let n = value.len() as f64;
    counts.iter().filter(|&&c| c > 0).map(|&c| f64::from(c) / n).map(|p| -p * p.log2()).sum()
}

/// Random-looking: high entropy for its length, mixing character classes, not a word or a path.
fn high_entropy(value: &str) -> bool {
    let classes = [
        value.bytes().any(|b| b.is_ascii_lowercase()),
        value.bytes().any(|b| b.is_ascii_uppercase()),
        value.bytes().any(|b| b.is_ascii_digit()),
        value.bytes().any(|b| !b.is_ascii_alphanumeric()),
    ];
    let hex = value.bytes().all(|b| b.is_ascii_hexdigit());
    let threshold = if hex { 3.0 } else { 3.5 };
    // A digit too: paths and names (`prod/db-credentials`) mix letters and punctuation only.
    value.len() >= 16 && entropy(value) >= threshold && classes[2] && classes.iter().filter(|c| **c).count() >= 2 && !value.contains("://")
}

/// A connection string's password that is not a template or a common stand-in: eight
/// characters or more, not a placeholder, with a digit, mixed case or punctuation.
fn password_like(value: &str) -> bool {
    let mixed = value.bytes().any(|b| b.is_ascii_lowercase()) && value.bytes().any(|b| b.is_ascii_uppercase());
    value.len() >= 8 && !placeholder(value) && (mixed || value.bytes().any(|b| b.is_ascii_digit() || !b.is_ascii_alphanumeric()))
}

/// Example and template values: runs of one character, `your_…_here`, `example`, `<…>`, `${…}`.
fn placeholder(value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    let tail = value.trim_start_matches(|c: char| c.is_ascii_lowercase() || c == '_' || c == '-');
    let repeated = tail.len() >= 8 && tail.bytes().skip(4).all(|b| b == b'X' || b == b'x' || b == b'0' || b == b'*');
    repeated
        || ["your", "example", "sample", "dummy", "placeholder", "changeme", "redacted", "xxxx", "1234567890", "abcdef", "_here", "-here"]
            .iter()
            .any(|w| lower.contains(w))
        || value.contains(['<', '>', '{', '}'])
        // An environment variable (`$DB_PASSWORD`, `${DB_PASSWORD}`), not its value; a `$`
        // before anything else (`$7kQ…`) or inside a value is just a character.
        || value.strip_prefix('$').is_some_and(|name| name.starts_with(|c: char| c == '{' || c == '_' || c.is_ascii_alphabetic()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_credentials_and_skips_placeholders() {
        assert!(contains_any("aws_access_key_id = AKIAIOSFODNN7EXAMPLQ"));
        assert!(!contains_any("aws_access_key_id = AKIAXXXXXXXXXXXXXXXX"));
        assert!(contains_any("token ghp_aB3dE5fG7hI9jK1lM3nO5pQ7rS9tU1vW3xY5"));
        assert!(!contains_any("STRIPE_KEY=sk_test_your_key_here_please"));
        assert!(contains_private_key("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAq8sZ3vJ0\n-----END RSA PRIVATE KEY-----"));
        assert!(!contains_private_key("-----BEGIN PUBLIC KEY-----"));
        let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";
        assert!(contains_jwt(&format!("Authorization: Bearer {jwt}")));
        assert!(contains_any("db_password = \"q8#Vz2!rT6pL0wXe4Nk9\""));
        assert!(!contains_any("password = \"correcthorsebattery\""));
        assert!(!contains_any("commit 3f7a9c2e4b1d8f6a0c5e7b9d2f4a6c8e0b1d3f5a in the log"));
    }

    /// Key material is a key even when its base64 happens to spell a template word or a line
    /// with `<` is added; a template body is not.
    #[test]
    fn key_blocks_with_material_are_keys() {
        let line = "MIIEpAIBAAKCAQEAyOUrq8sZ3vJ0lq1bXxxxxQ2r9Tn0m6Hc4xVfLk8pWz7aBcDeFgHiJkLmN";
        for body in [line.to_owned(), format!("<!-- pasted -->\n{line}"), format!("{line}\n...")] {
            let block = format!("-----BEGIN RSA PRIVATE KEY-----\n{body}\n-----END RSA PRIVATE KEY-----");
            assert!(contains_private_key(&block), "{block}");
        }
        // A truncated paste (no end marker) is key material as far as it goes.
        let truncated = format!("-----BEGIN PRIVATE KEY-----\n{line}\n{line}");
        assert_eq!(find(Kind::PrivateKey, &format!("{truncated}\nthanks, bob")), vec![0..truncated.len()]);
        assert_eq!(find(Kind::PrivateKey, &format!("{truncated}\nMIIE\nthanks")), vec![0..truncated.len() + 5]);
        for template in
            ["<your private key here>", "...", "xxxx", "<replace with the key from vault/secret/data/production/payments/signing>"]
        {
            let block = format!("-----BEGIN PRIVATE KEY-----\n{template}\n-----END PRIVATE KEY-----");
            assert!(!contains_private_key(&block), "{block}");
        }
    }

    /// A secret-sounding attribute's value in configuration markup (the pattern once began
    /// with a backspace character instead of `\b`, so it never matched).
    #[test]
    fn config_attributes_are_read() {
        assert!(contains_any(r#"<add key="ApiSecret" value="q8Vz2rT6pL0wXe4Nk9"/>"#));
        assert!(!contains_any(r#"<add key="Theme" value="q8Vz2rT6pL0wXe4Nk9"/>"#));
    }

    /// Values a review found missed: quoted values with `;` or `,`, a value starting with `$`
    /// and a digit (no variable name does), and token formats the docs name.
    #[test]
    fn quoted_values_dollar_digits_and_more_token_formats() {
        for secret in [
            r#"password = "Kx7;mQ2vR9#pL4wZ5t""#,
            r#"password = "$7kQ9#mZ2vL4pX8wR3""#,
            "SLACK_APP_TOKEN=xapp-1-A04R7K2LM9Q-5521098734611-9f3c2e7a1b4d8e6f0a9c3b5d7e1f2a4c",
            "webhook https://hooks.slack.com/services/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",
            "runner token glrt-2CR8_eVxiioB1QmzPZwa",
            "STRIPE_WEBHOOK_SECRET=whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLSLz",
            "do_token dor_v1_3f9a2c7e1b4d8e6f0a9c3b5d7e1f2a4c6b8d0e2f4a6c8e0b1d3f5a7c9e1b3d5f",
        ] {
            assert!(contains_any(secret), "{secret}");
        }
        assert!(!contains_any(r#"password = "${DB_PASSWORD_FROM_ENV}""#));
        // Paths, URLs, lists and addresses in quotes are not secrets.
        for not_secret in [
            r#"credentials_file = "C:\Users\Bob\AppData\gcloud\creds2.json""#,
            r#"primary_key = "user_id,tenant_id,created_at_2024""#,
            r#"token_url = "/oauth2/v1/token?grant=client_credentials""#,
            r#""author": "jdoe2019@gmail.com""#,
            "must start with -----BEGIN PRIVATE KEY----- and end with -----END PRIVATE KEY-----.",
        ] {
            assert!(!contains_any(not_secret), "{not_secret}");
        }
        assert!(!contains_any(r#"password = "$DB_PASSWORD_FROM_ENV""#));
    }

    #[test]
    fn connection_strings_bearer_tokens_and_dollar_signs() {
        for secret in [
            "postgres://admin:rESQedUStPKR0CsTy4Qw@db.internal:5432/prod",
            "DATABASE_URL=postgres://admin:b8DwkNhFdnXsiVpzz63F@db.example.org/app",
            "mongodb+srv://svc:fkCzJr4i0B3JrTAwR4y9ojfl@cluster0.mongodb.net/x",
            "redis://default:s3cr3t-Pa55w0rd@cache:6379",
            "Authorization: Bearer xEhh2FDEEtfjgVvVqE1SkHbn88HxjSI6bWHtP3fS",
            "password = \"Vq8#mZ2$wL5nR7pT\"",
        ] {
            assert!(contains_any(secret), "{secret}");
        }
        for not_secret in [
            "postgres://user:password@localhost/db",
            "postgres://user:${DB_PASSWORD}@db/app",
            "postgres://user:changeme@db/app",
            "see https://example.com:8080/path and mailto:bob@acme.com",
            "https://user@host.example/x",
            "password = \"$DB_PASSWORD_FROM_ENV\"",
            "Bearer <token>",
        ] {
            assert!(!contains_any(not_secret), "{not_secret}");
        }
    }
}
