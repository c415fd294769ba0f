//! Assembles the [`Report`] from the facts gathered while reading: decides the local side,
//! groups flows per device and per destination, names each destination from the capture,
//! and adds what the embedded geo table knows about public addresses.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::net::IpAddr;

use super::model::{self, CaptureSummary, Counters, Destination, Device, Diagnostic, Endpoint, Flow, Report, SCHEMA};
use crate::analyze::Settings;
use crate::decode::{Mac, TcpFlags};
use crate::devices::local_side;
use crate::flows;
use crate::geo;
use crate::scope::{classify, Scope};

/// Where a flow's name came from, weakest first (a flow's own SNI or Host beats DNS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NameSource {
    Dns,
    Sni,
    Http,
}

impl NameSource {
    pub fn as_str(self) -> &'static str {
        match self {
            NameSource::Dns => "dns",
            NameSource::Sni => "sni",
            NameSource::Http => "http",
        }
    }
}

/// What the reader learnt, ready to be turned into a report.
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
    /// Names found in a flow's own payload (SNI, Host), by flow index.
    pub flow_names: HashMap<usize, (String, NameSource)>,
    /// DNS answers: address to (time of the answer, asked-for name), in capture order.
    pub dns: HashMap<IpAddr, Vec<(i64, String)>>,
    /// Host names devices gave in DHCP.
    pub hostnames: BTreeMap<Mac, String>,
    /// (MAC, IP) pairs learnt from ARP and DHCP.
    pub mac_ip_pairs: Vec<(Mac, IpAddr)>,
}

/// Most names listed per destination; CDN addresses can collect hundreds.
const MAX_NAMES: usize = 20;

fn seconds(ns: i64) -> f64 {
    ns as f64 / 1e9
}

