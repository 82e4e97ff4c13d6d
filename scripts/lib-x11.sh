# Shared by the end-to-end scripts: a private X display and a way to wait for things.
# Source it; it defines start_xvfb, wait_for_window and cleanup handling.

die() { echo "FAIL: $*" >&2; exit 1; }

need() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 || die "$tool is missing: run scripts/ensure-deps.sh test"
  done
}

# Starts Xvfb on a free display and exports DISPLAY.
start_xvfb() {
  need Xvfb xdotool import
  local fd_file
  fd_file=$(mktemp)
  Xvfb -displayfd 1 -screen 0 1024x800x24 -nolisten tcp >"$fd_file" 2>/dev/null &
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
