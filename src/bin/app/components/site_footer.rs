//! The footer: the privacy promise and the data credits the IP tables' licences ask for.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SiteFooterProps {
    /// Date of the embedded IP table (`YYYY-MM-DD`), when one is embedded.
    pub table_date: Option<AttrValue>,
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
                   IP to country data: CC0 (ip-location-db). " }
                { match &props.table_date {
                    Some(date) => format!("Table date: {date}."),
                    None => "No IP table is built into this copy: countries and networks are unknown.".to_string(),
                } }
                { " Country names come from your browser." }
            </p>
        </footer>
    }
}
