//! How a device's bytes travelled, at a glance: a thin bar of encrypted (TLS, QUIC),
//! unencrypted and unknown bytes, and the same in words (the bar is drawn with SVG
//! presentation attributes, which the page's strict CSP allows, and is hidden from screen
//! readers, which read the words).

use phonehome::report::model::Protection;
use phonehome::report::wording;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ProtectionBarProps {
    pub protection: Protection,
}

#[component]
pub fn ProtectionBar(props: &ProtectionBarProps) -> Html {
    let p = props.protection;
    let Some(words) = wording::protection(p) else {
        return html! {};
    };
    let share = |n: u64| n as f64 * 100.0 / p.total() as f64;
    let (encrypted, plaintext) = (share(p.encrypted_bytes), share(p.plaintext_bytes));
    let part = |class: &'static str, x: f64, width: f64| {
        html! { <rect class={class} x={format!("{x:.2}")} y="0" width={format!("{width:.2}")} height="1" /> }
    };
    html! {
        <div class="protection">
            <svg class="protection-bar" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                { part("encrypted", 0.0, encrypted) }
                { part("plaintext", encrypted, plaintext) }
                { part("unknown", encrypted + plaintext, (100.0 - encrypted - plaintext).max(0.0)) }
            </svg>
            <p class="protection-words">{ format!("Bytes: {words}") }</p>
        </div>
    }
}
