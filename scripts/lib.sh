# Sourced by the other scripts (run from the repository root): one place for
# the tools' PATH and for how the release that users run is built.

# cargo's tools, and the project's own wasm-opt first: scripts/setup.sh
# installs binaryen from npm into tools/binaryen because Debian's (108) is
# too old for today's wasm-bindgen output and breaks the page.
export PATH="$PWD/tools/binaryen/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# The release build users get from scripts/run.sh, and the one the browser
# tests and the bench run: optimised WASM (wasm-opt), files named after their
# content (src/static_files.rs) and compressed once at build time.
export LEPTOS_HASH_FILES=true
RELEASE_FLAGS=(--release --precompress)
