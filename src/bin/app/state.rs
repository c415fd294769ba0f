//! The page's whole state and the one reducer that changes it: every user action and every
//! worker message becomes an [`Action`]; components only read [`State`] and dispatch.

use crate::country;
use phonehome::Report;
use std::rc::Rc;

#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// Nothing loaded yet, or the last load was cancelled.
    Idle,
    Loading(Loading),
    Failed(Failure),
    /// A report is shown (possibly partial: see its diagnostics).
    Done,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Loading {
    pub file_name: String,
    pub bytes_total: u64,
    pub bytes_read: u64,
    pub packets: u64,
    pub started_ms: f64,
    pub updated_ms: f64,
}

impl Loading {
    pub fn elapsed_seconds(&self) -> f64 {
        (self.updated_ms - self.started_ms).max(0.0) / 1000.0
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub file_name: String,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub phase: Phase,
    /// Shared, never copied into props: the report can hold hundreds of thousands of flows.
    pub report: Option<Rc<Report>>,
    /// Name of the file the report comes from.
    pub file_name: Option<String>,
    /// How long the analysis took, for the report's summary line.
    pub analysis_seconds: Option<f64>,
    /// ISO code of the home country, upper case.
    pub home: Option<String>,
    /// ISO codes of watched countries, upper case, sorted.
    pub watch: Vec<String>,
    /// The destination (IP) whose flows are shown.
    pub flows_for: Option<String>,
    /// Date of the IP table in the worker, as it announced it.
    pub table_date: Option<String>,
}

impl State {
    pub fn new(home: Option<String>, watch: Vec<String>) -> Self {
        let home = home.as_deref().and_then(country::normalize).map(str::to_string);
        let mut watch: Vec<String> = watch.iter().filter_map(|c| country::normalize(c)).map(str::to_string).collect();
        watch.sort();
        watch.dedup();
        State {
            phase: Phase::Idle,
            report: None,
            file_name: None,
            analysis_seconds: None,
            home,
            watch,
            flows_for: None,
            table_date: None,
        }
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
        report: Box<Report>,
        now_ms: f64,
    },
    Fail {
        message: String,
    },
    Cancel,
    SetHome(Option<String>),
    Watch(String),
    Unwatch(String),
    ShowFlows(String),
    CloseFlows,
    TableDate(Option<String>),
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
        }
        Action::Progress { bytes_read, bytes_total, packets, now_ms } => {
            if let Phase::Loading(loading) = &mut next.phase {
                loading.bytes_read = bytes_read;
                loading.bytes_total = bytes_total;
                loading.packets = packets;
                loading.updated_ms = now_ms;
            }
        }
        Action::Finish { mut report, now_ms } => {
            if let Phase::Loading(loading) = &state.phase {
                // The user may have changed countries while the worker ran.
                report.apply_countries(next.home.as_deref(), &next.watch);
                next.report = Some(Rc::new(*report));
                next.file_name = Some(loading.file_name.clone());
                next.analysis_seconds = Some((now_ms - loading.started_ms).max(0.0) / 1000.0);
                next.phase = Phase::Done;
            }
        }
        Action::Fail { message } => {
            if let Phase::Loading(loading) = &state.phase {
                next.phase = Phase::Failed(Failure { file_name: loading.file_name.clone(), message });
            }
        }
        Action::Cancel => {
            if matches!(state.phase, Phase::Loading(_)) {
                next.phase = Phase::Idle;
            }
        }
        Action::SetHome(home) => {
            next.home = home.as_deref().and_then(country::normalize).map(str::to_string);
            remark(&mut next);
        }
        Action::Watch(code) => {
            if let Some(code) = country::normalize(&code) {
                if !next.watch.iter().any(|w| w == code) {
                    next.watch.push(code.to_string());
                    next.watch.sort();
                    remark(&mut next);
                }
            }
        }
        Action::Unwatch(code) => {
            next.watch.retain(|w| !w.eq_ignore_ascii_case(&code));
            remark(&mut next);
        }
        Action::ShowFlows(ip) => next.flows_for = Some(ip),
        Action::CloseFlows => next.flows_for = None,
        Action::TableDate(date) => next.table_date = date,
    }
    next
}

