//! Inputs that once broke the analyzer, each named after the bug it pins.

use phonehome::{geo, Analyzer};

fn analyse(file: &str) -> Result<phonehome::Analysis, phonehome::FatalError> {
    let bytes = std::fs::read(format!("tests/captures/regressions/{file}")).unwrap();
    let mut analyzer = Analyzer::new();
    for chunk in bytes.chunks(1000) {
        analyzer.feed(chunk);
    }
    analyzer.finish(geo::embedded())
}

/// A cut IPv6 extension-header chain made etherparse's extension iterator read past the end
/// of the packet (caught by the debug-build precondition check and by AddressSanitizer).
#[test]
fn ipv6_cut_extension_chain_is_not_read_past_its_end() {
    for file in [
        "tcpdump__ipv6-next-header-oobr-1.pcap",
        "tcpdump__ipv6-next-header-oobr-2.pcap",
        "tcpdump__ipv6hdr-heapoverflow.pcap",
    ] {
        let report = analyse(file).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(report.capture.packets > 0, "{file}");
    }
    let _ = fuzz_input("fuzz-ipv6-cut-extension-chain.bin");
}

/// Replays a `reader` fuzz-target input: the first byte picks the chunk size, as there.
fn fuzz_input(file: &str) -> Result<phonehome::Analysis, phonehome::FatalError> {
    let bytes = std::fs::read(format!("tests/captures/regressions/{file}")).unwrap();
    let (first, rest) = bytes.split_first().unwrap();
    let mut analyzer = Analyzer::new();
    for chunk in rest.chunks(*first as usize % 64 + 1) {
        analyzer.feed(chunk);
    }
    analyzer.finish(geo::embedded())
}

/// ruzstd reported reading a 4-byte frame checksum that the input did not hold, and the
/// reader stepped past the end of its buffer.
#[test]
fn zstd_claimed_checksum_past_the_input_is_a_truncation() {
    // Not a capture once decompressed (nothing decodes), so it is rejected, without a panic.
    assert!(fuzz_input("fuzz-zstd-claimed-checksum.bin").is_err());
}

/// A POP3 session on loopback (both ends one address) counted every packet client to server,
/// so the server's greeting was read as the client's first bytes; and its STARTTLS upgrade
/// (`STLS`, then a ClientHello without a server name) left it marked as unencrypted.
#[test]
fn a_loopback_session_splits_by_port_and_starttls_is_no_plaintext() {
    let report = analyse("zeek__tls-pop3-starttls.pcap").unwrap();
    let flow = &report.flows[0];
    // As tshark's conversation table has it.
    assert_eq!((flow.server.port, flow.c2s.packets, flow.s2c.packets), (Some(110), 16, 17));
    assert_eq!((flow.c2s.bytes, flow.s2c.bytes), (1759, 3530));
    let concerns = &report.destinations[0].concerns;
    assert!(!concerns.contains(&phonehome::report::model::Concern::Plaintext), "{concerns:?}");
}
