#!/usr/bin/env bash
# Make the virtualenv (.venv) with the package installed editable with its dev extras.
#
# Quick when nothing changed: a stamp in the venv records pyproject.toml's sha256 and the venv's
# Python version; pip runs only when the stamp differs (pyproject.toml edited, new venv, other Python).
# A venv whose interpreter no longer runs (its base Python was removed) is made again.
#
# Environment: PYTHON (default python3) makes a new venv; VENV (default .venv).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PYTHON=${PYTHON:-python3}
VENV=${VENV:-$ROOT/.venv}
STAMP=$VENV/.desktop-app-setup

log() { printf '[setup-venv] %s\n' "$*"; }

cd "$ROOT"
pyproject_sum=$(sha256sum pyproject.toml | cut -d' ' -f1)

venv_python_ok() {
    [ -x "$VENV/bin/python" ] && "$VENV/bin/python" -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null
}

if venv_python_ok; then
    key="$pyproject_sum $("$VENV/bin/python" -c 'import sys; print(sys.version.split()[0])')"
    if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$key" ]; then
        log "$VENV up to date (pyproject.toml ${pyproject_sum:0:12})"
        exit 0
    fi
else
    command -v "$PYTHON" >/dev/null 2>&1 || { log "no $PYTHON: run scripts/setup-system.sh (python3) or set PYTHON"; exit 1; }
    "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
        || { log "$PYTHON is $("$PYTHON" -V 2>&1); the package needs Python >= 3.11 (set PYTHON=...)"; exit 1; }
    if [ -e "$VENV" ]; then
        log "$VENV is broken (its Python does not run): making it again"
        rm -rf "$VENV"
    fi
    log "$PYTHON -m venv $VENV ($("$PYTHON" -V 2>&1))"
    "$PYTHON" -m venv "$VENV" || { log "venv failed: on Debian install python3-venv (scripts/setup-system.sh)"; exit 1; }
    log "pip install --upgrade pip"
    PIP_NO_INPUT=1 "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
fi

log "pip install -e .[dev] (pyproject.toml ${pyproject_sum:0:12})"
start=$(date +%s)
PIP_NO_INPUT=1 "$VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar off \
    --quiet -e ".[dev]"
"$VENV/bin/python" -m pip check --disable-pip-version-check >/dev/null \
    || log "warning: pip check reports conflicts: $("$VENV/bin/python" -m pip check 2>&1 | head -n 5)"
key="$pyproject_sum $("$VENV/bin/python" -c 'import sys; print(sys.version.split()[0])')"
echo "$key" >"$STAMP"
log "done in $(($(date +%s) - start)) s"
