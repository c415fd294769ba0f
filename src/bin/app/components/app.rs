//! The root component: owns the state reducer and the analysis worker, takes files from the
//! picker, the demo button and drops anywhere on the page, opens share links found in the
//! page's address (on load and when the fragment changes), and lays out the panels.

use super::country_settings::CountrySettings;
use super::error_panel::ErrorPanel;
use super::geo_table_notice::GeoTableNotice;
use super::link_error_panel::LinkErrorPanel;
use super::load_panel::LoadPanel;
use super::progress_panel::ProgressPanel;
use super::report_actions::ReportActions;
use super::report_view::ReportView;
use super::shared_banner::SharedBanner;
use super::site_footer::SiteFooter;
use super::Shared;
use crate::browser::worker_link::WorkerLink;
use crate::browser::{clock, location, storage};
use crate::export::Export;
use crate::protocol::{Ask, Query, Start, VERSION};
use crate::share_link::fragment_in;
use crate::state::{Action, GeoTable, Phase, State};
use phonehome::country::CountryCode;
use phonehome::report::model::Address;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Blob, DragEvent, File, Response};
use yew::prelude::*;

mod worker_events;

use worker_events::worker_action;

/// Same-origin, relative: the demo capture ships with the site.
const DEMO_URL: &str = "./demo.pcap";
const DEMO_NAME: &str = "demo.pcap";

async fn fetch_demo() -> Result<Blob, String> {
    let window = web_sys::window().ok_or("no browser window")?;
    let describe = |e: JsValue| format!("{e:?}");
    let response: Response = JsFuture::from(window.fetch_with_str(DEMO_URL)).await.map_err(describe)?.unchecked_into();
    if !response.ok() {
        return Err(format!("the server answered {} {}", response.status(), response.status_text()));
    }
    let blob = JsFuture::from(response.blob().map_err(describe)?).await.map_err(describe)?;
    Ok(blob.unchecked_into())
}

/// Calls `handler` for a window event while the component is mounted.
fn listen(window: &web_sys::Window, kind: &'static str, handler: Closure<dyn FnMut(DragEvent)>) -> impl FnOnce() {
    let _ = window.add_event_listener_with_callback(kind, handler.as_ref().unchecked_ref());
    let window = window.clone();
    move || {
        let _ = window.remove_event_listener_with_callback(kind, handler.as_ref().unchecked_ref());
    }
}

