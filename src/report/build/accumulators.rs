//! What the report builder adds up per device, per device and destination, and per
//! destination while it walks the flows, and how each becomes the report's value.

use foldhash::{HashMap, HashSet};
use std::collections::BTreeSet;
use std::net::IpAddr;

use super::{anycast, counters, seconds, Carried, DeviceKey};
use crate::activity::{Activity, Clock};
use crate::country::CountryCode;
use crate::decode::Mac;
use crate::flows;
use crate::geo::Table;
use crate::report::model::{
    sort_services, ActiveBin, Counters, Destination, NamesBySource, Periodic, Protection, Service, Timeline, Traffic,
};
use crate::scope::{classify, Scope};

pub(super) struct DeviceAcc {
    pub(super) mac: Option<Mac>,
    pub(super) ips: BTreeSet<IpAddr>,
    /// Its destinations in the order it first talked to them, each with their traffic.
    pub(super) destinations: Vec<(IpAddr, PairAcc)>,
    pub(super) position: HashMap<IpAddr, usize>,
    pub(super) bytes: u64,
    /// When all its flows' packets went.
    pub(super) activity: Activity,
    pub(super) protection: Protection,
}

impl DeviceAcc {
    pub(super) fn new(mac: Option<Mac>) -> DeviceAcc {
        DeviceAcc {
            mac,
            ips: BTreeSet::new(),
            destinations: Vec::new(),
            position: HashMap::default(),
            bytes: 0,
            activity: Activity::default(),
            protection: Protection::default(),
        }
    }

    /// A flow's bytes, counted in its total and by how they travelled.
    pub(super) fn add_bytes(&mut self, bytes: u64, carried: Carried) {
        self.bytes += bytes;
        let by = match carried {
            Carried::Encrypted => &mut self.protection.encrypted_bytes,
            Carried::Plaintext => &mut self.protection.plaintext_bytes,
            Carried::Unknown => &mut self.protection.unknown_bytes,
        };
        *by += bytes;
    }

    pub(super) fn traffic_with(&mut self, ip: IpAddr, first_ns: i64) -> &mut PairAcc {
        let at = *self.position.entry(ip).or_insert_with(|| {
            self.destinations.push((ip, PairAcc::new(first_ns)));
            self.destinations.len() - 1
        });
        &mut self.destinations[at].1
    }
}

/// How many of a pair's latest services are checked for a repeat before adding one.
const RECENT_SERVICES: usize = 4;

/// Traffic between a device and a destination, or a destination and all its devices.
pub(super) struct PairAcc {
    pub(super) sent: Counters,
    pub(super) received: Counters,
    pub(super) flows: u64,
    pub(super) first_ns: i64,
    pub(super) last_ns: i64,
    /// Its services, each at least once. A pair has one or two: a list costs a few bytes where
    /// a set's node cost about a hundred, for each of hundreds of thousands of pairs. Only the
    /// last few are checked for repeats when one is added; the rest go when the list is read.
    pub(super) services: Vec<Service>,
}

impl PairAcc {
    pub(super) fn new(first_ns: i64) -> PairAcc {
        PairAcc {
            sent: Counters::default(),
            received: Counters::default(),
            flows: 0,
            first_ns,
            last_ns: first_ns,
            services: Vec::new(),
        }
    }

    pub(super) fn add(
        &mut self,
        sent: flows::Counters,
        received: flows::Counters,
        flow: &flows::Flow,
        service: Option<Service>,
    ) {
        self.sent = self.sent.plus(counters(sent));
        self.received = self.received.plus(counters(received));
        self.flows += 1;
        self.first_ns = self.first_ns.min(flow.first_ns);
        self.last_ns = self.last_ns.max(flow.last_ns);
        if let Some(service) = service {
            if !self.services.iter().rev().take(RECENT_SERVICES).any(|s| *s == service) {
                self.services.push(service);
            }
        }
    }

    pub(super) fn services(&self) -> Vec<Service> {
        let mut services = self.services.clone();
        services.sort_unstable();
        services.dedup();
        sort_services(&mut services);
        services
    }

    pub(super) fn finish(self, ip: IpAddr) -> Traffic {
        Traffic {
            ip: ip.into(),
            sent: self.sent,
            received: self.received,
            flows: self.flows,
            services: self.services(),
            first_ts: seconds(self.first_ns),
            last_ts: seconds(self.last_ns),
        }
    }
}

pub(super) struct DestinationAcc {
    pub(super) names: Vec<String>,
    pub(super) by_source: NamesBySource,
    /// Whether a DNS answer named it; `None` when lookups are hidden (encrypted DNS).
    pub(super) looked_up: Option<bool>,
    pub(super) plaintext: bool,
    pub(super) devices: HashSet<DeviceKey>,
    pub(super) pair: PairAcc,
    pub(super) periodic: Option<Periodic>,
    pub(super) activity: Activity,
}

impl DestinationAcc {
    pub(super) fn new(first_ns: i64) -> DestinationAcc {
        DestinationAcc {
            names: Vec::new(),
            by_source: NamesBySource::default(),
            looked_up: None,
            plaintext: false,
            devices: HashSet::default(),
            pair: PairAcc::new(first_ns),
            periodic: None,
            activity: Activity::default(),
        }
    }

    pub(super) fn finish(self, ip: IpAddr, geo: Option<&Table<'_>>, clock: &Clock) -> Destination {
        let scope = classify(ip);
        let public = scope == Scope::Public;
        let found = geo.filter(|_| public).and_then(|table| table.find(ip));
        let pair = &self.pair;
        let no_dns = self.looked_up.filter(|_| public).map(|known| !known);
        let mut destination = Destination {
            ip: ip.into(),
            scope,
            names: self.names,
            asn: found.and_then(|g| g.asn),
            as_org: found.and_then(|g| g.as_org).map(str::to_string),
            country: found.and_then(|g| g.country).and_then(CountryCode::new),
            devices: {
                let mut ids: Vec<String> = self.devices.into_iter().map(DeviceKey::id).collect();
                ids.sort_unstable();
                ids
            },
            packets: pair.sent.packets + pair.received.packets,
            bytes: pair.sent.bytes + pair.received.bytes,
            flows: pair.flows,
            first_ts: seconds(pair.first_ns),
            last_ts: seconds(pair.last_ns),
            sent: pair.sent,
            received: pair.received,
            services: pair.services(),
            periodic: self.periodic,
            names_by_source: self.by_source,
            no_dns,
            anycast: public && anycast::operator(ip).is_some(),
            concerns: Vec::new(),
            party: None,
            timeline: timeline(&self.activity, clock),
            new: None,
        };
        destination.concerns = destination.found_concerns(self.plaintext);
        destination
    }
}

/// An activity as the report's timeline, on the axis of `clock` (none before any packet).
pub(super) fn timeline(activity: &Activity, clock: &Clock) -> Option<Timeline> {
    let start_ns = clock.start_ns()?;
    let active = activity
        .bins(clock)
        .into_iter()
        .map(|b| ActiveBin { index: b.index, packets: b.packets, bytes: b.bytes })
        .collect();
    Some(Timeline { start_ts: seconds(start_ns), bin_seconds: seconds(clock.width_ns()), bins: clock.bins(), active })
}
