#!/usr/bin/env bash
# End-to-end test with a real screen reader: Orca (46 or newer, the first to speak AT-SPI
# announcements; Debian 12 has it from bookworm-backports, see scripts/ensure-deps.sh) reads the
# release binary's window under Xvfb. Everything is private: a session bus, the accessibility
# bus (at-spi-bus-launcher, at-spi2-registryd) with org.a11y.Status IsEnabled and
# ScreenReaderEnabled on (as Orca sets them), a speech-dispatcher on its own socket whose only
# output module is the dummy one (tests/fixtures/orca/speechd.conf), Orca's settings folder (a
# first start: Orca 48 has no first-run wizard) and the XDG folders. What Orca says is read from
# its debug log, where every utterance is a "SPEECH OUTPUT:" line.
# The tour, from the keyboard (xdotool, to the focused window; no window manager): the window is
# read as "downshift frame"; home is announced; Tab takes the focus to the chosen practice; Down
# chooses Extended exhale 4-6, read in its list ("Breathing, 7 practices List with 7 items") as
# selected; Space starts it, announced with its length and first phase; a later phase; Space
# pauses ("Paused") and resumes ("Resumed. ..."); Esc ends it, the summary is announced; Escape
# goes home; Tab goes round to Settings, Enter opens it ("Settings"), Escape goes back; a
# session that opens with a prompt is announced with its words and no seconds are read out.
# The chosen practice is pinned (settings.ron's time_slots) so the tour is the same at any hour.
# A step that fails is counted and the tour goes on; at the end come Orca's utterances and, for
# each announcement the app made, what Orca did with it (tests/fixtures/orca/announcements.py).
# Every wait is on something that can be seen (a bus name, a socket, a window, a line in Orca's
# log), with a time-out. Only processes this script started are ended, by pid. Orca refuses to
# run beside another Orca of the same user, so this test runs alone.
# E2E_KEEP=DIR keeps Orca's debug log and the other logs there.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-x11.sh
need Xvfb xdotool dbus-daemon dbus-send orca speech-dispatcher script pgrep python3

BIN=${BIN:-target/release/downshift}
[[ -x "$BIN" ]] || die "$BIN is not built: run make build"
LAUNCHER=/usr/libexec/at-spi-bus-launcher
[[ -x "$LAUNCHER" ]] || die "at-spi-bus-launcher is missing: run scripts/ensure-deps.sh test"
[[ -x /usr/lib/speech-dispatcher-modules/sd_dummy ]] || die "speech-dispatcher's dummy module is missing: run scripts/ensure-deps.sh test"
FIXTURES=tests/fixtures/orca

