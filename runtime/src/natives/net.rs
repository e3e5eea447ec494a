//! Domains, suffixes and IP ranges.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The lowercased domain of a URL, an email address or a bare domain, read the way a browser
/// or a mail system reads it; `Err` when the text has none, or is not one address or URL (a
/// list of addresses, `a/b@c`), so a rule that asks faults instead of judging the wrong host.
///
/// - A URL of a web scheme (`http`, `https`, `ws`, `wss`, `ftp`, `file`) has its host after any
///   run of `/` and `\` (`https:evil.io`, `https:/\evil.io` are on `evil.io`); another scheme
///   needs `//` before its host (`mailto:` gives its one address's domain); a text starting
///   with `//` is a URL without a scheme. The host ends at the first `/`, `\`, `?` or `#`,
///   after the last `@` of the authority, before the port.
/// - Tabs and line breaks are dropped, as browsers drop them; the host is percent-decoded,
///   its full stops of other scripts (`。`, `．`) read as dots and its compatibility forms
///   (fullwidth `ｅｖｉｌ`) folded (NFKC), as browsers do before resolving it; one trailing dot
///   goes.
pub fn domain(text: &str) -> Result<String, String> {
    let cleaned: String = text.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let t = cleaned.as_str();
    if t.contains(char::is_control) {
        // A NUL or another control character ends the text for some clients (a C string)
        // and not for others: `http://127.0.0.1\0@good.com/` is on either host.
        return Err(format!("`{}` holds a control character", text.escape_debug()));
    }
    let slashes = |c: char| c == '/' || c == '\\';
    let ambiguous = || format!("`{text}` is not one email address or URL");
    let host = match scheme(t) {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("mailto") => {
            let (address, query) = rest.split_once('?').unwrap_or((rest, ""));
            // Header fields that add recipients make a list (RFC 6068).
            let adds = query.split('&').any(|field| {
                let name = field.split('=').next().unwrap_or("").to_ascii_lowercase();
                matches!(name.as_str(), "to" | "cc" | "bcc")
            });
            let address = percent_decoded(address);
            match crate::args::email_parts(&address) {
                Some((_, domain)) if !adds => domain.to_owned(),
                _ => return Err(format!("`{text}` is not a mailto URL of one address")),
            }
        }
        Some((scheme, _)) if NO_HOST_SCHEMES.iter().any(|n| scheme.eq_ignore_ascii_case(n)) => {
            return Err(format!("`{text}` is a URL without a host"))
        }
        Some((scheme, rest)) if WEB_SCHEMES.iter().any(|w| scheme.eq_ignore_ascii_case(w)) => authority(rest.trim_start_matches(slashes))?,
        Some((_, rest)) if rest.starts_with("//") => authority(&rest[2..])?,
        Some(_) => return Err(format!("`{text}` is a URL without a host")),
        None if t.starts_with(slashes) && t[1..].starts_with(slashes) => authority(t.trim_start_matches(slashes))?,
        None if t.contains('@') => {
            // A `/`, `\`, `?` or `#` before the `@` may be an address's (RFC 5322 allows
            // them) or a bare URL's, which a browser reads as on the host before it.
            let one = crate::args::email_parts(t).filter(|(local, _)| !local.contains(['/', '\\', '?', '#']));
            one.ok_or_else(ambiguous)?.1.to_owned()
        }
        None => authority(t)?,
    };
    host_name(&host).ok_or_else(|| format!("`{text}` has no valid host name"))
}

