//! What each local device exchanged with each of its destinations: the per-device cards'
//! numbers, added up from the report's flows (the report's destination totals mix devices).

use phonehome::report::model::{Counters, Device, Flow};
use phonehome::Report;
use std::collections::HashMap;

/// One device's traffic with one destination.
#[derive(Debug, Clone, PartialEq)]
pub struct PairTraffic {
    /// Index into `report.destinations`.
    pub destination: usize,
    /// Device to destination.
    pub sent: Counters,
    /// Destination to device.
    pub received: Counters,
    pub flows: u64,
    pub first_ts: f64,
    pub last_ts: f64,
    /// Server-side ports and protocols, e.g. `tcp/443`, sorted.
    pub services: Vec<String>,
    /// This device's share is unknown: other devices talked to the destination too and no
    /// flows say how the traffic splits (a shared report carries no flows). The counters
    /// above are then zero.
    pub mixed: bool,
}

impl PairTraffic {
    pub fn bytes(&self) -> u64 {
        self.sent.bytes.saturating_add(self.received.bytes)
    }
}

/// A device and its destinations, the flagged ones first, then by bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceTraffic {
    /// Index into `report.devices`.
    pub device: usize,
    pub destinations: Vec<PairTraffic>,
    pub bytes: u64,
    pub flagged: usize,
}

/// How a device is called on the page: its name, else its MAC, else its first IP.
pub fn device_label(device: &Device) -> String {
    device
        .name
        .clone()
        .or_else(|| device.mac.clone())
        .or_else(|| device.ips.first().cloned())
        .unwrap_or_else(|| device.id.clone())
}

/// The "service" of a flow as the report writes it (`tcp/443`, or just `icmp`).
pub fn service(flow: &Flow) -> String {
    match flow.server.port {
        Some(port) => format!("{}/{port}", flow.proto),
        None => flow.proto.clone(),
    }
}

fn add(into: &mut Counters, more: Counters) {
    into.packets = into.packets.saturating_add(more.packets);
    into.bytes = into.bytes.saturating_add(more.bytes);
}

