//! A geo table opened in place over its bytes: the directory and section lengths are checked
//! once in [`Table::open`], after which every lookup is a couple of binary searches straight
//! over the bytes (see [`super::layout`]). Every read past that point is bounds-checked and
//! turns into "unknown" rather than a panic, so even a table whose contents (not lengths) are
//! corrupt cannot crash a lookup.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::layout::{self, section};
use super::{GeoInfo, TableSources};

/// Why a table's bytes could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    reason: String,
}

impl TableError {
    fn new(reason: impl Into<String>) -> TableError {
        TableError { reason: reason.into() }
    }
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "geo table: {}", self.reason)
    }
}

impl std::error::Error for TableError {}

/// A little-endian array of `W`-byte unsigned integers over unaligned bytes.
#[derive(Clone, Copy)]
struct Le<'a, const W: usize>(&'a [u8]);

impl<const W: usize> Le<'_, W> {
    fn len(self) -> usize {
        self.0.len() / W
    }

    fn bytes(self, i: usize) -> Option<[u8; W]> {
        let start = i.checked_mul(W)?;
        self.0.get(start..start.checked_add(W)?)?.try_into().ok()
    }
}

impl Le<'_, 4> {
    fn get(self, i: usize) -> Option<u32> {
        self.bytes(i).map(u32::from_le_bytes)
    }

    /// Starts loading the cache line of integer `i` while the caller searches the keys that
    /// decide which nearby integer it needs: the load overlaps the search instead of
    /// following it. `black_box` keeps the otherwise unused read from being removed.
    fn warm(self, i: usize) {
        std::hint::black_box(self.get(i));
    }

    fn get_usize(self, i: usize) -> Option<usize> {
        self.get(i).and_then(|v| usize::try_from(v).ok())
    }
}

impl Le<'_, 8> {
    fn get(self, i: usize) -> Option<u64> {
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
fn last_at_or_before<K: Ord>(lo: usize, hi: usize, target: K, key: impl Fn(usize) -> K) -> Option<usize> {
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
struct Planes<'a, const W: usize> {
    planes: [&'a [u8]; W],
}

impl<'a, const W: usize> Planes<'a, W> {
    /// Splits a section into `W` equal planes; `None` if it does not divide.
    fn new(bytes: &'a [u8]) -> Option<Planes<'a, W>> {
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

    fn len(&self) -> usize {
        self.planes.first().map_or(0, |plane| plane.len())
    }

    /// Integer `i`; unreadable reads as all ones (the largest key).
    fn get(&self, i: usize) -> u64 {
        let mut value = 0u64;
        for (j, plane) in self.planes.iter().enumerate() {
            value |= u64::from(plane.get(i).copied().unwrap_or(0xFF)) << (8 * j);
        }
        value
    }
}

/// An opened table. Cheap to copy: it only holds slices of the table bytes. The embedded
/// table is a `Table<'static>`; other lifetimes serve tables read at run time.
#[derive(Clone, Copy)]
pub struct Table<'a> {
    meta: &'a str,
    countries: &'a str,
    asn_pool: &'a [u8],
    v4_buckets: Le<'a, 4>,
    v4_keys: Planes<'a, { layout::V4_KEY_BYTES }>,
    v4_values: Le<'a, 4>,
    v6_buckets: Le<'a, 4>,
    v6_keys: Planes<'a, { layout::V6_KEY_BYTES }>,
    v6_summary: Le<'a, 8>,
    v6_values: Le<'a, 4>,
    v6_fine_index: Le<'a, 4>,
    v6_fine_keys: Le<'a, 8>,
    v6_fine_values: Le<'a, 4>,
}

/// The section directory, read but not yet checked against section contents.
struct Directory<'a> {
    bytes: &'a [u8],
    entries: Vec<(u32, usize, usize)>,
}

impl<'a> Directory<'a> {
    fn read(bytes: &'a [u8]) -> Result<Directory<'a>, TableError> {
        let magic = layout::MAGIC.len();
        if bytes.get(..magic) != Some(&layout::MAGIC[..]) {
            return Err(TableError::new("not a phonehome geo table of this format version"));
        }
        let header = Le::<4>(bytes.get(magic..).unwrap_or_default());
        let count = header.get_usize(0).ok_or_else(|| TableError::new("truncated header"))?;
        if count > bytes.len() / layout::DIRECTORY_ENTRY_LEN {
            return Err(TableError::new("truncated section directory"));
        }
        let mut entries = Vec::with_capacity(count);
        for i in 0..count {
            let field = |f: usize| header.get_usize(1 + i * 3 + f);
            match (field(0), field(1), field(2)) {
                (Some(id), Some(offset), Some(len)) => {
                    let end = offset.checked_add(len).filter(|&end| end <= bytes.len());
                    if end.is_none() {
                        return Err(TableError::new(format!("section {id} lies past the end")));
                    }
                    // `id` came from a u32, so this cannot truncate.
                    entries.push((id as u32, offset, len));
                }
                _ => return Err(TableError::new("truncated section directory")),
            }
        }
        Ok(Directory { bytes, entries })
    }

    fn section(&self, id: u32) -> Result<&'a [u8], TableError> {
        let bytes = self.bytes;
        self.entries
            .iter()
            .find(|entry| entry.0 == id)
            .and_then(|&(_, offset, len)| bytes.get(offset..offset + len))
            .ok_or_else(|| TableError::new(format!("section {id} is missing")))
    }

    /// A section of `W`-byte integers, `count` long when `count` is given.
    fn array<const W: usize>(&self, id: u32, count: Option<usize>) -> Result<Le<'a, W>, TableError> {
        let bytes = self.section(id)?;
        let array = Le::<W>(bytes);
        if bytes.len() % W != 0 || count.is_some_and(|count| array.len() != count) {
            return Err(TableError::new(format!("section {id} has a wrong length")));
        }
        Ok(array)
    }

    fn planes<const W: usize>(&self, id: u32) -> Result<Planes<'a, W>, TableError> {
        Planes::new(self.section(id)?).ok_or_else(|| TableError::new(format!("section {id} has a wrong length")))
    }

    fn text(&self, id: u32) -> Result<&'a str, TableError> {
        std::str::from_utf8(self.section(id)?).map_err(|_| TableError::new(format!("section {id} is not UTF-8")))
    }
}

