//! When traffic happened, kept while reading in at most [`MAX_BINS`] time bins over the
//! capture's span. The span is unknown until the last packet, so the bins start narrow (one
//! millisecond) and double in width whenever a packet falls past the last one; each flow
//! keeps only the bins it was active in, recorded at the width of its time and merged to the
//! current width when it is next touched (or at the end). Memory grows with the bins flows
//! were active in, never with packets, and a flow active in one bin costs no allocation.

/// The most bins a capture's span is divided into.
pub const MAX_BINS: u32 = 120;

/// Width of the narrowest bin: one millisecond.
const BASE_NS: i64 = 1_000_000;

/// Doublings beyond which a bin would outlast the 64-bit nanosecond clock (2^43 ms, about
/// 280 years): a capture stamped that far apart is damaged, and its bins simply stop growing.
const MAX_LEVEL: u32 = 43;

/// The capture's bins: where they start and how wide they are (one millisecond doubled
/// `level` times).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Clock {
    start_ns: Option<i64>,
    /// Where the last bin ends: a packet before it needs no widening (one comparison per
    /// packet).
    end_ns: i64,
    last_ns: i64,
    level: u32,
}

impl Clock {
    /// Takes a packet's time into account: the first starts the bins, and a later one past
    /// the last bin widens them until it fits.
    pub fn observe(&mut self, ts_ns: i64) {
        self.last_ns = self.last_ns.max(ts_ns);
        if ts_ns < self.end_ns && self.start_ns.is_some() {
            return;
        }
        let start = *self.start_ns.get_or_insert(ts_ns);
        while self.level < MAX_LEVEL && ts_ns.saturating_sub(start) >= self.width_ns() * i64::from(MAX_BINS) {
            self.level += 1;
        }
        self.end_ns = start.saturating_add(self.width_ns() * i64::from(MAX_BINS));
    }

    pub fn start_ns(&self) -> Option<i64> {
        self.start_ns
    }

    pub fn width_ns(&self) -> i64 {
        BASE_NS << self.level
    }

    /// How many bins the span so far needs (none before the first packet).
    pub fn bins(&self) -> u32 {
        match self.start_ns {
            Some(_) => self.bin(self.last_ns) + 1,
            None => 0,
        }
    }

    /// The bin of a time. A packet stamped before the first one (clocks can step back) counts
    /// in the first bin.
    fn bin(&self, ts_ns: i64) -> u32 {
        let since = ts_ns.saturating_sub(self.start_ns.unwrap_or(ts_ns)).max(0);
        // The width is BASE_NS << level: a division by a constant and a shift per packet.
        ((since / BASE_NS) >> self.level).min(i64::from(MAX_BINS - 1)) as u32
    }
}

/// Packets and bytes in one bin.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Bin {
    pub index: u32,
    pub packets: u64,
    pub bytes: u64,
}

/// The bins one flow (or anything else counted over time) was active in, in time order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Activity {
    /// The clock's level the bins were recorded at.
    level: u32,
    /// Most flows are short: their one bin needs no allocation.
    first: Option<Bin>,
    rest: Vec<Bin>,
}

impl Activity {
    /// Counts packets and bytes at a time; `clock` has observed it.
    pub fn add(&mut self, clock: &Clock, ts_ns: i64, packets: u64, bytes: u64) {
        self.rescale(clock.level);
        let bin = Bin { index: clock.bin(ts_ns), packets, bytes };
        self.put(bin);
    }

    /// Adds another activity's bins (recorded with the same clock).
    pub fn merge(&mut self, other: &Activity, clock: &Clock) {
        self.rescale(clock.level);
        for bin in other.bins_at(clock.level) {
            self.put(bin);
        }
    }

    /// The bins at the clock's current width, in time order.
    pub fn bins(&self, clock: &Clock) -> Vec<Bin> {
        self.bins_at(clock.level).collect()
    }

