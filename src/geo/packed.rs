//! The geo table as the site ships it (`table.packed.br`): the same bytes in a form that
//! compresses better, then brotli. The worker fetches that file, and [`decompress`] and
//! [`unpack`] give back the table's exact bytes, which it then checks with the table's own
//! checksum ([`super::TABLE_CHECKSUM`]): the page's weight is about 3 MB on every host,
//! instead of 11 MB where a server does not gzip binary files and 4 MB where it does.
//!
//! Why a packed form: the table is laid out to be searched in place (`layout`), not to be
//! compressed. Its sorted integers (bucket indexes, range starts, summary keys, OUIs) and the
//! AS records' name spans (which mostly grow by the previous name's length) become small,
//! repetitive numbers once each is stored as its difference from the one before, and a
//! compressor predicts bytes of one kind (each integer's lowest bytes together, then its next ones)
//! far better than interleaved ones. So packing stores, for each section listed in [`FORMS`],
//! its integers as differences, as byte planes. It keeps every length and offset: the
//! header, the directory and every other section (the values, the names, whose order
//! matters for lookups) are copied as they are. Packing the committed table this way makes
//! its brotli 6% smaller than brotli of the table itself (2.96 MB against 3.16 MB).
//!
//! Why brotli (quality 11, a 16 MiB window, written by `examples/geo_table/ship.rs`): it makes
//! the file 6% smaller than zstd level 19 with the same window did (2.96 MB against 3.16 MB),
//! decodes about as fast (brotli-decompressor, pure Rust), and the decoder costs the worker's
//! wasm far less than it saves. xz (`-9e`) would save 70 kB more but decodes four times slower,
//! and every first visit waits for that. (ruzstd stays in the worker: captures may be zstd.)
//! Nothing here panics on damaged bytes: they give an error, or bytes that fail the checksum.

use std::borrow::Cow;
use std::io::Read;

use super::layout::{self, section};
use super::table::Directory;
use super::TableError;

/// The largest table [`decompress`] gives out; a frame claiming more (damage, or a hostile
/// file) is refused before it can exhaust the worker's memory. The table is about 11 MB.
pub const MAX_TABLE_LEN: usize = 64 << 20;

/// The brotli decoder's input buffer: it reads the shipped bytes from memory, so this only
/// sets how much is copied at a time.
const BROTLI_BUFFER: usize = 64 << 10;

/// How a section's integers lie in the table.
#[derive(Clone, Copy, Debug)]
enum Order {
    /// Little-endian integers; `columns` interleaved series (an AS record is two u32s: the
    /// AS number and the name span), each packed on its own.
    Interleaved { columns: usize },
    /// Byte planes already (`V4_KEYS`, `OUI_KEYS`): only the differences are new.
    Planes,
    /// Runs of this many integers, each run as byte planes (`V6_KEYS`).
    Runs(usize),
}

/// A section that is packed: its integers are `width` bytes wide and lie in `order`.
#[derive(Clone, Copy, Debug)]
struct Form {
    id: u32,
    width: usize,
    order: Order,
}

const fn form(id: u32, width: usize, order: Order) -> Form {
    Form { id, width, order }
}

const ONE: Order = Order::Interleaved { columns: 1 };

/// The sections that are packed; every other one is shipped as it is. (Differences of the
/// entries' values would only add noise: they are categories, not quantities.)
const FORMS: [Form; 10] = [
    form(section::AS_RECORDS, 4, Order::Interleaved { columns: layout::AS_RECORD_WORDS }),
    form(section::V4_BUCKETS, 4, ONE),
    form(section::V4_KEYS, layout::V4_KEY_BYTES, Order::Planes),
    form(section::V6_BUCKETS, 4, ONE),
    form(section::V6_KEYS, layout::V6_KEY_BYTES, Order::Runs(layout::SUMMARY_STEP)),
    form(section::V6_SUMMARY, 8, ONE),
    form(section::V6_SUMMARY2, 8, ONE),
    form(section::V6_FINE_INDEX, 4, ONE),
    form(section::V6_FINE_KEYS, 8, ONE),
    form(section::OUI_KEYS, layout::OUI_KEY_BYTES, Order::Planes),
];

impl Form {
    /// The number of integers in a section of `len` bytes, if `len` fits this form.
    fn count(&self, len: usize) -> Option<usize> {
        let group = match self.order {
            Order::Interleaved { columns } => self.width * columns,
            Order::Planes => self.width,
            Order::Runs(run) => self.width * run,
        };
        (len % group == 0).then_some(len / self.width)
    }

    /// How many integers each series of differences holds (each column is one series).
    fn series_len(&self, count: usize) -> usize {
        match self.order {
            Order::Interleaved { columns } => (count / columns).max(1),
            Order::Planes | Order::Runs(_) => count.max(1),
        }
    }

    /// The section's integers in packing order (column by column), from the table's bytes.
    fn read(&self, bytes: &[u8]) -> Vec<u64> {
        let w = self.width;
        let int = |at: usize| bytes[at..at + w].iter().rev().fold(0u64, |v, &b| v << 8 | u64::from(b));
        match self.order {
            Order::Interleaved { columns } => {
                (0..columns).flat_map(|c| (c * w..bytes.len()).step_by(columns * w).map(int)).collect()
            }
            Order::Planes => read_planes(bytes, w),
            Order::Runs(run) => bytes.chunks_exact(run * w).flat_map(|block| read_planes(block, w)).collect(),
        }
    }

