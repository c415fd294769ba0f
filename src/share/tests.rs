//! Share-link tests: round trip (property-based), redaction, hostile fragments, sizes. What
//! each version adds, and links of earlier versions: `tests/versions.rs`.

use std::net::{IpAddr, Ipv4Addr};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use proptest::prelude::*;

use super::wire::{self, Additions, Additions3, Additions4, Payload};
use super::*;
use crate::country::CountryCode;
use crate::geo::Table;
use crate::report::model::{CaptureSummary, Concern, Counters, Destination, Device, Scan, Traffic};
use crate::report::verdict::judge;
use crate::report::Report;
use crate::scope::classify;

mod version5;
mod versions;

/// The table a recipient looks addresses up in: the built-in one when there is one.
fn table() -> Option<&'static Table<'static>> {
    #[cfg(feature = "embedded-geo")]
    return crate::geo::embedded();
    #[cfg(not(feature = "embedded-geo"))]
    return None;
}

/// The viewpoint of every sample: home in the US, watching China.
fn us_watching_china() -> Viewpoint {
    Viewpoint { home: CountryCode::new("US"), watch: CountryCode::new("CN").into_iter().collect() }
}

/// The link of `analysis` as seen from the US, watching China.
fn encode(analysis: &Analysis, options: &ShareOptions) -> Result<String, ShareError> {
    super::encode(Report::new(analysis, &judge(analysis, us_watching_china())), options)
}

/// A link opened by a recipient with the built-in table.
fn decode(fragment: &str) -> Result<SharedReport, DamagedLink> {
    super::decode(fragment, table())
}

/// What a recipient could read of a shared report, as one text.
fn text_of(shared: &SharedReport) -> String {
    serde_json::to_string(&shared.analysis).unwrap()
}

fn destination(ip: &str, names: Vec<String>, device: &str, n: u64) -> Destination {
    let ip: IpAddr = ip.parse().unwrap();
    Destination {
        scope: classify(ip),
        ip: ip.into(),
        names,
        asn: None,
        as_org: None,
        country: None,
        devices: vec![device.to_string()],
        packets: 3 * n + 2,
        bytes: 1000 * n + 7,
        flows: n + 1,
        first_ts: 1_700_000_000.25 + n as f64,
        last_ts: 1_700_000_100.5 + n as f64,
        sent: Counters { packets: 2 * n + 1, bytes: 600 * n + 3 },
        received: Counters { packets: n + 1, bytes: 400 * n + 4 },
        services: vec!["tcp/443".parse().unwrap(), "udp/123".parse().unwrap()],
        periodic: None,
        names_by_source: Default::default(),
        no_dns: None,
        anycast: false,
        concerns: vec![],
        party: None,
        timeline: None,
        new: None,
    }
}

/// Sets each device's destinations and traffic from the destinations that list it (each
/// destination's traffic split evenly between its devices, so the totals add up).
pub(crate) fn with_traffic(mut analysis: Analysis) -> Analysis {
    for device in &mut analysis.devices {
        let mine: Vec<&Destination> = analysis.destinations.iter().filter(|x| x.devices.contains(&device.id)).collect();
        device.destinations = mine.iter().map(|x| x.ip).collect();
        device.traffic = mine
            .iter()
            .map(|x| {
                let n = x.devices.len() as u64;
                let share = |c: Counters| Counters { packets: c.packets / n, bytes: c.bytes / n };
                Traffic {
                    ip: x.ip,
                    sent: share(x.sent),
                    received: share(x.received),
                    flows: x.flows / n,
                    services: x.services.clone(),
                    first_ts: x.first_ts,
                    last_ts: x.last_ts,
                }
            })
            .collect();
    }
    analysis
}

