//! The walk over the flows in time order that adds them up per device, per device and
//! destination, and per destination, then turns each sum into the report's value. A part of
//! the walk (see `spread.rs`) adds up only the devices and the destinations it owns, and the
//! first part also lists the flows, so parts can walk side by side.

use foldhash::{HashMap, HashSet};
use std::net::IpAddr;

use super::accumulators::{timeline, DestinationAcc, DeviceAcc};
use super::carried::{carried, Carried};
use super::spread::Part;
use super::{
    counters, device_names, endpoint, is_scan_attempt, seconds, sides, DeviceKey, Facts, FoundIn, Sides, MAX_NAMES,
};
use crate::decode::{Mac, TcpFlags};
use crate::devices::LocalSide;
use crate::geo::{is_locally_administered, Table};
use crate::names::device::GivenName;
use crate::report::model::{Destination, Device, Flow, NameSource, Periodic, Proto, Scan, Service};
use crate::scope::{classify, Scope};

/// What every part of the walk reads.
pub(super) struct Walk<'a> {
    pub(super) facts: &'a Facts,
    pub(super) side: &'a LocalSide,
    pub(super) geo: Option<&'a Table<'a>>,
    /// Devices that scanned: their attempts are summarised, not walked.
    pub(super) scans: &'a HashMap<DeviceKey, Scan>,
    /// Devices that resolve names over encrypted DNS.
    pub(super) private_resolving: &'a HashSet<DeviceKey>,
    pub(super) device_names: &'a HashMap<DeviceKey, Vec<GivenName>>,
    /// `name.local` answers, by address.
    pub(super) mdns_names: &'a HashMap<IpAddr, String>,
    /// Every address each MAC spoke from on the local side.
    pub(super) ips_of_mac: &'a HashMap<Mac, Vec<IpAddr>>,
}

/// The flows a walk goes over, with what is known of each by index: apart from the other
/// facts, so that they can go before the sums become the report's values.
pub(super) struct Listing<'a> {
    pub(super) flows: &'a [crate::flows::Flow],
    /// Names found in a flow's own payload.
    pub(super) names: &'a HashMap<usize, (String, FoundIn)>,
    /// Flows that went on in TLS after a STARTTLS request.
    pub(super) upgraded: &'a HashSet<usize>,
    /// Which flows the report lists.
    pub(super) listed: &'a [bool],
    /// Flow indices in time order.
    pub(super) order: &'a [usize],
}

/// What one part added up: its destinations and devices, and the listed flows in time order
/// (the first part's). It no longer needs the flows: they can go before it becomes the
/// report's values ([`Walk::values`]).
pub(super) struct Summed {
    /// Boxed: a map keeps room for more values than it holds, and a destination's sums are
    /// big (busy 8 GB: 158,796 of them took 96 MB in place).
    destinations: HashMap<IpAddr, Box<DestinationAcc>>,
    devices: HashMap<DeviceKey, DeviceAcc>,
    flows: Vec<Flow>,
}

/// What one part found: its destinations and devices (each with its bytes, to be ranked), and
/// the listed flows in time order (the first part's).
pub(super) struct Walked {
    pub(super) destinations: Vec<Destination>,
    pub(super) devices: Vec<(u64, Device)>,
    pub(super) flows: Vec<Flow>,
}

