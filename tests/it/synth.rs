//! The analyzer on the generator's home-network captures, checked against the generator's
//! truth: every device with its MAC, host name, addresses and maker (or that its MAC is
//! randomised); every destination with its name and where the name came from; the doorbell's
//! periodic UDP flow to China with its exact packet count; no device that is not in the home;
//! and nothing local reported as a destination.

use std::net::IpAddr;

use phonehome::report::model::Concern;
use phonehome::synth::{generate_with_truth, NameSource, SynthConfig, Truth};
use phonehome::Analysis;
use phonehome::{geo, Analyzer};

fn analyse(bytes: &[u8], chunk: usize) -> Analysis {
    let mut analyzer = Analyzer::new();
    for part in bytes.chunks(chunk) {
        analyzer.feed(part);
    }
    analyzer.finish(geo::embedded()).unwrap_or_else(|e| panic!("generated capture not read: {e}"))
}

fn ip<T: ToString + ?Sized>(value: &T) -> IpAddr {
    let text = value.to_string();
    text.parse().unwrap_or_else(|_| panic!("report has a bad IP address: {text}"))
}

/// Every difference between `report` and `truth`, one line each.
fn differences(report: &Analysis, truth: &Truth) -> Vec<String> {
    let mut problems = Vec::new();
    let mut say = |s: String| problems.push(s);
    if report.capture.packets != truth.packets || report.capture.bytes != truth.frame_bytes {
        say(format!(
            "capture: expected {} packets {} bytes, got {} packets {} bytes",
            truth.packets, truth.frame_bytes, report.capture.packets, report.capture.bytes
        ));
    }
    // Every device in the report is one of the home's: the link has MACs, so no device may be
    // keyed by an address (such as the 0.0.0.0 of a DHCP DISCOVER).
    for device in &report.devices {
        let known = device.id == truth.router_mac || truth.devices.iter().any(|d| d.mac == device.id);
        if !known {
            say(format!("device {} {:?} is not a device of the home", device.id, device.ips));
        }
    }
    let destination_ips: Vec<IpAddr> = truth.devices.iter().flat_map(|d| d.destinations.iter().map(|x| x.ip)).collect();
    for device in &report.devices {
        for a in &device.ips {
            if destination_ips.contains(&ip(a)) {
                say(format!("device {} has the Internet address {a} among its own", device.id));
            }
        }
    }
    for want in &truth.devices {
        let Some(got) =
            report.devices.iter().find(|d| d.mac.map(|m| m.to_string()).as_deref() == Some(want.mac.as_str()))
        else {
            say(format!("device {} ({}) missing", want.mac, want.hostname));
            continue;
        };
        let name_ok = got.name.as_deref().is_some_and(|n| {
            n.eq_ignore_ascii_case(&want.hostname) || n.eq_ignore_ascii_case(&format!("{}.local", want.hostname))
        });
        if !name_ok {
            say(format!("device {}: name expected {}, got {:?}", want.mac, want.hostname, got.name));
        }
        if (&got.vendor, got.randomized_mac) != (&want.vendor, want.randomized_mac) {
            say(format!(
                "device {} ({}): maker expected {:?} (randomised MAC: {}), got {:?} ({})",
                want.mac, want.hostname, want.vendor, want.randomized_mac, got.vendor, got.randomized_mac
            ));
        }
        let own: Vec<IpAddr> = got.ips.clone();
        for a in &want.ips {
            if !own.contains(a) {
                say(format!("device {} ({}): address {a} missing from {:?}", want.mac, want.hostname, got.ips));
            }
            if report.destinations.iter().any(|d| ip(&d.ip) == *a) {
                say(format!("device {}'s own address {a} is reported as a destination", want.hostname));
            }
        }
        for dest in &want.destinations {
            let who = format!("{} -> {}", want.hostname, dest.ip);
            if !got.destinations.iter().any(|d| ip(d) == dest.ip) {
                say(format!("{who}: not among the device's destinations"));
            }
            let Some(d) = report.destinations.iter().find(|d| ip(&d.ip) == dest.ip) else {
                say(format!("{who}: no such destination"));
                continue;
            };
            if !d.devices.contains(&got.id) {
                say(format!("{who}: destination's devices {:?} lack {}", d.devices, got.id));
            }
            match &dest.name {
                Some(name) if !d.names.iter().any(|n| n.eq_ignore_ascii_case(name)) => {
                    say(format!("{who}: names {:?} lack {name}", d.names))
                }
                None if !d.names.is_empty() => {
                    say(format!("{who}: contacted by address only, yet named {:?}", d.names))
                }
                _ => {}
            }
            // Every concern the scenario built in, and no other (but `third_party`, which
            // rests on the embedded lists: only where the scenario means it).
            let found: Vec<Concern> = d.concerns.iter().copied().filter(|c| !c.of_the_viewer()).collect();
            let lists_judge = |c: &Concern| *c == Concern::ThirdParty && !dest.concerns.contains(c);
            let found: Vec<Concern> = found.into_iter().filter(|c| !lists_judge(c)).collect();
            if found != dest.concerns {
                say(format!("{who}: concerns expected {:?}, got {:?}", dest.concerns, d.concerns));
            }
            let flows: Vec<_> = report
                .flows
                .iter()
                .filter(|f| ip(&f.server.ip) == dest.ip && want.ips.contains(&ip(&f.client.ip)))
                .collect();
            if flows.is_empty() {
                say(format!("{who}: no flow from the device to it"));
            }
            let source = dest.source.map(NameSource::as_str);
            let named = flows.iter().any(|f| {
                f.name.as_deref().map(str::to_ascii_lowercase) == dest.name.as_deref().map(str::to_ascii_lowercase)
                    && f.name_source.map(|s| s.as_str()) == source
            });
            if !flows.is_empty() && !named {
                let seen: Vec<_> = flows.iter().map(|f| (&f.name, &f.name_source)).collect();
                say(format!("{who}: no flow named {:?} by {source:?}; flows have {seen:?}", dest.name));
            }
        }
    }
    for periodic in &truth.periodic {
        let flow = report.flows.iter().find(|f| {
            f.proto.to_string() == periodic.proto
                && ip(&f.client.ip) == periodic.client.ip()
                && f.client.port == Some(periodic.client.port())
                && ip(&f.server.ip) == periodic.server.ip()
                && f.server.port == Some(periodic.server.port())
        });
        match flow {
            None => say(format!("periodic flow {} -> {} missing", periodic.client, periodic.server)),
            Some(f) if f.c2s.packets != periodic.packets || f.s2c.packets != 0 => say(format!(
                "periodic flow {} -> {}: expected {} packets one way, got {} and {} back",
                periodic.client, periodic.server, periodic.packets, f.c2s.packets, f.s2c.packets
            )),
            Some(_) => {}
        }
    }
    problems
}

