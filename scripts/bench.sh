#!/usr/bin/env bash
# Measures downshift and prints one table; with --readme, also writes it into README.md.
#   scripts/bench.sh [--readme]
# Environment: CUE_MINUTES (default 10) for the recorded cue-timing runs (PulseAudio and
# PipeWire, both at once); BENCH_WGPU=1 also
# builds the wgpu renderer (a second, separate release build) and measures it beside glow.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-x11.sh
need python3 getconf
write_readme=false
[[ "${1:-}" == "--readme" ]] && write_readme=true
cue_minutes=${CUE_MINUTES:-10}
work=$(mktemp -d)
trap 'kill "${APP_PID:-}" "${XVFB_PID:-}" "${CUES_PID:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

echo "== building (release)" >&2
cargo build --release --locked >&2
# A copy: building the benchmarks below rebuilds target/release/downshift with the bench profile.
BIN="$work/downshift"
cp target/release/downshift "$BIN"

echo "== criterion benchmarks" >&2
cargo bench --locked --bench timeline --bench history --bench frames >&2
criterion() { # median of a criterion benchmark, in the unit asked for
  python3 - "$1" "$2" <<'PY'
import json, sys, glob, os
name, unit = sys.argv[1], sys.argv[2]
matches = [p for p in glob.glob("target/criterion/**/new/benchmark.json", recursive=True)
           if json.load(open(p)).get("full_id") == name]
if not matches:
    sys.exit(f"no criterion result for {name}")
estimates = json.load(open(os.path.join(os.path.dirname(matches[0]), "estimates.json")))
ns = estimates["median"]["point_estimate"]
scale = {"ns": 1, "us": 1e3, "ms": 1e6}[unit]
print(f"{ns / scale:.3g}")
PY
}

ticks_per_second=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

private_environment "$work/env"
start_xvfb

# Launch to first frame, median of five.
first_frame() {
  local bin=$1 renderer=$2 times=()
  for _ in 1 2 3 4 5; do
    local data err
    data=$(mktemp -d -p "$work")
    err="$data.err"
    DOWNSHIFT_RENDERER=$renderer DOWNSHIFT_REPORT_FIRST_FRAME=1 "$bin" --data-dir "$data" 2>"$err" &
    APP_PID=$!
    for _ in $(seq 200); do grep -q "first frame after" "$err" && break; sleep 0.025; done
    times+=("$(grep -o 'first frame after [0-9]*' "$err" | awk '{print $4}')")
    kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
}

# Idle CPU ticks over 10 s on the home screen; CPU % of one core and peak memory over 10 s of a
# session at the default frame cap.
run_measures() {
  local bin=$1 renderer=$2 data
  data=$(mktemp -d -p "$work")
  # Space starts plain, continuous breathing (whatever the time of day), with no questions.
  echo '(ask_tension: false, safety_note_seen: true, time_slots: [(from: "00:00", practice: "Extended exhale 4-6", reason: "bench")])' >"$data/settings.ron"
  DOWNSHIFT_RENDERER=$renderer "$bin" --data-dir "$data" 2>"$data.err" &
  APP_PID=$!
  local window
  window=$(wait_for_window downshift 30) || die "no window"
  focus_window "$window"
  sleep 3
  local before after
  before=$(cpu_ticks "$APP_PID"); sleep 10; after=$(cpu_ticks "$APP_PID")
  IDLE_TICKS=$((after - before))
  xdotool key space
  sleep 3
  before=$(cpu_ticks "$APP_PID"); sleep 10; after=$(cpu_ticks "$APP_PID")
  SESSION_CPU=$(python3 -c "print(f'{($after - $before) / ($ticks_per_second * 10) * 100:.1f}')")
  PEAK_MB=$(awk '/VmHWM/ {printf "%.0f", $2 / 1024}' "/proc/$APP_PID/status")
  kill "$APP_PID"; wait "$APP_PID" 2>/dev/null || true
  APP_PID=
}

echo "== the real app under Xvfb (glow)" >&2
FIRST_FRAME=$(first_frame "$BIN" glow)
run_measures "$BIN" glow
BINARY_MB=$(python3 -c "import os; print(f'{os.path.getsize(\"$BIN\") / 1e6:.1f}')")

echo "== start-up with an empty history and with 100,000 sessions" >&2
STARTUP=$(BIN="$BIN" scripts/measure-startup.sh)
startup() { python3 -c "import sys; print(dict(i.split('=') for i in sys.argv[1].split())['$1'])" "$STARTUP"; }

echo "== cue timing through PulseAudio and PipeWire, $cue_minutes minutes, both at once" >&2
SOUND_SERVER=pulseaudio BIN="$BIN" scripts/measure-cues.sh "$cue_minutes" >"$work/cues-pulseaudio" &
CUES_PID=$!
SOUND_SERVER=pipewire BIN="$BIN" scripts/measure-cues.sh "$cue_minutes" >"$work/cues-pipewire" ||
  die "the PipeWire cue measurement failed"
wait "$CUES_PID" || die "the PulseAudio cue measurement failed"
CUES_PID=
# cue SERVER FIELD
cue() { python3 -c "import sys; print(dict(i.split('=') for i in open(sys.argv[1]).read().split())['$2'])" "$work/cues-$1"; }

