//! The modelled home: a router in front of five devices on 192.168.1.0/24 with an ISP IPv6
//! prefix, and the Internet services they use, with the real public addresses of real services
//! so that an IP-to-country table names them. MAC suffixes and host addresses vary with the seed.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::rng::Rng;
use super::tls::Stack;
use super::wire::Mac;

pub const LAN_ROUTER: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 1);
pub const LAN_NETMASK: Ipv4Addr = Ipv4Addr::new(255, 255, 255, 0);
/// A Comcast (US) customer /64: what a home's SLAAC addresses come from.
pub const ISP_PREFIX: [u16; 4] = [0x2601, 0x0647, 0x4d01, 0x05e0];
/// NETGEAR's OUI for the router.
const ROUTER_OUI: [u8; 3] = [0xa0, 0x04, 0x60];
/// The doorbell's periodic audio target: an address in Baidu's network (AS38365, CN).
pub const DOORBELL_RELAY: Ipv4Addr = Ipv4Addr::new(180, 76, 76, 76);
pub const DOORBELL_RELAY_PORT: u16 = 8000;
pub const DOORBELL_SNIPPET_LEN: usize = 20;
pub const DOORBELL_PERIOD_US: u64 = 2_000_000;
pub const DOORBELL_JITTER_US: u64 = 150_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Doorbell,
    SmartPlug,
    Tv,
    Phone,
    Laptop,
}

/// Where a device sends its DNS queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolver {
    Router,
    /// Hard-coded Google Public DNS over IPv4, as many TVs do.
    Google4,
    /// Google Public DNS over IPv6.
    Google6,
}

