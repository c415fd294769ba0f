# The two commands of the README:
#   make serve   set up, build the site in release mode, serve dist/ on http://127.0.0.1:$(PORT)/
#   make test    set up, then run every check and test (formatting, lints, native tests, the
#                tables read by DuckDB, the site build, browser end-to-end tests)
# Other targets: setup, build, e2e, bench (the page's weight as a server sends it, at most
# 4 MB; the speed and memory numbers: the CLI on a busy gateway's gigabyte against tshark, with
# one thread and with one per core; the page's start-up and file-to-headline time for a home's
# 100 MB and a busy gateway's 100 MB and 1 GB, with the worker's core time and wasm memory, and
# the core alone on the busy gigabyte against the native core on the same bytes (criterion); a
# 2,000,000-attempt scan's file-to-headline time; a 50,000-destination report's and the busy
# gigabyte's first render, home-country change and browser memory; with BENCH_8GB=1 also a busy gateway's 8 GB, which
# needs 16 GB of free disk).

SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
PORT ?= 8080

.PHONY: setup build serve test e2e bench

setup:
	bash .ci/setup.sh

build: setup
	trunk build --release

serve: build
	node tests/e2e/serve.mjs dist $(PORT) /

test: setup
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --no-default-features --features synth --bin app --bin worker -- -D warnings
	if [ -f .ci/geo-sources.sh ]; then bash .ci/geo-sources.sh; fi
	cargo test --release
	.venv/bin/python tests/tables/duckdb_check.py
	trunk build --release
	node --test tests/e2e/

e2e:
	node --test tests/e2e/

bench: build
	bash tests/bench/weight.sh
	bash tests/bench/native.sh 1000 3
	node tests/e2e/bench.mjs 100
	BUSY=1 node tests/e2e/bench.mjs 100 1
	PHONEHOME_BENCH_BUSY_MB=1000 cargo bench --bench core -- busy
	CAPTURE=target/busy-1000MB-seed1.pcap node tests/e2e/bench.mjs 1000 1
	node tests/e2e/bench_countries.mjs
	CAPTURE=target/busy-1000MB-seed1.pcap node tests/e2e/bench_countries.mjs 0 5
	target/release/phonehome generate target/scan-2000000.pcap --shape scan --items 2000000
	CAPTURE=target/scan-2000000.pcap node tests/e2e/bench.mjs 1 1
	if [ -n "$$BENCH_8GB" ]; then BUSY=1 node tests/e2e/bench.mjs 8000 1; fi
