//! A destination's (or a device's) traffic over the capture's span: packets and bytes in time
//! bins that every timeline of an analysis shares (the same start, width and count, at most
//! [`MAX_BINS`]), so they can be drawn and compared on one axis.
//!
//! Kept sparse (only the bins with traffic), because a capture can have hundreds of thousands
//! of destinations that were each active for a moment. The JSON contract writes every bin:
//! `{ "start_ts", "bin_seconds", "packets": [..], "bytes": [..] }`; the compact form the page's
//! worker posts (postcard, not human-readable) keeps the sparse one.

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

pub use crate::activity::MAX_BINS;

/// Packets and bytes in one bin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActiveBin {
    pub index: u32,
    pub packets: u64,
    pub bytes: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// When the first bin starts (Unix seconds).
    pub start_ts: f64,
    pub bin_seconds: f64,
    /// How many bins cover the capture.
    pub bins: u32,
    /// The bins with traffic, in time order, each at most once.
    pub active: Vec<ActiveBin>,
}

impl Timeline {
    pub fn packets(&self) -> u64 {
        self.active.iter().map(|b| b.packets).sum()
    }

    pub fn bytes(&self) -> u64 {
        self.active.iter().map(|b| b.bytes).sum()
    }

    /// Every bin's packets, bytes.
    pub fn dense(&self) -> (Vec<u64>, Vec<u64>) {
        let (mut packets, mut bytes) = (vec![0; self.bins as usize], vec![0; self.bins as usize]);
        for bin in &self.active {
            if let Some(slot) = packets.get_mut(bin.index as usize) {
                *slot += bin.packets;
                bytes[bin.index as usize] += bin.bytes;
            }
        }
        (packets, bytes)
    }

    /// Whether it had traffic in any of the bins `from..=to`.
    pub fn active_between(&self, from: u32, to: u32) -> bool {
        self.active.iter().any(|b| (from..=to).contains(&b.index) && b.packets > 0)
    }
}

/// The contract's form.
#[derive(Serialize, Deserialize)]
struct Dense {
    start_ts: f64,
    bin_seconds: f64,
    packets: Vec<u64>,
    bytes: Vec<u64>,
}

/// The worker's compact form.
#[derive(Serialize, Deserialize)]
struct Sparse {
    start_ts: f64,
    bin_seconds: f64,
    bins: u32,
    active: Vec<ActiveBin>,
}

impl Serialize for Timeline {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            let (packets, bytes) = self.dense();
            Dense { start_ts: self.start_ts, bin_seconds: self.bin_seconds, packets, bytes }.serialize(serializer)
        } else {
            Sparse {
                start_ts: self.start_ts,
                bin_seconds: self.bin_seconds,
                bins: self.bins,
                active: self.active.clone(),
            }
            .serialize(serializer)
        }
    }
}

impl<'de> Deserialize<'de> for Timeline {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Timeline, D::Error> {
        if !deserializer.is_human_readable() {
            let s = Sparse::deserialize(deserializer)?;
            let ordered = s.active.windows(2).all(|w| w[0].index < w[1].index);
            if s.bins > MAX_BINS || !ordered || s.active.last().is_some_and(|b| b.index >= s.bins) {
                return Err(D::Error::custom("a timeline's bins are out of order or out of range"));
            }
            return Ok(Timeline { start_ts: s.start_ts, bin_seconds: s.bin_seconds, bins: s.bins, active: s.active });
        }
        let d = Dense::deserialize(deserializer)?;
        if d.packets.len() != d.bytes.len() || d.packets.len() > MAX_BINS as usize {
            return Err(D::Error::custom(format!(
                "a timeline has {} packet bins and {} byte bins (at most {MAX_BINS}, as many of each)",
                d.packets.len(),
                d.bytes.len()
            )));
        }
        let active = (0..d.packets.len())
            .filter(|&i| d.packets[i] > 0 || d.bytes[i] > 0)
            .map(|i| ActiveBin { index: i as u32, packets: d.packets[i], bytes: d.bytes[i] })
            .collect();
        Ok(Timeline { start_ts: d.start_ts, bin_seconds: d.bin_seconds, bins: d.packets.len() as u32, active })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Timeline {
        Timeline {
            start_ts: 1_700_000_000.5,
            bin_seconds: 32.768,
            bins: 5,
            active: vec![ActiveBin { index: 1, packets: 3, bytes: 300 }, ActiveBin { index: 4, packets: 1, bytes: 60 }],
        }
    }

    #[test]
    fn json_has_every_bin_and_reads_back() {
        let json = serde_json::to_string(&sample()).unwrap();
        assert_eq!(
            json,
            r#"{"start_ts":1700000000.5,"bin_seconds":32.768,"packets":[0,3,0,0,1],"bytes":[0,300,0,0,60]}"#
        );
        assert_eq!(serde_json::from_str::<Timeline>(&json).unwrap(), sample());
        assert_eq!((sample().packets(), sample().bytes()), (4, 360));
        assert!(sample().active_between(2, 4) && !sample().active_between(2, 3));
    }

    #[test]
    fn the_compact_form_stays_sparse_and_is_checked() {
        let bytes = postcard::to_allocvec(&sample()).unwrap();
        assert_eq!(postcard::from_bytes::<Timeline>(&bytes).unwrap(), sample());
        let mut bad = sample();
        bad.active.swap(0, 1);
        assert!(postcard::from_bytes::<Timeline>(&postcard::to_allocvec(&bad).unwrap()).is_err());
        let json = r#"{"start_ts":0,"bin_seconds":1,"packets":[1,2],"bytes":[1]}"#;
        assert!(serde_json::from_str::<Timeline>(json).unwrap_err().to_string().contains("2 packet bins and 1 byte"));
    }
}
