//! Loads the IP table (AS numbers, organisations, countries) into the worker at start-up.
//!
//! The table is a static file of the site, not part of the worker's wasm: the wasm stays small
//! and compiles quickly. The site ships it packed and brotli-compressed (`index.html` has trunk
//! copy `src/geo/table.packed.br` to `geo/`; see [`phonehome::geo::packed`]): about 3 MB on
//! every host, where the table itself is 11 MB, or 4 MB where a server gzips it. Getting it is
//! started by the worker's boot script (`www/worker_boot.js`) before the wasm loads, under the
//! table checksum the page named the worker after; this takes over if that is the checksum this
//! wasm was built with ([`phonehome::geo::TABLE_CHECKSUM`]).
//!
//! Decoding the shipped file costs 110 to 150 ms in a worker, every visit and every fresh
//! worker (each analysis gets one). So the decoded table is kept in the browser's Cache
//! Storage, where the boot script looks first: its 11 MB read back in about 20 ms. Either way
//! the bytes are copied once into wasm memory (and decoded there, for the shipped file) and
//! used only if they have this wasm's checksum, so page, worker and table always belong
//! together; a kept copy that does not is ignored and the shipped file downloaded instead, and
//! a table decoded from it is handed back to the boot script to keep. The table is then
//! searched in place (nothing more is decoded).
//!
//! The worker keeps the table in [`TABLE`] and passes it to the core wherever it is needed
//! (report building, share-link decoding); the core holds no table of its own. Failing to
//! load it is not fatal: the worker works on without it, and the page says so.

use crate::js_error::describe;
use js_sys::{ArrayBuffer, Function, Promise, Reflect, Uint8Array};
use phonehome::geo::packed;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{future_to_promise, JsFuture};
use web_sys::{RequestCache, RequestInit, Response, WorkerGlobalScope};

/// Where the boot script leaves what it started: `{ version, url, stored, download, keep }`.
const STARTED: &str = "phonehomeGeoTable";
/// User Timing marks in the worker, for profilers and `tests/e2e/bench.mjs` (the boot script
/// marks where it starts looking for a kept copy, `phonehome:geo-table-lookup`, where it starts
/// the download, `...-fetch`, and when it has kept a table, `...-kept`): the wasm runs and
/// takes over, the table's bytes (kept or shipped) are in hand, they are in wasm memory as the
/// table's bytes (copied, or copied and decoded), their checksum is right, and the table is
/// installed.
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
            Ok(decoded) => {
                mark(&scope, INSTALLED_MARK);
                if let Some((keep, table)) = decoded {
                    // A copy the wasm will never touch (its memory may grow and move); the
                    // promise never rejects and nothing waits for it.
                    let _ = keep.call1(&JsValue::NULL, &Uint8Array::from(table));
                }
                JsValue::NULL
            }
            Err(reason) => JsValue::from_str(&reason),
        })
    })
}

/// What the boot script started.
struct Started {
    url: String,
    /// Resolves to the kept table's bytes (an `ArrayBuffer`) or `null`; never rejects.
    stored: Promise,
    /// Starts the download (once) and returns the promise of its response.
    download: Function,
    /// Keeps a checked table's bytes (a `Uint8Array`) for the next visit.
    keep: Function,
}

fn started(scope: &WorkerGlobalScope) -> Result<Started, String> {
    let field = |object: &JsValue, key: &str| Reflect::get(object, &JsValue::from_str(key)).ok();
    let started = field(scope, STARTED)
        .filter(|v| v.is_object())
        .ok_or("the page did not say which table to load; reload the page")?;
    let version = field(&started, "version").and_then(|v| v.as_string()).unwrap_or_default();
    if version != phonehome::geo::TABLE_CHECKSUM {
        return Err("the page and its analysis worker come from different versions of the site; reload the page".into());
    }
    let url = field(&started, "url").and_then(|v| v.as_string()).ok_or("the page gave no table address")?;
    let function = |key: &str| field(&started, key).and_then(|v| v.dyn_into::<Function>().ok());
    let stored = field(&started, "stored").and_then(|v| v.dyn_into::<Promise>().ok());
    match (stored, function("download"), function("keep")) {
        (Some(stored), Some(download), Some(keep)) => Ok(Started { url, stored, download, keep }),
        _ => Err("the download of the table was not started".into()),
    }
}

