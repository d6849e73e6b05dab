#!/usr/bin/env bash
# Build the installable client (`make package`): the PyInstaller one-folder app, then what a branch installs.
#
#   1. resources/i18n/*.qm from the .ts files (pyside6-lrelease), when missing or older than the .ts
#   2. dist/desktop-app/: PyInstaller with packaging/desktop_app.spec (work files in build/pyinstaller)
#   3. a smoke run of the result: --version
#   4. Linux: dist/desktop-app-VERSION-linux-ARCH.tar.gz: the app, packaging/linux/install.sh, the desktop entry
#      and the icons (docs/INSTALL.md says how a branch installs it)
#      Windows (Git Bash): dist/desktop-app-setup-VERSION.exe with Inno Setup's ISCC, when it is installed
#
# Environment: VENV (default .venv). Runs on Linux and in Git Bash on Windows (a venv with Scripts\).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV=${VENV:-$ROOT/.venv}
DIST=$ROOT/dist
WORK=$ROOT/build/pyinstaller

log() { printf '[package] %s\n' "$*"; }

cd "$ROOT"
if [ -x "$VENV/bin/python" ]; then BIN=$VENV/bin; EXE=""; else BIN=$VENV/Scripts; EXE=.exe; fi
[ -x "$BIN/python$EXE" ] || { log "no virtualenv at $VENV: run 'make venv' first"; exit 1; }
"$BIN/python$EXE" -c 'import PyInstaller' 2>/dev/null \
    || { log "PyInstaller is missing: $BIN/pip install -e '.[package]'"; exit 1; }
VERSION=$("$BIN/python$EXE" -c 'import desktop_app; print(desktop_app.__version__)')

# 1. translations
for ts in resources/i18n/*.ts; do
    qm=${ts%.ts}.qm
    if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then
        log "$ts -> $qm"
        "$BIN/pyside6-lrelease$EXE" -silent "$ts" -qm "$qm"
    fi
done

# 2. the one-folder app
log "pyinstaller packaging/desktop_app.spec (desktop-app $VERSION) -> $DIST/desktop-app"
started=$SECONDS
"$BIN/python$EXE" -m PyInstaller --noconfirm --log-level WARN --distpath "$DIST" --workpath "$WORK" \
    packaging/desktop_app.spec
log "built in $((SECONDS - started)) s; $(du -sh "$DIST/desktop-app" | cut -f1) in $DIST/desktop-app"

# 3. smoke run (the console executable on Windows: the GUI one has no standard output there)
if [ -n "$EXE" ]; then program=$DIST/desktop-app/desktop-app-cli.exe; else program=$DIST/desktop-app/desktop-app; fi
reported=$("$program" --version)
[ "$reported" = "desktop-app $VERSION" ] || { log "the built program says '$reported', not desktop-app $VERSION"; exit 1; }
log "smoke run: $reported"

# 4. what a branch installs
if [ -z "$EXE" ]; then
    name=desktop-app-$VERSION-linux-$(uname -m)
    stage=$DIST/$name
    rm -rf "$stage" "$DIST/$name.tar.gz"
    mkdir -p "$stage/icons"
    cp -a "$DIST/desktop-app" "$stage/app"
    cp packaging/linux/install.sh packaging/linux/desktop-app.desktop "$stage/"
    cp resources/icons/desktop-app.svg resources/icons/desktop-app-*.png "$stage/icons/"
    cp docs/INSTALL.md "$stage/"
    started=$SECONDS
    tar -C "$DIST" -czf "$DIST/$name.tar.gz" "$name"
    rm -rf "$stage"
    log "$DIST/$name.tar.gz ($(du -h "$DIST/$name.tar.gz" | cut -f1), packed in $((SECONDS - started)) s):"
    log "  at the branch: tar xzf $name.tar.gz && sudo $name/install.sh   (see docs/INSTALL.md)"
else
    iscc=$(command -v iscc || command -v ISCC || true)
    for candidate in "/c/Program Files (x86)/Inno Setup 6/ISCC.exe" "/c/Program Files/Inno Setup 6/ISCC.exe"; do
        [ -z "$iscc" ] && [ -x "$candidate" ] && iscc=$candidate
    done
    if [ -n "$iscc" ]; then
        "$iscc" /Qp "/DAppVersion=$VERSION" "/O$(cygpath -w "$DIST" 2>/dev/null || echo "$DIST")" \
            packaging/windows/desktop_app.iss
        log "installer: $DIST/desktop-app-setup-$VERSION.exe"
    else
        log "Inno Setup 6 (ISCC.exe) not found: install it, then run this again for the installer"
    fi
fi
