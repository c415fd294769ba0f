//! Report to share link: picks what a link carries ([`super::wire::Payload`]), replacing local
//! identity (device MACs and addresses, local destination addresses, optionally device names)
//! by stable labels unless the user keeps it, then packs it: version byte, deflated postcard
//! bytes, base64url.

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, Ipv6Addr};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use super::wire::{
    Additions, Additions3, Additions4, Additions5, Address, CaptureP, DestinationAdditions4, DestinationP,
    DeviceAdditions, DeviceNamesP, DeviceP, PartyP, Payload, ScanP, ScopeP, TrafficP, NAMED_BY_DNS, NAMED_BY_HTTP,
    NAMED_BY_QUIC, NAMED_BY_SNI, PARTY_FIRST, PARTY_SUPPORT, PARTY_THIRD, PARTY_UNKNOWN, VERSION,
};
use super::{ShareError, ShareOptions, FRAGMENT_PREFIX, MAX_LINK_CHARS};
use crate::geo::is_locally_administered;
use crate::report::model::{self, Analysis, Concern, Destination, PartyKind, Service};
use crate::report::Report;
use crate::scope::Scope;

/// Encodes a report as a URL fragment (`r=...`, without the `#`): the analysis, and the home
/// country and watch list its verdicts were made for.
pub fn encode(report: Report<'_>, options: &ShareOptions) -> Result<String, ShareError> {
    let analysis = report.analysis;
    let kept = kept_destinations(analysis, options);
    let payload = payload_of(report, &kept, options);
    // Version 5: the version 1 payload, then what versions 2 to 5 add (see `wire`).
    let additions4 = additions4_of(analysis, &kept, &payload);
    let additions5 = additions5_of(analysis, &kept, options);
    let parts = (&payload, additions_of(analysis), additions3_of(analysis), additions4, additions5);
    let packed = postcard::to_allocvec(&parts).unwrap_or_default();
    let mut bytes = vec![VERSION];
    bytes.extend(miniz_oxide::deflate::compress_to_vec(&packed, 10));
    let fragment = format!("{FRAGMENT_PREFIX}{}", URL_SAFE_NO_PAD.encode(&bytes));
    if fragment.len() > MAX_LINK_CHARS {
        return Err(ShareError::TooLarge { chars: fragment.len(), destinations: payload.destinations.len() });
    }
    Ok(fragment)
}

/// Wraps raw payload bytes (version byte first, then deflate data) as a fragment, for tests
/// and fuzzing of [`super::decode`].
pub fn fragment_of_bytes(bytes: &[u8]) -> String {
    format!("{FRAGMENT_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The destinations a link keeps (the ones with most bytes, when the user keeps only the
/// top ones), by their address, with their index in the payload.
struct Kept<'a> {
    destinations: Vec<&'a Destination>,
    index: HashMap<model::Address, u32>,
    total: usize,
}

fn kept_destinations<'a>(analysis: &'a Analysis, options: &ShareOptions) -> Kept<'a> {
    let mut destinations: Vec<&Destination> = analysis.destinations.iter().collect();
    destinations.sort_by_cached_key(|d| (std::cmp::Reverse(d.bytes), d.ip.to_string()));
    let total = destinations.len();
    if let Some(max) = options.max_destinations {
        destinations.truncate(max);
    }
    let index = (0u32..).zip(&destinations).map(|(i, d)| (d.ip, i)).collect();
    Kept { destinations, index, total }
}

fn scope_p(scope: Scope) -> ScopeP {
    match scope {
        Scope::Private => ScopeP::Private,
        Scope::Shared => ScopeP::Shared,
        Scope::LinkLocal => ScopeP::LinkLocal,
        Scope::Loopback => ScopeP::Loopback,
        _ => ScopeP::Other,
    }
}

fn address_of(ip: IpAddr) -> Address {
    match ip {
        IpAddr::V4(v4) => Address::V4(v4.octets()),
        IpAddr::V6(v6) => Address::V6(v6.octets()),
    }
}

/// A service as a link carries it: the protocol number and the port, 0 for none.
fn service_p(service: &Service) -> (u8, u16) {
    (service.proto.0, service.port.unwrap_or(0))
}

