//! One card per local device, the most important first (flagged destinations, then bytes).
//! The DOM stays small whatever the report: a first page of cards, more on request, and a
//! search box that finds any device by name, maker, MAC or address.

use super::device_card::DeviceCard;
use super::{ReportRef, Shared};
use crate::device_traffic::{device_label, names_given, DeviceTraffic, RankedDevice};
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
    /// The order of the cards for the current verdicts.
    pub ranking: Shared<Vec<RankedDevice>>,
    pub on_show_flows: Callback<Address>,
    /// Lists all of a device's destinations in the table (its id).
    pub on_list_device: Callback<AttrValue>,
    #[prop_or_default]
    pub on_rename: Option<Callback<(String, String)>>,
}

#[component]
pub fn DeviceList(props: &DeviceListProps) -> Html {
    let shown = use_state_eq(|| PAGE);
    let query = use_state_eq(String::new);
    // Each device's searchable text, lower case, by device index: the user's countries do not
    // change it.
    let texts =
        use_memo((Shared(props.report.analysis.clone()), Shared(props.report.labels.clone())), |(analysis, _)| {
            analysis
                .devices
                .iter()
                .map(|d| {
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
        });
    let needle = query.trim().to_lowercase();
    let matching: Vec<RankedDevice> =
        props.ranking.iter().filter(|r| needle.is_empty() || texts[r.device].contains(&needle)).copied().collect();
    let total = props.ranking.len();
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
                { for matching[..visible].iter().map(|ranked| html! {
                    <DeviceCard key={props.report.analysis.devices[ranked.device].id.clone()}
                        report={props.report.clone()} traffic={props.traffic.clone()} device={ranked.device} flagged={ranked.flagged}
                        on_show_flows={props.on_show_flows.clone()}
                        on_list_device={props.on_list_device.clone()} on_rename={props.on_rename.clone()} />
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
