//! One local device (name, the names it gave itself by protocol, maker, MAC, addresses) and the
//! destinations it talked to, flagged ones first, with what went each way, over which
//! services, and when.

use super::country_tag::CountryTag;
use super::flag_mark::FlagMark;
use super::heartbeat_mark::HeartbeatMark;
use super::protection_bar::ProtectionBar;
use super::{sparkline, ReportRef, Shared};
use crate::browser::clock;
use crate::browser::intl::country_name;
use crate::destination_query::network;
use crate::device_traffic::{device_label, names_given, ranked, DeviceTraffic, PairTraffic};
use crate::format;
use crate::labels::Labels;
use phonehome::report::model::Address;
use phonehome::report::text::maker;
use phonehome::report::verdict::concerns;
use phonehome::report::wording::{self, joined};
use phonehome::scope::Scope;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Destinations listed per card, flagged first; "list all in the table" shows the rest. Ten
/// keep the page's DOM small: with 25, a busy gateway's 30 first cards held 19,000 of the
/// page's 21,500 elements, and a new home country (which reorders cards and their lists)
/// rebuilt most of them: 77 ms median against 43 ms with ten (`tests/e2e/bench_countries.mjs`,
/// busy gigabyte).
const LISTED: usize = 10;

#[derive(Properties, PartialEq)]
pub struct DeviceCardProps {
    pub report: ReportRef,
    pub traffic: Shared<Vec<DeviceTraffic>>,
    /// Which device (index into the analysis's devices and into `traffic`) this card shows.
    pub device: usize,
    /// How many of its destinations are flagged.
    pub flagged: usize,
    pub on_show_flows: Callback<Address>,
    /// Lists all of the device's destinations in the table (its id).
    pub on_list_device: Callback<AttrValue>,
    /// Names the device `(key, label)`; `None` where it cannot be renamed.
    #[prop_or_default]
    pub on_rename: Option<Callback<(String, String)>>,
}

#[component]
pub fn DeviceCard(props: &DeviceCardProps) -> Html {
    let report = &props.report;
    let Some(traffic) = props.traffic.get(props.device) else {
        return html! {};
    };
    let flagged = props.flagged;
    let device = &report.analysis.devices[traffic.device];
    let label = report.label(device);
    // Its own name, shown under the user's name for it.
    let own_name = report.labels.of(device).map(|_| device_label(device));
    let mut identity: Vec<String> = Vec::new();
    if let Some(mac) = device.mac.map(|mac| mac.to_string()) {
        if Some(&mac) != device.name.as_ref() {
            identity.push(format!("MAC {mac}"));
        }
    }
    if !device.ips.is_empty() {
        identity.push(format!("IP {}", joined(&device.ips, ", ")));
    }
    if device.gateway {
        identity.push("the router (gateway to the Internet)".into());
    }
    let more = traffic.destinations.len().saturating_sub(LISTED);
    html! {
        <article class={classes!("device", (flagged > 0 || device.scan.is_some()).then_some("has-flagged"))} aria-label={format!("Device {label}")} data-device={device.id.clone()}>
            <header>
                <h3>{ &label }</h3>
                if let Some(own) = own_name {
                    <p class="own-name">{ format!("named {own} in the capture") }</p>
                }
                if let Some(on_rename) = &props.on_rename {
                    <Rename key_={Labels::key(device)} current={report.labels.of(device).map(AttrValue::from)} label={label.clone()} on_rename={on_rename.clone()} />
                }
                if let Some(maker) = maker(device) {
                    <p class="vendor">{ maker }</p>
                }
                <p class="identity">{ identity.join(" · ") }</p>
                if let Some(names) = names_given(device) {
                    <p class="identity device-names" title="The names it gave itself, by protocol">{ names }</p>
                }
                if let Some(scan) = &device.scan {
                    <p class="scan-warning" role="note"><strong>{ "Scanning. " }</strong>{ wording::scan(scan) }</p>
                }
                <p class="device-summary">
                    { format::plural(traffic.destinations.len() as u64, "destination", "destinations") }
                    if flagged > 0 {
                        <strong class="flagged-count">{ format!(" · {} flagged", flagged) }</strong>
                    }
                    { format!(" · {}", format::bytes(traffic.bytes)) }
                </p>
                if let Some(protection) = device.protection {
                    <ProtectionBar {protection} />
                }
            </header>
            <ul class="dest-list">
                { for ranked(report.view(), traffic).into_iter().take(LISTED).map(|pair| destination_item(report, pair, &props.on_show_flows)) }
            </ul>
            if more > 0 {
                <p class="more">
                    { format!("and {} more. ", format::count(more as u64)) }
                    <button type="button" class="link" onclick={{
                        let (on_list_device, id) = (props.on_list_device.clone(), AttrValue::from(device.id.clone()));
                        Callback::from(move |_: MouseEvent| on_list_device.emit(id.clone()))
                    }}>
                        { format!("List all {} in the table", format::count(traffic.destinations.len() as u64)) }
                        <span class="visually-hidden">{ format!(" for {label}") }</span>
                    </button>
                </p>
            }
        </article>
    }
}

