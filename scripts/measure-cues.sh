#!/usr/bin/env bash
# Measures cue timing through the real audio stack: a private sound server with a null sink
# (started for this run and ended with it), `downshift play --no-window` for MINUTES minutes of
# 4-6 breathing, the sink's monitor recorded, the onsets found and compared with the plan.
#   scripts/measure-cues.sh [MINUTES]     (default 3)
# Environment: SOUND_SERVER=pulseaudio (default) or pipewire (scripts/sound-server.sh);
# STALL_MS stops downshift (by its pid) for that long just after an exhale cue, to starve its
# stream for certain, after each of the exhales STALL_AT names (their times in the session, as
# play prints them; default 00:04, the first); WITHOUT_COOKIE=1 runs downshift with no
# PulseAudio cookie to bring (PipeWire then refuses the server's own protocol and the sound
# goes through ALSA's plugin); KEEP_RECORDING and KEEP_LOG keep the recording and what
# downshift printed.
# Prints: cues=… span_minutes=… spacing_error_p95_ms=… spacing_error_max_ms=… drift_ms=…
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-3}
BIN=${BIN:-target/release/downshift}
[[ -x "$BIN" ]] || { echo "$BIN is not built: run cargo build --release" >&2; exit 1; }
source scripts/lib-x11.sh
source scripts/sound-server.sh
for tool in $(sound_server_programs) python3; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: run scripts/ensure-deps.sh test" >&2; exit 1; }
done
work=$(mktemp -d)
trap 'kill -CONT "${PLAY_PID:-}" 2>/dev/null || true; kill "${PLAY_PID:-}" "${REC_PID:-}" 2>/dev/null || true; stop_sound_server; rm -rf "$work"' EXIT
private_environment "$work/env"
start_sound_server "$work/server" || exit 1
mkdir -p "$work/data/presets"
cat >"$work/data/presets/cue-timing.ron" <<'RON'
(
    version: 1,
    name: "Cue timing 4-6",
    description: "Plain 4-6 breathing, for measuring cue timing.",
    steps: [Breathe(pattern: (inhale: 4.0, exhale: 6.0), minutes: 10.0)],
)
RON
rate=48000
parecord --device=cap.monitor --rate=$rate --channels=1 --format=s16le --file-format=wav "$work/cues.wav" &
REC_PID=$!
# Start playing once the recorder runs steadily: half a second of audio in its file.
recorded_bytes() { stat -c %s "$work/cues.wav" 2>/dev/null || echo 0; }
for _ in $(seq 100); do
  (($(recorded_bytes) >= rate)) && break
  sleep 0.05
done
(($(recorded_bytes) >= rate)) || { echo "parecord is not recording" >&2; exit 1; }
recording_since=$(python3 -c "import time; print(time.time() - $(recorded_bytes) / ($rate * 2))")
player=("$BIN")
if [[ -n "${WITHOUT_COOKIE:-}" ]]; then
  mkdir -p "$work/home"
  player=(env HOME="$work/home" PULSE_COOKIE="$work/no-cookie" "$BIN")
fi
"${player[@]}" --data-dir "$work/data" play "Cue timing 4-6" --no-window --minutes "$minutes" >"$work/play.log" 2>&1 &
PLAY_PID=$!
if [[ -n "${STALL_MS:-}" ]]; then
  # A starved stream, for certain: downshift stopped (SIGSTOP, by its pid) for STALL_MS ms just
  # after an exhale cue, then let go. The next cue (6 s on) must be back on plan.
  for at in ${STALL_AT:-00:04}; do
    wait_for_line "^$at  Breathe out" "$work/play.log" $((${minutes%.*} * 60 + 30)) || { cat "$work/play.log" >&2; exit 1; }
    kill -STOP "$PLAY_PID"
    sleep "$(python3 -c "print($STALL_MS / 1000)")"
    kill -CONT "$PLAY_PID"
  done
fi
wait "$PLAY_PID" || { cat "$work/play.log" >&2; exit 1; }
PLAY_PID=
# The last cue has rung out when play exits; stop once the file holds everything up to then
# (and a little more), as its size shows.
wanted_bytes=$(python3 -c "import time; print(int((time.time() - $recording_since + 0.25) * $rate * 2))")
for _ in $(seq 100); do
  (($(recorded_bytes) >= wanted_bytes)) && break
  sleep 0.05
done
(($(recorded_bytes) >= wanted_bytes)) || { echo "the recording fell behind" >&2; exit 1; }
kill -INT "$REC_PID"; wait "$REC_PID" 2>/dev/null || true
REC_PID=
grep -q "no sound device" "$work/play.log" && { echo "downshift found no sound device: $(cat "$work/play.log")" >&2; exit 1; }
# Anything downshift had to say (a device that stopped, say) belongs with the figures.
grep -E "^downshift:|underruns; the audio thread|behind the plan" "$work/play.log" >&2 || true
if [[ -n "${KEEP_LOG:-}" ]]; then cp "$work/play.log" "$KEEP_LOG"; fi
python3 scripts/analyze-cues.py "$work/cues.wav" 4 6
if [[ -n "${KEEP_RECORDING:-}" ]]; then cp "$work/cues.wav" "$KEEP_RECORDING"; fi
