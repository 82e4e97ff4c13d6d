#!/usr/bin/env bash
# Every way the real window can end mid-session leaves a record, under Xvfb with the release
# binary and a fresh data folder each time:
#   SIGINT, SIGTERM, SIGHUP    the window leaves as on Ctrl+Q: one record, ended early (and the
#                              unreadable window.ron it found is kept aside byte for byte)
#   SIGKILL                    the checkpoint left behind becomes one "interrupted" record at
#                              the next start, exactly once, also with two copies starting
#   its X server killed        the window records the session as ended early before it goes
#                              (as of its last checkpoint); no checkpoint is left
# Every wait is on something that can be seen (a window, a file, a process), with a time-out.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-x11.sh
need python3

BIN=${BIN:-target/release/downshift}
[[ -x "$BIN" ]] || die "$BIN is not built: run cargo build --release"
work=$(mktemp -d)
trap 'kill "${APP_PID:-}" "${XVFB_PID:-}" 2>/dev/null || true; rm -rf "$work"' EXIT
private_environment "$work/env"
passed=0

# Waits until the live session's checkpoint in data folder $1 says at least $2 s were breathed.
wait_for_checkpoint() {
  local data=$1 seconds=$2 deadline=$((SECONDS + 40))
  until python3 - "$data" "$seconds" <<'PY'
import glob, re, sys
data, wanted = sys.argv[1], float(sys.argv[2])
for path in glob.glob(f"{data}/checkpoints/*.ron"):
    found = re.search(r"breathed_seconds:\s*([0-9.]+)", open(path).read())
    if found and float(found.group(1)) >= wanted:
        sys.exit(0)
sys.exit(1)
PY
  do
    ((SECONDS < deadline)) || die "no checkpoint with ${seconds} s breathed in $data"
    sleep 0.2
  done
}

# The outcomes in data folder $1's history, one a line (CSV column "outcome").
outcomes() {
  "$BIN" --data-dir "$1" history --format csv 2>/dev/null | python3 -c '
import csv, sys
for row in csv.DictReader(sys.stdin):
    print(row["outcome"], row["breathed_seconds"])'
}

# Opens the window on a fresh data folder and starts plain breathing; sets DATA and APP_PID.
start_session() {
  DATA="$work/data-$1"
  mkdir -p "$DATA"
  echo '(ask_tension: false, safety_note_seen: true, time_slots: [(from: "00:00", practice: "Extended exhale 4-6", reason: "the test")])' >"$DATA/settings.ron"
  # A window.ron that does not read (half a map, a byte that is not UTF-8): eframe would write
  # over it; downshift keeps it aside first.
  printf '{"window": (x: 1, \xff' >"$DATA/window.ron"
  cp "$DATA/window.ron" "$work/window-$1.ron"
  "$BIN" --data-dir "$DATA" >"$DATA.log" 2>&1 &
  APP_PID=$!
  local window
  window=$(wait_for_window downshift 30) || die "no downshift window appeared"
  focus_window "$window"
  # Space starts the practice once the window takes keys: its first checkpoint shows it.
  local deadline=$((SECONDS + 30))
  until compgen -G "$DATA/checkpoints/*.ron" >/dev/null; do
    ((SECONDS < deadline)) || die "Space did not start a session"
    xdotool key --window "$window" space
    # Long enough for the first checkpoint, so a second press cannot pause the session.
    sleep 2
  done
  wait_for_checkpoint "$DATA" 3
}

start_xvfb
for signal in INT TERM HUP; do
  start_session "$signal"
  kill -s "$signal" "$APP_PID"
  wait_for_exit "$APP_PID" 15 || die "SIG$signal did not end the window"
  APP_PID=
  got=$(outcomes "$DATA")
  [[ $(wc -l <<<"$got") == 1 && "$got" == "ended early "* ]] || die "after SIG$signal: $got"
  breathed=${got#ended early }
  python3 -c "import sys; sys.exit(0 if float('$breathed') >= 3 else 1)" || die "SIG$signal recorded only $breathed s"
  compgen -G "$DATA/checkpoints/*.ron" >/dev/null && die "a checkpoint was left after SIG$signal"
  kept=$(compgen -G "$DATA/window.ron.unreadable-*") || die "the unreadable window.ron was not kept aside"
  cmp -s "$kept" "$work/window-$signal.ron" || die "the kept window.ron is not the original, byte for byte"
  echo "ok: SIG$signal ends the session early and records it ($breathed s)"
  passed=$((passed + 1))
done

# kill -9: nothing can run; the checkpoint remains. Two copies read the history at once.
start_session KILL
kill -KILL "$APP_PID"
wait "$APP_PID" 2>/dev/null || true
APP_PID=
outcomes "$DATA" >"$work/first.txt" &
first=$!
outcomes "$DATA" >"$work/second.txt"
wait "$first" || die "the first copy reading the history failed"
got=$(cat "$work/first.txt" "$work/second.txt" | sort -u)
[[ "$got" == "interrupted "* ]] || die "after SIGKILL: $got"
[[ $(outcomes "$DATA" | wc -l) == 1 ]] || die "the interrupted session was recorded more than once: $(outcomes "$DATA")"
echo "ok: after SIGKILL the next start records one interrupted session (${got#interrupted } s)"
passed=$((passed + 1))

# The X server goes away mid-session.
start_session X
kill "$XVFB_PID"
wait "$XVFB_PID" 2>/dev/null || true
XVFB_PID=
wait_for_exit "$APP_PID" 15 || die "the window did not end with its X server"
APP_PID=
# Looked at before anything reads the history (which would recover a checkpoint left behind).
compgen -G "$DATA/checkpoints/*.ron" >/dev/null &&
  die "a checkpoint was left when the X server went away: $(cat "$DATA.log")"
got=$(outcomes "$DATA")
[[ $(wc -l <<<"$got") == 1 && "$got" == "ended early "* ]] ||
  die "after the X server went away: $got ($(cat "$DATA.log"))"
breathed=${got#ended early }
python3 -c "import sys; sys.exit(0 if float('$breathed') >= 3 else 1)" ||
  die "only $breathed s recorded when the X server went away"
echo "ok: the X server going away ends the session early and records it ($breathed s)"
passed=$((passed + 1))

echo "e2e endings: $passed passed, 0 failed"
