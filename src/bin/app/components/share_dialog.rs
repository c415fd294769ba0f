//! The share dialog: what to hide, a preview of exactly what the link holds (the link read
//! back by the worker, as a recipient's page reads it), the link and its length, Copy, and
//! the system share sheet where there is one. A report too large for a link is said so, with
//! the numbers, and the top destinations or the JSON file are offered instead.
//!
//! It is a native modal `<dialog>` (the rest of the page is inert while it is open, Esc
//! closes it); Tab and Shift+Tab are also kept inside it by hand, so focus never wanders to
//! the browser's own controls and back.

use super::share_preview::SharePreview;
use super::ReportRef;
use crate::browser::{clock, location, sharing};
use crate::export::Export;
use crate::format;
use crate::share_link::{self, LinkChoices, LinkOutcome, TOP_DESTINATIONS};
use crate::state::Preview;
use phonehome::share::MAX_LINK_CHARS;
use phonehome::Report;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlDialogElement, HtmlElement, HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

/// What can take focus inside the dialog, for keeping Tab inside it.
const FOCUSABLE: &str =
    "button:not([disabled]), input:not([disabled]), textarea, [href], [tabindex]:not([tabindex=\"-1\"])";

#[derive(Properties, PartialEq)]
pub struct ShareDialogProps {
    pub report: ReportRef,
    /// The worker's reading of the latest link made here.
    pub preview: Option<Preview>,
    /// Asks the worker to read back a fragment.
    pub on_preview: Callback<String>,
    pub on_download: Callback<Export>,
    pub on_close: Callback<()>,
}

