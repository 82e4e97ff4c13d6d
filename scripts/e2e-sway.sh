#!/usr/bin/env bash
# The working day on Wayland with the real programs, headless: sway (its headless backend and
# pixman renderer, no input devices), keys typed with wtype, a full-screen weston-terminal, and
# mako showing notifications on a private session bus; the release binary:
#   1. doctor: under sway, `downshift doctor` names what sway offers and what downshift uses
#      (printed whole, for the README and bug reports);
#   2. busy: with another program's window full screen and focused, a reminder falling due is
#      held back (mako shows nothing); full screen left, it comes once ("Held back while you
#      were busy"), and mako shows it;
#   3. away: with no input for a minute, sway's idle protocol says so and downshift counts it as
#      a rest: the tray's tooltip loses its "Micro-rest in …" (nothing is due while away); a key
#      typed with wtype brings it back as "Micro-rest in 5 min": the count started again on
#      return (it would say 4 min had it run on from the start); `doctor --watch` beside it
#      reads the same idle time.
# Both run `downshift --background`: sway's window tree holds no window of downshift's when
# looked at (after start, after the reminder went to mako, after the time away).
# sway refuses to run as root: as root, everything here runs as the system user downshift-e2e
# (created when missing; its files are in this run's temporary folder only). As another user,
# everything runs as that user. Every wait is on something that can be seen (a socket, a bus
# name, a message on the bus, sway's window tree, mako's list, a log line), with a time-out; only
# processes this script started are ended, by pid.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-x11.sh
need sway swaymsg wtype mako makoctl busctl weston-terminal dbus-daemon dbus-monitor python3 setpriv

BIN=${BIN:-target/release/downshift}
[[ -x "$BIN" ]] || die "$BIN is not built: run make build"
E2E_USER=${E2E_USER:-downshift-e2e}

work=$(mktemp -d)
started=()
# E2E_KEEP=1 keeps the folder (logs, doctor's report) and says where.
created_user=false
# The user made for sway below is taken away again, so the machine is left as it was found.
remove_created_user() {
  $created_user || return 0
  # Its programs, ended above by their pids, may take a moment to go: userdel refuses until then.
  local until=$((SECONDS + 10))
  while pgrep -u "$E2E_USER" >/dev/null && ((SECONDS < until)); do sleep 0.2; done
  userdel "$E2E_USER" 2>/dev/null || echo "note: the user $E2E_USER could not be removed (userdel $E2E_USER)"
}
trap 'end_started; remove_created_user; if [[ -n "${E2E_KEEP:-}" ]]; then echo "kept: $work"; else rm -rf "$work"; fi' EXIT
passed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }

# Who runs the programs: this user, or (as root) an unprivileged one.
as_user=()
if [[ $(id -u) -eq 0 ]]; then
  if ! id "$E2E_USER" >/dev/null 2>&1; then
    echo "Creating the system user $E2E_USER for sway (it refuses to run as root)"
    useradd --system --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$E2E_USER" \
      || die "could not create the user $E2E_USER (run this script as a normal user instead)"
    created_user=true
  fi
  as_user=(setpriv "--reuid=$E2E_USER" "--regid=$E2E_USER" --init-groups --)
  chmod 711 "$work"
