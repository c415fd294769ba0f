//! The columns of the five tables, as one description that both writers read: the Parquet
//! writer turns it into an Arrow schema, the NDJSON writer into object keys. Column names and
//! nesting are the `phonehome.report/1` JSON contract's (`sent` is a struct of `packets` and
//! `bytes` here as there), typed: integers, floats, lists, structs, and timestamps in
//! microseconds, UTC. Every table starts with the three columns that say which capture a row
//! comes from.

/// What a column holds. Every column may be null (an unreadable capture's row has little
/// else).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Bool,
    /// A signed 64-bit integer: counts, ports, AS numbers. (Signed because Spark has no
    /// unsigned integers; no count comes near 2^63.)
    Int,
    Float,
    Text,
    /// Microseconds since 1970 UTC.
    Timestamp,
    List(&'static Kind),
    Struct(&'static [Column]),
}

/// A named column of a table (or field of a struct column).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Column {
    pub name: &'static str,
    pub kind: Kind,
}

/// One value of a row, of the column's [`Kind`].
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    Timestamp(i64),
    List(Vec<Cell>),
    Struct(Vec<Cell>),
}

/// A row: one cell per column of its table, in the columns' order.
pub type Row = Vec<Cell>;

const fn col(name: &'static str, kind: Kind) -> Column {
    Column { name, kind }
}

const TEXTS: Kind = Kind::List(&Kind::Text);
const COUNTERS: Kind = Kind::Struct(&[col("packets", Kind::Int), col("bytes", Kind::Int)]);
const ENDPOINT: Kind = Kind::Struct(&[col("ip", Kind::Text), col("port", Kind::Int)]);
const DIAGNOSTIC: Kind = Kind::Struct(&[
    col("kind", Kind::Text),
    col("count", Kind::Int),
    col("first_packet", Kind::Int),
    col("message", Kind::Text),
]);

/// The columns every table starts with.
pub const CAPTURE_COLUMNS: [Column; 3] =
    [col("capture_path", Kind::Text), col("capture_bytes", Kind::Int), col("capture_id", Kind::Text)];

/// One row per capture file given, readable or not.
pub const CAPTURES: &[Column] = &[
    CAPTURE_COLUMNS[0],
    CAPTURE_COLUMNS[1],
    CAPTURE_COLUMNS[2],
    // Why the file could not be read at all; null when it was (problems met while reading
    // are in `diagnostics`).
    col("error", Kind::Text),
    col("format", Kind::Text),
    col("packets", Kind::Int),
    col("bytes", Kind::Int),
    col("first_ts", Kind::Timestamp),
    col("last_ts", Kind::Timestamp),
    col("link_types", TEXTS),
    col("diagnostics", Kind::List(&DIAGNOSTIC)),
    col("non_ip_packets", Kind::Int),
    col("home_country", Kind::Text),
    col("watch", TEXTS),
    col("geo_table_date", Kind::Text),
    // How many rows of the other tables it has.
    col("flows", Kind::Int),
    col("devices", Kind::Int),
    col("destinations", Kind::Int),
];

pub const DEVICES: &[Column] = &[
    CAPTURE_COLUMNS[0],
    CAPTURE_COLUMNS[1],
    CAPTURE_COLUMNS[2],
    col("id", Kind::Text),
    col("mac", Kind::Text),
    col("ips", TEXTS),
    col("name", Kind::Text),
    col(
        "names_by_source",
        Kind::Struct(&[
            col("dhcp", TEXTS),
            col("dhcp_vendor_class", TEXTS),
            col("mdns", TEXTS),
            col("ssdp", TEXTS),
            col("netbios", TEXTS),
        ]),
    ),
    col("destinations", TEXTS),
    col("gateway", Kind::Bool),
    col("vendor", Kind::Text),
    col("randomized_mac", Kind::Bool),
    col(
        "scan",
        Kind::Struct(&[
            col("addresses", Kind::Int),
            col("ports", Kind::Int),
            col("answered", Kind::Int),
            col("attempts", Kind::Int),
            col("packets", Kind::Int),
            col("bytes", Kind::Int),
            col("first_ts", Kind::Timestamp),
            col("last_ts", Kind::Timestamp),
        ]),
    ),
];

/// A device's traffic with one destination (`devices[].traffic`), with the device's id.
pub const DEVICE_DESTINATIONS: &[Column] = &[
    CAPTURE_COLUMNS[0],
    CAPTURE_COLUMNS[1],
    CAPTURE_COLUMNS[2],
    col("device_id", Kind::Text),
    col("ip", Kind::Text),
    col("sent", COUNTERS),
    col("received", COUNTERS),
    col("flows", Kind::Int),
    col("services", TEXTS),
    col("first_ts", Kind::Timestamp),
    col("last_ts", Kind::Timestamp),
];