impl Walk<'_> {
    pub(super) fn part(&self, part: Part, listing: &Listing<'_>) -> Summed {
        let facts = self.facts;
        let mut devices: HashMap<DeviceKey, DeviceAcc> = HashMap::default();
        let mut destinations: HashMap<IpAddr, Box<DestinationAcc>> = HashMap::default();
        let mut flows_out = Vec::new();
        for &i in listing.order {
            let flow = &listing.flows[i];
            let s = sides(flow, self.side);
            let (my_device, my_destination) = (part.owns(&s.device), part.owns(&s.dest.ip));
            let lists = part.is_first() && listing.listed[i];
            if !(my_device || my_destination || lists) {
                continue;
            }
            let Sides { dest_is_server, device_ip, device: key, dest, sent, received } = s;
            let found = listing.names.get(&i);
            let how = carried(flow, found.map(|(_, f)| *f), listing.upgraded.contains(&i));
            let mut device = my_device.then(|| devices.entry(key).or_insert_with(|| DeviceAcc::new(key.mac())));
            if let Some(device) = device.as_mut() {
                if !matches!(classify(device_ip), Scope::Unspecified | Scope::Broadcast | Scope::Multicast) {
                    device.ips.insert(device_ip);
                }
                device.add_bytes(flow.c2s.bytes + flow.s2c.bytes, how);
                device.activity.merge(&flow.activity, &facts.clock);
            }
            if is_scan_attempt(flow, &s, self.scans, &facts.dns) {
                continue; // summarised in the device's scan
            }
            let name = found.map(|(name, found)| (name.clone(), found.source())).or_else(|| {
                facts.dns.name_at(&flow.server.ip, flow.first_ns).map(|name| (name.to_string(), NameSource::Dns))
            });
            let service = dest_is_server.then_some(Service { proto: Proto(flow.proto), port: flow.server.port });
            if let Some(device) = device {
                device.traffic_with(dest.ip, flow.first_ns).add(sent, received, flow, service);
            }
            if my_destination {
                let acc = destinations.entry(dest.ip).or_insert_with(|| Box::new(DestinationAcc::new(flow.first_ns)));
                acc.devices.insert(key);
                acc.pair.add(sent, received, flow, service);
                acc.activity.merge(&flow.activity, &facts.clock);
                if dest_is_server {
                    if let Some(p) = flow.rhythm.period() {
                        if acc.periodic.is_none_or(|q| q.beats < p.beats as u64) {
                            acc.periodic = Some(Periodic {
                                interval_s: p.interval_s,
                                jitter_s: p.jitter_s,
                                beats: p.beats as u64,
                            });
                        }
                    }
                    if let Some((name, _)) = &name {
                        if acc.names.len() < MAX_NAMES && !acc.names.contains(name) {
                            acc.names.push(name.clone());
                        }
                    }
                    if let Some((name, found)) = found {
                        let list = found.list_in(&mut acc.by_source);
                        if list.len() < MAX_NAMES && !list.contains(name) {
                            list.push(name.clone());
                        }
                    }
                    acc.plaintext |= how == Carried::Plaintext;
                }
            }
            if lists {
                flows_out.push(Flow {
                    proto: Proto(flow.proto),
                    client: endpoint(flow.client),
                    server: endpoint(flow.server),
                    c2s: counters(flow.c2s),
                    s2c: counters(flow.s2c),
                    first_ts: seconds(flow.first_ns),
                    last_ts: seconds(flow.last_ns),
                    name_source: name.as_ref().map(|(_, s)| *s),
                    name: name.map(|(n, _)| n),
                    tcp_flags: TcpFlags(flow.tcp_flags),
                });
            }
        }
        Summed { destinations, devices, flows: flows_out }
    }

    /// A part's sums as the report's values. Reads no flow: the walk's flows may be gone.
    pub(super) fn values(&self, summed: Summed) -> Walked {
        Walked {
            destinations: summed.destinations.into_iter().map(|(ip, acc)| self.destination(ip, *acc)).collect(),
            devices: summed.devices.into_iter().map(|(key, acc)| self.device(key, acc)).collect(),
            flows: summed.flows,
        }
    }

    /// A destination's sum as the report's value, with every DNS name given for it after the
    /// names its own flows carried.
    fn destination(&self, ip: IpAddr, mut acc: DestinationAcc) -> Destination {
        let dns = &self.facts.dns;
        for name in dns.names(&ip) {
            if acc.names.len() >= MAX_NAMES {
                break;
            }
            if !acc.names.iter().any(|n| n == name) {
                acc.names.push(name.to_string());
            }
        }
        acc.by_source.dns = dns.names(&ip).take(MAX_NAMES).map(str::to_string).collect();
        // Lookups are visible unless one of its devices resolves names over encrypted DNS.
        acc.looked_up = match acc.devices.iter().any(|d| self.private_resolving.contains(d)) {
            true => None,
            false => Some(dns.knows(&ip)),
        };
        acc.finish(ip, self.geo, &self.facts.clock)
    }

    /// A device's sum as the report's value, with its bytes.
    fn device(&self, key: DeviceKey, acc: DeviceAcc) -> (u64, Device) {
        let given = self.device_names.get(&key).map_or(&[][..], Vec::as_slice);
        // Another host's answer about its address (lower-cased, as DNS answers are) only
        // when the device named itself nowhere.
        let name =
            device_names::best_name(given).or_else(|| acc.ips.iter().find_map(|ip| self.mdns_names.get(ip).cloned()));
        let mut ips = acc.ips;
        if let Some(mac) = acc.mac {
            ips.extend(self.ips_of_mac.get(&mac).into_iter().flatten());
        }
        let geo = self.geo;
        let device = Device {
            id: key.id(),
            mac: acc.mac,
            ips: ips.into_iter().collect(),
            name,
            names_by_source: device_names::by_source(given),
            destinations: acc.destinations.iter().map(|(ip, _)| (*ip).into()).collect(),
            gateway: acc.mac.is_some_and(|mac| self.side.gateways.contains(&mac)),
            vendor: acc.mac.and_then(|mac| geo?.vendor(mac.0)).map(str::to_string),
            randomized_mac: acc.mac.is_some_and(|mac| is_locally_administered(mac.0)),
            traffic: acc.destinations.into_iter().map(|(ip, pair)| pair.finish(ip)).collect(),
            scan: self.scans.get(&key).copied(),
            timeline: timeline(&acc.activity, &self.facts.clock),
            protection: Some(acc.protection),
        };
        (acc.bytes, device)
    }
}
