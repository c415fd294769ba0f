//! The `phonehome.report/1` JSON contract: an [`Analysis`] with the verdicts of one viewpoint,
//! laid out as report/1 has always been (each destination's `foreign` and `watched` after its
//! `country`; the home country and watch list after the capture).
//!
//! Other tools (scripts, the page's download, later runs that compare with an old report)
//! depend on these field names: add fields, never rename or remove them without bumping
//! [`SCHEMA`]. Reading accepts any report/1 file, from this version or an earlier one.

use serde::ser::{SerializeStruct, Serializer};
use serde::{Deserialize, Serialize};

use super::compare::Known;
use super::model::{
    Address, Analysis, CaptureSummary, Destination, Device, DeviceNamesBySource, Flow, NamesBySource, SCHEMA,
};
use super::verdict::{concerns, Verdict, Viewpoint};
use super::Report;
use crate::country::CountryCode;
use layout::Layout;

mod layout;

/// The report as `phonehome analyze --format json` prints it; the page's JSON export uses the
/// same function, so both give the same bytes for the same capture and countries.
pub fn to_json(report: Report<'_>) -> String {
    let mut out = Vec::new();
    // Writing plain data (strings, numbers, finite floats) into memory cannot fail, and
    // serde_json writes UTF-8.
    let _ = write_json(report, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// [`to_json`] written into `out` as it is made: a big capture's report (hundreds of
/// megabytes of text) is never held whole in memory.
pub fn write_json(report: Report<'_>, out: impl std::io::Write) -> std::io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, Layout::default());
    ReportFile(report).serialize(&mut serializer).map_err(std::io::Error::from)?;
    serializer.into_inner().write_all(b"\n")
}

/// Reads a report/1 file back into the analysis it holds and the viewpoint it was written
/// for. Its `foreign` and `watched` flags are not read:
/// [`super::verdict::judge`] gives them again.
pub fn from_json(text: &str) -> Result<(Analysis, Viewpoint), String> {
    #[derive(Deserialize)]
    struct Read {
        schema: String,
        capture: CaptureSummary,
        home_country: Option<CountryCode>,
        watch: Vec<CountryCode>,
        flows: Vec<Flow>,
        devices: Vec<Device>,
        destinations: Vec<Destination>,
        #[serde(default)]
        geo_table_date: Option<String>,
    }
    let read: Read = serde_json::from_str(text).map_err(|e| format!("not a phonehome report ({e})"))?;
    if read.schema != SCHEMA {
        return Err(format!("a report of schema '{}', this version reads '{SCHEMA}'", read.schema));
    }
    let mut destinations = read.destinations;
    // The viewer's concerns are the verdicts' to give again.
    for d in &mut destinations {
        d.concerns.retain(|c| !c.of_the_viewer());
    }
    let analysis = Analysis {
        capture: read.capture,
        flows: read.flows,
        devices: read.devices,
        destinations,
        geo_table_date: read.geo_table_date,
    };
    Ok((analysis, Viewpoint { home: read.home_country, watch: read.watch }))
}

/// What an earlier report met, for comparing with it ([`super::compare`]): its destinations'
/// addresses and names and when its capture started. Only those fields are read (the page's
/// worker carries this reader, and one of the whole model would weigh tens of kilobytes
/// there); the schema is checked as [`from_json`] checks it.
pub fn known_from_json(text: &str) -> Result<Known, String> {
    #[derive(Deserialize)]
    struct Read {
        schema: String,
        capture: Capture,
        destinations: Vec<Met>,
    }
    #[derive(Deserialize)]
    struct Capture {
        first_ts: Option<f64>,
    }
    #[derive(Deserialize)]
    struct Met {
        ip: Address,
        names: Vec<String>,
        #[serde(default)]
        names_by_source: NamesBySource,
    }
    let read: Read = serde_json::from_str(text).map_err(|e| format!("not a phonehome report ({e})"))?;
    if read.schema != SCHEMA {
        return Err(format!("a report of schema '{}', this version reads '{SCHEMA}'", read.schema));
    }
    let mut known = Known::default();
    known.since = read.capture.first_ts;
    for d in &read.destinations {
        let by = &d.names_by_source;
        let names = d.names.iter().chain(&by.dns).chain(&by.sni).chain(&by.quic).chain(&by.http);
        known.add(d.ip, names.map(String::as_str));
    }
    Ok(known)
}

struct ReportFile<'a>(Report<'a>);

impl Serialize for ReportFile<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Report { analysis, verdicts } = self.0;
        let mut out = serializer.serialize_struct("Report", 8)?;
        out.serialize_field("schema", SCHEMA)?;
        out.serialize_field("capture", &analysis.capture)?;
        out.serialize_field("home_country", &verdicts.viewpoint.home)?;
        out.serialize_field("watch", &verdicts.viewpoint.watch)?;
        out.serialize_field("flows", &analysis.flows)?;
        out.serialize_field("devices", &Devices(&analysis.devices))?;
        out.serialize_field("destinations", &Destinations(self.0))?;
        out.serialize_field("geo_table_date", &analysis.geo_table_date)?;
        out.end()
    }
}

struct Destinations<'a>(Report<'a>);

impl Serialize for Destinations<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.destinations().map(|(d, verdict)| Judged(d, verdict)))
    }
}

/// The sources that named a destination, and only those.
struct Named<'a>(&'a NamesBySource);

