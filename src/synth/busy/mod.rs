//! A busy gateway's capture: the LAN side of a router in front of about 1,500 clients, sized
//! by bytes, for benchmarks and scale tests. A gigabyte holds about 1.8 million packets (about
//! 560 bytes each in the file), 126,000 flows, 20,000 remote destinations and 1,500 clients;
//! smaller or larger captures scale all of these with their size.
//!
//! Each client has its own MAC and a private IPv4 address; three in five also have a global
//! IPv6 address from the ISP prefix, and one in 33 sits behind VLAN 30 (802.1Q). They visit
//! Internet services one after another: a DNS lookup first (the router or a public resolver
//! answers, often through a CNAME chain; cached for a minute), then TLS on 443 with a real
//! ClientHello naming the service (a quarter of them over two TCP segments), QUIC-like UDP on
//! 443 (long-header Initial packets that are not decryptable, then short-header ones), plain
//! HTTP with `Host`, NTP, ICMP echo, or an RTP-like voice call of small packets every 20 ms to
//! an address no DNS answer names. About 15% of the flows are IPv6. Some clients and
//! services are far busier than others, and services first used late in the capture appear
//! only then.
//!
//! Same seed and size, same bytes ([`super::Rng`]). Visits are made in time order and their
//! frames kept in a [`Round`] only until no later visit can come before them, so memory stays
//! bounded by the conversations still going (a few megabytes), never by the file.
//! [`BusyTruth`] counts what was written, recorded while generating.
//!
//! Layout: [`population`] the router, clients and services; `visits` DNS, TLS and HTTP;
//! `media` QUIC, NTP, ICMP echo and voice.

mod media;
mod population;
mod visits;

use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::net::IpAddr;

use super::capture::{PcapWriter, Round};
use super::rng::Rng;
use population::{AddressPool, Client, Router, Service};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusyConfig {
    pub seed: u64,
    /// The file grows until it has at least this many bytes; it overshoots by at most one
    /// visit (a few megabytes for a gigabyte, a fortieth of the size for small ones).
    pub target_bytes: u64,
}

impl Default for BusyConfig {
    fn default() -> Self {
        BusyConfig { seed: 1, target_bytes: 1_000_000_000 }
    }
}

/// What the generated capture holds, counted while it was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BusyTruth {
    /// Packet records in the file, the sum of their frame lengths, and the file's size.
    pub packets: u64,
    pub frame_bytes: u64,
    pub file_bytes: u64,
    /// Flows: packets sharing protocol and both endpoints (addresses, and ports for TCP and
    /// UDP), as the analysis groups them. Every flow has its own such key.
    pub flows: u64,
    pub flows_by_kind: FlowsByKind,
    pub ipv6_flows: u64,
    /// Flows of the clients behind the VLAN (their frames carry the 802.1Q tag).
    pub vlan_flows: u64,
    /// Clients that sent anything (each has its own MAC), and of them those behind the VLAN.
    pub clients: u64,
    pub vlan_clients: u64,
    /// Distinct public addresses the clients exchanged packets with.
    pub destinations: u64,
    /// Of those, the ones a DNS answer before the flow, a TLS SNI or an HTTP Host names.
    pub named_destinations: u64,
    /// Distinct names the named destinations have (each has exactly one).
    pub names: u64,
    /// TLS ClientHellos, and those spread over two TCP segments.
    pub hellos: u64,
    pub split_hellos: u64,
    /// Time from the first packet to the last, in microseconds.
    pub span_us: u64,
}

/// Flows of each kind; they add up to [`BusyTruth::flows`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FlowsByKind {
    pub dns: u64,
    pub tls: u64,
    pub quic: u64,
    pub http: u64,
    pub ntp: u64,
    pub ping: u64,
    pub voice: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum FlowKind {
    Dns,
    Tls,
    Quic,
    Http,
    Ntp,
    Ping,
    Voice,
}

