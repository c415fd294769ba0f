//! Tests of the busy gateway's capture: determinism, well-formed frames in time order with the
//! promised mix, numbers that scale with the size, and an analysis that finds what the truth
//! counted.

use std::collections::BTreeSet;

use etherparse::{NetSlice, SlicedPacket, TransportSlice};

use super::*;
use crate::scope::Scope;
use crate::Analyzer;

/// One pcap record: (timestamp in microseconds, frame).
fn records(file: &[u8]) -> Vec<(u64, &[u8])> {
    let mut out = Vec::new();
    let mut at = 24;
    while at < file.len() {
        let field = |i: usize| u32::from_le_bytes(file[at + i..at + i + 4].try_into().unwrap());
        let (sec, usec, len) = (field(0), field(4), field(8) as usize);
        assert_eq!(len, field(12) as usize);
        out.push((u64::from(sec) * 1_000_000 + u64::from(usec), &file[at + 16..at + 16 + len]));
        at += 16 + len;
    }
    assert_eq!(at, file.len(), "no partial record at the end");
    out
}

fn busy(seed: u64, target_bytes: u64) -> (Vec<u8>, BusyTruth) {
    generate(&BusyConfig { seed, target_bytes }).unwrap()
}

/// Whether `value` is within `percent` of `expected`.
fn near(value: u64, expected: u64, percent: u64) -> bool {
    value.abs_diff(expected) * 100 <= expected * percent
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let config = BusyConfig { seed: 7, target_bytes: 1_500_000 };
    let (a, truth) = generate(&config).unwrap();
    assert_eq!((a.len() as u64, truth.file_bytes), (truth.file_bytes, a.len() as u64));
    let mut streamed = Vec::new();
    assert_eq!(generate_to(&config, &mut streamed).unwrap(), truth);
    assert_eq!(a, streamed);
    assert_ne!(a, busy(8, 1_500_000).0);
}

#[test]
fn size_is_reached_and_overshoots_by_at_most_one_visit() {
    for target in [300_000u64, 2_000_000, 12_000_000] {
        let (file, truth) = busy(3, target);
        let len = file.len() as u64;
        assert!(len >= target && len <= target + Plan::new(target).max_visit_bytes + 200_000, "{len} for {target}");
        assert_eq!(truth.packets, records(&file).len() as u64);
    }
}

/// What the frames of a capture carry, counted.
#[derive(Debug, Default)]
struct Mix {
    tagged: u64,
    ipv6: u64,
    quic_initials: u64,
    rtp: u64,
    ntp: u64,
    echo: u64,
    echo6: u64,
    http: u64,
    cname_answers: u64,
}

impl Mix {
    fn udp(&mut self, sport: u16, dport: u16, payload: &[u8]) {
        self.quic_initials += u64::from(dport == 443 && payload[..5] == [0xc3, 0, 0, 0, 1]);
        self.rtp += u64::from(payload.len() == 172 && payload[0] == 0x80);
        self.ntp += u64::from(dport == 123);
        if sport == 53 {
            let message = simple_dns::Packet::parse(payload).unwrap();
            let cname = message.answers.iter().any(|a| matches!(a.rdata, simple_dns::rdata::RData::CNAME(_)));
            self.cname_answers += u64::from(cname);
        }
    }
}

