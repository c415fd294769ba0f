//! The page: a Yew app that hands a capture to the analysis worker and shows the report.
//!
//! Layout: plain-Rust report logic at the top level (state, filtering, sorting, headline,
//! formatting: tested natively with `cargo test`), browser access in `browser/` (worker,
//! storage, `Intl`), and one component per file in `components/`. Nothing here reads the
//! capture: only the worker does, and the capture never leaves the browser.

// Natively only the plain-Rust modules are built (for their tests); the browser code that
// uses them exists only in wasm, so natively they would look unused.
#![cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]

mod activity;
// The worker's half (posting) serves the tests here.
#[allow(dead_code)]
mod analysis_pieces;
mod country;
mod country_totals;
mod destination_query;
mod device_traffic;
mod export;
#[cfg(test)]
mod fixtures;
mod format;
mod labels;
// Shared with the worker, which uses the other half (it encodes, the page decodes).
#[allow(dead_code)]
mod protocol;
mod share_link;
mod shown;
mod state;
mod summary;
mod virtual_window;
mod world_map;

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
mod components;

#[cfg(target_arch = "wasm32")]
fn main() {
    yew::Renderer::<components::app::App>::new().render();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
