//! The JSON contract on committed captures: the report of the demo capture (the synthetic
//! home network) and of six real captures must equal, byte for byte, the files in
//! `tests/reports/` (written by `tests/reports/regen.sh`, only ever rewritten on purpose), and
//! the typed model must read them back, and reports written by earlier versions, unchanged.

use std::path::PathBuf;

use phonehome::country::CountryCode;
use phonehome::report::json::{from_json, to_json};
use phonehome::report::verdict::{judge, Viewpoint};
use phonehome::report::Report;
use phonehome::{geo, Analysis, Analyzer};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> Vec<u8> {
    std::fs::read(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn analyse(capture: &str) -> Analysis {
    let mut analyzer = Analyzer::new();
    analyzer.feed(&read(capture));
    analyzer.finish(geo::embedded()).unwrap_or_else(|e| panic!("{capture}: {e}"))
}

fn viewpoint(home: Option<&str>, watch: &[&str]) -> Viewpoint {
    let code = |c: &str| CountryCode::new(c).expect("a test country code");
    Viewpoint { home: home.map(code), watch: watch.iter().map(|c| code(c)).collect() }
}

/// The report of `capture` seen from `viewpoint` is `tests/reports/<expected>` to the byte,
/// and reads back into the same analysis and viewpoint.
fn check(capture: &str, viewpoint: Viewpoint, expected: &str) {
    let analysis = analyse(capture);
    let verdicts = judge(&analysis, viewpoint.clone());
    let json = to_json(Report::new(&analysis, &verdicts));
    let want = String::from_utf8(read(&format!("tests/reports/{expected}"))).expect("UTF-8");
    if json != want {
        let line = json.lines().zip(want.lines()).position(|(a, b)| a != b).unwrap_or(0);
        panic!(
            "{capture}: the report differs from tests/reports/{expected} at line {}: got {:?}, expected {:?} \
             (if the change is on purpose, run tests/reports/regen.sh and say so in the commit)",
            line + 1,
            json.lines().nth(line),
            want.lines().nth(line)
        );
    }
    let (read_back, read_viewpoint) = from_json(&want).unwrap_or_else(|e| panic!("{expected}: {e}"));
    assert_eq!(read_back, analysis, "{expected} reads back into the same analysis");
    assert_eq!(read_viewpoint, viewpoint);
}

#[test]
fn the_demo_home_network_is_unchanged() {
    check("www/demo.pcap", viewpoint(None, &[]), "demo.json");
    check("www/demo.pcap", viewpoint(Some("US"), &["CN"]), "demo.home-US.watch-CN.json");
}

#[test]
fn real_captures_are_unchanged() {
    for capture in [
        "suricata-verify__ethernet-eve-test.pcap",
        "zeek__wikipedia.pcap",
        "arkime__v6-http.pcap",
        "zeek__dns-mdns.pcap",
        "zeek__quic-chromium-115.0.5790.110-api-cirrus-com.pcap",
        "pcapplusplus__many_interfaces-1.pcapng",
    ] {
        check(
            &format!("tests/captures/{capture}"),
            viewpoint(Some("DE"), &["US", "CN"]),
            &format!("{capture}.home-DE.watch-CN-US.json"),
        );
    }
}

#[test]
fn reports_written_before_device_traffic_still_read() {
    let old = String::from_utf8(read("tests/reports/older/demo.home-US.watch-CN.before-traffic.json")).unwrap();
    let (mut old_analysis, old_viewpoint) = from_json(&old).expect("an older report reads");
    assert_eq!(old_viewpoint, viewpoint(Some("US"), &["CN"]));
    assert!(old_analysis.devices.iter().all(|d| d.traffic.is_empty()));
    // The demo capture as it was when that report was written (the generator has grown since).
    let mut now = analyse("tests/reports/older/demo.before-traffic.pcap");
    // The fields added since read as their defaults; device names kept their case since.
    for device in &mut now.devices {
        device.traffic.clear();
        device.protection = None;
        device.names_by_source = Default::default();
        device.name = device.name.as_deref().map(str::to_ascii_lowercase);
        device.timeline = None;
    }
    for d in &mut now.destinations {
        d.names_by_source = Default::default();
        (d.no_dns, d.anycast) = (None, false);
        d.concerns.clear();
        d.party = None;
        d.timeline = None;
    }
    old_analysis.geo_table_date.clone_from(&now.geo_table_date);
    assert_eq!(old_analysis, now, "everything but the new field reads as it was written");
}

#[test]
fn verdicts_do_not_change_the_analysis() {
    let analysis = analyse("www/demo.pcap");
    let before = analysis.clone();
    let american = judge(&analysis, viewpoint(Some("US"), &["CN"]));
    let german = judge(&analysis, viewpoint(Some("DE"), &[]));
    assert_eq!(analysis, before);
    assert!(american.foreign() < german.foreign(), "{} {}", american.foreign(), german.foreign());
    assert!(american.watched() > 0 && german.watched() == 0);
}

#[test]
fn device_traffic_adds_up_to_the_destinations() {
    for capture in ["www/demo.pcap", "tests/captures/zeek__wikipedia.pcap", "tests/captures/zeek__dns-mdns.pcap"] {
        let analysis = analyse(capture);
        for d in &analysis.destinations {
            let pairs: Vec<_> =
                analysis.devices.iter().flat_map(|dev| dev.traffic.iter()).filter(|t| t.ip == d.ip).collect();
            let sent = pairs.iter().map(|t| t.sent.bytes).sum::<u64>();
            let received = pairs.iter().map(|t| t.received.bytes).sum::<u64>();
            let flows = pairs.iter().map(|t| t.flows).sum::<u64>();
            assert_eq!((sent, received, flows), (d.sent.bytes, d.received.bytes, d.flows), "{capture} {}", d.ip);
            assert_eq!(pairs.len(), d.devices.len(), "{capture} {}: one entry per device", d.ip);
        }
        for device in &analysis.devices {
            let listed: Vec<_> = device.traffic.iter().map(|t| t.ip).collect();
            assert_eq!(listed, device.destinations, "{capture} {}: traffic follows destinations", device.id);
        }
    }
}

#[test]
fn each_devices_protection_adds_up_to_its_bytes() {
    let scan = {
        let mut analyzer = Analyzer::new();
        analyzer.feed(&phonehome::synth::hostile::hostile(phonehome::synth::hostile::Shape::Scan, 2_000));
        analyzer.finish(geo::embedded()).unwrap()
    };
    let mut captures: Vec<(&str, Analysis)> = [
        "www/demo.pcap",
        "tests/captures/zeek__wikipedia.pcap",
        "tests/captures/arkime__mqtt_synthetic.pcap",
        "tests/captures/zeek__quic-chromium-115.0.5790.110-api-cirrus-com.pcap",
        "tests/captures/zeek__http-connect-with-header.pcap",
    ]
    .into_iter()
    .map(|c| (c, analyse(c)))
    .collect();
    captures.push(("a scan", scan));
    let (mut encrypted, mut plaintext, mut unknown) = (0, 0, 0);
    for (capture, analysis) in &captures {
        let mut all = 0;
        for device in &analysis.devices {
            let p = device.protection.unwrap_or_else(|| panic!("{capture} {}: no protection", device.id));
            // A device's bytes: its traffic with each destination, and its scan attempts.
            let bytes = device.traffic.iter().map(|t| t.bytes()).sum::<u64>() + device.scan.map_or(0, |s| s.bytes);
            assert_eq!(p.encrypted_bytes + p.plaintext_bytes + p.unknown_bytes, bytes, "{capture} {}", device.id);
            all += bytes;
            (encrypted, plaintext, unknown) =
                (encrypted + p.encrypted_bytes, plaintext + p.plaintext_bytes, unknown + p.unknown_bytes);
            // The same classifier gives the plaintext concern.
            let plain_destination = analysis.destinations.iter().any(|d| {
                d.devices.contains(&device.id)
                    && d.devices.len() == 1
                    && d.concerns.contains(&phonehome::report::model::Concern::Plaintext)
            });
            assert!(!plain_destination || p.plaintext_bytes > 0, "{capture} {}", device.id);
        }
        // Every IP packet belongs to a flow of one device.
        assert!(all <= analysis.capture.bytes, "{capture}");
    }
    assert!(encrypted > 0 && plaintext > 0 && unknown > 0, "{encrypted} {plaintext} {unknown}");
}
