//! Fuzzes the whole stream path: capture reader, decompression, decoding, flows, names and
//! report building. The first byte picks the chunk size, so chunk boundaries are fuzzed too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phonehome::{Analyzer, Settings};

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let chunk = (first as usize % 64) + 1;
    let mut analyzer = Analyzer::new(Settings { home: Some("US".into()), watch: vec!["CN".into()] });
    for piece in rest.chunks(chunk) {
        analyzer.feed(piece);
    }
    if let Ok(report) = analyzer.finish() {
        let _ = serde_json::to_string(&report);
    }
});
