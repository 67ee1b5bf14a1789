#!/bin/sh
# diagnostics.sh BUILD - every bad input in tests/diagnostics/ must make
# `regc check` exit 1 and print exactly the diagnostics in its .expected file.
set -u
BUILD=${1:?}
REGC="$BUILD/bin/regc"
passed=0
failed=0
for input in tests/diagnostics/*.reg; do
    expected="${input%.reg}.expected"
    if [ ! -f "$expected" ]; then
        echo "FAIL $input: no $expected"
        failed=$((failed + 1))
        continue
    fi
    actual=$(NO_COLOR=1 "$REGC" check "$input" 2>&1 >/dev/null)
    rc=$?
    if [ "$rc" -ne 1 ]; then
        echo "FAIL $input: exit status $rc, expected 1"
        failed=$((failed + 1))
    elif [ "$actual" != "$(cat "$expected")" ]; then
        echo "FAIL $input: diagnostics differ"
        printf '%s\n' "$actual" | diff "$expected" - | head -n 20
        failed=$((failed + 1))
    else
        passed=$((passed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
