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

bench: setup
	cargo run --release -- bench
