#!/usr/bin/env bash
# Installs what the build and the tests need, only what is missing, so that a
# second run takes seconds. The wasm-bindgen CLI must match the wasm-bindgen
# crate locked in Cargo.lock exactly.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1msetup:\033[0m %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32 target"
  rustup target add wasm32-unknown-unknown
fi

if ! command -v wasm-pack >/dev/null; then
  say "installing wasm-pack (about 5 minutes)"
  cargo install wasm-pack
fi

want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (about 6 minutes)"
  cargo install wasm-bindgen-cli --version "$want" --force
fi

# Firefox: Debian's ESR (Playwright's own Firefox cannot be downloaded here)
# and geckodriver, built from crates.io at a pinned version, drive the Firefox
# runs of the wasm tests and of the page.
geckodriver_want=0.37.1
geckodriver_have=$(geckodriver --version 2>/dev/null | awk 'NR == 1 {print $2}' || true)
if [ "$geckodriver_have" != "$geckodriver_want" ]; then
  say "installing geckodriver $geckodriver_want (about 3 minutes)"
  cargo install geckodriver --version "$geckodriver_want" --force
fi

missing=()
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v firefox-esr >/dev/null || missing+=(firefox-esr)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq "${missing[@]}"
fi

if [ -f www/package-lock.json ]; then
  stamp=www/node_modules/.installed-lock
  if [ ! -f "$stamp" ] || ! cmp -s www/package-lock.json "$stamp"; then
    say "installing the page's npm packages"
    (cd www && npm ci --no-audit --no-fund)
    cp www/package-lock.json "$stamp"
  fi
fi
say "ready"
