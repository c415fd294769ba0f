//! What a version 5 link adds to the report it opens: each destination's party as the sender's
//! report judged it (with the `third_party` concern it gives), and the names each device gave
//! itself. Applied after [`super::validate_additions5`] checked them.

use crate::report::model::{Analysis, DeviceNamesBySource, Party, PartyKind};
use crate::share::wire::{Additions5, PARTY_FIRST, PARTY_SUPPORT, PARTY_THIRD};

/// The basis given when the link left device names out (the sender's basis may cite them).
pub const BASIS_LEFT_OUT: &str = "as the sender's report judged it; the link leaves out the device names it rests on";

pub(super) fn apply(analysis: &mut Analysis, additions: Additions5) {
    for (destination, party) in analysis.destinations.iter_mut().zip(additions.parties) {
        destination.set_party(party.map(|p| {
            let kind = match p.kind {
                PARTY_FIRST => PartyKind::First,
                PARTY_SUPPORT => PartyKind::Support,
                PARTY_THIRD => PartyKind::Third,
                _ => PartyKind::Unknown,
            };
            Party { kind, owner: p.owner, basis: p.basis.unwrap_or_else(|| BASIS_LEFT_OUT.to_string()) }
        }));
    }
    for (device, names) in analysis.devices.iter_mut().zip(additions.device_names) {
        device.names_by_source = DeviceNamesBySource {
            dhcp: names.dhcp,
            dhcp_vendor_class: names.dhcp_vendor_class,
            mdns: names.mdns,
            ssdp: names.ssdp,
            netbios: names.netbios,
        };
    }
}
