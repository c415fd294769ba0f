//! Filtering and sorting the destinations table: which destinations, in which order.
//!
//! Works on indexes into the analysis's destinations, so a 50,000-row table is re-sorted
//! without copying any destination.

use crate::shown::NewSince;
use phonehome::country::CountryCode;
use phonehome::report::model::Destination;
use phonehome::report::verdict::Verdict;
use phonehome::{Analysis, Report};
use std::cmp::Ordering;
use std::collections::HashMap;
use std::net::IpAddr;

/// The table's columns, each sortable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Column {
    Mark,
    Name,
    Address,
    Network,
    Party,
    Country,
    Devices,
    Sent,
    Received,
    Packets,
    Flows,
    Services,
    FirstSeen,
    LastSeen,
}

impl Column {
    pub const ALL: [Column; 14] = [
        Column::Mark,
        Column::Name,
        Column::Address,
        Column::Network,
        Column::Party,
        Column::Country,
        Column::Devices,
        Column::Sent,
        Column::Received,
        Column::Packets,
        Column::Flows,
        Column::Services,
        Column::FirstSeen,
        Column::LastSeen,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Column::Mark => "Flag",
            Column::Name => "Name",
            Column::Address => "IP address",
            Column::Network => "Network (AS)",
            Column::Party => "Whose",
            Column::Country => "Country",
            Column::Devices => "Devices",
            Column::Sent => "Sent",
            Column::Received => "Received",
            Column::Packets => "Packets",
            Column::Flows => "Flows",
            Column::Services => "Services",
            Column::FirstSeen => "First seen",
            Column::LastSeen => "Last seen",
        }
    }

    /// Quantities read best largest first; text reads best from A.
    pub fn descending_first(self) -> bool {
        matches!(self, Column::Mark | Column::Sent | Column::Received | Column::Packets | Column::Flows)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    pub column: Column,
    pub descending: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Sort { column: Column::Mark, descending: true }
    }
}

