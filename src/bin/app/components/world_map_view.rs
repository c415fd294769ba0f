//! The world map: countries shaded by bytes, flagged ones outlined, the home country marked,
//! and markers where a country is too small to see (Singapore, Hong Kong, Luxembourg). Clicking
//! a country with traffic shows only its destinations in the table; clicking it again, or
//! "Show all countries", shows all again.
//!
//! The drawing is SVG with classes and presentation attributes only (the page's
//! Content-Security-Policy forbids `style=`), and hidden from assistive technology: the country
//! chart below lists the same countries as text, and its buttons set the same filter, so
//! everything the map offers is reachable without it.

use super::ReportRef;
use crate::browser::intl::country_name;
use crate::country_totals::by_country;
use crate::format;
use crate::world_map::{looks, world, Look, Shape, SHADES};
use phonehome::country::CountryCode;
use yew::prelude::*;

/// Room around the plane for markers at its edges (Pacific islands), in map units.
const MARGIN: i32 = 8;
/// A marker's radius in map units (about a pixel each on a desktop screen).
const MARKER_RADIUS: u32 = 5;

#[derive(Properties, PartialEq)]
pub struct WorldMapViewProps {
    pub report: ReportRef,
    /// The country the destinations table is limited to.
    pub selected: Option<CountryCode>,
    pub on_select: Callback<Option<CountryCode>>,
}

#[component]
pub fn WorldMapView(props: &WorldMapViewProps) -> Html {
    let totals = use_memo(props.report.clone(), |r| by_country(r.view()));
    let home = props.report.verdicts.viewpoint.home;
    let looks = use_memo((props.report.clone(), home), |_| looks(&totals, home));
    if totals.iter().all(|t| t.country.is_none()) {
        // No country known (no public destination, or no IP table): nothing to draw.
        return html! {};
    }
    let world = world();
    let (least, most) =
        totals.iter().filter(|t| t.country.is_some()).fold((u64::MAX, 0), |(l, m), t| (l.min(t.bytes), m.max(t.bytes)));
    let look = |shape: &Shape| looks.get(&shape.code).copied().unwrap_or_default();
    // Outlines drawn last lie on top of their neighbours' edges: plain countries first, then
    // those with traffic, then flagged ones, the home country and the selected one.
    let mut order: Vec<&Shape> = world.shapes.iter().filter(|s| !s.path.is_empty()).collect();
    order.sort_by_key(|s| {
        let l = look(s);
        (props.selected == Some(s.code), l.home, l.flagged, l.shade > 0)
    });
    let markers: Vec<&Shape> =
        world.shapes.iter().filter(|s| s.marker.is_some() && (look(s).shade > 0 || look(s).home)).collect();
    let on_click = |code: CountryCode, l: Look| {
        (l.shade > 0).then(|| {
            let (on_select, again) = (props.on_select.clone(), props.selected == Some(code));
            Callback::from(move |_: MouseEvent| on_select.emit((!again).then_some(code)))
        })
    };
    let class = |shape: &Shape, base: &'static str| {
        let l = look(shape);
        classes!(
            base,
            format!("shade-{}", l.shade),
            (l.shade > 0).then_some("active"),
            l.flagged.then_some("flagged"),
            l.watched.then_some("watched"),
            l.home.then_some("home"),
            (props.selected == Some(shape.code)).then_some("selected"),
        )
    };
    let tooltip = |shape: &Shape| {
        let l = look(shape);
        let total = totals.iter().find(|t| t.country == Some(shape.code));
        (l.shade > 0 || l.home).then(|| {
            let mut words = country_name(shape.code.as_str());
            if let Some(t) = total {
                words += &format!(
                    ": {}, {}",
                    format::bytes(t.bytes),
                    format::plural(t.destinations, "destination", "destinations")
                );
            }
            if l.watched {
                words += ", watched";
            } else if l.flagged {
                words += ", abroad";
            }
            if l.home {
                words += " (home)";
            }
            html! { <title>{ words }</title> }
        })
    };
    let view_box =
        format!("{} {} {} {}", -MARGIN, -MARGIN, world.width as i32 + 2 * MARGIN, world.height as i32 + 2 * MARGIN);
    let selected_name = props.selected.map(|c| country_name(c.as_str()));
    let clear = {
        let on_select = props.on_select.clone();
        Callback::from(move |_: MouseEvent| on_select.emit(None))
    };
    html! {
        <section class="world-map" aria-labelledby="map-title">
            <h2 id="map-title">{ "Where the traffic goes" }</h2>
            <p class="map-hint">{ "Click a country to list only its destinations in the table below. \
                The chart \u{201c}Traffic by country\u{201d} has the same numbers as text, and its country buttons do the same." }</p>
            <svg class="map" viewBox={view_box} preserveAspectRatio="xMidYMid meet" aria-hidden="true" focusable="false">
                <g class="countries">
                    { for order.iter().map(|shape| html! {
                        <path key={shape.code.as_str().to_string()} class={class(shape, "country")} data-country={shape.code.to_string()}
                            d={shape.path} fill-rule="evenodd" onclick={on_click(shape.code, look(shape))}>
                            { for tooltip(shape) }
                        </path>
                    }) }
                </g>
                <g class="markers">
                    { for markers.iter().filter_map(|shape| shape.marker.map(|(x, y)| html! {
                        <circle key={shape.code.as_str().to_string()} class={class(shape, "marker")} data-country={shape.code.to_string()}
                            cx={x.to_string()} cy={y.to_string()} r={MARKER_RADIUS.to_string()} onclick={on_click(shape.code, look(shape))}>
                            { for tooltip(shape) }
                        </circle>
                    })) }
                </g>
            </svg>
            <ul class="map-legend">
                <li>
                    <span class="legend-words">{ "Bytes" }</span>
                    <svg class="legend-shades" viewBox={format!("0 0 {} 10", SHADES * 12)} aria-hidden="true" focusable="false">
                        { for (1..=SHADES).map(|s| html! {
                            <rect class={format!("country shade-{s}")} x={(u32::from(s - 1) * 12).to_string()} y="0" width="12" height="10" />
                        }) }
                    </svg>
                    <span class="legend-words">{ if least < most {
                        format!("{} to {}", format::bytes(least), format::bytes(most))
                    } else {
                        format::bytes(most)
                    } }</span>
                </li>
                <li>
                    <svg class="legend-key" viewBox="0 0 16 12" aria-hidden="true" focusable="false">
                        <rect class="country shade-3 flagged" x="2" y="2" width="12" height="8" />
                    </svg>
                    { "abroad or watched" }
                </li>
                <li>
                    <svg class="legend-key" viewBox="0 0 16 12" aria-hidden="true" focusable="false">
                        <rect class="country shade-0 home" x="2" y="2" width="12" height="8" />
                    </svg>
                    { "home country" }
                </li>
                <li>
                    <svg class="legend-key" viewBox="0 0 16 12" aria-hidden="true" focusable="false">
                        <circle class="marker shade-3" cx="8" cy="6" r="4" />
                    </svg>
                    { "a small country" }
                </li>
            </ul>
            <p class="map-filter" role="status">
                if let Some(name) = selected_name {
                    { format!("The table lists only destinations in {name}. ") }
                    <button type="button" class="link" onclick={clear}>{ "Show all countries" }</button>
                }
            </p>
        </section>
    }
}
