#!/usr/bin/env bash
# Cues that hold on a busy machine: three minutes of `downshift play --no-window` recorded
# through a private PulseAudio and a private PipeWire (each with a null sink, both at once) while
# stress-ng loads every core, memory and the disk (a compile beside a browser). In each, the
# stream is starved for certain twice: downshift stopped for 300 ms (SIGSTOP by its pid) just
# after the exhale cues at 01:04 and 02:04. Each recording must show: no "device stopped", every
# cue heard, spacing error p95 at most 5 ms, the last cue within 2 ms of its plan; and after each
# starved stream the next cue within 2 ms of its plan (spacing error max at most 2 ms).
# CUE_MINUTES (default 3) sets the length; it prints the worst figures for `make bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-x11.sh
need stress-ng python3
minutes=${CUE_MINUTES:-3}
stall_at=${STALL_AT:-01:04 02:04}
work=$(mktemp -d)
started=()
trap 'end_started; rm -rf "$work"' EXIT

stress-ng --cpu 6 --io 2 --vm 2 --vm-bytes 512M --timeout "$(python3 -c "print(int($minutes * 60 + 90))")s" \
  >"$work/stress.log" 2>&1 &
started+=($!)
for server in pulseaudio pipewire; do
  SOUND_SERVER=$server STALL_MS=300 STALL_AT="$stall_at" RUST_LOG=downshift=info \
    KEEP_LOG="$work/$server.play" scripts/measure-cues.sh "$minutes" >"$work/$server.figures" 2>"$work/$server.err" &
  started+=($!)
done
statuses=()
for i in 1 2; do
  status=0
  wait "${started[i]}" || status=$?
  statuses+=("$status")
done
kill "${started[0]}" 2>/dev/null || true
wait "${started[0]}" 2>/dev/null || true
started=()

passed=0
worst=()
for i in 0 1; do
  server=$([[ $i == 0 ]] && echo pulseaudio || echo pipewire)
  [[ "${statuses[i]}" == 0 ]] || die "$server: the measurement failed: $(cat "$work/$server.err")"
  grep -q "device stopped" "$work/$server.err" && die "$server: the device was taken for lost under load: $(cat "$work/$server.err")"
  grep -q "sound through PulseAudio" "$work/$server.play" ||
    die "$server: the sound did not go through the server's own protocol: $(grep "sound through" "$work/$server.play")"
  figures=$(cat "$work/$server.figures")
  lags=$(grep -o "fell [-0-9.]* ms behind" "$work/$server.err" | sed 's/fell //; s/ behind//' | paste -sd, - || true)
  echo "$server under load, stopped 300 ms at $stall_at: $figures ($(grep -o "[0-9]* underruns" "$work/$server.err" | tail -n 1 || true); fell behind in all: ${lags:-never}, made up)"
  python3 - "$figures" "$minutes" <<'PY' || die "$server: cue timing under load is off target"
import sys
fields = dict(item.split("=") for item in sys.argv[1].split())
expected = round(float(sys.argv[2]) * 6) * 2 + 1
assert int(fields["cues"]) == expected, f"{fields['cues']} of {expected} cues heard"
assert float(fields["spacing_error_p95_ms"]) <= 5.0, fields
assert abs(float(fields["drift_ms"])) <= 2.0, fields
assert float(fields["spacing_error_max_ms"]) <= 2.0, f"a cue after a stall is off plan: {fields}"
PY
  passed=$((passed + 1))
  worst+=("$server $figures")
done
# Each server's figures, for `make bench`.
for line in "${worst[@]}"; do echo "figures: $line"; done
echo "e2e audio under load: $passed passed, 0 failed"
