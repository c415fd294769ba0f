use super::*;
use crate::report::fixtures::{analysis, code, destination, device};
use crate::report::model::{Analysis, Concern};
use crate::report::verdict::{judge, Verdicts, Viewpoint};

fn names(code: CountryCode) -> String {
    match code.as_str() {
        "US" => "United States".into(),
        "CN" => "China".into(),
        "DE" => "Germany".into(),
        other => other.into(),
    }
}

fn sample() -> Analysis {
    let mut a = analysis(vec![
        destination("52.1.1.1", Some("US")),
        destination("180.76.76.76", Some("CN")),
        destination("180.76.76.77", Some("CN")),
        destination("192.168.1.1", None),
    ]);
    a.destinations[1].bytes = 900;
    a.destinations[2].bytes = 100;
    a.devices = vec![device("aa"), device("bb")];
    a
}

fn seen(a: &Analysis, home: Option<&str>, watch: &[&str]) -> Verdicts {
    judge(a, Viewpoint { home: home.map(code), watch: watch.iter().map(|c| code(c)).collect() })
}

#[test]
fn the_sentence_counts_destinations_abroad() {
    let a = sample();
    let h = headline(Report::new(&a, &seen(&a, Some("US"), &[])), &names);
    assert_eq!(h.sentence, "2 devices talked to 3 destinations on the Internet; 2 are outside the United States.");
    assert_eq!(h.top_flagged, [1, 2]);
    assert_eq!(h.watched, None);

    let h = headline(Report::new(&a, &seen(&a, Some("CN"), &["CN"])), &names);
    assert_eq!(h.sentence, "2 devices talked to 3 destinations on the Internet; 1 is outside China.");
    assert_eq!(h.watched.as_deref(), Some("2 are in watched countries: China."));
    assert_eq!(h.top_flagged, [1, 2, 0]);

    let h = headline(Report::new(&a, &seen(&a, Some("DE"), &[])), &names);
    assert_eq!(h.sentence, "2 devices talked to 3 destinations on the Internet; 3 are outside Germany.");
    // Without names (the CLI), the code stands alone.
    let h = headline(Report::new(&a, &seen(&a, Some("US"), &[])), &|c| c.to_string());
    assert_eq!(h.sentence, "2 devices talked to 3 destinations on the Internet; 2 are outside US.");
}

#[test]
fn without_a_home_country_nothing_is_flagged() {
    let a = sample();
    let h = headline(Report::new(&a, &seen(&a, None, &[])), &names);
    assert_eq!(
        h.sentence,
        "2 devices talked to 3 destinations on the Internet in 2 countries; with no home country chosen, none is flagged as abroad."
    );
    assert!(h.top_flagged.is_empty());
}

#[test]
fn empty_and_singular_reports_read_well() {
    let empty = analysis(vec![]);
    let h = headline(Report::new(&empty, &seen(&empty, Some("US"), &[])), &names);
    assert_eq!(h.sentence, "0 devices found, but no traffic to the Internet.");
    // A device whose only traffic was a scan's attempts (summarised, not destinations).
    let mut scanner = analysis(vec![]);
    scanner.devices = vec![device("3c:22:fb:00:00:42")];
    scanner.devices[0].scan = Some(crate::report::model::Scan {
        addresses: 2_000_000,
        ports: 65_535,
        answered: 40_000,
        attempts: 2_000_000,
        packets: 2_040_000,
        bytes: 122_000_000,
        first_ts: 0.0,
        last_ts: 60.0,
    });
    let h = headline(Report::new(&scanner, &seen(&scanner, Some("US"), &[])), &names);
    assert_eq!(h.sentence, "1 device found; no destination on the Internet but the attempts of a scan.");
    assert_eq!(h.scanning, [0]);
    let mut a = sample();
    a.destinations.truncate(1);
    a.devices.truncate(1);
    assert_eq!(
        headline(Report::new(&a, &seen(&a, Some("US"), &[])), &names).sentence,
        "1 device talked to 1 destination on the Internet; none is outside the United States."
    );
}

