//! Link layers and the encapsulations between link and IP.
//!
//! Ethernet and 802.1Q/QinQ tags are read with etherparse. The others are tiny fixed headers
//! etherparse does not support or is too strict about (Linux SLL and SLL2, PPPoE, PPP, MPLS,
//! BSD null/loopback), so they are read here by hand with their offsets named.

use crate::diagnostic::DiagnosticKind;
use std::net::{IpAddr, Ipv4Addr};

use etherparse::{Ethernet2HeaderSlice, SingleVlanHeaderSlice};

use super::{ip, DecodeIssue, Decoded, Mac, Net, MAX_TUNNEL_DEPTH};
use crate::capture::LinkType;

pub const ETHERTYPE_IPV4: u16 = 0x0800;
pub const ETHERTYPE_ARP: u16 = 0x0806;
pub const ETHERTYPE_IPV6: u16 = 0x86dd;
const ETHERTYPE_VLAN: u16 = 0x8100;
const ETHERTYPE_QINQ: u16 = 0x88a8;
const ETHERTYPE_QINQ_OLD: u16 = 0x9100;
const ETHERTYPE_PPPOE_SESSION: u16 = 0x8864;
const ETHERTYPE_MPLS: u16 = 0x8847;
const ETHERTYPE_MPLS_MULTICAST: u16 = 0x8848;
/// Ethernet frames inside GRE ("transparent Ethernet bridging").
pub const ETHERTYPE_TEB: u16 = 0x6558;

/// PPPoE session header: version/type, code, session id, length; then the PPP protocol.
const PPPOE_HEADER_LEN: usize = 6;
const PPP_PROTO_IPV4: u16 = 0x0021;
const PPP_PROTO_IPV6: u16 = 0x0057;
/// HDLC-like framing some PPP captures keep: address 0xff, control 0x03.
const PPP_HDLC_PREFIX: [u8; 2] = [0xff, 0x03];

/// An MPLS label stack entry is 4 bytes; bit 0 of the third byte marks the bottom of stack.
const MPLS_ENTRY_LEN: usize = 4;
const MPLS_BOTTOM_OF_STACK: u8 = 0x01;
const MPLS_MAX_LABELS: usize = 16;

/// BSD null/loopback: a 4-byte address family, in the capturing host's byte order (NULL) or
/// network order (LOOP). IPv6 has several values depending on the BSD flavour.
const NULL_HEADER_LEN: usize = 4;
const AF_INET: u32 = 2;
const AF_INET6: [u32; 3] = [24, 28, 30];

/// Linux cooked v1: packet type (2), ARPHRD type (2), address length (2), address (8),
/// protocol (2).
const SLL_HEADER_LEN: usize = 16;
const SLL_HATYPE_OFFSET: usize = 2;
const SLL_ADDR_LEN_OFFSET: usize = 4;
const SLL_ADDR_OFFSET: usize = 6;
const SLL_PROTOCOL_OFFSET: usize = 14;

/// Linux cooked v2: protocol (2), reserved (2), interface index (4), ARPHRD type (2),
/// packet type (1), address length (1), address (8).
const SLL2_HEADER_LEN: usize = 20;
const SLL2_PROTOCOL_OFFSET: usize = 0;
const SLL2_HATYPE_OFFSET: usize = 8;
const SLL2_ADDR_LEN_OFFSET: usize = 11;
const SLL2_ADDR_OFFSET: usize = 12;
const ARPHRD_ETHER: u16 = 1;

/// ARP for IPv4 over Ethernet: fixed 28 bytes; sender MAC at 8, sender IP at 14.
const ARP_LEN: usize = 28;
const ARP_SENDER_MAC: usize = 8;
const ARP_SENDER_IP: usize = 14;

pub fn decode_link(link_type: LinkType, data: &[u8]) -> Result<Decoded<'_>, DecodeIssue> {
    match link_type {
        LinkType::ETHERNET => ethernet(data, 0),
        LinkType::RAW | LinkType::RAW_12 | LinkType::RAW_14 | LinkType::IPV4 | LinkType::IPV6 => raw_ip(data, None, 0),
        LinkType::NULL => null(data, false),
        LinkType::LOOP => null(data, true),
        LinkType::LINUX_SLL => linux_sll(data),
        LinkType::LINUX_SLL2 => linux_sll2(data),
        LinkType::PPP_ETHER => pppoe(data, None),
        LinkType::PPP => ppp(data),
        other => Err(DecodeIssue::new(
            DiagnosticKind::UnsupportedLinkType,
            format!("frames of link type {} are not analysed", other.name()),
        )),
    }
}

