//! Names from the capture itself: DNS/mDNS answers, TLS SNI (over TCP and in QUIC Initial
//! packets), HTTP Host for destinations; and what devices call themselves in DHCP, mDNS, SSDP
//! and NetBIOS (`device`).
//!
//! Each protocol has its own file and is the only user of its parsing crate. This module
//! holds what they share: the rule for what counts as a usable destination name (devices'
//! names keep their case and have their own rule, in `device`).

pub mod answers;
pub mod device;
pub mod dhcp;
pub mod dns;
pub mod http;
pub mod netbios;
pub mod quic;
pub mod starttls;
pub mod tls;

pub use tls::Probe;

/// Longest DNS name (RFC 1035).
const MAX_NAME_LEN: usize = 253;

/// Lower-cases a host name and drops a trailing dot. Names with characters that never
/// occur in host names (markup, control bytes, spaces) are refused, so nothing hostile
/// travels on into reports or the page.
pub fn clean_name(raw: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(raw).ok()?.trim().trim_end_matches('.');
    if text.is_empty() || text.len() > MAX_NAME_LEN {
        return None;
    }
    let ok = text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':' | b'*'));
    ok.then(|| text.to_ascii_lowercase())
}

/// [`clean_name`] of a name that is text already, keeping its allocation when it is clean as
/// it stands (lower case, no trailing dot), as the names of DNS answers nearly always are.
pub fn clean_owned(name: String) -> Option<String> {
    let clean = !name.is_empty()
        && name.len() <= MAX_NAME_LEN
        && !name.ends_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'_' | b'.' | b':' | b'*'));
    if clean {
        Some(name)
    } else {
        clean_name(name.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_names() {
        assert_eq!(clean_name(b"Api.Example.COM."), Some("api.example.com".into()));
        assert_eq!(clean_name(b"<script>"), None);
        assert_eq!(clean_name(b""), None);
        assert_eq!(clean_name(b"a b"), None);
        assert_eq!(clean_name(&[0xff, 0xfe]), None);
        for raw in ["api.example.com", "Api.Example.COM.", " a.b ", "a b", "", "_sip._tcp.x", "a..", "\u{e9}.fr"] {
            assert_eq!(clean_owned(raw.to_string()), clean_name(raw.as_bytes()), "{raw:?}");
        }
    }
}
