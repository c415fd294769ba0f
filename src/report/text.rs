//! The plain-text summary for people: a headline, then each device with its destinations.

use std::fmt::Write as _;

use super::model::{Destination, Device, Report};

/// Bytes in readable units (1000-based, like the page).
pub fn human_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1000.0 && unit < UNITS.len() - 1 {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// The one-sentence summary shown first.
pub fn headline(report: &Report) -> String {
    let devices = report.devices.len();
    let remote: Vec<&Destination> = report.destinations.iter().filter(|d| d.scope == "public").collect();
    let foreign = remote.iter().filter(|d| d.foreign).count();
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("{n} {one}")
        } else {
            format!("{n} {many}")
        }
    };
    let mut line = format!(
        "{} talked to {} on the Internet",
        plural(devices, "device", "devices"),
        plural(remote.len(), "destination", "destinations")
    );
    match &report.home_country {
        Some(home) => {
            let _ = write!(line, "; {foreign} outside {home}");
        }
        None => line.push_str(" (no home country set, so nothing is flagged as foreign)"),
    }
    let watched = remote.iter().filter(|d| d.watched).count();
    if watched > 0 {
        let _ = write!(line, "; {watched} in watched countries");
    }
    line.push('.');
    line
}

/// Who made a device, as people read it: its MAC's vendor, or that the MAC is randomised
/// (and so names no vendor). The page says the same.
pub fn maker(device: &Device) -> Option<&str> {
    match (&device.vendor, device.randomized_mac) {
        (Some(vendor), _) => Some(vendor),
        (None, true) => Some(RANDOMIZED_MAC),
        (None, false) => None,
    }
}

/// How a device with a randomised (locally administered) MAC is described.
pub const RANDOMIZED_MAC: &str = "private (randomised) MAC";

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", headline(report));
    let c = &report.capture;
    let _ = writeln!(
        out,
        "Capture: {} · {} packets · {} · link types: {}",
        c.format,
        c.packets,
        human_bytes(c.bytes),
        c.link_types.join(", ")
    );
    for d in &c.diagnostics {
        let _ = writeln!(out, "  ! {} (×{}, first at packet {}): {}", d.kind, d.count, d.first_packet, d.message);
    }
    let by_ip: std::collections::HashMap<&str, &Destination> =
        report.destinations.iter().map(|d| (d.ip.as_str(), d)).collect();
    for device in &report.devices {
        let name = device.name.as_deref().map(|n| format!(" \"{n}\"")).unwrap_or_default();
        let name = if device.gateway { format!("{name} (gateway)") } else { name };
        let maker = maker(device).map(|m| format!(" · {m}")).unwrap_or_default();
        let _ = writeln!(out, "\nDevice {}{}{} [{}]", device.id, name, maker, device.ips.join(", "));
        let mut dests: Vec<&Destination> =
            device.destinations.iter().filter_map(|ip| by_ip.get(ip.as_str()).copied()).collect();
        dests.sort_by_key(|d| std::cmp::Reverse(d.bytes));
        for d in dests {
            let flag = match (d.foreign, d.watched) {
                (_, true) => "WATCHED ",
                (true, false) => "FOREIGN ",
                _ => "",
            };
            let name = d.names.first().map(String::as_str).unwrap_or("-");
            let asn = d.asn.map(|a| format!("AS{a}")).unwrap_or_else(|| "-".into());
            let org = d.as_org.as_deref().unwrap_or("-");
            let country = d.country.as_deref().unwrap_or(if d.scope == "public" { "??" } else { "--" });
            let beat = d.periodic.map(|p| format!(" · heartbeat every {:.1} s", p.interval_s)).unwrap_or_default();
            let _ = writeln!(
                out,
                "  {flag}{:<39} {:<40} {} {} {} · {} pkts · {} · {}{beat}",
                d.ip,
                name,
                country,
                asn,
                org,
                d.packets,
                human_bytes(d.bytes),
                d.services.join(" ")
            );
        }
    }
    out
}

#[cfg(all(test, feature = "embedded-geo"))]
mod tests {
    use super::*;

    #[test]
    fn devices_are_introduced_with_their_maker() {
        // suricata-verify's capture: an ASUSTek machine and a VirtualBox host-only adapter,
        // whose MAC is locally administered.
        let capture = include_bytes!("../../tests/captures/suricata-verify__ethernet-eve-test.pcap");
        let text = render(&crate::report::report_of_test_capture(capture));
        assert!(text.contains("\nDevice 00:11:2f:8f:a0:76 · ASUSTek COMPUTER INC. [192.168.118.10]\n"), "{text}");
        assert!(text.contains("\nDevice 0a:00:27:00:00:00 · private (randomised) MAC [192.168.56.1"), "{text}");
    }
}
