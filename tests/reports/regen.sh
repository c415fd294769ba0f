#!/usr/bin/env bash
# Writes the expected JSON reports of `tests/it/reports.rs`: the CLI's `--format json` of the
# synthetic home network (www/demo.pcap) and of real captures from tests/captures/. Run it
# only when a value changes on purpose (a new geo table, a new field), and say so in the
# commit: the test exists to catch every other change.
set -euo pipefail
cd "$(dirname "$0")/../.."
cargo build --release --bin phonehome
# (older/ keeps reports written by earlier versions, which the typed model must still read, and the
# demo capture they were made from: not rewritten.)
bin=target/release/phonehome
out=tests/reports
$bin analyze www/demo.pcap > $out/demo.json
$bin analyze www/demo.pcap --home US --watch CN > $out/demo.home-US.watch-CN.json
for capture in suricata-verify__ethernet-eve-test.pcap zeek__wikipedia.pcap arkime__v6-http.pcap \
    zeek__dns-mdns.pcap zeek__quic-chromium-115.0.5790.110-api-cirrus-com.pcap \
    pcapplusplus__many_interfaces-1.pcapng; do
    $bin analyze tests/captures/$capture --home DE --watch US,CN > "$out/$capture.home-DE.watch-CN-US.json"
done
echo "wrote $(ls $out/*.json | wc -l) reports to $out"
