#!/usr/bin/env bash
# Installs what is missing, builds a release and serves Nexa Chat at
# http://127.0.0.1:3000 (LISTEN_ADDR changes it). Static files are compressed
# once at build time (brotli and gzip), not on every download.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
scripts/setup.sh
exec cargo leptos serve "${RELEASE_FLAGS[@]}"
