//! A geo table opened in place over its bytes: the directory, the section lengths and the
//! organisation names' UTF-8 are checked once in [`Table::open`], after which every lookup is a
//! few short binary searches straight over the bytes (see [`super::layout`]; the arrays and
//! searches are in `arrays.rs`). Every read past that point is bounds-checked and turns into
//! "unknown" rather than a panic, so even a table whose contents (not lengths) are corrupt
//! cannot crash a lookup.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::layout::{self, section};
use super::{GeoInfo, TableSources};

mod arrays;
mod vendors;

use arrays::{last_at_or_before, narrow, run_key, window_key, Blocks, Le, Planes, V6_RUN_BYTES, V6_WINDOW_BYTES};

/// Why a table's bytes could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    reason: String,
}

impl TableError {
    pub(super) fn new(reason: impl Into<String>) -> TableError {
        TableError { reason: reason.into() }
    }
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "geo table: {}", self.reason)
    }
}

impl std::error::Error for TableError {}

/// An opened table. Cheap to copy: it only holds slices of the table bytes. The embedded
/// table is a `Table<'static>`; other lifetimes serve tables read at run time.
#[derive(Clone, Copy)]
pub struct Table<'a> {
    meta: &'a str,
    countries: &'a str,
    as_records: Le<'a, 4>,
    as_names: &'a str,
    v4_buckets: Le<'a, 4>,
    v4_keys: Planes<'a, { layout::V4_KEY_BYTES }>,
    v4_values: Le<'a, 4>,
    v6_buckets: Le<'a, 4>,
    v6_keys: Blocks<'a, V6_RUN_BYTES>,
    v6_summary: Blocks<'a, V6_WINDOW_BYTES>,
    v6_summary2: Le<'a, 8>,
    v6_values: Le<'a, 4>,
    v6_fine_index: Le<'a, 4>,
    v6_fine_keys: Le<'a, 8>,
    v6_fine_values: Le<'a, 4>,
    vendors: vendors::Vendors<'a>,
}

/// The section directory, read but not yet checked against section contents.
pub(super) struct Directory<'a> {
    bytes: &'a [u8],
    entries: Vec<(u32, usize, usize)>,
}

