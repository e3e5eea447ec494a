//! String literals read as typed values where the expected type says so (`Email`, `Url`,
//! `Path`, `Ip`, `Timestamp`), validated at compile time, and regex literals validated with
//! the regex crate's own parser so a bad pattern is reported at its exact character.

use super::program::{ModuleId, TExpr, TExprKind};
use super::types::Ty;
use super::value::Value;
use super::Checker;
use crate::diagnostic::{Code, Diagnostic};
use crate::span::Span;

impl Checker<'_> {
    pub(super) fn check_string_literal(&mut self, module: ModuleId, s: &str, span: Span, expected: Option<&Ty>) -> TExpr {
        let ok = |value, ty| TExpr { kind: TExprKind::Lit(value), ty, span };
        let wanted = expected.map(Ty::unwrap_optional);
        let result = match wanted {
            Some(Ty::Email) => parse_email(s).map(|e| ok(Value::Email(e), Ty::Email)),
            Some(Ty::Url) => parse_url(s).map(|u| ok(Value::Url(u), Ty::Url)),
            Some(Ty::Path) if !s.is_empty() => Ok(ok(Value::Path(s.to_owned()), Ty::Path)),
            Some(Ty::Path) => Err("a path is not empty".to_owned()),
            Some(Ty::Ip) => s
                .parse::<std::net::IpAddr>()
                .map(|ip| ok(Value::Ip(ip.to_string()), Ty::Ip))
                .map_err(|_| "expected an IPv4 or IPv6 address".to_owned()),
            Some(Ty::Timestamp) => parse_timestamp(s).map(|t| ok(Value::Timestamp(t), Ty::Timestamp)),
            _ => Ok(ok(Value::Str(s.to_owned()), Ty::String)),
        };
        match result {
            Ok(t) => t,
            Err(why) => {
                let ty = wanted.map(|t| self.ty_name(t)).unwrap_or_default();
                self.report(module, Diagnostic::error(Code::InvalidLiteral, span, format!("`{s}` is not a valid `{ty}`")).with_label(why));
                TExpr::error(span)
            }
        }
    }

    /// Reports a regex literal that does not compile, pointing into the pattern.
    pub(super) fn validate_regex(&mut self, module: ModuleId, pattern: &str, span: Span) {
        // Policies repeat patterns; each distinct one is parsed once.
        let error = match self.regex_checked.get(pattern) {
            Some(known) => known.clone(),
            None => {
                let mut parser = regex_syntax::ast::parse::Parser::new();
                let error = match parser.parse(pattern) {
                    Err(e) => Some((e.kind().to_string(), e.span().start.offset, e.span().end.offset)),
                    Ok(ast) => regex_syntax::hir::translate::Translator::new()
                        .translate(pattern, &ast)
                        .err()
                        .map(|e| (e.kind().to_string(), e.span().start.offset, e.span().end.offset)),
                };
                self.regex_checked.insert(pattern.to_owned(), error.clone());
                error
            }
        };
        if let Some((message, start, end)) = error {
            // The pattern starts after `r"` in the source.
            let at = Span::new(span.start + 2 + start, span.start + 2 + end.max(start + 1));
            let at = if at.end <= span.end { at } else { span };
            self.report(
                module,
                Diagnostic::error(Code::InvalidRegex, at, format!("invalid regex: {message}"))
                    .with_secondary(crate::span::FileId::UNSET, span, "in this regex")
                    .with_help("regexes use the syntax of the Rust `regex` crate (no look-around or back-references)"),
            );
        }
    }
}

/// An email literal, as the runtime reads an `Email` argument (`email_parts`), lower-cased; a
/// trailing dot is an error here (write the domain without it).
fn parse_email(s: &str) -> Result<String, String> {
    if !s.contains('@') {
        return Err("an email address has an `@`".to_owned());
    }
    match aisecops_runtime::args::email_parts(s) {
        Some((_, domain)) if !domain.ends_with('.') => Ok(s.to_lowercase()),
        _ => Err("expected one address `local@domain`: no second `@`, list, display name or quoting; dot-separated labels of letters, digits and inner hyphens after the `@`".to_owned()),
    }
}

fn parse_url(s: &str) -> Result<String, String> {
    let Some((scheme, rest)) = s.split_once("://") else {
        return Err("a URL starts with `scheme://`".to_owned());
    };
    let valid_scheme = scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    if !valid_scheme || rest.is_empty() || s.chars().any(char::is_whitespace) || aisecops_runtime::natives::net::domain(s).is_err() {
        return Err("expected `scheme://host/path`".to_owned());
    }
    let host_end = rest.find(['/', '\\', '?', '#']).unwrap_or(rest.len());
    Ok(format!("{}://{}{}", scheme.to_lowercase(), rest[..host_end].to_lowercase(), &rest[host_end..]))
}

/// Milliseconds since the epoch of an RFC 3339 timestamp (the runtime's parser, so compile-time
/// and run-time timestamps agree).
pub(crate) fn parse_timestamp(s: &str) -> Result<i64, String> {
    aisecops_runtime::request::parse_timestamp(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse_timestamp("2026-01-31T09:30:00Z"), Ok(1_769_851_800_000));
        assert_eq!(parse_timestamp("2026-01-31T10:30:00+01:00"), Ok(1_769_851_800_000));
        assert_eq!(parse_timestamp("2026-01-31T09:30:00.5Z"), Ok(1_769_851_800_500));
        assert!(parse_timestamp("2026-02-30T00:00:00Z").is_err());
        assert!(parse_timestamp("yesterday").is_err());
    }

    #[test]
    fn emails_and_urls() {
        assert_eq!(parse_email("Bob@ACME.com"), Ok("bob@acme.com".to_owned()));
        assert!(parse_email("bob").is_err());
        for not_one in ["a@b@c.com", "eve@evil.io,bob@acme.com", "Eve <eve@evil.io>", "a..b@c.com", "a@-c.com", "a@c..com", "a@c.com."] {
            assert!(parse_email(not_one).is_err(), "{not_one}");
        }
        assert_eq!(parse_url("HTTPS://Example.COM/A"), Ok("https://example.com/A".to_owned()));
        assert!(parse_url("example.com").is_err());
    }
}