/// A host as it is resolved: percent-decoded, with the characters name resolution ignores
/// (soft hyphens, zero-width and joiner characters, variation selectors, tag characters)
/// dropped, ideographic full stops read as dots, compatibility forms folded (NFKC), lowercased,
/// one trailing dot dropped, and an IPv4 address in any of the forms browsers accept
/// (`2852039166`, `0xa9fea9fe`, `0251.0376.0251.0376`, `127.1`) written as four decimals;
/// `None` when it is empty or holds a character no host name has (a space, `/`, `\`, `%`,
/// `@`, `#`, `?`, …), which a client would read otherwise.
pub fn host_name(host: &str) -> Option<String> {
    let decoded = percent_decoded(host);
    let mapped: String = decoded
        .chars()
        .filter(|&c| !super::invisible(c))
        .map(|c| if matches!(c, '\u{3002}' | '\u{ff0e}' | '\u{ff61}') { '.' } else { c })
        .collect();
    let folded = unicode_normalization::UnicodeNormalization::nfkc(mapped.as_str()).collect::<String>().to_lowercase();
    let name = folded.strip_suffix('.').unwrap_or(&folded);
    let forbidden = |c: char| c.is_control() || c.is_whitespace() || " #%/:<>?@[\\]^|*\"'`{}".contains(c);
    if name.is_empty() || name.chars().any(forbidden) {
        // An IPv6 literal keeps its colons.
        return name.parse::<Ipv6Addr>().ok().map(|a| a.to_string());
    }
    Some(ipv4_host(name).map_or_else(|| name.to_owned(), |a| a.to_string()))
}

/// The IPv4 address a host names when its last label is a number, as browsers parse it (the
/// WHATWG URL standard): one to four parts, each decimal, hex (`0x`) or octal (leading `0`),
/// the last filling the remaining bytes.
fn ipv4_host(name: &str) -> Option<Ipv4Addr> {
    let parts: Vec<&str> = name.split('.').collect();
    let number = |p: &str| -> Option<u64> {
        if let Some(hex) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
            return if hex.is_empty() { Some(0) } else { u64::from_str_radix(hex, 16).ok() };
        }
        if p.len() > 1 && p.starts_with('0') {
            return u64::from_str_radix(&p[1..], 8).ok();
        }
        p.parse().ok()
    };
    let last = parts.last()?;
    if parts.len() > 4 || number(last).is_none() {
        return None;
    }
    let numbers: Vec<u64> = parts.iter().map(|p| number(p)).collect::<Option<_>>()?;
    let (init, tail) = numbers.split_at(numbers.len() - 1);
    if init.iter().any(|&n| n > 255) || tail[0] >= 1u64 << (8 * (5 - numbers.len())) {
        return None;
    }
    let mut value = tail[0];
    for (i, &n) in init.iter().enumerate() {
        value += n << (8 * (3 - i));
    }
    u32::try_from(value).ok().map(Ipv4Addr::from)
}

/// Schemes whose URLs browsers read with any run of slashes and backslashes before the host.
const WEB_SCHEMES: [&str; 5] = ["http", "https", "ws", "wss", "ftp"];

/// Schemes whose URLs have no host, whatever follows (`javascript://good.com/%0a…` runs code).
const NO_HOST_SCHEMES: [&str; 4] = ["javascript", "data", "vbscript", "blob"];

/// The scheme of `text` and what follows its colon, when `text` starts with one (`name:`; not
/// a host and port such as `acme.com:8443/x`).
fn scheme(text: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = text.split_once(':')?;
    let valid =
        scheme.starts_with(|c: char| c.is_ascii_alphabetic()) && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
    let port = rest.split(['/', '\\', '?', '#']).next().is_some_and(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    (valid && !port).then_some((scheme, rest))
}

/// The host of an authority and what follows it: up to the first `/`, `?` or `#`, after the
/// last `@`, without the port; an IPv6 literal with its brackets. A backslash there is an
/// error: browsers end the host at it, other clients (curl, Python) do not, so
/// `https://good.com\@evil.com/` names two hosts.
fn authority(text: &str) -> Result<String, String> {
    let end = text.find(['/', '?', '#']).unwrap_or(text.len());
    let authority = &text[..end];
    let browser_end = authority.find('\\').unwrap_or(authority.len());
    if authority[browser_end..].contains('@') || (browser_end < authority.len() && authority[..browser_end].contains('@')) {
        return Err(format!("`{text}` names a different host to different clients"));
    }
    let authority = &authority[..browser_end];
    let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    Ok(match host.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(v6).to_owned(),
        None => host.split(':').next().unwrap_or(host).to_owned(),
    })
}

/// `text` with its percent escapes decoded (invalid UTF-8 replaced).
fn percent_decoded(text: &str) -> String {
    percent_encoding::percent_decode_str(text).decode_utf8_lossy().into_owned()
}

