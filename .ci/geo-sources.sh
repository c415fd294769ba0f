#!/bin/sh
# Fetches the pinned source data of the embedded IP -> ASN / organisation / country table
# and MAC (OUI) -> vendor names (src/geo/table.bin) into a cache folder, unpacked, so that
# `examples/geo_table` can regenerate the table and `tests/it/geo.rs` can check it against
# the CSVs and the OUI listing.
# Idempotent: a package already unpacked in the cache is left alone.
# Usage: .ci/geo-sources.sh [CACHE_DIR]   (default: target-geo-src/ at the repository root)
set -eu

# Pinned: bump both together, then regenerate the table (see README, "Data").
ASN_PACKAGE="@ip-location-db/asn@2.3.2026061719"
COUNTRY_PACKAGE="@ip-location-db/geo-whois-asn-country@2.3.2026061719"
# MAC address block (OUI) -> vendor, from the IEEE Registration Authority's public listing
# (BSD-2-Clause). Bump it on its own, then regenerate the table.
OUI_PACKAGE="oui-data@2.1.9"

root=$(cd "$(dirname "$0")/.." && pwd)
cache=${1:-"$root/target-geo-src"}
mkdir -p "$cache"

fetch() {
    spec=$1
    # "@scope/name@version" -> folder "name-version", the way `npm pack` names its tarball.
    name=${spec#@*/}
    name=${name%@*}
    version=${spec##*@}
    dir="$cache/$name-$version"
    if [ -f "$dir/package/package.json" ]; then
        echo "geo-sources: $spec already in $dir, skipping"
        return
    fi
    echo "geo-sources: fetching $spec into $dir"
    tmp="$cache/.tmp-$name-$version"
    rm -rf "$tmp"
    mkdir -p "$tmp"
    (cd "$tmp" && npm pack --silent "$spec" >/dev/null)
    tar -xzf "$tmp"/*.tgz -C "$tmp"
    rm -f "$tmp"/*.tgz
    rm -rf "$dir"
    # Rename last, so an interrupted run never leaves a half-unpacked folder that looks complete.
    mv "$tmp" "$dir"
    echo "geo-sources: unpacked $spec"
}

fetch "$ASN_PACKAGE"
fetch "$COUNTRY_PACKAGE"
fetch "$OUI_PACKAGE"
