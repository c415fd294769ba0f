//! Scanning devices: a device that opened connections to many addresses or ports, each
//! carrying almost nothing. Such attempts are summarised per device ([`Scan`]) instead of
//! becoming one flow and one destination each: a camera that tries two million addresses
//! would otherwise make a report of two million destinations that says nothing more.
//!
//! An attempt is a flow the device opened (it is the client) to an address no DNS answer in
//! the capture named (scanners pick addresses, they do not look names up), with at most
//! [`MAX_ATTEMPT_PACKETS`] packets each way and at most [`MAX_ATTEMPT_BYTES`] bytes from the
//! device. A device scans when it made at least [`MIN_ATTEMPTS`] attempts to at least
//! [`MIN_TARGETS`] distinct addresses, or to at least [`MIN_TARGETS`] distinct ports. Ordinary
//! devices stay far below: their short flows (DNS, NTP) go to a handful of servers and ports.

use foldhash::{HashMap, HashSet};
use std::hash::Hash;
use std::net::IpAddr;

use super::model::Scan;
use crate::flows::Flow;

/// Most packets an attempt has in either direction (a SYN and its retries; a reset or a
/// SYN-ACK back).
pub const MAX_ATTEMPT_PACKETS: u64 = 3;
/// Most bytes an attempt carries from the device.
pub const MAX_ATTEMPT_BYTES: u64 = 300;
/// Fewest attempts that make a scan.
pub const MIN_ATTEMPTS: u64 = 1_000;
/// Fewest distinct addresses, or distinct ports, a scan tries.
pub const MIN_TARGETS: usize = 256;

/// Whether a flow the device opened is an attempt; `named` says whether a DNS answer named
/// its server.
pub fn is_attempt(flow: &Flow, named: bool) -> bool {
    !named
        && flow.c2s.packets <= MAX_ATTEMPT_PACKETS
        && flow.s2c.packets <= MAX_ATTEMPT_PACKETS
        && flow.c2s.bytes <= MAX_ATTEMPT_BYTES
}

/// The attempts of one device, gathered before it is known whether they make a scan.
#[derive(Debug, Default)]
struct Attempts {
    addresses: HashSet<IpAddr>,
    ports: HashSet<u16>,
    answered: u64,
    count: u64,
    packets: u64,
    bytes: u64,
    first_ns: i64,
    last_ns: i64,
}

/// Gathers attempts per device (`D` says who the device is) and tells which devices scanned.
#[derive(Debug)]
pub struct Scans<D> {
    by_device: HashMap<D, Attempts>,
}

impl<D: Hash + Eq + Copy> Default for Scans<D> {
    fn default() -> Self {
        Scans { by_device: HashMap::default() }
    }
}

impl<D: Hash + Eq + Copy> Scans<D> {
    /// Notes a flow `device` opened, if it is an attempt (`named`: see [`is_attempt`]).
    pub fn note(&mut self, device: D, flow: &Flow, named: bool) {
        if !is_attempt(flow, named) {
            return;
        }
        let a = self.by_device.entry(device).or_insert_with(|| Attempts {
            first_ns: flow.first_ns,
            last_ns: flow.last_ns,
            ..Attempts::default()
        });
        // The sets only need to show that the threshold is passed, and then to count: both
        // stay exact, as a scan's size is what the report says.
        a.addresses.insert(flow.server.ip);
        a.ports.extend(flow.server.port);
        a.answered += u64::from(flow.s2c.packets > 0);
        a.count += 1;
        a.packets += flow.c2s.packets + flow.s2c.packets;
        a.bytes += flow.c2s.bytes + flow.s2c.bytes;
        a.first_ns = a.first_ns.min(flow.first_ns);
        a.last_ns = a.last_ns.max(flow.last_ns);
    }

    /// The devices that scanned, with their summaries; the rest is dropped.
    pub fn finish(self) -> HashMap<D, Scan> {
        self.by_device
            .into_iter()
            .filter(|(_, a)| {
                a.count >= MIN_ATTEMPTS && (a.addresses.len() >= MIN_TARGETS || a.ports.len() >= MIN_TARGETS)
            })
            .map(|(device, a)| {
                let scan = Scan {
                    addresses: a.addresses.len() as u64,
                    ports: a.ports.len() as u64,
                    answered: a.answered,
                    attempts: a.count,
                    packets: a.packets,
                    bytes: a.bytes,
                    first_ts: a.first_ns as f64 / 1e9,
                    last_ts: a.last_ns as f64 / 1e9,
                };
                (device, scan)
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flows::{Counters, Endpoint};

    fn flow(server: IpAddr, port: u16, out: (u64, u64), back: u64) -> Flow {
        Flow {
            proto: 6,
            client: Endpoint { ip: "192.168.1.66".parse().unwrap(), port: Some(40_000) },
            server: Endpoint { ip: server, port: Some(port) },
            c2s: Counters { packets: out.0, bytes: out.1 },
            s2c: Counters { packets: back, bytes: back * 60 },
            first_ns: 1,
            last_ns: 2,
            tcp_flags: 0,
            client_mac: None,
            server_mac: None,
            rhythm: Default::default(),
            activity: Default::default(),
        }
    }

    #[test]
    fn many_small_attempts_to_many_addresses_or_ports_make_a_scan() {
        let mut scans = Scans::default();
        for i in 0..2_000u32 {
            // Device 1 tries 2,000 addresses on port 23; device 2 tries 2,000 ports of one
            // address; device 3 asks one resolver 2,000 times.
            scans.note(
                1,
                &flow(std::net::Ipv4Addr::from(0x0b00_0000 + i).into(), 23, (1, 60), u64::from(i % 10 == 0)),
                false,
            );
            scans.note(2, &flow("52.1.2.3".parse().unwrap(), 1 + i as u16, (2, 120), 1), false);
            scans.note(3, &flow("8.8.8.8".parse().unwrap(), 53, (1, 80), 1), false);
            // Device 5 opens connections to 2,000 addresses its DNS lookups named.
            scans.note(5, &flow(std::net::Ipv4Addr::from(0x0c00_0000 + i).into(), 443, (1, 60), 0), true);
        }
        // Device 4 has real conversations with many addresses: not attempts.
        for i in 0..2_000u32 {
            scans.note(4, &flow(std::net::Ipv4Addr::from(0x0b00_0000 + i).into(), 443, (20, 9_000), 20), false);
        }
        let found = scans.finish();
        let mut devices: Vec<_> = found.keys().copied().collect();
        devices.sort();
        assert_eq!(devices, [1, 2]);
        let one = found[&1];
        assert_eq!((one.addresses, one.ports, one.answered, one.attempts, one.packets), (2_000, 1, 200, 2_000, 2_200));
        assert_eq!((found[&2].addresses, found[&2].ports), (1, 2_000));
    }

    #[test]
    fn few_attempts_are_no_scan() {
        let mut scans = Scans::default();
        for i in 0..(MIN_ATTEMPTS as u32 - 1) {
            scans.note(1, &flow(std::net::Ipv4Addr::from(0x0b00_0000 + i).into(), 23, (1, 60), 0), false);
        }
        assert!(scans.finish().is_empty());
    }
}