fn payload_of(report: Report<'_>, kept: &Kept<'_>, options: &ShareOptions) -> Payload {
    let analysis = report.analysis;
    let device_ips: HashSet<IpAddr> = analysis.devices.iter().flat_map(|d| d.ips.iter().copied()).collect();
    let device_index: HashMap<&str, u32> =
        analysis.devices.iter().enumerate().map(|(i, d)| (d.id.as_str(), i as u32)).collect();
    let devices = analysis
        .devices
        .iter()
        .enumerate()
        .map(|(i, d)| DeviceP {
            id: if options.redact_local { format!("Device {}", i + 1) } else { d.id.clone() },
            mac: if options.redact_local { None } else { d.mac.map(|mac| mac.0) },
            ips: if options.redact_local { Vec::new() } else { d.ips.iter().copied().map(address_of).collect() },
            name: if options.keep_device_names || !options.redact_local { d.name.clone() } else { None },
        })
        .collect();
    let offset = ms_offset(analysis);
    let mut strings: Vec<String> = Vec::new();
    let mut string_index: HashMap<String, u32> = HashMap::new();
    let mut labels = 0u32;
    let destinations = kept
        .destinations
        .iter()
        .map(|d| {
            let local = match d.ip {
                model::Address::Ip(ip) => {
                    d.scope.is_local_unicast() || device_ips.contains(&ip) || is_solicited_node(ip)
                }
                // A report opened from a redacted link: its hidden addresses stay hidden.
                model::Address::Hidden(_) => true,
            };
            let address = match d.ip {
                model::Address::Ip(ip) if !(options.redact_local && local) => address_of(ip),
                _ => {
                    labels += 1;
                    Address::Label(labels, scope_p(d.scope))
                }
            };
            let redacted = matches!(address, Address::Label(..));
            // A local destination's names are its device's names ("annas-iphone.local", from
            // mDNS): they go or stay with the device names.
            let names = d
                .names
                .iter()
                .filter(|_| !redacted || options.keep_device_names)
                .map(|n| {
                    *string_index.entry(n.clone()).or_insert_with(|| {
                        strings.push(n.clone());
                        strings.len() as u32 - 1
                    })
                })
                .collect();
            DestinationP {
                address,
                names,
                devices: d.devices.iter().filter_map(|id| device_index.get(id.as_str()).copied()).collect(),
                sent: (d.sent.packets, d.sent.bytes),
                received: (d.received.packets, d.received.bytes),
                flows: d.flows,
                first_ms: offset(d.first_ts),
                last_ms: offset(d.last_ts),
                services: d.services.iter().map(service_p).collect(),
                periodic: d.periodic.map(|p| (p.interval_s, p.jitter_s, p.beats)),
            }
        })
        .collect();
    let c = &analysis.capture;
    let viewpoint = &report.verdicts.viewpoint;
    Payload {
        created: options.created,
        table_date: analysis.geo_table_date.clone(),
        home: viewpoint.home.map(|c| c.to_string()),
        watch: viewpoint.watch.iter().map(ToString::to_string).collect(),
        capture: CaptureP {
            format: c.format.clone(),
            packets: c.packets,
            bytes: c.bytes,
            first_ms: first_ms(analysis),
            duration_ms: match (c.first_ts, c.last_ts) {
                (Some(a), Some(b)) => ((b - a).max(0.0) * 1000.0) as u64,
                _ => 0,
            },
            diagnostics: c.diagnostics.iter().map(|d| (d.kind.as_str().to_string(), d.count)).collect(),
        },
        devices,
        destinations,
        strings,
        total_destinations: options.max_destinations.filter(|m| *m < kept.total).map(|_| kept.total as u32),
        redacted: options.redact_local,
    }
}

/// When the capture starts, in milliseconds since the epoch.
fn first_ms(analysis: &Analysis) -> Option<i64> {
    analysis.capture.first_ts.map(|t| (t * 1000.0) as i64)
}

/// Milliseconds from the start of the capture to a time in it (never negative).
fn ms_offset(analysis: &Analysis) -> impl Fn(f64) -> u64 {
    let first_ms = first_ms(analysis).unwrap_or(0);
    move |ts: f64| ((ts * 1000.0) as i64).saturating_sub(first_ms).max(0) as u64
}

/// Each device's maker and whether its MAC is randomised, in the order of the payload's
/// devices. Kept whatever the redaction: neither identifies the device. A MAC the report
/// gives has the last word on the flag (a report read from older JSON lacks it), and a
/// randomised MAC names no maker, so the decoder's checks always hold.
fn additions_of(analysis: &Analysis) -> Additions {
    let devices = analysis
        .devices
        .iter()
        .map(|d| {
            let randomized_mac = d.mac.map_or(d.randomized_mac, |mac| is_locally_administered(mac.0));
            DeviceAdditions { vendor: d.vendor.clone().filter(|_| !randomized_mac), randomized_mac }
        })
        .collect();
    Additions { devices }
}

