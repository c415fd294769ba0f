//! The reducer's tests: loads, cancels, failures, countries, flows, and share links.

use super::*;
use crate::fixtures::{analysis, code, destination};
use phonehome::report::verdict::Verdict;

fn start(state: &State) -> State {
    reduce(state, Action::Start { file_name: "home.pcap".into(), bytes_total: 100, now_ms: 1000.0 })
}

fn finished(state: &State) -> State {
    let a = analysis(vec![destination("180.76.76.76", Some("CN"))]);
    reduce(state, Action::Finish { analysis: Box::new(a), flows: 3, now_ms: 3500.0 })
}

/// The verdict on the shown report's first destination.
fn verdict(state: &State) -> Verdict {
    state.report.as_ref().expect("report").verdicts.of(0)
}

fn codes(list: &[&str]) -> Vec<CountryCode> {
    list.iter().map(|c| code(c)).collect()
}

#[test]
fn a_load_goes_from_start_through_progress_to_a_report() {
    let idle = State::new(Some("us".into()), vec!["cn".into(), "XX".into(), "CN".into()]);
    assert_eq!((idle.home, idle.watch.clone()), (Some(code("US")), codes(&["CN"])));
    let loading = start(&idle);
    let loading = reduce(&loading, Action::Progress { bytes_read: 40, bytes_total: 100, packets: 7, now_ms: 1500.0 });
    let l = loading.loading().expect("loading");
    assert_eq!((l.bytes_read, l.packets, l.elapsed_seconds()), (40, 7, 0.5));

    let done = finished(&loading);
    assert_eq!(done.phase, Phase::Done);
    assert_eq!(done.file_name.as_deref(), Some("home.pcap"));
    assert_eq!(done.analysis_seconds, Some(2.5));
    assert_eq!(done.report.as_ref().map(|r| r.flows), Some(3), "the worker holds the flows");
    assert_eq!(
        verdict(&done),
        Verdict { foreign: true, watched: true, abroad: true },
        "judged with the countries chosen before"
    );
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
    assert_eq!(failed.phase, Phase::Failed(Failure { file_name: "home.pcap".into(), message: "not a capture".into() }));
}

#[test]
fn changing_countries_rejudges_the_same_analysis() {
    let done = finished(&start(&State::new(Some("US".into()), vec![])));
    let flags = |s: &State| (verdict(s).foreign, verdict(s).watched);
    assert_eq!(flags(&done), (true, false));
    let home_cn = reduce(&done, Action::SetHome(Some("cn".into())));
    assert_eq!((flags(&home_cn), home_cn.home), ((false, false), Some(code("CN"))));
    let analysis_of = |s: &State| s.report.as_ref().expect("report").analysis.clone();
    assert!(Rc::ptr_eq(&analysis_of(&done), &analysis_of(&home_cn)), "the analysis is shared, not copied");
    assert_ne!(done.report, home_cn.report, "new verdicts make a new report for the components");
    let watching = reduce(&home_cn, Action::Watch("CN".into()));
    assert_eq!(flags(&watching), (false, true));
    assert_eq!(reduce(&watching, Action::Watch("cn".into())).watch, codes(&["CN"]));
    assert_eq!(flags(&reduce(&watching, Action::Unwatch("CN".into()))), (false, false));
    assert_eq!(reduce(&done, Action::SetHome(Some("nowhere".into()))).home, None);
    assert_eq!(reduce(&done, Action::Watch("ZZ".into())).watch, codes(&[]));
    assert_eq!(flags(&done), (true, false), "the earlier state's report is untouched");
}

#[test]
fn flows_view_opens_and_closes() {
    let destination: Address = "1.2.3.4".parse().unwrap();
    let s = reduce(&State::new(None, vec![]), Action::ShowFlows { destination, id: 8 });
    assert_eq!(s.flows_for, Some(FlowsFor { destination, id: 8, flows: None }));
    // An answer to an earlier request changes nothing; this one's fills the view.
    assert_eq!(reduce(&s, Action::FlowsRead { id: 7, flows: vec![] }), s);
    let read = reduce(&s, Action::FlowsRead { id: 8, flows: vec![] });
    assert_eq!(read.flows_for.and_then(|f| f.flows).map(|f| f.len()), Some(0));
    assert_eq!(reduce(&s, Action::CloseFlows).flows_for, None);
}

#[test]
fn the_worker_tells_the_table_date() {
    let starting = State::new(None, vec![]);
    assert_eq!((starting.geo_table.clone(), starting.geo_table.date()), (GeoTable::Loading, None));
    let s = reduce(&starting, Action::GeoTable(GeoTable::Loaded(Some("2026-06-17".into()))));
    assert_eq!(s.geo_table.date(), Some("2026-06-17"));
}

#[test]
fn a_table_that_could_not_load_has_no_date_and_the_reason_is_kept() {
    let s = reduce(&State::new(None, vec![]), Action::GeoTable(GeoTable::Unavailable("offline".into())));
    assert_eq!(s.geo_table.date(), None);
    assert_eq!(s.geo_table, GeoTable::Unavailable("offline".into()));
}

