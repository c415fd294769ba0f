//! The destinations table's filters: text, country, device, "flagged only" and, once the
//! report was compared with an earlier one, "new only".

use super::hooks::use_select_value;
use crate::country::flag;
use crate::destination_query::Filter;
use phonehome::country::CountryCode;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DestinationFiltersProps {
    pub filter: Filter,
    /// (code, name) of the countries in the report, by name.
    pub countries: Vec<(AttrValue, AttrValue)>,
    /// (id, label) of the devices the device filter offers: those with most traffic.
    pub devices: Vec<(AttrValue, AttrValue)>,
    /// Devices of the report the filter does not offer (found through the search box).
    #[prop_or_default]
    pub more_devices: usize,
    pub on_change: Callback<Filter>,
    /// The report was compared with an earlier capture or report: offer "new only".
    #[prop_or_default]
    pub compared: bool,
}

#[component]
pub fn DestinationFilters(props: &DestinationFiltersProps) -> Html {
    let changed = |update: fn(&mut Filter, String)| {
        let (filter, on_change) = (props.filter.clone(), props.on_change.clone());
        move |value: String| {
            let mut next = filter.clone();
            update(&mut next, value);
            on_change.emit(next);
        }
    };
    let on_text = {
        let apply = changed(|f, v| f.text = v);
        Callback::from(move |e: InputEvent| apply(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_country = {
        let apply = changed(|f, v| f.country = CountryCode::new(&v));
        Callback::from(move |e: Event| apply(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let on_device = {
        let apply = changed(|f, v| f.device = (!v.is_empty()).then_some(v));
        Callback::from(move |e: Event| apply(e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    // The country can also be set from outside (the map, the chart), and so can the device (a
    // card's "list all in the table"): the selects show them.
    let country = props.filter.country.map(|c| c.as_str().to_string()).unwrap_or_default();
    let country_select = use_select_value(country, props.countries.len());
    let device_select = use_select_value(props.filter.device.clone().unwrap_or_default(), props.devices.len());
    let on_flagged = {
        let apply = changed(|f, v| f.flagged_only = v == "true");
        Callback::from(move |e: Event| apply(e.target_unchecked_into::<HtmlInputElement>().checked().to_string()))
    };
    let on_new = {
        let apply = changed(|f, v| f.new_only = v == "true");
        Callback::from(move |e: Event| apply(e.target_unchecked_into::<HtmlInputElement>().checked().to_string()))
    };
    html! {
        <div class="filters" role="search" aria-label="Filter destinations">
            <div class="field">
                <label for="filter-text">{ "Search" }</label>
                <input id="filter-text" type="search" placeholder="name, IP, network, port, device, maker"
                    value={props.filter.text.clone()} oninput={on_text} />
            </div>
            <div class="field">
                <label for="filter-country">{ "Country" }</label>
                <select id="filter-country" ref={country_select} onchange={on_country}>
                    // Explicitly selected: Yew inserts options last to first, and the browser
                    // would otherwise keep the first one inserted (the last one) selected.
                    <option value="" selected=true>{ "Any country" }</option>
                    { for props.countries.iter().map(|(code, name)| html! {
                        <option value={code.clone()}>{ format!("{} {name}", flag(code)) }</option>
                    }) }
                </select>
            </div>
            <div class="field">
                <label for="filter-device">{ "Device" }</label>
                <select id="filter-device" ref={device_select} onchange={on_device}>
                    <option value="" selected=true>{ "Any device" }</option>
                    { for props.devices.iter().map(|(id, label)| html! { <option value={id.clone()}>{ label.clone() }</option> }) }
                    if props.more_devices > 0 {
                        <option value="" disabled=true>{ format!("and {} more: search for a device by name above", props.more_devices) }</option>
                    }
                </select>
            </div>
            <div class="field checkbox">
                <input id="filter-flagged" type="checkbox" checked={props.filter.flagged_only} onchange={on_flagged} />
                <label for="filter-flagged">{ "Only abroad or watched" }</label>
            </div>
            if props.compared {
                <div class="field checkbox">
                    <input id="filter-new" type="checkbox" checked={props.filter.new_only} onchange={on_new} />
                    <label for="filter-new">{ "Only new" }</label>
                </div>
            }
        </div>
    }
}
