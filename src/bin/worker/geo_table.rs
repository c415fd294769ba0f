//! Loads the IP table (AS numbers, organisations, countries) into the worker at start-up.
//!
//! The table is a static file of the site (`index.html` has trunk copy `src/geo/table.bin` to
//! `geo/table.bin`), not part of the worker's wasm: the wasm stays small and compiles quickly,
//! and the download overlaps the wasm's start. It is fetched once per worker with Subresource
//! Integrity against the digest this build was made with ([`phonehome::geo::TABLE_INTEGRITY`]),
//! so the browser refuses a stale or damaged copy; the digest is also in the address, so a new
//! table is a new address and every cached copy may be used without asking the server again.
//! The bytes are copied once into wasm memory and searched in place (nothing is decoded).
//!
//! Failing to load it is not fatal: the worker works on without it, and the page says so.

use crate::js_error::describe;
use js_sys::{Promise, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{RequestCache, RequestInit, Response, WorkerGlobalScope};

/// Relative to the worker script, which lives at the site's root like the page.
const TABLE_PATH: &str = "./geo/table.bin";
/// User Timing marks in the worker, for profilers and `tests/e2e/bench.mjs`.
const FETCH_MARK: &str = "phonehome:geo-table-fetch";
const INSTALLED_MARK: &str = "phonehome:geo-table-installed";
/// The table's sections start on cache lines; so does its copy in wasm memory.
const CACHE_LINE: usize = 64;

/// Starts loading the table. The promise never rejects: it resolves to `null` once the table
/// is installed, or to the reason (text) it could not be.
pub fn load(scope: &WorkerGlobalScope) -> Promise {
    let scope = scope.clone();
    future_to_promise(async move {
        mark(&scope, FETCH_MARK);
        let outcome = fetch_and_install(&scope).await;
        Ok(match outcome {
            Ok(()) => {
                mark(&scope, INSTALLED_MARK);
                JsValue::NULL
            }
            Err(reason) => JsValue::from_str(&reason),
        })
    })
}

/// Why a fetch gave no bytes.
enum FetchFailure {
    /// The browser refused or could not make the request: offline, blocked, or a copy whose
    /// digest does not match (the browser reports all of these alike).
    Refused(String),
    /// Any other failure: the server's answer or reading its body.
    Other(String),
}

impl From<FetchFailure> for String {
    fn from(failure: FetchFailure) -> String {
        match failure {
            FetchFailure::Refused(why) => {
                format!("the browser could not fetch a copy matching this version of the page: {why}")
            }
            FetchFailure::Other(why) => why,
        }
    }
}

async fn fetch_and_install(scope: &WorkerGlobalScope) -> Result<(), String> {
    let bytes = match fetch(scope, RequestCache::ForceCache).await {
        Ok(bytes) => bytes,
        // A cached copy that fails its integrity check must not block the table for good
        // (a cached copy is used without asking the server): ask the server once more.
        Err(FetchFailure::Refused(_)) => fetch(scope, RequestCache::Reload).await?,
        Err(other) => return Err(other.into()),
    };
    let bytes = keep_in_wasm_memory(&bytes);
    phonehome::geo::install(bytes).map_err(|e| format!("the file is not a table this page can read ({e})"))
}

/// The address carries the digest (URL-safe), so each table has its own cache entry.
fn table_url() -> String {
    let digest = phonehome::geo::TABLE_INTEGRITY.trim_start_matches("sha256-");
    let url_safe: String = digest
        .chars()
        .filter(|&c| c != '=')
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    format!("{TABLE_PATH}?v={url_safe}")
}

async fn fetch(scope: &WorkerGlobalScope, cache: RequestCache) -> Result<Uint8Array, FetchFailure> {
    let init = RequestInit::new();
    init.set_integrity(phonehome::geo::TABLE_INTEGRITY);
    init.set_cache(cache);
    let response = JsFuture::from(scope.fetch_with_str_and_init(&table_url(), &init))
        .await
        .map_err(|e| FetchFailure::Refused(describe(&e)))?;
    let response: Response = response.dyn_into().map_err(|_| FetchFailure::Other("no response".into()))?;
    if !response.ok() {
        return Err(FetchFailure::Other(format!(
            "the server answered {} {}",
            response.status(),
            response.status_text()
        )));
    }
    let body = response.array_buffer().map_err(|e| FetchFailure::Other(describe(&e)))?;
    // The integrity check happens while the body is read: a mismatch rejects here.
    let body = JsFuture::from(body).await.map_err(|e| FetchFailure::Refused(describe(&e)))?;
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

fn mark(scope: &WorkerGlobalScope, name: &str) {
    // Timing marks are a convenience: a browser without them loses nothing.
    if let Some(performance) = scope.performance() {
        let _ = performance.mark(name);
    }
}
