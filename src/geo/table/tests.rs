//! The search structures against the keys they index, over the whole built-in table.

use super::*;

/// Every entry's start, and the address just before it, lead the search to that entry
/// and to the one before: the buckets, summaries and runs agree with the keys they index,
/// at every position in a bucket, a window and a run.
#[test]
fn every_entry_is_found_from_its_first_address() {
    let table = crate::geo::embedded().expect("the embedded table opens");
    let mut starts = Vec::new();
    for bucket in 0..layout::BUCKETS {
        let (first, end) =
            (table.v4_buckets.get_usize(bucket).unwrap(), table.v4_buckets.get_usize(bucket + 1).unwrap());
        starts.extend((first..end).map(|i| (i, (bucket as u32) << 16 | table.v4_keys.get(i) as u32)));
    }
    assert_eq!(starts.len(), table.v4_values.len());
    for &(i, start) in &starts {
        assert_eq!(table.v4_entry(start), Some(i), "IPv4 entry {i} from {start:#x}");
        if let Some(before) = start.checked_sub(1) {
            assert_eq!(table.v4_entry(before), i.checked_sub(1), "IPv4 entry before {i}");
        }
    }

    let mut starts = Vec::new();
    for bucket in 0..layout::BUCKETS {
        let (first, end) =
            (table.v6_buckets.get_usize(bucket).unwrap(), table.v6_buckets.get_usize(bucket + 1).unwrap());
        for i in first..end {
            let key = run_key(table.v6_keys.get(i / layout::SUMMARY_STEP).unwrap(), i);
            starts.push((i, layout::V6_GLOBAL_PREFIX << 61 | (bucket as u64) << layout::V6_KEY_BITS | key));
        }
    }
    assert_eq!(starts.len(), table.v6_values.len());
    assert!(starts.windows(2).all(|pair| pair[0].1 < pair[1].1), "IPv6 starts ascend");
    for &(i, start) in &starts {
        assert_eq!(table.v6_entry(start), Some(i), "IPv6 entry {i} from {start:#x}");
        if let Some(before) = start.checked_sub(1) {
            assert_eq!(table.v6_entry(before), i.checked_sub(1), "IPv6 entry before {i}");
        }
    }
}
