//! The page's whole state and the one reducer that changes it: every user action and every
//! worker message becomes an [`Action`]; components only read [`State`] and dispatch.
//!
//! A report comes either from a capture the worker analysed or from a share link the worker
//! opened (read-only: [`State::shared`] says where and when it was made). Requests for links
//! carry an id, so an answer that arrives late (for an older preview, or a link replaced by
//! another) changes nothing.

use crate::shown::{NewSince, ReportRef};
use phonehome::country::CountryCode;
use phonehome::report::model::{Address, Flow};
use phonehome::report::verdict::Viewpoint;
use phonehome::Analysis;
use std::collections::BTreeSet;
use std::rc::Rc;

mod parts;

pub use parts::{Comparison, Failure, FlowsFor, GeoTable, Loading, Preview, SharedOrigin, SharedView};

#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// Nothing loaded yet, or the last load was cancelled.
    Idle,
    Loading(Loading),
    Failed(Failure),
    /// The worker is reading the share link of this request.
    Opening(u32),
    /// A share link could not be opened; the message says why, for the user.
    LinkFailed(String),
    /// A report is shown (possibly partial: see its diagnostics).
    Done,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub phase: Phase,
    /// The analysis as received and its verdicts for `home` and `watch`; shared, never copied
    /// into props (it can hold hundreds of thousands of flows).
    pub report: Option<ReportRef>,
    /// Name of the file the report comes from.
    pub file_name: Option<String>,
    /// How long the analysis took, for the report's summary line.
    pub analysis_seconds: Option<f64>,
    pub home: Option<CountryCode>,
    /// Sorted, once each.
    pub watch: Vec<CountryCode>,
    /// The destination whose flows are shown, and its flows once the worker gave them.
    pub flows_for: Option<FlowsFor>,
    /// The IP table in the worker, as it announced it.
    pub geo_table: GeoTable,
    /// Set when the shown report was opened from a share link.
    pub shared: Option<SharedOrigin>,
    /// The share dialog's preview, while the dialog is open.
    pub preview: Option<Preview>,
    /// What the worker could not do for the shown report (an export, a destination's flows),
    /// in its words.
    pub problem: Option<String>,
    /// The last comparison with an earlier capture or report (the marks are in `report`).
    pub comparison: Option<Comparison>,
    /// Destinations the user ticked for a blocklist, by index.
    pub ticked: Rc<BTreeSet<usize>>,
}

impl State {
    /// A fresh page, with the countries the user chose before (as they were stored).
    pub fn new(home: Option<String>, watch: Vec<String>) -> Self {
        let home = home.as_deref().and_then(CountryCode::listed);
        let watch = normalized(watch.iter().filter_map(|c| CountryCode::listed(c)));
        State {
            phase: Phase::Idle,
            report: None,
            file_name: None,
            analysis_seconds: None,
            home,
            watch,
            flows_for: None,
            geo_table: GeoTable::Loading,
            shared: None,
            preview: None,
            problem: None,
            comparison: None,
            ticked: Rc::default(),
        }
    }

    /// The countries the report is judged from.
    pub fn viewpoint(&self) -> Viewpoint {
        Viewpoint { home: self.home, watch: self.watch.clone() }
    }

