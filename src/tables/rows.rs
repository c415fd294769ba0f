//! One capture's report as rows of the five tables, read from the typed report (never from
//! its JSON text), in the report's own order: flows in time order, devices and destinations
//! most bytes first, each device's traffic in the order it first reached each destination.

use super::schema::{Cell, Row};
use super::{CaptureFile, Table, TableRows};
use crate::report::model::{CaptureSummary, Counters, Destination, Device, Endpoint, Flow, Traffic};
use crate::report::verdict::{concerns, Verdict};
use crate::report::Report;

/// The rows of one capture: its `captures` row, and when it could be read (`report` is
/// `Ok`), its devices, their traffic per destination, its destinations and its flows. A
/// capture that could not be read at all has its `captures` row only, with the reason.
pub fn capture_rows(file: &CaptureFile, report: Result<Report<'_>, &str>) -> TableRows {
    let mut rows = TableRows::default();
    let report = match report {
        Ok(report) => report,
        Err(error) => {
            let mut row = capture_columns(file);
            row.push(Cell::text(error));
            row.resize(Table::Captures.columns().len(), Cell::Null);
            rows.push(Table::Captures, row);
            return rows;
        }
    };
    let analysis = report.analysis;
    rows.push(Table::Captures, capture(file, report));
    for device in &analysis.devices {
        rows.push(Table::Devices, with_capture(file, self::device(device)));
        for traffic in &device.traffic {
            rows.push(Table::DeviceDestinations, with_capture(file, device_destination(device, traffic)));
        }
    }
    for (destination, verdict) in report.destinations() {
        rows.push(Table::Destinations, with_capture(file, self::destination(destination, verdict)));
    }
    for flow in &analysis.flows {
        rows.push(Table::Flows, with_capture(file, self::flow(flow)));
    }
    rows
}

fn capture_columns(file: &CaptureFile) -> Row {
    vec![Cell::text(&file.path), Cell::or_null(file.bytes, Cell::count), Cell::or_null(file.id.as_ref(), Cell::text)]
}

fn with_capture(file: &CaptureFile, columns: Row) -> Row {
    let mut row = capture_columns(file);
    row.extend(columns);
    row
}

fn capture(file: &CaptureFile, report: Report<'_>) -> Row {
    let analysis = report.analysis;
    let CaptureSummary { format, packets, bytes, first_ts, last_ts, link_types, diagnostics, non_ip_packets } =
        &analysis.capture;
    let viewpoint = &report.verdicts.viewpoint;
    let diagnostics = diagnostics
        .iter()
        .map(|d| {
            Cell::Struct(vec![
                Cell::text(d.kind.as_str()),
                Cell::count(d.count),
                Cell::count(d.first_packet),
                Cell::text(&d.message),
            ])
        })
        .collect();
    with_capture(
        file,
        vec![
            Cell::Null,
            Cell::text(format),
            Cell::count(*packets),
            Cell::count(*bytes),
            Cell::or_null(*first_ts, Cell::time),
            Cell::or_null(*last_ts, Cell::time),
            Cell::texts(link_types),
            Cell::List(diagnostics),
            Cell::count(*non_ip_packets),
            Cell::or_null(viewpoint.home, Cell::text),
            Cell::texts(&viewpoint.watch),
            Cell::or_null(analysis.geo_table_date.as_ref(), Cell::text),
            Cell::count(analysis.flows.len() as u64),
            Cell::count(analysis.devices.len() as u64),
            Cell::count(analysis.destinations.len() as u64),
        ],
    )
}

fn device(device: &Device) -> Row {
    let names = device.names_by_source.sources().map(|(_, names)| Cell::texts(names));
    let scan = device.scan.map(|scan| {
        Cell::Struct(vec![
            Cell::count(scan.addresses),
            Cell::count(scan.ports),
            Cell::count(scan.answered),
            Cell::count(scan.attempts),
            Cell::count(scan.packets),
            Cell::count(scan.bytes),
            Cell::time(scan.first_ts),
            Cell::time(scan.last_ts),
        ])
    });
    vec![
        Cell::text(&device.id),
        Cell::or_null(device.mac, Cell::text),
        Cell::texts(&device.ips),
        Cell::or_null(device.name.as_ref(), Cell::text),
        Cell::Struct(names.into()),
        Cell::texts(&device.destinations),
        Cell::Bool(device.gateway),
        Cell::or_null(device.vendor.as_ref(), Cell::text),
        Cell::Bool(device.randomized_mac),
        scan.unwrap_or(Cell::Null),
    ]
}

fn device_destination(device: &Device, traffic: &Traffic) -> Row {
    vec![
        Cell::text(&device.id),
        Cell::text(traffic.ip),
        counters(traffic.sent),
        counters(traffic.received),
        Cell::count(traffic.flows),
        Cell::texts(&traffic.services),
        Cell::time(traffic.first_ts),
        Cell::time(traffic.last_ts),
    ]
}

