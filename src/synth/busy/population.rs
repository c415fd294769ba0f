//! Who is on the busy gateway's network and what they reach. The router; the clients, each
//! with its own MAC (many makers' OUIs, a quarter randomised), a private IPv4 address in
//! 10.10.0.0/16 (10.30.0.0/16 for the few behind VLAN 30), and for some a global IPv6 address
//! from the ISP prefix; and the Internet services, made up when first used: a name under a
//! made-up registered domain, for many a CNAME chain into a CDN, IPv4 addresses spread over
//! many public /8s, and for some IPv6 addresses in the five RIRs' global unicast blocks. Every
//! remote address is used by one service only, so each destination has exactly one name.

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::super::home::{random_iid, ISP_PREFIX};
use super::super::rng::Rng;
use super::super::tls::Stack;
use super::super::wire::Mac;

/// The tag of the clients behind the VLAN, and their subnet.
pub const VLAN_ID: u16 = 30;
const LAN_NET: [u8; 2] = [10, 10];
const VLAN_NET: [u8; 2] = [10, 30];
/// NETGEAR's OUI, for the router.
const ROUTER_OUI: [u8; 3] = [0xa0, 0x04, 0x60];
/// Public resolvers some clients ask instead of the router; contacted by address, unnamed.
pub const PUBLIC_RESOLVERS: [Ipv4Addr; 4] =
    [Ipv4Addr::new(8, 8, 8, 8), Ipv4Addr::new(1, 1, 1, 1), Ipv4Addr::new(9, 9, 9, 9), Ipv4Addr::new(208, 67, 222, 222)];

/// Makers' OUIs the clients' MACs start with: phones, laptops, TVs, speakers, IoT modules,
/// desk phones.
const OUIS: [[u8; 3]; 24] = [
    [0xf0, 0x18, 0x98], // Apple
    [0x8c, 0x85, 0x90], // Apple
    [0xac, 0xbc, 0x32], // Apple
    [0x3c, 0xa9, 0xf4], // Intel
    [0x34, 0x13, 0xe8], // Intel
    [0x00, 0x21, 0x6a], // Intel
    [0x18, 0x03, 0x73], // Dell
    [0x54, 0xe1, 0xad], // LCFC (Lenovo)
    [0x8c, 0xf5, 0xa3], // Samsung
    [0xa8, 0x23, 0xfe], // LG
    [0x24, 0x0a, 0xc4], // Espressif
    [0x50, 0xc7, 0xbf], // TP-Link
    [0xb8, 0x27, 0xeb], // Raspberry Pi
    [0xdc, 0xa6, 0x32], // Raspberry Pi
    [0x00, 0x17, 0x88], // Philips Lighting
    [0x18, 0xb4, 0x30], // Nest
    [0xf4, 0xf5, 0xd8], // Google
    [0x44, 0x65, 0x0d], // Amazon
    [0xfc, 0x65, 0xde], // Amazon
    [0x64, 0x09, 0x80], // Xiaomi
    [0x28, 0x6c, 0x07], // Xiaomi
    [0x80, 0x5e, 0xc0], // Yealink
    [0x00, 0x04, 0x13], // snom
    [0x00, 0x1d, 0x7e], // Cisco-Linksys
];

/// First octets of /8s that hold public unicast addresses only (no special-purpose range
/// inside), across the five registries: where the services' IPv4 addresses are drawn from.
const PUBLIC_SLASH8: &[u8] = &[
    2, 3, 4, 5, 8, 9, 12, 13, 14, 15, 17, 18, 20, 23, 24, 27, 31, 34, 35, 36, 37, 39, 40, 41, 42, 43, 45, 46, 47, 49,
    50, 51, 52, 54, 58, 59, 60, 61, 62, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 76, 77, 78, 79, 80, 81, 82, 83, 84,
    85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 99, 101, 103, 104, 106, 107, 108, 109, 110, 111, 112, 113,
    114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 128, 129, 130, 131, 132, 134, 136, 137, 138, 139, 140,
    141, 142, 143, 144, 145, 146, 147, 148, 149, 150, 151, 152, 153, 154, 155, 156, 157, 158, 159, 160, 161, 162, 163,
    164, 165, 166, 167, 168, 170, 173, 174, 175, 176, 177, 178, 179, 180, 181, 182, 183, 184, 185, 186, 187, 188, 189,
    190, 191, 193, 194, 195, 196, 197, 199, 200, 201, 202, 204, 205, 206, 207, 208, 209, 210, 211, 212, 213, 216, 217,
    218, 219,
];
/// First 16 bits of the IPv6 blocks services' addresses are drawn from: APNIC, ARIN, LACNIC,
/// RIPE NCC and AFRINIC global unicast space (the low bits of the second byte vary).
const PUBLIC_V6_BLOCKS: [u16; 5] = [0x2400, 0x2600, 0x2800, 0x2a00, 0x2c00];

