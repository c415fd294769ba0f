//! Share links as the page makes and opens them: the link is the page's own address (without
//! its fragment) plus `#` plus the fragment the core's [`share::encode`] writes. The fragment
//! never reaches a server (browsers do not send it), and only the worker reads one back (it
//! needs the IP table), so the page itself never calls `share::decode`.

use crate::format;
use crate::state::SharedOrigin;
use phonehome::share::{self, ShareError, ShareOptions};
use phonehome::Report;

/// How many destinations "share the top destinations only" keeps.
pub const TOP_DESTINATIONS: usize = 50;

/// The choices of the share dialog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkChoices {
    /// Replace local addresses and MACs with labels ("Device 1", "Local address 1").
    pub hide_local: bool,
    /// Keep device names even when local addresses are hidden.
    pub keep_device_names: bool,
    /// Keep only this many destinations (those with the most bytes).
    pub top: Option<usize>,
}

impl Default for LinkChoices {
    /// Local identity is hidden unless the user asks to keep it.
    fn default() -> Self {
        LinkChoices { hide_local: true, keep_device_names: false, top: None }
    }
}

impl LinkChoices {
    /// Device names travel with the addresses: kept whenever addresses are kept.
    pub fn names_kept(&self) -> bool {
        self.keep_device_names || !self.hide_local
    }

    fn options(&self, created: u64) -> ShareOptions {
        ShareOptions {
            redact_local: self.hide_local,
            keep_device_names: self.keep_device_names,
            max_destinations: self.top,
            created,
        }
    }
}

/// What "make a link" gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkOutcome {
    Ready {
        /// `r=...`, what follows the `#`.
        fragment: String,
        /// The whole link.
        url: String,
    },
    /// Over [`share::MAX_LINK_CHARS`]: `chars` is how long the fragment would be.
    TooLarge { chars: usize, destinations: usize },
}

/// Makes the link for `report` on the page at `page_url`; `created` is "now" in Unix seconds.
pub fn make(report: Report<'_>, page_url: &str, choices: &LinkChoices, created: u64) -> LinkOutcome {
    match share::encode(report, &choices.options(created)) {
        Ok(fragment) => {
            let url = format!("{}#{fragment}", without_fragment(page_url));
            LinkOutcome::Ready { fragment, url }
        }
        Err(ShareError::TooLarge { chars, destinations }) => LinkOutcome::TooLarge { chars, destinations },
    }
}

/// The address up to (not including) its `#`.
pub fn without_fragment(url: &str) -> &str {
    url.split_once('#').map_or(url, |(base, _)| base)
}

/// The share fragment in a `location.hash` (`#r=...` gives `r=...`); `None` for any other
/// fragment, such as the skip link's `#main`.
pub fn fragment_in(hash: &str) -> Option<&str> {
    let fragment = hash.strip_prefix('#').unwrap_or(hash);
    fragment.starts_with("r=").then_some(fragment)
}

