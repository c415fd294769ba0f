//! Each local device with its destinations, for the device cards: the core's per-device
//! traffic (`devices[].traffic`), built once per analysis, and its order for reading, which
//! depends on the user's countries: the devices with flagged destinations first, and on each
//! card the most concerning destinations first, ranked as the headline ranks them.

use phonehome::report::model::{Address, Counters, Device, Service};
use phonehome::report::verdict::concerns;
use phonehome::report::wording::concern_rank;
use phonehome::{Analysis, Report};
use std::collections::{HashMap, HashSet};

/// One device's traffic with one destination.
#[derive(Debug, Clone, PartialEq)]
pub struct PairTraffic {
    /// Index into the analysis's destinations.
    pub destination: usize,
    /// Device to destination.
    pub sent: Counters,
    /// Destination to device.
    pub received: Counters,
    pub flows: u64,
    pub first_ts: f64,
    pub last_ts: f64,
    /// Server-side ports and protocols, e.g. `tcp/443`.
    pub services: Vec<Service>,
    /// This device's share is unknown: a link made before links carried each device's
    /// traffic, to a destination other devices talked to as well. The counters above are then
    /// zero.
    pub mixed: bool,
}

impl PairTraffic {
    pub fn bytes(&self) -> u64 {
        self.sent.bytes.saturating_add(self.received.bytes)
    }
}

/// A device and its destinations, as the analysis has them: built once per analysis; the
/// order the page lists them in depends on the verdicts and comes from [`rank_devices`] and
/// [`ranked`], so a new home country re-sorts indices instead of rebuilding these.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceTraffic {
    /// Index into the analysis's devices.
    pub device: usize,
    pub destinations: Vec<PairTraffic>,
    pub bytes: u64,
}

/// A device's place in the list for one set of verdicts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RankedDevice {
    /// Index into the analysis's devices (and into [`by_device`]'s list).
    pub device: usize,
    /// How many of its destinations are flagged.
    pub flagged: usize,
}
/// How a device is called on the page: its name, else its MAC, else its first IP.
pub fn device_label(device: &Device) -> String {
    device
        .name
        .clone()
        .or_else(|| device.mac.map(|mac| mac.to_string()))
        .or_else(|| device.ips.first().map(ToString::to_string))
        .unwrap_or_else(|| device.id.clone())
}

/// The names a device gave itself, by protocol, in one line for its card (`DHCP: Ring-1 ·
/// mDNS: Ring-1, Front Door`); `None` when it named itself nowhere.
pub fn names_given(device: &Device) -> Option<String> {
    let words = |source: &'static str| match source {
        "dhcp" => "DHCP",
        "dhcp_vendor_class" => "DHCP client",
        "mdns" => "mDNS",
        "ssdp" => "SSDP",
        "netbios" => "NetBIOS",
        other => other,
    };
    let parts: Vec<String> = device
        .names_by_source
        .sources()
        .into_iter()
        .filter(|(_, names)| !names.is_empty())
        .map(|(source, names)| format!("{}: {}", words(source), names.join(", ")))
        .collect();
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// Every device with its destinations, in the analysis's order of devices.
pub fn by_device(analysis: &Analysis) -> Vec<DeviceTraffic> {
    let destination_of: HashMap<Address, usize> =
        analysis.destinations.iter().enumerate().map(|(i, d)| (d.ip, i)).collect();
    analysis
        .devices
        .iter()
        .enumerate()
        .map(|(index, device)| {
            let mut list: Vec<PairTraffic> = device
                .traffic
                .iter()
                .filter_map(|t| {
                    Some(PairTraffic {
                        destination: *destination_of.get(&t.ip)?,
                        sent: t.sent,
                        received: t.received,
                        flows: t.flows,
                        first_ts: t.first_ts,
                        last_ts: t.last_ts,
                        services: t.services.clone(),
                        mixed: false,
                    })
                })
                .collect();
            let known: HashSet<Address> = device.traffic.iter().map(|t| t.ip).collect();
            for ip in device.destinations.iter().filter(|ip| !known.contains(ip)) {
                let Some(&destination) = destination_of.get(ip) else { continue };
                let d = &analysis.destinations[destination];
                list.push(PairTraffic {
                    destination,
                    sent: Counters::default(),
                    received: Counters::default(),
                    flows: 0,
                    first_ts: d.first_ts,
                    last_ts: d.last_ts,
                    services: Vec::new(),
                    mixed: true,
                });
            }
            let bytes = list.iter().map(PairTraffic::bytes).fold(0u64, u64::saturating_add);
            DeviceTraffic { device: index, destinations: list, bytes }
        })
        .collect()
}

/// The devices as the page lists them: those with the most flagged destinations first, then
/// by bytes. Linear in the device-destination pairs plus a sort of the devices.
pub fn rank_devices(report: Report<'_>, traffic: &[DeviceTraffic]) -> Vec<RankedDevice> {
    let mut ranked: Vec<RankedDevice> = traffic
        .iter()
        .map(|t| RankedDevice {
            device: t.device,
            flagged: t.destinations.iter().filter(|p| report.verdicts.of(p.destination).flagged()).count(),
        })
        .collect();
    ranked.sort_by_key(|r| (usize::MAX - r.flagged, u64::MAX - traffic[r.device].bytes, r.device));
    ranked
}

