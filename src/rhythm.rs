//! Heartbeat detection: small packets a device sends at a steady rhythm.
//!
//! A device that phones home often does it with tiny packets at regular intervals (keepalives,
//! telemetry, the doorbell's audio snippets). Per flow we keep a running mean and variance of
//! the gaps between "beats" of small client packets (Welford's method: constant memory, one
//! pass), where packets less than [`BEAT_MERGE_NS`] apart form one beat, so a request and its
//! acknowledgement do not look like two beats. A flow is periodic when it has enough beats and
//! the gaps vary little relative to their mean.

/// Client packets up to this many bytes on the wire count as small.
pub const SMALL_PACKET: u32 = 300;
/// Packets closer than this belong to the same beat.
const BEAT_MERGE_NS: i64 = 500_000_000;
/// Gaps needed before calling a rhythm (five beats).
const MIN_GAPS: u32 = 4;
/// Largest coefficient of variation (standard deviation / mean) of a steady rhythm.
const MAX_VARIATION: f64 = 0.35;

#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Rhythm {
    beat_start_ns: Option<i64>,
    gaps: u32,
    mean_s: f64,
    m2: f64,
}

/// A steady rhythm found in a flow.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Period {
    pub interval_s: f64,
    /// Standard deviation of the gaps, in seconds.
    pub jitter_s: f64,
    pub beats: u32,
}

impl Rhythm {
    /// Records a small client packet at `ts_ns` (packets must come in capture order; one
    /// out of order is ignored).
    pub fn tick(&mut self, ts_ns: i64) {
        let Some(start) = self.beat_start_ns else {
            self.beat_start_ns = Some(ts_ns);
            return;
        };
        let gap_ns = ts_ns - start;
        if gap_ns < BEAT_MERGE_NS {
            return;
        }
        self.beat_start_ns = Some(ts_ns);
        let gap = gap_ns as f64 / 1e9;
        self.gaps = self.gaps.saturating_add(1);
        let delta = gap - self.mean_s;
        self.mean_s += delta / self.gaps as f64;
        self.m2 += delta * (gap - self.mean_s);
    }

    pub fn period(&self) -> Option<Period> {
        if self.gaps < MIN_GAPS || self.mean_s <= 0.0 {
            return None;
        }
        let jitter = (self.m2 / self.gaps as f64).max(0.0).sqrt();
        (jitter / self.mean_s <= MAX_VARIATION).then_some(Period {
            interval_s: self.mean_s,
            jitter_s: jitter,
            beats: self.gaps + 1,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rhythm(times_s: &[f64]) -> Option<Period> {
        let mut r = Rhythm::default();
        for t in times_s {
            r.tick((t * 1e9) as i64);
        }
        r.period()
    }

    #[test]
    fn steady_beats_with_jitter_and_acks_are_periodic() {
        let times: Vec<f64> = (0..20)
            .flat_map(|i| {
                let t = i as f64 * 2.0 + if i % 2 == 0 { 0.15 } else { -0.1 };
                [t, t + 0.04] // the snippet and a follow-up
            })
            .collect();
        let p = rhythm(&times).expect("periodic");
        assert!((p.interval_s - 2.0).abs() < 0.1, "{p:?}");
        assert_eq!(p.beats, 20);
    }

    #[test]
    fn bursts_random_gaps_and_too_few_beats_are_not() {
        assert!(rhythm(&[0.0, 0.01, 0.02, 0.03, 0.04, 0.05]).is_none());
        assert!(rhythm(&[0.0, 1.0, 5.0, 6.0, 30.0, 31.0, 90.0]).is_none());
        assert!(rhythm(&[0.0, 10.0, 20.0, 30.0]).is_none());
        assert!(rhythm(&[0.0, 10.0, 20.0, 30.0, 40.0]).is_some());
    }
}