pub const DESTINATIONS: &[Column] = &[
    CAPTURE_COLUMNS[0],
    CAPTURE_COLUMNS[1],
    CAPTURE_COLUMNS[2],
    col("ip", Kind::Text),
    col("scope", Kind::Text),
    col("names", TEXTS),
    col("asn", Kind::Int),
    col("as_org", Kind::Text),
    col("country", Kind::Text),
    col("foreign", Kind::Bool),
    col("watched", Kind::Bool),
    col("devices", TEXTS),
    col("packets", Kind::Int),
    col("bytes", Kind::Int),
    col("flows", Kind::Int),
    col("first_ts", Kind::Timestamp),
    col("last_ts", Kind::Timestamp),
    col("sent", COUNTERS),
    col("received", COUNTERS),
    col("services", TEXTS),
    col(
        "periodic",
        Kind::Struct(&[col("interval_s", Kind::Float), col("jitter_s", Kind::Float), col("beats", Kind::Int)]),
    ),
    col(
        "names_by_source",
        Kind::Struct(&[col("dns", TEXTS), col("sni", TEXTS), col("quic", TEXTS), col("http", TEXTS)]),
    ),
    col("no_dns", Kind::Bool),
    col("anycast", Kind::Bool),
    col("concerns", TEXTS),
    col("party", Kind::Struct(&[col("kind", Kind::Text), col("owner", Kind::Text), col("basis", Kind::Text)])),
];

pub const FLOWS: &[Column] = &[
    CAPTURE_COLUMNS[0],
    CAPTURE_COLUMNS[1],
    CAPTURE_COLUMNS[2],
    col("proto", Kind::Text),
    col("client", ENDPOINT),
    col("server", ENDPOINT),
    col("c2s", COUNTERS),
    col("s2c", COUNTERS),
    col("first_ts", Kind::Timestamp),
    col("last_ts", Kind::Timestamp),
    col("name", Kind::Text),
    col("name_source", Kind::Text),
    col("tcp_flags", TEXTS),
];

impl Cell {
    /// A count: the report's counts are unsigned, the tables' integers signed (see [`Kind::Int`]).
    pub fn count(n: u64) -> Cell {
        Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }

    /// A report time (seconds since 1970, fractional) to the microsecond.
    pub fn time(seconds: f64) -> Cell {
        let micros = (seconds * 1e6).round();
        if micros.is_finite() && micros.abs() < i64::MAX as f64 {
            Cell::Timestamp(micros as i64)
        } else {
            Cell::Null
        }
    }

    pub fn text(value: impl ToString) -> Cell {
        Cell::Text(value.to_string())
    }

    pub fn texts<T: ToString>(values: impl IntoIterator<Item = T>) -> Cell {
        Cell::List(values.into_iter().map(Cell::text).collect())
    }

    /// `None` as null.
    pub fn or_null<T>(value: Option<T>, cell: impl FnOnce(T) -> Cell) -> Cell {
        value.map_or(Cell::Null, cell)
    }

    /// Whether this cell is of `kind` (null is of every kind).
    pub fn fits(&self, kind: &Kind) -> bool {
        match (self, kind) {
            (Cell::Null, _)
            | (Cell::Bool(_), Kind::Bool)
            | (Cell::Int(_), Kind::Int)
            | (Cell::Float(_), Kind::Float)
            | (Cell::Text(_), Kind::Text)
            | (Cell::Timestamp(_), Kind::Timestamp) => true,
            (Cell::List(items), Kind::List(item)) => items.iter().all(|cell| cell.fits(item)),
            (Cell::Struct(fields), Kind::Struct(columns)) => {
                fields.len() == columns.len() && fields.iter().zip(columns.iter()).all(|(f, c)| f.fits(&c.kind))
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_microseconds_and_counts_saturate() {
        assert_eq!(Cell::time(1_700_000_000.123_456), Cell::Timestamp(1_700_000_000_123_456));
        assert_eq!(Cell::time(f64::NAN), Cell::Null);
        assert_eq!(Cell::count(u64::MAX), Cell::Int(i64::MAX));
    }

    #[test]
    fn every_table_starts_with_the_capture_and_has_distinct_names() {
        for columns in [CAPTURES, DEVICES, DEVICE_DESTINATIONS, DESTINATIONS, FLOWS] {
            assert_eq!(columns[..3], CAPTURE_COLUMNS);
            let mut names: Vec<_> = columns.iter().map(|c| c.name).collect();
            names.sort_unstable();
            names.dedup();
            assert_eq!(names.len(), columns.len());
        }
    }

    #[test]
    fn cells_fit_their_kinds() {
        let counters = Cell::Struct(vec![Cell::Int(1), Cell::Int(60)]);
        assert!(counters.fits(&COUNTERS));
        assert!(!Cell::Struct(vec![Cell::Int(1)]).fits(&COUNTERS));
        assert!(Cell::texts(["a", "b"]).fits(&TEXTS));
        assert!(!Cell::List(vec![Cell::Int(1)]).fits(&TEXTS));
        assert!(Cell::Null.fits(&Kind::Timestamp));
    }
}
