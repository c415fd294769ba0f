//! The words people read, in one place for the CLI's text and the page: byte sizes, counts,
//! plurals, and the headline sentence. The page adds only what needs the browser (country
//! names from `Intl.DisplayNames`), passed in as `name_of`.

use std::cmp::Reverse;

use super::model::Concern;
use super::verdict::concerns;
use super::Report;
use crate::country::CountryCode;
use crate::scope::Scope;

/// A byte count in SI units ("999 B", "1.2 kB", "34.5 MB", "1.02 GB"): three significant
/// digits at most, as file managers show sizes.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["kB", "MB", "GB", "TB", "PB", "EB"];
    if n < 1000 {
        return format!("{n} B");
    }
    let mut value = n as f64 / 1000.0;
    let mut unit = 0;
    while value >= 999.5 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if value < 9.995 {
        format!("{value:.2} {}", UNITS[unit])
    } else if value < 99.95 {
        format!("{value:.1} {}", UNITS[unit])
    } else {
        format!("{value:.0} {}", UNITS[unit])
    }
}

/// A count with thousands separators ("50,000").
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "1 device", "3 devices", "1,200 devices".
pub fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", count(n), if n == 1 { one } else { many })
}

/// Items written one after the other (`tcp/443, udp/123`).
pub fn joined<T: std::fmt::Display>(items: &[T], separator: &str) -> String {
    items.iter().map(ToString::to_string).collect::<Vec<_>>().join(separator)
}

/// A country's name as it reads inside an English sentence: "the United States" but "China".
/// A bare code (the CLI has no names) takes no article.
pub fn in_sentence(code: CountryCode, name: &str) -> String {
    const WITH_ARTICLE: &[&str] = &[
        "AE", "BS", "CF", "DO", "FK", "FO", "GB", "GM", "KM", "KY", "MH", "MV", "NL", "PH", "SB", "SC", "TC", "US",
        "VA", "VG", "VI",
    ];
    if WITH_ARTICLE.contains(&code.as_str()) && !name.starts_with("the ") && name != code.as_str() {
        format!("the {name}")
    } else {
        name.to_string()
    }
}

/// What an anycast destination is, for people: "anycast: served nearby, registered in
/// Australia" (`name_of` names the country, as for the headline).
pub fn anycast(country: Option<CountryCode>, name_of: &dyn Fn(CountryCode) -> String) -> String {
    match country {
        Some(code) => format!("anycast: served nearby, registered in {}", in_sentence(code, &name_of(code))),
        None => "anycast: served nearby".to_string(),
    }
}

/// What a scanning device did, in one sentence.
pub fn scan(scan: &crate::report::model::Scan) -> String {
    format!(
        "Tried {} on {} ({} answered) that it never looked up: the pattern of a scan, as malware \
         makes, or of a peer-to-peer network.",
        plural(scan.addresses, "address", "addresses"),
        plural(scan.ports, "port", "ports"),
        count(scan.answered)
    )
}

/// Why a destination deserves a look, in one sentence ("Why: in a country on your watch list;
/// ..."), or `None` when nothing does.
pub fn why(concerns: &[Concern]) -> Option<String> {
    let sentences: Vec<&str> = concerns.iter().map(|c| c.sentence()).collect();
    (!sentences.is_empty()).then(|| format!("Why: {}.", sentences.join("; ")))
}

