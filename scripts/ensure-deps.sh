#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages downshift needs when they are missing.
#   scripts/ensure-deps.sh run      what building and running the app needs
#   scripts/ensure-deps.sh install  that, plus what make install needs (the icon's renderer)
#   scripts/ensure-deps.sh deb      that, plus what make deb needs (cargo-deb, dpkg-dev)
#   scripts/ensure-deps.sh test     all that, plus what the end-to-end tests need
# Elsewhere it prints the packages to install and stops. If anything stays missing it fails:
# a test is never skipped for want of a tool.
set -euo pipefail

run_packages=(pkg-config libasound2-dev libx11-6 libxss1 libx11-xcb1 libxcursor1 libxrandr2 libxi6 libxkbcommon-x11-0 libgl1 libegl1 libgl1-mesa-dri)
install_packages=(librsvg2-bin)
deb_packages=(dpkg-dev lintian)
# The install test checks the launcher, metainfo, man page and completions with the tools that
# read them, and the single copy under a window manager (openbox) that minimises and restores.
# The Xfce test runs the real panel, settings daemon and notification server, and reads what
# they draw with tesseract (in a font it can count on).
test_packages=(stress-ng xvfb xdotool x11-utils imagemagick pulseaudio pulseaudio-utils libasound2-plugins sox espeak-ng python3 dbus-daemon dbus-bin libvulkan1 mesa-vulkan-drivers desktop-file-utils appstream man-db groff-base bash-completion zsh fish openbox weston wmctrl xfce4-panel xfce4-notifyd xfconf tesseract-ocr tesseract-ocr-eng fonts-dejavu-core)
# The screen reader test (scripts/e2e-orca.sh) runs Orca on the accessibility bus (at-spi2-core),
# speaking through speech-dispatcher (whose dummy output module it uses), run in a terminal by
# script (bsdutils) so that its debug log is written line by line; Orca itself, 46 or newer, is
# installed by ensure_orca below.
test_packages+=(at-spi2-core speech-dispatcher python3-gi python3-speechd gir1.2-atspi-2.0 procps bsdutils)
# The Wayland working-day test (scripts/e2e-sway.sh) runs sway headless as an unprivileged user
# (setpriv, util-linux), types with wtype, makes weston-terminal (package weston) full screen, and
# reads mako's notifications back with makoctl, which calls busctl (package systemd).
test_packages+=(sway wtype mako-notifier util-linux systemd)
# The sound tests play through a private PipeWire too (scripts/pipewire-null.sh): the server,
# its session manager and its PulseAudio server, as desktops run them.
test_packages+=(pipewire pipewire-bin pipewire-pulse wireplumber)
ORCA_MIN_VERSION=46
# cargo-deb, built from crates.io when missing (about a minute on two cores).
CARGO_DEB_VERSION=3.8.0

mode=${1:-run}
case "${1:-run}" in
  run) wanted=("${run_packages[@]}"); cargo_deb=false ;;
  install) wanted=("${run_packages[@]}" "${install_packages[@]}"); cargo_deb=false ;;
  deb) wanted=("${run_packages[@]}" "${install_packages[@]}" "${deb_packages[@]}"); cargo_deb=true ;;
  test) wanted=("${run_packages[@]}" "${install_packages[@]}" "${deb_packages[@]}" "${test_packages[@]}"); cargo_deb=true ;;
  *) echo "usage: $0 run|install|deb|test" >&2; exit 2 ;;
esac

ensure_cargo_deb() {
  $cargo_deb || return 0
  cargo deb --version >/dev/null 2>&1 && return 0
  echo "Installing cargo-deb $CARGO_DEB_VERSION (cargo install)"
  cargo install cargo-deb --version "$CARGO_DEB_VERSION" --locked
}

# Orca 46 or newer (the first to speak AT-SPI announcements), for `test`. Debian 12 (bookworm)
# has Orca 43; 48 is in bookworm-backports. With CI=true that suite is enabled and Orca
# installed from it; elsewhere this says how, and fails. On other systems the distribution's
# own Orca is installed (Ubuntu 24.04 has 46, Debian 13 has 48).
orca_installed() { { dpkg-query -W -f='${Status} ${Version}' orca 2>/dev/null || true; } | sed -n 's/^install ok installed //p'; }
orca_ok() {
  local version
  version=$(orca_installed)
  [[ -n "$version" ]] && dpkg --compare-versions "$version" ge "$ORCA_MIN_VERSION"
}
ensure_orca() {
  [[ "$mode" == test ]] || return 0
  orca_ok && return 0
  local codename have as_root=() apt=(env DEBIAN_FRONTEND=noninteractive apt-get)
  codename=$(. /etc/os-release 2>/dev/null && echo "${VERSION_CODENAME:-}")
  have=$(orca_installed)
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 && as_root=(sudo)
  fi
  if [[ "$codename" == bookworm && "${CI:-}" != true ]]; then
    {
      echo "The screen reader test needs Orca $ORCA_MIN_VERSION or newer (installed: ${have:-none})."
      echo "Debian 12 has Orca 43; Orca 48 is in bookworm-backports. Enable that suite and install it from there:"
      echo "  echo 'deb http://deb.debian.org/debian bookworm-backports main' | sudo tee /etc/apt/sources.list.d/bookworm-backports.list"
      echo "  sudo apt-get update"
      echo "  sudo apt-get install -t bookworm-backports orca"
      echo "then run this again."
    } >&2
    exit 1
  fi
  if [[ $(id -u) -ne 0 && ${#as_root[@]} -eq 0 ]]; then
    echo "Not root and no sudo: install Orca $ORCA_MIN_VERSION or newer, then run again" >&2
    exit 1
  fi
  if [[ "$codename" == bookworm ]]; then
    echo "Installing Orca from bookworm-backports (CI=true; Debian 12's own Orca is 43)"
    echo "deb http://deb.debian.org/debian bookworm-backports main" |
      "${as_root[@]}" tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
    "${as_root[@]}" "${apt[@]}" update -qq
    "${as_root[@]}" "${apt[@]}" install -y -qq --no-install-recommends -t bookworm-backports orca
  else
    echo "Installing Orca"
    "${as_root[@]}" "${apt[@]}" update -qq
    "${as_root[@]}" "${apt[@]}" install -y -qq --no-install-recommends orca
  fi
  if ! orca_ok; then
    have=$(orca_installed)
    echo "The screen reader test needs Orca $ORCA_MIN_VERSION or newer; installed: ${have:-none}" >&2
    exit 1
  fi
}

if ! command -v cargo >/dev/null 2>&1; then
  echo "downshift needs Rust (cargo) 1.95 or newer: see https://rustup.rs" >&2
  exit 1
fi

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  echo "This is not a Debian/Ubuntu system. Install the equivalents of these packages, then run again:" >&2
  echo "  ${wanted[*]}" >&2
  exit 1
fi

missing=()
for package in "${wanted[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
  ensure_cargo_deb
  ensure_orca
  exit 0
fi

echo "Installing missing packages: ${missing[*]}"
sudo=()
if [[ $(id -u) -ne 0 ]]; then
  if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
    echo "Not root and no sudo: install these packages, then run again: ${missing[*]}" >&2
    exit 1
  fi
fi
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
ensure_cargo_deb
ensure_orca