/// One device's destinations, the most concerning first as the headline ranks them, then by
/// bytes. The page asks only for the cards it draws.
pub fn ranked<'a>(report: Report<'_>, traffic: &'a DeviceTraffic) -> Vec<&'a PairTraffic> {
    let analysis = report.analysis;
    let mut list: Vec<&PairTraffic> = traffic.destinations.iter().collect();
    list.sort_by_cached_key(|pair| {
        let d = &analysis.destinations[pair.destination];
        (concern_rank(&concerns(d, report.verdicts.of(pair.destination))), u64::MAX - pair.bytes(), d.ip)
    });
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{analysis, destination, device, seen};
    use phonehome::report::model::Traffic;
    use phonehome::report::verdict::Viewpoint;

    fn traffic(ip: &str, sent: (u64, u64), received: (u64, u64), flows: u64) -> Traffic {
        Traffic {
            ip: ip.parse().unwrap(),
            sent: Counters { packets: sent.0, bytes: sent.1 },
            received: Counters { packets: received.0, bytes: received.1 },
            flows,
            services: vec!["udp/8000".parse().unwrap()],
            first_ts: 12.0,
            last_ts: 21.0,
        }
    }

    #[test]
    fn devices_show_their_own_traffic_flagged_first() {
        let mut a = analysis(vec![destination("52.1.1.1", Some("US")), destination("180.76.76.76", Some("CN"))]);
        a.devices = vec![
            device("00:11:22:33:44:55", &["10.0.0.2"], &["52.1.1.1", "180.76.76.76"]),
            device("00:11:22:33:44:66", &["10.0.0.3"], &["52.1.1.1"]),
        ];
        a.devices[0].traffic =
            vec![traffic("52.1.1.1", (2, 200), (3, 3000), 1), traffic("180.76.76.76", (6, 600), (1, 60), 2)];
        a.devices[1].traffic = vec![traffic("52.1.1.1", (7, 70), (5, 60), 2)];
        // The second device, unflagged, has more bytes than the first.
        a.devices[1].traffic[0].received.bytes = 9000;
        let devices = by_device(&a);
        let report = seen(a, Some("US"), &[]);
        let order = rank_devices(report.view(), &devices);
        assert_eq!(
            order.iter().map(|d| (d.device, d.flagged)).collect::<Vec<_>>(),
            [(0, 1), (1, 0)],
            "flagged device first"
        );
        let first = ranked(report.view(), &devices[0]);
        assert_eq!(first[0].destination, 1, "foreign destination first");
        assert_eq!(first[0].sent, Counters { packets: 6, bytes: 600 });
        assert_eq!(first[0].received, Counters { packets: 1, bytes: 60 });
        assert_eq!((first[0].flows, first[0].first_ts), (2, 12.0));
        assert_eq!(devices[0].bytes, 3860);
        assert_eq!(devices[1].destinations[0].sent, Counters { packets: 7, bytes: 70 });
        assert!(devices.iter().flat_map(|d| &d.destinations).all(|p| !p.mixed));
        // Seen from China, each has one flagged destination: bytes decide.
        let from_china =
            report.judged(Viewpoint { home: phonehome::country::CountryCode::new("CN"), watch: Vec::new() });
        let order = rank_devices(from_china.view(), &devices);
        assert_eq!(order.iter().map(|d| (d.device, d.flagged)).collect::<Vec<_>>(), [(1, 1), (0, 1)]);
        assert_eq!(ranked(from_china.view(), &devices[0])[0].destination, 0, "the American one is abroad now");
    }

    #[test]
    fn destinations_without_traffic_of_their_own_are_mixed_and_count_nothing() {
        // As in a link made before links carried each device's traffic.
        let mut a = analysis(vec![destination("224.0.0.251", None)]);
        a.destinations[0].devices = vec!["aa".into(), "bb".into()];
        a.destinations[0].sent = Counters { packets: 4, bytes: 400 };
        a.devices = vec![device("aa", &[], &["224.0.0.251"]), device("bb", &[], &["224.0.0.251", "9.9.9.9"])];
        for d in by_device(&a) {
            assert_eq!(d.destinations.len(), 1, "unknown destinations are skipped");
            let pair = &d.destinations[0];
            assert!(pair.mixed, "device {}", d.device);
            assert_eq!((pair.bytes(), d.bytes), (0, 0), "nothing is made up");
        }
    }

    #[test]
    fn labels_prefer_names() {
        let mut d = device("00:11:22:33:44:55", &["10.0.0.9"], &[]);
        assert_eq!(device_label(&d), "00:11:22:33:44:55");
        d.name = Some("doorbell".into());
        assert_eq!(device_label(&d), "doorbell");
        d.name = None;
        d.mac = None;
        assert_eq!(device_label(&d), "10.0.0.9");
    }

    #[test]
    fn names_given_list_only_the_sources_that_named_it() {
        let mut d = device("00:11:22:33:44:55", &["10.0.0.9"], &[]);
        assert_eq!(names_given(&d), None);
        d.names_by_source.mdns = vec!["Living Room TV".into(), "Chromecast".into()];
        d.names_by_source.dhcp_vendor_class = vec!["udhcp 1.19.4".into()];
        assert_eq!(names_given(&d).as_deref(), Some("DHCP client: udhcp 1.19.4 · mDNS: Living Room TV, Chromecast"));
    }
}
