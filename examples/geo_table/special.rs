//! Special-purpose address blocks that the geo table must not answer for: the generator drops
//! table rows inside them. The sources do place some of them in countries (192.168.1.1 in
//! AU, 2001:2::/48 in JP), which is wrong.
//!
//! The list mirrors the core's scope classification (`phonehome::scope`, IANA IPv4 and IPv6
//! Special-Purpose Address Registries): an address is special exactly when `scope::classify`
//! does not call it public, so the table holds rows for every address the core looks up and
//! for no other. `tests/it/geo.rs` checks that agreement; change both together. One
//! addition: IPv4-mapped IPv6 (`::ffff:0:0/96`) gets no IPv6 rows, because lookups answer it
//! from the IPv4 table.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

const fn v4(a: u8, b: u8, c: u8, d: u8) -> IpAddr {
    IpAddr::V4(Ipv4Addr::new(a, b, c, d))
}

const fn v6(high: u16, second: u16) -> IpAddr {
    IpAddr::V6(Ipv6Addr::new(high, second, 0, 0, 0, 0, 0, 0))
}

/// Special-purpose blocks as (network, prefix length, scope word of the report). Blocks may
/// nest; an address inside any of them is special.
pub const SPECIAL: &[(IpAddr, u8, &str)] = &[
    (v4(0, 0, 0, 0), 8, "reserved"),
    (v4(10, 0, 0, 0), 8, "private"),
    (v4(100, 64, 0, 0), 10, "shared"),
    (v4(127, 0, 0, 0), 8, "loopback"),
    (v4(169, 254, 0, 0), 16, "link-local"),
    (v4(172, 16, 0, 0), 12, "private"),
    (v4(192, 0, 0, 0), 24, "reserved"),
    (v4(192, 0, 2, 0), 24, "documentation"),
    (v4(192, 31, 196, 0), 24, "reserved"),
    (v4(192, 52, 193, 0), 24, "reserved"),
    (v4(192, 88, 99, 0), 24, "reserved"),
    (v4(192, 168, 0, 0), 16, "private"),
    (v4(192, 175, 48, 0), 24, "reserved"),
    (v4(198, 18, 0, 0), 15, "reserved"),
    (v4(198, 51, 100, 0), 24, "documentation"),
    (v4(203, 0, 113, 0), 24, "documentation"),
    (v4(224, 0, 0, 0), 4, "multicast"),
    (v4(240, 0, 0, 0), 4, "reserved"), // includes 255.255.255.255, "broadcast"
    // Global unicast is 2000::/3; all else is special. This covers ::, ::1, the IPv4-mapped
    // block, 64:ff9b:1::/48, 100::/64, 5f00::/16, fc00::/7, fe80::/10, fec0::/10, ff00::/8.
    (v6(0, 0), 3, "reserved"),
    (v6(0x4000, 0), 2, "reserved"),
    (v6(0x8000, 0), 1, "reserved"),
    (v6(0x2001, 0x2), 48, "reserved"),
    (v6(0x2001, 0x10), 28, "reserved"),
    (v6(0x2001, 0xdb8), 32, "documentation"),
    (v6(0x3fff, 0), 20, "documentation"),
];

/// First and last address of a block, as numbers in its family's address space.
pub fn block_bounds(network: IpAddr, prefix_len: u8) -> (u128, u128) {
    let (address, bits) = match network {
        IpAddr::V4(a) => (u128::from(u32::from(a)), 32u32),
        IpAddr::V6(a) => (u128::from(a), 128u32),
    };
    let host_bits = bits.saturating_sub(u32::from(prefix_len));
    let host_mask = u128::MAX.checked_shr(128 - host_bits).unwrap_or(0);
    (address & !host_mask, address | host_mask)
}

/// Whether the table must not answer for `ip` from its own family's rows.
pub fn is_special(ip: IpAddr) -> bool {
    let address = match ip {
        IpAddr::V4(a) => u128::from(u32::from(a)),
        IpAddr::V6(a) => u128::from(a),
    };
    SPECIAL.iter().any(|&(network, len, _)| {
        let (first, last) = block_bounds(network, len);
        network.is_ipv4() == ip.is_ipv4() && (first..=last).contains(&address)
    })
}

/// The special addresses of one family as sorted, disjoint, inclusive intervals.
pub fn special_intervals(ipv6: bool) -> Vec<(u128, u128)> {
    let mut blocks: Vec<(u128, u128)> = SPECIAL
        .iter()
        .filter(|(network, _, _)| network.is_ipv6() == ipv6)
        .map(|&(network, len, _)| block_bounds(network, len))
        .collect();
    blocks.sort_unstable();
    let mut intervals: Vec<(u128, u128)> = Vec::new();
    for (first, last) in blocks {
        match intervals.last_mut() {
            // Overlapping or touching: extend.
            Some(previous) if first <= previous.1.saturating_add(1) => previous.1 = previous.1.max(last),
            _ => intervals.push((first, last)),
        }
    }
    intervals
}
