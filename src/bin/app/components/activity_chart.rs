//! When the capture's traffic went: bytes per time bin as bars, flagged destinations stacked
//! on the rest, or one device's traffic on demand. Dragging across the bars (or choosing "from"
//! and "to" in the selects, the keyboard's way) picks a time range, and the destinations table
//! then lists only the destinations active in it. Plain SVG with classes and presentation
//! attributes: the Content-Security-Policy forbids inline styles.

use super::ReportRef;
use crate::activity::{of_capture, of_device, Activity};
use crate::browser::clock;
use crate::device_traffic::device_label;
use crate::format;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Devices the chart's device choice offers (those with most traffic come first in the
/// report); more would cost the page more than they help.
const MAX_DEVICES: usize = 200;
/// Height of the bars' area, in the SVG's units (each bin is 10 wide).
const HEIGHT: u64 = 100;

#[derive(Properties, PartialEq)]
pub struct ActivityChartProps {
    pub report: ReportRef,
    /// The chosen time range, first and last bin.
    pub period: Option<(u32, u32)>,
    pub on_period: Callback<Option<(u32, u32)>>,
}

#[component]
pub fn ActivityChart(props: &ActivityChartProps) -> Html {
    let capture = use_memo(props.report.clone(), |r| of_capture(r.view()));
    // The device shown, by index; `None`: the whole capture.
    let device = use_state_eq(|| None::<usize>);
    let dragging = use_state_eq(|| None::<u32>);
    let shown: Option<Activity> = match *device {
        Some(i) => props.report.analysis.devices.get(i).and_then(|d| d.timeline.as_ref()).map(of_device),
        None => (*capture).clone(),
    };
    let Some(activity) = shown else { return html! {} };
    let bins = activity.bins() as u32;
    if bins == 0 {
        return html! {};
    }
    let max = (0..activity.bins()).map(|i| activity.flagged[i] + activity.other[i]).max().unwrap_or(0).max(1);
    let height = |bytes: u64| (bytes * HEIGHT).div_ceil(max);

    let on_down = |bin: u32| {
        let dragging = dragging.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            dragging.set(Some(bin));
        })
    };
    let on_up = |bin: u32| {
        let (dragging, on_period) = (dragging.clone(), props.on_period.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(from) = *dragging {
                on_period.emit(Some((from.min(bin), from.max(bin))));
            }
            dragging.set(None);
        })
    };
    let on_device = {
        let device = device.clone();
        Callback::from(move |e: Event| device.set(e.target_unchecked_into::<HtmlSelectElement>().value().parse().ok()))
    };
    let on_bound = |end: bool| {
        let (on_period, period) = (props.on_period.clone(), props.period);
        Callback::from(move |e: Event| {
            let Ok(bin) = e.target_unchecked_into::<HtmlSelectElement>().value().parse::<u32>() else { return };
            let (from, to) = period.unwrap_or((0, bins - 1));
            let (from, to) = if end { (from.min(bin), bin) } else { (bin, to.max(bin)) };
            on_period.emit(Some((from, to)));
        })
    };
    let on_clear = {
        let on_period = props.on_period.clone();
        Callback::from(move |_: MouseEvent| on_period.emit(None))
    };
    let (from, to) = props.period.unwrap_or((0, bins - 1));
    let options = |selected: u32, end: bool| {
        (0..bins)
            .map(|b| {
                let at = if end { activity.time_of(b as usize + 1) } else { activity.time_of(b as usize) };
                html! { <option value={b.to_string()} selected={b == selected}>{ clock::time_of_day(at) }</option> }
            })
            .collect::<Html>()
    };
    let devices = &props.report.analysis.devices;
    html! {
        <section class="activity" aria-labelledby="activity-title">
            <h2 id="activity-title">{ "When the traffic went" }</h2>
            <p class="activity-note">
                { format!("Bytes every {}, from {} to {}. ", format::duration(activity.bin_seconds), clock::date_time(activity.start_ts), clock::time_of_day(activity.time_of(activity.bins()))) }
                if device.is_none() { <span class="legend-flagged">{ "Flagged destinations" }</span>{ " on top of " }<span class="legend-other">{ "the rest" }</span>{ "." } }
                { " Drag across the bars to list only the destinations active then." }
            </p>
            <svg class="activity-chart" viewBox={format!("0 0 {} {HEIGHT}", bins * 10)} preserveAspectRatio="none" aria-hidden="true">
                if let Some((a, b)) = props.period {
                    <rect class="activity-range" x={(a * 10).to_string()} y="0" width={((b - a + 1) * 10).to_string()} height={HEIGHT.to_string()} />
                }
                { for (0..bins).map(|b| {
                    let (other, flagged) = (height(activity.other[b as usize]), height(activity.flagged[b as usize]));
                    let x = (b * 10 + 1).to_string();
                    html! {
                        <g onmousedown={on_down(b)} onmouseup={on_up(b)}>
                            <rect class="activity-hit" x={(b * 10).to_string()} y="0" width="10" height={HEIGHT.to_string()} />
                            if other > 0 { <rect class="activity-other" x={x.clone()} y={(HEIGHT - other).to_string()} width="8" height={other.to_string()} /> }
                            if flagged > 0 { <rect class="activity-flagged" x={x} y={(HEIGHT - other - flagged).to_string()} width="8" height={flagged.to_string()} /> }
                        </g>
                    }
                }) }
            </svg>
            <div class="activity-controls">
                <label for="activity-device">{ "Show" }</label>
                    <select id="activity-device" onchange={on_device}>
                        <option value="" selected={device.is_none()}>{ "all devices" }</option>
                        { for devices.iter().enumerate().take(MAX_DEVICES).filter(|(_, d)| d.timeline.is_some()).map(|(i, d)| html! {
                            <option value={i.to_string()} selected={*device == Some(i)}>{ props.report.labels.of(d).map_or_else(|| device_label(d), str::to_string) }</option>
                        }) }
                    </select>
                <label for="activity-from">{ "From" }</label>
                <select id="activity-from" onchange={on_bound(false)}>{ options(from, false) }</select>
                <label for="activity-to">{ "to" }</label>
                <select id="activity-to" onchange={on_bound(true)}>{ options(to, true) }</select>
                if props.period.is_some() {
                    <button type="button" onclick={on_clear}>{ "Whole capture" }</button>
                }
            </div>
        </section>
    }
}
