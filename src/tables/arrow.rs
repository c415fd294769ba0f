//! The tables' columns as Arrow types, and rows as Arrow record batches: the in-memory form
//! the Parquet writer takes. Nested columns (lists, structs) are built bottom-up from their
//! cells, one kind at a time, so any nesting the schema describes works the same way.

use std::sync::Arc;

use arrow_array::{
    ArrayRef, BooleanArray, Float64Array, Int64Array, ListArray, RecordBatch, StringArray, StructArray,
    TimestampMicrosecondArray,
};
use arrow_buffer::{NullBuffer, OffsetBuffer, ScalarBuffer};
use arrow_schema::{ArrowError, DataType, Field, Fields, Schema, SchemaRef, TimeUnit};

use super::schema::{Cell, Column, Kind, Row};

/// The time zone of every timestamp: Parquet then marks them as instants (adjusted to UTC),
/// which DuckDB reads as TIMESTAMPTZ, Polars as `Datetime(us, UTC)` and Spark as TIMESTAMP.
const UTC: &str = "UTC";

/// A list's item field: Arrow's conventional name for it.
const ITEM: &str = "item";

pub fn schema(columns: &[Column]) -> SchemaRef {
    Arc::new(Schema::new(fields(columns)))
}

fn fields(columns: &[Column]) -> Fields {
    columns.iter().map(|c| Field::new(c.name, data_type(&c.kind), true)).collect()
}

fn data_type(kind: &Kind) -> DataType {
    match kind {
        Kind::Bool => DataType::Boolean,
        Kind::Int => DataType::Int64,
        Kind::Float => DataType::Float64,
        Kind::Text => DataType::Utf8,
        Kind::Timestamp => DataType::Timestamp(TimeUnit::Microsecond, Some(UTC.into())),
        Kind::List(item) => DataType::List(item_field(item)),
        Kind::Struct(columns) => DataType::Struct(fields(columns)),
    }
}

fn item_field(item: &Kind) -> Arc<Field> {
    Arc::new(Field::new(ITEM, data_type(item), true))
}

/// `rows` (each with one cell per column) as a record batch of `schema`.
pub fn batch(schema: SchemaRef, columns: &[Column], rows: &[Row]) -> Result<RecordBatch, ArrowError> {
    let arrays = columns
        .iter()
        .enumerate()
        .map(|(i, column)| {
            let cells: Vec<&Cell> = rows.iter().map(|row| row.get(i).unwrap_or(&NULL)).collect();
            array(&column.kind, &cells)
        })
        .collect::<Result<Vec<_>, _>>()?;
    RecordBatch::try_new(schema, arrays)
}

static NULL: Cell = Cell::Null;

/// One column's cells as an array of `kind`. A cell of another kind is taken as null (rows
/// are built to fit, see `rows`' tests).
fn array(kind: &Kind, cells: &[&Cell]) -> Result<ArrayRef, ArrowError> {
    Ok(match kind {
        Kind::Bool => Arc::new(
            cells.iter().map(|c| if let Cell::Bool(b) = c { Some(*b) } else { None }).collect::<BooleanArray>(),
        ),
        Kind::Int => {
            Arc::new(cells.iter().map(|c| if let Cell::Int(n) = c { Some(*n) } else { None }).collect::<Int64Array>())
        }
        Kind::Float => Arc::new(
            cells.iter().map(|c| if let Cell::Float(x) = c { Some(*x) } else { None }).collect::<Float64Array>(),
        ),
        Kind::Text => Arc::new(
            cells.iter().map(|c| if let Cell::Text(t) = c { Some(t.as_str()) } else { None }).collect::<StringArray>(),
        ),
        Kind::Timestamp => Arc::new(
            cells
                .iter()
                .map(|c| if let Cell::Timestamp(t) = c { Some(*t) } else { None })
                .collect::<TimestampMicrosecondArray>()
                .with_timezone(UTC),
        ),
        Kind::List(item) => {
            let mut offsets = Vec::with_capacity(cells.len() + 1);
            offsets.push(0i32);
            let mut items: Vec<&Cell> = Vec::new();
            let mut valid = Vec::with_capacity(cells.len());
            for cell in cells {
                if let Cell::List(list) = cell {
                    items.extend(list.iter());
                }
                valid.push(matches!(cell, Cell::List(_)));
                let end = i32::try_from(items.len())
                    .map_err(|_| ArrowError::ComputeError("a list column with more than 2^31 items".into()))?;
                offsets.push(end);
            }
            let values = array(item, &items)?;
            Arc::new(ListArray::try_new(
                item_field(item),
                OffsetBuffer::new(ScalarBuffer::from(offsets)),
                values,
                Some(NullBuffer::from(valid)),
            )?)
        }
        Kind::Struct(columns) => {
            let children = columns
                .iter()
                .enumerate()
                .map(|(i, column)| {
                    let field_cells: Vec<&Cell> = cells
                        .iter()
                        .map(|c| match c {
                            Cell::Struct(fields) => fields.get(i).unwrap_or(&NULL),
                            _ => &NULL,
                        })
                        .collect();
                    array(&column.kind, &field_cells)
                })
                .collect::<Result<Vec<_>, _>>()?;
            let valid: Vec<bool> = cells.iter().map(|c| matches!(c, Cell::Struct(_))).collect();
            Arc::new(StructArray::try_new(fields(columns), children, Some(NullBuffer::from(valid)))?)
        }
    })
}
