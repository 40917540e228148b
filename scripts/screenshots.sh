#!/usr/bin/env bash
# Retakes the README's screenshots (docs/screenshots/) from the release build
# with the mock provider. Not part of the tests: it rewrites tracked files.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
scripts/setup.sh --test
cargo leptos build "${RELEASE_FLAGS[@]}"
cargo build --release -p nexa-mock-provider
rm -rf end2end/.tmp
(cd end2end && SCREENSHOTS=1 npx playwright test --project=screenshots)
