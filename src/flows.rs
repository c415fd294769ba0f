//! The flow table: every IP packet lands in exactly one bidirectional flow.
//!
//! A flow is keyed by protocol and both endpoints (address and port, ports only for TCP and
//! UDP), in either direction. Its client is the initiator: the sender of a TCP SYN, otherwise
//! the first sender, except that a capture starting mid-conversation is recognised when
//! exactly one side uses a well-known service port. Bytes are original frame lengths, as in
//! Wireshark's Conversations view. IP fragments after the first carry no ports; they are tied
//! to their datagram's flow through the fragment identification, so they count there too.

use foldhash::HashMap;
use std::net::IpAddr;

use crate::activity::{Activity, Clock};
use crate::decode::{Fragment, IpPacket, Mac, TcpFlags, Transport};
use crate::rhythm::{Rhythm, SMALL_PACKET};
pub use key::FlowKey;

/// One side of a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Endpoint {
    pub ip: IpAddr,
    /// `None` for protocols without ports.
    pub port: Option<u16>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counters {
    pub packets: u64,
    pub bytes: u64,
}

impl Counters {
    fn add(&mut self, bytes: u32) {
        self.packets += 1;
        self.bytes += bytes as u64;
    }
}

/// Which way a packet went in its flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    ClientToServer,
    ServerToClient,
}

#[derive(Debug, Clone)]
pub struct Flow {
    pub proto: u8,
    pub client: Endpoint,
    pub server: Endpoint,
    pub c2s: Counters,
    pub s2c: Counters,
    pub first_ns: i64,
    pub last_ns: i64,
    /// Union of TCP flag bits seen in either direction.
    pub tcp_flags: u8,
    /// Link-layer addresses the client and server spoke from, when the link has them.
    pub client_mac: Option<Mac>,
    pub server_mac: Option<Mac>,
    /// Rhythm of the client's small packets (heartbeats).
    pub rhythm: Rhythm,
    /// When its packets went, both directions, in the table's time bins.
    pub activity: Activity,
}

impl Flow {
    fn touch(&mut self, ts_ns: i64) {
        self.first_ns = self.first_ns.min(ts_ns);
        self.last_ns = self.last_ns.max(ts_ns);
    }
}

/// The fragments of one datagram that arrived before its first fragment, added up: memory
/// grows with such datagrams, never with their fragments.
#[derive(Debug, Clone)]
struct Orphans {
    first_ns: i64,
    last_ns: i64,
    packets: u64,
    bytes: u64,
    src_mac: Option<Mac>,
    dst_mac: Option<Mac>,
    activity: Activity,
    /// Whether this table counts the datagram's flow (see [`FlowTable::pass`]).
    own: bool,
}

type DatagramId = (IpAddr, IpAddr, u8, u32);

/// Most fragments are followed by the rest of their datagram within milliseconds; beyond this
/// many open datagrams the oldest knowledge is dropped rather than growing without bound, and
/// beyond this many datagrams waiting for their first fragment they are settled as they are.
const MAX_OPEN_DATAGRAMS: usize = 65_536;

/// The flow of a datagram that another table counts (see [`FlowTable::pass`]).
const ELSEWHERE: usize = usize::MAX;

/// When a flow was made: the capture's frame, then its place among the flows made together
/// after that frame (fragments settled at once). Tables that split a capture's flows between
/// them are merged back in this order.
type Born = (u64, u32);

#[derive(Debug, Default)]
pub struct FlowTable {
    index: HashMap<FlowKey, usize>,
    flows: Vec<Flow>,
    datagrams: HashMap<DatagramId, usize>,
    orphans: HashMap<DatagramId, Orphans>,
    /// The flow of the last packet: the next one is often of the same flow (a burst of
    /// segments), which then needs no lookup.
    last: Option<(FlowKey, usize)>,
    /// The capture's time bins, for the flows' activity.
    clock: Clock,
    /// The frame being read, as last given to [`FlowTable::observe`].
    frame: u64,
    /// When each flow was made.
    born: Vec<Born>,
}

/// Ports whose side is the server when a capture starts mid-conversation: the IANA system
/// ports plus the registered ports smart-home devices commonly serve on.
fn is_service_port(port: u16) -> bool {
    port < 1024
        || matches!(
            port,
            1883 | 1900
                | 3478
                | 3479
                | 5222
                | 5223
                | 5228
                | 5349
                | 5353
                | 5355
                | 5683
                | 5684
                | 8008
                | 8009
                | 8080
                | 8443
                | 8883
                | 8888
                | 9000
        )
}

impl FlowTable {
    pub fn flows(&self) -> &[Flow] {
        &self.flows
    }

