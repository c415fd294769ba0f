//! The analysis of one capture as typed values: what was read, every flow, every device with
//! its traffic per destination, and every destination with what the capture and the geo table
//! say about it. It is the same whoever looks at it: the verdicts that depend on the viewer's
//! home country and watch list are computed apart ([`super::verdict`]).
//!
//! Values that have a closed set or a fixed form are types here (addresses, scopes, MACs,
//! services, country codes, diagnostic kinds); they turn into the strings of the
//! `phonehome.report/1` JSON contract only through their serde attributes and impls, and the
//! contract's own layout (with the verdicts in it) is written by [`super::json`].

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

pub use super::values::{sort_services, Address, Proto, Service};
use crate::country::CountryCode;
use crate::decode::{Mac, TcpFlags};
use crate::diagnostic::DiagnosticKind;
pub use crate::party::{Party, PartyKind};
use crate::scope::Scope;
pub use names::{DeviceNamesBySource, NamesBySource};
pub use protection::Protection;
pub use timeline::{ActiveBin, Timeline, MAX_BINS};

mod names;
mod protection;
mod timeline;

/// Schema identifier written into every report.
pub const SCHEMA: &str = "phonehome.report/1";

/// A whole analysis: the capture summary, every flow, and the per-device and
/// per-destination views derived from them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    pub capture: CaptureSummary,
    /// In time order.
    pub flows: Vec<Flow>,
    /// Most bytes first.
    pub devices: Vec<Device>,
    /// Most bytes first.
    pub destinations: Vec<Destination>,
    /// Date of the IP table the geo fields come from (`YYYY-MM-DD`), if any.
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
    pub kind: DiagnosticKind,
    pub count: u64,
    /// 1-based index of the first packet record concerned (0 when not tied to a packet).
    pub first_packet: u64,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    pub ip: IpAddr,
    pub port: Option<u16>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Counters {
    pub packets: u64,
    pub bytes: u64,
}