const NAME_PREFIXES: [&str; 20] = [
    "api",
    "www",
    "cdn",
    "edge",
    "img",
    "static",
    "gateway",
    "push",
    "events",
    "auth",
    "update",
    "mqtt",
    "telemetry",
    "media",
    "app",
    "m",
    "assets",
    "sync",
    "log",
    "config",
];
const SYLLABLES: [&str; 32] = [
    "ka", "lo", "mi", "zen", "tor", "vi", "ra", "nu", "pex", "so", "dal", "qui", "fy", "mo", "ber", "tix", "la", "gon",
    "ar", "el", "wa", "ve", "no", "is", "cor", "bit", "sun", "hub", "net", "ly", "ox", "ium",
];
const TLDS: [&str; 20] = [
    "com", "net", "io", "org", "de", "co.uk", "jp", "cn", "fr", "nl", "com.br", "in", "ru", "kr", "it", "es", "ca",
    "com.au", "tv", "cloud",
];
/// CDNs that CNAME chains lead into: (first link's suffix, edge host's zone).
const CDNS: [(&str, &str); 6] = [
    ("edgekey.net", "akamaiedge.net"),
    ("cdn.cloudflare.net", "cloudflare.net"),
    ("cloudfront.net", "r.cloudfront.net"),
    ("azureedge.net", "afd.azureedge.net"),
    ("fastly.net", "map.fastly.net"),
    ("trafficmanager.net", "cloudapp.azure.com"),
];
/// Time servers asked by name (NTP); their addresses are made up like the others'.
pub const NTP_NAMES: [&str; 10] = [
    "0.pool.ntp.org",
    "1.pool.ntp.org",
    "2.pool.ntp.org",
    "3.pool.ntp.org",
    "time.apple.com",
    "time.google.com",
    "time.windows.com",
    "ntp.ubuntu.com",
    "time.cloudflare.com",
    "0.android.pool.ntp.org",
];

pub struct Router {
    pub mac: Mac,
    /// Its address on the untagged LAN and behind the VLAN; it answers DNS on both.
    pub lan: Ipv4Addr,
    pub vlan: Ipv4Addr,
}

pub fn router(rng: &mut Rng) -> Router {
    let tail = rng.bytes::<3>();
    Router {
        mac: [ROUTER_OUI[0], ROUTER_OUI[1], ROUTER_OUI[2], tail[0], tail[1], tail[2]],
        lan: Ipv4Addr::new(LAN_NET[0], LAN_NET[1], 0, 1),
        vlan: Ipv4Addr::new(VLAN_NET[0], VLAN_NET[1], 0, 1),
    }
}

pub struct Client {
    pub mac: Mac,
    pub ipv4: Ipv4Addr,
    /// Global address from the ISP prefix, for clients that do IPv6.
    pub ipv6: Option<Ipv6Addr>,
    pub vlan: Option<u16>,
    /// A browser's TLS stack: the hellos it sends over two segments are post-quantum ones,
    /// too big for one; other stacks write theirs in two parts.
    pub browser: bool,
    /// The stack of its hellos that fit one segment.
    pub stack: Stack,
    /// Where it sends DNS queries: the router, or a public resolver.
    pub resolver: Ipv4Addr,
    next_port: u16,
}

impl Client {
    pub fn take_port(&mut self) -> u16 {
        let port = self.next_port;
        self.next_port = port.checked_add(1).unwrap_or(32_768);
        port
    }
}