/// A home analysis with `n` public destinations plus the router, from two devices.
pub(crate) fn sample(n: usize) -> Analysis {
    let mut destinations: Vec<Destination> = (0..n)
        .map(|i| {
            let ip = format!("{}.{}.{}.{}", 20 + i % 200, (i * 7) % 256, (i * 13) % 256, 1 + i % 250);
            let names = vec![format!("api{}.{}-cloud.example.com", i, ["iot", "cam", "tv", "plug"][i % 4])];
            destination(&ip, names, if i % 2 == 0 { "3c:22:fb:01:02:03" } else { "192.168.1.50" }, i as u64)
        })
        .collect();
    destinations.push(destination("192.168.1.1", vec![], "3c:22:fb:01:02:03", 1));
    let device_ips = |id: &str, ips: &[&str]| Device {
        id: id.into(),
        mac: id.parse().ok(),
        ips: ips.iter().map(|s| s.parse().unwrap()).collect(),
        name: Some("johns-doorbell".into()),
        names_by_source: Default::default(),
        destinations: Vec::new(),
        gateway: false,
        vendor: None,
        randomized_mac: false,
        traffic: Vec::new(),
        scan: None,
        timeline: None,
        protection: None,
    };
    with_traffic(Analysis {
        capture: CaptureSummary {
            format: "pcapng".into(),
            packets: 12345,
            bytes: 6_789_000,
            first_ts: Some(1_700_000_000.0),
            last_ts: Some(1_700_003_600.0),
            link_types: vec!["ethernet".into()],
            diagnostics: vec![],
            non_ip_packets: 0,
        },
        flows: vec![],
        devices: vec![
            device_ips("3c:22:fb:01:02:03", &["192.168.1.23", "2a02:8070:1:2::23"]),
            device_ips("192.168.1.50", &["192.168.1.50"]),
        ],
        destinations,
        geo_table_date: None,
    })
}

#[test]
fn round_trip_without_redaction_keeps_everything_carried() {
    let mut report = sample(30);
    // Timelines stay with the sender: a link does not carry them.
    let timeline = crate::report::model::Timeline { start_ts: 1.0, bin_seconds: 2.0, bins: 1, active: vec![] };
    report.destinations[0].timeline = Some(timeline.clone());
    report.devices[0].timeline = Some(timeline);
    let options = ShareOptions { redact_local: false, keep_device_names: true, max_destinations: None, created: 42 };
    let link = encode(&report, &options).unwrap();
    let shared = decode(&format!("#{link}")).unwrap();
    assert_eq!(shared.created, 42);
    assert_eq!(shared.viewpoint, us_watching_china());
    let got = &shared.analysis;
    assert_eq!(got.devices.len(), 2);
    assert_eq!(got.devices[0].mac.map(|m| m.to_string()).as_deref(), Some("3c:22:fb:01:02:03"));
    assert_eq!(got.devices[0].name.as_deref(), Some("johns-doorbell"));
    let mut want: Vec<_> = report.destinations.clone();
    want.sort_by_cached_key(|d| (std::cmp::Reverse(d.bytes), d.ip.to_string()));
    assert_eq!(got.destinations.len(), want.len());
    for (g, w) in got.destinations.iter().zip(&want) {
        assert_eq!(
            (&g.ip, &g.names, &g.devices, g.sent, g.received, g.flows),
            (&w.ip, &w.names, &w.devices, w.sent, w.received, w.flows)
        );
        assert_eq!(g.services, w.services);
        assert!((g.first_ts - w.first_ts).abs() < 0.002 && (g.last_ts - w.last_ts).abs() < 0.002);
    }
    // Each device's traffic, as the sender's device cards show it (in the link's order, most
    // bytes first).
    for (g, w) in got.devices.iter().zip(&report.devices) {
        assert_eq!(g.traffic.len(), w.traffic.len());
        for g in &g.traffic {
            let w = w.traffic.iter().find(|w| w.ip == g.ip).expect("the same destinations");
            assert_eq!(
                (g.ip, g.sent, g.received, g.flows, &g.services),
                (w.ip, w.sent, w.received, w.flows, &w.services)
            );
        }
    }
    assert!(got.destinations.iter().all(|d| d.timeline.is_none()) && got.devices.iter().all(|d| d.timeline.is_none()));
}

#[test]
fn redaction_hides_local_identity() {
    let report = sample(10);
    let link = encode(&report, &ShareOptions::default()).unwrap();
    let shared = decode(&link).unwrap();
    let text = text_of(&shared);
    for secret in ["192.168.1.23", "192.168.1.50", "192.168.1.1", "2a02:8070:1:2::23", "3c:22:fb", "johns-doorbell"] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
    assert!(text.contains("Device 1") && text.contains("Local address 1"));
    assert!(shared.redacted);
}

