//! The marker on a flagged destination: colour plus words ("Watched", "Abroad"), never colour
//! alone, so it reads in any colour scheme and for colour-blind users.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct FlagMarkProps {
    pub foreign: bool,
    pub watched: bool,
}

#[component]
pub fn FlagMark(props: &FlagMarkProps) -> Html {
    html! {
        <>
            if props.watched {
                <span class="mark mark-watched" title="In a country on your watch list">{ "Watched" }</span>
            }
            if props.foreign {
                <span class="mark mark-foreign" title="Outside your home country">{ "Abroad" }</span>
            }
        </>
    }
}
