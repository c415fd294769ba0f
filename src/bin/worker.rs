//! The analysis worker: thin glue between a capture `Blob` posted by the page and the streaming
//! core ([`phonehome::Analyzer`]).
//!
//! It reads the file in slices (never the whole file at once, so gigabyte captures fit), copies
//! each slice once into wasm memory, feeds the analyser, and posts progress at most every
//! [`PROGRESS_INTERVAL_MS`], then the report or an error. A worker of its own reads the slices
//! ahead (`worker/slices.rs`, `www/slice_reader.js`), so reading overlaps the analysis; the
//! page's thread is never blocked, and cancelling is done by terminating this worker (its
//! reader goes with it).
//! It also compares the analysis it holds with an earlier capture or report (`worker/compare.rs`)
//! and opens share links for the page (decoding one looks addresses up again in the IP
//! table, which only the worker holds).
//!
//! At start it loads the IP table (`worker/geo_table.rs`; the boot script has already started
//! its download) and says "ready" once the table is installed or known to be unavailable. A
//! request never runs ahead of a table that is on its way: one that arrives earlier waits for
//! it. Without a table, reports have no AS or country.
//! The messages are defined in `app/protocol.rs`, shared with the page.

// Shared with the page, which uses the other half (it decodes, the worker encodes).
#[cfg(target_arch = "wasm32")]
#[allow(dead_code)]
#[path = "app/protocol.rs"]
mod protocol;

// Shared with the page, which reads what the worker posts.
#[cfg(target_arch = "wasm32")]
#[allow(dead_code)]
#[path = "app/analysis_pieces.rs"]
mod analysis_pieces;

// Shared with the page: one wording for browser exceptions.
#[cfg(target_arch = "wasm32")]
#[path = "app/browser/js_error.rs"]
mod js_error;

#[cfg(target_arch = "wasm32")]
#[path = "worker/geo_table.rs"]
mod geo_table;

// Shared with the page: the exports' files (the worker writes those that need every flow).
#[cfg(target_arch = "wasm32")]
#[allow(dead_code)]
#[path = "app/export.rs"]
mod export;

#[cfg(target_arch = "wasm32")]
#[path = "worker/held.rs"]
mod held;

#[cfg(target_arch = "wasm32")]
#[path = "worker/compare.rs"]
mod compare;

#[cfg(target_arch = "wasm32")]
#[path = "worker/warm_up.rs"]
mod warm_up;

#[cfg(target_arch = "wasm32")]
#[path = "worker/slices.rs"]
mod slices;

#[cfg(target_arch = "wasm32")]
#[path = "worker/core_timing.rs"]
mod core_timing;

#[cfg(target_arch = "wasm32")]
mod glue {
    use crate::js_error::describe;
    use crate::protocol::{self, FromWorker, OpenShared, Start};
    use crate::slices::{Next, Slices};
    use crate::{compare, geo_table, held, warm_up};
    use phonehome::diagnostic::DiagnosticKind;
    use phonehome::report::model::Diagnostic;
    use phonehome::{Analysis, Analyzer};
    use std::cell::Cell;
    use std::rc::Rc;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::{spawn_local, JsFuture};
    use web_sys::{Blob, DedicatedWorkerGlobalScope, MessageEvent};

    /// Slice size, by measurement: each read costs a round trip to the browser's file reading,
    /// so larger slices read faster. Read in this thread, a busy gigabyte in headless Chromium
    /// took 2.4-2.9 s in 1 MiB slices, 1.6-1.7 s in 4 MiB, 0.9-1.1 s in 16 MiB, 0.86-0.87 s in
    /// 32 MiB and 0.76 s in 64 MiB. Read ahead by the reader, 16 MiB and 32 MiB gave the same
    /// (busy gigabyte, analysed in 1.45-1.70 s); the reader holds two slices besides the one
    /// analysed, so 16 MiB.
    const SLICE_BYTES: usize = 16 << 20;
    /// Each slice goes into wasm memory in pieces of this size, each analysed at once, so the
    /// wasm memory for reading stays small. (Busy gigabyte: the worker's core took 1.17 s
    /// median with pieces of 256 KiB, 1 MiB and 4 MiB alike.)
    const PIECE_BYTES: usize = 1 << 20;
    /// Progress messages faster than this only cost the page re-renders.
    const PROGRESS_INTERVAL_MS: f64 = 100.0;

