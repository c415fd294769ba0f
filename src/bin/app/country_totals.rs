//! Bytes and destinations per country, for the summary chart. Only public addresses count:
//! local and special-purpose addresses belong to no country.

use phonehome::Report;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub struct CountryTotal {
    /// ISO code; `None` for public addresses the table has no country for.
    pub country: Option<String>,
    pub destinations: u64,
    pub bytes: u64,
    pub foreign: bool,
    pub watched: bool,
}

/// Countries by bytes, largest first (ties by code).
pub fn by_country(report: &Report) -> Vec<CountryTotal> {
    let mut totals: HashMap<Option<&str>, CountryTotal> = HashMap::new();
    for d in report.destinations.iter().filter(|d| d.scope == "public") {
        let total = totals.entry(d.country.as_deref()).or_insert_with(|| CountryTotal {
            country: d.country.clone(),
            destinations: 0,
            bytes: 0,
            foreign: false,
            watched: false,
        });
        total.destinations += 1;
        total.bytes = total.bytes.saturating_add(d.bytes);
        total.foreign |= d.foreign;
        total.watched |= d.watched;
    }
    let mut list: Vec<CountryTotal> = totals.into_values().collect();
    list.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.country.cmp(&b.country)));
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{destination, report};

    #[test]
    fn public_destinations_are_summed_by_country() {
        let mut r = report(vec![
            destination("180.76.76.76", "public", Some("CN")),
            destination("52.1.1.1", "public", Some("US")),
            destination("52.1.1.2", "public", Some("US")),
            destination("8.8.4.4", "public", None),
            destination("192.168.1.1", "private", Some("NL")),
        ]);
        for (d, bytes) in r.destinations.iter_mut().zip([500, 100, 150, 7, 9999]) {
            d.bytes = bytes;
        }
        r.destinations[0].foreign = true;
        let totals = by_country(&r);
        let got: Vec<_> = totals.iter().map(|t| (t.country.as_deref(), t.destinations, t.bytes, t.foreign)).collect();
        assert_eq!(got, [(Some("CN"), 1, 500, true), (Some("US"), 2, 250, false), (None, 1, 7, false)]);
    }
}
