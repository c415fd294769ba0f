//! Tests of how a table loaded at run time is kept (as the page's worker does with the table it
//! fetches): installing it in a [`Slot`], refusing damaged bytes and a second table, and the
//! committed checksum the worker checks tables with.
//! They read `table.bin` from disk rather than assuming its size or format version.

use std::net::IpAddr;
use std::sync::OnceLock;

use super::*;

/// The committed table, read once and kept for the life of the test process (a table is
/// searched in place, so installed bytes must be `'static`).
fn committed_table() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/geo/table.bin");
        std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"))
    })
}

fn leak(bytes: Vec<u8>) -> &'static [u8] {
    Box::leak(bytes.into_boxed_slice())
}

fn google() -> IpAddr {
    "8.8.8.8".parse().expect("a valid address")
}

#[test]
fn committed_checksum_is_the_tables() {
    assert_eq!(
        TABLE_CHECKSUM,
        checksum(committed_table()),
        "src/geo/table.xxh3 does not match table.bin: regenerate both with the geo_table example"
    );
}

#[test]
fn checksum_is_xxh3_in_hex_and_sees_one_changed_bit() {
    // XXH3-64 of no bytes, as the reference implementation gives it.
    assert_eq!(checksum(b""), "2d06800538d394c2");
    let table = committed_table();
    assert!(TABLE_CHECKSUM.len() == 16 && TABLE_CHECKSUM.bytes().all(|b| b.is_ascii_hexdigit()));
    let mut damaged = table.to_vec();
    damaged[table.len() / 2] ^= 0x01;
    assert_ne!(checksum(&damaged), TABLE_CHECKSUM);
    assert_ne!(checksum(&table[..table.len() - 1]), TABLE_CHECKSUM);
}

#[test]
fn an_empty_slot_has_no_table() {
    assert!(Slot::new().table().is_none());
}

#[test]
fn an_installed_table_answers_lookups() {
    let slot = Slot::new();
    let table = slot.install(committed_table()).expect("the committed table installs");
    let found = table.lookup(google()).expect("8.8.8.8 is in the table");
    assert_eq!((found.asn, found.country), (Some(15169), Some("US")));
    assert!(table.date().is_some() && table.sources().is_some());
    assert!(slot.table().is_some());
}

#[test]
fn damaged_bytes_are_refused_and_leave_no_table() {
    let slot = Slot::new();
    let whole = committed_table();
    let cut = &whole[..whole.len().min(64)];
    assert!(matches!(slot.install(cut), Err(InstallError::Unreadable(_))));
    let mut other_version = whole.to_vec();
    other_version[layout::MAGIC.len() - 1] ^= 0xff;
    assert!(matches!(slot.install(leak(other_version)), Err(InstallError::Unreadable(_))));
    assert!(matches!(slot.install(&[]), Err(InstallError::Unreadable(_))));
    assert!(slot.table().is_none());
    // A refused table does not stand in the way of a good one.
    assert!(slot.install(whole).is_ok());
}

#[test]
fn a_second_table_is_refused_and_the_first_stays() {
    let slot = Slot::new();
    assert!(slot.install(committed_table()).is_ok());
    let first = slot.table().map(|t| t as *const Table<'static>);
    let copy = leak(committed_table().to_vec());
    assert!(matches!(slot.install(copy), Err(InstallError::AlreadyPresent)));
    assert_eq!(slot.table().map(|t| t as *const Table<'static>), first);
}
