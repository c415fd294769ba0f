//! What a correct analysis of a generated capture must find, recorded while the capture is
//! generated (so it cannot drift from the bytes): the devices, each device's destinations with
//! the name that identifies them and where that name comes from, and the periodic flows.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use super::home::Device;
use super::wire::Mac;

use crate::report::model::Concern;
/// Where the name of a destination comes from, strongest last: the report's own type.
pub use crate::report::model::NameSource;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DestinationTruth {
    pub ip: IpAddr,
    /// The name the device used for it; `None` when it was contacted by address only.
    pub name: Option<String>,
    pub source: Option<NameSource>,
    /// The concerns the scenario built into it (not `abroad` and `watched`, which depend on
    /// the viewer; `third_party` only where the scenario means it: a tracker, another
    /// company's network), in the report's order.
    pub concerns: Vec<Concern>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeviceTruth {
    /// Lower case, colon separated.
    pub mac: String,
    /// The DHCP host name (option 12), also its mDNS name without `.local` when it announces.
    pub hostname: String,
    /// Its maker as the IEEE OUI registry names it; `None` for a randomised MAC.
    pub vendor: Option<String>,
    /// Whether its MAC is randomised (locally administered).
    pub randomized_mac: bool,
    /// Its IPv4 address and, for IPv6 devices, its global address from the ISP prefix.
    pub ips: Vec<IpAddr>,
    pub link_local: Option<Ipv6Addr>,
    pub vlan: Option<u16>,
    /// Sorted by address.
    pub destinations: Vec<DestinationTruth>,
}

/// A flow of small packets at a steady pace, such as the doorbell's audio snippets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeriodicTruth {
    pub device_mac: String,
    /// `udp`.
    pub proto: &'static str,
    pub client: SocketAddr,
    pub server: SocketAddr,
    /// Packets sent client to server; the server never answers.
    pub packets: u64,
    pub payload_len: usize,
    pub period_ms: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Truth {
    pub router_mac: String,
    pub router_ip: IpAddr,
    pub devices: Vec<DeviceTruth>,
    pub periodic: Vec<PeriodicTruth>,
    /// Packet records in the file and the sum of their frame lengths.
    pub packets: u64,
    pub frame_bytes: u64,
    /// Size of the file.
    pub file_bytes: u64,
}

pub fn mac_text(mac: Mac) -> String {
    mac.iter().map(|b| format!("{b:02x}")).collect::<Vec<_>>().join(":")
}

/// Collects destinations while the scenario runs.
#[derive(Debug, Default)]
pub struct Recorder {
    destinations: BTreeMap<usize, BTreeMap<IpAddr, DestinationTruth>>,
}

impl Recorder {
    /// Notes that device `device` reached `ip`, named `name` by `source`. A stronger source
    /// replaces a weaker one; the scenario always uses one name per address.
    pub fn reached(&mut self, device: usize, ip: IpAddr, name: Option<&str>, source: Option<NameSource>) {
        let entry = self.destinations.entry(device).or_default().entry(ip).or_insert(DestinationTruth {
            ip,
            name: None,
            source: None,
            concerns: Vec::new(),
        });
        if source > entry.source {
            entry.source = source;
            entry.name = name.map(str::to_string);
        }
    }

    /// Notes that the scenario made `ip` a destination of this concern for `device`.
    pub fn concern(&mut self, device: usize, ip: IpAddr, concern: Concern) {
        if let Some(entry) = self.destinations.get_mut(&device).and_then(|d| d.get_mut(&ip)) {
            if !entry.concerns.contains(&concern) {
                entry.concerns.push(concern);
                entry.concerns.sort_unstable();
            }
        }
    }

    pub fn devices(&self, devices: &[Device]) -> Vec<DeviceTruth> {
        devices
            .iter()
            .enumerate()
            .map(|(i, d)| {
                let mut ips: Vec<IpAddr> = vec![d.ipv4.into()];
                ips.extend(d.ipv6.map(IpAddr::from));
                DeviceTruth {
                    mac: mac_text(d.mac),
                    hostname: d.hostname.to_string(),
                    vendor: d.vendor.map(str::to_string),
                    randomized_mac: d.mac[0] & 0x02 != 0,
                    ips,
                    link_local: d.link_local,
                    vlan: d.vlan,
                    destinations: self.destinations.get(&i).map(|m| m.values().cloned().collect()).unwrap_or_default(),
                }
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stronger_source_wins() {
        let mut r = Recorder::default();
        let ip: IpAddr = "52.86.25.4".parse().unwrap();
        r.reached(0, ip, None, None);
        r.reached(0, ip, Some("snu.lgtvsdp.com"), Some(NameSource::Dns));
        r.reached(0, ip, Some("snu.lgtvsdp.com"), Some(NameSource::Sni));
        r.reached(0, ip, Some("snu.lgtvsdp.com"), Some(NameSource::Dns));
        let d = &r.destinations[&0][&ip];
        assert_eq!(d.source, Some(NameSource::Sni));
        assert_eq!(d.name.as_deref(), Some("snu.lgtvsdp.com"));
        assert_eq!(mac_text([0xa0, 0x04, 0x60, 1, 0xab, 0xff]), "a0:04:60:01:ab:ff");
    }
}