    /// The flows, and the time bins their activity is counted in.
    pub fn into_flows(self) -> (Vec<Flow>, Clock) {
        let (flows, clock, _) = FlowTable::merge(vec![self]);
        (flows, clock)
    }

    /// Takes the next frame's index and time: the time into the time bins (every packet's,
    /// IP or not, so the bins cover the capture), the index to date the flows it makes.
    pub fn observe(&mut self, frame: u64, ts_ns: i64) {
        self.frame = frame;
        self.clock.observe(ts_ns);
    }

    /// A packet whose flow another table counts, when several tables split a capture's flows
    /// by address pair (each [`FlowTable::observe`]s every frame). Only its fragments are
    /// followed, so that every table keeps the same account of open datagrams and settles
    /// them at the same moments as a single table would.
    pub fn pass(
        &mut self,
        packet: &IpPacket<'_>,
        ts_ns: i64,
        orig_len: u32,
        src_mac: Option<Mac>,
        dst_mac: Option<Mac>,
    ) {
        let Some(Fragment { id, offset, more }) = packet.fragment else { return };
        let datagram = (packet.src, packet.dst, packet.proto, id);
        if offset != 0 {
            self.later_fragment(datagram, more, ts_ns, orig_len, (src_mac, dst_mac), false);
            return;
        }
        self.open_datagram(datagram, ELSEWHERE);
    }

    /// A datagram's first fragment arrived: its later fragments count in `flow`.
    fn open_datagram(&mut self, datagram: DatagramId, flow: usize) {
        if self.datagrams.len() >= MAX_OPEN_DATAGRAMS {
            self.datagrams.clear();
        }
        self.datagrams.insert(datagram, flow);
    }

    /// Accounts one packet. Returns the flow it landed in and its direction.
    pub fn add(
        &mut self,
        packet: &IpPacket<'_>,
        ts_ns: i64,
        orig_len: u32,
        src_mac: Option<Mac>,
        dst_mac: Option<Mac>,
    ) -> Option<(usize, Direction)> {
        self.clock.observe(ts_ns);
        if let Some(Fragment { id, offset, more }) = packet.fragment {
            if offset != 0 {
                let datagram = (packet.src, packet.dst, packet.proto, id);
                return self.later_fragment(datagram, more, ts_ns, orig_len, (src_mac, dst_mac), true);
            }
        }
        let (src_port, dst_port, flags) = match &packet.transport {
            Transport::Tcp(t) => (Some(t.src_port), Some(t.dst_port), t.flags.0),
            Transport::Udp { src_port, dst_port, .. } => (Some(*src_port), Some(*dst_port), 0),
            Transport::Other => (None, None, 0),
        };
        let src = Endpoint { ip: packet.src, port: src_port };
        let dst = Endpoint { ip: packet.dst, port: dst_port };
        let born = (self.frame, 0);
        let flow = self.flow_of(packet.proto, (src, src_mac), (dst, dst_mac), flags, ts_ns, born);
        if let Some(Fragment { id, .. }) = packet.fragment {
            self.open_datagram((packet.src, packet.dst, packet.proto, id), flow);
        }
        Some(self.account(flow, src, ts_ns, orig_len, flags))
    }

    /// A fragment after the first: counted in its datagram's flow when that is known, else
    /// kept until it is (`own`: this table counts the datagram's flow).
    fn later_fragment(
        &mut self,
        datagram: DatagramId,
        more: bool,
        ts_ns: i64,
        orig_len: u32,
        (src_mac, dst_mac): (Option<Mac>, Option<Mac>),
        own: bool,
    ) -> Option<(usize, Direction)> {
        if let Some(flow) = self.datagrams.get(&datagram).copied() {
            if !more {
                self.datagrams.remove(&datagram);
            }
            let sender = Endpoint { ip: datagram.0, port: None };
            return (flow != ELSEWHERE).then(|| self.account(flow, sender, ts_ns, orig_len, 0));
        }
        if self.orphans.len() >= MAX_OPEN_DATAGRAMS && !self.orphans.contains_key(&datagram) {
            self.settle_orphans(self.frame);
        }
        let orphans = self.orphans.entry(datagram).or_insert(Orphans {
            first_ns: ts_ns,
            last_ns: ts_ns,
            packets: 0,
            bytes: 0,
            src_mac,
            dst_mac,
            activity: Activity::default(),
            own,
        });
        orphans.activity.add(&self.clock, ts_ns, 1, u64::from(orig_len));
        orphans.first_ns = orphans.first_ns.min(ts_ns);
        orphans.last_ns = orphans.last_ns.max(ts_ns);
        orphans.packets += 1;
        orphans.bytes += u64::from(orig_len);
        None
    }