/// Is `domain` equal to `suffix` or one of its subdomains?
pub fn suffix_match(domain: &str, suffix: &str) -> bool {
    let d = domain.trim_end_matches('.').to_lowercase();
    let s = suffix.trim_start_matches('.').trim_end_matches('.').to_lowercase();
    d == s || d.ends_with(&format!(".{s}"))
}

fn ip(text: &str) -> Result<IpAddr, String> {
    text.parse().map_err(|_| format!("`{text}` is not an IP address"))
}

/// The IPv4 address an IPv6 address carries, when it is one written the IPv6 way: mapped
/// (`::ffff:a.b.c.d`), compatible (`::a.b.c.d`, other than `::` and `::1`), NAT64
/// (`64:ff9b::a.b.c.d`, and local-use `64:ff9b:1::/48`), IPv4-translated (`::ffff:0:a.b.c.d`),
/// 6to4 (`2002:AABB:CCDD::`, the address `AA.BB.CC.DD`) or Teredo (`2001::/32`, the client's
/// address inverted in the last 32 bits). A socket given one of these reaches the IPv4
/// address, so the checks must see it.
fn embedded_v4(a: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = a.segments();
    let low = Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
    match s {
        [0, 0, 0, 0, 0, 0xffff, _, _] => Some(low),
        [0, 0, 0, 0, 0, 0, hi, _] if hi != 0 => Some(low),
        [0, 0, 0, 0, 0, 0, 0, lo] if lo > 1 => Some(low),
        [0x64, 0xff9b, 0, 0, 0, 0, _, _] => Some(low),
        // IPv4-translated (SIIT, `::ffff:0:a.b.c.d`) and local-use NAT64 (`64:ff9b:1::/48`).
        [0, 0, 0, 0, 0xffff, 0, _, _] => Some(low),
        [0x64, 0xff9b, 1, ..] => Some(low),
        // Teredo (`2001::/32`): the client's address, inverted, in the last 32 bits.
        [0x2001, 0, ..] => Some(Ipv4Addr::from(!u32::from(low))),
        [0x2002, hi, lo, ..] => Some(Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8)),
        _ => None,
    }
}

/// A CIDR range's base address and prefix length: `address/bits`, with at most 32 bits for an
/// IPv4 base and 128 for an IPv6 one. The checker validates literal ranges with it.
pub fn parse_cidr(cidr: &str) -> Result<(IpAddr, u32), String> {
    let not_cidr = |why: &str| format!("`{cidr}` is not a CIDR range: {why}");
    let (base, bits) = cidr.split_once('/').ok_or_else(|| not_cidr("expected `address/prefix length`"))?;
    let base: IpAddr = base.parse().map_err(|_| not_cidr("the base is not an IP address"))?;
    let bits: u32 = bits.parse().map_err(|_| not_cidr("the prefix length is not a number"))?;
    let most = if base.is_ipv4() { 32 } else { 128 };
    if bits > most {
        return Err(not_cidr(&format!("an {} prefix has at most {most} bits", if base.is_ipv4() { "IPv4" } else { "IPv6" })));
    }
    Ok((base, bits))
}

/// Is `ip` inside the CIDR range `cidr` (e.g. `10.0.0.0/8`)? An IPv6 address that carries an
/// IPv4 one ([`embedded_v4`]) is inside an IPv4 range when the IPv4 address is, and an IPv4
/// address is inside an IPv6 range when its mapped form (`::ffff:a.b.c.d`) is. A prefix
/// longer than the base address allows (`/33` for IPv4) is an error.
pub fn in_cidr(ip_text: &str, cidr: &str) -> Result<bool, String> {
    let address = ip(ip_text)?;
    let (base, bits) = parse_cidr(cidr)?;
    Ok(match base {
        IpAddr::V4(b) => {
            let mask = if bits == 0 { 0 } else { u32::MAX << (32 - bits) };
            let within = |a: Ipv4Addr| u32::from(a) & mask == u32::from(b) & mask;
            match address {
                IpAddr::V4(a) => within(a),
                IpAddr::V6(a) => embedded_v4(a).is_some_and(within),
            }
        }
        IpAddr::V6(b) => {
            let mask = if bits == 0 { 0 } else { u128::MAX << (128 - bits) };
            let a = match address {
                IpAddr::V4(a) => a.to_ipv6_mapped(),
                IpAddr::V6(a) => a,
            };
            u128::from(a) & mask == u128::from(b) & mask
        }
    })
}