fi
# The user's folder: the binary, the bus's settings, the runtime folder, home and data.
me="$work/user"
mkdir -p "$me/runtime" "$me/home" "$me/config" "$me/cache" "$me/bin"
cp "$BIN" "$me/bin/downshift"
cp tests/fixtures/private-bus.conf "$me/bus.conf"
chmod 700 "$me/runtime"
[[ ${#as_user[@]} -eq 0 ]] || chown -R "$E2E_USER:" "$me"
DOWNSHIFT="$me/bin/downshift"
echo "autospawn = no" >"$me/pulse-client.conf"
export HOME="$me/home" XDG_RUNTIME_DIR="$me/runtime" XDG_CONFIG_HOME="$me/config" XDG_CACHE_HOME="$me/cache"
export XDG_DATA_HOME="$me/home/data" XDG_STATE_HOME="$me/home/state"
export PULSE_CLIENTCONFIG="$me/pulse-client.conf" PULSE_SERVER="unix:$me/runtime/no-sound-server"
export DBUS_SESSION_BUS_ADDRESS="unix:path=$me/runtime/no-bus"
export XDG_SESSION_TYPE=wayland XDG_CURRENT_DESKTOP=sway LANG=C.UTF-8 LC_ALL=C.UTF-8
unset DISPLAY WAYLAND_DISPLAY SWAYSOCK SESSION_MANAGER
# Runs a program as the user, with this environment.
run_as() { "${as_user[@]}" "$@"; }
# Starts one in the background as the user; its pid (the program's own: setpriv execs it) in PID.
start_as() {
  local log=$1
  shift
  "${as_user[@]}" "$@" >"$log" 2>&1 &
  PID=$!
  started+=("$PID")
}

# --- sway, the bus, mako -----------------------------------------------------------------------
cat >"$me/sway.config" <<'EOF'
output HEADLESS-1 resolution 1280x720
xwayland disable
EOF
WLR_BACKENDS=headless WLR_RENDERER=pixman WLR_LIBINPUT_NO_DEVICES=1 start_as "$work/sway.log" sway -c "$me/sway.config"
SWAY_PID=$PID
deadline=$((SECONDS + 20))
until socket=$(cd "$me/runtime" && compgen -G "wayland-[0-9]" | head -n1) && [[ -n "$socket" ]] \
  && ipc=$(compgen -G "$me/runtime/sway-ipc.*.sock" | head -n1) && [[ -n "$ipc" ]]; do
  ((SECONDS < deadline)) || die "sway did not start: $(tail -n 5 "$work/sway.log")"
  kill -0 "$SWAY_PID" 2>/dev/null || die "sway ended: $(tail -n 5 "$work/sway.log")"
  sleep 0.1
done
export WAYLAND_DISPLAY=$socket SWAYSOCK=$ipc
sway_version=$(run_as swaymsg -t get_version | python3 -c 'import json,sys; print(json.load(sys.stdin)["human_readable"])')
echo "version: $("$DOWNSHIFT" --version)"
echo "version: sway $sway_version (WLR_BACKENDS=headless, WLR_RENDERER=pixman), as $(run_as id -un)"
for package in mako-notifier wtype weston; do
  echo "version: $package $(dpkg-query -W -f='${Version}' "$package" 2>/dev/null || echo '(not from a package)')"
done

start_as "$work/bus.err" dbus-daemon --config-file="$me/bus.conf" --nofork --print-address=3 3>"$work/bus"
wait_for_line "unix:" "$work/bus" 10 || die "dbus-daemon did not start: $(cat "$work/bus.err")"
export DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$work/bus")
start_as "$work/monitor.log" dbus-monitor --address "$DBUS_SESSION_BUS_ADDRESS"
wait_for_line "NameAcquired\|NameLost" "$work/monitor.log" 10 || die "dbus-monitor did not start: $(cat "$work/monitor.log")"
start_as "$work/mako.log" mako
# The owner of bus name $1, if anyone.
owner_of() {
  run_as busctl --user -j call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus GetNameOwner s "$1" 2>/dev/null \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0])' 2>/dev/null || true
}
# The process behind bus name $1.
pid_of() {
  run_as busctl --user -j call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus GetConnectionUnixProcessID s "$1" 2>/dev/null \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0])' 2>/dev/null || true
}
deadline=$((SECONDS + 15))
until [[ -n "$(owner_of org.freedesktop.Notifications)" ]]; do
  ((SECONDS < deadline)) || die "mako did not take org.freedesktop.Notifications: $(tail -n 5 "$work/mako.log")"
  sleep 0.1
done

# What is read back: sway's windows, mako's notifications, the bus monitor's calls.
cat >"$work/read.py" <<'PY'
import json, re, sys