#[test]
fn byte_sizes_have_three_significant_digits() {
    let cases = [
        (0, "0 B"),
        (999, "999 B"),
        (1000, "1.00 kB"),
        (1234, "1.23 kB"),
        (12_345, "12.3 kB"),
        (123_456, "123 kB"),
        (999_499, "999 kB"),
        (999_500, "1.00 MB"),
        (999_999, "1.00 MB"),
        (104_857_600, "105 MB"),
        (1_020_000_000, "1.02 GB"),
        (u64::MAX, "18.4 EB"),
    ];
    for (n, expected) in cases {
        assert_eq!(bytes(n), expected, "{n}");
    }
}

#[test]
fn counts_group_thousands() {
    for (n, expected) in [(0, "0"), (999, "999"), (1000, "1,000"), (50_000, "50,000"), (1_234_567, "1,234,567")] {
        assert_eq!(count(n), expected);
    }
    assert_eq!(plural(1, "device", "devices"), "1 device");
    assert_eq!(plural(1200, "device", "devices"), "1,200 devices");
}

#[test]
fn some_names_take_an_article() {
    assert_eq!(in_sentence(code("US"), "United States"), "the United States");
    assert_eq!(in_sentence(code("CN"), "China"), "China");
    assert_eq!(in_sentence(code("US"), "US"), "US");
}

#[test]
fn a_scan_in_one_sentence() {
    let scan = crate::report::model::Scan {
        addresses: 2_000_000,
        ports: 1,
        answered: 40_000,
        attempts: 2_000_000,
        packets: 2_040_000,
        bytes: 0,
        first_ts: 0.0,
        last_ts: 0.0,
    };
    assert_eq!(
        super::scan(&scan),
        "Tried 2,000,000 addresses on 1 port (40,000 answered) that it never looked up: the pattern of a scan, as \
         malware makes, or of a peer-to-peer network."
    );
}

#[test]
fn the_headline_ranks_by_concern_and_says_how_many_more() {
    let mut a = sample();
    a.destinations.push(destination("47.1.1.1", Some("US")));
    a.destinations.push(destination("47.1.1.2", Some("US")));
    // The small hard-coded, upload-only address beats the big ones abroad; a heartbeat at
    // home ranks after them (one concern, and the weakest but `abroad`).
    a.destinations[3].concerns = vec![];
    a.destinations[4].concerns = vec![Concern::NoDns, Concern::UploadOnly];
    a.destinations[4].bytes = 5;
    a.destinations[5].concerns = vec![Concern::Heartbeat];
    let h = headline(Report::new(&a, &seen(&a, Some("US"), &[])), &names);
    assert_eq!(h.top_flagged, [4, 5, 1], "two concerns, then heartbeat before abroad");
    assert_eq!(h.more, 1, "the fourth destination of concern is not dropped silently");
}

#[test]
fn anycast_says_where_it_is_registered_not_where_it_serves() {
    let name = |c: CountryCode| match c.as_str() {
        "AU" => "Australia".to_string(),
        "US" => "United States".to_string(),
        other => other.to_string(),
    };
    assert_eq!(anycast(CountryCode::new("AU"), &name), "anycast: served nearby, registered in Australia");
    assert_eq!(anycast(CountryCode::new("US"), &name), "anycast: served nearby, registered in the United States");
    assert_eq!(anycast(None, &name), "anycast: served nearby");
}

#[test]
fn what_is_new_and_how_bytes_travelled_in_words() {
    assert_eq!(new_since(3, Some("2 November 2026")), "3 destinations are new since 2 November 2026.");
    assert_eq!(new_since(1, None), "1 destination is new since the earlier capture.");
    assert_eq!(new_since(0, Some("1 March 2024")), "No destination is new since 1 March 2024.");
    assert_eq!(utc_day(1_793_620_800.0).as_deref(), Some("2 November 2026"));
    assert_eq!(utc_day(951_782_400.0).as_deref(), Some("29 February 2000"));
    assert_eq!(utc_day(-1.0).as_deref(), Some("31 December 1969"));
    assert_eq!(utc_day(f64::NAN), None);
    let p = |encrypted_bytes, plaintext_bytes, unknown_bytes| crate::report::model::Protection {
        encrypted_bytes,
        plaintext_bytes,
        unknown_bytes,
    };
    assert_eq!(protection(p(920, 30, 50)).as_deref(), Some("92% encrypted, 3% unencrypted, 5% unknown"));
    assert_eq!(protection(p(999, 1, 0)).as_deref(), Some("100% encrypted, <1% unencrypted, 0% unknown"));
    assert_eq!(protection(p(0, 0, 0)), None);
}
