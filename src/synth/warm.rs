//! A small capture of many short conversations of every kind the analysis reads closely, for
//! warming code up: the page's worker analyses it while it waits for a file
//! (`src/bin/worker/warm_up.rs`). DNS answers (some through a CNAME), TLS with the server name
//! in one TCP segment or two, HTTP with `Host`, QUIC-like Initials on UDP/443, NTP and ICMP
//! echo; over IPv4 and IPv6, with and without a VLAN tag; to public addresses all over the IP
//! table. Built from the same pieces as the other scenarios but without their populations and
//! name lists, so it adds little to the worker's wasm (the busy gateway's generator would add
//! 45 kB of gzip to the page).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::dns::{Message, Rdata, Record, TYPE_A};
use super::rng::Rng;
use super::tls::{self, Stack};

/// Local clients; the first one's frames carry a VLAN tag.
const CLIENTS: u32 = 16;
const ROUTER: [u8; 6] = [0x02, 0x00, 0x5e, 0x00, 0x00, 0x01];
const RESOLVER: Ipv4Addr = Ipv4Addr::new(192, 168, 1, 1);
/// First octets of the servers' addresses: networks of many registries and countries.
const NETWORKS: [u8; 16] = [8, 13, 23, 31, 34, 45, 52, 62, 77, 91, 104, 118, 151, 185, 203, 212];
/// 2024-03-09 18:00 UTC, in microseconds.
const START_US: u64 = 1_710_007_200_000_000;
const TCP: u8 = 6;
const UDP: u8 = 17;
const ICMP: u8 = 1;
/// TCP flags.
const FIN: u8 = 0x01;
const SYN: u8 = 0x02;
const PSH: u8 = 0x08;
const ACK: u8 = 0x10;

/// The capture: `conversations` of them, each a DNS lookup and what follows it.
pub fn capture(conversations: u32, seed: u64) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut w = Writer::new();
    for i in 0..conversations {
        w.t = START_US + u64::from(i) * 25_000;
        let c = i % CLIENTS;
        let mac = [0x02, 0x10, 0, 0, 0, c as u8];
        let vlan = (c == 0).then_some(20);
        let client_v4 = Ipv4Addr::new(192, 168, 1, 10 + c as u8);
        let server_v4 =
            Ipv4Addr::new(NETWORKS[i as usize % NETWORKS.len()], rng.next_u16() as u8, rng.next_u16() as u8, 9);
        let name = format!("s{i}.cloud{}.example", i % 40);
        let between = |src: IpAddr, dst: IpAddr| Between { mac, vlan, src, dst, up: true };
        lookup(&mut w, &between(client_v4.into(), RESOLVER.into()), &name, server_v4, &mut rng);
        let mut ends = match i % 5 {
            0 => between(Ipv6Addr::new(0x2a02, 0x810, 0, 0, 0, 0, 0, 10 + c as u16).into(), v6_of(server_v4).into()),
            _ => between(client_v4.into(), server_v4.into()),
        };
        let port = 40_000 + (i % 20_000) as u16;
        match i % 6 {
            0..=2 => {
                let stack = [Stack::Embedded12, Stack::Modern13, Stack::PostQuantum13][i as usize % 3];
                let hello = tls::client_hello(stack, &name, &rng.bytes::<32>(), &mut rng);
                let mut tcp = Tcp::open(&mut w, &ends, (port, 443), &mut rng);
                let split = if i % 4 == 0 { 40 } else { 0 };
                tcp.send(&mut w, &ends, true, &hello[..split]);
                tcp.send(&mut w, &ends, true, &hello[split..]);
                tcp.send(&mut w, &ends, false, &tls::application_data(2_400, &mut rng));
                tcp.send(&mut w, &ends, true, &tls::application_data(300, &mut rng));
                tcp.close(&mut w, &ends);
            }
            3 => {
                let request = format!("GET /v1/status HTTP/1.1\r\nHost: {name}\r\nUser-Agent: device/1.0\r\n\r\n");
                let mut tcp = Tcp::open(&mut w, &ends, (port, 80), &mut rng);
                tcp.send(&mut w, &ends, true, request.as_bytes());
                tcp.send(&mut w, &ends, false, b"HTTP/1.1 204 No Content\r\nServer: web\r\n\r\n");
                tcp.close(&mut w, &ends);
            }
            4 => {
                // A long-header Initial (its protected payload is noise) and the server's reply.
                let mut initial = vec![0xc3, 0, 0, 0, 1, 8];
                initial.extend_from_slice(&rng.bytes::<8>());
                initial.push(8);
                initial.extend_from_slice(&rng.bytes::<8>());
                initial.extend_from_slice(&[0, 0x44, 0xb0]);
                initial.resize(1_200, 0);
                rng.fill(&mut initial[27..]);
                w.frame(&ends, UDP, &udp((port, 443), initial.len()), &initial);
                w.frame(&ends.reversed(), UDP, &udp((443, port), 600), &initial[..600]);
            }
            _ => {
                let mut ntp = [0u8; 48];
                ntp[0] = 0x23;
                w.frame(&ends, UDP, &udp((123, 123), 48), &ntp);
                ntp[0] = 0x24;
                w.frame(&ends.reversed(), UDP, &udp((123, 123), 48), &ntp);
                ends = between(client_v4.into(), server_v4.into());
                let echo = |kind: u8| [kind, 0, 0, 0, 0, i as u8, 0, 1];
                w.frame(&ends, ICMP, &echo(8), &[0x61; 32]);
                w.frame(&ends.reversed(), ICMP, &echo(0), &[0x61; 32]);
            }
        }
    }
    w.out
}

