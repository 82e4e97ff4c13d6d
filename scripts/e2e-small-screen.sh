#!/usr/bin/env bash
# End-to-end test of the window on small screens, with the release binary under Xvfb and a window
# manager (openbox, which keeps EWMH's work area):
#   - on 1280 x 720 and on 1366 x 768 a first start opens a window whose frame fits the screen;
#   - a size kept from a larger screen (window.ron) is brought inside the smaller one at start.
# Every wait is on something that can be seen (a window, a file), with a time-out. Only processes
# this script started are ended, by their pid.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-x11.sh
need openbox xprop xwininfo

BIN=${BIN:-target/release/downshift}
[[ -x "$BIN" ]] || die "$BIN is not built: run make build"
work=$(mktemp -d)
started=()
trap 'end_started; rm -rf "$work"' EXIT
private_environment "$work/env"
passed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }

# A screen of size $1 (WxH) with openbox on it; sets SCREEN_PIDS.
start_screen() {
  XVFB_SCREEN="$1x24" start_xvfb
  started+=("$XVFB_PID")
  openbox --sm-disable >"$work/openbox.log" 2>&1 &
  OPENBOX_PID=$!
  started+=("$OPENBOX_PID")
  for _ in $(seq 100); do
    xprop -root _NET_WORKAREA 2>/dev/null | grep -q "= " && return 0
    sleep 0.1
  done
  die "openbox did not set the work area: $(cat "$work/openbox.log")"
}

stop_screen() {
  kill "$OPENBOX_PID" "$XVFB_PID" 2>/dev/null || true
  wait "$OPENBOX_PID" "$XVFB_PID" 2>/dev/null || true
}

# The frame of window $1 (with the title bar): sets TOP and BOTTOM in screen pixels.
frame_of() {
  local info y height extents top bottom
  # The frame extents come once the window manager has framed the window.
  for _ in $(seq 50); do
    extents=$(xprop -id "$1" _NET_FRAME_EXTENTS 2>/dev/null | sed -n 's/.*= //p')
    [[ -n "$extents" ]] && break
    sleep 0.1
  done
  [[ -n "$extents" ]] || die "openbox did not frame the window"
  info=$(xwininfo -id "$1")
  y=$(sed -n 's/.*Absolute upper-left Y: *//p' <<<"$info")
  height=$(sed -n 's/.*Height: *//p' <<<"$info")
  IFS=', ' read -r _ _ top bottom <<<"$extents"
  TOP=$((y - top))
  BOTTOM=$((y + height + bottom))
}

# Starts downshift on data folder $1 and waits for its window; sets PID and WID.
start_app() {
  RUST_LOG=info "$BIN" --data-dir "$1" >"$work/app.log" 2>&1 &
  PID=$!
  started+=("$PID")
  WID=$(wait_for_window downshift 30) || die "no window: $(cat "$work/app.log")"
}

# The frame stays inside a screen $1 pixels tall, once the window has settled.
fits() {
  local height=$1 settled=""
  for _ in $(seq 50); do
    frame_of "$WID"
    if ((TOP >= 0 && BOTTOM <= height)); then settled=yes; break; fi
    sleep 0.1
  done
  [[ -n "$settled" ]] || die "the window's frame runs from $TOP to $BOTTOM on a screen $height tall: $(cat "$work/app.log")"
}

for screen in 1280x720 1366x768; do
  height=${screen#*x}
  start_screen "$screen"
  mkdir -p "$work/$screen"
  echo '(safety_note_seen: true)' >"$work/$screen/settings.ron"
  start_app "$work/$screen"
  fits "$height"
  ok "on $screen a first start opens a window whose frame fits (from $TOP to $BOTTOM)"
  kill -TERM "$PID"
  wait_for_exit "$PID" 20 || die "downshift did not end on SIGTERM"
  stop_screen
done

# A size kept from a tall screen, then the small one.
data="$work/kept"
mkdir -p "$data"
echo '(safety_note_seen: true)' >"$data/settings.ron"
start_screen 1280x1024
start_app "$data"
kill -TERM "$PID"
wait_for_exit "$PID" 20 || die "downshift did not end on SIGTERM"
[[ -s "$data/window.ron" ]] || die "no window.ron was kept"
stop_screen
start_screen 1280x720
start_app "$data"
fits 720
grep -q "brought inside the work area" "$work/app.log" || die "the kept size was not brought inside: $(cat "$work/app.log")"
ok "a size kept from a 1024-pixel-tall screen is brought inside a 720-pixel one at start (from $TOP to $BOTTOM)"
kill -TERM "$PID"
wait_for_exit "$PID" 20 || die "downshift did not end on SIGTERM"
stop_screen

echo "e2e small screen: $passed passed, 0 failed"
