//! Problems met while reading the capture. A truncated file still gives a report of
//! everything before the cut; this says so plainly, and lists the details.

use crate::format;
use phonehome::diagnostic::DiagnosticKind;
use phonehome::report::model::Diagnostic;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DiagnosticsViewProps {
    pub diagnostics: Vec<Diagnostic>,
}

/// What a kind of problem means for the report, in plain words.
fn meaning(kind: DiagnosticKind) -> Option<&'static str> {
    match kind {
        DiagnosticKind::TruncatedFile => Some(
            "The file ends in the middle of a packet: it was probably cut off while it was \
             copied or while the capture was still running. This report covers everything before the cut.",
        ),
        DiagnosticKind::ReadError => {
            Some("The browser stopped reading the file part way: this report covers what was read.")
        }
        DiagnosticKind::UnsupportedLinkType => {
            Some("Some packets use a link type phonehome does not decode; they are counted but not analysed.")
        }
        _ => None,
    }
}

#[component]
pub fn DiagnosticsView(props: &DiagnosticsViewProps) -> Html {
    if props.diagnostics.is_empty() {
        return html! {};
    }
    let partial = props.diagnostics.iter().any(|d| d.kind.cuts_the_report());
    html! {
        <section class={classes!("diagnostics", partial.then_some("partial"))} aria-labelledby="diagnostics-title">
            <h2 id="diagnostics-title">
                { if partial { "Partial report: the capture is incomplete" } else { "Notes on the capture" } }
            </h2>
            <ul>
                { for props.diagnostics.iter().map(|d| html! {
                    <li class="diagnostic" data-kind={d.kind.as_str()}>
                        if let Some(meaning) = meaning(d.kind) {
                            <p class="meaning">{ meaning }</p>
                        }
                        <p class="detail">
                            <code>{ d.kind.as_str() }</code>{ " " }{ &d.message }
                            { match (d.count, d.first_packet) {
                                (0 | 1, 0) => String::new(),
                                (0 | 1, first) => format!(" (packet {})", format::count(first)),
                                (n, 0) => format!(" ({} times)", format::count(n)),
                                (n, first) => format!(" ({} times, first at packet {})", format::count(n), format::count(first)),
                            } }
                        </p>
                    </li>
                }) }
            </ul>
        </section>
    }
}
