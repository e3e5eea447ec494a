//! Domains, suffixes and IP ranges.

use std::net::IpAddr;

/// The lowercased domain of an email address or URL (or of a bare domain).
pub fn domain(text: &str) -> String {
    let t = text.trim();
    let host = if let Some((_, rest)) = t.split_once("://") {
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let authority = &rest[..end];
        let host = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        host.split(':').next().unwrap_or(host)
    } else if let Some((_, d)) = t.rsplit_once('@') {
        d
    } else {
        t
    };
    host.trim_end_matches('.').to_lowercase()
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

/// Is `ip` inside the CIDR range `cidr` (e.g. `10.0.0.0/8`)?
pub fn in_cidr(ip_text: &str, cidr: &str) -> Result<bool, String> {
    let address = ip(ip_text)?;
    let (base, bits) = cidr.split_once('/').ok_or_else(|| format!("`{cidr}` is not a CIDR range"))?;
    let base = ip(base)?;
    let bits: u32 = bits.parse().map_err(|_| format!("`{cidr}` is not a CIDR range"))?;
    Ok(match (address, base) {
        (IpAddr::V4(a), IpAddr::V4(b)) if bits <= 32 => {
            let mask = if bits == 0 { 0 } else { u32::MAX << (32 - bits) };
            u32::from(a) & mask == u32::from(b) & mask
        }
        (IpAddr::V6(a), IpAddr::V6(b)) if bits <= 128 => {
            let mask = if bits == 0 { 0 } else { u128::MAX << (128 - bits) };
            u128::from(a) & mask == u128::from(b) & mask
        }
        (IpAddr::V4(_) | IpAddr::V6(_), _) if bits > 128 => return Err(format!("`{cidr}` is not a CIDR range")),
        _ => false,
    })
}

/// Is `ip` private, loopback, link-local or otherwise not publicly routable?
pub fn is_private(ip_text: &str) -> Result<bool, String> {
    Ok(match ip(ip_text)? {
        IpAddr::V4(a) => {
            a.is_private()
                || a.is_loopback()
                || a.is_link_local()
                || a.is_unspecified()
                || a.octets()[0] == 100 && (a.octets()[1] & 0xc0) == 64
        }
        IpAddr::V6(a) => {
            a.is_loopback() || a.is_unspecified() || (a.segments()[0] & 0xfe00) == 0xfc00 || (a.segments()[0] & 0xffc0) == 0xfe80
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn networks() {
        assert_eq!(domain("https://User@Mail.Example.com:443/x"), "mail.example.com");
        assert_eq!(domain("bob@ACME.com"), "acme.com");
        assert!(suffix_match("mail.acme.com", "acme.com"));
        assert!(!suffix_match("evilacme.com", "acme.com"));
        assert_eq!(in_cidr("10.1.2.3", "10.0.0.0/8"), Ok(true));
        assert_eq!(in_cidr("11.1.2.3", "10.0.0.0/8"), Ok(false));
        assert_eq!(is_private("192.168.1.1"), Ok(true));
        assert_eq!(is_private("8.8.8.8"), Ok(false));
    }
}