fn destination(d: &Destination, verdict: Verdict) -> Row {
    let by = &d.names_by_source;
    let periodic = d
        .periodic
        .map(|p| Cell::Struct(vec![Cell::Float(p.interval_s), Cell::Float(p.jitter_s), Cell::count(p.beats)]));
    let party = d.party.as_ref().map(|p| {
        Cell::Struct(vec![
            Cell::text(p.kind.as_str()),
            Cell::or_null(p.owner.as_ref(), Cell::text),
            Cell::text(&p.basis),
        ])
    });
    vec![
        Cell::text(d.ip),
        Cell::text(d.scope.as_str()),
        Cell::texts(&d.names),
        Cell::or_null(d.asn, |asn| Cell::Int(asn.into())),
        Cell::or_null(d.as_org.as_ref(), Cell::text),
        Cell::or_null(d.country, Cell::text),
        Cell::Bool(verdict.foreign),
        Cell::Bool(verdict.watched),
        Cell::texts(&d.devices),
        Cell::count(d.packets),
        Cell::count(d.bytes),
        Cell::count(d.flows),
        Cell::time(d.first_ts),
        Cell::time(d.last_ts),
        counters(d.sent),
        counters(d.received),
        Cell::texts(&d.services),
        periodic.unwrap_or(Cell::Null),
        Cell::Struct(vec![Cell::texts(&by.dns), Cell::texts(&by.sni), Cell::texts(&by.quic), Cell::texts(&by.http)]),
        Cell::or_null(d.no_dns, Cell::Bool),
        Cell::Bool(d.anycast),
        Cell::texts(concerns(d, verdict).iter().map(serde_name)),
        party.unwrap_or(Cell::Null),
    ]
}

fn flow(flow: &Flow) -> Row {
    vec![
        Cell::text(flow.proto),
        endpoint(flow.client),
        endpoint(flow.server),
        counters(flow.c2s),
        counters(flow.s2c),
        Cell::time(flow.first_ts),
        Cell::time(flow.last_ts),
        Cell::or_null(flow.name.as_ref(), Cell::text),
        Cell::or_null(flow.name_source, |source| Cell::text(source.as_str())),
        Cell::texts(flow.tcp_flags.names()),
    ]
}

fn counters(counters: Counters) -> Cell {
    Cell::Struct(vec![Cell::count(counters.packets), Cell::count(counters.bytes)])
}

fn endpoint(endpoint: Endpoint) -> Cell {
    Cell::Struct(vec![Cell::text(endpoint.ip), Cell::or_null(endpoint.port, |port| Cell::Int(port.into()))])
}

/// A value's name in the JSON contract (its serde name), for the few enums whose only text
/// form is that one.
fn serde_name(value: &impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

#[cfg(all(test, feature = "embedded-geo"))]
mod tests {
    use super::*;
    use crate::report::verdict::{judge, Viewpoint};
    use crate::tables::schema::Column;

    fn file() -> CaptureFile {
        CaptureFile { path: "a.pcap".into(), bytes: Some(10), id: Some("0123456789abcdef".into()) }
    }

    fn check_kinds(rows: &TableRows) {
        for table in Table::ALL {
            let columns: &[Column] = table.columns();
            for row in rows.of(table) {
                assert_eq!(row.len(), columns.len(), "{table:?}");
                for (cell, column) in row.iter().zip(columns) {
                    assert!(cell.fits(&column.kind), "{table:?}.{}: {cell:?}", column.name);
                }
            }
        }
    }

    #[test]
    fn a_real_capture_gives_rows_of_every_table_that_fit_the_columns() {
        let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/captures/zeek__wikipedia.pcap")).unwrap();
        let analysis = crate::report::analysis_of_test_capture(&bytes);
        let home = crate::country::CountryCode::new("DE");
        let verdicts = judge(&analysis, Viewpoint { home, watch: vec![] });
        let rows = capture_rows(&file(), Ok(Report::new(&analysis, &verdicts)));
        check_kinds(&rows);
        assert_eq!(rows.of(Table::Captures).len(), 1);
        assert_eq!(rows.of(Table::Flows).len(), analysis.flows.len());
        assert_eq!(rows.of(Table::Destinations).len(), analysis.destinations.len());
        let traffic: usize = analysis.devices.iter().map(|d| d.traffic.len()).sum();
        assert_eq!(rows.of(Table::DeviceDestinations).len(), traffic);
        let capture = &rows.of(Table::Captures)[0];
        assert_eq!(capture[..4], [Cell::text("a.pcap"), Cell::Int(10), Cell::text("0123456789abcdef"), Cell::Null]);
        let foreign = rows.of(Table::Destinations).iter().filter(|row| row[9] == Cell::Bool(true)).count();
        assert_eq!(foreign, verdicts.foreign());
    }

    #[test]
    fn an_unreadable_capture_is_one_row_with_its_error() {
        let rows = capture_rows(&file(), Err("not a capture"));
        check_kinds(&rows);
        assert_eq!(rows.of(Table::Captures)[0][3], Cell::text("not a capture"));
        assert!(Table::ALL[1..].iter().all(|t| rows.of(*t).is_empty()));
    }
}
