//! Which addresses are the home's own devices, and which MAC each device has.
//!
//! Private, shared and link-local addresses are always local. A public address can be local
//! too: with IPv6 every device gets a global address from the ISP's prefix. Such an address is
//! local when it speaks from a MAC that is not the gateway's (the gateway is the MAC behind
//! which many public addresses appear), or from a MAC that also speaks from a private IPv4
//! address. A capture with no local address at all (a server, a tunnel) takes the address
//! present in the most flows as the local side, so it still gets a sensible report; among
//! addresses in as many flows, the one that opened more of them (a client and its one server).

use foldhash::{HashMap, HashSet};
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use crate::decode::Mac;
use crate::flows::Flow;
use crate::scope::{classify, Scope};

/// The local side of a capture.
#[derive(Debug, Default)]
pub struct LocalSide {
    pub local_ips: HashSet<IpAddr>,
    /// The MAC each local address speaks from (the most frequent one if several).
    pub mac_of: HashMap<IpAddr, Mac>,
    /// MACs recognised as the gateway's (the way to the Internet).
    pub gateways: BTreeSet<Mac>,
}

impl LocalSide {
    pub fn is_local(&self, ip: &IpAddr) -> bool {
        self.local_ips.contains(ip)
    }
}

/// Works out the local side from the flows plus (MAC, IP) facts learnt from ARP and DHCP.
pub fn local_side(flows: &[Flow], extra_pairs: &[(Mac, IpAddr)]) -> LocalSide {
    // How often each (MAC, IP) pair was seen; a pair from a flow counts once per flow.
    let mut pairs: HashMap<(Mac, IpAddr), u64> = HashMap::default();
    for flow in flows {
        for (mac, ip) in [(flow.client_mac, flow.client.ip), (flow.server_mac, flow.server.ip)] {
            if let Some(mac) = mac.filter(Mac::is_unicast) {
                *pairs.entry((mac, ip)).or_default() += 1;
            }
        }
    }
    for (mac, ip) in extra_pairs {
        if mac.is_unicast() {
            *pairs.entry((*mac, *ip)).or_default() += 1;
        }
    }

    let mut public_per_mac: BTreeMap<Mac, HashSet<IpAddr>> = BTreeMap::new();
    let mut public_v4_macs: BTreeSet<Mac> = BTreeSet::new();
    let mut macs_with_private_v4: HashSet<Mac> = HashSet::default();
    for &(mac, ip) in pairs.keys() {
        let scope = classify(ip);
        if scope == Scope::Public {
            public_per_mac.entry(mac).or_default().insert(ip);
            if ip.is_ipv4() {
                public_v4_macs.insert(mac);
            }
        } else if scope.is_local_unicast() && ip.is_ipv4() {
            macs_with_private_v4.insert(mac);
        }
    }
    // Behind NAT (the home has private IPv4 addresses) no device speaks from a public IPv4
    // address: whatever MAC does is the gateway. Otherwise the gateway is the MAC behind
    // which most public addresses appear.
    let gateways: BTreeSet<Mac> = if !macs_with_private_v4.is_empty() && !public_v4_macs.is_empty() {
        public_v4_macs
    } else {
        let most = public_per_mac.values().map(HashSet::len).max().unwrap_or(0);
        public_per_mac.iter().filter(|(_, ips)| most >= 2 && ips.len() * 2 >= most).map(|(mac, _)| *mac).collect()
    };

    let mut local_ips: HashSet<IpAddr> = HashSet::default();
    for flow in flows {
        for ip in [flow.client.ip, flow.server.ip] {
            if classify(ip).is_local_unicast() {
                local_ips.insert(ip);
            }
        }
    }
    for &(mac, ip) in pairs.keys() {
        let scope = classify(ip);
        let lan_side_public = scope == Scope::Public
            && !gateways.contains(&mac)
            && (!gateways.is_empty() || macs_with_private_v4.contains(&mac));
        if scope.is_local_unicast() || lan_side_public {
            local_ips.insert(ip);
        }
    }
    if local_ips.is_empty() {
        if let Some(ip) = busiest_address(flows) {
            local_ips.insert(ip);
        }
    }

    let mut best: HashMap<IpAddr, (u64, Mac)> = HashMap::default();
    for (&(mac, ip), &count) in &pairs {
        if !local_ips.contains(&ip) || gateways.contains(&mac) && !classify(ip).is_local_unicast() {
            continue;
        }
        let entry = best.entry(ip).or_insert((0, mac));
        // Most frequent wins; ties go to the smaller MAC so the result is deterministic.
        if count > entry.0 || (count == entry.0 && mac < entry.1) {
            *entry = (count, mac);
        }
    }
    let mac_of = best.into_iter().map(|(ip, (_, mac))| (ip, mac)).collect();
    LocalSide { local_ips, mac_of, gateways }
}

