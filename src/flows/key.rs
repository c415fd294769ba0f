//! A flow's key: its protocol and both endpoints, whatever the direction of a packet.

use std::hash::{Hash, Hasher};
use std::net::IpAddr;

use super::Endpoint;

/// Identifies a flow whatever the direction of a packet: the endpoints in a fixed order.
///
/// Each endpoint is held as two integers (its address, and its family and port), so that
/// putting the endpoints in order, hashing the key and comparing keys (every packet does all
/// three) are a few integer operations. With `IpAddr` and `Option<u16>` fields they were
/// byte-wise comparisons of enums, which in the page's wasm are calls to `memcmp`.
///
/// Addresses are two `u64` halves, not a `u128`: in wasm a `u128` aligns the key, and every
/// entry of the flow index, to 16 bytes (busy 8 GB: the worker's peak was 704 MB with
/// `u128` addresses, 641 MB with halves, 664 MB with the enums before).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlowKey {
    low: [u64; 2],
    high: [u64; 2],
    /// The protocol, then the low and the high endpoint's family and port (see [`side`]).
    rest: u64,
}

impl Hash for FlowKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for word in [self.low[0], self.low[1], self.high[0], self.high[1], self.rest] {
            state.write_u64(word);
        }
    }
}

/// An endpoint as (address, family and port): IPv4 addresses as the number they are, with a
/// family bit that keeps them apart from the IPv6 address of the same number; a port bit that
/// keeps "no port" apart from port 0.
fn side(endpoint: Endpoint) -> ([u64; 2], u64) {
    let (address, family) = match endpoint.ip {
        IpAddr::V4(v4) => (u128::from(u32::from(v4)), 0),
        IpAddr::V6(v6) => (u128::from(v6), 1 << 17),
    };
    let port = endpoint.port.map_or(0, |p| 1 << 16 | u64::from(p));
    ([(address >> 64) as u64, address as u64], family | port)
}

impl FlowKey {
    pub(super) fn new(proto: u8, a: Endpoint, b: Endpoint) -> FlowKey {
        let (a, b) = (side(a), side(b));
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        FlowKey { low: low.0, high: high.0, rest: u64::from(proto) << 40 | low.1 << 20 | high.1 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end(ip: &str, port: Option<u16>) -> Endpoint {
        Endpoint { ip: ip.parse().unwrap(), port }
    }

    #[test]
    fn both_directions_give_one_key_and_every_part_tells_keys_apart() {
        let (a, b) = (end("192.168.1.2", Some(50_000)), end("93.184.216.34", Some(443)));
        assert_eq!(FlowKey::new(6, a, b), FlowKey::new(6, b, a));
        // Another protocol, port, address, or family, or no port instead of port 0.
        let others = [
            FlowKey::new(17, a, b),
            FlowKey::new(6, a, end("93.184.216.34", Some(444))),
            FlowKey::new(6, a, end("93.184.216.35", Some(443))),
            FlowKey::new(6, a, end("::5db8:d822", Some(443))),
            FlowKey::new(6, end("192.168.1.2", None), end("93.184.216.34", Some(443))),
            FlowKey::new(6, end("192.168.1.2", Some(0)), end("93.184.216.34", Some(443))),
        ];
        for (i, other) in others.iter().enumerate() {
            assert_ne!(*other, FlowKey::new(6, a, b), "{i}");
            for later in &others[i + 1..] {
                assert_ne!(other, later);
            }
        }
        // A flow between two ports of one address.
        let (x, y) = (end("10.0.0.1", Some(1)), end("10.0.0.1", Some(2)));
        assert_eq!(FlowKey::new(17, x, y), FlowKey::new(17, y, x));
    }
}