    pub fn run() {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        // The boot script started the table's download; finish it while requests can arrive.
        let table = geo_table::load(&scope);
        // Set by the first request: the warm-up has done its part.
        let requested = Rc::new(Cell::new(false));
        let on_message = {
            let (scope, table, requested) = (scope.clone(), table.clone(), requested.clone());
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                requested.set(true);
                let (scope, table) = (scope.clone(), table.clone());
                // Waiting costs nothing once the table is settled. Requests keep their order:
                // waiters resume in the order they started waiting.
                spawn_local(async move {
                    let _ = JsFuture::from(table).await;
                    if let Some(reply) = answer(&scope, &event.data()).await {
                        post(&scope, reply);
                    }
                });
            })
        };
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // The worker lives as long as the handler: leaking it once is the intended lifetime.
        on_message.forget();
        // Registered before any request can wait, so "ready" goes out before any answer.
        spawn_local(async move {
            let outcome = JsFuture::from(table).await;
            let geo_table_error = match outcome {
                Ok(reason) => reason.as_string(),
                Err(e) => Some(describe(&e)),
            };
            let geo_table_date = geo_table::table().and_then(|t| t.date()).map(str::to_string);
            post(&scope, FromWorker::Ready { geo_table_date, geo_table_error });
            warm_up::run(scope.unchecked_into(), requested).await;
        });
    }

    /// The answer to a request (`None` when it was posted otherwise, as exports are).
    async fn answer(scope: &DedicatedWorkerGlobalScope, data: &JsValue) -> Option<FromWorker> {
        let text = |key: &str| js_sys::Reflect::get(data, &JsValue::from_str(key)).ok().and_then(|v| v.as_string());
        if let Some(query) = text(protocol::QUERY_KEY) {
            return held::answer(scope, &query);
        }
        if let Some(request) = text(protocol::COMPARE_KEY) {
            let file = js_sys::Reflect::get(data, &JsValue::from_str(protocol::FILE_KEY)).ok();
            return Some(compare::answer(&request, file.and_then(|f| f.dyn_into::<Blob>().ok())).await);
        }
        Some(match (text(protocol::OPEN_KEY), read_start(data)) {
            (Some(open), _) => open_shared(&open),
            (None, Ok(blob)) => return analyse(scope, &blob).await,
            (None, Err(message)) => FromWorker::Error { message },
        })
    }

    fn post(scope: &DedicatedWorkerGlobalScope, message: FromWorker) {
        post_ref(scope, &message);
    }

    fn post_ref(scope: &DedicatedWorkerGlobalScope, message: &FromWorker) {
        let text = protocol::encode(message);
        // Posting a string to our own page only fails if the page is gone; nothing to do then.
        let _ = scope.post_message(&JsValue::from_str(&text));
    }

    /// Posts the analysis as bytes in transferred buffers, one per piece (see `protocol`): each
    /// piece leaves the worker's memory as soon as it is written.
    fn post_analysis(scope: &DedicatedWorkerGlobalScope, analysis: &mut Analysis, flows: u64) -> Result<(), String> {
        let buffers = js_sys::Array::new();
        crate::analysis_pieces::analysis_pieces(analysis, |piece| {
            buffers.push(&js_sys::Uint8Array::from(&piece[..]).buffer());
        })?;
        let fields =
            [(protocol::DONE_KEY, buffers.clone().into()), (protocol::DONE_FLOWS_KEY, JsValue::from_f64(flows as f64))];
        post_object(scope, &fields, Some(&buffers))
    }

    /// Posts a message that is an object (a `Blob` or a buffer does not go into JSON text):
    /// the message version, then `fields`; `transfer` is moved to the page, not copied.
    pub(crate) fn post_object(
        scope: &DedicatedWorkerGlobalScope,
        fields: &[(&str, JsValue)],
        transfer: Option<&js_sys::Array>,
    ) -> Result<(), String> {
        let message = js_sys::Object::new();
        let version = ("v", JsValue::from(protocol::VERSION));
        for (key, value) in std::iter::once(&version).chain(fields) {
            js_sys::Reflect::set(&message, &JsValue::from_str(key), value).map_err(|e| describe(&e))?;
        }
        match transfer {
            Some(buffers) => scope.post_message_with_transfer(&message, buffers),
            None => scope.post_message(&message),
        }
        .map_err(|e| describe(&e))
    }

    fn read_start(data: &JsValue) -> Result<Blob, String> {
        let field = |key: &str| js_sys::Reflect::get(data, &JsValue::from_str(key)).ok();
        let start_text = field(protocol::START_KEY)
            .and_then(|v| v.as_string())
            .ok_or("the page sent the worker a message without a start request")?;
        let start: Start = serde_json::from_str(&start_text)
            .map_err(|e| format!("the page sent an unreadable start request ({e})"))?;
        if start.v != protocol::VERSION {
            return Err(format!(
                "the page speaks message version {}, the worker version {}; reload the page",
                start.v,
                protocol::VERSION
            ));
        }
        field(protocol::FILE_KEY)
            .and_then(|v| v.dyn_into::<Blob>().ok())
            .ok_or_else(|| "the page sent no file to analyse".into())
    }

    /// Reads a share link. Whatever is wrong with the link is the damaged-link answer, never a
    /// partial report; a request the worker cannot read (a page of another version) is an error.
    fn open_shared(text: &str) -> FromWorker {
        let request: OpenShared = match serde_json::from_str(text) {
            Ok(request) => request,
            Err(e) => {
                return FromWorker::Error { message: format!("the page sent an unreadable link request ({e})") };
            }
        };
        if request.v != protocol::VERSION {
            return FromWorker::Error {
                message: format!(
                    "the page speaks message version {}, the worker version {}; reload the page",
                    request.v,
                    protocol::VERSION
                ),
            };
        }
        match phonehome::share::decode(&request.fragment, geo_table::table()) {
            Ok(shared) => FromWorker::Shared {
                id: request.id,
                analysis: Box::new(shared.analysis),
                home: shared.viewpoint.home,
                watch: shared.viewpoint.watch,
                created: shared.created,
                table_date: shared.table_date,
                total_destinations: shared.total_destinations,
                redacted: shared.redacted,
            },
            Err(damaged) => FromWorker::DamagedLink { id: request.id, message: damaged.to_string() },
        }
    }

    /// Reads `blob` in slices, each copied once into wasm memory and handed to `each` with
    /// the bytes read so far; `each` returns false to stop. Gives the bytes read and why the
    /// browser stopped reading early, if it did; an error if it cannot read files at all.
    pub(crate) async fn read_slices(
        blob: &Blob,
        mut each: impl FnMut(&[u8], u64) -> bool,
    ) -> Result<(u64, Option<String>), String> {
        let total = blob.size().max(0.0) as u64;
        let mut slices = Slices::new(blob, SLICE_BYTES);
        let mut buffer = vec![0u8; total.min(PIECE_BYTES as u64) as usize];
        let mut offset = 0u64;
        loop {
            let bytes = match slices.next().await {
                Next::Bytes(bytes) => bytes,
                Next::End => break,
                Next::Failed(why) => return Ok((offset, Some(why))),
            };
            let len = bytes.length() as usize;
            // Into wasm memory a piece at a time, each handed on at once: its bytes are still
            // in the processor's cache when they are parsed.
            let mut at = 0;
            while at < len {
                let piece = (len - at).min(buffer.len());
                bytes.subarray(at as u32, (at + piece) as u32).copy_to(&mut buffer[..piece]);
                at += piece;
                offset += piece as u64;
                if !each(&buffer[..piece], offset) {
                    return Ok((offset, None));
                }
            }
        }
        Ok((offset, None))
    }

    /// Analyses the capture; its analysis is posted here (`None`), anything else returned.
    async fn analyse(scope: &DedicatedWorkerGlobalScope, blob: &Blob) -> Option<FromWorker> {
        let total = blob.size().max(0.0) as u64;
        let mut analyzer = Analyzer::new();
        let mut last_post = f64::NEG_INFINITY;
        // The core's own time (feeding and finishing, not reading the file or posting), for
        // the benchmarks: set as `phonehomeCoreMs` on the worker's global scope.
        let clock = scope.performance();
        let now = || clock.as_ref().map_or(0.0, |p| p.now());
        let mut core_ms = 0.0;
        let read = read_slices(blob, |bytes, offset| {
            let start = now();
            analyzer.feed(bytes);
            core_ms += now() - start;
            let now = js_sys::Date::now();
            if now - last_post >= PROGRESS_INTERVAL_MS {
                last_post = now;
                post(scope, progress(&analyzer, offset, total));
            }
            true
        })
        .await;
        let (offset, read_failure) = match read {
            Ok(read) => read,
            Err(message) => return Some(FromWorker::Error { message }),
        };
        post(scope, progress(&analyzer, offset, total));
        let start = now();
        let finished = analyzer.finish(geo_table::table());
        core_ms += now() - start;
        // A scope that refuses a property loses nothing but the benchmark's numbers: the
        // core's time, and the worker's wasm memory (it never shrinks: its peak so far).
        let _ = js_sys::Reflect::set(scope, &"phonehomeCoreMs".into(), &core_ms.into());
        let wasm_bytes = core::arch::wasm32::memory_size(0) as f64 * 65_536.0;
        let _ = js_sys::Reflect::set(scope, &"phonehomeWasmBytes".into(), &wasm_bytes.into());
        Some(match (finished, read_failure) {
            (Ok(mut analysis), failure) => {
                if let Some(why) = failure {
                    // What was read before the failure is still a valid (partial) report.
                    analysis.capture.diagnostics.push(Diagnostic {
                        kind: DiagnosticKind::ReadError,
                        count: 1,
                        first_packet: 0,
                        message: format!("the browser stopped reading the file after {offset} of {total} bytes: {why}"),
                    });
                }
                // The page gets the analysis without its flows, as bytes; the worker keeps all.
                let flows = std::mem::take(&mut analysis.flows);
                if let Err(e) = post_analysis(scope, &mut analysis, flows.len() as u64) {
                    return Some(FromWorker::Error {
                        message: format!("the report could not be handed to the page ({e})"),
                    });
                }
                analysis.flows = flows;
                held::keep(analysis);
                return None;
            }
            (Err(fatal), None) => FromWorker::Error { message: fatal.message },
            (Err(fatal), Some(why)) => {
                FromWorker::Error { message: format!("the browser could not read the file ({why}); {}", fatal.message) }
            }
        })
    }

    fn progress(analyzer: &Analyzer, bytes_read: u64, bytes_total: u64) -> FromWorker {
        FromWorker::Progress { bytes_read, bytes_total, packets: analyzer.progress().packets }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {
    glue::run();
}

// Natively there is no browser to run in; the binary exists only so the build is uniform.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
