#!/usr/bin/env bash
# Runs every test: formatting, lints for both sides, unit and integration
# tests, then the browser tests against the release build that
# scripts/run.sh serves, with the mock provider.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
SECONDS=0
# A fresh CI checkout gains nothing from incremental compilation, and its
# files take gigabytes of the machine's disk.
if [ -n "${CI:-}" ]; then export CARGO_INCREMENTAL=0; fi
step() { printf '\n==> [%ss] %s\n' "$SECONDS" "$*"; }

step "setup"
scripts/setup.sh --test

step "cargo fmt --check"
cargo fmt --check

step "clippy (server, tests, mock provider, bench)"
cargo clippy --workspace --all-targets --features nexa-chat/ssr -- -D warnings

step "clippy (browser, wasm32)"
cargo clippy -p nexa-chat --lib --features hydrate --target wasm32-unknown-unknown -- -D warnings

step "unit and integration tests (app, mock provider, bench)"
cargo test --workspace --features nexa-chat/ssr

step "release build of the app, as scripts/run.sh serves it, and the mock provider"
# The browser tests run what users get: the same profile, wasm-opt, hashed
# file names and precompressed files (scripts/lib.sh).
cargo leptos build "${RELEASE_FLAGS[@]}"
cargo build --release -p nexa-mock-provider

step "browser tests (Playwright + Chromium)"
rm -rf end2end/.tmp
(cd end2end && npx playwright test)

step "all tests passed"
