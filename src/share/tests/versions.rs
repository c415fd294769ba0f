//! What each share-link version adds (device makers in 2; the gateway, link types and non-IP
//! frames in 3; each device's traffic per destination in 4), that links of earlier versions
//! still open, and that hostile additions are refused.

use super::*;

/// `sample(n)` whose first device is an Apple one and with a third device on a randomised MAC.
fn sample_with_makers(n: usize) -> Analysis {
    let mut report = sample(n);
    report.devices[0].vendor = Some("Apple, Inc.".into());
    let mut phone = report.devices[1].clone();
    (phone.id, phone.mac, phone.ips) = ("da:a1:19:5e:22:7b".into(), "da:a1:19:5e:22:7b".parse().ok(), vec![]);
    phone.randomized_mac = true;
    report.devices.push(phone);
    with_traffic(report)
}

/// The payload part and the version 2, 3 and 4 additions of a link made by this build.
fn all_parts(link: &str) -> (Payload, Additions, Additions3, Additions4) {
    let raw = URL_SAFE_NO_PAD.decode(link.strip_prefix("r=").unwrap()).unwrap();
    assert_eq!(raw[0], wire::VERSION);
    let packed = miniz_oxide::inflate::decompress_to_vec(&raw[1..]).unwrap();
    let (payload, rest) = postcard::take_from_bytes::<Payload>(&packed).unwrap();
    let (additions, rest) = postcard::take_from_bytes::<Additions>(rest).unwrap();
    let (additions3, rest) = postcard::take_from_bytes::<Additions3>(rest).unwrap();
    (payload, additions, additions3, postcard::from_bytes(rest).unwrap())
}

/// The payload part and the version 2 additions of a link made by this build.
fn parts(link: &str) -> (Payload, Additions) {
    let (payload, additions, _, _) = all_parts(link);
    (payload, additions)
}

/// A link of `version` holding `payload` and, when given, `additions` after it.
fn link_of(version: u8, payload: &Payload, additions: Option<&Additions>) -> String {
    link4_of(version, payload, additions, None, None)
}

/// A link of `version` holding `payload`, then the additions given.
fn link4_of(
    version: u8,
    payload: &Payload,
    additions: Option<&Additions>,
    additions3: Option<&Additions3>,
    additions4: Option<&Additions4>,
) -> String {
    let mut packed = postcard::to_allocvec(payload).unwrap();
    if let Some(additions) = additions {
        packed.extend(postcard::to_allocvec(additions).unwrap());
    }
    if let Some(additions3) = additions3 {
        packed.extend(postcard::to_allocvec(additions3).unwrap());
    }
    if let Some(additions4) = additions4 {
        packed.extend(postcard::to_allocvec(additions4).unwrap());
    }
    let mut bytes = vec![version];
    bytes.extend(miniz_oxide::deflate::compress_to_vec(&packed, 6));
    fragment_of_bytes(&bytes)
}

#[test]
fn makers_travel_in_the_link_even_when_macs_are_redacted() {
    let report = sample_with_makers(5);
    for options in [ShareOptions::default(), ShareOptions { redact_local: false, ..ShareOptions::default() }] {
        let shared = decode(&encode(&report, &options).unwrap()).unwrap();
        let makers: Vec<_> = shared.analysis.devices.iter().map(|d| (d.vendor.as_deref(), d.randomized_mac)).collect();
        assert_eq!(makers, [(Some("Apple, Inc."), false), (None, false), (None, true)], "{options:?}");
        let text = text_of(&shared);
        assert_eq!(text.contains("da:a1:19"), !options.redact_local, "the MAC goes with the redaction");
    }
}

#[test]
#[cfg(feature = "embedded-geo")]
fn version_1_links_still_open_and_name_makers_from_their_macs() {
    let report = sample_with_makers(5);
    for options in [ShareOptions::default(), ShareOptions { redact_local: false, ..ShareOptions::default() }] {
        let (payload, _) = parts(&encode(&report, &options).unwrap());
        let shared = decode(&link_of(wire::VERSION_1, &payload, None)).unwrap();
        assert_eq!(shared.analysis.destinations.len(), report.destinations.len());
        let makers: Vec<_> = shared.analysis.devices.iter().map(|d| (d.vendor.as_deref(), d.randomized_mac)).collect();
        let expected = if options.redact_local {
            [(None, false), (None, false), (None, false)]
        } else {
            // 3c:22:fb is Apple's OUI in the viewer's table; da:a1:19 is locally administered.
            [(Some("Apple, Inc."), false), (None, false), (None, true)]
        };
        assert_eq!(makers, expected, "{options:?}");
    }
}

