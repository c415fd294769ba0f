//! The report the page shows: the analysis as the worker sent it (without its flows, which
//! the worker keeps and gives one destination at a time), kept unchanged behind an `Rc`, and
//! the verdicts for the user's countries, the only part recomputed when they change.
//! Both compare by identity, so props and memoised tables notice exactly what changed: a new
//! home country rebuilds what depends on verdicts, never what depends on the analysis alone.

use phonehome::report::verdict::{judge, Verdicts, Viewpoint};
use phonehome::{Analysis, Report};
use std::rc::Rc;

#[derive(Debug, Clone)]
pub struct ReportRef {
    pub analysis: Rc<Analysis>,
    pub verdicts: Rc<Verdicts>,
    /// Flows the worker holds for this analysis (none for a shared report).
    pub flows: u64,
}

impl ReportRef {
    pub fn new(analysis: Rc<Analysis>, viewpoint: Viewpoint, flows: u64) -> ReportRef {
        let verdicts = Rc::new(judge(&analysis, viewpoint));
        ReportRef { analysis, verdicts, flows }
    }

    /// The same analysis seen from another viewpoint (the analysis itself is shared).
    pub fn judged(&self, viewpoint: Viewpoint) -> ReportRef {
        ReportRef::new(self.analysis.clone(), viewpoint, self.flows)
    }

    /// What the core's renderings and the page's derived tables read.
    pub fn view(&self) -> Report<'_> {
        Report::new(&self.analysis, &self.verdicts)
    }
}

impl PartialEq for ReportRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.analysis, &other.analysis)
            && Rc::ptr_eq(&self.verdicts, &other.verdicts)
            && self.flows == other.flows
    }
}
