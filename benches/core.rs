//! Benchmark of the core on generated captures: the whole analysis (reading, decoding, flows,
//! names, report) fed in 4 MiB chunks as the page's worker feeds it, reported as bytes per
//! second and as packets per second. Two captures: a home network of at least 100 MB (few
//! devices, a video stream of big packets), and a busy gateway (`synth::busy`: 1,500 clients,
//! 20,000 destinations and 126,000 flows per gigabyte, 560 bytes a packet), 250 MB unless
//! `PHONEHOME_BENCH_BUSY_MB` says otherwise.
//!
//! `cargo bench --bench core` (`-- busy` measures the busy one only). Each capture is generated in
//! memory once (the generator's own speed is printed first). For files on disk, to compare with
//! tshark: `tests/bench/native.sh` (the CLI on a busy gigabyte), or
//! `cargo run --release --example make_capture -- target/bench.pcap 105 1`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use phonehome::synth::busy::{self, BusyConfig};
use phonehome::synth::{generate_with_truth, SynthConfig};
use phonehome::{geo, Analyzer};

/// The allocator the CLI uses, so the numbers are the shipped native analysis's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// 105 MB: at least 100 MB whichever way a megabyte is counted.
const TARGET_BYTES: u64 = 105_000_000;
const CHUNK: usize = 4 << 20;

fn analyse(capture: &[u8]) -> usize {
    let mut analyzer = Analyzer::new();
    for chunk in capture.chunks(CHUNK) {
        analyzer.feed(chunk);
    }
    match analyzer.finish(geo::embedded()) {
        Ok(analysis) => analysis.flows.len(),
        Err(e) => panic!("generated capture not read: {e}"),
    }
}

fn core(c: &mut Criterion) {
    let config = SynthConfig { seed: 1, target_bytes: TARGET_BYTES, vlan: true };
    let started = Instant::now();
    let (capture, truth) = match generate_with_truth(&config) {
        Ok(generated) => generated,
        Err(e) => panic!("generator failed: {e}"),
    };
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "capture: {} bytes, {} packets ({:.0} bytes/packet); generated in {secs:.2} s ({:.0} MB/s)",
        capture.len(),
        truth.packets,
        truth.frame_bytes as f64 / truth.packets as f64,
        capture.len() as f64 / secs / 1e6
    );
    eprintln!("flows in the report: {}", analyse(&capture));

    let mut group = c.benchmark_group("analyze_100MB_capture");
    group.sample_size(10).warm_up_time(Duration::from_secs(3)).measurement_time(Duration::from_secs(20));
    // Both rates from the same runs: packets per second first, then bytes per second.
    group.throughput(Throughput::ElementsAndBytes { elements: truth.packets, bytes: capture.len() as u64 });
    group.bench_function("4MiB_chunks", |b| b.iter(|| black_box(analyse(black_box(&capture)))));
    group.finish();
}

/// The busy gateway's capture of `PHONEHOME_BENCH_BUSY_MB` megabytes (250 by default).
fn busy(c: &mut Criterion) {
    let mb: u64 = std::env::var("PHONEHOME_BENCH_BUSY_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(250);
    let config = BusyConfig { seed: 1, target_bytes: mb * 1_000_000 };
    let started = Instant::now();
    let (capture, truth) = match busy::generate(&config) {
        Ok(generated) => generated,
        Err(e) => panic!("generator failed: {e}"),
    };
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "busy capture: {} bytes, {} packets ({:.0} bytes/packet in the file), {} flows, {} clients, {} \
         destinations; generated in {secs:.2} s ({:.0} MB/s)",
        capture.len(),
        truth.packets,
        capture.len() as f64 / truth.packets as f64,
        truth.flows,
        truth.clients,
        truth.destinations,
        capture.len() as f64 / secs / 1e6
    );
    eprintln!("flows in the report: {}", analyse(&capture));

    let mut group = c.benchmark_group(format!("analyze_busy_{mb}MB_capture"));
    group.sample_size(10).warm_up_time(Duration::from_secs(3)).measurement_time(Duration::from_secs(20));
    group.throughput(Throughput::ElementsAndBytes { elements: truth.packets, bytes: capture.len() as u64 });
    group.bench_function("4MiB_chunks", |b| b.iter(|| black_box(analyse(black_box(&capture)))));
    group.finish();
}

criterion_group!(benches, core, busy);
criterion_main!(benches);