    /// Writes integers in packing order into the section as the table has it.
    fn write(&self, values: &[u64], bytes: &mut [u8]) {
        let w = self.width;
        match self.order {
            Order::Interleaved { columns } => {
                let per_column = values.len() / columns;
                for (k, value) in values.iter().enumerate() {
                    let at = ((k % per_column) * columns + k / per_column) * w;
                    bytes[at..at + w].copy_from_slice(&value.to_le_bytes()[..w]);
                }
            }
            Order::Planes => write_planes(values, w, bytes),
            Order::Runs(run) => {
                for (block, values) in bytes.chunks_exact_mut(run * w).zip(values.chunks(run)) {
                    write_planes(values, w, block);
                }
            }
        }
    }

    fn mask(&self) -> u64 {
        u64::MAX >> (64 - 8 * self.width)
    }
}

/// Integers `width` bytes wide stored as byte planes (all lowest bytes, then all next ones).
fn read_planes(bytes: &[u8], width: usize) -> Vec<u64> {
    let count = bytes.len() / width;
    let mut values = vec![0u64; count];
    for (shift, plane) in (0..).step_by(8).zip(bytes.chunks_exact(count.max(1)).take(width)) {
        for (value, &byte) in values.iter_mut().zip(plane) {
            *value |= u64::from(byte) << shift;
        }
    }
    values
}

fn write_planes(values: &[u64], width: usize, bytes: &mut [u8]) {
    for (shift, plane) in (0..).step_by(8).zip(bytes.chunks_exact_mut(values.len().max(1)).take(width)) {
        for (byte, value) in plane.iter_mut().zip(values) {
            *byte = (value >> shift) as u8;
        }
    }
}

/// The packed form of a table (see the module docs): same length, same header.
pub fn pack(table: &[u8]) -> Result<Vec<u8>, TableError> {
    let mut packed = table.to_vec();
    for (form, offset, len) in packed_sections(table)? {
        let mut values = form.read(&table[offset..offset + len]);
        for series in values.chunks_mut(form.series_len(len / form.width)) {
            let mut previous = 0u64;
            for value in series {
                (*value, previous) = (value.wrapping_sub(previous) & form.mask(), *value);
            }
        }
        write_planes(&values, form.width, &mut packed[offset..offset + len]);
    }
    Ok(packed)
}

/// Writes into `table` (as long as `packed`) the table whose packed form is `packed`.
pub fn unpack(packed: &[u8], table: &mut [u8]) -> Result<(), TableError> {
    if table.len() != packed.len() {
        return Err(TableError::new("the unpacked table must be as long as the packed one"));
    }
    table.copy_from_slice(packed);
    for (form, offset, len) in packed_sections(packed)? {
        let mut values = read_planes(&packed[offset..offset + len], form.width);
        for series in values.chunks_mut(form.series_len(len / form.width)) {
            let mut previous = 0u64;
            for value in series {
                previous = previous.wrapping_add(*value) & form.mask();
                *value = previous;
            }
        }
        form.write(&values, &mut table[offset..offset + len]);
    }
    Ok(())
}

/// The sections of a table (or of its packed form: the directory is the same) that are
/// packed, each with its offset and length, checked to fit its form.
fn packed_sections(bytes: &[u8]) -> Result<Vec<(Form, usize, usize)>, TableError> {
    let directory = Directory::read(bytes)?;
    let mut sections = Vec::new();
    for (id, offset, len) in directory.entries() {
        let Some(form) = FORMS.iter().find(|form| form.id == id) else { continue };
        if form.count(len).is_none() {
            return Err(TableError::new(format!("section {id} has a wrong length")));
        }
        // Of two overlapping sections, only one could be restored: such bytes are no table.
        if sections.iter().any(|&(_, o, l)| offset < o + l && o < offset + len) {
            return Err(TableError::new(format!("section {id} overlaps another")));
        }
        sections.push((*form, offset, len));
    }
    Ok(sections)
}

/// The packed table in a shipped file: its brotli stream decoded, at most [`MAX_TABLE_LEN`]
/// bytes. Bytes that start like a table are taken as already decoded: a server may send the
/// file with `Content-Encoding: br`, which the browser undoes. Brotli has no magic number, so
/// decoded bytes that do not start like a table are refused here too (an error page, say).
pub fn decompress(shipped: &[u8]) -> Result<Cow<'_, [u8]>, TableError> {
    if shipped.starts_with(&layout::MAGIC) {
        return Ok(Cow::Borrowed(shipped));
    }
    // The table is about four times its brotli; a first guess saves most regrowing.
    let mut packed = Vec::with_capacity(shipped.len().saturating_mul(4).min(MAX_TABLE_LEN));
    let decoder = brotli_decompressor::Decompressor::new(shipped, BROTLI_BUFFER);
    // One byte past the cap tells a table that is too large from one that just fits.
    decoder
        .take(MAX_TABLE_LEN as u64 + 1)
        .read_to_end(&mut packed)
        .map_err(|e| TableError::new(format!("the shipped table's brotli is damaged ({e})")))?;
    if packed.len() > MAX_TABLE_LEN {
        return Err(TableError::new("the shipped table is larger than any table"));
    }
    if !packed.starts_with(&layout::MAGIC) {
        return Err(TableError::new("the shipped table is neither brotli of a table nor a table"));
    }
    Ok(Cow::Owned(packed))
}

#[cfg(test)]
mod tests;
