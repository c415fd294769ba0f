//! The report as files to download: the JSON contract (the same bytes as
//! `phonehome analyze --format json` for the same capture and countries) and two CSV tables.
//! The renderings are the core's; this only names the files.

use phonehome::report::{csv, json};
use phonehome::Report;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

    /// Whether this export has anything to say for `report`: a shared report carries no
    /// flows (links never do), so it has no flows table.
    pub fn available(self, report: Report<'_>) -> bool {
        self != Export::FlowsCsv || !report.analysis.flows.is_empty()
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
    fn a_report_without_flows_has_no_flows_table() {
        let r = seen(analysis(vec![destination("20.0.0.1", None)]), None, &[]);
        assert!(Export::Json.available(r.view()) && Export::DestinationsCsv.available(r.view()));
        assert!(!Export::FlowsCsv.available(r.view()));
    }
}