#[component]
pub fn App() -> Html {
    let state = use_reducer(|| State::new(storage::load_home(), storage::load_watch()));
    let link = use_mut_ref(|| None::<WorkerLink>);
    // Counts loads, so a demo download that finishes after Cancel starts nothing.
    let run = use_mut_ref(|| Rc::new(Cell::new(0u32)));
    // Ids of share-link requests to the worker (links opened and previews).
    let request_ids = use_mut_ref(|| Rc::new(Cell::new(0u32)));
    let dragging = use_state_eq(|| false);

    {
        let (link, dispatcher) = (link.clone(), state.dispatcher());
        use_effect_with((), move |_| {
            let on_event = Callback::from(move |event| {
                if let Some(action) = worker_action(event) {
                    dispatcher.dispatch(action);
                }
            });
            *link.borrow_mut() = Some(WorkerLink::new(on_event));
            move || drop(link.borrow_mut().take())
        });
    }
    // Asks the worker to read a link's fragment, for opening it (replacing what is shown).
    let open_link = {
        let (link, dispatcher, run, ids) =
            (link.clone(), state.dispatcher(), run.borrow().clone(), request_ids.borrow().clone());
        Callback::from(move |fragment: String| {
            // A demo download still on its way must not start an analysis over the link.
            run.set(run.get().wrapping_add(1));
            let id = ids.get().wrapping_add(1);
            ids.set(id);
            dispatcher.dispatch(Action::OpenLink { id });
            if let Some(link) = link.borrow().as_ref() {
                link.open_shared(id, &fragment);
            }
        })
    };
    {
        // A link in the address when the page loads, or pasted into this tab later, or come
        // back to with Back. Its fragment gone (Forward past the link again, or erased by
        // hand), a shared report gives way to the drop zone; one's own report stays.
        let (open_link, dispatcher) = (open_link.clone(), state.dispatcher());
        use_effect_with((), move |_| {
            if let Some(fragment) = fragment_in(&location::hash()) {
                open_link.emit(fragment.to_string());
            }
            location::on_hash_change(move || match fragment_in(&location::hash()) {
                Some(fragment) => open_link.emit(fragment.to_string()),
                None => dispatcher
                    .dispatch(Action::LeaveShared { home: storage::load_home(), watch: storage::load_watch() }),
            })
        });
    }
    {
        // Remember the countries the user picks; the first run only loaded them. Countries
        // that came with a shared report (and the user's own, restored after it) are not
        // the user's choice, so they are not written.
        let first = use_mut_ref(|| true);
        let was_shared = use_mut_ref(|| false);
        let shared = state.shared.is_some();
        use_effect_with((state.home, state.watch.clone(), shared), move |(home, watch, shared)| {
            let from_shared = std::mem::replace(&mut *was_shared.borrow_mut(), *shared);
            if !std::mem::replace(&mut *first.borrow_mut(), false) && !*shared && !from_shared {
                let watch: Vec<String> = watch.iter().map(ToString::to_string).collect();
                storage::save(home.as_ref().map(CountryCode::as_str), &watch);
            }
        });
    }
    // Leaving a shared report (or a link that failed) restores the user's own countries.
    let showing_link = state.shared.is_some() || matches!(state.phase, Phase::Opening(_) | Phase::LinkFailed(_));
    let leave_shared = {
        let dispatcher = state.dispatcher();
        Callback::from(move |()| {
            location::leave_fragment();
            dispatcher.dispatch(Action::LeaveShared { home: storage::load_home(), watch: storage::load_watch() });
        })
    };
    // Back at the drop zone from a link, its first button takes the focus once it is drawn.
    let focus_drop_zone = use_mut_ref(|| false);
    {
        let focus_drop_zone = focus_drop_zone.clone();
        use_effect(move || {
            if *focus_drop_zone.borrow() {
                let button = web_sys::window()
                    .and_then(|w| w.document())
                    .and_then(|d| d.get_element_by_id("choose-capture"))
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                if let Some(button) = button {
                    let _ = button.focus();
                    *focus_drop_zone.borrow_mut() = false;
                }
            }
        });
    }
    let on_leave = {
        let leave_shared = leave_shared.clone();
        Callback::from(move |()| {
            *focus_drop_zone.borrow_mut() = true;
            leave_shared.emit(());
        })
    };
    let on_preview = {
        let (link, dispatcher, ids) = (link.clone(), state.dispatcher(), request_ids.borrow().clone());
        Callback::from(move |fragment: String| {
            let id = ids.get().wrapping_add(1);
            ids.set(id);
            dispatcher.dispatch(Action::PreviewRequested { id });
            if let Some(link) = link.borrow().as_ref() {
                link.open_shared(id, &fragment);
            }
        })
    };
    let on_close_preview = {
        let dispatcher = state.dispatcher();
        Callback::from(move |()| dispatcher.dispatch(Action::ClosePreview))
    };

    let analyse = {
        let (link, dispatcher, run) = (link.clone(), state.dispatcher(), run.borrow().clone());
        let leave_shared = showing_link.then(|| leave_shared.clone());
        Callback::from(move |(blob, name): (Blob, String)| {
            // One's own capture is judged with one's own countries, not a link's.
            if let Some(leave_shared) = &leave_shared {
                leave_shared.emit(());
            }
            let start = Start { v: VERSION };
            run.set(run.get().wrapping_add(1));
            dispatcher.dispatch(Action::Start {
                file_name: name,
                bytes_total: blob.size() as u64,
                now_ms: clock::now_ms(),
            });
            if let Some(link) = link.borrow().as_ref() {
                link.start(&blob, &start);
            }
        })
    };
    let on_file = {
        let analyse = analyse.clone();
        Callback::from(move |file: File| analyse.emit((file.clone().into(), file.name())))
    };
    let on_demo = {
        let (analyse, dispatcher, run) = (analyse.clone(), state.dispatcher(), run.borrow().clone());
        let leave_shared = showing_link.then(|| leave_shared.clone());
        Callback::from(move |()| {
            let (analyse, dispatcher, run) = (analyse.clone(), dispatcher.clone(), run.clone());
            // Before the download: the progress shown meanwhile is already one's own.
            if let Some(leave_shared) = &leave_shared {
                leave_shared.emit(());
            }
            let ticket = run.get().wrapping_add(1);
            run.set(ticket);
            dispatcher.dispatch(Action::Start { file_name: DEMO_NAME.into(), bytes_total: 0, now_ms: clock::now_ms() });
            wasm_bindgen_futures::spawn_local(async move {
                let result = fetch_demo().await;
                if run.get() != ticket {
                    return; // cancelled, or another file was chosen meanwhile
                }
                match result {
                    Ok(blob) => analyse.emit((blob, DEMO_NAME.into())),
                    Err(why) => dispatcher
                        .dispatch(Action::Fail { message: format!("the demo capture could not be downloaded: {why}") }),
                }
            });
        })
    };
    let on_cancel = {
        let (link, dispatcher, run) = (link.clone(), state.dispatcher(), run.borrow().clone());
        Callback::from(move |()| {
            run.set(run.get().wrapping_add(1));
            if let Some(link) = link.borrow().as_ref() {
                link.cancel();
            }
            dispatcher.dispatch(Action::Cancel);
        })
    };

    {
        // Drops anywhere on the page. Without preventDefault the browser would open the file
        // itself, leaving the page.
        let (on_file, dragging) = (on_file.clone(), dragging.clone());
        use_effect_with((), move |_| {
            let window = web_sys::window().expect("a page always has a window");
            let over = {
                let dragging = dragging.clone();
                Closure::<dyn FnMut(DragEvent)>::new(move |e: DragEvent| {
                    e.prevent_default();
                    if let Some(dt) = e.data_transfer() {
                        dt.set_drop_effect("copy");
                    }
                    dragging.set(true);
                })
            };
            let leave = {
                let dragging = dragging.clone();
                Closure::<dyn FnMut(DragEvent)>::new(move |e: DragEvent| {
                    // Only leaving the window itself ends the drag (no element to enter next).
                    if e.related_target().is_none() {
                        dragging.set(false);
                    }
                })
            };
            let drop = Closure::<dyn FnMut(DragEvent)>::new(move |e: DragEvent| {
                e.prevent_default();
                dragging.set(false);
                if let Some(file) = e.data_transfer().and_then(|dt| dt.files()).and_then(|files| files.get(0)) {
                    on_file.emit(file);
                }
            });
            let stops =
                [listen(&window, "dragover", over), listen(&window, "dragleave", leave), listen(&window, "drop", drop)];
            // From here a dropped or picked file is taken: a User Timing mark for profilers
            // and tests/e2e/bench.mjs (a browser without marks loses nothing).
            if let Some(performance) = window.performance() {
                let _ = performance.mark("phonehome:interactive");
            }
            move || stops.into_iter().for_each(|stop| stop())
        });
    }

    let dispatch = |make: fn(String) -> Action| {
        let dispatcher = state.dispatcher();
        Callback::from(move |value: String| dispatcher.dispatch(make(value)))
    };
    let on_home = {
        let dispatcher = state.dispatcher();
        Callback::from(move |home: Option<String>| dispatcher.dispatch(Action::SetHome(home)))
    };
    // Questions about the analysis go to the worker, which holds its flows. The report's
    // callbacks are made once (`use_callback`): a new one at each render would make every
    // device card and table re-render whenever anything changed, opening a flows view too.
    let on_show_flows = {
        let (link, dispatcher, ids) = (link.clone(), state.dispatcher(), request_ids.borrow().clone());
        use_callback((), move |destination: Address, _| {
            let id = ids.get().wrapping_add(1);
            ids.set(id);
            dispatcher.dispatch(Action::ShowFlows { destination, id });
            if let Some(link) = link.borrow().as_ref() {
                link.query(&Query { v: VERSION, id, ask: Ask::Flows { destination } });
            }
        })
    };
    let on_export = {
        let (link, ids) = (link.clone(), request_ids.borrow().clone());
        let (home, watch) = (state.home, state.watch.clone());
        Callback::from(move |export: Export| {
            let id = ids.get().wrapping_add(1);
            ids.set(id);
            if let Some(link) = link.borrow().as_ref() {
                link.query(&Query { v: VERSION, id, ask: Ask::Export { export, home, watch: watch.clone() } });
            }
        })
    };
    // The names the user gave devices: kept by the page, not by the report state, since they
    // outlive any one report.
    let labels = use_state(|| Rc::new(storage::load_labels()));
    let on_rename = {
        let labels = labels.clone();
        use_callback((*labels).clone(), move |(key, label): (String, String), _| {
            let next = labels.with(&key, &label);
            storage::save_labels(&next);
            labels.set(Rc::new(next));
        })
    };
    let on_compare = {
        let (link, dispatcher, ids) = (link.clone(), state.dispatcher(), request_ids.borrow().clone());
        Callback::from(move |file: File| {
            let id = ids.get().wrapping_add(1);
            ids.set(id);
            dispatcher.dispatch(Action::Compare { id, file_name: file.name() });
            if let Some(link) = link.borrow().as_ref() {
                link.compare(id, &file);
            }
        })
    };
    let on_tick = {
        let dispatcher = state.dispatcher();
        use_callback((), move |(index, on): (usize, bool), _| dispatcher.dispatch(Action::Tick { index, on }))
    };
    let on_close_flows = {
        let dispatcher = state.dispatcher();
        use_callback((), move |(), _| dispatcher.dispatch(Action::CloseFlows))
    };
    // The report's own date first: it is the table that made this report.
    let report_table_date = state.report.as_ref().and_then(|r| r.analysis.geo_table_date.clone()).map(AttrValue::from);

    html! {
        <>
            <a class="skip-link" href="#main">{ "Skip to content" }</a>
            <header class="masthead">
                <h1>{ "phonehome" }</h1>
                <p class="tagline">{ "Which servers do the devices on your network talk to, and in which countries?" }</p>
            </header>
            <main id="main">
                if let GeoTable::Unavailable(reason) = &state.geo_table {
                    <GeoTableNotice reason={reason.clone()} />
                }
                if let Some(origin) = &state.shared {
                    <SharedBanner origin={origin.clone()} table_date={state.geo_table.date().map(AttrValue::from)}
                        destinations={state.report.as_ref().map_or(0, |r| r.analysis.destinations.len())} on_leave={on_leave.clone()} />
                } else if !showing_link {
                    <LoadPanel busy={state.loading().is_some()} compact={state.report.is_some()} {on_file} {on_demo} />
                }
                if !matches!(state.phase, Phase::Opening(_) | Phase::LinkFailed(_)) {
                    <CountrySettings home={state.home.map(|c| AttrValue::from(c.to_string()))}
                        watch={state.watch.iter().map(|c| AttrValue::from(c.to_string())).collect::<Vec<_>>()}
                        {on_home} on_watch={dispatch(Action::Watch)} on_unwatch={dispatch(Action::Unwatch)} />
                }
                { match &state.phase {
                    Phase::Loading(loading) => html! { <ProgressPanel loading={loading.clone()} {on_cancel} /> },
                    Phase::Failed(failure) => html! { <ErrorPanel failure={failure.clone()} /> },
                    Phase::Opening(_) => html! { <p class="progress-panel" role="status">{ "Opening the shared report…" }</p> },
                    Phase::LinkFailed(message) => html! { <LinkErrorPanel message={message.clone()} on_leave={on_leave.clone()} /> },
                    Phase::Idle | Phase::Done => html! {},
                } }
                if let Some(problem) = &state.problem {
                    <p class="error-reason" role="alert" id="report-problem">{ format!("That could not be done: {problem}") }</p>
                }
                if let Some(report) = &state.report.as_ref().map(|r| if state.shared.is_some() { r.clone() } else { r.with_labels((*labels).clone()) }) {
                    <ReportActions report={report.clone()} shared={state.shared.is_some()} {on_export}
                        comparison={state.comparison.clone()} on_compare={state.shared.is_none().then_some(on_compare)}
                        ticked={Shared(state.ticked.clone())}
                        preview={state.preview.clone()} {on_preview} {on_close_preview} />
                    <ReportView report={report.clone()}
                        file_name={if state.shared.is_some() { "Shared report".to_string() } else { state.file_name.clone().unwrap_or_default() }}
                        analysis_seconds={state.analysis_seconds}
                        flows_for={state.flows_for.clone()} {on_show_flows} {on_close_flows}
                        on_rename={state.shared.is_none().then_some(on_rename)}
                        ticked={Shared(state.ticked.clone())} {on_tick} />
                }
            </main>
            <SiteFooter geo_table={state.geo_table.clone()} {report_table_date} />
            if *dragging {
                <div class="drop-overlay" aria-hidden="true"><p>{ "Drop the capture to analyse it here, in your browser" }</p></div>
            }
        </>
    }
}