/// What a recipient should know about a shared report besides when it was made: what the
/// sender left out, and whether networks and countries were looked up in another table.
/// `our_table` is the date of this page's IP table; `shown` how many destinations the link has.
pub fn shared_notes(origin: &SharedOrigin, our_table: Option<&str>, shown: usize) -> Vec<String> {
    let mut notes = Vec::new();
    if origin.redacted {
        notes.push("Local addresses and MACs were replaced by labels before sharing.".to_string());
    }
    if let Some(total) = origin.total_destinations {
        notes.push(format!(
            "Only the top {} of {} destinations (those with the most traffic) were shared.",
            format::count(shown as u64),
            format::count(u64::from(total))
        ));
    }
    match (origin.table_date.as_deref(), our_table) {
        (Some(theirs), Some(ours)) if theirs != ours => notes.push(format!(
            "The report was made with the IP table of {theirs}; this page's table is of {ours}, so \
             some networks and countries may differ from what the sender saw."
        )),
        (None, Some(ours)) => notes.push(format!(
            "The sender's copy of phonehome had no IP table; networks and countries come from this \
             page's table of {ours}."
        )),
        (Some(theirs), None) => notes.push(format!(
            "This copy of phonehome has no IP table, so networks and countries are unknown here \
             (the sender's table was of {theirs})."
        )),
        _ => {}
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixtures::{analysis, destination, device, seen};
    use crate::shown::ReportRef;

    /// A report whose destinations have scattered addresses and byte counts, so the link
    /// compresses like a real one.
    fn home_report(destinations: usize) -> ReportRef {
        let scatter = |i: usize| (i as u32).wrapping_add(1).wrapping_mul(2_654_435_761);
        let ips: Vec<String> = (0..destinations)
            .map(|i| {
                let [a, b, c, d] = scatter(i).to_be_bytes();
                format!("{}.{b}.{c}.{d}", 20 + a % 100)
            })
            .collect();
        let mut r = analysis(
            ips.iter()
                .enumerate()
                .map(|(i, ip)| {
                    let mut d = destination(ip, None);
                    d.devices = vec!["aa:bb:cc:00:00:01".into()];
                    d.bytes = 1000 + u64::from(scatter(i) % 100_000);
                    d.packets = d.bytes / 500;
                    d
                })
                .collect(),
        );
        let refs: Vec<&str> = ips.iter().map(String::as_str).collect();
        r.devices = vec![device("aa:bb:cc:00:00:01", &["192.168.1.20"], &refs)];
        r.devices[0].name = Some("annas-iphone".into());
        seen(r, Some("US"), &[])
    }

    #[test]
    fn the_link_is_the_page_address_and_the_fragment() {
        let r = home_report(3);
        let page = "http://127.0.0.1:8080/phonehome/#main";
        let LinkOutcome::Ready { fragment, url } = make(r.view(), page, &LinkChoices::default(), 1_780_000_000) else {
            panic!("three destinations fit in a link");
        };
        assert!(fragment.starts_with("r="), "{fragment}");
        assert_eq!(url, format!("http://127.0.0.1:8080/phonehome/#{fragment}"));
        assert_eq!(fragment_in(&format!("#{fragment}")), Some(fragment.as_str()));
        // The core's own decoder (what the worker runs) reads back what the page wrote.
        let shared = share::decode(&fragment, None).expect("decodes");
        assert_eq!((shared.created, shared.redacted), (1_780_000_000, true));
        assert_eq!(shared.analysis.devices[0].id, "Device 1");
        assert_eq!(shared.analysis.devices[0].name, None, "names are dropped by default");
    }

    #[test]
    fn choices_reach_the_link() {
        let r = home_report(3);
        let open = |choices: LinkChoices| match make(r.view(), "http://x/", &choices, 0) {
            LinkOutcome::Ready { fragment, .. } => share::decode(&fragment, None).expect("decodes").analysis,
            LinkOutcome::TooLarge { chars, .. } => panic!("three destinations made {chars} characters"),
        };
        let names = open(LinkChoices { keep_device_names: true, ..LinkChoices::default() });
        assert_eq!(names.devices[0].name.as_deref(), Some("annas-iphone"));
        assert!(names.devices[0].ips.is_empty());
        let everything = open(LinkChoices { hide_local: false, ..LinkChoices::default() });
        assert_eq!(everything.devices[0].ips, ["192.168.1.20".parse::<std::net::IpAddr>().unwrap()]);
        assert_eq!(everything.devices[0].name.as_deref(), Some("annas-iphone"));
        assert!(LinkChoices { hide_local: false, ..LinkChoices::default() }.names_kept());
        assert!(!LinkChoices::default().names_kept());
    }

    #[test]
    fn a_report_too_large_for_a_link_says_by_how_much_and_the_top_fits() {
        let r = home_report(10_000);
        match make(r.view(), "http://x/", &LinkChoices::default(), 0) {
            LinkOutcome::TooLarge { chars, destinations } => {
                assert!(chars > share::MAX_LINK_CHARS, "{chars}");
                assert_eq!(destinations, 10_000);
            }
            LinkOutcome::Ready { url, .. } => panic!("10,000 destinations fit in {} characters", url.len()),
        }
        let top = LinkChoices { top: Some(TOP_DESTINATIONS), ..LinkChoices::default() };
        let LinkOutcome::Ready { fragment, .. } = make(r.view(), "http://x/", &top, 0) else {
            panic!("the top destinations fit");
        };
        let shared = share::decode(&fragment, None).expect("decodes");
        assert_eq!((shared.analysis.destinations.len(), shared.total_destinations), (TOP_DESTINATIONS, Some(10_000)));
    }

    #[test]
    fn a_recipient_is_told_what_the_sender_left_out_and_which_table_was_used() {
        let origin = SharedOrigin {
            created: 0,
            table_date: Some("2026-01-01".into()),
            total_destinations: None,
            redacted: false,
        };
        assert!(shared_notes(&origin, Some("2026-01-01"), 10).is_empty());
        let notes = shared_notes(&origin, Some("2026-06-17"), 10);
        assert_eq!(notes.len(), 1);
        assert!(notes[0].contains("2026-01-01") && notes[0].contains("2026-06-17"), "{notes:?}");
        let top = SharedOrigin { total_destinations: Some(5000), redacted: true, ..origin.clone() };
        let notes = shared_notes(&top, Some("2026-01-01"), 50);
        assert_eq!(
            notes,
            [
                "Local addresses and MACs were replaced by labels before sharing.",
                "Only the top 50 of 5,000 destinations (those with the most traffic) were shared.",
            ]
        );
        assert!(shared_notes(&origin, None, 1)[0].contains("unknown here"));
        let no_table = SharedOrigin { table_date: None, ..origin };
        assert!(shared_notes(&no_table, Some("2026-06-17"), 1)[0].contains("had no IP table"));
    }

    #[test]
    fn only_share_fragments_are_links() {
        assert_eq!(fragment_in("#r=AQID"), Some("r=AQID"));
        assert_eq!(fragment_in("r=AQID"), Some("r=AQID"));
        for other in ["", "#", "#main", "#report", "#rr=1"] {
            assert_eq!(fragment_in(other), None, "{other}");
        }
        assert_eq!(without_fragment("http://h/p/?q#r=1#2"), "http://h/p/?q");
        assert_eq!(without_fragment("http://h/p/"), "http://h/p/");
    }
}