#[test]
fn hostile_makers_are_refused() {
    let report = sample_with_makers(3);
    let (payload, additions) = parts(&encode(&report, &ShareOptions::default()).unwrap());
    let (unredacted, unredacted_additions) =
        parts(&encode(&report, &ShareOptions { redact_local: false, ..ShareOptions::default() }).unwrap());
    assert!(decode(&link_of(wire::VERSION_2, &payload, Some(&additions))).is_ok());
    let with_vendor = |vendor: &str| {
        let mut changed = additions.clone();
        changed.devices[0].vendor = Some(vendor.into());
        link_of(wire::VERSION_2, &payload, Some(&changed))
    };
    let mut one_short = additions.clone();
    one_short.devices.pop();
    let mut vendor_of_random = additions.clone();
    vendor_of_random.devices[2].vendor = Some("Apple, Inc.".into());
    // The MAC da:a1:19:... is in this link, and it is locally administered.
    let mut disagrees_with_mac = unredacted_additions.clone();
    disagrees_with_mac.devices[2].randomized_mac = false;
    let cases = [
        link_of(wire::VERSION_2, &payload, Some(&one_short)),
        link_of(wire::VERSION_2, &payload, Some(&vendor_of_random)),
        link_of(wire::VERSION_2, &unredacted, Some(&disagrees_with_mac)),
        with_vendor("Evil\u{202E}moc.elppa"),
        with_vendor("line\nbreak"),
        with_vendor(" padded"),
        with_vendor(""),
        with_vendor(&"A".repeat(256)),
    ];
    for case in &cases {
        match decode(case) {
            Err(e) => assert!(e.to_string().starts_with("This link is damaged"), "{e}"),
            Ok(shared) => panic!("accepted {:?}", shared.analysis.devices),
        }
    }
    assert!(decode(&with_vendor("Würth Elektronik eiSos GmbH & Co. KG")).is_ok(), "the registry's own names");
}

#[test]
fn a_report_from_older_json_still_makes_a_link_that_opens() {
    // JSON written before reports had the flag reads it as false, whatever the MAC says.
    let mut report = sample_with_makers(2);
    report.devices[2].randomized_mac = false;
    for options in [ShareOptions::default(), ShareOptions { redact_local: false, ..ShareOptions::default() }] {
        let shared = decode(&encode(&report, &options).unwrap()).unwrap();
        let phone = &shared.analysis.devices[2];
        assert_eq!((phone.vendor.as_deref(), phone.randomized_mac), (None, true), "{options:?}");
    }
}

/// `sample(n)` read from a Wi-Fi capture with non-IP frames, whose second device routes.
fn sample_with_gateway(n: usize) -> Analysis {
    let mut report = sample_with_makers(n);
    report.devices[1].gateway = true;
    report.capture.link_types = vec!["ethernet".into(), "ieee802-11-radiotap".into(), "linktype:147".into()];
    report.capture.non_ip_packets = 7;
    report
}

#[test]
fn gateway_and_link_types_travel_in_the_link() {
    let report = sample_with_gateway(4);
    for options in [ShareOptions::default(), ShareOptions { redact_local: false, ..ShareOptions::default() }] {
        let shared = decode(&encode(&report, &options).unwrap()).unwrap().analysis;
        let gateways: Vec<bool> = shared.devices.iter().map(|d| d.gateway).collect();
        assert_eq!(gateways, [false, true, false], "{options:?}");
        assert_eq!(shared.capture.link_types, report.capture.link_types);
        assert_eq!(shared.capture.non_ip_packets, 7);
    }
}

#[test]
fn version_2_links_still_open_without_gateway_or_link_types() {
    let report = sample_with_gateway(4);
    let (payload, additions) = parts(&encode(&report, &ShareOptions::default()).unwrap());
    let shared = decode(&link_of(wire::VERSION_2, &payload, Some(&additions))).unwrap().analysis;
    assert_eq!(shared.devices.len(), 3);
    assert!(shared.devices.iter().all(|d| !d.gateway));
    assert_eq!(shared.devices[0].vendor.as_deref(), Some("Apple, Inc."), "version 2's makers still read");
    assert!(shared.capture.link_types.is_empty());
    assert_eq!(shared.capture.non_ip_packets, 0);
}

