//! What can be done with a finished report: share it as a link (the dialog), download it
//! as JSON or CSV, compare it with an earlier capture or report, and download a blocklist. A report opened from a link is not shared again from here (its link is
//! the one to pass on) and has no flows table.

use super::blocklist_panel::BlocklistPanel;
use super::compare_button::CompareButton;
use super::share_dialog::ShareDialog;
use super::{ReportRef, Shared};
use crate::browser::download;
use crate::export::Export;
use crate::state::{Comparison, Preview};
use std::collections::BTreeSet;
use web_sys::{File, HtmlElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ReportActionsProps {
    pub report: ReportRef,
    /// The report was opened from a share link.
    pub shared: bool,
    pub preview: Option<Preview>,
    pub on_preview: Callback<String>,
    pub on_close_preview: Callback<()>,
    /// Asks the worker for an export the page cannot write (it needs every flow).
    pub on_export: Callback<Export>,
    /// The last comparison with an earlier file.
    pub comparison: Option<Comparison>,
    /// Compares with an earlier capture or report; `None` where the worker holds no analysis
    /// to compare (a shared report).
    pub on_compare: Option<Callback<File>>,
    /// Destinations ticked in the table, for the blocklist.
    pub ticked: Shared<BTreeSet<usize>>,
}

#[component]
pub fn ReportActions(props: &ReportActionsProps) -> Html {
    let sharing = use_state_eq(|| false);
    let share_button = use_node_ref();
    let problem = use_state_eq(String::new);
    let blocklist = use_state_eq(|| false);

    let on_download = {
        let (report, problem, on_export) = (props.report.clone(), problem.clone(), props.on_export.clone());
        Callback::from(move |export: Export| {
            if !export.written_by_page(report.flows) {
                on_export.emit(export);
                return;
            }
            let text = export.contents(report.view());
            match download::save(export.file_name(), export.media_type(), &text) {
                Ok(()) => problem.set(String::new()),
                Err(why) => problem.set(format!("{} could not be saved: {why}", export.file_name())),
            }
        })
    };
    let open = {
        let sharing = sharing.clone();
        Callback::from(move |_: MouseEvent| sharing.set(true))
    };
    let on_close = {
        let (sharing, share_button, on_close_preview) =
            (sharing.clone(), share_button.clone(), props.on_close_preview.clone());
        Callback::from(move |()| {
            sharing.set(false);
            on_close_preview.emit(());
            // Back to where the user was before the dialog.
            if let Some(button) = share_button.cast::<HtmlElement>() {
                let _ = button.focus();
            }
        })
    };
    let toggle_blocklist = {
        let blocklist = blocklist.clone();
        Callback::from(move |_: MouseEvent| blocklist.set(!*blocklist))
    };
    let close_blocklist = {
        let blocklist = blocklist.clone();
        Callback::from(move |()| blocklist.set(false))
    };
    html! {
        <section class="report-actions" aria-label="Share and download the report">
            if !props.shared {
                <button type="button" class="primary" ref={share_button} onclick={open}>{ "Share report…" }</button>
            }
            { for Export::ALL.into_iter().filter(|e| e.available(props.report.flows)).map(|export| {
                let on_download = on_download.clone();
                html! {
                    <button type="button" onclick={Callback::from(move |_: MouseEvent| on_download.emit(export))}>
                        { export.label() }
                    </button>
                }
            }) }
            <button type="button" aria-expanded={blocklist.to_string()} onclick={toggle_blocklist}>{ "Download blocklist…" }</button>
            if let Some(on_compare) = &props.on_compare {
                <CompareButton comparison={props.comparison.clone()} on_compare={on_compare.clone()} />
            }
            if !problem.is_empty() {
                <p class="error-reason" role="alert">{ (*problem).clone() }</p>
            }
            if *blocklist {
                <BlocklistPanel report={props.report.clone()} ticked={props.ticked.clone()} on_close={close_blocklist} />
            }
            if *sharing {
                <ShareDialog report={props.report.clone()} preview={props.preview.clone()}
                    on_preview={props.on_preview.clone()} {on_download} {on_close} />
            }
        </section>
    }
}
