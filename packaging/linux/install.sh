#!/usr/bin/env bash
# Install, update, roll back or remove the desktop client on a Linux workstation (docs/INSTALL.md).
#
#   sudo ./install.sh                  install or update for every user: /opt/desktop-app, /usr/local/bin,
#                                      the menu entry and icons in /usr/share
#   ./install.sh --user                the same for the current user only: ~/.local/opt/desktop-app, ~/.local/bin,
#                                      ~/.local/share
#   ./install.sh [--user] --rollback   go back to the version this update replaced
#   ./install.sh [--user] --uninstall  remove the program (the data directory stays)
#   --from DIR                         the one-folder app to install (default: app/ beside this script)
#
# An update never touches the data directory (~/.local/share/desktop-app of each user, or DESKTOP_APP_DATA_DIR):
# the encrypted database, its key store, backups and logs stay where they are. The new program is copied beside
# the old one, checked (--version), and only then swapped in; the old one is kept as desktop-app.previous for
# --rollback. The program must not be running while it is replaced.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
NAME=desktop-app
FROM=$HERE/app
MODE=install
SCOPE=system

log() { printf '[install] %s\n' "$*"; }
die() { printf '[install] %s\n' "$*" >&2; exit 1; }

while [ $# -gt 0 ]; do
    case $1 in
        --user) SCOPE=user ;;
        --from) FROM=$(cd "${2:?--from needs a directory}" && pwd); shift ;;
        --rollback) MODE=rollback ;;
        --uninstall) MODE=uninstall ;;
        -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option $1 (see --help)" ;;
    esac
    shift
done

if [ "$SCOPE" = system ]; then
    [ "$(id -u)" -eq 0 ] || die "installing for every user needs root: sudo $0 (or $0 --user for yourself only)"
    PREFIX=/opt/$NAME
    BINDIR=/usr/local/bin
    SHARE=/usr/share
else
    PREFIX=$HOME/.local/opt/$NAME
    BINDIR=$HOME/.local/bin
    SHARE=${XDG_DATA_HOME:-$HOME/.local/share}
fi
PREVIOUS=$PREFIX.previous
# icons/ beside this script in the package (scripts/build-package.sh); resources/icons in a source tree
ICON_SOURCE=$HERE/icons
[ -d "$ICON_SOURCE" ] || ICON_SOURCE=$HERE/../../resources/icons
ICONS=$SHARE/icons/hicolor
ENTRY=$SHARE/applications/$NAME.desktop

refuse_if_running() {
    if pgrep -f "^$PREFIX/$NAME( |$)" >/dev/null 2>&1; then
        die "$NAME is running from $PREFIX: close it on every session first (nothing was changed)"
    fi
}

refresh_menus() {
    # Menus pick the entry up without these too (at the next log-in); a failure here changes nothing.
    if command -v update-desktop-database >/dev/null; then update-desktop-database -q "$SHARE/applications" || true; fi
    if command -v gtk-update-icon-cache >/dev/null; then gtk-update-icon-cache -q -t "$ICONS" 2>/dev/null || true; fi
}

link_and_menu() {
    mkdir -p "$BINDIR" "$SHARE/applications"
    ln -sfn "$PREFIX/$NAME" "$BINDIR/$NAME"
    # The entry names the program by its full path: a desktop session's PATH may lack ~/.local/bin.
    sed -e "s|^Exec=$NAME|Exec=$PREFIX/$NAME|" -e "s|^TryExec=$NAME|TryExec=$PREFIX/$NAME|" \
        "$HERE/$NAME.desktop" >"$ENTRY.tmp"
    mv "$ENTRY.tmp" "$ENTRY"
    for png in "$ICON_SOURCE/$NAME"-*.png; do
        size=${png##*-}; size=${size%.png}
        install -D -m 0644 "$png" "$ICONS/${size}x${size}/apps/$NAME.png"
    done
    install -D -m 0644 "$ICON_SOURCE/$NAME.svg" "$ICONS/scalable/apps/$NAME.svg"
    refresh_menus
}

case $MODE in
    install)
        [ -x "$FROM/$NAME" ] || die "no program at $FROM/$NAME (use --from DIR, the one-folder app)"
        refuse_if_running
        rm -rf "$PREFIX.new"
        mkdir -p "$(dirname "$PREFIX")"
        cp -a "$FROM" "$PREFIX.new"
        version=$("$PREFIX.new/$NAME" --version) || { rm -rf "$PREFIX.new"; die "the new program does not start"; }
        if [ -d "$PREFIX" ]; then
            old=$("$PREFIX/$NAME" --version 2>/dev/null || echo "an unknown version")
            rm -rf "$PREVIOUS"
            mv "$PREFIX" "$PREVIOUS"
            log "replacing $old (kept in $PREVIOUS for --rollback)"
        fi
        mv "$PREFIX.new" "$PREFIX"
        link_and_menu
        log "installed $version in $PREFIX; command $BINDIR/$NAME; menu entry $ENTRY"
        log "the data directory was not touched; the first start migrates the database after a backup"
        ;;
    rollback)
        [ -d "$PREVIOUS" ] || die "no previous version in $PREVIOUS to go back to"
        refuse_if_running
        rm -rf "$PREFIX.rolled-back"
        [ -d "$PREFIX" ] && mv "$PREFIX" "$PREFIX.rolled-back"
        mv "$PREVIOUS" "$PREFIX"
        rm -rf "$PREFIX.rolled-back"
        link_and_menu
        log "back to $("$PREFIX/$NAME" --version) in $PREFIX"
        log "if the newer version had migrated the database, restore its pre-migration backup (docs/INSTALL.md)"
        ;;
    uninstall)
        refuse_if_running
        rm -rf "$PREFIX" "$PREVIOUS" "$PREFIX.new"
        [ -L "$BINDIR/$NAME" ] && rm -f "$BINDIR/$NAME"
        rm -f "$ENTRY" "$ICONS"/*/apps/$NAME.png "$ICONS/scalable/apps/$NAME.svg"
        refresh_menus
        log "removed the program; every user's data directory (~/.local/share/$NAME) stays"
        ;;
esac
