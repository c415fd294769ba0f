//! Writes the segments, AS records and countries in the byte layout of
//! `phonehome::geo::layout`, deterministically (same inputs, same bytes), and reports each
//! section's size raw and gzipped.

use std::collections::BTreeMap;
use std::io::Write;

use flate2::{write::GzEncoder, Compression};
use phonehome::geo::layout::{self, section};

use crate::segments::Value;
use crate::vendors::VendorSections;

/// Everything the table holds, already interned and sorted.
pub struct Contents {
    /// `key=value` lines.
    pub meta: String,
    pub countries: Vec<String>,
    /// AS records and names as laid out by [`asn_records`].
    pub asn: AsnSections,
    pub v4: Vec<(u128, Value)>,
    pub v6: Vec<(u128, Value)>,
    /// MAC vendors, as laid out by `vendors::sections`.
    pub vendors: VendorSections,
}

/// Collects sections and lays them out behind the directory.
struct Writer {
    sections: Vec<(u32, Vec<u8>)>,
}

impl Writer {
    fn add(&mut self, id: u32, bytes: Vec<u8>) {
        self.sections.push((id, bytes));
    }

    fn u32s(&mut self, id: u32, values: impl IntoIterator<Item = u32>) {
        self.add(id, values.into_iter().flat_map(u32::to_le_bytes).collect());
    }

    fn finish(self) -> Result<Vec<u8>, String> {
        let align = |n: usize| n.div_ceil(layout::SECTION_ALIGN) * layout::SECTION_ALIGN;
        let directory_len = layout::DIRECTORY_ENTRY_LEN * self.sections.len();
        let mut offset = align(layout::MAGIC.len() + 4 + directory_len);
        let mut out = Vec::new();
        out.extend_from_slice(&layout::MAGIC);
        out.extend_from_slice(&to_u32(self.sections.len())?.to_le_bytes());
        for (id, bytes) in &self.sections {
            for field in [*id, to_u32(offset)?, to_u32(bytes.len())?] {
                out.extend_from_slice(&field.to_le_bytes());
            }
            offset = align(offset + bytes.len());
        }
        for (_, bytes) in &self.sections {
            out.resize(align(out.len()), 0);
            out.extend_from_slice(bytes);
        }
        Ok(out)
    }
}

fn to_u32(n: usize) -> Result<u32, String> {
    u32::try_from(n).map_err(|_| format!("{n} does not fit the table's 32-bit fields"))
}

/// Bucket index over sorted keys: entry `b` is the first key whose top 16 bits are >= `b`.
fn buckets(top16: impl Iterator<Item = usize>) -> Result<Vec<u32>, String> {
    let mut index = Vec::with_capacity(layout::BUCKETS + 1);
    let mut count = 0usize;
    for bucket in top16 {
        while index.len() <= bucket {
            index.push(to_u32(count)?);
        }
        count += 1;
    }
    while index.len() <= layout::BUCKETS {
        index.push(to_u32(count)?);
    }
    Ok(index)
}

/// The IPv6 segments as /64 entries plus a fine table for the /64s that hold starts below
/// /64 granularity: (coarse entries (top 64 bits, AS value, country value), fine block index,
/// fine entries (low 64 bits, value)).
type V6Split = (Vec<(u64, u32, u8)>, Vec<u32>, Vec<(u64, Value)>);

fn split_v6(segments: &[(u128, Value)]) -> Result<V6Split, String> {
    let mut coarse: Vec<(u64, u32, u8)> = Vec::new();
    let mut fine_index = vec![0u32];
    let mut fine: Vec<(u64, Value)> = Vec::new();
    let push = |coarse: &mut Vec<(u64, u32, u8)>, high: u64, asn: u32, country: u8| {
        let same = coarse
            .last()
            .is_some_and(|previous| previous.2 != layout::FINE_MARKER && (previous.1, previous.2) == (asn, country));
        if !same {
            coarse.push((high, asn, country));
        }
    };
    let mut i = 0;
    while i < segments.len() {
        let high = (segments[i].0 >> 64) as u64;
        let mut end = i;
        while segments.get(end).is_some_and(|s| (s.0 >> 64) as u64 == high) {
            end += 1;
        }
        let group = &segments[i..end];
        let (start, value) = group[0];
        if group.len() == 1 && start as u64 == 0 {
            push(&mut coarse, high, value.asn, value.country);
        } else {
            // The value in force where the /64 begins: this group's own if it starts on the
            // /64, else the previous segment's (segments start at 0, so one exists).
            let opening = if start as u64 == 0 { value } else { segments[i - 1].1 };
            fine.push((0, opening));
            fine.extend(group.iter().filter(|s| s.0 as u64 != 0).map(|s| (s.0 as u64, s.1)));
            let block = to_u32(fine_index.len() - 1)?;
            fine_index.push(to_u32(fine.len())?);
            coarse.push((high, block, layout::FINE_MARKER));
            // The next /64 continues with the block's last value unless a segment starts there.
            let next_starts_there = segments.get(end).is_some_and(|s| Some((s.0 >> 64) as u64) == high.checked_add(1));
            if let (Some(next), false) = (high.checked_add(1), next_starts_there) {
                let closing = group[group.len() - 1].1;
                push(&mut coarse, next, closing.asn, closing.country);
            }
        }
        i = end;
    }
    Ok((coarse, fine_index, fine))
}