/// The client asks the router for `name`, which answers with `address`, through a CNAME for
/// every other name.
fn lookup(w: &mut Writer, ends: &Between, name: &str, address: Ipv4Addr, rng: &mut Rng) {
    let query = Message::query(rng.next_u16(), name, TYPE_A);
    let mut answers = Vec::new();
    let mut owner = name.to_string();
    if address.octets()[1] % 2 == 0 {
        let alias = format!("edge-{}.cdn.example", address.octets()[2]);
        answers.push(Record { name: owner, ttl: 300, data: Rdata::Cname(alias.clone()) });
        owner = alias;
    }
    answers.push(Record { name: owner, ttl: 60, data: Rdata::A(address) });
    let port = 50_000 + rng.next_u16() % 10_000;
    let question = query.to_bytes();
    w.frame(ends, UDP, &udp((port, 53), question.len()), &question);
    let answer = Message::answer(&query, answers).to_bytes();
    w.frame(&ends.reversed(), UDP, &udp((53, port), answer.len()), &answer);
}

/// A server's IPv6 address, made from its IPv4 one.
fn v6_of(v4: Ipv4Addr) -> Ipv6Addr {
    let [a, b, c, d] = v4.octets();
    Ipv6Addr::new(0x2a00, 0x1450, u16::from(a), u16::from(b), u16::from(c), u16::from(d), 0, 1)
}

/// Who sends to whom: a client (by its MAC, and VLAN tag) and a server beyond the router.
#[derive(Clone, Copy)]
struct Between {
    mac: [u8; 6],
    vlan: Option<u16>,
    src: IpAddr,
    dst: IpAddr,
    /// Sent by the client (to the router); else to it.
    up: bool,
}

impl Between {
    fn reversed(&self) -> Between {
        Between { src: self.dst, dst: self.src, up: !self.up, ..*self }
    }
}

fn udp((sport, dport): (u16, u16), payload: usize) -> [u8; 8] {
    let [s0, s1] = sport.to_be_bytes();
    let [d0, d1] = dport.to_be_bytes();
    let [l0, l1] = (8 + payload as u16).to_be_bytes();
    [s0, s1, d0, d1, l0, l1, 0, 0]
}

/// One TCP connection's sequence numbers.
struct Tcp {
    ports: (u16, u16),
    client_next: u32,
    server_next: u32,
}

impl Tcp {
    /// The three-way handshake.
    fn open(w: &mut Writer, ends: &Between, ports: (u16, u16), rng: &mut Rng) -> Tcp {
        let mut tcp = Tcp { ports, client_next: rng.next_u32(), server_next: rng.next_u32() };
        tcp.segment(w, ends, true, SYN, &[]);
        tcp.segment(w, &ends.reversed(), false, SYN | ACK, &[]);
        tcp.segment(w, ends, true, ACK, &[]);
        tcp
    }

    /// `data` from one side in segments of at most 1,400 bytes, then the other side's ACK.
    fn send(&mut self, w: &mut Writer, ends: &Between, from_client: bool, data: &[u8]) {
        let (there, back) = if from_client { (*ends, ends.reversed()) } else { (ends.reversed(), *ends) };
        for piece in data.chunks(1_400) {
            self.segment(w, &there, from_client, PSH | ACK, piece);
        }
        if !data.is_empty() {
            self.segment(w, &back, !from_client, ACK, &[]);
        }
    }

    fn close(&mut self, w: &mut Writer, ends: &Between) {
        self.segment(w, ends, true, FIN | ACK, &[]);
        self.segment(w, &ends.reversed(), false, FIN | ACK, &[]);
        self.segment(w, ends, true, ACK, &[]);
    }

    fn segment(&mut self, w: &mut Writer, ends: &Between, from_client: bool, flags: u8, payload: &[u8]) {
        let (ports, seq, ack) = match from_client {
            true => (self.ports, &mut self.client_next, self.server_next),
            false => ((self.ports.1, self.ports.0), &mut self.server_next, self.client_next),
        };
        let mut head = [0u8; 20];
        head[0..2].copy_from_slice(&ports.0.to_be_bytes());
        head[2..4].copy_from_slice(&ports.1.to_be_bytes());
        head[4..8].copy_from_slice(&seq.to_be_bytes());
        head[8..12].copy_from_slice(&if flags & ACK != 0 { ack } else { 0 }.to_be_bytes());
        head[12] = 5 << 4;
        head[13] = flags;
        head[14..16].copy_from_slice(&64_240u16.to_be_bytes());
        let taken = payload.len() as u32 + u32::from(flags & (SYN | FIN) != 0);
        *seq = seq.wrapping_add(taken);
        w.frame(ends, TCP, &head, payload);
    }
}

