//! Loads the IP table (AS numbers, organisations, countries) into the worker at start-up.
//!
//! The table is a static file of the site (`index.html` has trunk copy `src/geo/table.bin` to
//! `geo/table.bin`), not part of the worker's wasm: the wasm stays small and compiles quickly.
//! The download is started by the worker's boot script (`www/worker_boot.js`) before the wasm
//! loads, with Subresource Integrity against the digest the page named the worker after; this
//! takes the response over, and uses it only if that digest is the one this wasm was built with
//! ([`phonehome::geo::TABLE_INTEGRITY`]), so page, worker and table always belong together.
//! The bytes are copied once into wasm memory and searched in place (nothing is decoded).
//!
//! Failing to load it is not fatal: the worker works on without it, and the page says so.

use crate::js_error::describe;
use js_sys::{Promise, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{RequestCache, RequestInit, Response, WorkerGlobalScope};

/// Where the boot script leaves the download it started: `{ integrity, url, response }`.
const STARTED_DOWNLOAD: &str = "phonehomeGeoTable";
/// User Timing marks in the worker, for profilers and `tests/e2e/bench.mjs` (the boot script
/// marks the start of the download as `phonehome:geo-table-fetch`): the whole body is in hand
/// (checked against its digest), and the table is installed.
const RECEIVED_MARK: &str = "phonehome:geo-table-received";
const INSTALLED_MARK: &str = "phonehome:geo-table-installed";
/// The table's sections start on cache lines; so does its copy in wasm memory.
const CACHE_LINE: usize = 64;

/// Finishes loading the table. The promise never rejects: it resolves to `null` once the
/// table is installed, or to the reason (text) it could not be.
pub fn load(scope: &WorkerGlobalScope) -> Promise {
    let scope = scope.clone();
    future_to_promise(async move {
        Ok(match install(&scope).await {
            Ok(()) => {
                if let Some(performance) = scope.performance() {
                    // A browser without timing marks loses nothing.
                    let _ = performance.mark(INSTALLED_MARK);
                }
                JsValue::NULL
            }
            Err(reason) => JsValue::from_str(&reason),
        })
    })
}

/// The download the boot script started.
struct Download {
    url: String,
    response: Promise,
}

fn started_download(scope: &WorkerGlobalScope) -> Result<Download, String> {
    let field = |object: &JsValue, key: &str| Reflect::get(object, &JsValue::from_str(key)).ok();
    let started = field(scope, STARTED_DOWNLOAD)
        .filter(|v| v.is_object())
        .ok_or("the page did not say which table to load; reload the page")?;
    let integrity = field(&started, "integrity").and_then(|v| v.as_string()).unwrap_or_default();
    if integrity != phonehome::geo::TABLE_INTEGRITY {
        return Err("the page and its analysis worker come from different versions of the site; reload the page".into());
    }
    let url = field(&started, "url").and_then(|v| v.as_string()).ok_or("the page gave no table address")?;
    let response = field(&started, "response")
        .and_then(|v| v.dyn_into::<Promise>().ok())
        .ok_or("the download of the table was not started")?;
    Ok(Download { url, response })
}

/// Why a download gave no bytes.
enum Failure {
    /// The browser refused or could not make the request: offline, blocked, or a copy whose
    /// digest does not match (the browser reports all of these alike).
    Refused(String),
    /// Any other failure: the server's answer or reading its body.
    Other(String),
}

impl From<Failure> for String {
    fn from(failure: Failure) -> String {
        match failure {
            Failure::Refused(why) => {
                format!("the browser could not fetch a copy matching this version of the page: {why}")
            }
            Failure::Other(why) => why,
        }
    }
}

async fn install(scope: &WorkerGlobalScope) -> Result<(), String> {
    let download = started_download(scope)?;
    let bytes = match read(download.response).await {
        Ok(bytes) => bytes,
        // The boot script uses a cached copy without asking the server: one that fails its
        // integrity check must not block the table for good, so ask the server once more.
        Err(Failure::Refused(_)) => read(refetch(scope, &download.url)).await?,
        Err(other) => return Err(other.into()),
    };
    if let Some(performance) = scope.performance() {
        // A browser without timing marks loses nothing.
        let _ = performance.mark(RECEIVED_MARK);
    }
    let bytes = keep_in_wasm_memory(&bytes);
    phonehome::geo::install(bytes).map_err(|e| format!("the file is not a table this page can read ({e})"))
}

/// The same request, bypassing the browser's cache (and refreshing it).
fn refetch(scope: &WorkerGlobalScope, url: &str) -> Promise {
    let init = RequestInit::new();
    init.set_integrity(phonehome::geo::TABLE_INTEGRITY);
    init.set_cache(RequestCache::Reload);
    scope.fetch_with_str_and_init(url, &init)
}

async fn read(response: Promise) -> Result<Uint8Array, Failure> {
    let response = JsFuture::from(response).await.map_err(|e| Failure::Refused(describe(&e)))?;
    let response: Response = response.dyn_into().map_err(|_| Failure::Other("no response".into()))?;
    if !response.ok() {
        return Err(Failure::Other(format!("the server answered {} {}", response.status(), response.status_text())));
    }
    let body = response.array_buffer().map_err(|e| Failure::Other(describe(&e)))?;
    let body = JsFuture::from(body).await.map_err(|e| Failure::Refused(describe(&e)))?;
    Ok(Uint8Array::new(&body))
}

/// Copies the bytes into wasm memory once, starting on a cache line, and keeps them for the
/// worker's life (the table is searched in place; a worker loads one table and never frees it).
fn keep_in_wasm_memory(bytes: &Uint8Array) -> &'static [u8] {
    let len = bytes.length() as usize;
    let buffer: &'static mut [u8] = Vec::leak(vec![0u8; len + CACHE_LINE - 1]);
    let start = buffer.as_ptr().align_offset(CACHE_LINE).min(CACHE_LINE - 1);
    let kept = &mut buffer[start..start + len];
    bytes.copy_to(kept);
    kept
}
