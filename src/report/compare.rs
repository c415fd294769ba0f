//! What is new since an earlier capture or report: a destination is new when neither its
//! address nor any of its names appears among the earlier one's destinations. What the
//! earlier one met comes from its analysis (a capture) or from a `phonehome.report/1` file
//! ([`super::json::known_from_json`]); reading either is the caller's (the CLI's, the
//! worker's), and here only the sets are compared, so the CLI and the page mark the same
//! destinations.

use foldhash::HashSet;

use super::model::{Address, Analysis, Destination};

/// What an earlier analysis had met: its destinations' addresses and names, and when its
/// capture started (for "new since 2 November").
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Known {
    addresses: HashSet<Address>,
    /// Lower case: names are host names, and DNS compares them without case.
    names: HashSet<String>,
    /// The earlier capture's first packet, Unix seconds.
    pub since: Option<f64>,
}

impl Known {
    /// What `earlier` had met.
    pub fn of(earlier: &Analysis) -> Known {
        let mut known = Known { since: earlier.capture.first_ts, ..Known::default() };
        for d in &earlier.destinations {
            known.add(d.ip, names(d));
        }
        known
    }

    /// Adds a destination met: its address and names.
    pub fn add<'a>(&mut self, ip: Address, names: impl Iterator<Item = &'a str>) {
        self.addresses.insert(ip);
        self.names.extend(names.map(str::to_ascii_lowercase));
    }

    /// Whether `destination` appears among what was met: its address or one of its names.
    pub fn knows(&self, destination: &Destination) -> bool {
        self.addresses.contains(&destination.ip)
            || names(destination).any(|n| self.names.contains(&n.to_ascii_lowercase()))
    }
}

/// Every name a destination has: its names, and those by source (listed apart, so a capped
/// list does not hide one).
fn names(d: &Destination) -> impl Iterator<Item = &str> {
    let by = &d.names_by_source;
    d.names.iter().chain(&by.dns).chain(&by.sni).chain(&by.quic).chain(&by.http).map(String::as_str)
}

/// Sets every destination's `new` against `known`; returns the indexes of the new ones.
pub fn mark_new(analysis: &mut Analysis, known: &Known) -> Vec<usize> {
    let mut new = Vec::new();
    for (i, d) in analysis.destinations.iter_mut().enumerate() {
        let is_new = !known.knows(d);
        d.new = Some(is_new);
        if is_new {
            new.push(i);
        }
    }
    new
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{analysis, destination};

    #[test]
    fn new_means_neither_the_address_nor_any_name_was_met() {
        let mut old = analysis(vec![destination("52.1.1.1", Some("US")), destination("20.0.0.9", None)]);
        old.destinations[1].names = vec!["api.vendor.example".into()];
        old.destinations[1].names_by_source.sni = vec!["Fw.Vendor.example".into()];
        old.capture.first_ts = Some(1_793_620_800.0);
        let known = Known::of(&old);
        assert_eq!(known.since, Some(1_793_620_800.0));

        let mut now = analysis(vec![
            destination("52.1.1.1", Some("US")),     // same address
            destination("20.0.0.10", None),          // moved, same name
            destination("20.0.0.11", None),          // moved, a name met only in SNI, other case
            destination("180.76.76.76", Some("CN")), // never met
            destination("20.0.0.12", None),          // a new name
        ]);
        now.destinations[1].names = vec!["api.vendor.example".into()];
        now.destinations[2].names = vec!["other.example".into(), "fw.vendor.example".into()];
        now.destinations[4].names = vec!["new.vendor.example".into()];
        assert_eq!(mark_new(&mut now, &known), [3, 4]);
        let marks: Vec<Option<bool>> = now.destinations.iter().map(|d| d.new).collect();
        assert_eq!(marks, [Some(false), Some(false), Some(false), Some(true), Some(true)]);

        // Compared with nothing met, everything is new.
        let mut again = now.clone();
        assert_eq!(mark_new(&mut again, &Known::default()).len(), 5);
    }
}
