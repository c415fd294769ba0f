//! The page's own address: the share-link fragment in it, the address to build links from,
//! and changes of the fragment (a link pasted into a tab that already shows the page, or Back
//! and Forward between a link and the drop zone).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The whole address of the page (`location.href`).
pub fn href() -> String {
    web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default()
}

/// The fragment with its `#`, or an empty string.
pub fn hash() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// Takes the fragment off the address bar in a new history entry, without reloading: a
/// reload shows the drop zone, not the shared report again, and Back returns to the link
/// (the fragment comes back, and its `hashchange` opens it). An address without a fragment is
/// left as it is.
pub fn leave_fragment() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if hash().is_empty() {
        return;
    }
    let address = href();
    let without = crate::share_link::without_fragment(&address);
    if let Ok(history) = window.history() {
        // Only fails for an address of another origin, which this one cannot be.
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(without));
    }
}

/// Calls `handler` each time the fragment changes, until the returned function is called.
pub fn on_hash_change(handler: impl FnMut() + 'static) -> impl FnOnce() {
    let closure = Closure::<dyn FnMut()>::new(handler);
    let window = web_sys::window();
    if let Some(w) = &window {
        let _ = w.add_event_listener_with_callback("hashchange", closure.as_ref().unchecked_ref());
    }
    move || {
        if let Some(w) = &window {
            let _ = w.remove_event_listener_with_callback("hashchange", closure.as_ref().unchecked_ref());
        }
    }
}
