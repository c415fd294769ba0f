//! Loads the IP table (AS numbers, organisations, countries) into the worker at start-up.
//!
//! The table is a static file of the site, not part of the worker's wasm: the wasm stays small
//! and compiles quickly. The site ships it packed and zstd-compressed (`index.html` has trunk
//! copy `src/geo/table.packed.zst` to `geo/`; see [`phonehome::geo::packed`]): about 3 MB on
//! every host, where the table itself is 11 MB, or 4 MB where a server gzips it. The download
//! is started by the worker's boot script (`www/worker_boot.js`) before the wasm loads, under
//! the table checksum the page named the worker after; this takes the response over if that
//! is the checksum this wasm was built with ([`phonehome::geo::TABLE_CHECKSUM`]), copies the
//! bytes once into wasm memory, decodes them there into the table's own bytes, and uses those
//! only if they have that checksum, so page, worker and table always belong together. The
//! table is then searched in place (nothing more is decoded).
//!
//! The worker keeps the table in [`TABLE`] and passes it to the core wherever it is needed
//! (report building, share-link decoding); the core holds no table of its own. Failing to
//! load it is not fatal: the worker works on without it, and the page says so.

use crate::js_error::describe;
use js_sys::{Promise, Reflect, Uint8Array};
use phonehome::geo::packed;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{RequestCache, RequestInit, Response, WorkerGlobalScope};

/// Where the boot script leaves the download it started: `{ version, url, response }`.
const STARTED_DOWNLOAD: &str = "phonehomeGeoTable";
/// User Timing marks in the worker, for profilers and `tests/e2e/bench.mjs` (the boot script
/// marks the start of the download as `phonehome:geo-table-fetch`): the wasm runs and takes
/// the download over, the whole body is in hand, it is copied into wasm memory and decoded
/// (zstd, then unpacked), its checksum is right, and the table is installed.
const WASM_MARK: &str = "phonehome:geo-table-wasm";
const RECEIVED_MARK: &str = "phonehome:geo-table-received";
const DECODED_MARK: &str = "phonehome:geo-table-decoded";
const CHECKED_MARK: &str = "phonehome:geo-table-checked";
const INSTALLED_MARK: &str = "phonehome:geo-table-installed";
/// The table's sections start on cache lines; so does its copy in wasm memory.
const CACHE_LINE: usize = 64;

/// The worker's table, once loaded.
static TABLE: phonehome::geo::Slot = phonehome::geo::Slot::new();

/// The table, if it has been loaded.
pub fn table() -> Option<&'static phonehome::geo::Table<'static>> {
    TABLE.table()
}

/// Finishes loading the table. The promise never rejects: it resolves to `null` once the
/// table is installed, or to the reason (text) it could not be.
pub fn load(scope: &WorkerGlobalScope) -> Promise {
    mark(scope, WASM_MARK);
    let scope = scope.clone();
    future_to_promise(async move {
        Ok(match install(&scope).await {
            Ok(()) => {
                mark(&scope, INSTALLED_MARK);
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
    let version = field(&started, "version").and_then(|v| v.as_string()).unwrap_or_default();
    if version != phonehome::geo::TABLE_CHECKSUM {
        return Err("the page and its analysis worker come from different versions of the site; reload the page".into());
    }
    let url = field(&started, "url").and_then(|v| v.as_string()).ok_or("the page gave no table address")?;
    let response = field(&started, "response")
        .and_then(|v| v.dyn_into::<Promise>().ok())
        .ok_or("the download of the table was not started")?;
    Ok(Download { url, response })
}

async fn install(scope: &WorkerGlobalScope) -> Result<(), String> {
    let download = started_download(scope)?;
    let bytes = match checked(scope, read(download.response).await?) {
        Ok(bytes) => bytes,
        // The boot script uses a cached copy without asking the server: a stale or damaged
        // one must not block the table for good, so ask the server once more.
        Err(_) => checked(scope, read(refetch(scope, &download.url)).await?).map_err(|refused| {
            format!(
                "the server's copy ({refused}) does not match this version of the page ({}); reload the page",
                phonehome::geo::TABLE_CHECKSUM
            )
        })?,
    };
    let kept: &'static [u8] = Vec::leak(bytes.bytes);
    TABLE
        .install(&kept[bytes.start..])
        .map(|_| ())
        .map_err(|e| format!("the file is not a table this page can read ({e})"))
}

/// The same request, bypassing the browser's cache (and refreshing it).
fn refetch(scope: &WorkerGlobalScope, url: &str) -> Promise {
    let init = RequestInit::new();
    init.set_cache(RequestCache::Reload);
    scope.fetch_with_str_and_init(url, &init)
}

/// The whole body of a response, in JavaScript memory.
async fn read(response: Promise) -> Result<Uint8Array, String> {
    let response =
        JsFuture::from(response).await.map_err(|e| format!("the browser could not fetch it: {}", describe(&e)))?;
    let response: Response = response.dyn_into().map_err(|_| "the browser gave no response".to_string())?;
    if !response.ok() {
        return Err(format!("the server answered {} {}", response.status(), response.status_text()));
    }
    let body = response.array_buffer().map_err(|e| describe(&e))?;
    let body = JsFuture::from(body).await.map_err(|e| format!("reading it failed: {}", describe(&e)))?;
    Ok(Uint8Array::new(&body))
}

/// A table's bytes in wasm memory: `bytes[start..]`, which starts on a cache line.
struct Copied {
    bytes: Vec<u8>,
    start: usize,
}

/// Copies the shipped file into wasm memory and decodes it there into the table's bytes,
/// starting on a cache line (the table is searched in place; a worker loads one table and
/// never frees it), if they have this build's checksum; else why not (damaged, or the checksum
/// they have).
fn checked(scope: &WorkerGlobalScope, body: Uint8Array) -> Result<Copied, String> {
    mark(scope, RECEIVED_MARK);
    let shipped = body.to_vec();
    let packed = packed::decompress(&shipped).map_err(|e| format!("damaged: {e}"))?;
    let len = packed.len();
    let mut bytes = vec![0u8; len + CACHE_LINE - 1];
    let start = bytes.as_ptr().align_offset(CACHE_LINE).min(CACHE_LINE - 1);
    let kept = &mut bytes[start..start + len];
    packed::unpack(&packed, kept).map_err(|e| format!("damaged: {e}"))?;
    mark(scope, DECODED_MARK);
    let found = phonehome::geo::checksum(kept);
    if found != phonehome::geo::TABLE_CHECKSUM {
        return Err(format!("checksum {found}"));
    }
    bytes.truncate(start + len);
    mark(scope, CHECKED_MARK);
    Ok(Copied { bytes, start })
}

fn mark(scope: &WorkerGlobalScope, name: &str) {
    if let Some(performance) = scope.performance() {
        // A browser without timing marks loses nothing.
        let _ = performance.mark(name);
    }
}