impl Counters {
    /// Both added, saturating (counts from a share link are not trusted to be small).
    pub fn plus(self, more: Counters) -> Counters {
        Counters { packets: self.packets.saturating_add(more.packets), bytes: self.bytes.saturating_add(more.bytes) }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Flow {
    pub proto: Proto,
    pub client: Endpoint,
    pub server: Endpoint,
    pub c2s: Counters,
    pub s2c: Counters,
    pub first_ts: f64,
    pub last_ts: f64,
    pub name: Option<String>,
    pub name_source: Option<NameSource>,
    /// TCP flags seen in either direction, written as `["SYN","ACK","FIN"]`.
    #[serde(default)]
    pub tcp_flags: TcpFlags,
}

impl Flow {
    /// The service the client asked for: the protocol and the server's port.
    pub fn service(&self) -> Service {
        Service { proto: self.proto, port: self.server.port }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Device {
    /// The MAC when the link has one, else the device's IP (a label like `Device 1` in a
    /// redacted share link).
    pub id: String,
    pub mac: Option<Mac>,
    pub ips: Vec<IpAddr>,
    /// The best of `names_by_source`, as the device wrote it (see `report::build`'s
    /// `best_name` for the order), else a `.local` name another host's answer gave its address.
    pub name: Option<String>,
    /// What it calls itself, by the protocol it said it in. (The report's JSON lists only the
    /// sources that named it.)
    #[serde(default)]
    pub names_by_source: DeviceNamesBySource,
    /// The destinations this device talked to, in the order it first did.
    pub destinations: Vec<Address>,
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
    /// What it exchanged with each of its destinations, in the order of `destinations`. A
    /// destination of several devices has each device's own share here. (Absent from reports
    /// and share links made before it was added: then only destinations of this device alone
    /// have an entry, with the destination's totals.)
    #[serde(default)]
    pub traffic: Vec<Traffic>,
    /// Set when the device tried to reach many addresses or ports with connections that
    /// carried almost nothing (see [`Scan`]); those attempts are summarised here, not listed
    /// as flows and destinations.
    #[serde(default)]
    pub scan: Option<Scan>,
    /// When all its traffic went (scan attempts included), on the analysis's shared axis.
    #[serde(default)]
    pub timeline: Option<Timeline>,
    /// How its bytes travelled: encrypted, in plaintext, or unknown (`None` in reports and
    /// share links made before it was added).
    #[serde(default)]
    pub protection: Option<Protection>,
}

/// A device that scanned: the attempts it made (flows it opened that carried at most a few
/// small packets each way), summarised. A camera taken over by a botnet looks like this.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Scan {
    /// Distinct addresses it tried.
    pub addresses: u64,
    /// Distinct server ports it tried.
    pub ports: u64,
    /// Attempts that got any answer (a SYN-ACK, a reset, a reply datagram).
    pub answered: u64,
    /// Attempts in all: each is a flow of the capture, counted here instead of listed.
    #[serde(default)]
    pub attempts: u64,
    /// Packets and bytes of all attempts, both directions.
    #[serde(default)]
    pub packets: u64,
    #[serde(default)]
    pub bytes: u64,
    #[serde(default)]
    pub first_ts: f64,
    #[serde(default)]
    pub last_ts: f64,
}

/// One device's traffic with one destination.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Traffic {
    /// The destination.
    pub ip: Address,
    /// Device to destination.
    pub sent: Counters,
    /// Destination to device.
    pub received: Counters,
    pub flows: u64,
    /// Server-side protocols and ports used between them, as `tcp/443`.
    pub services: Vec<Service>,
    pub first_ts: f64,
    pub last_ts: f64,
}

impl Traffic {
    pub fn bytes(&self) -> u64 {
        self.sent.bytes.saturating_add(self.received.bytes)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Destination {
    pub ip: Address,
    pub scope: Scope,
    pub names: Vec<String>,
    pub asn: Option<u32>,
    pub as_org: Option<String>,
    pub country: Option<CountryCode>,
    /// Ids of the devices that talked to it.
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
    /// Server-side protocols and ports used, in the order of their text (`tcp/443` before
    /// `tcp/80`).
    #[serde(default)]
    pub services: Vec<Service>,
    /// Set when the device sends small packets to it at a steady rhythm (a heartbeat).
    #[serde(default)]
    pub periodic: Option<Periodic>,
    /// Its names by where they came from; only the sources that named it.
    #[serde(default)]
    pub names_by_source: NamesBySource,
    /// For a public address: whether no DNS answer in the capture named it (a hard-coded
    /// address, or a lookup made before the capture started); `None` for other scopes, and
    /// when its devices resolve names over encrypted DNS, where lookups cannot be seen.
    #[serde(default)]
    pub no_dns: Option<bool>,
    /// An anycast address (a public resolver, a CDN's anycast range): served by a site near the
    /// user whatever country it is registered in, so it is never "abroad".
    #[serde(default)]
    pub anycast: bool,
    /// What about it deserves a look, found in the capture. (The report adds the viewer's own:
    /// `abroad` and `watched`; see `verdict`.)
    #[serde(default)]
    pub concerns: Vec<Concern>,
    /// Whose it is, seen from its devices (public addresses only).
    #[serde(default)]
    pub party: Option<Party>,
    /// When its traffic went, on the axis every timeline of the analysis shares; `None` in a
    /// report read from a share link or an older file.
    #[serde(default)]
    pub timeline: Option<Timeline>,
    /// Whether neither its address nor any of its names appears in an earlier capture or
    /// report (`report::compare`); `None` when there was nothing to compare with. Share links
    /// never carry it.
    #[serde(default)]
    pub new: Option<bool>,
}

/// Why a destination deserves a look. The order is their strength, strongest first, as the
/// report ranks them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Concern {
    /// In a country on the viewer's watch list.
    Watched,
    /// Contacted without a DNS lookup in the capture.
    NoDns,
    /// The device sent data and received nothing.
    UploadOnly,
    /// Another company's service (advertising, analytics, another maker's cloud).
    ThirdParty,
    /// Unencrypted application data (HTTP, plain MQTT, telnet, FTP and the like).
    Plaintext,
    /// Small packets at a steady rhythm.
    Heartbeat,
    /// Outside the viewer's home country (and not anycast).
    Abroad,
}

impl Concern {
    /// The sentence the page and the text summary give it.
    pub fn sentence(self) -> &'static str {
        match self {
            Concern::Watched => "in a country on your watch list",
            Concern::NoDns => {
                "no DNS lookup for this address in the capture (a hard-coded address, or the lookup happened \
                 before the capture started)"
            }
            Concern::UploadOnly => "the device only sent to it and received nothing back",
            Concern::ThirdParty => "another company's service, not the device maker's",
            Concern::Plaintext => {
                "unencrypted data (HTTP, MQTT, telnet, FTP or the like): anyone on the path can read it"
            }
            Concern::Heartbeat => "the device reports to it at a steady rhythm",
            Concern::Abroad => "outside your home country",
        }
    }

    /// A word or two for it, in lists and table cells.
    pub fn word(self) -> &'static str {
        match self {
            Concern::Watched => "watched country",
            Concern::NoDns => "no DNS lookup",
            Concern::UploadOnly => "upload only",
            Concern::ThirdParty => "third party",
            Concern::Plaintext => "unencrypted",
            Concern::Heartbeat => "heartbeat",
            Concern::Abroad => "abroad",
        }
    }

    /// Whether it depends on who reads the report (then the verdicts give it).
    pub fn of_the_viewer(self) -> bool {
        matches!(self, Concern::Watched | Concern::Abroad)
    }
}

impl Destination {
    /// The concerns its own facts show (`no_dns`, counters, heartbeat), and `plaintext` when
    /// the caller saw unencrypted data; strongest first.
    pub fn found_concerns(&self, plaintext: bool) -> Vec<Concern> {
        let public = self.scope == Scope::Public;
        // A resolver is reached by the address the device was configured with, never looked
        // up: that is no concern.
        let resolver = !self.services.is_empty() && self.services.iter().all(|s| matches!(s.port, Some(53 | 853)));
        let mut concerns = Vec::new();
        concerns.extend((self.no_dns == Some(true) && !resolver).then_some(Concern::NoDns));
        concerns.extend((public && self.sent.packets > 0 && self.received.packets == 0).then_some(Concern::UploadOnly));
        concerns.extend(plaintext.then_some(Concern::Plaintext));
        concerns.extend(self.periodic.map(|_| Concern::Heartbeat));
        concerns
    }

    /// Sets its party, with the `third_party` concern when (and only when) it is another
    /// company's.
    pub fn set_party(&mut self, party: Option<Party>) {
        self.concerns.retain(|c| *c != Concern::ThirdParty);
        if party.as_ref().is_some_and(|p| p.kind == PartyKind::Third) {
            self.concerns.push(Concern::ThirdParty);
            self.concerns.sort_unstable();
        }
        self.party = party;
    }

    /// Its country, when it is a public address the table places (only those can be abroad).
    pub fn public_country(&self) -> Option<CountryCode> {
        self.country.filter(|_| self.scope == Scope::Public)
    }
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

/// Where a flow's name came from, weakest first (a flow's own SNI or Host beats DNS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum NameSource {
    Dns,
    Sni,
    Http,
}

impl NameSource {
    pub fn as_str(self) -> &'static str {
        match self {
            NameSource::Dns => "dns",
            NameSource::Sni => "sni",
            NameSource::Http => "http",
        }
    }
}
