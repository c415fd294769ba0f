//! The embedded lists the party judgement rests on (`src/party/data/`): who owns common
//! domains and networks, and which makers a device's MAC registrant or own names point to.
//! Each entry cites its public source in its file; the files are curated by hand.
//!
//! The files are tab-separated with `#` comment lines and no quoting. They are ours, of a fixed
//! shape, so a line is split on tabs here rather than through a CSV reader.

use foldhash::HashMap;
use std::sync::OnceLock;

/// What a domain or network is used for, as the lists say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// A device maker's own service or cloud.
    Maker,
    /// A company's own network or service that is not a device maker's (a search engine, a
    /// social network): another company for every device but its own.
    Company,
    /// An IoT cloud platform that runs many brands' devices.
    Platform,
    Cdn,
    Cloud,
    Hosting,
    Dns,
    Ntp,
    Connectivity,
    Analytics,
    Advertising,
    /// Another consumer service (streaming, music, weather, ...).
    Service,
}

impl Role {
    fn parse(text: &str) -> Option<Role> {
        Some(match text {
            "maker" => Role::Maker,
            "company" => Role::Company,
            "platform" => Role::Platform,
            "cdn" => Role::Cdn,
            "cloud" => Role::Cloud,
            "hosting" => Role::Hosting,
            "dns" => Role::Dns,
            "ntp" => Role::Ntp,
            "connectivity" => Role::Connectivity,
            "analytics" => Role::Analytics,
            "advertising" => Role::Advertising,
            "service" => Role::Service,
            _ => return None,
        })
    }

    /// What it is, after "{owner}'s ": "analytics service", "CDN".
    pub fn words(self) -> &'static str {
        match self {
            Role::Maker => "device cloud",
            Role::Company => "own service",
            Role::Platform => "IoT cloud platform, which runs many brands' devices",
            Role::Cdn => "content delivery network, which serves many companies",
            Role::Cloud => "cloud hosting, which serves many companies",
            Role::Hosting => "hosting network, which serves many companies",
            Role::Dns => "public DNS resolver",
            Role::Ntp => "time service",
            Role::Connectivity => "connectivity check",
            Role::Analytics => "analytics service",
            Role::Advertising => "advertising service",
            Role::Service => "service",
        }
    }

    /// Infrastructure that serves many makers whoever they are.
    pub fn supports(self) -> bool {
        matches!(
            self,
            Role::Platform | Role::Cdn | Role::Cloud | Role::Hosting | Role::Dns | Role::Ntp | Role::Connectivity
        )
    }
}

/// A maker's kind: the name on the box, or a maker of the network module inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MakerKind {
    Brand,
    Module,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub owner: &'static str,
    pub role: Role,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MakerEntry {
    pub owner: &'static str,
    pub kind: MakerKind,
    /// Lower case; part of the IEEE registrant's name. Empty when not known.
    pub oui_vendor: &'static str,
    /// Lower case; found at a word start in a device's own names.
    pub name_tokens: Vec<&'static str>,
}

/// The three lists, ready for lookups.
#[derive(Debug, Default)]
pub struct Lists {
    domains: HashMap<&'static str, Entry>,
    networks: HashMap<u32, Entry>,
    pub makers: Vec<MakerEntry>,
}

/// The lists built into the program, parsed on first use.
pub fn embedded() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| {
        Lists::parse(
            include_str!("data/domains.tsv"),
            include_str!("data/networks.tsv"),
            include_str!("data/makers.tsv"),
        )
        // The files are the program's own and a test parses them: a bad line is a build bug.
        .unwrap_or_else(|error| panic!("embedded party lists: {error}"))
    })
}

/// The data lines of a file, split on tabs, with their line numbers.
fn rows(text: &'static str) -> impl Iterator<Item = (usize, Vec<&'static str>)> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
        .map(|(n, line)| (n + 1, line.split('\t').map(str::trim).collect()))
}

