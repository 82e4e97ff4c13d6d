#!/usr/bin/env bash
# End-to-end test of one copy at a time with the release binary, under Xvfb with a window
# manager (openbox: it minimises and restores windows as a desktop's does) and a private session
# bus:
#   - the window is titled "downshift" and carries the app id (WM_CLASS) and icon (_NET_WM_ICON)
#     that its launcher names;
#   - starting downshift again while it runs, minimised, brings its window back and exits 0,
#     with no second window; so does a start while the window is still opening;
#   - terminal commands (play --no-window --mute, presets, history) run beside it;
#   - `play NAME` with a window while it runs says it was not started there (exit 1);
#   - two starts at the same moment make one window;
#   - without a session bus every start opens its window (single copy is off, said at info).
# Every wait is on something that can be seen (a window, its state, a process, a log line),
# with a time-out. Only processes this script started are ended, by their pid.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-x11.sh
need dbus-daemon openbox xprop xwininfo timeout

BIN=${BIN:-target/release/downshift}
[[ -x "$BIN" ]] || die "$BIN is not built: run make build"
APP_ID=io.github.downshift.Downshift
CLASS="^${APP_ID//./\\.}\$"
work=$(mktemp -d)
started=()
trap 'end_started; rm -rf "$work"' EXIT
private_environment "$work/env"
passed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }

start_xvfb
started+=("$XVFB_PID")
openbox --sm-disable >"$work/openbox.log" 2>&1 &
started+=($!)
for _ in $(seq 100); do
  xprop -root _NET_SUPPORTING_WM_CHECK 2>/dev/null | grep -q "window id" && break
  sleep 0.1
done
xprop -root _NET_SUPPORTING_WM_CHECK | grep -q "window id" || die "openbox did not start: $(cat "$work/openbox.log")"

dbus-daemon --config-file=tests/fixtures/private-bus.conf --nofork --print-address=3 3>"$work/bus" 2>"$work/bus.err" &
started+=($!)
wait_for_line "unix:" "$work/bus" 5 || die "dbus-daemon did not start: $(cat "$work/bus.err")"
export DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$work/bus")

# Starts the window on data folder $1, its output in $2; sets STARTED_PID.
start_copy() {
  RUST_LOG=info "$BIN" --data-dir "$1" >"$2" 2>&1 &
  STARTED_PID=$!
  started+=("$STARTED_PID")
}

# The ids of downshift's windows, mapped or not, one a line.
windows() { xdotool search --class "$CLASS" 2>/dev/null || true; }

# Waits up to 30 s for a visible downshift window and prints its id.
wait_for_visible() {
  timeout 30 xdotool search --sync --onlyvisible --class "$CLASS" 2>/dev/null | head -n1
}

