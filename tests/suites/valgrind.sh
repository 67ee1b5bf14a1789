#!/bin/sh
# valgrind.sh BUILD - regc and the region binaries under valgrind's memcheck:
# no invalid access, no uninitialised read, no leak, on real work (the seed
# regulations, their timelines, a store run). Part of the plain pass only:
# a sanitizer build checks the same things its own way and cannot run under
# valgrind. Skipped (exit status 77) when valgrind is not installed.
set -u
BUILD=${1:?}
passed=0
failed=0
if nm "$BUILD/lib/libregc.a" 2>/dev/null | grep -q __asan; then
    echo "SKIP $BUILD is a sanitizer build; valgrind runs the plain one"
    exit 77
fi
if ! command -v valgrind > /dev/null; then
    echo "SKIP valgrind is not installed (make test-deps installs it)"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
VG="valgrind -q --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99"

# expect CODE NAME COMMAND...: the command exits with CODE and valgrind has
# nothing to say (its reports go to $tmp/vg.log).
expect() {
    code=$1
    name=$2
    shift 2
    $VG --log-file="$tmp/vg.log" "$@" > /dev/null 2> "$tmp/err.log" < "${STDIN:-/dev/null}"
    rc=$?
    if [ "$rc" -eq 99 ] || [ -s "$tmp/vg.log" ]; then
        echo "FAIL $name: valgrind reports"
        head -n 30 "$tmp/vg.log"
        failed=$((failed + 1))
    elif [ "$rc" -ne "$code" ]; then
        echo "FAIL $name: exit status $rc, expected $code"
        head -n 5 "$tmp/err.log"
        failed=$((failed + 1))
    else
        passed=$((passed + 1))
    fi
}

REGC="$BUILD/bin/regc"
expect 0 "regc check seeds" "$REGC" check rules/*/*.reg
expect 0 "regc gen seeds" "$REGC" gen -o "$tmp/gen" rules/*/*.reg
expect 0 "regc fmt seeds" "$REGC" fmt rules/*/*.reg
expect 1 "regc check bad inputs" "$REGC" check tests/diagnostics/*.reg
expect 1 "regc diff" "$REGC" diff rules/east_kazakhstan/small_vessel_certificate.reg \
    rules/east_kazakhstan/cotton_warehouse_licence.reg
expect 0 "regc export --dot" "$REGC" export --dot rules/zhambyl/grain_warehouse_licence.reg

EK="$BUILD/bin/east_kazakhstan"
CAL="--calendar rules/calendar/kz.cal"
expect 0 "list" "$EK" $CAL list --json
expect 0 "show" "$EK" $CAL show small_vessel_certificate
expect 0 "timeline" "$EK" $CAL timeline small_vessel_certificate --variant duplicate \
    --channel portal --submitted 2026-12-11T10:00 --json
expect 1 "timeline refused" "$EK" $CAL timeline cotton_warehouse_licence --submitted 2026-12-11T10:00
STDIN=tests/events/small_vessel_certificate.jsonl expect 0 "run" "$EK" $CAL run --store "$tmp/cases.db"
STDIN=tests/events/small_vessel_certificate.jsonl expect 0 "run again (duplicates)" "$EK" $CAL run \
    --store "$tmp/cases.db" --batch 16
case_id=$(sed -n 's/.*"case":"\([^"]*\)".*/\1/p' tests/events/small_vessel_certificate.jsonl | head -n 1)
expect 0 "status" "$EK" $CAL status "$case_id" --store "$tmp/cases.db" --json
expect 0 "overdue" "$EK" $CAL overdue --at 2026-12-31T09:00 --store "$tmp/cases.db" --json

# the cmocka suites themselves
for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    expect 0 "$(basename "$t")" "$t"
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
