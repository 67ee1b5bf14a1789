#!/bin/sh
# migrate_pg.sh BUILD - `<region> migrate` (docs/semantics.md, section 10) on
# a PostgreSQL store, against the same plan on SQLite: the ferry region of
# tests/versions/ferry/ (two wordings of ferry_licence) gets the same cases
# in both stores, then a dry run, a dry run with --map, a real move with a
# case that cannot move, the journaled `migrate` events, a second --map run,
# and a repeated migrate that moves nothing. Every output and the stored
# cases and journal must be the same in both stores, and the PostgreSQL
# ones what versions.sh expects on SQLite. Starts a throwaway server
# (scripts/pg_test_server.sh); skips (exit status 77) only where
# store_pg.sh does: no psql, or no server can be started here.
set -u
BUILD=${1:?usage: migrate_pg.sh BUILD}
REGC="$BUILD/bin/regc"
export REG_CALENDAR="${REG_CALENDAR:-rules/calendar/kz.cal}"
if ! command -v psql > /dev/null 2>&1; then
    echo "SKIP psql is missing (install the Debian package postgresql: make deps)"
    exit 77
fi
for tool in jq sqlite3 cc pkg-config; do
    command -v "$tool" > /dev/null 2>&1 || { echo "FAIL $tool is missing (make deps)"; echo "0 passed, 1 failed"; exit 1; }
done
tmp=$(mktemp -d /tmp/regc-migrate-pg.XXXXXX)
env=$(sh scripts/pg_test_server.sh start 2> "$tmp/pg-start")
if [ $? -ne 0 ]; then
    echo "SKIP PostgreSQL cannot be started here: $(tail -n 3 "$tmp/pg-start" | tr '\n' ' ')"
    rm -rf "$tmp"
    exit 77
fi
eval "$env"
trap 'sh scripts/pg_test_server.sh stop "$REGC_PG_DIR"; rm -rf "$tmp"' EXIT
passed=0
failed=0
pass() { passed=$((passed + 1)); }
fail() { echo "FAIL $*"; failed=$((failed + 1)); }
expect() { if [ "$2" = "$3" ]; then pass; else fail "$1: got '$2', expected '$3'"; fi; }

