//! A table as a Parquet file, Snappy-compressed (the one codec built in: every Parquet reader
//! has it, and it costs little time). Each capture's rows go in as one record batch; the
//! writer gathers them into row groups of at most [`ROW_GROUP_ROWS`] rows, so memory stays
//! bounded whatever the number of captures, and the footer is written by `finish`.

use std::io::Write;

use arrow_schema::SchemaRef;
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use super::schema::{Column, Row};
use super::{arrow, Table, TableWriter};

/// Rows per row group: large enough for good compression and few groups, small enough that
/// the writer's buffer (the encoded group in memory) stays in the tens of megabytes.
pub const ROW_GROUP_ROWS: usize = 256 * 1024;

pub struct ParquetTable<W: Write + Send> {
    columns: &'static [Column],
    schema: SchemaRef,
    writer: ArrowWriter<W>,
}

impl<W: Write + Send> ParquetTable<W> {
    pub fn new(table: Table, out: W) -> std::io::Result<Self> {
        let columns = table.columns();
        let schema = arrow::schema(columns);
        let properties = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .build();
        let writer = ArrowWriter::try_new(out, schema.clone(), Some(properties)).map_err(std::io::Error::other)?;
        Ok(ParquetTable { columns, schema, writer })
    }
}

impl<W: Write + Send> TableWriter for ParquetTable<W> {
    fn write(&mut self, rows: &[Row]) -> std::io::Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let batch = arrow::batch(self.schema.clone(), self.columns, rows).map_err(std::io::Error::other)?;
        self.writer.write(&batch).map_err(std::io::Error::other)
    }

    fn finish(self: Box<Self>) -> std::io::Result<()> {
        self.writer.close().map(drop).map_err(std::io::Error::other)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::cast::AsArray;
    use arrow_array::types::{Float64Type, Int64Type, TimestampMicrosecondType};
    use arrow_array::Array;
    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

    use super::*;
    use crate::tables::schema::{Cell, Kind};

    /// The cells of row `i` of `array`, read back as the schema describes them.
    fn cell(array: &dyn Array, kind: &Kind, i: usize) -> Cell {
        if array.is_null(i) {
            return Cell::Null;
        }
        match kind {
            Kind::Bool => Cell::Bool(array.as_boolean().value(i)),
            Kind::Int => Cell::Int(array.as_primitive::<Int64Type>().value(i)),
            Kind::Float => Cell::Float(array.as_primitive::<Float64Type>().value(i)),
            Kind::Text => Cell::text(array.as_string::<i32>().value(i)),
            Kind::Timestamp => Cell::Timestamp(array.as_primitive::<TimestampMicrosecondType>().value(i)),
            Kind::List(item) => {
                let items = array.as_list::<i32>().value(i);
                Cell::List((0..items.len()).map(|j| cell(&items, item, j)).collect())
            }
            Kind::Struct(columns) => {
                let fields = array.as_struct();
                Cell::Struct(columns.iter().enumerate().map(|(f, c)| cell(fields.column(f), &c.kind, i)).collect())
            }
        }
    }

    fn flow(path: &str, port: Option<i64>, flags: &[&str]) -> Row {
        vec![
            Cell::text(path),
            Cell::Int(1234),
            Cell::text("00112233aabbccdd"),
            Cell::text("tcp"),
            Cell::Struct(vec![Cell::text("192.168.1.2"), Cell::Int(50000)]),
            Cell::Struct(vec![Cell::text("93.184.216.34"), Cell::or_null(port, Cell::Int)]),
            Cell::Struct(vec![Cell::Int(3), Cell::Int(180)]),
            Cell::Null,
            Cell::Timestamp(1_700_000_000_000_001),
            Cell::Timestamp(1_700_000_001_000_000),
            Cell::Null,
            Cell::text("sni"),
            Cell::texts(flags),
        ]
    }

    #[test]
    fn rows_read_back_the_same_with_their_types() {
        let first = vec![flow("a.pcap", Some(443), &["SYN", "ACK"]), flow("a.pcap", None, &[])];
        let second = vec![flow("b.pcap", Some(80), &["RST"])];
        let path = std::env::temp_dir().join(format!("phonehome-parquet-test-{}.parquet", std::process::id()));
        let mut table = Box::new(ParquetTable::new(Table::Flows, std::fs::File::create(&path).unwrap()).unwrap());
        table.write(&first).unwrap();
        table.write(&[]).unwrap();
        table.write(&second).unwrap();
        table.finish().unwrap();

        let reader = ParquetRecordBatchReaderBuilder::try_new(std::fs::File::open(&path).unwrap()).unwrap();
        let schema = reader.schema().clone();
        let columns = Table::Flows.columns();
        let mut read = Vec::new();
        for batch in reader.build().unwrap() {
            let batch = batch.unwrap();
            for i in 0..batch.num_rows() {
                read.push(
                    columns.iter().enumerate().map(|(c, col)| cell(batch.column(c), &col.kind, i)).collect::<Row>(),
                );
            }
        }
        std::fs::remove_file(&path).unwrap();
        assert_eq!(read, [first, second].concat());
        assert_eq!(schema, arrow::schema(columns));
        let first_ts = schema.field_with_name("first_ts").unwrap().data_type().clone();
        assert_eq!(
            first_ts,
            arrow_schema::DataType::Timestamp(arrow_schema::TimeUnit::Microsecond, Some(Arc::from("UTC")))
        );
    }
}
