//! Credentials: cloud keys, tokens, private keys and JWTs.

use std::sync::LazyLock;

use regex::RegexSet;

static TOKENS: LazyLock<Option<RegexSet>> = LazyLock::new(|| {
    RegexSet::new([
        r"\bAKIA[0-9A-Z]{16}\b",
        r"\bgh[pousr]_[A-Za-z0-9]{36,}\b",
        r"\bxox[baprs]-[A-Za-z0-9-]{10,}\b",
        r"\bsk_(live|test)_[A-Za-z0-9]{16,}\b",
        r"\bAIza[0-9A-Za-z_-]{35}\b",
        r"\bglpat-[A-Za-z0-9_-]{20,}\b",
    ])
    .ok()
});

pub fn contains_private_key(text: &str) -> bool {
    text.contains("-----BEGIN") && text.contains("PRIVATE KEY")
}

pub fn contains_jwt(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || c == '"' || c == '\'').any(|word| {
        let parts: Vec<&str> = word.split('.').collect();
        parts.len() == 3
            && parts[0].starts_with("eyJ")
            && parts[1].starts_with("eyJ")
            && parts.iter().all(|p| p.len() >= 4 && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'))
    })
}

pub fn contains_any(text: &str) -> bool {
    TOKENS.as_ref().is_some_and(|s| s.is_match(text)) || contains_private_key(text) || contains_jwt(text)
}
