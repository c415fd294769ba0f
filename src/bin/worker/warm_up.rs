//! Warms the worker's code up while the page waits for a file.
//!
//! The browser first runs WebAssembly with quickly compiled code, and compiles a function
//! again with its optimising compiler only once that function has run a while; on a later
//! visit it loads the optimised code from its cache. So the first capture of a first visit
//! ran at half speed: the busy 100 MB took 0.85-0.90 s from drop to report, against 0.45-0.50 s
//! on the third visit. Analysing a small generated capture of the same kind here, in pieces
//! between which requests are served, gets the analysis's functions optimised before the user
//! drops a file.
//!
//! It starts a second after the worker is ready, when the page has started too. A request
//! stops it at the next piece: it never delays one by more than a piece.

use std::cell::Cell;
use std::rc::Rc;

use crate::geo_table;
use js_sys::Promise;
use phonehome::synth::warm;
use phonehome::Analyzer;
use wasm_bindgen_futures::JsFuture;
use web_sys::WorkerGlobalScope;

/// Conversations of the generated capture (`phonehome::synth::warm`): about 2 MB.
const CONVERSATIONS: u32 = 600;
/// Analysed this many times, each time from the start (new flows, a new report).
const ROUNDS: usize = 2;
/// Fed at once between two chances for a request to be served.
const PIECE_BYTES: usize = 128 << 10;

/// Where the worker says how its warm-up went, for the benchmarks and the browser tests:
/// `{ done, ms }`, `done` false when a request stopped it, `ms` the time it ran.
const OUTCOME: &str = "phonehomeWarmUp";

/// How long after "ready" the warm-up starts: the page's own start-up (its wasm compiling,
/// its first render) must not share the processor with it. On a second visit the worker is
/// ready before the page, and warming up at once made the page usable 100-140 ms later.
const DELAY_MS: i32 = 1_000;

/// Runs the warm-up until done, or until `stop` is set (by a request).
pub async fn run(scope: WorkerGlobalScope, stop: Rc<Cell<bool>>) {
    let clock = scope.performance();
    let now = || clock.as_ref().map_or(0.0, |p| p.now());
    let mut ms = 0.0;
    let done = warm_up(&scope, &stop, now, &mut ms).await;
    let outcome = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&outcome, &"done".into(), &done.into());
    let _ = js_sys::Reflect::set(&outcome, &"ms".into(), &ms.into());
    let _ = js_sys::Reflect::set(&scope, &OUTCOME.into(), &outcome);
}

/// The warm-up's steps; whether it ran to the end. `ms` adds up the time of its steps.
async fn warm_up(scope: &WorkerGlobalScope, stop: &Cell<bool>, now: impl Fn() -> f64, ms: &mut f64) -> bool {
    if !pause_for(scope, stop, DELAY_MS).await {
        return false;
    }
    let start = now();
    let capture = warm::capture(CONVERSATIONS, 11);
    *ms += now() - start;
    for _ in 0..ROUNDS {
        let mut analyzer = Analyzer::new();
        for piece in capture.chunks(PIECE_BYTES) {
            if !pause(scope, stop).await {
                return false;
            }
            let start = now();
            analyzer.feed(piece);
            *ms += now() - start;
        }
        if !pause(scope, stop).await {
            return false;
        }
        // Finishing, and encoding the page's message, are part of every analysis too.
        let start = now();
        if let Ok(mut analysis) = analyzer.finish(geo_table::table()) {
            let _ = crate::analysis_pieces::analysis_pieces(&mut analysis, drop);
        }
        *ms += now() - start;
    }
    true
}

/// Lets the worker serve what has arrived; whether the warm-up may go on.
async fn pause(scope: &WorkerGlobalScope, stop: &Cell<bool>) -> bool {
    pause_for(scope, stop, 0).await
}

/// [`pause`] for at least `ms`.
async fn pause_for(scope: &WorkerGlobalScope, stop: &Cell<bool>, ms: i32) -> bool {
    let promise = Promise::new(&mut |resolve, _| {
        let _ = scope.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
    });
    let _ = JsFuture::from(promise).await;
    !stop.get()
}