/// Every frame parses with correct checksums, in time order, and the mix is the one promised:
/// TLS hellos a quarter of them over two segments, DNS answers with CNAME chains, HTTP,
/// QUIC Initials, NTP, RTP, ICMP echo, IPv6 and 802.1Q frames.
#[test]
fn frames_are_well_formed_in_time_order_with_the_whole_mix() {
    let (file, truth) = busy(11, 6_000_000);
    let (mut last, mut frame_bytes, mut mix) = (0, 0u64, Mix::default());
    for (i, (ts, frame)) in records(&file).into_iter().enumerate() {
        assert!(ts >= last, "record {i} goes back in time");
        last = ts;
        frame_bytes += frame.len() as u64;
        let packet = SlicedPacket::from_ethernet(frame).unwrap_or_else(|e| panic!("record {i}: {e}"));
        mix.tagged += u64::from(!packet.vlan_ids().is_empty());
        match (&packet.net, &packet.transport) {
            (Some(NetSlice::Ipv4(ip)), Some(transport)) => {
                let header = ip.header().to_header();
                assert_eq!(header.header_checksum, header.calc_header_checksum(), "record {i}");
                match transport {
                    TransportSlice::Tcp(tcp) => {
                        let sum = tcp.to_header().calc_checksum_ipv4(&header, tcp.payload()).unwrap();
                        assert_eq!(tcp.checksum(), sum, "record {i}");
                        mix.http += u64::from(tcp.payload().starts_with(b"GET "));
                    }
                    TransportSlice::Udp(udp) => {
                        let sum = udp.to_header().calc_checksum_ipv4(&header, udp.payload()).unwrap();
                        assert_eq!(udp.checksum(), sum, "record {i}");
                        mix.udp(udp.source_port(), udp.destination_port(), udp.payload());
                    }
                    TransportSlice::Icmpv4(_) => mix.echo += 1,
                    other => panic!("record {i}: {other:?}"),
                }
            }
            (Some(NetSlice::Ipv6(ip)), Some(transport)) => {
                mix.ipv6 += 1;
                let header = ip.header().to_header();
                match transport {
                    TransportSlice::Tcp(tcp) => {
                        let sum = tcp.to_header().calc_checksum_ipv6(&header, tcp.payload()).unwrap();
                        assert_eq!(tcp.checksum(), sum, "record {i}");
                    }
                    TransportSlice::Udp(udp) => {
                        let sum = udp.to_header().calc_checksum_ipv6(&header, udp.payload()).unwrap();
                        assert_eq!(udp.checksum(), sum, "record {i}");
                        mix.udp(udp.source_port(), udp.destination_port(), udp.payload());
                    }
                    TransportSlice::Icmpv6(_) => mix.echo6 += 1,
                    other => panic!("record {i}: {other:?}"),
                }
            }
            other => panic!("record {i}: unexpected {other:?}"),
        }
    }
    assert_eq!((truth.frame_bytes, truth.span_us), (frame_bytes, last - START_US));
    let counts = [mix.tagged, mix.ipv6, mix.rtp, mix.ntp, mix.echo, mix.echo6, mix.http, mix.cname_answers];
    assert!(counts.iter().all(|&n| n > 0), "{mix:?}");
    // Each QUIC connection's client sends two datagrams that start with an Initial packet.
    assert_eq!(truth.flows_by_kind.quic * 2, mix.quic_initials, "{mix:?}");
    let split = truth.split_hellos * 100 / truth.hellos;
    assert!((20..=30).contains(&split), "{split}% of {} hellos over two segments", truth.hellos);
}

/// A hundredth of the gigabyte has about a hundredth of its numbers.
#[test]
fn numbers_scale_with_the_size() {
    let (_, t) = busy(1, 10_000_000);
    let by_kind = t.flows_by_kind;
    let kinds = [by_kind.dns, by_kind.tls, by_kind.quic, by_kind.http, by_kind.ntp, by_kind.ping, by_kind.voice];
    assert_eq!(kinds.iter().sum::<u64>(), t.flows);
    let summary = format!("{t:?}");
    assert!(near(t.packets, 17_900, 12), "{summary}");
    assert!(near(t.file_bytes / t.packets, 558, 12), "{summary}");
    assert!(near(t.flows, 1_260, 12), "{summary}");
    // Small captures have relatively more destinations: fewer visits come back to a service.
    assert!(near(t.destinations, 199, 25), "{summary}");
    assert_eq!(t.clients, 14, "{summary}");
    let v6_percent = t.ipv6_flows * 100 / t.flows;
    assert!((10..=20).contains(&v6_percent), "{v6_percent}% IPv6: {summary}");
    assert!(t.vlan_clients >= 1 && t.vlan_flows > 0, "{summary}");
    assert!(t.named_destinations * 10 >= t.destinations * 9, "{summary}");
}

/// The analysis finds every client, every destination, every flow and every name the truth
/// counted.
#[test]
fn analysis_finds_the_clients_destinations_flows_and_names() {
    let (file, truth) = busy(5, 20_000_000);
    let mut analyzer = Analyzer::new();
    for chunk in file.chunks(1 << 20) {
        analyzer.feed(chunk);
    }
    let analysis = analyzer.finish(None).unwrap();
    assert_eq!((analysis.capture.packets, analysis.capture.bytes), (truth.packets, truth.frame_bytes));
    assert_eq!(analysis.flows.len() as u64, truth.flows);
    // The router only answers (DNS): it is the way out, not a device of its own.
    assert_eq!(analysis.devices.len() as u64, truth.clients);
    assert!(analysis.devices.iter().all(|d| d.mac.is_some() && !d.gateway && d.scan.is_none()));
    let vlan_router = std::net::IpAddr::from([10, 30, 0, 1]);
    assert!(analysis.destinations.iter().any(|d| d.ip == vlan_router && d.scope == Scope::Private));
    let public: Vec<_> = analysis.destinations.iter().filter(|d| d.scope == Scope::Public).collect();
    assert_eq!(public.len() as u64, truth.destinations);
    let named = public.iter().filter(|d| !d.names.is_empty()).count() as u64;
    assert_eq!(named, truth.named_destinations);
    let names: BTreeSet<&str> = public.iter().flat_map(|d| d.names.iter().map(String::as_str)).collect();
    assert_eq!(names.len() as u64, truth.names);
    let v6_flows = analysis.flows.iter().filter(|f| f.server.ip.is_ipv6()).count() as u64;
    assert_eq!(v6_flows, truth.ipv6_flows);
}