/// Re-marks the shown report for the current countries (a copy: the old one may be shared).
fn remark(state: &mut State) {
    if let Some(report) = &state.report {
        let mut report = Report::clone(report);
        report.apply_countries(state.home.as_deref(), &state.watch);
        state.report = Some(Rc::new(report));
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
mod tests {
    use super::*;
    use crate::fixtures::{destination, report};

    fn start(state: &State) -> State {
        reduce(state, Action::Start { file_name: "home.pcap".into(), bytes_total: 100, now_ms: 1000.0 })
    }

    fn finished(state: &State) -> State {
        let r = report(vec![destination("180.76.76.76", "public", Some("CN"))]);
        reduce(state, Action::Finish { report: Box::new(r), now_ms: 3500.0 })
    }

    #[test]
    fn a_load_goes_from_start_through_progress_to_a_report() {
        let idle = State::new(Some("us".into()), vec!["cn".into(), "XX".into(), "CN".into()]);
        assert_eq!((idle.home.as_deref(), idle.watch.as_slice()), (Some("US"), &["CN".to_string()][..]));
        let loading = start(&idle);
        let loading =
            reduce(&loading, Action::Progress { bytes_read: 40, bytes_total: 100, packets: 7, now_ms: 1500.0 });
        let l = loading.loading().expect("loading");
        assert_eq!((l.bytes_read, l.packets, l.elapsed_seconds()), (40, 7, 0.5));

        let done = finished(&loading);
        assert_eq!(done.phase, Phase::Done);
        assert_eq!(done.file_name.as_deref(), Some("home.pcap"));
        assert_eq!(done.analysis_seconds, Some(2.5));
        let d = &done.report.as_ref().expect("report").destinations[0];
        assert!(d.foreign && d.watched, "marked with the countries chosen before the load");
    }

    #[test]
    fn messages_after_cancel_change_nothing() {
        let cancelled = reduce(&start(&State::new(None, vec![])), Action::Cancel);
        assert_eq!(cancelled.phase, Phase::Idle);
        assert_eq!(finished(&cancelled), cancelled);
        assert_eq!(reduce(&cancelled, Action::Fail { message: "late".into() }), cancelled);
        assert_eq!(
            reduce(&cancelled, Action::Progress { bytes_read: 1, bytes_total: 1, packets: 1, now_ms: 0.0 }),
            cancelled
        );
    }

    #[test]
    fn a_failure_names_the_file() {
        let failed = reduce(&start(&State::new(None, vec![])), Action::Fail { message: "not a capture".into() });
        assert_eq!(
            failed.phase,
            Phase::Failed(Failure { file_name: "home.pcap".into(), message: "not a capture".into() })
        );
    }

    #[test]
    fn changing_countries_re_marks_the_report() {
        let done = finished(&start(&State::new(Some("US".into()), vec![])));
        let flags = |s: &State| {
            let d = &s.report.as_ref().expect("report").destinations[0];
            (d.foreign, d.watched)
        };
        assert_eq!(flags(&done), (true, false));
        let home_cn = reduce(&done, Action::SetHome(Some("cn".into())));
        assert_eq!((flags(&home_cn), home_cn.home.as_deref()), ((false, false), Some("CN")));
        let watching = reduce(&home_cn, Action::Watch("CN".into()));
        assert_eq!(flags(&watching), (false, true));
        assert_eq!(reduce(&watching, Action::Watch("cn".into())).watch, ["CN"]);
        assert_eq!(flags(&reduce(&watching, Action::Unwatch("CN".into()))), (false, false));
        assert_eq!(reduce(&done, Action::SetHome(Some("nowhere".into()))).home, None);
        assert_eq!(flags(&done), (true, false), "the earlier state's report is untouched");
    }

    #[test]
    fn flows_view_opens_and_closes() {
        let s = reduce(&State::new(None, vec![]), Action::ShowFlows("1.2.3.4".into()));
        assert_eq!(s.flows_for.as_deref(), Some("1.2.3.4"));
        assert_eq!(reduce(&s, Action::CloseFlows).flows_for, None);
    }

    #[test]
    fn the_worker_tells_the_table_date() {
        let s = reduce(&State::new(None, vec![]), Action::TableDate(Some("2026-06-17".into())));
        assert_eq!(s.table_date.as_deref(), Some("2026-06-17"));
    }
}
