//! Assembles the [`Analysis`] from the facts gathered while reading: decides the local side,
//! groups flows per device and per destination (and per device and destination pair), names
//! each destination from the capture, and adds what the geo table knows about public
//! addresses. Nothing here depends on who reads the report: verdicts are `super::verdict`'s.

use foldhash::{HashMap, HashSet};
use std::cmp::Reverse;
use std::net::IpAddr;

use super::anycast;
use super::model::{
    Analysis, CaptureSummary, Counters, Destination, Device, Diagnostic, Endpoint, NameSource, NamesBySource,
};
use super::scan::{self, Scans};
use crate::activity::Clock;
use crate::decode::Mac;
use crate::devices::{local_side, LocalSide};
use crate::diagnostic::DiagnosticKind;
use crate::flows;
use crate::geo::Table;
use crate::names::answers::AnswerBook;
use crate::names::device::DeviceNameBook;

mod accumulators;
mod carried;
mod device_names;
mod parties;
mod spread;
mod walk;

use carried::Carried;

pub(crate) use parties::assign as assign_parties;

use spread::{spread, spread_each, spread_mut};
use walk::{Listing, Walk};

/// What the reader learnt, ready to be turned into an analysis.
pub struct Facts {
    pub format: String,
    pub packets: u64,
    pub bytes: u64,
    pub first_ns: Option<i64>,
    pub last_ns: Option<i64>,
    pub non_ip_packets: u64,
    pub link_types: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    pub flows: Vec<flows::Flow>,
    /// The time bins the flows' activity is counted in.
    pub clock: Clock,
    /// Names found in a flow's own payload (SNI, Host), by flow index.
    pub flow_names: HashMap<usize, (String, FoundIn)>,
    /// Flows that went on in TLS after a STARTTLS request, by flow index.
    pub upgraded: HashSet<usize>,
    /// DNS answers: each address's names (sealed).
    pub dns: AnswerBook,
    /// What devices call themselves (DHCP, mDNS, SSDP, NetBIOS), by sender.
    pub device_names: DeviceNameBook,
    /// (MAC, IP) pairs learnt from ARP and DHCP.
    pub mac_ip_pairs: Vec<(Mac, IpAddr)>,
    /// How many threads may assemble the report (as many as read the capture; one in the
    /// page). The report is the same for any number.
    pub threads: usize,
}

/// Where in a flow's own bytes its name was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoundIn {
    /// A TLS ClientHello over TCP.
    Sni,
    /// The ClientHello of a QUIC Initial.
    Quic,
    /// An HTTP request's Host.
    Http,
}

impl FoundIn {
    /// The list of a destination's names from this source.
    fn list_in(self, by: &mut NamesBySource) -> &mut Vec<String> {
        match self {
            FoundIn::Sni => &mut by.sni,
            FoundIn::Quic => &mut by.quic,
            FoundIn::Http => &mut by.http,
        }
    }

    /// What flows report it as (`quic` names are TLS server names too).
    fn source(self) -> NameSource {
        match self {
            FoundIn::Sni | FoundIn::Quic => NameSource::Sni,
            FoundIn::Http => NameSource::Http,
        }
    }
}

/// DNS over TLS.
const DOT_PORT: u16 = 853;

/// Whether a device reaches this flow's server over encrypted DNS (DNS over TLS, or a public
/// resolver's DNS over HTTPS): its lookups are then not in the capture.
fn encrypted_dns(flow: &flows::Flow) -> bool {
    let port = flow.server.port.unwrap_or(0);
    port == DOT_PORT || (port == 443 && anycast::is_encrypted_dns_resolver(flow.server.ip))
}

/// Most names listed per destination; CDN addresses can collect hundreds.
const MAX_NAMES: usize = 20;

fn seconds(ns: i64) -> f64 {
    ns as f64 / 1e9
}

/// The most flows a report lists one by one. Beyond it, the flows with the fewest bytes are
/// counted in their device's and destination's totals but not listed (a diagnostic says how
/// many): a listing of millions of flows helps nobody and costs every consumer memory.
pub const MAX_LISTED_FLOWS: usize = 250_000;

/// Who a flow's device is: its MAC when the capture ties one to it, else its address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum DeviceKey {
    Mac(Mac),
    Ip(IpAddr),
}