pub fn ethernet(data: &[u8], depth: u8) -> Result<Decoded<'_>, DecodeIssue> {
    let header = Ethernet2HeaderSlice::from_slice(data)
        .map_err(|_| DecodeIssue::new(DiagnosticKind::MalformedLink, "an Ethernet frame is shorter than its header"))?;
    let macs = Macs { src: Some(Mac(header.source())), dst: Some(Mac(header.destination())) };
    let rest = &data[header.slice().len()..];
    let ether_type = header.ether_type().0;
    // Below 0x0600 the field is an 802.3 length: LLC/SNAP frames, never IP in practice.
    if ether_type < 0x0600 {
        return Ok(macs.with(Net::NotIp));
    }
    ether_payload(ether_type, rest, macs, depth)
}

/// Sender and receiver MACs as far as the link layer tells.
#[derive(Debug, Clone, Copy, Default)]
pub struct Macs {
    pub src: Option<Mac>,
    pub dst: Option<Mac>,
}

impl Macs {
    fn with(self, net: Net<'_>) -> Decoded<'_> {
        Decoded { src_mac: self.src, dst_mac: self.dst, net }
    }
}

pub fn ether_payload(mut ether_type: u16, mut data: &[u8], macs: Macs, depth: u8) -> Result<Decoded<'_>, DecodeIssue> {
    // Walk any number of VLAN tags (802.1Q, QinQ).
    let mut tags = 0;
    while matches!(ether_type, ETHERTYPE_VLAN | ETHERTYPE_QINQ | ETHERTYPE_QINQ_OLD) {
        tags += 1;
        if tags > 8 {
            return Err(DecodeIssue::new(DiagnosticKind::MalformedLink, "more than 8 VLAN tags"));
        }
        let tag = SingleVlanHeaderSlice::from_slice(data)
            .map_err(|_| DecodeIssue::new(DiagnosticKind::MalformedLink, "a VLAN tag is cut short"))?;
        ether_type = tag.ether_type().0;
        data = &data[tag.slice().len()..];
    }
    match ether_type {
        ETHERTYPE_IPV4 | ETHERTYPE_IPV6 => ip::decode_ip(data, macs, depth),
        ETHERTYPE_ARP => Ok(macs.with(arp(data))),
        ETHERTYPE_PPPOE_SESSION => pppoe(data, Some(macs)),
        ETHERTYPE_MPLS | ETHERTYPE_MPLS_MULTICAST => mpls(data, macs, depth),
        ETHERTYPE_TEB if depth < MAX_TUNNEL_DEPTH => ethernet(data, depth + 1),
        _ => Ok(macs.with(Net::NotIp)),
    }
}

fn arp(data: &[u8]) -> Net<'_> {
    // Hardware type Ethernet (1), protocol IPv4, address lengths 6 and 4.
    if data.len() < ARP_LEN || data[..6] != [0, 1, 8, 0, 6, 4] {
        return Net::NotIp;
    }
    let mut mac = [0; 6];
    mac.copy_from_slice(&data[ARP_SENDER_MAC..ARP_SENDER_MAC + 6]);
    let ip =
        Ipv4Addr::new(data[ARP_SENDER_IP], data[ARP_SENDER_IP + 1], data[ARP_SENDER_IP + 2], data[ARP_SENDER_IP + 3]);
    Net::Arp { sender_mac: Mac(mac), sender_ip: IpAddr::V4(ip) }
}

/// IPv4 or IPv6 told apart by the version nibble.
pub fn raw_ip(data: &[u8], macs: Option<Macs>, depth: u8) -> Result<Decoded<'_>, DecodeIssue> {
    match data.first().map(|b| b >> 4) {
        Some(4) | Some(6) => ip::decode_ip(data, macs.unwrap_or_default(), depth),
        Some(v) => Err(DecodeIssue::new(DiagnosticKind::MalformedIp, format!("IP version {v} is neither 4 nor 6"))),
        None => Err(DecodeIssue::new(DiagnosticKind::MalformedIp, "an empty frame")),
    }
}

fn null(data: &[u8], network_order: bool) -> Result<Decoded<'_>, DecodeIssue> {
    let Some(head) = data.get(..NULL_HEADER_LEN) else {
        return Err(DecodeIssue::new(DiagnosticKind::MalformedLink, "a loopback frame is shorter than its header"));
    };
    let bytes = [head[0], head[1], head[2], head[3]];
    let family = if network_order {
        u32::from_be_bytes(bytes)
    } else {
        // Host byte order of the capturing machine, which the file does not record: the
        // family is a small number, so whichever reading is small is the right one.
        let le = u32::from_le_bytes(bytes);
        if le < 0x1_0000 {
            le
        } else {
            u32::from_be_bytes(bytes)
        }
    };
    let payload = &data[NULL_HEADER_LEN..];
    if family == AF_INET || AF_INET6.contains(&family) {
        raw_ip(payload, None, 0)
    } else {
        Ok(Macs::default().with(Net::NotIp))
    }
}

