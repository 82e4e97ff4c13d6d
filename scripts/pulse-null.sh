# Shared by the sound scripts: a private PulseAudio server whose default sink is a null sink
# named "cap", belonging to the script that starts it. Source this file, then
#   start_pulse_null DIR    start the server (its files all in DIR); sets PULSE_PID
#   stop_pulse_null         end that server, by its pid
# ALSA's default device routes to PulseAudio (Debian's libasound2-plugins), and PULSE_SERVER
# sends every client started afterwards (downshift, parecord, pactl) to this server alone, so
# `parecord --device=cap.monitor out.wav` records exactly what downshift played.
# Nothing outside DIR is touched: no home folder files (config, cookie), no other server, no
# autospawn. Needs: pulseaudio pulseaudio-utils libasound2-plugins.

start_pulse_null() {
  local dir=$1
  mkdir -p "$dir/runtime" "$dir/state" "$dir/home"
  chmod 700 "$dir/runtime"
  echo "autospawn = no" >"$dir/client.conf"
  export PULSE_RUNTIME_PATH="$dir/runtime"
  export PULSE_STATE_PATH="$dir/state"
  export PULSE_CLIENTCONFIG="$dir/client.conf"
  export PULSE_COOKIE="$dir/cookie"
  export PULSE_SERVER="unix:$dir/runtime/native"
  # The server's own home and config folder are private too (clients need no cookie), and it
  # has no D-Bus and no X display to start a bus daemon for, which would outlive the script.
  env -u DISPLAY HOME="$dir/home" XDG_CONFIG_HOME="$dir/home/.config" \
    DBUS_SESSION_BUS_ADDRESS="unix:path=$dir/no-bus" DBUS_SYSTEM_BUS_ADDRESS="unix:path=$dir/no-bus" \
    pulseaudio --daemonize=no --use-pid-file=no --exit-idle-time=-1 --disallow-exit -n \
    --load="module-null-sink sink_name=cap rate=48000" \
    --load="module-native-protocol-unix socket=$dir/runtime/native auth-anonymous=1" \
    --log-target=file:"$dir/pulse.log" </dev/null >/dev/null 2>&1 &
  PULSE_PID=$!
  local _
  for _ in $(seq 100); do
    pactl info >/dev/null 2>&1 && break
    kill -0 "$PULSE_PID" 2>/dev/null || break
    sleep 0.1
  done
  if ! pactl info >/dev/null 2>&1; then
    echo "pulse-null: the server did not start: $(tail -n 5 "$dir/pulse.log" 2>/dev/null)" >&2
    return 1
  fi
  pactl set-default-sink cap
}

stop_pulse_null() {
  [[ -n "${PULSE_PID:-}" ]] || return 0
  kill "$PULSE_PID" 2>/dev/null || true
  wait "$PULSE_PID" 2>/dev/null || true
  PULSE_PID=
}