/// Which devices are gateways, and the capture's link types and non-IP frames.
fn additions3_of(analysis: &Analysis) -> Additions3 {
    Additions3 {
        gateways: (0u32..).zip(&analysis.devices).filter(|(_, d)| d.gateway).map(|(i, _)| i).collect(),
        link_types: analysis.capture.link_types.clone(),
        non_ip_packets: analysis.capture.non_ip_packets,
    }
}

/// Each device's traffic with the destinations the link keeps that other devices talked to as
/// well (the traffic with a destination of its own is that destination's totals).
fn additions4_of(analysis: &Analysis, kept: &Kept<'_>, payload: &Payload) -> Additions4 {
    let offset = ms_offset(analysis);
    let traffic = analysis
        .devices
        .iter()
        .map(|device| {
            device
                .traffic
                .iter()
                .filter_map(|t| {
                    let destination = *kept.index.get(&t.ip)?;
                    if kept.destinations[destination as usize].devices.len() < 2 {
                        return None;
                    }
                    Some(TrafficP {
                        destination,
                        sent: (t.sent.packets, t.sent.bytes),
                        received: (t.received.packets, t.received.bytes),
                        flows: t.flows,
                        first_ms: offset(t.first_ts),
                        last_ms: offset(t.last_ts),
                        services: t.services.iter().map(service_p).collect(),
                    })
                })
                .collect()
        })
        .collect();
    let scans = analysis
        .devices
        .iter()
        .map(|device| {
            device.scan.map(|s| ScanP {
                addresses: s.addresses,
                ports: s.ports,
                answered: s.answered,
                attempts: s.attempts,
                packets: s.packets,
                bytes: s.bytes,
                first_ms: offset(s.first_ts),
                last_ms: offset(s.last_ts),
            })
        })
        .collect();
    let destinations = kept
        .destinations
        .iter()
        .zip(&payload.destinations)
        .map(|(d, carried)| DestinationAdditions4 {
            // The names the link carries (all, or none when they were hidden with local identity).
            name_sources: d.names.iter().take(carried.names.len()).map(|name| name_sources(d, name)).collect(),
            no_dns: d.no_dns,
            plaintext: d.concerns.contains(&Concern::Plaintext),
        })
        .collect();
    Additions4 { traffic, scans, destinations }
}

/// Each kept destination's party, and each device's names by source when the link keeps names
/// (the basis of a party may cite a device's name, so it goes only with them).
fn additions5_of(analysis: &Analysis, kept: &Kept<'_>, options: &ShareOptions) -> Additions5 {
    let names_kept = options.keep_device_names || !options.redact_local;
    let parties = kept
        .destinations
        .iter()
        .map(|d| {
            d.party.as_ref().map(|p| PartyP {
                kind: match p.kind {
                    PartyKind::First => PARTY_FIRST,
                    PartyKind::Support => PARTY_SUPPORT,
                    PartyKind::Third => PARTY_THIRD,
                    PartyKind::Unknown => PARTY_UNKNOWN,
                },
                owner: p.owner.clone(),
                basis: names_kept.then(|| p.basis.clone()),
            })
        })
        .collect();
    let device_names = analysis
        .devices
        .iter()
        .map(|d| match names_kept {
            true => {
                let by = &d.names_by_source;
                DeviceNamesP {
                    dhcp: by.dhcp.clone(),
                    dhcp_vendor_class: by.dhcp_vendor_class.clone(),
                    mdns: by.mdns.clone(),
                    ssdp: by.ssdp.clone(),
                    netbios: by.netbios.clone(),
                }
            }
            false => DeviceNamesP::default(),
        })
        .collect();
    Additions5 { parties, device_names }
}

/// The sources that gave `name` to `d`, as [`wire`](super::wire)'s bits.
fn name_sources(d: &Destination, name: &str) -> u8 {
    let by = &d.names_by_source;
    let bit = |list: &[String], bit: u8| if list.iter().any(|n| n == name) { bit } else { 0 };
    bit(&by.dns, NAMED_BY_DNS)
        | bit(&by.sni, NAMED_BY_SNI)
        | bit(&by.quic, NAMED_BY_QUIC)
        | bit(&by.http, NAMED_BY_HTTP)
}

/// IPv6 solicited-node multicast (`ff02::1:ffXX:XXXX`) carries the low 24 bits of a device's
/// address (often of its MAC), so it identifies the device as much as the address does.
fn is_solicited_node(ip: IpAddr) -> bool {
    const SOLICITED_NODE_PREFIX: Ipv6Addr = Ipv6Addr::new(0xff02, 0, 0, 0, 0, 1, 0xff00, 0);
    match ip {
        IpAddr::V6(v6) => u128::from(v6) & !0xff_ffff == u128::from(SOLICITED_NODE_PREFIX),
        IpAddr::V4(_) => false,
    }
}