def windows(tree):
    """Every window in sway's tree: app id, focused, full screen."""
    found = []
    def walk(node):
        if node.get("app_id") is not None or node.get("window") is not None:
            found.append({"app_id": node.get("app_id"), "focused": node.get("focused"),
                          "full_screen": node.get("fullscreen_mode") == 1, "pid": node.get("pid")})
        for child in node.get("nodes", []) + node.get("floating_nodes", []):
            walk(child)
    walk(tree)
    return found

def unwrap(value):
    """busctl -j's {"type", "data"} values, down to plain ones."""
    if isinstance(value, dict) and set(value) == {"type", "data"}:
        return unwrap(value["data"])
    if isinstance(value, dict):
        return {k: unwrap(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unwrap(v) for v in value]
    return value

def calls(path, member, sender=None, after=0.0):
    """dbus-monitor's method calls of MEMBER (after a time), one a line: time sender strings."""
    out, current = [], None
    for line in open(path, errors="replace"):
        head = re.match(r"^method call time=([0-9.]+) sender=(\S+) .*member=(\S+)", line)
        if head:
            current = None
            if head.group(3) == member and (sender is None or head.group(2) == sender) and float(head.group(1)) > after:
                current = [head.group(1), head.group(2)]
                out.append(current)
        elif current is not None:
            current.extend(re.findall(r'string "(.*)"', line))
    return [" ".join(c) for c in out]

command, args = sys.argv[1], sys.argv[2:]
if command == "window":
    # window APP_ID: "focused full_screen" of the window with that app id, or nothing
    for w in windows(json.load(sys.stdin)):
        if w["app_id"] == args[0]:
            print(w["focused"], w["full_screen"])
elif command == "window-of":
    # window-of PID: the app ids of the windows of that process
    for w in windows(json.load(sys.stdin)):
        if str(w["pid"]) == args[0]:
            print(w["app_id"])
elif command == "notifications":
    # notifications: mako's list (makoctl list) as "summary | body" lines
    data = unwrap(json.load(sys.stdin))
    for group in data:
        for n in group:
            print(n.get("app-name"), "|", n.get("summary"), "|", n.get("body"))
elif command == "calls":
    log, member = args[0], args[1]
    sender = args[2] if len(args) > 2 and args[2] else None
    after = float(args[3]) if len(args) > 3 else 0.0
    print("\n".join(calls(log, member, sender, after)))
elif command == "tooltip":
    # tooltip: the description of a StatusNotifierItem's ToolTip (busctl get-property -j)
    print(unwrap(json.load(sys.stdin))[3])
PY
read_back() { python3 "$work/read.py" "$@"; }
# "True True": the window of app id $1 has the focus and is full screen.
window_state() { run_as swaymsg -t get_tree | read_back window "$1"; }
# Fails if sway shows a window of downshift's (by its app id, or by a process of downshift's).
no_window_of() {
  local pid=$1 tree
  tree=$(run_as swaymsg -t get_tree)
  [[ -z "$(read_back window io.github.downshift.Downshift <<<"$tree")" ]] || die "sway shows downshift's window ($2)"
  [[ -z "$(read_back window-of "$pid" <<<"$tree")" ]] || die "sway shows a window of process $pid ($2)"
}
notifications() { run_as makoctl list | read_back notifications; }

# --- 1. doctor under sway ---------------------------------------------------------------------------
TERMINAL=org.freedesktop.weston.wayland-terminal
start_as "$work/terminal.log" weston-terminal
TERMINAL_PID=$PID
deadline=$((SECONDS + 20))
until [[ "$(window_state "$TERMINAL")" == "True False" ]]; do
  ((SECONDS < deadline)) || die "weston-terminal did not come up with the focus: $(tail -n 3 "$work/terminal.log")"
  sleep 0.1
done
run_as swaymsg "[app_id=\"$TERMINAL\"] fullscreen enable" >/dev/null
deadline=$((SECONDS + 10))
until [[ "$(window_state "$TERMINAL")" == "True True" ]]; do
  ((SECONDS < deadline)) || die "weston-terminal is not full screen with the focus: $(window_state "$TERMINAL")"
  sleep 0.1
done
run_as "$DOWNSHIFT" doctor >"$work/doctor.txt" 2>"$work/doctor.err" || die "doctor failed: $(cat "$work/doctor.err")"
echo "--- downshift doctor under sway $sway_version (weston-terminal full screen, mako running):"
cat "$work/doctor.txt"
echo "---"
# Line $1 of doctor's report, whole.
said() { grep -m1 "^$1: " "$work/doctor.txt" || die "doctor printed no $1 line: $(cat "$work/doctor.txt")"; }
[[ "$(said session)" == "session: wayland (WAYLAND_DISPLAY=$WAYLAND_DISPLAY, XDG_CURRENT_DESKTOP=sway)" ]] || die "$(said session)"
[[ "$(said wayland)" == "wayland: offers org_kde_kwin_idle 1, zwlr_foreign_toplevel_manager_v1 3, wl_seat "*"; not ext_idle_notifier_v1, org_kde_plasma_window_management" ]] \
  || die "sway $sway_version is expected to offer KDE's idle protocol and wlr's window list: $(said wayland)"
[[ "$(said idle)" == "idle: org_kde_kwin_idle (KDE) — under 60 s" ]] || die "$(said idle)"
[[ "$(said 'full screen')" == "full screen: wlr-foreign-toplevel-management (version 3) — yes (1 window listed)" ]] || die "$(said 'full screen')"
[[ "$(said busy)" == "busy: full screen (wlr-foreign-toplevel-management)" ]] || die "$(said busy)"
[[ "$(said notifications)" == "notifications: mako "*"(emersion; specification 1.2) — "*actions* ]] || die "$(said notifications)"
[[ "$(said 'single copy')" == "single copy: io.github.downshift.Downshift — free" ]] || die "$(said 'single copy')"
ok "under sway $sway_version, doctor names the compositor's org_kde_kwin_idle and wlr-foreign-toplevel-management, the full-screen weston-terminal (busy) and mako"

# --- 2. a full-screen window holds a reminder back; left, it comes once ------------------------------
# Just before midnight "this minute" could be tomorrow's by the time downshift looks: wait it out.
while [[ "$(date +%H%M)" > 2357 ]]; do sleep 5; done
data_b="$me/data-busy"
mkdir -p "$data_b"
echo "(ask_tension: false, safety_note_seen: true, reminders: (transition: true, transition_at: \"$(date +%H:%M)\", workdays_only: false))" >"$data_b/settings.ron"
[[ ${#as_user[@]} -eq 0 ]] || chown -R "$E2E_USER:" "$data_b"
RUST_LOG=downshift=debug start_as "$work/busy.log" "$DOWNSHIFT" --data-dir "$data_b" --background
APP_B=$PID
wait_for_line "presence: answering: .*org_kde_kwin_idle (KDE).*wlr-foreign-toplevel-management" "$work/busy.log" 30 \
  || die "downshift does not read sway's idle and window protocols: $(tail -n 5 "$work/busy.log")"
# downshift's readings are seen on the bus: each asks the notification server for Inhibited.
reader=""
deadline=$((SECONDS + 20))
until [[ -n "$reader" ]]; do
  for name in $(read_back calls "$work/monitor.log" Get | awk '/Inhibited/ {print $2}' | sort -u); do
    [[ "$(pid_of "$name")" == "$APP_B" ]] && reader=$name
  done
  ((SECONDS < deadline)) || die "downshift's readings are not on the bus"
  sleep 0.2
done
first=$(read_back calls "$work/monitor.log" Get "$reader" | awk '/Inhibited/ {print $1; exit}')
# Two readings after the first: the reminder fell due at the first, and is still held.
deadline=$((SECONDS + 20))
until (($(read_back calls "$work/monitor.log" Get "$reader" "$first" | grep -c Inhibited) >= 2)); do
  ((SECONDS < deadline)) || die "downshift stopped reading"
  sleep 0.2
done
[[ "$(window_state "$TERMINAL")" == "True True" ]] || die "weston-terminal lost the focus or full screen: $(window_state "$TERMINAL")"
no_window_of "$APP_B" "in the background, three readings after start"
[[ -z "$(read_back calls "$work/monitor.log" Notify)" ]] || die "a notification was asked for while busy: $(read_back calls "$work/monitor.log" Notify)"
[[ -z "$(notifications)" ]] || die "mako shows a notification while busy: $(notifications)"
ok "with weston-terminal full screen and focused, the transition reminder due at start is held back: three readings, no notification asked for, mako shows none"

left=$(date +%s.%N)
run_as swaymsg "[app_id=\"$TERMINAL\"] fullscreen disable" >/dev/null
deadline=$((SECONDS + 20))
until [[ -n "$(notifications)" ]]; do
  ((SECONDS < deadline)) || die "no notification after full screen was left: $(tail -n 5 "$work/busy.log")"
  sleep 0.2
done
shown=$(notifications)
[[ "$shown" =~ ^downshift\ \|\ Work\ to\ home\ \|\ It\'s\ [0-9][0-9]:[0-9][0-9]\.\ Held\ back\ while\ you\ were\ busy:\ time\ to\ leave\ the\ day\ behind\?$ ]] \
  || die "mako shows: $shown"
took=$(python3 -c "import time; print(round(time.time() - $left, 1))")
# Asked for by downshift (its notifications have a connection of their own)...
read -r sent sender < <(read_back calls "$work/monitor.log" Notify | awk 'NR == 1 {print $1, $2}')
[[ "$(pid_of "$sender")" == "$APP_B" ]] || die "the notification did not come from downshift"
# ...and once: two readings later there is still one.
deadline=$((SECONDS + 20))
until (($(read_back calls "$work/monitor.log" Get "$reader" "$sent" | grep -c Inhibited) >= 2)); do
  ((SECONDS < deadline)) || die "downshift stopped reading"
  sleep 0.2
done
notifies=$(read_back calls "$work/monitor.log" Notify | wc -l)
((notifies == 1)) || die "the held reminder was asked for $notifies times"
[[ $(notifications | wc -l) == 1 ]] || die "mako shows: $(notifications)"
no_window_of "$APP_B" "after the reminder went to mako"
ok "full screen left, mako shows the held reminder once, $took s later: \"$shown\"; sway's tree holds no window of downshift's, after start nor now"
kill -TERM "$APP_B"
wait_for_exit "$APP_B" 15 || die "downshift did not leave on SIGTERM"
[[ "$EXIT_CODE" == 0 ]] || die "downshift left with $EXIT_CODE: $(tail -n 5 "$work/busy.log")"
kill "$TERMINAL_PID"
wait "$TERMINAL_PID" 2>/dev/null || true
run_as makoctl dismiss --all

# --- 3. time away, read through sway, restarts the micro-rest count ----------------------------------
# Nudges every 5 minutes (the shortest interval) to a practice of the person's own that takes 40
# s: away is then idle for the shortest time that counts, a minute.
data_a="$me/data-away"
mkdir -p "$data_a/presets"
cat >"$data_a/presets/quick-reset.ron" <<'EOF'
(
    version: 1,
    name: "Quick reset",
    description: "Forty seconds: drop the shoulders, then half a minute of 4-6.",
    steps: [
        Prompt(text: "Let your shoulders drop.", seconds: 10.0),
        Breathe(pattern: (inhale: 4.0, exhale: 6.0), minutes: 0.5),
    ],
)
EOF
echo '(ask_tension: false, safety_note_seen: true, reminders: (micro_rests: true, micro_rest_minutes: 5, micro_rest_practice: "Quick reset", micro_rest_from: "00:00", micro_rest_until: "23:59", workdays_only: false))' >"$data_a/settings.ron"
[[ ${#as_user[@]} -eq 0 ]] || chown -R "$E2E_USER:" "$data_a"
RUST_LOG=downshift=debug start_as "$work/away.log" "$DOWNSHIFT" --data-dir "$data_a" --background
APP_A=$PID
app_started=$SECONDS
start_as "$work/watch.log" "$DOWNSHIFT" doctor --watch
WATCH_PID=$PID
# The tray item (served on the bus whether or not a tray shows it), and its tooltip.
item=""
deadline=$((SECONDS + 20))
until [[ -n "$item" ]]; do
  item=$(run_as busctl --user -j call org.freedesktop.DBus /org/freedesktop/DBus org.freedesktop.DBus ListNames \
    | python3 -c 'import json,sys; print("\n".join(n for n in json.load(sys.stdin)["data"][0] if n.startswith("org.kde.StatusNotifierItem-'"$APP_A"'-")))' | head -n1)
  ((SECONDS < deadline)) || die "downshift's tray item is not on the bus: $(tail -n 5 "$work/away.log")"
  sleep 0.2
done
tooltip() {
  run_as busctl --user -j get-property "$item" /StatusNotifierItem org.kde.StatusNotifierItem ToolTip 2>/dev/null | read_back tooltip
}
deadline=$((SECONDS + 20))
until [[ "$(tooltip)" == "Micro-rest in 5 min" ]]; do
  ((SECONDS < deadline)) || die "the tooltip says \"$(tooltip)\", not the first count: $(tail -n 5 "$work/away.log")"
  sleep 0.2
done
wait_for_line "presence: answering: org_kde_kwin_idle (KDE)" "$work/away.log" 10 || die "downshift does not read idle time from sway"
# A minute without input, then a reading: away. Nothing is due while away.
deadline=$((SECONDS + 90))
until [[ -z "$(tooltip)" ]]; do
  ((SECONDS < deadline)) || die "after $((SECONDS - app_started)) s without input the tooltip still says \"$(tooltip)\""
  sleep 0.5
done
away_after=$((SECONDS - app_started))
((away_after >= 60)) || die "taken for away after $away_after s, before a minute without input"
grep -q "^watch: .*: idle [0-9]* s (org_kde_kwin_idle (KDE))" "$work/watch.log" \
  || wait_for_line "^watch: .*: idle [0-9]* s (org_kde_kwin_idle (KDE))" "$work/watch.log" 10 \
  || die "doctor --watch did not read the idle time: $(tail -n 3 "$work/watch.log")"
ok "no input for a minute: sway's org_kde_kwin_idle says so, downshift counts it as time away ($away_after s after start the tooltip no longer promises a micro-rest), and doctor --watch reads: $(grep -m1 "^watch: .*: idle [0-9]* s" "$work/watch.log")"

run_as wtype -k F13
returned=$((SECONDS - app_started))
deadline=$((SECONDS + 20))
until [[ -n "$(tooltip)" ]]; do
  ((SECONDS < deadline)) || die "a key typed, and the tooltip stays empty: $(tail -n 5 "$work/away.log")"
  sleep 0.2
done
[[ "$(tooltip)" == "Micro-rest in 5 min" ]] || die "back after $returned s, the tooltip says \"$(tooltip)\" (not a count started on return)"
deadline=$((SECONDS + 10))
until grep -A100 "^watch: .*: idle [0-9]* s" "$work/watch.log" | grep -q "idle under 60 s"; do
  ((SECONDS < deadline)) || die "doctor --watch does not see the key: $(tail -n 3 "$work/watch.log")"
  sleep 0.2
done
ok "a key typed with wtype $returned s after start: the tooltip says \"$(tooltip)\" again, the count started on return (from the start it would be 4 min), and doctor --watch reads input again"

no_window_of "$APP_A" "in the background, after time away"
kill -INT "$WATCH_PID"
wait_for_exit "$WATCH_PID" 10 || die "doctor --watch did not end on Ctrl-C"
[[ "$EXIT_CODE" == 0 ]] || die "doctor --watch ended with $EXIT_CODE"
kill -TERM "$APP_A"
wait_for_exit "$APP_A" 15 || die "downshift did not leave on SIGTERM"
[[ "$EXIT_CODE" == 0 ]] || die "downshift left with $EXIT_CODE: $(tail -n 5 "$work/away.log")"
grep -q "Xlib\|X11 screen saver" "$work/away.log" "$work/busy.log" && die "downshift used X11 under sway"
echo "e2e sway: $passed passed, 0 failed"
