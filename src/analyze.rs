//! The push API over the whole core: feed capture bytes in chunks of any size, then finish
//! to get the [`Analysis`]. The analysis is the same for every viewer: nothing here knows a
//! home country (verdicts are `report::verdict`'s).
//!
//! Per packet: the capture reader yields a frame, the decoder turns it into an IP packet, the
//! flow table counts it, and the first bytes of each conversation are shown to the name
//! probes (DNS, DHCP, TLS SNI, HTTP Host; and mDNS, SSDP, NetBIOS for what devices call
//! themselves). Everything is kept as compact facts; the report is built once, at the end.

use foldhash::{HashMap, HashSet};
use std::collections::hash_map::Entry;
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

use crate::capture::{CaptureReader, Frame, LinkType, Sink};
use crate::decode::{decode, seq_order, Mac, Net, SeqOrder, TcpFlags, TcpSegment, Transport};
use crate::diagnostic::DiagnosticKind;
use crate::flows::{Direction, FlowTable};
use crate::geo::Table;
use crate::names::answers::AnswerBook;
use crate::names::device::DeviceNameBook;
use crate::names::quic::{self, InitialProbe};
use crate::names::{dhcp, dns, http, starttls, tls, Probe};
use crate::report::build::{build, FoundIn};
use crate::report::model::Analysis;
use shard::Shard;

mod facts;
mod shard;

/// Why nothing at all could be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FatalError {
    pub message: String,
}

impl std::fmt::Display for FatalError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FatalError {}

/// How far the analysis has got.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Bytes passed to [`Analyzer::feed`] (compressed bytes for compressed captures).
    pub bytes_in: u64,
    /// Packet records read so far.
    pub packets: u64,
}

/// Streaming analysis of one capture.
#[derive(Default)]
pub struct Analyzer {
    bytes_in: u64,
    reader: CaptureReader,
    facts: Collector,
}

impl Analyzer {
    pub fn new() -> Self {
        Analyzer::default()
    }

    /// Feeds the next bytes of the capture. Never fails: problems become diagnostics, and a
    /// stream that is not a capture at all is reported by [`Analyzer::finish`].
    pub fn feed(&mut self, chunk: &[u8]) {
        self.bytes_in += chunk.len() as u64;
        self.reader.feed(chunk, &mut self.facts);
    }

    pub fn progress(&self) -> Progress {
        Progress { bytes_in: self.bytes_in, packets: self.reader.packets() }
    }

    /// Whether the input so far is already known not to be a capture (the caller can stop
    /// reading early).
    pub fn rejected(&self) -> Option<&str> {
        self.reader.not_a_capture()
    }

    /// Analyzer `index` of `count` that each read the whole capture and share the work by
    /// address pair: each counts the flows of its pairs (and names them), the first also
    /// everything that is not a flow's. Fed the same bytes on threads of their own, they are
    /// finished together by [`Analyzer::finish_shards`] into the analysis one analyzer gives.
    pub fn shard(index: usize, count: usize) -> Analyzer {
        let mut analyzer = Analyzer::new();
        analyzer.facts.shard = Shard::new(index, count);
        analyzer
    }

    /// Ends the stream and builds the analysis, with AS, organisation, country and device
    /// makers from `geo` (none without a table). Errs only when nothing could be read at all.
    pub fn finish(self, geo: Option<&Table<'_>>) -> Result<Analysis, FatalError> {
        Analyzer::finish_shards(vec![self], geo)
    }

    /// Ends the streams of analyzers made by [`Analyzer::shard`] (all of one count, in index
    /// order) and builds their one analysis, as [`Analyzer::finish`] does for one.
    pub fn finish_shards(shards: Vec<Analyzer>, geo: Option<&Table<'_>>) -> Result<Analysis, FatalError> {
        let mut collectors = Vec::with_capacity(shards.len());
        let mut first = None;
        for mut shard in shards {
            shard.reader.finish(&mut shard.facts);
            collectors.push(shard.facts);
            first.get_or_insert(shard.reader);
        }
        let Some(reader) = first else {
            return Err(FatalError { message: "nothing was read".into() });
        };
        if let Some(why) = reader.not_a_capture() {
            return Err(FatalError { message: why.to_string() });
        }
        if let Some(problem) = reader.problem() {
            let message = format!(
                "{} (after packet {}, at byte {}); the report covers everything before it",
                problem.message, problem.after_packet, problem.offset
            );
            collectors[0].note(problem.kind, problem.after_packet + 1, message);
        }
        let format = reader.format_name().unwrap_or_else(|| "unknown".into());
        Ok(build(Collector::into_facts(collectors, format), geo))
    }
}

