//! The banner over a report opened from a share link: that it is shared and read-only, when
//! it was made, what the sender left out, whether it was made with another IP table, and the
//! way back to analysing one's own capture.

use crate::browser::clock;
use crate::share_link::shared_notes;
use crate::state::SharedOrigin;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SharedBannerProps {
    pub origin: SharedOrigin,
    /// Date of this page's IP table (the worker's).
    pub table_date: Option<AttrValue>,
    /// How many destinations the link holds.
    pub destinations: usize,
    pub on_leave: Callback<()>,
}

#[component]
pub fn SharedBanner(props: &SharedBannerProps) -> Html {
    let notes = shared_notes(&props.origin, props.table_date.as_deref(), props.destinations);
    let on_leave = {
        let on_leave = props.on_leave.clone();
        Callback::from(move |_: MouseEvent| on_leave.emit(()))
    };
    html! {
        <section class="shared-banner" id="shared-banner" aria-labelledby="shared-title">
            <h2 id="shared-title">{ format!("Shared report, made {}", clock::date_time(props.origin.created as f64)) }</h2>
            <p>
                { "Someone shared this report with a link. It was not made from a capture on this device and \
                   is shown as it was shared; networks and countries are looked up in this page's IP table." }
            </p>
            if !notes.is_empty() {
                <ul class="shared-notes">
                    { for notes.iter().map(|note| html! { <li>{ note }</li> }) }
                </ul>
            }
            <button type="button" class="primary" onclick={on_leave}>{ "Analyse your own capture" }</button>
        </section>
    }
}