/// The `index`-th client (from 0): one in `vlan_every`, the second first, sits behind the
/// VLAN. MACs are distinct because their last three bytes are a bijection of the index.
pub fn client(index: u32, router: &Router, vlan_every: u32, rng: &mut Rng) -> Client {
    let on_vlan = index % vlan_every == 1;
    let tail = (index.wrapping_mul(0x9e_3779) ^ 0x5a_5a5a) & 0xff_ffff;
    let tail = [(tail >> 16) as u8, (tail >> 8) as u8, tail as u8];
    let mac = if rng.chance(25) {
        // A private (randomised) address: locally administered, unicast.
        let head = rng.bytes::<3>();
        [(head[0] & 0xfc) | 0x02, head[1], head[2], tail[0], tail[1], tail[2]]
    } else {
        let oui = OUIS[rng.below(OUIS.len() as u64) as usize];
        [oui[0], oui[1], oui[2], tail[0], tail[1], tail[2]]
    };
    // Hosts .2 to .251 of each /24 of the /16: never a .0 or .255 that looks like a broadcast.
    let (net, slot) = if on_vlan { (VLAN_NET, index / vlan_every) } else { (LAN_NET, index) };
    let ipv4 = Ipv4Addr::new(net[0], net[1], (slot / 250) as u8, (slot % 250) as u8 + 2);
    let ipv6 = (!on_vlan && rng.chance(60)).then(|| random_iid(ISP_PREFIX, rng));
    let router_address = if on_vlan { router.vlan } else { router.lan };
    let resolver = if rng.chance(10) { PUBLIC_RESOLVERS[rng.below(3) as usize] } else { router_address };
    let browser = rng.chance(45);
    let stack = if browser || rng.chance(60) { Stack::Modern13 } else { Stack::Embedded12 };
    Client {
        mac,
        ipv4,
        ipv6,
        vlan: on_vlan.then_some(VLAN_ID),
        browser,
        stack,
        resolver,
        next_port: rng.between(32_768, 60_999) as u16,
    }
}

/// An Internet service: the name clients ask for, the CNAME chain the resolver returns, and
/// the addresses at its end. `rtt_us` and `ttl` shape its packets as seen from the LAN.
pub struct Service {
    pub name: String,
    pub cnames: Vec<String>,
    pub v4: Vec<Ipv4Addr>,
    pub v6: Vec<Ipv6Addr>,
    pub rtt_us: u64,
    pub ttl: u8,
}

/// Hands out public addresses, each once.
#[derive(Default)]
pub struct AddressPool {
    used: HashSet<IpAddr>,
}

impl AddressPool {
    pub fn new() -> Self {
        let mut pool = AddressPool::default();
        pool.used.extend(PUBLIC_RESOLVERS.iter().map(|&a| IpAddr::V4(a)));
        pool
    }

    pub fn v4(&mut self, rng: &mut Rng) -> Ipv4Addr {
        loop {
            let first = PUBLIC_SLASH8[rng.below(PUBLIC_SLASH8.len() as u64) as usize];
            let r = rng.next_u32();
            let address = Ipv4Addr::new(first, (r >> 24) as u8, (r >> 16) as u8, (r % 253) as u8 + 1);
            if self.used.insert(address.into()) {
                return address;
            }
        }
    }

    pub fn v6(&mut self, rng: &mut Rng) -> Ipv6Addr {
        loop {
            let block = PUBLIC_V6_BLOCKS[rng.below(PUBLIC_V6_BLOCKS.len() as u64) as usize];
            let r = rng.next_u64();
            let address = Ipv6Addr::new(
                block | (r >> 60) as u16,
                (r >> 44) as u16,
                (r >> 28) as u16,
                (r >> 12) as u16 & 0xfff0,
                0,
                0,
                0,
                (r & 0xfff) as u16 + 1,
            );
            if self.used.insert(address.into()) {
                return address;
            }
        }
    }
}

/// A made-up word, distinct for each `n`: one syllable chosen by `n`, then `n`'s digits in
/// base 32 as syllables.
fn word(n: u32) -> String {
    let mut out = String::from(SYLLABLES[(n.wrapping_mul(7) as usize + 3) % SYLLABLES.len()]);
    let mut rest = n;
    loop {
        out.push_str(SYLLABLES[(rest % 32) as usize]);
        rest /= 32;
        if rest == 0 {
            return out;
        }
    }
}

