#!/usr/bin/env bash
# Measures what N parallel wrong sign-ins cost the server: peak memory (RSS)
# and CPU time, for the release build (or the binary given).
#   scripts/login-storm.sh [N=500] [BINARY=target/release/nexa-chat]
# Two storms: one address guessing one account (the throttle answers), and
# N addresses guessing N names (every password is checked).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib.sh
n="${1:-500}"
bin="${2:-target/release/nexa-chat}"
port=3217
dir="$(mktemp -d)"
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
LISTEN_ADDR="127.0.0.1:$port" DATA_DIR="$dir" DATABASE_URL="sqlite://$dir/s.db?mode=rwc" \
  RUST_LOG=error "$bin" >"$dir/log" 2>&1 &
pid=$!
for _ in $(seq 100); do
  curl -sf "http://127.0.0.1:$port/api/health" >/dev/null && break
  sleep 0.1
done
curl -sf "http://127.0.0.1:$port/api/auth/signup" -H 'content-type: application/json' \
  -d '{"username":"victim","password":"the-right-password"}' >/dev/null
ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
hz=$(getconf CLK_TCK)
storm() {
  local name=$1 same=$2
  local before; before=$(ticks)
  local started; started=$(date +%s.%N)
  seq "$n" | xargs -P "$n" -I{} sh -c '
    if [ "$0" = same ]; then user=victim; addr=203.0.113.1; else user="guess{}"; addr="10.$(({} / 250)).$(({} % 250)).1"; fi
    curl -s -o /dev/null -w "%{http_code}\n" "http://127.0.0.1:$1/api/auth/login" \
      -H "content-type: application/json" -H "x-forwarded-for: $addr" \
      -d "{\"username\":\"$user\",\"password\":\"wrong-password\"}"' "$same" "$port" > "$dir/$name.codes"
  local wall; wall=$(echo "$(date +%s.%N) - $started" | bc)
  local cpu; cpu=$(echo "scale=2; ($(ticks) - $before) / $hz" | bc)
  printf '%-34s %6s requests  wall %6.2f s  CPU %6s s  answers: %s\n' "$name" "$n" "$wall" "$cpu" \
    "$(sort "$dir/$name.codes" | uniq -c | awk '{printf "%s×%s ", $1, $2}')"
}
storm "one address, one account" same
storm "$n addresses, $n names" many
printf 'peak RSS: %s\n' "$(grep VmHWM "/proc/$pid/status" | awk '{print $2/1024 " MiB"}')"
