#!/bin/sh
# pg_test_server.sh - a throwaway PostgreSQL server for the store tests.
#
#   eval "$(sh scripts/pg_test_server.sh start [--durable])"
#       initialises a cluster in a new temporary directory, starts it on
#       127.0.0.1 with a free port (and a Unix socket only in that
#       directory), creates the database `regc` for the user `regc`
#       (trust authentication: loopback only), and prints
#           REGC_PG_DIR=<directory>  REGC_PG_URL=postgresql://regc@127.0.0.1:<port>/regc
#           REGC_PG_BIN=<server binaries>
#       one per line. Without --durable the server runs with fsync=off:
#       the tests kill the client, never the server, so this loses nothing
#       they check and makes them faster; measure throughput with --durable.
#       deadlock_timeout is 100ms (default 1s) so that the tests of two
#       writers, which deadlock on purpose, do not wait a second each time.
#   sh scripts/pg_test_server.sh stop DIR
#       stops the server and removes DIR.
#
# initdb refuses to run as root: as root, the cluster belongs to the
# `postgres` user (from the Debian package) and the server runs as it.
# Exit status 1, with the reason on stderr, when no server can be started.
set -eu

die() {
    echo "pg_test_server: $*" >&2
    exit 1
}

find_bin() {
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5 -n -r); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ]; then
            echo "$d"
            return 0
        fi
    done
    return 1
}

as_owner() {
    if [ "$(id -u)" = 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

start() {
    durable=0
    [ "${1:-}" = "--durable" ] && durable=1
    bin=$(find_bin) || die "no PostgreSQL server binaries in /usr/lib/postgresql/*/bin (install the Debian package postgresql: make deps)"
    if [ "$(id -u)" = 0 ]; then
        id postgres > /dev/null 2>&1 || die "running as root, but there is no user postgres to own the cluster"
        command -v runuser > /dev/null 2>&1 || die "running as root, but runuser is missing"
    fi
    dir=$(mktemp -d "${TMPDIR:-/tmp}/regc-pg.XXXXXX")
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    if ! as_owner "$bin/initdb" -D "$dir/data" -U regc -A trust -E UTF8 --locale=C --no-sync \
        > "$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        rm -rf "$dir"
        die "initdb failed"
    fi
    fsync=off
    [ "$durable" = 1 ] && fsync=on
    # A random port, tried again on a clash with another server.
    started=0
    for attempt in 1 2 3 4 5 6 7 8 9 10; do
        port=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
        if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
            -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=$fsync -c max_connections=40 -c deadlock_timeout=100ms" \
            start > /dev/null 2>&1; then
            started=1
            break
        fi
        grep -q "could not bind\|already in use" "$dir/server.log" 2> /dev/null || break
    done
    if [ "$started" != 1 ]; then
        tail -n 20 "$dir/server.log" >&2 2> /dev/null || true
        rm -rf "$dir"
        die "the server did not start"
    fi
    if ! "$bin/createdb" -h 127.0.0.1 -p "$port" -U regc regc > "$dir/createdb.log" 2>&1; then
        cat "$dir/createdb.log" >&2
        stop "$dir"
        die "createdb failed"
    fi
    echo "REGC_PG_DIR=$dir"
    echo "REGC_PG_URL=postgresql://regc@127.0.0.1:$port/regc"
    echo "REGC_PG_BIN=$bin"
}

stop() {
    dir=${1:?usage: pg_test_server.sh stop DIR}
    [ -d "$dir/data" ] || die "$dir holds no cluster"
    bin=$(find_bin) || die "no PostgreSQL server binaries"
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop > /dev/null 2>&1 || true
    rm -rf "$dir"
}

case "${1:-}" in
start) shift; start "$@" ;;
stop) shift; stop "$@" ;;
*)
    echo "usage: $0 start [--durable] | stop DIR" >&2
    exit 2
    ;;
esac
