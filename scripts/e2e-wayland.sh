#!/usr/bin/env bash
# The window on Wayland, under a private headless Weston (no X display at all):
#   the compositor goes away mid-session   the session is recorded as ended early, with what was
#                                          breathed; no checkpoint is left behind
#   a window the compositor does not draw  (Weston's kiosk shell here; a hidden window elsewhere)
#                                          checkpoints still come every few seconds, and SIGTERM
#                                          still records the session as ended early
#   what Weston offers                     `downshift doctor` says: none of the idle and window
#                                          protocols (so nobody is taken for away)
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-x11.sh
need weston python3

BIN=${BIN:-target/release/downshift}
[[ -x "$BIN" ]] || die "$BIN is not built: run cargo build --release"
work=$(mktemp -d)
trap 'kill "${APP_PID:-}" "${WESTON_PID:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
private_environment "$work/env"
unset DISPLAY

# Starts a private Weston with shell $1 (desktop or kiosk); sets WESTON_PID and WAYLAND_DISPLAY.
start_weston() {
  local socket="downshift-$1"
  weston --backend=headless-backend.so --shell="$1-shell.so" --socket="$socket" \
    --idle-time=0 >"$work/weston-$1.log" 2>&1 &
  WESTON_PID=$!
  local deadline=$((SECONDS + 20))
  until [[ -S "$XDG_RUNTIME_DIR/$socket" ]]; do
    ((SECONDS < deadline)) || die "Weston did not start: $(cat "$work/weston-$1.log")"
    kill -0 "$WESTON_PID" 2>/dev/null || die "Weston ended: $(cat "$work/weston-$1.log")"
    sleep 0.1
  done
  export WAYLAND_DISPLAY=$socket
}

# Starts "Extended exhale 4-6" in the window on data folder $work/data-$1; sets DATA, APP_PID.
start_session() {
  DATA="$work/data-$1"
  mkdir -p "$DATA"
  echo '(safety_note_seen: true)' >"$DATA/settings.ron"
  RUST_LOG=info "$BIN" --data-dir "$DATA" play "Extended exhale 4-6" >"$DATA.log" 2>&1 &
  APP_PID=$!
}

# Waits until the session's checkpoint says at least $1 s were breathed.
wait_for_checkpoint() {
  local deadline=$((SECONDS + 40))
  until python3 - "$DATA" "$1" <<'PY'
import glob, re, sys
for path in glob.glob(f"{sys.argv[1]}/checkpoints/*.ron"):
    found = re.search(r"breathed_seconds:\s*([0-9.]+)", open(path).read())
    if found and float(found.group(1)) >= float(sys.argv[2]):
        sys.exit(0)
sys.exit(1)
PY
  do
    ((SECONDS < deadline)) || die "no checkpoint with $1 s breathed: $(cat "$DATA.log")"
    kill -0 "$APP_PID" 2>/dev/null || die "the window ended on its own: $(cat "$DATA.log")"
    sleep 0.2
  done
  grep -q "Xlib\|X11" "$DATA.log" && die "the window used X11: $(cat "$DATA.log")"
  return 0
}

# After the window ended: no checkpoint left, one "ended early" record of at least $1 s.
expect_ended_early() {
  compgen -G "$DATA/checkpoints/*.ron" >/dev/null &&
    die "a checkpoint was left behind: $(cat "$DATA.log")"
  local got
  got=$("$BIN" --data-dir "$DATA" history --format csv 2>/dev/null | python3 -c '
import csv, sys
for row in csv.DictReader(sys.stdin):
    print(row["outcome"], row["breathed_seconds"])')
  [[ $(wc -l <<<"$got") == 1 && "$got" == "ended early "* ]] ||
    die "not one ended-early record: $got ($(cat "$DATA.log"))"
  BREATHED=${got#ended early }
  python3 -c "import sys; sys.exit(0 if float('$BREATHED') >= $1 else 1)" ||
    die "only $BREATHED s recorded, at least $1 s were breathed"
}

start_weston desktop
echo "version: $(weston --version 2>&1 | head -n1) (headless backend)"
XDG_SESSION_TYPE=wayland "$BIN" doctor >"$work/doctor.txt" 2>/dev/null || die "doctor failed"
echo "--- downshift doctor under $(weston --version 2>&1 | head -n1):"
grep -E "^(session|wayland|idle|full screen|busy): " "$work/doctor.txt"
echo "---"
grep -q "^wayland: offers .*; not ext_idle_notifier_v1, org_kde_kwin_idle, zwlr_foreign_toplevel_manager_v1, org_kde_plasma_window_management" "$work/doctor.txt" \
  || die "Weston offers an idle or window protocol now: $(grep '^wayland: ' "$work/doctor.txt")"
grep -q "^idle: none (" "$work/doctor.txt" || die "$(grep '^idle: ' "$work/doctor.txt")"
grep -q "^full screen: none (" "$work/doctor.txt" || die "$(grep '^full screen: ' "$work/doctor.txt")"
echo "ok: under Weston, doctor says it offers no idle or window protocol: nobody is taken for away, full screen is not seen"
start_session lost
wait_for_checkpoint 3
kill "$WESTON_PID"
wait "$WESTON_PID" 2>/dev/null || true
WESTON_PID=
wait_for_exit "$APP_PID" 15 || die "the window did not end with its compositor"
APP_PID=
expect_ended_early 3
echo "ok: the compositor going away ends the session early and records it ($BREATHED s)"

start_weston kiosk
start_session undrawn
# Past the window's own first checkpoints: these come from the session's timing alone.
wait_for_checkpoint 13
kill -TERM "$APP_PID"
wait_for_exit "$APP_PID" 15 || die "SIGTERM did not end the undrawn window"
APP_PID=
expect_ended_early 13
echo "ok: an undrawn window keeps checkpointing, and SIGTERM records its session ($BREATHED s)"
kill "$WESTON_PID"
wait "$WESTON_PID" 2>/dev/null || true
WESTON_PID=
echo "e2e wayland: 3 passed, 0 failed"