fn shared_view(home: &str) -> SharedView {
    SharedView {
        analysis: Rc::new(analysis(vec![destination("180.76.76.76", Some("CN"))])),
        viewpoint: Viewpoint { home: Some(code(home)), watch: codes(&["CN"]) },
        origin: SharedOrigin {
            created: 1_780_000_000,
            table_date: Some("2026-01-01".into()),
            total_destinations: None,
            redacted: true,
        },
    }
}

#[test]
fn a_link_replaces_what_was_shown_and_brings_its_countries() {
    let own = finished(&start(&State::new(Some("US".into()), vec![])));
    let opening = reduce(&own, Action::OpenLink { id: 7 });
    assert_eq!((opening.phase.clone(), opening.report.is_none()), (Phase::Opening(7), true));

    let shown = reduce(&opening, Action::LinkRead { id: 7, shared: shared_view("DE") });
    assert_eq!(shown.phase, Phase::Done);
    assert_eq!((shown.home, shown.watch.clone()), (Some(code("DE")), codes(&["CN"])));
    assert_eq!(verdict(&shown), Verdict { foreign: true, watched: true, abroad: true });
    assert_eq!(shown.shared.as_ref().map(|s| s.created), Some(1_780_000_000));
    assert_eq!(shown.file_name, None);

    // Changing the home country rejudges the shared report too.
    let home_cn = reduce(&shown, Action::SetHome(Some("CN".into())));
    assert!(!verdict(&home_cn).foreign);

    let back = reduce(&shown, Action::LeaveShared { home: Some("US".into()), watch: vec![] });
    assert_eq!((back.phase.clone(), back.report.is_none(), back.shared.is_none()), (Phase::Idle, true, true));
    assert_eq!(back.home, Some(code("US")));
}

#[test]
fn a_damaged_link_shows_its_message_and_no_report() {
    let opening = reduce(&State::new(None, vec![]), Action::OpenLink { id: 2 });
    let failed = reduce(&opening, Action::LinkDamaged { id: 2, message: "This link is damaged.".into() });
    assert_eq!(failed.phase, Phase::LinkFailed("This link is damaged.".into()));
    assert!(failed.report.is_none() && failed.shared.is_none());
    // A broken worker while opening is said as such.
    let broken = reduce(&opening, Action::Fail { message: "the worker stopped".into() });
    assert_eq!(broken.phase, Phase::LinkFailed("The shared report could not be opened: the worker stopped".into()));
    assert_eq!(reduce(&failed, Action::LeaveShared { home: None, watch: vec![] }).phase, Phase::Idle);
}

#[test]
fn late_answers_change_nothing() {
    let opening = reduce(&State::new(None, vec![]), Action::OpenLink { id: 3 });
    // An answer for an earlier link (replaced by link 3).
    assert_eq!(reduce(&opening, Action::LinkRead { id: 2, shared: shared_view("DE") }), opening);
    assert_eq!(reduce(&opening, Action::LinkDamaged { id: 2, message: "x".into() }), opening);
    // Leaving a shared report when none is shown does not reset one's own report.
    let own = finished(&start(&State::new(Some("US".into()), vec![])));
    assert_eq!(reduce(&own, Action::LeaveShared { home: None, watch: vec![] }), own);
}

#[test]
fn the_preview_follows_the_latest_request_only() {
    let own = finished(&start(&State::new(Some("US".into()), vec![])));
    let asked = reduce(&reduce(&own, Action::PreviewRequested { id: 4 }), Action::PreviewRequested { id: 5 });
    let stale = reduce(&asked, Action::LinkRead { id: 4, shared: shared_view("US") });
    assert_eq!(stale.preview, Some(Preview { id: 5, outcome: None }));
    let ready = reduce(&stale, Action::LinkRead { id: 5, shared: shared_view("US") });
    let outcome = ready.preview.as_ref().and_then(|p| p.outcome.clone()).expect("answered");
    assert_eq!(outcome.map(|v| v.origin.redacted), Ok(true));
    assert_eq!(ready.phase, Phase::Done, "a preview never replaces the report");
    assert!(ready.shared.is_none());
    let damaged = reduce(&asked, Action::LinkDamaged { id: 5, message: "damaged".into() });
    assert_eq!(damaged.preview.and_then(|p| p.outcome), Some(Err("damaged".into())));
    let broken = reduce(&asked, Action::Fail { message: "stopped".into() });
    assert_eq!(broken.phase, Phase::Done, "a broken preview leaves the report alone");
    assert_eq!(broken.problem, None, "the preview says it");
    assert!(matches!(broken.preview.and_then(|p| p.outcome), Some(Err(m)) if m.contains("stopped")));
    assert_eq!(reduce(&ready, Action::ClosePreview).preview, None);
}

#[test]
fn an_unanswered_question_about_the_report_is_said_and_closes_a_waiting_flows_view() {
    let own = finished(&start(&State::new(Some("US".into()), vec![])));
    let destination: Address = "180.76.76.76".parse().unwrap();
    let waiting = reduce(&own, Action::ShowFlows { destination, id: 9 });
    let failed = reduce(&waiting, Action::Fail { message: "the analysis worker is gone".into() });
    assert_eq!(failed.phase, Phase::Done, "the report stays");
    assert_eq!(failed.problem.as_deref(), Some("the analysis worker is gone"));
    assert_eq!(failed.flows_for, None);
    assert_eq!(start(&failed).problem, None, "a new capture starts afresh");
}