/// The unicast address taking part in the most flows; among equals, the one that opened more
/// of them. A capture of one client and one server has both in every flow, and the capture
/// was taken for the client: taking the server instead turns each flow round, so its server
/// (with the names its client asked for) becomes the device. The smaller address breaks what
/// remains, so the result is the same on every run.
fn busiest_address(flows: &[Flow]) -> Option<IpAddr> {
    // Per address: flows it takes part in, and how many of those it opened.
    let mut count: HashMap<IpAddr, (u64, u64)> = HashMap::default();
    for flow in flows {
        for (ip, opened) in [(flow.client.ip, 1), (flow.server.ip, 0)] {
            if !matches!(classify(ip), Scope::Multicast | Scope::Broadcast | Scope::Unspecified) {
                let entry = count.entry(ip).or_default();
                entry.0 += 1;
                entry.1 += opened;
            }
        }
    }
    count.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0))).map(|(ip, _)| ip)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flows::{Counters, Endpoint};

    fn flow(c: &str, cm: u8, s: &str, sm: u8) -> Flow {
        Flow {
            proto: 6,
            client: Endpoint { ip: c.parse().unwrap(), port: Some(40000) },
            server: Endpoint { ip: s.parse().unwrap(), port: Some(443) },
            c2s: Counters::default(),
            s2c: Counters::default(),
            first_ns: 0,
            last_ns: 0,
            tcp_flags: 0,
            client_mac: Some(Mac([2, 0, 0, 0, 0, cm])),
            server_mac: Some(Mac([2, 0, 0, 0, 0, sm])),
            rhythm: Default::default(),
            activity: Default::default(),
        }
    }

    #[test]
    fn global_ipv6_of_a_lan_device_is_local_and_remote_ones_are_not() {
        let gw = 1;
        let flows = vec![
            flow("192.168.1.10", 10, "8.8.8.8", gw),
            flow("192.168.1.10", 10, "180.76.76.76", gw),
            flow("2a02:8070::10", 10, "2001:4860:4860::8888", gw),
            flow("2a02:8070::20", 20, "2606:4700::1111", gw),
            flow("192.168.1.20", 20, "192.168.1.1", gw),
        ];
        let side = local_side(&flows, &[]);
        assert_eq!(side.gateways.iter().collect::<Vec<_>>(), vec![&Mac([2, 0, 0, 0, 0, 1])]);
        for ip in ["192.168.1.10", "2a02:8070::10", "2a02:8070::20", "192.168.1.1"] {
            assert!(side.is_local(&ip.parse().unwrap()), "{ip}");
        }
        for ip in ["8.8.8.8", "180.76.76.76", "2001:4860:4860::8888", "2606:4700::1111"] {
            assert!(!side.is_local(&ip.parse().unwrap()), "{ip}");
        }
        assert_eq!(side.mac_of[&"2a02:8070::10".parse::<IpAddr>().unwrap()], Mac([2, 0, 0, 0, 0, 10]));
    }

    #[test]
    fn server_capture_without_private_addresses_gets_a_local_side() {
        let mut flows = vec![flow("203.0.114.5", 1, "93.184.216.34", 2), flow("1.2.3.4", 1, "93.184.216.34", 2)];
        flows.push(flow("5.6.7.8", 1, "93.184.216.34", 2));
        for f in &mut flows {
            f.client_mac = None;
            f.server_mac = None;
        }
        let side = local_side(&flows, &[]);
        assert_eq!(side.local_ips.iter().collect::<Vec<_>>(), vec![&"93.184.216.34".parse::<IpAddr>().unwrap()]);
    }

    fn only_local(flows: &[Flow]) -> Vec<IpAddr> {
        let mut flows = flows.to_vec();
        for f in &mut flows {
            f.client_mac = None;
            f.server_mac = None;
        }
        local_side(&flows, &[]).local_ips.into_iter().collect()
    }

    /// Regression: a capture of one QUIC connection between two public addresses (zeek's
    /// quic-decrypt-fail-google-de-51833.pcap) took the server, the smaller address, as the
    /// device, so the name its client asked for was nowhere in the report.
    #[test]
    fn client_and_server_in_as_many_flows_the_client_is_local() {
        let server = "2a00:1450:4001:831::2003";
        let client = "2a0a:4587:2030:817:656b:fb57:5125:cb8f";
        assert_eq!(only_local(&[flow(client, 1, server, 2)]), vec![client.parse::<IpAddr>().unwrap()]);
        // Whichever address sorts first.
        assert_eq!(only_local(&[flow("9.9.9.9", 1, "1.1.1.1", 2)]), vec!["9.9.9.9".parse::<IpAddr>().unwrap()]);
        assert_eq!(only_local(&[flow("1.1.1.1", 1, "9.9.9.9", 2)]), vec!["1.1.1.1".parse::<IpAddr>().unwrap()]);
        // Still the busiest first: a server answering two clients is the local side.
        let two_clients = [flow("9.9.9.9", 1, "1.1.1.1", 2), flow("8.8.8.8", 1, "1.1.1.1", 2)];
        assert_eq!(only_local(&two_clients), vec!["1.1.1.1".parse::<IpAddr>().unwrap()]);
    }
}
