#!/usr/bin/env bash
# End-to-end test of a reminder in the real release binary: with the transition reminder set to
# this minute, the app asks the desktop for a notification with Start and Later (seen on a
# private D-Bus), and from the keyboard alone, Tab then Enter starts the ritual it names.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-x11.sh
need dbus-daemon dbus-monitor python3

BIN=${BIN:-target/release/downshift}
[[ -x "$BIN" ]] || die "$BIN is not built: run cargo build --release"
work=$(mktemp -d)
data="$work/data"
trap 'kill "${APP_PID:-}" "${MONITOR_PID:-}" "${BUS_PID:-}" "${XVFB_PID:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
private_environment "$work/env"

start_xvfb
# A private session bus with no notification service on it, and none it could start: the
# app's request is seen by the monitor, goes unanswered, and the app falls back to its window.
dbus-daemon --config-file=tests/fixtures/private-bus.conf --nofork --print-address=3 3>"$work/bus" 2>"$work/bus.err" &
BUS_PID=$!
wait_for_line "unix:" "$work/bus" 5 || die "dbus-daemon did not start: $(cat "$work/bus.err")"
export DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$work/bus")
dbus-monitor --address "$DBUS_SESSION_BUS_ADDRESS" "interface='org.freedesktop.Notifications'" >"$work/monitor.log" 2>&1 &
MONITOR_PID=$!
# The monitor is listening once the bus has told it its name.
wait_for_line "NameAcquired\|NameLost" "$work/monitor.log" 5 || die "dbus-monitor did not start: $(cat "$work/monitor.log")"

mkdir -p "$data"
# Just before midnight "this minute" could be tomorrow's by the time the app looks: wait it out.
while [[ "$(date +%H%M)" > 2357 ]]; do sleep 5; done
# Due now: the transition time is this very minute (local time, as the app reads it).
echo "(ask_tension: false, safety_note_seen: true, reminders: (transition: true, transition_at: \"$(date +%H:%M)\", workdays_only: false))" >"$data/settings.ron"
RUST_LOG=info "$BIN" --data-dir "$data" >"$work/app.log" 2>&1 &
APP_PID=$!
window=$(wait_for_window downshift 30) || die "no downshift window appeared"
focus_window "$window"
screen=$(window_region "$window")

wait_for_line "Time to leave the day behind" "$work/monitor.log" 30 || true
python3 - "$work/monitor.log" <<'PY'
import sys
log = open(sys.argv[1]).read()
assert "member=Notify" in log, log
for text in ('string "downshift"', 'string "Work to home"', 'Time to leave the day behind?',
             'string "start"', 'string "Start"', 'string "later"', 'string "Later"'):
    assert text in log, f"{text} not in the notification request:\n{log}"
print("ok: a desktop notification was asked for, with Start and Later")
PY
wait_for_line "raising the window" "$work/app.log" 30 || die "no fallback to the window: $(tail -n 5 "$work/app.log")"
echo "ok: with no notification service, the window itself comes up"
wait_for_still "$screen" || die "the reminder card does not settle"

# Tab reaches the reminder's first button; Enter presses it: the ritual begins.
press_and_wait Tab "$screen" || die "Tab did not reach the reminder's button"
press_and_wait Return "$screen" || die "Enter did not start the ritual"
# Running, its clock ticks; Esc ends it and the summary stands still.
grab "$screen" "$work/running.rgb"
wait_for_change "$screen" "$work/running.rgb" 5 || die "the ritual is not running"
xdotool key Escape
wait_for_still "$screen" || die "Esc did not end the ritual"
xdotool key ctrl+q
wait_for_exit "$APP_PID" 15 || die "the app did not quit on Ctrl+Q"
[[ "$EXIT_CODE" == 0 ]] || die "the app exited with $EXIT_CODE: $(tail -n 5 "$work/app.log")"
"$BIN" --data-dir "$data" history --format json >"$work/history.json"
python3 - "$work/history.json" <<'PY'
import json, sys
records = json.load(open(sys.argv[1]))
assert [r["practice"] for r in records] == ["Work to home"], records
print("ok: Start began the work-to-home ritual, and it was recorded")
PY
echo "e2e reminder: 1 passed, 0 failed"