fn destination_item(report: &ReportRef, pair: &PairTraffic, on_show_flows: &Callback<Address>) -> Html {
    let (d, verdict) = (&report.analysis.destinations[pair.destination], report.verdicts.of(pair.destination));
    let ip = d.ip.to_string();
    let title = d.names.first().cloned().unwrap_or_else(|| ip.clone());
    let net = network(d);
    let on_show_flows = on_show_flows.clone();
    html! {
        // Keyed, so a new order (another home country) moves the items instead of rewriting each.
        <li key={pair.destination} class={classes!("dest", verdict.flagged().then_some("flagged"), verdict.watched.then_some("watched"))} data-ip={ip.clone()}>
            <p class="dest-title">
                <FlagMark foreign={verdict.foreign} watched={verdict.watched} />
                if report.is_new(pair.destination) { <span class="mark mark-new" title="Not in the earlier capture or report">{ "New" }</span> }
                <span class="dest-name">{ title }</span>
                <HeartbeatMark periodic={d.periodic} />
            </p>
            <p class="dest-where">
                if !d.names.is_empty() { <span class="ip">{ &ip }</span> }
                if !net.is_empty() { <span class="net">{ net }</span> }
                if d.scope == Scope::Public {
                    <CountryTag code={d.country.map(|c| AttrValue::from(c.to_string()))} />
                    if d.anycast {
                        <span class="anycast">{ wording::anycast(d.country, &|c| country_name(c.as_str())) }</span>
                    }
                } else {
                    <span class="scope">{ format!("{} address", d.scope.as_str()) }</span>
                }
            </p>
            if let Some(why) = wording::why(&concerns(d, verdict)) {
                <p class="dest-why">{ why }</p>
            }
            if let Some(party) = &d.party {
                <p class={classes!("dest-party", format!("party-{}", party.kind.as_str()))}>
                    <strong>{ format!("{}: ", capitalised(party.kind.words())) }</strong>{ &party.basis }
                </p>
            }
            <p class="dest-traffic">
                if pair.mixed {
                    // The link does not say how the traffic splits between the devices: say what is known.
                    <span>{ format!("{} with {} devices together", format::bytes(d.bytes), d.devices.len()) }</span>
                } else {
                    <span title="Sent by the device">{ format!("↑ {} ({})", format::bytes(pair.sent.bytes), format::plural(pair.sent.packets, "packet", "packets")) }</span>
                    <span title="Received by the device">{ format!("↓ {} ({})", format::bytes(pair.received.bytes), format::plural(pair.received.packets, "packet", "packets")) }</span>
                }
            </p>
            <p class="dest-when">
                if !pair.services.is_empty() { <span class="services">{ joined(&pair.services, ", ") }</span> }
                { sparkline(d.timeline.as_ref()) }
                <span title={clock::date_time(pair.first_ts)}>{ format!("{} – {}", clock::time_of_day(pair.first_ts), clock::time_of_day(pair.last_ts)) }</span>
                // The visible words start the accessible name ("3 flows with 1.2.3.4"), so
                // what a voice-control user reads out is what the button is called. A shared
                // report carries no flows: then the count is only text.
                if pair.mixed {
                } else if report.flows == 0 {
                    <span>{ format::plural(pair.flows, "flow", "flows") }</span>
                } else {
                    <button type="button" class="link" onclick={Callback::from({ let ip = d.ip; move |_: MouseEvent| on_show_flows.emit(ip) })}>
                        { format::plural(pair.flows, "flow", "flows") }
                        <span class="visually-hidden">{ format!(" with {ip}") }</span>
                        <span aria-hidden="true">{ " →" }</span>
                    </button>
                }
            </p>
        </li>
    }
}

/// "Third party" from "third party".
fn capitalised(words: &str) -> String {
    let mut chars = words.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[derive(Properties, PartialEq)]
struct RenameProps {
    /// Where the label is kept (the MAC, else the device id).
    key_: String,
    /// The user's name for it, if any.
    current: Option<AttrValue>,
    /// What the page calls it now.
    label: String,
    on_rename: Callback<(String, String)>,
}

/// "Rename": a small form that names the device on this browser; an empty name gives the
/// device its own name back.
#[component]
fn Rename(props: &RenameProps) -> Html {
    let editing = use_state_eq(|| false);
    let input = use_node_ref();
    if !*editing {
        let editing = editing.clone();
        return html! {
            <button type="button" class="link rename" onclick={Callback::from(move |_: MouseEvent| editing.set(true))}>
                { "Rename" }<span class="visually-hidden">{ format!(" {}", props.label) }</span>
            </button>
        };
    }
    let on_submit = {
        let (editing, input, key, on_rename) =
            (editing.clone(), input.clone(), props.key_.clone(), props.on_rename.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(field) = input.cast::<HtmlInputElement>() {
                on_rename.emit((key.clone(), field.value()));
            }
            editing.set(false);
        })
    };
    let on_cancel = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(false))
    };
    let id = format!("rename-{}", props.key_.replace(|c: char| !c.is_ascii_alphanumeric(), "-"));
    html! {
        <form class="rename-form" onsubmit={on_submit}>
            <label for={id.clone()}>{ "Name on this browser" }</label>
            <input id={id} type="text" ref={input} maxlength="64" autofocus=true
                value={props.current.clone().unwrap_or_default()} placeholder={props.label.clone()} />
            <button type="submit">{ "Save" }</button>
            <button type="button" onclick={on_cancel}>{ "Cancel" }</button>
        </form>
    }
}
