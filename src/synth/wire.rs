//! Frames on the wire: Ethernet (optionally 802.1Q-tagged) carrying ARP or IP with UDP, TCP,
//! ICMP or ICMPv6. IP and transport headers, lengths and checksums come from etherparse's
//! `PacketBuilder`; the link header and ARP are a few fixed bytes written here.
//!
//! Frames shorter than Ethernet's 60-byte minimum are zero-padded, as a frame seen on the wire
//! is: readers must use the IP length, not the frame length, to find the end of the packet.

use std::io;
use std::net::IpAddr;

use etherparse::{
    IpFragOffset, IpHeaders, IpNumber, Ipv4Header, Ipv6FlowLabel, Ipv6Header, PacketBuilder, TcpHeader,
    TcpOptionElement,
};

pub type Mac = [u8; 6];

pub const BROADCAST: Mac = [0xff; 6];
const ETHERTYPE_IPV4: u16 = 0x0800;
const ETHERTYPE_IPV6: u16 = 0x86dd;
const ETHERTYPE_ARP: u16 = 0x0806;
const ETHERTYPE_VLAN: u16 = 0x8100;
/// Ethernet minimum frame length without the frame check sequence.
const MIN_FRAME: usize = 60;

/// Who sends a frame to whom on the LAN, and the 802.1Q VLAN id when the port is tagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Link {
    pub src: Mac,
    pub dst: Mac,
    pub vlan: Option<u16>,
}

impl Link {
    pub fn reversed(self) -> Link {
        Link { src: self.dst, dst: self.src, vlan: self.vlan }
    }
}

/// The IP header fields the scenario chooses; the rest (lengths, checksum) are computed.
#[derive(Debug, Clone, Copy)]
pub struct IpHead {
    pub src: IpAddr,
    pub dst: IpAddr,
    /// TTL or hop limit as the packet passes the capture point.
    pub ttl: u8,
}

/// A TCP segment's header fields (sequence space is kept by [`super::tcp`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct TcpHead {
    pub sport: u16,
    pub dport: u16,
    pub seq: u32,
    pub ack: Option<u32>,
    pub syn: bool,
    pub fin: bool,
    pub psh: bool,
    pub window: u16,
    /// Maximum segment size option, sent with SYNs.
    pub mss: Option<u16>,
}

#[derive(Debug, Clone, Copy)]
pub enum Transport {
    Udp { sport: u16, dport: u16 },
    Tcp(TcpHead),
    IcmpEcho { request: bool, id: u16, seq: u16 },
    Icmpv6 { kind: u8, code: u8, head: [u8; 4] },
}

fn link_header(out: &mut Vec<u8>, link: &Link, ethertype: u16) {
    out.extend_from_slice(&link.dst);
    out.extend_from_slice(&link.src);
    if let Some(vlan) = link.vlan {
        out.extend_from_slice(&ETHERTYPE_VLAN.to_be_bytes());
        out.extend_from_slice(&(vlan & 0x0fff).to_be_bytes());
    }
    out.extend_from_slice(&ethertype.to_be_bytes());
}

fn pad(out: &mut Vec<u8>, start: usize) {
    let len = out.len() - start;
    if len < MIN_FRAME {
        out.resize(start + MIN_FRAME, 0);
    }
}

fn build_error(e: impl std::fmt::Display) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidInput, format!("synthetic packet: {e}"))
}

fn ip_headers(ip: &IpHead, ident: u16) -> io::Result<IpHeaders> {
    match (ip.src, ip.dst) {
        (IpAddr::V4(src), IpAddr::V4(dst)) => {
            let mut header =
                Ipv4Header::new(0, ip.ttl, IpNumber::UDP, src.octets(), dst.octets()).map_err(build_error)?;
            header.identification = ident;
            header.dont_fragment = true;
            header.fragment_offset = IpFragOffset::ZERO;
            Ok(IpHeaders::Ipv4(header, Default::default()))
        }
        (IpAddr::V6(src), IpAddr::V6(dst)) => {
            let header = Ipv6Header {
                traffic_class: 0,
                flow_label: Ipv6FlowLabel::try_new((u32::from(ident) * 13) & 0xf_ffff).map_err(build_error)?,
                payload_length: 0,
                next_header: IpNumber::UDP,
                hop_limit: ip.ttl,
                source: src.octets(),
                destination: dst.octets(),
            };
            Ok(IpHeaders::Ipv6(header, Default::default()))
        }
        _ => Err(build_error("source and destination of different IP versions")),
    }
}