impl<'a> Table<'a> {
    /// Opens a table: checks the magic, the directory and that every section is present with
    /// a length that fits its neighbours. Does not decode any rows.
    pub fn open(bytes: &'a [u8]) -> Result<Table<'a>, TableError> {
        let dir = Directory::read(bytes)?;
        let buckets = Some(layout::BUCKETS + 1);

        let countries = dir.text(section::COUNTRIES)?;
        if countries.len() % 2 != 0 || !countries.bytes().all(|b| b.is_ascii_uppercase()) {
            return Err(TableError::new("country codes are not two upper-case letters each"));
        }
        let v4_keys = dir.planes(section::V4_KEYS)?;
        let v6_keys = dir.planes(section::V6_KEYS)?;
        let v6_fine_keys = dir.array::<8>(section::V6_FINE_KEYS, None)?;
        Ok(Table {
            meta: dir.text(section::META)?,
            countries,
            asn_pool: dir.section(section::ASN_POOL)?,
            v4_buckets: dir.array::<4>(section::V4_BUCKETS, buckets)?,
            v4_keys,
            v4_values: dir.array::<4>(section::V4_VALUES, Some(v4_keys.len()))?,
            v6_buckets: dir.array::<4>(section::V6_BUCKETS, buckets)?,
            v6_keys,
            v6_summary: dir.array::<8>(section::V6_SUMMARY, Some(v6_keys.len().div_ceil(layout::SUMMARY_STEP)))?,
            v6_values: dir.array::<4>(section::V6_VALUES, Some(v6_keys.len()))?,
            v6_fine_index: dir.array::<4>(section::V6_FINE_INDEX, None)?,
            v6_fine_keys,
            v6_fine_values: dir.array::<4>(section::V6_FINE_VALUES, Some(v6_fine_keys.len()))?,
        })
    }

    /// A `key=value` line of the table's metadata.
    fn meta(&self, key: &str) -> Option<&'a str> {
        self.meta.lines().find_map(|line| {
            let (k, value) = line.split_once('=')?;
            (k == key).then_some(value)
        })
    }

