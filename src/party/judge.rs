//! The judgement itself: a destination's names and network against the makers of each device
//! that reached it.

use super::domain::{chosen_label, registrable};
use super::lists::{Entry, Lists, MakerKind, Role};
use super::{Party, PartyKind};

/// A maker a device points to, and what points to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Known {
    pub owner: &'static str,
    pub kind: MakerKind,
    /// The MAC registrant or the device name that named it.
    pub evidence: String,
    pub from_name: bool,
}

/// What the lists make of one device: its makers, brands before module makers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    pub makers: Vec<Known>,
}

impl Identity {
    fn brand_known(&self) -> bool {
        self.makers.iter().any(|m| m.kind == MakerKind::Brand)
    }

    fn maker(&self, owner: &str) -> Option<&Known> {
        self.makers.iter().find(|m| m.owner.eq_ignore_ascii_case(owner))
    }

    /// "the brand, Ring (from the device's name RingDoorbell-3f)".
    fn describe(known: &Known) -> String {
        let whose = match (known.kind, known.from_name) {
            (MakerKind::Module, _) => "the Wi-Fi module's maker",
            (MakerKind::Brand, true) => "the brand",
            (MakerKind::Brand, false) => "the maker",
        };
        let from = if known.from_name { "the device's name" } else { "its MAC's registrant" };
        format!("{whose}, {} (from {from} {})", known.owner, known.evidence)
    }

    /// "the device's maker is Ring" / "the device's maker is not known".
    fn makers_words(&self) -> String {
        match self.makers.first() {
            Some(m) if m.kind == MakerKind::Brand => format!("the device's maker is {}", m.owner),
            Some(m) => format!("the device is known only by its Wi-Fi module's maker, {}", m.owner),
            None => "the device's maker is not known".to_string(),
        }
    }
}

/// Whether `token` occurs in `name` (lower case) at the start of a word.
fn at_word_start(name: &str, token: &str) -> bool {
    name.match_indices(token).any(|(at, _)| at == 0 || !name.as_bytes()[at - 1].is_ascii_alphanumeric())
}

/// The makers a device's MAC registrant (`vendor`) and own names point to.
pub fn identify(lists: &Lists, vendor: Option<&str>, names: &[&str]) -> Identity {
    let mut makers: Vec<Known> = Vec::new();
    let vendor_lower = vendor.map(str::to_ascii_lowercase);
    for maker in &lists.makers {
        let by_name = names.iter().find(|name| {
            let lower = name.to_ascii_lowercase();
            maker.name_tokens.iter().any(|token| at_word_start(&lower, token))
        });
        // At a word start, so `ring llc` is no "Engineering LLC" and `irobot` no "Unirobot".
        let by_vendor =
            vendor_lower.as_deref().filter(|v| !maker.oui_vendor.is_empty() && at_word_start(v, maker.oui_vendor));
        let known = match (by_name, by_vendor) {
            (Some(name), _) => {
                Known { owner: maker.owner, kind: maker.kind, evidence: name.to_string(), from_name: true }
            }
            (None, Some(_)) => Known {
                owner: maker.owner,
                kind: maker.kind,
                evidence: vendor.unwrap_or_default().to_string(),
                from_name: false,
            },
            (None, None) => continue,
        };
        if !makers.iter().any(|m| m.owner == known.owner) {
            makers.push(known);
        }
    }
    // Brands first, those named by the device itself before those named by its MAC.
    makers.sort_by_key(|m| (m.kind == MakerKind::Module, !m.from_name));
    Identity { makers }
}

/// A name of the destination and where it was seen ("SNI", "DNS name", ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Named<'a> {
    pub name: &'a str,
    pub source: &'static str,
}

impl Named<'_> {
    fn words(&self) -> String {
        format!("{} {}", self.source, self.name)
    }
}

