//! Captures of hostile shapes, each made of many items: the traffic that once made the report
//! builder quadratic or its memory grow with packets. Each is small per item, so a few
//! hundred thousand items make a file of tens of megabytes:
//!
//! - [`Shape::Scan`]: one device sends a TCP SYN to a new address and port each time (a camera
//!   taken over by a botnet); one in fifty answers.
//! - [`Shape::Fragments`]: IPv4 fragments whose first fragment never comes, each of its own
//!   datagram.
//! - [`Shape::Names`]: DNS answers for new names, each address then contacted once.
//! - [`Shape::Devices`]: devices with distinct MACs that all talk to one server.
//! - [`Shape::NamesOfOneAddress`]: one address answered under many names, and contacted
//!   after each answer (a CDN address seen through a long capture).
//! - [`Shape::ScatteredFragments`]: fragmented datagrams between fifty devices and thousands
//!   of addresses, most of their last fragments before their first, some first fragments a
//!   hundred datagrams late, some never: the open datagrams outgrow what is kept of them.

use std::io::{self, Write};
use std::net::{IpAddr, Ipv4Addr};
use std::str::FromStr;

use etherparse::{IpFragOffset, IpNumber, Ipv4Header};

use super::capture::PcapWriter;
use super::dns::{Message, Rdata, Record, TYPE_A};
use super::wire::{self, IpHead, Link, Mac, TcpHead, Transport};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Scan,
    Fragments,
    Names,
    Devices,
    NamesOfOneAddress,
    ScatteredFragments,
}

impl Shape {
    pub const ALL: [Shape; 6] = [
        Shape::Scan,
        Shape::Fragments,
        Shape::Names,
        Shape::Devices,
        Shape::NamesOfOneAddress,
        Shape::ScatteredFragments,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Shape::Scan => "scan",
            Shape::Fragments => "fragments",
            Shape::Names => "names",
            Shape::Devices => "devices",
            Shape::NamesOfOneAddress => "names-of-one-address",
            Shape::ScatteredFragments => "scattered-fragments",
        }
    }
}

impl FromStr for Shape {
    type Err = String;

    fn from_str(text: &str) -> Result<Shape, String> {
        Shape::ALL.into_iter().find(|shape| shape.name() == text).ok_or_else(|| {
            let names: Vec<&str> = Shape::ALL.iter().map(|s| s.name()).collect();
            format!("unknown shape '{text}' ({})", names.join(", "))
        })
    }
}

const ROUTER_MAC: Mac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];
const DEVICE_MAC: Mac = [0x3c, 0x22, 0xfb, 0x00, 0x00, 0x42];
const ROUTER_IP: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 1);
const DEVICE_IP: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 66);
/// 2024-03-09 08:00 UTC, in microseconds.
const START_US: u64 = 1_709_971_200_000_000;

/// The `n`-th of a run of public addresses: 11.0.0.1, 11.0.0.2, ... (11.0.0.0/8 and the /8s
/// after it are public unicast), never the network or broadcast address of a /24.
fn public_v4(n: u64) -> Ipv4Addr {
    let host = (n % 254) as u32 + 1;
    let net = (n / 254) as u32;
    Ipv4Addr::from((11 << 24) + (net << 8) + host)
}

fn link(src: Mac, dst: Mac) -> Link {
    Link { src, dst, vlan: None }
}

fn head(src: Ipv4Addr, dst: Ipv4Addr) -> IpHead {
    IpHead { src: IpAddr::V4(src), dst: IpAddr::V4(dst), ttl: 64 }
}

