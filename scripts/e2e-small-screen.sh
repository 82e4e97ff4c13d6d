#!/usr/bin/env bash
# End-to-end test of the window on small screens, with the release binary under Xvfb, a window
# manager (openbox, which keeps EWMH's work area) and a panel along the foot of the screen (a
# window that reserves its strip with _NET_WM_STRUT_PARTIAL, as xfce4-panel's does), so the work
# area is smaller than the screen:
#   - on 1280 x 720 and on 1366 x 768 a first start opens a window whose frame is inside the work
#     area (_NET_WORKAREA, read back);
#   - a size kept from a larger screen (window.ron) is brought inside the smaller one at start;
#   - pictures of home and of Settings at 1366 x 768 are kept (SHOTS, default
#     target/e2e-small-screen), to be looked at.
# Every wait is on something that can be seen (a window, a file, the work area), with a time-out.
# Only processes this script started are ended, by their pid.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-x11.sh
need openbox xprop xwininfo xmessage import tesseract

BIN=${BIN:-target/release/downshift}
[[ -x "$BIN" ]] || die "$BIN is not built: run make build"
SHOTS=${SHOTS:-target/e2e-small-screen}
mkdir -p "$SHOTS"
# The panel's height, as Xfce's default panel.
PANEL=32
work=$(mktemp -d)
started=()
trap 'end_started; rm -rf "$work"' EXIT
private_environment "$work/env"
passed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }

# The work area openbox publishes (the first desktop's): sets WA_X, WA_Y, WA_W and WA_H.
read_work_area() {
  local area
  area=$(xprop -root _NET_WORKAREA 2>/dev/null | sed -n 's/.*= //p')
  IFS=', ' read -r WA_X WA_Y WA_W WA_H _ <<<"${area:-}"
}

