//! Benchmark of the embedded geo table: nanoseconds per lookup for random public IPv4 and
//! IPv6 addresses the table knows (one at a time, and in batches where independent lookups
//! overlap), the cost of opening the table (the start-up work before the first lookup), and
//! the table's size raw and gzipped.
//!
//! `cargo bench --bench geo`. The first lines printed are the one-off measurements: the
//! in-process cold first lookup (opening plus first touches of the embedded bytes) and sizes.

use std::hint::black_box;
use std::io::Write;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::time::Instant;

use criterion::{criterion_group, Criterion, Throughput};
use flate2::{write::GzEncoder, Compression};
use phonehome::geo::{self, Table};
use phonehome::scope;
use phonehome::synth::Rng;

/// The same bytes the library embeds.
static TABLE_BYTES: &[u8] = include_bytes!("../src/geo/table.bin");

/// How many addresses each lookup benchmark cycles through: far more than the caches hold
/// of the table, so the numbers include the memory traffic of real, scattered lookups.
const SAMPLE: usize = 1 << 16;

/// Addresses per timed call in the batch benchmarks (divides `SAMPLE`).
const BATCH: usize = 1024;

/// The built-in table.
fn table() -> &'static Table<'static> {
    geo::embedded().expect("the built-in table opens")
}

/// Random public addresses the table has an answer for.
fn known_public(mut random: impl FnMut() -> IpAddr) -> Vec<IpAddr> {
    let mut sample = Vec::with_capacity(SAMPLE);
    while sample.len() < SAMPLE {
        let ip = random();
        if scope::is_public(ip) && table().lookup(ip).is_some() {
            sample.push(ip);
        }
    }
    sample
}

fn gzipped_len(bytes: &[u8], level: u32) -> usize {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::new(level));
    let _ = encoder.write_all(bytes);
    encoder.finish().map_or(0, |v| v.len())
}

/// One-off numbers that criterion's repeated timing cannot show.
fn report_cold_start_and_size() {
    let start = Instant::now();
    let first = table().lookup(IpAddr::V4(Ipv4Addr::new(8, 8, 8, 8)));
    let cold = start.elapsed();
    println!("geo: cold first lookup in this process {cold:?} (answer {first:?})");
    println!(
        "geo: table {} bytes raw, {} gzipped (level 6), {} gzipped (level 9), date {:?}",
        TABLE_BYTES.len(),
        gzipped_len(TABLE_BYTES, 6),
        gzipped_len(TABLE_BYTES, 9),
        table().date()
    );
}

fn lookups(c: &mut Criterion) {
    let mut rng = Rng::new(0x0b5e_55ed_9e0b_e7c4);
    let v4 = known_public(|| IpAddr::V4(Ipv4Addr::from(rng.next_u32())));
    // Uniform over 2000::/3 with the low 64 bits random too.
    let v6 = known_public(|| {
        let high = rng.next_u64() >> 3 | 1 << 61;
        IpAddr::V6(Ipv6Addr::from(u128::from(high) << 64 | u128::from(rng.next_u64())))
    });
    for (name, sample) in [("ipv4", &v4), ("ipv6", &v6)] {
        // One lookup per timed call: close to the latency of a single lookup.
        let mut i = 0;
        c.bench_function(&format!("geo lookup {name}"), |b| {
            b.iter(|| {
                i = (i + 1) % SAMPLE;
                black_box(table().lookup(black_box(sample[i])))
            })
        });
        // A batch per timed call, as a report does it: independent lookups overlap.
        let mut group = c.benchmark_group(format!("geo lookup {name} batch"));
        group.throughput(Throughput::Elements(BATCH as u64));
        let mut start = 0;
        group.bench_function("1024 addresses", |b| {
            b.iter(|| {
                start = (start + BATCH) % SAMPLE;
                for &ip in &sample[start..start + BATCH] {
                    black_box(table().lookup(ip));
                }
            })
        });
        group.finish();
    }
    c.bench_function("geo open table (start-up work)", |b| {
        b.iter(|| black_box(Table::open(black_box(TABLE_BYTES)).is_ok()))
    });
    // The page's worker checks every byte it fetched before it opens them.
    let mut group = c.benchmark_group("geo table checksum (start-up work in the page)");
    group.throughput(Throughput::Bytes(TABLE_BYTES.len() as u64));
    group.sample_size(20);
    group.bench_function("whole table", |b| b.iter(|| black_box(geo::checksum(black_box(TABLE_BYTES)))));
    group.finish();
}

criterion_group!(benches, lookups);

fn main() {
    report_cold_start_and_size();
    benches();
    Criterion::default().configure_from_args().final_summary();
}