/// The pcap file, its frames written by hand: the analysis reads no checksum, and the packet
/// builder the other scenarios use would add to the worker's size.
struct Writer {
    out: Vec<u8>,
    /// The next frame's time, in microseconds; each frame advances it by a millisecond.
    t: u64,
}

impl Writer {
    fn new() -> Writer {
        let mut out = Vec::with_capacity(1 << 21);
        for field in [0xa1b2_c3d4u32, 0x0004_0002, 0, 0, 65_535, 1] {
            out.extend_from_slice(&field.to_le_bytes());
        }
        Writer { out, t: START_US }
    }

    fn frame(&mut self, ends: &Between, proto: u8, transport: &[u8], payload: &[u8]) {
        let (src_mac, dst_mac) = if ends.up { (ends.mac, ROUTER) } else { (ROUTER, ends.mac) };
        let mut frame = Vec::with_capacity(80 + payload.len());
        frame.extend_from_slice(&dst_mac);
        frame.extend_from_slice(&src_mac);
        if let Some(vlan) = ends.vlan {
            frame.extend_from_slice(&[0x81, 0x00]);
            frame.extend_from_slice(&vlan.to_be_bytes());
        }
        let length = (transport.len() + payload.len()) as u16;
        match (ends.src, ends.dst) {
            (IpAddr::V4(src), IpAddr::V4(dst)) => {
                frame.extend_from_slice(&[0x08, 0x00, 0x45, 0]);
                frame.extend_from_slice(&(20 + length).to_be_bytes());
                frame.extend_from_slice(&[0, 0, 0x40, 0, 64, proto, 0, 0]);
                frame.extend_from_slice(&src.octets());
                frame.extend_from_slice(&dst.octets());
            }
            (src, dst) => {
                let v6 = |ip: IpAddr| match ip {
                    IpAddr::V6(v6) => v6.octets(),
                    IpAddr::V4(v4) => v4.to_ipv6_mapped().octets(),
                };
                frame.extend_from_slice(&[0x86, 0xdd, 0x60, 0, 0, 0]);
                frame.extend_from_slice(&length.to_be_bytes());
                frame.extend_from_slice(&[proto, 64]);
                frame.extend_from_slice(&v6(src));
                frame.extend_from_slice(&v6(dst));
            }
        }
        frame.extend_from_slice(transport);
        frame.extend_from_slice(payload);
        let (seconds, micros) = ((self.t / 1_000_000) as u32, (self.t % 1_000_000) as u32);
        for field in [seconds, micros, frame.len() as u32, frame.len() as u32] {
            self.out.extend_from_slice(&field.to_le_bytes());
        }
        self.out.extend_from_slice(&frame);
        self.t += 1_000;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::model::NameSource;
    use crate::Analyzer;

    #[test]
    fn the_warm_up_capture_holds_every_kind_it_promises() {
        let bytes = capture(120, 3);
        let mut analyzer = Analyzer::new();
        analyzer.feed(&bytes);
        let analysis = analyzer.finish(None).unwrap();
        assert!(analysis.capture.diagnostics.is_empty(), "{:?}", analysis.capture.diagnostics);
        let flows = &analysis.flows;
        let named = |source: NameSource| flows.iter().filter(|f| f.name_source == Some(source)).count();
        assert_eq!(named(NameSource::Sni), 60, "TLS flows");
        assert_eq!(named(NameSource::Http), 20, "HTTP flows");
        assert_eq!(flows.iter().filter(|f| f.server.port == Some(443) && f.proto.0 == 17).count(), 20, "QUIC-like");
        assert!(flows.iter().any(|f| f.client.ip.is_ipv6()));
        assert!(flows.iter().any(|f| f.proto.0 == 1), "ICMP echo");
        assert_eq!(analysis.devices.iter().filter(|d| !d.gateway).count(), CLIENTS as usize);
        assert!(analysis.devices.iter().any(|d| d.ips.iter().any(IpAddr::is_ipv6)));
        // A frame from the resolver (the router) comes from the router's MAC, not a client's.
        let (mut at, mut from_resolver) = (24, 0);
        while at + 16 <= bytes.len() {
            let len = u32::from_le_bytes(bytes[at + 8..at + 12].try_into().unwrap()) as usize;
            let frame = &bytes[at + 16..at + 16 + len];
            let ip = if frame[12..14] == [0x81, 0x00] { 18 } else { 14 };
            if frame[ip - 2..ip] == [0x08, 0x00] && frame[ip + 12..ip + 16] == RESOLVER.octets() {
                assert_eq!(frame[6..12], ROUTER, "frame at {at}");
                from_resolver += 1;
            }
            at += 16 + len;
        }
        assert_eq!(from_resolver, 120, "one answer per conversation");
        assert!(analysis.destinations.len() > 100);
        // Two megabytes for the worker's warm-up are about six hundred conversations.
        let size = capture(600, 11).len();
        assert!((1_500_000..3_000_000).contains(&size), "{size} bytes");
    }
}