/// Streams the capture into `out`; returns what it holds.
pub fn generate_to<W: Write>(config: &BusyConfig, out: W) -> io::Result<BusyTruth> {
    let plan = Plan::new(config.target_bytes);
    let mut rng = Rng::new(config.seed);
    let router = population::router(&mut rng.fork(1));
    let mut noise = vec![0u8; NOISE_LEN];
    rng.fork(2).fill(&mut noise);
    let mut gateway = Gateway {
        rng: rng.fork(3),
        router,
        clients: Vec::new(),
        services: Vec::new(),
        web: Vec::new(),
        ntp: Vec::new(),
        relays: Vec::new(),
        addresses: AddressPool::new(),
        round: Round::new(),
        tally: Tally::default(),
        dns_cache: HashMap::new(),
        pinged: HashSet::new(),
        noise,
        plan,
        client_intro: Introducer { total: plan.clients, introduced: 0 },
        web_intro: Introducer { total: plan.web_services, introduced: 0 },
        ntp_intro: Introducer { total: population::NTP_NAMES.len() as u32, introduced: 0 },
        relay_intro: Introducer { total: plan.relays, introduced: 0 },
    };
    let mut writer = PcapWriter::new(out)?;
    let mut t = START_US;
    let mut kept = 0;
    loop {
        let written = writer.file_bytes + gateway.round.file_bytes();
        if written >= plan.target_bytes {
            break;
        }
        let visits_left = (plan.target_bytes - written) / VISIT_BYTES + 1;
        gateway.visit(t, visits_left)?;
        t += gateway.rng.between(0, 2 * plan.gap_us);
        // Every later visit starts at `t` or after: what comes before is final. Flushing only
        // once the buffer has doubled keeps the copying of the frames kept linear.
        if gateway.round.buffered() >= 2 * kept + FLUSH_BYTES {
            gateway.round.flush_before(t, &mut writer)?;
            kept = gateway.round.buffered();
        }
    }
    gateway.round.flush(&mut writer)?;
    let mut truth = gateway.tally.truth();
    truth.packets = writer.packets;
    truth.frame_bytes = writer.frame_bytes;
    truth.file_bytes = writer.file_bytes;
    truth.span_us = writer.last_ts_us.saturating_sub(START_US);
    writer.finish()?;
    Ok(truth)
}

/// The whole capture in memory, and what it holds.
pub fn generate(config: &BusyConfig) -> io::Result<(Vec<u8>, BusyTruth)> {
    let mut out = Vec::with_capacity(config.target_bytes.min(1 << 30) as usize + (1 << 20));
    let truth = generate_to(config, &mut out)?;
    Ok((out, truth))
}

/// 2024-03-09 18:00:00 UTC, in microseconds.
const START_US: u64 = 1_710_007_200_000_000;
/// Per gigabyte of capture: the clients and the web services they reach (a service has one to
/// four IPv4 addresses, so a few more destinations than services are contacted).
const CLIENTS_PER_GB: u64 = 1_484;
const WEB_SERVICES_PER_GB: u64 = 15_700;
/// Voice relays per gigabyte: one for every this many web services, at least one.
const SERVICES_PER_RELAY: u64 = 40;
/// What a visit adds to the file on average, and how many bytes a second the gateway carries:
/// together they space the visits (a gigabyte spans about 14 minutes).
const VISIT_BYTES: u64 = 15_300;
const BYTES_PER_SECOND: u64 = 1_250_000;
/// Buffered frame bytes that trigger writing out what is final.
const FLUSH_BYTES: usize = 4 << 20;
const NOISE_LEN: usize = 256 * 1024;

/// The sizes that follow from the target.
#[derive(Debug, Clone, Copy)]
struct Plan {
    target_bytes: u64,
    clients: u32,
    web_services: u32,
    relays: u32,
    /// Visits expected in all.
    visits: u64,
    /// Mean time between two visits' starts.
    gap_us: u64,
    /// No visit adds more than this (bulk downloads and calls are cut to it).
    max_visit_bytes: u64,
}

impl Plan {
    fn new(target_bytes: u64) -> Plan {
        let per_gb = |n: u64| ((u128::from(n) * u128::from(target_bytes)) / 1_000_000_000) as u64;
        let web_services = per_gb(WEB_SERVICES_PER_GB).max(8);
        Plan {
            target_bytes,
            clients: per_gb(CLIENTS_PER_GB).clamp(4, u64::from(u32::MAX)) as u32,
            web_services: web_services.min(u64::from(u32::MAX)) as u32,
            relays: (web_services / SERVICES_PER_RELAY).clamp(1, u64::from(u32::MAX)) as u32,
            visits: target_bytes / VISIT_BYTES + 1,
            gap_us: VISIT_BYTES * 1_000_000 / BYTES_PER_SECOND,
            max_visit_bytes: (target_bytes / 40).max(64 * 1024),
        }
    }
}

