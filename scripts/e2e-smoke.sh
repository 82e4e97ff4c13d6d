#!/usr/bin/env bash
# End-to-end smoke test of the real release binary under Xvfb, with an empty data folder:
# start the default practice from the keyboard, see the breath orb move, end with Esc, quit,
# and find exactly one well-formed record, marked as ended early, in the history.
# Saves docs/screenshot.png (the README's picture).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-x11.sh

BIN=${BIN:-target/release/downshift}
[[ -x "$BIN" ]] || die "$BIN is not built: run cargo build --release"
work=$(mktemp -d)
data="$work/data"
trap 'kill "${APP_PID:-}" "${XVFB_PID:-}" 2>/dev/null || true; rm -rf "$work"' EXIT

start_xvfb
# The practice offered first depends on the time of day; pin it, so the test is the same at
# every hour: the evening wind-down.
mkdir -p "$data"
echo '(time_slots: [(from: "00:00", practice: "Evening wind-down", reason: "the test")])' >"$data/settings.ron"
"$BIN" --data-dir "$data" >"$work/app.log" 2>&1 &
APP_PID=$!
window=$(wait_for_window downshift 30) || die "no downshift window appeared"
echo "window $window on $DISPLAY"
focus_window "$window"
# The first frames may still be on their way.
sleep 1

# Space starts the selected (default) practice: the evening wind-down. First it asks how tense
# you feel (7), then opens with a 30-second settling prompt; S skips that, so the breathing orb
# is on screen.
xdotool key space
sleep 1
xdotool key 7
sleep 2
xdotool key s
sleep 10

# The orb sits in the top middle of the window: two pictures of it a second apart must differ.
orb="360x330+180+60"
import -window root -crop "$orb" -depth 8 "rgb:$work/orb-1.rgb"
sleep 1
import -window root -crop "$orb" -depth 8 "rgb:$work/orb-2.rgb"
if cmp -s "$work/orb-1.rgb" "$work/orb-2.rgb"; then
  die "the breath orb did not move between two screenshots a second apart"
fi
echo "ok: the orb animates"
mkdir -p docs
import -window root -crop 720x760+0+0 -strip "png:docs/screenshot.png"
echo "saved docs/screenshot.png"

# Esc ends the session; it asks again (4), then shows the summary.
xdotool key Escape
sleep 1
xdotool key 4
sleep 1
xdotool key ctrl+q
wait_for_exit "$APP_PID" 15 || die "the app did not quit on Ctrl+Q"
[[ "$EXIT_CODE" == 0 ]] || die "the app exited with $EXIT_CODE: $(tail -n 5 "$work/app.log")"
echo "ok: quit with exit code 0"

grep -qi "panick" "$work/app.log" && die "a panic message reached the user: $(cat "$work/app.log")"
[[ -f "$data/history.log" ]] || die "no history.log was written"
lines=$(wc -l <"$data/history.log")
[[ "$lines" == 1 ]] || die "history.log holds $lines lines, not 1"
# Read it back with the app itself: it reports any line it cannot parse on stderr.
"$BIN" --data-dir "$data" history --format json >"$work/history.json" 2>"$work/history.err"
[[ ! -s "$work/history.err" ]] || die "history problems: $(cat "$work/history.err")"
python3 - "$work/history.json" <<'PY'
import json, sys
records = json.load(open(sys.argv[1]))
assert len(records) == 1, records
r = records[0]
assert r["practice"] == "Evening wind-down", r
assert r["outcome"] == "ended early", r
assert r["ended_at_step"] == 2, r
assert r["breathed_seconds"] >= 9, r
assert (r["tension_before"], r["tension_after"]) == (7, 4), r
print(f"ok: one record, ended early at step {r['ended_at_step']}, {r['breathed_seconds']} s breathed")
PY
mode=$(stat -c %a "$data/history.log")
[[ "$mode" == 600 ]] || die "history.log is readable by others (mode $mode)"
echo "e2e smoke: 1 passed, 0 failed"
