#!/usr/bin/env bash
# Regenerates src/bin/app/data/world.txt, the world map's shapes, from two npm packages pinned
# by version and SHA-256: world-atlas (Natural Earth's countries as TopoJSON; the data public
# domain, the package ISC) and i18n-iso-countries (ISO 3166 numeric to alpha-2 codes; MIT).
# world.mjs does the work; the same packages give the same bytes.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fetch() { # name version sha256
    echo "world.sh: downloading $1@$2 from the npm registry" >&2
    (cd "$work" && npm pack --silent "$1@$2" > /dev/null)
    local tarball="$work/${1//\//-}-$2.tgz"
    echo "$3  $tarball" | sha256sum --check --quiet
    mkdir -p "$work/$1" && tar xzf "$tarball" -C "$work/$1"
}
fetch world-atlas 2.0.2 032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97
fetch i18n-iso-countries 7.14.0 bb418ebfb965789fcfbcce7dee59888d901ef64b03601da78b2e224cd6f5825c
node world.mjs "$work/world-atlas/package" "$work/i18n-iso-countries/package/codes.json" > world.txt
echo "world.sh: wrote $(grep -c '^[A-Z]' world.txt) countries, $(wc -c < world.txt) bytes ($(gzip -9 -c world.txt | wc -c) gzipped) to src/bin/app/data/world.txt"
