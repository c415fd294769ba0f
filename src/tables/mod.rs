//! Many captures' reports as five tables that DuckDB, Polars and Spark read directly:
//! `captures`, `devices`, `device_destinations`, `destinations` and `flows`, each row marked
//! with the capture it comes from. The columns are described once ([`schema`]), filled from
//! the typed report ([`rows`]), and written as Parquet ([`parquet`], with Apache Arrow's
//! crates, which nothing else uses) or NDJSON ([`ndjson`]). Writers take any `Write`: opening
//! files is the caller's (the CLI's) business. Native only: the page never writes tables.

mod arrow;
pub mod ndjson;
pub mod parquet;
pub mod rows;
pub mod schema;

use sha2::{Digest, Sha256};

pub use rows::capture_rows;
use schema::{Column, Row};

/// The five tables, in the order their files are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    Captures,
    Devices,
    DeviceDestinations,
    Destinations,
    Flows,
}

impl Table {
    pub const ALL: [Table; 5] =
        [Table::Captures, Table::Devices, Table::DeviceDestinations, Table::Destinations, Table::Flows];

    /// Its file's name, without the extension.
    pub fn name(self) -> &'static str {
        match self {
            Table::Captures => "captures",
            Table::Devices => "devices",
            Table::DeviceDestinations => "device_destinations",
            Table::Destinations => "destinations",
            Table::Flows => "flows",
        }
    }

    pub fn columns(self) -> &'static [Column] {
        match self {
            Table::Captures => schema::CAPTURES,
            Table::Devices => schema::DEVICES,
            Table::DeviceDestinations => schema::DEVICE_DESTINATIONS,
            Table::Destinations => schema::DESTINATIONS,
            Table::Flows => schema::FLOWS,
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// A capture file as the rows name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaptureFile {
    /// As the user gave it.
    pub path: String,
    /// Its size as stored (compressed, for a compressed capture); `None` when it could not be
    /// read.
    pub bytes: Option<u64>,
    /// See [`CaptureId`]; `None` when it could not be read to the end.
    pub id: Option<String>,
}

/// A capture's identity: the first 16 hex digits of the SHA-256 of its bytes as stored, so
/// that a renamed or copied file is recognised as the same capture. Fed as the file is read.
#[derive(Default)]
pub struct CaptureId(Sha256);

impl CaptureId {
    pub fn update(&mut self, bytes: &[u8]) {
        self.0.update(bytes);
    }

    pub fn finish(self) -> String {
        self.0.finalize()[..8].iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Rows of the five tables (one capture's, from [`capture_rows`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TableRows([Vec<Row>; 5]);

impl TableRows {
    pub fn of(&self, table: Table) -> &[Row] {
        &self.0[table.index()]
    }

    fn push(&mut self, table: Table, row: Row) {
        self.0[table.index()].push(row);
    }
}

/// Where one table's rows go, in the order they are given.
pub trait TableWriter: Send {
    fn write(&mut self, rows: &[Row]) -> std::io::Result<()>;
    /// Writes what is still buffered and whatever ends the file (Parquet's footer).
    fn finish(self: Box<Self>) -> std::io::Result<()>;
}

/// The file extension of a table format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    Parquet,
    Ndjson,
}

impl TableFormat {
    pub fn extension(self) -> &'static str {
        match self {
            TableFormat::Parquet => "parquet",
            TableFormat::Ndjson => "ndjson",
        }
    }

    /// A writer of `table` in this format into `out`.
    pub fn writer<W: std::io::Write + Send + 'static>(
        self,
        table: Table,
        out: W,
    ) -> std::io::Result<Box<dyn TableWriter>> {
        Ok(match self {
            TableFormat::Parquet => Box::new(parquet::ParquetTable::new(table, out)?),
            TableFormat::Ndjson => Box::new(ndjson::NdjsonTable::new(table, out)),
        })
    }
}

impl std::str::FromStr for TableFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<TableFormat, String> {
        match text {
            "parquet" => Ok(TableFormat::Parquet),
            "ndjson" => Ok(TableFormat::Ndjson),
            other => Err(format!("unknown table format '{other}' (parquet or ndjson)")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_capture_id_is_the_start_of_the_sha256_of_its_bytes() {
        let mut id = CaptureId::default();
        id.update(b"ab");
        id.update(b"c");
        // SHA-256("abc") = ba7816bf8f01cfea 414140de5dae2223...
        assert_eq!(id.finish(), "ba7816bf8f01cfea");
    }
}
