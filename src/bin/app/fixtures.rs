//! Small hand-made reports for the page logic's tests.

use phonehome::report::model::{CaptureSummary, Counters, Destination, Device};
use phonehome::Report;

pub fn destination(ip: &str, scope: &str, country: Option<&str>) -> Destination {
    Destination {
        ip: ip.into(),
        scope: scope.into(),
        names: vec![],
        asn: None,
        as_org: None,
        country: country.map(str::to_string),
        foreign: false,
        watched: false,
        devices: vec![],
        packets: 0,
        bytes: 0,
        flows: 0,
        first_ts: 0.0,
        last_ts: 0.0,
        sent: Counters::default(),
        received: Counters::default(),
        services: vec![],
        periodic: None,
    }
}

pub fn report(destinations: Vec<Destination>) -> Report {
    Report {
        schema: phonehome::report::model::SCHEMA.into(),
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
        home_country: None,
        watch: vec![],
        flows: vec![],
        devices: vec![],
        destinations,
        geo_table_date: None,
    }
}

pub fn device(id: &str, ips: &[&str], destinations: &[&str]) -> Device {
    Device {
        id: id.into(),
        mac: Some(id.into()),
        ips: ips.iter().map(|s| s.to_string()).collect(),
        name: None,
        destinations: destinations.iter().map(|s| s.to_string()).collect(),
        gateway: false,
        vendor: None,
        randomized_mac: false,
    }
}
