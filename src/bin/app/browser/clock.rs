//! Capture timestamps (seconds since 1970, UTC) as local clock times, and "now" for elapsed
//! times. The browser knows the user's time zone; Rust in wasm does not.

use wasm_bindgen::JsValue;

fn date(seconds: f64) -> js_sys::Date {
    js_sys::Date::new(&JsValue::from_f64(seconds * 1000.0))
}

/// "14:03:22" in the user's time zone (24-hour, unambiguous).
pub fn time_of_day(seconds: f64) -> String {
    if !seconds.is_finite() {
        return "–".into();
    }
    date(seconds).to_locale_time_string("en-GB").into()
}

/// "2024-05-01 14:03:22" in the user's time zone.
pub fn date_time(seconds: f64) -> String {
    if !seconds.is_finite() {
        return "–".into();
    }
    let d = date(seconds);
    format!("{:04}-{:02}-{:02} {}", d.get_full_year(), d.get_month() + 1, d.get_date(), time_of_day(seconds))
}

/// "2 November 2026": the day in the user's time zone.
pub fn day(seconds: f64) -> String {
    let d = date(seconds);
    phonehome::report::wording::day_words(i64::from(d.get_full_year()), d.get_month() + 1, d.get_date())
}

/// Milliseconds since 1970, for measuring elapsed time.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}
