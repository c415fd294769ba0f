//! CSV renderings of a report: one row per destination, or one row per flow. The csv crate
//! does the quoting (names can hold commas and quotes); this is its only user.

use std::collections::HashMap;

use super::model::Concern;
use super::verdict::concerns;
use super::wording::joined;
use super::Report;

/// Destinations, one row each, most bytes first. After the destination's own columns: the
/// makers of the devices that talked to it (`; `-separated, as maker names hold commas),
/// whether no DNS lookup named it, whether it is anycast, its concerns (space-separated, as
/// the JSON names them), its names by source, and its party (kind, owner, basis).
pub fn destinations(report: Report<'_>) -> String {
    let mut out = ::csv::Writer::from_writer(Vec::new());
    let header = [
        "ip",
        "scope",
        "names",
        "asn",
        "as_org",
        "country",
        "foreign",
        "watched",
        "devices",
        "packets",
        "bytes",
        "sent_packets",
        "sent_bytes",
        "received_packets",
        "received_bytes",
        "flows",
        "first_ts",
        "last_ts",
        "services",
        "device_vendors",
        "no_dns",
        "anycast",
        "concerns",
        "names_dns",
        "names_sni",
        "names_quic",
        "names_http",
        "party",
        "party_owner",
        "party_basis",
    ];
    let _ = out.write_record(header);
    let vendor_of: HashMap<&str, &str> =
        report.analysis.devices.iter().filter_map(|d| Some((d.id.as_str(), d.vendor.as_deref()?))).collect();
    for (d, verdict) in report.destinations() {
        // The distinct makers of the devices that talked to it, in the order of `devices`.
        let mut vendors: Vec<&str> = Vec::new();
        for vendor in d.devices.iter().filter_map(|id| vendor_of.get(id.as_str())) {
            if !vendors.contains(vendor) {
                vendors.push(vendor);
            }
        }
        let row = [
            d.ip.to_string(),
            d.scope.as_str().to_string(),
            d.names.join(" "),
            d.asn.map(|a| a.to_string()).unwrap_or_default(),
            d.as_org.clone().unwrap_or_default(),
            d.country.map(|c| c.to_string()).unwrap_or_default(),
            verdict.foreign.to_string(),
            verdict.watched.to_string(),
            d.devices.join(" "),
            d.packets.to_string(),
            d.bytes.to_string(),
            d.sent.packets.to_string(),
            d.sent.bytes.to_string(),
            d.received.packets.to_string(),
            d.received.bytes.to_string(),
            d.flows.to_string(),
            format!("{:.6}", d.first_ts),
            format!("{:.6}", d.last_ts),
            joined(&d.services, " "),
            vendors.join("; "),
            d.no_dns.map(|b| b.to_string()).unwrap_or_default(),
            d.anycast.to_string(),
            concerns(d, verdict).iter().map(|c| serde_name(*c)).collect::<Vec<_>>().join(" "),
            d.names_by_source.dns.join(" "),
            d.names_by_source.sni.join(" "),
            d.names_by_source.quic.join(" "),
            d.names_by_source.http.join(" "),
            d.party.as_ref().map(|p| p.kind.as_str().to_string()).unwrap_or_default(),
            d.party.as_ref().and_then(|p| p.owner.clone()).unwrap_or_default(),
            d.party.as_ref().map(|p| p.basis.clone()).unwrap_or_default(),
        ];
        let _ = out.write_record(&row);
    }
    finish(out)
}

