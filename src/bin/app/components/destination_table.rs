//! Every destination of every device in one table: sortable by each column, filterable, and
//! virtualised (only the rows on screen exist in the page), so 50,000 rows stay fast.

use super::country_tag::CountryTag;
use super::destination_filters::DestinationFilters;
use super::flag_mark::FlagMark;
use super::heartbeat_mark::HeartbeatMark;
use super::hooks::use_virtual_rows;
use super::{sparkline, ReportRef, Shared};
use crate::browser::clock;
use crate::browser::intl::country_name;
use crate::destination_query::{network, select, Column, Filter, SearchIndex, Sort};
use crate::format;
use phonehome::country::CountryCode;
use phonehome::report::model::{Address, Device};
use phonehome::report::text::maker;
use phonehome::report::wording::{self, joined};
use phonehome::scope::Scope;
use std::collections::{BTreeSet, HashMap};
use std::rc::Rc;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DestinationTableProps {
    pub report: ReportRef,
    /// Device id to the label the page shows.
    pub labels: Shared<HashMap<String, String>>,
    pub on_show_flows: Callback<Address>,
    /// The country the table is limited to: the filters' own select, the map and the country
    /// chart set it (through `on_country`), so it lives in the report view.
    pub country: Option<CountryCode>,
    pub on_country: Callback<Option<CountryCode>>,
    /// The device filter (a device's id), which a device card sets too.
    #[prop_or_default]
    pub device: Option<AttrValue>,
    pub on_device: Callback<Option<AttrValue>>,
    /// The time range (first and last bin of the timelines) the activity chart limits the
    /// table to.
    #[prop_or_default]
    pub period: Option<(u32, u32)>,
    #[prop_or_default]
    pub on_period: Callback<Option<(u32, u32)>>,
    /// Destinations ticked for a blocklist, by index.
    pub ticked: Shared<BTreeSet<usize>>,
    pub on_tick: Callback<(usize, bool)>,
}

/// Devices the table's device filter offers (those with most traffic: the report lists devices
/// by bytes); the search box finds any other by name.
const MAX_DEVICE_OPTIONS: usize = 1_000;

