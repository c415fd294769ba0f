//! Small hand-made analyses for tests (the report's, and the page's). Built with the test
//! tools (`synth` feature), never into the page's wasm.

use super::model::{Analysis, CaptureSummary, Destination, Device};
use crate::country::CountryCode;
use crate::scope::classify;

/// A destination at `ip` (its scope from the address) in `country`.
pub fn destination(ip: &str, country: Option<&str>) -> Destination {
    let ip: std::net::IpAddr = ip.parse().expect("a test address");
    Destination {
        ip: ip.into(),
        scope: classify(ip),
        names: vec![],
        asn: None,
        as_org: None,
        country: country.and_then(CountryCode::new),
        devices: vec![],
        packets: 0,
        bytes: 0,
        flows: 0,
        first_ts: 0.0,
        last_ts: 0.0,
        sent: Default::default(),
        received: Default::default(),
        services: vec![],
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

pub fn device(id: &str) -> Device {
    Device {
        id: id.into(),
        mac: None,
        ips: vec![],
        name: None,
        names_by_source: Default::default(),
        destinations: vec![],
        gateway: false,
        vendor: None,
        randomized_mac: false,
        traffic: vec![],
        scan: None,
        timeline: None,
        protection: None,
    }
}

pub fn analysis(destinations: Vec<Destination>) -> Analysis {
    Analysis {
        capture: CaptureSummary {
            format: "pcap".into(),
            packets: 0,
            bytes: 0,
            first_ts: None,
            last_ts: None,
            link_types: vec![],
            diagnostics: vec![],
            non_ip_packets: 0,
        },
        flows: vec![],
        devices: vec![],
        destinations,
        geo_table_date: None,
    }
}

pub fn code(text: &str) -> CountryCode {
    CountryCode::new(text).expect("a test country code")
}
