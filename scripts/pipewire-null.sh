# Shared by the sound scripts: a private PipeWire (pipewire, wireplumber and pipewire-pulse, as
# Debian 12, Ubuntu and Fedora desktops run them) whose default sink is a null sink named "cap",
# belonging to the script that starts it. Source this file, then
#   start_pipewire_null DIR    start the three servers (their files all in DIR); sets
#                              PIPEWIRE_PIDS and exports PULSE_SERVER
#   stop_pipewire_null         end them, by their pids
# Clients reach it as they reach PulseAudio (PULSE_SERVER, pipewire-pulse's socket), so
# `parecord --device=cap.monitor out.wav` records exactly what downshift played, as with
# scripts/pulse-null.sh.
# How it runs privately, as root in a container too: the servers get a runtime folder, home,
# configuration and state of their own in DIR; no D-Bus (the configuration fragments written
# below turn it off: wireplumber would otherwise quit without a session bus) and no real
# devices (wireplumber's ALSA, V4L2, libcamera and Bluetooth monitors are not loaded).
# pipewire-pulse makes the null sink (module-null-sink, as PulseAudio does), wireplumber links
# the streams to it, and pipewire's null sink drives the graph on the system's clock.
# Needs: pipewire pipewire-bin pipewire-pulse wireplumber pulseaudio-utils.

start_pipewire_null() {
  local dir=$1
  mkdir -p "$dir/runtime" "$dir/home" "$dir/state" "$dir/config/pipewire/pipewire.conf.d" \
    "$dir/config/pipewire/pipewire-pulse.conf.d" "$dir/config/wireplumber/main.lua.d"
  chmod 700 "$dir/runtime"
  echo 'context.properties = { support.dbus = false }' >"$dir/config/pipewire/pipewire.conf.d/private.conf"
  echo 'context.properties = { support.dbus = false }' >"$dir/config/pipewire/pipewire-pulse.conf.d/private.conf"
  # wireplumber's own configuration without the Bluetooth part (it asks logind over D-Bus) and
  # without D-Bus.
  cat >"$dir/config/wireplumber/wireplumber.conf" <<'EOF'
context.properties = {
  log.level = 2
  wireplumber.script-engine = lua-scripting
  support.dbus = false
}
context.spa-libs = {
  audio.convert.* = audioconvert/libspa-audioconvert
  support.*       = support/libspa-support
}
context.modules = [
  { name = libpipewire-module-protocol-native }
  { name = libpipewire-module-client-node }
  { name = libpipewire-module-client-device }
  { name = libpipewire-module-adapter }
  { name = libpipewire-module-metadata }
  { name = libpipewire-module-session-manager }
]
wireplumber.components = [
  { name = libwireplumber-module-lua-scripting, type = module }
  { name = main.lua, type = config/lua }
  { name = policy.lua, type = config/lua }
]
EOF
  cat >"$dir/config/wireplumber/main.lua.d/60-private.lua" <<'EOF'
alsa_monitor.enabled = false
v4l2_monitor.enabled = false
libcamera_monitor.enabled = false
default_access.properties["enable-flatpak-portal"] = false
EOF
  echo "autospawn = no" >"$dir/client.conf"
  export PULSE_CLIENTCONFIG="$dir/client.conf"
  export PULSE_SERVER="unix:$dir/runtime/pulse/native"
  # The cookie libpulse's first client (pactl, below) writes, as it does on a desktop, and
  # downshift reads: PipeWire refuses a client that brings none.
  export PULSE_COOKIE="$dir/cookie"
  # What a server stopped earlier (stop_pipewire_null) may have left of its sockets.
  rm -f "$dir/runtime/pipewire-0" "$dir/runtime/pipewire-0.lock" "$dir/runtime/pulse/native"
  local server_env=(env -u DISPLAY -u WAYLAND_DISPLAY -u PULSE_RUNTIME_PATH -u PULSE_STATE_PATH
    HOME="$dir/home" XDG_RUNTIME_DIR="$dir/runtime"
    PIPEWIRE_RUNTIME_DIR="$dir/runtime" XDG_CONFIG_HOME="$dir/config" XDG_STATE_HOME="$dir/state"
    DBUS_SESSION_BUS_ADDRESS="unix:path=$dir/no-bus" DBUS_SYSTEM_BUS_ADDRESS="unix:path=$dir/no-bus")
  PIPEWIRE_PIDS=()
  "${server_env[@]}" pipewire </dev/null >"$dir/pipewire.log" 2>&1 &
  PIPEWIRE_PIDS+=($!)
  local _
  for _ in $(seq 100); do
    [[ -S "$dir/runtime/pipewire-0" ]] && break
    sleep 0.05
  done
  "${server_env[@]}" wireplumber </dev/null >"$dir/wireplumber.log" 2>&1 &
  PIPEWIRE_PIDS+=($!)
  "${server_env[@]}" pipewire-pulse </dev/null >"$dir/pipewire-pulse.log" 2>&1 &
  PIPEWIRE_PIDS+=($!)
  for _ in $(seq 100); do
    pactl info >/dev/null 2>&1 && break
    sleep 0.1
  done
  if ! pactl info >/dev/null 2>&1; then
    echo "pipewire-null: pipewire-pulse did not start: $(tail -n 5 "$dir"/*.log 2>/dev/null)" >&2
    return 1
  fi
  pactl load-module module-null-sink sink_name=cap rate=48000 >/dev/null || return 1
  # wireplumber makes it the default once it has seen it: wait for that.
  for _ in $(seq 100); do
    pactl set-default-sink cap 2>/dev/null &&
      [[ "$(pactl get-default-sink 2>/dev/null)" == cap ]] && break
    sleep 0.1
  done
  if [[ "$(pactl get-default-sink 2>/dev/null)" != cap ]]; then
    echo "pipewire-null: the null sink is not the default: $(tail -n 5 "$dir/wireplumber.log" 2>/dev/null)" >&2
    return 1
  fi
  local pid
  for pid in "${PIPEWIRE_PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "pipewire-null: a server quit: $(tail -n 5 "$dir"/*.log)" >&2; return 1; }
  done
}

stop_pipewire_null() {
  [[ -n "${PIPEWIRE_PIDS[*]:-}" ]] || return 0
  local i
  # The last started first: pipewire-pulse, wireplumber, then pipewire itself.
  for ((i = ${#PIPEWIRE_PIDS[@]} - 1; i >= 0; i--)); do
    kill "${PIPEWIRE_PIDS[i]}" 2>/dev/null || true
    wait "${PIPEWIRE_PIDS[i]}" 2>/dev/null || true
  done
  PIPEWIRE_PIDS=()
}
