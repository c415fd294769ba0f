//! Timelines: on every capture of `tests/captures` (read in chunks of every size) and on a
//! generated home, each destination's and each device's timeline adds up to its totals, all
//! share one axis of at most 120 bins that covers the capture, and a flow's destination is
//! active in the bins of its time.

use std::path::Path;

use phonehome::report::model::{Address, Timeline, MAX_BINS};
use phonehome::synth::{generate, SynthConfig};
use phonehome::Analysis;

use super::golden::analyse;

fn check(analysis: &Analysis, what: &str) {
    let axis = |t: &Timeline| (t.start_ts, t.bin_seconds, t.bins);
    let mut axes = Vec::new();
    for d in &analysis.destinations {
        let t = d.timeline.as_ref().unwrap_or_else(|| panic!("{what}: destination {} has no timeline", d.ip));
        assert_eq!((t.packets(), t.bytes()), (d.packets, d.bytes), "{what}: destination {}", d.ip);
        axes.push(axis(t));
    }
    for d in &analysis.devices {
        let t = d.timeline.as_ref().unwrap_or_else(|| panic!("{what}: device {} has no timeline", d.id));
        let (sent, received) = d.traffic.iter().fold((0, 0), |(s, r), p| (s + p.sent.bytes, r + p.received.bytes));
        // A device's traffic also counts its scan attempts, which are not destinations.
        assert!(t.bytes() >= sent + received, "{what}: device {}", d.id);
        axes.push(axis(t));
    }
    axes.dedup();
    assert!(axes.len() <= 1, "{what}: timelines on different axes: {axes:?}");
    if let (Some((start, width, bins)), Some(first), Some(last)) =
        (axes.first(), analysis.capture.first_ts, analysis.capture.last_ts)
    {
        assert!(*bins >= 1 && *bins <= MAX_BINS, "{what}: {bins} bins");
        // The axis starts at the first packet in file order; one stamped earlier (interfaces
        // of a pcapng interleaved out of order) counts in the first bin.
        assert!(*start >= first - 1e-6 && *start <= last, "{what}: the axis starts at {start}, the capture at {first}");
        assert!(start + width * f64::from(*bins) > last, "{what}: the bins end before the last packet");
    }
}

#[test]
fn timelines_add_up_on_real_captures() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/captures");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let path = entry.path();
        if !matches!(path.extension().and_then(|e| e.to_str()), Some("pcap" | "pcapng")) {
            continue;
        }
        check(&analyse(&std::fs::read(&path).unwrap()), &path.display().to_string());
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} captures");
}

#[test]
fn a_generated_home_over_hours_has_its_activity_in_the_right_bins() {
    let bytes = generate(&SynthConfig { seed: 3, target_bytes: 3_000_000, vlan: false });
    let analysis = analyse(&bytes);
    check(&analysis, "generated home");
    let t = analysis.destinations[0].timeline.as_ref().unwrap();
    assert!(t.bins > MAX_BINS / 2, "the span fills more than half the bins: {}", t.bins);
    // Every flow's packets fall between its first and last bin; its destination is active
    // there.
    for flow in analysis.flows.iter().take(500) {
        let bin = |ts: f64| ((ts - t.start_ts) / t.bin_seconds).floor() as u32;
        let d = analysis
            .destinations
            .iter()
            .find(|d| d.ip == Address::from(flow.server.ip) || d.ip == Address::from(flow.client.ip));
        let Some(timeline) = d.and_then(|d| d.timeline.as_ref()) else { continue };
        assert!(timeline.active_between(bin(flow.first_ts), bin(flow.last_ts)), "flow {flow:?}");
    }
}
