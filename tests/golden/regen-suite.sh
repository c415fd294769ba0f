#!/usr/bin/env bash
# Regenerates tests/captures/pcapng-suite/timestamps.tsv: tshark's timestamp of every record
# of every file of the pcapng conformance suite. Needs tshark.
set -euo pipefail
cd "$(dirname "$0")/../captures/pcapng-suite"
{
  printf '# file\ttshark frame.time_epoch per record (empty: no timestamp, or not a packet); regenerate with tests/golden/regen-suite.sh\n'
  for f in $(find . -name '*.pcapng' | sort); do
    printf '%s\t%s\n' "${f#./}" "$(tshark -r "$f" -T fields -e frame.time_epoch 2>/dev/null | tr '\n' ',')"
  done
} > timestamps.tsv
