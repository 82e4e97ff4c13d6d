#!/usr/bin/env bash
# Installs or uninstalls downshift's files, for `make install` and `make uninstall`:
#   scripts/install.sh install      copy the built files into $DESTDIR$PREFIX
#   scripts/install.sh uninstall    remove exactly what the last install put there
# PREFIX defaults to ~/.local; DESTDIR (default empty) stages the tree for a package.
# The files come from `make build`: target/release/downshift and target/assets (man pages,
# completions, icons); the launcher and metainfo from data/.
#
# What was installed is kept in a manifest, $PREFIX/share/downshift/install-manifest: one line
# per file ("f PATH") and per folder the install created ("d PATH"), paths as installed (without
# DESTDIR). Uninstall reads it, so it removes what was installed even after the source tree has
# changed, removes nothing else, and removes a folder only when it created it and it is empty.
# Installing over an earlier install first removes that install's files.
set -euo pipefail
cd "$(dirname "$0")/.."

APP_ID=io.github.downshift.Downshift
PREFIX=${PREFIX:-$HOME/.local}
PREFIX=${PREFIX%/}
DESTDIR=${DESTDIR:-}
DESTDIR=${DESTDIR%/}
BIN=${BIN:-target/release/downshift}
ASSETS=${ASSETS:-target/assets}
MANIFEST_DIR=$PREFIX/share/downshift
MANIFEST=$MANIFEST_DIR/install-manifest

die() { echo "downshift install: $*" >&2; exit 1; }

[[ "$PREFIX" == /* ]] || die "PREFIX must be an absolute path (it is \"$PREFIX\")"
[[ -z "$DESTDIR" || "$DESTDIR" == /* ]] || die "DESTDIR must be an absolute path (it is \"$DESTDIR\")"

# Adds a line to the manifest. Lines wait until the manifest's folder exists (the first folders
# are made before it), then each is written at once: an install that fails halfway can still be
# uninstalled.
waiting=()
record() {
  waiting+=("$1")
  if [[ -d "$DESTDIR$MANIFEST_DIR" ]]; then
    printf '%s\n' "${waiting[@]}" >>"$DESTDIR$MANIFEST"
    waiting=()
  fi
}

# Creates folder $1 (a path as installed) and the missing ones above it up to the prefix, and
# records each one it created.
make_dir() {
  local dir=$1 missing=()
  while [[ ! -d "$DESTDIR$dir" ]]; do
    missing=("$dir" "${missing[@]}")
    [[ "$dir" == "$PREFIX" ]] && break
    dir=$(dirname "$dir")
  done
  # Folders above the prefix (a new staging folder) are made but are not ours to remove.
  [[ -d "$DESTDIR$PREFIX" ]] || mkdir -p "$(dirname "$DESTDIR$PREFIX")"
  for dir in "${missing[@]}"; do
    install -d -m 755 "$DESTDIR$dir"
    record "d $dir"
  done
}

# Installs file $1 as $2 (a path as installed) with mode $3, and records it.
put() {
  local source=$1 target=$2 mode=$3
  [[ -f "$source" ]] || die "$source is missing: run make build"
  make_dir "$(dirname "$target")"
  install -m "$mode" "$source" "$DESTDIR$target"
  record "f $target"
}

uninstall() {
  local manifest=$DESTDIR$MANIFEST kind path
  if [[ ! -f "$manifest" ]]; then
    echo "downshift install: nothing to uninstall: no $manifest" >&2
    return 1
  fi
  local entries=()
  mapfile -t entries <"$manifest"
  # Every path must lie inside the prefix: a damaged manifest never removes anything else.
  for entry in "${entries[@]}"; do
    kind=${entry%% *}
    path=${entry#* }
    [[ "$kind" == f || "$kind" == d ]] || die "$manifest: line \"$entry\" is not \"f PATH\" or \"d PATH\""
    [[ "$path" == "$PREFIX" || "$path" == "$PREFIX"/* ]] && [[ "$path" != *"/../"* && "$path" != */.. ]] \
      || die "$manifest: $path is not inside $PREFIX: nothing was removed"
  done
  local removed=0
  for ((i = ${#entries[@]} - 1; i >= 0; i--)); do
    kind=${entries[i]%% *}
    path=${entries[i]#* }
    if [[ "$kind" == f && ( -e "$DESTDIR$path" || -L "$DESTDIR$path" ) ]]; then
      rm -f "$DESTDIR$path"
      removed=$((removed + 1))
    fi
  done
  rm -f "$manifest"
  for ((i = ${#entries[@]} - 1; i >= 0; i--)); do
    kind=${entries[i]%% *}
    path=${entries[i]#* }
    # Only when empty: something else may have put files there since.
    [[ "$kind" == d && -d "$DESTDIR$path" ]] && rmdir "$DESTDIR$path" 2>/dev/null || true
  done
  echo "Removed downshift from $DESTDIR$PREFIX ($removed files)."
}

install_all() {
  [[ -x "$BIN" ]] || die "$BIN is missing: run make build"
  [[ -d "$ASSETS" ]] || die "$ASSETS is missing: run make build"
  if [[ -f "$DESTDIR$MANIFEST" ]]; then
    uninstall >/dev/null
  fi
  make_dir "$MANIFEST_DIR"
  # The manifest lists itself, so that uninstalling removes it like the rest.
  record "f $MANIFEST"

  local share=$PREFIX/share
  put "$BIN" "$PREFIX/bin/downshift" 755
  # The launcher names the binary by its full path: ~/.local/bin is not on every desktop's PATH.
  LAUNCHER=$(mktemp)
  trap 'rm -f "$LAUNCHER"' EXIT
  sed "s|@BINDIR@|$PREFIX/bin|g" "data/$APP_ID.desktop.in" >"$LAUNCHER"
  put "$LAUNCHER" "$share/applications/$APP_ID.desktop" 644
  put "data/$APP_ID.metainfo.xml" "$share/metainfo/$APP_ID.metainfo.xml" 644
  for icon in "$ASSETS"/icons/hicolor/*/apps/"$APP_ID".*; do
    put "$icon" "$share/icons/${icon#"$ASSETS"/icons/}" 644
  done
  for page in "$ASSETS"/man/man1/*.1; do
    put "$page" "$share/man/man1/$(basename "$page")" 644
  done
  put "$ASSETS/completions/bash/downshift" "$share/bash-completion/completions/downshift" 644
  put "$ASSETS/completions/zsh/_downshift" "$share/zsh/site-functions/_downshift" 644
  put "$ASSETS/completions/fish/downshift.fish" "$share/fish/vendor_completions.d/downshift.fish" 644

  echo "Installed downshift into $DESTDIR$PREFIX ($(grep -c '^f ' "$DESTDIR$MANIFEST") files, listed in $DESTDIR$MANIFEST)."
  if [[ -z "$DESTDIR" ]]; then
    case ":$PATH:" in
      *":$PREFIX/bin:"*) ;;
      *) echo "Note: $PREFIX/bin is not on your PATH; the menu's launcher works anyway." ;;
    esac
  fi
}

case "${1:-}" in
  install) install_all ;;
  uninstall) uninstall ;;
  *) echo "usage: $0 install|uninstall  (PREFIX, DESTDIR from the environment)" >&2; exit 2 ;;
esac