pub fn build_report(facts: Facts, settings: &Settings) -> Report {
    let side = local_side(&facts.flows, &facts.mac_ip_pairs);
    let mdns_names = local_names(&facts.dns);

    // Flows in time order, each with its name.
    let mut order: Vec<usize> = (0..facts.flows.len()).collect();
    order.sort_by_key(|&i| (facts.flows[i].first_ns, i));

    let mut devices: BTreeMap<String, DeviceAcc> = BTreeMap::new();
    let mut destinations: HashMap<IpAddr, DestinationAcc> = HashMap::new();
    let mut flows_out = Vec::with_capacity(order.len());
    for &i in &order {
        let flow = &facts.flows[i];
        let name = facts.flow_names.get(&i).cloned().or_else(|| dns_name(&facts.dns, flow.server.ip, flow.first_ns));

        // The device is the local side; the destination the other. Traffic between two local
        // devices is the client's, towards the server.
        let dest_is_server = side.is_local(&flow.client.ip) || !side.is_local(&flow.server.ip);
        let (device_ip, dest) =
            if dest_is_server { (flow.client.ip, flow.server) } else { (flow.server.ip, flow.client) };
        let (sent, received) = if dest_is_server { (flow.c2s, flow.s2c) } else { (flow.s2c, flow.c2s) };
        // A device that has no address yet (a DHCP request from 0.0.0.0) is still known by
        // the MAC it sends from.
        let flow_mac = if dest_is_server { flow.client_mac } else { flow.server_mac }.filter(Mac::is_unicast);
        let mac = side.mac_of.get(&device_ip).copied().or(flow_mac.filter(|_| !side.is_local(&device_ip)));
        let device_id = match mac {
            Some(mac) => mac.to_string(),
            None => device_ip.to_string(),
        };
        let device = devices.entry(device_id.clone()).or_insert_with(|| DeviceAcc::new(mac));
        if !matches!(classify(device_ip), Scope::Unspecified | Scope::Broadcast | Scope::Multicast) {
            device.ips.insert(device_ip);
        }
        device.bytes += flow.c2s.bytes + flow.s2c.bytes;
        if !device.destinations.contains(&dest.ip) {
            device.destinations.push(dest.ip);
        }

        let acc = destinations.entry(dest.ip).or_insert_with(|| DestinationAcc::new(flow.first_ns));
        acc.devices.insert(device_id);
        acc.flows += 1;
        acc.sent.packets += sent.packets;
        acc.sent.bytes += sent.bytes;
        acc.received.packets += received.packets;
        acc.received.bytes += received.bytes;
        acc.first_ns = acc.first_ns.min(flow.first_ns);
        acc.last_ns = acc.last_ns.max(flow.last_ns);
        if dest_is_server {
            if let Some(p) = flow.rhythm.period() {
                if acc.periodic.is_none_or(|q| q.beats < p.beats as u64) {
                    acc.periodic =
                        Some(model::Periodic { interval_s: p.interval_s, jitter_s: p.jitter_s, beats: p.beats as u64 });
                }
            }
            acc.services.insert(service(flow.proto, flow.server.port));
            if let Some((name, _)) = &name {
                if !acc.names.contains(name) {
                    acc.names.push(name.clone());
                }
            }
        }
        flows_out.push(Flow {
            proto: proto_name(flow.proto),
            client: endpoint(flow.client),
            server: endpoint(flow.server),
            c2s: counters(flow.c2s),
            s2c: counters(flow.s2c),
            first_ts: seconds(flow.first_ns),
            last_ts: seconds(flow.last_ns),
            name_source: name.as_ref().map(|(_, s)| s.as_str().to_string()),
            name: name.map(|(n, _)| n),
            tcp_flags: TcpFlags::NAMES
                .iter()
                .filter(|(bit, _)| flow.tcp_flags & bit != 0)
                .map(|(_, n)| n.to_string())
                .collect(),
        });
    }

    // Every DNS name given for a destination, after the names its own flows carried.
    for (ip, acc) in destinations.iter_mut() {
        for (_, name) in facts.dns.get(ip).into_iter().flatten() {
            if acc.names.len() < MAX_NAMES && !acc.names.contains(name) {
                acc.names.push(name.clone());
            }
        }
        acc.names.truncate(MAX_NAMES);
    }

    let mut destinations_out: Vec<Destination> = destinations.into_iter().map(|(ip, acc)| acc.finish(ip)).collect();
    destinations_out.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.ip.cmp(&b.ip)));

    let mut devices_out: Vec<(u64, Device)> = devices
        .into_iter()
        .map(|(id, acc)| {
            let name = acc
                .mac
                .and_then(|mac| facts.hostnames.get(&mac).cloned())
                .or_else(|| acc.ips.iter().find_map(|ip| mdns_names.get(ip).cloned()));
            // Every address this MAC spoke from on the local side, not only those with flows.
            let mut ips = acc.ips.clone();
            if let Some(mac) = acc.mac {
                ips.extend(side.mac_of.iter().filter(|(_, m)| **m == mac).map(|(ip, _)| *ip));
            }
            let device = Device {
                id,
                mac: acc.mac.map(|m| m.to_string()),
                ips: ips.iter().map(|ip| ip.to_string()).collect(),
                name,
                destinations: acc.destinations.iter().map(|ip| ip.to_string()).collect(),
                gateway: acc.mac.is_some_and(|mac| side.gateways.contains(&mac)),
                vendor: acc.mac.and_then(|mac| geo::vendor(mac.0)).map(str::to_string),
                randomized_mac: acc.mac.is_some_and(|mac| geo::is_locally_administered(mac.0)),
            };
            (acc.bytes, device)
        })
        .collect();
    devices_out.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));

    let mut diagnostics = facts.diagnostics;
    diagnostics.sort_by_key(|d| (d.first_packet, d.kind.clone()));

    let mut report = Report {
        schema: SCHEMA.to_string(),
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
        home_country: None,
        watch: Vec::new(),
        flows: flows_out,
        devices: devices_out.into_iter().map(|(_, d)| d).collect(),
        destinations: destinations_out,
        geo_table_date: geo::table_date().map(str::to_string),
    };
    report.apply_countries(settings.home.as_deref(), &settings.watch);
    report
}

/// The DNS name given for `ip` most recently before `at`, else the first one given after.
fn dns_name(dns: &HashMap<IpAddr, Vec<(i64, String)>>, ip: IpAddr, at: i64) -> Option<(String, NameSource)> {
    let answers = dns.get(&ip)?;
    let before = answers.iter().filter(|(ts, _)| *ts <= at).max_by_key(|(ts, _)| *ts);
    let chosen = before.or_else(|| answers.iter().min_by_key(|(ts, _)| *ts))?;
    Some((chosen.1.clone(), NameSource::Dns))
}

