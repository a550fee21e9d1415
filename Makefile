# Two commands matter: `make serve` runs the lab, `make test` runs every test.
# Both set up what is missing first.
.PHONY: setup wasm web serve test test-native test-wasm test-e2e bench lint

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
	cargo clippy --all-targets -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings

test-native: setup
	cargo test
	cargo test --release -- --ignored

test-wasm: setup
	wasm-pack test --headless --chrome --release --test web

test-e2e: web
	cd www && npm run e2e

test: lint test-native test-wasm test-e2e

# The training benchmark (bench/README.md): smoothlab in wasm and native
# against TF.js and ConvNetJS in one headless Chromium run. Built without
# wasm-opt: binaryen 108 (Debian 12) turns wasm-bindgen's externref table
# into a funcref table and the module no longer instantiates.
bench: setup
	wasm-pack build --target web --release --no-opt --out-dir bench/pkg --no-typescript --no-pack
	CARGO_TARGET_DIR=target/relaxed RUSTFLAGS="-C target-feature=+simd128,+relaxed-simd" \
	  wasm-pack build --target web --release --no-opt --out-dir bench/pkg-relaxed --no-typescript --no-pack
	cargo build --release --example bench_native
	cd bench && if ! cmp -s package-lock.json node_modules/.installed-lock; then \
	  npm ci --no-audit --no-fund && cp package-lock.json node_modules/.installed-lock; fi
	cd bench && node run.js
