//! The shipped table (`table.packed.br`) against the committed table, and damaged, cut or
//! foreign files, which must give an error or bytes that fail the checksum, never a panic.

use std::sync::OnceLock;

use super::*;
use crate::geo::{checksum, TABLE_CHECKSUM};

fn committed(name: &str) -> &'static [u8] {
    static TABLE: OnceLock<Vec<u8>> = OnceLock::new();
    static SHIPPED: OnceLock<Vec<u8>> = OnceLock::new();
    let cell = if name == "table.bin" { &TABLE } else { &SHIPPED };
    cell.get_or_init(|| {
        let path = format!("{}/src/geo/{name}", env!("CARGO_MANIFEST_DIR"));
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
    })
}

fn table() -> &'static [u8] {
    committed("table.bin")
}

fn shipped() -> &'static [u8] {
    committed("table.packed.br")
}

/// The table that shipped bytes give, or why they give none: what the worker does with them.
fn open_shipped(bytes: &[u8]) -> Result<Vec<u8>, TableError> {
    let packed = decompress(bytes)?;
    let mut table = vec![0; packed.len()];
    unpack(&packed, &mut table)?;
    Ok(table)
}

#[test]
fn the_shipped_file_is_the_committed_table() {
    let unpacked = open_shipped(shipped()).expect("the shipped table decodes");
    assert!(
        unpacked == table(),
        "src/geo/table.packed.br does not decode to table.bin: regenerate both with the geo_table example"
    );
    assert_eq!(checksum(&unpacked), TABLE_CHECKSUM);
}

#[test]
fn packing_changes_the_listed_sections_only_and_unpacking_undoes_it() {
    let packed = pack(table()).expect("the committed table packs");
    assert_eq!(packed.len(), table().len());
    let sections = packed_sections(table()).expect("its sections fit their forms");
    assert_eq!(sections.len(), FORMS.len(), "every listed section is in the table");
    for &(form, offset, len) in &sections {
        assert_ne!(packed[offset..offset + len], table()[offset..offset + len], "section {}", form.id);
    }
    let first = sections.iter().map(|s| s.1).min().unwrap_or(0);
    assert_eq!(packed[..first], table()[..first], "header and directory stay as they are");
    let mut unpacked = vec![0; packed.len()];
    unpack(&packed, &mut unpacked).expect("the packed table unpacks");
    assert!(unpacked == table());
}

#[test]
fn bytes_a_server_already_decoded_are_taken_as_they_are() {
    let packed = decompress(shipped()).expect("the shipped table decodes");
    assert_eq!(open_shipped(&packed).expect("packed bytes open"), table());
}

#[test]
fn a_cut_file_gives_an_error_or_a_wrong_checksum() {
    let whole = shipped();
    for cut in [0, 1, 3, 4, 5, 12, 100, 4096, whole.len() / 3, whole.len() / 2, whole.len() - 1] {
        if let Ok(table) = open_shipped(&whole[..cut]) {
            assert_ne!(checksum(&table), TABLE_CHECKSUM, "cut at {cut}");
        }
    }
}

#[test]
fn a_damaged_file_gives_an_error_or_a_wrong_checksum() {
    let whole = shipped();
    for (at, flip) in [(4, 0xff), (6, 0x80), (20, 0x01), (whole.len() / 2, 0x10), (whole.len() - 2, 0x04)] {
        let mut damaged = whole.to_vec();
        damaged[at] ^= flip;
        // Some header bits change nothing decoded (the window size, say): then the table
        // comes out whole, and only then may its checksum be right.
        if let Ok(table) = open_shipped(&damaged) {
            assert_eq!(checksum(&table) == TABLE_CHECKSUM, table == self::table(), "byte {at} ^ {flip:#x}");
        }
    }
}

#[test]
fn foreign_files_are_refused() {
    assert!(decompress(b"").is_err());
    assert!(decompress(b"<!DOCTYPE html><title>Not found</title>").is_err());
    // gzip: what a server's own compression would look like if the browser did not undo it.
    assert!(decompress(&[0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0]).is_err());
}

#[test]
fn a_packed_section_of_a_wrong_length_is_refused() {
    let mut bad = table().to_vec();
    // Directory entry i is { id, offset, len } after the magic and the section count.
    let entries = u32::from_le_bytes(bad[8..12].try_into().expect("4 bytes")) as usize;
    let records = (0..entries)
        .map(|i| 12 + i * layout::DIRECTORY_ENTRY_LEN)
        .find(|&at| bad[at..at + 4] == section::AS_RECORDS.to_le_bytes())
        .expect("the table has AS records");
    let len = u32::from_le_bytes(bad[records + 8..records + 12].try_into().expect("4 bytes"));
    bad[records + 8..records + 12].copy_from_slice(&(len - 4).to_le_bytes());
    assert!(pack(&bad).is_err());
    let mut out = vec![0; bad.len()];
    assert!(unpack(&bad, &mut out).is_err());
    assert!(unpack(&bad, &mut out[1..]).is_err(), "an output of another length");
}
