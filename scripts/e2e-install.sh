#!/usr/bin/env bash
# End-to-end test of installing downshift as a desktop app, as a person or a packager would:
#   make install with the default PREFIX (a stand-in home), with a PREFIX of its own (holding
#   someone else's files too) and with DESTDIR; the launcher and metainfo pass
#   desktop-file-validate and appstreamcli; the installed binary runs; the man pages render; each
#   shell finds and loads its completions where it looks for them; the icons have their sizes;
#   installing again replaces; make uninstall leaves nothing of ours and everything else behind;
#   make deb packs the same files (dpkg-deb).
# Run after `make build`. Every temporary file is in one folder, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib-x11.sh
need make python3 desktop-file-validate appstreamcli man groff bash zsh fish dpkg-deb compare rsvg-convert lintian
[[ -f /usr/share/bash-completion/bash_completion ]] || die "bash-completion is missing: run scripts/ensure-deps.sh test"
cargo deb --version >/dev/null 2>&1 || die "cargo-deb is missing: run scripts/ensure-deps.sh test"

APP_ID=io.github.downshift.Downshift
VERSION=$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The shells and tools run here keep their settings and caches in $work, not in the home folder;
# cargo and rustup (if make needs them) keep theirs.
export CARGO_HOME=${CARGO_HOME:-$HOME/.cargo} RUSTUP_HOME=${RUSTUP_HOME:-$HOME/.rustup}
private_environment "$work/env"
started=$SECONDS
passed=0
ok() { echo "ok: $*"; passed=$((passed + 1)); }

# Runs make quietly; on failure shows what it said.
# The package checks (deps-install, deps-deb) are left out: this test must not install anything
# in the middle of a run; `need` above fails instead.
run_make() {
  if ! make --no-print-directory -o deps-install -o deps-deb "$@" >"$work/make.log" 2>&1; then
    cat "$work/make.log" >&2
    die "make $* failed"
  fi
}

# The files listed in manifest $1, one path a line.
manifest_files() { sed -n 's/^f //p' "$1"; }