impl Serialize for Named<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let by = self.0;
        let sources = [("dns", &by.dns), ("sni", &by.sni), ("quic", &by.quic), ("http", &by.http)];
        serializer.collect_map(sources.into_iter().filter(|(_, names)| !names.is_empty()))
    }
}

struct Devices<'a>(&'a [Device]);

impl Serialize for Devices<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(Listed))
    }
}

/// A device with only the sources that named it in its `names_by_source`.
struct Listed<'a>(&'a Device);

impl Serialize for Listed<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let d = self.0;
        let mut out = serializer.serialize_struct("Device", 12)?;
        out.serialize_field("id", &d.id)?;
        out.serialize_field("mac", &d.mac)?;
        out.serialize_field("ips", &d.ips)?;
        out.serialize_field("name", &d.name)?;
        out.serialize_field("names_by_source", &NamedDevice(&d.names_by_source))?;
        out.serialize_field("destinations", &d.destinations)?;
        out.serialize_field("gateway", &d.gateway)?;
        out.serialize_field("vendor", &d.vendor)?;
        out.serialize_field("randomized_mac", &d.randomized_mac)?;
        out.serialize_field("traffic", &d.traffic)?;
        out.serialize_field("scan", &d.scan)?;
        out.serialize_field("timeline", &d.timeline)?;
        out.serialize_field("protection", &d.protection)?;
        out.end()
    }
}

/// The sources that named a device, and only those.
struct NamedDevice<'a>(&'a DeviceNamesBySource);

impl Serialize for NamedDevice<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.sources().into_iter().filter(|(_, names)| !names.is_empty()))
    }
}

/// A destination with its verdict in the middle, where report/1 has it.
struct Judged<'a>(&'a Destination, Verdict);

impl Serialize for Judged<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let Judged(d, verdict) = self;
        let mut out = serializer.serialize_struct("Destination", 24)?;
        out.serialize_field("ip", &d.ip)?;
        out.serialize_field("scope", &d.scope)?;
        out.serialize_field("names", &d.names)?;
        out.serialize_field("asn", &d.asn)?;
        out.serialize_field("as_org", &d.as_org)?;
        out.serialize_field("country", &d.country)?;
        out.serialize_field("foreign", &verdict.foreign)?;
        out.serialize_field("watched", &verdict.watched)?;
        out.serialize_field("devices", &d.devices)?;
        out.serialize_field("packets", &d.packets)?;
        out.serialize_field("bytes", &d.bytes)?;
        out.serialize_field("flows", &d.flows)?;
        out.serialize_field("first_ts", &d.first_ts)?;
        out.serialize_field("last_ts", &d.last_ts)?;
        out.serialize_field("sent", &d.sent)?;
        out.serialize_field("received", &d.received)?;
        out.serialize_field("services", &d.services)?;
        out.serialize_field("periodic", &d.periodic)?;
        out.serialize_field("names_by_source", &Named(&d.names_by_source))?;
        out.serialize_field("no_dns", &d.no_dns)?;
        out.serialize_field("anycast", &d.anycast)?;
        out.serialize_field("concerns", &concerns(d, *verdict))?;
        out.serialize_field("party", &d.party)?;
        out.serialize_field("timeline", &d.timeline)?;
        // Only a report compared with an earlier one (`--since`) says what is new.
        if let Some(new) = d.new {
            out.serialize_field("new", &new)?;
        }
        out.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::report::fixtures::{analysis, device};
    use crate::report::verdict::judge;

    #[test]
    fn a_device_lists_only_the_sources_that_named_it_and_reads_back() {
        let mut a = analysis(vec![]);
        let mut d = device("3c:22:fb:01:02:03");
        d.name = Some("Living Room TV".into());
        d.names_by_source.mdns = vec!["Living Room TV".into(), "Chromecast Ultra".into()];
        d.names_by_source.dhcp_vendor_class = vec!["udhcp 1.19.4".into()];
        a.devices.push(d);
        let verdicts = judge(&a, Viewpoint { home: None, watch: vec![] });
        let text = to_json(Report::new(&a, &verdicts));
        let value: serde_json::Value = serde_json::from_str(&text).unwrap();
        let listed = &value["devices"][0]["names_by_source"];
        let keys: Vec<&String> = listed.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["dhcp_vendor_class", "mdns"]);
        assert_eq!(listed["mdns"][1], "Chromecast Ultra");
        let (read, _) = from_json(&text).unwrap();
        assert_eq!(read.devices, a.devices);
    }

    #[test]
    fn an_earlier_report_gives_what_its_analysis_met() {
        let mut a = analysis(vec![crate::report::fixtures::destination("20.0.0.1", Some("US"))]);
        a.destinations[0].names = vec!["a.example".into()];
        a.destinations[0].names_by_source.quic = vec!["q.example".into()];
        a.capture.first_ts = Some(1_793_620_800.5);
        let text = to_json(Report::new(&a, &judge(&a, Viewpoint::default())));
        assert_eq!(known_from_json(&text), Ok(Known::of(&a)));
        assert!(known_from_json("{}").unwrap_err().starts_with("not a phonehome report"));
        let other = text.replace(SCHEMA, "phonehome.report/2");
        assert!(known_from_json(&other).unwrap_err().contains("schema 'phonehome.report/2'"));
    }
}
