//! Fuzzes the context guards on arbitrary text: `std.injection`, `std.pii` and `std.secrets`
//! never panic, their spans are ordered, disjoint, inside the text and on character
//! boundaries, `detect` (which skips span bookkeeping) agrees with `spans`, and redaction keeps
//! everything outside the spans. `std.net.domain`, `std.path` and the `Email` reading never
//! panic, and a domain found is not empty and already lower case.
#![no_main]

use aisecops::runtime::args::email_parts;
use aisecops::runtime::natives::{injection, net, path, pii, redact, secrets};
use libfuzzer_sys::fuzz_target;

fn check(text: &str, spans: &[std::ops::Range<usize>], what: &str) {
    let mut last = 0;
    for s in spans {
        assert!(s.start >= last && s.start < s.end && s.end <= text.len(), "{what}: bad span {s:?} in {text:?}");
        assert!(text.is_char_boundary(s.start) && text.is_char_boundary(s.end), "{what}: span {s:?} splits a character");
        last = s.end;
    }
    let redacted = redact(text, spans, "r");
    if !spans.is_empty() {
        assert!(redacted.starts_with(&text[..spans[0].start]), "{what}: redaction lost the text before the first span");
        assert!(redacted.ends_with(&text[spans[spans.len() - 1].end..]), "{what}: redaction lost the text after the last span");
    }
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let spans = injection::spans(&text);
    check(&text, &spans, "injection");
    // The fast path (no spans) and the span path agree.
    assert_eq!(injection::detect(&text), !spans.is_empty(), "detect and spans disagree on {text:?}");
    check(&text, &pii::spans(&text), "pii");
    check(&text, &secrets::spans(&text), "secrets");
    if let Ok(domain) = net::domain(&text) {
        assert!(!domain.is_empty() && domain.to_lowercase() == domain, "domain {domain:?} of {text:?}");
    }
    let _ = email_parts(&text);
    let _ = (path::within(&text, "/srv/app"), path::has_traversal(&text), path::normalize(&text));
});
