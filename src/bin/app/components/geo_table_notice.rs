//! The notice shown when the worker could not load the IP table (offline, blocked, or a copy
//! that failed its checksum): the page still works, and says what is missing instead
//! of leaving countries blank without a reason. It is a status, not an error: nothing the user
//! did is wrong, and no destination is called foreign without a country.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct GeoTableNoticeProps {
    /// Why the table could not be loaded, in the browser's words.
    pub reason: AttrValue,
}

#[component]
pub fn GeoTableNotice(props: &GeoTableNoticeProps) -> Html {
    html! {
        <p class="geo-table-notice" id="geo-table-notice" role="status">
            { format!(
                "The AS and country table could not be loaded ({}); destinations are shown without AS and country.",
                props.reason
            ) }
        </p>
    }
}