impl DeviceKey {
    /// The report's device id.
    fn id(self) -> String {
        match self {
            DeviceKey::Mac(mac) => mac.to_string(),
            DeviceKey::Ip(ip) => ip.to_string(),
        }
    }

    fn mac(self) -> Option<Mac> {
        match self {
            DeviceKey::Mac(mac) => Some(mac),
            DeviceKey::Ip(_) => None,
        }
    }
}

/// The device of an address on the home's side, seen sending from `mac`: the MAC the local
/// side ties the address to, else, for an address not known as local (a DHCP request from
/// 0.0.0.0, a global IPv6 address), the MAC it sends from, else the address itself.
fn device_key(side: &LocalSide, ip: IpAddr, mac: Option<Mac>) -> DeviceKey {
    let mac = side.mac_of.get(&ip).copied().or(mac.filter(|m| m.is_unicast() && !side.is_local(&ip)));
    mac.map_or(DeviceKey::Ip(ip), DeviceKey::Mac)
}

/// Whether a flow is one of a scanning device's attempts (summarised in its scan, never a flow
/// or destination of the report).
fn is_scan_attempt(
    flow: &flows::Flow,
    s: &Sides,
    scans: &HashMap<DeviceKey, super::model::Scan>,
    dns: &AnswerBook,
) -> bool {
    s.dest_is_server && scans.contains_key(&s.device) && scan::is_attempt(flow, dns.knows(&flow.server.ip))
}

/// A flow seen from the home: which side is the device and which the destination.
struct Sides {
    /// The destination is the flow's server (the device opened it).
    dest_is_server: bool,
    device_ip: IpAddr,
    device: DeviceKey,
    dest: flows::Endpoint,
    /// Device to destination, and back.
    sent: flows::Counters,
    received: flows::Counters,
}

/// The device is the local side; the destination the other. Traffic between two local devices
/// is the client's, towards the server.
fn sides(flow: &flows::Flow, side: &LocalSide) -> Sides {
    let dest_is_server = side.is_local(&flow.client.ip) || !side.is_local(&flow.server.ip);
    let (device_ip, dest) = if dest_is_server { (flow.client.ip, flow.server) } else { (flow.server.ip, flow.client) };
    let (sent, received) = if dest_is_server { (flow.c2s, flow.s2c) } else { (flow.s2c, flow.c2s) };
    let flow_mac = if dest_is_server { flow.client_mac } else { flow.server_mac };
    let device = device_key(side, device_ip, flow_mac);
    Sides { dest_is_server, device_ip, device, dest, sent, received }
}

/// Which flows the report lists: all but scan attempts, and of the rest at most
/// [`MAX_LISTED_FLOWS`], those with the most bytes (the earlier first among equals).
fn listed_flows(flows: &[flows::Flow], attempt: impl Fn(usize) -> bool) -> (Vec<bool>, flows::Counters, u64) {
    let mut listed: Vec<bool> = (0..flows.len()).map(|i| !attempt(i)).collect();
    let mut candidates: Vec<usize> = (0..flows.len()).filter(|&i| listed[i]).collect();
    let mut left_out = flows::Counters::default();
    let mut count = 0;
    if candidates.len() > MAX_LISTED_FLOWS {
        let key = |&i: &usize| (Reverse(flows[i].c2s.bytes + flows[i].s2c.bytes), flows[i].first_ns, i);
        candidates.select_nth_unstable_by_key(MAX_LISTED_FLOWS, key);
        for &i in &candidates[MAX_LISTED_FLOWS..] {
            listed[i] = false;
            left_out.packets += flows[i].c2s.packets + flows[i].s2c.packets;
            left_out.bytes += flows[i].c2s.bytes + flows[i].s2c.bytes;
            count += 1;
        }
    }
    (listed, left_out, count)
}