/// Names devices announce for themselves over mDNS/LLMNR (`name.local`).
fn local_names(dns: &HashMap<IpAddr, Vec<(i64, String)>>) -> HashMap<IpAddr, String> {
    dns.iter()
        .filter_map(|(ip, names)| {
            let name = names.iter().find_map(|(_, n)| n.strip_suffix(".local"))?;
            Some((*ip, name.to_string()))
        })
        .collect()
}

/// The report's name of an IP protocol (`tcp`, `udp`, `icmp`, `icmpv6`, `ip:<n>`).
fn proto_name(proto: u8) -> String {
    match proto {
        6 => "tcp".into(),
        17 => "udp".into(),
        1 => "icmp".into(),
        58 => "icmpv6".into(),
        other => format!("ip:{other}"),
    }
}

/// A destination's service as the report writes it: `tcp/443`, or the protocol alone.
pub(crate) fn service(proto: u8, port: Option<u16>) -> String {
    match port {
        Some(port) => format!("{}/{port}", proto_name(proto)),
        None => proto_name(proto),
    }
}

fn endpoint(e: flows::Endpoint) -> Endpoint {
    Endpoint { ip: e.ip.to_string(), port: e.port }
}

fn counters(c: flows::Counters) -> Counters {
    Counters { packets: c.packets, bytes: c.bytes }
}

struct DeviceAcc {
    mac: Option<Mac>,
    ips: BTreeSet<IpAddr>,
    destinations: Vec<IpAddr>,
    bytes: u64,
}

impl DeviceAcc {
    fn new(mac: Option<Mac>) -> DeviceAcc {
        DeviceAcc { mac, ips: BTreeSet::new(), destinations: Vec::new(), bytes: 0 }
    }
}

struct DestinationAcc {
    names: Vec<String>,
    devices: BTreeSet<String>,
    flows: u64,
    sent: flows::Counters,
    received: flows::Counters,
    first_ns: i64,
    last_ns: i64,
    services: BTreeSet<String>,
    periodic: Option<model::Periodic>,
}

impl DestinationAcc {
    fn new(first_ns: i64) -> DestinationAcc {
        DestinationAcc {
            names: Vec::new(),
            devices: BTreeSet::new(),
            flows: 0,
            sent: flows::Counters::default(),
            received: flows::Counters::default(),
            first_ns,
            last_ns: first_ns,
            services: BTreeSet::new(),
            periodic: None,
        }
    }

    fn finish(self, ip: IpAddr) -> Destination {
        let scope = classify(ip);
        let geo = if scope == Scope::Public { geo::lookup(ip) } else { None };
        Destination {
            ip: ip.to_string(),
            scope: scope.as_str().to_string(),
            names: self.names,
            asn: geo.as_ref().and_then(|g| g.asn),
            as_org: geo.as_ref().and_then(|g| g.as_org).map(str::to_string),
            country: geo.as_ref().and_then(|g| g.country).map(str::to_string),
            foreign: false,
            watched: false,
            devices: self.devices.into_iter().collect(),
            packets: self.sent.packets + self.received.packets,
            bytes: self.sent.bytes + self.received.bytes,
            flows: self.flows,
            first_ts: seconds(self.first_ns),
            last_ts: seconds(self.last_ns),
            sent: counters(self.sent),
            received: counters(self.received),
            services: self.services.into_iter().collect(),
            periodic: self.periodic,
        }
    }
}

impl model::Report {
    /// Sets the home country and watch list and recomputes every `foreign` and `watched`
    /// flag. Only public addresses with a known country can be foreign or watched.
    pub fn apply_countries(&mut self, home: Option<&str>, watch: &[String]) {
        let home = home.map(|h| h.trim().to_ascii_uppercase()).filter(|h| h.len() == 2);
        let watch: Vec<String> = watch.iter().map(|c| c.trim().to_ascii_uppercase()).filter(|c| c.len() == 2).collect();
        for d in &mut self.destinations {
            let country = d.country.as_deref().filter(|_| d.scope == "public");
            d.foreign = matches!((country, home.as_deref()), (Some(c), Some(h)) if c != h);
            d.watched = country.is_some_and(|c| watch.iter().any(|w| w == c));
        }
        self.home_country = home;
        self.watch = watch;
    }
}
