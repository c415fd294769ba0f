//! The flows behind one destination, as in Wireshark's Conversations view: both endpoints,
//! packets and bytes each way, start relative to the capture, duration, name and TCP flags.

use super::hooks::use_virtual_rows;
use super::{ReportRef, Shared};
use crate::browser::clock;
use crate::format;
use phonehome::report::model::{Address, Flow};
use web_sys::HtmlElement;
use yew::prelude::*;

/// Column titles (Wireshark's words) and the classes that give them their widths.
const HEADERS: [(&str, &str); 15] = [
    ("Protocol", "fc-proto"),
    ("Address A", "fc-addr"),
    ("Port A", "fc-port"),
    ("Address B", "fc-addr"),
    ("Port B", "fc-port"),
    ("Packets", "fc-num"),
    ("Bytes", "fc-num"),
    ("Packets A → B", "fc-num"),
    ("Bytes A → B", "fc-num"),
    ("Packets B → A", "fc-num"),
    ("Bytes B → A", "fc-num"),
    ("Rel start (s)", "fc-num"),
    ("Duration (s)", "fc-num"),
    ("Name", "fc-name"),
    ("TCP flags", "fc-flags"),
];
const COLUMNS: usize = HEADERS.len();

#[derive(Properties, PartialEq)]
pub struct FlowsViewProps {
    pub report: ReportRef,
    /// The destination.
    pub ip: Address,
    /// Its flows in time order, once the worker (which holds every flow) gave them.
    pub flows: Option<Shared<Vec<Flow>>>,
    pub on_close: Callback<()>,
}

#[component]
pub fn FlowsView(props: &FlowsViewProps) -> Html {
    let empty = Vec::new();
    let flows: &Vec<Flow> = props.flows.as_deref().unwrap_or(&empty);
    let v = use_virtual_rows(flows.len());
    let heading = use_node_ref();
    {
        // Move keyboard focus to the view it opened, so the next Tab lands inside it.
        let heading = heading.clone();
        use_effect_with(props.ip, move |_| {
            if let Some(h) = heading.cast::<HtmlElement>() {
                h.scroll_into_view();
                let _ = h.focus();
            }
        });
    }
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let on_key = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                on_close.emit(());
            }
        })
    };
    let report = &props.report.analysis;
    let reading = props.flows.is_none();
    let start = report.capture.first_ts.unwrap_or(0.0);
    let destination = report.destinations.iter().find(|d| d.ip == props.ip);
    let name = destination.and_then(|d| d.names.first()).map(|n| format!(" ({n})")).unwrap_or_default();
    let endpoint_port = |port: Option<u16>| port.map(|p| p.to_string()).unwrap_or_default();
    html! {
        <section class="flows-view" aria-labelledby="flows-title" onkeydown={on_key}>
            <div class="flows-head">
                <h2 id="flows-title" tabindex="-1" ref={heading}>{ format!("Flows with {}{name}", props.ip) }</h2>
                <button type="button" onclick={close}>{ "Close" }</button>
            </div>
            <p class="row-count" role="status">{ if reading {
                "Reading the flows…".to_string()
            } else {
                format!("{} · start times relative to the capture start ({})", format::plural(flows.len() as u64, "flow", "flows"), clock::date_time(start))
            } }</p>
            <div class="table-scroll" ref={v.container.clone()} onscroll={v.onscroll.clone()} tabindex="0"
                role="region" aria-label="Flows (scrollable table)">
                <table class="flow-table" aria-rowcount={(flows.len() + 1).to_string()}>
                    <thead>
                        <tr aria-rowindex="1">
                            { for HEADERS.iter().map(|(title, class)| html! { <th scope="col" class={*class}>{ *title }</th> }) }
                        </tr>
                    </thead>
                    <tbody>
                        <tr class="spacer" ref={v.above.clone()} aria-hidden="true"><td colspan={COLUMNS.to_string()}></td></tr>
                        { for flows[v.window.start..v.window.end].iter().enumerate().map(|(offset, f)| {
                            let i = v.window.start + offset;
                            let (client, server) = (f.client.ip.to_string(), f.server.ip.to_string());
                            html! {
                                <tr key={i} class="row" aria-rowindex={(v.window.start + offset + 2).to_string()}>
                                    <td>{ f.proto.to_string() }</td>
                                    <td class="col-ip" title={client.clone()}>{ client }</td>
                                    <td class="col-num">{ endpoint_port(f.client.port) }</td>
                                    <td class="col-ip" title={server.clone()}>{ server }</td>
                                    <td class="col-num">{ endpoint_port(f.server.port) }</td>
                                    <td class="col-num">{ format::count(f.c2s.packets.saturating_add(f.s2c.packets)) }</td>
                                    <td class="col-num">{ format::bytes(f.c2s.bytes.saturating_add(f.s2c.bytes)) }</td>
                                    <td class="col-num">{ format::count(f.c2s.packets) }</td>
                                    <td class="col-num" title={format!("{} bytes", f.c2s.bytes)}>{ format::bytes(f.c2s.bytes) }</td>
                                    <td class="col-num">{ format::count(f.s2c.packets) }</td>
                                    <td class="col-num" title={format!("{} bytes", f.s2c.bytes)}>{ format::bytes(f.s2c.bytes) }</td>
                                    <td class="col-num">{ format!("{:.3}", f.first_ts - start) }</td>
                                    <td class="col-num">{ format!("{:.3}", f.last_ts - f.first_ts) }</td>
                                    <td class="col-name" title={f.name_source.map(|s| format!("from {}", s.as_str())).unwrap_or_default()}>{ f.name.clone().unwrap_or_default() }</td>
                                    <td>{ f.tcp_flags.names().collect::<Vec<_>>().join(" ") }</td>
                                </tr>
                            }
                        }) }
                        <tr class="spacer" ref={v.below.clone()} aria-hidden="true"><td colspan={COLUMNS.to_string()}></td></tr>
                    </tbody>
                </table>
            </div>
        </section>
    }
}
