# shellcheck shell=sh
# A throwaway PostgreSQL server for the database tests (tests/test_db.py). POSIX sh (dash, bash, ...).
#
#   . ci/postgres.sh          start it (or reuse it when already running) and export UA_TEST_POSTGRES_URL
#   sh ci/postgres.sh         the same; prints UA_TEST_POSTGRES_URL=... as the last line of standard output
#   sh ci/postgres.sh stop    stop it and delete its data directory
#
# Installs PostgreSQL with apt-get when no initdb/pg_ctl/postgres can be found (root only), initialises a
# cluster in UA_PG_DIR (default /tmp/ua-extract-pg-$USER) owned by a non-root user (postgres refuses to
# run as root: as root the server runs as the 'postgres' system user, created when missing), listens on
# 127.0.0.1 only at UA_PG_PORT (default 54329, or the next free port), trust authentication for the
# superuser 'postgres', fsync off (test data only), and creates the database UA_PG_DB (default ua_test).
# Idempotent: a second call finds the running server and only checks the database exists (~50 ms).
# Safe to source from a 'set -eu' script: it changes no shell options and defines only _ua_pg_* names.
# Logs go to standard error and to $UA_PG_DIR/server.log.

_ua_pg_log() { printf 'ci/postgres.sh: %s\n' "$*" >&2; }

_ua_pg_ok() { [ -x "$1/initdb" ] && [ -x "$1/pg_ctl" ] && [ -x "$1/postgres" ]; }

