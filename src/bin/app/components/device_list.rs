//! One card per local device, devices with flagged destinations first.

use super::device_card::DeviceCard;
use super::{ReportRef, Shared};
use crate::device_traffic::DeviceTraffic;
use phonehome::report::model::Address;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct DeviceListProps {
    pub report: ReportRef,
    pub traffic: Shared<Vec<DeviceTraffic>>,
    pub on_show_flows: Callback<Address>,
}

#[component]
pub fn DeviceList(props: &DeviceListProps) -> Html {
    html! {
        <section class="devices" aria-labelledby="devices-title">
            <h2 id="devices-title">{ "Devices" }</h2>
            if props.traffic.is_empty() {
                <p>{ "No local devices were found in this capture." }</p>
            }
            <div class="device-grid">
                { for (0..props.traffic.len()).map(|position| html! {
                    <DeviceCard key={props.report.analysis.devices[props.traffic[position].device].id.clone()}
                        report={props.report.clone()} traffic={props.traffic.clone()} {position}
                        on_show_flows={props.on_show_flows.clone()} />
                }) }
            </div>
        </section>
    }
}
