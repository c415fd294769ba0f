//! Verdicts: which destinations are abroad or in a watched country, for one viewer.
//!
//! The analysis of a capture is the same for everyone; whether a destination is "foreign"
//! depends on who looks (their home country and their watch list). [`judge`] is the one place
//! that decides it, without touching the analysis: the CLI calls it once, the page each time
//! the user changes a country, and a share link's recipient with the sender's countries.

use super::model::{Analysis, Concern, Destination};
use crate::country::CountryCode;

/// Whose eyes a report is read with.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Viewpoint {
    /// `None` flags nothing as foreign.
    pub home: Option<CountryCode>,
    /// Countries whose destinations are flagged wherever home is, in the order given.
    pub watch: Vec<CountryCode>,
}

/// What one destination is, seen from a [`Viewpoint`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Verdict {
    /// A public address the table places outside the home country.
    pub foreign: bool,
    /// A public address the table places in a watched country.
    pub watched: bool,
    /// Foreign, and not an anycast address (which a site near the viewer answers): the
    /// `abroad` concern. `foreign` keeps its meaning (the registration country).
    pub abroad: bool,
}

impl Verdict {
    /// Whether the report calls it out (the page's flag column, the headline's list).
    pub fn flagged(self) -> bool {
        self.foreign || self.watched
    }
}

/// The verdict on every destination of one analysis, by index into its `destinations`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdicts {
    pub viewpoint: Viewpoint,
    verdicts: Vec<Verdict>,
}

impl Verdicts {
    /// The verdict on destination `index` (none for an index the analysis does not have).
    pub fn of(&self, index: usize) -> Verdict {
        self.verdicts.get(index).copied().unwrap_or_default()
    }

    pub fn foreign(&self) -> usize {
        self.verdicts.iter().filter(|v| v.foreign).count()
    }

    pub fn watched(&self) -> usize {
        self.verdicts.iter().filter(|v| v.watched).count()
    }
}

/// The verdicts on `analysis` from `viewpoint`. Only public addresses with a known country can
/// be foreign or watched: private, multicast and other special-purpose addresses never are.
pub fn judge(analysis: &Analysis, viewpoint: Viewpoint) -> Verdicts {
    let verdicts = analysis
        .destinations
        .iter()
        .map(|destination| match destination.public_country() {
            Some(country) => {
                let foreign = viewpoint.home.is_some_and(|home| home != country);
                Verdict {
                    foreign,
                    watched: viewpoint.watch.contains(&country),
                    abroad: foreign && !destination.anycast,
                }
            }
            None => Verdict::default(),
        })
        .collect();
    Verdicts { viewpoint, verdicts }
}

/// Every concern about a destination for this viewer, strongest first: those the capture
/// shows, and `watched` and `abroad` from its verdict.
pub fn concerns(destination: &Destination, verdict: Verdict) -> Vec<Concern> {
    let mut all: Vec<Concern> = destination.concerns.iter().copied().filter(|c| !c.of_the_viewer()).collect();
    all.extend(verdict.watched.then_some(Concern::Watched));
    all.extend(verdict.abroad.then_some(Concern::Abroad));
    all.sort_unstable();
    all.dedup();
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{analysis, code, destination};

    #[test]
    fn only_public_addresses_with_a_country_are_judged() {
        let mut analysis = analysis(vec![
            destination("52.1.1.1", Some("US")),
            destination("180.76.76.76", Some("CN")),
            destination("192.168.1.1", None),
            destination("9.9.9.9", None),
        ]);
        // The raw tables place some private ranges in a country: never judged.
        analysis.destinations[2].country = Some(code("CN"));
        let before = analysis.clone();
        let verdicts = judge(&analysis, Viewpoint { home: Some(code("US")), watch: vec![code("CN")] });
        assert_eq!(analysis, before, "the analysis is left as it was");
        let all: Vec<(bool, bool)> = (0..4).map(|i| verdicts.of(i)).map(|v| (v.foreign, v.watched)).collect();
        assert_eq!(all, [(false, false), (true, true), (false, false), (false, false)]);
        assert_eq!((verdicts.foreign(), verdicts.watched()), (1, 1));
        assert!(verdicts.of(1).abroad);
        let baidu = &analysis.destinations[1];
        assert_eq!(concerns(baidu, verdicts.of(1)), [Concern::Watched, Concern::Abroad]);
        assert_eq!(verdicts.of(99), Verdict::default());

        let nobody = judge(&analysis, Viewpoint::default());
        assert_eq!((nobody.foreign(), nobody.watched()), (0, 0));
        let german = judge(&analysis, Viewpoint { home: Some(code("DE")), watch: vec![] });
        assert_eq!(german.foreign(), 2);
    }

    #[test]
    fn anycast_is_foreign_but_never_abroad() {
        let mut analysis = analysis(vec![destination("1.1.1.1", Some("AU"))]);
        analysis.destinations[0].anycast = true;
        analysis.destinations[0].concerns = vec![Concern::NoDns];
        let v = judge(&analysis, Viewpoint { home: Some(code("US")), watch: vec![] }).of(0);
        assert!(v.foreign && !v.abroad);
        assert_eq!(concerns(&analysis.destinations[0], v), [Concern::NoDns]);
    }
}