/// Flows, one row each, in time order.
pub fn flows(report: Report<'_>) -> String {
    let mut out = ::csv::Writer::from_writer(Vec::new());
    let header = [
        "proto",
        "client_ip",
        "client_port",
        "server_ip",
        "server_port",
        "c2s_packets",
        "c2s_bytes",
        "s2c_packets",
        "s2c_bytes",
        "first_ts",
        "last_ts",
        "name",
        "name_source",
    ];
    let _ = out.write_record(header);
    let port = |p: Option<u16>| p.map(|p| p.to_string()).unwrap_or_default();
    for f in &report.analysis.flows {
        let row = [
            f.proto.to_string(),
            f.client.ip.to_string(),
            port(f.client.port),
            f.server.ip.to_string(),
            port(f.server.port),
            f.c2s.packets.to_string(),
            f.c2s.bytes.to_string(),
            f.s2c.packets.to_string(),
            f.s2c.bytes.to_string(),
            format!("{:.6}", f.first_ts),
            format!("{:.6}", f.last_ts),
            f.name.clone().unwrap_or_default(),
            f.name_source.map(|s| s.as_str().to_string()).unwrap_or_default(),
        ];
        let _ = out.write_record(&row);
    }
    finish(out)
}

fn finish(out: ::csv::Writer<Vec<u8>>) -> String {
    // Writing to a Vec cannot fail, and every field is UTF-8.
    out.into_inner().ok().and_then(|bytes| String::from_utf8(bytes).ok()).unwrap_or_default()
}

/// A concern as the JSON contract names it (`no_dns`, `upload_only`, ...).
fn serde_name(concern: Concern) -> String {
    serde_json::to_value(concern).ok().and_then(|v| v.as_str().map(str::to_string)).unwrap_or_default()
}

#[cfg(all(test, feature = "embedded-geo"))]
mod tests {
    use super::*;

    #[test]
    fn each_destination_names_the_makers_of_its_devices() {
        let capture = include_bytes!("../../tests/captures/suricata-verify__ethernet-eve-test.pcap");
        let analysis = crate::report::analysis_of_test_capture(capture);
        let verdicts = crate::report::verdict::judge(&analysis, Default::default());
        let table = destinations(Report::new(&analysis, &verdicts));
        let mut rows = ::csv::Reader::from_reader(table.as_bytes());
        let column = rows.headers().expect("a header").iter().position(|h| h == "device_vendors").expect("column");
        let makers: HashMap<String, String> =
            rows.records().map(|r| r.expect("a row")).map(|r| (r[0].to_string(), r[column].to_string())).collect();
        assert_eq!(makers["171.11.231.39"], "ASUSTek COMPUTER INC.");
        assert_eq!(makers["10.16.1.1"], "Micro-Star INTL CO., LTD.");
        // Only the device on a randomised MAC talked to it: no maker.
        assert_eq!(makers["192.168.56.101"], "");
    }

    #[test]
    fn concerns_and_name_sources_have_columns() {
        let capture = include_bytes!("../../www/demo.pcap");
        let analysis = crate::report::analysis_of_test_capture(capture);
        let home = crate::country::CountryCode::new("US");
        let verdicts =
            crate::report::verdict::judge(&analysis, crate::report::verdict::Viewpoint { home, watch: vec![] });
        let table = destinations(Report::new(&analysis, &verdicts));
        let mut rows = ::csv::Reader::from_reader(table.as_bytes());
        let header = rows.headers().expect("a header").clone();
        let column = |name: &str| header.iter().position(|h| h == name).expect(name);
        let rows: Vec<_> = rows.records().map(|r| r.expect("a row")).collect();
        let row = |ip: &str| rows.iter().find(|r| &r[0] == ip).expect(ip);
        let doorbell = row("180.76.76.76");
        assert_eq!(&doorbell[column("concerns")], "no_dns upload_only third_party heartbeat abroad");
        assert_eq!((&doorbell[column("party")], &doorbell[column("party_owner")]), ("third", "Baidu"));
        assert!(doorbell[column("party_basis")]
            .starts_with("no name in the capture; the address is in Baidu's own network"));
        assert_eq!(&row("52.86.25.4")[column("party")], "first", "the LG TV's own cloud");
        assert_eq!(&doorbell[column("no_dns")], "true");
        assert_eq!(&row("1.1.1.1")[column("anycast")], "true");
        assert_eq!(&row("52.86.25.4")[column("names_sni")], "snu.lgtvsdp.com");
        assert_eq!(&row("192.168.1.1")[column("no_dns")], "", "only public addresses");
    }
}