    /// Date of the source data, `YYYY-MM-DD`.
    pub fn date(&self) -> Option<&'a str> {
        self.meta("date")
    }

    /// What the table knows about `ip`; `None` when it knows nothing. IPv4-mapped IPv6
    /// addresses (`::ffff:a.b.c.d`) are looked up as the IPv4 address they carry.
    pub fn find(&self, ip: IpAddr) -> Option<Found<'a>> {
        match ip {
            IpAddr::V4(v4) => self.find_v4(v4),
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => self.find_v4(v4),
                None => self.find_v6(v6),
            },
        }
    }

    fn find_v4(&self, ip: Ipv4Addr) -> Option<Found<'a>> {
        let address = u32::from(ip);
        let bucket = (address >> 16) as usize;
        let first = self.v4_buckets.get_usize(bucket)?;
        let end = self.v4_buckets.get_usize(bucket + 1)?;
        let low = address as u16;
        self.v4_values.warm(first);
        let entry = last_at_or_before(first, end, u64::from(low), |i| self.v4_keys.get(i))?;
        self.resolve(self.v4_values.get(entry)?)
    }

    fn find_v6(&self, ip: Ipv6Addr) -> Option<Found<'a>> {
        let address = u128::from(ip);
        let (high, low) = ((address >> 64) as u64, address as u64);
        let (bucket, key) = ((high >> 48) as usize, high & 0xFFFF_FFFF_FFFF);
        let first = self.v6_buckets.get_usize(bucket)?;
        let end = self.v6_buckets.get_usize(bucket + 1)?;
        // Narrow the bucket to one run of SUMMARY_STEP keys through the summary, whose
        // entry j is key j * STEP: the last summarised key in the bucket at or before the
        // address starts the run; if there is none, the run is the bucket's unsummarised head.
        let step = layout::SUMMARY_STEP;
        let (summary_first, summary_end) = (first.div_ceil(step), end.div_ceil(step));
        let run = last_at_or_before(summary_first, summary_end, key, |j| self.v6_summary.get(j).unwrap_or(u64::MAX))
            .filter(|&j| j >= summary_first);
        let (run_first, run_end) = match run {
            Some(j) => (j * step, end.min(j * step + step)),
            None => (first, end.min(summary_first * step)),
        };
        self.v6_values.warm(run_first);
        let entry = last_at_or_before(run_first, run_end, key, |i| self.v6_keys.get(i))?;
        let value = self.v6_values.get(entry)?;
        if value as u8 != layout::FINE_MARKER {
            return self.resolve(value);
        }
        let block = usize::try_from(value >> 8).ok()?;
        let first = self.v6_fine_index.get_usize(block)?;
        let end = self.v6_fine_index.get_usize(block + 1)?;
        let entry = last_at_or_before(first, end, low, |i| self.v6_fine_keys.get(i).unwrap_or(u64::MAX))?;
        self.resolve(self.v6_fine_values.get(entry)?)
    }

    /// Resolves an entry's value (`asn_value << 8 | country_value`) into names.
    fn resolve(&self, value: u32) -> Option<Found<'a>> {
        let (asn, as_org) = match (value >> 8).checked_sub(1) {
            Some(offset) => self.asn_record(usize::try_from(offset).ok()?),
            None => (None, None),
        };
        let country = usize::from(value as u8).checked_sub(1).and_then(|c| self.countries.get(c * 2..c * 2 + 2));
        if asn.is_none() && country.is_none() {
            return None;
        }
        Some(Found { asn, as_org, country })
    }

    /// The AS number and organisation name of the record at `offset` in the AS pool.
    fn asn_record(&self, offset: usize) -> (Option<u32>, Option<&'a str>) {
        let name_at = offset + layout::ASN_RECORD_HEADER;
        let Some(&[a, b, c, d, length]) = self.asn_pool.get(offset..name_at) else {
            return (None, None);
        };
        let name = self.asn_pool.get(name_at..name_at + usize::from(length));
        // Checked here rather than at opening, so start-up reads nothing but the directory.
        let org = name.and_then(|n| std::str::from_utf8(n).ok()).filter(|org| !org.is_empty());
        (Some(u32::from_le_bytes([a, b, c, d])), org)
    }
}

/// What a table of any lifetime knows about an address ([`GeoInfo`] for the `'static` one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found<'a> {
    pub asn: Option<u32>,
    pub as_org: Option<&'a str>,
    pub country: Option<&'a str>,
}

impl Table<'static> {
    /// The npm packages (`name@version`) the table was generated from.
    pub fn sources(&self) -> Option<TableSources> {
        Some(TableSources { asn: self.meta("asn_source")?, country: self.meta("country_source")? })
    }

    /// What the table knows about `ip`, as [`Table::find`].
    pub fn lookup(&self, ip: IpAddr) -> Option<GeoInfo> {
        self.find(ip).map(|found| GeoInfo { asn: found.asn, as_org: found.as_org, country: found.country })
    }
}
