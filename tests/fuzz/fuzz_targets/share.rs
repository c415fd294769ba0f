//! Fuzzes the share-link decoder: the fragment is the most hostile input phonehome takes,
//! since anyone can craft a link. Raw text, and bytes behind a valid version prefix.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = phonehome::share::decode(text, phonehome::geo::embedded());
    }
    let _ = phonehome::share::decode(&phonehome::share::fragment_of_bytes(data), phonehome::geo::embedded());
});
