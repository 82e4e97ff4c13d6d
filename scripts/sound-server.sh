# Shared by the sound scripts: the private sound server they play through, chosen by
# SOUND_SERVER: "pulseaudio" (the default; scripts/pulse-null.sh) or "pipewire" (pipewire,
# wireplumber and pipewire-pulse; scripts/pipewire-null.sh). Either way the default sink is a
# null sink named "cap" and PULSE_SERVER points every client started afterwards at it. Source
# this file, then
#   start_sound_server DIR    start it (its files all in DIR)
#   stop_sound_server         end it, by its pids
source "$(dirname "${BASH_SOURCE[0]}")/pulse-null.sh"
source "$(dirname "${BASH_SOURCE[0]}")/pipewire-null.sh"
SOUND_SERVER=${SOUND_SERVER:-pulseaudio}
case "$SOUND_SERVER" in
  pulseaudio | pipewire) ;;
  *) echo "SOUND_SERVER must be pulseaudio or pipewire, not $SOUND_SERVER" >&2; exit 2 ;;
esac

# The programs the chosen server needs, for `need`.
sound_server_programs() {
  case "$SOUND_SERVER" in
    pulseaudio) echo pulseaudio pactl parecord ;;
    pipewire) echo pipewire wireplumber pipewire-pulse pactl parecord ;;
  esac
}

start_sound_server() {
  case "$SOUND_SERVER" in
    pulseaudio) start_pulse_null "$1" ;;
    pipewire) start_pipewire_null "$1" ;;
  esac
}

stop_sound_server() {
  stop_pulse_null
  stop_pipewire_null
}
