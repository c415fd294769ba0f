//! The analysis core's time alone, for the benchmarks (`tests/e2e/bench.mjs`): a capture
//! already in wasm memory, analysed as the page's analysis does it, with nothing read, copied
//! or posted meanwhile, as the native benchmark (`benches/core.rs`) times it. The benchmark
//! calls it in this worker as `wasm_bindgen.time_core(bytes)`; the page never does.

use phonehome::Analyzer;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Pieces as the native benchmark feeds them.
const PIECE: usize = 4 << 20;

/// Analyses `capture` (fed in 4 MiB pieces, then the report with the IP table in use) and
/// returns the milliseconds it took; NaN when it is not a capture the analysis reads.
#[wasm_bindgen]
pub fn time_core(capture: &[u8]) -> f64 {
    let clock = js_sys::global().unchecked_into::<web_sys::WorkerGlobalScope>().performance();
    let now = || clock.as_ref().map_or(f64::NAN, |p| p.now());
    let start = now();
    let mut analyzer = Analyzer::new();
    for piece in capture.chunks(PIECE) {
        analyzer.feed(piece);
    }
    match analyzer.finish(crate::geo_table::table()) {
        Ok(_) => now() - start,
        Err(_) => f64::NAN,
    }
}