impl Sort {
    /// The sort after clicking a column header: the same column flips, another starts in its
    /// natural direction.
    pub fn clicked(self, column: Column) -> Sort {
        if self.column == column {
            Sort { column, descending: !self.descending }
        } else {
            Sort { column, descending: column.descending_first() }
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Case-insensitive text found in a name, address, network, service, or a device's id,
    /// label or maker.
    pub text: String,
    pub country: Option<CountryCode>,
    /// Device id.
    pub device: Option<String>,
    /// Only destinations outside the home country or in a watched country.
    pub flagged_only: bool,
    /// Only destinations with traffic in these time bins (first and last) of the timelines.
    pub period: Option<(u32, u32)>,
    /// Only destinations new since the earlier capture compared with.
    pub new_only: bool,
}

/// How flagged a destination is: watched above foreign above neither.
pub fn mark_rank(verdict: Verdict) -> u8 {
    u8::from(verdict.watched) * 2 + u8::from(verdict.foreign)
}

/// "AS4134 Chinanet", or whichever half is known.
pub fn network(d: &Destination) -> String {
    match (d.asn, &d.as_org) {
        (Some(asn), Some(org)) => format!("AS{asn} {org}"),
        (Some(asn), None) => format!("AS{asn}"),
        (None, Some(org)) => org.clone(),
        (None, None) => String::new(),
    }
}

/// Each destination's searchable text, lower case, built once per report so typing in the
/// filter box only does substring searches.
pub struct SearchIndex(Vec<String>);

impl SearchIndex {
    /// `labels` maps device ids to the names the page shows for them.
    pub fn new(analysis: &Analysis, labels: &HashMap<String, String>) -> Self {
        // "espressif" finds what the devices Espressif made talked to.
        let makers: HashMap<&str, &str> =
            analysis.devices.iter().filter_map(|d| Some((d.id.as_str(), d.vendor.as_deref()?))).collect();
        let text = |d: &Destination| {
            let ip = d.ip.to_string();
            let mut parts: Vec<&str> = vec![&ip];
            parts.extend(d.names.iter().map(String::as_str));
            let net = network(d);
            parts.push(&net);
            let services: Vec<String> = d.services.iter().map(ToString::to_string).collect();
            parts.extend(services.iter().map(String::as_str));
            parts.extend(d.country.as_ref().map(CountryCode::as_str));
            for id in &d.devices {
                parts.push(id);
                parts.extend(labels.get(id).map(String::as_str));
                parts.extend(makers.get(id.as_str()));
            }
            // A separator no one types keeps a search from matching across two fields.
            parts.join("\u{1}").to_lowercase()
        };
        SearchIndex(analysis.destinations.iter().map(text).collect())
    }
}

fn matches((d, verdict): (&Destination, Verdict), new: bool, text: &str, filter: &Filter, needle: &str) -> bool {
    if filter.flagged_only && !verdict.flagged() || filter.new_only && !new {
        return false;
    }
    if filter.country.is_some() && d.country != filter.country {
        return false;
    }
    if let Some((from, to)) = filter.period {
        if !d.timeline.as_ref().is_some_and(|t| t.active_between(from, to)) {
            return false;
        }
    }
    if let Some(device) = &filter.device {
        if !d.devices.contains(device) {
            return false;
        }
    }
    needle.is_empty() || text.contains(needle)
}

/// What a row is sorted by. Text keys start with "is empty" so rows without the value come
/// last when sorting from A.
#[derive(Debug, PartialEq, PartialOrd)]
enum SortKey {
    Text(bool, String),
    Number(u64, u64),
    Time(f64),
    Address(Option<IpAddr>),
}

fn sort_key(column: Column, (d, verdict): (&Destination, Verdict), labels: &HashMap<String, String>) -> SortKey {
    let text = |s: String| SortKey::Text(s.is_empty(), s.to_lowercase());
    match column {
        Column::Mark => SortKey::Number(u64::from(mark_rank(verdict)), d.bytes),
        Column::Name => text(d.names.first().cloned().unwrap_or_default()),
        Column::Address => SortKey::Address(d.ip.ip()),
        Column::Network => text(match (&d.as_org, d.asn) {
            (Some(org), Some(asn)) => format!("{org} {asn:010}"),
            (Some(org), None) => org.clone(),
            (None, Some(asn)) => format!("{asn:010}"),
            (None, None) => String::new(),
        }),
        // Grouped by kind (first, support, third, unknown), then by owner.
        Column::Party => text(match &d.party {
            Some(p) => format!("{} {}", p.kind.as_str(), p.owner.as_deref().unwrap_or_default()),
            None => String::new(),
        }),
        Column::Country => text(d.country.map(|c| c.to_string()).unwrap_or_default()),
        Column::Devices => {
            let mut names: Vec<&str> =
                d.devices.iter().map(|id| labels.get(id).map_or(id.as_str(), String::as_str)).collect();
            names.sort_unstable();
            text(names.join(", "))
        }
        Column::Sent => SortKey::Number(d.sent.bytes, 0),
        Column::Received => SortKey::Number(d.received.bytes, 0),
        Column::Packets => SortKey::Number(d.packets, 0),
        Column::Flows => SortKey::Number(d.flows, 0),
        Column::Services => text(d.services.iter().map(ToString::to_string).collect::<Vec<_>>().join(",")),
        Column::FirstSeen => SortKey::Time(d.first_ts),
        Column::LastSeen => SortKey::Time(d.last_ts),
    }
}

/// The destinations to show, in order, as indexes into the analysis's destinations.
/// `labels` maps device ids to the names the page shows for them (used for sorting); `new`
/// marks what is new since an earlier capture, once compared.
pub fn select(
    report: Report<'_>,
    new: Option<&NewSince>,
    labels: &HashMap<String, String>,
    index: &SearchIndex,
    filter: &Filter,
    sort: Sort,
) -> Vec<usize> {
    let needle = filter.text.trim().to_lowercase();
    let all = &report.analysis.destinations;
    let judged = |i: usize| (&all[i], report.verdicts.of(i));
    let rows: Vec<usize> = (0..all.len())
        .filter(|&i| {
            let is_new = new.is_some_and(|n| n.is_new(i));
            matches(judged(i), is_new, index.0.get(i).map_or("", String::as_str), filter, &needle)
        })
        .collect();
    let keys: Vec<SortKey> = rows.iter().map(|&i| sort_key(sort.column, judged(i), labels)).collect();
    // One sort over precomputed keys: each key is built once per row, not once per
    // comparison, and the page's wasm holds one sort routine instead of one per column.
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|&a, &b| keys[a].partial_cmp(&keys[b]).unwrap_or(Ordering::Equal));
    let mut sorted: Vec<usize> = order.into_iter().map(|k| rows[k]).collect();
    if sort.descending {
        sorted.reverse();
    }
    sorted
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{analysis, code, destination, device, seen};
    use crate::shown::ReportRef;

    /// Home in the US, watching Switzerland: Baidu is foreign, Quad9 foreign and watched.
    fn sample() -> ReportRef {
        let mut r = analysis(vec![
            destination("52.1.1.1", Some("US")),
            destination("180.76.76.76", Some("CN")),
            destination("9.9.9.9", Some("CH")),
            destination("10.0.0.1", None),
        ]);
        let d = &mut r.destinations;
        d[0].names = vec!["api.Vendor.com".into()];
        d[0].devices = vec!["aa".into()];
        d[0].sent.bytes = 10;
        d[0].bytes = 100;
        d[0].first_ts = 3.0;
        d[1].asn = Some(38365);
        d[1].as_org = Some("Beijing Baidu Netcom".into());
        d[1].devices = vec!["aa".into(), "bb".into()];
        d[1].sent.bytes = 30;
        d[1].bytes = 50;
        d[1].first_ts = 1.0;
        d[2].devices = vec!["bb".into()];
        d[2].sent.bytes = 20;
        d[2].services = vec!["udp/53".parse().unwrap()];
        d[2].first_ts = 2.0;
        d[3].devices = vec!["bb".into()];
        d[3].first_ts = 4.0;
        r.devices = vec![device("aa", &[], &[]), device("bb", &[], &[])];
        r.devices[0].vendor = Some("Espressif Inc.".into());
        r.devices[1].randomized_mac = true;
        seen(r, Some("US"), &["CH"])
    }

    fn labels() -> HashMap<String, String> {
        [("aa".to_string(), "doorbell".to_string()), ("bb".to_string(), "tv".to_string())].into()
    }

    fn check(filter: Filter, sort: Sort, expected: &[usize]) {
        let (report, labels) = (sample(), labels());
        let index = SearchIndex::new(&report.analysis, &labels);
        // Destinations 1 and 3 are new since an earlier capture.
        let new = NewSince::new(&[1, 3], 4, None);
        assert_eq!(select(report.view(), Some(&new), &labels, &index, &filter, sort), expected, "{filter:?} {sort:?}");
    }

    #[test]
    fn filters_combine() {
        let by_ip = Sort { column: Column::Address, descending: false };
        check(Filter::default(), by_ip, &[2, 3, 0, 1]);
        check(Filter { flagged_only: true, ..Filter::default() }, by_ip, &[2, 1]);
        check(Filter { country: Some(code("CN")), ..Filter::default() }, by_ip, &[1]);
        check(Filter { device: Some("aa".into()), ..Filter::default() }, by_ip, &[0, 1]);
        check(Filter { device: Some("bb".into()), flagged_only: true, ..Filter::default() }, by_ip, &[2, 1]);
        check(Filter { new_only: true, ..Filter::default() }, by_ip, &[3, 1]);
        check(Filter { new_only: true, flagged_only: true, ..Filter::default() }, by_ip, &[1]);
        for (text, expected) in [
            ("VENDOR", &[0][..]),
            ("baidu", &[1]),
            ("as38365", &[1]),
            ("udp/53", &[2]),
            ("doorbell", &[0, 1]),
            ("espressif", &[0, 1]),
            ("ch", &[2]),
            ("  ", &[2, 3, 0, 1]),
            ("nothing-like-this", &[]),
        ] {
            check(Filter { text: text.into(), ..Filter::default() }, by_ip, expected);
        }
    }

    #[test]
    fn every_column_sorts() {
        let cases = [
            (Column::Mark, vec![2, 1, 0, 3]),
            (Column::Name, vec![0, 1, 2, 3]),
            (Column::Address, vec![2, 3, 0, 1]),
            (Column::Network, vec![1, 0, 2, 3]),
            (Column::Country, vec![2, 1, 0, 3]),
            (Column::Devices, vec![0, 1, 2, 3]),
            (Column::Sent, vec![1, 2, 0, 3]),
            (Column::Services, vec![2, 0, 1, 3]),
            (Column::FirstSeen, vec![1, 2, 0, 3]),
        ];
        for (column, expected) in cases {
            check(Filter::default(), Sort { column, descending: column.descending_first() }, &expected);
        }
        for column in [Column::Received, Column::Packets, Column::Flows, Column::LastSeen] {
            // Equal keys keep a stable order, reversed when descending.
            check(Filter::default(), Sort { column, descending: false }, &[0, 1, 2, 3]);
        }
    }

    #[test]
    fn clicking_a_header_flips_or_starts_naturally() {
        let sort = Sort::default().clicked(Column::Name);
        assert_eq!(sort, Sort { column: Column::Name, descending: false });
        assert_eq!(sort.clicked(Column::Name), Sort { column: Column::Name, descending: true });
        assert_eq!(sort.clicked(Column::Sent), Sort { column: Column::Sent, descending: true });
    }
}
