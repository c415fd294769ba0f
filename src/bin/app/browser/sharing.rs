//! Handing a link on: the clipboard, and the system's share sheet where the browser has one
//! (`navigator.share`: phones, Windows, macOS; not desktop Linux). Both only exist in secure
//! contexts (https or localhost), so their presence is checked before use.

use super::js_error::describe;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Navigator, ShareData};

fn navigator() -> Option<Navigator> {
    web_sys::window().map(|w| w.navigator())
}

fn has(navigator: &Navigator, name: &str) -> bool {
    js_sys::Reflect::get(navigator, &JsValue::from_str(name)).is_ok_and(|v| !v.is_undefined() && !v.is_null())
}

/// Puts `text` on the clipboard.
pub async fn copy(text: &str) -> Result<(), String> {
    let navigator = navigator().ok_or("no browser window")?;
    if !has(&navigator, "clipboard") {
        return Err("this page has no clipboard access".into());
    }
    JsFuture::from(navigator.clipboard().write_text(text)).await.map(|_| ()).map_err(|e| describe(&e))
}

/// Whether the browser has a share sheet.
pub fn can_share() -> bool {
    navigator().is_some_and(|n| has(&n, "share"))
}

/// Opens the share sheet for a link. Closing the sheet without choosing is not an error.
pub async fn share(url: &str, title: &str) -> Result<(), String> {
    let navigator = navigator().ok_or("no browser window")?;
    if !has(&navigator, "share") {
        return Err("this browser has no share sheet".into());
    }
    let data = ShareData::new();
    data.set_url(url);
    data.set_title(title);
    match JsFuture::from(navigator.share_with_data(&data)).await {
        Ok(_) => Ok(()),
        Err(e)
            if js_sys::Reflect::get(&e, &JsValue::from_str("name")).ok().and_then(|n| n.as_string()).as_deref()
                == Some("AbortError") =>
        {
            Ok(())
        }
        Err(e) => Err(describe(&e)),
    }
}
