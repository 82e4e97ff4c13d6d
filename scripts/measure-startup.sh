#!/usr/bin/env bash
# Start-up with an empty history and with 100,000 sessions: launch to first frame, launch until
# the history has been read (off the window's thread), and peak resident memory once it has.
# Median of five runs each. Prints key=value lines for scripts/bench.sh.
#   BIN=target/release/downshift scripts/measure-startup.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-x11.sh
need python3
BIN=${BIN:-target/release/downshift}
[[ -x "$BIN" ]] || die "$BIN is not built"
work=$(mktemp -d)
trap 'kill "${APP_PID:-}" "${XVFB_PID:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
private_environment "$work/env"
start_xvfb

median() { sort -n | sed -n 3p; }

# One launch on data folder $1: prints "first_frame_ms loaded_ms peak_mb".
launch() {
  local data=$1 err="$1.err"
  DOWNSHIFT_REPORT_FIRST_FRAME=1 "$BIN" --data-dir "$data" 2>"$err" &
  APP_PID=$!
  local waited=0
  until grep -q "history loaded after" "$err"; do
    kill -0 "$APP_PID" 2>/dev/null || die "downshift exited: $(tail -n 3 "$err")"
    ((waited++ < 600)) || die "the history was not loaded within 30 s"
    sleep 0.05
  done
  local first loaded peak
  first=$(grep -o 'first frame after [0-9]*' "$err" | awk '{print $4}')
  loaded=$(grep -o 'history loaded after [0-9]*' "$err" | awk '{print $4}')
  peak=$(awk '/VmHWM/ {printf "%.1f", $2 / 1024}' "/proc/$APP_PID/status")
  kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true
  APP_PID=
  echo "$first $loaded $peak"
}

for size in 0 100000; do
  firsts=() loadeds=() peaks=()
  for run in 1 2 3 4 5; do
    data="$work/data-$size-$run"
    mkdir -p "$data"
    [[ $size -gt 0 ]] && python3 scripts/make-history.py "$size" "$data/history.log"
    read -r first loaded peak < <(launch "$data")
    firsts+=("$first") loadeds+=("$loaded") peaks+=("$peak")
  done
  echo "first_frame_ms_$size=$(printf '%s\n' "${firsts[@]}" | median)"
  echo "history_loaded_ms_$size=$(printf '%s\n' "${loadeds[@]}" | median)"
  echo "peak_mb_$size=$(printf '%s\n' "${peaks[@]}" | median)"
done
