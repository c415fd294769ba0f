//! The report: the typed analysis ([`model`]), the verdicts of one viewpoint ([`verdict`]),
//! the words people read ([`wording`]), and its renderings: the JSON contract ([`json`]),
//! text and CSV.

pub mod anycast;
pub mod blocklist;
pub mod build;
pub mod compare;
pub mod csv;
pub mod json;
pub mod model;
pub mod scan;
pub mod text;
pub mod values;
pub mod verdict;
pub mod wording;

use model::{Analysis, Destination};
use verdict::{Verdict, Verdicts};

/// An analysis as one viewer sees it: what every rendering (text, CSV, JSON, the page) reads.
#[derive(Debug, Clone, Copy)]
pub struct Report<'a> {
    pub analysis: &'a Analysis,
    pub verdicts: &'a Verdicts,
}

impl<'a> Report<'a> {
    pub fn new(analysis: &'a Analysis, verdicts: &'a Verdicts) -> Report<'a> {
        Report { analysis, verdicts }
    }

    /// Every destination with its verdict, in the analysis's order.
    pub fn destinations(self) -> impl Iterator<Item = (&'a Destination, Verdict)> {
        let verdicts = self.verdicts;
        self.analysis.destinations.iter().enumerate().map(move |(i, d)| (d, verdicts.of(i)))
    }
}

/// The analysis of a capture among the test captures (`tests/captures/`), for the renderings'
/// tests.
#[cfg(all(test, feature = "embedded-geo"))]
pub(crate) fn analysis_of_test_capture(bytes: &[u8]) -> Analysis {
    let mut analyzer = crate::Analyzer::new();
    analyzer.feed(bytes);
    analyzer.finish(crate::geo::embedded()).expect("the test capture reads")
}

/// Small hand-made analyses for tests, here and in the page's.
#[cfg(any(test, feature = "synth"))]
pub mod fixtures;
