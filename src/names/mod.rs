//! Names from the capture itself: DNS/mDNS answers, TLS SNI (over TCP and in QUIC Initial
//! packets), HTTP Host, DHCP host names.
//!
//! Each protocol has its own file and is the only user of its parsing crate. This module
//! holds what they share: the rule for what counts as a usable name.

pub mod answers;
pub mod dhcp;
pub mod dns;
pub mod http;
pub mod quic;
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
    }
}
