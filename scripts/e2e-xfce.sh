#!/usr/bin/env bash
# End-to-end test of the tray and the reminders with the real Xfce programs, under Xvfb
# (1366x768) and private session buses, with the release binary:
#   1. the tray: xfce4-panel (4.18, its Status Tray plugin is the StatusNotifier watcher and
#      host) on xfconfd with a panel set up in tests/fixtures/xfce/xfce4-panel.xml;
#      `downshift --background` registers with the panel's own watcher, the panel draws the
#      item, a right click opens the panel's menu with the README's entries (read off the screen,
#      and in the dbusmenu layout the panel asked for), and a left click makes the panel call
#      Activate: the window comes up;
#   2. a reminder: the transition reminder, due at once, reaches xfce4-notifyd (read back from
#      its log), and a click on the bubble's Start button starts Work to home (its checkpoint;
#      recorded after SIGTERM);
#   3. do-not-disturb: on a second private desktop (its own bus, xfconfd and xfce4-notifyd, so
#      that it runs alongside), with Xfce's do-not-disturb on, a transition reminder falling due
#      up to a minute after start is held back; do-not-disturb turned off, the held prompt comes
#      once, "Held back while you were busy".
# Every wait is on something that can be seen (a bus name, a message on the bus, a log entry, a
# window, the screen), with a time-out. Only processes this script started are ended, by pid.
# E2E_SHOTS=DIR keeps the screenshots (otherwise they go with the temporary folder).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-x11.sh
need Xvfb xdotool import convert xwininfo dbus-daemon dbus-monitor dbus-send xfconf-query xfce4-panel tesseract python3

BIN=${BIN:-target/release/downshift}
[[ -x "$BIN" ]] || die "$BIN is not built: run make build"
XFCONFD=$(ls /usr/lib/*/xfce4/xfconf/xfconfd 2>/dev/null | head -n1 || true)
NOTIFYD=$(ls /usr/lib/*/xfce4/notifyd/xfce4-notifyd 2>/dev/null | head -n1 || true)
[[ -x "$XFCONFD" ]] || die "xfconfd is missing: run scripts/ensure-deps.sh test"
[[ -x "$NOTIFYD" ]] || die "xfce4-notifyd is missing: run scripts/ensure-deps.sh test"
PANEL_CONFIG=tests/fixtures/xfce/xfce4-panel.xml

work=$(mktemp -d)
started=()
trap 'end_started; rm -rf "$work"' EXIT
private_environment "$work/env"
# No home, settings store, accessibility bus, virtual file system or session manager of the
# machine's: GTK and Xfce keep to the folders here.
export HOME="$work/home" XDG_CONFIG_DIRS="$work/env/config-dirs" NO_AT_BRIDGE=1 GSETTINGS_BACKEND=memory
export GIO_USE_VFS=local LANG=C.UTF-8 LC_ALL=C.UTF-8
unset SESSION_MANAGER LANGUAGE WAYLAND_DISPLAY
mkdir -p "$HOME" "$XDG_CONFIG_DIRS"
shots=${E2E_SHOTS:-$work/shots}
mkdir -p "$shots"
passed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }

# What is read back from the bus monitors, the notification log and the screen's text.
cat >"$work/read.py" <<'PY'
import json, re, sys

def messages(path):
    """dbus-monitor's log: one dict per message, its header's fields and its body's lines."""
    out, current = [], None
    for line in open(path, errors="replace"):
        line = line.rstrip("\n")
        head = re.match(r"^(method call|method return|signal|error) time=", line)
        if head:
            current = {"kind": head.group(1), "body": []}
            for key in ("time", "sender", "destination", "serial", "reply_serial", "path", "interface", "member"):
                m = re.search(r"(?:^|[ ;])" + key + r"=([^ ;]+)", line)
                current[key] = m.group(1) if m else None
            current["time"] = float(current["time"])
            out.append(current)
        elif current is not None:
            current["body"].append(line)
    return out

def strings(message):
    return re.findall(r'string "(.*)"', "\n".join(message["body"]))

def notifyd_log(path):
    """xfce4-notifyd 0.7's log: a key file, one group (its time) per notification."""
    entries, current = [], None
    try:
        lines = open(path, errors="replace").read().splitlines()
    except FileNotFoundError:
        return []
    for line in lines:
        if line.startswith("[") and line.endswith("]"):
            current = {"time": line[1:-1]}
            entries.append(current)
        elif "=" in line and current is not None:
            key, value = line.split("=", 1)
            current[key] = value
    return entries

