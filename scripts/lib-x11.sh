# Shared by the end-to-end scripts: a private X display and a way to wait for things.
# Source it; it defines private_environment, start_xvfb, wait_for_window, wait_for_exit, and
# waits on what the screen or a log shows (wait_for_line, wait_for_change, wait_for_still,
# press_and_wait).

die() { echo "FAIL: $*" >&2; exit 1; }

# Ends what the script started (the pids it put in its `started` array) and has not yet waited
# for, the last started first (a pid already waited for may belong to someone else by now).
end_started() {
  local running
  running=" $(jobs -p | tr '\n' ' ') "
  for ((i = ${#started[@]} - 1; i >= 0; i--)); do
    [[ "$running" == *" ${started[i]} "* ]] && kill "${started[i]}" 2>/dev/null || true
  done
}

need() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing: run scripts/ensure-deps.sh test"
  done
}

# Keeps everything the script starts away from the home folder and the desktop session: the XDG
# folders (Mesa's shader cache, configuration, data) and the runtime folder (sound server
# sockets) move into $1; there is no session bus and no sound server unless the script starts
# its own, and none is ever spawned on the side.
private_environment() {
  local dir=$1
  mkdir -p "$dir/runtime" "$dir/config" "$dir/cache" "$dir/data" "$dir/state"
  chmod 700 "$dir/runtime"
  export XDG_RUNTIME_DIR="$dir/runtime" XDG_CONFIG_HOME="$dir/config" XDG_CACHE_HOME="$dir/cache"
  export XDG_DATA_HOME="$dir/data" XDG_STATE_HOME="$dir/state"
  echo "autospawn = no" >"$dir/pulse-client.conf"
  export PULSE_CLIENTCONFIG="$dir/pulse-client.conf" PULSE_SERVER="unix:$dir/runtime/no-sound-server"
  export DBUS_SESSION_BUS_ADDRESS="unix:path=$dir/runtime/no-bus"
}

# Starts Xvfb on a free display and exports DISPLAY; $XVFB_SCREEN sets its size.
start_xvfb() {
  need Xvfb xdotool import
  local fd_file
  fd_file=$(mktemp)
  Xvfb -displayfd 1 -screen 0 "${XVFB_SCREEN:-1024x800x24}" -nolisten tcp >"$fd_file" 2>/dev/null &
  XVFB_PID=$!
  for _ in $(seq 100); do
    [[ -s "$fd_file" ]] && break
    sleep 0.05
  done
  [[ -s "$fd_file" ]] || die "Xvfb did not start"
  export DISPLAY=":$(head -n1 "$fd_file")"
  rm -f "$fd_file"
}

# Waits up to $2 seconds for a window named $1 and prints its id.
wait_for_window() {
  local name=$1 timeout=${2:-20} id=""
  for _ in $(seq $((timeout * 10))); do
    id=$(xdotool search --onlyvisible --name "^${name}\$" 2>/dev/null | head -n1 || true)
    [[ -n "$id" ]] && { echo "$id"; return 0; }
    sleep 0.1
  done
  return 1
}

# Waits up to $2 seconds for child process $1 to exit; sets EXIT_CODE. Fails on a time-out.
wait_for_exit() {
  local pid=$1 timeout=${2:-10}
  for _ in $(seq $((timeout * 10))); do
    if ! kill -0 "$pid" 2>/dev/null; then
      EXIT_CODE=0
      wait "$pid" || EXIT_CODE=$?
      return 0
    fi
    sleep 0.1
  done
  return 1
}

# Gives window $1 the keyboard (there is no window manager under Xvfb to do it), and checks.
focus_window() {
  local window=$1
  for _ in $(seq 50); do
    xdotool windowfocus "$window" 2>/dev/null || true
    [[ "$(xdotool getwindowfocus 2>/dev/null)" == "$window" ]] && return 0
    sleep 0.1
  done
  die "could not give the window the keyboard focus"
}

# Waits up to $3 seconds (default 20) for a line matching $1 in file $2.
wait_for_line() {
  local pattern=$1 file=$2 deadline=$((SECONDS + ${3:-20}))
  until grep -q -- "$pattern" "$file" 2>/dev/null; do
    ((SECONDS < deadline)) || return 1
    sleep 0.1
  done
}

# The screen area of window $1, as WxH+X+Y.
window_region() {
  local WIDTH HEIGHT X Y WINDOW SCREEN
  eval "$(xdotool getwindowgeometry --shell "$1")"
  echo "${WIDTH}x${HEIGHT}+${X}+${Y}"
}

# A picture of screen area $1 (WxH+X+Y) in file $2, as raw pixels.
grab() {
  import -window root -crop "$1" -depth 8 "rgb:$2"
}

# Waits up to $3 seconds (default 10) for screen area $1 to differ from the picture in file $2.
wait_for_change() {
  local region=$1 before=$2 deadline=$((SECONDS + ${3:-10})) now
  now=$(mktemp)
  while ((SECONDS < deadline)); do
    grab "$region" "$now"
    if ! cmp -s "$before" "$now"; then
      rm -f "$now"
      return 0
    fi
    sleep 0.1
  done
  rm -f "$now"
  return 1
}

# Waits up to $2 seconds (default 15) for screen area $1 to stand still for 1.5 s. A session
# screen never does (its clock changes every second); home, question and summary screens do.
wait_for_still() {
  local region=$1 deadline=$((SECONDS + ${2:-15})) before now
  before=$(mktemp)
  now=$(mktemp)
  grab "$region" "$before"
  while ((SECONDS < deadline)); do
    sleep 1.5
    grab "$region" "$now"
    if cmp -s "$before" "$now"; then
      rm -f "$before" "$now"
      return 0
    fi
    cp "$now" "$before"
  done
  rm -f "$before" "$now"
  return 1
}

# Presses key $1 and waits up to $3 seconds (default 10) for screen area $2 to answer.
press_and_wait() {
  local key=$1 region=$2 timeout=${3:-10} before status=0
  before=$(mktemp)
  grab "$region" "$before"
  xdotool key "$key"
  wait_for_change "$region" "$before" "$timeout" || status=1
  rm -f "$before"
  return $status
}

# For the sound scripts: with SOUND_SERVER unset, run SCRIPT again once per sound server
# (PulseAudio and PipeWire), both at once, print each one's output prefixed with its server,
# and exit: 0 if both passed. With SOUND_SERVER set, return and let the script run.
#   on_each_sound_server "e2e audio" "$0" "$@"
on_each_sound_server() {
  [[ -z "${SOUND_SERVER:-}" ]] || return 0
  local what=$1 script=$2
  shift 2
  logs=$(mktemp -d)
  trap 'end_started; rm -rf "$logs"' EXIT
  started=()
  local server
  for server in pulseaudio pipewire; do
    SOUND_SERVER=$server "$script" "$@" >"$logs/$server" 2>&1 &
    started+=($!)
  done
  local failed=0 i status
  for i in 0 1; do
    server=$([[ $i == 0 ]] && echo pulseaudio || echo pipewire)
    status=0
    wait "${started[i]}" || status=$?
    sed "s/^/[$server] /" "$logs/$server"
    ((status == 0)) || failed=$((failed + 1))
  done
  started=()
  ((failed == 0)) || die "$what failed on $failed of 2 sound servers"
  echo "$what: both sound servers passed"
  exit 0
}
