#!/usr/bin/env bash
# Renders the app icon, data/icons/io.github.downshift.Downshift.svg (drawn by hand for the
# project), into the PNG sizes a desktop looks for:
#   scripts/make-icons.sh OUT_DIR    OUT_DIR/hicolor/<N>x<N>/apps/<app id>.png, N in 16..256,
#                                    and OUT_DIR/hicolor/scalable/apps/<app id>.svg
#   scripts/make-icons.sh --window   data/icons/window-128.png, the window's own icon (embedded
#                                    in the binary; committed, so building needs no renderer)
# Uses rsvg-convert (package librsvg2-bin).
set -euo pipefail
cd "$(dirname "$0")/.."

APP_ID=io.github.downshift.Downshift
SOURCE=data/icons/$APP_ID.svg
SIZES=(16 32 48 64 128 256)

command -v rsvg-convert >/dev/null 2>&1 || {
  echo "rsvg-convert is missing: install librsvg2-bin (scripts/ensure-deps.sh test)" >&2
  exit 1
}

render() { rsvg-convert --width "$1" --height "$1" --format png "$SOURCE" --output "$2"; }

case "${1:-}" in
  --window) render 128 data/icons/window-128.png ;;
  "" | -*) echo "usage: $0 OUT_DIR | --window" >&2; exit 2 ;;
  *)
    out=$1
    mkdir -p "$out/hicolor/scalable/apps"
    cp "$SOURCE" "$out/hicolor/scalable/apps/$APP_ID.svg"
    for size in "${SIZES[@]}"; do
      mkdir -p "$out/hicolor/${size}x${size}/apps"
      render "$size" "$out/hicolor/${size}x${size}/apps/$APP_ID.png"
    done
    ;;
esac
