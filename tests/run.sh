#!/bin/sh
# run.sh BUILD - run every test suite against the binaries in BUILD.
#
# Each suite writes "PASSED FAILED" to BUILD/test-results/<suite>; the
# summary script adds them up. A suite that cannot run counts as failed.
set -u
BUILD=${1:?usage: tests/run.sh BUILD}
RESULTS=$BUILD/test-results
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
export REGC="$BUILD/bin/regc"
export REG_CALENDAR="rules/calendar/kz.cal"
# The day the calendar's horizon warning is judged from (calendar_horizon.h):
# fixed, so that outputs do not change with the date the tests run on.
export REG_TODAY="${REG_TODAY:-2026-06-01}"
export REGC_BUILD="$BUILD"

record() { echo "$2 $3" > "$RESULTS/$1"; }

# cmocka suites: every BUILD/tests/test_* binary
for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    out=$("$t" 2>&1)
    rc=$?
    echo "$out" | grep -E '^\[  (FAILED|ERROR)|^\[  PASSED  \]|^\[==========\]' | tail -n 5 | sed "s|^|$name: |"
    passed=$(echo "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
    failed=$(echo "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -n 1)
    passed=${passed:-0}
    failed=${failed:-0}
    if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
        echo "$out" | tail -n 30
        echo "$name: exited with status $rc"
        failed=1
    fi
    [ "$failed" -ne 0 ] && echo "$out" | grep -E 'FAILED|ERROR|error:|Error' | head -n 20
    record "$name" "$passed" "$failed"
done

# script suites: tests/suites/*.sh, each prints "N passed, N failed" last
for s in tests/suites/*.sh; do
    [ -f "$s" ] || continue
    name=$(basename "$s" .sh)
    out=$(sh "$s" "$BUILD" 2>&1)
    rc=$?
    echo "$out" | grep -E '^(FAIL|not ok)' | head -n 20
    last=$(echo "$out" | tail -n 1)
    echo "$name: $last"
    passed=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
    failed=$(echo "$last" | sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
    if [ -z "$passed" ]; then
        echo "$out" | tail -n 20
        passed=0
        failed=1
    elif [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
        failed=1
    fi
    record "$name" "$passed" "$failed"
done
exit 0
