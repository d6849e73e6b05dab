#!/usr/bin/env bash
# Install the Debian packages the workstation needs, only those that are missing.
#
#   scripts/setup-system.sh            the project's packages (the list below)
#   scripts/setup-system.sh PKG...     only these (ensure-sqlcipher-shell.sh uses it for build tools)
#
# A package is written "a|b" when its name differs between Debian releases (Debian 13 renamed
# libraries for the 64-bit time_t transition): it counts as present when any of the names is
# installed, and the first name that the archive has is the one installed.
# Present packages are checked with one dpkg-query call; 'apt-get update' and 'apt-get install'
# run only when something is missing. sudo is used only when not root.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive

PROJECT_PACKAGES=(
    # Python: the venv is made with the system's python3 on a fresh machine
    python3 python3-venv
    # OCR: Tesseract with English and Simplified Chinese
    tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-sim
    # fonts: OCR-B (the machine-readable zone of passports), Noto CJK, and the other CJK fonts Debian ships
    # (the OCR benchmark's document family draws with each: tests/support/id_family/fonts.py)
    fonts-ocr-b fonts-noto-cjk fontconfig fonts-dejavu-core
    fonts-wqy-zenhei fonts-wqy-microhei fonts-arphic-uming fonts-arphic-ukai
    # Qt 6 runtime libraries that the PySide6 wheels load (offscreen and xcb platforms)
    libegl1 libgl1 libopengl0 libglib2.0-0t64'|'libglib2.0-0 libdbus-1-3 libfontconfig1 libfreetype6
    libpng16-16t64'|'libpng16-16 libxkbcommon0 libxkbcommon-x11-0 libx11-6 libx11-xcb1 libxcb1
    libxcb-cursor0 libxcb-glx0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render0
    libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xfixes0
    libxcb-xinerama0 libxcb-xkb1 libwayland-client0
    # a virtual X server for GUI tests and screenshots, with a window manager and real keystrokes (focus,
    # shortcuts and dialogs behave as on a desktop only there)
    xvfb xauth openbox xdotool
    # the independent SQLCipher shell (a 4.x one is built by ensure-sqlcipher-shell.sh when this is 3.x)
    sqlcipher
    # PostgreSQL server for the central server's tests
    postgresql
    # Paper forms: libsane (with its `test` backend, a real device for the tests and bench_paper), the headers
    # python-sane builds against (with a C compiler), and scanimage for checking a scanner by hand
    libsane1 libsane-dev sane-utils gcc python3-dev
)

if [ "$#" -gt 0 ]; then
    WANTED=("$@")
else
    WANTED=("${PROJECT_PACKAGES[@]}")
fi

log() { printf '[setup-system] %s\n' "$*"; }

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
    log "this set-up needs Debian (dpkg and apt-get); install the packages by hand: ${WANTED[*]}"
    exit 1
fi

# Every name that could stand for a wanted package, for one dpkg-query call.
names=()
for entry in "${WANTED[@]}"; do
    IFS='|' read -r -a alts <<<"$entry"
    names+=("${alts[@]}")
done
# (dpkg-query exits 1 when some name is unknown to dpkg; its lines for the others still count)
installed=" $({ dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${names[@]}" 2>/dev/null || true; } \
    | awk '$2 == "installed" { sub(/:.*/, "", $1); print $1 }' | tr '\n' ' ') "

missing=()
for entry in "${WANTED[@]}"; do
    IFS='|' read -r -a alts <<<"$entry"
    found=0
    for name in "${alts[@]}"; do
        if [[ "$installed" == *" $name "* ]]; then found=1; break; fi
    done
    [ "$found" -eq 1 ] || missing+=("$entry")
done

if [ "${#missing[@]}" -eq 0 ]; then
    log "all ${#WANTED[@]} packages present"
    exit 0
fi

log "missing: ${missing[*]}"
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        log "not root and no sudo: run as root, or install: ${missing[*]//|/ or }"
        exit 1
    fi
    SUDO=(sudo)
    # no terminal (CI): fail instead of waiting for a password
    [ -t 0 ] || SUDO=(sudo -n)
fi
APT=("${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 -q)
log "apt-get update"
"${APT[@]}" update

# Resolve "a|b" to the first name that has an installation candidate in this release.
to_install=()
for entry in "${missing[@]}"; do
    IFS='|' read -r -a alts <<<"$entry"
    chosen=""
    for name in "${alts[@]}"; do
        candidate=$(apt-cache policy "$name" 2>/dev/null | awk '/Candidate:/ { print $2 }')
        if [ -n "$candidate" ] && [ "$candidate" != "(none)" ]; then chosen=$name; break; fi
    done
    if [ -z "$chosen" ]; then
        log "no package named ${entry//|/ or } in this Debian release's archive"
        exit 1
    fi
    to_install+=("$chosen")
done

log "apt-get install ${to_install[*]}"
"${APT[@]}" install -y --no-install-recommends "${to_install[@]}"
log "installed ${#to_install[@]} package(s)"