/// Appends one Ethernet frame carrying an IP packet. `ident` is the IPv4 identification; for
/// IPv6 it seeds the flow label.
pub fn ip_frame(
    out: &mut Vec<u8>,
    link: &Link,
    ip: &IpHead,
    ident: u16,
    transport: Transport,
    payload: &[u8],
) -> io::Result<()> {
    let start = out.len();
    let ethertype = if ip.src.is_ipv4() { ETHERTYPE_IPV4 } else { ETHERTYPE_IPV6 };
    link_header(out, link, ethertype);
    let builder = PacketBuilder::ip(ip_headers(ip, ident)?);
    let written = match transport {
        Transport::Udp { sport, dport } => builder.udp(sport, dport).write_to_vec(out, payload),
        Transport::Tcp(t) => {
            let mut header = TcpHeader::new(t.sport, t.dport, t.seq, t.window);
            header.syn = t.syn;
            header.fin = t.fin;
            header.psh = t.psh;
            if let Some(ack) = t.ack {
                header.ack = true;
                header.acknowledgment_number = ack;
            }
            if let Some(mss) = t.mss {
                header
                    .set_options(&[
                        TcpOptionElement::MaximumSegmentSize(mss),
                        TcpOptionElement::Noop,
                        TcpOptionElement::WindowScale(7),
                        TcpOptionElement::SelectiveAcknowledgementPermitted,
                    ])
                    .map_err(build_error)?;
            }
            builder.tcp_header(header).write_to_vec(out, payload)
        }
        Transport::IcmpEcho { request: true, id, seq } => {
            builder.icmpv4_echo_request(id, seq).write_to_vec(out, payload)
        }
        Transport::IcmpEcho { request: false, id, seq } => {
            builder.icmpv4_echo_reply(id, seq).write_to_vec(out, payload)
        }
        Transport::Icmpv6 { kind, code, head } => builder.icmpv6_raw(kind, code, head).write_to_vec(out, payload),
    };
    written.map_err(build_error)?;
    pad(out, start);
    Ok(())
}

/// ARP operation codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArpOp {
    Request = 1,
    Reply = 2,
}

/// Appends one Ethernet frame carrying an IPv4-over-Ethernet ARP message.
pub fn arp_frame(out: &mut Vec<u8>, link: &Link, op: ArpOp, sender: (Mac, [u8; 4]), target: (Mac, [u8; 4])) {
    let start = out.len();
    link_header(out, link, ETHERTYPE_ARP);
    out.extend_from_slice(&[0, 1, 0x08, 0x00, 6, 4, 0, op as u8]);
    out.extend_from_slice(&sender.0);
    out.extend_from_slice(&sender.1);
    out.extend_from_slice(&target.0);
    out.extend_from_slice(&target.1);
    pad(out, start);
}

/// The multicast MAC an IP multicast group maps to (RFC 1112, RFC 2464).
pub fn multicast_mac(group: IpAddr) -> Mac {
    match group {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            [0x01, 0x00, 0x5e, o[1] & 0x7f, o[2], o[3]]
        }
        IpAddr::V6(v6) => {
            let o = v6.octets();
            [0x33, 0x33, o[12], o[13], o[14], o[15]]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use etherparse::{NetSlice, SlicedPacket, TransportSlice};
    use std::net::Ipv4Addr;

    const A: Mac = [0x02, 0, 0, 0, 0, 1];
    const B: Mac = [0x02, 0, 0, 0, 0, 2];

    #[test]
    fn tagged_udp_frame_parses_back_with_padding() {
        let mut out = Vec::new();
        let link = Link { src: A, dst: B, vlan: Some(20) };
        let ip =
            IpHead { src: Ipv4Addr::new(192, 168, 1, 20).into(), dst: Ipv4Addr::new(180, 76, 76, 76).into(), ttl: 64 };
        ip_frame(&mut out, &link, &ip, 7, Transport::Udp { sport: 5000, dport: 8000 }, b"hi").unwrap();
        assert_eq!(out.len(), 60, "short frames are padded to the Ethernet minimum");
        let parsed = SlicedPacket::from_ethernet(&out).unwrap();
        assert_eq!(parsed.vlan_ids().first().map(|v| v.value()), Some(20));
        match parsed.net {
            Some(NetSlice::Ipv4(v4)) => {
                assert_eq!(v4.header().destination_addr(), Ipv4Addr::new(180, 76, 76, 76));
            }
            other => panic!("not IPv4: {other:?}"),
        }
        match parsed.transport {
            Some(TransportSlice::Udp(udp)) => assert_eq!(udp.payload(), b"hi"),
            other => panic!("not UDP: {other:?}"),
        }
    }

    #[test]
    fn mixed_ip_versions_are_an_error_not_a_panic() {
        let mut out = Vec::new();
        let link = Link { src: A, dst: B, vlan: None };
        let ip = IpHead { src: Ipv4Addr::LOCALHOST.into(), dst: std::net::Ipv6Addr::LOCALHOST.into(), ttl: 1 };
        assert!(ip_frame(&mut out, &link, &ip, 0, Transport::Udp { sport: 1, dport: 2 }, &[]).is_err());
    }

    #[test]
    fn multicast_macs() {
        assert_eq!(multicast_mac(Ipv4Addr::new(224, 0, 0, 251).into()), [1, 0, 0x5e, 0, 0, 0xfb]);
        let mdns6: IpAddr = "ff02::fb".parse().unwrap();
        assert_eq!(multicast_mac(mdns6), [0x33, 0x33, 0, 0, 0, 0xfb]);
    }
}
