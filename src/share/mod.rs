//! Share links: a report, never the capture, packed into a URL fragment.
//!
//! [`encode`] turns a report into `#r=<base64url>`: one version byte, then the deflated
//! postcard bytes of a [`wire::Payload`]. Local identity (device MACs and addresses, local
//! destination addresses, optionally device names) is replaced by stable labels unless the
//! user keeps it. [`decode`] treats the fragment as hostile: every length, count, index and
//! string is checked, decompression is capped, and any fault is one clear error; nothing
//! is trusted into the report unchecked.

pub mod wire;

mod decode;
mod encode;

pub use decode::{decode, BASIS_LEFT_OUT};
pub use encode::{encode, fragment_of_bytes};

use crate::report::model::Analysis;
use crate::report::verdict::Viewpoint;

/// Links longer than this are impractical (some browsers, chat tools and mail clients cut
/// them): the user is offered the top destinations only, or the JSON file.
pub const MAX_LINK_CHARS: usize = 32 * 1024;
/// What `decode` accepts at most, before and after decompression.
const MAX_FRAGMENT_CHARS: usize = 256 * 1024;
const MAX_DECODED_BYTES: usize = 4 * 1024 * 1024;
const MAX_DEVICES: usize = 10_000;
const MAX_DESTINATIONS: usize = 100_000;
const MAX_LABEL_LEN: usize = 64;
const FRAGMENT_PREFIX: &str = "r=";

/// Choices made in the share dialog.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShareOptions {
    /// Replace local addresses and MACs with labels ("Device 1", "Local address 1").
    pub redact_local: bool,
    /// Keep device names (from DHCP/mDNS), which often carry a person's name.
    pub keep_device_names: bool,
    /// Keep only this many destinations (the ones with most bytes).
    pub max_destinations: Option<usize>,
    /// When the link is made, Unix seconds (the core has no clock).
    pub created: u64,
}

impl Default for ShareOptions {
    fn default() -> Self {
        ShareOptions { redact_local: true, keep_device_names: false, max_destinations: None, created: 0 }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShareError {
    /// The link would be longer than [`MAX_LINK_CHARS`]; `chars` says by how much.
    TooLarge { chars: usize, destinations: usize },
}

impl std::fmt::Display for ShareError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ShareError::TooLarge { chars, destinations } => write!(
                f,
                "a link for all {destinations} destinations would be {chars} characters, too long to share; \
                 share the top destinations only, or the JSON file"
            ),
        }
    }
}

/// Why a link could not be opened. The message is meant for the page as it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DamagedLink {
    pub detail: String,
}

impl std::fmt::Display for DamagedLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "This link is damaged or was made by a newer version of phonehome ({}).", self.detail)
    }
}

impl std::error::Error for DamagedLink {}

fn damaged(detail: impl Into<String>) -> DamagedLink {
    DamagedLink { detail: detail.into() }
}

/// A report opened from a link: its analysis, with networks and countries from the viewer's
/// table, and the home country and watch list the sender chose.
#[derive(Debug, Clone, PartialEq)]
pub struct SharedReport {
    pub analysis: Analysis,
    pub viewpoint: Viewpoint,
    /// When the link was made, Unix seconds.
    pub created: u64,
    /// The IP table date the sender used; compare with the viewer's table's date.
    pub table_date: Option<String>,
    /// Set when the sender kept only the top destinations: how many there were.
    pub total_destinations: Option<u32>,
    pub redacted: bool,
}

#[cfg(test)]
mod tests;
