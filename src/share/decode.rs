//! Share link to report, treating the fragment as hostile: every length, count, index and
//! string is checked, decompression is capped, and any fault is one clear error
//! ([`DamagedLink`]); nothing is trusted into the report unchecked. AS, organisation and
//! country are looked up again in the viewer's own table. Links of every version this build
//! knows open (see `wire`): a version 1 link, made before links carried device makers, gets
//! them from its MACs when it has them; a version 1 or 2 link shows no gateway and no link
//! types.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use super::wire::{Additions, Additions3, Address, DeviceAdditions, Payload, ScopeP, VERSION, VERSION_1, VERSION_2};
use super::{
    damaged, DamagedLink, SharedReport, FRAGMENT_PREFIX, MAX_DECODED_BYTES, MAX_DESTINATIONS, MAX_DEVICES,
    MAX_FRAGMENT_CHARS, MAX_LABEL_LEN,
};
use crate::geo::is_locally_administered;
use crate::report::model::{CaptureSummary, Counters, Destination, Device, Diagnostic, Report, SCHEMA};
use crate::scope::{classify, Scope};

/// Opens a fragment (with or without the leading `#`).
pub fn decode(fragment: &str) -> Result<SharedReport, DamagedLink> {
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
    let (additions, additions3) = match version {
        VERSION_1 => (None, None),
        VERSION_2 => (Some(postcard::from_bytes::<Additions>(rest).map_err(unparsable)?), None),
        _ => {
            let (additions, rest): (Additions, &[u8]) = postcard::take_from_bytes(rest).map_err(unparsable)?;
            (Some(additions), Some(postcard::from_bytes::<Additions3>(rest).map_err(unparsable)?))
        }
    };
    validate(&payload)?;
    if let Some(additions) = &additions {
        validate_additions(&payload, additions)?;
    }
    if let Some(additions3) = &additions3 {
        validate_additions3(&payload, additions3)?;
    }
    Ok(report_of(payload, additions, additions3))
}

/// Gateways must be devices of the link, each named once; link types are short names; the
/// frames that were not IP are some of the capture's.
fn validate_additions3(p: &Payload, additions: &Additions3) -> Result<(), DamagedLink> {
    let mut gateways = additions.gateways.clone();
    gateways.sort_unstable();
    gateways.dedup();
    if gateways.len() != additions.gateways.len() || gateways.iter().any(|&i| i as usize >= p.devices.len()) {
        return Err(damaged("its gateway is not one of its devices"));
    }
    let link_type = |t: &String| {
        !t.is_empty()
            && t.len() <= 32
            && t.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-:".contains(&b))
    };
    if additions.link_types.len() > 64 || !additions.link_types.iter().all(link_type) {
        return Err(damaged("a link type is not valid"));
    }
    if additions.non_ip_packets > p.capture.packets {
        return Err(damaged("it counts more frames than its capture has"));
    }
    Ok(())
}

/// The additions must describe exactly the payload's devices, agree with any MAC the link
/// carries, and hold only a maker's name as the registry writes them.
fn validate_additions(p: &Payload, additions: &Additions) -> Result<(), DamagedLink> {
    if additions.devices.len() != p.devices.len() {
        return Err(damaged("its device makers do not match its devices"));
    }
    for (device, added) in p.devices.iter().zip(&additions.devices) {
        let randomized_ok = device.mac.is_none_or(|mac| is_locally_administered(mac) == added.randomized_mac);
        let vendor_ok = added.vendor.as_deref().is_none_or(|v| !added.randomized_mac && is_vendor_name(v));
        if !randomized_ok || !vendor_ok {
            return Err(damaged("a device's maker is not valid"));
        }
    }
    Ok(())
}

/// A maker's name: at most 255 bytes (what the table can hold), trimmed, and free of control
/// characters and of the invisible characters that turn the direction of the text around it
/// (the registry's own names have none).
fn is_vendor_name(text: &str) -> bool {
    let turns_direction = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    !text.is_empty()
        && text.len() <= 255
        && text.trim() == text
        && !text.chars().any(|c| c.is_control() || turns_direction(c))
}

/// Inverse of [`parse_service`]: port 0 stands for "no port" except for TCP and UDP.
fn service_name(proto: u8, port: u16) -> String {
    let port = (port != 0 || matches!(proto, 6 | 17)).then_some(port);
    crate::report::build::service(proto, port)
}

/// A short label or code: letters, digits and a few separators, nothing that could be markup.
fn plain(text: &str, max: usize) -> bool {
    text.len() <= max && text.chars().all(|c| c.is_ascii_alphanumeric() || " :.-+_".contains(c))
}

fn validate(p: &Payload) -> Result<(), DamagedLink> {
    if p.devices.len() > MAX_DEVICES || p.destinations.len() > MAX_DESTINATIONS {
        return Err(damaged("it lists more devices or destinations than any capture could have"));
    }
    let country = |c: &String| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase());
    if p.home.as_ref().is_some_and(|h| !country(h)) || !p.watch.iter().all(country) || p.watch.len() > 300 {
        return Err(damaged("a country code is not valid"));
    }
    if p.table_date.as_ref().is_some_and(|d| !plain(d, 16)) || !plain(&p.capture.format, 32) {
        return Err(damaged("a capture field is not valid"));
    }
    if p.capture.diagnostics.len() > 1000 || !p.capture.diagnostics.iter().all(|(k, _)| plain(k, MAX_LABEL_LEN)) {
        return Err(damaged("a diagnostic is not valid"));
    }
    for s in &p.strings {
        if crate::names::clean_name(s.as_bytes()).as_deref() != Some(s.as_str()) {
            return Err(damaged("a destination name is not a host name"));
        }
    }
    for d in &p.devices {
        if !plain(&d.id, MAX_LABEL_LEN) || d.ips.len() > 1000 {
            return Err(damaged("a device is not valid"));
        }
        if let Some(name) = &d.name {
            if crate::names::clean_name(name.as_bytes()).as_deref() != Some(name.as_str()) {
                return Err(damaged("a device name is not valid"));
            }
        }
    }
    for d in &p.destinations {
        let names_ok = d.names.len() <= 100 && d.names.iter().all(|&i| (i as usize) < p.strings.len());
        let devices_ok =
            d.devices.len() <= p.devices.len() && d.devices.iter().all(|&i| (i as usize) < p.devices.len());
        if !names_ok || !devices_ok || d.services.len() > 1000 || d.last_ms < d.first_ms {
            return Err(damaged("a destination is not valid"));
        }
    }
    Ok(())
}

