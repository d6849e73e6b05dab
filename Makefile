# desktop-app: set-up, run, checks. `make help` lists the targets.
#
# Set-up (a prerequisite of run, test and the others; quick once done):
#   system           Debian packages, apt-get only for the missing ones  (scripts/setup-system.sh)
#   venv             .venv with the package editable and its dev extras  (scripts/setup-venv.sh)
#   sqlcipher-shell  a SQLCipher 4 shell at .tools/bin/sqlcipher          (scripts/ensure-sqlcipher-shell.sh)
#   translations     resources/i18n/*.qm from the .ts files (pyside6-lrelease)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := setup

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_ARGS ?=
BENCH_ARGS ?=
PROBE_ARGS ?=
PYTEST_ARGS ?=

export DEBIAN_FRONTEND := noninteractive
export PIP_DISABLE_PIP_VERSION_CHECK := 1

TS := $(wildcard resources/i18n/*.ts)
QM := $(TS:.ts=.qm)

PYTEST := QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

.PHONY: help setup system venv sqlcipher-shell translations run test lint typecheck unit bench bench-ocr bench-sync bench-ops bench-quality bench-paper \
	security screenshots package clean distclean

help:
	@echo "make run          set up what is missing, then start the app (default data directory)"
	@echo "make test         set up, then lint, type check and the whole test suite"
	@echo "make setup        only the set-up: system packages, .venv, SQLCipher shell, translations"
	@echo "make lint         ruff check"
	@echo "make typecheck    mypy (configuration in pyproject.toml)"
	@echo "make unit         tests/unit only"
	@echo "make bench        python -m benchmarks \$$(BENCH_ARGS)"
	@echo "make bench-ocr    OCR accuracy, calibration and latency, development and sealed splits apart, against"
	@echo "                  PassportEye (installs the bench extra if missing): python -m benchmarks ocr \$$(BENCH_ARGS),"
	@echo "                  e.g. BENCH_ARGS=\"--quick\", \"--split development --jobs 2\" or \"--n 30 --jobs 2\""
	@echo "make bench-sync   sync upload rate end to end: SQLite server, PostgreSQL with 1 and 3 workers:"
	@echo "                  python -m benchmarks sync \$$(BENCH_ARGS), e.g. BENCH_ARGS=\"--quick\" or \"--records 20000\""
	@echo "make bench-ops    import (100,000 rows, xlsx and csv), export, backup, dashboard, review list:"
	@echo "                  python -m benchmarks import|export|backup|dashboard|reviews \$$(BENCH_ARGS), e.g. \"--records 20000\""
	@echo "make bench-quality  duplicate detection: recall, precision, candidate query p95 on 1,000,000 customers;"
	@echo "                  then watchlist screening: recall, customers flagged, screening time (python -m benchmarks watchlist)"
	@echo "                  python -m benchmarks quality \$$(BENCH_ARGS), e.g. BENCH_ARGS=\"--records 100000\""
	@echo "make bench-paper  paper forms: scan to stored (SANE test backend, A4 300 dpi), form-code read rate, stored pages:"
	@echo "                  python -m benchmarks paper \$$(BENCH_ARGS), e.g. BENCH_ARGS=\"--quick\" or \"--forms 1000\""
	@echo "make security     security probes too slow for make test (table: probe, expected, result; exit 1 on a failure):"
	@echo "                  python -m probes \$$(PROBE_ARGS), e.g. PROBE_ARGS=\"rekey-faults\" or \"--quick\""
	@echo "make screenshots  the client under Xvfb, PNGs into docs/screenshots/"
	@echo "make package      the installable one-folder app (PyInstaller) and the Linux tarball, into dist/"
	@echo "make clean        caches and build outputs;  make distclean  also .venv and .tools"
	@echo "variables: PYTHON (for a new venv, default python3), RUN_ARGS, PYTEST_ARGS, BENCH_ARGS, PROBE_ARGS"

# --- set-up -----------------------------------------------------------------------------------------------

setup: system venv sqlcipher-shell translations

system:
	@bash scripts/setup-system.sh

venv: system
	@PYTHON="$(PYTHON)" bash scripts/setup-venv.sh

# after venv: the shell is verified against the venv's sqlcipher3 when it is made
sqlcipher-shell: system venv
	@bash scripts/ensure-sqlcipher-shell.sh

translations: $(QM)

resources/i18n/%.qm: resources/i18n/%.ts | venv
	@echo "[translations] $< -> $@"
	@$(BIN)/pyside6-lrelease -silent $< -qm $@.tmp && mv -f $@.tmp $@  # a new file, never one rewritten in place

# --- use --------------------------------------------------------------------------------------------------

# Without a display (a server, CI) the GUI runs inside Xvfb, invisible: RUN_ARGS for command-line use.
run: setup
	@if [ -n "$(RUN_ARGS)" ] || [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
		echo "[run] $(BIN)/desktop-app $(RUN_ARGS)"; \
		exec $(BIN)/desktop-app $(RUN_ARGS); \
	else \
		echo "[run] no DISPLAY: the app runs inside Xvfb, invisible (Ctrl-C stops it)"; \
		exec xvfb-run -a -s "-screen 0 1920x1080x24" $(BIN)/desktop-app; \
	fi

# All three run even when one fails, so that one run reports everything; any failure fails the target.
test: setup
	@failed=""; \
	echo "[test] ruff check ."; $(BIN)/ruff check . || failed="$$failed lint"; \
	echo "[test] mypy"; $(BIN)/mypy || failed="$$failed typecheck"; \
	echo "[test] pytest $(PYTEST_ARGS)"; $(PYTEST) $(PYTEST_ARGS) || failed="$$failed pytest"; \
	if [ -n "$$failed" ]; then echo "[test] FAILED:$$failed"; exit 1; fi; \
	echo "[test] lint, typecheck and pytest all passed"

lint: venv
	$(BIN)/ruff check .

typecheck: venv
	$(BIN)/mypy

unit: venv translations
	$(PYTEST) tests/unit $(PYTEST_ARGS)

bench: setup
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

# PassportEye, the public MRZ reader it compares against, comes with the `bench` extra: installed once, here only.
bench-ocr: setup
	@$(BIN)/python -c 'import passporteye' 2>/dev/null || { \
		echo "[bench-ocr] pip install -e '.[dev,bench]' (PassportEye)"; \
		PIP_NO_INPUT=1 $(BIN)/pip install --quiet --progress-bar off -e '.[dev,bench]'; }
	$(BIN)/python -m benchmarks ocr $(BENCH_ARGS)

# Needs the PostgreSQL server binaries that `setup` installs (a throw-away cluster is made in a temporary directory).
bench-sync: setup
	$(BIN)/python -m benchmarks sync $(BENCH_ARGS)

# Operations: import 100,000 rows (xlsx and csv), export, backup and verify, the dashboard and the review list.
bench-ops: setup
	$(BIN)/python -m benchmarks import $(BENCH_ARGS)
	$(BIN)/python -m benchmarks export $(BENCH_ARGS)
	$(BIN)/python -m benchmarks backup $(BENCH_ARGS)
	$(BIN)/python -m benchmarks dashboard $(BENCH_ARGS)
	$(BIN)/python -m benchmarks reviews $(BENCH_ARGS)

# Duplicate detection (issue 15): recall and precision at the default threshold and the candidate query's p95, on
# 1,000,000 stored customers by default (BENCH_ARGS="--records 100000" for a quicker run).
bench-quality: setup
	$(BIN)/python -m benchmarks quality $(BENCH_ARGS)

# Paper forms (issue 16): scan to stored per A4 page at 300 dpi from SANE's test backend (a configuration of its
# own, the system's is not touched), the form code's read rate through the OCR benchmark's degradations, and the
# store's growth for pages stored twice.
bench-paper: setup
	$(BIN)/python -m benchmarks paper $(BENCH_ARGS)

# Security probes (issue 14) too slow for `make test`, e.g. a key rotation killed at every step for both key
# storages and at random moments; `make test` runs the quick form of each as ordinary tests.
security: setup
	$(BIN)/python -m probes $(PROBE_ARGS)

screenshots: setup
	QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1920x1080x24" $(BIN)/python scripts/screenshots.py

# PyInstaller (packaging/desktop_app.spec) into dist/desktop-app/, then what a branch installs (docs/INSTALL.md).
package: setup
	@bash scripts/build-package.sh

# --- cleaning ---------------------------------------------------------------------------------------------

clean:
	rm -rf build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache .hypothesis $(QM)
	find . -path ./.venv -prune -o -type d -name __pycache__ -prune -exec rm -rf {} +

# back to a fresh clone (system packages stay; bench-data/ stays: it is slow to rebuild)
distclean: clean
	rm -rf $(VENV) .tools
