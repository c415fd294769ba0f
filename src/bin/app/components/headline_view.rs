//! The report's first lines: the plain-language headline, the flagged destinations with the
//! most traffic, and what was read (file, format, packets, time span).

use super::flag_mark::FlagMark;
use super::heartbeat_mark::HeartbeatMark;
use super::ReportRef;
use crate::browser::clock;
use crate::browser::intl::country_name;
use crate::country::flag;
use crate::format;
use crate::summary::one_line;
use phonehome::report::model::Address;
use phonehome::report::model::PartyKind;
use phonehome::report::verdict::concerns;
use phonehome::report::wording::{self, headline};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HeadlineViewProps {
    pub report: ReportRef,
    pub file_name: AttrValue,
    pub analysis_seconds: Option<f64>,
    pub on_show_flows: Callback<Address>,
}

#[component]
pub fn HeadlineView(props: &HeadlineViewProps) -> Html {
    let report = &props.report;
    let h = use_memo(report.clone(), |r| headline(r.view(), &|code| country_name(code.as_str())));
    let c = &report.analysis.capture;
    let span = match (c.first_ts, c.last_ts) {
        (Some(first), Some(last)) => {
            format!("{} to {} ({})", clock::date_time(first), clock::time_of_day(last), format::duration(last - first))
        }
        _ => "no timestamps".into(),
    };
    html! {
        <section class="headline" aria-labelledby="headline-title">
            <h2 id="headline-title" class="visually-hidden">{ "Summary" }</h2>
            <p class="headline-sentence" id="headline-sentence">{ &h.sentence }</p>
            if let Some(watched) = &h.watched {
                <p class="headline-watched">{ watched }</p>
            }
            if let Some(new) = &report.new {
                <p class="headline-new" id="headline-new">
                    { wording::new_since(new.count as u64, new.since.filter(|s| s.is_finite()).map(clock::day).as_deref()) }
                </p>
            }
            { for h.scanning.iter().filter_map(|&i| {
                let device = &report.analysis.devices[i];
                device.scan.as_ref().map(|scan| html! {
                    <p class="scan-warning" role="note">
                        <strong>{ format!("{} is scanning. ", report.label(device)) }</strong>{ wording::scan(scan) }
                    </p>
                })
            }) }
            if !h.top_flagged.is_empty() {
                <ul class="top-flagged" aria-label="Destinations that deserve a look, most concerning first">
                    { for h.top_flagged.iter().map(|&i| {
                        let (d, verdict) = (&report.analysis.destinations[i], report.verdicts.of(i));
                        let ip = d.ip;
                        let on_show_flows = props.on_show_flows.clone();
                        html! {
                            <li class={classes!("flagged", verdict.watched.then_some("watched"))}>
                                <FlagMark foreign={verdict.foreign} watched={verdict.watched} />
                                <span class="flag" aria-hidden="true">{ d.country.map(|c| flag(c.as_str())).unwrap_or_default() }</span>
                                <span class="one-line">{ one_line(d) }</span>
                                if let Some(name) = d.names.first() {
                                    <span class="dest-name">{ name }</span>
                                }
                                <HeartbeatMark periodic={d.periodic} />
                                if let Some(why) = wording::why(&concerns(d, verdict)) {
                                    <span class="why">{ why }</span>
                                }
                                if let Some(party) = d.party.as_ref().filter(|p| p.kind != PartyKind::Unknown) {
                                    <span class="why">{ format!("Whose: {}.", party.basis) }</span>
                                }
                                // A shared report carries no flows: nothing to show.
                                if report.flows > 0 {
                                    <button type="button" class="link" onclick={Callback::from(move |_: MouseEvent| on_show_flows.emit(ip))}
                                        aria-label={format!("Show flows with {}", d.ip)}>{ "Flows" }</button>
                                }
                            </li>
                        }
                    }) }
                </ul>
                if h.more > 0 {
                    <p class="more-concerns">{ format!("and {} more that deserve a look: see the flag column below.", format::count(h.more as u64)) }</p>
                }
            }
            <p class="capture-facts">
                <span>{ props.file_name.clone() }</span>
                <span>{ &c.format }</span>
                <span>{ format::plural(c.packets, "packet", "packets") }</span>
                <span>{ format::bytes(c.bytes) }</span>
                <span>{ span }</span>
                if let Some(seconds) = props.analysis_seconds {
                    <span>{ format!("analysed in {}", format::duration(seconds)) }</span>
                }
            </p>
        </section>
    }
}
