//! A destination's timeline as a small bar chart, drawn in its table row and on its device's
//! card; nothing for a report without timelines (a shared one). Decorative: the first and last
//! times are written beside it.

use crate::activity::sparkline_path;
use phonehome::report::model::Timeline;
use yew::prelude::*;

pub fn sparkline(timeline: Option<&Timeline>) -> Html {
    let Some(t) = timeline.filter(|t| t.bins > 0) else { return html! {} };
    html! {
        <svg class="spark" viewBox={format!("0 0 {} 10", t.bins)} preserveAspectRatio="none" aria-hidden="true">
            <path d={sparkline_path(t)} />
        </svg>
    }
}