/// The /64 entries inside 2000::/3, the only IPv6 addresses the table answers for (all others
/// are special-purpose, and have no rows): the first starts at 2000:: itself, and any entry
/// beyond 3fff:... must be empty.
fn global_unicast(coarse: Vec<(u64, u32, u8)>) -> Result<Vec<(u64, u32, u8)>, String> {
    let (first, end) = (layout::V6_GLOBAL_PREFIX << 61, (layout::V6_GLOBAL_PREFIX + 1) << 61);
    if coarse.iter().any(|c| c.0 >= end && (c.1, c.2) != (0, 0)) {
        return Err("IPv6 rows outside 2000::/3".into());
    }
    // The entry in force at 2000:: (entries start at 0, so one exists).
    let opening = coarse.iter().rev().find(|c| c.0 <= first).copied().ok_or("no IPv6 entry at 0")?;
    let mut kept = vec![(first, opening.1, opening.2)];
    kept.extend(coarse.into_iter().filter(|c| c.0 > first && c.0 < end));
    Ok(kept)
}

/// Each AS record `(AS number, organisation)` and its AS value.
pub type AsnValues = BTreeMap<(u32, String), u32>;

/// The AS records and organisation names as laid out in `AS_RECORDS` and `AS_NAMES`.
pub struct AsnSections {
    pub records: Vec<u8>,
    pub names: Vec<u8>,
}

/// Lays out the AS records `(AS number, organisation)` with the share of their family's
/// address space each covers, largest first (ties by name, then number), and gives each its
/// AS value (1 + its index). Identical names are stored once.
pub fn asn_records(records: impl Iterator<Item = ((u32, String), f64)>) -> Result<(AsnSections, AsnValues), String> {
    let mut coverage: BTreeMap<(u32, String), f64> = BTreeMap::new();
    for (record, share) in records {
        *coverage.entry(record).or_default() += share;
    }
    let mut order: Vec<(f64, &String, u32)> = coverage.iter().map(|((n, org), &share)| (share, org, *n)).collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| (a.1, a.2).cmp(&(b.1, b.2))));
    let mut sections = AsnSections { records: Vec::new(), names: Vec::new() };
    let mut spans: BTreeMap<&String, u32> = BTreeMap::new();
    let mut values = BTreeMap::new();
    for (index, (_, org, number)) in order.into_iter().enumerate() {
        let value = to_u32(index + 1)?;
        if value > layout::MAX_ASN_VALUE {
            return Err("AS records exceed the 24-bit AS value".into());
        }
        let span = match spans.get(org) {
            Some(&span) => span,
            None => {
                let span = push_name(&mut sections.names, org)?;
                spans.insert(org, span);
                span
            }
        };
        sections.records.extend_from_slice(&number.to_le_bytes());
        sections.records.extend_from_slice(&span.to_le_bytes());
        values.insert((number, org.clone()), value);
    }
    Ok((sections, values))
}

/// Appends `name` to a names section and gives its span (`offset << 8 | length`, see
/// `layout`).
pub fn push_name(names: &mut Vec<u8>, name: &str) -> Result<u32, String> {
    let length = u8::try_from(name.len()).map_err(|_| format!("name too long: {name:?}"))?;
    if names.len() > layout::MAX_NAME_OFFSET {
        return Err("names exceed the 24-bit offset".into());
    }
    let span = to_u32(names.len())? << 8 | u32::from(length);
    names.extend_from_slice(name.as_bytes());
    Ok(span)
}

/// The lowest `width` bytes of each key as byte planes: every key's byte 0, then byte 1, ...
pub fn planes(keys: impl Iterator<Item = u64> + Clone, width: usize) -> Vec<u8> {
    (0..width).flat_map(|j| keys.clone().map(move |key| (key >> (8 * j)) as u8)).collect()
}

