#!/usr/bin/env bash
# Native speed of the CLI on a busy gateway's capture, and its ratio to tshark on the same file.
#
#   tests/bench/native.sh [SIZE_MB] [RUNS]        (defaults: 1000 MB, 5 runs; SEED=1)
#
# Builds `phonehome` (release), generates the busy capture (`phonehome generate --busy`) into
# the cargo target directory (never committed; same seed and size, same bytes), reads it once
# so every run finds it in the page cache, then runs `phonehome analyze FILE --format csv`
# RUNS times with one thread and RUNS times with one per core: the best wall time gives MB/s
# (10^6 bytes of file per second), /usr/bin/time the peak RSS. Then `tshark -q -z conv,ip -r FILE` once (the per-address-pair totals the analysis
# must equal), and the ratio of the two times. The load average is printed before and after:
# other work on the machine slows both.
set -euo pipefail
cd "$(dirname "$0")/../.."

size_mb=${1:-1000}
runs=${2:-5}
seed=${SEED:-1}
target=${CARGO_TARGET_DIR:-target}
bin="$target/release/phonehome"
file="$target/busy-${size_mb}MB-seed${seed}.pcap"
timing="$target/bench-native-time.txt"

cargo build --release --quiet --bin phonehome
echo "== generating $file"
"$bin" generate "$file" --busy --size "$size_mb" --seed "$seed"
bytes=$(stat -c %s "$file")
cat "$file" > /dev/null

now() { echo "$EPOCHREALTIME"; }
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores)"
# measure JOBS: RUNS runs of the analysis with that many threads; sets best (seconds).
measure() {
    local jobs=$1 peak_kb=0 all="" secs kb start end
    best=""
    for run in $(seq "$runs"); do
        start=$(now)
        /usr/bin/time -f '%M' -o "$timing" "$bin" analyze "$file" --format csv --jobs "$jobs" > /dev/null
        end=$(now)
        secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
        kb=$(tail -n 1 "$timing")
        all="$all $secs"
        if [ -z "$best" ] || awk -v s="$secs" -v b="$best" 'BEGIN { exit !(s < b) }'; then best=$secs; fi
        if [ "$kb" -gt "$peak_kb" ]; then peak_kb=$kb; fi
    done
    local mbps
    mbps=$(awk -v n="$bytes" -v s="$best" 'BEGIN { printf "%.0f", n / s / 1e6 }')
    echo "phonehome analyze --format csv --jobs $jobs: best ${best} s of ${runs} runs (${all# }) = ${mbps} MB/s on ${bytes} bytes; peak RSS $((peak_kb / 1024)) MB"
}
measure 1
best_one=$best
cores=$(nproc)
best_all=$best_one
if [ "$cores" -gt 1 ]; then
    measure "$cores"
    best_all=$best
fi

tshark=${TSHARK:-$(command -v tshark || true)}
if [ -z "$tshark" ]; then
    echo "tshark not found: install it (apt-get install -y tshark) for the ratio"
    exit 0
fi
start=$(now)
/usr/bin/time -f '%M' -o "$timing" "$tshark" -q -z conv,ip -r "$file" 2> >(grep -v 'could be dangerous' >&2) > /dev/null
end=$(now)
tshark_secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
tshark_kb=$(tail -n 1 "$timing")
echo "tshark -q -z conv,ip: ${tshark_secs} s, peak RSS $((tshark_kb / 1024)) MB"
for pair in "1:$best_one" "$cores:$best_all"; do
    ratio=$(awk -v t="$tshark_secs" -v b="${pair#*:}" 'BEGIN { printf "%.1f", t / b }')
    echo "ratio: phonehome with ${pair%%:*} thread(s) is ${ratio} times as fast as tshark"
done
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