/// Ports whose UDP payload is DNS-shaped: DNS, mDNS, LLMNR.
const DNS_PORTS: [u16; 3] = [DNS_PORT, 5353, 5355];
/// DNS, whose answers over TCP are read too.
const DNS_PORT: u16 = 53;
const DHCP_PORTS: [u16; 2] = [67, 68];
/// Client segments looked at per TCP flow before giving up on naming it from its payload.
const MAX_PROBE_SEGMENTS: u8 = 12;

/// Reassembly of a client's first bytes, for the SNI and Host probes.
#[derive(Debug)]
enum StreamProbe {
    Tls {
        next_seq: u32,
        bytes: Vec<u8>,
        segments: u8,
    },
    Http {
        next_seq: u32,
        bytes: Vec<u8>,
        segments: u8,
    },
    /// Command lines of a protocol that may start TLS in the stream (STARTTLS).
    Commands {
        next_seq: u32,
        bytes: Vec<u8>,
        segments: u8,
    },
    Done,
}

struct DiagnosticCount {
    count: u64,
    first_packet: u64,
    message: String,
}

/// Everything learnt while reading, before the report is assembled.
#[derive(Default)]
struct Collector {
    /// Which flows this collector counts, and whether it also takes what is not a flow's.
    shard: Shard,
    flows: FlowTable,
    probes: HashMap<usize, StreamProbe>,
    /// QUIC flows still being read for their ClientHello; `None` once done.
    quic: HashMap<usize, Option<InitialProbe>>,
    flow_names: HashMap<usize, (String, FoundIn)>,
    /// Flows whose client asked for TLS in a plain-text protocol (STARTTLS).
    upgraded: HashSet<usize>,
    dns: AnswerBook,
    /// DNS over TCP: the answering side of each such flow.
    dns_streams: HashMap<usize, dns::TcpAnswers>,
    /// The address each DHCP client has, asks for or is given.
    leases: BTreeMap<Mac, Option<IpAddr>>,
    /// What devices call themselves (DHCP, mDNS, SSDP, NetBIOS), by sender.
    device_names: DeviceNameBook,
    arp: BTreeSet<(Mac, IpAddr)>,
    packets: u64,
    bytes: u64,
    first_ns: Option<i64>,
    last_ns: Option<i64>,
    non_ip: u64,
    link_types: BTreeSet<LinkType>,
    /// By kind, and for unsupported link types also by type, so each is counted apart.
    diagnostics: BTreeMap<(DiagnosticKind, String), DiagnosticCount>,
}

