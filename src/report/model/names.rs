//! Names by where they came from: a destination's (DNS, SNI, QUIC, HTTP) and a device's own
//! (DHCP, mDNS, SSDP, NetBIOS). The report's JSON lists only the sources that gave a name
//! (`super::super::json`); everywhere else every list is there, empty or not.

use serde::{Deserialize, Serialize};

/// A destination's names, by the source that gave each. (The report's JSON lists only the
/// sources that named it: see `json`.)
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamesBySource {
    #[serde(default)]
    pub dns: Vec<String>,
    /// The server name of a TLS ClientHello over TCP.
    #[serde(default)]
    pub sni: Vec<String>,
    /// The server name of a QUIC Initial's ClientHello.
    #[serde(default)]
    pub quic: Vec<String>,
    #[serde(default)]
    pub http: Vec<String>,
}

/// A device's names by the protocol it gave them in, each list distinct, in the order first
/// seen, at most 10 long, as the device wrote them (case and spaces kept).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeviceNamesBySource {
    /// Its DHCP host name (option 12, or the client FQDN of option 81).
    #[serde(default)]
    pub dhcp: Vec<String>,
    /// Its DHCP vendor class (option 60): the software asking, e.g. `udhcp 1.19.4`.
    #[serde(default)]
    pub dhcp_vendor_class: Vec<String>,
    /// From its own mDNS answers: its host name, its service instances, its model.
    #[serde(default)]
    pub mdns: Vec<String>,
    /// From its SSDP announcements and search answers: the `SERVER` header and the USN's `uuid:`.
    #[serde(default)]
    pub ssdp: Vec<String>,
    /// The unique NetBIOS names it registered or answered for.
    #[serde(default)]
    pub netbios: Vec<String>,
}

impl DeviceNamesBySource {
    /// Each source with its name in the report, in the report's order.
    pub fn sources(&self) -> [(&'static str, &Vec<String>); 5] {
        [
            ("dhcp", &self.dhcp),
            ("dhcp_vendor_class", &self.dhcp_vendor_class),
            ("mdns", &self.mdns),
            ("ssdp", &self.ssdp),
            ("netbios", &self.netbios),
        ]
    }
}