    pub fn loading(&self) -> Option<&Loading> {
        match &self.phase {
            Phase::Loading(loading) => Some(loading),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// The user chose a capture; the worker was asked to read it.
    Start {
        file_name: String,
        bytes_total: u64,
        now_ms: f64,
    },
    Progress {
        bytes_read: u64,
        bytes_total: u64,
        packets: u64,
        now_ms: f64,
    },
    Finish {
        analysis: Box<Analysis>,
        /// Flows the worker holds (it keeps them, the page asks for them).
        flows: u64,
        now_ms: f64,
    },
    Fail {
        message: String,
    },
    Cancel,
    SetHome(Option<String>),
    Watch(String),
    Unwatch(String),
    /// The user opened a destination's flows; the worker was asked with request `id`.
    ShowFlows {
        destination: Address,
        id: u32,
    },
    /// The worker's answer to request `id`.
    FlowsRead {
        id: u32,
        flows: Vec<Flow>,
    },
    CloseFlows,
    /// The worker is ready, with its IP table loaded or not.
    GeoTable(GeoTable),
    /// The page found a share link (on load or when its fragment changed) and asked the
    /// worker to read it with request `id`; it replaces whatever was shown.
    OpenLink {
        id: u32,
    },
    /// The worker's reading of request `id`: a link being opened, or the dialog's preview.
    LinkRead {
        id: u32,
        shared: SharedView,
    },
    LinkDamaged {
        id: u32,
        message: String,
    },
    /// Back from a shared report to one's own captures, with one's own remembered countries.
    LeaveShared {
        home: Option<String>,
        watch: Vec<String>,
    },
    /// The share dialog asked the worker to read back the link it made.
    PreviewRequested {
        id: u32,
    },
    ClosePreview,
    /// The user chose an earlier capture or report; the worker was asked with request `id`.
    Compare {
        id: u32,
        file_name: String,
    },
    /// The worker's answer: indexes of the destinations new since the earlier file.
    Compared {
        id: u32,
        new: Vec<u32>,
        since: Option<f64>,
    },
    CompareFailed {
        id: u32,
        message: String,
    },
    /// The user ticked (or unticked) destination `index` for a blocklist.
    Tick {
        index: usize,
        on: bool,
    },
}

/// The state after an action. Worker messages that arrive when no load is running (a
/// cancelled run's last words) change nothing.
pub fn reduce(state: &State, action: Action) -> State {
    let mut next = state.clone();
    match action {
        Action::Start { file_name, bytes_total, now_ms } => {
            next.phase = Phase::Loading(Loading {
                file_name,
                bytes_total,
                bytes_read: 0,
                packets: 0,
                started_ms: now_ms,
                updated_ms: now_ms,
            });
            next.report = None;
            next.file_name = None;
            next.analysis_seconds = None;
            next.flows_for = None;
            next.shared = None;
            next.preview = None;
            next.problem = None;
            next.comparison = None;
            next.ticked = Rc::default();
        }
        Action::Progress { bytes_read, bytes_total, packets, now_ms } => {
            if let Phase::Loading(loading) = &mut next.phase {
                loading.bytes_read = bytes_read;
                loading.bytes_total = bytes_total;
                loading.packets = packets;
                loading.updated_ms = now_ms;
            }
        }
        Action::Finish { analysis, flows, now_ms } => {
            if let Phase::Loading(loading) = &state.phase {
                next.report = Some(ReportRef::new(Rc::new(*analysis), next.viewpoint(), flows));
                next.file_name = Some(loading.file_name.clone());
                next.analysis_seconds = Some((now_ms - loading.started_ms).max(0.0) / 1000.0);
                next.phase = Phase::Done;
            }
        }
        Action::Fail { message } => {
            match &state.phase {
                Phase::Loading(loading) => {
                    next.phase =
                        Phase::Failed(Failure { file_name: loading.file_name.clone(), message: message.clone() })
                }
                Phase::Opening(_) => {
                    next.phase = Phase::LinkFailed(format!("The shared report could not be opened: {message}"))
                }
                Phase::Done if next.preview.as_ref().is_none_or(|p| p.outcome.is_some()) => {
                    // A question about the shown report went unanswered: say so, and close a
                    // flows view still waiting for its answer.
                    next.problem = Some(message.clone());
                    next.flows_for = next.flows_for.take().filter(|f| f.flows.is_some());
                }
                _ => {}
            }
            if let Some(preview) = &mut next.preview {
                if preview.outcome.is_none() {
                    preview.outcome = Some(Err(format!("The preview could not be made: {message}")));
                }
            }
        }
        Action::Cancel => {
            if matches!(state.phase, Phase::Loading(_)) {
                next.phase = Phase::Idle;
            }
        }
        Action::SetHome(home) => {
            next.home = home.as_deref().and_then(CountryCode::listed);
            rejudge(&mut next);
        }
        Action::Watch(code) => {
            if let Some(code) = CountryCode::listed(&code) {
                if !next.watch.contains(&code) {
                    next.watch = normalized(next.watch.iter().copied().chain([code]));
                    rejudge(&mut next);
                }
            }
        }
        Action::Unwatch(code) => {
            next.watch.retain(|w| Some(*w) != CountryCode::new(&code));
            rejudge(&mut next);
        }
        Action::ShowFlows { destination, id } => next.flows_for = Some(FlowsFor { destination, id, flows: None }),
        Action::FlowsRead { id, flows } => {
            if let Some(shown) = next.flows_for.as_mut().filter(|f| f.id == id) {
                shown.flows = Some(Rc::new(flows));
            }
        }
        Action::CloseFlows => next.flows_for = None,
        Action::GeoTable(table) => next.geo_table = table,
        Action::OpenLink { id } => {
            next.problem = None;
            next.phase = Phase::Opening(id);
            next.report = None;
            next.file_name = None;
            next.analysis_seconds = None;
            next.flows_for = None;
            next.shared = None;
            next.preview = None;
            next.comparison = None;
            next.ticked = Rc::default();
        }
        Action::LinkRead { id, shared } => {
            if state.phase == Phase::Opening(id) {
                // Shown as the sender set it up; changing the countries here re-marks it, and
                // is not remembered (the user's own choice stays for their own captures).
                next.home = shared.viewpoint.home.filter(|c| CountryCode::listed(c.as_str()).is_some());
                next.watch = normalized(shared.viewpoint.watch.iter().filter_map(|c| CountryCode::listed(c.as_str())));
                next.report = Some(ReportRef::new(shared.analysis, next.viewpoint(), 0));
                next.shared = Some(shared.origin);
                next.phase = Phase::Done;
            } else if let Some(preview) = next.preview.as_mut().filter(|p| p.id == id) {
                preview.outcome = Some(Ok(Rc::new(shared)));
            }
        }
        Action::LinkDamaged { id, message } => {
            if state.phase == Phase::Opening(id) {
                next.phase = Phase::LinkFailed(message);
            } else if let Some(preview) = next.preview.as_mut().filter(|p| p.id == id) {
                preview.outcome = Some(Err(message));
            }
        }
        Action::LeaveShared { home, watch } => {
            if state.shared.is_some() || matches!(state.phase, Phase::Opening(_) | Phase::LinkFailed(_)) {
                next = State { geo_table: state.geo_table.clone(), ..State::new(home, watch) };
            }
        }
        Action::PreviewRequested { id } => next.preview = Some(Preview { id, outcome: None }),
        Action::ClosePreview => next.preview = None,
        Action::Compare { id, file_name } => next.comparison = Some(Comparison { id, file_name, outcome: None }),
        Action::Compared { id, new, since } => {
            if let (Some(c), Some(report)) = (next.comparison.as_mut().filter(|c| c.id == id), next.report.as_mut()) {
                c.outcome = Some(Ok(()));
                let marks = NewSince::new(&new, report.analysis.destinations.len(), since);
                report.new = Some(Rc::new(marks));
            }
        }
        Action::CompareFailed { id, message } => {
            // The report shown stays as it was, with the marks of an earlier comparison.
            if let Some(c) = next.comparison.as_mut().filter(|c| c.id == id) {
                c.outcome = Some(Err(message));
            }
        }
        Action::Tick { index, on } => {
            let mut ticked = (*next.ticked).clone();
            if on {
                ticked.insert(index)
            } else {
                ticked.remove(&index)
            };
            next.ticked = Rc::new(ticked);
        }
    }
    next
}

/// Country codes sorted, once each.
fn normalized(codes: impl Iterator<Item = CountryCode>) -> Vec<CountryCode> {
    let mut list: Vec<CountryCode> = codes.collect();
    list.sort();
    list.dedup();
    list
}

/// New verdicts for the current countries; the analysis is kept as it is.
fn rejudge(state: &mut State) {
    let viewpoint = state.viewpoint();
    if let Some(report) = &mut state.report {
        *report = report.judged(viewpoint);
    }
}

#[cfg(target_arch = "wasm32")]
impl yew::Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(reduce(&self, action))
    }
}

#[cfg(test)]
mod tests;
