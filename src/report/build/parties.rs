//! Gives each public destination its party (whose it is, seen from the devices that reached
//! it) and so the `third_party` concern when it is another company's (`Destination::set_party`).

use foldhash::{HashMap, HashSet};

use crate::party::{self, lists::Lists, Identity, Named};
use crate::report::model::{Destination, Device};
use crate::scope::Scope;

/// What identifies a device to the lists: its MAC's registrant and the names it gave itself
/// (DHCP, mDNS, SSDP, NetBIOS; not the DHCP vendor class, which names its software). Devices
/// with the same are judged once (500,000 devices of one maker cost one judgement).
type Key<'a> = (Option<&'a str>, Vec<&'a str>);

fn key(device: &Device) -> Key<'_> {
    let by = &device.names_by_source;
    let mut names: Vec<&str> = device.name.as_deref().into_iter().collect();
    for name in [&by.dhcp, &by.mdns, &by.ssdp, &by.netbios].into_iter().flatten() {
        if !names.contains(&name.as_str()) {
            names.push(name);
        }
    }
    (device.vendor.as_deref(), names)
}

/// The destination's names, most telling first: a flow's own SNI, QUIC SNI or HTTP Host before
/// DNS answers.
fn names(d: &Destination) -> Vec<Named<'_>> {
    let by = &d.names_by_source;
    let sources = [(&by.sni, "SNI"), (&by.quic, "QUIC SNI"), (&by.http, "HTTP Host"), (&by.dns, "DNS name")];
    let mut out: Vec<Named<'_>> = Vec::new();
    let mut seen: HashSet<&str> = HashSet::default();
    for (list, source) in sources {
        for name in list.iter() {
            if seen.insert(name) {
                out.push(Named { name, source });
            }
        }
    }
    for name in &d.names {
        if seen.insert(name) {
            out.push(Named { name, source: "name" });
        }
    }
    out
}

/// Judges every public destination against its devices (the report builder, and a share
/// link's decoder with what the link carries: names, makers and, when kept, device names).
pub(crate) fn assign(destinations: &mut [Destination], devices: &[Device]) {
    assign_with(party::lists::embedded(), destinations, devices)
}

fn assign_with(lists: &Lists, destinations: &mut [Destination], devices: &[Device]) {
    // Each device's key once, and each distinct key's identity once.
    let key_of: HashMap<&str, Key<'_>> = devices.iter().map(|d| (d.id.as_str(), key(d))).collect();
    let mut identities: HashMap<&Key<'_>, Identity> = HashMap::default();
    for destination in destinations.iter_mut().filter(|d| d.scope == Scope::Public) {
        let keys: HashSet<&Key<'_>> = destination.devices.iter().filter_map(|id| key_of.get(id.as_str())).collect();
        let mut keys: Vec<&Key<'_>> = keys.into_iter().collect();
        keys.sort_unstable();
        let judged: Vec<Identity> = keys
            .into_iter()
            .map(|k| identities.entry(k).or_insert_with(|| party::identify(lists, k.0, &k.1)).clone())
            .collect();
        let found = party::judge(lists, &names(destination), destination.asn, destination.as_org.as_deref(), &judged);
        destination.set_party(Some(found));
    }
}
