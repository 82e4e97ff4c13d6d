# The two commands of the README's quick start, and a few more.
#   make run    install what is missing, build, open downshift
#   make test   install what is missing, then every check: format, lints, unit, integration,
#               window (egui_kittest) and end-to-end tests (they change no tracked file)
#   make screenshot   refresh docs/screenshot.png and docs/heart-live.png, the README's pictures,
#                     from real sessions
#   make build        the release binary and what is installed beside it (target/assets)
#   make install      the release binary, launcher, icons, metainfo, man pages and completions
#                     into PREFIX (default ~/.local; DESTDIR stages them for a package)
#   make uninstall    remove exactly what make install put there (its manifest says what)
#   make deb          a Debian package of the same files (cargo deb), in target/debian/
# They install missing Debian/Ubuntu packages themselves (with sudo when not root).

CARGO ?= cargo
export CARGO_TERM_COLOR ?= never
# A clean CI checkout builds once: incremental caches would only take disk (Cargo.toml, profile.dev).
ifeq ($(CI),true)
export CARGO_INCREMENTAL ?= 0
endif

APP_ID := io.github.downshift.Downshift
PREFIX ?= $(HOME)/.local
DESTDIR ?=
BIN := target/release/downshift
ASSETS := target/assets
# What the binary is built from: it is rebuilt only when one of these changes, so that
# `sudo make install` after `make build` needs no cargo.
SOURCES := $(shell find src presets sounds -type f) Cargo.toml Cargo.lock data/icons/window-128.png

.PHONY: sound-checks run test deps-run deps-test deps-install deps-deb check unit e2e bench screenshot build install uninstall deb

run: deps-run
	$(CARGO) run --release --

test: deps-test check unit e2e
	@echo "make test: everything passed"

deps-run:
	@scripts/ensure-deps.sh run

deps-test:
	@scripts/ensure-deps.sh test

deps-install:
	@scripts/ensure-deps.sh install

deps-deb:
	@scripts/ensure-deps.sh deb

check:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets --locked -- -D warnings
	python3 scripts/make-changelog.py --check

# The window snapshots render with Mesa; its shader cache would otherwise grow in ~/.cache.
unit:
	MESA_SHADER_CACHE_DISABLE=true $(CARGO) test --all-targets --locked

e2e: build
	scripts/e2e-smoke.sh
	scripts/e2e-heart.sh
	scripts/e2e-audio.sh
	scripts/e2e-audio-load.sh
	scripts/e2e-window-sound.sh
	scripts/e2e-reminder.sh
	scripts/e2e-xfce.sh
	scripts/e2e-orca.sh
	scripts/e2e-small-screen.sh
	scripts/e2e-endings.sh
	scripts/e2e-wayland.sh
	scripts/e2e-sway.sh
	scripts/e2e-install.sh
	scripts/e2e-single-copy.sh

# The release binary, and what is installed beside it.
build: $(BIN) $(ASSETS)/made

$(BIN): $(SOURCES)
	$(CARGO) build --release --locked
	@touch $@

# Man pages and completions from the command line's own definition, written by the release
# binary itself (src/cli/assets.rs: no second build), the icon's PNG sizes from its SVG, the
# launcher as the .deb installs it, and the .deb's changelog from the metainfo's release notes.
$(ASSETS)/made: $(BIN) scripts/make-icons.sh scripts/make-changelog.py data/$(APP_ID).desktop.in data/$(APP_ID).metainfo.xml data/icons/$(APP_ID).svg Cargo.toml
	rm -rf $(ASSETS)
	$(BIN) __write-assets $(ASSETS)
	scripts/make-changelog.py data/$(APP_ID).metainfo.xml Cargo.toml $(ASSETS)/changelog
	scripts/make-icons.sh $(ASSETS)/icons
	sed 's|@BINDIR@|/usr/bin|g' data/$(APP_ID).desktop.in >$(ASSETS)/$(APP_ID).usr.desktop
	@touch $@

install: deps-install build
	PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" scripts/install.sh install

uninstall:
	PREFIX="$(PREFIX)" DESTDIR="$(DESTDIR)" scripts/install.sh uninstall

DEB_OUT ?= target/debian
deb: deps-deb build
	mkdir -p $(DEB_OUT)
	$(CARGO) deb --no-build --locked --output $(DEB_OUT)/

# Sound checks that do not pass yet, so not part of `make test` (see the README, Performance):
# cue timing on a loaded machine (stress-ng, five recorded runs), and the window's cues recorded
# with the window hidden (its first cue lands 66 ms late against the rest).
sound-checks: deps-test build
	scripts/e2e-window-sound.sh
	scripts/e2e-audio-load.sh

bench: deps-test
	scripts/bench.sh --readme

screenshot: deps-test
	$(CARGO) build --release --locked
	SCREENSHOT=$(CURDIR)/docs/screenshot.png scripts/e2e-smoke.sh
	SCREENSHOT=$(CURDIR)/docs/heart-live.png scripts/e2e-heart.sh
