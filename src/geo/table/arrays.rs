//! Arrays read straight from the table's bytes (little-endian integers, byte planes,
//! fixed-size blocks) and the branch-free searches over them that every lookup runs. Every
//! read is bounds-checked: a corrupt table gives a wrong answer or none, never a panic.

use super::layout;

/// A little-endian array of `W`-byte unsigned integers over unaligned bytes.
#[derive(Clone, Copy)]
pub(super) struct Le<'a, const W: usize>(pub(super) &'a [u8]);

impl<const W: usize> Le<'_, W> {
    pub(super) fn len(self) -> usize {
        self.0.len() / W
    }

    pub(super) fn bytes(self, i: usize) -> Option<[u8; W]> {
        // A wrapped product (only from a corrupt table) reads a wrong entry or none: never
        // out of bounds.
        let start = i.wrapping_mul(W);
        self.0.get(start..start.wrapping_add(W))?.try_into().ok()
    }
}

impl Le<'_, 4> {
    pub(super) fn get(self, i: usize) -> Option<u32> {
        self.bytes(i).map(u32::from_le_bytes)
    }

    /// Starts loading the cache line of integer `i` while the caller searches the keys that
    /// decide which nearby integer it needs: the load overlaps the search instead of
    /// following it. `black_box` keeps the otherwise unused read from being removed.
    pub(super) fn warm(self, i: usize) {
        std::hint::black_box(self.get(i));
    }

    pub(super) fn get_usize(self, i: usize) -> Option<usize> {
        self.get(i).and_then(|v| usize::try_from(v).ok())
    }
}

impl Le<'_, 8> {
    pub(super) fn get(self, i: usize) -> Option<u64> {
        self.bytes(i).map(u64::from_le_bytes)
    }
}

/// Index of the last entry in `lo..hi` whose key is `<= target`, or `lo - 1` when none is
/// (the layout makes that the entry just before the bucket); `None` only below index 0.
///
/// Branch-free halving: the loop runs the same number of steps whatever the keys, and the
/// comparison becomes a conditional move, so unpredictable comparisons cost no mispredicted
/// jumps (most of a plain binary search's time once the keys are cached). `key` reads
/// unreadable entries as the largest key, so a corrupt table gives a wrong answer, not a panic.
pub(super) fn last_at_or_before<K: Ord>(lo: usize, hi: usize, target: K, key: impl Fn(usize) -> K) -> Option<usize> {
    if hi <= lo {
        return lo.checked_sub(1);
    }
    let (mut base, mut len) = (lo, hi - lo);
    while len > 1 {
        let half = len / 2;
        // Every index base moves to has a key <= target, so if base's own key is above the
        // target at the end, base is still lo and nothing in the range qualifies.
        base = if key(base + half) <= target { base + half } else { base };
        len -= half;
    }
    if key(base) <= target {
        Some(base)
    } else {
        base.checked_sub(1)
    }
}

/// `W`-byte little-endian unsigned integers stored as `W` byte planes of `len` bytes each
/// (plane `j` holds byte `j` of every integer).
#[derive(Clone, Copy)]
pub(super) struct Planes<'a, const W: usize> {
    pub(super) planes: [&'a [u8]; W],
}

impl<'a, const W: usize> Planes<'a, W> {
    /// Splits a section into `W` equal planes; `None` if it does not divide.
    pub(super) fn new(bytes: &'a [u8]) -> Option<Planes<'a, W>> {
        const { assert!(W > 0 && W <= 8, "planes of 1 to 8 bytes make a u64") };
        if bytes.len() % W != 0 {
            return None;
        }
        let len = bytes.len() / W;
        let mut planes = [&bytes[..0]; W];
        for (j, plane) in planes.iter_mut().enumerate() {
            *plane = bytes.get(j * len..(j + 1) * len)?;
        }
        Some(Planes { planes })
    }

    pub(super) fn len(&self) -> usize {
        self.planes.first().map_or(0, |plane| plane.len())
    }

    /// Integer `i`; unreadable reads as all ones (the largest key).
    pub(super) fn get(&self, i: usize) -> u64 {
        let mut value = 0u64;
        for (j, plane) in self.planes.iter().enumerate() {
            value |= u64::from(plane.get(i).copied().unwrap_or(0xFF)) << (8 * j);
        }
        value
    }
}

/// A section of fixed-size blocks of `N` bytes.
#[derive(Clone, Copy)]
pub(super) struct Blocks<'a, const N: usize>(&'a [u8]);

impl<'a, const N: usize> Blocks<'a, N> {
    /// `count` whole blocks; `None` if the bytes are not exactly that.
    pub(super) fn new(bytes: &'a [u8], count: usize) -> Option<Blocks<'a, N>> {
        (Some(bytes.len()) == count.checked_mul(N)).then_some(Blocks(bytes))
    }

    pub(super) fn get(self, i: usize) -> Option<&'a [u8; N]> {
        let start = i.wrapping_mul(N);
        self.0.get(start..start.wrapping_add(N))?.try_into().ok()
    }
}

/// Bytes of one run of IPv6 keys.
pub(super) const V6_RUN_BYTES: usize = layout::V6_KEY_BYTES * layout::SUMMARY_STEP;

/// Bytes of one window of the IPv6 summary.
pub(super) const V6_WINDOW_BYTES: usize = 8 * layout::SUMMARY2_STEP;

/// Key `at` (taken modulo `SUMMARY_STEP`) of a run of IPv6 keys. Fixed-size blocks and the
/// modulo leave no bounds to check: this is the innermost loop of an IPv6 lookup.
pub(super) fn run_key(run: &[u8; V6_RUN_BYTES], at: usize) -> u64 {
    let at = at % layout::SUMMARY_STEP;
    let mut value = 0u64;
    for j in 0..layout::V6_KEY_BYTES {
        value |= u64::from(run[j * layout::SUMMARY_STEP + at]) << (8 * j);
    }
    value
}

/// Key `at` (taken modulo `SUMMARY2_STEP`) of a window of the IPv6 summary.
pub(super) fn window_key(window: &[u8; V6_WINDOW_BYTES], at: usize) -> u64 {
    let at = (at % layout::SUMMARY2_STEP) * 8;
    let mut value = 0u64;
    for j in 0..8 {
        value |= u64::from(window[at + j]) << (8 * j);
    }
    value
}

/// Narrows the entries `first..end` to those a search for `key` must still look at, through
/// an index whose entry `j` is the key of entry `j * step` (`index(j)`): one run of `step`
/// entries, or the entries before the range's first indexed one when the key precedes it.
pub(super) fn narrow<K: Ord>(
    first: usize,
    end: usize,
    step: usize,
    key: K,
    index: impl Fn(usize) -> K,
) -> (usize, usize) {
    let (index_first, index_end) = (first.div_ceil(step), end.div_ceil(step));
    match last_at_or_before(index_first, index_end, key, index).filter(|&j| j >= index_first) {
        Some(j) => (j * step, end.min(j * step + step)),
        None => (first, end.min(index_first * step)),
    }
}