impl Sink for Collector {
    fn frame(&mut self, frame: Frame<'_>) {
        let whole = self.shard.takes_all_frames();
        if whole {
            self.packets += 1;
            self.bytes += frame.orig_len as u64;
            self.first_ns = Some(self.first_ns.map_or(frame.ts_ns, |t| t.min(frame.ts_ns)));
            self.last_ns = Some(self.last_ns.map_or(frame.ts_ns, |t| t.max(frame.ts_ns)));
            self.link_types.insert(frame.link_type);
        }
        // Every frame's time counts in the time bins, IP or not (a packet inside them costs one
        // comparison; the flow table takes its packets in again, which then costs as little).
        self.flows.observe(frame.index, frame.ts_ns);
        let decoded = match decode(frame.link_type, frame.data) {
            Ok(decoded) => decoded,
            Err(issue) if whole => return self.note(issue.kind, frame.index, issue.message),
            Err(_) => return,
        };
        let packet = match decoded.net {
            Net::Ip(packet) => packet,
            _ if !whole => return,
            Net::NotIp => return self.non_ip += 1,
            Net::Arp { sender_mac, sender_ip } => {
                self.non_ip += 1;
                if !sender_ip.is_unspecified() {
                    self.arp.insert((sender_mac, sender_ip));
                }
                return;
            }
        };
        if let (true, Transport::Udp { src_port, dst_port, payload }) = (whole, &packet.transport) {
            self.device_datagram((packet.src, decoded.src_mac), (*src_port, *dst_port), payload);
        }
        if !self.shard.owns(&packet) {
            self.flows.pass(&packet, frame.ts_ns, frame.orig_len, decoded.src_mac, decoded.dst_mac);
            return;
        }
        let landed = self.flows.add(&packet, frame.ts_ns, frame.orig_len, decoded.src_mac, decoded.dst_mac);
        let at = (frame.index, frame.ts_ns);
        match &packet.transport {
            Transport::Udp { src_port, dst_port, payload } => {
                if DNS_PORTS.contains(src_port) || DNS_PORTS.contains(dst_port) {
                    self.add_answers(dns::answers(payload), at);
                }
                // Only long-header packets (first two bits set) can open a QUIC
                // connection: the rest never reach the map.
                let long_header = payload.first().is_some_and(|b| b & 0xC0 == 0xC0);
                if let (true, Some((flow, Direction::ClientToServer))) = (long_header, landed) {
                    self.probe_quic(flow, payload);
                }
            }
            Transport::Tcp(segment) => self.tcp_segment(landed, segment, at),
            Transport::Other => {}
        }
    }

    fn notice(&mut self, kind: DiagnosticKind, packet: u64, message: String) {
        if self.shard.takes_all_frames() {
            self.note(kind, packet, message);
        }
    }
}

impl Collector {
    fn note(&mut self, kind: DiagnosticKind, packet: u64, message: String) {
        let detail = if kind == DiagnosticKind::UnsupportedLinkType { message.clone() } else { String::new() };
        self.diagnostics.entry((kind, detail)).and_modify(|d| d.count += 1).or_insert(DiagnosticCount {
            count: 1,
            first_packet: packet,
            message,
        });
    }

    /// What a UDP payload from an address (and the MAC it came from, if the link has MACs)
    /// says of devices: DHCP leases, and the names devices give themselves.
    fn device_datagram(&mut self, from: (IpAddr, Option<Mac>), (src_port, dst_port): (u16, u16), payload: &[u8]) {
        if DHCP_PORTS.contains(&src_port) && DHCP_PORTS.contains(&dst_port) {
            if let Some(lease) = dhcp::lease(payload) {
                self.device_names.lease(&lease);
                let entry = self.leases.entry(lease.mac).or_default();
                if let Some(ip) = lease.ip {
                    *entry = Some(IpAddr::V4(ip));
                }
            }
        }
        self.device_names.datagram(from.0, from.1, (src_port, dst_port), payload);
    }

    /// The client's first bytes name the flow (TLS SNI, HTTP Host); a DNS server's bytes name
    /// the addresses in its answers.
    fn tcp_segment(&mut self, landed: Option<(usize, Direction)>, segment: &TcpSegment<'_>, at: (u64, i64)) {
        match landed {
            Some((flow, Direction::ClientToServer))
                if !segment.payload.is_empty() || segment.flags.has(TcpFlags::SYN) =>
            {
                self.probe_stream(flow, segment.seq, segment.flags, segment.payload);
            }
            Some((flow, Direction::ServerToClient)) if segment.src_port == DNS_PORT => {
                let syn = segment.flags.has(TcpFlags::SYN);
                let answers = self.dns_streams.entry(flow).or_default().segment(segment.seq, syn, segment.payload);
                self.add_answers(answers, at);
            }
            _ => {}
        }
    }

    /// The answers of one frame (index and time).
    fn add_answers(&mut self, answers: Vec<dns::Answer>, (frame, ts_ns): (u64, i64)) {
        for (i, answer) in answers.into_iter().enumerate() {
            // Where in the capture: the frame, then the answer's place in it.
            let seen = frame << 16 | (i as u64).min(0xFFFF);
            self.dns.add(answer.ip, answer.name, ts_ns, seen);
        }
    }