/// Names only local resolvers answer: `localhost` (RFC 6761), multicast DNS's `.local` (RFC
/// 6762), the private-use `.internal` (ICANN, 2024) and `.home.arpa` (RFC 8375), and the
/// undelegated top-level labels networks use inside: `.localdomain`, `.lan`, `.corp` and
/// `.home` (withheld by ICANN for name collisions), `.intranet`, `.private`, and Kubernetes'
/// `.svc` (`kubernetes.default.svc`, resolved through the cluster's search domains).
const LOCAL_NAMES: [&str; 11] =
    ["localhost", "local", "internal", "home.arpa", "localdomain", "lan", "corp", "home", "intranet", "private", "svc"];

/// Does `host` (a URL's `.host`, or a host name or address as text, `[…]` around an IPv6 one
/// allowed) name a place inside the network? An address is read as [`host_name`] reads it
/// (`127.1` and `0x7f000001` are `127.0.0.1`) and judged by [`is_private`]; a name is inside
/// when it has one label (`metadata`, `intranet`: resolved through local search domains) or
/// ends in one of [`LOCAL_NAMES`]. Other names are not resolved, so one whose DNS record
/// points inside is not caught here. `Err` when `host` is not a host name.
pub fn is_private_host(host: &str) -> Result<bool, String> {
    let inner = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')).unwrap_or(host);
    let name = host_name(inner).ok_or_else(|| format!("`{host}` is not a host name"))?;
    if name.parse::<IpAddr>().is_ok() {
        return is_private(&name);
    }
    Ok(!name.contains('.') || LOCAL_NAMES.iter().any(|local| suffix_match(&name, local)))
}

