//! The `phonehome.report/1` JSON contract: plain serialisable data, kept apart from the
//! analysis types so the wire format only changes on purpose.
//!
//! Other tools (the page, the share link, scripts) depend on these field names: add fields,
//! never rename or remove them without bumping [`SCHEMA`].

use serde::{Deserialize, Serialize};

/// Schema identifier written into every report.
pub const SCHEMA: &str = "phonehome.report/1";

/// A whole analysis: the capture summary, every flow, and the per-device and
/// per-destination views derived from them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub schema: String,
    pub capture: CaptureSummary,
    /// ISO 3166-1 alpha-2 code of the user's home country, upper case.
    pub home_country: Option<String>,
    /// Watched countries, ISO 3166-1 alpha-2, upper case.
    pub watch: Vec<String>,
    pub flows: Vec<Flow>,
    pub devices: Vec<Device>,
    pub destinations: Vec<Destination>,
    /// Date of the embedded IP table the geo fields come from (`YYYY-MM-DD`), if any.
    #[serde(default)]
    pub geo_table_date: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaptureSummary {
    /// `pcap`, `pcap-modified`, `pcapng`; prefixed with `gzip+` or `zstd+` when compressed.
    pub format: String,
    /// Packet records read (every record, whether or not it decoded).
    pub packets: u64,
    /// Sum of original frame lengths of all packet records.
    pub bytes: u64,
    pub first_ts: Option<f64>,
    pub last_ts: Option<f64>,
    /// Link-layer types seen, by name (`ethernet`, `linux-sll`, `raw`, ... or `linktype:<n>`).
    pub link_types: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    /// Frames that were not IP (ARP, LLDP, spanning tree, ...): read and counted, not analysed.
    #[serde(default)]
    pub non_ip_packets: u64,
}

/// A problem met while reading: counted by kind, never fatal on its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Stable machine-readable kind, e.g. `truncated-file`, `unsupported-link-type`.
    pub kind: String,
    pub count: u64,
    /// 1-based index of the first packet record concerned (0 when not tied to a packet).
    pub first_packet: u64,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Endpoint {
    pub ip: String,
    pub port: Option<u16>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counters {
    pub packets: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    /// `tcp`, `udp`, `icmp`, `icmpv6` or `ip:<protocol number>`.
    pub proto: String,
    pub client: Endpoint,
    pub server: Endpoint,
    pub c2s: Counters,
    pub s2c: Counters,
    pub first_ts: f64,
    pub last_ts: f64,
    pub name: Option<String>,
    /// `dns`, `sni`, `http`, or null.
    pub name_source: Option<String>,
    /// TCP flags seen in either direction, e.g. `["SYN","ACK","FIN"]`.
    #[serde(default)]
    pub tcp_flags: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Device {
    /// The MAC when the link has one, else the device's IP.
    pub id: String,
    pub mac: Option<String>,
    pub ips: Vec<String>,
    /// From DHCP or mDNS, when the capture says.
    pub name: Option<String>,
    /// IPs of the destinations this device talked to.
    pub destinations: Vec<String>,
    /// Whether this is the gateway (the router the Internet is reached through).
    #[serde(default)]
    pub gateway: bool,
    /// Who made it, from its MAC's OUI (IEEE registry), e.g. `Espressif Inc.`; null when the
    /// MAC is unknown, unlisted or randomised.
    #[serde(default)]
    pub vendor: Option<String>,
    /// Whether its MAC is locally administered: a randomised ("private") address, as phones
    /// and laptops use per network, or a virtual machine's; such a MAC names no vendor.
    #[serde(default)]
    pub randomized_mac: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Destination {
    pub ip: String,
    /// `public`, `private`, `shared`, `loopback`, `link-local`, `multicast`, `broadcast`,
    /// `unspecified`, `documentation`, `reserved`.
    pub scope: String,
    pub names: Vec<String>,
    pub asn: Option<u32>,
    pub as_org: Option<String>,
    pub country: Option<String>,
    pub foreign: bool,
    pub watched: bool,
    /// Device ids that talked to it.
    pub devices: Vec<String>,
    /// Both directions added.
    pub packets: u64,
    pub bytes: u64,
    /// Number of flows.
    pub flows: u64,
    pub first_ts: f64,
    pub last_ts: f64,
    /// Device to destination.
    #[serde(default)]
    pub sent: Counters,
    /// Destination to device.
    #[serde(default)]
    pub received: Counters,
    /// Server-side ports and protocols used, e.g. `["tcp/443","udp/123"]`.
    #[serde(default)]
    pub services: Vec<String>,
    /// Set when the device sends small packets to it at a steady rhythm (a heartbeat).
    #[serde(default)]
    pub periodic: Option<Periodic>,
}

/// A heartbeat: small packets from a device at a steady interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Periodic {
    /// Mean seconds between beats.
    pub interval_s: f64,
    /// Standard deviation of the intervals, in seconds.
    pub jitter_s: f64,
    /// Beats seen (in the flow with the most).
    pub beats: u64,
}
