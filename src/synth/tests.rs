//! Tests of the generator as a whole: determinism, size, and that every frame is well formed
//! (parses, checksums right, timestamps in order) and carries what the truth says.

use std::collections::BTreeSet;
use std::net::IpAddr;

use etherparse::{NetSlice, SlicedPacket, TransportSlice};

use super::*;

/// One pcap record: (timestamp in microseconds, frame).
fn records(file: &[u8]) -> Vec<(u64, &[u8])> {
    assert_eq!(&file[..4], &0xa1b2_c3d4u32.to_le_bytes());
    assert_eq!(u32::from_le_bytes(file[20..24].try_into().unwrap()), 1, "Ethernet");
    let mut out = Vec::new();
    let mut at = 24;
    while at < file.len() {
        let field = |i: usize| u32::from_le_bytes(file[at + i..at + i + 4].try_into().unwrap());
        let (sec, usec, incl, orig) = (field(0), field(4), field(8) as usize, field(12) as usize);
        assert_eq!(incl, orig);
        assert!(usec < 1_000_000);
        out.push((u64::from(sec) * 1_000_000 + u64::from(usec), &file[at + 16..at + 16 + incl]));
        at += 16 + incl;
    }
    assert_eq!(at, file.len(), "no partial record at the end");
    out
}

#[test]
fn same_config_same_bytes_other_seed_other_bytes() {
    let config = SynthConfig { target_bytes: 120_000, ..SynthConfig::default() };
    let a = generate(&config);
    assert_eq!(a, generate(&config));
    let mut streamed = Vec::new();
    assert_eq!(generate_to(&config, &mut streamed).unwrap(), a.len() as u64);
    assert_eq!(a, streamed);
    assert_ne!(a, generate(&SynthConfig { seed: 2, ..config.clone() }));
    assert_eq!(truth(&config), generate_with_truth(&config).unwrap().1);
}

#[test]
fn size_target_is_reached_without_much_overshoot() {
    // The boot stretch (every device joins and uses every service once) is the floor.
    let floor = generate(&SynthConfig { seed: 9, target_bytes: 0, vlan: false }).len() as u64;
    assert!(floor < 150_000, "boot alone is {floor} bytes");
    for target in [40_000u64, 200_000, 3_000_000] {
        let config = SynthConfig { seed: 9, target_bytes: target, vlan: false };
        let (file, truth) = generate_with_truth(&config).unwrap();
        let len = file.len() as u64;
        assert!(len >= target, "{len} < {target}");
        let slack = (target / 8).max(40_000);
        assert!(len <= target.max(floor) + slack, "{len} overshoots {target}");
        assert_eq!(truth.file_bytes, len);
        assert_eq!(truth.packets, records(&file).len() as u64);
    }
}

#[test]
fn every_frame_is_well_formed_and_in_time_order() {
    let config = SynthConfig::default();
    let (file, truth) = generate_with_truth(&config).unwrap();
    let mut last = 0;
    let (mut vlan, mut ipv6, mut arp, mut frame_bytes) = (0, 0, 0, 0u64);
    for (i, (ts, frame)) in records(&file).into_iter().enumerate() {
        assert!(ts >= last, "record {i} goes back in time");
        last = ts;
        frame_bytes += frame.len() as u64;
        assert!(frame.len() >= 60, "record {i} is not padded");
        let packet = SlicedPacket::from_ethernet(frame).unwrap_or_else(|e| panic!("record {i}: {e}"));
        vlan += usize::from(!packet.vlan_ids().is_empty());
        match &packet.net {
            Some(NetSlice::Ipv4(v4)) => {
                let header = v4.header().to_header();
                assert_eq!(header.header_checksum, header.calc_header_checksum(), "record {i}");
                match &packet.transport {
                    Some(TransportSlice::Tcp(tcp)) => assert_eq!(
                        tcp.checksum(),
                        tcp.to_header().calc_checksum_ipv4(&header, tcp.payload()).unwrap(),
                        "record {i}"
                    ),
                    Some(TransportSlice::Udp(udp)) => assert_eq!(
                        udp.checksum(),
                        udp.to_header().calc_checksum_ipv4(&header, udp.payload()).unwrap(),
                        "record {i}"
                    ),
                    Some(TransportSlice::Icmpv4(_)) => {}
                    other => panic!("record {i}: unexpected transport {other:?}"),
                }
            }
            Some(NetSlice::Ipv6(v6)) => {
                ipv6 += 1;
                let header = v6.header().to_header();
                match &packet.transport {
                    Some(TransportSlice::Tcp(tcp)) => assert_eq!(
                        tcp.checksum(),
                        tcp.to_header().calc_checksum_ipv6(&header, tcp.payload()).unwrap(),
                        "record {i}"
                    ),
                    Some(TransportSlice::Udp(udp)) => assert_eq!(
                        udp.checksum(),
                        udp.to_header().calc_checksum_ipv6(&header, udp.payload()).unwrap(),
                        "record {i}"
                    ),
                    Some(TransportSlice::Icmpv6(_)) => {}
                    other => panic!("record {i}: unexpected transport {other:?}"),
                }
            }
            Some(NetSlice::Arp(_)) => arp += 1,
            other => panic!("record {i}: unexpected network layer {other:?}"),
        }
    }
    assert!(vlan > 0 && ipv6 > 0 && arp > 0, "vlan {vlan}, ipv6 {ipv6}, arp {arp}");
    assert_eq!(truth.frame_bytes, frame_bytes);
    let untagged = generate(&SynthConfig { vlan: false, ..config });
    assert!(records(&untagged).iter().all(|(_, f)| f[12..14] != [0x81, 0x00]));
}

