//! Decoder tests on frames built here, one per encapsulation.

use super::*;
use crate::diagnostic::DiagnosticKind;
use etherparse::PacketBuilder;
use std::net::{IpAddr, Ipv4Addr};

const A: [u8; 4] = [192, 168, 1, 10];
const B: [u8; 4] = [180, 76, 76, 76];

fn udp_ip() -> Vec<u8> {
    let mut out = Vec::new();
    PacketBuilder::ipv4(A, B, 64).udp(5000, 9000).write(&mut out, &[7; 20]).unwrap();
    out
}

fn tcp_eth(vlan: Option<u16>) -> Vec<u8> {
    let mut out = Vec::new();
    let eth = PacketBuilder::ethernet2([2, 0, 0, 0, 0, 1], [2, 0, 0, 0, 0, 2]);
    match vlan {
        Some(id) => eth
            .single_vlan(id.try_into().unwrap())
            .ipv4(A, B, 64)
            .tcp(40000, 443, 1234, 1000)
            .syn()
            .write(&mut out, &[])
            .unwrap(),
        None => eth.ipv4(A, B, 64).tcp(40000, 443, 1234, 1000).syn().write(&mut out, &[]).unwrap(),
    }
    out
}

fn expect_udp(d: &Decoded<'_>) {
    let Net::Ip(p) = &d.net else { panic!("not IP: {d:?}") };
    assert_eq!(p.src, IpAddr::V4(Ipv4Addr::from(A)));
    assert_eq!(p.dst, IpAddr::V4(Ipv4Addr::from(B)));
    match &p.transport {
        Transport::Udp { src_port: 5000, dst_port: 9000, payload } => assert_eq!(payload.len(), 20),
        other => panic!("wrong transport {other:?}"),
    }
}

#[test]
fn ethernet_and_vlan_tcp() {
    for vlan in [None, Some(42)] {
        let frame = tcp_eth(vlan);
        let d = decode(LinkType::ETHERNET, &frame).unwrap();
        assert_eq!(d.src_mac.unwrap().to_string(), "02:00:00:00:00:01");
        let Net::Ip(p) = d.net else { panic!() };
        let Transport::Tcp(t) = p.transport else { panic!() };
        assert_eq!((t.src_port, t.dst_port, t.seq), (40000, 443, 1234));
        assert!(t.flags.has(TcpFlags::SYN) && !t.flags.has(TcpFlags::ACK));
    }
}

#[test]
fn qinq_pppoe_mpls_sll2_null_raw() {
    let ip = udp_ip();
    // QinQ: 0x88a8 outer, 0x8100 inner.
    let mut qinq = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x88, 0xa8, 0, 10, 0x81, 0x00, 0, 20, 0x08, 0x00];
    qinq.extend(&ip);
    expect_udp(&decode(LinkType::ETHERNET, &qinq).unwrap());
    // PPPoE session inside Ethernet.
    let mut pppoe = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x88, 0x64, 0x11, 0, 0, 1, 0, 0, 0x00, 0x21];
    pppoe.extend(&ip);
    expect_udp(&decode(LinkType::ETHERNET, &pppoe).unwrap());
    // Two MPLS labels.
    let mut mpls = vec![2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x88, 0x47, 0, 1, 0, 64, 0, 2, 1, 64];
    mpls.extend(&ip);
    expect_udp(&decode(LinkType::ETHERNET, &mpls).unwrap());
    // Linux cooked v2.
    let mut sll2 = vec![0x08, 0x00, 0, 0, 0, 0, 0, 3, 0, 1, 0, 6, 2, 0, 0, 0, 0, 9, 0, 0];
    sll2.extend(&ip);
    let d = decode(LinkType::LINUX_SLL2, &sll2).unwrap();
    assert_eq!(d.src_mac, Some(Mac([2, 0, 0, 0, 0, 9])));
    expect_udp(&d);
    // BSD null in either byte order, and OpenBSD loop.
    for head in [[2, 0, 0, 0], [0, 0, 0, 2]] {
        let mut null = head.to_vec();
        null.extend(&ip);
        expect_udp(&decode(LinkType::NULL, &null).unwrap());
    }
    let mut lo = vec![0, 0, 0, 2];
    lo.extend(&ip);
    expect_udp(&decode(LinkType::LOOP, &lo).unwrap());
    for lt in [LinkType::RAW, LinkType::RAW_12, LinkType::RAW_14, LinkType::IPV4] {
        expect_udp(&decode(lt, &ip).unwrap());
    }
}

