//! Bytes and destinations per country, for the summary chart. Only public addresses count:
//! local and special-purpose addresses belong to no country.

use phonehome::country::CountryCode;
use phonehome::scope::Scope;
use phonehome::Report;
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq)]
pub struct CountryTotal {
    /// `None` for public addresses the table has no country for.
    pub country: Option<CountryCode>,
    pub destinations: u64,
    pub bytes: u64,
    pub foreign: bool,
    pub watched: bool,
}

/// Countries by bytes, largest first (ties by code).
pub fn by_country(report: Report<'_>) -> Vec<CountryTotal> {
    let mut totals: HashMap<Option<CountryCode>, CountryTotal> = HashMap::new();
    for (d, verdict) in report.destinations().filter(|(d, _)| d.scope == Scope::Public) {
        let total = totals.entry(d.country).or_insert_with(|| CountryTotal {
            country: d.country,
            destinations: 0,
            bytes: 0,
            foreign: false,
            watched: false,
        });
        total.destinations += 1;
        total.bytes = total.bytes.saturating_add(d.bytes);
        total.foreign |= verdict.foreign;
        total.watched |= verdict.watched;
    }
    let mut list: Vec<CountryTotal> = totals.into_values().collect();
    list.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.country.cmp(&b.country)));
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{analysis, destination, seen};

    #[test]
    fn public_destinations_are_summed_by_country() {
        let mut a = analysis(vec![
            destination("180.76.76.76", Some("CN")),
            destination("52.1.1.1", Some("US")),
            destination("52.1.1.2", Some("US")),
            destination("8.8.4.4", None),
            destination("192.168.1.1", Some("NL")),
        ]);
        for (d, bytes) in a.destinations.iter_mut().zip([500, 100, 150, 7, 9999]) {
            d.bytes = bytes;
        }
        let r = seen(a, Some("US"), &[]);
        let totals = by_country(r.view());
        let got: Vec<_> =
            totals.iter().map(|t| (t.country.map(|c| c.to_string()), t.destinations, t.bytes, t.foreign)).collect();
        let code = |c: &str| Some(c.to_string());
        assert_eq!(got, [(code("CN"), 1, 500, true), (code("US"), 2, 250, false), (None, 1, 7, false)]);
    }
}