/// The judgement on a destination with `names` (most telling first) in network `asn`
/// (`as_org`), reached by devices of these identities.
pub fn judge(
    lists: &Lists,
    names: &[Named<'_>],
    asn: Option<u32>,
    as_org: Option<&str>,
    devices: &[Identity],
) -> Party {
    let no_device = [Identity::default()];
    let devices = if devices.is_empty() { &no_device[..] } else { devices };
    let listed: Vec<(Named<'_>, &'static str, Entry)> =
        names.iter().filter_map(|n| lists.domain(n.name).map(|(suffix, entry)| (*n, suffix, entry))).collect();
    let network = asn.and_then(|asn| lists.network(asn).map(|entry| (asn, entry)));
    // Each name's registrable domain, once for every device.
    let sites: Vec<(Named<'_>, Option<&str>)> = names.iter().map(|n| (*n, registrable(n.name))).collect();
    devices
        .iter()
        .map(|device| judge_for(device, &sites, &listed, network, as_org))
        .min_by_key(|party| party.kind)
        .expect("at least one device")
}

fn party(kind: PartyKind, owner: Option<&str>, basis: String) -> Party {
    Party { kind, owner: owner.map(str::to_string), basis }
}

/// The judgement for one device; `sites` are the destination's names with their registrable
/// domains.
fn judge_for(
    device: &Identity,
    sites: &[(Named<'_>, Option<&str>)],
    listed: &[(Named<'_>, &'static str, Entry)],
    network: Option<(u32, Entry)>,
    as_org: Option<&str>,
) -> Party {
    // The device's own maker, by a listed domain or network.
    for (named, suffix, entry) in listed {
        if let Some(known) = device.maker(entry.owner) {
            let what = if named.name == *suffix { "is" } else { "is in" };
            let basis = format!("{} {what} a domain of {}", named.words(), Identity::describe(known));
            return party(PartyKind::First, Some(entry.owner), basis);
        }
    }
    if let Some((asn, entry)) = network.filter(|_| sites.is_empty()) {
        if let Some(known) = device.maker(entry.owner) {
            let basis = format!("no name in the capture; AS{asn} is the network of {}", Identity::describe(known));
            return party(PartyKind::First, Some(entry.owner), basis);
        }
    }
    // A domain that bears the name of one of the device's makers (`lockly.com` for a Lockly).
    for (named, site) in sites {
        let Some(site) = *site else { continue };
        let label = chosen_label(site);
        let maker = device.makers.iter().find(|m| {
            let owner: String = m.owner.chars().filter(char::is_ascii_alphanumeric).collect();
            label.len() >= 4 && owner.eq_ignore_ascii_case(label)
        });
        if let Some(known) = maker {
            let basis = format!("{}: its domain {site} bears the name of {}", named.words(), Identity::describe(known));
            return party(PartyKind::First, Some(known.owner), basis);
        }
    }
    // Tracking is another company's whoever made the device.
    if let Some((named, _, entry)) =
        listed.iter().find(|(_, _, e)| matches!(e.role, Role::Analytics | Role::Advertising))
    {
        let basis = format!("{} is {}'s {}", named.words(), entry.owner, entry.role.words());
        return party(PartyKind::Third, Some(entry.owner), basis);
    }
    // Another company's own service: third. Another maker's cloud: third when the device's
    // brand is known (else it may be the device's own maker, under a name the lists do not
    // tie to it).
    let company = |role: Role| matches!(role, Role::Maker | Role::Company | Role::Service);
    let other = listed
        .iter()
        .map(|(named, _, entry)| (Some(named.words()), *entry))
        .chain(network.filter(|_| sites.is_empty()).map(|(_, entry)| (None, entry)))
        .find(|(_, entry)| company(entry.role));
    if let Some((named, entry)) = other {
        let what = match &named {
            Some(words) => format!("{words} is {}'s {}", entry.owner, entry.role.words()),
            None => format!("no name in the capture; the address is in {}'s own network", entry.owner),
        };
        return if matches!(entry.role, Role::Service | Role::Company) || device.brand_known() {
            party(PartyKind::Third, Some(entry.owner), format!("{what}, and {}", device.makers_words()))
        } else {
            party(PartyKind::Unknown, Some(entry.owner), format!("{what}, and {}", device.makers_words()))
        };
    }
    // Infrastructure that serves many makers.
    if let Some((named, _, entry)) = listed.iter().find(|(_, _, e)| e.role.supports()) {
        let basis = format!("{} is {}'s {}", named.words(), entry.owner, entry.role.words());
        return party(PartyKind::Support, Some(entry.owner), basis);
    }
    match (sites.first(), network) {
        (None, Some((asn, entry))) if entry.role.supports() => {
            let basis = format!("no name in the capture; AS{asn} is {}'s {}", entry.owner, entry.role.words());
            party(PartyKind::Support, Some(entry.owner), basis)
        }
        (Some((named, site)), _) => {
            let site = site.unwrap_or(named.name);
            let basis = format!("{}: the embedded lists do not say who owns {site}", named.words());
            party(PartyKind::Unknown, as_org, basis)
        }
        (None, _) => {
            let network = match (network, as_org) {
                (_, Some(org)) => format!("its network, {org}, is not on the embedded lists"),
                _ => "its network is not known".to_string(),
            };
            party(PartyKind::Unknown, as_org, format!("no name in the capture, and {network}"))
        }
    }
}