# A screen of size $1 (WxH) with openbox and a panel at its foot; the work area is the screen
# less the panel's strip once openbox says so.
start_screen() {
  local width=${1%x*} height=${1#*x} panel_window=""
  XVFB_SCREEN="$1x24" start_xvfb
  started+=("$XVFB_PID")
  openbox --sm-disable >"$work/openbox.log" 2>&1 &
  OPENBOX_PID=$!
  started+=("$OPENBOX_PID")
  for _ in $(seq 100); do
    xprop -root _NET_WORKAREA 2>/dev/null | grep -q "= " && break
    sleep 0.1
  done
  xprop -root _NET_WORKAREA 2>/dev/null | grep -q "= " || die "openbox did not set the work area: $(cat "$work/openbox.log")"
  # The panel: a plain window along the foot that reserves its strip, as a panel does.
  xmessage -buttons "" -geometry "${width}x${PANEL}+0+$((height - PANEL))" " " >"$work/panel.log" 2>&1 &
  PANEL_PID=$!
  started+=("$PANEL_PID")
  for _ in $(seq 100); do
    panel_window=$(xdotool search --onlyvisible --class "^Xmessage$" 2>/dev/null | head -n1 || true)
    [[ -n "$panel_window" ]] && break
    sleep 0.1
  done
  [[ -n "$panel_window" ]] || die "the panel's window did not show: $(cat "$work/panel.log")"
  # Made a dock while it is away (a window manager reads the type as it maps a window), with
  # the strip it reserves, then shown again.
  xdotool windowunmap --sync "$panel_window"
  xprop -id "$panel_window" -f _NET_WM_WINDOW_TYPE 32a -set _NET_WM_WINDOW_TYPE _NET_WM_WINDOW_TYPE_DOCK
  xprop -id "$panel_window" -f _NET_WM_STRUT_PARTIAL 32c -set _NET_WM_STRUT_PARTIAL \
    "0, 0, 0, $PANEL, 0, 0, 0, 0, 0, 0, 0, $((width - 1))"
  xprop -id "$panel_window" -f _NET_WM_STRUT 32c -set _NET_WM_STRUT "0, 0, 0, $PANEL"
  xdotool windowmap --sync "$panel_window"
  for _ in $(seq 100); do
    read_work_area
    ((${WA_H:-0} == height - PANEL)) && return 0
    sleep 0.1
  done
  die "the work area did not leave out the panel's $PANEL pixels: $(xprop -root _NET_WORKAREA)"
}

stop_screen() {
  kill "$PANEL_PID" "$OPENBOX_PID" "$XVFB_PID" 2>/dev/null || true
  wait "$PANEL_PID" "$OPENBOX_PID" "$XVFB_PID" 2>/dev/null || true
}

# The frame of window $1 (with the title bar): sets LEFT, RIGHT, TOP and BOTTOM in screen
# pixels.
frame_of() {
  local info x y width height extents left right top bottom
  # The frame extents come once the window manager has framed the window.
  for _ in $(seq 50); do
    extents=$(xprop -id "$1" _NET_FRAME_EXTENTS 2>/dev/null | sed -n 's/.*= //p')
    [[ -n "$extents" ]] && break
    sleep 0.1
  done
  [[ -n "$extents" ]] || die "openbox did not frame the window"
  info=$(xwininfo -id "$1")
  x=$(sed -n 's/.*Absolute upper-left X: *//p' <<<"$info")
  y=$(sed -n 's/.*Absolute upper-left Y: *//p' <<<"$info")
  width=$(sed -n 's/.*Width: *//p' <<<"$info")
  height=$(sed -n 's/.*Height: *//p' <<<"$info")
  IFS=', ' read -r left right top bottom <<<"$extents"
  LEFT=$((x - left))
  RIGHT=$((x + width + right))
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

# The frame stays inside the work area, once the window has settled.
fits() {
  local settled=""
  read_work_area
  for _ in $(seq 50); do
    frame_of "$WID"
    if ((TOP >= WA_Y && BOTTOM <= WA_Y + WA_H && LEFT >= WA_X && RIGHT <= WA_X + WA_W)); then
      settled=yes
      break
    fi
    sleep 0.1
  done
  [[ -n "$settled" ]] || die "the window's frame ($LEFT,$TOP)-($RIGHT,$BOTTOM) is not inside the work area ${WA_W}x${WA_H}+${WA_X}+${WA_Y}: $(cat "$work/app.log")"
}

# The screen point at the middle of the word $1 in window $WID, as tesseract reads it.
word_at() {
  local region scale=3 shot="$work/read"
  region=$(window_region "$WID")
  import -window root -crop "$region" +repage -colorspace Gray -resize 300% "$shot.png"
  tesseract "$shot.png" "$shot" --psm 11 tsv >/dev/null 2>&1 || die "tesseract could not read the window"
  awk -F'\t' -v word="$1" -v scale="$scale" -v region="$region" '
    BEGIN { split(region, r, /[x+]/) }
    NR > 1 && NF == 12 && $12 == word {
      printf "%d %d\n", r[3] + ($7 + $9 / 2) / scale, r[4] + ($8 + $10 / 2) / scale
      exit
    }' "$shot.tsv"
}

for screen in 1280x720 1366x768; do
  start_screen "$screen"
  mkdir -p "$work/$screen"
  echo '(safety_note_seen: true)' >"$work/$screen/settings.ron"
  start_app "$work/$screen"
  fits
  ok "on $screen with a $PANEL-pixel panel (work area ${WA_W}x${WA_H}+${WA_X}+${WA_Y}) a first start opens a window whose frame is inside it ($LEFT,$TOP)-($RIGHT,$BOTTOM)"
  if [[ "$screen" == 1366x768 ]]; then
    region=$(window_region "$WID")
    wait_for_still "$region" 15 || die "home does not stand still"
    import -window root "$SHOTS/home-1366x768.png"
    point=$(word_at Settings)
    [[ -n "$point" ]] || die "no Settings button could be read on home"
    before="$work/before.rgb"
    grab "$region" "$before"
    # shellcheck disable=SC2086 # "X Y"
    xdotool mousemove $point click 1
    wait_for_change "$region" "$before" 10 || die "Settings did not open"
    xdotool mousemove 0 0
    wait_for_still "$region" 15 || die "Settings does not stand still"
    [[ -n "$(word_at Look)" ]] || die "Settings is not showing its first section"
    import -window root "$SHOTS/settings-1366x768.png"
    ok "at 1366x768 home and Settings are in $SHOTS (home-1366x768.png, settings-1366x768.png)"
  fi
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
fits
grep -q "brought inside the work area" "$work/app.log" || die "the kept size was not brought inside: $(cat "$work/app.log")"
ok "a size kept from a 1024-pixel-tall screen is brought inside the work area of a 720-pixel one at start ($LEFT,$TOP)-($RIGHT,$BOTTOM)"
kill -TERM "$PID"
wait_for_exit "$PID" 20 || die "downshift did not end on SIGTERM"
stop_screen

echo "e2e small screen: $passed passed, 0 failed"
