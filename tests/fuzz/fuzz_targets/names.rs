//! Fuzzes the name parsers (DNS/mDNS, TLS ClientHello, HTTP request head, DHCP) directly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phonehome::names::{dhcp, dns, http, tls};

fuzz_target!(|data: &[u8]| {
    let _ = dns::answers(data);
    let _ = tls::client_hello_sni(data);
    let _ = http::request_host(data);
    let _ = dhcp::lease(data);
});