/// The `index`-th web service: three services share each registered domain, under distinct
/// host names, so every service's name is distinct.
pub fn web_service(index: u32, addresses: &mut AddressPool, rng: &mut Rng) -> Service {
    let domain = index / 3;
    let prefix = NAME_PREFIXES[(domain as usize * 5 + (index % 3) as usize * 7) % NAME_PREFIXES.len()];
    let tld = TLDS[(domain as usize * 11 + 5) % TLDS.len()];
    let name = format!("{prefix}.{}.{tld}", word(domain));
    let mut cnames = Vec::new();
    if rng.chance(45) {
        let (first, edge) = CDNS[rng.below(CDNS.len() as u64) as usize];
        cnames.push(format!("{name}.{first}"));
        if rng.chance(60) {
            cnames.push(format!("e{}.{}.{edge}", rng.below(60_000), (b'a' + rng.below(8) as u8) as char));
        }
        if rng.chance(15) {
            cnames.push(format!("{}-{}.{edge}", word(rng.below(900) as u32), rng.below(40)));
        }
    }
    service(name, cnames, addresses, rng)
}

/// A time server of [`NTP_NAMES`].
pub fn ntp_service(index: usize, addresses: &mut AddressPool, rng: &mut Rng) -> Service {
    service(NTP_NAMES[index % NTP_NAMES.len()].to_string(), Vec::new(), addresses, rng)
}

fn service(name: String, cnames: Vec<String>, addresses: &mut AddressPool, rng: &mut Rng) -> Service {
    let v4_count = match rng.below(100) {
        0..60 => 1,
        60..85 => 2,
        _ => 4,
    };
    let v4 = (0..v4_count).map(|_| addresses.v4(rng)).collect();
    let v6_count = if rng.chance(60) { rng.between(1, 2) } else { 0 };
    let v6 = (0..v6_count).map(|_| addresses.v6(rng)).collect();
    // Near (a CDN edge in town) or far (another continent), and the TTL left after the hops.
    let rtt_us = match rng.below(100) {
        0..50 => rng.between(3_000, 25_000),
        50..85 => rng.between(25_000, 110_000),
        _ => rng.between(110_000, 320_000),
    };
    let ttl = [52, 57, 117, 119, 236, 242][rng.below(6) as usize] - rng.below(6) as u8;
    Service { name, cnames, v4, v6, rtt_us, ttl }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::{classify, Scope};

    #[test]
    fn services_have_distinct_names_and_public_addresses() {
        let mut rng = Rng::new(5);
        let mut pool = AddressPool::new();
        let mut names = HashSet::new();
        for i in 0..3_000 {
            let s = web_service(i, &mut pool, &mut rng);
            assert!(names.insert(s.name.clone()), "{} twice", s.name);
            for a in s.v4.iter().map(|&a| IpAddr::V4(a)).chain(s.v6.iter().map(|&a| IpAddr::V6(a))) {
                assert_eq!(classify(a), Scope::Public, "{a}");
            }
        }
        for first in PUBLIC_SLASH8 {
            for probe in [[*first, 0, 0, 1], [*first, 255, 255, 254], [*first, 88, 99, 1], [*first, 18, 0, 1]] {
                assert_eq!(classify(Ipv4Addr::from(probe).into()), Scope::Public, "{probe:?}");
            }
        }
    }

    #[test]
    fn clients_have_distinct_macs_and_addresses() {
        let mut rng = Rng::new(5);
        let router = router(&mut rng);
        let clients: Vec<Client> = (0..3_000).map(|i| client(i, &router, 33, &mut rng)).collect();
        let macs: HashSet<Mac> = clients.iter().map(|c| c.mac).collect();
        let v4: HashSet<Ipv4Addr> = clients.iter().map(|c| c.ipv4).collect();
        assert_eq!((macs.len(), v4.len()), (3_000, 3_000));
        assert!(!v4.contains(&router.lan) && !v4.contains(&router.vlan));
        assert!(clients.iter().all(|c| c.mac[0] & 1 == 0 && c.mac != router.mac));
        let tagged = clients.iter().filter(|c| c.vlan.is_some()).count();
        assert!((80..=100).contains(&tagged), "{tagged} on the VLAN");
    }
}
