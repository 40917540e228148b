#!/usr/bin/env bash
# Measures what Nexa Chat costs, on loopback, against the release-built mock
# provider: added latency, time to first token, concurrent streams, page
# weight, SSR time and memory. Prints a Markdown table, writes target/bench.json.
#   scripts/bench.sh [--quick] [--levels 250,500,1000,2000] [--out FILE]
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
step() { printf '\n==> %s\n' "$*" >&2; }

scripts/setup.sh
# As `make run` builds it: hashed file names (src/static_files.rs).
export LEPTOS_HASH_FILES=true
step "release build of the app (cargo leptos build --release --precompress)"
cargo leptos build --release --precompress
step "release build of the mock provider and the bench"
cargo build --release --features ssr --bin mock-provider --bin bench
# Thousands of streams need thousands of sockets.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
# A build leaves gigabytes of written files for the kernel to flush; that
# writeback competes with the bench for the two cores (the 2,000-stream
# level stalled after a build and not without one). Flush them first.
step "flushing the build's files to disk"
sync
sleep 2
step "running the bench"
target/release/bench "$@"