/// Hands out the members of a population (clients, services, relays) as visits need them:
/// a new one with the probability that gets them all used within the visits left, else one
/// already in use, the first ones more often.
#[derive(Debug, Default)]
struct Introducer {
    total: u32,
    introduced: u32,
}

impl Introducer {
    /// `chances` is how many more picks there will be to introduce the rest in; `skew` how
    /// strongly the first ones are preferred (0 uniform, each step more so).
    fn pick(&mut self, rng: &mut Rng, chances: u64, skew: u32) -> (u32, bool) {
        let fresh_left = u64::from(self.total.saturating_sub(self.introduced));
        if self.introduced == 0 || (fresh_left > 0 && rng.below(chances.max(1)) < fresh_left) {
            self.introduced += 1;
            return (self.introduced - 1, true);
        }
        let mut n = u64::from(self.introduced);
        for _ in 0..skew {
            n = rng.below(n) + 1;
        }
        (rng.below(n) as u32, false)
    }
}

/// Counts what the visits made.
#[derive(Default)]
struct Tally {
    by_kind: FlowsByKind,
    flows: u64,
    ipv6_flows: u64,
    vlan_flows: u64,
    clients: HashSet<u32>,
    vlan_clients: HashSet<u32>,
    destinations: HashSet<IpAddr>,
    named: HashSet<IpAddr>,
    names: HashSet<u32>,
    hellos: u64,
    split_hellos: u64,
}

impl Tally {
    /// One new flow of client `c` with `remote` (`None` for the router), named after service
    /// `service` when it has a name.
    fn flow(&mut self, kind: FlowKind, c: u32, client: &Client, remote: Option<IpAddr>, service: Option<u32>) {
        self.flows += 1;
        let count = match kind {
            FlowKind::Dns => &mut self.by_kind.dns,
            FlowKind::Tls => &mut self.by_kind.tls,
            FlowKind::Quic => &mut self.by_kind.quic,
            FlowKind::Http => &mut self.by_kind.http,
            FlowKind::Ntp => &mut self.by_kind.ntp,
            FlowKind::Ping => &mut self.by_kind.ping,
            FlowKind::Voice => &mut self.by_kind.voice,
        };
        *count += 1;
        self.clients.insert(c);
        if client.vlan.is_some() {
            self.vlan_flows += 1;
            self.vlan_clients.insert(c);
        }
        if let Some(ip) = remote {
            self.ipv6_flows += u64::from(ip.is_ipv6());
            self.destinations.insert(ip);
            if let Some(s) = service {
                self.named.insert(ip);
                self.names.insert(s);
            }
        }
    }

    fn truth(&self) -> BusyTruth {
        BusyTruth {
            flows: self.flows,
            flows_by_kind: self.by_kind,
            ipv6_flows: self.ipv6_flows,
            vlan_flows: self.vlan_flows,
            clients: self.clients.len() as u64,
            vlan_clients: self.vlan_clients.len() as u64,
            destinations: self.destinations.len() as u64,
            named_destinations: self.named.len() as u64,
            names: self.names.len() as u64,
            hellos: self.hellos,
            split_hellos: self.split_hellos,
            ..BusyTruth::default()
        }
    }
}

/// Everything the visits share.
struct Gateway {
    rng: Rng,
    router: Router,
    clients: Vec<Client>,
    /// Every named service, web and time servers; `web` and `ntp` index into it.
    services: Vec<Service>,
    web: Vec<u32>,
    ntp: Vec<u32>,
    relays: Vec<std::net::Ipv4Addr>,
    addresses: AddressPool,
    round: Round,
    tally: Tally,
    /// Until when each (client, service) answer is cached.
    dns_cache: HashMap<(u32, u32), u64>,
    /// (client, address) pairs that exchanged ICMP echoes: one flow each, so never twice.
    pinged: HashSet<(u32, IpAddr)>,
    /// Ciphertext-looking bytes that payloads are cut from.
    noise: Vec<u8>,
    plan: Plan,
    client_intro: Introducer,
    web_intro: Introducer,
    ntp_intro: Introducer,
    relay_intro: Introducer,
}

#[cfg(test)]
mod tests;
