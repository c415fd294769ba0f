//! A country as the page shows it: flag emoji and English name ("🇨🇳 China"), the code in a
//! tooltip. The flag is decoration for screen readers; the name carries the meaning.

use crate::browser::intl::country_name;
use crate::country::flag;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CountryTagProps {
    pub code: Option<AttrValue>,
}

#[component]
pub fn CountryTag(props: &CountryTagProps) -> Html {
    match &props.code {
        Some(code) => html! {
            <span class="country" title={code.clone()}>
                <span class="flag" aria-hidden="true">{ flag(code) }</span>
                { country_name(code) }
            </span>
        },
        None => html! { <span class="country unknown">{ "Unknown" }</span> },
    }
}
