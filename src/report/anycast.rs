//! Anycast addresses: public DNS resolvers and content networks whose addresses are announced
//! from many sites at once, so a user is answered by a site near them whatever country the
//! address is registered in. Such a destination is never "abroad" (its `foreign` flag keeps
//! the registration country). A curated list, each entry with the operator's own page that
//! publishes it.

use std::net::IpAddr;
use std::sync::LazyLock;

/// (prefix, length, operator). Sources:
/// - Cloudflare's ranges: <https://www.cloudflare.com/ips-v4> and <https://www.cloudflare.com/ips-v6>;
///   its resolver 1.1.1.1: <https://developers.cloudflare.com/1.1.1.1/ip-addresses/>.
/// - Google Public DNS: <https://developers.google.com/speed/public-dns/docs/using>.
/// - Quad9: <https://www.quad9.net/service/service-addresses-and-features>.
/// - OpenDNS (Cisco Umbrella): <https://www.opendns.com/setupguide/>.
/// - AdGuard DNS: <https://adguard-dns.io/en/public-dns.html>.
const PREFIXES: &[(&str, u8, &str)] = &[
    ("1.1.1.0", 24, "Cloudflare DNS"),
    ("1.0.0.0", 24, "Cloudflare DNS"),
    ("2606:4700:4700::", 48, "Cloudflare DNS"),
    ("173.245.48.0", 20, "Cloudflare"),
    ("103.21.244.0", 22, "Cloudflare"),
    ("103.22.200.0", 22, "Cloudflare"),
    ("103.31.4.0", 22, "Cloudflare"),
    ("141.101.64.0", 18, "Cloudflare"),
    ("108.162.192.0", 18, "Cloudflare"),
    ("190.93.240.0", 20, "Cloudflare"),
    ("188.114.96.0", 20, "Cloudflare"),
    ("197.234.240.0", 22, "Cloudflare"),
    ("198.41.128.0", 17, "Cloudflare"),
    ("162.158.0.0", 15, "Cloudflare"),
    ("104.16.0.0", 13, "Cloudflare"),
    ("104.24.0.0", 14, "Cloudflare"),
    ("172.64.0.0", 13, "Cloudflare"),
    ("131.0.72.0", 22, "Cloudflare"),
    ("2400:cb00::", 32, "Cloudflare"),
    ("2606:4700::", 32, "Cloudflare"),
    ("2803:f800::", 32, "Cloudflare"),
    ("2405:b500::", 32, "Cloudflare"),
    ("2405:8100::", 32, "Cloudflare"),
    ("2a06:98c0::", 29, "Cloudflare"),
    ("2c0f:f248::", 32, "Cloudflare"),
    ("8.8.8.8", 32, "Google Public DNS"),
    ("8.8.4.4", 32, "Google Public DNS"),
    ("2001:4860:4860::8888", 128, "Google Public DNS"),
    ("2001:4860:4860::8844", 128, "Google Public DNS"),
    ("9.9.9.0", 24, "Quad9"),
    ("149.112.112.0", 24, "Quad9"),
    ("2620:fe::", 48, "Quad9"),
    ("208.67.222.0", 24, "OpenDNS"),
    ("208.67.220.0", 24, "OpenDNS"),
    ("2620:119:35::", 48, "OpenDNS"),
    ("2620:119:53::", 48, "OpenDNS"),
    ("94.140.14.0", 23, "AdGuard DNS"),
    ("2a10:50c0::", 32, "AdGuard DNS"),
];

/// Addresses of public resolvers that answer DNS over HTTPS (port 443) and over TLS (853):
/// a device that talks to them there resolves names where the capture cannot see them.
const ENCRYPTED_DNS: &[&str] = &[
    "1.1.1.1",
    "1.0.0.1",
    "2606:4700:4700::1111",
    "2606:4700:4700::1001",
    "8.8.8.8",
    "8.8.4.4",
    "2001:4860:4860::8888",
    "2001:4860:4860::8844",
    "9.9.9.9",
    "149.112.112.112",
    "2620:fe::fe",
    "2620:fe::9",
    "208.67.222.222",
    "208.67.220.220",
    "94.140.14.14",
    "94.140.15.15",
];

/// The lists above as addresses, parsed once: the report builder asks for every flow.
static PARSED_PREFIXES: LazyLock<Vec<(IpAddr, u8, &'static str)>> = LazyLock::new(|| {
    PREFIXES.iter().filter_map(|(prefix, len, operator)| Some((prefix.parse().ok()?, *len, *operator))).collect()
});
static PARSED_ENCRYPTED_DNS: LazyLock<Vec<IpAddr>> =
    LazyLock::new(|| ENCRYPTED_DNS.iter().filter_map(|a| a.parse().ok()).collect());

fn contains(net: IpAddr, len: u8, ip: IpAddr) -> bool {
    match (net, ip) {
        (IpAddr::V4(net), IpAddr::V4(ip)) => {
            let mask = u32::MAX.checked_shl(32 - u32::from(len)).unwrap_or(0);
            u32::from(ip) & mask == u32::from(net) & mask
        }
        (IpAddr::V6(net), IpAddr::V6(ip)) => {
            let mask = u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0);
            u128::from(ip) & mask == u128::from(net) & mask
        }
        _ => false,
    }
}

/// The operator of the anycast network `ip` belongs to, if it is on the list.
pub fn operator(ip: IpAddr) -> Option<&'static str> {
    PARSED_PREFIXES.iter().find(|(net, len, _)| contains(*net, *len, ip)).map(|(_, _, operator)| *operator)
}

/// Whether `ip` is a public resolver that also answers encrypted DNS.
pub fn is_encrypted_dns_resolver(ip: IpAddr) -> bool {
    PARSED_ENCRYPTED_DNS.contains(&ip)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_parses_and_finds_resolvers_and_cdn_ranges() {
        for (prefix, len, _) in PREFIXES {
            let ip: IpAddr = prefix.parse().unwrap_or_else(|_| panic!("{prefix}"));
            assert!(*len <= if ip.is_ipv4() { 32 } else { 128 }, "{prefix}/{len}");
            assert!(contains(ip, *len, ip));
        }
        assert_eq!(PARSED_PREFIXES.len(), PREFIXES.len(), "every prefix parses");
        assert_eq!(PARSED_ENCRYPTED_DNS.len(), ENCRYPTED_DNS.len());
        let at = |text: &str| operator(text.parse().unwrap());
        assert_eq!(at("1.1.1.1"), Some("Cloudflare DNS"));
        assert_eq!(at("104.18.32.7"), Some("Cloudflare"));
        assert_eq!(at("2606:4700::6810:84e5"), Some("Cloudflare"));
        assert_eq!(at("8.8.8.8"), Some("Google Public DNS"));
        assert_eq!(at("8.8.8.9"), None);
        assert_eq!(at("180.76.76.76"), None);
        assert!(ENCRYPTED_DNS.iter().all(|a| a.parse::<IpAddr>().is_ok_and(|ip| operator(ip).is_some())));
        assert!(is_encrypted_dns_resolver("9.9.9.9".parse().unwrap()));
        assert!(!is_encrypted_dns_resolver("52.1.2.3".parse().unwrap()));
    }
}