#[component]
pub fn DestinationTable(props: &DestinationTableProps) -> Html {
    // The rest of the filter is the table's own; the country comes from the props.
    let own_filter = use_state(Filter::default);
    let filter = Filter {
        country: props.country,
        device: props.device.as_ref().map(|d| d.to_string()),
        period: props.period,
        ..(*own_filter).clone()
    };
    let sort = use_state(Sort::default);
    let index =
        use_memo((Shared(props.report.analysis.clone()), props.labels.clone()), |(r, l)| SearchIndex::new(r, l));
    let rows = use_memo(
        (props.report.clone(), props.labels.clone(), filter.clone(), *sort, Shared(index.clone())),
        |(r, l, f, s, i)| select(r.view(), r.new.as_deref(), l, i, f, *s),
    );
    let countries = use_memo(Shared(props.report.analysis.clone()), |r| {
        let mut codes: Vec<CountryCode> = r.destinations.iter().filter_map(|d| d.country).collect();
        codes.sort_unstable();
        codes.dedup();
        let mut list: Vec<(AttrValue, AttrValue)> =
            codes.iter().map(|c| (AttrValue::from(c.to_string()), AttrValue::from(country_name(c.as_str())))).collect();
        list.sort_by(|a, b| a.1.cmp(&b.1));
        list
    });
    let devices = use_memo((Shared(props.report.analysis.clone()), Shared(props.report.labels.clone())), |(r, _)| {
        // The maker helps tell apart devices known only by their MAC.
        let option = |d: &Device| match maker(d) {
            Some(maker) => format!("{} · {maker}", props.report.label(d)),
            None => props.report.label(d),
        };
        // A list of hundreds of thousands of options would cost seconds to build and lay out.
        r.devices
            .iter()
            .take(MAX_DEVICE_OPTIONS)
            .map(|d| (AttrValue::from(d.id.clone()), AttrValue::from(option(d))))
            .collect::<Vec<_>>()
    });
    // A device beyond those offered, chosen from its card, is offered too.
    let devices = match &props.device {
        Some(id) if !devices.iter().any(|(offered, _)| offered == id) => {
            let mut more = (*devices).clone();
            if let Some(d) = props.report.analysis.devices.iter().find(|d| d.id == id.as_str()) {
                more.push((id.clone(), AttrValue::from(props.report.label(d))));
            }
            Rc::new(more)
        }
        _ => devices,
    };
    let v = use_virtual_rows(rows.len());

    let on_filter = {
        let (own_filter, on_country, country) = (own_filter.clone(), props.on_country.clone(), props.country);
        let (on_device, device) = (props.on_device.clone(), props.device.clone());
        Callback::from(move |next: Filter| {
            if next.country != country {
                on_country.emit(next.country);
            }
            if next.device.as_deref() != device.as_deref() {
                on_device.emit(next.device.clone().map(AttrValue::from));
            }
            own_filter.set(next);
        })
    };
    let header = |column: Column| {
        let current = *sort;
        let aria_sort = match (current.column == column, current.descending) {
            (false, _) => "none",
            (true, false) => "ascending",
            (true, true) => "descending",
        };
        let arrow = match aria_sort {
            "ascending" => "▲",
            "descending" => "▼",
            _ => "",
        };
        let sort = sort.clone();
        html! {
            <th scope="col" aria-sort={aria_sort} class={format!("col-{}", column_class(column))}>
                <button type="button" class="sort" onclick={Callback::from(move |_: MouseEvent| sort.set(current.clicked(column)))}>
                    { column.title() }<span class="arrow" aria-hidden="true">{ arrow }</span>
                </button>
            </th>
        }
    };
    let total = props.report.analysis.destinations.len();
    let report = &props.report;
    // The chosen time range in words, with the axis every timeline shares.
    let period = props.period.zip(report.analysis.destinations.iter().find_map(|d| d.timeline.as_ref())).map(
        |((from, to), t)| {
            let at = |bin: u32| clock::time_of_day(t.start_ts + t.bin_seconds * f64::from(bin));
            format!("Only destinations active from {} to {}.", at(from), at(to + 1))
        },
    );
    let on_whole_capture = {
        let on_period = props.on_period.clone();
        Callback::from(move |_: MouseEvent| on_period.emit(None))
    };
    html! {
        <section class="destinations" aria-labelledby="destinations-title">
            <h2 id="destinations-title">{ "All destinations" }</h2>
            <DestinationFilters compared={report.new.is_some()} filter={filter.clone()} countries={(*countries).clone()} devices={(*devices).clone()} more_devices={report.analysis.devices.len().saturating_sub(devices.len())} on_change={on_filter} />
            if let Some(words) = period {
                <p class="period-note">{ words }{ " " }<button type="button" class="link" onclick={on_whole_capture}>{ "Whole capture" }</button></p>
            }
            <p class="row-count" role="status">
                { if rows.len() == total {
                    format::plural(total as u64, "destination", "destinations")
                } else {
                    format!("{} of {} destinations match", format::count(rows.len() as u64), format::count(total as u64))
                } }
            </p>
            <div class="table-scroll" ref={v.container.clone()} onscroll={v.onscroll.clone()} tabindex="0"
                role="region" aria-label="Destinations (scrollable table)">
                <table class="destination-table" aria-rowcount={(rows.len() + 1).to_string()}>
                    <thead><tr aria-rowindex="1">{ for Column::ALL.into_iter().map(header) }</tr></thead>
                    <tbody>
                        <tr class="spacer" ref={v.above.clone()} aria-hidden="true"><td colspan="14"></td></tr>
                        { for rows[v.window.start..v.window.end].iter().enumerate().map(|(offset, &i)| {
                            let (d, verdict) = (&report.analysis.destinations[i], report.verdicts.of(i));
                            let ip = d.ip.to_string();
                            let (on_show_flows, address) = (props.on_show_flows.clone(), d.ip);
                            let devices: Vec<&str> = d.devices.iter().map(|id| props.labels.get(id).map_or(id.as_str(), String::as_str)).collect();
                            let on_tick = props.on_tick.clone();
                            let on_tick = Callback::from(move |e: Event| on_tick.emit((i, e.target_unchecked_into::<HtmlInputElement>().checked())));
                            html! {
                                <tr key={ip.clone()} aria-rowindex={(v.window.start + offset + 2).to_string()}
                                    class={classes!("row", verdict.flagged().then_some("flagged"), verdict.watched.then_some("watched"))}>
                                    <td class="col-mark">
                                        <input type="checkbox" class="tick" checked={props.ticked.contains(&i)} onchange={on_tick}
                                            aria-label={format!("Tick {ip} for the blocklist")} />
                                        <FlagMark foreign={verdict.foreign} watched={verdict.watched} />
                                        if report.is_new(i) { <span class="mark mark-new" title="Not in the earlier capture or report">{ "New" }</span> }
                                        <HeartbeatMark periodic={d.periodic} compact=true />
                                    </td>
                                    <td class="col-name" title={d.names.join(", ")}>{ d.names.first().cloned().unwrap_or_default() }</td>
                                    <td class="col-ip" title={ip.clone()}>{ &ip }</td>
                                    <td class="col-network" title={network(d)}>{ network(d) }</td>
                                    <td class="col-party" title={d.party.as_ref().map(|p| p.basis.clone()).unwrap_or_default()}>{ party_words(d) }</td>
                                    <td class="col-country">
                                        if d.scope == Scope::Public { <CountryTag code={d.country.map(|c| AttrValue::from(c.to_string()))} /> }
                                        else { <span class="scope">{ d.scope.as_str() }</span> }
                                        if d.anycast { <span class="anycast" title={wording::anycast(d.country, &|c| country_name(c.as_str()))}>{ " anycast" }</span> }
                                    </td>
                                    <td class="col-devices" title={devices.join(", ")}>{ devices.join(", ") }</td>
                                    <td class="col-num" title={format::plural(d.sent.packets, "packet", "packets")}>{ format::bytes(d.sent.bytes) }</td>
                                    <td class="col-num" title={format::plural(d.received.packets, "packet", "packets")}>{ format::bytes(d.received.bytes) }</td>
                                    <td class="col-num">{ format::count(d.packets) }</td>
                                    <td class="col-num">
                                        // A shared report carries no flows: then the count is only text.
                                        if report.flows == 0 {
                                            { format::count(d.flows) }
                                        } else {
                                            <button type="button" class="link" onclick={Callback::from(move |_: MouseEvent| on_show_flows.emit(address))}>
                                                { format::count(d.flows) }<span class="visually-hidden">{ format!(" flows with {}", d.ip) }</span>
                                            </button>
                                        }
                                    </td>
                                    <td class="col-services" title={joined(&d.services, ", ")}>{ joined(&d.services, ", ") }</td>
                                    <td class="col-time" title={clock::date_time(d.first_ts)}>{ sparkline(d.timeline.as_ref()) }{ clock::time_of_day(d.first_ts) }</td>
                                    <td class="col-time" title={clock::date_time(d.last_ts)}>{ clock::time_of_day(d.last_ts) }</td>
                                </tr>
                            }
                        }) }
                        <tr class="spacer" ref={v.below.clone()} aria-hidden="true"><td colspan="14"></td></tr>
                    </tbody>
                </table>
            </div>
        </section>
    }
}

fn column_class(column: Column) -> &'static str {
    match column {
        Column::Mark => "mark",
        Column::Name => "name",
        Column::Address => "ip",
        Column::Network => "network",
        Column::Party => "party",
        Column::Country => "country",
        Column::Devices => "devices",
        Column::Sent | Column::Received | Column::Packets | Column::Flows => "num",
        Column::Services => "services",
        Column::FirstSeen | Column::LastSeen => "time",
    }
}

/// "third party: Google", "device maker: Ring", "infrastructure: Amazon".
pub fn party_words(d: &phonehome::report::model::Destination) -> String {
    match &d.party {
        Some(p) => match &p.owner {
            Some(owner) => format!("{}: {owner}", p.kind.words()),
            None => p.kind.words().to_string(),
        },
        None => String::new(),
    }
}
