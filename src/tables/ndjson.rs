//! A table as newline-delimited JSON: one object per row, keys in the columns' order,
//! timestamps as RFC 3339 text in UTC with microseconds (`2024-05-01T12:00:00.250000Z`), which
//! DuckDB's `read_json` reads as TIMESTAMP. Each capture's rows are flushed as soon as they
//! are written, so the file grows while the run goes on.

use std::io::{BufWriter, Write};

use serde::ser::{Serialize, Serializer};

use super::schema::{Cell, Column, Kind, Row};
use super::{Table, TableWriter};
use crate::report::wording::civil_from_days;

pub struct NdjsonTable<W: Write> {
    columns: &'static [Column],
    out: BufWriter<W>,
}

impl<W: Write> NdjsonTable<W> {
    pub fn new(table: Table, out: W) -> Self {
        NdjsonTable { columns: table.columns(), out: BufWriter::with_capacity(1 << 16, out) }
    }
}

impl<W: Write + Send> TableWriter for NdjsonTable<W> {
    fn write(&mut self, rows: &[Row]) -> std::io::Result<()> {
        for row in rows {
            serde_json::to_writer(&mut self.out, &Object(self.columns, row))?;
            self.out.write_all(b"\n")?;
        }
        self.out.flush()
    }

    fn finish(mut self: Box<Self>) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// A row, or a struct cell's fields, as a JSON object.
struct Object<'a>(&'a [Column], &'a [Cell]);

impl Serialize for Object<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().zip(self.1).map(|(column, cell)| (column.name, Value(&column.kind, cell))))
    }
}

struct Value<'a>(&'a Kind, &'a Cell);

impl Serialize for Value<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match (self.0, self.1) {
            (_, Cell::Null) => serializer.serialize_none(),
            (_, Cell::Bool(b)) => serializer.serialize_bool(*b),
            (_, Cell::Int(n)) => serializer.serialize_i64(*n),
            (_, Cell::Float(x)) => serializer.serialize_f64(*x),
            (_, Cell::Text(text)) => serializer.serialize_str(text),
            (_, Cell::Timestamp(micros)) => serializer.collect_str(&rfc3339(*micros)),
            (Kind::List(item), Cell::List(items)) => serializer.collect_seq(items.iter().map(|cell| Value(item, cell))),
            (Kind::Struct(columns), Cell::Struct(fields)) => Object(columns, fields).serialize(serializer),
            // Rows are built to fit their columns (see `rows`' tests); a misfit is left out.
            _ => serializer.serialize_none(),
        }
    }
}

/// Microseconds since 1970 as `YYYY-MM-DDTHH:MM:SS.ffffffZ`, as the NDJSON tables write
/// timestamps.
pub fn rfc3339(micros: i64) -> String {
    let seconds = micros.div_euclid(1_000_000);
    let fraction = micros.rem_euclid(1_000_000);
    let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{fraction:06}Z",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_rfc3339_in_utc() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00.000000Z");
        assert_eq!(rfc3339(1_709_210_096_250_000), "2024-02-29T12:34:56.250000Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59.999999Z");
        assert_eq!(rfc3339(951_782_400_000_000), "2000-02-29T00:00:00.000000Z");
    }

    #[test]
    fn a_row_is_one_object_with_the_columns_in_order() {
        let mut out = Vec::new();
        let mut table = NdjsonTable::new(Table::DeviceDestinations, &mut out);
        let row = vec![
            Cell::text("a.pcap"),
            Cell::Int(10),
            Cell::Null,
            Cell::text("aa:bb:cc:dd:ee:ff"),
            Cell::text("1.1.1.1"),
            Cell::Struct(vec![Cell::Int(1), Cell::Int(60)]),
            Cell::Null,
            Cell::Int(1),
            Cell::texts(["udp/53"]),
            Cell::Timestamp(1_500_000),
            Cell::Timestamp(2_000_000),
        ];
        table.write(&[row.clone(), row]).unwrap();
        drop(table);
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), 2);
        assert_eq!(
            text.lines().next().unwrap(),
            r#"{"capture_path":"a.pcap","capture_bytes":10,"capture_id":null,"device_id":"aa:bb:cc:dd:ee:ff","ip":"1.1.1.1","sent":{"packets":1,"bytes":60},"received":null,"flows":1,"services":["udp/53"],"first_ts":"1970-01-01T00:00:01.500000Z","last_ts":"1970-01-01T00:00:02.000000Z"}"#
        );
    }
}
