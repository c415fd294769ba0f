//! Share link to report, treating the fragment as hostile: every length, count, index and
//! string is checked, decompression is capped, and any fault is one clear error
//! ([`DamagedLink`]); nothing is trusted into the report unchecked. AS, organisation and
//! country are looked up again in the viewer's own table (passed in). Links of every version
//! this build knows open (see `wire`): a version 1 link, made before links carried device
//! makers, gets them from its MACs when it has them; a version 1 or 2 link shows no gateway
//! and no link types; a link before version 4 carries no traffic per device, so a device's
//! traffic is known only with the destinations it talked to alone.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use super::wire::{
    Additions, Additions3, Additions4, Additions5, Address, DeviceAdditions, Payload, ScopeP, TrafficP, NAMED_BY_DNS,
    NAMED_BY_HTTP, NAMED_BY_QUIC, NAMED_BY_SNI, VERSION, VERSION_1, VERSION_2, VERSION_3, VERSION_4,
};
use super::{damaged, DamagedLink, SharedReport, FRAGMENT_PREFIX, MAX_DECODED_BYTES, MAX_FRAGMENT_CHARS};
use crate::country::CountryCode;
use crate::decode::Mac;
use crate::diagnostic::DiagnosticKind;
use crate::geo::{is_locally_administered, Table};
use crate::report::model::{
    self, Analysis, CaptureSummary, Counters, Destination, Device, Diagnostic, NamesBySource, Periodic, Proto, Scan,
    Service, Traffic,
};
use crate::report::verdict::Viewpoint;
use crate::scope::{classify, Scope};

mod v5;

pub use v5::BASIS_LEFT_OUT;
mod validate;

use validate::{validate, validate_additions, validate_additions3, validate_additions4, validate_additions5};

/// Opens a fragment (with or without the leading `#`), looking addresses and makers up in
/// `geo` (none without a table).
pub fn decode(fragment: &str, geo: Option<&Table<'_>>) -> Result<SharedReport, DamagedLink> {
    let text = fragment.trim().trim_start_matches('#');
    let text = text.strip_prefix(FRAGMENT_PREFIX).ok_or_else(|| damaged("it does not hold a report"))?;
    if text.len() > MAX_FRAGMENT_CHARS {
        return Err(damaged("it is far too long"));
    }
    let bytes = URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).map_err(|_| damaged("it is not valid base64url"))?;
    let (&version, compressed) = bytes.split_first().ok_or_else(|| damaged("it is empty"))?;
    if !(VERSION_1..=VERSION).contains(&version) {
        return Err(damaged(format!("format version {version}, this page reads versions {VERSION_1} to {VERSION}")));
    }
    let packed = miniz_oxide::inflate::decompress_to_vec_with_limit(compressed, MAX_DECODED_BYTES)
        .map_err(|_| damaged("its compressed data is corrupt or too large"))?;
    let unparsable = |_| damaged("its contents do not parse");
    let (payload, rest): (Payload, &[u8]) = postcard::take_from_bytes(&packed).map_err(unparsable)?;
    // Each version adds its part after the previous one's (see `wire`).
    let (additions, additions3, additions4) = match version {
        VERSION_1 => (None, None, None),
        VERSION_2 => (Some(postcard::from_bytes::<Additions>(rest).map_err(unparsable)?), None, None),
        VERSION_3 => {
            let (additions, rest): (Additions, &[u8]) = postcard::take_from_bytes(rest).map_err(unparsable)?;
            (Some(additions), Some(postcard::from_bytes::<Additions3>(rest).map_err(unparsable)?), None)
        }
        _ => {
            let (additions, rest): (Additions, &[u8]) = postcard::take_from_bytes(rest).map_err(unparsable)?;
            let (additions3, rest): (Additions3, &[u8]) = postcard::take_from_bytes(rest).map_err(unparsable)?;
            (Some(additions), Some(additions3), Some(rest))
        }
    };
    let (additions4, additions5) = match (version, additions4) {
        (VERSION_4, Some(rest)) => (Some(postcard::from_bytes::<Additions4>(rest).map_err(unparsable)?), None),
        (_, Some(rest)) => {
            let (additions4, rest): (Additions4, &[u8]) = postcard::take_from_bytes(rest).map_err(unparsable)?;
            (Some(additions4), Some(postcard::from_bytes::<Additions5>(rest).map_err(unparsable)?))
        }
        (_, None) => (None, None),
    };
    let viewpoint = validate(&payload, geo)?;
    if let Some(additions) = &additions {
        validate_additions(&payload, additions)?;
    }
    if let Some(additions3) = &additions3 {
        validate_additions3(&payload, additions3)?;
    }
    if let Some(additions4) = &additions4 {
        validate_additions4(&payload, additions4)?;
    }
    if let Some(additions5) = &additions5 {
        validate_additions5(&payload, additions5)?;
    }
    let mut shared = report_of(payload, viewpoint, additions, additions3, additions4, geo);
    let analysis = &mut shared.analysis;
    match additions5 {
        Some(additions5) => v5::apply(analysis, additions5),
        // Judged again from what the link carries, as AS and country are looked up again.
        None => crate::report::build::assign_parties(&mut analysis.destinations, &analysis.devices),
    }
    Ok(shared)
}

