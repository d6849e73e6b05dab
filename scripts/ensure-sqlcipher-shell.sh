#!/usr/bin/env bash
# shellcheck disable=SC2317  # the route_* functions are called by name (--route NAME)
# Make an independent SQLCipher 4 command-line shell available at .tools/bin/sqlcipher.
#
# The tests open the app's database (SQLCipher 4, written by the sqlcipher3 Python package) with a
# shell that shares no code path with the app. Routes, tried in order:
#   system         the system's `sqlcipher` when it is 4.x (Debian 13: 4.6.1) - symlinked
#   debian-source  Debian's sqlcipher *source* package from trixie (4.6.1), fetched with apt-get source
#                  through a private apt configuration (the system's apt sources are not touched), and
#                  only the shell built, with the library compiled into it (Debian 12 ships 3.4.1,
#                  which cannot read SQLCipher 4 files, and trixie's binary needs glibc 2.38)
#   npm            SQLCipher 4.5.5's amalgamation (npm: @commapp/sqlcipher-amalgamation) with the shell
#                  source (shell.c) generated from this Debian release's sqlite3 source package
# Every result is verified: a database written by the venv's sqlcipher3 is read back by the shell with
# the same raw key, one written by the shell is read back by sqlcipher3, and a wrong key must fail.
#
#   scripts/ensure-sqlcipher-shell.sh            ensure (nothing to do, and quick, once it is there)
#   scripts/ensure-sqlcipher-shell.sh --force    make it again
#   scripts/ensure-sqlcipher-shell.sh --verify   ensure, then run the verification again
# Environment: SQLCIPHER_SHELL_ROUTE=auto|system|debian-source|npm (default auto: in the order above),
# SQLCIPHER_SOURCE_SUITE (default trixie), VERIFY_PYTHON (default .venv/bin/python).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS=${TOOLS_DIR:-$ROOT/.tools}
TARGET=$TOOLS/bin/sqlcipher
INFO=$TOOLS/sqlcipher-shell.txt
ROUTE=${SQLCIPHER_SHELL_ROUTE:-auto}
SOURCE_SUITE=${SQLCIPHER_SOURCE_SUITE:-trixie}
NPM_PACKAGE=@commapp/sqlcipher-amalgamation@4.5.5
VERIFY_PYTHON=${VERIFY_PYTHON:-$ROOT/.venv/bin/python}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
BUILD_DEPS=(gcc libc6-dev make tcl libssl-dev)
JOBS=$(nproc 2>/dev/null || echo 2)

log() { printf '[sqlcipher-shell] %s\n' "$*"; }
die() { log "error: $*"; exit 1; }

# The SQLCipher version a shell reports, or nothing when it is no SQLCipher shell.
cipher_version() {
    [ -x "$1" ] || return 0
    "$1" :memory: <<<'PRAGMA cipher_version;' 2>/dev/null | head -n 1 || true
}
is_v4() { [[ "$(cipher_version "$1")" == 4.* ]]; }

# --- verification ------------------------------------------------------------------------------------

