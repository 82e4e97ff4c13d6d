#!/usr/bin/env bash
# Measures cue timing through the real audio stack: a private PulseAudio server with a null
# sink, `downshift play --no-window` for MINUTES minutes of 4-6 breathing, the sink's monitor
# recorded, the onsets found and compared with the plan.
#   scripts/measure-cues.sh [MINUTES]     (default 3)
# Prints: cues=… span_minutes=… spacing_error_p95_ms=… spacing_error_max_ms=… drift_ms=…
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-3}
BIN=${BIN:-target/release/downshift}
[[ -x "$BIN" ]] || { echo "$BIN is not built: run cargo build --release" >&2; exit 1; }
for tool in pulseaudio pactl parecord python3; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: run scripts/ensure-deps.sh test" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'kill "${REC_PID:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
eval "$(scripts/pulse-null.sh)"
mkdir -p "$work/data/presets"
cat >"$work/data/presets/cue-timing.ron" <<'RON'
(
    version: 1,
    name: "Cue timing 4-6",
    description: "Plain 4-6 breathing, for measuring cue timing.",
    steps: [Breathe(pattern: (inhale: 4.0, exhale: 6.0), minutes: 10.0)],
)
RON
parecord --device=cap.monitor --rate=48000 --channels=1 --format=s16le --file-format=wav "$work/cues.wav" &
REC_PID=$!
sleep 1
"$BIN" --data-dir "$work/data" play "Cue timing 4-6" --no-window --minutes "$minutes" >"$work/play.log" 2>&1 \
  || { cat "$work/play.log" >&2; exit 1; }
sleep 1
kill -INT "$REC_PID"; wait "$REC_PID" 2>/dev/null || true
REC_PID=
grep -q "no sound device" "$work/play.log" && { echo "downshift found no sound device: $(cat "$work/play.log")" >&2; exit 1; }
# Anything downshift had to say (a device that stopped, say) belongs with the figures.
grep "^downshift:" "$work/play.log" >&2 || true
python3 scripts/analyze-cues.py "$work/cues.wav" 4 6
if [[ -n "${KEEP_RECORDING:-}" ]]; then cp "$work/cues.wav" "$KEEP_RECORDING"; fi
