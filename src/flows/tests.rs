//! The flow table's tests: directions, mid-stream starts, fragments in any order.

use super::*;
use crate::decode::TcpSegment;

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

fn tcp<'a>(src: &str, sp: u16, dst: &str, dp: u16, flags: u8) -> IpPacket<'a> {
    IpPacket {
        src: ip(src),
        dst: ip(dst),
        proto: 6,
        fragment: None,
        transport: Transport::Tcp(TcpSegment {
            src_port: sp,
            dst_port: dp,
            seq: 0,
            flags: TcpFlags(flags),
            payload: &[],
        }),
    }
}

fn udp<'a>(src: &str, sp: u16, dst: &str, dp: u16) -> IpPacket<'a> {
    IpPacket {
        src: ip(src),
        dst: ip(dst),
        proto: 17,
        fragment: None,
        transport: Transport::Udp { src_port: sp, dst_port: dp, payload: &[] },
    }
}

#[test]
fn syn_sender_is_client_and_directions_count() {
    let mut t = FlowTable::default();
    t.add(&tcp("10.0.0.2", 40000, "1.1.1.1", 443, TcpFlags::SYN), 5, 60, None, None);
    t.add(&tcp("1.1.1.1", 443, "10.0.0.2", 40000, TcpFlags::SYN | TcpFlags::ACK), 6, 60, None, None);
    t.add(&tcp("10.0.0.2", 40000, "1.1.1.1", 443, TcpFlags::ACK), 7, 54, None, None);
    let flows = t.into_flows().0;
    assert_eq!(flows.len(), 1);
    let f = &flows[0];
    assert_eq!(f.client.ip, ip("10.0.0.2"));
    assert_eq!(f.server.port, Some(443));
    assert_eq!((f.c2s.packets, f.c2s.bytes, f.s2c.packets, f.s2c.bytes), (2, 114, 1, 60));
    assert_eq!((f.first_ns, f.last_ns), (5, 7));
    assert_eq!(f.tcp_flags, TcpFlags::SYN | TcpFlags::ACK);
}

#[test]
fn mid_stream_uses_service_port_and_syn_ack_means_receiver() {
    let mut t = FlowTable::default();
    t.add(&tcp("1.1.1.1", 443, "10.0.0.2", 40000, TcpFlags::ACK), 1, 60, None, None);
    t.add(&tcp("1.1.1.1", 80, "10.0.0.2", 40001, TcpFlags::SYN | TcpFlags::ACK), 1, 60, None, None);
    t.add(&udp("8.8.8.8", 53, "10.0.0.2", 5000), 1, 80, None, None);
    t.add(&udp("10.0.0.2", 5353, "224.0.0.251", 5353), 1, 80, None, None);
    t.add(&udp("10.0.0.2", 50000, "180.76.76.76", 7000), 1, 80, None, None);
    let servers: Vec<_> = t.into_flows().0.iter().map(|f| f.server.ip.to_string()).collect();
    assert_eq!(servers, ["1.1.1.1", "1.1.1.1", "8.8.8.8", "224.0.0.251", "180.76.76.76"]);
}

#[test]
fn fragments_join_their_datagram_in_any_order() {
    let mut t = FlowTable::default();
    let mut first = udp("10.0.0.2", 5000, "1.2.3.4", 9999);
    first.fragment = Some(Fragment { id: 77, offset: 0, more: true });
    let rest = IpPacket {
        src: ip("10.0.0.2"),
        dst: ip("1.2.3.4"),
        proto: 17,
        fragment: Some(Fragment { id: 77, offset: 185, more: false }),
        transport: Transport::Other,
    };
    // The tail arrives first, then the head, then an unrelated orphan.
    assert!(t.add(&rest, 1, 500, None, None).is_none());
    t.add(&first, 2, 1514, None, None);
    let mut stray = rest.clone();
    stray.fragment = Some(Fragment { id: 99, offset: 10, more: false });
    t.add(&stray, 3, 100, None, None);
    let (flows, clock) = t.into_flows();
    assert_eq!(flows.len(), 2);
    assert_eq!((flows[0].c2s.packets, flows[0].c2s.bytes, flows[0].first_ns), (2, 2014, 1));
    assert_eq!((flows[1].client.port, flows[1].c2s.bytes), (None, 100));
    // The orphan's packets are in its flow's activity as well as in its counters.
    for f in &flows {
        let bins = f.activity.bins(&clock);
        let (packets, bytes) = bins.iter().fold((0, 0), |(p, b), bin| (p + bin.packets, b + bin.bytes));
        assert_eq!((packets, bytes), (f.c2s.packets + f.s2c.packets, f.c2s.bytes + f.s2c.bytes));
    }
}
