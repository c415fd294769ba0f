//! A whole report: headline, diagnostics, country chart, device cards, the destinations table
//! and, when asked for, one destination's flows. Derived tables are computed once per report
//! here and shared with the components that need them.

use super::country_chart::CountryChart;
use super::destination_table::DestinationTable;
use super::device_list::DeviceList;
use super::diagnostics_view::DiagnosticsView;
use super::flows_view::FlowsView;
use super::headline_view::HeadlineView;
use super::{ReportRef, Shared};
use crate::device_traffic::by_device;
use crate::state::FlowsFor;
use phonehome::report::model::Address;
use std::collections::{BTreeSet, HashMap};
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
    let traffic = use_memo(props.report.clone(), |r| by_device(r.view()));
    let labels = use_memo((props.report.analysis.clone(), props.report.labels.clone()), |_| {
        let r = &props.report;
        r.analysis.devices.iter().map(|d| (d.id.clone(), r.label(d))).collect::<HashMap<_, _>>()
    });
    let report = &props.report;
    html! {
        <div class="report" id="report">
            <HeadlineView report={report.clone()} file_name={props.file_name.clone()}
                analysis_seconds={props.analysis_seconds} on_show_flows={props.on_show_flows.clone()} />
            <DiagnosticsView diagnostics={report.analysis.capture.diagnostics.clone()} />
            if let Some(shown) = &props.flows_for {
                <FlowsView report={report.clone()} ip={shown.destination} flows={shown.flows.clone().map(Shared)} on_close={props.on_close_flows.clone()} />
            }
            <CountryChart report={report.clone()} />
            <DeviceList report={report.clone()} traffic={Shared(traffic)} on_show_flows={props.on_show_flows.clone()} on_rename={props.on_rename.clone()} />
            <DestinationTable report={report.clone()} labels={Shared(labels)} on_show_flows={props.on_show_flows.clone()}
                ticked={props.ticked.clone()} on_tick={props.on_tick.clone()} />
        </div>
    }
}
