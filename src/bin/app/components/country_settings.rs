//! The home country (destinations outside it are flagged "Abroad") and the watch list
//! (destinations in these countries are flagged "Watched"). Both are remembered on this
//! device by the app; this component only shows and changes them.

use super::hooks::use_select_value;
use crate::browser::intl::{countries_by_name, country_name};
use crate::country::flag;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CountrySettingsProps {
    pub home: Option<AttrValue>,
    pub watch: Vec<AttrValue>,
    pub on_home: Callback<Option<String>>,
    pub on_watch: Callback<String>,
    pub on_unwatch: Callback<String>,
}

#[component]
pub fn CountrySettings(props: &CountrySettingsProps) -> Html {
    let countries = use_memo((), |_| countries_by_name());
    let home_select = use_select_value(props.home.as_deref().unwrap_or_default().to_string(), countries.len());
    let on_home_change = {
        let on_home = props.on_home.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            let value = select.value();
            on_home.emit((!value.is_empty()).then_some(value));
        })
    };
    let on_watch_change = {
        let on_watch = props.on_watch.clone();
        Callback::from(move |event: Event| {
            let select: HtmlSelectElement = event.target_unchecked_into();
            let value = select.value();
            if !value.is_empty() {
                on_watch.emit(value);
            }
            select.set_value("");
        })
    };
    let option = |code: &str, name: &str| {
        html! { <option value={code.to_string()}>{ format!("{} {name}", flag(code)) }</option> }
    };
    html! {
        <section class="country-settings" aria-label="Country settings">
            <div class="field">
                <label for="home-country">{ "Home country" }</label>
                <select id="home-country" ref={home_select} onchange={on_home_change}>
                    <option value="">{ "None (flag nothing as abroad)" }</option>
                    { for countries.iter().map(|(code, name)| option(code, name)) }
                </select>
            </div>
            <div class="field">
                <label for="watch-add">{ "Watch a country" }</label>
                <select id="watch-add" onchange={on_watch_change}>
                    // Explicitly selected: Yew inserts options last to first, and the browser
                    // would otherwise keep the first one inserted (the last country) selected.
                    <option value="" selected=true>{ "Add a country…" }</option>
                    { for countries.iter().filter(|(code, _)| !props.watch.iter().any(|w| w == code)).map(|(code, name)| option(code, name)) }
                </select>
            </div>
            if !props.watch.is_empty() {
                <ul class="watch-list" aria-label="Watched countries">
                    { for props.watch.iter().map(|code| {
                        let on_unwatch = props.on_unwatch.clone();
                        let value = code.to_string();
                        let name = country_name(code);
                        html! {
                            <li key={code.to_string()}>
                                <span aria-hidden="true">{ flag(code) }</span>{ format!(" {name} ") }
                                <button type="button" class="remove" aria-label={format!("Stop watching {name}")}
                                    onclick={Callback::from(move |_: MouseEvent| on_unwatch.emit(value.clone()))}>{ "×" }</button>
                            </li>
                        }
                    }) }
                </ul>
            }
        </section>
    }
}
