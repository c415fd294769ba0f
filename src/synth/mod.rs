//! Deterministic synthetic captures of a home network, for tests, benchmarks and the demo.
//!
//! The capture is what a mirror port next to the home router would record: a router
//! (192.168.1.1, plus an ISP IPv6 prefix) and five devices with their own MACs: a doorbell, a
//! smart plug, a TV, a phone and a laptop. They join with DHCP (host name in option 12), ARP for
//! the gateway, announce themselves over mDNS, look names up (CNAME chains, compressed answers),
//! and then open TLS connections whose ClientHello carries the name (sometimes over two TCP
//! segments), send HTTP/1.1 requests with `Host`, ask NTP servers for the time, ping, and talk
//! over IPv6 from their global addresses. The doorbell sends a 20-byte audio snippet to an address
//! in China every two seconds or so, next to its American cloud. With `vlan` the IoT devices'
//! frames carry 802.1Q tag 20. The TV's video stream grows until the file reaches `target_bytes`.
//!
//! Same configuration, same bytes: the generator has its own PRNG ([`rng`]). [`truth`] says what
//! a correct analysis must find, recorded while generating so it cannot drift from the bytes.
//! Nothing here does I/O of its own; [`generate_to`] streams into any writer, holding one
//! ten-second round (about 1 MiB) at a time, so gigabyte captures need no gigabyte of memory.
//!
//! Layout: [`scenario`] is the script (boot, rounds, sizing), [`lan`] and [`activities`] the
//! steps, [`home`] the devices and services, [`tcp`], [`tls`], [`dns`], [`dhcp`] the protocols'
//! bytes, [`wire`] the frames, [`capture`] the pcap file.

mod activities;
pub mod busy;
mod capture;
mod dhcp;
mod dns;
mod home;
pub mod hostile;
mod lan;
mod rng;
mod scenario;
mod tcp;
mod tls;
mod truth;
pub mod warm;
mod wire;

pub use rng::Rng;
pub use truth::{DestinationTruth, DeviceTruth, NameSource, PeriodicTruth, Truth};

/// What to generate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthConfig {
    /// Different seeds give different MACs, addresses, timings and payloads.
    pub seed: u64,
    /// The file grows until it has at least this many bytes (it overshoots by less than one
    /// ten-second round, about 1 MiB for large targets). A tiny target still gets the boot
    /// stretch in which every device uses every service once.
    pub target_bytes: u64,
    /// Tag the doorbell's and the smart plug's frames with 802.1Q VLAN 20.
    pub vlan: bool,
}

impl Default for SynthConfig {
    fn default() -> Self {
        SynthConfig { seed: 1, target_bytes: 200_000, vlan: true }
    }
}

/// The whole capture in memory: classic pcap, Ethernet, microsecond timestamps, little-endian.
pub fn generate(config: &SynthConfig) -> Vec<u8> {
    let mut out = Vec::with_capacity(config.target_bytes.min(1 << 30) as usize + (1 << 20));
    // Writing into a Vec cannot fail, and the scenario only builds packets it knows are valid.
    match scenario::run(config, &mut out) {
        Ok(_) => out,
        Err(_) => Vec::new(),
    }
}

/// Streams the capture into `out`; returns the number of bytes written.
pub fn generate_to<W: std::io::Write>(config: &SynthConfig, out: W) -> std::io::Result<u64> {
    scenario::run(config, out).map(|truth| truth.file_bytes)
}

/// The capture and its truth from one generation.
pub fn generate_with_truth(config: &SynthConfig) -> std::io::Result<(Vec<u8>, Truth)> {
    let mut out = Vec::with_capacity(config.target_bytes.min(1 << 30) as usize + (1 << 20));
    let truth = scenario::run(config, &mut out)?;
    Ok((out, truth))
}

/// What a correct analysis of `generate(config)` must find. Costs one generation, into nothing.
pub fn truth(config: &SynthConfig) -> Truth {
    match scenario::run(config, std::io::sink()) {
        Ok(truth) => truth,
        // Unreachable for the same reason as in `generate`; an empty truth makes any test fail.
        Err(_) => Truth {
            router_mac: String::new(),
            router_ip: std::net::Ipv4Addr::UNSPECIFIED.into(),
            devices: Vec::new(),
            periodic: Vec::new(),
            packets: 0,
            frame_bytes: 0,
            file_bytes: 0,
        },
    }
}

#[cfg(test)]
mod tests;
