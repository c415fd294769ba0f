//! Each device's own names: the names every sender gave, gathered per device (a device that
//! spoke from an IPv4 and an IPv6 address, and gave its DHCP name by MAC, is one device), and
//! the one the report calls it by.

use foldhash::HashMap;

use super::{device_key, DeviceKey};
use crate::devices::LocalSide;
use crate::names::device::{DeviceNameBook, GivenName, NameKind, Sender, MAX_PER_SOURCE};
use crate::report::model::DeviceNamesBySource;

/// Every device's names, in the order first seen. A name sent from an address goes to the
/// device the address's flows go to.
pub(super) fn by_device(book: DeviceNameBook, side: &LocalSide) -> HashMap<DeviceKey, Vec<GivenName>> {
    let mut out: HashMap<DeviceKey, Vec<GivenName>> = HashMap::default();
    for (sender, names) in book.into_senders() {
        let key = match sender {
            Sender::Mac(mac) => DeviceKey::Mac(mac),
            Sender::Ip(ip, mac) => device_key(side, ip, mac),
        };
        out.entry(key).or_default().extend(names);
    }
    for names in out.values_mut() {
        names.sort_by_key(|g| g.seen);
    }
    out
}

/// The names by source: each distinct, in the order first seen, at most [`MAX_PER_SOURCE`].
pub(super) fn by_source(names: &[GivenName]) -> DeviceNamesBySource {
    let mut out = DeviceNamesBySource::default();
    for given in names {
        let list = match given.kind {
            NameKind::DhcpHost => &mut out.dhcp,
            NameKind::DhcpVendorClass => &mut out.dhcp_vendor_class,
            NameKind::MdnsHost | NameKind::MdnsInstance | NameKind::MdnsModel => &mut out.mdns,
            NameKind::Ssdp => &mut out.ssdp,
            NameKind::Netbios => &mut out.netbios,
        };
        if list.len() < MAX_PER_SOURCE && !list.contains(&given.name) {
            list.push(given.name.clone());
        }
    }
    out
}

/// The name a device is called by, of those it gave, first seen first within each rank:
///
/// 1. its DHCP host name: what its owner or maker set, and what the router lists it as;
/// 2. its mDNS host name: its own name on the home network, often the owner's (`Annas-iPhone`);
/// 3. an mDNS service instance or its model: what someone named a service (`Living Room TV`),
///    or what it is, but a device can offer several;
/// 4. its NetBIOS name: a machine name, but cut to 15 characters and usually upper-cased;
/// 5. an SSDP `SERVER` banner, else its USN's `uuid:`: what software it runs, which says what
///    it is more than who.
///
/// The DHCP vendor class names the DHCP software, never the device.
pub(super) fn best_name(names: &[GivenName]) -> Option<String> {
    let rank = |g: &GivenName| match g.kind {
        NameKind::DhcpHost => Some(0),
        NameKind::MdnsHost => Some(1),
        NameKind::MdnsInstance | NameKind::MdnsModel => Some(2),
        NameKind::Netbios => Some(3),
        NameKind::Ssdp if !g.name.starts_with("uuid:") => Some(4),
        NameKind::Ssdp => Some(5),
        NameKind::DhcpVendorClass => None,
    };
    // `min_by_key` keeps the first of equals, and the names are in the order first seen.
    names.iter().filter_map(|g| Some((rank(g)?, g))).min_by_key(|(r, _)| *r).map(|(_, g)| g.name.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::Mac;
    use std::net::IpAddr;

    #[test]
    fn names_of_a_mac_and_its_addresses_make_one_device_ranked_by_source() {
        let mac = Mac([0x3c, 0x22, 0xfb, 1, 2, 3]);
        let (v4, v6, other): (IpAddr, IpAddr, IpAddr) =
            ("192.168.1.9".parse().unwrap(), "fe80::1".parse().unwrap(), "192.168.1.50".parse().unwrap());
        let mut side = LocalSide::default();
        side.mac_of.insert(v4, mac);
        side.mac_of.insert(v6, mac);
        let mut book = DeviceNameBook::default();
        book.add(Sender::Ip(v6, None), NameKind::Ssdp, "uuid:1234".into());
        book.add(Sender::Ip(v6, None), NameKind::Ssdp, "Linux UPnP/1.0 Sonos/70.3".into());
        book.add(Sender::Ip(v4, None), NameKind::MdnsInstance, "Living Room".into());
        book.add(Sender::Mac(mac), NameKind::DhcpVendorClass, "udhcp 1.19.4".into());
        book.add(Sender::Ip(v4, None), NameKind::MdnsHost, "Sonos-Kitchen".into());
        book.add(Sender::Ip(other, None), NameKind::Netbios, "NAS".into());
        // A global IPv6 address the local side does not know: the MAC it came from decides.
        book.add(Sender::Ip("2001:db8::9".parse().unwrap(), Some(mac)), NameKind::MdnsHost, "sonos".into());
        let devices = by_device(book, &side);
        let names = &devices[&DeviceKey::Mac(mac)];
        let listed = by_source(names);
        assert_eq!(listed.mdns, ["Living Room", "Sonos-Kitchen", "sonos"], "in the order first seen");
        assert_eq!(listed.ssdp, ["uuid:1234", "Linux UPnP/1.0 Sonos/70.3"]);
        assert_eq!(listed.dhcp_vendor_class, ["udhcp 1.19.4"]);
        assert!(listed.dhcp.is_empty() && listed.netbios.is_empty());
        assert_eq!(best_name(names).as_deref(), Some("Sonos-Kitchen"), "the mDNS host before an instance");
        assert_eq!(best_name(&devices[&DeviceKey::Ip(other)]).as_deref(), Some("NAS"));
        assert_eq!(best_name(&names[..1]).as_deref(), Some("uuid:1234"));
        assert_eq!(best_name(&names[..2]).as_deref(), Some("Linux UPnP/1.0 Sonos/70.3"), "a banner before a uuid");
        assert_eq!(best_name(&names[3..4]), None, "the vendor class names no device");
    }
}
