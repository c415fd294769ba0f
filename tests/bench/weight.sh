#!/usr/bin/env bash
# The page's weight: what a browser downloads to start the site, as a server would send it.
#
#   tests/bench/weight.sh [DIST] [LIMIT_BYTES]   (defaults: dist, 4000000, the budget; after `trunk build --release`)
#
# Every file of DIST counts at its `gzip -9` size (what a server that compresses sends), except
# files the site ships already compressed (.zst: the IP table, which the worker decodes
# itself), which count as they are, since gzip would not shrink them and hosts that compress
# nothing send them as they are too. demo.pcap is left out: the page fetches it only when the
# user asks for the demo (src/bin/app/components/app.rs), never at start. Sizes are in bytes
# and in MB of 10^6 bytes. Exits 1 if the total is over LIMIT_BYTES, so a change that makes
# the page heavier than planned is noticed.
set -euo pipefail
cd "$(dirname "$0")/../.."

dist=${1:-dist}
limit=${2:-4000000}
[ -d "$dist" ] || { echo "weight: no $dist; run trunk build --release first" >&2; exit 2; }

mb() { awk -v n="$1" 'BEGIN { printf "%.3f MB", n / 1e6 }'; }

total=0
printf '%-36s %12s %12s  %s\n' file raw sent how
while IFS= read -r file; do
    name=${file#"$dist"/}
    [ "$name" = demo.pcap ] && continue
    raw=$(stat -c %s "$file")
    case "$name" in
        *.zst | *.gz | *.br) sent=$raw how="as is (compressed by the site)" ;;
        *) sent=$(gzip -9 -c "$file" | wc -c) how="gzip -9" ;;
    esac
    total=$((total + sent))
    printf '%-36s %12d %12d  %s\n' "$name" "$raw" "$sent" "$how"
done < <(find "$dist" -type f ! -name '.*' | LC_ALL=C sort)
printf '%-36s %12s %12d  %s\n' "page weight" "" "$total" "$(mb "$total") (limit $(mb "$limit"); demo.pcap left out)"
if [ "$total" -gt "$limit" ]; then
    echo "weight: the page weighs more than $(mb "$limit")" >&2
    exit 1
fi
