//! Writes a synthetic home-network capture of a given size, for benchmarks and experiments:
//! `cargo run --release --example make_capture -- OUT SIZE_MB [SEED] [--no-vlan]`.
//! Prints the bytes written, the time taken and the generator's speed.

use std::io::BufWriter;
use std::time::Instant;

use phonehome::synth::{generate_to, SynthConfig};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: make_capture OUT SIZE_MB [SEED] [--no-vlan]";
    let (Some(out), Some(size)) = (args.first(), args.get(1)) else {
        eprintln!("{usage}");
        std::process::exit(2);
    };
    let Ok(size_mb) = size.parse::<f64>() else {
        eprintln!("SIZE_MB is not a number: {size}\n{usage}");
        std::process::exit(2);
    };
    let seed = match args.get(2).filter(|a| !a.starts_with("--")).map(|s| s.parse::<u64>()) {
        None => 1,
        Some(Ok(seed)) => seed,
        Some(Err(_)) => {
            eprintln!("SEED is not a number\n{usage}");
            std::process::exit(2);
        }
    };
    let config = SynthConfig {
        seed,
        target_bytes: (size_mb * 1_000_000.0) as u64,
        vlan: !args.iter().any(|a| a == "--no-vlan"),
    };
    let file = match std::fs::File::create(out) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("cannot create {out}: {e}");
            std::process::exit(1);
        }
    };
    let started = Instant::now();
    match generate_to(&config, BufWriter::with_capacity(1 << 20, file)) {
        Ok(bytes) => {
            let secs = started.elapsed().as_secs_f64();
            println!("{out}: {bytes} bytes in {secs:.2} s ({:.0} MB/s)", bytes as f64 / secs / 1e6);
        }
        Err(e) => {
            eprintln!("writing {out}: {e}");
            std::process::exit(1);
        }
    }
}