/// "3 destinations are new since 2 November 2026." (`since`: the earlier capture's first day,
/// in words; unknown when it had no timestamps).
pub fn new_since(count: u64, since: Option<&str>) -> String {
    let (subject, verb) = match count {
        0 => ("No destination".to_string(), "is"),
        1 => ("1 destination".to_string(), "is"),
        n => (plural(n, "destination", "destinations"), "are"),
    };
    format!("{subject} {verb} new since {}.", since.unwrap_or("the earlier capture"))
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "2 November 2026" (`month` from 1).
pub fn day_words(year: i64, month: u32, day: u32) -> String {
    let month = MONTHS.get(month.wrapping_sub(1) as usize).copied().unwrap_or("?");
    format!("{day} {month} {year}")
}

/// The UTC day of Unix `seconds` in words (the CLI's; the page says the local day).
pub fn utc_day(seconds: f64) -> Option<String> {
    if !seconds.is_finite() {
        return None;
    }
    let (year, month, day) = civil_from_days((seconds / 86_400.0).floor() as i64);
    Some(day_words(year, month, day))
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's
/// `civil_from_days`, which counts in 400-year eras so that leap years need no table). The
/// CLI's day in words and the NDJSON tables' timestamps both use it.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// "92% encrypted, 3% unencrypted, 5% unknown": how a device's bytes travelled (`None` when
/// it sent nothing).
pub fn protection(p: crate::report::model::Protection) -> Option<String> {
    let total = p.total();
    if total == 0 {
        return None;
    }
    let share = |n: u64| match n as f64 * 100.0 / total as f64 {
        x if n > 0 && x < 0.5 => "<1%".to_string(),
        x => format!("{x:.0}%"),
    };
    Some(format!(
        "{} encrypted, {} unencrypted, {} unknown",
        share(p.encrypted_bytes),
        share(p.plaintext_bytes),
        share(p.unknown_bytes)
    ))
}

/// How many destinations of concern the headline names.
pub const TOP_FLAGGED: usize = 3;

/// The report's first words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headline {
    /// "6 devices talked to 19 destinations on the Internet; 3 are outside the United States."
    pub sentence: String,
    /// "2 are in watched countries: China, Russia.", when any are.
    pub watched: Option<String>,
    /// Indexes into the analysis's destinations: those of most concern, ranked (more
    /// concerns first; then by their strongest concern; then by bytes).
    pub top_flagged: Vec<usize>,
    /// Destinations of concern the list leaves out: the headline says "and N more".
    pub more: usize,
    /// Indexes into the analysis's devices: those that scanned, named before anything else.
    pub scanning: Vec<usize>,
}

/// How much a destination's concerns (as [`concerns`] lists them, strongest first) call for a
/// look, as a sort key: more concerns first, then the strongest; none last.
pub fn concern_rank(concerns: &[Concern]) -> (Reverse<usize>, Option<Concern>) {
    (Reverse(concerns.len()), concerns.first().copied())
}

/// The headline of a report; `name_of` names a country (the page asks the browser; the CLI
/// gives the code).
pub fn headline(report: Report<'_>, name_of: &dyn Fn(CountryCode) -> String) -> Headline {
    let devices = plural(report.analysis.devices.len() as u64, "device", "devices");
    // Local, multicast and broadcast addresses are part of the report, not of the headline.
    let internet = report.destinations().filter(|(d, _)| d.scope == Scope::Public).count() as u64;
    let talked = match internet {
        // A scan's attempts are summarised, not destinations: say so rather than "no traffic".
        0 if report.analysis.devices.iter().any(|d| d.scan.is_some()) => {
            format!("{devices} found; no destination on the Internet but the attempts of a scan")
        }
        0 => format!("{devices} found, but no traffic to the Internet"),
        n => format!("{devices} talked to {} on the Internet", plural(n, "destination", "destinations")),
    };
    let verb = |n: usize| if n == 1 { "is" } else { "are" };
    let sentence = match report.verdicts.viewpoint.home {
        _ if internet == 0 => format!("{talked}."),
        Some(home) => {
            let home_name = in_sentence(home, &name_of(home));
            match report.verdicts.foreign() {
                0 => format!("{talked}; none is outside {home_name}."),
                n => format!("{talked}; {n} {} outside {home_name}.", verb(n)),
            }
        }
        None => {
            let mut countries: Vec<CountryCode> =
                report.destinations().filter_map(|(d, _)| d.public_country()).collect();
            countries.sort_unstable();
            countries.dedup();
            format!(
                "{talked} in {}; with no home country chosen, none is flagged as abroad.",
                plural(countries.len() as u64, "country", "countries")
            )
        }
    };

    let watched_count = report.verdicts.watched();
    let watched = (watched_count > 0).then(|| {
        let mut countries: Vec<CountryCode> =
            report.destinations().filter(|(_, v)| v.watched).filter_map(|(d, _)| d.country).collect();
        countries.sort_unstable();
        countries.dedup();
        let names: Vec<String> = countries.into_iter().map(name_of).collect();
        format!("{watched_count} {} in watched countries: {}.", verb(watched_count), names.join(", "))
    });

    let destinations = &report.analysis.destinations;
    let mut of_concern: Vec<(usize, Vec<Concern>)> = (0..destinations.len())
        .map(|i| (i, concerns(&destinations[i], report.verdicts.of(i))))
        .filter(|(_, c)| !c.is_empty())
        .collect();
    of_concern.sort_by_cached_key(|(i, c)| {
        (concern_rank(c), Reverse(destinations[*i].bytes), destinations[*i].ip.to_string())
    });
    let more = of_concern.len().saturating_sub(TOP_FLAGGED);
    let top_flagged = of_concern.into_iter().take(TOP_FLAGGED).map(|(i, _)| i).collect();
    let scanning = (0..report.analysis.devices.len()).filter(|&i| report.analysis.devices[i].scan.is_some()).collect();
    Headline { sentence, watched, top_flagged, more, scanning }
}

#[cfg(test)]
mod tests;