#[test]
fn doorbell_snippets_match_the_truth_and_the_period() {
    let (file, truth) = generate_with_truth(&SynthConfig::default()).unwrap();
    let periodic = &truth.periodic[0];
    let mut times = Vec::new();
    for (ts, frame) in records(&file) {
        let packet = SlicedPacket::from_ethernet(frame).unwrap();
        let (Some(NetSlice::Ipv4(v4)), Some(TransportSlice::Udp(udp))) = (&packet.net, &packet.transport) else {
            continue;
        };
        if IpAddr::from(v4.header().destination_addr()) == periodic.server.ip()
            && udp.destination_port() == periodic.server.port()
        {
            assert_eq!(udp.payload().len(), periodic.payload_len);
            assert_eq!(udp.source_port(), periodic.client.port());
            times.push(ts);
        }
    }
    assert_eq!(times.len() as u64, periodic.packets);
    assert!(periodic.packets > 50, "{} snippets", periodic.packets);
    for pair in times.windows(2) {
        let gap = pair[1] - pair[0];
        assert!((1_850_000..=2_150_000).contains(&gap), "gap {gap} us");
    }
}

#[test]
fn truth_lists_every_device_and_its_named_destinations() {
    let truth = truth(&SynthConfig::default());
    let hostnames: BTreeSet<&str> = truth.devices.iter().map(|d| d.hostname.as_str()).collect();
    assert_eq!(
        hostnames,
        ["Annas-iPhone", "HS110", "LGwebOSTV", "doorbell-5c2e", "maria-laptop"].into_iter().collect()
    );
    let doorbell = truth.devices.iter().find(|d| d.hostname.starts_with("doorbell")).unwrap();
    assert!(doorbell.mac.starts_with("24:0a:c4:"));
    let relay = doorbell.destinations.iter().find(|d| d.ip.to_string() == "180.76.76.76").unwrap();
    assert_eq!((relay.name.as_deref(), relay.source), (None, None));
    let tuya = doorbell.destinations.iter().find(|d| d.name.as_deref() == Some("a1.tuyaus.com")).unwrap();
    assert_eq!(tuya.source, Some(NameSource::Sni));
    let laptop = truth.devices.iter().find(|d| d.hostname == "maria-laptop").unwrap();
    assert!(laptop.ips.iter().any(|ip| ip.is_ipv6()));
    assert!(laptop.destinations.iter().any(|d| d.source == Some(NameSource::Http) && d.ip.is_ipv6()));
    // No destination is inside the home.
    for device in &truth.devices {
        for d in &device.destinations {
            if let IpAddr::V4(v4) = d.ip {
                assert!(!v4.is_private(), "{}", d.ip);
            }
        }
    }
}

/// tshark, when installed, decodes every frame without a malformed-packet error and finds the
/// names the truth expects.
#[test]
fn tshark_reads_it_cleanly_when_installed() {
    let tshark = std::process::Command::new("tshark").arg("--version").output();
    if !tshark.is_ok_and(|o| o.status.success()) {
        eprintln!("tshark not installed: skipped");
        return;
    }
    let config = SynthConfig::default();
    let (file, truth) = generate_with_truth(&config).unwrap();
    let path = std::env::temp_dir().join(format!("phonehome-synth-{}.pcap", std::process::id()));
    std::fs::write(&path, &file).unwrap();
    let fields = |filter: &str, field: &str| -> Vec<String> {
        let out = std::process::Command::new("tshark")
            .args(["-n", "-r"])
            .arg(&path)
            .args(["-Y", filter, "-T", "fields", "-e", field])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap().lines().map(str::to_string).collect()
    };
    let malformed = fields("_ws.malformed || _ws.expert.severity == error", "frame.number");
    let sni: BTreeSet<String> =
        fields("tls.handshake.type == 1", "tls.handshake.extensions_server_name").into_iter().collect();
    let hosts: BTreeSet<String> = fields("http.request", "http.host").into_iter().collect();
    let dhcp: BTreeSet<String> = fields("dhcp.option.hostname", "dhcp.option.hostname").into_iter().collect();
    let frames = fields("frame", "frame.number").len() as u64;
    std::fs::remove_file(&path).ok();
    assert!(malformed.is_empty(), "malformed frames: {malformed:?}");
    assert_eq!(frames, truth.packets);
    for device in &truth.devices {
        assert!(dhcp.contains(&device.hostname), "{} not in {dhcp:?}", device.hostname);
        for d in &device.destinations {
            match (d.source, &d.name) {
                (Some(NameSource::Sni), Some(name)) => assert!(sni.contains(name), "{name} not in {sni:?}"),
                (Some(NameSource::Http), Some(name)) => assert!(hosts.contains(name), "{name} not in {hosts:?}"),
                _ => {}
            }
        }
    }
}

#[test]
fn default_capture_spans_minutes_of_traffic() {
    let (file, truth) = generate_with_truth(&SynthConfig::default()).unwrap();
    let times: Vec<u64> = records(&file).iter().map(|(t, _)| *t).collect();
    let span_s = (times[times.len() - 1] - times[0]) / 1_000_000;
    eprintln!(
        "default: {} bytes, {} packets, {span_s} s, {} snippets",
        file.len(),
        truth.packets,
        truth.periodic[0].packets
    );
    assert!(span_s >= 120, "only {span_s} s");
}