    /// The flow of a packet from `src` to `dst` (each with the MAC it was seen with), made
    /// when it is the first: its sender is the client unless the flags or ports say otherwise.
    fn flow_of(
        &mut self,
        proto: u8,
        (src, src_mac): (Endpoint, Option<Mac>),
        (dst, dst_mac): (Endpoint, Option<Mac>),
        flags: u8,
        ts_ns: i64,
        born: Born,
    ) -> usize {
        let key = FlowKey::new(proto, src, dst);
        if let Some((last, flow)) = self.last {
            if last == key {
                return flow;
            }
        }
        if let Some(&flow) = self.index.get(&key) {
            self.last = Some((key, flow));
            return flow;
        }
        let sender_is_client = initiator_is_sender(flags, src.port, dst.port);
        let (client, server, client_mac, server_mac) =
            if sender_is_client { (src, dst, src_mac, dst_mac) } else { (dst, src, dst_mac, src_mac) };
        self.flows.push(Flow {
            proto,
            client,
            server,
            c2s: Counters::default(),
            s2c: Counters::default(),
            first_ns: ts_ns,
            last_ns: ts_ns,
            tcp_flags: 0,
            client_mac,
            server_mac,
            rhythm: Rhythm::default(),
            activity: Activity::default(),
        });
        self.born.push(born);
        self.index.insert(key, self.flows.len() - 1);
        self.last = Some((key, self.flows.len() - 1));
        self.flows.len() - 1
    }

    fn account(&mut self, flow: usize, sender: Endpoint, ts_ns: i64, orig_len: u32, flags: u8) -> (usize, Direction) {
        let f = &mut self.flows[flow];
        f.touch(ts_ns);
        f.tcp_flags |= flags;
        f.activity.add(&self.clock, ts_ns, 1, u64::from(orig_len));
        // A flow between an address and itself (e.g. loopback) has both sides equal: ports
        // then decide, and failing that (a later fragment, which has none) the packet counts
        // client to server.
        let from_client = if f.client.ip != f.server.ip {
            sender.ip == f.client.ip
        } else {
            f.client.port == f.server.port || sender.port.is_none_or(|port| port == f.client.port.unwrap_or(port))
        };
        if from_client {
            f.c2s.add(orig_len);
            if orig_len <= SMALL_PACKET {
                f.rhythm.tick(ts_ns);
            }
            (flow, Direction::ClientToServer)
        } else {
            f.s2c.add(orig_len);
            (flow, Direction::ServerToClient)
        }
    }

    /// Fragments whose first fragment came later (or never): counted in the datagram's flow
    /// if it is known by now, otherwise in a port-less flow of their own, made after `frame`.
    fn settle_orphans(&mut self, frame: u64) {
        let mut waiting: Vec<(DatagramId, Orphans)> = std::mem::take(&mut self.orphans).into_iter().collect();
        // In the order they arrived, so flows are made in the same order on every run (and
        // tables that split the flows number theirs among all).
        waiting.sort_by_key(|((src, dst, proto, id), o)| (o.first_ns, *src, *dst, *proto, *id));
        for (rank, ((src, dst, proto, id), orphans)) in waiting.into_iter().enumerate() {
            if !orphans.own {
                continue;
            }
            let flow = match self.datagrams.get(&(src, dst, proto, id)).copied() {
                Some(flow) => flow,
                None => {
                    let portless = |ip, mac| (Endpoint { ip, port: None }, mac);
                    self.flow_of(
                        proto,
                        portless(src, orphans.src_mac),
                        portless(dst, orphans.dst_mac),
                        0,
                        orphans.first_ns,
                        (frame, rank as u32 + 1),
                    )
                }
            };
            let f = &mut self.flows[flow];
            f.touch(orphans.first_ns);
            f.touch(orphans.last_ns);
            let counters = Counters { packets: orphans.packets, bytes: orphans.bytes };
            let from_client = if f.client.ip != f.server.ip { src == f.client.ip } else { true };
            let side = if from_client { &mut f.c2s } else { &mut f.s2c };
            side.packets += counters.packets;
            side.bytes += counters.bytes;
            f.activity.merge(&orphans.activity, &self.clock);
        }
    }
}

/// Whether the sender of a flow's first packet is its client.
fn initiator_is_sender(tcp_flags: u8, src_port: Option<u16>, dst_port: Option<u16>) -> bool {
    let flags = TcpFlags(tcp_flags);
    if flags.has(TcpFlags::SYN) {
        // A SYN-ACK first means the capture missed the SYN: the receiver initiated.
        return !flags.has(TcpFlags::ACK);
    }
    match (src_port, dst_port) {
        (Some(s), Some(d)) => !is_service_port(s) || is_service_port(d),
        _ => true,
    }
}

mod key;
mod merge;
#[cfg(test)]
mod tests;
