#!/bin/sh
# store_pg.sh BUILD - the checks of store_sqlite.sh on a PostgreSQL store:
# starts a throwaway server (scripts/pg_test_server.sh), runs the suite
# against it with one fresh schema per check, and stops the server.
# Skips (exit status 77, with the reason on a SKIP line) only when no
# PostgreSQL server can be started here; with CI set, tests/summary.sh
# then fails the run.
set -u
BUILD=${1:?usage: store_pg.sh BUILD}
if ! command -v psql > /dev/null 2>&1; then
    echo "SKIP psql is missing (install the Debian package postgresql: make deps)"
    exit 77
fi
env=$(sh scripts/pg_test_server.sh start 2> "${TMPDIR:-/tmp}/regc-pg-start.$$")
rc=$?
if [ "$rc" -ne 0 ]; then
    echo "SKIP PostgreSQL cannot be started here: $(tail -n 3 "${TMPDIR:-/tmp}/regc-pg-start.$$" | tr '\n' ' ')"
    rm -f "${TMPDIR:-/tmp}/regc-pg-start.$$"
    exit 77
fi
rm -f "${TMPDIR:-/tmp}/regc-pg-start.$$"
eval "$env"
trap 'sh scripts/pg_test_server.sh stop "$REGC_PG_DIR"' EXIT
# Each event is a few round trips to the server: a smaller crash input
# keeps the suite within its time (the mechanics are the same).
REGC_STORE_CRASH_EVENTS=${REGC_STORE_CRASH_EVENTS:-5000} sh tests/suites/store_sqlite.sh "$BUILD" --pg "$REGC_PG_URL"
