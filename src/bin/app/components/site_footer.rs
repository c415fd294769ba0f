//! The footer: the privacy promise and the data credits the IP tables' and the MAC vendor
//! list's licences ask for, and the world map's source.

use crate::state::GeoTable;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SiteFooterProps {
    /// The worker's IP table (loaded by the worker from the site, not built into the page).
    pub geo_table: GeoTable,
    /// Date of the table that made the shown report (`YYYY-MM-DD`): it names the report's
    /// data even when the worker's table has changed since.
    pub report_table_date: Option<AttrValue>,
}

#[component]
pub fn SiteFooter(props: &SiteFooterProps) -> Html {
    html! {
        <footer class="site-footer">
            <p class="privacy"><strong>{ "Your capture is analysed on this device and never uploaded." }</strong>
                { " This page makes no requests to other sites and works offline once loaded." }</p>
            <p class="credits">
                { "IP to network and organisation data: " }
                <a href="https://db-ip.com">{ "IP Geolocation by DB-IP" }</a>
                { " (CC BY 4.0), RouteViews and the NRO delegation statistics (CC BY 4.0); \
                   IP to country data: CC0 (ip-location-db); device makers: the IEEE Registration \
                   Authority's public OUI listing, via oui-data © silverwind (BSD-2-Clause). " }
                { match (props.report_table_date.as_deref().or(props.geo_table.date()), &props.geo_table) {
                    (Some(date), _) => format!("Table date: {date}."),
                    (None, GeoTable::Loaded(_)) => "The IP table has no date.".to_string(),
                    (None, GeoTable::Loading) => "The IP table is loading.".to_string(),
                    (None, GeoTable::Unavailable(_)) => {
                        "The IP table could not be loaded: countries and networks are unknown.".to_string()
                    }
                } }
                { " Country names come from your browser. Whose a destination is: the project's own lists, each entry \
                   citing its source, and the " }
                <a href="https://publicsuffix.org">{ "Public Suffix List" }</a>
                { " (Mozilla Public License 2.0). World map: " }
                <a href="https://www.naturalearthdata.com">{ "Natural Earth" }</a>
                { " (public domain), via world-atlas © Mike Bostock (ISC)." }
            </p>
        </footer>
    }
}
