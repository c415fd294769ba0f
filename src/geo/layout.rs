//! The byte layout of the embedded geo table (`src/geo/table.bin`), shared by the reader in
//! this module and the generator (`examples/geo_table.rs`), so both name the same offsets.
//!
//! The layout is made to be searched in place (zero-copy): nothing is decoded at start-up
//! except the section directory. All integers are little-endian and read with
//! `from_le_bytes` on byte slices, because `include_bytes!` gives no alignment guarantee.
//!
//! ```text
//! MAGIC (8 bytes, the last byte is the format version)
//! section count: u32
//! directory: count × { id: u32, offset: u32, len: u32 }   (offsets from the table start)
//! sections, each starting at a multiple of SECTION_ALIGN
//! ```
//!
//! An address range table ("segments") covers its whole address space from address 0: entry
//! `i` applies from its start up to the next entry's start. Gaps are entries whose value is
//! `NONE`. Starts are found through a bucket index on the top 16 bits of the key, so only
//! the remaining bits are stored. Keys are stored as byte planes (all entries' lowest bytes,
//! then all their next bytes, ...): sorted keys then repeat byte for byte along each plane,
//! which compresses far better, and a search reads the planes in parallel.
//!
//! - IPv4: bucket `b` (`b` = top 16 bits) holds entries `V4_BUCKETS[b]..V4_BUCKETS[b + 1]`, whose
//!   starts are `b << 16 | V4_KEYS[i]` (16-bit keys). An address before a bucket's first
//!   start belongs to the entry just before the bucket.
//! - IPv6: the same over the top 64 bits of the address, within 2000::/3 (the table answers
//!   nothing outside it): the bucket is the 16 bits after the /3 prefix, the key the 45 bits
//!   below. The first entry starts at 2000:: itself.
//!   Buckets are large there, so the search narrows in three steps, each over a few cache
//!   lines: `V6_SUMMARY2` (every `SUMMARY_STEP * SUMMARY2_STEP`-th key, a few kilobytes that
//!   stay in the nearest cache) picks a window of `SUMMARY2_STEP` entries of `V6_SUMMARY`
//!   (every `SUMMARY_STEP`-th key), which picks one run of `SUMMARY_STEP` keys. `V6_KEYS` is
//!   laid out run by run, each run's byte planes together (`V6_KEY_BYTES` planes of
//!   `SUMMARY_STEP` bytes: three whole cache lines), so a run is read in one round trip to
//!   memory; the last run is padded with `0xFF`. A /64 that holds starts below /64
//!   granularity (rare) is one entry whose country is `FINE_MARKER` and whose AS value is a
//!   block number `k` into the fine table: entries `V6_FINE_INDEX[k]..V6_FINE_INDEX[k + 1]` of
//!   `V6_FINE_KEYS`/`V6_FINE_VALUES`, keyed on the low 64 bits, the first key of each block
//!   being 0.
//!
//! Values (u32 per entry): `asn_value << 8 | country_value`. An AS value is `1 + index` of
//! an AS record in `AS_RECORDS` (0 = no AS known); a country value is `1 + index` into
//! `COUNTRIES` (0 = no country known). An AS record is the AS number and where its
//! organisation's name lies in `AS_NAMES`, one text checked as UTF-8 once when the table is
//! opened, so that a lookup takes the name as it is. Records are ordered by how much address
//! space they cover, largest first: the records most lookups end at share a few cache lines.
//!
//! MAC vendors (the IEEE MA-L registry: 24-bit OUIs) ride in the same file, so the page
//! fetches one table: `OUI_KEYS` holds the assigned OUIs in ascending order as
//! `OUI_KEY_BYTES` byte planes; `OUI_NAME_SPANS` gives, per OUI, where its vendor's name lies
//! in `OUI_NAMES` (`offset << 8 | length`, as an AS record does); `OUI_NAMES` is the
//! distinct names back to back in alphabetical order (which compresses best), one UTF-8 text
//! checked once at opening. OUIs with the locally administered or group bit set are never
//! stored (no MAC of a vendor has them), nor blocks the IEEE Registration Authority keeps to
//! hand out in smaller pieces (its name says nothing about the maker).

/// Identifies the file and its format version (last byte).
pub const MAGIC: [u8; 8] = *b"PHGEO\0\0\x03";

/// Every section starts at a multiple of this (a cache line), so arrays do not straddle
/// lines needlessly when the table itself is so aligned.
pub const SECTION_ALIGN: usize = 64;

/// Bytes of one directory entry: id, offset, length, each u32.
pub const DIRECTORY_ENTRY_LEN: usize = 12;