/// Installs the kept table, else the shipped one; gives back, with the boot script's `keep`,
/// the bytes of a table it had to decode.
async fn install(scope: &WorkerGlobalScope) -> Result<Option<(Function, &'static [u8])>, String> {
    let started = started(scope)?;
    if let Some(kept) = stored(scope, &started).await {
        put(kept)?;
        return Ok(None);
    }
    let download = started.download.call0(&JsValue::NULL).ok().and_then(|v| v.dyn_into::<Promise>().ok());
    let download = download.ok_or("the download of the table could not be started")?;
    let bytes = match decoded(scope, read(download).await?) {
        Ok(bytes) => bytes,
        // The boot script uses a cached copy without asking the server: a stale or damaged
        // one must not block the table for good, so ask the server once more.
        Err(_) => decoded(scope, read(refetch(scope, &started.url)).await?).map_err(|refused| {
            format!(
                "the server's copy ({refused}) does not match this version of the page ({}); reload the page",
                phonehome::geo::TABLE_CHECKSUM
            )
        })?,
    };
    Ok(Some((started.keep, put(bytes)?)))
}

/// Installs a checked table for good (a worker loads one table and never frees it).
fn put(bytes: Aligned) -> Result<&'static [u8], String> {
    let kept: &'static [u8] = &Vec::leak(bytes.bytes)[bytes.start..];
    TABLE.install(kept).map(|_| kept).map_err(|e| format!("the file is not a table this page can read ({e})"))
}

/// The table kept by an earlier visit, in wasm memory, if there is one and it has this build's
/// checksum. Anything else (none, unreadable, damaged, another table's) is silently ignored:
/// the shipped file is always there to fall back on.
async fn stored(scope: &WorkerGlobalScope, started: &Started) -> Option<Aligned> {
    let found = JsFuture::from(started.stored.clone()).await.ok()?;
    let found: ArrayBuffer = found.dyn_into().ok()?;
    let found = Uint8Array::new(&found);
    mark(scope, RECEIVED_MARK);
    let len = usize::try_from(found.length()).ok().filter(|&len| len <= packed::MAX_TABLE_LEN)?;
    let mut bytes = Aligned::zeroed(len);
    found.copy_to(bytes.table_mut());
    mark(scope, DECODED_MARK);
    checked(scope, bytes).ok()
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

/// A table's bytes in wasm memory: `bytes[start..]`, which starts on a cache line (the table
/// is searched in place).
struct Aligned {
    bytes: Vec<u8>,
    start: usize,
}

impl Aligned {
    fn zeroed(len: usize) -> Self {
        let mut bytes = vec![0u8; len + CACHE_LINE - 1];
        let start = bytes.as_ptr().align_offset(CACHE_LINE).min(CACHE_LINE - 1);
        bytes.truncate(start + len);
        Aligned { bytes, start }
    }

    fn table_mut(&mut self) -> &mut [u8] {
        &mut self.bytes[self.start..]
    }
}

/// Copies the shipped file into wasm memory and decodes it there into the table's bytes, if
/// they have this build's checksum; else why not (damaged, or the checksum they have).
fn decoded(scope: &WorkerGlobalScope, body: Uint8Array) -> Result<Aligned, String> {
    mark(scope, RECEIVED_MARK);
    let shipped = body.to_vec();
    let packed = packed::decompress(&shipped).map_err(|e| format!("damaged: {e}"))?;
    let mut bytes = Aligned::zeroed(packed.len());
    packed::unpack(&packed, bytes.table_mut()).map_err(|e| format!("damaged: {e}"))?;
    mark(scope, DECODED_MARK);
    checked(scope, bytes)
}

/// The table's bytes if they have this build's checksum, else the checksum they have.
fn checked(scope: &WorkerGlobalScope, mut bytes: Aligned) -> Result<Aligned, String> {
    let found = phonehome::geo::checksum(bytes.table_mut());
    if found != phonehome::geo::TABLE_CHECKSUM {
        return Err(format!("checksum {found}"));
    }
    mark(scope, CHECKED_MARK);
    Ok(bytes)
}

fn mark(scope: &WorkerGlobalScope, name: &str) {
    if let Some(performance) = scope.performance() {
        // A browser without timing marks loses nothing.
        let _ = performance.mark(name);
    }
}