#[component]
pub fn ShareDialog(props: &ShareDialogProps) -> Html {
    let dialog = use_node_ref();
    let link_field = use_node_ref();
    let choices = use_state_eq(LinkChoices::default);
    // One time for the whole dialog, so the previewed link is the copied one.
    let created = use_memo((), |_| (clock::now_ms() / 1000.0).max(0.0) as u64);
    let page = use_memo((), |_| location::href());
    let outcome = use_memo((props.report.clone(), *choices), {
        let (page, created) = (page.clone(), *created);
        move |(report, choices)| {
            // The user's names for devices travel only in a link that keeps names.
            // (Copied only then: `labelled` clones the whole analysis.)
            let labelled = if choices.names_kept() { report.labelled() } else { None };
            let view = labelled.as_ref().map_or_else(|| report.view(), |a| Report::new(a, &report.verdicts));
            share_link::make(view, &page, choices, created)
        }
    });
    let status = use_state_eq(String::new);
    {
        let dialog = dialog.clone();
        use_effect_with((), move |_| {
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                if !d.open() {
                    let _ = d.show_modal();
                }
            }
        });
    }
    // Set when the button that had the focus goes away with the new link ("top 50 only").
    let focus_link = use_mut_ref(|| false);
    {
        let (on_preview, status) = (props.on_preview.clone(), status.clone());
        let (focus_link, link_field) = (focus_link.clone(), link_field.clone());
        use_effect_with(outcome.clone(), move |outcome| {
            status.set(String::new());
            if let LinkOutcome::Ready { fragment, .. } = &**outcome {
                on_preview.emit(fragment.clone());
                if std::mem::take(&mut *focus_link.borrow_mut()) {
                    if let Some(field) = link_field.cast::<HtmlElement>() {
                        let _ = field.focus();
                    }
                }
            }
        });
    }

    let close = {
        let dialog = dialog.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                d.close();
            }
        })
    };
    let on_closed = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: Event| on_close.emit(()))
    };
    let on_key = {
        let dialog = dialog.clone();
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Escape" => {
                e.prevent_default();
                if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                    d.close();
                }
            }
            "Tab" => keep_focus_inside(&dialog, &e),
            _ => {}
        })
    };
    let toggle = |set: fn(&mut LinkChoices, bool)| {
        let choices = choices.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let mut next = *choices;
            set(&mut next, input.checked());
            choices.set(next);
        })
    };
    let on_hide_local = toggle(|c, on| c.hide_local = on);
    let on_keep_names = toggle(|c, on| c.keep_device_names = on);
    let on_top = {
        let choices = choices.clone();
        Callback::from(move |_: MouseEvent| {
            *focus_link.borrow_mut() = true;
            choices.set(LinkChoices { top: Some(TOP_DESTINATIONS), ..*choices });
        })
    };
    let on_json = {
        let on_download = props.on_download.clone();
        Callback::from(move |_: MouseEvent| on_download.emit(Export::Json))
    };

    let link = match &*outcome {
        LinkOutcome::Ready { url, .. } => {
            let on_copy = {
                let (url, status, field) = (url.clone(), status.clone(), link_field.clone());
                Callback::from(move |_: MouseEvent| {
                    let (url, status, field) = (url.clone(), status.clone(), field.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        match sharing::copy(&url).await {
                            Ok(()) => status.set("Link copied to the clipboard.".into()),
                            Err(why) => {
                                // The link is still in the field: select it for a manual copy.
                                if let Some(area) = field.cast::<HtmlTextAreaElement>() {
                                    let _ = area.focus();
                                    area.select();
                                }
                                status.set(format!("The browser did not allow copying ({why}): the link is selected, copy it with Ctrl+C or ⌘C."));
                            }
                        }
                    });
                })
            };
            let on_share = {
                let (url, status) = (url.clone(), status.clone());
                Callback::from(move |_: MouseEvent| {
                    let (url, status) = (url.clone(), status.clone());
                    wasm_bindgen_futures::spawn_local(async move {
                        if let Err(why) = sharing::share(&url, "phonehome report").await {
                            status.set(format!("The share sheet could not be opened ({why})."));
                        }
                    });
                })
            };
            html! {
                <div class="share-link">
                    <label for="share-link">{ format!("The link ({} characters)", format::count(url.chars().count() as u64)) }</label>
                    <textarea id="share-link" ref={link_field.clone()} readonly=true rows="3" spellcheck="false" value={url.clone()} />
                    <div class="actions">
                        <button type="button" class="primary" onclick={on_copy}>{ "Copy link" }</button>
                        if sharing::can_share() {
                            <button type="button" onclick={on_share}>{ "Share…" }</button>
                        }
                    </div>
                </div>
            }
        }
        LinkOutcome::TooLarge { chars, destinations } => html! {
            <div class="share-too-large" id="share-too-large">
                <p>
                    <strong>{ "This report is too large for a link. " }</strong>
                    { format!(
                        "With all {} destinations the link would be {} characters long; links over {} characters \
                         are cut off by many browsers, chat programs and mail programs.",
                        format::count(*destinations as u64), format::count(*chars as u64), format::count(MAX_LINK_CHARS as u64)
                    ) }
                </p>
                <div class="actions">
                    if choices.top.is_none() {
                        <button type="button" class="primary" onclick={on_top}>{ format!("Share the top {TOP_DESTINATIONS} destinations only") }</button>
                    }
                    <button type="button" onclick={on_json}>{ "Download the JSON instead" }</button>
                </div>
            </div>
        },
    };
    let total = props.report.analysis.destinations.len();
    html! {
        <dialog ref={dialog} class="share-dialog" aria-labelledby="share-title" aria-describedby="share-intro"
            onclose={on_closed} onkeydown={on_key}>
            <div class="dialog-head">
                <h2 id="share-title">{ "Share this report" }</h2>
                <button type="button" class="close" aria-label="Close" onclick={close.clone()}>{ "×" }</button>
            </div>
            <p id="share-intro">
                { "The link carries the report, never the capture. Everything is in the part after “#”, \
                   which browsers do not send to any server: whoever opens the link sees the report in \
                   their own browser." }
            </p>
            <fieldset class="share-options">
                <legend>{ "What the link may reveal" }</legend>
                <div class="field checkbox">
                    <input type="checkbox" id="share-hide-local" checked={choices.hide_local} onchange={on_hide_local} />
                    <label for="share-hide-local">{ "Hide local addresses and MACs" }</label>
                </div>
                <p class="hint">{ "Devices become “Device 1”, “Device 2”…, addresses inside your network “Local address 1”…" }</p>
                <div class="field checkbox">
                    <input type="checkbox" id="share-keep-names" checked={choices.names_kept()} disabled={!choices.hide_local} onchange={on_keep_names} />
                    <label for="share-keep-names">{ "Keep device names" }</label>
                </div>
                <p class="hint">
                    { if choices.hide_local {
                        "Names like “Annas-iPhone” often say whose a device is."
                    } else {
                        "Kept with the addresses; hide local addresses to drop them."
                    } }
                </p>
            </fieldset>
            if let Some(top) = choices.top.filter(|&top| top < total) {
                <p class="share-top-note">{ format!("Only the top {} of {} destinations (those with the most traffic) are in this link.", format::count(top as u64), format::count(total as u64)) }</p>
            }
            if matches!(&*outcome, LinkOutcome::Ready { .. }) {
                <section class="share-preview" aria-labelledby="share-preview-title">
                    <h3 id="share-preview-title">{ "What the link contains" }</h3>
                    <SharePreview preview={props.preview.clone()} />
                </section>
            }
            { link }
            <p class="share-status" role="status">{ (*status).clone() }</p>
            <div class="dialog-foot">
                <button type="button" onclick={close}>{ "Done" }</button>
            </div>
        </dialog>
    }
}

/// Wraps Tab from the last focusable element to the first, and Shift+Tab the other way.
fn keep_focus_inside(dialog: &NodeRef, e: &KeyboardEvent) {
    let Some(dialog) = dialog.cast::<Element>() else {
        return;
    };
    let Ok(list) = dialog.query_selector_all(FOCUSABLE) else {
        return;
    };
    let focusable: Vec<HtmlElement> = (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|node| node.dyn_into::<HtmlElement>().ok())
        // Hidden elements (and those inside a hidden parent) have no layout box.
        .filter(|element| element.offset_parent().is_some())
        .collect();
    let (Some(first), Some(last)) = (focusable.first(), focusable.last()) else {
        return;
    };
    let active = web_sys::window().and_then(|w| w.document()).and_then(|d| d.active_element());
    let is = |element: &HtmlElement| active.as_ref().is_some_and(|a| a == element.unchecked_ref::<Element>());
    let inside = active.as_ref().is_some_and(|a| dialog.contains(Some(a)));
    if e.shift_key() && (is(first) || !inside) {
        e.prevent_default();
        let _ = last.focus();
    } else if !e.shift_key() && (is(last) || !inside) {
        e.prevent_default();
        let _ = first.focus();
    }
}
