//! The marker on a destination a device sends small packets to at a steady rhythm: the
//! "phoning home" pattern (a doorbell's heartbeat to its vendor), in words, with the interval.

use crate::format;
use phonehome::report::model::Periodic;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HeartbeatMarkProps {
    pub periodic: Option<Periodic>,
    /// Short form for table cells.
    #[prop_or_default]
    pub compact: bool,
}

#[component]
pub fn HeartbeatMark(props: &HeartbeatMarkProps) -> Html {
    let Some(p) = props.periodic else {
        return html! {};
    };
    let every = format::duration(p.interval_s);
    let title = format!(
        "Small packets at a steady rhythm: {} beats, about every {every} (± {})",
        format::count(p.beats),
        format::duration(p.jitter_s)
    );
    html! {
        <span class="mark mark-heartbeat" {title}>
            { if props.compact { format!("Beat {every}") } else { format!("Heartbeat every {every}") } }
        </span>
    }
}
