//! Packet decoding: from a frame's bytes and link type to the few facts the rest of the core
//! needs (MACs, IP endpoints, protocol, ports, TCP flags, transport payload).
//!
//! Decoding is lax: a frame cut by the snapshot length still yields what its headers say.
//! Tunnels (GRE, VXLAN, IP-in-IP) are opened and the inner packet is the one reported, since
//! it is the inner conversation that says who talks to whom. This folder is the only user of
//! etherparse; headers etherparse does not know (SLL2, PPPoE, MPLS, BSD null, GRE, VXLAN) are
//! read by hand in [`link`], each with its layout written out as named offsets.

mod ip;
mod link;

use crate::diagnostic::DiagnosticKind;
use std::net::IpAddr;

use crate::capture::LinkType;

/// A MAC address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Mac(pub [u8; 6]);

impl Mac {
    pub fn is_unicast(&self) -> bool {
        self.0[0] & 1 == 0 && self.0 != [0; 6]
    }
}

impl std::fmt::Display for Mac {
    /// `aa:bb:cc:dd:ee:ff`, written into one buffer: a report writes a device's id for each of
    /// its destinations, and six formatted hex fields cost several times as much.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut text = [b':'; 17];
        for (i, byte) in self.0.iter().enumerate() {
            text[i * 3] = HEX[usize::from(byte >> 4)];
            text[i * 3 + 1] = HEX[usize::from(byte & 0xf)];
        }
        // Hex digits and colons only: always UTF-8.
        f.write_str(std::str::from_utf8(&text).map_err(|_| std::fmt::Error)?)
    }
}

/// Reads a MAC as [`Display`](std::fmt::Display) writes it (`aa:bb:cc:dd:ee:ff`, as reports
/// carry it).
impl std::str::FromStr for Mac {
    type Err = String;

    fn from_str(text: &str) -> Result<Mac, String> {
        let refuse = || format!("'{text}' is not a MAC address");
        let mut mac = [0u8; 6];
        let mut parts = text.split(':');
        for byte in &mut mac {
            *byte = parts.next().and_then(|part| u8::from_str_radix(part, 16).ok()).ok_or_else(refuse)?;
        }
        parts.next().is_none().then_some(Mac(mac)).ok_or_else(refuse)
    }
}

/// What a frame carried, as far as it could be read.
#[derive(Debug, Clone)]
pub struct Decoded<'a> {
    pub src_mac: Option<Mac>,
    pub dst_mac: Option<Mac>,
    pub net: Net<'a>,
}

#[derive(Debug, Clone)]
pub enum Net<'a> {
    Ip(IpPacket<'a>),
    /// An ARP packet for IPv4 over Ethernet: who has which address.
    Arp {
        sender_mac: Mac,
        sender_ip: IpAddr,
    },
    /// Not IP (ARP for other protocols, LLDP, spanning tree, ...): counted, not analysed.
    NotIp,
}

#[derive(Debug, Clone)]
pub struct IpPacket<'a> {
    pub src: IpAddr,
    pub dst: IpAddr,
    /// IP protocol number of the transport (after IPv6 extension headers).
    pub proto: u8,
    pub fragment: Option<Fragment>,
    pub transport: Transport<'a>,
}

/// Where an IP fragment belongs: fragments after the first carry no ports, so they are tied
/// to their flow through the datagram identification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fragment {
    pub id: u32,
    /// Offset in 8-byte units; 0 for the first fragment.
    pub offset: u16,
    pub more: bool,
}

#[derive(Debug, Clone)]
pub enum Transport<'a> {
    Tcp(TcpSegment<'a>),
    Udp {
        src_port: u16,
        dst_port: u16,
        payload: &'a [u8],
    },
    /// ICMP, ICMPv6, other protocols, non-first fragments, or a transport header cut short.
    Other,
}

#[derive(Debug, Clone)]
pub struct TcpSegment<'a> {
    pub src_port: u16,
    pub dst_port: u16,
    pub seq: u32,
    pub flags: TcpFlags,
    pub payload: &'a [u8],
}

/// Where a segment's first byte falls against the next byte a reader of the stream expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeqOrder {
    /// It is the next byte: the segment continues the stream.
    Next,
    /// Past it: the bytes between are missing (lost, or not captured).
    Ahead,
    /// Before it: a retransmission of bytes already read.
    Behind,
}

/// Compares sequence numbers as TCP does (RFC 793): they wrap, so `seq` is ahead of
/// `expected` when it lies less than half the number space past it.
pub fn seq_order(seq: u32, expected: u32) -> SeqOrder {
    match seq.wrapping_sub(expected) {
        0 => SeqOrder::Next,
        distance if distance < u32::MAX / 2 => SeqOrder::Ahead,
        _ => SeqOrder::Behind,
    }
}

/// TCP flag bits as in the header's flags byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TcpFlags(pub u8);

impl TcpFlags {
    pub const FIN: u8 = 0x01;
    pub const SYN: u8 = 0x02;
    pub const RST: u8 = 0x04;
    pub const PSH: u8 = 0x08;
    pub const ACK: u8 = 0x10;
    pub const URG: u8 = 0x20;
    pub const ECE: u8 = 0x40;
    pub const CWR: u8 = 0x80;
    pub const NAMES: [(u8, &'static str); 8] = [
        (Self::SYN, "SYN"),
        (Self::ACK, "ACK"),
        (Self::FIN, "FIN"),
        (Self::RST, "RST"),
        (Self::PSH, "PSH"),
        (Self::URG, "URG"),
        (Self::ECE, "ECE"),
        (Self::CWR, "CWR"),
    ];

    pub fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }

    /// The names of the flags set, in [`TcpFlags::NAMES`] order.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        TcpFlags::NAMES.into_iter().filter(move |(bit, _)| self.has(*bit)).map(|(_, name)| name)
    }
}

/// Why a frame could not be decoded to an IP packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeIssue {
    /// Stable kind for diagnostics, e.g. `malformed-ip`.
    pub kind: DiagnosticKind,
    pub message: String,
}

impl DecodeIssue {
    fn new(kind: DiagnosticKind, message: impl Into<String>) -> DecodeIssue {
        DecodeIssue { kind, message: message.into() }
    }
}

/// How many tunnel layers we open before giving up (a loop of encapsulations is hostile).
const MAX_TUNNEL_DEPTH: u8 = 4;

/// Decodes one frame.
pub fn decode(link_type: LinkType, data: &[u8]) -> Result<Decoded<'_>, DecodeIssue> {
    link::decode_link(link_type, data)
}

#[cfg(test)]
mod tests;
