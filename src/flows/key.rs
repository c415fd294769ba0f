//! A flow's key: its protocol and both endpoints, whatever the direction of a packet.

use std::hash::{Hash, Hasher};
use std::net::IpAddr;

use super::Endpoint;

/// Identifies a flow whatever the direction of a packet: the endpoints in sorted order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FlowKey {
    pub proto: u8,
    pub low: Endpoint,
    pub high: Endpoint,
}

/// Hashed as three words, where the derived hash fed the hasher a dozen small pieces
/// (discriminants, addresses, ports) for every packet.
impl Hash for FlowKey {
    fn hash<H: Hasher>(&self, state: &mut H) {
        fn address(ip: IpAddr) -> u128 {
            match ip {
                IpAddr::V4(v4) => u128::from(u32::from(v4)),
                IpAddr::V6(v6) => u128::from(v6),
            }
        }
        fn port(port: Option<u16>) -> u64 {
            port.map_or(0, |p| 0x1_0000 | u64::from(p))
        }
        state.write_u128(address(self.low.ip));
        state.write_u128(address(self.high.ip));
        state.write_u64(u64::from(self.proto) << 40 | port(self.low.port) << 20 | port(self.high.port));
    }
}

impl FlowKey {
    pub(super) fn new(proto: u8, a: Endpoint, b: Endpoint) -> FlowKey {
        if a <= b {
            FlowKey { proto, low: a, high: b }
        } else {
            FlowKey { proto, low: b, high: a }
        }
    }
}
