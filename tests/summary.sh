#!/bin/sh
# summary.sh DIR... - add up the suite results written by tests/run.sh and
# print the closing line "N passed, N failed"; fail when anything failed.
set -u
passed=0
failed=0
for dir in "$@"; do
    [ -d "$dir" ] || { echo "missing results in $dir"; failed=$((failed + 1)); continue; }
    for f in "$dir"/*; do
        [ -f "$f" ] || continue
        read -r p fl < "$f"
        passed=$((passed + p))
        failed=$((failed + fl))
        [ "$fl" -ne 0 ] && echo "failed: $f ($fl)"
    done
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