fn check(config: SynthConfig, chunk: usize) {
    let (bytes, truth) = generate_with_truth(&config).unwrap();
    let report = analyse(&bytes, chunk);
    let problems = differences(&report, &truth);
    assert!(problems.is_empty(), "{config:?}: {} differences from the truth:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn default_home_capture_with_vlans() {
    check(SynthConfig::default(), 4_099);
}

#[test]
fn other_seed_without_vlans_one_megabyte() {
    check(SynthConfig { seed: 7, target_bytes: 1_000_000, vlan: false }, 65_536);
}

#[test]
fn tiny_chunks() {
    check(SynthConfig { seed: 3, target_bytes: 60_000, vlan: true }, 13);
}

#[test]
fn the_truth_is_not_empty() {
    // Guards the checks above against passing on an empty truth.
    let truth = phonehome::synth::truth(&SynthConfig::default());
    assert_eq!(truth.devices.len(), 5);
    assert!(truth.devices.iter().all(|d| !d.destinations.is_empty()));
    // Makers to check, and a randomised MAC that must name none.
    assert_eq!(truth.devices.iter().filter(|d| d.vendor.is_some()).count(), 4);
    assert!(truth.devices.iter().any(|d| d.randomized_mac && d.vendor.is_none()));
    assert!(truth.periodic[0].packets > 0);
}
