#!/usr/bin/env bash
# End-to-end smoke test of the real release binary under Xvfb, with an empty data folder:
# start the default practice from the keyboard, see the breath orb move, end with Esc, quit,
# and find exactly one well-formed record, marked as ended early, in the history.
# Takes a screenshot of the session in its temporary folder; with SCREENSHOT=FILE, also saves
# it there (`make screenshot` refreshes docs/screenshot.png, the README's picture, that way).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-x11.sh

BIN=${BIN:-target/release/downshift}
[[ -x "$BIN" ]] || die "$BIN is not built: run cargo build --release"
work=$(mktemp -d)
data="$work/data"
trap 'kill "${APP_PID:-}" "${XVFB_PID:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
private_environment "$work/env"

start_xvfb
# The practice offered first depends on the time of day; pin it, so the test is the same at
# every hour: the evening wind-down.
mkdir -p "$data"
echo '(time_slots: [(from: "00:00", practice: "Evening wind-down", reason: "the test")])' >"$data/settings.ron"
DOWNSHIFT_REPORT_FIRST_FRAME=1 "$BIN" --data-dir "$data" >"$work/app.log" 2>&1 &
APP_PID=$!
window=$(wait_for_window downshift 30) || die "no downshift window appeared"
echo "window $window on $DISPLAY"
focus_window "$window"
wait_for_line "first frame after" "$work/app.log" 30 || die "no first frame: $(tail -n 5 "$work/app.log")"
eval "$(xdotool getwindowgeometry --shell "$window")"
screen="${WIDTH}x${HEIGHT}+${X}+${Y}"
wait_for_still "$screen" || die "the home screen does not settle"

# Space starts the selected (default) practice: the evening wind-down. Being the first session,
# the safety note comes first (Enter begins); then it asks how tense you feel (7), then opens
# with a 30-second settling prompt; S skips that, so the breathing orb is on screen.
press_and_wait space "$screen" || die "Space did not start the practice"
wait_for_still "$screen" || die "no safety note after Space"
import -window root -crop "$screen" -strip "png:$work/safety.png"
[[ -n "${SHOTS:-}" ]] && cp "$work/safety.png" "$SHOTS/safety.png"
press_and_wait Return "$screen" || die "Enter on the safety note did not go on"
wait_for_still "$screen" || die "no tension question after the safety note"
grep -q "safety_note_seen: true" "$data/settings.ron" || die "the safety note was not marked as read"
press_and_wait 7 "$screen" || die "the tension rating was not taken"
press_and_wait s "$screen" || die "S did not skip the settling prompt"
skipped_at=$(date +%s.%N)

# The orb sits in the top middle of the window: it must move.
orb="360x330+$((X + WIDTH / 2 - 180))+$((Y + 60))"
grab "$orb" "$work/orb-1.rgb"
wait_for_change "$orb" "$work/orb-1.rgb" 5 || die "the breath orb did not move"
echo "ok: the orb animates"
# Some breathing, for the record to show (and the orb, well into an inhale, for the picture).
sleep 3
import -window root -crop "$screen" -strip "png:$work/screenshot.png"
if [[ -n "${SCREENSHOT:-}" ]]; then
  cp "$work/screenshot.png" "$SCREENSHOT"
  echo "saved $SCREENSHOT"
fi

# Esc ends the session; it asks again (4), then shows the summary.
ended_at=$(date +%s.%N)
xdotool key Escape
wait_for_still "$screen" || die "Esc did not end the session"
press_and_wait 4 "$screen" || die "the second tension rating was not taken"
wait_for_still "$screen" || die "no summary after the rating"
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
python3 - "$work/history.json" "$skipped_at" "$ended_at" <<'PY'
import json, sys
records = json.load(open(sys.argv[1]))
# At least the breathing between the keys S and Esc (less a little for when each was seen).
breathed_at_least = float(sys.argv[3]) - float(sys.argv[2]) - 0.5
assert len(records) == 1, records
r = records[0]
assert r["practice"] == "Evening wind-down", r
assert r["outcome"] == "ended early", r
assert r["ended_at_step"] == 2, r
assert r["breathed_seconds"] >= breathed_at_least, (breathed_at_least, r)
assert (r["tension_before"], r["tension_after"]) == (7, 4), r
print(f"ok: one record, ended early at step {r['ended_at_step']}, {r['breathed_seconds']} s breathed")
PY
mode=$(stat -c %a "$data/history.log")
[[ "$mode" == 600 ]] || die "history.log is readable by others (mode $mode)"
echo "e2e smoke: 1 passed, 0 failed"
