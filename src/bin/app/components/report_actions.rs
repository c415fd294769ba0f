//! What can be done with a finished report: share it as a link (the dialog) and download it
//! as JSON or CSV. A report opened from a link is not shared again from here (its link is
//! the one to pass on) and has no flows table.

use super::share_dialog::ShareDialog;
use super::ReportRef;
use crate::browser::download;
use crate::export::Export;
use crate::state::Preview;
use web_sys::HtmlElement;
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
}

#[component]
pub fn ReportActions(props: &ReportActionsProps) -> Html {
    let sharing = use_state_eq(|| false);
    let share_button = use_node_ref();
    let problem = use_state_eq(String::new);

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
            if !problem.is_empty() {
                <p class="error-reason" role="alert">{ (*problem).clone() }</p>
            }
            if *sharing {
                <ShareDialog report={props.report.clone()} preview={props.preview.clone()}
                    on_preview={props.on_preview.clone()} {on_download} {on_close} />
            }
        </section>
    }
}