verify() {
    local shell=$1 tmp key wrong out rc
    tmp=$(mktemp -d)
    key=$(printf '11%.0s' $(seq 32))
    wrong=$(printf '22%.0s' $(seq 32))
    log "verify $shell ($(cipher_version "$shell"))"
    if [ -x "$VERIFY_PYTHON" ] && "$VERIFY_PYTHON" -c 'import sqlcipher3' 2>/dev/null; then
        "$VERIFY_PYTHON" - "$tmp/app.db" "$key" <<'EOF'
import sys
import sqlcipher3

path, key = sys.argv[1], sys.argv[2]
con = sqlcipher3.connect(path)
con.execute(f"PRAGMA key = \"x'{key}'\"")
version = con.execute("PRAGMA cipher_version").fetchone()[0]
con.execute("CREATE TABLE t (note TEXT)")
con.execute("INSERT INTO t VALUES ('written by sqlcipher3 客户')")
con.commit()
con.close()
print(f"[sqlcipher-shell]   sqlcipher3 (SQLCipher {version}) wrote {path} with a raw 256-bit key")
EOF
        if head -c 16 "$tmp/app.db" | grep -q 'SQLite format 3'; then
            die "the file written by sqlcipher3 is not encrypted"
        fi
        out=$(printf 'PRAGMA key = "x'\''%s'\''";\nSELECT note FROM t;\n' "$key" | "$shell" "$tmp/app.db" 2>&1) \
            || die "the shell could not read sqlcipher3's database: $out"
        [[ "$out" == *"written by sqlcipher3 客户"* ]] || die "row not read back by the shell: $out"
        log "  shell read it back with the same key: $(grep -v '^ok$' <<<"$out")"

        printf 'PRAGMA key = "x'\''%s'\''";\nCREATE TABLE s (note TEXT);\nINSERT INTO s VALUES ('\''written by the shell'\'');\n' \
            "$key" | "$shell" "$tmp/shell.db" >/dev/null
        out=$("$VERIFY_PYTHON" - "$tmp/shell.db" "$key" <<'EOF'
import sys
import sqlcipher3

con = sqlcipher3.connect(sys.argv[1])
con.execute(f"PRAGMA key = \"x'{sys.argv[2]}'\"")
print(con.execute("SELECT note FROM s").fetchone()[0])
EOF
        ) || die "sqlcipher3 could not read the shell's database: $out"
        [ "$out" = "written by the shell" ] || die "sqlcipher3 read back '$out'"
        log "  sqlcipher3 read back the shell's database: $out"
    else
        log "  no $VERIFY_PYTHON with sqlcipher3 yet: checking the shell on its own"
        printf 'PRAGMA key = "x'\''%s'\''";\nCREATE TABLE t (note TEXT);\nINSERT INTO t VALUES ('\''written by the shell 客户'\'');\n' \
            "$key" | "$shell" "$tmp/app.db" >/dev/null
        if head -c 16 "$tmp/app.db" | grep -q 'SQLite format 3'; then die "the shell wrote a plain file"; fi
        out=$(printf 'PRAGMA key = "x'\''%s'\''";\nSELECT note FROM t;\n' "$key" | "$shell" "$tmp/app.db" 2>&1) \
            || die "the shell could not reopen its database: $out"
        log "  shell wrote and read back an encrypted database: $(grep -v '^ok$' <<<"$out")"
    fi
    rc=0
    out=$(printf 'PRAGMA key = "x'\''%s'\''";\nSELECT note FROM t;\n' "$wrong" | "$shell" "$tmp/app.db" 2>&1) || rc=$?
    if [ "$rc" -eq 0 ] || [[ "$out" == *"客户"* ]]; then die "a wrong key did not fail: $out"; fi
    log "  a wrong key fails (exit $rc): $(grep -v 'ERROR CORE' <<<"$out" | tail -n 1)"
    rm -rf "$tmp"
}

# --- routes (each runs as its own process, so that any failing step stops it) -----------------------

install_shell() {  # install_shell BUILT ROUTE-DESCRIPTION
    mkdir -p "$TOOLS/bin"
    install -m 0755 "$1" "$TARGET.new"
    mv -f "$TARGET.new" "$TARGET"
    printf 'route: %s\nversion: %s\n' "$2" "$(cipher_version "$TARGET")" >"$INFO"
}

# apt-get with a private configuration: its own sources list, lists and cache; the system's untouched.
private_apt() {  # private_apt DIR SUITE APT-ARGS...
    local dir=$1 suite=$2
    shift 2
    mkdir -p "$dir/lists/partial" "$dir/cache/archives/partial"
    echo "deb-src [signed-by=$KEYRING] http://deb.debian.org/debian $suite main" >"$dir/sources.list"
    local opts=(-o "Dir::Etc::sourcelist=$dir/sources.list" -o "Dir::Etc::sourceparts=-"
        -o "Dir::State::Lists=$dir/lists" -o "Dir::Cache=$dir/cache" -o "Dir::Cache::pkgcache="
        -o "Dir::Cache::srcpkgcache=" -q)
    [ "$(id -u)" -ne 0 ] || opts+=(-o "APT::Sandbox::User=root")
    apt-get "${opts[@]}" "$@"
}

fetch_source() {  # fetch_source WORK SUITE PACKAGE: downloads into WORK/src and unpacks the upstream tarball
    local work=$1 suite=$2 package=$3 orig
    [ -r "$KEYRING" ] || die "$KEYRING is missing (package debian-archive-keyring)"
    log "apt-get update (private: deb-src $suite main only)"
    private_apt "$work/apt" "$suite" update >"$work/apt-update.log" 2>&1 \
        || { tail -n 20 "$work/apt-update.log"; die "apt-get update for $suite failed"; }
    mkdir -p "$work/src"
    log "apt-get source --download-only $package (from $suite)"
    (cd "$work/src" && private_apt "$work/apt" "$suite" source --only-source --download-only "$package") \
        >"$work/apt-source.log" 2>&1 || { tail -n 20 "$work/apt-source.log"; die "apt-get source $package failed"; }
    log "  $package $(sed -n 's/^Version: //p' "$work/src/"*.dsc | head -n 1)"
    orig=$(find "$work/src" -maxdepth 1 -name "${package}_*.orig.tar.*" ! -name '*-www*' | head -n 1)
    [ -n "$orig" ] || die "no upstream tarball of $package was downloaded"
    log "unpack $(basename "$orig")"
    tar -xf "$orig" -C "$work/src"
}

route_debian_source() {
    local work=$TOOLS/build/sqlcipher-debian-source src bld start
    rm -rf "$work" && mkdir -p "$work"
    start=$(date +%s)
    "$ROOT/scripts/setup-system.sh" "${BUILD_DEPS[@]}"
    fetch_source "$work" "$SOURCE_SUITE" sqlcipher
    src=$(find "$work/src" -mindepth 1 -maxdepth 1 -type d -name 'sqlcipher*' | head -n 1)
    [ -n "$src" ] && [ -x "$src/configure" ] || die "no configure script in the sqlcipher source"
    [ ! -d "$src/autosetup" ] || die "$(basename "$src") uses the newer autosetup build; this script builds 4.6-style sources"
    bld=$work/build
    mkdir -p "$bld"
    # As SQLCipher's README says: --enable-tempstore=yes, -DSQLITE_HAS_CODEC, -lcrypto (OpenSSL).
    # Only the shell is built; it compiles the amalgamation (sqlite3.c) into itself, so no shared
    # library and no LD_LIBRARY_PATH. No readline: the shell is for scripts and tests.
    log "configure $(basename "$src") (log: $bld/configure.log)"
    (cd "$bld" && "$src/configure" --prefix="$TOOLS" --enable-tempstore=yes --disable-tcl --disable-shared \
        --enable-static --enable-fts5 --disable-readline --disable-editline \
        CFLAGS="-O2 -DSQLITE_HAS_CODEC" LDFLAGS="-lcrypto") >"$bld/configure.log" 2>&1 \
        || { tail -n 30 "$bld/configure.log"; die "configure failed"; }
    local target=sqlcipher
    grep -q '^sqlcipher\$(TEXE):' "$bld/Makefile" || target=sqlite3
    log "make -j$JOBS $target (log: $bld/make.log)"
    (cd "$bld" && make -j"$JOBS" "$target") >"$bld/make.log" 2>&1 || { tail -n 30 "$bld/make.log"; die "make failed"; }
    is_v4 "$bld/$target" || die "the built shell reports '$(cipher_version "$bld/$target")', not 4.x"
    install_shell "$bld/$target" "Debian source package sqlcipher from $SOURCE_SUITE, built $(date -u +%F)"
    log "built in $(($(date +%s) - start)) s"
    rm -rf "$work"
    rmdir "$TOOLS/build" 2>/dev/null || true
}

route_npm() {
    local work=$TOOLS/build/sqlcipher-npm codename sqlite_src start tarball
    rm -rf "$work" && mkdir -p "$work"
    start=$(date +%s)
    local deps=("${BUILD_DEPS[@]}")
    command -v npm >/dev/null 2>&1 || deps+=(npm)
    "$ROOT/scripts/setup-system.sh" "${deps[@]}"
    log "npm pack $NPM_PACKAGE"
    (cd "$work" && npm pack --silent --cache "$work/npm-cache" "$NPM_PACKAGE") >"$work/npm.log" 2>&1 \
        || { cat "$work/npm.log"; die "npm pack failed"; }
    tarball=$(find "$work" -maxdepth 1 -name '*.tgz' | head -n 1)
    tar -xzf "$tarball" -C "$work"
    # shell.c: generated from this release's sqlite3 source (an older shell runs on a newer library)
    codename=$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")
    fetch_source "$work" "$codename" sqlite3
    sqlite_src=$(find "$work/src" -mindepth 1 -maxdepth 1 -type d -name 'sqlite*' | head -n 1)
    log "generate shell.c (tclsh tool/mkshellc.tcl)"
    (cd "$sqlite_src" && tclsh tool/mkshellc.tcl) >"$work/shell.c"
    log "gcc shell.c + SQLCipher amalgamation (log: $work/gcc.log)"
    gcc -O2 -DSQLITE_HAS_CODEC -DSQLCIPHER_CRYPTO_OPENSSL -DSQLITE_TEMP_STORE=2 -DSQLITE_THREADSAFE=1 \
        -DSQLITE_ENABLE_FTS5 -DSQLITE_ENABLE_MATH_FUNCTIONS -DHAVE_READLINE=0 -I"$work/package/src" \
        -o "$work/sqlcipher" "$work/shell.c" "$work/package/src/sqlite3.c" -lcrypto -lpthread -ldl -lm \
        >"$work/gcc.log" 2>&1 || { grep -v warning "$work/gcc.log" | tail -n 30; die "gcc failed"; }
    is_v4 "$work/sqlcipher" || die "the built shell reports '$(cipher_version "$work/sqlcipher")', not 4.x"
    install_shell "$work/sqlcipher" "npm $NPM_PACKAGE + shell.c from Debian's sqlite3 source ($codename)"
    log "built in $(($(date +%s) - start)) s"
    rm -rf "$work"
    rmdir "$TOOLS/build" 2>/dev/null || true
}

route_system() {
    local system
    system=$(PATH=${PATH//$TOOLS\/bin:/} command -v sqlcipher || true)
    [ -n "$system" ] || die "no system sqlcipher"
    is_v4 "$system" || die "the system's $system is SQLCipher $(cipher_version "$system"), not 4.x"
    mkdir -p "$TOOLS/bin"
    ln -sfn "$system" "$TARGET"
    printf 'route: %s\nversion: %s\n' "system $system" "$(cipher_version "$system")" >"$INFO"
}

# --- main ---------------------------------------------------------------------------------------------

if [ "${1:-}" = "--route" ]; then
    "route_${2//-/_}"
    exit 0
fi

FORCE=0
VERIFY=0
for arg in "$@"; do
    case $arg in
        --force) FORCE=1 ;;
        --verify) VERIFY=1 ;;
        *) die "unknown argument $arg (--force, --verify)" ;;
    esac
done

if [ "$FORCE" -eq 0 ] && is_v4 "$TARGET"; then
    log "present: $TARGET (SQLCipher $(cipher_version "$TARGET"))"
    [ "$VERIFY" -eq 0 ] || verify "$TARGET"
    exit 0
fi

mkdir -p "$TOOLS"
exec 9>"$TOOLS/.sqlcipher-shell.lock"
flock 9
rm -f "$TARGET"

case $ROUTE in
    auto) routes=(system debian-source npm) ;;
    system | debian-source | npm) routes=("$ROUTE") ;;
    *) die "SQLCIPHER_SHELL_ROUTE=$ROUTE: use auto, system, debian-source or npm" ;;
esac

for route in "${routes[@]}"; do
    log "route: $route"
    if "$BASH" "${BASH_SOURCE[0]}" --route "$route"; then
        log "$TARGET: SQLCipher $(cipher_version "$TARGET") ($(sed -n 's/^route: //p' "$INFO"))"
        verify "$TARGET"
        exit 0
    fi
    rm -f "$TARGET"
    log "route $route did not give a SQLCipher 4 shell"
done
die "no SQLCipher 4 shell could be made (tried: ${routes[*]})"