#[test]
fn hostile_gateways_and_link_types_are_refused() {
    let (payload, additions, additions3, additions4) =
        all_parts(&encode(&sample_with_gateway(3), &ShareOptions::default()).unwrap());
    let link =
        |changed: Additions3| link4_of(wire::VERSION_4, &payload, Some(&additions), Some(&changed), Some(&additions4));
    assert!(decode(&link(additions3.clone())).is_ok());
    let changed = |change: fn(&mut Additions3)| {
        let mut a = additions3.clone();
        change(&mut a);
        link(a)
    };
    let cases = [
        changed(|a| a.gateways = vec![3]),
        changed(|a| a.gateways = vec![1, 1]),
        changed(|a| a.gateways = vec![u32::MAX]),
        changed(|a| a.link_types.push("<b>wifi</b>".into())),
        changed(|a| a.link_types.push(String::new())),
        changed(|a| a.link_types.push("x".repeat(33))),
        changed(|a| a.link_types = vec!["raw".into(); 65]),
        changed(|a| a.non_ip_packets = u64::MAX),
        // Version 3 without its additions.
        link_of(wire::VERSION_3, &payload, Some(&additions)),
    ];
    for case in &cases {
        match decode(case) {
            Err(e) => assert!(e.to_string().starts_with("This link is damaged"), "{e}"),
            Ok(shared) => panic!("accepted {:?} {:?}", shared.analysis.devices, shared.analysis.capture),
        }
    }
}

/// `sample_with_makers(n)` where the router is a destination of the first two devices.
fn sample_with_shared_router(n: usize) -> Analysis {
    let mut report = sample_with_makers(n);
    report.destinations.last_mut().unwrap().devices.push("192.168.1.50".into());
    with_traffic(report)
}

#[test]
fn device_traffic_travels_in_the_link() {
    let report = sample_with_shared_router(6);
    let traffic = |device: &Device| {
        let mut list: Vec<_> =
            device.traffic.iter().map(|t| (t.sent, t.received, t.flows, t.services.clone(), t.first_ts)).collect();
        list.sort_by_key(|t| (t.0.bytes, t.1.bytes));
        list
    };
    for options in [ShareOptions::default(), ShareOptions { redact_local: false, ..ShareOptions::default() }] {
        let shared = decode(&encode(&report, &options).unwrap()).unwrap().analysis;
        for (got, sent) in shared.devices.iter().zip(&report.devices) {
            assert_eq!(traffic(got), traffic(sent), "{options:?}");
        }
    }
}

#[test]
fn version_3_links_still_open_with_the_traffic_of_destinations_of_one_device() {
    let report = sample_with_shared_router(4);
    let (payload, additions, additions3, _) = all_parts(&encode(&report, &ShareOptions::default()).unwrap());
    let shared = decode(&link4_of(wire::VERSION_3, &payload, Some(&additions), Some(&additions3), None)).unwrap();
    let first = &shared.analysis.devices[0];
    assert_eq!(first.destinations.len(), 3, "{:?}", first.destinations);
    // Its own two public destinations are its alone: their totals are its traffic. The router
    // is shared with another device, whose split a version 3 link does not say.
    assert_eq!(first.traffic.len(), 2);
    for t in &first.traffic {
        let d = shared.analysis.destinations.iter().find(|d| d.ip == t.ip).unwrap();
        assert_eq!((t.sent, t.received, t.flows), (d.sent, d.received, d.flows));
    }
}

