//! The share-link payload: what a link carries, as compact serde types that postcard turns
//! into varint-packed bytes (the core's only user of postcard; the page and its worker also
//! use it for the analysis they pass, see `src/bin/app/protocol.rs`).
//!
//! Only what the viewer cannot recompute is here: no AS, organisation or country (looked up
//! again from the viewer's table), no flows, timestamps as millisecond offsets from the start
//! of the capture, names as indices into one shared string table.
//!
//! Versions (the first byte, before compression): version 1 is a [`Payload`]; version 2 is the
//! same [`Payload`] followed by [`Additions`]; version 3 is version 2 followed by
//! [`Additions3`]; version 4 is version 3 followed by [`Additions4`] (each device's traffic per
//! destination). Postcard has no optional fields, so a version
//! adds what it carries after the previous version's bytes, which stay as they were: a
//! decoder reads every version it knows with the same types.

use serde::{Deserialize, Serialize};

/// The version this build writes.
pub const VERSION: u8 = 5;
/// Still read: links made before they carried parties and devices' names by source.
pub const VERSION_4: u8 = 4;
/// Still read: links made before they carried each device's traffic per destination.
pub const VERSION_3: u8 = 3;
/// Still read: links made before they carried the gateway and the capture's link types.
pub const VERSION_2: u8 = 2;
/// The first version, still read: links made before devices carried their maker.
pub const VERSION_1: u8 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Payload {
    /// When the link was made, Unix seconds.
    pub created: u64,
    /// Date of the IP table the report was made with.
    pub table_date: Option<String>,
    pub home: Option<String>,
    pub watch: Vec<String>,
    pub capture: CaptureP,
    pub devices: Vec<DeviceP>,
    pub destinations: Vec<DestinationP>,
    /// Destination names, referenced by index.
    pub strings: Vec<String>,
    /// Set when only the top destinations were kept: how many the report had.
    pub total_destinations: Option<u32>,
    /// Whether local addresses and MACs were replaced by labels.
    pub redacted: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CaptureP {
    pub format: String,
    pub packets: u64,
    pub bytes: u64,
    /// Milliseconds since the epoch of the first packet.
    pub first_ms: Option<i64>,
    pub duration_ms: u64,
    /// Diagnostic kinds and counts.
    pub diagnostics: Vec<(String, u64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceP {
    /// The device's id, or its label when redacted.
    pub id: String,
    pub mac: Option<[u8; 6]>,
    pub ips: Vec<Address>,
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Address {
    V4([u8; 4]),
    V6([u8; 16]),
    /// A redacted local address: its label number and its scope.
    Label(u32, ScopeP),
}

/// Scopes a redacted address can have (only local ones are ever redacted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScopeP {
    Private,
    Shared,
    LinkLocal,
    Loopback,
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DestinationP {
    pub address: Address,
    /// Indices into [`Payload::strings`].
    pub names: Vec<u32>,
    /// Indices into [`Payload::devices`].
    pub devices: Vec<u32>,
    pub sent: (u64, u64),
    pub received: (u64, u64),
    pub flows: u64,
    /// Milliseconds after the capture's first packet.
    pub first_ms: u64,
    pub last_ms: u64,
    /// (IP protocol number, server port or 0).
    pub services: Vec<(u8, u16)>,
    /// Heartbeat: interval and jitter in seconds, beats.
    pub periodic: Option<(f64, f64, u64)>,
}

/// What version 2 adds after the [`Payload`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Additions {
    /// One per entry of [`Payload::devices`], in the same order.
    pub devices: Vec<DeviceAdditions>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceAdditions {
    /// Who made the device, from its MAC's OUI. Kept when MACs are redacted: it names a
    /// maker shared by many devices, not this one.
    pub vendor: Option<String>,
    /// Whether its MAC is randomised (locally administered).
    pub randomized_mac: bool,
}

/// What version 3 adds after version 2's [`Additions`]: facts of the report a viewer would
/// otherwise see blank. A link of an earlier version has none of them (the default).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Additions3 {
    /// Indices into [`Payload::devices`] of the gateway (the router the Internet is reached
    /// through; kept whatever the redaction, as it says which device routes, not who it is).
    pub gateways: Vec<u32>,
    /// The capture's link-layer types, by name (`ethernet`, `ieee802-11-radiotap`, ...).
    pub link_types: Vec<String>,
    /// Frames that were not IP (ARP, LLDP, ...): counted, not analysed.
    pub non_ip_packets: u64,
}

/// What version 4 adds after version 3's [`Additions3`]: what each device exchanged with each
/// of its destinations that other devices talked to as well, so a recipient sees the sender's
/// device cards. (A destination of one device needs no entry: its totals are that device's.)
/// One list per entry of [`Payload::devices`], in the same order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Additions4 {
    pub traffic: Vec<Vec<TrafficP>>,
    /// One per entry of [`Payload::devices`]: the device's scan, if it scanned.
    pub scans: Vec<Option<ScanP>>,
    /// One per entry of [`Payload::destinations`]: what the capture showed of it that the
    /// viewer cannot look up again.
    pub destinations: Vec<DestinationAdditions4>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DestinationAdditions4 {
    /// One per entry of its `names`: the sources that gave the name, as bits
    /// ([`NAMED_BY_DNS`], [`NAMED_BY_SNI`], [`NAMED_BY_QUIC`], [`NAMED_BY_HTTP`]).
    pub name_sources: Vec<u8>,
    /// Whether no DNS answer named it (see `Destination::no_dns`).
    pub no_dns: Option<bool>,
    /// Whether it received unencrypted application data.
    pub plaintext: bool,
}

pub const NAMED_BY_DNS: u8 = 1;
pub const NAMED_BY_SNI: u8 = 2;
pub const NAMED_BY_QUIC: u8 = 4;
pub const NAMED_BY_HTTP: u8 = 8;

/// A device's scan (see `report::scan`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScanP {
    pub addresses: u64,
    pub ports: u64,
    pub answered: u64,
    pub attempts: u64,
    pub packets: u64,
    pub bytes: u64,
    /// Milliseconds after the capture's first packet.
    pub first_ms: u64,
    pub last_ms: u64,
}

/// One device's traffic with one destination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrafficP {
    /// Index into [`Payload::destinations`]; that destination lists this device.
    pub destination: u32,
    /// Packets and bytes, device to destination.
    pub sent: (u64, u64),
    /// Packets and bytes, destination to device.
    pub received: (u64, u64),
    pub flows: u64,
    /// Milliseconds after the capture's first packet.
    pub first_ms: u64,
    pub last_ms: u64,
    /// (IP protocol number, server port or 0), as [`DestinationP::services`].
    pub services: Vec<(u8, u16)>,
}

/// What version 5 adds after version 4's [`Additions4`]: each destination's party as the
/// sender's report judged it (the recipient has no capture to judge it again from the same
/// facts), and the names each device gave itself. A link of an earlier version has none; the
/// recipient then judges parties from what the link carries.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Additions5 {
    /// One per entry of [`Payload::destinations`].
    pub parties: Vec<Option<PartyP>>,
    /// One per entry of [`Payload::devices`]; all empty when the link leaves names out.
    pub device_names: Vec<DeviceNamesP>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartyP {
    /// [`PARTY_FIRST`], [`PARTY_SUPPORT`], [`PARTY_THIRD`] or [`PARTY_UNKNOWN`].
    pub kind: u8,
    pub owner: Option<String>,
    /// Left out when the link leaves device names out: the basis may cite them.
    pub basis: Option<String>,
}

pub const PARTY_FIRST: u8 = 0;
pub const PARTY_SUPPORT: u8 = 1;
pub const PARTY_THIRD: u8 = 2;
pub const PARTY_UNKNOWN: u8 = 3;

/// A device's names by protocol (see `DeviceNamesBySource`), in its order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeviceNamesP {
    pub dhcp: Vec<String>,
    pub dhcp_vendor_class: Vec<String>,
    pub mdns: Vec<String>,
    pub ssdp: Vec<String>,
    pub netbios: Vec<String>,
}