    fn bins_at(&self, level: u32) -> impl Iterator<Item = Bin> + '_ {
        let shift = level.saturating_sub(self.level);
        let mut merged: Option<Bin> = None;
        let mut all = self.first.iter().chain(&self.rest).map(move |b| Bin { index: b.index >> shift, ..*b });
        std::iter::from_fn(move || loop {
            match (all.next(), merged) {
                (Some(bin), Some(open)) if bin.index == open.index => {
                    merged = Some(Bin { packets: open.packets + bin.packets, bytes: open.bytes + bin.bytes, ..open });
                }
                (Some(bin), open) => {
                    merged = Some(bin);
                    if open.is_some() {
                        return open;
                    }
                }
                (None, open) => {
                    merged = None;
                    return open;
                }
            }
        })
    }

    /// Merges the bins to a wider level, in place: this runs for every flow touched after the
    /// bins widened, so it allocates nothing.
    fn rescale(&mut self, level: u32) {
        if level <= self.level {
            return;
        }
        let shift = level - self.level;
        self.level = level;
        let Some(first) = &mut self.first else { return };
        first.index >>= shift;
        for bin in &mut self.rest {
            bin.index >>= shift;
        }
        // `dedup_by` hands the later bin first and the kept one second.
        self.rest.dedup_by(|later, kept| {
            let same = later.index == kept.index;
            if same {
                kept.packets += later.packets;
                kept.bytes += later.bytes;
            }
            same
        });
        if self.rest.first().is_some_and(|b| b.index == first.index) {
            let merged = self.rest.remove(0);
            first.packets += merged.packets;
            first.bytes += merged.bytes;
        }
    }

    /// Adds a bin at the current width, keeping the bins in time order.
    fn put(&mut self, bin: Bin) {
        let Some(first) = self.first.as_mut() else {
            self.first = Some(bin);
            return;
        };
        let last = self.rest.last_mut().unwrap_or(&mut *first);
        if last.index == bin.index {
            last.packets += bin.packets;
            last.bytes += bin.bytes;
            return;
        }
        if last.index < bin.index {
            self.rest.push(bin);
            return;
        }
        // Earlier than the last bin: an out-of-order packet, or a merge.
        if first.index == bin.index {
            first.packets += bin.packets;
            first.bytes += bin.bytes;
        } else if bin.index < first.index {
            let old = std::mem::replace(first, bin);
            self.rest.insert(0, old);
        } else {
            match self.rest.binary_search_by_key(&bin.index, |b| b.index) {
                Ok(at) => {
                    self.rest[at].packets += bin.packets;
                    self.rest[at].bytes += bin.bytes;
                }
                Err(at) => self.rest.insert(at, bin),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: i64 = 1_000_000_000;

    fn totals(bins: &[Bin]) -> (u64, u64) {
        bins.iter().fold((0, 0), |(p, b), bin| (p + bin.packets, b + bin.bytes))
    }

    #[test]
    fn bins_widen_as_the_span_grows_and_keep_every_packet() {
        let mut clock = Clock::default();
        let mut activity = Activity::default();
        let mut times = Vec::new();
        for i in 0..10_000i64 {
            // Over about three hours, with some packets out of order.
            let ts = 1_700_000_000 * S + (i * i % 11_000) * S;
            times.push(ts);
            clock.observe(ts);
            activity.add(&clock, ts, 1, 100 + i as u64 % 7);
        }
        let bins = activity.bins(&clock);
        assert!(clock.bins() <= MAX_BINS && clock.bins() > MAX_BINS / 2, "{}", clock.bins());
        assert_eq!(totals(&bins), (10_000, (0..10_000u64).map(|i| 100 + i % 7).sum()));
        assert!(bins.windows(2).all(|w| w[0].index < w[1].index), "in order, one entry per bin");
        // Each packet lands in the bin of its own time at the final width.
        let mut expected = vec![0u64; clock.bins() as usize];
        for ts in times {
            expected[((ts - clock.start_ns().unwrap()) / clock.width_ns()) as usize] += 1;
        }
        let got: Vec<u64> =
            (0..clock.bins()).map(|i| bins.iter().find(|b| b.index == i).map_or(0, |b| b.packets)).collect();
        assert_eq!(got, expected);
    }

    #[test]
    fn a_flow_touched_early_is_merged_to_the_final_width() {
        let mut clock = Clock::default();
        let (mut early, mut late) = (Activity::default(), Activity::default());
        clock.observe(0);
        early.add(&clock, 0, 1, 10);
        clock.observe(S / 1000 * 3);
        early.add(&clock, S / 1000 * 3, 1, 10);
        for t in 1..=3600 {
            clock.observe(t * S);
            late.add(&clock, t * S, 2, 20);
        }
        assert!(clock.width_ns() * i64::from(MAX_BINS) > 3600 * S);
        assert_eq!(early.bins(&clock), [Bin { index: 0, packets: 2, bytes: 20 }]);
        let mut all = late.clone();
        all.merge(&early, &clock);
        assert_eq!(totals(&all.bins(&clock)), (7202, 72_020));
        assert_eq!(all.bins(&clock).len(), clock.bins() as usize);
    }

    #[test]
    fn packets_before_the_first_count_in_the_first_bin() {
        let mut clock = Clock::default();
        let mut activity = Activity::default();
        for ts in [10 * S, 9 * S, 12 * S] {
            clock.observe(ts);
            activity.add(&clock, ts, 1, 1);
        }
        let bins = activity.bins(&clock);
        assert_eq!(bins.first().map(|b| (b.index, b.packets)), Some((0, 2)));
        assert_eq!(totals(&bins), (3, 3));
    }

    #[test]
    fn a_damaged_clock_neither_overflows_nor_loops() {
        let mut clock = Clock::default();
        let mut activity = Activity::default();
        for ts in [i64::MIN / 2, 0, i64::MAX / 2, i64::MAX] {
            clock.observe(ts);
            activity.add(&clock, ts, 1, 1);
        }
        assert!(clock.bins() <= MAX_BINS);
        assert_eq!(totals(&activity.bins(&clock)), (4, 4));
    }
}
