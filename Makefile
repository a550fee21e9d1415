# Two commands matter: `make serve` runs the lab, `make test` runs every test.
# Both set up what is missing first.
.PHONY: setup wasm web serve test test-native test-wasm test-e2e bench bench-wasm bench-cores bench-pair bench-views bench-deps lint fuzz

PORT ?= 8080

setup:
	@scripts/setup.sh

wasm: setup
	wasm-pack build --target web --release --out-dir www/pkg --no-typescript --no-pack

web: wasm
	cd www && npm run build

serve: web
	@echo "smoothlab: open http://localhost:$(PORT)"
	cd www && npm run serve -- --port $(PORT) --strictPort

lint: setup
	cargo fmt --check
	cargo clippy --all-targets --features bench -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown --features bench -- -D warnings

test-native: setup
	cargo test
	cargo test --release -- --ignored

test-wasm: setup
	wasm-pack test --headless --chrome --release --test web
	wasm-pack test --headless --firefox --release --test web

test-e2e: web
	cd www && npm run e2e
	cd www && npm run e2e:firefox

test: lint test-native test-wasm test-e2e

# The training benchmark (bench/README.md): smoothlab in wasm and native
# against TF.js and ConvNetJS in one headless Chromium run, then the lab's
# own page (www/dist) while it trains. Built without wasm-opt: binaryen 108
# (Debian 12) turns wasm-bindgen's externref table into a funcref table and
# the module no longer instantiates. bench/pkg is the lab's build plus the
# `bench` feature (the harness API), which the lab's own build leaves out.
#
# The relaxed-SIMD build adds +relaxed-simd to matrixmultiply alone (its
# sgemm kernel is the only code that uses it) and shares target/ and the
# image, zip and other crates with the lab's build. Per-package rustflags
# are unstable in cargo: RUSTC_BOOTSTRAP lets the stable toolchain take them
# for this benchmark-only build. proc-macro2 and thiserror watch that
# variable, so they and their dependents are rebuilt once on each switch:
# still far less than a second copy of every crate. It is built before the
# lab's build, and only when a source changed, so that the lab's build stays
# fresh between runs.
RELAXED_WASM := bench/pkg-relaxed/smoothlab_bg.wasm
$(RELAXED_WASM): Cargo.toml Cargo.lock .cargo/config.toml $(shell find src -name '*.rs') | setup
	RUSTC_BOOTSTRAP=1 wasm-pack build . --target web --release --no-opt --out-dir bench/pkg-relaxed \
	  --no-typescript --no-pack -- --features bench -Z profile-rustflags \
	  --config 'profile.release.package.matrixmultiply.rustflags = ["-Ctarget-feature=+relaxed-simd"]'

# The native contender builds in a target dir of its own, at the same time
# as the wasm builds: each build ends in a long link on a single core (LTO,
# one codegen unit), which leaves the other core to the other build.
# When make started, so that results.md can give the whole time, builds too.
bench-wasm: setup
	wasm-pack build --target web --release --out-dir bench/pkg --no-typescript --no-pack -- --features bench

bench: BENCH_MAKE_STARTED := $(shell date +%s)
bench: setup
	CARGO_TARGET_DIR=target/native cargo build --release --no-default-features --features bench --example bench_native & \
	  native=$$!; $(MAKE) --no-print-directory $(RELAXED_WASM) web bench-wasm; wasm=$$?; \
	  wait $$native && [ $$wasm = 0 ]
	@$(MAKE) --no-print-directory bench-deps
	cd bench && BENCH_MAKE_STARTED=$(BENCH_MAKE_STARTED) node run.js
	cd bench && node cores.js
	cd bench && node pair.js
	@$(MAKE) --no-print-directory bench-views

# What the reliability diagrams and the data map cost the training they
# watch, native, side by side in one run (examples/bench_views.rs): writes
# bench/views-results.md.
bench-views:
	CARGO_TARGET_DIR=target/native cargo build --release --example bench_views
	{ echo '# What the measuring views cost training'; echo; \
	  echo 'Written by `make bench-views` (also run by `make bench`): `cargo run --release --example bench_views -- 30`.'; echo; \
	  echo "- Date: $$(date -u +%Y-%m-%dT%H:%MZ); machine: $$(nproc) cores, load average $$(cut -d' ' -f1-3 /proc/loadavg)"; \
	  echo '- Method: the pair trains epoch after epoch as the session worker does (`Lab::step`); after each epoch the views'"'"' own work is timed on the same state: the data map'"'"'s running statistics for both models (also done inside `Lab::step`), the map handed to the page, the reliability tables as JSON, and the reliability bins filled for every held-out image. Medians over 30 epochs; the target is under 10% of an epoch.'; echo; \
	  target/native/release/examples/bench_views 30; } > bench/views-results.md
	@cat bench/views-results.md

bench-deps:
	cd bench && if ! cmp -s package-lock.json node_modules/.installed-lock; then \
	  npm ci --no-audit --no-fund && cp package-lock.json node_modules/.installed-lock; fi

# The lab's page on one core against every core (bench/cores.js): writes
# bench/cores-results.md. Part of `make bench`; alone it takes about 3 minutes.
bench-cores: web bench-deps
	cd bench && node cores.js

# The pair's training on one core against two (bench/pair.js): the digits,
# the cat/dog photos' features and pixels, 10,000 random 32×32×3 images;
# writes bench/pair-results.md and pair-results.json.
bench-pair: web bench-deps
	cd bench && node pair.js

# Fuzzes image ingestion and project import (fuzz/, its own workspace) for
# FUZZ_SECONDS each, with address sanitizer and debug assertions. cargo-fuzz
# passes nightly flags; RUSTC_BOOTSTRAP lets the stable compiler take them.
# New inputs go to fuzz/target/corpus/ (not committed); crashes to
# fuzz/artifacts/. The committed seeds in fuzz/corpus/ also run in `cargo test`.
FUZZ_SECONDS ?= 60
fuzz:
	@command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
	for t in ingest project; do \
	  mkdir -p fuzz/target/corpus/$$t && \
	  RUSTC_BOOTSTRAP=1 cargo fuzz run --fuzz-dir fuzz -a $$t fuzz/target/corpus/$$t fuzz/corpus/$$t \
	    -- -max_total_time=$(FUZZ_SECONDS) -timeout=30 -print_final_stats=1 || exit 1; \
	done
