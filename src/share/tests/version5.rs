//! Version 5: each destination's party and each device's names by source travel in the link
//! (the party's basis and the names only when the link keeps names), a version 4 link still
//! opens with parties judged again, and hostile additions are refused.

use super::*;
use crate::report::model::{Party, PartyKind};
use crate::share::wire::{Additions5, PartyP};
use crate::share::BASIS_LEFT_OUT;

/// `sample(n)` whose devices gave names by protocol and whose public destinations were judged.
fn judged(n: usize) -> Analysis {
    let mut analysis = sample(n);
    analysis.devices[0].names_by_source.dhcp = vec!["RingDoorbellPro-3f2a".into()];
    analysis.devices[0].names_by_source.dhcp_vendor_class = vec!["udhcp 1.19.4".into()];
    analysis.devices[0].name = Some("RingDoorbellPro-3f2a".into());
    for (i, d) in analysis.destinations.iter_mut().enumerate().filter(|(_, d)| d.scope == crate::scope::Scope::Public) {
        let kind = [PartyKind::First, PartyKind::Support, PartyKind::Third, PartyKind::Unknown][i % 4];
        let basis =
            format!("SNI {} is a domain of the brand, Ring (from the device's name RingDoorbellPro-3f2a)", d.names[0]);
        d.party = Some(Party { kind, owner: Some("Ring".into()), basis });
        if kind == PartyKind::Third {
            d.concerns.push(Concern::ThirdParty);
        }
    }
    analysis
}

/// The parts of a link made by this build, version 5's additions last.
fn parts5(link: &str) -> (Vec<u8>, Additions5) {
    let raw = URL_SAFE_NO_PAD.decode(link.strip_prefix("r=").unwrap()).unwrap();
    assert_eq!(raw[0], wire::VERSION);
    let packed = miniz_oxide::inflate::decompress_to_vec(&raw[1..]).unwrap();
    let (_, rest) = postcard::take_from_bytes::<Payload>(&packed).unwrap();
    let (_, rest) = postcard::take_from_bytes::<Additions>(rest).unwrap();
    let (_, rest) = postcard::take_from_bytes::<Additions3>(rest).unwrap();
    let (_, rest) = postcard::take_from_bytes::<Additions4>(rest).unwrap();
    let before = packed.len() - rest.len();
    (packed[..before].to_vec(), postcard::from_bytes(rest).unwrap())
}

fn link(version: u8, packed: &[u8]) -> String {
    let mut bytes = vec![version];
    bytes.extend(miniz_oxide::deflate::compress_to_vec(packed, 6));
    crate::share::encode::fragment_of_bytes(&bytes)
}

#[test]
fn parties_and_device_names_travel_with_names_kept() {
    let report = judged(6);
    let kept = ShareOptions { keep_device_names: true, ..ShareOptions::default() };
    let shared = decode(&encode(&report, &kept).unwrap()).unwrap().analysis;
    for d in &report.destinations {
        let got = shared.destinations.iter().find(|x| x.names == d.names && x.bytes == d.bytes).unwrap();
        assert_eq!(got.party, d.party, "{:?}", d.names);
        assert_eq!(got.concerns.contains(&Concern::ThirdParty), d.concerns.contains(&Concern::ThirdParty));
    }
    assert_eq!(shared.devices[0].names_by_source, report.devices[0].names_by_source);

    // Without names, the kind and owner still travel; the basis (which cites the device's
    // name) and the names by source do not.
    let shared = decode(&encode(&report, &ShareOptions::default()).unwrap()).unwrap();
    assert!(!text_of(&shared).contains("RingDoorbellPro"), "no device name anywhere");
    for d in shared.analysis.destinations.iter().filter(|d| d.scope == crate::scope::Scope::Public) {
        let party = d.party.as_ref().unwrap();
        assert_eq!((party.owner.as_deref(), party.basis.as_str()), (Some("Ring"), BASIS_LEFT_OUT));
    }
}

#[test]
fn version_4_links_still_open_and_judge_parties_again() {
    let report = judged(4);
    let (before5, _) = parts5(&encode(&report, &ShareOptions::default()).unwrap());
    let shared = decode(&link(wire::VERSION_4, &before5)).unwrap().analysis;
    for d in shared.destinations.iter().filter(|d| d.scope == crate::scope::Scope::Public) {
        // Judged from what the link carries: names the lists do not know.
        assert_eq!(d.party.as_ref().map(|p| p.kind), Some(PartyKind::Unknown), "{:?}", d.names);
    }
    assert!(shared.devices.iter().all(|d| d.names_by_source == Default::default()));
}

#[test]
fn hostile_parties_and_device_names_are_refused() {
    let report = judged(4);
    let kept = ShareOptions { keep_device_names: true, ..ShareOptions::default() };
    let (before5, additions5) = parts5(&encode(&report, &kept).unwrap());
    let with = |change: fn(&mut Additions5)| {
        let mut a = additions5.clone();
        change(&mut a);
        let mut packed = before5.clone();
        packed.extend(postcard::to_allocvec(&a).unwrap());
        link(wire::VERSION, &packed)
    };
    assert!(decode(&with(|_| {})).is_ok());
    let cases = [
        with(|a| a.parties.pop().map(drop).unwrap_or_default()),
        with(|a| a.device_names.push(Default::default())),
        with(|a| a.parties[0] = Some(PartyP { kind: 9, owner: None, basis: None })),
        with(|a| a.parties[0] = Some(PartyP { kind: 2, owner: Some("Evil\u{202e}Corp".into()), basis: None })),
        with(|a| a.parties[0] = Some(PartyP { kind: 2, owner: None, basis: Some("x".repeat(5_000)) })),
        with(|a| a.device_names[0].mdns = vec!["bad\nname".into()]),
        with(|a| a.device_names[0].ssdp = vec!["n".into(); 11]),
    ];
    for case in &cases {
        match decode(case) {
            Err(error) => assert!(error.to_string().starts_with("This link is damaged"), "{error}"),
            Ok(_) => panic!("accepted hostile version 5 additions"),
        }
    }
}