/// The lowest `width` bytes of each key in runs of `run` keys, each run as byte planes of
/// `run` bytes; the last run padded with `0xFF` bytes.
fn run_planes(keys: &[u64], width: usize, run: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(keys.len().div_ceil(run) * run * width);
    for chunk in keys.chunks(run) {
        for j in 0..width {
            out.extend(chunk.iter().map(|key| (key >> (8 * j)) as u8));
            out.resize(out.len() + run - chunk.len(), 0xFF);
        }
    }
    out
}

/// `asn_value << 8 | country_value`.
fn packed(value: Value) -> u32 {
    value.asn << 8 | u32::from(value.country)
}

/// The table bytes.
pub fn encode(contents: &Contents) -> Result<Vec<u8>, String> {
    if contents.countries.len() >= usize::from(layout::FINE_MARKER) {
        return Err("too many countries for one byte per value".into());
    }
    let mut w = Writer { sections: Vec::new() };
    w.add(section::META, contents.meta.clone().into_bytes());
    w.add(section::COUNTRIES, contents.countries.concat().into_bytes());
    w.add(section::AS_RECORDS, contents.asn.records.clone());
    w.add(section::AS_NAMES, contents.asn.names.clone());

    let v4 = &contents.v4;
    w.u32s(section::V4_BUCKETS, buckets(v4.iter().map(|s| (s.0 >> 16) as usize))?);
    w.add(section::V4_KEYS, planes(v4.iter().map(|s| s.0 as u64), layout::V4_KEY_BYTES));
    w.u32s(section::V4_VALUES, v4.iter().map(|s| packed(s.1)));

    let (coarse, fine_index, fine) = split_v6(&contents.v6)?;
    if fine_index.len() > layout::MAX_ASN_VALUE as usize {
        return Err("too many fine IPv6 blocks for three bytes per value".into());
    }
    let coarse = global_unicast(coarse)?;
    let bucket = |high: u64| ((high >> layout::V6_KEY_BITS) & 0xFFFF) as usize;
    w.u32s(section::V6_BUCKETS, buckets(coarse.iter().map(|c| bucket(c.0)))?);
    // Keys are the address bits below the bucket's 16.
    let v6_key = |high: u64| high & ((1 << layout::V6_KEY_BITS) - 1);
    let keys: Vec<u64> = coarse.iter().map(|c| v6_key(c.0)).collect();
    w.add(section::V6_KEYS, run_planes(&keys, layout::V6_KEY_BYTES, layout::SUMMARY_STEP));
    let mut summary: Vec<u64> = keys.iter().step_by(layout::SUMMARY_STEP).copied().collect();
    let summary2 = summary.iter().step_by(layout::SUMMARY2_STEP).flat_map(|key| key.to_le_bytes());
    w.add(section::V6_SUMMARY2, summary2.collect());
    // Whole windows: the last one padded with the largest key.
    summary.resize(summary.len().div_ceil(layout::SUMMARY2_STEP) * layout::SUMMARY2_STEP, u64::MAX);
    w.add(section::V6_SUMMARY, summary.iter().flat_map(|key| key.to_le_bytes()).collect());
    w.u32s(section::V6_VALUES, coarse.iter().map(|c| c.1 << 8 | u32::from(c.2)));
    w.u32s(section::V6_FINE_INDEX, fine_index);
    w.add(section::V6_FINE_KEYS, fine.iter().flat_map(|f| f.0.to_le_bytes()).collect());
    w.u32s(section::V6_FINE_VALUES, fine.iter().map(|f| packed(f.1)));
    w.add(section::OUI_KEYS, contents.vendors.keys.clone());
    w.add(section::OUI_NAME_SPANS, contents.vendors.spans.clone());
    w.add(section::OUI_NAMES, contents.vendors.names.clone());

    println!("entries: IPv4 {}, IPv6 {} (+{} fine)", v4.len(), coarse.len(), fine.len());
    println!("MAC vendors: {} OUIs, {} names", contents.vendors.oui_count, contents.vendors.name_count);
    println!("{:>8} {:>10} {:>10}", "section", "raw", "gzip");
    for (id, bytes) in &w.sections {
        println!("{id:>8} {:>10} {:>10}", bytes.len(), gzipped_len(bytes));
    }
    w.finish()
}

/// Size of `bytes` after gzip at the default level, as a web server would send them.
pub fn gzipped_len(bytes: &[u8]) -> usize {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    // Writing into a Vec cannot fail.
    let _ = encoder.write_all(bytes);
    encoder.finish().map_or(0, |v| v.len())
}
