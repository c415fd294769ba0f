//! Golden tests: phonehome against tshark on real captures of many kinds.
//!
//! For each capture in `tests/captures/` (credits in its SOURCES.md), `tests/golden/regen.sh`
//! ran tshark once and wrote what it found into `tests/golden/<capture>/`:
//! `capture.tsv` (packets, bytes), `conv.tsv` (per IP address pair, frames and bytes each way, as
//! `tshark -q -z conv,ip` / `conv,ipv6` count them), `dns.tsv` (queried name -> answer address),
//! `sni.tsv` and `http.tsv` (TLS server names and HTTP Hosts with their TCP endpoints), and
//! `quic.tsv` (server names of QUIC ClientHellos with their UDP endpoints).
//! [`check`] feeds the capture to the [`Analyzer`] in chunks of awkward sizes and compares.

use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use phonehome::report::model::Flow;
use phonehome::Analysis;
use phonehome::{geo, Analyzer};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Rows of a golden TSV file, without its `#` header.
fn rows(dir: &Path, file: &str) -> Vec<Vec<String>> {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

fn ip<T: ToString + ?Sized>(value: &T) -> IpAddr {
    let text = value.to_string();
    text.parse().unwrap_or_else(|_| panic!("not an IP address in a golden file: {text}"))
}

/// Feeds `bytes` in chunks whose sizes cycle through primes from 1 byte to 64 KiB + 1, so record
/// and block boundaries fall everywhere in a chunk.
pub fn analyse(bytes: &[u8]) -> Analysis {
    let mut analyzer = Analyzer::new();
    feed_in_chunks(&mut analyzer, bytes, &[1, 3, 509, 7, 65_537, 4_093]);
    analyzer.finish(geo::embedded()).unwrap_or_else(|e| panic!("not read as a capture: {e}"))
}

/// Feeds `bytes` in chunks of the given sizes, in turn.
pub fn feed_in_chunks(analyzer: &mut Analyzer, bytes: &[u8], sizes: &[usize]) {
    let (mut at, mut i) = (0, 0);
    while at < bytes.len() {
        let end = (at + sizes[i % sizes.len()]).min(bytes.len());
        analyzer.feed(&bytes[at..end]);
        at = end;
        i += 1;
    }
}

/// Per ordered address pair (from, to): (packets, bytes) the flows carried that way.
fn directed_totals(flows: &[Flow]) -> BTreeMap<(IpAddr, IpAddr), (u64, u64)> {
    let mut out: BTreeMap<(IpAddr, IpAddr), (u64, u64)> = BTreeMap::new();
    for f in flows {
        let (c, s) = (ip(&f.client.ip), ip(&f.server.ip));
        for (key, counters) in [((c, s), f.c2s), ((s, c), f.s2c)] {
            if counters.packets > 0 {
                let e = out.entry(key).or_default();
                e.0 += counters.packets;
                e.1 += counters.bytes;
            }
        }
    }
    out
}

/// An HTTP Host without its port, lower case: the name part phonehome reports.
fn host_name(host: &str) -> String {
    let host = host.trim().to_ascii_lowercase();
    match host.rsplit_once(':') {
        Some((name, port)) if !name.contains(':') && port.chars().all(|c| c.is_ascii_digit()) => name.to_string(),
        _ => host.trim_start_matches('[').trim_end_matches(']').to_string(),
    }
}

type Endpoints = (IpAddr, u16, IpAddr, u16);

/// Compares the analysis of `tests/captures/<capture>` with `tests/golden/<capture>/`.
/// Collects every difference before failing, so one run shows all of them.
pub fn check(capture: &str) {
    let bytes = std::fs::read(root().join("tests/captures").join(capture)).unwrap();
    let dir = root().join("tests/golden").join(capture);
    let report = analyse(&bytes);
    let mut problems: Vec<String> = Vec::new();

    for row in rows(&dir, "capture.tsv") {
        let expected: u64 = row[1].parse().unwrap();
        let got = match row[0].as_str() {
            "packets" => report.capture.packets,
            "bytes" => report.capture.bytes,
            other => panic!("unknown capture.tsv key {other}"),
        };
        if got != expected {
            problems.push(format!("capture {}: expected {expected}, got {got}", row[0]));
        }
    }

    // Per address pair, each direction: frames and bytes as tshark's conversation tables.
    let ours = directed_totals(&report.flows);
    let mut pairs_seen = BTreeSet::new();
    for row in rows(&dir, "conv.tsv") {
        let (a, b) = (ip(&row[0]), ip(&row[1]));
        let n = |i: usize| -> u64 { row[i].parse().unwrap() };
        pairs_seen.insert((a.min(b), a.max(b)));
        // A host talking to itself (loopback) has one direction only.
        let directions = if a == b {
            vec![((a, b), (n(2) + n(4), n(3) + n(5)))]
        } else {
            vec![((a, b), (n(2), n(3))), ((b, a), (n(4), n(5)))]
        };
        for ((from, to), expected) in directions {
            let got = ours.get(&(from, to)).copied().unwrap_or_default();
            if got != expected {
                problems.push(format!(
                    "conv {from} -> {to}: tshark {} packets {} bytes, phonehome {} packets {} bytes",
                    expected.0, expected.1, got.0, got.1
                ));
            }
        }
    }
    for (from, to) in ours.keys() {
        if !pairs_seen.contains(&((*from).min(*to), (*from).max(*to))) {
            let (p, b) = ours[&(*from, *to)];
            problems.push(format!("conv {from} -> {to}: phonehome {p} packets {b} bytes, tshark none"));
        }
    }

    // Names on flows: every TLS server name and HTTP Host names the TCP flow it was sent on,
    // and every QUIC ClientHello's server name its UDP flow, and the destination it went to.
    let mut named: BTreeMap<(&str, Endpoints), Vec<(String, &str)>> = BTreeMap::new();
    for (file, proto, source) in [("sni.tsv", "tcp", "sni"), ("http.tsv", "tcp", "http"), ("quic.tsv", "udp", "sni")] {
        for row in rows(&dir, file) {
            let key = (ip(&row[0]), row[1].parse().unwrap(), ip(&row[2]), row[3].parse().unwrap());
            let name = if source == "http" { host_name(&row[4]) } else { row[4].to_ascii_lowercase() };
            named.entry((proto, key)).or_default().push((name, source));
        }
    }
    for ((proto, (client, cport, server, sport)), names) in &named {
        let on_flow = |f: &&Flow| {
            f.proto.to_string() == *proto
                && ip(&f.client.ip) == *client
                && f.client.port == Some(*cport)
                && ip(&f.server.ip) == *server
                && f.server.port == Some(*sport)
        };
        let flows: Vec<&Flow> = report.flows.iter().filter(on_flow).collect();
        if flows.is_empty() {
            let reversed = report
                .flows
                .iter()
                .any(|f| ip(&f.client.ip) == *server && f.client.port == Some(*sport) && ip(&f.server.ip) == *client);
            problems.push(format!(
                "no {proto} flow {client}:{cport} -> {server}:{sport} for {names:?}{}",
                if reversed { " (the flow exists with client and server swapped)" } else { "" }
            ));
            continue;
        }
        // The flow's server is the destination the report shows, and it carries the name: a
        // flow named right but turned round (its server taken as the device) names nothing.
        match report.destinations.iter().find(|d| ip(&d.ip) == *server) {
            Some(d) if names.iter().any(|(n, _)| d.names.iter().any(|m| m.eq_ignore_ascii_case(n))) => {}
            found => problems.push(format!(
                "destination {server}: names {:?} lack {names:?}{}",
                found.map(|d| &d.names),
                if found.is_none() { " (it is no destination)" } else { "" }
            )),
        }
        for f in flows {
            let got = (f.name.as_deref().map(str::to_ascii_lowercase), f.name_source.map(|s| s.as_str()));
            let ok = names.iter().any(|(n, s)| got.0.as_deref() == Some(n.as_str()) && got.1 == Some(*s));
            if !ok {
                problems.push(format!(
                    "flow {client}:{cport} -> {server}:{sport}: expected one of {names:?}, got {:?} from {:?}",
                    f.name, f.name_source
                ));
            }
        }
    }

    // DNS: an answer address that is a destination carries the name that was asked for.
    for row in rows(&dir, "dns.tsv") {
        let (name, address) = (row[0].to_ascii_lowercase(), ip(&row[1]));
        if let Some(d) = report.destinations.iter().find(|d| ip(&d.ip) == address) {
            if !d.names.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
                problems.push(format!("destination {address}: names {:?} lack {name} (DNS answer)", d.names));
            }
        }
    }

    assert!(problems.is_empty(), "{capture}: {} differences from tshark:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn every_golden_capture_has_expectations_and_a_test() {
    let tested: BTreeSet<&str> = TESTED.iter().copied().collect();
    for entry in std::fs::read_dir(root().join("tests/captures")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        if path.is_file() && !name.ends_with(".md") {
            assert!(
                root().join("tests/golden").join(&name).join("conv.tsv").is_file(),
                "{name}: run tests/golden/regen.sh"
            );
            assert!(tested.contains(name.as_str()), "{name} has no golden test below");
        }
    }
}

macro_rules! golden {
    ($($test:ident => $capture:literal,)*) => {
        $(#[test] fn $test() { check($capture); })*
        /// Every capture with a test. Why each capture is here: see tests/captures/SOURCES.md.
        const TESTED: &[&str] = &[$($capture),*];
    };
}

golden! {
    ethernet_dns_then_tls13_sni => "arkime__curl-enabled-tls13.pcap",
    raw_ipv4_link_type => "arkime__mqtt_synthetic.pcap",
    bsd_null_ipv6_tls_sni => "arkime__tls-alpn-h2.pcap",
    ipv6_hop_by_hop_http_host => "arkime__v6-http.pcap",
    ipv4_fragments_each_counted => "pcapplusplus__ip4_fragments.pcap",
    pcapng_interfaces_of_three_link_types => "pcapplusplus__many_interfaces-1.pcapng",
    big_endian_nanosecond_pcap => "pcapplusplus__nanosecs_big_endian.pcap",
    pcapng_ethernet_and_sll_cut_frames => "pcapplusplus__pcapng-example.pcapng",
    raw_ip_v4_and_v6 => "pcapplusplus__raw_ip.pcap",
    linux_cooked_sll => "pcapplusplus__sll.pcap",
    ethernet_lan_with_mdns_and_arp => "suricata-verify__ethernet-eve-test.pcap",
    home_browsing_dns_cname_sni_http => "suricata-verify__tls-tls-subjectaltname-input.pcap",
    mdns_over_ipv4_and_ipv6 => "zeek__dns-mdns.pcap",
    http_connect_then_tls_on_one_flow => "zeek__http-connect-with-header.pcap",
    stacked_vlan_tags => "zeek__q-in-q.pcap",
    linux_cooked_sll2_tls_sni => "zeek__tls-openjdk-25.0.2-zeek.org.pcap",
    vlan_in_pcapng => "zeek__vlan-pcp-dei.pcapng",
    browsing_with_cname_chains => "zeek__wikipedia.pcap",
    quic_v1_shuffled_crypto_frames => "zeek__quic-chromium-115.0.5790.110-api-cirrus-com.pcap",
    quic_v2 => "zeek__quic-quicv2-echo-443.pcap",
    quic_hello_over_two_initials_out_of_order => "suricata-verify__quic-frag-unordered-input.pcap",
    quic_zero_rtt_before_the_initial => "zeek__quic-quic-decrypt-fail-google-de-51833.pcap",
    quic_retry_then_new_keys_over_ppp => "zeek__ppp-quic-interop-retry.pcap",
    quic_hello_in_many_small_frames => "zeek__quic-quic-multiple-initial-fragmented-crypto.pcap",
    dns_over_tcp => "tcpdump__dns_tcp.pcap",
    dns_over_tcp_and_udp_with_glue => "zeek__dns-edns-ecs.pcap",
}

/// DNS over TCP: the server's byte stream is read message by message, and every address in a
/// message names a destination, glue included. tshark lists the same records
/// (`tshark -r tests/captures/<capture> -V -Y dns`); before this was read, none of these
/// destinations had a name.
#[test]
fn dns_answers_over_tcp_name_destinations() {
    for (capture, address, name) in [
        // The nameserver asked over TCP is named by the glue of its own answer.
        ("tcpdump__dns_tcp.pcap", "209.87.249.18", "nic.sandelman.ca"),
        ("zeek__dns-edns-ecs.pcap", "2001:503:83eb::30", "c.gtld-servers.net"),
        ("zeek__dns-edns-ecs.pcap", "2001:500:d937::30", "l.gtld-servers.net"),
        ("zeek__dns-edns-ecs.pcap", "192.54.112.30", "h.gtld-servers.net"),
        // Asked over UDP, named by an answer that came over TCP.
        ("zeek__dns-edns-ecs.pcap", "205.251.192.81", "ns-81.awsdns-10.com"),
    ] {
        let bytes = std::fs::read(root().join("tests/captures").join(capture)).expect("a test capture");
        let report = analyse(&bytes);
        let destination = report.destinations.iter().find(|d| ip(&d.ip) == ip(address));
        let names = destination.map(|d| d.names.clone()).unwrap_or_default();
        assert_eq!(names.first().map(String::as_str), Some(name), "{capture}: {address} is named {names:?}");
    }
}
