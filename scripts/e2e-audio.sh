#!/usr/bin/env bash
# End-to-end sound checks through the real audio stack, on a private PulseAudio and on a private
# PipeWire (pipewire, wireplumber and pipewire-pulse), each with a null sink, both at once (they
# share nothing but the processor):
#  1. cue timing: record three minutes of `downshift play --no-window`, check every cue against
#     the plan (spacing error p95 <= 0.2 ms, drift <= 1 ms), the sound having gone through the
#     server's own protocol (cpal's PulseAudio host);
#  2. the device vanishing mid-session: stop the sound server (this script's own, by its pids)
#     during a session; the session must carry on silently and say so;
#  3. the server coming back: the session's cues resume on a new stream and are heard; the
#     session finishes and is recorded;
#  4. on PipeWire, downshift bringing no PulseAudio cookie (PipeWire then refuses the server's
#     own protocol): the sound goes through ALSA's plugin instead, and keeps time (half a minute).
# SOUND_SERVER=pulseaudio or pipewire runs one server's checks alone; CUE_MINUTES (default 3)
# sets the recording's length.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-x11.sh
BIN=${BIN:-target/release/downshift}
[[ -x "$BIN" ]] || die "$BIN is not built: run cargo build --release"

on_each_sound_server "e2e audio" "$0" "$@"

source scripts/sound-server.sh
need $(sound_server_programs) python3 sox
minutes=${CUE_MINUTES:-3}
work=$(mktemp -d)
trap 'kill "${PLAY_PID:-}" "${REC_PID:-}" 2>/dev/null || true; stop_sound_server; rm -rf "$work"' EXIT
private_environment "$work/env"

figures=$(RUST_LOG=downshift=info KEEP_LOG="$work/timing.log" scripts/measure-cues.sh "$minutes" 2>"$work/measure.err") ||
  die "the cue measurement failed: $(cat "$work/measure.err")"
echo "$figures"
grep -q "sound through PulseAudio" "$work/timing.log" ||
  die "the sound did not go through the server's own protocol: $(grep "sound through" "$work/timing.log")"
python3 - "$figures" "$minutes" <<'PY' || die "cue timing is off target"
import sys
fields = dict(item.split("=") for item in sys.argv[1].split())
minutes = float(sys.argv[2])
p95, drift = float(fields["spacing_error_p95_ms"]), abs(float(fields["drift_ms"]))
# An inhale and an exhale cue a breath (10 s), and the closing bell.
expected = round(minutes * 6) * 2 + 1
assert int(fields["cues"]) == expected, f"{fields['cues']} of {expected} cues heard"
assert p95 <= 0.2, f"spacing error p95 {p95} ms"
assert drift <= 1.0, f"drift {drift} ms"
print(f"ok: {expected} cues over {fields['span_minutes']} minutes, spacing error p95 {p95} ms, drift {drift} ms")
PY

start_sound_server "$work/server" || die "no sound server"
mkdir -p "$work/data/presets"
cat >"$work/data/presets/short.ron" <<'RON'
(version: 1, name: "Short 4-6", description: "Forty seconds.", steps: [Breathe(pattern: (inhale: 4.0, exhale: 6.0), breaths: 4)])
RON
"$BIN" --data-dir "$work/data" play "Short 4-6" --no-window >"$work/play.out" 2>"$work/play.err" &
PLAY_PID=$!
wait_for_line "Breathe out" "$work/play.out" 20 || die "the session did not start: $(cat "$work/play.err")"
stop_sound_server
wait_for_line "the sound device stopped; the session goes on silently" "$work/play.err" 10 ||
  die "no notice that the sound stopped: $(cat "$work/play.err")"
echo "ok: the sound server stopped mid-session; the session goes on silently and says so"
# The server comes back (the same address, as after a restart): the session's sound resumes on
# a new stream, where the session is, and what it plays is heard.
start_sound_server "$work/server" || die "the sound server did not start again"
parecord --device=cap.monitor --rate=48000 --channels=1 --format=s16le --file-format=wav "$work/after.wav" &
REC_PID=$!
wait_for_line "the sound is back" "$work/play.err" 15 || die "the sound did not come back: $(cat "$work/play.err")"
wait_for_exit "$PLAY_PID" 60 || die "the session did not finish"
PLAY_PID=
kill -INT "$REC_PID"; wait "$REC_PID" 2>/dev/null || true
REC_PID=
[[ "$EXIT_CODE" == 0 ]] || die "play exited with $EXIT_CODE: $(cat "$work/play.err")"
grep -qi "panick" "$work/play.err" && die "a panic message reached the user: $(cat "$work/play.err")"
grep -q "Completed:" "$work/play.out" || die "the session did not complete: $(cat "$work/play.out")"
"$BIN" --data-dir "$work/data" history --format csv | grep -q "Short 4-6,.*,completed," \
  || die "the session was not recorded as completed"
peak=$(sox "$work/after.wav" -n stat 2>&1 | awk '/Maximum amplitude/ {print $3}')
python3 -c "import sys; sys.exit(0 if float('$peak') > 0.05 else 1)" ||
  die "nothing was heard after the sound came back (peak $peak)"
echo "ok: the server came back; the session's cues resumed on it (peak $peak), it finished and was recorded"
passed=3

if [[ "$SOUND_SERVER" == pipewire ]]; then
  figures=$(WITHOUT_COOKIE=1 RUST_LOG=downshift=info KEEP_LOG="$work/alsa.log" scripts/measure-cues.sh 0.5 2>"$work/alsa.err") ||
    die "the cue measurement without a cookie failed: $(cat "$work/alsa.err")"
  grep -q "sound through ALSA" "$work/alsa.log" ||
    die "without a cookie the sound did not go through ALSA: $(grep "sound through" "$work/alsa.log")"
  python3 - "$figures" <<'PY' || die "cue timing through ALSA is off target"
import sys
fields = dict(item.split("=") for item in sys.argv[1].split())
p95, drift = float(fields["spacing_error_p95_ms"]), abs(float(fields["drift_ms"]))
assert int(fields["cues"]) == 7, f"{fields['cues']} of 7 cues heard"
assert p95 <= 0.2, f"spacing error p95 {p95} ms"
assert drift <= 1.0, f"drift {drift} ms"
print(f"ok: without a PulseAudio cookie the sound went through ALSA: 7 cues, spacing error p95 {p95} ms, drift {drift} ms")
PY
  passed=4
fi
echo "e2e audio on $SOUND_SERVER: $passed passed, 0 failed"
