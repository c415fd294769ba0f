//! Hostile shapes of traffic, each with hundreds of thousands of items (`synth::hostile`):
//! every step of the analysis must stay near-linear in flows, destinations, devices and
//! names, so each of these finishes in about a second. A quadratic step makes one of them run
//! for minutes, which is what these tests guard against (they time nothing themselves).

use phonehome::diagnostic::DiagnosticKind;
use phonehome::report::build::MAX_LISTED_FLOWS;
use phonehome::synth::hostile::{hostile, Shape};
use phonehome::{geo, Analysis, Analyzer};

fn analyse(shape: Shape, items: u64) -> Analysis {
    let bytes = hostile(shape, items);
    let mut analyzer = Analyzer::new();
    for chunk in bytes.chunks(4 << 20) {
        analyzer.feed(chunk);
    }
    analyzer.finish(geo::embedded()).unwrap_or_else(|e| panic!("{}: {e}", shape.name()))
}

#[test]
fn a_scanning_device_is_summarised_not_listed() {
    let a = analyse(Shape::Scan, 300_000);
    assert_eq!(a.capture.packets, 306_000);
    let scanner = a.devices.iter().find(|d| d.scan.is_some()).expect("a scanning device");
    let scan = scanner.scan.unwrap();
    assert_eq!((scan.addresses, scan.ports, scan.attempts, scan.answered), (300_000, 65_535, 300_000, 6_000));
    assert_eq!(scan.packets, 306_000);
    // Its attempts are neither flows nor destinations of the report.
    assert!(a.flows.is_empty() && a.destinations.is_empty(), "{} flows", a.flows.len());
    assert!(scanner.traffic.is_empty());
}

#[test]
fn fragments_without_their_first_are_one_flow() {
    let a = analyse(Shape::Fragments, 200_000);
    assert_eq!(a.flows.len(), 1);
    assert_eq!(a.flows[0].c2s.packets, 200_000);
    assert_eq!(a.destinations.len(), 1);
}

#[test]
fn every_looked_up_name_is_a_named_destination() {
    let a = analyse(Shape::Names, 200_000);
    let public = a.destinations.iter().filter(|d| d.scope == phonehome::scope::Scope::Public).count();
    assert_eq!(public, 200_000);
    assert!(a.destinations.iter().filter(|d| d.ip.to_string().starts_with("11.")).all(|d| d.names.len() == 1));
    assert!(a.devices.iter().all(|d| d.scan.is_none()), "looked-up addresses are no scan");
    assert_eq!(a.flows.len(), 200_000 + 1, "every contact and the DNS flow");
}

#[test]
fn many_devices_of_one_server() {
    let a = analyse(Shape::Devices, 200_000);
    assert_eq!(a.devices.len(), 200_000);
    let server = a.destinations.iter().find(|d| d.ip.to_string() == "52.1.2.3").expect("the server");
    assert_eq!(server.devices.len(), 200_000);
    assert!(a.devices.iter().all(|d| d.traffic.len() == 1));
}

#[test]
fn one_address_with_many_names_keeps_a_few() {
    let a = analyse(Shape::NamesOfOneAddress, 200_000);
    let cdn = a.destinations.iter().find(|d| d.ip.to_string() == "23.45.67.89").expect("the CDN address");
    assert_eq!(cdn.names.len(), 20);
    // Each flow is named by the answer given just before it opened: the last one opened (its
    // ports repeat after 60,000 items) after the answer of item 59,999.
    let last = a.flows.iter().rev().find(|f| f.server.ip.to_string() == "23.45.67.89").expect("a flow");
    assert_eq!(last.name.as_deref(), Some("edge59999.cdn.example.net"));
    assert_eq!(a.flows.iter().filter(|f| f.name.as_deref() == Some("edge0.cdn.example.net")).count(), 1);
}

#[test]
fn beyond_the_listing_limit_the_smallest_flows_are_aggregated() {
    let items = MAX_LISTED_FLOWS as u64 + 10_000;
    let a = analyse(Shape::Names, items);
    assert_eq!(a.flows.len(), MAX_LISTED_FLOWS);
    let note = a.capture.diagnostics.iter().find(|d| d.kind == DiagnosticKind::FlowsAggregated).expect("a diagnostic");
    assert_eq!(note.count, items + 1 - MAX_LISTED_FLOWS as u64);
    // Totals still count every flow.
    let flows: u64 = a.destinations.iter().map(|d| d.flows).sum();
    assert_eq!(flows, items + 1);
    // The DNS flow, the biggest, is listed.
    assert!(a.flows.iter().any(|f| f.server.port == Some(53)));
}
