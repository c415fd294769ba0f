//! "Download blocklist": the flagged destinations (abroad or watched) or the rows the user
//! ticked, as a hosts file (Pi-hole, AdGuard Home) or as a plain address list for a router's
//! firewall, written by the core (`report::blocklist`) and saved as a Blob. It warns when a
//! device maker's own (first-party) servers are among them: blocking those may break the device.

use super::{ReportRef, Shared};
use crate::browser::download;
use crate::format;
use phonehome::report::blocklist;
use phonehome::report::model::{Destination, PartyKind};
use std::collections::BTreeSet;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct BlocklistPanelProps {
    pub report: ReportRef,
    /// Destinations ticked in the table, by index.
    pub ticked: Shared<BTreeSet<usize>>,
    pub on_close: Callback<()>,
}

#[component]
pub fn BlocklistPanel(props: &BlocklistPanelProps) -> Html {
    let from_ticked = use_state_eq(|| !props.ticked.is_empty());
    let as_hosts = use_state_eq(|| true);
    let problem = use_state_eq(String::new);
    let all = &props.report.analysis.destinations;
    let flagged: Vec<&Destination> = blocklist::flagged(props.report.view()).collect();
    let ticked: Vec<&Destination> = props.ticked.iter().filter_map(|&i| all.get(i)).collect();
    let chosen = if *from_ticked { &ticked } else { &flagged };
    let first_party = chosen.iter().filter(|d| d.party.as_ref().is_some_and(|p| p.kind == PartyKind::First)).count();

    let choice = |state: &UseStateHandle<bool>, value: bool| {
        let state = state.clone();
        Callback::from(move |_: Event| state.set(value))
    };
    let on_download = {
        let (problem, hosts) = (problem.clone(), *as_hosts);
        let text =
            if hosts { blocklist::hosts(chosen.iter().copied()) } else { blocklist::addresses(chosen.iter().copied()) };
        Callback::from(move |_: MouseEvent| {
            let name = if hosts { "phonehome-blocklist-hosts.txt" } else { "phonehome-blocklist-addresses.txt" };
            problem.set(
                download::save(name, "text/plain", &text)
                    .err()
                    .map(|why| format!("{name} could not be saved: {why}"))
                    .unwrap_or_default(),
            );
        })
    };
    let on_close = props.on_close.reform(|_: MouseEvent| ());
    let radio = |id: &'static str, name: &'static str, checked: bool, onchange: Callback<Event>, label: String| {
        html! {
            <div class="field checkbox">
                <input type="radio" {id} {name} {checked} {onchange} />
                <label for={id}>{ label }</label>
            </div>
        }
    };
    html! {
        <section class="blocklist" aria-labelledby="blocklist-title">
            <h3 id="blocklist-title">{ "Download a blocklist" }</h3>
            <fieldset class="share-options">
                <legend>{ "Which destinations" }</legend>
                { radio("blocklist-flagged", "blocklist-which", !*from_ticked, choice(&from_ticked, false),
                    format!("Flagged: abroad or in a watched country ({})", flagged.len())) }
                { radio("blocklist-ticked", "blocklist-which", *from_ticked, choice(&from_ticked, true),
                    format!("The rows you ticked in the table below ({})", ticked.len())) }
            </fieldset>
            <fieldset class="share-options">
                <legend>{ "Format" }</legend>
                { radio("blocklist-hosts", "blocklist-format", *as_hosts, choice(&as_hosts, true),
                    "Hosts file, blocks names: Pi-hole, AdGuard Home".into()) }
                { radio("blocklist-addresses", "blocklist-format", !*as_hosts, choice(&as_hosts, false),
                    "Address list, blocks addresses: a router's firewall".into()) }
            </fieldset>
            if first_party > 0 {
                <p class="scan-warning" role="note" id="blocklist-warning">
                    <strong>{ "Careful: " }</strong>
                    { format!("{} the device maker's own (first party). Blocking a device's own servers may stop it \
                        working or getting updates.", if first_party == 1 { "1 of these is".to_string() } else { format!("{} of these are", format::count(first_party as u64)) }) }
                </p>
            }
            <div class="actions">
                <button type="button" class="primary" disabled={chosen.is_empty()} onclick={on_download}>
                    { format!("Download ({})", format::plural(chosen.len() as u64, "destination", "destinations")) }
                </button>
                <button type="button" onclick={on_close}>{ "Close" }</button>
            </div>
            if !problem.is_empty() {
                <p class="error-reason" role="alert">{ (*problem).clone() }</p>
            }
        </section>
    }
}