fn address_text(address: &Address) -> (String, Scope) {
    match address {
        Address::V4(b) => {
            let ip = IpAddr::V4(Ipv4Addr::from(*b));
            (ip.to_string(), classify(ip))
        }
        Address::V6(b) => {
            let ip = IpAddr::V6(Ipv6Addr::from(*b));
            (ip.to_string(), classify(ip))
        }
        Address::Label(n, scope) => {
            let scope = match scope {
                ScopeP::Private | ScopeP::Other => Scope::Private,
                ScopeP::Shared => Scope::Shared,
                ScopeP::LinkLocal => Scope::LinkLocal,
                ScopeP::Loopback => Scope::Loopback,
            };
            (format!("Local address {n}"), scope)
        }
    }
}

fn report_of(p: Payload, additions: Option<Additions>, additions3: Option<Additions3>) -> SharedReport {
    let additions3 = additions3.unwrap_or_default();
    let first_ms = p.capture.first_ms.unwrap_or(0);
    let ts = |offset: u64| (first_ms.saturating_add(offset.min(i64::MAX as u64) as i64)) as f64 / 1000.0;
    let mut device_destinations: Vec<Vec<String>> = vec![Vec::new(); p.devices.len()];
    let destinations: Vec<Destination> = p
        .destinations
        .iter()
        .map(|d| {
            let (ip, scope) = address_text(&d.address);
            let geo = ip.parse::<IpAddr>().ok().filter(|_| scope == Scope::Public).and_then(crate::geo::lookup);
            for &i in &d.devices {
                device_destinations[i as usize].push(ip.clone());
            }
            Destination {
                scope: scope.as_str().to_string(),
                names: d.names.iter().map(|&i| p.strings[i as usize].clone()).collect(),
                asn: geo.as_ref().and_then(|g| g.asn),
                as_org: geo.as_ref().and_then(|g| g.as_org).map(str::to_string),
                country: geo.as_ref().and_then(|g| g.country).map(str::to_string),
                foreign: false,
                watched: false,
                devices: d.devices.iter().map(|&i| p.devices[i as usize].id.clone()).collect(),
                packets: d.sent.0.saturating_add(d.received.0),
                bytes: d.sent.1.saturating_add(d.received.1),
                flows: d.flows,
                first_ts: ts(d.first_ms),
                last_ts: ts(d.last_ms),
                sent: Counters { packets: d.sent.0, bytes: d.sent.1 },
                received: Counters { packets: d.received.0, bytes: d.received.1 },
                services: d.services.iter().map(|&(proto, port)| service_name(proto, port)).collect(),
                periodic: d.periodic.filter(|p| p.0.is_finite() && p.0 > 0.0).map(|(interval_s, jitter_s, beats)| {
                    crate::report::model::Periodic {
                        interval_s,
                        jitter_s: if jitter_s.is_finite() { jitter_s } else { 0.0 },
                        beats,
                    }
                }),
                ip,
            }
        })
        .collect();
    // A version 1 link says nothing about makers: a MAC it carries lets the viewer's own
    // table name them.
    let added = additions.map(|a| a.devices).unwrap_or_else(|| {
        let of_mac = |mac: [u8; 6]| DeviceAdditions {
            vendor: crate::geo::vendor(mac).map(str::to_string),
            randomized_mac: is_locally_administered(mac),
        };
        let unknown = DeviceAdditions { vendor: None, randomized_mac: false };
        p.devices.iter().map(|d| d.mac.map_or(unknown.clone(), of_mac)).collect()
    });
    let devices = (0u32..)
        .zip(&p.devices)
        .zip(device_destinations)
        .zip(added)
        .map(|(((i, d), destinations), added)| Device {
            id: d.id.clone(),
            mac: d.mac.map(|m| crate::decode::Mac(m).to_string()),
            ips: d.ips.iter().map(|a| address_text(a).0).collect(),
            name: d.name.clone(),
            destinations,
            gateway: additions3.gateways.contains(&i),
            vendor: added.vendor,
            randomized_mac: added.randomized_mac,
        })
        .collect();
    let mut report = Report {
        schema: SCHEMA.to_string(),
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
                .map(|(kind, count)| Diagnostic {
                    kind: kind.clone(),
                    count: *count,
                    first_packet: 0,
                    message: kind.replace('-', " "),
                })
                .collect(),
            non_ip_packets: additions3.non_ip_packets,
        },
        home_country: None,
        watch: Vec::new(),
        flows: Vec::new(),
        devices,
        destinations,
        geo_table_date: crate::geo::table_date().map(str::to_string),
    };
    report.apply_countries(p.home.as_deref(), &p.watch);
    SharedReport {
        report,
        created: p.created,
        table_date: p.table_date,
        total_destinations: p.total_destinations,
        redacted: p.redacted,
    }
}
