//! What happens on the LAN itself: a device joining with DHCP, ARP for the gateway, IPv6 router
//! advertisements and neighbour discovery, and mDNS announcements of `<hostname>.local`.

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::dhcp::{self, Lease};
use super::dns::{self, Rdata, Record};
use super::home::{ISP_PREFIX, LAN_NETMASK};
use super::scenario::World;
use super::wire::{multicast_mac, ArpOp, IpHead, Link, Transport, BROADCAST};

const MDNS_V4: Ipv4Addr = Ipv4Addr::new(224, 0, 0, 251);
const MDNS_V6: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 0xfb);
const ALL_NODES: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1);
const ICMPV6_ROUTER_ADVERTISEMENT: u8 = 134;
const ICMPV6_NEIGHBOR_SOLICITATION: u8 = 135;
const ICMPV6_NEIGHBOR_ADVERTISEMENT: u8 = 136;

impl World {
    /// DISCOVER, OFFER, REQUEST, ACK: the device gets its address and says its host name.
    pub fn dhcp_join(&mut self, dev: usize, t: u64) -> io::Result<()> {
        let d = self.devices[dev].clone();
        let lease = Lease {
            xid: self.rng.next_u32(),
            client_mac: d.mac,
            hostname: d.hostname,
            address: d.ipv4,
            router: self.router.ipv4,
            netmask: LAN_NETMASK,
            lease_secs: 86_400,
        };
        let up = Link { src: d.mac, dst: BROADCAST, vlan: d.vlan };
        let down = Link { src: self.router.mac, dst: BROADCAST, vlan: d.vlan };
        let any: IpAddr = Ipv4Addr::UNSPECIFIED.into();
        let all: IpAddr = Ipv4Addr::BROADCAST.into();
        let router: IpAddr = self.router.ipv4.into();
        let to_server = Transport::Udp { sport: 68, dport: 67 };
        let to_client = Transport::Udp { sport: 67, dport: 68 };
        let steps = [
            (0, up, any, dhcp::Kind::Discover, to_server),
            (2_400, down, router, dhcp::Kind::Offer, to_client),
            (3_100, up, any, dhcp::Kind::Request, to_server),
            (5_800, down, router, dhcp::Kind::Ack, to_client),
        ];
        for (offset, link, src, kind, transport) in steps {
            self.round.ip(
                t + offset,
                &link,
                IpHead { src, dst: all, ttl: 64 },
                transport,
                &dhcp::message(kind, &lease),
            )?;
        }
        Ok(())
    }

    /// The device asks who has the gateway's address; the router answers.
    pub fn arp_gateway(&mut self, dev: usize, t: u64) {
        let d = &self.devices[dev];
        let ask = Link { src: d.mac, dst: BROADCAST, vlan: d.vlan };
        let answer = Link { src: self.router.mac, dst: d.mac, vlan: d.vlan };
        let (me, router) = ((d.mac, d.ipv4.octets()), (self.router.mac, self.router.ipv4.octets()));
        self.round.arp(t, &ask, ArpOp::Request, me, ([0; 6], router.1));
        self.round.arp(t + 900, &answer, ArpOp::Reply, router, me);
    }

    /// The router refreshing its neighbour entry: it asks, the device answers.
    pub fn arp_refresh(&mut self, dev: usize, t: u64) {
        let d = &self.devices[dev];
        let ask = Link { src: self.router.mac, dst: d.mac, vlan: d.vlan };
        let (me, router) = ((d.mac, d.ipv4.octets()), (self.router.mac, self.router.ipv4.octets()));
        self.round.arp(t, &ask, ArpOp::Request, router, ([0; 6], me.1));
        self.round.arp(t + 1_300, &ask.reversed(), ArpOp::Reply, me, router);
    }