# The ferry region, linked as versions.sh links it.
FLAGS=""
if nm "$BUILD/lib/libregrt.a" 2> /dev/null | grep -q __asan; then FLAGS="-fsanitize=address,undefined"; fi
if nm "$BUILD/lib/libregrt.a" 2> /dev/null | grep -q __gcov; then FLAGS="$FLAGS --coverage"; fi
"$REGC" gen -o "$tmp/gen" tests/versions/ferry/*.reg 2> "$tmp/gen.log" || { cat "$tmp/gen.log"; echo "0 passed, 1 failed"; exit 1; }
# shellcheck disable=SC2046
cc -std=c11 $FLAGS $(pkg-config --cflags libcjson sqlite3 libpq) -Iruntime -I"$tmp/gen/ferry" -DREGION=ferry \
    runtime/region_main.c "$tmp/gen/ferry"/*.c "$BUILD/lib/libregapp.a" "$BUILD/lib/libregrt.a" \
    $(pkg-config --libs libcjson sqlite3 libpq) -lm -o "$tmp/ferry" 2> "$tmp/cc.log" ||
    { cat "$tmp/cc.log"; echo "0 passed, 1 failed"; exit 1; }
F="$tmp/ferry"
fp_old=$(jq -r .fingerprint "$tmp/gen/ferry/ferry_licence.json")
fp_new=$(jq -r .fingerprint "$tmp/gen/ferry/ferry_licence_2026.json")

psql -X -q "$REGC_PG_URL" -c "CREATE SCHEMA migrate" > /dev/null 2>&1 || fail "cannot create schema migrate"
PG="$REGC_PG_URL?options=-csearch_path%3Dmigrate"
LITE="$tmp/migrate.db"
# q STORE SQL: rows as a|b|c on either store.
q() {
    case $1 in
    postgresql://*) psql -X -A -t -q "$1" -c "$2" ;;
    *) sqlite3 -batch "$1" "$2" ;;
    esac
}

# plan STORE OUT: the plan of versions.sh, each output and exit status into OUT.
plan() {
    s=$1 o=$2
    mkdir -p "$o"
    printf '%s\n' \
        '{"event_id":"m1","case":"M1","type":"submit","service":"ferry_licence","variant":"issue","at":"2025-12-22T10:00"}' \
        '{"event_id":"m2","case":"M1","type":"complete","step":"register","at":"2025-12-22T11:00"}' \
        '{"event_id":"n1","case":"M2","type":"submit","service":"ferry_licence","variant":"issue","at":"2025-12-22T10:00"}' \
        '{"event_id":"n2","case":"M2","type":"complete","step":"register","at":"2025-12-22T11:00"}' \
        '{"event_id":"n3","case":"M2","type":"complete","step":"examine","at":"2025-12-23T10:00"}' \
        '{"event_id":"p1","case":"M3","type":"submit","service":"ferry_licence","variant":"issue","at":"2025-12-22T10:00"}' \
        '{"event_id":"q1","case":"M4","type":"submit","service":"ferry_licence","variant":"issue","at":"2025-12-22T10:00"}' \
        '{"event_id":"q2","case":"M4","type":"refuse","at":"2025-12-22T10:30"}' |
        "$F" run --store "$s" > "$o/run" 2> "$o/run.err"
    q "$s" "SELECT case_id, version, state, fingerprint FROM cases ORDER BY case_id" > "$o/cases.before"
    "$F" migrate --from ferry_licence --to ferry_licence_2026 --dry-run --store "$s" --at 2026-01-05T09:00 > "$o/dry" 2>&1
    echo $? > "$o/dry.rc"
    q "$s" "SELECT case_id, version, state, fingerprint FROM cases ORDER BY case_id" > "$o/cases.dry"
    "$F" migrate --from ferry_licence --to ferry_licence_2026 --map examine=review --dry-run --store "$s" --at 2026-01-05T09:00 > "$o/dry-map" 2>&1
    "$F" migrate --from ferry_licence --to ferry_licence_2026 --map examine=review --store "$s" --at 2026-01-05T09:00 > "$o/moved" 2>&1
    echo $? > "$o/moved.rc"
    q "$s" "SELECT case_id, version, state, fingerprint FROM cases ORDER BY case_id" > "$o/cases.moved"
    q "$s" "SELECT event_id, type, state FROM journal WHERE type = 'migrate' ORDER BY case_id" > "$o/journal"
    q "$s" "SELECT raw FROM journal WHERE event_id LIKE 'migrate:M1:%'" |
        jq -c '{from, to, map, type, case}' > "$o/journal.raw"
    "$F" status M1 --store "$s" --json | jq -r '[.step_start, .step_deadline, .term_deadline] | join(" ")' > "$o/status.M1"
    printf '%s\n' '{"event_id":"m3","case":"M1","type":"complete","step":"review","at":"2026-01-05T10:00"}' |
        "$F" run --store "$s" 2> /dev/null | jq -r '.status + " " + .step' > "$o/after"
    "$F" migrate --from ferry_licence --to ferry_licence_2026 --map inspect=deliver --store "$s" --at 2026-01-05T11:00 > "$o/moved2" 2>&1
    echo $? > "$o/moved2.rc"
    "$F" migrate --from ferry_licence --to ferry_licence_2026 --store "$s" --at 2026-01-05T12:00 > "$o/again" 2>&1
    echo $? > "$o/again.rc"
    q "$s" "SELECT count(*) FROM journal" > "$o/journal.count"
    q "$s" "SELECT case_id, version, state, fingerprint FROM cases ORDER BY case_id" > "$o/cases.after"
    for c in M1 M2 M3 M4; do
        "$F" status "$c" --store "$s" --at 2026-01-06T10:00 > "$o/status.$c.text" 2>&1
        echo $? >> "$o/status.$c.text"
    done
}

plan "$LITE" "$tmp/sqlite"
plan "$PG" "$tmp/pg"

P="$tmp/pg"
# What versions.sh expects on SQLite, here on PostgreSQL.
expect "pg: the cases were stored" "$(tr '\n' ' ' < "$P/cases.before")" \
    "M1|ferry_licence|issue.examine|$fp_old M2|ferry_licence|issue.inspect|$fp_old M3|ferry_licence|issue.register|$fp_old M4|ferry_licence|result.refusal|$fp_old "
expect "pg: dry run exits 0" "$(cat "$P/dry.rc")" 0
expect "pg: dry run: M1 cannot move without a map" "$(grep '^cannot   M1' "$P/dry")" \
    "cannot   M1 at issue.examine: step \`examine\` was removed in \`ferry_licence_2026\` and no --map gives its counterpart: add --map examine=STEP"
expect "pg: dry run: summary" "$(tail -n 1 "$P/dry")" "would move 1 of 3 open cases of ferry_licence to ferry_licence_2026; 2 cannot move"
expect "pg: dry run changes nothing" "$(cat "$P/cases.dry")" "$(cat "$P/cases.before")"
expect "pg: dry run with --map" "$(grep '^would move M1' "$P/dry-map" | cut -d, -f1)" \
    "would move M1: issue.examine (ferry_licence) -> issue.review (ferry_licence_2026)"
expect "pg: the move exits 1: a case could not move" "$(cat "$P/moved.rc")" 1
expect "pg: the move: summary" "$(tail -n 1 "$P/moved")" "moved 2 of 3 open cases of ferry_licence to ferry_licence_2026; 1 cannot move"
expect "pg: M1 and M3 on the new wording, M2 on the old" "$(tr '\n' ' ' < "$P/cases.moved")" \
    "M1|ferry_licence_2026|issue.review|$fp_new M2|ferry_licence|issue.inspect|$fp_old M3|ferry_licence_2026|issue.register|$fp_new M4|ferry_licence|result.refusal|$fp_old "
expect "pg: journaled" "$(tr '\n' ' ' < "$P/journal")" \
    "migrate:M1:ferry_licence_2026:$fp_new|migrate|issue.review migrate:M3:ferry_licence_2026:$fp_new|migrate|issue.register "
expect "pg: the journal keeps the plan" "$(jq -r '[.from.version, .from.state, .to.version, .to.state, .map.examine] | join(" ")' "$P/journal.raw")" \
    "ferry_licence issue.examine ferry_licence_2026 issue.review review"
expect "pg: M1's deadlines after the move" "$(cat "$P/status.M1")" "2025-12-22T11:00 2025-12-23T11:00 2025-12-26T18:00"
expect "pg: M1 goes on in the new wording" "$(cat "$P/after")" "accepted deliver"
expect "pg: M2 moves with --map inspect=deliver" "$(grep '^M2|' "$P/cases.after" | cut -d'|' -f2,3)" "ferry_licence_2026|issue.deliver"
expect "pg: a repeated migrate moves nothing" "$(tail -n 1 "$P/again" | cut -c1-20)" "moved 0 of 0 open ca"
expect "pg: and exits 0" "$(cat "$P/again.rc")" 0

# Both stores, output for output.
for f in run run.err cases.before dry dry.rc cases.dry dry-map moved moved.rc cases.moved journal journal.raw status.M1 \
    after moved2 moved2.rc again again.rc journal.count cases.after status.M1.text status.M2.text status.M3.text status.M4.text; do
    if cmp -s "$tmp/sqlite/$f" "$tmp/pg/$f"; then
        pass
    else
        fail "SQLite and PostgreSQL differ in $f:"
        diff "$tmp/sqlite/$f" "$tmp/pg/$f" | head -n 10
    fi
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
