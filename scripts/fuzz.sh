#!/usr/bin/env bash
# Fuzzes what strangers send: a provider's SSE stream and chunks, a model's
# Markdown (with the streamed HTML patch), an imported file. Each target runs
# for SECONDS (default 300) on the nightly toolchain with cargo-fuzz
# (installed when missing). Findings land in fuzz/artifacts/<target>/.
#   scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-300}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(sse_decoder chunk_parser markdown import_json)
fi
if ! rustup toolchain list | grep -q '^nightly'; then
  rustup toolchain install nightly --profile minimal
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  cargo +nightly install cargo-fuzz --locked
fi
for target in "${targets[@]}"; do
  printf '\n==> fuzzing %s for %ss\n' "$target" "$seconds"
  mkdir -p "fuzz/corpus/$target"
  # -max_len 65536: bodies bigger than a few pages add time, not new paths.
  cargo +nightly fuzz run "$target" "fuzz/corpus/$target" -- \
    -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048
done
printf '\n==> every target ran %ss without a finding\n' "$seconds"