/// Number of buckets in each bucket index (top 16 bits); the index has one more entry.
pub const BUCKETS: usize = 1 << 16;

/// Bytes per IPv4 key (below the bucket's 16 bits): byte planes in `V4_KEYS`.
pub const V4_KEY_BYTES: usize = 2;

/// Bytes per IPv6 key (bits 19..64 of the address): byte planes in each run of `V6_KEYS`.
pub const V6_KEY_BYTES: usize = 6;

/// IPv6 entries cover 2000::/3 only (global unicast; everything else is special-purpose and
/// has no rows): the top three bits of every address looked up.
pub const V6_GLOBAL_PREFIX: u64 = 0b001;

/// Bits of the /64 below the IPv6 bucket: the bucket is the 16 bits after the /3 prefix.
pub const V6_KEY_BITS: u32 = 64 - 3 - 16;

/// `V6_SUMMARY[j]` is IPv6 key `j * SUMMARY_STEP`; also the number of keys in a run.
pub const SUMMARY_STEP: usize = 32;

/// `V6_SUMMARY2[t]` is `V6_SUMMARY[t * SUMMARY2_STEP]`.
pub const SUMMARY2_STEP: usize = 16;

/// "No value known".
pub const NONE: u32 = 0;

/// Country value of an IPv6 /64 entry whose answer is in the fine table.
pub const FINE_MARKER: u8 = 0xFF;

/// Largest AS value that fits beside the country byte.
pub const MAX_ASN_VALUE: u32 = (1 << 24) - 1;

/// u32s per AS record: the AS number, then the name's `offset << 8 | length` in `AS_NAMES`.
pub const AS_RECORD_WORDS: usize = 2;

/// Largest offset of a name in `AS_NAMES` that fits an AS record.
pub const MAX_NAME_OFFSET: usize = (1 << 24) - 1;

/// Bytes per OUI key: byte planes in `OUI_KEYS`.
pub const OUI_KEY_BYTES: usize = 3;

/// Section ids.
pub mod section {
    /// UTF-8 `key=value` lines: `date`, `asn_source`, `country_source`.
    pub const META: u32 = 1;
    /// ASCII country codes, two bytes each (ISO 3166-1 alpha-2).
    pub const COUNTRIES: u32 = 2;
    /// AS records, `AS_RECORD_WORDS` u32s each: AS number, name `offset << 8 | length`.
    pub const AS_RECORDS: u32 = 3;
    /// The organisation names (UTF-8), back to back; records may share a name.
    pub const AS_NAMES: u32 = 4;

    /// u32 × (BUCKETS + 1).
    pub const V4_BUCKETS: u32 = 10;
    /// `V4_KEY_BYTES` byte planes: the low 16 bits of each entry's start.
    pub const V4_KEYS: u32 = 11;
    /// u32 per entry: value.
    pub const V4_VALUES: u32 = 12;

    /// u32 × (BUCKETS + 1), bucketed on the top 16 bits of the address.
    pub const V6_BUCKETS: u32 = 20;
    /// Runs of `SUMMARY_STEP` keys (bits 16..64 of each entry's start), each run as
    /// `V6_KEY_BYTES` byte planes of `SUMMARY_STEP` bytes; the last run padded with `0xFF`.
    pub const V6_KEYS: u32 = 21;
    /// u64 per `SUMMARY_STEP` entries: every `SUMMARY_STEP`-th key.
    pub const V6_SUMMARY: u32 = 22;
    /// u32 per entry: value, or fine block number << 8 | `FINE_MARKER`.
    pub const V6_VALUES: u32 = 23;
    /// u32 × (fine blocks + 1): where each block's entries start in `V6_FINE_*`.
    pub const V6_FINE_INDEX: u32 = 24;
    /// u64 per fine entry: low 64 bits of the entry's start.
    pub const V6_FINE_KEYS: u32 = 25;
    /// u32 per fine entry: value.
    pub const V6_FINE_VALUES: u32 = 26;
    /// u64 per `SUMMARY2_STEP` summary entries: every `SUMMARY2_STEP`-th summary key.
    pub const V6_SUMMARY2: u32 = 27;

    /// `OUI_KEY_BYTES` byte planes: the assigned OUIs (first three bytes of a MAC, big-endian
    /// as a number), ascending.
    pub const OUI_KEYS: u32 = 30;
    /// u32 per OUI: its vendor's name as `offset << 8 | length` in `OUI_NAMES`.
    pub const OUI_NAME_SPANS: u32 = 31;
    /// The vendor names (UTF-8), back to back, each once, alphabetical.
    pub const OUI_NAMES: u32 = 32;
}
