#!/usr/bin/env bash
# The window's sound, for real, recorded through a private sound server's null sink under Xvfb,
# on PulseAudio and on PipeWire (pipewire, wireplumber and pipewire-pulse), both at once, each
# with an X display of its own:
#  1. hidden: a three-minute 4-6 session started in the window with the window unmapped (it
#     draws no frame at all) for the whole session. Every cue must be heard, on time (spacing
#     error p95 at most 0.2 ms, drift at most 1 ms), and the session recorded;
#  2. mute and volume on a live stream: M, M, then three steps of ↓ during a session with the
#     breath tone on. Nothing clicks (no jump in the waveform), the mute is heard as silence,
#     and the last breath is half as loud as the first (0.6 to 0.3);
#  3. the device lost and back mid-session: the sound server (this script's own, by its pids)
#     stops and starts again; the session goes on, its cues resume on the new stream where the
#     session is (4 s and 6 s apart, as planned), and it is recorded as completed.
# SOUND_SERVER=pulseaudio or pipewire runs one server's checks alone; HIDDEN_BREATHS (default
# 18) sets the hidden session's length.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-x11.sh
BIN=${BIN:-target/release/downshift}
[[ -x "$BIN" ]] || die "$BIN is not built: run cargo build --release"

on_each_sound_server "e2e window sound" "$0" "$@"

source scripts/sound-server.sh
need $(sound_server_programs) python3 xdotool
hidden_breaths=${HIDDEN_BREATHS:-18}
work=$(mktemp -d)
trap 'kill "${APP_PID:-}" "${REC_PID:-}" "${XVFB_PID:-}" 2>/dev/null || true; stop_sound_server; rm -rf "$work"' EXIT
private_environment "$work/env"
start_xvfb
start_sound_server "$work/server" || die "no sound server"
rate=48000
passed=0

# A data folder with one plain 4-6 practice of $2 breaths, and settings $3.
make_data() {
  local data=$1 breaths=$2 settings=$3
  mkdir -p "$data/presets"
  echo "$settings" >"$data/settings.ron"
  cat >"$data/presets/cue-timing.ron" <<RON
(version: 1, name: "Cue timing 4-6", description: "Plain 4-6 breathing.", steps: [Breathe(pattern: (inhale: 4.0, exhale: 6.0), breaths: $breaths)])
RON
}

# Records the null sink into $1 from now on (REC_PID); returns once the recorder runs.
start_recording() {
  REC_FILE=$1
  parecord --device=cap.monitor --rate=$rate --channels=1 --format=s16le --file-format=wav "$REC_FILE" &
  REC_PID=$!
  wait_for_recorded 0.5 || die "parecord is not recording"
}

recorded_seconds() {
  python3 -c "import os; print(os.path.getsize('$REC_FILE') / ($rate * 2))" 2>/dev/null || echo 0
}

# Waits (at most 90 s) until the recording holds $1 seconds more than it did when asked.
wait_for_recorded() {
  local wanted deadline=$((SECONDS + 90))
  wanted=$(python3 -c "print($(recorded_seconds) + $1)")
  until python3 -c "import sys; sys.exit(0 if $(recorded_seconds) >= $wanted else 1)"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.05
  done
}

stop_recording() {
  kill -INT "$REC_PID"
  wait "$REC_PID" 2>/dev/null || true
  REC_PID=
}

