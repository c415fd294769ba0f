//! Which part of a capture's work an analyzer does when several read it side by side.
//!
//! Every shard reads every frame. A flow belongs to the shard its address pair hashes to, so
//! all its packets, and everything learnt from them (names from its payloads, its fragments,
//! its time bins), stay in one shard in capture order: nothing is added up across shards,
//! only put back in order. The first shard also takes what is no flow's: the counts of all
//! frames, ARP, DHCP and the names devices announce, and the diagnostics.

use std::net::IpAddr;

use crate::decode::IpPacket;

#[derive(Debug, Clone, Copy)]
pub struct Shard {
    index: u64,
    count: u64,
}

impl Default for Shard {
    /// The one analyzer of a capture: it does everything.
    fn default() -> Self {
        Shard { index: 0, count: 1 }
    }
}

impl Shard {
    pub fn new(index: usize, count: usize) -> Shard {
        let count = count.max(1) as u64;
        Shard { index: (index as u64).min(count - 1), count }
    }

    /// Whether this shard takes every frame's facts that are not a flow's.
    pub fn takes_all_frames(self) -> bool {
        self.index == 0
    }

    /// Whether this shard counts the flow of `packet`: by its two addresses in either order,
    /// so that both directions and every fragment of a datagram land in the same shard.
    pub fn owns(self, packet: &IpPacket<'_>) -> bool {
        if self.count == 1 {
            return true;
        }
        fn fold(ip: IpAddr) -> u64 {
            match ip {
                IpAddr::V4(v4) => u64::from(u32::from(v4)),
                IpAddr::V6(v6) => {
                    let bits = u128::from(v6);
                    (bits >> 64) as u64 ^ bits as u64
                }
            }
        }
        // Symmetric in the two addresses, then mixed so that neighbouring addresses spread.
        let pair = fold(packet.src) ^ fold(packet.dst);
        let mixed = pair.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (mixed >> 32) % self.count == self.index
    }
}
