#!/bin/bash
# Copied from the project's shared tools so the measurement works wherever the repo is.
# Start (once) a private PulseAudio server whose default sink is a null sink named "cap".
# ALSA's default device then routes to it (Debian's libasound2-plugins), so rodio/cpal output
# lands there, and `parecord --device=cap.monitor out.wav` records exactly what was played.
# Needs: pulseaudio pulseaudio-utils libasound2-plugins (apt-get install -y ...).
# Usage: source it or run it; it prints the exports to use.
set -u
export XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp/pulse-null-$(id -u)}
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# no autospawn: a server spawned by a client exits when idle and drops audio
mkdir -p "$HOME/.config/pulse" && grep -qs "autospawn = no" "$HOME/.config/pulse/client.conf" \
  || echo "autospawn = no" >> "$HOME/.config/pulse/client.conf"
if ! pactl info >/dev/null 2>&1; then
  setsid pulseaudio --daemonize=yes --exit-idle-time=-1 --disallow-exit -n \
    --load="module-null-sink sink_name=cap rate=48000" \
    --load="module-native-protocol-unix" \
    --log-target=file:"$XDG_RUNTIME_DIR/pulse.log" >/dev/null 2>&1
  for _ in $(seq 50); do pactl info >/dev/null 2>&1 && break; sleep 0.1; done
fi
pactl info >/dev/null 2>&1 || { echo "pulse-null: server did not start (see $XDG_RUNTIME_DIR/pulse.log)" >&2; exit 1; }
pactl set-default-sink cap
echo "export XDG_RUNTIME_DIR=$XDG_RUNTIME_DIR"
