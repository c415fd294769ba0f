#!/usr/bin/env bash
# Regenerates src/party/data/public_suffix_list.dat: the Public Suffix List (Mozilla
# Public License 2.0, https://publicsuffix.org/), pinned to the copy the PyPI package
# `publicsuffixlist` ships (a package registry, checked by its SHA-256). Comment lines are
# dropped except the licence header and the section markers, which tell ICANN suffixes from
# private ones (the `publicsuffix` crate reads them).
set -euo pipefail
cd "$(dirname "$0")"
version=1.1.2.20261023
sha256=c792aa3fd37076c15f1c9d9897e59e9d58e8bacdf4315eb9cc10141a26d8995c
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "public_suffix_list.sh: downloading publicsuffixlist $version from PyPI"
python3 -m pip download --quiet --no-deps "publicsuffixlist==$version" -d "$work"
wheel="$work/publicsuffixlist-$version-py3-none-any.whl"
echo "$sha256  $wheel" | sha256sum --check --quiet
python3 - "$wheel" <<'PY' > public_suffix_list.dat
import sys, zipfile
text = zipfile.ZipFile(sys.argv[1]).read("publicsuffixlist/public_suffix_list.dat").decode()
lines = text.splitlines()
header = lines[:lines.index("// ===BEGIN ICANN DOMAINS===")]
keep = [l for l in header if l.startswith("// This Source") or l.startswith("// License") or l.startswith("// file,") or l.startswith("// VERSION") or l.startswith("// COMMIT")]
for l in lines[len(header):]:
    l = l.strip()
    if l and (not l.startswith("//") or "===" in l):
        keep.append(l)
print("\n".join(keep))
PY
echo "public_suffix_list.sh: wrote $(wc -l < public_suffix_list.dat) lines to src/party/data/public_suffix_list.dat"
