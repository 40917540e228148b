#!/usr/bin/env bash
# Installs what is missing, builds a release and serves Nexa Chat at
# http://127.0.0.1:3000 (LISTEN_ADDR changes it). Static files are compressed
# once at build time (brotli and gzip), not on every download.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
scripts/setup.sh
# File names carry a content hash: browsers keep them for good and fetch a
# new build at once (src/static_files.rs).
export LEPTOS_HASH_FILES=true
exec cargo leptos serve --release --precompress