#[test]
fn redaction_drops_the_mdns_names_of_local_destinations() {
    let mut report = sample(3);
    let laptop = destination("fe80::3ea9:f4ff:fe09:e2c6", vec!["maria-laptop.local".into()], "192.168.1.50", 1);
    report.destinations.push(laptop);
    let report = with_traffic(report);
    let text = |options: &ShareOptions| text_of(&decode(&encode(&report, options).unwrap()).unwrap());
    assert!(!text(&ShareOptions::default()).contains("maria-laptop"), "dropped with the device names");
    let names = ShareOptions { keep_device_names: true, ..ShareOptions::default() };
    assert!(text(&names).contains("maria-laptop.local"), "kept with the device names");
    assert!(!text(&names).contains("fe80::"), "the address itself stays hidden");
}

#[test]
fn top_destinations_only() {
    let report = sample(600);
    let err = encode(&report, &ShareOptions { max_destinations: None, ..ShareOptions::default() });
    let top = encode(&report, &ShareOptions { max_destinations: Some(50), ..ShareOptions::default() }).unwrap();
    let shared = decode(&top).unwrap();
    assert_eq!(shared.analysis.destinations.len(), 50);
    // Each device keeps its traffic with the destinations the link keeps, and only those.
    let kept: Vec<_> = shared.analysis.destinations.iter().map(|d| d.ip).collect();
    let traffic = shared.analysis.devices.iter().flat_map(|d| &d.traffic);
    assert_eq!(traffic.clone().count(), 50);
    assert!(traffic.into_iter().all(|t| kept.contains(&t.ip)));
    assert_eq!(shared.total_destinations, Some(601));
    // 600 synthetic destinations may or may not fit; either way the answer is explicit.
    if let Err(ShareError::TooLarge { chars, destinations }) = err {
        assert!(chars > MAX_LINK_CHARS && destinations == 601);
    }
}

/// Devices' names keep the case and spaces the device gave them, in links too; what could be
/// control characters, markup or a change of text direction is still refused.
#[test]
fn device_names_travel_as_the_device_wrote_them() {
    let options = ShareOptions { redact_local: false, keep_device_names: true, max_destinations: None, created: 1 };
    let named = |name: &str| {
        let mut report = sample(3);
        report.devices[0].name = Some(name.into());
        decode(&format!("#{}", encode(&report, &options).unwrap()))
    };
    for name in ["RingDoorbellPro-3f2a", "Living Room TV", "Linux/3.14 UPnP/1.0 IpBridge/1.26.0", "Küche"] {
        assert_eq!(named(name).unwrap().analysis.devices[0].name.as_deref(), Some(name));
    }
    for hostile in ["a\u{202E}b", "a\u{2066}b", "a\u{200F}", "a\u{061C}b", "line\nbreak", "<b>", " padded", ""] {
        assert!(named(hostile).is_err(), "{hostile:?}");
    }
}

#[test]
fn link_sizes_for_10_50_500_destinations() {
    for (n, limit) in [(10, 600), (50, 2_000), (500, 20_000)] {
        let len = encode(&sample(n), &ShareOptions::default()).map(|l| l.len()).unwrap_or(usize::MAX);
        println!("{n} destinations: {len} characters");
        assert!(len <= limit, "{n} destinations took {len} characters");
    }
}

