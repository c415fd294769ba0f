//! A table as newline-delimited JSON: one object per row, keys in the columns' order,
//! timestamps as RFC 3339 text in UTC with microseconds (`2024-05-01T12:00:00.250000Z`), which
//! DuckDB's `read_json` reads as TIMESTAMP. Each capture's rows are flushed as soon as they
//! are written, so the file grows while the run goes on.

use std::io::{BufWriter, Write};

use serde::ser::{Serialize, Serializer};

use super::schema::{Cell, Column, Kind, Row};
use super::{Table, TableWriter};

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

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`, which counts in 400-year eras so that leap years need no table).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
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
