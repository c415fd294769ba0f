//! Why a file could not be analysed, and which files can be.

use crate::state::Failure;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ErrorPanelProps {
    pub failure: Failure,
}

#[component]
pub fn ErrorPanel(props: &ErrorPanelProps) -> Html {
    let f = &props.failure;
    html! {
        <section class="error-panel" role="alert" aria-labelledby="error-title">
            <h2 id="error-title">{ format!("{} could not be analysed", f.file_name) }</h2>
            <p class="error-reason">{ capitalised(&f.message) }</p>
            <p>
                { "phonehome reads packet captures in " }<strong>{ "pcap" }</strong>{ " and " }<strong>{ "pcapng" }</strong>
                { " format, also when compressed with gzip (.gz) or zstd (.zst): for example files written by \
                  tcpdump -w, Wireshark or dumpcap (“Save as… pcapng”), or PCAPdroid’s pcap export. \
                  Other formats (Wireshark profiles, text exports, .etl or .snoop) need converting first, \
                  e.g. with editcap -F pcapng." }
            </p>
        </section>
    }
}

fn capitalised(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => {
            let mut text: String = first.to_uppercase().chain(chars).collect();
            if !text.ends_with('.') {
                text.push('.');
            }
            text
        }
        None => "Unknown error.".into(),
    }
}
