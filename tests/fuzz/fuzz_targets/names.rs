//! Fuzzes the name parsers (DNS/mDNS over UDP and TCP, TLS ClientHello over TCP and in QUIC
//! Initial packets, HTTP request head, DHCP; devices' own names in mDNS, SSDP and NetBIOS)
//! directly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use phonehome::names::quic::InitialProbe;
use phonehome::names::{dhcp, dns, http, netbios, tls};

fuzz_target!(|data: &[u8]| {
    let _ = dns::answers(data);
    let _ = tls::client_hello_sni(data);
    let _ = http::request_host(data);
    let _ = dhcp::lease(data);
    let _ = dns::mdns::sender_names(data);
    let _ = http::ssdp_names(data);
    let _ = netbios::claim(data);
    let _ = tls::handshake_sni(data);
    // The same bytes as one datagram, then as two: a probe keeps state between datagrams.
    let mut probe = InitialProbe::default();
    let _ = probe.datagram(data);
    let (first, second) = data.split_at(data.len() / 2);
    let mut probe = InitialProbe::default();
    let _ = probe.datagram(first);
    let _ = probe.datagram(second);
    // The same bytes as a DNS-over-TCP stream in two segments, in order, then the second
    // again (a retransmission) and out of place (a gap).
    let mut stream = dns::TcpAnswers::default();
    let _ = stream.segment(7, true, &[]);
    let _ = stream.segment(8, false, first);
    let _ = stream.segment(8 + first.len() as u32, false, second);
    let _ = stream.segment(8 + first.len() as u32, false, second);
    let _ = stream.segment(u32::MAX, false, data);
});
