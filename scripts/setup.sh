#!/usr/bin/env bash
# Installs what Nexa Chat needs, skipping whatever is already there.
#   scripts/setup.sh          build tools (wasm target, cargo-leptos, wasm-bindgen, wasm-opt)
#   scripts/setup.sh --test   the same, plus Chromium and the Playwright packages
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh

CARGO_LEPTOS_VERSION=0.3.11
# Older binaryen turns wasm-bindgen's externref table into a funcref table:
# the release page then fails at start ("WebAssembly.Table.set(): Argument 1
# is invalid for table") and never becomes interactive.
BINARYEN_MIN=116
step() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
  echo "setup: need root to run: $*" >&2; return 1; fi; }
# The build tools only run the build: they need no link-time optimisation.
# cargo-leptos' own release profile (fat LTO, one codegen unit) took 26 min
# on 2 cores; cargo's profile variables override it for these installs.
light_install() {
  CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
    CARGO_PROFILE_RELEASE_OPT_LEVEL=1 cargo "$@"
}
apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^$component"; then
    step "adding $component"; rustup component add "$component"
  fi
done

if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  step "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 10 minutes on 2 cores, once)"
  # Its locked dependencies need a newer compiler than stable: build it with nightly.
  if ! rustup toolchain list | grep -q '^nightly'; then
    rustup toolchain install nightly --profile minimal
  fi
  light_install +nightly install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
fi

# cargo-leptos cannot download wasm-bindgen offline: it must match Cargo.lock exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
if [ -z "$WASM_BINDGEN_VERSION" ]; then echo "setup: wasm-bindgen not found in Cargo.lock" >&2; exit 1; fi
if ! wasm-bindgen --version 2>/dev/null | grep -q " $WASM_BINDGEN_VERSION\$"; then
  step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  # Not --locked: one of its locked dependencies is missing from the registry.
  light_install install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

if ! command -v npm >/dev/null; then
  step "installing Node.js and npm (wasm-opt and the browser tests run on it)"
  apt_install nodejs npm
fi
# wasm-opt from binaryen's npm package (pinned in tools/binaryen), first on PATH (scripts/lib.sh).
if [ ! -x tools/binaryen/node_modules/.bin/wasm-opt ] || [ tools/binaryen/package-lock.json -nt tools/binaryen/node_modules/.package-lock.json ]; then
  step "installing wasm-opt (binaryen, from npm) for release builds"
  (cd tools/binaryen && npm ci --no-audit --no-fund)
fi
# "wasm-opt version 132 (version_132)" -> 132; nothing for a missing file.
binaryen_version() { { "$1" --version 2>/dev/null || true; } | sed -n 's/^wasm-opt version \([0-9][0-9]*\).*/\1/p'; }
wasm_opt=$(command -v wasm-opt || true)
version=$(binaryen_version "$wasm_opt")
if [ -z "$version" ] || [ "$version" -lt "$BINARYEN_MIN" ]; then
  echo "setup: release builds need wasm-opt from binaryen $BINARYEN_MIN or newer; found ${wasm_opt:-none}${version:+ (binaryen $version)}." >&2
  echo "setup: reinstall it with: rm -rf tools/binaryen/node_modules && scripts/setup.sh" >&2
  exit 1
fi
# An older wasm-opt later on PATH (Debian's binaryen is 108) is not used by
# these scripts, but would break a release built by hand.
for other in $(type -ap wasm-opt); do
  other_version=$(binaryen_version "$other")
  if [ -n "$other_version" ] && [ "$other_version" -lt "$BINARYEN_MIN" ]; then
    echo "setup: note: $other is binaryen $other_version, older than $BINARYEN_MIN: a release built with it never starts in the browser." >&2
    echo "setup: note: the scripts use $wasm_opt (binaryen $version); to build by hand, remove the old one (apt-get remove binaryen) or put $(dirname "$wasm_opt") first on PATH." >&2
  fi
done

if [ "${1:-}" = "--test" ]; then
  if [ ! -x /usr/bin/chromium ]; then
    step "installing Chromium for the browser tests"
    apt_install chromium
  fi
  if [ ! -d end2end/node_modules/@playwright/test ] || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
    step "installing the Playwright packages"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
fi