#[test]
fn damaged_links_each_give_the_damage_message() {
    let good = encode(&sample(5), &ShareOptions::default()).unwrap();
    let body = good.strip_prefix("r=").unwrap();
    let raw = URL_SAFE_NO_PAD.decode(body).unwrap();
    let packed = miniz_oxide::inflate::decompress_to_vec(&raw[1..]).unwrap();
    let with = |version: u8, payload: &[u8]| {
        let mut b = vec![version];
        b.extend(miniz_oxide::deflate::compress_to_vec(payload, 6));
        format!("r={}", URL_SAFE_NO_PAD.encode(b))
    };
    let mut bad_payload: Payload = postcard::from_bytes(&packed).unwrap();
    bad_payload.strings.push("<script>alert(1)</script>".into());
    let markup = with(1, &postcard::to_allocvec(&bad_payload).unwrap());
    let mut bad_index: Payload = postcard::from_bytes(&packed).unwrap();
    bad_index.destinations[0].names.push(999);
    let index = with(1, &postcard::to_allocvec(&bad_index).unwrap());
    let mut absurd = vec![1u8];
    absurd.extend(miniz_oxide::deflate::compress_to_vec(&[0xff; 64], 6));
    let bomb = with(1, &vec![0u8; 20 * 1024 * 1024]);
    let cases = [
        String::new(),
        "#".into(),
        "x=abc".into(),
        "r=!!!not base64!!!".into(),
        "r=".into(),
        with(6, &packed),
        with(0, &packed),
        with(wire::VERSION, &packed[..packed.len() - 1]),
        format!("r={}", URL_SAFE_NO_PAD.encode([1, 0x78, 0x9c, 1, 2, 3])),
        with(1, &packed[..packed.len() / 2]),
        format!("r={}", URL_SAFE_NO_PAD.encode(&absurd)),
        bomb,
        markup,
        index,
        format!("r={}", "A".repeat(300_000)),
    ];
    for case in &cases {
        match decode(case) {
            Err(e) => assert!(e.to_string().starts_with("This link is damaged or was made by a newer version"), "{e}"),
            Ok(_) => panic!("accepted a damaged link: {}", &case[..case.len().min(80)]),
        }
    }
    assert!(decode(&good).is_ok());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_report_round_trips(
        dests in prop::collection::vec((any::<[u8; 4]>(), "[a-z]{1,12}(\\.[a-z]{2,8}){1,3}", 0u64..1_000_000, 0u64..1_000_000), 0..60),
        keep_names in any::<bool>(),
    ) {
        let mut report = sample(0);
        report.destinations.clear();
        for (i, (octets, name, a, b)) in dests.iter().enumerate() {
            let ip = IpAddr::V4(Ipv4Addr::from(*octets));
            if report.destinations.iter().any(|d| d.ip == ip) { continue; }
            let mut d = destination(&ip.to_string(), vec![name.clone()], "192.168.1.50", i as u64);
            d.sent.bytes = *a;
            d.received.bytes = *b;
            d.bytes = a + b;
            report.destinations.push(d);
        }
        let report = with_traffic(report);
        let options = ShareOptions { redact_local: false, keep_device_names: keep_names, max_destinations: None, created: 7 };
        let shared = decode(&encode(&report, &options).unwrap()).unwrap();
        prop_assert_eq!(shared.analysis.destinations.len(), report.destinations.len());
        let sent = |device: &Device| {
            let mut list: Vec<_> = device.traffic.iter().map(|t| (t.ip, t.sent)).collect();
            list.sort_by_key(|(ip, _)| *ip);
            list
        };
        prop_assert_eq!(sent(&shared.analysis.devices[1]), sent(&report.devices[1]));
        for d in &report.destinations {
            let g = shared.analysis.destinations.iter().find(|g| g.ip == d.ip).unwrap();
            prop_assert_eq!(&g.names, &d.names);
            prop_assert_eq!(g.bytes, d.bytes);
            prop_assert_eq!(g.sent, d.sent);
        }
    }

    #[test]
    fn arbitrary_fragments_never_panic(text in ".{0,400}", bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = decode(&text);
        let _ = decode(&format!("r={}", URL_SAFE_NO_PAD.encode(&bytes)));
        for version in [1u8, 2, 3, 4] {
            let mut versioned = vec![version];
            versioned.extend(miniz_oxide::deflate::compress_to_vec(&bytes, 1));
            let _ = decode(&format!("r={}", URL_SAFE_NO_PAD.encode(&versioned)));
        }
    }
}

#[test]
fn solicited_node_multicast_is_hidden_with_local_identity() {
    let mut report = sample(3);
    report.destinations.push(destination("ff02::1:ffd2:7dac", vec![], "192.168.1.50", 1));
    report.destinations.push(destination("ff02::fb", vec![], "192.168.1.50", 1));
    let report = with_traffic(report);
    let shared = decode(&encode(&report, &ShareOptions::default()).unwrap()).unwrap();
    let text = text_of(&shared);
    assert!(!text.contains("ffd2:7dac"), "{text}");
    assert!(text.contains("ff02::fb"), "ordinary multicast groups say nothing about a device");
    let kept = ShareOptions { redact_local: false, ..ShareOptions::default() };
    let shared = decode(&encode(&report, &kept).unwrap()).unwrap();
    assert!(text_of(&shared).contains("ff02::1:ffd2:7dac"));
}