impl Resolver {
    pub fn address(self) -> IpAddr {
        match self {
            Resolver::Router => LAN_ROUTER.into(),
            Resolver::Google4 => Ipv4Addr::new(8, 8, 8, 8).into(),
            Resolver::Google6 => Ipv6Addr::new(0x2001, 0x4860, 0x4860, 0, 0, 0, 0, 0x8888).into(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Device {
    pub kind: Kind,
    pub mac: Mac,
    /// Who made it as the IEEE registry names its OUI; `None` for a randomised MAC.
    pub vendor: Option<&'static str>,
    pub hostname: &'static str,
    pub ipv4: Ipv4Addr,
    /// Global address from the ISP prefix, for devices that do IPv6.
    pub ipv6: Option<Ipv6Addr>,
    pub link_local: Option<Ipv6Addr>,
    /// 802.1Q tag on this device's frames when the capture has VLANs.
    pub vlan: Option<u16>,
    pub stack: Stack,
    pub resolver: Resolver,
    /// Announces itself over mDNS as `<hostname>.local`.
    pub mdns: bool,
    /// Next ephemeral port; consecutive connections use consecutive ports, as most stacks do.
    pub next_port: u16,
}

impl Device {
    pub fn take_port(&mut self) -> u16 {
        let port = self.next_port;
        self.next_port = if port >= 65_000 { 49_152 } else { port + 1 };
        port
    }
}

pub struct Router {
    pub mac: Mac,
    pub ipv4: Ipv4Addr,
    pub link_local: Ipv6Addr,
}

/// An Internet service: the name a device asks for, the CNAME chain the resolver returns, and
/// the addresses at the end of it. `rtt_ms` and `ttl` shape its packets as seen from the LAN.
#[derive(Debug)]
pub struct Service {
    pub name: &'static str,
    pub cnames: &'static [&'static str],
    pub v4: &'static [[u8; 4]],
    pub v6: &'static [[u16; 8]],
    pub rtt_ms: u64,
    pub ttl: u8,
}

macro_rules! service {
    ($name:expr, [$($c:expr),*], [$($v4:expr),*], [$($v6:expr),*], $rtt:expr, $ttl:expr) => {
        Service { name: $name, cnames: &[$($c),*], v4: &[$($v4),*], v6: &[$($v6),*], rtt_ms: $rtt, ttl: $ttl }
    };
}

pub const TUYA_API: Service =
    service!("a1.tuyaus.com", ["a1-us.tuyaus.com"], [[52, 88, 144, 210], [34, 214, 17, 43]], [], 34, 236);
pub const TUYA_MQTT: Service = service!("m1.tuyaus.com", [], [[34, 212, 77, 12]], [], 35, 236);
pub const ALIYUN_NTP: Service = service!("ntp1.aliyun.com", [], [[203, 107, 6, 88]], [], 190, 45);
pub const TPLINK_CLOUD: Service =
    service!("n-devs.tplinkcloud.com", [], [[52, 21, 55, 26], [3, 214, 53, 88]], [], 72, 232);
pub const GOOGLE_NTP: Service = service!(
    "time.google.com",
    [],
    [[216, 239, 35, 0], [216, 239, 35, 4], [216, 239, 35, 8], [216, 239, 35, 12]],
    [[0x2001, 0x4860, 0x4806, 0, 0, 0, 0, 0], [0x2001, 0x4860, 0x4806, 4, 0, 0, 0, 0]],
    9,
    120
);
pub const LG_SDP: Service = service!("snu.lgtvsdp.com", [], [[52, 86, 25, 4]], [], 70, 232);
pub const LG_FTS: Service =
    service!("ngfts.lge.com", ["ngfts.lge.com.edgekey.net", "e7937.a.akamaiedge.net"], [[23, 45, 233, 20]], [], 12, 57);
pub const NETFLIX_API: Service = service!(
    "api-global.netflix.com",
    ["api-global.geo.netflix.com", "api-global.us-west-2.prodaa.netflix.com"],
    [[54, 69, 87, 107], [52, 38, 7, 83]],
    [],
    31,
    235
);
pub const NETFLIX_VIDEO: Service =
    service!("ipv4-c011-sjc002-ix.1.oca.nflxvideo.net", [], [[45, 57, 62, 155]], [], 8, 59);
pub const ICLOUD: Service = service!(
    "gateway.icloud.com",
    ["gateway.fe2.apple-dns.net"],
    [[17, 248, 185, 10], [17, 248, 185, 42]],
    [[0x2620, 0x149, 0xa44, 0x1000, 0, 0, 0, 0xa], [0x2620, 0x149, 0xa44, 0x1000, 0, 0, 0, 0xb]],
    14,
    52
);
pub const GOOGLE_WWW: Service =
    service!("www.google.com", [], [[142, 250, 191, 36]], [[0x2607, 0xf8b0, 0x4005, 0x80a, 0, 0, 0, 0x2004]], 10, 117);
pub const APPLE_NTP: Service = service!(
    "time.apple.com",
    ["time.g.aaplimg.com"],
    [[17, 253, 14, 125]],
    [[0x2620, 0x149, 0xa33, 0x4000, 0, 0, 0, 0x31]],
    16,
    52
);
pub const GITHUB: Service = service!("github.com", [], [[140, 82, 112, 4]], [], 62, 51);
pub const UBUNTU_CHECK: Service = service!(
    "connectivity-check.ubuntu.com",
    [],
    [[185, 125, 190, 17], [185, 125, 190, 18]],
    [[0x2620, 0x2d, 0x4000, 1, 0, 0, 0, 0x2a], [0x2620, 0x2d, 0x4000, 1, 0, 0, 0, 0x2b]],
    88,
    50
);
pub const FIREFOX_PORTAL: Service = service!(
    "detectportal.firefox.com",
    ["detectportal.prod.mozaws.net", "prod.detectportal.prod.cloudops.mozgcp.net"],
    [[34, 107, 221, 82]],
    [],
    11,
    118
);
/// Google's ad server, which the TV's ad platform calls: a tracker, another company's.
pub const DOUBLECLICK: Service = service!("googleads.g.doubleclick.net", [], [[142, 250, 176, 2]], [], 11, 117);
/// A public MQTT broker the plug publishes its readings to, unencrypted (port 1883).
pub const MQTT_BROKER: Service = service!("broker.hivemq.com", [], [[3, 120, 109, 144]], [], 98, 231);
/// The mail server the doorbell sends its snapshots through (SMTP with STARTTLS on 587).
pub const GMAIL_SMTP: Service = service!("smtp.gmail.com", [], [[142, 250, 141, 108]], [], 12, 117);
/// Public addresses used without a DNS lookup.
pub const CLOUDFLARE_DNS: Ipv4Addr = Ipv4Addr::new(1, 1, 1, 1);

impl Service {
    pub fn v4_addrs(&self) -> impl Iterator<Item = Ipv4Addr> + '_ {
        self.v4.iter().map(|o| Ipv4Addr::from(*o))
    }

    pub fn v6_addrs(&self) -> impl Iterator<Item = Ipv6Addr> + '_ {
        self.v6.iter().map(|s| Ipv6Addr::new(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]))
    }
}

fn mac(oui: [u8; 3], rng: &mut Rng) -> Mac {
    let tail = rng.bytes::<3>();
    [oui[0], oui[1], oui[2], tail[0], tail[1], tail[2]]
}

/// Modified EUI-64 interface identifier (RFC 4291 appendix A), as SLAAC without privacy does.
fn eui64(prefix: [u16; 4], mac: Mac) -> Ipv6Addr {
    Ipv6Addr::new(
        prefix[0],
        prefix[1],
        prefix[2],
        prefix[3],
        u16::from_be_bytes([mac[0] ^ 0x02, mac[1]]),
        u16::from_be_bytes([mac[2], 0xff]),
        u16::from_be_bytes([0xfe, mac[3]]),
        u16::from_be_bytes([mac[4], mac[5]]),
    )
}

/// A temporary (privacy) address: random interface identifier (RFC 8981).
pub(super) fn random_iid(prefix: [u16; 4], rng: &mut Rng) -> Ipv6Addr {
    let r = rng.next_u64();
    Ipv6Addr::new(
        prefix[0],
        prefix[1],
        prefix[2],
        prefix[3],
        (r >> 48) as u16 & 0xfdff,
        (r >> 32) as u16,
        (r >> 16) as u16,
        r as u16,
    )
}

pub fn router(rng: &mut Rng) -> Router {
    let mac = mac(ROUTER_OUI, rng);
    Router { mac, ipv4: LAN_ROUTER, link_local: eui64([0xfe80, 0, 0, 0], mac) }
}