echo "== cue timing under load (stress-ng), 3 minutes on each server, starved twice" >&2
BIN="$BIN" scripts/e2e-audio-load.sh | sed -n 's/^figures: //p' >"$work/loaded"
# loaded SERVER FIELD
loaded() { python3 -c "import sys; print([dict(i.split('=') for i in l.split()[1:]) for l in open(sys.argv[1]) if l.split()[0] == '$1'][0]['$2'])" "$work/loaded"; }

row() { printf '| %s | %s | %s |\n' "$1" "$2" "$3"; }
table() {
  echo "| measure | downshift | budget |"
  echo "|---|---|---|"
  row "launch to first frame (Xvfb, median of 5)" "$FIRST_FRAME ms" "≤ 300 ms"
  row "launch to first frame: empty history / 100,000 sessions (median of 5)" "$(startup first_frame_ms_0) ms / $(startup first_frame_ms_100000) ms" "≤ 1.5 × empty"
  row "history of 100,000 sessions read, off the window's thread (after launch)" "$(startup history_loaded_ms_100000) ms" "—"
  row "peak memory once the history is read: empty / 100,000 sessions" "$(startup peak_mb_0) MB / $(startup peak_mb_100000) MB" "≤ empty + 20 MB"
  row "CPU over 10 s idle on the home screen" "$IDLE_TICKS ticks" "0 ticks"
  row "CPU during a session, default 30 fps cap (Xvfb, llvmpipe)" "$SESSION_CPU % of one core" "≤ 12 %"
  row "peak resident memory during a session" "$PEAK_MB MB" "≤ 100 MB"
  row "release binary size" "$BINARY_MB MB" "≤ 15 MB"
  local server name
  for server in pulseaudio pipewire; do
    name=$([[ $server == pulseaudio ]] && echo PulseAudio || echo PipeWire)
    row "$name: cue spacing error p95 (recorded, $(cue $server span_minutes) min, $(cue $server cues) cues)" "$(cue $server spacing_error_p95_ms) ms" "≤ 0.2 ms"
    row "$name: drift of the last cue" "$(cue $server drift_ms) ms" "≤ 1 ms over 10 min"
  done
  for server in pulseaudio pipewire; do
    name=$([[ $server == pulseaudio ]] && echo PulseAudio || echo PipeWire)
    row "$name under load (stress-ng --cpu 6 --io 2 --vm 2, 3 min, starved twice): cues heard" "$(loaded $server cues) of 37" "every cue"
    row "$name under load: cue spacing error p95 / max (the max includes the cues after the starved stream)" "$(loaded $server spacing_error_p95_ms) ms / $(loaded $server spacing_error_max_ms) ms" "≤ 5 ms / ≤ 2 ms"
    row "$name under load: last cue against the plan" "$(loaded $server drift_ms) ms" "≤ 2 ms"
  done
  row "timeline query (moment_at, 3-hour ritual)" "$(criterion 'moment_at (3-hour ritual)' ns) ns" "≪ 1 µs"
  row "cue list for a 3-hour ritual" "$(criterion 'cue_events (3-hour ritual)' us) µs" "—"
  row "history: load and summarise 100,000 sessions" "$(criterion 'history (100,000 records)/load and aggregate' ms) ms" "≤ 100 ms"
  row "history: append one session (with fsync)" "$(criterion 'history (100,000 records)/append one record (with fsync)' us) µs" "O(1)"
  row "session screen frame, build + tessellate" "$(criterion 'session screen frame (build + tessellate)' us) µs" "≤ 300 µs"
  row "history screen frame, 100,000 sessions" "$(criterion 'history screen frame, 100,000 sessions (build + tessellate)' us) µs" "≤ 2 ms"
  if [[ -n "${BENCH_WGPU:-}" ]]; then
    row "wgpu instead of glow: first frame" "$WGPU_FIRST_FRAME ms" "(comparison)"
    row "wgpu instead of glow: CPU during a session" "$WGPU_SESSION_CPU %" "(comparison)"
    row "wgpu instead of glow: peak memory" "$WGPU_PEAK_MB MB" "(comparison)"
    row "wgpu instead of glow: binary size" "$WGPU_BINARY_MB MB" "(comparison)"
  fi
}

if [[ -n "${BENCH_WGPU:-}" ]]; then
  echo "== the same with wgpu (separate build)" >&2
  CARGO_TARGET_DIR=target/wgpu cargo build --release --locked --features wgpu >&2
  WGPU_BIN=target/wgpu/release/downshift
  WGPU_FIRST_FRAME=$(first_frame "$WGPU_BIN" wgpu)
  run_measures "$WGPU_BIN" wgpu
  WGPU_SESSION_CPU=$SESSION_CPU WGPU_PEAK_MB=$PEAK_MB
  WGPU_BINARY_MB=$(python3 -c "import os; print(f'{os.path.getsize(\"$WGPU_BIN\") / 1e6:.1f}')")
  run_measures "$BIN" glow # the glow figures again, so the table's rows are glow's
fi

machine="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr), measured $(date -u +%Y-%m-%d)"
output=$(table)
echo
echo "$output"
echo
echo "Machine: $machine"
if $write_readme; then
  python3 - "$output" "$machine" <<'PY'
import re, sys
table, machine = sys.argv[1], sys.argv[2]
readme = open("README.md").read()
block = f"<!-- bench:start -->\n{table}\n\nMeasured on: {machine}.\n<!-- bench:end -->"
readme, n = re.subn(r"<!-- bench:start -->.*?<!-- bench:end -->", block, readme, flags=re.S)
if n != 1:
    sys.exit("README.md has no bench markers")
open("README.md", "w").write(readme)
print("README.md updated")
PY
fi
