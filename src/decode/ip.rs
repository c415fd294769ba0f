//! IPv4/IPv6 (with extension headers and fragments), TCP and UDP through etherparse's lax
//! slicers, and the IP-level tunnels: IP-in-IP, GRE and VXLAN, whose inner packet replaces
//! the outer one.

use crate::diagnostic::DiagnosticKind;
use etherparse::{LaxIpSlice, TcpHeaderSlice, UdpHeaderSlice};

use super::link::{ether_payload, ethernet, raw_ip, Macs};
use super::{DecodeIssue, Decoded, Fragment, IpPacket, Net, TcpFlags, TcpSegment, Transport, MAX_TUNNEL_DEPTH};

const PROTO_IPIP: u8 = 4;
pub const PROTO_TCP: u8 = 6;
pub const PROTO_UDP: u8 = 17;
const PROTO_IPV6_IN_IP: u8 = 41;
const PROTO_GRE: u8 = 47;

const VXLAN_PORT: u16 = 4789;
/// VXLAN header: flags (1, bit 0x08 = a valid network id), reserved (3), VNI (3), reserved (1).
const VXLAN_HEADER_LEN: usize = 8;
const VXLAN_FLAG_VNI: u8 = 0x08;

/// GRE: flags+version (2), protocol type (2), then optional 4-byte fields for each of the
/// checksum, key and sequence-number flags.
const GRE_BASE_LEN: usize = 4;
const GRE_FLAG_CHECKSUM: u16 = 0x8000;
const GRE_FLAG_KEY: u16 = 0x2000;
const GRE_FLAG_SEQUENCE: u16 = 0x1000;
const GRE_VERSION_MASK: u16 = 0x0007;

/// Offset of the flags byte in a TCP header.
const TCP_FLAGS_OFFSET: usize = 13;

pub fn decode_ip(data: &[u8], macs: Macs, depth: u8) -> Result<Decoded<'_>, DecodeIssue> {
    let (ip, _ext_error) = LaxIpSlice::from_slice(data)
        .map_err(|e| DecodeIssue::new(DiagnosticKind::MalformedIp, format!("an IP header could not be read: {e}")))?;
    let src = ip.source_addr();
    let dst = ip.destination_addr();
    let payload = ip.payload();
    let proto = payload.ip_number.0;
    let fragment = match &ip {
        LaxIpSlice::Ipv4(v4) => {
            let header = v4.header();
            let offset = header.fragments_offset().value();
            (offset != 0 || header.more_fragments()).then_some(Fragment {
                id: header.identification() as u32,
                offset,
                more: header.more_fragments(),
            })
        }
        LaxIpSlice::Ipv6(v6) => {
            v6.extensions().first_header().and_then(|first| ipv6_fragment(first.0, v6.extensions().slice()))
        }
    };
    let first_piece = fragment.is_none_or(|f| f.offset == 0);
    let body = payload.payload;

    // Tunnels: only whole (unfragmented) packets can be opened.
    if fragment.is_none() && depth < MAX_TUNNEL_DEPTH {
        match proto {
            PROTO_IPIP | PROTO_IPV6_IN_IP => {
                if let Ok(inner) = raw_ip(body, Some(macs), depth + 1) {
                    return Ok(inner);
                }
            }
            PROTO_GRE => {
                if let Some(inner) = gre(body, macs, depth + 1) {
                    return Ok(inner);
                }
            }
            _ => {}
        }
    }

    let transport = if !first_piece {
        Transport::Other
    } else {
        match proto {
            PROTO_TCP => match TcpHeaderSlice::from_slice(body) {
                Ok(tcp) => {
                    let header = tcp.slice();
                    Transport::Tcp(TcpSegment {
                        src_port: tcp.source_port(),
                        dst_port: tcp.destination_port(),
                        seq: tcp.sequence_number(),
                        flags: TcpFlags(header[TCP_FLAGS_OFFSET]),
                        payload: &body[header.len()..],
                    })
                }
                Err(_) => Transport::Other,
            },
            PROTO_UDP => match UdpHeaderSlice::from_slice(body) {
                Ok(udp) => {
                    let declared = (udp.length() as usize).saturating_sub(8);
                    let rest = &body[8..];
                    let payload = if declared > 0 && declared < rest.len() { &rest[..declared] } else { rest };
                    let (src_port, dst_port) = (udp.source_port(), udp.destination_port());
                    if dst_port == VXLAN_PORT && fragment.is_none() && depth < MAX_TUNNEL_DEPTH {
                        if let Some(inner) = vxlan(payload, depth + 1) {
                            return Ok(inner);
                        }
                    }
                    Transport::Udp { src_port, dst_port, payload }
                }
                Err(_) => Transport::Other,
            },
            _ => Transport::Other,
        }
    };
    Ok(Decoded {
        src_mac: macs.src,
        dst_mac: macs.dst,
        net: Net::Ip(IpPacket { src, dst, proto, fragment, transport }),
    })
}