_ua_pg_bindir() {
    for _ua_pg_f in initdb pg_ctl; do
        if _ua_pg_d=$(command -v "$_ua_pg_f" 2>/dev/null); then
            _ua_pg_d=$(dirname "$(readlink -f "$_ua_pg_d")")
            if _ua_pg_ok "$_ua_pg_d"; then echo "$_ua_pg_d"; return 0; fi
        fi
    done
    # Debian/Ubuntu keep the server binaries off PATH; RHEL-likes under /usr/pgsql-N.
    _ua_pg_d=$(ls -d /usr/lib/postgresql/*/bin /usr/pgsql-*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -n "$_ua_pg_d" ] && _ua_pg_ok "$_ua_pg_d"; then echo "$_ua_pg_d"; return 0; fi
    return 1
}

_ua_pg_install() {
    if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
        _ua_pg_log "PostgreSQL server binaries not found, and cannot install them (need root and apt-get)"
        return 1
    fi
    _ua_pg_log "installing PostgreSQL with apt-get"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 \
        || { apt-get update -q >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2; }
}

# run a command as the cluster's owner (root cannot run the server)
_ua_pg_as() {
    if [ "$(id -u)" != 0 ]; then
        "$@"
    elif command -v runuser >/dev/null 2>&1; then
        runuser -u postgres -- "$@"
    else
        su postgres -s /bin/sh -c '"$0" "$@"' "$@"
    fi
}

# the port is in use when something accepts a connection on it (needs bash for /dev/tcp; else assume free)
_ua_pg_port_busy() {
    command -v bash >/dev/null 2>&1 && bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0"' "$1" 2>/dev/null
}

_ua_pg_main() {
    _ua_pg_action=${1:-start}
    _ua_pg_db=${UA_PG_DB:-ua_test}

    _ua_pg_bin=$(_ua_pg_bindir) || { _ua_pg_install && _ua_pg_bin=$(_ua_pg_bindir); } || {
        _ua_pg_log "no PostgreSQL server binaries (initdb, pg_ctl, postgres) found"; return 1; }

    if [ "$(id -u)" = 0 ]; then
        _ua_pg_user=postgres
        if ! id -u postgres >/dev/null 2>&1; then
            useradd --system --no-create-home --shell /usr/sbin/nologin postgres >&2 || return 1
        fi
    else
        _ua_pg_user=$(id -un)
    fi
    _ua_pg_dir=${UA_PG_DIR:-/tmp/ua-extract-pg-$(id -un)}
    _ua_pg_data=$_ua_pg_dir/data

    if [ "$_ua_pg_action" = stop ]; then
        if [ -f "$_ua_pg_data/PG_VERSION" ]; then
            _ua_pg_as "$_ua_pg_bin/pg_ctl" -D "$_ua_pg_data" -m fast stop >&2 || true
        fi
        rm -rf "$_ua_pg_dir"
        unset UA_TEST_POSTGRES_URL
        return 0
    fi

    if [ -f "$_ua_pg_data/PG_VERSION" ] && [ -f "$_ua_pg_dir/port" ] \
            && _ua_pg_as "$_ua_pg_bin/pg_ctl" -D "$_ua_pg_data" status >/dev/null 2>&1; then
        _ua_pg_port=$(cat "$_ua_pg_dir/port")
    else
        mkdir -p "$_ua_pg_dir" && chmod 700 "$_ua_pg_dir" && chown "$_ua_pg_user" "$_ua_pg_dir" || return 1
        for _ua_pg_try in 1 2; do
            if [ ! -f "$_ua_pg_data/PG_VERSION" ]; then
                _ua_pg_log "initialising a cluster in $_ua_pg_data"
                _ua_pg_as "$_ua_pg_bin/initdb" -D "$_ua_pg_data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
                        >"$_ua_pg_dir/initdb.log" 2>&1 \
                    || _ua_pg_as "$_ua_pg_bin/initdb" -D "$_ua_pg_data" -U postgres -A trust -E UTF8 --locale=C \
                        >"$_ua_pg_dir/initdb.log" 2>&1 \
                    || { _ua_pg_log "initdb failed:"; cat "$_ua_pg_dir/initdb.log" >&2; return 1; }
            fi
            _ua_pg_port=${UA_PG_PORT:-54329}
            while _ua_pg_port_busy "$_ua_pg_port"; do
                _ua_pg_port=$((_ua_pg_port + 1))
                if [ "$_ua_pg_port" -gt $((${UA_PG_PORT:-54329} + 50)) ]; then _ua_pg_log "no free port"; return 1; fi
            done
            echo "$_ua_pg_port" >"$_ua_pg_dir/port"
            _ua_pg_log "starting PostgreSQL ($_ua_pg_bin) on 127.0.0.1:$_ua_pg_port"
            if _ua_pg_as "$_ua_pg_bin/pg_ctl" -D "$_ua_pg_data" -l "$_ua_pg_dir/server.log" -w -t 60 -o \
                    "-c listen_addresses=127.0.0.1 -p $_ua_pg_port -k $_ua_pg_dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
                    start >&2; then
                break
            fi
            _ua_pg_log "start failed:"
            tail -n 20 "$_ua_pg_dir/server.log" >&2 2>/dev/null
            if [ "$_ua_pg_try" = 2 ]; then return 1; fi
            _ua_pg_log "re-initialising the throwaway cluster and retrying"
            _ua_pg_as "$_ua_pg_bin/pg_ctl" -D "$_ua_pg_data" -m immediate stop >/dev/null 2>&1
            rm -rf "$_ua_pg_data"
        done
    fi

    _ua_pg_exists=$(PGCONNECT_TIMEOUT=10 "$_ua_pg_bin/psql" -X -q -h 127.0.0.1 -p "$_ua_pg_port" -U postgres \
        -d postgres -tA -c "SELECT 1 FROM pg_database WHERE datname = '$_ua_pg_db'" 2>/dev/null) || {
        _ua_pg_log "cannot connect to 127.0.0.1:$_ua_pg_port (see $_ua_pg_dir/server.log)"; return 1; }
    if [ "$_ua_pg_exists" != 1 ]; then
        "$_ua_pg_bin/createdb" -h 127.0.0.1 -p "$_ua_pg_port" -U postgres "$_ua_pg_db" >&2 || {
            _ua_pg_log "createdb $_ua_pg_db failed"; return 1; }
    fi

    UA_TEST_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$_ua_pg_port/$_ua_pg_db"
    export UA_TEST_POSTGRES_URL
    echo "UA_TEST_POSTGRES_URL=$UA_TEST_POSTGRES_URL"
}

# Executed ('sh ci/postgres.sh [stop]') or sourced ('. ci/postgres.sh': then "$@" would be the caller's
# arguments, so always start)?
case ${0##*/} in
    postgres.sh) _ua_pg_main "$@" || exit 1 ;;
    *) _ua_pg_main start || return 1 ;;
esac