/// What distinguishes one kind of device from another in the scenario.
struct Plan {
    kind: Kind,
    /// First three bytes of the MAC: a maker's OUI, or fixed locally administered bytes for a
    /// randomised MAC (the rest is random either way).
    oui: [u8; 3],
    /// The registry's name for `oui`, when it is a maker's.
    vendor: Option<&'static str>,
    hostname: &'static str,
    stack: Stack,
    resolver: Resolver,
    mdns: bool,
    ipv6: Ipv6Style,
    /// Tag when the capture has VLANs.
    vlan: Option<u16>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ipv6Style {
    None,
    /// Temporary addresses with random interface identifiers, as phones use.
    Privacy,
    /// Interface identifier from the MAC.
    Eui64,
}

const PLANS: [Plan; 5] = [
    Plan {
        kind: Kind::Doorbell,
        oui: [0x24, 0x0a, 0xc4],
        vendor: Some("Espressif Inc."),
        hostname: "doorbell-5c2e",
        stack: Stack::Embedded12,
        resolver: Resolver::Router,
        mdns: false,
        ipv6: Ipv6Style::None,
        vlan: Some(20),
    },
    Plan {
        kind: Kind::SmartPlug,
        oui: [0x50, 0xc7, 0xbf],
        vendor: Some("TP-LINK TECHNOLOGIES CO.,LTD."),
        hostname: "HS110",
        stack: Stack::Embedded12,
        resolver: Resolver::Router,
        mdns: false,
        ipv6: Ipv6Style::None,
        vlan: Some(20),
    },
    Plan {
        kind: Kind::Tv,
        oui: [0xa8, 0x23, 0xfe],
        vendor: Some("LG Electronics"),
        hostname: "LGwebOSTV",
        stack: Stack::Modern13,
        resolver: Resolver::Google4,
        mdns: true,
        ipv6: Ipv6Style::None,
        vlan: None,
    },
    Plan {
        kind: Kind::Phone,
        // A private Wi-Fi address (locally administered), as phones use by default: it names
        // no maker.
        oui: [0xda, 0xa1, 0x19],
        vendor: None,
        hostname: "Annas-iPhone",
        stack: Stack::PostQuantum13,
        resolver: Resolver::Router,
        mdns: true,
        ipv6: Ipv6Style::Privacy,
        vlan: None,
    },
    Plan {
        kind: Kind::Laptop,
        oui: [0x3c, 0xa9, 0xf4],
        vendor: Some("Intel Corporate"),
        hostname: "maria-laptop",
        stack: Stack::PostQuantum13,
        resolver: Resolver::Google6,
        mdns: true,
        ipv6: Ipv6Style::Eui64,
        vlan: None,
    },
];

/// The five devices, with distinct DHCP addresses picked from the pool 192.168.1.20-249.
pub fn devices(rng: &mut Rng, vlan: bool) -> Vec<Device> {
    let mut used = vec![1u8];
    PLANS
        .iter()
        .map(|plan| {
            let mac = mac(plan.oui, rng);
            let mut host = rng.between(20, 249) as u8;
            while used.contains(&host) {
                host += 1;
            }
            used.push(host);
            let link_local = (plan.ipv6 != Ipv6Style::None).then(|| eui64([0xfe80, 0, 0, 0], mac));
            let ipv6 = match plan.ipv6 {
                Ipv6Style::None => None,
                Ipv6Style::Privacy => Some(random_iid(ISP_PREFIX, rng)),
                Ipv6Style::Eui64 => Some(eui64(ISP_PREFIX, mac)),
            };
            Device {
                kind: plan.kind,
                mac,
                vendor: plan.vendor,
                hostname: plan.hostname,
                ipv4: Ipv4Addr::new(192, 168, 1, host),
                ipv6,
                link_local,
                vlan: if vlan { plan.vlan } else { None },
                stack: plan.stack,
                resolver: plan.resolver,
                mdns: plan.mdns,
                next_port: rng.between(49_152, 60_000) as u16,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_have_distinct_addresses_in_the_lan() {
        for seed in 0..50 {
            let devices = devices(&mut Rng::new(seed), true);
            let mut hosts: Vec<_> = devices.iter().map(|d| d.ipv4).collect();
            hosts.sort();
            hosts.dedup();
            assert_eq!(hosts.len(), 5);
            for d in &devices {
                let o = d.ipv4.octets();
                assert_eq!(&o[..3], &[192, 168, 1]);
                assert!(o[3] >= 20 && o[3] != 255, "{}", d.ipv4);
                if let Some(v6) = d.ipv6 {
                    assert_eq!(&v6.segments()[..4], &ISP_PREFIX);
                }
            }
        }
    }

    #[test]
    fn eui64_matches_rfc_4291_example_shape() {
        let a = eui64([0xfe80, 0, 0, 0], [0x3c, 0xa9, 0xf4, 0x12, 0x34, 0x56]);
        assert_eq!(a.to_string(), "fe80::3ea9:f4ff:fe12:3456");
    }
}