# Waits (at most 90 s more than the hidden session lasts) for data folder $1 to say the
# session ran to its end: its record, or, while the window draws nothing, its checkpoint.
wait_for_completed() {
  local deadline=$((SECONDS + 90 + hidden_breaths * 10))
  until python3 - "$1" <<'PY'
import glob, re, sys
texts = [open(p).read() for p in glob.glob(f"{sys.argv[1]}/checkpoints/*.ron")]
try:
    texts.append(open(f"{sys.argv[1]}/history.log").read())
except FileNotFoundError:
    pass
sys.exit(0 if any(re.search(r"end: Completed", t) for t in texts) else 1)
PY
  do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# Ends the window (SIGTERM, by its pid) and checks the session was recorded as completed.
end_and_check_recorded() {
  local data=$1
  kill -TERM "$APP_PID"
  wait_for_exit "$APP_PID" 15 || die "the window did not end on SIGTERM"
  APP_PID=
  "$BIN" --data-dir "$data" history --format csv | grep -q "Cue timing 4-6,.*,completed," ||
    die "the session was not recorded as completed: $("$BIN" --data-dir "$data" history --format csv)"
}

# Waits until settings file $1 says $2 (the window saved what a key changed).
wait_for_setting() {
  wait_for_line "$2" "$1" 10 || die "the window did not take the key: $(cat "$1")"
}

# --- 1. Hidden for the whole session -------------------------------------------------------
data="$work/hidden"
make_data "$data" "$hidden_breaths" '(ask_tension: false, safety_note_seen: true)'
start_recording "$work/hidden.wav"
"$BIN" --data-dir "$data" play "Cue timing 4-6" >"$work/hidden.log" 2>&1 &
APP_PID=$!
window=$(wait_for_window downshift 30) || die "no window: $(cat "$work/hidden.log")"
xdotool windowunmap --sync "$window"
wait_for_completed "$data" || die "the hidden session did not run to its end: $(cat "$work/hidden.log")"
# The closing bell rings out: two seconds more of recording.
wait_for_recorded 2 || die "the recording stopped"
stop_recording
grep -q "sound device" "$work/hidden.log" && die "the window had no sound: $(cat "$work/hidden.log")"
[[ -n "${KEEP_RECORDING:-}" ]] && cp "$work/hidden.wav" "$KEEP_RECORDING"
figures=$(python3 scripts/analyze-cues.py "$work/hidden.wav" 4 6)
echo "$figures"
python3 - "$figures" "$hidden_breaths" <<'PY' || die "the hidden window's cues are off target"
import sys
fields = dict(item.split("=") for item in sys.argv[1].split())
# An inhale and an exhale cue a breath, and the closing bell.
assert int(fields["cues"]) == 2 * int(sys.argv[2]) + 1, fields
assert float(fields["spacing_error_p95_ms"]) <= 0.2, fields
assert abs(float(fields["drift_ms"])) <= 1.0, fields
PY
xdotool windowmap --sync "$window"
end_and_check_recorded "$data"
echo "ok: the window, hidden for the whole session, sounded every cue on time and recorded it"
passed=$((passed + 1))

# --- 2. Mute and volume glide --------------------------------------------------------------
data="$work/glide"
make_data "$data" 4 '(ask_tension: false, safety_note_seen: true, master_volume: 0.6, breath_tone: true, breath_tone_volume: 0.5)'
start_recording "$work/glide.wav"
"$BIN" --data-dir "$data" play "Cue timing 4-6" >"$work/glide.log" 2>&1 &
APP_PID=$!
window=$(wait_for_window downshift 30) || die "no window: $(cat "$work/glide.log")"
focus_window "$window"
# Into the second breath (the first is the level to compare with), then the keys, each waited
# on until the window has saved what it changed.
wait_for_recorded 12 || die "the recording stopped"
xdotool key --window "$window" m
wait_for_setting "$data/settings.ron" "muted: true"
wait_for_recorded 1 || die "the recording stopped"
xdotool key --window "$window" m
wait_for_setting "$data/settings.ron" "muted: false"
for volume in 0.5 0.4 0.3; do
  xdotool key --window "$window" Down
  wait_for_setting "$data/settings.ron" "master_volume: $volume"
done
wait_for_completed "$data" || die "the session did not run to its end: $(cat "$work/glide.log")"
wait_for_recorded 2 || die "the recording stopped"
stop_recording
end_and_check_recorded "$data"
figures=$(python3 scripts/analyze-glide.py "$work/glide.wav" 10 0 3)
echo "$figures"
python3 - "$figures" <<'PY' || die "mute and volume did not glide"
import sys
fields = {k: float(v) for k, v in (item.split("=") for item in sys.argv[1].split())}
# A cut from one sample to the next would be as large as the sound; the cues' own waves stay
# far below (measured: 0.004 gliding, 0.157 with the glide taken out).
assert fields["click_ratio"] <= 0.05, f"a click: {fields}"
assert fields["longest_quiet_s"] >= 0.5, f"the mute was not heard: {fields}"
assert 0.4 <= fields["level_ratio"] <= 0.6, f"the volume did not halve: {fields}"
PY
echo "ok: mute, unmute and three steps softer glided on the live stream, without a click"
passed=$((passed + 1))

# --- 3. The device lost and back mid-session -----------------------------------------------
data="$work/lost"
make_data "$data" 5 '(ask_tension: false, safety_note_seen: true)'
RUST_LOG=downshift=debug "$BIN" --data-dir "$data" play "Cue timing 4-6" >"$work/lost.log" 2>&1 &
APP_PID=$!
wait_for_window downshift 30 >/dev/null || die "no window: $(cat "$work/lost.log")"
# The device is open (the debug line says how) and the session runs (its first checkpoint).
wait_for_line "sound through [A-Za-z]*: [0-9]* Hz" "$work/lost.log" 15 || die "no sound device: $(cat "$work/lost.log")"
deadline=$((SECONDS + 15))
until compgen -G "$data/checkpoints/*.ron" >/dev/null; do
  ((SECONDS < deadline)) || die "the session did not start: $(cat "$work/lost.log")"
  sleep 0.1
done
stop_sound_server
wait_for_line "sound device lost" "$work/lost.log" 10 || die "the loss was not noticed: $(cat "$work/lost.log")"
start_sound_server "$work/server" || die "the sound server did not start again"
start_recording "$work/after.wav"
wait_for_line "a sound device is back" "$work/lost.log" 15 || die "the sound did not come back: $(cat "$work/lost.log")"
wait_for_completed "$data" || die "the session did not run to its end: $(cat "$work/lost.log")"
wait_for_recorded 2 || die "the recording stopped"
stop_recording
end_and_check_recorded "$data"
grep -qi "panick" "$work/lost.log" && die "a panic: $(cat "$work/lost.log")"
python3 - "$work/after.wav" <<'PY' || die "the cues did not resume where the session was"
import sys
from importlib import import_module
sys.path.insert(0, "scripts")
cues = import_module("analyze-cues")
rate, samples = cues.read_mono(sys.argv[1])
heard = cues.onsets(rate, samples)
gaps = [(b - a) / rate for a, b in zip(heard, heard[1:])]
print(f"after the server came back: {len(heard)} cues, {', '.join(f'{g:.4f}' for g in gaps)} s apart")
assert len(heard) >= 3, "too few cues after the server came back"
# Each gap is an inhale (4 s) or an exhale (6 s), within 2 ms: the new stream is where the
# session is, not started over.
assert all(min(abs(g - 4), abs(g - 6)) <= 0.002 for g in gaps), gaps
PY
echo "ok: the sound server stopped and came back mid-session; the cues resumed on plan and the session was recorded"
passed=$((passed + 1))

echo "e2e window sound on $SOUND_SERVER: $passed passed, 0 failed"
