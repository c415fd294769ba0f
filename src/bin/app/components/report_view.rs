//! A whole report: headline, diagnostics, world map and country chart, activity over time,
//! device cards, the
//! destinations table and, when asked for, one destination's flows. Derived tables are computed
//! once per report here and shared with the components that need them, and so are the
//! table's country filter, which the map and the chart set too, its device filter, which a
//! device card sets ("list all in the table"), and its time range, which the activity chart
//! sets.

use super::activity_chart::ActivityChart;
use super::country_chart::CountryChart;
use super::destination_table::DestinationTable;
use super::device_list::DeviceList;
use super::diagnostics_view::DiagnosticsView;
use super::flows_view::FlowsView;
use super::headline_view::HeadlineView;
use super::world_map_view::WorldMapView;
use super::{ReportRef, Shared};
use crate::device_traffic::{by_device, rank_devices};
use crate::state::FlowsFor;
use phonehome::country::CountryCode;
use phonehome::report::model::Address;
use std::collections::{BTreeSet, HashMap};
use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ReportViewProps {
    pub report: ReportRef,
    pub file_name: AttrValue,
    pub analysis_seconds: Option<f64>,
    pub flows_for: Option<FlowsFor>,
    pub on_show_flows: Callback<Address>,
    pub on_close_flows: Callback<()>,
    /// Names a device `(key, label)`; `None` where devices cannot be renamed (a shared report).
    #[prop_or_default]
    pub on_rename: Option<Callback<(String, String)>>,
    /// Destinations ticked for a blocklist, by index.
    pub ticked: Shared<BTreeSet<usize>>,
    pub on_tick: Callback<(usize, bool)>,
}

#[component]
pub fn ReportView(props: &ReportViewProps) -> Html {
    // Memo keys compare by identity: the analysis is never compared field by field.
    let traffic = use_memo(Shared(props.report.analysis.clone()), |a| by_device(a));
    let ranking = use_memo(
        (Shared(props.report.analysis.clone()), Shared(props.report.verdicts.clone()), Shared(traffic.clone())),
        |(a, v, t)| rank_devices(phonehome::Report::new(a, v), t),
    );
    let labels = use_memo((Shared(props.report.analysis.clone()), Shared(props.report.labels.clone())), |_| {
        let r = &props.report;
        r.analysis.devices.iter().map(|d| (d.id.clone(), r.label(d))).collect::<HashMap<_, _>>()
    });
    // The destinations table's country filter: its select, the map and the chart set it; and
    // the time range chosen on the activity chart, which limits the table the same way. A new
    // analysis starts with every country and the whole capture listed.
    let country = use_state_eq(|| None::<CountryCode>);
    let device = use_state_eq(|| None::<AttrValue>);
    let period = use_state_eq(|| None::<(u32, u32)>);
    {
        let (country, device, period) = (country.clone(), device.clone(), period.clone());
        use_effect_with(Shared(props.report.analysis.clone()), move |_| {
            country.set(None);
            device.set(None);
            period.set(None);
        });
    }
    // Made once: a new callback at each render would re-render what it is given.
    let on_country = {
        let country = country.clone();
        use_callback((), move |code: Option<CountryCode>, _| country.set(code))
    };
    let on_device = {
        let device = device.clone();
        use_callback((), move |id: Option<AttrValue>, _| device.set(id))
    };
    // A card's "list all in the table": the table shows that device's destinations, in view.
    let on_list_device = {
        let device = device.clone();
        use_callback((), move |id: AttrValue, _| {
            device.set(Some(id));
            scroll_to_table();
        })
    };
    let on_period = {
        let period = period.clone();
        use_callback((), move |range: Option<(u32, u32)>, _| period.set(range))
    };
    let report = &props.report;
    html! {
        <div class="report" id="report">
            <HeadlineView report={report.clone()} file_name={props.file_name.clone()}
                analysis_seconds={props.analysis_seconds} on_show_flows={props.on_show_flows.clone()} />
            <DiagnosticsView diagnostics={report.analysis.capture.diagnostics.clone()} />
            if let Some(shown) = &props.flows_for {
                <FlowsView report={report.clone()} ip={shown.destination} flows={shown.flows.clone().map(Shared)} on_close={props.on_close_flows.clone()} />
            }
            <WorldMapView report={report.clone()} selected={*country} on_select={on_country.clone()} />
            <CountryChart report={report.clone()} selected={*country} on_select={on_country.clone()} />
            <ActivityChart report={report.clone()} period={*period} on_period={on_period.clone()} />
            <DeviceList report={report.clone()} traffic={Shared(traffic)} ranking={Shared(ranking)} on_show_flows={props.on_show_flows.clone()} on_rename={props.on_rename.clone()} on_list_device={on_list_device} />
            <DestinationTable report={report.clone()} labels={Shared(labels)} on_show_flows={props.on_show_flows.clone()}
                country={*country} on_country={on_country} device={(*device).clone()} on_device={on_device}
                period={*period} on_period={on_period}
                ticked={props.ticked.clone()} on_tick={props.on_tick.clone()} />
        </div>
    }
}

/// Brings the destinations table to the top of the window, and the keyboard to its device
/// filter, which says which device the table shows.
fn scroll_to_table() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    if let Some(title) = document.get_element_by_id("destinations-title") {
        title.scroll_into_view();
    }
    if let Some(select) = document.get_element_by_id("filter-device") {
        let _ = select.unchecked_into::<web_sys::HtmlElement>().focus();
    }
}
