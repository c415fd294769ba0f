//! Address scope: which special-purpose range (if any) an address belongs to.
//!
//! This runs before any geo lookup, because the public IP tables place some special ranges
//! in countries (192.168.1.1 among them). Only `public` addresses are ever looked up, and
//! only they can be "foreign". The ranges follow the IANA IPv4 and IPv6 Special-Purpose
//! Address Registries.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// The scope of an address, as written in reports (serde writes [`Scope::as_str`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    Public,
    Private,
    /// Carrier-grade NAT space, 100.64.0.0/10.
    Shared,
    Loopback,
    LinkLocal,
    Multicast,
    Broadcast,
    Unspecified,
    Documentation,
    Reserved,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Public => "public",
            Scope::Private => "private",
            Scope::Shared => "shared",
            Scope::Loopback => "loopback",
            Scope::LinkLocal => "link-local",
            Scope::Multicast => "multicast",
            Scope::Broadcast => "broadcast",
            Scope::Unspecified => "unspecified",
            Scope::Documentation => "documentation",
            Scope::Reserved => "reserved",
        }
    }

    /// Unicast addresses that belong to the local network side (never destinations abroad).
    pub fn is_local_unicast(self) -> bool {
        matches!(self, Scope::Private | Scope::Shared | Scope::LinkLocal | Scope::Loopback)
    }
}

/// IPv4 special-purpose ranges, most specific first where they nest.
const V4_RANGES: &[([u8; 4], u8, Scope)] = &[
    ([0, 0, 0, 0], 32, Scope::Unspecified),
    ([255, 255, 255, 255], 32, Scope::Broadcast),
    ([0, 0, 0, 0], 8, Scope::Reserved),
    ([10, 0, 0, 0], 8, Scope::Private),
    ([100, 64, 0, 0], 10, Scope::Shared),
    ([127, 0, 0, 0], 8, Scope::Loopback),
    ([169, 254, 0, 0], 16, Scope::LinkLocal),
    ([172, 16, 0, 0], 12, Scope::Private),
    ([192, 0, 0, 0], 24, Scope::Reserved),
    ([192, 0, 2, 0], 24, Scope::Documentation),
    ([192, 31, 196, 0], 24, Scope::Reserved),
    ([192, 52, 193, 0], 24, Scope::Reserved),
    ([192, 88, 99, 0], 24, Scope::Reserved),
    ([192, 168, 0, 0], 16, Scope::Private),
    ([192, 175, 48, 0], 24, Scope::Reserved),
    ([198, 18, 0, 0], 15, Scope::Reserved),
    ([198, 51, 100, 0], 24, Scope::Documentation),
    ([203, 0, 113, 0], 24, Scope::Documentation),
    ([224, 0, 0, 0], 4, Scope::Multicast),
    ([240, 0, 0, 0], 4, Scope::Reserved),
];

/// IPv6 special-purpose ranges (IPv4-mapped and -compatible forms are handled separately).
const V6_RANGES: &[(u128, u8, Scope)] = &[
    (0, 128, Scope::Unspecified),
    (1, 128, Scope::Loopback),
    (0x0064_ff9b_0001 << 80, 48, Scope::Reserved),
    (0x0100 << 112, 64, Scope::Reserved),
    (0x2001_0002 << 96, 48, Scope::Reserved),
    (0x2001_0010 << 96, 28, Scope::Reserved),
    (0x2001_0db8 << 96, 32, Scope::Documentation),
    (0x3fff << 112, 20, Scope::Documentation),
    (0x5f00 << 112, 16, Scope::Reserved),
    (0xfc00 << 112, 7, Scope::Private),
    (0xfe80 << 112, 10, Scope::LinkLocal),
    // Deprecated site-local: treated like ULA.
    (0xfec0 << 112, 10, Scope::Private),
    (0xff00 << 112, 8, Scope::Multicast),
];

/// Classifies an address.
pub fn classify(ip: IpAddr) -> Scope {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => classify_v6(v6),
    }
}

pub fn classify_v4(ip: Ipv4Addr) -> Scope {
    let value = u32::from(ip);
    V4_RANGES
        .iter()
        .find(|(net, len, _)| {
            let mask = if *len == 0 { 0 } else { u32::MAX << (32 - len) };
            value & mask == u32::from_be_bytes(*net)
        })
        .map_or(Scope::Public, |(_, _, scope)| *scope)
}

pub fn classify_v6(ip: Ipv6Addr) -> Scope {
    // ::ffff:a.b.c.d is an IPv4 address in IPv6 clothing: it has the IPv4 address's scope.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return classify_v4(v4);
    }
    let value = u128::from(ip);
    if let Some((_, _, scope)) = V6_RANGES.iter().find(|(net, len, _)| value & (u128::MAX << (128 - len)) == *net) {
        return *scope;
    }
    // Outside 2000::/3 nothing is allocated for global unicast.
    if value >> 125 != 0b001 {
        return Scope::Reserved;
    }
    Scope::Public
}

/// Whether an address should be looked up in the geo table.
pub fn is_public(ip: IpAddr) -> bool {
    classify(ip) == Scope::Public
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(ip: &str, expected: Scope) {
        let addr: IpAddr = ip.parse().unwrap();
        assert_eq!(classify(addr), expected, "{ip}");
    }

    #[test]
    fn ipv4_ranges() {
        for (ip, scope) in [
            ("0.0.0.0", Scope::Unspecified),
            ("0.1.2.3", Scope::Reserved),
            ("10.1.2.3", Scope::Private),
            ("100.63.255.255", Scope::Public),
            ("100.64.0.1", Scope::Shared),
            ("100.127.255.255", Scope::Shared),
            ("100.128.0.0", Scope::Public),
            ("127.0.0.1", Scope::Loopback),
            ("169.254.1.1", Scope::LinkLocal),
            ("172.15.255.255", Scope::Public),
            ("172.16.0.0", Scope::Private),
            ("172.31.255.255", Scope::Private),
            ("172.32.0.0", Scope::Public),
            ("192.0.0.9", Scope::Reserved),
            ("192.0.2.1", Scope::Documentation),
            ("192.168.1.1", Scope::Private),
            ("198.18.0.1", Scope::Reserved),
            ("198.51.100.7", Scope::Documentation),
            ("203.0.113.200", Scope::Documentation),
            ("224.0.0.251", Scope::Multicast),
            ("239.255.255.250", Scope::Multicast),
            ("240.0.0.1", Scope::Reserved),
            ("255.255.255.255", Scope::Broadcast),
            ("8.8.8.8", Scope::Public),
            ("180.76.76.76", Scope::Public),
        ] {
            check(ip, scope);
        }
    }

    #[test]
    fn ipv6_ranges() {
        for (ip, scope) in [
            ("::", Scope::Unspecified),
            ("::1", Scope::Loopback),
            ("::ffff:192.168.1.1", Scope::Private),
            ("::ffff:8.8.8.8", Scope::Public),
            ("64:ff9b:1::1", Scope::Reserved),
            ("100::1", Scope::Reserved),
            ("2001:db8::1", Scope::Documentation),
            ("3fff::1", Scope::Documentation),
            ("fd12:3456::1", Scope::Private),
            ("fe80::1", Scope::LinkLocal),
            ("ff02::fb", Scope::Multicast),
            ("2001:4860:4860::8888", Scope::Public),
            ("2a02:1234::1", Scope::Public),
            ("4000::1", Scope::Reserved),
            ("2001:2::1", Scope::Reserved),
        ] {
            check(ip, scope);
        }
    }
}