/// A service as the link carries it: port 0 stands for "no port" except for TCP and UDP.
fn service_of(&(proto, port): &(u8, u16)) -> Service {
    let proto = Proto(proto);
    Service { proto, port: (port != 0 || proto.has_ports()).then_some(port) }
}

/// A link's address as the report has it, with its scope.
fn address_of(address: &Address) -> (model::Address, Scope) {
    match address {
        Address::V4(b) => {
            let ip = IpAddr::V4(Ipv4Addr::from(*b));
            (ip.into(), classify(ip))
        }
        Address::V6(b) => {
            let ip = IpAddr::V6(Ipv6Addr::from(*b));
            (ip.into(), classify(ip))
        }
        Address::Label(n, scope) => {
            let scope = match scope {
                ScopeP::Private | ScopeP::Other => Scope::Private,
                ScopeP::Shared => Scope::Shared,
                ScopeP::LinkLocal => Scope::LinkLocal,
                ScopeP::Loopback => Scope::Loopback,
            };
            (model::Address::Hidden(*n), scope)
        }
    }
}

fn report_of(
    p: Payload,
    viewpoint: Viewpoint,
    additions: Option<Additions>,
    additions3: Option<Additions3>,
    additions4: Option<Additions4>,
    geo: Option<&Table<'_>>,
) -> SharedReport {
    let additions3 = additions3.unwrap_or_default();
    let first_ms = p.capture.first_ms.unwrap_or(0);
    let ts = |offset: u64| (first_ms.saturating_add(offset.min(i64::MAX as u64) as i64)) as f64 / 1000.0;
    let mut device_destinations: Vec<Vec<model::Address>> = vec![Vec::new(); p.devices.len()];
    let notes = additions4.as_ref().map(|a| a.destinations.as_slice()).unwrap_or_default();
    let destinations: Vec<Destination> = p
        .destinations
        .iter()
        .enumerate()
        .map(|(j, d)| {
            let note = notes.get(j);
            let (ip, scope) = address_of(&d.address);
            let found = ip.ip().filter(|_| scope == Scope::Public).and_then(|ip| geo?.find(ip));
            for &i in &d.devices {
                device_destinations[i as usize].push(ip);
            }
            let sent = Counters { packets: d.sent.0, bytes: d.sent.1 };
            let received = Counters { packets: d.received.0, bytes: d.received.1 };
            let both = sent.plus(received);
            let names: Vec<String> = d.names.iter().map(|&i| p.strings[i as usize].clone()).collect();
            let mut names_by_source = NamesBySource::default();
            for (name, &bits) in names.iter().zip(note.map(|n| n.name_sources.as_slice()).unwrap_or_default()) {
                for (bit, list) in [
                    (NAMED_BY_DNS, &mut names_by_source.dns),
                    (NAMED_BY_SNI, &mut names_by_source.sni),
                    (NAMED_BY_QUIC, &mut names_by_source.quic),
                    (NAMED_BY_HTTP, &mut names_by_source.http),
                ] {
                    if bits & bit != 0 {
                        list.push(name.clone());
                    }
                }
            }
            let public = scope == Scope::Public;
            let mut destination = Destination {
                ip,
                scope,
                names,
                asn: found.and_then(|g| g.asn),
                as_org: found.and_then(|g| g.as_org).map(str::to_string),
                country: found.and_then(|g| g.country).and_then(CountryCode::new),
                devices: d.devices.iter().map(|&i| p.devices[i as usize].id.clone()).collect(),
                packets: both.packets,
                bytes: both.bytes,
                flows: d.flows,
                first_ts: ts(d.first_ms),
                last_ts: ts(d.last_ms),
                sent,
                received,
                services: d.services.iter().map(service_of).collect(),
                periodic: d.periodic.filter(|p| p.0.is_finite() && p.0 > 0.0).map(|(interval_s, jitter_s, beats)| {
                    Periodic { interval_s, jitter_s: if jitter_s.is_finite() { jitter_s } else { 0.0 }, beats }
                }),
                names_by_source,
                no_dns: note.and_then(|n| n.no_dns).filter(|_| public),
                anycast: public && ip.ip().and_then(crate::report::anycast::operator).is_some(),
                concerns: Vec::new(),
                party: None,
                timeline: None,
                new: None,
            };
            destination.concerns = destination.found_concerns(note.is_some_and(|n| n.plaintext));
            destination
        })
        .collect();
    let scans: Vec<Option<Scan>> = match &additions4 {
        Some(a) => a
            .scans
            .iter()
            .map(|s| {
                s.as_ref().map(|s| Scan {
                    addresses: s.addresses,
                    ports: s.ports,
                    answered: s.answered,
                    attempts: s.attempts,
                    packets: s.packets,
                    bytes: s.bytes,
                    first_ts: ts(s.first_ms),
                    last_ts: ts(s.last_ms),
                })
            })
            .collect(),
        None => vec![None; p.devices.len()],
    };
    let traffic_of = |t: &TrafficP| Traffic {
        ip: destinations[t.destination as usize].ip,
        sent: Counters { packets: t.sent.0, bytes: t.sent.1 },
        received: Counters { packets: t.received.0, bytes: t.received.1 },
        flows: t.flows,
        services: t.services.iter().map(service_of).collect(),
        first_ts: ts(t.first_ms),
        last_ts: ts(t.last_ms),
    };
    // A device's traffic with a destination of its own is that destination's totals; with a
    // destination of several devices it is its entry of version 4's additions (before version
    // 4, unknown).
    let mut shared_traffic: Vec<std::collections::HashMap<u32, &TrafficP>> = vec![Default::default(); p.devices.len()];
    for (entries, of_device) in additions4.iter().flat_map(|a| &a.traffic).zip(&mut shared_traffic) {
        of_device.extend(entries.iter().map(|t| (t.destination, t)));
    }
    let traffic: Vec<Vec<Traffic>> = (0u32..)
        .zip(&shared_traffic)
        .map(|(device, entries)| {
            (0u32..)
                .zip(&p.destinations)
                .filter(|(_, d)| d.devices.contains(&device))
                .filter_map(|(j, d)| match entries.get(&j) {
                    Some(t) => Some(traffic_of(t)),
                    None if d.devices == [device] => {
                        let d = &destinations[j as usize];
                        Some(Traffic {
                            ip: d.ip,
                            sent: d.sent,
                            received: d.received,
                            flows: d.flows,
                            services: d.services.clone(),
                            first_ts: d.first_ts,
                            last_ts: d.last_ts,
                        })
                    }
                    None => None,
                })
                .collect()
        })
        .collect();
    // A version 1 link says nothing about makers: a MAC it carries lets the viewer's own
    // table name them.
    let added = additions.map(|a| a.devices).unwrap_or_else(|| {
        let of_mac = |mac: [u8; 6]| DeviceAdditions {
            vendor: geo.and_then(|t| t.vendor(mac)).map(str::to_string),
            randomized_mac: is_locally_administered(mac),
        };
        let unknown = DeviceAdditions { vendor: None, randomized_mac: false };
        p.devices.iter().map(|d| d.mac.map_or(unknown.clone(), of_mac)).collect()
    });
    let devices: Vec<Device> = (0u32..)
        .zip(&p.devices)
        .zip(device_destinations)
        .zip(added)
        .zip(traffic)
        .zip(scans)
        .map(|(((((i, d), destinations), added), traffic), scan)| Device {
            id: d.id.clone(),
            mac: d.mac.map(Mac),
            // A device's own addresses are never labels (a redacted link has none).
            ips: d.ips.iter().filter_map(|a| address_of(a).0.ip()).collect(),
            name: d.name.clone(),
            // Links carry the chosen name only (see `wire`), not the names by source.
            names_by_source: Default::default(),
            destinations,
            gateway: additions3.gateways.contains(&i),
            vendor: added.vendor,
            randomized_mac: added.randomized_mac,
            traffic,
            scan,
            // Links do not carry when traffic went.
            timeline: None,
            // Links do not carry it: the page shows no protection bar for a shared report.
            protection: None,
        })
        .collect();
    let analysis = Analysis {
        capture: CaptureSummary {
            format: p.capture.format.clone(),
            packets: p.capture.packets,
            bytes: p.capture.bytes,
            first_ts: p.capture.first_ms.map(|_| ts(0)),
            last_ts: p.capture.first_ms.map(|_| ts(p.capture.duration_ms)),
            link_types: additions3.link_types,
            diagnostics: p
                .capture
                .diagnostics
                .iter()
                .filter_map(|(kind, count)| {
                    Some(Diagnostic {
                        kind: DiagnosticKind::from_name(kind)?,
                        count: *count,
                        first_packet: 0,
                        message: kind.replace('-', " "),
                    })
                })
                .collect(),
            non_ip_packets: additions3.non_ip_packets,
        },
        flows: Vec::new(),
        devices,
        destinations,
        geo_table_date: geo.and_then(|t| t.date()).map(str::to_string),
    };
    SharedReport {
        analysis,
        viewpoint,
        created: p.created,
        table_date: p.table_date,
        total_destinations: p.total_destinations,
        redacted: p.redacted,
    }
}
