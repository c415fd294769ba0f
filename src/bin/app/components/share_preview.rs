//! Exactly what a share link holds, as its recipient's page will read it: the capture
//! summary, home country and watch list, the devices as they will be labelled (with their
//! makers), and every
//! destination with its names. Rendered from the worker's reading of the link, not from the
//! report on screen, so anything the link drops is absent here too.

use crate::browser::clock;
use crate::browser::intl::country_name;
use crate::device_traffic::device_label;
use crate::format;
use crate::state::{Preview, SharedView};
use phonehome::report::model::Device;
use phonehome::report::text::maker;
use phonehome::report::wording::joined;
use phonehome::scope::Scope;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SharePreviewProps {
    pub preview: Option<Preview>,
}

#[component]
pub fn SharePreview(props: &SharePreviewProps) -> Html {
    match props.preview.as_ref().and_then(|p| p.outcome.as_ref()) {
        None => html! { <p class="hint" role="status">{ "Reading the link back…" }</p> },
        Some(Err(message)) => html! { <p class="error-reason" role="alert">{ message }</p> },
        Some(Ok(view)) => contents(view),
    }
}

fn device_line(device: &Device) -> String {
    let mut parts = vec![device_label(device)];
    parts.extend(maker(device).map(str::to_string));
    if let Some(mac) = device.mac.map(|mac| mac.to_string()).filter(|mac| Some(mac) != device.name.as_ref()) {
        parts.push(format!("MAC {mac}"));
    }
    if !device.ips.is_empty() {
        parts.push(format!("IP {}", joined(&device.ips, ", ")));
    }
    parts.join(" · ")
}

fn contents(view: &SharedView) -> Html {
    let report = &view.analysis;
    let c = &report.capture;
    let span = match (c.first_ts, c.last_ts) {
        (Some(first), Some(last)) => format!("{} to {}", clock::date_time(first), clock::time_of_day(last)),
        _ => "no timestamps".into(),
    };
    let home = view.viewpoint.home.map(|c| country_name(c.as_str())).unwrap_or_else(|| "none".into());
    let watch: Vec<String> = view.viewpoint.watch.iter().map(|c| country_name(c.as_str())).collect();
    let mut destinations: Vec<usize> = (0..report.destinations.len()).collect();
    destinations.sort_by(|&a, &b| report.destinations[b].bytes.cmp(&report.destinations[a].bytes));
    let listed = match view.origin.total_destinations {
        Some(total) => format!(
            "Destinations: {} of {}",
            format::count(report.destinations.len() as u64),
            format::count(u64::from(total))
        ),
        None => format!("Destinations: {}", format::count(report.destinations.len() as u64)),
    };
    html! {
        <div class="preview-body" id="share-preview">
            <dl class="preview-facts">
                <dt>{ "Capture" }</dt>
                <dd>{ format!("{} · {} · {} · {span}", c.format, format::plural(c.packets, "packet", "packets"), format::bytes(c.bytes)) }</dd>
                <dt>{ "Home country" }</dt>
                <dd>{ home }</dd>
                if !watch.is_empty() {
                    <dt>{ "Watched" }</dt>
                    <dd>{ watch.join(", ") }</dd>
                }
            </dl>
            <h4>{ format!("Devices: {}", report.devices.len()) }</h4>
            <ul class="preview-devices">
                { for report.devices.iter().map(|d| html! { <li>{ device_line(d) }</li> }) }
            </ul>
            <h4>{ listed }</h4>
            <div class="preview-scroll" tabindex="0" role="region" aria-label="Destinations in the link">
                <table class="preview-table">
                    <thead>
                        <tr>
                            <th scope="col">{ "Address" }</th>
                            <th scope="col">{ "Names" }</th>
                            <th scope="col">{ "Country" }</th>
                            <th scope="col" class="col-num">{ "Traffic" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for destinations.iter().map(|&i| {
                            let d = &report.destinations[i];
                            html! {
                                <tr>
                                    <td class="col-ip">{ d.ip.to_string() }</td>
                                    <td>{ d.names.join(", ") }</td>
                                    <td>{ match d.country {
                                        Some(code) if d.scope == Scope::Public => code.to_string(),
                                        _ if d.scope == Scope::Public => "?".into(),
                                        _ => d.scope.as_str().into(),
                                    } }</td>
                                    <td class="col-num">{ format::bytes(d.bytes) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
            <p class="hint">{ "Networks and countries are not in the link: the recipient's page looks them up again." }</p>
        </div>
    }
}
