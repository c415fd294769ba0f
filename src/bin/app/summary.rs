//! The report's headline in plain words: how many devices talked to how many destinations,
//! how many of those are abroad or in watched countries, and the top flagged ones by name.

use crate::country;
use crate::destination_query::network;
use crate::format::plural;
use phonehome::report::model::Destination;
use phonehome::Report;

/// How many flagged destinations the headline names.
pub const TOP_FLAGGED: usize = 3;

#[derive(Debug, Clone, PartialEq)]
pub struct Headline {
    pub sentence: String,
    /// "2 are in watched countries: China, Russia.", when any are.
    pub watched: Option<String>,
    /// Indexes into `report.destinations`: the flagged destinations with the most bytes.
    pub top_flagged: Vec<usize>,
}

/// "180.76.76.76 · AS38365 Beijing Baidu Netcom · CN": what identifies a destination in one line.
pub fn one_line(d: &Destination) -> String {
    let mut parts = vec![d.ip.clone()];
    let net = network(d);
    if !net.is_empty() {
        parts.push(net);
    }
    if let Some(c) = &d.country {
        parts.push(c.clone());
    }
    parts.join(" · ")
}

/// Builds the headline; `name_of` turns a country code into its display name.
pub fn headline(report: &Report, name_of: &dyn Fn(&str) -> String) -> Headline {
    let devices = plural(report.devices.len() as u64, "device", "devices");
    // Local, multicast and broadcast addresses are part of the report, not of the headline.
    let destinations = report.destinations.iter().filter(|d| d.scope == "public").count() as u64;
    let talked = if destinations == 0 {
        format!("{devices} found, but no traffic to the Internet")
    } else {
        format!("{devices} talked to {} on the Internet", plural(destinations, "destination", "destinations"))
    };
    let verb = |n: usize| if n == 1 { "is" } else { "are" };

    let sentence = match &report.home_country {
        _ if destinations == 0 => format!("{talked}."),
        Some(home) => {
            let foreign = report.destinations.iter().filter(|d| d.foreign).count();
            let home_name = country::in_sentence(home, &name_of(home));
            match foreign {
                0 => format!("{talked}; none is outside {home_name}."),
                n => format!("{talked}; {n} {} outside {home_name}.", verb(n)),
            }
        }
        None => {
            let mut countries: Vec<&str> = report.destinations.iter().filter_map(|d| d.country.as_deref()).collect();
            countries.sort_unstable();
            countries.dedup();
            format!(
                "{talked} in {}. Choose your home country to see which are abroad.",
                plural(countries.len() as u64, "country", "countries")
            )
        }
    };

    let mut watched_countries: Vec<&str> =
        report.destinations.iter().filter(|d| d.watched).filter_map(|d| d.country.as_deref()).collect();
    let watched_count = report.destinations.iter().filter(|d| d.watched).count();
    watched_countries.sort_unstable();
    watched_countries.dedup();
    let watched = (watched_count > 0).then(|| {
        let names: Vec<String> = watched_countries.iter().map(|c| name_of(c)).collect();
        format!("{watched_count} {} in watched countries: {}.", verb(watched_count), names.join(", "))
    });

    let mut flagged: Vec<usize> = (0..report.destinations.len())
        .filter(|&i| report.destinations[i].foreign || report.destinations[i].watched)
        .collect();
    flagged.sort_by_key(|&i| (u64::MAX - report.destinations[i].bytes, report.destinations[i].ip.clone()));
    flagged.truncate(TOP_FLAGGED);

    Headline { sentence, watched, top_flagged: flagged }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{destination, device, report};

    fn names(code: &str) -> String {
        match code {
            "US" => "United States".into(),
            "CN" => "China".into(),
            "DE" => "Germany".into(),
            other => other.into(),
        }
    }

    fn sample(home: Option<&str>, watch: &[&str]) -> Report {
        let mut r = report(vec![
            destination("52.1.1.1", "public", Some("US")),
            destination("180.76.76.76", "public", Some("CN")),
            destination("180.76.76.77", "public", Some("CN")),
            destination("192.168.1.1", "private", None),
        ]);
        r.destinations[1].asn = Some(38365);
        r.destinations[1].as_org = Some("Beijing Baidu Netcom".into());
        r.destinations[1].bytes = 900;
        r.destinations[2].bytes = 100;
        for id in ["aa", "bb"] {
            r.devices.push(device(id, &[], &[]));
        }
        let watch: Vec<String> = watch.iter().map(|s| s.to_string()).collect();
        r.apply_countries(home, &watch);
        r
    }

    #[test]
    fn the_sentence_counts_destinations_abroad() {
        let h = headline(&sample(Some("US"), &[]), &names);
        assert_eq!(h.sentence, "2 devices talked to 3 destinations on the Internet; 2 are outside the United States.");
        assert_eq!(h.top_flagged, [1, 2]);
        assert_eq!(h.watched, None);
        assert_eq!(one_line(&sample(None, &[]).destinations[1]), "180.76.76.76 · AS38365 Beijing Baidu Netcom · CN");

        let h = headline(&sample(Some("CN"), &["CN"]), &names);
        assert_eq!(h.sentence, "2 devices talked to 3 destinations on the Internet; 1 is outside China.");
        assert_eq!(h.watched.as_deref(), Some("2 are in watched countries: China."));
        assert_eq!(h.top_flagged, [1, 2, 0]);

        let h = headline(&sample(Some("DE"), &[]), &names);
        assert_eq!(h.sentence, "2 devices talked to 3 destinations on the Internet; 3 are outside Germany.");
    }

    #[test]
    fn without_a_home_country_it_asks_for_one() {
        let h = headline(&sample(None, &[]), &names);
        assert_eq!(
            h.sentence,
            "2 devices talked to 3 destinations on the Internet in 2 countries. Choose your home country to see which are abroad."
        );
        assert!(h.top_flagged.is_empty());
    }

    #[test]
    fn empty_and_singular_reports_read_well() {
        let mut r = report(vec![]);
        r.home_country = Some("US".into());
        assert_eq!(headline(&r, &names).sentence, "0 devices found, but no traffic to the Internet.");
        let mut r = sample(Some("US"), &[]);
        r.destinations.truncate(1);
        r.devices.truncate(1);
        assert_eq!(
            headline(&r, &names).sentence,
            "1 device talked to 1 destination on the Internet; none is outside the United States."
        );
    }
}
