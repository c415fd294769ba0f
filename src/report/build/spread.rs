//! Parts of the report's assembly that run side by side: one thread each on native targets
//! (the CLI reads a big capture on every core, and assembles its report on them too), one
//! after another in the page's wasm, where the analysis has one worker. Each part works on
//! what it owns, so the result never depends on how many parts there are.

use std::hash::{BuildHasher, Hash};

use foldhash::fast::FixedState;

/// Part `index` of `count`: it owns the keys that hash to it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Part {
    pub(super) index: usize,
    pub(super) count: usize,
}

impl Part {
    /// Whether this part owns `key`. Every part of one assembly hashes alike (a fixed seed).
    pub(super) fn owns(self, key: &impl Hash) -> bool {
        self.count == 1 || FixedState::with_seed(0x5eed).hash_one(key) % self.count as u64 == self.index as u64
    }

    /// The part that does what only one part must do (the flow listing).
    pub(super) fn is_first(self) -> bool {
        self.index == 0
    }
}

/// Runs `work` for each of `count` parts, side by side where threads exist; the results come
/// in part order.
pub(super) fn spread<T: Send>(count: usize, work: impl Fn(Part) -> T + Sync) -> Vec<T> {
    let count = count.max(1);
    spread_each((0..count).map(|index| Part { index, count }).collect(), work)
}

/// Runs `work` on each of `items`, side by side where threads exist; the results come in the
/// items' order.
pub(super) fn spread_each<T: Send, U: Send>(items: Vec<T>, work: impl Fn(T) -> U + Sync) -> Vec<U> {
    if items.len() < 2 || cfg!(target_arch = "wasm32") {
        return items.into_iter().map(work).collect();
    }
    std::thread::scope(|scope| {
        let work = &work;
        let mut items = items.into_iter();
        let first = items.next();
        let others: Vec<_> = items.map(|item| scope.spawn(move || work(item))).collect();
        let mut out: Vec<U> = first.into_iter().map(work).collect();
        // A part that panicked makes the whole assembly panic, as it would on one thread.
        out.extend(others.into_iter().map(|t| t.join().unwrap_or_else(|e| std::panic::resume_unwind(e))));
        out
    })
}

/// Runs `work` on `count` nearly equal runs of `items`, side by side where threads exist.
pub(super) fn spread_mut<T: Send>(count: usize, items: &mut [T], work: impl Fn(&mut [T]) + Sync) {
    let count = count.max(1);
    if count == 1 || cfg!(target_arch = "wasm32") || items.len() < 2 {
        return work(items);
    }
    let run = items.len().div_ceil(count);
    spread_each(items.chunks_mut(run).collect(), work);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_one_owner_and_results_come_in_part_order() {
        for count in 1..5 {
            for key in 0..1000u32 {
                let owners = (0..count).filter(|&index| Part { index, count }.owns(&key)).count();
                assert_eq!(owners, 1, "key {key} of {count} parts");
            }
            assert_eq!(spread(count, |p| p.index), (0..count).collect::<Vec<_>>());
            assert_eq!(spread_each((0..count).collect(), |i| i * 2), (0..count).map(|i| i * 2).collect::<Vec<_>>());
        }
        let mut items: Vec<u32> = (0..101).collect();
        spread_mut(3, &mut items, |run| run.iter_mut().for_each(|x| *x *= 2));
        assert_eq!(items, (0..101).map(|x| x * 2).collect::<Vec<_>>());
    }
}
