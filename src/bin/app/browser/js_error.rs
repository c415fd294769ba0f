//! Readable text for a JavaScript exception, for messages shown to the user. Shared by the
//! page and the analysis worker (the worker includes this file by path), so both describe a
//! browser failure the same way.

use wasm_bindgen::JsValue;

/// The exception's `message` (a `DOMException` or `Error` has one), else the value itself if
/// it is a string.
pub fn describe(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".into())
}
