//! The report the page shows: the analysis as the worker sent it (without its flows, which
//! the worker keeps and gives one destination at a time), kept unchanged behind an `Rc`, and
//! the verdicts for the user's countries, the only part recomputed when they change.
//! Both compare by identity, so props and memoised tables notice exactly what changed: a new
//! home country rebuilds what depends on verdicts, never what depends on the analysis alone.

use crate::device_traffic::device_label;
use crate::labels::Labels;
use phonehome::report::model::Device;
use phonehome::report::verdict::{judge, Verdicts, Viewpoint};
use phonehome::{Analysis, Report};
use std::rc::Rc;

#[derive(Debug, Clone)]
pub struct ReportRef {
    pub analysis: Rc<Analysis>,
    pub verdicts: Rc<Verdicts>,
    /// Flows the worker holds for this analysis (none for a shared report).
    pub flows: u64,
    /// The names the user gave devices (none for a shared report).
    pub labels: Rc<Labels>,
    /// What is new since an earlier capture or report, once the user compared with one.
    pub new: Option<Rc<NewSince>>,
}

/// The destinations new since an earlier capture or report, as the worker marked them.
#[derive(Debug, PartialEq)]
pub struct NewSince {
    /// By destination index.
    pub marks: Vec<bool>,
    pub count: usize,
    /// When the earlier capture started, Unix seconds.
    pub since: Option<f64>,
}

impl NewSince {
    /// From the indexes of the new ones among `destinations` (others ignored).
    pub fn new(new: &[u32], destinations: usize, since: Option<f64>) -> NewSince {
        let mut marks = vec![false; destinations];
        for &i in new {
            if let Some(mark) = marks.get_mut(i as usize) {
                *mark = true;
            }
        }
        let count = marks.iter().filter(|m| **m).count();
        NewSince { marks, count, since }
    }

    pub fn is_new(&self, index: usize) -> bool {
        self.marks.get(index).copied().unwrap_or(false)
    }
}

impl ReportRef {
    pub fn new(analysis: Rc<Analysis>, viewpoint: Viewpoint, flows: u64) -> ReportRef {
        let verdicts = Rc::new(judge(&analysis, viewpoint));
        ReportRef { analysis, verdicts, flows, labels: Rc::default(), new: None }
    }

    /// The same report with the user's names for devices.
    pub fn with_labels(&self, labels: Rc<Labels>) -> ReportRef {
        ReportRef { labels, ..self.clone() }
    }

    /// Whether destination `index` is new since the earlier capture compared with.
    pub fn is_new(&self, index: usize) -> bool {
        self.new.as_ref().is_some_and(|n| n.is_new(index))
    }

    /// What the page calls a device: the user's name for it, else its own best name.
    pub fn label(&self, device: &Device) -> String {
        self.labels.of(device).map_or_else(|| device_label(device), str::to_string)
    }

    /// The analysis with the user's names as the devices' names, for a share link that keeps
    /// names; `None` when the user named no device.
    pub fn labelled(&self) -> Option<Analysis> {
        if self.labels.is_empty() {
            return None;
        }
        let mut analysis = (*self.analysis).clone();
        for device in &mut analysis.devices {
            if let Some(label) = self.labels.of(device) {
                device.name = Some(label.to_string());
            }
        }
        Some(analysis)
    }

    /// The same analysis seen from another viewpoint (the analysis itself is shared).
    pub fn judged(&self, viewpoint: Viewpoint) -> ReportRef {
        ReportRef { verdicts: Rc::new(judge(&self.analysis, viewpoint)), ..self.clone() }
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
            && Rc::ptr_eq(&self.labels, &other.labels)
            && match (&self.new, &other.new) {
                (Some(a), Some(b)) => Rc::ptr_eq(a, b),
                (a, b) => a.is_none() && b.is_none(),
            }
    }
}
