//! Blocklists made from a report, for the network's own filters: a hosts file (`0.0.0.0
//! name`, which Pi-hole, AdGuard Home and `/etc/hosts` read) and a plain address list (one
//! address a line, for a router's firewall). By default they hold the flagged destinations:
//! those whose concerns include `abroad` or `watched`, so an anycast resolver (never abroad)
//! is not blocked by accident; the page also makes them from the rows the user ticked.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::model::{Concern, Destination};
use super::verdict::concerns;
use super::Report;

/// The destinations a blocklist holds unless the user chose others: abroad or watched.
pub fn flagged<'a>(report: Report<'a>) -> impl Iterator<Item = &'a Destination> {
    report
        .destinations()
        .filter(|(d, verdict)| concerns(d, *verdict).iter().any(|c| matches!(c, Concern::Abroad | Concern::Watched)))
        .map(|(d, _)| d)
}

/// Whether `name` can stand in a hosts file: a host name's letters, digits, dots, hyphens and
/// underscores (a name from a hostile capture could hold anything else, a line break too).
fn blockable(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
}

/// "AS38365 Beijing Baidu Netcom, CN": what tells a destination without a name apart.
fn described(d: &Destination) -> String {
    let network = match (d.asn, &d.as_org) {
        (Some(asn), Some(org)) => Some(format!("AS{asn} {org}")),
        (Some(asn), None) => Some(format!("AS{asn}")),
        (None, Some(org)) => Some(org.clone()),
        (None, None) => None,
    };
    let parts: Vec<String> = network.into_iter().chain(d.country.map(|c| c.to_string())).collect();
    if parts.is_empty() {
        String::new()
    } else {
        // Comments stay on their line whatever the table's organisation names hold.
        format!(" ({})", parts.join(", ").replace(['\n', '\r'], " "))
    }
}

/// A hosts file: `0.0.0.0 NAME` for each name of each destination (each name once), and a
/// comment for each destination without a name, which only the router can block.
pub fn hosts<'a>(destinations: impl IntoIterator<Item = &'a Destination>) -> String {
    let mut lines = String::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let (mut count, mut names) = (0, 0);
    for d in destinations {
        count += 1;
        let mut any = false;
        for name in d.names.iter().map(String::as_str).filter(|n| blockable(n)) {
            any = true;
            if seen.insert(name) {
                names += 1;
                let _ = writeln!(lines, "0.0.0.0 {name}");
            }
        }
        if !any {
            let _ = writeln!(lines, "# {}{}: no name; block this address on the router", d.ip, described(d));
        }
    }
    format!("# Blocklist from phonehome: {count} destinations, {names} names (hosts format)\n{lines}")
}

/// One address a line (labels of a redacted share link are left out: they are no address).
pub fn addresses<'a>(destinations: impl IntoIterator<Item = &'a Destination>) -> String {
    let mut out = String::new();
    for ip in destinations.into_iter().filter_map(|d| d.ip.ip()) {
        let _ = writeln!(out, "{ip}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{analysis, code, destination};
    use crate::report::verdict::{judge, Viewpoint};

    #[test]
    fn hosts_and_addresses_of_the_flagged_destinations() {
        let mut a = analysis(vec![
            destination("180.76.76.76", Some("CN")),
            destination("52.1.1.1", Some("US")),
            destination("1.1.1.1", Some("AU")),
            destination("20.0.0.1", Some("DE")),
            destination("20.0.0.2", Some("DE")),
        ]);
        let d = &mut a.destinations;
        (d[0].asn, d[0].as_org) = (Some(38365), Some("Beijing Baidu Netcom".into()));
        d[1].names = vec!["api.vendor.example".into()];
        d[2].anycast = true; // a resolver: foreign, never abroad
        d[2].names = vec!["one.one.one.one".into()];
        d[3].names = vec!["a.example".into(), "bad name\n0.0.0.0 x".into(), "b.example".into()];
        d[4].names = vec!["b.example".into()];
        let verdicts = judge(&a, Viewpoint { home: Some(code("US")), watch: vec![code("CN")] });
        let report = Report::new(&a, &verdicts);
        let chosen: Vec<&Destination> = flagged(report).collect();
        assert_eq!(chosen.len(), 3, "Baidu (watched and abroad) and the two in Germany");
        assert_eq!(
            hosts(chosen.iter().copied()),
            "# Blocklist from phonehome: 3 destinations, 2 names (hosts format)\n\
             # 180.76.76.76 (AS38365 Beijing Baidu Netcom, CN): no name; block this address on the router\n\
             0.0.0.0 a.example\n\
             0.0.0.0 b.example\n"
        );
        assert_eq!(addresses(chosen), "180.76.76.76\n20.0.0.1\n20.0.0.2\n");
        // Nobody's viewpoint: nothing flagged, an empty list that says so.
        let nobody = judge(&a, Viewpoint::default());
        assert_eq!(
            hosts(flagged(Report::new(&a, &nobody))),
            "# Blocklist from phonehome: 0 destinations, 0 names (hosts format)\n"
        );
    }
}
