#!/usr/bin/env bash
# End to end, the heart without a strap: the real release binary replays the synthetic
# recording in tests/fixtures/heart (resonance planted at 5.5) as if a strap sent it.
#  - In the terminal (`play --no-window --heart-rate-from`): the heart's line is printed at a
#    breath's end, its summary after the session, the record keeps it, and the raw intervals go
#    to heart/<id>.rr as asked.
#  - In the window under Xvfb, at the same time: the heart's numbers and trace under the orb,
#    and the session recorded with them. A picture is taken; with SCREENSHOT=FILE it is saved
#    there (`make screenshot` refreshes docs/heart-live.png, the README's, that way).
# About 35 seconds: both sessions breathe half a minute, side by side.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-x11.sh

BIN=${BIN:-target/release/downshift}
[[ -x "$BIN" ]] || die "$BIN is not built: run cargo build --release"
need import convert tesseract
RECORDING=tests/fixtures/heart/resonance-5.5.rr
work=$(mktemp -d)
[[ -n "${KEEP:-}" ]] && echo "work: $work"
started=()
trap 'end_started; [[ -n "${KEEP:-}" ]] || rm -rf "$work"' EXIT
private_environment "$work/env"

# The terminal: half a minute of 4-6, the raw intervals kept.
terminal="$work/terminal"
mkdir -p "$terminal"
echo '(safety_note_seen: true, heart_strap: (keep_raw_intervals: true))' >"$terminal/settings.ron"
"$BIN" --data-dir "$terminal" play "Extended exhale 4-6" --no-window --mute --minutes 0.5 \
  --heart-rate-from "$RECORDING" >"$work/terminal.out" 2>"$work/terminal.err" &
TERMINAL_PID=$!
started+=("$TERMINAL_PID")

# The window: the same practice, the trace on, no sound device to look for.
start_xvfb
started+=("$XVFB_PID")
window_data="$work/window"
mkdir -p "$window_data"
echo '(safety_note_seen: true, muted: true, heart_strap: (show_trace: true))' >"$window_data/settings.ron"
"$BIN" --data-dir "$window_data" play "Extended exhale 4-6" --mute \
  --heart-rate-from "$RECORDING" >"$work/app.log" 2>&1 &
APP_PID=$!
started+=("$APP_PID")
window=$(wait_for_window downshift 30) || die "no downshift window appeared: $(tail -n 5 "$work/app.log")"
focus_window "$window"
region=$(window_region "$window")

# The first breath ends at 10 s, then the swing shows under the orb: wait, with a deadline,
# until the window reads "swing" (tesseract, on a grey picture three times as large).
shot="$work/heart-live"
deadline=$((SECONDS + 45))
until
  import -window root -crop "$region" -strip "png:$shot.png" &&
    convert "$shot.png" -colorspace gray -resize 300% -negate "$shot-read.png" &&
    tesseract "$shot-read.png" - --psm 6 2>/dev/null | grep -qi "swing"
do
  ((SECONDS < deadline)) || die "the heart's line never showed under the orb (last picture: $shot.png)"
  sleep 1
done
echo "ok: the window shows the heart's line under the orb"
if [[ -n "${SCREENSHOT:-}" ]]; then
  # For the README's picture only: a few breaths of trace drawn (about 26 s in).
  sleep 14
  import -window root -crop "$region" -strip "png:$SCREENSHOT"
  # Smaller, losslessly, where Debian's optipng is installed.
  if command -v optipng >/dev/null; then optipng -quiet -o2 -strip all "$SCREENSHOT"; fi
  echo "saved $SCREENSHOT"
fi
# Esc ends the session; its record is written at once (the summary follows).
focus_window "$window"
deadline=$((SECONDS + 20))
until grep -q "heart:" "$window_data/history.log" 2>/dev/null; do
  ((SECONDS < deadline)) || die "Esc did not end the session: $(tail -n 5 "$work/app.log")"
  xdotool key Escape
  sleep 1
done
grep -q "heart: (mean_heart_rate: " "$window_data/history.log" ||
  die "the window's session was not recorded with its heart: $(cat "$window_data/history.log")"
echo "ok: the window's session is recorded with the heart"
xdotool key ctrl+q
wait_for_exit "$APP_PID" 15 || die "the window did not quit on Ctrl+Q"
[[ "$EXIT_CODE" == 0 ]] || die "the window exited with $EXIT_CODE: $(tail -n 5 "$work/app.log")"

wait_for_exit "$TERMINAL_PID" 30 || die "the terminal session did not end: $(cat "$work/terminal.out")"
[[ "$EXIT_CODE" == 0 ]] || die "play --no-window exited with $EXIT_CODE: $(cat "$work/terminal.err")"
out="$work/terminal.out"
grep -qE '^00:(0|1)[0-9]  heart [0-9]+ a minute, swing [0-9.]+ a breath' "$out" ||
  die "no heart line at a breath's end: $(cat "$out")"
lines=$(grep -c '  heart ' "$out")
[[ "$lines" -le 1 ]] || die "$lines heart lines in half a minute: at most one every 30 s"
grep -qE '^Heart [0-9.]+ a minute on average, swing [0-9.]+ a breath, RMSSD [0-9.]+ ms; [0-9]+ beats kept' "$out" ||
  die "no heart summary after the session: $(cat "$out")"
grep -q "heart beats from resonance-5.5.rr" "$work/terminal.err" ||
  die "the source was not named: $(cat "$work/terminal.err")"
"$BIN" --data-dir "$terminal" history --format json >"$work/history.json" 2>"$work/history.err"
[[ ! -s "$work/history.err" ]] || die "history problems: $(cat "$work/history.err")"
raw=$(ls "$terminal"/heart/*.rr 2>/dev/null | head -n1)
[[ -n "$raw" ]] || die "no raw interval file in $terminal/heart"
python3 - "$work/history.json" "$raw" "$RECORDING" <<'PY'
import json, sys
records = json.load(open(sys.argv[1]))
assert len(records) == 1, records
r = records[0]
assert r["outcome"] == "completed", r
assert 60 <= r["mean_heart_rate"] <= 70, r
assert r["mean_swing"] is not None and r["rmssd"] is not None, r
def intervals(path):
    return [float(l.split("#")[0]) for l in open(path) if l.split("#")[0].strip()]
raw, recording = intervals(sys.argv[2]), intervals(sys.argv[3])
assert sys.argv[2].endswith(r["id"] + ".rr"), (sys.argv[2], r["id"])
assert raw == recording[: len(raw)], "the raw file holds the intervals as they came"
assert r["clean_beats"] + r["dropped_beats"] == len(raw), (r, len(raw))
print(f"ok: the record keeps {r['mean_heart_rate']} a minute, swing {r['mean_swing']}, "
      f"{r['clean_beats']} beats kept; {len(raw)} raw intervals in {sys.argv[2].split('/')[-1]}")
PY
echo "ok: the terminal printed $(grep -c '  heart ' "$out") heart line and the summary"
echo "e2e heart: 1 passed, 0 failed"