# Waits up to $3 s (default 10) for window $1's map state to be $2 (IsViewable, IsUnMapped).
wait_for_map_state() {
  local window=$1 state=$2 deadline=$((SECONDS + ${3:-10}))
  until xwininfo -id "$window" 2>/dev/null | grep -q "Map State: $state"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

# Ends copy $1 as the desktop does at logout (SIGTERM) and checks it left cleanly.
end_copy() {
  kill -TERM "$1"
  wait_for_exit "$1" 15 || die "copy $1 did not leave on SIGTERM"
  [[ "$EXIT_CODE" == 0 ]] || die "copy $1 left with $EXIT_CODE"
}

# --- the window names itself as its launcher does ---------------------------------------------
data="$work/data"
mkdir -p "$data"
start_copy "$data" "$work/first.log"
FIRST=$STARTED_PID
window=$(wait_for_visible) || die "no downshift window appeared: $(tail -n 5 "$work/first.log")"
[[ -n "$window" ]] || die "no downshift window appeared: $(tail -n 5 "$work/first.log")"
[[ "$(xdotool getwindowname "$window")" == downshift ]] || die "the window is titled \"$(xdotool getwindowname "$window")\""
wm_class=$(xprop -id "$window" WM_CLASS)
[[ "$wm_class" == *"\"$APP_ID\"" ]] || die "WM_CLASS is $wm_class"
[[ "$(xprop -id "$window" _NET_WM_PID)" == *"= $FIRST" ]] || die "the window is not the first copy's"
icon=$(xprop -id "$window" -notype 32c _NET_WM_ICON)
[[ "$icon" =~ ^_NET_WM_ICON\ =\ 128,\ 128, ]] || die "_NET_WM_ICON is not a 128 × 128 icon: ${icon:0:200}"
ok "the window is titled downshift, its WM_CLASS is $APP_ID (as the launcher's StartupWMClass) and it carries a 128 px icon"

# --- a second start brings the minimised window back ----------------------------------------
xdotool windowminimize "$window"
wait_for_map_state "$window" IsUnMapped || die "openbox did not minimise the window"
start_copy "$data" "$work/second.log"
SECOND_COPY=$STARTED_PID
wait_for_exit "$SECOND_COPY" 15 || die "the second start did not leave: $(cat "$work/second.log")"
[[ "$EXIT_CODE" == 0 ]] || die "the second start exited with $EXIT_CODE: $(cat "$work/second.log")"
grep -q "already running; its window was brought to the front" "$work/second.log" || die "the second start said: $(cat "$work/second.log")"
wait_for_map_state "$window" IsViewable || die "the running copy's window did not come back: $(tail -n 5 "$work/first.log")"
grep -q "another start of downshift asked for the window" "$work/first.log" || die "the running copy did not hear the second start"
kill -0 "$FIRST" 2>/dev/null || die "the running copy is gone"
[[ "$(windows | wc -l)" == 1 ]] || die "there are $(windows | wc -l) downshift windows"
ok "a second start brings the minimised window back, exits 0, and opens no second window"

# --- terminal commands run beside it --------------------------------------------------------
timeout 60 "$BIN" --data-dir "$data" play "Extended exhale 4-6" --no-window --mute --minutes 0.05 >"$work/play.out" 2>"$work/play.err" \
  || die "play --no-window beside the window failed: $(cat "$work/play.err")"
grep -q "Extended exhale 4-6" "$work/play.out" || die "play --no-window printed: $(cat "$work/play.out")"
timeout 30 "$BIN" --data-dir "$data" presets list >"$work/presets.txt" || die "presets list beside the window failed"
grep -q $'^Extended exhale 4-6\t' "$work/presets.txt" || die "presets list printed: $(cat "$work/presets.txt")"
timeout 30 "$BIN" --data-dir "$data" history --format csv >"$work/history.csv" || die "history beside the window failed"
grep -q "Extended exhale 4-6,.*,completed," "$work/history.csv" || die "the terminal session is not in the history: $(cat "$work/history.csv")"
[[ "$(windows | wc -l)" == 1 ]] || die "a terminal command opened a window"
ok "play --no-window --mute, presets list and history run beside the window (and the session is recorded)"

# --- play NAME with a window, while it runs ----------------------------------------------------
status=0
timeout 30 "$BIN" --data-dir "$data" play "Night 3-7" >"$work/play-window.out" 2>&1 || status=$?
[[ "$status" == 1 ]] || die "play NAME while the window runs exited with $status: $(cat "$work/play-window.out")"
grep -q "\"Night 3-7\" was not started there" "$work/play-window.out" || die "play NAME said: $(cat "$work/play-window.out")"
[[ "$(windows | wc -l)" == 1 ]] || die "play NAME opened a second window"
ok "play NAME while the window runs brings it up and says the practice was not started (exit 1)"

end_copy "$FIRST"

# --- a start while the window is still opening --------------------------------------------------
data2="$work/data2"
mkdir -p "$data2"
start_copy "$data2" "$work/opening.log"
OPENING=$STARTED_PID
# The first copy owns the name before its window exists: wait for that, not for the window.
wait_for_line "single copy: this copy owns" "$work/opening.log" 10 || die "the first copy did not take the name: $(cat "$work/opening.log")"
start_copy "$data2" "$work/early.log"
EARLY=$STARTED_PID
wait_for_exit "$EARLY" 20 || die "the early second start did not leave: $(cat "$work/early.log")"
window=$(wait_for_visible) || die "no window: $(tail -n 5 "$work/opening.log")"
case "$EXIT_CODE" in
  0) grep -q "already running" "$work/early.log" || die "the early start said: $(cat "$work/early.log")" ;;
  *) die "the early second start exited with $EXIT_CODE: $(cat "$work/early.log")" ;;
esac
[[ "$(windows | wc -l)" == 1 ]] || die "there are $(windows | wc -l) windows after an early second start"
end_copy "$OPENING"
ok "a second start while the first window is still opening leaves (exit 0) and one window opens"

# --- two starts at the same moment ------------------------------------------------------------
data3="$work/data3"
mkdir -p "$data3"
start_copy "$data3" "$work/a.log"
A=$STARTED_PID
start_copy "$data3" "$work/b.log"
B=$STARTED_PID
deadline=$((SECONDS + 20))
while kill -0 "$A" 2>/dev/null && kill -0 "$B" 2>/dev/null; do
  ((SECONDS < deadline)) || die "neither of two starts at once left: $(tail -n 3 "$work/a.log") / $(tail -n 3 "$work/b.log")"
  sleep 0.1
done
if kill -0 "$A" 2>/dev/null; then winner=$A loser=$B; else winner=$B loser=$A; fi
wait_for_exit "$loser" 5 || die "the second of two starts did not leave"
[[ "$EXIT_CODE" == 0 ]] || die "the second of two starts exited with $EXIT_CODE"
window=$(wait_for_visible) || die "no window from two starts at once"
[[ "$(xprop -id "$window" _NET_WM_PID)" == *"= $winner" ]] || die "the window is not the remaining copy's"
[[ "$(windows | wc -l)" == 1 ]] || die "two starts at once made $(windows | wc -l) windows"
end_copy "$winner"
ok "two starts at the same moment make one window; the other start exits 0"

# --- no session bus: every start runs ------------------------------------------------------------
export DBUS_SESSION_BUS_ADDRESS="unix:path=$work/no-bus"
data4="$work/data4"
mkdir -p "$data4"
start_copy "$data4" "$work/alone1.log"
ALONE1=$STARTED_PID
start_copy "$data4" "$work/alone2.log"
ALONE2=$STARTED_PID
for log in "$work/alone1.log" "$work/alone2.log"; do
  wait_for_line "single copy is off" "$log" 20 || die "no word that single copy is off: $(cat "$log")"
done
deadline=$((SECONDS + 30))
until [[ "$(xdotool search --onlyvisible --class "$CLASS" 2>/dev/null | wc -l)" == 2 ]]; do
  ((SECONDS < deadline)) || die "without a bus, two starts did not make two windows"
  sleep 0.2
done
end_copy "$ALONE1"
end_copy "$ALONE2"
ok "without a session bus each start opens its window, and says at info that single copy is off"

echo "e2e single copy: $passed passed, 0 failed"