impl Lists {
    /// Parses the three files; the error names the file and line of the first bad row.
    pub fn parse(domains: &'static str, networks: &'static str, makers: &'static str) -> Result<Lists, String> {
        let mut lists = Lists::default();
        for (n, cols) in rows(domains) {
            let bad = || format!("domains.tsv line {n}: expected domain, owner, role, source");
            let [domain, owner, role, _source, ..] = cols[..] else { return Err(bad()) };
            let role = Role::parse(role).ok_or_else(bad)?;
            if domain.is_empty() || owner.is_empty() || domain.bytes().any(|b| b.is_ascii_uppercase()) {
                return Err(bad());
            }
            if lists.domains.insert(domain, Entry { owner, role }).is_some() {
                return Err(format!("domains.tsv line {n}: {domain} is listed twice"));
            }
        }
        for (n, cols) in rows(networks) {
            let bad = || format!("networks.tsv line {n}: expected asn, owner, role, source");
            let [asn, owner, role, _source, ..] = cols[..] else { return Err(bad()) };
            let asn: u32 = asn.parse().map_err(|_| bad())?;
            let role = Role::parse(role).ok_or_else(bad)?;
            if lists.networks.insert(asn, Entry { owner, role }).is_some() {
                return Err(format!("networks.tsv line {n}: AS{asn} is listed twice"));
            }
        }
        for (n, cols) in rows(makers) {
            let bad = || format!("makers.tsv line {n}: expected owner, kind, oui_vendor, name_tokens, source");
            let [owner, kind, oui_vendor, tokens, _source, ..] = cols[..] else { return Err(bad()) };
            let kind = match kind {
                "brand" => MakerKind::Brand,
                "module" => MakerKind::Module,
                _ => return Err(bad()),
            };
            let lower = |s: &str| !s.bytes().any(|b| b.is_ascii_uppercase());
            let name_tokens: Vec<&str> = tokens.split(',').map(str::trim).filter(|t| !t.is_empty()).collect();
            if owner.is_empty() || !lower(oui_vendor) || !name_tokens.iter().all(|t| lower(t)) {
                return Err(bad());
            }
            lists.makers.push(MakerEntry { owner, kind, oui_vendor, name_tokens });
        }
        Ok(lists)
    }

    /// The entry for the longest listed suffix of `name` (the name itself, or a parent
    /// domain), with that suffix.
    pub fn domain(&self, name: &str) -> Option<(&'static str, Entry)> {
        let name = name.trim_end_matches('.');
        let mut rest = name;
        loop {
            if let Some((&domain, &entry)) = self.domains.get_key_value(rest) {
                return Some((domain, entry));
            }
            rest = rest.split_once('.')?.1;
        }
    }

    pub fn network(&self, asn: u32) -> Option<Entry> {
        self.networks.get(&asn).copied()
    }

    pub fn len(&self) -> (usize, usize, usize) {
        (self.domains.len(), self.networks.len(), self.makers.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_lists_parse_and_agree_on_owners() {
        let lists = embedded();
        let (domains, networks, makers) = lists.len();
        assert!(domains > 100 && networks > 20 && makers > 30, "{domains} {networks} {makers}");
        // Every maker's owner spelling is one the domain lists use, or no domain is listed for
        // it (a module maker with no cloud): a typo would silently break first-party matches.
        let owners: std::collections::HashSet<&str> = lists.domains.values().map(|e| e.owner).collect();
        let unmatched: Vec<&str> = lists
            .makers
            .iter()
            .filter(|m| m.kind == MakerKind::Brand && !owners.contains(m.owner))
            .map(|m| m.owner)
            .collect();
        assert!(unmatched.len() * 4 <= lists.makers.len(), "brands with no domain: {unmatched:?}");
    }

    #[test]
    fn bad_lines_are_named() {
        let error = Lists::parse("a.com\tA\tnonsense\thttps://a\n", "", "").unwrap_err();
        assert!(error.contains("domains.tsv line 1"), "{error}");
        let error = Lists::parse("", "# c\nx\tA\tcloud\thttps://a\n", "").unwrap_err();
        assert!(error.contains("networks.tsv line 2"), "{error}");
        let error = Lists::parse("a.com\tA\tmaker\ts\na.com\tB\tmaker\ts\n", "", "").unwrap_err();
        assert!(error.contains("twice"), "{error}");
    }

    #[test]
    fn the_longest_listed_suffix_wins() {
        let lists = Lists::parse(
            "google.com\tGoogle\tmaker\ts\nconnectivitycheck.google.com\tGoogle\tconnectivity\ts\n",
            "",
            "",
        )
        .unwrap();
        assert_eq!(lists.domain("connectivitycheck.google.com.").unwrap().1.role, Role::Connectivity);
        assert_eq!(lists.domain("www.google.com").unwrap().0, "google.com");
        assert_eq!(lists.domain("google.com.evil.net"), None);
        assert_eq!(lists.domain("oogle.com"), None);
    }
}