fn linux_sll(data: &[u8]) -> Result<Decoded<'_>, DecodeIssue> {
    // Read by hand: etherparse refuses hardware types it does not know (loopback 772 among
    // them), and the header is five fixed fields.
    if data.len() < SLL_HEADER_LEN {
        return Err(DecodeIssue::new(DiagnosticKind::MalformedLink, "a Linux cooked header is cut short"));
    }
    let hatype = u16::from_be_bytes([data[SLL_HATYPE_OFFSET], data[SLL_HATYPE_OFFSET + 1]]);
    let addr_len = (u16::from_be_bytes([data[SLL_ADDR_LEN_OFFSET], data[SLL_ADDR_LEN_OFFSET + 1]]) as usize).min(8);
    let protocol = u16::from_be_bytes([data[SLL_PROTOCOL_OFFSET], data[SLL_PROTOCOL_OFFSET + 1]]);
    let macs = Macs { src: sll_mac(hatype, &data[SLL_ADDR_OFFSET..SLL_ADDR_OFFSET + addr_len]), dst: None };
    // Protocol values below 0x0600 are Linux-internal (802.2, CAN, ...), never IP.
    if protocol < 0x0600 {
        return Ok(macs.with(Net::NotIp));
    }
    ether_payload(protocol, &data[SLL_HEADER_LEN..], macs, 0)
}

fn linux_sll2(data: &[u8]) -> Result<Decoded<'_>, DecodeIssue> {
    if data.len() < SLL2_HEADER_LEN {
        return Err(DecodeIssue::new(DiagnosticKind::MalformedLink, "a Linux cooked v2 header is cut short"));
    }
    let protocol = u16::from_be_bytes([data[SLL2_PROTOCOL_OFFSET], data[SLL2_PROTOCOL_OFFSET + 1]]);
    let hatype = u16::from_be_bytes([data[SLL2_HATYPE_OFFSET], data[SLL2_HATYPE_OFFSET + 1]]);
    let addr_len = (data[SLL2_ADDR_LEN_OFFSET] as usize).min(8);
    let macs = Macs { src: sll_mac(hatype, &data[SLL2_ADDR_OFFSET..SLL2_ADDR_OFFSET + addr_len]), dst: None };
    ether_payload(protocol, &data[SLL2_HEADER_LEN..], macs, 0)
}

fn sll_mac(hatype: u16, address: &[u8]) -> Option<Mac> {
    (hatype == ARPHRD_ETHER && address.len() == 6).then(|| {
        let mut mac = [0; 6];
        mac.copy_from_slice(address);
        Mac(mac)
    })
}

fn pppoe(data: &[u8], macs: Option<Macs>) -> Result<Decoded<'_>, DecodeIssue> {
    // LINKTYPE_PPP_ETHER frames start at the PPPoE header; inside Ethernet we get here with
    // the Ethernet MACs.
    if data.len() < PPPOE_HEADER_LEN + 2 {
        return Err(DecodeIssue::new(DiagnosticKind::MalformedLink, "a PPPoE header is cut short"));
    }
    let rest = &data[PPPOE_HEADER_LEN..];
    ppp_protocol(rest, macs)
}

fn ppp(data: &[u8]) -> Result<Decoded<'_>, DecodeIssue> {
    let data = data.strip_prefix(&PPP_HDLC_PREFIX[..]).unwrap_or(data);
    if data.len() < 2 {
        return Err(DecodeIssue::new(DiagnosticKind::MalformedLink, "a PPP header is cut short"));
    }
    ppp_protocol(data, None)
}

fn ppp_protocol(data: &[u8], macs: Option<Macs>) -> Result<Decoded<'_>, DecodeIssue> {
    let protocol = u16::from_be_bytes([data[0], data[1]]);
    let payload = &data[2..];
    match protocol {
        PPP_PROTO_IPV4 | PPP_PROTO_IPV6 => raw_ip(payload, macs, 0),
        _ => Ok(macs.unwrap_or_default().with(Net::NotIp)),
    }
}

fn mpls(data: &[u8], macs: Macs, depth: u8) -> Result<Decoded<'_>, DecodeIssue> {
    let mut rest = data;
    for _ in 0..MPLS_MAX_LABELS {
        let Some(entry) = rest.get(..MPLS_ENTRY_LEN) else {
            return Err(DecodeIssue::new(DiagnosticKind::MalformedLink, "an MPLS label stack is cut short"));
        };
        rest = &rest[MPLS_ENTRY_LEN..];
        if entry[2] & MPLS_BOTTOM_OF_STACK != 0 {
            // MPLS does not say what it carries; IP is recognised by its version nibble.
            return match rest.first().map(|b| b >> 4) {
                Some(4) | Some(6) => ip::decode_ip(rest, macs, depth),
                _ => Ok(macs.with(Net::NotIp)),
            };
        }
    }
    Err(DecodeIssue::new(DiagnosticKind::MalformedLink, "an MPLS label stack has no bottom"))
}
