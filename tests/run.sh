#!/bin/sh
# run.sh BUILD [PASS] - run every test suite against the binaries in BUILD.
#
# PASS names the run in the output: `plain` (the default), `sanitizer`
# (a build with ASan+UBSan, whose lines are labelled `[sanitizer pass]`) or
# `coverage` (make coverage).
# tests/summary.sh adds up the passes afterwards.
#
# Suites:
#   BUILD/tests/test_*   cmocka suites. They run with
#                        CMOCKA_MESSAGE_OUTPUT=TAP and are counted from the
#                        TAP lines: `ok N`, `not ok N`, `not ok N # SKIP`.
#                        Fewer result lines than the plan `1..N` (a crash)
#                        count the missing tests as failed.
#   tests/suites/*.sh    script suites. The last line of each is
#                        `N passed, N failed` or `N passed, N failed,
#                        N skipped`; exit status 77 means the whole suite
#                        cannot run here (its `SKIP ...` lines say why).
#                        A missing count line, or a non-zero exit status
#                        with no failure counted, is one failure.
#
# For each suite BUILD/test-results/<suite> gets one line
#   ran|skipped PASSED FAILED SKIPPED MILLISECONDS
# <suite>.failures the failed checks, one a line (cmocka: the test name;
# scripts: the FAIL line), and <suite>.reason why a suite was skipped.
set -u
BUILD=${1:?usage: tests/run.sh BUILD [plain|sanitizer|coverage]}
PASS=${2:-plain}
RESULTS=$BUILD/test-results
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
export REGC="$BUILD/bin/regc"
export REG_CALENDAR="rules/calendar/kz.cal"
# The day the calendar's horizon warning is judged from (calendar_horizon.h):
# fixed, so that outputs do not change with the date the tests run on.
export REG_TODAY="${REG_TODAY:-2026-06-01}"
export REGC_BUILD="$BUILD"

case $PASS in
plain) tag="" ;;
sanitizer) tag="[sanitizer pass] " ;;
coverage) tag="[coverage] " ;;
*) echo "run.sh: PASS is plain, sanitizer or coverage, not \`$PASS\`" >&2; exit 2 ;;
esac

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# record SUITE STATUS PASSED FAILED SKIPPED MS
record() {
    echo "$2 $3 $4 $5 $6" > "$RESULTS/$1"
    secs=$(awk -v ms="$6" 'BEGIN { printf "%.1f", ms / 1000 }')
    if [ "$2" = skipped ]; then
        echo "${tag}$1: SKIPPED ($(head -n 1 "$RESULTS/$1.reason")) ${secs}s"
    else
        echo "${tag}$1: $3 passed, $4 failed, $5 skipped in ${secs}s"
    fi
}

# ---- cmocka suites ----
for t in "$BUILD"/tests/test_*; do
    [ -x "$t" ] || continue
    name=$(basename "$t")
    start=$(now_ms)
    out=$(CMOCKA_MESSAGE_OUTPUT=TAP "$t" 2>&1)
    rc=$?
    ms=$(($(now_ms) - start))
    # TAP as cmocka 1.1 writes it: a skipped test is `not ok N # SKIP name`.
    plan=$(printf '%s\n' "$out" | sed -n 's/^1\.\.\([0-9][0-9]*\)$/\1/p' | head -n 1)
    passed=$(printf '%s\n' "$out" | grep -c '^ok [0-9]')
    skipped=$(printf '%s\n' "$out" | grep -c '^not ok [0-9][0-9]* # SKIP')
    printf '%s\n' "$out" | grep '^not ok [0-9]' | grep -v '^not ok [0-9][0-9]* # SKIP' |
        sed 's/^not ok [0-9]* - //' > "$RESULTS/$name.failures"
    failed=$(wc -l < "$RESULTS/$name.failures")
    seen=$((passed + failed + skipped))
    if [ -n "$plan" ] && [ "$seen" -lt "$plan" ]; then
        echo "exited with status $rc after $seen of $plan tests" >> "$RESULTS/$name.failures"
        failed=$((failed + plan - seen))
    elif [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
        echo "exited with status $rc" >> "$RESULTS/$name.failures"
        failed=1
    fi
    if [ "$failed" -ne 0 ]; then
        printf '%s\n' "$out" | grep -v '^ok [0-9]' | tail -n 30 | sed "s|^|${tag}$name: |"
    fi
    record "$name" ran "$passed" "$failed" "$skipped" "$ms"
done

# ---- script suites ----
for s in tests/suites/*.sh; do
    [ -f "$s" ] || continue
    name=$(basename "$s" .sh)
    # valgrind cannot run a sanitizer build; it belongs to the plain pass
    # (and would only slow down the coverage run, adding nothing it runs).
    if [ "$name" = valgrind ] && [ "$PASS" != plain ]; then
        echo "${tag}$name: not part of the $PASS pass (valgrind runs the plain build)"
        continue
    fi
    start=$(now_ms)
    out=$(sh "$s" "$BUILD" 2>&1)
    rc=$?
    ms=$(($(now_ms) - start))
    if [ "$rc" -eq 77 ]; then
        printf '%s\n' "$out" | sed -n 's/^SKIP //p' > "$RESULTS/$name.reason"
        [ -s "$RESULTS/$name.reason" ] || echo "the suite gave no reason" > "$RESULTS/$name.reason"
        : > "$RESULTS/$name.failures"
        record "$name" skipped 0 0 0 "$ms"
        continue
    fi
    printf '%s\n' "$out" | grep -E '^(FAIL|not ok)' > "$RESULTS/$name.failures"
    head -n 20 "$RESULTS/$name.failures" | sed "s|^|${tag}|"
    last=$(printf '%s\n' "$out" | tail -n 1)
    counts=$(printf '%s\n' "$last" |
        sed -n 's/^\([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed\(, \([0-9][0-9]*\) skipped\)\{0,1\}$/\1 \2 \4/p')
    if [ -z "$counts" ]; then
        printf '%s\n' "$out" | tail -n 20 | sed "s|^|${tag}$name: |"
        echo "no count line; exit status $rc" >> "$RESULTS/$name.failures"
        counts="0 1 0"
    fi
    set -- $counts
    passed=$1 failed=$2 skipped=${3:-0}
    if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then
        echo "exited with status $rc with no failure counted" >> "$RESULTS/$name.failures"
        failed=1
    fi
    record "$name" ran "$passed" "$failed" "$skipped" "$ms"
done
exit 0