#[test]
fn tunnels_yield_the_inner_packet() {
    let inner = udp_ip();
    // IP-in-IP.
    let mut ipip = Vec::new();
    PacketBuilder::ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64).write(&mut ipip, etherparse::IpNumber(4), &inner).unwrap();
    expect_udp(&decode(LinkType::RAW, &ipip).unwrap());
    // GRE with a key, carrying IPv4.
    let mut gre_payload = vec![0x20, 0x00, 0x08, 0x00, 0, 0, 0, 7];
    gre_payload.extend(&inner);
    let mut gre = Vec::new();
    PacketBuilder::ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64)
        .write(&mut gre, etherparse::IpNumber(47), &gre_payload)
        .unwrap();
    expect_udp(&decode(LinkType::RAW, &gre).unwrap());
    // VXLAN carrying Ethernet.
    let mut vx_payload = vec![0x08, 0, 0, 0, 0, 0, 1, 0];
    vx_payload.extend([2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00]);
    vx_payload.extend(&inner);
    let mut vx = Vec::new();
    PacketBuilder::ipv4([10, 0, 0, 1], [10, 0, 0, 2], 64).udp(55555, 4789).write(&mut vx, &vx_payload).unwrap();
    expect_udp(&decode(LinkType::RAW, &vx).unwrap());
}

#[test]
fn fragments_snaplen_and_garbage() {
    // A non-first IPv4 fragment: no ports, but a fragment id.
    let mut frag = udp_ip();
    frag[6] = 0x00;
    frag[7] = 0x10; // offset 16 * 8 bytes
    frag[4] = 0x12;
    frag[5] = 0x34;
    let Net::Ip(p) = decode(LinkType::RAW, &frag).unwrap().net else { panic!() };
    assert_eq!(p.fragment, Some(Fragment { id: 0x1234, offset: 16, more: false }));
    assert!(matches!(p.transport, Transport::Other));
    // Cut by the snapshot length inside the TCP payload: still decodes.
    let mut big = Vec::new();
    PacketBuilder::ethernet2([2; 6], [4; 6]).ipv4(A, B, 64).tcp(1, 80, 0, 10).write(&mut big, &[0; 1000]).unwrap();
    let Net::Ip(p) = decode(LinkType::ETHERNET, &big[..100]).unwrap().net else { panic!() };
    assert!(matches!(p.transport, Transport::Tcp(_)));
    // Garbage never panics, whatever the link type.
    let mut x: u32 = 1;
    for len in 0..200 {
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                (x >> 24) as u8
            })
            .collect();
        for lt in [0, 1, 9, 12, 14, 51, 101, 108, 113, 228, 229, 276, 999] {
            let _ = decode(LinkType(lt), &bytes);
        }
    }
    assert_eq!(decode(LinkType(147), &[0; 40]).unwrap_err().kind, DiagnosticKind::UnsupportedLinkType);
}

#[test]
fn macs_read_back_as_they_are_written() {
    let mac = Mac([0x00, 0x11, 0x2f, 0x8f, 0xa0, 0x76]);
    assert_eq!(mac.to_string(), "00:11:2f:8f:a0:76");
    assert_eq!(Mac([0xff, 0xa0, 0x0b, 0x10, 0x09, 0xc3]).to_string(), "ff:a0:0b:10:09:c3");
    assert_eq!(mac.to_string().parse::<Mac>(), Ok(mac));
    assert_eq!("0A:00:27:00:00:00".parse::<Mac>(), Ok(Mac([0x0a, 0, 0x27, 0, 0, 0])));
    for bad in ["", "00:11:2f:8f:a0", "00:11:2f:8f:a0:76:01", "00:11:2f:8f:a0:zz", "00-11-2f-8f-a0-76"] {
        assert_eq!(bad.parse::<Mac>(), Err(format!("'{bad}' is not a MAC address")), "{bad}");
    }
}

#[test]
fn sequence_numbers_compare_across_the_wrap() {
    assert_eq!(seq_order(1000, 1000), SeqOrder::Next);
    assert_eq!(seq_order(1001, 1000), SeqOrder::Ahead);
    assert_eq!(seq_order(999, 1000), SeqOrder::Behind);
    // Just past the wrap is ahead of just before it, and the other way round is behind.
    assert_eq!(seq_order(5, u32::MAX - 5), SeqOrder::Ahead);
    assert_eq!(seq_order(u32::MAX - 5, 5), SeqOrder::Behind);
    // Half the number space away or more counts as behind.
    assert_eq!(seq_order(1000u32.wrapping_add(u32::MAX / 2), 1000), SeqOrder::Behind);
    assert_eq!(seq_order(1000 + (u32::MAX / 2 - 1), 1000), SeqOrder::Ahead);
}