    /// Follows the client's byte stream of a TCP flow until a name is found or it is clear
    /// that none will be. Only in-order bytes are used; a gap ends the search.
    fn probe_stream(&mut self, flow: usize, seq: u32, flags: TcpFlags, payload: &[u8]) {
        let probe = self.probes.entry(flow).or_insert_with(|| StreamProbe::Tls {
            next_seq: seq.wrapping_add(flags.has(TcpFlags::SYN) as u32),
            bytes: Vec::new(),
            segments: 0,
        });
        let (next_seq, bytes, segments) = match probe {
            StreamProbe::Done => return,
            StreamProbe::Tls { next_seq, bytes, segments }
            | StreamProbe::Http { next_seq, bytes, segments }
            | StreamProbe::Commands { next_seq, bytes, segments } => (next_seq, bytes, segments),
        };
        if payload.is_empty() {
            return;
        }
        if bytes.is_empty() && seq != *next_seq {
            // The SYN was not seen (or this is a retransmission mix-up): start here.
            *next_seq = seq;
        }
        match seq_order(seq, *next_seq) {
            SeqOrder::Next => {}
            SeqOrder::Ahead => {
                *probe = StreamProbe::Done; // a gap: bytes are missing
                return;
            }
            SeqOrder::Behind => return, // an old retransmission
        }
        bytes.extend_from_slice(payload);
        *next_seq = seq.wrapping_add(payload.len() as u32);
        *segments += 1;
        let give_up = *segments >= MAX_PROBE_SEGMENTS;
        let is_first = *segments == 1;
        if is_first && !tls::looks_like_tls(bytes) {
            let taken = std::mem::take(bytes);
            *probe = if http::looks_like_http(&taken) {
                StreamProbe::Http { next_seq: *next_seq, bytes: taken, segments: 1 }
            } else if starttls::looks_like_commands(&taken) {
                StreamProbe::Commands { next_seq: *next_seq, bytes: taken, segments: 1 }
            } else {
                StreamProbe::Done
            };
        }
        if let StreamProbe::Commands { next_seq, bytes, segments } = probe {
            // After the line that asks for TLS, the client's next bytes are its ClientHello.
            *probe = match starttls::upgrade_at(bytes) {
                Some(at) => {
                    self.upgraded.insert(flow);
                    StreamProbe::Tls { next_seq: *next_seq, bytes: bytes.split_off(at), segments: *segments }
                }
                None if give_up || bytes.len() > starttls::MAX_DIALOGUE_LEN => StreamProbe::Done,
                None => return,
            };
            if matches!(probe, StreamProbe::Tls { bytes, .. } if bytes.is_empty()) {
                return;
            }
        }
        let (result, source) = match probe {
            StreamProbe::Tls { bytes, .. } => (tls::client_hello_sni(bytes), FoundIn::Sni),
            StreamProbe::Http { bytes, .. } => (http::request_host(bytes), FoundIn::Http),
            StreamProbe::Commands { .. } | StreamProbe::Done => return,
        };
        match result {
            Probe::Found(name) => {
                self.flow_names.insert(flow, (name, source));
                *probe = StreamProbe::Done;
            }
            Probe::No => *probe = StreamProbe::Done,
            Probe::NeedMore if give_up => *probe = StreamProbe::Done,
            Probe::NeedMore => {}
        }
    }

    /// Reads a QUIC client's Initial packets until its ClientHello names the server or it is
    /// clear that it will not.
    fn probe_quic(&mut self, flow: usize, datagram: &[u8]) {
        let probe = match self.quic.entry(flow) {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => entry.insert(quic::looks_like_quic(datagram).then(InitialProbe::default)),
        };
        let Some(reading) = probe else { return };
        match reading.datagram(datagram) {
            Probe::Found(name) => {
                self.flow_names.insert(flow, (name, FoundIn::Quic));
                *probe = None;
            }
            Probe::No => *probe = None,
            Probe::NeedMore => {}
        }
    }
}