command, args = sys.argv[1], sys.argv[2:]
if command == "calls":
    # calls LOG MEMBER [SENDER] [AFTER]: the method calls of MEMBER, one a line: time sender path
    log, member = args[0], args[1]
    sender = args[2] if len(args) > 2 and args[2] else None
    after = float(args[3]) if len(args) > 3 else 0.0
    for m in messages(log):
        if m["kind"] == "method call" and m["member"] == member and (sender is None or m["sender"] == sender) and m["time"] > after:
            print(m["time"], m["sender"], m["path"], " | ".join(strings(m)))
elif command == "signals":
    # signals LOG MEMBER SENDER: the signals, one a line: time strings...
    log, member, sender = args
    for m in messages(log):
        if m["kind"] == "signal" and m["member"] == member and m["sender"] == sender:
            print(m["time"], " | ".join(strings(m)), " | ".join(re.findall(r"uint32 (\d+)", "\n".join(m["body"]))))
elif command == "layout":
    # layout LOG HOST: the labels in the dbusmenu layouts that HOST was sent (GetLayout), one a line
    log, host = args
    all_messages = messages(log)
    asked = {m["serial"] for m in all_messages if m["kind"] == "method call" and m["member"] == "GetLayout" and m["sender"] == host}
    for m in all_messages:
        if m["kind"] == "method return" and m["destination"] == host and m["reply_serial"] in asked:
            for label in re.findall(r'string "label"\s*\n\s*variant\s+string "(.*)"', "\n".join(m["body"])):
                print(label)
elif command == "notifications":
    # notifications LOG: xfce4-notifyd's log as JSON
    print(json.dumps(notifyd_log(args[0])))
elif command == "word":
    # word TSV REGION SCALE WORD [low]: the screen point at the middle of WORD as tesseract read
    # it in a picture of REGION (WxH+X+Y) scaled by SCALE; with "low", the lowest of them
    tsv, region, scale, word = args[:4]
    w, h, x, y = map(int, re.match(r"(\d+)x(\d+)\+(\d+)\+(\d+)", region).groups())
    scale = float(scale)
    found = []
    for row in list(open(tsv))[1:]:
        cells = row.rstrip("\n").split("\t")
        if len(cells) == 12 and cells[11].strip() == word:
            left, top, width, height = map(int, cells[6:10])
            found.append((x + (left + width / 2) / scale, y + (top + height / 2) / scale))
    if found:
        point = max(found, key=lambda p: p[1]) if len(args) > 4 and args[4] == "low" else found[0]
        print(int(point[0]), int(point[1]))
    else:
        sys.exit(1)
PY
read_back() { python3 "$work/read.py" "$@"; }

# Reads the text in screen area $1 (WxH+X+Y) into $2.txt, and the words with their places into
# $2.tsv, from a picture of it (in grey, three times as large, which tesseract reads best).
read_screen() {
  import -window root -crop "$1" +repage -colorspace Gray -resize 300% "$2.png"
  tesseract "$2.png" "$2" --psm 6 txt tsv >/dev/null 2>&1 || die "tesseract could not read $2.png"
  tr -s ' \n' ' ' <"$2.txt" >"$2.line"
}

# Whether the text read in $1 (a read_screen name) has each of the phrases that follow.
screen_says() {
  local base=$1 phrase
  shift
  for phrase in "$@"; do
    grep -qF -- "$phrase" "$base.line" || return 1
  done
}

# The desktops' commands run with their bus and their own configuration and cache folders
# (xfconfd's settings, xfce4-notifyd's log): desk_a, desk_b are "env …" prefixes.
desk_prefix() {
  local dir=$1
  echo "XDG_CONFIG_HOME=$dir/config XDG_CACHE_HOME=$dir/cache DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$dir/bus")"
}

# The unique name that owns $2 on desktop $1's bus.
owner_of() {
  local -n desk="desk_$1"
  "${desk[@]}" dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.GetNameOwner "string:$2" 2>/dev/null \
    | sed -n 's/^ *string "\(.*\)"$/\1/p'
}

# The process behind bus name $2 on desktop $1's bus.
pid_of() {
  local -n desk="desk_$1"
  "${desk[@]}" dbus-send --session --print-reply --dest=org.freedesktop.DBus / org.freedesktop.DBus.GetConnectionUnixProcessID "string:$2" 2>/dev/null \
    | awk '/uint32/ {print $2}'
}

