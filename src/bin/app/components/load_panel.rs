//! Where a capture comes in: the file picker, the demo capture, and the hint that a file can
//! be dropped anywhere on the page (the page-wide drop handling lives in `app.rs`).

use super::hooks::use_file_picker;
use web_sys::File;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LoadPanelProps {
    /// An analysis is running: starting another is allowed (it replaces it), but say so.
    pub busy: bool,
    /// Whether a report is shown: the panel then takes less room.
    pub compact: bool,
    pub on_file: Callback<File>,
    pub on_demo: Callback<()>,
}

#[component]
pub fn LoadPanel(props: &LoadPanelProps) -> Html {
    let picker = use_file_picker(props.on_file.clone());
    let on_demo = {
        let on_demo = props.on_demo.clone();
        Callback::from(move |_: MouseEvent| on_demo.emit(()))
    };
    html! {
        <section class={classes!("load", props.compact.then_some("compact"))} aria-labelledby="load-title">
            <h2 id="load-title">{ if props.compact { "Analyse another capture" } else { "Analyse a capture" } }</h2>
            if !props.compact {
                <p>
                    { "Drop a packet capture anywhere on this page: a " }<strong>{ "pcap" }</strong>{ " or " }
                    <strong>{ "pcapng" }</strong>{ " file, also gzip (.gz) or zstd (.zst) compressed, as written by \
                      tcpdump, Wireshark or PCAPdroid." }
                </p>
            }
            <div class="actions">
                <button type="button" id="choose-capture" class="primary" onclick={picker.open}>{ "Choose a capture file…" }</button>
                <button type="button" onclick={on_demo}>{ "Try a demo capture" }</button>
                <input ref={picker.input} id="capture-file" type="file" hidden=true aria-label="Capture file" onchange={picker.on_change} />
            </div>
            if props.busy {
                <p class="hint">{ "Choosing another file stops the current analysis." }</p>
            }
        </section>
    }
}
