//! Fuzzes the whole stream path: capture reader, decompression, decoding, flows, names and
//! report building. The first byte picks the chunk size, so chunk boundaries are fuzzed too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phonehome::country::CountryCode;
use phonehome::report::verdict::{judge, Viewpoint};
use phonehome::report::{json, Report};
use phonehome::{geo, Analyzer};

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else { return };
    let chunk = (first as usize % 64) + 1;
    let mut analyzer = Analyzer::new();
    for piece in rest.chunks(chunk) {
        analyzer.feed(piece);
    }
    if let Ok(analysis) = analyzer.finish(geo::embedded()) {
        let viewpoint = Viewpoint { home: CountryCode::new("US"), watch: CountryCode::new("CN").into_iter().collect() };
        let verdicts = judge(&analysis, viewpoint);
        let _ = json::to_json(Report::new(&analysis, &verdicts));
    }
});
