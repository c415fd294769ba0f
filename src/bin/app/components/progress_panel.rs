//! The running analysis: how much of the file is read, how many packets, how long it has
//! taken, and the Cancel button.

use crate::format;
use crate::state::Loading;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ProgressPanelProps {
    pub loading: Loading,
    pub on_cancel: Callback<()>,
}

#[component]
pub fn ProgressPanel(props: &ProgressPanelProps) -> Html {
    let l = &props.loading;
    let on_cancel = {
        let on_cancel = props.on_cancel.clone();
        Callback::from(move |_: MouseEvent| on_cancel.emit(()))
    };
    // <progress> wants numbers a float can hold exactly; megabytes-level precision is plenty.
    let (max, value) = if l.bytes_total > 0 { (l.bytes_total as f64, l.bytes_read as f64) } else { (1.0, 0.0) };
    html! {
        <section class="progress-panel" aria-labelledby="progress-title">
            <h2 id="progress-title">{ format!("Analysing {}", l.file_name) }</h2>
            <progress id="analysis-progress" max={max.to_string()} value={value.to_string()}
                aria-label="Part of the file read">
                { format!("{} %", format::percent(l.bytes_read, l.bytes_total)) }
            </progress>
            <p class="progress-numbers">
                <span>{ format!("{} of {}", format::bytes(l.bytes_read), format::bytes(l.bytes_total)) }</span>
                <span>{ format::plural(l.packets, "packet", "packets") }</span>
                <span>{ format::duration(l.elapsed_seconds()) }</span>
            </p>
            <button type="button" class="cancel" onclick={on_cancel}>{ "Cancel" }</button>
        </section>
    }
}
