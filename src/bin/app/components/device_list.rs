//! One card per local device, the most important first (flagged destinations, then bytes).
//! The DOM stays small whatever the report: a first page of cards, more on request, and a
//! search box that finds any device by name, maker, MAC or address.

use super::device_card::DeviceCard;
use super::{ReportRef, Shared};
use crate::device_traffic::{device_label, names_given, DeviceTraffic};
use crate::format;
use phonehome::report::model::Address;
use phonehome::report::text::maker;
use phonehome::report::wording::joined;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Cards drawn at first, and added by each "show more".
const PAGE: usize = 30;

#[derive(Properties, PartialEq)]
pub struct DeviceListProps {
    pub report: ReportRef,
    pub traffic: Shared<Vec<DeviceTraffic>>,
    pub on_show_flows: Callback<Address>,
    #[prop_or_default]
    pub on_rename: Option<Callback<(String, String)>>,
}

#[component]
pub fn DeviceList(props: &DeviceListProps) -> Html {
    let shown = use_state_eq(|| PAGE);
    let query = use_state_eq(String::new);
    // Each device's searchable text, lower case, by position in `traffic`.
    let texts = use_memo(
        (props.report.analysis.clone(), props.report.labels.clone(), props.traffic.clone()),
        |(analysis, _, traffic)| {
            traffic
                .iter()
                .map(|t| {
                    let d = &analysis.devices[t.device];
                    let mac = d.mac.map(|m| m.to_string()).unwrap_or_default();
                    let given = names_given(d).unwrap_or_default();
                    [
                        props.report.label(d),
                        device_label(d),
                        d.id.clone(),
                        mac,
                        joined(&d.ips, " "),
                        maker(d).unwrap_or_default().to_string(),
                        given,
                    ]
                    .join("\u{1}")
                    .to_lowercase()
                })
                .collect::<Vec<_>>()
        },
    );
    let needle = query.trim().to_lowercase();
    let matching: Vec<usize> =
        (0..props.traffic.len()).filter(|&i| needle.is_empty() || texts[i].contains(&needle)).collect();
    let total = props.traffic.len();
    let visible = matching.len().min(*shown);
    let on_query = {
        let (query, shown) = (query.clone(), shown.clone());
        Callback::from(move |e: InputEvent| {
            query.set(e.target_unchecked_into::<HtmlInputElement>().value());
            shown.set(PAGE);
        })
    };
    let on_more = {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set(*shown + PAGE))
    };
    html! {
        <section class="devices" aria-labelledby="devices-title">
            <h2 id="devices-title">{ "Devices" }</h2>
            if total == 0 {
                <p>{ "No local devices were found in this capture." }</p>
            }
            if total > PAGE {
                <div class="device-search">
                    <label for="device-search">{ "Find a device" }</label>
                    <input id="device-search" type="search" placeholder="name, maker, MAC or address"
                        value={(*query).clone()} oninput={on_query} />
                    <p class="row-count" role="status">
                        { if needle.is_empty() {
                            format!("Showing {} of {}", format::count(visible as u64), format::plural(total as u64, "device", "devices"))
                        } else {
                            format!("{} of {} match", format::count(matching.len() as u64), format::plural(total as u64, "device", "devices"))
                        } }
                    </p>
                </div>
            }
            <div class="device-grid">
                { for matching[..visible].iter().map(|&position| html! {
                    <DeviceCard key={props.report.analysis.devices[props.traffic[position].device].id.clone()}
                        report={props.report.clone()} traffic={props.traffic.clone()} {position}
                        on_show_flows={props.on_show_flows.clone()} on_rename={props.on_rename.clone()} />
                }) }
            </div>
            if matching.len() > visible {
                <button type="button" class="show-more" onclick={on_more}>
                    { format!("Show {} more devices", format::count((matching.len() - visible).min(PAGE) as u64)) }
                </button>
            }
        </section>
    }
}