#[test]
fn hostile_traffic_is_refused() {
    let (payload, additions, additions3, additions4) =
        all_parts(&encode(&sample_with_shared_router(4), &ShareOptions::default()).unwrap());
    assert_eq!(additions4.traffic.iter().map(Vec::len).collect::<Vec<_>>(), [1, 1, 0], "the router's split only");
    let link =
        |changed: Additions4| link4_of(wire::VERSION_4, &payload, Some(&additions), Some(&additions3), Some(&changed));
    assert!(decode(&link(additions4.clone())).is_ok());
    let changed = |change: fn(&mut Additions4)| {
        let mut a = additions4.clone();
        change(&mut a);
        link(a)
    };
    let cases = [
        changed(|a| {
            a.traffic.pop();
        }),
        changed(|a| a.traffic[0][0].destination = u32::MAX),
        // Device 2 never talked to the router.
        changed(|a| {
            let entry = a.traffic[0][0].clone();
            a.traffic[2].push(entry);
        }),
        // The same destination twice.
        changed(|a| {
            let entry = a.traffic[0][0].clone();
            a.traffic[0].push(entry);
        }),
        changed(|a| (a.traffic[0][0].first_ms, a.traffic[0][0].last_ms) = (10, 5)),
        changed(|a| a.traffic[0][0].services = vec![(6, 443); 1001]),
        // Version 4 without its additions.
        link4_of(wire::VERSION, &payload, Some(&additions), Some(&additions3), None),
    ];
    for case in &cases {
        match decode(case) {
            Err(e) => assert!(e.to_string().starts_with("This link is damaged"), "{e}"),
            Ok(shared) => panic!("accepted {:?}", shared.analysis.devices),
        }
    }
}

#[test]
fn a_scan_travels_in_the_link_and_a_hostile_one_is_refused() {
    let mut report = sample_with_makers(3);
    let scan = Scan {
        addresses: 2_000_000,
        ports: 3,
        answered: 40_000,
        attempts: 2_000_000,
        packets: 2_040_000,
        bytes: 122_400_000,
        first_ts: 1_700_000_000.0,
        last_ts: 1_700_002_000.0,
    };
    report.devices[1].scan = Some(scan);
    let link = encode(&report, &ShareOptions::default()).unwrap();
    let shared = decode(&link).unwrap().analysis;
    assert_eq!(shared.devices[1].scan, Some(scan));
    assert!(shared.devices[0].scan.is_none() && shared.devices[2].scan.is_none());

    let (payload, additions, additions3, mut additions4) = all_parts(&link);
    if let Some(s) = additions4.scans[1].as_mut() {
        s.answered = s.attempts + 1;
    }
    let hostile = link4_of(wire::VERSION, &payload, Some(&additions), Some(&additions3), Some(&additions4));
    assert!(decode(&hostile).is_err());
    additions4.scans.pop();
    let short = link4_of(wire::VERSION, &payload, Some(&additions), Some(&additions3), Some(&additions4));
    assert!(decode(&short).is_err());
}

#[test]
fn name_sources_no_dns_and_plaintext_travel_in_the_link() {
    let mut report = sample_with_makers(3);
    let d = &mut report.destinations[0];
    d.names_by_source.sni = vec![d.names[0].clone()];
    d.names_by_source.dns = vec![d.names[0].clone()];
    d.no_dns = Some(false);
    d.concerns = vec![Concern::Plaintext];
    report.destinations[1].no_dns = Some(true);
    let shared = decode(&encode(&report, &ShareOptions::default()).unwrap()).unwrap().analysis;
    let got = |ip| shared.destinations.iter().find(|d| d.ip == ip).expect("carried");
    let first = got(report.destinations[0].ip);
    assert_eq!(first.names_by_source, report.destinations[0].names_by_source);
    assert_eq!((first.no_dns, first.concerns.contains(&Concern::Plaintext)), (Some(false), true));
    let second = got(report.destinations[1].ip);
    assert_eq!(second.no_dns, Some(true));
    assert!(second.concerns.contains(&Concern::NoDns));

    // Name sources must match the names they describe.
    let (payload, additions, additions3, mut additions4) =
        all_parts(&encode(&report, &ShareOptions::default()).unwrap());
    let j = payload.destinations.iter().position(|d| !d.names.is_empty()).expect("a named destination");
    additions4.destinations[j].name_sources.push(1);
    assert!(decode(&link4_of(wire::VERSION, &payload, Some(&additions), Some(&additions3), Some(&additions4))).is_err());
    additions4.destinations[j].name_sources.pop();
    additions4.destinations[j].name_sources[0] = 16;
    assert!(decode(&link4_of(wire::VERSION, &payload, Some(&additions), Some(&additions3), Some(&additions4))).is_err());
}
