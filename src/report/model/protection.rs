//! How a device's bytes travelled: encrypted, in plaintext, or unknown.

use serde::{Deserialize, Serialize};

/// A device's bytes (every flow of it, both directions, scan attempts included) by how they
/// travelled, from the classifier that also gives the `plaintext` concern: the three add up
/// to the device's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Protection {
    /// In TLS (a ClientHello seen, a STARTTLS upgrade, or a TLS port) or QUIC.
    pub encrypted_bytes: u64,
    /// In a plaintext protocol (HTTP, telnet, FTP, plain MQTT and the like).
    pub plaintext_bytes: u64,
    /// Anything else (DNS, NTP, proprietary protocols, connections that carried no data).
    pub unknown_bytes: u64,
}

impl Protection {
    pub fn total(self) -> u64 {
        self.encrypted_bytes.saturating_add(self.plaintext_bytes).saturating_add(self.unknown_bytes)
    }
}
