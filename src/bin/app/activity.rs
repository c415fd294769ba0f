//! The capture's activity over time, for the activity chart and the sparklines: bytes per time
//! bin of the timelines every destination and device carries, split into flagged destinations
//! and the rest, and the shapes the page draws from them.

use phonehome::report::model::Timeline;
use phonehome::Report;

/// Bytes per bin of the whole capture, flagged destinations apart.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Activity {
    pub start_ts: f64,
    pub bin_seconds: f64,
    pub flagged: Vec<u64>,
    pub other: Vec<u64>,
}

impl Activity {
    pub fn bins(&self) -> usize {
        self.flagged.len()
    }

    /// When bin `i` starts.
    pub fn time_of(&self, bin: usize) -> f64 {
        self.start_ts + self.bin_seconds * bin as f64
    }
}

/// The activity of all destinations (`None` when they carry no timelines: a shared report).
pub fn of_capture(report: Report<'_>) -> Option<Activity> {
    let axis = report.analysis.destinations.iter().find_map(|d| d.timeline.as_ref())?;
    let bins = axis.bins as usize;
    let mut activity = Activity {
        start_ts: axis.start_ts,
        bin_seconds: axis.bin_seconds,
        flagged: vec![0; bins],
        other: vec![0; bins],
    };
    for (i, d) in report.analysis.destinations.iter().enumerate() {
        let Some(t) = &d.timeline else { continue };
        let into = if report.verdicts.of(i).flagged() { &mut activity.flagged } else { &mut activity.other };
        for bin in &t.active {
            if let Some(slot) = into.get_mut(bin.index as usize) {
                *slot += bin.bytes;
            }
        }
    }
    Some(activity)
}

/// One device's activity, all counted as "other" (its flagged part is not split out).
pub fn of_device(timeline: &Timeline) -> Activity {
    let (_, bytes) = timeline.dense();
    Activity {
        start_ts: timeline.start_ts,
        bin_seconds: timeline.bin_seconds,
        flagged: vec![0; bytes.len()],
        other: bytes,
    }
}

/// A sparkline's path over `bins` columns, 10 high: one bar per bin with traffic, its height
/// the square root of its share of the busiest bin (so a quiet heartbeat still shows beside a
/// burst), at least a sliver.
pub fn sparkline_path(timeline: &Timeline) -> String {
    let max = timeline.active.iter().map(|b| b.bytes).max().unwrap_or(0).max(1) as f64;
    let mut path = String::new();
    for bin in timeline.active.iter().filter(|b| b.packets > 0) {
        let height = (10.0 * (bin.bytes as f64 / max).sqrt()).max(1.0);
        path.push_str(&format!("M{}.5 10v-{:.1}", bin.index, height));
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{analysis, destination, seen};
    use phonehome::report::model::ActiveBin;

    fn timeline(active: &[(u32, u64)]) -> Timeline {
        Timeline {
            start_ts: 100.0,
            bin_seconds: 2.0,
            bins: 4,
            active: active.iter().map(|&(index, bytes)| ActiveBin { index, packets: 1, bytes }).collect(),
        }
    }

    #[test]
    fn flagged_destinations_are_counted_apart() {
        let mut a = analysis(vec![destination("52.1.1.1", Some("US")), destination("180.76.76.76", Some("CN"))]);
        a.destinations[0].timeline = Some(timeline(&[(0, 100), (3, 50)]));
        a.destinations[1].timeline = Some(timeline(&[(3, 7)]));
        let report = seen(a, Some("US"), &[]);
        let activity = of_capture(report.view()).unwrap();
        assert_eq!((activity.other.as_slice(), activity.flagged.as_slice()), (&[100, 0, 0, 50][..], &[0, 0, 0, 7][..]));
        assert_eq!(activity.time_of(3), 106.0);
        let shared = seen(analysis(vec![destination("52.1.1.1", Some("US"))]), None, &[]);
        assert_eq!(of_capture(shared.view()), None, "a shared report has no timelines");
    }

    #[test]
    fn sparklines_draw_one_bar_per_active_bin() {
        assert_eq!(sparkline_path(&timeline(&[(0, 100), (3, 1)])), "M0.5 10v-10.0M3.5 10v-1.0");
        assert_eq!(of_device(&timeline(&[(1, 9)])).other, [0, 9, 0, 0]);
    }
}
