#!/usr/bin/env bash
# The window's sound, for real: a session of 4-6 started in the window under Xvfb, its sound
# recorded through a private PulseAudio null sink, with the window unmapped (hidden: it draws
# no frame at all) for the whole session. Every cue must be heard, on time (spacing error p95
# at most 1 ms, drift at most 2 ms), and the session recorded.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-x11.sh
source scripts/pulse-null.sh
need pulseaudio parecord python3 xdotool
BIN=${BIN:-target/release/downshift}
[[ -x "$BIN" ]] || die "$BIN is not built: run cargo build --release"
work=$(mktemp -d)
trap 'kill "${APP_PID:-}" "${REC_PID:-}" "${XVFB_PID:-}" 2>/dev/null || true; stop_pulse_null; rm -rf "$work"' EXIT
private_environment "$work/env"
start_xvfb
start_pulse_null "$work/pulse" || die "no sound server"

data="$work/data"
mkdir -p "$data/presets"
echo '(ask_tension: false, safety_note_seen: true)' >"$data/settings.ron"
cat >"$data/presets/cue-timing.ron" <<'RON'
(version: 1, name: "Cue timing 4-6", description: "Plain 4-6 breathing.", steps: [Breathe(pattern: (inhale: 4.0, exhale: 6.0), breaths: 3)])
RON
rate=48000
parecord --device=cap.monitor --rate=$rate --channels=1 --format=s16le --file-format=wav "$work/cues.wav" &
REC_PID=$!
"$BIN" --data-dir "$data" play "Cue timing 4-6" >"$work/app.log" 2>&1 &
APP_PID=$!
window=$(wait_for_window downshift 30) || die "no window: $(cat "$work/app.log")"
xdotool windowunmap --sync "$window"
# The session runs on, hidden: it is over when its record (or, undrawn, its checkpoint) says so.
deadline=$((SECONDS + 60))
until python3 - "$data" <<'PY'
import glob, re, sys
texts = [open(p).read() for p in glob.glob(f"{sys.argv[1]}/checkpoints/*.ron")]
try:
    texts.append(open(f"{sys.argv[1]}/history.log").read())
except FileNotFoundError:
    pass
sys.exit(0 if any(re.search(r"end: Completed", t) for t in texts) else 1)
PY
do
  ((SECONDS < deadline)) || die "the hidden session did not run to its end: $(cat "$work/app.log")"
  sleep 0.5
done
# The closing bell rings out.
sleep 3
kill -INT "$REC_PID"; wait "$REC_PID" 2>/dev/null || true
REC_PID=
grep -q "sound device" "$work/app.log" && die "the window had no sound: $(cat "$work/app.log")"
[[ -n "${KEEP_RECORDING:-}" ]] && cp "$work/cues.wav" "$KEEP_RECORDING"
figures=$(python3 scripts/analyze-cues.py "$work/cues.wav" 4 6)
echo "$figures"
python3 - "$figures" <<'PY' || die "the hidden window's cues are off target"
import sys
fields = dict(item.split("=") for item in sys.argv[1].split())
# Three breaths: an inhale and an exhale cue each, and the closing bell.
assert int(fields["cues"]) == 7, fields
assert float(fields["spacing_error_p95_ms"]) <= 1.0, fields
assert abs(float(fields["drift_ms"])) <= 2.0, fields
PY
echo "ok: the window, hidden for the whole session, sounded every cue on time"
xdotool windowmap --sync "$window"
kill -TERM "$APP_PID"
wait_for_exit "$APP_PID" 15 || die "the window did not end on SIGTERM"
APP_PID=
"$BIN" --data-dir "$data" history --format csv | grep -q "Cue timing 4-6,.*,completed," ||
  die "the session was not recorded as completed: $("$BIN" --data-dir "$data" history --format csv)"
echo "ok: and it was recorded as completed"
echo "e2e window sound: 2 passed, 0 failed"
