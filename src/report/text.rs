//! The plain-text summary for people: a headline, then each device with its destinations.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::model::{Address, Destination, Device, PartyKind};
use super::verdict::{concerns, Verdict};
use super::wording::{self, bytes, headline, joined};
use super::Report;
use crate::scope::Scope;

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

/// The flag column: as wide as its widest word, so the columns after it line up.
fn flag(verdict: Verdict) -> &'static str {
    match (verdict.foreign, verdict.watched) {
        (_, true) => "WATCHED",
        (true, false) => "FOREIGN",
        _ => "",
    }
}

pub fn render(report: Report<'_>) -> String {
    let mut out = String::new();
    let top = headline(report, &|code| code.to_string());
    let _ = write!(out, "{}", top.sentence);
    if let Some(watched) = &top.watched {
        let _ = write!(out, " {watched}");
    }
    out.push('\n');
    for &i in &top.scanning {
        let device = &report.analysis.devices[i];
        if let Some(scan) = &device.scan {
            let _ = writeln!(out, "Device {} is scanning. {}", device.id, wording::scan(scan));
        }
    }
    for &i in &top.top_flagged {
        let (d, verdict) = (&report.analysis.destinations[i], report.verdicts.of(i));
        let name = d.names.first().map(|n| format!(" ({n})")).unwrap_or_default();
        let why = wording::why(&concerns(d, verdict)).unwrap_or_default();
        let _ = writeln!(out, "  * {}{name}: {why}", d.ip);
        if let Some(party) = d.party.as_ref().filter(|p| p.kind != PartyKind::Unknown) {
            let _ = writeln!(out, "    whose: {}: {}", party.kind.words(), party.basis);
        }
    }
    if top.more > 0 {
        let _ = writeln!(out, "  and {} more of concern.", top.more);
    }
    let c = &report.analysis.capture;
    let _ = writeln!(
        out,
        "Capture: {} · {} packets · {} · link types: {}",
        c.format,
        c.packets,
        bytes(c.bytes),
        c.link_types.join(", ")
    );
    for d in &c.diagnostics {
        let _ = writeln!(out, "  ! {} (×{}, first at packet {}): {}", d.kind, d.count, d.first_packet, d.message);
    }
    let by_ip: HashMap<Address, (&Destination, Verdict)> = report.destinations().map(|(d, v)| (d.ip, (d, v))).collect();
    for device in &report.analysis.devices {
        let name = device.name.as_deref().map(|n| format!(" \"{n}\"")).unwrap_or_default();
        let name = if device.gateway { format!("{name} (gateway)") } else { name };
        let maker = maker(device).map(|m| format!(" · {m}")).unwrap_or_default();
        let _ = writeln!(out, "\nDevice {}{}{} [{}]", device.id, name, maker, joined(&device.ips, ", "));
        if let Some(s) = &device.scan {
            let _ = writeln!(out, "  SCANNING {}", wording::scan(s));
        }
        if let Some(words) = device.protection.and_then(wording::protection) {
            let _ = writeln!(out, "Its bytes: {words}");
        }
        let mut dests: Vec<(&Destination, Verdict)> =
            device.destinations.iter().filter_map(|ip| by_ip.get(ip).copied()).collect();
        // The most concerning first, as the headline ranks them; then by bytes.
        dests.sort_by_cached_key(|(d, v)| (wording::concern_rank(&concerns(d, *v)), std::cmp::Reverse(d.bytes)));
        for (d, verdict) in dests {
            let name = d.names.first().map(String::as_str).unwrap_or("-");
            let asn = d.asn.map(|a| format!("AS{a}")).unwrap_or_else(|| "-".into());
            let org = d.as_org.as_deref().unwrap_or("-");
            let country = match d.country {
                Some(code) => code.to_string(),
                None if d.scope == Scope::Public => "??".into(),
                None => "--".into(),
            };
            let beat = d.periodic.map(|p| format!(" · heartbeat every {:.1} s", p.interval_s)).unwrap_or_default();
            let beat = match d.anycast {
                true => format!("{beat} · {}", wording::anycast(d.country, &|c| c.to_string())),
                false => beat,
            };
            let words: Vec<&str> = concerns(d, verdict).iter().map(|c| c.word()).collect();
            let why = if words.is_empty() { String::new() } else { format!(" · why: {}", words.join(", ")) };
            let why = if d.new == Some(true) { format!("{why} · NEW") } else { why };
            let whose = match &d.party {
                Some(p) => {
                    format!(" · {}{}", p.kind.words(), p.owner.as_deref().map(|o| format!(": {o}")).unwrap_or_default())
                }
                None => String::new(),
            };
            let _ = writeln!(
                out,
                "  {:<7} {:<39} {:<40} {} {} {} · {} pkts · {} · {}{beat}{why}{whose}",
                flag(verdict),
                d.ip.to_string(),
                name,
                country,
                asn,
                org,
                d.packets,
                bytes(d.bytes),
                joined(&d.services, " ")
            );
        }
    }
    out
}

#[cfg(all(test, feature = "embedded-geo"))]
mod tests {
    use super::*;
    use crate::report::verdict::{judge, Viewpoint};

    #[test]
    fn devices_are_introduced_with_their_maker() {
        // suricata-verify's capture: an ASUSTek machine and a VirtualBox host-only adapter,
        // whose MAC is locally administered.
        let capture = include_bytes!("../../tests/captures/suricata-verify__ethernet-eve-test.pcap");
        let analysis = crate::report::analysis_of_test_capture(capture);
        let text = render(Report::new(&analysis, &judge(&analysis, Viewpoint::default())));
        assert!(text.contains("\nDevice 00:11:2f:8f:a0:76 · ASUSTek COMPUTER INC. [192.168.118.10]\n"), "{text}");
        assert!(text.contains("\nDevice 0a:00:27:00:00:00 · private (randomised) MAC [192.168.56.1"), "{text}");
    }

    #[test]
    fn columns_line_up_whatever_the_flag() {
        let capture = include_bytes!("../../tests/captures/zeek__wikipedia.pcap");
        let analysis = crate::report::analysis_of_test_capture(capture);
        let home = crate::country::CountryCode::new("DE");
        let text = render(Report::new(&analysis, &judge(&analysis, Viewpoint { home, watch: vec![] })));
        // The destination rows: the indented lines after the first device's.
        let devices_start = text.find("\nDevice ").expect("a device");
        let rows: Vec<&str> = text[devices_start..].lines().filter(|l| l.starts_with("  ")).collect();
        assert!(rows.iter().any(|r| r.contains("FOREIGN")) && rows.iter().any(|r| !r.contains("FOREIGN")), "{text}");
        // The address column starts at the same place on every row: after two spaces and the
        // flag column, seven wide.
        for row in rows {
            let (flag, rest) = row[2..].split_at(7);
            assert!(["FOREIGN", "WATCHED", "       "].contains(&flag), "{row}");
            assert!(rest.starts_with(' ') && !rest[1..].starts_with(' '), "{row}");
        }
    }
}
