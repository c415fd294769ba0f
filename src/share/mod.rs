//! Share links: a report, never the capture, packed into a URL fragment.
//!
//! `encode` turns a [`Report`] into `#r=<base64url>`: one version byte, then the deflated
//! postcard bytes of a [`wire::Payload`]. Local identity (device MACs and addresses, local
//! destination addresses, optionally device names) is replaced by stable labels unless the
//! user keeps it. `decode` treats the fragment as hostile: every length, count, index and
//! string is checked, decompression is capped, and any fault is one clear error; nothing
//! is trusted into the report unchecked.

pub mod wire;

use std::collections::{HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;

use crate::report::model::{CaptureSummary, Counters, Destination, Device, Diagnostic, Report, SCHEMA};
use crate::scope::{classify, Scope};
use wire::{Address, CaptureP, DestinationP, DeviceP, Payload, ScopeP, VERSION};

/// Links longer than this are impractical (some browsers, chat tools and mail clients cut
/// them): the user is offered the top destinations only, or the JSON file.
pub const MAX_LINK_CHARS: usize = 32 * 1024;
/// What `decode` accepts at most, before and after decompression.
const MAX_FRAGMENT_CHARS: usize = 256 * 1024;
const MAX_DECODED_BYTES: usize = 4 * 1024 * 1024;
const MAX_DEVICES: usize = 10_000;
const MAX_DESTINATIONS: usize = 100_000;
const MAX_LABEL_LEN: usize = 64;
const FRAGMENT_PREFIX: &str = "r=";

/// Choices made in the share dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareOptions {
    /// Replace local addresses and MACs with labels ("Device 1", "Local address 1").
    pub redact_local: bool,
    /// Keep device names (from DHCP/mDNS), which often carry a person's name.
    pub keep_device_names: bool,
    /// Keep only this many destinations (the ones with most bytes).
    pub max_destinations: Option<usize>,
    /// When the link is made, Unix seconds (the core has no clock).
    pub created: u64,
}

impl Default for ShareOptions {
    fn default() -> Self {
        ShareOptions { redact_local: true, keep_device_names: false, max_destinations: None, created: 0 }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// The link would be longer than [`MAX_LINK_CHARS`]; `chars` says by how much.
    TooLarge { chars: usize, destinations: usize },
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShareError::TooLarge { chars, destinations } => write!(
                f,
                "a link for all {destinations} destinations would be {chars} characters, too long to share; \
                 share the top destinations only, or the JSON file"
            ),
        }
    }
}

/// Why a link could not be opened. The message is meant for the page as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DamagedLink {
    pub detail: String,
}

impl std::fmt::Display for DamagedLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "This link is damaged or was made by a newer version of phonehome ({}).", self.detail)
    }
}

impl std::error::Error for DamagedLink {}

fn damaged(detail: impl Into<String>) -> DamagedLink {
    DamagedLink { detail: detail.into() }
}

/// A report opened from a link.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedReport {
    pub report: Report,
    /// When the link was made, Unix seconds.
    pub created: u64,
    /// The IP table date the sender used; compare with [`crate::geo::table_date`].
    pub table_date: Option<String>,
    /// Set when the sender kept only the top destinations: how many there were.
    pub total_destinations: Option<u32>,
    pub redacted: bool,
}

/// Encodes a report as a URL fragment (`r=...`, without the `#`).
pub fn encode(report: &Report, options: &ShareOptions) -> Result<String, ShareError> {
    let payload = payload_of(report, options);
    let packed = postcard::to_allocvec(&payload).unwrap_or_default();
    let mut bytes = vec![VERSION];
    bytes.extend(miniz_oxide::deflate::compress_to_vec(&packed, 10));
    let fragment = format!("{FRAGMENT_PREFIX}{}", URL_SAFE_NO_PAD.encode(&bytes));
    if fragment.len() > MAX_LINK_CHARS {
        return Err(ShareError::TooLarge { chars: fragment.len(), destinations: payload.destinations.len() });
    }
    Ok(fragment)
}

/// Wraps raw payload bytes (version byte first, then deflate data) as a fragment, for tests
/// and fuzzing of [`decode`].
pub fn fragment_of_bytes(bytes: &[u8]) -> String {
    format!("{FRAGMENT_PREFIX}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// Opens a fragment (with or without the leading `#`).
pub fn decode(fragment: &str) -> Result<SharedReport, DamagedLink> {
    let text = fragment.trim().trim_start_matches('#');
    let text = text.strip_prefix(FRAGMENT_PREFIX).ok_or_else(|| damaged("it does not hold a report"))?;
    if text.len() > MAX_FRAGMENT_CHARS {
        return Err(damaged("it is far too long"));
    }
    let bytes = URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')).map_err(|_| damaged("it is not valid base64url"))?;
    let (&version, compressed) = bytes.split_first().ok_or_else(|| damaged("it is empty"))?;
    if version != VERSION {
        return Err(damaged(format!("format version {version}, this page reads version {VERSION}")));
    }
    let packed = miniz_oxide::inflate::decompress_to_vec_with_limit(compressed, MAX_DECODED_BYTES)
        .map_err(|_| damaged("its compressed data is corrupt or too large"))?;
    let payload: Payload = postcard::from_bytes(&packed).map_err(|_| damaged("its contents do not parse"))?;
    validate(&payload)?;
    Ok(report_of(payload))
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
    let mut mac = [0u8; 6];
    let mut parts = text.split(':');
    for byte in &mut mac {
        *byte = u8::from_str_radix(parts.next()?, 16).ok()?;
    }
    parts.next().is_none().then_some(mac)
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

fn report_of(p: Payload) -> SharedReport {
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
    let devices = p
        .devices
        .iter()
        .zip(device_destinations)
        .map(|(d, destinations)| Device {
            id: d.id.clone(),
            mac: d.mac.map(|m| crate::decode::Mac(m).to_string()),
            ips: d.ips.iter().map(|a| address_text(a).0).collect(),
            name: d.name.clone(),
            destinations,
            gateway: false,
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
            link_types: Vec::new(),
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
            non_ip_packets: 0,
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

#[cfg(test)]
mod tests;
