//! The report as files to download: the JSON contract (the same bytes as
//! `phonehome analyze --format json` for the same capture and countries) and two CSV tables.
//! The renderings are the core's; this only names the files.

use phonehome::report::{csv, json};
use phonehome::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Export {
    Json,
    DestinationsCsv,
    FlowsCsv,
}

impl Export {
    pub const ALL: [Export; 3] = [Export::Json, Export::DestinationsCsv, Export::FlowsCsv];

    pub fn file_name(self) -> &'static str {
        match self {
            Export::Json => "phonehome-report.json",
            Export::DestinationsCsv => "phonehome-destinations.csv",
            Export::FlowsCsv => "phonehome-flows.csv",
        }
    }

    pub fn media_type(self) -> &'static str {
        match self {
            Export::Json => "application/json",
            Export::DestinationsCsv | Export::FlowsCsv => "text/csv",
        }
    }

    /// The button's words.
    pub fn label(self) -> &'static str {
        match self {
            Export::Json => "Download JSON",
            Export::DestinationsCsv => "Download destinations (CSV)",
            Export::FlowsCsv => "Download flows (CSV)",
        }
    }

    /// Whether this export has anything to say for a report of which `flows` flows are known:
    /// a shared report carries none (links never do), so it has no flows table.
    pub fn available(self, flows: u64) -> bool {
        self != Export::FlowsCsv || flows > 0
    }

    /// Whether the page can write it from what it holds: it holds no flows (the worker
    /// does), so only the destinations table, or any export of a report without flows.
    pub fn written_by_page(self, flows: u64) -> bool {
        self == Export::DestinationsCsv || flows == 0
    }

    pub fn contents(self, report: Report<'_>) -> String {
        match self {
            Export::Json => json::to_json(report),
            Export::DestinationsCsv => csv::destinations(report),
            Export::FlowsCsv => csv::flows(report),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{analysis, destination, seen};

    #[test]
    fn each_export_is_the_core_rendering_under_its_file_name() {
        let mut a = analysis(vec![destination("20.0.0.1", Some("US"))]);
        a.destinations[0].names = vec!["a.example, \"quoted\"".into()];
        let r = seen(a, Some("DE"), &[]);
        assert_eq!(Export::Json.contents(r.view()), json::to_json(r.view()));
        assert!(Export::Json.contents(r.view()).contains("\"foreign\": true"));
        assert!(Export::Json.contents(r.view()).ends_with("}\n"));
        let table = Export::DestinationsCsv.contents(r.view());
        assert!(table.starts_with("ip,scope,names,"), "{table}");
        assert!(table.contains(r#""a.example, ""quoted""""#), "quoted by the csv crate: {table}");
        let names: Vec<&str> = Export::ALL.iter().map(|e| e.file_name()).collect();
        assert_eq!(names, ["phonehome-report.json", "phonehome-destinations.csv", "phonehome-flows.csv"]);
    }

    #[test]
    fn a_report_without_flows_has_no_flows_table_and_the_page_writes_it_all() {
        assert!(Export::Json.available(0) && Export::DestinationsCsv.available(0));
        assert!(!Export::FlowsCsv.available(0) && Export::FlowsCsv.available(3));
        assert!(Export::ALL.iter().all(|e| e.written_by_page(0)));
        // With flows, which only the worker holds, only the destinations table is the page's.
        let by_page: Vec<Export> = Export::ALL.into_iter().filter(|e| e.written_by_page(3)).collect();
        assert_eq!(by_page, [Export::DestinationsCsv]);
        assert_eq!(serde_json::to_string(&Export::FlowsCsv).unwrap(), r#""flows-csv""#);
    }
}
