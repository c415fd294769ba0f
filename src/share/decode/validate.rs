//! The checks a share link passes before anything of it reaches a report: every count,
//! index, string and number of the payload and of each version's additions.

use super::super::wire::{Additions, Additions3, Additions4, Additions5, Payload, ScanP, PARTY_UNKNOWN};
use super::super::{damaged, DamagedLink, MAX_DESTINATIONS, MAX_DEVICES, MAX_LABEL_LEN};
use crate::country::CountryCode;
use crate::diagnostic::DiagnosticKind;
use crate::geo::{is_locally_administered, Table};
use crate::report::verdict::Viewpoint;

/// One list of traffic per device; each entry names a destination that lists the device, at
/// most once, and keeps the same bounds as a destination.
pub(super) fn validate_additions4(p: &Payload, additions: &Additions4) -> Result<(), DamagedLink> {
    if additions.traffic.len() != p.devices.len() || additions.scans.len() != p.devices.len() {
        return Err(damaged("its device traffic does not match its devices"));
    }
    if additions.destinations.len() != p.destinations.len() {
        return Err(damaged("its destination notes do not match its destinations"));
    }
    for (d, added) in p.destinations.iter().zip(&additions.destinations) {
        let sources_ok = added.name_sources.len() == d.names.len() && added.name_sources.iter().all(|&bits| bits < 16);
        if !sources_ok {
            return Err(damaged("a destination's name sources are not valid"));
        }
    }
    let scan_ok = |s: &ScanP| {
        s.addresses <= s.attempts
            && s.ports <= s.attempts.min(65_536)
            && s.answered <= s.attempts
            && s.attempts <= s.packets
            && s.first_ms <= s.last_ms
    };
    if !additions.scans.iter().flatten().all(scan_ok) {
        return Err(damaged("a device's scan is not valid"));
    }
    for (device, list) in (0u32..).zip(&additions.traffic) {
        let mut seen = std::collections::HashSet::new();
        for t in list {
            let listed = p.destinations.get(t.destination as usize).is_some_and(|d| d.devices.contains(&device));
            if !listed || !seen.insert(t.destination) || t.services.len() > 1000 || t.last_ms < t.first_ms {
                return Err(damaged("a device's traffic is not valid"));
            }
        }
    }
    Ok(())
}

/// Gateways must be devices of the link, each named once; link types are short names; the
/// frames that were not IP are some of the capture's.
pub(super) fn validate_additions3(p: &Payload, additions: &Additions3) -> Result<(), DamagedLink> {
    let mut gateways = additions.gateways.clone();
    gateways.sort_unstable();
    gateways.dedup();
    if gateways.len() != additions.gateways.len() || gateways.iter().any(|&i| i as usize >= p.devices.len()) {
        return Err(damaged("its gateway is not one of its devices"));
    }
    let link_type = |t: &String| {
        !t.is_empty()
            && t.len() <= 32
            && t.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-:".contains(&b))
    };
    if additions.link_types.len() > 64 || !additions.link_types.iter().all(link_type) {
        return Err(damaged("a link type is not valid"));
    }
    if additions.non_ip_packets > p.capture.packets {
        return Err(damaged("it counts more frames than its capture has"));
    }
    Ok(())
}

/// The additions must describe exactly the payload's devices, agree with any MAC the link
/// carries, and hold only a maker's name as the registry writes them.
pub(super) fn validate_additions(p: &Payload, additions: &Additions) -> Result<(), DamagedLink> {
    if additions.devices.len() != p.devices.len() {
        return Err(damaged("its device makers do not match its devices"));
    }
    for (device, added) in p.devices.iter().zip(&additions.devices) {
        let randomized_ok = device.mac.is_none_or(|mac| is_locally_administered(mac) == added.randomized_mac);
        let vendor_ok = added.vendor.as_deref().is_none_or(|v| !added.randomized_mac && is_vendor_name(v));
        if !randomized_ok || !vendor_ok {
            return Err(damaged("a device's maker is not valid"));
        }
    }
    Ok(())
}

/// A maker's name: at most 255 bytes (what the table can hold), trimmed, and free of control
/// characters and of the invisible characters that turn the direction of the text around it
/// (the registry's own names have none).
fn is_vendor_name(text: &str) -> bool {
    let turns_direction = |c: char| matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    !text.is_empty()
        && text.len() <= 255
        && text.trim() == text
        && !text.chars().any(|c| c.is_control() || turns_direction(c))
}

/// A short label or code: letters, digits and a few separators, nothing that could be markup.
fn plain(text: &str, max: usize) -> bool {
    text.len() <= max && text.chars().all(|c| c.is_ascii_alphanumeric() || " :.-+_".contains(c))
}

/// Checks the payload, and gives the viewpoint its sender chose.
pub(super) fn validate(p: &Payload, geo: Option<&Table<'_>>) -> Result<Viewpoint, DamagedLink> {
    if p.devices.len() > MAX_DEVICES || p.destinations.len() > MAX_DESTINATIONS {
        return Err(damaged("it lists more devices or destinations than any capture could have"));
    }
    let country = |c: &String| CountryCode::known(c, geo).map_err(|_| damaged("a country code is not valid"));
    if p.watch.len() > 300 {
        return Err(damaged("a country code is not valid"));
    }
    let viewpoint = Viewpoint {
        home: p.home.as_ref().map(country).transpose()?,
        watch: p.watch.iter().map(country).collect::<Result<_, _>>()?,
    };
    if p.table_date.as_ref().is_some_and(|d| !plain(d, 16)) || !plain(&p.capture.format, 32) {
        return Err(damaged("a capture field is not valid"));
    }
    if p.capture.diagnostics.len() > 1000
        || !p.capture.diagnostics.iter().all(|(k, _)| DiagnosticKind::from_name(k).is_some())
    {
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
        // Device names keep the device's case and spaces, but nothing that could be control
        // characters, markup or a change of text direction.
        if d.name.as_deref().is_some_and(|name| !crate::names::device::is_device_name(name)) {
            return Err(damaged("a device name is not valid"));
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
    Ok(viewpoint)
}

/// Version 5's additions: one party per destination and one set of names per device, of a
/// known kind, with texts a report could hold (no control or direction-changing characters,
/// bounded), and device names as devices' names are checked.
pub(super) fn validate_additions5(p: &Payload, additions: &Additions5) -> Result<(), DamagedLink> {
    if additions.parties.len() != p.destinations.len() || additions.device_names.len() != p.devices.len() {
        return Err(damaged("its parties or device names do not match its destinations and devices"));
    }
    let text_ok = |text: &str, max: usize| text.len() <= max && is_vendor_name(text);
    for party in additions.parties.iter().flatten() {
        let owner_ok = party.owner.as_deref().is_none_or(|o| text_ok(o, 255));
        let basis_ok = party.basis.as_deref().is_none_or(|b| text_ok(b, 2_000));
        if party.kind > PARTY_UNKNOWN || !owner_ok || !basis_ok {
            return Err(damaged("a destination's party is not valid"));
        }
    }
    for names in &additions.device_names {
        let lists = [&names.dhcp, &names.dhcp_vendor_class, &names.mdns, &names.ssdp, &names.netbios];
        let ok = lists.iter().all(|l| l.len() <= 10 && l.iter().all(|n| crate::names::device::is_device_name(n)));
        if !ok {
            return Err(damaged("a device's names are not valid"));
        }
    }
    Ok(())
}