/// Writes a capture of `shape` with `items` items into `out`; returns the bytes written.
pub fn hostile_to<W: Write>(shape: Shape, items: u64, out: W) -> io::Result<u64> {
    let mut pcap = PcapWriter::new(out)?;
    let mut frame = Vec::with_capacity(256);
    let emit = |pcap: &mut PcapWriter<W>, ts_us: u64, frame: &mut Vec<u8>| {
        let result = pcap.record(ts_us, frame);
        frame.clear();
        result
    };
    let up = link(DEVICE_MAC, ROUTER_MAC);
    for i in 0..items {
        // A thousand items a second.
        let ts = START_US + i * 1000;
        let ident = i as u16;
        match shape {
            Shape::Scan => {
                let target = public_v4(i);
                let port = 1 + ((i * 7919) % 65_535) as u16;
                let syn = TcpHead {
                    sport: 40_000 + (i % 20_000) as u16,
                    dport: port,
                    seq: i as u32,
                    syn: true,
                    window: 1024,
                    ..TcpHead::default()
                };
                wire::ip_frame(&mut frame, &up, &head(DEVICE_IP, target), ident, Transport::Tcp(syn), &[])?;
                emit(&mut pcap, ts, &mut frame)?;
                if i % 50 == 0 {
                    let accept = TcpHead {
                        sport: port,
                        dport: syn.sport,
                        seq: 7,
                        ack: Some(syn.seq + 1),
                        syn: true,
                        window: 1024,
                        ..TcpHead::default()
                    };
                    wire::ip_frame(
                        &mut frame,
                        &up.reversed(),
                        &head(target, DEVICE_IP),
                        ident,
                        Transport::Tcp(accept),
                        &[],
                    )?;
                    emit(&mut pcap, ts + 50, &mut frame)?;
                }
            }
            Shape::Fragments => {
                fragment(
                    &mut frame,
                    &up,
                    (DEVICE_IP, Ipv4Addr::new(52, 1, 2, 3)),
                    i as u16,
                    (185, false),
                    &[0x5a; 24],
                )?;
                emit(&mut pcap, ts, &mut frame)?;
            }
            Shape::ScatteredFragments => {
                let pair = |i: u64| (Ipv4Addr::new(192, 168, 1, 2 + (i % 50) as u8), public_v4(i % 3_000));
                // A UDP header, then data, to port 5000 + i % 7 (so a pair has several flows).
                let mut first = Vec::with_capacity(40);
                let first_of = |first: &mut Vec<u8>, i: u64| {
                    first.clear();
                    first.extend_from_slice(&40_000u16.to_be_bytes());
                    first.extend_from_slice(&(5_000 + (i % 7) as u16).to_be_bytes());
                    first.extend_from_slice(&[0, 0, 0, 0]);
                    first.extend_from_slice(&[0xa5; 24]);
                };
                if i % 5 == 0 {
                    first_of(&mut first, i);
                    fragment(&mut frame, &up, pair(i), ident, (0, true), &first)?;
                    emit(&mut pcap, ts, &mut frame)?;
                }
                fragment(&mut frame, &up, pair(i), ident, (185, false), &[0x5a; 24])?;
                emit(&mut pcap, ts + 1, &mut frame)?;
                if i % 3 == 0 && i >= 100 {
                    let late = i - 100;
                    first_of(&mut first, late);
                    fragment(&mut frame, &up, pair(late), late as u16, (0, true), &first)?;
                    emit(&mut pcap, ts + 2, &mut frame)?;
                }
            }
            Shape::Names | Shape::NamesOfOneAddress => {
                // A DNS answer, then a connection to the address it gave.
                let (name, address, sport) = match shape {
                    Shape::Names => {
                        (format!("host{i}.cloud{}.example.com", i % 997), public_v4(i), 40_000 + i % 20_000)
                    }
                    _ => (format!("edge{i}.cdn.example.net"), Ipv4Addr::new(23, 45, 67, 89), 1024 + i % 60_000),
                };
                answer(&mut frame, &name, address, ident)?;
                emit(&mut pcap, ts, &mut frame)?;
                let syn =
                    TcpHead { sport: sport as u16, dport: 443, seq: 1, syn: true, window: 1024, ..TcpHead::default() };
                wire::ip_frame(&mut frame, &up, &head(DEVICE_IP, address), ident, Transport::Tcp(syn), &[])?;
                emit(&mut pcap, ts + 100, &mut frame)?;
            }
            Shape::Devices => {
                let n = (i + 2) as u32;
                let mac = [0x3c, 0x22, 0xfb, (n >> 16) as u8, (n >> 8) as u8, n as u8];
                let ip = Ipv4Addr::from((10 << 24) | n);
                let datagram = Transport::Udp { sport: 50_000, dport: 8883 };
                wire::ip_frame(
                    &mut frame,
                    &link(mac, ROUTER_MAC),
                    &head(ip, Ipv4Addr::new(52, 1, 2, 3)),
                    ident,
                    datagram,
                    b"hello",
                )?;
                emit(&mut pcap, ts, &mut frame)?;
            }
        }
    }
    let written = pcap.file_bytes;
    pcap.finish()?;
    Ok(written)
}

/// The whole capture in memory.
pub fn hostile(shape: Shape, items: u64) -> Vec<u8> {
    let mut out = Vec::new();
    // Writing into a Vec cannot fail, and every packet here is valid.
    match hostile_to(shape, items, &mut out) {
        Ok(_) => out,
        Err(_) => Vec::new(),
    }
}

/// A DNS answer from the router to the device: `name` is at `address`.
fn answer(frame: &mut Vec<u8>, name: &str, address: Ipv4Addr, id: u16) -> io::Result<()> {
    let query = Message::query(id, name, TYPE_A);
    let reply = Message::answer(&query, vec![Record { name: name.into(), ttl: 300, data: Rdata::A(address) }]);
    let down = link(ROUTER_MAC, DEVICE_MAC);
    wire::ip_frame(
        frame,
        &down,
        &head(ROUTER_IP, DEVICE_IP),
        id,
        Transport::Udp { sport: 53, dport: 53_000 },
        &reply.to_bytes(),
    )
}

/// A UDP datagram's later fragment (offset in 8-byte units, the last one): its first fragment,
/// which carries the ports, is not in the capture.
/// An IPv4 fragment of datagram `id` at `offset` (in 8-byte units), with `more` to follow.
fn fragment(
    frame: &mut Vec<u8>,
    link: &Link,
    (src, dst): (Ipv4Addr, Ipv4Addr),
    id: u16,
    (offset, more): (u16, bool),
    data: &[u8],
) -> io::Result<()> {
    let invalid = |e: String| io::Error::new(io::ErrorKind::InvalidInput, e);
    let mut header = Ipv4Header::new(data.len() as u16, 64, IpNumber::UDP, src.octets(), dst.octets())
        .map_err(|e| invalid(e.to_string()))?;
    header.identification = id;
    header.more_fragments = more;
    header.fragment_offset = IpFragOffset::try_new(offset).map_err(|e| invalid(e.to_string()))?;
    header.header_checksum = header.calc_header_checksum();
    frame.extend_from_slice(&link.dst);
    frame.extend_from_slice(&link.src);
    frame.extend_from_slice(&0x0800u16.to_be_bytes());
    header.write(frame).map_err(|e| invalid(e.to_string()))?;
    frame.extend_from_slice(data);
    if frame.len() < 60 {
        frame.resize(60, 0);
    }
    Ok(())
}
