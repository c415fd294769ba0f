//! The home country, the watch list and the names given to devices, remembered in the browser's localStorage (on this device
//! only). Storage may be unavailable (private modes, disabled cookies): then nothing is
//! remembered and nothing fails.

use crate::country;
use crate::labels::Labels;
use phonehome::country::CountryCode;

const HOME_KEY: &str = "phonehome.home";
const WATCH_KEY: &str = "phonehome.watch";
const LABELS_KEY: &str = "phonehome.labels";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The remembered home country; when none was ever chosen, the region of the browser's
/// preferred language. An explicit "no home country" is remembered as an empty value.
pub fn load_home() -> Option<String> {
    match storage().and_then(|s| s.get_item(HOME_KEY).ok().flatten()) {
        Some(saved) => CountryCode::listed(&saved).map(|c| c.to_string()),
        None => language_region(),
    }
}

fn language_region() -> Option<String> {
    let navigator = web_sys::window()?.navigator();
    let mut tags: Vec<String> = navigator.languages().iter().filter_map(|v| v.as_string()).collect();
    if let Some(tag) = navigator.language() {
        tags.push(tag);
    }
    country::home_from_languages(tags.iter().map(String::as_str)).map(|c| c.to_string())
}

pub fn load_watch() -> Vec<String> {
    storage()
        .and_then(|s| s.get_item(WATCH_KEY).ok().flatten())
        .map(|saved| saved.split(',').filter_map(CountryCode::listed).map(|c| c.to_string()).collect())
        .unwrap_or_default()
}

pub fn save(home: Option<&str>, watch: &[String]) {
    if let Some(s) = storage() {
        // A full or blocked storage only means the choice is not remembered.
        let _ = s.set_item(HOME_KEY, home.unwrap_or(""));
        let _ = s.set_item(WATCH_KEY, &watch.join(","));
    }
}

pub fn load_labels() -> Labels {
    storage()
        .and_then(|s| s.get_item(LABELS_KEY).ok().flatten())
        .map(|text| Labels::from_json(&text))
        .unwrap_or_default()
}

pub fn save_labels(labels: &Labels) {
    if let Some(s) = storage() {
        let _ = s.set_item(LABELS_KEY, &labels.to_json());
    }
}
