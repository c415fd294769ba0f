#!/usr/bin/env bash
# Sets up everything the build and the tests need, on Debian/Ubuntu. Idempotent: each step
# says what it does and skips what is already present in the right version. Downloads only
# from package registries (Debian apt, crates.io, npm). Never prompts.
#
#   .ci/setup.sh               everything (build tools, browser and tshark for the tests)
#   .ci/setup.sh --build-only  only what building the site needs (e.g. for publishing)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_ONLY=false
[ "${1:-}" = "--build-only" ] && BUILD_ONLY=true

TRUNK_VERSION=0.21.14
# DuckDB reads the tables in their check (tests/tables/duckdb_check.py), from PyPI into a
# virtual environment: Debian refuses system-wide pip installs.
DUCKDB_VERSION=2.0.1
VENV=.venv
APT_PACKAGES=(chromium chromium-driver tshark fonts-noto-color-emoji python3-venv)
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

step() { printf '\n== setup: %s\n' "$*"; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi
}

step "apt packages: ${APT_PACKAGES[*]}"
missing=()
for package in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ "$BUILD_ONLY" = true ]; then
    echo "--build-only: skipping (needed by the tests only)"
elif [ ${#missing[@]} -eq 0 ]; then
    echo "all present, skipping"
else
    echo "installing: ${missing[*]}"
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

step "node and npm (Node 20 or newer for node --test)"
if command -v node >/dev/null && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 20 ]; then
    echo "node $(node --version) present, skipping"
else
    echo "Node.js 20 or newer is required (found: $(node --version 2>/dev/null || echo none))." >&2
    echo "Install it from your distribution or nodejs.org, then run this again." >&2
    exit 1
fi

step "rust target wasm32-unknown-unknown"
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    echo "present, skipping"
else
    rustup target add wasm32-unknown-unknown
fi

step "trunk $TRUNK_VERSION"
if [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ]; then
    echo "present, skipping"
else
    # Thin LTO off and more codegen units halve the build time of the tool itself.
    CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
        cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# The CLI must equal the wasm-bindgen crate in Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
step "wasm-bindgen-cli $WASM_BINDGEN_VERSION (the version in Cargo.lock)"
if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
    echo "present, skipping"
else
    # Without --locked: its own lock file pins a crate version some registry mirrors lack.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

step "npm packages (playwright-core, axe-core, binaryen's wasm-opt) from package-lock.json"
if [ -f node_modules/.package-lock.json ] && [ node_modules/.package-lock.json -nt package-lock.json ] \
    && [ -x node_modules/.bin/wasm-opt ]; then
    echo "node_modules up to date, skipping"
else
    npm ci --no-audit --no-fund
fi

step "python virtual environment $VENV with duckdb $DUCKDB_VERSION (the tables' check)"
if [ "$BUILD_ONLY" = true ]; then
    echo "--build-only: skipping (needed by the tests only)"
elif [ "$("$VENV/bin/python" -c 'import duckdb; print(duckdb.__version__)' 2>/dev/null)" = "$DUCKDB_VERSION" ]; then
    echo "present, skipping"
else
    echo "creating $VENV (python3 -m venv) and installing duckdb==$DUCKDB_VERSION from PyPI"
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "duckdb==$DUCKDB_VERSION"
fi

step "done"
echo "trunk: $(trunk --version); $(wasm-bindgen --version); wasm-opt: $(wasm-opt --version)"
[ "$BUILD_ONLY" = true ] || echo "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo missing)"
[ "$BUILD_ONLY" = true ] || echo "duckdb (python, $VENV): $("$VENV/bin/python" -c 'import duckdb; print(duckdb.__version__)')"
