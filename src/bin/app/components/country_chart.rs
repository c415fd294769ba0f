//! Bytes and destinations by country, as bars: plain SVG rectangles (no chart library, no
//! inline styles, which the Content-Security-Policy forbids), with the numbers as text. It is
//! also the world map's accessible twin: each country is a button that lists only its
//! destinations in the table (pressed while it does), as clicking it on the map does.

use super::country_tag::CountryTag;
use super::ReportRef;
use crate::country_totals::by_country;
use crate::format;
use phonehome::country::CountryCode;
use yew::prelude::*;

/// Countries shown; the rest are summed into one line.
const SHOWN: usize = 12;

#[derive(Properties, PartialEq)]
pub struct CountryChartProps {
    pub report: ReportRef,
    /// The country the destinations table is limited to.
    pub selected: Option<CountryCode>,
    pub on_select: Callback<Option<CountryCode>>,
}

#[component]
pub fn CountryChart(props: &CountryChartProps) -> Html {
    let totals = use_memo(props.report.clone(), |r| by_country(r.view()));
    if totals.is_empty() {
        return html! {};
    }
    let max_bytes = totals.iter().map(|t| t.bytes).max().unwrap_or(0).max(1);
    let max_destinations = totals.iter().map(|t| t.destinations).max().unwrap_or(0).max(1);
    let rest: Vec<_> = totals.iter().skip(SHOWN).collect();
    let select = |code: CountryCode| {
        let (on_select, again) = (props.on_select.clone(), props.selected == Some(code));
        Callback::from(move |_: MouseEvent| on_select.emit((!again).then_some(code)))
    };
    let width = |part: u64, whole: u64| format!("{:.2}", part as f64 * 100.0 / whole as f64);
    html! {
        <section class="country-chart" aria-labelledby="chart-title">
            <h2 id="chart-title">{ "Traffic by country" }</h2>
            <p class="legend">
                <span class="key key-bytes" aria-hidden="true"></span>{ " bytes (both directions) " }
                <span class="key key-destinations" aria-hidden="true"></span>{ " destinations" }
            </p>
            <ul class="chart">
                { for totals.iter().take(SHOWN).map(|t| html! {
                    <li class={classes!("chart-row", t.foreign.then_some("foreign"), t.watched.then_some("watched"))}>
                        <span class="chart-label">
                            if let Some(code) = t.country {
                                <button type="button" class="link chart-country" aria-pressed={(props.selected == Some(code)).to_string()}
                                    onclick={select(code)}>
                                    <CountryTag code={AttrValue::from(code.to_string())} />
                                </button>
                            } else {
                                <CountryTag code={None::<AttrValue>} />
                            }
                        </span>
                        <svg class="chart-bars" viewBox="0 0 100 20" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                            <rect class="bar-bytes" x="0" y="1" height="8" width={width(t.bytes, max_bytes)} />
                            <rect class="bar-destinations" x="0" y="11" height="8" width={width(t.destinations, max_destinations)} />
                        </svg>
                        <span class="chart-value">
                            { format!("{} · {}", format::bytes(t.bytes), format::plural(t.destinations, "destination", "destinations")) }
                        </span>
                    </li>
                }) }
            </ul>
            if !rest.is_empty() {
                <p class="chart-rest">{ format!(
                    "{} more countries: {} in {}.",
                    rest.len(),
                    format::bytes(rest.iter().map(|t| t.bytes).sum()),
                    format::plural(rest.iter().map(|t| t.destinations).sum(), "destination", "destinations"),
                ) }</p>
            }
        </section>
    }
}
