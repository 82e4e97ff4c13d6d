# The two commands of the README's quick start, and a few more.
#   make run    install what is missing, build, open downshift
#   make test   install what is missing, then every check: format, lints, unit, integration,
#               window (egui_kittest) and end-to-end tests (they change no tracked file)
#   make screenshot   refresh docs/screenshot.png, the README's picture, from a real session
# Both install missing Debian/Ubuntu packages themselves (with sudo when not root).

CARGO ?= cargo
export CARGO_TERM_COLOR ?= never

.PHONY: run test deps-run deps-test check unit e2e bench screenshot

run: deps-run
	$(CARGO) run --release --

test: deps-test check unit e2e
	@echo "make test: everything passed"

deps-run:
	@scripts/ensure-deps.sh run

deps-test:
	@scripts/ensure-deps.sh test

check:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --all-targets --locked -- -D warnings

# The window snapshots render with Mesa; its shader cache would otherwise grow in ~/.cache.
unit:
	MESA_SHADER_CACHE_DISABLE=true $(CARGO) test --all-targets --locked

e2e:
	$(CARGO) build --release --locked
	scripts/e2e-smoke.sh
	scripts/e2e-audio.sh
	scripts/e2e-reminder.sh
	scripts/e2e-endings.sh
	scripts/e2e-wayland.sh

bench: deps-test
	scripts/bench.sh --readme

screenshot: deps-test
	$(CARGO) build --release --locked
	SCREENSHOT=$(CURDIR)/docs/screenshot.png scripts/e2e-smoke.sh
