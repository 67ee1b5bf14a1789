#!/bin/sh
# store_pg.sh BUILD - the checks of store_sqlite.sh on a PostgreSQL store:
# starts a throwaway server (scripts/pg_test_server.sh), runs the suite
# against it with one fresh schema per check, and stops the server.
# Skips, saying why, only when no PostgreSQL server can be started here.
set -u
BUILD=${1:?usage: store_pg.sh BUILD}
if ! command -v psql > /dev/null 2>&1; then
    echo "SKIP store_pg: psql is missing (install the Debian package postgresql: make deps)"
    echo "0 passed, 0 failed"
    exit 0
fi
env=$(sh scripts/pg_test_server.sh start 2> "${TMPDIR:-/tmp}/regc-pg-start.$$")
rc=$?
if [ "$rc" -ne 0 ]; then
    echo "SKIP store_pg: PostgreSQL cannot be started here: $(tail -n 3 "${TMPDIR:-/tmp}/regc-pg-start.$$" | tr '\n' ' ')"
    rm -f "${TMPDIR:-/tmp}/regc-pg-start.$$"
    echo "0 passed, 0 failed"
    exit 0
fi
rm -f "${TMPDIR:-/tmp}/regc-pg-start.$$"
eval "$env"
trap 'sh scripts/pg_test_server.sh stop "$REGC_PG_DIR"' EXIT
# Each event is a few round trips to the server: a smaller crash input
# keeps the suite within its time (the mechanics are the same).
REGC_STORE_CRASH_EVENTS=${REGC_STORE_CRASH_EVENTS:-5000} sh tests/suites/store_sqlite.sh "$BUILD" --pg "$REGC_PG_URL"