work=$(mktemp -d)
started=()
# As lib-x11.sh's end_started, waiting for each to be gone before the next (Orca and its buses
# must go in order).
end_started() {
  local running pid
  running=" $(jobs -p | tr '\n' ' ') ${ORCA_PID:-} "
  for ((i = ${#started[@]} - 1; i >= 0; i--)); do
    pid=${started[i]}
    [[ "$running" == *" $pid "* ]] || continue
    kill "$pid" 2>/dev/null || true
    # Each one gone before the next (the buses and the display last).
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
}
keep() {
  [[ -n "${E2E_KEEP:-}" ]] || return 0
  mkdir -p "$E2E_KEEP"
  cp "$work"/*.log "$work"/*.png "$work"/speechd/*.log "$E2E_KEEP"/ 2>/dev/null || true
}
trap 'keep; end_started; rm -rf "$work"' EXIT
private_environment "$work/env"
# No home, settings store or session manager of the machine's: GTK, GLib and Orca keep to the
# folders here.
export HOME="$work/home" GSETTINGS_BACKEND=memory GIO_USE_VFS=local LANG=C.UTF-8 LC_ALL=C.UTF-8
unset SESSION_MANAGER LANGUAGE WAYLAND_DISPLAY AT_SPI_BUS_ADDRESS NO_AT_BRIDGE
mkdir -p "$HOME"
passed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }

start_xvfb
started+=("$XVFB_PID")
# Orca 46 is the first to present AT-SPI announcements (object:announcement); it wants a display
# even to say its version.
version=$(orca --version 2>/dev/null | sed -n 's/^Orca version \([0-9.]*\).*/\1/p' | head -n1)
[[ -n "$version" ]] || die "orca --version said nothing"
((${version%%.*} >= 46)) || die "Orca $version is too old (46 or newer presents announcements): run scripts/ensure-deps.sh test"
echo "Orca $version on $DISPLAY"
pgrep -u "$(id -u)" -x orca >/dev/null && die "another Orca runs as this user; Orca refuses to start a second one"

dbus-daemon --config-file=tests/fixtures/private-bus.conf --nofork --print-address=3 3>"$work/bus" 2>"$work/bus.err" &
started+=($!)
wait_for_line "unix:" "$work/bus" 5 || die "dbus-daemon did not start: $(cat "$work/bus.err")"
export DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$work/bus")

# Is name $1 owned on the session bus?
owned() {
  dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.NameHasOwner "string:$1" 2>/dev/null | grep "boolean true" >/dev/null
}
wait_for_name() {
  local deadline=$((SECONDS + ${2:-10}))
  until owned "$1"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

# The accessibility bus, with accessibility and the screen reader on.
"$LAUNCHER" --launch-immediately --a11y=1 --screen-reader=1 >"$work/at-spi.log" 2>&1 &
started+=($!)
wait_for_name org.a11y.Bus 10 || die "at-spi-bus-launcher did not start: $(cat "$work/at-spi.log")"
a11y_property() {
  dbus-send --session --print-reply --dest=org.a11y.Bus /org/a11y/bus \
    org.freedesktop.DBus.Properties.Get string:org.a11y.Status "string:$1" 2>/dev/null | grep -o "boolean [a-z]*"
}
set_a11y_property() {
  dbus-send --session --print-reply --dest=org.a11y.Bus /org/a11y/bus \
    org.freedesktop.DBus.Properties.Set string:org.a11y.Status "string:$1" variant:boolean:true >/dev/null
}
set_a11y_property IsEnabled
set_a11y_property ScreenReaderEnabled
[[ "$(a11y_property IsEnabled)" == "boolean true" ]] || die "org.a11y.Status IsEnabled is not true"
[[ "$(a11y_property ScreenReaderEnabled)" == "boolean true" ]] || die "org.a11y.Status ScreenReaderEnabled is not true"
A11Y_ADDRESS=$(dbus-send --session --print-reply=literal --dest=org.a11y.Bus /org/a11y/bus org.a11y.Bus.GetAddress | tr -d ' ')
[[ "$A11Y_ADDRESS" == unix:* ]] || die "the accessibility bus has no address: $A11Y_ADDRESS"
# The registry, which every reader and application asks first.
AT_SPI_BUS_ADDRESS="$A11Y_ADDRESS" /usr/libexec/at-spi2-registryd >"$work/registryd.log" 2>&1 &
started+=($!)
wait_for_line "running with well-known name" "$work/registryd.log" 10 ||
  die "at-spi2-registryd did not take its name: $(cat "$work/registryd.log")"
ok "the accessibility bus runs, with IsEnabled and ScreenReaderEnabled true"

# speech-dispatcher, with the dummy module only, on its own socket.
mkdir -p "$XDG_CONFIG_HOME/speech-dispatcher" "$work/speechd"
cp "$FIXTURES/speechd.conf" "$XDG_CONFIG_HOME/speech-dispatcher/speechd.conf"
speechd_socket="$XDG_RUNTIME_DIR/speech-dispatcher/speechd.sock"
mkdir -p "$(dirname "$speechd_socket")"
speech-dispatcher --run-single --timeout 0 --config-dir "$XDG_CONFIG_HOME/speech-dispatcher" \
  --communication-method unix_socket --socket-path "$speechd_socket" \
  --pid-file "$work/speechd/pid" --log-dir "$work/speechd" >"$work/speechd.log" 2>&1 &
started+=($!)
for _ in $(seq 100); do [[ -S "$speechd_socket" ]] && break; sleep 0.1; done
[[ -S "$speechd_socket" ]] || die "speech-dispatcher made no socket: $(cat "$work/speechd.log")"
# It says so on its standard error or in its log file, whichever it has opened by then (0.11.4
# starts its modules before it opens the file).
dummy_started() {
  grep -q "Module dummy started successfully" "$work/speechd.log" "$work/speechd/speech-dispatcher.log" 2>/dev/null
}
for _ in $(seq 100); do dummy_started && break; sleep 0.1; done
dummy_started ||
  die "speech-dispatcher did not start its dummy module: $(tail -n 5 "$work/speechd.log" "$work/speechd/speech-dispatcher.log" 2>&1)"
export SPEECHD_ADDRESS="unix_socket:$speechd_socket"

# Orca, with its settings in a folder of its own and everything in its debug log. Its log file
# is written through a buffer; on a terminal it is written line by line, so Orca runs in one
# (script), writing the log to it.
orca_log="$work/orca.log"
mkdir -p "$work/orca-prefs"
script -qfec "exec orca --user-prefs '$work/orca-prefs' --debug-file=/dev/stdout" "$orca_log" </dev/null >/dev/null 2>&1 &
started+=($!)
SCRIPT_PID=$!
for _ in $(seq 50); do
  ORCA_PID=$(pgrep -P "$SCRIPT_PID" -x orca || true)
  [[ -n "$ORCA_PID" ]] && break
  sleep 0.1
done
[[ -n "$ORCA_PID" ]] || die "orca did not start: $(tail -n 20 "$orca_log")"
started+=("$ORCA_PID")

# Orca's log from byte $1 on (0: all of it), without the terminal's carriage returns.
log_from() { tail -c +$((${1:-0} + 1)) "$orca_log" | tr -d '\r'; }
# The utterances in Orca's log from byte $1 on, one a line.
speech() {
  log_from "${1:-0}" | sed -n -E "/SPEECH OUTPUT: '/{s/.*SPEECH OUTPUT: '//; s/' \{'established.*$//; s/'$//; p}"
}
# Starts a step: what Orca says and logs from now on is what the step's checks look at.
mark() { MARK=$(stat -c %s "$orca_log"); }
# (grep reads all it is given, without -q: with pipefail, a grep that stops early fails the
# pipeline that fed it.)
# Waits up to $2 seconds (default 10) for an utterance matching $1 (grep -E) since the mark.
heard() {
  local deadline=$((SECONDS + ${2:-10}))
  until speech "$MARK" | grep -E -- "$1" >/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}
# Where Orca's focus (its "locus of focus") went last since the mark, as its log names it:
# [role: 'name'].
locus() {
  log_from "$MARK" | sed -n -E 's/.*FOCUS MANAGER: Changing locus of focus from .* to (\[.*\])\. Notify: .*/\1/p' | tail -n1
}
# Waits up to $2 seconds for Orca's focus to move to $1 (a fixed string) since the mark.
focus_reaches() {
  local deadline=$((SECONDS + ${2:-5}))
  until log_from "$MARK" | grep -F "Changing locus of focus from" | grep -F -- "to $1. Notify" >/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

MARK=0
heard "Screen reader on" 20 || die "Orca did not start speaking: $(tail -n 20 "$orca_log")"
log_from 0 | grep -F "SPEECH DISPATCHER: Speaking 'Screen reader on" >/dev/null ||
  die "Orca did not speak through speech-dispatcher: $(log_from 0 | grep -i "speech" | tail -n 5)"
ok "Orca $version runs and speaks (through speech-dispatcher's dummy module)"

failed=0
# A step that did not go as it should: said, counted, and the tour goes on (every wait is
# bounded), so that one run tells all that is wrong.
bad() { echo "FAIL: $*" >&2; failed=$((failed + 1)); }
# What Orca did with the app's words $1 (a fixed string) since the mark, when it did not say
# them: whether an announcement event came, and what became of it.
received() {
  local after line
  after=$(log_from "$MARK")
  line=$(grep -nF "EVENT MANAGER: object:announcement for" <<<"$after" | grep -F -- "$1" | head -n1 | cut -d: -f1)
  if [[ -z "$line" ]]; then
    echo "Orca received no object:announcement with \"$1\""
    return
  fi
  echo "Orca received an object:announcement with \"$1\", and then logged: $(sed -n "$line,\$p" <<<"$after" |
    grep -m1 -E "Ignoring defunct object|obsolete|Not processing object:announcement|Ignoring object:announcement|SPEECH OUTPUT: '$1" |
    sed -E 's/^[0-9:.]+ - //; s/ \{.*//')"
}
# Checks that Orca says an utterance matching $1 within $2 seconds; $3 names it, $4 is the
# app's words (for the report when it is not said).
expect() {
  if heard "$1" "$2"; then
    ok "$3"
  else
    bad "$3: not said. ${4:+$(received "$4"). }Orca said since the step: $(speech "$MARK" | tr '\n' '|')"
  fi
}

# downshift, with the safety note read and no tension question. The practice suggested (and so
# chosen) at first depends on the time of day: pinned to Micro-rest reset, the last of the
# rituals, so that Down chooses the first breathing practice, Extended exhale 4-6.
data="$work/data"
mkdir -p "$data"
echo '(safety_note_seen: true, ask_tension: false, time_slots: [(from: "00:00", practice: "Micro-rest reset", reason: "the test")])' >"$data/settings.ron"
mark
tour_from=$MARK
RUST_LOG=info "$BIN" --data-dir "$data" >"$work/app.log" 2>&1 &
APP_PID=$!
started+=("$APP_PID")
window=$(wait_for_window downshift 30) || die "no downshift window appeared"
xdotool windowfocus --sync "$window"
[[ "$(xdotool getwindowfocus)" == "$window" ]] || die "the window did not take the keyboard focus"
key() { xdotool key --window "$window" "$@"; }

expect "^downshift frame$" 20 "the window, focused, is read by its name: \"downshift frame\""
expect "^Home\. Choose a practice\.$" 5 "home is announced" "Home. Choose a practice."

# Tab: Orca's focus goes to the chosen practice. (Read or not: see the note printed.)
mark
key Tab
if focus_reaches "[list item: 'Micro-rest reset · suggested now']" 5; then
  ok "Tab takes the focus to the chosen practice"
  heard "Micro-rest reset" 1 ||
    echo "note: the first Tab was not read: $(log_from "$MARK" | grep -F "Changing locus of focus" | head -n1 | sed -E 's/^[0-9:.]+ - //') (Orca's key echo took the focus from the window silently)"
else
  bad "Tab did not take Orca's focus to the chosen practice; its focus: $(locus)"
fi
# Down: the next practice is chosen and read, in its list, as selected (Orca says "not
# selected" of a row that is not; of the selected one it says nothing).
mark
key Down
if focus_reaches "[list item: 'Extended exhale 4-6']" 5 && heard "^Extended exhale 4-6\.$" 3; then
  ok "Down chooses Extended exhale 4-6, and it is read"
  sleep 0.5
  if speech "$MARK" | grep -A1 -x "Extended exhale 4-6\." | grep -x "not selected\." >/dev/null; then
    bad "the chosen practice is read as not selected: $(speech "$MARK" | tr '\n' '|')"
  else
    ok "the chosen practice is read as selected (not \"not selected\")"
  fi
else
  bad "Down: Extended exhale 4-6 was not read; Orca said: $(speech "$MARK" | tr '\n' '|')"
fi
expect "^Breathing, 7 practices List with 7 items$" 1 "the practices are read as a list, with its name and size"

# Space starts it: its name, length and first phase; then the next phase (4 s on).
mark
key space
expect "^Extended exhale 4-6, 5 minutes\. Breathe in$" 5 "the session's start is read with its length and first phase" "Extended exhale 4-6, 5 minutes. Breathe in"
expect "^Breathe out$" 8 "a later phase is read" "Breathe out"
mark
key space
expect "^Paused$" 5 "Space pauses: \"Paused\"" "Paused"
mark
key space
expect "^Resumed\. Breathe (in|out)$" 5 "Space resumes: \"Resumed\" and the phase" "Resumed."
mark
key Escape
expect "^Session ended\. Extended exhale 4-6\. Ended early, " 5 "Esc ends it and the summary is read" "Session ended. Extended exhale 4-6."
mark
key Escape
expect "^Home\. Choose a practice\.$" 5 "Escape goes home, and it is read" "Home. Choose a practice."

# Settings: Tab to its button (there is no key for it), one Tab at a time, each taken by Orca
# before the next; once round the ring at most, back to where it began.
# Presses $1 and waits (up to 2 s) for Orca's focus to move; sets AT to where it went.
step_focus() {
  mark
  key "$1"
  for _ in $(seq 40); do
    [[ -n "$(locus)" ]] && break
    sleep 0.05
  done
  sleep 0.3
  AT=$(locus)
}
found=false
ring=()
for _ in $(seq 40); do
  step_focus Tab
  [[ "$AT" == "[button: 'Settings']" ]] && { found=true; break; }
  [[ -n "$AT" && ${#ring[@]} -gt 0 && "$AT" == "${ring[0]}" ]] && break
  ring+=("$AT")
done
if $found && heard "^Settings button\.$" 2; then
  ok "Tab reaches the Settings button, read as a button"
elif $found; then
  bad "the Settings button has the focus but was not read: $(speech "$MARK" | tr '\n' '|')"
else
  bad "Tab goes round without reaching Settings; its ring: ${ring[*]}"
  # Shift+Tab, the other way round, for the rest of the tour.
  for _ in $(seq 40); do
    step_focus shift+Tab
    [[ "$AT" == "[button: 'Settings']" ]] && { found=true; break; }
  done
  $found && echo "note: Shift+Tab reached the Settings button" || bad "Shift+Tab did not reach Settings either"
fi
if $found; then
  mark
  key Return
  expect "^Settings$" 5 "Enter opens Settings, and it is announced" "Settings"
  mark
  key Escape
  expect "^Home\. Choose a practice\.$" 5 "Escape leaves Settings for home, and it is read" "Home. Choose a practice."
fi
# Rows not chosen are read "not selected" (so the chosen one, read without it, is selected).
if speech "$tour_from" | grep -A1 -E "^(Extended exhale 4-8|Cyclic sighing|Resonance 5-5)\.$" | grep -x "not selected\." >/dev/null; then
  ok "a practice not chosen is read as \"not selected\""
else
  bad "no practice was read as \"not selected\" as Tab went by"
fi

# What a countdown read aloud would sound like: a number alone ("19"), a clock ("0:19") or
# seconds ("19 seconds"). The check is shown each first, so it cannot pass by missing them.
countdown='^[0-9]+$|[0-9]+:[0-9]{2}|(^|[^0-9])[0-9]+ seconds?([^a-z]|$)'
for sample in "19" "0:19" "19 seconds" "Breathe out. 1 second"; do
  grep -E -- "$countdown" <<<"$sample" >/dev/null || die "the countdown check would miss '$sample'"
done
grep -E -- "$countdown" <<<"Micro-rest reset, 2 minutes. Let your shoulders drop." >/dev/null \
  && die "the countdown check would refuse the start's own words"

# A prompt: Up chooses Micro-rest reset, Space starts it with its 20-second prompt; for 4
# seconds of it nothing like a countdown is read, and nothing with a number in it but the
# start's own words ("Micro-rest reset, 2 minutes. …").
mark
key Up
focus_reaches "[list item: 'Micro-rest reset · suggested now']" 3 || true
mark
key space
expect "^Micro-rest reset, 2 minutes\. Let your shoulders drop and your jaw unclench\.$" 5 "a session that opens with a prompt is read with the prompt's words" "Micro-rest reset, 2 minutes."
sleep 4
during=$(speech "$MARK")
numbers=$(grep -v -E '^Micro-rest reset, 2 minutes\. ' <<<"$during" | grep -E '[0-9]' || true)
if grep -E -- "$countdown" <<<"$during" >/dev/null; then
  bad "seconds were read out during the prompt: $(grep -E -- "$countdown" <<<"$during" | tr '\n' '|')"
elif [[ -n "$numbers" ]]; then
  bad "a number was read during the prompt: $(tr '\n' '|' <<<"$numbers")"
else
  ok "no seconds are read out during the prompt (no number alone, no 0:19, no '19 seconds', no other number)"
fi
mark
key Escape
expect "^Session ended\. Micro-rest reset\. Ended early, " 5 "Esc ends it and the summary is read" "Session ended. Micro-rest reset."
mark
# (xdotool may fail to send the key's release: the window is gone by then.)
key ctrl+q 2>/dev/null || true
wait_for_exit "$APP_PID" 15 || die "the app did not quit on Ctrl+Q"
[[ "$EXIT_CODE" == 0 ]] || die "the app exited with $EXIT_CODE: $(tail -n 5 "$work/app.log")"

# No countdown anywhere in the tour either: no number alone and no clock ("seconds" may be
# said, in a summary's length).
if speech "$tour_from" | grep -E '^[0-9]+$|[0-9]+:[0-9]{2}' >/dev/null; then
  bad "a countdown was read: $(speech "$tour_from" | grep -E '^[0-9]+$|[0-9]+:[0-9]{2}' | tr '\n' ' ')"
else
  ok "no number alone and no clock is read in the whole tour (no seconds countdown)"
fi

echo "--- what Orca said in the tour (its SPEECH OUTPUT lines)"
speech "$tour_from" | sed 's/^/  /'
echo "--- the app's announcements (object:announcement events), and what Orca did with each"
log_from "$tour_from" | python3 "$FIXTURES/announcements.py"
echo "e2e orca: $passed passed, $failed failed"
((failed == 0))