impl<'a> Directory<'a> {
    pub(super) fn read(bytes: &'a [u8]) -> Result<Directory<'a>, TableError> {
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

    /// Each section's id, offset and length, in directory order; all lie inside the bytes.
    pub(super) fn entries(&self) -> impl Iterator<Item = (u32, usize, usize)> + '_ {
        self.entries.iter().copied()
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
        let v6_values = dir.array::<4>(section::V6_VALUES, None)?;
        let runs = v6_values.len().div_ceil(layout::SUMMARY_STEP);
        let windows = runs.div_ceil(layout::SUMMARY2_STEP);
        let wrong = |id| TableError::new(format!("section {id} does not fit the number of IPv6 entries"));
        let v6_keys = Blocks::new(dir.section(section::V6_KEYS)?, runs).ok_or_else(|| wrong(section::V6_KEYS))?;
        let v6_summary =
            Blocks::new(dir.section(section::V6_SUMMARY)?, windows).ok_or_else(|| wrong(section::V6_SUMMARY))?;
        let v6_fine_keys = dir.array::<8>(section::V6_FINE_KEYS, None)?;
        Ok(Table {
            meta: dir.text(section::META)?,
            countries,
            as_records: dir.array::<4>(section::AS_RECORDS, None)?,
            // The one full read at opening (about 2 MB, well under a millisecond natively):
            // checking the names here lets every lookup take its name without a check.
            as_names: dir.text(section::AS_NAMES)?,
            v4_buckets: dir.array::<4>(section::V4_BUCKETS, buckets)?,
            v4_keys,
            v4_values: dir.array::<4>(section::V4_VALUES, Some(v4_keys.len()))?,
            v6_buckets: dir.array::<4>(section::V6_BUCKETS, buckets)?,
            v6_keys,
            v6_summary,
            v6_summary2: dir.array::<8>(section::V6_SUMMARY2, Some(windows))?,
            v6_values,
            v6_fine_index: dir.array::<4>(section::V6_FINE_INDEX, None)?,
            v6_fine_keys,
            v6_fine_values: dir.array::<4>(section::V6_FINE_VALUES, Some(v6_fine_keys.len()))?,
            vendors: vendors::Vendors::open(&dir)?,
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

    /// The countries the table places addresses in (ISO 3166-1 alpha-2, upper case).
    pub fn countries(&self) -> impl Iterator<Item = &'a str> + 'a {
        let countries = self.countries;
        (0..countries.len() / 2).filter_map(move |i| countries.get(i * 2..i * 2 + 2))
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
        self.resolve(self.v4_values.get(self.v4_entry(u32::from(ip))?)?)
    }

    /// Index of the IPv4 entry whose range holds `address`.
    fn v4_entry(&self, address: u32) -> Option<usize> {
        let bucket = (address >> 16) as usize;
        let first = self.v4_buckets.get_usize(bucket)?;
        let end = self.v4_buckets.get_usize(bucket + 1)?;
        let low = address as u16;
        self.v4_values.warm(first);
        last_at_or_before(first, end, u64::from(low), |i| self.v4_keys.get(i))
    }

    fn find_v6(&self, ip: Ipv6Addr) -> Option<Found<'a>> {
        let address = u128::from(ip);
        let (high, low) = ((address >> 64) as u64, address as u64);
        let value = self.v6_values.get(self.v6_entry(high)?)?;
        if value as u8 != layout::FINE_MARKER {
            return self.resolve(value);
        }
        let block = usize::try_from(value >> 8).ok()?;
        let first = self.v6_fine_index.get_usize(block)?;
        let end = self.v6_fine_index.get_usize(block + 1)?;
        let entry = last_at_or_before(first, end, low, |i| self.v6_fine_keys.get(i).unwrap_or(u64::MAX))?;
        self.resolve(self.v6_fine_values.get(entry)?)
    }

    /// Index of the IPv6 (/64) entry whose range holds the /64 `high`.
    fn v6_entry(&self, high: u64) -> Option<usize> {
        if high >> 61 != layout::V6_GLOBAL_PREFIX {
            return None; // not global unicast: no entries (see `layout`)
        }
        let (bucket, key) =
            (((high >> layout::V6_KEY_BITS) & 0xFFFF) as usize, high & ((1 << layout::V6_KEY_BITS) - 1));
        let first = self.v6_buckets.get_usize(bucket)?;
        let end = self.v6_buckets.get_usize(bucket + 1)?;
        // Bucket -> window of summary entries -> run of keys -> entry (see `layout`). Summary
        // entry j is the key of entry j * step, so the bucket's are runs_first..runs_end.
        let (step, step2) = (layout::SUMMARY_STEP, layout::SUMMARY2_STEP);
        let (runs_first, runs_end) = (first.div_ceil(step), end.div_ceil(step));
        let summary2 = |t: usize| self.v6_summary2.get(t).unwrap_or(u64::MAX);
        // The window lies inside one aligned block of the summary (`narrow` never crosses
        // a multiple of step2).
        let (window_first, window_end) = narrow(runs_first, runs_end, step2, key, summary2);
        let summarised = match window_first < window_end {
            true => {
                let window = self.v6_summary.get(window_first / step2)?;
                last_at_or_before(window_first, window_end, key, |j| window_key(window, j))
            }
            false => None,
        };
        let run = match summarised {
            Some(j) if j >= runs_first => j,
            // The key precedes the bucket's first summarised key: the run that holds the
            // bucket's unsummarised head (the bucket starts inside it).
            _ => first / step,
        };
        let (run_first, run_end) = ((run * step).max(first), end.min(run * step + step));
        // A run's values fill two cache lines: load both while the keys are searched.
        self.v6_values.warm(run_first);
        self.v6_values.warm(run_end.saturating_sub(1));
        let keys = self.v6_keys.get(run)?;
        last_at_or_before(run_first, run_end, key, |i| run_key(keys, i))
    }

    /// Resolves an entry's value (`asn_value << 8 | country_value`) into names.
    fn resolve(&self, value: u32) -> Option<Found<'a>> {
        let (asn, as_org) = match (value >> 8).checked_sub(1) {
            Some(index) => self.asn_record(usize::try_from(index).ok()?),
            None => (None, None),
        };
        let country = usize::from(value as u8).checked_sub(1).and_then(|c| self.countries.get(c * 2..c * 2 + 2));
        if asn.is_none() && country.is_none() {
            return None;
        }
        Some(Found { asn, as_org, country })
    }

    /// The AS number and organisation name of AS record `index`.
    fn asn_record(&self, index: usize) -> (Option<u32>, Option<&'a str>) {
        let word = index.saturating_mul(layout::AS_RECORD_WORDS);
        let (Some(asn), Some(span)) = (self.as_records.get(word), self.as_records.get(word.saturating_add(1))) else {
            return (None, None);
        };
        (Some(asn), name_at(self.as_names, span))
    }
}

/// The name a span (`offset << 8 | length`, see `layout`) points at in a names section; `None`
/// for an empty name, and for a span past the end or cutting a character (a corrupt table).
fn name_at(names: &str, span: u32) -> Option<&str> {
    let start = (span >> 8) as usize;
    names.get(start..start + (span & 0xFF) as usize).filter(|name| !name.is_empty())
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

// Walks the built-in table, so only with it.
#[cfg(all(test, feature = "embedded-geo"))]
mod tests;