/// Is `ip` private, loopback, link-local or otherwise not publicly routable? For IPv4:
/// private (10/8, 172.16/12, 192.168/16), loopback (127/8), link-local (169.254/16), "this
/// network" (0/8), shared address space (100.64/10), benchmarking (198.18/15) and broadcast.
/// For IPv6: loopback, unspecified, unique local (fc00::/7), link-local (fe80::/10), site-local
/// (fec0::/10), and any address that carries a non-public IPv4 one ([`embedded_v4`]:
/// `::ffff:169.254.169.254` is the metadata address).
pub fn is_private(ip_text: &str) -> Result<bool, String> {
    let v4 = |a: Ipv4Addr| {
        let [first, second, third, _] = a.octets();
        a.is_private()
            || a.is_loopback()
            || a.is_link_local()
            || a.is_broadcast()
            || first == 0
            || first == 100 && (second & 0xc0) == 64
            || first == 198 && (second & 0xfe) == 18
            // Multicast and reserved (224/4, 240/4).
            || first >= 224
            // IETF protocol assignments and the documentation ranges (192.0.0/24,
            // 192.0.2/24, 198.51.100/24, 203.0.113/24).
            || (first, second, third) == (192, 0, 0)
            || (first, second, third) == (192, 0, 2)
            || (first, second, third) == (198, 51, 100)
            || (first, second, third) == (203, 0, 113)
    };
    Ok(match ip(ip_text)? {
        IpAddr::V4(a) => v4(a),
        IpAddr::V6(a) => {
            a.is_loopback()
                || a.is_unspecified()
                || (a.segments()[0] & 0xfe00) == 0xfc00
                || (a.segments()[0] & 0xffc0) == 0xfe80
                || (a.segments()[0] & 0xffc0) == 0xfec0
                // Multicast; documentation (2001:db8::/32).
                || a.segments()[0] >> 8 == 0xff
                || a.segments()[..2] == [0x2001, 0x0db8]
                || embedded_v4(a).is_some_and(v4)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks() {
        assert_eq!(domain("https://User@Mail.Example.com:443/x").as_deref(), Ok("mail.example.com"));
        assert_eq!(domain("bob@ACME.com").as_deref(), Ok("acme.com"));
        assert!(domain("https://evil.io\\@good.com/").is_err());
        assert_eq!(domain("https://evil.io\\.good.com").as_deref(), Ok("evil.io"));
        assert!(suffix_match("mail.acme.com", "acme.com"));
        assert!(!suffix_match("evilacme.com", "acme.com"));
        assert_eq!(in_cidr("10.1.2.3", "10.0.0.0/8"), Ok(true));
        assert_eq!(in_cidr("11.1.2.3", "10.0.0.0/8"), Ok(false));
        assert_eq!(is_private("192.168.1.1"), Ok(true));
        assert_eq!(is_private("8.8.8.8"), Ok(false));
    }

    /// The host a browser or mail system would use, however the text spells it; a text that
    /// is not one address or URL has no domain (a rule asking faults).
    #[test]
    fn domains_as_browsers_and_mail_systems_read_them() {
        for (text, host) in [
            ("https:evil.com/@good.com", "evil.com"),
            ("https:/\\evil.com/@good.com", "evil.com"),
            ("HTTPS:\\\\evil.com/\\@good.com", "evil.com"),
            ("//evil.com/@good.com", "evil.com"),
            ("https://evil%2Ecom/x", "evil.com"),
            ("https://evil.com%2e/x", "evil.com"),
            ("https://evil\u{3002}com/x", "evil.com"),
            ("https://\u{ff45}\u{ff56}\u{ff49}\u{ff4c}.com/x", "evil.com"),
            ("https://ev\til.com/", "evil.com"),
            ("mailto:eve@Evil.com?subject=hi", "evil.com"),
            ("ssh://git@Host.example:22/repo", "host.example"),
            ("http://[::1]:8080/", "::1"),
            ("acme.com:8443/x", "acme.com"),
            ("Mail.Acme.com.", "mail.acme.com"),
            ("bob@acme.com", "acme.com"),
        ] {
            assert_eq!(domain(text).as_deref(), Ok(host), "{text}");
        }
        for (text, host) in [
            ("https://ev\u{ad}il.com/", "evil.com"),
            ("https://ev\u{200b}il.com/", "evil.com"),
            ("https://evil\u{fe0f}.com/", "evil.com"),
            ("http://2852039166/", "169.254.169.254"),
            ("http://0xa9fea9fe/", "169.254.169.254"),
            ("http://169.254.43518/", "169.254.169.254"),
            ("http://0251.0376.0251.0376/", "169.254.169.254"),
            ("http://127.1/", "127.0.0.1"),
            ("file://server/share", "server"),
        ] {
            assert_eq!(domain(text).as_deref(), Ok(host), "{text}");
        }
        for none in [
            "https://good.com\\@evil.com/",
            "ssh://good.com\\@evil.com/",
            "git+https://good.com\\@evil.com/x.git",
            "file:///good.com/../etc/passwd",
            "mailto:bob@good.com?bcc=eve@evil.com",
            "mailto:bob@good.com?To=eve@evil.com",
            "https://evil.com%2f.good.com/",
            "https://evil.com%40.good.com/",
            "https://evil.com .good.com/",
            "javascript://good.com/%0aalert(1)",
        ] {
            assert!(domain(none).is_err(), "{none}");
        }
        for none in [
            "",
            "https://",
            "bob@",
            "evil.com/x@good.com",
            "evil.com?x@good.com",
            "bob@evil.com, alice@good.com",
            "mailto:a@b.com,c@d.com",
            "urn:isbn:0451450523",
            "javascript:alert(1)",
        ] {
            assert!(domain(none).is_err(), "{none}");
        }
    }

    /// A URL's host is judged as the address or name a client would connect to.
    #[test]
    fn private_hosts_are_addresses_and_names_inside_the_network() {
        for host in [
            "127.0.0.1",
            "127.1",
            "0x7f000001",
            "2130706433",
            "0",
            "169.254.169.254",
            "0251.0376.0251.0376",
            "10.1.2.3",
            "::1",
            "[::1]",
            "::ffff:169.254.169.254",
            "[fd00::1]",
            "localhost",
            "LOCALHOST.",
            "api.localhost",
            "metadata",
            "intranet",
            "metadata.google.internal",
            "printer.local",
            "nas.home.arpa",
            "db.localdomain",
            "ｌｏｃａｌｈｏｓｔ",
            "127%2e0%2e0%2e1",
            "kubernetes.default.svc",
            "router.lan",
            "fileserver.corp",
        ] {
            assert_eq!(is_private_host(host), Ok(true), "{host}");
        }
        for host in ["example.com", "8.8.8.8", "[2606:4700::1111]", "localhost.example.com", "internal.example.com", "evil.local.example"] {
            assert_eq!(is_private_host(host), Ok(false), "{host}");
        }
        for host in ["", "a b", "evil.com/x", "[::1", "a@b"] {
            assert!(is_private_host(host).is_err(), "{host:?}");
        }
        // A URL's host as the decoder gives it.
        assert_eq!(domain("http://[::1]:8080/").map(|h| is_private_host(&h)), Ok(Ok(true)));
        assert_eq!(domain("http://0x7f.1/").map(|h| is_private_host(&h)), Ok(Ok(true)));
        // A NUL ends the text for a C client: no host is read from it.
        assert!(domain("http://127.0.0.1\u{0}@example.com/").is_err());
        assert!(domain("http://example.com/a\u{7}b").is_err());
        // Leading and trailing controls and spaces are stripped, as browsers strip them.
        assert_eq!(domain("\u{7} http://example.com/ \u{0}"), Ok("example.com".to_owned()));
    }

    /// An IPv4 address written the IPv6 way is the IPv4 address to both checks (an SSRF rule
    /// on `169.254.169.254` once let `::ffff:169.254.169.254` through).
    #[test]
    fn ipv4_addresses_written_as_ipv6_are_checked_as_ipv4() {
        for private in [
            "::ffff:169.254.169.254",
            "::ffff:127.0.0.1",
            "::ffff:192.168.1.1",
            "::ffff:a9fe:a9fe",
            "::127.0.0.1",
            "::10.0.0.1",
            "64:ff9b::169.254.169.254",
            "2002:a9fe:a9fe::1",
            "2002:7f00:1::",
            "0.1.2.3",
            "100.64.0.1",
            "198.18.0.1",
            "255.255.255.255",
            "fec0::1",
            "::ffff:0:7f00:1",
            "64:ff9b:1::a9fe:a9fe",
            "2001:0:4136:e378:8000:63bf:80ff:fffe",
            "224.0.0.1",
            "240.0.0.1",
            "192.0.0.8",
            "192.0.2.1",
            "203.0.113.5",
            "ff02::1",
            "2001:db8::1",
            "::1",
            "::",
        ] {
            assert_eq!(is_private(private), Ok(true), "{private}");
        }
        for public in [
            "::ffff:8.8.8.8",
            "::8.8.8.8",
            "64:ff9b::8.8.8.8",
            "2002:808:808::",
            "2001:4860:4860::8888",
            "1.1.1.1",
            "198.20.0.1",
            "2001:0:4136:e378:8000:63bf:f7f7:f7f7",
        ] {
            assert_eq!(is_private(public), Ok(false), "{public}");
        }
        assert_eq!(in_cidr("::ffff:127.0.0.1", "127.0.0.0/8"), Ok(true));
        assert_eq!(in_cidr("::ffff:10.1.2.3", "10.0.0.0/8"), Ok(true));
        assert_eq!(in_cidr("::ffff:11.1.2.3", "10.0.0.0/8"), Ok(false));
        assert_eq!(in_cidr("10.1.2.3", "::ffff:10.0.0.0/104"), Ok(true));
        assert_eq!(in_cidr("2001:db8::1", "10.0.0.0/8"), Ok(false));
        assert_eq!(in_cidr("fe80::1", "fe80::/10"), Ok(true));
        assert!(in_cidr("10.1.2.3", "10.0.0.0/33").is_err());
        assert!(in_cidr("::1", "::/129").is_err());
        assert!(in_cidr("10.1.2.3", "10.0.0.0/x").is_err());
    }
}
