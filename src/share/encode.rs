//! Report to share link: picks what a link carries ([`super::wire::Payload`]), replacing local
//! identity (device MACs and addresses, local destination addresses, optionally device names)
//! by stable labels unless the user keeps it, then packs it: version byte, deflated postcard
//! bytes, base64url.

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, Ipv6Addr};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use super::wire::{
    Additions, Additions3, Address, CaptureP, DestinationP, DeviceAdditions, DeviceP, Payload, ScopeP, VERSION,
};
use super::{ShareError, ShareOptions, FRAGMENT_PREFIX, MAX_LINK_CHARS};
use crate::decode::Mac;
use crate::geo::is_locally_administered;
use crate::report::model::{Destination, Report};
use crate::scope::{classify, Scope};

/// Encodes a report as a URL fragment (`r=...`, without the `#`).
pub fn encode(report: &Report, options: &ShareOptions) -> Result<String, ShareError> {
    let payload = payload_of(report, options);
    // Version 3: the version 1 payload, then what versions 2 and 3 add (see `wire`).
    let packed = postcard::to_allocvec(&(&payload, additions_of(report), additions3_of(report))).unwrap_or_default();
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

fn payload_of(report: &Report, options: &ShareOptions) -> Payload {
    let device_ips: HashSet<&str> = report.devices.iter().flat_map(|d| d.ips.iter().map(String::as_str)).collect();
    let mut destinations: Vec<&Destination> = report.destinations.iter().collect();
    destinations.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.ip.cmp(&b.ip)));
    let total = destinations.len();
    if let Some(max) = options.max_destinations {
        destinations.truncate(max);
    }
    let device_index: HashMap<&str, u32> =
        report.devices.iter().enumerate().map(|(i, d)| (d.id.as_str(), i as u32)).collect();
    let devices = report
        .devices
        .iter()
        .enumerate()
        .map(|(i, d)| DeviceP {
            id: if options.redact_local { format!("Device {}", i + 1) } else { d.id.clone() },
            mac: if options.redact_local { None } else { d.mac.as_deref().and_then(parse_mac) },
            ips: if options.redact_local {
                Vec::new()
            } else {
                d.ips.iter().filter_map(|ip| ip.parse().ok()).map(address_of).collect()
            },
            name: if options.keep_device_names || !options.redact_local { d.name.clone() } else { None },
        })
        .collect();
    let first_ms = report.capture.first_ts.map(|t| (t * 1000.0) as i64);
    let offset = |ts: f64| ((ts * 1000.0) as i64).saturating_sub(first_ms.unwrap_or(0)).max(0) as u64;
    let mut strings: Vec<String> = Vec::new();
    let mut string_index: HashMap<String, u32> = HashMap::new();
    let mut labels = 0u32;
    let destinations = destinations
        .into_iter()
        .filter_map(|d| {
            let ip: IpAddr = d.ip.parse().ok()?;
            let scope = classify(ip);
            let local = scope.is_local_unicast() || device_ips.contains(d.ip.as_str()) || is_solicited_node(ip);
            let redacted = options.redact_local && local;
            let address = if redacted {
                labels += 1;
                Address::Label(labels, scope_p(scope))
            } else {
                address_of(ip)
            };
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
            Some(DestinationP {
                address,
                names,
                devices: d.devices.iter().filter_map(|id| device_index.get(id.as_str()).copied()).collect(),
                sent: (d.sent.packets, d.sent.bytes),
                received: (d.received.packets, d.received.bytes),
                flows: d.flows,
                first_ms: offset(d.first_ts),
                last_ms: offset(d.last_ts),
                services: d.services.iter().filter_map(|s| parse_service(s)).collect(),
                periodic: d.periodic.map(|p| (p.interval_s, p.jitter_s, p.beats)),
            })
        })
        .collect();
    let c = &report.capture;
    Payload {
        created: options.created,
        table_date: report.geo_table_date.clone(),
        home: report.home_country.clone(),
        watch: report.watch.clone(),
        capture: CaptureP {
            format: c.format.clone(),
            packets: c.packets,
            bytes: c.bytes,
            first_ms,
            duration_ms: match (c.first_ts, c.last_ts) {
                (Some(a), Some(b)) => ((b - a).max(0.0) * 1000.0) as u64,
                _ => 0,
            },
            diagnostics: c.diagnostics.iter().map(|d| (d.kind.clone(), d.count)).collect(),
        },
        devices,
        destinations,
        strings,
        total_destinations: options.max_destinations.filter(|m| *m < total).map(|_| total as u32),
        redacted: options.redact_local,
    }
}

/// Each device's maker and whether its MAC is randomised, in the order of the payload's
/// devices. Kept whatever the redaction: neither identifies the device. A MAC the report
/// gives has the last word on the flag (a report read from older JSON lacks it), and a
/// randomised MAC names no maker, so the decoder's checks always hold.
fn additions_of(report: &Report) -> Additions {
    let devices = report
        .devices
        .iter()
        .map(|d| {
            let randomized_mac = d.mac.as_deref().and_then(parse_mac).map_or(d.randomized_mac, is_locally_administered);
            DeviceAdditions { vendor: d.vendor.clone().filter(|_| !randomized_mac), randomized_mac }
        })
        .collect();
    Additions { devices }
}

/// Which devices are gateways, and the capture's link types and non-IP frames.
fn additions3_of(report: &Report) -> Additions3 {
    Additions3 {
        gateways: (0u32..).zip(&report.devices).filter(|(_, d)| d.gateway).map(|(i, _)| i).collect(),
        link_types: report.capture.link_types.clone(),
        non_ip_packets: report.capture.non_ip_packets,
    }
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

fn parse_mac(text: &str) -> Option<[u8; 6]> {
    text.parse::<Mac>().ok().map(|mac| mac.0)
}

fn parse_service(text: &str) -> Option<(u8, u16)> {
    let (proto, port) = match text.split_once('/') {
        Some((p, port)) => (p, port.parse().ok()?),
        None => (text, 0),
    };
    let number = match proto {
        "tcp" => 6,
        "udp" => 17,
        "icmp" => 1,
        "icmpv6" => 58,
        other => other.strip_prefix("ip:")?.parse().ok()?,
    };
    Some((number, port))
}