    /// The router's periodic advertisement of the ISP prefix (SLAAC) and itself as DNS server.
    pub fn router_advertisement(&mut self, t: u64) -> io::Result<()> {
        let r = &self.router;
        let mut body = vec![0u8; 8]; // reachable time, retransmission timer: unspecified
        body.extend_from_slice(&[1, 1]);
        body.extend_from_slice(&r.mac);
        body.extend_from_slice(&[5, 1, 0, 0]);
        body.extend_from_slice(&1500u32.to_be_bytes());
        body.extend_from_slice(&[3, 4, 64, 0xc0]); // prefix information, on-link + autonomous
        body.extend_from_slice(&86_400u32.to_be_bytes());
        body.extend_from_slice(&14_400u32.to_be_bytes());
        body.extend_from_slice(&[0; 4]);
        for s in ISP_PREFIX {
            body.extend_from_slice(&s.to_be_bytes());
        }
        body.extend_from_slice(&[0; 8]);
        body.extend_from_slice(&[25, 3, 0, 0]); // recursive DNS server
        body.extend_from_slice(&1_800u32.to_be_bytes());
        body.extend_from_slice(&r.link_local.octets());
        let link = Link { src: r.mac, dst: multicast_mac(ALL_NODES.into()), vlan: None };
        let icmp = Transport::Icmpv6 { kind: ICMPV6_ROUTER_ADVERTISEMENT, code: 0, head: [64, 0, 0x07, 0x08] };
        self.round.ip(t, &link, IpHead { src: r.link_local.into(), dst: ALL_NODES.into(), ttl: 255 }, icmp, &body)
    }

    /// An IPv6 device resolves the router's link-layer address before its first packet out.
    pub fn neighbor_discovery(&mut self, dev: usize, t: u64) -> io::Result<()> {
        let d = self.devices[dev].clone();
        let Some(me) = d.link_local else { return Ok(()) };
        let target = self.router.link_local;
        let t_oct = target.octets();
        let solicited = Ipv6Addr::new(
            0xff02,
            0,
            0,
            0,
            0,
            1,
            0xff00 | u16::from(t_oct[13]),
            u16::from_be_bytes([t_oct[14], t_oct[15]]),
        );
        let mut ns = t_oct.to_vec();
        ns.extend_from_slice(&[1, 1]);
        ns.extend_from_slice(&d.mac);
        let ask = Link { src: d.mac, dst: multicast_mac(solicited.into()), vlan: d.vlan };
        let icmp = Transport::Icmpv6 { kind: ICMPV6_NEIGHBOR_SOLICITATION, code: 0, head: [0; 4] };
        self.round.ip(t, &ask, IpHead { src: me.into(), dst: solicited.into(), ttl: 255 }, icmp, &ns)?;
        let mut na = t_oct.to_vec();
        na.extend_from_slice(&[2, 1]);
        na.extend_from_slice(&self.router.mac);
        let answer = Link { src: self.router.mac, dst: d.mac, vlan: d.vlan };
        // Router, Solicited and Override flags.
        let icmp = Transport::Icmpv6 { kind: ICMPV6_NEIGHBOR_ADVERTISEMENT, code: 0, head: [0xe0, 0, 0, 0] };
        self.round.ip(t + 700, &answer, IpHead { src: target.into(), dst: me.into(), ttl: 255 }, icmp, &na)
    }

    /// Unsolicited mDNS answers for `<hostname>.local`: A over IPv4, AAAA over IPv6.
    pub fn mdns_announce(&mut self, dev: usize, t: u64) -> io::Result<()> {
        let d = self.devices[dev].clone();
        if !d.mdns {
            return Ok(());
        }
        let name = format!("{}.local", d.hostname);
        let announce = |data: Vec<Rdata>| {
            dns::Message {
                flags: 0x8400,
                answers: data.into_iter().map(|data| Record { name: name.clone(), ttl: 120, data }).collect(),
                mdns: true,
                ..Default::default()
            }
            .to_bytes()
        };
        let mdns = Transport::Udp { sport: 5353, dport: 5353 };
        let link = Link { src: d.mac, dst: multicast_mac(MDNS_V4.into()), vlan: d.vlan };
        let v4 = announce(vec![Rdata::A(d.ipv4)]);
        self.round.ip(t, &link, IpHead { src: d.ipv4.into(), dst: MDNS_V4.into(), ttl: 255 }, mdns, &v4)?;
        if let Some(ll) = d.link_local {
            let mut data = vec![Rdata::Aaaa(ll)];
            data.extend(d.ipv6.map(Rdata::Aaaa));
            let link = Link { src: d.mac, dst: multicast_mac(MDNS_V6.into()), vlan: d.vlan };
            self.round.ip(
                t + 1_200,
                &link,
                IpHead { src: ll.into(), dst: MDNS_V6.into(), ttl: 255 },
                mdns,
                &announce(data),
            )?;
        }
        Ok(())
    }
}
