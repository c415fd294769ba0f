//! Writes the page's demo capture (the "try a demo" button loads it):
//! `cargo run --example make_demo -- www/demo.pcap`. It is the generator's default home-network
//! capture (seed 1, about 200 KB, with VLAN tags), so it changes only when the generator does.

use phonehome::synth::{generate_to, truth, SynthConfig};

fn main() {
    let Some(out) = std::env::args().nth(1) else {
        eprintln!("usage: make_demo OUT (e.g. www/demo.pcap)");
        std::process::exit(2);
    };
    let config = SynthConfig::default();
    let written = std::fs::File::create(&out).and_then(|f| generate_to(&config, std::io::BufWriter::new(f)));
    match written {
        Ok(bytes) => {
            let truth = truth(&config);
            println!("{out}: {bytes} bytes, {} packets, {} devices", truth.packets, truth.devices.len());
            for device in &truth.devices {
                println!("  {} {:<14} {} destinations", device.mac, device.hostname, device.destinations.len());
            }
        }
        Err(e) => {
            eprintln!("writing {out}: {e}");
            std::process::exit(1);
        }
    }
}