# Waits up to $3 seconds for bus name $2 to be owned on desktop $1's bus.
wait_for_name() {
  local deadline=$((SECONDS + $3))
  until [[ -n "$(owner_of "$1" "$2")" ]]; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

# A property of an object on desktop $1's bus: destination, path, interface, name.
property() {
  local -n desk="desk_$1"
  "${desk[@]}" dbus-send --session --print-reply --dest="$2" "$3" org.freedesktop.DBus.Properties.Get "string:$4" "string:$5" 2>/dev/null
}

# Starts a private desktop's services in folder $1 (named $2, a or b): a session bus with a
# monitor that logs every message on it, xfconfd, the xfconf settings that follow as
# "channel property type value" arguments, and xfce4-notifyd. Sets desk_$2 and NOTIFYD_$2.
start_desktop() {
  local dir=$1 name=$2 setting
  shift 2
  mkdir -p "$dir/config/xfce4/xfconf/xfce-perchannel-xml" "$dir/cache"
  dbus-daemon --config-file=tests/fixtures/private-bus.conf --nofork --print-address=3 3>"$dir/bus" 2>"$dir/bus.err" &
  started+=($!)
  wait_for_line "unix:" "$dir/bus" 5 || die "dbus-daemon did not start: $(cat "$dir/bus.err")"
  local -n desk="desk_$name"
  read -r -a desk <<<"env $(desk_prefix "$dir")"
  dbus-monitor --address "$(head -n1 "$dir/bus")" >"$dir/monitor.log" 2>&1 &
  started+=($!)
  wait_for_line "NameAcquired\|NameLost" "$dir/monitor.log" 5 || die "dbus-monitor did not start: $(cat "$dir/monitor.log")"
  "${desk[@]}" "$XFCONFD" >"$dir/xfconfd.log" 2>&1 &
  started+=($!)
  wait_for_name "$name" org.xfce.Xfconf 10 || die "xfconfd did not take its name: $(cat "$dir/xfconfd.log")"
  for setting in "$@"; do
    read -r -a setting <<<"$setting"
    "${desk[@]}" xfconf-query -c "${setting[0]}" -p "${setting[1]}" -n -t "${setting[2]}" -s "${setting[3]}" \
      || die "xfconf-query could not set ${setting[*]}"
  done
  "${desk[@]}" "$NOTIFYD" >"$dir/notifyd.log" 2>&1 &
  local pid=$!
  started+=("$pid")
  printf -v "NOTIFYD_$name" %s "$pid"
  wait_for_name "$name" org.freedesktop.Notifications 10 || die "xfce4-notifyd did not take its name: $(cat "$dir/notifyd.log")"
}

# The visible windows of process $1, one id a line.
windows_of() { xdotool search --onlyvisible --pid "$1" 2>/dev/null || true; }

# Waits up to $3 seconds for a visible window of process $1 that is not among the ids in $2 and
# bigger than 10 × 10 (GTK keeps a 10 × 10 leader window); prints its id and region (WxH+X+Y).
wait_for_new_window() {
  local pid=$1 before=" $2 " deadline=$((SECONDS + $3)) id WIDTH HEIGHT X Y WINDOW SCREEN
  while ((SECONDS < deadline)); do
    for id in $(windows_of "$pid"); do
      [[ "$before" == *" $id "* ]] && continue
      WIDTH=0 HEIGHT=0
      eval "$(xdotool getwindowgeometry --shell "$id" 2>/dev/null || true)"
      if ((${WIDTH:-0} > 10 && ${HEIGHT:-0} > 10)); then
        echo "$id ${WIDTH}x${HEIGHT}+${X}+${Y}"
        return 0
      fi
    done
    sleep 0.1
  done
  return 1
}

# Waits up to $2 seconds until none of the windows in $1 is visible.
wait_for_gone() {
  local deadline=$((SECONDS + $2)) id visible
  while true; do
    visible=0
    for id in $1; do
      [[ "$(xwininfo -id "$id" 2>/dev/null || true)" == *"Map State: IsViewable"* ]] && visible=1
    done
    ((visible == 0)) && return 0
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

# Waits up to $3 seconds for the notification log of desktop folder $1 to hold $2 entries.
wait_for_notifications() {
  local deadline=$((SECONDS + $3))
  until [[ "$(read_back notifications "$1/cache/xfce4/notifyd/log" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" -ge "$2" ]]; do
    ((SECONDS < deadline)) || return 1
    sleep 0.2
  done
}

# The senders of method $2 on desktop folder $1's bus that are process $3 (a program has a
# connection for each part: the tray, notifications, the desktop's state).
senders_of() {
  local dir=$1 member=$2 pid=$3 name desk
  desk=$(basename "$dir")
  for name in $(read_back calls "$dir/monitor.log" "$member" | awk '{print $2}' | sort -u); do
    [[ "$(pid_of "$desk" "$name")" == "$pid" ]] && echo "$name"
  done
  return 0
}

# --- the programs -----------------------------------------------------------------------------
# A display of its own (from :61 up), the size of a common laptop screen.
for n in $(seq 61 79); do
  [[ -e "/tmp/.X$n-lock" || -e "/tmp/.X11-unix/X$n" ]] && continue
  : >"$work/display"
  Xvfb ":$n" -displayfd 3 -screen 0 1366x768x24 -nolisten tcp 3>"$work/display" 2>"$work/xvfb.err" &
  XVFB_PID=$!
  started+=("$XVFB_PID")
  for _ in $(seq 100); do
    [[ -s "$work/display" ]] && break
    kill -0 "$XVFB_PID" 2>/dev/null || break
    sleep 0.1
  done
  [[ -s "$work/display" ]] && break
done
[[ -s "$work/display" ]] || die "Xvfb did not start on any of :61 to :79: $(tail -n 3 "$work/xvfb.err")"
export DISPLAY=":$(head -n1 "$work/display")"

echo "version: $("$BIN" --version) ($BIN)"
echo "version: $(xfce4-panel --version | head -n1)"
echo "version: $("$XFCONFD" --version | head -n1); $(xfconf-query --version | head -n1)"
echo "version: xfce4-notifyd $(dpkg-query -W -f='${Version}' xfce4-notifyd 2>/dev/null || echo '(not from a package)')"
echo "version: Xvfb $(dpkg-query -W -f='${Version}' xvfb 2>/dev/null || echo '(not from a package)') on $DISPLAY; $(dbus-daemon --version | head -n1)"
echo "version: $(xdotool version | head -n1); $(tesseract --version 2>&1 | head -n1); $(convert -version | head -n1 | sed 's/ https.*//')"

# Just before midnight "this minute" and the one the held reminder is due at (up to 66 s on)
# could fall on different days: wait it out.
while [[ "$(date +%H%M)" > 2356 ]]; do sleep 5; done

desk_a=() desk_b=()
# Desktop a: the panel, and xfce4-notifyd logging every notification (log level 1: always, not
# only during do-not-disturb) and keeping a bubble up for a minute rather than 10 s (its Start
# is clicked after the tray's checks).
mkdir -p "$work/a/config/xfce4/xfconf/xfce-perchannel-xml"
cp "$PANEL_CONFIG" "$work/a/config/xfce4/xfconf/xfce-perchannel-xml/xfce4-panel.xml"
start_desktop "$work/a" a "xfce4-notifyd /notification-log bool true" "xfce4-notifyd /log-level uint 1" \
  "xfce4-notifyd /expire-timeout int 60"
# Desktop b: xfce4-notifyd logging every notification, and Xfce's do-not-disturb on.
start_desktop "$work/b" b "xfce4-notifyd /notification-log bool true" "xfce4-notifyd /log-level uint 1" \
  "xfce4-notifyd /do-not-disturb bool true"

# --- 3, begun: the held reminder's clock starts first --------------------------------------------
# Due at the first whole minute at least 6 s away (6 to 65 s after start). Not at once:
# downshift reads do-not-disturb at start and then every 5 s, and a reminder due at the very
# moment it starts is asked for before that first reading (and taken down a moment later).
due_b=$(( ($(date +%s) + 6 + 59) / 60 * 60 ))
at_b=$(date -d "@$due_b" +%H:%M)
mkdir -p "$work/b/data"
echo "(ask_tension: false, safety_note_seen: true, reminders: (transition: true, transition_at: \"$at_b\", workdays_only: false))" >"$work/b/data/settings.ron"
RUST_LOG=downshift=debug "${desk_b[@]}" "$BIN" --data-dir "$work/b/data" --background >"$work/b/app.log" 2>&1 &
APP_B=$!
started_b=$(date +%s)
started+=("$APP_B")

info=$("${desk_a[@]}" dbus-send --session --print-reply --dest=org.freedesktop.Notifications /org/freedesktop/Notifications \
  org.freedesktop.Notifications.GetServerInformation | sed -n 's/^ *string "\(.*\)"$/\1/p' | tr '\n' ' ')
echo "version: the notification server says: $info(name, vendor, version, specification)"
[[ "$info" == "Xfce Notify Daemon Xfce "* ]] || die "the notification server on the bus is not xfce4-notifyd: $info"

"${desk_a[@]}" xfce4-panel --disable-wm-check >"$work/a/panel.log" 2>&1 &
PANEL_PID=$!
started+=("$PANEL_PID")
wait_for_name a org.kde.StatusNotifierWatcher 20 || die "xfce4-panel's tray did not take org.kde.StatusNotifierWatcher: $(cat "$work/a/panel.log")"
WATCHER=$(owner_of a org.kde.StatusNotifierWatcher)
WATCHER_PID=$(pid_of a "$WATCHER")
[[ "$(ps -o ppid= -p "$WATCHER_PID" | tr -d ' ')" == "$PANEL_PID" ]] || die "the watcher's process $WATCHER_PID is not xfce4-panel's ($PANEL_PID)"
tr '\0' ' ' <"/proc/$WATCHER_PID/cmdline" | grep -q "libsystray.so" || die "the watcher's process is $(tr '\0' ' ' <"/proc/$WATCHER_PID/cmdline")"
property a org.kde.StatusNotifierWatcher /StatusNotifierWatcher org.kde.StatusNotifierWatcher IsStatusNotifierHostRegistered \
  | grep -q "boolean true" || die "xfce4-panel's watcher has no host registered"
panel_window=$(timeout 20 xdotool search --sync --onlyvisible --pid "$PANEL_PID" --name '^xfce4-panel$' 2>/dev/null | head -n1) \
  || die "xfce4-panel shows no panel: $(cat "$work/a/panel.log")"
panel=$(window_region "$panel_window")
wait_for_still "$panel" 10 || die "the bare panel does not stand still"
grab "$panel" "$work/panel-bare.rgb"
import -window root -crop "$panel" +repage "$shots/panel-bare.png"

# --- 1. the tray, shown by xfce4-panel --------------------------------------------------------------
# Due now: the transition time is this very minute (local time, as the app reads it).
mkdir -p "$work/a/data"
echo "(ask_tension: false, safety_note_seen: true, reminders: (transition: true, transition_at: \"$(date +%H:%M)\", workdays_only: false))" >"$work/a/data/settings.ron"
RUST_LOG=downshift=info "${desk_a[@]}" "$BIN" --data-dir "$work/a/data" --background >"$work/a/app.log" 2>&1 &
APP_A=$!
started+=("$APP_A")

# The items the panel's watcher has, one a line.
items() {
  property a org.kde.StatusNotifierWatcher /StatusNotifierWatcher org.kde.StatusNotifierWatcher RegisteredStatusNotifierItems \
    | sed -n 's/^ *string "\(.*\)"$/\1/p' || true
}
deadline=$((SECONDS + 20))
until item=$(items | grep "^org.kde.StatusNotifierItem-$APP_A-"); do
  ((SECONDS < deadline)) || die "downshift's item is not among the panel's ($(items)): $(tail -n 5 "$work/a/app.log")"
  sleep 0.1
done
# The Status Tray keeps the ids of the items it has shown in its settings.
deadline=$((SECONDS + 10))
until [[ "$("${desk_a[@]}" xfconf-query -c xfce4-panel -p /plugins/plugin-2/known-items 2>/dev/null || true)" == *$'\ndownshift'* ]]; do
  ((SECONDS < deadline)) || die "the Status Tray did not take downshift among its known items"
  sleep 0.1
done
ok "xfce4-panel's own watcher (org.kde.StatusNotifierWatcher, owned by its Status Tray plugin, pid $WATCHER_PID, a child of xfce4-panel $PANEL_PID) lists downshift's item: $item; the Status Tray adds \"downshift\" to its known-items"

# The panel draws it: the tray's end of the panel is no longer the bare panel.
wait_for_change "$panel" "$work/panel-bare.rgb" 20 || die "the panel looks as it did before downshift started"
wait_for_still "$panel" 10 || die "the panel does not stand still"
import -window root -crop "$panel" +repage "$shots/panel-item.png"
import -window root "$shots/tray.png"
eval "$(xdotool getwindowgeometry --shell "$panel_window")"
panel_x=$X panel_y=$Y
read -r changed_pixels changed_box < <(convert "$shots/panel-bare.png" "$shots/panel-item.png" -compose difference -composite \
  -colorspace Gray -threshold 10% -format '%[fx:int(mean*w*h+0.5)] %@\n' info:)
IFS='x+' read -r icon_w icon_h icon_x icon_y <<<"$changed_box"
((changed_pixels >= 100 && icon_w >= 12 && icon_w <= 32 && icon_h >= 12 && icon_h <= 32)) \
  || die "what changed on the panel is not an icon: $changed_pixels pixels in $changed_box"
((icon_x > 1366 - 100)) || die "the item is not at the tray's end of the panel: $changed_box"
icon_cx=$((panel_x + icon_x + icon_w / 2)) icon_cy=$((panel_y + icon_y + icon_h / 2))
ok "xfce4-panel draws the item: $changed_pixels pixels in ${icon_w}x${icon_h} at ($((panel_x + icon_x)), $((panel_y + icon_y))) differ from the bare panel (panel-item.png, tray.png)"

[[ -z "$(xdotool search --onlyvisible --name '^downshift$' 2>/dev/null || true)" ]] || die "--background showed a window"

# The right button: xfce4-panel's own menu, from the item's dbusmenu.
before=$(windows_of "$WATCHER_PID" | tr '\n' ' ')
xdotool mousemove "$icon_cx" "$icon_cy" click 3
read -r menu_id menu < <(wait_for_new_window "$WATCHER_PID" "$before" 10) || die "a right click on the item opened no menu"
wait_for_still "$menu" 10 || die "the menu does not stand still"
read_screen "$menu" "$work/menu"
# What the panel was sent when it asked for the menu (GetLayout on the item's /MenuBar).
read_back layout "$work/a/monitor.log" "$WATCHER" >"$work/layout.txt"
suggested=$(grep -m1 '^Start ' "$work/layout.txt" || true)
[[ -n "$suggested" ]] || die "the layout the panel read has no Start entry: $(tr '\n' '|' <"$work/layout.txt")"
for entry in "$suggested" "Micro-rest now" "Pause reminders" "Open downshift" "Quit"; do
  screen_says "$work/menu" "$entry" || die "the panel's menu does not show \"$entry\": it reads $(cat "$work/menu.line")"
done
read -r x y < <(read_back word "$work/menu.tsv" "$menu" 3 Pause) || die "no Pause reminders to point at: $(cat "$work/menu.line")"
xdotool mousemove "$x" "$y"
read -r submenu_id submenu < <(wait_for_new_window "$WATCHER_PID" "$before $menu_id" 10) || die "Pause reminders opened no submenu"
wait_for_still "$submenu" 10 || die "the submenu does not stand still"
import -window root "$shots/menu.png"
read_screen "$submenu" "$work/submenu"
for entry in "For 30 minutes" "For 1 hour" "Until tomorrow"; do
  screen_says "$work/submenu" "$entry" || die "the Pause submenu does not show \"$entry\": it reads $(cat "$work/submenu.line")"
done
read_back layout "$work/a/monitor.log" "$WATCHER" >"$work/layout.txt"
for entry in "$suggested" "Micro-rest now" "Pause reminders" "For 30 minutes" "For 1 hour" "Until tomorrow" "Open downshift" "Quit"; do
  grep -qxF -- "$entry" "$work/layout.txt" || die "the layout the panel read has no \"$entry\": $(tr '\n' '|' <"$work/layout.txt")"
done
ok "a right click opens xfce4-panel's menu, reading on screen: $suggested, Micro-rest now, Pause reminders (For 30 minutes, For 1 hour, Until tomorrow), Open downshift, Quit; the same labels are in the dbusmenu layout the panel asked the item for (menu.png)"
# Esc closes the submenu, then the menu.
for _ in 1 2 3; do
  wait_for_gone "$menu_id $submenu_id" 0 && break
  xdotool key Escape
  wait_for_gone "$submenu_id" 2 || true
done
wait_for_gone "$menu_id $submenu_id" 2 || die "Esc does not close the panel's menu"

# The left button: the panel calls the item's Activate, and the window comes up.
xdotool mousemove "$icon_cx" "$icon_cy" click 1
window=$(wait_for_window downshift 20) || die "a click on the item brought no window up: $(tail -n 5 "$work/a/app.log")"
activations=$(read_back calls "$work/a/monitor.log" Activate "$WATCHER" | grep -c " /StatusNotifierItem" || true)
((activations == 1)) || die "the panel called Activate $activations times"
[[ "$(xprop -id "$window" _NET_WM_PID)" == *"= $APP_A" ]] || die "the window that came up is not downshift's"
wait_for_still "$(window_region "$window")" 15 || die "the window does not settle"
import -window root "$shots/activated.png"
ok "a left click on the item makes xfce4-panel call its Activate, and the downshift window comes up (activated.png)"

# --- 2. the reminder, shown by xfce4-notifyd ------------------------------------------------------
wait_for_notifications "$work/a" 1 20 || die "xfce4-notifyd logged no notification: $(tail -n 5 "$work/a/app.log")"
read_back notifications "$work/a/cache/xfce4/notifyd/log" >"$work/a/notifications.json"
python3 - "$work/a/notifications.json" <<'PY'
import json, re, sys
entries = json.load(open(sys.argv[1]))
assert len(entries) == 1, entries
e = entries[0]
assert e["summary"] == "Work to home", e
assert re.fullmatch(r"It's \d\d:\d\d\. Time to leave the day behind\?", e["body"]), e
assert e["app_name"] == "io.github.downshift.Downshift" and e["app_icon"] == "io.github.downshift.Downshift", e
actions = {e[k]: e["action-label-" + k.rsplit("-", 1)[1]] for k in e if k.startswith("action-id-")}
assert actions.get("start") == "Start" and actions.get("later") == "Later", actions
PY
body_a=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["body"])' "$work/a/notifications.json")
sender=$(read_back calls "$work/a/monitor.log" Notify | awk 'NR == 1 {print $2}')
[[ "$(pid_of a "$sender")" == "$APP_A" ]] || die "the notification did not come from downshift"
read -r _ bubble < <(wait_for_new_window "$NOTIFYD_a" "" 10) || die "xfce4-notifyd shows no bubble"
wait_for_still "$bubble" 10 || die "the bubble does not stand still"
import -window root "$shots/reminder.png"
read_screen "$bubble" "$work/bubble"
screen_says "$work/bubble" "Work to home" "Time to leave the day behind?" "Start" "Later" \
  || die "the bubble reads: $(cat "$work/bubble.line")"
ok "xfce4-notifyd got the reminder from downshift (its log: \"Work to home\", \"$body_a\", actions Start and Later) and shows it with Start and Later buttons (reminder.png)"

read -r x y < <(read_back word "$work/bubble.tsv" "$bubble" 3 Start low) || die "no Start button to click: $(cat "$work/bubble.line")"
notifyd_name=$(owner_of a org.freedesktop.Notifications)
xdotool mousemove "$x" "$y" click 1
deadline=$((SECONDS + 10))
until [[ "$(read_back signals "$work/a/monitor.log" ActionInvoked "$notifyd_name")" == *" start "* ]]; do
  ((SECONDS < deadline)) || die "a click on Start made xfce4-notifyd send no ActionInvoked start"
  sleep 0.1
done
checkpoints="$work/a/data/checkpoints"
deadline=$((SECONDS + 20))
until compgen -G "$checkpoints/*.ron" >/dev/null; do
  ((SECONDS < deadline)) || die "no practice started: no checkpoint in $checkpoints: $(tail -n 5 "$work/a/app.log")"
  sleep 0.1
done
xwininfo -id "$window" | grep -q "Map State: IsViewable" || die "the window is not up with the practice"
import -window root "$shots/started.png"
kill -TERM "$APP_A"
wait_for_exit "$APP_A" 15 || die "downshift did not leave on SIGTERM"
[[ "$EXIT_CODE" == 0 ]] || die "downshift left with $EXIT_CODE: $(tail -n 5 "$work/a/app.log")"
"$BIN" --data-dir "$work/a/data" history --format json >"$work/a/history.json"
python3 - "$work/a/history.json" <<'PY'
import json, sys
records = json.load(open(sys.argv[1]))
assert [r["practice"] for r in records] == ["Work to home"], records
PY
ok "a click on the bubble's Start: xfce4-notifyd sends ActionInvoked start, Work to home starts (its checkpoint; started.png) and is in the history after SIGTERM"

# The item goes with downshift: the watcher lets it go and the panel is bare again.
deadline=$((SECONDS + 10))
while [[ "$(items)" == *"org.kde.StatusNotifierItem-$APP_A-"* ]]; do
  ((SECONDS < deadline)) || die "the panel keeps downshift's item after it left"
  sleep 0.1
done
grab "$panel" "$work/panel-after.rgb"
until cmp -s "$work/panel-bare.rgb" "$work/panel-after.rgb"; do
  ((SECONDS < deadline)) || die "the panel still shows the item after downshift left"
  sleep 0.1
  grab "$panel" "$work/panel-after.rgb"
done
ok "when downshift leaves, xfce4-panel drops its item and the panel is bare again"

# --- 3. do-not-disturb holds the reminder back; off, it comes once --------------------------------
wait_for_line "presence: answering: .*xfconf (Xfce)" "$work/b/app.log" 10 || die "downshift does not read Xfce's do-not-disturb: $(tail -n 5 "$work/b/app.log")"
reader=$(senders_of "$work/b" GetProperty "$APP_B" | head -n1)
[[ -n "$reader" ]] || die "downshift's reading of /do-not-disturb is not on the bus"
# Readings of /do-not-disturb by downshift after time $1, one a line.
dnd_reads() { read_back calls "$work/b/monitor.log" GetProperty "$reader" "$1" | grep -F "/do-not-disturb" || true; }
# Someone is at the keyboard (being away would make the reminder wait for their return).
xdotool mousemove 900 400
deadline=$((SECONDS + 75))
until (($(date +%s) >= due_b)); do
  ((SECONDS < deadline)) || die "the clock did not reach $at_b"
  sleep 0.2
done
xdotool mousemove 901 401
# A reading at least 2 s past the minute: the reminder has fallen due by then, and been looked at.
deadline=$((SECONDS + 15))
until [[ -n "$(dnd_reads $((due_b + 2)))" ]]; do
  ((SECONDS < deadline)) || die "downshift did not read do-not-disturb after $at_b"
  sleep 0.1
done
[[ -z "$(read_back calls "$work/b/monitor.log" Notify)" ]] || die "with do-not-disturb on, a notification was asked for: $(read_back calls "$work/b/monitor.log" Notify)"
[[ "$(read_back notifications "$work/b/cache/xfce4/notifyd/log")" == "[]" ]] || die "xfce4-notifyd logged a notification during do-not-disturb"
ok "with Xfce's do-not-disturb on (xfconf /do-not-disturb), the transition reminder due at $at_b ($((due_b - started_b)) s after downshift started) is held back: past $at_b, downshift read do-not-disturb again and sent xfce4-notifyd nothing"

"${desk_b[@]}" xfconf-query -c xfce4-notifyd -p /do-not-disturb -s false
wait_for_notifications "$work/b" 1 15 || die "no reminder came after do-not-disturb went off: $(tail -n 5 "$work/b/app.log")"
read_back notifications "$work/b/cache/xfce4/notifyd/log" >"$work/b/notifications.json"
python3 - "$work/b/notifications.json" <<'PY'
import json, re, sys
(e,) = json.load(open(sys.argv[1]))
assert e["summary"] == "Work to home", e
assert e["app_name"] == "io.github.downshift.Downshift", e
assert re.fullmatch(r"It's \d\d:\d\d\. Held back while you were busy: time to leave the day behind\?", e["body"]), e
PY
body_b=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[0]["body"])' "$work/b/notifications.json")
read -r _ bubble < <(wait_for_new_window "$NOTIFYD_b" "" 10) || die "xfce4-notifyd shows no bubble for the held reminder"
wait_for_still "$bubble" 10 || die "the bubble does not stand still"
import -window root "$shots/held.png"
read_screen "$bubble" "$work/held"
screen_says "$work/held" "Held back while you were busy" "Start" "Later" || die "the held reminder's bubble reads: $(cat "$work/held.line")"
sent=$(read_back calls "$work/b/monitor.log" Notify | awk 'NR == 1 {print $1}')
# Once: two readings of the desktop's state later there is still one.
deadline=$((SECONDS + 15))
until (($(dnd_reads "$sent" | wc -l) >= 2)); do
  ((SECONDS < deadline)) || die "downshift stopped reading do-not-disturb"
  sleep 0.1
done
notifies=$(read_back calls "$work/b/monitor.log" Notify | wc -l)
((notifies == 1)) || die "the held reminder was asked for $notifies times"
wait_for_notifications "$work/b" 2 0 && die "xfce4-notifyd logged a second notification"
ok "do-not-disturb off, the held prompt comes once, and xfce4-notifyd shows it: \"$body_b\" (held.png)"
kill -TERM "$APP_B"
wait_for_exit "$APP_B" 15 || die "downshift (b) did not leave on SIGTERM"
[[ "$EXIT_CODE" == 0 ]] || die "downshift (b) left with $EXIT_CODE: $(tail -n 5 "$work/b/app.log")"

[[ -z "${E2E_SHOTS:-}" ]] || echo "screenshots: $shots"
echo "e2e xfce: $passed passed, 0 failed"
