//! Small hand-made analyses for the page logic's tests.

use crate::shown::ReportRef;
use phonehome::country::CountryCode;
use phonehome::report::model::{CaptureSummary, Destination, Device};
use phonehome::report::verdict::Viewpoint;
use phonehome::Analysis;
use std::rc::Rc;

/// A destination at `ip` (its scope from the address) in `country`.
pub fn destination(ip: &str, country: Option<&str>) -> Destination {
    let ip: std::net::IpAddr = ip.parse().expect("a test address");
    Destination {
        ip: ip.into(),
        scope: phonehome::scope::classify(ip),
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

/// A device with MAC `mac`, local addresses `ips` and the destinations it talked to.
pub fn device(mac: &str, ips: &[&str], destinations: &[&str]) -> Device {
    Device {
        id: mac.into(),
        mac: mac.parse().ok(),
        ips: ips.iter().map(|s| s.parse().expect("a test address")).collect(),
        name: None,
        destinations: destinations.iter().map(|s| s.parse().expect("a test address")).collect(),
        gateway: false,
        vendor: None,
        randomized_mac: false,
        traffic: vec![],
        scan: None,
    }
}

pub fn code(text: &str) -> CountryCode {
    CountryCode::new(text).expect("a test country code")
}

/// `analysis` seen from `home`, watching `watch`.
pub fn seen(analysis: Analysis, home: Option<&str>, watch: &[&str]) -> ReportRef {
    let flows = analysis.flows.len() as u64;
    let viewpoint = Viewpoint { home: home.map(code), watch: watch.iter().map(|c| code(c)).collect() };
    ReportRef::new(Rc::new(analysis), viewpoint, flows)
}