/// Splits the report's traffic by device and destination.
pub fn by_device(report: &Report) -> Vec<DeviceTraffic> {
    let destination_of: HashMap<&str, usize> =
        report.destinations.iter().enumerate().map(|(i, d)| (d.ip.as_str(), i)).collect();
    let mut device_of: HashMap<&str, usize> = HashMap::new();
    for (i, device) in report.devices.iter().enumerate() {
        for ip in &device.ips {
            device_of.entry(ip.as_str()).or_insert(i);
        }
    }

    let mut pairs: HashMap<(usize, usize), PairTraffic> = HashMap::new();
    for flow in &report.flows {
        let client = flow.client.ip.as_str();
        let server = flow.server.ip.as_str();
        // The device is usually the client; a device that served a remote client is the server.
        let (device, destination, sent, received) = match (
            device_of.get(client),
            destination_of.get(server),
            device_of.get(server),
            destination_of.get(client),
        ) {
            (Some(&d), Some(&t), _, _) => (d, t, flow.c2s, flow.s2c),
            (_, _, Some(&d), Some(&t)) => (d, t, flow.s2c, flow.c2s),
            _ => continue,
        };
        let pair = pairs.entry((device, destination)).or_insert_with(|| PairTraffic {
            destination,
            sent: Counters::default(),
            received: Counters::default(),
            flows: 0,
            first_ts: flow.first_ts,
            last_ts: flow.last_ts,
            services: Vec::new(),
            mixed: false,
        });
        add(&mut pair.sent, sent);
        add(&mut pair.received, received);
        pair.flows += 1;
        pair.first_ts = pair.first_ts.min(flow.first_ts);
        pair.last_ts = pair.last_ts.max(flow.last_ts);
        let service = service(flow);
        if !pair.services.contains(&service) {
            pair.services.push(service);
        }
    }

    let mut devices: Vec<DeviceTraffic> = report
        .devices
        .iter()
        .enumerate()
        .map(|(index, device)| {
            let mut list: Vec<PairTraffic> = Vec::new();
            for ip in &device.destinations {
                let Some(&destination) = destination_of.get(ip.as_str()) else { continue };
                if pairs.contains_key(&(index, destination)) {
                    continue;
                }
                // Listed without flows: the destination's own totals, when they are this device's alone.
                let d = &report.destinations[destination];
                let alone = d.devices.len() == 1 && d.devices[0] == device.id;
                list.push(PairTraffic {
                    destination,
                    sent: if alone { d.sent } else { Counters::default() },
                    received: if alone { d.received } else { Counters::default() },
                    flows: if alone { d.flows } else { 0 },
                    first_ts: d.first_ts,
                    last_ts: d.last_ts,
                    services: if alone { d.services.clone() } else { Vec::new() },
                    mixed: !alone,
                });
            }
            list.extend(pairs.iter().filter(|((d, _), _)| *d == index).map(|(_, pair)| pair.clone()));
            for pair in &mut list {
                pair.services.sort();
            }
            let rank = |pair: &PairTraffic| {
                let d = &report.destinations[pair.destination];
                (!d.watched, !d.foreign, u64::MAX - pair.bytes(), d.ip.clone())
            };
            list.sort_by_cached_key(rank);
            let flagged = list
                .iter()
                .filter(|p| report.destinations[p.destination].foreign || report.destinations[p.destination].watched)
                .count();
            let bytes = list.iter().map(PairTraffic::bytes).fold(0u64, u64::saturating_add);
            DeviceTraffic { device: index, destinations: list, bytes, flagged }
        })
        .collect();
    devices.sort_by_key(|d| (usize::MAX - d.flagged, u64::MAX - d.bytes, d.device));
    devices
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{destination, device, report};
    use phonehome::report::model::Endpoint;

    fn flow(client: (&str, u16), server: (&str, u16), c2s: (u64, u64), s2c: (u64, u64), ts: f64) -> Flow {
        Flow {
            proto: "udp".into(),
            client: Endpoint { ip: client.0.into(), port: Some(client.1) },
            server: Endpoint { ip: server.0.into(), port: Some(server.1) },
            c2s: Counters { packets: c2s.0, bytes: c2s.1 },
            s2c: Counters { packets: s2c.0, bytes: s2c.1 },
            first_ts: ts,
            last_ts: ts + 1.0,
            name: None,
            name_source: None,
            tcp_flags: vec![],
        }
    }

    #[test]
    fn flows_are_split_per_device_and_direction() {
        let mut r = report(vec![
            destination("52.1.1.1", "public", Some("US")),
            destination("180.76.76.76", "public", Some("CN")),
        ]);
        r.destinations[1].foreign = true;
        r.devices = vec![
            device("aa", &["10.0.0.2"], &["52.1.1.1", "180.76.76.76"]),
            device("bb", &["10.0.0.3"], &["52.1.1.1"]),
        ];
        r.flows = vec![
            flow(("10.0.0.2", 5000), ("52.1.1.1", 443), (2, 200), (3, 3000), 10.0),
            flow(("10.0.0.2", 5001), ("180.76.76.76", 8000), (5, 500), (1, 60), 12.0),
            flow(("10.0.0.2", 5002), ("180.76.76.76", 8000), (1, 100), (0, 0), 20.0),
            flow(("10.0.0.3", 6000), ("52.1.1.1", 443), (1, 10), (1, 20), 11.0),
            // The remote side opened this one: the device is the server.
            flow(("52.1.1.1", 7000), ("10.0.0.3", 22), (4, 40), (6, 60), 13.0),
        ];
        let devices = by_device(&r);
        assert_eq!(devices.iter().map(|d| d.device).collect::<Vec<_>>(), [0, 1], "flagged device first");
        let first = &devices[0];
        assert_eq!(first.flagged, 1);
        assert_eq!(first.destinations[0].destination, 1, "foreign destination first");
        assert_eq!(first.destinations[0].sent, Counters { packets: 6, bytes: 600 });
        assert_eq!(first.destinations[0].received, Counters { packets: 1, bytes: 60 });
        assert_eq!(first.destinations[0].flows, 2);
        assert_eq!((first.destinations[0].first_ts, first.destinations[0].last_ts), (12.0, 21.0));
        assert_eq!(first.destinations[0].services, ["udp/8000"]);
        let second = &devices[1].destinations[0];
        assert_eq!(second.sent, Counters { packets: 7, bytes: 70 });
        assert_eq!(second.received, Counters { packets: 5, bytes: 60 });
        assert_eq!(second.services, ["udp/22", "udp/443"]);
    }

    #[test]
    fn a_listed_destination_without_flows_keeps_its_own_totals() {
        let mut r = report(vec![destination("8.8.8.8", "public", Some("US"))]);
        r.destinations[0].devices = vec!["aa".into()];
        r.destinations[0].sent = Counters { packets: 1, bytes: 80 };
        r.devices = vec![device("aa", &["10.0.0.2"], &["8.8.8.8", "9.9.9.9"])];
        let devices = by_device(&r);
        assert_eq!(devices[0].destinations.len(), 1, "unknown destination ips are skipped");
        assert_eq!(devices[0].destinations[0].sent.bytes, 80);
        assert_eq!(devices[0].bytes, 80);
        assert!(!devices[0].destinations[0].mixed);
    }

    #[test]
    fn without_flows_a_destination_of_several_devices_has_no_per_device_numbers() {
        // As in a shared report: destinations and devices, no flows.
        let mut r = report(vec![destination("224.0.0.251", "multicast", None)]);
        r.destinations[0].devices = vec!["aa".into(), "bb".into()];
        r.destinations[0].sent = Counters { packets: 4, bytes: 400 };
        r.devices = vec![device("aa", &[], &["224.0.0.251"]), device("bb", &[], &["224.0.0.251"])];
        for d in by_device(&r) {
            let pair = &d.destinations[0];
            assert!(pair.mixed, "device {}", d.device);
            assert_eq!((pair.bytes(), d.bytes), (0, 0), "nothing is made up");
        }
    }

    #[test]
    fn labels_prefer_names() {
        let mut d = device("aa:bb", &["10.0.0.9"], &[]);
        assert_eq!(device_label(&d), "aa:bb");
        d.name = Some("doorbell".into());
        assert_eq!(device_label(&d), "doorbell");
        d.name = None;
        d.mac = None;
        assert_eq!(device_label(&d), "10.0.0.9");
    }
}