/// The analysis of what was read; AS, organisation, country and device makers come from
/// `geo` (none without a table).
pub fn build(mut facts: Facts, geo: Option<&Table<'_>>) -> Analysis {
    // Apart from the other facts, so that they can go once added up (below).
    let all_flows = std::mem::take(&mut facts.flows);
    let flow_names = std::mem::take(&mut facts.flow_names);
    let upgraded = std::mem::take(&mut facts.upgraded);
    let side = local_side(&all_flows, &facts.mac_ip_pairs);
    let mdns_names = facts.dns.local_names();
    let device_names = device_names::by_device(std::mem::take(&mut facts.device_names), &side);

    // Devices that scanned, and which flows are listed.
    let mut scans = Scans::default();
    let mut private_resolving: HashSet<DeviceKey> = HashSet::default();
    for flow in &all_flows {
        let s = sides(flow, &side);
        if s.dest_is_server {
            scans.note(s.device, flow, facts.dns.knows(&flow.server.ip));
            if encrypted_dns(flow) {
                private_resolving.insert(s.device);
            }
        }
    }
    let scans = scans.finish();
    let attempt = |i: usize| {
        if scans.is_empty() {
            return false;
        }
        let flow = &all_flows[i];
        is_scan_attempt(flow, &sides(flow, &side), &scans, &facts.dns)
    };
    let (listed, left_out, left_out_flows) = listed_flows(&all_flows, attempt);

    // Flows in time order, each with its name.
    let mut order: Vec<usize> = (0..all_flows.len()).collect();
    order.sort_by_key(|&i| (all_flows[i].first_ns, i));

    // Every address a MAC spoke from on the local side, not only those with flows.
    let mut ips_of_mac: HashMap<Mac, Vec<IpAddr>> = HashMap::default();
    for (ip, mac) in &side.mac_of {
        ips_of_mac.entry(*mac).or_default().push(*ip);
    }
    let walk = Walk {
        facts: &facts,
        side: &side,
        geo,
        scans: &scans,
        private_resolving: &private_resolving,
        device_names: &device_names,
        mdns_names: &mdns_names,
        ips_of_mac: &ips_of_mac,
    };
    let listing =
        Listing { flows: &all_flows, names: &flow_names, upgraded: &upgraded, listed: &listed, order: &order };
    let summed = spread(facts.threads, |part| walk.part(part, &listing));
    // The flows are added up: let them go before their sums become the report's values. A big
    // capture's flows take more memory than its report, and the page's worker keeps the most
    // it ever held (busy 8 GB, native heap: the build's peak went from 829 MB to 687 MB, with
    // the boxed sums of `walk.rs`).
    drop((all_flows, flow_names, upgraded, listed, order));
    let parts = spread_each(summed, |summed| walk.values(summed));
    let mut flows_out = Vec::new();
    let mut destinations_out: Vec<Destination> = Vec::new();
    let mut devices_out: Vec<(u64, Device)> = Vec::new();
    for part in parts {
        flows_out.extend(part.flows);
        destinations_out.extend(part.destinations);
        devices_out.extend(part.devices);
    }
    destinations_out.sort_by_cached_key(|d| (Reverse(d.bytes), d.ip.to_string()));
    devices_out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    let devices_out: Vec<Device> = devices_out.into_iter().map(|(_, d)| d).collect();
    spread_mut(facts.threads, &mut destinations_out, |run| parties::assign(run, &devices_out));

    let mut diagnostics = std::mem::take(&mut facts.diagnostics);
    if left_out_flows > 0 {
        diagnostics.push(Diagnostic {
            kind: DiagnosticKind::FlowsAggregated,
            count: left_out_flows,
            first_packet: 0,
            message: format!(
                "{left_out_flows} flows ({} packets, {} bytes), the smallest, are counted in their devices' and \
                 destinations' totals but not listed one by one (a report lists at most {MAX_LISTED_FLOWS})",
                left_out.packets, left_out.bytes
            ),
        });
    }
    diagnostics.sort_by_key(|d| (d.first_packet, d.kind.as_str()));

    Analysis {
        capture: CaptureSummary {
            format: facts.format,
            packets: facts.packets,
            bytes: facts.bytes,
            first_ts: facts.first_ns.map(seconds),
            last_ts: facts.last_ns.map(seconds),
            link_types: facts.link_types,
            diagnostics,
            non_ip_packets: facts.non_ip_packets,
        },
        flows: flows_out,
        devices: devices_out,
        destinations: destinations_out,
        geo_table_date: geo.and_then(|t| t.date()).map(str::to_string),
    }
}

fn endpoint(e: flows::Endpoint) -> Endpoint {
    Endpoint { ip: e.ip, port: e.port }
}

fn counters(c: flows::Counters) -> Counters {
    Counters { packets: c.packets, bytes: c.bytes }
}
