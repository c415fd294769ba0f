//! Several analyzers reading one capture side by side (`Analyzer::shard`, what the CLI does
//! with a big file on several cores) give exactly the analysis one analyzer gives: on every
//! capture of `tests/captures`, a generated home and busy gateway, and the hostile shapes with
//! more open fragmented datagrams than are kept (so they are settled mid-capture).

use std::path::Path;

use phonehome::synth::busy::{self, BusyConfig};
use phonehome::synth::hostile::{hostile, Shape};
use phonehome::synth::{generate, SynthConfig};
use phonehome::{geo, Analysis, Analyzer};

use super::golden::{analyse, feed_in_chunks};

/// The analysis of `count` shards, each fed the capture in chunks of its own sizes.
fn sharded(bytes: &[u8], count: usize) -> Analysis {
    let shards = (0..count)
        .map(|index| {
            let mut analyzer = Analyzer::shard(index, count);
            feed_in_chunks(&mut analyzer, bytes, &[65_537 + index * 4_099, 1 + index, 1_000_003]);
            analyzer
        })
        .collect();
    Analyzer::finish_shards(shards, geo::embedded()).unwrap_or_else(|e| panic!("not read as a capture: {e}"))
}

fn same(bytes: &[u8], what: &str) -> Analysis {
    let one = analyse(bytes);
    for count in [2, 3] {
        let many = sharded(bytes, count);
        // Compared piece by piece first, for a readable failure.
        assert_eq!(many.capture, one.capture, "{what}, {count} shards: capture summary");
        assert_eq!(many.flows.len(), one.flows.len(), "{what}, {count} shards: flows");
        for (a, b) in many.flows.iter().zip(&one.flows) {
            assert_eq!(a, b, "{what}, {count} shards");
        }
        assert_eq!(many.destinations, one.destinations, "{what}, {count} shards: destinations");
        assert_eq!(many.devices, one.devices, "{what}, {count} shards: devices");
        assert_eq!(many, one, "{what}, {count} shards");
    }
    one
}

#[test]
fn shards_of_every_test_capture_give_its_analysis() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/captures");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let path = entry.path();
        if !matches!(path.extension().and_then(|e| e.to_str()), Some("pcap" | "pcapng" | "gz" | "zst")) {
            continue;
        }
        same(&std::fs::read(&path).unwrap(), &path.display().to_string());
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} captures");
}

#[test]
fn shards_of_a_generated_home_and_busy_gateway_give_their_analysis() {
    let home = generate(&SynthConfig { seed: 7, target_bytes: 4_000_000, vlan: true });
    same(&home, "home");
    let (gateway, truth) = busy::generate(&BusyConfig { seed: 2, target_bytes: 12_000_000 }).unwrap();
    let analysis = same(&gateway, "busy gateway");
    assert_eq!(analysis.capture.packets, truth.packets);
    let (flows, devices) = (analysis.flows.len(), analysis.devices.len());
    assert!(flows > 1_000 && devices > 10, "{flows} flows, {devices} devices");
}

#[test]
fn shards_of_hostile_shapes_give_their_analysis() {
    for (shape, items) in [(Shape::ScatteredFragments, 150_000), (Shape::Fragments, 70_000), (Shape::Names, 20_000)] {
        let analysis = same(&hostile(shape, items), shape.name());
        assert!(!analysis.flows.is_empty(), "{}", shape.name());
    }
}
