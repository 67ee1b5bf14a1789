#!/bin/sh
# transitions.sh BUILD - the transition tables of every generated machine
# (reg_state.next, reg_branch.to) and its apply switch agree, for every
# state, carried result, event and outcome (tests/transitions/agree.c).
# Covers the regions in generated/, the test fixture region and the
# purpose-made inputs of the diagram goldens (loops, `with`, `-> end`).
set -u
BUILD=${1:?usage: tests/suites/transitions.sh BUILD}
CC=${CC:-cc}
passed=0
failed=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
REGC=$BUILD/bin/regc
if ! "$REGC" gen -o "$tmp/golden" tests/golden/input/*.reg 2> "$tmp/gen.log"; then
    echo "FAIL regc gen tests/golden/input/*.reg"
    cat "$tmp/gen.log"
    failed=$((failed + 1))
fi
for dir in generated/*/ "$BUILD/testgen/fixture/" "$tmp"/golden/*/; do
    [ -d "$dir" ] || continue
    region=$(basename "$dir")
    if ! $CC -std=c11 -O1 -Wall -Wextra -Werror -Iruntime -I"$dir" \
            -DMACHINES="${region}_machines" -DCOUNT="${region}_machine_count" -include "$dir/$region.h" \
            tests/transitions/agree.c runtime/machine_tables.c "$dir"/*.c -o "$tmp/agree" 2> "$tmp/cc.log"; then
        echo "FAIL $region: agree.c does not build"
        head -n 10 "$tmp/cc.log"
        failed=$((failed + 1))
    elif out=$("$tmp/agree" 2>&1); then
        echo "$region: $out"
        passed=$((passed + 1))
    else
        echo "FAIL $region: the tables and apply differ"
        echo "$out" | head -n 12
        failed=$((failed + 1))
    fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
