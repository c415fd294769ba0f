//! Who runs a destination, seen from the devices that reach it: their own maker ("first"),
//! infrastructure that serves many makers ("support"), another company ("third"), or
//! "unknown" when nothing in the embedded lists supports a judgement. A guess is never shown
//! as fact: every judgement carries its basis in words.
//!
//! A device's makers come from its MAC's registrant (often the maker of its Wi-Fi module, not
//! the brand on the box) and from its own names (DHCP, mDNS), which often carry the brand. A
//! destination's owner comes from its names (the longest listed domain suffix) or, failing
//! those, from its network (AS number).

pub mod domain;
mod judge;
pub mod lists;

use serde::{Deserialize, Serialize};

pub use judge::{identify, judge, Identity, Named};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PartyKind {
    /// The device's own maker (the brand, or the maker of its network module).
    First,
    /// Infrastructure that serves many makers: cloud and CDN networks, public resolvers, time
    /// services, IoT platforms.
    Support,
    /// Another company's service: advertising, analytics, another maker's cloud.
    Third,
    Unknown,
}

impl PartyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            PartyKind::First => "first",
            PartyKind::Support => "support",
            PartyKind::Third => "third",
            PartyKind::Unknown => "unknown",
        }
    }

    /// Words for it in tables and cards.
    pub fn words(self) -> &'static str {
        match self {
            PartyKind::First => "device maker",
            PartyKind::Support => "infrastructure",
            PartyKind::Third => "third party",
            PartyKind::Unknown => "owner unknown",
        }
    }
}

/// The judgement on one destination.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Party {
    pub kind: PartyKind,
    /// The company behind the name when a list knows it, else the AS organisation.
    pub owner: Option<String>,
    /// Why, in words ("SNI fw.ring.com is a domain of the brand, Ring").
    pub basis: String,
}

#[cfg(test)]
mod tests;
