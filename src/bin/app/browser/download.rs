//! Saving text as a file the way a static page can: a `Blob`, an object URL for it, and a
//! click on a temporary `<a download>`. This is a download, not a fetch, so the
//! Content-Security-Policy's `connect-src 'self'` stays as strict as it is, and nothing
//! leaves the browser.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// How long the object URL stays valid after the click: revoking it at once can cancel the
/// download in some browsers, and keeping it frees nothing useful.
const REVOKE_AFTER_MS: i32 = 60_000;

fn describe(e: JsValue) -> String {
    e.as_string().unwrap_or_else(|| format!("{e:?}"))
}

/// Offers `text` (written as UTF-8) as a file named `file_name`.
pub fn save(file_name: &str, media_type: &str, text: &str) -> Result<(), String> {
    let options = BlobPropertyBag::new();
    options.set_type(media_type);
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(describe)?;
    save_blob(file_name, &blob)
}

/// Offers `blob` (written by the page or by the worker) as a file named `file_name`.
pub fn save_blob(file_name: &str, blob: &Blob) -> Result<(), String> {
    let window = web_sys::window().ok_or("no browser window")?;
    let document = window.document().ok_or("no document")?;
    let body = document.body().ok_or("no page body")?;
    let url = Url::create_object_url_with_blob(blob).map_err(describe)?;
    let anchor: HtmlAnchorElement =
        document.create_element("a").map_err(describe)?.dyn_into().map_err(|_| "no link element")?;
    anchor.set_href(&url);
    anchor.set_download(file_name);
    anchor.set_hidden(true);
    // Attached while clicked: some browsers ignore clicks on detached links.
    body.append_child(&anchor).map_err(describe)?;
    anchor.click();
    let _ = body.remove_child(&anchor);
    let revoke = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), REVOKE_AFTER_MS);
    Ok(())
}
