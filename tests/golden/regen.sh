#!/usr/bin/env bash
# Regenerates the golden expectations in tests/golden/<capture>/ from tshark, for every capture
# file directly in tests/captures/ (the pcapng suite below it has its own .txt expectations).
# Run from anywhere: tests/golden/regen.sh [capture ...]. Needs tshark (4.0 was used) and python3.
# Review the diff before committing: a changed tshark version may change what it decodes.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
fields=(frame.number frame.len frame.protocols ip.src ip.dst ipv6.src ipv6.dst
        tcp.srcport tcp.dstport
        dns.flags.response dns.qry.name dns.count.answers dns.resp.name dns.resp.type
        dns.a dns.aaaa dns.cname tls.handshake.type tls.handshake.extensions_server_name
        http.request http.host udp.srcport udp.dstport)
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

if [ "$#" -gt 0 ]; then captures=("$@"); else captures=("$root"/tests/captures/*); fi
for cap in "${captures[@]}"; do
    [ -f "$cap" ] || continue
    name="$(basename "$cap")"
    case "$name" in *.md) continue ;; esac
    out="$root/tests/golden/$name"
    mkdir -p "$out"
    args=()
    for f in "${fields[@]}"; do args+=(-e "$f"); done
    # -n: numeric addresses only; -2 is not used: one pass is what a streaming reader sees too.
    tshark -n -r "$cap" -T fields -E separator=/t -E occurrence=a -E aggregator='|' \
        "${args[@]}" >"$tmp/fields.tsv" 2>"$tmp/err.txt" || { cat "$tmp/err.txt" >&2; }
    tshark -n -r "$cap" -q -z conv,ip -z conv,ipv6 >"$tmp/conv.txt" 2>/dev/null || true
    python3 "$root/tests/golden/fold.py" "$tmp/fields.tsv" "$tmp/conv.txt" "$out"
    echo "$name: $(($(wc -l <"$out/conv.tsv") - 1)) pairs, $(($(wc -l <"$out/dns.tsv") - 1)) dns," \
         "$(($(wc -l <"$out/sni.tsv") - 1)) sni, $(($(wc -l <"$out/http.tsv") - 1)) http," \
         "$(($(wc -l <"$out/quic.tsv") - 1)) quic"
done