/// IPv6 extension headers that can precede a fragment header, with their length rule.
const EXT_HOP_BY_HOP: u8 = 0;
const EXT_ROUTING: u8 = 43;
const EXT_FRAGMENT: u8 = 44;
const EXT_AUTH: u8 = 51;
const EXT_DESTINATION: u8 = 60;
/// Fragment header: next header (1), reserved (1), offset and flags (2), identification (4).
const FRAGMENT_HEADER_LEN: usize = 8;

/// Finds the fragment header among IPv6 extension headers. Walked by hand with a bounds check
/// at every step: etherparse's iterator over a laxly parsed (cut) chain reads past its end.
fn ipv6_fragment(first: u8, mut exts: &[u8]) -> Option<Fragment> {
    let mut next = first;
    for _ in 0..16 {
        match next {
            EXT_FRAGMENT => {
                let h = exts.get(..FRAGMENT_HEADER_LEN)?;
                let word = u16::from_be_bytes([h[2], h[3]]);
                let (offset, more) = (word >> 3, word & 1 == 1);
                let id = u32::from_be_bytes([h[4], h[5], h[6], h[7]]);
                return (offset != 0 || more).then_some(Fragment { id, offset, more });
            }
            EXT_HOP_BY_HOP | EXT_ROUTING | EXT_DESTINATION | EXT_AUTH => {
                let h = exts.get(..2)?;
                let len = if next == EXT_AUTH { (h[1] as usize + 2) * 4 } else { (h[1] as usize + 1) * 8 };
                next = h[0];
                exts = exts.get(len..)?;
            }
            _ => return None,
        }
    }
    None
}

fn gre(data: &[u8], macs: Macs, depth: u8) -> Option<Decoded<'_>> {
    let head = data.get(..GRE_BASE_LEN)?;
    let flags = u16::from_be_bytes([head[0], head[1]]);
    if flags & GRE_VERSION_MASK != 0 {
        // Version 1 is PPTP's enhanced GRE, carrying PPP: left as the outer flow.
        return None;
    }
    let protocol = u16::from_be_bytes([head[2], head[3]]);
    let mut len = GRE_BASE_LEN;
    for bit in [GRE_FLAG_CHECKSUM, GRE_FLAG_KEY, GRE_FLAG_SEQUENCE] {
        if flags & bit != 0 {
            len += 4;
        }
    }
    let inner = data.get(len..)?;
    match ether_payload(protocol, inner, macs, depth) {
        Ok(decoded) if matches!(decoded.net, Net::Ip(_)) => Some(decoded),
        _ => None,
    }
}

fn vxlan(data: &[u8], depth: u8) -> Option<Decoded<'_>> {
    let head = data.get(..VXLAN_HEADER_LEN)?;
    if head[0] & VXLAN_FLAG_VNI == 0 {
        return None;
    }
    match ethernet(&data[VXLAN_HEADER_LEN..], depth) {
        Ok(decoded) if matches!(decoded.net, Net::Ip(_)) => Some(decoded),
        _ => None,
    }
}