# --- the default PREFIX is ~/.local -----------------------------------------------------------
mkdir -p "$work/home"
HOME="$work/home" run_make install
[[ -x "$work/home/.local/bin/downshift" ]] || die "make install did not put the binary in ~/.local/bin"
[[ -f "$work/home/.local/share/applications/$APP_ID.desktop" ]] || die "no launcher in ~/.local/share/applications"
# bash-completion's own folder for a person's completions is ~/.local/share/bash-completion.
registered=$(HOME="$work/home" XDG_DATA_HOME= bash --norc --noprofile -c '
  source /usr/share/bash-completion/bash_completion
  __load_completion downshift && complete -p downshift') || die "bash-completion did not find the completion in ~/.local"
[[ "$registered" == *" downshift" ]] || die "bash-completion registered: $registered"
HOME="$work/home" run_make uninstall
leftover=$(find "$work/home" -mindepth 1)
[[ -z "$leftover" ]] || die "make uninstall left behind in the home folder: $leftover"
ok "PREFIX defaults to ~/.local, and uninstall takes everything back out"

# --- a PREFIX of its own, which already holds someone else's files ---------------------------
prefix="$work/prefix"
mkdir -p "$prefix/bin" "$prefix/share/applications"
echo "not ours" >"$prefix/bin/other-tool"
echo "not ours" >"$prefix/share/applications/other.desktop"
run_make install PREFIX="$prefix"
manifest="$prefix/share/downshift/install-manifest"
[[ -f "$manifest" ]] || die "no manifest at $manifest"
while read -r path; do
  [[ -f "$path" ]] || die "the manifest lists $path, which is not there"
done < <(manifest_files "$manifest")
expected=(
  "bin/downshift"
  "share/applications/$APP_ID.desktop"
  "share/metainfo/$APP_ID.metainfo.xml"
  "share/icons/hicolor/scalable/apps/$APP_ID.svg"
  "share/man/man1/downshift.1"
  "share/man/man1/downshift-play.1"
  "share/man/man1/downshift-presets.1"
  "share/man/man1/downshift-history.1"
  "share/man/man1/downshift-checkin.1"
  "share/man/man1/downshift-checkins.1"
  "share/man/man1/downshift-patterns.1"
  "share/man/man1/downshift-heart-analyze.1"
  "share/man/man1/downshift-doctor.1"
  "share/bash-completion/completions/downshift"
  "share/zsh/site-functions/_downshift"
  "share/fish/vendor_completions.d/downshift.fish"
)
for size in 16 32 48 64 128 256; do expected+=("share/icons/hicolor/${size}x${size}/apps/$APP_ID.png"); done
for file in "${expected[@]}"; do
  grep -qxF "f $prefix/$file" "$manifest" || die "$file was not installed (or not recorded)"
done
ok "make install PREFIX=… puts ${#expected[@]} kinds of file where the desktop looks, and lists them"

launcher="$prefix/share/applications/$APP_ID.desktop"
report=$(desktop-file-validate "$launcher" 2>&1) || die "desktop-file-validate failed: $report"
[[ -z "$report" ]] || die "desktop-file-validate has remarks: $report"
python3 - "$launcher" "$prefix/bin/downshift" "$APP_ID" <<'PY'
import configparser, sys
path, binary, app_id = sys.argv[1:]
entry = configparser.RawConfigParser(strict=True, delimiters=("=",))
entry.optionxform = str
entry.read(path)
d = entry["Desktop Entry"]
assert d["Exec"] == binary, d["Exec"]
assert d["Icon"] == app_id and d["StartupWMClass"] == app_id, dict(d)
assert d["Name"] == "downshift", d["Name"]
keywords = d["Keywords"].split(";")
for word in ("breathing", "relax", "calm", "stress", "back pain", "micro-break"):
    assert word in keywords, f"{word} not in Keywords: {keywords}"
assert "Utility" in d["Categories"].split(";"), d["Categories"]
# KWin lists other programs' windows (full screen holds reminders back) only to a program whose
# launcher, found by the path in Exec, asks for it.
assert d["X-KDE-Wayland-Interfaces"] == "org_kde_plasma_window_management", dict(d)
PY
ok "the launcher is clean under desktop-file-validate and names the installed binary, the icon, the window's class and the KDE window list it reads"

metainfo="$prefix/share/metainfo/$APP_ID.metainfo.xml"
appstreamcli validate --no-net "$metainfo" >"$work/appstream.log" 2>&1 || die "appstreamcli validate failed: $(cat "$work/appstream.log")"
# Clean: no error or warning. (The one info from AppStream 0.16 is the <developer> tag it does not
# know yet; newer versions require it.)
! grep -E '^\s*[EW]: ' "$work/appstream.log" || die "appstreamcli has errors or warnings: $(cat "$work/appstream.log")"
appstreamcli validate-tree --no-net "$prefix" >"$work/tree.log" 2>&1 || die "appstreamcli validate-tree failed: $(cat "$work/tree.log")"
python3 - "$metainfo" "$APP_ID" "$VERSION" <<'PY'
import sys, xml.etree.ElementTree as ET
path, app_id, version = sys.argv[1:]
c = ET.parse(path).getroot()
assert c.findtext("id") == app_id
assert c.find("launchable").text == f"{app_id}.desktop"
assert c.find("provides/binary").text == "downshift"
assert c.find("content_rating").get("type").startswith("oars-")
assert c.find("screenshots/screenshot/image").text.endswith("docs/screenshot.png")
assert len(c.findall("description/p")) >= 1
release = c.find("releases/release")
assert release.get("version") == version, (release.get("version"), version)
assert release.find("description") is not None, "the release has no notes"
PY
ok "the metainfo is valid (appstreamcli validate and validate-tree, no net): description, screenshot, OARS rating, release $VERSION with notes"

python3 - "$prefix/share/icons/hicolor" "$APP_ID" <<'PY'
import struct, sys
root, app_id = sys.argv[1:]
for size in (16, 32, 48, 64, 128, 256):
    with open(f"{root}/{size}x{size}/apps/{app_id}.png", "rb") as f:
        head = f.read(24)
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{size}: not a PNG"
    width, height = struct.unpack(">II", head[16:24])
    assert (width, height) == (size, size), f"{size}x{size} is {width}x{height}"
svg = open(f"{root}/scalable/apps/{app_id}.svg").read()
assert "<svg" in svg
PY
# The window's icon (committed, embedded in the binary) is the SVG as drawn now.
differing=$(compare -metric AE -fuzz 2% "data/icons/window-128.png" \
  "$prefix/share/icons/hicolor/128x128/apps/$APP_ID.png" null: 2>&1) || true
[[ "$differing" == 0 ]] || die "data/icons/window-128.png is not the SVG's rendering ($differing pixels differ): run scripts/make-icons.sh --window"
ok "the icon is there as SVG and as PNGs of 16 to 256 pixels, each its own size; the window's is the same drawing"

version_line=$("$prefix/bin/downshift" --version)
[[ "$version_line" == "downshift $VERSION" ]] || die "--version said \"$version_line\""
"$prefix/bin/downshift" --data-dir "$work/data" presets list >"$work/presets.txt"
grep -q $'^Evening wind-down\t' "$work/presets.txt" || die "presets list: $(cat "$work/presets.txt")"
ok "the installed binary runs: --version, presets list"

for page in "$prefix"/share/man/man1/*.1; do
  warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
  [[ -z "$warnings" ]] || die "groff warns about $(basename "$page"): $warnings"
done
found=$(man -M "$prefix/share/man" -w downshift)
[[ "$found" == "$prefix/share/man/man1/downshift.1" ]] || die "man finds $found"
MANWIDTH=100 man -l "$prefix/share/man/man1/downshift.1" 2>/dev/null >"$work/man.txt"
for heading in NAME SYNOPSIS OPTIONS SUBCOMMANDS "EXIT STATUS" ENVIRONMENT FILES; do
  grep -q "^$heading" "$work/man.txt" || die "the man page has no $heading: $(cat "$work/man.txt")"
done
grep -q "downshift-play(1)" "$work/man.txt" || die "the man page does not name downshift-play(1)"
MANWIDTH=100 man -l "$prefix/share/man/man1/downshift-play.1" 2>/dev/null | grep -q -- "--no-window" \
  || die "downshift-play(1) does not describe --no-window"
MANWIDTH=100 man -l "$prefix/share/man/man1/downshift-checkin.1" 2>/dev/null >"$work/checkin-man.txt"
grep -q -- "--interference" "$work/checkin-man.txt" || die "downshift-checkin(1) does not describe --interference: $(cat "$work/checkin-man.txt")"
ok "the man pages render without warnings and man finds downshift(1) under the prefix"

# Each shell, with its own lookup rules, finds the completion where it was installed (for a
# prefix other than /usr and ~/.local: with the prefix's share/ in XDG_DATA_DIRS, or zsh's fpath)
# and completes a subcommand from it.
# In an empty folder, so that no file name matches.
mkdir "$work/empty"
cd "$work/empty"
bash_words=$(HOME="$work/home" XDG_DATA_DIRS="$prefix/share" bash --norc --noprofile -c '
  source /usr/share/bash-completion/bash_completion
  __load_completion downshift || exit 1
  COMP_WORDS=(downshift pre); COMP_CWORD=1; COMP_LINE="downshift pre"; COMP_POINT=${#COMP_LINE}
  "$(complete -p downshift | sed -n "s/.*-F \([^ ]*\) .*/\1/p")" downshift pre downshift
  printf "%s\n" "${COMPREPLY[@]}"') || die "bash-completion did not load the completion from $prefix/share"
[[ "$bash_words" == presets ]] || die "bash completed \"downshift pre\" as \"$bash_words\""
zsh -n "$prefix/share/zsh/site-functions/_downshift" || die "zsh cannot read _downshift"
zsh_function=$(zsh -f -c "fpath=('$prefix/share/zsh/site-functions' \$fpath); autoload -Uz compinit; compinit -u -d '$work/zcompdump'; print -r -- \${_comps[downshift]}") \
  || die "zsh's compinit failed"
[[ "$zsh_function" == _downshift ]] || die "zsh's compinit did not register _downshift (got \"$zsh_function\")"
fish -n "$prefix/share/fish/vendor_completions.d/downshift.fish" || die "fish cannot read downshift.fish"
# fish loads a command's completions once the command is on the PATH (its settings go to the
# private XDG_CONFIG_HOME).
fish_words=$(PATH="$prefix/bin:$PATH" XDG_DATA_DIRS="$prefix/share" fish -c "complete -C 'downshift pre'" | cut -f1) \
  || die "fish failed to complete"
[[ "$fish_words" == presets ]] || die "fish completed \"downshift pre\" as \"$fish_words\""
fish_words=$(PATH="$prefix/bin:$PATH" XDG_DATA_DIRS="$prefix/share" fish -c "complete -C 'downshift pat'" | cut -f1) \
  || die "fish failed to complete"
[[ "$fish_words" == patterns ]] || die "fish completed \"downshift pat\" as \"$fish_words\""
cd - >/dev/null
ok "bash (bash-completion's loader), zsh (compinit) and fish find the completions and complete \"downshift pre\" to presets"

# Installing again (an upgrade) replaces what was there: the same list, nothing twice.
cp "$manifest" "$work/first-manifest"
run_make install PREFIX="$prefix"
cmp -s "$manifest" "$work/first-manifest" || die "a second install listed different files: $(diff "$work/first-manifest" "$manifest")"
ok "installing again replaces the earlier install"

run_make uninstall PREFIX="$prefix"
remaining=$(cd "$prefix" && find . -mindepth 1 | LC_ALL=C sort | tr '\n' ' ')
[[ "$remaining" == "./bin ./bin/other-tool ./share ./share/applications ./share/applications/other.desktop " ]] \
  || die "after uninstall the prefix holds: $remaining"
if make --no-print-directory uninstall PREFIX="$prefix" >"$work/again.log" 2>&1; then
  die "a second uninstall claimed to succeed"
fi
grep -q "nothing to uninstall" "$work/again.log" || die "a second uninstall said: $(cat "$work/again.log")"
ok "make uninstall removed exactly what was installed: someone else's files and folders stay"

# A damaged manifest never removes anything outside the prefix.
run_make install PREFIX="$prefix"
echo "outside" >"$work/precious"
echo "f $work/precious" >>"$manifest"
if make --no-print-directory uninstall PREFIX="$prefix" >"$work/damaged.log" 2>&1; then
  die "uninstall accepted a manifest naming a file outside the prefix"
fi
[[ -f "$work/precious" && -x "$prefix/bin/downshift" ]] || die "a damaged manifest removed files"
sed -i '$d' "$manifest"
run_make uninstall PREFIX="$prefix"
ok "a manifest naming a file outside the prefix is refused before anything is removed"

# --- DESTDIR, as a distribution stages a package ---------------------------------------------
stage="$work/stage"
run_make install DESTDIR="$stage" PREFIX=/usr
staged="$stage/usr/share/downshift/install-manifest"
[[ -f "$staged" ]] || die "no manifest in the staged tree"
! grep -v '^[fd] /usr' "$staged" || die "the staged manifest names paths outside /usr"
grep -qxF "Exec=/usr/bin/downshift" "$stage/usr/share/applications/$APP_ID.desktop" || die "the staged launcher does not run /usr/bin/downshift"
appstreamcli validate-tree --no-net "$stage/usr" >"$work/stage-tree.log" 2>&1 || die "validate-tree of the staged tree: $(cat "$work/stage-tree.log")"
ok "DESTDIR stages the tree with paths as installed (/usr/...)"

# --- make deb: the same files --------------------------------------------------------------
deb_started=$SECONDS
run_make deb DEB_OUT="$work/deb"
deb_seconds=$((SECONDS - deb_started))
deb=$(ls "$work"/deb/downshift_"$VERSION"-*_*.deb)
dpkg-deb -c "$deb" | awk '$1 !~ /^d/ { sub(/^\./, "", $6); print $6 }' | sort >"$work/deb-files"
mkdir "$work/deb-root"
dpkg-deb -x "$deb" "$work/deb-root"
python3 - "$staged" "$work/deb-files" "$stage" "$work/deb-root" <<'PY'
import gzip, sys
manifest, deb_list, stage, root = sys.argv[1:]
installed = [line[2:] for line in open(manifest).read().splitlines() if line.startswith("f ")]
in_deb = set(open(deb_list).read().split())
# Debian's own ways: man pages compressed, zsh completions in vendor-completions (on zsh's fpath
# there), a copyright file; dpkg keeps its own list instead of the manifest.
def as_packed(path):
    if path.startswith("/usr/share/man/"):
        return path + ".gz"
    return path.replace("/usr/share/zsh/site-functions/", "/usr/share/zsh/vendor-completions/")
wanted = {as_packed(p) for p in installed if not p.endswith("/install-manifest")}
wanted.add("/usr/share/doc/downshift/copyright")
wanted.add("/usr/share/doc/downshift/changelog.Debian.gz")
wanted.add("/usr/share/lintian/overrides/downshift")
assert wanted == in_deb, f"only installed: {sorted(wanted - in_deb)}; only in the .deb: {sorted(in_deb - wanted)}"
for path in installed:
    if path.endswith("/install-manifest"):
        continue
    packed = as_packed(path)
    data = open(root + packed, "rb").read()
    if packed.endswith(".gz"):
        data = gzip.decompress(data)
    assert data == open(stage + path, "rb").read(), f"{packed} in the .deb differs from what make install puts there"
PY
depends=$(dpkg-deb -f "$deb" Depends)
[[ "$depends" == *libasound2* && "$depends" == *libx11-6* ]] || die "the .deb's Depends: $depends"
ok "make deb packs the same files as make install with PREFIX=/usr, byte for byte (dpkg-deb -c and -x)"

# Debian's own checker: no error and no warning (informational tags may stay).
lintian --version
if ! lintian --fail-on error,warning "$deb" >"$work/lintian.log" 2>&1; then
  die "lintian: $(cat "$work/lintian.log")"
fi
! grep -E '^[EW]: ' "$work/lintian.log" || die "lintian: $(cat "$work/lintian.log")"
cat "$work/lintian.log"
zcat "$work/deb-root/usr/share/doc/downshift/changelog.Debian.gz" | head -n 1 | grep -q "^downshift ($VERSION-1) " \
  || die "the changelog's first entry is not $VERSION-1"
ok "lintian finds no error or warning in the .deb; its changelog comes from the release notes"

run_make uninstall DESTDIR="$stage" PREFIX=/usr
leftover=$(find "$stage" -mindepth 1)
[[ -z "$leftover" ]] || die "uninstall from DESTDIR left: $leftover"
ok "uninstall from DESTDIR leaves the staging folder empty"

echo "install test took $((SECONDS - started)) s (make deb: ${deb_seconds} s)"
echo "e2e install: $passed passed, 0 failed"
