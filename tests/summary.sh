#!/bin/sh
# summary.sh PLAIN_DIR [SANITIZER_DIR] - the table of every suite in both
# passes written by tests/run.sh, and the closing line
#     N passed, N failed, N skipped
# Fails when anything failed.
#
# The sanitizer pass runs the same checks again on another build, so the
# closing line counts each check once: it failed when it failed in either
# pass (failures are matched by the test name or FAIL line, so the same
# check failing in both passes counts once), it was skipped when it was
# skipped, and it passed otherwise. A suite that could not run at all
# counts as one skipped. With the environment variable CI set (.ci/run sets
# it), every suite is required: one skipped in a pass counts as failed.
set -u
PLAIN=${1:?usage: tests/summary.sh PLAIN_DIR [SANITIZER_DIR]}
SAN=${2:-}
status=0
for dir in "$PLAIN" $SAN; do
    if [ ! -d "$dir" ]; then
        echo "no results in $dir: the pass did not run"
        status=1
    fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
suites=$( { ls "$PLAIN" 2>/dev/null; [ -n "$SAN" ] && ls "$SAN" 2>/dev/null; } | grep -v '\.' | sort -u)

cell() { # cell DIR SUITE: one pass of a suite in the table
    f=$1/$2
    if [ ! -f "$f" ]; then
        printf '%-42s' "not part of this pass"
        return
    fi
    read -r st p fl sk ms < "$f"
    secs=$(awk -v ms="$ms" 'BEGIN { printf "%.1fs", ms / 1000 }')
    if [ "$st" = skipped ]; then
        printf '%-42s' "SKIPPED, $secs"
    else
        printf '%-42s' "$p passed, $fl failed, $sk skipped, $secs"
    fi
}

printf '\n%-22s %-42s %s\n' suite "plain pass" "${SAN:+sanitizer pass (ASan+UBSan)}"
passed=0 failed=0 skipped=0 total_ms=0
for s in $suites; do
    printf '%-22s ' "$s"
    cell "$PLAIN" "$s"
    [ -n "$SAN" ] && cell "$SAN" "$s"
    printf '\n'
    tot=0 fmax=0 smax=0 ran=0 skipped_in=""
    : > "$tmp/ids"
    for dir in "$PLAIN" $SAN; do
        f=$dir/$s
        [ -f "$f" ] || continue
        read -r st p fl sk ms < "$f"
        total_ms=$((total_ms + ms))
        if [ "$st" = skipped ]; then
            pass=plain
            [ "$dir" = "$SAN" ] && pass=sanitizer
            skipped_in="$skipped_in $pass"
            echo "  skipped in the $pass pass: $(cat "$dir/$s.reason" 2>/dev/null)"
            continue
        fi
        ran=1
        [ $((p + fl + sk)) -gt "$tot" ] && tot=$((p + fl + sk))
        [ "$fl" -gt "$fmax" ] && fmax=$fl
        [ "$sk" -gt "$smax" ] && smax=$sk
        if [ "$fl" -gt 0 ]; then
            pass=plain
            [ "$dir" = "$SAN" ] && pass=sanitizer
            sed "s/^/  failed in the $pass pass: /" "$dir/$s.failures" | head -n 10
            # The same check fails with the same words in both passes; numbers
            # (times, sizes) may differ.
            sed 's/[0-9][0-9]*/#/g' "$dir/$s.failures" >> "$tmp/ids"
        fi
    done
    ids=$(sort -u "$tmp/ids" | grep -c .)
    f=$fmax
    [ "$ids" -gt "$f" ] && f=$ids
    [ "$f" -gt "$tot" ] && tot=$f
    if [ "$ran" -eq 0 ]; then
        # Could not run in any pass: one skipped suite.
        if [ -n "${CI:-}" ]; then
            echo "  CI: $s is required but was skipped"
            failed=$((failed + 1))
        else
            skipped=$((skipped + 1))
        fi
        continue
    fi
    if [ -n "$skipped_in" ] && [ -n "${CI:-}" ]; then
        echo "  CI: $s is required but was skipped in the$skipped_in pass"
        f=$((f + 1))
        tot=$((tot + 1))
    fi
    failed=$((failed + f))
    skipped=$((skipped + smax))
    p=$((tot - f - smax))
    [ "$p" -lt 0 ] && p=0
    passed=$((passed + p))
done
awk -v ms="$total_ms" 'BEGIN { printf "\nsuites took %.0fs in all; each check is counted once below\n", ms / 1000 }'
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$status" -eq 0 ]
